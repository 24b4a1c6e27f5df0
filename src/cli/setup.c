/*
 * setup.c — what the command table says a command needs, made ready for it:
 * the clock, the declaration, the store's address and the actor, the vault
 * opened with the key (enum cli_needs). Commands do no setup of their own;
 * they call cli_setup() once their arguments are checked, and main releases
 * what was made after the command returns.
 *
 * Invariant: g->set_up is true exactly when g->setup holds what g->cmd->needs
 * names; a failed setup leaves nothing behind.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "pdv/vault.h"

/* the audit actor of the command line: "cli:" and the login name */
static void cli_actor(char *buf, size_t size)
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

/* "FILE:LINE:COL: message" for a load error, in err's own message (cut on a
 * character boundary when it does not fit) */
static void locate_load_error(struct pdv_error *err)
{
	char msg[PDV_ERROR_MSG_MAX + 300];

	if (err->file[0] && err->pos.line)
		snprintf(msg, sizeof(msg), "%s:%u:%u: %s", err->file, err->pos.line, err->pos.col,
		         err->msg);
	else
		snprintf(msg, sizeof(msg), "%s", err->msg);
	pdv_strlcpy(err->msg, msg, sizeof(err->msg));
}

int cli_setup(struct cli_global *g, struct cli_vault **ret_cv, struct pdv_error *err)
{
	struct cli_vault *cv = &g->setup;
	unsigned needs = g->cmd ? g->cmd->needs : CLI_NOTHING;
	int rc;

	if (g->set_up)
		goto out;
	memset(cv, 0, sizeof(*cv));
	if ((needs & CLI_STORE) && (rc = pdv_clock_now(&cv->now, err)) < 0)
		return rc;
	if ((needs & CLI_DECL) && (rc = cli_load_decl(g->config, &cv->decl, err)) < 0) {
		locate_load_error(err);
		return rc;
	}
	if (needs & CLI_STORE) {
		cli_actor(cv->actor, sizeof(cv->actor));
		cv->opts = (struct pdv_vault_opts){
		    .db_url = g->db,
		    .key_file = g->key_file,
		    .decl = cv->decl,
		    .actor = cv->actor,
		    .now = cv->now,
		    .server_id = g->server_id,
		    /* a server says so on each of its store connections */
		    .serving = g->cmd && strcmp(g->cmd->name, "serve") == 0,
		};
	}
	if ((needs & CLI_OPEN) && ((rc = pdv_vault_open(&cv->opts, &cv->vault, err)) < 0 ||
	                           (rc = pdv_session_open(cv->vault, &cv->session, err)) < 0)) {
		pdv_vault_close(cv->vault);
		pdv_decl_free(cv->decl);
		memset(cv, 0, sizeof(*cv));
		return rc;
	}
	g->set_up = true;
out:
	*ret_cv = cv;
	return 0;
}

void cli_setup_release(struct cli_global *g)
{
	pdv_session_close(g->setup.session); /* before the vault it works on */
	pdv_vault_close(g->setup.vault);
	pdv_decl_free(g->setup.decl);
	memset(&g->setup, 0, sizeof(g->setup));
	g->set_up = false;
}
