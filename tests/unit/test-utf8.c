/*
 * test-utf8.c — the one UTF-8 decoder (pdv_utf8_decode) and the validation
 * built on it: every length, the code points at each boundary, and each way
 * a sequence can be invalid (RFC 3629; Unicode 3.9, table 3-7).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pdv/utf8.h"

static void decodes(const char *s, size_t n, size_t want_len, uint32_t want_cp)
{
	uint32_t cp = 0xffffffff;

	assert_int_equal(pdv_utf8_decode(s, n, &cp), want_len);
	assert_int_equal(cp, want_cp);
	assert_int_equal(pdv_utf8_decode(s, n, NULL), want_len); /* the code point is optional */
}

static void refuses(const char *s, size_t n)
{
	uint32_t cp = 0x1234;

	assert_int_equal(pdv_utf8_decode(s, n, &cp), 0);
	assert_int_equal(cp, 0x1234); /* not written on failure */
	assert_false(pdv_utf8_valid(s, n));
}

static void test_decode_each_length(void **state)
{
	(void)state;
	decodes("\0", 1, 1, 0); /* NUL is UTF-8; callers that refuse it say so */
	decodes("A", 1, 1, 'A');
	decodes("\x7f", 1, 1, 0x7f);
	decodes("\xc2\x80", 2, 2, 0x80);
	decodes("\xc3\xa9", 2, 2, 0xe9); /* é */
	decodes("\xdf\xbf", 2, 2, 0x7ff);
	decodes("\xe0\xa0\x80", 3, 3, 0x800);
	decodes("\xe2\x82\xac", 3, 3, 0x20ac); /* € */
	decodes("\xed\x9f\xbf", 3, 3, 0xd7ff);
	decodes("\xee\x80\x80", 3, 3, 0xe000);
	decodes("\xef\xbf\xbd", 3, 3, 0xfffd);
	decodes("\xf0\x90\x80\x80", 4, 4, 0x10000);
	decodes("\xf0\x9d\x84\x9e", 4, 4, 0x1d11e); /* 𝄞 */
	decodes("\xf4\x8f\xbf\xbf", 4, 4, 0x10ffff);
	/* only the first character is decoded */
	decodes("ab", 2, 1, 'a');
	decodes("\xc3\xa9z", 3, 2, 0xe9);
}

static void test_decode_refuses(void **state)
{
	(void)state;
	refuses("\x80", 1); /* a continuation byte alone */
	refuses("\xbf", 1);
	refuses("\xc0\xaf", 2);         /* overlong '/' */
	refuses("\xc1\xbf", 2);         /* overlong */
	refuses("\xe0\x9f\xbf", 3);     /* overlong U+07FF */
	refuses("\xf0\x8f\xbf\xbf", 4); /* overlong U+FFFF */
	refuses("\xed\xa0\x80", 3);     /* surrogate U+D800 */
	refuses("\xed\xbf\xbf", 3);     /* surrogate U+DFFF */
	refuses("\xf4\x90\x80\x80", 4); /* above U+10FFFF */
	refuses("\xf5\x80\x80\x80", 4); /* lead byte of nothing */
	refuses("\xff", 1);
	refuses("\xc3", 1); /* cut by the end of the input */
	refuses("\xe2\x82", 2);
	refuses("\xf0\x9d\x84", 3);
	refuses("\xc3\xa9", 1); /* the input ends before the sequence does */
	refuses("\xc3(", 2);    /* a continuation byte missing */
	refuses("\xe2\x28\xac", 3);
	refuses("\xf0\x9d\x84(", 4);
}

static void test_valid(void **state)
{
	(void)state;
	assert_true(pdv_utf8_valid("", 0));
	assert_true(pdv_utf8_valid("abc é € 𝄞", strlen("abc é € 𝄞")));
	assert_false(pdv_utf8_valid("\xc3", 1));             /* truncated */
	assert_false(pdv_utf8_valid("\xc0\xaf", 2));         /* overlong */
	assert_false(pdv_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
	assert_false(pdv_utf8_valid("\xf4\x90\x80\x80", 4)); /* above U+10FFFF */
	/* a bad byte anywhere, the last included */
	assert_false(pdv_utf8_valid("abc\xe2\x82", 5));
	assert_false(pdv_utf8_valid("\x80"
	                            "abc",
	                            4));
	/* n bounds the check: what lies after it is not read */
	assert_true(pdv_utf8_valid("ab\xff", 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decode_each_length),
	    cmocka_unit_test(test_decode_refuses),
	    cmocka_unit_test(test_valid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
