/*
 * vault.c — opening the vault for a command: declaration, clock, actor.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "pdv/vault.h"

void cli_actor(char *buf, size_t size)
{
	const struct passwd *pw = getpwuid(geteuid());
	const char *login = pw && pw->pw_name ? pw->pw_name : getenv("USER");

	if (login && *login)
		snprintf(buf, size, "cli:%s", login);
	else
		snprintf(buf, size, "cli:uid%u", (unsigned)geteuid());
}

json_t *cli_json_time(pdv_time_t t)
{
	char buf[21];

	pdv_time_format(t, buf);
	return json_string(buf);
}

int cli_vault_open(struct cli_global *g, struct cli_vault *cv, struct pdv_error *err)
{
	char actor[96];
	int rc;

	memset(cv, 0, sizeof(*cv));
	if ((rc = pdv_clock_now(&cv->now, err)) < 0)
		return rc;
	if ((rc = cli_load_decl(g->config, &cv->decl, err)) < 0) {
		char msg[PDV_ERROR_MSG_MAX];

		cli_format_load_error(err, msg, sizeof(msg));
		return pdv_error_set(err, rc, "%s", msg);
	}
	cli_actor(actor, sizeof(actor));
	struct pdv_vault_opts o = {
		.db_url = g->db,
		.key_file = g->key_file,
		.decl = cv->decl,
		.actor = actor,
		.now = cv->now,
	};
	if ((rc = pdv_vault_open(&o, &cv->vault, err)) < 0) {
		pdv_decl_free(cv->decl);
		cv->decl = NULL;
	}
	return rc;
}

void cli_vault_close(struct cli_vault *cv)
{
	pdv_vault_close(cv->vault);
	pdv_decl_free(cv->decl);
	memset(cv, 0, sizeof(*cv));
}
