/*
 * pdv/csv.h — a streaming RFC 4180 reader with bounded memory.
 *
 * Records are read one at a time from a FILE; a record's fields point into
 * the reader's buffer until the next call. Quoted fields may hold commas,
 * doubled quotes and line breaks. A record longer than max_record bytes is
 * consumed to its end and reported as PDV_CSV_TOO_LONG, so one bad row never
 * stops the rest. Line numbers are those of the file (a record spanning
 * lines is numbered by its first line).
 *
 * Invariants: memory never exceeds max_record plus the field table; no value
 * ever appears in a message (the reader has none).
 */
#ifndef PDV_CSV_H
#define PDV_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "pdv/error.h"

enum pdv_csv_status {
	PDV_CSV_RECORD = 0, /* a record is ready */
	PDV_CSV_EOF,        /* no more records */
	PDV_CSV_TOO_LONG,   /* the record was over max_record bytes; skipped */
	PDV_CSV_BAD_QUOTE,  /* a quote in an unquoted field, text after a closing
	                       quote, or a quote left open at the end of the file */
	PDV_CSV_TOO_MANY,   /* more than max_fields fields */
};

struct pdv_csv_field {
	const char *s; /* NUL-terminated (a NUL inside the value is kept in len) */
	size_t len;
};

struct pdv_csv {
	FILE *f;
	size_t max_record;
	size_t max_fields;
	char *buf;
	size_t len, cap;
	struct pdv_csv_field *fields;
	size_t *starts;
	size_t n_fields;
	unsigned long line;        /* the line the next record starts on */
	unsigned long record_line; /* the line of the record just returned */
	bool eof;
	bool bom_checked;
};

int pdv_csv_open(struct pdv_csv *c, FILE *f, size_t max_record, size_t max_fields,
                 struct pdv_error *err) PDV_WUR;
void pdv_csv_release(struct pdv_csv *c);

/*
 * Read the next record. Returns an enum pdv_csv_status, or a negative
 * PDV_E_IO / PDV_E_NOMEM. On PDV_CSV_RECORD, c->fields and c->n_fields hold
 * it and c->record_line its first line. Blank lines are skipped.
 */
int pdv_csv_next(struct pdv_csv *c, struct pdv_error *err);

#endif
