/*
 * bench-pg-bare.c — the bare libpq reference of bench-pg.sh: the rows one
 * durable submission writes (a subject, its blind index, the record, its
 * audit entry: what pdvault's store writes for a submission), with the
 * same freedom to batch as pdvault: THREADS connections, each a transaction
 * of up to BATCH submissions sent in pipeline mode, committed with
 * synchronous_commit=on. Prints "bare: N submissions/s".
 *
 *   bench-pg-bare CONNINFO SECONDS THREADS BATCH [each|many|wait]
 *
 * each (the default, the reference): every row its own insert,
 * four statements a submission. many: each of the four inserts of a
 * transaction as one statement of BATCH rows, as pdvault's store sends a
 * group's new people (docs/internals/store-pg.md, "Batches"). wait: no
 * pipeline, every statement (BEGIN, each insert, COMMIT) waited for before
 * the next is sent, as a program that does not pipeline writes; with one
 * connection, BATCH 1 and BATCH 32, the two figures the issue gives for a
 * bare PostgreSQL ("committing each alone", "in batches of 32").
 *
 * The tables are a pdvault vault's (made by pdvault init), so indexes and
 * constraints are the same; ids are per-thread ranges far above pdvault's.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

struct worker {
	const char *conninfo;
	int index, batch;
	bool many, wait;
	double until;
	long done;
	int failed;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *const sql[] = {
    "INSERT INTO subjects (id, tag, wrapped_key, created_at, restricted) "
    "VALUES ($1, $2, $3, $4, 0)",
    "INSERT INTO lookups (hash, subject_id) VALUES ($1, $2)",
    "INSERT INTO records (id, tag, subject_id, activity, phase, collected_at, last_contact, "
    "consent_at, phase_at, next_at, source, fields, binding) "
    "VALUES ($1, $2, $3, 'customers', 'active', $4, $4, NULL, $4, $5, 'api', $6, $7)",
    "INSERT INTO audit (seq, at, actor, action, subject, record, activity, purpose, detail, "
    "hash) VALUES ($1, $2, 'api:bench', 'collect', $3, $4, 'customers', 'Purpose', NULL, $5)",
};

static void fill(uint8_t *p, size_t n, uint64_t *state)
{
	for (size_t i = 0; i < n; i++) {
		*state = *state * 6364136223846793005ull + 1442695040888963407ull;
		p[i] = (uint8_t)(*state >> 56);
	}
}

/* a statement's answer, waited for: 0 when it succeeded, else -1 with
 * its error printed; the result is freed */
static int ok(PGresult *r)
{
	int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;

	if (rc < 0)
		fprintf(stderr, "bare: %s", PQresultErrorMessage(r));
	PQclear(r);
	return rc;
}

/* a statement sent: queued in the pipeline, or (wait) run and its result
 * waited for */
static int stmt_send(PGconn *c, bool wait, const char *name, int n, const char *const *v,
                     const int *len, const int *fmt)
{
	if (!wait)
		return PQsendQueryPrepared(c, name, n, v, len, fmt, 0) ? 0 : -1;
	return ok(PQexecPrepared(c, name, n, v, len, fmt, 0));
}

/* one submission's four inserts, queued in the pipeline (or each waited for) */
static int queue(PGconn *c, bool wait, int64_t id, uint64_t *rnd)
{
	uint8_t tag[8], wrapped[72], hash[32], fields[160], binding[16], ahash[32];
	char sid[24], at[24], next[24], ref[40];
	const char *v[7];
	int len[7], fmt[7];

	fill(tag, sizeof(tag), rnd);
	fill(wrapped, sizeof(wrapped), rnd);
	fill(hash, sizeof(hash), rnd);
	fill(fields, sizeof(fields), rnd);
	fill(binding, sizeof(binding), rnd);
	fill(ahash, sizeof(ahash), rnd);
	snprintf(sid, sizeof(sid), "%" PRId64, id);
	snprintf(at, sizeof(at), "%ld", (long)time(NULL));
	snprintf(next, sizeof(next), "%ld", (long)time(NULL) + 86400);
	snprintf(ref, sizeof(ref), "s%" PRId64, id);
#define P(i, val, n, f) (v[i] = (const char *)(val), len[i] = (int)(n), fmt[i] = (f))
	P(0, sid, 0, 0), P(1, tag, 8, 1), P(2, wrapped, 72, 1), P(3, at, 0, 0);
	if (stmt_send(c, wait, "s0", 4, v, len, fmt) < 0)
		return -1;
	P(0, hash, 32, 1), P(1, sid, 0, 0);
	if (stmt_send(c, wait, "s1", 2, v, len, fmt) < 0)
		return -1;
	P(0, sid, 0, 0), P(1, tag, 8, 1), P(2, sid, 0, 0), P(3, at, 0, 0), P(4, next, 0, 0),
	    P(5, fields, sizeof(fields), 1), P(6, binding, 16, 1);
	if (stmt_send(c, wait, "s2", 7, v, len, fmt) < 0)
		return -1;
	P(0, sid, 0, 0), P(1, at, 0, 0), P(2, ref, 0, 0), P(3, ref, 0, 0), P(4, ahash, 32, 1);
#undef P
	return stmt_send(c, wait, "s3", 5, v, len, fmt);
}

/*
 * many: the four inserts, each of BATCH rows. Their text repeats sql[i]'s
 * VALUES tuple with its $N numbered on; a transaction's values are made as
 * queue's are, then sent as four statements.
 */
enum { COLS_MAX = 7, ROWS_MAX = 64 };
static const int cols[] = {4, 2, 7, 5};

static char *many_sql(const char *one, int n, int rows)
{
	const char *open = strstr(one, "VALUES (") + 7;
	size_t cap = strlen(one) + (size_t)rows * (strlen(open) + 8 * (size_t)n) + 1, at;
	char *out = malloc(cap);

	if (!out)
		return NULL;
	at = (size_t)(open - one);
	memcpy(out, one, at);
	for (int r = 0; r < rows; r++) {
		if (r)
			out[at++] = ',';
		for (const char *c = open; *c;) {
			if (*c == '$') {
				long k = strtol(c + 1, (char **)&c, 10);

				at += (size_t)snprintf(out + at, cap - at, "$%ld", k + (long)r * n);
			} else {
				out[at++] = *c++;
			}
		}
	}
	out[at] = '\0';
	return out;
}

struct many {
	uint8_t tag[ROWS_MAX][8], wrapped[ROWS_MAX][72], hash[ROWS_MAX][32];
	uint8_t fields[ROWS_MAX][160], binding[ROWS_MAX][16], ahash[ROWS_MAX][32];
	char sid[ROWS_MAX][24], at[ROWS_MAX][24], next[ROWS_MAX][24], ref[ROWS_MAX][40];
	const char *v[ROWS_MAX * COLS_MAX];
	int len[ROWS_MAX * COLS_MAX], fmt[ROWS_MAX * COLS_MAX];
};

static int queue_many(PGconn *c, struct many *m, int64_t id, int rows, uint64_t *rnd)
{
	for (int r = 0; r < rows; r++) {
		fill(m->tag[r], 8, rnd);
		fill(m->wrapped[r], 72, rnd);
		fill(m->hash[r], 32, rnd);
		fill(m->fields[r], 160, rnd);
		fill(m->binding[r], 16, rnd);
		fill(m->ahash[r], 32, rnd);
		snprintf(m->sid[r], sizeof(m->sid[r]), "%" PRId64, id + r);
		snprintf(m->at[r], sizeof(m->at[r]), "%ld", (long)time(NULL));
		snprintf(m->next[r], sizeof(m->next[r]), "%ld", (long)time(NULL) + 86400);
		snprintf(m->ref[r], sizeof(m->ref[r]), "s%" PRId64, id + r);
	}
	for (int i = 0; i < 4; i++) {
		char name[8];
		int k = 0;

#define P(val, n, f) (m->v[k] = (const char *)(val), m->len[k] = (int)(n), m->fmt[k++] = (f))
		for (int r = 0; r < rows; r++) {
			if (i == 0)
				P(m->sid[r], 0, 0), P(m->tag[r], 8, 1), P(m->wrapped[r], 72, 1),
				    P(m->at[r], 0, 0);
			else if (i == 1)
				P(m->hash[r], 32, 1), P(m->sid[r], 0, 0);
			else if (i == 2)
				P(m->sid[r], 0, 0), P(m->tag[r], 8, 1), P(m->sid[r], 0, 0),
				    P(m->at[r], 0, 0), P(m->next[r], 0, 0), P(m->fields[r], 160, 1),
				    P(m->binding[r], 16, 1);
			else
				P(m->sid[r], 0, 0), P(m->at[r], 0, 0), P(m->ref[r], 0, 0),
				    P(m->ref[r], 0, 0), P(m->ahash[r], 32, 1);
		}
#undef P
		snprintf(name, sizeof(name), "m%d", i);
		if (!PQsendQueryPrepared(c, name, k, m->v, m->len, m->fmt, 0))
			return -1;
	}
	return 0;
}

/* every result up to and including the sync's; -1 on any error */
static int drain(PGconn *c)
{
	int rc = 0;

	for (;;) {
		PGresult *r = PQgetResult(c);

		if (!r) {
			if (PQstatus(c) != CONNECTION_OK)
				return -1;
			continue; /* the end of one query's results */
		}
		switch (PQresultStatus(r)) {
		case PGRES_PIPELINE_SYNC:
			PQclear(r);
			return rc;
		case PGRES_COMMAND_OK:
		case PGRES_TUPLES_OK:
			break;
		default:
			if (rc == 0)
				fprintf(stderr, "bare: %s", PQresultErrorMessage(r));
			rc = -1;
		}
		PQclear(r);
	}
}

static void *work(void *arg)
{
	struct worker *w = arg;
	PGconn *c = PQconnectdb(w->conninfo);
	uint64_t rnd = 0x9e3779b97f4a7c15ull * (uint64_t)(w->index + 1);
	int64_t id = (int64_t)(w->index + 1) * 1000000000000ll;
	struct many *m = NULL;

	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "bare: %s", PQerrorMessage(c));
		w->failed = 1;
		goto out;
	}
	PQclear(PQexec(c, "SET synchronous_commit = on"));
	for (size_t i = 0; i < sizeof(sql) / sizeof(sql[0]); i++) {
		char name[8];

		snprintf(name, sizeof(name), "s%zu", i);
		if (ok(PQprepare(c, name, sql[i], 0, NULL)) < 0)
			w->failed = 1;
	}
	for (int i = 0; w->many && i < 4 && !w->failed; i++) {
		char name[8], *text = many_sql(sql[i], cols[i], w->batch);

		snprintf(name, sizeof(name), "m%d", i);
		if (!text)
			fprintf(stderr, "bare: out of memory\n");
		if (!text || ok(PQprepare(c, name, text, 0, NULL)) < 0)
			w->failed = 1;
		free(text);
	}
	if (w->many && !w->failed && !(m = malloc(sizeof(*m))))
		w->failed = 1;
	while (w->wait && !w->failed && now_s() < w->until) {
		if (ok(PQexec(c, "BEGIN")) < 0)
			w->failed = 1;
		for (int i = 0; i < w->batch && !w->failed; i++)
			if (queue(c, true, ++id, &rnd) < 0)
				w->failed = 1;
		if (w->failed || ok(PQexec(c, "COMMIT")) < 0) {
			w->failed = 1;
			break;
		}
		w->done += w->batch;
	}
	if (w->wait)
		goto out;
	if (w->failed || !PQenterPipelineMode(c)) {
		w->failed = 1;
		goto out;
	}
	while (now_s() < w->until) {
		if (!PQsendQueryParams(c, "BEGIN", 0, NULL, NULL, NULL, NULL, 0))
			w->failed = 1;
		if (w->many) {
			if (queue_many(c, m, id + 1, w->batch, &rnd) < 0)
				w->failed = 1;
			id += w->batch;
		}
		for (int i = 0; !w->many && i < w->batch && !w->failed; i++)
			if (queue(c, false, ++id, &rnd) < 0)
				w->failed = 1;
		if (w->failed || !PQsendQueryParams(c, "COMMIT", 0, NULL, NULL, NULL, NULL, 0) ||
		    !PQpipelineSync(c) || drain(c) < 0) {
			w->failed = 1;
			break;
		}
		w->done += w->batch;
	}
out:
	free(m);
	PQfinish(c);
	return NULL;
}

int main(int argc, char **argv)
{
	struct worker w[64];
	pthread_t th[64];
	int threads, failed = 0;
	double t0, secs;
	long total = 0;

	bool many = argc == 6 && strcmp(argv[5], "many") == 0;
	bool wait = argc == 6 && strcmp(argv[5], "wait") == 0;

	if ((argc != 5 && !(argc == 6 && (many || wait || strcmp(argv[5], "each") == 0))) ||
	    (threads = atoi(argv[3])) < 1 || threads > 64 || atoi(argv[4]) < 1 ||
	    (many && atoi(argv[4]) > ROWS_MAX)) {
		fprintf(stderr,
		        "usage: bench-pg-bare CONNINFO SECONDS THREADS BATCH [each|many|wait]\n"
		        "(many: BATCH at most 64)\n");
		return 2;
	}
	t0 = now_s();
	for (int i = 0; i < threads; i++) {
		w[i] = (struct worker){.conninfo = argv[1],
		                       .index = i,
		                       .batch = atoi(argv[4]),
		                       .many = many,
		                       .wait = wait,
		                       .until = t0 + atof(argv[2])};
		pthread_create(&th[i], NULL, work, &w[i]);
	}
	for (int i = 0; i < threads; i++) {
		pthread_join(th[i], NULL);
		total += w[i].done;
		failed |= w[i].failed;
	}
	secs = now_s() - t0;
	if (failed)
		return 1;
	printf("bare: %.0f submissions/s (%ld in %.1f s, %d connections, %d per transaction%s)\n",
	       (double)total / secs, total, secs, threads, atoi(argv[4]),
	       many   ? ", each insert of them all at once"
	       : wait ? ", each statement waited for"
	              : "");
	return 0;
}
