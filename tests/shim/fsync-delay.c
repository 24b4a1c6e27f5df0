/*
 * fsync-delay.c — an LD_PRELOAD shim for the durability test of the server:
 * every fsync and fdatasync runs, then sleeps FSYNC_DELAY_MS, then appends
 * the monotonic time it returned at to the file FSYNC_LOG ("ns\n"). The test
 * checks each 201 against these times: no answer may leave before a sync
 * that finished after its request was sent, and syncs are far fewer than
 * answers (group commit).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void after_sync(void)
{
	const char *ms = getenv("FSYNC_DELAY_MS"), *log = getenv("FSYNC_LOG");
	struct timespec d, now;
	char line[32];
	int fd, n;

	if (ms) {
		long v = atol(ms);

		d.tv_sec = v / 1000;
		d.tv_nsec = (v % 1000) * 1000000L;
		nanosleep(&d, NULL);
	}
	if (!log)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	n = snprintf(line, sizeof(line), "%lld\n",
	             (long long)now.tv_sec * 1000000000LL + now.tv_nsec);
	if ((fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600)) >= 0) {
		if (write(fd, line, (size_t)n) < 0)
			(void)0;
		close(fd);
	}
}

int fsync(int fd)
{
	static int (*real)(int);
	int rc;

	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	rc = real(fd);
	after_sync();
	return rc;
}

int fdatasync(int fd)
{
	static int (*real)(int);
	int rc;

	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
	rc = real(fd);
	after_sync();
	return rc;
}
