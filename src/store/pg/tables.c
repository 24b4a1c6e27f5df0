/*
 * tables.c — the PostgreSQL backend's side of the copy between backends
 * (pdvault migrate): each table's rows as plain values (the column's type
 * says how to read its binary value: bigint, text or bytea, the only types
 * of the schema), and rows put back as they were read, every value bound
 * in binary format (the column's type, known to the server, reads it).
 */
#include <string.h>

#include "pg-internal.h"
#include "../tables.h"

#define INT8OID 20
#define TEXTOID 25

_Static_assert(PDV_STORE_COLUMNS_MAX <= PG_PARAMS_MAX, "a table's row fits one statement's values");

static const struct pdv_table_statements tables[] = {PDV_STORE_TABLES(PDV_TABLE_STATEMENTS)};

struct each {
	pdv_table_row_cb cb;
	void *ctx;
	int n;
};

static int each_row(void *ctx, const PGresult *res, int i)
{
	struct each *e = ctx;
	struct pdv_value row[PDV_STORE_COLUMNS_MAX];

	for (int c = 0; c < e->n; c++) {
		struct pdv_value *v = &row[c];
		Oid type = PQftype(res, c);

		if (pg_null(res, i, c))
			*v = (struct pdv_value){.kind = PDV_VALUE_NULL};
		else if (type == INT8OID)
			*v =
			    (struct pdv_value){.kind = PDV_VALUE_INT, .i = pg_col_int64(res, i, c)};
		else
			*v = (struct pdv_value){.kind = type == TEXTOID ? PDV_VALUE_TEXT
			                                                : PDV_VALUE_BLOB,
			                        .p = PQgetvalue(res, i, c),
			                        .len = (size_t)PQgetlength(res, i, c)};
	}
	return e->cb(e->ctx, row, e->n);
}

int pg_table_each(struct pdv_store_impl *s, size_t table, pdv_table_row_cb cb, void *ctx,
                  struct pdv_error *err)
{
	struct each e = {cb, ctx, tables[table].columns};

	return pg_each(s, tables[table].rows, NULL, each_row, &e, "reading a table to copy", err);
}

int pg_table_put(struct pdv_store_impl *s, size_t table, const struct pdv_value *row, int n,
                 struct pdv_error *err)
{
	struct pg_params p = {0};

	s->token_cached = false; /* a copied row may be a token */
	s->head_cached = false;  /* or an audit entry */
	if (n != tables[table].columns)
		return pdv_error_set(err, PDV_E_INTERNAL, "store: a row of %d columns for %d", n,
		                     tables[table].columns);
	for (int c = 0; c < n; c++) {
		const struct pdv_value *v = &row[c];

		if (v->kind == PDV_VALUE_INT)
			pp_int(&p, v->i);
		else if (v->kind == PDV_VALUE_NULL)
			pp_blob(&p, NULL, 0);
		else /* text and bytea alike: their bytes, binary format */
			pp_blob(&p, v->p ? v->p : "", v->len);
	}
	return pg_queue(s, tables[table].put, &p, "copying a row", err);
}

int pg_table_count(struct pdv_store_impl *s, size_t table, int64_t *ret, struct pdv_error *err)
{
	return pg_scalar(s, tables[table].count, NULL, ret, "counting a table's rows", err);
}

int pg_meta_clear(struct pdv_store_impl *s, struct pdv_error *err)
{
	return pg_done(s, PDV_SQL_TABLE_CLEAR_META, NULL, "emptying meta", err);
}
