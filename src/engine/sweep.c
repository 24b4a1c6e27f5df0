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
 * A record that would move waits, unchanged, while its subject is restricted
 * or under a hold ("held") or has an open request ("held_by_request": an
 * access must see what the vault held when it was asked, an erasure must be
 * decided by the DPO, not by the clock); the next sweep after the request's
 * close moves it.
 *
 * A full batch (more may follow) leaves the blind indexes of the subjects it
 * shreds to one purge at the end of the sweep, and every SWEEP_PURGE_EVERY
 * subjects (see pdv_lookups_defer): deleted per batch, they cost a rewrite of
 * most of the lookups table each time once it outgrows the page cache. A
 * small sweep (one partial batch) deletes them in its own transaction.
 *
 * Proof of the sweep (the accountability dossier reads it, dossier.c): each
 * run that is not a dry run ends with one "sweep" entry whose detail counts
 * what was due and what it did, and each record it moves late gets a
 * "sweep-late" entry beside its own. A record's transition is due at the
 * time the calculus says its new phase began (pi.since). It is late when it
 * is moved more than SWEEP_GRACE_DAYS UTC days after the day it was due
 * (a daily sweep moves what fell due during a day on the next), and it
 * became due after the previous run: what was due at the previous run and
 * not moved was held (restriction, hold, open request), which that run
 * counted, not a sweep that did not run. The previous run's time is the
 * mark "sweep_last_at", set by the run's last transaction.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "engine-internal.h"

/* a batch is one transaction (one fsync): 10,000 records took the sweep from
 * 38k to 54k records/s against batches of 1,000, for a few MiB of rows held */
#define SWEEP_BATCH 10000
/* bounds the purge's list of subject ids (a few MiB) and how long a shredded
 * subject's lookups outlive its key */
#define SWEEP_PURGE_EVERY 250000
/* a transition moved more than this many UTC days after its due day is late */
#define SWEEP_GRACE_DAYS 1
#define SWEEP_LAST_MARK "sweep_last_at"

static bool end_anonymises(const struct pdv_session *s, const char *activity)
{
	const struct pdv_activity *a = pdv_vault_activity(s->vault, activity);

	return a && pdv_end_action_of(a->retention.end.s) == PDV_END_ANONYMISE;
}

/* moved now, due at `due`, when the previous run was at `last` (0: none) */
static bool moved_late(const struct pdv_session *s, pdv_time_t due, pdv_time_t last)
{
	return due > last && pdv_time_day(s->now) > pdv_time_day(due) + SWEEP_GRACE_DAYS;
}

/* the "sweep-late" entry of a record moved late; entry: the seq of its own */
static int audit_late(struct pdv_session *s, const char *sid, const char *rid,
                      const struct pdv_record_row *r, pdv_time_t due, int64_t entry,
                      struct pdv_sweep_counts *out, struct pdv_error *err)
{
	char at[21], detail[64];

	out->late++;
	pdv_time_format(due, at);
	snprintf(detail, sizeof(detail), "due %s entry %" PRId64, at, entry);
	return pdv_audit_append(s, "sweep-late", sid, rid, r->activity, detail, err);
}

static int sweep_one(struct pdv_session *s, bool dry_run, pdv_time_t last,
                     const struct pdv_record_row *r, struct pdv_sweep_counts *out,
                     pdv_sweep_item_cb item, void *ctx, struct pdv_error *err)
{
	struct pdv_subject_row subj;
	struct pdv_phase_info pi;
	char sid[PDV_ID_MAX], rid[PDV_ID_MAX], shown[PDV_ID_MAX];
	const char *to;
	int64_t holds, open;
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
	if (rc == PDV_E_RANGE) {
		/* a date the engine never writes (out of years 1..9999: a damaged
		 * or tampered store): no end can be computed from it, so the
		 * record is neither ended nor kept on a guess. It is left as it
		 * is, named, and the others are swept: one damaged record used to
		 * stop the retention of the whole vault, at every run */
		pdv_error_clear(err);
		out->damaged++;
		return item ? item(ctx, pdv_id_shown(s->vault, rid, shown), r->activity, r->phase,
		                   "damaged")
		            : 0;
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
	/* an open request of the person's waits for its answer: what it asks
	 * about (an access, an erasure) is not to race the retention clock */
	if ((rc = pdv_store_requests_open_of_subject(s->store, subj.id, &open, err)) < 0)
		return rc;
	if (open > 0) {
		out->held_by_request++;
		return item && dry_run ? item(ctx, pdv_id_shown(s->vault, rid, shown), r->activity,
		                              r->phase, "held-by-request")
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
		/* the end is the first entry pdv_record_end appends */
		int64_t entry = s->head_seq + 1;
		if ((rc = pdv_record_end(s, r, s->scratch, sid, "retention", false, err)) < 0)
			return rc;
		return moved_late(s, pi.since, last)
		           ? audit_late(s, sid, rid, r, pi.since, entry, out, err)
		           : 0;
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
	/* the person is asked, with a link valid until silence ends the record */
	if (pi.phase == PDV_PHASE_RENEWAL_PENDING &&
	    (rc = pdv_renewal_queue(s, r, subj.id, upd.next_at, err)) < 0)
		return rc;
	if ((rc = pdv_audit_append(s, to, sid, rid, r->activity, "retention", err)) < 0)
		return rc;
	return moved_late(s, pi.since, last)
	           ? audit_late(s, sid, rid, r, pi.since, s->head_seq, out, err)
	           : 0;
}

/* the run's own entry, in its last transaction, and the mark of its time */
static int audit_run(struct pdv_session *s, pdv_time_t last, const struct pdv_sweep_counts *n,
                     struct pdv_error *err)
{
	char since[21], detail[256];
	long moved = n->archived + n->deleted + n->anonymised + n->renewals;
	int rc, k;

	if (last)
		pdv_time_format(last, since);
	else
		snprintf(since, sizeof(since), "never");
	k = snprintf(detail, sizeof(detail),
	             "due=%ld moved=%ld archived=%ld deleted=%ld anonymised=%ld renewals=%ld "
	             "held=%ld held_by_request=%ld late=%ld previous=%s",
	             moved + n->held + n->held_by_request, moved, n->archived, n->deleted,
	             n->anonymised, n->renewals, n->held, n->held_by_request, n->late, since);
	/* at the end, and only when there are: the dossier reads the fields before */
	if (n->damaged && k > 0 && (size_t)k < sizeof(detail))
		snprintf(detail + k, sizeof(detail) - (size_t)k, " damaged=%ld", n->damaged);
	if ((rc = pdv_audit_append(s, "sweep", NULL, NULL, NULL, detail, err)) < 0)
		return rc;
	return pdv_session_mark_set(s, SWEEP_LAST_MARK, s->now, err);
}

int pdv_sweep(struct pdv_session *s, bool dry_run, struct pdv_sweep_counts *out,
              pdv_sweep_item_cb item, pdv_sweep_progress_cb progress, void *ctx,
              struct pdv_error *err)
{
	int64_t after = 0, last = -1;
	long done = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	for (;;) {
		struct pdv_rows rows;

		if ((rc = pdv_session_tx_begin(s, err)) < 0)
			return rc;
		if (last < 0 &&
		    (rc = pdv_session_mark_get(s, SWEEP_LAST_MARK, &last, err)) == PDV_E_NOTFOUND) {
			pdv_error_clear(err);
			last = 0;
			rc = 0;
		}
		if (rc < 0 || (rc = pdv_vault_records_due(s, after, SWEEP_BATCH, &rows, err)) < 0) {
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
			rc = sweep_one(s, dry_run, last, &rows.v[i], out, item, ctx, err);
		}
		if (rc == 0 && !dry_run && rows.n == 0)
			rc = audit_run(s, last, out, err);
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
