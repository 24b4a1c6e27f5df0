/*
 * cli.h — what the commands share: the global options, the command table
 * entry and what it has made ready (cli_setup), and the output conventions of
 * pdvault(1) (EXIT STATUS, --json).
 *
 * Conventions kept here so that every command behaves alike:
 *  - a refusal is one line `pdvault: COMMAND: MESSAGE` on stderr and, with
 *    --json, the document {"error":{"code","message","field"}} on stdout;
 *  - the exit status comes from the error code (pdv_rc_exit_status):
 *    0 done, 1 refused or problems found, 2 usage, 3 environment;
 *  - files are written whole or not at all (temporary file, fsync, rename).
 */
#ifndef PDV_CLI_H
#define PDV_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "pdv/buf.h"
#include "pdv/decl.h"
#include "pdv/render.h"
#include "pdv/error.h"
#include "pdv/json.h"
#include "pdv/time.h"
#include "pdv/vault.h"

/*
 * What a command needs made ready before it does its work: the flags of its
 * entry in the command table (main.c), read by cli_setup(). Each is made in
 * this order, the order the commands have always done it in: the clock (read
 * once), the declaration, the vault.
 */
enum cli_needs {
	CLI_NOTHING = 0,
	CLI_DECL = 1 << 0,  /* the declaration at --config, loaded */
	CLI_STORE = 1 << 1, /* the clock, the actor and the store's address and key
	                     * (cli_vault.opts), not opened: the commands that create
	                     * or replace the store (init, restore) */
	CLI_OPEN = 1 << 2,  /* the vault opened with the key, and a session on it
	                     * (needs CLI_STORE|CLI_DECL) */
	CLI_VAULT = CLI_STORE | CLI_DECL | CLI_OPEN,
};

/*
 * What cli_setup() made ready for the command, as its table entry says.
 * Borrowed by the command; main releases it after the command returns.
 */
struct cli_vault {
	struct pdv_decl *decl;       /* CLI_DECL */
	struct pdv_vault *vault;     /* CLI_OPEN */
	struct pdv_session *session; /* CLI_OPEN: the command's one session on vault */
	pdv_time_t now;              /* CLI_STORE: the clock, read once */
	struct pdv_vault_opts opts;  /* CLI_STORE: --db, --key-file, the actor, now, decl */
	char actor[96];              /* cli:LOGIN, pointed to by opts.actor */
};

struct cli_command;

struct cli_global {
	const char *config;            /* --config, PDVAULT_CONFIG, "pdvault.yaml" */
	const char *db;                /* --db, PDVAULT_DB, pdv_vault_default_db() */
	const char *key_file;          /* --key-file, PDVAULT_KEY_FILE, "pdvault.key" */
	const char *server_id;         /* --server-id, PDVAULT_SERVER_ID, none */
	bool json;                     /* --json: exactly one JSON document on stdout */
	const char *command;           /* the command's name, for messages */
	const struct cli_command *cmd; /* its entry in the command table */
	struct cli_vault setup;        /* what cli_setup() made ready, released by main */
	bool set_up;                   /* setup holds what cmd->needs names */
};

/*
 * The command table's entry (git's model): the function, what it needs made
 * ready (enum cli_needs), its usage (the one text `pdvault help NAME`,
 * `pdvault NAME --help` and its usage errors print, after "pdvault NAME ";
 * an alternative starts again with NAME: "SUBJECT ... | hold --lift HOLD"),
 * and a one-line summary for `pdvault --help`.
 */
struct cli_command {
	const char *name;
	int (*run)(struct cli_global *g, int argc, char **argv);
	unsigned needs;
	const char *usage;
	const char *summary;
};

const struct cli_command *cli_command_find(const char *name);
void cli_usage(FILE *f);

/*
 * Make ready what the command's table entry needs (g->cmd->needs), and point
 * *ret_cv at it. A command calls it once its arguments are checked, so that a
 * usage error (exit 2) comes before an environment error (exit 3) as it always
 * has; it does no setup of its own. A failure is filled in err for cli_fail,
 * with nothing left set up. Calling it again hands back the same.
 */
int cli_setup(struct cli_global *g, struct cli_vault **ret_cv, struct pdv_error *err);
/* Release what cli_setup made ready (main, once the command has returned). */
void cli_setup_release(struct cli_global *g);

/* Report a failure as the contract says; returns the exit status. */
int cli_fail(const struct cli_global *g, const struct pdv_error *err);
/* Report a usage error (exit 2) with a hint. */
int cli_usage_error(const struct cli_global *g, const char *fmt, ...) PDV_PRINTF(2, 3);
/* Report a usage error whose message is the command's usage from the table:
 * "usage: pdvault NAME USAGE". */
int cli_usage_fail(const struct cli_global *g);
/* The same, but only the alternative of the usage for one verb
 * ("usage: pdvault audit log [--subject ID]"); the whole usage when the
 * table has no alternative starting with it. */
int cli_usage_fail_verb(const struct cli_global *g, const char *verb);
/*
 * "pdvault COMMAND VERB [OPTIONS]": the verb (NULL when there is none), with
 * argc/argv shifted to start at it and getopt reset, so the options parse.
 */
const char *cli_verb(int *argc, char ***argv);
/* Print a JSON document on stdout (and a newline); takes the reference. */
int cli_print_json(json_t *doc);

/* Load the declaration at path; on failure err is filled with the position. */
int cli_load_decl(const char *path, struct pdv_decl **ret, struct pdv_error *err);

/* Today (UTC day) from the clock, honouring PDVAULT_NOW. */
int cli_today(pdv_day_t *ret, struct pdv_error *err);

/*
 * Write data to path atomically (a temporary file beside it, fsync, rename),
 * or to stdout when path is NULL or "-". cli_write_output makes a public
 * document (a notice, a form) mode 0644; cli_write_private one that holds
 * personal data or the organisation's own record (an export, directives,
 * the register) mode 0600, the temporary file being created
 * 0600 so that it is never readable by others, even for a moment. A file
 * already at path is replaced, its mode with it.
 */
int cli_write_output(const char *path, const char *data, size_t len, struct pdv_error *err);
int cli_write_private(const char *path, const char *data, size_t len, struct pdv_error *err);

/*
 * notice and register share their options: --lang, --format, -o. A binary
 * format (xlsx) needs -o FILE: it is never written to a terminal.
 */
struct cli_render_spec {
	enum pdv_format default_format;
	unsigned formats; /* bit mask of 1 << enum pdv_format */
	int (*render)(const struct pdv_decl *d, const char *lang, enum pdv_format fmt,
	              struct pdv_buf *out, struct pdv_error *err);
	/* when set, called instead of render with the day (the controller's) */
	int (*render_on)(const struct pdv_decl *d, const char *lang, enum pdv_format fmt,
	                 pdv_day_t on, struct pdv_buf *out, struct pdv_error *err);
	bool private_file; /* the file is written 0600 (cli_write_private) */
};
int cli_render_document(struct cli_global *g, int argc, char **argv,
                        const struct cli_render_spec *spec);

/* a time as RFC 3339 UTC, for JSON */
json_t *cli_json_time(pdv_time_t t);

/* Export a subject (Art. 15, or Art. 20 when portable) to output (NULL:
 * stdout); lang NULL: the declaration's first language. */
int cli_export_write(struct cli_vault *cv, const char *subject, enum pdv_format fmt, bool portable,
                     const char *lang, const char *output, struct pdv_error *err);

/* Write a subject's post-mortem directives as JSON to output. */
int cli_directives_write(struct cli_vault *cv, const char *subject, const char *output,
                         struct pdv_error *err);

/* the commands */
int cmd_lint(struct cli_global *g, int argc, char **argv);
int cmd_notice(struct cli_global *g, int argc, char **argv);
int cmd_register(struct cli_global *g, int argc, char **argv);
int cmd_form(struct cli_global *g, int argc, char **argv);
int cmd_banner(struct cli_global *g, int argc, char **argv);
int cmd_receipt(struct cli_global *g, int argc, char **argv);
int cmd_init(struct cli_global *g, int argc, char **argv);
int cmd_collect(struct cli_global *g, int argc, char **argv);
int cmd_import(struct cli_global *g, int argc, char **argv);
int cmd_find(struct cli_global *g, int argc, char **argv);
int cmd_show(struct cli_global *g, int argc, char **argv);
int cmd_event(struct cli_global *g, int argc, char **argv);
int cmd_consent(struct cli_global *g, int argc, char **argv);
int cmd_sweep(struct cli_global *g, int argc, char **argv);
int cmd_export(struct cli_global *g, int argc, char **argv);
int cmd_erase(struct cli_global *g, int argc, char **argv);
int cmd_restrict(struct cli_global *g, int argc, char **argv);
int cmd_object(struct cli_global *g, int argc, char **argv);
int cmd_hold(struct cli_global *g, int argc, char **argv);
int cmd_request(struct cli_global *g, int argc, char **argv);
int cmd_breach(struct cli_global *g, int argc, char **argv);
int cmd_stats(struct cli_global *g, int argc, char **argv);
int cmd_outbox(struct cli_global *g, int argc, char **argv);
int cmd_recipient(struct cli_global *g, int argc, char **argv);

/* the delivery options `outbox deliver` and `serve` share (cmd-outbox.c) */
enum {
	CLI_OPT_SMTP = 0x1000,
	CLI_OPT_SMTP_AUTH,
	CLI_OPT_SMTP_CA,
	CLI_OPT_MAIL_FROM,
	CLI_OPT_TEMPLATES,
	CLI_OPT_PUBLIC_URL,
	CLI_OPT_TRIES,
	CLI_OPT_BACKOFF,
	CLI_OPT_WEBHOOK_TIMEOUT,
	CLI_OPT_DIGEST_HOUR,
	CLI_OPT_LEASE,
};
#define CLI_COURIER_OPTIONS                                                                        \
	{"smtp", required_argument, NULL, CLI_OPT_SMTP},                                           \
	    {"smtp-auth-file", required_argument, NULL, CLI_OPT_SMTP_AUTH},                        \
	    {"smtp-ca", required_argument, NULL, CLI_OPT_SMTP_CA},                                 \
	    {"mail-from", required_argument, NULL, CLI_OPT_MAIL_FROM},                             \
	    {"templates", required_argument, NULL, CLI_OPT_TEMPLATES},                             \
	    {"public-url", required_argument, NULL, CLI_OPT_PUBLIC_URL},                           \
	    {"delivery-tries", required_argument, NULL, CLI_OPT_TRIES},                            \
	    {"delivery-backoff", required_argument, NULL, CLI_OPT_BACKOFF},                        \
	    {"digest-hour", required_argument, NULL, CLI_OPT_DIGEST_HOUR},                         \
	    {"delivery-lease", required_argument, NULL, CLI_OPT_LEASE},                            \
	{                                                                                          \
		"webhook-timeout", required_argument, NULL, CLI_OPT_WEBHOOK_TIMEOUT                \
	}
struct pdv_courier_config;
/* the defaults (PDVAULT_SMTP_URL, PDVAULT_PUBLIC_URL); an option: 1 taken,
 * 0 not a delivery option, -1 a bad number, -2 a bad --digest-hour */
void cli_courier_defaults(struct pdv_courier_config *cfg);
int cli_courier_option(int c, const char *arg, struct pdv_courier_config *cfg);
int cmd_directives(struct cli_global *g, int argc, char **argv);
int cmd_backup(struct cli_global *g, int argc, char **argv);
int cmd_restore(struct cli_global *g, int argc, char **argv);
int cmd_migrate(struct cli_global *g, int argc, char **argv);
int cmd_rectify(struct cli_global *g, int argc, char **argv);
int cmd_token(struct cli_global *g, int argc, char **argv);
int cmd_staff(struct cli_global *g, int argc, char **argv);
/* `token list` (cmd-staff.c) */
int cli_token_list(struct cli_global *g, struct cli_vault *cv, struct pdv_error *err);
int cmd_key(struct cli_global *g, int argc, char **argv);
int cmd_certificate(struct cli_global *g, int argc, char **argv);
int cmd_audit(struct cli_global *g, int argc, char **argv);
int cmd_taxonomy(struct cli_global *g, int argc, char **argv);
int cmd_serve(struct cli_global *g, int argc, char **argv);
int cmd_dossier(struct cli_global *g, int argc, char **argv);

#endif
