/*
 * migrate.c — a vault copied to a new store of either backend (pdvault
 * migrate --to URL, docs/internals/multi-server.md), through the store's
 * backend-neutral table copy (pdv/store.h), so SQLite to PostgreSQL and back
 * are one path.
 *
 * The source is read inside a write transaction (its writer lock: nothing
 * is written while it is read), after its audit chain is verified there and
 * no server is found on it; the target must be new (pdv_store_open creates
 * it, refusing one that exists) and is filled in one transaction. Then the
 * rows of every table are counted on both sides, the target is opened as
 * the vault, a "migrate" entry is appended there (so the head file moves to
 * the target, and the source, now behind it, refuses writes: one vault, not
 * two), and its chain is verified. Any failure destroys the target and
 * leaves the source as it was.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "engine-internal.h"

#define PROGRESS_EVERY 10000

struct copy {
	struct pdv_store *to;
	const char *table;
	size_t index;
	int64_t done, total;
	pdv_migrate_progress_cb progress;
	void *ctx;
	struct pdv_error *err;
};

static int copy_row(void *ctx, const struct pdv_value *row, int n)
{
	struct copy *c = ctx;
	int rc = pdv_store_table_put(c->to, c->index, row, n, c->err);

	if (rc < 0)
		return rc;
	if (++c->done % PROGRESS_EVERY == 0 && c->progress)
		c->progress(c->ctx, c->table, c->done, c->total);
	return 0;
}

/* every table, parents first, into `to` (in its transaction); counts[i] the
 * source's rows of table i */
static int copy_tables(struct pdv_session *s, struct pdv_store *to, int64_t *counts,
                       pdv_migrate_progress_cb progress, void *ctx, struct pdv_error *err)
{
	int rc;

	if ((rc = pdv_store_meta_clear(to, err)) < 0)
		return rc;
	for (size_t i = 0; i < pdv_store_n_tables; i++) {
		struct copy c = {.to = to,
		                 .table = pdv_store_tables[i],
		                 .index = i,
		                 .progress = progress,
		                 .ctx = ctx,
		                 .err = err};

		if ((rc = pdv_store_table_count(s->store, i, &counts[i], err)) < 0)
			return rc;
		c.total = counts[i];
		if ((rc = pdv_store_table_each(s->store, i, copy_row, &c, err)) < 0)
			return rc;
		if (progress)
			progress(ctx, c.table, c.done, c.total);
	}
	return 0;
}

/* the target's rows, table by table, against the source's */
static int counts_match(struct pdv_store *to, const int64_t *counts, struct pdv_error *err)
{
	for (size_t i = 0; i < pdv_store_n_tables; i++) {
		int64_t n;
		int rc = pdv_store_table_count(to, i, &n, err);

		if (rc < 0)
			return rc;
		if (n != counts[i])
			return pdv_error_set(err, PDV_E_INTEGRITY,
			                     "the copy of table %s has %" PRId64
			                     " rows, the source %" PRId64 "; nothing kept",
			                     pdv_store_tables[i], n, counts[i]);
	}
	return 0;
}

/* the target opened as the vault: its chain verified, then the migrate entry */
static int target_seal(struct pdv_session *s, const char *to_url, const char *detail,
                       struct pdv_migrate_report *ret, struct pdv_error *err)
{
	const struct pdv_vault *v = s->vault;
	struct pdv_vault_opts o = {.db_url = to_url,
	                           .key_file = v->key_file,
	                           .decl = v->decl,
	                           .actor = v->actor,
	                           .now = v->now,
	                           .server_id = v->server_id};
	struct pdv_vault *tv = NULL;
	struct pdv_session *ts = NULL;
	struct pdv_audit_report rep;
	int rc;

	if ((rc = pdv_vault_open(&o, &tv, err)) < 0 || (rc = pdv_session_open(tv, &ts, err)) < 0)
		goto out;
	if ((rc = pdv_audit_verify(ts, &rep, err)) < 0)
		goto out;
	if (!rep.ok) {
		rc = pdv_error_set(err, PDV_E_INTEGRITY,
		                   "the copy's audit log does not verify (entry %" PRId64 ": %s); "
		                   "nothing kept",
		                   rep.first_bad, rep.why);
		goto out;
	}
	/* verified: the entry that makes the copy the vault (the head moves) */
	if ((rc = pdv_session_tx_begin(ts, err)) < 0)
		goto out;
	if ((rc = pdv_audit_append(ts, "migrate", NULL, NULL, NULL, detail, err)) < 0) {
		pdv_session_tx_rollback(ts);
		goto out;
	}
	if ((rc = pdv_session_tx_commit(ts, err)) < 0)
		goto out;
	ret->entries = rep.entries + 1;
out:
	pdv_session_close(ts);
	pdv_vault_close(tv);
	return rc;
}

int pdv_vault_migrate(struct pdv_session *s, const char *to_url, pdv_migrate_progress_cb progress,
                      void *ctx, struct pdv_migrate_report *ret, struct pdv_error *err)
{
	struct pdv_store *to = NULL;
	struct pdv_audit_report rep;
	int64_t servers = 0;
	char detail[160];
	bool made = false;
	int rc;

	memset(ret, 0, sizeof(*ret));
	if (pdv_store_n_tables > PDV_MIGRATE_TABLES_MAX)
		return pdv_error_set(err, PDV_E_INTERNAL, "more tables than a report holds");
	if (pdv_store_in_tx(s->store))
		return pdv_error_set(err, PDV_E_INTERNAL, "migrate inside a transaction");
	/* the source, held still: its writer lock until the copy is made */
	if ((rc = pdv_store_begin(s->store, err)) < 0)
		return rc;
	if ((rc = pdv_store_servers(s->store, &servers, err)) < 0)
		goto out;
	if (servers > 0) {
		rc = pdv_error_set(err, PDV_E_REFUSED,
		                   "a pdvault server is using this vault (%" PRId64
		                   " connection%s): stop every server before migrating it, so no "
		                   "write lands in the store being left",
		                   servers, servers == 1 ? "" : "s");
		goto out;
	}
	if ((rc = pdv_audit_verify(s, &rep, err)) < 0)
		goto out;
	if (!rep.ok) {
		rc = pdv_error_set(err, PDV_E_INTEGRITY,
		                   "the audit log does not verify (entry %" PRId64 ": %s): "
		                   "nothing copied",
		                   rep.first_bad, rep.why);
		goto out;
	}
	if ((rc = pdv_store_open(to_url, true, &to, err)) < 0)
		goto out;
	made = true;
	if ((rc = pdv_store_begin(to, err)) < 0 ||
	    (rc = copy_tables(s, to, ret->rows, progress, ctx, err)) < 0)
		goto out;
	if ((rc = pdv_store_commit(to, err)) < 0 || (rc = counts_match(to, ret->rows, err)) < 0)
		goto out;
	pdv_store_close(to);
	to = NULL;
	pdv_store_rollback(s->store);
	snprintf(detail, sizeof(detail),
	         "copied from a %s store: %" PRId64 " entries before this one",
	         pdv_store_backend_name(s->store), rep.entries);
	rc = target_seal(s, to_url, detail, ret, err);
out:
	if (pdv_store_in_tx(s->store))
		pdv_store_rollback(s->store);
	pdv_store_close(to);
	/* nothing half-made is left; when it is, the message says so */
	if (rc < 0 && made && pdv_store_destroy(to_url, NULL) < 0 && err) {
		size_t n = strlen(err->msg);

		snprintf(err->msg + n, sizeof(err->msg) - n,
		         " (the partial copy at the target "
		         "could not be removed: remove it)");
	}
	return rc;
}

const char *const *pdv_migrate_tables(size_t *n)
{
	*n = pdv_store_n_tables;
	return pdv_store_tables;
}
