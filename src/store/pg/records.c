/*
 * records.c — the PostgreSQL backend's records and what hangs from them:
 * their events, the consent ledger, the statistics rows of anonymised
 * records, and the erasure journal (the SQLite backend's records.c,
 * statement for statement).
 */
#include <string.h>

#include "pg-internal.h"

/* the 13 columns every record statement starts with (statements.sql) */
void pg_record_from_row_at(const PGresult *res, int i, int col, struct pdv_record_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = pg_col_int64(res, i, col);
	pg_col_fixed(res, i, col + 1, r->tag, PDV_TAG_LEN);
	r->subject_id = pg_col_int64(res, i, col + 2);
	r->activity = pg_col_text(res, i, col + 3);
	r->phase = pg_col_text(res, i, col + 4);
	r->collected_at = pg_col_int64(res, i, col + 5);
	r->last_contact = pg_col_int64(res, i, col + 6);
	r->consent_at = pg_col_int64(res, i, col + 7);
	r->phase_at = pg_col_int64(res, i, col + 8);
	r->next_at = pg_col_int64(res, i, col + 9);
	r->source = pg_col_text(res, i, col + 10);
	r->fields = pg_col_blob(res, i, col + 11, &r->fields_len);
	r->has_binding = pg_col_fixed(res, i, col + 12, r->binding, PDV_BINDING_LEN);
}

void pg_record_from_row(const PGresult *res, int i, struct pdv_record_row *r)
{
	pg_record_from_row_at(res, i, 0, r);
}

struct record_iter {
	pdv_record_cb cb;
	void *ctx;
};

static int record_row(void *ctx, const PGresult *res, int i)
{
	struct record_iter *it = ctx;
	struct pdv_record_row row;

	pg_record_from_row(res, i, &row);
	return it->cb(it->ctx, &row);
}

/* records_due adds the subject's tag and restriction */
static int due_row(void *ctx, const PGresult *res, int i)
{
	struct record_iter *it = ctx;
	struct pdv_record_row row;

	pg_record_from_row(res, i, &row);
	if (!pg_null(res, i, 13)) {
		row.subject_known = true;
		pg_col_fixed(res, i, 13, row.subject_tag, PDV_TAG_LEN);
		row.subject_restricted = pg_col_int64(res, i, 14) != 0;
	}
	return it->cb(it->ctx, &row);
}

int pg_record_insert(struct pdv_store_impl *s, struct pdv_record_row *row, struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	/* an id from the store's counter, so it never lands in a reserved range */
	if (!row->id && (rc = pg_id_next(s, PDV_STORE_ID_RECORD, &row->id, err)) < 0)
		return rc;
	pp_blob(&p, row->tag, PDV_TAG_LEN);
	pp_int(&p, row->subject_id);
	pp_text(&p, row->activity);
	pp_text(&p, row->phase);
	pp_int(&p, row->collected_at);
	pp_int(&p, row->last_contact);
	pp_opt_int(&p, row->consent_at);
	pp_int(&p, row->phase_at);
	pp_opt_int(&p, row->next_at);
	pp_text(&p, row->source);
	pp_blob(&p, row->fields ? (const void *)row->fields : "", row->fields_len);
	pp_int(&p, row->id);
	pp_blob(&p, row->has_binding ? row->binding : NULL, PDV_BINDING_LEN);
	return pg_queue(s, PDV_SQL_RECORD_INSERT, &p, "inserting a record", err);
}

int pg_record_get(struct pdv_store_impl *s, int64_t id, struct pdv_record_row *ret,
                  struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_int(&p, id);
	if ((rc = pg_one(s, PDV_SQL_RECORD_GET, &p, "no such record", "reading a record", err)) < 0)
		return rc;
	pg_record_from_row(s->res, 0, ret);
	return 0;
}

int pg_record_update(struct pdv_store_impl *s, const struct pdv_record_row *row,
                     struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, row->id);
	pp_text(&p, row->phase);
	pp_int(&p, row->last_contact);
	pp_opt_int(&p, row->consent_at);
	pp_int(&p, row->phase_at);
	pp_opt_int(&p, row->next_at);
	pp_blob(&p, row->fields ? (const void *)row->fields : "", row->fields_len);
	pp_blob(&p, row->has_binding ? row->binding : NULL, PDV_BINDING_LEN);
	return pg_queue(s, PDV_SQL_RECORD_UPDATE, &p, "updating a record", err);
}

int pg_record_delete(struct pdv_store_impl *s, int64_t id, struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_int(&p, id);
	if ((rc = pg_queue(s, PDV_SQL_EVENTS_DELETE, &p, "deleting events", err)) < 0)
		return rc;
	return pg_record_delete_row(s, id, err);
}

int pg_record_delete_row(struct pdv_store_impl *s, int64_t id, struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, id);
	return pg_queue(s, PDV_SQL_RECORD_DELETE, &p, "deleting a record", err);
}

int pg_records_delete_subject(struct pdv_store_impl *s, int64_t subject_id, struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_int(&p, subject_id);
	if ((rc = pg_queue(s, PDV_SQL_EVENTS_DELETE_SUBJECT, &p, "deleting events", err)) < 0)
		return rc;
	return pg_queue(s, PDV_SQL_RECORDS_DELETE_SUBJECT, &p, "deleting records", err);
}

int pg_records_of_subject(struct pdv_store_impl *s, int64_t subject_id, pdv_record_cb cb, void *ctx,
                          struct pdv_error *err)
{
	struct record_iter it = {cb, ctx};
	struct pg_params p = {0};

	if (subject_id && s->cached_records == subject_id) {
		/* brought by lookup_get_records, nothing run since: a LEFT JOIN's
		 * row with no record has a NULL id */
		const PGresult *res = s->records_res;
		int rc = 0;

		s->cached_records = 0;
		for (int i = s->records_from; i < s->records_to && rc == 0; i++) {
			struct pdv_record_row row;

			if (pg_null(res, i, 7))
				continue;
			pg_record_from_row_at(res, i, 7, &row);
			rc = cb(ctx, &row);
		}
		return rc;
	}
	pp_int(&p, subject_id);
	return pg_each(s, PDV_SQL_RECORDS_OF_SUBJECT, &p, record_row, &it, "reading records", err);
}

int pg_records_count_of_subject(struct pdv_store_impl *s, int64_t subject_id, int64_t *ret,
                                struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, subject_id);
	return pg_scalar(s, PDV_SQL_RECORDS_COUNT_OF_SUBJECT, &p, ret, "counting", err);
}

int pg_records_due(struct pdv_store_impl *s, int64_t after, int64_t now, int limit,
                   pdv_record_cb cb, void *ctx, struct pdv_error *err)
{
	struct record_iter it = {cb, ctx};
	struct pg_params p = {0};

	pp_int(&p, after);
	pp_int(&p, now);
	pp_int(&p, limit);
	return pg_each(s, PDV_SQL_RECORDS_DUE, &p, due_row, &it, "reading due records", err);
}

static int exists(struct pdv_store_impl *s, int which, const struct pg_params *p, bool *ret,
                  struct pdv_error *err)
{
	int64_t n = 0;
	int rc = pg_scalar(s, which, p, &n, "reading the batch facts", err);

	*ret = n != 0;
	return rc;
}

int pg_batch_facts(struct pdv_store_impl *s, int64_t lo, int64_t hi, struct pdv_batch_facts *ret,
                   struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_int(&p, lo);
	pp_int(&p, hi);
	if ((rc = exists(s, PDV_SQL_EVENTS_ANY_BETWEEN, &p, &ret->events, err)) < 0 ||
	    (rc = exists(s, PDV_SQL_DIRECTIVES_ANY, NULL, &ret->directives, err)) < 0)
		return rc;
	return exists(s, PDV_SQL_HOLDS_ANY_ACTIVE, NULL, &ret->holds, err);
}

int pg_records_of_activity(struct pdv_store_impl *s, const char *activity, int64_t after,
                           pdv_record_cb cb, void *ctx, struct pdv_error *err)
{
	struct record_iter it = {cb, ctx};
	struct pg_params p = {0};

	pp_text(&p, activity);
	pp_int(&p, after);
	return pg_each(s, PDV_SQL_RECORDS_OF_ACTIVITY, &p, record_row, &it, "reading records", err);
}

struct summary_iter {
	pdv_summary_row_cb cb;
	void *ctx;
};

static int summary_row(void *ctx, const PGresult *res, int i)
{
	struct summary_iter *it = ctx;

	return it->cb(it->ctx, pg_col_text(res, i, 0), pg_col_text(res, i, 1),
	              pg_col_int64(res, i, 2), pg_col_int64(res, i, 3));
}

int pg_records_summary(struct pdv_store_impl *s, int64_t from, int64_t to, pdv_summary_row_cb cb,
                       void *ctx, struct pdv_error *err)
{
	struct summary_iter it = {cb, ctx};
	struct pg_params p = {0};

	pp_int(&p, from);
	pp_int(&p, to);
	return pg_each(s, PDV_SQL_RECORDS_SUMMARY, &p, summary_row, &it, "counting records", err);
}

int pg_records_unbound(struct pdv_store_impl *s, int64_t after, pdv_record_cb cb, void *ctx,
                       struct pdv_error *err)
{
	struct record_iter it = {cb, ctx};
	struct pg_params p = {0};

	pp_int(&p, after);
	return pg_each(s, PDV_SQL_RECORDS_UNBOUND, &p, record_row, &it, "reading records", err);
}

int pg_record_bind(struct pdv_store_impl *s, int64_t id, const uint8_t binding[PDV_BINDING_LEN],
                   struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, id);
	pp_blob(&p, binding, PDV_BINDING_LEN);
	return pg_queue(s, PDV_SQL_RECORD_BIND, &p, "binding a record", err);
}

int pg_statistics_insert(struct pdv_store_impl *s, const char *activity, const char *month,
                         const uint8_t *fields, size_t len, struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_text(&p, activity);
	pp_text(&p, month);
	pp_blob(&p, fields ? (const void *)fields : "", len);
	return pg_queue(s, PDV_SQL_STATISTICS_INSERT, &p, "writing statistics", err);
}

struct statistics_iter {
	pdv_statistics_row_cb cb;
	void *ctx;
};

static int statistics_row(void *ctx, const PGresult *res, int i)
{
	struct statistics_iter *it = ctx;
	const uint8_t *fields;
	size_t len;

	fields = pg_col_blob(res, i, 2, &len);
	return it->cb(it->ctx, pg_col_text(res, i, 1), fields, len);
}

int pg_statistics_each(struct pdv_store_impl *s, const char *activity, pdv_statistics_row_cb cb,
                       void *ctx, struct pdv_error *err)
{
	struct statistics_iter it = {cb, ctx};
	struct pg_params p = {0};

	pp_text(&p, activity);
	return pg_each(s, PDV_SQL_STATISTICS_OF_ACTIVITY, &p, statistics_row, &it,
	               "reading statistics", err);
}

int pg_event_insert(struct pdv_store_impl *s, const struct pdv_event_row *row,
                    struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, row->record_id);
	pp_text(&p, row->name);
	pp_int(&p, row->at);
	pp_text(&p, row->actor);
	return pg_queue(s, PDV_SQL_EVENT_INSERT, &p, "inserting an event", err);
}

struct event_iter {
	pdv_event_cb cb;
	void *ctx;
};

static int event_row(void *ctx, const PGresult *res, int i)
{
	struct event_iter *it = ctx;
	struct pdv_event_row row = {
	    .record_id = pg_col_int64(res, i, 0),
	    .name = pg_col_text(res, i, 1),
	    .at = pg_col_int64(res, i, 2),
	    .actor = pg_col_text(res, i, 3),
	};

	return it->cb(it->ctx, &row);
}

int pg_events_of_record(struct pdv_store_impl *s, int64_t record_id, pdv_event_cb cb, void *ctx,
                        struct pdv_error *err)
{
	struct event_iter it = {cb, ctx};
	struct pg_params p = {0};

	pp_int(&p, record_id);
	return pg_each(s, PDV_SQL_EVENTS_OF_RECORD, &p, event_row, &it, "reading events", err);
}

int pg_consent_text_put(struct pdv_store_impl *s, const char *activity, const char *version,
                        const char *text, struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_text(&p, activity);
	pp_text(&p, version);
	pp_text(&p, text);
	return pg_queue(s, PDV_SQL_CONSENT_TEXT_PUT, &p, "writing a consent text", err);
}

int pg_consent_insert(struct pdv_store_impl *s, const struct pdv_consent_row *row,
                      struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, row->subject_id);
	pp_opt_int(&p, row->record_id);
	pp_text(&p, row->activity);
	pp_text(&p, row->state);
	pp_text(&p, row->version);
	pp_int(&p, row->at);
	pp_text(&p, row->channel);
	return pg_queue(s, PDV_SQL_CONSENT_INSERT, &p, "writing consent", err);
}

struct consent_iter {
	pdv_consent_cb cb;
	void *ctx;
};

static int consent_row(void *ctx, const PGresult *res, int i)
{
	struct consent_iter *it = ctx;
	struct pdv_consent_row row = {
	    .subject_id = pg_col_int64(res, i, 0),
	    .record_id = pg_col_int64(res, i, 1),
	    .activity = pg_col_text(res, i, 2),
	    .state = pg_col_text(res, i, 3),
	    .version = pg_col_text(res, i, 4),
	    .at = pg_col_int64(res, i, 5),
	    .channel = pg_col_text(res, i, 6),
	};

	return it->cb(it->ctx, &row);
}

int pg_consents_of_subject(struct pdv_store_impl *s, int64_t subject_id, pdv_consent_cb cb,
                           void *ctx, struct pdv_error *err)
{
	struct consent_iter it = {cb, ctx};
	struct pg_params p = {0};

	pp_int(&p, subject_id);
	return pg_each(s, PDV_SQL_CONSENTS_OF_SUBJECT, &p, consent_row, &it, "reading consents",
	               err);
}

int pg_erasure_insert(struct pdv_store_impl *s, int64_t seq, int64_t subject_id, int64_t record_id,
                      int64_t at, const char *reason, int64_t *ret_seq, struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_int(&p, subject_id);
	pp_opt_int(&p, record_id);
	pp_int(&p, at);
	pp_text(&p, reason);
	pp_opt_int(&p, seq);
	if ((rc = pg_one(s, PDV_SQL_ERASURE_INSERT, &p, "no erasure written",
	                 "writing the erasure journal", err)) < 0)
		return rc;
	*ret_seq = pg_col_int64(s->res, 0, 0);
	return 0;
}

struct erasure_iter {
	pdv_erasure_row_cb cb;
	void *ctx;
};

static int erasure_row(void *ctx, const PGresult *res, int i)
{
	struct erasure_iter *it = ctx;

	return it->cb(it->ctx, pg_col_int64(res, i, 0), pg_col_int64(res, i, 1),
	              pg_col_int64(res, i, 2), pg_col_int64(res, i, 3), pg_col_text(res, i, 4));
}

int pg_erasures_after(struct pdv_store_impl *s, int64_t after, pdv_erasure_row_cb cb, void *ctx,
                      struct pdv_error *err)
{
	struct erasure_iter it = {cb, ctx};
	struct pg_params p = {0};

	pp_int(&p, after);
	return pg_each(s, PDV_SQL_ERASURES_AFTER, &p, erasure_row, &it,
	               "reading the erasure journal", err);
}

int pg_erasures_max(struct pdv_store_impl *s, int64_t *ret, struct pdv_error *err)
{
	return pg_scalar(s, PDV_SQL_ERASURES_MAX, NULL, ret, "reading the erasure journal", err);
}
