/*
 * records.c — the SQLite backend's records and what hangs from them: their
 * events, the consent ledger, the statistics rows of anonymised records, and
 * the erasure journal.
 */
#include <string.h>

#include "sqlite-internal.h"

/* the 13 columns every record statement starts with (statements.sql) */
void sq_record_from_row(sqlite3_stmt *st, struct pdv_record_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	sq_col_fixed(st, 1, r->tag, PDV_TAG_LEN);
	r->subject_id = sqlite3_column_int64(st, 2);
	r->activity = sq_col_text(st, 3);
	r->phase = sq_col_text(st, 4);
	r->collected_at = sqlite3_column_int64(st, 5);
	r->last_contact = sqlite3_column_int64(st, 6);
	r->consent_at = sqlite3_column_int64(st, 7);
	r->phase_at = sqlite3_column_int64(st, 8);
	r->next_at = sqlite3_column_int64(st, 9);
	r->source = sq_col_text(st, 10);
	r->fields = sqlite3_column_blob(st, 11);
	r->fields_len = (size_t)sqlite3_column_bytes(st, 11);
	r->has_binding = sq_col_fixed(st, 12, r->binding, PDV_BINDING_LEN);
}

struct record_iter {
	pdv_record_cb cb;
	void *ctx;
};

static int record_row(void *ctx, sqlite3_stmt *st)
{
	struct record_iter *it = ctx;
	struct pdv_record_row row;

	sq_record_from_row(st, &row);
	return it->cb(it->ctx, &row);
}

/* records_due adds the subject's tag and restriction */
static int due_row(void *ctx, sqlite3_stmt *st)
{
	struct record_iter *it = ctx;
	struct pdv_record_row row;

	sq_record_from_row(st, &row);
	if (sqlite3_column_type(st, 13) != SQLITE_NULL) {
		row.subject_known = true;
		sq_col_fixed(st, 13, row.subject_tag, PDV_TAG_LEN);
		row.subject_restricted = sqlite3_column_int(st, 14) != 0;
	}
	return it->cb(it->ctx, &row);
}

int sqlite_record_insert(struct pdv_store_impl *s, struct pdv_record_row *row,
                         struct pdv_error *err)
{
	sqlite3_stmt *st;
	int rc;

	/* an id from the store's counter, so it never lands in a reserved range */
	if (!row->id && (rc = sqlite_id_next(s, PDV_STORE_ID_RECORD, &row->id, err)) < 0)
		return rc;
	st = sq_stmt(s, PDV_SQL_RECORD_INSERT);
	sqlite3_bind_blob(st, 1, row->tag, PDV_TAG_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, row->subject_id);
	sq_bind_text(st, 3, row->activity);
	sq_bind_text(st, 4, row->phase);
	sqlite3_bind_int64(st, 5, row->collected_at);
	sqlite3_bind_int64(st, 6, row->last_contact);
	sq_bind_opt_int(st, 7, row->consent_at);
	sqlite3_bind_int64(st, 8, row->phase_at);
	sq_bind_opt_int(st, 9, row->next_at);
	sq_bind_text(st, 10, row->source);
	sqlite3_bind_blob64(st, 11, row->fields ? (const void *)row->fields : "", row->fields_len,
	                    SQLITE_STATIC);
	sqlite3_bind_int64(st, 12, row->id);
	sq_bind_blob(st, 13, row->has_binding ? row->binding : NULL, PDV_BINDING_LEN);
	return sq_done(s, st, err, "inserting a record");
}

int sqlite_record_get(struct pdv_store_impl *s, int64_t id, struct pdv_record_row *ret,
                      struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_RECORD_GET);
	int rc;

	sqlite3_bind_int64(st, 1, id);
	if ((rc = sq_one(s, st, "no such record", "reading a record", err)) < 0)
		return rc;
	sq_record_from_row(st, ret);
	return 0;
}

int sqlite_record_update(struct pdv_store_impl *s, const struct pdv_record_row *row,
                         struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_RECORD_UPDATE);

	sqlite3_bind_int64(st, 1, row->id);
	sq_bind_text(st, 2, row->phase);
	sqlite3_bind_int64(st, 3, row->last_contact);
	sq_bind_opt_int(st, 4, row->consent_at);
	sqlite3_bind_int64(st, 5, row->phase_at);
	sq_bind_opt_int(st, 6, row->next_at);
	sqlite3_bind_blob64(st, 7, row->fields ? (const void *)row->fields : "", row->fields_len,
	                    SQLITE_STATIC);
	sq_bind_blob(st, 8, row->has_binding ? row->binding : NULL, PDV_BINDING_LEN);
	return sq_done(s, st, err, "updating a record");
}

int sqlite_record_delete(struct pdv_store_impl *s, int64_t id, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_EVENTS_DELETE);
	int rc;

	sqlite3_bind_int64(st, 1, id);
	if ((rc = sq_done(s, st, err, "deleting events")) < 0)
		return rc;
	return sqlite_record_delete_row(s, id, err);
}

int sqlite_record_delete_row(struct pdv_store_impl *s, int64_t id, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_RECORD_DELETE);

	sqlite3_bind_int64(st, 1, id);
	return sq_done(s, st, err, "deleting a record");
}

int sqlite_records_delete_subject(struct pdv_store_impl *s, int64_t subject_id,
                                  struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_EVENTS_DELETE_SUBJECT);
	int rc;

	sqlite3_bind_int64(st, 1, subject_id);
	if ((rc = sq_done(s, st, err, "deleting events")) < 0)
		return rc;
	st = sq_stmt(s, PDV_SQL_RECORDS_DELETE_SUBJECT);
	sqlite3_bind_int64(st, 1, subject_id);
	return sq_done(s, st, err, "deleting records");
}

int sqlite_records_of_subject(struct pdv_store_impl *s, int64_t subject_id, pdv_record_cb cb,
                              void *ctx, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_RECORDS_OF_SUBJECT);
	struct record_iter it = {cb, ctx};

	sqlite3_bind_int64(st, 1, subject_id);
	return sq_each(s, st, record_row, &it, "reading records", err);
}

int sqlite_records_count_of_subject(struct pdv_store_impl *s, int64_t subject_id, int64_t *ret,
                                    struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_RECORDS_COUNT_OF_SUBJECT);

	sqlite3_bind_int64(st, 1, subject_id);
	return sq_int64(s, st, ret, "counting", err);
}

int sqlite_records_due(struct pdv_store_impl *s, int64_t after, int64_t now, int limit,
                       pdv_record_cb cb, void *ctx, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_RECORDS_DUE);
	struct record_iter it = {cb, ctx};

	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int(st, 3, limit);
	return sq_each(s, st, due_row, &it, "reading due records", err);
}

static int exists(struct pdv_store_impl *s, sqlite3_stmt *st, bool *ret, struct pdv_error *err)
{
	int64_t n = 0;
	int rc = sq_int64(s, st, &n, "reading the batch facts", err);

	*ret = n != 0;
	return rc;
}

int sqlite_batch_facts(struct pdv_store_impl *s, int64_t lo, int64_t hi,
                       struct pdv_batch_facts *ret, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_EVENTS_ANY_BETWEEN);
	int rc;

	sqlite3_bind_int64(st, 1, lo);
	sqlite3_bind_int64(st, 2, hi);
	if ((rc = exists(s, st, &ret->events, err)) < 0 ||
	    (rc = exists(s, sq_stmt(s, PDV_SQL_DIRECTIVES_ANY), &ret->directives, err)) < 0)
		return rc;
	return exists(s, sq_stmt(s, PDV_SQL_HOLDS_ANY_ACTIVE), &ret->holds, err);
}

int sqlite_records_of_activity(struct pdv_store_impl *s, const char *activity, int64_t after,
                               pdv_record_cb cb, void *ctx, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_RECORDS_OF_ACTIVITY);
	struct record_iter it = {cb, ctx};

	sq_bind_text(st, 1, activity);
	sqlite3_bind_int64(st, 2, after);
	return sq_each(s, st, record_row, &it, "reading records", err);
}

struct summary_iter {
	pdv_summary_row_cb cb;
	void *ctx;
};

static int summary_row(void *ctx, sqlite3_stmt *st)
{
	struct summary_iter *it = ctx;

	return it->cb(it->ctx, sq_col_text(st, 0), sq_col_text(st, 1), sqlite3_column_int64(st, 2),
	              sqlite3_column_int64(st, 3));
}

int sqlite_records_summary(struct pdv_store_impl *s, int64_t from, int64_t to,
                           pdv_summary_row_cb cb, void *ctx, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_RECORDS_SUMMARY);
	struct summary_iter it = {cb, ctx};

	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	return sq_each(s, st, summary_row, &it, "counting records", err);
}

int sqlite_records_unbound(struct pdv_store_impl *s, int64_t after, pdv_record_cb cb, void *ctx,
                           struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_RECORDS_UNBOUND);
	struct record_iter it = {cb, ctx};

	sqlite3_bind_int64(st, 1, after);
	return sq_each(s, st, record_row, &it, "reading records", err);
}

int sqlite_record_bind(struct pdv_store_impl *s, int64_t id, const uint8_t binding[PDV_BINDING_LEN],
                       struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_RECORD_BIND);

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_blob(st, 2, binding, PDV_BINDING_LEN, SQLITE_STATIC);
	return sq_done(s, st, err, "binding a record");
}

int sqlite_statistics_insert(struct pdv_store_impl *s, const char *activity, const char *month,
                             const uint8_t *fields, size_t len, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_STATISTICS_INSERT);

	sq_bind_text(st, 1, activity);
	sq_bind_text(st, 2, month);
	sqlite3_bind_blob64(st, 3, fields ? (const void *)fields : "", len, SQLITE_STATIC);
	return sq_done(s, st, err, "writing statistics");
}

struct statistics_iter {
	pdv_statistics_row_cb cb;
	void *ctx;
};

static int statistics_row(void *ctx, sqlite3_stmt *st)
{
	struct statistics_iter *it = ctx;

	return it->cb(it->ctx, sq_col_text(st, 1), sqlite3_column_blob(st, 2),
	              (size_t)sqlite3_column_bytes(st, 2));
}

int sqlite_statistics_each(struct pdv_store_impl *s, const char *activity, pdv_statistics_row_cb cb,
                           void *ctx, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_STATISTICS_OF_ACTIVITY);
	struct statistics_iter it = {cb, ctx};

	sq_bind_text(st, 1, activity);
	return sq_each(s, st, statistics_row, &it, "reading statistics", err);
}

int sqlite_event_insert(struct pdv_store_impl *s, const struct pdv_event_row *row,
                        struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_EVENT_INSERT);

	sqlite3_bind_int64(st, 1, row->record_id);
	sq_bind_text(st, 2, row->name);
	sqlite3_bind_int64(st, 3, row->at);
	sq_bind_text(st, 4, row->actor);
	return sq_done(s, st, err, "inserting an event");
}

struct event_iter {
	pdv_event_cb cb;
	void *ctx;
};

static int event_row(void *ctx, sqlite3_stmt *st)
{
	struct event_iter *it = ctx;
	struct pdv_event_row row = {
	    .record_id = sqlite3_column_int64(st, 0),
	    .name = sq_col_text(st, 1),
	    .at = sqlite3_column_int64(st, 2),
	    .actor = sq_col_text(st, 3),
	};

	return it->cb(it->ctx, &row);
}

int sqlite_events_of_record(struct pdv_store_impl *s, int64_t record_id, pdv_event_cb cb, void *ctx,
                            struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_EVENTS_OF_RECORD);
	struct event_iter it = {cb, ctx};

	sqlite3_bind_int64(st, 1, record_id);
	return sq_each(s, st, event_row, &it, "reading events", err);
}

int sqlite_consent_text_put(struct pdv_store_impl *s, const char *activity, const char *version,
                            const char *text, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_CONSENT_TEXT_PUT);

	sq_bind_text(st, 1, activity);
	sq_bind_text(st, 2, version);
	sq_bind_text(st, 3, text);
	return sq_done(s, st, err, "writing a consent text");
}

int sqlite_consent_insert(struct pdv_store_impl *s, const struct pdv_consent_row *row,
                          struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_CONSENT_INSERT);

	sqlite3_bind_int64(st, 1, row->subject_id);
	sq_bind_opt_int(st, 2, row->record_id);
	sq_bind_text(st, 3, row->activity);
	sq_bind_text(st, 4, row->state);
	sq_bind_text(st, 5, row->version);
	sqlite3_bind_int64(st, 6, row->at);
	sq_bind_text(st, 7, row->channel);
	return sq_done(s, st, err, "writing consent");
}

struct consent_iter {
	pdv_consent_cb cb;
	void *ctx;
};

static int consent_row(void *ctx, sqlite3_stmt *st)
{
	struct consent_iter *it = ctx;
	struct pdv_consent_row row = {
	    .subject_id = sqlite3_column_int64(st, 0),
	    .record_id = sqlite3_column_int64(st, 1),
	    .activity = sq_col_text(st, 2),
	    .state = sq_col_text(st, 3),
	    .version = sq_col_text(st, 4),
	    .at = sqlite3_column_int64(st, 5),
	    .channel = sq_col_text(st, 6),
	};

	return it->cb(it->ctx, &row);
}

int sqlite_consents_of_subject(struct pdv_store_impl *s, int64_t subject_id, pdv_consent_cb cb,
                               void *ctx, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_CONSENTS_OF_SUBJECT);
	struct consent_iter it = {cb, ctx};

	sqlite3_bind_int64(st, 1, subject_id);
	return sq_each(s, st, consent_row, &it, "reading consents", err);
}

int sqlite_erasure_insert(struct pdv_store_impl *s, int64_t seq, int64_t subject_id,
                          int64_t record_id, int64_t at, const char *reason, int64_t *ret_seq,
                          struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_ERASURE_INSERT);
	int rc;

	sq_bind_opt_int(st, 5, seq);
	sqlite3_bind_int64(st, 1, subject_id);
	sq_bind_opt_int(st, 2, record_id);
	sqlite3_bind_int64(st, 3, at);
	sq_bind_text(st, 4, reason);
	if ((rc = sq_done(s, st, err, "writing the erasure journal")) < 0)
		return rc;
	*ret_seq = sqlite3_last_insert_rowid(s->db);
	return 0;
}

struct erasure_iter {
	pdv_erasure_row_cb cb;
	void *ctx;
};

static int erasure_row(void *ctx, sqlite3_stmt *st)
{
	struct erasure_iter *it = ctx;

	return it->cb(it->ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
	              sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3), sq_col_text(st, 4));
}

int sqlite_erasures_after(struct pdv_store_impl *s, int64_t after, pdv_erasure_row_cb cb, void *ctx,
                          struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_ERASURES_AFTER);
	struct erasure_iter it = {cb, ctx};

	sqlite3_bind_int64(st, 1, after);
	return sq_each(s, st, erasure_row, &it, "reading the erasure journal", err);
}

int sqlite_erasures_max(struct pdv_store_impl *s, int64_t *ret, struct pdv_error *err)
{
	return sq_int64(s, sq_stmt(s, PDV_SQL_ERASURES_MAX), ret, "reading the erasure journal",
	                err);
}
