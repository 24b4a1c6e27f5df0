/*
 * audit.c — the SQLite backend's audit log: rows appended with the seq and
 * hash the engine computed (the store checks neither: the engine's chain
 * and witness do), read back in seq order.
 */
#include <string.h>

#include "sqlite-internal.h"

int sqlite_audit_append(struct pdv_store_impl *s, const struct pdv_audit_row *row,
                        struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_AUDIT_APPEND);

	sqlite3_bind_int64(st, 1, row->at);
	sq_bind_text(st, 2, row->actor);
	sq_bind_text(st, 3, row->action);
	sq_bind_text(st, 4, row->subject);
	sq_bind_text(st, 5, row->record);
	sq_bind_text(st, 6, row->activity);
	sq_bind_text(st, 7, row->purpose);
	sq_bind_text(st, 8, row->detail);
	sqlite3_bind_blob(st, 9, row->hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, row->seq);
	return sq_done(s, st, err, "appending to the audit log");
}

int sqlite_audit_last(struct pdv_store_impl *s, int64_t *ret_seq, uint8_t ret_hash[32],
                      struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_AUDIT_LAST);
	int rc = sq_one(s, st, "the audit log is empty", "reading the audit log", err);

	*ret_seq = 0;
	memset(ret_hash, 0, 32);
	if (rc == PDV_E_NOTFOUND) {
		pdv_error_clear(err);
		return 0;
	}
	if (rc < 0)
		return rc;
	*ret_seq = sqlite3_column_int64(st, 0);
	sq_col_fixed(st, 1, ret_hash, 32);
	sqlite3_reset(st);
	return 0;
}

struct audit_iter {
	pdv_audit_cb cb;
	void *ctx;
};

static int audit_row(void *ctx, sqlite3_stmt *st)
{
	struct audit_iter *it = ctx;
	struct pdv_audit_row row = {
	    .seq = sqlite3_column_int64(st, 0),
	    .at = sqlite3_column_int64(st, 1),
	    .actor = sq_col_text(st, 2),
	    .action = sq_col_text(st, 3),
	    .subject = sq_col_text(st, 4),
	    .record = sq_col_text(st, 5),
	    .activity = sq_col_text(st, 6),
	    .purpose = sq_col_text(st, 7),
	    .detail = sq_col_text(st, 8),
	};

	sq_col_fixed(st, 9, row.hash, 32);
	return it->cb(it->ctx, &row);
}

int sqlite_audit_each(struct pdv_store_impl *s, const char *subject, pdv_audit_cb cb, void *ctx,
                      struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, subject ? PDV_SQL_AUDIT_SUBJECT : PDV_SQL_AUDIT_ALL);
	struct audit_iter it = {cb, ctx};

	if (subject)
		sq_bind_text(st, 1, subject);
	return sq_each(s, st, audit_row, &it, "reading the audit log", err);
}

int sqlite_audit_from(struct pdv_store_impl *s, int64_t from, pdv_audit_cb cb, void *ctx,
                      struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_AUDIT_FROM);
	struct audit_iter it = {cb, ctx};

	sqlite3_bind_int64(st, 1, from);
	return sq_each(s, st, audit_row, &it, "reading the audit log", err);
}
