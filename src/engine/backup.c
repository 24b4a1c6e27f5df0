/*
 * backup.c — online backups, and restores that replay erasures.
 *
 * A restore never brings an erased person back: the erasure journal beside
 * the key file lists every crypto-shredding (ids and times, no personal
 * data); each one past the last the backup knows is applied to the backup
 * (records deleted, key and blind indexes destroyed) before it replaces the
 * store. The work happens on a copy in the store's folder, renamed into
 * place at the end, so a failed restore leaves the store as it was.
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

#include "engine/engine-internal.h"

int pdv_vault_backup(struct pdv_vault *v, const char *path, struct pdv_error *err)
{
	int rc;

	if ((rc = v->ops->backup(v->store, path, err)) < 0)
		return rc;
	if ((rc = pdv_vault_tx_begin(v, err)) < 0)
		return rc;
	if ((rc = pdv_audit_append(v, "backup", NULL, NULL, NULL, NULL, err)) < 0) {
		pdv_vault_tx_rollback(v);
		return rc;
	}
	return pdv_vault_tx_commit(v, err);
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

/* apply the journal's erasures past `after` to the vault v (open on the copy) */
static int replay(struct pdv_vault *v, int64_t after, long *ret, struct pdv_error *err)
{
	FILE *f = fopen(v->journal_path, "re");
	char line[256], sid[PDV_ID_MAX];
	long long seq, subject, record, at;
	char reason[64];
	int rc = 0;

	*ret = 0;
	if (!f)
		return errno == ENOENT ? 0
				       : pdv_error_set(err, PDV_E_IO, "cannot read the erasure "
								      "journal '%s'",
						       v->journal_path);
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		struct pdv_subject_row row;
		int64_t new_seq;

		if (sscanf(line, "%lld %lld %lld %lld %63s", &seq, &subject, &record, &at, reason) != 5 ||
		    seq <= after)
			continue;
		/* the same sequence number as the journal's, so both stay in step */
		if ((rc = v->ops->erasure_insert(v->store, seq, subject, record, at, reason, &new_seq,
						 err)) < 0)
			break;
		rc = v->ops->subject_get(v->store, subject, &row, err);
		if (rc == PDV_E_NOTFOUND) {
			/* created after the backup and erased since: nothing to undo */
			pdv_error_clear(err);
			rc = 0;
			continue;
		}
		if (rc < 0)
			break;
		pdv_id_canonical('s', row.id, row.tag, sid);
		if ((rc = v->ops->records_delete_subject(v->store, subject, err)) < 0 ||
		    (rc = v->ops->subject_shred(v->store, subject, err)) < 0 ||
		    (rc = pdv_audit_append(v, "erase-key", sid, NULL, NULL, "replayed", err)) < 0)
			break;
		(*ret)++;
	}
	fclose(f);
	return rc;
}

int pdv_vault_restore(const struct pdv_vault_opts *o, const char *path, long *ret_replayed,
		      struct pdv_error *err)
{
	const struct pdv_store_ops *ops;
	const char *where;
	char tmp[4096], side[4200];
	struct pdv_vault_opts copy = *o;
	struct pdv_vault *v = NULL;
	int64_t after, head_seq;
	uint8_t head_hash[PDV_HASH_LEN];
	char detail[96], *head_path = NULL;
	int rc;

	*ret_replayed = 0;
	if ((rc = pdv_store_backend(o->db_url, &ops, &where, err)) < 0)
		return rc;
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.restore", where) >= sizeof(tmp))
		return pdv_error_set(err, PDV_E_IO, "store path too long");
	unlink(tmp);
	if ((rc = copy_file(path, tmp, err)) < 0)
		return rc;
	/* the copy becomes a vault of its own: same key, same journal */
	snprintf(side, sizeof(side), "sqlite:%s", tmp);
	copy.db_url = side;
	if ((rc = pdv_vault_open_as(&copy, true, &v, err)) < 0) {
		if (err && rc == PDV_E_IO)
			snprintf(err->msg, sizeof(err->msg),
				 "'%s' is not a backup of this vault, or is damaged", path);
		goto fail;
	}
	if ((rc = v->ops->check(v->store, err)) < 0 || (rc = pdv_vault_tx_begin(v, err)) < 0)
		goto fail;
	if (v->known_missing)
		snprintf(detail, sizeof(detail), "no audit head file; the backup's log ends at %" PRId64,
			 v->head_seq);
	else
		snprintf(detail, sizeof(detail),
			 "the head file named entry %" PRId64 "; the backup's log ends at %" PRId64,
			 v->known_seq, v->head_seq);
	if ((rc = v->ops->erasures_max(v->store, &after, err)) < 0 ||
	    (rc = replay(v, after, ret_replayed, err)) < 0 ||
	    (rc = pdv_audit_append(v, "restore", NULL, NULL, NULL, detail, err)) < 0) {
		pdv_vault_tx_rollback(v);
		goto fail;
	}
	/* the head file is the store's being replaced: commit without it, write it after */
	v->journal_dirty = false;
	v->head_dirty = false;
	head_seq = v->head_seq;
	memcpy(head_hash, v->head_hash, PDV_HASH_LEN);
	if ((rc = pdv_vault_tx_commit(v, err)) < 0)
		goto fail;
	if (!(head_path = strdup(v->head_path))) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto fail;
	}
	pdv_vault_close(v);
	v = NULL;
	/* the old store's WAL must not be applied to the restored file */
	snprintf(side, sizeof(side), "%s-wal", where);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", where);
	unlink(side);
	snprintf(side, sizeof(side), "%s-wal", tmp);
	if (access(side, F_OK) == 0) {
		rc = pdv_error_set(err, PDV_E_INTERNAL, "the restored copy was not checkpointed");
		goto fail;
	}
	if (rename(tmp, where) < 0) {
		rc = pdv_error_set(err, PDV_E_IO, "cannot put the restored store in place: %s",
				   strerror(errno));
		goto fail;
	}
	rc = pdv_audit_head_write(head_path, head_seq, head_hash, err);
	free(head_path);
	return rc;
fail:
	free(head_path);
	pdv_vault_close(v);
	unlink(tmp);
	snprintf(side, sizeof(side), "%s-wal", tmp);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", tmp);
	unlink(side);
	return rc;
}
