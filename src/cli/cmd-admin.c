/*
 * cmd-admin.c — `pdvault rectify SUBJECT RECORD FIELD=VALUE...`,
 * `pdvault token create ROLE --name NAME [--expires D]`,
 * `pdvault token revoke NAME`, `token list` (cmd-staff.c) and `pdvault key rotate`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pdv/wipe.h"
#include "pdv/vault.h"

int cmd_rectify(struct cli_global *g, int argc, char **argv)
{
	struct cli_vault *cv = NULL;
	struct pdv_input_field *f;
	struct pdv_error err;
	size_t n = 0;
	int status = 0;

	pdv_error_clear(&err);
	if (argc < 4 || argv[1][0] == '-')
		return cli_usage_fail(g);
	if (!(f = calloc((size_t)argc, sizeof(*f))))
		return cli_usage_error(g, "out of memory");
	for (int i = 3; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (!eq || eq == argv[i]) {
			free(f);
			return cli_usage_error(g, "argument %d is not FIELD=VALUE", i - 2);
		}
		*eq = '\0';
		f[n++] = (struct pdv_input_field){argv[i], eq + 1, strlen(eq + 1)};
	}
	if (cli_setup(g, &cv, &err) < 0 ||
	    pdv_rectify(cv->session, argv[1], argv[2], f, n, &err) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (g->json)
		cli_print_json(json_pack("{s:s}", "record", argv[2]));
	else
		printf("record %s rectified\n", argv[2]);
out:
	for (size_t i = 0; i < n; i++)
		pdv_wipe((void *)f[i].value, f[i].len);
	free(f);
	return status;
}

int cmd_token(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"name", required_argument, NULL, 'n'},
	    {"expires", required_argument, NULL, 'e'},
	    {"scope", required_argument, NULL, 's'},
	    {NULL, 0, NULL, 0},
	};
	struct cli_vault *cv = NULL;
	struct pdv_error err;
	const char *name = NULL, *expires = NULL, *scope = NULL, *role;
	char token[PDV_TOKEN_MAX];
	pdv_time_t exp_at = 0;
	int c, status = 0;

	pdv_error_clear(&err);
	if (argc < 2)
		return cli_usage_fail(g);
	/* parse from "create"/"revoke", as its own argv[0] */
	argc--;
	argv++;
	optind = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			name = optarg;
			break;
		case 'e':
			expires = optarg;
			break;
		case 's':
			scope = optarg;
			break;
		default:
			return cli_usage_fail(g);
		}
	}
	if (strcmp(argv[0], "list") == 0) {
		if (argc - optind != 0 || name || expires || scope)
			return cli_usage_fail(g);
		if (cli_setup(g, &cv, &err) < 0)
			return cli_fail(g, &err);
		return cli_token_list(g, cv, &err);
	}
	if (strcmp(argv[0], "revoke") == 0) {
		if (argc - optind != 1 || name || expires || scope)
			return cli_usage_fail(g);
		if (cli_setup(g, &cv, &err) < 0 ||
		    pdv_token_revoke(cv->session, argv[optind], &err) < 0) {
			status = cli_fail(g, &err);
			goto out;
		}
		if (g->json)
			cli_print_json(
			    json_pack("{s:s, s:b}", "token", argv[optind], "revoked", 1));
		else
			printf("token %s revoked\n", argv[optind]);
		goto out;
	}
	if (scope && strcmp(scope, "metrics") != 0 && strcmp(scope, "calendar") != 0)
		return cli_usage_error(
		    g, "--scope is metrics (a token that reads /metrics only) or "
		       "calendar (one that reads the due dates' calendar feed only)");
	/* a metrics or calendar token has no role: it sees no record */
	if (strcmp(argv[0], "create") != 0 || argc - optind != (scope ? 0 : 1) || !name)
		return cli_usage_fail(g);
	role = scope ? "" : argv[optind];
	if (cli_setup(g, &cv, &err) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (expires) {
		struct pdv_duration d;
		pdv_day_t day;

		if (pdv_duration_parse(expires, false, &d, NULL) < 0 ||
		    pdv_day_add(pdv_time_day(cv->now), d, &day) < 0) {
			status =
			    cli_usage_error(g, "--expires takes a duration such as 90d, 6mo or 1y");
			goto out;
		}
		exp_at = pdv_day_start(day) + (cv->now - pdv_day_start(pdv_time_day(cv->now)));
	}
	if ((!scope ? pdv_token_create(cv->session, role, name, exp_at, token, &err)
	     : strcmp(scope, "calendar") == 0
	         ? pdv_token_create_calendar(cv->session, name, exp_at, token, &err)
	         : pdv_token_create_metrics(cv->session, name, exp_at, token, &err)) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (g->json) {
		json_t *o = json_pack("{s:s, s:s, s:s}", "token", token, "name", name, "scope",
		                      scope ? scope : "all");

		json_object_set_new(o, "role", scope ? json_null() : json_string(role));

		json_object_set_new(o, "expires", exp_at ? cli_json_time(exp_at) : json_null());
		cli_print_json(o);
	} else {
		printf("%s\n", token);
		fprintf(stderr, "token for %s (%s %s) shown once: it is stored only as a hash\n",
		        name, scope ? "scope" : "role", scope ? scope : role);
	}
	pdv_wipe(token, sizeof(token));
out:
	return status;
}

int cmd_key(struct cli_global *g, int argc, char **argv)
{
	struct cli_vault *cv = NULL;
	struct pdv_error err;
	long n = 0;
	int status = 0;

	pdv_error_clear(&err);
	if (argc != 2 || strcmp(argv[1], "rotate") != 0)
		return cli_usage_fail(g);
	if (cli_setup(g, &cv, &err) < 0 || pdv_key_rotate(cv->session, &n, &err) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (g->json)
		cli_print_json(
		    json_pack("{s:s, s:I}", "key_file", g->key_file, "rewrapped", (json_int_t)n));
	else
		printf("new master key in %s; %ld subject keys and the service keys re-wrapped\n",
		       g->key_file, n);
out:
	return status;
}
