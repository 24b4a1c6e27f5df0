/*
 * renewals.c — the retention re-confirmation's link (`renew: {wait,
 * silence}`): made when the sweep moves a record to renewal-pending, sent to
 * the person, and used once from the privacy center's one-button page to
 * record `renewed`, which restarts the record's active phase as declared.
 *
 * Invariants:
 *  - the token (32 random bytes, base64url) is stored only as a keyed hash
 *    (the index key, "pdv-renewal"); the message carries it sealed under the
 *    statistics key, bound to that hash, until the outbox destroys the
 *    payload of a sent message;
 *  - a link works once and until the end of `wait` (the record's next
 *    transition when it became renewal-pending): after that, silence has
 *    ended the record as declared (the sweep), and the link says so;
 *  - looking at a link (the page's GET) changes nothing; using it is one
 *    transaction: the link used, the event recorded and audited, the phase
 *    recomputed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine-internal.h"

#define TOKEN_BYTES 32

static void token_hash(const struct pdv_session *s, const char *token, uint8_t out[32])
{
	const void *parts[2] = {"pdv-renewal", token};
	size_t lens[2] = {11, strlen(token)};

	pdv_mac(s->vault->index_key, 2, parts, lens, out);
}

static size_t token_ad(const uint8_t hash[32], uint8_t out[48])
{
	memcpy(out, "pdv-renewal", 12); /* with its NUL */
	memcpy(out + 12, hash, 32);
	return 12 + 32;
}

int pdv_renewal_queue(struct pdv_session *s, const struct pdv_record_row *r, int64_t subject_id,
                      pdv_time_t expires, struct pdv_error *err)
{
	uint8_t raw[TOKEN_BYTES], hash[32], ad[48], *payload = NULL;
	char token[PDV_RENEWAL_TOKEN_MAX];
	size_t tlen;
	int rc;

	pdv_random(raw, sizeof(raw));
	pdv_b64url_encode(raw, sizeof(raw), token, sizeof(token));
	pdv_wipe(raw, sizeof(raw));
	tlen = strlen(token);
	token_hash(s, token, hash);
	/* the message: the hash in clear (to find the associated data again),
	 * then the token sealed */
	if (!(payload = malloc(32 + tlen + PDV_SEAL_OVERHEAD))) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	memcpy(payload, hash, 32);
	if ((rc = pdv_seal(s->vault->stats_key, ad, token_ad(hash, ad), token, tlen, payload + 32,
	                   err)) < 0 ||
	    (rc = pdv_store_renewal_insert(s->store, r->id, hash, s->now, expires, err)) < 0 ||
	    (rc = pdv_store_outbox_insert(s->store, "renewal", NULL, subject_id, r->id, payload,
	                                  32 + tlen + PDV_SEAL_OVERHEAD, s->now, NULL, err)) < 0)
		goto out;
out:
	pdv_wipe(token, sizeof(token));
	free(payload);
	return rc;
}

int pdv_renewal_message_open(struct pdv_session *s, const struct pdv_outbox_row *row,
                             struct pdv_outbound *m, struct pdv_error *err)
{
	struct pdv_renewal_row rr;
	uint8_t ad[48], hash[32];
	size_t n;
	int rc;

	m->token[0] = '\0';
	if (!row->payload) /* queued before 0010: the privacy center's address alone */
		return 0;
	if (row->payload_len <= 32 + PDV_SEAL_OVERHEAD ||
	    (n = row->payload_len - 32 - PDV_SEAL_OVERHEAD) >= sizeof(m->token))
		return pdv_error_set(err, PDV_E_INVAL, "outbox message %lld is damaged",
		                     (long long)row->id);
	memcpy(hash, row->payload, 32);
	if ((rc = pdv_open(s->vault->stats_key, ad, token_ad(hash, ad), row->payload + 32,
	                   row->payload_len - 32, (uint8_t *)m->token, err)) < 0)
		return rc;
	m->token[n] = '\0';
	rc = pdv_store_renewal_by_hash(s->store, hash, &rr, err);
	if (rc == PDV_E_NOTFOUND || (rc == 0 && (rr.used_at || rr.expires_at <= s->now))) {
		/* renewed already, or silence has run its course: nothing to ask */
		pdv_error_clear(err);
		pdv_wipe(m->token, sizeof(m->token));
		m->channel = PDV_OUTBOUND_NONE;
		snprintf(m->why_not, sizeof(m->why_not), "expired");
		return 0;
	}
	if (rc < 0)
		return rc;
	m->deadline = rr.expires_at;
	return 0;
}

/* the record a valid link names, in rows (copied out); its index in *ret_i */
static int link_record(struct pdv_session *s, const struct pdv_renewal_row *rr,
                       struct pdv_subject_row *ret_subj, struct pdv_rows *rows, size_t *ret_i,
                       struct pdv_error *err)
{
	struct pdv_record_row rec;
	int rc;

	if ((rc = pdv_vault_record_get(s, rr->record_id, &rec, err)) < 0 ||
	    (rc = pdv_store_subject_get(s->store, rec.subject_id, ret_subj, err)) < 0 ||
	    (rc = pdv_vault_subject_key_into(s, ret_subj, s->scratch, err)) < 0 ||
	    (rc = pdv_vault_records_of(s, ret_subj->id, rows, err)) < 0)
		return rc;
	for (size_t i = 0; i < rows->n; i++)
		if (rows->v[i].id == rr->record_id) {
			*ret_i = i;
			return 0;
		}
	return pdv_error_set(err, PDV_E_NOTFOUND, "the record is gone");
}

int pdv_renewal_use(struct pdv_session *s, const char *token, bool confirm,
                    enum pdv_renewal_state *ret_state, char ret_lang[3], struct pdv_error *err)
{
	struct pdv_renewal_row rr;
	struct pdv_subject_row subj;
	struct pdv_rows rows = {0};
	struct pdv_phase_info pi;
	uint8_t hash[32];
	char sid[PDV_ID_MAX], rid[PDV_ID_MAX];
	size_t i = 0;
	int rc;

	*ret_state = PDV_RENEWAL_UNKNOWN;
	ret_lang[0] = '\0';
	if (!token || !*token || strlen(token) >= PDV_RENEWAL_TOKEN_MAX)
		return 0;
	token_hash(s, token, hash);
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	rc = pdv_store_renewal_by_hash(s->store, hash, &rr, err);
	if (rc == PDV_E_NOTFOUND) {
		pdv_error_clear(err);
		rc = 0;
		goto out;
	}
	if (rc < 0)
		goto out;
	if (rr.used_at) {
		*ret_state = PDV_RENEWAL_USED;
		goto out;
	}
	*ret_state = PDV_RENEWAL_EXPIRED;
	if (rr.expires_at <= s->now)
		goto out;
	rc = link_record(s, &rr, &subj, &rows, &i, err);
	if (rc == PDV_E_NOTFOUND) { /* ended (erased, or by its retention) */
		pdv_error_clear(err);
		rc = 0;
		goto out;
	}
	if (rc == 0 && subj.lang && (strcmp(subj.lang, "fr") == 0 || strcmp(subj.lang, "en") == 0))
		memcpy(ret_lang, subj.lang, 3);
	if (rc < 0 || (rc = pdv_record_phase(s, &rows.v[i], &pi, err)) < 0) {
		if (rc == PDV_E_NOTFOUND) { /* no retention computes it any more */
			pdv_error_clear(err);
			rc = 0;
		}
		goto out;
	}
	if (pi.phase != PDV_PHASE_ACTIVE && pi.phase != PDV_PHASE_RENEWAL_PENDING)
		goto out;
	*ret_state = PDV_RENEWAL_OK;
	if (!confirm)
		goto out;
	{
		struct pdv_record_row *r = &rows.v[i];
		struct pdv_event_row ev = {r->id, "renewed", s->now, s->actor};
		bool ended;

		pdv_id_canonical('s', subj.id, subj.tag, sid);
		pdv_id_canonical('r', r->id, r->tag, rid);
		r->last_contact = s->now;
		if ((rc = pdv_store_renewal_use(s->store, rr.id, s->now, err)) < 0 ||
		    (rc = pdv_store_event_insert(s->store, &ev, err)) < 0 ||
		    (rc = pdv_audit_append(s, "event", sid, rid, r->activity, "renewed", err)) <
		        0 ||
		    (rc = pdv_record_apply_phase(s, r, sid, "renewed", &ended, err)) < 0)
			goto out;
	}
out:
	if (rc == 0 && confirm && *ret_state == PDV_RENEWAL_OK)
		rc = pdv_session_tx_commit(s, err);
	else
		pdv_session_tx_rollback(s);
	pdv_rows_release(&rows);
	pdv_secret_generate(s->scratch);
	return rc;
}
