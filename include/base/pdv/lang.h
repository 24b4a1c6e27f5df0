/*
 * pdv/lang.h — the language a person's messages are written in, from an
 * HTTP Accept-Language header (RFC 9110 section 12.5.4).
 *
 * pdvault writes to people in French or English. The header lists language
 * ranges with optional weights ("fr-CA,fr;q=0.9,en;q=0.8"); the one chosen
 * is the supported language of the highest weight, the first listed on a
 * tie. "*" and unsupported languages choose nothing; q=0 refuses a language.
 * Pure: no I/O, no allocation; the header is read up to its NUL, at most
 * PDV_ACCEPT_LANGUAGE_MAX bytes of it.
 */
#ifndef PDV_LANG_H
#define PDV_LANG_H

#include <stdbool.h>

#define PDV_ACCEPT_LANGUAGE_MAX 4096

/* true with "fr" or "en" in out; false (out "") when the header names neither */
bool pdv_lang_accept(const char *header, char out[3]);

#endif
