/*
 * pdv/error.h — the one error type of pdvault.
 *
 * A function that can fail returns int: 0, or a negative enum pdv_rc. Its last
 * parameter is a struct pdv_error * (may be NULL) that receives a fixed-size
 * human message and, for parse errors, the file position at fault.
 *
 * Invariants:
 *  - messages are lowercase, with no final full stop, and never contain a
 *    personal-data value: they name a field, a key, a line or an id;
 *  - every code maps to one process exit status and one HTTP status
 *    (pdv_rc_exit_status, pdv_rc_http_status), so the CLI and the server agree.
 */
#ifndef PDV_ERROR_H
#define PDV_ERROR_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define PDV_WUR __attribute__((warn_unused_result))
#define PDV_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PDV_WUR
#define PDV_PRINTF(f, a)
#endif

enum pdv_rc {
	PDV_OK = 0,
	PDV_E_NOMEM = -1,    /* allocation failed */
	PDV_E_INVAL = -2,    /* invalid input (a value, an argument) */
	PDV_E_PARSE = -3,    /* not the declaration language (YAML, key, type) */
	PDV_E_LIMIT = -4,    /* a resource limit was reached (size, depth, aliases) */
	PDV_E_IO = -5,       /* reading or writing a file failed */
	PDV_E_NOTFOUND = -6, /* the thing named does not exist */
	PDV_E_REFUSED = -7,  /* policy refusal (lint error, suppressed, held...) */
	PDV_E_USAGE = -8,    /* the command line is wrong */
	PDV_E_RANGE = -9,    /* a date or number outside what is supported */
	PDV_E_INTERNAL = -10,
	PDV_E_INTEGRITY = -11, /* the store was tampered with: a cut audit log, a record
	                        * whose binding fails; writes (or the read) refused */
	PDV_E_MOVED = -12,     /* the store is not the vault any more: migrated elsewhere
	                        * (pdvault migrate), the message says where */
};

/* position in a source file: 1-based line and column; 0 when unknown */
struct pdv_pos {
	uint32_t line;
	uint32_t col;
};

#define PDV_ERROR_MSG_MAX 1024 /* the longest usage line (serve's) fits */
#define PDV_ERROR_FIELD_MAX 128

struct pdv_error {
	int rc;                          /* the enum pdv_rc, negative */
	struct pdv_pos pos;              /* where, for parse errors */
	char file[256];                  /* which file, for parse errors ("" if none) */
	char field[PDV_ERROR_FIELD_MAX]; /* the field or key at fault ("" if none) */
	char code[48];                   /* machine code for --json ("invalid", "parse"...) */
	char msg[PDV_ERROR_MSG_MAX];     /* human message */
};

/* Clear an error (all fields empty, rc 0). */
void pdv_error_clear(struct pdv_error *err);

/*
 * Fill err (if not NULL) and return rc, so callers write
 *     return pdv_error_set(err, PDV_E_INVAL, "bad date '%s'", key);
 */
int pdv_error_set(struct pdv_error *err, int rc, const char *fmt, ...) PDV_PRINTF(3, 4);
int pdv_error_vset(struct pdv_error *err, int rc, const char *fmt, va_list ap);

/* As pdv_error_set, with a file position. */
int pdv_error_set_at(struct pdv_error *err, int rc, const char *file, struct pdv_pos pos,
                     const char *fmt, ...) PDV_PRINTF(5, 6);

/* Name the field at fault (copied, truncated to fit). */
void pdv_error_field(struct pdv_error *err, const char *field);

/* The machine code of rc ("nomem", "invalid", "parse", ...). */
const char *pdv_rc_code(int rc);
/* Process exit status for rc: 0 ok, 1 refused/invalid, 2 usage, 3 environment. */
int pdv_rc_exit_status(int rc);
/* HTTP status for rc (200, 400, 404, 422, 413, 500...). */
int pdv_rc_http_status(int rc);

#endif
