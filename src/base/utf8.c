/*
 * utf8.c — the one UTF-8 decoder (see pdv/utf8.h), validation, and cuts on
 * character boundaries.
 *
 * pdv_utf8_decode() is the only code in pdvault that takes a UTF-8 sequence
 * apart; pdv_utf8_cut() only looks for where a character starts and never
 * judges validity (a cut keeps what is not UTF-8 as bytes).
 */
#include <string.h>

#include "pdv/utf8.h"

size_t pdv_utf8_decode(const char *s, size_t n, uint32_t *ret_cp)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t len;

	if (p[0] < 0x80) {
		len = 1, cp = p[0];
		goto out;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) /* 0xc0 and 0xc1 only start overlong forms */
		len = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
out:
	if (ret_cp)
		*ret_cp = cp;
	return len;
}

bool pdv_utf8_valid(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t l = pdv_utf8_decode(s + i, n - i, NULL);
		if (!l)
			return false;
		i += l;
	}
	return true;
}

size_t pdv_utf8_cut(const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strnlen(s, max), start = n, need;

	/* the last character of the prefix starts at most 3 bytes before its end;
	 * the prefix may end anywhere, even where s has its NUL (vsnprintf's cut) */
	while (start > 0 && n - start < 3 && (p[start - 1] & 0xc0) == 0x80)
		start--;
	if (start == 0 || p[start - 1] < 0xc0)
		return n; /* ends with ASCII, or not UTF-8 there: nothing to keep whole */
	start--;          /* the lead byte, and the length it announces */
	need = p[start] >= 0xf0 ? 4 : p[start] >= 0xe0 ? 3 : 2;
	return n - start < need ? start : n;
}
