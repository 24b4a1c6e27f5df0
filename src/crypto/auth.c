/*
 * auth.c — what staff sign-in needs of cryptography: Argon2id passphrase
 * hashes (libsodium), TOTP codes (liboath, RFC 6238), and the enrolment's QR
 * code (libqrencode), drawn here because it carries the TOTP secret.
 *
 * Invariants:
 *  - a passphrase is hashed with crypto_pwhash_str at the interactive
 *    limits; only the resulting string (salt and parameters inside) leaves;
 *  - liboath is initialised once (pthread_once), before its first use;
 *  - the buffers that held a code or a secret's encoding are wiped.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <liboath/oath.h>
#include <qrencode.h>
#include <sodium.h>

#include "pdv/crypto.h"

_Static_assert(PDV_PWHASH_MAX >= crypto_pwhash_STRBYTES, "PDV_PWHASH_MAX too small");

int pdv_pwhash(const char *pass, size_t len, char ret[PDV_PWHASH_MAX], struct pdv_error *err)
{
	if (sodium_init() < 0)
		return pdv_error_set(err, PDV_E_INTERNAL, "libsodium could not start");
	if (crypto_pwhash_str(ret, pass, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory hashing a passphrase");
	return 0;
}

bool pdv_pwhash_verify(const char *str, const char *pass, size_t len)
{
	if (!str || !memchr(str, '\0', PDV_PWHASH_MAX) || sodium_init() < 0)
		return false;
	return crypto_pwhash_str_verify(str, pass, len) == 0;
}

static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy[PDV_PWHASH_MAX];

static void dummy_make(void)
{
	uint8_t pass[32];

	pdv_random(pass, sizeof(pass));
	if (pdv_pwhash((const char *)pass, sizeof(pass), dummy, NULL) < 0)
		dummy[0] = '\0'; /* verify then fails at once; an account still never opens */
	sodium_memzero(pass, sizeof(pass));
}

const char *pdv_pwhash_dummy(void)
{
	pthread_once(&dummy_once, dummy_make);
	return dummy;
}

static pthread_once_t oath_once = PTHREAD_ONCE_INIT;
static int oath_ready = -1;

static void oath_start(void)
{
	oath_ready = oath_init();
}

int pdv_totp_code(const uint8_t *secret, size_t n, int64_t step, char out[PDV_TOTP_DIGITS + 1],
                  struct pdv_error *err)
{
	int rc;

	pthread_once(&oath_once, oath_start);
	if (oath_ready != OATH_OK)
		return pdv_error_set(err, PDV_E_INTERNAL, "liboath could not start");
	if (step < 0)
		return pdv_error_set(err, PDV_E_INVAL, "a time before 1970");
	rc = oath_totp_generate((const char *)secret, n, (time_t)(step * PDV_TOTP_STEP),
	                        PDV_TOTP_STEP, 0, PDV_TOTP_DIGITS, out);
	if (rc != OATH_OK)
		return pdv_error_set(err, PDV_E_INTERNAL, "liboath: %s", oath_strerror(rc));
	return 0;
}

void pdv_base32(const uint8_t *in, size_t n, char *out)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	uint32_t acc = 0;
	int bits = 0;
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			out[k++] = alphabet[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		out[k++] = alphabet[(acc << (5 - bits)) & 31];
	out[k] = '\0';
	acc = 0;
}

#define QR_QUIET 4 /* modules of white around the code (ISO/IEC 18004) */

int pdv_qr_svg(const char *text, struct pdv_buf *out, struct pdv_error *err)
{
	QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	char cell[128];
	int size, rc = 0;

	if (!qr)
		return pdv_error_set(err, PDV_E_NOMEM, "the QR code could not be drawn");
	size = qr->width + 2 * QR_QUIET;
	snprintf(cell, sizeof(cell),
	         "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" ", size, size);
	if (pdv_buf_puts(out, cell) < 0 ||
	    pdv_buf_puts(out, "shape-rendering=\"crispEdges\" role=\"img\">"
	                      "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
	                      "<path fill=\"#000\" d=\"") < 0) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	for (int y = 0; y < qr->width; y++)
		for (int x = 0; x < qr->width; x++) {
			if (!(qr->data[y * qr->width + x] & 1))
				continue;
			snprintf(cell, sizeof(cell), "M%d %dh1v1h-1z", x + QR_QUIET, y + QR_QUIET);
			if (pdv_buf_puts(out, cell) < 0) {
				rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
				goto out;
			}
		}
	if (pdv_buf_puts(out, "\"/></svg>") < 0)
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
out:
	/* the modules encode the secret: wiped before the library frees them */
	sodium_memzero(qr->data, (size_t)qr->width * (size_t)qr->width);
	QRcode_free(qr);
	return rc;
}
