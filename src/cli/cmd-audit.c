/*
 * cmd-audit.c — `pdvault audit verify` and `pdvault audit log [--subject ID]`.
 * verify checks every entry's keyed hash against the one before, and the
 * head file beside the key file; it prints its report even when it fails
 * (exit 1), naming the first bad entry.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "pdv/vault.h"

static int verify(struct cli_global *g, struct cli_vault *cv)
{
	struct pdv_audit_report rep;
	struct pdv_error err;

	pdv_error_clear(&err);
	if (pdv_audit_verify(cv->vault, &rep, &err) < 0)
		return cli_fail(g, &err);
	if (g->json) {
		cli_print_json(json_pack("{s:b, s:I, s:o}", "ok", rep.ok, "entries",
					 (json_int_t)rep.entries, "first_bad",
					 rep.first_bad ? json_integer(rep.first_bad) : json_null()));
		if (!rep.ok)
			fprintf(stderr, "pdvault: audit: %s\n", rep.why);
	} else if (rep.ok) {
		printf("audit log intact: %lld entries\n", (long long)rep.entries);
	} else {
		printf("audit log broken at entry %lld: %s\n", (long long)rep.first_bad, rep.why);
	}
	return rep.ok ? 0 : 1;
}

struct log_out {
	bool json;
	json_t *entries;
};

static void set_opt(json_t *o, const char *k, const char *v)
{
	json_object_set_new(o, k, v ? json_string(v) : json_null());
}

static int log_one(void *ctx, const struct pdv_audit_entry *e)
{
	struct log_out *o = ctx;
	char at[21];

	if (o->json) {
		json_t *j = json_pack("{s:I, s:o, s:s, s:s}", "seq", (json_int_t)e->seq, "at",
				      cli_json_time(e->at), "actor", e->actor, "action", e->action);
		set_opt(j, "subject", e->subject);
		set_opt(j, "record", e->record);
		set_opt(j, "activity", e->activity);
		set_opt(j, "purpose", e->purpose);
		set_opt(j, "detail", e->detail);
		json_array_append_new(o->entries, j);
		return 0;
	}
	pdv_time_format(e->at, at);
	printf("%lld %s %s %s", (long long)e->seq, at, e->actor, e->action);
	if (e->subject)
		printf(" subject=%s", e->subject);
	if (e->record)
		printf(" record=%s", e->record);
	if (e->activity)
		printf(" activity=%s", e->activity);
	if (e->detail)
		printf(" (%s)", e->detail);
	printf("\n");
	return 0;
}

static int audit_log(struct cli_global *g, struct cli_vault *cv, int argc, char **argv)
{
	static const struct option opts[] = {
		{"subject", required_argument, NULL, 's'},
		{NULL, 0, NULL, 0},
	};
	struct log_out o = {.json = g->json};
	struct pdv_error err;
	const char *subject = NULL;
	int c, status = 0;

	pdv_error_clear(&err);
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 's')
			subject = optarg;
		else
			return cli_usage_error(g, "usage: pdvault audit log [--subject ID]");
	}
	if (optind < argc)
		return cli_usage_error(g, "usage: pdvault audit log [--subject ID]");
	if (g->json)
		o.entries = json_array();
	if (pdv_audit_list(cv->vault, subject, log_one, &o, &err) < 0)
		status = cli_fail(g, &err);
	else if (g->json)
		cli_print_json(json_pack("{s:O}", "entries", o.entries));
	json_decref(o.entries);
	return status;
}

int cmd_audit(struct cli_global *g, int argc, char **argv)
{
	struct cli_vault cv = {0};
	struct pdv_error err;
	int status;

	pdv_error_clear(&err);
	if (argc < 2 || (strcmp(argv[1], "verify") != 0 && strcmp(argv[1], "log") != 0))
		return cli_usage_error(g, "usage: pdvault audit verify | audit log [--subject ID]");
	if (strcmp(argv[1], "verify") == 0 && argc != 2)
		return cli_usage_error(g, "usage: pdvault audit verify");
	if (cli_vault_open(g, &cv, &err) < 0)
		return cli_fail(g, &err);
	if (strcmp(argv[1], "verify") == 0)
		status = verify(g, &cv);
	else
		status = audit_log(g, &cv, argc - 1, argv + 1);
	cli_vault_close(&cv);
	return status;
}
