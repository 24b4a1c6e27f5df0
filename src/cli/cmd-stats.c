/*
 * cmd-stats.c — `pdvault stats ACTIVITY --by FIELD`.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "pdv/vault.h"

struct stats_out {
	bool json;
	json_t *cells;
};

static int on_cell(void *ctx, const char *value, size_t len, long count)
{
	struct stats_out *o = ctx;

	if (o->json)
		json_array_append_new(o->cells, json_pack("{s:s%, s:I}", "value", value, len,
		                                          "count", (json_int_t)count));
	else
		printf("%8ld  %.*s\n", count, (int)len, value);
	return 0;
}

int cmd_stats(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"by", required_argument, NULL, 'b'},
	    {NULL, 0, NULL, 0},
	};
	struct stats_out o = {.json = g->json};
	struct cli_vault *cv = NULL;
	struct pdv_error err;
	const char *by = NULL;
	long total = 0, suppressed = 0;
	int c, status = 0;

	pdv_error_clear(&err);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'b')
			by = optarg;
		else
			return cli_usage_fail(g);
	}
	if (!by || argc - optind != 1)
		return cli_usage_fail(g);
	o.cells = json_array();
	if (cli_setup(g, &cv, &err) < 0 ||
	    pdv_stats(cv->session, argv[optind], by, on_cell, &o, &total, &suppressed, &err) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (g->json)
		cli_print_json(json_pack("{s:s, s:s, s:I, s:O, s:I, s:i}", "activity", argv[optind],
		                         "by", by, "total", (json_int_t)total, "cells", o.cells,
		                         "suppressed_cells", (json_int_t)suppressed, "min_cell",
		                         PDV_STATS_MIN_CELL));
	else
		printf("%ld in all; %ld value%s held by fewer than %d people not shown\n", total,
		       suppressed, suppressed == 1 ? "" : "s", PDV_STATS_MIN_CELL);
out:
	json_decref(o.cells);
	return status;
}
