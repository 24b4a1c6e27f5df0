/*
 * fuzz-reference.c — libFuzzer target for the reference reader. Any input
 * is read without a crash; an accepted one is 9 canonical characters that
 * read back to themselves and format from the value read.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pdv/reference.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[64], out[PDV_REFERENCE_MAX], again[PDV_REFERENCE_MAX], fmt[PDV_REFERENCE_MAX];
	uint64_t v;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (pdv_reference_parse(text, out, &v, NULL) < 0)
		return 0;
	pdv_reference_format(v, fmt);
	if (strlen(out) != PDV_REFERENCE_CHARS || strcmp(out, fmt) != 0 ||
	    pdv_reference_parse(out, again, NULL, NULL) < 0 || strcmp(again, out) != 0)
		abort();
	return 0;
}
