/*
 * backup.c — the PostgreSQL backend's backup and restore (store.h).
 *
 * A backup is a file of its own format, made online: every table of the
 * vault copied out (COPY ... TO STDOUT, binary) in one read-only snapshot,
 * so it is consistent while writers go on:
 *
 *   "pdvault-pg-backup 1\n", the schema version (4 bytes, big-endian),
 *   then per table: its name's length (1 byte), its name, the length of its
 *   COPY data (8 bytes, big-endian), the data.
 *
 * The file is created owner-only, never over an existing one, and synced
 * before the call returns. What is in it is what the store holds: sealed
 * values and keyed hashes, never a clear one.
 *
 * A restore, step by step: the staging schema (the vault's schema name and
 * "_restore") is made again, empty; a connection to it runs the migrations
 * up to the backup's version and copies the rows in (parents first), in one
 * transaction; prepare(ctx, staged_url) opens it as a vault (the engine
 * replays the erasures made since) and closes it; then, in one transaction
 * under the writer lock, the staged tables take the place of the vault's
 * (pdv_restore_swap). Any failure before the swap drops the staging schema
 * and leaves the vault as it was.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pg-internal.h"

#define MAGIC "pdvault-pg-backup 1\n"
#define COPY_OUT "copy_out_"
#define COPY_IN "copy_in_"

static void be_put(uint8_t *out, uint64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--, v >>= 8)
		out[i] = (uint8_t)v;
}

static uint64_t be_get(const uint8_t *in, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = (v << 8) | in[i];
	return v;
}

static int write_all(int fd, const void *buf, size_t n)
{
	const uint8_t *p = buf;

	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int read_all(int fd, void *buf, size_t n)
{
	uint8_t *p = buf;

	while (n) {
		ssize_t r = read(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* a COPY of statement `which` (a copy_out_ block) into fd: its bytes */
static int copy_out(struct pdv_store_impl *s, int which, int fd, uint64_t *ret_len,
                    struct pdv_error *err)
{
	PGresult *res = PQexec(s->conn, pdv_pg_statements[which].sql);
	char *buf;
	int n, rc = 0;

	*ret_len = 0;
	if (!res || PQresultStatus(res) != PGRES_COPY_OUT) {
		rc = pg_error(s, res, err, "copying a table out");
		PQclear(res);
		return rc;
	}
	PQclear(res);
	while ((n = PQgetCopyData(s->conn, &buf, 0)) > 0) {
		if (rc == 0 && write_all(fd, buf, (size_t)n) < 0)
			rc = pdv_error_set(err, PDV_E_IO, "cannot write the backup: %s",
			                   strerror(errno));
		*ret_len += (uint64_t)n;
		PQfreemem(buf);
	}
	while ((res = PQgetResult(s->conn))) {
		if (rc == 0 && PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = pg_error(s, res, err, "copying a table out");
		PQclear(res);
	}
	return rc;
}

/* every copy_out_ table, after the header, with its length before its data */
static int write_tables(struct pdv_store_impl *s, int fd, struct pdv_error *err)
{
	int64_t version = 0;
	uint8_t head[sizeof(MAGIC) - 1 + 4];
	int rc;

	if ((rc = pg_scalar(s, PDV_SQL_SCHEMA_VERSION, NULL, &version, "reading the schema version",
	                    err)) < 0)
		return rc;
	memcpy(head, MAGIC, sizeof(MAGIC) - 1);
	be_put(head + sizeof(MAGIC) - 1, (uint64_t)version, 4);
	if (write_all(fd, head, sizeof(head)) < 0)
		return pdv_error_set(err, PDV_E_IO, "cannot write the backup: %s", strerror(errno));
	for (int i = 0; i < PDV_SQL__COUNT; i++) {
		const char *table;
		uint8_t name_len, len[8];
		off_t at;
		uint64_t n;

		if (strncmp(pdv_pg_statements[i].name, COPY_OUT, strlen(COPY_OUT)) != 0)
			continue;
		table = pdv_pg_statements[i].name + strlen(COPY_OUT);
		name_len = (uint8_t)strlen(table);
		if (write_all(fd, &name_len, 1) < 0 || write_all(fd, table, name_len) < 0 ||
		    (at = lseek(fd, 0, SEEK_CUR)) < 0 || write_all(fd, "\0\0\0\0\0\0\0\0", 8) < 0)
			return pdv_error_set(err, PDV_E_IO, "cannot write the backup: %s",
			                     strerror(errno));
		if ((rc = copy_out(s, i, fd, &n, err)) < 0)
			return rc;
		be_put(len, n, 8);
		if (pwrite(fd, len, 8, at) != 8)
			return pdv_error_set(err, PDV_E_IO, "cannot write the backup: %s",
			                     strerror(errno));
	}
	return 0;
}

int pg_backup(struct pdv_store_impl *s, const char *path, struct pdv_error *err)
{
	bool own_tx = !s->in_tx;
	int fd, rc;

	/* owner-only, and never over an existing file */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return pdv_error_set(err, errno == EEXIST ? PDV_E_REFUSED : PDV_E_IO,
		                     errno == EEXIST ? "backup '%s' already exists"
		                                     : "cannot create backup '%s'",
		                     path);
	/* inside a write transaction, its view is already one state */
	if (own_tx && (rc = pg_done(s, PDV_SQL_BACKUP_BEGIN, NULL, "beginning a backup", err)) < 0)
		goto fail;
	rc = write_tables(s, fd, err);
	if (own_tx)
		pg_run(s, PDV_SQL_ROLLBACK, NULL, "ending a backup", NULL); /* it read only */
	if (rc < 0)
		goto fail;
	if (fsync(fd) < 0) {
		rc = pdv_error_set(err, PDV_E_IO, "cannot sync backup '%s'", path);
		goto fail;
	}
	close(fd);
	return 0;
fail:
	close(fd);
	unlink(path);
	return rc;
}

/* --- restore --- */

/* the copy_in_ statement of a table, or -1 */
static int copy_in_of(const char *table)
{
	for (int i = 0; i < PDV_SQL__COUNT; i++) {
		const char *name = pdv_pg_statements[i].name;

		if (strncmp(name, COPY_IN, strlen(COPY_IN)) == 0 &&
		    strcmp(name + strlen(COPY_IN), table) == 0)
			return i;
	}
	return -1;
}

/* n bytes of fd into the COPY the connection is in */
static int feed(struct pdv_store_impl *s, int fd, uint64_t n, struct pdv_error *err)
{
	char buf[65536];

	while (n) {
		size_t k = n < sizeof(buf) ? (size_t)n : sizeof(buf);

		if (read_all(fd, buf, k) < 0)
			return pdv_error_set(err, PDV_E_IO, "the backup is cut short");
		if (PQputCopyData(s->conn, buf, (int)k) != 1)
			return pg_error(s, NULL, err, "copying a table in");
		n -= k;
	}
	return 0;
}

static int copy_in(struct pdv_store_impl *s, int which, int fd, uint64_t n, struct pdv_error *err)
{
	PGresult *res = PQexec(s->conn, pdv_pg_statements[which].sql);
	int rc;

	if (!res || PQresultStatus(res) != PGRES_COPY_IN) {
		rc = pg_error(s, res, err, "copying a table in");
		PQclear(res);
		return rc;
	}
	PQclear(res);
	rc = feed(s, fd, n, err);
	PQputCopyEnd(s->conn, rc < 0 ? "the backup could not be read" : NULL);
	while ((res = PQgetResult(s->conn))) {
		if (rc == 0 && PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = pg_error(s, res, err, "copying a table in");
		PQclear(res);
	}
	return rc;
}

/* the backup's tables into the staged store, at the backup's version */
static int load(struct pdv_store_impl *st, int fd, int version, const char *from,
                struct pdv_error *err)
{
	int rc;

	if ((rc = pg_done(st, PDV_SQL_BEGIN, NULL, "beginning a restore", err)) < 0)
		return rc;
	for (int m = 0; m < version; m++) {
		PGresult *res = PQexec(st->conn, pdv_pg_migrations[m].sql);

		if (!res || PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = pg_error(st, res, err, "making the staged store");
		PQclear(res);
		if (rc < 0)
			return rc;
	}
	for (;;) {
		uint8_t name_len, len[8];
		char table[256];
		ssize_t r = read(fd, &name_len, 1);
		int which;

		if (r == 0)
			break;
		if (r < 0 || read_all(fd, table, name_len) < 0 || read_all(fd, len, 8) < 0)
			return pdv_error_set(err, PDV_E_IO, "backup '%s' is cut short", from);
		table[name_len] = '\0';
		if ((which = copy_in_of(table)) < 0)
			return pdv_error_set(err, PDV_E_IO, "backup '%s' has an unknown table",
			                     from);
		if ((rc = copy_in(st, which, fd, be_get(len, 8), err)) < 0)
			return rc;
	}
	rc = pg_done(st, PDV_SQL_COMMIT, NULL, "committing the staged store", err);
	if (rc == 0 && strcmp(PQcmdStatus(st->res), "COMMIT") != 0)
		rc = pdv_error_set(err, PDV_E_IO, "the staged store was rolled back");
	return rc;
}

/* the header: PDV_E_IO unless a backup of a version this pdvault knows */
static int read_header(int fd, const char *from, int *ret_version, struct pdv_error *err)
{
	uint8_t head[sizeof(MAGIC) - 1 + 4];

	if (read_all(fd, head, sizeof(head)) < 0 || memcmp(head, MAGIC, sizeof(MAGIC) - 1) != 0)
		return pdv_error_set(err, PDV_E_IO, "'%s' is not a backup of a PostgreSQL store",
		                     from);
	*ret_version = (int)be_get(head + sizeof(MAGIC) - 1, 4);
	if (*ret_version < 1 || *ret_version > pdv_pg_n_migrations)
		return pdv_error_set(
		    err, PDV_E_IO, "backup '%s' has schema version %d; this pdvault knows up to %d",
		    from, *ret_version, pdv_pg_n_migrations);
	return 0;
}

/* `where` with the staging schema first on its search path ("_restore" after
 * the vault's own); NULL when the vault's schema name is not a plain one */
static char *staged_where(const char *where, const char *schema, char *name, size_t size)
{
	size_t n = strlen(schema);
	char *out;

	if (!n || n > 48 || strspn(schema, "abcdefghijklmnopqrstuvwxyz0123456789_") != n)
		return NULL;
	snprintf(name, size, "%s_restore", schema);
	n = strlen(where) + strlen(name) + 64;
	if ((out = malloc(n)))
		snprintf(out, n, "%s%coptions=-csearch_path%%3D%s", where,
		         strchr(where, '?') ? '&' : '?', name);
	return out;
}

int pg_restore(const char *where, const char *from_path,
               int (*prepare_cb)(void *ctx, const char *staged_url, struct pdv_error *err),
               void *ctx, struct pdv_error *err)
{
	struct pdv_store_impl *live = NULL, *st = NULL;
	struct pg_params p = {0}, drop = {0};
	char schema[64], staged[80], *swhere = NULL, *surl = NULL;
	int fd, version = 0, rc;
	bool made = false;

	if ((fd = open(from_path, O_RDONLY | O_CLOEXEC)) < 0)
		return pdv_error_set(err, PDV_E_IO, "cannot read backup '%s': %s", from_path,
		                     strerror(errno));
	if ((rc = read_header(fd, from_path, &version, err)) < 0 ||
	    (rc = pg_connect(where, &live, err)) < 0)
		goto out;
	if ((rc = pg_one(live, PDV_SQL_CURRENT_SCHEMA, NULL, "no schema", "reading the schema",
	                 err)) < 0)
		goto out;
	snprintf(schema, sizeof(schema), "%s", pg_col_text(live->res, 0, 0));
	if (!(swhere = staged_where(where, schema, staged, sizeof(staged)))) {
		rc = pdv_error_set(
		    err, PDV_E_USAGE,
		    "a restore needs the vault's schema name to be lowercase letters, "
		    "digits and underscores");
		goto out;
	}
	pp_text(&p, staged);
	pp_text(&p, "t");
	pp_text(&drop, staged);
	pp_text(&drop, "f");
	if ((rc = pg_done(live, PDV_SQL_SCHEMA_RESET, &p, "making the staging schema", err)) < 0)
		goto out;
	made = true;
	if ((rc = pg_connect(swhere, &st, err)) < 0 ||
	    (rc = load(st, fd, version, from_path, err)) < 0)
		goto out;
	pg_close(st);
	st = NULL;
	size_t surl_len = strlen(swhere) + sizeof("postgresql:");
	if (!(surl = malloc(surl_len))) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	snprintf(surl, surl_len, "postgresql:%s", swhere);
	if ((rc = prepare_cb(ctx, surl, err)) < 0)
		goto out;
	/* the swap: every table at once, under the writer lock */
	memset(&p, 0, sizeof(p));
	pp_text(&p, staged);
	if ((rc = pg_begin_locked(live, err)) < 0)
		goto out;
	if ((rc = pg_done(live, PDV_SQL_RESTORE_SWAP, &p, "putting the restored store in place",
	                  err)) < 0) {
		pg_rollback(live);
		goto out;
	}
	if ((rc = pg_commit(live, err)) < 0) /* rolled back */
		goto out;
	made = false; /* the swap dropped it */
out:
	pg_close(st);
	if (made && live)
		pg_done(live, PDV_SQL_SCHEMA_RESET, &drop, "dropping the staging schema", NULL);
	pg_close(live);
	free(swhere);
	free(surl);
	close(fd);
	return rc;
}
