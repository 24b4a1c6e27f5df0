/*
 * cmd-breach.c — the breach register of Art. 33(5) and its 72-hour clock
 * (Art. 33(1)):
 *   breach open --aware TIME (--summary TEXT | --stdin) [--risk R --reason TEXT]
 *   breach assess BREACH --risk unlikely|risk|high --reason TEXT
 *   breach describe BREACH [--nature T] [--categories T] [--people N] [--records N]
 *                          [--consequences T] [--measures T]
 *   breach notify BREACH --authority [--at TIME] [--reference REF] [--reason TEXT]
 *   breach notify BREACH --subjects [--at TIME]
 *   breach notify BREACH --subjects --activity A [--activity B...]
 *   breach list
 *   breach show BREACH
 * The notify of the people with --activity queues the Art. 34 notice to each
 * person of those activities (once each); without it, it only records that
 * they were told (by other means), at --at or now. Times typed here carry
 * their offset from UTC (pdv_time_parse_local).
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

static json_t *str_or_null(const char *v)
{
	return v ? json_string(v) : json_null();
}

static json_t *count_or_null(int64_t n)
{
	return n < 0 ? json_null() : json_integer((json_int_t)n);
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

/* the timeline of one breach, then its Art. 33(3) items */
static int show_one(void *ctx, const struct pdv_breach_info *b)
{
	json_t **ret = ctx;
	char t[21];

	if (ret) {
		*ret = json_pack(
		    "{s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:b, s:b, s:b}", "breach", b->breach,
		    "aware_at", time_or_null(b->aware_at), "recorded_at",
		    time_or_null(b->recorded_at), "assessed_at", time_or_null(b->assessed_at),
		    "authority_due", time_or_null(b->authority_due), "authority_notified",
		    time_or_null(b->authority_notified), "subjects_notified",
		    time_or_null(b->subjects_notified), "risk", b->risk, "late", b->late, "overdue",
		    b->overdue, "people_to_tell", b->people_to_tell);
		json_object_set_new(*ret, "reference", str_or_null(b->authority_reference));
		json_object_set_new(*ret, "late_reason", str_or_null(b->late_reason));
		json_object_set_new(*ret, "risk_reason", str_or_null(b->risk_reason));
		json_object_set_new(*ret, "summary", json_string(b->summary));
		json_object_set_new(*ret, "nature", str_or_null(b->nature));
		json_object_set_new(*ret, "categories", str_or_null(b->categories));
		json_object_set_new(*ret, "people", count_or_null(b->people_count));
		json_object_set_new(*ret, "records", count_or_null(b->records_count));
		json_object_set_new(*ret, "consequences", str_or_null(b->consequences));
		json_object_set_new(*ret, "measures", str_or_null(b->measures));
		json_object_set_new(*ret, "contact", str_or_null(b->contact));
		json_object_set_new(*ret, "notices", count_or_null(b->subjects_notices));
		json_object_set_new(*ret, "unreachable", count_or_null(b->subjects_unreachable));
		return 0;
	}
	printf("breach %s\n", b->breach);
	pdv_time_format(b->aware_at, t);
	printf("  %s  aware\n", t);
	if (b->recorded_at) {
		pdv_time_format(b->recorded_at, t);
		printf("  %s  recorded\n", t);
	}
	if (strcmp(b->risk, "unassessed") != 0) {
		if (b->assessed_at)
			pdv_time_format(b->assessed_at, t);
		printf("  %-20s  assessed: risk %s%s%s\n", b->assessed_at ? t : "(time not kept)",
		       b->risk, b->risk_reason ? ": " : "", b->risk_reason ? b->risk_reason : "");
	} else {
		printf("  %-20s  not assessed yet\n", "");
	}
	pdv_time_format(b->authority_due, t);
	printf("  %s  the authority's deadline (aware + 72 hours, Art. 33(1))%s\n", t,
	       !b->authority_required ? ": not required (assessed unlikely)"
	       : b->overdue           ? ": OVERDUE"
	                              : "");
	if (b->authority_notified) {
		pdv_time_format(b->authority_notified, t);
		printf("  %s  authority told%s%s%s\n", t, b->late ? " LATE" : "",
		       b->authority_reference ? ", reference " : "",
		       b->authority_reference ? b->authority_reference : "");
		if (b->late_reason)
			printf("  %-20s  reasons for the delay: %s\n", "", b->late_reason);
	}
	if (b->subjects_notified) {
		pdv_time_format(b->subjects_notified, t);
		if (b->subjects_notices >= 0)
			printf("  %s  people told: %lld notices queued, %lld without an address\n",
			       t, (long long)b->subjects_notices,
			       (long long)b->subjects_unreachable);
		else
			printf("  %s  people told (by other means)\n", t);
	} else if (b->people_to_tell) {
		printf("  %-20s  PEOPLE STILL TO BE TOLD (assessed high, Art. 34(1))\n", "");
	}
	printf("summary: %s\n", b->summary);
	printf("Art. 33(3):\n");
	printf("  (a) nature: %s\n", b->nature ? b->nature : "-");
	printf("  (a) categories: %s\n", b->categories ? b->categories : "-");
	if (b->people_count >= 0)
		printf("  (a) people concerned: about %lld\n", (long long)b->people_count);
	else
		printf("  (a) people concerned: -\n");
	if (b->records_count >= 0)
		printf("  (a) records concerned: about %lld\n", (long long)b->records_count);
	else
		printf("  (a) records concerned: -\n");
	printf("  (b) contact: %s\n", b->contact ? b->contact : "- (the declaration has none)");
	printf("  (c) likely consequences: %s\n", b->consequences ? b->consequences : "-");
	printf("  (d) measures: %s\n", b->measures ? b->measures : "-");
	return 0;
}

/* --people and --records: an approximate number, digits only */
static int parse_count(const char *v, const char *field, int64_t *ret, struct pdv_error *err)
{
	int64_t n = 0;
	size_t i = 0;

	for (; v[i] >= '0' && v[i] <= '9' && i < 13; i++)
		n = n * 10 + (v[i] - '0');
	if (i == 0 || v[i]) {
		pdv_error_set(err, PDV_E_INVAL, "--%s is an approximate number, 0 or more", field);
		pdv_error_field(err, field);
		return PDV_E_INVAL;
	}
	*ret = n;
	return 0;
}

/* --aware and --at: a time with its offset */
static int parse_time(const char *v, const char *field, pdv_time_t *ret, struct pdv_error *err)
{
	if (pdv_time_parse_local(v, ret, err) == 0)
		return 0;
	pdv_error_set(err, PDV_E_INVAL,
	              "--%s is a time with its offset from UTC: 2026-03-02T11:00+01:00, "
	              "'2026-03-02 11:00 +0100', 2026-03-02T10:00:00Z (or a UTC date, YYYY-MM-DD)",
	              field);
	pdv_error_field(err, field);
	return PDV_E_INVAL;
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
	    {"nature", required_argument, NULL, 'N'},
	    {"categories", required_argument, NULL, 'K'},
	    {"people", required_argument, NULL, 'P'},
	    {"records", required_argument, NULL, 'D'},
	    {"at", required_argument, NULL, 'T'},
	    {"reference", required_argument, NULL, 'F'},
	    {NULL, 0, NULL, 0},
	};
	const char *activities[64], *consequences = NULL, *measures = NULL, *nature = NULL,
	                            *categories = NULL, *people_arg = NULL, *records_arg = NULL,
	                            *at_arg = NULL, *reference = NULL;
	struct pdv_breach_description desc = {NULL, NULL, NULL, NULL, -1, -1};
	pdv_time_t told_at = 0;
	size_t n_act = 0;
	struct pdv_breach_people people = {0};
	const char *aware = NULL, *summary = NULL, *who = NULL, *risk = NULL, *reason = NULL, *verb;
	bool from_stdin = false, described;
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
		case 'N':
			nature = optarg;
			break;
		case 'K':
			categories = optarg;
			break;
		case 'P':
			people_arg = optarg;
			break;
		case 'D':
			records_arg = optarg;
			break;
		case 'T':
			at_arg = optarg;
			break;
		case 'F':
			reference = optarg;
			break;
		default:
			return cli_usage_fail(g);
		}
	}
	npos = argc - optind;
	described = consequences || measures || nature || categories || people_arg || records_arg;
	if ((n_act && (strcmp(verb, "notify") != 0 || !who || strcmp(who, "subjects") != 0)) ||
	    (described && strcmp(verb, "describe") != 0) ||
	    ((at_arg || reference) && strcmp(verb, "notify") != 0) || (at_arg && n_act) ||
	    (reference && (!who || strcmp(who, "authority") != 0)))
		return cli_usage_fail(g);
	if (strcmp(verb, "describe") == 0
	        ? npos != 1 || !described || aware || summary || from_stdin || who || risk || reason
	    : strcmp(verb, "show") == 0
	        ? npos != 1 || aware || summary || from_stdin || who || risk || reason
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
	if ((aware && parse_time(aware, "aware", &aware_at, &err) < 0) ||
	    (at_arg && parse_time(at_arg, "at", &told_at, &err) < 0) ||
	    (people_arg && parse_count(people_arg, "people", &desc.people, &err) < 0) ||
	    (records_arg && parse_count(records_arg, "records", &desc.records, &err) < 0)) {
		status = cli_fail(g, &err);
		goto out;
	}
	desc.nature = nature;
	desc.categories = categories;
	desc.consequences = consequences;
	desc.measures = measures;
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
	if (strcmp(verb, "show") == 0) {
		json_t *doc = NULL;

		if (pdv_breach_show(cv->session, argv[optind], show_one, g->json ? &doc : NULL,
		                    &err) < 0)
			status = cli_fail(g, &err);
		else if (doc)
			cli_print_json(json_incref(doc));
		json_decref(doc);
		goto out;
	}
	rc = strcmp(verb, "open") == 0
	         ? pdv_breach_open(cv->session, aware_at, summary, risk, reason, &info, &err)
	     : strcmp(verb, "assess") == 0
	         ? pdv_breach_assess(cv->session, argv[optind], risk, reason, &info, &err)
	     : strcmp(verb, "describe") == 0
	         ? pdv_breach_describe(cv->session, argv[optind], &desc, &info, &err)
	     : n_act ? pdv_breach_notify_people(cv->session, argv[optind], activities, n_act, &info,
	                                        &people, &err)
	             : pdv_breach_notify(cv->session, argv[optind], who, told_at, reference, reason,
	                                 &info, &err);
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
		bool late = authority && info.late;

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
			printf("breach %s: %s told at %s%s\n", info.breach,
			       authority ? "authority" : "people", at, late ? " (late)" : "");
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
