/*
 * json.c — pdv_json_text(): a JSON string from any C string, invalid UTF-8
 * written as U+FFFD (pdv_buf_put_utf8) instead of refused; and jansson's
 * memory wiped when freed.
 */
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "pdv/buf.h"
#include "pdv/json.h"

json_t *pdv_json_text(const char *s)
{
	struct pdv_buf b;
	json_t *j;

	if (!s)
		return json_null();
	if (pdv_utf8_valid(s, strlen(s)))
		return json_string(s);
	pdv_buf_init(&b, 0);
	if (pdv_buf_put_utf8(&b, s) < 0) {
		pdv_buf_release(&b);
		return NULL;
	}
	j = json_stringn(b.data ? b.data : "", b.len);
	pdv_buf_release(&b);
	return j;
}

static void wiping_free(void *p)
{
	if (!p)
		return;
	explicit_bzero(p, malloc_usable_size(p));
	free(p);
}

void pdv_json_wipe_freed(void)
{
	json_set_alloc_funcs(malloc, wiping_free);
}
