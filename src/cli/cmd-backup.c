/*
 * cmd-backup.c — `pdvault backup FILE` and `pdvault restore FILE
 * [--journal FILE...]` (the other servers' erasure journals).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "pdv/vault.h"

int cmd_backup(struct cli_global *g, int argc, char **argv)
{
	struct cli_vault *cv = NULL;
	struct pdv_error err;
	int status = 0;

	pdv_error_clear(&err);
	if (argc != 2 || argv[1][0] == '-')
		return cli_usage_fail(g);
	if (cli_setup(g, &cv, &err) < 0 || pdv_vault_backup(cv->session, argv[1], &err) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (g->json)
		cli_print_json(json_pack("{s:s}", "backup", argv[1]));
	else
		printf("backup written to %s (encrypted like the store; keep the key apart)\n",
		       argv[1]);
out:
	return status;
}

int cmd_restore(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"journal", required_argument, NULL, 'j'},
	    {NULL, 0, NULL, 0},
	};
	struct cli_vault *cv;
	struct pdv_error err;
	const char **journals = NULL;
	size_t n = 0;
	long replayed = 0;
	int c, status = 0;

	pdv_error_clear(&err);
	/* at most one journal per argument: argc bounds them */
	if (!(journals = calloc((size_t)argc, sizeof(*journals)))) {
		pdv_error_set(&err, PDV_E_NOMEM, "out of memory");
		return cli_fail(g, &err);
	}
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'j') {
			status = cli_usage_fail(g);
			goto out;
		}
		journals[n++] = optarg;
	}
	if (optind != argc - 1 || argv[optind][0] == '-') {
		status = cli_usage_fail(g);
		goto out;
	}
	if (cli_setup(g, &cv, &err) < 0 ||
	    pdv_vault_restore(&cv->opts, argv[optind], journals, n, &replayed, &err) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (g->json)
		cli_print_json(json_pack("{s:s, s:I, s:I}", "restored", argv[optind],
		                         "erasures_replayed", (json_int_t)replayed, "journals",
		                         (json_int_t)n + 1));
	else
		printf("restored from %s; %ld erasure%s made since replayed\n", argv[optind],
		       replayed, replayed == 1 ? "" : "s");
out:
	free(journals);
	return status;
}
