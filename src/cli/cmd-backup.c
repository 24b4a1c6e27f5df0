/*
 * cmd-backup.c — `pdvault backup FILE` and `pdvault restore FILE`.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "pdv/vault.h"

int cmd_backup(struct cli_global *g, int argc, char **argv)
{
	struct cli_vault cv = {0};
	struct pdv_error err;
	int status = 0;

	pdv_error_clear(&err);
	if (argc != 2 || argv[1][0] == '-')
		return cli_usage_error(g, "usage: pdvault backup FILE");
	if (cli_vault_open(g, &cv, &err) < 0 || pdv_vault_backup(cv.vault, argv[1], &err) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (g->json)
		cli_print_json(json_pack("{s:s}", "backup", argv[1]));
	else
		printf("backup written to %s (encrypted like the store; keep the key apart)\n",
		       argv[1]);
out:
	cli_vault_close(&cv);
	return status;
}

int cmd_restore(struct cli_global *g, int argc, char **argv)
{
	struct pdv_error err;
	struct pdv_decl *d = NULL;
	char actor[96];
	pdv_time_t now;
	long replayed = 0;
	int status = 0;

	pdv_error_clear(&err);
	if (argc != 2 || argv[1][0] == '-')
		return cli_usage_error(g, "usage: pdvault restore FILE");
	if (pdv_clock_now(&now, &err) < 0)
		return cli_fail(g, &err);
	if (cli_load_decl(g->config, &d, &err) < 0) {
		char msg[PDV_ERROR_MSG_MAX];

		cli_format_load_error(&err, msg, sizeof(msg));
		pdv_error_set(&err, err.rc, "%s", msg);
		return cli_fail(g, &err);
	}
	cli_actor(actor, sizeof(actor));
	struct pdv_vault_opts o = {
		.db_url = g->db, .key_file = g->key_file, .decl = d, .actor = actor, .now = now,
	};
	if (pdv_vault_restore(&o, argv[1], &replayed, &err) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (g->json)
		cli_print_json(json_pack("{s:s, s:I}", "restored", argv[1], "erasures_replayed",
					 (json_int_t)replayed));
	else
		printf("restored from %s; %ld erasure%s made since replayed\n", argv[1], replayed,
		       replayed == 1 ? "" : "s");
out:
	pdv_decl_free(d);
	return status;
}
