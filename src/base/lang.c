/*
 * lang.c — the supported language an Accept-Language header prefers
 * (pdv/lang.h). Each comma-separated item is "RANGE[;PARAM]..."; the range's
 * primary subtag (before "-") is compared without case, and a "q=" parameter
 * weighs it (0 to 1, three decimals at most; anything malformed weighs 0).
 */
#include <string.h>

#include "pdv/lang.h"

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* the weight of "q=V" in thousandths, or -1 when V is not a qvalue */
static int qvalue(const char *p, const char *end)
{
	int v = 0, digits = 0;

	while (p < end && is_space(*p))
		p++;
	while (end > p && is_space(end[-1]))
		end--;
	if (p == end || (*p != '0' && *p != '1'))
		return -1;
	v = (*p++ - '0') * 1000;
	if (p < end && *p == '.') {
		int scale = 100;

		for (p++; p < end && digits < 3 && *p >= '0' && *p <= '9'; p++, digits++) {
			v += (*p - '0') * scale;
			scale /= 10;
		}
	}
	return p == end && v <= 1000 ? v : -1;
}

bool pdv_lang_accept(const char *header, char out[3])
{
	const char *p = header, *stop;
	int best = 0;

	out[0] = '\0';
	if (!header)
		return false;
	stop = header + strnlen(header, PDV_ACCEPT_LANGUAGE_MAX);
	while (p < stop) {
		const char *item_end = memchr(p, ',', (size_t)(stop - p)), *r, *semi;
		char primary[3] = "";
		size_t n = 0;
		int q = 1000;

		if (!item_end)
			item_end = stop;
		r = p;
		while (r < item_end && is_space(*r))
			r++;
		semi = memchr(r, ';', (size_t)(item_end - r));
		for (const char *c = r; c < (semi ? semi : item_end) && *c != '-' && !is_space(*c);
		     c++, n++)
			if (n < 2)
				primary[n] = lower(*c);
		/* parameters: the weight, if any */
		for (const char *param = semi; param && param < item_end;) {
			const char *next = memchr(param + 1, ';', (size_t)(item_end - param - 1));
			const char *k = param + 1;

			while (k < item_end && is_space(*k))
				k++;
			if ((next ? next : item_end) - k >= 2 && lower(k[0]) == 'q' && k[1] == '=')
				q = qvalue(k + 2, next ? next : item_end);
			param = next;
		}
		if (n == 2 && q > best &&
		    (strcmp(primary, "fr") == 0 || strcmp(primary, "en") == 0)) {
			best = q;
			memcpy(out, primary, 3);
		}
		p = item_end + 1;
	}
	return out[0] != '\0';
}
