/*
 * cmd-rights.c — `pdvault hold SUBJECT --reason TEXT` / `hold --lift HOLD`,
 * `pdvault restrict SUBJECT [--lift]`, `pdvault erase SUBJECT [--activity A]`
 * and `pdvault object SUBJECT [--activity A]`.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "pdv/wipe.h"
#include "pdv/vault.h"

int cmd_hold(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"reason", required_argument, NULL, 'r'},
	    {"lift", required_argument, NULL, 'l'},
	    {NULL, 0, NULL, 0},
	};
	struct cli_vault *cv = NULL;
	struct pdv_error err;
	const char *reason = NULL, *lift = NULL;
	char hold[PDV_ID_MAX];
	int c, status = 0;

	pdv_error_clear(&err);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			reason = optarg;
			break;
		case 'l':
			lift = optarg;
			break;
		default:
			return cli_usage_fail(g);
		}
	}
	if (lift ? (reason || optind != argc) : (!reason || argc - optind != 1))
		return cli_usage_fail(g);
	if (cli_setup(g, &cv, &err) < 0 ||
	    (lift ? pdv_hold_lift(cv->session, lift, &err)
	          : pdv_hold_place(cv->session, argv[optind], reason, hold, &err)) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (g->json)
		cli_print_json(lift ? json_pack("{s:s, s:b}", "hold", lift, "lifted", 1)
		                    : json_pack("{s:s}", "hold", hold));
	else
		printf(lift ? "hold %s lifted\n" : "hold %s placed\n", lift ? lift : hold);
out:
	if (reason)
		pdv_wipe((void *)reason, strlen(reason));
	return status;
}

int cmd_restrict(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"lift", no_argument, NULL, 'l'},
	    {NULL, 0, NULL, 0},
	};
	struct cli_vault *cv = NULL;
	struct pdv_error err;
	bool lift = false;
	int c, status = 0;

	pdv_error_clear(&err);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'l')
			lift = true;
		else
			return cli_usage_fail(g);
	}
	if (argc - optind != 1)
		return cli_usage_fail(g);
	if (cli_setup(g, &cv, &err) < 0 ||
	    pdv_restrict(cv->session, argv[optind], !lift, &err) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (g->json)
		cli_print_json(json_pack("{s:b}", "restricted", !lift));
	else
		printf("subject %s %s\n", argv[optind],
		       lift ? "no longer restricted" : "restricted");
out:
	return status;
}

struct rights_out {
	bool json;
	json_t *done, *kept, *restricted;
};

static int on_record(void *ctx, const char *record, const char *what, const char *reason)
{
	struct rights_out *o = ctx;

	if (strcmp(what, "kept") == 0)
		json_array_append_new(o->kept, json_pack("{s:s, s:s}", "record", record, "reason",
		                                         reason ? reason : ""));
	else if (strcmp(what, "restricted") == 0)
		json_array_append_new(o->restricted, json_string(record));
	else
		json_array_append_new(o->done, json_string(record));
	if (!o->json)
		printf("%s %s%s%s\n", record, what, reason ? ": " : "", reason ? reason : "");
	return 0;
}

static int erase_or_object(struct cli_global *g, int argc, char **argv, bool object)
{
	static const struct option opts[] = {
	    {"activity", required_argument, NULL, 'a'},
	    {NULL, 0, NULL, 0},
	};
	struct rights_out o = {.json = g->json};
	struct cli_vault *cv = NULL;
	struct pdv_error err;
	const char *activity = NULL;
	int c, status = 0, rc;

	pdv_error_clear(&err);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'a')
			activity = optarg;
		else
			return cli_usage_fail(g);
	}
	if (argc - optind != 1)
		return cli_usage_fail(g);
	o.done = json_array();
	o.kept = json_array();
	o.restricted = json_array();
	if ((rc = cli_setup(g, &cv, &err)) == 0)
		rc = object ? pdv_object(cv->session, argv[optind], activity, on_record, &o, &err)
		            : pdv_erase(cv->session, argv[optind], activity, on_record, &o, &err);
	if (rc < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (g->json)
		cli_print_json(object ? json_pack("{s:O, s:O, s:O}", "ended", o.done, "restricted",
		                                  o.restricted, "kept", o.kept)
		                      : json_pack("{s:O, s:O}", "erased", o.done, "kept", o.kept));
	else if (!json_array_size(o.done) && !json_array_size(o.kept) &&
	         !json_array_size(o.restricted))
		printf("no record concerned\n");
out:
	json_decref(o.done);
	json_decref(o.kept);
	json_decref(o.restricted);
	return status;
}

int cmd_erase(struct cli_global *g, int argc, char **argv)
{
	return erase_or_object(g, argc, argv, false);
}

int cmd_object(struct cli_global *g, int argc, char **argv)
{
	return erase_or_object(g, argc, argv, true);
}
