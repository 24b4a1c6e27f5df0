/*
 * cmd-event.c — `pdvault event SUBJECT EVENT [--activity A]` and
 * `pdvault consent SUBJECT ACTIVITY grant|withdraw`: the lifecycle of a
 * subject's records, applied at once.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "pdv/vault.h"

int cmd_event(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"activity", required_argument, NULL, 'a'},
	    {NULL, 0, NULL, 0},
	};
	struct cli_vault *cv = NULL;
	struct pdv_error err;
	const char *activity = NULL;
	int c, n = 0, status = 0;

	pdv_error_clear(&err);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'a')
			activity = optarg;
		else
			return cli_usage_fail(g);
	}
	if (argc - optind != 2)
		return cli_usage_fail(g);
	if (cli_setup(g, &cv, &err) < 0 ||
	    pdv_event(cv->session, argv[optind], argv[optind + 1], activity, &n, &err) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (g->json)
		cli_print_json(json_pack("{s:i}", "recorded", n));
	else
		printf("recorded %s on %d record%s\n", argv[optind + 1], n, n == 1 ? "" : "s");
out:
	return status;
}

int cmd_consent(struct cli_global *g, int argc, char **argv)
{
	struct cli_vault *cv = NULL;
	struct pdv_consent_out out;
	struct pdv_error err;
	int status = 0;
	bool grant;

	pdv_error_clear(&err);
	if (argc != 4 || argv[1][0] == '-')
		return cli_usage_fail(g);
	if (strcmp(argv[3], "grant") == 0)
		grant = true;
	else if (strcmp(argv[3], "withdraw") == 0)
		grant = false;
	else
		return cli_usage_fail(g);
	if (cli_setup(g, &cv, &err) < 0 ||
	    pdv_consent(cv->session, argv[1], argv[2], grant, &out, &err) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (g->json) {
		json_t *o = json_pack("{s:s, s:s, s:o}", "activity", out.activity, "state",
		                      out.state, "at", cli_json_time(out.at));

		json_object_set_new(o, "version",
		                    out.version ? json_string(out.version) : json_null());
		cli_print_json(json_pack("{s:o, s:i}", "consent", o, "ended", out.ended));
	} else {
		char at[21];

		pdv_time_format(out.at, at);
		printf("consent %s for %s at %s%s%s\n", out.state, out.activity, at,
		       out.version ? ", version " : "", out.version ? out.version : "");
		if (out.ended)
			printf("%d record%s ended\n", out.ended, out.ended == 1 ? "" : "s");
	}
out:
	return status;
}
