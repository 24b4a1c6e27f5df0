/*
 * lint-recipients.c — the rules on recipients (Art. 26/28 framing, how long
 * they keep data), transfers outside the EEA (Chapter V and what the notice
 * claims), and trackers (LIL art. 82, CNIL guidelines 2020-091/092).
 *
 * Countries come from the reference data of countries.c: EEA membership and
 * the Commission's adequacy decisions, where the US counts only through the
 * Data Privacy Framework (`safeguard: dpf`).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint-internal.h"
#include "pdv/buf.h"

#define ERR PDV_SEV_ERROR
#define WARN PDV_SEV_WARNING
#define INFO PDV_SEV_INFO

#define DAYS_MONTH 30.44
#define TOLERANCE 1.0

static const char *rid(const struct pdv_recipient *r)
{
	return r->id.s ? r->id.s : "?";
}

/* Art. 19: the notices of rectification, erasure and restriction must reach
 * every recipient of an activity; the vault sends them to its webhook or its
 * notify_email, and one with neither ends failed in the outbox. An authority
 * (tax, courts) receives by legal obligation and is told through its own
 * procedure, not warned about. */
static void rule_recipient_notice(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_recipients; i++) {
		const struct pdv_recipient *r = &c->d->recipients[i];

		c->recipient = r->id.s;
		if (r->notify_email.s && !pdv_lint_email_ok(r->notify_email.s))
			pdv_lint_report(c, LINT_CONTACT_FORMAT, ERR, r->notify_email.pos, NULL,
			                "recipient '%s': notify_email is not an email address "
			                "(expected name@domain)",
			                rid(r));
		else if (!(r->webhook.s && *r->webhook.s) &&
		         !(r->notify_email.s && *r->notify_email.s) &&
		         !(r->role.s && strcmp(r->role.s, "authority") == 0)) /* by law, not API */
			pdv_lint_report(
			    c, LINT_RECIPIENT_NOTICE, WARN, r->pos, NULL,
			    "recipient '%s' has neither a webhook nor a notify_email: its "
			    "Art. 19 notices (erasure, rectification, restriction) cannot "
			    "be delivered",
			    rid(r));
		pdv_lint_fix(c, "add `notify_email:` (the recipient's privacy or DPO address) to "
		                "this recipient, or `webhook:` if it takes the notices by API");
	}
	c->recipient = NULL;
}

static void rule_processor_contract(struct lint_ctx *c)
{
	static const char *const roles[] = {"processor", "joint-controller", "controller",
	                                    "authority"};

	for (size_t i = 0; i < c->d->n_recipients; i++) {
		const struct pdv_recipient *r = &c->d->recipients[i];

		c->recipient = r->id.s; /* its findings bind the activities using it */
		bool known = false;

		for (size_t k = 0; r->role.s && k < sizeof(roles) / sizeof(roles[0]); k++)
			if (strcmp(r->role.s, roles[k]) == 0)
				known = true;
		if (!r->role.s) {
			pdv_lint_report(c, LINT_PROCESSOR_AGREEMENT, ERR, r->pos, NULL,
			                "recipient '%s' has no role (processor, joint-controller, "
			                "controller or authority)",
			                rid(r));
			continue;
		}
		if (!known) {
			pdv_lint_report(c, LINT_PROCESSOR_AGREEMENT, ERR, r->role.pos, NULL,
			                "recipient '%s': role '%.*s' is not processor, "
			                "joint-controller, controller or authority",
			                rid(r), PDV_UTF8_CUT(r->role.s, 40));
			continue;
		}
		if ((strcmp(r->role.s, "processor") == 0 ||
		     strcmp(r->role.s, "joint-controller") == 0) &&
		    !(r->contract.present && r->contract.v)) {
			pdv_lint_report(
			    c, LINT_PROCESSOR_AGREEMENT, ERR,
			    pdv_lint_pos(r->contract.pos, r->role.pos), NULL,
			    "recipient '%s': a %s needs an %s arrangement (contract: true)", rid(r),
			    r->role.s, strcmp(r->role.s, "processor") == 0 ? "Art. 28" : "Art. 26");
			pdv_lint_fix(
			    c,
			    "sign the arrangement the role needs (Art. 28 for a processor, Art. 26 "
			    "for joint controllers), then set `contract: true` on this recipient");
		}
	}
}

struct rec_span {
	bool parsed, bounded;
	double days;
	bool reported;
};

/* each activity's recipients, looked up in the index: O(n log n) overall */
static void rule_processor_retention(struct lint_ctx *c)
{
	const struct pdv_decl *d = c->d;
	struct rec_span *rs;

	if (!d->n_recipients)
		return;
	rs = calloc(d->n_recipients, sizeof(*rs));
	if (!rs) {
		c->nomem = true;
		return;
	}
	for (size_t i = 0; i < d->n_recipients; i++) {
		struct pdv_span sp;

		if (d->recipients[i].retention.s &&
		    pdv_lint_parse_span(d->recipients[i].retention.s, &sp, NULL)) {
			rs[i].parsed = true;
			rs[i].bounded = pdv_span_max_days(&sp, &rs[i].days);
		}
	}
	for (size_t k = 0; k < d->n_activities; k++) {
		const struct pdv_activity *a = &d->activities[k];
		const struct lint_activity *la = pdv_lint_act_info(c, a);

		if (!la || !la->total_bounded)
			continue;
		for (size_t j = 0; a->recipients.present && j < a->recipients.n; j++) {
			size_t i = pdv_lint_index_find(&c->recipients, a->recipients.v[j].s);
			const struct pdv_recipient *r;

			if (i == SIZE_MAX || !rs[i].parsed || rs[i].reported ||
			    (rs[i].bounded && rs[i].days <= la->total_days + TOLERANCE))
				continue;
			r = &d->recipients[i];
			rs[i].reported = true;
			if (rs[i].bounded) {
				pdv_lint_report(
				    c, LINT_PROCESSOR_RETENTION, WARN, r->retention.pos, a,
				    "recipient '%s' keeps data up to %.0f days, longer than "
				    "activity '%s' (%.0f days at most)",
				    rid(r), rs[i].days, pdv_lint_aid(a), la->total_days);
				pdv_lint_fix(
				    c, "shorten this recipient's `retention` to the activity's, or "
				       "have the contract make it delete with you");
			} else {
				pdv_lint_report(
				    c, LINT_PROCESSOR_RETENTION, WARN, r->retention.pos, a,
				    "recipient '%s' keeps data without a limit, longer than "
				    "activity '%s' (%.0f days at most)",
				    rid(r), pdv_lint_aid(a), la->total_days);
				pdv_lint_fix(c, "give this recipient a `retention` no longer than "
				                "the activity's (its contract's deletion term)");
			}
		}
	}
	free(rs);
}

/* A place where a recipient processes data: `country`, or each entry of
 * `countries` (an ISO code, EEA, or elsewhere: outside the EEA, unnamed). */
static bool place_outside(const char *code)
{
	if (!code)
		return false;
	if (strcmp(code, "elsewhere") == 0)
		return true;
	return strcmp(code, "EEA") != 0 && pdv_country_valid(code) && !pdv_country_in_eea(code);
}

/* the recipient's places, country first: i-th, or NULL past the last */
static const struct pdv_str *place_at(const struct pdv_recipient *r, size_t i)
{
	if (r->country.s) {
		if (i == 0)
			return &r->country;
		i--;
	}
	if (r->countries.present && i < r->countries.n)
		return &r->countries.v[i];
	return NULL;
}

/* its first place outside the EEA, or NULL */
static const struct pdv_str *outside_eea(const struct pdv_recipient *r)
{
	const struct pdv_str *p;

	for (size_t i = 0; (p = place_at(r, i)); i++)
		if (place_outside(p->s))
			return p;
	return NULL;
}

static bool located(const struct pdv_recipient *r)
{
	return place_at(r, 0) != NULL;
}

/* "elsewhere" in messages */
static const char *place_name(const char *code)
{
	return strcmp(code, "elsewhere") == 0 ? "a country the policy does not name" : code;
}

static void place_safeguard(struct lint_ctx *c, const struct pdv_recipient *r,
                            const struct pdv_str *place)
{
	const char *sg = r->safeguard.s, *code = place->s;
	bool unnamed = strcmp(code, "elsewhere") == 0;
	struct pdv_pos p = pdv_lint_pos(r->safeguard.pos, place->pos);

	if (!sg || strcmp(sg, "none") == 0) {
		pdv_lint_report(c, LINT_TRANSFER_SAFEGUARD, ERR, p, NULL,
		                "recipient '%s' processes data in %s, outside the EEA, without "
		                "a safeguard (adequacy, dpf, scc, bcr or art49)",
		                rid(r), place_name(code));
		if (unnamed)
			pdv_lint_fix(c, "name the recipient's countries in `countries`, and set "
			                "`safeguard: scc` (with `tia: true`) for those outside the "
			                "EEA, or keep the data in the EEA (`countries: [EEA]`)");
		else if (strcmp(code, "US") == 0)
			pdv_lint_fix(
			    c, "set the recipient's `safeguard: dpf` if it is certified under "
			       "the EU-US Data Privacy Framework, else `safeguard: scc` with "
			       "`tia: true`");
		else
			pdv_lint_fix(
			    c, "set the recipient's `safeguard`: `adequacy` if the Commission "
			       "found the country adequate, else `scc` with `tia: true`");
	} else if (strcmp(sg, "adequacy") == 0 && unnamed)
		pdv_lint_report(c, LINT_TRANSFER_SAFEGUARD, ERR, p, NULL,
		                "recipient '%s': adequacy is decided per country, and one of its "
		                "countries is not named (countries: elsewhere)",
		                rid(r));
	else if (strcmp(sg, "adequacy") == 0 && strcmp(code, "US") == 0)
		pdv_lint_report(c, LINT_TRANSFER_SAFEGUARD, ERR, p, NULL,
		                "recipient '%s': the United States are adequate only for "
		                "organisations certified under the Data Privacy Framework "
		                "(safeguard: dpf)",
		                rid(r));
	else if (strcmp(sg, "adequacy") == 0 && !pdv_country_adequate(code))
		pdv_lint_report(c, LINT_TRANSFER_SAFEGUARD, ERR, p, NULL,
		                "recipient '%s': no adequacy decision covers %s (use scc or "
		                "bcr)",
		                rid(r), code);
	else if (strcmp(sg, "dpf") == 0 && strcmp(code, "US") != 0)
		pdv_lint_report(c, LINT_TRANSFER_SAFEGUARD, ERR, p, NULL,
		                "recipient '%s': the Data Privacy Framework covers only the "
		                "United States, not %s",
		                rid(r), place_name(code));
}

static void rule_transfer_safeguard(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_recipients; i++) {
		const struct pdv_recipient *r = &c->d->recipients[i];

		c->recipient = r->id.s; /* its findings bind the activities using it */
		const char *sg = r->safeguard.s;
		const struct pdv_str *first = outside_eea(r), *place;
		struct pdv_pos p;

		if (!first)
			continue;
		p = pdv_lint_pos(r->safeguard.pos, first->pos);
		if (sg && strcmp(sg, "none") && strcmp(sg, "adequacy") && strcmp(sg, "dpf") &&
		    strcmp(sg, "scc") && strcmp(sg, "bcr") && strcmp(sg, "art49")) {
			pdv_lint_report(
			    c, LINT_TRANSFER_SAFEGUARD, ERR, p, NULL,
			    "recipient '%s': safeguard '%.*s' is not adequacy, dpf, scc, "
			    "bcr, art49 or none",
			    rid(r), PDV_UTF8_CUT(sg, 40));
			continue;
		}
		/* every place outside the EEA needs the safeguard to fit it */
		for (size_t k = 0; (place = place_at(r, k)); k++)
			if (place_outside(place->s))
				place_safeguard(c, r, place);
		if (sg && (strcmp(sg, "scc") == 0 || strcmp(sg, "bcr") == 0)) {
			if (!(r->tia.present && r->tia.v))
				pdv_lint_report(
				    c, LINT_TRANSFER_SAFEGUARD, WARN, pdv_lint_pos(r->tia.pos, p),
				    NULL,
				    "recipient '%s': %s without a transfer impact assessment "
				    "(tia: true)",
				    rid(r), sg);
		} else if (sg && strcmp(sg, "art49") == 0)
			pdv_lint_report(c, LINT_TRANSFER_SAFEGUARD, WARN, p, NULL,
			                "recipient '%s': Art. 49 derogations cover only occasional "
			                "transfers, not a regular service",
			                rid(r));
	}
}

static void rule_transfer_consistency(struct lint_ctx *c)
{
	const struct pdv_transfers *t = &c->d->transfers;
	bool claims_none = t->present && t->outside_eea.present && !t->outside_eea.v;
	bool any_out = false, any_scc = false;

	for (size_t i = 0; i < c->d->n_recipients; i++) {
		const struct pdv_recipient *r = &c->d->recipients[i];

		c->recipient = r->id.s; /* its findings bind the activities using it */

		const struct pdv_str *out = outside_eea(r);

		if (out) {
			any_out = true;
			if (r->safeguard.s && strcmp(r->safeguard.s, "scc") == 0)
				any_scc = true;
		}
		if (claims_none && out)
			pdv_lint_report(
			    c, LINT_TRANSFER_CONSISTENCY, ERR, out->pos, NULL,
			    "the notice says no data leaves the EEA "
			    "(transfers.outside_eea: false), but recipient '%s' is in %s",
			    rid(r), place_name(out->s));
		if (claims_none && out)
			pdv_lint_fix(
			    c, "set `transfers.outside_eea: true` and say how to obtain the "
			       "safeguards (`transfers.safeguards_copy`), or choose a recipient "
			       "that keeps the data in the EEA");
		else if (claims_none && !located(r))
			pdv_lint_report(c, LINT_TRANSFER_CONSISTENCY, ERR, r->pos, NULL,
			                "the notice says no data leaves the EEA "
			                "(transfers.outside_eea: false), but recipient '%s' has no "
			                "country",
			                rid(r));
		if (claims_none && !out && !located(r))
			pdv_lint_fix(c,
			             "add the recipient's `country` (ISO code), or `countries: "
			             "[EEA, elsewhere]` when the policy says \"mainly in the EU\"");
		/* an authority is the one of its country; anyone else may be anywhere */
		else if (!located(r) && !(r->role.s && strcmp(r->role.s, "authority") == 0))
			pdv_lint_report(c, LINT_TRANSFER_CONSISTENCY, WARN, r->pos, NULL,
			                "recipient '%s' has no country, so the notice cannot say "
			                "whether its data leaves the EEA: add country (e.g. FR)",
			                rid(r));
		if (!claims_none && !located(r) &&
		    !(r->role.s && strcmp(r->role.s, "authority") == 0))
			pdv_lint_fix(c,
			             "add the recipient's `country` (ISO code, e.g. `FR`), or "
			             "`countries: [...]` when it processes data in several places");
	}
	if (any_scc && !pdv_lint_has_text(&t->safeguards_copy)) {
		pdv_lint_report(c, LINT_TRANSFER_CONSISTENCY, WARN,
		                pdv_lint_pos(t->pos, c->d->recipients_pos), NULL,
		                "standard contractual clauses are used but the notice does not say "
		                "how to obtain a copy (transfers.safeguards_copy)");
		pdv_lint_fix(c, "add `transfers.safeguards_copy:` saying where the clauses can be "
		                "asked for (e.g. the DPO's address)");
	}
	if (any_out && !t->present) {
		pdv_lint_report(c, LINT_TRANSFER_CONSISTENCY, WARN, c->d->recipients_pos, NULL,
		                "a recipient is outside the EEA but the declaration states nothing "
		                "about transfers (transfers.outside_eea: true)");
		pdv_lint_fix(c, "add `transfers: {outside_eea: true}` so the notice states the "
		                "transfer and its safeguard");
	}
}

/* ---- trackers ------------------------------------------------------------ */

static bool tracker_needs_consent(const struct pdv_tracker *t)
{
	return !t->consent.s || strcmp(t->consent.s, "exempt") != 0;
}

static const char *tname(const struct pdv_tracker *t)
{
	return t->name.s ? t->name.s : "?";
}

/* names of advertising trackers (Meta pixel, Google Ads, Microsoft Ads,
 * TikTok, LinkedIn, Pinterest), matched at the start of the cookie name */
static const char *const ad_tracker_names[] = {
    "_fbp", "_fbc", "_gcl_",   "IDE",     "test_cookie", "_uet",
    "MUID", "_ttp", "li_sugr", "bcookie", "_pin_unauth",
};
/* words of a purpose that say advertising */
static const char *const ad_purpose_words[] = {
    "advertis",    "publicit",    "google ads", "pixel",
    "remarketing", "retargeting", "targeted",   "ciblé",
};

/* what shows a tracker is for advertising, or NULL */
static const char *advertising(const struct pdv_tracker *t)
{
	if (t->category.s &&
	    (strcmp(t->category.s, "advertising") == 0 || strcmp(t->category.s, "social") == 0))
		return t->category.s;
	for (size_t k = 0; t->name.s && k < sizeof(ad_tracker_names) / sizeof(*ad_tracker_names);
	     k++)
		if (strncmp(t->name.s, ad_tracker_names[k], strlen(ad_tracker_names[k])) == 0)
			return t->name.s;
	for (size_t i = 0; t->purpose.present && i < (t->purpose.any ? 1 : t->purpose.n_lang);
	     i++) {
		const char *s = t->purpose.any ? t->purpose.any : t->purpose.langs[i].text;

		for (size_t k = 0; s && k < sizeof(ad_purpose_words) / sizeof(*ad_purpose_words);
		     k++)
			if (pdv_strcasestr(s, ad_purpose_words[k]))
				return ad_purpose_words[k];
	}
	return NULL;
}

static void rule_cookie_consent(struct lint_ctx *c)
{
	const struct pdv_cookies *k = &c->d->cookies;

	for (size_t i = 0; i < k->n_trackers; i++) {
		const struct pdv_tracker *t = &k->trackers[i];
		const char *cat = t->category.s;

		if (!t->consent.s || (strcmp(t->consent.s, "required") != 0 &&
		                      strcmp(t->consent.s, "exempt") != 0)) {
			pdv_lint_report(c, LINT_COOKIE_CONSENT, ERR,
			                pdv_lint_pos(t->consent.pos, t->pos), NULL,
			                "tracker '%.*s': consent must be 'required' or 'exempt' "
			                "(strictly necessary or exempt audience measurement)",
			                PDV_UTF8_CUT(tname(t), 60));
			continue;
		}
		if (strcmp(t->consent.s, "exempt") == 0 && advertising(t)) {
			pdv_lint_report(
			    c, LINT_COOKIE_CONSENT, ERR, t->consent.pos, NULL,
			    "tracker '%.*s' is declared exempt, but it is an advertising "
			    "tracker (%.*s): advertising always needs prior consent "
			    "(consent: required)",
			    PDV_UTF8_CUT(tname(t), 60), PDV_UTF8_CUT(advertising(t), 40));
			pdv_lint_fix(c, "set `consent: required` on this tracker: no exemption "
			                "covers advertising");
		} else if (strcmp(t->consent.s, "exempt") == 0) {
			if (!cat)
				pdv_lint_report(c, LINT_COOKIE_CONSENT, WARN, t->consent.pos, NULL,
				                "tracker '%.*s' is exempt from consent but its "
				                "category is not stated (necessary or audience)",
				                PDV_UTF8_CUT(tname(t), 60));
			else if (strcmp(cat, "necessary") != 0 && strcmp(cat, "audience") != 0)
				pdv_lint_report(
				    c, LINT_COOKIE_CONSENT, ERR, t->category.pos, NULL,
				    "tracker '%.*s' has category %.*s: only strictly "
				    "necessary trackers and exempt audience measurement may "
				    "be set without consent",
				    PDV_UTF8_CUT(tname(t), 60), PDV_UTF8_CUT(cat, 40));
		} else if (!t->recipient.s && cat &&
		           (strcmp(cat, "advertising") == 0 || strcmp(cat, "social") == 0)) {
			pdv_lint_report(
			    c, LINT_COOKIE_CONSENT, WARN, t->pos, NULL,
			    "tracker '%.*s' (%s) does not name the third party that reads "
			    "it (recipient)",
			    PDV_UTF8_CUT(tname(t), 60), cat);
		}
	}
}

static bool any_consent_tracker(const struct pdv_cookies *k)
{
	for (size_t i = 0; i < k->n_trackers; i++)
		if (tracker_needs_consent(&k->trackers[i]))
			return true;
	return false;
}

static void rule_cookie_reject_parity(struct lint_ctx *c)
{
	const struct pdv_cookies *k = &c->d->cookies;
	const struct pdv_banner *b = &k->banner;

	if (!k->present)
		return;
	if (any_consent_tracker(k) && !(b->reject_button.present && b->reject_button.v)) {
		pdv_lint_report(
		    c, LINT_COOKIE_REJECT_PARITY, ERR,
		    pdv_lint_pos3(b->reject_button.pos, b->pos, k->pos), NULL,
		    "trackers need consent but the banner has no 'reject all' button as "
		    "visible as 'accept' (cookies.banner.reject_button: true)");
		pdv_lint_fix(c, "add a 'reject all' button as visible as 'accept': "
		                "`cookies.banner.reject_button: true`");
	}
	if (b->blocks_until_accept.present && b->blocks_until_accept.v) {
		pdv_lint_report(c, LINT_COOKIE_REJECT_PARITY, ERR, b->blocks_until_accept.pos, NULL,
		                "the banner blocks the site until the visitor accepts "
		                "(cookies.banner.blocks_until_accept): refusing must be as easy");
		pdv_lint_fix(c, "let the visitor browse without answering: "
		                "`cookies.banner.blocks_until_accept: false`");
	}
}

/* a tracker lifetime: a duration or "session" */
static bool lifetime(const char *s, double *ret_days)
{
	struct pdv_duration d;

	if (s && strcmp(s, "session") == 0) {
		*ret_days = 0;
		return true;
	}
	if (!pdv_lint_parse_duration(s, &d))
		return false;
	*ret_days = pdv_duration_days(d);
	return true;
}

static void rule_cookie_lifetime(struct lint_ctx *c)
{
	const struct pdv_cookies *k = &c->d->cookies;
	const double m13 = 13 * DAYS_MONTH + TOLERANCE, m25 = 25 * DAYS_MONTH + TOLERANCE;
	double days;

	for (size_t i = 0; i < k->n_trackers; i++) {
		const struct pdv_tracker *t = &k->trackers[i];
		bool exempt_audience = t->consent.s && strcmp(t->consent.s, "exempt") == 0 &&
		                       t->category.s && strcmp(t->category.s, "audience") == 0;

		/* LEGAL.md §1: the 13 months bind only exempt audience measurement,
		 * which must therefore state a lifetime that can be checked (an
		 * error); a consent-based tracker's lifetime is still owed to the
		 * person (Art. 13(2)(a), CNIL 2020-091 art. 5), a warning */
		if (!t->lifetime.s) {
			pdv_lint_report_ref(
			    c, LINT_COOKIE_LIFETIME, exempt_audience ? ERR : WARN, t->pos, NULL,
			    exempt_audience ? "CNIL 2020-091 art. 5"
			                    : "GDPR 13(2)(a); CNIL 2020-091 art. 5",
			    exempt_audience ? "tracker '%.*s' has no lifetime: exempt audience "
			                      "measurement lasts at "
			                      "most 13 months, which cannot be checked"
			                    : "tracker '%.*s' has no lifetime: the notice must "
			                      "tell people how long "
			                      "it stays (a duration such as 13mo, or session)",
			    PDV_UTF8_CUT(tname(t), 60));
			pdv_lint_fix(
			    c, exempt_audience
			           ? "set the tracker's `lifetime: 13mo` (or less)"
			           : "set the tracker's `lifetime` to what the site sets (e.g. "
			             "`13mo`, or `session`)");
		} else if (!lifetime(t->lifetime.s, &days)) {
			pdv_lint_report_ref(
			    c, LINT_COOKIE_LIFETIME, exempt_audience ? ERR : WARN, t->lifetime.pos,
			    NULL,
			    exempt_audience ? "CNIL 2020-091 art. 5"
			                    : "GDPR 13(2)(a); CNIL 2020-091 art. 5",
			    "tracker '%.*s': lifetime '%.*s' is not a duration or 'session' "
			    "(expected "
			    "e.g. 13mo)%s",
			    PDV_UTF8_CUT(tname(t), 60), PDV_UTF8_CUT(t->lifetime.s, 40),
			    exempt_audience
			        ? ": exempt audience measurement lasts at most 13 months"
			        : "");
			pdv_lint_fix(
			    c, "replace the words in the tracker's `lifetime` with the duration "
			       "the site sets (e.g. `13mo`), or `session`");
		} else if (days > m13 && exempt_audience)
			pdv_lint_report(
			    c, LINT_COOKIE_LIFETIME, ERR, t->lifetime.pos, NULL,
			    "tracker '%.*s': exempt audience measurement lasts at most 13 "
			    "months, not %s",
			    PDV_UTF8_CUT(tname(t), 60), t->lifetime.s);
		else if (days > m13)
			pdv_lint_report(c, LINT_COOKIE_LIFETIME, WARN, t->lifetime.pos, NULL,
			                "tracker '%.*s': lifetime %s is more than 13 months",
			                PDV_UTF8_CUT(tname(t), 60), t->lifetime.s);
		if (t->renewed_on_visit.present && t->renewed_on_visit.v)
			pdv_lint_report(
			    c, LINT_COOKIE_LIFETIME, exempt_audience ? ERR : WARN,
			    t->renewed_on_visit.pos, NULL,
			    "tracker '%.*s': a lifetime renewed on each visit never ends",
			    PDV_UTF8_CUT(tname(t), 60));
		if (t->data_lifetime.s) {
			if (!lifetime(t->data_lifetime.s, &days))
				pdv_lint_report(c, LINT_COOKIE_LIFETIME,
				                exempt_audience ? ERR : WARN, t->data_lifetime.pos,
				                NULL,
				                "tracker '%.*s': data_lifetime '%.*s' is not a "
				                "duration (expected e.g. 25mo)",
				                PDV_UTF8_CUT(tname(t), 60),
				                PDV_UTF8_CUT(t->data_lifetime.s, 40));
			else if (exempt_audience && days > m25)
				pdv_lint_report(
				    c, LINT_COOKIE_LIFETIME, ERR, t->data_lifetime.pos, NULL,
				    "tracker '%.*s': data of exempt audience measurement is "
				    "kept at most 25 months, not %s",
				    PDV_UTF8_CUT(tname(t), 60), t->data_lifetime.s);
		}
	}
	if (k->consent_lifetime.s) {
		if (!lifetime(k->consent_lifetime.s, &days))
			pdv_lint_report(
			    c, LINT_COOKIE_LIFETIME, WARN, k->consent_lifetime.pos, NULL,
			    "cookies.consent_lifetime '%.*s' is not a duration (expected "
			    "e.g. 6mo)",
			    PDV_UTF8_CUT(k->consent_lifetime.s, 40));
		else if (days > m13)
			pdv_lint_report(
			    c, LINT_COOKIE_LIFETIME, WARN, k->consent_lifetime.pos, NULL,
			    "cookies.consent_lifetime %s: ask again after 13 months at most "
			    "(6 months is good practice)",
			    k->consent_lifetime.s);
	}
}

/*
 * cookies.proof_retention: how long a consent receipt is kept. A receipt
 * swept while its choice is still in force proves nothing when it is asked
 * for (Art. 7(1)), so it must outlast the longest remembered choice; past
 * ten years it is personal data kept for no claim that can still be brought.
 */
static void rule_cookie_proof_retention(struct lint_ctx *c)
{
	const struct pdv_cookies *k = &c->d->cookies;
	double proof = 0, consent = 0, refusal = 0, longest;
	const char *which = "consent_lifetime";

	if (!k->present || !k->proof_retention.s)
		return;
	if (!lifetime(k->proof_retention.s, &proof) ||
	    strcmp(k->proof_retention.s, "session") == 0) {
		pdv_lint_report(
		    c, LINT_COOKIE_LIFETIME, ERR, k->proof_retention.pos, NULL,
		    "cookies.proof_retention '%.*s' is not a duration (expected e.g. 5y)",
		    PDV_UTF8_CUT(k->proof_retention.s, 40));
		return;
	}
	if (!lifetime(k->consent_lifetime.s, &consent))
		consent = 0;
	if (!lifetime(k->refusal_lifetime.s, &refusal))
		refusal = 0;
	longest = consent;
	if (refusal > consent) {
		longest = refusal;
		which = "refusal_lifetime";
	}
	if (proof + TOLERANCE < longest)
		pdv_lint_report(
		    c, LINT_COOKIE_LIFETIME, ERR, k->proof_retention.pos, NULL,
		    "cookies.proof_retention %s is shorter than the choice it proves "
		    "(cookies.%s): a receipt would be swept while its choice is in force",
		    k->proof_retention.s, which);
	else if (proof > 10 * 365.25 + TOLERANCE)
		pdv_lint_report(c, LINT_COOKIE_LIFETIME, WARN, k->proof_retention.pos, NULL,
		                "cookies.proof_retention %s: receipts kept more than 10 years "
		                "outlive any claim they could answer (5y is the default)",
		                k->proof_retention.s);
}

static void rule_cookie_choice_memory(struct lint_ctx *c)
{
	const struct pdv_cookies *k = &c->d->cookies;
	double refusal = 0, consent = 0;

	if (!k->present || !any_consent_tracker(k))
		return;
	if (!k->refusal_lifetime.s) {
		pdv_lint_report(c, LINT_COOKIE_CHOICE_MEMORY, WARN, k->pos, NULL,
		                "the refusal of trackers is not remembered "
		                "(cookies.refusal_lifetime, e.g. 6mo)");
		pdv_lint_fix(
		    c, "add `cookies.refusal_lifetime: 6mo` (as long as consent is remembered)");
	} else if (!lifetime(k->refusal_lifetime.s, &refusal)) {
		pdv_lint_report(
		    c, LINT_COOKIE_CHOICE_MEMORY, WARN, k->refusal_lifetime.pos, NULL,
		    "cookies.refusal_lifetime '%.*s' is not a duration (expected e.g. 6mo)",
		    PDV_UTF8_CUT(k->refusal_lifetime.s, 40));
		pdv_lint_fix(c, "write `cookies.refusal_lifetime` as a duration, e.g. `6mo`");
	} else if (lifetime(k->consent_lifetime.s, &consent) && refusal + TOLERANCE < consent) {
		pdv_lint_report(c, LINT_COOKIE_CHOICE_MEMORY, WARN, k->refusal_lifetime.pos, NULL,
		                "refusal is remembered %s, less than consent (%s): the visitor is "
		                "asked again sooner for refusing",
		                k->refusal_lifetime.s, k->consent_lifetime.s);
		pdv_lint_fix(c, "raise `cookies.refusal_lifetime` to `cookies.consent_lifetime`");
	}
	if (!k->consent_lifetime.s) {
		pdv_lint_report(c, LINT_COOKIE_CHOICE_MEMORY, WARN, k->pos, NULL,
		                "how long consent to trackers is remembered is not stated "
		                "(cookies.consent_lifetime, e.g. 6mo)");
		pdv_lint_fix(c, "add `cookies.consent_lifetime: 6mo` (13 months at most), and the "
		                "same `refusal_lifetime`");
	}
}

void pdv_lint_run_recipients(struct lint_ctx *c)
{
	rule_processor_contract(c);
	rule_recipient_notice(c);
	c->recipient = NULL;
	rule_processor_retention(c);
	rule_transfer_safeguard(c);
	c->recipient = NULL;
	rule_transfer_consistency(c);
	c->recipient = NULL;
	rule_cookie_consent(c);
	rule_cookie_reject_parity(c);
	rule_cookie_lifetime(c);
	rule_cookie_proof_retention(c);
	rule_cookie_choice_memory(c);
}
