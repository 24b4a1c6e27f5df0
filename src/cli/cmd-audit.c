/*
 * cmd-audit.c — `pdvault audit verify`, `pdvault audit log [--subject ID]`
 * and `pdvault audit accept-loss --reason TEXT`.
 * verify checks every entry's keyed hash against the one before, and the
 * head file beside the key file; it prints its report even when it fails
 * (exit 1), naming the first bad entry, and lists the losses accepted.
 * accept-loss is the explicit way past entries cut off the log (or a lost
 * head file), which otherwise refuses every write.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "pdv/vault.h"

static json_t *losses_json(const struct pdv_audit_report *rep)
{
	json_t *a = json_array();

	for (size_t i = 0; i < rep->n_losses && i < PDV_AUDIT_LOSSES_MAX; i++) {
		const struct pdv_audit_loss *l = &rep->losses[i];

		json_array_append_new(
		    a, json_pack("{s:I, s:o, s:I, s:o, s:o}", "from", (json_int_t)l->from, "to",
		                 l->to ? json_integer(l->to) : json_null(), "entry",
		                 (json_int_t)l->entry, "at", cli_json_time(l->at), "reason",
		                 l->has_reason ? json_string(l->reason) : json_null()));
	}
	return a;
}

static void losses_print(const struct pdv_audit_report *rep)
{
	for (size_t i = 0; i < rep->n_losses && i < PDV_AUDIT_LOSSES_MAX; i++) {
		const struct pdv_audit_loss *l = &rep->losses[i];
		char at[21];

		pdv_time_format(l->at, at);
		if (l->to)
			printf("  entries %lld to %lld lost", (long long)l->from, (long long)l->to);
		else
			printf("  entries from %lld lost (the head file was missing)",
			       (long long)l->from);
		printf(", accepted by entry %lld at %s%s%s\n", (long long)l->entry, at,
		       l->has_reason ? ": " : "", l->has_reason ? l->reason : "");
	}
	if (rep->n_losses > PDV_AUDIT_LOSSES_MAX)
		printf("  and %zu more losses\n", rep->n_losses - PDV_AUDIT_LOSSES_MAX);
}

static int verify(struct cli_global *g, struct cli_vault *cv)
{
	struct pdv_audit_report rep;
	struct pdv_error err;

	pdv_error_clear(&err);
	if (pdv_audit_verify(cv->session, &rep, &err) < 0)
		return cli_fail(g, &err);
	if (g->json) {
		cli_print_json(json_pack(
		    "{s:b, s:I, s:o, s:o, s:I}", "ok", rep.ok, "entries", (json_int_t)rep.entries,
		    "first_bad", rep.first_bad ? json_integer(rep.first_bad) : json_null(),
		    "losses", losses_json(&rep), "heads", (json_int_t)rep.heads));
		if (!rep.ok)
			fprintf(stderr, "pdvault: audit: %s\n", rep.why);
		return rep.ok ? 0 : 1;
	}
	if (rep.ok && rep.heads > 1)
		printf("audit log intact: %lld entries, reaching the %zu head files beside the key "
		       "file\n",
		       (long long)rep.entries, rep.heads);
	else if (rep.ok)
		printf("audit log intact: %lld entries\n", (long long)rep.entries);
	else
		printf("audit log broken at entry %lld: %s\n", (long long)rep.first_bad, rep.why);
	if (rep.n_losses)
		printf("losses accepted:\n");
	losses_print(&rep);
	return rep.ok ? 0 : 1;
}

static int accept_loss(struct cli_global *g, struct cli_vault *cv, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"reason", required_argument, NULL, 'r'},
	    {NULL, 0, NULL, 0},
	};
	struct pdv_loss_out out;
	struct pdv_error err;
	const char *reason = NULL;
	int c;

	pdv_error_clear(&err);
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'r')
			reason = optarg;
		else
			return cli_usage_fail_verb(g, "accept-loss");
	}
	if (optind < argc || !reason)
		return cli_usage_fail_verb(g, "accept-loss");
	if (pdv_audit_accept_loss(cv->session, reason, &out, &err) < 0)
		return cli_fail(g, &err);
	if (g->json) {
		cli_print_json(json_pack(
		    "{s:{s:I, s:o}, s:I}", "lost", "from", (json_int_t)out.from, "to",
		    out.to ? json_integer(out.to) : json_null(), "entry", (json_int_t)out.entry));
	} else if (out.to) {
		printf("entries %lld to %lld accepted as lost (entry %lld); writes resume\n",
		       (long long)out.from, (long long)out.to, (long long)out.entry);
	} else {
		printf("entries from %lld accepted as lost, however many there were (entry %lld); "
		       "writes resume\n",
		       (long long)out.from, (long long)out.entry);
	}
	return 0;
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
			return cli_usage_fail_verb(g, "log");
	}
	if (optind < argc)
		return cli_usage_fail_verb(g, "log");
	if (g->json)
		o.entries = json_array();
	if (pdv_audit_list(cv->session, subject, log_one, &o, &err) < 0)
		status = cli_fail(g, &err);
	else if (g->json)
		cli_print_json(json_pack("{s:O}", "entries", o.entries));
	json_decref(o.entries);
	return status;
}

int cmd_audit(struct cli_global *g, int argc, char **argv)
{
	struct cli_vault *cv = NULL;
	struct pdv_error err;
	int status;

	pdv_error_clear(&err);
	if (argc < 2 || (strcmp(argv[1], "verify") != 0 && strcmp(argv[1], "log") != 0 &&
	                 strcmp(argv[1], "accept-loss") != 0))
		return cli_usage_fail(g);
	if (strcmp(argv[1], "verify") == 0 && argc != 2)
		return cli_usage_fail_verb(g, "verify");
	if (strcmp(argv[1], "accept-loss") == 0 && argc < 3)
		return cli_usage_fail_verb(g, "accept-loss");
	if (cli_setup(g, &cv, &err) < 0)
		return cli_fail(g, &err);
	if (strcmp(argv[1], "verify") == 0)
		status = verify(g, cv);
	else if (strcmp(argv[1], "log") == 0)
		status = audit_log(g, cv, argc - 1, argv + 1);
	else
		status = accept_loss(g, cv, argc - 1, argv + 1);
	return status;
}
