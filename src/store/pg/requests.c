/*
 * requests.c — the PostgreSQL backend's registers beside the records: rights
 * requests and their identity documents, the identity checks of the public
 * intake, the breach register, the outbox, downloads and the API tokens
 * (the SQLite backend's requests.c, statement for statement). Rows numbered
 * by their insert take max(id) + 1 there, under the writer lock.
 */
#include <string.h>

#include "pg-internal.h"

/* the id an INSERT ... RETURNING id handed back */
static int returned_id(struct pdv_store_impl *s, int which, const struct pg_params *p, int64_t *ret,
                       const char *what, struct pdv_error *err)
{
	int rc = pg_one(s, which, p, "no row inserted", what, err);

	if (rc == 0)
		*ret = pg_col_int64(s->res, 0, 0);
	return rc;
}

int pg_request_insert(struct pdv_store_impl *s, struct pdv_request_row *row, struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_blob(&p, row->tag, PDV_TAG_LEN);
	pp_text(&p, row->kind);
	pp_opt_int(&p, row->subject_id);
	pp_text(&p, row->channel);
	pp_text(&p, row->received);
	pp_text(&p, row->due);
	pp_text(&p, row->reference);
	pp_blob(&p, row->address, row->address_len);
	pp_text(&p, row->lang);
	pp_blob(&p, row->rectification, row->rectification_len);
	return returned_id(s, PDV_SQL_REQUEST_INSERT, &p, &row->id, "opening a request", err);
}

static void request_from_row(const PGresult *res, int i, struct pdv_request_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = pg_col_int64(res, i, 0);
	pg_col_fixed(res, i, 1, r->tag, PDV_TAG_LEN);
	r->kind = pg_col_text(res, i, 2);
	r->subject_id = pg_col_int64(res, i, 3);
	r->status = pg_col_text(res, i, 4);
	r->channel = pg_col_text(res, i, 5);
	r->received = pg_col_text(res, i, 6);
	r->due = pg_col_text(res, i, 7);
	r->extended = pg_col_int64(res, i, 8) != 0;
	r->reference = pg_col_text(res, i, 9);
}

/* request_from_row, and the sealed columns of request_get and _by_reference */
static void request_from_full_row(const PGresult *res, int i, struct pdv_request_row *r)
{
	request_from_row(res, i, r);
	r->address = pg_col_blob(res, i, 10, &r->address_len);
	r->extension_reason = pg_col_blob(res, i, 11, &r->extension_reason_len);
	r->reason = pg_col_blob(res, i, 12, &r->reason_len);
	r->closed_at = pg_col_int64(res, i, 13);
	r->lang = pg_col_text(res, i, 14);
	r->rectification = pg_col_blob(res, i, 15, &r->rectification_len);
	r->extended_at = pg_col_int64(res, i, 16);
}

int pg_request_get(struct pdv_store_impl *s, int64_t id, struct pdv_request_row *ret,
                   struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_int(&p, id);
	if ((rc = pg_one(s, PDV_SQL_REQUEST_GET, &p, "no such request", "reading a request", err)) <
	    0)
		return rc;
	request_from_full_row(s->res, 0, ret); /* valid until the next call on the store */
	return 0;
}

int pg_request_by_reference(struct pdv_store_impl *s, const char *reference,
                            struct pdv_request_row *ret, struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_text(&p, reference);
	if ((rc = pg_one(s, PDV_SQL_REQUEST_BY_REFERENCE, &p, "no such request",
	                 "reading a request", err)) < 0)
		return rc;
	request_from_full_row(s->res, 0, ret);
	return 0;
}

int pg_request_extend(struct pdv_store_impl *s, int64_t id, const char *due, const uint8_t *reason,
                      size_t reason_len, int64_t at, struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, id);
	pp_text(&p, due);
	pp_blob(&p, reason, reason_len);
	pp_int(&p, at);
	return pg_done(s, PDV_SQL_REQUEST_EXTEND, &p, "extending a request", err);
}

int pg_request_update(struct pdv_store_impl *s, int64_t id, const char *status, const char *due,
                      bool extended, const uint8_t *reason, size_t reason_len, int64_t closed_at,
                      struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, id);
	pp_text(&p, status);
	pp_text(&p, due);
	pp_int(&p, extended);
	pp_blob(&p, reason, reason_len);
	pp_opt_int(&p, closed_at);
	return pg_done(s, PDV_SQL_REQUEST_UPDATE, &p, "updating a request", err);
}

int pg_request_set_id_document(struct pdv_store_impl *s, int64_t id, const uint8_t *doc, size_t len,
                               struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, id);
	pp_blob(&p, doc, len);
	return pg_done(s, PDV_SQL_REQUEST_SET_ID_DOCUMENT, &p, "storing an identity document", err);
}

struct id_document_iter {
	pdv_id_document_cb cb;
	void *ctx;
};

static int id_document_row(void *ctx, const PGresult *res, int i)
{
	struct id_document_iter *it = ctx;

	return it->cb(it->ctx, pg_col_int64(res, i, 0), pg_col_text(res, i, 1),
	              pg_col_text(res, i, 2), pg_col_int64(res, i, 3));
}

int pg_requests_with_id_document(struct pdv_store_impl *s, pdv_id_document_cb cb, void *ctx,
                                 struct pdv_error *err)
{
	struct id_document_iter it = {cb, ctx};

	return pg_each(s, PDV_SQL_REQUESTS_WITH_ID_DOCUMENT, NULL, id_document_row, &it,
	               "reading requests", err);
}

struct request_iter {
	pdv_request_row_cb cb;
	void *ctx;
};

static int request_row(void *ctx, const PGresult *res, int i)
{
	struct request_iter *it = ctx;
	struct pdv_request_row row;

	request_from_row(res, i, &row);
	return it->cb(it->ctx, &row);
}

int pg_requests_each(struct pdv_store_impl *s, pdv_request_row_cb cb, void *ctx,
                     struct pdv_error *err)
{
	struct request_iter it = {cb, ctx};

	return pg_each(s, PDV_SQL_REQUESTS_ALL, NULL, request_row, &it, "reading requests", err);
}

int pg_verification_insert(struct pdv_store_impl *s, struct pdv_verification_row *row,
                           struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_blob(&p, row->tag, PDV_TAG_LEN);
	pp_text(&p, row->purpose);
	pp_blob(&p, row->address ? row->address : (const uint8_t *)"", row->address_len);
	pp_blob(&p, row->code_hash, sizeof(row->code_hash));
	pp_int(&p, row->created_at);
	pp_int(&p, row->expires_at);
	pp_blob(&p, row->payload, row->payload_len);
	pp_text(&p, row->lang);
	return returned_id(s, PDV_SQL_VERIFICATION_INSERT, &p, &row->id,
	                   "storing an identity check", err);
}

int pg_verification_get(struct pdv_store_impl *s, int64_t id, struct pdv_verification_row *ret,
                        struct pdv_error *err)
{
	struct pg_params p = {0};
	const PGresult *res;
	int rc;

	pp_int(&p, id);
	if ((rc = pg_one(s, PDV_SQL_VERIFICATION_GET, &p, "no such identity check",
	                 "reading an identity check", err)) < 0)
		return rc;
	res = s->res;
	memset(ret, 0, sizeof(*ret));
	ret->id = pg_col_int64(res, 0, 0);
	pg_col_fixed(res, 0, 1, ret->tag, PDV_TAG_LEN);
	ret->purpose = pg_col_text(res, 0, 2);
	ret->address = pg_col_blob(res, 0, 3, &ret->address_len);
	pg_col_fixed(res, 0, 4, ret->code_hash, sizeof(ret->code_hash));
	ret->created_at = pg_col_int64(res, 0, 5);
	ret->expires_at = pg_col_int64(res, 0, 6);
	ret->attempts = (int)pg_col_int64(res, 0, 7);
	ret->used_at = pg_col_int64(res, 0, 8);
	ret->payload = pg_col_blob(res, 0, 9, &ret->payload_len);
	ret->lang = pg_col_text(res, 0, 10);
	return 0;
}

int pg_verification_update(struct pdv_store_impl *s, int64_t id, int attempts, int64_t used_at,
                           struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, id);
	pp_int(&p, attempts);
	pp_opt_int(&p, used_at);
	return pg_done(s, PDV_SQL_VERIFICATION_UPDATE, &p, "updating an identity check", err);
}

int pg_verifications_purge(struct pdv_store_impl *s, int64_t now, int64_t ttl,
                           struct pdv_error *err)
{
	struct pg_params p = {0}, codes = {0};
	int rc;

	pp_int(&p, now);
	if ((rc = pg_done(s, PDV_SQL_VERIFICATIONS_PURGE, &p, "deleting expired identity checks",
	                  err)) < 0)
		return rc;
	/* their messages (address and code, sealed) go with them */
	pp_int(&codes, now - ttl);
	if ((rc = pg_done(s, PDV_SQL_OUTBOX_CODES_PURGE, &codes,
	                  "deleting expired codes from the outbox", err)) < 0)
		return rc;
	/* and the answers' exports whose 7 days have run */
	return pg_done(s, PDV_SQL_DOWNLOADS_PURGE, &p, "destroying expired downloads", err);
}

int pg_download_put(struct pdv_store_impl *s, const struct pdv_download_row *row,
                    const uint8_t hash[32], struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, row->request_id);
	pp_blob(&p, hash, 32);
	pp_blob(&p, row->token, row->token_len);
	pp_blob(&p, row->export, row->export_len);
	pp_int(&p, row->created_at);
	pp_int(&p, row->expires_at);
	return pg_done(s, PDV_SQL_DOWNLOAD_INSERT, &p, "keeping a download", err);
}

static void download_from_row(const PGresult *res, int i, struct pdv_download_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = pg_col_int64(res, i, 0);
	r->request_id = pg_col_int64(res, i, 1);
	r->token = pg_col_blob(res, i, 2, &r->token_len);
	r->export = pg_col_blob(res, i, 3, &r->export_len);
	r->created_at = pg_col_int64(res, i, 4);
	r->expires_at = pg_col_int64(res, i, 5);
	r->used_at = pg_col_int64(res, i, 6);
	pg_col_fixed(res, i, 7, r->hash, sizeof(r->hash));
}

int pg_download_by_hash(struct pdv_store_impl *s, const uint8_t hash[32],
                        struct pdv_download_row *ret, struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_blob(&p, hash, 32);
	if ((rc = pg_one(s, PDV_SQL_DOWNLOAD_BY_HASH, &p, "no such download", "reading a download",
	                 err)) < 0)
		return rc;
	download_from_row(s->res, 0, ret);
	return 0;
}

int pg_download_of_request(struct pdv_store_impl *s, int64_t request_id,
                           struct pdv_download_row *ret, struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_int(&p, request_id);
	if ((rc = pg_one(s, PDV_SQL_DOWNLOAD_OF_REQUEST, &p, "no download", "reading a download",
	                 err)) < 0)
		return rc;
	download_from_row(s->res, 0, ret);
	return 0;
}

int pg_download_use(struct pdv_store_impl *s, int64_t id, int64_t at, struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_int(&p, id);
	pp_int(&p, at);
	if ((rc = pg_done(s, PDV_SQL_DOWNLOAD_USE, &p, "using a download", err)) < 0)
		return rc;
	if (pg_changes(s) == 0)
		return pdv_error_set(err, PDV_E_NOTFOUND, "the download was used already");
	return 0;
}

int pg_breach_insert(struct pdv_store_impl *s, struct pdv_breach_row *row, struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_blob(&p, row->tag, PDV_TAG_LEN);
	pp_int(&p, row->aware_at);
	pp_int(&p, row->authority_due);
	pp_blob(&p, row->summary ? row->summary : (const uint8_t *)"", row->summary_len);
	pp_text(&p, row->risk);
	pp_blob(&p, row->risk_reason, row->risk_reason_len);
	pp_int(&p, row->recorded_at);
	pp_opt_int(&p, row->assessed_at);
	return returned_id(s, PDV_SQL_BREACH_INSERT, &p, &row->id, "writing a breach", err);
}

/* a count, or -1 for NULL */
static int64_t count_or_none(const PGresult *res, int i, int col)
{
	return pg_null(res, i, col) ? -1 : pg_col_int64(res, i, col);
}

/* a count, or NULL for -1 */
static void pp_count(struct pg_params *p, int64_t n)
{
	if (n >= 0)
		pp_int(p, n);
	else
		pp_text(p, NULL);
}

static void breach_from_row(const PGresult *res, int i, struct pdv_breach_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = pg_col_int64(res, i, 0);
	pg_col_fixed(res, i, 1, r->tag, PDV_TAG_LEN);
	r->aware_at = pg_col_int64(res, i, 2);
	r->authority_due = pg_col_int64(res, i, 3);
	r->summary = pg_col_blob(res, i, 4, &r->summary_len);
	r->authority_notified = pg_col_int64(res, i, 5);
	r->subjects_notified = pg_col_int64(res, i, 6);
	r->risk = pg_col_text(res, i, 7);
	r->risk_reason = pg_col_blob(res, i, 8, &r->risk_reason_len);
	r->late_reason = pg_col_blob(res, i, 9, &r->late_reason_len);
	r->consequences = pg_col_blob(res, i, 10, &r->consequences_len);
	r->measures = pg_col_blob(res, i, 11, &r->measures_len);
	r->nature = pg_col_blob(res, i, 12, &r->nature_len);
	r->categories = pg_col_blob(res, i, 13, &r->categories_len);
	r->people_count = count_or_none(res, i, 14);
	r->records_count = count_or_none(res, i, 15);
	r->authority_reference = pg_col_blob(res, i, 16, &r->authority_reference_len);
	r->recorded_at = pg_col_int64(res, i, 17);
	r->assessed_at = pg_col_int64(res, i, 18);
	r->subjects_notices = count_or_none(res, i, 19);
	r->subjects_unreachable = count_or_none(res, i, 20);
}

int pg_breach_get(struct pdv_store_impl *s, int64_t id, struct pdv_breach_row *ret,
                  struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_int(&p, id);
	if ((rc = pg_one(s, PDV_SQL_BREACH_GET, &p, "no such breach", "reading a breach", err)) < 0)
		return rc;
	breach_from_row(s->res, 0, ret); /* valid until the next call on the store */
	return 0;
}

int pg_breach_notified(struct pdv_store_impl *s, const struct pdv_breach_row *row,
                       const char *which, struct pdv_error *err)
{
	bool authority = strcmp(which, "authority") == 0;
	struct pg_params p = {0};

	pp_int(&p, row->id);
	if (authority) {
		pp_int(&p, row->authority_notified);
		pp_blob(&p, row->late_reason, row->late_reason_len);
		pp_blob(&p, row->authority_reference, row->authority_reference_len);
	} else {
		pp_int(&p, row->subjects_notified);
		pp_count(&p, row->subjects_notices);
		pp_count(&p, row->subjects_unreachable);
	}
	return pg_done(
	    s, authority ? PDV_SQL_BREACH_AUTHORITY_NOTIFIED : PDV_SQL_BREACH_SUBJECTS_NOTIFIED, &p,
	    "writing a breach", err);
}

int pg_breach_assess(struct pdv_store_impl *s, int64_t id, const char *risk, const uint8_t *reason,
                     size_t reason_len, int64_t at, struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, id);
	pp_text(&p, risk);
	pp_blob(&p, reason, reason_len);
	pp_int(&p, at);
	return pg_done(s, PDV_SQL_BREACH_ASSESS, &p, "writing a breach", err);
}

int pg_breach_describe(struct pdv_store_impl *s, const struct pdv_breach_row *row,
                       struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, row->id);
	pp_blob(&p, row->consequences, row->consequences_len);
	pp_blob(&p, row->measures, row->measures_len);
	pp_blob(&p, row->nature, row->nature_len);
	pp_blob(&p, row->categories, row->categories_len);
	pp_count(&p, row->people_count);
	pp_count(&p, row->records_count);
	return pg_done(s, PDV_SQL_BREACH_DESCRIBE, &p, "writing a breach", err);
}

struct breach_iter {
	pdv_breach_row_cb cb;
	void *ctx;
};

static int breach_row(void *ctx, const PGresult *res, int i)
{
	struct breach_iter *it = ctx;
	struct pdv_breach_row row;

	breach_from_row(res, i, &row);
	return it->cb(it->ctx, &row);
}

int pg_breaches_each(struct pdv_store_impl *s, pdv_breach_row_cb cb, void *ctx,
                     struct pdv_error *err)
{
	struct breach_iter it = {cb, ctx};

	return pg_each(s, PDV_SQL_BREACHES_ALL, NULL, breach_row, &it, "reading breaches", err);
}

int pg_outbox_insert(struct pdv_store_impl *s, const char *kind, const char *recipient,
                     int64_t subject_id, int64_t record_id, const uint8_t *payload, size_t len,
                     int64_t at, const char *lang, struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_text(&p, kind);
	pp_text(&p, recipient);
	pp_opt_int(&p, subject_id);
	pp_opt_int(&p, record_id);
	pp_blob(&p, payload, len);
	pp_int(&p, at);
	pp_text(&p, lang);
	/* its id, for outbox_link_last */
	return returned_id(s, PDV_SQL_OUTBOX_INSERT, &p, &s->last_outbox_id, "queueing a message",
	                   err);
}

int pg_renewal_insert(struct pdv_store_impl *s, int64_t record_id, const uint8_t hash[32],
                      int64_t created_at, int64_t expires_at, struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, record_id);
	pp_blob(&p, hash, 32);
	pp_int(&p, created_at);
	pp_int(&p, expires_at);
	return pg_done(s, PDV_SQL_RENEWAL_INSERT, &p, "keeping a renewal link", err);
}

int pg_renewal_by_hash(struct pdv_store_impl *s, const uint8_t hash[32],
                       struct pdv_renewal_row *ret, struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_blob(&p, hash, 32);
	if ((rc = pg_one(s, PDV_SQL_RENEWAL_BY_HASH, &p, "no such renewal link",
	                 "reading a renewal link", err)) < 0)
		return rc;
	memset(ret, 0, sizeof(*ret));
	ret->id = pg_col_int64(s->res, 0, 0);
	ret->record_id = pg_col_int64(s->res, 0, 1);
	ret->created_at = pg_col_int64(s->res, 0, 2);
	ret->expires_at = pg_col_int64(s->res, 0, 3);
	ret->used_at = pg_col_int64(s->res, 0, 4);
	return 0;
}

int pg_renewal_use(struct pdv_store_impl *s, int64_t id, int64_t at, struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_int(&p, id);
	pp_int(&p, at);
	if ((rc = pg_done(s, PDV_SQL_RENEWAL_USE, &p, "using a renewal link", err)) < 0)
		return rc;
	if (pg_changes(s) == 0)
		return pdv_error_set(err, PDV_E_NOTFOUND, "the renewal link was used already");
	return 0;
}

/* the columns outbox_get and outbox_claim return, in their order */
static void outbox_from_row(const PGresult *res, int i, struct pdv_outbox_row *ret)
{
	memset(ret, 0, sizeof(*ret));
	ret->id = pg_col_int64(res, i, 0);
	ret->kind = pg_col_text(res, i, 1);
	ret->recipient = pg_col_text(res, i, 2);
	ret->subject_id = pg_col_int64(res, i, 3);
	ret->record_id = pg_col_int64(res, i, 4);
	ret->payload = pg_col_blob(res, i, 5, &ret->payload_len);
	ret->created_at = pg_col_int64(res, i, 6);
	ret->sent_at = pg_col_int64(res, i, 7);
	ret->message_id = pg_col_text(res, i, 8);
	ret->status = pg_col_text(res, i, 9);
	ret->attempts = (int)pg_col_int64(res, i, 10);
	ret->next_at = pg_col_int64(res, i, 11);
	ret->last_error = pg_col_text(res, i, 12);
	ret->lang = pg_col_text(res, i, 13);
}

int pg_outbox_get(struct pdv_store_impl *s, int64_t id, struct pdv_outbox_row *ret,
                  struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_int(&p, id);
	if ((rc = pg_one(s, PDV_SQL_OUTBOX_GET, &p, "no such outbox message", "reading the outbox",
	                 err)) < 0)
		return rc;
	outbox_from_row(s->res, 0, ret);
	return 0;
}

/* the row stays in the handle's result until the next call, as store.h says */
int pg_outbox_claim(struct pdv_store_impl *s, const char *owner, int64_t lease_until, int64_t now,
                    bool email, struct pdv_outbox_row *ret, struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_text(&p, owner);
	pp_int(&p, lease_until);
	pp_int(&p, now);
	pp_int(&p, email);
	if ((rc = pg_run(s, PDV_SQL_OUTBOX_CLAIM, &p, "claiming a message", err)) < 0)
		return rc;
	if (PQntuples(s->res) == 0)
		return 0;
	outbox_from_row(s->res, 0, ret);
	return 1;
}

/* an update of the message still leased to owner: PDV_E_NOTFOUND when the
 * lease was lost (expired and claimed by another worker) */
static int outbox_leased_done(struct pdv_store_impl *s, int which, const struct pg_params *p,
                              int64_t id, struct pdv_error *err)
{
	int rc = pg_done(s, which, p, "recording a delivery", err);

	if (rc == 0 && pg_changes(s) == 0)
		rc = pdv_error_set(err, PDV_E_NOTFOUND,
		                   "outbox message %lld is no longer leased to this worker",
		                   (long long)id);
	return rc;
}

int pg_outbox_sent(struct pdv_store_impl *s, int64_t id, const char *owner, int64_t at,
                   struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, id);
	pp_int(&p, at);
	pp_text(&p, owner);
	return outbox_leased_done(s, PDV_SQL_OUTBOX_SENT, &p, id, err);
}

int pg_outbox_unsent(struct pdv_store_impl *s, int64_t id, const char *owner, const char *status,
                     int64_t next_at, const char *last_error, struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, id);
	pp_text(&p, status);
	pp_int(&p, next_at);
	pp_text(&p, last_error);
	pp_text(&p, owner);
	return outbox_leased_done(s, PDV_SQL_OUTBOX_UNSENT, &p, id, err);
}

int pg_outbox_release(struct pdv_store_impl *s, int64_t id, const char *owner,
                      struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, id);
	pp_text(&p, owner);
	return outbox_leased_done(s, PDV_SQL_OUTBOX_RELEASE, &p, id, err);
}

int pg_outbox_relay_back(struct pdv_store_impl *s, int64_t now, int64_t *ret, struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_int(&p, now);
	if ((rc = pg_done(s, PDV_SQL_OUTBOX_RELAY_BACK, &p, "making the relay's messages due",
	                  err)) == 0)
		*ret = pg_changes(s);
	return rc;
}

int pg_outbox_retry(struct pdv_store_impl *s, int64_t id, int64_t next_at, struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_int(&p, id);
	pp_int(&p, next_at);
	if ((rc = pg_done(s, PDV_SQL_OUTBOX_RETRY, &p, "requeueing a message", err)) < 0)
		return rc;
	if (pg_changes(s) == 0)
		return pdv_error_set(err, PDV_E_NOTFOUND,
		                     "outbox message %lld is not a failed message", (long long)id);
	return 0;
}

int pg_recipient_secret_put(struct pdv_store_impl *s, const char *recipient, const uint8_t *sealed,
                            size_t len, int64_t at, struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_text(&p, recipient);
	pp_blob(&p, sealed, len);
	pp_int(&p, at);
	return pg_done(s, PDV_SQL_RECIPIENT_SECRET_PUT, &p, "storing a recipient's secret", err);
}

int pg_recipient_secret_get(struct pdv_store_impl *s, const char *recipient,
                            const uint8_t **ret_sealed, size_t *ret_len, struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_text(&p, recipient);
	if ((rc = pg_one(s, PDV_SQL_RECIPIENT_SECRET_GET, &p, "the recipient has no secret yet",
	                 "reading a recipient's secret", err)) < 0)
		return rc;
	*ret_sealed = pg_col_blob(s->res, 0, 0, ret_len);
	return 0;
}

struct outbox_iter {
	pdv_outbox_row_cb cb;
	void *ctx;
};

static int outbox_row(void *ctx, const PGresult *res, int i)
{
	struct outbox_iter *it = ctx;
	struct pdv_outbox_row row = {0};
	uint8_t tag[PDV_TAG_LEN];

	row.id = pg_col_int64(res, i, 0);
	row.kind = pg_col_text(res, i, 1);
	row.recipient = pg_col_text(res, i, 2);
	row.subject_id = pg_col_int64(res, i, 3);
	row.record_id = pg_col_int64(res, i, 4);
	row.created_at = pg_col_int64(res, i, 5);
	row.sent_at = pg_col_int64(res, i, 6);
	if (!pg_null(res, i, 7)) {
		pg_col_fixed(res, i, 7, tag, PDV_TAG_LEN);
		row.record_tag = tag;
	}
	row.message_id = pg_col_text(res, i, 8);
	row.status = pg_col_text(res, i, 9);
	row.attempts = (int)pg_col_int64(res, i, 10);
	row.next_at = pg_col_int64(res, i, 11);
	row.last_error = pg_col_text(res, i, 12);
	row.lang = pg_col_text(res, i, 13);
	return it->cb(it->ctx, &row);
}

int pg_outbox_each(struct pdv_store_impl *s, pdv_outbox_row_cb cb, void *ctx, struct pdv_error *err)
{
	struct outbox_iter it = {cb, ctx};

	return pg_each(s, PDV_SQL_OUTBOX_ALL, NULL, outbox_row, &it, "reading the outbox", err);
}

/* 1 when queued, 0 when a message of that key was queued already */
int pg_outbox_insert_once(struct pdv_store_impl *s, const char *kind, const char *key,
                          const uint8_t *payload, size_t len, int64_t at, struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_text(&p, kind);
	pp_text(&p, key);
	pp_blob(&p, payload, len);
	pp_int(&p, at);
	if ((rc = pg_run(s, PDV_SQL_OUTBOX_INSERT_ONCE, &p, "queueing a message", err)) < 0)
		return rc;
	if (PQntuples(s->res) == 0) /* ON CONFLICT DO NOTHING: queued already */
		return 0;
	s->last_outbox_id = pg_col_int64(s->res, 0, 0);
	return 1;
}

int pg_outbox_once_exists(struct pdv_store_impl *s, const char *key, bool *ret,
                          struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_text(&p, key);
	if ((rc = pg_run(s, PDV_SQL_OUTBOX_ONCE_EXISTS, &p, "reading the outbox", err)) < 0)
		return rc;
	*ret = PQntuples(s->res) > 0;
	return 0;
}

int pg_outbox_max_id(struct pdv_store_impl *s, int64_t *ret, struct pdv_error *err)
{
	return pg_scalar(s, PDV_SQL_OUTBOX_MAX_ID, NULL, ret, "reading the outbox", err);
}

int pg_outbox_link_request(struct pdv_store_impl *s, int64_t request_id, int64_t after_id,
                           struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, request_id);
	pp_int(&p, after_id);
	return pg_done(s, PDV_SQL_OUTBOX_LINK_REQUEST, &p, "linking notices to their request", err);
}

/* the message outbox_insert queued last on this handle: SQLite's
 * last_insert_rowid(), which PostgreSQL has no equivalent of */
int pg_outbox_link_last(struct pdv_store_impl *s, int64_t request_id, struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, request_id);
	pp_int(&p, s->last_outbox_id);
	return pg_done(s, PDV_SQL_OUTBOX_LINK_LAST, &p, "linking a message to its request", err);
}

static int request_notice_row(void *ctx, const PGresult *res, int i)
{
	struct outbox_iter *it = ctx;
	struct pdv_outbox_row row = {0};

	row.id = pg_col_int64(res, i, 0);
	row.kind = pg_col_text(res, i, 1);
	row.recipient = pg_col_text(res, i, 2);
	row.created_at = pg_col_int64(res, i, 3);
	row.sent_at = pg_col_int64(res, i, 4);
	row.message_id = pg_col_text(res, i, 5);
	row.status = pg_col_text(res, i, 6);
	row.attempts = (int)pg_col_int64(res, i, 7);
	row.next_at = pg_col_int64(res, i, 8);
	row.last_error = pg_col_text(res, i, 9);
	return it->cb(it->ctx, &row);
}

int pg_outbox_of_request(struct pdv_store_impl *s, int64_t request_id, pdv_outbox_row_cb cb,
                         void *ctx, struct pdv_error *err)
{
	struct outbox_iter it = {cb, ctx};
	struct pg_params p = {0};

	pp_int(&p, request_id);
	return pg_each(s, PDV_SQL_OUTBOX_OF_REQUEST, &p, request_notice_row, &it,
	               "reading a request's notices", err);
}

int pg_request_note_insert(struct pdv_store_impl *s, int64_t request_id, int64_t at,
                           const char *author, const uint8_t *note, size_t len, int64_t *ret_id,
                           struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, request_id);
	pp_int(&p, at);
	pp_text(&p, author);
	pp_blob(&p, note, len);
	return returned_id(s, PDV_SQL_REQUEST_NOTE_INSERT, &p, ret_id, "writing a request's note",
	                   err);
}

struct note_iter {
	pdv_request_note_cb cb;
	void *ctx;
};

static int note_row(void *ctx, const PGresult *res, int i)
{
	struct note_iter *it = ctx;
	struct pdv_request_note_row row = {0};

	row.id = pg_col_int64(res, i, 0);
	row.created_at = pg_col_int64(res, i, 1);
	row.author = pg_col_text(res, i, 2);
	row.note = pg_col_blob(res, i, 3, &row.note_len);
	return it->cb(it->ctx, &row);
}

int pg_request_notes_of(struct pdv_store_impl *s, int64_t request_id, pdv_request_note_cb cb,
                        void *ctx, struct pdv_error *err)
{
	struct note_iter it = {cb, ctx};
	struct pg_params p = {0};

	pp_int(&p, request_id);
	return pg_each(s, PDV_SQL_REQUEST_NOTES_OF, &p, note_row, &it, "reading a request's notes",
	               err);
}

int pg_requests_open_of_subject(struct pdv_store_impl *s, int64_t subject_id, int64_t *ret,
                                struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, subject_id);
	return pg_scalar(s, PDV_SQL_REQUESTS_OPEN_OF_SUBJECT, &p, ret, "reading requests", err);
}

int pg_token_insert(struct pdv_store_impl *s, const struct pdv_token_row *row,
                    struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	s->token_cached = false; /* read again after this write */
	pp_text(&p, row->name);
	pp_blob(&p, row->hash, 32);
	pp_text(&p, row->role);
	pp_int(&p, row->created_at);
	pp_opt_int(&p, row->expires_at);
	pp_text(&p, row->scope ? row->scope : "all");
	if ((rc = pg_done(s, PDV_SQL_TOKEN_INSERT, &p, "writing a token", err)) < 0)
		return rc;
	if (pg_changes(s) == 0) /* ON CONFLICT DO NOTHING: the name was taken */
		return pdv_error_set(err, PDV_E_REFUSED, "a token named '%s' already exists",
		                     row->name);
	return 0;
}

int pg_token_revoke(struct pdv_store_impl *s, const char *name, int64_t at, struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	s->token_cached = false; /* read again after this write */
	pp_text(&p, name);
	pp_int(&p, at);
	if ((rc = pg_done(s, PDV_SQL_TOKEN_REVOKE, &p, "revoking a token", err)) < 0)
		return rc;
	if (pg_changes(s) == 0)
		return pdv_error_set(err, PDV_E_NOTFOUND, "no active token named '%s'", name);
	return 0;
}

static void token_from_row(const PGresult *res, int i, struct pdv_token_row *r)
{
	memset(r, 0, sizeof(*r));
	r->name = pg_col_text(res, i, 0);
	pg_col_fixed(res, i, 1, r->hash, 32);
	r->role = pg_col_text(res, i, 2);
	r->created_at = pg_col_int64(res, i, 3);
	r->expires_at = pg_col_int64(res, i, 4);
	r->revoked_at = pg_col_int64(res, i, 5);
	r->scope = pg_col_text(res, i, 6);
	r->used_at = pg_col_int64(res, i, 7);
}

int pg_token_by_hash(struct pdv_store_impl *s, const uint8_t hash[32], struct pdv_token_row *ret,
                     struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	if (s->in_tx && s->token_cached && memcmp(s->token_hash, hash, 32) == 0) {
		token_from_row(s->kept[PDV_SQL_TOKEN_BY_HASH], 0, ret);
		return 0;
	}
	s->token_cached = false;
	pp_blob(&p, hash, 32);
	if ((rc = pg_one(s, PDV_SQL_TOKEN_BY_HASH, &p, "unknown token", "reading a token", err)) <
	    0)
		return rc;
	token_from_row(s->res, 0, ret);
	if (s->in_tx) {
		memcpy(s->token_hash, hash, 32);
		s->token_cached = true;
	}
	return 0;
}

struct token_iter {
	pdv_token_row_cb cb;
	void *ctx;
};

static int token_row(void *ctx, const PGresult *res, int i)
{
	struct token_iter *it = ctx;
	struct pdv_token_row row;

	token_from_row(res, i, &row);
	return it->cb(it->ctx, &row);
}

int pg_tokens_each(struct pdv_store_impl *s, pdv_token_row_cb cb, void *ctx, struct pdv_error *err)
{
	struct token_iter it = {cb, ctx};

	return pg_each(s, PDV_SQL_TOKENS_ALL, NULL, token_row, &it, "reading tokens", err);
}

int pg_token_used(struct pdv_store_impl *s, const char *name, int64_t at, struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_text(&p, name);
	pp_int(&p, at);
	return pg_done(s, PDV_SQL_TOKEN_USED, &p, "writing when a token was used", err);
}

/* --- deletion certificates and their signing keys --- */

int pg_signing_key_insert(struct pdv_store_impl *s, const char *key_id, const uint8_t *public_key,
                          size_t public_key_len, const uint8_t *secret, size_t secret_len,
                          int64_t at, struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_text(&p, key_id);
	pp_blob(&p, public_key, public_key_len);
	pp_blob(&p, secret, secret_len);
	pp_int(&p, at);
	return pg_done(s, PDV_SQL_SIGNING_KEY_INSERT, &p, "writing a signing key", err);
}

int pg_signing_key_retire(struct pdv_store_impl *s, int64_t at, struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, at);
	return pg_done(s, PDV_SQL_SIGNING_KEY_RETIRE, &p, "retiring a signing key", err);
}

struct signing_iter {
	pdv_signing_key_cb cb;
	void *ctx;
};

static int signing_row(void *ctx, const PGresult *res, int i)
{
	struct signing_iter *it = ctx;
	struct pdv_signing_key_row row = {0};

	row.id = pg_col_int64(res, i, 0);
	row.key_id = pg_col_text(res, i, 1);
	row.public_key = pg_col_blob(res, i, 2, &row.public_key_len);
	row.secret = pg_col_blob(res, i, 3, &row.secret_len);
	row.created_at = pg_col_int64(res, i, 4);
	row.retired_at = pg_col_int64(res, i, 5);
	return it->cb(it->ctx, &row);
}

int pg_signing_keys_each(struct pdv_store_impl *s, pdv_signing_key_cb cb, void *ctx,
                         struct pdv_error *err)
{
	struct signing_iter it = {cb, ctx};

	return pg_each(s, PDV_SQL_SIGNING_KEYS_EACH, NULL, signing_row, &it, "reading signing keys",
	               err);
}

int pg_signing_key_secret_set(struct pdv_store_impl *s, int64_t id, const uint8_t *secret,
                              size_t len, struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, id);
	pp_blob(&p, secret, len);
	return pg_done(s, PDV_SQL_SIGNING_KEY_SECRET_SET, &p, "writing a signing key", err);
}

int pg_certificate_insert(struct pdv_store_impl *s, struct pdv_certificate_row *row,
                          struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_blob(&p, row->tag, PDV_TAG_LEN);
	pp_opt_int(&p, row->request_id);
	pp_text(&p, row->kind);
	pp_blob(&p, row->body, row->body_len);
	pp_int(&p, row->created_at);
	return returned_id(s, PDV_SQL_CERTIFICATE_INSERT, &p, &row->id, "writing a certificate",
	                   err);
}

int pg_certificate_body_set(struct pdv_store_impl *s, int64_t id, const uint8_t *body, size_t len,
                            struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, id);
	pp_blob(&p, body, len);
	return pg_done(s, PDV_SQL_CERTIFICATE_BODY_SET, &p, "writing a certificate", err);
}

static int certificate_one(struct pdv_store_impl *s, int which, const struct pg_params *p,
                           struct pdv_certificate_row *ret, struct pdv_error *err)
{
	int rc;

	if ((rc = pg_one(s, which, p, "no such certificate", "reading a certificate", err)) < 0)
		return rc;
	memset(ret, 0, sizeof(*ret));
	ret->id = pg_col_int64(s->res, 0, 0);
	pg_col_fixed(s->res, 0, 1, ret->tag, PDV_TAG_LEN);
	ret->request_id = pg_col_int64(s->res, 0, 2);
	ret->kind = pg_col_text(s->res, 0, 3);
	ret->body = pg_col_blob(s->res, 0, 4, &ret->body_len);
	ret->created_at = pg_col_int64(s->res, 0, 5);
	return 0;
}

int pg_certificate_get(struct pdv_store_impl *s, int64_t id, struct pdv_certificate_row *ret,
                       struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, id);
	return certificate_one(s, PDV_SQL_CERTIFICATE_GET, &p, ret, err);
}

int pg_certificate_of_request(struct pdv_store_impl *s, int64_t request_id,
                              struct pdv_certificate_row *ret, struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, request_id);
	return certificate_one(s, PDV_SQL_CERTIFICATE_OF_REQUEST, &p, ret, err);
}
