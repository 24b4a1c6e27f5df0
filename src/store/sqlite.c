/*
 * sqlite.c — the SQLite backend of the store (struct pdv_store_ops).
 *
 * One connection per handle. On open: the connection settings of
 * sql/sqlite/open.sql (WAL, synchronous=FULL, memory temp store, secure
 * delete), then every missing migration in its own transaction, then every
 * statement of sql/sqlite/statements.sql is prepared once; a call binds its
 * values, steps and resets. No SQL is built at run time.
 *
 * Text and blobs handed back by a getter point into SQLite's row buffers:
 * valid until the next call on the same statement, as store.h says.
 *
 * Checkpoints: once a commit leaves the WAL past SQLite's usual bound (1,000
 * pages; a bulk import, a sweep), a thread with a connection of its own
 * copies the WAL into the database (a passive checkpoint) while this one
 * goes on writing, instead of the committing thread doing it. Durability is
 * the same: a commit is on disk when the WAL is synced, the checkpoint syncs
 * the database before the WAL is reused.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "pdv/store.h"
#include "store/sqlite-sql.h"

struct pdv_store {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *st[PDV_SQL__COUNT];
	bool in_tx;
	int wal_fd; /* deferred durability: the WAL, synced by sqlite_sync */
	struct checkpointer *ckpt; /* started by the first big commit */
	int wal_pages;             /* in the WAL after the last commit */
};

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

static int db_error(struct pdv_store *s, struct pdv_error *err, const char *what)
{
	int code = sqlite3_extended_errcode(s->db);
	int rc = (code & 0xff) == SQLITE_FULL || (code & 0xff) == SQLITE_IOERR ||
			 (code & 0xff) == SQLITE_CANTOPEN || (code & 0xff) == SQLITE_BUSY ||
			 (code & 0xff) == SQLITE_CORRUPT || (code & 0xff) == SQLITE_NOTADB ||
			 (code & 0xff) == SQLITE_READONLY
		     ? PDV_E_IO
		     : PDV_E_INTERNAL;

	return pdv_error_set(err, rc, "store '%s': %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

static sqlite3_stmt *stmt(struct pdv_store *s, int which)
{
	sqlite3_stmt *st = s->st[which];

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

/* Step a statement that returns no row. */
static int step_done(struct pdv_store *s, sqlite3_stmt *st, struct pdv_error *err,
		     const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_error(s, err, what);
	return 0;
}

static void bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static void bind_blob(sqlite3_stmt *st, int i, const void *v, size_t n)
{
	if (v)
		sqlite3_bind_blob64(st, i, v, n, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static void bind_opt_int(sqlite3_stmt *st, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static void col_tag(sqlite3_stmt *st, int i, uint8_t tag[PDV_TAG_LEN])
{
	const void *p = sqlite3_column_blob(st, i);

	memset(tag, 0, PDV_TAG_LEN);
	if (p && sqlite3_column_bytes(st, i) == PDV_TAG_LEN)
		memcpy(tag, p, PDV_TAG_LEN);
}

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
	struct pdv_store *s = arg;

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

static void sqlite_close(struct pdv_store *s)
{
	if (!s)
		return;
	if (s->wal_fd >= 0)
		close(s->wal_fd);
	checkpointer_stop(s->ckpt);
	if (s->in_tx && s->st[PDV_SQL_ROLLBACK]) {
		for (int i = 0; i < PDV_SQL__COUNT; i++)
			if (s->st[i])
				sqlite3_reset(s->st[i]);
		sqlite3_step(s->st[PDV_SQL_ROLLBACK]);
	}
	for (int i = 0; i < PDV_SQL__COUNT; i++)
		sqlite3_finalize(s->st[i]);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

static int prepare(struct pdv_store *s, int i, struct pdv_error *err)
{
	if (sqlite3_prepare_v3(s->db, pdv_sqlite_statements[i].sql, -1, SQLITE_PREPARE_PERSISTENT,
			       &s->st[i], NULL) != SQLITE_OK) {
		char what[96];

		snprintf(what, sizeof(what), "preparing %s", pdv_sqlite_statements[i].name);
		return db_error(s, err, what);
	}
	return 0;
}

static int sqlite_begin(struct pdv_store *s, struct pdv_error *err);
static int sqlite_commit(struct pdv_store *s, struct pdv_error *err);
static void sqlite_rollback(struct pdv_store *s);

static int migrate(struct pdv_store *s, struct pdv_error *err)
{
	int version, rc;

	/* what a migration needs, prepared before any table exists */
	static const int early[] = {PDV_SQL_USER_VERSION, PDV_SQL_BEGIN, PDV_SQL_COMMIT,
				    PDV_SQL_ROLLBACK};
	for (size_t i = 0; i < sizeof(early) / sizeof(early[0]); i++)
		if ((rc = prepare(s, early[i], err)) < 0)
			return rc;
	if (sqlite3_step(s->st[PDV_SQL_USER_VERSION]) != SQLITE_ROW)
		return db_error(s, err, "reading the schema version");
	version = sqlite3_column_int(s->st[PDV_SQL_USER_VERSION], 0);
	sqlite3_reset(s->st[PDV_SQL_USER_VERSION]);
	if (version > pdv_sqlite_n_migrations)
		return pdv_error_set(err, PDV_E_IO,
				     "store '%s' has schema version %d, newer than this pdvault "
				     "knows (%d); use a newer pdvault",
				     s->path, version, pdv_sqlite_n_migrations);
	for (int m = version; m < pdv_sqlite_n_migrations; m++) {
		char *msg = NULL;

		if ((rc = sqlite_begin(s, err)) < 0)
			return rc;
		if (sqlite3_exec(s->db, pdv_sqlite_migrations[m].sql, NULL, NULL, &msg) != SQLITE_OK) {
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

static int sqlite_open(const char *where, bool create, struct pdv_store **ret,
		       struct pdv_error *err)
{
	struct pdv_store *s = calloc(1, sizeof(*s));
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	struct stat st;
	int rc;

	if (s)
		s->wal_fd = -1;
	if (!s || !(s->path = strdup(where))) {
		free(s);
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	}
	if (create) {
		/* create the file ourselves: owner-only, like the key beside it
		 * (SQLite gives its -wal and -shm files the same mode) */
		int fd = open(where, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

		if (fd < 0) {
			rc = pdv_error_set(err, errno == EEXIST ? PDV_E_REFUSED : PDV_E_IO,
					   errno == EEXIST ? "store '%s' already exists"
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
		rc = s->db ? db_error(s, err, "opening")
			   : pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		sqlite_close(s);
		return rc;
	}
	sqlite3_extended_result_codes(s->db, 1);
	if (sqlite3_exec(s->db, pdv_sqlite_open_sql, NULL, NULL, NULL) != SQLITE_OK) {
		rc = db_error(s, err, "setting up the connection");
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

static int sqlite_schema_version(struct pdv_store *s, int *ret, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_USER_VERSION);

	if (sqlite3_step(st) != SQLITE_ROW)
		return db_error(s, err, "reading the schema version");
	*ret = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return 0;
}

static int sqlite_begin(struct pdv_store *s, struct pdv_error *err)
{
	int rc;

	/* a statement left unreset by a getter holds a read snapshot, which a
	 * write by another process makes stale: BEGIN would fail at once with
	 * SQLITE_BUSY instead of waiting. Start from no open statement. */
	for (int i = 0; i < PDV_SQL__COUNT; i++)
		if (s->st[i])
			sqlite3_reset(s->st[i]);
	if (s->ckpt && s->wal_pages >= WAL_PAGES_MAX) {
		struct checkpointer *c = s->ckpt;

		pthread_mutex_lock(&c->lock);
		while (c->due || c->busy)
			pthread_cond_wait(&c->idle, &c->lock);
		pthread_mutex_unlock(&c->lock);
		s->wal_pages = 0;
	}
	rc = step_done(s, stmt(s, PDV_SQL_BEGIN), err, "beginning a transaction");

	if (rc == 0)
		s->in_tx = true;
	return rc;
}

static int sqlite_commit(struct pdv_store *s, struct pdv_error *err)
{
	int rc = step_done(s, stmt(s, PDV_SQL_COMMIT), err, "committing");

	if (rc < 0) {
		sqlite_rollback(s);
		return rc;
	}
	s->in_tx = false;
	return 0;
}

static void sqlite_rollback(struct pdv_store *s)
{
	if (!s->in_tx)
		return;
	/* reset every statement first: an active read would block the rollback */
	for (int i = 0; i < PDV_SQL__COUNT; i++)
		if (s->st[i])
			sqlite3_reset(s->st[i]);
	sqlite3_step(s->st[PDV_SQL_ROLLBACK]);
	sqlite3_reset(s->st[PDV_SQL_ROLLBACK]);
	s->in_tx = false;
}

static int sqlite_savepoint(struct pdv_store *s, struct pdv_error *err)
{
	return step_done(s, stmt(s, PDV_SQL_SAVEPOINT), err, "opening a savepoint");
}

static int sqlite_release(struct pdv_store *s, struct pdv_error *err)
{
	return step_done(s, stmt(s, PDV_SQL_RELEASE), err, "releasing a savepoint");
}

/* undo back to the savepoint and drop it; the transaction stays open */
static void sqlite_rollback_to(struct pdv_store *s)
{
	for (int i = 0; i < PDV_SQL__COUNT; i++)
		if (s->st[i])
			sqlite3_reset(s->st[i]);
	sqlite3_step(s->st[PDV_SQL_ROLLBACK_TO]);
	sqlite3_reset(s->st[PDV_SQL_ROLLBACK_TO]);
	sqlite3_step(s->st[PDV_SQL_RELEASE]);
	sqlite3_reset(s->st[PDV_SQL_RELEASE]);
}

/*
 * Deferred durability: synchronous=NORMAL, so a commit does not wait for the
 * disk, and sqlite_sync makes every commit made so far durable by syncing
 * the WAL (what a commit with synchronous=FULL would have done). Checkpoints
 * still sync the WAL before they copy it back, as SQLite always does.
 */
static int sqlite_durability(struct pdv_store *s, bool deferred, struct pdv_error *err)
{
	char wal[4096];

	if (sqlite3_exec(s->db, deferred ? "PRAGMA synchronous = NORMAL"
					 : "PRAGMA synchronous = FULL",
			 NULL, NULL, NULL) != SQLITE_OK)
		return db_error(s, err, "setting the durability");
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
static int sqlite_sync(struct pdv_store *s, struct pdv_error *err)
{
	if (s->wal_fd >= 0 && fdatasync(s->wal_fd) < 0)
		return pdv_error_set(err, PDV_E_IO, "cannot sync the store's log: %s",
				     strerror(errno));
	return 0;
}

static int sqlite_meta_get(struct pdv_store *s, const char *name, uint8_t *buf, size_t size,
			   size_t *ret_len, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_META_GET);
	int rc;

	bind_text(st, 1, name);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return pdv_error_set(err, PDV_E_NOTFOUND, "store '%s' has no '%s'", s->path, name);
	}
	if (rc != SQLITE_ROW)
		return db_error(s, err, "reading meta");
	size_t n = (size_t)sqlite3_column_bytes(st, 0);
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

static int sqlite_meta_put(struct pdv_store *s, const char *name, const void *v, size_t n,
			   struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_META_PUT);

	bind_text(st, 1, name);
	sqlite3_bind_blob64(st, 2, v, n, SQLITE_STATIC);
	return step_done(s, st, err, "writing meta");
}

static int sqlite_meta_delete(struct pdv_store *s, const char *name, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_META_DELETE);

	bind_text(st, 1, name);
	return step_done(s, st, err, "writing meta");
}

static int sqlite_subject_insert(struct pdv_store *s, struct pdv_subject_row *row,
				 struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_SUBJECT_INSERT);
	int rc;

	sqlite3_bind_blob(st, 1, row->tag, PDV_TAG_LEN, SQLITE_STATIC);
	bind_blob(st, 2, row->wrapped_key, row->wrapped_key_len);
	sqlite3_bind_int64(st, 3, row->created_at);
	sqlite3_bind_int(st, 4, row->restricted);
	bind_opt_int(st, 5, row->id);
	if ((rc = step_done(s, st, err, "inserting a subject")) < 0)
		return rc;
	row->id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static int next_id(struct pdv_store *s, int which, int64_t *ret, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, which);

	if (sqlite3_step(st) != SQLITE_ROW)
		return db_error(s, err, "allocating an id");
	*ret = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

static int sqlite_subject_next_id(struct pdv_store *s, int64_t *ret, struct pdv_error *err)
{
	return next_id(s, PDV_SQL_SUBJECT_NEXT_ID, ret, err);
}

static int sqlite_record_next_id(struct pdv_store *s, int64_t *ret, struct pdv_error *err)
{
	return next_id(s, PDV_SQL_RECORD_NEXT_ID, ret, err);
}

static int sqlite_subject_get(struct pdv_store *s, int64_t id, struct pdv_subject_row *ret,
			      struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_SUBJECT_GET);
	int rc;

	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return pdv_error_set(err, PDV_E_NOTFOUND, "no such subject");
	}
	if (rc != SQLITE_ROW)
		return db_error(s, err, "reading a subject");
	memset(ret, 0, sizeof(*ret));
	ret->id = sqlite3_column_int64(st, 0);
	col_tag(st, 1, ret->tag);
	ret->wrapped_key = sqlite3_column_blob(st, 2);
	ret->wrapped_key_len = (size_t)sqlite3_column_bytes(st, 2);
	ret->created_at = sqlite3_column_int64(st, 3);
	ret->restricted = sqlite3_column_int(st, 4) != 0;
	/* the row stays readable until the next call on this statement */
	return 0;
}

static int sqlite_subject_wrapped_each(struct pdv_store *s, pdv_wrapped_cb cb, void *ctx,
				       struct pdv_error *err)
{
	int64_t after = 0;

	for (;;) {
		sqlite3_stmt *st = stmt(s, PDV_SQL_SUBJECT_WRAPPED_EACH);
		int n = 0, rc;

		sqlite3_bind_int64(st, 1, after);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			int64_t id = sqlite3_column_int64(st, 0);
			uint8_t wrapped[256], tag[PDV_TAG_LEN];
			size_t len = (size_t)sqlite3_column_bytes(st, 1);
			int r;

			if (len > sizeof(wrapped))
				len = sizeof(wrapped);
			memcpy(wrapped, sqlite3_column_blob(st, 1), len);
			col_tag(st, 2, tag);
			after = id;
			n++;
			/* the callback may write: copy out, step on after it */
			if ((r = cb(ctx, id, tag, wrapped, len)) != 0) {
				sqlite3_reset(st);
				return r;
			}
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return db_error(s, err, "reading subject keys");
		if (n == 0)
			return 0;
	}
}

static int sqlite_subject_wrapped_set(struct pdv_store *s, int64_t id, const uint8_t *wrapped,
				      size_t len, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_SUBJECT_WRAPPED_SET);

	sqlite3_bind_int64(st, 1, id);
	bind_blob(st, 2, wrapped, len);
	return step_done(s, st, err, "writing a subject key");
}

static int sqlite_lookup_put(struct pdv_store *s, const uint8_t hash[PDV_LOOKUP_LEN],
			     int64_t subject_id, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_LOOKUP_PUT);

	sqlite3_bind_blob(st, 1, hash, PDV_LOOKUP_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, subject_id);
	return step_done(s, st, err, "writing a lookup");
}

static int sqlite_lookup_delete(struct pdv_store *s, const uint8_t hash[PDV_LOOKUP_LEN],
				struct pdv_error *err);

static int sqlite_subject_insert_new(struct pdv_store *s, struct pdv_subject_row *row,
				     const uint8_t *const *hashes, size_t n_hashes,
				     struct pdv_error *err)
{
	size_t put = 0;
	int rc;

	if ((rc = sqlite_subject_insert(s, row, err)) < 0)
		return rc;
	for (; put < n_hashes; put++) {
		if ((rc = sqlite_lookup_put(s, hashes[put], row->id, err)) < 0)
			return rc;
		if (sqlite3_changes(s->db) == 0)
			break; /* someone's already */
	}
	if (put == n_hashes)
		return 0;
	/* undo, in the transaction: this subject was not new */
	for (size_t i = 0; i < put; i++)
		if ((rc = sqlite_lookup_delete(s, hashes[i], err)) < 0)
			return rc;
	sqlite3_stmt *st = stmt(s, PDV_SQL_SUBJECT_DELETE_NEW);

	sqlite3_bind_int64(st, 1, row->id);
	if ((rc = step_done(s, st, err, "deleting a subject")) < 0)
		return rc;
	return pdv_error_set(err, PDV_E_REFUSED, "a lookup value belongs to another subject");
}

static int sqlite_lookup_get(struct pdv_store *s, const uint8_t hash[PDV_LOOKUP_LEN],
			     int64_t *ret_subject, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_LOOKUP_GET);
	int rc;

	sqlite3_bind_blob(st, 1, hash, PDV_LOOKUP_LEN, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*ret_subject = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return pdv_error_set(err, PDV_E_NOTFOUND, "no subject with this lookup value");
	return db_error(s, err, "reading a lookup");
}

static void record_from_row(sqlite3_stmt *st, struct pdv_record_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	col_tag(st, 1, r->tag);
	r->subject_id = sqlite3_column_int64(st, 2);
	r->activity = col_text(st, 3);
	r->phase = col_text(st, 4);
	r->collected_at = sqlite3_column_int64(st, 5);
	r->last_contact = sqlite3_column_int64(st, 6);
	r->consent_at = sqlite3_column_int64(st, 7);
	r->phase_at = sqlite3_column_int64(st, 8);
	r->next_at = sqlite3_column_int64(st, 9);
	r->source = col_text(st, 10);
	r->fields = sqlite3_column_blob(st, 11);
	r->fields_len = (size_t)sqlite3_column_bytes(st, 11);
	if (sqlite3_column_bytes(st, 12) == PDV_BINDING_LEN) {
		r->has_binding = true;
		memcpy(r->binding, sqlite3_column_blob(st, 12), PDV_BINDING_LEN);
	}
}

static int sqlite_record_insert(struct pdv_store *s, struct pdv_record_row *row,
				struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_RECORD_INSERT);
	int rc;

	sqlite3_bind_blob(st, 1, row->tag, PDV_TAG_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, row->subject_id);
	bind_text(st, 3, row->activity);
	bind_text(st, 4, row->phase);
	sqlite3_bind_int64(st, 5, row->collected_at);
	sqlite3_bind_int64(st, 6, row->last_contact);
	bind_opt_int(st, 7, row->consent_at);
	sqlite3_bind_int64(st, 8, row->phase_at);
	bind_opt_int(st, 9, row->next_at);
	bind_text(st, 10, row->source);
	sqlite3_bind_blob64(st, 11, row->fields ? (const void *)row->fields : "", row->fields_len,
			    SQLITE_STATIC);
	bind_opt_int(st, 12, row->id);
	if (row->has_binding)
		sqlite3_bind_blob(st, 13, row->binding, PDV_BINDING_LEN, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 13);
	if ((rc = step_done(s, st, err, "inserting a record")) < 0)
		return rc;
	row->id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static int sqlite_record_get(struct pdv_store *s, int64_t id, struct pdv_record_row *ret,
			     struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_RECORD_GET);
	int rc;

	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return pdv_error_set(err, PDV_E_NOTFOUND, "no such record");
	}
	if (rc != SQLITE_ROW)
		return db_error(s, err, "reading a record");
	record_from_row(st, ret);
	return 0;
}

static int sqlite_record_update(struct pdv_store *s, const struct pdv_record_row *row,
				struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_RECORD_UPDATE);

	sqlite3_bind_int64(st, 1, row->id);
	bind_text(st, 2, row->phase);
	sqlite3_bind_int64(st, 3, row->last_contact);
	bind_opt_int(st, 4, row->consent_at);
	sqlite3_bind_int64(st, 5, row->phase_at);
	bind_opt_int(st, 6, row->next_at);
	sqlite3_bind_blob64(st, 7, row->fields ? (const void *)row->fields : "", row->fields_len,
			    SQLITE_STATIC);
	if (row->has_binding)
		sqlite3_bind_blob(st, 8, row->binding, PDV_BINDING_LEN, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 8);
	return step_done(s, st, err, "updating a record");
}

static int sqlite_records_unbound(struct pdv_store *s, int64_t after, pdv_record_cb cb,
				  void *ctx, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_RECORDS_UNBOUND);
	struct pdv_record_row row;
	int rc;

	sqlite3_bind_int64(st, 1, after);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int r;

		record_from_row(st, &row);
		if ((r = cb(ctx, &row)) != 0) {
			sqlite3_reset(st);
			return r;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "reading records");
}

static int sqlite_record_bind(struct pdv_store *s, int64_t id,
			      const uint8_t binding[PDV_BINDING_LEN], struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_RECORD_BIND);

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_blob(st, 2, binding, PDV_BINDING_LEN, SQLITE_STATIC);
	return step_done(s, st, err, "binding a record");
}

static int sqlite_records_of_subject(struct pdv_store *s, int64_t subject_id, pdv_record_cb cb,
				     void *ctx, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_RECORDS_OF_SUBJECT);
	struct pdv_record_row row;
	int rc;

	sqlite3_bind_int64(st, 1, subject_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int r;

		record_from_row(st, &row);
		if ((r = cb(ctx, &row)) != 0) {
			sqlite3_reset(st);
			return r;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "reading records");
}

static int sqlite_record_delete(struct pdv_store *s, int64_t id, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_EVENTS_DELETE);
	int rc;

	sqlite3_bind_int64(st, 1, id);
	if ((rc = step_done(s, st, err, "deleting events")) < 0)
		return rc;
	st = stmt(s, PDV_SQL_RECORD_DELETE);
	sqlite3_bind_int64(st, 1, id);
	return step_done(s, st, err, "deleting a record");
}

static int sqlite_record_delete_row(struct pdv_store *s, int64_t id, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_RECORD_DELETE);

	sqlite3_bind_int64(st, 1, id);
	return step_done(s, st, err, "deleting a record");
}

static int exists(struct pdv_store *s, sqlite3_stmt *st, bool *ret, struct pdv_error *err)
{
	if (sqlite3_step(st) != SQLITE_ROW)
		return db_error(s, err, "reading the batch facts");
	*ret = sqlite3_column_int(st, 0) != 0;
	sqlite3_reset(st);
	return 0;
}

static int sqlite_batch_facts(struct pdv_store *s, int64_t lo, int64_t hi,
			      struct pdv_batch_facts *ret, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_EVENTS_ANY_BETWEEN);
	int rc;

	sqlite3_bind_int64(st, 1, lo);
	sqlite3_bind_int64(st, 2, hi);
	if ((rc = exists(s, st, &ret->events, err)) < 0 ||
	    (rc = exists(s, stmt(s, PDV_SQL_DIRECTIVES_ANY), &ret->directives, err)) < 0)
		return rc;
	return exists(s, stmt(s, PDV_SQL_HOLDS_ANY_ACTIVE), &ret->holds, err);
}

static int sqlite_lookup_delete(struct pdv_store *s, const uint8_t hash[PDV_LOOKUP_LEN],
				struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_LOOKUP_DELETE);

	sqlite3_bind_blob(st, 1, hash, PDV_LOOKUP_LEN, SQLITE_STATIC);
	return step_done(s, st, err, "deleting a lookup");
}

static int sqlite_statistics_insert(struct pdv_store *s, const char *activity, const char *month,
				    const uint8_t *fields, size_t len, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_STATISTICS_INSERT);

	bind_text(st, 1, activity);
	bind_text(st, 2, month);
	sqlite3_bind_blob64(st, 3, fields ? (const void *)fields : "", len, SQLITE_STATIC);
	return step_done(s, st, err, "writing statistics");
}

static int sqlite_records_due(struct pdv_store *s, int64_t after, int64_t now, int limit,
			      pdv_record_cb cb, void *ctx, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_RECORDS_DUE);
	struct pdv_record_row row;
	int rc;

	sqlite3_bind_int64(st, 1, after);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int(st, 3, limit);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int r;

		record_from_row(st, &row);
		if (sqlite3_column_type(st, 13) != SQLITE_NULL) {
			row.subject_known = true;
			col_tag(st, 13, row.subject_tag);
			row.subject_restricted = sqlite3_column_int(st, 14) != 0;
		}
		if ((r = cb(ctx, &row)) != 0) {
			sqlite3_reset(st);
			return r;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "reading due records");
}

static int count_of(struct pdv_store *s, int which, int64_t id, int64_t *ret,
		    struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, which);

	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_ROW)
		return db_error(s, err, "counting");
	*ret = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

static int sqlite_records_count_of_subject(struct pdv_store *s, int64_t subject_id,
					   int64_t *ret, struct pdv_error *err)
{
	return count_of(s, PDV_SQL_RECORDS_COUNT_OF_SUBJECT, subject_id, ret, err);
}

static int sqlite_holds_active_count(struct pdv_store *s, int64_t subject_id, int64_t *ret,
				     struct pdv_error *err)
{
	return count_of(s, PDV_SQL_HOLDS_ACTIVE_COUNT, subject_id, ret, err);
}

static int sqlite_subject_shred_key(struct pdv_store *s, int64_t subject_id,
				    struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_SUBJECT_SHRED);

	sqlite3_bind_int64(st, 1, subject_id);
	return step_done(s, st, err, "destroying a subject key");
}

static int sqlite_directives_delete(struct pdv_store *s, int64_t subject_id,
				    struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_DIRECTIVES_DELETE);

	sqlite3_bind_int64(st, 1, subject_id);
	return step_done(s, st, err, "deleting directives");
}

static int sqlite_lookups_purge(struct pdv_store *s, int64_t after, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_LOOKUPS_PURGE);

	sqlite3_bind_int64(st, 1, after);
	return step_done(s, st, err, "deleting blind indexes");
}

static int sqlite_subject_shred(struct pdv_store *s, int64_t subject_id, struct pdv_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = sqlite_subject_shred_key(s, subject_id, err)) < 0 ||
	    (rc = sqlite_directives_delete(s, subject_id, err)) < 0)
		return rc;
	st = stmt(s, PDV_SQL_LOOKUPS_DELETE_SUBJECT);
	sqlite3_bind_int64(st, 1, subject_id);
	return step_done(s, st, err, "deleting blind indexes");
}

static int sqlite_erasure_insert(struct pdv_store *s, int64_t seq, int64_t subject_id,
				 int64_t record_id, int64_t at, const char *reason, int64_t *ret_seq,
				 struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_ERASURE_INSERT);
	int rc;

	bind_opt_int(st, 5, seq);
	sqlite3_bind_int64(st, 1, subject_id);
	bind_opt_int(st, 2, record_id);
	sqlite3_bind_int64(st, 3, at);
	bind_text(st, 4, reason);
	if ((rc = step_done(s, st, err, "writing the erasure journal")) < 0)
		return rc;
	*ret_seq = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static int sqlite_erasures_after(struct pdv_store *s, int64_t after,
				 int (*cb)(void *ctx, int64_t seq, int64_t subject_id,
					   int64_t record_id, int64_t at, const char *reason),
				 void *ctx, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_ERASURES_AFTER);
	int rc;

	sqlite3_bind_int64(st, 1, after);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int r = cb(ctx, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
			   sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3), col_text(st, 4));

		if (r != 0) {
			sqlite3_reset(st);
			return r;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "reading the erasure journal");
}

static int sqlite_erasures_max(struct pdv_store *s, int64_t *ret, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_ERASURES_MAX);

	if (sqlite3_step(st) != SQLITE_ROW)
		return db_error(s, err, "reading the erasure journal");
	*ret = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return 0;
}

static int sqlite_records_delete_subject(struct pdv_store *s, int64_t subject_id,
					 struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_EVENTS_DELETE_SUBJECT);
	int rc;

	sqlite3_bind_int64(st, 1, subject_id);
	if ((rc = step_done(s, st, err, "deleting events")) < 0)
		return rc;
	st = stmt(s, PDV_SQL_RECORDS_DELETE_SUBJECT);
	sqlite3_bind_int64(st, 1, subject_id);
	return step_done(s, st, err, "deleting records");
}

static int sqlite_backup(struct pdv_store *s, const char *path, struct pdv_error *err)
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

static int sqlite_check(struct pdv_store *s, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_QUICK_CHECK);
	const char *r;
	int rc;

	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return db_error(s, err, "checking");
	}
	r = col_text(st, 0);
	rc = r && strcmp(r, "ok") == 0 ? 0
					: pdv_error_set(err, PDV_E_IO, "store '%s' is damaged", s->path);
	sqlite3_reset(st);
	return rc;
}

static int sqlite_outbox_insert(struct pdv_store *s, const char *kind, const char *recipient,
				int64_t subject_id, int64_t record_id, const uint8_t *payload,
				size_t len, int64_t at, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_OUTBOX_INSERT);

	bind_text(st, 1, kind);
	bind_text(st, 2, recipient);
	bind_opt_int(st, 3, subject_id);
	bind_opt_int(st, 4, record_id);
	bind_blob(st, 5, payload, len);
	sqlite3_bind_int64(st, 6, at);
	return step_done(s, st, err, "queueing a message");
}

static int sqlite_hold_insert(struct pdv_store *s, const uint8_t tag[PDV_TAG_LEN],
			      int64_t subject_id, const uint8_t *reason, size_t len, int64_t at,
			      const char *by, int64_t *ret_id, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_HOLD_INSERT);
	int rc;

	sqlite3_bind_blob(st, 1, tag, PDV_TAG_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, subject_id);
	sqlite3_bind_blob64(st, 3, reason, len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, at);
	bind_text(st, 5, by);
	if ((rc = step_done(s, st, err, "placing a hold")) < 0)
		return rc;
	*ret_id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static int sqlite_hold_get(struct pdv_store *s, int64_t id, uint8_t ret_tag[PDV_TAG_LEN],
			   int64_t *ret_subject, bool *ret_lifted, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_HOLD_GET);
	int rc;

	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return pdv_error_set(err, PDV_E_NOTFOUND, "no such hold");
	}
	if (rc != SQLITE_ROW)
		return db_error(s, err, "reading a hold");
	col_tag(st, 1, ret_tag);
	*ret_subject = sqlite3_column_int64(st, 2);
	*ret_lifted = sqlite3_column_type(st, 3) != SQLITE_NULL;
	sqlite3_reset(st);
	return 0;
}

static int sqlite_hold_lift(struct pdv_store *s, int64_t id, int64_t at, const char *by,
			    struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_HOLD_LIFT);

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, at);
	bind_text(st, 3, by);
	return step_done(s, st, err, "lifting a hold");
}

static int sqlite_subject_set_restricted(struct pdv_store *s, int64_t id, bool restricted,
					 struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_SUBJECT_SET_RESTRICTED);

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, restricted);
	return step_done(s, st, err, "restricting a subject");
}

static int sqlite_suppression_put(struct pdv_store *s, const uint8_t hash[PDV_LOOKUP_LEN],
				  int64_t at, int64_t expires_at, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_SUPPRESSION_PUT);

	sqlite3_bind_blob(st, 1, hash, PDV_LOOKUP_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, at);
	sqlite3_bind_int64(st, 3, expires_at);
	return step_done(s, st, err, "writing the suppression list");
}

static int sqlite_suppression_active(struct pdv_store *s, const uint8_t hash[PDV_LOOKUP_LEN],
				     int64_t now, bool *ret, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_SUPPRESSION_ACTIVE);
	int rc;

	sqlite3_bind_blob(st, 1, hash, PDV_LOOKUP_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(s, err, "reading the suppression list");
	*ret = rc == SQLITE_ROW;
	return 0;
}

static int sqlite_request_insert(struct pdv_store *s, struct pdv_request_row *row,
				 struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_REQUEST_INSERT);
	int rc;

	sqlite3_bind_blob(st, 1, row->tag, PDV_TAG_LEN, SQLITE_STATIC);
	bind_text(st, 2, row->kind);
	bind_opt_int(st, 3, row->subject_id);
	bind_text(st, 4, row->channel);
	bind_text(st, 5, row->received);
	bind_text(st, 6, row->due);
	if ((rc = step_done(s, st, err, "opening a request")) < 0)
		return rc;
	row->id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static void request_from_row(sqlite3_stmt *st, struct pdv_request_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	col_tag(st, 1, r->tag);
	r->kind = col_text(st, 2);
	r->subject_id = sqlite3_column_int64(st, 3);
	r->status = col_text(st, 4);
	r->channel = col_text(st, 5);
	r->received = col_text(st, 6);
	r->due = col_text(st, 7);
	r->extended = sqlite3_column_int(st, 8) != 0;
}

static int sqlite_request_get(struct pdv_store *s, int64_t id, struct pdv_request_row *ret,
			      struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_REQUEST_GET);
	int rc;

	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return pdv_error_set(err, PDV_E_NOTFOUND, "no such request");
	}
	if (rc != SQLITE_ROW)
		return db_error(s, err, "reading a request");
	request_from_row(st, ret);
	return 0;
}

static int sqlite_request_update(struct pdv_store *s, int64_t id, const char *status,
				 const char *due, bool extended, const uint8_t *reason,
				 size_t reason_len, int64_t closed_at, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_REQUEST_UPDATE);

	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, status);
	bind_text(st, 3, due);
	sqlite3_bind_int(st, 4, extended);
	bind_blob(st, 5, reason, reason_len);
	bind_opt_int(st, 6, closed_at);
	return step_done(s, st, err, "updating a request");
}

static int sqlite_request_set_id_document(struct pdv_store *s, int64_t id, const uint8_t *doc,
					  size_t len, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_REQUEST_SET_ID_DOCUMENT);

	sqlite3_bind_int64(st, 1, id);
	bind_blob(st, 2, doc, len);
	return step_done(s, st, err, "storing an identity document");
}

static int sqlite_requests_with_id_document(struct pdv_store *s,
					    int (*cb)(void *ctx, int64_t id, const char *received,
						      const char *status, int64_t closed_at),
					    void *ctx, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_REQUESTS_WITH_ID_DOCUMENT);
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int r = cb(ctx, sqlite3_column_int64(st, 0), col_text(st, 1), col_text(st, 2),
			   sqlite3_column_int64(st, 3));

		if (r != 0) {
			sqlite3_reset(st);
			return r;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "reading requests");
}

static int sqlite_requests_each(struct pdv_store *s,
				int (*cb)(void *ctx, const struct pdv_request_row *r), void *ctx,
				struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_REQUESTS_ALL);
	struct pdv_request_row row;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int r;

		request_from_row(st, &row);
		if ((r = cb(ctx, &row)) != 0) {
			sqlite3_reset(st);
			return r;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "reading requests");
}

static int sqlite_breach_insert(struct pdv_store *s, struct pdv_breach_row *row,
				struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_BREACH_INSERT);
	int rc;

	sqlite3_bind_blob(st, 1, row->tag, PDV_TAG_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, row->aware_at);
	sqlite3_bind_int64(st, 3, row->authority_due);
	sqlite3_bind_blob64(st, 4, row->summary, row->summary_len, SQLITE_STATIC);
	bind_text(st, 5, row->risk);
	if (row->risk_reason)
		sqlite3_bind_blob64(st, 6, row->risk_reason, row->risk_reason_len, SQLITE_STATIC);
	if ((rc = step_done(s, st, err, "writing a breach")) < 0)
		return rc;
	row->id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static void breach_from_row(sqlite3_stmt *st, struct pdv_breach_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = sqlite3_column_int64(st, 0);
	col_tag(st, 1, r->tag);
	r->aware_at = sqlite3_column_int64(st, 2);
	r->authority_due = sqlite3_column_int64(st, 3);
	r->summary = sqlite3_column_blob(st, 4);
	r->summary_len = (size_t)sqlite3_column_bytes(st, 4);
	r->authority_notified = sqlite3_column_int64(st, 5);
	r->subjects_notified = sqlite3_column_int64(st, 6);
	r->risk = col_text(st, 7);
	r->risk_reason = sqlite3_column_blob(st, 8);
	r->risk_reason_len = (size_t)sqlite3_column_bytes(st, 8);
	r->late_reason = sqlite3_column_blob(st, 9);
	r->late_reason_len = (size_t)sqlite3_column_bytes(st, 9);
}

static int sqlite_breach_get(struct pdv_store *s, int64_t id, struct pdv_breach_row *ret,
			     struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_BREACH_GET);
	int rc;

	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		breach_from_row(st, ret); /* valid until the next call on the store */
		return 0;
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return pdv_error_set(err, PDV_E_NOTFOUND, "no such breach");
	return db_error(s, err, "reading a breach");
}

static int sqlite_breach_notified(struct pdv_store *s, int64_t id, const char *which, int64_t at,
				  const uint8_t *late_reason, size_t late_len, struct pdv_error *err)
{
	bool authority = strcmp(which, "authority") == 0;
	sqlite3_stmt *st = stmt(s, authority ? PDV_SQL_BREACH_AUTHORITY_NOTIFIED
					     : PDV_SQL_BREACH_SUBJECTS_NOTIFIED);

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, at);
	if (authority && late_reason)
		sqlite3_bind_blob64(st, 3, late_reason, late_len, SQLITE_STATIC);
	return step_done(s, st, err, "writing a breach");
}

static int sqlite_breach_assess(struct pdv_store *s, int64_t id, const char *risk,
				const uint8_t *reason, size_t reason_len, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_BREACH_ASSESS);

	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, risk);
	if (reason)
		sqlite3_bind_blob64(st, 3, reason, reason_len, SQLITE_STATIC);
	return step_done(s, st, err, "writing a breach");
}

static int sqlite_breaches_each(struct pdv_store *s,
				int (*cb)(void *ctx, const struct pdv_breach_row *r), void *ctx,
				struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_BREACHES_ALL);
	struct pdv_breach_row row;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int r;

		breach_from_row(st, &row);
		if ((r = cb(ctx, &row)) != 0) {
			sqlite3_reset(st);
			return r;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "reading breaches");
}

static int sqlite_records_of_activity(struct pdv_store *s, const char *activity, int64_t after,
				      pdv_record_cb cb, void *ctx, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_RECORDS_OF_ACTIVITY);
	struct pdv_record_row row;
	int rc;

	bind_text(st, 1, activity);
	sqlite3_bind_int64(st, 2, after);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int r;

		record_from_row(st, &row);
		if ((r = cb(ctx, &row)) != 0) {
			sqlite3_reset(st);
			return r;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "reading records");
}

static int sqlite_statistics_each(struct pdv_store *s, const char *activity,
				  int (*cb)(void *ctx, const char *month, const uint8_t *fields,
					    size_t len),
				  void *ctx, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_STATISTICS_OF_ACTIVITY);
	int rc;

	bind_text(st, 1, activity);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int r = cb(ctx, col_text(st, 1), sqlite3_column_blob(st, 2),
			   (size_t)sqlite3_column_bytes(st, 2));

		if (r != 0) {
			sqlite3_reset(st);
			return r;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "reading statistics");
}

static int sqlite_outbox_each(struct pdv_store *s,
			      int (*cb)(void *ctx, int64_t id, const char *kind,
					const char *recipient, int64_t subject_id,
					int64_t record_id, int64_t created_at, int64_t sent_at),
			      void *ctx, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_OUTBOX_ALL);
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int r = cb(ctx, sqlite3_column_int64(st, 0), col_text(st, 1), col_text(st, 2),
			   sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 4),
			   sqlite3_column_int64(st, 5), sqlite3_column_int64(st, 6));

		if (r != 0) {
			sqlite3_reset(st);
			return r;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "reading the outbox");
}

static int sqlite_verification_insert(struct pdv_store *s, struct pdv_verification_row *row,
				      struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_VERIFICATION_INSERT);
	int rc;

	sqlite3_bind_blob(st, 1, row->tag, PDV_TAG_LEN, SQLITE_STATIC);
	bind_text(st, 2, row->purpose);
	sqlite3_bind_blob64(st, 3, row->address, row->address_len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, row->code_hash, sizeof(row->code_hash), SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, row->created_at);
	sqlite3_bind_int64(st, 6, row->expires_at);
	if (row->payload)
		sqlite3_bind_blob64(st, 7, row->payload, row->payload_len, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 7);
	if ((rc = step_done(s, st, err, "storing an identity check")) < 0)
		return rc;
	row->id = sqlite3_last_insert_rowid(s->db);
	return 0;
}

static int sqlite_verification_get(struct pdv_store *s, int64_t id,
				   struct pdv_verification_row *ret, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_VERIFICATION_GET);
	const void *h;
	int rc;

	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return pdv_error_set(err, PDV_E_NOTFOUND, "no such identity check");
	}
	if (rc != SQLITE_ROW)
		return db_error(s, err, "reading an identity check");
	memset(ret, 0, sizeof(*ret));
	ret->id = sqlite3_column_int64(st, 0);
	col_tag(st, 1, ret->tag);
	ret->purpose = col_text(st, 2);
	ret->address = sqlite3_column_blob(st, 3);
	ret->address_len = (size_t)sqlite3_column_bytes(st, 3);
	if ((h = sqlite3_column_blob(st, 4)) && sqlite3_column_bytes(st, 4) == 32)
		memcpy(ret->code_hash, h, 32);
	ret->created_at = sqlite3_column_int64(st, 5);
	ret->expires_at = sqlite3_column_int64(st, 6);
	ret->attempts = sqlite3_column_int(st, 7);
	ret->used_at = sqlite3_column_int64(st, 8);
	ret->payload = sqlite3_column_blob(st, 9);
	ret->payload_len = (size_t)sqlite3_column_bytes(st, 9);
	/* the row stays readable until the next call on this statement */
	return 0;
}

static int sqlite_verification_update(struct pdv_store *s, int64_t id, int attempts,
				      int64_t used_at, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_VERIFICATION_UPDATE);

	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int(st, 2, attempts);
	if (used_at)
		sqlite3_bind_int64(st, 3, used_at);
	else
		sqlite3_bind_null(st, 3);
	return step_done(s, st, err, "updating an identity check");
}

static int sqlite_verifications_purge(struct pdv_store *s, int64_t now, int64_t ttl,
				      struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_VERIFICATIONS_PURGE);
	int rc;

	sqlite3_bind_int64(st, 1, now);
	if ((rc = step_done(s, st, err, "deleting expired identity checks")) < 0)
		return rc;
	/* their messages (address and code, sealed) go with them */
	st = stmt(s, PDV_SQL_OUTBOX_CODES_PURGE);
	sqlite3_bind_int64(st, 1, now - ttl);
	return step_done(s, st, err, "deleting expired codes from the outbox");
}

static int sqlite_outbox_get(struct pdv_store *s, int64_t id, struct pdv_outbox_row *ret,
			     struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_OUTBOX_GET);
	int rc;

	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return pdv_error_set(err, PDV_E_NOTFOUND, "no such outbox message");
	}
	if (rc != SQLITE_ROW)
		return db_error(s, err, "reading the outbox");
	memset(ret, 0, sizeof(*ret));
	ret->id = sqlite3_column_int64(st, 0);
	ret->kind = col_text(st, 1);
	ret->recipient = col_text(st, 2);
	ret->subject_id = sqlite3_column_int64(st, 3);
	ret->record_id = sqlite3_column_int64(st, 4);
	ret->payload = sqlite3_column_blob(st, 5);
	ret->payload_len = (size_t)sqlite3_column_bytes(st, 5);
	ret->created_at = sqlite3_column_int64(st, 6);
	ret->sent_at = sqlite3_column_int64(st, 7);
	return 0;
}

static int sqlite_records_summary(struct pdv_store *s, int64_t from, int64_t to,
				  int (*cb)(void *ctx, const char *activity, const char *phase,
					    int64_t count, int64_t ending),
				  void *ctx, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_RECORDS_SUMMARY);
	int rc;

	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int r = cb(ctx, col_text(st, 0), col_text(st, 1), sqlite3_column_int64(st, 2),
			   sqlite3_column_int64(st, 3));

		if (r != 0) {
			sqlite3_reset(st);
			return r;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "counting records");
}

static int sqlite_directives_put(struct pdv_store *s, int64_t subject_id, const uint8_t *text,
				 size_t len, int64_t at, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_DIRECTIVES_PUT);

	sqlite3_bind_int64(st, 1, subject_id);
	sqlite3_bind_blob64(st, 2, text, len, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, at);
	return step_done(s, st, err, "writing directives");
}

static int sqlite_directives_get(struct pdv_store *s, int64_t subject_id, uint8_t *buf,
				 size_t size, size_t *ret_len, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_DIRECTIVES_GET);
	int rc;
	size_t n;

	sqlite3_bind_int64(st, 1, subject_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return pdv_error_set(err, PDV_E_NOTFOUND, "no directives");
	}
	if (rc != SQLITE_ROW)
		return db_error(s, err, "reading directives");
	n = (size_t)sqlite3_column_bytes(st, 0);
	if (n > size) {
		sqlite3_reset(st);
		return pdv_error_set(err, PDV_E_IO, "directives too long");
	}
	memcpy(buf, sqlite3_column_blob(st, 0), n);
	*ret_len = n;
	sqlite3_reset(st);
	return 0;
}

static int sqlite_event_insert(struct pdv_store *s, const struct pdv_event_row *row,
			       struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_EVENT_INSERT);

	sqlite3_bind_int64(st, 1, row->record_id);
	bind_text(st, 2, row->name);
	sqlite3_bind_int64(st, 3, row->at);
	bind_text(st, 4, row->actor);
	return step_done(s, st, err, "inserting an event");
}

static int sqlite_events_of_record(struct pdv_store *s, int64_t record_id, pdv_event_cb cb,
				   void *ctx, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_EVENTS_OF_RECORD);
	int rc;

	sqlite3_bind_int64(st, 1, record_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct pdv_event_row row = {
			.record_id = sqlite3_column_int64(st, 0),
			.name = col_text(st, 1),
			.at = sqlite3_column_int64(st, 2),
			.actor = col_text(st, 3),
		};
		int r = cb(ctx, &row);

		if (r != 0) {
			sqlite3_reset(st);
			return r;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "reading events");
}

static int sqlite_consent_text_put(struct pdv_store *s, const char *activity,
				   const char *version, const char *text, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_CONSENT_TEXT_PUT);

	bind_text(st, 1, activity);
	bind_text(st, 2, version);
	bind_text(st, 3, text);
	return step_done(s, st, err, "writing a consent text");
}

static int sqlite_consent_insert(struct pdv_store *s, const struct pdv_consent_row *row,
				 struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_CONSENT_INSERT);

	sqlite3_bind_int64(st, 1, row->subject_id);
	bind_opt_int(st, 2, row->record_id);
	bind_text(st, 3, row->activity);
	bind_text(st, 4, row->state);
	bind_text(st, 5, row->version);
	sqlite3_bind_int64(st, 6, row->at);
	bind_text(st, 7, row->channel);
	return step_done(s, st, err, "writing consent");
}

static int sqlite_consents_of_subject(struct pdv_store *s, int64_t subject_id,
				      pdv_consent_cb cb, void *ctx, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_CONSENTS_OF_SUBJECT);
	int rc;

	sqlite3_bind_int64(st, 1, subject_id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct pdv_consent_row row = {
			.subject_id = sqlite3_column_int64(st, 0),
			.record_id = sqlite3_column_int64(st, 1),
			.activity = col_text(st, 2),
			.state = col_text(st, 3),
			.version = col_text(st, 4),
			.at = sqlite3_column_int64(st, 5),
			.channel = col_text(st, 6),
		};
		int r = cb(ctx, &row);

		if (r != 0) {
			sqlite3_reset(st);
			return r;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "reading consents");
}

static int sqlite_token_insert(struct pdv_store *s, const struct pdv_token_row *row,
			       struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_TOKEN_INSERT);
	int rc;

	bind_text(st, 1, row->name);
	sqlite3_bind_blob(st, 2, row->hash, 32, SQLITE_STATIC);
	bind_text(st, 3, row->role);
	sqlite3_bind_int64(st, 4, row->created_at);
	bind_opt_int(st, 5, row->expires_at);
	bind_text(st, 6, row->scope ? row->scope : "all");
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_CONSTRAINT || (rc & 0xff) == SQLITE_CONSTRAINT)
		return pdv_error_set(err, PDV_E_REFUSED, "a token named '%s' already exists",
				     row->name);
	if (rc != SQLITE_DONE)
		return db_error(s, err, "writing a token");
	return 0;
}

static int sqlite_token_revoke(struct pdv_store *s, const char *name, int64_t at,
			       struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_TOKEN_REVOKE);
	int rc;

	bind_text(st, 1, name);
	sqlite3_bind_int64(st, 2, at);
	if ((rc = step_done(s, st, err, "revoking a token")) < 0)
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return pdv_error_set(err, PDV_E_NOTFOUND, "no active token named '%s'", name);
	return 0;
}

static int sqlite_token_by_hash(struct pdv_store *s, const uint8_t hash[32],
				struct pdv_token_row *ret, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_TOKEN_BY_HASH);
	int rc;

	sqlite3_bind_blob(st, 1, hash, 32, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return pdv_error_set(err, PDV_E_NOTFOUND, "unknown token");
	}
	if (rc != SQLITE_ROW)
		return db_error(s, err, "reading a token");
	memset(ret, 0, sizeof(*ret));
	ret->name = col_text(st, 0);
	if (sqlite3_column_bytes(st, 1) == 32)
		memcpy(ret->hash, sqlite3_column_blob(st, 1), 32);
	ret->role = col_text(st, 2);
	ret->created_at = sqlite3_column_int64(st, 3);
	ret->expires_at = sqlite3_column_int64(st, 4);
	ret->revoked_at = sqlite3_column_int64(st, 5);
	ret->scope = col_text(st, 6);
	return 0;
}

static int sqlite_tokens_each(struct pdv_store *s,
			      int (*cb)(void *ctx, const struct pdv_token_row *r), void *ctx,
			      struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_TOKENS_ALL);
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct pdv_token_row row = {
			.name = col_text(st, 0),
			.role = col_text(st, 2),
			.created_at = sqlite3_column_int64(st, 3),
			.expires_at = sqlite3_column_int64(st, 4),
			.revoked_at = sqlite3_column_int64(st, 5),
			.scope = col_text(st, 6),
		};
		int r;

		if (sqlite3_column_bytes(st, 1) == 32)
			memcpy(row.hash, sqlite3_column_blob(st, 1), 32);
		if ((r = cb(ctx, &row)) != 0) {
			sqlite3_reset(st);
			return r;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "reading tokens");
}

static int sqlite_audit_append(struct pdv_store *s, const struct pdv_audit_row *row,
			       struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_AUDIT_APPEND);

	sqlite3_bind_int64(st, 1, row->at);
	bind_text(st, 2, row->actor);
	bind_text(st, 3, row->action);
	bind_text(st, 4, row->subject);
	bind_text(st, 5, row->record);
	bind_text(st, 6, row->activity);
	bind_text(st, 7, row->purpose);
	bind_text(st, 8, row->detail);
	sqlite3_bind_blob(st, 9, row->hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, row->seq);
	return step_done(s, st, err, "appending to the audit log");
}

static int sqlite_audit_last(struct pdv_store *s, int64_t *ret_seq, uint8_t ret_hash[32],
			     struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_AUDIT_LAST);
	int rc = sqlite3_step(st);

	*ret_seq = 0;
	memset(ret_hash, 0, 32);
	if (rc == SQLITE_ROW) {
		*ret_seq = sqlite3_column_int64(st, 0);
		if (sqlite3_column_bytes(st, 1) == 32)
			memcpy(ret_hash, sqlite3_column_blob(st, 1), 32);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(s, err, "reading the audit log");
	return 0;
}

static int audit_rows(struct pdv_store *s, sqlite3_stmt *st, pdv_audit_cb cb, void *ctx,
		      struct pdv_error *err)
{
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct pdv_audit_row row = {
			.seq = sqlite3_column_int64(st, 0),
			.at = sqlite3_column_int64(st, 1),
			.actor = col_text(st, 2),
			.action = col_text(st, 3),
			.subject = col_text(st, 4),
			.record = col_text(st, 5),
			.activity = col_text(st, 6),
			.purpose = col_text(st, 7),
			.detail = col_text(st, 8),
		};
		int r;

		if (sqlite3_column_bytes(st, 9) == 32)
			memcpy(row.hash, sqlite3_column_blob(st, 9), 32);
		if ((r = cb(ctx, &row)) != 0) {
			sqlite3_reset(st);
			return r;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_error(s, err, "reading the audit log");
}

static int sqlite_audit_each(struct pdv_store *s, const char *subject, pdv_audit_cb cb,
			     void *ctx, struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, subject ? PDV_SQL_AUDIT_SUBJECT : PDV_SQL_AUDIT_ALL);

	if (subject)
		bind_text(st, 1, subject);
	return audit_rows(s, st, cb, ctx, err);
}

static int sqlite_audit_from(struct pdv_store *s, int64_t from, pdv_audit_cb cb, void *ctx,
			     struct pdv_error *err)
{
	sqlite3_stmt *st = stmt(s, PDV_SQL_AUDIT_FROM);

	sqlite3_bind_int64(st, 1, from);
	return audit_rows(s, st, cb, ctx, err);
}

const struct pdv_store_ops pdv_store_sqlite_ops = {
	.version = PDV_STORE_OPS_VERSION,
	.scheme = "sqlite",
	.open = sqlite_open,
	.close = sqlite_close,
	.schema_version = sqlite_schema_version,
	.begin = sqlite_begin,
	.commit = sqlite_commit,
	.rollback = sqlite_rollback,
	.durability = sqlite_durability,
	.sync = sqlite_sync,
	.savepoint = sqlite_savepoint,
	.release = sqlite_release,
	.rollback_to = sqlite_rollback_to,
	.meta_get = sqlite_meta_get,
	.meta_put = sqlite_meta_put,
	.meta_delete = sqlite_meta_delete,
	.subject_next_id = sqlite_subject_next_id,
	.subject_insert = sqlite_subject_insert,
	.subject_get = sqlite_subject_get,
	.subject_wrapped_each = sqlite_subject_wrapped_each,
	.subject_wrapped_set = sqlite_subject_wrapped_set,
	.lookup_put = sqlite_lookup_put,
	.lookup_get = sqlite_lookup_get,
	.subject_insert_new = sqlite_subject_insert_new,
	.record_next_id = sqlite_record_next_id,
	.record_insert = sqlite_record_insert,
	.record_get = sqlite_record_get,
	.record_update = sqlite_record_update,
	.records_of_subject = sqlite_records_of_subject,
	.record_delete = sqlite_record_delete,
	.record_delete_row = sqlite_record_delete_row,
	.batch_facts = sqlite_batch_facts,
	.lookup_delete = sqlite_lookup_delete,
	.statistics_insert = sqlite_statistics_insert,
	.records_due = sqlite_records_due,
	.records_count_of_subject = sqlite_records_count_of_subject,
	.subject_shred = sqlite_subject_shred,
	.subject_shred_key = sqlite_subject_shred_key,
	.directives_delete = sqlite_directives_delete,
	.lookups_purge = sqlite_lookups_purge,
	.erasure_insert = sqlite_erasure_insert,
	.erasures_after = sqlite_erasures_after,
	.erasures_max = sqlite_erasures_max,
	.records_delete_subject = sqlite_records_delete_subject,
	.backup = sqlite_backup,
	.check = sqlite_check,
	.outbox_insert = sqlite_outbox_insert,
	.holds_active_count = sqlite_holds_active_count,
	.hold_insert = sqlite_hold_insert,
	.hold_get = sqlite_hold_get,
	.hold_lift = sqlite_hold_lift,
	.subject_set_restricted = sqlite_subject_set_restricted,
	.suppression_put = sqlite_suppression_put,
	.suppression_active = sqlite_suppression_active,
	.request_insert = sqlite_request_insert,
	.request_get = sqlite_request_get,
	.request_update = sqlite_request_update,
	.request_set_id_document = sqlite_request_set_id_document,
	.requests_with_id_document = sqlite_requests_with_id_document,
	.requests_each = sqlite_requests_each,
	.breach_insert = sqlite_breach_insert,
	.breach_get = sqlite_breach_get,
	.breach_notified = sqlite_breach_notified,
	.breach_assess = sqlite_breach_assess,
	.breaches_each = sqlite_breaches_each,
	.records_of_activity = sqlite_records_of_activity,
	.statistics_each = sqlite_statistics_each,
	.outbox_each = sqlite_outbox_each,
	.verification_insert = sqlite_verification_insert,
	.verification_get = sqlite_verification_get,
	.verification_update = sqlite_verification_update,
	.verifications_purge = sqlite_verifications_purge,
	.outbox_get = sqlite_outbox_get,
	.records_summary = sqlite_records_summary,
	.directives_put = sqlite_directives_put,
	.directives_get = sqlite_directives_get,
	.event_insert = sqlite_event_insert,
	.events_of_record = sqlite_events_of_record,
	.consent_text_put = sqlite_consent_text_put,
	.consent_insert = sqlite_consent_insert,
	.consents_of_subject = sqlite_consents_of_subject,
	.token_insert = sqlite_token_insert,
	.token_revoke = sqlite_token_revoke,
	.token_by_hash = sqlite_token_by_hash,
	.tokens_each = sqlite_tokens_each,
	.audit_append = sqlite_audit_append,
	.audit_last = sqlite_audit_last,
	.audit_each = sqlite_audit_each,
	.audit_from = sqlite_audit_from,
	.records_unbound = sqlite_records_unbound,
	.record_bind = sqlite_record_bind,
};
