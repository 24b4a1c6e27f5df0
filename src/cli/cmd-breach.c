/*
 * cmd-breach.c — the breach register of Art. 33(5) and its 72-hour clock
 * (Art. 33(1)):
 *   breach open --aware TIME (--summary TEXT | --stdin) [--risk R --reason TEXT]
 *   breach assess BREACH --risk unlikely|risk|high --reason TEXT
 *   breach describe BREACH [--consequences TEXT] [--measures TEXT]
 *   breach notify BREACH (--authority | --subjects) [--reason TEXT]
 *   breach notify BREACH --subjects --activity A [--activity B...]
 *   breach list
 * The notify of the people with --activity queues the Art. 34 notice to each
 * person of those activities (once each); without it, it only records that
 * they were told (by other means).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "pdv/wipe.h"
#include "pdv/vault.h"

static json_t *time_or_null(pdv_time_t t)
{
	char buf[21];

	if (!t)
		return json_null();
	pdv_time_format(t, buf);
	return json_string(buf);
}

static int print_one(void *ctx, const struct pdv_breach_info *b)
{
	json_t *arr = ctx;
	char aware[21], due[21], told[21], people[21];

	if (arr) {
		json_array_append_new(
		    arr, json_pack("{s:s, s:o, s:o, s:o, s:o, s:b, s:s, s:s, s:b, s:b, s:o, s:o}",
		                   "breach", b->breach, "aware_at", time_or_null(b->aware_at),
		                   "authority_due", time_or_null(b->authority_due),
		                   "authority_notified", time_or_null(b->authority_notified),
		                   "subjects_notified", time_or_null(b->subjects_notified),
		                   "overdue", b->overdue, "summary", b->summary, "risk", b->risk,
		                   "authority_required", b->authority_required, "subjects_required",
		                   b->subjects_required, "risk_reason",
		                   b->risk_reason ? json_string(b->risk_reason) : json_null(),
		                   "late_reason",
		                   b->late_reason ? json_string(b->late_reason) : json_null()));
		return 0;
	}
	pdv_time_format(b->aware_at, aware);
	pdv_time_format(b->authority_due, due);
	if (b->authority_notified)
		pdv_time_format(b->authority_notified, told);
	if (b->subjects_notified)
		pdv_time_format(b->subjects_notified, people);
	printf("%s  aware %s  authority due %s  risk %s%s\n", b->breach, aware, due, b->risk,
	       b->overdue ? "  OVERDUE" : "");
	printf("  authority %s%s  people %s%s\n",
	       b->authority_notified   ? "told "
	       : b->authority_required ? "not told"
	                               : "not required",
	       b->authority_notified ? told : "",
	       b->subjects_notified   ? "told "
	       : b->subjects_required ? "not told"
	                              : "not required",
	       b->subjects_notified ? people : "");
	printf("  summary: %s\n", b->summary);
	if (b->risk_reason)
		printf("  assessment: %s\n", b->risk_reason);
	if (b->late_reason)
		printf("  reasons for the delay: %s\n", b->late_reason);
	return 0;
}

static char *read_summary(void)
{
	char *buf = pdv_secure_alloc(PDV_BREACH_SUMMARY_MAX + 2);
	size_t n;

	if (!buf)
		return NULL;
	n = fread(buf, 1, PDV_BREACH_SUMMARY_MAX + 1, stdin);
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	return buf;
}

int cmd_breach(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"aware", required_argument, NULL, 'a'},
	    {"summary", required_argument, NULL, 's'},
	    {"stdin", no_argument, NULL, 'i'},
	    {"authority", no_argument, NULL, 'A'},
	    {"subjects", no_argument, NULL, 'S'},
	    {"risk", required_argument, NULL, 'r'},
	    {"reason", required_argument, NULL, 'R'},
	    {"activity", required_argument, NULL, 't'},
	    {"consequences", required_argument, NULL, 'C'},
	    {"measures", required_argument, NULL, 'M'},
	    {NULL, 0, NULL, 0},
	};
	const char *activities[64], *consequences = NULL, *measures = NULL;
	size_t n_act = 0;
	struct pdv_breach_people people = {0};
	const char *aware = NULL, *summary = NULL, *who = NULL, *risk = NULL, *reason = NULL, *verb;
	bool from_stdin = false;
	char *buf = NULL, at[21], due[21];
	struct cli_vault *cv = NULL;
	struct pdv_breach_info info;
	struct pdv_error err;
	pdv_time_t aware_at = 0;
	int c, status = 0, rc = 0, npos;

	pdv_error_clear(&err);
	if (!(verb = cli_verb(&argc, &argv)))
		return cli_usage_fail(g);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			aware = optarg;
			break;
		case 's':
			summary = optarg;
			break;
		case 'i':
			from_stdin = true;
			break;
		case 'A':
			who = who ? "" : "authority";
			break;
		case 'S':
			who = who ? "" : "subjects";
			break;
		case 'r':
			risk = optarg;
			break;
		case 'R':
			reason = optarg;
			break;
		case 't':
			if (n_act == sizeof(activities) / sizeof(activities[0]))
				return cli_usage_error(g, "at most 64 --activity");
			activities[n_act++] = optarg;
			break;
		case 'C':
			consequences = optarg;
			break;
		case 'M':
			measures = optarg;
			break;
		default:
			return cli_usage_fail(g);
		}
	}
	npos = argc - optind;
	if ((n_act && (strcmp(verb, "notify") != 0 || !who || strcmp(who, "subjects") != 0)) ||
	    ((consequences || measures) && strcmp(verb, "describe") != 0))
		return cli_usage_fail(g);
	if (strcmp(verb, "describe") == 0 ? npos != 1 || (!consequences && !measures) || aware ||
	                                        summary || from_stdin || who || risk || reason
	    : strcmp(verb, "open") == 0
	        ? npos != 0 || !aware || !summary == !from_stdin || who || !risk != !reason
	    : strcmp(verb, "list") == 0
	        ? npos != 0 || aware || summary || from_stdin || who || risk || reason
	    : strcmp(verb, "assess") == 0
	        ? npos != 1 || !risk || !reason || aware || summary || from_stdin || who
	    : strcmp(verb, "notify") == 0
	        ? npos != 1 || !who || !*who || aware || summary || from_stdin || risk ||
	              (reason && strcmp(who, "subjects") == 0)
	        : 1)
		return cli_usage_fail(g);
	if (aware && pdv_time_parse(aware, &aware_at, &err) < 0) {
		pdv_error_set(&err, PDV_E_INVAL,
		              "--aware is a time, YYYY-MM-DDTHH:MM:SSZ (or a date, YYYY-MM-DD)");
		pdv_error_field(&err, "aware");
		status = cli_fail(g, &err);
		goto out;
	}
	if (from_stdin) {
		if (!(buf = read_summary())) {
			pdv_error_set(&err, PDV_E_NOMEM, "out of memory");
			status = cli_fail(g, &err);
			goto out;
		}
		summary = buf;
	}
	if (cli_setup(g, &cv, &err) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (strcmp(verb, "list") == 0) {
		json_t *arr = g->json ? json_array() : NULL;

		if (pdv_breach_list(cv->session, true, print_one, arr, &err) < 0)
			status = cli_fail(g, &err);
		else if (g->json)
			cli_print_json(json_pack("{s:O}", "breaches", arr));
		json_decref(arr);
		goto out;
	}
	rc = strcmp(verb, "open") == 0
	         ? pdv_breach_open(cv->session, aware_at, summary, risk, reason, &info, &err)
	     : strcmp(verb, "assess") == 0
	         ? pdv_breach_assess(cv->session, argv[optind], risk, reason, &info, &err)
	     : strcmp(verb, "describe") == 0
	         ? pdv_breach_describe(cv->session, argv[optind], consequences, measures, &info,
	                               &err)
	     : n_act ? pdv_breach_notify_people(cv->session, argv[optind], activities, n_act, &info,
	                                        &people, &err)
	             : pdv_breach_notify(cv->session, argv[optind], who, reason, &info, &err);
	if (rc < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	pdv_time_format(info.authority_due, due);
	if (strcmp(verb, "open") == 0) {
		if (g->json)
			cli_print_json(
			    json_pack("{s:s, s:s}", "breach", info.breach, "authority_due", due));
		else
			printf("breach %s: notify the authority by %s (72 hours from awareness, "
			       "Art. 33(1)) unless the breach is unlikely to result in a risk\n",
			       info.breach, due);
		goto out;
	}
	if (strcmp(verb, "describe") == 0) {
		if (g->json)
			cli_print_json(json_pack("{s:s}", "breach", info.breach));
		else
			printf("breach %s: described\n", info.breach);
		goto out;
	}
	if (strcmp(verb, "assess") == 0) {
		if (g->json)
			cli_print_json(json_pack("{s:s, s:s, s:b, s:b}", "breach", info.breach,
			                         "risk", info.risk, "authority_required",
			                         info.authority_required, "subjects_required",
			                         info.subjects_required));
		else
			printf("breach %s: risk %s; %s\n", info.breach, info.risk,
			       info.subjects_required    ? "tell the authority and the people"
			       : info.authority_required ? "tell the authority"
			                                 : "nothing to notify");
		goto out;
	}
	/* notify */
	{
		bool authority = strcmp(who, "authority") == 0;
		bool late = authority && info.authority_notified > info.authority_due;

		pdv_time_format(authority ? info.authority_notified : info.subjects_notified, at);
		if (g->json) {
			json_t *o =
			    json_pack("{s:s, s:s}", "breach", info.breach,
			              authority ? "authority_notified" : "subjects_notified", at);

			if (authority)
				json_object_set_new(o, "late", json_boolean(late));
			if (n_act) {
				json_object_set_new(o, "notices",
				                    json_integer((json_int_t)people.queued));
				json_object_set_new(o, "unreachable",
				                    json_integer((json_int_t)people.unreachable));
			}
			cli_print_json(o);
		} else {
			printf("breach %s: %s told at %s\n", info.breach,
			       authority ? "authority" : "people", at);
			if (n_act)
				printf("  %zu notices queued (one a person)%s\n", people.queued,
				       people.unreachable ? "; some people have no email field"
				                          : "");
		}
		if (people.unreachable)
			fprintf(
			    stderr,
			    "pdvault: breach: %zu people of those activities have no address to "
			    "write to: tell them otherwise, or publicly (Art. 34(3)(c))\n",
			    people.unreachable);
		if (late)
			fprintf(stderr,
			        "pdvault: breach: the authority was told after %s; the reasons for "
			        "the delay are recorded with it\n",
			        due);
	}
out:
	if (buf)
		pdv_secure_free(buf);
	return status;
}
