/*
 * fuzz-loader.c — libFuzzer target for the declaration loader: any bytes
 * must either load (and be released) or be refused with a position; never a
 * crash, a hang, a leak or unbounded memory.
 */
#include <stddef.h>
#include <stdint.h>

#include "pdv/decl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pdv_decl *d = NULL;
	struct pdv_error err = {0};

	if (pdv_decl_load_mem("fuzz.yml", (const char *)data, size, &d, &err) == 0) {
		/* touch what the other modules read first */
		(void)pdv_decl_fy_end(d, NULL, NULL);
		for (size_t i = 0; i < d->n_activities; i++)
			(void)pdv_text_get(&d->activities[i].name, "en");
		pdv_decl_free(d);
	} else if (err.rc != PDV_E_NOMEM && (err.pos.line == 0 || err.pos.col == 0)) {
		__builtin_trap(); /* every refusal of bytes has a position */
	}
	return 0;
}
