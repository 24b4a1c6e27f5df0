/*
 * lint-structure.c — what the loader leaves to the linter about the shape of
 * a declaration: the version, taxonomy keys (with the closest known key as a
 * suggestion), references to undeclared roles and recipients, duplicate and
 * malformed ids, fields, country codes and contact emails.
 *
 * Lookups go through the engine's sorted id indexes and duplicates are found
 * by sorting, so the cost stays O(n log n) however large the file.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "lint-internal.h"

#define ERR PDV_SEV_ERROR

#define PATH_MAX_LEN 160

static bool kebab_id(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return true;
}

/* ---- structure ---------------------------------------------------------- */

static void rule_version(struct lint_ctx *c)
{
	const struct pdv_decl *d = c->d;

	if (!d->version.s || strcmp(d->version.s, "1") != 0)
		pdv_lint_report(c, LINT_VERSION, ERR, d->version.pos, NULL,
		                "'pdvault' is '%.*s': this pdvault reads declarations of version 1",
		                PDV_UTF8_CUT(d->version.s ? d->version.s : "", 40));
}

/* Levenshtein distance, bounded: keys longer than the row are not compared */
#define LEV_MAX 128
static size_t lev(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t row[LEV_MAX + 1];

	if (la > LEV_MAX || lb > LEV_MAX)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t prev = row[0];

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cur = row[j];
			size_t best = prev + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[lb];
}

static const char *closest_key(enum pdv_taxonomy t, const char *key)
{
	size_t n = pdv_taxonomy_count(t), best = SIZE_MAX;
	const char *found = NULL;
	size_t limit = strlen(key) / 4 + 2;

	for (size_t i = 0; i < n; i++) {
		const struct pdv_taxon *x = pdv_taxonomy_at(t, i);
		size_t dist;

		if (!x)
			continue;
		dist = lev(key, x->key);
		if (dist < best) {
			best = dist;
			found = x->key;
		}
	}
	return best <= limit ? found : NULL;
}

/* suggestions cost a scan of the taxonomy each: only the first ones get one */
#define MAX_SUGGESTIONS 32

static void check_key(struct lint_ctx *c, const struct pdv_activity *a, enum pdv_taxonomy t,
                      const struct pdv_str *v, const char *what, size_t *n_suggested)
{
	const char *near = NULL;

	if (!v->s || pdv_taxonomy_find(t, v->s))
		return;
	if (*n_suggested < MAX_SUGGESTIONS) {
		(*n_suggested)++;
		near = closest_key(t, v->s);
	}
	if (near)
		pdv_lint_report(c, LINT_TAXONOMY_KEY, ERR, v->pos, a,
		                "activity '%s': unknown %s '%.*s' (did you mean '%s'?)",
		                pdv_lint_aid(a), what, PDV_UTF8_CUT(v->s, 80), near);
	else
		pdv_lint_report(c, LINT_TAXONOMY_KEY, ERR, v->pos, a,
		                "activity '%s': unknown %s '%.*s' (see `pdvault taxonomy`)",
		                pdv_lint_aid(a), what, PDV_UTF8_CUT(v->s, 80));
}

static void rule_taxonomy_key(struct lint_ctx *c)
{
	size_t n = 0;

	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];

		for (size_t j = 0; j < a->n_fields; j++)
			check_key(c, a, PDV_TAX_CATEGORY, &a->fields[j].category, "data category",
			          &n);
		for (size_t j = 0; a->uses.present && j < a->uses.n; j++)
			check_key(c, a, PDV_TAX_USE, &a->uses.v[j], "data use", &n);
		for (size_t j = 0; a->subjects.present && j < a->subjects.n; j++)
			check_key(c, a, PDV_TAX_SUBJECT, &a->subjects.v[j], "data subject", &n);
	}
}

static void check_roles(struct lint_ctx *c, const struct pdv_activity *a,
                        const struct pdv_strlist *l, const char *key)
{
	for (size_t j = 0; l->present && j < l->n; j++) {
		const char *r = l->v[j].s;

		if (!r || strcmp(r, "dpo") == 0 || pdv_lint_index_find(&c->roles, r) != SIZE_MAX)
			continue;
		pdv_lint_report(c, LINT_REFERENCE_UNDECLARED, ERR, l->v[j].pos, a,
		                "activity '%s': %s role '%.*s' is not declared under roles",
		                pdv_lint_aid(a), key, PDV_UTF8_CUT(r, 60));
	}
}

static void rule_reference_undeclared(struct lint_ctx *c)
{
	const struct pdv_decl *d = c->d;

	for (size_t i = 0; i < d->n_activities; i++) {
		const struct pdv_activity *a = &d->activities[i];

		check_roles(c, a, &a->access, "access");
		check_roles(c, a, &a->archive_access, "archive_access");
		for (size_t j = 0; a->recipients.present && j < a->recipients.n; j++) {
			const struct pdv_str *r = &a->recipients.v[j];

			if (r->s && pdv_lint_index_find(&c->recipients, r->s) == SIZE_MAX)
				pdv_lint_report(c, LINT_REFERENCE_UNDECLARED, ERR, r->pos, a,
				                "activity '%s': recipient '%.*s' is not declared "
				                "under recipients",
				                pdv_lint_aid(a), PDV_UTF8_CUT(r->s, 60));
		}
	}
	for (size_t i = 0; i < d->cookies.n_trackers; i++) {
		const struct pdv_tracker *t = &d->cookies.trackers[i];

		if (t->recipient.s &&
		    pdv_lint_index_find(&c->recipients, t->recipient.s) == SIZE_MAX)
			pdv_lint_report(c, LINT_REFERENCE_UNDECLARED, ERR, t->recipient.pos, NULL,
			                "tracker '%.*s': recipient '%.*s' is not declared under "
			                "recipients",
			                PDV_UTF8_CUT(t->name.s ? t->name.s : "?", 60),
			                PDV_UTF8_CUT(t->recipient.s, 60));
	}
}

static void dup_check(struct lint_ctx *c, const char *what, const struct pdv_str *first,
                      size_t stride, size_t n, const struct pdv_activity *a)
{
	struct lint_index ix;

	if (!pdv_lint_index_build(c, &ix, first, stride, n))
		return;
	/* sorted by id then position: a group's first entry is the one declared first */
	for (size_t i = 1, g = 0; i < ix.n; i++) {
		const struct lint_key *x = &ix.v[i], *y = &ix.v[g];

		if (strcmp(x->s, y->s) != 0) {
			g = i;
			continue;
		}
		if (a)
			pdv_lint_report(
			    c, LINT_DUPLICATE_ID, ERR, x->pos, a,
			    "activity '%s': %s '%.*s' is declared twice (first on line %u)",
			    pdv_lint_aid(a), what, PDV_UTF8_CUT(x->s, 60), y->pos.line);
		else
			pdv_lint_report(c, LINT_DUPLICATE_ID, ERR, x->pos, NULL,
			                "%s '%.*s' is declared twice (first on line %u)", what,
			                PDV_UTF8_CUT(x->s, 60), y->pos.line);
	}
	pdv_lint_index_release(&ix);
}

static void rule_duplicate_id(struct lint_ctx *c)
{
	const struct pdv_decl *d = c->d;

	if (d->n_activities)
		dup_check(c, "activity id", &d->activities[0].id, sizeof(d->activities[0]),
		          d->n_activities, NULL);
	if (d->n_roles)
		dup_check(c, "role id", &d->roles[0].id, sizeof(d->roles[0]), d->n_roles, NULL);
	if (d->n_recipients)
		dup_check(c, "recipient id", &d->recipients[0].id, sizeof(d->recipients[0]),
		          d->n_recipients, NULL);
	for (size_t i = 0; i < d->n_activities; i++) {
		const struct pdv_activity *a = &d->activities[i];

		if (a->n_fields)
			dup_check(c, "field", &a->fields[0].name, sizeof(a->fields[0]), a->n_fields,
			          a);
	}
}

static void id_check(struct lint_ctx *c, const char *what, const struct pdv_str *id,
                     struct pdv_pos where, size_t index)
{
	if (!id->s)
		pdv_lint_report(c, LINT_ID_FORMAT, ERR, where, NULL, "%s #%zu has no id", what,
		                index + 1);
	else if (!kebab_id(id->s))
		pdv_lint_report(c, LINT_ID_FORMAT, ERR, id->pos, NULL,
		                "%s id '%.*s' is not made of a-z, 0-9 and '-'", what,
		                PDV_UTF8_CUT(id->s, 60));
}

static void rule_id_format(struct lint_ctx *c)
{
	const struct pdv_decl *d = c->d;

	for (size_t i = 0; i < d->n_activities; i++)
		id_check(c, "activity", &d->activities[i].id, d->activities[i].pos, i);
	for (size_t i = 0; i < d->n_roles; i++)
		id_check(c, "role", &d->roles[i].id, d->roles[i].pos, i);
	for (size_t i = 0; i < d->n_recipients; i++)
		id_check(c, "recipient", &d->recipients[i].id, d->recipients[i].pos, i);
}

static bool positive_int(const char *s)
{
	size_t n = 0;

	if (!s || !*s || *s == '0')
		return false;
	for (; *s; s++, n++)
		if (*s < '0' || *s > '9' || n >= 9)
			return false;
	return true;
}

static void rule_field_invalid(struct lint_ctx *c)
{
	static const char *const types[] = {"text", "email", "phone", "date", "number", "file"};

	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];
		const char *aid = pdv_lint_aid(a);

		if (!a->n_fields) {
			pdv_lint_report(c, LINT_FIELD_INVALID, ERR,
			                pdv_lint_pos(a->fields_pos, a->pos), a,
			                "activity '%s': no field declared (list the data collected "
			                "under fields)",
			                aid);
			pdv_lint_fix(c, "add `fields:` to this activity, one `{name, category}` "
			                "per data item the form or file holds");
			continue;
		}
		for (size_t j = 0; j < a->n_fields; j++) {
			const struct pdv_field *f = &a->fields[j];
			const char *fname = f->name.s ? f->name.s : "?";
			bool ok = !f->type.s;

			if (!f->name.s)
				pdv_lint_report(c, LINT_FIELD_INVALID, ERR, f->pos, a,
				                "activity '%s': field #%zu has no name", aid,
				                j + 1);
			if (!f->category.s)
				pdv_lint_report(c, LINT_FIELD_INVALID, ERR,
				                pdv_lint_pos(f->name.pos, f->pos), a,
				                "activity '%s': field '%.*s' has no data category",
				                aid, PDV_UTF8_CUT(fname, 60));
			for (size_t k = 0; f->type.s && k < sizeof(types) / sizeof(types[0]); k++)
				if (strcmp(f->type.s, types[k]) == 0)
					ok = true;
			if (!ok)
				pdv_lint_report(
				    c, LINT_FIELD_INVALID, ERR, f->type.pos, a,
				    "activity '%s': field '%.*s' has type '%.*s' (expected "
				    "text, email, phone, date, number or file)",
				    aid, PDV_UTF8_CUT(fname, 60), PDV_UTF8_CUT(f->type.s, 40));
			if (f->lookup.s) {
				if (strcmp(f->lookup.s, "email") != 0 &&
				    strcmp(f->lookup.s, "phone") != 0)
					pdv_lint_report(
					    c, LINT_FIELD_INVALID, ERR, f->lookup.pos, a,
					    "activity '%s': field '%.*s' has lookup '%.*s' "
					    "(expected email or phone)",
					    aid, PDV_UTF8_CUT(fname, 60),
					    PDV_UTF8_CUT(f->lookup.s, 40));
				else if (f->type.s && ok && strcmp(f->type.s, f->lookup.s) != 0 &&
				         strcmp(f->type.s, "text") != 0)
					pdv_lint_report(
					    c, LINT_FIELD_INVALID, ERR, f->lookup.pos, a,
					    "activity '%s': field '%.*s' is a lookup by %s but "
					    "has type '%s'",
					    aid, PDV_UTF8_CUT(fname, 60), f->lookup.s, f->type.s);
			}
			if (f->max_length.s && !positive_int(f->max_length.s))
				pdv_lint_report(c, LINT_FIELD_INVALID, ERR, f->max_length.pos, a,
				                "activity '%s': field '%.*s' has max_length '%.*s' "
				                "(expected a positive integer)",
				                aid, PDV_UTF8_CUT(fname, 60),
				                PDV_UTF8_CUT(f->max_length.s, 40));
		}
	}
}

static void country_check(struct lint_ctx *c, const struct pdv_str *v, const char *what)
{
	if (!v->s || pdv_country_valid(v->s))
		return;
	pdv_lint_report(c, LINT_COUNTRY_CODE, ERR, v->pos, NULL,
	                "%s country '%.*s' is not an ISO 3166 alpha-2 code in upper case "
	                "(e.g. FR, DE, US)",
	                what, PDV_UTF8_CUT(v->s, 40));
}

static void rule_country_code(struct lint_ctx *c)
{
	char what[PATH_MAX_LEN];

	country_check(c, &c->d->controller.country, "controller");
	for (size_t i = 0; i < c->d->n_recipients; i++) {
		const struct pdv_recipient *r = &c->d->recipients[i];

		snprintf(what, sizeof(what),
		         "recipient '%.*s':", PDV_UTF8_CUT(r->id.s ? r->id.s : "?", 60));
		country_check(c, &r->country, what);
		/* countries: ISO codes, or EEA / elsewhere for places not named */
		for (size_t k = 0; r->countries.present && k < r->countries.n; k++)
			if (!r->countries.v[k].s || (strcmp(r->countries.v[k].s, "EEA") != 0 &&
			                             strcmp(r->countries.v[k].s, "elsewhere") != 0))
				country_check(c, &r->countries.v[k], what);
	}
}

bool pdv_lint_email_ok(const char *s)
{
	const char *at = strchr(s, '@');

	if (!at || at == s || !at[1] || strchr(at + 1, '@'))
		return false;
	for (; *s; s++)
		if (*s == ' ' || *s == '\t')
			return false;
	return true;
}

static void rule_contact_format(struct lint_ctx *c)
{
	const struct pdv_controller *k = &c->d->controller;
	const struct {
		const struct pdv_str *v;
		const char *key;
	} emails[] = {
	    {&k->email, "controller.email"},
	    {&k->dpo.email, "controller.dpo.email"},
	    {&k->representative.email, "controller.representative.email"},
	};

	for (size_t i = 0; i < sizeof(emails) / sizeof(emails[0]); i++)
		if (emails[i].v->s && !pdv_lint_email_ok(emails[i].v->s))
			pdv_lint_report(c, LINT_CONTACT_FORMAT, ERR, emails[i].v->pos, NULL,
			                "'%s' is not an email address (expected name@domain)",
			                emails[i].key);
}

void pdv_lint_run_structure(struct lint_ctx *c)
{
	rule_version(c);
	rule_taxonomy_key(c);
	rule_reference_undeclared(c);
	rule_duplicate_id(c);
	rule_id_format(c);
	rule_field_invalid(c);
	rule_country_code(c);
	rule_contact_format(c);
}
