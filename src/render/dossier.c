/*
 * dossier.c — the accountability dossier as one HTML page: the declaration
 * (its activities and its lint status), then each table the engine filled
 * (sweeps, requests, consents, breaches, Art. 19 notices, key rotations, the
 * audit entries referenced), in English.
 *
 * Self-contained and printable: an inline stylesheet with a print block, no
 * script, no image, no link outside the page (anchors only). Every string
 * that comes from the declaration or the engine goes through
 * pdv_buf_put_html. A late row carries class="late" and a "late" word in its
 * last cell, so it reads in black and white too. Deterministic for a given
 * input.
 */
#include <stdio.h>
#include <string.h>

#include "pdv/render.h"
#include "pdv/retention.h"
#include "i18n.h"
#include "render-internal.h"

#define WORDS_MAX 1024

struct w {
	struct pdv_buf *b;
	int rc;
};

static void raw(struct w *w, const char *s)
{
	int r;

	if (!w->rc && s && (r = pdv_buf_puts(w->b, s)) < 0)
		w->rc = r;
}

static void esc(struct w *w, const char *s)
{
	int r;

	if (!w->rc && (r = pdv_buf_put_html(w->b, s ? s : "")) < 0)
		w->rc = r;
}

static void cell(struct w *w, const char *tag, const char *s)
{
	raw(w, "<");
	raw(w, tag);
	raw(w, strcmp(tag, "th") == 0 ? " scope=\"col\">" : ">");
	esc(w, s);
	raw(w, "</");
	raw(w, tag);
	raw(w, ">");
}

static const char style[] =
    "body{font:11pt/1.4 Georgia,serif;margin:2em auto;max-width:60em;color:#111}"
    "h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.2em;border-bottom:1px solid #999;"
    "margin-top:1.6em}table{border-collapse:collapse;width:100%;margin:.5em 0;font-size:.9em}"
    "th,td{border:1px solid #bbb;padding:.25em .4em;text-align:left;vertical-align:top}"
    "th{background:#eee}tr.late td{background:#fde2e2;font-weight:bold}"
    ".refs{font-family:monospace;font-size:.85em;word-break:break-all}"
    ".ok{color:#064}.bad{color:#a00;font-weight:bold}p.intro{color:#333;font-size:.9em}"
    "@media print{body{margin:0;max-width:none;font-size:9.5pt}section{break-inside:auto}"
    "tr{break-inside:avoid}h2{break-after:avoid}tr.late td{background:none;"
    "text-decoration:underline}a{color:inherit;text-decoration:none}}";

static void declaration(struct w *w, const struct pdv_decl *d, const struct pdv_lint_result *lint)
{
	char words[WORDS_MAX];

	raw(w, "<section id=\"declaration\" data-section=\"declaration\"><h2>The declaration"
	       "</h2>\n<p>Lint: ");
	if (lint) {
		char n[96];
		snprintf(n, sizeof(n), "%zu error(s), %zu warning(s), %zu note(s)", lint->n_errors,
		         lint->n_warnings, lint->n_infos);
		raw(w, lint->n_errors ? "<span class=\"bad\">" : "<span class=\"ok\">");
		esc(w, n);
		raw(w, "</span>");
	} else {
		raw(w, "not run");
	}
	raw(w, ".</p>\n<table><thead><tr>");
	cell(w, "th", "Activity");
	cell(w, "th", "Legal basis");
	cell(w, "th", "Retention");
	cell(w, "th", "Recipients");
	raw(w, "</tr></thead><tbody>\n");
	for (size_t i = 0; i < d->n_activities; i++) {
		const struct pdv_activity *a = &d->activities[i];
		raw(w, "<tr>");
		raw(w, "<td>");
		esc(w, render_activity_name(a, "en"));
		raw(w, " (");
		esc(w, a->id.s);
		raw(w, ")</td><td>");
		for (size_t k = 0; k < a->basis.n; k++) {
			const char *b = pdv_i18n_basis(a->basis.v[k].s, "en", false);
			if (k)
				raw(w, "; ");
			esc(w, b ? b : a->basis.v[k].s);
		}
		raw(w, "</td><td>");
		if (render_retention_words(d, &a->retention, "en", words, sizeof(words)) !=
		    RWORDS_ABSENT)
			esc(w, words);
		else
			esc(w, pdv_i18n_not_stated("en"));
		raw(w, "</td><td>");
		for (size_t k = 0; k < a->recipients.n; k++) {
			if (k)
				raw(w, "; ");
			esc(w, a->recipients.v[k].s);
		}
		raw(w, "</td></tr>\n");
	}
	raw(w, "</tbody></table>\n");
	if (lint && (lint->n_errors || lint->n_warnings)) {
		raw(w, "<table><thead><tr>");
		cell(w, "th", "Severity");
		cell(w, "th", "Rule");
		cell(w, "th", "Finding");
		raw(w, "</tr></thead><tbody>\n");
		for (size_t i = 0; i < lint->n; i++) {
			const struct pdv_finding *f = &lint->findings[i];
			if (f->severity == PDV_SEV_INFO)
				continue;
			raw(w, "<tr>");
			cell(w, "td", pdv_severity_name(f->severity));
			cell(w, "td", f->rule);
			cell(w, "td", f->message);
			raw(w, "</tr>\n");
		}
		raw(w, "</tbody></table>\n");
	}
	raw(w, "</section>\n");
}

static void table(struct w *w, const struct pdv_dossier_table *t)
{
	raw(w, "<section id=\"");
	esc(w, t->id);
	raw(w, "\" data-section=\"");
	esc(w, t->id);
	raw(w, "\"><h2>");
	esc(w, t->title);
	raw(w, "</h2>\n");
	if (t->intro) {
		raw(w, "<p class=\"intro\">");
		esc(w, t->intro);
		raw(w, "</p>\n");
	}
	if (!t->n_rows) {
		raw(w, "<p class=\"empty\">");
		esc(w, t->empty ? t->empty : "None in the period.");
		raw(w, "</p></section>\n");
		return;
	}
	raw(w, "<table><thead><tr>");
	for (size_t c = 0; c < t->n_columns; c++)
		cell(w, "th", t->columns[c]);
	cell(w, "th", "Audit entries");
	raw(w, "</tr></thead><tbody>\n");
	for (size_t r = 0; r < t->n_rows; r++) {
		const struct pdv_dossier_row *row = &t->rows[r];
		raw(w, row->late ? "<tr class=\"late\">" : "<tr>");
		for (size_t c = 0; c < t->n_columns; c++)
			cell(w, "td", row->cells[c]);
		raw(w, "<td class=\"refs\" data-refs=\"");
		esc(w, row->refs ? row->refs : "");
		raw(w, "\">");
		esc(w, row->refs ? row->refs : "");
		raw(w, "</td></tr>\n");
	}
	raw(w, "</tbody></table></section>\n");
}

int pdv_render_dossier(const struct pdv_decl *d, const struct pdv_lint_result *lint,
                       const struct pdv_dossier *x, struct pdv_buf *out, struct pdv_error *err)
{
	struct w w = {out, 0};
	size_t start;
	char from[21], to[21], gen[21], n[64];
	const char *name = d && d->controller.name.s ? d->controller.name.s : "";

	if (!d || !x || !out)
		return pdv_error_set(err, PDV_E_INVAL, "no declaration, dossier or output buffer");
	start = out->len;
	pdv_time_format(x->from, from);
	pdv_time_format(x->to, to);
	pdv_time_format(x->generated, gen);
	raw(&w, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	        "<meta name=\"viewport\" content=\"width=device-width\">\n<title>"
	        "Accountability dossier: ");
	esc(&w, name);
	raw(&w, "</title>\n<style>");
	raw(&w, style);
	raw(&w, "</style></head>\n<body><main>\n<h1>Accountability dossier</h1>\n<p>");
	esc(&w, name);
	raw(&w, ". Period from <time>");
	esc(&w, from);
	raw(&w, "</time> to <time>");
	esc(&w, to);
	raw(&w, "</time> (exclusive); written <time>");
	esc(&w, gen);
	raw(&w, "</time>. Figures come from the audit log: each row names its entries "
	        "(<code>pdvault audit log</code>), listed in the last section.</p>\n"
	        "<section id=\"summary\" data-section=\"summary\"><h2>Summary</h2><ul>\n<li>Audit "
	        "chain: ");
	raw(&w, x->chain_ok ? "<span class=\"ok\" data-chain=\"ok\">"
	                    : "<span class=\"bad\" data-chain=\"broken\">");
	esc(&w, x->chain);
	raw(&w, "</span></li>\n<li>Late items: <span data-late-count=\"");
	snprintf(n, sizeof(n), "%zu", x->n_late);
	esc(&w, n);
	raw(&w, "\">");
	esc(&w, n);
	raw(&w, "</span></li>\n");
	for (size_t i = 0; i < x->n_tables; i++) {
		raw(&w, "<li><a href=\"#");
		esc(&w, x->tables[i].id);
		raw(&w, "\">");
		esc(&w, x->tables[i].title);
		raw(&w, "</a>: ");
		snprintf(n, sizeof(n), "%zu", x->tables[i].n_rows);
		esc(&w, n);
		raw(&w, "</li>\n");
	}
	raw(&w, "</ul></section>\n");
	declaration(&w, d, lint);
	for (size_t i = 0; i < x->n_tables; i++) {
		table(&w, &x->tables[i]);
	}
	raw(&w, "</main></body></html>\n");
	if (w.rc) {
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
		return pdv_error_set(err, w.rc, "the dossier could not be written (%s)",
		                     pdv_rc_code(w.rc));
	}
	return 0;
}
