/*
 * cmd-export.c — `pdvault export SUBJECT [--format json|csv|html]
 * [--portable] [--lang L] [-o FILE]`: the copy of Art. 15, or the portable
 * extract of Art. 20. Values are copied out of the engine into sodium memory
 * and wiped once the document is written.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pdv/wipe.h"
#include "pdv/vault.h"

int cli_export_write(struct cli_vault *cv, const char *subject, enum pdv_format fmt, bool portable,
                     const char *lang, const char *output, struct pdv_error *err)
{
	struct pdv_buf out;
	int rc;

	pdv_buf_init(&out, (size_t)256 * 1024 * 1024);
	if ((rc = pdv_export_document(cv->session, subject, fmt, portable, lang, &out, err)) == 0)
		rc = cli_write_private(output, out.data ? out.data : "", out.len, err);
	if (out.data)
		pdv_wipe(out.data, out.len);
	pdv_buf_release(&out);
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
	enum pdv_format fmt = PDV_FORMAT_JSON;
	const char *lang = NULL, *output = NULL;
	struct cli_vault *cv = NULL;
	struct pdv_error err;
	bool portable = false;
	int ch, status = 0;

	pdv_error_clear(&err);
	while ((ch = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (pdv_format_parse(optarg, &fmt) < 0 ||
			    (fmt != PDV_FORMAT_JSON && fmt != PDV_FORMAT_CSV &&
			     fmt != PDV_FORMAT_HTML))
				return cli_usage_error(g, "--format is json, csv or html");
			break;
		case 'p':
			portable = true;
			break;
		case 'l':
			lang = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		default:
			return cli_usage_fail(g);
		}
	}
	if (argc - optind != 1)
		return cli_usage_fail(g);
	if (portable && fmt != PDV_FORMAT_JSON)
		return cli_usage_error(g, "a portable export (Art. 20) is JSON");
	if (lang && !pdv_render_lang_supported(lang))
		return cli_usage_error(g, "--lang is fr or en");
	if (cli_setup(g, &cv, &err) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (cli_export_write(cv, argv[optind], fmt, portable, lang, output, &err) < 0)
		status = cli_fail(g, &err);
out:
	return status;
}
