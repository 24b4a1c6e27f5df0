/*
 * test-buf-wipe.c — a buffer marked secret leaves nothing of its content in
 * memory it gives back: not when it grows, not when it is reset or released.
 *
 * Linked with ld --wrap=free,--wrap=realloc (tests/unit/meson.build), so every
 * free() and realloc() made by the buffer code passes through here first: a
 * block given back while it still holds the secret, or handed to realloc
 * (which frees the old block without wiping it), is counted. A plain buffer
 * is the control: the same growth does leave the secret behind.
 */
#define _GNU_SOURCE /* memmem */
#include <malloc.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pdv/buf.h"

void __real_free(void *p);
void *__real_realloc(void *p, size_t n);
void __wrap_free(void *p);
void *__wrap_realloc(void *p, size_t n);

static const char secret[] = "Zq7-secret-value";
static int left_behind; /* blocks given back still holding the secret */

static int holds_secret(void *p)
{
	return p && memmem(p, malloc_usable_size(p), secret, sizeof(secret) - 1) != NULL;
}

void __wrap_free(void *p)
{
	left_behind += holds_secret(p);
	__real_free(p);
}

void *__wrap_realloc(void *p, size_t n)
{
	left_behind += holds_secret(p); /* realloc may move it, and free the old block as is */
	return __real_realloc(p, n);
}

/* the secret, then enough appends to grow the buffer through several blocks */
static void grow(struct pdv_buf *b)
{
	assert_int_equal(pdv_buf_puts(b, secret), 0);
	for (int i = 0; i < 2000; i++)
		assert_int_equal(pdv_buf_puts(b, "0123456789"), 0);
	assert_int_equal(pdv_buf_printf(b, "%s", secret), 0);
}

static void test_plain_buffer_leaves_the_secret_behind(void **state)
{
	struct pdv_buf b;

	(void)state;
	left_behind = 0;
	pdv_buf_init(&b, 0);
	grow(&b);
	pdv_buf_release(&b);
	assert_true(left_behind > 0); /* the control: the check sees what is left */
}

static void test_secret_buffer_wipes_what_it_gives_back(void **state)
{
	struct pdv_buf b;

	(void)state;
	left_behind = 0;
	pdv_buf_init(&b, 0);
	pdv_buf_set_secret(&b);
	grow(&b);
	assert_int_equal(left_behind, 0); /* growth copied and wiped, never realloc */
	pdv_buf_reset(&b);
	assert_false(holds_secret(b.data)); /* reset wipes what it forgets */
	grow(&b);
	pdv_buf_release(&b);
	assert_int_equal(left_behind, 0);
	assert_null(b.data);
}

static void test_secret_buffer_marked_after_use(void **state)
{
	struct pdv_buf b;

	(void)state;
	left_behind = 0;
	pdv_buf_init(&b, 0);
	assert_int_equal(pdv_buf_puts(&b, "header,"), 0);
	pdv_buf_set_secret(&b); /* a caller's buffer, marked before values go in */
	grow(&b);
	pdv_buf_release(&b);
	assert_int_equal(left_behind, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_plain_buffer_leaves_the_secret_behind),
	    cmocka_unit_test(test_secret_buffer_wipes_what_it_gives_back),
	    cmocka_unit_test(test_secret_buffer_marked_after_use),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
