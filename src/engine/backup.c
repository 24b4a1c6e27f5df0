/*
 * backup.c — online backups, and restores that replay erasures.
 *
 * A restore never brings an erased person back: the erasure journal beside
 * the key file lists every crypto-shredding (ids and times, no personal
 * data); each one past the last the backup knows is applied to the backup
 * (records deleted, key and blind indexes destroyed) before it replaces the
 * store. The work happens on a staged copy the store makes and puts in
 * place at the end (pdv_store_restore), so a failed restore leaves the store
 * as it was.
 *
 * The backup's audit log ends before the head file's entry: the copy is
 * opened trusting its log, the "restore" entry names the head it replaces,
 * and the head file is set to the restored chain's end once the copy is in
 * place (before, a failed restore would leave a head the live store does
 * not reach).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine-internal.h"

int pdv_vault_backup(struct pdv_session *s, const char *path, struct pdv_error *err)
{
	int rc;

	if ((rc = pdv_store_backup(s->store, path, err)) < 0)
		return rc;
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = pdv_audit_append(s, "backup", NULL, NULL, NULL, NULL, err)) < 0) {
		pdv_session_tx_rollback(s);
		return rc;
	}
	return pdv_session_tx_commit(s, err);
}

/* one line of an erasure journal (erasure.c writes them) */
struct journal_line {
	int64_t seq, subject, record, at;
	char reason[64];
	size_t file; /* which journal said it: the vault's own is 0 */
};

struct journal_set {
	struct journal_line *v;
	size_t n, cap;
	const char **files; /* the vault's own journal, then each --journal */
};

/* every line of the journal at path into set; a missing file is fine only
 * for the vault's own (a server that never erased has none) */
static int journal_read(struct journal_set *set, size_t file, bool required, struct pdv_error *err)
{
	const char *path = set->files[file];
	FILE *f = fopen(path, "re");
	char line[256];
	long long seq, subject, record, at;
	int rc = 0;

	if (!f)
		return errno == ENOENT && !required
		           ? 0
		           : pdv_error_set(err, PDV_E_IO,
		                           "cannot read the erasure journal '%s': %s", path,
		                           strerror(errno));
	for (bool first = true; rc == 0 && fgets(line, sizeof(line), f); first = false) {
		struct journal_line *l;

		if (first && strcmp(line, JOURNAL_MAGIC) == 0)
			continue;
		if (first && required) {
			/* a file named on the command line must be one */
			rc =
			    pdv_error_set(err, PDV_E_INVAL, "'%s' is not an erasure journal", path);
			break;
		}

		if (set->n == set->cap) {
			size_t cap = set->cap ? 2 * set->cap : 256;
			void *p = realloc(set->v, cap * sizeof(*set->v));

			if (!p) {
				rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
				break;
			}
			set->v = p;
			set->cap = cap;
		}
		l = &set->v[set->n];
		if (sscanf(line, "%lld %lld %lld %lld %63s", &seq, &subject, &record, &at,
		           l->reason) != 5)
			continue; /* a line a crash cut short: journal_sync writes it again */
		l->seq = seq;
		l->subject = subject;
		l->record = record;
		l->at = at;
		l->file = file;
		set->n++;
	}
	fclose(f);
	return rc;
}

static int line_cmp(const void *a, const void *b)
{
	const struct journal_line *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* sorted by seq, one line per seq; two journals that disagree on one refuse */
static int journal_merge(struct journal_set *set, struct pdv_error *err)
{
	size_t out = 0;

	if (set->n)
		qsort(set->v, set->n, sizeof(*set->v), line_cmp);
	for (size_t i = 0; i < set->n; i++) {
		struct journal_line *prev = out ? &set->v[out - 1] : NULL, *l = &set->v[i];

		if (prev && prev->seq == l->seq) {
			if (prev->subject != l->subject || prev->record != l->record ||
			    prev->at != l->at || strcmp(prev->reason, l->reason) != 0)
				return pdv_error_set(
				    err, PDV_E_REFUSED,
				    "erasure %" PRId64 " is not the same in '%s' and '%s': "
				    "are both journals of this vault?",
				    l->seq, set->files[prev->file], set->files[l->file]);
			continue;
		}
		set->v[out++] = *l;
	}
	set->n = out;
	return 0;
}

/* apply the journals' erasures past `after` to the vault v (open on the copy) */
static int replay(struct pdv_session *s, const struct journal_set *set, int64_t after, long *ret,
                  struct pdv_error *err)
{
	char sid[PDV_ID_MAX];
	int rc = 0;

	*ret = 0;
	for (size_t i = 0; i < set->n && rc == 0; i++) {
		const struct journal_line *l = &set->v[i];
		struct pdv_subject_row row;
		int64_t new_seq;

		if (l->seq <= after)
			continue;
		/* the same sequence number as the journal's, so both stay in step */
		if ((rc = pdv_store_erasure_insert(s->store, l->seq, l->subject, l->record, l->at,
		                                   l->reason, &new_seq, err)) < 0)
			break;
		rc = pdv_store_subject_get(s->store, l->subject, &row, err);
		if (rc == PDV_E_NOTFOUND) {
			/* created after the backup and erased since: nothing to undo */
			pdv_error_clear(err);
			rc = 0;
			continue;
		}
		if (rc < 0)
			break;
		pdv_id_canonical('s', row.id, row.tag, sid);
		if ((rc = pdv_store_records_delete_subject(s->store, l->subject, err)) < 0 ||
		    (rc = pdv_store_subject_shred(s->store, l->subject, err)) < 0 ||
		    (rc = pdv_audit_append(s, "erase-key", sid, NULL, NULL, "replayed", err)) < 0)
			break;
		(*ret)++;
	}
	return rc;
}

/* what a restore carries from the staged copy's vault to the head file */
struct restore {
	const struct pdv_vault_opts *o;
	const char *path;
	struct journal_set journals; /* read and merged before the restore */
	long replayed;
	int64_t head_seq;
	uint8_t head_hash[PDV_HASH_LEN];
};

/*
 * On the staged copy of the backup (pdv_store_restore): open it as a vault
 * of its own (same key, same journal) trusting its log, check it, replay the
 * erasures it lacks, append the "restore" entry, commit, close.
 */
static int restore_prepare(void *ctx, const char *staged_url, struct pdv_error *err)
{
	struct restore *r = ctx;
	struct pdv_vault_opts copy = *r->o;
	struct pdv_vault *v = NULL;
	struct pdv_session *s = NULL;
	int64_t after;
	char detail[96];
	int rc;

	copy.db_url = staged_url;
	if ((rc = pdv_vault_open_as(&copy, true, &v, err)) < 0) {
		if (err && rc == PDV_E_IO)
			snprintf(err->msg, sizeof(err->msg),
			         "'%s' is not a backup of this vault, or is damaged", r->path);
		goto out;
	}
	if ((rc = pdv_session_open(v, &s, err)) < 0)
		goto out;
	if ((rc = pdv_store_check(s->store, err)) < 0 || (rc = pdv_session_tx_begin(s, err)) < 0)
		goto out;
	if (s->vault->known_missing)
		snprintf(detail, sizeof(detail),
		         "no audit head file; the backup's log ends at %" PRId64, s->head_seq);
	else
		snprintf(detail, sizeof(detail),
		         "the head file named entry %" PRId64 "; the backup's log ends at %" PRId64,
		         s->vault->known_seq, s->head_seq);
	if ((rc = pdv_store_erasures_max(s->store, &after, err)) < 0 ||
	    (rc = replay(s, &r->journals, after, &r->replayed, err)) < 0 ||
	    (rc = pdv_audit_append(s, "restore", NULL, NULL, NULL, detail, err)) < 0) {
		pdv_session_tx_rollback(s);
		goto out;
	}
	/* the head file is the store's being replaced: commit without it, write it after */
	s->journal_dirty = false;
	s->head_dirty = false;
	r->head_seq = s->head_seq;
	memcpy(r->head_hash, s->head_hash, PDV_HASH_LEN);
	rc = pdv_session_tx_commit(s, err);
out:
	/* the copy is closed before it takes the store's place */
	pdv_session_close(s);
	pdv_vault_close(v);
	return rc;
}

int pdv_vault_restore(const struct pdv_vault_opts *o, const char *path, const char *const *journals,
                      size_t n_journals, long *ret_replayed, struct pdv_error *err)
{
	struct restore r = {.o = o, .path = path};
	struct pdv_vault *v = NULL;
	int rc;

	*ret_replayed = 0;
	/* the vault's own journal's name, as the copy's vault will have it */
	if ((rc = pdv_vault_paths(o, &v, err)) < 0)
		return rc;
	if (!(r.journals.files = calloc(n_journals + 1, sizeof(*r.journals.files)))) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	r.journals.files[0] = v->journal_path;
	for (size_t i = 0; i < n_journals; i++)
		r.journals.files[i + 1] = journals[i];
	/* every journal read, and found consistent, before anything is restored */
	for (size_t i = 0; i <= n_journals && rc == 0; i++)
		rc = journal_read(&r.journals, i, i > 0, err);
	if (rc < 0 || (rc = journal_merge(&r.journals, err)) < 0)
		goto out;
	if ((rc = pdv_store_restore(o->db_url, path, restore_prepare, &r, err)) == 0) {
		/* the restored store is in place: its chain's end is the head, of
		 * every server whose head file is beside the key file */
		rc = pdv_audit_heads_reset(v, r.head_seq, r.head_hash, err);
		*ret_replayed = r.replayed;
	}
out:
	free(r.journals.v);
	free(r.journals.files);
	pdv_vault_close(v);
	return rc;
}
