/*
 * fuzz-migrations.c — the record of the migrations beside the key file
 * (KEYFILE.migrations, migrate.c), read as pdv_migrate_moved reads it: the
 * whole input is the file's text, cut into lines, each parsed, and a store's
 * last entry looked up. The seeds' moves are 7/ab..ab and 42/11..11.
 *
 * A lookup says moved (naming the store and a target) or nothing, and then
 * leaves the error untouched; seq 0 is never a move, and a text without the
 * record's first line names none. A move added as the last line of a record
 * is always found, whatever comes before it, and its message is exactly
 * the one for a vault that moved once since; with its AT taken from the
 * input's last 8 bytes, it is found with that date spelled when AT is a
 * time of years 1 to 9999, and is damage (not a move) when it is not.
 * Undefined behaviour stops the run, as a crash does.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "migrate-record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__ubsan_default_options(void);

/* undefined behaviour is a finding, not a line in the log (make fuzz fails) */
const char *__ubsan_default_options(void)
{
	return "halt_on_error=1:print_stacktrace=1";
}

#define MAGIC "pdvault-migrations 1\n"
#define STORE "fuzz"
#define MOVED "store '" STORE "' is not the vault any more: it was migrated to "
#define ADDED "1000\t5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a\t"
#define ONCE                                                                                       \
	" (pdvault migrate; the audit head beside the key file moved with it); use --db "          \
	"/fuzz/target (or PDVAULT_DB)"
#define AT_MIN INT64_C(-62135596800) /* 0001-01-01T00:00:00Z */
#define AT_MAX INT64_C(253402300799) /* 9999-12-31T23:59:59Z */

/* one lookup on a fresh copy of the text (the call cuts it up) */
static int lookup(const char *text, size_t len, const char *more, int64_t seq, uint8_t byte,
                  struct pdv_error *err)
{
	size_t extra = more ? strlen(more) : 0;
	uint8_t hash[PDV_MIGRATE_HASH_LEN];
	char *copy;
	int rc;

	if (!(copy = malloc(len + extra + 1)))
		abort();
	memcpy(copy, text, len);
	memcpy(copy + len, more ? more : "", extra);
	copy[len + extra] = '\0';
	memset(hash, byte, sizeof(hash));
	pdv_error_clear(err);
	rc = pdv_migrate_moves_find(copy, seq, hash, STORE, err);
	free(copy);
	if (rc == 0) {
		if (err->rc != 0 || err->msg[0] != '\0')
			abort(); /* nothing found: the caller's own error stands */
	} else if (rc != PDV_E_MOVED || err->rc != PDV_E_MOVED ||
	           strnlen(err->msg, sizeof(err->msg)) == sizeof(err->msg) ||
	           strncmp(err->msg, MOVED, strlen(MOVED)) != 0) {
		abort();
	}
	return rc;
}

/* YYYY-MM-DDTHH:MM:SSZ, then the rest of the message */
static bool spells_date(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";

	for (size_t i = 0; i < sizeof(shape) - 1; i++)
		if (shape[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != shape[i])
			return false;
	return memcmp(s, "0000", 4) != 0; /* years 1 to 9999 */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct pdv_error err;
	bool record = size >= strlen(MAGIC) && memcmp(text, MAGIC, strlen(MAGIC)) == 0;

	if (lookup(text, size, NULL, 7, 0xab, &err) != 0 && !record)
		abort();
	if (lookup(text, size, NULL, 42, 0x11, &err) != 0 && !record)
		abort();
	if (lookup(text, size, NULL, 0, 0x00, &err) != 0)
		abort();
	/* the file as read stops at a NUL: a move after one is not seen */
	if (record && !memchr(text, '\0', size)) {
		char line[256], *m = err.msg + strlen(MOVED "/fuzz/target on ");
		int64_t at = INT64_C(1796645382);

		snprintf(line, sizeof(line), "\n" ADDED "%" PRId64 "\t/fuzz/target\t/fuzz/source\n",
		         at);
		if (lookup(text, size, line, 1000, 0x5a, &err) != PDV_E_MOVED ||
		    strcmp(err.msg, MOVED "/fuzz/target on 2026-12-07T12:09:42Z" ONCE) != 0)
			abort();
		/* any AT from the input's last bytes: a date, or the line is damage */
		if (size >= 8)
			memcpy(&at, text + size - 8, 8);
		snprintf(line, sizeof(line), "\n" ADDED "%" PRId64 "\t/fuzz/target\t/fuzz/source\n",
		         at);
		int rc = lookup(text, size, line, 1000, 0x5a, &err);
		if (at < AT_MIN || at > AT_MAX) {
			if (rc != 0)
				abort();
		} else if (rc != PDV_E_MOVED || !spells_date(m) || strcmp(m + 20, ONCE) != 0) {
			abort();
		}
	}
	return 0;
}
