/*
 * lifecycle.c — events on records and the consent ledger.
 *
 * An event is kept with the record (events table) and the record's phase is
 * recomputed at once from the declaration and all its events: what the
 * retention calculus says is what happens, in the same transaction (an early
 * event ends the record in the command that records it; a withdrawal under
 * `until consent-withdrawn` moves it to its archive, or ends it).
 */
#include <string.h>

#include "engine-internal.h"

static const char *const builtin_events[] = {"contact", "contract-end", "event-end",
                                             "request-closed", "renewed"};

static bool trigger_names(const struct pdv_trigger *t, const char *event)
{
	if (strcmp(event, "contact") == 0)
		return t->kind == PDV_TRIGGER_LAST_CONTACT;
	return t->kind == PDV_TRIGGER_EVENT && strcmp(t->event, event) == 0;
}

/* does the activity's retention take this event? */
static bool retention_names(const struct pdv_session *s, const struct pdv_activity *a,
                            const char *event)
{
	const struct pdv_retention *r = pdv_vault_retention(s->vault, a);

	if (!r)
		return false;
	if (strcmp(event, "renewed") == 0)
		return r->has_renew;
	for (size_t i = 0; i < r->n_early; i++)
		if (strcmp(r->early[i], event) == 0)
			return true;
	if (r->active.kind == PDV_SPAN_UNTIL && strcmp(r->active.until, event) == 0)
		return true;
	if (r->active.kind == PDV_SPAN_DURATION && trigger_names(&r->active.from, event))
		return true;
	return r->active.has_cap && trigger_names(&r->active.cap_from, event);
}

static bool event_known(const struct pdv_session *s, const char *event)
{
	for (size_t i = 0; i < sizeof(builtin_events) / sizeof(builtin_events[0]); i++)
		if (strcmp(builtin_events[i], event) == 0)
			return true;
	for (size_t i = 0; i < s->vault->decl->n_activities; i++)
		if (retention_names(s, &s->vault->decl->activities[i], event))
			return true;
	return false;
}

/* apply the phase the calculus gives now; *ret_ended when the record is gone */
int pdv_record_apply_phase(struct pdv_session *s, struct pdv_record_row *r, const char *subject,
                           const char *why, bool *ret_ended, struct pdv_error *err)
{
	struct pdv_phase_info pi;
	int rc;

	*ret_ended = false;
	rc = pdv_record_phase(s, r, &pi, err);
	if (rc == PDV_E_NOTFOUND) {
		pdv_error_clear(err);
		return 0;
	}
	if (rc < 0)
		return rc;
	if (pi.phase == PDV_PHASE_ENDED) {
		*ret_ended = true;
		return pdv_record_end(s, r, s->scratch, subject, why, false, err);
	}
	/* r's strings belong to the caller's rows: update from a copy */
	struct pdv_record_row upd = *r;

	upd.phase = pdv_phase_name(pi.phase);
	upd.phase_at = pi.since;
	upd.next_at = pi.has_next ? pi.next_at : 0;
	return pdv_vault_record_update(s, &upd, err);
}

int pdv_event(struct pdv_session *s, const char *subject, const char *event, const char *activity,
              int *ret_recorded, struct pdv_error *err)
{
	char canon[PDV_ID_MAX];
	struct pdv_subject_row srow;
	struct pdv_rows rows = {0};
	int rc, n = 0;

	subject = pdv_id_canon(s, 's', subject, canon); /* what binds and is logged */

	*ret_recorded = 0;
	if (!event || !pdv_event_name_valid(event) || !event_known(s, event)) {
		pdv_error_set(
		    err, PDV_E_INVAL,
		    "event '%.*s' is neither built in (contact, contract-end, event-end, "
		    "request-closed, renewed) nor named by a retention of the declaration",
		    PDV_UTF8_CUT(event ? event : "", 64));
		pdv_error_field(err, "event");
		return PDV_E_INVAL;
	}
	if (activity && !pdv_vault_activity(s->vault, activity)) {
		pdv_error_set(err, PDV_E_NOTFOUND, "no activity '%.*s' in the declaration",
		              PDV_UTF8_CUT(activity, 64));
		pdv_error_field(err, "activity");
		return PDV_E_NOTFOUND;
	}
	if (activity &&
	    (rc = pdv_vault_refuse_activity(s, pdv_vault_activity(s->vault, activity), err)) < 0)
		return rc;
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	/* only the records the role may see take the event */
	if ((rc = pdv_vault_subject_scope(s, subject, &srow, &rows, err)) < 0 ||
	    (rc = pdv_vault_subject_key_into(s, &srow, s->scratch, err)) < 0)
		goto out;
	for (size_t i = 0; i < rows.n; i++) {
		struct pdv_record_row *r = &rows.v[i];
		const struct pdv_activity *a = pdv_vault_activity(s->vault, r->activity);
		bool renewing = strcmp(event, "renewed") == 0;
		char rid[PDV_ID_MAX];
		bool ended;

		if (!a || (activity && strcmp(activity, r->activity) != 0))
			continue;
		if (!activity && !retention_names(s, a, event))
			continue;
		/* events apply to active records (`renewed` and early events also to
		 * those awaiting renewal), by the phase the calculus gives now, not
		 * the one the last sweep stored */
		{
			const struct pdv_retention *ret = pdv_vault_retention(s->vault, a);
			struct pdv_phase_info pi;
			bool early = false;

			for (size_t k = 0; ret && k < ret->n_early; k++)
				early |= strcmp(ret->early[k], event) == 0;
			rc = pdv_record_phase(s, r, &pi, err);
			if (rc == PDV_E_NOTFOUND) {
				pdv_error_clear(err);
				if (strcmp(r->phase, "active") != 0)
					continue;
			} else if (rc < 0) {
				goto out;
			} else if (!(pi.phase == PDV_PHASE_ACTIVE ||
			             (pi.phase == PDV_PHASE_RENEWAL_PENDING &&
			              (renewing || early)))) {
				continue;
			}
			rc = 0;
		}
		struct pdv_event_row ev = {r->id, event, s->now, s->actor};
		if ((rc = pdv_store_event_insert(s->store, &ev, err)) < 0)
			goto out;
		if (strcmp(event, "contact") == 0 || renewing)
			r->last_contact = s->now;
		pdv_id_canonical('r', r->id, r->tag, rid);
		if ((rc = pdv_audit_append(s, "event", subject, rid, r->activity, event, err)) <
		        0 ||
		    (rc = pdv_record_apply_phase(s, r, subject, event, &ended, err)) < 0)
			goto out;
		n++;
	}
	if (n == 0) {
		rc = pdv_error_set(err, PDV_E_NOTFOUND,
		                   "no active record of subject '%s' takes the event '%s'%s%s",
		                   pdv_id_told(s, 's', subject, canon), event,
		                   activity ? " in activity " : "", activity ? activity : "");
		goto out;
	}
	*ret_recorded = n;
out:
	if (rc == 0)
		rc = pdv_session_tx_commit(s, err);
	else
		pdv_session_tx_rollback(s);
	pdv_rows_release(&rows);
	pdv_secret_generate(s->scratch);
	return rc;
}

static bool is_consent_based(const struct pdv_activity *a)
{
	for (size_t i = 0; a->basis.present && i < a->basis.n; i++)
		if (a->basis.v[i].s && strcmp(a->basis.v[i].s, "consent") == 0)
			return true;
	return false;
}

/* what a withdrawal did to a record, for its certificate: ended (deleted or
 * anonymised: its values are gone), or kept as the retention says, until its
 * next phase when known */
static int certify_record(struct pdv_session *s, struct pdv_record_row *r, bool ended,
                          struct pdv_error *err)
{
	struct pdv_phase_info pi;
	pdv_time_t until = 0;

	if (ended)
		return pdv_cert_draft_add(s->cert, r->activity, "erased", NULL, 0, err);
	if (pdv_record_phase(s, r, &pi, NULL) == 0 && pi.has_next)
		until = pi.next_at;
	return pdv_cert_draft_add(s->cert, r->activity, "kept", "retention", until, err);
}

int pdv_consent(struct pdv_session *s, const char *subject, const char *activity, bool grant,
                struct pdv_consent_out *out, struct pdv_error *err)
{
	char canon[PDV_ID_MAX];
	const struct pdv_activity *a = pdv_vault_activity(s->vault, activity);
	struct pdv_subject_row srow;
	struct pdv_rows rows = {0};
	int64_t record_id = 0;
	int rc;

	subject = pdv_id_canon(s, 's', subject, canon); /* what binds and is logged */

	memset(out, 0, sizeof(*out));
	if (!a) {
		pdv_error_set(err, PDV_E_NOTFOUND, "no activity '%.*s' in the declaration",
		              PDV_UTF8_CUT(activity, 64));
		pdv_error_field(err, "activity");
		return PDV_E_NOTFOUND;
	}
	if ((rc = pdv_vault_refuse_activity(s, a, err)) < 0)
		return rc;
	if (!is_consent_based(a)) {
		pdv_error_set(err, PDV_E_REFUSED, "activity '%s' is not based on consent", a->id.s);
		pdv_error_field(err, "activity");
		return PDV_E_REFUSED;
	}
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	/* a role may see the activity's active records and not its archived ones:
	 * those are left as they are */
	if ((rc = pdv_vault_subject_scope(s, subject, &srow, &rows, err)) < 0 ||
	    (rc = pdv_vault_subject_key_into(s, &srow, s->scratch, err)) < 0)
		goto out;
	/* a certified withdrawal: its Art. 19 notices are those queued from now */
	if (!grant && s->cert &&
	    (rc = pdv_store_outbox_max_id(s->store, &s->cert->notice_lo, err)) < 0)
		goto out;
	for (size_t i = 0; i < rows.n; i++)
		if (strcmp(rows.v[i].activity, a->id.s) == 0)
			record_id = rows.v[i].id;
	if (grant && a->consent.version.s && a->consent.text.present) {
		const struct pdv_text *t = &a->consent.text;
		const char *text = t->any ? t->any : t->n_lang ? t->langs[0].text : "";

		if ((rc = pdv_store_consent_text_put(s->store, a->id.s, a->consent.version.s, text,
		                                     err)) < 0)
			goto out;
	}
	struct pdv_consent_row c = {
	    .subject_id = srow.id,
	    .record_id = record_id,
	    .activity = a->id.s,
	    .state = grant ? "granted" : "withdrawn",
	    .version = a->consent.version.s,
	    .at = s->now,
	    /* the server acts as api:NAME or api:public */
	    .channel = s->actor && strncmp(s->actor, "api:", 4) == 0 ? "web" : "cli",
	};
	if ((rc = pdv_store_consent_insert(s->store, &c, err)) < 0 ||
	    (rc = pdv_audit_append(s, grant ? "consent-grant" : "consent-withdraw", subject, NULL,
	                           a->id.s, NULL, err)) < 0)
		goto out;
	if (!grant) {
		/* the withdrawal ends the records as the retention says, now */
		for (size_t i = 0; i < rows.n; i++) {
			struct pdv_record_row *r = &rows.v[i];
			struct pdv_event_row ev = {r->id, "consent-withdrawn", s->now, s->actor};
			bool ended;

			if (strcmp(r->activity, a->id.s) != 0 || strcmp(r->phase, "active") != 0)
				continue;
			if ((rc = pdv_store_event_insert(s->store, &ev, err)) < 0 ||
			    (rc = pdv_record_apply_phase(s, r, subject, "consent-withdrawn", &ended,
			                                 err)) < 0)
				goto out;
			out->ended += ended;
			if (s->cert && (rc = certify_record(s, r, ended, err)) < 0)
				goto out;
		}
		if (s->cert) {
			pdv_strlcpy(s->cert->withdrawn, a->id.s, sizeof(s->cert->withdrawn));
			if ((rc = pdv_store_outbox_max_id(s->store, &s->cert->notice_hi, err)) <
			        0 ||
			    (rc = pdv_certificate_make(s, "withdrawal", NULL, s->cert,
			                               s->cert->made, err)) < 0)
				goto out;
		}
	}
	out->activity = a->id.s;
	out->state = c.state;
	out->at = s->now;
	out->version = a->consent.version.s;
out:
	if (rc == 0)
		rc = pdv_session_tx_commit(s, err);
	else
		pdv_session_tx_rollback(s);
	pdv_rows_release(&rows);
	pdv_secret_generate(s->scratch);
	return rc;
}
