/*
 * xlsx.c — the one file that includes <xlsxwriter.h> (libxlsxwriter): a
 * workbook of plain tables for the register, behind render-internal.h's
 * small rxlsx interface, so that what the register says stays in
 * register.c.
 *
 * libxlsxwriter writes a file, never a buffer: the workbook is made in a
 * temporary file (mkstemp under $TMPDIR or /tmp, so mode 0600 from the
 * start), read back whole into the caller's buffer and removed, whatever
 * happened. Every sheet gets the same look: the header row bold, frozen and
 * wrapped, body cells wrapped and aligned to the top, widths as asked, dates
 * as numbers with a date format (real Excel dates, sortable), except a day
 * outside years 1..9999, which is no Excel date: its PDV_DATE_BEFORE/AFTER
 * marker as text. The workbook's creation time is the register's day (or
 * the epoch; 9999-12-31 for a day past it, the last day a W3CDTF time can
 * write) so that the same declaration on the same day gives the same
 * document.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "i18n.h"
#include "render-internal.h"

/* an xlsx file is a zip: the register of a large organisation is a few
 * hundred kilobytes; anything above this is not a register */
#define XLSX_MAX ((size_t)64 * 1024 * 1024)
/* Excel's limit on a cell, in characters; libxlsxwriter refuses a longer
 * string (LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED) */
#define CELL_MAX 32767

struct rxlsx {
	lxw_workbook *wb;
	lxw_worksheet *ws; /* the sheet being written */
	lxw_format *head, *body, *date;
	char path[4096];
	int rc; /* the first error, as the rdoc writer keeps it */
};

int rxlsx_open(const char *lang, pdv_day_t on, struct rxlsx **ret)
{
	const char *dir = getenv("TMPDIR");
	lxw_workbook_options opts = {0};
	lxw_doc_properties props = {0};
	struct rxlsx *x;
	int fd;

	if (!(x = calloc(1, sizeof(*x))))
		return PDV_E_NOMEM;
	if (!dir || !*dir)
		dir = "/tmp";
	if ((size_t)snprintf(x->path, sizeof(x->path), "%s/pdvault-xlsx-XXXXXX", dir) >=
	    sizeof(x->path)) {
		free(x);
		return PDV_E_INVAL;
	}
	if ((fd = mkstemp(x->path)) < 0) {
		free(x);
		return PDV_E_IO;
	}
	close(fd);
	opts.tmpdir = (char *)dir;
	if (!(x->wb = workbook_new_opt(x->path, &opts))) {
		unlink(x->path);
		free(x);
		return PDV_E_IO;
	}
	/* 0 would be the system's time. The file's creation time is written
	 * YYYY-MM-DD (W3CDTF, four digits): a day past 9999 is 9999-12-31 */
	if (!pdv_date_valid(pdv_day_to_date(on)) && on > 0)
		on = pdv_date_to_day((struct pdv_date){9999, 12, 31});
	props.created = (time_t)pdv_day_start(on >= 0 ? on : 0);
	workbook_set_properties(x->wb, &props);
	x->head = workbook_add_format(x->wb);
	x->body = workbook_add_format(x->wb);
	x->date = workbook_add_format(x->wb);
	if (!x->head || !x->body || !x->date)
		x->rc = PDV_E_NOMEM;
	else {
		format_set_bold(x->head);
		format_set_text_wrap(x->head);
		format_set_align(x->head, LXW_ALIGN_VERTICAL_TOP);
		format_set_bottom(x->head, LXW_BORDER_THIN);
		format_set_text_wrap(x->body);
		format_set_align(x->body, LXW_ALIGN_VERTICAL_TOP);
		format_set_align(x->date, LXW_ALIGN_VERTICAL_TOP);
		format_set_align(x->date, LXW_ALIGN_LEFT);
		/* the date as the reader's locale writes it in the document's language */
		format_set_num_format(x->date, pdv_i18n_pick(lang, "yyyy-mm-dd", "dd/mm/yyyy"));
	}
	*ret = x;
	return 0;
}

void rxlsx_sheet(struct rxlsx *x, const char *name, size_t cols, const double *widths)
{
	if (x->rc)
		return;
	/* a sheet name is at most 31 characters, without []:*?/\ (our own words) */
	if (!(x->ws = workbook_add_worksheet(x->wb, name))) {
		x->rc = PDV_E_INTERNAL;
		return;
	}
	for (size_t c = 0; c < cols; c++)
		worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], x->body);
	worksheet_freeze_panes(x->ws, 1, 0);
	worksheet_set_row(x->ws, 0, LXW_DEF_ROW_HEIGHT, x->head);
}

static void check(struct rxlsx *x, lxw_error e)
{
	if (!x->rc && e != LXW_NO_ERROR)
		x->rc = e == LXW_ERROR_MEMORY_MALLOC_FAILED ? PDV_E_NOMEM : PDV_E_INVAL;
}

/* the byte length of s's first max characters (UTF-8), or SIZE_MAX when s
 * has no more than max */
static size_t cut_at(const char *s, size_t max)
{
	size_t chars = 0, i = 0;

	for (; s[i]; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == max)
			return i;
	return SIZE_MAX;
}

void rxlsx_text(struct rxlsx *x, size_t row, size_t col, const char *s)
{
	static const char mark[] = "[...]";
	char *cut = NULL;
	size_t n;

	if (x->rc || !x->ws)
		return;
	s = s ? s : "";
	/* a longer text than a cell holds is cut at a character and marked,
	 * rather than losing the whole register */
	if (cut_at(s, CELL_MAX) != SIZE_MAX) {
		n = cut_at(s, CELL_MAX - (sizeof(mark) - 1));
		if (!(cut = malloc(n + sizeof(mark)))) {
			x->rc = PDV_E_NOMEM;
			return;
		}
		memcpy(cut, s, n);
		memcpy(cut + n, mark, sizeof(mark));
		s = cut;
	}
	/* libxlsxwriter writes an empty string as a blank cell */
	check(x, worksheet_write_string(x->ws, (lxw_row_t)row, (lxw_col_t)col, s,
	                                row == 0 ? x->head : x->body));
	free(cut);
}

void rxlsx_date(struct rxlsx *x, size_t row, size_t col, pdv_day_t day)
{
	struct pdv_date d = pdv_day_to_date(day);
	lxw_datetime dt = {.year = d.year, .month = d.month, .day = d.day};
	char mark[11];

	if (x->rc || !x->ws)
		return;
	if (!pdv_date_valid(d)) {
		/* Excel's dates end with 9999-12-31: past it a serial shows as
		 * #####; the text marker the csv and the words show instead */
		pdv_date_format(d, mark);
		check(x,
		      worksheet_write_string(x->ws, (lxw_row_t)row, (lxw_col_t)col, mark, x->date));
		return;
	}
	check(x, worksheet_write_datetime(x->ws, (lxw_row_t)row, (lxw_col_t)col, &dt, x->date));
}

/* the whole file at path appended to out */
static int slurp(const char *path, struct pdv_buf *out)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char chunk[65536];
	size_t n;
	int r = 0;

	if (!f)
		return PDV_E_IO;
	if (fstat(fileno(f), &st) < 0 || st.st_size < 0 || (size_t)st.st_size > XLSX_MAX) {
		fclose(f);
		return PDV_E_IO;
	}
	while (r == 0 && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		r = pdv_buf_append(out, chunk, n);
	if (r == 0 && ferror(f))
		r = PDV_E_IO;
	fclose(f);
	return r;
}

int rxlsx_finish(struct rxlsx *x, struct pdv_buf *out)
{
	int r;
	lxw_error e;

	if (!x)
		return PDV_E_INVAL;
	/* closing writes the file and frees the workbook, even after an error */
	e = workbook_close(x->wb);
	r = x->rc;
	if (r == 0 && e != LXW_NO_ERROR)
		r = e == LXW_ERROR_MEMORY_MALLOC_FAILED ? PDV_E_NOMEM : PDV_E_IO;
	if (r == 0)
		r = slurp(x->path, out);
	unlink(x->path);
	free(x);
	return r;
}
