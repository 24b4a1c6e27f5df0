/*
 * ids.c — the opaque ids shown outside: a kind letter and 22 URL-safe
 * characters encoding the row's random tag and its sequential id. The tag
 * makes ids unguessable; the row id makes the lookup an index probe.
 */
#include <string.h>

#include "engine/engine-internal.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void pdv_id_format(char kind, int64_t id, const uint8_t tag[PDV_TAG_LEN], char out[PDV_ID_MAX])
{
	uint8_t raw[16];

	/* the random tag first, so ids do not share a visible prefix */
	memcpy(raw, tag, PDV_TAG_LEN);
	for (int i = 0; i < 8; i++)
		raw[8 + i] = (uint8_t)((uint64_t)id >> (56 - 8 * i));
	out[0] = kind;
	pdv_base64url(raw, sizeof(raw), out + 1, PDV_ID_MAX - 1);
}

static int b64val(char c)
{
	const char *p = c ? strchr(alphabet, c) : NULL;

	return p ? (int)(p - alphabet) : -1;
}

int pdv_id_parse(const char *s, char kind, int64_t *ret_id, uint8_t ret_tag[PDV_TAG_LEN])
{
	uint8_t raw[16];
	uint64_t id = 0;

	/* kind, then tag 8 | id 8 in 22 base64url characters */
	if (!s || s[0] != kind || pdv_b64url_decode(s + 1, raw, sizeof(raw)) < 0)
		return PDV_E_INVAL;
	for (int i = 0; i < 8; i++)
		id = id << 8 | raw[8 + i];
	if (id == 0 || id > INT64_MAX)
		return PDV_E_INVAL;
	*ret_id = (int64_t)id;
	memcpy(ret_tag, raw, PDV_TAG_LEN);
	return 0;
}

int pdv_b64url_decode(const char *s, uint8_t *out, size_t n)
{
	uint32_t acc = 0;
	size_t got = 0;
	int bits = 0;

	if (!s || strlen(s) != (4 * n + 2) / 3)
		return PDV_E_INVAL;
	for (const char *p = s; *p; p++) {
		int v = b64val(*p);

		if (v < 0)
			return PDV_E_INVAL;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (got == n)
				return PDV_E_INVAL;
			out[got++] = (uint8_t)(acc >> bits);
		}
	}
	return got == n && (acc & ((1u << bits) - 1)) == 0 ? 0 : PDV_E_INVAL;
}
