/*
 * dossier.c — the accountability dossier (Art. 5(2)): for a period, what the
 * audit log and the store show of each promise the declaration makes, every
 * figure with the audit entries it comes from.
 *
 * Read only: nothing is written, no value is opened (ids, times, counts and
 * the declaration's own words). After the verification, the audit log is
 * read once whole for the figures (the entries of the actions below are
 * copied; collections and consents are only counted, with their numbers
 * kept), then for the appendix only from the first entry some row names to
 * the last. Lateness:
 *  - a sweep run is late when it moved records late: its "sweep" entry
 *    counts them, and each has a "sweep-late" entry (sweep.c: moved more
 *    than a day after its due day, due after the previous run);
 *  - a request is late when it was answered (done or refused) after its due
 *    day (after the extension, when taken), or is still open after it at the
 *    end of the period; days are the controller's (as the desk counts them);
 *  - a breach is late when the authority was told after its 72 hours, or
 *    was still owed the notice after them at the end of the period.
 * Nothing else is marked late.
 *
 * Cookie banners: per configuration `pdvault banner` kept, the receipts
 * received in the period, counted by event and with GPC from their
 * "cookie-receipt" audit entries (detail "EVENT CONFIG[ gpc]"), and per
 * purpose granted or refused from the receipts themselves (received at the
 * entry's time, in its transaction); receipts swept after proof_retention
 * leave their entries, and the row says how many receipts its purposes
 * come from.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine-internal.h"

/* row references listed in full up to this many numbers */
#define REFS_MAX 200

struct seqs {
	int64_t *v;
	size_t n, cap;
};

static int seqs_add(struct seqs *s, int64_t x)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		int64_t *p = realloc(s->v, cap * sizeof(*p));
		if (!p)
			return PDV_E_NOMEM;
		s->v = p;
		s->cap = cap;
	}
	s->v[s->n++] = x;
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* an audit entry, copied */
struct ent {
	int64_t seq;
	pdv_time_t at;
	char *actor, *action, *subject, *record, *activity, *detail;
};

/* the consent ledger of one activity in the period */
struct consent_count {
	const char *activity;
	long collected, granted, withdrawn;
	struct seqs seqs;
};

/* a purpose of a banner configuration, as the receipts name it */
struct purpose_count {
	char *id;
	long granted, refused;
};

/* one banner configuration and its receipts in the period */
enum { EV_ACCEPT, EV_REFUSE, EV_CHANGE, EV_WITHDRAW, EV_N };
static const char *const ev_names[EV_N] = {"accept", "refuse", "change", "withdraw"};

struct banner_count {
	char *id, *kit, *lang;
	pdv_time_t created;
	long events[EV_N], gpc, entries, receipts;
	struct purpose_count *purposes;
	size_t n_purposes;
	struct seqs seqs;
};

struct dctx {
	struct pdv_session *s;
	pdv_time_t from, to;
	struct ent *v;
	size_t n, cap;
	struct consent_count *consents;
	size_t n_consents;
	struct banner_count *banners;
	size_t n_banners;
	struct seqs cited; /* every entry a row names */
	struct byid *ix;   /* the request and breach entries, by id then seq */
	size_t n_ix;
	struct pdv_dossier *x;
	int rc;
};

static char *dup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static bool in_period(const struct dctx *c, pdv_time_t t)
{
	return t >= c->from && t < c->to;
}

static bool kept_action(const char *a)
{
	static const char *const keep[] = {
	    "sweep",
	    "sweep-late",
	    "request-open",
	    "request-extend",
	    "request-done",
	    "request-refuse",
	    "breach-open",
	    "breach-assess",
	    "breach-describe",
	    "key-rotate",
	    "breach-notify-authority",
	    "breach-notify-subjects",
	    "erase",
	    "end",
	    "rectify",
	};
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if (strcmp(a, keep[i]) == 0)
			return true;
	return false;
}

static struct banner_count *banner_of(struct dctx *c, const char *id, size_t len)
{
	for (size_t i = 0; i < c->n_banners; i++)
		if (strlen(c->banners[i].id) == len && strncmp(c->banners[i].id, id, len) == 0)
			return &c->banners[i];
	return NULL;
}

/* a "cookie-receipt" entry: "EVENT CONFIG" or "EVENT CONFIG gpc" */
static int count_receipt_entry(struct dctx *c, const struct pdv_audit_row *r)
{
	const char *ev = r->detail, *cfg = strchr(ev, ' ');
	struct banner_count *b;
	size_t len;

	if (!cfg)
		return 0;
	cfg++;
	len = strcspn(cfg, " ");
	if (!(b = banner_of(c, cfg, len)))
		return 0;
	for (size_t k = 0; k < EV_N; k++)
		if ((size_t)(cfg - 1 - ev) == strlen(ev_names[k]) &&
		    strncmp(ev, ev_names[k], strlen(ev_names[k])) == 0)
			b->events[k]++;
	if (strcmp(cfg + len, " gpc") == 0)
		b->gpc++;
	b->entries++;
	return seqs_add(&b->seqs, r->seq);
}

static int take(void *ctx, const struct pdv_audit_row *r)
{
	struct dctx *c = ctx;
	struct ent *e;

	if (!r->action)
		return 0;
	if (r->activity && in_period(c, r->at) &&
	    (strcmp(r->action, "collect") == 0 || strcmp(r->action, "consent-grant") == 0 ||
	     strcmp(r->action, "consent-withdraw") == 0)) {
		for (size_t i = 0; i < c->n_consents; i++) {
			struct consent_count *k = &c->consents[i];
			if (strcmp(k->activity, r->activity) != 0)
				continue;
			if (strcmp(r->action, "collect") == 0)
				k->collected++;
			else if (strcmp(r->action, "consent-grant") == 0)
				k->granted++;
			else
				k->withdrawn++;
			return seqs_add(&k->seqs, r->seq);
		}
		return 0;
	}
	if (strcmp(r->action, "cookie-receipt") == 0 && r->detail && in_period(c, r->at))
		return count_receipt_entry(c, r);
	if (!kept_action(r->action))
		return 0;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 64;
		struct ent *p = realloc(c->v, cap * sizeof(*p));
		if (!p)
			return PDV_E_NOMEM;
		c->v = p;
		c->cap = cap;
	}
	e = &c->v[c->n++];
	memset(e, 0, sizeof(*e));
	e->seq = r->seq;
	e->at = r->at;
	e->actor = dup(r->actor);
	e->action = dup(r->action);
	e->subject = dup(r->subject);
	e->record = dup(r->record);
	e->activity = dup(r->activity);
	e->detail = dup(r->detail);
	if (!e->action || (r->actor && !e->actor) || (r->subject && !e->subject) ||
	    (r->record && !e->record) || (r->activity && !e->activity) || (r->detail && !e->detail))
		return PDV_E_NOMEM;
	return 0;
}

/* ---- the entries naming a request or a breach, by its id -------------- */

struct byid {
	const char *detail; /* the canonical id */
	size_t i;           /* in c->v, so in seq order among equals */
};

static int cmp_byid(const void *a, const void *b)
{
	const struct byid *x = a, *y = b;
	int d = strcmp(x->detail, y->detail);

	return d ? d : (x->i > y->i) - (x->i < y->i);
}

static int index_ids(struct dctx *c)
{
	if (!(c->ix = malloc((c->n ? c->n : 1) * sizeof(*c->ix))))
		return PDV_E_NOMEM;
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].detail && (strncmp(c->v[i].action, "request-", 8) == 0 ||
		                       strncmp(c->v[i].action, "breach-", 7) == 0))
			c->ix[c->n_ix++] = (struct byid){c->v[i].detail, i};
	if (c->n_ix)
		qsort(c->ix, c->n_ix, sizeof(*c->ix), cmp_byid);
	return 0;
}

/* the first position in c->ix of an entry naming id (c->n_ix: none) */
static size_t ix_first(const struct dctx *c, const char *id)
{
	size_t lo = 0, hi = c->n_ix;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(c->ix[mid].detail, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool ix_at(const struct dctx *c, size_t k, const char *id)
{
	return k < c->n_ix && strcmp(c->ix[k].detail, id) == 0;
}

/* ---- rows -------------------------------------------------------------- */

static struct pdv_dossier_table *table_new(struct dctx *c, const char *id, const char *title,
                                           const char *intro, const char *empty,
                                           const char *const *cols, size_t n_cols)
{
	struct pdv_dossier_table *t = &c->x->tables[c->x->n_tables++];

	t->id = id;
	t->title = title;
	t->intro = intro;
	t->empty = empty;
	t->columns = cols;
	t->n_columns = n_cols;
	return t;
}

/* "3, 7-9, 12": sorted, runs joined, at most REFS_MAX numbers then a count */
static char *refs_text(struct seqs *s)
{
	struct pdv_buf b;
	size_t shown = 0;

	if (!s->n)
		return NULL;
	qsort(s->v, s->n, sizeof(s->v[0]), cmp_i64);
	pdv_buf_init(&b, 0);
	for (size_t i = 0; i < s->n;) {
		size_t j = i;
		while (j + 1 < s->n && s->v[j + 1] <= s->v[j] + 1)
			j++;
		if (shown >= REFS_MAX) {
			if (pdv_buf_printf(&b, ", and %zu more", s->n - i) < 0)
				goto fail;
			break;
		}
		if (pdv_buf_printf(&b, "%s%" PRId64, shown ? ", " : "", s->v[i]) < 0 ||
		    (j > i && pdv_buf_printf(&b, "-%" PRId64, s->v[j]) < 0))
			goto fail;
		shown += j - i + 1;
		i = j + 1;
	}
	return pdv_buf_steal(&b);
fail:
	pdv_buf_release(&b);
	return NULL;
}

/* a row of n cells (copied), its references (cited for the appendix) */
static int row_add(struct dctx *c, struct pdv_dossier_table *t, bool late, struct seqs *refs,
                   const char *const *cells)
{
	struct pdv_dossier_row *r;
	int rc;

	if (t->n_rows == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 16;
		struct pdv_dossier_row *p = realloc(t->rows, cap * sizeof(*p));
		if (!p)
			return PDV_E_NOMEM;
		t->rows = p;
		t->cap = cap;
	}
	r = &t->rows[t->n_rows++];
	memset(r, 0, sizeof(*r));
	r->late = late;
	if (late)
		c->x->n_late++;
	if (!(r->cells = calloc(t->n_columns, sizeof(char *))))
		return PDV_E_NOMEM;
	for (size_t i = 0; i < t->n_columns; i++)
		if (!(r->cells[i] = strdup(cells[i] ? cells[i] : "")))
			return PDV_E_NOMEM;
	if (refs && refs->n) {
		for (size_t i = 0; i < refs->n; i++)
			if ((rc = seqs_add(&c->cited, refs->v[i])) < 0)
				return rc;
		if (!(r->refs = refs_text(refs)))
			return PDV_E_NOMEM;
	}
	return 0;
}

static void fmt_time(pdv_time_t t, char out[21])
{
	pdv_time_format(t, out);
}

static const char *country(const struct dctx *c)
{
	const char *k = c->s->vault->decl->controller.country.s;
	return k ? k : "FR";
}

static int parse_day(const char *s, pdv_day_t *ret)
{
	struct pdv_date d;

	if (!s || sscanf(s, "%4d-%2d-%2d", &d.year, &d.month, &d.day) != 3)
		return PDV_E_INVAL;
	*ret = pdv_date_to_day(d);
	return 0;
}

static void fmt_day(pdv_day_t d, char out[11])
{
	pdv_date_format(pdv_day_to_date(d), out);
}

/* ---- sweeps ------------------------------------------------------------ */

static int sweeps(struct dctx *c)
{
	static const char *const cols[] = {"Run", "Due", "Moved", "Held", "Late", "Verdict"};
	static const char *const lcols[] = {"Record", "Activity", "Due", "Moved", "Days after due"};
	struct pdv_dossier_table *t = table_new(
	    c, "sweeps", "Retention sweeps",
	    "Each run of the sweep in the period: the records whose transition (archive, end, "
	    "renewal) was due, those it moved, those it kept because the person was restricted, "
	    "under a hold or had an open request (held), and those it moved late. A transition "
	    "is due when the declared retention says its phase begins; it is late when moved more "
	    "than one day after its due day and it fell due after the previous run (what the "
	    "previous run kept was held, not forgotten). A record whose stored dates give no "
	    "retention date (a damaged store) is left as it is and said in the verdict.",
	    "No sweep ran in the period.", cols, 6);
	struct pdv_dossier_table *lt =
	    table_new(c, "late-transitions", "Transitions moved late",
	              "Each record a sweep moved late, with its due time and its own audit entry.",
	              "None.", lcols, 5);
	size_t start = 0; /* the first entry after the previous run's */
	int rc = 0;

	for (size_t i = 0; i < c->n && rc == 0; i++) {
		const struct ent *e = &c->v[i];
		long due = 0, moved = 0, ar = 0, de = 0, an = 0, re = 0, he = 0, hr = 0, late = 0;
		long damaged = 0;
		char at[21], f[5][96];
		const char *dm;
		struct seqs refs = {0};

		if (strcmp(e->action, "sweep") != 0)
			continue;
		if (!in_period(c, e->at)) {
			start = i + 1;
			continue;
		}
		if (!e->detail ||
		    sscanf(e->detail,
		           "due=%ld moved=%ld archived=%ld deleted=%ld anonymised=%ld renewals=%ld "
		           "held=%ld held_by_request=%ld late=%ld",
		           &due, &moved, &ar, &de, &an, &re, &he, &hr, &late) != 9) {
			start = i + 1;
			continue;
		}
		rc = seqs_add(&refs, e->seq);
		for (size_t j = start; j < i && rc == 0; j++) {
			const struct ent *l = &c->v[j];
			char due_at[21] = "", moved_at[21], days[24], shown[PDV_ID_MAX];
			struct seqs lrefs = {0};
			int64_t entry = 0;
			pdv_time_t dt = 0;

			if (strcmp(l->action, "sweep-late") != 0)
				continue;
			rc = seqs_add(&refs, l->seq);
			if (l->detail &&
			    sscanf(l->detail, "due %20s entry %" SCNd64, due_at, &entry) == 2 &&
			    pdv_time_parse(due_at, &dt, NULL) == 0) {
				snprintf(days, sizeof(days), "%ld",
				         (long)(pdv_time_day(l->at) - pdv_time_day(dt)));
			} else {
				snprintf(days, sizeof(days), "?");
			}
			fmt_time(l->at, moved_at);
			const char *lc[] = {pdv_id_shown(c->s->vault, l->record, shown),
			                    l->activity, due_at, moved_at, days};
			if (rc == 0)
				rc = seqs_add(&lrefs, l->seq);
			if (rc == 0 && entry > 0)
				rc = seqs_add(&lrefs, entry);
			if (rc == 0)
				rc = row_add(c, lt, false, &lrefs, lc);
			free(lrefs.v);
		}
		fmt_time(e->at, at);
		snprintf(f[0], sizeof(f[0]), "%ld", due);
		snprintf(f[1], sizeof(f[1]), "%ld (archived %ld, ended %ld, renewals asked %ld)",
		         moved, ar, de + an, re);
		snprintf(f[2], sizeof(f[2]), "%ld", he + hr);
		snprintf(f[3], sizeof(f[3]), "%ld", late);
		/* " damaged=N" ends the entry of a run that left such records */
		if ((dm = strstr(e->detail, " damaged=")) &&
		    sscanf(dm, " damaged=%ld", &damaged) != 1)
			damaged = 0;
		if (damaged > 0)
			snprintf(f[4], sizeof(f[4]), "%s; %ld left as they are: damaged dates",
			         late ? "late" : "on time", damaged);
		else
			snprintf(f[4], sizeof(f[4]), "%s", late ? "late" : "on time");
		const char *cells[] = {at, f[0], f[1], f[2], f[3], f[4]};
		if (rc == 0)
			rc = row_add(c, t, late > 0, &refs, cells);
		free(refs.v);
		start = i + 1;
	}
	return rc;
}

/* ---- requests ---------------------------------------------------------- */

struct req {
	int64_t id;
	uint8_t tag[PDV_TAG_LEN];
	char kind[32], status[16], received[11], due[11], reference[PDV_REFERENCE_MAX];
	int64_t closed_at;
	bool extended;
};
struct reqs {
	struct req *v;
	size_t n, cap;
};

static int copy_req(void *ctx, const struct pdv_request_row *r)
{
	struct reqs *l = ctx;
	struct req *q;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 32;
		struct req *p = realloc(l->v, cap * sizeof(*p));
		if (!p)
			return PDV_E_NOMEM;
		l->v = p;
		l->cap = cap;
	}
	q = &l->v[l->n++];
	memset(q, 0, sizeof(*q));
	q->id = r->id;
	memcpy(q->tag, r->tag, PDV_TAG_LEN);
	pdv_strlcpy(q->kind, r->kind ? r->kind : "", sizeof(q->kind));
	pdv_strlcpy(q->status, r->status ? r->status : "", sizeof(q->status));
	pdv_strlcpy(q->received, r->received ? r->received : "", sizeof(q->received));
	pdv_strlcpy(q->due, r->due ? r->due : "", sizeof(q->due));
	pdv_strlcpy(q->reference, r->reference ? r->reference : "", sizeof(q->reference));
	q->closed_at = r->closed_at;
	q->extended = r->extended;
	return 0;
}

static int requests(struct dctx *c)
{
	static const char *const cols[] = {"Request", "Kind",     "Received",
	                                   "Due",     "Answered", "Verdict"};
	struct pdv_dossier_table *t = table_new(
	    c, "requests", "Requests from data subjects (Art. 12 to 22)",
	    "Every request open at some time in the period: received, due (one month, or the "
	    "extended date when the Art. 12(3) extension was taken), and answered (done or "
	    "refused), in the controller's days. Late: answered after its due day, or still open "
	    "after it at the end of the period.",
	    "No request in the period.", cols, 6);
	struct reqs l = {0};
	pdv_day_t first = pdv_controller_day(country(c), c->from);
	pdv_day_t last = pdv_controller_day(country(c), c->to - 1);
	int rc = pdv_store_requests_each(c->s->store, copy_req, &l, NULL);

	for (size_t i = 0; i < l.n && rc == 0; i++) {
		struct req *q = &l.v[i];
		char canon[PDV_ID_MAX], shown[PDV_ID_MAX], answered[64], due[40];
		pdv_day_t rday, dday, aday = 0;
		bool closed, late;
		const char *answer = NULL;
		struct seqs refs = {0};

		if (parse_day(q->received, &rday) < 0 || parse_day(q->due, &dday) < 0)
			continue;
		pdv_id_canonical('q', q->id, q->tag, canon);
		pdv_id_format(c->s->vault, 'q', q->id, q->tag, shown);
		/* answered: the time of its done or refused entry, the log's word */
		q->closed_at = 0;
		for (size_t k = ix_first(c, canon); ix_at(c, k, canon); k++) {
			const struct ent *e = &c->v[c->ix[k].i];
			if (strcmp(e->action, "request-done") == 0 ||
			    strcmp(e->action, "request-refuse") == 0) {
				q->closed_at = e->at;
				answer = e->action[8] == 'd' ? "done" : "refused";
			}
		}
		closed = q->closed_at && q->closed_at < c->to;
		if (rday > last || (q->closed_at && q->closed_at < c->from &&
		                    pdv_controller_day(country(c), q->closed_at) < first))
			continue;
		for (size_t k = ix_first(c, canon); ix_at(c, k, canon); k++) {
			const struct ent *e = &c->v[c->ix[k].i];
			if (rc == 0 && strncmp(e->action, "request-", 8) == 0 && e->at < c->to)
				rc = seqs_add(&refs, e->seq);
		}
		if (closed) {
			char d[11];
			aday = pdv_controller_day(country(c), q->closed_at);
			fmt_day(aday, d);
			snprintf(answered, sizeof(answered), "%s (%s)", d, answer);
			late = aday > dday;
		} else {
			snprintf(answered, sizeof(answered), "open at the end of the period");
			late = last > dday;
		}
		snprintf(due, sizeof(due), "%s%s", q->due, q->extended ? " (extended)" : "");
		char ref[PDV_ID_MAX + PDV_REFERENCE_MAX + 4];
		snprintf(ref, sizeof(ref), "%s (%s)", q->reference, shown);
		const char *cells[] = {
		    ref, q->kind,  q->received,
		    due, answered, late ? "late" : closed ? "on time" : "open, not due"};
		if (rc == 0)
			rc = row_add(c, t, late, &refs, cells);
		free(refs.v);
	}
	free(l.v);
	return rc;
}

/* ---- consents ---------------------------------------------------------- */

static int consents(struct dctx *c)
{
	static const char *const cols[] = {"Activity", "Consents at collection",
	                                   "Consents given later", "Withdrawals"};
	struct pdv_dossier_table *t = table_new(
	    c, "consents", "Consents and refusals",
	    "The consent ledger per activity based on consent: consents given with a collection, "
	    "given later, and withdrawn in the period (a refusal leaves no record here: cookie "
	    "banner refusals are counted per banner configuration below).",
	    "No activity is based on consent.", cols, 4);
	int rc = 0;

	for (size_t i = 0; i < c->n_consents && rc == 0; i++) {
		struct consent_count *k = &c->consents[i];
		char a[24], b[24], w[24];
		snprintf(a, sizeof(a), "%ld", k->collected);
		snprintf(b, sizeof(b), "%ld", k->granted);
		snprintf(w, sizeof(w), "%ld", k->withdrawn);
		const char *cells[] = {k->activity, a, b, w};
		rc = row_add(c, t, false, &k->seqs, cells);
	}
	return rc;
}

/* ---- cookie banners ---------------------------------------------------- */

static int copy_banner(void *ctx, const struct pdv_cookie_config_row *r)
{
	struct dctx *c = ctx;
	struct banner_count *b;

	if (r->created_at >= c->to)
		return 0;
	b = realloc(c->banners, (c->n_banners + 1) * sizeof(*b));
	if (!b)
		return PDV_E_NOMEM;
	c->banners = b;
	b = &c->banners[c->n_banners++];
	memset(b, 0, sizeof(*b));
	b->created = r->created_at;
	b->id = dup(r->id);
	b->kit = dup(r->kit);
	b->lang = dup(r->lang);
	return b->id && b->kit && b->lang ? 0 : PDV_E_NOMEM;
}

static int purpose_count(struct banner_count *b, const char *id, size_t len, bool granted)
{
	struct purpose_count *p = NULL;

	for (size_t i = 0; i < b->n_purposes && !p; i++)
		if (strlen(b->purposes[i].id) == len && strncmp(b->purposes[i].id, id, len) == 0)
			p = &b->purposes[i];
	if (!p) {
		p = realloc(b->purposes, (b->n_purposes + 1) * sizeof(*p));
		if (!p)
			return PDV_E_NOMEM;
		b->purposes = p;
		p = &b->purposes[b->n_purposes++];
		memset(p, 0, sizeof(*p));
		if (!(p->id = strndup(id, len)))
			return PDV_E_NOMEM;
	}
	if (granted)
		p->granted++;
	else
		p->refused++;
	return 0;
}

/* a receipt's choices, as cookies.c writes them: {"purpose":true,...}
 * (purpose ids are declaration keys: no escapes) */
static int count_receipt(void *ctx, const struct pdv_cookie_receipt_row *r)
{
	struct dctx *c = ctx;
	struct banner_count *b =
	    r->config_id ? banner_of(c, r->config_id, strlen(r->config_id)) : NULL;
	const char *p = r->choices;
	int rc;

	if (!b || !p)
		return 0;
	b->receipts++;
	while ((p = strchr(p, '"'))) {
		const char *end = strchr(p + 1, '"');
		if (!end || end[1] != ':')
			break;
		if ((rc = purpose_count(b, p + 1, (size_t)(end - p - 1),
		                        strncmp(end + 2, "true", 4) == 0)) < 0)
			return rc;
		p = end + 2;
	}
	return 0;
}

static int banners(struct dctx *c)
{
	static const char *const cols[] = {"Banner configuration",
	                                   "Kit",
	                                   "Language",
	                                   "Created",
	                                   "Accepted",
	                                   "Refused",
	                                   "Changed",
	                                   "Withdrawn",
	                                   "With GPC",
	                                   "Per purpose: granted / refused"};
	struct pdv_dossier_table *t = table_new(
	    c, "cookie-receipts", "Cookie banner consents and refusals",
	    "Per banner configuration `pdvault banner` kept, the consent receipts received in the "
	    "period by event and with Global Privacy Control (one \"cookie-receipt\" audit entry "
	    "each), and per purpose the choices they record (required purposes are always "
	    "granted).",
	    "No banner configuration was made by the end of the period.", cols, 10);
	int rc = 0;

	for (size_t i = 0; i < c->n_banners && rc == 0; i++) {
		struct banner_count *b = &c->banners[i];
		char created[21], n[EV_N + 1][24];
		struct pdv_buf per;

		pdv_buf_init(&per, 0);
		fmt_time(b->created, created);
		for (size_t k = 0; k < EV_N; k++)
			snprintf(n[k], sizeof(n[k]), "%ld", b->events[k]);
		snprintf(n[EV_N], sizeof(n[EV_N]), "%ld", b->gpc);
		for (size_t k = 0; k < b->n_purposes && rc == 0; k++)
			rc = pdv_buf_printf(&per, "%s%s: %ld / %ld", k ? "; " : "",
			                    b->purposes[k].id, b->purposes[k].granted,
			                    b->purposes[k].refused);
		if (rc == 0 && b->receipts != b->entries)
			rc = pdv_buf_printf(&per, "%s(from the %ld receipts still kept of %ld)",
			                    per.len ? " " : "", b->receipts, b->entries);
		if (rc == 0 && pdv_buf_putc(&per, '\0') < 0)
			rc = PDV_E_NOMEM;
		if (rc == 0) {
			const char *cells[] = {b->id, b->kit, b->lang, created, n[0],
			                       n[1],  n[2],   n[3],    n[4],    per.data};
			rc = row_add(c, t, false, &b->seqs, cells);
		}
		pdv_buf_release(&per);
	}
	return rc < 0 ? rc : 0;
}

/* ---- breaches ---------------------------------------------------------- */

struct brs {
	struct pdv_breach_info *v;
	size_t n, cap;
};

static int copy_breach(void *ctx, const struct pdv_breach_info *b)
{
	struct brs *l = ctx;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		struct pdv_breach_info *p = realloc(l->v, cap * sizeof(*p));
		if (!p)
			return PDV_E_NOMEM;
		l->v = p;
		l->cap = cap;
	}
	l->v[l->n] = *b;
	/* texts are not asked for; the risk is a static word */
	l->v[l->n].contact = NULL;
	l->n++;
	return 0;
}

static void when(pdv_time_t t, pdv_time_t to, const char *none, char out[40])
{
	if (t && t < to)
		pdv_time_format(t, out);
	else
		snprintf(out, 40, "%s", none);
}

static int breaches(struct dctx *c)
{
	static const char *const cols[] = {"Breach",        "Aware",          "Assessed (risk)",
	                                   "Authority due", "Authority told", "People told",
	                                   "Verdict"};
	struct pdv_dossier_table *t = table_new(
	    c, "breaches", "Personal data breaches (Art. 33, 34)",
	    "Every breach the controller was aware of before the end of the period, with its "
	    "timeline. The authority is due 72 hours after awareness unless the risk was assessed "
	    "unlikely; late: told after that, or still owed after it at the end of the period.",
	    "No breach in the period.", cols, 7);
	struct brs l = {0};
	int rc = pdv_breach_list(c->s, false, copy_breach, &l, NULL);

	for (size_t i = 0; i < l.n && rc == 0; i++) {
		const struct pdv_breach_info *b = &l.v[i];
		char canon[PDV_ID_MAX], aware[21], assessed[64], due[21], auth[40], people[40];
		struct seqs refs = {0};
		bool told = b->authority_notified && b->authority_notified < c->to;
		bool late =
		    b->authority_required &&
		    (told ? b->authority_notified > b->authority_due : c->to > b->authority_due);

		if (b->aware_at >= c->to)
			continue;
		pdv_id_canon(c->s, 'b', b->breach, canon);
		for (size_t k = ix_first(c, canon); ix_at(c, k, canon); k++) {
			const struct ent *e = &c->v[c->ix[k].i];
			if (rc == 0 && strncmp(e->action, "breach-", 7) == 0 && e->at < c->to)
				rc = seqs_add(&refs, e->seq);
		}
		pdv_time_format(b->aware_at, aware);
		if (b->assessed_at && b->assessed_at < c->to) {
			char at[21];
			pdv_time_format(b->assessed_at, at);
			snprintf(assessed, sizeof(assessed), "%s (%s)", at, b->risk ? b->risk : "");
		} else {
			snprintf(assessed, sizeof(assessed), "not assessed");
		}
		pdv_time_format(b->authority_due, due);
		when(b->authority_notified, c->to,
		     b->authority_required ? "not told" : "not required", auth);
		when(b->subjects_notified, c->to,
		     b->subjects_required ? "not told" : "not required", people);
		const char *cells[] = {
		    b->breach, aware, assessed, due, auth, people, late ? "late" : "on time"};
		if (rc == 0)
			rc = row_add(c, t, late, &refs, cells);
		free(refs.v);
	}
	free(l.v);
	return rc;
}

/* ---- Art. 19 notices --------------------------------------------------- */

struct notice_count {
	const char *recipient;
	long queued, sent, failed, pending;
};

static int count_notice(void *ctx, const struct pdv_outbox_row *r)
{
	struct dctx *c = ((void **)ctx)[0];
	struct notice_count *n = ((void **)ctx)[1];
	size_t k = *(size_t *)((void **)ctx)[2];

	if (!r->kind || !r->recipient || !in_period(c, r->created_at) ||
	    (strcmp(r->kind, "erasure") != 0 && strcmp(r->kind, "rectification") != 0))
		return 0;
	for (size_t i = 0; i < k; i++) {
		if (strcmp(n[i].recipient, r->recipient) != 0)
			continue;
		n[i].queued++;
		if (r->status && strcmp(r->status, "sent") == 0)
			n[i].sent++;
		else if (r->status && strcmp(r->status, "failed") == 0)
			n[i].failed++;
		else
			n[i].pending++;
	}
	return 0;
}

static bool sends_to(const struct pdv_activity *a, const char *recipient)
{
	for (size_t i = 0; a && i < a->recipients.n; i++)
		if (a->recipients.v[i].s && strcmp(a->recipients.v[i].s, recipient) == 0)
			return true;
	return false;
}

static int notices(struct dctx *c)
{
	static const char *const cols[] = {"Recipient",      "Erasures and rectifications",
	                                   "Notices queued", "Sent",
	                                   "Failed",         "Waiting"};
	struct pdv_dossier_table *t = table_new(
	    c, "notices", "Art. 19 notices to recipients",
	    "Per recipient: the erasures (asked, or the end of a record) and rectifications in "
	    "the period of records of the "
	    "activities that send it data (the audit entries), and the notices the outbox "
	    "queued for them, with how many were delivered, failed for good, or still wait.",
	    "The declaration names no recipient.", cols, 6);
	const struct pdv_decl *d = c->s->vault->decl;
	struct notice_count *n = calloc(d->n_recipients ? d->n_recipients : 1, sizeof(*n));
	size_t k = d->n_recipients;
	void *args[3] = {c, n, &k};
	int rc;

	if (!n)
		return PDV_E_NOMEM;
	for (size_t i = 0; i < k; i++)
		n[i].recipient = d->recipients[i].id.s ? d->recipients[i].id.s : "";
	rc = pdv_store_outbox_each(c->s->store, count_notice, args, NULL);
	for (size_t i = 0; i < k && rc == 0; i++) {
		struct seqs refs = {0};
		char f[5][24];

		for (size_t j = 0; j < c->n && rc == 0; j++) {
			const struct ent *e = &c->v[j];
			/* every erasure tells the recipients (Art. 19 after
			 * 17(1)): one asked ("erase") and the end of a record
			 * ("end": a withdrawal, an objection, the clock) */
			if ((strcmp(e->action, "erase") == 0 || strcmp(e->action, "end") == 0 ||
			     strcmp(e->action, "rectify") == 0) &&
			    e->activity && in_period(c, e->at) &&
			    sends_to(pdv_vault_activity(c->s->vault, e->activity), n[i].recipient))
				rc = seqs_add(&refs, e->seq);
		}
		snprintf(f[0], sizeof(f[0]), "%zu", refs.n);
		snprintf(f[1], sizeof(f[1]), "%ld", n[i].queued);
		snprintf(f[2], sizeof(f[2]), "%ld", n[i].sent);
		snprintf(f[3], sizeof(f[3]), "%ld", n[i].failed);
		snprintf(f[4], sizeof(f[4]), "%ld", n[i].pending);
		const char *cells[] = {n[i].recipient, f[0], f[1], f[2], f[3], f[4]};
		if (rc == 0)
			rc = row_add(c, t, false, &refs, cells);
		free(refs.v);
	}
	free(n);
	return rc;
}

/* ---- key rotations ----------------------------------------------------- */

static int rotations(struct dctx *c)
{
	static const char *const cols[] = {"Rotated", "By"};
	struct pdv_dossier_table *t =
	    table_new(c, "keys", "Key rotations",
	              "Each rotation of the master key (every wrapped key rewritten under the new "
	              "one in one transaction).",
	              "No key rotation in the period.", cols, 2);
	int rc = 0;

	for (size_t i = 0; i < c->n && rc == 0; i++) {
		const struct ent *e = &c->v[i];
		struct seqs refs = {0};
		char at[21];

		if (strcmp(e->action, "key-rotate") != 0 || !in_period(c, e->at))
			continue;
		fmt_time(e->at, at);
		const char *cells[] = {at, e->actor};
		rc = seqs_add(&refs, e->seq);
		if (rc == 0)
			rc = row_add(c, t, false, &refs, cells);
		free(refs.v);
	}
	return rc;
}

/* ---- the appendix: every entry a row names ------------------------------ */

struct appendix {
	struct dctx *c;
	struct pdv_dossier_table *t;
};

static int cite(void *ctx, const struct pdv_audit_row *r)
{
	struct appendix *a = ctx;
	struct dctx *c = a->c;
	char at[21], seq[24], subject[PDV_ID_MAX], record[PDV_ID_MAX], detail[PDV_ID_MAX];
	struct seqs self = {0};
	bool id_detail = r->action && (strncmp(r->action, "request-", 8) == 0 ||
	                               strncmp(r->action, "breach-", 7) == 0);
	int rc;

	if (!bsearch(&r->seq, c->cited.v, c->cited.n, sizeof(int64_t), cmp_i64))
		return 0;
	fmt_time(r->at, at);
	snprintf(seq, sizeof(seq), "%" PRId64, r->seq);
	const char *cells[] = {
	    seq,
	    at,
	    r->actor,
	    r->action,
	    pdv_id_shown(c->s->vault, r->subject, subject),
	    pdv_id_shown(c->s->vault, r->record, record),
	    r->activity,
	    id_detail ? pdv_id_shown(c->s->vault, r->detail, detail) : r->detail,
	};
	/* the appendix cites itself; its rows add nothing to c->cited */
	if ((rc = seqs_add(&self, r->seq)) == 0) {
		struct seqs keep = c->cited;
		c->cited = (struct seqs){0};
		rc = row_add(c, a->t, false, &self, cells);
		free(c->cited.v);
		c->cited = keep;
	}
	free(self.v);
	/* past the last entry cited: the rest of the log is not read */
	return rc == 0 && r->seq >= c->cited.v[c->cited.n - 1] ? 1 : rc;
}

static int appendix(struct dctx *c)
{
	static const char *const cols[] = {"Entry",   "Time",   "Actor",    "Action",
	                                   "Subject", "Record", "Activity", "Detail"};
	struct appendix a = {c, NULL};
	size_t w = 0;
	int rc;

	a.t = table_new(c, "audit-entries", "Audit entries cited",
	                "Every audit entry a row above names, as `pdvault audit log` shows it.",
	                "No entry cited.", cols, 8);
	if (c->cited.n)
		qsort(c->cited.v, c->cited.n, sizeof(int64_t), cmp_i64);
	for (size_t i = 0; i < c->cited.n; i++)
		if (!w || c->cited.v[w - 1] != c->cited.v[i])
			c->cited.v[w++] = c->cited.v[i];
	c->cited.n = w;
	if (!c->cited.n)
		return 0;
	/* from the first entry cited to the last, not the whole log again */
	rc = pdv_store_audit_from(c->s->store, c->cited.v[0], cite, &a, NULL);
	return rc > 0 ? 0 : rc;
}

/* ---- the document ------------------------------------------------------ */

static void chain_words(const struct pdv_audit_report *rep, struct pdv_dossier *x)
{
	x->chain_ok = rep->ok;
	if (rep->ok)
		snprintf(x->chain, sizeof(x->chain),
		         "verified: %" PRId64 " entries chained under the audit key up to the "
		         "head file%s",
		         rep->entries, rep->n_losses ? ", with accepted losses" : ", none missing");
	else
		snprintf(x->chain, sizeof(x->chain), "BROKEN at entry %" PRId64 ": %s",
		         rep->first_bad, rep->why);
}

static void dossier_release(struct pdv_dossier *x)
{
	for (size_t i = 0; i < x->n_tables; i++) {
		struct pdv_dossier_table *t = &x->tables[i];
		for (size_t r = 0; r < t->n_rows; r++) {
			for (size_t k = 0; t->rows[r].cells && k < t->n_columns; k++)
				free(t->rows[r].cells[k]);
			free(t->rows[r].cells);
			free(t->rows[r].refs);
		}
		free(t->rows);
	}
}

int pdv_dossier_document(struct pdv_session *s, pdv_time_t from, pdv_time_t to, struct pdv_buf *out,
                         struct pdv_error *err)
{
	const struct pdv_decl *d = s->vault->decl;
	struct pdv_dossier x;
	struct pdv_audit_report rep;
	struct dctx c = {.s = s, .from = from, .to = to, .x = &x};
	int rc;

	memset(&x, 0, sizeof(x));
	if (to <= from)
		return pdv_error_set(err, PDV_E_INVAL, "the period ends before it starts (to)");
	x.from = from;
	x.to = to;
	x.generated = s->now;
	if ((rc = pdv_audit_verify(s, &rep, err)) < 0)
		return rc;
	chain_words(&rep, &x);
	c.consents = calloc(d->n_activities ? d->n_activities : 1, sizeof(*c.consents));
	if (!c.consents) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < d->n_activities; i++) {
		const struct pdv_activity *a = &d->activities[i];
		for (size_t k = 0; k < a->basis.n; k++)
			if (a->id.s && a->basis.v[k].s && strcmp(a->basis.v[k].s, "consent") == 0) {
				c.consents[c.n_consents++].activity = a->id.s;
				break;
			}
	}
	if ((rc = pdv_store_cookie_configs_each(s->store, copy_banner, &c, err)) < 0 ||
	    (rc = pdv_store_audit_each(s->store, NULL, take, &c, err)) < 0 ||
	    (rc = pdv_store_cookie_receipts_between(s->store, from, to, count_receipt, &c, err)) <
	        0 ||
	    (rc = index_ids(&c)) < 0 || (rc = sweeps(&c)) < 0 || (rc = requests(&c)) < 0 ||
	    (rc = consents(&c)) < 0 || (rc = banners(&c)) < 0 || (rc = breaches(&c)) < 0 ||
	    (rc = notices(&c)) < 0 || (rc = rotations(&c)) < 0 || (rc = appendix(&c)) < 0) {
		if (rc == PDV_E_NOMEM)
			pdv_error_set(err, rc, "out of memory");
		else if (!err || !err->msg[0])
			pdv_error_set(err, rc, "the dossier could not be read (%s)",
			              pdv_rc_code(rc));
		goto out;
	}
	rc = pdv_render_dossier(d, &s->vault->lint, &x, out, err);
out:
	for (size_t i = 0; i < c.n; i++) {
		struct ent *e = &c.v[i];
		free(e->actor);
		free(e->action);
		free(e->subject);
		free(e->record);
		free(e->activity);
		free(e->detail);
	}
	free(c.v);
	free(c.ix);
	for (size_t i = 0; i < c.n_consents; i++)
		free(c.consents[i].seqs.v);
	free(c.consents);
	for (size_t i = 0; i < c.n_banners; i++) {
		struct banner_count *b = &c.banners[i];
		free(b->id);
		free(b->kit);
		free(b->lang);
		for (size_t k = 0; k < b->n_purposes; k++)
			free(b->purposes[k].id);
		free(b->purposes);
		free(b->seqs.v);
	}
	free(c.banners);
	free(c.cited.v);
	dossier_release(&x);
	return rc;
}
