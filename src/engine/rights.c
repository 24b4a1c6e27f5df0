/*
 * rights.c — holds, restriction, erasure (Art. 17) and objection (Art. 21),
 * with the suppression list that keeps an objector off marketing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine-internal.h"

static int begin_subject(struct pdv_session *s, const char *subject, struct pdv_subject_row *srow,
                         struct pdv_rows *rows, struct pdv_error *err)
{
	int rc;

	memset(rows, 0, sizeof(*rows));
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	/* the records the role may see: the others are neither changed nor told */
	if ((rc = pdv_vault_subject_scope(s, subject, srow, rows, err)) < 0) {
		pdv_session_tx_rollback(s);
		return rc;
	}
	if ((rc = pdv_vault_subject_key_into(s, srow, s->scratch, err)) < 0) {
		pdv_session_tx_rollback(s);
		pdv_rows_release(rows);
		return rc;
	}
	return 0;
}

static int finish(struct pdv_session *s, struct pdv_rows *rows, int rc, struct pdv_error *err)
{
	if (rc == 0)
		rc = pdv_session_tx_commit(s, err);
	else
		pdv_session_tx_rollback(s);
	pdv_rows_release(rows);
	pdv_secret_generate(s->scratch);
	return rc;
}

/* erasure and objection: the activity (NULL: all) must be declared; the
 * subject's records and its count of active holds, in an open transaction */
static int begin_right(struct pdv_session *s, const char *subject, const char *activity,
                       struct pdv_subject_row *srow, struct pdv_rows *rows, int64_t *holds,
                       struct pdv_error *err)
{
	int rc;

	if (activity && !pdv_vault_activity(s->vault, activity)) {
		pdv_error_set(err, PDV_E_NOTFOUND, "no activity '%.*s' in the declaration",
		              PDV_UTF8_CUT(activity, 64));
		pdv_error_field(err, "activity");
		return PDV_E_NOTFOUND;
	}
	if (activity &&
	    (rc = pdv_vault_refuse_activity(s, pdv_vault_activity(s->vault, activity), err)) < 0)
		return rc;
	if ((rc = begin_subject(s, subject, srow, rows, err)) < 0)
		return rc;
	if ((rc = pdv_store_holds_active_count(s->store, srow->id, holds, err)) < 0)
		return finish(s, rows, rc, err);
	return 0;
}

int pdv_hold_place(struct pdv_session *s, const char *subject, const char *reason,
                   char ret_hold[PDV_ID_MAX], struct pdv_error *err)
{
	char canon[PDV_ID_MAX];
	struct pdv_subject_row srow;
	struct pdv_rows rows;
	uint8_t tag[PDV_TAG_LEN], ad[64];
	char hold[PDV_ID_MAX];
	size_t n = reason ? strlen(reason) : 0;
	uint8_t *sealed = NULL;
	int64_t id;
	int rc;

	subject = pdv_id_canon(s, 's', subject, canon); /* what binds and is logged */

	ret_hold[0] = '\0';
	if (n == 0 || n > 4096 || !pdv_utf8_valid(reason, n)) {
		pdv_error_set(err, PDV_E_INVAL,
		              "a hold needs a reason (UTF-8, at most 4096 bytes)");
		pdv_error_field(err, "reason");
		return PDV_E_INVAL;
	}
	/* a hold blocks the ending of every record of the subject */
	if ((rc = pdv_vault_dpo_only(s, "a legal hold", err)) < 0 ||
	    (rc = begin_subject(s, subject, &srow, &rows, err)) < 0)
		return rc;
	pdv_random(tag, sizeof(tag));
	/* sealed under the subject's key: staff text may hold personal data */
	memcpy(ad, "pdv-hold", 9);
	if (!(sealed = malloc(n + PDV_SEAL_OVERHEAD))) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	if ((rc = pdv_seal(s->scratch, ad, 9, reason, n, sealed, err)) < 0 ||
	    (rc = pdv_store_hold_insert(s->store, tag, srow.id, sealed, n + PDV_SEAL_OVERHEAD,
	                                s->now, s->actor, &id, err)) < 0)
		goto out;
	pdv_id_format(s->vault, 'h', id, tag, ret_hold);
	pdv_id_canonical('h', id, tag, hold);
	rc = pdv_audit_append(s, "hold", subject, NULL, NULL, hold, err);
out:
	free(sealed);
	return finish(s, &rows, rc, err);
}

int pdv_hold_lift(struct pdv_session *s, const char *hold, struct pdv_error *err)
{
	uint8_t tag[PDV_TAG_LEN], stored[PDV_TAG_LEN];
	struct pdv_subject_row srow;
	char sid[PDV_ID_MAX], canon[PDV_ID_MAX];
	int64_t id, subject;
	bool lifted;
	int rc;

	if ((rc = pdv_vault_dpo_only(s, "lifting a legal hold", err)) < 0)
		return rc;
	if (pdv_id_parse(s, hold, 'h', &id, tag) < 0)
		goto none;
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	rc = pdv_store_hold_get(s->store, id, stored, &subject, &lifted, err);
	if (rc == PDV_E_NOTFOUND || (rc == 0 && (!pdv_equal(tag, stored, PDV_TAG_LEN) || lifted))) {
		pdv_session_tx_rollback(s);
		goto none;
	}
	if (rc == 0)
		rc = pdv_store_subject_get(s->store, subject, &srow, err);
	if (rc == 0) {
		pdv_id_canonical('s', srow.id, srow.tag, sid);
		pdv_id_canonical('h', id, tag, canon);
		if ((rc = pdv_store_hold_lift(s->store, id, s->now, s->actor, err)) == 0)
			rc = pdv_audit_append(s, "hold-lift", sid, NULL, NULL, canon, err);
	}
	if (rc < 0) {
		pdv_session_tx_rollback(s);
		return rc;
	}
	return pdv_session_tx_commit(s, err);
none:
	pdv_error_set(err, PDV_E_NOTFOUND, "no hold '%.*s' in force", PDV_UTF8_CUT(hold, 40));
	pdv_error_field(err, "hold");
	return PDV_E_NOTFOUND;
}

struct holds_ctx {
	struct pdv_session *s;
	pdv_hold_info_cb cb;
	void *ctx;
	uint8_t *plain; /* sodium memory, 4096 bytes: the longest reason */
	struct pdv_error *err;
};

static int hold_opened(void *ctx, const struct pdv_hold_row *row)
{
	struct holds_ctx *c = ctx;
	struct pdv_hold_info h = {
	    .placed_at = row->placed_at,
	    .placed_by = row->placed_by ? row->placed_by : "",
	    .lifted_at = row->lifted_at,
	    .lifted_by = row->lifted_by,
	};
	int rc;

	if (row->reason_len < PDV_SEAL_OVERHEAD || row->reason_len > 4096 + PDV_SEAL_OVERHEAD)
		return pdv_error_set(c->err, PDV_E_INTEGRITY, "a hold's reason has a wrong length");
	if ((rc = pdv_open(c->s->scratch, "pdv-hold", 9, row->reason, row->reason_len, c->plain,
	                   c->err)) < 0)
		return rc;
	pdv_id_format(c->s->vault, 'h', row->id, row->tag, h.hold);
	h.reason = (const char *)c->plain;
	h.reason_len = row->reason_len - PDV_SEAL_OVERHEAD;
	rc = c->cb(c->ctx, &h);
	pdv_wipe(c->plain, h.reason_len);
	return rc;
}

int pdv_holds_of(struct pdv_session *s, const char *subject, pdv_hold_info_cb cb, void *ctx,
                 struct pdv_error *err)
{
	char canon[PDV_ID_MAX];
	struct pdv_subject_row srow;
	struct pdv_rows rows;
	struct holds_ctx c = {s, cb, ctx, NULL, err};
	int rc;

	subject = pdv_id_canon(s, 's', subject, canon); /* what binds and is logged */

	/* the reasons are staff text about the whole subject: the dpo's */
	if ((rc = pdv_vault_dpo_only(s, "a legal hold", err)) < 0)
		return rc;
	if (!(c.plain = pdv_secure_alloc(4096)))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if ((rc = begin_subject(s, subject, &srow, &rows, err)) < 0)
		goto out;
	if ((rc = pdv_store_holds_of_subject(s->store, srow.id, hold_opened, &c, err)) == 0)
		rc = pdv_audit_append(s, "holds-read", subject, NULL, NULL, NULL, err);
	rc = finish(s, &rows, rc, err);
out:
	pdv_secure_free(c.plain);
	return rc;
}

int pdv_restrict(struct pdv_session *s, const char *subject, bool restricted, struct pdv_error *err)
{
	char canon[PDV_ID_MAX];
	struct pdv_subject_row srow;
	struct pdv_rows rows;
	int rc;

	subject = pdv_id_canon(s, 's', subject, canon); /* what binds and is logged */

	/* the restriction holds every record of the subject, seen or not */
	if ((rc = pdv_vault_dpo_only(s, "a restriction", err)) < 0 ||
	    (rc = begin_subject(s, subject, &srow, &rows, err)) < 0)
		return rc;
	if ((rc = pdv_store_subject_set_restricted(s->store, srow.id, restricted, err)) == 0)
		rc = pdv_audit_append(s, restricted ? "restrict" : "restrict-lift", subject, NULL,
		                      NULL, NULL, err);
	/* Art. 19: each recipient of the person's records hears of a new
	 * restriction (its lifting is told to the person, Art. 18(3), not them) */
	for (size_t i = 0; rc == 0 && restricted && !srow.restricted && i < rows.n; i++) {
		const struct pdv_record_row *r = &rows.v[i];
		char rid[PDV_ID_MAX];

		pdv_id_canonical('r', r->id, r->tag, rid); /* queued, never shown */
		rc = pdv_notify_recipients(s, pdv_vault_activity(s->vault, r->activity),
		                           "restriction", r->subject_id, r->id, rid, err);
	}
	return finish(s, &rows, rc, err);
}

static bool basis_is(const struct pdv_activity *a, const char *basis)
{
	for (size_t i = 0; a && a->basis.present && i < a->basis.n; i++)
		if (a->basis.v[i].s && strcmp(a->basis.v[i].s, basis) == 0)
			return true;
	return false;
}

/* Art. 17(3)(b): a legal obligation to keep the record, declared as the
 * basis or implied by what it is (accounting records, online contracts) */
static bool kept_by_law(const struct pdv_activity *a)
{
	if (basis_is(a, "legal-obligation"))
		return true;
	for (size_t i = 0; a && a->uses.present && i < a->uses.n; i++)
		if (a->uses.v[i].s &&
		    (pdv_taxonomy_under(a->uses.v[i].s, "pdv.accounting") ||
		     pdv_taxonomy_under(a->uses.v[i].s, "pdv.consumer_e_contract")))
			return true;
	return false;
}

static bool is_marketing(const struct pdv_activity *a)
{
	for (size_t i = 0; a && a->uses.present && i < a->uses.n; i++)
		if (a->uses.v[i].s && pdv_taxonomy_under(a->uses.v[i].s, "marketing"))
			return true;
	return false;
}

/* the erasure, record by record; dry: what it would do, changing nothing */
static int erase_walk(struct pdv_session *s, const char *subject, const char *activity, bool dry,
                      pdv_erase_item_cb cb, void *ctx, struct pdv_error *err)
{
	char canon[PDV_ID_MAX];
	struct pdv_subject_row srow;
	struct pdv_rows rows;
	int64_t holds;
	int rc;

	subject = pdv_id_canon(s, 's', subject, canon); /* what binds and is logged */

	if ((rc = begin_right(s, subject, activity, &srow, &rows, &holds, err)) < 0)
		return rc;
	for (size_t i = 0; i < rows.n && rc == 0; i++) {
		const struct pdv_record_row *r = &rows.v[i];
		const struct pdv_activity *a = pdv_vault_activity(s->vault, r->activity);
		struct pdv_phase_info pi;
		char rid[PDV_ID_MAX], why[200];
		struct pdv_erase_item it = {.activity = r->activity, .decl = a};

		if (activity && strcmp(activity, r->activity) != 0)
			continue;
		pdv_id_format(s->vault, 'r', r->id, r->tag, rid);
		it.record = rid;
		if (holds > 0) {
			/* Art. 17(3)(e): a hold is placed for legal claims */
			it.what = "kept";
			it.why = "hold";
			it.reason = "under a legal hold";
			rc = cb(ctx, &it);
			if (rc == 0 && !dry && s->cert)
				rc = pdv_cert_draft_add(s->cert, r->activity, "kept", "hold", 0,
				                        err);
			continue;
		}
		if (kept_by_law(a) && pdv_record_phase(s, r, &pi, NULL) == 0 &&
		    pi.phase != PDV_PHASE_ENDED) {
			/* Art. 17(3)(b): a legal obligation to keep it still runs */
			char at[21] = "";

			if (pi.has_next)
				pdv_time_format(pi.next_at, at);
			snprintf(why, sizeof(why), "legal obligation of activity '%s'%s%s",
			         r->activity, at[0] ? ", kept until " : "", at);
			it.what = "kept";
			it.why = "legal-obligation";
			it.reason = why;
			it.kept_until = pi.has_next ? pi.next_at : 0;
			rc = cb(ctx, &it);
			if (rc == 0 && !dry && s->cert)
				rc = pdv_cert_draft_add(s->cert, r->activity, "kept",
				                        "legal-obligation", it.kept_until, err);
			continue;
		}
		it.what = "erased";
		if (dry ||
		    (rc = pdv_record_end(s, r, s->scratch, subject, "erasure", true, err)) == 0)
			rc = cb(ctx, &it);
		if (rc == 0 && !dry && s->cert)
			rc = pdv_cert_draft_add(s->cert, r->activity, "erased", NULL, 0, err);
	}
	if (dry) {
		/* nothing changed: nothing to commit (the read is the request's
		 * preview, audited by the caller) */
		pdv_session_tx_rollback(s);
		pdv_rows_release(&rows);
		pdv_secret_generate(s->scratch);
		return rc;
	}
	return finish(s, &rows, rc, err);
}

struct rights_adapter {
	pdv_rights_cb cb;
	void *ctx;
};

static int rights_adapt(void *ctx, const struct pdv_erase_item *it)
{
	struct rights_adapter *a = ctx;

	return a->cb(a->ctx, it->record, it->what, it->reason);
}

int pdv_erase(struct pdv_session *s, const char *subject, const char *activity, pdv_rights_cb cb,
              void *ctx, struct pdv_error *err)
{
	struct rights_adapter a = {cb, ctx};

	return erase_walk(s, subject, activity, false, rights_adapt, &a, err);
}

int pdv_erase_preview(struct pdv_session *s, const char *subject, pdv_erase_item_cb cb, void *ctx,
                      struct pdv_error *err)
{
	return erase_walk(s, subject, NULL, true, cb, ctx, err);
}

int pdv_object(struct pdv_session *s, const char *subject, const char *activity, pdv_rights_cb cb,
               void *ctx, struct pdv_error *err)
{
	char canon[PDV_ID_MAX];
	struct pdv_subject_row srow;
	struct pdv_rows rows;
	int64_t holds;
	int rc;

	subject = pdv_id_canon(s, 's', subject, canon); /* what binds and is logged */

	if ((rc = begin_right(s, subject, activity, &srow, &rows, &holds, err)) < 0)
		return rc;
	if (!activity) {
		/* the suppression list first: from every lookup value the subject has */
		struct pdv_duration keep = {3, PDV_UNIT_YEAR};
		pdv_day_t until;

		if (s->vault->decl->rights.suppression.s &&
		    pdv_duration_parse(s->vault->decl->rights.suppression.s, false, &keep, NULL) <
		        0)
			keep = (struct pdv_duration){3, PDV_UNIT_YEAR};
		if (pdv_day_add(pdv_time_day(s->now), keep, &until) < 0)
			until = pdv_time_day(s->now) + 3 * 366;
		for (size_t i = 0; i < rows.n && rc == 0; i++) {
			uint8_t hashes[PDV_PLAIN_MAX][PDV_HASH_LEN];
			size_t n = 0;

			rc = pdv_record_lookups(s, s->scratch, &rows.v[i], hashes, &n, err);
			for (size_t k = 0; k < n && rc == 0; k++)
				rc = pdv_store_suppression_put(s->store, hashes[k], s->now,
				                               pdv_day_start(until), err);
		}
	}
	for (size_t i = 0; i < rows.n && rc == 0; i++) {
		struct pdv_record_row *r = &rows.v[i];
		const struct pdv_activity *a = pdv_vault_activity(s->vault, r->activity);
		char rid[PDV_ID_MAX], canon_record[PDV_ID_MAX];

		pdv_id_format(s->vault, 'r', r->id, r->tag, rid);
		pdv_id_canonical('r', r->id, r->tag, canon_record);
		if (activity) {
			if (strcmp(activity, r->activity) != 0)
				continue;
			struct pdv_record_row upd = *r;
			/* Art. 19 covers every restriction, this one of Art.
			 * 18(1)(d) too: the activity's recipients hear of it, as
			 * after `restrict`, once (not again for a record already
			 * restricted) */
			bool newly = !r->phase || strcmp(r->phase, "restricted") != 0;

			upd.phase = "restricted";
			if ((rc = pdv_vault_record_update(s, &upd, err)) == 0 &&
			    (rc = pdv_audit_append(s, "restrict", subject, canon_record,
			                           r->activity, "objection", err)) == 0 &&
			    newly)
				rc = pdv_notify_recipients(s, a, "restriction", r->subject_id,
				                           r->id, canon_record, err);
			if (rc == 0)
				rc = cb(ctx, rid, "restricted", NULL);
			continue;
		}
		if (!is_marketing(a))
			continue;
		if (holds > 0) {
			rc = cb(ctx, rid, "kept", "under a legal hold");
			continue;
		}
		if ((rc = pdv_record_end(s, r, s->scratch, subject, "objection", true, err)) == 0)
			rc = cb(ctx, rid, "ended", NULL);
	}
	if (rc == 0)
		rc = pdv_audit_append(s, "object", subject, NULL, activity, NULL, err);
	return finish(s, &rows, rc, err);
}
