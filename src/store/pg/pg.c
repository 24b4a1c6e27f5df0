/*
 * pg.c — the PostgreSQL backend of the store: the connection, transactions,
 * ids, the store as a whole, and the table of operations (backend.h) whose
 * rows live in subjects.c, records.c, requests.c and audit.c.
 * docs/internals/store-pg.md has the design.
 *
 * One connection per handle. On open: a URL carrying a password is refused
 * (passwords come from PGPASSFILE or the libpq environment), the settings of
 * sql/pg/open.sql (synchronous_commit = on), every missing migration in its
 * own transaction, then every statement of sql/pg/statements.sql prepared
 * once; a call binds its values and runs one. No SQL is built from a value:
 * the one text made at run time, a batch's insert of many rows, repeats a
 * statement of statements.sql.
 *
 * Transactions take the vault's writer lock (an advisory lock) right after
 * BEGIN, so writers are serialised across connections and servers and what
 * a write transaction reads holds until it ends (store.h). The next id of
 * each kind and the audit head are read with the lock (tx_start) and
 * counted on in memory, as the SQLite backend does. Inside a transaction
 * the writes nobody reads the result of go through libpq's pipeline
 * (pg_queue), read with the next statement waited for; a server's worker
 * commits without waiting for the flush and its syncer makes the commits
 * durable on a connection of its own (store-pg.md, "Round trips" and
 * "Durability").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg-internal.h"

/* --- values in --- */

static const char **slot(struct pg_params *p, int len, int format)
{
	int i = p->n++;

	p->len[i] = len;
	p->format[i] = format;
	p->value[i] = NULL;
	return &p->value[i];
}

void pp_int(struct pg_params *p, int64_t v)
{
	const char **at = slot(p, 0, 0);

	snprintf(p->num[p->n - 1], sizeof(p->num[0]), "%lld", (long long)v);
	*at = p->num[p->n - 1];
}

void pp_opt_int(struct pg_params *p, int64_t v)
{
	if (v)
		pp_int(p, v);
	else
		slot(p, 0, 0);
}

void pp_text(struct pg_params *p, const char *v)
{
	*slot(p, 0, 0) = v;
}

void pp_blob(struct pg_params *p, const void *v, size_t n)
{
	/* binary format: the bytes as they are, no escaping */
	*slot(p, (int)n, 1) = v;
}

/* --- values out --- */

bool pg_null(const PGresult *res, int i, int col)
{
	return PQgetisnull(res, i, col) != 0;
}

int64_t pg_col_int64(const PGresult *res, int i, int col)
{
	const unsigned char *b;
	uint64_t v = 0;
	int n;

	if (PQgetisnull(res, i, col))
		return 0;
	b = (const unsigned char *)PQgetvalue(res, i, col);
	n = PQgetlength(res, i, col);
	/* binary integers are big-endian, of their type's width */
	for (int k = 0; k < n; k++)
		v = (v << 8) | b[k];
	switch (n) {
	case 1: /* a boolean */
		return (int64_t)v;
	case 2:
		return (int16_t)v;
	case 4:
		return (int32_t)v;
	default:
		return (int64_t)v;
	}
}

const char *pg_col_text(const PGresult *res, int i, int col)
{
	/* libpq puts a NUL after every value, binary ones included */
	return PQgetisnull(res, i, col) ? NULL : PQgetvalue(res, i, col);
}

const uint8_t *pg_col_blob(const PGresult *res, int i, int col, size_t *ret_len)
{
	if (PQgetisnull(res, i, col)) {
		*ret_len = 0;
		return NULL;
	}
	*ret_len = (size_t)PQgetlength(res, i, col);
	return (const uint8_t *)PQgetvalue(res, i, col);
}

bool pg_col_fixed(const PGresult *res, int i, int col, uint8_t *out, size_t n)
{
	size_t len;
	const uint8_t *p = pg_col_blob(res, i, col, &len);

	if (p && len == n) {
		memcpy(out, p, n);
		return true;
	}
	memset(out, 0, n);
	return false;
}

/* --- running statements --- */

static void statement_name(char *out, size_t size, int which)
{
	snprintf(out, size, "pdv%d", which);
}

/*
 * The error of a result (or of the connection when there is none), as an
 * rc: PDV_E_IO for the connection, the server's resources, a lock or a
 * conflict (what SQLite's BUSY, IOERR, FULL are), PDV_E_INTERNAL for the
 * rest. Only the primary message: a DETAIL may quote a row's values.
 */
int pg_error(struct pdv_store_impl *s, const PGresult *res, struct pdv_error *err, const char *what)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	bool io = !state || strncmp(state, "08", 2) == 0 || strncmp(state, "53", 2) == 0 ||
	          strncmp(state, "57", 2) == 0 || strncmp(state, "58", 2) == 0 ||
	          strncmp(state, "40", 2) == 0 || strcmp(state, "55P03") == 0;
	char conn_msg[256];

	if (s->in_tx)
		s->tx_failed = true;
	if (!msg) {
		/* libpq's own message ends with a newline */
		snprintf(conn_msg, sizeof(conn_msg), "%s", PQerrorMessage(s->conn));
		conn_msg[strcspn(conn_msg, "\n")] = '\0';
		msg = conn_msg;
	}
	return pdv_error_set(err, io ? PDV_E_IO : PDV_E_INTERNAL, "store '%s': %s: %s", s->where,
	                     what, msg);
}

static int pipe_flush(struct pdv_store_impl *s, struct pdv_error *err);

/* sql prepared as name, on behalf of statement which (named in an error) */
static int prepare_as(struct pdv_store_impl *s, int which, const char *name, const char *sql,
                      struct pdv_error *err)
{
	char what[96];
	PGresult *res;
	int rc;

	/* PQprepare waits for its answer: not inside a pipeline */
	if ((rc = pipe_flush(s, err)) < 0)
		return rc;
	res = PQprepare(s->conn, name, sql, 0, NULL);
	if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
		snprintf(what, sizeof(what), "preparing %s", pdv_pg_statements[which].name);
		rc = pg_error(s, res, err, what);
	}
	PQclear(res);
	return rc;
}

static int prepare(struct pdv_store_impl *s, int which, struct pdv_error *err)
{
	char name[16];
	int rc;

	if (s->prepared[which])
		return 0;
	statement_name(name, sizeof(name), which);
	if ((rc = prepare_as(s, which, name, pdv_pg_statements[which].sql, err)) == 0)
		s->prepared[which] = true;
	return rc;
}

/* a statement about to be sent: what it may change is forgotten, and a
 * change of rows counted (the audit append too, which read-ahead ignores) */
static void note_statement(struct pdv_store_impl *s, int which)
{
	if (s->writes[which])
		s->ahead_valid = false;
	if (s->in_tx && (s->writes[which] || which == PDV_SQL_AUDIT_APPEND))
		s->writes_sent++;
}

/*
 * A connection the server dropped (a restart, a failover, an administrator's
 * pg_terminate_backend) is opened again before the next call outside a
 * transaction: the call that met the loss failed, the next ones work. A
 * transaction under way is lost with its connection; its rollback comes
 * first. The statements are prepared again as they are used.
 */
static int revive(struct pdv_store_impl *s, struct pdv_error *err)
{
	PGresult *res;
	int rc = 0;

	if (PQstatus(s->conn) == CONNECTION_OK || s->in_tx)
		return 0;
	PQreset(s->conn);
	if (PQstatus(s->conn) != CONNECTION_OK)
		return pg_error(s, NULL, err, "connecting again");
	memset(s->prepared, 0, sizeof(s->prepared));
	for (int i = 0; s->batch && i < PG_BATCHED; i++)
		s->batch[i].prepared = 0;
	res = PQexec(s->conn, pdv_pg_open_sql);
	if (!res || PQresultStatus(res) != PGRES_COMMAND_OK)
		rc = pg_error(s, res, err, "setting up the connection again");
	PQclear(res);
	/* a server's connection is named again, for key rotate and migrate */
	if (rc == 0 && s->announced)
		rc = pg_announce(s, err);
	/* and its commits deferred again (open.sql set synchronous_commit on) */
	if (rc == 0 && s->deferred)
		rc = pg_run(s, PDV_SQL_DURABILITY_DEFERRED, NULL, "setting the durability", err);
	return rc;
}

/*
 * The pipeline. A statement whose result nobody reads is sent and not
 * waited for (pg_queue); the next statement that is waited for goes after
 * it, then a sync, and drain reads every result in order: one round trip
 * for the lot. The first statement that fails aborts the transaction and
 * PostgreSQL skips the rest up to the sync (PGRES_PIPELINE_ABORTED), so the
 * error returned is the first one, under the "what" of its own statement.
 * `which` (-1: none) is the statement waited for, its result kept as
 * pg_run keeps it; `rc` is an error met while sending, returned first.
 */
static int drain(struct pdv_store_impl *s, int which, const char *what, int rc,
                 struct pdv_error *err)
{
	int at = 0, sent = s->queued + (which >= 0);
	bool synced = PQpipelineSync(s->conn) == 1;

	if (!synced && rc == 0)
		rc = pg_error(s, NULL, err, what);
	while (synced) {
		PGresult *res = PQgetResult(s->conn);
		ExecStatusType st;

		if (!res) { /* the end of one statement's results */
			if (PQstatus(s->conn) != CONNECTION_OK) {
				if (rc == 0)
					rc = pg_error(s, NULL, err, what);
				break;
			}
			if (++at > sent)
				break; /* never wait past what was sent */
			continue;
		}
		st = PQresultStatus(res);
		if (st == PGRES_PIPELINE_SYNC) {
			PQclear(res);
			break;
		}
		if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && rc == 0) {
			rc = pg_error(s, res, err, at < s->queued ? s->queued_what[at] : what);
			if (at < s->sp_at)
				s->failed_before_sp = true;
		}
		if (at == s->queued && which >= 0 && !s->kept[which])
			s->kept[which] = s->res = res;
		else
			PQclear(res);
	}
	s->queued = 0;
	s->sp_at = -1;
	s->piped = false;
	if (!PQexitPipelineMode(s->conn) && rc == 0)
		rc = pg_error(s, NULL, err, what);
	return rc;
}

static int pipe_flush(struct pdv_store_impl *s, struct pdv_error *err)
{
	return s->piped ? drain(s, -1, "writing", 0, err) : 0;
}

/*
 * Batches. PostgreSQL spends on each statement (binding it, starting its
 * executor, its portal, its protocol messages) about what it spends on the
 * row an insert writes; a server's group inserts four rows a new person,
 * each of its own statement. So the inserts whose rows nobody reads back
 * in the transaction before another statement goes (batched_sql) are held
 * in the handle, their values copied, and sent as one statement of many
 * rows when any other statement is sent or waited for (batch_send): the
 * next read, a savepoint, an update, the commit. What the database sees is
 * the same rows in the same transaction, before every statement that came
 * after them; only the order among the held inserts changes, parents first
 * (a subject before its lookups and records, which refer to it). A failed
 * row fails its whole statement, which aborts the transaction as one failed
 * insert did: no row of it is kept. The statement of k rows repeats the
 * one-row statement's VALUES tuple k times, its $N numbered on: built from
 * statements.sql's text alone, never from a value, and prepared when first
 * needed, for k a power of two (a batch of 37 rows goes as 32, 4 and 1).
 */
static const int batched_sql[PG_BATCHED] = {
    PDV_SQL_SUBJECT_INSERT,
    PDV_SQL_LOOKUP_INSERT,
    PDV_SQL_RECORD_INSERT,
    PDV_SQL_AUDIT_APPEND,
};

static int batched_slot(int which)
{
	for (int i = 0; i < PG_BATCHED; i++)
		if (batched_sql[i] == which)
			return i;
	return -1;
}

/* the held rows go unsent: their transaction is gone */
static void batch_drop(struct pdv_store_impl *s)
{
	for (int i = 0; s->batch && i < PG_BATCHED; i++)
		s->batch[i].rows = 0, s->batch[i].used = 0;
	s->batched_rows = 0;
}

/* "INSERT ... VALUES (t)" with t repeated `rows` times, each time its $N
 * numbered on by n; NULL: no memory, or not such a statement */
static char *batch_sql(const char *sql, int n, int rows)
{
	const char *values = strstr(sql, "VALUES (");
	const char *open = values ? values + 7 : NULL, *close = strrchr(sql, ')');
	size_t cap, at;
	char *out;

	if (!open || close < open || n < 1 || rows < 1)
		return NULL;
	/* each "$N" grows by at most six digits when numbered on */
	cap = strlen(sql) + (size_t)rows * ((size_t)(close - open) + 2 + 6 * (size_t)n) + 1;
	if (!(out = malloc(cap)))
		return NULL;
	at = (size_t)(open - sql);
	memcpy(out, sql, at);
	for (int r = 0; r < rows; r++) {
		if (r)
			out[at++] = ',';
		for (const char *c = open; c <= close;) {
			if (*c == '$' && c[1] >= '0' && c[1] <= '9') {
				long k = strtol(c + 1, (char **)&c, 10);

				at += (size_t)snprintf(out + at, cap - at, "$%ld", k + (long)r * n);
			} else {
				out[at++] = *c++;
			}
		}
	}
	snprintf(out + at, cap - at, "%s", close + 1);
	return out;
}

/* the prepared name of slot's statement of 2^log2 rows */
static void batch_name(char name[24], int slot, int log2)
{
	snprintf(name, 24, "pdv%d_%d", batched_sql[slot], 1 << log2);
}

static int batch_prepare(struct pdv_store_impl *s, int slot, int log2, struct pdv_error *err)
{
	struct pg_batch *b = &s->batch[slot];
	int which = batched_sql[slot];
	char name[24], *sql;
	int rc;

	if (b->prepared & (1u << log2))
		return 0;
	if (!(sql = batch_sql(pdv_pg_statements[which].sql, b->n, 1 << log2)))
		return pdv_error_set(err, PDV_E_INTERNAL, "store '%s': %s cannot be batched",
		                     s->where, pdv_pg_statements[which].name);
	batch_name(name, slot, log2);
	rc = prepare_as(s, which, name, sql, err);
	free(sql);
	if (rc == 0)
		b->prepared |= 1u << log2;
	return rc;
}

/* the held rows, as few statements as their counts allow, queued in order */
static int batch_send(struct pdv_store_impl *s, struct pdv_error *err)
{
	const char *value[PG_BATCH_ROWS * PG_PARAMS_MAX];
	int rc = 0;

	if (!s->batched_rows)
		return 0;
	for (int i = 0; i < PG_BATCHED && rc == 0; i++) {
		struct pg_batch *b = &s->batch[i];

		for (int at = 0, log2 = 6; at < b->rows && rc == 0;) {
			char name[24];
			int k = 1 << log2, first = at * b->n;

			if (b->rows - at < k) {
				log2--;
				continue;
			}
			if ((s->queued == PG_QUEUE_MAX && (rc = pipe_flush(s, err)) < 0) ||
			    (rc = batch_prepare(s, i, log2, err)) < 0)
				break;
			if (!s->piped && !PQenterPipelineMode(s->conn)) {
				rc = pg_error(s, NULL, err, b->what);
				break;
			}
			s->piped = true;
			for (int v = first; v < first + k * b->n; v++)
				value[v - first] = b->off[v] < 0 ? NULL : b->data + b->off[v];
			batch_name(name, i, log2);
			if (!PQsendQueryPrepared(s->conn, name, k * b->n, value, b->len + first,
			                         b->format + first, 1)) {
				rc = pg_error(s, NULL, err, b->what);
				break;
			}
			s->queued_what[s->queued++] = b->what;
			at += k;
		}
	}
	batch_drop(s);
	return rc;
}

/* one row held (its values copied), the lot sent when a batch is full */
static int batch_hold(struct pdv_store_impl *s, int slot, const struct pg_params *p,
                      const char *what, struct pdv_error *err)
{
	struct pg_batch *b;
	int first;

	if (!s->batch && !(s->batch = calloc(PG_BATCHED, sizeof(*s->batch))))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	b = &s->batch[slot];
	if (b->rows && p->n != b->n) {
		int rc = batch_send(s, err); /* never: a statement binds its number */

		if (rc < 0)
			return rc;
	}
	if (b->rows == 0)
		b->n = p->n, b->what = what;
	first = b->rows * b->n;
	for (int i = 0; i < p->n; i++) {
		size_t n = !p->value[i]   ? 0
		           : p->format[i] ? (size_t)p->len[i]
		                          : strlen(p->value[i]) + 1;

		/* data is never NULL once a row is held: an empty value points
		 * into it, and NULL would send SQL NULL */
		if (b->used + n > b->cap || !b->data) {
			size_t cap = b->cap ? b->cap : 4096;
			char *data;

			while (cap < b->used + n)
				cap *= 2;
			if (!(data = realloc(b->data, cap)))
				return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
			b->data = data, b->cap = cap;
		}
		b->len[first + i] = p->len[i];
		b->format[first + i] = p->format[i];
		b->off[first + i] = p->value[i] ? (ptrdiff_t)b->used : -1;
		if (n)
			memcpy(b->data + b->used, p->value[i], n);
		b->used += n;
	}
	b->rows++;
	s->batched_rows++;
	return b->rows == PG_BATCH_ROWS ? batch_send(s, err) : 0;
}

int pg_flush(struct pdv_store_impl *s, struct pdv_error *err)
{
	int rc = batch_send(s, err);

	if (rc < 0) {
		if (s->piped)
			drain(s, -1, "writing", rc, NULL);
		return rc;
	}
	return pipe_flush(s, err);
}

int pg_queue(struct pdv_store_impl *s, int which, const struct pg_params *p, const char *what,
             struct pdv_error *err)
{
	char name[16];
	int rc, slot;

	if (!s->in_tx)
		return pg_done(s, which, p, what, err);
	s->cached_subject = 0;
	s->cached_records = 0;
	note_statement(s, which);
	if (p && (slot = batched_slot(which)) >= 0 && p->n > 0) {
		/* no result of its own to read: pg_changes reads none either */
		PQclear(s->kept[which]);
		s->kept[which] = s->res = NULL;
		return batch_hold(s, slot, p, what, err);
	}
	if ((rc = batch_send(s, err)) < 0 ||
	    (s->queued == PG_QUEUE_MAX && (rc = pipe_flush(s, err)) < 0) ||
	    (rc = prepare(s, which, err)) < 0)
		return rc;
	if (!s->piped && !PQenterPipelineMode(s->conn))
		return pg_error(s, NULL, err, what);
	s->piped = true;
	/* no result of its own to read: pg_changes reads none either */
	PQclear(s->kept[which]);
	s->kept[which] = s->res = NULL;
	statement_name(name, sizeof(name), which);
	if (!PQsendQueryPrepared(s->conn, name, p ? p->n : 0, p ? p->value : NULL,
	                         p ? p->len : NULL, p ? p->format : NULL, 1))
		return pg_error(s, NULL, err, what);
	s->queued_what[s->queued++] = what;
	return 0;
}

int pg_run(struct pdv_store_impl *s, int which, const struct pg_params *p, const char *what,
           struct pdv_error *err)
{
	char name[16];
	ExecStatusType st;
	int rc;

	/* what this statement handed out last time goes now */
	s->cached_subject = 0;
	s->cached_records = 0;
	note_statement(s, which);
	PQclear(s->kept[which]);
	s->kept[which] = s->res = NULL;
	/* the rows held go first, read with this statement's round trip */
	if ((rc = batch_send(s, err)) < 0)
		return s->piped ? drain(s, -1, what, rc, err) : rc;
	if ((rc = revive(s, err)) < 0 || (rc = prepare(s, which, err)) < 0)
		return rc;
	statement_name(name, sizeof(name), which);
	if (s->piped) {
		/* sent after the queued statements, read with them: one round trip */
		if (!PQsendQueryPrepared(s->conn, name, p ? p->n : 0, p ? p->value : NULL,
		                         p ? p->len : NULL, p ? p->format : NULL, 1))
			rc = pg_error(s, NULL, err, what);
		return drain(s, rc == 0 ? which : -1, what, rc, err);
	}
	s->kept[which] = s->res = PQexecPrepared(s->conn, name, p ? p->n : 0, p ? p->value : NULL,
	                                         p ? p->len : NULL, p ? p->format : NULL, 1);
	st = s->res ? PQresultStatus(s->res) : PGRES_FATAL_ERROR;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		return pg_error(s, s->res, err, what);
	return 0;
}

int64_t pg_changes(struct pdv_store_impl *s)
{
	const char *n = s->res ? PQcmdTuples(s->res) : "";

	return *n ? strtoll(n, NULL, 10) : 0;
}

int pg_one(struct pdv_store_impl *s, int which, const struct pg_params *p, const char *missing,
           const char *what, struct pdv_error *err)
{
	int rc = pg_run(s, which, p, what, err);

	if (rc < 0)
		return rc;
	if (PQntuples(s->res) < 1)
		return pdv_error_set(err, PDV_E_NOTFOUND, "%s", missing);
	return 0;
}

int pg_scalar(struct pdv_store_impl *s, int which, const struct pg_params *p, int64_t *ret,
              const char *what, struct pdv_error *err)
{
	int rc = pg_run(s, which, p, what, err);

	if (rc < 0)
		return rc;
	if (PQntuples(s->res) < 1 || PQnfields(s->res) < 1)
		return pdv_error_set(err, PDV_E_INTERNAL, "store '%s': %s: no row", s->where, what);
	*ret = pg_col_int64(s->res, 0, 0);
	return 0;
}

/*
 * Row by row (libpq's single-row mode): an iteration over the whole audit
 * log or every record holds one row in memory, not all of them. A callback
 * that stops the iteration stops the calls; the rows left are read and
 * dropped, so the connection is ready for the next statement.
 */
int pg_each(struct pdv_store_impl *s, int which, const struct pg_params *p,
            int (*on_row)(void *ctx, const PGresult *res, int i), void *ctx, const char *what,
            struct pdv_error *err)
{
	char name[16];
	PGresult *res;
	int rc;

	s->cached_subject = 0;
	s->cached_records = 0;
	note_statement(s, which);
	PQclear(s->kept[which]);
	s->kept[which] = s->res = NULL;
	/* single-row mode is for a statement alone: the queued ones first */
	if ((rc = pg_flush(s, err)) < 0 || (rc = revive(s, err)) < 0 ||
	    (rc = prepare(s, which, err)) < 0)
		return rc;
	statement_name(name, sizeof(name), which);
	if (!PQsendQueryPrepared(s->conn, name, p ? p->n : 0, p ? p->value : NULL,
	                         p ? p->len : NULL, p ? p->format : NULL, 1))
		return pg_error(s, NULL, err, what);
	PQsetSingleRowMode(s->conn);
	while ((res = PQgetResult(s->conn))) {
		ExecStatusType st = PQresultStatus(res);

		if (st == PGRES_SINGLE_TUPLE) {
			if (rc == 0)
				rc = on_row(ctx, res, 0);
		} else if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK && rc == 0) {
			rc = pg_error(s, res, err, what);
		}
		PQclear(res);
	}
	return rc;
}

/* --- the URL --- */

/*
 * A password on the command line is seen by every user of the machine (ps)
 * and kept in shell histories and unit files: refused, whatever libpq would
 * make of it. The message never repeats the URL.
 */
int pdv_store_pg_url_check(const char *url, struct pdv_error *err)
{
	PQconninfoOption *opts = PQconninfoParse(url, NULL);
	int rc = 0;

	if (!opts)
		return pdv_error_set(err, PDV_E_USAGE,
		                     "the store URL is not a PostgreSQL URL "
		                     "(postgresql://[user@]host[:port]/database[?param=value])");
	for (PQconninfoOption *o = opts; o->keyword; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val && *o->val)
			rc = pdv_error_set(
			    err, PDV_E_USAGE,
			    "the store URL carries a password, which any user of this "
			    "machine could read on the command line; put it in a "
			    "PGPASSFILE (or ~/.pgpass) or in PGPASSWORD instead");
	PQconninfoFree(opts);
	return rc;
}

/* the libpq URL of `where` (the URL after "postgresql:"); NULL: no memory */
static char *url_of(const char *where)
{
	size_t n = strlen(where) + sizeof("postgresql:");
	char *url = malloc(n);

	if (url)
		snprintf(url, n, "postgresql:%s", where);
	return url;
}

/* --- open and close --- */

void pg_close(struct pdv_store_impl *s)
{
	if (!s)
		return;
	if (s->in_tx)
		pg_rollback(s);
	for (int i = 0; i < PDV_SQL__COUNT; i++)
		PQclear(s->kept[i]);
	pg_close(s->syncer);
	PQfinish(s->conn);
	for (int i = 0; s->batch && i < PG_BATCHED; i++)
		free(s->batch[i].data);
	free(s->batch);
	free(s->ahead_hashes);
	free(s->where);
	free(s);
}

/*
 * Whether a statement may change what a read-ahead of lookups holds: all
 * but the reads (a SELECT with no INSERT, UPDATE or DELETE in it, which no
 * function of the vault's called from a read in a transaction turns into
 * a write), the savepoints and their release, and the audit append (its
 * table is not read ahead)
 */
static bool statement_writes(int which)
{
	const char *sql = pdv_pg_statements[which].sql;

	if (which == PDV_SQL_SAVEPOINT || which == PDV_SQL_RELEASE || which == PDV_SQL_AUDIT_APPEND)
		return false;
	while (*sql == ' ' || *sql == '\n' || (sql[0] == '-' && sql[1] == '-')) {
		if (*sql == '-')
			sql += strcspn(sql, "\n");
		else
			sql++;
	}
	return strncmp(sql, "SELECT", 6) != 0 || strstr(sql, "INSERT") || strstr(sql, "UPDATE") ||
	       strstr(sql, "DELETE") || strstr(sql, "pdv_restore_swap");
}

int pg_connect(const char *where, struct pdv_store_impl **ret, struct pdv_error *err)
{
	struct pdv_store_impl *s = calloc(1, sizeof(*s));
	char *url = url_of(where);
	PGresult *res;
	int rc;

	if (!s || !url || !(s->where = strdup(where))) {
		free(url);
		free(s);
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	}
	s->sp_at = -1;
	for (int i = 0; i < PDV_SQL__COUNT; i++)
		s->writes[i] = statement_writes(i);
	if ((rc = pdv_store_pg_url_check(url, err)) < 0)
		goto fail;
	s->conn = PQconnectdb(url);
	if (!s->conn || PQstatus(s->conn) != CONNECTION_OK) {
		rc = s->conn ? pg_error(s, NULL, err, "connecting")
		             : pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto fail;
	}
	res = PQexec(s->conn, pdv_pg_open_sql);
	if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
		rc = pg_error(s, res, err, "setting up the connection");
		PQclear(res);
		goto fail;
	}
	PQclear(res);
	free(url);
	*ret = s;
	return 0;
fail:
	free(url);
	pg_close(s);
	return rc;
}

static int schema_exists(struct pdv_store_impl *s, bool *ret, struct pdv_error *err)
{
	int64_t v = 0;
	int rc = pg_scalar(s, PDV_SQL_SCHEMA_EXISTS, NULL, &v, "reading the schema", err);

	*ret = v != 0;
	return rc;
}

/* each missing migration in its own transaction, under the writer lock, so
 * two servers opening at once migrate once; a store at the binary's version
 * (every open but the first after an upgrade) takes no lock */
static int migrate(struct pdv_store_impl *s, bool made, struct pdv_error *err)
{
	int64_t current = 0;

	if (made &&
	    pg_scalar(s, PDV_SQL_SCHEMA_VERSION, NULL, &current, "reading the schema version",
	              err) == 0 &&
	    current == pdv_pg_n_migrations)
		return 0;
	pdv_error_clear(err);
	for (;;) {
		const struct pdv_pg_sql *m;
		int64_t version = 0;
		PGresult *res;
		bool exists;
		int rc;

		if ((rc = pg_begin_locked(s, err)) < 0)
			return rc;
		if ((rc = schema_exists(s, &exists, err)) < 0 ||
		    (exists && (rc = pg_scalar(s, PDV_SQL_SCHEMA_VERSION, NULL, &version,
		                               "reading the schema version", err)) < 0))
			goto fail;
		if (version > pdv_pg_n_migrations) {
			rc = pdv_error_set(err, PDV_E_IO,
			                   "store '%s' has schema version %d, newer than this "
			                   "pdvault knows (%d); use a newer pdvault",
			                   s->where, (int)version, pdv_pg_n_migrations);
			goto fail;
		}
		if (version == pdv_pg_n_migrations) {
			pg_rollback(s); /* nothing written */
			return 0;
		}
		m = &pdv_pg_migrations[version];
		res = PQexec(s->conn, m->sql);
		if (!res || PQresultStatus(res) != PGRES_COMMAND_OK) {
			char what[96];

			snprintf(what, sizeof(what), "migration %s failed", m->name);
			rc = pg_error(s, res, err, what);
			PQclear(res);
			goto fail;
		}
		PQclear(res);
		if ((rc = pg_commit(s, err)) < 0)
			return rc;
		continue;
	fail:
		pg_rollback(s);
		return rc;
	}
}

static int pg_open(const char *where, bool create, struct pdv_store_impl **ret,
                   struct pdv_error *err)
{
	struct pdv_store_impl *s;
	bool exists;
	int rc;

	if ((rc = pg_connect(where, &s, err)) < 0)
		return rc;
	if ((rc = schema_exists(s, &exists, err)) < 0)
		goto fail;
	if (create && exists) {
		rc = pdv_error_set(err, PDV_E_REFUSED,
		                   "store '%s' already exists; refusing to overwrite it", where);
		goto fail;
	}
	if (!create && !exists) {
		rc = pdv_error_set(err, PDV_E_IO,
		                   "store '%s' does not exist (create it with 'pdvault init')",
		                   where);
		goto fail;
	}
	if ((rc = migrate(s, exists, err)) < 0)
		goto fail;
	/* the COPY statements of backup.c are run as they are, not prepared */
	for (int i = 0; i < PDV_SQL__COUNT; i++)
		if (strncmp(pdv_pg_statements[i].name, "copy_", 5) != 0 &&
		    (rc = prepare(s, i, err)) < 0)
			goto fail;
	*ret = s;
	return 0;
fail:
	pg_close(s);
	return rc;
}

static int pg_schema_version(struct pdv_store_impl *s, int *ret, struct pdv_error *err)
{
	int64_t v = 0;
	int rc = pg_scalar(s, PDV_SQL_SCHEMA_VERSION, NULL, &v, "reading the schema version", err);

	*ret = (int)v;
	return rc;
}

/* --- transactions --- */

/* at a transaction's start and end: what it read may change after */
static void ids_forget(struct pdv_store_impl *s)
{
	s->sp_at = -1;
	s->failed_before_sp = false;
	s->sp_how = PDV_SAVEPOINTS_QUEUED;
	s->lost = s->tx_failed = false;
	s->writes_sent = s->sp_writes = 0;
	s->ahead_valid = false;
	memset(s->next_id, 0, sizeof(s->next_id));
	s->token_cached = false;
	s->head_cached = false;
	batch_drop(s);
}

/*
 * BEGIN and the writer lock queued, then (vault: a vault's transaction)
 * tx_start waited for: the next ids and the audit head, which the engine
 * reads first in every write transaction, come in the lock's round trip.
 */
static int begin_tx(struct pdv_store_impl *s, bool vault, struct pdv_error *err)
{
	int rc = revive(s, err);

	if (rc < 0)
		return rc;
	s->in_tx = true;
	ids_forget(s); /* another writer may have taken some since */
	if ((rc = pg_queue(s, PDV_SQL_BEGIN, NULL, "beginning a transaction", err)) < 0)
		goto fail;
	if (!vault) {
		if ((rc = pg_run(s, PDV_SQL_WRITER_LOCK, NULL, "waiting for the writer lock",
		                 err)) < 0)
			goto fail;
		return 0;
	}
	if ((rc = pg_queue(s, PDV_SQL_WRITER_LOCK, NULL, "waiting for the writer lock", err)) < 0 ||
	    (rc = pg_run(s, PDV_SQL_TX_START, NULL, "beginning a transaction", err)) < 0)
		goto fail;
	s->next_id[PDV_STORE_ID_SUBJECT] = pg_col_int64(s->res, 0, 0);
	s->next_id[PDV_STORE_ID_RECORD] = pg_col_int64(s->res, 0, 1);
	s->head_seq = pg_col_int64(s->res, 0, 2);
	pg_col_fixed(s->res, 0, 3, s->head_hash, sizeof(s->head_hash));
	s->head_cached = true;
	return 0;
fail:
	pg_rollback(s);
	return rc;
}

int pg_begin(struct pdv_store_impl *s, struct pdv_error *err)
{
	return begin_tx(s, true, err);
}

int pg_begin_locked(struct pdv_store_impl *s, struct pdv_error *err)
{
	return begin_tx(s, false, err);
}

/* the queued statements' errors are this transaction's, which goes */
void pg_rollback(struct pdv_store_impl *s)
{
	batch_drop(s);
	pg_flush(s, NULL);
	pg_run(s, PDV_SQL_ROLLBACK, NULL, "rolling back", NULL);
	s->in_tx = false;
	ids_forget(s);
}

/* an aborted transaction (a statement failed in it) answers COMMIT with
 * ROLLBACK: that is a failure, never a commit */
int pg_commit(struct pdv_store_impl *s, struct pdv_error *err)
{
	int rc;

	if (s->lost) {
		pg_rollback(s);
		return pdv_error_set(
		    err, PDV_E_IO,
		    "store '%s': the transaction was rolled back (a job of it could "
		    "not be undone alone)",
		    s->where);
	}
	rc = pg_done(s, PDV_SQL_COMMIT, NULL, "committing", err);

	if (rc == 0 && strcmp(PQcmdStatus(s->res), "COMMIT") != 0)
		rc = pdv_error_set(err, PDV_E_IO,
		                   "store '%s': the transaction was rolled back (a statement in it "
		                   "had failed)",
		                   s->where);
	if (rc < 0) {
		pg_rollback(s);
		return rc;
	}
	s->in_tx = false;
	ids_forget(s);
	return 0;
}

static int pg_savepoint(struct pdv_store_impl *s, struct pdv_error *err)
{
	int rc;

	if (pg_lazy(s)) {
		s->sp_writes = s->writes_sent;
		memcpy(s->sp_next_id, s->next_id, sizeof(s->next_id));
		return 0;
	}
	rc = pg_queue(s, PDV_SQL_SAVEPOINT, NULL, "opening a savepoint", err);

	if (rc == 0) {
		s->sp_at = s->queued - 1;
		memcpy(s->sp_next_id, s->next_id, sizeof(s->next_id));
	}
	return rc;
}

static int pg_rollback_to(struct pdv_store_impl *s);

/* waited: the job's writes and the release in one round trip; a failure
 * among them is the job's (the last release waited for), undone */
static int pg_release(struct pdv_store_impl *s, struct pdv_error *err)
{
	int rc;

	if (pg_lazy(s))
		return 0;
	if (s->sp_how == PDV_SAVEPOINTS_WAITED) {
		if ((rc = pg_run(s, PDV_SQL_RELEASE, NULL, "releasing a savepoint", err)) < 0)
			pg_rollback_to(s);
		return rc;
	}
	return pg_queue(s, PDV_SQL_RELEASE, NULL, "releasing a savepoint", err);
}

/*
 * The queued statements first: an error among them after the savepoint is
 * the failing job's, and the rollback to the savepoint undoes it. An error
 * of a statement queued before it (an earlier job's write, whose job ended
 * without waiting for it) is not this job's to undo: rolling back to the
 * savepoint would take that job's writes with it, after it was told they
 * went in. The transaction stays aborted, so its commit fails and nothing
 * of it is kept. With lazy savepoints, no savepoint was sent: a job that
 * changed no row and met no failure has nothing to undo, any other is lost
 * the same way.
 */
static int pg_rollback_to(struct pdv_store_impl *s)
{
	pg_flush(s, NULL);
	s->token_cached = false; /* a token write undone */
	s->ahead_valid = false;
	if (s->failed_before_sp ||
	    (pg_lazy(s) && (s->tx_failed || s->writes_sent != s->sp_writes))) {
		s->lost = true;
		return PDV_E_IO;
	}
	if (!pg_lazy(s)) {
		pg_run(s, PDV_SQL_ROLLBACK_TO, NULL, "rolling back to the savepoint", NULL);
		pg_run(s, PDV_SQL_RELEASE, NULL, "releasing a savepoint", NULL);
	}
	memcpy(s->next_id, s->sp_next_id, sizeof(s->next_id));
	return 0;
}

/* lazy (a server's group, first run): savepoints not sent (pg_savepoint),
 * and a lookup written by a plain insert, which fails where lookup_put's
 * upsert would have kept another person's: the group then runs again,
 * waited */
static void pg_savepoints(struct pdv_store_impl *s, enum pdv_savepoints how)
{
	if (!s->in_tx)
		return;
	s->sp_how = how;
}

/*
 * Deferred durability, the server's group commit (store.h): the worker's
 * commits run with synchronous_commit off, so a commit returns as soon as
 * it is visible and its transaction's locks (the writer lock among them)
 * are released before its WAL is flushed: another server's group goes on
 * while this one's flush is under way, and the worker starts its next
 * group. pg_sync, on the syncer thread and a connection of its own, then
 * commits a transaction of one WAL record with synchronous_commit on: its
 * flush (and its wait for synchronous standbys, when there are) covers
 * every WAL record written before it, so every commit the worker made
 * before the call is durable when it returns, and the server answers only
 * then. Another server's write that read a deferred commit's rows (the
 * audit head) comes later in the WAL, so its own durable commit makes them
 * durable too: the chain never depends on a commit a crash could lose.
 */
static int pg_durability(struct pdv_store_impl *s, bool deferred, struct pdv_error *err)
{
	int rc;

	if (deferred && !s->syncer && (rc = pg_connect(s->where, &s->syncer, err)) < 0)
		return rc;
	if ((rc = pg_done(s, deferred ? PDV_SQL_DURABILITY_DEFERRED : PDV_SQL_DURABILITY_FULL, NULL,
	                  "setting the durability", err)) < 0)
		return rc;
	s->deferred = deferred;
	return 0;
}

/* may run on another thread than the store's: it uses the syncer's
 * connection alone; BEGIN, the mark and COMMIT in one round trip */
static int pg_sync(struct pdv_store_impl *s, struct pdv_error *err)
{
	struct pdv_store_impl *y = s->syncer;
	int rc;

	if (!y)
		return 0; /* every commit was durable when it returned */
	if ((rc = revive(y, err)) < 0)
		return rc;
	y->in_tx = true;
	if ((rc = pg_queue(y, PDV_SQL_BEGIN, NULL, "making commits durable", err)) < 0 ||
	    (rc = pg_queue(y, PDV_SQL_SYNC_MARK, NULL, "making commits durable", err)) < 0) {
		pg_rollback(y);
		return rc;
	}
	return pg_commit(y, err);
}

/* --- ids --- */

static const int next_id_sql[PDV_STORE_ID__COUNT] = {
    [PDV_STORE_ID_SUBJECT] = PDV_SQL_SUBJECT_NEXT_ID,
    [PDV_STORE_ID_RECORD] = PDV_SQL_RECORD_NEXT_ID,
};
static const int reserve_sql[PDV_STORE_ID__COUNT] = {
    [PDV_STORE_ID_SUBJECT] = PDV_SQL_SUBJECT_IDS_RESERVE,
    [PDV_STORE_ID_RECORD] = PDV_SQL_RECORD_IDS_RESERVE,
};

/* the transaction's counter, read at its first id (under the writer lock) */
static int id_counter(struct pdv_store_impl *s, enum pdv_store_id_kind kind, struct pdv_error *err)
{
	if (s->next_id[kind])
		return 0;
	return pg_scalar(s, next_id_sql[kind], NULL, &s->next_id[kind], "allocating an id", err);
}

int pg_id_next(struct pdv_store_impl *s, enum pdv_store_id_kind kind, int64_t *ret,
               struct pdv_error *err)
{
	int rc = id_counter(s, kind, err);

	if (rc == 0)
		*ret = s->next_id[kind]++;
	return rc;
}

static int pg_id_reserve(struct pdv_store_impl *s, enum pdv_store_id_kind kind, int64_t n,
                         int64_t *ret_first, struct pdv_error *err)
{
	struct pg_params p = {0};
	int rc;

	if ((rc = id_counter(s, kind, err)) < 0)
		return rc;
	pp_int(&p, s->next_id[kind] + n - 1);
	if ((rc = pg_done(s, reserve_sql[kind], &p, "reserving ids", err)) < 0)
		return rc;
	*ret_first = s->next_id[kind];
	s->next_id[kind] += n;
	return 0;
}

/* --- meta --- */

static int pg_meta_get(struct pdv_store_impl *s, const char *name, uint8_t *buf, size_t size,
                       size_t *ret_len, struct pdv_error *err)
{
	struct pg_params p = {0};
	const uint8_t *v;
	size_t n;
	int rc;

	pp_text(&p, name);
	if ((rc = pg_one(s, PDV_SQL_META_GET, &p, "", "reading meta", err)) == PDV_E_NOTFOUND)
		return pdv_error_set(err, PDV_E_NOTFOUND, "store '%s' has no '%s'", s->where, name);
	if (rc < 0)
		return rc;
	v = pg_col_blob(s->res, 0, 0, &n);
	if (n > size)
		return pdv_error_set(err, PDV_E_IO, "store '%s': '%s' is damaged (%zu bytes)",
		                     s->where, name, n);
	if (n)
		memcpy(buf, v, n);
	*ret_len = n;
	return 0;
}

static int pg_meta_put(struct pdv_store_impl *s, const char *name, const void *v, size_t n,
                       struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_text(&p, name);
	pp_blob(&p, v ? v : "", n);
	return pg_done(s, PDV_SQL_META_PUT, &p, "writing meta", err);
}

static int pg_meta_delete(struct pdv_store_impl *s, const char *name, struct pdv_error *err)
{
	struct pg_params p = {0};

	pp_text(&p, name);
	return pg_done(s, PDV_SQL_META_DELETE, &p, "writing meta", err);
}

/* --- the store as a whole --- */

static int pg_check(struct pdv_store_impl *s, struct pdv_error *err)
{
	int64_t n = 0;
	int rc = pg_scalar(s, PDV_SQL_CHECK, NULL, &n, "checking", err);

	if (rc == 0 && n != 1)
		rc = pdv_error_set(err, PDV_E_IO, "store '%s' is damaged (its schema version)",
		                   s->where);
	return rc;
}

static int pg_size_bytes(struct pdv_store_impl *s, int64_t *ret, struct pdv_error *err)
{
	return pg_scalar(s, PDV_SQL_SIZE_BYTES, NULL, ret, "measuring the store", err);
}

/* the vault's tables, in the connection's schema; 0 when there are none */
static int pg_destroy(const char *where, struct pdv_error *err)
{
	struct pdv_store_impl *s;
	int rc;

	if ((rc = pg_connect(where, &s, err)) < 0)
		return rc;
	if ((rc = pg_done(s, PDV_SQL_DESTROY, NULL, "removing the store", err)) == 0)
		rc = pg_done(s, PDV_SQL_DESTROY_FUNCTIONS, NULL, "removing the store", err);
	pg_close(s);
	return rc;
}

const struct pdv_store_ops pdv_store_pg_ops = {
    .version = PDV_STORE_OPS_VERSION,
    .scheme = "postgresql",
    .round_trips = true,
    .open = pg_open,
    .close = pg_close,
    .destroy = pg_destroy,
    .restore = pg_restore,
    .backup = pg_backup,
    .check = pg_check,
    .size_bytes = pg_size_bytes,
    .schema_version = pg_schema_version,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .savepoint = pg_savepoint,
    .savepoints = pg_savepoints,
    .flush = pg_flush,
    .release = pg_release,
    .rollback_to = pg_rollback_to,
    .durability = pg_durability,
    .sync = pg_sync,
    .id_next = pg_id_next,
    .id_reserve = pg_id_reserve,
    .meta_get = pg_meta_get,
    .meta_put = pg_meta_put,
    .meta_delete = pg_meta_delete,
    .subject_insert = pg_subject_insert,
    .subject_get = pg_subject_get,
    .subject_wrapped_each = pg_subject_wrapped_each,
    .subject_wrapped_set = pg_subject_wrapped_set,
    .lookup_put = pg_lookup_put,
    .lookup_get = pg_lookup_get,
    .lookups_known = pg_lookups_known,
    .lookup_get_records = pg_lookup_get_records,
    .lookups_read_ahead = pg_lookups_read_ahead,
    .lookups_held_between = pg_lookups_held_between,
    .lookup_delete = pg_lookup_delete,
    .subject_insert_new = pg_subject_insert_new,
    .subject_set_restricted = pg_subject_set_restricted,
    .subject_shred = pg_subject_shred,
    .subject_shred_key = pg_subject_shred_key,
    .lookups_purge = pg_lookups_purge,
    .record_insert = pg_record_insert,
    .record_get = pg_record_get,
    .record_update = pg_record_update,
    .record_delete = pg_record_delete,
    .record_delete_row = pg_record_delete_row,
    .records_delete_subject = pg_records_delete_subject,
    .records_of_subject = pg_records_of_subject,
    .records_count_of_subject = pg_records_count_of_subject,
    .records_due = pg_records_due,
    .batch_facts = pg_batch_facts,
    .records_of_activity = pg_records_of_activity,
    .records_summary = pg_records_summary,
    .records_unbound = pg_records_unbound,
    .record_bind = pg_record_bind,
    .statistics_insert = pg_statistics_insert,
    .statistics_each = pg_statistics_each,
    .event_insert = pg_event_insert,
    .events_of_record = pg_events_of_record,
    .consent_text_put = pg_consent_text_put,
    .consent_insert = pg_consent_insert,
    .consents_of_subject = pg_consents_of_subject,
    .erasure_insert = pg_erasure_insert,
    .erasures_after = pg_erasures_after,
    .erasures_max = pg_erasures_max,
    .hold_insert = pg_hold_insert,
    .hold_get = pg_hold_get,
    .hold_lift = pg_hold_lift,
    .holds_of_subject = pg_holds_of_subject,
    .holds_active_count = pg_holds_active_count,
    .suppression_put = pg_suppression_put,
    .suppression_active = pg_suppression_active,
    .directives_put = pg_directives_put,
    .directives_get = pg_directives_get,
    .directives_delete = pg_directives_delete,
    .request_insert = pg_request_insert,
    .request_get = pg_request_get,
    .request_by_reference = pg_request_by_reference,
    .request_extend = pg_request_extend,
    .request_update = pg_request_update,
    .request_set_id_document = pg_request_set_id_document,
    .requests_with_id_document = pg_requests_with_id_document,
    .requests_each = pg_requests_each,
    .breach_insert = pg_breach_insert,
    .breach_get = pg_breach_get,
    .breach_notified = pg_breach_notified,
    .breach_assess = pg_breach_assess,
    .breaches_each = pg_breaches_each,
    .outbox_insert = pg_outbox_insert,
    .outbox_get = pg_outbox_get,
    .outbox_each = pg_outbox_each,
    .outbox_claim = pg_outbox_claim,
    .outbox_sent = pg_outbox_sent,
    .outbox_unsent = pg_outbox_unsent,
    .outbox_release = pg_outbox_release,
    .outbox_relay_back = pg_outbox_relay_back,
    .outbox_retry = pg_outbox_retry,
    .outbox_insert_once = pg_outbox_insert_once,
    .outbox_once_exists = pg_outbox_once_exists,
    .outbox_max_id = pg_outbox_max_id,
    .outbox_link_request = pg_outbox_link_request,
    .outbox_of_request = pg_outbox_of_request,
    .outbox_link_last = pg_outbox_link_last,
    .request_note_insert = pg_request_note_insert,
    .request_notes_of = pg_request_notes_of,
    .requests_open_of_subject = pg_requests_open_of_subject,
    .renewal_insert = pg_renewal_insert,
    .renewal_by_hash = pg_renewal_by_hash,
    .renewal_use = pg_renewal_use,
    .breach_describe = pg_breach_describe,
    .subject_lang_set = pg_subject_lang_set,
    .signing_key_insert = pg_signing_key_insert,
    .signing_key_retire = pg_signing_key_retire,
    .signing_keys_each = pg_signing_keys_each,
    .signing_key_secret_set = pg_signing_key_secret_set,
    .certificate_insert = pg_certificate_insert,
    .certificate_body_set = pg_certificate_body_set,
    .certificate_get = pg_certificate_get,
    .certificate_of_request = pg_certificate_of_request,
    .token_used = pg_token_used,
    .staff_insert = pg_staff_insert,
    .staff_get = pg_staff_get,
    .staff_by_invite = pg_staff_by_invite,
    .staff_each = pg_staff_each,
    .staff_update = pg_staff_update,
    .staff_delete = pg_staff_delete,
    .staff_session_insert = pg_staff_session_insert,
    .staff_session_get = pg_staff_session_get,
    .staff_session_seen = pg_staff_session_seen,
    .staff_session_delete = pg_staff_session_delete,
    .staff_sessions_end = pg_staff_sessions_end,
    .cookie_config_put = pg_cookie_config_put,
    .cookie_config_get = pg_cookie_config_get,
    .cookie_receipt_insert = pg_cookie_receipt_insert,
    .cookie_receipt_get = pg_cookie_receipt_get,
    .cookie_receipts_of = pg_cookie_receipts_of,
    .cookie_receipts_purge = pg_cookie_receipts_purge,
    .cookie_receipts_between = pg_cookie_receipts_between,
    .cookie_configs_each = pg_cookie_configs_each,
    .download_put = pg_download_put,
    .download_by_hash = pg_download_by_hash,
    .download_of_request = pg_download_of_request,
    .download_use = pg_download_use,
    .recipient_secret_put = pg_recipient_secret_put,
    .recipient_secret_get = pg_recipient_secret_get,
    .verification_insert = pg_verification_insert,
    .verification_get = pg_verification_get,
    .verification_update = pg_verification_update,
    .verifications_purge = pg_verifications_purge,
    .token_insert = pg_token_insert,
    .token_revoke = pg_token_revoke,
    .token_by_hash = pg_token_by_hash,
    .tokens_each = pg_tokens_each,
    .audit_append = pg_audit_append,
    .audit_last = pg_audit_last,
    .audit_each = pg_audit_each,
    .audit_from = pg_audit_from,
    .announce = pg_announce,
    .servers = pg_servers,
    .sweep_try_lock = pg_sweep_try_lock,
    .sweep_unlock = pg_sweep_unlock,
    .table_each = pg_table_each,
    .table_put = pg_table_put,
    .table_count = pg_table_count,
    .meta_clear = pg_meta_clear,
    .verify_send_take = pg_verify_send_take,
};
