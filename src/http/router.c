/*
 * router.c — the route table: the HTTP API (docs/server.md, Routes) and what
 * the web UI needs, and the matcher the connection threads run on it.
 *
 * A route is a method, a pattern ({} is one path segment), who may call it
 * and its handler (handlers.h, one file per resource). Handlers run on the
 * worker, inside the group's transaction, except the few marked direct (no
 * vault: healthz, the notice, the public list of activities, the API's
 * description), which run on the connection's thread. A route's index in the
 * table is its row in the request counts of /metrics (srv_route_index,
 * SRV_MAX_ROUTES). docs/openapi.yaml describes every route of the table, and
 * tests/http/test_openapi.py holds the two to each other.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handlers.h"
#include "server.h"

enum {
	F_DIRECT = 1,         /* answered on the connection thread */
	F_PUBLIC_POST = 2,    /* rate limited per client address, CORS (a public GET too) */
	F_BODY = 4,           /* a JSON object body is required */
	F_OPTIONAL_STAFF = 8, /* public, or staff when a token is given */
	F_FORM = 16,          /* the body is a form (RFC 8058), not JSON */
	F_PASS_HASH = 32,     /* the body's passphrase is hashed on the connection thread */
};

struct srv_route {
	const char *method;
	const char *pattern;
	enum srv_access access;
	srv_handler run;
	unsigned flags;
	const char *query[4];
};

/* what a handler does before the group's transaction takes the writer lock
 * (worker.c, prepare_group): the work that needs no lock */
static const struct {
	srv_handler run, prep;
} preps[] = {
    {h_submit, p_submit},
};

/* one row per entry, as the table reads */
/* clang-format off */
static const struct srv_route routes[] = {
	{"GET", "/healthz", SRV_PUBLIC, d_healthz, F_DIRECT, {0}},
	{"GET", "/metrics", SRV_METRICS, h_metrics, 0, {0}},
	{"GET", "/v1/activities", SRV_PUBLIC, d_activities, F_DIRECT, {"lang"}},
	{"POST", "/v1/activities/{}/submissions", SRV_PUBLIC, h_submit, F_PUBLIC_POST | F_BODY, {0}},
	{"GET", "/v1/subjects", SRV_STAFF, h_find, 0, {"email", "phone", "reference"}},
	{"POST", "/v1/subjects/search", SRV_STAFF, h_find, F_BODY, {0}},
	{"GET", "/v1/subjects/{}", SRV_STAFF, h_subject, 0, {"lang"}},
	{"DELETE", "/v1/subjects/{}", SRV_DPO, h_erase, 0, {0}},
	{"POST", "/v1/subjects/{}/events", SRV_STAFF, h_event, F_BODY, {0}},
	{"GET", "/v1/subjects/{}/holds", SRV_DPO, h_holds, 0, {0}},
	{"POST", "/v1/subjects/{}/holds", SRV_DPO, h_hold_place, F_BODY, {0}},
	{"DELETE", "/v1/holds/{}", SRV_DPO, h_hold_lift, 0, {0}},
	{"POST", "/v1/subjects/{}/restriction", SRV_DPO, h_restrict, F_BODY, {0}},
	{"POST", "/v1/subjects/{}/objection", SRV_DPO, h_object, F_BODY, {0}},
	{"POST", "/v1/subjects/{}/records/{}/rectification", SRV_STAFF, h_rectify, F_BODY, {0}},
	{"GET", "/v1/subjects/{}/export", SRV_STAFF, h_export, 0, {"format", "lang", "portable"}},
	{"GET", "/v1/requests", SRV_STAFF, h_requests, 0, {"status", "kind", "due_within", "sort"}},
	{"POST", "/v1/requests", SRV_PUBLIC, h_request_intake,
	 F_PUBLIC_POST | F_BODY | F_OPTIONAL_STAFF, {0}},
	{"POST", "/v1/verify", SRV_PUBLIC, h_verify, F_PUBLIC_POST | F_BODY, {0}},
	{"GET", "/v1/confirm", SRV_PUBLIC, h_confirm, 0, {"c", "k"}},
	{"POST", "/v1/confirm", SRV_PUBLIC, h_confirm, F_PUBLIC_POST | F_FORM, {"c", "k"}},
	{"GET", "/v1/renew", SRV_PUBLIC, h_renew, 0, {"t"}},
	{"POST", "/v1/renew", SRV_PUBLIC, h_renew, F_PUBLIC_POST | F_FORM, {"t"}},
	{"POST", "/v1/status", SRV_PUBLIC, h_status, F_PUBLIC_POST | F_BODY, {0}},
	{"POST", "/v1/download", SRV_PUBLIC, h_download, F_PUBLIC_POST | F_BODY, {0}},
	{"POST", "/v1/download/verify", SRV_PUBLIC, h_verify, F_PUBLIC_POST | F_BODY, {0}},
	{"POST", "/v1/status/verify", SRV_PUBLIC, h_verify, F_PUBLIC_POST | F_BODY, {0}},
	{"GET", "/v1/requests/{}", SRV_STAFF, h_request_get, 0, {"lang"}},
	{"POST", "/v1/requests/{}/extend", SRV_DPO, h_request_extend, F_BODY, {0}},
	{"POST", "/v1/requests/{}/close", SRV_DPO, h_request_close, F_BODY, {0}},
	{"GET", "/v1/requests/{}/export", SRV_DPO, h_request_export, 0, {"format", "lang"}},
	{"POST", "/v1/requests/{}/notes", SRV_DPO, h_request_note, F_BODY, {0}},
	{"GET", "/v1/requests/{}/preview", SRV_DPO, h_request_preview, 0, {"lang"}},
	{"GET", "/v1/requests/{}/certificate", SRV_DPO, h_request_certificate, 0, {0}},
	{"GET", "/v1/breaches", SRV_DPO, h_breaches, 0, {0}},
	{"POST", "/v1/breaches", SRV_DPO, h_breach_open, F_BODY, {0}},
	{"GET", "/v1/breaches/{}", SRV_DPO, h_breach_get, 0, {0}},
	{"POST", "/v1/breaches/{}/notify", SRV_DPO, h_breach_notify, F_BODY, {0}},
	{"POST", "/v1/breaches/{}/assess", SRV_DPO, h_breach_assess, F_BODY, {0}},
	{"POST", "/v1/breaches/{}/describe", SRV_DPO, h_breach_describe, F_BODY, {0}},
	{"GET", "/v1/outbox", SRV_DPO, h_outbox, 0, {"status"}},
	{"POST", "/v1/outbox/{}/retry", SRV_DPO, h_outbox_retry, 0, {0}},
	{"POST", "/v1/consents", SRV_PUBLIC, h_consents, F_PUBLIC_POST | F_BODY, {0}},
	{"POST", "/v1/consents/{}/withdraw", SRV_PUBLIC, h_withdraw, F_PUBLIC_POST | F_BODY, {0}},
	{"GET", "/v1/records/{}/unsubscribe-link", SRV_STAFF, h_link, 0, {0}},
	{"GET", "/v1/unsubscribe", SRV_PUBLIC, h_unsubscribe, 0, {"t"}},
	{"POST", "/v1/unsubscribe", SRV_PUBLIC, h_unsubscribe, F_PUBLIC_POST | F_FORM, {"t"}},
	{"GET", "/v1/notice", SRV_PUBLIC, d_notice, F_DIRECT, {"lang", "format"}},
	{"GET", "/v1/register", SRV_STAFF, h_register, 0, {"format", "lang"}},
	{"GET", "/v1/dashboard", SRV_STAFF, h_dashboard, 0, {0}},
	{"GET", "/v1/dossier", SRV_DPO, h_dossier, 0, {"from", "to"}},
	{"GET", "/v1/me", SRV_STAFF, h_me, 0, {0}},
	{"GET", "/v1/lint", SRV_STAFF, h_lint, 0, {0}},
	{"GET", "/v1/openapi.yaml", SRV_PUBLIC, d_openapi, F_DIRECT, {0}},
	{"POST", "/v1/session", SRV_PUBLIC, h_session_create, F_PUBLIC_POST | F_BODY, {0}},
	{"DELETE", "/v1/session", SRV_STAFF, h_session_delete, 0, {0}},
	{"POST", "/v1/session/revoke-all", SRV_STAFF, h_session_revoke_all, 0, {0}},
	{"POST", "/v1/enrol", SRV_PUBLIC, h_enrol_start, F_PUBLIC_POST | F_BODY, {0}},
	{"POST", "/v1/enrol/confirm", SRV_PUBLIC, h_enrol_finish,
	 F_PUBLIC_POST | F_BODY | F_PASS_HASH, {0}},
	{"GET", "/v1/tokens", SRV_DPO, h_tokens, 0, {0}},
	{"POST", "/v1/tokens", SRV_DPO, h_token_create, F_BODY, {0}},
	{"DELETE", "/v1/tokens/{}", SRV_DPO, h_token_revoke, 0, {0}},
	{"GET", "/.well-known/pdvault-keys.json", SRV_PUBLIC, h_signing_keys, 0, {0}},
	{"GET", "/v1/calendar.ics", SRV_CALENDAR, h_calendar, 0, {"token"}},
	{"GET", "/v1/logo", SRV_PUBLIC, d_logo, F_DIRECT, {0}},
	{"GET", "/v1/cookies/adapter.js", SRV_PUBLIC, d_cookie_adapter, F_DIRECT, {0}},
	{"POST", "/v1/cookies/receipts", SRV_PUBLIC, h_cookie_receipt_post, F_PUBLIC_POST | F_BODY, {0}},
	{"GET", "/v1/cookies/receipts/mine", SRV_PUBLIC, h_cookie_receipts_mine, F_PUBLIC_POST, {"format"}},
	{"POST", "/v1/cookies/receipts/mine", SRV_PUBLIC, h_cookie_receipts_mine,
	 F_PUBLIC_POST | F_BODY, {"format"}},
	{"GET", "/v1/cookies/receipts/{}", SRV_DPO, h_cookie_receipt_get, 0, {"format"}},
};
/* clang-format on */

/* every route has its own request counters in /metrics */
_Static_assert(sizeof(routes) / sizeof(routes[0]) <= SRV_MAX_ROUTES, "raise SRV_MAX_ROUTES");
const size_t srv_n_routes = sizeof(routes) / sizeof(routes[0]);

size_t srv_route_index(const struct srv_route *r)
{
	return r ? (size_t)(r - routes) : srv_n_routes;
}

const char *srv_route_pattern(const struct srv_route *r)
{
	return r ? r->pattern : "-";
}

const char *srv_route_method_at(size_t i)
{
	return i < srv_n_routes ? routes[i].method : "-";
}

const char *srv_route_pattern_at(size_t i)
{
	return i < srv_n_routes ? routes[i].pattern : "none";
}

static bool segment_ok(const char *p, size_t n)
{
	if (n == 0 || n > 128)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(('a' <= p[i] && p[i] <= 'z') || ('A' <= p[i] && p[i] <= 'Z') ||
		      ('0' <= p[i] && p[i] <= '9') || p[i] == '-' || p[i] == '_' || p[i] == '.'))
			return false;
	return true;
}

/* does url match pattern? the {} segments are copied into params[] */
static bool path_match(const char *pattern, const char *url, char *params[2])
{
	const char *p = pattern, *u = url;
	int k = 0;

	params[0] = params[1] = NULL;
	while (*p && *u) {
		if (p[0] == '{' && p[1] == '}') {
			size_t n = strcspn(u, "/");

			if (!segment_ok(u, n) || k == 2)
				goto no;
			if (!(params[k++] = strndup(u, n)))
				goto no;
			p += 2;
			u += n;
		} else if (*p++ != *u++) {
			goto no;
		}
	}
	if (*p == '\0' && *u == '\0')
		return true;
no:
	free(params[0]);
	free(params[1]);
	params[0] = params[1] = NULL;
	return false;
}

int srv_route_match(const char *method, const char *url, struct srv_match *m)
{
	char *params[2];

	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < srv_n_routes; i++) {
		if (!path_match(routes[i].pattern, url, params))
			continue;
		if (strcmp(routes[i].method, method) != 0 &&
		    !(strcmp(method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0)) {
			/* the path exists with another method: 405 unless another matches */
			size_t used = strlen(m->allow);

			if (used + strlen(routes[i].method) + 3 < sizeof(m->allow))
				snprintf(m->allow + used, sizeof(m->allow) - used, "%s%s",
				         m->path_known ? ", " : "", routes[i].method);
			m->path_known = true;
			free(params[0]);
			free(params[1]);
			continue;
		}
		m->route = &routes[i];
		m->param = params[0];
		m->param2 = params[1];
		return 0;
	}
	return PDV_E_NOTFOUND;
}

void srv_match_release(struct srv_match *m)
{
	free(m->param);
	free(m->param2);
	m->param = m->param2 = NULL;
}

srv_handler srv_route_handler(const struct srv_route *r)
{
	return r->run;
}
srv_handler srv_route_prep(const struct srv_route *r)
{
	for (size_t i = 0; i < sizeof(preps) / sizeof(preps[0]); i++)
		if (preps[i].run == r->run)
			return preps[i].prep;
	return NULL;
}
enum srv_access srv_route_access(const struct srv_route *r)
{
	return r->access;
}
bool srv_route_direct(const struct srv_route *r)
{
	return r->flags & F_DIRECT;
}
bool srv_route_public_post(const struct srv_route *r)
{
	return r->flags & F_PUBLIC_POST;
}
bool srv_route_needs_body(const struct srv_route *r)
{
	return r->flags & F_BODY;
}
bool srv_route_form_body(const struct srv_route *r)
{
	return r->flags & F_FORM;
}
bool srv_route_takes_token(const struct srv_route *r)
{
	return r->access != SRV_PUBLIC || (r->flags & F_OPTIONAL_STAFF);
}
bool srv_route_pass_hash(const struct srv_route *r)
{
	return r->flags & F_PASS_HASH;
}

const char *const *srv_route_query(const struct srv_route *r)
{
	return r->query;
}
