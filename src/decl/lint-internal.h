/*
 * lint-internal.h — what the lint engine (lint.c) and the rule files
 * (lint-structure.c, lint-rules.c, lint-retention.c,
 * lint-recipients.c) share.
 *
 * The engine owns the finding list and the rule table; a rule file owns a
 * group of rules, each a static function that reads the declaration and
 * reports through pdv_lint_report(). Invariants:
 *  - a rule reports under an enum lint_rule, so only under an id of the table
 *    (lint-table.h): an id the table lacks does not compile;
 *  - a rule reports only under its own id, at a severity no higher than the
 *    table's (the unit test checks both);
 *  - messages name keys, ids and declared texts, never a record's values;
 *  - an allocation failure is remembered in the context and turned into
 *    PDV_E_NOMEM by pdv_lint_run, so rules need not check anything.
 */
#ifndef PDV_DECL_LINT_INTERNAL_H
#define PDV_DECL_LINT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "pdv/buf.h"
#include "pdv/decl.h"
#include "pdv/lint.h"
#include "pdv/retention.h"
#include "pdv/time.h"
#include "lint-table.h"

/* the rules, in the table's order: LINT_VERSION, LINT_TAXONOMY_KEY... */
enum lint_rule {
#define X(name, rule_id, sev, ref, summary, fix) LINT_##name,
	PDV_LINT_RULES(X)
#undef X
	    LINT_RULE_COUNT
};

/* what the engine knows of one activity's retention, computed once */
struct lint_span {
	bool present; /* a value was written */
	bool parsed;  /* it follows the grammar */
	bool is_dur;  /* a bare duration (archive only) */
	struct pdv_span span;
	struct pdv_duration dur;
	bool bounded; /* max_days is meaningful */
	double max_days;
	/* how long it lasts counted from its own trigger, even when the trigger
	 * is an event that may never come ("5y from contract-end": 5y): what
	 * CNIL's reference durations measure */
	bool length_known;
	double length_days;
};

struct lint_activity {
	struct lint_span active;
	struct lint_span archive;
	bool total_bounded; /* active + archive has a finite maximum */
	double total_days;
};

/*
 * A sorted index of ids (or any strings): lookups and duplicate detection in
 * O(log n), so a declaration with many thousands of roles, recipients or
 * fields costs no more than its size.
 */
struct lint_key {
	const char *s;
	size_t idx; /* position in the declaration's array */
	struct pdv_pos pos;
};

struct lint_index {
	size_t n;
	struct lint_key *v; /* sorted by s, then idx */
};

struct lint_ctx {
	const struct pdv_decl *d;
	pdv_day_t today;
	struct pdv_finding *v;
	size_t n, cap;
	bool nomem;
	bool bad_rule;              /* a report under no rule of the table: pdv_lint_run fails */
	struct lint_activity *acts; /* one per d->activities[i] */
	struct lint_index roles, recipients;
	const char *recipient; /* the recipient the current findings are about, or NULL */
	bool reported;         /* the last report added a finding (pdv_lint_fix may amend it) */
};

/* Index n structs of `stride` bytes whose pdv_str member starts at `first`
 * (entries without a string are left out). false when memory runs out (and
 * c->nomem is set). */
bool pdv_lint_index_build(struct lint_ctx *c, struct lint_index *ix, const struct pdv_str *first,
                          size_t stride, size_t n);
void pdv_lint_index_release(struct lint_index *ix);
/* the idx of s, or SIZE_MAX */
size_t pdv_lint_index_find(const struct lint_index *ix, const char *s);
/* Sort raw keys (s, idx) as the index does. */
void pdv_lint_keys_sort(struct lint_key *v, size_t n);

/* name@domain, no blank (lint-structure.c) */
bool pdv_lint_email_ok(const char *s);

/* Report a finding under rule `rule` (its id and reference come from the
 * table). pos {0,0} becomes 1:1: every finding is located. */
void pdv_lint_report(struct lint_ctx *c, enum lint_rule rule, enum pdv_severity sev,
                     struct pdv_pos pos, const struct pdv_activity *a, const char *fmt, ...)
    PDV_PRINTF(6, 7);
/* The same with a reference of its own (a rule citing different texts for
 * different cases). */
void pdv_lint_report_ref(struct lint_ctx *c, enum lint_rule rule, enum pdv_severity sev,
                         struct pdv_pos pos, const struct pdv_activity *a, const char *ref,
                         const char *fmt, ...) PDV_PRINTF(7, 8);

/* The fix of the finding just reported, where the site knows better than the
 * rule's default: a static string naming the keys to change. Does nothing when
 * that report was not kept (memory, the findings limit). */
void pdv_lint_fix(struct lint_ctx *c, const char *fix);

/* the rule groups, run in this order by pdv_lint_run */
void pdv_lint_run_structure(struct lint_ctx *c);  /* lint-structure.c */
void pdv_lint_run_controller(struct lint_ctx *c); /* lint-rules.c */
void pdv_lint_run_activities(struct lint_ctx *c); /* lint-rules.c */
void pdv_lint_run_retention(struct lint_ctx *c);  /* lint-retention.c */
void pdv_lint_run_recipients(struct lint_ctx *c); /* lint-recipients.c */

/* ---- helpers shared by the rule files (lint-rules.c) ------------------ */

/* the first of the positions that is set, else {0,0} */
struct pdv_pos pdv_lint_pos(struct pdv_pos a, struct pdv_pos b);
struct pdv_pos pdv_lint_pos3(struct pdv_pos a, struct pdv_pos b, struct pdv_pos c);
/* the activity's id for messages ("?" when it has none) */
const char *pdv_lint_aid(const struct pdv_activity *a);

bool pdv_lint_has_basis(const struct pdv_activity *a, const char *basis);
bool pdv_lint_uses_under(const struct pdv_activity *a, const char *ancestor);
bool pdv_lint_has_subject(const struct pdv_activity *a, const char *subject);
bool pdv_lint_has_category_under(const struct pdv_activity *a, const char *ancestor);
bool pdv_lint_has_special(const struct pdv_activity *a);
bool pdv_lint_has_criminal(const struct pdv_activity *a);
bool pdv_lint_is_marketing(const struct pdv_activity *a);
bool pdv_lint_is_recruitment(const struct pdv_activity *a);
bool pdv_lint_is_cctv(const struct pdv_activity *a);
/* prospecting: marketing uses, or a purpose that says so (not the handling
 * of rights or objections about it) */
bool pdv_lint_is_prospecting(const struct pdv_activity *a);
/* Does s hold word (ASCII, any case) with no letter or digit glued to it? */
bool pdv_lint_has_word(const char *s, const char *word);
bool pdv_lint_has_text(const struct pdv_text *t);
bool pdv_lint_blank(const char *s);

/* the activity's index in d->activities, for c->acts */
const struct lint_activity *pdv_lint_act_info(const struct lint_ctx *c,
                                              const struct pdv_activity *a);

/* a duration or span written by the controller: parse, without reporting */
bool pdv_lint_parse_duration(const char *s, struct pdv_duration *ret);
bool pdv_lint_parse_span(const char *s, struct pdv_span *ret, struct pdv_error *err);

#endif
