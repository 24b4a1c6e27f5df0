/*
 * cmd-sweep.c — `pdvault sweep [--dry-run]`: apply retention at now.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "pdv/vault.h"

struct sweep_out {
	bool json, tty;
	json_t *changes, *damaged;
};

static int on_item(void *ctx, const char *record, const char *activity, const char *from,
                   const char *to)
{
	struct sweep_out *o = ctx;

	if (strcmp(to, "damaged") == 0) {
		/* left as it is, in a dry run or not: said on stderr, listed */
		if (o->tty)
			fputc('\n', stderr);
		fprintf(stderr,
		        "pdvault: sweep: record %s (%s): a date out of years 1 to 9999 (a damaged "
		        "store?): no retention can be computed, left as it is\n",
		        record, activity);
		json_array_append_new(o->damaged, json_pack("{s:s, s:s, s:s}", "record", record,
		                                            "activity", activity, "phase", from));
		return 0;
	}
	if (o->json)
		json_array_append_new(o->changes,
		                      json_pack("{s:s, s:s, s:s, s:s}", "record", record,
		                                "activity", activity, "from", from, "to", to));
	else
		printf("%s %s: %s -> %s\n", record, activity, from, to);
	return 0;
}

static void on_progress(void *ctx, long done)
{
	struct sweep_out *o = ctx;

	if (o->tty) {
		fprintf(stderr, "\rsweeping: %ld records due so far", done);
		fflush(stderr);
	}
}

int cmd_sweep(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"dry-run", no_argument, NULL, 'n'},
	    {NULL, 0, NULL, 0},
	};
	struct sweep_out o = {.json = g->json, .tty = !g->json && isatty(STDERR_FILENO)};
	struct pdv_sweep_counts n;
	long docs = 0, receipts = 0;
	struct cli_vault *cv = NULL;
	struct pdv_error err;
	bool dry = false, got = false;
	int c, status = 0;

	pdv_error_clear(&err);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'n')
			dry = true;
		else
			return cli_usage_fail(g);
	}
	if (optind < argc)
		return cli_usage_fail(g);
	o.changes = json_array();
	o.damaged = json_array();
	if (cli_setup(g, &cv, &err) < 0 || (!dry && pdv_sweep_lock(cv->session, &got, &err) < 0)) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (!dry && !got) {
		/* timers on every server may run sweeps: the second one skips */
		fprintf(stderr, "pdvault: sweep: another sweep of this vault is running; nothing "
		                "done\n");
		if (g->json)
			cli_print_json(json_pack("{s:b}", "skipped", 1));
		else
			printf("skipped: another sweep of this vault is running\n");
		goto out;
	}
	/* outside a dry run the engine reports the damaged records alone */
	if (pdv_sweep(cv->session, dry, &n, on_item, on_progress, &o, &err) < 0 ||
	    pdv_id_documents_sweep(cv->session, dry, &docs, &err) < 0 ||
	    pdv_cookie_receipts_sweep(cv->session, dry, &receipts, &err) < 0 ||
	    (!dry && pdv_intake_purge(cv->session, &err) < 0)) {
		if (o.tty)
			fputc('\n', stderr);
		status = cli_fail(g, &err);
		goto out;
	}
	if (o.tty)
		fputc('\n', stderr);
	if (g->json) {
		json_t *doc = json_pack("{s:I, s:I, s:I, s:I, s:I}", "archived",
		                        (json_int_t)n.archived, "deleted", (json_int_t)n.deleted,
		                        "anonymised", (json_int_t)n.anonymised, "renewals",
		                        (json_int_t)n.renewals, "held", (json_int_t)n.held);
		json_object_set_new(doc, "held_by_request", json_integer(n.held_by_request));
		json_object_set_new(doc, "id_documents", json_integer(docs));
		json_object_set_new(doc, "cookie_receipts", json_integer(receipts));
		if (n.damaged) { /* only then, as dry_run: the usual document unchanged */
			json_object_set_new(doc, "damaged", json_integer(n.damaged));
			json_object_set(doc, "damaged_records", o.damaged);
		}
		if (dry) {
			json_object_set_new(doc, "dry_run", json_true());
			json_object_set(doc, "changes", o.changes);
		}
		cli_print_json(doc);
	} else {
		printf("%s%ld archived, %ld deleted, %ld anonymised, %ld renewals asked, %ld held, "
		       "%ld held by an open request, %ld identity documents destroyed, %ld consent "
		       "receipts past their proof retention deleted\n",
		       dry ? "would be: " : "", n.archived, n.deleted, n.anonymised, n.renewals,
		       n.held, n.held_by_request, docs, receipts);
		if (n.damaged)
			printf("%ld left as they are: a date out of years 1 to 9999 "
			       "(a damaged store?; named above)\n",
			       n.damaged);
	}
out:
	if (got)
		pdv_sweep_unlock(cv->session);
	json_decref(o.changes);
	json_decref(o.damaged);
	return status;
}
