/*
 * pdv/utf8.h — the one UTF-8 decoder, and what is built on it.
 *
 * Every place that reads UTF-8 (the escaping writers, the validation of a
 * value or a declared text, the declaration loader's scan and position
 * counting) decodes through pdv_utf8_decode(), so they all agree on what
 * valid UTF-8 is: RFC 3629, no overlong form, no surrogate (U+D800-U+DFFF),
 * nothing above U+10FFFF, no sequence cut by the end of the input. U+0000 is
 * valid UTF-8 (a caller that refuses NUL says so itself).
 */
#ifndef PDV_UTF8_H
#define PDV_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Decode the character at s (n > 0 bytes available): its length in bytes
 * (1 to 4), with the code point in *ret_cp (ret_cp may be NULL); 0 when the
 * bytes there are not valid UTF-8, and then *ret_cp is not written.
 */
size_t pdv_utf8_decode(const char *s, size_t n, uint32_t *ret_cp);

/* Are the n bytes at s valid UTF-8 throughout? */
bool pdv_utf8_valid(const char *s, size_t n);

/*
 * Truncation on character boundaries. Every text pdvault shortens (a value
 * quoted in a message, a message that does not fit its buffer) is cut here, so
 * a cut never leaves half a UTF-8 character that would make the text invalid
 * (and drop it from a JSON document). pdv_utf8_cut() returns the length of
 * the longest prefix of s of at most max bytes that does not end inside a
 * character; PDV_UTF8_CUT(s, max) is the two arguments of a "%.*s" that
 * prints it (s is evaluated twice).
 */
size_t pdv_utf8_cut(const char *s, size_t max);
#define PDV_UTF8_CUT(s, max) (int)pdv_utf8_cut((s), (max)), (s)

#endif
