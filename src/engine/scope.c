/*
 * scope.c — who sees what: the one place that decides which records the
 * vault's role may see, for reads and writes alike.
 *
 * The role is the current actor's (pdv_session_set_role: the server sets the
 * token's role per request). Without a role (the command line) or with
 * `dpo`, every record is seen. Any other role sees the active records
 * (active, renewal-pending, restricted) of activities that list it in
 * `access`, and the archived ones of activities that list it in
 * `archive_access` (no one but the dpo when absent).
 *
 * Every entry point that reads or changes a subject's records takes them
 * through pdv_vault_subject_scope, so the records a role may not see are
 * neither changed nor counted nor named: the answer is the one the vault
 * would give if they did not exist. A subject with no record the role may
 * see is absent (PDV_E_NOTFOUND, the message of an unknown id); so is a
 * request about such a subject, or about no subject at all. What acts on a
 * whole subject rather than on its records (restriction, holds, directives)
 * and what opens the outbox is the dpo's: refused to other roles whoever
 * the subject is, so the refusal tells nothing either.
 */
#include <stdlib.h>
#include <string.h>

#include "engine-internal.h"

static bool listed(const struct pdv_strlist *l, const char *role)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].s && strcmp(l->v[i].s, role) == 0)
			return true;
	return false;
}

bool pdv_vault_sees_all(const struct pdv_session *s)
{
	return !s->role || strcmp(s->role, "dpo") == 0;
}

bool pdv_vault_may_read(const struct pdv_session *s, const struct pdv_record_row *r)
{
	const struct pdv_activity *a;

	if (pdv_vault_sees_all(s))
		return true;
	if (!(a = pdv_vault_activity(s->vault, r->activity)))
		return false;
	if (strcmp(r->phase, "archived") == 0)
		return a->archive_access.present && listed(&a->archive_access, s->role);
	return listed(&a->access, s->role);
}

bool pdv_vault_may_name(const struct pdv_session *s, const struct pdv_activity *a)
{
	if (pdv_vault_sees_all(s))
		return true;
	return a && (listed(&a->access, s->role) ||
	             (a->archive_access.present && listed(&a->archive_access, s->role)));
}

int pdv_vault_refuse_activity(struct pdv_session *s, const struct pdv_activity *a,
                              struct pdv_error *err)
{
	if (pdv_vault_may_name(s, a))
		return 0;
	pdv_error_set(err, PDV_E_REFUSED, "the role '%.*s' may not act on activity '%.*s'",
	              PDV_UTF8_CUT(s->role, 64), PDV_UTF8_CUT(a && a->id.s ? a->id.s : "", 64));
	pdv_error_field(err, "activity");
	if (err)
		pdv_strlcpy(err->code, "forbidden", sizeof(err->code));
	return PDV_E_REFUSED;
}

int pdv_vault_dpo_only(struct pdv_session *s, const char *what, struct pdv_error *err)
{
	if (pdv_vault_sees_all(s))
		return 0;
	pdv_error_set(err, PDV_E_REFUSED, "%s needs the role dpo", what);
	if (err)
		pdv_strlcpy(err->code, "forbidden", sizeof(err->code));
	return PDV_E_REFUSED;
}

/* keep the rows the role may see, in their order; release the others */
static int rows_keep_visible(struct pdv_session *s, struct pdv_rows *rows, struct pdv_error *err)
{
	struct pdv_rows gone = {0};
	size_t kept = 0;

	if (pdv_vault_sees_all(s) || rows->n == 0)
		return 0;
	if (!(gone.v = calloc(rows->n, sizeof(*gone.v))))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	gone.cap = rows->n;
	for (size_t i = 0; i < rows->n; i++) {
		if (pdv_vault_may_read(s, &rows->v[i]))
			rows->v[kept++] = rows->v[i];
		else
			gone.v[gone.n++] = rows->v[i];
	}
	rows->n = kept;
	pdv_rows_release(&gone); /* frees what each hidden row owned */
	return 0;
}

static int absent(const char *subject, struct pdv_error *err)
{
	/* the very message of an id no one has (pdv_vault_subject_find) */
	pdv_error_set(err, PDV_E_NOTFOUND, "no subject '%.*s'", PDV_UTF8_CUT(subject, 40));
	pdv_error_field(err, "subject");
	return PDV_E_NOTFOUND;
}

int pdv_vault_subject_scope(struct pdv_session *s, const char *subject,
                            struct pdv_subject_row *ret_row, struct pdv_rows *ret_rows,
                            struct pdv_error *err)
{
	char told[PDV_ID_MAX];
	int rc;

	memset(ret_rows, 0, sizeof(*ret_rows));
	if ((rc = pdv_vault_subject_find(s, subject, ret_row, err)) < 0 ||
	    (rc = pdv_vault_records_of(s, ret_row->id, ret_rows, err)) < 0 ||
	    (rc = rows_keep_visible(s, ret_rows, err)) < 0) {
		pdv_rows_release(ret_rows);
		return rc;
	}
	if (!pdv_vault_sees_all(s) && ret_rows->n == 0) {
		pdv_rows_release(ret_rows);
		return absent(pdv_id_told(s, 's', subject, told), err);
	}
	return 0;
}

int pdv_vault_subject_id_visible(struct pdv_session *s, int64_t subject_id, bool *ret,
                                 struct pdv_error *err)
{
	struct pdv_subject_row row;
	struct pdv_rows rows = {0};
	int rc;

	*ret = false;
	if (subject_id == 0)
		return 0; /* a request about no one the vault holds */
	rc = pdv_store_subject_get(s->store, subject_id, &row, err);
	if (rc == PDV_E_NOTFOUND) {
		pdv_error_clear(err);
		return 0;
	}
	if (rc < 0)
		return rc;
	if (!row.wrapped_key)
		return 0; /* erased */
	if (pdv_vault_sees_all(s)) {
		*ret = true;
		return 0;
	}
	if ((rc = pdv_vault_records_of(s, subject_id, &rows, err)) < 0)
		return rc;
	for (size_t i = 0; i < rows.n && !*ret; i++)
		*ret = pdv_vault_may_read(s, &rows.v[i]);
	pdv_rows_release(&rows);
	return 0;
}

int pdv_vault_record_scope(struct pdv_session *s, const char *record, int64_t subject_id,
                           struct pdv_record_row *ret, struct pdv_error *err)
{
	uint8_t tag[PDV_TAG_LEN];
	char told[PDV_ID_MAX];
	int64_t id;
	int rc;

	if (pdv_id_parse(s, record, 'r', &id, tag) == 0) {
		rc = pdv_vault_record_get(s, id, ret, err);
		if (rc < 0 && rc != PDV_E_NOTFOUND)
			return rc;
		if (rc == 0 && pdv_equal(ret->tag, tag, PDV_TAG_LEN) &&
		    (subject_id == 0 || ret->subject_id == subject_id) &&
		    pdv_vault_may_read(s, ret))
			return 0;
	}
	pdv_error_set(err, PDV_E_NOTFOUND, "%s no record '%.*s'",
	              subject_id ? "subject has" : "there is",
	              PDV_UTF8_CUT(pdv_id_told(s, 'r', record, told), 40));
	pdv_error_field(err, "record");
	return PDV_E_NOTFOUND;
}

int pdv_vault_lookup_seen(struct pdv_session *s, const struct pdv_subject_row *row,
                          const uint8_t hash[PDV_HASH_LEN], bool *ret, struct pdv_error *err)
{
	struct pdv_rows rows = {0};
	struct pdv_secret *key = NULL;
	size_t all;
	int rc;

	*ret = pdv_vault_sees_all(s);
	if (*ret)
		return 0;
	/* the index names the subject, not the record: the value must be one a
	 * record the role may see holds, or the answer would tell of the others */
	if ((rc = pdv_vault_records_of(s, row->id, &rows, err)) < 0)
		goto out;
	all = rows.n;
	if ((rc = rows_keep_visible(s, &rows, err)) < 0 || rows.n == 0)
		goto out;
	/* the role sees every record of the person: whichever holds the value,
	 * the answer is the dpo's, and nothing needs opening (the common case,
	 * and the cheap one: opening takes guarded sodium memory per record) */
	if (rows.n == all) {
		*ret = true;
		goto out;
	}
	if ((rc = pdv_vault_subject_key(s, row, &key, err)) < 0)
		goto out;
	for (size_t i = 0; i < rows.n && !*ret && rc == 0; i++) {
		uint8_t hashes[PDV_PLAIN_MAX][PDV_HASH_LEN];
		size_t n = 0;

		rc = pdv_record_lookups(s, key, &rows.v[i], hashes, &n, err);
		for (size_t k = 0; k < n && !*ret; k++)
			*ret = pdv_equal(hashes[k], hash, PDV_HASH_LEN);
	}
out:
	pdv_secret_free(key);
	pdv_rows_release(&rows);
	return rc;
}
