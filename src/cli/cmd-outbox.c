/*
 * cmd-outbox.c — `pdvault outbox list | show ID | retry ID | deliver [--once]`
 * and `pdvault recipient secret ID [--rotate]`.
 *
 * deliver drains the outbox through the courier (src/courier/): with --once
 * what is due now, then exits (cron); without, it keeps draining, once a
 * second, until SIGINT or SIGTERM. It prints counts, never a value.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "pdv/courier.h"
#include "pdv/vault.h"
#include "pdv/wipe.h"

struct outbox_out {
	bool json;
	json_t *msgs;
};

static int on_msg(void *ctx, const struct pdv_outbox_item *m)
{
	struct outbox_out *o = ctx;
	char at[21];

	if (o->json) {
		json_t *j = json_pack(
		    "{s:I, s:s, s:o, s:b, s:s, s:i, s:s?}", "id", (json_int_t)m->id, "kind",
		    m->kind, "created_at", cli_json_time(m->created_at), "sent", m->sent_at != 0,
		    "status", m->status, "attempts", m->attempts, "message_id", m->message_id);

		json_object_set_new(j, "recipient",
		                    m->recipient ? json_string(m->recipient) : json_null());
		json_object_set_new(j, "record", m->record ? json_string(m->record) : json_null());
		json_object_set_new(j, "sent_at",
		                    m->sent_at ? cli_json_time(m->sent_at) : json_null());
		json_object_set_new(j, "next_at",
		                    strcmp(m->status, "queued") == 0 ? cli_json_time(m->next_at)
		                                                     : json_null());
		json_object_set_new(j, "last_error",
		                    m->last_error ? json_string(m->last_error) : json_null());
		json_array_append_new(o->msgs, j);
		return 0;
	}
	pdv_time_format(m->created_at, at);
	printf("%-6lld %s  %-13s %-7s %2d  %s%s%s%s%s\n", (long long)m->id, at, m->kind, m->status,
	       m->attempts, m->record ? m->record : "-", m->recipient ? " to " : "",
	       m->recipient ? m->recipient : "", m->last_error ? "  last error " : "",
	       m->last_error ? m->last_error : "");
	return 0;
}

static int on_open(void *ctx, const char *kind, const char *to, const char *code)
{
	const struct cli_global *g = ctx;

	if (g->json)
		return cli_print_json(
		    json_pack("{s:s, s:s, s:s}", "kind", kind, "to", to, "code", code));
	printf("kind  %s\nto    %s\ncode  %s\n", kind, to, code);
	return 0;
}

static int message_id(const struct cli_global *g, const char *arg, long long *ret)
{
	char *end;

	errno = 0;
	*ret = strtoll(arg, &end, 10);
	if (*end || *ret <= 0 || errno)
		return cli_usage_error(g, "the message id is a positive number (outbox list)");
	return 0;
}

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

int cli_courier_option(int c, const char *arg, struct pdv_courier_config *cfg)
{
	char *end;
	long n;

	switch (c) {
	case CLI_OPT_SMTP:
		cfg->smtp_url = arg;
		return 1;
	case CLI_OPT_SMTP_AUTH:
		cfg->smtp_auth_file = arg;
		return 1;
	case CLI_OPT_SMTP_CA:
		cfg->smtp_ca = arg;
		return 1;
	case CLI_OPT_MAIL_FROM:
		cfg->mail_from = arg;
		return 1;
	case CLI_OPT_TEMPLATES:
		cfg->templates_dir = arg;
		return 1;
	case CLI_OPT_PUBLIC_URL:
		cfg->public_url = arg;
		return 1;
	case CLI_OPT_DIGEST_HOUR:
		errno = 0;
		n = strtol(arg, &end, 10);
		if (*end || !*arg || errno || n < 0 || n > 23)
			return -2;
		cfg->digest_hour = (int)n;
		return 1;
	case CLI_OPT_TRIES:
	case CLI_OPT_BACKOFF:
	case CLI_OPT_WEBHOOK_TIMEOUT:
	case CLI_OPT_LEASE:
		errno = 0;
		n = strtol(arg, &end, 10);
		if (*end || errno || n < 1 || n > 1000000)
			return -1;
		if (c == CLI_OPT_TRIES)
			cfg->retry.tries = (int)n;
		else if (c == CLI_OPT_BACKOFF)
			cfg->retry.backoff = (int)n;
		else if (c == CLI_OPT_LEASE)
			cfg->lease = (int)n;
		else
			cfg->webhook_timeout_ms = n;
		return 1;
	}
	return 0;
}

void cli_courier_defaults(struct pdv_courier_config *cfg)
{
	const char *url = getenv("PDVAULT_SMTP_URL");

	memset(cfg, 0, sizeof(*cfg));
	cfg->digest_hour = 8;
	if (url && *url)
		cfg->smtp_url = url;
	url = getenv("PDVAULT_PUBLIC_URL");
	if (url && *url)
		cfg->public_url = url;
}

static int deliver(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"once", no_argument, NULL, 'o'},
	    CLI_COURIER_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	struct pdv_courier_config cfg;
	struct pdv_courier_counts n = {0};
	struct pdv_courier *courier = NULL;
	struct cli_vault *cv = NULL;
	struct pdv_error err;
	bool once = false;
	int c, r, status = 0;

	pdv_error_clear(&err);
	cli_courier_defaults(&cfg);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'o')
			once = true;
		else if ((r = cli_courier_option(c, optarg, &cfg)) == -2)
			return cli_usage_error(g, "--digest-hour takes an hour from 0 to 23");
		else if (r < 0)
			return cli_usage_error(g, "--%s takes a positive number",
			                       c == CLI_OPT_TRIES     ? "delivery-tries"
			                       : c == CLI_OPT_BACKOFF ? "delivery-backoff"
			                       : c == CLI_OPT_LEASE   ? "delivery-lease"
			                                              : "webhook-timeout");
		else if (r == 0)
			return cli_usage_fail_verb(g, "deliver");
	}
	if (optind < argc)
		return cli_usage_fail_verb(g, "deliver");
	if (cli_setup(g, &cv, &err) < 0 || pdv_courier_open(cv->decl, &cfg, &courier, &err) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (pdv_session_defer_sync(cv->session, &err) < 0) { /* the drain syncs once */
		status = cli_fail(g, &err);
		goto out;
	}
	if (!pdv_courier_has_relay(courier))
		fprintf(stderr, "pdvault: no SMTP relay (--smtp, PDVAULT_SMTP_URL): email messages "
		                "wait in the outbox\n");
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	for (;;) {
		if (pdv_courier_drain(courier, cv->session, &stopping, &n, &err) < 0) {
			status = cli_fail(g, &err);
			goto out;
		}
		if (once || stopping)
			break;
		nanosleep(&(struct timespec){.tv_sec = 1}, NULL);
		if (stopping)
			break;
	}
	if (g->json)
		cli_print_json(json_pack("{s:I, s:I, s:I}", "sent", (json_int_t)n.sent, "retried",
		                         (json_int_t)n.retried, "failed", (json_int_t)n.failed));
	else
		printf("%ld sent, %ld to retry, %ld failed\n", n.sent, n.retried, n.failed);
out:
	pdv_courier_free(courier);
	return status;
}

int cmd_outbox(struct cli_global *g, int argc, char **argv)
{
	struct outbox_out o = {.json = g->json};
	struct cli_vault *cv = NULL;
	struct pdv_error err;
	const char *verb = argc > 1 ? argv[1] : NULL;
	long long id = 0;
	int status = 0;

	pdv_error_clear(&err);
	if (verb && strcmp(verb, "deliver") == 0) {
		cli_verb(&argc, &argv);
		return deliver(g, argc, argv);
	}
	if (argc == 3 && (strcmp(verb, "show") == 0 || strcmp(verb, "retry") == 0)) {
		if ((status = message_id(g, argv[2], &id)) != 0)
			return status;
	} else if (argc != 2 || strcmp(verb, "list") != 0) {
		return cli_usage_fail(g);
	}
	o.msgs = json_array();
	if (cli_setup(g, &cv, &err) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (strcmp(verb, "retry") == 0) {
		if (pdv_outbox_retry(cv->session, id, &err) < 0) {
			status = cli_fail(g, &err);
			goto out;
		}
		if (g->json)
			cli_print_json(
			    json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "queued"));
		else
			printf("outbox message %lld queued again\n", id);
		goto out;
	}
	if ((id ? pdv_outbox_open(cv->session, id, on_open, g, &err)
	        : pdv_outbox_list(cv->session, on_msg, &o, &err)) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (g->json && !id)
		cli_print_json(json_pack("{s:O}", "messages", o.msgs));
out:
	json_decref(o.msgs);
	return status;
}

int cmd_recipient(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"rotate", no_argument, NULL, 'r'},
	    {NULL, 0, NULL, 0},
	};
	struct cli_vault *cv = NULL;
	struct pdv_error err;
	const char *verb = cli_verb(&argc, &argv);
	char *hex = NULL;
	bool rotate = false;
	int c, status = 0;

	pdv_error_clear(&err);
	if (!verb || strcmp(verb, "secret") != 0)
		return cli_usage_fail(g);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'r')
			rotate = true;
		else
			return cli_usage_fail(g);
	}
	if (optind + 1 != argc)
		return cli_usage_fail(g);
	if (cli_setup(g, &cv, &err) < 0 ||
	    pdv_recipient_secret(cv->session, argv[optind], rotate, &hex, &err) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	/* printed once: the store keeps it sealed and never shows it again */
	if (g->json)
		cli_print_json(json_pack("{s:s, s:s}", "recipient", argv[optind], "secret", hex));
	else
		printf("%s\n", hex);
out:
	pdv_secure_free(hex);
	return status;
}
