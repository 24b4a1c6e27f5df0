/*
 * cmd-staff.c — `pdvault staff add NAME ROLE --email ADDR`, `staff list`,
 * `staff remove NAME`, `staff reset NAME` (docs/man/pdvault-staff.1) and
 * `pdvault token list`.
 *
 * add and reset queue the invitation in the outbox (sent by the delivery
 * worker when a relay is set); without a relay (--smtp, PDVAULT_SMTP_URL)
 * the link is printed on stdout, for the DPO to hand over. The link is the
 * back office's enrolment screen, its token in the fragment.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pdv/vault.h"
#include "pdv/wipe.h"

#define DEFAULT_BASE "http://127.0.0.1:8080"

static void print_invite(const struct cli_global *g, const char *name, const char *base,
                         const char *invite, bool relay, const char *what)
{
	char link[512];

	snprintf(link, sizeof(link), "%s/staff/#enrol=%s", base, invite);
	if (g->json) {
		json_t *o =
		    json_pack("{s:s, s:s, s:b}", "name", name, "status", what, "emailed", relay);

		json_object_set_new(o, "invitation", relay ? json_null() : json_string(link));
		cli_print_json(o);
	} else if (relay) {
		printf("account %s %s: the invitation is queued for its email address\n", name,
		       what);
	} else {
		printf("%s\n", link);
		fprintf(stderr,
		        "account %s %s; no SMTP relay (--smtp, PDVAULT_SMTP_URL): hand this link "
		        "to its owner, it works once, for 7 days\n",
		        name, what);
	}
	pdv_wipe(link, sizeof(link));
}

static int list_one(void *ctx, const struct pdv_staff_info *a)
{
	json_t *arr = ctx,
	       *o = json_pack("{s:s, s:s, s:o, s:b}", "name", a->name, "role", a->role, "created",
	                      cli_json_time(a->created_at), "enrolled", a->enrolled);

	json_object_set_new(o, "invited_until",
	                    a->invite_expires ? cli_json_time(a->invite_expires) : json_null());
	json_object_set_new(o, "locked_until",
	                    a->locked_until ? cli_json_time(a->locked_until) : json_null());
	return json_array_append_new(arr, o) < 0 ? PDV_E_NOMEM : 0;
}

static const char *time_or(const json_t *v, const char *none)
{
	return json_is_string(v) ? json_string_value(v) : none;
}

int cmd_staff(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"email", required_argument, NULL, 'e'},
	    {"smtp", required_argument, NULL, 's'},
	    {"public-url", required_argument, NULL, 'u'},
	    {NULL, 0, NULL, 0},
	};
	struct cli_vault *cv = NULL;
	struct pdv_error err;
	const char *email = NULL, *smtp = getenv("PDVAULT_SMTP_URL"),
	           *base = getenv("PDVAULT_PUBLIC_URL"), *verb;
	char invite[PDV_STAFF_SECRET_MAX] = "";
	json_t *arr = NULL;
	int c, status = 0;

	pdv_error_clear(&err);
	if (argc < 2)
		return cli_usage_fail(g);
	argc--;
	argv++;
	verb = argv[0];
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'e':
			email = optarg;
			break;
		case 's':
			smtp = optarg;
			break;
		case 'u':
			base = optarg;
			break;
		default:
			return cli_usage_fail(g);
		}
	}
	if (!base || !*base)
		base = DEFAULT_BASE;
	if (strcmp(verb, "add") == 0) {
		if (argc - optind != 2)
			return cli_usage_fail(g);
		if (!email)
			return cli_usage_error(g, "staff add needs --email ADDR (where the "
			                          "invitation goes)");
	} else if (strcmp(verb, "list") == 0) {
		if (argc - optind != 0 || email)
			return cli_usage_fail(g);
	} else if (strcmp(verb, "remove") == 0 || strcmp(verb, "reset") == 0) {
		if (argc - optind != 1 || email)
			return cli_usage_fail(g);
	} else {
		return cli_usage_fail(g);
	}
	if (cli_setup(g, &cv, &err) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (strcmp(verb, "add") == 0) {
		if (pdv_staff_add(cv->session, argv[optind], argv[optind + 1], email, invite,
		                  &err) < 0) {
			status = cli_fail(g, &err);
			goto out;
		}
		print_invite(g, argv[optind], base, invite, smtp && *smtp, "added");
	} else if (strcmp(verb, "reset") == 0) {
		if (pdv_staff_reset(cv->session, argv[optind], invite, &err) < 0) {
			status = cli_fail(g, &err);
			goto out;
		}
		print_invite(g, argv[optind], base, invite, smtp && *smtp, "reset");
	} else if (strcmp(verb, "remove") == 0) {
		if (pdv_staff_remove(cv->session, argv[optind], &err) < 0) {
			status = cli_fail(g, &err);
			goto out;
		}
		if (g->json)
			cli_print_json(json_pack("{s:s, s:b}", "name", argv[optind], "removed", 1));
		else
			printf("account %s removed, its sessions ended\n", argv[optind]);
	} else {
		size_t i;
		json_t *o;

		if (!(arr = json_array()) || pdv_staff_list(cv->session, list_one, arr, &err) < 0) {
			status = cli_fail(g, &err);
			goto out;
		}
		if (g->json) {
			cli_print_json(json_pack("{s:O}", "staff", arr));
			goto out;
		}
		json_array_foreach(arr, i, o)
		{
			const char *state =
			    json_is_string(json_object_get(o, "locked_until")) ? "locked"
			    : json_is_true(json_object_get(o, "enrolled"))     ? "active"
			    : json_is_string(json_object_get(o, "invited_until"))
			        ? "invited"
			        : "invitation-expired";

			printf("%s\t%s\t%s\t%s\n", json_string_value(json_object_get(o, "name")),
			       json_string_value(json_object_get(o, "role")), state,
			       time_or(json_object_get(o, "created"), "-"));
		}
	}
out:
	pdv_wipe(invite, sizeof(invite));
	json_decref(arr);
	return status;
}

static int token_one(void *ctx, const struct pdv_token_info *t)
{
	json_t *arr = ctx, *o = json_pack("{s:s, s:s, s:o}", "name", t->name, "scope", t->scope,
	                                  "created", cli_json_time(t->created_at));

	json_object_set_new(o, "role", *t->role ? json_string(t->role) : json_null());
	json_object_set_new(o, "expires",
	                    t->expires_at ? cli_json_time(t->expires_at) : json_null());
	json_object_set_new(o, "revoked",
	                    t->revoked_at ? cli_json_time(t->revoked_at) : json_null());
	json_object_set_new(o, "last_used", t->used_at ? cli_json_time(t->used_at) : json_null());
	return json_array_append_new(arr, o) < 0 ? PDV_E_NOMEM : 0;
}

/* `token list`: name, role, scope, created, expires, last used; never the secret */
int cli_token_list(struct cli_global *g, struct cli_vault *cv, struct pdv_error *err)
{
	json_t *arr = json_array(), *o;
	size_t i;

	if (!arr || pdv_token_list(cv->session, token_one, arr, err) < 0) {
		json_decref(arr);
		return cli_fail(g, err);
	}
	if (g->json) {
		cli_print_json(json_pack("{s:o}", "tokens", arr));
		return 0;
	}
	printf("NAME\tROLE\tSCOPE\tCREATED\tEXPIRES\tLAST USED\tSTATE\n");
	json_array_foreach(arr, i, o)
	{
		const json_t *role = json_object_get(o, "role");

		printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
		       json_string_value(json_object_get(o, "name")),
		       json_is_string(role) ? json_string_value(role) : "-",
		       json_string_value(json_object_get(o, "scope")),
		       time_or(json_object_get(o, "created"), "-"),
		       time_or(json_object_get(o, "expires"), "never"),
		       time_or(json_object_get(o, "last_used"), "never"),
		       json_is_string(json_object_get(o, "revoked")) ? "revoked" : "active");
	}
	json_decref(arr);
	return 0;
}
