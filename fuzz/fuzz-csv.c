/*
 * fuzz-csv.c — libFuzzer target for the streaming CSV reader. Any input is
 * read to its end without a crash or a hang: every call returns a record, a
 * located refusal or the end; records hold at most the limits; line numbers
 * never go backwards.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "pdv/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fmemopen((void *)data, size, "r");
	struct pdv_csv csv;
	unsigned long last = 0;
	int r;

	if (!f)
		return 0;
	if (pdv_csv_open(&csv, f, 256, 8, NULL) < 0) {
		fclose(f);
		return 0;
	}
	for (int n = 0; n < 100000; n++) {
		r = pdv_csv_next(&csv, NULL);
		if (r < 0 || r == PDV_CSV_EOF)
			break;
		if (csv.record_line < last)
			abort();
		last = csv.record_line;
		if (r == PDV_CSV_RECORD) {
			size_t total = 0;

			if (csv.n_fields > 8)
				abort();
			for (size_t i = 0; i < csv.n_fields; i++)
				total += csv.fields[i].len;
			if (total > 256)
				abort();
		}
	}
	pdv_csv_release(&csv);
	fclose(f);
	return 0;
}
