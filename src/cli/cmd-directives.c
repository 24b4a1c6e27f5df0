/*
 * cmd-directives.c — `pdvault directives SUBJECT [--set TEXT | --stdin]`:
 * post-mortem directives (LIL art. 85), kept sealed; without an option,
 * shows them.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pdv/wipe.h"
#include "pdv/vault.h"

struct shown {
	bool json;
	json_t *doc;
	const char *subject;
};

static int show_text(void *ctx, const char *text, size_t len)
{
	struct shown *s = ctx;

	if (s->json)
		s->doc = json_pack("{s:s, s:s%}", "subject", s->subject, "directives", text, len);
	else
		printf("%.*s\n", (int)len, text);
	return 0;
}

int cli_directives_write(struct cli_vault *cv, const char *subject, const char *output,
                         struct pdv_error *err)
{
	struct shown s = {.json = true, .subject = subject};
	int rc = pdv_directives_get(cv->session, subject, show_text, &s, err);
	char *text;

	if (rc < 0)
		return rc;
	text = json_dumps(s.doc, JSON_INDENT(2));
	json_decref(s.doc);
	if (!text)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	rc = cli_write_private(output, text, strlen(text), err);
	pdv_wipe(text, strlen(text));
	free(text);
	return rc;
}

int cmd_directives(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"set", required_argument, NULL, 's'},
	    {"stdin", no_argument, NULL, 'i'},
	    {NULL, 0, NULL, 0},
	};
	struct shown s = {.json = g->json};
	struct cli_vault *cv = NULL;
	struct pdv_error err;
	const char *set = NULL;
	char *buf = NULL;
	bool from_stdin = false;
	int c, status = 0, rc;

	pdv_error_clear(&err);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's')
			set = optarg;
		else if (c == 'i')
			from_stdin = true;
		else
			return cli_usage_fail(g);
	}
	if (argc - optind != 1 || (set && from_stdin))
		return cli_usage_fail(g);
	s.subject = argv[optind];
	if (from_stdin) {
		size_t n;

		if (!(buf = pdv_secure_alloc(PDV_DIRECTIVES_MAX + 2)))
			return cli_usage_error(g, "out of memory");
		n = fread(buf, 1, PDV_DIRECTIVES_MAX + 1, stdin);
		while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
			n--;
		buf[n] = '\0';
		set = buf;
	}
	if ((rc = cli_setup(g, &cv, &err)) == 0)
		rc = set ? pdv_directives_set(cv->session, argv[optind], set, strlen(set), &err)
		         : pdv_directives_get(cv->session, argv[optind], show_text, &s, &err);
	if (rc < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (set) {
		if (g->json)
			cli_print_json(json_pack("{s:s, s:b}", "subject", argv[optind], "set", 1));
		else
			printf("directives recorded for %s\n", argv[optind]);
	} else if (g->json) {
		cli_print_json(s.doc);
		s.doc = NULL;
	}
out:
	json_decref(s.doc);
	if (buf)
		pdv_secure_free(buf);
	return status;
}
