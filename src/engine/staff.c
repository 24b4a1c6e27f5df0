/*
 * staff.c — staff accounts, their invitations and enrolment, sign-in with a
 * passphrase and a TOTP code, and the sessions of the back office
 * (pdv/vault.h, docs/internals/auth.md).
 *
 * Invariants:
 *  - no secret is stored in clear: the passphrase as an Argon2id string, the
 *    TOTP secret and the email address sealed under the statistics key bound
 *    to the account's name, the invitation token, the session id and the
 *    recovery codes as keyed hashes (the index key); the CSRF token is a
 *    keyed hash of the session id, never stored;
 *  - Argon2id never runs here under a write transaction: the caller hashes
 *    and verifies (pdv_staff_passphrase_hash/_verify) on a thread of its own;
 *  - a TOTP step is accepted once (totp_step), a recovery code once (its
 *    hash zeroed);
 *  - every refusal of a sign-in is the same answer; failures are counted
 *    and committed even though the call refuses.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine-internal.h"
#include "pdv/b64url.h"

#define SECRET_BYTES 32
#define RECOVERY_CHARS 12
#define RECOVERY_LEN (PDV_STAFF_RECOVERY * PDV_HASH_LEN)

/* ---- names, keyed hashes, sealing ---- */

static bool name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (n == 0 || n > 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("._-@", name[i]))
			return false;
	return true;
}

static void keyed(const struct pdv_session *s, const char *label, const char *a, const char *b,
                  uint8_t out[PDV_HASH_LEN])
{
	const void *parts[3] = {label, a, b ? b : ""};
	size_t lens[3] = {strlen(label), strlen(a), b ? strlen(b) : 0};

	pdv_mac(s->vault->index_key, 3, parts, lens, out);
}

static void new_secret(char out[PDV_STAFF_SECRET_MAX])
{
	uint8_t raw[SECRET_BYTES];

	pdv_random(raw, sizeof(raw));
	pdv_b64url_encode(raw, sizeof(raw), out, PDV_STAFF_SECRET_MAX);
	pdv_wipe(raw, sizeof(raw));
}

static size_t bound_ad(const char *label, const char *name, uint8_t out[160])
{
	size_t a = strlen(label) + 1, b = strlen(name);

	memcpy(out, label, a); /* with its NUL */
	memcpy(out + a, name, b);
	return a + b;
}

/* the sealed form of m, bound to (label, name), in *ret (malloc) */
static int seal_bound(struct pdv_session *s, const char *label, const char *name, const void *m,
                      size_t n, uint8_t **ret, size_t *ret_len, struct pdv_error *err)
{
	uint8_t ad[160], *c = malloc(n + PDV_SEAL_OVERHEAD);
	int rc;

	if (!c)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if ((rc = pdv_seal(s->vault->stats_key, ad, bound_ad(label, name, ad), m, n, c, err)) < 0) {
		free(c);
		return rc;
	}
	*ret = c;
	*ret_len = n + PDV_SEAL_OVERHEAD;
	return 0;
}

/* opens c into out (room for c_len - PDV_SEAL_OVERHEAD + 1, NUL added) */
static int open_bound(struct pdv_session *s, const char *label, const char *name, const uint8_t *c,
                      size_t c_len, uint8_t *out, size_t room, struct pdv_error *err)
{
	uint8_t ad[160];
	int rc;

	if (!c || c_len <= PDV_SEAL_OVERHEAD || c_len - PDV_SEAL_OVERHEAD >= room)
		return pdv_error_set(err, PDV_E_INTEGRITY, "the account '%s' is damaged", name);
	if ((rc = pdv_open(s->vault->stats_key, ad, bound_ad(label, name, ad), c, c_len, out,
	                   err)) < 0)
		return rc;
	out[c_len - PDV_SEAL_OVERHEAD] = '\0';
	return 0;
}

/* ---- an account copied out of the store's buffers ---- */

struct account {
	char name[72];
	char role[72];
	char passphrase[PDV_STAFF_HASH_MAX];
	bool has_passphrase;
	uint8_t *email, *totp, *recovery;
	size_t email_len, totp_len, recovery_len;
	int64_t created_at, totp_step, invite_expires, failures, locked_until;
	uint8_t invite[PDV_HASH_LEN];
	bool has_invite;
};

static void account_release(struct account *a)
{
	free(a->email);
	free(a->totp);
	free(a->recovery);
	pdv_wipe(a, sizeof(*a));
}

static uint8_t *dup_blob(const uint8_t *p, size_t n, bool *fail)
{
	uint8_t *c;

	if (!p || !n)
		return NULL;
	if (!(c = malloc(n)))
		*fail = true;
	else
		memcpy(c, p, n);
	return c;
}

static int account_copy(const struct pdv_staff_row *r, struct account *a, struct pdv_error *err)
{
	bool fail = false;

	memset(a, 0, sizeof(*a));
	snprintf(a->name, sizeof(a->name), "%s", r->name ? r->name : "");
	snprintf(a->role, sizeof(a->role), "%s", r->role ? r->role : "");
	if (r->passphrase) {
		snprintf(a->passphrase, sizeof(a->passphrase), "%s", r->passphrase);
		a->has_passphrase = true;
	}
	a->email = dup_blob(r->email, r->email_len, &fail);
	a->email_len = a->email ? r->email_len : 0;
	a->totp = dup_blob(r->totp, r->totp_len, &fail);
	a->totp_len = a->totp ? r->totp_len : 0;
	a->recovery = dup_blob(r->recovery, r->recovery_len, &fail);
	a->recovery_len = a->recovery ? r->recovery_len : 0;
	a->created_at = r->created_at;
	a->totp_step = r->totp_step;
	a->invite_expires = r->invite_expires;
	a->failures = r->failures;
	a->locked_until = r->locked_until;
	if (r->invite_hash) {
		memcpy(a->invite, r->invite_hash, PDV_HASH_LEN);
		a->has_invite = true;
	}
	if (fail) {
		account_release(a);
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	}
	return 0;
}

static int account_get(struct pdv_session *s, const char *name, struct account *a,
                       struct pdv_error *err)
{
	struct pdv_staff_row r;
	int rc;

	if ((rc = pdv_store_staff_get(s->store, name, &r, err)) < 0)
		return rc;
	return account_copy(&r, a, err);
}

static int account_put(struct pdv_session *s, const struct account *a, struct pdv_error *err)
{
	struct pdv_staff_row r = {
	    .name = a->name,
	    .passphrase = a->has_passphrase ? a->passphrase : NULL,
	    .totp = a->totp,
	    .totp_len = a->totp_len,
	    .totp_step = a->totp_step,
	    .recovery = a->recovery,
	    .recovery_len = a->recovery_len,
	    .invite_hash = a->has_invite ? a->invite : NULL,
	    .invite_expires = a->invite_expires,
	    .failures = a->failures,
	    .locked_until = a->locked_until,
	};

	return pdv_store_staff_update(s->store, &r, err);
}

/* an audit entry whose actor is the account (staff:NAME) */
static int audit_as(struct pdv_session *s, const char *name, const char *action, const char *detail,
                    struct pdv_error *err)
{
	char actor[96], *was = s->actor;
	int rc;

	snprintf(actor, sizeof(actor), "staff:%s", name);
	s->actor = actor;
	rc = pdv_audit_append(s, action, NULL, NULL, NULL, detail, err);
	s->actor = was;
	return rc;
}

static int refused(struct pdv_error *err, const char *msg)
{
	pdv_error_set(err, PDV_E_REFUSED, "%s", msg);
	if (err)
		snprintf(err->code, sizeof(err->code), "unauthorized");
	return PDV_E_REFUSED;
}

/* ---- the invitation and its message ---- */

static int invite_ad(const uint8_t hash[PDV_HASH_LEN], uint8_t out[64])
{
	memcpy(out, "pdv-staff-invite", 17); /* with its NUL */
	memcpy(out + 17, hash, PDV_HASH_LEN);
	return 17 + PDV_HASH_LEN;
}

/* a new invitation for a: its hash set on a, the message queued */
static int invite(struct pdv_session *s, struct account *a, char ret[PDV_STAFF_SECRET_MAX],
                  struct pdv_error *err)
{
	uint8_t ad[64], *payload;
	size_t tlen;
	int rc;

	new_secret(ret);
	tlen = strlen(ret);
	keyed(s, "pdv-staff-invite", ret, NULL, a->invite);
	a->has_invite = true;
	a->invite_expires = s->now + PDV_STAFF_INVITE_TTL;
	if (!(payload = malloc(PDV_HASH_LEN + tlen + PDV_SEAL_OVERHEAD)))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	memcpy(payload, a->invite, PDV_HASH_LEN);
	if ((rc = pdv_seal(s->vault->stats_key, ad, (size_t)invite_ad(a->invite, ad), ret, tlen,
	                   payload + PDV_HASH_LEN, err)) == 0)
		rc = pdv_store_outbox_insert(s->store, "staff-invitation", NULL, 0, 0, payload,
		                             PDV_HASH_LEN + tlen + PDV_SEAL_OVERHEAD, s->now, NULL,
		                             err);
	free(payload);
	return rc;
}

int pdv_staff_message_open(struct pdv_session *s, const struct pdv_outbox_row *row,
                           struct pdv_outbound *m, struct pdv_error *err)
{
	struct pdv_staff_row r;
	struct account a = {0};
	uint8_t ad[64], hash[PDV_HASH_LEN], email[320];
	size_t n;
	int rc;

	m->channel = PDV_OUTBOUND_NONE;
	snprintf(m->why_not, sizeof(m->why_not), "expired");
	if (!row->payload || row->payload_len <= PDV_HASH_LEN + PDV_SEAL_OVERHEAD ||
	    (n = row->payload_len - PDV_HASH_LEN - PDV_SEAL_OVERHEAD) >= sizeof(m->token))
		return pdv_error_set(err, PDV_E_INVAL, "outbox message %lld is damaged",
		                     (long long)row->id);
	memcpy(hash, row->payload, PDV_HASH_LEN);
	rc = pdv_store_staff_by_invite(s->store, hash, &r, err);
	if (rc == PDV_E_NOTFOUND) { /* used, or replaced by a reset: nothing to send */
		pdv_error_clear(err);
		return 0;
	}
	if (rc < 0 || (rc = account_copy(&r, &a, err)) < 0)
		return rc;
	if (a.invite_expires <= s->now || !a.email)
		goto out;
	if ((rc = pdv_open(s->vault->stats_key, ad, (size_t)invite_ad(hash, ad),
	                   row->payload + PDV_HASH_LEN, row->payload_len - PDV_HASH_LEN,
	                   (uint8_t *)m->token, err)) < 0)
		goto out;
	m->token[n] = '\0';
	if ((rc = open_bound(s, "pdv-staff-email", a.name, a.email, a.email_len, email,
	                     sizeof(email), err)) < 0)
		goto out;
	n = strlen((char *)email);
	if (!(m->to = pdv_secure_alloc(n + 1))) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	memcpy(m->to, email, n + 1);
	snprintf(m->staff_name, sizeof(m->staff_name), "%s", a.name);
	snprintf(m->staff_role, sizeof(m->staff_role), "%s", a.role);
	m->expires = a.invite_expires;
	m->channel = PDV_OUTBOUND_EMAIL;
	m->why_not[0] = '\0';
out:
	pdv_wipe(email, sizeof(email));
	account_release(&a);
	return rc;
}

/* ---- staff add, reset, remove, list ---- */

static bool email_ok(const char *e)
{
	size_t n = e ? strlen(e) : 0;
	const char *at = e ? strchr(e, '@') : NULL;

	if (n < 3 || n > 254 || !at || at == e || !at[1] || strchr(at + 1, '@'))
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)e[i] <= ' ' || e[i] == 0x7f)
			return false;
	return true;
}

int pdv_staff_add(struct pdv_session *s, const char *name, const char *role, const char *email,
                  char ret_invite[PDV_STAFF_SECRET_MAX], struct pdv_error *err)
{
	struct account a = {0};
	struct pdv_staff_row r = {0};
	int rc;

	ret_invite[0] = '\0';
	if (!name_ok(name)) {
		pdv_error_set(err, PDV_E_INVAL,
		              "an account's name is 1 to 64 letters, digits or . _ - @");
		return pdv_error_field(err, "name"), PDV_E_INVAL;
	}
	if (!role || !pdv_vault_role_declared(s->vault->decl, role)) {
		pdv_error_set(err, PDV_E_INVAL, "role '%.*s' is not declared",
		              PDV_UTF8_CUT(role ? role : "", 64));
		return pdv_error_field(err, "role"), PDV_E_INVAL;
	}
	if (!email_ok(email)) {
		pdv_error_set(err, PDV_E_INVAL, "--email is not an email address");
		return pdv_error_field(err, "email"), PDV_E_INVAL;
	}
	snprintf(a.name, sizeof(a.name), "%s", name);
	if ((rc = seal_bound(s, "pdv-staff-email", name, email, strlen(email), &a.email,
	                     &a.email_len, err)) < 0)
		goto out;
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		goto out;
	if ((rc = invite(s, &a, ret_invite, err)) < 0)
		goto rollback;
	r.name = name;
	r.role = role;
	r.email = a.email;
	r.email_len = a.email_len;
	r.created_at = s->now;
	r.invite_hash = a.invite;
	r.invite_expires = a.invite_expires;
	if ((rc = pdv_store_staff_insert(s->store, &r, err)) < 0) {
		if (rc == PDV_E_REFUSED)
			pdv_error_field(err, "name");
		goto rollback;
	}
	if ((rc = pdv_audit_append(s, "staff-add", NULL, NULL, NULL, role, err)) < 0)
		goto rollback;
	rc = pdv_session_tx_commit(s, err);
	goto out;
rollback:
	pdv_session_tx_rollback(s);
out:
	if (rc < 0)
		pdv_wipe(ret_invite, PDV_STAFF_SECRET_MAX);
	account_release(&a);
	return rc;
}

int pdv_staff_reset(struct pdv_session *s, const char *name, char ret_invite[PDV_STAFF_SECRET_MAX],
                    struct pdv_error *err)
{
	struct account a = {0};
	int rc;

	ret_invite[0] = '\0';
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = account_get(s, name, &a, err)) < 0)
		goto rollback;
	a.has_passphrase = false;
	free(a.totp);
	free(a.recovery);
	a.totp = a.recovery = NULL;
	a.totp_len = a.recovery_len = 0;
	a.totp_step = 0;
	a.failures = 0;
	a.locked_until = 0;
	if ((rc = invite(s, &a, ret_invite, err)) < 0 || (rc = account_put(s, &a, err)) < 0 ||
	    (rc = pdv_store_staff_sessions_end(s->store, name, NULL, err)) < 0 ||
	    (rc = pdv_audit_append(s, "staff-reset", NULL, NULL, NULL, name, err)) < 0)
		goto rollback;
	rc = pdv_session_tx_commit(s, err);
	goto out;
rollback:
	pdv_session_tx_rollback(s);
out:
	if (rc < 0)
		pdv_wipe(ret_invite, PDV_STAFF_SECRET_MAX);
	if (rc == PDV_E_NOTFOUND)
		pdv_error_field(err, "name");
	account_release(&a);
	return rc;
}

int pdv_staff_remove(struct pdv_session *s, const char *name, struct pdv_error *err)
{
	int rc;

	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = pdv_store_staff_sessions_end(s->store, name, NULL, err)) < 0 ||
	    (rc = pdv_store_staff_delete(s->store, name, err)) < 0 ||
	    (rc = pdv_audit_append(s, "staff-remove", NULL, NULL, NULL, name, err)) < 0) {
		pdv_session_tx_rollback(s);
		if (rc == PDV_E_NOTFOUND)
			pdv_error_field(err, "name");
		return rc;
	}
	return pdv_session_tx_commit(s, err);
}

struct list_ctx {
	pdv_staff_info_cb cb;
	void *ctx;
	pdv_time_t now;
};

static int list_one(void *ctx, const struct pdv_staff_row *r)
{
	struct list_ctx *l = ctx;
	struct pdv_staff_info i = {
	    .name = r->name,
	    .role = r->role,
	    .created_at = r->created_at,
	    .enrolled = r->passphrase && r->totp,
	    .invite_expires = r->invite_hash && r->invite_expires > l->now ? r->invite_expires : 0,
	    .locked_until = r->locked_until > l->now ? r->locked_until : 0,
	};

	return l->cb(l->ctx, &i);
}

int pdv_staff_list(struct pdv_session *s, pdv_staff_info_cb cb, void *ctx, struct pdv_error *err)
{
	struct list_ctx l = {cb, ctx, s->now};

	return pdv_store_staff_each(s->store, list_one, &l, err);
}

/* ---- enrolment ---- */

void pdv_enrolment_release(struct pdv_enrolment *e)
{
	if (!e)
		return;
	pdv_buf_release(&e->qr);
	pdv_wipe(e, sizeof(*e));
}

/* the account an invitation names, still valid */
static int by_invite(struct pdv_session *s, const char *invite, struct account *a,
                     struct pdv_error *err)
{
	struct pdv_staff_row r;
	uint8_t hash[PDV_HASH_LEN];
	int rc;

	if (!invite || strlen(invite) < 20 || strlen(invite) >= PDV_STAFF_SECRET_MAX)
		return refused(err, "this invitation is not valid (used, replaced or expired)");
	keyed(s, "pdv-staff-invite", invite, NULL, hash);
	rc = pdv_store_staff_by_invite(s->store, hash, &r, err);
	if (rc == PDV_E_NOTFOUND || (rc == 0 && (r.invite_expires <= s->now || !r.invite_hash ||
	                                         !pdv_equal(r.invite_hash, hash, PDV_HASH_LEN))))
		return refused(err, "this invitation is not valid (used, replaced or expired)");
	if (rc < 0)
		return rc;
	return account_copy(&r, a, err);
}

static void otpauth_uri(const char *name, const char *secret, char out[256])
{
	snprintf(out, 256,
	         "otpauth://totp/pdvault:%s?secret=%s&issuer=pdvault&algorithm=SHA1&digits=%d"
	         "&period=%d",
	         name, secret, PDV_TOTP_DIGITS, PDV_TOTP_STEP);
}

int pdv_staff_enrol_start(struct pdv_session *s, const char *invite, struct pdv_enrolment *ret,
                          struct pdv_error *err)
{
	struct account a = {0};
	uint8_t secret[PDV_TOTP_SECRET_LEN + 1];
	int rc;

	memset(ret, 0, sizeof(*ret));
	pdv_buf_init(&ret->qr, 64 * 1024);
	pdv_buf_set_secret(&ret->qr);
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = by_invite(s, invite, &a, err)) < 0)
		goto rollback;
	if (a.totp) { /* shown before: the same secret, the app may have it */
		if ((rc = open_bound(s, "pdv-staff-totp", a.name, a.totp, a.totp_len, secret,
		                     sizeof(secret), err)) < 0)
			goto rollback;
	} else {
		pdv_random(secret, PDV_TOTP_SECRET_LEN);
		if ((rc = seal_bound(s, "pdv-staff-totp", a.name, secret, PDV_TOTP_SECRET_LEN,
		                     &a.totp, &a.totp_len, err)) < 0 ||
		    (rc = account_put(s, &a, err)) < 0)
			goto rollback;
	}
	snprintf(ret->name, sizeof(ret->name), "%s", a.name);
	snprintf(ret->role, sizeof(ret->role), "%s", a.role);
	pdv_base32(secret, PDV_TOTP_SECRET_LEN, ret->secret);
	otpauth_uri(a.name, ret->secret, ret->uri);
	if ((rc = pdv_qr_svg(ret->uri, &ret->qr, err)) < 0)
		goto rollback;
	rc = pdv_session_tx_commit(s, err);
	goto out;
rollback:
	pdv_session_tx_rollback(s);
out:
	pdv_wipe(secret, sizeof(secret));
	account_release(&a);
	if (rc < 0)
		pdv_enrolment_release(ret);
	return rc;
}

/* is code the TOTP code of a step after the last one taken, around now?
 * the step in *ret_step */
static int totp_check(struct pdv_session *s, const struct account *a, const char *code,
                      int64_t *ret_step, bool *ret_ok, struct pdv_error *err)
{
	uint8_t secret[PDV_TOTP_SECRET_LEN + 1];
	char want[PDV_TOTP_DIGITS + 1];
	int64_t now_step = s->now / PDV_TOTP_STEP;
	int rc;

	*ret_ok = false;
	if ((rc = open_bound(s, "pdv-staff-totp", a->name, a->totp, a->totp_len, secret,
	                     sizeof(secret), err)) < 0)
		return rc;
	for (int64_t step = now_step - 1; step <= now_step + 1 && !*ret_ok; step++) {
		if (step <= a->totp_step)
			continue;
		if ((rc = pdv_totp_code(secret, PDV_TOTP_SECRET_LEN, step, want, err)) < 0)
			break;
		if (pdv_equal(want, code, PDV_TOTP_DIGITS)) {
			*ret_ok = true;
			*ret_step = step;
		}
	}
	pdv_wipe(secret, sizeof(secret));
	pdv_wipe(want, sizeof(want));
	return rc;
}

static bool is_totp(const char *code)
{
	if (!code || strlen(code) != PDV_TOTP_DIGITS)
		return false;
	for (int i = 0; i < PDV_TOTP_DIGITS; i++)
		if (!isdigit((unsigned char)code[i]))
			return false;
	return true;
}

/* a recovery code without its dashes and spaces, in lower case */
static bool recovery_norm(const char *code, char out[RECOVERY_CHARS + 1])
{
	size_t k = 0;

	for (const char *p = code; p && *p; p++) {
		if (*p == '-' || *p == ' ')
			continue;
		if (k == RECOVERY_CHARS || !isalnum((unsigned char)*p))
			return false;
		out[k++] = (char)tolower((unsigned char)*p);
	}
	out[k] = '\0';
	return k == RECOVERY_CHARS;
}

int pdv_staff_enrol_finish(struct pdv_session *s, const char *invite, const char *pass_hash,
                           const char *code, char ret_codes[PDV_STAFF_RECOVERY][PDV_STAFF_CODE_MAX],
                           struct pdv_error *err)
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
	struct account a = {0};
	int64_t step = 0;
	bool ok = false;
	int rc;

	memset(ret_codes, 0, PDV_STAFF_RECOVERY * PDV_STAFF_CODE_MAX);
	if (!pass_hash || !*pass_hash || strlen(pass_hash) >= PDV_STAFF_HASH_MAX) {
		pdv_error_set(err, PDV_E_INVAL, "a passphrase is needed");
		return pdv_error_field(err, "passphrase"), PDV_E_INVAL;
	}
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = by_invite(s, invite, &a, err)) < 0)
		goto rollback;
	if (!a.totp) {
		rc = pdv_error_set(err, PDV_E_INVAL, "the authenticator was not shown yet");
		pdv_error_field(err, "code");
		goto rollback;
	}
	if (is_totp(code) && (rc = totp_check(s, &a, code, &step, &ok, err)) < 0)
		goto rollback;
	if (!ok) {
		rc = pdv_error_set(err, PDV_E_INVAL,
		                   "the code is not the authenticator's current one");
		pdv_error_field(err, "code");
		goto rollback;
	}
	free(a.recovery);
	if (!(a.recovery = calloc(1, RECOVERY_LEN))) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto rollback;
	}
	a.recovery_len = RECOVERY_LEN;
	for (int i = 0; i < PDV_STAFF_RECOVERY; i++) {
		uint8_t raw[RECOVERY_CHARS];
		char plain[RECOVERY_CHARS + 1];

		pdv_random(raw, sizeof(raw));
		for (int k = 0; k < RECOVERY_CHARS; k++)
			plain[k] = alphabet[raw[k] % (sizeof(alphabet) - 1)];
		plain[RECOVERY_CHARS] = '\0';
		keyed(s, "pdv-staff-recovery", a.name, plain, a.recovery + i * PDV_HASH_LEN);
		snprintf(ret_codes[i], PDV_STAFF_CODE_MAX, "%.4s-%.4s-%.4s", plain, plain + 4,
		         plain + 8);
		pdv_wipe(raw, sizeof(raw));
		pdv_wipe(plain, sizeof(plain));
	}
	snprintf(a.passphrase, sizeof(a.passphrase), "%s", pass_hash);
	a.has_passphrase = true;
	a.has_invite = false;
	a.invite_expires = 0;
	a.totp_step = step;
	a.failures = 0;
	a.locked_until = 0;
	if ((rc = account_put(s, &a, err)) < 0 ||
	    (rc = audit_as(s, a.name, "staff-enrol", NULL, err)) < 0)
		goto rollback;
	rc = pdv_session_tx_commit(s, err);
	goto out;
rollback:
	pdv_session_tx_rollback(s);
out:
	if (rc < 0)
		pdv_wipe(ret_codes, PDV_STAFF_RECOVERY * PDV_STAFF_CODE_MAX);
	account_release(&a);
	return rc;
}

/* ---- passphrases (any thread) ---- */

int pdv_staff_passphrase_hash(const char *pass, size_t len, char ret[PDV_STAFF_HASH_MAX],
                              struct pdv_error *err)
{
	size_t chars = 0;

	ret[0] = '\0';
	if (!pass || len > PDV_STAFF_PASS_MAX || !pdv_utf8_valid(pass, len)) {
		pdv_error_set(err, PDV_E_INVAL,
		              "the passphrase is not valid text of at most %d bytes",
		              PDV_STAFF_PASS_MAX);
		return pdv_error_field(err, "passphrase"), PDV_E_INVAL;
	}
	for (size_t i = 0; i < len; i++) /* characters, not bytes */
		chars += ((unsigned char)pass[i] & 0xc0) != 0x80;
	if (chars < PDV_STAFF_PASS_MIN) {
		pdv_error_set(err, PDV_E_INVAL, "the passphrase needs at least %d characters",
		              PDV_STAFF_PASS_MIN);
		return pdv_error_field(err, "passphrase"), PDV_E_INVAL;
	}
	return pdv_pwhash(pass, len, ret, err);
}

bool pdv_staff_passphrase_verify(const char *hash, const char *pass, size_t len)
{
	if (!pass || len > PDV_STAFF_PASS_MAX)
		return false;
	return pdv_pwhash_verify(hash && *hash ? hash : pdv_pwhash_dummy(), pass, len) && hash &&
	       *hash;
}

/* ---- sign-in and sessions ---- */

int pdv_staff_signin_hash(struct pdv_session *s, const char *name, char ret[PDV_STAFF_HASH_MAX],
                          struct pdv_error *err)
{
	struct pdv_staff_row r;
	int rc;

	ret[0] = '\0';
	if (!name_ok(name))
		return 0;
	rc = pdv_store_staff_get(s->store, name, &r, err);
	if (rc == PDV_E_NOTFOUND) {
		pdv_error_clear(err);
		return 0;
	}
	if (rc < 0)
		return rc;
	if (r.passphrase)
		snprintf(ret, PDV_STAFF_HASH_MAX, "%s", r.passphrase);
	return 0;
}

static void session_hash(const struct pdv_session *s, const char *sid, uint8_t out[PDV_HASH_LEN])
{
	keyed(s, "pdv-staff-session", sid, NULL, out);
}

static void csrf_of(const struct pdv_session *s, const char *sid, char out[PDV_STAFF_SECRET_MAX])
{
	uint8_t mac[PDV_HASH_LEN];

	keyed(s, "pdv-staff-csrf", sid, NULL, mac);
	pdv_b64url_encode(mac, sizeof(mac), out, PDV_STAFF_SECRET_MAX);
	pdv_wipe(mac, sizeof(mac));
}

void pdv_staff_session_csrf(struct pdv_session *s, const char *session,
                            char ret[PDV_STAFF_SECRET_MAX])
{
	csrf_of(s, session, ret);
}

/* a recovery code of a: its slot, or -1 */
static int recovery_find(const struct pdv_session *s, const struct account *a, const char *code)
{
	static const uint8_t zero[PDV_HASH_LEN];
	char norm[RECOVERY_CHARS + 1];
	uint8_t h[PDV_HASH_LEN];
	int found = -1;

	if (!a->recovery || a->recovery_len != RECOVERY_LEN || !recovery_norm(code, norm))
		return -1;
	keyed(s, "pdv-staff-recovery", a->name, norm, h);
	for (int i = 0; i < PDV_STAFF_RECOVERY; i++) {
		const uint8_t *slot = a->recovery + i * PDV_HASH_LEN;

		if (!pdv_equal(slot, zero, PDV_HASH_LEN) && pdv_equal(slot, h, PDV_HASH_LEN))
			found = i;
	}
	pdv_wipe(norm, sizeof(norm));
	return found;
}

int pdv_staff_signin(struct pdv_session *s, const char *name, bool passphrase_ok, const char *code,
                     struct pdv_signin *ret, struct pdv_error *err)
{
	static const char why[] = "the name, the passphrase or the code is wrong, or the account "
	                          "is locked for a while after too many failures";
	struct account a = {0};
	uint8_t hash[PDV_HASH_LEN];
	int64_t step = 0;
	bool code_ok = false;
	int slot = -1, rc;

	memset(ret, 0, sizeof(*ret));
	if (!name_ok(name))
		return refused(err, why);
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	rc = account_get(s, name, &a, err);
	if (rc == PDV_E_NOTFOUND) {
		pdv_session_tx_rollback(s);
		account_release(&a);
		return refused(err, why);
	}
	if (rc < 0)
		goto rollback;
	if (a.locked_until > s->now || !a.has_passphrase || !a.totp) {
		/* locked: even the right answer waits; not enrolled: nothing opens */
		pdv_session_tx_rollback(s);
		account_release(&a);
		return refused(err, why);
	}
	if (passphrase_ok && is_totp(code)) {
		if ((rc = totp_check(s, &a, code, &step, &code_ok, err)) < 0)
			goto rollback;
	} else if (passphrase_ok && code && (slot = recovery_find(s, &a, code)) >= 0) {
		code_ok = true;
	}
	if (!code_ok) {
		if (++a.failures >= PDV_STAFF_LOCK_FAILURES) {
			a.failures = 0;
			a.locked_until = s->now + PDV_STAFF_LOCK_SECONDS;
		}
		if ((rc = account_put(s, &a, err)) < 0 ||
		    (rc = audit_as(s, a.name,
		                   a.locked_until > s->now ? "staff-locked" : "signin-failed", NULL,
		                   err)) < 0 ||
		    (rc = pdv_session_tx_commit(s, err)) < 0)
			goto rollback;
		account_release(&a);
		return refused(err, why);
	}
	if (slot >= 0)
		memset(a.recovery + slot * PDV_HASH_LEN, 0, PDV_HASH_LEN);
	else
		a.totp_step = step;
	a.failures = 0;
	new_secret(ret->session);
	csrf_of(s, ret->session, ret->csrf);
	session_hash(s, ret->session, hash);
	if ((rc = account_put(s, &a, err)) < 0 ||
	    (rc = pdv_store_staff_session_insert(s->store, hash, a.name, s->now, err)) < 0 ||
	    (rc = audit_as(s, a.name, "signin", slot >= 0 ? "recovery-code" : "totp", err)) < 0)
		goto rollback;
	if ((rc = pdv_session_tx_commit(s, err)) < 0)
		goto out;
	snprintf(ret->staff.name, sizeof(ret->staff.name), "%s", a.name);
	snprintf(ret->staff.role, sizeof(ret->staff.role), "%s", a.role);
	snprintf(ret->staff.scope, sizeof(ret->staff.scope), "all");
	ret->expires = s->now + PDV_STAFF_ABSOLUTE;
	goto out;
rollback:
	pdv_session_tx_rollback(s);
out:
	if (rc < 0)
		pdv_wipe(ret, sizeof(*ret));
	account_release(&a);
	return rc;
}

int pdv_staff_session_check(struct pdv_session *s, const char *session, const char *csrf,
                            bool need_csrf, struct pdv_staff *ret, struct pdv_error *err)
{
	struct pdv_staff_session_row row;
	struct pdv_staff_row acc;
	uint8_t hash[PDV_HASH_LEN];
	char want[PDV_STAFF_SECRET_MAX], name[72];
	pdv_time_t seen;
	int rc;

	memset(ret, 0, sizeof(*ret));
	if (!session || strlen(session) < 20 || strlen(session) >= PDV_STAFF_SECRET_MAX)
		return refused(err, "the session has ended: sign in again");
	session_hash(s, session, hash);
	rc = pdv_store_staff_session_get(s->store, hash, &row, err);
	if (rc == PDV_E_NOTFOUND)
		return refused(err, "the session has ended: sign in again");
	if (rc < 0)
		return rc;
	snprintf(name, sizeof(name), "%s", row.name);
	seen = row.seen_at;
	if (s->now - row.seen_at >= PDV_STAFF_IDLE ||
	    s->now - row.created_at >= PDV_STAFF_ABSOLUTE) {
		if ((rc = pdv_session_tx_begin(s, err)) < 0)
			return rc;
		if ((rc = pdv_store_staff_session_delete(s->store, hash, err)) < 0 ||
		    (rc = pdv_session_tx_commit(s, err)) < 0) {
			pdv_session_tx_rollback(s);
			return rc;
		}
		return refused(err, "the session has ended: sign in again");
	}
	if (need_csrf) {
		csrf_of(s, session, want);
		if (!csrf || strlen(csrf) != strlen(want) || !pdv_equal(csrf, want, strlen(want))) {
			pdv_wipe(want, sizeof(want));
			pdv_error_set(err, PDV_E_REFUSED,
			              "a signed-in change needs the header X-CSRF-Token");
			if (err)
				snprintf(err->code, sizeof(err->code), "csrf");
			return PDV_E_REFUSED;
		}
		pdv_wipe(want, sizeof(want));
	}
	if ((rc = pdv_store_staff_get(s->store, name, &acc, err)) < 0)
		return rc == PDV_E_NOTFOUND ? refused(err, "the session has ended: sign in again")
		                            : rc;
	snprintf(ret->name, sizeof(ret->name), "%s", acc.name);
	snprintf(ret->role, sizeof(ret->role), "%s", acc.role);
	snprintf(ret->scope, sizeof(ret->scope), "all");
	/* the idle clock, kept to the minute: not a write per request */
	if (s->now - seen >= 60) {
		if ((rc = pdv_session_tx_begin(s, err)) < 0)
			return rc;
		if ((rc = pdv_store_staff_session_seen(s->store, hash, s->now, err)) < 0 ||
		    (rc = pdv_session_tx_commit(s, err)) < 0) {
			pdv_session_tx_rollback(s);
			return rc;
		}
	}
	return 0;
}

int pdv_staff_signout(struct pdv_session *s, const char *session, bool everywhere,
                      struct pdv_error *err)
{
	struct pdv_staff_session_row row;
	uint8_t hash[PDV_HASH_LEN];
	char name[72];
	int rc;

	if (!session || strlen(session) >= PDV_STAFF_SECRET_MAX)
		return refused(err, "the session has ended: sign in again");
	session_hash(s, session, hash);
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	rc = pdv_store_staff_session_get(s->store, hash, &row, err);
	if (rc == PDV_E_NOTFOUND) {
		pdv_session_tx_rollback(s);
		return refused(err, "the session has ended: sign in again");
	}
	if (rc < 0)
		goto rollback;
	snprintf(name, sizeof(name), "%s", row.name);
	if ((rc = everywhere ? pdv_store_staff_sessions_end(s->store, name, NULL, err)
	                     : pdv_store_staff_session_delete(s->store, hash, err)) < 0 ||
	    (rc = audit_as(s, name, everywhere ? "signout-everywhere" : "signout", NULL, err)) < 0)
		goto rollback;
	return pdv_session_tx_commit(s, err);
rollback:
	pdv_session_tx_rollback(s);
	return rc;
}

int pdv_staff_account(struct pdv_session *s, const char *name, struct pdv_staff *ret,
                      struct pdv_error *err)
{
	struct pdv_staff_row r;
	int rc;

	memset(ret, 0, sizeof(*ret));
	if (!name_ok(name))
		return refused(err, "the proxy named no account of this vault");
	rc = pdv_store_staff_get(s->store, name, &r, err);
	if (rc == PDV_E_NOTFOUND)
		return refused(err, "the proxy named no account of this vault");
	if (rc < 0)
		return rc;
	snprintf(ret->name, sizeof(ret->name), "%s", r.name);
	snprintf(ret->role, sizeof(ret->role), "%s", r.role);
	snprintf(ret->scope, sizeof(ret->scope), "all");
	return 0;
}
