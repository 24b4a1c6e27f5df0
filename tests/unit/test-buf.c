/*
 * test-buf.c — buffers and their limits, the escaping writers of each output
 * format, cuts on character boundaries, the error table, the taxonomy and country data.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pdv/buf.h"
#include "pdv/decl.h"
#include "pdv/error.h"

static void escaped(int (*fn)(struct pdv_buf *, const char *), const char *in, const char *want)
{
	struct pdv_buf b;

	pdv_buf_init(&b, 0);
	assert_int_equal(fn(&b, in), 0);
	assert_string_equal(b.data, want);
	pdv_buf_release(&b);
}

static void test_append_and_limit(void **state)
{
	struct pdv_buf b;

	(void)state;
	pdv_buf_init(&b, 10);
	assert_int_equal(pdv_buf_puts(&b, "0123456789"), 0);
	assert_int_equal(b.len, 10);
	/* one byte over the maximum: refused, content unchanged */
	assert_int_equal(pdv_buf_putc(&b, 'x'), PDV_E_LIMIT);
	assert_int_equal(b.len, 10);
	assert_string_equal(b.data, "0123456789");
	assert_int_equal(pdv_buf_printf(&b, "%d", 1), PDV_E_LIMIT);
	pdv_buf_reset(&b);
	assert_int_equal(pdv_buf_printf(&b, "%s-%d", "ab", 42), 0);
	assert_string_equal(b.data, "ab-42");
	pdv_buf_release(&b);
}

static void test_growth(void **state)
{
	struct pdv_buf b;

	(void)state;
	pdv_buf_init(&b, 0);
	for (int i = 0; i < 100000; i++)
		assert_int_equal(pdv_buf_putc(&b, (char)('a' + i % 26)), 0);
	assert_int_equal(b.len, 100000);
	assert_int_equal(b.data[99999], 'a' + 99999 % 26);
	assert_int_equal(b.data[100000], '\0');
	char *s = pdv_buf_steal(&b);
	assert_non_null(s);
	assert_null(b.data);
	assert_int_equal(strlen(s), 100000);
	free(s);
}

static void test_html(void **state)
{
	(void)state;
	escaped(pdv_buf_put_html, "<script>alert('x') & \"y\"</script>",
	        "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;");
	escaped(pdv_buf_put_html, "Délégué", "Délégué");
	/* invalid UTF-8 becomes U+FFFD, the page stays valid */
	escaped(pdv_buf_put_html,
	        "a\xff"
	        "b",
	        "a\xef\xbf\xbd"
	        "b");
}

static void test_csv(void **state)
{
	(void)state;
	escaped(pdv_buf_put_csv, "plain", "plain");
	escaped(pdv_buf_put_csv, "a, b", "\"a, b\"");
	escaped(pdv_buf_put_csv, "say \"hi\"", "\"say \"\"hi\"\"\"");
	escaped(pdv_buf_put_csv, "two\nlines", "\"two\nlines\"");
	/* a formula is neutralised for spreadsheets */
	escaped(pdv_buf_put_csv, "=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"");
}

static void test_md(void **state)
{
	(void)state;
	escaped(pdv_buf_put_md, "a|b *c* [d](e) <x>", "a\\|b \\*c\\* \\[d\\](e) \\<x\\>");
	escaped(pdv_buf_put_md, "line\nnext", "line<br>next");
}

static void test_json(void **state)
{
	(void)state;
	escaped(pdv_buf_put_json, "a\"b\\c\n\x01", "\"a\\\"b\\\\c\\n\\u0001\"");
	escaped(pdv_buf_put_json, "é", "\"é\"");
}

static void test_utf8_cut(void **state)
{
	char small[6], msg[16];
	struct pdv_error err;

	(void)state;
	/* "aé€𝄞": a (1 byte), é (2), € (3), 𝄞 (4) */
	assert_int_equal(pdv_utf8_cut("a\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e", 0), 0);
	assert_int_equal(pdv_utf8_cut("a\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e", 2), 1);
	assert_int_equal(pdv_utf8_cut("a\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e", 3), 3);
	assert_int_equal(pdv_utf8_cut("a\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e", 5), 3);
	assert_int_equal(pdv_utf8_cut("a\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e", 6), 6);
	for (size_t max = 7; max < 10; max++)
		assert_int_equal(pdv_utf8_cut("a\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e", max), 6);
	assert_int_equal(pdv_utf8_cut("a\xc3\xa9\xe2\x82\xac\xf0\x9d\x84\x9e", 10), 10);
	assert_int_equal(pdv_utf8_cut("short", 100), 5);
	assert_int_equal(pdv_utf8_cut("\x80\x80\x80\x80\x80", 2), 2); /* not UTF-8: bytes */
	/* every way of shortening a text cuts on a character boundary */
	pdv_strlcpy(small, "ab\xe2\x82\xac", sizeof(small)); /* "ab€" needs 6 bytes */
	assert_string_equal(small, "ab\xe2\x82\xac");
	pdv_strlcpy(small, "abc\xe2\x82\xac", sizeof(small));
	assert_string_equal(small, "abc");
	snprintf(msg, sizeof(msg), "%.*s", PDV_UTF8_CUT("caf\xc3\xa9", 4));
	assert_string_equal(msg, "caf");
	pdv_error_clear(&err);
	{
		char big[PDV_ERROR_MSG_MAX + 8];
		memset(big, 'x', sizeof(big));
		memcpy(big + PDV_ERROR_MSG_MAX - 3, "\xe2\x82\xac", 3); /* one byte too many */
		big[PDV_ERROR_MSG_MAX] = '\0';
		pdv_error_set(&err, PDV_E_INVAL, "%s", big);
		assert_int_equal(strlen(err.msg), PDV_ERROR_MSG_MAX - 3);
		assert_true(pdv_utf8_valid(err.msg, strlen(err.msg)));
	}
}

static void test_error_table(void **state)
{
	struct pdv_error err;

	(void)state;
	pdv_error_clear(&err);
	assert_int_equal(pdv_error_set(&err, PDV_E_INVAL, "field '%s' is required", "email"),
	                 PDV_E_INVAL);
	assert_string_equal(err.msg, "field 'email' is required");
	assert_string_equal(err.code, "invalid");
	assert_int_equal(pdv_rc_exit_status(PDV_E_INVAL), 1);
	assert_int_equal(pdv_rc_exit_status(PDV_E_USAGE), 2);
	assert_int_equal(pdv_rc_exit_status(PDV_E_IO), 3);
	assert_int_equal(pdv_rc_exit_status(PDV_OK), 0);
	assert_int_equal(pdv_rc_http_status(PDV_E_NOTFOUND), 404);
	assert_int_equal(pdv_rc_http_status(PDV_E_LIMIT), 413);
	/* NULL err is allowed everywhere */
	assert_int_equal(pdv_error_set(NULL, PDV_E_IO, "x"), PDV_E_IO);
	char small[4];
	assert_int_equal(pdv_strlcpy(small, "abcdef", sizeof(small)), 6);
	assert_string_equal(small, "abc");
	assert_non_null(pdv_strcasestr("To Be Completed", "to be COMPLETED"));
	assert_null(pdv_strcasestr("abc", "abd"));
}

static void test_taxonomy(void **state)
{
	const struct pdv_taxon *t;

	(void)state;
	t = pdv_taxonomy_find(PDV_TAX_CATEGORY, "user.contact.email");
	assert_non_null(t);
	assert_string_equal(t->parent, "user.contact");
	assert_non_null(pdv_taxonomy_find(PDV_TAX_CATEGORY, "pdv.user.professional.cv"));
	assert_non_null(pdv_taxonomy_find(PDV_TAX_CATEGORY, "pdv.user.professional.diploma"));
	assert_non_null(pdv_taxonomy_find(PDV_TAX_CATEGORY, "pdv.user.professional.experience"));
	assert_non_null(pdv_taxonomy_find(PDV_TAX_CATEGORY, "pdv.user.contact.social_profile_url"));
	assert_null(pdv_taxonomy_find(PDV_TAX_CATEGORY, "user.contact.emial"));
	assert_non_null(pdv_taxonomy_find(PDV_TAX_USE, "marketing.communications.email"));
	assert_non_null(pdv_taxonomy_find(PDV_TAX_SUBJECT, "job_applicant"));
	assert_true(pdv_taxonomy_count(PDV_TAX_CATEGORY) > 80);
	/* sorted, so that lookups are binary searches */
	for (size_t i = 1; i < pdv_taxonomy_count(PDV_TAX_USE); i++)
		assert_true(strcmp(pdv_taxonomy_at(PDV_TAX_USE, i - 1)->key,
		                   pdv_taxonomy_at(PDV_TAX_USE, i)->key) < 0);
	assert_true(pdv_taxonomy_under("marketing.communications.email", "marketing"));
	assert_true(pdv_taxonomy_under("marketing", "marketing"));
	assert_false(pdv_taxonomy_under("marketingx", "marketing"));
	assert_true(pdv_taxonomy_under("pdv.marketing.communications.phone", "marketing"));
	assert_false(pdv_taxonomy_under("pdv.accounting", "marketing"));
	assert_true(pdv_category_is_special("user.health_and_medical.genetic"));
	assert_true(pdv_category_is_special("user.demographic.religious_belief"));
	assert_false(pdv_category_is_special("user.demographic.gender"));
	assert_true(pdv_category_is_criminal("user.criminal_history"));
	assert_false(pdv_category_is_criminal("user.name"));
}

static void test_countries(void **state)
{
	(void)state;
	assert_true(pdv_country_valid("FR"));
	assert_false(pdv_country_valid("XX"));
	assert_false(pdv_country_valid("fr"));
	assert_false(pdv_country_valid("FRA"));
	assert_true(pdv_country_in_eu("IE"));
	assert_false(pdv_country_in_eu("NO"));
	assert_true(pdv_country_in_eea("NO"));
	assert_false(pdv_country_in_eea("CH"));
	assert_true(pdv_country_adequate("CH"));
	assert_true(pdv_country_adequate("CA"));
	assert_false(pdv_country_adequate("US")); /* DPF only: safeguard dpf */
	assert_false(pdv_country_adequate("IN"));
	assert_string_equal(pdv_country_name("US", "fr"), "États-Unis");
	assert_string_equal(pdv_country_name("DE", "en"), "Germany");
	assert_string_equal(pdv_country_name("KY", "en"), "KY");
	const struct pdv_authority_info *a = pdv_authority_builtin("cnil");
	assert_non_null(a);
	assert_non_null(strstr(a->address, "Fontenoy"));
	assert_null(pdv_authority_builtin("nope"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_append_and_limit),
	    cmocka_unit_test(test_growth),
	    cmocka_unit_test(test_html),
	    cmocka_unit_test(test_csv),
	    cmocka_unit_test(test_md),
	    cmocka_unit_test(test_json),
	    cmocka_unit_test(test_utf8_cut),
	    cmocka_unit_test(test_error_table),
	    cmocka_unit_test(test_taxonomy),
	    cmocka_unit_test(test_countries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
