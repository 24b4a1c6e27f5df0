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

#include "cli.h"
#include "pdv/lint.h"
#include "pdv/render.h"

/* what the loader refuses, for a file that does not load */
#define LOAD_REFERENCE "docs/declaration.md §1 What the loader refuses"

static int list_rules(const struct cli_global *g)
{
	size_t n = pdv_lint_rule_count();

	if (g->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++) {
			const struct pdv_lint_rule *r = pdv_lint_rule_at(i);
			json_array_append_new(
			    arr, json_pack("{s:s, s:s, s:s, s:s, s:s}", "rule", r->id, "severity",
			                   pdv_severity_name(r->severity), "reference",
			                   r->reference, "summary", r->summary, "fix", r->fix));
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

/* The JSON document of a result: every finding listed, or none at all (3). */
static int print_json(const struct pdv_lint_result *res, const char *path)
{
	struct pdv_buf out;
	struct pdv_error err;
	int status = 0;

	pdv_buf_init(&out, 0);
	if (pdv_render_lint_json(res, path, &out, &err) < 0) {
		fprintf(stderr, "pdvault: lint: %s\n", err.msg);
		status = 3;
	} else {
		fputs(out.data, stdout);
		fputc('\n', stdout);
	}
	pdv_buf_release(&out);
	return status;
}

/* A declaration that does not load: one finding, exit 1 (or 3 for I/O). */
static int report_load_error(const struct cli_global *g, const char *path,
                             const struct pdv_error *err)
{
	struct pdv_finding f = {
	    .rule = err->rc == PDV_E_LIMIT ? "declaration-limit" : "declaration-invalid",
	    .severity = PDV_SEV_ERROR,
	    .pos = err->pos,
	    .reference = LOAD_REFERENCE,
	    .field = err->field[0] ? err->field : NULL,
	};
	struct pdv_lint_result res = {.n = 1, .findings = &f, .n_errors = 1};
	const char *file = err->file[0] ? err->file : path;

	if (err->rc != PDV_E_PARSE && err->rc != PDV_E_LIMIT)
		return cli_fail(g, err);
	pdv_strlcpy(f.message, err->msg, sizeof(f.message));
	if (g->json) {
		if (print_json(&res, file))
			return 3;
	} else {
		printf("%s:%u:%u: error: [%s] %s (%s)\n", file, f.pos.line, f.pos.col, f.rule,
		       f.message, f.reference);
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
		case 'j':
			g->json = true;
			break;
		case 'r':
			rules = true;
			break;
		default:
			return cli_usage_fail(g);
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
		if ((status = print_json(&res, path)))
			goto out;
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
