/*
 * cmd-export.c — `pdvault export SUBJECT [--format json|csv|html]
 * [--portable] [--lang L] [-o FILE]`: the copy of Art. 15, or the portable
 * extract of Art. 20. Values are copied out of the engine into sodium memory
 * and wiped once the document is written.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "pdv/crypto.h"
#include "pdv/vault.h"

struct collected {
	struct pdv_export_record *recs;
	size_t n, cap;
};

static char *dup_secure(const char *s, size_t n)
{
	char *p = pdv_secure_alloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static int keep(void *ctx, const struct pdv_shown_record *r)
{
	struct collected *c = ctx;
	struct pdv_export_record *e;
	struct pdv_export_field *f;

	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 8;
		struct pdv_export_record *p = realloc(c->recs, cap * sizeof(*p));

		if (!p)
			return PDV_E_NOMEM;
		c->recs = p;
		c->cap = cap;
	}
	e = &c->recs[c->n];
	memset(e, 0, sizeof(*e));
	if (!(f = calloc(r->n_fields ? r->n_fields : 1, sizeof(*f))))
		return PDV_E_NOMEM;
	e->fields = f;
	c->n++;
	e->record = strdup(r->record);
	e->activity = strdup(r->activity);
	e->phase = strdup(r->phase);
	e->collected_at = r->collected_at;
	e->has_next = r->has_next;
	e->next_phase = r->has_next ? r->next_phase : NULL; /* static strings */
	e->next_at = r->next_at;
	for (size_t i = 0; i < r->n_fields; i++) {
		f[i].name = strdup(r->fields[i].name);
		f[i].value = dup_secure(r->fields[i].value, r->fields[i].len);
		f[i].len = r->fields[i].len;
		e->n_fields++;
		if (!f[i].name || !f[i].value)
			return PDV_E_NOMEM;
	}
	return e->record && e->activity && e->phase ? 0 : PDV_E_NOMEM;
}

static void release(struct collected *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct pdv_export_record *e = &c->recs[i];

		for (size_t k = 0; k < e->n_fields; k++) {
			free((char *)e->fields[k].name);
			pdv_secure_free((char *)e->fields[k].value);
		}
		free((void *)e->fields);
		free((char *)e->record);
		free((char *)e->activity);
		free((char *)e->phase);
	}
	free(c->recs);
}

int cli_export_write(struct cli_vault *cv, const char *subject, enum pdv_format fmt,
		     bool portable, const char *lang, const char *output, struct pdv_error *err)
{
	struct collected c = {0};
	struct pdv_buf out;
	int rc;

	pdv_buf_init(&out, (size_t)256 * 1024 * 1024);
	if (!lang)
		lang = cv->decl->controller.languages.n && cv->decl->controller.languages.v[0].s &&
			       pdv_render_lang_supported(cv->decl->controller.languages.v[0].s)
			   ? cv->decl->controller.languages.v[0].s
			   : "en";
	if ((rc = pdv_export(cv->vault, subject, portable, keep, &c, err)) == 0 &&
	    (rc = pdv_render_export(cv->decl, lang, fmt, subject, portable, c.recs, c.n, &out,
				    err)) == 0)
		rc = cli_write_output(output, out.data ? out.data : "", out.len, err);
	if (out.data)
		pdv_wipe(out.data, out.len);
	pdv_buf_release(&out);
	release(&c);
	return rc;
}

int cmd_export(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
		{"format", required_argument, NULL, 'f'},
		{"portable", no_argument, NULL, 'p'},
		{"lang", required_argument, NULL, 'l'},
		{"output", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	static const char usage[] = "usage: pdvault export SUBJECT [--format json|csv|html] "
				    "[--portable] [--lang L] [-o FILE]";
	enum pdv_format fmt = PDV_FORMAT_JSON;
	const char *lang = NULL, *output = NULL;
	struct cli_vault cv = {0};
	struct pdv_error err;
	bool portable = false;
	int ch, status = 0;

	pdv_error_clear(&err);
	while ((ch = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (pdv_format_parse(optarg, &fmt) < 0 || fmt == PDV_FORMAT_MD)
				return cli_usage_error(g, "--format is json, csv or html");
			break;
		case 'p': portable = true; break;
		case 'l': lang = optarg; break;
		case 'o': output = optarg; break;
		default: return cli_usage_error(g, "%s", usage);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(g, "%s", usage);
	if (portable && fmt != PDV_FORMAT_JSON)
		return cli_usage_error(g, "a portable export (Art. 20) is JSON");
	if (lang && !pdv_render_lang_supported(lang))
		return cli_usage_error(g, "--lang is fr or en");
	if (cli_vault_open(g, &cv, &err) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (cli_export_write(&cv, argv[optind], fmt, portable, lang, output, &err) < 0)
		status = cli_fail(g, &err);
out:
	cli_vault_close(&cv);
	return status;
}
