/*
 * cmd-import.c — `pdvault import ACTIVITY FILE.csv [--consent]`: bulk
 * collection from a CSV file of any size.
 *
 * The header row names the fields, plus the optional _collected_at,
 * _last_contact and _consent_at columns (YYYY-MM-DD or RFC 3339 UTC) that let
 * migrated data keep its retention clocks. An unknown column refuses the
 * whole file before anything is stored. Each row is validated like
 * `collect`; a bad row is rejected by line, field and reason (never by value)
 * and the others go on. Rows are committed in batches, so memory stays
 * bounded whatever the file size; on a terminal, a progress line shows on
 * stderr.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "pdv/csv.h"
#include "pdv/vault.h"

/* rows per transaction (one fsync): 20,000 took 1M records from 34.8k to 41.4k/s */
#define BATCH_ROWS 20000
#define MAX_RECORD (2 * 1024 * 1024)
#define MAX_COLUMNS 256
#define MAX_REJECTS_LISTED 10000

static const char usage[] = "usage: pdvault import ACTIVITY FILE.csv [--consent]";

enum clock_col { COL_FIELD, COL_COLLECTED, COL_LAST_CONTACT, COL_CONSENT };

struct import {
	struct cli_global *g;
	json_t *rejected;
	unsigned long n_rejected;
	unsigned long imported;
	unsigned long new_subjects;
};

static void reject(struct import *im, unsigned long line, const char *field, const char *code)
{
	im->n_rejected++;
	if (!im->g->json)
		fprintf(stderr, "line %lu: %s%s%s%s\n", line, field ? "field '" : "",
			field ? field : "", field ? "': " : "", code);
	if (im->n_rejected <= MAX_REJECTS_LISTED) {
		json_t *o = json_pack("{s:I, s:s}", "line", (json_int_t)line, "code", code);

		json_object_set_new(o, "field", field ? json_string(field) : json_null());
		json_array_append_new(im->rejected, o);
	}
}

static void progress(unsigned long rows, long pos, long size, bool done)
{
	if (size > 0)
		fprintf(stderr, "\rimporting: %lu rows, %3d%%", rows, (int)(100.0 * pos / size));
	else
		fprintf(stderr, "\rimporting: %lu rows", rows);
	if (done)
		fputc('\n', stderr);
	fflush(stderr);
}

static int parse_clock(const struct pdv_csv_field *f, pdv_time_t now, pdv_time_t *ret)
{
	if (f->len == 0 || f->len > 20 || strlen(f->s) != f->len)
		return f->len == 0 ? 0 : PDV_E_INVAL;
	if (pdv_time_parse(f->s, ret, NULL) < 0 || *ret > now)
		return PDV_E_INVAL;
	return 0;
}

int cmd_import(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"consent", no_argument, NULL, 'c'},
		{NULL, 0, NULL, 0},
	};
	static const char *const clock_names[] = {NULL, "_collected_at", "_last_contact",
						  "_consent_at"};
	struct import im = {.g = g};
	struct cli_vault cv = {0};
	struct pdv_csv csv = {0};
	struct pdv_error err;
	struct pdv_input_field *in_fields = NULL;
	enum clock_col kind[MAX_COLUMNS];
	char *names[MAX_COLUMNS] = {0};
	size_t n_cols = 0;
	const char *activity, *path;
	bool consent = false, tty = isatty(STDERR_FILENO) && !g->json, in_batch = false;
	unsigned long in_this_batch = 0;
	long size = -1;
	FILE *f = NULL;
	int c, r, status = 0;
	struct stat st;

	pdv_error_clear(&err);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'c')
			consent = true;
		else
			return cli_usage_error(g, "%s", usage);
	}
	if (argc - optind != 2)
		return cli_usage_error(g, "%s", usage);
	activity = argv[optind];
	path = argv[optind + 1];
	if (!(f = fopen(path, "re"))) {
		pdv_error_set(&err, PDV_E_IO, "cannot open '%s'", path);
		return cli_fail(g, &err);
	}
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode))
		size = (long)st.st_size;
	im.rejected = json_array();
	if (pdv_csv_open(&csv, f, MAX_RECORD, MAX_COLUMNS, &err) < 0 ||
	    cli_vault_open(g, &cv, &err) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}

	/* the header: declared fields and clock columns only */
	r = pdv_csv_next(&csv, &err);
	if (r < 0 || r != PDV_CSV_RECORD) {
		if (r >= 0)
			pdv_error_set(&err, PDV_E_INVAL, "%s: line %lu: %s", path, csv.record_line,
				      r == PDV_CSV_EOF ? "the file is empty: a header row is needed"
						       : "the header row is not valid CSV");
		status = cli_fail(g, &err);
		goto out;
	}
	n_cols = csv.n_fields;
	for (size_t i = 0; i < n_cols; i++) {
		const char *name = csv.fields[i].s;

		kind[i] = COL_FIELD;
		for (int k = COL_COLLECTED; k <= COL_CONSENT; k++)
			if (strcmp(name, clock_names[k]) == 0)
				kind[i] = (enum clock_col)k;
		if (kind[i] == COL_FIELD) {
			const struct pdv_activity *a = pdv_decl_activity(cv.decl, activity);
			bool known = false;

			for (size_t k = 0; a && k < a->n_fields; k++)
				known |= a->fields[k].name.s && strcmp(a->fields[k].name.s, name) == 0;
			if (a && !known) {
				pdv_error_set(&err, PDV_E_INVAL,
					      "%s: line %lu: column '%.64s' is not a field of activity "
					      "'%s'; nothing was imported",
					      path, csv.record_line, name, activity);
				pdv_error_field(&err, name);
				status = cli_fail(g, &err);
				goto out;
			}
		}
		for (size_t k = 0; k < i; k++)
			if (strcmp(names[k], name) == 0) {
				pdv_error_set(&err, PDV_E_INVAL,
					      "%s: line 1: column '%.64s' is given twice", path, name);
				pdv_error_field(&err, name);
				status = cli_fail(g, &err);
				goto out;
			}
		if (!(names[i] = strdup(name))) {
			pdv_error_set(&err, PDV_E_NOMEM, "out of memory");
			status = cli_fail(g, &err);
			goto out;
		}
	}
	if (!(in_fields = calloc(n_cols ? n_cols : 1, sizeof(*in_fields)))) {
		pdv_error_set(&err, PDV_E_NOMEM, "out of memory");
		status = cli_fail(g, &err);
		goto out;
	}

	for (;;) {
		struct pdv_collect_in in = {
			.activity = activity, .consent = consent, .channel = "import",
			.fields = in_fields,
		};
		struct pdv_collect_out out;
		const char *bad = NULL;

		r = pdv_csv_next(&csv, &err);
		if (r < 0) {
			status = cli_fail(g, &err);
			goto abort;
		}
		if (r == PDV_CSV_EOF)
			break;
		if (r == PDV_CSV_TOO_LONG || r == PDV_CSV_BAD_QUOTE || r == PDV_CSV_TOO_MANY) {
			reject(&im, csv.record_line, NULL,
			       r == PDV_CSV_TOO_LONG  ? "row_too_long"
			       : r == PDV_CSV_TOO_MANY ? "too_many_columns"
						       : "bad_quoting");
			continue;
		}
		if (csv.n_fields != n_cols) {
			reject(&im, csv.record_line, NULL, "column_count");
			continue;
		}
		for (size_t i = 0; i < n_cols && !bad; i++) {
			const struct pdv_csv_field *cf = &csv.fields[i];
			pdv_time_t *clock = kind[i] == COL_COLLECTED      ? &in.collected_at
					    : kind[i] == COL_LAST_CONTACT ? &in.last_contact
					    : kind[i] == COL_CONSENT      ? &in.consent_at
									  : NULL;

			if (clock) {
				if (parse_clock(cf, cv.now, clock) < 0)
					bad = names[i];
				continue;
			}
			if (cf->len == 0)
				continue;
			in_fields[in.n_fields].name = names[i];
			in_fields[in.n_fields].value = cf->s;
			in_fields[in.n_fields].len = cf->len;
			in.n_fields++;
		}
		if (bad) {
			reject(&im, csv.record_line, bad, "invalid_date");
			continue;
		}
		if (!in_batch) {
			if (pdv_vault_batch_begin(cv.vault, &err) < 0) {
				status = cli_fail(g, &err);
				goto abort;
			}
			in_batch = true;
		}
		pdv_error_clear(&err);
		r = pdv_collect(cv.vault, &in, &out, &err);
		/* a bad row, or a person on the suppression list: that row only */
		if (r == PDV_E_INVAL || (r == PDV_E_REFUSED && strcmp(err.code, "suppressed") == 0)) {
			reject(&im, csv.record_line, err.field[0] ? err.field : NULL, err.code);
			continue;
		}
		if (r < 0) {
			/* a refusal that holds for every row (lint error, consent), or the store */
			status = cli_fail(g, &err);
			goto abort;
		}
		im.imported++;
		im.new_subjects += out.new_subject;
		if (++in_this_batch == BATCH_ROWS) {
			in_batch = false;
			in_this_batch = 0;
			if (pdv_vault_batch_commit(cv.vault, &err) < 0) {
				status = cli_fail(g, &err);
				goto abort;
			}
			if (tty)
				progress(im.imported + im.n_rejected, ftell(f), size, false);
		}
	}
	if (in_batch && pdv_vault_batch_commit(cv.vault, &err) < 0) {
		status = cli_fail(g, &err);
		goto abort;
	}
	in_batch = false;
	if (tty)
		progress(im.imported + im.n_rejected, size, size, true);
	if (g->json) {
		json_t *doc = json_pack("{s:I, s:O, s:I}", "imported", (json_int_t)im.imported,
					"rejected", im.rejected, "rejected_total",
					(json_int_t)im.n_rejected);

		cli_print_json(doc);
	} else {
		printf("imported %lu record%s (%lu new subject%s), rejected %lu row%s\n", im.imported,
		       im.imported == 1 ? "" : "s", im.new_subjects, im.new_subjects == 1 ? "" : "s",
		       im.n_rejected, im.n_rejected == 1 ? "" : "s");
	}
	goto out;
abort:
	if (in_batch)
		pdv_vault_batch_abort(cv.vault);
	if (tty)
		fputc('\n', stderr);
	fprintf(stderr, "pdvault: import: stopped; %lu records imported before this were kept\n",
		im.imported - in_this_batch);
out:
	pdv_csv_release(&csv);
	cli_vault_close(&cv);
	for (size_t i = 0; i < n_cols; i++)
		free(names[i]);
	free(in_fields);
	json_decref(im.rejected);
	if (f)
		fclose(f);
	return status;
}
