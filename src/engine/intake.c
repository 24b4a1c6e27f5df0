/*
 * intake.c — the public side of the vault: identity checks by a one-time
 * code, consent sessions, the consent states of a person, and the counts of
 * records the back office shows.
 *
 * A check: the person gives an address and what they want (a request kind,
 * or "consents"); a random 6-digit code goes to the address through the
 * outbox (sealed), the address is kept sealed beside a keyed hash of the
 * code, and the answer is the check's id. The code comes back with the id
 * within PDV_VERIFY_TTL, in at most PDV_VERIFY_ATTEMPTS tries. An address
 * nobody in the vault has gets a code too: the intake tells no one who is
 * in it.
 */
#include <stdlib.h>
#include <string.h>

#include "engine-internal.h"

#define CODE_DIGITS 6

static void code_hash(struct pdv_session *s, const uint8_t tag[PDV_TAG_LEN], const char *code,
                      uint8_t out[PDV_HASH_LEN])
{
	const void *parts[3] = {"verification", tag, code};
	size_t lens[3] = {12, PDV_TAG_LEN, strlen(code)};

	pdv_mac(s->vault->index_key, 3, parts, lens, out);
}

static void random_code(char out[CODE_DIGITS + 1])
{
	uint32_t r;

	do /* uniform: reject the top of the range */
		pdv_random(&r, sizeof(r));
	while (r >= 4000000000u);
	for (int i = CODE_DIGITS - 1; i >= 0; i--, r /= 10)
		out[i] = (char)('0' + r % 10);
	out[CODE_DIGITS] = '\0';
	pdv_wipe(&r, sizeof(r));
}

/* associated data of a sealed address or message: what, and the check's
 * random tag (known before the row's id) */
static size_t intake_ad(const char *what, const uint8_t tag[PDV_TAG_LEN], uint8_t *out)
{
	size_t a = strlen(what) + 1;

	memcpy(out, what, a);
	memcpy(out + a, tag, PDV_TAG_LEN);
	return a + PDV_TAG_LEN;
}

/* fr, en, or NULL (the declaration's first); anything else refused */
static int lang_check(const char *lang, struct pdv_error *err)
{
	if (lang && strcmp(lang, "fr") != 0 && strcmp(lang, "en") != 0) {
		pdv_error_set(err, PDV_E_INVAL, "lang is fr or en");
		pdv_error_field(err, "lang");
		return PDV_E_INVAL;
	}
	return 0;
}

/* a check: its row, with the address and the payload sealed, and the
 * message (address, code) queued in the outbox as `kind`, in lang */
static int check_start(struct pdv_session *s, const char *purpose, const char *kind,
                       const char *norm, const uint8_t *payload, size_t plen, const char *lang,
                       char ret_id[PDV_ID_MAX], pdv_time_t *ret_expires, struct pdv_error *err)
{
	struct pdv_verification_row row = {0};
	char code[CODE_DIGITS + 1];
	uint8_t ad[32], *addr = NULL, *sealed = NULL, *msg = NULL, *sealed_payload = NULL;
	size_t nlen = strlen(norm), mlen = nlen + 1 + CODE_DIGITS;
	int rc;

	ret_id[0] = '\0';
	random_code(code);
	pdv_random(row.tag, PDV_TAG_LEN);
	if (!(addr = malloc(nlen + PDV_SEAL_OVERHEAD)) ||
	    !(sealed = malloc(mlen + PDV_SEAL_OVERHEAD)) || !(msg = pdv_secure_alloc(mlen)) ||
	    (payload && !(sealed_payload = malloc(plen + PDV_SEAL_OVERHEAD)))) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	/* the message to deliver: the address, NUL, the code */
	memcpy(msg, norm, nlen);
	msg[nlen] = '\0';
	memcpy(msg + nlen + 1, code, CODE_DIGITS);
	if ((rc = pdv_seal(s->vault->stats_key, ad, intake_ad("verification", row.tag, ad), norm,
	                   nlen, addr, err)) < 0 ||
	    (rc = pdv_seal(s->vault->stats_key, ad, intake_ad("outbox", row.tag, ad), msg, mlen,
	                   sealed, err)) < 0 ||
	    (payload && (rc = pdv_seal(s->vault->stats_key, ad, intake_ad("payload", row.tag, ad),
	                               payload, plen, sealed_payload, err)) < 0))
		goto out;
	code_hash(s, row.tag, code, row.code_hash);
	row.purpose = purpose;
	row.lang = lang;
	row.address = addr;
	row.address_len = nlen + PDV_SEAL_OVERHEAD;
	row.payload = sealed_payload;
	row.payload_len = payload ? plen + PDV_SEAL_OVERHEAD : 0;
	row.created_at = s->now;
	row.expires_at = s->now + PDV_VERIFY_TTL;
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		goto out;
	if ((rc = pdv_store_verifications_purge(s->store, s->now, PDV_VERIFY_TTL, err)) < 0 ||
	    (rc = pdv_store_verification_insert(s->store, &row, err)) < 0)
		goto fail;
	pdv_id_canonical('v', row.id, row.tag, ret_id); /* the outbox keeps it so */
	if ((kind &&
	     (rc = pdv_store_outbox_insert(s->store, kind, ret_id, 0, 0, sealed,
	                                   mlen + PDV_SEAL_OVERHEAD, s->now, lang, err)) < 0) ||
	    (rc = pdv_audit_append(s, "verification-start", NULL, NULL, NULL, purpose, err)) < 0)
		goto fail;
	if ((rc = pdv_session_tx_commit(s, err)) < 0)
		goto out;
	pdv_id_format(s->vault, 'v', row.id, row.tag, ret_id);
	if (ret_expires)
		*ret_expires = row.expires_at;
	goto out;
fail:
	pdv_session_tx_rollback(s);
out:
	if (rc < 0)
		ret_id[0] = '\0';
	pdv_wipe(code, sizeof(code));
	free(addr);
	free(sealed);
	free(sealed_payload);
	pdv_secure_free(msg);
	return rc;
}

int pdv_intake_check_start(struct pdv_session *s, const char *purpose, const char *kind,
                           const char *norm, const uint8_t *payload, size_t plen,
                           char ret_id[PDV_ID_MAX], pdv_time_t *ret_expires, struct pdv_error *err)
{
	return check_start(s, purpose, kind, norm, payload, plen, NULL, ret_id, ret_expires, err);
}

int pdv_verification_start(struct pdv_session *s, const char *purpose, const char *email,
                           const char *lang, char ret_id[PDV_ID_MAX], pdv_time_t *ret_expires,
                           struct pdv_error *err)
{
	char norm[320];
	int rc;

	ret_id[0] = '\0';
	if ((rc = lang_check(lang, err)) < 0)
		return rc;
	if (!purpose || (strcmp(purpose, "consents") != 0 && !pdv_request_kind_known(purpose))) {
		pdv_error_set(err, PDV_E_INVAL, "unknown request kind '%.*s'",
		              PDV_UTF8_CUT(purpose ? purpose : "", 40));
		pdv_error_field(err, "kind");
		return PDV_E_INVAL;
	}
	if (!email || pdv_normalise_email(email, strlen(email), norm, sizeof(norm)) < 0) {
		pdv_error_set(err, PDV_E_INVAL, "not an email address");
		pdv_error_field(err, "email");
		return PDV_E_INVAL;
	}
	rc = check_start(s, purpose, "verification", norm, NULL, 0, lang, ret_id, ret_expires, err);
	pdv_wipe(norm, sizeof(norm));
	return rc;
}

int pdv_email_index(struct pdv_session *s, const char *email, uint8_t ret[32],
                    struct pdv_error *err)
{
	struct pdv_lookup lk = {.kind = "email"};

	if (!email || pdv_normalise_email(email, strlen(email), lk.value, sizeof(lk.value)) < 0) {
		pdv_error_set(err, PDV_E_INVAL, "not an email address");
		pdv_error_field(err, "email");
		return PDV_E_INVAL;
	}
	pdv_lookup_hash(s->vault, &lk, ret);
	pdv_wipe(lk.value, sizeof(lk.value));
	return 0;
}

int pdv_verification_decoy(struct pdv_session *s, const char *purpose, char ret_id[PDV_ID_MAX],
                           pdv_time_t *ret_expires, struct pdv_error *err)
{
	uint8_t tag[PDV_TAG_LEN];
	uint32_t id;
	int rc;

	ret_id[0] = '\0';
	if (!purpose || (strcmp(purpose, "consents") != 0 && !pdv_request_kind_known(purpose))) {
		pdv_error_set(err, PDV_E_INVAL, "unknown request kind '%.*s'",
		              PDV_UTF8_CUT(purpose ? purpose : "", 40));
		pdv_error_field(err, "kind");
		return PDV_E_INVAL;
	}
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = pdv_audit_append(s, "verification-limited", NULL, NULL, NULL, purpose, err)) <
	    0) {
		pdv_session_tx_rollback(s);
		return rc;
	}
	if ((rc = pdv_session_tx_commit(s, err)) < 0)
		return rc;
	pdv_random(&id, sizeof(id));
	pdv_random(tag, PDV_TAG_LEN);
	pdv_id_format(s->vault, 'v', (int64_t)(id >> 8) + 1, tag, ret_id);
	if (ret_expires)
		*ret_expires = s->now + PDV_VERIFY_TTL;
	return 0;
}

int pdv_verify_send_take(struct pdv_session *s, const uint8_t index[32], unsigned per_hour,
                         bool *ret_ok, struct pdv_error *err)
{
	int rc;

	*ret_ok = true;
	if (!per_hour)
		return 0;
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		goto out;
	if ((rc = pdv_store_verify_send_take(s->store, index, s->now, s->now - 3600, per_hour,
	                                     ret_ok, err)) < 0 ||
	    (rc = pdv_session_tx_commit(s, err)) < 0)
		pdv_session_tx_rollback(s);
out:
	if (rc < 0)
		*ret_ok = false;
	return rc;
}

bool pdv_vault_double_opt_in(const struct pdv_vault *v, const char *activity)
{
	const struct pdv_activity *a = activity ? pdv_vault_activity(v, activity) : NULL;

	return a && a->consent.double_opt_in.present && a->consent.double_opt_in.v;
}

/* the waiting submission: activity NUL, then per field name NUL, 4-byte
 * little-endian length, value */
static int payload_pack(const struct pdv_collect_in *in, uint8_t **ret, size_t *ret_len)
{
	size_t n = strlen(in->activity) + 1, at = 0;
	uint8_t *p;

	for (size_t i = 0; i < in->n_fields; i++) {
		if (in->fields[i].len > UINT32_MAX)
			return PDV_E_LIMIT;
		n += strlen(in->fields[i].name) + 1 + 4 + in->fields[i].len;
	}
	if (!(p = pdv_secure_alloc(n)))
		return PDV_E_NOMEM;
	memcpy(p, in->activity, strlen(in->activity) + 1);
	at = strlen(in->activity) + 1;
	for (size_t i = 0; i < in->n_fields; i++) {
		size_t k = strlen(in->fields[i].name) + 1;
		uint32_t len = (uint32_t)in->fields[i].len;

		memcpy(p + at, in->fields[i].name, k);
		at += k;
		for (int b = 0; b < 4; b++)
			p[at++] = (uint8_t)(len >> (8 * b));
		memcpy(p + at, in->fields[i].value, len);
		at += len;
	}
	*ret = p;
	*ret_len = n;
	return 0;
}

int pdv_optin_start(struct pdv_session *s, const struct pdv_collect_in *in, char ret_id[PDV_ID_MAX],
                    pdv_time_t *ret_expires, struct pdv_error *err)
{
	const struct pdv_activity *a = pdv_vault_activity(s->vault, in->activity);
	const struct pdv_input_field **by_decl = NULL;
	struct pdv_lookup lk[2];
	size_t n_lk = 0, plen = 0;
	uint8_t *payload = NULL;
	const char *email = NULL;
	int rc;

	ret_id[0] = '\0';
	if (!a) {
		pdv_error_set(err, PDV_E_NOTFOUND, "no activity '%.*s' in the declaration",
		              PDV_UTF8_CUT(in->activity, 64));
		pdv_error_field(err, "activity");
		return PDV_E_NOTFOUND;
	}
	if (pdv_lint_activity_has_error(&s->vault->lint, s->vault->decl, a->id.s)) {
		pdv_error_set(err, PDV_E_REFUSED, "activity '%s' has lint errors", a->id.s);
		pdv_error_field(err, "activity");
		return PDV_E_REFUSED;
	}
	if (!in->consent) {
		pdv_error_set(err, PDV_E_REFUSED, "activity '%s' is based on consent: tick the box",
		              a->id.s);
		pdv_error_field(err, "consent");
		if (err)
			pdv_strlcpy(err->code, "consent_required", sizeof(err->code));
		return PDV_E_REFUSED;
	}
	if (!(by_decl = calloc(a->n_fields ? a->n_fields : 1, sizeof(*by_decl))))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	rc = pdv_collect_validate(s->vault, a, in->fields, in->n_fields, by_decl, lk, &n_lk, err);
	free(by_decl);
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < n_lk; i++)
		if (strcmp(lk[i].kind, "email") == 0)
			email = lk[i].value;
	if (!email) {
		rc = pdv_error_set(err, PDV_E_REFUSED,
		                   "activity '%s' asks for a double opt-in but has no email lookup "
		                   "field to confirm it by",
		                   a->id.s);
		goto out;
	}
	if ((rc = payload_pack(in, &payload, &plen)) < 0) {
		pdv_error_set(err, rc, "the submission is too large");
		goto out;
	}
	if ((rc = lang_check(in->lang, err)) < 0)
		goto out;
	rc = check_start(s, "opt-in", "confirmation", email, payload, plen, in->lang, ret_id,
	                 ret_expires, err);
out:
	pdv_wipe(lk, sizeof(lk));
	pdv_secure_free(payload);
	return rc;
}

int pdv_optin_collect(struct pdv_session *s, const struct pdv_verified *ok,
                      struct pdv_collect_out *out, struct pdv_error *err)
{
	struct pdv_input_field f[PDV_PLAIN_MAX];
	struct pdv_collect_in in = {.consent = true, .channel = "web (double opt-in)"};
	const uint8_t *p = ok->payload, *end = ok->payload + ok->payload_len;
	size_t n = 0;

	if (!p || strcmp(ok->purpose, "opt-in") != 0 || !memchr(p, 0, (size_t)(end - p)))
		return pdv_error_set(err, PDV_E_INTERNAL, "no submission waits for this check");
	in.activity = (const char *)p;
	p += strlen(in.activity) + 1;
	while (p < end) {
		const uint8_t *nul = memchr(p, 0, (size_t)(end - p));
		uint32_t len = 0;

		if (!nul || end - (nul + 1) < 4 || n == PDV_PLAIN_MAX)
			return pdv_error_set(err, PDV_E_INTERNAL,
			                     "the waiting submission is damaged");
		f[n].name = (const char *)p;
		p = nul + 1;
		for (int b = 0; b < 4; b++)
			len |= (uint32_t)p[b] << (8 * b);
		p += 4;
		if ((size_t)(end - p) < len)
			return pdv_error_set(err, PDV_E_INTERNAL,
			                     "the waiting submission is damaged");
		f[n].value = (const char *)p;
		f[n].len = len;
		p += len;
		n++;
	}
	in.fields = f;
	in.n_fields = n;
	in.lang = ok->lang[0] ? ok->lang : NULL; /* the form's, kept with the check */
	return pdv_collect(s, &in, out, err);
}

int pdv_intake_purge(struct pdv_session *s, struct pdv_error *err)
{
	int rc;

	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = pdv_store_verifications_purge(s->store, s->now, PDV_VERIFY_TTL, err)) < 0) {
		pdv_session_tx_rollback(s);
		return rc;
	}
	return pdv_session_tx_commit(s, err);
}

void pdv_verified_release(struct pdv_verified *r)
{
	pdv_secure_free(r->email);
	pdv_secure_free(r->payload);
	r->email = NULL;
	r->payload = NULL;
}

int pdv_verification_check(struct pdv_session *s, const char *id, const char *code,
                           struct pdv_verified *ret, struct pdv_error *err)
{
	struct pdv_verification_row row;
	uint8_t tag[PDV_TAG_LEN], hash[PDV_HASH_LEN], ad[32];
	int64_t rid;
	const char *result;
	int rc;

	memset(ret, 0, sizeof(*ret));
	if (pdv_id_parse(s, id, 'v', &rid, tag) < 0) {
		pdv_error_set(err, PDV_E_NOTFOUND, "no identity check '%.*s'",
		              PDV_UTF8_CUT(id ? id : "", 40));
		pdv_error_field(err, "verification");
		return PDV_E_NOTFOUND;
	}
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = pdv_store_verification_get(s->store, rid, &row, err)) < 0 ||
	    !pdv_equal(row.tag, tag, PDV_TAG_LEN)) {
		if (rc == 0 || rc == PDV_E_NOTFOUND) {
			pdv_error_set(err, PDV_E_NOTFOUND, "no identity check '%.*s'",
			              PDV_UTF8_CUT(id, 40));
			pdv_error_field(err, "verification");
			rc = PDV_E_NOTFOUND;
		}
		goto fail;
	}
	pdv_strlcpy(ret->purpose, row.purpose, sizeof(ret->purpose));
	pdv_strlcpy(ret->lang, row.lang ? row.lang : "", sizeof(ret->lang));
	code_hash(s, tag, code ? code : "", hash);
	if (row.used_at || row.expires_at <= s->now || row.attempts >= PDV_VERIFY_ATTEMPTS) {
		ret->result = PDV_VERIFY_EXPIRED;
	} else if (!code || strlen(code) != CODE_DIGITS ||
	           !pdv_equal(hash, row.code_hash, PDV_HASH_LEN)) {
		ret->result = PDV_VERIFY_WRONG;
		ret->attempts_left = PDV_VERIFY_ATTEMPTS - row.attempts - 1;
		if (ret->attempts_left <= 0)
			ret->result = PDV_VERIFY_EXPIRED;
	} else {
		ret->result = PDV_VERIFY_OK;
		if (row.address_len <= PDV_SEAL_OVERHEAD ||
		    !(ret->email = pdv_secure_alloc(row.address_len - PDV_SEAL_OVERHEAD + 1))) {
			rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
			goto fail;
		}
		if ((rc = pdv_open(s->vault->stats_key, ad, intake_ad("verification", tag, ad),
		                   row.address, row.address_len, (uint8_t *)ret->email, err)) < 0)
			goto fail;
		ret->email[row.address_len - PDV_SEAL_OVERHEAD] = '\0';
		if (row.payload && row.payload_len > PDV_SEAL_OVERHEAD) {
			ret->payload_len = row.payload_len - PDV_SEAL_OVERHEAD;
			if (!(ret->payload = pdv_secure_alloc(ret->payload_len))) {
				rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
				goto fail;
			}
			if ((rc = pdv_open(s->vault->stats_key, ad, intake_ad("payload", tag, ad),
			                   row.payload, row.payload_len, ret->payload, err)) < 0)
				goto fail;
		}
	}
	result = ret->result == PDV_VERIFY_OK      ? "ok"
	         : ret->result == PDV_VERIFY_WRONG ? "wrong code"
	                                           : "expired";
	/* a wrong code is counted (committed): the tries are limited */
	if ((rc = pdv_store_verification_update(s->store, rid, row.attempts + 1,
	                                        ret->result == PDV_VERIFY_OK ? s->now : 0, err)) <
	        0 ||
	    (rc = pdv_audit_append(s, "verification-check", NULL, NULL, NULL, result, err)) < 0)
		goto fail;
	if ((rc = pdv_session_tx_commit(s, err)) < 0)
		goto fail_released;
	return 0;
fail:
	pdv_session_tx_rollback(s);
fail_released:
	pdv_verified_release(ret);
	return rc;
}

/*
 * The 16-byte MAC of a signed token (consent session, unsubscribe link):
 * keyed by the index key over a label of its kind and the raw bytes it signs,
 * so a token of one kind never passes for the other.
 */
static void token_mac(struct pdv_session *s, const char *label, const uint8_t *raw, size_t n,
                      uint8_t out[16])
{
	const void *parts[2] = {label, raw};
	size_t lens[2] = {strlen(label), n};
	uint8_t full[PDV_HASH_LEN];

	pdv_mac(s->vault->index_key, 2, parts, lens, full);
	memcpy(out, full, 16);
}

/* --- consent sessions: 'c' + base64url(id 8 | tag 8 | expiry 8 | mac 16) --- */

#define SESSION_RAW 40

static void session_mac(struct pdv_session *s, const uint8_t raw[24], uint8_t out[16])
{
	token_mac(s, "consent-session", raw, 24, out);
}

static void put64(uint8_t *p, uint64_t x)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(x >> (56 - 8 * i));
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t x = 0;

	for (int i = 0; i < 8; i++)
		x = x << 8 | p[i];
	return x;
}

int pdv_consent_session_make(struct pdv_session *s, const char *subject, pdv_time_t expires,
                             char ret[PDV_CONSENT_SESSION_MAX], struct pdv_error *err)
{
	uint8_t raw[SESSION_RAW], tag[PDV_TAG_LEN];
	int64_t id;

	ret[0] = '\0';
	if (pdv_id_parse(s, subject, 's', &id, tag) < 0)
		return pdv_error_set(err, PDV_E_INVAL, "not a subject id");
	/* the number the shown id carries, never the row id */
	put64(raw, pdv_id_permute(s->vault->index_key, 's', (uint64_t)id));
	memcpy(raw + 8, tag, PDV_TAG_LEN);
	put64(raw + 16, (uint64_t)expires);
	session_mac(s, raw, raw + 24);
	ret[0] = 'c';
	pdv_b64url_encode(raw, sizeof(raw), ret + 1, PDV_CONSENT_SESSION_MAX - 1);
	return 0;
}

int pdv_consent_session_check(struct pdv_session *s, const char *token,
                              char ret_subject[PDV_ID_MAX], struct pdv_error *err)
{
	uint8_t raw[SESSION_RAW], mac[16], id[PDV_TAG_LEN + 8];

	ret_subject[0] = '\0';
	if (!token || token[0] != 'c' || pdv_b64url_decode(token + 1, raw, sizeof(raw)) < 0)
		goto refused;
	session_mac(s, raw, mac);
	if (!pdv_equal(mac, raw + 24, 16) || (pdv_time_t)get64(raw + 16) <= s->now)
		goto refused;
	/* the subject id spelt with the number the session carries: the shown
	 * form, or the row id of a session made before ids were permuted (both
	 * resolve) */
	memcpy(id, raw + 8, PDV_TAG_LEN);
	memcpy(id + PDV_TAG_LEN, raw, 8);
	ret_subject[0] = 's';
	pdv_b64url_encode(id, sizeof(id), ret_subject + 1, PDV_ID_MAX - 1);
	return 0;
refused:
	pdv_error_set(err, PDV_E_REFUSED, "the session is not valid or has expired");
	pdv_error_field(err, "session");
	if (err)
		pdv_strlcpy(err->code, "session", sizeof(err->code));
	return PDV_E_REFUSED;
}

/* --- the consent states of a subject --- */

struct consent_state {
	char activity[128];
	char state[16];
	char version[64];
	bool has_version;
	int64_t at;
};

struct states {
	struct consent_state *v;
	size_t n, cap;
};

static int keep_state(void *ctx, const struct pdv_consent_row *r)
{
	struct states *s = ctx;
	struct consent_state *c = NULL;

	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].activity, r->activity) == 0)
			c = &s->v[i];
	if (!c) {
		if (s->n == s->cap) {
			size_t cap = s->cap ? 2 * s->cap : 8;
			struct consent_state *p = realloc(s->v, cap * sizeof(*p));

			if (!p)
				return PDV_E_NOMEM;
			s->v = p;
			s->cap = cap;
		}
		c = &s->v[s->n++];
		memset(c, 0, sizeof(*c));
		pdv_strlcpy(c->activity, r->activity, sizeof(c->activity));
	}
	/* rows come in ledger order: the last one is the state */
	pdv_strlcpy(c->state, r->state, sizeof(c->state));
	c->has_version = r->version != NULL;
	pdv_strlcpy(c->version, r->version ? r->version : "", sizeof(c->version));
	c->at = r->at;
	return 0;
}

int pdv_consents_of(struct pdv_session *s, const char *subject, pdv_consent_state_cb cb, void *ctx,
                    struct pdv_error *err)
{
	char canon[PDV_ID_MAX];
	struct pdv_subject_row row;
	struct pdv_rows seen = {0};
	struct states st = {0};
	int rc;

	subject = pdv_id_canon(s, 's', subject, canon); /* what binds and is logged */

	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = pdv_vault_subject_scope(s, subject, &row, &seen, err)) == 0 &&
	    (rc = pdv_store_consents_of_subject(s->store, row.id, keep_state, &st, err)) == 0)
		rc = pdv_audit_append(s, "consents-read", subject, NULL, NULL, NULL, err);
	pdv_rows_release(&seen);
	if (rc < 0) {
		pdv_session_tx_rollback(s);
		free(st.v);
		return rc == PDV_E_NOMEM ? pdv_error_set(err, rc, "out of memory") : rc;
	}
	if ((rc = pdv_session_tx_commit(s, err)) < 0) {
		free(st.v);
		return rc;
	}
	for (size_t i = 0; i < st.n && rc == 0; i++) {
		/* the consents of activities the role may not name are not its to see */
		if (!pdv_vault_may_name(s, pdv_vault_activity(s->vault, st.v[i].activity)))
			continue;
		rc = cb(ctx, st.v[i].activity, st.v[i].state, st.v[i].at,
		        st.v[i].has_version ? st.v[i].version : NULL);
	}
	free(st.v);
	return rc < 0 ? rc : 0;
}

/* --- the consent history of a subject --- */

struct history_item {
	char activity[128];
	char what[12];
	char version[64];
	bool has_version;
	char channel[80];
	int64_t at, record_id;
	uint8_t record_tag[PDV_TAG_LEN];
	bool has_record;
	size_t order; /* ties on `at` keep the ledger's order */
};

struct history {
	struct history_item *v;
	size_t n, cap;
	const struct pdv_rows *rows; /* the subject's records the role sees */
	const char *record_activity; /* events_of_record: the record's activity */
	int64_t record_id;
	const uint8_t *record_tag;
};

static struct history_item *history_push(struct history *h)
{
	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 16;
		struct history_item *p = realloc(h->v, cap * sizeof(*p));

		if (!p)
			return NULL;
		h->v = p;
		h->cap = cap;
	}
	memset(&h->v[h->n], 0, sizeof(h->v[0]));
	h->v[h->n].order = h->n;
	return &h->v[h->n++];
}

static int history_ledger(void *ctx, const struct pdv_consent_row *r)
{
	struct history *h = ctx;
	struct history_item *it = history_push(h);

	if (!it)
		return PDV_E_NOMEM;
	pdv_strlcpy(it->activity, r->activity, sizeof(it->activity));
	pdv_strlcpy(it->what, r->state, sizeof(it->what));
	it->has_version = r->version != NULL;
	pdv_strlcpy(it->version, r->version ? r->version : "", sizeof(it->version));
	pdv_strlcpy(it->channel, r->channel ? r->channel : "", sizeof(it->channel));
	it->at = r->at;
	/* the record, when it is still one the role sees (an ended one has no id to show) */
	for (size_t i = 0; r->record_id && h->rows && i < h->rows->n; i++)
		if (h->rows->v[i].id == r->record_id) {
			it->has_record = true;
			it->record_id = r->record_id;
			memcpy(it->record_tag, h->rows->v[i].tag, PDV_TAG_LEN);
		}
	return 0;
}

static int history_renewal(void *ctx, const struct pdv_event_row *e)
{
	struct history *h = ctx;
	struct history_item *it;

	if (strcmp(e->name, "renewed") != 0)
		return 0;
	if (!(it = history_push(h)))
		return PDV_E_NOMEM;
	pdv_strlcpy(it->activity, h->record_activity, sizeof(it->activity));
	pdv_strlcpy(it->what, "renewed", sizeof(it->what));
	/* the person's renewal link (the server acts as api:public), or who
	 * recorded the event for them (staff as api:NAME, the command line) */
	pdv_strlcpy(it->channel,
	            !e->actor || strcmp(e->actor, "api:public") == 0 ? "renewal link" : e->actor,
	            sizeof(it->channel));
	it->at = e->at;
	it->has_record = true;
	it->record_id = h->record_id;
	memcpy(it->record_tag, h->record_tag, PDV_TAG_LEN);
	return 0;
}

static int history_cmp(const void *a, const void *b)
{
	const struct history_item *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

int pdv_consent_history(struct pdv_session *s, const char *subject, pdv_consent_event_cb cb,
                        void *ctx, struct pdv_error *err)
{
	char canon[PDV_ID_MAX];
	struct pdv_subject_row row;
	struct pdv_rows seen = {0};
	struct history h = {0};
	int rc;

	subject = pdv_id_canon(s, 's', subject, canon); /* what binds and is logged */

	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = pdv_vault_subject_scope(s, subject, &row, &seen, err)) == 0) {
		h.rows = &seen;
		rc = pdv_store_consents_of_subject(s->store, row.id, history_ledger, &h, err);
	}
	for (size_t i = 0; rc == 0 && i < seen.n; i++) {
		const struct pdv_activity *a = pdv_vault_activity(s->vault, seen.v[i].activity);

		if (!a || !a->consent.version.s) {
			bool consent = false;

			for (size_t b = 0; a && a->basis.present && b < a->basis.n; b++)
				consent |=
				    a->basis.v[b].s && strcmp(a->basis.v[b].s, "consent") == 0;
			if (!consent)
				continue;
		}
		h.record_activity = seen.v[i].activity;
		h.record_id = seen.v[i].id;
		h.record_tag = seen.v[i].tag;
		rc = pdv_store_events_of_record(s->store, seen.v[i].id, history_renewal, &h, err);
	}
	if (rc == 0)
		rc = pdv_audit_append(s, "consents-read", subject, NULL, NULL, NULL, err);
	pdv_rows_release(&seen);
	if (rc < 0) {
		pdv_session_tx_rollback(s);
		free(h.v);
		return rc == PDV_E_NOMEM ? pdv_error_set(err, rc, "out of memory") : rc;
	}
	if ((rc = pdv_session_tx_commit(s, err)) < 0) {
		free(h.v);
		return rc;
	}
	if (h.n)
		qsort(h.v, h.n, sizeof(h.v[0]), history_cmp);
	for (size_t i = 0; i < h.n && rc == 0; i++) {
		struct pdv_consent_event e = {
		    .activity = h.v[i].activity,
		    .what = h.v[i].what,
		    .at = h.v[i].at,
		    .version = h.v[i].has_version ? h.v[i].version : NULL,
		    .channel = h.v[i].channel,
		};

		/* the consents of activities the role may not name are not its to see */
		if (!pdv_vault_may_name(s, pdv_vault_activity(s->vault, h.v[i].activity)))
			continue;
		if (h.v[i].has_record)
			pdv_id_format(s->vault, 'r', h.v[i].record_id, h.v[i].record_tag, e.record);
		rc = cb(ctx, &e);
	}
	free(h.v);
	return rc < 0 ? rc : 0;
}

/* --- counts for the back office and /metrics --- */

struct summary_ctx {
	struct pdv_session *s;
	pdv_summary_cb cb;
	void *ctx;
};

static int summary_one(void *ctx, const char *activity, const char *phase, int64_t count,
                       int64_t ending)
{
	struct summary_ctx *c = ctx;
	struct pdv_record_row probe = {.activity = activity, .phase = phase};

	if (!pdv_vault_may_read(c->s, &probe))
		return 0;
	return c->cb(c->ctx, activity, phase, count, ending);
}

int pdv_records_summary(struct pdv_session *s, pdv_time_t window_end, pdv_summary_cb cb, void *ctx,
                        struct pdv_error *err)
{
	struct summary_ctx c = {s, cb, ctx};

	return pdv_store_records_summary(s->store, s->now, window_end, summary_one, &c, err);
}

int pdv_intake_message_open(struct pdv_session *s, const struct pdv_outbox_row *row, char **ret_to,
                            char **ret_code, struct pdv_error *err)
{
	uint8_t tag[PDV_TAG_LEN], ad[32], *msg = NULL;
	char *code = NULL;
	int64_t vid;
	size_t n, alen;
	int rc;

	if ((strcmp(row->kind, "verification") != 0 && strcmp(row->kind, "confirmation") != 0) ||
	    !row->recipient || pdv_id_parse_canonical(row->recipient, 'v', &vid, tag) < 0 ||
	    row->payload_len <= PDV_SEAL_OVERHEAD)
		return pdv_error_set(err, PDV_E_INVAL,
		                     "outbox message %lld carries no message to open (kind %s)",
		                     (long long)row->id, row->kind);
	n = row->payload_len - PDV_SEAL_OVERHEAD;
	if (!(msg = pdv_secure_alloc(n + 1)) || !(code = pdv_secure_alloc(CODE_DIGITS + 1))) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto fail;
	}
	if ((rc = pdv_open(s->vault->stats_key, ad, intake_ad("outbox", tag, ad), row->payload,
	                   row->payload_len, msg, err)) < 0)
		goto fail;
	msg[n] = '\0';
	alen = strlen((char *)msg);
	if (alen + 1 + CODE_DIGITS != n) {
		rc = pdv_error_set(err, PDV_E_INTERNAL, "outbox message %lld is damaged",
		                   (long long)row->id);
		goto fail;
	}
	memcpy(code, msg + alen + 1, CODE_DIGITS);
	code[CODE_DIGITS] = '\0';
	msg[alen] = '\0'; /* the address alone */
	*ret_to = (char *)msg;
	*ret_code = code;
	return 0;
fail:
	pdv_secure_free(msg);
	pdv_secure_free(code);
	return rc;
}

int pdv_outbox_open(struct pdv_session *s, int64_t id, pdv_outbox_message_cb cb, void *ctx,
                    struct pdv_error *err)
{
	struct pdv_outbox_row row;
	char *to = NULL, *code = NULL;
	int rc;

	if ((rc = pdv_vault_dpo_only(s, "the outbox", err)) < 0)
		return rc;
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = pdv_store_outbox_get(s->store, id, &row, err)) < 0)
		goto fail;
	if (strcmp(row.status, "sent") == 0) {
		rc = pdv_error_set(err, PDV_E_NOTFOUND,
		                   "outbox message %lld was sent: its content is gone",
		                   (long long)id);
		goto fail;
	}
	if ((rc = pdv_intake_message_open(s, &row, &to, &code, err)) < 0)
		goto fail;
	if ((rc = pdv_audit_append(s, "outbox-read", NULL, NULL, NULL, row.kind, err)) < 0 ||
	    (rc = pdv_session_tx_commit(s, err)) < 0)
		goto fail;
	rc = cb(ctx, row.kind, to, code);
	pdv_secure_free(to);
	pdv_secure_free(code);
	return rc;
fail:
	pdv_session_tx_rollback(s);
	pdv_secure_free(to);
	pdv_secure_free(code);
	return rc;
}

/* --- unsubscribe links: 'u' + base64url(tag 8 | record id 8 | mac 16) --- */

#define LINK_RAW 32

static void link_mac(struct pdv_session *s, const uint8_t raw[16], uint8_t out[16])
{
	token_mac(s, "unsubscribe-link", raw, 16, out);
}

int pdv_link_make(struct pdv_session *s, const char *record, char ret[PDV_LINK_MAX],
                  struct pdv_error *err)
{
	uint8_t raw[LINK_RAW], tag[PDV_TAG_LEN];
	int64_t id;
	int rc;

	ret[0] = '\0';
	if ((rc = pdv_id_parse(s, record, 'r', &id, tag)) < 0) {
		/* a well-formed id of no record: as a record that has ended */
		if (rc == PDV_E_NOTFOUND)
			pdv_error_set(err, rc, "no record '%.*s'", PDV_UTF8_CUT(record, 40));
		else
			pdv_error_set(err, rc, "not a record id");
		pdv_error_field(err, "record");
		return rc;
	}
	memcpy(raw, tag, PDV_TAG_LEN); /* the random part first, as in ids */
	put64(raw + 8,
	      pdv_id_permute(s->vault->index_key, 'r', (uint64_t)id)); /* as the shown id */
	link_mac(s, raw, raw + 16);
	ret[0] = 'u';
	pdv_b64url_encode(raw, sizeof(raw), ret + 1, PDV_LINK_MAX - 1);
	return 0;
}

int pdv_link_record(struct pdv_session *s, const char *token, struct pdv_link_info *ret,
                    struct pdv_error *err)
{
	uint8_t raw[LINK_RAW], mac[16], tag[PDV_TAG_LEN];
	char rid[PDV_ID_MAX];
	struct pdv_record_row r;
	struct pdv_subject_row srow;
	int64_t id;
	int rc;

	memset(ret, 0, sizeof(*ret));
	if (!token || token[0] != 'u' || pdv_b64url_decode(token + 1, raw, sizeof(raw)) < 0)
		goto bad;
	link_mac(s, raw, mac);
	if (!pdv_equal(mac, raw + 16, 16))
		goto bad;
	/* tag | number: the id the link names, shown (or, made before ids were
	 * permuted, canonical); a signed link whose record has ended: nothing
	 * left to withdraw */
	rid[0] = 'r';
	pdv_b64url_encode(raw, PDV_TAG_LEN + 8, rid + 1, sizeof(rid) - 1);
	if (pdv_id_parse(s, rid, 'r', &id, tag) < 0)
		return 0;
	rc = pdv_vault_record_get(s, id, &r, err);
	if (rc == PDV_E_NOTFOUND || (rc == 0 && !pdv_equal(r.tag, raw, PDV_TAG_LEN))) {
		pdv_error_clear(err);
		return 0;
	}
	/* a record the role may not see is told as one that has ended */
	if (rc == 0 && !pdv_vault_may_read(s, &r))
		return 0;
	if (rc < 0)
		return rc;
	pdv_strlcpy(ret->activity, r.activity, sizeof(ret->activity));
	pdv_id_format(s->vault, 'r', r.id, r.tag, ret->record);
	if ((rc = pdv_store_subject_get(s->store, r.subject_id, &srow, err)) < 0)
		return rc;
	pdv_id_format(s->vault, 's', srow.id, srow.tag, ret->subject);
	ret->live = true;
	return 0;
bad:
	pdv_error_set(err, PDV_E_REFUSED, "this link is not valid");
	pdv_error_field(err, "t");
	if (err)
		pdv_strlcpy(err->code, "link", sizeof(err->code));
	return PDV_E_REFUSED;
}
