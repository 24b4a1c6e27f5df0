/*
 * cmd-banner.c — `pdvault banner --kit KIT [--lang L] [-o FILE]`: the
 * configuration of a cookie banner (tarteaucitron, klaro, orejime,
 * cookieconsent) from the declaration, kept in the store by its id (see
 * pdv_banner_write), so a receipt can later be replayed against it.
 *
 * A banner asks for consent: it is refused, like a form, while the
 * declaration has an error of a cookie rule. The id goes to stderr (or, with
 * --json, in a document with the file's path), the file to -o or stdout.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

int cmd_banner(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"kit", required_argument, NULL, 'k'},
	    {"lang", required_argument, NULL, 'l'},
	    {"output", required_argument, NULL, 'o'},
	    {"json", no_argument, NULL, 'j'},
	    {NULL, 0, NULL, 0},
	};
	const char *kit = NULL, *lang = NULL, *output = NULL;
	char id[PDV_COOKIE_CONFIG_ID_LEN + 1];
	struct cli_vault *cv;
	struct pdv_buf out;
	struct pdv_error err;
	int c, status = 0;

	pdv_error_clear(&err);
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			kit = optarg;
			break;
		case 'l':
			lang = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'j':
			g->json = true;
			break;
		default:
			return cli_usage_fail(g);
		}
	}
	if (optind < argc)
		return cli_usage_error(g, "unexpected argument '%s'", argv[optind]);
	if (!kit)
		return cli_usage_error(
		    g, "name the kit: --kit tarteaucitron, klaro, orejime or cookieconsent");
	if (!pdv_banner_kit_known(kit))
		return cli_usage_error(g,
		                       "unknown kit '%s' (tarteaucitron, klaro, orejime or "
		                       "cookieconsent)",
		                       kit);
	if (lang && !pdv_render_lang_supported(lang))
		return cli_usage_error(g, "unsupported language '%s' (fr or en)", lang);
	if (cli_setup(g, &cv, &err) < 0)
		return cli_fail(g, &err);
	pdv_buf_init(&out, 0);
	if (pdv_banner_write(cv->session, kit, lang ? lang : pdv_render_default_lang(cv->decl),
	                     &out, id, &err) < 0 ||
	    cli_write_output(output, out.data ? out.data : "", out.len, &err) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (g->json && output)
		cli_print_json(
		    json_pack("{s:s, s:s, s:s}", "config", id, "kit", kit, "output", output));
	else
		fprintf(stderr, "pdvault: banner %s: config %s\n", kit, id);
out:
	pdv_buf_release(&out);
	return status;
}
