/*
 * admin.c — rectification, API tokens and master key rotation.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine-internal.h"

/* whether a record of the subject other than `except` makes the lookup
 * `hash` (the same value in a field its activity indexes): the person is
 * still found by that value, so its lookup stays. The records are opened
 * with the subject's key, already in s->scratch; nothing is shown or logged. */
static int lookup_held_elsewhere(struct pdv_session *s, int64_t subject_id, int64_t except,
                                 const uint8_t hash[PDV_HASH_LEN], bool *ret, struct pdv_error *err)
{
	uint8_t(*hashes)[PDV_HASH_LEN] = malloc(PDV_PLAIN_MAX * sizeof(*hashes));
	struct pdv_rows rows;
	size_t n;
	int rc;

	*ret = false;
	if (!hashes)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if ((rc = pdv_vault_records_of(s, subject_id, &rows, err)) < 0)
		goto out;
	for (size_t i = 0; i < rows.n && !*ret && rc == 0; i++) {
		if (rows.v[i].id == except)
			continue;
		rc = pdv_record_lookups(s, s->scratch, &rows.v[i], hashes, &n, err);
		for (size_t k = 0; k < n && rc == 0; k++)
			*ret |= memcmp(hashes[k], hash, PDV_HASH_LEN) == 0;
	}
	pdv_rows_release(&rows);
out:
	free(hashes);
	return rc;
}

int pdv_rectify(struct pdv_session *s, const char *subject, const char *record,
                const struct pdv_input_field *fields, size_t n, struct pdv_error *err)
{
	char canon[PDV_ID_MAX], canon_record[PDV_ID_MAX];
	struct pdv_subject_row srow;
	struct pdv_record_row rrow, copy;
	struct pdv_rows seen;
	struct pdv_plain plain = {0};
	struct pdv_input_field merged[PDV_PLAIN_MAX];
	const struct pdv_input_field **by_decl = NULL;
	const struct pdv_activity *a;
	struct pdv_lookup lk[2], old_lk[2];
	size_t n_lk = 0, n_old = 0, nm = 0;
	const char *names[PDV_PLAIN_MAX], *values[PDV_PLAIN_MAX];
	size_t lens[PDV_PLAIN_MAX], np = 0;
	struct pdv_buf packed;
	char *activity = NULL, changed[512] = "";
	int rc;

	subject = pdv_id_canon(s, 's', subject, canon); /* what binds and is logged */
	record = pdv_id_canon(s, 'r', record, canon_record);

	pdv_buf_init(&packed, (size_t)64 * 1024 * 1024);
	if (n == 0)
		return pdv_error_set(err, PDV_E_USAGE, "no field to rectify");
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	/* a subject and a record the role may see, or none */
	if ((rc = pdv_vault_subject_scope(s, subject, &srow, &seen, err)) < 0)
		goto out;
	pdv_rows_release(&seen);
	if ((rc = pdv_vault_subject_key_into(s, &srow, s->scratch, err)) < 0 ||
	    (rc = pdv_vault_record_scope(s, record, srow.id, &rrow, err)) < 0)
		goto out;
	/* another role corrects the records it works with; an archived record
	 * (kept as proof) and a restricted one, or one of a restricted person
	 * (stored only, Art. 18(2), often while its accuracy is contested), are
	 * the dpo's to change */
	if (!pdv_vault_sees_all(s) && (srow.restricted || strcmp(rrow.phase, "archived") == 0 ||
	                               strcmp(rrow.phase, "restricted") == 0)) {
		rc = pdv_vault_dpo_only(s, "rectifying an archived or restricted record", err);
		pdv_error_field(err, "record");
		goto out;
	}
	/* the row's buffers belong to the store's statement: keep what we need */
	copy = rrow;
	activity = strdup(rrow.activity);
	if (!activity) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	copy.activity = activity;
	copy.phase = NULL;
	copy.source = NULL;
	if ((rc = pdv_record_open(s, s->scratch, &rrow, &plain, err)) < 0)
		goto out;
	copy.fields = NULL;
	if (!(a = pdv_vault_activity(s->vault, activity))) {
		rc = pdv_error_set(err, PDV_E_REFUSED,
		                   "record %s belongs to activity '%s', no longer declared",
		                   pdv_id_told(s, 'r', record, canon_record), activity);
		goto out;
	}
	/* the old values, overlaid with the new ones, validated as a whole */
	for (size_t i = 0; i < plain.n; i++) {
		bool replaced = false;

		for (size_t j = 0; j < n; j++)
			replaced |= strcmp(fields[j].name, plain.name[i]) == 0;
		if (!replaced && nm < PDV_PLAIN_MAX)
			merged[nm++] = (struct pdv_input_field){
			    plain.name[i], (const char *)plain.value[i], plain.len[i]};
	}
	for (size_t j = 0; j < n && nm < PDV_PLAIN_MAX; j++) {
		size_t used = strlen(changed);

		merged[nm++] = fields[j];
		/* the names that fit: a name cut by the bound is left out whole */
		if (used + strlen(fields[j].name) + 2 < sizeof(changed))
			snprintf(changed + used, sizeof(changed) - used, "%s%s", used ? "," : "",
			         fields[j].name);
	}
	if (!(by_decl = calloc(a->n_fields ? a->n_fields : 1, sizeof(*by_decl)))) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	/* the lookups of the values being replaced, to drop their index (an old
	 * value that no longer normalises simply keeps no index to drop) */
	for (size_t i = 0; i < plain.n && n_old < 2; i++) {
		bool replaced = false;

		for (size_t j = 0; j < n; j++)
			replaced |= strcmp(fields[j].name, plain.name[i]) == 0;
		if (replaced && pdv_field_lookup(s->vault, a, plain.name[i], plain.value[i],
		                                 plain.len[i], &old_lk[n_old]))
			n_old++;
	}
	if ((rc = pdv_collect_validate(s->vault, a, merged, nm, by_decl, lk, &n_lk, err)) < 0)
		goto out;
	for (size_t k = 0; k < a->n_fields; k++)
		if (by_decl[k]) {
			names[np] = a->fields[k].name.s;
			values[np] = by_decl[k]->value;
			lens[np] = by_decl[k]->len;
			np++;
		}
	if ((rc = pdv_record_pack(s->scratch, record, np, names, values, lens, &packed, err)) < 0)
		goto out;
	copy.fields = (const uint8_t *)packed.data;
	copy.fields_len = packed.len;
	/* record_update writes phase too: read it back from a fresh get */
	{
		struct pdv_record_row cur;

		if ((rc = pdv_vault_record_get(s, copy.id, &cur, err)) < 0)
			goto out;
		char *phase = strdup(cur.phase);
		if (!phase) {
			rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
			goto out;
		}
		copy.phase = phase;
		rc = pdv_vault_record_update(s, &copy, err);
		free(phase);
		if (rc < 0)
			goto out;
	}
	for (size_t i = 0; i < n_old; i++) {
		uint8_t h[PDV_HASH_LEN];
		bool still = false;

		for (size_t j = 0; j < n_lk; j++)
			still |= strcmp(lk[j].kind, old_lk[i].kind) == 0 &&
			         strcmp(lk[j].value, old_lk[i].value) == 0;
		pdv_lookup_hash(s->vault, &old_lk[i], h);
		/* the person's other records may hold the old value too (the same
		 * address in another activity): it still finds them */
		if (!still && (rc = lookup_held_elsewhere(s, srow.id, copy.id, h, &still, err)) < 0)
			goto out;
		if (still)
			continue;
		if ((rc = pdv_store_lookup_delete(s->store, h, err)) < 0)
			goto out;
	}
	for (size_t i = 0; i < n_lk; i++) {
		uint8_t h[PDV_HASH_LEN];

		pdv_lookup_hash(s->vault, &lk[i], h);
		if ((rc = pdv_store_lookup_put(s->store, h, srow.id, err)) < 0)
			goto out;
	}
	if ((rc = pdv_audit_append(s, "rectify", subject, record, activity, changed, err)) == 0)
		rc = pdv_notify_recipients(s, a, "rectification", srow.id, copy.id, record, err);
out:
	if (rc == 0)
		rc = pdv_session_tx_commit(s, err);
	else
		pdv_session_tx_rollback(s);
	pdv_wipe(lk, sizeof(lk));
	pdv_wipe(old_lk, sizeof(old_lk));
	pdv_plain_release(&plain);
	pdv_buf_release(&packed);
	free(by_decl);
	free(activity);
	pdv_secret_generate(s->scratch);
	return rc;
}

bool pdv_vault_role_declared(const struct pdv_decl *d, const char *role)
{
	if (strcmp(role, "dpo") == 0)
		return true;
	for (size_t i = 0; i < d->n_roles; i++)
		if (d->roles[i].id.s && strcmp(d->roles[i].id.s, role) == 0)
			return true;
	return false;
}

static int token_create(struct pdv_session *s, const char *role, const char *scope,
                        const char *name, pdv_time_t expires_at, char ret_token[PDV_TOKEN_MAX],
                        struct pdv_error *err);

int pdv_token_create(struct pdv_session *s, const char *role, const char *name,
                     pdv_time_t expires_at, char ret_token[PDV_TOKEN_MAX], struct pdv_error *err)
{
	return token_create(s, role, "all", name, expires_at, ret_token, err);
}

int pdv_token_create_metrics(struct pdv_session *s, const char *name, pdv_time_t expires_at,
                             char ret_token[PDV_TOKEN_MAX], struct pdv_error *err)
{
	return token_create(s, "", "metrics", name, expires_at, ret_token, err);
}

int pdv_token_create_calendar(struct pdv_session *s, const char *name, pdv_time_t expires_at,
                              char ret_token[PDV_TOKEN_MAX], struct pdv_error *err)
{
	return token_create(s, "", "calendar", name, expires_at, ret_token, err);
}

static int token_create(struct pdv_session *s, const char *role, const char *scope,
                        const char *name, pdv_time_t expires_at, char ret_token[PDV_TOKEN_MAX],
                        struct pdv_error *err)
{
	uint8_t raw[32];
	struct pdv_token_row row = {0};
	size_t nl = name ? strlen(name) : 0;
	int rc;

	ret_token[0] = '\0';
	if (strcmp(scope, "all") == 0 && !pdv_vault_role_declared(s->vault->decl, role)) {
		char list[256] = "dpo";

		for (size_t i = 0; i < s->vault->decl->n_roles; i++) {
			const char *id = s->vault->decl->roles[i].id.s;
			size_t used = strlen(list);

			if (id && strcmp(id, "dpo") != 0 && used + strlen(id) + 3 < sizeof(list))
				snprintf(list + used, sizeof(list) - used, ", %s", id);
		}
		pdv_error_set(err, PDV_E_INVAL, "role '%.*s' is not declared (roles: %s)",
		              PDV_UTF8_CUT(role, 64), list);
		pdv_error_field(err, "role");
		return PDV_E_INVAL;
	}
	if (nl == 0 || nl > 64 || !pdv_utf8_valid(name, nl) || strpbrk(name, "\t\r\n")) {
		pdv_error_set(err, PDV_E_INVAL, "a token needs a name of 1 to 64 characters");
		pdv_error_field(err, "name");
		return PDV_E_INVAL;
	}
	if (expires_at && expires_at <= s->now) {
		pdv_error_set(err, PDV_E_INVAL, "the expiry is not in the future");
		pdv_error_field(err, "expires");
		return PDV_E_INVAL;
	}
	pdv_random(raw, sizeof(raw));
	memcpy(ret_token, "pdv_", 4);
	pdv_b64url_encode(raw, sizeof(raw), ret_token + 4, PDV_TOKEN_MAX - 4);
	pdv_wipe(raw, sizeof(raw));
	pdv_hash(ret_token, strlen(ret_token), row.hash);
	row.name = name;
	row.role = role;
	row.scope = scope;
	row.created_at = s->now;
	row.expires_at = expires_at;
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		goto fail;
	if ((rc = pdv_store_token_insert(s->store, &row, err)) < 0 ||
	    (rc = pdv_audit_append(s, "token-create", NULL, NULL, NULL, *role ? role : scope,
	                           err)) < 0) {
		pdv_session_tx_rollback(s);
		if (rc == PDV_E_REFUSED)
			pdv_error_field(err, "name");
		goto fail;
	}
	if ((rc = pdv_session_tx_commit(s, err)) < 0)
		goto fail;
	return 0;
fail:
	pdv_wipe(ret_token, PDV_TOKEN_MAX);
	return rc;
}

int pdv_token_revoke(struct pdv_session *s, const char *name, struct pdv_error *err)
{
	int rc;

	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = pdv_store_token_revoke(s->store, name, s->now, err)) < 0 ||
	    (rc = pdv_audit_append(s, "token-revoke", NULL, NULL, NULL, NULL, err)) < 0) {
		pdv_session_tx_rollback(s);
		if (rc == PDV_E_NOTFOUND)
			pdv_error_field(err, "name");
		return rc;
	}
	return pdv_session_tx_commit(s, err);
}

/* a page of subject keys, copied out of the iteration, rewrapped after it */
#define REWRAP_PAGE 1000

struct wrapped_key {
	int64_t id;
	uint8_t tag[PDV_TAG_LEN];
	uint8_t wrapped[PDV_WRAPPED_LEN];
	size_t len;
};

struct rewrap {
	struct wrapped_key page[REWRAP_PAGE];
	size_t n;
};

static int collect_wrapped(void *ctx, int64_t id, const uint8_t tag[PDV_TAG_LEN],
                           const uint8_t *wrapped, size_t len)
{
	struct rewrap *c = ctx;
	struct wrapped_key *k = &c->page[c->n++];

	k->id = id;
	memcpy(k->tag, tag, PDV_TAG_LEN);
	/* a key of another length is damaged: its length is kept, so that
	 * unwrapping refuses it before reading the bytes */
	k->len = len;
	memcpy(k->wrapped, wrapped, len < sizeof(k->wrapped) ? len : sizeof(k->wrapped));
	return c->n == REWRAP_PAGE; /* a full page: stop, rewrap, go on after it */
}

/* every subject key, unwrapped with the vault's master key and wrapped with next */
static int rewrap_subjects(struct pdv_session *s, struct pdv_master *next, long *ret_n,
                           struct pdv_error *err)
{
	struct rewrap *c = calloc(1, sizeof(*c));
	int64_t after = 0;
	int rc;

	if (!c)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	do {
		c->n = 0;
		if ((rc = pdv_store_subject_wrapped_each(s->store, after, collect_wrapped, c,
		                                         err)) < 0)
			break;
		for (size_t i = 0; i < c->n; i++) {
			const struct wrapped_key *k = &c->page[i];
			struct pdv_subject_row row = {
			    .id = k->id, .wrapped_key = k->wrapped, .wrapped_key_len = k->len};
			uint8_t ad[8 + PDV_ID_MAX], out[PDV_WRAPPED_LEN];
			char sid[PDV_ID_MAX];

			memcpy(row.tag, k->tag, PDV_TAG_LEN);
			if ((rc = pdv_vault_subject_key_into(s, &row, s->scratch, err)) < 0)
				break;
			pdv_id_canonical('s', k->id, k->tag, sid);
			memcpy(ad, "subject", 8);
			memcpy(ad + 8, sid, strlen(sid));
			if ((rc = pdv_secret_wrap(next, s->scratch, ad, 8 + strlen(sid), out,
			                          err)) < 0 ||
			    (rc = pdv_store_subject_wrapped_set(s->store, k->id, out, sizeof(out),
			                                        err)) < 0)
				break;
			(*ret_n)++;
			after = k->id;
		}
	} while (rc >= 0 && c->n == REWRAP_PAGE);
	free(c);
	return rc < 0 ? rc : 0;
}

/*
 * A running server keeps the master key in memory: after a rotation it
 * would wrap new subjects' keys under the old one. So a rotation refuses
 * while a server uses the store (docs/internals/multi-server.md); checked
 * last, just before the commit, to leave the smallest window.
 */
static int servers_running(struct pdv_session *s, struct pdv_error *err)
{
	int64_t n;
	int rc = pdv_store_servers(s->store, &n, err);

	if (rc < 0 || n == 0)
		return rc;
	return pdv_error_set(err, PDV_E_REFUSED,
	                     "%" PRId64 " pdvault server connection%s use%s this vault: a running "
	                     "server keeps the key in memory and would go on wrapping new keys "
	                     "under the old one. Stop every server, rotate on one host, copy the "
	                     "new key file to the others, then start them",
	                     n, n == 1 ? "" : "s", n == 1 ? "s" : "");
}

int pdv_key_rotate(struct pdv_session *s, long *ret_subjects, struct pdv_error *err)
{
	static const struct {
		const char *meta, *ad;
		size_t off;
	} service[] = {
	    {"index_key", "index", offsetof(struct pdv_vault, index_key)},
	    {"audit_key", "audit", offsetof(struct pdv_vault, audit_key)},
	    {"stats_key", "stats", offsetof(struct pdv_vault, stats_key)},
	};
	struct pdv_master *next = NULL;
	long n = 0;
	char new_path[4096];
	uint8_t key_id[PDV_KEY_ID_LEN], w[PDV_WRAPPED_LEN];
	int rc;

	*ret_subjects = 0;
	if ((size_t)snprintf(new_path, sizeof(new_path), "%s.new", s->vault->key_file) >=
	    sizeof(new_path))
		return pdv_error_set(err, PDV_E_IO, "key file path too long");
	/* a KEYFILE.new left by a rotation that never committed was never used */
	unlink(new_path);
	if ((rc = pdv_master_create(new_path, err)) < 0 ||
	    (rc = pdv_master_load(new_path, &next, err)) < 0)
		goto fail;
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		goto fail;
	if ((rc = rewrap_subjects(s, next, &n, err)) < 0 ||
	    (rc = pdv_certificate_keys_rewrap(s, next, err)) < 0)
		goto rollback;
	for (size_t i = 0; i < sizeof(service) / sizeof(service[0]); i++) {
		struct pdv_secret *k = *(struct pdv_secret **)((char *)s->vault + service[i].off);

		if ((rc = pdv_secret_wrap(next, k, service[i].ad, strlen(service[i].ad), w, err)) <
		        0 ||
		    (rc = pdv_store_meta_put(s->store, service[i].meta, w, sizeof(w), err)) < 0)
			goto rollback;
	}
	pdv_master_key_id(next, key_id);
	if ((rc = pdv_store_meta_put(s->store, "key_id", key_id, sizeof(key_id), err)) < 0 ||
	    (rc = pdv_audit_append(s, "key-rotate", NULL, NULL, NULL, NULL, err)) < 0 ||
	    (rc = servers_running(s, err)) < 0)
		goto rollback;
	if ((rc = pdv_session_tx_commit(s, err)) < 0)
		goto fail;
	/* committed: the store is under the new key; install it */
	if ((rc = pdv_master_install(new_path, s->vault->key_file, err)) < 0) {
		pdv_master_free(next);
		return rc; /* the next open finishes the install */
	}
	pdv_master_free(s->vault->master);
	s->vault->master = next;
	*ret_subjects = n;
	/* a key file that was a link is now a file of its own: the head follows */
	if ((rc = pdv_vault_head_follow(s->vault, err)) < 0)
		return rc;
	pdv_secret_generate(s->scratch);
	return 0;
rollback:
	pdv_session_tx_rollback(s);
fail:
	pdv_master_free(next);
	unlink(new_path);
	pdv_secret_generate(s->scratch);
	return rc;
}

int pdv_token_check(struct pdv_session *s, const char *token, struct pdv_staff *ret,
                    struct pdv_error *err)
{
	struct pdv_token_row row;
	uint8_t hash[PDV_HASH_LEN];
	size_t n = token ? strlen(token) : 0;
	int rc;

	memset(ret, 0, sizeof(*ret));
	if (n < 8 || n >= PDV_TOKEN_MAX || strncmp(token, "pdv_", 4) != 0)
		goto refused;
	pdv_hash(token, n, hash);
	rc = pdv_store_token_by_hash(s->store, hash, &row, err);
	if (rc == PDV_E_NOTFOUND)
		goto refused;
	if (rc < 0)
		return rc;
	/* the index found it; the comparison that decides takes constant time */
	if (!pdv_equal(row.hash, hash, PDV_HASH_LEN) || row.revoked_at ||
	    (row.expires_at && row.expires_at <= s->now))
		goto refused;
	snprintf(ret->name, sizeof(ret->name), "%s", row.name);
	snprintf(ret->role, sizeof(ret->role), "%s", row.role);
	snprintf(ret->scope, sizeof(ret->scope), "%s", row.scope ? row.scope : "all");
	/* when it was last used, to the minute: one write a minute per token at
	 * most, not one per request */
	if (s->now - row.used_at >= 60) {
		if ((rc = pdv_session_tx_begin(s, err)) < 0)
			return rc;
		if ((rc = pdv_store_token_used(s->store, ret->name, s->now, err)) < 0 ||
		    (rc = pdv_session_tx_commit(s, err)) < 0) {
			pdv_session_tx_rollback(s);
			return rc;
		}
	}
	return 0;
refused:
	/* one answer for unknown, expired and revoked: no oracle */
	pdv_error_set(err, PDV_E_REFUSED, "a valid API token is needed");
	if (err)
		snprintf(err->code, sizeof(err->code), "unauthorized");
	return PDV_E_REFUSED;
}

struct token_list_ctx {
	pdv_token_info_cb cb;
	void *ctx;
};

static int token_list_one(void *ctx, const struct pdv_token_row *r)
{
	struct token_list_ctx *l = ctx;
	struct pdv_token_info i = {
	    .name = r->name,
	    .role = r->role ? r->role : "",
	    .scope = r->scope ? r->scope : "all",
	    .created_at = r->created_at,
	    .expires_at = r->expires_at,
	    .revoked_at = r->revoked_at,
	    .used_at = r->used_at,
	};

	return l->cb(l->ctx, &i);
}

int pdv_token_list(struct pdv_session *s, pdv_token_info_cb cb, void *ctx, struct pdv_error *err)
{
	struct token_list_ctx l = {cb, ctx};

	return pdv_store_tokens_each(s->store, token_list_one, &l, err);
}
