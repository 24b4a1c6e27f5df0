/*
 * servers.c — the SQLite backend's view of the other processes on the
 * store (docs/internals/multi-server.md), by flock(2) on side files, which
 * the kernel releases with the process (a kill -9 included):
 *  - DB-serve-lock: each server's handle holds a shared lock; whether
 *    others hold one is an exclusive lock tried without waiting;
 *  - DB-sweep-lock: the one sweeper holds it exclusively.
 * SQLite's own locks cannot say this: a server holds none between
 * transactions.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "sqlite-internal.h"

static int lock_open(struct pdv_store_impl *s, const char *suffix, int *ret_fd,
                     struct pdv_error *err)
{
	char path[4096];

	if ((size_t)snprintf(path, sizeof(path), "%s%s", s->path, suffix) >= sizeof(path))
		return pdv_error_set(err, PDV_E_IO, "store path too long");
	*ret_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (*ret_fd < 0)
		return pdv_error_set(err, PDV_E_IO, "cannot open '%s': %s", path, strerror(errno));
	return 0;
}

int sqlite_announce(struct pdv_store_impl *s, struct pdv_error *err)
{
	int rc;

	if (s->serve_fd >= 0)
		return 0;
	if ((rc = lock_open(s, "-serve-lock", &s->serve_fd, err)) < 0)
		return rc;
	/* a probe holds the exclusive lock for a moment: wait it out */
	if (flock(s->serve_fd, LOCK_SH) < 0) {
		rc = pdv_error_set(err, PDV_E_IO, "store '%s': cannot take the server lock: %s",
		                   s->path, strerror(errno));
		close(s->serve_fd);
		s->serve_fd = -1;
	}
	return rc;
}

int sqlite_servers(struct pdv_store_impl *s, int64_t *ret_n, struct pdv_error *err)
{
	int fd = s->serve_fd, rc;

	*ret_n = 0;
	if (fd < 0 && (rc = lock_open(s, "-serve-lock", &fd, err)) < 0)
		return rc;
	/* this handle's own shared lock is converted, not counted */
	if (flock(fd, LOCK_EX | LOCK_NB) < 0)
		*ret_n = 1; /* some: flock does not count them */
	if (fd == s->serve_fd)
		flock(fd, LOCK_SH);
	else
		close(fd);
	return 0;
}

int sqlite_sweep_try_lock(struct pdv_store_impl *s, bool *ret_got, struct pdv_error *err)
{
	int rc;

	*ret_got = s->sweep_fd >= 0;
	if (*ret_got)
		return 0;
	if ((rc = lock_open(s, "-sweep-lock", &s->sweep_fd, err)) < 0)
		return rc;
	if (flock(s->sweep_fd, LOCK_EX | LOCK_NB) == 0) {
		*ret_got = true;
		return 0;
	}
	close(s->sweep_fd);
	s->sweep_fd = -1;
	return errno == EWOULDBLOCK
	           ? 0
	           : pdv_error_set(err, PDV_E_IO, "store '%s': cannot take the sweep lock: %s",
	                           s->path, strerror(errno));
}

void sqlite_sweep_unlock(struct pdv_store_impl *s)
{
	if (s->sweep_fd >= 0)
		close(s->sweep_fd);
	s->sweep_fd = -1;
}

/* codes sent per address (--verify-per-email): the caller's write
 * transaction holds the database's write lock, so the count and the insert
 * are one step for every process */
int sqlite_verify_send_take(struct pdv_store_impl *s, const uint8_t index[32], int64_t now,
                            int64_t since, int64_t cap, bool *ret_ok, struct pdv_error *err)
{
	sqlite3_stmt *st = sq_stmt(s, PDV_SQL_VERIFY_SENDS_PURGE);
	int64_t n = 0;
	int rc;

	*ret_ok = false;
	sqlite3_bind_int64(st, 1, since);
	if ((rc = sq_done(s, st, err, "forgetting the codes sent an hour ago")) < 0)
		return rc;
	st = sq_stmt(s, PDV_SQL_VERIFY_SENDS_COUNT);
	sqlite3_bind_blob(st, 1, index, 32, SQLITE_STATIC);
	if ((rc = sq_int64(s, st, &n, "counting the codes sent to an address", err)) < 0)
		return rc;
	if (n >= cap)
		return 0;
	st = sq_stmt(s, PDV_SQL_VERIFY_SEND_INSERT);
	sqlite3_bind_blob(st, 1, index, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	if ((rc = sq_done(s, st, err, "recording a code sent")) < 0)
		return rc;
	*ret_ok = true;
	return 0;
}
