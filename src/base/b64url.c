/*
 * b64url.c — unpadded URL-safe base64, in constant time.
 *
 * The character of a 6-bit value and the value of a character are computed
 * with masks, not looked up, so neither direction's memory accesses depend
 * on the bytes (the same construction as libsodium's codecs).
 */
#include <stdlib.h>
#include <string.h>

#include "pdv/b64url.h"

/* 0xff when the relation holds, else 0; x and y below 256 */
#define EQ(x, y) ((((0u - ((unsigned)(x) ^ (unsigned)(y))) >> 8) & 0xffu) ^ 0xffu)
#define GT(x, y) ((((unsigned)(y) - (unsigned)(x)) >> 8) & 0xffu)
#define GE(x, y) (GT(y, x) ^ 0xffu)
#define LT(x, y) GT(y, x)
#define LE(x, y) GE(y, x)

static char to_char(unsigned x)
{
	return (char)((LT(x, 26) & (x + 'A')) | (GE(x, 26) & LT(x, 52) & (x + ('a' - 26))) |
	              (GE(x, 52) & LT(x, 62) & (x + ('0' - 52))) | (EQ(x, 62) & '-') |
	              (EQ(x, 63) & '_'));
}

/* the 6-bit value, or 0xff for a character outside the alphabet */
static unsigned from_char(unsigned c)
{
	unsigned x =
	    (GE(c, 'A') & LE(c, 'Z') & (c - 'A')) | (GE(c, 'a') & LE(c, 'z') & (c - ('a' - 26))) |
	    (GE(c, '0') & LE(c, '9') & (c - ('0' - 52))) | (EQ(c, '-') & 62) | (EQ(c, '_') & 63);

	return x | (EQ(x, 0) & (EQ(c, 'A') ^ 0xffu));
}

void pdv_b64url_encode(const uint8_t *in, size_t n, char *out, size_t out_size)
{
	uint32_t acc = 0;
	size_t o = 0;
	int bits = 0;

	if (out_size < PDV_B64URL_CHARS(n) + 1)
		abort();
	for (size_t i = 0; i < n; i++) {
		acc = acc << 8 | in[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			out[o++] = to_char((acc >> bits) & 63);
		}
	}
	if (bits > 0)
		out[o++] = to_char((acc << (6 - bits)) & 63);
	out[o] = '\0';
}

int pdv_b64url_decode(const char *s, uint8_t *out, size_t n)
{
	uint32_t acc = 0;
	unsigned bad = 0;
	size_t got = 0;
	int bits = 0;

	if (!s || strlen(s) != PDV_B64URL_CHARS(n))
		return PDV_E_INVAL;
	for (const char *p = s; *p; p++) {
		unsigned v = from_char((unsigned char)*p);

		bad |= v >> 6; /* 0xff has bits above the six */
		acc = acc << 6 | (v & 63);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[got++] = (uint8_t)(acc >> bits);
		}
	}
	/* the last character's unused bits must be zero: one spelling per value */
	bad |= acc & ((1u << bits) - 1);
	return bad == 0 && got == n ? 0 : PDV_E_INVAL;
}
