/*
 * buf.c — growable buffers with a maximum, the escaping writers of the output
 * formats, and small string helpers.
 *
 * Invariant: after any call, data is NULL or NUL-terminated at data[len]; a
 * failed append leaves len and the content unchanged.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdv/buf.h"

void pdv_buf_init(struct pdv_buf *b, size_t max)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : PDV_BUF_DEFAULT_MAX;
	b->secret = false;
}

void pdv_buf_set_secret(struct pdv_buf *b)
{
	b->secret = true;
}

void pdv_buf_release(struct pdv_buf *b)
{
	if (b->secret && b->data)
		explicit_bzero(b->data, b->cap);
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void pdv_buf_reset(struct pdv_buf *b)
{
	if (b->secret && b->data)
		explicit_bzero(b->data, b->len);
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

/* a new block of cap bytes holding the content; a secret's old block is wiped */
static char *buf_grow(struct pdv_buf *b, size_t cap)
{
	char *p;

	if (!b->secret)
		return realloc(b->data, cap);
	if (!(p = malloc(cap)))
		return NULL;
	if (b->data) {
		memcpy(p, b->data, b->len + 1);
		explicit_bzero(b->data, b->cap);
		free(b->data);
	}
	return p;
}

static int buf_reserve(struct pdv_buf *b, size_t extra)
{
	size_t max = b->max ? b->max : PDV_BUF_DEFAULT_MAX;
	size_t need, cap;
	char *p;

	if (extra > max || b->len > max - extra)
		return PDV_E_LIMIT;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if (cap > max + 1)
		cap = max + 1;
	p = buf_grow(b, cap);
	if (!p)
		return PDV_E_NOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

int pdv_buf_reserve(struct pdv_buf *b, size_t extra)
{
	return buf_reserve(b, extra);
}

int pdv_buf_append(struct pdv_buf *b, const void *p, size_t n)
{
	int r = buf_reserve(b, n);

	if (r < 0)
		return r;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int pdv_buf_puts(struct pdv_buf *b, const char *s)
{
	return pdv_buf_append(b, s, strlen(s));
}

int pdv_buf_putc(struct pdv_buf *b, char c)
{
	return pdv_buf_append(b, &c, 1);
}

int pdv_buf_printf(struct pdv_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n, r;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return PDV_E_INVAL;
	r = buf_reserve(b, (size_t)n);
	if (r < 0)
		return r;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

char *pdv_buf_steal(struct pdv_buf *b)
{
	char *p = b->data;

	if (!p) {
		p = calloc(1, 1);
	}
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	return p;
}

/*
 * Walk s, handing each valid UTF-8 sequence to emit(); invalid bytes become
 * U+FFFD so that every output format stays valid.
 */
typedef int (*emit_fn)(struct pdv_buf *b, const char *seq, size_t len);

static int escape_walk_n(struct pdv_buf *b, const char *s, size_t n, emit_fn emit)
{
	size_t i = 0;
	int r;

	while (i < n) {
		size_t l = pdv_utf8_decode(s + i, n - i, NULL);
		if (!l) {
			r = pdv_buf_puts(b, "\xef\xbf\xbd");
			i++;
		} else {
			r = emit(b, s + i, l);
			i += l;
		}
		if (r < 0)
			return r;
	}
	return 0;
}

static int escape_walk(struct pdv_buf *b, const char *s, emit_fn emit)
{
	return escape_walk_n(b, s, strlen(s), emit);
}

static int emit_html(struct pdv_buf *b, const char *seq, size_t len)
{
	if (len == 1) {
		switch (seq[0]) {
		case '&':
			return pdv_buf_puts(b, "&amp;");
		case '<':
			return pdv_buf_puts(b, "&lt;");
		case '>':
			return pdv_buf_puts(b, "&gt;");
		case '"':
			return pdv_buf_puts(b, "&quot;");
		case '\'':
			return pdv_buf_puts(b, "&#39;");
		default:
			break;
		}
	}
	return pdv_buf_append(b, seq, len);
}

static int emit_plain(struct pdv_buf *b, const char *seq, size_t len)
{
	return pdv_buf_append(b, seq, len);
}

static int emit_md(struct pdv_buf *b, const char *seq, size_t len)
{
	if (len == 1) {
		switch (seq[0]) {
		case '\n':
			return pdv_buf_puts(b, "<br>");
		case '\r':
			return 0;
		case '\\':
		case '`':
		case '*':
		case '_':
		case '[':
		case ']':
		case '|':
		case '<':
		case '>':
		case '#':
			if (pdv_buf_putc(b, '\\') < 0)
				return PDV_E_NOMEM;
			break;
		default:
			break;
		}
	}
	return pdv_buf_append(b, seq, len);
}

static int emit_json(struct pdv_buf *b, const char *seq, size_t len)
{
	unsigned char c = (unsigned char)seq[0];

	if (len == 1) {
		switch (c) {
		case '"':
			return pdv_buf_puts(b, "\\\"");
		case '\\':
			return pdv_buf_puts(b, "\\\\");
		case '\n':
			return pdv_buf_puts(b, "\\n");
		case '\r':
			return pdv_buf_puts(b, "\\r");
		case '\t':
			return pdv_buf_puts(b, "\\t");
		default:
			if (c < 0x20 || c == 0x7f)
				return pdv_buf_printf(b, "\\u%04x", c);
		}
	}
	return pdv_buf_append(b, seq, len);
}

int pdv_buf_put_html(struct pdv_buf *b, const char *s)
{
	return escape_walk(b, s, emit_html);
}

int pdv_buf_put_md(struct pdv_buf *b, const char *s)
{
	return escape_walk(b, s, emit_md);
}

int pdv_buf_put_json(struct pdv_buf *b, const char *s)
{
	int r = pdv_buf_putc(b, '"');

	if (r < 0)
		return r;
	r = escape_walk(b, s, emit_json);
	if (r < 0)
		return r;
	return pdv_buf_putc(b, '"');
}

int pdv_buf_put_utf8(struct pdv_buf *b, const char *s)
{
	return escape_walk(b, s, emit_plain);
}

int pdv_buf_put_csv(struct pdv_buf *b, const char *s)
{
	bool quote =
	    strpbrk(s, ",\"\r\n;") != NULL || s[0] == ' ' || (s[0] && s[strlen(s) - 1] == ' ');
	int r;

	/* a cell starting with = + - @ is a formula to a spreadsheet: quote it
	 * with a leading apostrophe so the register cannot run code */
	if (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')
		quote = true;
	if (!quote)
		return escape_walk(b, s, emit_plain);
	if ((r = pdv_buf_putc(b, '"')) < 0)
		return r;
	if (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')
		if ((r = pdv_buf_putc(b, '\'')) < 0)
			return r;
	for (const char *p = s; *p; p++) {
		const char *q = strchr(p, '"');
		size_t n = q ? (size_t)(q - p) : strlen(p);

		/* in place, not a copy: the value may be personal data */
		if ((r = escape_walk_n(b, p, n, emit_plain)) < 0)
			return r;
		if (!q)
			break;
		if ((r = pdv_buf_puts(b, "\"\"")) < 0)
			return r;
		p = q;
	}
	return pdv_buf_putc(b, '"');
}

int pdv_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	int r = vsnprintf(buf, size, fmt, ap);

	if (r >= 0 && size && (size_t)r >= size)
		buf[pdv_utf8_cut(buf, size - 1)] = '\0';
	return r;
}

size_t pdv_strlcpy(char *dst, const char *src, size_t size)
{
	size_t n = strlen(src);

	if (size) {
		size_t c = pdv_utf8_cut(src, size - 1);
		memcpy(dst, src, c);
		dst[c] = '\0';
	}
	return n;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

const char *pdv_strcasestr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	int first = lower((unsigned char)needle[0]);

	if (!n)
		return hay;
	for (; *hay; hay++) {
		size_t i = 1;
		/* most positions fail on the first byte: test it alone */
		if (lower((unsigned char)*hay) != first)
			continue;
		while (i < n && hay[i] &&
		       lower((unsigned char)hay[i]) == lower((unsigned char)needle[i]))
			i++;
		if (i == n)
			return hay;
	}
	return NULL;
}
