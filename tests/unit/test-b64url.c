/*
 * test-b64url.c — the one URL-safe base64 codec: RFC 4648 vectors, round
 * trips of every length, and the strict decoder (one spelling per value).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pdv/b64url.h"

static void test_vectors(void **state)
{
	/* RFC 4648 section 10, without the padding */
	static const char *const want[] = {"",       "Zg",      "Zm8",     "Zm9v",
	                                   "Zm9vYg", "Zm9vYmE", "Zm9vYmFy"};
	const uint8_t edge[3] = {0xfb, 0xff, 0xbf}; /* "+/+/" in standard base64 */
	char out[16];
	uint8_t back[8];

	(void)state;
	for (size_t n = 0; n < sizeof(want) / sizeof(want[0]); n++) {
		pdv_b64url_encode((const uint8_t *)"foobar", n, out, sizeof(out));
		assert_string_equal(out, want[n]);
		assert_int_equal(strlen(out), PDV_B64URL_CHARS(n));
		assert_int_equal(pdv_b64url_decode(want[n], back, n), 0);
		assert_memory_equal(back, "foobar", n);
	}
	pdv_b64url_encode(edge, sizeof(edge), out, sizeof(out));
	assert_string_equal(out, "-_-_");
	assert_int_equal(pdv_b64url_decode("-_-_", back, 3), 0);
	assert_memory_equal(back, edge, 3);
}

static void test_round_trips(void **state)
{
	uint8_t in[64], back[64];
	char out[PDV_B64URL_CHARS(64) + 1];

	(void)state;
	srand(7);
	for (size_t n = 0; n <= sizeof(in); n++) {
		for (int k = 0; k < 50; k++) {
			for (size_t i = 0; i < n; i++)
				in[i] = (uint8_t)rand();
			pdv_b64url_encode(in, n, out, PDV_B64URL_CHARS(n) + 1);
			assert_int_equal(strlen(out), PDV_B64URL_CHARS(n));
			assert_null(strpbrk(out, "+/="));
			assert_int_equal(pdv_b64url_decode(out, back, n), 0);
			assert_memory_equal(back, in, n);
		}
	}
	/* every byte value, in every position of a group */
	for (int b = 0; b < 256; b++)
		for (size_t at = 0; at < 3; at++) {
			memset(in, 0, 3);
			in[at] = (uint8_t)b;
			pdv_b64url_encode(in, 3, out, sizeof(out));
			assert_int_equal(pdv_b64url_decode(out, back, 3), 0);
			assert_memory_equal(back, in, 3);
		}
}

static void test_rejects(void **state)
{
	uint8_t out[16];
	char s[32];

	(void)state;
	/* the standard alphabet's characters, padding, spaces, NUL-free junk */
	assert_int_equal(pdv_b64url_decode("Zm+v", out, 3), PDV_E_INVAL);
	assert_int_equal(pdv_b64url_decode("Zm/v", out, 3), PDV_E_INVAL);
	assert_int_equal(pdv_b64url_decode("Zg==", out, 1), PDV_E_INVAL);
	assert_int_equal(pdv_b64url_decode("Zg=", out, 1), PDV_E_INVAL);
	assert_int_equal(pdv_b64url_decode("Z g", out, 1), PDV_E_INVAL);
	assert_int_equal(pdv_b64url_decode("Zm9\xc3", out, 3), PDV_E_INVAL);
	assert_int_equal(pdv_b64url_decode("Zm9.", out, 3), PDV_E_INVAL);
	/* a length that is not the one of n bytes */
	assert_int_equal(pdv_b64url_decode("Zm9", out, 3), PDV_E_INVAL);
	assert_int_equal(pdv_b64url_decode("Zm9vYg", out, 3), PDV_E_INVAL);
	assert_int_equal(pdv_b64url_decode("", out, 1), PDV_E_INVAL);
	assert_int_equal(pdv_b64url_decode(NULL, out, 1), PDV_E_INVAL);
	/* trailing bits: "Zh" and "Zg" would both read as "f" */
	assert_int_equal(pdv_b64url_decode("Zh", out, 1), PDV_E_INVAL);
	assert_int_equal(pdv_b64url_decode("Zm8", out, 2), 0);
	assert_int_equal(pdv_b64url_decode("Zm9", out, 2), PDV_E_INVAL);
	/* every character outside the alphabet, anywhere in an id-sized string */
	for (int c = 1; c < 256; c++) {
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_')
			continue;
		memset(s, 'A', 22);
		s[22] = '\0';
		s[c % 21] = (char)c;
		assert_int_equal(pdv_b64url_decode(s, out, 16), PDV_E_INVAL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vectors),
	    cmocka_unit_test(test_round_trips),
	    cmocka_unit_test(test_rejects),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
