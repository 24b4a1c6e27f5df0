/*
 * test-template.c — the templates: every default of every kind and language
 * loads and renders with its placeholders filled; a missing value, a value
 * with a line break in the subject, an unknown placeholder (with its file and
 * line), a file naming no template; overrides replace one file at a time;
 * values are escaped for HTML only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "pdv/delivery.h"

static void all_values(enum pdv_template_kind k, struct pdv_template_value *v, size_t *n)
{
	const char *const *names = pdv_template_names(k);

	for (*n = 0; names[*n]; (*n)++)
		v[*n] = (struct pdv_template_value){names[*n], "<v&>"};
}

static void test_defaults_render(void **state)
{
	struct pdv_templates *set = NULL;
	struct pdv_error err;
	const char *langs[] = {"en", "fr"};

	(void)state;
	assert_int_equal(pdv_templates_load(NULL, &set, &err), 0);
	for (int k = 0; k < PDV_TPL_KIND_COUNT; k++)
		for (int l = 0; l < 2; l++) {
			struct pdv_template_value v[16];
			struct pdv_rendered r;
			size_t n;

			all_values((enum pdv_template_kind)k, v, &n);
			assert_int_equal(pdv_templates_render(set, (enum pdv_template_kind)k,
			                                      langs[l], v, n, &r, &err),
			                 0);
			assert_true(r.subject.len > 0 && r.text.len > 0 && r.html.len > 0);
			assert_null(strstr(r.text.data, "{{"));
			assert_null(strstr(r.html.data, "{{"));
			assert_null(strstr(r.html.data, "<v&>"));
			assert_non_null(strstr(r.html.data, "&lt;v&amp;&gt;"));
			assert_non_null(strstr(r.text.data, "<v&>"));
			pdv_rendered_release(&r);
		}
	pdv_templates_free(set);
}

static void test_render_errors(void **state)
{
	struct pdv_templates *set = NULL;
	struct pdv_error err;
	struct pdv_rendered r;
	struct pdv_template_value v[] = {
	    {"code", "123456"}, {"controller", "C"}, {"dpo_contact", "d@example.org"}};

	(void)state;
	assert_int_equal(pdv_templates_load(NULL, &set, &err), 0);
	assert_int_equal(pdv_templates_render(set, PDV_TPL_VERIFICATION, "en", v, 3, &r, &err),
	                 PDV_E_INVAL);
	assert_string_equal(err.field, "minutes");
	pdv_rendered_release(&r);
	assert_int_equal(pdv_templates_render(set, PDV_TPL_VERIFICATION, "de", v, 3, &r, &err),
	                 PDV_E_NOTFOUND);
	pdv_rendered_release(&r);
	struct pdv_template_value w[] = {
	    {"code", "12\r\nBcc: x"}, {"minutes", "30"}, {"controller", "C"}, {"dpo_contact", "d"}};
	assert_int_equal(pdv_templates_render(set, PDV_TPL_VERIFICATION, "fr", w, 4, &r, &err),
	                 PDV_E_INVAL);
	assert_null(strstr(err.msg, "Bcc"));
	pdv_rendered_release(&r);
	pdv_templates_free(set);
}

static void test_check(void **state)
{
	struct pdv_error err;

	(void)state;
	assert_int_equal(
	    pdv_template_check("verification.en.txt", "Subject: {{code}}\n\nx", 20, &err), 0);
	pdv_error_clear(&err);
	const char *bad = "Subject: a\n\nline 3\n{{purpose}}\n";
	assert_int_equal(pdv_template_check("verification.en.txt", bad, strlen(bad), &err),
	                 PDV_E_PARSE);
	assert_int_equal(err.pos.line, 4);
	assert_non_null(strstr(err.msg, "verification.en.txt:4: unknown placeholder {{purpose}}"));
	const char *malformed = "<p>{{ code }}</p>";
	assert_int_equal(
	    pdv_template_check("verification.fr.html", malformed, strlen(malformed), &err),
	    PDV_E_PARSE);
	assert_int_equal(pdv_template_check("verification.en.txt", "no subject\n\nx", 13, &err),
	                 PDV_E_PARSE);
	assert_int_equal(pdv_template_check("verification.de.txt", "Subject: x\n\ny", 13, &err),
	                 PDV_E_INVAL);
	assert_int_equal(pdv_template_check("verification.en.html", "{{code", 6, &err),
	                 PDV_E_PARSE);
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static void test_overrides(void **state)
{
	char dir[] = "/tmp/pdv-tpl-XXXXXX";
	struct pdv_templates *set = NULL;
	struct pdv_error err;
	struct pdv_rendered r;
	struct pdv_template_value v[] = {
	    {"code", "7"}, {"minutes", "5"}, {"controller", "C"}, {"dpo_contact", "d"}};

	(void)state;
	assert_non_null(mkdtemp(dir));
	put(dir, "verification.en.txt", "Subject: Code {{code}}\n\nYour code: {{code}}.\n");
	put(dir, "README", "ignored: not a template");
	assert_int_equal(pdv_templates_load(dir, &set, &err), 0);
	assert_int_equal(pdv_templates_render(set, PDV_TPL_VERIFICATION, "en", v, 4, &r, &err), 0);
	assert_string_equal(r.subject.data, "Code 7");
	assert_string_equal(r.text.data, "Your code: 7.\n");
	assert_non_null(strstr(r.html.data, "7")); /* the default HTML stays */
	pdv_rendered_release(&r);
	pdv_templates_free(set);

	put(dir, "verfication.en.txt", "Subject: x\n\ny");
	assert_int_equal(pdv_templates_load(dir, &set, &err), PDV_E_INVAL);
	assert_non_null(strstr(err.msg, "verfication.en.txt: names no template"));
	char path[512];
	snprintf(path, sizeof(path), "%s/verfication.en.txt", dir);
	unlink(path);
	put(dir, "renewal.fr.html", "<p>\n{{link}}\n{{code}}</p>");
	assert_int_equal(pdv_templates_load(dir, &set, &err), PDV_E_PARSE);
	assert_non_null(strstr(err.msg, "renewal.fr.html:3: unknown placeholder {{code}}"));
	snprintf(path, sizeof(path), "%s/renewal.fr.html", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/verification.en.txt", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/README", dir);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults_render),
	    cmocka_unit_test(test_render_errors),
	    cmocka_unit_test(test_check),
	    cmocka_unit_test(test_overrides),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
