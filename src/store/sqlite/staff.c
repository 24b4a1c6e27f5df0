/*
 * staff.c — the SQLite backend's staff accounts and their sessions (0012).
 *
 * The store keeps what the engine hands it: the Argon2id string, sealed
 * blobs, keyed hashes. Nothing here is a secret in clear.
 */
#include <string.h>

#include "sqlite-internal.h"

static void staff_from_row(sqlite3_stmt *st, struct pdv_staff_row *r)
{
	memset(r, 0, sizeof(*r));
	r->name = sq_col_text(st, 0);
	r->role = sq_col_text(st, 1);
	r->email = sqlite3_column_blob(st, 2);
	r->email_len = (size_t)sqlite3_column_bytes(st, 2);
	r->created_at = sqlite3_column_int64(st, 3);
	r->passphrase = sq_col_text(st, 4);
	r->totp = sqlite3_column_blob(st, 5);
	r->totp_len = (size_t)sqlite3_column_bytes(st, 5);
	r->totp_step = sqlite3_column_int64(st, 6);
	r->recovery = sqlite3_column_blob(st, 7);
	r->recovery_len = (size_t)sqlite3_column_bytes(st, 7);
	r->invite_hash = sqlite3_column_bytes(st, 8) == 32 ? sqlite3_column_blob(st, 8) : NULL;
	r->invite_expires = sqlite3_column_int64(st, 9);
	r->failures = sqlite3_column_int64(st, 10);
	r->locked_until = sqlite3_column_int64(st, 11);
}

int sqlite_staff_insert(struct pdv_store_impl *s, const struct pdv_staff_row *row,
                        struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_STAFF_INSERT);
	int rc;

	sq_bind_text(st, 1, row->name);
	sq_bind_text(st, 2, row->role);
	sq_bind_blob(st, 3, row->email, row->email_len);
	sqlite3_bind_int64(st, 4, row->created_at);
	sq_bind_blob(st, 5, row->invite_hash, row->invite_hash ? 32 : 0);
	sqlite3_bind_int64(st, 6, row->invite_expires);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return pdv_error_set(err, PDV_E_REFUSED, "an account named '%s' already exists",
		                     row->name);
	if (rc != SQLITE_DONE)
		return sq_error(s, err, "writing a staff account");
	return 0;
}

int sqlite_staff_get(struct pdv_store_impl *s, const char *name, struct pdv_staff_row *ret,
                     struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_STAFF_GET);
	int rc;

	sq_bind_text(st, 1, name);
	if ((rc = sq_one(s, st, "no such account", "reading a staff account", err)) < 0)
		return rc;
	staff_from_row(st, ret);
	return 0;
}

int sqlite_staff_by_invite(struct pdv_store_impl *s, const uint8_t hash[32],
                           struct pdv_staff_row *ret, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_STAFF_BY_INVITE);
	int rc;

	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	if ((rc = sq_one(s, st, "no such invitation", "reading an invitation", err)) < 0)
		return rc;
	staff_from_row(st, ret);
	return 0;
}

struct staff_iter {
	pdv_staff_row_cb cb;
	void *ctx;
};

static int staff_row(void *ctx, sqlite3_stmt *st)
{
	struct staff_iter *it = ctx;
	struct pdv_staff_row row;

	staff_from_row(st, &row);
	return it->cb(it->ctx, &row);
}

int sqlite_staff_each(struct pdv_store_impl *s, pdv_staff_row_cb cb, void *ctx,
                      struct pdv_error *err)
{
	struct staff_iter it = {cb, ctx};

	return sq_each(s, sq_stmt(s, PDV_SQL_STAFF_ALL), staff_row, &it, "reading staff accounts",
	               err);
}

int sqlite_staff_update(struct pdv_store_impl *s, const struct pdv_staff_row *row,
                        struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_STAFF_UPDATE);
	int rc;

	sq_bind_text(st, 1, row->name);
	sq_bind_text(st, 2, row->passphrase);
	sq_bind_blob(st, 3, row->totp, row->totp_len);
	sqlite3_bind_int64(st, 4, row->totp_step);
	sq_bind_blob(st, 5, row->recovery, row->recovery_len);
	sq_bind_blob(st, 6, row->invite_hash, row->invite_hash ? 32 : 0);
	sqlite3_bind_int64(st, 7, row->invite_expires);
	sqlite3_bind_int64(st, 8, row->failures);
	sqlite3_bind_int64(st, 9, row->locked_until);
	if ((rc = sq_done(s, st, err, "writing a staff account")) < 0)
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return pdv_error_set(err, PDV_E_NOTFOUND, "no account named '%s'", row->name);
	return 0;
}

int sqlite_staff_delete(struct pdv_store_impl *s, const char *name, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_STAFF_DELETE);
	int rc;

	sq_bind_text(st, 1, name);
	if ((rc = sq_done(s, st, err, "removing a staff account")) < 0)
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return pdv_error_set(err, PDV_E_NOTFOUND, "no account named '%s'", name);
	return 0;
}

int sqlite_staff_session_insert(struct pdv_store_impl *s, const uint8_t hash[32], const char *name,
                                int64_t at, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_STAFF_SESSION_INSERT);

	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	sq_bind_text(st, 2, name);
	sqlite3_bind_int64(st, 3, at);
	sqlite3_bind_int64(st, 4, at);
	return sq_done(s, st, err, "writing a session");
}

int sqlite_staff_session_get(struct pdv_store_impl *s, const uint8_t hash[32],
                             struct pdv_staff_session_row *ret, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_STAFF_SESSION_GET);
	int rc;

	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	if ((rc = sq_one(s, st, "no such session", "reading a session", err)) < 0)
		return rc;
	ret->name = sq_col_text(st, 0);
	ret->created_at = sqlite3_column_int64(st, 1);
	ret->seen_at = sqlite3_column_int64(st, 2);
	return 0;
}

int sqlite_staff_session_seen(struct pdv_store_impl *s, const uint8_t hash[32], int64_t at,
                              struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_STAFF_SESSION_SEEN);

	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, at);
	return sq_done(s, st, err, "writing a session");
}

int sqlite_staff_session_delete(struct pdv_store_impl *s, const uint8_t hash[32],
                                struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_STAFF_SESSION_DELETE);

	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	return sq_done(s, st, err, "ending a session");
}

int sqlite_staff_sessions_end(struct pdv_store_impl *s, const char *name, const uint8_t *keep,
                              struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_STAFF_SESSIONS_END);

	sq_bind_text(st, 1, name);
	sq_bind_blob(st, 2, keep, keep ? 32 : 0);
	return sq_done(s, st, err, "ending sessions");
}
