/*
 * show.c — reading: find a subject by a lookup value, show a subject's
 * records decrypted. Every read writes an audit entry (committed with the
 * read), naming the subject, the record, the activity and its purpose.
 *
 * Decrypted values live in sodium memory for the time of the callback.
 */
#include <stdlib.h>
#include <string.h>

#include "engine-internal.h"

/* the blind index of a value of kind "email" or "phone"; PDV_E_INVAL, named,
 * for a value that is neither */
static int find_hash(struct pdv_session *s, const char *kind, const char *value,
                     uint8_t hash[PDV_HASH_LEN], struct pdv_error *err)
{
	char norm[320];
	int rc;

	if (strcmp(kind, "email") == 0)
		rc = pdv_normalise_email(value, strlen(value), norm, sizeof(norm));
	else
		rc = pdv_normalise_phone(value, strlen(value), s->vault->decl->controller.country.s,
		                         norm, sizeof(norm));
	if (rc < 0) {
		pdv_error_set(err, PDV_E_INVAL, "not %s",
		              strcmp(kind, "email") == 0 ? "an email address" : "a phone number");
		pdv_error_field(err, kind);
		pdv_wipe(norm, sizeof(norm));
		return PDV_E_INVAL;
	}
	{
		const void *parts[2] = {kind, norm};
		size_t lens[2] = {strlen(kind), strlen(norm)};

		pdv_mac(s->vault->index_key, 2, parts, lens, hash);
	}
	pdv_wipe(norm, sizeof(norm));
	return 0;
}

int pdv_find_ahead(struct pdv_session *s, const char *const *kinds, const char *const *values,
                   size_t n, struct pdv_error *err)
{
	uint8_t *hashes = NULL, hash[PDV_HASH_LEN];
	size_t m = 0;
	int rc = 0;

	if (n > PDV_STORE_LOOKUPS_KNOWN_MAX)
		n = PDV_STORE_LOOKUPS_KNOWN_MAX; /* the rest are read when asked */
	/* where a statement costs no round trip nothing is read ahead: no hash
	 * to make */
	if (n == 0 || !s->in_tx || !pdv_store_round_trips(s->store))
		return 0;
	if (!(hashes = malloc(n * PDV_LOOKUP_LEN)))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		if (values[i] && find_hash(s, kinds[i], values[i], hash, NULL) == 0)
			memcpy(hashes + m++ * PDV_LOOKUP_LEN, hash, PDV_LOOKUP_LEN);
	rc = pdv_store_lookups_read_ahead(s->store, hashes, m, err);
	pdv_wipe(hash, sizeof(hash));
	free(hashes);
	return rc;
}

int pdv_find(struct pdv_session *s, const char *kind, const char *value,
             char ret_subject[PDV_ID_MAX], struct pdv_error *err)
{
	char canon[PDV_ID_MAX];
	uint8_t hash[PDV_HASH_LEN];
	struct pdv_subject_row row;
	int64_t id = 0;
	int rc;

	ret_subject[0] = '\0';
	if ((rc = find_hash(s, kind, value, hash, err)) < 0)
		return rc;
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	/* a role that sees some records only reads the person's next
	 * (pdv_vault_lookup_seen): in the lookup's round trip */
	rc = pdv_vault_sees_all(s) ? pdv_store_lookup_get(s->store, hash, &id, err)
	                           : pdv_store_lookup_get_records(s->store, hash, &id, err);
	if (rc == 0 && (rc = pdv_store_subject_get(s->store, id, &row, err)) == 0 &&
	    row.wrapped_key) {
		pdv_id_format(s->vault, 's', row.id, row.tag, ret_subject);
		pdv_id_canonical('s', row.id, row.tag, canon);
	}
	if (rc == 0 && ret_subject[0]) {
		bool seen;

		if ((rc = pdv_vault_lookup_seen(s, &row, hash, &seen, err)) == 0 && !seen)
			ret_subject[0] = '\0'; /* as if no one had it */
	}
	if (rc == PDV_E_NOTFOUND) {
		rc = 0;
		pdv_error_clear(err);
	}
	if (rc < 0 || (rc = pdv_audit_append(s, "find", ret_subject[0] ? canon : NULL, NULL, NULL,
	                                     kind, err)) < 0) {
		pdv_session_tx_rollback(s);
		return rc;
	}
	return pdv_session_tx_commit(s, err);
}

/* show one record: open its values, compute its next step, audit the read */
static int show_record(struct pdv_session *s, const char *action, const char *subject,
                       const struct pdv_secret *key, const struct pdv_record_row *r,
                       const char *held, pdv_show_cb cb, void *ctx, struct pdv_error *err)
{
	struct pdv_shown_field fields[PDV_PLAIN_MAX];
	struct pdv_shown_record shown = {0};
	struct pdv_phase_info pi;
	struct pdv_plain plain;
	const struct pdv_activity *a = pdv_vault_activity(s->vault, r->activity);
	char rid[PDV_ID_MAX], canon[PDV_ID_MAX];
	int rc;

	pdv_id_format(s->vault, 'r', r->id, r->tag, rid);
	pdv_id_canonical('r', r->id, r->tag, canon);
	if ((rc = pdv_record_open(s, key, r, &plain, err)) < 0)
		return rc;
	for (size_t i = 0; i < plain.n; i++) {
		/* the name as the declaration spells it outlives the callback */
		fields[i].name = plain.name[i];
		for (size_t k = 0; a && k < a->n_fields; k++)
			if (a->fields[k].name.s && strcmp(a->fields[k].name.s, plain.name[i]) == 0)
				fields[i].name = a->fields[k].name.s;
		fields[i].value = (const char *)plain.value[i];
		fields[i].len = plain.len[i];
	}
	shown.record = rid;
	shown.activity = r->activity;
	shown.phase = r->phase;
	shown.collected_at = r->collected_at;
	shown.n_fields = plain.n;
	shown.fields = fields;
	shown.decl = a;
	shown.held = held;
	rc = pdv_record_phase(s, r, &pi, err);
	if (rc == 0 && pi.has_next) {
		shown.has_next = true;
		shown.next_phase = pdv_phase_name(pi.next);
		shown.next_at = pi.next_at;
	}
	pdv_error_clear(err);
	if ((rc = pdv_audit_append(s, action, subject, canon, r->activity, NULL, err)) == 0)
		rc = cb(ctx, &shown);
	pdv_plain_release(&plain);
	return rc;
}

static bool portable_basis(const struct pdv_activity *a)
{
	for (size_t i = 0; a && a->basis.present && i < a->basis.n; i++)
		if (a->basis.v[i].s && (strcmp(a->basis.v[i].s, "consent") == 0 ||
		                        strcmp(a->basis.v[i].s, "contract") == 0))
			return true;
	return false;
}

static int read_subject(struct pdv_session *s, const char *action, const char *subject,
                        bool portable, pdv_show_cb cb, void *ctx, struct pdv_error *err)
{
	char canon[PDV_ID_MAX];
	struct pdv_subject_row row;
	struct pdv_rows rows = {0};
	size_t shown = 0;
	int64_t holds = 0, open = 0;
	const char *held = NULL;
	int rc;

	subject = pdv_id_canon(s, 's', subject, canon); /* what binds and is logged */

	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = pdv_vault_subject_scope(s, subject, &row, &rows, err)) < 0 ||
	    (rc = pdv_vault_subject_key_into(s, &row, s->scratch, err)) < 0 ||
	    (rc = pdv_store_holds_active_count(s->store, row.id, &holds, err)) < 0 ||
	    (rc = pdv_store_requests_open_of_subject(s->store, row.id, &open, err)) < 0)
		goto out;
	/* as the sweep decides (sweep.c): the first reason it would wait for */
	held = row.restricted ? "restricted" : holds > 0 ? "hold" : open > 0 ? "request" : NULL;
	for (size_t i = 0; i < rows.n && rc == 0; i++) {
		if (portable && !portable_basis(pdv_vault_activity(s->vault, rows.v[i].activity)))
			continue;
		rc = show_record(s, action, subject, s->scratch, &rows.v[i], held, cb, ctx, err);
		shown++;
	}
	if (rc == 0 && shown == 0)
		rc = pdv_audit_append(s, action, subject, NULL, NULL, "no record", err);
out:
	if (rc == 0)
		rc = pdv_session_tx_commit(s, err);
	else
		pdv_session_tx_rollback(s);
	pdv_rows_release(&rows);
	pdv_secret_generate(s->scratch); /* leave no data key behind */
	return rc;
}

int pdv_show(struct pdv_session *s, const char *subject, pdv_show_cb cb, void *ctx,
             struct pdv_error *err)
{
	return read_subject(s, "show", subject, false, cb, ctx, err);
}

int pdv_export(struct pdv_session *s, const char *subject, bool portable, pdv_show_cb cb, void *ctx,
               struct pdv_error *err)
{
	return read_subject(s, portable ? "export-portable" : "export", subject, portable, cb, ctx,
	                    err);
}

bool pdv_vault_activity_declared(const struct pdv_vault *v, const char *activity)
{
	return activity && pdv_vault_activity(v, activity) != NULL;
}
