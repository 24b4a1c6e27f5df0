/*
 * cmd-init.c — `pdvault init`: create the store and the master key file
 * (mode 0600). Refuses to overwrite either.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "pdv/vault.h"

int cmd_init(struct cli_global *g, int argc, char **argv)
{
	struct cli_vault *cv;
	struct pdv_error err;

	(void)argv;
	pdv_error_clear(&err);
	if (argc > 1)
		return cli_usage_fail(g);
	if (cli_setup(g, &cv, &err) < 0 || pdv_vault_init(&cv->opts, &err) < 0)
		return cli_fail(g, &err);
	if (g->json)
		cli_print_json(json_pack("{s:s, s:s}", "db", g->db, "key_file", g->key_file));
	else
		printf("created the store %s and the key file %s\n"
		       "keep the key file safe and backed up apart from the store: without it the "
		       "data cannot be read\n",
		       g->db, g->key_file);
	return 0;
}
