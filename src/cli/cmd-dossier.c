/*
 * cmd-dossier.c — `pdvault dossier --from DATE --to DATE [-o FILE.html]`:
 * the accountability dossier of a period, one self-contained printable HTML
 * page (pdv_dossier_document). Both days are included: --to 2026-12-31 runs
 * to 2027-01-01T00:00:00Z. A DATE may also be a UTC time (…T…Z).
 */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "pdv/vault.h"

/* a day is the whole day: the end of the period is the next day's start */
static int period_end(const char *s, pdv_time_t *ret, struct pdv_error *err)
{
	int rc = pdv_time_parse(s, ret, err);

	if (rc == 0 && strlen(s) == 10)
		*ret += 86400;
	return rc;
}

int cmd_dossier(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"from", required_argument, NULL, 'f'},
	    {"to", required_argument, NULL, 't'},
	    {"output", required_argument, NULL, 'o'},
	    {NULL, 0, NULL, 0},
	};
	const char *from_s = NULL, *to_s = NULL, *output = NULL;
	struct cli_vault *cv = NULL;
	struct pdv_error err;
	struct pdv_buf out;
	pdv_time_t from, to;
	int c, status = 0;

	pdv_error_clear(&err);
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (c == 'f')
			from_s = optarg;
		else if (c == 't')
			to_s = optarg;
		else if (c == 'o')
			output = optarg;
		else
			return cli_usage_fail(g);
	}
	if (!from_s || !to_s || optind < argc)
		return cli_usage_fail(g);
	if (pdv_time_parse(from_s, &from, NULL) < 0)
		return cli_usage_error(g, "--from: not a date (YYYY-MM-DD): '%s'", from_s);
	if (period_end(to_s, &to, NULL) < 0)
		return cli_usage_error(g, "--to: not a date (YYYY-MM-DD): '%s'", to_s);
	if (to <= from)
		return cli_usage_error(g, "--to: the period ends before it starts");
	pdv_buf_init(&out, 0);
	if (cli_setup(g, &cv, &err) < 0 ||
	    pdv_dossier_document(cv->session, from, to, &out, &err) < 0 ||
	    cli_write_output(output, out.data ? out.data : "", out.len, &err) < 0)
		status = cli_fail(g, &err);
	pdv_buf_release(&out);
	return status;
}
