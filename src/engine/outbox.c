/*
 * outbox.c — delivery of the outbox: claiming a message under a lease,
 * opening it for the worker that sends it, recording the outcome with its
 * retry schedule, requeueing a failed message, and the recipients' webhook
 * secrets.
 *
 * Invariants:
 *  - a claim is a write transaction of its own that leases up to a batch of
 *    messages to one worker (owner, until): two workers, in one process or
 *    several, never hold one message at once; a lease that expires (a worker
 *    killed) makes the message due again, so it is sent at least once, never
 *    lost; the outcomes of a batch are recorded in one transaction too, each
 *    only if the lease is still the worker's;
 *  - what is opened for sending (an address, a code, a secret) is in sodium
 *    memory and wiped by pdv_outbound_release; the outcome recorded is a
 *    code ("smtp-451"), never a value;
 *  - a sent message's payload is set to NULL in the same transaction that
 *    marks it sent (the store zeroes freed pages: secure_delete);
 *  - a claim or an outcome appends no audit entry, so the worker's session
 *    never moves the audit head (the server's writer keeps the one head);
 *    a retry and a secret made by staff are audited.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine-internal.h"

static const char *default_lang(const struct pdv_vault *v)
{
	const struct pdv_strlist *l = &v->decl->controller.languages;

	return l->n && l->v[0].s ? l->v[0].s : "en";
}

static char *secure_strdup(const char *src, size_t n)
{
	char *p = pdv_secure_alloc(n + 1);

	if (p) {
		memcpy(p, src, n);
		p[n] = '\0';
	}
	return p;
}

void pdv_outbound_release(struct pdv_outbound *m)
{
	if (!m)
		return;
	pdv_secure_free(m->to);
	pdv_secure_free(m->code);
	pdv_secure_free(m->secret);
	pdv_secure_free(m->reasons);
	pdv_secure_free(m->nature);
	pdv_secure_free(m->consequences);
	pdv_secure_free(m->measures);
	pdv_secure_free(m->digest);
	free(m->attachment);
	memset(m, 0, sizeof(*m));
}

static bool is_notice(const char *kind)
{
	return strcmp(kind, "rectification") == 0 || strcmp(kind, "erasure") == 0 ||
	       strcmp(kind, "restriction") == 0;
}

/* associated data of a recipient's sealed secret */
static size_t secret_ad(const char *recipient, uint8_t *out, size_t size)
{
	int n = snprintf((char *)out, size, "pdv-recipient-secret%c%s", 0, recipient);

	return n < 0 || (size_t)n >= size ? 0 : (size_t)n;
}

/* the recipient's secret, opened into sodium memory; none yet: NULL */
static int secret_open(struct pdv_session *s, const char *recipient, uint8_t **ret, size_t *ret_len,
                       struct pdv_error *err)
{
	const uint8_t *sealed;
	uint8_t ad[160], *out;
	size_t len, alen = secret_ad(recipient, ad, sizeof(ad));
	int rc;

	*ret = NULL;
	*ret_len = 0;
	if ((rc = pdv_store_recipient_secret_get(s->store, recipient, &sealed, &len, err)) < 0) {
		if (rc != PDV_E_NOTFOUND)
			return rc;
		pdv_error_clear(err);
		return 0;
	}
	if (!alen || len != PDV_RECIPIENT_SECRET_LEN * 2 + PDV_SEAL_OVERHEAD)
		return pdv_error_set(err, PDV_E_INTEGRITY,
		                     "the secret of recipient '%.*s' is damaged",
		                     PDV_UTF8_CUT(recipient, 60));
	if (!(out = pdv_secure_alloc(PDV_RECIPIENT_SECRET_LEN * 2)))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if ((rc = pdv_open(s->vault->stats_key, ad, alen, sealed, len, out, err)) < 0) {
		pdv_secure_free(out);
		return rc;
	}
	*ret = out;
	*ret_len = PDV_RECIPIENT_SECRET_LEN * 2; /* the key is the hex, as printed */
	return 0;
}

/* Art. 19: where the notice to a recipient goes */
static int open_notice(struct pdv_session *s, const struct pdv_outbox_row *row,
                       struct pdv_outbound *m, struct pdv_error *err)
{
	const struct pdv_recipient *r =
	    row->recipient ? pdv_decl_recipient(s->vault->decl, row->recipient) : NULL;
	int rc;

	snprintf(m->recipient, sizeof(m->recipient), "%s", row->recipient ? row->recipient : "");
	/* "RECORD ACTIVITY" (a message queued before 0007: "RECORD") */
	if (row->payload) {
		const char *p = (const char *)row->payload, *end = p + row->payload_len;
		const char *sp = memchr(p, ' ', row->payload_len);
		size_t rlen = (size_t)((sp ? sp : end) - p);

		if (rlen < sizeof(m->record))
			memcpy(m->record, p, rlen);
		if (sp && (size_t)(end - sp - 1) < sizeof(m->activity))
			memcpy(m->activity, sp + 1, (size_t)(end - sp - 1));
	}
	if (!m->activity[0])
		snprintf(m->activity, sizeof(m->activity), "-");
	if (m->record[0]) { /* queued canonical; the recipient knows the id shown */
		char shown[PDV_ID_MAX];
		const char *id = pdv_id_shown(s->vault, m->record, shown);

		if (id != m->record) /* not one (a store from before): kept as it is */
			snprintf(m->record, sizeof(m->record), "%s", id);
	}
	if (!r) {
		m->channel = PDV_OUTBOUND_NONE;
		snprintf(m->why_not, sizeof(m->why_not), "unknown-recipient");
		return 0;
	}
	if (r->webhook.s && *r->webhook.s) {
		m->channel = PDV_OUTBOUND_WEBHOOK;
		if (!(m->to = secure_strdup(r->webhook.s, strlen(r->webhook.s))))
			return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		if ((rc = secret_open(s, r->id.s, &m->secret, &m->secret_len, err)) < 0)
			return rc;
		if (!m->secret) {
			m->channel = PDV_OUTBOUND_NONE;
			snprintf(m->why_not, sizeof(m->why_not), "no-secret");
		}
		return 0;
	}
	if (r->notify_email.s && *r->notify_email.s) {
		m->channel = PDV_OUTBOUND_EMAIL;
		if (!(m->to = secure_strdup(r->notify_email.s, strlen(r->notify_email.s))))
			return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		return 0;
	}
	m->channel = PDV_OUTBOUND_NONE;
	snprintf(m->why_not, sizeof(m->why_not), "no-address");
	return 0;
}

static bool marketing_consent(const struct pdv_activity *a)
{
	bool consent = false, marketing = a->unsubscribe.v;

	for (size_t i = 0; i < a->basis.n; i++)
		if (a->basis.v[i].s && strcmp(a->basis.v[i].s, "consent") == 0)
			consent = true;
	for (size_t i = 0; i < a->uses.n; i++)
		if (a->uses.v[i].s && pdv_taxonomy_under(a->uses.v[i].s, "marketing"))
			marketing = true;
	return consent && marketing;
}

/* a message to the person: in the language kept with them (0010), unless
 * the message was queued with one */
static void person_lang(const struct pdv_outbox_row *row, const struct pdv_subject_row *subj,
                        struct pdv_outbound *m)
{
	if (!row->lang && subj->lang &&
	    (strcmp(subj->lang, "fr") == 0 || strcmp(subj->lang, "en") == 0))
		snprintf(m->lang, sizeof(m->lang), "%s", subj->lang);
}

/* a message to the person (renewal, breach-notice): the email field of the
 * record it names, in their language; a renewal's link and, for a marketing
 * activity, the one to leave */
static int open_person(struct pdv_session *s, const struct pdv_outbox_row *row,
                       struct pdv_outbound *m, struct pdv_error *err)
{
	struct pdv_record_row rec;
	struct pdv_subject_row subj;
	struct pdv_secret *key = NULL;
	struct pdv_plain plain = {0};
	struct pdv_rows rows = {0};
	const struct pdv_record_row *r = NULL;
	const struct pdv_activity *a;
	const char *purpose;
	char rid[PDV_ID_MAX], shown[PDV_ID_MAX];
	int64_t record_id = row->record_id, subject_id;
	int rc;

	m->channel = PDV_OUTBOUND_NONE;
	snprintf(m->why_not, sizeof(m->why_not), "no-address");
	/* the store's buffers last until its next call: what is kept is copied
	 * (the activity, the subject), and the record itself comes from the
	 * subject's records, copied out */
	if ((rc = pdv_vault_record_get(s, record_id, &rec, err)) < 0) {
		if (rc != PDV_E_NOTFOUND)
			return rc;
		pdv_error_clear(err);
		snprintf(m->why_not, sizeof(m->why_not), "record-gone");
		return 0;
	}
	subject_id = rec.subject_id;
	snprintf(m->activity, sizeof(m->activity), "%s", rec.activity);
	if ((rc = pdv_vault_records_of(s, subject_id, &rows, err)) < 0)
		goto out;
	for (size_t i = 0; i < rows.n; i++)
		if (rows.v[i].id == record_id)
			r = &rows.v[i];
	if (!r) {
		snprintf(m->why_not, sizeof(m->why_not), "record-gone");
		goto out;
	}
	a = pdv_vault_activity(s->vault, m->activity);
	purpose = pdv_vault_purpose(s->vault, a);
	snprintf(m->purpose, sizeof(m->purpose), "%s", purpose ? purpose : m->activity);
	m->deadline = r->next_at;
	if ((rc = pdv_store_subject_get(s->store, subject_id, &subj, err)) < 0)
		goto out;
	person_lang(row, &subj, m);
	if ((rc = pdv_vault_subject_key(s, &subj, &key, err)) < 0 ||
	    (rc = pdv_record_open(s, key, r, &plain, err)) < 0)
		goto out;
	for (size_t i = 0; a && i < a->n_fields && m->channel == PDV_OUTBOUND_NONE; i++) {
		const struct pdv_field *f = &a->fields[i];

		if (!f->name.s || !((f->type.s && strcmp(f->type.s, "email") == 0) ||
		                    (f->lookup.s && strcmp(f->lookup.s, "email") == 0)))
			continue;
		for (size_t k = 0; k < plain.n; k++) {
			if (strcmp(plain.name[k], f->name.s) != 0 || plain.len[k] == 0)
				continue;
			if (!(m->to = secure_strdup((const char *)plain.value[k], plain.len[k]))) {
				rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
				goto out;
			}
			m->channel = PDV_OUTBOUND_EMAIL;
			m->why_not[0] = '\0';
			break;
		}
	}
	pdv_id_canonical('r', r->id, r->tag, rid);
	if (m->channel == PDV_OUTBOUND_EMAIL && strcmp(row->kind, "renewal") == 0 &&
	    (rc = pdv_renewal_message_open(s, row, m, err)) < 0)
		goto out;
	if (m->channel == PDV_OUTBOUND_EMAIL && strcmp(row->kind, "breach-notice") == 0 &&
	    (rc = pdv_breach_message_open(s, row, m, err)) < 0)
		goto out;
	if (m->channel == PDV_OUTBOUND_EMAIL && strcmp(row->kind, "renewal") == 0 && a &&
	    marketing_consent(a) &&
	    (rc = pdv_link_make(s, pdv_id_shown(s->vault, rid, shown), m->unsubscribe, err)) < 0)
		goto out;
out:
	pdv_plain_release(&plain);
	pdv_secret_free(key);
	pdv_rows_release(&rows);
	return rc;
}

const char *pdv_outbox_recipient_kind(const char *kind)
{
	if (is_notice(kind))
		return "recipient";
	if (strncmp(kind, "dpo-", 4) == 0)
		return "dpo";
	if (strcmp(kind, "staff-invitation") == 0)
		return "staff";
	return "person";
}

/* the DPO's digest and alerts: to the declaration's dpo email, else the
 * controller's; the payload is what reminders.c queued (nothing personal) */
static int open_dpo(struct pdv_session *s, const struct pdv_outbox_row *row, struct pdv_outbound *m,
                    struct pdv_error *err)
{
	const struct pdv_controller *c = &s->vault->decl->controller;
	const char *to = c->dpo.email.s && *c->dpo.email.s ? c->dpo.email.s : c->email.s;
	const char *p = (const char *)row->payload;
	size_t len = row->payload ? row->payload_len : 0;

	if (!to || !*to) {
		m->channel = PDV_OUTBOUND_NONE;
		snprintf(m->why_not, sizeof(m->why_not), "no-address");
		return 0;
	}
	if (strcmp(row->kind, "dpo-digest") == 0) {
		if (!(m->digest = secure_strdup(p ? p : "", len)))
			return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	} else {
		char text[PDV_ID_MAX + 64], stage[16] = "";
		long long aware = 0, due = 0;
		int end = -1;

		snprintf(text, sizeof(text), "%.*s", (int)(len < sizeof(text) ? len : 0),
		         p ? p : "");
		/* the times were written from a breach's, years 1 to 9999: past
		 * them, damage (not a date of another year in the DPO's mail);
		 * 18 digits at most, so that no number overflows the reading,
		 * and the text read to its end */
		if (sscanf(text, "%31s %18lld %18lld %15s%n", m->breach, &aware, &due, stage,
		           &end) != 4 ||
		    end < 0 || text[end] != '\0' || !pdv_time_valid(aware) || !pdv_time_valid(due))
			return pdv_error_set(err, PDV_E_INVAL, "a breach alert is damaged");
		m->aware_at = aware;
		m->authority_due = due;
	}
	if (!(m->to = secure_strdup(to, strlen(to))))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	m->channel = PDV_OUTBOUND_EMAIL;
	return 0;
}

static int outbound_fill(struct pdv_session *s, const struct pdv_outbox_row *row,
                         struct pdv_outbound *m, struct pdv_error *err)
{
	memset(m, 0, sizeof(*m));
	m->id = row->id;
	snprintf(m->message_id, sizeof(m->message_id), "%s",
	         row->message_id ? row->message_id : "");
	snprintf(m->kind, sizeof(m->kind), "%s", row->kind);
	snprintf(m->lang, sizeof(m->lang), "%s", row->lang ? row->lang : default_lang(s->vault));
	m->attempts = row->attempts;
	m->created_at = row->created_at;
	if (strcmp(row->kind, "verification") == 0 || strcmp(row->kind, "confirmation") == 0) {
		if (row->created_at + PDV_VERIFY_TTL <= s->now) {
			/* the code no longer opens anything: not sent (the purge of
			 * the checks deletes it soon) */
			m->channel = PDV_OUTBOUND_NONE;
			snprintf(m->why_not, sizeof(m->why_not), "expired");
			return 0;
		}
		m->channel = PDV_OUTBOUND_EMAIL;
		if (row->recipient)
			pdv_id_shown(s->vault, row->recipient, m->check);
		return pdv_intake_message_open(s, row, &m->to, &m->code, err);
	}
	if (is_notice(row->kind))
		return open_notice(s, row, m, err);
	if (strcmp(row->kind, "renewal") == 0 || strcmp(row->kind, "breach-notice") == 0)
		return open_person(s, row, m, err);
	if (strcmp(row->kind, "acknowledgement") == 0 || strcmp(row->kind, "extension") == 0 ||
	    strcmp(row->kind, "refusal") == 0 || strcmp(row->kind, "nothing-held") == 0 ||
	    strcmp(row->kind, "erasure-answer") == 0)
		return pdv_request_message_open(s, row, m, err);
	if (strcmp(row->kind, "access-answer") == 0)
		return pdv_download_message_open(s, row, m, err);
	if (strcmp(row->kind, "dpo-digest") == 0 || strcmp(row->kind, "dpo-breach-alert") == 0)
		return open_dpo(s, row, m, err);
	if (strcmp(row->kind, "staff-invitation") == 0)
		return pdv_staff_message_open(s, row, m, err);
	m->channel = PDV_OUTBOUND_NONE;
	snprintf(m->why_not, sizeof(m->why_not), "unknown-kind");
	return 0;
}

int pdv_outbox_claim_batch(struct pdv_session *s, const char *owner, int lease, bool email,
                           struct pdv_outbound *ret, size_t max, size_t *n, struct pdv_error *err)
{
	struct pdv_outbox_row row;
	int rc;

	*n = 0;
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	while (*n < max) {
		struct pdv_outbound *m = &ret[*n];
		int64_t id;

		memset(m, 0, sizeof(*m));
		rc = pdv_store_outbox_claim(s->store, owner, s->now + lease, s->now, email, &row,
		                            err);
		if (rc <= 0)
			break;
		id = row.id;
		rc = outbound_fill(s, &row, m, err);
		if (rc == PDV_E_INVAL || rc == PDV_E_INTERNAL) {
			/* a payload that no longer opens: failed, never retried; the
			 * claim goes on to the next message */
			pdv_outbound_release(m);
			pdv_error_clear(err);
			if ((rc = pdv_store_outbox_unsent(s->store, id, owner, "failed", s->now,
			                                  "damaged", err)) < 0)
				break;
			continue;
		}
		if (rc < 0) {
			pdv_outbound_release(m);
			break;
		}
		(*n)++;
	}
	if (rc < 0)
		pdv_session_tx_rollback(s);
	else if ((rc = pdv_session_tx_commit(s, err)) == 0)
		return 0;
	for (size_t i = 0; i < *n; i++)
		pdv_outbound_release(&ret[i]);
	*n = 0;
	return rc;
}

int pdv_outbox_claim(struct pdv_session *s, const char *owner, int lease, bool email,
                     struct pdv_outbound *ret, struct pdv_error *err)
{
	size_t n;
	int rc = pdv_outbox_claim_batch(s, owner, lease, email, ret, 1, &n, err);

	return rc < 0 ? rc : n == 1;
}

/* backoff x 2^(attempt-1), at most backoff_max, +-20% */
static int64_t retry_delay(const struct pdv_retry_policy *p, int attempt)
{
	int64_t d = p->backoff > 0 ? p->backoff : 30,
	        cap = p->backoff_max > 0 ? p->backoff_max : 3600;
	uint32_t r;

	for (int i = 1; i < attempt && d < cap; i++)
		d *= 2;
	if (d > cap)
		d = cap;
	pdv_random(&r, sizeof(r));
	/* jitter in [-20%, +20%] of d, at least one second in all */
	d += (int64_t)((double)d * 0.4 * ((double)r / 4294967295.0 - 0.5));
	return d < 1 ? 1 : d;
}

/* one outcome's statement, in the caller's transaction */
static int record_one(struct pdv_session *s, const char *owner, const struct pdv_outcome *o,
                      const struct pdv_retry_policy *policy, struct pdv_error *err)
{
	int tries = policy && policy->tries > 0 ? policy->tries : 8;
	static const struct pdv_retry_policy none = {0};

	switch (o->what) {
	case PDV_OUTCOME_SENT:
		return pdv_store_outbox_sent(s->store, o->id, owner, s->now, err);
	case PDV_OUTCOME_UNTRIED:
		return pdv_store_outbox_release(s->store, o->id, owner, err);
	case PDV_OUTCOME_PERMANENT:
		break;
	case PDV_OUTCOME_TEMPORARY:
		if (o->attempts < tries)
			return pdv_store_outbox_unsent(
			    s->store, o->id, owner, "queued",
			    s->now + retry_delay(policy ? policy : &none, o->attempts), o->code,
			    err);
		break;
	}
	return pdv_store_outbox_unsent(s->store, o->id, owner, "failed", s->now, o->code, err);
}

int pdv_outbox_record_batch(struct pdv_session *s, const char *owner, const struct pdv_outcome *o,
                            size_t n, const struct pdv_retry_policy *policy, size_t *lost,
                            struct pdv_error *err)
{
	int rc;

	if (lost)
		*lost = 0;
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if ((rc = record_one(s, owner, &o[i], policy, err)) == PDV_E_NOTFOUND) {
			/* the lease ran out and another worker has the message: its
			 * outcome is that worker's to record */
			pdv_error_clear(err);
			if (lost)
				(*lost)++;
			continue;
		}
		if (rc < 0) {
			pdv_session_tx_rollback(s);
			return rc;
		}
	}
	return pdv_session_tx_commit(s, err);
}

int pdv_outbox_record(struct pdv_session *s, const struct pdv_outbound *m, const char *owner,
                      bool sent, bool permanent, const char *error_code,
                      const struct pdv_retry_policy *policy, struct pdv_error *err)
{
	struct pdv_outcome o = {.id = m->id,
	                        .attempts = m->attempts,
	                        .what = sent        ? PDV_OUTCOME_SENT
	                                : permanent ? PDV_OUTCOME_PERMANENT
	                                            : PDV_OUTCOME_TEMPORARY};
	size_t lost;
	int rc;

	snprintf(o.code, sizeof(o.code), "%s", error_code ? error_code : "");
	if ((rc = pdv_outbox_record_batch(s, owner, &o, 1, policy, &lost, err)) < 0)
		return rc;
	if (lost)
		return pdv_error_set(err, PDV_E_NOTFOUND,
		                     "outbox message %lld is no longer leased to this worker",
		                     (long long)m->id);
	return 0;
}

int pdv_outbox_relay_back(struct pdv_session *s, int64_t *ret, struct pdv_error *err)
{
	int rc;

	*ret = 0;
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = pdv_store_outbox_relay_back(s->store, s->now, ret, err)) < 0) {
		pdv_session_tx_rollback(s);
		return rc;
	}
	return pdv_session_tx_commit(s, err);
}

int pdv_outbox_retry(struct pdv_session *s, int64_t id, struct pdv_error *err)
{
	char what[32];
	int rc;

	if ((rc = pdv_vault_dpo_only(s, "the outbox", err)) < 0)
		return rc;
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	snprintf(what, sizeof(what), "%lld", (long long)id);
	if ((rc = pdv_store_outbox_retry(s->store, id, s->now, err)) < 0 ||
	    (rc = pdv_audit_append(s, "outbox-retry", NULL, NULL, NULL, what, err)) < 0) {
		pdv_session_tx_rollback(s);
		return rc;
	}
	return pdv_session_tx_commit(s, err);
}

int pdv_recipient_secret(struct pdv_session *s, const char *recipient, bool rotate, char **ret_hex,
                         struct pdv_error *err)
{
	const struct pdv_recipient *r;
	const uint8_t *old;
	uint8_t raw[PDV_RECIPIENT_SECRET_LEN], ad[160],
	    sealed[PDV_RECIPIENT_SECRET_LEN * 2 + PDV_SEAL_OVERHEAD];
	char *hex = NULL;
	size_t alen, olen;
	int rc;

	*ret_hex = NULL;
	if ((rc = pdv_vault_dpo_only(s, "recipient secrets", err)) < 0)
		return rc;
	if (!recipient || !(r = pdv_decl_recipient(s->vault->decl, recipient)) || !r->id.s) {
		rc = pdv_error_set(err, PDV_E_NOTFOUND, "the declaration has no recipient '%.*s'",
		                   PDV_UTF8_CUT(recipient ? recipient : "", 60));
		pdv_error_field(err, "recipient");
		return rc;
	}
	if (!(alen = secret_ad(r->id.s, ad, sizeof(ad))))
		return pdv_error_set(err, PDV_E_INVAL, "recipient id too long");
	if (!(hex = pdv_secure_alloc(PDV_RECIPIENT_SECRET_LEN * 2 + 1)))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		goto out;
	rc = pdv_store_recipient_secret_get(s->store, r->id.s, &old, &olen, err);
	if (rc == 0 && !rotate) {
		rc = pdv_error_set(err, PDV_E_REFUSED,
		                   "recipient '%s' has a secret already; --rotate replaces it",
		                   r->id.s);
		goto fail;
	}
	if (rc < 0 && rc != PDV_E_NOTFOUND)
		goto fail;
	pdv_error_clear(err);
	pdv_random(raw, sizeof(raw));
	pdv_hex(raw, sizeof(raw), hex);
	pdv_wipe(raw, sizeof(raw));
	if ((rc = pdv_seal(s->vault->stats_key, ad, alen, hex, PDV_RECIPIENT_SECRET_LEN * 2, sealed,
	                   err)) < 0 ||
	    (rc = pdv_store_recipient_secret_put(s->store, r->id.s, sealed, sizeof(sealed), s->now,
	                                         err)) < 0 ||
	    (rc = pdv_audit_append(s, rotate ? "recipient-secret-rotate" : "recipient-secret", NULL,
	                           NULL, NULL, r->id.s, err)) < 0)
		goto fail;
	if ((rc = pdv_session_tx_commit(s, err)) < 0)
		goto out;
	*ret_hex = hex;
	hex = NULL;
	goto out;
fail:
	pdv_session_tx_rollback(s);
out:
	pdv_secure_free(hex);
	return rc;
}
