/*
 * cookies.c — the SQLite side of cookie banners and consent receipts
 * (migration 0015): the configurations `pdvault banner` wrote, by id, and
 * the receipts, appended (a trigger refuses any UPDATE) and deleted only by
 * the sweep once their proof retention has passed.
 */
#include <string.h>

#include "sqlite-internal.h"

int sqlite_cookie_config_put(struct pdv_store_impl *s, const struct pdv_cookie_config_row *row,
                             struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_COOKIE_CONFIG_PUT);

	sq_bind_text(st, 1, row->id);
	sq_bind_text(st, 2, row->kit);
	sq_bind_text(st, 3, row->lang);
	sq_bind_text(st, 4, row->declaration);
	sq_bind_text(st, 5, row->canonical);
	sqlite3_bind_int64(st, 6, row->created_at);
	return sq_done(s, st, err, "keeping a banner configuration");
}

int sqlite_cookie_config_get(struct pdv_store_impl *s, const char *id,
                             struct pdv_cookie_config_row *ret, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_COOKIE_CONFIG_GET);
	int rc;

	sq_bind_text(st, 1, id);
	if ((rc = sq_one(s, st, "no such banner configuration", "reading a banner configuration",
	                 err)) < 0)
		return rc;
	/* valid until the next call on the store */
	ret->id = sq_col_text(st, 0);
	ret->kit = sq_col_text(st, 1);
	ret->lang = sq_col_text(st, 2);
	ret->declaration = sq_col_text(st, 3);
	ret->canonical = sq_col_text(st, 4);
	ret->created_at = sqlite3_column_int64(st, 5);
	return 0;
}

int sqlite_cookie_receipt_insert(struct pdv_store_impl *s, struct pdv_cookie_receipt_row *row,
                                 struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_COOKIE_RECEIPT_INSERT);
	int rc;

	sqlite3_bind_blob(st, 1, row->tag, PDV_TAG_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, row->consent_index, 32, SQLITE_STATIC);
	sq_bind_text(st, 3, row->config_id);
	sq_bind_text(st, 4, row->declaration);
	sq_bind_text(st, 5, row->event);
	sq_bind_text(st, 6, row->choices);
	sqlite3_bind_int(st, 7, row->gpc ? 1 : 0);
	sqlite3_bind_int64(st, 8, row->given_at);
	sqlite3_bind_int64(st, 9, row->received_at);
	if ((rc = sq_done(s, st, err, "writing a consent receipt")) < 0)
		return rc;
	row->id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static void receipt_from_row(sqlite3_stmt *st, struct pdv_cookie_receipt_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	sq_col_fixed(st, 1, r->tag, PDV_TAG_LEN);
	sq_col_fixed(st, 2, r->consent_index, 32);
	r->config_id = sq_col_text(st, 3);
	r->declaration = sq_col_text(st, 4);
	r->event = sq_col_text(st, 5);
	r->choices = sq_col_text(st, 6);
	r->gpc = sqlite3_column_int(st, 7) != 0;
	r->given_at = sqlite3_column_int64(st, 8);
	r->received_at = sqlite3_column_int64(st, 9);
}

int sqlite_cookie_receipt_get(struct pdv_store_impl *s, int64_t id,
                              struct pdv_cookie_receipt_row *ret, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_COOKIE_RECEIPT_GET);
	int rc;

	sqlite3_bind_int64(st, 1, id);
	if ((rc = sq_one(s, st, "no such consent receipt", "reading a consent receipt", err)) < 0)
		return rc;
	receipt_from_row(st, ret); /* valid until the next call on the store */
	return 0;
}

struct receipt_iter {
	pdv_cookie_receipt_cb cb;
	void *ctx;
};

static int receipt_row(void *ctx, sqlite3_stmt *st)
{
	struct receipt_iter *it = ctx;
	struct pdv_cookie_receipt_row row;

	receipt_from_row(st, &row);
	return it->cb(it->ctx, &row);
}

int sqlite_cookie_receipts_of(struct pdv_store_impl *s, const uint8_t consent_index[32],
                              pdv_cookie_receipt_cb cb, void *ctx, struct pdv_error *err)
{
	struct receipt_iter it = {cb, ctx};
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_COOKIE_RECEIPTS_OF);

	sqlite3_bind_blob(st, 1, consent_index, 32, SQLITE_STATIC);
	return sq_each(s, st, receipt_row, &it, "reading consent receipts", err);
}

int sqlite_cookie_receipts_between(struct pdv_store_impl *s, int64_t from, int64_t to,
                                   pdv_cookie_receipt_cb cb, void *ctx, struct pdv_error *err)
{
	struct receipt_iter it = {cb, ctx};
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_COOKIE_RECEIPTS_BETWEEN);

	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	return sq_each(s, st, receipt_row, &it, "reading consent receipts", err);
}

struct config_iter {
	pdv_cookie_config_cb cb;
	void *ctx;
};

static int config_row(void *ctx, sqlite3_stmt *st)
{
	struct config_iter *it = ctx;
	struct pdv_cookie_config_row row = {
	    .id = sq_col_text(st, 0),
	    .kit = sq_col_text(st, 1),
	    .lang = sq_col_text(st, 2),
	    .declaration = sq_col_text(st, 3),
	    .canonical = sq_col_text(st, 4),
	    .created_at = sqlite3_column_int64(st, 5),
	};

	return it->cb(it->ctx, &row);
}

int sqlite_cookie_configs_each(struct pdv_store_impl *s, pdv_cookie_config_cb cb, void *ctx,
                               struct pdv_error *err)
{
	struct config_iter it = {cb, ctx};
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_COOKIE_CONFIGS_EACH);

	return sq_each(s, st, config_row, &it, "reading banner configurations", err);
}

int sqlite_cookie_receipts_purge(struct pdv_store_impl *s, int64_t before, bool dry_run,
                                 int64_t *ret_n, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_COOKIE_RECEIPTS_COUNT_BEFORE);
	int rc;

	sqlite3_bind_int64(st, 1, before);
	if ((rc = sq_int64(s, st, ret_n, "counting consent receipts", err)) < 0 || dry_run)
		return rc;
	st = sq_stmt(s, PDV_SQL_COOKIE_RECEIPTS_PURGE);
	sqlite3_bind_int64(st, 1, before);
	return sq_done(s, st, err, "sweeping consent receipts");
}
