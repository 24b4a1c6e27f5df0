/*
 * lint.c — the JSON document of `pdvault --json lint`: every finding of a
 * lint result, then the summary that counts them.
 *
 * Invariant: the document lists exactly the findings the summary counts. Each
 * string goes through pdv_json_text(), so no value can make jansson drop a
 * finding (a file name that is not UTF-8 is written with U+FFFD); the only
 * failure is running out of memory, and then there is no document at all,
 * never a partial one.
 */
#include <stdlib.h>

#include <jansson.h>

#include "pdv/json.h"
#include "pdv/render.h"

static json_t *finding(const struct pdv_finding *f, const char *file)
{
	json_t *o = json_object();

	if (!o || json_object_set_new(o, "rule", pdv_json_text(f->rule)) < 0 ||
	    json_object_set_new(o, "severity", json_string(pdv_severity_name(f->severity))) < 0 ||
	    json_object_set_new(o, "file", pdv_json_text(file)) < 0 ||
	    json_object_set_new(o, "line", json_integer(f->pos.line)) < 0 ||
	    json_object_set_new(o, "col", json_integer(f->pos.col)) < 0 ||
	    json_object_set_new(o, "message", pdv_json_text(f->message)) < 0 ||
	    json_object_set_new(o, "reference", pdv_json_text(f->reference)) < 0 ||
	    json_object_set_new(
	        o, "fix", pdv_json_text(f->fix ? f->fix : pdv_lint_default_fix(f->rule))) < 0 ||
	    (f->activity && json_object_set_new(o, "activity", pdv_json_text(f->activity)) < 0) ||
	    (f->field && json_object_set_new(o, "field", pdv_json_text(f->field)) < 0)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int pdv_render_lint_json(const struct pdv_lint_result *res, const char *file, struct pdv_buf *out,
                         struct pdv_error *err)
{
	json_t *doc = json_object(), *arr = json_array(), *sum = json_object();
	char *text = NULL;
	int rc = PDV_E_NOMEM;

	if (!doc || !arr || !sum)
		goto out;
	for (size_t i = 0; i < res->n; i++)
		if (json_array_append_new(arr, finding(&res->findings[i], file)) < 0)
			goto out;
	if (json_object_set_new(sum, "errors", json_integer((json_int_t)res->n_errors)) < 0 ||
	    json_object_set_new(sum, "warnings", json_integer((json_int_t)res->n_warnings)) < 0 ||
	    json_object_set_new(sum, "infos", json_integer((json_int_t)res->n_infos)) < 0)
		goto out;
	if (json_object_set(doc, "findings", arr) < 0 || json_object_set(doc, "summary", sum) < 0 ||
	    !(text = json_dumps(doc, JSON_INDENT(2))))
		goto out;
	rc = pdv_buf_puts(out, text);
out:
	free(text);
	json_decref(arr);
	json_decref(sum);
	json_decref(doc);
	if (rc < 0)
		pdv_error_set(err, rc, "the lint document does not fit in memory");
	return rc;
}
