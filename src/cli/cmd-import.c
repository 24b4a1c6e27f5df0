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
 *
 * Each batch commit also records, in the same transaction, the last line it
 * covers (a mark named after the file's identity: device, inode, size and
 * modification time, no content). A stopped import, run again on the same
 * file, resumes after that line instead of collecting those rows twice;
 * --restart imports the whole file again. A finished import clears it.
 *
 * Two threads: a reader parses the CSV and prepares each row (validation,
 * hashes, keys, sealing: pdv_collect_prepare) while this one writes the
 * prepared rows in file order (pdv_collect_commit). They hand over chunks
 * of rows through a small ring, so what is in flight stays bounded. The
 * reader's copies of values are wiped once written.
 *
 * Before writing a chunk, the writer asks the store in one go which of its
 * rows are new people (pdv_collect_known): on PostgreSQL those are written
 * without waiting for an answer each, so a chunk costs one round trip
 * rather than one a row.
 */
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "pdv/csv.h"
#include "pdv/vault.h"

/* rows per transaction (one fsync): 20,000 took 1M records from 34.8k to 41.4k/s */
#define BATCH_ROWS 20000
#define MAX_RECORD (2 * 1024 * 1024)
#define MAX_COLUMNS 256
#define MAX_REJECTS_LISTED 10000
/* rows handed over at once; chunks in flight, enough for the reader to keep
 * preparing while a commit waits for the disk; and the value bytes in flight
 * past which the reader waits, so a file of long rows stays bounded too */
#define CHUNK_ROWS 256
#define CHUNKS 32
#define CHUNK_BYTES (256 * 1024)
#define FLIGHT_BYTES (8 * 1024 * 1024)

/* read_row: a row a stopped run already committed */
#define ROW_SKIPPED 100

enum clock_col { COL_FIELD, COL_COLLECTED, COL_LAST_CONTACT, COL_CONSENT };

enum item_kind { ITEM_ROW, ITEM_REJECT };

/* one row of the file, as the reader left it */
struct item {
	enum item_kind kind;
	unsigned long line;
	const char *field; /* ITEM_REJECT: the column at fault, or NULL */
	const char *code;  /* ITEM_REJECT */
	struct pdv_collect_prep *prep;
};

struct chunk {
	struct item items[CHUNK_ROWS];
	size_t n;
	size_t bytes; /* of values */
	bool last;    /* the reader stopped after these rows */
	int rc;       /* why, when it is not the end of the file */
	struct pdv_error err;
};

/* the reader's side: the file, the header, and the ring it fills */
struct reader {
	const struct pdv_vault *vault; /* shared: keys and declaration alone */
	struct pdv_collect_ids *ids;
	struct pdv_csv *csv;
	const char *activity;
	bool consent;
	pdv_time_t now;
	unsigned long skip_through; /* lines committed by a stopped run */
	size_t n_cols;
	const enum clock_col *kind;
	char *const *names;
	struct pdv_input_field *in_fields;

	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct chunk chunks[CHUNKS];
	size_t filled;   /* chunks handed over, in total */
	size_t consumed; /* chunks written back, in total */
	size_t flight;   /* value bytes handed over, not yet written */
	bool stop;       /* the writer gave up */
};

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

/* commit the open batch, with the mark of the last line it covers (when the
 * file has one) written in it: a failure to write the mark leaves the batch
 * open, and *in_batch true, for the caller's abort to undo both */
static int commit_batch(struct pdv_session *s, const char *mark, unsigned long last_line,
                        bool *in_batch, struct pdv_error *err)
{
	int rc;

	if (mark[0] && (rc = pdv_session_mark_set(s, mark, (int64_t)last_line, err)) < 0)
		return rc;
	*in_batch = false;
	return pdv_session_batch_commit(s, err);
}

/* which rows of ck, from `from` on, are new people: one question to the
 * store for them all, inside the open batch (pdv_collect_known) */
static int ask_known(struct pdv_session *s, const struct chunk *ck, size_t from,
                     struct pdv_error *err)
{
	struct pdv_collect_prep *preps[CHUNK_ROWS];
	size_t n = 0;

	for (size_t k = from; k < ck->n; k++)
		if (ck->items[k].kind == ITEM_ROW)
			preps[n++] = ck->items[k].prep;
	return pdv_collect_known(s, preps, n, err);
}

static int parse_clock(const struct pdv_csv_field *f, pdv_time_t now, pdv_time_t *ret)
{
	if (f->len == 0 || f->len > 20 || strlen(f->s) != f->len)
		return f->len == 0 ? 0 : PDV_E_INVAL;
	if (pdv_time_parse(f->s, ret, NULL) < 0 || *ret > now)
		return PDV_E_INVAL;
	return 0;
}

/* one CSV row into it: a row to collect, or a rejection by line */
static int read_row(struct reader *rd, struct item *it, size_t *bytes, struct pdv_error *err)
{
	struct pdv_collect_in in = {
	    .activity = rd->activity,
	    .consent = rd->consent,
	    .channel = "import",
	    .fields = rd->in_fields,
	};
	const char *bad = NULL;
	int r = pdv_csv_next(rd->csv, err);

	if (r < 0 || r == PDV_CSV_EOF)
		return r;
	it->line = rd->csv->record_line;
	if (it->line <= rd->skip_through)
		return ROW_SKIPPED;
	it->kind = ITEM_REJECT;
	it->field = NULL;
	if (r == PDV_CSV_TOO_LONG || r == PDV_CSV_BAD_QUOTE || r == PDV_CSV_TOO_MANY) {
		it->code = r == PDV_CSV_TOO_LONG   ? "row_too_long"
		           : r == PDV_CSV_TOO_MANY ? "too_many_columns"
		                                   : "bad_quoting";
		return PDV_CSV_RECORD;
	}
	if (rd->csv->n_fields != rd->n_cols) {
		it->code = "column_count";
		return PDV_CSV_RECORD;
	}
	for (size_t i = 0; i < rd->n_cols && !bad; i++) {
		const struct pdv_csv_field *cf = &rd->csv->fields[i];
		pdv_time_t *clock = rd->kind[i] == COL_COLLECTED      ? &in.collected_at
		                    : rd->kind[i] == COL_LAST_CONTACT ? &in.last_contact
		                    : rd->kind[i] == COL_CONSENT      ? &in.consent_at
		                                                      : NULL;

		if (clock) {
			if (parse_clock(cf, rd->now, clock) < 0)
				bad = rd->names[i];
			continue;
		}
		if (cf->len == 0)
			continue;
		rd->in_fields[in.n_fields].name = rd->names[i];
		rd->in_fields[in.n_fields].value = cf->s;
		rd->in_fields[in.n_fields].len = cf->len;
		in.n_fields++;
		*bytes += cf->len;
	}
	if (bad) {
		it->field = bad;
		it->code = "invalid_date";
		return PDV_CSV_RECORD;
	}
	it->kind = ITEM_ROW;
	pdv_collect_prepare(rd->vault, rd->ids, &in, it->prep);
	return PDV_CSV_RECORD;
}

static void *reader_main(void *arg)
{
	struct reader *rd = arg;
	bool last = false;

	while (!last) {
		struct chunk *ck;
		size_t bytes = 0;

		pthread_mutex_lock(&rd->lock);
		while (!rd->stop && (rd->filled - rd->consumed == CHUNKS ||
		                     (rd->filled > rd->consumed && rd->flight > FLIGHT_BYTES)))
			pthread_cond_wait(&rd->changed, &rd->lock);
		if (rd->stop) {
			pthread_mutex_unlock(&rd->lock);
			break;
		}
		ck = &rd->chunks[rd->filled % CHUNKS];
		pthread_mutex_unlock(&rd->lock);

		ck->n = 0;
		ck->rc = 0;
		pdv_error_clear(&ck->err);
		while (ck->n < CHUNK_ROWS && bytes < CHUNK_BYTES) {
			int r = read_row(rd, &ck->items[ck->n], &bytes, &ck->err);

			if (r < 0 || r == PDV_CSV_EOF) {
				ck->rc = r < 0 ? r : 0;
				last = true;
				break;
			}
			if (r != ROW_SKIPPED)
				ck->n++;
		}
		ck->last = last;
		ck->bytes = bytes;
		pthread_mutex_lock(&rd->lock);
		rd->filled++;
		rd->flight += bytes;
		pthread_cond_broadcast(&rd->changed);
		pthread_mutex_unlock(&rd->lock);
	}
	return NULL;
}

/* the next chunk the reader handed over */
static struct chunk *reader_next(struct reader *rd)
{
	struct chunk *ck;

	pthread_mutex_lock(&rd->lock);
	while (rd->filled == rd->consumed)
		pthread_cond_wait(&rd->changed, &rd->lock);
	ck = &rd->chunks[rd->consumed % CHUNKS];
	pthread_mutex_unlock(&rd->lock);
	return ck;
}

static void reader_done(struct reader *rd)
{
	pthread_mutex_lock(&rd->lock);
	rd->flight -= rd->chunks[rd->consumed % CHUNKS].bytes;
	rd->consumed++;
	pthread_cond_broadcast(&rd->changed);
	pthread_mutex_unlock(&rd->lock);
}

static void reader_stop(struct reader *rd)
{
	pthread_mutex_lock(&rd->lock);
	rd->stop = true;
	pthread_cond_broadcast(&rd->changed);
	pthread_mutex_unlock(&rd->lock);
}

int cmd_import(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"consent", no_argument, NULL, 'c'},
	    {"restart", no_argument, NULL, 'r'},
	    {NULL, 0, NULL, 0},
	};
	static const char *const clock_names[] = {NULL, "_collected_at", "_last_contact",
	                                          "_consent_at"};
	struct import im = {.g = g};
	struct reader rd = {.lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER};
	pthread_t reader;
	bool reader_started = false;
	struct cli_vault *cv = NULL;
	struct pdv_csv csv = {0};
	struct pdv_error err;
	struct pdv_input_field *in_fields = NULL;
	enum clock_col kind[MAX_COLUMNS];
	char *names[MAX_COLUMNS] = {0};
	size_t n_cols = 0;
	const char *activity, *path;
	bool consent = false, restart = false, tty = isatty(STDERR_FILENO) && !g->json;
	bool in_batch = false;
	unsigned long in_this_batch = 0, last_line = 0, committed_line = 0;
	int64_t resumed = 0;
	char mark[160] = "";
	long size = -1;
	FILE *f = NULL;
	int c, r, status = 0;
	struct stat st;

	pdv_error_clear(&err);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'c')
			consent = true;
		else if (c == 'r')
			restart = true;
		else
			return cli_usage_fail(g);
	}
	if (argc - optind != 2)
		return cli_usage_fail(g);
	activity = argv[optind];
	path = argv[optind + 1];
	if (!(f = fopen(path, "re"))) {
		pdv_error_set(&err, PDV_E_IO, "cannot open '%s'", path);
		return cli_fail(g, &err);
	}
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
		size = (long)st.st_size;
		/* what names this file, and nothing of its content */
		snprintf(mark, sizeof(mark), "import:%.*s:%ju:%ju:%jd:%jd.%09ld",
		         PDV_UTF8_CUT(activity, 64), (uintmax_t)st.st_dev, (uintmax_t)st.st_ino,
		         (intmax_t)st.st_size, (intmax_t)st.st_mtim.tv_sec,
		         (long)st.st_mtim.tv_nsec);
	}
	im.rejected = json_array();
	if (pdv_csv_open(&csv, f, MAX_RECORD, MAX_COLUMNS, &err) < 0 ||
	    cli_setup(g, &cv, &err) < 0) {
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
			const struct pdv_activity *a = pdv_decl_activity(cv->decl, activity);
			bool known = false;

			for (size_t k = 0; a && k < a->n_fields; k++)
				known |=
				    a->fields[k].name.s && strcmp(a->fields[k].name.s, name) == 0;
			if (a && !known) {
				pdv_error_set(
				    &err, PDV_E_INVAL,
				    "%s: line %lu: column '%.*s' is not a field of activity "
				    "'%s'; nothing was imported",
				    path, csv.record_line, PDV_UTF8_CUT(name, 64), activity);
				pdv_error_field(&err, name);
				status = cli_fail(g, &err);
				goto out;
			}
		}
		for (size_t k = 0; k < i; k++)
			if (strcmp(names[k], name) == 0) {
				pdv_error_set(&err, PDV_E_INVAL,
				              "%s: line 1: column '%.*s' is given twice", path,
				              PDV_UTF8_CUT(name, 64));
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

	if (mark[0] && !restart) {
		r = pdv_session_mark_get(cv->session, mark, &resumed, &err);
		if (r == PDV_E_NOTFOUND) {
			pdv_error_clear(&err);
		} else if (r < 0) {
			status = cli_fail(g, &err);
			goto out;
		} else if (!g->json) {
			fprintf(stderr,
			        "import: resuming after line %" PRId64
			        ", where an earlier import of "
			        "this file stopped (--restart imports the whole file again)\n",
			        resumed);
		}
	}
	rd.skip_through = (unsigned long)resumed;
	committed_line = (unsigned long)resumed;
	if (pdv_collect_ids_new(cv->session, &rd.ids, &err) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	for (size_t ci = 0; ci < CHUNKS; ci++)
		for (size_t k = 0; k < CHUNK_ROWS; k++)
			if (pdv_collect_prep_new(&rd.chunks[ci].items[k].prep, &err) < 0) {
				status = cli_fail(g, &err);
				goto out;
			}
	rd.vault = cv->vault; /* shared: the preparing thread reads it */
	rd.csv = &csv;
	rd.activity = activity;
	rd.consent = consent;
	rd.now = cv->now;
	rd.n_cols = n_cols;
	rd.kind = kind;
	rd.names = names;
	rd.in_fields = in_fields;
	if (pthread_create(&reader, NULL, reader_main, &rd) != 0) {
		pdv_error_set(&err, PDV_E_NOMEM, "cannot start the reader thread");
		status = cli_fail(g, &err);
		goto out;
	}
	reader_started = true;

	for (bool last = false; !last;) {
		struct chunk *ck = reader_next(&rd);

		if (in_batch && ask_known(cv->session, ck, 0, &err) < 0) {
			status = cli_fail(g, &err);
			goto abort;
		}
		for (size_t k = 0; k < ck->n; k++) {
			struct item *it = &ck->items[k];
			struct pdv_collect_out out;

			last_line = it->line;
			if (it->kind == ITEM_REJECT) {
				reject(&im, it->line, it->field, it->code);
				continue;
			}
			if (!in_batch) {
				if (pdv_session_batch_begin(cv->session, &err) < 0) {
					status = cli_fail(g, &err);
					goto abort;
				}
				in_batch = true;
				/* what was asked before this batch no longer holds */
				if (ask_known(cv->session, ck, k, &err) < 0) {
					status = cli_fail(g, &err);
					goto abort;
				}
			}
			pdv_error_clear(&err);
			r = pdv_collect_commit(cv->session, rd.ids, it->prep, &out, &err);
			/* a bad row, or a person on the suppression list: that row only */
			if (r == PDV_E_INVAL ||
			    (r == PDV_E_REFUSED && strcmp(err.code, "suppressed") == 0)) {
				reject(&im, it->line, err.field[0] ? err.field : NULL, err.code);
				continue;
			}
			if (r < 0) {
				/* a refusal that holds for every row (lint error, consent), or the
				 * store */
				status = cli_fail(g, &err);
				goto abort;
			}
			im.imported++;
			im.new_subjects += out.new_subject;
			if (++in_this_batch == BATCH_ROWS) {
				if (commit_batch(cv->session, mark, last_line, &in_batch, &err) <
				    0) {
					status = cli_fail(g, &err);
					goto abort;
				}
				in_this_batch = 0;
				committed_line = last_line;
				if (tty)
					progress(im.imported + im.n_rejected, ftell(f), size,
					         false);
			}
		}
		last = ck->last;
		if (last && ck->rc < 0) {
			err = ck->err;
			status = cli_fail(g, &err);
			goto abort;
		}
		reader_done(&rd);
	}
	/* the mark goes with the last batch too: a stop before it is cleared
	 * must not bring these rows back */
	if (in_batch && commit_batch(cv->session, mark, last_line, &in_batch, &err) < 0) {
		status = cli_fail(g, &err);
		goto abort;
	}
	in_this_batch = 0;
	committed_line = last_line;
	/* the whole file is in: a later import of it is a new one */
	if (mark[0] && pdv_session_mark_clear(cv->session, mark, &err) < 0) {
		status = cli_fail(g, &err);
		goto abort;
	}
	if (tty)
		progress(im.imported + im.n_rejected, size, size, true);
	if (g->json) {
		json_t *doc =
		    json_pack("{s:I, s:O, s:I}", "imported", (json_int_t)im.imported, "rejected",
		              im.rejected, "rejected_total", (json_int_t)im.n_rejected);

		if (resumed)
			json_object_set_new(doc, "resumed_after", json_integer(resumed));
		cli_print_json(doc);
	} else {
		printf("imported %lu record%s (%lu new subject%s), rejected %lu row%s\n",
		       im.imported, im.imported == 1 ? "" : "s", im.new_subjects,
		       im.new_subjects == 1 ? "" : "s", im.n_rejected,
		       im.n_rejected == 1 ? "" : "s");
	}
	goto out;
abort:
	if (in_batch)
		pdv_session_batch_abort(cv->session);
	if (tty)
		fputc('\n', stderr);
	fprintf(stderr, "pdvault: import: stopped; %lu records imported before this were kept\n",
	        im.imported - in_this_batch);
	if (mark[0] && committed_line)
		fprintf(stderr, "pdvault: import: the same command resumes after line %lu\n",
		        committed_line);
out:
	if (reader_started) {
		reader_stop(&rd);
		pthread_join(reader, NULL);
	}
	for (size_t ci = 0; ci < CHUNKS; ci++)
		for (size_t k = 0; k < CHUNK_ROWS; k++)
			pdv_collect_prep_free(rd.chunks[ci].items[k].prep);
	pdv_collect_ids_free(rd.ids);
	pdv_csv_release(&csv);
	for (size_t i = 0; i < n_cols; i++)
		free(names[i]);
	free(in_fields);
	json_decref(im.rejected);
	if (f)
		fclose(f);
	return status;
}
