/*
 * staff.c — the PostgreSQL backend's staff accounts and their sessions (the
 * SQLite backend's staff.c, statement for statement).
 *
 * The store keeps what the engine hands it: the Argon2id string, sealed
 * blobs, keyed hashes. Nothing here is a secret in clear.
 */
#include <string.h>

#include "pg-internal.h"

static void staff_from_row(const PGresult *res, int i, struct pdv_staff_row *r)
{
	size_t invite_len = 0;
	const uint8_t *invite;

	memset(r, 0, sizeof(*r));
	r->name = pg_col_text(res, i, 0);
	r->role = pg_col_text(res, i, 1);
	r->email = pg_col_blob(res, i, 2, &r->email_len);
	r->created_at = pg_col_int64(res, i, 3);
	r->passphrase = pg_col_text(res, i, 4);
	r->totp = pg_col_blob(res, i, 5, &r->totp_len);
	r->totp_step = pg_col_int64(res, i, 6);
	r->recovery = pg_col_blob(res, i, 7, &r->recovery_len);
	invite = pg_col_blob(res, i, 8, &invite_len);
	r->invite_hash = invite_len == 32 ? invite : NULL;
	r->invite_expires = pg_col_int64(res, i, 9);
	r->failures = pg_col_int64(res, i, 10);
	r->locked_until = pg_col_int64(res, i, 11);
}

int pg_staff_insert(struct pdv_store_impl *s, const struct pdv_staff_row *row,
                    struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_text(&p, row->name);
	pp_text(&p, row->role);
	pp_blob(&p, row->email, row->email_len);
	pp_int(&p, row->created_at);
	pp_blob(&p, row->invite_hash, row->invite_hash ? 32 : 0);
	pp_int(&p, row->invite_expires);
	if ((rc = pg_done(s, PDV_SQL_STAFF_INSERT, &p, "writing a staff account", err)) < 0)
		return rc;
	if (pg_changes(s) == 0) /* ON CONFLICT DO NOTHING: the name was taken */
		return pdv_error_set(err, PDV_E_REFUSED, "an account named '%s' already exists",
		                     row->name);
	return 0;
}

int pg_staff_get(struct pdv_store_impl *s, const char *name, struct pdv_staff_row *ret,
                 struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_text(&p, name);
	if ((rc = pg_one(s, PDV_SQL_STAFF_GET, &p, "no such account", "reading a staff account",
	                 err)) < 0)
		return rc;
	staff_from_row(s->res, 0, ret);
	return 0;
}

int pg_staff_by_invite(struct pdv_store_impl *s, const uint8_t hash[32], struct pdv_staff_row *ret,
                       struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_blob(&p, hash, 32);
	if ((rc = pg_one(s, PDV_SQL_STAFF_BY_INVITE, &p, "no such invitation",
	                 "reading an invitation", err)) < 0)
		return rc;
	staff_from_row(s->res, 0, ret);
	return 0;
}

struct staff_iter {
	pdv_staff_row_cb cb;
	void *ctx;
};

static int staff_row(void *ctx, const PGresult *res, int i)
{
	struct staff_iter *it = ctx;
	struct pdv_staff_row row;

	staff_from_row(res, i, &row);
	return it->cb(it->ctx, &row);
}

int pg_staff_each(struct pdv_store_impl *s, pdv_staff_row_cb cb, void *ctx, struct pdv_error *err)
{
	struct staff_iter it = {cb, ctx};

	return pg_each(s, PDV_SQL_STAFF_ALL, NULL, staff_row, &it, "reading staff accounts", err);
}

int pg_staff_update(struct pdv_store_impl *s, const struct pdv_staff_row *row,
                    struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_text(&p, row->name);
	pp_text(&p, row->passphrase);
	pp_blob(&p, row->totp, row->totp_len);
	pp_int(&p, row->totp_step);
	pp_blob(&p, row->recovery, row->recovery_len);
	pp_blob(&p, row->invite_hash, row->invite_hash ? 32 : 0);
	pp_int(&p, row->invite_expires);
	pp_int(&p, row->failures);
	pp_int(&p, row->locked_until);
	if ((rc = pg_done(s, PDV_SQL_STAFF_UPDATE, &p, "writing a staff account", err)) < 0)
		return rc;
	if (pg_changes(s) == 0)
		return pdv_error_set(err, PDV_E_NOTFOUND, "no account named '%s'", row->name);
	return 0;
}

int pg_staff_delete(struct pdv_store_impl *s, const char *name, struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_text(&p, name);
	if ((rc = pg_done(s, PDV_SQL_STAFF_DELETE, &p, "removing a staff account", err)) < 0)
		return rc;
	if (pg_changes(s) == 0)
		return pdv_error_set(err, PDV_E_NOTFOUND, "no account named '%s'", name);
	return 0;
}

int pg_staff_session_insert(struct pdv_store_impl *s, const uint8_t hash[32], const char *name,
                            int64_t at, struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_blob(&p, hash, 32);
	pp_text(&p, name);
	pp_int(&p, at);
	return pg_done(s, PDV_SQL_STAFF_SESSION_INSERT, &p, "writing a session", err);
}

int pg_staff_session_get(struct pdv_store_impl *s, const uint8_t hash[32],
                         struct pdv_staff_session_row *ret, struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_blob(&p, hash, 32);
	if ((rc = pg_one(s, PDV_SQL_STAFF_SESSION_GET, &p, "no such session", "reading a session",
	                 err)) < 0)
		return rc;
	ret->name = pg_col_text(s->res, 0, 0);
	ret->created_at = pg_col_int64(s->res, 0, 1);
	ret->seen_at = pg_col_int64(s->res, 0, 2);
	return 0;
}

int pg_staff_session_seen(struct pdv_store_impl *s, const uint8_t hash[32], int64_t at,
                          struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_blob(&p, hash, 32);
	pp_int(&p, at);
	return pg_done(s, PDV_SQL_STAFF_SESSION_SEEN, &p, "writing a session", err);
}

int pg_staff_session_delete(struct pdv_store_impl *s, const uint8_t hash[32], struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_blob(&p, hash, 32);
	return pg_done(s, PDV_SQL_STAFF_SESSION_DELETE, &p, "ending a session", err);
}

int pg_staff_sessions_end(struct pdv_store_impl *s, const char *name, const uint8_t *keep,
                          struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_text(&p, name);
	pp_blob(&p, keep, keep ? 32 : 0);
	return pg_done(s, PDV_SQL_STAFF_SESSIONS_END, &p, "ending sessions", err);
}
