/*
 * cmd-lint.c — `pdvault lint [FILE] [--json] [--rules]`.
 *
 * Prints one finding per line, `FILE:LINE:COL: SEVERITY: [rule-id] message
 * (reference)`, and a summary on stderr; exits 1 when there is an error. A
 * declaration the loader refuses is itself a finding (rule declaration-invalid
 * or declaration-limit), so lint always prints its document.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "pdv/lint.h"

static int list_rules(const struct cli_global *g)
{
	size_t n = pdv_lint_rule_count();

	if (g->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++) {
			const struct pdv_lint_rule *r = pdv_lint_rule_at(i);
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s}", "rule", r->id,
							     "severity", pdv_severity_name(r->severity),
							     "reference", r->reference, "summary", r->summary));
		}
		return cli_print_json(json_pack("{s:o}", "rules", arr));
	}
	for (size_t i = 0; i < n; i++) {
		const struct pdv_lint_rule *r = pdv_lint_rule_at(i);
		printf("%-26s %-7s %s (%s)\n", r->id, pdv_severity_name(r->severity), r->summary,
		       r->reference);
	}
	return 0;
}

/* A declaration that does not load: one finding, exit 1 (or 3 for I/O). */
static int report_load_error(const struct cli_global *g, const char *path,
			     const struct pdv_error *err)
{
	const char *rule = err->rc == PDV_E_LIMIT ? "declaration-limit" : "declaration-invalid";
	const char *file = err->file[0] ? err->file : path;

	if (err->rc != PDV_E_PARSE && err->rc != PDV_E_LIMIT)
		return cli_fail(g, err);
	if (g->json) {
		json_t *f = json_pack("{s:s, s:s, s:s, s:i, s:i, s:s, s:s}", "rule", rule, "severity",
				      "error", "file", file, "line", (int)err->pos.line, "col",
				      (int)err->pos.col, "message", err->msg, "reference",
				      "CONTRACT section 2");
		if (f && err->field[0])
			json_object_set_new(f, "field", json_string(err->field));
		cli_print_json(json_pack("{s:[o], s:{s:i, s:i, s:i}}", "findings", f, "summary",
					 "errors", 1, "warnings", 0, "infos", 0));
	} else {
		printf("%s:%u:%u: error: [%s] %s (CONTRACT section 2)\n", file, err->pos.line,
		       err->pos.col, rule, err->msg);
	}
	fprintf(stderr, "%s: 1 error: the declaration does not load\n", file);
	return 1;
}

int cmd_lint(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"json", no_argument, NULL, 'j'},
		{"rules", no_argument, NULL, 'r'},
		{NULL, 0, NULL, 0},
	};
	struct pdv_decl *d = NULL;
	struct pdv_lint_result res = {0};
	struct pdv_error err;
	bool rules = false;
	const char *path;
	pdv_day_t today;
	int c, r, status;

	pdv_error_clear(&err);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'j': g->json = true; break;
		case 'r': rules = true; break;
		default: return cli_usage_error(g, "usage: pdvault lint [FILE] [--json] [--rules]");
		}
	}
	if (rules)
		return list_rules(g);
	if (argc - optind > 1)
		return cli_usage_error(g, "lint takes one declaration file");
	path = optind < argc ? argv[optind] : g->config;
	if ((r = cli_today(&today, &err)) < 0)
		return cli_fail(g, &err);
	if ((r = cli_load_decl(path, &d, &err)) < 0)
		return report_load_error(g, path, &err);
	if ((r = pdv_lint_run(d, today, &res, &err)) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (g->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < res.n; i++) {
			const struct pdv_finding *f = &res.findings[i];
			json_t *o = json_pack("{s:s, s:s, s:s, s:i, s:i, s:s, s:s}", "rule", f->rule,
					      "severity", pdv_severity_name(f->severity), "file",
					      path, "line", (int)f->pos.line, "col", (int)f->pos.col,
					      "message", f->message, "reference", f->reference);
			if (o && f->activity)
				json_object_set_new(o, "activity", json_string(f->activity));
			json_array_append_new(arr, o);
		}
		cli_print_json(json_pack("{s:o, s:{s:i, s:i, s:i}}", "findings", arr, "summary",
					 "errors", (int)res.n_errors, "warnings",
					 (int)res.n_warnings, "infos", (int)res.n_infos));
	} else {
		for (size_t i = 0; i < res.n; i++) {
			const struct pdv_finding *f = &res.findings[i];
			printf("%s:%u:%u: %s: [%s] %s (%s)\n", path, f->pos.line, f->pos.col,
			       pdv_severity_name(f->severity), f->rule, f->message, f->reference);
		}
	}
	fprintf(stderr, "%s: %zu error%s, %zu warning%s, %zu info\n", path, res.n_errors,
		res.n_errors == 1 ? "" : "s", res.n_warnings, res.n_warnings == 1 ? "" : "s",
		res.n_infos);
	status = res.n_errors ? 1 : 0;
out:
	pdv_lint_result_release(&res);
	pdv_decl_free(d);
	return status;
}
