/*
 * fuzz-accept-language.c — pdv_lang_accept (src/base/lang.c) on any bytes:
 * it reads no further than the NUL, never crashes, and chooses "fr", "en" or
 * nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pdv/lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[3], *buf = malloc(size + 1);
	bool ok;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	ok = pdv_lang_accept(buf, out);
	if (ok ? strcmp(out, "fr") != 0 && strcmp(out, "en") != 0 : out[0] != '\0')
		abort();
	free(buf);
	return 0;
}
