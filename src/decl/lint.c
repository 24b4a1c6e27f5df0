/*
 * lint.c — the lint engine: the rule table (id, highest severity, legal
 * reference, summary: LEGAL.md section 1), built from the X-macro of
 * lint-table.h, the finding list, and the run.
 *
 * The rules themselves live in lint-structure.c, lint-rules.c, lint-retention.c and
 * lint-recipients.c. The engine computes once what several rules need (each
 * activity's retention, parsed), runs the groups, then sorts the findings by
 * line, column, rule id and message, so that the output is the same on every
 * run whatever order the rules ran in. Identical findings are reported once.
 *
 * Ownership: the result's findings array belongs to the caller (released by
 * pdv_lint_result_release); `rule` and `reference` are static strings and
 * `activity` is borrowed from the declaration, which must outlive the result.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lint-internal.h"
#include "pdv/lint.h"

/* the table, from the X-macro of lint-table.h: rules[LINT_X] is rule X */
static const struct pdv_lint_rule rules[] = {
#define X(name, rule_id, sev, ref, summary, fix)                                                   \
	[LINT_##name] = {rule_id, PDV_SEV_##sev, ref, summary, fix},
    PDV_LINT_RULES(X)
#undef X
};

/* the most findings one run keeps: a limit on what a hostile file can cost */
#define LINT_MAX_FINDINGS 100000

_Static_assert(sizeof(rules) / sizeof(rules[0]) == LINT_RULE_COUNT, "one entry per enum lint_rule");

#define N_RULES (sizeof(rules) / sizeof(rules[0]))

size_t pdv_lint_rule_count(void)
{
	return N_RULES;
}

const struct pdv_lint_rule *pdv_lint_rule_at(size_t i)
{
	return i < N_RULES ? &rules[i] : NULL;
}

const struct pdv_lint_rule *pdv_lint_rule_find(const char *id)
{
	if (!id)
		return NULL;
	for (size_t i = 0; i < N_RULES; i++)
		if (strcmp(rules[i].id, id) == 0)
			return &rules[i];
	return NULL;
}

const char *pdv_lint_default_fix(const char *rule_id)
{
	const struct pdv_lint_rule *r = pdv_lint_rule_find(rule_id);

	if (r)
		return r->fix;
	if (rule_id && strcmp(rule_id, "declaration-limit") == 0)
		return "split or shorten the file: it exceeds a limit of the loader "
		       "(docs/declaration.md §1)";
	if (rule_id && strcmp(rule_id, "declaration-invalid") == 0)
		return "correct the YAML or the key at the location given "
		       "(docs/declaration.md lists every key)";
	return "";
}

const char *pdv_severity_name(enum pdv_severity s)
{
	switch (s) {
	case PDV_SEV_ERROR:
		return "error";
	case PDV_SEV_WARNING:
		return "warning";
	case PDV_SEV_INFO:
		return "info";
	}
	return "unknown";
}

/* ---- findings ---------------------------------------------------------- */

static void report_v(struct lint_ctx *c, enum lint_rule rule, enum pdv_severity sev,
                     struct pdv_pos pos, const struct pdv_activity *a, const char *ref,
                     const char *fmt, va_list ap)
{
	const struct pdv_lint_rule *r;
	struct pdv_finding *f;

	/* only a cast can bring a number outside the enum here: never drop the
	 * finding in silence, fail the run (PDV_E_INTERNAL) */
	if ((unsigned)rule >= LINT_RULE_COUNT) {
		c->bad_rule = true;
		return;
	}
	r = &rules[rule];
	c->reported = false;
	if (c->nomem || c->n >= LINT_MAX_FINDINGS)
		return;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 32;
		struct pdv_finding *v;

		if (cap > LINT_MAX_FINDINGS)
			cap = LINT_MAX_FINDINGS;
		v = realloc(c->v, cap * sizeof(*v));
		if (!v) {
			c->nomem = true;
			return;
		}
		c->v = v;
		c->cap = cap;
	}
	f = &c->v[c->n];
	memset(f, 0, sizeof(*f));
	f->rule = r->id;
	f->severity = sev;
	if (pos.line == 0) {
		pos.line = 1;
		pos.col = 1;
	} else if (pos.col == 0) {
		pos.col = 1;
	}
	f->pos = pos;
	pdv_vsnprintf(f->message, sizeof(f->message), fmt, ap);
	f->reference = ref ? ref : r->reference;
	f->fix = r->fix;
	f->activity = a && a->id.s ? a->id.s : NULL;
	f->recipient = c->recipient;
	c->n++;
	c->reported = true;
}

void pdv_lint_report(struct lint_ctx *c, enum lint_rule rule, enum pdv_severity sev,
                     struct pdv_pos pos, const struct pdv_activity *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_v(c, rule, sev, pos, a, NULL, fmt, ap);
	va_end(ap);
}

void pdv_lint_fix(struct lint_ctx *c, const char *fix)
{
	if (c->reported && fix && *fix)
		c->v[c->n - 1].fix = fix;
}

void pdv_lint_report_ref(struct lint_ctx *c, enum lint_rule rule, enum pdv_severity sev,
                         struct pdv_pos pos, const struct pdv_activity *a, const char *ref,
                         const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_v(c, rule, sev, pos, a, ref, fmt, ap);
	va_end(ap);
}

static int finding_cmp(const void *pa, const void *pb)
{
	const struct pdv_finding *a = pa, *b = pb;
	int r;

	if (a->pos.line != b->pos.line)
		return a->pos.line < b->pos.line ? -1 : 1;
	if (a->pos.col != b->pos.col)
		return a->pos.col < b->pos.col ? -1 : 1;
	if ((r = strcmp(a->rule, b->rule)) != 0)
		return r;
	if (a->severity != b->severity)
		return a->severity < b->severity ? -1 : 1;
	return strcmp(a->message, b->message);
}

static bool finding_same(const struct pdv_finding *a, const struct pdv_finding *b)
{
	return finding_cmp(a, b) == 0;
}

/* ---- retention, parsed once for every rule that needs it -------------- */

static void span_info(struct lint_span *ls, const char *s, bool allow_duration)
{
	memset(ls, 0, sizeof(*ls));
	if (!s)
		return;
	ls->present = true;
	if (allow_duration && pdv_lint_parse_duration(s, &ls->dur)) {
		ls->parsed = true;
		ls->is_dur = true;
		ls->bounded = true;
		ls->max_days = pdv_duration_days(ls->dur);
		ls->length_known = true;
		ls->length_days = ls->max_days;
		return;
	}
	if (pdv_lint_parse_span(s, &ls->span, NULL)) {
		const struct pdv_span *sp = &ls->span;

		ls->parsed = true;
		ls->bounded = pdv_span_max_days(sp, &ls->max_days);
		if (sp->kind == PDV_SPAN_DURATION) {
			ls->length_known = true;
			ls->length_days = pdv_duration_days(sp->dur);
			if (sp->has_cap && pdv_duration_days(sp->cap) < ls->length_days)
				ls->length_days = pdv_duration_days(sp->cap);
		} else if (sp->has_cap) {
			ls->length_known = true;
			ls->length_days = pdv_duration_days(sp->cap);
		}
	}
}

static void activity_info(struct lint_activity *la, const struct pdv_activity *a)
{
	const struct pdv_retention_decl *rd = &a->retention;

	span_info(&la->active, rd->present ? rd->active.s : NULL, false);
	span_info(&la->archive, rd->present ? rd->archive.s : NULL, true);
	la->total_bounded = la->active.parsed && la->active.bounded &&
	                    (!la->archive.present || (la->archive.parsed && la->archive.bounded));
	la->total_days = la->total_bounded ? la->active.max_days +
	                                         (la->archive.present ? la->archive.max_days : 0)
	                                   : 0;
}

const struct lint_activity *pdv_lint_act_info(const struct lint_ctx *c,
                                              const struct pdv_activity *a)
{
	size_t i;

	if (!c->acts || !a || a < c->d->activities || a >= c->d->activities + c->d->n_activities)
		return NULL;
	i = (size_t)(a - c->d->activities);
	return &c->acts[i];
}

/* ---- id indexes --------------------------------------------------------- */

static int key_cmp(const void *pa, const void *pb)
{
	const struct lint_key *a = pa, *b = pb;
	int r = strcmp(a->s, b->s);

	if (r)
		return r;
	return a->idx < b->idx ? -1 : a->idx > b->idx;
}

void pdv_lint_keys_sort(struct lint_key *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof(*v), key_cmp);
}

bool pdv_lint_index_build(struct lint_ctx *c, struct lint_index *ix, const struct pdv_str *first,
                          size_t stride, size_t n)
{
	memset(ix, 0, sizeof(*ix));
	if (!n)
		return true;
	ix->v = calloc(n, sizeof(*ix->v));
	if (!ix->v) {
		c->nomem = true;
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		const struct pdv_str *x = (const void *)((const char *)first + i * stride);

		if (!x->s)
			continue;
		ix->v[ix->n].s = x->s;
		ix->v[ix->n].idx = i;
		ix->v[ix->n].pos = x->pos;
		ix->n++;
	}
	pdv_lint_keys_sort(ix->v, ix->n);
	return true;
}

void pdv_lint_index_release(struct lint_index *ix)
{
	free(ix->v);
	memset(ix, 0, sizeof(*ix));
}

size_t pdv_lint_index_find(const struct lint_index *ix, const char *s)
{
	size_t lo = 0, hi = ix->n;

	if (!s)
		return SIZE_MAX;
	/* the first entry with key s: the one declared first */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(ix->v[mid].s, s) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ix->n && strcmp(ix->v[lo].s, s) == 0 ? ix->v[lo].idx : SIZE_MAX;
}

/* ---- the run ------------------------------------------------------------ */

int pdv_lint_run(const struct pdv_decl *d, pdv_day_t today, struct pdv_lint_result *ret,
                 struct pdv_error *err)
{
	struct lint_ctx c = {0};
	size_t k = 0;

	if (!d || !ret)
		return pdv_error_set(err, PDV_E_INVAL, "nothing to lint");
	c.d = d;
	c.today = today;
	if (d->n_activities) {
		c.acts = calloc(d->n_activities, sizeof(*c.acts));
		if (!c.acts)
			return pdv_error_set(err, PDV_E_NOMEM, "out of memory linting");
		for (size_t i = 0; i < d->n_activities; i++)
			activity_info(&c.acts[i], &d->activities[i]);
	}
	if (d->n_roles)
		pdv_lint_index_build(&c, &c.roles, &d->roles[0].id, sizeof(d->roles[0]),
		                     d->n_roles);
	if (d->n_recipients)
		pdv_lint_index_build(&c, &c.recipients, &d->recipients[0].id,
		                     sizeof(d->recipients[0]), d->n_recipients);
	if (c.nomem) {
		free(c.acts);
		pdv_lint_index_release(&c.roles);
		pdv_lint_index_release(&c.recipients);
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory linting");
	}

	pdv_lint_run_structure(&c);
	pdv_lint_run_controller(&c);
	pdv_lint_run_activities(&c);
	pdv_lint_run_retention(&c);
	pdv_lint_run_recipients(&c);

	free(c.acts);
	pdv_lint_index_release(&c.roles);
	pdv_lint_index_release(&c.recipients);
	if (c.nomem) {
		free(c.v);
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory linting");
	}
	if (c.bad_rule) {
		free(c.v);
		return pdv_error_set(err, PDV_E_INTERNAL,
		                     "a lint finding under no rule of the table");
	}
	if (c.n)
		qsort(c.v, c.n, sizeof(*c.v), finding_cmp);
	memset(ret, 0, sizeof(*ret));
	for (size_t i = 0; i < c.n; i++) {
		if (k && finding_same(&c.v[k - 1], &c.v[i]))
			continue;
		if (k != i)
			c.v[k] = c.v[i];
		switch (c.v[k].severity) {
		case PDV_SEV_ERROR:
			ret->n_errors++;
			break;
		case PDV_SEV_WARNING:
			ret->n_warnings++;
			break;
		case PDV_SEV_INFO:
			ret->n_infos++;
			break;
		}
		k++;
	}
	ret->n = k;
	ret->findings = c.v;
	if (!k) {
		free(c.v);
		ret->findings = NULL;
	}
	return 0;
}

void pdv_lint_result_release(struct pdv_lint_result *r)
{
	if (!r)
		return;
	free(r->findings);
	memset(r, 0, sizeof(*r));
}

bool pdv_lint_activity_has_error(const struct pdv_lint_result *r, const struct pdv_decl *d,
                                 const char *activity_id)
{
	const struct pdv_activity *a = d ? pdv_decl_activity(d, activity_id) : NULL;

	if (!r || !activity_id)
		return false;
	for (size_t i = 0; i < r->n; i++) {
		const struct pdv_finding *f = &r->findings[i];
		if (f->severity != PDV_SEV_ERROR)
			continue;
		if (f->activity && strcmp(f->activity, activity_id) == 0)
			return true;
		/* an unlawful recipient (no contract, no transfer safeguard)
		 * makes every activity that sends it data unlawful too; a gap in
		 * what the notice says about it (transfer-consistency) is the
		 * notice's to fix, not a reason to stop collecting */
		if (f->recipient && a && pdv_strlist_has(&a->recipients, f->recipient) &&
		    (strcmp(f->rule, rules[LINT_PROCESSOR_AGREEMENT].id) == 0 ||
		     strcmp(f->rule, rules[LINT_TRANSFER_SAFEGUARD].id) == 0))
			return true;
	}
	return false;
}
