/*
 * pdv/reference.h — the reference a person quotes to follow their request:
 * 8 Crockford base32 characters (40 bits) and Crockford's check character
 * (the value mod 37), e.g. "7X3K9QAB" + "M".
 *
 * A reference is said over the phone and typed from an email, so reading
 * is forgiving as Crockford has it: case does not matter, I and L read as 1,
 * O as 0, and hyphens (and the spaces around the whole) are ignored. The
 * check character catches a mistyped character and most swaps of two: such
 * a reference is refused, never read as another one. The canonical spelling
 * is upper case, without hyphens: what the store keeps and the vault shows.
 * Pure: no I/O, no allocation.
 */
#ifndef PDV_REFERENCE_H
#define PDV_REFERENCE_H

#include <stddef.h>
#include <stdint.h>

#include "pdv/error.h"

#define PDV_REFERENCE_CHARS 9 /* 8 + the check character */
#define PDV_REFERENCE_MAX 10  /* with the NUL */
#define PDV_REFERENCE_MASK ((UINT64_C(1) << 40) - 1)

/* the canonical spelling of the low 40 bits of value */
void pdv_reference_format(uint64_t value, char out[PDV_REFERENCE_MAX]);

enum pdv_reference_fault {
	PDV_REFERENCE_OK,
	PDV_REFERENCE_SHAPE, /* not 8 characters and a check character of the alphabet */
	PDV_REFERENCE_CHECK, /* well formed, but the check character does not match */
};

/* read what a person typed: 0 with the canonical spelling in out and the
 * value in *ret_value (may be NULL), or PDV_E_INVAL with the fault in
 * *ret_fault (may be NULL) */
int pdv_reference_parse(const char *text, char out[PDV_REFERENCE_MAX], uint64_t *ret_value,
                        enum pdv_reference_fault *ret_fault) PDV_WUR;

#endif
