/*
 * certificates.c — deletion certificates (docs/certificates.md): what an
 * erasure request's close or a withdrawal from the privacy center erased,
 * what it kept and why, which recipients were told (Art. 19), as canonical
 * JSON signed with the vault's Ed25519 key.
 *
 * Invariants:
 *  - a certificate names activities, data categories, recipients, dates and
 *    the request's reference: never a value, never the person's address nor
 *    their subject id; so its body is stored in clear, as first issued, and
 *    a re-issue signs the same bytes again (with the key current then);
 *  - the body is canonical: jansson's compact form with sorted keys, UTF-8
 *    unescaped, integers only, no control character in any string (what
 *    Python's json.dumps(sort_keys=True, separators=(",", ":"),
 *    ensure_ascii=False) gives for it), so a verifier may re-serialise it;
 *  - the signing key's seed is wrapped under the master key, bound to its
 *    key id ("pdv-signing\0KEYID"); `pdvault key rotate` re-wraps it. A key
 *    rotated away is retired, never deleted: its public key stays published.
 *  - at most one key is current; the first certificate of a vault makes it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine-internal.h"
#include "pdv/json.h"

#define SIGN_AD "pdv-signing"
#define KEY_ID_HEX 16

void pdv_cert_draft_release(struct pdv_cert_draft *d)
{
	free(d->items);
	memset(d, 0, sizeof(*d));
}

int pdv_cert_draft_add(struct pdv_cert_draft *d, const char *activity, const char *what,
                       const char *why, pdv_time_t until, struct pdv_error *err)
{
	struct pdv_cert_item *it;

	for (size_t i = 0; i < d->n; i++) {
		it = &d->items[i];
		if (strcmp(it->activity, activity) == 0 && strcmp(it->what, what) == 0 &&
		    strcmp(it->why, why ? why : "") == 0 && it->until == until) {
			it->records++;
			return 0;
		}
	}
	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 8;
		struct pdv_cert_item *v = realloc(d->items, cap * sizeof(*v));

		if (!v)
			return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		d->items = v;
		d->cap = cap;
	}
	it = &d->items[d->n++];
	memset(it, 0, sizeof(*it));
	pdv_strlcpy(it->activity, activity, sizeof(it->activity));
	pdv_strlcpy(it->what, what, sizeof(it->what));
	pdv_strlcpy(it->why, why ? why : "", sizeof(it->why));
	it->until = until;
	it->records = 1;
	return 0;
}

/* --- signing keys --- */

static void key_id_of(const uint8_t pk[PDV_SIGN_PUBLIC_LEN], char out[KEY_ID_HEX + 1])
{
	uint8_t h[PDV_HASH_LEN];

	pdv_hash(pk, PDV_SIGN_PUBLIC_LEN, h);
	pdv_hex(h, KEY_ID_HEX / 2, out);
}

static size_t sign_ad(const char *key_id, uint8_t out[64])
{
	size_t n = strlen(key_id);

	memcpy(out, SIGN_AD, sizeof(SIGN_AD)); /* its NUL separates */
	memcpy(out + sizeof(SIGN_AD), key_id, n);
	return sizeof(SIGN_AD) + n;
}

/* a new current key, the one before retired (in the open transaction) */
static int key_make(struct pdv_session *s, char ret_key_id[KEY_ID_HEX + 1], struct pdv_error *err)
{
	struct pdv_secret *seed = NULL;
	uint8_t pk[PDV_SIGN_PUBLIC_LEN], w[PDV_WRAPPED_LEN], ad[64];
	int rc;

	if ((rc = pdv_secret_new(&seed, err)) < 0)
		return rc;
	pdv_sign_public(seed, pk);
	key_id_of(pk, ret_key_id);
	if ((rc = pdv_secret_wrap(s->vault->master, seed, ad, sign_ad(ret_key_id, ad), w, err)) <
	        0 ||
	    (rc = pdv_store_signing_key_retire(s->store, s->now, err)) < 0 ||
	    (rc = pdv_store_signing_key_insert(s->store, ret_key_id, pk, sizeof(pk), w, sizeof(w),
	                                       s->now, err)) < 0)
		goto out;
	rc = pdv_audit_append(s, "certificate-key", NULL, NULL, NULL, ret_key_id, err);
out:
	pdv_secret_free(seed);
	return rc;
}

struct current_key {
	bool found;
	char key_id[KEY_ID_HEX + 1];
	uint8_t wrapped[PDV_WRAPPED_LEN];
	bool damaged;
};

static int current_one(void *ctx, const struct pdv_signing_key_row *row)
{
	struct current_key *c = ctx;

	if (row->retired_at)
		return 0;
	c->found = true;
	pdv_strlcpy(c->key_id, row->key_id ? row->key_id : "", sizeof(c->key_id));
	c->damaged = row->secret_len != PDV_WRAPPED_LEN;
	if (!c->damaged)
		memcpy(c->wrapped, row->secret, PDV_WRAPPED_LEN);
	return 0;
}

/* the current key's seed (the caller frees it) and id */
static int key_current(struct pdv_session *s, struct pdv_secret **ret_seed,
                       char ret_key_id[KEY_ID_HEX + 1], struct pdv_error *err)
{
	struct current_key c = {0};
	uint8_t ad[64];
	int rc;

	if ((rc = pdv_store_signing_keys_each(s->store, current_one, &c, err)) < 0)
		return rc;
	if (!c.found)
		return pdv_error_set(err, PDV_E_NOTFOUND, "the vault has no signing key yet");
	if (c.damaged)
		return pdv_error_set(err, PDV_E_INTERNAL, "signing key %s is damaged", c.key_id);
	pdv_strlcpy(ret_key_id, c.key_id, KEY_ID_HEX + 1);
	return pdv_secret_unwrap(s->vault->master, c.wrapped, ad, sign_ad(c.key_id, ad), ret_seed,
	                         err);
}

/* a key exists (the first certificate of a vault makes it), in a transaction */
static int key_ensure(struct pdv_session *s, struct pdv_error *err)
{
	struct current_key c = {0};
	char key_id[KEY_ID_HEX + 1];
	int rc;

	if ((rc = pdv_store_signing_keys_each(s->store, current_one, &c, err)) < 0)
		return rc;
	return c.found ? 0 : key_make(s, key_id, err);
}

int pdv_certificate_rotate_key(struct pdv_session *s, char ret_key_id[PDV_KEY_ID_MAX],
                               struct pdv_error *err)
{
	int rc;

	if ((rc = pdv_vault_dpo_only(s, "rotating the certificates' signing key", err)) < 0 ||
	    (rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = key_make(s, ret_key_id, err)) < 0) {
		pdv_session_tx_rollback(s);
		return rc;
	}
	return pdv_session_tx_commit(s, err);
}

struct rewrap {
	struct pdv_session *s;
	const struct pdv_master *next;
	size_t n;
	struct {
		int64_t id;
		char key_id[KEY_ID_HEX + 1];
		uint8_t w[PDV_WRAPPED_LEN];
	} * v;
	int rc;
};

static int rewrap_collect(void *ctx, const struct pdv_signing_key_row *row)
{
	struct rewrap *r = ctx;
	void *v = realloc(r->v, (r->n + 1) * sizeof(*r->v));

	if (!v)
		return PDV_E_NOMEM;
	r->v = v;
	if (row->secret_len != PDV_WRAPPED_LEN)
		return PDV_E_INTERNAL;
	r->v[r->n].id = row->id;
	pdv_strlcpy(r->v[r->n].key_id, row->key_id ? row->key_id : "", KEY_ID_HEX + 1);
	memcpy(r->v[r->n].w, row->secret, PDV_WRAPPED_LEN);
	r->n++;
	return 0;
}

int pdv_certificate_keys_rewrap(struct pdv_session *s, const struct pdv_master *next,
                                struct pdv_error *err)
{
	struct rewrap r = {.s = s, .next = next};
	int rc = pdv_store_signing_keys_each(s->store, rewrap_collect, &r, err);

	if (rc > 0 || rc == PDV_E_NOMEM || rc == PDV_E_INTERNAL)
		rc =
		    pdv_error_set(err, rc == PDV_E_NOMEM ? PDV_E_NOMEM : PDV_E_INTERNAL,
		                  rc == PDV_E_NOMEM ? "out of memory" : "a signing key is damaged");
	for (size_t i = 0; rc == 0 && i < r.n; i++) {
		struct pdv_secret *seed = NULL;
		uint8_t ad[64];
		size_t n = sign_ad(r.v[i].key_id, ad);

		if ((rc = pdv_secret_unwrap(s->vault->master, r.v[i].w, ad, n, &seed, err)) == 0 &&
		    (rc = pdv_secret_wrap(next, seed, ad, n, r.v[i].w, err)) == 0)
			rc = pdv_store_signing_key_secret_set(s->store, r.v[i].id, r.v[i].w,
			                                      PDV_WRAPPED_LEN, err);
		pdv_secret_free(seed);
	}
	free(r.v);
	return rc;
}

/* --- the public keys --- */

static json_t *time_or_null(pdv_time_t t)
{
	char buf[21];

	if (!t)
		return json_null();
	pdv_time_format(t, buf);
	return json_string(buf);
}

static json_t *time_json_of(pdv_time_t t)
{
	char buf[21];

	pdv_time_format(t, buf);
	return json_string(buf);
}

static int key_json(void *ctx, const struct pdv_signing_key_row *row)
{
	json_t *arr = ctx;
	char pk[2 * PDV_SIGN_PUBLIC_LEN + 1];

	if (row->public_key_len != PDV_SIGN_PUBLIC_LEN)
		return 0; /* cannot be: the store wrote 32 bytes */
	pdv_hex(row->public_key, PDV_SIGN_PUBLIC_LEN, pk);
	return json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:o, s:o, s:s}", "key_id",
	                                            row->key_id, "algorithm", "Ed25519",
	                                            "public_key", pk, "valid_from",
	                                            time_json_of(row->created_at), "valid_until",
	                                            time_or_null(row->retired_at), "status",
	                                            row->retired_at ? "retired" : "current")) < 0
	           ? PDV_E_NOMEM
	           : 0;
}

int pdv_certificate_keys(struct pdv_session *s, struct pdv_buf *ret, struct pdv_error *err)
{
	json_t *keys = json_array(), *doc = NULL;
	const char *name = s->vault->decl->controller.name.s;
	char *text = NULL;
	int rc;

	if (!keys)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if ((rc = pdv_store_signing_keys_each(s->store, key_json, keys, err)) != 0) {
		json_decref(keys);
		return rc < 0 ? rc : pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	}
	doc = json_pack("{s:s, s:s?, s:o}", "format", "pdvault-keys 1", "controller", name, "keys",
	                keys);
	if (!doc || !(text = json_dumps(doc, JSON_INDENT(2) | JSON_SORT_KEYS)) ||
	    pdv_buf_puts(ret, text) < 0 || pdv_buf_puts(ret, "\n") < 0)
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	free(text);
	json_decref(doc);
	return rc;
}

/* --- making a certificate --- */

struct notices {
	json_t *arr;
	const struct pdv_decl *decl;
	const char *lang;
	int64_t lo, hi; /* a withdrawal's: the outbox ids in (lo, hi]; 0: any */
};

static int notice_json(void *ctx, const struct pdv_outbox_row *row)
{
	struct notices *n = ctx;
	const struct pdv_recipient *r;
	const char *name, *status;
	json_t *o;
	size_t i;

	/* the Art. 19 notices only: the person's own messages are not theirs */
	if (!row->recipient || !row->kind ||
	    (strcmp(row->kind, "erasure") != 0 && strcmp(row->kind, "rectification") != 0 &&
	     strcmp(row->kind, "restriction") != 0))
		return 0;
	r = pdv_decl_recipient(n->decl, row->recipient);
	name = r ? pdv_text_get(&r->name, n->lang) : NULL;
	status = row->status && strcmp(row->status, "sent") == 0     ? "sent"
	         : row->status && strcmp(row->status, "failed") == 0 ? "failed"
	                                                             : "pending";
	/* one line per recipient, notice and status: a notice goes per record */
	json_array_foreach(n->arr, i, o)
	{
		if (strcmp(json_string_value(json_object_get(o, "recipient")), row->recipient) ==
		        0 &&
		    strcmp(json_string_value(json_object_get(o, "notice")), row->kind) == 0 &&
		    strcmp(json_string_value(json_object_get(o, "status")), status) == 0) {
			json_object_set_new(
			    o, "records",
			    json_integer(json_integer_value(json_object_get(o, "records")) + 1));
			if (strcmp(status, "sent") == 0)
				json_object_set_new(o, "sent_at", time_or_null(row->sent_at));
			return 0;
		}
	}
	o = json_pack("{s:s, s:s, s:s, s:o, s:o}", "recipient", row->recipient, "notice", row->kind,
	              "status", status, "queued_at", time_json_of(row->created_at), "sent_at",
	              strcmp(status, "sent") == 0 ? time_or_null(row->sent_at) : json_null());
	if (!o)
		return PDV_E_NOMEM;
	json_object_set_new(o, "name", name && *name ? json_string(name) : json_null());
	json_object_set_new(o, "records", json_integer(1));
	return json_array_append_new(n->arr, o) < 0 ? PDV_E_NOMEM : 0;
}

static json_t *categories_of(const struct pdv_activity *a)
{
	json_t *arr = json_array();

	for (size_t k = 0; a && k < a->n_fields; k++) {
		const char *c = a->fields[k].category.s;
		bool seen = false;

		if (!c)
			continue;
		for (size_t j = 0; j < json_array_size(arr); j++)
			seen |= strcmp(json_string_value(json_array_get(arr, j)), c) == 0;
		if (!seen)
			json_array_append_new(arr, json_string(c));
	}
	return arr;
}

static const char *article_of(const char *why)
{
	if (strcmp(why, "legal-obligation") == 0)
		return "Art. 17(3)(b)";
	if (strcmp(why, "hold") == 0)
		return "Art. 17(3)(e)";
	return "Art. 5(1)(e)"; /* kept as the declared retention says */
}

static json_t *items_json(struct pdv_session *s, const struct pdv_cert_draft *d, bool erased,
                          const char *lang)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr && i < d->n; i++) {
		const struct pdv_cert_item *it = &d->items[i];
		const struct pdv_activity *a = pdv_vault_activity(s->vault, it->activity);
		const char *name = a ? pdv_text_get(&a->name, lang) : NULL;
		json_t *o;

		if ((strcmp(it->what, "erased") == 0) != erased)
			continue;
		o = json_pack("{s:s, s:o, s:I}", "activity", it->activity, "categories",
		              categories_of(a), "records", (json_int_t)it->records);
		json_object_set_new(o, "name", name && *name ? json_string(name) : json_null());
		if (!erased) {
			json_object_set_new(o, "why", json_string(it->why));
			json_object_set_new(o, "article", json_string(article_of(it->why)));
			json_object_set_new(o, "until", time_or_null(it->until));
		}
		json_array_append_new(arr, o);
	}
	return arr;
}

/* no control character in any string: the canonical form is then the same
 * whatever a serialiser's choice of escapes */
static bool json_plain(const json_t *v)
{
	const char *k;
	json_t *x;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_STRING:
		for (const char *p = json_string_value(v); *p; p++)
			if ((unsigned char)*p < 0x20)
				return false;
		return true;
	case JSON_OBJECT:
		json_object_foreach((json_t *)v, k, x) if (!json_plain(x)) return false;
		return true;
	case JSON_ARRAY:
		json_array_foreach(v, i, x) if (!json_plain(x)) return false;
		return true;
	case JSON_REAL:
		return false;
	default:
		return true;
	}
}

int pdv_certificate_make(struct pdv_session *s, const char *kind, const struct pdv_request_row *req,
                         const struct pdv_cert_draft *d, char ret_id[PDV_ID_MAX],
                         struct pdv_error *err)
{
	const struct pdv_decl *decl = s->vault->decl;
	const char *langs[1] = {"en"};
	struct pdv_certificate_row row = {0};
	struct notices n = {json_array(), decl, NULL, d->notice_lo, d->notice_hi};
	char id[PDV_ID_MAX];
	json_t *doc = NULL;
	char *body = NULL;
	int rc;

	pdv_decl_languages(decl, langs, 1);
	n.lang = langs[0];
	if (!n.arr)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if ((rc = key_ensure(s, err)) < 0)
		goto out;
	/* the Art. 19 notices: a request's are linked to it; a withdrawal's are
	 * those its transaction queued */
	if (req)
		rc = pdv_store_outbox_of_request(s->store, req->id, notice_json, &n, err);
	for (int64_t i = d->notice_lo + 1; !req && rc == 0 && i <= d->notice_hi; i++) {
		struct pdv_outbox_row o;

		if ((rc = pdv_store_outbox_get(s->store, i, &o, err)) == 0)
			rc = notice_json(&n, &o);
		else if (rc == PDV_E_NOTFOUND)
			rc = 0, pdv_error_clear(err);
	}
	if (rc != 0) {
		rc = rc < 0 && err && err->msg[0]
		         ? rc
		         : pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	pdv_random(row.tag, sizeof(row.tag));
	row.request_id = req ? req->id : 0;
	row.kind = kind;
	row.created_at = s->now;
	doc = json_pack("{s:s, s:i, s:s, s:s?, s:o, s:o, s:o, s:o}", "format",
	                "pdvault-deletion-certificate", "version", 1, "kind", kind, "controller",
	                decl->controller.name.s, "done_at", time_json_of(s->now), "erased",
	                items_json(s, d, true, n.lang), "kept", items_json(s, d, false, n.lang),
	                "recipients_told", n.arr);
	n.arr = NULL;
	if (!doc) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	if (req)
		json_object_set_new(
		    doc, "request",
		    json_pack("{s:s, s:s, s:s}", "reference", req->reference ? req->reference : "",
		              "kind", req->kind, "received", req->received ? req->received : ""));
	if (d->withdrawn[0])
		json_object_set_new(doc, "withdrawn", json_string(d->withdrawn));
	/* the id is the row's, known once inserted: insert, then set the body */
	row.body = (const uint8_t *)"{}";
	row.body_len = 2;
	if ((rc = pdv_store_certificate_insert(s->store, &row, err)) < 0)
		goto out;
	pdv_id_format(s->vault, 'd', row.id, row.tag, id);
	json_object_set_new(doc, "certificate", json_string(id));
	if (!json_plain(doc)) {
		rc = pdv_error_set(err, PDV_E_INVAL,
		                   "a name in the declaration holds a control character: no "
		                   "certificate can be made");
		goto out;
	}
	if (!(body = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS))) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	if ((rc = pdv_store_certificate_body_set(s->store, row.id, (const uint8_t *)body,
	                                         strlen(body), err)) < 0)
		goto out;
	pdv_strlcpy(ret_id, id, PDV_ID_MAX);
	rc = pdv_audit_append(s, "certificate", NULL, NULL, NULL, id, err);
out:
	free(body);
	json_decref(doc);
	json_decref(n.arr);
	return rc;
}

/* --- issuing: the stored body, signed with the current key --- */

static int sign_into(struct pdv_session *s, const uint8_t *body, size_t len, struct pdv_buf *ret,
                     struct pdv_error *err)
{
	struct pdv_secret *seed = NULL;
	char key_id[KEY_ID_HEX + 1], hex[2 * PDV_SIGN_LEN + 1];
	uint8_t sig[PDV_SIGN_LEN];
	int rc;

	if ((rc = key_current(s, &seed, key_id, err)) < 0 ||
	    (rc = pdv_sign(seed, body, len, sig, err)) < 0)
		goto out;
	pdv_hex(sig, sizeof(sig), hex);
	/* the envelope is canonical too: its keys in order, no whitespace */
	if (pdv_buf_puts(ret, "{\"algorithm\":\"Ed25519\",\"certificate\":") < 0 ||
	    pdv_buf_append(ret, body, len) < 0 ||
	    pdv_buf_printf(ret, ",\"key_id\":\"%s\",\"signature\":\"%s\"}", key_id, hex) < 0)
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
out:
	pdv_secret_free(seed);
	return rc;
}

/* the stored body of certificate id ('d' id), as first made, appended to ret */
static int body_of_id(struct pdv_session *s, const char *id, struct pdv_buf *ret,
                      struct pdv_error *err)
{
	struct pdv_certificate_row row;
	uint8_t tag[PDV_TAG_LEN];
	int64_t rid;

	if (pdv_id_parse(s, id, 'd', &rid, tag) < 0 ||
	    pdv_store_certificate_get(s->store, rid, &row, NULL) < 0 ||
	    !pdv_equal(row.tag, tag, PDV_TAG_LEN)) {
		pdv_error_set(err, PDV_E_NOTFOUND, "no certificate '%.*s'", PDV_UTF8_CUT(id, 40));
		pdv_error_field(err, "certificate");
		return PDV_E_NOTFOUND;
	}
	/* copied: the row is the store's until its next call (key_current's) */
	if (pdv_buf_append(ret, row.body, row.body_len) < 0)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	return 0;
}

int pdv_certificate_sign_id(struct pdv_session *s, const char *id, struct pdv_buf *ret,
                            struct pdv_error *err)
{
	struct pdv_buf body;
	int rc;

	pdv_buf_init(&body, 0);
	if ((rc = body_of_id(s, id, &body, err)) == 0)
		rc = sign_into(s, (const uint8_t *)body.data, body.len, ret, err);
	pdv_buf_release(&body);
	return rc;
}

/* the certificate which names ('d' id), or that of the request it names (id
 * or reference): its stored body appended to ret_body, its id. What an issue
 * signs and what a request's answer sums up: one reading for both */
static int certificate_find(struct pdv_session *s, const char *which, struct pdv_buf *ret_body,
                            char ret_id[PDV_ID_MAX], struct pdv_error *err)
{
	struct pdv_request_row req;
	struct pdv_certificate_row row;
	char id[PDV_ID_MAX];
	int rc;

	if (which && which[0] == 'd') {
		rc = body_of_id(s, which, ret_body, err);
		if (rc == 0)
			pdv_strlcpy(ret_id, which, PDV_ID_MAX);
		if (rc != PDV_E_NOTFOUND)
			return rc;
		pdv_error_clear(err);
	}
	if ((rc = pdv_request_row_find(s, which, &req, err)) < 0)
		return rc;
	rc = pdv_store_certificate_of_request(s->store, req.id, &row, err);
	if (rc == PDV_E_NOTFOUND) {
		pdv_error_clear(err);
		pdv_error_set(err, PDV_E_NOTFOUND,
		              "request %.*s has no certificate: only an erasure request closed "
		              "done has one",
		              PDV_UTF8_CUT(which, 40));
		pdv_error_field(err, "request");
		return PDV_E_NOTFOUND;
	}
	if (rc < 0)
		return rc;
	pdv_id_format(s->vault, 'd', row.id, row.tag, id);
	if ((rc = body_of_id(s, id, ret_body, err)) == 0)
		pdv_strlcpy(ret_id, id, PDV_ID_MAX);
	return rc;
}

int pdv_certificate_content(struct pdv_session *s, const char *which, struct pdv_buf *ret,
                            char ret_id[PDV_ID_MAX], struct pdv_error *err)
{
	int rc;

	ret_id[0] = '\0';
	if ((rc = pdv_vault_dpo_only(s, "a deletion certificate", err)) < 0)
		return rc;
	return certificate_find(s, which, ret, ret_id, err);
}

int pdv_certificate_issue(struct pdv_session *s, const char *which, struct pdv_buf *ret,
                          char ret_id[PDV_ID_MAX], struct pdv_error *err)
{
	char canon[PDV_ID_MAX];
	struct pdv_buf body;
	int rc;

	ret_id[0] = '\0';
	if ((rc = pdv_vault_dpo_only(s, "a deletion certificate", err)) < 0)
		return rc;
	pdv_buf_init(&body, 0);
	if ((rc = certificate_find(s, which, &body, ret_id, err)) == 0)
		rc = sign_into(s, (const uint8_t *)body.data, body.len, ret, err);
	pdv_buf_release(&body);
	if (rc < 0)
		return rc;
	/* a re-issue is on the log: who had the certificate again, and when */
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = pdv_audit_append(s, "certificate-issue", NULL, NULL, NULL,
	                           pdv_id_canon(s, 'd', ret_id, canon), err)) < 0) {
		pdv_session_tx_rollback(s);
		return rc;
	}
	return pdv_session_tx_commit(s, err);
}

int pdv_consent_withdraw_certified(struct pdv_session *s, const char *subject, const char *activity,
                                   struct pdv_consent_out *out, struct pdv_buf *ret_certificate,
                                   struct pdv_error *err)
{
	struct pdv_cert_draft d = {0};
	char id[PDV_ID_MAX] = "";
	int rc;

	s->cert = &d;
	rc = pdv_consent(s, subject, activity, false, out, err);
	s->cert = NULL;
	pdv_strlcpy(id, d.made, sizeof(id));
	pdv_cert_draft_release(&d);
	if (rc < 0)
		return rc;
	return id[0] ? pdv_certificate_sign_id(s, id, ret_certificate, err) : 0;
}
