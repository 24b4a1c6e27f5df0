/*
 * requests.c — the SQLite backend's registers beside the records: rights
 * requests and their identity documents, the identity checks of the public
 * intake, the breach register, the outbox and the API tokens.
 */
#include <stdlib.h>
#include <string.h>

#include "sqlite-internal.h"

int sqlite_request_insert(struct pdv_store_impl *s, struct pdv_request_row *row,
                          struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_REQUEST_INSERT);
	int rc;

	sqlite3_bind_blob(st, 1, row->tag, PDV_TAG_LEN, SQLITE_STATIC);
	sq_bind_text(st, 2, row->kind);
	sq_bind_opt_int(st, 3, row->subject_id);
	sq_bind_text(st, 4, row->channel);
	sq_bind_text(st, 5, row->received);
	sq_bind_text(st, 6, row->due);
	sq_bind_text(st, 7, row->reference);
	sq_bind_blob(st, 8, row->address, row->address_len);
	sq_bind_text(st, 9, row->lang);
	sq_bind_blob(st, 10, row->rectification, row->rectification_len);
	if ((rc = sq_done(s, st, err, "opening a request")) < 0)
		return rc;
	row->id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static void request_from_row(sqlite3_stmt *st, struct pdv_request_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	sq_col_fixed(st, 1, r->tag, PDV_TAG_LEN);
	r->kind = sq_col_text(st, 2);
	r->subject_id = sqlite3_column_int64(st, 3);
	r->status = sq_col_text(st, 4);
	r->channel = sq_col_text(st, 5);
	r->received = sq_col_text(st, 6);
	r->due = sq_col_text(st, 7);
	r->extended = sqlite3_column_int(st, 8) != 0;
	r->reference = sq_col_text(st, 9);
}

/* request_from_row, and the sealed columns of request_get and _by_reference */
static void request_from_full_row(sqlite3_stmt *st, struct pdv_request_row *r)
{
	request_from_row(st, r);
	r->address = sqlite3_column_blob(st, 10);
	r->address_len = (size_t)sqlite3_column_bytes(st, 10);
	r->extension_reason = sqlite3_column_blob(st, 11);
	r->extension_reason_len = (size_t)sqlite3_column_bytes(st, 11);
	r->reason = sqlite3_column_blob(st, 12);
	r->reason_len = (size_t)sqlite3_column_bytes(st, 12);
	r->closed_at = sqlite3_column_int64(st, 13);
	r->lang = sq_col_text(st, 14);
	r->rectification = sqlite3_column_blob(st, 15);
	r->rectification_len = (size_t)sqlite3_column_bytes(st, 15);
	r->extended_at = sqlite3_column_int64(st, 16);
}

int sqlite_request_get(struct pdv_store_impl *s, int64_t id, struct pdv_request_row *ret,
                       struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_REQUEST_GET);
	int rc;

	sqlite3_bind_int64(st, 1, id);
	if ((rc = sq_one(s, st, "no such request", "reading a request", err)) < 0)
		return rc;
	request_from_full_row(st, ret); /* valid until the next call on the store */
	return 0;
}

int sqlite_request_by_reference(struct pdv_store_impl *s, const char *reference,
                                struct pdv_request_row *ret, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_REQUEST_BY_REFERENCE);
	int rc;

	sq_bind_text(st, 1, reference);
	if ((rc = sq_one(s, st, "no such request", "reading a request", err)) < 0)
		return rc;
	request_from_full_row(st, ret);
	return 0;
}

int sqlite_request_extend(struct pdv_store_impl *s, int64_t id, const char *due,
                          const uint8_t *reason, size_t reason_len, int64_t at,
                          struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_REQUEST_EXTEND);

	sqlite3_bind_int64(st, 1, id);
	sq_bind_text(st, 2, due);
	sq_bind_blob(st, 3, reason, reason_len);
	sqlite3_bind_int64(st, 4, at);
	return sq_done(s, st, err, "extending a request");
}

int sqlite_request_update(struct pdv_store_impl *s, int64_t id, const char *status, const char *due,
                          bool extended, const uint8_t *reason, size_t reason_len,
                          int64_t closed_at, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_REQUEST_UPDATE);

	sqlite3_bind_int64(st, 1, id);
	sq_bind_text(st, 2, status);
	sq_bind_text(st, 3, due);
	sqlite3_bind_int(st, 4, extended);
	sq_bind_blob(st, 5, reason, reason_len);
	sq_bind_opt_int(st, 6, closed_at);
	return sq_done(s, st, err, "updating a request");
}

int sqlite_request_set_id_document(struct pdv_store_impl *s, int64_t id, const uint8_t *doc,
                                   size_t len, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_REQUEST_SET_ID_DOCUMENT);

	sqlite3_bind_int64(st, 1, id);
	sq_bind_blob(st, 2, doc, len);
	return sq_done(s, st, err, "storing an identity document");
}

struct id_document_iter {
	pdv_id_document_cb cb;
	void *ctx;
};

static int id_document_row(void *ctx, sqlite3_stmt *st)
{
	struct id_document_iter *it = ctx;

	return it->cb(it->ctx, sqlite3_column_int64(st, 0), sq_col_text(st, 1), sq_col_text(st, 2),
	              sqlite3_column_int64(st, 3));
}

int sqlite_requests_with_id_document(struct pdv_store_impl *s, pdv_id_document_cb cb, void *ctx,
                                     struct pdv_error *err)
{
	struct id_document_iter it = {cb, ctx};

	return sq_each(s, sq_stmt(s, PDV_SQL_REQUESTS_WITH_ID_DOCUMENT), id_document_row, &it,
	               "reading requests", err);
}

struct request_iter {
	pdv_request_row_cb cb;
	void *ctx;
};

static int request_row(void *ctx, sqlite3_stmt *st)
{
	struct request_iter *it = ctx;
	struct pdv_request_row row;

	request_from_row(st, &row);
	return it->cb(it->ctx, &row);
}

int sqlite_requests_each(struct pdv_store_impl *s, pdv_request_row_cb cb, void *ctx,
                         struct pdv_error *err)
{
	struct request_iter it = {cb, ctx};

	return sq_each(s, sq_stmt(s, PDV_SQL_REQUESTS_ALL), request_row, &it, "reading requests",
	               err);
}

int sqlite_verification_insert(struct pdv_store_impl *s, struct pdv_verification_row *row,
                               struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_VERIFICATION_INSERT);
	int rc;

	sqlite3_bind_blob(st, 1, row->tag, PDV_TAG_LEN, SQLITE_STATIC);
	sq_bind_text(st, 2, row->purpose);
	sqlite3_bind_blob64(st, 3, row->address, row->address_len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, row->code_hash, sizeof(row->code_hash), SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, row->created_at);
	sqlite3_bind_int64(st, 6, row->expires_at);
	sq_bind_blob(st, 7, row->payload, row->payload_len);
	sq_bind_text(st, 8, row->lang);
	if ((rc = sq_done(s, st, err, "storing an identity check")) < 0)
		return rc;
	row->id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int sqlite_verification_get(struct pdv_store_impl *s, int64_t id, struct pdv_verification_row *ret,
                            struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_VERIFICATION_GET);
	int rc;

	sqlite3_bind_int64(st, 1, id);
	if ((rc = sq_one(s, st, "no such identity check", "reading an identity check", err)) < 0)
		return rc;
	memset(ret, 0, sizeof(*ret));
	ret->id = sqlite3_column_int64(st, 0);
	sq_col_fixed(st, 1, ret->tag, PDV_TAG_LEN);
	ret->purpose = sq_col_text(st, 2);
	ret->address = sqlite3_column_blob(st, 3);
	ret->address_len = (size_t)sqlite3_column_bytes(st, 3);
	sq_col_fixed(st, 4, ret->code_hash, sizeof(ret->code_hash));
	ret->created_at = sqlite3_column_int64(st, 5);
	ret->expires_at = sqlite3_column_int64(st, 6);
	ret->attempts = sqlite3_column_int(st, 7);
	ret->used_at = sqlite3_column_int64(st, 8);
	ret->payload = sqlite3_column_blob(st, 9);
	ret->payload_len = (size_t)sqlite3_column_bytes(st, 9);
	ret->lang = sq_col_text(st, 10);
	/* the row stays readable until the next call on this statement */
	return 0;
}

int sqlite_verification_update(struct pdv_store_impl *s, int64_t id, int attempts, int64_t used_at,
                               struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_VERIFICATION_UPDATE);

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, attempts);
	sq_bind_opt_int(st, 3, used_at);
	return sq_done(s, st, err, "updating an identity check");
}

int sqlite_verifications_purge(struct pdv_store_impl *s, int64_t now, int64_t ttl,
                               struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_VERIFICATIONS_PURGE);
	int rc;

	sqlite3_bind_int64(st, 1, now);
	if ((rc = sq_done(s, st, err, "deleting expired identity checks")) < 0)
		return rc;
	/* their messages (address and code, sealed) go with them */
	st = sq_stmt(s, PDV_SQL_OUTBOX_CODES_PURGE);
	sqlite3_bind_int64(st, 1, now - ttl);
	if ((rc = sq_done(s, st, err, "deleting expired codes from the outbox")) < 0)
		return rc;
	/* and the answers' exports whose 7 days have run */
	st = sq_stmt(s, PDV_SQL_DOWNLOADS_PURGE);
	sqlite3_bind_int64(st, 1, now);
	return sq_done(s, st, err, "destroying expired downloads");
}

int sqlite_download_put(struct pdv_store_impl *s, const struct pdv_download_row *row,
                        const uint8_t hash[32], struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_DOWNLOAD_INSERT);

	sqlite3_bind_int64(st, 1, row->request_id);
	sqlite3_bind_blob(st, 2, hash, 32, SQLITE_STATIC);
	sq_bind_blob(st, 3, row->token, row->token_len);
	sq_bind_blob(st, 4, row->export, row->export_len);
	sqlite3_bind_int64(st, 5, row->created_at);
	sqlite3_bind_int64(st, 6, row->expires_at);
	return sq_done(s, st, err, "keeping a download");
}

static void download_from_row(sqlite3_stmt *st, struct pdv_download_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	r->request_id = sqlite3_column_int64(st, 1);
	r->token = sqlite3_column_blob(st, 2);
	r->token_len = (size_t)sqlite3_column_bytes(st, 2);
	r->export = sqlite3_column_blob(st, 3);
	r->export_len = (size_t)sqlite3_column_bytes(st, 3);
	r->created_at = sqlite3_column_int64(st, 4);
	r->expires_at = sqlite3_column_int64(st, 5);
	r->used_at = sqlite3_column_int64(st, 6);
	sq_col_fixed(st, 7, r->hash, sizeof(r->hash));
}

int sqlite_download_by_hash(struct pdv_store_impl *s, const uint8_t hash[32],
                            struct pdv_download_row *ret, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_DOWNLOAD_BY_HASH);
	int rc;

	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	if ((rc = sq_one(s, st, "no such download", "reading a download", err)) < 0)
		return rc;
	download_from_row(st, ret);
	return 0;
}

int sqlite_download_of_request(struct pdv_store_impl *s, int64_t request_id,
                               struct pdv_download_row *ret, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_DOWNLOAD_OF_REQUEST);
	int rc;

	sqlite3_bind_int64(st, 1, request_id);
	if ((rc = sq_one(s, st, "no download", "reading a download", err)) < 0)
		return rc;
	download_from_row(st, ret);
	return 0;
}

int sqlite_download_use(struct pdv_store_impl *s, int64_t id, int64_t at, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_DOWNLOAD_USE);
	int rc;

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, at);
	if ((rc = sq_done(s, st, err, "using a download")) < 0)
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return pdv_error_set(err, PDV_E_NOTFOUND, "the download was used already");
	return 0;
}

int sqlite_breach_insert(struct pdv_store_impl *s, struct pdv_breach_row *row,
                         struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_BREACH_INSERT);
	int rc;

	sqlite3_bind_blob(st, 1, row->tag, PDV_TAG_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, row->aware_at);
	sqlite3_bind_int64(st, 3, row->authority_due);
	sqlite3_bind_blob64(st, 4, row->summary, row->summary_len, SQLITE_STATIC);
	sq_bind_text(st, 5, row->risk);
	sq_bind_blob(st, 6, row->risk_reason, row->risk_reason_len);
	sqlite3_bind_int64(st, 7, row->recorded_at);
	if (row->assessed_at)
		sqlite3_bind_int64(st, 8, row->assessed_at);
	if ((rc = sq_done(s, st, err, "writing a breach")) < 0)
		return rc;
	row->id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

/* a count, or -1 for NULL */
static int64_t count_or_none(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, col);
}

/* a count, or NULL for -1 */
static void bind_count(sqlite3_stmt *st, int i, int64_t n)
{
	if (n >= 0)
		sqlite3_bind_int64(st, i, n);
}

static void breach_from_row(sqlite3_stmt *st, struct pdv_breach_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	sq_col_fixed(st, 1, r->tag, PDV_TAG_LEN);
	r->aware_at = sqlite3_column_int64(st, 2);
	r->authority_due = sqlite3_column_int64(st, 3);
	r->summary = sqlite3_column_blob(st, 4);
	r->summary_len = (size_t)sqlite3_column_bytes(st, 4);
	r->authority_notified = sqlite3_column_int64(st, 5);
	r->subjects_notified = sqlite3_column_int64(st, 6);
	r->risk = sq_col_text(st, 7);
	r->risk_reason = sqlite3_column_blob(st, 8);
	r->risk_reason_len = (size_t)sqlite3_column_bytes(st, 8);
	r->late_reason = sqlite3_column_blob(st, 9);
	r->late_reason_len = (size_t)sqlite3_column_bytes(st, 9);
	r->consequences = sqlite3_column_blob(st, 10);
	r->consequences_len = (size_t)sqlite3_column_bytes(st, 10);
	r->measures = sqlite3_column_blob(st, 11);
	r->measures_len = (size_t)sqlite3_column_bytes(st, 11);
	r->nature = sqlite3_column_blob(st, 12);
	r->nature_len = (size_t)sqlite3_column_bytes(st, 12);
	r->categories = sqlite3_column_blob(st, 13);
	r->categories_len = (size_t)sqlite3_column_bytes(st, 13);
	r->people_count = count_or_none(st, 14);
	r->records_count = count_or_none(st, 15);
	r->authority_reference = sqlite3_column_blob(st, 16);
	r->authority_reference_len = (size_t)sqlite3_column_bytes(st, 16);
	r->recorded_at = sqlite3_column_int64(st, 17);
	r->assessed_at = sqlite3_column_int64(st, 18);
	r->subjects_notices = count_or_none(st, 19);
	r->subjects_unreachable = count_or_none(st, 20);
}

int sqlite_breach_get(struct pdv_store_impl *s, int64_t id, struct pdv_breach_row *ret,
                      struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_BREACH_GET);
	int rc;

	sqlite3_bind_int64(st, 1, id);
	if ((rc = sq_one(s, st, "no such breach", "reading a breach", err)) < 0)
		return rc;
	breach_from_row(st, ret); /* valid until the next call on the store */
	return 0;
}

int sqlite_breach_notified(struct pdv_store_impl *s, const struct pdv_breach_row *row,
                           const char *which, struct pdv_error *err)
{
	bool authority = strcmp(which, "authority") == 0;
	sqlite3_stmt *st = sq_stmt(s, authority ? PDV_SQL_BREACH_AUTHORITY_NOTIFIED
	                                        : PDV_SQL_BREACH_SUBJECTS_NOTIFIED);

	sqlite3_bind_int64(st, 1, row->id);
	if (authority) {
		sqlite3_bind_int64(st, 2, row->authority_notified);
		sq_bind_blob(st, 3, row->late_reason, row->late_reason_len);
		sq_bind_blob(st, 4, row->authority_reference, row->authority_reference_len);
	} else {
		sqlite3_bind_int64(st, 2, row->subjects_notified);
		bind_count(st, 3, row->subjects_notices);
		bind_count(st, 4, row->subjects_unreachable);
	}
	return sq_done(s, st, err, "writing a breach");
}

int sqlite_breach_assess(struct pdv_store_impl *s, int64_t id, const char *risk,
                         const uint8_t *reason, size_t reason_len, int64_t at,
                         struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_BREACH_ASSESS);

	sqlite3_bind_int64(st, 1, id);
	sq_bind_text(st, 2, risk);
	sq_bind_blob(st, 3, reason, reason_len);
	sqlite3_bind_int64(st, 4, at);
	return sq_done(s, st, err, "writing a breach");
}

struct breach_iter {
	pdv_breach_row_cb cb;
	void *ctx;
};

static int breach_row(void *ctx, sqlite3_stmt *st)
{
	struct breach_iter *it = ctx;
	struct pdv_breach_row row;

	breach_from_row(st, &row);
	return it->cb(it->ctx, &row);
}

int sqlite_breaches_each(struct pdv_store_impl *s, pdv_breach_row_cb cb, void *ctx,
                         struct pdv_error *err)
{
	struct breach_iter it = {cb, ctx};

	return sq_each(s, sq_stmt(s, PDV_SQL_BREACHES_ALL), breach_row, &it, "reading breaches",
	               err);
}

int sqlite_outbox_insert(struct pdv_store_impl *s, const char *kind, const char *recipient,
                         int64_t subject_id, int64_t record_id, const uint8_t *payload, size_t len,
                         int64_t at, const char *lang, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_OUTBOX_INSERT);

	sq_bind_text(st, 1, kind);
	sq_bind_text(st, 2, recipient);
	sq_bind_opt_int(st, 3, subject_id);
	sq_bind_opt_int(st, 4, record_id);
	sq_bind_blob(st, 5, payload, len);
	sqlite3_bind_int64(st, 6, at);
	sq_bind_text(st, 7, lang);
	return sq_done(s, st, err, "queueing a message");
}

int sqlite_renewal_insert(struct pdv_store_impl *s, int64_t record_id, const uint8_t hash[32],
                          int64_t created_at, int64_t expires_at, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_RENEWAL_INSERT);

	sqlite3_bind_int64(st, 1, record_id);
	sqlite3_bind_blob(st, 2, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, created_at);
	sqlite3_bind_int64(st, 4, expires_at);
	return sq_done(s, st, err, "keeping a renewal link");
}

int sqlite_renewal_by_hash(struct pdv_store_impl *s, const uint8_t hash[32],
                           struct pdv_renewal_row *ret, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_RENEWAL_BY_HASH);
	int rc;

	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	if ((rc = sq_one(s, st, "no such renewal link", "reading a renewal link", err)) < 0)
		return rc;
	memset(ret, 0, sizeof(*ret));
	ret->id = sqlite3_column_int64(st, 0);
	ret->record_id = sqlite3_column_int64(st, 1);
	ret->created_at = sqlite3_column_int64(st, 2);
	ret->expires_at = sqlite3_column_int64(st, 3);
	ret->used_at = sqlite3_column_int64(st, 4);
	return 0;
}

int sqlite_renewal_use(struct pdv_store_impl *s, int64_t id, int64_t at, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_RENEWAL_USE);
	int rc;

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, at);
	if ((rc = sq_done(s, st, err, "using a renewal link")) < 0)
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return pdv_error_set(err, PDV_E_NOTFOUND, "the renewal link was used already");
	return 0;
}

int sqlite_breach_describe(struct pdv_store_impl *s, const struct pdv_breach_row *row,
                           struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_BREACH_DESCRIBE);

	sqlite3_bind_int64(st, 1, row->id);
	sq_bind_blob(st, 2, row->consequences, row->consequences_len);
	sq_bind_blob(st, 3, row->measures, row->measures_len);
	sq_bind_blob(st, 4, row->nature, row->nature_len);
	sq_bind_blob(st, 5, row->categories, row->categories_len);
	bind_count(st, 6, row->people_count);
	bind_count(st, 7, row->records_count);
	return sq_done(s, st, err, "writing a breach");
}

/* the columns outbox_get and outbox_claim return, in their order */
static void outbox_from_row(sqlite3_stmt *st, struct pdv_outbox_row *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->id = sqlite3_column_int64(st, 0);
	ret->kind = sq_col_text(st, 1);
	ret->recipient = sq_col_text(st, 2);
	ret->subject_id = sqlite3_column_int64(st, 3);
	ret->record_id = sqlite3_column_int64(st, 4);
	ret->payload = sqlite3_column_blob(st, 5);
	ret->payload_len = (size_t)sqlite3_column_bytes(st, 5);
	ret->created_at = sqlite3_column_int64(st, 6);
	ret->sent_at = sqlite3_column_int64(st, 7);
	ret->message_id = sq_col_text(st, 8);
	ret->status = sq_col_text(st, 9);
	ret->attempts = sqlite3_column_int(st, 10);
	ret->next_at = sqlite3_column_int64(st, 11);
	ret->last_error = sq_col_text(st, 12);
	ret->lang = sq_col_text(st, 13);
}

int sqlite_outbox_get(struct pdv_store_impl *s, int64_t id, struct pdv_outbox_row *ret,
                      struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_OUTBOX_GET);
	int rc;

	sqlite3_bind_int64(st, 1, id);
	if ((rc = sq_one(s, st, "no such outbox message", "reading the outbox", err)) < 0)
		return rc;
	outbox_from_row(st, ret);
	return 0;
}

/* the claimed row's text and payload, copied into s->claimed */
static int claimed_copy(struct pdv_store_impl *s, struct pdv_outbox_row *r)
{
	const char **texts[] = {&r->kind,   &r->recipient,  &r->message_id,
	                        &r->status, &r->last_error, &r->lang};
	size_t n = r->payload_len, at = 0;
	uint8_t *buf;

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		n += *texts[i] ? strlen(*texts[i]) + 1 : 0;
	if (!(buf = malloc(n ? n : 1)))
		return PDV_E_NOMEM;
	free(s->claimed);
	s->claimed = buf;
	if (r->payload) {
		memcpy(buf, r->payload, r->payload_len);
		r->payload = buf;
		at = r->payload_len;
	}
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		size_t len;

		if (!*texts[i])
			continue;
		len = strlen(*texts[i]) + 1;
		memcpy(buf + at, *texts[i], len);
		*texts[i] = (const char *)buf + at;
		at += len;
	}
	return 0;
}

int sqlite_outbox_claim(struct pdv_store_impl *s, const char *owner, int64_t lease_until,
                        int64_t now, bool email, struct pdv_outbox_row *ret, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_OUTBOX_CLAIM);
	int rc;

	sq_bind_text(st, 1, owner);
	sqlite3_bind_int64(st, 2, lease_until);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_int(st, 4, email);
	/* RETURNING: the update is made by the first step; the row stays
	 * readable until the next call resets the statement */
	if ((rc = sq_one(s, st, "nothing due", "claiming a message", err)) < 0) {
		if (rc != PDV_E_NOTFOUND)
			return rc;
		pdv_error_clear(err);
		return 0;
	}
	outbox_from_row(st, ret);
	rc = claimed_copy(s, ret);
	sqlite3_reset(st); /* a statement in progress would stop the commit */
	return rc < 0 ? pdv_error_set(err, rc, "out of memory") : 1;
}

/* an update of the message still leased to owner: PDV_E_NOTFOUND when the
 * lease was lost (expired and claimed by another worker) */
static int outbox_leased_done(struct pdv_store_impl *s, sqlite3_stmt *st, int64_t id,
                              struct pdv_error *err)
{
	int rc = sq_done(s, st, err, "recording a delivery");

	if (rc == 0 && sqlite3_changes(s->db) == 0)
		rc = pdv_error_set(err, PDV_E_NOTFOUND,
		                   "outbox message %lld is no longer leased to this worker",
		                   (long long)id);
	return rc;
}

int sqlite_outbox_sent(struct pdv_store_impl *s, int64_t id, const char *owner, int64_t at,
                       struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_OUTBOX_SENT);

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, at);
	sq_bind_text(st, 3, owner);
	return outbox_leased_done(s, st, id, err);
}

int sqlite_outbox_unsent(struct pdv_store_impl *s, int64_t id, const char *owner,
                         const char *status, int64_t next_at, const char *last_error,
                         struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_OUTBOX_UNSENT);

	sqlite3_bind_int64(st, 1, id);
	sq_bind_text(st, 2, status);
	sqlite3_bind_int64(st, 3, next_at);
	sq_bind_text(st, 4, last_error);
	sq_bind_text(st, 5, owner);
	return outbox_leased_done(s, st, id, err);
}

int sqlite_outbox_release(struct pdv_store_impl *s, int64_t id, const char *owner,
                          struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_OUTBOX_RELEASE);

	sqlite3_bind_int64(st, 1, id);
	sq_bind_text(st, 2, owner);
	return outbox_leased_done(s, st, id, err);
}

int sqlite_outbox_relay_back(struct pdv_store_impl *s, int64_t now, int64_t *ret,
                             struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_OUTBOX_RELAY_BACK);
	int rc;

	sqlite3_bind_int64(st, 1, now);
	if ((rc = sq_done(s, st, err, "making the relay's messages due")) == 0)
		*ret = sqlite3_changes(s->db);
	return rc;
}

int sqlite_outbox_retry(struct pdv_store_impl *s, int64_t id, int64_t next_at,
                        struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_OUTBOX_RETRY);
	int rc;

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, next_at);
	if ((rc = sq_done(s, st, err, "requeueing a message")) < 0)
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return pdv_error_set(err, PDV_E_NOTFOUND,
		                     "outbox message %lld is not a failed message", (long long)id);
	return 0;
}

int sqlite_recipient_secret_put(struct pdv_store_impl *s, const char *recipient,
                                const uint8_t *sealed, size_t len, int64_t at,
                                struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_RECIPIENT_SECRET_PUT);

	sq_bind_text(st, 1, recipient);
	sq_bind_blob(st, 2, sealed, len);
	sqlite3_bind_int64(st, 3, at);
	return sq_done(s, st, err, "storing a recipient's secret");
}

int sqlite_recipient_secret_get(struct pdv_store_impl *s, const char *recipient,
                                const uint8_t **ret_sealed, size_t *ret_len, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_RECIPIENT_SECRET_GET);
	int rc;

	sq_bind_text(st, 1, recipient);
	if ((rc = sq_one(s, st, "the recipient has no secret yet", "reading a recipient's secret",
	                 err)) < 0)
		return rc;
	*ret_sealed = sqlite3_column_blob(st, 0);
	*ret_len = (size_t)sqlite3_column_bytes(st, 0);
	return 0;
}

struct outbox_iter {
	pdv_outbox_row_cb cb;
	void *ctx;
};

static int outbox_row(void *ctx, sqlite3_stmt *st)
{
	struct outbox_iter *it = ctx;
	struct pdv_outbox_row row = {0};
	uint8_t tag[PDV_TAG_LEN];

	row.id = sqlite3_column_int64(st, 0);
	row.kind = sq_col_text(st, 1);
	row.recipient = sq_col_text(st, 2);
	row.subject_id = sqlite3_column_int64(st, 3);
	row.record_id = sqlite3_column_int64(st, 4);
	row.created_at = sqlite3_column_int64(st, 5);
	row.sent_at = sqlite3_column_int64(st, 6);
	if (sqlite3_column_type(st, 7) != SQLITE_NULL) {
		sq_col_fixed(st, 7, tag, PDV_TAG_LEN);
		row.record_tag = tag;
	}
	row.message_id = sq_col_text(st, 8);
	row.status = sq_col_text(st, 9);
	row.attempts = sqlite3_column_int(st, 10);
	row.next_at = sqlite3_column_int64(st, 11);
	row.last_error = sq_col_text(st, 12);
	row.lang = sq_col_text(st, 13);
	return it->cb(it->ctx, &row);
}

int sqlite_outbox_each(struct pdv_store_impl *s, pdv_outbox_row_cb cb, void *ctx,
                       struct pdv_error *err)
{
	struct outbox_iter it = {cb, ctx};

	return sq_each(s, sq_stmt(s, PDV_SQL_OUTBOX_ALL), outbox_row, &it, "reading the outbox",
	               err);
}

int sqlite_outbox_insert_once(struct pdv_store_impl *s, const char *kind, const char *key,
                              const uint8_t *payload, size_t len, int64_t at, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_OUTBOX_INSERT_ONCE);
	int rc;

	sq_bind_text(st, 1, kind);
	sq_bind_text(st, 2, key);
	sq_bind_blob(st, 3, payload, len);
	sqlite3_bind_int64(st, 4, at);
	if ((rc = sq_done(s, st, err, "queueing a message")) < 0)
		return rc;
	return sqlite3_changes(s->db) > 0 ? 1 : 0;
}

int sqlite_outbox_once_exists(struct pdv_store_impl *s, const char *key, bool *ret,
                              struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_OUTBOX_ONCE_EXISTS);
	int rc;

	sq_bind_text(st, 1, key);
	rc = sq_one(s, st, "not queued", "reading the outbox", err);
	sqlite3_reset(st);
	*ret = rc == 0;
	if (rc == PDV_E_NOTFOUND) {
		pdv_error_clear(err);
		rc = 0;
	}
	return rc;
}

int sqlite_outbox_max_id(struct pdv_store_impl *s, int64_t *ret, struct pdv_error *err)
{
	return sq_int64(s, sq_stmt(s, PDV_SQL_OUTBOX_MAX_ID), ret, "reading the outbox", err);
}

int sqlite_outbox_link_request(struct pdv_store_impl *s, int64_t request_id, int64_t after_id,
                               struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_OUTBOX_LINK_REQUEST);

	sqlite3_bind_int64(st, 1, request_id);
	sqlite3_bind_int64(st, 2, after_id);
	return sq_done(s, st, err, "linking notices to their request");
}

static int request_notice_row(void *ctx, sqlite3_stmt *st)
{
	struct outbox_iter *it = ctx;
	struct pdv_outbox_row row = {0};

	row.id = sqlite3_column_int64(st, 0);
	row.kind = sq_col_text(st, 1);
	row.recipient = sq_col_text(st, 2);
	row.created_at = sqlite3_column_int64(st, 3);
	row.sent_at = sqlite3_column_int64(st, 4);
	row.message_id = sq_col_text(st, 5);
	row.status = sq_col_text(st, 6);
	row.attempts = sqlite3_column_int(st, 7);
	row.next_at = sqlite3_column_int64(st, 8);
	row.last_error = sq_col_text(st, 9);
	return it->cb(it->ctx, &row);
}

int sqlite_outbox_of_request(struct pdv_store_impl *s, int64_t request_id, pdv_outbox_row_cb cb,
                             void *ctx, struct pdv_error *err)
{
	struct outbox_iter it = {cb, ctx};
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_OUTBOX_OF_REQUEST);

	sqlite3_bind_int64(st, 1, request_id);
	return sq_each(s, st, request_notice_row, &it, "reading a request's notices", err);
}

int sqlite_token_insert(struct pdv_store_impl *s, const struct pdv_token_row *row,
                        struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_TOKEN_INSERT);
	int rc;

	sq_bind_text(st, 1, row->name);
	sqlite3_bind_blob(st, 2, row->hash, 32, SQLITE_STATIC);
	sq_bind_text(st, 3, row->role);
	sqlite3_bind_int64(st, 4, row->created_at);
	sq_bind_opt_int(st, 5, row->expires_at);
	sq_bind_text(st, 6, row->scope ? row->scope : "all");
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return pdv_error_set(err, PDV_E_REFUSED, "a token named '%s' already exists",
		                     row->name);
	if (rc != SQLITE_DONE)
		return sq_error(s, err, "writing a token");
	return 0;
}

int sqlite_token_revoke(struct pdv_store_impl *s, const char *name, int64_t at,
                        struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_TOKEN_REVOKE);
	int rc;

	sq_bind_text(st, 1, name);
	sqlite3_bind_int64(st, 2, at);
	if ((rc = sq_done(s, st, err, "revoking a token")) < 0)
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return pdv_error_set(err, PDV_E_NOTFOUND, "no active token named '%s'", name);
	return 0;
}

static void token_from_row(sqlite3_stmt *st, struct pdv_token_row *r)
{
	memset(r, 0, sizeof(*r));
	r->name = sq_col_text(st, 0);
	sq_col_fixed(st, 1, r->hash, 32);
	r->role = sq_col_text(st, 2);
	r->created_at = sqlite3_column_int64(st, 3);
	r->expires_at = sqlite3_column_int64(st, 4);
	r->revoked_at = sqlite3_column_int64(st, 5);
	r->scope = sq_col_text(st, 6);
	r->used_at = sqlite3_column_int64(st, 7);
}

int sqlite_token_by_hash(struct pdv_store_impl *s, const uint8_t hash[32],
                         struct pdv_token_row *ret, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_TOKEN_BY_HASH);
	int rc;

	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	if ((rc = sq_one(s, st, "unknown token", "reading a token", err)) < 0)
		return rc;
	token_from_row(st, ret);
	return 0;
}

struct token_iter {
	pdv_token_row_cb cb;
	void *ctx;
};

static int token_row(void *ctx, sqlite3_stmt *st)
{
	struct token_iter *it = ctx;
	struct pdv_token_row row;

	token_from_row(st, &row);
	return it->cb(it->ctx, &row);
}

int sqlite_tokens_each(struct pdv_store_impl *s, pdv_token_row_cb cb, void *ctx,
                       struct pdv_error *err)
{
	struct token_iter it = {cb, ctx};

	return sq_each(s, sq_stmt(s, PDV_SQL_TOKENS_ALL), token_row, &it, "reading tokens", err);
}

int sqlite_outbox_link_last(struct pdv_store_impl *s, int64_t request_id, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_OUTBOX_LINK_LAST);

	sqlite3_bind_int64(st, 1, request_id);
	return sq_done(s, st, err, "linking a message to its request");
}

int sqlite_request_note_insert(struct pdv_store_impl *s, int64_t request_id, int64_t at,
                               const char *author, const uint8_t *note, size_t len, int64_t *ret_id,
                               struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_REQUEST_NOTE_INSERT);
	int rc;

	sqlite3_bind_int64(st, 1, request_id);
	sqlite3_bind_int64(st, 2, at);
	sq_bind_text(st, 3, author);
	sq_bind_blob(st, 4, note, len);
	if ((rc = sq_done(s, st, err, "writing a request's note")) < 0)
		return rc;
	*ret_id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

struct note_iter {
	pdv_request_note_cb cb;
	void *ctx;
};

static int note_row(void *ctx, sqlite3_stmt *st)
{
	struct note_iter *it = ctx;
	struct pdv_request_note_row row = {0};

	row.id = sqlite3_column_int64(st, 0);
	row.created_at = sqlite3_column_int64(st, 1);
	row.author = sq_col_text(st, 2);
	row.note = sqlite3_column_blob(st, 3);
	row.note_len = (size_t)sqlite3_column_bytes(st, 3);
	return it->cb(it->ctx, &row);
}

int sqlite_request_notes_of(struct pdv_store_impl *s, int64_t request_id, pdv_request_note_cb cb,
                            void *ctx, struct pdv_error *err)
{
	struct note_iter it = {cb, ctx};
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_REQUEST_NOTES_OF);

	sqlite3_bind_int64(st, 1, request_id);
	return sq_each(s, st, note_row, &it, "reading a request's notes", err);
}

int sqlite_requests_open_of_subject(struct pdv_store_impl *s, int64_t subject_id, int64_t *ret,
                                    struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_REQUESTS_OPEN_OF_SUBJECT);

	sqlite3_bind_int64(st, 1, subject_id);
	return sq_int64(s, st, ret, "counting", err);
}

int sqlite_token_used(struct pdv_store_impl *s, const char *name, int64_t at, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_TOKEN_USED);

	sq_bind_text(st, 1, name);
	sqlite3_bind_int64(st, 2, at);
	return sq_done(s, st, err, "writing when a token was used");
}

/* --- deletion certificates and their signing keys (0016) --- */

int sqlite_signing_key_insert(struct pdv_store_impl *s, const char *key_id,
                              const uint8_t *public_key, size_t public_key_len,
                              const uint8_t *secret, size_t secret_len, int64_t at,
                              struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_SIGNING_KEY_INSERT);

	sq_bind_text(st, 1, key_id);
	sq_bind_blob(st, 2, public_key, public_key_len);
	sq_bind_blob(st, 3, secret, secret_len);
	sqlite3_bind_int64(st, 4, at);
	return sq_done(s, st, err, "writing a signing key");
}

int sqlite_signing_key_retire(struct pdv_store_impl *s, int64_t at, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_SIGNING_KEY_RETIRE);

	sqlite3_bind_int64(st, 1, at);
	return sq_done(s, st, err, "retiring a signing key");
}

struct signing_iter {
	pdv_signing_key_cb cb;
	void *ctx;
};

static int signing_row(void *ctx, sqlite3_stmt *st)
{
	struct signing_iter *it = ctx;
	struct pdv_signing_key_row row = {0};

	row.id = sqlite3_column_int64(st, 0);
	row.key_id = sq_col_text(st, 1);
	row.public_key = sqlite3_column_blob(st, 2);
	row.public_key_len = (size_t)sqlite3_column_bytes(st, 2);
	row.secret = sqlite3_column_blob(st, 3);
	row.secret_len = (size_t)sqlite3_column_bytes(st, 3);
	row.created_at = sqlite3_column_int64(st, 4);
	row.retired_at = sqlite3_column_int64(st, 5);
	return it->cb(it->ctx, &row);
}

int sqlite_signing_keys_each(struct pdv_store_impl *s, pdv_signing_key_cb cb, void *ctx,
                             struct pdv_error *err)
{
	struct signing_iter it = {cb, ctx};

	return sq_each(s, sq_stmt(s, PDV_SQL_SIGNING_KEYS_EACH), signing_row, &it,
	               "reading signing keys", err);
}

int sqlite_signing_key_secret_set(struct pdv_store_impl *s, int64_t id, const uint8_t *secret,
                                  size_t len, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_SIGNING_KEY_SECRET_SET);

	sqlite3_bind_int64(st, 1, id);
	sq_bind_blob(st, 2, secret, len);
	return sq_done(s, st, err, "writing a signing key");
}

int sqlite_certificate_insert(struct pdv_store_impl *s, struct pdv_certificate_row *row,
                              struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_CERTIFICATE_INSERT);
	int rc;

	sq_bind_blob(st, 1, row->tag, PDV_TAG_LEN);
	sq_bind_opt_int(st, 2, row->request_id);
	sq_bind_text(st, 3, row->kind);
	sq_bind_blob(st, 4, row->body, row->body_len);
	sqlite3_bind_int64(st, 5, row->created_at);
	if ((rc = sq_done(s, st, err, "writing a certificate")) < 0)
		return rc;
	row->id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int sqlite_certificate_body_set(struct pdv_store_impl *s, int64_t id, const uint8_t *body,
                                size_t len, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_CERTIFICATE_BODY_SET);

	sqlite3_bind_int64(st, 1, id);
	sq_bind_blob(st, 2, body, len);
	return sq_done(s, st, err, "writing a certificate");
}

static int certificate_one(struct pdv_store_impl *s, sqlite3_stmt *st,
                           struct pdv_certificate_row *ret, struct pdv_error *err)
{
	int rc;

	if ((rc = sq_one(s, st, "no such certificate", "reading a certificate", err)) < 0)
		return rc;
	memset(ret, 0, sizeof(*ret));
	ret->id = sqlite3_column_int64(st, 0);
	sq_col_fixed(st, 1, ret->tag, PDV_TAG_LEN);
	ret->request_id = sqlite3_column_int64(st, 2);
	ret->kind = sq_col_text(st, 3);
	ret->body = sqlite3_column_blob(st, 4);
	ret->body_len = (size_t)sqlite3_column_bytes(st, 4);
	ret->created_at = sqlite3_column_int64(st, 5);
	return 0;
}

int sqlite_certificate_get(struct pdv_store_impl *s, int64_t id, struct pdv_certificate_row *ret,
                           struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_CERTIFICATE_GET);

	sqlite3_bind_int64(st, 1, id);
	return certificate_one(s, st, ret, err);
}

int sqlite_certificate_of_request(struct pdv_store_impl *s, int64_t request_id,
                                  struct pdv_certificate_row *ret, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_CERTIFICATE_OF_REQUEST);

	sqlite3_bind_int64(st, 1, request_id);
	return certificate_one(s, st, ret, err);
}
