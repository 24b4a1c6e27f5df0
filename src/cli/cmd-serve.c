/*
 * cmd-serve.c — `pdvault serve`: the HTTP server (src/http/) on the
 * declaration, the store and the key of the global options.
 *
 * The clock of a server is the real one: PDVAULT_NOW is refused unless
 * --test-clock says the run is a test.
 *
 * The outbox is delivered by a thread of its own (src/courier/) with its own
 * session: it shares no lock with the server's writer but the store's own,
 * and appends no audit entry, so the commit path never waits on a relay.
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli.h"
#include "pdv/courier.h"
#include "pdv/time.h"
#include "pdv/vault.h"
#include "server.h" /* src/http/, through http_dep: srv_run and its options */

#define MAX_CORS 32
#define MAX_TRUSTED 64

static bool number(const char *s, long min, long max, long *ret)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (!*s || *end || v < min || v > max)
		return false;
	*ret = v;
	return true;
}

#define COURIER_NICE 10

struct courier_thread {
	struct pdv_courier *courier;
	struct pdv_vault *vault;
	pthread_t thread;
	volatile sig_atomic_t stop;
};

/* drain what is due, then look again a second later, until stopped; an error
 * is one line on stderr (the courier's messages carry no value) */
static void *courier_main(void *arg)
{
	struct courier_thread *ct = arg;
	struct pdv_courier_counts n = {0};
	struct pdv_session *session = NULL;
	struct pdv_error err;

	pdv_error_clear(&err);
	/* delivery is background work: on a busy machine the request threads
	 * and the commit path go first (Linux: the nice value is the thread's) */
	setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), COURIER_NICE);
	if (pdv_session_open(ct->vault, &session, &err) < 0 ||
	    pdv_session_set_actor(session, "courier") < 0 ||
	    /* claims and outcomes do not wait for the disk while they hold the
	     * write lock (the drain syncs after): the commit path waits less */
	    pdv_session_defer_sync(session, &err) < 0) {
		fprintf(stderr, "pdvault: delivery stopped: %s\n", err.msg);
		pdv_session_close(session);
		return NULL;
	}
	while (!ct->stop) {
		if (pdv_courier_drain(ct->courier, session, &ct->stop, &n, &err) < 0) {
			fprintf(stderr, "pdvault: delivery: %s\n", err.msg);
			pdv_error_clear(&err);
		}
		for (int i = 0; i < 10 && !ct->stop; i++)
			nanosleep(&(struct timespec){.tv_nsec = 100 * 1000 * 1000}, NULL);
	}
	pdv_session_close(session);
	return NULL;
}

static bool relay_up(void *courier)
{
	return pdv_courier_relay_up(courier);
}

int cmd_serve(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"listen", required_argument, NULL, 'l'},
	    {"cors", required_argument, NULL, 'c'},
	    {"rate", required_argument, NULL, 'r'},
	    {"body-limit", required_argument, NULL, 'b'},
	    {"threads", required_argument, NULL, 't'},
	    {"max-connections", required_argument, NULL, 'm'},
	    {"timeout", required_argument, NULL, 'T'},
	    {"header-timeout", required_argument, NULL, 'H'},
	    {"body-min-rate", required_argument, NULL, 'B'},
	    {"max-connections-per-address", required_argument, NULL, 'P'},
	    {"trusted-proxy", required_argument, NULL, 'x'},
	    {"auth-header", required_argument, NULL, 'A'},
	    {"auth-proxy", required_argument, NULL, 'X'},
	    {"verify-per-email", required_argument, NULL, 'v'},
	    {"access-log", required_argument, NULL, 'a'},
	    {"test-clock", no_argument, NULL, 'k'},
	    CLI_COURIER_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	struct pdv_courier_config cc;
	struct courier_thread ct = {0};
	sigset_t stop_set;
	bool courier_started = false;
	static char host[64] = "127.0.0.1";
	const char *cors[MAX_CORS];
	static struct srv_cidr trusted[MAX_TRUSTED];
	static struct srv_cidr auth_proxy;
	struct srv_opts o = {
	    .listen_host = host,
	    .listen_port = 8080,
	    .body_limit = 64 * 1024,
	    .threads = 2,
	    .connection_limit = 1024,
	    .timeout_s = 30,
	    .header_timeout_s = 10,
	    .body_min_rate = 1024,
	    .max_per_address = 32,
	    .trusted = trusted,
	    .verify_per_email = 5,
	    .rate = 20,
	    .cors = cors,
	};
	struct cli_vault *cv = NULL;
	struct pdv_error err;
	long v;
	int c, status = 0;

	pdv_error_clear(&err);
	cli_courier_defaults(&cc);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		int r = cli_courier_option(c, optarg, &cc);

		if (r == -2)
			return cli_usage_error(g, "--digest-hour takes an hour from 0 to 23");
		if (r < 0)
			return cli_usage_error(g, "--delivery-tries, --delivery-backoff, "
			                          "--delivery-lease and --webhook-timeout take a "
			                          "positive number");
		if (r > 0)
			continue;
		switch (c) {
		case 'l': {
			const char *colon = strrchr(optarg, ':');

			if (!colon || colon == optarg || (size_t)(colon - optarg) >= sizeof(host) ||
			    !number(colon + 1, 1, 65535, &v))
				return cli_usage_error(
				    g, "--listen is HOST:PORT (e.g. 127.0.0.1:8080)");
			memcpy(host, optarg, (size_t)(colon - optarg));
			host[colon - optarg] = '\0';
			o.listen_port = (int)v;
			break;
		}
		case 'c':
			if (o.n_cors == MAX_CORS)
				return cli_usage_error(g, "at most %d --cors origins", MAX_CORS);
			if (strncmp(optarg, "http://", 7) != 0 &&
			    strncmp(optarg, "https://", 8) != 0)
				return cli_usage_error(
				    g, "--cors takes an origin: https://host[:port]");
			cors[o.n_cors++] = optarg;
			break;
		case 'r':
			if (!number(optarg, 0, 1000000, &v))
				return cli_usage_error(g,
				                       "--rate is requests per second per address "
				                       "(0: no limit)");
			o.rate = (double)v;
			break;
		case 'b':
			if (!number(optarg, 1024, 64L * 1024 * 1024, &v))
				return cli_usage_error(g, "--body-limit is 1024 to 67108864 bytes");
			o.body_limit = (size_t)v;
			break;
		case 't':
			if (!number(optarg, 1, 64, &v))
				return cli_usage_error(g, "--threads is 1 to 64");
			o.threads = (int)v;
			break;
		case 'm':
			if (!number(optarg, 1, 65536, &v))
				return cli_usage_error(g, "--max-connections is 1 to 65536");
			o.connection_limit = (unsigned)v;
			break;
		case 'T':
			if (!number(optarg, 1, 3600, &v))
				return cli_usage_error(g, "--timeout is 1 to 3600 seconds");
			o.timeout_s = (unsigned)v;
			break;
		case 'H':
			if (!number(optarg, 1, 3600, &v))
				return cli_usage_error(g, "--header-timeout is 1 to 3600 seconds");
			o.header_timeout_s = (unsigned)v;
			break;
		case 'B':
			if (!number(optarg, 0, 1L << 30, &v))
				return cli_usage_error(
				    g, "--body-min-rate is bytes per second (0: none)");
			o.body_min_rate = (double)v;
			break;
		case 'P':
			if (!number(optarg, 0, 65536, &v))
				return cli_usage_error(
				    g, "--max-connections-per-address is 0 (no limit) "
				       "to 65536");
			o.max_per_address = (unsigned)v;
			break;
		case 'x':
			if (o.n_trusted == MAX_TRUSTED)
				return cli_usage_error(g, "at most %d --trusted-proxy networks",
				                       MAX_TRUSTED);
			if (srv_cidr_parse(optarg, &trusted[o.n_trusted]) < 0)
				return cli_usage_error(
				    g,
				    "--trusted-proxy is an IPv4 or IPv6 address, "
				    "with /PREFIX for a network: '%s'",
				    optarg);
			o.n_trusted++;
			break;
		case 'A':
			/* a header name: a token of RFC 9110 */
			if (!*optarg ||
			    strspn(optarg, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			                   "0123456789-_") != strlen(optarg))
				return cli_usage_error(g, "--auth-header is a header name such as "
				                          "X-Forwarded-User");
			o.auth_header = optarg;
			break;
		case 'X':
			if (srv_cidr_parse(optarg, &auth_proxy) < 0)
				return cli_usage_error(
				    g,
				    "--auth-proxy is the authenticating proxy's IPv4 "
				    "or IPv6 address (or /PREFIX network): '%s'",
				    optarg);
			o.auth_proxy = &auth_proxy;
			break;
		case 'v':
			if (!number(optarg, 0, 1000000, &v))
				return cli_usage_error(g, "--verify-per-email is codes an hour per "
				                          "address (0: no limit)");
			o.verify_per_email = (unsigned)v;
			break;
		case 'a':
			o.access_log = optarg;
			break;
		case 'k':
			o.test_clock = true;
			break;
		default:
			return cli_usage_fail(g);
		}
	}
	if (optind != argc)
		return cli_usage_fail(g);
	if (!o.auth_header != !o.auth_proxy)
		return cli_usage_error(g, "--auth-header and --auth-proxy go together: the header "
		                          "is believed only from that proxy");
	if (pdv_clock_is_overridden() && !o.test_clock) {
		pdv_error_set(&err, PDV_E_USAGE,
		              "PDVAULT_NOW is set: a server runs on the real clock (unset it, or "
		              "pass --test-clock for a test)");
		return cli_fail(g, &err);
	}
	o.db_url = g->db;
	o.config = g->config;
	o.key_file = g->key_file;
	if (cli_setup(g, &cv, &err) < 0 || pdv_courier_open(cv->decl, &cc, &ct.courier, &err) < 0)
		return cli_fail(g, &err);
	o.delivery = pdv_courier_has_relay(ct.courier);
	o.relay_up = relay_up;
	o.relay_ctx = ct.courier;
	if (!o.delivery)
		fprintf(stderr, "pdvault: no SMTP relay (--smtp, PDVAULT_SMTP_URL): email messages "
		                "wait in the outbox, and the privacy center says so\n");
	else if (!pdv_courier_probe(ct.courier))
		/* known before the first answer: none says a code was sent */
		fprintf(stderr, "pdvault: the SMTP relay does not answer: email messages wait in "
		                "the outbox until it does, and the privacy center says so\n");
	/* the courier thread inherits SIGTERM and SIGINT blocked: srv_run waits
	 * for them in this thread alone */
	sigemptyset(&stop_set);
	sigaddset(&stop_set, SIGTERM);
	sigaddset(&stop_set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop_set, NULL);
	ct.vault = cv->vault;
	if (pthread_create(&ct.thread, NULL, courier_main, &ct) != 0)
		fprintf(stderr, "pdvault: cannot start the delivery thread: nothing is sent\n");
	else
		courier_started = true;
	if (srv_run(&o, cv->decl, cv->vault, &err) < 0)
		status = cli_fail(g, &err);
	ct.stop = 1;
	if (courier_started)
		pthread_join(ct.thread, NULL);
	pdv_courier_free(ct.courier);
	return status;
}
