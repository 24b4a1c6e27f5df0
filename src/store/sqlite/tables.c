/*
 * tables.c — the SQLite backend's side of the copy between backends
 * (pdvault migrate): each table's rows as plain values, and rows put back
 * as they were read (tables.h names the tables and their statements).
 */
#include "sqlite-internal.h"
#include "../tables.h"

static const struct pdv_table_statements tables[] = {PDV_STORE_TABLES(PDV_TABLE_STATEMENTS)};

int sqlite_table_each(struct pdv_store_impl *s, size_t table, pdv_table_row_cb cb, void *ctx,
                      struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, tables[table].rows);
	struct pdv_value row[PDV_STORE_COLUMNS_MAX];
	int n = tables[table].columns, rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int c = 0; c < n; c++) {
			struct pdv_value *v = &row[c];

			switch (sqlite3_column_type(st, c)) {
			case SQLITE_INTEGER:
				*v = (struct pdv_value){.kind = PDV_VALUE_INT,
				                        .i = sqlite3_column_int64(st, c)};
				break;
			case SQLITE_TEXT:
				v->kind = PDV_VALUE_TEXT;
				v->p = sqlite3_column_text(st, c);
				v->len = (size_t)sqlite3_column_bytes(st, c);
				break;
			case SQLITE_BLOB:
				v->kind = PDV_VALUE_BLOB;
				v->p = sqlite3_column_blob(st, c);
				v->len = (size_t)sqlite3_column_bytes(st, c);
				break;
			default: /* NULL; no column holds a float */
				*v = (struct pdv_value){.kind = PDV_VALUE_NULL};
			}
		}
		if ((rc = cb(ctx, row, n)) != 0) {
			sqlite3_reset(st);
			return rc;
		}
	}
	if (rc != SQLITE_DONE) {
		rc = sq_error(s, err, "reading a table to copy");
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return 0;
}

int sqlite_table_put(struct pdv_store_impl *s, size_t table, const struct pdv_value *row, int n,
                     struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, tables[table].put);

	if (n != tables[table].columns)
		return pdv_error_set(err, PDV_E_INTERNAL, "store: a row of %d columns for %d", n,
		                     tables[table].columns);
	for (int c = 0; c < n; c++) {
		const struct pdv_value *v = &row[c];

		switch (v->kind) {
		case PDV_VALUE_INT:
			sqlite3_bind_int64(st, c + 1, v->i);
			break;
		case PDV_VALUE_TEXT:
			sqlite3_bind_text(st, c + 1, v->p, (int)v->len, SQLITE_STATIC);
			break;
		case PDV_VALUE_BLOB:
			sqlite3_bind_blob(st, c + 1, v->p, (int)v->len, SQLITE_STATIC);
			break;
		case PDV_VALUE_NULL:
			sqlite3_bind_null(st, c + 1);
			break;
		}
	}
	return sq_done(s, st, err, "copying a row");
}

int sqlite_table_count(struct pdv_store_impl *s, size_t table, int64_t *ret, struct pdv_error *err)
{
	return sq_int64(s, sq_stmt(s, tables[table].count), ret, "counting a table's rows", err);
}

int sqlite_meta_clear(struct pdv_store_impl *s, struct pdv_error *err)
{
	return sq_done(s, sq_stmt(s, PDV_SQL_TABLE_CLEAR_META), err, "emptying meta");
}
