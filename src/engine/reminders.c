/*
 * reminders.c — what the DPO is reminded of by email (pdv/vault.h,
 * pdv_dpo_reminders): the daily digest of requests due soon or overdue, and
 * the alerts of a breach the authority has not been told of.
 *
 * Invariants:
 *  - each message is queued once for its key ("digest:DAY",
 *    "breach:ID:STAGE"), whoever runs this and however often: the store's
 *    unique key (migration 0011) decides, in the write transaction;
 *  - a key already there is read without a write transaction, so a worker
 *    that runs this every minute writes nothing on most runs;
 *  - nothing personal is queued: references, kinds, dates, a breach's id
 *    and clock (its summary stays sealed in the register).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine-internal.h"

#define DIGEST_DAYS 7
#define DIGEST_MAX (64 * 1024)

static const char *controller_country(const struct pdv_session *s)
{
	return s->vault->decl->controller.country.s; /* NULL: UTC */
}

/* queue kind under key unless it is there; *queued counts what this did */
static int queue_once(struct pdv_session *s, const char *kind, const char *key, const char *payload,
                      size_t len, long *queued, struct pdv_error *err)
{
	bool there = false;
	int rc;

	if ((rc = pdv_store_outbox_once_exists(s->store, key, &there, err)) < 0 || there)
		return rc;
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = pdv_store_outbox_insert_once(s->store, kind, key, (const uint8_t *)payload, len,
	                                       s->now, err)) < 0) {
		pdv_session_tx_rollback(s);
		return rc;
	}
	*queued += rc; /* 0: another worker queued it between the read and now */
	return pdv_session_tx_commit(s, err);
}

struct digest {
	pdv_day_t today;
	char *text;
	size_t len;
	bool full;
};

static int digest_one(void *ctx, const struct pdv_request_info *r)
{
	struct digest *d = ctx;
	struct pdv_date date;
	pdv_day_t due;
	int n;

	if (sscanf(r->due, "%4d-%2d-%2d", &date.year, &date.month, &date.day) != 3)
		return 0;
	due = pdv_date_to_day(date);
	if (due - d->today > DIGEST_DAYS)
		return 0;
	/* the reference the person and the DPO share; else the request's id */
	n = snprintf(d->text + d->len, DIGEST_MAX - d->len, "%s %s %s %d\n",
	             r->reference[0] ? r->reference : r->request, r->kind ? r->kind : "-", r->due,
	             (int)(due - d->today));
	if (n < 0 || (size_t)n >= DIGEST_MAX - d->len) {
		d->full = true; /* the rest is in the back office */
		return 1;
	}
	d->len += (size_t)n;
	return 0;
}

static int digest_queue(struct pdv_session *s, int digest_hour, long *queued, struct pdv_error *err)
{
	const char *country = controller_country(s);
	pdv_time_t local = s->now + pdv_controller_offset(country, s->now);
	struct digest d = {.today = pdv_controller_day(country, s->now)};
	char key[32], day[21];
	bool there = false;
	int rc;

	if ((local % 86400) / 3600 < digest_hour)
		return 0;
	pdv_time_format(pdv_day_start(d.today), day);
	snprintf(key, sizeof(key), "digest:%.10s", day);
	if ((rc = pdv_store_outbox_once_exists(s->store, key, &there, err)) < 0 || there)
		return rc;
	if (!(d.text = malloc(DIGEST_MAX)))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if ((rc = pdv_request_list(s, "open", digest_one, &d, err)) >= 0 && d.len)
		rc = queue_once(s, "dpo-digest", key, d.text, d.len, queued, err);
	free(d.text);
	return rc < 0 ? rc : 0;
}

/* the breaches, copied out of the store's iteration */
struct breach_copy {
	int64_t id;
	uint8_t tag[PDV_TAG_LEN];
	pdv_time_t aware_at, authority_due;
};
struct breach_copies {
	struct breach_copy *v;
	size_t n, cap;
};

static int breach_copy(void *ctx, const struct pdv_breach_row *r)
{
	struct breach_copies *l = ctx;

	/* Art. 33(1): nothing to remind of once the authority is told, or for a
	 * breach assessed unlikely to result in a risk */
	if (r->authority_notified || (r->risk && strcmp(r->risk, "unlikely") == 0))
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct breach_copy *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return PDV_E_NOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n].id = r->id;
	memcpy(l->v[l->n].tag, r->tag, PDV_TAG_LEN);
	l->v[l->n].aware_at = r->aware_at;
	l->v[l->n].authority_due = r->authority_due;
	l->n++;
	return 0;
}

/* the latest stage reached at now: recorded, 48h (left), 24h (left), overdue */
static const char *breach_stage(const struct breach_copy *b, pdv_time_t now)
{
	if (now >= b->authority_due)
		return "overdue";
	if (now >= b->authority_due - 24 * 3600)
		return "24h";
	if (now >= b->authority_due - 48 * 3600)
		return "48h";
	return "recorded";
}

static int breaches_queue(struct pdv_session *s, long *queued, struct pdv_error *err)
{
	struct breach_copies l = {0};
	int rc = pdv_store_breaches_each(s->store, breach_copy, &l, err);

	if (rc == PDV_E_NOMEM)
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	for (size_t i = 0; rc >= 0 && i < l.n; i++) {
		const struct breach_copy *b = &l.v[i];
		const char *stage = breach_stage(b, s->now);
		char key[64], shown[PDV_ID_MAX], payload[PDV_ID_MAX + 64];
		int n;

		snprintf(key, sizeof(key), "breach:%lld:%s", (long long)b->id, stage);
		pdv_id_format(s->vault, 'b', b->id, b->tag, shown);
		n = snprintf(payload, sizeof(payload), "%s %lld %lld %s", shown,
		             (long long)b->aware_at, (long long)b->authority_due, stage);
		rc = queue_once(s, "dpo-breach-alert", key, payload, (size_t)n, queued, err);
	}
	free(l.v);
	return rc < 0 ? rc : 0;
}

int pdv_dpo_reminders(struct pdv_session *s, int digest_hour, long *ret_queued,
                      struct pdv_error *err)
{
	long queued = 0;
	int rc;

	if ((rc = breaches_queue(s, &queued, err)) >= 0)
		rc = digest_queue(s, digest_hour, &queued, err);
	if (ret_queued)
		*ret_queued = queued;
	return rc < 0 ? rc : 0;
}
