/*
 * retention.c — the retention calculus: the span grammar, its canonical form
 * and plain words (en, fr), and the phase of a record at a given time.
 *
 * Everything here is pure: `now` and the record's events are parameters. The
 * semantics are those of pdv/retention.h (whole UTC days, Reg. 1182/71 months,
 * events taken in time order and applied only while the record is active).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pdv/buf.h"
#include "pdv/retention.h"

/* ---- names ------------------------------------------------------------- */

static const char *const builtin_events[] = {
    "consent-withdrawn", "contract-end", "event-end", "request-closed", "objection",
};

static const char *const trigger_words[] = {"collection", "last-contact", "financial-year-end"};

bool pdv_event_builtin(const char *name)
{
	for (size_t i = 0; i < sizeof(builtin_events) / sizeof(builtin_events[0]); i++)
		if (strcmp(name, builtin_events[i]) == 0)
			return true;
	return false;
}

static bool is_trigger_word(const char *name)
{
	for (size_t i = 0; i < sizeof(trigger_words) / sizeof(trigger_words[0]); i++)
		if (strcmp(name, trigger_words[i]) == 0)
			return true;
	return false;
}

/* ---- end actions --------------------------------------------------------- */

static const char *const delete_stems[] = {"delet",   "destr", "destroy", "eras",
                                           "supprim", "effac", "détrui",  "purg"};
static const char *const anonymise_stems[] = {"anonymi", "anonymy"};
static const char *const end_separators[] = {" or ", " ou ", " unless ", " sauf ", ",", ";", "/"};

static bool has_stem(const char *s, size_t n, const char *const *stems, size_t count)
{
	for (size_t k = 0; k < count; k++) {
		size_t len = strlen(stems[k]);

		for (size_t i = 0; i + len <= n; i++)
			if (strncasecmp(s + i, stems[k], len) == 0)
				return true;
	}
	return false;
}

/* the next separator at or after s, or NULL; *ret_len its length */
static const char *next_separator(const char *s, size_t *ret_len)
{
	const char *best = NULL;

	for (size_t k = 0; k < sizeof(end_separators) / sizeof(end_separators[0]); k++) {
		const char *p = pdv_strcasestr(s, end_separators[k]);

		if (p && (!best || p < best)) {
			best = p;
			*ret_len = strlen(end_separators[k]);
		}
	}
	return best;
}

unsigned pdv_end_names(const char *s)
{
	unsigned names = 0;

	if (!s)
		return 0;
	if (strcmp(s, "delete") == 0)
		return PDV_END_NAMES_DELETE;
	if (strcmp(s, "anonymise") == 0)
		return PDV_END_NAMES_ANONYMISE;
	while (*s) {
		size_t sep_len = 0;
		const char *sep = next_separator(s, &sep_len);
		size_t n = sep ? (size_t)(sep - s) : strlen(s);
		unsigned here = 0;

		if (has_stem(s, n, delete_stems, sizeof(delete_stems) / sizeof(delete_stems[0])))
			here |= PDV_END_NAMES_DELETE;
		if (has_stem(s, n, anonymise_stems,
		             sizeof(anonymise_stems) / sizeof(anonymise_stems[0])))
			here |= PDV_END_NAMES_ANONYMISE;
		/* an empty alternative ("delete, or anonymise") names nothing and
		 * is skipped; any other must name a lawful end */
		for (size_t i = 0; !here && i < n; i++)
			if (s[i] != ' ')
				return 0;
		names |= here;
		if (!sep)
			break;
		s = sep + sep_len;
	}
	return names;
}

enum pdv_end_action pdv_end_action_of(const char *s)
{
	return s && pdv_end_names(s) == PDV_END_NAMES_ANONYMISE ? PDV_END_ANONYMISE
	                                                        : PDV_END_DELETE;
}

/* kebab-case: [a-z][a-z0-9]*(-[a-z0-9]+)*, shorter than PDV_EVENT_NAME_MAX */
static bool kebab(const char *s, size_t n)
{
	if (n == 0 || n >= PDV_EVENT_NAME_MAX || s[0] < 'a' || s[0] > 'z' || s[n - 1] == '-')
		return false;
	for (size_t i = 1; i < n; i++) {
		char c = s[i];
		if (c == '-') {
			if (s[i - 1] == '-')
				return false;
		} else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
			return false;
		}
	}
	return true;
}

bool pdv_event_name_valid(const char *name)
{
	return name && kebab(name, strlen(name)) && !is_trigger_word(name);
}

const char *pdv_phase_name(enum pdv_phase p)
{
	switch (p) {
	case PDV_PHASE_ACTIVE:
		return "active";
	case PDV_PHASE_RENEWAL_PENDING:
		return "renewal-pending";
	case PDV_PHASE_ARCHIVED:
		return "archived";
	case PDV_PHASE_ENDED:
		return "ended";
	}
	return "unknown";
}

/* ---- parsing ------------------------------------------------------------ */

#define MAX_TOKENS 16

struct token {
	const char *s; /* not terminated */
	size_t n;
	size_t col; /* 1-based */
};

struct lexer {
	struct token t[MAX_TOKENS];
	size_t n;
	size_t i;
	size_t end_col; /* column just past the text */
};

static int fail_at(struct pdv_error *err, size_t col, const char *fmt, const char *arg)
{
	pdv_error_set(err, PDV_E_INVAL, fmt, arg);
	if (err) {
		err->pos.line = 0;
		err->pos.col = (uint32_t)col;
	}
	return PDV_E_INVAL;
}

static int lex(const char *s, struct lexer *lx, struct pdv_error *err)
{
	size_t i = 0;

	lx->n = lx->i = 0;
	while (s[i]) {
		if (s[i] == ' ' || s[i] == '\t') {
			i++;
			continue;
		}
		if (lx->n == MAX_TOKENS) {
			return fail_at(err, i + 1, "%s", "trailing text after the span");
		}
		struct token *t = &lx->t[lx->n++];
		t->s = s + i;
		t->col = i + 1;
		if (s[i] == ',') {
			t->n = 1;
			i++;
			continue;
		}
		while (s[i] && s[i] != ' ' && s[i] != '\t' && s[i] != ',')
			i++;
		t->n = (size_t)(s + i - t->s);
	}
	lx->end_col = i + 1;
	return 0;
}

static bool tok_is(const struct token *t, const char *word)
{
	return t->n == strlen(word) && memcmp(t->s, word, t->n) == 0;
}

/* the token as a C string, truncated for messages */
static const char *tok_str(const struct token *t, char *buf, size_t size)
{
	size_t n = t->n < size - 1 ? t->n : size - 1;

	memcpy(buf, t->s, n);
	buf[n] = '\0';
	return buf;
}

static const struct token *next(struct lexer *lx)
{
	return lx->i < lx->n ? &lx->t[lx->i++] : NULL;
}

static int expect_word(struct lexer *lx, const char *word, struct pdv_error *err)
{
	const struct token *t = next(lx);
	char msg[64];

	if (!t || !tok_is(t, word)) {
		snprintf(msg, sizeof(msg), "expected '%s'", word);
		return fail_at(err, t ? t->col : lx->end_col, "%s", msg);
	}
	return 0;
}

static int parse_duration(struct lexer *lx, struct pdv_duration *ret, struct pdv_error *err)
{
	const struct token *t = next(lx);
	char buf[32];

	if (!t || t->n >= sizeof(buf) ||
	    pdv_duration_parse(tok_str(t, buf, sizeof(buf)), false, ret, NULL) < 0)
		return fail_at(err, t ? t->col : lx->end_col, "%s",
		               "expected a duration such as 3y, 13mo, 30d or 2w");
	return 0;
}

static int parse_trigger(struct lexer *lx, struct pdv_trigger *ret, struct pdv_error *err)
{
	const struct token *t = next(lx);
	char buf[PDV_EVENT_NAME_MAX + 8];

	memset(ret, 0, sizeof(*ret));
	if (!t)
		return fail_at(
		    err, lx->end_col, "%s",
		    "expected a trigger: collection, last-contact, financial-year-end or an event");
	if (tok_is(t, "collection"))
		ret->kind = PDV_TRIGGER_COLLECTION;
	else if (tok_is(t, "last-contact"))
		ret->kind = PDV_TRIGGER_LAST_CONTACT;
	else if (tok_is(t, "financial-year-end"))
		ret->kind = PDV_TRIGGER_FY_END;
	else if (kebab(t->s, t->n)) {
		ret->kind = PDV_TRIGGER_EVENT;
		memcpy(ret->event, t->s, t->n);
		ret->event[t->n] = '\0';
	} else
		return fail_at(err, t->col,
		               "unknown trigger '%s' (collection, last-contact, financial-year-end "
		               "or a kebab-case event name)",
		               tok_str(t, buf, sizeof(buf)));
	return 0;
}

int pdv_span_parse(const char *s, struct pdv_span *ret, struct pdv_error *err)
{
	struct lexer lx;
	struct pdv_span sp;
	const struct token *t;
	char buf[PDV_EVENT_NAME_MAX + 8];
	int r;

	memset(&sp, 0, sizeof(sp));
	if (!s)
		return fail_at(err, 1, "%s", "the span is empty");
	if ((r = lex(s, &lx, err)) < 0)
		return r;
	if (lx.n == 0)
		return fail_at(err, 1, "%s", "the span is empty");
	if (tok_is(&lx.t[0], "until")) {
		lx.i = 1;
		sp.kind = PDV_SPAN_UNTIL;
		t = next(&lx);
		if (!t)
			return fail_at(err, lx.end_col, "%s", "expected an event after 'until'");
		if (!kebab(t->s, t->n) || is_trigger_word(tok_str(t, buf, sizeof(buf))))
			return fail_at(
			    err, t->col,
			    "'%s' is not an event (consent-withdrawn, contract-end, event-end, "
			    "request-closed, objection or a kebab-case name)",
			    tok_str(t, buf, sizeof(buf)));
		memcpy(sp.until, t->s, t->n);
		sp.until[t->n] = '\0';
	} else {
		sp.kind = PDV_SPAN_DURATION;
		if ((r = parse_duration(&lx, &sp.dur, err)) < 0 ||
		    (r = expect_word(&lx, "from", err)) < 0 ||
		    (r = parse_trigger(&lx, &sp.from, err)) < 0)
			return r;
	}
	if (lx.i < lx.n) {
		t = next(&lx);
		if (!tok_is(t, ","))
			return fail_at(err, t->col, "%s",
			               "trailing text after the span (a cap is written ', at most "
			               "3y from last-contact')");
		if ((r = expect_word(&lx, "at", err)) < 0 ||
		    (r = expect_word(&lx, "most", err)) < 0 ||
		    (r = parse_duration(&lx, &sp.cap, err)) < 0 ||
		    (r = expect_word(&lx, "from", err)) < 0 ||
		    (r = parse_trigger(&lx, &sp.cap_from, err)) < 0)
			return r;
		sp.has_cap = true;
	}
	if (lx.i < lx.n)
		return fail_at(err, lx.t[lx.i].col, "%s", "trailing text after the span");
	*ret = sp;
	return 0;
}

static const char *unit_code(enum pdv_unit u)
{
	switch (u) {
	case PDV_UNIT_DAY:
		return "d";
	case PDV_UNIT_WEEK:
		return "w";
	case PDV_UNIT_MONTH:
		return "mo";
	case PDV_UNIT_YEAR:
		return "y";
	case PDV_UNIT_HOUR:
		return "h";
	}
	return "?";
}

static const char *trigger_code(const struct pdv_trigger *t)
{
	switch (t->kind) {
	case PDV_TRIGGER_COLLECTION:
		return "collection";
	case PDV_TRIGGER_LAST_CONTACT:
		return "last-contact";
	case PDV_TRIGGER_FY_END:
		return "financial-year-end";
	case PDV_TRIGGER_EVENT:
		return t->event;
	}
	return "?";
}

void pdv_span_format(const struct pdv_span *sp, char *buf, size_t size)
{
	int n;

	if (sp->kind == PDV_SPAN_UNTIL)
		n = snprintf(buf, size, "until %s", sp->until);
	else
		n = snprintf(buf, size, "%lld%s from %s", (long long)sp->dur.n,
		             unit_code(sp->dur.unit), trigger_code(&sp->from));
	if (sp->has_cap && n >= 0 && (size_t)n < size)
		snprintf(buf + n, size - (size_t)n, ", at most %lld%s from %s",
		         (long long)sp->cap.n, unit_code(sp->cap.unit),
		         trigger_code(&sp->cap_from));
}

bool pdv_span_unbounded(const struct pdv_span *sp)
{
	if (sp->has_cap)
		return sp->cap_from.kind == PDV_TRIGGER_EVENT;
	return sp->kind == PDV_SPAN_UNTIL || sp->from.kind == PDV_TRIGGER_EVENT;
}

bool pdv_span_max_days(const struct pdv_span *sp, double *ret_days)
{
	double d;

	if (pdv_span_unbounded(sp))
		return false;
	if (sp->kind == PDV_SPAN_UNTIL)
		d = pdv_duration_days(sp->cap);
	else if (sp->has_cap && sp->from.kind == PDV_TRIGGER_EVENT)
		d = pdv_duration_days(sp->cap);
	else if (sp->has_cap && pdv_duration_days(sp->cap) < pdv_duration_days(sp->dur))
		d = pdv_duration_days(sp->cap);
	else
		d = pdv_duration_days(sp->dur);
	*ret_days = d;
	return true;
}

/* ---- compiling a declaration's retention -------------------------------- */

static int fy_end_of(const struct pdv_decl *d, int *m, int *dd, struct pdv_error *err)
{
	const char *s = d ? d->controller.financial_year_end.s : NULL;

	*m = 12;
	*dd = 31;
	if (!s)
		return 0;
	if (strlen(s) != 5 || s[2] != '-' || s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' ||
	    s[3] < '0' || s[3] > '9' || s[4] < '0' || s[4] > '9')
		goto bad;
	*m = (s[0] - '0') * 10 + (s[1] - '0');
	*dd = (s[3] - '0') * 10 + (s[4] - '0');
	/* 02-29 does not exist most years: 02-28 says the same thing */
	if (*m < 1 || *m > 12 || *dd < 1 || *dd > pdv_days_in_month(2001, *m))
		goto bad;
	return 0;
bad:
	return pdv_error_set_at(err, PDV_E_INVAL, d->file, d->controller.financial_year_end.pos,
	                        "controller.financial_year_end must be MM-DD, e.g. 12-31");
}

int pdv_retention_compile(const struct pdv_decl *d, const struct pdv_retention_decl *rd,
                          struct pdv_retention *ret, struct pdv_error *err)
{
	struct pdv_retention r;
	struct pdv_error e;
	const char *file = d ? d->file : NULL;
	int rc;

	memset(&r, 0, sizeof(r));
	if ((rc = fy_end_of(d, &r.fy_month, &r.fy_day, err)) < 0)
		return rc;
	if (!rd || !rd->present || !rd->active.s)
		return pdv_error_set_at(err, PDV_E_INVAL, file,
		                        rd ? rd->pos : (struct pdv_pos){0, 0},
		                        "retention.active is missing");
	pdv_error_clear(&e);
	if (pdv_span_parse(rd->active.s, &r.active, &e) < 0) {
		struct pdv_pos pos = rd->active.pos;
		rc = pdv_error_set_at(err, PDV_E_INVAL, file, pos,
		                      "retention.active: %s (column %u of the span)", e.msg,
		                      e.pos.col);
		pdv_error_field(err, "retention.active");
		return rc;
	}
	if (rd->archive.s) {
		if (pdv_duration_parse(rd->archive.s, false, &r.archive, NULL) < 0) {
			rc = pdv_error_set_at(err, PDV_E_INVAL, file, rd->archive.pos,
			                      "retention.archive must be a duration such as 5y");
			pdv_error_field(err, "retention.archive");
			return rc;
		}
		r.has_archive = true;
	}
	if (rd->end.s && !pdv_end_names(rd->end.s)) {
		rc =
		    pdv_error_set_at(err, PDV_E_INVAL, file, rd->end.pos,
		                     "retention.end must be delete, anonymise or a choice of them");
		pdv_error_field(err, "retention.end");
		return rc;
	}
	r.end = pdv_end_action_of(rd->end.s);
	if (rd->renew.present) {
		if (!rd->renew.wait.s ||
		    pdv_duration_parse(rd->renew.wait.s, false, &r.renew_wait, NULL) < 0) {
			rc =
			    pdv_error_set_at(err, PDV_E_INVAL, file,
			                     rd->renew.wait.s ? rd->renew.wait.pos : rd->renew.pos,
			                     "retention.renew.wait must be a duration such as 1mo");
			pdv_error_field(err, "retention.renew.wait");
			return rc;
		}
		if (!rd->renew.silence.s || strcmp(rd->renew.silence.s, "end") == 0) {
			r.silence = PDV_SILENCE_END;
		} else if (strcmp(rd->renew.silence.s, "keep") == 0) {
			r.silence = PDV_SILENCE_KEEP;
		} else {
			rc = pdv_error_set_at(err, PDV_E_INVAL, file, rd->renew.silence.pos,
			                      "retention.renew.silence must be end or keep");
			pdv_error_field(err, "retention.renew.silence");
			return rc;
		}
		r.has_renew = true;
	}
	for (size_t i = 0; rd->early.present && i < rd->early.n; i++) {
		const struct pdv_str *ev = &rd->early.v[i];
		if (r.n_early == PDV_RETENTION_MAX_EARLY) {
			rc = pdv_error_set_at(err, PDV_E_INVAL, file, ev->pos,
			                      "retention.early names more than %d events",
			                      PDV_RETENTION_MAX_EARLY);
			pdv_error_field(err, "retention.early");
			return rc;
		}
		if (!ev->s || !pdv_event_name_valid(ev->s)) {
			rc = pdv_error_set_at(err, PDV_E_INVAL, file, ev->pos,
			                      "retention.early: not an event name (kebab-case)");
			pdv_error_field(err, "retention.early");
			return rc;
		}
		pdv_strlcpy(r.early[r.n_early++], ev->s, PDV_EVENT_NAME_MAX);
	}
	*ret = r;
	return 0;
}

/* ---- phases ------------------------------------------------------------- */

#define MAX_SEEN 32
#define MAX_CYCLES 1000000

struct sim {
	const struct pdv_retention *r;
	pdv_time_t collection;
	pdv_time_t last_contact;
	size_t n_seen;
	struct {
		const char *name;
		pdv_time_t at;
	} seen[MAX_SEEN]; /* first occurrence of each named event while active */
};

static bool sim_seen(const struct sim *s, const char *name, pdv_time_t *at)
{
	for (size_t i = 0; i < s->n_seen; i++)
		if (strcmp(s->seen[i].name, name) == 0) {
			*at = s->seen[i].at;
			return true;
		}
	return false;
}

static void sim_note(struct sim *s, const char *name, pdv_time_t at)
{
	pdv_time_t t;

	if (sim_seen(s, name, &t) || s->n_seen == MAX_SEEN)
		return;
	s->seen[s->n_seen].name = name;
	s->seen[s->n_seen].at = at;
	s->n_seen++;
}

/* the first fy-end day >= the collection day */
static pdv_day_t fy_end_day(const struct pdv_retention *r, pdv_time_t collection)
{
	pdv_day_t cday = pdv_time_day(collection);
	struct pdv_date cd = pdv_day_to_date(cday);
	int year = cd.year;

	for (;;) {
		int dim = pdv_days_in_month(year, r->fy_month);
		pdv_day_t d = pdv_date_to_day(
		    (struct pdv_date){year, r->fy_month, r->fy_day <= dim ? r->fy_day : dim});
		if (d >= cday)
			return d;
		year++;
	}
}

/* when the trigger happened, as a UTC day; false when it has not */
static bool trigger_day(const struct sim *s, const struct pdv_trigger *t, pdv_day_t *ret)
{
	pdv_time_t at;

	switch (t->kind) {
	case PDV_TRIGGER_COLLECTION:
		*ret = pdv_time_day(s->collection);
		return true;
	case PDV_TRIGGER_LAST_CONTACT:
		*ret = pdv_time_day(s->last_contact);
		return true;
	case PDV_TRIGGER_FY_END:
		*ret = fy_end_day(s->r, s->collection);
		return true;
	case PDV_TRIGGER_EVENT:
		if (!sim_seen(s, t->event, &at))
			return false;
		*ret = pdv_time_day(at);
		return true;
	}
	return false;
}

/* "D from T" ends at 00:00 UTC after day(T) + D */
static int span_end(const struct sim *s, struct pdv_duration dur, const struct pdv_trigger *t,
                    bool *known, pdv_time_t *ret)
{
	pdv_day_t from, last;
	int rc;

	*known = false;
	if (!trigger_day(s, t, &from))
		return 0;
	if ((rc = pdv_day_add(from, dur, &last)) < 0)
		return rc;
	*known = true;
	*ret = pdv_day_start(last + 1);
	return 0;
}

/* the end of the active phase with what is known so far */
static int active_end(const struct sim *s, bool *known, pdv_time_t *end, bool *by_duration)
{
	const struct pdv_span *sp = &s->r->active;
	bool k1 = false, k2 = false;
	pdv_time_t e1 = 0, e2 = 0;
	int rc;

	if (sp->kind == PDV_SPAN_UNTIL) {
		k1 = sim_seen(s, sp->until, &e1);
	} else if ((rc = span_end(s, sp->dur, &sp->from, &k1, &e1)) < 0) {
		return rc;
	}
	if (sp->has_cap && (rc = span_end(s, sp->cap, &sp->cap_from, &k2, &e2)) < 0)
		return rc;
	*known = k1 || k2;
	if (k1 && (!k2 || e1 <= e2)) {
		*end = e1;
		*by_duration = sp->kind == PDV_SPAN_DURATION;
	} else if (k2) {
		*end = e2;
		*by_duration = true;
	}
	return 0;
}

/* the next phase follows the last day of the one before it */
static int following_end(pdv_time_t prev_end, struct pdv_duration dur, pdv_time_t *ret)
{
	pdv_day_t last;
	int rc = pdv_day_add(pdv_time_day(prev_end - 1), dur, &last);

	if (rc < 0)
		return rc;
	*ret = pdv_day_start(last + 1);
	return 0;
}

static bool is_early(const struct pdv_retention *r, const char *name)
{
	for (size_t i = 0; i < r->n_early; i++)
		if (strcmp(r->early[i], name) == 0)
			return true;
	return false;
}

static int event_cmp(const void *a, const void *b)
{
	const struct pdv_event *x = a, *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	/* same instant: a deterministic order whatever the input order */
	return strcmp(x->name, y->name);
}

int pdv_retention_phase(const struct pdv_retention *r, pdv_time_t collected,
                        const struct pdv_event *events, size_t n_events, pdv_time_t now,
                        struct pdv_phase_info *ret, struct pdv_error *err)
{
	struct pdv_event *ev = NULL;
	struct pdv_phase_info info;
	struct sim s;
	size_t i = 0;
	int rc = 0;

	memset(&info, 0, sizeof(info));
	memset(&s, 0, sizeof(s));
	s.r = r;
	s.collection = s.last_contact = collected;
	if (n_events) {
		ev = malloc(n_events * sizeof(*ev));
		if (!ev)
			return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		memcpy(ev, events, n_events * sizeof(*ev));
		qsort(ev, n_events, sizeof(*ev), event_cmp);
	}
	/* events before the collection or after now play no part */
	while (i < n_events && ev[i].at < collected)
		i++;
	info.phase = PDV_PHASE_ACTIVE;
	info.since = collected;
	for (int cycle = 0;; cycle++) {
		bool known = false, by_duration = false;
		pdv_time_t end = 0, wait_end, archive_end;

		if (cycle == MAX_CYCLES) {
			rc = pdv_error_set(err, PDV_E_RANGE,
			                   "retention cycles too short to compute");
			goto out;
		}
		/* active: apply the events that happen before the phase ends */
		if ((rc = active_end(&s, &known, &end, &by_duration)) < 0)
			goto range;
		while (i < n_events && ev[i].at <= now && (!known || ev[i].at < end)) {
			const struct pdv_event *e = &ev[i++];
			if (is_early(r, e->name)) {
				info.phase = PDV_PHASE_ENDED;
				info.since = e->at;
				info.ended_early = true;
				info.active_end = e->at;
				goto done;
			}
			if (strcmp(e->name, "contact") == 0) {
				s.last_contact = e->at;
			} else if (strcmp(e->name, "renewed") == 0) {
				s.collection = s.last_contact = e->at;
			} else {
				sim_note(&s, e->name, e->at);
			}
			if ((rc = active_end(&s, &known, &end, &by_duration)) < 0)
				goto range;
		}
		info.active_end = known ? end : 0;
		if (!known || now < end) {
			info.phase = PDV_PHASE_ACTIVE;
			info.has_next = known;
			info.next_at = end;
			info.next = r->has_renew && by_duration ? PDV_PHASE_RENEWAL_PENDING
			            : r->has_archive            ? PDV_PHASE_ARCHIVED
			                                        : PDV_PHASE_ENDED;
			goto done;
		}
		if (r->has_renew && by_duration) {
			bool restarted = false;

			if ((rc = following_end(end, r->renew_wait, &wait_end)) < 0)
				goto range;
			while (i < n_events && ev[i].at < end)
				i++; /* happened after the active phase ended: no effect */
			while (i < n_events && ev[i].at <= now && ev[i].at < wait_end) {
				const struct pdv_event *e = &ev[i++];
				if (is_early(r, e->name)) {
					info.phase = PDV_PHASE_ENDED;
					info.since = e->at;
					info.ended_early = true;
					goto done;
				}
				if (strcmp(e->name, "renewed") == 0) {
					s.collection = s.last_contact = e->at;
					restarted = true;
					break;
				}
			}
			if (restarted) {
				info.since = s.collection;
				continue;
			}
			if (now < wait_end) {
				info.phase = PDV_PHASE_RENEWAL_PENDING;
				info.since = end;
				info.has_next = true;
				info.next_at = wait_end;
				info.next = r->silence == PDV_SILENCE_END ? PDV_PHASE_ENDED
				                                          : PDV_PHASE_ACTIVE;
				goto done;
			}
			if (r->silence == PDV_SILENCE_END) {
				info.phase = PDV_PHASE_ENDED;
				info.since = wait_end;
				info.ended_early = true;
				goto done;
			}
			/* silence kept (a lint error, but computable): a new period */
			s.collection = s.last_contact = wait_end;
			info.since = wait_end;
			continue;
		}
		if (r->has_archive) {
			if ((rc = following_end(end, r->archive, &archive_end)) < 0)
				goto range;
			if (now < archive_end) {
				info.phase = PDV_PHASE_ARCHIVED;
				info.since = end;
				info.has_next = true;
				info.next = PDV_PHASE_ENDED;
				info.next_at = archive_end;
				goto done;
			}
			info.phase = PDV_PHASE_ENDED;
			info.since = archive_end;
			goto done;
		}
		info.phase = PDV_PHASE_ENDED;
		info.since = end;
		goto done;
	}
range:
	rc = pdv_error_set(err, PDV_E_RANGE, "a retention date falls outside years 1 to 9999");
	goto out;
done:
	*ret = info;
out:
	free(ev);
	return rc;
}

/* ---- plain words ---------------------------------------------------------- */

static bool is_fr(const char *lang)
{
	return lang && strcmp(lang, "fr") == 0;
}

static void duration_words(struct pdv_duration d, bool fr, char *buf, size_t size)
{
	long long n = (long long)d.n;
	bool plural = n > 1;
	const char *u;

	switch (d.unit) {
	case PDV_UNIT_DAY:
		u = fr ? (plural ? "jours" : "jour") : (plural ? "days" : "day");
		break;
	case PDV_UNIT_WEEK:
		u = fr ? (plural ? "semaines" : "semaine") : (plural ? "weeks" : "week");
		break;
	case PDV_UNIT_MONTH:
		u = fr ? "mois" : (plural ? "months" : "month");
		break;
	case PDV_UNIT_YEAR:
		u = fr ? (plural ? "ans" : "an") : (plural ? "years" : "year");
		break;
	default:
		u = fr ? "heures" : "hours";
		break;
	}
	snprintf(buf, size, "%lld %s", n, u);
}

/* a custom event name in words: application-rejected -> application rejected */
static void event_words(const char *name, char *buf, size_t size)
{
	size_t i;

	for (i = 0; name[i] && i + 1 < size; i++)
		buf[i] = name[i] == '-' ? ' ' : name[i];
	buf[i] = '\0';
}

static const struct {
	const char *event, *en_from, *fr_from, *en_until, *fr_until;
} event_phrases[] = {
    {"consent-withdrawn", "the withdrawal of consent", "du retrait du consentement",
     "until consent is withdrawn", "jusqu'au retrait du consentement"},
    {"contract-end", "the end of the contract", "de la fin du contrat",
     "until the end of the contract", "jusqu'à la fin du contrat"},
    {"event-end", "the end of the event", "de la fin de l'événement", "until the end of the event",
     "jusqu'à la fin de l'événement"},
    {"request-closed", "the closing of the request", "de la clôture de la demande",
     "until the request is closed", "jusqu'à la clôture de la demande"},
    {"objection", "an objection", "d'une opposition", "until an objection",
     "jusqu'à une opposition"},
};

static void from_words(const struct pdv_trigger *t, bool fr, char *buf, size_t size)
{
	char w[PDV_EVENT_NAME_MAX];

	switch (t->kind) {
	case PDV_TRIGGER_COLLECTION:
		snprintf(buf, size, "%s", fr ? "à compter de la collecte" : "from collection");
		return;
	case PDV_TRIGGER_LAST_CONTACT:
		snprintf(buf, size, "%s",
		         fr ? "à compter du dernier contact" : "from the last contact");
		return;
	case PDV_TRIGGER_FY_END:
		snprintf(buf, size, "%s",
		         fr ? "à compter de la clôture de l'exercice"
		            : "from the end of the financial year");
		return;
	case PDV_TRIGGER_EVENT:
		for (size_t i = 0; i < sizeof(event_phrases) / sizeof(event_phrases[0]); i++)
			if (strcmp(t->event, event_phrases[i].event) == 0) {
				snprintf(buf, size, fr ? "à compter %s" : "from %s",
				         fr ? event_phrases[i].fr_from : event_phrases[i].en_from);
				return;
			}
		event_words(t->event, w, sizeof(w));
		snprintf(buf, size, fr ? "à compter de l'événement « %s »" : "from the event '%s'",
		         w);
		return;
	}
	buf[0] = '\0';
}

static void until_words(const char *event, bool fr, char *buf, size_t size)
{
	char w[PDV_EVENT_NAME_MAX];

	for (size_t i = 0; i < sizeof(event_phrases) / sizeof(event_phrases[0]); i++)
		if (strcmp(event, event_phrases[i].event) == 0) {
			snprintf(buf, size, "%s",
			         fr ? event_phrases[i].fr_until : event_phrases[i].en_until);
			return;
		}
	event_words(event, w, sizeof(w));
	snprintf(buf, size, fr ? "jusqu'à l'événement « %s »" : "until the event '%s'", w);
}

int pdv_span_describe(const struct pdv_span *sp, const char *lang, char *buf, size_t size)
{
	bool fr = is_fr(lang);
	char a[96], b[160], c[96], d[160];
	int n;

	if (sp->kind == PDV_SPAN_UNTIL) {
		until_words(sp->until, fr, b, sizeof(b));
		n = snprintf(buf, size, "%s", b);
	} else {
		duration_words(sp->dur, fr, a, sizeof(a));
		from_words(&sp->from, fr, b, sizeof(b));
		n = snprintf(buf, size, "%s %s", a, b);
	}
	if (sp->has_cap && n >= 0 && (size_t)n < size) {
		duration_words(sp->cap, fr, c, sizeof(c));
		from_words(&sp->cap_from, fr, d, sizeof(d));
		n += snprintf(buf + n, size - (size_t)n, fr ? ", au plus %s %s" : ", at most %s %s",
		              c, d);
	}
	return n >= 0 && (size_t)n < size ? 0 : PDV_E_LIMIT;
}

int pdv_retention_describe(const struct pdv_retention *r, const char *lang, char *buf, size_t size)
{
	bool fr = is_fr(lang);
	struct pdv_buf b;
	char span[512], dur[96], ev[PDV_EVENT_NAME_MAX];
	const char *end_word = r->end == PDV_END_ANONYMISE ? (fr ? "anonymisées" : "anonymised")
	                                                   : (fr ? "supprimées" : "deleted");
	int rc;

	if ((rc = pdv_span_describe(&r->active, lang, span, sizeof(span))) < 0)
		return rc;
	pdv_buf_init(&b, size ? size - 1 : 1);
	rc = pdv_buf_puts(&b, span);
	if (rc == 0 && r->has_renew) {
		duration_words(r->renew_wait, fr, dur, sizeof(dur));
		rc = pdv_buf_printf(
		    &b,
		    fr ? ", puis une demande de renouvellement ; sans réponse sous %s, %s"
		       : ", then a request to renew; without an answer within %s, %s",
		    dur, r->silence == PDV_SILENCE_KEEP ? (fr ? "conservées" : "kept") : end_word);
	}
	/* with a renewal the archive is never reached: silence ends the record
	 * or keeps it active (pdv_retention_phase), so only say what happens */
	if (rc == 0 && r->has_archive && !r->has_renew) {
		duration_words(r->archive, fr, dur, sizeof(dur));
		rc = pdv_buf_printf(
		    &b, fr ? ", puis archivées pendant %s" : ", then archived for %s", dur);
	}
	/* after a renewal request, silence already said how the record ends */
	if (rc == 0 && !r->has_renew)
		rc = pdv_buf_printf(&b, fr ? ", puis %s" : ", then %s", end_word);
	for (size_t i = 0; rc == 0 && i < r->n_early; i++) {
		if (strcmp(r->early[i], "consent-withdrawn") == 0)
			pdv_strlcpy(ev, fr ? "retrait du consentement" : "withdrawal of consent",
			            sizeof(ev));
		else if (strcmp(r->early[i], "objection") == 0)
			pdv_strlcpy(ev, fr ? "opposition" : "objection", sizeof(ev));
		else
			event_words(r->early[i], ev, sizeof(ev));
		rc = pdv_buf_printf(
		    &b, "%s%s",
		    i == 0 ? (fr ? " ; fin immédiate en cas de : " : "; ended at once on: ") : ", ",
		    ev);
	}
	if (rc == 0)
		pdv_strlcpy(buf, b.data ? b.data : "", size);
	pdv_buf_release(&b);
	return rc;
}
