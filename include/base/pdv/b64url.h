/*
 * pdv/b64url.h — unpadded URL-safe base64 (RFC 4648 section 5), the one
 * codec of every opaque string pdvault hands out: ids, consent sessions,
 * unsubscribe links, API tokens.
 *
 * Pure (no I/O, no allocation). Both directions run in time that depends on
 * the length only, never on the bytes (no table indexed by a secret), since
 * they carry API tokens and MACs. The decoder is strict, so one byte string
 * has exactly one spelling: the length must be that of n bytes, no padding,
 * only the 64 URL-safe characters, and the unused low bits of the last
 * character must be zero.
 */
#ifndef PDV_B64URL_H
#define PDV_B64URL_H

#include <stddef.h>
#include <stdint.h>

#include "pdv/error.h"

/* characters for n bytes, without the NUL */
#define PDV_B64URL_CHARS(n) (((n)*4 + 2) / 3)

/* n bytes into out, NUL-terminated; out_size below PDV_B64URL_CHARS(n) + 1
 * is a programming error: it aborts rather than hand out a cut id */
void pdv_b64url_encode(const uint8_t *in, size_t n, char *out, size_t out_size);

/* exactly n bytes from s; 0, or PDV_E_INVAL (out then undefined) */
int pdv_b64url_decode(const char *s, uint8_t *out, size_t n) PDV_WUR;

#endif
