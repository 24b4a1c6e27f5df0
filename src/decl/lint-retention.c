/*
 * lint-retention.c — the retention rules: present, in the grammar, finite and
 * determinate, within CNIL's reference durations (prospects 3 years,
 * candidates 2 years, ID copies 1 year, CCTV 1 month), above the legal
 * minimums (accounting 10 years), with a justified archive and an end action.
 *
 * The engine has already parsed each activity's active and archive values
 * (struct lint_activity); this file only judges them. Durations are compared
 * in approximate days (pdv_duration_days), with a day's tolerance, because a
 * declaration's "36mo" and "3y" must compare equal.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lint-internal.h"
#include "pdv/buf.h"

#define ERR PDV_SEV_ERROR
#define WARN PDV_SEV_WARNING
#define INFO PDV_SEV_INFO

#define DAYS_YEAR 365.25
#define DAYS_MONTH 30.44
#define TOLERANCE 1.0

static const char *const span_example =
    "a span reads e.g. '3y from last-contact' or 'until consent-withdrawn, at most 3y from "
    "last-contact'";

static bool has_digit(const char *s)
{
	for (; s && *s; s++)
		if (*s >= '0' && *s <= '9')
			return true;
	return false;
}

/* the column of the problem inside the value, when the parser gave one */
static struct pdv_pos at_col(struct pdv_pos p, const struct pdv_error *e)
{
	if (p.line && e->pos.col > 1)
		p.col += e->pos.col - 1;
	return p;
}

static void syntax_span(struct lint_ctx *c, const struct pdv_activity *a, const char *who,
                        const char *key, const struct pdv_str *v, bool allow_duration,
                        const char *fix)
{
	struct pdv_span sp;
	struct pdv_duration dur;
	struct pdv_error e;

	if (!v->s)
		return;
	if (allow_duration && pdv_lint_parse_duration(v->s, &dur))
		return;
	if (pdv_lint_parse_span(v->s, &sp, &e))
		return;
	pdv_lint_report(c, LINT_RETENTION_SYNTAX, ERR, at_col(v->pos, &e), a,
	                "%s: %s '%.*s' is not %s: %s; %s", who, key, PDV_UTF8_CUT(v->s, 100),
	                allow_duration ? "a duration or a span" : "a span", e.msg, span_example);
	pdv_lint_fix(c, fix);
}

/* the archive counts from the end of the active phase: a duration only */
static void syntax_archive(struct lint_ctx *c, const struct pdv_activity *a, const char *who,
                           const struct pdv_str *v)
{
	struct pdv_duration dur;
	struct pdv_span sp;

	if (!v->s || pdv_lint_parse_duration(v->s, &dur))
		return;
	if (pdv_lint_parse_span(v->s, &sp, NULL))
		pdv_lint_report(c, LINT_RETENTION_SYNTAX, ERR, v->pos, a,
		                "%s: retention.archive '%.*s' must be a duration such as 5y: the "
		                "archive counts from the end of the active phase",
		                who, PDV_UTF8_CUT(v->s, 100));
	if (pdv_lint_parse_span(v->s, &sp, NULL))
		pdv_lint_fix(c, "keep only the duration in `retention.archive` (e.g. `5y`): it "
		                "counts from the end of the active phase");
	else
		pdv_lint_report(c, LINT_RETENTION_SYNTAX, ERR, v->pos, a,
		                "%s: retention.archive '%.*s' is not a duration (expected e.g. 5y)",
		                who, PDV_UTF8_CUT(v->s, 100));
	if (!pdv_lint_parse_span(v->s, &sp, NULL))
		pdv_lint_fix(c, "write `retention.archive` as a duration (e.g. `5y` for the civil "
		                "limitation period) and put the words in `archive_reason`");
}

static void rule_retention_required(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];
		const struct pdv_retention_decl *rd = &a->retention;

		if (!rd->present) {
			pdv_lint_report(
			    c, LINT_RETENTION_REQUIRED, ERR, pdv_lint_pos(a->id.pos, a->pos), a,
			    "activity '%s': no retention: say how long the data is kept "
			    "(retention: 3y from last-contact)",
			    pdv_lint_aid(a));
			pdv_lint_fix(c, "add `retention: {active: ..., end: delete}` to this "
			                "activity, in the grammar of §10.1 (the policy's period)");
		} else if (pdv_lint_blank(rd->active.s))
			pdv_lint_report(c, LINT_RETENTION_REQUIRED, ERR, rd->pos, a,
			                "activity '%s': retention without an active period "
			                "(retention.active)",
			                pdv_lint_aid(a));
	}
}

static void rule_retention_syntax(struct lint_ctx *c)
{
	const struct pdv_decl *d = c->d;
	char who[128];
	struct pdv_duration dur;

	for (size_t i = 0; i < d->n_activities; i++) {
		const struct pdv_activity *a = &d->activities[i];
		const struct pdv_retention_decl *rd = &a->retention;

		if (!rd->present)
			continue;
		snprintf(who, sizeof(who), "activity '%.*s'", PDV_UTF8_CUT(pdv_lint_aid(a), 60));
		if (!pdv_lint_blank(rd->active.s))
			syntax_span(
			    c, a, who, "retention", &rd->active, false,
			    "write `retention.active` as a duration and the event it counts "
			    "from, e.g. `3y from last-contact` or `until request-closed, at "
			    "most 1y from collection`, instead of the words (keep the words in "
			    "the activity's `note`)");
		syntax_archive(c, a, who, &rd->archive);
		if (rd->renew.present) {
			if (!rd->renew.wait.s || !pdv_lint_parse_duration(rd->renew.wait.s, &dur)) {
				pdv_lint_report(
				    c, LINT_RETENTION_SYNTAX, ERR,
				    pdv_lint_pos(rd->renew.wait.pos, rd->renew.pos), a,
				    "%s: retention.renew.wait '%.*s' is not a duration "
				    "(expected e.g. 1mo)",
				    who,
				    PDV_UTF8_CUT(rd->renew.wait.s ? rd->renew.wait.s : "", 40));
				pdv_lint_fix(
				    c, rd->renew.wait.s
				           ? "write `retention.renew.wait` as a duration: how "
				             "long the person has to answer, e.g. `1mo`"
				           : "add `wait: 1mo` to this `retention.renew`: how "
				             "long the person has to answer before `silence` "
				             "applies");
			}
			if (rd->renew.silence.s && strcmp(rd->renew.silence.s, "end") != 0 &&
			    strcmp(rd->renew.silence.s, "keep") != 0)
				pdv_lint_report(
				    c, LINT_RETENTION_SYNTAX, ERR, rd->renew.silence.pos, a,
				    "%s: retention.renew.silence '%.*s' is not end or keep", who,
				    PDV_UTF8_CUT(rd->renew.silence.s, 40));
		}
		if (rd->early.present && rd->early.n > PDV_RETENTION_MAX_EARLY)
			pdv_lint_report(c, LINT_RETENTION_SYNTAX, ERR, rd->early.pos, a,
			                "%s: retention.early names %zu events, more than %d", who,
			                rd->early.n, PDV_RETENTION_MAX_EARLY);
		for (size_t k = 0; rd->early.present && k < rd->early.n; k++)
			if (rd->early.v[k].s && !pdv_event_name_valid(rd->early.v[k].s))
				pdv_lint_report(
				    c, LINT_RETENTION_SYNTAX, ERR, rd->early.v[k].pos, a,
				    "%s: retention.early '%.*s' is not an event name "
				    "(consent-withdrawn, objection, or a kebab-case name)",
				    who, PDV_UTF8_CUT(rd->early.v[k].s, 60));
	}
	for (size_t i = 0; i < d->n_recipients; i++) {
		const struct pdv_recipient *r = &d->recipients[i];

		snprintf(who, sizeof(who), "recipient '%.*s'",
		         PDV_UTF8_CUT(r->id.s ? r->id.s : "?", 60));
		syntax_span(
		    c, NULL, who, "retention", &r->retention, false,
		    "write the recipient's `retention` as a span, e.g. `1y from collection`, "
		    "or remove it when the policy says nothing");
	}
	syntax_span(
	    c, NULL, "rights", "id_document.retention", &d->rights.id_document.retention, false,
	    "write `rights.id_document.retention` as a span, e.g. `1y from request-closed`; "
	    "a dispute is a hold placed with `pdvault hold`, not a retention");
	/* every "from financial-year-end" depends on it */
	if (d->controller.financial_year_end.s && pdv_decl_fy_end(d, NULL, NULL) < 0)
		pdv_lint_report(
		    c, LINT_RETENTION_SYNTAX, ERR, d->controller.financial_year_end.pos, NULL,
		    "controller.financial_year_end '%.*s' is not a day MM-DD (e.g. 12-31)",
		    PDV_UTF8_CUT(d->controller.financial_year_end.s, 20));
}

/* words that name when a period starts, in English and French */
static const char *const trigger_words[] = {
    "from",      "after",     "since",    "following", "until",  "till",     "end of",
    "à compter", "a compter", "à partir", "a partir",  "depuis", "après",    "apres",
    "jusqu",     "suivant",   "dès",      "fin de",    "fin du", "tant que", "as long as",
};

static bool has_trigger_word(const char *s)
{
	for (size_t k = 0; k < sizeof(trigger_words) / sizeof(trigger_words[0]); k++)
		if (pdv_strcasestr(s, trigger_words[k]))
			return true;
	return false;
}

/* free words that say the data is never deleted (English and French) */
static const char *const forever_words[] = {
    "indefinite", "forever",  "permanent",   "unlimited", "no limit", "perpetual",
    "illimité",   "indéfini", "sans limite", "définitiv", "à vie",
};

static bool says_forever(const char *s)
{
	for (size_t k = 0; k < sizeof(forever_words) / sizeof(forever_words[0]); k++)
		if (pdv_strcasestr(s, forever_words[k]))
			return true;
	return false;
}

/* numbers and time units written in words (English and French) */
static const char *const number_words[] = {
    "a",     "one",  "two",  "three",  "four",   "five",    "six",    "seven",
    "eight", "nine", "ten",  "eleven", "twelve", "fifteen", "twenty", "thirty",
    "un",    "une",  "deux", "trois",  "quatre", "cinq",    "sept",   "huit",
    "neuf",  "dix",  "onze", "douze",  "quinze", "vingt",   "trente",
};
static const char *const unit_words[] = {
    "year", "years", "month",  "months", "week",    "weeks",    "day",  "days",  "an",
    "ans",  "année", "années", "mois",   "semaine", "semaines", "jour", "jours",
};

#define N_WORDS(list) (sizeof(list) / sizeof(*(list)))

static bool word_in(const char *w, size_t n, const char *const *list, size_t count)
{
	for (size_t k = 0; k < count; k++)
		if (strlen(list[k]) == n && strncasecmp(w, list[k], n) == 0)
			return true;
	return false;
}

static bool letter(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch >= 0x80;
}

/* a duration written in words: a number word followed by a unit ("trois
 * ans", "three years") */
static bool has_duration_words(const char *s)
{
	const char *prev = NULL;
	size_t prev_n = 0;

	for (const char *p = s; p && *p;) {
		const char *w;
		size_t n;

		while (*p && !letter((unsigned char)*p))
			p++;
		w = p;
		while (letter((unsigned char)*p))
			p++;
		n = (size_t)(p - w);
		if (!n)
			break;
		if (prev && word_in(prev, prev_n, number_words, N_WORDS(number_words)) &&
		    word_in(w, n, unit_words, N_WORDS(unit_words)))
			return true;
		prev = w;
		prev_n = n;
	}
	return false;
}

/* a duration, in digits or in words */
static bool has_duration(const char *s)
{
	return has_digit(s) || has_duration_words(s);
}

/* the end of the contract an activity rests on comes for certain, and CNIL's
 * reference durations count from it (docs/declaration.md §10 Retention): a contract-based
 * activity, or one about customers (the customer relationship) */
static bool contract_end_certain(const struct pdv_activity *a, const struct pdv_span *sp)
{
	const char *ev = sp->kind == PDV_SPAN_UNTIL           ? sp->until
	                 : sp->from.kind == PDV_TRIGGER_EVENT ? sp->from.event
	                                                      : NULL;

	return ev && strcmp(ev, "contract-end") == 0 && !sp->has_cap &&
	       (pdv_lint_has_basis(a, "contract") || pdv_lint_has_subject(a, "customer"));
}

static void rule_retention_finite(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];
		const struct lint_activity *la = pdv_lint_act_info(c, a);
		const struct pdv_str *v = &a->retention.active;

		if (!la || !la->active.present || pdv_lint_blank(v->s))
			continue;
		/* "permanently deleted after 3 years" is not forever: words only */
		if (!la->active.parsed && !has_digit(v->s) && says_forever(v->s))
			pdv_lint_report(c, LINT_RETENTION_FINITE, ERR, v->pos, a,
			                "activity '%s': retention '%.*s' has no end: storage "
			                "limitation requires one",
			                pdv_lint_aid(a), PDV_UTF8_CUT(v->s, 100));
		else if (!la->active.parsed && !has_digit(v->s) && has_duration_words(v->s))
			pdv_lint_report(
			    c, LINT_RETENTION_FINITE, WARN, v->pos, a,
			    "activity '%s': retention '%.*s' states a duration in words, "
			    "which is not in the span grammar, so pdvault cannot end the "
			    "record by it: write it as a span (e.g. '3y from last-contact')",
			    pdv_lint_aid(a), PDV_UTF8_CUT(v->s, 100));
		if (!la->active.parsed && !has_digit(v->s) && !says_forever(v->s) &&
		    has_duration_words(v->s))
			pdv_lint_fix(
			    c, "write the duration in figures in `retention.active` with what "
			       "it counts from: \"three years\" is `3y from last-contact` (or "
			       "`from collection`)");
		else if (!la->active.parsed && !has_digit(v->s))
			pdv_lint_report(c, LINT_RETENTION_FINITE, WARN, v->pos, a,
			                "activity '%s': retention '%.*s' gives criteria or a "
			                "reference but no duration",
			                pdv_lint_aid(a), PDV_UTF8_CUT(v->s, 100));
		if (!la->active.parsed && !has_digit(v->s) && !says_forever(v->s) &&
		    !has_duration_words(v->s))
			pdv_lint_fix(
			    c, "turn the criteria into an event and a cap in `retention.active`: "
			       "`until request-closed, at most 1y from collection` (\"the time "
			       "needed to handle the request\"), `until contract-end` for a "
			       "contract");
		else if (la->active.parsed && pdv_span_unbounded(&la->active.span) &&
		         !contract_end_certain(a, &la->active.span)) {
			pdv_lint_report(
			    c, LINT_RETENTION_FINITE, WARN, v->pos, a,
			    "activity '%s': retention '%.*s' can last forever if the "
			    "event never happens (add ', at most DURATION from TRIGGER')",
			    pdv_lint_aid(a), PDV_UTF8_CUT(v->s, 100));
			pdv_lint_fix(c, "add a cap to this `retention.active`: `, at most 3y from "
			                "last-contact` (the CNIL's 3 years for marketing)");
		}
	}
}

static void rule_retention_determinate(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];
		const struct lint_activity *la = pdv_lint_act_info(c, a);
		const struct pdv_str *v = &a->retention.active;

		if (!la || !la->active.present || la->active.parsed || !has_duration(v->s))
			continue;
		if (!has_trigger_word(v->s)) {
			pdv_lint_report(c, LINT_RETENTION_DETERMINATE, WARN, v->pos, a,
			                "activity '%s': retention '%.*s' gives a duration without "
			                "the event it counts from (e.g. 'from last-contact')",
			                pdv_lint_aid(a), PDV_UTF8_CUT(v->s, 100));
			pdv_lint_fix(c, "add the start to this `retention.active`: e.g. `13mo from "
			                "collection`, or `3y from last-contact`");
		} else if (strstr(v->s, " or ") || strstr(v->s, " ou ")) {
			pdv_lint_report(
			    c, LINT_RETENTION_DETERMINATE, WARN, v->pos, a,
			    "activity '%s': retention '%.*s' gives alternatives without "
			    "saying which applies (use 'until E, at most D from T')",
			    pdv_lint_aid(a), PDV_UTF8_CUT(v->s, 100));
			pdv_lint_fix(c, "write this `retention.active` as one span: `until E, at "
			                "most D from T`, or the shorter of the alternatives");
		}
	}
}

static bool trigger_is(const struct pdv_trigger *t, enum pdv_trigger_kind k, const char *ev)
{
	if (t->kind != k)
		return false;
	return k != PDV_TRIGGER_EVENT || (ev && strcmp(t->event, ev) == 0);
}

static bool prospect_trigger_ok(const struct pdv_activity *a, const struct pdv_trigger *t)
{
	/* customers: CNIL counts 3 years from the end of the commercial relationship */
	return trigger_is(t, PDV_TRIGGER_LAST_CONTACT, NULL) ||
	       trigger_is(t, PDV_TRIGGER_COLLECTION, NULL) ||
	       (pdv_lint_has_subject(a, "customer") &&
	        trigger_is(t, PDV_TRIGGER_EVENT, "contract-end"));
}

static void rule_prospect_3y(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];
		const struct lint_activity *la = pdv_lint_act_info(c, a);
		const struct pdv_str *v = &a->retention.active;
		const struct pdv_span *sp;

		if (!la || !la->active.parsed)
			continue;
		/* prospecting only: prospects' rights requests or quotes are not */
		if (!pdv_lint_is_prospecting(a))
			continue;
		/* records the law makes the controller keep (invoices, accounting) are
		 * not prospect files: their period is legal-minimum's business */
		if (pdv_lint_uses_under(a, "pdv.accounting") ||
		    pdv_lint_uses_under(a, "pdv.consumer_e_contract"))
			continue;
		sp = &la->active.span;
		if (sp->kind == PDV_SPAN_UNTIL && !sp->has_cap) {
			pdv_lint_report(c, LINT_PROSPECT_3Y, WARN, v->pos, a,
			                "activity '%s': prospect data kept 'until %s' with no "
			                "inactivity cap (add ', at most 3y from last-contact')",
			                pdv_lint_aid(a), sp->until);
			pdv_lint_fix(
			    c, "add the inactivity cap to `retention.active`: `until EVENT, at "
			       "most 3y from last-contact` (an unsubscription alone may never "
			       "come)");
		} else if (la->active.length_known &&
		           la->active.length_days > 3 * DAYS_YEAR + TOLERANCE)
			pdv_lint_report(
			    c, LINT_PROSPECT_3Y, WARN, v->pos, a,
			    "activity '%s': prospect data kept up to %.0f days, more than "
			    "the 3 years from the last contact CNIL recommends",
			    pdv_lint_aid(a), la->active.length_days);
		else if ((sp->kind == PDV_SPAN_DURATION && !prospect_trigger_ok(a, &sp->from)) ||
		         (sp->has_cap && !prospect_trigger_ok(a, &sp->cap_from)))
			pdv_lint_report(
			    c, LINT_PROSPECT_3Y, WARN, v->pos, a,
			    "activity '%s': prospect data must be counted from the last "
			    "contact from the person (from last-contact)",
			    pdv_lint_aid(a));
	}
}

/* an event that says the application was turned down: application-rejected,
 * candidate-refused, unsuccessful... */
static bool rejection_event(const char *ev)
{
	return ev && (strstr(ev, "reject") || strstr(ev, "refus") || strstr(ev, "unsuccessful") ||
	              strstr(ev, "declin"));
}

/*
 * LEGAL.md §1, recruitment-2y: a rejected candidate is kept at most 3 months
 * after the decision unless they agree to more (CNIL recruitment guide).
 * How long the declaration keeps them after it: nothing when a rejection ends
 * the record at once (early), the archive when it ends the active phase
 * (until), else the whole active phase, which nothing shortens. *ret_days < 0:
 * without a bound.
 */
static bool kept_after_rejection(const struct pdv_activity *a, const struct lint_activity *la,
                                 double *ret_days)
{
	const struct pdv_retention_decl *rd = &a->retention;

	for (size_t k = 0; rd->early.present && k < rd->early.n; k++)
		if (rejection_event(rd->early.v[k].s))
			return false;
	if (la->active.span.kind == PDV_SPAN_UNTIL && rejection_event(la->active.span.until)) {
		if (!la->archive.present)
			return false;
		*ret_days = la->archive.parsed && la->archive.bounded ? la->archive.max_days : -1;
		return true;
	}
	*ret_days = la->active.length_known ? la->active.length_days : -1;
	return true;
}

static void rule_recruitment_2y(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];
		const struct lint_activity *la = pdv_lint_act_info(c, a);
		double after = 0;

		if (!la || !la->active.parsed || !pdv_lint_is_recruitment(a))
			continue;
		/* a newsletter read by candidates is prospecting (prospect-3y), not
		 * a candidate's file: only a recruitment use makes it one */
		if (pdv_lint_is_marketing(a) && !pdv_lint_uses_under(a, "employment.recruitment"))
			continue;
		if (la->active.length_known && la->active.length_days > 2 * DAYS_YEAR + TOLERANCE) {
			pdv_lint_report(
			    c, LINT_RECRUITMENT_2Y, WARN, a->retention.active.pos, a,
			    "activity '%s': candidate data kept up to %.0f days, more than "
			    "the 2 years from the last contact CNIL recommends",
			    pdv_lint_aid(a), la->active.length_days);
			pdv_lint_fix(c,
			             "write `retention: {active: \"until application-rejected, at "
			             "most 2y from last-contact\"}`");
			continue;
		}
		/* only where a hiring decision is taken (a contact form that
		 * candidates also use decides nothing); a candidate who agreed to
		 * be kept (a talent pool) may stay */
		if (!pdv_lint_uses_under(a, "employment.recruitment") ||
		    pdv_lint_has_basis(a, "consent") || !kept_after_rejection(a, la, &after) ||
		    (after >= 0 && after <= 3 * DAYS_MONTH + TOLERANCE))
			continue;
		if (after < 0)
			pdv_lint_report(
			    c, LINT_RECRUITMENT_2Y, WARN, a->retention.active.pos, a,
			    "activity '%s': a rejected candidate is kept after the decision "
			    "with no bound, without being asked: CNIL allows 3 months "
			    "after it, more only with their agreement",
			    pdv_lint_aid(a));
		else
			pdv_lint_report(
			    c, LINT_RECRUITMENT_2Y, WARN, a->retention.active.pos, a,
			    "activity '%s': a rejected candidate is kept up to %.0f days "
			    "after the decision, without being asked: CNIL allows 3 months "
			    "after it, more only with their agreement",
			    pdv_lint_aid(a), after);
		pdv_lint_fix(c,
		             "end the record at the decision (`early: [application-rejected]`, "
		             "recorded with `pdvault event`), and keep the candidates who agree in "
		             "an activity of its own on `basis: consent` (a talent pool)");
	}
}

static void rule_id_document(struct lint_ctx *c)
{
	const struct pdv_id_document *id = &c->d->rights.id_document;
	struct pdv_span sp;
	double days = 0;

	if (!id->present)
		return;
	if (id->ask.s &&
	    (strcasecmp(id->ask.s, "always") == 0 || strcasecmp(id->ask.s, "systematic") == 0)) {
		pdv_lint_report(c, LINT_ID_DOCUMENT, WARN, id->ask.pos, NULL,
		                "rights.id_document.ask is '%s': ask for an identity document only "
		                "on reasonable doubt (ask: reasonable-doubt)",
		                id->ask.s);
		pdv_lint_fix(c, "set `rights.id_document.ask: reasonable-doubt`");
	}
	if (!id->retention.s || !pdv_lint_parse_span(id->retention.s, &sp, NULL))
		return;
	if (sp.kind == PDV_SPAN_DURATION)
		days = pdv_duration_days(sp.dur);
	else if (sp.has_cap)
		days = pdv_duration_days(sp.cap);
	else
		days = -1;
	if (days < 0 || days > DAYS_YEAR + TOLERANCE)
		pdv_lint_report(c, LINT_ID_DOCUMENT, WARN, id->retention.pos, NULL,
		                "rights.id_document.retention '%.*s' may keep identity copies "
		                "more than 1 year",
		                PDV_UTF8_CUT(id->retention.s, 60));
	else if (!(sp.kind == PDV_SPAN_DURATION &&
	           trigger_is(&sp.from, PDV_TRIGGER_EVENT, "request-closed")))
		pdv_lint_report(c, LINT_ID_DOCUMENT, INFO, id->retention.pos, NULL,
		                "rights.id_document.retention: count from the closing of the "
		                "request (from request-closed)");
}

static void rule_cctv_1m(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];
		const struct lint_activity *la = pdv_lint_act_info(c, a);
		bool open = a->cctv.open_to_public.present && a->cctv.open_to_public.v;

		if (!la || !la->active.parsed || !pdv_lint_is_cctv(a))
			continue;
		if (la->total_bounded && la->total_days <= 31 + 0.01)
			continue;
		if (la->total_bounded)
			pdv_lint_report(
			    c, LINT_CCTV_1M, open ? ERR : WARN,
			    pdv_lint_pos(a->retention.active.pos, a->retention.pos), a,
			    "activity '%s': video recordings kept up to %.0f days, more "
			    "than 1 month%s",
			    pdv_lint_aid(a), la->total_days,
			    open ? " (a place open to the public)" : "");
		else {
			pdv_lint_report(
			    c, LINT_CCTV_1M, open ? ERR : WARN,
			    pdv_lint_pos(a->retention.active.pos, a->retention.pos), a,
			    "activity '%s': video recordings kept without a limit, more "
			    "than the 1 month allowed%s",
			    pdv_lint_aid(a), open ? " (a place open to the public)" : "");
			pdv_lint_fix(c,
			             "set this activity's `retention.active: 1mo from collection`, "
			             "and place a hold when an incident needs the footage");
		}
	}
}

/*
 * The periods the law makes the controller keep records for (LEGAL.md,
 * legal-minimum). A record is of the kind when the activity's uses say so or
 * its basis_detail cites the text (a legal obligation names its law).
 */
struct legal_min {
	const char *what;         /* for messages */
	const char *use;          /* a data use that marks it, or NULL */
	const char *const *cites; /* articles, written without spaces or dots */
	int years;
	bool from_fy_end; /* counted from the end of the financial year */
	const char *ref;
};

static const char *const cite_accounting[] = {"l123-22", NULL};
static const char *const cite_e_contract[] = {"l213-1", "d213-1", "d213-2", NULL};
static const char *const cite_health[] = {"r1112-7", NULL};

static const struct legal_min legal_mins[] = {
    {"accounting records (invoices)", "pdv.accounting", cite_accounting, 10, true,
     "C. com. L123-22"},
    {"consumer contracts concluded online (120 euros or more)", "pdv.consumer_e_contract",
     cite_e_contract, 10, false, "C. conso L213-1, D213-1"},
    {"medical records", NULL, cite_health, 20, false, "CSP R1112-7"},
};

/* Does s cite the article (e.g. "l123-22"), written with any case, spaces or
 * dots ("C. com. L. 123-22"), and not followed by another digit? */
static bool cites(const char *s, const char *article)
{
	for (const char *p = s; p && *p; p++) {
		const char *q = p, *x = article;

		if (((unsigned char)*p | 0x20) != (unsigned char)article[0])
			continue;
		if (p > s && ((p[-1] | 0x20) >= 'a' && (p[-1] | 0x20) <= 'z'))
			continue;
		for (; *x && *q; q++) {
			if (*q == ' ' || *q == '.')
				continue;
			if (((unsigned char)*q | 0x20) != (unsigned char)*x)
				break;
			x++;
		}
		if (!*x && !(*q >= '0' && *q <= '9'))
			return true;
	}
	return false;
}

static bool text_cites(const struct pdv_text *t, const char *const *articles)
{
	if (!t->present)
		return false;
	for (size_t i = 0; i < (t->any ? 1 : t->n_lang); i++)
		for (const char *const *x = articles; *x; x++)
			if (cites(t->any ? t->any : t->langs[i].text, *x))
				return true;
	return false;
}

/* the amount 120 in s, with no digit glued to it ("€120", "120 euros") */
static bool says_120(const char *s)
{
	for (const char *p = s; p && (p = strstr(p, "120")); p++)
		if ((p == s || p[-1] < '0' || p[-1] > '9') && (p[3] < '0' || p[3] > '9') &&
		    !(p > s && (p[-1] == '.' || p[-1] == ',')))
			return true;
	return false;
}

/* retention.condition: "electronically concluded contracts of more than
 * EUR 120" selects the consumer e-contracts of C. conso D213-1 */
static bool condition_e_contract(const struct pdv_activity *a)
{
	const struct pdv_text *t = &a->retention.condition;

	for (size_t i = 0; t->present && i < (t->any ? 1 : t->n_lang); i++) {
		const char *s = t->any ? t->any : t->langs[i].text;

		if (s && says_120(s))
			return true;
	}
	return false;
}

/* "more than 120 euros" leaves out a contract of exactly 120: the threshold of
 * D213-1 is 120 euros or more */
static const char *const strict_words[] = {
    "more than",   "over",         "above",        "exceeding",  "plus de",
    "supérieur à", "supérieurs à", "supérieure à", "au-delà de", "greater than"};
static const char *const inclusive_words[] = {"or more", "at least", "ou plus", "au moins",
                                              "ou égal", "or equal", "minimum", "≥"};

static void condition_threshold(struct lint_ctx *c, const struct pdv_activity *a)
{
	const struct pdv_text *t = &a->retention.condition;

	for (size_t i = 0; t->present && i < (t->any ? 1 : t->n_lang); i++) {
		const char *s = t->any ? t->any : t->langs[i].text;
		bool strict = false, inclusive = false;

		if (!s || !says_120(s))
			continue;
		for (size_t k = 0; k < sizeof(strict_words) / sizeof(strict_words[0]); k++)
			strict = strict || pdv_strcasestr(s, strict_words[k]);
		for (size_t k = 0; k < sizeof(inclusive_words) / sizeof(inclusive_words[0]); k++)
			inclusive = inclusive || pdv_strcasestr(s, inclusive_words[k]);
		if (!strict || inclusive)
			continue;
		pdv_lint_report_ref(c, LINT_LEGAL_MINIMUM, WARN, t->any ? t->pos : t->langs[i].pos,
		                    a, "C. conso D213-1",
		                    "activity '%s': retention.condition '%.*s' leaves out the "
		                    "contracts of exactly 120 euros, which the law keeps 10 years "
		                    "too (120 euros or more)",
		                    pdv_lint_aid(a), PDV_UTF8_CUT(s, 80));
		pdv_lint_fix(c, "write the threshold as the law does: \"120 euros or more\"");
		return;
	}
}

static void legal_minimum(struct lint_ctx *c, const struct pdv_activity *a,
                          const struct lint_activity *la, const struct legal_min *m)
{
	const struct pdv_span *sp = &la->active.span;
	struct pdv_pos p = a->retention.active.pos;
	double min = m->years * DAYS_YEAR - TOLERANCE, days;

	if (!(m->use && pdv_lint_uses_under(a, m->use)) &&
	    !text_cites(&a->basis_detail, m->cites) &&
	    !(m->cites == cite_e_contract && condition_e_contract(a)))
		return;
	/* what is kept for certain: the active length, then the archive */
	days = la->active.length_known ? la->active.length_days : 0;
	if (la->archive.parsed && la->archive.is_dur)
		days += la->archive.max_days;
	if (m->from_fy_end &&
	    !(sp->kind == PDV_SPAN_DURATION && trigger_is(&sp->from, PDV_TRIGGER_FY_END, NULL))) {
		if (days > 0 && days < min)
			pdv_lint_report_ref(
			    c, LINT_LEGAL_MINIMUM, ERR, p, a, m->ref,
			    "activity '%s': %s kept %.0f years in all, less than the %d years from "
			    "the end of the financial year the law requires (retention: '%dy from "
			    "financial-year-end')",
			    pdv_lint_aid(a), m->what, days / DAYS_YEAR, m->years, m->years);
		if (days > 0 && days < min)
			pdv_lint_fix(
			    c, "count from the end of the financial year and keep the whole "
			       "legal period: `active: 10y from financial-year-end` (or a shorter "
			       "active phase and an `archive:` that makes up the 10 years)");
		else
			pdv_lint_report_ref(c, LINT_LEGAL_MINIMUM, ERR, p, a, m->ref,
			                    "activity '%s': %s count from the end of the financial "
			                    "year (retention: '%dy from financial-year-end')",
			                    pdv_lint_aid(a), m->what, m->years);
	} else if (la->active.length_known && days < min)
		pdv_lint_report_ref(c, LINT_LEGAL_MINIMUM, ERR, p, a, m->ref,
		                    "activity '%s': %s kept %.0f days in all, less than the %d "
		                    "years the law requires (%s)",
		                    pdv_lint_aid(a), m->what, days, m->years, m->ref);
}

static void rule_legal_minimum(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];
		const struct lint_activity *la = pdv_lint_act_info(c, a);

		condition_threshold(c, a);
		if (!la || !la->active.parsed)
			continue;
		for (size_t k = 0; k < sizeof(legal_mins) / sizeof(legal_mins[0]); k++)
			legal_minimum(c, a, la, &legal_mins[k]);
	}
}

/* role lists are short; a hostile one is not compared past this */
#define MAX_ROLES_COMPARE 64

static bool same_roles(const struct pdv_strlist *a, const struct pdv_strlist *b)
{
	if (a->n > MAX_ROLES_COMPARE || b->n > MAX_ROLES_COMPARE)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if (!pdv_strlist_has(b, a->v[i].s))
			return false;
	for (size_t i = 0; i < b->n; i++)
		if (!pdv_strlist_has(a, b->v[i].s))
			return false;
	return true;
}

static bool roles_beyond_dpo(const struct pdv_strlist *l)
{
	for (size_t i = 0; l->present && i < l->n; i++)
		if (l->v[i].s && strcmp(l->v[i].s, "dpo") != 0)
			return true;
	return false;
}

/* the grounds that justify an archive (CNIL guide des durées de conservation) */
static const char *const law_words[] = {
    "code",       "law",       "loi",       "act",        "decree",  "décret",
    "regulation", "règlement", "directive", "ordonnance", "article", "art",
    "c. civ",     "c. com",    "c. conso",  "c. trav",    "cgi",     "lpf",
};
static const char *const limitation_words[] = {"limitation", "prescri", "forclusion"};
static const char *const litigation_words[] = {
    "litig",   "dispute", "contentieu", "proceeding", "procédure judiciaire",
    "lawsuit", "claim",   "defen",      "défense",    "défendre",
    "recours", "court",   "tribunal",   "judiciaire",
};

static bool any_word(const char *s, const char *const *words, size_t n, bool whole)
{
	for (size_t k = 0; s && k < n; k++)
		if (whole ? pdv_lint_has_word(s, words[k]) : pdv_strcasestr(s, words[k]) != NULL)
			return true;
	return false;
}

/* a legal reference: a law word, or an article such as L123-22 or L. 110-4 */
static bool legal_reference(const char *s)
{
	if (any_word(s, law_words, N_WORDS(law_words), true))
		return true;
	for (const char *p = s; *p; p++) {
		const char *q = p + 1;

		if ((*p != 'L' && *p != 'R' && *p != 'D') ||
		    (p > s && letter((unsigned char)p[-1])))
			continue;
		while (*q == '.' || *q == ' ')
			q++;
		if (*q >= '0' && *q <= '9')
			return true;
	}
	return false;
}

static bool archive_ground(const struct pdv_text *t)
{
	for (size_t i = 0; t->present && i < (t->any ? 1 : t->n_lang); i++) {
		const char *s = t->any ? t->any : t->langs[i].text;

		if (s && (legal_reference(s) ||
		          any_word(s, limitation_words, N_WORDS(limitation_words), false) ||
		          any_word(s, litigation_words, N_WORDS(litigation_words), false)))
			return true;
	}
	return false;
}

static void rule_archive_justified(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];
		const struct pdv_retention_decl *rd = &a->retention;

		if (!rd->present || !rd->archive.s)
			continue;
		if (!pdv_lint_has_text(&rd->archive_reason)) {
			pdv_lint_report(c, LINT_ARCHIVE_JUSTIFIED, WARN, rd->archive.pos, a,
			                "activity '%s': archive phase without its reason (a legal "
			                "obligation, a limitation period, litigation: "
			                "retention.archive_reason)",
			                pdv_lint_aid(a));
			pdv_lint_fix(c, "add `retention.archive_reason:` to this activity naming "
			                "the ground (e.g. C. com. L110-4: 5 years)");
		} else if (!archive_ground(&rd->archive_reason)) {
			pdv_lint_report(
			    c, LINT_ARCHIVE_JUSTIFIED, WARN, rd->archive_reason.pos, a,
			    "activity '%s': archive_reason '%.*s' gives no recognised ground for "
			    "the archive: name the legal reference (e.g. C. com. L123-22), the "
			    "limitation period (C. civ. 2224: 5 years) or the litigation it serves",
			    pdv_lint_aid(a),
			    PDV_UTF8_CUT(pdv_text_get(&rd->archive_reason, "en"), 60));
			pdv_lint_fix(c, "rewrite this `archive_reason` with its ground: e.g. \"C. "
			                "com. L110-4 limitation period\", or shorten the archive");
		}
		if (a->archive_access.present && a->access.present &&
		    same_roles(&a->archive_access, &a->access) && roles_beyond_dpo(&a->access)) {
			pdv_lint_report(
			    c, LINT_ARCHIVE_JUSTIFIED, WARN, a->archive_access.pos, a,
			    "activity '%s': archived records are open to the same roles "
			    "as active ones: restrict archive_access",
			    pdv_lint_aid(a));
			pdv_lint_fix(c, "set this activity's `archive_access:` to fewer roles than "
			                "`access` (e.g. [dpo])");
		}
	}
}

/*
 * A litigation hold written as the retention ("until litigation-end", "in the
 * event of a dispute") keeps every record for ever when no dispute comes. The
 * record keeps its normal period; a hold is placed on the person's records
 * with `pdvault hold` when proceedings start and lifted when they end (Art.
 * 17(3)(e)). who/key name the value for the message; a is NULL for rights.
 */
static void litigation_hold(struct lint_ctx *c, const struct pdv_activity *a, const char *who,
                            const char *key, const struct pdv_str *v)
{
	struct pdv_span sp;
	bool hold;

	if (!v->s || !any_word(v->s, litigation_words, N_WORDS(litigation_words), false))
		return;
	if (pdv_lint_parse_span(v->s, &sp, NULL))
		hold = pdv_span_unbounded(&sp);
	else
		hold = !has_duration(v->s);
	if (hold) {
		pdv_lint_report(c, LINT_END_ACTION, WARN, v->pos, a,
		                "%s: %s '%.*s' is a litigation hold with no bound, which keeps "
		                "the data for ever when no dispute comes: give the normal period "
		                "and place a hold with `pdvault hold` when proceedings start (it "
		                "ends with them), or add ', at most DURATION from TRIGGER'",
		                who, key, PDV_UTF8_CUT(v->s, 60));
		pdv_lint_fix(c, "replace this retention with the normal period (e.g. `1y from "
		                "request-closed`) and use `pdvault hold` when a dispute starts");
	}
}

static void rule_end_action(struct lint_ctx *c)
{
	char who[128];

	litigation_hold(c, NULL, "rights", "id_document.retention",
	                &c->d->rights.id_document.retention);
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];
		const struct pdv_retention_decl *rd = &a->retention;
		const struct lint_activity *la = pdv_lint_act_info(c, a);

		if (!rd->present)
			continue;
		/* no end is the default, delete (pdv_retention_compile); a choice
		 * of lawful ends is lawful (LEGAL.md §5: end CHOICE(delete,
		 * anonymise)), in the list form or in the policy's words */
		if (rd->end_choice.present) {
			for (size_t k = 0; k < rd->end_choice.n; k++) {
				const struct pdv_str *e = &rd->end_choice.v[k];

				if (e->s &&
				    (strcmp(e->s, "delete") == 0 || strcmp(e->s, "anonymise") == 0))
					continue;
				pdv_lint_report(
				    c, LINT_END_ACTION, ERR, e->pos, a,
				    "activity '%s': end '%.*s' is neither delete nor "
				    "anonymise: a choice may only be between lawful ends",
				    pdv_lint_aid(a), PDV_UTF8_CUT(e->s ? e->s : "", 40));
				pdv_lint_fix(c,
				             "keep only `delete` and `anonymise` in the `end` list "
				             "(e.g. `end: [delete, anonymise]`)");
			}
			if (!rd->end_choice.n) {
				pdv_lint_report(c, LINT_END_ACTION, ERR, rd->end.pos, a,
				                "activity '%s': end is an empty list",
				                pdv_lint_aid(a));
				pdv_lint_fix(c, "write `end: delete`, `end: anonymise` or "
				                "`end: [delete, anonymise]`");
			}
		} else if (rd->end.s && !pdv_end_names(rd->end.s)) {
			pdv_lint_report(
			    c, LINT_END_ACTION, ERR, rd->end.pos, a,
			    "activity '%s': end '%.*s' is neither delete nor anonymise, "
			    "nor a choice of them",
			    pdv_lint_aid(a), PDV_UTF8_CUT(rd->end.s, 40));
			pdv_lint_fix(c,
			             "write `end: delete` (or `anonymise`, or the choice `[delete, "
			             "anonymise]`) instead of the words; keeping or archiving is a "
			             "phase (`archive:`), not an end");
		}
		snprintf(who, sizeof(who), "activity '%.*s'", PDV_UTF8_CUT(pdv_lint_aid(a), 60));
		litigation_hold(c, a, who, "retention", &rd->active);
		if (la && la->archive.parsed && !la->archive.is_dur && !la->archive.bounded)
			pdv_lint_report(
			    c, LINT_END_ACTION, WARN, rd->archive.pos, a,
			    "activity '%s': archive kept '%.*s' with no bound (add ', at "
			    "most DURATION from TRIGGER')",
			    pdv_lint_aid(a), PDV_UTF8_CUT(rd->archive.s, 60));
	}
}

void pdv_lint_run_retention(struct lint_ctx *c)
{
	rule_retention_required(c);
	rule_retention_syntax(c);
	rule_retention_finite(c);
	rule_retention_determinate(c);
	rule_prospect_3y(c);
	rule_recruitment_2y(c);
	rule_id_document(c);
	rule_cctv_1m(c);
	rule_legal_minimum(c);
	rule_archive_justified(c);
	rule_end_action(c);
}
