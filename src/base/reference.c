/*
 * reference.c — Crockford base32 references with their mod-37 check
 * character (pdv/reference.h).
 */
#include <string.h>

#include "pdv/reference.h"

/* the 32 symbols, then the 5 more a check character may be */
static const char symbols[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U";

void pdv_reference_format(uint64_t value, char out[PDV_REFERENCE_MAX])
{
	value &= PDV_REFERENCE_MASK;
	for (int i = 7; i >= 0; i--)
		out[7 - i] = symbols[(value >> (5 * i)) & 31];
	out[8] = symbols[value % 37];
	out[9] = '\0';
}

/* the value of a symbol as typed (check: the 5 extra symbols too), or -1 */
static int symbol_value(char c, int check)
{
	const char *p;

	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (c == 'I' || c == 'L')
		c = '1';
	else if (c == 'O')
		c = '0';
	if (c == '\0' || !(p = strchr(symbols, c)))
		return -1;
	if (p - symbols >= 32 && !check)
		return -1;
	return (int)(p - symbols);
}

int pdv_reference_parse(const char *text, char out[PDV_REFERENCE_MAX], uint64_t *ret_value,
                        enum pdv_reference_fault *ret_fault)
{
	enum pdv_reference_fault fault = PDV_REFERENCE_SHAPE;
	uint64_t value = 0;
	size_t n = 0, len;
	int digits[PDV_REFERENCE_CHARS];

	if (!text)
		goto refused;
	len = strlen(text);
	while (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
		len--;
	while (len && (*text == ' ' || *text == '\t'))
		text++, len--;
	for (size_t i = 0; i < len; i++) {
		int d;

		if (text[i] == '-')
			continue;
		if (n == PDV_REFERENCE_CHARS)
			goto refused;
		/* which position is the check one is known only at the end: read
		 * every character as a possible check, then narrow */
		if ((d = symbol_value(text[i], 1)) < 0)
			goto refused;
		digits[n++] = d;
	}
	if (n != PDV_REFERENCE_CHARS)
		goto refused;
	for (size_t i = 0; i < 8; i++) {
		if (digits[i] >= 32)
			goto refused;
		value = value << 5 | (uint64_t)digits[i];
	}
	if ((uint64_t)digits[8] != value % 37) {
		fault = PDV_REFERENCE_CHECK;
		goto refused;
	}
	pdv_reference_format(value, out);
	if (ret_value)
		*ret_value = value;
	if (ret_fault)
		*ret_fault = PDV_REFERENCE_OK;
	return 0;
refused:
	out[0] = '\0';
	if (ret_fault)
		*ret_fault = fault;
	return PDV_E_INVAL;
}
