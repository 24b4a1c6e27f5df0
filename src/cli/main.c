/*
 * main.c — pdvault's entry point: the global options, then dispatch through
 * the command table (git's model). Each command lives in cmd-<verb>.c and
 * parses its own options; its entry says what it needs made ready (the
 * declaration, the store, the vault: cli_setup) and holds its one usage text.
 */
#include <assert.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pdv/vault.h"
#include "version.h" /* PDV_VERSION, from the project version in meson.build */

/*
 * The command table: name, function, what it needs made ready (cli_setup),
 * usage, summary. The usage is the command's only usage text: help, --help
 * and usage errors all print it.
 */
/* one row per entry, as the table reads */
/* clang-format off */
static const struct cli_command commands[] = {
	/* the declaration under check is lint's input, not its setup: a file that
	 * does not load is reported as a finding */
	{"lint", cmd_lint, CLI_NOTHING, "[FILE] [--json] [--rules]",
	 "check the declaration against the GDPR, the French law and CNIL guidance"},
	{"notice", cmd_notice, CLI_DECL, "[--lang L] [--format md|html] [-o FILE]",
	 "write the privacy notice (Art. 13/14)"},
	{"register", cmd_register, CLI_DECL,
	 "[--lang L] [--format csv|csv-excel|xlsx|json|md|html|dpv] [-o FILE]",
	 "write the register of processing activities (Art. 30)"},
	{"form", cmd_form, CLI_DECL, "ACTIVITY [--lang L] [--action URL] [-o FILE]",
	 "write an embeddable HTML form that collects into an activity"},
	{"banner", cmd_banner, CLI_VAULT,
	 "--kit tarteaucitron|klaro|orejime|cookieconsent [--lang L] [-o FILE]",
	 "write a cookie banner's configuration from the declaration, kept by its id"},
	{"receipt", cmd_receipt, CLI_VAULT, "show RECEIPT | receipt show --consent-id ID",
	 "a cookie consent receipt, replayed against the banner configuration it was given on"},
	{"taxonomy", cmd_taxonomy, CLI_NOTHING, "[categories|uses|subjects]",
	 "list the data categories, uses and subjects a declaration may name"},
	{"init", cmd_init, CLI_STORE, "", "create the store and its key file"},
	{"collect", cmd_collect, CLI_VAULT,
	 "ACTIVITY [--consent] [--source S] [--lang fr|en] (FIELD=VALUE... | --stdin)",
	 "store one submission, encrypted, for an activity"},
	{"import", cmd_import, CLI_VAULT, "ACTIVITY FILE.csv [--consent] [--restart]",
	 "collect every row of a CSV file (header = field names, _collected_at...)"},
	{"find", cmd_find, CLI_VAULT, "--email ADDR | --phone NUM",
	 "find a subject by email address or phone number"},
	{"show", cmd_show, CLI_VAULT, "SUBJECT", "show a subject and every record, decrypted"},
	{"event", cmd_event, CLI_VAULT, "SUBJECT EVENT [--activity A]",
	 "record a lifecycle event (contact, contract-end, renewed...) on a subject's records"},
	{"consent", cmd_consent, CLI_VAULT, "SUBJECT ACTIVITY grant|withdraw",
	 "record a consent or its withdrawal (which ends records as the retention says)"},
	{"sweep", cmd_sweep, CLI_VAULT, "[--dry-run]",
	 "apply every activity's retention now: archive, ask renewals, end"},
	{"export", cmd_export, CLI_VAULT,
	 "SUBJECT [--format json|csv|html] [--portable] [--lang L] [-o FILE]",
	 "the copy of a subject's data (Art. 15), or its portable extract (Art. 20)"},
	{"erase", cmd_erase, CLI_VAULT, "SUBJECT [--activity A]",
	 "erase a subject's records (Art. 17), keeping and naming what must be kept"},
	{"restrict", cmd_restrict, CLI_VAULT, "SUBJECT [--lift]",
	 "restrict a subject's processing (Art. 18), or lift it"},
	{"object", cmd_object, CLI_VAULT, "SUBJECT [--activity A]",
	 "objection (Art. 21): end marketing and suppress, or restrict one activity"},
	{"hold", cmd_hold, CLI_VAULT, "SUBJECT --reason TEXT | hold --lift HOLD",
	 "place or lift a legal hold (blocks ending and erasure)"},
	{"request", cmd_request, CLI_VAULT,
	 "open KIND (--subject ID | --email ADDR) [--received DATE] [--channel C] [--lang L] "
	 "[--id-document FILE] | request list [--open] [--overdue] | request extend REQUEST "
	 "--reason TEXT | request close REQUEST [--refuse --reason TEXT] [-o FILE]",
	 "rights requests with their legal deadlines"},
	{"breach", cmd_breach, CLI_VAULT,
	 "open --aware TIME (--summary TEXT | --stdin) [--risk R --reason TEXT] | breach assess "
	 "BREACH --risk unlikely|risk|high --reason TEXT | breach notify BREACH (--authority | "
	 "--subjects) [--reason TEXT] | breach notify BREACH --subjects --activity A... | breach "
	 "describe BREACH [--consequences TEXT] [--measures TEXT] | breach list",
	 "the breach register (Art. 33(5)) and its 72-hour clock"},
	{"dossier", cmd_dossier, CLI_VAULT, "--from DATE --to DATE [-o FILE.html]",
	 "the accountability dossier of a period, every figure traced to the audit log"},
	{"stats", cmd_stats, CLI_VAULT, "ACTIVITY --by FIELD",
	 "counts of a field's values, cells under 5 people suppressed"},
	{"outbox", cmd_outbox, CLI_VAULT,
	 "list | outbox show ID | outbox retry ID | outbox deliver [--once] [--smtp URL] "
	 "[--smtp-auth-file FILE] [--smtp-ca FILE] [--mail-from ADDR] [--templates DIR] "
	 "[--public-url URL] [--delivery-tries N] [--delivery-backoff SECONDS] "
	 "[--delivery-lease SECONDS] [--webhook-timeout MS]",
	 "the messages queued, and their delivery (email, signed webhooks)"},
	{"recipient", cmd_recipient, CLI_VAULT, "secret ID [--rotate]",
	 "a recipient's webhook signing secret, printed once"},
	{"directives", cmd_directives, CLI_VAULT, "SUBJECT [--set TEXT | --stdin]",
	 "post-mortem directives (LIL art. 85): record them, or show them"},
	{"backup", cmd_backup, CLI_VAULT, "FILE", "write an online backup of the store"},
	/* restore replaces the store: it must not hold it open */
	{"restore", cmd_restore, CLI_STORE | CLI_DECL, "FILE [--journal FILE]...",
	 "restore a backup, replaying every erasure made since"},
	{"migrate", cmd_migrate, CLI_VAULT, "--to URL [--quiet]",
	 "copy the vault to a new store of either backend, verified on both sides"},
	{"rectify", cmd_rectify, CLI_VAULT, "SUBJECT RECORD FIELD=VALUE...",
	 "correct values of a record (Art. 16)"},
	{"token", cmd_token, CLI_VAULT,
	 "create ROLE --name NAME [--expires D] | token create --scope metrics|calendar --name NAME "
	 "[--expires D] | token revoke NAME | token list",
	 "create, revoke or list the API tokens of machines (never the secret)"},
	{"staff", cmd_staff, CLI_VAULT,
	 "add NAME ROLE --email ADDR [--smtp URL] [--public-url URL] | staff list | "
	 "staff remove NAME | staff reset NAME",
	 "staff accounts of the back office: an invitation to choose a passphrase and TOTP"},
	{"key", cmd_key, CLI_VAULT, "rotate",
	 "replace the master key, re-wrapping every key under it"},
	{"certificate", cmd_certificate, CLI_VAULT,
	 "issue REQUEST|CERTIFICATE [-o FILE] | certificate show REQUEST|CERTIFICATE | certificate "
	 "keys | certificate rotate-key",
	 "deletion certificates: re-issue, show, the public keys, a new signing key"},
	{"audit", cmd_audit, CLI_VAULT,
	 "verify | audit log [--subject ID] | audit accept-loss --reason TEXT",
	 "check the audit chain, list its entries, or accept entries lost"},
	{"serve", cmd_serve, CLI_VAULT,
	 "[--listen HOST:PORT] [--cors ORIGIN]... [--rate N] [--body-limit BYTES] "
	 "[--threads N] [--max-connections N] [--timeout S] [--header-timeout S] "
	 "[--body-min-rate BYTES/S] [--max-connections-per-address N] "
	 "[--trusted-proxy ADDR[/PREFIX]]... [--verify-per-email N] "
	 "[--access-log FILE|-|off] [--test-clock] [--smtp URL] [--smtp-auth-file FILE] "
	 "[--smtp-ca FILE] [--mail-from ADDR] [--templates DIR] [--public-url URL] "
	 "[--delivery-tries N] [--delivery-backoff SECONDS] [--delivery-lease SECONDS] "
	 "[--webhook-timeout MS]",
	 "the HTTP API, the back office and the privacy center"},
};
/* clang-format on */

const struct cli_command *cli_command_find(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

void cli_usage(FILE *f)
{
	fprintf(f, "usage: pdvault [--config FILE] [--db URL] [--key-file FILE] [--server-id ID] "
	           "[--json] COMMAND [ARGS]\n\n"
	           "commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nSee 'pdvault COMMAND --help' and man pdvault-COMMAND.\n");
}

/* `pdvault help NAME` and `pdvault NAME --help` */
static int command_help(const struct cli_command *cmd)
{
	printf("usage: pdvault %s%s%s\n%s\n", cmd->name, cmd->usage[0] ? " " : "", cmd->usage,
	       cmd->summary);
	return 0;
}

static const char *env_or(const char *name, const char *dflt)
{
	const char *v = getenv(name);

	return v && *v ? v : dflt;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"config", required_argument, NULL, 'c'},   {"db", required_argument, NULL, 'd'},
	    {"key-file", required_argument, NULL, 'k'}, {"server-id", required_argument, NULL, 's'},
	    {"json", no_argument, NULL, 'j'},           {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},        {NULL, 0, NULL, 0},
	};
	struct cli_global g = {
	    .config = env_or("PDVAULT_CONFIG", "pdvault.yaml"),
	    .db = env_or("PDVAULT_DB", pdv_vault_default_db()),
	    .key_file = env_or("PDVAULT_KEY_FILE", "pdvault.key"),
	    .server_id = env_or("PDVAULT_SERVER_ID", NULL),
	    .command = NULL,
	};
	const struct cli_command *cmd;
	int c, status;

	/* documents of show and export hold values; what jansson frees is wiped */
	pdv_json_wipe_freed();

	/* "+": stop at the first non-option, the command name */
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			g.config = optarg;
			break;
		case 'd':
			g.db = optarg;
			break;
		case 'k':
			g.key_file = optarg;
			break;
		case 's':
			g.server_id = optarg;
			break;
		case 'j':
			g.json = true;
			break;
		case 'h':
			cli_usage(stdout);
			return 0;
		case 'V':
			printf("pdvault %s\n", PDV_VERSION);
			return 0;
		default:
			cli_usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		cli_usage(stderr);
		return 2;
	}
	if (strcmp(argv[optind], "help") == 0) {
		if (optind + 1 < argc && (cmd = cli_command_find(argv[optind + 1])))
			return command_help(cmd);
		cli_usage(stdout);
		return 0;
	}
	cmd = cli_command_find(argv[optind]);
	if (!cmd) {
		g.command = argv[optind];
		fprintf(stderr, "pdvault: '%s' is not a pdvault command; see 'pdvault --help'\n",
		        argv[optind]);
		return 2;
	}
	g.command = cmd->name;
	g.cmd = cmd;
	/* each command sees its own name as argv[0] and parses from there */
	argc -= optind;
	argv += optind;
	optind = 0; /* glibc: 0 re-initialises getopt for the command's parse */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return command_help(cmd);
	status = cmd->run(&g, argc, argv);
	/* a command that did its work had what its entry says it needs */
	assert(status != 0 || cmd->needs == CLI_NOTHING || g.set_up);
	cli_setup_release(&g);
	return status;
}
