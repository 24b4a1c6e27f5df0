/*
 * fuzz-lint-json.c — libFuzzer target for the lint document: a declaration
 * from the input bytes, linted, written as `pdvault --json lint` writes it,
 * must parse (jansson, which refuses invalid UTF-8) and list exactly the
 * findings the result holds, with the summary counting them, each with its
 * `fix`, non-empty on every error and warning.
 *
 * Input: NAME NUL DECLARATION, or only DECLARATION (named "fuzz.yml"); the
 * name is any bytes, as a file name on the command line can be. A declaration
 * that does not load is one finding, as lint reports it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pdv/lint.h"
#include "pdv/render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct pdv_lint_result *res, const char *name)
{
	struct pdv_buf out;
	json_t *doc, *findings, *summary;
	size_t errors = 0, warnings = 0, infos = 0;

	pdv_buf_init(&out, 0);
	if (pdv_render_lint_json(res, name, &out, NULL) < 0)
		__builtin_trap(); /* only memory can fail, and it does not here */
	doc = json_loadb(out.data, out.len, JSON_REJECT_DUPLICATES, NULL);
	findings = json_object_get(doc, "findings");
	summary = json_object_get(doc, "summary");
	if (!doc || json_array_size(findings) != res->n || !json_is_object(summary))
		__builtin_trap(); /* the document lost a finding, or is not JSON */
	for (size_t i = 0; i < res->n; i++) {
		json_t *f = json_array_get(findings, i);
		const char *sev = json_string_value(json_object_get(f, "severity"));
		const char *fix = json_string_value(json_object_get(f, "fix"));

		if (!sev || !fix)
			__builtin_trap();
		if (strcmp(sev, "info") != 0 && !*fix)
			__builtin_trap(); /* an error or a warning that does not say how to fix it
			                   */
		errors += strcmp(sev, "error") == 0;
		warnings += strcmp(sev, "warning") == 0;
		infos += strcmp(sev, "info") == 0;
	}
	if (json_integer_value(json_object_get(summary, "errors")) != (json_int_t)errors ||
	    json_integer_value(json_object_get(summary, "warnings")) != (json_int_t)warnings ||
	    json_integer_value(json_object_get(summary, "infos")) != (json_int_t)infos ||
	    errors != res->n_errors || warnings != res->n_warnings || infos != res->n_infos)
		__builtin_trap(); /* the summary counts something other than the list */
	json_decref(doc);
	pdv_buf_release(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size < 256 ? size : 256);
	char *name = strndup(nul ? (const char *)data : "fuzz.yml", nul ? (size_t)(nul - data) : 8);
	struct pdv_decl *d = NULL;
	struct pdv_lint_result res = {0};
	struct pdv_error err = {0};

	if (!name)
		return 0;
	if (nul) {
		size -= (size_t)(nul - data) + 1;
		data = nul + 1;
	}
	if (pdv_decl_load_mem(name, (const char *)data, size, &d, &err) == 0) {
		/* a fixed day, so a finding does not depend on when the fuzzer runs */
		if (pdv_lint_run(d, pdv_date_to_day((struct pdv_date){2026, 9, 1}), &res, &err) ==
		    0)
			check(&res, name);
		pdv_lint_result_release(&res);
		pdv_decl_free(d);
	} else if (err.rc == PDV_E_PARSE || err.rc == PDV_E_LIMIT) {
		struct pdv_finding f = {.rule = "declaration-invalid",
		                        .severity = PDV_SEV_ERROR,
		                        .pos = err.pos,
		                        .reference = "docs/declaration.md",
		                        .field = err.field[0] ? err.field : NULL};
		struct pdv_lint_result one = {.n = 1, .findings = &f, .n_errors = 1};

		pdv_strlcpy(f.message, err.msg, sizeof(f.message));
		check(&one, name);
	}
	free(name);
	return 0;
}
