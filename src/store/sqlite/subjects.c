/*
 * subjects.c — the SQLite backend's subjects: their keys and blind indexes,
 * crypto-shredding, holds, the suppression list and post-mortem directives.
 */
#include <string.h>

#include "sqlite-internal.h"

int sqlite_subject_insert(struct pdv_store_impl *s, struct pdv_subject_row *row,
                          struct pdv_error *err)
{
	sqlite3_stmt *st;
	int rc;

	/* an id from the store's counter, so it never lands in a reserved range */
	if (!row->id && (rc = sqlite_id_next(s, PDV_STORE_ID_SUBJECT, &row->id, err)) < 0)
		return rc;
	st = sq_stmt(s, PDV_SQL_SUBJECT_INSERT);
	sqlite3_bind_blob(st, 1, row->tag, PDV_TAG_LEN, SQLITE_STATIC);
	sq_bind_blob(st, 2, row->wrapped_key, row->wrapped_key_len);
	sqlite3_bind_int64(st, 3, row->created_at);
	sqlite3_bind_int(st, 4, row->restricted);
	sqlite3_bind_int64(st, 5, row->id);
	return sq_done(s, st, err, "inserting a subject");
}

int sqlite_subject_get(struct pdv_store_impl *s, int64_t id, struct pdv_subject_row *ret,
                       struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_SUBJECT_GET);
	int rc;

	sqlite3_bind_int64(st, 1, id);
	if ((rc = sq_one(s, st, "no such subject", "reading a subject", err)) < 0)
		return rc;
	memset(ret, 0, sizeof(*ret));
	ret->id = sqlite3_column_int64(st, 0);
	sq_col_fixed(st, 1, ret->tag, PDV_TAG_LEN);
	ret->wrapped_key = sqlite3_column_blob(st, 2);
	ret->wrapped_key_len = (size_t)sqlite3_column_bytes(st, 2);
	ret->created_at = sqlite3_column_int64(st, 3);
	ret->restricted = sqlite3_column_int(st, 4) != 0;
	ret->lang = sq_col_text(st, 5);
	/* the row stays readable until the next call on this statement */
	return 0;
}

struct wrapped_iter {
	pdv_wrapped_cb cb;
	void *ctx;
	int64_t after; /* the last id handed on */
};

static int wrapped_row(void *ctx, sqlite3_stmt *st)
{
	struct wrapped_iter *it = ctx;
	uint8_t tag[PDV_TAG_LEN];

	it->after = sqlite3_column_int64(st, 0);
	sq_col_fixed(st, 2, tag, PDV_TAG_LEN);
	return it->cb(it->ctx, it->after, tag, sqlite3_column_blob(st, 1),
	              (size_t)sqlite3_column_bytes(st, 1));
}

/* in pages of 1000 (the statement's LIMIT), each from the last id handed on */
int sqlite_subject_wrapped_each(struct pdv_store_impl *s, int64_t after, pdv_wrapped_cb cb,
                                void *ctx, struct pdv_error *err)
{
	struct wrapped_iter it = {cb, ctx, after};

	for (;;) {
		sqlite3_stmt *st = sq_stmt(s, PDV_SQL_SUBJECT_WRAPPED_EACH);
		int64_t from = it.after;
		int rc;

		sqlite3_bind_int64(st, 1, from);
		rc = sq_each(s, st, wrapped_row, &it, "reading subject keys", err);
		if (rc != 0 || it.after == from)
			return rc;
	}
}

int sqlite_subject_wrapped_set(struct pdv_store_impl *s, int64_t id, const uint8_t *wrapped,
                               size_t len, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_SUBJECT_WRAPPED_SET);

	sqlite3_bind_int64(st, 1, id);
	sq_bind_blob(st, 2, wrapped, len);
	return sq_done(s, st, err, "writing a subject key");
}

int sqlite_lookup_put(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN],
                      int64_t subject_id, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_LOOKUP_PUT);

	sqlite3_bind_blob(st, 1, hash, PDV_LOOKUP_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, subject_id);
	return sq_done(s, st, err, "writing a lookup");
}

int sqlite_lookups_known(struct pdv_store_impl *s, const uint8_t *hashes, size_t n, bool *ret_known,
                         struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_LOOKUP_KNOWN);

	for (size_t i = 0; i < n; i++) {
		int r;

		sqlite3_bind_blob(st, 1, hashes + i * PDV_LOOKUP_LEN, PDV_LOOKUP_LEN,
		                  SQLITE_STATIC);
		r = sqlite3_step(st);
		if (r != SQLITE_ROW && r != SQLITE_DONE) {
			r = sq_error(s, err, "reading lookups");
			sqlite3_reset(st);
			return r;
		}
		sqlite3_reset(st);
		ret_known[i] = r == SQLITE_ROW;
	}
	return 0;
}

/* a statement costs no round trip here: each lookup is read when asked */
int sqlite_lookups_read_ahead(struct pdv_store_impl *s, const uint8_t *hashes, size_t n,
                              struct pdv_error *err)
{
	(void)s;
	(void)hashes;
	(void)n;
	(void)err;
	return 0;
}

int sqlite_lookup_get(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN],
                      int64_t *ret_subject, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_LOOKUP_GET);
	int rc;

	sqlite3_bind_blob(st, 1, hash, PDV_LOOKUP_LEN, SQLITE_STATIC);
	if ((rc = sq_one(s, st, "no subject with this lookup value", "reading a lookup", err)) < 0)
		return rc;
	*ret_subject = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int sqlite_lookups_held_between(struct pdv_store_impl *s, int64_t first, int64_t last, int64_t *ret,
                                struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_LOOKUPS_HELD_BETWEEN);

	sqlite3_bind_int64(st, 1, first);
	sqlite3_bind_int64(st, 2, last);
	return sq_int64(s, st, ret, "counting lookups", err);
}

int sqlite_lookup_delete(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN],
                         struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_LOOKUP_DELETE);

	sqlite3_bind_blob(st, 1, hash, PDV_LOOKUP_LEN, SQLITE_STATIC);
	return sq_done(s, st, err, "deleting a lookup");
}

int sqlite_subject_insert_new(struct pdv_store_impl *s, struct pdv_subject_row *row,
                              const uint8_t *const *hashes, size_t n_hashes, struct pdv_error *err)
{
	sqlite3_stmt *st;
	size_t put = 0;
	int rc;

	if ((rc = sqlite_subject_insert(s, row, err)) < 0)
		return rc;
	for (; put < n_hashes; put++) {
		if ((rc = sqlite_lookup_put(s, hashes[put], row->id, err)) < 0)
			return rc;
		if (sqlite3_changes(s->db) == 0)
			break; /* someone's already */
	}
	if (put == n_hashes)
		return 0;
	/* undo, in the transaction: this subject was not new */
	for (size_t i = 0; i < put; i++)
		if ((rc = sqlite_lookup_delete(s, hashes[i], err)) < 0)
			return rc;
	st = sq_stmt(s, PDV_SQL_SUBJECT_DELETE_NEW);
	sqlite3_bind_int64(st, 1, row->id);
	if ((rc = sq_done(s, st, err, "deleting a subject")) < 0)
		return rc;
	return pdv_error_set(err, PDV_E_REFUSED, "a lookup value belongs to another subject");
}

int sqlite_subject_set_restricted(struct pdv_store_impl *s, int64_t id, bool restricted,
                                  struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_SUBJECT_SET_RESTRICTED);

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, restricted);
	return sq_done(s, st, err, "restricting a subject");
}

int sqlite_subject_shred_key(struct pdv_store_impl *s, int64_t subject_id, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_SUBJECT_SHRED);

	sqlite3_bind_int64(st, 1, subject_id);
	return sq_done(s, st, err, "destroying a subject key");
}

int sqlite_subject_shred(struct pdv_store_impl *s, int64_t subject_id, struct pdv_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_subject_shred_key(s, subject_id, err)) < 0 ||
	    (rc = sqlite_directives_delete(s, subject_id, err)) < 0)
		return rc;
	st = sq_stmt(s, PDV_SQL_LOOKUPS_DELETE_SUBJECT);
	sqlite3_bind_int64(st, 1, subject_id);
	return sq_done(s, st, err, "deleting blind indexes");
}

int sqlite_lookups_purge(struct pdv_store_impl *s, int64_t after, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_LOOKUPS_PURGE);

	sqlite3_bind_int64(st, 1, after);
	return sq_done(s, st, err, "deleting blind indexes");
}

int sqlite_hold_insert(struct pdv_store_impl *s, const uint8_t tag[PDV_TAG_LEN], int64_t subject_id,
                       const uint8_t *reason, size_t len, int64_t at, const char *by,
                       int64_t *ret_id, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_HOLD_INSERT);
	int rc;

	sqlite3_bind_blob(st, 1, tag, PDV_TAG_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, subject_id);
	sqlite3_bind_blob64(st, 3, reason, len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, at);
	sq_bind_text(st, 5, by);
	if ((rc = sq_done(s, st, err, "placing a hold")) < 0)
		return rc;
	*ret_id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

int sqlite_hold_get(struct pdv_store_impl *s, int64_t id, uint8_t ret_tag[PDV_TAG_LEN],
                    int64_t *ret_subject, bool *ret_lifted, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_HOLD_GET);
	int rc;

	sqlite3_bind_int64(st, 1, id);
	if ((rc = sq_one(s, st, "no such hold", "reading a hold", err)) < 0)
		return rc;
	sq_col_fixed(st, 1, ret_tag, PDV_TAG_LEN);
	*ret_subject = sqlite3_column_int64(st, 2);
	*ret_lifted = sqlite3_column_type(st, 3) != SQLITE_NULL;
	sqlite3_reset(st);
	return 0;
}

int sqlite_hold_lift(struct pdv_store_impl *s, int64_t id, int64_t at, const char *by,
                     struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_HOLD_LIFT);

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, at);
	sq_bind_text(st, 3, by);
	return sq_done(s, st, err, "lifting a hold");
}

struct hold_iter {
	pdv_hold_cb cb;
	void *ctx;
};

static int hold_row(void *ctx, sqlite3_stmt *st)
{
	struct hold_iter *it = ctx;
	struct pdv_hold_row row = {
	    .id = sqlite3_column_int64(st, 0),
	    .reason = sqlite3_column_blob(st, 2),
	    .reason_len = (size_t)sqlite3_column_bytes(st, 2),
	    .placed_at = sqlite3_column_int64(st, 3),
	    .placed_by = sq_col_text(st, 4),
	    .lifted_at = sqlite3_column_int64(st, 5),
	    .lifted_by = sq_col_text(st, 6),
	};

	sq_col_fixed(st, 1, row.tag, PDV_TAG_LEN);
	return it->cb(it->ctx, &row);
}

int sqlite_holds_of_subject(struct pdv_store_impl *s, int64_t subject_id, pdv_hold_cb cb, void *ctx,
                            struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_HOLDS_OF_SUBJECT);
	struct hold_iter it = {cb, ctx};

	sqlite3_bind_int64(st, 1, subject_id);
	return sq_each(s, st, hold_row, &it, "reading holds", err);
}

int sqlite_holds_active_count(struct pdv_store_impl *s, int64_t subject_id, int64_t *ret,
                              struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_HOLDS_ACTIVE_COUNT);

	sqlite3_bind_int64(st, 1, subject_id);
	return sq_int64(s, st, ret, "counting", err);
}

int sqlite_suppression_put(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN], int64_t at,
                           int64_t expires_at, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_SUPPRESSION_PUT);

	sqlite3_bind_blob(st, 1, hash, PDV_LOOKUP_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, at);
	sqlite3_bind_int64(st, 3, expires_at);
	return sq_done(s, st, err, "writing the suppression list");
}

int sqlite_suppression_active(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN],
                              int64_t now, bool *ret, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_SUPPRESSION_ACTIVE);
	int rc;

	sqlite3_bind_blob(st, 1, hash, PDV_LOOKUP_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq_error(s, err, "reading the suppression list");
	*ret = rc == SQLITE_ROW;
	return 0;
}

int sqlite_directives_put(struct pdv_store_impl *s, int64_t subject_id, const uint8_t *text,
                          size_t len, int64_t at, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_DIRECTIVES_PUT);

	sqlite3_bind_int64(st, 1, subject_id);
	sqlite3_bind_blob64(st, 2, text, len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, at);
	return sq_done(s, st, err, "writing directives");
}

int sqlite_directives_get(struct pdv_store_impl *s, int64_t subject_id, uint8_t *buf, size_t size,
                          size_t *ret_len, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_DIRECTIVES_GET);
	size_t n;
	int rc;

	sqlite3_bind_int64(st, 1, subject_id);
	if ((rc = sq_one(s, st, "no directives", "reading directives", err)) < 0)
		return rc;
	n = (size_t)sqlite3_column_bytes(st, 0);
	if (n > size) {
		sqlite3_reset(st);
		return pdv_error_set(err, PDV_E_IO, "directives too long");
	}
	memcpy(buf, sqlite3_column_blob(st, 0), n);
	*ret_len = n;
	sqlite3_reset(st);
	return 0;
}

int sqlite_directives_delete(struct pdv_store_impl *s, int64_t subject_id, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_DIRECTIVES_DELETE);

	sqlite3_bind_int64(st, 1, subject_id);
	return sq_done(s, st, err, "deleting directives");
}

int sqlite_subject_lang_set(struct pdv_store_impl *s, int64_t id, const char *lang,
                            struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_SUBJECT_LANG_SET);

	sqlite3_bind_int64(st, 1, id);
	sq_bind_text(st, 2, lang);
	return sq_done(s, st, err, "writing a subject's language");
}
