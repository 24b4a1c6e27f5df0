/*
 * render/render-internal.h — what the notice and the register share: a small
 * document writer for Markdown and standalone HTML, and helpers that turn
 * parts of the declaration into words.
 *
 * The writer keeps the first error and ignores every later call (like a
 * stdio stream's error flag): a renderer is a long run of appends, and
 * checking each one would bury what the document says under error paths.
 * The renderer checks rdoc_finish() once at the end.
 *
 * Two kinds of text go through the writer, never mixed up:
 *  - rdoc_raw(): markup and our own sentences (trusted, written as is);
 *  - rdoc_text(): anything that comes from the declaration, escaped for the
 *    format (pdv_buf_put_html / pdv_buf_put_md).
 */
#ifndef PDV_RENDER_INTERNAL_H
#define PDV_RENDER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "pdv/buf.h"
#include "pdv/decl.h"
#include "pdv/render.h"

struct rdoc {
	struct pdv_buf *out;
	enum pdv_format fmt; /* PDV_FORMAT_MD or PDV_FORMAT_HTML */
	const char *lang;
	int rc;           /* the first error, 0 while all went well */
	size_t cols;      /* columns of the open table (md separator row) */
	size_t row_cells; /* cells written in the open row */
	bool head_row;    /* the open row is the header row */
	bool cell_th;     /* the open body cell is a row header */
};

void rdoc_init(struct rdoc *d, struct pdv_buf *out, enum pdv_format fmt, const char *lang);
/* the first error, or 0 */
int rdoc_finish(struct rdoc *d);

void rdoc_raw(struct rdoc *d, const char *s);
void rdoc_rawf(struct rdoc *d, const char *fmt, ...) PDV_PRINTF(2, 3);
void rdoc_text(struct rdoc *d, const char *s);
/* our own sentence in the document language */
void rdoc_tr(struct rdoc *d, const char *en, const char *fr);
/* declared text for people in the document language, or "not stated" */
void rdoc_dtext(struct rdoc *d, const struct pdv_text *t);
/* a declared scalar, or "not stated" */
void rdoc_dstr(struct rdoc *d, const struct pdv_str *s);

/* html: <!DOCTYPE html>...<main>; md: nothing. Then the h1 title (escaped). */
void rdoc_page_begin(struct rdoc *d, const char *title, const char *subtitle);
void rdoc_page_end(struct rdoc *d);

void rdoc_h_begin(struct rdoc *d, int level);
void rdoc_h_end(struct rdoc *d, int level);
void rdoc_p_begin(struct rdoc *d);
void rdoc_p_end(struct rdoc *d);
void rdoc_ul_begin(struct rdoc *d);
void rdoc_ul_end(struct rdoc *d);
void rdoc_li_begin(struct rdoc *d);
void rdoc_li_end(struct rdoc *d);
/* "Label: " with the label set apart (our own words) */
void rdoc_label(struct rdoc *d, const char *en, const char *fr);
/* the list separator: French typography spaces the semicolon */
const char *rdoc_semi(const struct rdoc *d);
/* the activity's legal bases, each with its article ("not stated" when
 * none), long_form: the notice's wording, else the form's short one */
void rdoc_basis(struct rdoc *d, const struct pdv_activity *a, bool long_form);
/* a link when url is http(s), else the url as text; both escaped */
void rdoc_link(struct rdoc *d, const char *url, const char *text);

/*
 * Tables: header cells are written with rdoc_cell_begin/end inside the first
 * row, which rdoc_table_begin opens; rdoc_table_body() closes it. Header
 * cells get scope="col"; rdoc_cell_begin(d, true) in the body writes a
 * row header (scope="row").
 */
void rdoc_table_begin(struct rdoc *d, const char *caption_en, const char *caption_fr, size_t cols);
void rdoc_table_body(struct rdoc *d);
void rdoc_table_end(struct rdoc *d);
void rdoc_row_begin(struct rdoc *d);
void rdoc_row_end(struct rdoc *d);
void rdoc_cell_begin(struct rdoc *d, bool row_header);
void rdoc_cell_end(struct rdoc *d);
/* a header cell holding our own words */
void rdoc_th(struct rdoc *d, const char *en, const char *fr);

/* ---- the declaration in words ---------------------------------------- */

enum rwords {
	RWORDS_ABSENT = 0, /* nothing declared */
	RWORDS_DESCRIBED,  /* compiled and described in words */
	RWORDS_AS_WRITTEN, /* did not compile: the declared text as written */
};

/*
 * An activity's retention in words. When it does not compile (free words,
 * a missing part), buf holds the declared active span and archive as
 * written, so the reader sees what the controller wrote.
 */
enum rwords render_retention_words(const struct pdv_decl *d, const struct pdv_retention_decl *rd,
                                   const char *lang, char *buf, size_t size);

/* a recipient's name in lang, else its id */
const char *render_recipient_name(const struct pdv_recipient *r, const char *lang);
/* an activity's name in lang, else its id, else "not stated" */
const char *render_activity_name(const struct pdv_activity *a, const char *lang);

bool render_has_basis(const struct pdv_activity *a, const char *basis);
/* does the activity have a use under "marketing"? */
bool render_is_marketing(const struct pdv_activity *a);
/*
 * Where a recipient processes data: its `country`, then each of its
 * `countries` not already named (ISO codes, "EEA" for somewhere in the EEA,
 * "elsewhere" for somewhere outside it). Fills ret (borrowed strings) with at
 * most max places and returns how many.
 */
#define RENDER_PLACES_MAX 16
size_t render_places(const struct pdv_recipient *r, const char **ret, size_t max);
/* a place in words: a country name, or what "EEA" and "elsewhere" mean */
const char *render_place_name(const char *place, const char *lang);
bool render_place_outside_eea(const char *place);
/* a recipient with one of its places outside the EEA */
bool render_outside_eea(const struct pdv_recipient *r);
/* a recipient with at least one place declared */
bool render_located(const struct pdv_recipient *r);
/* the activity's i-th category name (taxonomy name, else key, else field name) */
const char *render_field_category(const struct pdv_field *f, const char *lang);

/*
 * The label of an activity's i-th field, the one its form shows: the
 * category's name in lang; when another field of the activity shares that
 * name, the field's name follows in parentheses so the labels differ. In buf
 * (which it returns); the category's name alone when both do not fit.
 */
#define RENDER_LABEL_MAX 512
const char *render_field_label(const struct pdv_activity *a, size_t i, const char *lang,
                               char buf[static RENDER_LABEL_MAX]);

/* ---- dates ------------------------------------------------------------- */

/* a day in words: "2 mars 2026", "1er mars 2026", "2 March 2026"; outside
 * years 1..9999, PDV_DATE_BEFORE or PDV_DATE_AFTER (as pdv_date_format) */
#define RENDER_DATE_MAX 32
void render_date_words(pdv_day_t day, const char *lang, char buf[static RENDER_DATE_MAX]);
/* a day as a spreadsheet in the language reads it: 02/03/2026 (fr),
 * 2026-03-02 (en, which every locale reads the same); outside years
 * 1..9999, PDV_DATE_BEFORE or PDV_DATE_AFTER in both */
void render_date_short(pdv_day_t day, const char *lang, char buf[static 11]);

/* ---- xlsx (xlsx.c, the only file that sees libxlsxwriter) -------------- */

/*
 * A workbook being written: open, then for each sheet rxlsx_sheet and its
 * cells (row 0 is the header row: bold, frozen), then rxlsx_finish, which
 * appends the file's bytes to out, removes the temporary file and frees x,
 * whatever happened before. Like rdoc, the first error is kept and every
 * later call ignored; rxlsx_finish returns it.
 */
struct rxlsx;
int rxlsx_open(const char *lang, pdv_day_t on, struct rxlsx **ret) PDV_WUR;
/* a new sheet named name (our own words, <= 31 characters) of cols columns
 * with those widths (in characters) */
void rxlsx_sheet(struct rxlsx *x, const char *name, size_t cols, const double *widths);
void rxlsx_text(struct rxlsx *x, size_t row, size_t col, const char *s);
/* a real Excel date; outside years 1..9999 (no Excel date), its marker as text */
void rxlsx_date(struct rxlsx *x, size_t row, size_t col, pdv_day_t day);
int rxlsx_finish(struct rxlsx *x, struct pdv_buf *out) PDV_WUR;

/* the register as W3C DPV 2.x JSON-LD (dpv.c); PDV_E_NOMEM only */
int render_dpv(const struct pdv_decl *d, const char *lang, struct pdv_buf *out);

#endif
