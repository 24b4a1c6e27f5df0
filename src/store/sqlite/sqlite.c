/*
 * sqlite.c — the SQLite backend of the store: the connection, transactions,
 * ids, durability, the store as a whole (backup, restore, destroy, size),
 * and the table of operations (backend.h) whose rows live in subjects.c,
 * records.c, requests.c and audit.c.
 *
 * One connection per handle. On open: the connection settings of
 * sql/sqlite/open.sql (WAL, synchronous=FULL, memory temp store, secure
 * delete), then every missing migration in its own transaction, then every
 * statement of sql/sqlite/statements.sql is prepared once; a call binds its
 * values, steps and resets. No SQL is built at run time.
 *
 * Transactions are BEGIN IMMEDIATE: the write lock is taken at begin, so
 * writers are serialised and what a write transaction reads holds until it
 * ends (store.h). The next id of each kind is read once per transaction
 * (past every row and every reserved range) and counted on in memory.
 *
 * Checkpoints: once a commit leaves the WAL past SQLite's usual bound (1,000
 * pages; a bulk import, a sweep), a thread with a connection of its own
 * copies the WAL into the database (a passive checkpoint) while this one
 * goes on writing, instead of the committing thread doing it. Durability is
 * the same: a commit is on disk when the WAL is synced, the checkpoint syncs
 * the database before the WAL is reused.
 *
 * A store is its file and two side files (-wal, -shm), and the lock files
 * of servers.c (-serve-lock, -sweep-lock): destroy removes them all, restore never lets the
 * replaced store's WAL meet the new file.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sqlite-internal.h"

/* SQLite's default wal_autocheckpoint, in pages */
#define CHECKPOINT_PAGES 1000
/*
 * The WAL is reused from its start only by a transaction that begins once
 * every page is copied; a writer that never waits keeps appending. Past
 * this many pages (64 MiB of 4 KiB pages), a transaction waits for the
 * checkpoint under way before it begins, so the WAL starts over.
 */
#define WAL_PAGES_MAX 16384

struct checkpointer {
	sqlite3 *db;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	pthread_cond_t idle;
	bool due, busy, stop;
};

/* --- the statement helpers (sqlite-internal.h) --- */

int sq_error(struct pdv_store_impl *s, struct pdv_error *err, const char *what)
{
	int code = sqlite3_extended_errcode(s->db) & 0xff;
	int rc = code == SQLITE_FULL || code == SQLITE_IOERR || code == SQLITE_CANTOPEN ||
	                 code == SQLITE_BUSY || code == SQLITE_CORRUPT || code == SQLITE_NOTADB ||
	                 code == SQLITE_READONLY
	             ? PDV_E_IO
	             : PDV_E_INTERNAL;

	return pdv_error_set(err, rc, "store '%s': %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

sqlite3_stmt *sq_stmt(struct pdv_store_impl *s, int which)
{
	sqlite3_stmt *st = s->st[which];

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

int sq_done(struct pdv_store_impl *s, sqlite3_stmt *st, struct pdv_error *err, const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return sq_error(s, err, what);
	return 0;
}

int sq_one(struct pdv_store_impl *s, sqlite3_stmt *st, const char *missing, const char *what,
           struct pdv_error *err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return 0;
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return pdv_error_set(err, PDV_E_NOTFOUND, "%s", missing);
	}
	rc = sq_error(s, err, what);
	sqlite3_reset(st);
	return rc;
}

int sq_int64(struct pdv_store_impl *s, sqlite3_stmt *st, int64_t *ret, const char *what,
             struct pdv_error *err)
{
	int rc;

	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = sq_error(s, err, what);
		sqlite3_reset(st);
		return rc;
	}
	*ret = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

int sq_each(struct pdv_store_impl *s, sqlite3_stmt *st, int (*on_row)(void *ctx, sqlite3_stmt *st),
            void *ctx, const char *what, struct pdv_error *err)
{
	int rc, r = 0;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((r = on_row(ctx, st)) != 0)
			break;
	if (r == 0 && rc != SQLITE_DONE)
		r = sq_error(s, err, what);
	sqlite3_reset(st);
	return r;
}

void sq_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

void sq_bind_blob(sqlite3_stmt *st, int i, const void *v, size_t n)
{
	if (v)
		sqlite3_bind_blob64(st, i, v, n, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

void sq_bind_opt_int(sqlite3_stmt *st, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

const char *sq_col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

bool sq_col_fixed(sqlite3_stmt *st, int i, uint8_t *out, size_t n)
{
	const void *p = sqlite3_column_blob(st, i);

	if (p && (size_t)sqlite3_column_bytes(st, i) == n) {
		memcpy(out, p, n);
		return true;
	}
	memset(out, 0, n);
	return false;
}

/* --- checkpoints --- */

static void *checkpointer_main(void *arg)
{
	struct checkpointer *c = arg;

	pthread_mutex_lock(&c->lock);
	for (;;) {
		while (!c->due && !c->stop)
			pthread_cond_wait(&c->wake, &c->lock);
		if (c->stop)
			break;
		c->due = false;
		c->busy = true;
		pthread_mutex_unlock(&c->lock);
		/* a failure leaves the pages in the WAL, for the next one or the close */
		sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		pthread_mutex_lock(&c->lock);
		c->busy = false;
		if (!c->due)
			pthread_cond_broadcast(&c->idle);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

static void checkpointer_stop(struct checkpointer *c)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->lock);
	c->stop = true;
	pthread_cond_signal(&c->wake);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->thread, NULL);
	pthread_cond_destroy(&c->idle);
	pthread_cond_destroy(&c->wake);
	pthread_mutex_destroy(&c->lock);
	sqlite3_close(c->db);
	free(c);
}

static struct checkpointer *checkpointer_start(const char *path)
{
	struct checkpointer *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	        SQLITE_OK ||
	    sqlite3_exec(c->db, pdv_sqlite_open_sql, NULL, NULL, NULL) != SQLITE_OK)
		goto fail;
	/* its own commits are none; this only keeps it from checkpointing itself */
	sqlite3_wal_autocheckpoint(c->db, 0);
	pthread_mutex_init(&c->lock, NULL);
	pthread_cond_init(&c->wake, NULL);
	pthread_cond_init(&c->idle, NULL);
	if (pthread_create(&c->thread, NULL, checkpointer_main, c) != 0) {
		pthread_cond_destroy(&c->idle);
		pthread_cond_destroy(&c->wake);
		pthread_mutex_destroy(&c->lock);
		goto fail;
	}
	return c;
fail:
	sqlite3_close(c->db);
	free(c);
	return NULL;
}

/* after each commit: past the bound, a checkpoint, on the checkpointer's thread */
static int wal_hook(void *arg, sqlite3 *db, const char *name, int pages)
{
	struct pdv_store_impl *s = arg;

	s->wal_pages = pages;
	if (pages < CHECKPOINT_PAGES)
		return SQLITE_OK;
	if (!s->ckpt)
		s->ckpt = checkpointer_start(s->path);
	if (!s->ckpt) {
		/* no thread: as SQLite would, here */
		sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		return SQLITE_OK;
	}
	pthread_mutex_lock(&s->ckpt->lock);
	s->ckpt->due = true;
	pthread_cond_signal(&s->ckpt->wake);
	pthread_mutex_unlock(&s->ckpt->lock);
	return SQLITE_OK;
}

/* --- open and close --- */

/* every statement back to its start: an active read would block a rollback,
 * and a stale read snapshot would make BEGIN fail at once */
static void reset_all(struct pdv_store_impl *s)
{
	for (int i = 0; i < PDV_SQL__COUNT; i++)
		if (s->st[i])
			sqlite3_reset(s->st[i]);
}

static void sqlite_close(struct pdv_store_impl *s)
{
	if (!s)
		return;
	if (s->wal_fd >= 0)
		close(s->wal_fd);
	if (s->serve_fd >= 0)
		close(s->serve_fd);
	sqlite_sweep_unlock(s);
	checkpointer_stop(s->ckpt);
	if (s->in_tx && s->st[PDV_SQL_ROLLBACK]) {
		reset_all(s);
		sqlite3_step(s->st[PDV_SQL_ROLLBACK]);
	}
	for (int i = 0; i < PDV_SQL__COUNT; i++)
		sqlite3_finalize(s->st[i]);
	sqlite3_close(s->db);
	free(s->path);
	free(s->claimed);
	free(s);
}

static int prepare(struct pdv_store_impl *s, int i, struct pdv_error *err)
{
	if (sqlite3_prepare_v3(s->db, pdv_sqlite_statements[i].sql, -1, SQLITE_PREPARE_PERSISTENT,
	                       &s->st[i], NULL) != SQLITE_OK) {
		char what[96];

		snprintf(what, sizeof(what), "preparing %s", pdv_sqlite_statements[i].name);
		return sq_error(s, err, what);
	}
	return 0;
}

static int sqlite_begin(struct pdv_store_impl *s, struct pdv_error *err);
static int sqlite_commit(struct pdv_store_impl *s, struct pdv_error *err);
static void sqlite_rollback(struct pdv_store_impl *s);

static int migrate(struct pdv_store_impl *s, struct pdv_error *err)
{
	int64_t version;
	int rc;

	/* what a migration needs, prepared before any table exists */
	static const int early[] = {PDV_SQL_USER_VERSION, PDV_SQL_BEGIN, PDV_SQL_COMMIT,
	                            PDV_SQL_ROLLBACK};
	for (size_t i = 0; i < sizeof(early) / sizeof(early[0]); i++)
		if ((rc = prepare(s, early[i], err)) < 0)
			return rc;
	if ((rc = sq_int64(s, s->st[PDV_SQL_USER_VERSION], &version, "reading the schema version",
	                   err)) < 0)
		return rc;
	if (version > pdv_sqlite_n_migrations)
		return pdv_error_set(err, PDV_E_IO,
		                     "store '%s' has schema version %d, newer than this pdvault "
		                     "knows (%d); use a newer pdvault",
		                     s->path, (int)version, pdv_sqlite_n_migrations);
	for (int m = (int)version; m < pdv_sqlite_n_migrations; m++) {
		char *msg = NULL;

		if ((rc = sqlite_begin(s, err)) < 0)
			return rc;
		if (sqlite3_exec(s->db, pdv_sqlite_migrations[m].sql, NULL, NULL, &msg) !=
		    SQLITE_OK) {
			rc = pdv_error_set(err, PDV_E_IO, "store '%s': migration %s failed: %s",
			                   s->path, pdv_sqlite_migrations[m].name,
			                   msg ? msg : sqlite3_errmsg(s->db));
			sqlite3_free(msg);
			sqlite_rollback(s);
			return rc;
		}
		if ((rc = sqlite_commit(s, err)) < 0)
			return rc;
	}
	return 0;
}

static int sqlite_open(const char *where, bool create, struct pdv_store_impl **ret,
                       struct pdv_error *err)
{
	struct pdv_store_impl *s = calloc(1, sizeof(*s));
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	struct stat st;
	int rc;

	if (s)
		s->wal_fd = s->serve_fd = s->sweep_fd = -1;
	if (!s || !(s->path = strdup(where))) {
		free(s);
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	}
	if (create) {
		/* create the file ourselves: owner-only, like the key beside it
		 * (SQLite gives its -wal and -shm files the same mode) */
		int fd = open(where, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

		if (fd < 0) {
			rc = pdv_error_set(
			    err, errno == EEXIST ? PDV_E_REFUSED : PDV_E_IO,
			    errno == EEXIST ? "store '%s' already exists; refusing to overwrite it"
			                    : "cannot create store '%s'",
			    where);
			sqlite_close(s);
			return rc;
		}
		close(fd);
		flags |= SQLITE_OPEN_CREATE;
	} else if (stat(where, &st) < 0) {
		rc = pdv_error_set(err, PDV_E_IO,
		                   errno == ENOENT
		                       ? "store '%s' does not exist (create it with 'pdvault init')"
		                       : "store '%s' cannot be opened",
		                   where);
		sqlite_close(s);
		return rc;
	}
	if (sqlite3_open_v2(where, &s->db, flags, NULL) != SQLITE_OK) {
		rc = s->db ? sq_error(s, err, "opening")
		           : pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		sqlite_close(s);
		return rc;
	}
	sqlite3_extended_result_codes(s->db, 1);
	if (sqlite3_exec(s->db, pdv_sqlite_open_sql, NULL, NULL, NULL) != SQLITE_OK) {
		rc = sq_error(s, err, "setting up the connection");
		goto fail;
	}
	sqlite3_wal_hook(s->db, wal_hook, s); /* in place of wal_autocheckpoint */
	if ((rc = migrate(s, err)) < 0)
		goto fail;
	for (int i = 0; i < PDV_SQL__COUNT; i++)
		if (!s->st[i] && (rc = prepare(s, i, err)) < 0)
			goto fail;
	*ret = s;
	return 0;
fail:
	sqlite_close(s);
	return rc;
}

static int sqlite_schema_version(struct pdv_store_impl *s, int *ret, struct pdv_error *err)
{
	int64_t v = 0;
	int rc =
	    sq_int64(s, sq_stmt(s, PDV_SQL_USER_VERSION), &v, "reading the schema version", err);

	*ret = (int)v;
	return rc;
}

/* --- transactions --- */

static void ids_forget(struct pdv_store_impl *s)
{
	memset(s->next_id, 0, sizeof(s->next_id));
}

static int sqlite_begin(struct pdv_store_impl *s, struct pdv_error *err)
{
	int rc;

	/* a statement left unreset by a getter holds a read snapshot, which a
	 * write by another process makes stale: BEGIN would fail at once with
	 * SQLITE_BUSY instead of waiting. Start from no open statement. */
	reset_all(s);
	if (s->ckpt && s->wal_pages >= WAL_PAGES_MAX) {
		struct checkpointer *c = s->ckpt;

		pthread_mutex_lock(&c->lock);
		while (c->due || c->busy)
			pthread_cond_wait(&c->idle, &c->lock);
		pthread_mutex_unlock(&c->lock);
		s->wal_pages = 0;
	}
	rc = sq_done(s, sq_stmt(s, PDV_SQL_BEGIN), err, "beginning a transaction");
	if (rc == 0) {
		s->in_tx = true;
		ids_forget(s); /* another writer may have taken some since */
	}
	return rc;
}

static int sqlite_commit(struct pdv_store_impl *s, struct pdv_error *err)
{
	int rc = sq_done(s, sq_stmt(s, PDV_SQL_COMMIT), err, "committing");

	if (rc < 0) {
		sqlite_rollback(s);
		return rc;
	}
	s->in_tx = false;
	ids_forget(s);
	return 0;
}

static void sqlite_rollback(struct pdv_store_impl *s)
{
	if (!s->in_tx)
		return;
	reset_all(s);
	sqlite3_step(s->st[PDV_SQL_ROLLBACK]);
	sqlite3_reset(s->st[PDV_SQL_ROLLBACK]);
	s->in_tx = false;
	ids_forget(s);
}

static int sqlite_savepoint(struct pdv_store_impl *s, struct pdv_error *err)
{
	int rc = sq_done(s, sq_stmt(s, PDV_SQL_SAVEPOINT), err, "opening a savepoint");

	if (rc == 0)
		memcpy(s->sp_next_id, s->next_id, sizeof(s->next_id));
	return rc;
}

static int sqlite_rollback_to(struct pdv_store_impl *s);

/* a release that fails undoes the savepoint's writes (the contract) */
static int sqlite_release(struct pdv_store_impl *s, struct pdv_error *err)
{
	int rc = sq_done(s, sq_stmt(s, PDV_SQL_RELEASE), err, "releasing a savepoint");

	if (rc < 0)
		sqlite_rollback_to(s);
	return rc;
}

/* undo back to the savepoint and drop it; the transaction stays open */
static int sqlite_rollback_to(struct pdv_store_impl *s)
{
	reset_all(s);
	sqlite3_step(s->st[PDV_SQL_ROLLBACK_TO]);
	sqlite3_reset(s->st[PDV_SQL_ROLLBACK_TO]);
	sqlite3_step(s->st[PDV_SQL_RELEASE]);
	sqlite3_reset(s->st[PDV_SQL_RELEASE]);
	/* the ids handed out since are free again, as the rows undone */
	memcpy(s->next_id, s->sp_next_id, sizeof(s->next_id));
	return 0;
}

/*
 * Deferred durability: synchronous=NORMAL, so a commit does not wait for the
 * disk, and sqlite_sync makes every commit made so far durable by syncing
 * the WAL (what a commit with synchronous=FULL would have done). Checkpoints
 * still sync the WAL before they copy it back, as SQLite always does.
 */
static int sqlite_durability(struct pdv_store_impl *s, bool deferred, struct pdv_error *err)
{
	char wal[4096];
	int rc;

	if ((rc = sq_done(
	         s, sq_stmt(s, deferred ? PDV_SQL_SYNCHRONOUS_NORMAL : PDV_SQL_SYNCHRONOUS_FULL),
	         err, "setting the durability")) < 0)
		return rc;
	if (!deferred || s->wal_fd >= 0)
		return 0;
	if (snprintf(wal, sizeof(wal), "%s-wal", s->path) >= (int)sizeof(wal))
		return pdv_error_set(err, PDV_E_IO, "store path too long");
	if ((s->wal_fd = open(wal, O_RDONLY | O_CLOEXEC)) < 0)
		return pdv_error_set(err, PDV_E_IO, "cannot open the store's log '%s': %s", wal,
		                     strerror(errno));
	return 0;
}

/* may run on another thread than the store's: it touches only the fd */
static int sqlite_sync(struct pdv_store_impl *s, struct pdv_error *err)
{
	if (s->wal_fd >= 0 && fdatasync(s->wal_fd) < 0)
		return pdv_error_set(err, PDV_E_IO, "cannot sync the store's log: %s",
		                     strerror(errno));
	return 0;
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

/* the transaction's counter, read at its first id (one query per transaction) */
static int id_counter(struct pdv_store_impl *s, enum pdv_store_id_kind kind, struct pdv_error *err)
{
	if (s->next_id[kind])
		return 0;
	return sq_int64(s, sq_stmt(s, next_id_sql[kind]), &s->next_id[kind], "allocating an id",
	                err);
}

int sqlite_id_next(struct pdv_store_impl *s, enum pdv_store_id_kind kind, int64_t *ret,
                   struct pdv_error *err)
{
	int rc = id_counter(s, kind, err);

	if (rc == 0)
		*ret = s->next_id[kind]++;
	return rc;
}

int sqlite_id_reserve(struct pdv_store_impl *s, enum pdv_store_id_kind kind, int64_t n,
                      int64_t *ret_first, struct pdv_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = id_counter(s, kind, err)) < 0)
		return rc;
	/* kept in meta, so the next transaction's counter, anyone's, starts past it */
	st = sq_stmt(s, reserve_sql[kind]);
	sqlite3_bind_int64(st, 1, s->next_id[kind] + n - 1);
	if ((rc = sq_done(s, st, err, "reserving ids")) < 0)
		return rc;
	*ret_first = s->next_id[kind];
	s->next_id[kind] += n;
	return 0;
}

/* --- meta --- */

static int sqlite_meta_get(struct pdv_store_impl *s, const char *name, uint8_t *buf, size_t size,
                           size_t *ret_len, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_META_GET);
	size_t n;
	int rc;

	sq_bind_text(st, 1, name);
	if ((rc = sq_one(s, st, "", "reading meta", err)) == PDV_E_NOTFOUND)
		return pdv_error_set(err, PDV_E_NOTFOUND, "store '%s' has no '%s'", s->path, name);
	if (rc < 0)
		return rc;
	n = (size_t)sqlite3_column_bytes(st, 0);
	if (n > size) {
		sqlite3_reset(st);
		return pdv_error_set(err, PDV_E_IO, "store '%s': '%s' is damaged (%zu bytes)",
		                     s->path, name, n);
	}
	if (n)
		memcpy(buf, sqlite3_column_blob(st, 0), n);
	*ret_len = n;
	sqlite3_reset(st);
	return 0;
}

static int sqlite_meta_put(struct pdv_store_impl *s, const char *name, const void *v, size_t n,
                           struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_META_PUT);

	sq_bind_text(st, 1, name);
	sqlite3_bind_blob64(st, 2, v, n, SQLITE_STATIC);
	return sq_done(s, st, err, "writing meta");
}

static int sqlite_meta_delete(struct pdv_store_impl *s, const char *name, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_META_DELETE);

	sq_bind_text(st, 1, name);
	return sq_done(s, st, err, "writing meta");
}

/* --- the store as a whole --- */

/* PATH plus a suffix ("-wal", "-shm", ".restore"); false when too long */
static bool side_path(char *out, size_t size, const char *path, const char *suffix)
{
	return (size_t)snprintf(out, size, "%s%s", path, suffix) < size;
}

static int sqlite_backup(struct pdv_store_impl *s, const char *path, struct pdv_error *err)
{
	sqlite3 *to = NULL;
	sqlite3_backup *b;
	int fd, rc;

	/* owner-only, and never over an existing file */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return pdv_error_set(err, errno == EEXIST ? PDV_E_REFUSED : PDV_E_IO,
		                     errno == EEXIST ? "backup '%s' already exists"
		                                     : "cannot create backup '%s'",
		                     path);
	close(fd);
	if (sqlite3_open_v2(path, &to, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		goto fail;
	if (!(b = sqlite3_backup_init(to, "main", s->db, "main")))
		goto fail;
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_close(to);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) < 0) {
		if (fd >= 0)
			close(fd);
		unlink(path);
		return pdv_error_set(err, PDV_E_IO, "cannot sync backup '%s'", path);
	}
	close(fd);
	return 0;
fail:
	rc = pdv_error_set(err, PDV_E_IO, "backup '%s' failed: %s", path,
	                   to ? sqlite3_errmsg(to) : "cannot open it");
	sqlite3_close(to);
	unlink(path);
	return rc;
}

static int sqlite_check(struct pdv_store_impl *s, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_QUICK_CHECK);
	const char *r;
	int rc;

	if ((rc = sq_one(s, st, "no answer", "checking", err)) < 0)
		return rc == PDV_E_NOTFOUND ? sq_error(s, err, "checking") : rc;
	r = sq_col_text(st, 0);
	rc = r && strcmp(r, "ok") == 0
	         ? 0
	         : pdv_error_set(err, PDV_E_IO, "store '%s' is damaged", s->path);
	sqlite3_reset(st);
	return rc;
}

/* the database and its WAL (the -shm index is a mapping, not data) */
static int sqlite_size_bytes(struct pdv_store_impl *s, int64_t *ret, struct pdv_error *err)
{
	char wal[4096];
	struct stat st;

	*ret = 0;
	if (stat(s->path, &st) == 0)
		*ret += st.st_size;
	if (side_path(wal, sizeof(wal), s->path, "-wal") && stat(wal, &st) == 0)
		*ret += st.st_size;
	(void)err;
	return 0;
}

static int remove_file(const char *path, struct pdv_error *err)
{
	if (unlink(path) < 0 && errno != ENOENT)
		return pdv_error_set(err, PDV_E_IO, "cannot remove '%s': %s", path,
		                     strerror(errno));
	return 0;
}

/* the file and its side files; all three tried, the first failure told */
static int sqlite_destroy(const char *where, struct pdv_error *err)
{
	static const char *const sides[] = {"-wal", "-shm", "-serve-lock", "-sweep-lock"};
	char side[4096];
	int rc = remove_file(where, err);

	for (size_t i = 0; i < sizeof(sides) / sizeof(sides[0]); i++) {
		int r = side_path(side, sizeof(side), where, sides[i])
		            ? remove_file(side, rc < 0 ? NULL : err)
		            : pdv_error_set(rc < 0 ? NULL : err, PDV_E_IO, "store path too long");

		if (rc == 0)
			rc = r;
	}
	return rc;
}

static int copy_file(const char *from, const char *to, struct pdv_error *err)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out;
	ssize_t n;

	if (in < 0)
		return pdv_error_set(err, PDV_E_IO, "cannot read backup '%s': %s", from,
		                     strerror(errno));
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0) {
		close(in);
		return pdv_error_set(err, PDV_E_IO, "cannot write '%s': %s", to, strerror(errno));
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			n = -1;
			break;
		}
	close(in);
	if (n < 0 || fsync(out) < 0) {
		close(out);
		unlink(to);
		return pdv_error_set(err, PDV_E_IO, "cannot copy backup '%s'", from);
	}
	close(out);
	return 0;
}

/*
 * A restore, step by step: the backup is copied to STORE.restore (a store of
 * its own, in the same folder so the rename below stays on one file
 * system); prepare opens it, writes, and closes it (a close checkpoints the
 * WAL into the file); the replaced store's -wal and -shm go, so they never
 * meet the new file; the copy is renamed over the store.
 */
static int sqlite_restore(const char *where, const char *from_path,
                          int (*prepare_cb)(void *ctx, const char *staged_url,
                                            struct pdv_error *err),
                          void *ctx, struct pdv_error *err)
{
	char tmp[4096], url[4200], side[4200];
	int rc;

	if (!side_path(tmp, sizeof(tmp), where, ".restore"))
		return pdv_error_set(err, PDV_E_IO, "store path too long");
	sqlite_destroy(tmp, NULL); /* what a restore that stopped left */
	if ((rc = copy_file(from_path, tmp, err)) < 0)
		return rc;
	snprintf(url, sizeof(url), "sqlite:%s", tmp);
	if ((rc = prepare_cb(ctx, url, err)) < 0)
		goto fail;
	side_path(side, sizeof(side), where, "-wal");
	unlink(side);
	side_path(side, sizeof(side), where, "-shm");
	unlink(side);
	side_path(side, sizeof(side), tmp, "-wal");
	if (access(side, F_OK) == 0) {
		rc = pdv_error_set(err, PDV_E_INTERNAL, "the restored copy was not checkpointed");
		goto fail;
	}
	if (rename(tmp, where) < 0) {
		rc = pdv_error_set(err, PDV_E_IO, "cannot put the restored store in place: %s",
		                   strerror(errno));
		goto fail;
	}
	return 0;
fail:
	sqlite_destroy(tmp, NULL);
	return rc;
}

const struct pdv_store_ops pdv_store_sqlite_ops = {
    .version = PDV_STORE_OPS_VERSION,
    .scheme = "sqlite",
    .round_trips = false,
    .open = sqlite_open,
    .close = sqlite_close,
    .destroy = sqlite_destroy,
    .restore = sqlite_restore,
    .backup = sqlite_backup,
    .check = sqlite_check,
    .size_bytes = sqlite_size_bytes,
    .schema_version = sqlite_schema_version,
    .begin = sqlite_begin,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
    .savepoint = sqlite_savepoint,
    .release = sqlite_release,
    .rollback_to = sqlite_rollback_to,
    .durability = sqlite_durability,
    .sync = sqlite_sync,
    .id_next = sqlite_id_next,
    .id_reserve = sqlite_id_reserve,
    .meta_get = sqlite_meta_get,
    .meta_put = sqlite_meta_put,
    .meta_delete = sqlite_meta_delete,
    .subject_insert = sqlite_subject_insert,
    .subject_get = sqlite_subject_get,
    .subject_wrapped_each = sqlite_subject_wrapped_each,
    .subject_wrapped_set = sqlite_subject_wrapped_set,
    .lookup_put = sqlite_lookup_put,
    .lookup_get = sqlite_lookup_get,
    .lookups_known = sqlite_lookups_known,
    .lookup_get_records = sqlite_lookup_get, /* a statement costs no round trip */
    .lookups_read_ahead = sqlite_lookups_read_ahead,
    .lookups_held_between = sqlite_lookups_held_between,
    .lookup_delete = sqlite_lookup_delete,
    .subject_insert_new = sqlite_subject_insert_new,
    .subject_set_restricted = sqlite_subject_set_restricted,
    .subject_shred = sqlite_subject_shred,
    .subject_shred_key = sqlite_subject_shred_key,
    .lookups_purge = sqlite_lookups_purge,
    .record_insert = sqlite_record_insert,
    .record_get = sqlite_record_get,
    .record_update = sqlite_record_update,
    .record_delete = sqlite_record_delete,
    .record_delete_row = sqlite_record_delete_row,
    .records_delete_subject = sqlite_records_delete_subject,
    .records_of_subject = sqlite_records_of_subject,
    .records_count_of_subject = sqlite_records_count_of_subject,
    .records_due = sqlite_records_due,
    .batch_facts = sqlite_batch_facts,
    .records_of_activity = sqlite_records_of_activity,
    .records_summary = sqlite_records_summary,
    .records_unbound = sqlite_records_unbound,
    .record_bind = sqlite_record_bind,
    .statistics_insert = sqlite_statistics_insert,
    .statistics_each = sqlite_statistics_each,
    .event_insert = sqlite_event_insert,
    .events_of_record = sqlite_events_of_record,
    .consent_text_put = sqlite_consent_text_put,
    .consent_insert = sqlite_consent_insert,
    .consents_of_subject = sqlite_consents_of_subject,
    .erasure_insert = sqlite_erasure_insert,
    .erasures_after = sqlite_erasures_after,
    .erasures_max = sqlite_erasures_max,
    .hold_insert = sqlite_hold_insert,
    .hold_get = sqlite_hold_get,
    .hold_lift = sqlite_hold_lift,
    .holds_of_subject = sqlite_holds_of_subject,
    .holds_active_count = sqlite_holds_active_count,
    .suppression_put = sqlite_suppression_put,
    .suppression_active = sqlite_suppression_active,
    .directives_put = sqlite_directives_put,
    .directives_get = sqlite_directives_get,
    .directives_delete = sqlite_directives_delete,
    .request_insert = sqlite_request_insert,
    .request_get = sqlite_request_get,
    .request_by_reference = sqlite_request_by_reference,
    .request_extend = sqlite_request_extend,
    .request_update = sqlite_request_update,
    .request_set_id_document = sqlite_request_set_id_document,
    .requests_with_id_document = sqlite_requests_with_id_document,
    .requests_each = sqlite_requests_each,
    .breach_insert = sqlite_breach_insert,
    .breach_get = sqlite_breach_get,
    .breach_notified = sqlite_breach_notified,
    .breach_assess = sqlite_breach_assess,
    .breaches_each = sqlite_breaches_each,
    .outbox_insert = sqlite_outbox_insert,
    .outbox_get = sqlite_outbox_get,
    .outbox_each = sqlite_outbox_each,
    .outbox_insert_once = sqlite_outbox_insert_once,
    .outbox_once_exists = sqlite_outbox_once_exists,
    .outbox_max_id = sqlite_outbox_max_id,
    .outbox_link_request = sqlite_outbox_link_request,
    .outbox_of_request = sqlite_outbox_of_request,
    .outbox_link_last = sqlite_outbox_link_last,
    .request_note_insert = sqlite_request_note_insert,
    .request_notes_of = sqlite_request_notes_of,
    .signing_key_insert = sqlite_signing_key_insert,
    .signing_key_retire = sqlite_signing_key_retire,
    .signing_keys_each = sqlite_signing_keys_each,
    .signing_key_secret_set = sqlite_signing_key_secret_set,
    .certificate_insert = sqlite_certificate_insert,
    .certificate_body_set = sqlite_certificate_body_set,
    .certificate_get = sqlite_certificate_get,
    .certificate_of_request = sqlite_certificate_of_request,
    .requests_open_of_subject = sqlite_requests_open_of_subject,
    .outbox_claim = sqlite_outbox_claim,
    .outbox_sent = sqlite_outbox_sent,
    .outbox_unsent = sqlite_outbox_unsent,
    .outbox_release = sqlite_outbox_release,
    .outbox_relay_back = sqlite_outbox_relay_back,
    .outbox_retry = sqlite_outbox_retry,
    .download_put = sqlite_download_put,
    .download_by_hash = sqlite_download_by_hash,
    .download_of_request = sqlite_download_of_request,
    .download_use = sqlite_download_use,
    .renewal_insert = sqlite_renewal_insert,
    .renewal_by_hash = sqlite_renewal_by_hash,
    .renewal_use = sqlite_renewal_use,
    .breach_describe = sqlite_breach_describe,
    .subject_lang_set = sqlite_subject_lang_set,
    .recipient_secret_put = sqlite_recipient_secret_put,
    .recipient_secret_get = sqlite_recipient_secret_get,
    .verification_insert = sqlite_verification_insert,
    .verification_get = sqlite_verification_get,
    .verification_update = sqlite_verification_update,
    .verifications_purge = sqlite_verifications_purge,
    .token_insert = sqlite_token_insert,
    .token_revoke = sqlite_token_revoke,
    .token_by_hash = sqlite_token_by_hash,
    .tokens_each = sqlite_tokens_each,
    .token_used = sqlite_token_used,
    .staff_insert = sqlite_staff_insert,
    .staff_get = sqlite_staff_get,
    .staff_by_invite = sqlite_staff_by_invite,
    .staff_each = sqlite_staff_each,
    .staff_update = sqlite_staff_update,
    .staff_delete = sqlite_staff_delete,
    .staff_session_insert = sqlite_staff_session_insert,
    .staff_session_get = sqlite_staff_session_get,
    .staff_session_seen = sqlite_staff_session_seen,
    .staff_session_delete = sqlite_staff_session_delete,
    .staff_sessions_end = sqlite_staff_sessions_end,
    .audit_append = sqlite_audit_append,
    .audit_last = sqlite_audit_last,
    .audit_each = sqlite_audit_each,
    .audit_from = sqlite_audit_from,
    .cookie_config_put = sqlite_cookie_config_put,
    .cookie_config_get = sqlite_cookie_config_get,
    .cookie_receipt_insert = sqlite_cookie_receipt_insert,
    .cookie_receipt_get = sqlite_cookie_receipt_get,
    .cookie_receipts_of = sqlite_cookie_receipts_of,
    .cookie_configs_each = sqlite_cookie_configs_each,
    .cookie_receipts_between = sqlite_cookie_receipts_between,
    .cookie_receipts_purge = sqlite_cookie_receipts_purge,
    .announce = sqlite_announce,
    .servers = sqlite_servers,
    .sweep_try_lock = sqlite_sweep_try_lock,
    .sweep_unlock = sqlite_sweep_unlock,
    .table_each = sqlite_table_each,
    .table_put = sqlite_table_put,
    .table_count = sqlite_table_count,
    .meta_clear = sqlite_meta_clear,
    .verify_send_take = sqlite_verify_send_take,
};
