/*
 * cookies.c — the PostgreSQL side of cookie banners and consent receipts
 * (the SQLite backend's cookies.c, statement for statement): the
 * configurations `pdvault banner` wrote, by id, and the receipts, appended
 * (a trigger refuses any UPDATE) and deleted only by the sweep once their
 * proof retention has passed.
 */
#include <string.h>

#include "pg-internal.h"

int pg_cookie_config_put(struct pdv_store_impl *s, const struct pdv_cookie_config_row *row,
                         struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_text(&p, row->id);
	pp_text(&p, row->kit);
	pp_text(&p, row->lang);
	pp_text(&p, row->declaration);
	pp_text(&p, row->canonical);
	pp_int(&p, row->created_at);
	return pg_done(s, PDV_SQL_COOKIE_CONFIG_PUT, &p, "keeping a banner configuration", err);
}

int pg_cookie_config_get(struct pdv_store_impl *s, const char *id,
                         struct pdv_cookie_config_row *ret, struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_text(&p, id);
	if ((rc = pg_one(s, PDV_SQL_COOKIE_CONFIG_GET, &p, "no such banner configuration",
	                 "reading a banner configuration", err)) < 0)
		return rc;
	/* valid until the next call on the store */
	ret->id = pg_col_text(s->res, 0, 0);
	ret->kit = pg_col_text(s->res, 0, 1);
	ret->lang = pg_col_text(s->res, 0, 2);
	ret->declaration = pg_col_text(s->res, 0, 3);
	ret->canonical = pg_col_text(s->res, 0, 4);
	ret->created_at = pg_col_int64(s->res, 0, 5);
	return 0;
}

int pg_cookie_receipt_insert(struct pdv_store_impl *s, struct pdv_cookie_receipt_row *row,
                             struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_blob(&p, row->tag, PDV_TAG_LEN);
	pp_blob(&p, row->consent_index, 32);
	pp_text(&p, row->config_id);
	pp_text(&p, row->declaration);
	pp_text(&p, row->event);
	pp_text(&p, row->choices);
	pp_int(&p, row->gpc ? 1 : 0);
	pp_int(&p, row->given_at);
	pp_int(&p, row->received_at);
	if ((rc = pg_one(s, PDV_SQL_COOKIE_RECEIPT_INSERT, &p, "no row inserted",
	                 "writing a consent receipt", err)) < 0)
		return rc;
	row->id = pg_col_int64(s->res, 0, 0);
	return 0;
}

static void receipt_from_row(const PGresult *res, int i, struct pdv_cookie_receipt_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = pg_col_int64(res, i, 0);
	pg_col_fixed(res, i, 1, r->tag, PDV_TAG_LEN);
	pg_col_fixed(res, i, 2, r->consent_index, 32);
	r->config_id = pg_col_text(res, i, 3);
	r->declaration = pg_col_text(res, i, 4);
	r->event = pg_col_text(res, i, 5);
	r->choices = pg_col_text(res, i, 6);
	r->gpc = pg_col_int64(res, i, 7) != 0;
	r->given_at = pg_col_int64(res, i, 8);
	r->received_at = pg_col_int64(res, i, 9);
}

int pg_cookie_receipt_get(struct pdv_store_impl *s, int64_t id, struct pdv_cookie_receipt_row *ret,
                          struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_int(&p, id);
	if ((rc = pg_one(s, PDV_SQL_COOKIE_RECEIPT_GET, &p, "no such consent receipt",
	                 "reading a consent receipt", err)) < 0)
		return rc;
	receipt_from_row(s->res, 0, ret); /* valid until the next call on the store */
	return 0;
}

struct receipt_iter {
	pdv_cookie_receipt_cb cb;
	void *ctx;
};

static int receipt_row(void *ctx, const PGresult *res, int i)
{
	struct receipt_iter *it = ctx;
	struct pdv_cookie_receipt_row row;

	receipt_from_row(res, i, &row);
	return it->cb(it->ctx, &row);
}

int pg_cookie_receipts_of(struct pdv_store_impl *s, const uint8_t consent_index[32],
                          pdv_cookie_receipt_cb cb, void *ctx, struct pdv_error *err)
{
	struct receipt_iter it = {cb, ctx};
	struct pg_params p = {0};

	pp_blob(&p, consent_index, 32);
	return pg_each(s, PDV_SQL_COOKIE_RECEIPTS_OF, &p, receipt_row, &it,
	               "reading consent receipts", err);
}

int pg_cookie_receipts_purge(struct pdv_store_impl *s, int64_t before, bool dry_run, int64_t *ret_n,
                             struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	pp_int(&p, before);
	if ((rc = pg_scalar(s, PDV_SQL_COOKIE_RECEIPTS_COUNT_BEFORE, &p, ret_n,
	                    "counting consent receipts", err)) < 0 ||
	    dry_run)
		return rc;
	return pg_done(s, PDV_SQL_COOKIE_RECEIPTS_PURGE, &p, "sweeping consent receipts", err);
}

int pg_cookie_receipts_between(struct pdv_store_impl *s, int64_t from, int64_t to,
                               pdv_cookie_receipt_cb cb, void *ctx, struct pdv_error *err)
{
	struct receipt_iter it = {cb, ctx};
	struct pg_params p = {0};

	pp_int(&p, from);
	pp_int(&p, to);
	return pg_each(s, PDV_SQL_COOKIE_RECEIPTS_BETWEEN, &p, receipt_row, &it,
	               "reading consent receipts", err);
}

struct config_iter {
	pdv_cookie_config_cb cb;
	void *ctx;
};

static int config_row(void *ctx, const PGresult *res, int i)
{
	struct config_iter *it = ctx;
	struct pdv_cookie_config_row row = {
	    .id = pg_col_text(res, i, 0),
	    .kit = pg_col_text(res, i, 1),
	    .lang = pg_col_text(res, i, 2),
	    .declaration = pg_col_text(res, i, 3),
	    .canonical = pg_col_text(res, i, 4),
	    .created_at = pg_col_int64(res, i, 5),
	};

	return it->cb(it->ctx, &row);
}

int pg_cookie_configs_each(struct pdv_store_impl *s, pdv_cookie_config_cb cb, void *ctx,
                           struct pdv_error *err)
{
	struct config_iter it = {cb, ctx};

	return pg_each(s, PDV_SQL_COOKIE_CONFIGS_EACH, NULL, config_row, &it,
	               "reading banner configurations", err);
}
