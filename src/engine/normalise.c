/*
 * normalise.c — lookup values in one canonical form, so the same person is
 * found again whatever way they typed it: emails trimmed and lowercased
 * (RFC 5321 lets the local part be case-sensitive; no mail system in use
 * treats it so, and a person typing their address in capitals is the same
 * person), phones in E.164 using the controller's country for national
 * numbers.
 */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "pdv/vault.h"

static void trim(const char **s, size_t *n)
{
	while (*n && isspace((unsigned char)**s))
		(*s)++, (*n)--;
	while (*n && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

int pdv_normalise_email(const char *in, size_t n, char *out, size_t size)
{
	size_t at = 0, ats = 0;

	trim(&in, &n);
	if (n < 3 || n > 254 || n + 1 > size)
		return PDV_E_INVAL;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c <= ' ' || c == 0x7f || c == '"' || c == '(' || c == ')' || c == ',' ||
		    c == ':' || c == ';' || c == '<' || c == '>' || c == '[' || c == ']' ||
		    c == '\\')
			return PDV_E_INVAL;
		if (c == '@')
			at = i, ats++;
		out[i] = (char)(c < 0x80 ? tolower(c) : c);
	}
	out[n] = '\0';
	if (ats != 1 || at == 0 || at > 64 || at + 1 >= n)
		return PDV_E_INVAL;
	const char *dom = out + at + 1;
	size_t dn = n - at - 1;
	if (!memchr(dom, '.', dn) || dom[0] == '.' || dom[dn - 1] == '.' || dom[0] == '-' ||
	    strstr(dom, ".."))
		return PDV_E_INVAL;
	if (out[0] == '.' || out[at - 1] == '.')
		return PDV_E_INVAL;
	for (size_t i = 0; i + 1 < at; i++)
		if (out[i] == '.' && out[i + 1] == '.')
			return PDV_E_INVAL;
	return 0;
}

struct dial {
	const char *country;
	const char *code;
	bool trunk_zero; /* national numbers start with a 0 that E.164 drops */
	int min, max;    /* national significant number length */
};

/* one row per entry, as the table reads */
/* clang-format off */
static const struct dial dials[] = {
	{"AT", "43", true, 6, 13},  {"BE", "32", true, 8, 9},   {"CH", "41", true, 9, 9},
	{"DE", "49", true, 6, 13},  {"DK", "45", false, 8, 8},  {"ES", "34", false, 9, 9},
	{"FI", "358", true, 6, 12}, {"FR", "33", true, 9, 9},   {"GB", "44", true, 9, 10},
	{"IE", "353", true, 7, 9},  {"IT", "39", false, 6, 11}, {"LU", "352", false, 4, 11},
	{"MC", "377", false, 8, 9}, {"NL", "31", true, 9, 9},   {"PL", "48", false, 9, 9},
	{"PT", "351", false, 9, 9}, {"SE", "46", true, 7, 10},  {"US", "1", false, 10, 10},
	{"CA", "1", false, 10, 10},
};
/* clang-format on */

int pdv_normalise_phone(const char *in, size_t n, const char *country, char *out, size_t size)
{
	char digits[32];
	size_t nd = 0;
	bool plus = false;
	const struct dial *dl = NULL;

	trim(&in, &n);
	for (size_t i = 0; i < n; i++) {
		char c = in[i];

		if (c == '+' && nd == 0 && !plus)
			plus = true;
		else if (isdigit((unsigned char)c)) {
			if (nd + 1 >= sizeof(digits))
				return PDV_E_INVAL;
			digits[nd++] = c;
		} else if (c != ' ' && c != '.' && c != '-' && c != '(' && c != ')' && c != '/')
			return PDV_E_INVAL;
	}
	digits[nd] = '\0';
	if (!plus && nd > 2 && digits[0] == '0' && digits[1] == '0') {
		/* 00 international prefix */
		memmove(digits, digits + 2, nd - 1);
		nd -= 2;
		plus = true;
	}
	if (!plus) {
		for (size_t i = 0; country && i < sizeof(dials) / sizeof(dials[0]); i++)
			if (strcmp(dials[i].country, country) == 0)
				dl = &dials[i];
		if (!dl)
			return PDV_E_INVAL; /* a national number needs a known country */
		const char *nsn = digits;
		size_t nn = nd;
		if (dl->trunk_zero) {
			if (nn == 0 || nsn[0] != '0')
				return PDV_E_INVAL;
			nsn++, nn--;
		}
		if ((int)nn < dl->min || (int)nn > dl->max)
			return PDV_E_INVAL;
		size_t cl = strlen(dl->code);
		if (1 + cl + nn + 1 > size)
			return PDV_E_INVAL;
		out[0] = '+';
		memcpy(out + 1, dl->code, cl);
		memcpy(out + 1 + cl, nsn, nn);
		out[1 + cl + nn] = '\0';
		return 0;
	}
	/* E.164: at most 15 digits, no leading zero in the country code */
	if (nd < 8 || nd > 15 || digits[0] == '0' || nd + 2 > size)
		return PDV_E_INVAL;
	out[0] = '+';
	memcpy(out + 1, digits, nd + 1);
	/* a national trunk zero written after the country code: +33 (0)6... */
	for (size_t i = 0; i < sizeof(dials) / sizeof(dials[0]); i++) {
		size_t cl = strlen(dials[i].code);
		if (dials[i].trunk_zero && strncmp(digits, dials[i].code, cl) == 0 &&
		    digits[cl] == '0') {
			memmove(out + 1 + cl, out + 2 + cl, nd - cl);
			break;
		}
	}
	return 0;
}
