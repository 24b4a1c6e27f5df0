/*
 * fuzz-time.c — libFuzzer target for the time reader of what people type
 * (pdv_time_parse_local). Any input is read without a crash; an accepted
 * one is an instant of years 1 to 9999 whose UTC form reads back to itself
 * through both readers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pdv/time.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[64], utc[21];
	pdv_time_t t, again, strict;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (pdv_time_parse_local(text, &t, NULL) < 0)
		return 0;
	pdv_time_format(t, utc);
	if (pdv_time_parse_local(utc, &again, NULL) < 0 || again != t ||
	    pdv_time_parse(utc, &strict, NULL) < 0 || strict != t)
		abort();
	return 0;
}
