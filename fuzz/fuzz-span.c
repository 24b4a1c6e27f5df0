/*
 * fuzz-span.c — libFuzzer target for the retention span parser. Every input
 * must either be refused with a column inside the text (or just past it), or
 * parse into a span whose canonical form parses back to the same span.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pdv/retention.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* field by field: struct padding is not part of a span */
static int trigger_eq(const struct pdv_trigger *a, const struct pdv_trigger *b)
{
	return a->kind == b->kind &&
	       (a->kind != PDV_TRIGGER_EVENT || strcmp(a->event, b->event) == 0);
}

static int span_eq(const struct pdv_span *a, const struct pdv_span *b)
{
	if (a->kind != b->kind || a->has_cap != b->has_cap)
		return 0;
	if (a->kind == PDV_SPAN_UNTIL ? strcmp(a->until, b->until) != 0
	                              : a->dur.n != b->dur.n || a->dur.unit != b->dur.unit ||
	                                    !trigger_eq(&a->from, &b->from))
		return 0;
	return !a->has_cap || (a->cap.n == b->cap.n && a->cap.unit == b->cap.unit &&
	                       trigger_eq(&a->cap_from, &b->cap_from));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pdv_span sp, again;
	struct pdv_error err;
	char canon[256], words[512];
	char *s;

	if (size > 4096)
		return 0;
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	pdv_error_clear(&err);
	if (pdv_span_parse(s, &sp, &err) == 0) {
		pdv_span_format(&sp, canon, sizeof(canon));
		if (pdv_span_parse(canon, &again, NULL) != 0 || !span_eq(&sp, &again))
			abort();
		pdv_span_describe(&sp, "fr", words, sizeof(words));
		pdv_span_describe(&sp, "en", words, sizeof(words));
	} else if (err.pos.col < 1 || err.pos.col > strlen(s) + 1) {
		abort();
	}
	free(s);
	return 0;
}
