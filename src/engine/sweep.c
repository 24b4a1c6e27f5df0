/*
 * sweep.c — apply the retention of every activity at now.
 *
 * Records are walked in id order, a batch at a time, through the records
 * whose stored next transition is due; each takes the phase the calculus
 * gives from the declaration and its events (never the time of the sweep:
 * an archive counts from the computed end of the active phase). Each batch is
 * one transaction, so a killed sweep loses only its batch and a second run
 * finds the same records due and finishes; an ended record is deleted, so it
 * cannot end twice.
 *
 * A full batch (more may follow) leaves the blind indexes of the subjects it
 * shreds to one purge at the end of the sweep, and every SWEEP_PURGE_EVERY
 * subjects (see pdv_lookups_defer): deleted per batch, they cost a rewrite of
 * most of the lookups table each time once it outgrows the page cache. A
 * small sweep (one partial batch) deletes them in its own transaction.
 */
#include <string.h>

#include "engine-internal.h"

/* a batch is one transaction (one fsync): 10,000 records took the sweep from
 * 38k to 54k records/s against batches of 1,000, for a few MiB of rows held */
#define SWEEP_BATCH 10000
/* bounds the purge's list of subject ids (a few MiB) and how long a shredded
 * subject's lookups outlive its key */
#define SWEEP_PURGE_EVERY 250000

static bool end_anonymises(const struct pdv_session *s, const char *activity)
{
	const struct pdv_activity *a = pdv_vault_activity(s->vault, activity);

	return a && a->retention.end.s && strcmp(a->retention.end.s, "anonymise") == 0;
}

static int sweep_one(struct pdv_session *s, bool dry_run, const struct pdv_record_row *r,
                     struct pdv_sweep_counts *out, pdv_sweep_item_cb item, void *ctx,
                     struct pdv_error *err)
{
	struct pdv_subject_row subj;
	struct pdv_phase_info pi;
	char sid[PDV_ID_MAX], rid[PDV_ID_MAX], shown[PDV_ID_MAX];
	const char *to;
	int64_t holds;
	int rc;

	pdv_id_canonical('r', r->id, r->tag, rid);
	if (r->subject_known) {
		/* read with the record; the wrapped key only if anonymising */
		memset(&subj, 0, sizeof(subj));
		subj.id = r->subject_id;
		memcpy(subj.tag, r->subject_tag, PDV_TAG_LEN);
		subj.restricted = r->subject_restricted;
	} else if ((rc = pdv_store_subject_get(s->store, r->subject_id, &subj, err)) < 0) {
		return rc;
	}
	pdv_id_canonical('s', subj.id, subj.tag, sid);
	bool restricted = subj.restricted;
	if (s->facts_known && !s->facts.holds)
		holds = 0;
	else if ((rc = pdv_store_holds_active_count(s->store, subj.id, &holds, err)) < 0)
		return rc;
	rc = pdv_record_phase(s, r, &pi, err);
	if (rc == PDV_E_NOTFOUND) {
		/* the declaration no longer computes a retention for it: leave it */
		pdv_error_clear(err);
		return 0;
	}
	if (rc < 0)
		return rc;
	to = pdv_phase_name(pi.phase);
	if (strcmp(to, r->phase) == 0) {
		/* not moving (a stale due time): store the next one */
		if (dry_run)
			return 0;
		struct pdv_record_row upd = *r;
		upd.next_at = pi.has_next ? pi.next_at : 0;
		return pdv_vault_record_update(s, &upd, err);
	}
	if (restricted || holds > 0) {
		out->held++;
		return item && dry_run ? item(ctx, pdv_id_shown(s->vault, rid, shown), r->activity,
		                              r->phase, "held")
		                       : 0;
	}
	if (pi.phase == PDV_PHASE_ENDED) {
		bool anon = end_anonymises(s, r->activity);

		if (anon)
			out->anonymised++;
		else
			out->deleted++;
		if (dry_run)
			return item ? item(ctx, pdv_id_shown(s->vault, rid, shown), r->activity,
			                   r->phase, anon ? "anonymised" : "deleted")
			            : 0;
		/* only an anonymisation reads the values: a deletion needs no key */
		if (anon && r->subject_known &&
		    (rc = pdv_store_subject_get(s->store, r->subject_id, &subj, err)) < 0)
			return rc;
		if (anon && (rc = pdv_vault_subject_key_into(s, &subj, s->scratch, err)) < 0)
			return rc;
		return pdv_record_end(s, r, s->scratch, sid, "retention", false, err);
	}
	if (pi.phase == PDV_PHASE_ARCHIVED)
		out->archived++;
	else if (pi.phase == PDV_PHASE_RENEWAL_PENDING)
		out->renewals++;
	if (dry_run)
		return item ? item(ctx, pdv_id_shown(s->vault, rid, shown), r->activity, r->phase,
		                   to)
		            : 0;
	struct pdv_record_row upd = *r;
	upd.phase = to;
	upd.phase_at = pi.since;
	upd.next_at = pi.has_next ? pi.next_at : 0;
	if ((rc = pdv_vault_record_update(s, &upd, err)) < 0)
		return rc;
	if (pi.phase == PDV_PHASE_RENEWAL_PENDING &&
	    (rc = pdv_store_outbox_insert(s->store, "renewal", NULL, subj.id, r->id, NULL, 0,
	                                  s->now, err)) < 0)
		return rc;
	return pdv_audit_append(s, to, sid, rid, r->activity, "retention", err);
}

int pdv_sweep(struct pdv_session *s, bool dry_run, struct pdv_sweep_counts *out,
              pdv_sweep_item_cb item, pdv_sweep_progress_cb progress, void *ctx,
              struct pdv_error *err)
{
	int64_t after = 0;
	long done = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	for (;;) {
		struct pdv_rows rows;

		if ((rc = pdv_session_tx_begin(s, err)) < 0)
			return rc;
		if ((rc = pdv_vault_records_due(s, after, SWEEP_BATCH, &rows, err)) < 0) {
			pdv_session_tx_rollback(s);
			return rc;
		}
		if (!dry_run && rows.n == SWEEP_BATCH)
			rc = pdv_lookups_defer(s, err);
		/* one look per batch at what its records may skip (no events, no
		 * directives, no holds: the usual case), instead of one per record */
		if (rc == 0 && rows.n > 0 &&
		    (rc = pdv_store_batch_facts(s->store, rows.v[0].id, rows.v[rows.n - 1].id,
		                                &s->facts, err)) == 0)
			s->facts_known = true;
		for (size_t i = 0; i < rows.n && rc == 0; i++) {
			after = rows.v[i].id;
			rc = sweep_one(s, dry_run, &rows.v[i], out, item, ctx, err);
		}
		s->lookups_deferred = s->facts_known = false;
		done += (long)rows.n;
		if (rc < 0 || dry_run)
			pdv_session_tx_rollback(s);
		else
			rc = pdv_session_tx_commit(s, err);
		pdv_secret_generate(s->scratch);
		if (rc == 0 && !dry_run &&
		    (rows.n < SWEEP_BATCH || s->lookups_pending >= SWEEP_PURGE_EVERY))
			rc = pdv_lookups_purge(s, err);
		if (rc < 0 || rows.n == 0) {
			pdv_rows_release(&rows);
			return rc;
		}
		pdv_rows_release(&rows);
		if (progress)
			progress(ctx, done);
	}
}

int pdv_sweep_lock(struct pdv_session *s, bool *ret_got, struct pdv_error *err)
{
	return pdv_store_sweep_try_lock(s->store, ret_got, err);
}

void pdv_sweep_unlock(struct pdv_session *s)
{
	pdv_store_sweep_unlock(s->store);
}
