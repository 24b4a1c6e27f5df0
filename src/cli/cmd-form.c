/*
 * cmd-form.c — `pdvault form ACTIVITY [--lang L] [--action URL] [-o FILE]`:
 * the embeddable HTML form that collects into an activity (see
 * pdv_render_form).
 *
 * A form is an invitation to collect, so it is refused where collect would
 * refuse: an activity with a lint error gets no form, as it gets no data.
 */
#include <getopt.h>

#include "cli.h"
#include "pdv/lint.h"

static int refuse_if_lint_error(const struct pdv_decl *d, const char *activity,
                                struct pdv_error *err)
{
	struct pdv_lint_result res = {0};
	pdv_day_t today;
	bool bad;
	int r;

	if ((r = cli_today(&today, err)) < 0 || (r = pdv_lint_run(d, today, &res, err)) < 0)
		return r;
	bad = pdv_lint_activity_has_error(&res, d, activity);
	pdv_lint_result_release(&res);
	if (!bad)
		return 0;
	pdv_error_set(err, PDV_E_REFUSED,
	              "activity '%s' has lint errors; no form is written for it until they are "
	              "fixed (see 'pdvault lint')",
	              activity);
	pdv_error_field(err, "activity");
	return PDV_E_REFUSED;
}

int cmd_form(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"lang", required_argument, NULL, 'l'},
	    {"action", required_argument, NULL, 'a'},
	    {"output", required_argument, NULL, 'o'},
	    {"json", no_argument, NULL, 'j'},
	    {NULL, 0, NULL, 0},
	};
	const char *lang = NULL, *action = "", *output = NULL, *activity;
	const struct pdv_decl *d;
	struct cli_vault *cv;
	struct pdv_buf out;
	struct pdv_error err;
	int c, status = 0;

	pdv_error_clear(&err);
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			lang = optarg;
			break;
		case 'a':
			action = optarg;
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
	if (optind >= argc)
		return cli_usage_error(g, "name the activity: pdvault form ACTIVITY");
	activity = argv[optind++];
	if (optind < argc)
		return cli_usage_error(g, "unexpected argument '%s'", argv[optind]);
	if (lang && !pdv_render_lang_supported(lang))
		return cli_usage_error(g, "unsupported language '%s' (fr or en)", lang);
	if (!pdv_render_form_base_valid(action))
		return cli_usage_error(g, "--action must be an http(s) URL or a path starting with "
		                          "/, without quotes, spaces, query or fragment");
	if (cli_setup(g, &cv, &err) < 0)
		return cli_fail(g, &err);
	d = cv->decl;
	pdv_buf_init(&out, 0);
	if (!pdv_decl_activity(d, activity)) {
		pdv_error_set(&err, PDV_E_NOTFOUND, "no activity '%.*s' in the declaration",
		              PDV_UTF8_CUT(activity, 64));
		pdv_error_field(&err, "activity");
		status = cli_fail(g, &err);
		goto out;
	}
	if (refuse_if_lint_error(d, activity, &err) < 0 ||
	    pdv_render_form(d, activity, lang ? lang : pdv_render_default_lang(d), action, &out,
	                    &err) < 0 ||
	    cli_write_output(output, out.data ? out.data : "", out.len, &err) < 0)
		status = cli_fail(g, &err);
out:
	pdv_buf_release(&out);
	return status;
}
