/*
 * store.c — the store's wrappers: the one way the engine reaches a backend.
 *
 * Each call checks the contract pdv/store.h states before it reaches the
 * backend's table (backend.h): a write only inside a write transaction, no
 * call from inside a callback of an iteration (the `iterating` flag), begin
 * never nested, one savepoint at most. A breach is a bug in the caller, so
 * it is refused with PDV_E_INTERNAL and a message naming the call, in every
 * build: the contract tests check the refusal, and a server keeps serving.
 *
 * Tracing: with PDVAULT_STORE_TRACE=1 in the environment when a store is
 * opened, each call prints its name and duration to stderr (an iteration's
 * duration includes its callbacks). Never a value: rows are opaque bytes to
 * the store, and a trace must stay safe to paste in a bug report.
 *
 * The backends are listed here; the URL's scheme picks one, whose ops
 * version must be PDV_STORE_OPS_VERSION.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend.h"
#include "tables.h"

struct pdv_store {
	const struct pdv_store_ops *ops;
	struct pdv_store_impl *impl;
	bool in_tx;     /* a write transaction is open */
	bool savepoint; /* ... with its one savepoint */
	bool iterating; /* a callback of an iteration is running */
	bool trace;     /* PDVAULT_STORE_TRACE=1 at open */
};

/* postgres:// is taken as postgresql://, as libpq takes it */
static const struct pdv_store_ops *const backends[] = {&pdv_store_sqlite_ops, &pdv_store_pg_ops};

static int backend_of(const char *url, const struct pdv_store_ops **ret_ops, const char **ret_where,
                      struct pdv_error *err)
{
	const struct pdv_store_ops *ops = backends[0]; /* a bare path: the embedded store */
	const char *where = url;

	if (!url || !*url)
		return pdv_error_set(err, PDV_E_USAGE, "empty store URL");
	if (strncmp(url, "postgres://", 11) == 0) {
		ops = &pdv_store_pg_ops;
		where = url + strlen("postgres:");
	}
	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++) {
		size_t n = strlen(backends[i]->scheme);

		if (strncmp(url, backends[i]->scheme, n) == 0 && url[n] == ':') {
			ops = backends[i];
			where = url + n + 1;
			break;
		}
	}
	if (!*where)
		return pdv_error_set(err, PDV_E_USAGE, "store URL '%s' names no store", url);
	/* before anything shows the URL: a password in it is refused */
	if (ops == &pdv_store_pg_ops && pdv_store_pg_url_check(url, err) < 0)
		return PDV_E_USAGE;
	if (ops->version != PDV_STORE_OPS_VERSION)
		return pdv_error_set(err, PDV_E_INTERNAL,
		                     "the %s store backend implements version %d of the store "
		                     "operations; this pdvault needs version %d",
		                     ops->scheme, ops->version, PDV_STORE_OPS_VERSION);
	*ret_ops = ops;
	*ret_where = where;
	return 0;
}

int pdv_store_where(const char *url, const char **ret_where, struct pdv_error *err)
{
	const struct pdv_store_ops *ops;

	return backend_of(url, &ops, ret_where, err);
}

int pdv_store_url_lasting(const char *url, char *out, size_t n, struct pdv_error *err)
{
	const struct pdv_store_ops *ops;
	const char *where;
	char real[PATH_MAX];
	int rc;

	if ((rc = backend_of(url, &ops, &where, err)) < 0)
		return rc;
	if (ops == &pdv_store_sqlite_ops && realpath(where, real))
		snprintf(out, n, "%s:%s", ops->scheme, real);
	else
		snprintf(out, n, "%s", url);
	return 0;
}

const char *pdv_store_default_url(void)
{
	return "sqlite:pdvault.db";
}

int pdv_store_open(const char *url, bool create, struct pdv_store **ret_store,
                   struct pdv_error *err)
{
	const struct pdv_store_ops *ops;
	const char *where, *trace = getenv("PDVAULT_STORE_TRACE");
	struct pdv_store *s;
	int rc;

	if ((rc = backend_of(url, &ops, &where, err)) < 0)
		return rc;
	if (!(s = calloc(1, sizeof(*s))))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	s->ops = ops;
	s->trace = trace && strcmp(trace, "1") == 0;
	if ((rc = ops->open(where, create, &s->impl, err)) < 0) {
		free(s);
		return rc;
	}
	*ret_store = s;
	return 0;
}

void pdv_store_close(struct pdv_store *s)
{
	if (!s)
		return;
	s->ops->close(s->impl); /* rolls back an open transaction */
	free(s);
}

int pdv_store_destroy(const char *url, struct pdv_error *err)
{
	const struct pdv_store_ops *ops;
	const char *where;
	int rc;

	if ((rc = backend_of(url, &ops, &where, err)) < 0)
		return rc;
	return ops->destroy(where, err);
}

int pdv_store_restore(const char *url, const char *from_path,
                      int (*prepare)(void *ctx, const char *staged_url, struct pdv_error *err),
                      void *ctx, struct pdv_error *err)
{
	const struct pdv_store_ops *ops;
	const char *where;
	int rc;

	if ((rc = backend_of(url, &ops, &where, err)) < 0)
		return rc;
	return ops->restore(where, from_path, prepare, ctx, err);
}

/* --- the checks and the trace --- */

enum use {
	ANY,     /* no transaction needed (reads, and the store as a whole) */
	READ,    /* the same; named apart for the reader */
	WRITE,   /* inside a write transaction */
	ITERATE, /* hands rows to a callback, which must not call the store */
};

static int refuse(struct pdv_store *s, enum use use, const char *op, struct pdv_error *err)
{
	if (s->iterating)
		return pdv_error_set(err, PDV_E_INTERNAL,
		                     "store: %s called from inside an iteration's callback "
		                     "(collect the rows first, act after)",
		                     op);
	if (use == WRITE && !s->in_tx)
		return pdv_error_set(err, PDV_E_INTERNAL, "store: %s outside a write transaction",
		                     op);
	return 0;
}

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static void trace(const char *op, double start, int rc)
{
	fprintf(stderr, "pdvault store: %s %.1f us%s\n", op, now_us() - start,
	        rc < 0 ? " (failed)" : "");
}

/*
 * One wrapper: refuse what the contract forbids, trace, mark an iteration
 * while its callbacks run, call the backend's op with `args`.
 */
#define STORE_CALL(use, op, args)                                                                  \
	do {                                                                                       \
		double start_ = s->trace ? now_us() : 0;                                           \
		int rc_ = refuse(s, use, #op, err);                                                \
                                                                                                   \
		if (rc_ < 0)                                                                       \
			return rc_;                                                                \
		s->iterating = (use) == ITERATE;                                                   \
		rc_ = s->ops->op args;                                                             \
		s->iterating = false;                                                              \
		if (s->trace)                                                                      \
			trace(#op, start_, rc_);                                                   \
		return rc_;                                                                        \
	} while (0)

/* --- the store as a whole --- */

int pdv_store_backup(struct pdv_store *s, const char *path, struct pdv_error *err)
{
	STORE_CALL(ANY, backup, (s->impl, path, err));
}

int pdv_store_check(struct pdv_store *s, struct pdv_error *err)
{
	STORE_CALL(READ, check, (s->impl, err));
}

int pdv_store_size_bytes(struct pdv_store *s, int64_t *ret, struct pdv_error *err)
{
	STORE_CALL(ANY, size_bytes, (s->impl, ret, err));
}

int pdv_store_schema_version(struct pdv_store *s, int *ret, struct pdv_error *err)
{
	STORE_CALL(READ, schema_version, (s->impl, ret, err));
}

int pdv_store_announce(struct pdv_store *s, struct pdv_error *err)
{
	STORE_CALL(READ, announce, (s->impl, err));
}

int pdv_store_servers(struct pdv_store *s, int64_t *ret_n, struct pdv_error *err)
{
	STORE_CALL(ANY, servers, (s->impl, ret_n, err));
}

int pdv_store_sweep_try_lock(struct pdv_store *s, bool *ret_got, struct pdv_error *err)
{
	STORE_CALL(READ, sweep_try_lock, (s->impl, ret_got, err));
}

void pdv_store_sweep_unlock(struct pdv_store *s)
{
	s->ops->sweep_unlock(s->impl);
}

int pdv_store_verify_send_take(struct pdv_store *s, const uint8_t index[32], int64_t now,
                               int64_t since, int64_t cap, bool *ret_ok, struct pdv_error *err)
{
	STORE_CALL(WRITE, verify_send_take, (s->impl, index, now, since, cap, ret_ok, err));
}

#define TABLE_NAME(name, NAME, cols) #name,
const char *const pdv_store_tables[] = {PDV_STORE_TABLES(TABLE_NAME)};
const size_t pdv_store_n_tables = sizeof(pdv_store_tables) / sizeof(pdv_store_tables[0]);

static int table_checked(size_t table, int n, struct pdv_error *err)
{
	if (table >= pdv_store_n_tables || n < 0 || n > PDV_STORE_COLUMNS_MAX)
		return pdv_error_set(err, PDV_E_INTERNAL, "store: no table %zu of %d columns",
		                     table, n);
	return 0;
}

int pdv_store_table_each(struct pdv_store *s, size_t table, pdv_table_row_cb cb, void *ctx,
                         struct pdv_error *err)
{
	if (table_checked(table, 0, err) < 0)
		return PDV_E_INTERNAL;
	STORE_CALL(ITERATE, table_each, (s->impl, table, cb, ctx, err));
}

int pdv_store_table_put(struct pdv_store *s, size_t table, const struct pdv_value *row, int n,
                        struct pdv_error *err)
{
	if (table_checked(table, n, err) < 0)
		return PDV_E_INTERNAL;
	STORE_CALL(WRITE, table_put, (s->impl, table, row, n, err));
}

int pdv_store_table_count(struct pdv_store *s, size_t table, int64_t *ret, struct pdv_error *err)
{
	if (table_checked(table, 0, err) < 0)
		return PDV_E_INTERNAL;
	STORE_CALL(ANY, table_count, (s->impl, table, ret, err));
}

const char *pdv_store_backend_name(const struct pdv_store *s)
{
	return s->ops->scheme;
}

bool pdv_store_round_trips(const struct pdv_store *s)
{
	return s->ops->round_trips;
}

int pdv_store_meta_clear(struct pdv_store *s, struct pdv_error *err)
{
	STORE_CALL(WRITE, meta_clear, (s->impl, err));
}

/* --- transactions --- */

int pdv_store_begin(struct pdv_store *s, struct pdv_error *err)
{
	double start = s->trace ? now_us() : 0;
	int rc = refuse(s, ANY, "begin", err);

	if (rc == 0 && s->in_tx)
		rc = pdv_error_set(err, PDV_E_INTERNAL, "store: begin inside a transaction");
	if (rc < 0)
		return rc;
	if ((rc = s->ops->begin(s->impl, err)) == 0)
		s->in_tx = true;
	if (s->trace)
		trace("begin", start, rc);
	return rc;
}

int pdv_store_commit(struct pdv_store *s, struct pdv_error *err)
{
	double start = s->trace ? now_us() : 0;
	int rc = refuse(s, WRITE, "commit", err);

	if (rc < 0)
		return rc;
	rc = s->ops->commit(s->impl, err); /* a failed commit is rolled back */
	s->in_tx = s->savepoint = false;
	if (s->trace)
		trace("commit", start, rc);
	return rc;
}

/* void: a call from inside a callback is ignored (and the caller's next
 * begin, with the transaction still open, is refused) */
void pdv_store_rollback(struct pdv_store *s)
{
	double start = s->trace ? now_us() : 0;

	if (s->iterating || !s->in_tx)
		return;
	s->ops->rollback(s->impl);
	s->in_tx = s->savepoint = false;
	if (s->trace)
		trace("rollback", start, 0);
}

bool pdv_store_in_tx(const struct pdv_store *s)
{
	return s->in_tx;
}

int pdv_store_savepoint(struct pdv_store *s, struct pdv_error *err)
{
	double start = s->trace ? now_us() : 0;
	int rc = refuse(s, WRITE, "savepoint", err);

	if (rc == 0 && s->savepoint)
		rc = pdv_error_set(err, PDV_E_INTERNAL, "store: a savepoint inside a savepoint");
	if (rc < 0)
		return rc;
	if ((rc = s->ops->savepoint(s->impl, err)) == 0)
		s->savepoint = true;
	if (s->trace)
		trace("savepoint", start, rc);
	return rc;
}

int pdv_store_release(struct pdv_store *s, struct pdv_error *err)
{
	double start = s->trace ? now_us() : 0;
	int rc = refuse(s, WRITE, "release", err);

	if (rc == 0 && !s->savepoint)
		rc = pdv_error_set(err, PDV_E_INTERNAL, "store: release without a savepoint");
	if (rc < 0)
		return rc;
	rc = s->ops->release(s->impl, err);
	s->savepoint = false;
	if (s->trace)
		trace("release", start, rc);
	return rc;
}

int pdv_store_rollback_to(struct pdv_store *s)
{
	double start = s->trace ? now_us() : 0;
	int rc;

	if (s->iterating || !s->savepoint)
		return 0;
	rc = s->ops->rollback_to(s->impl); /* and drops the savepoint */
	s->savepoint = false;
	if (s->trace)
		trace("rollback_to", start, rc);
	return rc;
}

void pdv_store_savepoints(struct pdv_store *s, enum pdv_savepoints how)
{
	if (s->in_tx && !s->savepoint && !s->iterating && s->ops->savepoints)
		s->ops->savepoints(s->impl, how);
}

int pdv_store_flush(struct pdv_store *s, struct pdv_error *err)
{
	double start = s->trace ? now_us() : 0;
	int rc = refuse(s, WRITE, "flush", err);

	if (rc < 0 || !s->ops->flush)
		return rc;
	rc = s->ops->flush(s->impl, err);
	if (s->trace)
		trace("flush", start, rc);
	return rc;
}

int pdv_store_durability(struct pdv_store *s, bool deferred, struct pdv_error *err)
{
	double start = s->trace ? now_us() : 0;
	int rc = refuse(s, ANY, "durability", err);

	if (rc == 0 && s->in_tx)
		rc = pdv_error_set(err, PDV_E_INTERNAL, "store: durability inside a transaction");
	if (rc < 0)
		return rc;
	rc = s->ops->durability(s->impl, deferred, err);
	if (s->trace)
		trace("durability", start, rc);
	return rc;
}

/* another thread's: reads nothing the owner writes, but the trace flag set at open */
int pdv_store_sync(struct pdv_store *s, struct pdv_error *err)
{
	double start = s->trace ? now_us() : 0;
	int rc = s->ops->sync(s->impl, err);

	if (s->trace)
		trace("sync", start, rc);
	return rc;
}

/* --- the rows: every other call, one line each --- */

/* the kind and the size of a range are the caller's to get right */
static int ids_checked(enum pdv_store_id_kind kind, int64_t n, struct pdv_error *err)
{
	if ((unsigned)kind >= PDV_STORE_ID__COUNT)
		return pdv_error_set(err, PDV_E_INTERNAL, "store: no id kind %d", (int)kind);
	if (n < 1 || n > PDV_STORE_RESERVE_MAX)
		return pdv_error_set(err, PDV_E_INTERNAL, "store: cannot reserve %lld ids",
		                     (long long)n);
	return 0;
}

int pdv_store_id_next(struct pdv_store *s, enum pdv_store_id_kind kind, int64_t *ret_id,
                      struct pdv_error *err)
{
	int rc = ids_checked(kind, 1, err);

	if (rc < 0)
		return rc;
	STORE_CALL(WRITE, id_next, (s->impl, kind, ret_id, err));
}

int pdv_store_id_reserve(struct pdv_store *s, enum pdv_store_id_kind kind, int64_t n,
                         int64_t *ret_first, struct pdv_error *err)
{
	int rc = ids_checked(kind, n, err);

	if (rc < 0)
		return rc;
	STORE_CALL(WRITE, id_reserve, (s->impl, kind, n, ret_first, err));
}

int pdv_store_meta_get(struct pdv_store *s, const char *name, uint8_t *buf, size_t size,
                       size_t *ret_len, struct pdv_error *err)
{
	STORE_CALL(READ, meta_get, (s->impl, name, buf, size, ret_len, err));
}

int pdv_store_meta_put(struct pdv_store *s, const char *name, const void *v, size_t n,
                       struct pdv_error *err)
{
	STORE_CALL(WRITE, meta_put, (s->impl, name, v, n, err));
}

int pdv_store_meta_delete(struct pdv_store *s, const char *name, struct pdv_error *err)
{
	STORE_CALL(WRITE, meta_delete, (s->impl, name, err));
}

int pdv_store_subject_insert(struct pdv_store *s, struct pdv_subject_row *row,
                             struct pdv_error *err)
{
	STORE_CALL(WRITE, subject_insert, (s->impl, row, err));
}

int pdv_store_subject_get(struct pdv_store *s, int64_t id, struct pdv_subject_row *ret,
                          struct pdv_error *err)
{
	STORE_CALL(READ, subject_get, (s->impl, id, ret, err));
}

int pdv_store_subject_wrapped_each(struct pdv_store *s, int64_t after, pdv_wrapped_cb cb, void *ctx,
                                   struct pdv_error *err)
{
	STORE_CALL(ITERATE, subject_wrapped_each, (s->impl, after, cb, ctx, err));
}

int pdv_store_subject_wrapped_set(struct pdv_store *s, int64_t id, const uint8_t *wrapped,
                                  size_t len, struct pdv_error *err)
{
	STORE_CALL(WRITE, subject_wrapped_set, (s->impl, id, wrapped, len, err));
}

int pdv_store_lookup_put(struct pdv_store *s, const uint8_t hash[PDV_LOOKUP_LEN],
                         int64_t subject_id, struct pdv_error *err)
{
	STORE_CALL(WRITE, lookup_put, (s->impl, hash, subject_id, err));
}

int pdv_store_lookups_known(struct pdv_store *s, const uint8_t *hashes, size_t n, bool *ret_known,
                            struct pdv_error *err)
{
	if (n > PDV_STORE_LOOKUPS_KNOWN_MAX)
		return pdv_error_set(err, PDV_E_INVAL,
		                     "store: %zu lookups asked at once (at most %d)", n,
		                     PDV_STORE_LOOKUPS_KNOWN_MAX);
	STORE_CALL(READ, lookups_known, (s->impl, hashes, n, ret_known, err));
}

int pdv_store_lookups_read_ahead(struct pdv_store *s, const uint8_t *hashes, size_t n,
                                 struct pdv_error *err)
{
	if (n > PDV_STORE_LOOKUPS_KNOWN_MAX)
		return pdv_error_set(err, PDV_E_INVAL,
		                     "store: %zu lookups read at once (at most %d)", n,
		                     PDV_STORE_LOOKUPS_KNOWN_MAX);
	STORE_CALL(WRITE, lookups_read_ahead, (s->impl, hashes, n, err));
}

int pdv_store_lookup_get_records(struct pdv_store *s, const uint8_t hash[PDV_LOOKUP_LEN],
                                 int64_t *ret_subject, struct pdv_error *err)
{
	STORE_CALL(READ, lookup_get_records, (s->impl, hash, ret_subject, err));
}

int pdv_store_lookup_get(struct pdv_store *s, const uint8_t hash[PDV_LOOKUP_LEN],
                         int64_t *ret_subject, struct pdv_error *err)
{
	STORE_CALL(READ, lookup_get, (s->impl, hash, ret_subject, err));
}

int pdv_store_lookups_held_between(struct pdv_store *s, int64_t first, int64_t last, int64_t *ret,
                                   struct pdv_error *err)
{
	STORE_CALL(READ, lookups_held_between, (s->impl, first, last, ret, err));
}

int pdv_store_lookup_delete(struct pdv_store *s, const uint8_t hash[PDV_LOOKUP_LEN],
                            struct pdv_error *err)
{
	STORE_CALL(WRITE, lookup_delete, (s->impl, hash, err));
}

int pdv_store_subject_insert_new(struct pdv_store *s, struct pdv_subject_row *row,
                                 const uint8_t *const *hashes, size_t n_hashes,
                                 struct pdv_error *err)
{
	STORE_CALL(WRITE, subject_insert_new, (s->impl, row, hashes, n_hashes, err));
}

int pdv_store_subject_set_restricted(struct pdv_store *s, int64_t id, bool restricted,
                                     struct pdv_error *err)
{
	STORE_CALL(WRITE, subject_set_restricted, (s->impl, id, restricted, err));
}

int pdv_store_subject_shred(struct pdv_store *s, int64_t subject_id, struct pdv_error *err)
{
	STORE_CALL(WRITE, subject_shred, (s->impl, subject_id, err));
}

int pdv_store_subject_shred_key(struct pdv_store *s, int64_t subject_id, struct pdv_error *err)
{
	STORE_CALL(WRITE, subject_shred_key, (s->impl, subject_id, err));
}

int pdv_store_lookups_purge(struct pdv_store *s, int64_t after, struct pdv_error *err)
{
	STORE_CALL(WRITE, lookups_purge, (s->impl, after, err));
}

int pdv_store_record_insert(struct pdv_store *s, struct pdv_record_row *row, struct pdv_error *err)
{
	STORE_CALL(WRITE, record_insert, (s->impl, row, err));
}

int pdv_store_record_get(struct pdv_store *s, int64_t id, struct pdv_record_row *ret,
                         struct pdv_error *err)
{
	STORE_CALL(READ, record_get, (s->impl, id, ret, err));
}

int pdv_store_record_update(struct pdv_store *s, const struct pdv_record_row *row,
                            struct pdv_error *err)
{
	STORE_CALL(WRITE, record_update, (s->impl, row, err));
}

int pdv_store_record_delete(struct pdv_store *s, int64_t id, struct pdv_error *err)
{
	STORE_CALL(WRITE, record_delete, (s->impl, id, err));
}

int pdv_store_record_delete_row(struct pdv_store *s, int64_t id, struct pdv_error *err)
{
	STORE_CALL(WRITE, record_delete_row, (s->impl, id, err));
}

int pdv_store_records_delete_subject(struct pdv_store *s, int64_t subject_id, struct pdv_error *err)
{
	STORE_CALL(WRITE, records_delete_subject, (s->impl, subject_id, err));
}

int pdv_store_records_of_subject(struct pdv_store *s, int64_t subject_id, pdv_record_cb cb,
                                 void *ctx, struct pdv_error *err)
{
	STORE_CALL(ITERATE, records_of_subject, (s->impl, subject_id, cb, ctx, err));
}

int pdv_store_records_count_of_subject(struct pdv_store *s, int64_t subject_id, int64_t *ret,
                                       struct pdv_error *err)
{
	STORE_CALL(READ, records_count_of_subject, (s->impl, subject_id, ret, err));
}

int pdv_store_records_due(struct pdv_store *s, int64_t after, int64_t now, int limit,
                          pdv_record_cb cb, void *ctx, struct pdv_error *err)
{
	STORE_CALL(ITERATE, records_due, (s->impl, after, now, limit, cb, ctx, err));
}

int pdv_store_batch_facts(struct pdv_store *s, int64_t lo, int64_t hi, struct pdv_batch_facts *ret,
                          struct pdv_error *err)
{
	STORE_CALL(READ, batch_facts, (s->impl, lo, hi, ret, err));
}

int pdv_store_records_of_activity(struct pdv_store *s, const char *activity, int64_t after,
                                  pdv_record_cb cb, void *ctx, struct pdv_error *err)
{
	STORE_CALL(ITERATE, records_of_activity, (s->impl, activity, after, cb, ctx, err));
}

int pdv_store_records_summary(struct pdv_store *s, int64_t from, int64_t to, pdv_summary_row_cb cb,
                              void *ctx, struct pdv_error *err)
{
	STORE_CALL(ITERATE, records_summary, (s->impl, from, to, cb, ctx, err));
}

int pdv_store_records_unbound(struct pdv_store *s, int64_t after, pdv_record_cb cb, void *ctx,
                              struct pdv_error *err)
{
	STORE_CALL(ITERATE, records_unbound, (s->impl, after, cb, ctx, err));
}

int pdv_store_record_bind(struct pdv_store *s, int64_t id, const uint8_t binding[PDV_BINDING_LEN],
                          struct pdv_error *err)
{
	STORE_CALL(WRITE, record_bind, (s->impl, id, binding, err));
}

int pdv_store_statistics_insert(struct pdv_store *s, const char *activity, const char *month,
                                const uint8_t *fields, size_t len, struct pdv_error *err)
{
	STORE_CALL(WRITE, statistics_insert, (s->impl, activity, month, fields, len, err));
}

int pdv_store_statistics_each(struct pdv_store *s, const char *activity, pdv_statistics_row_cb cb,
                              void *ctx, struct pdv_error *err)
{
	STORE_CALL(ITERATE, statistics_each, (s->impl, activity, cb, ctx, err));
}

int pdv_store_event_insert(struct pdv_store *s, const struct pdv_event_row *row,
                           struct pdv_error *err)
{
	STORE_CALL(WRITE, event_insert, (s->impl, row, err));
}

int pdv_store_events_of_record(struct pdv_store *s, int64_t record_id, pdv_event_cb cb, void *ctx,
                               struct pdv_error *err)
{
	STORE_CALL(ITERATE, events_of_record, (s->impl, record_id, cb, ctx, err));
}

int pdv_store_consent_text_put(struct pdv_store *s, const char *activity, const char *version,
                               const char *text, struct pdv_error *err)
{
	STORE_CALL(WRITE, consent_text_put, (s->impl, activity, version, text, err));
}

int pdv_store_consent_insert(struct pdv_store *s, const struct pdv_consent_row *row,
                             struct pdv_error *err)
{
	STORE_CALL(WRITE, consent_insert, (s->impl, row, err));
}

int pdv_store_consents_of_subject(struct pdv_store *s, int64_t subject_id, pdv_consent_cb cb,
                                  void *ctx, struct pdv_error *err)
{
	STORE_CALL(ITERATE, consents_of_subject, (s->impl, subject_id, cb, ctx, err));
}

int pdv_store_erasure_insert(struct pdv_store *s, int64_t seq, int64_t subject_id,
                             int64_t record_id, int64_t at, const char *reason, int64_t *ret_seq,
                             struct pdv_error *err)
{
	STORE_CALL(WRITE, erasure_insert,
	           (s->impl, seq, subject_id, record_id, at, reason, ret_seq, err));
}

int pdv_store_erasures_after(struct pdv_store *s, int64_t after, pdv_erasure_row_cb cb, void *ctx,
                             struct pdv_error *err)
{
	STORE_CALL(ITERATE, erasures_after, (s->impl, after, cb, ctx, err));
}

int pdv_store_erasures_max(struct pdv_store *s, int64_t *ret, struct pdv_error *err)
{
	STORE_CALL(READ, erasures_max, (s->impl, ret, err));
}

int pdv_store_hold_insert(struct pdv_store *s, const uint8_t tag[PDV_TAG_LEN], int64_t subject_id,
                          const uint8_t *reason, size_t len, int64_t at, const char *by,
                          int64_t *ret_id, struct pdv_error *err)
{
	STORE_CALL(WRITE, hold_insert,
	           (s->impl, tag, subject_id, reason, len, at, by, ret_id, err));
}

int pdv_store_hold_get(struct pdv_store *s, int64_t id, uint8_t ret_tag[PDV_TAG_LEN],
                       int64_t *ret_subject, bool *ret_lifted, struct pdv_error *err)
{
	STORE_CALL(READ, hold_get, (s->impl, id, ret_tag, ret_subject, ret_lifted, err));
}

int pdv_store_hold_lift(struct pdv_store *s, int64_t id, int64_t at, const char *by,
                        struct pdv_error *err)
{
	STORE_CALL(WRITE, hold_lift, (s->impl, id, at, by, err));
}

int pdv_store_holds_of_subject(struct pdv_store *s, int64_t subject_id, pdv_hold_cb cb, void *ctx,
                               struct pdv_error *err)
{
	STORE_CALL(ITERATE, holds_of_subject, (s->impl, subject_id, cb, ctx, err));
}

int pdv_store_holds_active_count(struct pdv_store *s, int64_t subject_id, int64_t *ret,
                                 struct pdv_error *err)
{
	STORE_CALL(READ, holds_active_count, (s->impl, subject_id, ret, err));
}

int pdv_store_suppression_put(struct pdv_store *s, const uint8_t hash[PDV_LOOKUP_LEN], int64_t at,
                              int64_t expires_at, struct pdv_error *err)
{
	STORE_CALL(WRITE, suppression_put, (s->impl, hash, at, expires_at, err));
}

int pdv_store_suppression_active(struct pdv_store *s, const uint8_t hash[PDV_LOOKUP_LEN],
                                 int64_t now, bool *ret, struct pdv_error *err)
{
	STORE_CALL(READ, suppression_active, (s->impl, hash, now, ret, err));
}

int pdv_store_directives_put(struct pdv_store *s, int64_t subject_id, const uint8_t *text,
                             size_t len, int64_t at, struct pdv_error *err)
{
	STORE_CALL(WRITE, directives_put, (s->impl, subject_id, text, len, at, err));
}

int pdv_store_directives_get(struct pdv_store *s, int64_t subject_id, uint8_t *buf, size_t size,
                             size_t *ret_len, struct pdv_error *err)
{
	STORE_CALL(READ, directives_get, (s->impl, subject_id, buf, size, ret_len, err));
}

int pdv_store_directives_delete(struct pdv_store *s, int64_t subject_id, struct pdv_error *err)
{
	STORE_CALL(WRITE, directives_delete, (s->impl, subject_id, err));
}

int pdv_store_request_insert(struct pdv_store *s, struct pdv_request_row *row,
                             struct pdv_error *err)
{
	STORE_CALL(WRITE, request_insert, (s->impl, row, err));
}

int pdv_store_request_get(struct pdv_store *s, int64_t id, struct pdv_request_row *ret,
                          struct pdv_error *err)
{
	STORE_CALL(READ, request_get, (s->impl, id, ret, err));
}

int pdv_store_request_by_reference(struct pdv_store *s, const char *reference,
                                   struct pdv_request_row *ret, struct pdv_error *err)
{
	STORE_CALL(READ, request_by_reference, (s->impl, reference, ret, err));
}

int pdv_store_request_extend(struct pdv_store *s, int64_t id, const char *due,
                             const uint8_t *reason, size_t reason_len, int64_t at,
                             struct pdv_error *err)
{
	STORE_CALL(WRITE, request_extend, (s->impl, id, due, reason, reason_len, at, err));
}

int pdv_store_request_update(struct pdv_store *s, int64_t id, const char *status, const char *due,
                             bool extended, const uint8_t *reason, size_t reason_len,
                             int64_t closed_at, struct pdv_error *err)
{
	STORE_CALL(WRITE, request_update,
	           (s->impl, id, status, due, extended, reason, reason_len, closed_at, err));
}

int pdv_store_request_set_id_document(struct pdv_store *s, int64_t id, const uint8_t *doc,
                                      size_t len, struct pdv_error *err)
{
	STORE_CALL(WRITE, request_set_id_document, (s->impl, id, doc, len, err));
}

int pdv_store_requests_with_id_document(struct pdv_store *s, pdv_id_document_cb cb, void *ctx,
                                        struct pdv_error *err)
{
	STORE_CALL(ITERATE, requests_with_id_document, (s->impl, cb, ctx, err));
}

int pdv_store_requests_each(struct pdv_store *s, pdv_request_row_cb cb, void *ctx,
                            struct pdv_error *err)
{
	STORE_CALL(ITERATE, requests_each, (s->impl, cb, ctx, err));
}

int pdv_store_breach_insert(struct pdv_store *s, struct pdv_breach_row *row, struct pdv_error *err)
{
	STORE_CALL(WRITE, breach_insert, (s->impl, row, err));
}

int pdv_store_breach_get(struct pdv_store *s, int64_t id, struct pdv_breach_row *ret,
                         struct pdv_error *err)
{
	STORE_CALL(READ, breach_get, (s->impl, id, ret, err));
}

int pdv_store_breach_notified(struct pdv_store *s, const struct pdv_breach_row *row,
                              const char *which, struct pdv_error *err)
{
	STORE_CALL(WRITE, breach_notified, (s->impl, row, which, err));
}

int pdv_store_breach_assess(struct pdv_store *s, int64_t id, const char *risk,
                            const uint8_t *reason, size_t reason_len, int64_t at,
                            struct pdv_error *err)
{
	STORE_CALL(WRITE, breach_assess, (s->impl, id, risk, reason, reason_len, at, err));
}

int pdv_store_breaches_each(struct pdv_store *s, pdv_breach_row_cb cb, void *ctx,
                            struct pdv_error *err)
{
	STORE_CALL(ITERATE, breaches_each, (s->impl, cb, ctx, err));
}

int pdv_store_outbox_insert(struct pdv_store *s, const char *kind, const char *recipient,
                            int64_t subject_id, int64_t record_id, const uint8_t *payload,
                            size_t len, int64_t at, const char *lang, struct pdv_error *err)
{
	STORE_CALL(WRITE, outbox_insert,
	           (s->impl, kind, recipient, subject_id, record_id, payload, len, at, lang, err));
}

int pdv_store_renewal_insert(struct pdv_store *s, int64_t record_id, const uint8_t hash[32],
                             int64_t created_at, int64_t expires_at, struct pdv_error *err)
{
	STORE_CALL(WRITE, renewal_insert, (s->impl, record_id, hash, created_at, expires_at, err));
}

int pdv_store_renewal_by_hash(struct pdv_store *s, const uint8_t hash[32],
                              struct pdv_renewal_row *ret, struct pdv_error *err)
{
	STORE_CALL(READ, renewal_by_hash, (s->impl, hash, ret, err));
}

int pdv_store_renewal_use(struct pdv_store *s, int64_t id, int64_t at, struct pdv_error *err)
{
	STORE_CALL(WRITE, renewal_use, (s->impl, id, at, err));
}

int pdv_store_breach_describe(struct pdv_store *s, const struct pdv_breach_row *row,
                              struct pdv_error *err)
{
	STORE_CALL(WRITE, breach_describe, (s->impl, row, err));
}

int pdv_store_subject_lang_set(struct pdv_store *s, int64_t id, const char *lang,
                               struct pdv_error *err)
{
	STORE_CALL(WRITE, subject_lang_set, (s->impl, id, lang, err));
}

int pdv_store_outbox_claim(struct pdv_store *s, const char *owner, int64_t lease_until, int64_t now,
                           bool email, struct pdv_outbox_row *ret, struct pdv_error *err)
{
	STORE_CALL(WRITE, outbox_claim, (s->impl, owner, lease_until, now, email, ret, err));
}

int pdv_store_outbox_sent(struct pdv_store *s, int64_t id, const char *owner, int64_t at,
                          struct pdv_error *err)
{
	STORE_CALL(WRITE, outbox_sent, (s->impl, id, owner, at, err));
}

int pdv_store_outbox_unsent(struct pdv_store *s, int64_t id, const char *owner, const char *status,
                            int64_t next_at, const char *last_error, struct pdv_error *err)
{
	STORE_CALL(WRITE, outbox_unsent, (s->impl, id, owner, status, next_at, last_error, err));
}

int pdv_store_outbox_release(struct pdv_store *s, int64_t id, const char *owner,
                             struct pdv_error *err)
{
	STORE_CALL(WRITE, outbox_release, (s->impl, id, owner, err));
}

int pdv_store_outbox_relay_back(struct pdv_store *s, int64_t now, int64_t *ret,
                                struct pdv_error *err)
{
	STORE_CALL(WRITE, outbox_relay_back, (s->impl, now, ret, err));
}

int pdv_store_download_put(struct pdv_store *s, const struct pdv_download_row *row,
                           const uint8_t hash[32], struct pdv_error *err)
{
	STORE_CALL(WRITE, download_put, (s->impl, row, hash, err));
}

int pdv_store_download_by_hash(struct pdv_store *s, const uint8_t hash[32],
                               struct pdv_download_row *ret, struct pdv_error *err)
{
	STORE_CALL(READ, download_by_hash, (s->impl, hash, ret, err));
}

int pdv_store_download_of_request(struct pdv_store *s, int64_t request_id,
                                  struct pdv_download_row *ret, struct pdv_error *err)
{
	STORE_CALL(READ, download_of_request, (s->impl, request_id, ret, err));
}

int pdv_store_download_use(struct pdv_store *s, int64_t id, int64_t at, struct pdv_error *err)
{
	STORE_CALL(WRITE, download_use, (s->impl, id, at, err));
}

int pdv_store_outbox_retry(struct pdv_store *s, int64_t id, int64_t next_at, struct pdv_error *err)
{
	STORE_CALL(WRITE, outbox_retry, (s->impl, id, next_at, err));
}

int pdv_store_recipient_secret_put(struct pdv_store *s, const char *recipient,
                                   const uint8_t *sealed, size_t len, int64_t at,
                                   struct pdv_error *err)
{
	STORE_CALL(WRITE, recipient_secret_put, (s->impl, recipient, sealed, len, at, err));
}

int pdv_store_recipient_secret_get(struct pdv_store *s, const char *recipient,
                                   const uint8_t **ret_sealed, size_t *ret_len,
                                   struct pdv_error *err)
{
	STORE_CALL(READ, recipient_secret_get, (s->impl, recipient, ret_sealed, ret_len, err));
}

int pdv_store_outbox_get(struct pdv_store *s, int64_t id, struct pdv_outbox_row *ret,
                         struct pdv_error *err)
{
	STORE_CALL(READ, outbox_get, (s->impl, id, ret, err));
}

int pdv_store_outbox_each(struct pdv_store *s, pdv_outbox_row_cb cb, void *ctx,
                          struct pdv_error *err)
{
	STORE_CALL(ITERATE, outbox_each, (s->impl, cb, ctx, err));
}

int pdv_store_outbox_insert_once(struct pdv_store *s, const char *kind, const char *key,
                                 const uint8_t *payload, size_t len, int64_t at,
                                 struct pdv_error *err)
{
	STORE_CALL(WRITE, outbox_insert_once, (s->impl, kind, key, payload, len, at, err));
}

int pdv_store_outbox_once_exists(struct pdv_store *s, const char *key, bool *ret,
                                 struct pdv_error *err)
{
	STORE_CALL(READ, outbox_once_exists, (s->impl, key, ret, err));
}

int pdv_store_outbox_max_id(struct pdv_store *s, int64_t *ret, struct pdv_error *err)
{
	STORE_CALL(READ, outbox_max_id, (s->impl, ret, err));
}

int pdv_store_outbox_link_request(struct pdv_store *s, int64_t request_id, int64_t after_id,
                                  struct pdv_error *err)
{
	STORE_CALL(WRITE, outbox_link_request, (s->impl, request_id, after_id, err));
}

int pdv_store_outbox_link_last(struct pdv_store *s, int64_t request_id, struct pdv_error *err)
{
	STORE_CALL(WRITE, outbox_link_last, (s->impl, request_id, err));
}

int pdv_store_request_note_insert(struct pdv_store *s, int64_t request_id, int64_t at,
                                  const char *author, const uint8_t *note, size_t len,
                                  int64_t *ret_id, struct pdv_error *err)
{
	STORE_CALL(WRITE, request_note_insert,
	           (s->impl, request_id, at, author, note, len, ret_id, err));
}

int pdv_store_signing_key_insert(struct pdv_store *s, const char *key_id, const uint8_t *public_key,
                                 size_t public_key_len, const uint8_t *secret, size_t secret_len,
                                 int64_t at, struct pdv_error *err)
{
	STORE_CALL(WRITE, signing_key_insert,
	           (s->impl, key_id, public_key, public_key_len, secret, secret_len, at, err));
}

int pdv_store_signing_key_retire(struct pdv_store *s, int64_t at, struct pdv_error *err)
{
	STORE_CALL(WRITE, signing_key_retire, (s->impl, at, err));
}

int pdv_store_signing_keys_each(struct pdv_store *s, pdv_signing_key_cb cb, void *ctx,
                                struct pdv_error *err)
{
	STORE_CALL(ITERATE, signing_keys_each, (s->impl, cb, ctx, err));
}

int pdv_store_signing_key_secret_set(struct pdv_store *s, int64_t id, const uint8_t *secret,
                                     size_t len, struct pdv_error *err)
{
	STORE_CALL(WRITE, signing_key_secret_set, (s->impl, id, secret, len, err));
}

int pdv_store_certificate_insert(struct pdv_store *s, struct pdv_certificate_row *row,
                                 struct pdv_error *err)
{
	STORE_CALL(WRITE, certificate_insert, (s->impl, row, err));
}

int pdv_store_certificate_body_set(struct pdv_store *s, int64_t id, const uint8_t *body, size_t len,
                                   struct pdv_error *err)
{
	STORE_CALL(WRITE, certificate_body_set, (s->impl, id, body, len, err));
}

int pdv_store_certificate_get(struct pdv_store *s, int64_t id, struct pdv_certificate_row *ret,
                              struct pdv_error *err)
{
	STORE_CALL(READ, certificate_get, (s->impl, id, ret, err));
}

int pdv_store_certificate_of_request(struct pdv_store *s, int64_t request_id,
                                     struct pdv_certificate_row *ret, struct pdv_error *err)
{
	STORE_CALL(READ, certificate_of_request, (s->impl, request_id, ret, err));
}

int pdv_store_request_notes_of(struct pdv_store *s, int64_t request_id, pdv_request_note_cb cb,
                               void *ctx, struct pdv_error *err)
{
	STORE_CALL(ITERATE, request_notes_of, (s->impl, request_id, cb, ctx, err));
}

int pdv_store_requests_open_of_subject(struct pdv_store *s, int64_t subject_id, int64_t *ret,
                                       struct pdv_error *err)
{
	STORE_CALL(READ, requests_open_of_subject, (s->impl, subject_id, ret, err));
}

int pdv_store_outbox_of_request(struct pdv_store *s, int64_t request_id, pdv_outbox_row_cb cb,
                                void *ctx, struct pdv_error *err)
{
	STORE_CALL(ITERATE, outbox_of_request, (s->impl, request_id, cb, ctx, err));
}

int pdv_store_verification_insert(struct pdv_store *s, struct pdv_verification_row *row,
                                  struct pdv_error *err)
{
	STORE_CALL(WRITE, verification_insert, (s->impl, row, err));
}

int pdv_store_verification_get(struct pdv_store *s, int64_t id, struct pdv_verification_row *ret,
                               struct pdv_error *err)
{
	STORE_CALL(READ, verification_get, (s->impl, id, ret, err));
}

int pdv_store_verification_update(struct pdv_store *s, int64_t id, int attempts, int64_t used_at,
                                  struct pdv_error *err)
{
	STORE_CALL(WRITE, verification_update, (s->impl, id, attempts, used_at, err));
}

int pdv_store_verifications_purge(struct pdv_store *s, int64_t now, int64_t ttl,
                                  struct pdv_error *err)
{
	STORE_CALL(WRITE, verifications_purge, (s->impl, now, ttl, err));
}

int pdv_store_token_insert(struct pdv_store *s, const struct pdv_token_row *row,
                           struct pdv_error *err)
{
	STORE_CALL(WRITE, token_insert, (s->impl, row, err));
}

int pdv_store_token_revoke(struct pdv_store *s, const char *name, int64_t at, struct pdv_error *err)
{
	STORE_CALL(WRITE, token_revoke, (s->impl, name, at, err));
}

int pdv_store_token_by_hash(struct pdv_store *s, const uint8_t hash[32], struct pdv_token_row *ret,
                            struct pdv_error *err)
{
	STORE_CALL(READ, token_by_hash, (s->impl, hash, ret, err));
}

int pdv_store_tokens_each(struct pdv_store *s, pdv_token_row_cb cb, void *ctx,
                          struct pdv_error *err)
{
	STORE_CALL(ITERATE, tokens_each, (s->impl, cb, ctx, err));
}

int pdv_store_token_used(struct pdv_store *s, const char *name, int64_t at, struct pdv_error *err)
{
	STORE_CALL(WRITE, token_used, (s->impl, name, at, err));
}

int pdv_store_staff_insert(struct pdv_store *s, const struct pdv_staff_row *row,
                           struct pdv_error *err)
{
	STORE_CALL(WRITE, staff_insert, (s->impl, row, err));
}

int pdv_store_staff_get(struct pdv_store *s, const char *name, struct pdv_staff_row *ret,
                        struct pdv_error *err)
{
	STORE_CALL(READ, staff_get, (s->impl, name, ret, err));
}

int pdv_store_staff_by_invite(struct pdv_store *s, const uint8_t hash[32],
                              struct pdv_staff_row *ret, struct pdv_error *err)
{
	STORE_CALL(READ, staff_by_invite, (s->impl, hash, ret, err));
}

int pdv_store_staff_each(struct pdv_store *s, pdv_staff_row_cb cb, void *ctx, struct pdv_error *err)
{
	STORE_CALL(ITERATE, staff_each, (s->impl, cb, ctx, err));
}

int pdv_store_staff_update(struct pdv_store *s, const struct pdv_staff_row *row,
                           struct pdv_error *err)
{
	STORE_CALL(WRITE, staff_update, (s->impl, row, err));
}

int pdv_store_staff_delete(struct pdv_store *s, const char *name, struct pdv_error *err)
{
	STORE_CALL(WRITE, staff_delete, (s->impl, name, err));
}

int pdv_store_staff_session_insert(struct pdv_store *s, const uint8_t hash[32], const char *name,
                                   int64_t at, struct pdv_error *err)
{
	STORE_CALL(WRITE, staff_session_insert, (s->impl, hash, name, at, err));
}

int pdv_store_staff_session_get(struct pdv_store *s, const uint8_t hash[32],
                                struct pdv_staff_session_row *ret, struct pdv_error *err)
{
	STORE_CALL(READ, staff_session_get, (s->impl, hash, ret, err));
}

int pdv_store_staff_session_seen(struct pdv_store *s, const uint8_t hash[32], int64_t at,
                                 struct pdv_error *err)
{
	STORE_CALL(WRITE, staff_session_seen, (s->impl, hash, at, err));
}

int pdv_store_staff_session_delete(struct pdv_store *s, const uint8_t hash[32],
                                   struct pdv_error *err)
{
	STORE_CALL(WRITE, staff_session_delete, (s->impl, hash, err));
}

int pdv_store_staff_sessions_end(struct pdv_store *s, const char *name, const uint8_t *keep,
                                 struct pdv_error *err)
{
	STORE_CALL(WRITE, staff_sessions_end, (s->impl, name, keep, err));
}

int pdv_store_audit_append(struct pdv_store *s, const struct pdv_audit_row *row,
                           struct pdv_error *err)
{
	STORE_CALL(WRITE, audit_append, (s->impl, row, err));
}

int pdv_store_audit_last(struct pdv_store *s, int64_t *ret_seq, uint8_t ret_hash[32],
                         struct pdv_error *err)
{
	STORE_CALL(READ, audit_last, (s->impl, ret_seq, ret_hash, err));
}

int pdv_store_audit_each(struct pdv_store *s, const char *subject, pdv_audit_cb cb, void *ctx,
                         struct pdv_error *err)
{
	STORE_CALL(ITERATE, audit_each, (s->impl, subject, cb, ctx, err));
}

int pdv_store_audit_from(struct pdv_store *s, int64_t from, pdv_audit_cb cb, void *ctx,
                         struct pdv_error *err)
{
	STORE_CALL(ITERATE, audit_from, (s->impl, from, cb, ctx, err));
}

/* --- cookie banners and consent receipts --- */

int pdv_store_cookie_config_put(struct pdv_store *s, const struct pdv_cookie_config_row *row,
                                struct pdv_error *err)
{
	STORE_CALL(WRITE, cookie_config_put, (s->impl, row, err));
}

int pdv_store_cookie_config_get(struct pdv_store *s, const char *id,
                                struct pdv_cookie_config_row *ret, struct pdv_error *err)
{
	STORE_CALL(READ, cookie_config_get, (s->impl, id, ret, err));
}

int pdv_store_cookie_receipt_insert(struct pdv_store *s, struct pdv_cookie_receipt_row *row,
                                    struct pdv_error *err)
{
	STORE_CALL(WRITE, cookie_receipt_insert, (s->impl, row, err));
}

int pdv_store_cookie_receipt_get(struct pdv_store *s, int64_t id,
                                 struct pdv_cookie_receipt_row *ret, struct pdv_error *err)
{
	STORE_CALL(READ, cookie_receipt_get, (s->impl, id, ret, err));
}

int pdv_store_cookie_receipts_of(struct pdv_store *s, const uint8_t consent_index[32],
                                 pdv_cookie_receipt_cb cb, void *ctx, struct pdv_error *err)
{
	STORE_CALL(ITERATE, cookie_receipts_of, (s->impl, consent_index, cb, ctx, err));
}

int pdv_store_cookie_configs_each(struct pdv_store *s, pdv_cookie_config_cb cb, void *ctx,
                                  struct pdv_error *err)
{
	STORE_CALL(ITERATE, cookie_configs_each, (s->impl, cb, ctx, err));
}

int pdv_store_cookie_receipts_between(struct pdv_store *s, int64_t from, int64_t to,
                                      pdv_cookie_receipt_cb cb, void *ctx, struct pdv_error *err)
{
	STORE_CALL(ITERATE, cookie_receipts_between, (s->impl, from, to, cb, ctx, err));
}

int pdv_store_cookie_receipts_purge(struct pdv_store *s, int64_t before, bool dry_run,
                                    int64_t *ret_n, struct pdv_error *err)
{
	if (dry_run)
		STORE_CALL(READ, cookie_receipts_purge, (s->impl, before, true, ret_n, err));
	STORE_CALL(WRITE, cookie_receipts_purge, (s->impl, before, false, ret_n, err));
}
