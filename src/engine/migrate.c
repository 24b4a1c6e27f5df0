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
 *
 * The source is never written, so what tells a command run on it later that
 * the vault went elsewhere lives beside the key file, as the head does: the
 * record of the moves, KEYFILE.migrations (beside the key file's real path,
 * 0600, written whole by mkstemp and rename), one line per migrate, the
 * last MOVES_KEPT kept:
 *
 *   pdvault-migrations 1
 *   SEQ<TAB>HASH<TAB>AT<TAB>TARGET<TAB>SOURCE
 *
 * SEQ and HASH: the source's last audit entry, the one the copy's "migrate"
 * entry follows; AT: when (UTC seconds, years 1 to 9999: a line whose AT
 * no date spells is damage, as one that does not parse); TARGET and SOURCE: the stores'
 * URLs, a store file's path made absolute (pdv_store_url_lasting), so a
 * command run from another folder can use it. A URL with a password never
 * gets here: opening the target refuses it first (pdv_store_open), and the
 * source was opened.
 *
 * A store is a source left behind when its own last entry is a recorded SEQ
 * with that HASH. The hash is keyed with the audit key over the whole chain
 * before it, so only that store (or a file copy of it) ends there: the
 * record names the source by its content, which a path or a URL cannot do
 * (a vault migrated back to the path it left is a new store there). And the
 * record is asked only about a store found behind a head file (the
 * witness check, with its own head and, once, the other servers' heads;
 * verify, with every head): a live store reaches the heads, so it is never
 * taken for a source, and a vault migrated back and forth holds every
 * migrate entry after the SEQ of each move it made.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pdv/buf.h"
#include "engine-internal.h"
#include "migrate-record.h"

_Static_assert(PDV_MIGRATE_HASH_LEN == PDV_HASH_LEN, "migrate-record.h's hash is the chain's");

#define PROGRESS_EVERY 10000

#define MOVES_MAGIC "pdvault-migrations 1\n"
#define MOVES_KEPT 16             /* a vault moves rarely: the last 16 are plenty */
#define MOVES_URL_MAX 4096        /* a URL longer than that is not recorded: refused */
#define MOVES_FILE_MAX (1u << 18) /* MOVES_KEPT lines of two such URLs fit */

struct move {
	int64_t seq;
	uint8_t hash[PDV_HASH_LEN];
	pdv_time_t at;
	const char *target, *source; /* into the line read */
};

/* one line of the record (NUL-terminated, cut at its tabs); false: not one */
static bool move_parse(char *line, struct move *m)
{
	char *f[5], *save = NULL, *end;
	int n = 0;

	for (char *t = strtok_r(line, "\t", &save); t && n < 5; t = strtok_r(NULL, "\t", &save))
		f[n++] = t;
	if (n != 5 || strlen(f[1]) != 2 * PDV_HASH_LEN ||
	    pdv_unhex(f[1], m->hash, PDV_HASH_LEN) < 0)
		return false;
	errno = 0;
	m->seq = strtoll(f[0], &end, 10);
	if (errno || *end || m->seq < 1)
		return false;
	m->at = strtoll(f[2], &end, 10);
	/* AT as pdv_time_format writes it (years 1 to 9999); past that, damage */
	if (errno || *end || !pdv_time_valid(m->at))
		return false;
	m->target = f[3];
	m->source = f[4];
	return true;
}

/* the record, read whole into *ret (NUL-terminated; NULL when there is none) */
static int moves_read(const char *path, char **ret, size_t *ret_len, struct pdv_error *err)
{
	FILE *f = fopen(path, "re");
	char *buf;
	size_t n;

	*ret = NULL;
	*ret_len = 0;
	if (!f)
		return errno == ENOENT ? 0
		                       : pdv_error_set(err, PDV_E_IO, "cannot read '%s': %s", path,
		                                       strerror(errno));
	if (!(buf = malloc(MOVES_FILE_MAX + 1))) {
		fclose(f);
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	}
	n = fread(buf, 1, MOVES_FILE_MAX, f);
	fclose(f);
	buf[n] = '\0';
	*ret = buf;
	*ret_len = n;
	return 0;
}

/* each move of a record (text is cut up), oldest first, into on_move */
static void moves_each(char *text, void (*on_move)(void *ctx, const struct move *m), void *ctx)
{
	char *save = NULL;
	struct move m;

	if (!text || strncmp(text, MOVES_MAGIC, strlen(MOVES_MAGIC)) != 0)
		return; /* none, or not a record this pdvault wrote: nothing known */
	for (char *l = strtok_r(text + strlen(MOVES_MAGIC), "\n", &save); l;
	     l = strtok_r(NULL, "\n", &save))
		if (move_parse(l, &m))
			on_move(ctx, &m);
}

struct moves_kept {
	struct move m[MOVES_KEPT];
	size_t n; /* moves seen; the last MOVES_KEPT - 1 kept, in a ring */
};

static void keep_move(void *ctx, const struct move *m)
{
	struct moves_kept *k = ctx;

	k->m[k->n++ % (MOVES_KEPT - 1)] = *m;
}

static int move_put(struct pdv_buf *b, const struct move *m)
{
	char h[2 * PDV_HASH_LEN + 1];

	pdv_hex(m->hash, PDV_HASH_LEN, h);
	return pdv_buf_printf(b, "%" PRId64 "\t%s\t%" PRId64 "\t%s\t%s\n", m->seq, h, m->at,
	                      m->target, m->source);
}

/*
 * The record with `m` added (the oldest moves past MOVES_KEPT dropped);
 * *ret_before: the record as it was (NULL: there was none), for
 * moves_undo when the migrate fails after this.
 */
static int moves_add(const struct pdv_vault *v, const struct move *m, char **ret_before,
                     size_t *ret_before_len, struct pdv_error *err)
{
	struct moves_kept *k = NULL;
	struct pdv_buf b;
	char *copy = NULL;
	size_t first;
	int rc;

	pdv_buf_init(&b, MOVES_FILE_MAX);
	if ((rc = moves_read(v->moves_path, ret_before, ret_before_len, err)) < 0)
		return rc;
	if (!(k = calloc(1, sizeof(*k))) ||
	    (*ret_before && !(copy = strndup(*ret_before, *ret_before_len)))) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	moves_each(copy, keep_move, k);
	first = k->n > MOVES_KEPT - 1 ? k->n - (MOVES_KEPT - 1) : 0;
	rc = pdv_buf_puts(&b, MOVES_MAGIC);
	for (size_t i = first; rc == 0 && i < k->n; i++)
		rc = move_put(&b, &k->m[i % (MOVES_KEPT - 1)]);
	if (rc == 0)
		rc = move_put(&b, m);
	if (rc < 0) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	rc = pdv_file_replace(v->moves_path, b.data, b.len, "the record of the migrations", err);
out:
	if (rc < 0) {
		free(*ret_before);
		*ret_before = NULL;
	}
	free(copy);
	free(k);
	pdv_buf_release(&b);
	return rc;
}

/* the record as it was before moves_add (a failed migrate leaves no move) */
static void moves_undo(const struct pdv_vault *v, const char *before, size_t len)
{
	if (!before)
		unlink(v->moves_path);
	else if (pdv_file_replace(v->moves_path, before, len, "the record of the migrations",
	                          NULL) < 0)
		unlink(v->moves_path); /* better no record than a move that did not happen */
}

struct moves_find {
	int64_t seq;
	const uint8_t *hash;
	struct move found, last;
	bool matched, any;
};

static void find_move(void *ctx, const struct move *m)
{
	struct moves_find *f = ctx;

	if (m->seq == f->seq && pdv_equal(m->hash, f->hash, PDV_HASH_LEN)) {
		f->found = *m;
		f->matched = true;
	}
	f->last = *m;
	f->any = true;
}

int pdv_migrate_moves_find(char *text, int64_t seq, const uint8_t hash[PDV_MIGRATE_HASH_LEN],
                           const char *store, struct pdv_error *err)
{
	struct moves_find f = {.seq = seq, .hash = hash};
	char at[21], last_at[21];

	moves_each(text, find_move, &f);
	if (!f.matched)
		return 0;
	pdv_time_format(f.found.at, at);
	pdv_time_format(f.last.at, last_at);
	if (f.last.seq == f.found.seq)
		return pdv_error_set(
		    err, PDV_E_MOVED,
		    "store '%s' is not the vault any more: it was migrated to %s on %s "
		    "(pdvault migrate; the audit head beside the key file moved with it); "
		    "use --db %s (or PDVAULT_DB)",
		    store, f.found.target, at, f.found.target);
	return pdv_error_set(err, PDV_E_MOVED,
	                     "store '%s' is not the vault any more: it was migrated to %s on %s, "
	                     "and the vault moved again since, last to %s on %s (pdvault migrate; "
	                     "the audit head beside the key file moved with it); use --db %s (or "
	                     "PDVAULT_DB)",
	                     store, f.found.target, at, f.last.target, last_at, f.last.target);
}

int pdv_migrate_moved(const struct pdv_vault *v, int64_t seq, const uint8_t hash[PDV_HASH_LEN],
                      struct pdv_error *err)
{
	char *text = NULL;
	size_t len;
	int rc;

	/* an unreadable record tells nothing: the caller's own error stands */
	if (seq < 1 || moves_read(v->moves_path, &text, &len, NULL) < 0 || !text)
		return 0;
	rc = pdv_migrate_moves_find(text, seq, hash, v->db_path, err);
	free(text);
	return rc;
}

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
	struct move mv = {.at = s->now};
	char detail[160], *target = NULL, *source = NULL, *before = NULL;
	size_t before_len = 0;
	int64_t servers = 0;
	bool made = false, recorded = false;
	int rc;

	memset(ret, 0, sizeof(*ret));
	if (pdv_store_n_tables > PDV_MIGRATE_TABLES_MAX)
		return pdv_error_set(err, PDV_E_INTERNAL, "more tables than a report holds");
	if (pdv_store_in_tx(s->store))
		return pdv_error_set(err, PDV_E_INTERNAL, "migrate inside a transaction");
	/* the record of the move is one line of tab-separated fields */
	if (strlen(to_url) >= MOVES_URL_MAX || strpbrk(to_url, "\t\n\r"))
		return pdv_error_set(
		    err, PDV_E_USAGE,
		    "--to is a store URL of at most %d characters, without tabs or "
		    "line breaks",
		    MOVES_URL_MAX - 1);
	if (!(target = malloc(MOVES_URL_MAX + PATH_MAX)) ||
	    !(source = malloc(MOVES_URL_MAX + PATH_MAX)))
		goto nomem;
	/* the source, held still: its writer lock until the copy is made */
	if ((rc = pdv_store_begin(s->store, err)) < 0)
		goto out;
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
	/* the entry the copy's migrate entry will follow: what names the source */
	if ((rc = pdv_store_audit_last(s->store, &mv.seq, mv.hash, err)) < 0)
		goto out;
	rc = pdv_store_url_lasting(s->vault->db_url, source, MOVES_URL_MAX + PATH_MAX, err);
	if (rc < 0)
		goto out;
	if ((rc = pdv_store_open(to_url, true, &to, err)) < 0)
		goto out;
	made = true;
	if ((rc = pdv_store_begin(to, err)) < 0 ||
	    (rc = copy_tables(s, to, ret->rows, progress, ctx, err)) < 0)
		goto out;
	if ((rc = pdv_store_commit(to, err)) < 0 || (rc = counts_match(to, ret->rows, err)) < 0)
		goto out;
	if ((rc = pdv_store_url_lasting(to_url, target, MOVES_URL_MAX + PATH_MAX, err)) < 0)
		goto out;
	pdv_store_close(to);
	to = NULL;
	pdv_store_rollback(s->store);
	/* recorded before the head moves: a source is never left without it */
	mv.target = target;
	mv.source = source;
	if (mv.seq > 0 && (rc = moves_add(s->vault, &mv, &before, &before_len, err)) < 0)
		goto out;
	recorded = mv.seq > 0;
	snprintf(detail, sizeof(detail),
	         "copied from a %s store: %" PRId64 " entries before this one",
	         pdv_store_backend_name(s->store), rep.entries);
	rc = target_seal(s, to_url, detail, ret, err);
	goto out;
nomem:
	rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
out:
	if (pdv_store_in_tx(s->store))
		pdv_store_rollback(s->store);
	pdv_store_close(to);
	if (rc < 0 && recorded)
		moves_undo(s->vault, before, before_len);
	/* nothing half-made is left; when it is, the message says so */
	if (rc < 0 && made && pdv_store_destroy(to_url, NULL) < 0 && err) {
		size_t n = strlen(err->msg);

		snprintf(err->msg + n, sizeof(err->msg) - n,
		         " (the partial copy at the target "
		         "could not be removed: remove it)");
	}
	free(before);
	free(target);
	free(source);
	return rc;
}

const char *const *pdv_migrate_tables(size_t *n)
{
	*n = pdv_store_n_tables;
	return pdv_store_tables;
}
