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

#include "decl/lint-internal.h"
#include "pdv/buf.h"

#define ERR PDV_SEV_ERROR
#define WARN PDV_SEV_WARNING
#define INFO PDV_SEV_INFO

#define DAYS_YEAR 365.25
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
                        const char *key, const struct pdv_str *v, bool allow_duration)
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
	pdv_lint_report(c, "retention-syntax", ERR, at_col(v->pos, &e), a,
	                "%s: %s '%.*s' is not %s: %s; %s", who, key, PDV_UTF8_CUT(v->s, 100),
	                allow_duration ? "a duration or a span" : "a span", e.msg, span_example);
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
		pdv_lint_report(c, "retention-syntax", ERR, v->pos, a,
		                "%s: retention.archive '%.*s' must be a duration such as 5y: the "
		                "archive counts from the end of the active phase",
		                who, PDV_UTF8_CUT(v->s, 100));
	else
		pdv_lint_report(c, "retention-syntax", ERR, v->pos, a,
		                "%s: retention.archive '%.*s' is not a duration (expected e.g. 5y)",
		                who, PDV_UTF8_CUT(v->s, 100));
}

static void rule_retention_required(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];
		const struct pdv_retention_decl *rd = &a->retention;

		if (!rd->present)
			pdv_lint_report(
			    c, "retention-required", ERR, pdv_lint_pos(a->id.pos, a->pos), a,
			    "activity '%s': no retention: say how long the data is kept "
			    "(retention: 3y from last-contact)",
			    pdv_lint_aid(a));
		else if (pdv_lint_blank(rd->active.s))
			pdv_lint_report(c, "retention-required", ERR, rd->pos, a,
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
			syntax_span(c, a, who, "retention", &rd->active, false);
		syntax_archive(c, a, who, &rd->archive);
		if (rd->renew.present) {
			if (!rd->renew.wait.s || !pdv_lint_parse_duration(rd->renew.wait.s, &dur))
				pdv_lint_report(
				    c, "retention-syntax", ERR,
				    pdv_lint_pos(rd->renew.wait.pos, rd->renew.pos), a,
				    "%s: retention.renew.wait '%.*s' is not a duration "
				    "(expected e.g. 1mo)",
				    who,
				    PDV_UTF8_CUT(rd->renew.wait.s ? rd->renew.wait.s : "", 40));
			if (rd->renew.silence.s && strcmp(rd->renew.silence.s, "end") != 0 &&
			    strcmp(rd->renew.silence.s, "keep") != 0)
				pdv_lint_report(
				    c, "retention-syntax", ERR, rd->renew.silence.pos, a,
				    "%s: retention.renew.silence '%.*s' is not end or keep", who,
				    PDV_UTF8_CUT(rd->renew.silence.s, 40));
		}
		if (rd->early.present && rd->early.n > PDV_RETENTION_MAX_EARLY)
			pdv_lint_report(c, "retention-syntax", ERR, rd->early.pos, a,
			                "%s: retention.early names %zu events, more than %d", who,
			                rd->early.n, PDV_RETENTION_MAX_EARLY);
		for (size_t k = 0; rd->early.present && k < rd->early.n; k++)
			if (rd->early.v[k].s && !pdv_event_name_valid(rd->early.v[k].s))
				pdv_lint_report(
				    c, "retention-syntax", ERR, rd->early.v[k].pos, a,
				    "%s: retention.early '%.*s' is not an event name "
				    "(consent-withdrawn, objection, or a kebab-case name)",
				    who, PDV_UTF8_CUT(rd->early.v[k].s, 60));
	}
	for (size_t i = 0; i < d->n_recipients; i++) {
		const struct pdv_recipient *r = &d->recipients[i];

		snprintf(who, sizeof(who), "recipient '%.*s'",
		         PDV_UTF8_CUT(r->id.s ? r->id.s : "?", 60));
		syntax_span(c, NULL, who, "retention", &r->retention, false);
	}
	syntax_span(c, NULL, "rights", "id_document.retention", &d->rights.id_document.retention,
	            false);
	/* every "from financial-year-end" depends on it */
	if (d->controller.financial_year_end.s && pdv_decl_fy_end(d, NULL, NULL) < 0)
		pdv_lint_report(
		    c, "retention-syntax", ERR, d->controller.financial_year_end.pos, NULL,
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
			pdv_lint_report(c, "retention-finite", ERR, v->pos, a,
			                "activity '%s': retention '%.*s' has no end: storage "
			                "limitation requires one",
			                pdv_lint_aid(a), PDV_UTF8_CUT(v->s, 100));
		else if (!la->active.parsed && !has_digit(v->s))
			pdv_lint_report(c, "retention-finite", WARN, v->pos, a,
			                "activity '%s': retention '%.*s' gives criteria or a "
			                "reference but no duration",
			                pdv_lint_aid(a), PDV_UTF8_CUT(v->s, 100));
		else if (la->active.parsed && pdv_span_unbounded(&la->active.span))
			pdv_lint_report(
			    c, "retention-finite", WARN, v->pos, a,
			    "activity '%s': retention '%.*s' can last forever if the "
			    "event never happens (add ', at most DURATION from TRIGGER')",
			    pdv_lint_aid(a), PDV_UTF8_CUT(v->s, 100));
	}
}

static void rule_retention_determinate(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];
		const struct lint_activity *la = pdv_lint_act_info(c, a);
		const struct pdv_str *v = &a->retention.active;

		if (!la || !la->active.present || la->active.parsed || !has_digit(v->s))
			continue;
		if (!has_trigger_word(v->s))
			pdv_lint_report(c, "retention-determinate", WARN, v->pos, a,
			                "activity '%s': retention '%.*s' gives a duration without "
			                "the event it counts from (e.g. 'from last-contact')",
			                pdv_lint_aid(a), PDV_UTF8_CUT(v->s, 100));
		else if (strstr(v->s, " or ") || strstr(v->s, " ou "))
			pdv_lint_report(
			    c, "retention-determinate", WARN, v->pos, a,
			    "activity '%s': retention '%.*s' gives alternatives without "
			    "saying which applies (use 'until E, at most D from T')",
			    pdv_lint_aid(a), PDV_UTF8_CUT(v->s, 100));
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
		if (!pdv_lint_has_subject(a, "prospect") && !pdv_lint_is_marketing(a))
			continue;
		/* records the law makes the controller keep (invoices, accounting) are
		 * not prospect files: their period is legal-minimum's business */
		if (pdv_lint_uses_under(a, "pdv.accounting") ||
		    pdv_lint_uses_under(a, "pdv.consumer_e_contract"))
			continue;
		sp = &la->active.span;
		if (sp->kind == PDV_SPAN_UNTIL && !sp->has_cap)
			pdv_lint_report(c, "prospect-3y", WARN, v->pos, a,
			                "activity '%s': prospect data kept 'until %s' with no "
			                "inactivity cap (add ', at most 3y from last-contact')",
			                pdv_lint_aid(a), sp->until);
		else if (la->active.length_known &&
		         la->active.length_days > 3 * DAYS_YEAR + TOLERANCE)
			pdv_lint_report(
			    c, "prospect-3y", WARN, v->pos, a,
			    "activity '%s': prospect data kept up to %.0f days, more than "
			    "the 3 years from the last contact CNIL recommends",
			    pdv_lint_aid(a), la->active.length_days);
		else if ((sp->kind == PDV_SPAN_DURATION && !prospect_trigger_ok(a, &sp->from)) ||
		         (sp->has_cap && !prospect_trigger_ok(a, &sp->cap_from)))
			pdv_lint_report(
			    c, "prospect-3y", WARN, v->pos, a,
			    "activity '%s': prospect data must be counted from the last "
			    "contact from the person (from last-contact)",
			    pdv_lint_aid(a));
	}
}

static void rule_recruitment_2y(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];
		const struct lint_activity *la = pdv_lint_act_info(c, a);

		if (!la || !la->active.parsed || !pdv_lint_is_recruitment(a))
			continue;
		if (la->active.length_known && la->active.length_days > 2 * DAYS_YEAR + TOLERANCE)
			pdv_lint_report(
			    c, "recruitment-2y", WARN, a->retention.active.pos, a,
			    "activity '%s': candidate data kept up to %.0f days, more than "
			    "the 2 years from the last contact CNIL recommends",
			    pdv_lint_aid(a), la->active.length_days);
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
	    (strcasecmp(id->ask.s, "always") == 0 || strcasecmp(id->ask.s, "systematic") == 0))
		pdv_lint_report(c, "id-document", WARN, id->ask.pos, NULL,
		                "rights.id_document.ask is '%s': ask for an identity document only "
		                "on reasonable doubt (ask: reasonable-doubt)",
		                id->ask.s);
	if (!id->retention.s || !pdv_lint_parse_span(id->retention.s, &sp, NULL))
		return;
	if (sp.kind == PDV_SPAN_DURATION)
		days = pdv_duration_days(sp.dur);
	else if (sp.has_cap)
		days = pdv_duration_days(sp.cap);
	else
		days = -1;
	if (days < 0 || days > DAYS_YEAR + TOLERANCE)
		pdv_lint_report(c, "id-document", WARN, id->retention.pos, NULL,
		                "rights.id_document.retention '%.*s' may keep identity copies "
		                "more than 1 year",
		                PDV_UTF8_CUT(id->retention.s, 60));
	else if (!(sp.kind == PDV_SPAN_DURATION &&
	           trigger_is(&sp.from, PDV_TRIGGER_EVENT, "request-closed")))
		pdv_lint_report(c, "id-document", INFO, id->retention.pos, NULL,
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
			    c, "cctv-1m", open ? ERR : WARN,
			    pdv_lint_pos(a->retention.active.pos, a->retention.pos), a,
			    "activity '%s': video recordings kept up to %.0f days, more "
			    "than 1 month%s",
			    pdv_lint_aid(a), la->total_days,
			    open ? " (a place open to the public)" : "");
		else
			pdv_lint_report(
			    c, "cctv-1m", open ? ERR : WARN,
			    pdv_lint_pos(a->retention.active.pos, a->retention.pos), a,
			    "activity '%s': video recordings kept without a limit, more "
			    "than the 1 month allowed%s",
			    pdv_lint_aid(a), open ? " (a place open to the public)" : "");
	}
}

static void rule_legal_minimum(struct lint_ctx *c)
{
	const double ten = 10 * DAYS_YEAR - TOLERANCE;

	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];
		const struct lint_activity *la = pdv_lint_act_info(c, a);
		struct pdv_pos p = a->retention.active.pos;

		if (!la || !la->active.parsed)
			continue;
		if (pdv_lint_uses_under(a, "pdv.accounting")) {
			const struct pdv_span *sp = &la->active.span;

			if (!(sp->kind == PDV_SPAN_DURATION &&
			      trigger_is(&sp->from, PDV_TRIGGER_FY_END, NULL))) {
				/* say how short the declared keeping is, when it is a
				 * plain duration (and archive): 3y + 5y is 8 years */
				double days = sp->kind == PDV_SPAN_DURATION
						  ? pdv_duration_days(sp->dur) +
							(la->archive.parsed
							     ? pdv_duration_days(la->archive.dur)
							     : 0)
						  : 0;

				if (days > 0 && days < ten)
					pdv_lint_report_ref(
					    c, "legal-minimum", ERR, p, a, "C. com. L123-22",
					    "activity '%s': accounting records (invoices) kept "
					    "%.0f years in all, less than the 10 years from the "
					    "end of the financial year the law requires",
					    pdv_lint_aid(a), days / DAYS_YEAR);
				else
					pdv_lint_report_ref(
					    c, "legal-minimum", ERR, p, a, "C. com. L123-22",
					    "activity '%s': accounting records count from the "
					    "end of the financial year (from financial-year-end)",
					    pdv_lint_aid(a));
			}
			else if (la->total_bounded && la->total_days < ten)
				pdv_lint_report_ref(
				    c, "legal-minimum", ERR, p, a, "C. com. L123-22",
				    "activity '%s': accounting records kept %.0f days in "
				    "all, less than the 10 years the law requires",
				    pdv_lint_aid(a), la->total_days);
		}
		if (pdv_lint_uses_under(a, "pdv.consumer_e_contract") && la->total_bounded &&
		    la->total_days < ten)
			pdv_lint_report_ref(
			    c, "legal-minimum", ERR, p, a, "C. conso L213-1, D213-1",
			    "activity '%s': consumer contracts concluded online "
			    "(120 euros or more) are kept 10 years; %.0f days declared",
			    pdv_lint_aid(a), la->total_days);
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

static void rule_archive_justified(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];
		const struct pdv_retention_decl *rd = &a->retention;

		if (!rd->present || !rd->archive.s)
			continue;
		if (!pdv_lint_has_text(&rd->archive_reason))
			pdv_lint_report(c, "archive-justified", WARN, rd->archive.pos, a,
			                "activity '%s': archive phase without its reason (a legal "
			                "obligation, a limitation period, litigation: "
			                "retention.archive_reason)",
			                pdv_lint_aid(a));
		if (a->archive_access.present && a->access.present &&
		    same_roles(&a->archive_access, &a->access) && roles_beyond_dpo(&a->access))
			pdv_lint_report(
			    c, "archive-justified", WARN, a->archive_access.pos, a,
			    "activity '%s': archived records are open to the same roles "
			    "as active ones: restrict archive_access",
			    pdv_lint_aid(a));
	}
}

static void rule_end_action(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];
		const struct pdv_retention_decl *rd = &a->retention;
		const struct lint_activity *la = pdv_lint_act_info(c, a);

		if (!rd->present)
			continue;
		/* no end is the default, delete (pdv_retention_compile) */
		if (rd->end.s && strcmp(rd->end.s, "delete") != 0 &&
		    strcmp(rd->end.s, "anonymise") != 0)
			pdv_lint_report(c, "end-action", ERR, rd->end.pos, a,
			                "activity '%s': end '%.*s' is neither delete nor anonymise",
			                pdv_lint_aid(a), PDV_UTF8_CUT(rd->end.s, 40));
		if (la && la->archive.parsed && !la->archive.is_dur && !la->archive.bounded)
			pdv_lint_report(
			    c, "end-action", WARN, rd->archive.pos, a,
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
