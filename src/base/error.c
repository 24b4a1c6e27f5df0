/*
 * error.c — struct pdv_error and the table that maps each return code to a
 * machine code, an exit status and an HTTP status. The table is the one place
 * the CLI and the server learn how a failure looks from the outside.
 */
#include <stdio.h>
#include <string.h>

#include "pdv/buf.h"
#include "pdv/error.h"

static const struct {
	int rc;
	const char *code;
	int exit_status;
	int http_status;
} rc_table[] = {
    {PDV_OK, "ok", 0, 200},
    {PDV_E_NOMEM, "nomem", 3, 500},
    {PDV_E_INVAL, "invalid", 1, 422},
    {PDV_E_PARSE, "parse", 1, 400},
    {PDV_E_LIMIT, "limit", 1, 413},
    {PDV_E_IO, "io", 3, 500},
    {PDV_E_NOTFOUND, "not_found", 1, 404},
    {PDV_E_REFUSED, "refused", 1, 409},
    {PDV_E_USAGE, "usage", 2, 400},
    {PDV_E_RANGE, "range", 1, 422},
    {PDV_E_INTEGRITY, "integrity", 3, 503},
    {PDV_E_MOVED, "migrated", 3, 503},
    {PDV_E_INTERNAL, "internal", 3, 500}, /* last: what an unknown code maps to */
};

static size_t rc_index(int rc)
{
	for (size_t i = 0; i < sizeof(rc_table) / sizeof(rc_table[0]); i++)
		if (rc_table[i].rc == rc)
			return i;
	return sizeof(rc_table) / sizeof(rc_table[0]) - 1; /* internal */
}

const char *pdv_rc_code(int rc)
{
	return rc_table[rc_index(rc)].code;
}

int pdv_rc_exit_status(int rc)
{
	return rc_table[rc_index(rc)].exit_status;
}

int pdv_rc_http_status(int rc)
{
	return rc_table[rc_index(rc)].http_status;
}

void pdv_error_clear(struct pdv_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

int pdv_error_vset(struct pdv_error *err, int rc, const char *fmt, va_list ap)
{
	if (!err)
		return rc;
	err->rc = rc;
	pdv_vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	pdv_strlcpy(err->code, pdv_rc_code(rc), sizeof(err->code));
	return rc;
}

int pdv_error_set(struct pdv_error *err, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	pdv_error_vset(err, rc, fmt, ap);
	va_end(ap);
	return rc;
}

int pdv_error_set_at(struct pdv_error *err, int rc, const char *file, struct pdv_pos pos,
                     const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return rc;
	va_start(ap, fmt);
	pdv_error_vset(err, rc, fmt, ap);
	va_end(ap);
	err->pos = pos;
	pdv_strlcpy(err->file, file ? file : "", sizeof(err->file));
	return rc;
}

void pdv_error_field(struct pdv_error *err, const char *field)
{
	if (err)
		pdv_strlcpy(err->field, field ? field : "", sizeof(err->field));
}
