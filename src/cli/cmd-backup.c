/*
 * cmd-backup.c — `pdvault backup FILE` and `pdvault restore FILE`.
 */
#include <stdio.h>

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
	struct cli_vault *cv;
	struct pdv_error err;
	long replayed = 0;

	pdv_error_clear(&err);
	if (argc != 2 || argv[1][0] == '-')
		return cli_usage_fail(g);
	if (cli_setup(g, &cv, &err) < 0 ||
	    pdv_vault_restore(&cv->opts, argv[1], &replayed, &err) < 0)
		return cli_fail(g, &err);
	if (g->json)
		cli_print_json(json_pack("{s:s, s:I}", "restored", argv[1], "erasures_replayed",
		                         (json_int_t)replayed));
	else
		printf("restored from %s; %ld erasure%s made since replayed\n", argv[1], replayed,
		       replayed == 1 ? "" : "s");
	return 0;
}
