/*
 * cmd-receipt.c — `pdvault receipt show RECEIPT | --consent-id ID`: a consent
 * receipt (or every receipt of a browser's consent id) replayed against the
 * exact banner configuration that was on screen: the choice per purpose,
 * and per purpose the trackers, lifetimes and texts the configuration
 * showed. --json prints the receipts with their configuration's canonical
 * form, whose SHA-256 is the config id (anyone may check it).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

struct receipt_out {
	bool json;
	json_t *list;
	long n;
};

static void print_text(const struct pdv_cookie_receipt *r)
{
	json_t *model = json_loads(r->canonical, 0, NULL),
	       *choices = json_loads(r->choices, 0, NULL);
	json_t *p, *t;
	size_t i, k;
	char given[21], received[21];

	pdv_time_format(r->given_at, given);
	pdv_time_format(r->received_at, received);
	printf("receipt %s\n  event        %s\n  given at     %s (browser)\n  received at  %s\n"
	       "  gpc          %s\n  config       %s (%s, %s)\n  declaration  %s\n",
	       r->id, r->event, given, received, r->gpc ? "on" : "off", r->config, r->kit, r->lang,
	       r->declaration);
	json_array_foreach(json_object_get(model, "purposes"), i, p)
	{
		const char *id = json_string_value(json_object_get(p, "id"));

		printf("  purpose %-12s %s%s\n", id,
		       json_is_true(json_object_get(choices, id)) ? "granted" : "refused",
		       json_is_true(json_object_get(p, "required")) ? " (exempt, always on)" : "");
		json_array_foreach(json_object_get(p, "trackers"), k, t)
		{
			printf("    %s: %s (%s)%s\n", json_string_value(json_object_get(t, "name")),
			       json_string_value(json_object_get(t, "purpose")),
			       json_string_value(json_object_get(t, "lifetime_text")),
			       json_is_true(json_object_get(t, "exempt")) ? ", exempt" : "");
		}
	}
	json_decref(model);
	json_decref(choices);
}

static json_t *receipt_json(const struct pdv_cookie_receipt *r)
{
	json_t *choices = json_loads(r->choices, 0, NULL);

	return json_pack("{s:s, s:s, s:o, s:b, s:o, s:o, s:s, s:s, s:{s:s, s:s, s:s, s:o, s:s}}",
	                 "receipt", r->id, "event", r->event, "choices",
	                 choices ? choices : json_object(), "gpc", r->gpc, "given_at",
	                 cli_json_time(r->given_at), "received_at", cli_json_time(r->received_at),
	                 "config_id", r->config, "declaration", r->declaration, "config", "id",
	                 r->config, "kit", r->kit, "lang", r->lang, "created_at",
	                 cli_json_time(r->config_created_at), "canonical", r->canonical);
}

static int one(void *ctx, const struct pdv_cookie_receipt *r)
{
	struct receipt_out *o = ctx;

	o->n++;
	if (o->json)
		json_array_append_new(o->list, receipt_json(r));
	else
		print_text(r);
	return 0;
}

int cmd_receipt(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"consent-id", required_argument, NULL, 'c'},
	    {"json", no_argument, NULL, 'j'},
	    {NULL, 0, NULL, 0},
	};
	const char *verb = cli_verb(&argc, &argv), *consent = NULL, *id = NULL;
	struct receipt_out o = {0};
	struct pdv_cookie_receipt r;
	struct cli_vault *cv;
	struct pdv_error err;
	int c, status = 0;

	pdv_error_clear(&err);
	if (!verb || strcmp(verb, "show") != 0)
		return cli_usage_fail_verb(g, verb);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			consent = optarg;
			break;
		case 'j':
			g->json = true;
			break;
		default:
			return cli_usage_fail(g);
		}
	}
	if (optind < argc)
		id = argv[optind++];
	if (optind < argc || !!id == !!consent)
		return cli_usage_error(g, "name one receipt, or --consent-id ID");
	o.json = g->json;
	o.list = json_array();
	if (cli_setup(g, &cv, &err) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (id) {
		if (pdv_cookie_receipt_get(cv->session, id, &r, &err) < 0) {
			status = cli_fail(g, &err);
			goto out;
		}
		(void)one(&o, &r);
		pdv_cookie_receipt_release(&r);
		if (g->json)
			cli_print_json(json_incref(json_array_get(o.list, 0)));
		goto out;
	}
	if (pdv_cookie_receipts_mine(cv->session, consent, one, &o, &err) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (g->json)
		cli_print_json(json_pack("{s:O}", "receipts", o.list));
	else if (o.n == 0)
		printf("no receipt for this consent id\n");
out:
	json_decref(o.list);
	return status;
}
