/*
 * pdv/buf.h — a growable byte buffer with a hard maximum.
 *
 * Every growable buffer in pdvault has a maximum size (curl's rule): an append
 * that would pass it fails with PDV_E_LIMIT and leaves the buffer as it was.
 * The content is always NUL-terminated (the terminator is not counted in len),
 * so a buffer holding text can be used as a C string.
 *
 * A buffer that holds personal data (a decrypted value, an export) is marked
 * secret: then no memory it gives back holds its content. It grows by copying
 * into a new block and wiping the old one (realloc would free the old block as
 * it is), and reset and release wipe what they drop. Mark it before the first
 * value goes in; what pdv_buf_steal() hands over is the caller's to wipe.
 */
#ifndef PDV_BUF_H
#define PDV_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "pdv/error.h"
#include "pdv/utf8.h"

#define PDV_BUF_DEFAULT_MAX ((size_t)256 * 1024 * 1024)

struct pdv_buf {
	char *data; /* NULL until the first append */
	size_t len;
	size_t cap;
	size_t max;  /* 0 means PDV_BUF_DEFAULT_MAX */
	bool secret; /* wipe every block given back (pdv_buf_set_secret) */
};

void pdv_buf_init(struct pdv_buf *b, size_t max);
void pdv_buf_set_secret(struct pdv_buf *b);
void pdv_buf_release(struct pdv_buf *b);
void pdv_buf_reset(struct pdv_buf *b); /* len = 0, memory kept */

/* room for `extra` more bytes and a NUL after them */
int pdv_buf_reserve(struct pdv_buf *b, size_t extra) PDV_WUR;
int pdv_buf_append(struct pdv_buf *b, const void *p, size_t n) PDV_WUR;
int pdv_buf_puts(struct pdv_buf *b, const char *s) PDV_WUR;
int pdv_buf_putc(struct pdv_buf *b, char c) PDV_WUR;
int pdv_buf_printf(struct pdv_buf *b, const char *fmt, ...) PDV_PRINTF(2, 3) PDV_WUR;

/* Hand the content to the caller (free() it); the buffer is left empty. */
char *pdv_buf_steal(struct pdv_buf *b);

/*
 * Escaping writers for the output formats. Each appends s escaped for its
 * format; invalid UTF-8 is written as U+FFFD so the output stays valid.
 */
int pdv_buf_put_html(struct pdv_buf *b, const char *s) PDV_WUR; /* & < > " ' */
int pdv_buf_put_csv(struct pdv_buf *b,
                    const char *s) PDV_WUR; /* RFC 4180 field, quoted when needed */
int pdv_buf_put_md(struct pdv_buf *b, const char *s) PDV_WUR; /* Markdown inline text, table-safe */
int pdv_buf_put_json(struct pdv_buf *b, const char *s) PDV_WUR; /* a JSON string, with its quotes */
int pdv_buf_put_utf8(struct pdv_buf *b, const char *s) PDV_WUR; /* text as is, but valid UTF-8 */

/* Small string helpers (pdv/utf8.h has the UTF-8 ones). */
/* vsnprintf() whose truncation, when the text does not fit, is pdv_utf8_cut() */
int pdv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap) PDV_PRINTF(3, 0);
/* bounded copy that always terminates, cut on a character boundary; returns
 * the length it wanted */
size_t pdv_strlcpy(char *dst, const char *src, size_t size);
/* ASCII case-insensitive search; NULL when absent */
const char *pdv_strcasestr(const char *hay, const char *needle);

#endif
