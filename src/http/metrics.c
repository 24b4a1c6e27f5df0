/*
 * metrics.c — /metrics in the Prometheus text format: requests by route and
 * status class, a latency histogram, and figures of the store (its size on
 * disk, open and overdue requests, records by phase), read by the worker.
 */
#include <stdio.h>
#include <string.h>

#include "server.h"

static const double bucket_le[SRV_LATENCY_BUCKETS] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1,    2.5,   5};

void srv_metrics_count(struct srv *s, size_t route, int status, long us)
{
	size_t cls = status >= 100 && status < 600 ? (size_t)status / 100 : 0;
	double sec = (double)us / 1e6;
	size_t b = 0;

	if (route > SRV_MAX_ROUTES)
		route = SRV_MAX_ROUTES;
	atomic_fetch_add(&s->requests[route][cls], 1);
	while (b < SRV_LATENCY_BUCKETS && sec > bucket_le[b])
		b++;
	atomic_fetch_add(&s->latency[b], 1);
	atomic_fetch_add(&s->latency_count, 1);
	atomic_fetch_add(&s->latency_sum_us, us);
}

static const char *const phase_names[] = {"active", "renewal-pending", "archived", "restricted",
                                          "other"};
#define N_PHASES (sizeof(phase_names) / sizeof(phase_names[0]))

struct phases {
	long n[N_PHASES];
};

static int phase_one(void *ctx, const char *activity, const char *phase, long count, long ending)
{
	struct phases *p = ctx;
	size_t i = 0;

	(void)activity, (void)ending;
	while (i < N_PHASES - 1 && strcmp(phase_names[i], phase) != 0)
		i++;
	p->n[i] += count;
	return 0;
}

struct req_counts {
	long open, overdue;
};

static int count_req(void *ctx, const struct pdv_request_info *r)
{
	struct req_counts *c = ctx;

	c->open++;
	c->overdue += r->overdue;
	return 0;
}

void srv_metrics_render(struct srv *s, struct job *j)
{
	struct pdv_buf *b = &j->out;
	struct phases ph = {0};
	struct req_counts rq = {0};
	struct pdv_error err;
	int64_t store_bytes = 0;
	long cum = 0;
	int rc = 0;

	pdv_error_clear(&err);
	pdv_session_set_role(s->session, NULL); /* the figures are counts of everything */
	if (pdv_request_list(s->session, "open", count_req, &rq, &err) < 0 ||
	    pdv_records_summary(s->session, 0, phase_one, &ph, &err) < 0 ||
	    pdv_vault_store_bytes(s->session, &store_bytes, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	pdv_buf_release(b);
	pdv_buf_init(b, 0);
	rc |= pdv_buf_puts(b, "# HELP pdvault_http_requests_total HTTP requests by route and "
	                      "status class.\n# TYPE pdvault_http_requests_total counter\n");
	for (size_t r = 0; r <= srv_n_routes && r <= SRV_MAX_ROUTES; r++)
		for (size_t c = 1; c < 6; c++) {
			long n = atomic_load(&s->requests[r][c]);

			if (n)
				rc |= pdv_buf_printf(b,
				                     "pdvault_http_requests_total{method=\"%s\","
				                     "route=\"%s\",code=\"%zuxx\"} %ld\n",
				                     srv_route_method_at(r),
				                     srv_route_pattern_at(r), c, n);
		}
	rc |= pdv_buf_puts(b, "# HELP pdvault_http_request_duration_seconds Time from the "
	                      "request line to the answer.\n"
	                      "# TYPE pdvault_http_request_duration_seconds histogram\n");
	for (size_t i = 0; i < SRV_LATENCY_BUCKETS; i++) {
		cum += atomic_load(&s->latency[i]);
		rc |= pdv_buf_printf(
		    b, "pdvault_http_request_duration_seconds_bucket{le=\"%g\"} %ld\n",
		    bucket_le[i], cum);
	}
	rc |= pdv_buf_printf(b,
	                     "pdvault_http_request_duration_seconds_bucket{le=\"+Inf\"} %ld\n"
	                     "pdvault_http_request_duration_seconds_sum %.6f\n"
	                     "pdvault_http_request_duration_seconds_count %ld\n",
	                     atomic_load(&s->latency_count),
	                     (double)atomic_load(&s->latency_sum_us) / 1e6,
	                     atomic_load(&s->latency_count));
	rc |= pdv_buf_printf(
	    b,
	    "# HELP pdvault_commit_groups_total Durable commits (each holds a group "
	    "of requests).\n# TYPE pdvault_commit_groups_total counter\n"
	    "pdvault_commit_groups_total %ld\n"
	    "# HELP pdvault_commit_group_requests_total Requests committed in groups.\n"
	    "# TYPE pdvault_commit_group_requests_total counter\n"
	    "pdvault_commit_group_requests_total %ld\n"
	    "# HELP pdvault_syncs_total Syncs of the store's log (each makes one or "
	    "more groups durable).\n# TYPE pdvault_syncs_total counter\n"
	    "pdvault_syncs_total %ld\n"
	    "# HELP pdvault_commit_groups_again_total Groups run again because a person "
	    "prepared as new had come in meanwhile, or a request failed after writing "
	    "with no savepoint to undo it alone.\n"
	    "# TYPE pdvault_commit_groups_again_total counter\n"
	    "pdvault_commit_groups_again_total %ld\n",
	    atomic_load(&s->groups), atomic_load(&s->group_jobs), atomic_load(&s->syncs),
	    atomic_load(&s->groups_again));
	rc |=
	    pdv_buf_printf(b,
	                   "# HELP pdvault_http_connections_cut_total Connections closed for being "
	                   "too slow (request line and headers past --header-timeout, a body under "
	                   "--body-min-rate) or refused over --max-connections-per-address.\n"
	                   "# TYPE pdvault_http_connections_cut_total counter\n"
	                   "pdvault_http_connections_cut_total{reason=\"header-timeout\"} %ld\n"
	                   "pdvault_http_connections_cut_total{reason=\"body-rate\"} %ld\n"
	                   "pdvault_http_connections_cut_total{reason=\"per-address\"} %ld\n",
	                   atomic_load(&s->cut_header), atomic_load(&s->cut_body),
	                   atomic_load(&s->refused_per_address));
	rc |=
	    pdv_buf_printf(b,
	                   "# HELP pdvault_store_bytes Size of the store on disk (with its WAL).\n"
	                   "# TYPE pdvault_store_bytes gauge\npdvault_store_bytes %lld\n",
	                   (long long)store_bytes);
	rc |= pdv_buf_printf(b,
	                     "# HELP pdvault_rights_requests Rights requests open, and overdue.\n"
	                     "# TYPE pdvault_rights_requests gauge\n"
	                     "pdvault_rights_requests{status=\"open\"} %ld\n"
	                     "pdvault_rights_requests{status=\"overdue\"} %ld\n",
	                     rq.open, rq.overdue);
	rc |= pdv_buf_puts(b, "# HELP pdvault_records Records by phase.\n"
	                      "# TYPE pdvault_records gauge\n");
	for (size_t i = 0; i < N_PHASES; i++)
		rc |= pdv_buf_printf(b, "pdvault_records{phase=\"%s\"} %ld\n", phase_names[i],
		                     ph.n[i]);
	if (rc) {
		srv_error(j, 500, "nomem", NULL, "out of memory");
		return;
	}
	j->status = 200;
	j->ctype = "text/plain; version=0.0.4; charset=utf-8";
}
