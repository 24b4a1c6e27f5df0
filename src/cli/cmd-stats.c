/*
 * cmd-stats.c — `pdvault stats ACTIVITY --by FIELD` and `pdvault outbox list`.
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

struct outbox_out {
	bool json;
	json_t *msgs;
};

static int on_msg(void *ctx, int64_t id, const char *kind, const char *recipient,
                  const char *record, pdv_time_t created_at, bool sent)
{
	struct outbox_out *o = ctx;
	char at[21];

	if (o->json) {
		json_t *m = json_pack("{s:I, s:s, s:o, s:b}", "id", (json_int_t)id, "kind", kind,
		                      "created_at", cli_json_time(created_at), "sent", sent);

		json_object_set_new(m, "recipient",
		                    recipient ? json_string(recipient) : json_null());
		json_object_set_new(m, "record", record ? json_string(record) : json_null());
		json_array_append_new(o->msgs, m);
		return 0;
	}
	pdv_time_format(created_at, at);
	printf("%-6lld %s  %-12s %s%s%s\n", (long long)id, at, kind, record ? record : "-",
	       recipient ? " to " : "", recipient ? recipient : "");
	return 0;
}

static int on_open(void *ctx, const char *kind, const char *to, const char *code)
{
	const struct cli_global *g = ctx;

	if (g->json)
		return cli_print_json(
		    json_pack("{s:s, s:s, s:s}", "kind", kind, "to", to, "code", code));
	printf("kind  %s\nto    %s\ncode  %s\n", kind, to, code);
	return 0;
}

int cmd_outbox(struct cli_global *g, int argc, char **argv)
{
	struct outbox_out o = {.json = g->json};
	struct cli_vault *cv = NULL;
	struct pdv_error err;
	char *end;
	long long id = 0;
	int status = 0;

	pdv_error_clear(&err);
	if (argc == 3 && strcmp(argv[1], "show") == 0) {
		id = strtoll(argv[2], &end, 10);
		if (*end || id <= 0)
			return cli_usage_error(g,
			                       "the message id is a positive number (outbox list)");
	} else if (argc != 2 || strcmp(argv[1], "list") != 0) {
		return cli_usage_fail(g);
	}
	o.msgs = json_array();
	if (cli_setup(g, &cv, &err) < 0 ||
	    (id ? pdv_outbox_open(cv->session, id, on_open, g, &err)
	        : pdv_outbox_list(cv->session, on_msg, &o, &err)) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (g->json && !id)
		cli_print_json(json_pack("{s:O}", "messages", o.msgs));
out:
	json_decref(o.msgs);
	return status;
}
