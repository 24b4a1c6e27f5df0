/*
 * pdv/lint.h — the linter: the declaration checked against the GDPR, the
 * French Data Protection Act (LIL), the CPCE, the Commercial and Labour codes
 * and CNIL guidance (LEGAL.md section 1).
 *
 * Each finding has a rule id (kebab-case), a severity, a location, a message
 * and a legal reference. Errors are binding law; warnings are CNIL guidance or
 * a judgement call; info is hygiene. Messages quote keys, ids and declared
 * texts of the controller, never personal data (a declaration holds none).
 *
 * Findings come out sorted by line, then column, then rule id, so the output
 * is stable.
 */
#ifndef PDV_LINT_H
#define PDV_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "pdv/decl.h"
#include "pdv/error.h"
#include "pdv/time.h"

enum pdv_severity {
	PDV_SEV_ERROR = 0,
	PDV_SEV_WARNING,
	PDV_SEV_INFO,
};

const char *pdv_severity_name(enum pdv_severity s); /* "error", "warning", "info" */

#define PDV_FINDING_MSG_MAX 400

struct pdv_finding {
	const char *rule; /* static string, e.g. "retention-required" */
	enum pdv_severity severity;
	struct pdv_pos pos; /* 0:0 when the whole file is at fault */
	char message[PDV_FINDING_MSG_MAX];
	const char *reference; /* static string, e.g. "GDPR 5(1)(e), 13(2)(a)" */
	const char *activity;  /* the activity id concerned, or NULL (borrowed from the decl) */
	const char *recipient; /* the recipient id concerned, or NULL (borrowed from the decl) */
	const char *field;     /* the key path at fault (a file that does not load), or NULL */
	/* the smallest change to the declaration that clears the finding, in its
	 * keys: a static string, the rule's default or what the report site knows
	 * better; NULL only on a finding built outside the linter (the document
	 * then gives pdv_lint_default_fix(rule)) */
	const char *fix;
};

struct pdv_lint_result {
	size_t n;
	struct pdv_finding *findings;
	size_t n_errors;
	size_t n_warnings;
	size_t n_infos;
};

/* a rule of the linter, for `pdvault lint --rules` and the docs */
struct pdv_lint_rule {
	const char *id;
	enum pdv_severity severity; /* the highest severity it can report */
	const char *reference;
	const char *summary;
	const char *fix; /* the default fix of its findings */
};

size_t pdv_lint_rule_count(void);
const struct pdv_lint_rule *pdv_lint_rule_at(size_t i);
const struct pdv_lint_rule *pdv_lint_rule_find(const char *id);
/* The fix of a rule's findings: the table's default, or for a declaration
 * that does not load (declaration-invalid, declaration-limit) what to do
 * about it; "" for an id nobody knows. Never NULL. */
const char *pdv_lint_default_fix(const char *rule_id);

/*
 * Lint d at `today` (a UTC day, for date-dependent rules such as the B2C
 * phone-prospecting switch of 11 Aug 2026). ret is the caller's to release.
 */
int pdv_lint_run(const struct pdv_decl *d, pdv_day_t today, struct pdv_lint_result *ret,
                 struct pdv_error *err) PDV_WUR;
void pdv_lint_result_release(struct pdv_lint_result *r);

/*
 * Does the activity have at least one error finding (which blocks collection
 * into it)? An unlawful recipient the activity lists (processor-contract,
 * transfer-safeguard) counts too. d may be NULL (then only the activity's own
 * findings count).
 */
bool pdv_lint_activity_has_error(const struct pdv_lint_result *r, const struct pdv_decl *d,
                                 const char *activity_id);

#endif
