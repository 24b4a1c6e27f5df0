/*
 * test-lang.c — the language an Accept-Language header chooses for a
 * person's messages: fr or en by weight, the first on a tie, nothing else.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pdv/lang.h"

static const char *chosen(const char *header)
{
	static char out[3];

	if (!pdv_lang_accept(header, out))
		assert_string_equal(out, "");
	return out;
}

static void test_choice(void **state)
{
	(void)state;
	assert_string_equal(chosen("fr-FR,fr;q=0.9,en-US;q=0.8,en;q=0.7"), "fr");
	assert_string_equal(chosen("en-GB"), "en");
	assert_string_equal(chosen("de-DE, en;q=0.5, fr;q=0.8"), "fr");
	assert_string_equal(chosen("de, EN ;q=0.3"), "en");
	assert_string_equal(chosen("en, fr"), "en"); /* a tie: the first */
	assert_string_equal(chosen("fr;q=0, en;q=0.001"), "en");
	assert_string_equal(chosen("frr, enx-GB"), "");
}

static void test_nothing(void **state)
{
	(void)state;
	assert_string_equal(chosen(NULL), "");
	assert_string_equal(chosen(""), "");
	assert_string_equal(chosen("*"), "");
	assert_string_equal(chosen("de-DE,es;q=0.9"), "");
	assert_string_equal(chosen("fr;q=0"), "");
	assert_string_equal(chosen("fr;q=2"), ""); /* not a qvalue: weighs nothing */
	assert_string_equal(chosen("fr;q=0.5x"), "");
	assert_string_equal(chosen(",,;;,q=,"), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_choice),
	    cmocka_unit_test(test_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
