/*
 * test-reference.c — request references: Crockford base32 with the mod-37
 * check character, read as forgivingly as Crockford says, and a typo caught.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pdv/reference.h"

static void test_format(void **state)
{
	char out[PDV_REFERENCE_MAX];

	(void)state;
	pdv_reference_format(0, out);
	assert_string_equal(out, "000000000");
	pdv_reference_format(PDV_REFERENCE_MASK, out); /* 2^40 - 1 = 15 mod 37 */
	assert_string_equal(out, "ZZZZZZZZF");
	pdv_reference_format(36, out); /* check symbol 36 is U */
	assert_string_equal(out, "00000014U");
	pdv_reference_format(32, out); /* 32: '*' */
	assert_string_equal(out, "00000010*");
}

static void test_forgiving(void **state)
{
	char out[PDV_REFERENCE_MAX];
	uint64_t v = 0;
	enum pdv_reference_fault f;

	(void)state;
	assert_int_equal(pdv_reference_parse("00000014U", out, &v, &f), 0);
	assert_int_equal(v, 36);
	assert_int_equal(f, PDV_REFERENCE_OK);
	/* lower case, I/L as 1, O as 0, hyphens and surrounding spaces */
	assert_int_equal(pdv_reference_parse("  oooo-ooi4-u ", out, &v, NULL), 0);
	assert_string_equal(out, "00000014U");
	assert_int_equal(pdv_reference_parse("0000-00l4u", out, NULL, NULL), 0);
	assert_string_equal(out, "00000014U");
	assert_int_equal(pdv_reference_parse("zzzz-zzzz-f", out, NULL, NULL), 0);
	assert_string_equal(out, "ZZZZZZZZF");
}

static void test_refused(void **state)
{
	static const char *const shape[] = {"",           "0000001",   "0000000000000", "0000001U4",
	                                    "00000014UU", "00000014!", "0000 0014U",    NULL};
	char out[PDV_REFERENCE_MAX], ref[PDV_REFERENCE_MAX], typo[PDV_REFERENCE_MAX];
	enum pdv_reference_fault f;

	(void)state;
	for (size_t i = 0; i < sizeof(shape) / sizeof(shape[0]); i++) {
		assert_int_equal(pdv_reference_parse(shape[i], out, NULL, &f), PDV_E_INVAL);
		assert_int_equal(f, PDV_REFERENCE_SHAPE);
	}
	/* every single-character typo in the 8 symbols is caught by the check */
	pdv_reference_format(UINT64_C(0x12345abcde), ref);
	for (int pos = 0; pos < 8; pos++)
		for (const char *c = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; *c; c++) {
			if (*c == ref[pos])
				continue;
			memcpy(typo, ref, sizeof(typo));
			typo[pos] = *c;
			assert_int_equal(pdv_reference_parse(typo, out, NULL, &f), PDV_E_INVAL);
			assert_int_equal(f, PDV_REFERENCE_CHECK);
		}
}

static void test_round_trips(void **state)
{
	char out[PDV_REFERENCE_MAX], back[PDV_REFERENCE_MAX];
	uint64_t v = 1, got;

	(void)state;
	for (int i = 0; i < 2000; i++) {
		v = (v * 6364136223846793005u + 1442695040888963407u);
		pdv_reference_format(v, out);
		assert_int_equal(strlen(out), PDV_REFERENCE_CHARS);
		assert_int_equal(pdv_reference_parse(out, back, &got, NULL), 0);
		assert_string_equal(back, out);
		assert_int_equal(got, v & PDV_REFERENCE_MASK);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_format),
	    cmocka_unit_test(test_forgiving),
	    cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_round_trips),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
