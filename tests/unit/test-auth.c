/*
 * test-auth.c — crypto's part of staff sign-in (src/crypto/auth.c): TOTP codes
 * against RFC 6238's test vectors (Appendix B, SHA-1; their last six digits),
 * base32 as RFC 4648 has it, Argon2id strings that verify only their own
 * passphrase, and a QR code that is an SVG of dark modules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "pdv/crypto.h"

static void totp_matches_rfc_6238(void **state)
{
	static const struct {
		int64_t unix;
		const char *code;
	} vectors[] = {
	    {59, "287082"},         {1111111109, "081804"}, {1111111111, "050471"},
	    {1234567890, "005924"}, {2000000000, "279037"}, {20000000000LL, "353130"},
	};
	const uint8_t *key = (const uint8_t *)"12345678901234567890";
	char out[PDV_TOTP_DIGITS + 1];

	(void)state;
	for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		assert_int_equal(pdv_totp_code(key, 20, vectors[i].unix / PDV_TOTP_STEP, out, NULL),
		                 0);
		assert_string_equal(out, vectors[i].code);
	}
	assert_int_equal(pdv_totp_code(key, 20, -1, out, NULL), PDV_E_INVAL);
}

static void base32_is_rfc_4648_without_padding(void **state)
{
	char out[64];

	(void)state;
	pdv_base32((const uint8_t *)"12345678901234567890", 20, out);
	assert_string_equal(out, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	pdv_base32((const uint8_t *)"foob", 4, out);
	assert_string_equal(out, "MZXW6YQ"); /* RFC 4648's "MZXW6YQ=" */
	pdv_base32((const uint8_t *)"", 0, out);
	assert_string_equal(out, "");
}

static void a_passphrase_hash_verifies_only_its_passphrase(void **state)
{
	char h[PDV_PWHASH_MAX], h2[PDV_PWHASH_MAX];
	const char *p = "correct horse battery staple";

	(void)state;
	assert_int_equal(pdv_pwhash(p, strlen(p), h, NULL), 0);
	assert_non_null(strstr(h, "$argon2id$"));
	assert_true(pdv_pwhash_verify(h, p, strlen(p)));
	assert_false(pdv_pwhash_verify(h, "correct horse battery stapler", 29));
	assert_false(pdv_pwhash_verify("", p, strlen(p)));
	assert_false(pdv_pwhash_verify("$argon2id$garbage", p, strlen(p)));
	/* a salt of its own: the same passphrase, another string */
	assert_int_equal(pdv_pwhash(p, strlen(p), h2, NULL), 0);
	assert_string_not_equal(h, h2);
	/* the dummy for unknown accounts is a real hash that nothing known opens */
	assert_non_null(strstr(pdv_pwhash_dummy(), "$argon2id$"));
	assert_false(pdv_pwhash_verify(pdv_pwhash_dummy(), p, strlen(p)));
}

static void qr_is_an_svg_of_modules(void **state)
{
	struct pdv_buf b;

	(void)state;
	pdv_buf_init(&b, 0);
	assert_int_equal(pdv_qr_svg("otpauth://totp/pdvault:ada?secret=GEZDGNBV", &b, NULL), 0);
	assert_int_equal(pdv_buf_putc(&b, '\0'), 0);
	assert_true(strncmp((char *)b.data, "<svg", 4) == 0);
	assert_non_null(strstr((char *)b.data, "h1v1h-1z"));
	assert_non_null(strstr((char *)b.data, "</svg>"));
	pdv_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(totp_matches_rfc_6238),
	    cmocka_unit_test(base32_is_rfc_4648_without_padding),
	    cmocka_unit_test(a_passphrase_hash_verifies_only_its_passphrase),
	    cmocka_unit_test(qr_is_an_svg_of_modules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
