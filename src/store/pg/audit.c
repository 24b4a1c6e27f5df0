/*
 * audit.c — the PostgreSQL backend's audit log: rows appended with the seq
 * and hash the engine computed, read back in seq order. The head the engine
 * chains from is read inside the write transaction, under the writer lock,
 * so two servers never append after the same head (store-pg.md).
 */
#include <string.h>

#include "pg-internal.h"

int pg_audit_append(struct pdv_store_impl *s, const struct pdv_audit_row *row,
                    struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, row->at);
	pp_text(&p, row->actor);
	pp_text(&p, row->action);
	pp_text(&p, row->subject);
	pp_text(&p, row->record);
	pp_text(&p, row->activity);
	pp_text(&p, row->purpose);
	pp_text(&p, row->detail);
	pp_blob(&p, row->hash, 32);
	pp_int(&p, row->seq);
	s->head_cached = false; /* read again after this append */
	return pg_queue(s, PDV_SQL_AUDIT_APPEND, &p, "appending to the audit log", err);
}

int pg_audit_last(struct pdv_store_impl *s, int64_t *ret_seq, uint8_t ret_hash[32],
                  struct pdv_error *err)
{
	int rc;

	if (s->in_tx && s->head_cached) { /* read with the writer lock */
		*ret_seq = s->head_seq;
		memcpy(ret_hash, s->head_hash, 32);
		return 0;
	}
	rc = pg_run(s, PDV_SQL_AUDIT_LAST, NULL, "reading the audit log", err);
	*ret_seq = 0;
	memset(ret_hash, 0, 32);
	if (rc < 0 || PQntuples(s->res) == 0)
		return rc;
	*ret_seq = pg_col_int64(s->res, 0, 0);
	pg_col_fixed(s->res, 0, 1, ret_hash, 32);
	return 0;
}

struct audit_iter {
	pdv_audit_cb cb;
	void *ctx;
};

static int audit_row(void *ctx, const PGresult *res, int i)
{
	struct audit_iter *it = ctx;
	struct pdv_audit_row row = {
	    .seq = pg_col_int64(res, i, 0),
	    .at = pg_col_int64(res, i, 1),
	    .actor = pg_col_text(res, i, 2),
	    .action = pg_col_text(res, i, 3),
	    .subject = pg_col_text(res, i, 4),
	    .record = pg_col_text(res, i, 5),
	    .activity = pg_col_text(res, i, 6),
	    .purpose = pg_col_text(res, i, 7),
	    .detail = pg_col_text(res, i, 8),
	};

	pg_col_fixed(res, i, 9, row.hash, 32);
	return it->cb(it->ctx, &row);
}

int pg_audit_each(struct pdv_store_impl *s, const char *subject, pdv_audit_cb cb, void *ctx,
                  struct pdv_error *err)
{
	struct audit_iter it = {cb, ctx};
	struct pg_params p = {0};

	if (subject)
		pp_text(&p, subject);
	return pg_each(s, subject ? PDV_SQL_AUDIT_SUBJECT : PDV_SQL_AUDIT_ALL, &p, audit_row, &it,
	               "reading the audit log", err);
}

int pg_audit_from(struct pdv_store_impl *s, int64_t from, pdv_audit_cb cb, void *ctx,
                  struct pdv_error *err)
{
	struct audit_iter it = {cb, ctx};
	struct pg_params p = {0};

	pp_int(&p, from);
	return pg_each(s, PDV_SQL_AUDIT_FROM, &p, audit_row, &it, "reading the audit log", err);
}
