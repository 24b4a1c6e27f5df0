/*
 * csv.c — the streaming RFC 4180 reader of pdv/csv.h.
 *
 * A small state machine over getc_unlocked: field start, unquoted, quoted,
 * quote seen inside a quoted field. CRLF and LF both end a record; a CR
 * alone is kept as data. A UTF-8 byte-order mark at the start of the file is
 * dropped (spreadsheets write one).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pdv/csv.h"

int pdv_csv_open(struct pdv_csv *c, FILE *f, size_t max_record, size_t max_fields,
                 struct pdv_error *err)
{
	memset(c, 0, sizeof(*c));
	c->f = f;
	c->max_record = max_record;
	c->max_fields = max_fields;
	c->line = 1;
	c->cap = max_record < 65536 ? max_record + 1 : 65536;
	c->buf = malloc(c->cap);
	c->fields = calloc(max_fields, sizeof(*c->fields));
	c->starts = calloc(max_fields, sizeof(*c->starts));
	if (!c->buf || !c->fields || !c->starts) {
		pdv_csv_release(c);
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	}
	return 0;
}

void pdv_csv_release(struct pdv_csv *c)
{
	/* the buffer held personal data: wipe it before it goes back */
	if (c->buf)
		explicit_bzero(c->buf, c->cap);
	free(c->buf);
	free(c->fields);
	free(c->starts);
	memset(c, 0, sizeof(*c));
}

/* append a byte; false when the record is over its limit */
static bool put(struct pdv_csv *c, char ch)
{
	if (c->len + 1 >= c->cap) {
		size_t cap = c->cap * 2;
		char *p;

		if (c->cap > c->max_record)
			return false;
		if (cap > c->max_record + 1)
			cap = c->max_record + 1;
		if (cap <= c->len + 1 || !(p = malloc(cap)))
			return false;
		/* not realloc: the old block must be wiped, not just freed */
		memcpy(p, c->buf, c->len);
		explicit_bzero(c->buf, c->cap);
		free(c->buf);
		c->buf = p;
		c->cap = cap;
	}
	c->buf[c->len++] = ch;
	return true;
}

enum state { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED };

int pdv_csv_next(struct pdv_csv *c, struct pdv_error *err)
{
	enum state st = FIELD_START;
	int status = PDV_CSV_RECORD;
	bool any = false;
	int ch;

	if (c->eof)
		return PDV_CSV_EOF;
	if (!c->bom_checked) {
		c->bom_checked = true;
		ch = getc_unlocked(c->f);
		if (ch == 0xEF) {
			int b = getc_unlocked(c->f), d = getc_unlocked(c->f);

			if (b != 0xBB || d != 0xBF)
				return pdv_error_set(
				    err, PDV_E_INVAL,
				    "line 1: not UTF-8 text (a broken byte-order mark)");
		} else if (ch != EOF) {
			ungetc(ch, c->f);
		}
	}
	c->len = 0;
	c->n_fields = 0;
	c->record_line = c->line;
	for (;;) {
		ch = getc_unlocked(c->f);
		if (ch == EOF) {
			if (ferror(c->f))
				return pdv_error_set(err, PDV_E_IO, "cannot read the file: %s",
				                     strerror(errno));
			c->eof = true;
			if (st == QUOTED)
				return PDV_CSV_BAD_QUOTE; /* a quote left open to the end */
			if (!any && c->n_fields == 0)
				return PDV_CSV_EOF;
			goto end_record;
		}
		if (ch == '\r') {
			int nx = getc_unlocked(c->f);

			if (nx == '\n' && st != QUOTED) {
				ch = '\n';
			} else {
				if (nx != EOF)
					ungetc(nx, c->f);
			}
		}
		switch (st) {
		case FIELD_START:
			if (c->n_fields == 0 && c->len == 0 && !any && ch == '\n') {
				/* a blank line */
				c->line++;
				c->record_line = c->line;
				continue;
			}
			any = true;
			if (c->n_fields >= c->max_fields) {
				status = PDV_CSV_TOO_MANY;
				goto skip;
			}
			c->starts[c->n_fields] = c->len;
			if (ch == '"') {
				st = QUOTED;
				continue;
			}
			st = UNQUOTED;
			/* fall through */
		case UNQUOTED:
			if (ch == ',' || ch == '\n') {
				if (!put(c, '\0')) {
					status = PDV_CSV_TOO_LONG;
					goto skip_after_char;
				}
				c->fields[c->n_fields].len = c->len - 1 - c->starts[c->n_fields];
				c->n_fields++;
				st = FIELD_START;
				if (ch == '\n') {
					c->line++;
					goto done;
				}
				if (c->n_fields >= c->max_fields) {
					status = PDV_CSV_TOO_MANY;
					goto skip;
				}
				c->starts[c->n_fields] = c->len;
				/* a trailing comma opens an empty last field */
				continue;
			}
			if (ch == '"') {
				status = PDV_CSV_BAD_QUOTE;
				goto skip;
			}
			if (!put(c, (char)ch)) {
				status = PDV_CSV_TOO_LONG;
				goto skip;
			}
			continue;
		case QUOTED:
			if (ch == '"') {
				st = QUOTE_IN_QUOTED;
				continue;
			}
			if (ch == '\n')
				c->line++;
			if (!put(c, (char)ch)) {
				status = PDV_CSV_TOO_LONG;
				goto skip_quoted;
			}
			continue;
		case QUOTE_IN_QUOTED:
			if (ch == '"') {
				st = QUOTED;
				if (!put(c, '"')) {
					status = PDV_CSV_TOO_LONG;
					goto skip_quoted;
				}
				continue;
			}
			if (ch == ',' || ch == '\n') {
				st = UNQUOTED;
				/* close the field as an unquoted one would */
				if (!put(c, '\0')) {
					status = PDV_CSV_TOO_LONG;
					goto skip_after_char;
				}
				c->fields[c->n_fields].len = c->len - 1 - c->starts[c->n_fields];
				c->n_fields++;
				st = FIELD_START;
				if (ch == '\n') {
					c->line++;
					goto done;
				}
				if (c->n_fields >= c->max_fields) {
					status = PDV_CSV_TOO_MANY;
					goto skip;
				}
				c->starts[c->n_fields] = c->len;
				continue;
			}
			status = PDV_CSV_BAD_QUOTE;
			goto skip;
		}
	}
end_record:
	/* end of file inside a record: close the open field */
	if (st == UNQUOTED || st == QUOTE_IN_QUOTED || (st == FIELD_START && c->n_fields > 0)) {
		if (!put(c, '\0'))
			return PDV_CSV_TOO_LONG;
		c->fields[c->n_fields].len = c->len - 1 - c->starts[c->n_fields];
		c->n_fields++;
	}
done:
	for (size_t i = 0; i < c->n_fields; i++)
		c->fields[i].s = c->buf + c->starts[i];
	return PDV_CSV_RECORD;

skip_quoted:
	/* over the limit inside quotes: consume to the closing quote, then on */
	for (;;) {
		ch = getc_unlocked(c->f);
		if (ch == EOF) {
			c->eof = true;
			return status;
		}
		if (ch == '\n')
			c->line++;
		if (ch == '"') {
			int nx = getc_unlocked(c->f);

			if (nx == '"')
				continue;
			if (nx != EOF)
				ungetc(nx, c->f);
			break;
		}
	}
skip:
	/* consume the rest of the record, honouring quotes so a quoted line
	 * break does not end it */
	{
		bool quoted = false;

		for (;;) {
			ch = getc_unlocked(c->f);
			if (ch == EOF) {
				c->eof = true;
				return status;
			}
			if (ch == '"')
				quoted = !quoted;
			if (ch == '\n') {
				c->line++;
				if (!quoted)
					return status;
			}
		}
	}
skip_after_char:
	if (ch == '\n') {
		c->line++;
		return status;
	}
	goto skip;
}
