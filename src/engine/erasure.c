/*
 * erasure.c — crypto-shredding and the erasure journal.
 *
 * When a subject has no record left, its wrapped data key is destroyed and
 * its blind indexes deleted: whatever sealed bytes remain anywhere (a free
 * page, a WAL frame, a backup) can no longer be opened or found. A row in the
 * store's erasures table says so, with ids and a reason only.
 *
 * The same entries are appended, synced, to KEYFILE.erasures beside the key
 * file, after the commit that made them: a restore from a backup reads it to
 * erase again everyone erased since. A crash between the commit and the
 * append is mended when the vault next opens (pdv_erasure_journal_sync
 * appends every row past the journal's last sequence number).
 *
 * The sweep defers the deletion of blind indexes to one purge (see
 * pdv_lookups_defer in engine-internal.h); a mark in meta keeps what is owed
 * across a crash.
 *
 * Journal format: a first line "pdvault-erasures 1", then one line per
 * erasure: "SEQ SUBJECT-ROW RECORD-ROW AT REASON" (decimal, RECORD-ROW 0 for
 * none, AT in UTC seconds, REASON a word).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine-internal.h"

/* meta: the erasure sequence number after which blind indexes are owed */
#define PURGE_MARK "lookups_purge_after"

int pdv_subject_shred_if_empty(struct pdv_session *s, int64_t subject_id, const char *subject,
                               const char *reason, struct pdv_error *err)
{
	int64_t n, seq;
	int rc;

	if ((rc = pdv_store_records_count_of_subject(s->store, subject_id, &n, err)) < 0)
		return rc;
	if (n > 0)
		return 0;
	if (s->lookups_deferred) {
		rc = pdv_store_subject_shred_key(s->store, subject_id, err);
		if (rc == 0 && !(s->facts_known && !s->facts.directives))
			rc = pdv_store_directives_delete(s->store, subject_id, err);
		s->lookups_pending++;
	} else {
		rc = pdv_store_subject_shred(s->store, subject_id, err);
	}
	if (rc < 0 || (rc = pdv_store_erasure_insert(s->store, 0, subject_id, 0, s->now, reason,
	                                             &seq, err)) < 0)
		return rc;
	s->journal_dirty = true;
	return pdv_audit_append(s, "erase-key", subject, NULL, NULL, reason, err);
}

int pdv_lookups_defer(struct pdv_session *s, struct pdv_error *err)
{
	int64_t after;
	int rc;

	if (!s->in_tx)
		return pdv_error_set(err, PDV_E_INTERNAL,
		                     "deferring lookups outside a transaction");
	rc = pdv_session_mark_get(s, PURGE_MARK, &after, err);
	if (rc == PDV_E_NOTFOUND) {
		/* owed from the next erasure on; an older mark stays (the earliest) */
		pdv_error_clear(err);
		if ((rc = pdv_store_erasures_max(s->store, &after, err)) < 0)
			return rc;
		rc = pdv_session_mark_set(s, PURGE_MARK, after, err);
	}
	if (rc < 0)
		return rc;
	s->lookups_deferred = true;
	return 0;
}

int pdv_lookups_purge(struct pdv_session *s, struct pdv_error *err)
{
	int64_t after;
	int rc;

	if (s->in_tx)
		return pdv_error_set(err, PDV_E_INTERNAL, "purging lookups inside a transaction");
	/* a read first: most opens find no mark and take no write lock */
	rc = pdv_session_mark_get(s, PURGE_MARK, &after, err);
	if (rc == PDV_E_NOTFOUND) {
		pdv_error_clear(err);
		s->lookups_pending = 0;
		return 0;
	}
	if (rc < 0 || (rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	rc = pdv_session_mark_get(s, PURGE_MARK, &after, err);
	if (rc == PDV_E_NOTFOUND) {
		/* purged meanwhile by another process */
		pdv_error_clear(err);
		pdv_session_tx_rollback(s);
		return 0;
	}
	if (rc < 0 || (rc = pdv_store_lookups_purge(s->store, after, err)) < 0 ||
	    (rc = pdv_session_mark_clear(s, PURGE_MARK, err)) < 0) {
		pdv_session_tx_rollback(s);
		return rc;
	}
	if ((rc = pdv_session_tx_commit(s, err)) < 0)
		return rc;
	s->lookups_pending = 0;
	return 0;
}

/* the last sequence number in the journal file (0: none or no file); only
 * its tail is read, so a long journal costs nothing to open */
static int journal_last(const char *path, int64_t *ret, struct pdv_error *err)
{
	FILE *f = fopen(path, "re");
	char tail[512], *line, *end;
	long size;
	size_t n;
	long long seq;

	*ret = 0;
	if (!f) {
		if (errno == ENOENT)
			return 0;
		return pdv_error_set(err, PDV_E_IO, "cannot read the erasure journal '%s': %s",
		                     path, strerror(errno));
	}
	if (fseek(f, 0, SEEK_END) < 0 || (size = ftell(f)) < 0 ||
	    fseek(f, size > (long)sizeof(tail) - 1 ? size - (long)sizeof(tail) + 1 : 0, SEEK_SET) <
	        0) {
		fclose(f);
		return pdv_error_set(err, PDV_E_IO, "cannot read the erasure journal '%s'", path);
	}
	n = fread(tail, 1, sizeof(tail) - 1, f);
	fclose(f);
	tail[n] = '\0';
	/* the last complete line */
	end = strrchr(tail, '\n');
	if (!end)
		return 0;
	*end = '\0';
	line = strrchr(tail, '\n');
	line = line ? line + 1 : tail;
	if (sscanf(line, "%lld ", &seq) == 1 && seq > 0)
		*ret = seq;
	return 0;
}

struct append {
	FILE *f;
	int n;
};

static int append_one(void *ctx, int64_t seq, int64_t subject_id, int64_t record_id, int64_t at,
                      const char *reason)
{
	struct append *a = ctx;

	if (fprintf(a->f, "%" PRId64 " %" PRId64 " %" PRId64 " %" PRId64 " %s\n", seq, subject_id,
	            record_id, at, reason ? reason : "-") < 0)
		return PDV_E_IO;
	a->n++;
	return 0;
}

int pdv_erasure_journal_sync(struct pdv_session *s, struct pdv_error *err)
{
	struct append a = {0};
	int64_t last;
	bool fresh;
	int rc, fd;

	int64_t max;

	if ((rc = journal_last(s->vault->journal_path, &last, err)) < 0 ||
	    (rc = pdv_store_erasures_max(s->store, &max, err)) < 0)
		return rc;
	if (max <= last) {
		/* nothing to append: no write, no sync */
		s->journal_dirty = false;
		return 0;
	}
	fresh = access(s->vault->journal_path, F_OK) != 0;
	fd = open(s->vault->journal_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || !(a.f = fdopen(fd, "a"))) {
		if (fd >= 0)
			close(fd);
		return pdv_error_set(err, PDV_E_IO, "cannot write the erasure journal '%s': %s",
		                     s->vault->journal_path, strerror(errno));
	}
	if (fresh)
		fputs(JOURNAL_MAGIC, a.f);
	rc = pdv_store_erasures_after(s->store, last, append_one, &a, err);
	if (rc == 0 && (fflush(a.f) != 0 || fsync(fileno(a.f)) != 0))
		rc = PDV_E_IO;
	if (fclose(a.f) != 0 && rc == 0)
		rc = PDV_E_IO;
	if (rc == PDV_E_IO && !(err && err->msg[0]))
		return pdv_error_set(err, PDV_E_IO, "cannot write the erasure journal '%s'",
		                     s->vault->journal_path);
	if (rc == 0)
		s->journal_dirty = false;
	return rc < 0 ? rc : 0;
}
