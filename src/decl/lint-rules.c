/*
 * lint-rules.c — the lint rules on the controller and the notice, and on
 * the activities (purposes, bases, consent, sensitive data, rights,
 * marketing), plus the helpers every rule file uses.
 *
 * Each rule is a static function that reads the declaration and reports
 * through pdv_lint_report(); it never fails (an allocation failure is
 * recorded in the context and reported by pdv_lint_run). Locations: the most specific value
 * written, else the enclosing map, else 1:1. Messages name the activity id, the key or the
 * recipient id and quote only what the controller wrote in the declaration.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lint-internal.h"
#include "pdv/buf.h"

#define ERR PDV_SEV_ERROR
#define WARN PDV_SEV_WARNING
#define INFO PDV_SEV_INFO

#define PATH_MAX_LEN 160

/* ---- shared helpers ----------------------------------------------------- */

struct pdv_pos pdv_lint_pos(struct pdv_pos a, struct pdv_pos b)
{
	return a.line ? a : b;
}

struct pdv_pos pdv_lint_pos3(struct pdv_pos a, struct pdv_pos b, struct pdv_pos c)
{
	return a.line ? a : b.line ? b : c;
}

const char *pdv_lint_aid(const struct pdv_activity *a)
{
	return a && a->id.s ? a->id.s : "?";
}

bool pdv_lint_has_basis(const struct pdv_activity *a, const char *basis)
{
	return pdv_strlist_has(&a->basis, basis);
}

bool pdv_lint_uses_under(const struct pdv_activity *a, const char *ancestor)
{
	for (size_t i = 0; a->uses.present && i < a->uses.n; i++)
		if (pdv_taxonomy_under(a->uses.v[i].s, ancestor))
			return true;
	return false;
}

bool pdv_lint_has_subject(const struct pdv_activity *a, const char *subject)
{
	return pdv_strlist_has(&a->subjects, subject);
}

bool pdv_lint_has_category_under(const struct pdv_activity *a, const char *ancestor)
{
	for (size_t i = 0; i < a->n_fields; i++)
		if (pdv_taxonomy_under(a->fields[i].category.s, ancestor))
			return true;
	return false;
}

bool pdv_lint_has_special(const struct pdv_activity *a)
{
	for (size_t i = 0; i < a->n_fields; i++)
		if (pdv_category_is_special(a->fields[i].category.s))
			return true;
	return false;
}

bool pdv_lint_has_criminal(const struct pdv_activity *a)
{
	for (size_t i = 0; i < a->n_fields; i++)
		if (pdv_category_is_criminal(a->fields[i].category.s))
			return true;
	return false;
}

bool pdv_lint_is_marketing(const struct pdv_activity *a)
{
	return pdv_lint_uses_under(a, "marketing");
}

bool pdv_lint_is_recruitment(const struct pdv_activity *a)
{
	return pdv_lint_uses_under(a, "employment.recruitment") ||
	       pdv_lint_has_subject(a, "job_applicant");
}

bool pdv_lint_is_cctv(const struct pdv_activity *a)
{
	return a->cctv.present || pdv_lint_uses_under(a, "pdv.security.cctv");
}

/* words of a purpose that say it is prospecting (English and French) */
static const char *const prospecting_words[] = {
    "prospecti", "marketing", "newsletter", "démarch", "demarch", "canvass", "lettre d'information",
    "advertis",  "publicit",
};
#define N_PROSPECTING_WORDS (sizeof(prospecting_words) / sizeof(prospecting_words[0]))

bool pdv_lint_is_prospecting(const struct pdv_activity *a)
{
	/* handling rights or objections about prospecting is not prospecting */
	if (pdv_lint_uses_under(a, "pdv.rights_requests") ||
	    pdv_lint_uses_under(a, "pdv.suppression_list"))
		return false;
	if (pdv_lint_is_marketing(a))
		return true;
	for (size_t i = 0; a->purposes.present && i < a->purposes.n; i++) {
		const struct pdv_text *t = &a->purposes.v[i];

		for (size_t j = 0; j < (t->any ? 1 : t->n_lang); j++) {
			const char *s = t->any ? t->any : t->langs[j].text;

			for (size_t k = 0; s && k < N_PROSPECTING_WORDS; k++)
				if (pdv_strcasestr(s, prospecting_words[k]))
					return true;
		}
	}
	return false;
}

bool pdv_lint_blank(const char *s)
{
	if (!s)
		return true;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

bool pdv_lint_has_text(const struct pdv_text *t)
{
	if (!t->present)
		return false;
	if (t->any)
		return !pdv_lint_blank(t->any);
	for (size_t i = 0; i < t->n_lang; i++)
		if (!pdv_lint_blank(t->langs[i].text))
			return true;
	return false;
}

bool pdv_lint_parse_duration(const char *s, struct pdv_duration *ret)
{
	struct pdv_error e;

	if (!s)
		return false;
	pdv_error_clear(&e);
	return pdv_duration_parse(s, false, ret, &e) == 0 && ret->n > 0;
}

bool pdv_lint_parse_span(const char *s, struct pdv_span *ret, struct pdv_error *err)
{
	struct pdv_error e;

	if (!s)
		return false;
	if (!err)
		err = &e;
	pdv_error_clear(err);
	return pdv_span_parse(s, ret, err) == 0;
}

static bool is_word_char(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch >= 0x80;
}

/* Does s hold word (ASCII, any case) with no letter or digit glued to it? */
bool pdv_lint_has_word(const char *s, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = s; p && *p; p++) {
		/* most positions fail on the first byte: test it alone */
		if ((*p | 0x20) != (word[0] | 0x20) || strncasecmp(p, word, n) != 0)
			continue;
		if (p > s && is_word_char((unsigned char)p[-1]))
			continue;
		if (is_word_char((unsigned char)p[n]))
			continue;
		return true;
	}
	return false;
}

#define has_word pdv_lint_has_word

static bool has_digit(const char *s)
{
	for (; s && *s; s++)
		if (*s >= '0' && *s <= '9')
			return true;
	return false;
}

static bool valid_basis(const char *s)
{
	static const char *const bases[] = {"consent",          "contract",
	                                    "legal-obligation", "vital-interests",
	                                    "public-task",      "legitimate-interests"};

	for (size_t i = 0; s && i < sizeof(bases) / sizeof(bases[0]); i++)
		if (strcmp(s, bases[i]) == 0)
			return true;
	return false;
}

/* every text of t: the plain string, or each language's */
#define FOR_TEXTS(t, i, s)                                                                         \
	for (size_t i = 0; i < ((t)->any ? 1 : (t)->n_lang); i++)                                  \
		for (const char *s = (t)->any ? (t)->any : (t)->langs[i].text; s; s = NULL)

static struct pdv_pos text_pos(const struct pdv_text *t, size_t i)
{
	if (!t->any && i < t->n_lang && t->langs[i].pos.line)
		return t->langs[i].pos;
	return t->pos;
}

/* ---- controller and notice ---------------------------------------------- */

static void rule_controller_identity(struct lint_ctx *c)
{
	const struct pdv_controller *k = &c->d->controller;

	if (!k->present) {
		pdv_lint_report(c, LINT_CONTROLLER_IDENTITY, ERR, (struct pdv_pos){1, 1}, NULL,
		                "no controller section: the notice must say who the controller is");
		return;
	}
	if (pdv_lint_blank(k->name.s))
		pdv_lint_report(c, LINT_CONTROLLER_IDENTITY, ERR, pdv_lint_pos(k->name.pos, k->pos),
		                NULL, "controller has no name");
	if (pdv_lint_blank(k->address.s))
		pdv_lint_report(c, LINT_CONTROLLER_IDENTITY, ERR,
		                pdv_lint_pos(k->address.pos, k->pos), NULL,
		                "controller has no address");
	if (pdv_lint_blank(k->address.s))
		pdv_lint_fix(c, "set `controller.address` to the company's postal address (its "
		                "registered office)");
	/* a postal address is a contact detail: Art. 13(1)(a) is met, an
	 * electronic one is what Art. 12(2) "facilitate" expects */
	if (pdv_lint_blank(k->email.s) && pdv_lint_blank(k->phone.s) &&
	    pdv_lint_blank(k->address.s))
		pdv_lint_report(c, LINT_CONTROLLER_IDENTITY, ERR,
		                pdv_lint_pos(k->email.pos, k->pos), NULL,
		                "controller has no contact (email or phone)");
	if (pdv_lint_blank(k->email.s) && pdv_lint_blank(k->phone.s) &&
	    pdv_lint_blank(k->address.s))
		pdv_lint_fix(c,
		             "set `controller.email` (or `controller.phone`) to where people can "
		             "write to the company");
	else if (pdv_lint_blank(k->email.s) && pdv_lint_blank(k->phone.s))
		pdv_lint_report_ref(c, LINT_CONTROLLER_IDENTITY, WARN,
		                    pdv_lint_pos(k->email.pos, k->pos), NULL,
		                    "GDPR 12(2), 13(1)(a)",
		                    "controller can be reached only at its postal address: add an "
		                    "email or a phone so that people can write without a letter "
		                    "(controller.email)");
	if (pdv_lint_blank(k->email.s) && pdv_lint_blank(k->phone.s) &&
	    !pdv_lint_blank(k->address.s))
		pdv_lint_fix(c, "add `controller.email` (or `controller.phone`) beside the postal "
		                "address");
	if (k->country.s && pdv_country_valid(k->country.s) && !pdv_country_in_eea(k->country.s) &&
	    (!k->representative.present || pdv_lint_blank(k->representative.name.s) ||
	     (pdv_lint_blank(k->representative.email.s) &&
	      pdv_lint_blank(k->representative.address.s))))
		pdv_lint_report(c, LINT_CONTROLLER_IDENTITY, ERR, k->country.pos, NULL,
		                "controller is established outside the EEA (%s) but names no EU "
		                "representative with a contact (controller.representative)",
		                k->country.s);
}

/* Art. 37(1)(b)-(c): large-scale special data or systematic monitoring */
static const struct pdv_activity *dpo_mandatory(const struct pdv_decl *d)
{
	for (size_t i = 0; i < d->n_activities; i++) {
		const struct pdv_activity *a = &d->activities[i];

		if (a->large_scale.present && a->large_scale.v &&
		    (pdv_lint_has_special(a) || pdv_lint_has_criminal(a) || pdv_lint_is_cctv(a)))
			return a;
	}
	return NULL;
}

static void rule_dpo_contact(struct lint_ctx *c)
{
	const struct pdv_controller *k = &c->d->controller;
	const struct pdv_activity *a;

	if (k->dpo.present) {
		/* any contact detail meets Art. 37(7): a postal address or a phone too */
		if (pdv_lint_blank(k->dpo.email.s) && pdv_lint_blank(k->dpo.address.s) &&
		    pdv_lint_blank(k->dpo.phone.s)) {
			pdv_lint_report(c, LINT_DPO_CONTACT, ERR, k->dpo.pos, NULL,
			                "a DPO is declared without a way to reach them: add "
			                "controller.dpo.email (or their postal address)");
			pdv_lint_fix(c, "add `controller.dpo.email:` (or `address:` or `phone:`) "
			                "under `controller.dpo`");
		}
		return;
	}
	a = dpo_mandatory(c->d);
	if (a) {
		pdv_lint_report(c, LINT_DPO_CONTACT, ERR, pdv_lint_pos(a->large_scale.pos, a->pos),
		                a,
		                "activity '%s': large-scale processing of special data or "
		                "systematic monitoring makes a DPO mandatory, and none is declared "
		                "(controller.dpo)",
		                pdv_lint_aid(a));
		pdv_lint_fix(c, "designate a DPO and declare `controller.dpo: {name: ..., email: "
		                "...}` (Art. 37(1))");
	}
}

static const char *const placeholders[] = {
    /* pdv_strcasestr folds ASCII only: the accented capitals are listed */
    "to be completed", "to be confirmed", "à compléter", "À compléter", "a completer", "à définir",
    "À définir",       "lorem ipsum",     "[insert",     "[name",       "<insert",
};
static const char *const placeholder_words[] = {"tbd", "tbc", "todo", "xxx", "fixme"};

static bool ends_with_colon(const char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return n && s[n - 1] == ':';
}

static bool key_is_note(const char *key)
{
	size_t n = key ? strlen(key) : 0;

	return n >= 4 && strcmp(key + n - 4, "note") == 0 && (n == 4 || key[n - 5] == '.');
}

static void rule_placeholder_text(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_scalars; i++) {
		const struct pdv_scalar_ref *r = &c->d->scalars[i];
		const char *hit = NULL;

		if (!r->s || key_is_note(r->key))
			continue;
		for (size_t k = 0; !hit && k < sizeof(placeholders) / sizeof(placeholders[0]); k++)
			if (pdv_strcasestr(r->s, placeholders[k]))
				hit = placeholders[k];
		for (size_t k = 0;
		     !hit && k < sizeof(placeholder_words) / sizeof(placeholder_words[0]); k++)
			if (has_word(r->s, placeholder_words[k]))
				hit = placeholder_words[k];
		if (hit) {
			pdv_lint_report(c, LINT_PLACEHOLDER_TEXT, ERR, r->pos, NULL,
			                "'%s' holds placeholder text ('%s')", r->key ? r->key : "?",
			                hit);
			pdv_lint_fix(c, "replace the placeholder in this key with the text it "
			                "stands for, or remove the key");
		} else if (ends_with_colon(r->s)) {
			pdv_lint_report(c, LINT_PLACEHOLDER_TEXT, ERR, r->pos, NULL,
			                "'%s' ends with ':' and nothing after it",
			                r->key ? r->key : "?");
			pdv_lint_fix(c, "complete this key with what follows the ':' (a name, an "
			                "address), or remove the ':'");
		}
	}
}

/* a text in every declared language, else a warning naming the key */
static void text_langs(struct lint_ctx *c, const struct pdv_text *t, const char *key,
                       const struct pdv_activity *a)
{
	const char *langs[16];
	size_t n;

	if (!t->present || t->any)
		return;
	n = pdv_decl_languages(c->d, langs, sizeof(langs) / sizeof(langs[0]));
	for (size_t i = 0; i < n; i++)
		if (!pdv_text_has(t, langs[i]))
			pdv_lint_report(c, LINT_NOTICE_COMPLETE, WARN, t->pos, a,
			                "'%s' has no '%s' text, a language of the notice", key,
			                langs[i]);
}

static void rule_notice_complete(struct lint_ctx *c)
{
	const struct pdv_decl *d = c->d;
	const struct pdv_authority *au = &d->controller.authority;
	char key[PATH_MAX_LEN];

	if (d->controller.present && !au->present)
		pdv_lint_report(c, LINT_NOTICE_COMPLETE, ERR, d->controller.pos, NULL,
		                "no supervisory authority to complain to (controller.authority, "
		                "e.g. cnil)");
	else if (au->present && au->id.s && !pdv_authority_builtin(au->id.s))
		pdv_lint_report(c, LINT_NOTICE_COMPLETE, ERR, au->id.pos, NULL,
		                "unknown authority '%.*s' (a built-in id such as cnil, or "
		                "{name, address, url})",
		                PDV_UTF8_CUT(au->id.s, 40));
	else if (au->present && !au->id.s &&
	         (!pdv_lint_has_text(&au->name) ||
	          (pdv_lint_blank(au->url.s) && pdv_lint_blank(au->address.s))))
		pdv_lint_report(c, LINT_NOTICE_COMPLETE, ERR, au->pos, NULL,
		                "the supervisory authority needs a name and an address or url");
	if (au->present && !au->id.s)
		text_langs(c, &au->name, "controller.authority.name", NULL);

	for (size_t i = 0; d->security.present && i < d->security.n; i++) {
		snprintf(key, sizeof(key), "security[%zu]", i);
		text_langs(c, &d->security.v[i], key, NULL);
	}
	for (size_t i = 0; i < d->n_roles; i++) {
		snprintf(key, sizeof(key), "roles[%zu].name", i);
		text_langs(c, &d->roles[i].name, key, NULL);
	}
	for (size_t i = 0; i < d->n_recipients; i++) {
		const struct pdv_recipient *r = &d->recipients[i];

		if (!pdv_lint_has_text(&r->name))
			pdv_lint_report(c, LINT_NOTICE_COMPLETE, ERR, r->pos, NULL,
			                "recipient '%.*s' has no name (Art. 13(1)(e))",
			                PDV_UTF8_CUT(r->id.s ? r->id.s : "?", 60));
		snprintf(key, sizeof(key), "recipients[%zu].name", i);
		text_langs(c, &r->name, key, NULL);
		snprintf(key, sizeof(key), "recipients[%zu].service", i);
		text_langs(c, &r->service, key, NULL);
	}
	for (size_t i = 0; i < d->n_activities; i++) {
		const struct pdv_activity *a = &d->activities[i];
		const struct {
			const struct pdv_text *t;
			const char *k;
		} texts[] = {
		    {&a->name, "name"},
		    {&a->basis_detail, "basis_detail"},
		    {&a->source.third_party, "source.third-party"},
		    {&a->consent.text, "consent.text"},
		    {&a->retention.archive_reason, "retention.archive_reason"},
		    {&a->automated_decision.logic, "automated_decision.logic"},
		    {&a->automated_decision.safeguards, "automated_decision.safeguards"},
		};

		if (!pdv_lint_has_text(&a->name))
			pdv_lint_report(
			    c, LINT_NOTICE_COMPLETE, ERR, pdv_lint_pos(a->id.pos, a->pos), a,
			    "activity '%s' has no name for the notice", pdv_lint_aid(a));
		for (size_t k = 0; k < sizeof(texts) / sizeof(texts[0]); k++) {
			snprintf(key, sizeof(key), "activities[%zu].%s", i, texts[k].k);
			text_langs(c, texts[k].t, key, a);
		}
		for (size_t k = 0; a->purposes.present && k < a->purposes.n; k++) {
			snprintf(key, sizeof(key), "activities[%zu].purposes[%zu]", i, k);
			text_langs(c, &a->purposes.v[k], key, a);
		}
	}
	for (size_t i = 0; i < d->cookies.n_trackers; i++) {
		snprintf(key, sizeof(key), "cookies.trackers[%zu].purpose", i);
		text_langs(c, &d->cookies.trackers[i].purpose, key, NULL);
	}
	text_langs(c, &d->transfers.safeguards_copy, "transfers.safeguards_copy", NULL);
}

void pdv_lint_run_controller(struct lint_ctx *c)
{
	rule_controller_identity(c);
	rule_dpo_contact(c);
	rule_placeholder_text(c);
	rule_notice_complete(c);
}

/* ---- purposes and bases ------------------------------------------------- */

static const char *const vague_phrases[] = {
    "...",
    "\xe2\x80\xa6", /* … */
    "any purpose",
    "other purposes",
    "all purposes",
    "any other purpose",
    "autres finalités",
    "toute finalité",
    "toutes finalités",
};

static void rule_purpose_required(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];

		if (!a->purposes.present || a->purposes.n == 0) {
			pdv_lint_report(c, LINT_PURPOSE_REQUIRED, ERR,
			                pdv_lint_pos3(a->purposes.pos, a->id.pos, a->pos), a,
			                "activity '%s': no purpose declared (purposes)",
			                pdv_lint_aid(a));
			continue;
		}
		for (size_t k = 0; k < a->purposes.n; k++) {
			const struct pdv_text *t = &a->purposes.v[k];
			bool reported = false;

			if (!pdv_lint_has_text(t)) {
				pdv_lint_report(c, LINT_PURPOSE_REQUIRED, ERR, t->pos, a,
				                "activity '%s': purpose #%zu is empty",
				                pdv_lint_aid(a), k + 1);
				continue;
			}
			FOR_TEXTS(t, j, s)
			{
				const char *hit = NULL;

				if (reported)
					break;
				if (has_word(s, "etc"))
					hit = "etc";
				for (size_t p = 0;
				     !hit && p < sizeof(vague_phrases) / sizeof(vague_phrases[0]);
				     p++)
					if (pdv_strcasestr(s, vague_phrases[p]))
						hit = vague_phrases[p];
				if (hit) {
					pdv_lint_report(
					    c, LINT_PURPOSE_REQUIRED, ERR, text_pos(t, j), a,
					    "activity '%s': purpose '%.*s' is open-ended "
					    "('%s'): name each purpose",
					    pdv_lint_aid(a), PDV_UTF8_CUT(s, 80), hit);
					reported = true;
				}
			}
		}
	}
}

static void rule_basis_closed_list(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];

		if (!a->basis.present || a->basis.n == 0) {
			pdv_lint_report(c, LINT_BASIS_CLOSED_LIST, ERR,
			                pdv_lint_pos3(a->basis.pos, a->id.pos, a->pos), a,
			                "activity '%s': no legal basis (basis: consent, contract, "
			                "legal-obligation, vital-interests, public-task or "
			                "legitimate-interests)",
			                pdv_lint_aid(a));
			pdv_lint_fix(
			    c,
			    "add `basis:` to this activity: the one the policy gives it elsewhere, "
			    "or `legitimate-interests` with `basis_detail` stating the interest");
			continue;
		}
		for (size_t k = 0; k < a->basis.n; k++)
			if (!valid_basis(a->basis.v[k].s))
				pdv_lint_report(
				    c, LINT_BASIS_CLOSED_LIST, ERR, a->basis.v[k].pos, a,
				    "activity '%s': '%.*s' is not a legal basis of Art. 6(1) "
				    "(consent, contract, legal-obligation, vital-interests, "
				    "public-task, legitimate-interests)",
				    pdv_lint_aid(a),
				    PDV_UTF8_CUT(a->basis.v[k].s ? a->basis.v[k].s : "", 60));
		for (size_t k = 0; k < a->n_basis_elsewhere; k++) {
			const struct pdv_basis_place *p = &a->basis_elsewhere[k];

			if (valid_basis(p->basis.s))
				continue;
			pdv_lint_report(
			    c, LINT_BASIS_CLOSED_LIST, ERR, pdv_lint_pos(p->basis.pos, p->pos), a,
			    "activity '%s': basis_elsewhere '%.*s' is not a legal basis "
			    "of Art. 6(1)",
			    pdv_lint_aid(a), PDV_UTF8_CUT(p->basis.s ? p->basis.s : "", 60));
			pdv_lint_fix(c, "write the basis the other place gives as one of consent, "
			                "contract, legal-obligation, vital-interests, public-task, "
			                "legitimate-interests");
		}
	}
}

static void rule_basis_single(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];

		if (a->basis.present && a->basis.n > 1)
			pdv_lint_report(
			    c, LINT_BASIS_SINGLE, WARN, a->basis.pos, a,
			    "activity '%s': %zu legal bases for the same purposes: choose "
			    "one (or split the activity), a basis cannot be swapped later",
			    pdv_lint_aid(a), a->basis.n);
		if (a->basis.present && a->basis.n > 1)
			pdv_lint_fix(
			    c, "keep in `basis` the one basis that applies (split the activity "
			       "if its purposes need two); if the policy gives them in "
			       "different places, write the first in `basis` and the other in "
			       "`basis_elsewhere` (basis-consistency)");
	}
}

/* lowercase ASCII letters and digits, other bytes kept, the rest dropped */
static void purpose_norm(const char *s, char *out, size_t size)
{
	size_t n = 0;

	for (; *s && n + 1 < size; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch >= 'A' && ch <= 'Z')
			out[n++] = (char)(ch - 'A' + 'a');
		else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch >= 0x80)
			out[n++] = (char)ch;
	}
	out[n] = '\0';
}

/* lists longer than this are compared on their first entries only: a
 * declaration has one basis per activity, a hostile one may have thousands */
#define MAX_LIST_COMPARE 16

static bool list_has_n(const struct pdv_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n && i < MAX_LIST_COMPARE; i++)
		if (l->v[i].s && s && strcmp(l->v[i].s, s) == 0)
			return true;
	return false;
}

static bool same_bases(const struct pdv_activity *a, const struct pdv_activity *b)
{
	for (size_t i = 0; i < a->basis.n && i < MAX_LIST_COMPARE; i++)
		if (!list_has_n(&b->basis, a->basis.v[i].s))
			return false;
	for (size_t i = 0; i < b->basis.n && i < MAX_LIST_COMPARE; i++)
		if (!list_has_n(&a->basis, b->basis.v[i].s))
			return false;
	return true;
}

struct purpose_ref {
	char *norm;
	size_t act;
	const char *text;
	struct pdv_pos pos;
};

static int purpose_cmp(const void *pa, const void *pb)
{
	const struct purpose_ref *a = pa, *b = pb;
	int r = strcmp(a->norm, b->norm);

	if (r)
		return r;
	return a->act < b->act ? -1 : a->act > b->act;
}

/*
 * LEGAL.md §1: the same purpose given different bases in different places is
 * an error (Art. 5(1)(a), 13(1)(c)), where two bases stated together are the
 * warning basis-single: a basis the policy states elsewhere for the activity
 * (basis_elsewhere) that `basis` lacks.
 */
static void basis_elsewhere(struct lint_ctx *c, const struct pdv_activity *a)
{
	for (size_t k = 0; k < a->n_basis_elsewhere; k++) {
		const struct pdv_basis_place *p = &a->basis_elsewhere[k];
		const char *where = pdv_text_get(&p->where, NULL);

		/* a word that is no basis is basis-closed-list's */
		if (!valid_basis(p->basis.s) || list_has_n(&a->basis, p->basis.s))
			continue;
		if (where)
			pdv_lint_report(
			    c, LINT_BASIS_CONSISTENCY, ERR, pdv_lint_pos(p->basis.pos, p->pos), a,
			    "activity '%s': the policy gives it %s in '%.*s' but %s here: "
			    "one purpose, one basis, stated the same everywhere",
			    pdv_lint_aid(a), p->basis.s, PDV_UTF8_CUT(where, 60),
			    a->basis.n && a->basis.v[0].s ? a->basis.v[0].s : "no basis");
		else
			pdv_lint_report(
			    c, LINT_BASIS_CONSISTENCY, ERR, pdv_lint_pos(p->basis.pos, p->pos), a,
			    "activity '%s': the policy gives it %s in another place but %s "
			    "here: one purpose, one basis, stated the same everywhere",
			    pdv_lint_aid(a), p->basis.s,
			    a->basis.n && a->basis.v[0].s ? a->basis.v[0].s : "no basis");
		pdv_lint_fix(c, "choose the one basis that applies, write it in `basis` and make "
		                "every place of the policy say it (then drop `basis_elsewhere`)");
	}
}

/*
 * Every purpose text of every activity, normalised and sorted, so that the
 * same purpose in two activities is found in O(n log n) whatever the size.
 */
static void rule_basis_consistency(struct lint_ctx *c)
{
	const struct pdv_decl *d = c->d;
	struct purpose_ref *v = NULL;
	bool *reported = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < d->n_activities; i++)
		basis_elsewhere(c, &d->activities[i]);
	for (size_t i = 0; i < d->n_activities; i++) {
		const struct pdv_activity *a = &d->activities[i];

		if (!a->basis.present || !a->basis.n || !a->purposes.present)
			continue;
		for (size_t k = 0; k < a->purposes.n; k++)
			cap += a->purposes.v[k].any ? 1 : a->purposes.v[k].n_lang;
	}
	if (!cap)
		return;
	v = calloc(cap, sizeof(*v));
	reported = calloc(d->n_activities, sizeof(*reported));
	if (!v || !reported) {
		c->nomem = true;
		goto out;
	}
	for (size_t i = 0; i < d->n_activities; i++) {
		const struct pdv_activity *a = &d->activities[i];

		if (!a->basis.present || !a->basis.n || !a->purposes.present)
			continue;
		for (size_t k = 0; k < a->purposes.n; k++) {
			const struct pdv_text *t = &a->purposes.v[k];

			FOR_TEXTS(t, j, txt)
			{
				size_t len = strlen(txt) + 1;
				char *norm;

				if (n == cap)
					break;
				norm = malloc(len);
				if (!norm) {
					c->nomem = true;
					goto out;
				}
				purpose_norm(txt, norm, len);
				if (!norm[0]) {
					free(norm);
					continue;
				}
				v[n].norm = norm;
				v[n].act = i;
				v[n].text = txt;
				v[n].pos = text_pos(t, j);
				n++;
			}
		}
	}
	if (n)
		qsort(v, n, sizeof(*v), purpose_cmp);
	for (size_t i = 1, g = 0; i < n; i++) {
		const struct purpose_ref *x = &v[i], *first = &v[g];
		const struct pdv_activity *a, *b;

		if (strcmp(x->norm, first->norm) != 0) {
			g = i;
			continue;
		}
		a = &d->activities[x->act];
		b = &d->activities[first->act];
		if (x->act == first->act || reported[x->act] || same_bases(a, b))
			continue;
		reported[x->act] = true;
		pdv_lint_report(c, LINT_BASIS_CONSISTENCY, ERR, x->pos, a,
		                "activity '%s': purpose '%.*s' is based on %s here but on %s in "
		                "activity '%s'",
		                pdv_lint_aid(a), PDV_UTF8_CUT(x->text, 80),
		                a->basis.v[0].s ? a->basis.v[0].s : "?",
		                b->basis.v[0].s ? b->basis.v[0].s : "?", pdv_lint_aid(b));
	}
out:
	for (size_t i = 0; v && i < n; i++)
		free(v[i].norm);
	free(v);
	free(reported);
}

static const char *const law_words[] = {"code",      "law",        "loi",        "act",
                                        "decree",    "décret",     "regulation", "règlement",
                                        "directive", "ordonnance", "article",    "art"};

static bool names_law(const struct pdv_text *t)
{
	FOR_TEXTS(t, j, s)
	{
		if (has_digit(s))
			return true;
		for (size_t k = 0; k < sizeof(law_words) / sizeof(law_words[0]); k++)
			if (has_word(s, law_words[k]))
				return true;
	}
	return false;
}

static void rule_basis_justified(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];
		struct pdv_pos p = pdv_lint_pos3(a->basis.pos, a->id.pos, a->pos);

		if (pdv_lint_has_basis(a, "legitimate-interests")) {
			if (!pdv_lint_has_text(&a->basis_detail))
				pdv_lint_report(
				    c, LINT_BASIS_JUSTIFIED, ERR, p, a,
				    "activity '%s': legitimate interests without the interest "
				    "pursued (basis_detail)",
				    pdv_lint_aid(a));
			if (!pdv_lint_has_text(&a->basis_detail))
				pdv_lint_fix(
				    c, "state the interest pursued in the activity's "
				       "`basis_detail`, as the notice will show it (e.g. `{en: "
				       "Answering the people who write to us}`)");
			if (!a->balancing_test.present || !a->balancing_test.v)
				pdv_lint_report(
				    c, LINT_BASIS_JUSTIFIED, WARN,
				    pdv_lint_pos(a->balancing_test.pos, p), a,
				    "activity '%s': legitimate interests without a documented "
				    "balancing test (balancing_test: true)",
				    pdv_lint_aid(a));
			if (!a->balancing_test.present || !a->balancing_test.v)
				pdv_lint_fix(c,
				             "weigh the interest against the person's rights and "
				             "expectations, keep the assessment, then set "
				             "`balancing_test: true` on the activity");
		}
		if (pdv_lint_has_basis(a, "legal-obligation")) {
			if (!pdv_lint_has_text(&a->basis_detail))
				pdv_lint_report(
				    c, LINT_BASIS_JUSTIFIED, ERR, p, a,
				    "activity '%s': legal obligation without the law that "
				    "imposes it (basis_detail)",
				    pdv_lint_aid(a));
			else if (!names_law(&a->basis_detail))
				pdv_lint_report(c, LINT_BASIS_JUSTIFIED, ERR, a->basis_detail.pos,
				                a,
				                "activity '%s': basis_detail does not name the law "
				                "(e.g. 'C. com. L123-22')",
				                pdv_lint_aid(a));
		}
	}
}

static void rule_contract_party(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];
		bool only_contacts = a->subjects.present && a->subjects.n > 0;
		/* a prospect who asks for a quote takes steps before a contract
		 * (Art. 6(1)(b)); one who is canvassed does not */
		bool prospecting = pdv_lint_is_prospecting(a);

		if (!pdv_lint_has_basis(a, "contract"))
			continue;
		for (size_t k = 0; a->subjects.present && k < a->subjects.n; k++) {
			const char *s = a->subjects.v[k].s;

			if (!s || (strcmp(s, "pdv.business_contact") != 0 &&
			           !(prospecting && strcmp(s, "prospect") == 0)))
				only_contacts = false;
		}
		if (a->audience.s && strcmp(a->audience.s, "b2b") == 0) {
			pdv_lint_report(
			    c, LINT_PARTY_TO_AGREEMENT, WARN, a->audience.pos, a,
			    "activity '%s': contract basis for a b2b audience: the contact "
			    "person is not party to the company's contract (legitimate "
			    "interests instead)",
			    pdv_lint_aid(a));
			pdv_lint_fix(c, "set this activity's `basis: legitimate-interests` with "
			                "the interest in `basis_detail`: the company, not its "
			                "contact person, is party to the contract");
		} else if (only_contacts) {
			pdv_lint_report(
			    c, LINT_PARTY_TO_AGREEMENT, WARN, a->subjects.pos, a,
			    "activity '%s': contract basis but the subjects are %s, who are "
			    "not party to a contract nor asked for these steps: use legitimate "
			    "interests or consent",
			    pdv_lint_aid(a),
			    prospecting ? "prospects being canvassed" : "business contacts");
			pdv_lint_fix(c, "set this activity's `basis: legitimate-interests` (or "
			                "`consent`) with the interest in `basis_detail`");
		}
	}
}

static void rule_dsr_basis(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];

		if (!pdv_lint_uses_under(a, "pdv.rights_requests") &&
		    !pdv_lint_uses_under(a, "pdv.suppression_list"))
			continue;
		for (size_t k = 0; a->basis.present && k < a->basis.n; k++)
			if (a->basis.v[k].s && strcmp(a->basis.v[k].s, "legal-obligation") != 0) {
				pdv_lint_report(
				    c, LINT_DSR_BASIS, ERR, a->basis.v[k].pos, a,
				    "activity '%s': handling rights requests or objections "
				    "is a legal obligation (Art. 12, 21), not %s",
				    pdv_lint_aid(a), a->basis.v[k].s);
				pdv_lint_fix(c, "set this activity's `basis: legal-obligation` "
				                "with `basis_detail: \"GDPR Art. 12 to 22\"`");
				break;
			}
	}
}

/* ---- ways to exercise a right (rights.withdraw, rights.object) -------- */

static const char *first_set(const char *a, const char *b, const char *c3)
{
	return !pdv_lint_blank(a) ? a : !pdv_lint_blank(b) ? b : !pdv_lint_blank(c3) ? c3 : NULL;
}

/*
 * What is wrong with a way to exercise a right, as a message (empty when
 * nothing is). The channels are those given with the right (w, written under
 * `key`) or, when it is not declared, the rights channels; each needs where
 * to write, from the right or else from the controller (its DPO's, then its
 * own), as the notice shows it. With `easy`, one channel at least must be as
 * easy as the online form that collected the data: email or web (pdvault
 * serves the request form). `what` says who does what, e.g. "consent to
 * 'newsletter' is withdrawn"; `fix` is the key to add addresses under.
 */
static void way_problem(const struct pdv_decl *d, const struct pdv_right_way *w, const char *key,
                        const char *fix, const char *what, bool easy, char *msg, size_t size,
                        const char **ret_fix)
{
	const struct pdv_controller *k = &d->controller;
	const struct pdv_strlist *ch = w ? &w->channels : &d->rights.channels;
	bool online = false;

	msg[0] = '\0';
	if (!ch->present || ch->n == 0) {
		snprintf(msg, size, "%s names no channel by which %s (add channels: [email])", key,
		         what);
		*ret_fix =
		    "add `channels: [email]` and the `email:` to write to, to the way stated";
		return;
	}
	for (size_t i = 0; i < ch->n; i++) {
		const char *x = ch->v[i].s ? ch->v[i].s : "";
		const char *where = "", *thing = NULL, *sub = NULL;

		if (strcmp(x, "email") == 0) {
			where = first_set(w ? w->email.s : NULL, k->dpo.email.s, k->email.s);
			thing = "email address", sub = "email";
			online = online || where;
		} else if (strcmp(x, "post") == 0 || strcmp(x, "in-person") == 0) {
			where = first_set(w ? w->address.s : NULL, k->dpo.address.s, k->address.s);
			thing = "postal address", sub = "address";
		} else if (strcmp(x, "phone") == 0) {
			where = first_set(w ? w->phone.s : NULL, k->dpo.phone.s, k->phone.s);
			thing = "phone number", sub = "phone";
		} else if (strcmp(x, "web") == 0) {
			online = true;
		} else {
			snprintf(msg, size,
			         "%s: channel '%.*s' is not email, post, web, phone or in-person",
			         key, PDV_UTF8_CUT(x, 40));
			*ret_fix =
			    "write this channel as one of email, post, web, phone, in-person";
			return;
		}
		if (!where) {
			snprintf(msg, size,
			         "%s: %s by %s, but no %s is given (add %s.%s, or controller.%s)",
			         key, what, x, thing, fix, sub, sub);
			*ret_fix =
			    strcmp(sub, "email") == 0
			        ? "add the address to write to as `email:` in the way stated "
			          "(or `controller.email`)"
			    : strcmp(sub, "phone") == 0
			        ? "add the number to call as `phone:` in the way stated (or "
			          "`controller.phone`)"
			        : "add the postal address as `address:` in the way stated (or "
			          "`controller.address`)";
			return;
		}
	}
	if (easy && !online)
		snprintf(msg, size,
		         "%s: %s only by post, phone or in person, while consent is given online: "
		         "withdrawing must be as easy (add email or web)",
		         key, what);
	if (easy && !online)
		*ret_fix = "add `email` (with its address) or `web` to the channels of "
		           "`rights.withdraw`, as consent was given online";
}

/* ---- consent ------------------------------------------------------------ */

/* Withdrawal must end the record, or pdvault would keep processing after it
 * (docs/declaration.md §10 Retention: `until consent-withdrawn` or
 * early: [consent-withdrawn]) */
static void rule_consent_withdrawal_ends(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];
		const struct lint_activity *la = pdv_lint_act_info(c, a);
		bool ends;

		/* no retention at all is retention-required's, one error is enough */
		if (!pdv_lint_has_basis(a, "consent") || !a->retention.present)
			continue;
		ends = pdv_strlist_has(&a->retention.early, "consent-withdrawn") ||
		       (la && la->active.parsed && la->active.span.kind == PDV_SPAN_UNTIL &&
		        strcmp(la->active.span.until, "consent-withdrawn") == 0);
		if (!ends)
			pdv_lint_report(
			    c, LINT_CONSENT_WITHDRAWAL_ENDS, ERR,
			    pdv_lint_pos3(a->retention.active.pos, a->retention.pos, a->pos), a,
			    "activity '%s': consent-based, but a withdrawal does not end the "
			    "record, so pdvault would keep processing after it: add early: "
			    "[consent-withdrawn] (or 'until consent-withdrawn, at most ...')",
			    pdv_lint_aid(a));
	}
}

/* Art. 7(3): the policy says how to withdraw, as easily as consent was given;
 * an unsubscribe link in each message is such a way for its activity */
static void rule_consent_withdrawal(struct lint_ctx *c)
{
	const struct pdv_rights *r = &c->d->rights;
	const struct pdv_activity *first = NULL;
	size_t n = 0;
	char what[120], msg[PDV_FINDING_MSG_MAX];
	const char *fix = NULL;

	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];

		if (!pdv_lint_has_basis(a, "consent") ||
		    (a->unsubscribe.present && a->unsubscribe.v))
			continue;
		if (!first)
			first = a;
		n++;
	}
	if (!first)
		return;
	if (!r->withdraw.present && (!r->channels.present || r->channels.n == 0)) {
		pdv_lint_report(
		    c, LINT_CONSENT_WITHDRAWAL, ERR, pdv_lint_pos(r->channels.pos, r->pos), NULL,
		    "activity '%s'%s is based on consent, but the notice gives no way to "
		    "withdraw it: add rights.withdraw: {channels: [email], email: ...} "
		    "(or rights.channels)",
		    pdv_lint_aid(first), n > 1 ? " (and others)" : "");
		return;
	}
	snprintf(what, sizeof(what), "consent to '%.*s'%s is withdrawn",
	         PDV_UTF8_CUT(pdv_lint_aid(first), 60), n > 1 ? " (and others)" : "");
	way_problem(c->d, r->withdraw.present ? &r->withdraw : NULL,
	            r->withdraw.present ? "rights.withdraw" : "rights.channels", "rights.withdraw",
	            what, true, msg, sizeof(msg), &fix);
	if (msg[0]) {
		pdv_lint_report(c, LINT_CONSENT_WITHDRAWAL, ERR,
		                pdv_lint_pos3(r->withdraw.pos, r->channels.pos, r->pos), NULL, "%s",
		                msg);
		pdv_lint_fix(c, fix);
	}
}

static void rule_consent_no_tacit(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];
		const struct pdv_renew *rn = &a->retention.renew;

		if (rn->present && rn->silence.s && strcmp(rn->silence.s, "keep") == 0) {
			pdv_lint_report(
			    c, LINT_CONSENT_NO_TACIT, ERR, rn->silence.pos, a,
			    "activity '%s': renewal keeps the record when the person does "
			    "not answer (silence: keep): silence is not consent, use "
			    "silence: end",
			    pdv_lint_aid(a));
			pdv_lint_fix(c, "set `retention.renew.silence: end` on this activity: "
			                "without an answer, the record ends");
		}
		if (a->consent.pre_ticked.present && a->consent.pre_ticked.v)
			pdv_lint_report(
			    c, LINT_CONSENT_NO_TACIT, ERR, a->consent.pre_ticked.pos, a,
			    "activity '%s': a pre-ticked box is not consent (pre_ticked: "
			    "true)",
			    pdv_lint_aid(a));
	}
}

/* the distinct channels (email, sms, phone...) among marketing.communications uses */
static size_t count_channels(const struct pdv_activity *a)
{
	static const char *const channels[] = {
	    "marketing.communications.email",         "marketing.communications.sms",
	    "pdv.marketing.communications.phone",     "pdv.marketing.communications.automated_call",
	    "pdv.marketing.communications.messaging", "pdv.marketing.communications.post",
	};
	size_t n = 0;

	for (size_t k = 0; k < sizeof(channels) / sizeof(channels[0]); k++)
		n += pdv_lint_uses_under(a, channels[k]);
	return n;
}

static void rule_consent_granular(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];
		const struct pdv_consent_decl *k = &a->consent;

		if (!pdv_lint_has_basis(a, "consent"))
			continue;
		if (a->purposes.present && a->purposes.n > 1) {
			pdv_lint_report(c, LINT_CONSENT_GRANULAR, WARN, a->purposes.pos, a,
			                "activity '%s': one consent for %zu purposes: ask for each "
			                "purpose separately (one activity per purpose)",
			                pdv_lint_aid(a), a->purposes.n);
			pdv_lint_fix(c, "split this activity in one activity per purpose, each "
			                "with its own `consent` box (or keep one purpose)");
		}
		if (count_channels(a) > 1) {
			pdv_lint_report(c, LINT_CONSENT_GRANULAR, WARN, a->uses.pos, a,
			                "activity '%s': one consent for %zu prospecting channels: "
			                "ask for each channel separately",
			                pdv_lint_aid(a), count_channels(a));
			pdv_lint_fix(c, "split this activity by channel (email, SMS, phone...), "
			                "each with its own `consent` box and `uses`");
		}
		if (!k->present) {
			pdv_lint_report(c, LINT_CONSENT_GRANULAR, WARN,
			                pdv_lint_pos(a->basis.pos, a->pos), a,
			                "activity '%s': consent basis without a consent section "
			                "(version and text), so consent cannot be proven",
			                pdv_lint_aid(a));
			pdv_lint_fix(c, "add `consent: {version: ..., text: ...}` to this activity "
			                "with the words of the box the person ticks");
		} else if (pdv_lint_blank(k->version.s) || !pdv_lint_has_text(&k->text)) {
			pdv_lint_report(c, LINT_CONSENT_GRANULAR, WARN, k->pos, a,
			                "activity '%s': consent without %s, so what was agreed to "
			                "cannot be proven",
			                pdv_lint_aid(a),
			                pdv_lint_blank(k->version.s) ? "a version"
			                                             : "the text shown");
			pdv_lint_fix(c, "give this activity's `consent` both its `version` and the "
			                "`text` shown");
		}
	}
}

static void rule_consent_child(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];

		if (!pdv_lint_has_basis(a, "consent"))
			continue;
		if (!pdv_lint_has_subject(a, "pdv.child") &&
		    !pdv_lint_has_category_under(a, "user.childrens"))
			continue;
		if (a->consent.parental.present && a->consent.parental.v)
			continue;
		pdv_lint_report(c, LINT_CONSENT_CHILD, ERR,
		                pdv_lint_pos3(a->consent.parental.pos, a->consent.pos, a->pos), a,
		                "activity '%s': consent of children under 15 needs the parents' "
		                "consent too (consent.parental: true)",
		                pdv_lint_aid(a));
	}
}

/* ---- sensitive data and risk -------------------------------------------- */

static bool art9_condition(const char *s)
{
	return s && strlen(s) == 5 && strncmp(s, "9-2-", 4) == 0 && s[4] >= 'a' && s[4] <= 'j';
}

static bool is_biometric(const char *category)
{
	return pdv_taxonomy_under(category, "user.biometric") ||
	       pdv_taxonomy_under(category, "user.authorization.biometric");
}

/* is every use access control (premises, devices, applications)? */
static bool only_access_control(const struct pdv_activity *a)
{
	if (!a->uses.present || a->uses.n == 0)
		return false;
	for (size_t k = 0; k < a->uses.n; k++)
		if (!pdv_taxonomy_under(a->uses.v[k].s, "pdv.security.access_control"))
			return false;
	return true;
}

/*
 * Biometrics at work: France allows them only to control access to premises,
 * devices and applications (LIL art. 6, GDPR 9(4); CNIL model regulation
 * 2019-001), whatever the Art. 9(2) condition; time clocks are not allowed.
 */
static void biometrics_at_work(struct lint_ctx *c, const struct pdv_activity *a)
{
	const struct pdv_field *bio = NULL;

	if (!pdv_lint_has_subject(a, "employee") || only_access_control(a))
		return;
	for (size_t k = 0; !bio && k < a->n_fields; k++)
		if (is_biometric(a->fields[k].category.s))
			bio = &a->fields[k];
	if (!bio)
		return;
	pdv_lint_report_ref(
	    c, LINT_SPECIAL_CRIMINAL, ERR, pdv_lint_pos(a->special_category.pos, bio->category.pos),
	    a, "GDPR 9(4); LIL 6; CNIL règlement type biométrie 2019-001",
	    "activity '%s': biometric data of employees (field '%.*s') for something other "
	    "than access control, which French law does not allow whatever the Art. 9(2) "
	    "condition: drop the field, or limit the uses to pdv.security.access_control",
	    pdv_lint_aid(a), PDV_UTF8_CUT(bio->name.s ? bio->name.s : "?", 60));
}

static void rule_special_criminal(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];
		const char *sc = a->special_category.s;

		biometrics_at_work(c, a);
		if (sc && !art9_condition(sc) && strcmp(sc, "lil-46") != 0)
			pdv_lint_report(c, LINT_SPECIAL_CRIMINAL, ERR, a->special_category.pos, a,
			                "activity '%s': special_category '%.*s' is neither an Art. "
			                "9(2) condition (9-2-a to 9-2-j) nor lil-46",
			                pdv_lint_aid(a), PDV_UTF8_CUT(sc, 40));
		for (size_t k = 0; k < a->n_fields; k++) {
			const struct pdv_field *f = &a->fields[k];

			if (pdv_category_is_special(f->category.s) && !art9_condition(sc))
				pdv_lint_report(
				    c, LINT_SPECIAL_CRIMINAL, ERR, f->category.pos, a,
				    "activity '%s': field '%.*s' is special-category data "
				    "(%s) without an Art. 9(2) condition (special_category: "
				    "9-2-a...9-2-j)",
				    pdv_lint_aid(a), PDV_UTF8_CUT(f->name.s ? f->name.s : "?", 60),
				    f->category.s);
			if (pdv_category_is_criminal(f->category.s) &&
			    (!sc || strcmp(sc, "lil-46") != 0))
				pdv_lint_report(
				    c, LINT_SPECIAL_CRIMINAL, ERR, f->category.pos, a,
				    "activity '%s': field '%.*s' is criminal-offence data "
				    "without a ground of LIL art. 46 (special_category: lil-46)",
				    pdv_lint_aid(a), PDV_UTF8_CUT(f->name.s ? f->name.s : "?", 60));
		}
	}
}

static const char *const recruitment_banned[] = {
    "user.demographic.date_of_birth",
    "user.demographic.age_range",
    "user.demographic.gender",
    "user.content.self_image",
    "user.government_id.national_identification_number",
};

static void rule_recruitment_minimisation(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];

		if (!pdv_lint_is_recruitment(a))
			continue;
		for (size_t k = 0; k < a->n_fields; k++) {
			const struct pdv_field *f = &a->fields[k];

			for (size_t b = 0;
			     b < sizeof(recruitment_banned) / sizeof(recruitment_banned[0]); b++)
				if (pdv_taxonomy_under(f->category.s, recruitment_banned[b])) {
					pdv_lint_report(
					    c, LINT_RECRUITMENT_MINIMISATION, WARN, f->category.pos,
					    a,
					    "activity '%s': field '%.*s' (%s) is not needed "
					    "to assess a candidate's ability for the job",
					    pdv_lint_aid(a),
					    PDV_UTF8_CUT(f->name.s ? f->name.s : "?", 60),
					    f->category.s);
					pdv_lint_fix(c, "remove this field from the activity's "
					                "`fields` (C. trav. L1221-6)");
					break;
				}
		}
	}
}

static bool automated(const struct pdv_activity *a)
{
	return a->automated_decision.present && !a->automated_decision.is_false;
}

static bool significant(const struct pdv_activity *a)
{
	return automated(a) &&
	       !(a->automated_decision.significant.present && !a->automated_decision.significant.v);
}

static bool third_party_source(const struct pdv_activity *a)
{
	return a->source.present && !a->source.kind.s;
}

static void rule_dpia_trigger(struct lint_ctx *c)
{
	static const char *const vulnerable[] = {"job_applicant", "employee", "pdv.child",
	                                         "patient"};

	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];
		bool special = pdv_lint_has_special(a) || pdv_lint_has_criminal(a);
		bool large = a->large_scale.present && a->large_scale.v;
		bool vuln = false;
		int n = 0;
		const char *why;

		if (a->dpia.present && a->dpia.done.present && a->dpia.done.v)
			continue;
		for (size_t k = 0; k < sizeof(vulnerable) / sizeof(vulnerable[0]); k++)
			if (pdv_lint_has_subject(a, vulnerable[k]))
				vuln = true;
		n += special;
		n += automated(a);
		n += pdv_lint_is_cctv(a);
		n += vuln;
		n += large;
		n += third_party_source(a);
		/* EDPB WP248 criterion 1: evaluation or scoring, by its use or
		 * stated on the activity (profiling: an assessment tool) */
		n += pdv_lint_uses_under(a, "marketing.advertising.profiling") ||
		     pdv_lint_uses_under(a, "personalize.content.profiling") ||
		     pdv_lint_uses_under(a, "personalize.content.profiled") ||
		     pdv_lint_has_text(&a->profiling);
		if (special && large)
			why = "large-scale special-category data";
		else if (significant(a))
			why = "a significant automated decision";
		else if (n >= 2)
			why = "several risk criteria";
		else
			continue;
		pdv_lint_report(c, LINT_DPIA_TRIGGER, WARN,
		                pdv_lint_pos3(a->dpia.pos, a->id.pos, a->pos), a,
		                "activity '%s': %s (%d EDPB criteria met): a DPIA is needed and "
		                "none is recorded (dpia: {done: true, ref: ...})",
		                pdv_lint_aid(a), why, n);
		pdv_lint_fix(c, "carry out the DPIA for this activity and record it: `dpia: {done: "
		                "true, ref: ...}`");
	}
}

static void rule_adm_22(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];
		const struct pdv_automated *ad = &a->automated_decision;
		bool basis_ok;

		if (!significant(a))
			continue;
		if (!pdv_lint_has_text(&ad->logic))
			pdv_lint_report(
			    c, LINT_ADM_22, ERR, ad->pos, a,
			    "activity '%s': automated decision without the logic involved "
			    "(automated_decision.logic)",
			    pdv_lint_aid(a));
		if (!pdv_lint_has_text(&ad->safeguards))
			pdv_lint_report(c, LINT_ADM_22, WARN, ad->pos, a,
			                "activity '%s': automated decision without the safeguards "
			                "offered: expressing one's view, contesting the decision "
			                "(automated_decision.safeguards)",
			                pdv_lint_aid(a));
		if (!ad->human_review.present || !ad->human_review.v)
			pdv_lint_report(c, LINT_ADM_22, ERR,
			                pdv_lint_pos(ad->human_review.pos, ad->pos), a,
			                "activity '%s': automated decision without human review on "
			                "request (automated_decision.human_review: true)",
			                pdv_lint_aid(a));
		basis_ok = a->basis.present && a->basis.n > 0;
		for (size_t k = 0; a->basis.present && k < a->basis.n; k++) {
			const char *b = a->basis.v[k].s;

			if (!b || (strcmp(b, "contract") != 0 && strcmp(b, "consent") != 0 &&
			           strcmp(b, "legal-obligation") != 0))
				basis_ok = false;
		}
		if (!basis_ok)
			pdv_lint_report(
			    c, LINT_ADM_22, ERR, pdv_lint_pos(a->basis.pos, ad->pos), a,
			    "activity '%s': a solely automated decision needs a contract, "
			    "a law or explicit consent as its basis (Art. 22(2))",
			    pdv_lint_aid(a));
		if (pdv_lint_has_special(a) &&
		    (!a->special_category.s || (strcmp(a->special_category.s, "9-2-a") != 0 &&
		                                strcmp(a->special_category.s, "9-2-g") != 0)))
			pdv_lint_report(
			    c, LINT_ADM_22, ERR, pdv_lint_pos(a->special_category.pos, ad->pos), a,
			    "activity '%s': an automated decision on special-category data "
			    "needs explicit consent (9-2-a) or a substantial public interest "
			    "(9-2-g) (Art. 22(4))",
			    pdv_lint_aid(a));
	}
}

/* words of a source that say what kind of party it is, not which */
static const char *const generic_source_words[] = {
    "solution",         "partner",          "partenaire",   "third part",     "tiers",
    "provider",         "prestataire",      "fournisseur",  "supplier",       "vendor",
    "broker",           "courtier",         "enrichment",   "enrichissement", "external source",
    "source externe",   "sources externes", "other source", "autres sources", "various sources",
    "diverses sources",
};
#define N_GENERIC_SOURCE_WORDS (sizeof(generic_source_words) / sizeof(generic_source_words[0]))
/* words a source may open with that do not name it */
static const char *const source_openers[] = {
    "a",         "an",    "the",      "our",    "some",     "other",  "various",    "external",
    "third",     "un",    "une",      "des",    "les",      "la",     "le",         "l",
    "nos",       "notre", "certains", "divers", "diverses", "autres", "commercial", "data",
    "marketing", "lead",  "leads",    "public", "business",
};

/* a word that names someone: a capital after the first word, an inner
 * capital (LinkedIn) or a domain name */
static bool names_someone(const char *s)
{
	const char *p = s;
	bool first = true;

	while (*p) {
		const char *w;
		size_t n;
		bool opener = false;

		while (*p && !is_word_char((unsigned char)*p))
			p++;
		w = p;
		while (is_word_char((unsigned char)*p) ||
		       (*p == '.' && is_word_char((unsigned char)p[1])))
			p++;
		n = (size_t)(p - w);
		if (!n)
			break;
		for (size_t i = 1; i < n; i++)
			if ((w[i] >= 'A' && w[i] <= 'Z') || w[i] == '.')
				return true;
		for (size_t k = 0; first && k < sizeof(source_openers) / sizeof(*source_openers);
		     k++)
			if (strlen(source_openers[k]) == n &&
			    strncasecmp(w, source_openers[k], n) == 0)
				opener = true;
		for (size_t k = 0; first && !opener && k < N_GENERIC_SOURCE_WORDS; k++)
			if (strlen(generic_source_words[k]) <= n &&
			    strncasecmp(w, generic_source_words[k],
			                strlen(generic_source_words[k])) == 0)
				opener = true;
		if (w[0] >= 'A' && w[0] <= 'Z' && !opener)
			return true;
		first = false;
	}
	return false;
}

/* Art. 14(1)(d), (2)(f): the source named, or at least what kind it is; "a
 * solution for enrichment" says neither */
static void generic_source(struct lint_ctx *c, const struct pdv_activity *a)
{
	const struct pdv_text *t = &a->source.third_party;

	FOR_TEXTS(t, j, s)
	{
		bool generic = false;

		for (size_t k = 0; !generic && k < N_GENERIC_SOURCE_WORDS; k++)
			generic = pdv_strcasestr(s, generic_source_words[k]) != NULL;
		if (!generic || names_someone(s))
			continue;
		pdv_lint_report(c, LINT_INDIRECT_SOURCE, WARN, text_pos(t, j), a,
		                "activity '%s': source.third-party '%.*s' is generic: name the "
		                "source (the provider, the file, the site), or at least its kind "
		                "and whether it is public (Art. 14(2)(f))",
		                pdv_lint_aid(a), PDV_UTF8_CUT(s, 60));
		pdv_lint_fix(c, "replace this `source.third-party` text with the provider's name "
		                "(or the file or site), saying whether it is public");
		return;
	}
}

/* Art. 14(3): the person is told within a reasonable period, one month at
 * most, or at the first communication with them, or at the first disclosure
 * to another recipient */
static void informed_within(struct lint_ctx *c, const struct pdv_activity *a)
{
	const struct pdv_str *w = &a->source.informed_within;
	struct pdv_duration dur;

	if (!w->s) {
		/* the law sets the time, the declaration need not; but the person
		 * must be told by then (LEGAL.md §1 indirect-source: within one
		 * month, at the first contact or at the first disclosure) and pdvault
		 * cannot say whether the policy does */
		pdv_lint_report_ref(
		    c, LINT_INDIRECT_SOURCE, WARN, pdv_lint_pos(a->source.pos, a->pos), a,
		    "GDPR 14(3)",
		    "activity '%s': data from a third party, but the declaration "
		    "does not say when the person is told (source.informed_within): "
		    "within one month, at the first contact or at the first "
		    "disclosure",
		    pdv_lint_aid(a));
		pdv_lint_fix(c, "add `informed_within: 1mo` (or `first-contact`, `disclosure`) to "
		                "the activity's `source`, as the policy promises it");
		return;
	}
	if (strcmp(w->s, "first-contact") == 0 || strcmp(w->s, "disclosure") == 0)
		return;
	if (!pdv_lint_parse_duration(w->s, &dur)) {
		pdv_lint_report(c, LINT_INDIRECT_SOURCE, ERR, w->pos, a,
		                "activity '%s': source.informed_within '%.*s' is not a time the "
		                "person can count on: Art. 14(3) asks for one month at most, the "
		                "first communication with them or the first disclosure",
		                pdv_lint_aid(a), PDV_UTF8_CUT(w->s, 80));
		pdv_lint_fix(c, "set `source.informed_within` to `1mo` (or less), `first-contact` "
		                "or `disclosure`");
	} else if (pdv_duration_days(dur) > 31.0) {
		pdv_lint_report(c, LINT_INDIRECT_SOURCE, ERR, w->pos, a,
		                "activity '%s': source.informed_within '%.*s' is longer than the "
		                "one month of Art. 14(3)(a)",
		                pdv_lint_aid(a), PDV_UTF8_CUT(w->s, 40));
		pdv_lint_fix(c, "set `source.informed_within: 1mo` (or `first-contact`)");
	}
}

static void rule_indirect_source(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];
		const struct pdv_source *s = &a->source;
		bool categories = false;

		if (!s->present) {
			pdv_lint_report(
			    c, LINT_INDIRECT_SOURCE, WARN, pdv_lint_pos(a->id.pos, a->pos), a,
			    "activity '%s': the source of the data is not stated (source: "
			    "data-subject, or {third-party: ...})",
			    pdv_lint_aid(a));
			continue;
		}
		if (s->kind.s) {
			if (strcmp(s->kind.s, "data-subject") != 0)
				pdv_lint_report(
				    c, LINT_INDIRECT_SOURCE, ERR, s->kind.pos, a,
				    "activity '%s': source '%.*s' is not data-subject; a "
				    "third-party source is written {third-party: TEXT}",
				    pdv_lint_aid(a), PDV_UTF8_CUT(s->kind.s, 40));
			continue;
		}
		informed_within(c, a);
		if (!pdv_lint_has_text(&s->third_party)) {
			pdv_lint_report(c, LINT_INDIRECT_SOURCE, ERR, s->pos, a,
			                "activity '%s': data from a third party without naming the "
			                "source (source.third-party)",
			                pdv_lint_aid(a));
			pdv_lint_fix(c, "add `source.third-party:` naming where the data comes "
			                "from, and `informed_within: 1mo`");
		} else
			generic_source(c, a);
		for (size_t k = 0; k < a->n_fields; k++)
			if (a->fields[k].category.s)
				categories = true;
		if (!categories)
			pdv_lint_report(
			    c, LINT_INDIRECT_SOURCE, ERR, s->pos, a,
			    "activity '%s': data from a third party without the categories "
			    "obtained (fields with a category)",
			    pdv_lint_aid(a));
	}
}

/* ---- rights --------------------------------------------------------------- */

static const char *const right_names[] = {
    "access",      "rectification", "erasure",    "restriction",        "notification",
    "portability", "objection",     "withdrawal", "automated-decision", "post-mortem",
};

static bool any_basis(const struct pdv_decl *d, const char *b1, const char *b2)
{
	for (size_t i = 0; i < d->n_activities; i++)
		if (pdv_lint_has_basis(&d->activities[i], b1) ||
		    (b2 && pdv_lint_has_basis(&d->activities[i], b2)))
			return true;
	return false;
}

static bool any_marketing(const struct pdv_decl *d)
{
	for (size_t i = 0; i < d->n_activities; i++)
		if (pdv_lint_is_marketing(&d->activities[i]))
			return true;
	return false;
}

static bool any_automated(const struct pdv_decl *d)
{
	for (size_t i = 0; i < d->n_activities; i++)
		if (significant(&d->activities[i]))
			return true;
	return false;
}

static void rights_limits(struct lint_ctx *c);

static void rule_rights_listed(struct lint_ctx *c)
{
	const struct pdv_rights *r = &c->d->rights;
	static const char *const absolute[] = {"access", "rectification", "erasure", "restriction",
	                                       "notification"};
	bool objection_applies =
	    any_basis(c->d, "legitimate-interests", "public-task") || any_marketing(c->d);
	bool consent = any_basis(c->d, "consent", NULL);
	bool automated_any = any_automated(c->d);

	if (!r->present) {
		pdv_lint_report(c, LINT_RIGHTS_LISTED, ERR, (struct pdv_pos){1, 1}, NULL,
		                "no rights section: the notice must say how to exercise the rights "
		                "of Art. 15-22");
		return;
	}
	if (!r->channels.present || r->channels.n == 0)
		pdv_lint_report(
		    c, LINT_RIGHTS_LISTED, ERR, pdv_lint_pos(r->channels.pos, r->pos), NULL,
		    "no channel to exercise rights (rights.channels: email, post, web...)");
	for (size_t i = 0; r->exclude.present && i < r->exclude.n; i++) {
		const struct pdv_str *x = &r->exclude.v[i];

		if (!x->s)
			continue;
		for (size_t k = 0; k < sizeof(absolute) / sizeof(absolute[0]); k++)
			if (strcmp(x->s, absolute[k]) == 0) {
				pdv_lint_report(c, LINT_RIGHTS_LISTED, ERR, x->pos, NULL,
				                "rights.exclude: the right of %s applies to every "
				                "processing and cannot be excluded",
				                x->s);
				pdv_lint_fix(c, "remove this right from `rights.exclude`: it "
				                "applies to every processing");
			}
		if (strcmp(x->s, "objection") == 0 && objection_applies) {
			pdv_lint_report(
			    c, LINT_RIGHTS_LISTED, ERR, x->pos, NULL,
			    "rights.exclude: objection cannot be excluded while an activity "
			    "is based on legitimate interests or a public task, or is direct "
			    "marketing (Art. 21)");
			pdv_lint_fix(c, "remove `objection` from `rights.exclude` (or limit it in "
			                "`rights.limits`, as the law allows)");
		}
		if (strcmp(x->s, "automated-decision") == 0 && automated_any) {
			pdv_lint_report(
			    c, LINT_RIGHTS_LISTED, ERR, x->pos, NULL,
			    "rights.exclude: the rights of Art. 22(3) cannot be excluded "
			    "while an activity takes automated decisions");
			pdv_lint_fix(c, "remove `automated-decision` from `rights.exclude`");
		}
		if (strcmp(x->s, "withdrawal") == 0 && consent) {
			pdv_lint_report(
			    c, LINT_RIGHTS_LISTED, ERR, x->pos, NULL,
			    "rights.exclude: withdrawal cannot be excluded while an activity "
			    "is based on consent (Art. 7(3))");
			pdv_lint_fix(c, "remove `withdrawal` from `rights.exclude`: consent can "
			                "always be withdrawn");
		}
	}
	rights_limits(c);
}

/* Does the limit leave out activity a (by its bases or its list of
 * activities)? */
static bool limit_leaves_out(const struct pdv_right_limit *l, const struct pdv_activity *a)
{
	bool in = true;

	if (l->bases.present && l->bases.n) {
		in = false;
		for (size_t k = 0; k < l->bases.n; k++)
			if (l->bases.v[k].s && pdv_lint_has_basis(a, l->bases.v[k].s))
				in = true;
	}
	if (in && l->activities.present && l->activities.n) {
		in = false;
		for (size_t k = 0; k < l->activities.n; k++)
			if (l->activities.v[k].s && a->id.s &&
			    strcmp(l->activities.v[k].s, a->id.s) == 0)
				in = true;
	}
	return !in;
}

/* the first activity the right applies to by law that the limit leaves out */
static const struct pdv_activity *limit_excludes(const struct pdv_decl *d,
                                                 const struct pdv_right_limit *l,
                                                 bool (*applies)(const struct pdv_activity *))
{
	for (size_t i = 0; i < d->n_activities; i++)
		if (applies(&d->activities[i]) && limit_leaves_out(l, &d->activities[i]))
			return &d->activities[i];
	return NULL;
}

static bool applies_always(const struct pdv_activity *a)
{
	(void)a;
	return true;
}

static bool applies_objection(const struct pdv_activity *a)
{
	return pdv_lint_has_basis(a, "legitimate-interests") ||
	       pdv_lint_has_basis(a, "public-task") || pdv_lint_is_marketing(a);
}

static bool applies_withdrawal(const struct pdv_activity *a)
{
	return pdv_lint_has_basis(a, "consent");
}

static bool applies_portability(const struct pdv_activity *a)
{
	return pdv_lint_has_basis(a, "consent") || pdv_lint_has_basis(a, "contract");
}

static struct pdv_pos limit_pos(const struct pdv_right_limit *l)
{
	return pdv_lint_pos3(l->bases.pos, l->activities.pos, pdv_lint_pos(l->right.pos, l->pos));
}

/* grounds for refusing a request that Art. 12(5) does not give: it allows a
 * refusal only of a manifestly unfounded or excessive request (repetitive
 * ones, for instance), which the controller must prove */
static const char *const refusal_words[] = {
    "abus", "regular basis", "regularly", "régulière", "frivol", "vexat",
};
static const char *const manifest_words[] = {"manifest"};
/* words that limit a right to the cases the policy lists */
static const char *const only_words[] = {
    "only ",        "only:",       "uniquement", "seulement",   "following cases",
    "cas suivants", "limited to ", "limité aux", "limitée aux",
};

#define N_WORDS(a) (sizeof(a) / sizeof((a)[0]))

/* the first place in s where one of the words is, or NULL */
static const char *first_of(const char *s, const char *const *words, size_t n)
{
	const char *best = NULL;

	for (size_t k = 0; k < n; k++) {
		const char *p = pdv_strcasestr(s, words[k]);

		if (p && (!best || p < best))
			best = p;
	}
	return best;
}

static bool has_any(const char *s, const char *const *words, size_t n)
{
	return first_of(s, words, n) != NULL;
}

/*
 * rights.limits[].cases: the policy's own conditions, read for a right
 * narrowed beyond the law (LEGAL.md §1 rights-listed, §2): a refusal ground
 * that is not Art. 12(5)'s is an error; a right the law grants in every case
 * (access, rectification, erasure on the grounds of 17(1), restriction,
 * notification) offered "only" in the cases the policy lists is a warning,
 * since pdvault cannot tell whether the list is the law's.
 */
static void limit_cases(struct lint_ctx *c, const struct pdv_right_limit *l, const char *right)
{
	static const char *const narrowable[] = {"access", "rectification", "erasure",
	                                         "restriction", "notification"};
	const struct pdv_text *t = &l->cases;
	bool refused = false, narrowed = false;

	FOR_TEXTS(t, j, s)
	{
		if (!refused && has_any(s, refusal_words, N_WORDS(refusal_words)) &&
		    !has_any(s, manifest_words, N_WORDS(manifest_words))) {
			refused = true;
			pdv_lint_report_ref(
			    c, LINT_RIGHTS_LISTED, ERR, text_pos(t, j), NULL,
			    "GDPR 12(5), 13(2)(b)",
			    "rights.limits: the right of %s is refused when '%.*s': Art. 12(5) "
			    "allows refusing only a manifestly unfounded or excessive request, "
			    "which "
			    "the controller must prove",
			    right,
			    PDV_UTF8_CUT(first_of(s, refusal_words, N_WORDS(refusal_words)), 60));
			pdv_lint_fix(
			    c, "write the limit's `cases` in the words of Art. 12(5) "
			       "(\"manifestly unfounded or excessive requests\") or remove it");
		}
		for (size_t k = 0; !narrowed && k < N_WORDS(narrowable); k++) {
			bool erasure = strcmp(right, "erasure") == 0;

			if (strcmp(right, narrowable[k]) != 0 ||
			    !has_any(s, only_words, N_WORDS(only_words)))
				continue;
			narrowed = true;
			if (erasure)
				pdv_lint_report_ref(
				    c, LINT_RIGHTS_LISTED, WARN, text_pos(t, j), NULL,
				    "GDPR 17(1), 17(3)",
				    "rights.limits: erasure is offered only in some cases "
				    "('%.*s'): "
				    "Art. 17 "
				    "grants it on each ground of 17(1) (no longer needed, consent "
				    "withdrawn, objection, unlawful, legal duty, a child's "
				    "consent) and "
				    "allows a refusal only under 17(3): check the cases are those",
				    PDV_UTF8_CUT(first_of(s, only_words, N_WORDS(only_words)), 60));
			else
				pdv_lint_report_ref(
				    c, LINT_RIGHTS_LISTED, WARN, text_pos(t, j), NULL,
				    "GDPR 13(2)(b), 15-19",
				    "rights.limits: %s is offered only in some cases ('%.*s'), but "
				    "Art. 15-19 grant it whatever the processing: check the cases "
				    "only restate the law",
				    right,
				    PDV_UTF8_CUT(first_of(s, only_words, N_WORDS(only_words)), 60));
			pdv_lint_fix(
			    c, "remove the limit, or quote in `cases` only the law's own grounds "
			       "(Art. 17(1) and 17(3) for erasure)");
		}
	}
}

/* rights.limits: who may exercise a right, and for which processing */
static void rights_limits(struct lint_ctx *c)
{
	const struct pdv_rights *r = &c->d->rights;
	static const char *const everywhere[] = {"access", "rectification", "restriction",
	                                         "notification"};

	for (size_t i = 0; i < r->n_limits; i++) {
		const struct pdv_right_limit *l = &r->limits[i];
		const char *right = l->right.s;
		const struct pdv_activity *out = NULL;

		if (!right) {
			pdv_lint_report(
			    c, LINT_RIGHTS_LISTED, ERR, l->pos, NULL,
			    "rights.limits: a limit without the right it limits (right: "
			    "access, erasure, portability, objection...)");
			continue;
		}
		limit_cases(c, l, right);
		for (size_t k = 0; l->holders.present && k < l->holders.n; k++) {
			const struct pdv_str *h = &l->holders.v[k];

			if (!h->s || strcmp(h->s, "data-subject") == 0)
				continue;
			pdv_lint_report(
			    c, LINT_RIGHTS_LISTED, ERR, h->pos, NULL,
			    "rights.limits: the right of %s is given to '%.*s', but the rights of "
			    "Art. 15-22 belong to the person the data is about (a customer's staff "
			    "member), not to a company",
			    right, PDV_UTF8_CUT(h->s, 40));
			pdv_lint_fix(c, "set `holders: [data-subject]`: each person exercises the "
			                "right about their own data");
			break;
		}
		for (size_t k = 0; l->bases.present && k < l->bases.n; k++) {
			const char *b = l->bases.v[k].s;

			if (b && strcmp(b, "consent") && strcmp(b, "contract") &&
			    strcmp(b, "legal-obligation") && strcmp(b, "vital-interests") &&
			    strcmp(b, "public-task") && strcmp(b, "legitimate-interests"))
				pdv_lint_report(
				    c, LINT_RIGHTS_LISTED, ERR, l->bases.v[k].pos, NULL,
				    "rights.limits: '%.*s' is not a legal basis (consent, "
				    "contract, legal-obligation, vital-interests, "
				    "public-task, legitimate-interests)",
				    PDV_UTF8_CUT(b, 40));
		}
		for (size_t k = 0; l->activities.present && k < l->activities.n; k++) {
			const struct pdv_str *id = &l->activities.v[k];

			if (id->s && !pdv_decl_activity(c->d, id->s))
				pdv_lint_report(c, LINT_REFERENCE_UNDECLARED, ERR, id->pos, NULL,
				                "rights.limits: activity '%.*s' is not declared",
				                PDV_UTF8_CUT(id->s, 60));
		}
		for (size_t k = 0; k < sizeof(everywhere) / sizeof(everywhere[0]); k++)
			if (strcmp(right, everywhere[k]) == 0 &&
			    (out = limit_excludes(c->d, l, applies_always)))
				pdv_lint_report(
				    c, LINT_RIGHTS_LISTED, ERR, limit_pos(l), NULL,
				    "rights.limits: the right of %s applies to every "
				    "processing, but the limit leaves out activity '%s'",
				    right, pdv_lint_aid(out));
		if (strcmp(right, "objection") == 0 &&
		    (out = limit_excludes(c->d, l, applies_objection)))
			pdv_lint_report(
			    c, LINT_RIGHTS_LISTED, ERR, limit_pos(l), NULL,
			    "rights.limits: objection is limited, but activity '%s' is "
			    "based on legitimate interests or a public task, or is direct "
			    "marketing: the person may object to it (Art. 21(1)-(2))",
			    pdv_lint_aid(out));
		else if (strcmp(right, "withdrawal") == 0 &&
		         (out = limit_excludes(c->d, l, applies_withdrawal)))
			pdv_lint_report(
			    c, LINT_RIGHTS_LISTED, ERR, limit_pos(l), NULL,
			    "rights.limits: withdrawal is limited, but activity '%s' is "
			    "based on consent (Art. 7(3))",
			    pdv_lint_aid(out));
		if (out)
			pdv_lint_fix(c, "widen the limit (`bases`, `activities`) to every activity "
			                "the law grants the right for, or remove it");
	}
}

static void rule_portability_scope(struct lint_ctx *c)
{
	const struct pdv_rights *r = &c->d->rights;
	bool portable = any_basis(c->d, "consent", "contract");

	for (size_t i = 0; i < r->n_limits; i++) {
		const struct pdv_right_limit *l = &r->limits[i];
		const struct pdv_activity *out;

		if (!l->right.s || strcmp(l->right.s, "portability") != 0)
			continue;
		if ((out = limit_excludes(c->d, l, applies_portability))) {
			pdv_lint_report(
			    c, LINT_PORTABILITY_SCOPE, ERR, limit_pos(l), NULL,
			    "rights.limits: portability is limited, but activity '%s' is "
			    "based on %s, for which Art. 20(1) grants it",
			    pdv_lint_aid(out),
			    pdv_lint_has_basis(out, "consent") ? "consent" : "a contract");
			pdv_lint_fix(c, "offer portability for every activity based on consent or "
			                "contract: `bases: [consent, contract]`");
		}
	}

	for (size_t i = 0; r->exclude.present && i < r->exclude.n; i++) {
		const struct pdv_str *x = &r->exclude.v[i];
		bool known = false;

		if (!x->s)
			continue;
		for (size_t k = 0; k < sizeof(right_names) / sizeof(right_names[0]); k++)
			if (strcmp(x->s, right_names[k]) == 0)
				known = true;
		if (!known)
			pdv_lint_report(
			    c, LINT_PORTABILITY_SCOPE, ERR, x->pos, NULL,
			    "rights.exclude: unknown right '%.*s' (access, rectification, "
			    "erasure, restriction, notification, portability, objection, "
			    "withdrawal, automated-decision, post-mortem)",
			    PDV_UTF8_CUT(x->s, 40));
		else if (strcmp(x->s, "portability") == 0 && portable) {
			pdv_lint_report(
			    c, LINT_PORTABILITY_SCOPE, ERR, x->pos, NULL,
			    "rights.exclude: portability applies to processing based on "
			    "consent or contract (Art. 20(1)), which this declaration has");
			pdv_lint_fix(
			    c,
			    "remove `portability` from `rights.exclude`, or limit it with "
			    "`rights.limits: [{right: portability, bases: [consent, contract]}]`");
		}
	}
}

static bool duration_le(const struct pdv_duration *d, double days)
{
	return pdv_duration_days(*d) <= days + 0.01;
}

static void rule_process_config(struct lint_ctx *c)
{
	const struct pdv_rights *r = &c->d->rights;
	struct pdv_duration dur;

	/* Art. 13 does not ask the notice to state it; pdvault then counts the
	 * legal month */
	if (!r->response.s) {
		pdv_lint_report(c, LINT_PROCESS_CONFIG, WARN,
		                pdv_lint_pos(r->pos, (struct pdv_pos){1, 1}), NULL,
		                "no response deadline for rights requests: the notice and the "
		                "deadlines use one month, the maximum of Art. 12(3); say so "
		                "(rights.response: 1mo)");
		pdv_lint_fix(c, "add `rights.response: 1mo` (and `extension: 2mo`) under `rights`");
	} else if (!pdv_lint_parse_duration(r->response.s, &dur))
		pdv_lint_report(c, LINT_PROCESS_CONFIG, ERR, r->response.pos, NULL,
		                "rights.response '%.*s' is not a duration (expected e.g. 1mo: Art. "
		                "12(3) sets one month)",
		                PDV_UTF8_CUT(r->response.s, 40));
	if (r->response.s && !pdv_lint_parse_duration(r->response.s, &dur))
		pdv_lint_fix(c, "write `rights.response: 1mo` instead of the words (and "
		                "`extension: 2mo`): the policy must promise the legal month, not "
		                "\"at best\" or \"a reasonable time\"");
	if (r->extension.s && !pdv_lint_parse_duration(r->extension.s, &dur))
		pdv_lint_report(c, LINT_PROCESS_CONFIG, ERR, r->extension.pos, NULL,
		                "rights.extension '%.*s' is not a duration (expected e.g. 2mo)",
		                PDV_UTF8_CUT(r->extension.s, 40));
}

static void rule_response_deadline(struct lint_ctx *c)
{
	const struct pdv_rights *r = &c->d->rights;
	struct pdv_duration dur;

	/* a month is 28 to 31 days: 31d or 4w is still "one month" at most */
	if (pdv_lint_parse_duration(r->response.s, &dur) &&
	    !(dur.unit == PDV_UNIT_MONTH  ? dur.n <= 1
	      : dur.unit == PDV_UNIT_YEAR ? false
	                                  : duration_le(&dur, 31)))
		pdv_lint_report(c, LINT_RESPONSE_DEADLINE, ERR, r->response.pos, NULL,
		                "rights.response is %s: Art. 12(3) allows one month (1mo)",
		                r->response.s);
	if (pdv_lint_parse_duration(r->extension.s, &dur) &&
	    !(dur.unit == PDV_UNIT_MONTH  ? dur.n <= 2
	      : dur.unit == PDV_UNIT_YEAR ? false
	                                  : duration_le(&dur, 62)))
		pdv_lint_report(
		    c, LINT_RESPONSE_DEADLINE, ERR, r->extension.pos, NULL,
		    "rights.extension is %s: Art. 12(3) allows two further months (2mo)",
		    r->extension.s);
}

static void rule_suppression_period(struct lint_ctx *c)
{
	const struct pdv_rights *r = &c->d->rights;
	const struct pdv_activity *m = NULL;
	struct pdv_duration dur;

	for (size_t i = 0; !m && i < c->d->n_activities; i++)
		if (pdv_lint_is_marketing(&c->d->activities[i]))
			m = &c->d->activities[i];
	if (!m)
		return;
	if (!r->suppression.s) {
		pdv_lint_report(c, LINT_SUPPRESSION_PERIOD, WARN,
		                pdv_lint_pos(r->pos, pdv_lint_pos(m->id.pos, m->pos)), NULL,
		                "marketing activity '%s' but no suppression period: how long is an "
		                "objection remembered? (rights.suppression: 3y)",
		                pdv_lint_aid(m));
		pdv_lint_fix(c, "add `rights.suppression: 3y` so an objection keeps the person off "
		                "the lists 3 years");
	} else if (!pdv_lint_parse_duration(r->suppression.s, &dur)) {
		pdv_lint_report(c, LINT_SUPPRESSION_PERIOD, WARN, r->suppression.pos, NULL,
		                "rights.suppression '%.*s' is not a duration (expected e.g. 3y)",
		                PDV_UTF8_CUT(r->suppression.s, 40));
		pdv_lint_fix(c, "write `rights.suppression` as a duration, e.g. `3y`");
	} else if (!duration_le(&dur, 3 * 365.25 + 1)) {
		pdv_lint_report(c, LINT_SUPPRESSION_PERIOD, WARN, r->suppression.pos, NULL,
		                "rights.suppression is %s: CNIL keeps an objection on the "
		                "suppression list 3 years, after which the list outlives its "
		                "purpose (rights.suppression: 3y)",
		                r->suppression.s);
		pdv_lint_fix(c, "lower `rights.suppression` to `3y`");
	}
}

/* ---- marketing ------------------------------------------------------------ */

/* Art. 21(2)-(4): an unsubscribe link in each message, or the right to object
 * stated on its own with a way to exercise it (rights.object) */
static void rule_objection_dm(struct lint_ctx *c)
{
	const struct pdv_right_way *o = &c->d->rights.object;
	char msg[PDV_FINDING_MSG_MAX] = "";
	const char *fix = NULL;

	/* the statement is the declaration's: judged once, whatever the number
	 * of marketing activities that rely on it */
	if (o->present)
		way_problem(c->d, o, "rights.object", "rights.object",
		            "objection to direct marketing is made", false, msg, sizeof(msg), &fix);
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];

		if (!pdv_lint_is_marketing(a) || (a->unsubscribe.present && a->unsubscribe.v))
			continue;
		if (!o->present) {
			pdv_lint_report(
			    c, LINT_OBJECTION_DM, ERR,
			    pdv_lint_pos3(a->unsubscribe.pos, a->uses.pos, a->pos), a,
			    "activity '%s': direct marketing without a free way to object in each "
			    "message (unsubscribe: true) or the right to object stated on its own "
			    "(rights.object: {channels: [email]})",
			    pdv_lint_aid(a));
			pdv_lint_fix(c,
			             "add `unsubscribe: true` to this activity (a link in each "
			             "message), or state the right on its own in `rights.object`");
		} else if (msg[0]) {
			pdv_lint_report(c, LINT_OBJECTION_DM, ERR, o->pos, a,
			                "activity '%s' has no unsubscribe link, and %s",
			                pdv_lint_aid(a), msg);
			pdv_lint_fix(c, fix);
		}
	}
}

/* b2c, or no audience but consumers among the subjects */
static bool consumer_audience(const struct pdv_activity *a)
{
	if (a->audience.s)
		return strcmp(a->audience.s, "b2c") == 0;
	return pdv_lint_has_subject(a, "prospect") || pdv_lint_has_subject(a, "customer");
}

/* B2C phone prospecting switches from Bloctel opt-out to opt-in on 11 Aug
 * 2026 (LEGAL.md section 1, emarketing-consent; flagged there to double-check) */
static bool phone_optin_in_force(pdv_day_t today)
{
	struct pdv_date d = {2026, 8, 11};

	return today >= pdv_date_to_day(d);
}

/*
 * Data passed to partners who prospect for themselves (independent
 * controllers): the person must have consented when the data was collected
 * (CPCE L34-5; CNIL), whatever covers the controller's own marketing (soft
 * opt-in, legitimate interests). Messages by post, or by phone before the
 * opt-in switch, need only an opt-out: those channels alone are left out.
 */
static void partners_prospecting(struct lint_ctx *c, const struct pdv_activity *a, bool electronic)
{
	bool phone = pdv_lint_uses_under(a, "pdv.marketing.communications.phone");
	bool post = pdv_lint_uses_under(a, "pdv.marketing.communications.post");

	if (!pdv_lint_is_marketing(a) || pdv_lint_has_basis(a, "consent") ||
	    (a->audience.s && strcmp(a->audience.s, "b2b") == 0))
		return;
	/* the channel unnamed may be electronic */
	if (!electronic && (post || (phone && !phone_optin_in_force(c->today))))
		return;
	for (size_t j = 0; a->recipients.present && j < a->recipients.n; j++) {
		size_t i = pdv_lint_index_find(&c->recipients, a->recipients.v[j].s);
		const struct pdv_recipient *r = i == SIZE_MAX ? NULL : &c->d->recipients[i];

		if (!r || !r->role.s || strcmp(r->role.s, "controller") != 0)
			continue;
		pdv_lint_report(c, LINT_EMARKETING_CONSENT, ERR, a->recipients.v[j].pos, a,
		                "activity '%s' passes data to '%.*s', an independent controller, "
		                "for prospecting: partners' prospecting needs the person's "
		                "consent when the data is collected (basis: consent); soft "
		                "opt-in and legitimate interests cover only your own offers",
		                pdv_lint_aid(a), PDV_UTF8_CUT(r->id.s, 60));
	}
}

static void rule_emarketing_consent(struct lint_ctx *c)
{
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];
		bool electronic =
		    pdv_lint_uses_under(a, "marketing.communications.email") ||
		    pdv_lint_uses_under(a, "marketing.communications.sms") ||
		    pdv_lint_uses_under(a, "pdv.marketing.communications.automated_call") ||
		    pdv_lint_uses_under(a, "pdv.marketing.communications.messaging");
		bool consent = pdv_lint_has_basis(a, "consent");
		bool soft = a->soft_opt_in.present && a->soft_opt_in.v;
		struct pdv_pos p = pdv_lint_pos3(a->basis.pos, a->uses.pos, a->pos);

		if (electronic && consumer_audience(a) && !consent && !soft)
			pdv_lint_report(
			    c, LINT_EMARKETING_CONSENT, ERR, p, a,
			    "activity '%s': electronic prospecting of consumers needs prior "
			    "consent (basis: consent), or soft opt-in for existing customers "
			    "(soft_opt_in: true)",
			    pdv_lint_aid(a));
		else if (electronic && consumer_audience(a) && !consent && soft &&
		         a->subjects.present && !pdv_lint_has_subject(a, "customer"))
			pdv_lint_report(
			    c, LINT_EMARKETING_CONSENT, ERR, a->soft_opt_in.pos, a,
			    "activity '%s': soft opt-in covers only existing customers, and "
			    "'customer' is not among the subjects",
			    pdv_lint_aid(a));
		else if (electronic && a->audience.s && strcmp(a->audience.s, "b2b") == 0 &&
		         pdv_lint_has_basis(a, "legitimate-interests"))
			pdv_lint_report(
			    c, LINT_EMARKETING_CONSENT, INFO, p, a,
			    "activity '%s': b2b prospecting on legitimate interests: the "
			    "message must relate to the person's job, with an opt-out",
			    pdv_lint_aid(a));
		partners_prospecting(c, a, electronic);
		if (pdv_lint_uses_under(a, "pdv.marketing.communications.phone") &&
		    consumer_audience(a) && !consent) {
			if (phone_optin_in_force(c->today))
				pdv_lint_report(
				    c, LINT_EMARKETING_CONSENT, ERR, p, a,
				    "activity '%s': telephone prospecting of consumers needs "
				    "prior consent since 11 August 2026",
				    pdv_lint_aid(a));
			else
				pdv_lint_report(
				    c, LINT_EMARKETING_CONSENT, WARN, p, a,
				    "activity '%s': telephone prospecting of consumers: check "
				    "Bloctel until 10 August 2026, consent is required from 11 "
				    "August 2026",
				    pdv_lint_aid(a));
		}
	}
}

static void rule_sector_ban(struct lint_ctx *c)
{
	static const char *const banned[] = {"cpf-training", "energy-renovation",
	                                     "home-adaptation"};

	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];

		if (!a->sector.s || !pdv_lint_is_marketing(a))
			continue;
		for (size_t k = 0; k < sizeof(banned) / sizeof(banned[0]); k++)
			if (strcmp(a->sector.s, banned[k]) == 0) {
				pdv_lint_report(c, LINT_SECTOR_BAN, ERR, a->sector.pos, a,
				                "activity '%s': prospecting in the sector %s is "
				                "prohibited",
				                pdv_lint_aid(a), a->sector.s);
				pdv_lint_fix(c,
				             "remove this activity: the law bans this prospecting "
				             "in the sector, with or without consent");
			}
	}
}

void pdv_lint_run_activities(struct lint_ctx *c)
{
	rule_purpose_required(c);
	rule_basis_closed_list(c);
	rule_basis_single(c);
	rule_basis_consistency(c);
	rule_basis_justified(c);
	rule_contract_party(c);
	rule_dsr_basis(c);
	rule_consent_withdrawal_ends(c);
	rule_consent_withdrawal(c);
	rule_consent_no_tacit(c);
	rule_consent_granular(c);
	rule_consent_child(c);
	rule_special_criminal(c);
	rule_recruitment_minimisation(c);
	rule_dpia_trigger(c);
	rule_adm_22(c);
	rule_indirect_source(c);
	rule_rights_listed(c);
	rule_portability_scope(c);
	rule_process_config(c);
	rule_response_deadline(c);
	rule_suppression_period(c);
	rule_objection_dm(c);
	rule_emarketing_consent(c);
	rule_sector_ban(c);
}
