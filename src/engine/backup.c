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

/* apply the journal's erasures past `after` to the vault v (open on the copy) */
static int replay(struct pdv_session *s, int64_t after, long *ret, struct pdv_error *err)
{
	FILE *f = fopen(s->vault->journal_path, "re");
	char line[256], sid[PDV_ID_MAX];
	long long seq, subject, record, at;
	char reason[64];
	int rc = 0;

	*ret = 0;
	if (!f)
		return errno == ENOENT ? 0
		                       : pdv_error_set(err, PDV_E_IO,
		                                       "cannot read the erasure "
		                                       "journal '%s'",
		                                       s->vault->journal_path);
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		struct pdv_subject_row row;
		int64_t new_seq;

		if (sscanf(line, "%lld %lld %lld %lld %63s", &seq, &subject, &record, &at,
		           reason) != 5 ||
		    seq <= after)
			continue;
		/* the same sequence number as the journal's, so both stay in step */
		if ((rc = pdv_store_erasure_insert(s->store, seq, subject, record, at, reason,
		                                   &new_seq, err)) < 0)
			break;
		rc = pdv_store_subject_get(s->store, subject, &row, err);
		if (rc == PDV_E_NOTFOUND) {
			/* created after the backup and erased since: nothing to undo */
			pdv_error_clear(err);
			rc = 0;
			continue;
		}
		if (rc < 0)
			break;
		pdv_id_canonical('s', row.id, row.tag, sid);
		if ((rc = pdv_store_records_delete_subject(s->store, subject, err)) < 0 ||
		    (rc = pdv_store_subject_shred(s->store, subject, err)) < 0 ||
		    (rc = pdv_audit_append(s, "erase-key", sid, NULL, NULL, "replayed", err)) < 0)
			break;
		(*ret)++;
	}
	fclose(f);
	return rc;
}

/* what a restore carries from the staged copy's vault to the head file */
struct restore {
	const struct pdv_vault_opts *o;
	const char *path;
	long replayed;
	int64_t head_seq;
	uint8_t head_hash[PDV_HASH_LEN];
	char *head_path;
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
	    (rc = replay(s, after, &r->replayed, err)) < 0 ||
	    (rc = pdv_audit_append(s, "restore", NULL, NULL, NULL, detail, err)) < 0) {
		pdv_session_tx_rollback(s);
		goto out;
	}
	/* the head file is the store's being replaced: commit without it, write it after */
	s->journal_dirty = false;
	s->head_dirty = false;
	r->head_seq = s->head_seq;
	memcpy(r->head_hash, s->head_hash, PDV_HASH_LEN);
	if ((rc = pdv_session_tx_commit(s, err)) < 0)
		goto out;
	if (!(r->head_path = strdup(s->vault->head_path)))
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
out:
	/* the copy is closed before it takes the store's place */
	pdv_session_close(s);
	pdv_vault_close(v);
	return rc;
}

int pdv_vault_restore(const struct pdv_vault_opts *o, const char *path, long *ret_replayed,
                      struct pdv_error *err)
{
	struct restore r = {.o = o, .path = path};
	int rc;

	*ret_replayed = 0;
	if ((rc = pdv_store_restore(o->db_url, path, restore_prepare, &r, err)) == 0) {
		/* the restored store is in place: its chain's end is the head */
		rc = pdv_audit_head_write(r.head_path, r.head_seq, r.head_hash, err);
		*ret_replayed = r.replayed;
	}
	free(r.head_path);
	return rc;
}
