/*
 * subjects.c — the PostgreSQL backend's subjects: their keys and blind
 * indexes, crypto-shredding, holds, the suppression list and post-mortem
 * directives (the SQLite backend's subjects.c, statement for statement).
 */
#include <stdlib.h>
#include <string.h>

#include "pg-internal.h"

int pg_subject_insert(struct pdv_store_impl *s, struct pdv_subject_row *row, struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	/* an id from the store's counter, so it never lands in a reserved range */
	if (!row->id && (rc = pg_id_next(s, PDV_STORE_ID_SUBJECT, &row->id, err)) < 0)
		return rc;
	pp_blob(&p, row->tag, PDV_TAG_LEN);
	pp_blob(&p, row->wrapped_key, row->wrapped_key_len);
	pp_int(&p, row->created_at);
	pp_int(&p, row->restricted);
	pp_int(&p, row->id);
	return pg_queue(s, PDV_SQL_SUBJECT_INSERT, &p, "inserting a subject", err);
}

/*
 * A subject read by its lookup (lookup_get brings the row) is handed over
 * without a round trip when nothing ran since: the engine reads a lookup,
 * then its subject. The row then lives as any subject_get's, until the next
 * subject_get runs.
 */
int pg_subject_get(struct pdv_store_impl *s, int64_t id, struct pdv_subject_row *ret,
                   struct pdv_error *err)
{
	const PGresult *res;
	int rc, col = 0, row = 0;

	if (id && s->cached_subject == id && s->cached_at == PDV_SQL_LOOKUPS_READ_AHEAD) {
		/* the read-ahead's result stays where it is: other lookups read it */
		res = s->kept[PDV_SQL_LOOKUPS_READ_AHEAD];
		col = 1;
		row = s->cached_row;
	} else if (id && s->cached_subject == id) {
		if (s->cached_at != PDV_SQL_SUBJECT_GET) {
			PQclear(s->kept[PDV_SQL_SUBJECT_GET]);
			s->kept[PDV_SQL_SUBJECT_GET] = s->kept[s->cached_at];
			s->kept[s->cached_at] = NULL;
			s->cached_at = PDV_SQL_SUBJECT_GET;
		}
		res = s->kept[PDV_SQL_SUBJECT_GET];
		col = 1;
		row = s->cached_row;
	} else {
		struct pg_params p = {0};

		pp_int(&p, id);
		if ((rc = pg_one(s, PDV_SQL_SUBJECT_GET, &p, "no such subject", "reading a subject",
		                 err)) < 0)
			return rc;
		res = s->res;
	}
	memset(ret, 0, sizeof(*ret));
	ret->id = pg_col_int64(res, row, col);
	pg_col_fixed(res, row, col + 1, ret->tag, PDV_TAG_LEN);
	ret->wrapped_key = pg_col_blob(res, row, col + 2, &ret->wrapped_key_len);
	ret->created_at = pg_col_int64(res, row, col + 3);
	ret->restricted = pg_col_int64(res, row, col + 4) != 0;
	ret->lang = pg_col_text(res, row, col + 5);
	return 0;
}

int pg_subject_lang_set(struct pdv_store_impl *s, int64_t id, const char *lang,
                        struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, id);
	pp_text(&p, lang);
	return pg_done(s, PDV_SQL_SUBJECT_LANG_SET, &p, "writing a subject's language", err);
}

struct wrapped_iter {
	pdv_wrapped_cb cb;
	void *ctx;
	int64_t after; /* the last id handed on */
};

static int wrapped_row(void *ctx, const PGresult *res, int i)
{
	struct wrapped_iter *it = ctx;
	uint8_t tag[PDV_TAG_LEN];
	const uint8_t *wrapped;
	size_t len;

	it->after = pg_col_int64(res, i, 0);
	pg_col_fixed(res, i, 2, tag, PDV_TAG_LEN);
	wrapped = pg_col_blob(res, i, 1, &len);
	return it->cb(it->ctx, it->after, tag, wrapped, len);
}

/* in pages of 1000 (the statement's LIMIT), each from the last id handed on */
int pg_subject_wrapped_each(struct pdv_store_impl *s, int64_t after, pdv_wrapped_cb cb, void *ctx,
                            struct pdv_error *err)
{
	struct wrapped_iter it = {cb, ctx, after};

	for (;;) {
		struct pg_params p = {0};
		int64_t from = it.after;
		int rc;

		pp_int(&p, from);
		rc = pg_each(s, PDV_SQL_SUBJECT_WRAPPED_EACH, &p, wrapped_row, &it,
		             "reading subject keys", err);
		if (rc != 0 || it.after == from)
			return rc;
	}
}

int pg_subject_wrapped_set(struct pdv_store_impl *s, int64_t id, const uint8_t *wrapped, size_t len,
                           struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, id);
	pp_blob(&p, wrapped, len);
	return pg_queue(s, PDV_SQL_SUBJECT_WRAPPED_SET, &p, "writing a subject key", err);
}

int pg_lookup_put(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN], int64_t subject_id,
                  struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_blob(&p, hash, PDV_LOOKUP_LEN);
	pp_int(&p, subject_id);
	return pg_queue(s, pg_lazy(s) ? PDV_SQL_LOOKUP_INSERT : PDV_SQL_LOOKUP_PUT, &p,
	                "writing a lookup", err);
}

int pg_lookups_known(struct pdv_store_impl *s, const uint8_t *hashes, size_t n, bool *ret_known,
                     struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	memset(ret_known, 0, n * sizeof(*ret_known));
	if (n == 0)
		return 0;
	pp_blob(&p, hashes, n * PDV_LOOKUP_LEN);
	if ((rc = pg_run(s, PDV_SQL_LOOKUPS_KNOWN, &p, "reading lookups", err)) < 0)
		return rc;
	for (int i = 0; i < PQntuples(s->res); i++) {
		int64_t at = pg_col_int64(s->res, i, 0);

		if (at >= 0 && (size_t)at < n)
			ret_known[at] = true;
	}
	return 0;
}

/*
 * Many lookups read at once, in the transaction, for the lookup_get and
 * lookup_get_records calls that follow (a server's group of finds): under
 * the writer lock nothing changes them but this connection's writes, which
 * forget the read-ahead (pg.c, statement_writes), as the transaction's end
 * does.
 */
int pg_lookups_read_ahead(struct pdv_store_impl *s, const uint8_t *hashes, size_t n,
                          struct pdv_error *err)
{
	struct pg_params p = {0};
	uint8_t *copy;
	int rc;

	s->ahead_valid = false;
	if (!s->in_tx || n == 0)
		return 0;
	if (!(copy = realloc(s->ahead_hashes, n * PDV_LOOKUP_LEN)))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	s->ahead_hashes = copy;
	memcpy(copy, hashes, n * PDV_LOOKUP_LEN);
	pp_blob(&p, hashes, n * PDV_LOOKUP_LEN);
	if ((rc = pg_run(s, PDV_SQL_LOOKUPS_READ_AHEAD, &p, "reading lookups", err)) < 0)
		return rc;
	s->ahead_n = n;
	s->ahead_valid = true;
	return 0;
}

/* a lookup the read-ahead holds: 1 with it answered (0 or PDV_E_NOTFOUND
 * in *ret_rc), 0 when it was not asked */
static int from_ahead(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN], bool records,
                      int64_t *ret_subject, int *ret_rc, struct pdv_error *err)
{
	const PGresult *res = s->kept[PDV_SQL_LOOKUPS_READ_AHEAD];
	int64_t at = -1;
	int from = 0, to, rows;

	if (!s->ahead_valid || !res)
		return 0;
	for (size_t i = 0; i < s->ahead_n && at < 0; i++)
		if (memcmp(s->ahead_hashes + i * PDV_LOOKUP_LEN, hash, PDV_LOOKUP_LEN) == 0)
			at = (int64_t)i;
	if (at < 0)
		return 0;
	rows = PQntuples(res);
	while (from < rows && pg_col_int64(res, from, 20) < at)
		from++;
	for (to = from; to < rows && pg_col_int64(res, to, 20) == at;)
		to++;
	/* what the statement would have done: the earlier answers go */
	s->cached_subject = 0;
	s->cached_records = 0;
	if (from == to) {
		*ret_rc = pdv_error_set(err, PDV_E_NOTFOUND, "no subject with this lookup value");
		return 1;
	}
	*ret_subject = pg_col_int64(res, from, 0);
	if (!pg_null(res, from, 1)) {
		s->cached_subject = *ret_subject;
		s->cached_at = PDV_SQL_LOOKUPS_READ_AHEAD;
		s->cached_row = from;
		if (records) {
			s->cached_records = *ret_subject;
			s->records_res = res;
			s->records_from = from;
			s->records_to = to;
		}
	}
	*ret_rc = 0;
	return 1;
}

int pg_lookup_get(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN],
                  int64_t *ret_subject, struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	if (from_ahead(s, hash, false, ret_subject, &rc, err))
		return rc;
	pp_blob(&p, hash, PDV_LOOKUP_LEN);
	if ((rc = pg_one(s, PDV_SQL_LOOKUP_GET, &p, "no subject with this lookup value",
	                 "reading a lookup", err)) < 0)
		return rc;
	*ret_subject = pg_col_int64(s->res, 0, 0);
	if (!pg_null(s->res, 0, 1)) { /* its subject's row, for the subject_get next */
		s->cached_subject = *ret_subject;
		s->cached_at = PDV_SQL_LOOKUP_GET;
		s->cached_row = 0;
	}
	return 0;
}

/*
 * lookup_get, and the subject's records in the same statement (a left
 * join, one row per record): the records_of_subject that follows, with
 * nothing run between but the subject_get, reads them from there
 */
int pg_lookup_get_records(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN],
                          int64_t *ret_subject, struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	if (from_ahead(s, hash, true, ret_subject, &rc, err))
		return rc;
	pp_blob(&p, hash, PDV_LOOKUP_LEN);
	if ((rc = pg_one(s, PDV_SQL_LOOKUP_GET_RECORDS, &p, "no subject with this lookup value",
	                 "reading a lookup", err)) < 0)
		return rc;
	*ret_subject = pg_col_int64(s->res, 0, 0);
	if (!pg_null(s->res, 0, 1)) {
		s->cached_subject = *ret_subject;
		s->cached_at = PDV_SQL_LOOKUP_GET_RECORDS;
		s->cached_row = 0;
		s->cached_records = *ret_subject;
		s->records_res = s->res;
		s->records_from = 0;
		s->records_to = PQntuples(s->res);
	}
	return 0;
}

int pg_lookups_held_between(struct pdv_store_impl *s, int64_t first, int64_t last, int64_t *ret,
                            struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, first);
	pp_int(&p, last);
	return pg_scalar(s, PDV_SQL_LOOKUPS_HELD_BETWEEN, &p, ret, "counting lookups", err);
}

int pg_lookup_delete(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN],
                     struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_blob(&p, hash, PDV_LOOKUP_LEN);
	return pg_queue(s, PDV_SQL_LOOKUP_DELETE, &p, "deleting a lookup", err);
}

int pg_subject_insert_new(struct pdv_store_impl *s, struct pdv_subject_row *row,
                          const uint8_t *const *hashes, size_t n_hashes, struct pdv_error *err)
{
	struct pg_params p = {0};
	size_t put = 0;
	int rc;

	if ((rc = pg_subject_insert(s, row, err)) < 0)
		return rc;
	for (; put < n_hashes; put++) {
		struct pg_params l = {0};

		/* waited for (with the subject queued before it): its row count says
		 * whether the lookup was free */
		pp_blob(&l, hashes[put], PDV_LOOKUP_LEN);
		pp_int(&l, row->id);
		if ((rc = pg_done(s, PDV_SQL_LOOKUP_PUT, &l, "writing a lookup", err)) < 0)
			return rc;
		if (pg_changes(s) == 0)
			break; /* someone's already */
	}
	if (put == n_hashes)
		return 0;
	/* undo, in the transaction: this subject was not new */
	for (size_t i = 0; i < put; i++)
		if ((rc = pg_lookup_delete(s, hashes[i], err)) < 0)
			return rc;
	pp_int(&p, row->id);
	if ((rc = pg_done(s, PDV_SQL_SUBJECT_DELETE_NEW, &p, "deleting a subject", err)) < 0)
		return rc;
	return pdv_error_set(err, PDV_E_REFUSED, "a lookup value belongs to another subject");
}

int pg_subject_set_restricted(struct pdv_store_impl *s, int64_t id, bool restricted,
                              struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, id);
	pp_int(&p, restricted);
	return pg_queue(s, PDV_SQL_SUBJECT_SET_RESTRICTED, &p, "restricting a subject", err);
}

int pg_subject_shred_key(struct pdv_store_impl *s, int64_t subject_id, struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, subject_id);
	return pg_queue(s, PDV_SQL_SUBJECT_SHRED, &p, "destroying a subject key", err);
}

int pg_subject_shred(struct pdv_store_impl *s, int64_t subject_id, struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	if ((rc = pg_subject_shred_key(s, subject_id, err)) < 0 ||
	    (rc = pg_directives_delete(s, subject_id, err)) < 0)
		return rc;
	pp_int(&p, subject_id);
	return pg_queue(s, PDV_SQL_LOOKUPS_DELETE_SUBJECT, &p, "deleting blind indexes", err);
}

int pg_lookups_purge(struct pdv_store_impl *s, int64_t after, struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, after);
	return pg_queue(s, PDV_SQL_LOOKUPS_PURGE, &p, "deleting blind indexes", err);
}

int pg_hold_insert(struct pdv_store_impl *s, const uint8_t tag[PDV_TAG_LEN], int64_t subject_id,
                   const uint8_t *reason, size_t len, int64_t at, const char *by, int64_t *ret_id,
                   struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_blob(&p, tag, PDV_TAG_LEN);
	pp_int(&p, subject_id);
	pp_blob(&p, reason ? reason : (const uint8_t *)"", len);
	pp_int(&p, at);
	pp_text(&p, by);
	if ((rc = pg_one(s, PDV_SQL_HOLD_INSERT, &p, "no hold placed", "placing a hold", err)) < 0)
		return rc;
	*ret_id = pg_col_int64(s->res, 0, 0);
	return 0;
}

int pg_hold_get(struct pdv_store_impl *s, int64_t id, uint8_t ret_tag[PDV_TAG_LEN],
                int64_t *ret_subject, bool *ret_lifted, struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_int(&p, id);
	if ((rc = pg_one(s, PDV_SQL_HOLD_GET, &p, "no such hold", "reading a hold", err)) < 0)
		return rc;
	pg_col_fixed(s->res, 0, 1, ret_tag, PDV_TAG_LEN);
	*ret_subject = pg_col_int64(s->res, 0, 2);
	*ret_lifted = !pg_null(s->res, 0, 3);
	return 0;
}

int pg_hold_lift(struct pdv_store_impl *s, int64_t id, int64_t at, const char *by,
                 struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, id);
	pp_int(&p, at);
	pp_text(&p, by);
	return pg_done(s, PDV_SQL_HOLD_LIFT, &p, "lifting a hold", err);
}

struct hold_iter {
	pdv_hold_cb cb;
	void *ctx;
};

static int hold_row(void *ctx, const PGresult *res, int i)
{
	struct hold_iter *it = ctx;
	struct pdv_hold_row row = {
	    .id = pg_col_int64(res, i, 0),
	    .placed_at = pg_col_int64(res, i, 3),
	    .placed_by = pg_col_text(res, i, 4),
	    .lifted_at = pg_null(res, i, 5) ? 0 : pg_col_int64(res, i, 5),
	    .lifted_by = pg_col_text(res, i, 6),
	};

	pg_col_fixed(res, i, 1, row.tag, PDV_TAG_LEN);
	row.reason = pg_col_blob(res, i, 2, &row.reason_len);
	return it->cb(it->ctx, &row);
}

int pg_holds_of_subject(struct pdv_store_impl *s, int64_t subject_id, pdv_hold_cb cb, void *ctx,
                        struct pdv_error *err)
{
	struct hold_iter it = {cb, ctx};
	struct pg_params p = {0};

	pp_int(&p, subject_id);
	return pg_each(s, PDV_SQL_HOLDS_OF_SUBJECT, &p, hold_row, &it, "reading holds", err);
}

int pg_holds_active_count(struct pdv_store_impl *s, int64_t subject_id, int64_t *ret,
                          struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, subject_id);
	return pg_scalar(s, PDV_SQL_HOLDS_ACTIVE_COUNT, &p, ret, "counting", err);
}

int pg_suppression_put(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN], int64_t at,
                       int64_t expires_at, struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_blob(&p, hash, PDV_LOOKUP_LEN);
	pp_int(&p, at);
	pp_int(&p, expires_at);
	return pg_queue(s, PDV_SQL_SUPPRESSION_PUT, &p, "writing the suppression list", err);
}

int pg_suppression_active(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN], int64_t now,
                          bool *ret, struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_blob(&p, hash, PDV_LOOKUP_LEN);
	pp_int(&p, now);
	if ((rc = pg_run(s, PDV_SQL_SUPPRESSION_ACTIVE, &p, "reading the suppression list", err)) <
	    0)
		return rc;
	*ret = PQntuples(s->res) > 0;
	return 0;
}

int pg_directives_put(struct pdv_store_impl *s, int64_t subject_id, const uint8_t *text, size_t len,
                      int64_t at, struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, subject_id);
	pp_blob(&p, text ? text : (const uint8_t *)"", len);
	pp_int(&p, at);
	return pg_queue(s, PDV_SQL_DIRECTIVES_PUT, &p, "writing directives", err);
}

int pg_directives_get(struct pdv_store_impl *s, int64_t subject_id, uint8_t *buf, size_t size,
                      size_t *ret_len, struct pdv_error *err)
{
	struct pg_params p = {0};
	const uint8_t *v;
	size_t n;
	int rc;

	pp_int(&p, subject_id);
	if ((rc = pg_one(s, PDV_SQL_DIRECTIVES_GET, &p, "no directives", "reading directives",
	                 err)) < 0)
		return rc;
	v = pg_col_blob(s->res, 0, 0, &n);
	if (n > size)
		return pdv_error_set(err, PDV_E_IO, "directives too long");
	if (n)
		memcpy(buf, v, n);
	*ret_len = n;
	return 0;
}

int pg_directives_delete(struct pdv_store_impl *s, int64_t subject_id, struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_int(&p, subject_id);
	return pg_queue(s, PDV_SQL_DIRECTIVES_DELETE, &p, "deleting directives", err);
}
