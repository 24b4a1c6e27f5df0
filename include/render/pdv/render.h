/*
 * pdv/render.h — documents written from the declaration: the privacy notice
 * (Art. 13/14) and the register of processing activities (Art. 30(1)).
 *
 * and the embeddable collection form of one activity.
 *
 * Renderers are pure: they read a loaded declaration and append to a buffer
 * (the xlsx register alone goes through a temporary file, libxlsxwriter
 * writing only files; see pdv_render_register_on).
 * HTML output (except the form, a fragment) is one standalone accessible page (lang attribute,
 * headings, table headers, a print stylesheet) with every declared text escaped. Languages: "en"
 * and "fr"; a text missing in the asked language falls back as pdv_text_get says.
 */
#ifndef PDV_RENDER_H
#define PDV_RENDER_H

#include "pdv/buf.h"
#include "pdv/decl.h"
#include "pdv/error.h"
#include "pdv/lint.h"
#include "pdv/time.h"

enum pdv_format {
	PDV_FORMAT_MD = 0,
	PDV_FORMAT_HTML,
	PDV_FORMAT_CSV,
	PDV_FORMAT_JSON,
	PDV_FORMAT_CSV_EXCEL, /* "csv-excel": what a spreadsheet opens as is (the register) */
	PDV_FORMAT_XLSX,      /* an Excel workbook, binary (the register) */
	PDV_FORMAT_DPV,       /* W3C DPV 2.x JSON-LD: the register only (dpv.c) */
};

int pdv_format_parse(const char *s, enum pdv_format *ret);
const char *pdv_format_name(enum pdv_format f);

/* Is lang a language the renderers write ("en", "fr")? */
bool pdv_render_lang_supported(const char *lang);
/* the controller's first declared language the renderers support, or "en" */
const char *pdv_render_default_lang(const struct pdv_decl *d);

/* The privacy notice, md or html. */
int pdv_render_notice(const struct pdv_decl *d, const char *lang, enum pdv_format fmt,
                      struct pdv_buf *out, struct pdv_error *err) PDV_WUR;

/*
 * The JSON document of a lint result: {"findings": [...], "summary": {"errors",
 * "warnings", "infos"}}, every finding listed (file is the declaration's name,
 * any bytes). Fails only when memory runs out, and then writes nothing.
 */
int pdv_render_lint_json(const struct pdv_lint_result *res, const char *file, struct pdv_buf *out,
                         struct pdv_error *err) PDV_WUR;

/*
 * The Art. 30 register: csv (RFC 4180: ",", CRLF, quotes doubled), json, md,
 * html, dpv (W3C DPV 2.x JSON-LD, dpv.c), and two forms for spreadsheets:
 *  - csv-excel: what Excel opens with a double click in a French or English
 *    locale: a UTF-8 byte order mark, ";" between cells, CRLF, the same
 *    quoting, and one more column, the register's date (dd/mm/yyyy in
 *    French, yyyy-mm-dd in English);
 *  - xlsx: a workbook with one sheet per table of the register (the
 *    controller, the activities one per row, the security measures), each
 *    with its header row bold and frozen, widths set, text wrapped, and the
 *    register's date a real Excel date. Binary: out holds bytes, not text.
 *    libxlsxwriter only writes files: the workbook is made in a temporary
 *    file ($TMPDIR, else /tmp; mode 0600), read back into out and removed.
 * on: the day the register is produced (the controller's calendar day),
 * shown by the spreadsheet forms only, so that a copy passed around says
 * when it was true; negative: none. pdv_render_register is _on with none.
 */
int pdv_render_register(const struct pdv_decl *d, const char *lang, enum pdv_format fmt,
                        struct pdv_buf *out, struct pdv_error *err) PDV_WUR;
int pdv_render_register_on(const struct pdv_decl *d, const char *lang, enum pdv_format fmt,
                           pdv_day_t on, struct pdv_buf *out, struct pdv_error *err) PDV_WUR;
/* Is fmt binary (not text that may go to a terminal)? */
bool pdv_format_binary(enum pdv_format fmt);

/*
 * The form of one activity: an HTML fragment to embed in a page (a scoped
 * <style>, one <form class="pdvault-form"> and a <script>). One labelled
 * input per declared field (name= the field name; type, required and
 * maxlength from the declaration), for a consent-based activity an unticked
 * required checkbox labelled with the declared consent text, the short
 * Art. 13 information (controller, purposes, legal basis) and a link to
 * BASE/v1/notice. The script posts {"fields":{...},"consent":bool} as JSON to
 * BASE/v1/activities/ACTIVITY/submissions and shows the answer; a 422 marks
 * the field it names. base: "" (same origin), "/path" or an http(s) URL.
 * PDV_E_NOTFOUND when the activity is not declared; whether it may collect
 * (lint errors) is for the caller to check.
 */
int pdv_render_form(const struct pdv_decl *d, const char *activity, const char *lang,
                    const char *base, struct pdv_buf *out, struct pdv_error *err) PDV_WUR;
/* Is base a base URL the form accepts ("", "/...", http(s)://, no quote,
 * space, query or fragment)? */
bool pdv_render_form_base_valid(const char *base);

/* one record of a subject, decrypted, for an export */
struct pdv_export_field {
	const char *name;
	const char *value;
	size_t len;
};
struct pdv_export_record {
	const char *record;
	const char *activity; /* id */
	const char *phase;
	pdv_time_t collected_at;
	bool has_next;
	const char *next_phase;
	pdv_time_t next_at;
	size_t n_fields;
	const struct pdv_export_field *fields;
};

/*
 * The copy of Art. 15: for each record, the purposes, the legal basis, the
 * categories, the recipients by name, the retention in words and the next
 * step's date, the rights that apply, the complaint to the authority, the
 * source, automated decisions, then the values; json, csv or a standalone
 * html page. portable: Art. 20, json only, the values the person provided
 * in records of consent or contract activities (the caller passes only those).
 */
int pdv_render_export(const struct pdv_decl *d, const char *lang, enum pdv_format fmt,
                      const char *subject, bool portable, const struct pdv_export_record *recs,
                      size_t n, struct pdv_buf *out, struct pdv_error *err) PDV_WUR;

/*
 * The accountability dossier (Art. 5(2)): what the engine found in the audit
 * log and the store for a period, as tables, rendered with the declaration
 * and its lint status into one self-contained printable HTML page (inline
 * style with a print block, no script, no external resource). The engine
 * fills it (pdv_dossier_document, pdv/vault.h); each row names the audit
 * entries its figures come from, and the last table lists those entries.
 * Strings are the engine's (cells, refs), escaped here.
 */
struct pdv_dossier_row {
	char **cells; /* one per column */
	char *refs;   /* the audit entries (seq numbers, "3, 7-9"); NULL: none */
	bool late;
};
struct pdv_dossier_table {
	const char *id;    /* the section's anchor and data-section */
	const char *title; /* trusted text */
	const char *intro; /* how its figures are computed; trusted text */
	const char *empty; /* shown when it has no row */
	const char *const *columns;
	size_t n_columns;
	struct pdv_dossier_row *rows;
	size_t n_rows, cap;
};
#define PDV_DOSSIER_TABLES 12
struct pdv_dossier {
	pdv_time_t from, to; /* the period: [from, to), to the end of its last day */
	pdv_time_t generated;
	bool chain_ok;
	char chain[576]; /* the audit chain's verification, in words (why: 512) */
	size_t n_late;   /* rows marked late */
	struct pdv_dossier_table tables[PDV_DOSSIER_TABLES];
	size_t n_tables;
};
int pdv_render_dossier(const struct pdv_decl *d, const struct pdv_lint_result *lint,
                       const struct pdv_dossier *x, struct pdv_buf *out,
                       struct pdv_error *err) PDV_WUR;

#endif
