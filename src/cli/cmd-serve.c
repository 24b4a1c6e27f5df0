/*
 * cmd-serve.c — `pdvault serve`: the HTTP server (src/http/) on the
 * declaration, the store and the key of the global options.
 *
 * The clock of a server is the real one: PDVAULT_NOW is refused unless
 * --test-clock says the run is a test.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
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
	    {"verify-per-email", required_argument, NULL, 'v'},
	    {"access-log", required_argument, NULL, 'a'},
	    {"test-clock", no_argument, NULL, 'k'},
	    {NULL, 0, NULL, 0},
	};
	static char host[64] = "127.0.0.1";
	const char *cors[MAX_CORS];
	static struct srv_cidr trusted[MAX_TRUSTED];
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
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
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
	if (pdv_clock_is_overridden() && !o.test_clock) {
		pdv_error_set(&err, PDV_E_USAGE,
		              "PDVAULT_NOW is set: a server runs on the real clock (unset it, or "
		              "pass --test-clock for a test)");
		return cli_fail(g, &err);
	}
	o.db_url = g->db;
	o.config = g->config;
	o.key_file = g->key_file;
	if (cli_setup(g, &cv, &err) < 0 || srv_run(&o, cv->decl, cv->vault, &err) < 0)
		status = cli_fail(g, &err);
	return status;
}
