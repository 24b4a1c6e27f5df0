/*
 * http.c — the HTTP side: libmicrohttpd (epoll, a pool of threads), limits,
 * routing, CORS, rate limiting, the access log, and the lifetime of the
 * server (SIGTERM: stop taking connections, finish what is in flight, exit).
 *
 * A request's life: the first call of the access handler matches the route
 * and checks what can be checked on the headers (405, 404, 400 for an
 * ambiguous length, 413 by Content-Length, 429); the body is gathered up to
 * the limit; the last call parses the JSON and either answers on this
 * thread (no vault needed) or suspends the connection and queues a job for
 * the worker, which resumes the connection once the job's group is
 * committed.
 *
 * Slow clients: libmicrohttpd's own timeout is an idle one (any byte resets
 * it), so a client that sends a header line every few seconds would hold its
 * connection for ever. Every connection is tracked (the notify-connection
 * callback) with the phase it is in and since when; a reaper thread shuts
 * down a connection whose request line and headers take longer than
 * --header-timeout, or whose body falls below --body-min-rate on average.
 * The accept-policy callback refuses a peer that already holds
 * --max-connections-per-address connections (trusted proxies are exempt).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <math.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "pdv/lang.h"
#include "pdv/wipe.h"
#include "pdv/lint.h"
#include "pdv/time.h"
#include "server.h"

#define SRV_BUCKETS 4096
#define SRV_PEER_SLOTS 1024
#define HEADER_LIMIT (32 * 1024) /* the memory of a connection: request line and headers */
#define REAPER_TICK_MS 100
#define FILES_SPARE 64 /* descriptors kept for the store, the logs, the listening socket */

/* what a connection is doing, for the reaper */
enum conn_phase {
	CONN_HEADERS, /* reading a request line and headers (a new or kept-alive connection) */
	CONN_BODY,    /* reading a body */
	CONN_BUSY,    /* the request is read: the worker, or the answer being sent */
};

struct srv_conn {
	struct srv_conn *prev, *next; /* s->conns, under conn_lock */
	int fd;
	char peer[SRV_ADDR_MAX];
	bool counted; /* holds a place in its peer's count */
	bool cut;     /* shut down by the reaper */
	atomic_int phase;
	atomic_llong since_us;   /* monotonic microseconds the phase began */
	atomic_llong body_bytes; /* of the body being read */
};

struct srv_peer_count {
	struct srv_peer_count *next;
	char addr[SRV_ADDR_MAX];
	unsigned n;
};

struct srv_bucket {
	char addr[64];
	double tokens;
	double at; /* monotonic seconds of the last refill */
};

struct req {
	struct job job; /* first: the worker sees only the job */
	struct srv_match m;
	struct pdv_buf body;
	struct timespec start;
	bool answered; /* a response is queued */
	bool queued;   /* the job went to the worker */
	bool too_big;
	bool cors_ok;              /* the Origin is on the allow-list */
	const char *origin_header; /* the allowed origin, echoed back */
	char origin[256];
	int status;
	char method[12]; /* for the access log */
	struct srv_conn *conn;
	bool close; /* the framing is in doubt: the connection is not kept */
};

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long long mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* ---- rate limiting: a token bucket per client address ---- */

static uint32_t addr_hash(const char *a)
{
	uint32_t h = 2166136261u;

	for (; *a; a++)
		h = (h ^ (uint8_t)*a) * 16777619u;
	return h;
}

/* false: over the rate */
static bool rate_take(struct srv *s, const char *addr)
{
	struct srv_bucket *b;
	double now = mono_now(), burst = 2 * s->o.rate;
	bool ok;

	if (s->o.rate <= 0)
		return true;
	pthread_mutex_lock(&s->rl_lock);
	b = &s->buckets[addr_hash(addr) % SRV_BUCKETS];
	if (strcmp(b->addr, addr) != 0) { /* a new address takes the slot */
		snprintf(b->addr, sizeof(b->addr), "%s", addr);
		b->tokens = burst;
		b->at = now;
	}
	b->tokens = fmin(burst, b->tokens + (now - b->at) * s->o.rate);
	b->at = now;
	ok = b->tokens >= 1;
	if (ok)
		b->tokens -= 1;
	pthread_mutex_unlock(&s->rl_lock);
	return ok;
}

static void sockaddr_text(const struct sockaddr *sa, char out[SRV_ADDR_MAX])
{
	uint8_t a[16];

	snprintf(out, SRV_ADDR_MAX, "unknown");
	if (sa && sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out,
		          SRV_ADDR_MAX);
	else if (sa && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr,
		          out, SRV_ADDR_MAX);
	/* one spelling per address: an IPv4-mapped one is plain IPv4 */
	if (srv_addr_parse(out, strlen(out), a))
		srv_addr_format(a, out);
}

static void peer_addr(struct MHD_Connection *c, char out[SRV_ADDR_MAX])
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

	sockaddr_text(ci ? ci->client_addr : NULL, out);
}

static bool peer_trusted(const struct srv *s, const char *peer)
{
	uint8_t a[16];

	return s->o.n_trusted && srv_addr_parse(peer, strlen(peer), a) &&
	       srv_cidr_contains(s->o.trusted, s->o.n_trusted, a);
}

/* ---- connections: per-address counts, the clocks of slow clients ---- */

/* the count of addr's connections; conn_lock held */
static struct srv_peer_count **peer_slot(struct srv *s, const char *addr)
{
	struct srv_peer_count **p = &s->peers[addr_hash(addr) % SRV_PEER_SLOTS];

	while (*p && strcmp((*p)->addr, addr) != 0)
		p = &(*p)->next;
	return p;
}

/* MHD_AcceptPolicyCallback: a peer over its count is refused before any
 * memory is given to it */
static enum MHD_Result on_accept(void *cls, const struct sockaddr *sa, socklen_t len)
{
	struct srv *s = cls;
	struct srv_peer_count *pc;
	char peer[SRV_ADDR_MAX];
	bool ok;

	(void)len;
	if (!s->o.max_per_address)
		return MHD_YES;
	sockaddr_text(sa, peer);
	if (peer_trusted(s, peer))
		return MHD_YES;
	pthread_mutex_lock(&s->conn_lock);
	pc = *peer_slot(s, peer);
	ok = !pc || pc->n < s->o.max_per_address;
	pthread_mutex_unlock(&s->conn_lock);
	if (!ok)
		atomic_fetch_add(&s->refused_per_address, 1);
	return ok ? MHD_YES : MHD_NO;
}

static void conn_phase(struct srv_conn *k, enum conn_phase phase)
{
	if (!k)
		return;
	atomic_store(&k->since_us, mono_us());
	atomic_store(&k->body_bytes, 0);
	atomic_store(&k->phase, (int)phase);
}

/* MHD_NotifyConnectionCallback: the connection is tracked from its start to
 * its close (the socket is closed after this call, never before) */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
	struct srv *s = cls;
	struct srv_conn *k = *socket_context;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *fd =
		    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		struct srv_peer_count **slot;
		bool over = false;

		if (!(k = calloc(1, sizeof(*k)))) {
			if (fd)
				shutdown(fd->connect_fd, SHUT_RDWR);
			return;
		}
		k->fd = fd ? fd->connect_fd : -1;
		peer_addr(c, k->peer);
		conn_phase(k, CONN_HEADERS);
		pthread_mutex_lock(&s->conn_lock);
		k->next = s->conns;
		if (s->conns)
			s->conns->prev = k;
		s->conns = k;
		if (s->o.max_per_address && !peer_trusted(s, k->peer)) {
			slot = peer_slot(s, k->peer);
			if (!*slot && (*slot = calloc(1, sizeof(**slot))))
				snprintf((*slot)->addr, sizeof((*slot)->addr), "%s", k->peer);
			if (*slot) {
				k->counted = true;
				/* two threads may accept the same peer at once: the
				 * count, not the accept check, is the limit */
				over = ++(*slot)->n > s->o.max_per_address;
			}
		}
		if (over && k->fd >= 0) {
			k->cut = true;
			shutdown(k->fd, SHUT_RDWR);
			atomic_fetch_add(&s->refused_per_address, 1);
		}
		pthread_mutex_unlock(&s->conn_lock);
		*socket_context = k;
		return;
	}
	if (!k)
		return;
	pthread_mutex_lock(&s->conn_lock);
	if (k->prev)
		k->prev->next = k->next;
	else
		s->conns = k->next;
	if (k->next)
		k->next->prev = k->prev;
	if (k->counted) {
		struct srv_peer_count **slot = peer_slot(s, k->peer), *pc = *slot;

		if (pc && --pc->n == 0) {
			*slot = pc->next;
			free(pc);
		}
	}
	pthread_mutex_unlock(&s->conn_lock);
	free(k);
	*socket_context = NULL;
}

/* is a connection in its phase for too long? */
static bool too_slow(const struct srv *s, const struct srv_conn *k, long long now, bool *body)
{
	long long since = atomic_load(&k->since_us),
	          grace = (long long)s->o.header_timeout_s * 1000000LL;
	double el;

	*body = false;
	switch (atomic_load(&k->phase)) {
	case CONN_HEADERS:
		return s->o.header_timeout_s && now - since > grace;
	case CONN_BODY:
		/* after a grace as long as the header timeout, the body keeps an
		 * average of --body-min-rate bytes a second */
		*body = true;
		if (s->o.body_min_rate <= 0 || now - since <= grace)
			return false;
		el = (double)(now - since - grace) / 1e6;
		return (double)atomic_load(&k->body_bytes) < s->o.body_min_rate * el;
	default:
		return false;
	}
}

static void *reaper_main(void *arg)
{
	struct srv *s = arg;

	pthread_mutex_lock(&s->conn_lock);
	while (!s->reaper_stopping) {
		struct timespec until;
		long long now = mono_us();

		for (struct srv_conn *k = s->conns; k; k = k->next) {
			bool body;

			if (k->cut || k->fd < 0 || !too_slow(s, k, now, &body))
				continue;
			/* the socket stays open until libmicrohttpd closes it (after
			 * telling us): shutting it down makes its next read fail */
			shutdown(k->fd, SHUT_RDWR);
			k->cut = true;
			atomic_fetch_add(body ? &s->cut_body : &s->cut_header, 1);
		}
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += REAPER_TICK_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&s->reaper_wake, &s->conn_lock, &until);
	}
	pthread_mutex_unlock(&s->conn_lock);
	return NULL;
}

/* ---- the client behind trusted proxies; the framing of the request ---- */

/* a list header's values joined by ",", bounded */
struct list_header {
	struct pdv_buf b;
	bool has, over;
};

struct header_scan {
	struct list_header forwarded, xff;
	int n_length; /* Content-Length values */
	unsigned long long length;
	bool length_differs; /* two Content-Length values that are not the same */
	bool transfer_encoding;
};

static void scan_length(struct header_scan *h, const char *v)
{
	/* "Content-Length: 5, 5" is a list; each element counts */
	while (*v) {
		size_t n = strcspn(v, ",");
		unsigned long long x = 0;
		size_t i = 0;

		while (i < n && (v[i] == ' ' || v[i] == '\t'))
			i++;
		for (; i < n && v[i] >= '0' && v[i] <= '9'; i++)
			x = x > (ULLONG_MAX - 9) / 10 ? ULLONG_MAX
			                              : x * 10 + (unsigned)(v[i] - '0');
		if (h->n_length++ && x != h->length)
			h->length_differs = true;
		h->length = x;
		v += n;
		if (*v == ',')
			v++;
	}
}

static void append_header(struct list_header *l, const char *v)
{
	if ((l->has && pdv_buf_puts(&l->b, ",") < 0) || pdv_buf_puts(&l->b, v) < 0)
		l->over = true;
	l->has = true;
}

static enum MHD_Result scan_one(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
	struct header_scan *h = cls;

	(void)kind;
	if (!key || !value)
		return MHD_YES;
	if (strcasecmp(key, "Content-Length") == 0)
		scan_length(h, value);
	else if (strcasecmp(key, "Transfer-Encoding") == 0)
		h->transfer_encoding = true;
	else if (strcasecmp(key, "Forwarded") == 0)
		append_header(&h->forwarded, value);
	else if (strcasecmp(key, "X-Forwarded-For") == 0)
		append_header(&h->xff, value);
	return MHD_YES;
}

/* the client of the request: the peer, or behind a trusted proxy what it
 * says; a list too long to hold is believed of nobody */
static void request_client(struct srv *s, struct MHD_Connection *c, struct header_scan *h,
                           char out[SRV_ADDR_MAX])
{
	char peer[SRV_ADDR_MAX];
	const char *fwd = h->forwarded.has ? h->forwarded.b.data : NULL;
	const char *xff = h->xff.has ? h->xff.b.data : NULL;

	peer_addr(c, peer);
	if (h->forwarded.over || h->xff.over)
		fwd = "for=unknown", xff = NULL;
	if (h->forwarded.has && !fwd) /* present, and empty */
		fwd = "";
	if (h->xff.has && !xff)
		xff = "";
	srv_client_address(peer, fwd, xff, s->o.trusted, s->o.n_trusted, out);
}

/* ---- answers ---- */

struct secret_body {
	char *data;
	size_t len;
};

static void secret_free(void *cls)
{
	struct secret_body *b = cls;

	pdv_wipe(b->data, b->len);
	free(b->data);
	free(b);
}

static enum MHD_Result send_job(struct srv *s, struct MHD_Connection *c, struct req *r)
{
	struct job *j = &r->job;
	struct MHD_Response *resp;
	const char *data = j->out.data ? j->out.data : "";
	enum MHD_Result ret;

	if (!j->status)
		srv_error(j, 500, "internal", NULL, "no answer was made");
	if (j->secret_body && j->out.data) {
		struct secret_body *b = malloc(sizeof(*b));

		if (!b)
			return MHD_NO;
		b->data = j->out.data;
		b->len = j->out.len;
		resp = MHD_create_response_from_buffer_with_free_callback_cls(b->len, b->data,
		                                                              secret_free, b);
		if (!resp) {
			secret_free(b);
			j->out.data = NULL;
			return MHD_NO;
		}
		j->out.data = NULL; /* the response owns it now */
		j->out.len = j->out.cap = 0;
	} else {
		resp = MHD_create_response_from_buffer(j->out.len, (void *)data,
		                                       MHD_RESPMEM_MUST_COPY);
		if (!resp)
			return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type", j->ctype ? j->ctype : "application/json");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	if (!j->cacheable)
		MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (j->ctype && strncmp(j->ctype, "text/html", 9) == 0) {
		MHD_add_response_header(resp, "Content-Security-Policy",
		                        "default-src 'self'; style-src 'self' 'unsafe-inline'; "
		                        "script-src 'self'; frame-ancestors 'none'");
		MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	}
	if (j->disposition[0])
		MHD_add_response_header(resp, "Content-Disposition", j->disposition);
	if (j->set_cookie[0])
		MHD_add_response_header(resp, "Set-Cookie", j->set_cookie);
	if (j->status == 405 && r->m.allow[0])
		MHD_add_response_header(resp, "Allow", r->m.allow);
	if (j->status == 429)
		MHD_add_response_header(resp, "Retry-After", "1");
	if (r->close)
		MHD_add_response_header(resp, "Connection", "close");
	if (r->cors_ok) {
		MHD_add_response_header(resp, "Access-Control-Allow-Origin", r->origin);
		MHD_add_response_header(resp, "Vary", "Origin");
	}
	if (j->status == 204 && r->cors_ok) {
		MHD_add_response_header(resp, "Access-Control-Allow-Methods", "GET, POST");
		MHD_add_response_header(resp, "Access-Control-Allow-Headers", "Content-Type");
		MHD_add_response_header(resp, "Access-Control-Max-Age", "600");
	}
	r->status = j->status;
	conn_phase(r->conn, CONN_BUSY); /* an answer being sent is the idle timeout's */
	ret = MHD_queue_response(c, (unsigned)j->status, resp);
	MHD_destroy_response(resp);
	r->answered = true;
	(void)s;
	return ret;
}

static enum MHD_Result answer_error(struct srv *s, struct MHD_Connection *c, struct req *r,
                                    int status, const char *code, const char *fmt, const char *arg)
{
	srv_error(&r->job, status, code, NULL, fmt, arg);
	return send_job(s, c, r);
}

/* a file of web/, or for any other path under /staff/ that names no file
 * (no dot in its last segment), the back office's page: its views have URLs
 * of their own (/staff/requests/REF...), which a reload or a shared link
 * asks the server for, and its router (web/staff/router.js) shows the view */
static const struct srv_asset *page_asset(const char *url)
{
	const struct srv_asset *a = srv_asset_find(url);
	const char *last = strrchr(url, '/');

	if (a || strncmp(url, "/staff/", 7) != 0 || strchr(last, '.'))
		return a;
	return srv_asset_find("/staff/");
}

static bool origin_allowed(const struct srv *s, const char *origin)
{
	for (size_t i = 0; origin && i < s->o.n_cors; i++)
		if (strcmp(s->o.cors[i], origin) == 0)
			return true;
	return false;
}

/* ---- the first call: the route and the headers ---- */

static enum MHD_Result on_headers(struct srv *s, struct MHD_Connection *c, struct req *r,
                                  const char *url, const char *method)
{
	const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
	const struct srv_asset *asset;
	bool preflight = strcmp(method, "OPTIONS") == 0;
	struct header_scan h = {0};

	pdv_buf_init(&h.forwarded.b, HEADER_LIMIT);
	pdv_buf_init(&h.xff.b, HEADER_LIMIT);
	MHD_get_connection_values(c, MHD_HEADER_KIND, scan_one, &h);
	request_client(s, c, &h, r->job.client);
	pdv_buf_release(&h.forwarded.b);
	pdv_buf_release(&h.xff.b);
	if ((h.transfer_encoding && h.n_length) || h.length_differs) {
		/* request smuggling: two readers of this request could see two
		 * different bodies; the connection is not kept */
		r->close = true;
		return answer_error(s, c, r, 400, "malformed", "%s",
		                    h.length_differs ? "two different Content-Length values"
		                                     : "both Content-Length and Transfer-Encoding");
	}
	if (srv_route_match(preflight ? "POST" : method, url, &r->m) < 0 && preflight)
		(void)srv_route_match("GET", url, &r->m);
	if (r->m.route && srv_route_public_post(r->m.route) && origin_allowed(s, origin)) {
		r->cors_ok = true;
		snprintf(r->origin, sizeof(r->origin), "%s", origin);
	}
	if (preflight) {
		r->job.status = r->m.route ? 204 : 404;
		return send_job(s, c, r);
	}
	if (!r->m.route) {
		if ((strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0) &&
		    (asset = page_asset(url))) {
			r->job.status = 200;
			r->job.ctype = asset->ctype;
			r->job.cacheable = true;
			pdv_buf_init(&r->job.out, 0);
			if (pdv_buf_append(&r->job.out, asset->data, asset->len) < 0)
				return MHD_NO;
			snprintf(r->job.actor, sizeof(r->job.actor), "-");
			return send_job(s, c, r);
		}
		if (r->m.path_known)
			return answer_error(s, c, r, 405, "method", "%s is not allowed here",
			                    method);
		return answer_error(s, c, r, 404, "not_found", "no route %s", "for this path");
	}
	if (h.n_length) {
		if (h.length > s->o.body_limit) {
			srv_error(&r->job, 413, "too_large", NULL,
			          "the body is larger than the limit of %zu bytes",
			          s->o.body_limit);
			return send_job(s, c, r);
		}
	}
	if (srv_route_public_post(r->m.route) && !rate_take(s, r->job.client))
		return answer_error(s, c, r, 429, "rate_limited",
		                    "too many requests from this address; %s", "try again shortly");
	pdv_buf_init(&r->body, s->o.body_limit);
	return MHD_YES;
}

static char *bearer(struct MHD_Connection *c)
{
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");

	if (!h || strncasecmp(h, "Bearer ", 7) != 0)
		return NULL;
	h += 7;
	while (*h == ' ')
		h++;
	return *h ? strdup(h) : NULL;
}

/*
 * Who a staff call says it is, besides a bearer token: the session cookie
 * and its CSRF token, and the account an authenticating proxy names in
 * --auth-header, believed only when the connection comes from --auth-proxy
 * itself (the peer, never a forwarded address: trusting a proxy for client
 * addresses does not trust it for identity). From any other peer the header
 * is ignored.
 */
static void take_identity(struct srv *s, struct MHD_Connection *c, struct job *j)
{
	const char *v = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "pdv_session");

	if (v && *v)
		j->session = strdup(v);
	if ((v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-CSRF-Token")) && *v)
		j->csrf = strdup(v);
	if (s->o.auth_header && s->o.auth_proxy &&
	    (v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, s->o.auth_header)) && *v) {
		char peer[SRV_ADDR_MAX];
		uint8_t addr[16];

		peer_addr(c, peer);
		if (srv_addr_parse(peer, strlen(peer), addr) &&
		    srv_cidr_contains(s->o.auth_proxy, 1, addr))
			j->sso_name = strdup(v);
	}
}

/* sign-in's second step: the job goes to the hasher, which checks the
 * passphrase against the hash the worker read and queues it again */
static void check_passphrase(struct srv *s, struct MHD_Connection *c, struct req *r)
{
	struct job *j = &r->job;

	j->again = false;
	j->hash_op = SRV_HASH_CHECK;
	atomic_store(&j->done, false);
	MHD_suspend_connection(c);
	srv_hash_enqueue(s, j);
}

/* ---- the last call: the body, then the job ---- */

static enum MHD_Result on_complete(struct srv *s, struct MHD_Connection *c, struct req *r)
{
	struct job *j = &r->job;
	const char *const *q = srv_route_query(r->m.route);

	if (r->too_big) {
		srv_error(j, 413, "too_large", NULL,
		          "the body is larger than the limit of %zu bytes", s->o.body_limit);
		return send_job(s, c, r);
	}
	if (srv_route_form_body(r->m.route)) {
		/* RFC 8058: "List-Unsubscribe=One-Click"; the answer does not depend on it */
		j->body_form = true;
		pdv_buf_release(&r->body);
	} else if (r->body.len) {
		json_error_t je;

		j->body = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &je);
		pdv_wipe(r->body.data, r->body.len);
		pdv_buf_release(&r->body);
		if (!j->body) {
			/* never je.text: it may quote the input */
			srv_error(j, 400, "malformed", NULL,
			          "the body is not JSON (line %d, column %d)", je.line, je.column);
			return send_job(s, c, r);
		}
		if (!json_is_object(j->body)) {
			srv_error(j, 400, "malformed", NULL, "the body is not a JSON object");
			return send_job(s, c, r);
		}
	} else if (srv_route_needs_body(r->m.route)) {
		srv_error(j, 400, "malformed", NULL, "this route needs a JSON object body");
		return send_job(s, c, r);
	}
	j->run = srv_route_handler(r->m.route);
	j->prep = srv_route_prep(r->m.route);
	j->access = srv_route_access(r->m.route);
	pdv_lang_accept(MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Language"),
	                j->lang);
	{
		const char *gpc = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-GPC");
		const char *cookie = MHD_lookup_connection_value(c, MHD_COOKIE_KIND, "pdv_consent");

		j->gpc = gpc && strcmp(gpc, "1") == 0;
		j->consent_cookie = cookie && *cookie ? strdup(cookie) : NULL;
	}
	j->param = r->m.param;
	j->param2 = r->m.param2;
	r->m.param = r->m.param2 = NULL;
	for (size_t i = 0; i < 4 && q[i]; i++) {
		const char *v = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, q[i]);

		j->query[i] = v ? strdup(v) : NULL;
	}
	if (srv_route_direct(r->m.route)) {
		snprintf(j->actor, sizeof(j->actor), "-");
		j->run(s, j);
		return send_job(s, c, r);
	}
	if (j->access == SRV_CALENDAR) {
		/* calendar apps send no headers: the token is the query's (never
		 * logged: the access log names the route's pattern, not the URL);
		 * no cookie nor proxy header counts there */
		j->token = j->query[0];
		j->query[0] = NULL;
	} else if (srv_route_takes_token(r->m.route)) {
		j->token = bearer(c);
		j->changes = strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0;
		take_identity(s, c, j);
	}
	j->conn = c;
	r->queued = true;
	conn_phase(r->conn, CONN_BUSY);
	/* suspend first: the worker may resume as soon as the job is queued */
	MHD_suspend_connection(c);
	if (srv_route_pass_hash(r->m.route)) {
		j->hash_op = SRV_HASH_MAKE; /* enrolment: the hasher first */
		srv_hash_enqueue(s, j);
	} else {
		srv_enqueue(s, j);
	}
	return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
	struct srv *s = cls;
	struct req *r = *con_cls;

	(void)version;
	if (!r) {
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
		struct srv_conn *k = ci ? ci->socket_context : NULL;

		/* the reaper looks every REAPER_TICK_MS: headers completed late
		 * are refused here, exactly */
		if (k && s->o.header_timeout_s &&
		    mono_us() - atomic_load(&k->since_us) >
		        (long long)s->o.header_timeout_s * 1000000LL) {
			atomic_fetch_add(&s->cut_header, 1);
			return MHD_NO;
		}
		if (!(r = calloc(1, sizeof(*r))))
			return MHD_NO;
		r->conn = k;
		conn_phase(k, CONN_BODY);
		clock_gettime(CLOCK_MONOTONIC, &r->start);
		snprintf(r->method, sizeof(r->method), "%s", method);
		*con_cls = r;
		atomic_fetch_add(&s->inflight, 1);
		return on_headers(s, c, r, url, method);
	}
	if (r->answered) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (*upload_size) {
		if (r->conn)
			atomic_fetch_add(&r->conn->body_bytes, (long long)*upload_size);
		if (!r->too_big && pdv_buf_append(&r->body, upload_data, *upload_size) < 0) {
			r->too_big = true;
			if (r->body.data)
				pdv_wipe(r->body.data, r->body.len);
			pdv_buf_release(&r->body);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->queued) {
		if (!atomic_load(&r->job.done))
			return MHD_YES; /* a spurious call before the worker resumed us */
		if (r->job.again) {
			check_passphrase(s, c, r);
			return MHD_YES;
		}
		return send_job(s, c, r);
	}
	return on_complete(s, c, r);
}

/* ---- completion: the access log and the metrics, then free ---- */

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
	struct srv *s = cls;
	struct req *r = *con_cls;
	struct timespec end;
	long us;

	(void)c;
	if (!r)
		return;
	/* a kept-alive connection waits for its next request line */
	conn_phase(r->conn, CONN_HEADERS);
	clock_gettime(CLOCK_MONOTONIC, &end);
	us = (end.tv_sec - r->start.tv_sec) * 1000000L + (end.tv_nsec - r->start.tv_nsec) / 1000;
	if (!r->answered)
		r->status = toe == MHD_REQUEST_TERMINATED_TIMEOUT_REACHED ? 408 : 499;
	srv_metrics_count(s, srv_route_index(r->m.route), r->status, us);
	if (s->log) {
		char at[21];
		pdv_time_t now = 0;

		/* the one clock: under --test-clock the log follows PDVAULT_NOW */
		if (pdv_clock_now(&now, NULL) < 0)
			now = 0;
		pdv_time_format(now, at);
		/* the route's pattern, never the URL: a query may hold an address */
		pthread_mutex_lock(&s->log_lock);
		fprintf(s->log, "%s %s %s %d %.1fms %s\n", at, r->method,
		        srv_route_pattern(r->m.route), r->status, (double)us / 1000.0,
		        r->job.actor[0] ? r->job.actor : "-");
		fflush(s->log);
		pthread_mutex_unlock(&s->log_lock);
	}
	if (r->body.data)
		pdv_wipe(r->body.data, r->body.len);
	pdv_buf_release(&r->body);
	srv_match_release(&r->m);
	job_release(&r->job);
	free(r);
	*con_cls = NULL;
	atomic_fetch_sub(&s->inflight, 1);
}

/* ---- the server's life ---- */

/*
 * jansson's memory is wiped when freed: request bodies and answers hold
 * values. Blocks stay plain malloc blocks (other code frees what jansson
 * returns with free()), so the size comes from malloc_usable_size.
 */
static void wiping_free(void *p)
{
	if (!p)
		return;
	pdv_wipe(p, malloc_usable_size(p));
	free(p);
}

/*
 * Every connection is a descriptor: a connection limit over what the process
 * may open would make accept() fail, and libmicrohttpd then stops accepting
 * at all for a while. The soft limit is raised as far as the hard one allows;
 * short of that, the connection limit comes down to fit, and says so.
 */
static void fit_connection_limit(struct srv *s)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)s->o.connection_limit + FILES_SPARE;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= want ? want : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0 && getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return;
	if (rl.rlim_cur >= want)
		return;
	s->o.connection_limit =
	    rl.rlim_cur > 2 * FILES_SPARE ? (unsigned)(rl.rlim_cur - FILES_SPARE) : FILES_SPARE;
	fprintf(stderr,
	        "pdvault: serve: --max-connections lowered to %u: the process may open %llu "
	        "files (ulimit -n)\n",
	        s->o.connection_limit, (unsigned long long)rl.rlim_cur);
}

static void reaper_stop(struct srv *s)
{
	pthread_mutex_lock(&s->conn_lock);
	s->reaper_stopping = true;
	pthread_cond_broadcast(&s->reaper_wake);
	pthread_mutex_unlock(&s->conn_lock);
	pthread_join(s->reaper, NULL);
}

int srv_run(const struct srv_opts *o, const struct pdv_decl *decl, struct pdv_vault *vault,
            struct pdv_error *err)
{
	struct srv *s = calloc(1, sizeof(*s));
	struct sockaddr_in addr = {0};
	sigset_t stop_set;
	int rc = 0, sig = 0;
	bool reaper = false;

	if (!s)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	json_set_alloc_funcs(malloc, wiping_free);
	s->o = *o;
	s->decl = decl;
	s->vault = vault;
	s->default_lang = pdv_render_default_lang(decl);
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->wake, NULL);
	pthread_mutex_init(&s->rl_lock, NULL);
	pthread_mutex_init(&s->log_lock, NULL);
	pthread_mutex_init(&s->conn_lock, NULL);
	pthread_cond_init(&s->reaper_wake, NULL);
	if (!(s->buckets = calloc(SRV_BUCKETS, sizeof(*s->buckets))) ||
	    !(s->peers = calloc(SRV_PEER_SLOTS, sizeof(*s->peers)))) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	if (!o->access_log)
		s->log = stderr;
	else if (strcmp(o->access_log, "-") == 0)
		s->log = stdout;
	else if (strcmp(o->access_log, "off") != 0 && !(s->log = fopen(o->access_log, "a"))) {
		rc = pdv_error_set(err, PDV_E_IO, "cannot open the access log '%s': %s",
		                   o->access_log, strerror(errno));
		goto out;
	}
	{
		struct pdv_lint_result lr;
		pdv_time_t now;

		if (pdv_clock_now(&now, err) == 0 &&
		    pdv_lint_run(decl, pdv_time_day(now), &lr, NULL) == 0) {
			s->lint_errors = (int)lr.n_errors;
			s->lint_warnings = (int)lr.n_warnings;
			pdv_lint_result_release(&lr);
		}
	}
	if ((rc = srv_logo_load(s, err)) < 0)
		goto out;
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)o->listen_port);
	if (inet_pton(AF_INET, o->listen_host, &addr.sin_addr) != 1) {
		rc = pdv_error_set(err, PDV_E_USAGE, "--listen: '%s' is not an IPv4 address",
		                   o->listen_host);
		goto out;
	}
	/* SIGTERM and SIGINT are waited for by this thread alone: block them
	 * before any other thread starts, so every thread inherits the mask */
	sigemptyset(&stop_set);
	sigaddset(&stop_set, SIGTERM);
	sigaddset(&stop_set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop_set, NULL);
	signal(SIGPIPE, SIG_IGN);
	fit_connection_limit(s);
	/* the worker's session: its own store handle, in deferred durability */
	if ((rc = pdv_session_open(vault, &s->session, err)) < 0 ||
	    (rc = pdv_session_defer_sync(s->session, err)) < 0)
		goto out;
	if (pthread_create(&s->reaper, NULL, reaper_main, s) != 0) {
		rc = pdv_error_set(err, PDV_E_INTERNAL, "cannot start the reaper thread");
		goto out;
	}
	reaper = true;
	if ((rc = srv_worker_start(s)) < 0) {
		pdv_error_set(err, rc, "cannot start the worker thread");
		goto out;
	}
	/*
	 * No MHD_OPTION_LISTENING_ADDRESS_REUSE: with it (SO_REUSEPORT) a second
	 * server on the same port would start and silently take half of the
	 * connections. libmicrohttpd's default, SO_REUSEADDR, lets a restart
	 * bind past the old connections in TIME_WAIT, never past a listener.
	 */
	errno = 0;
	s->daemon = MHD_start_daemon(
	    MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_TURBO | MHD_ALLOW_SUSPEND_RESUME |
	        MHD_USE_ERROR_LOG,
	    0, on_accept, s, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)o->threads, MHD_OPTION_CONNECTION_LIMIT,
	    s->o.connection_limit, MHD_OPTION_CONNECTION_TIMEOUT, o->timeout_s,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HEADER_LIMIT, MHD_OPTION_NOTIFY_COMPLETED,
	    on_completed, s, MHD_OPTION_NOTIFY_CONNECTION, on_connection, s, MHD_OPTION_END);
	if (!s->daemon) {
		int e = errno;

		srv_worker_stop(s);
		if (e == EADDRINUSE)
			rc = pdv_error_set(err, PDV_E_IO,
			                   "cannot listen on %s:%d: the port is already in use (is "
			                   "another pdvault serve running?)",
			                   o->listen_host, o->listen_port);
		else
			rc = pdv_error_set(err, PDV_E_IO, "cannot listen on %s:%d: %s",
			                   o->listen_host, o->listen_port,
			                   e ? strerror(e) : "refused by libmicrohttpd");
		goto out;
	}
	fprintf(stderr,
	        "pdvault: serving on http://%s:%d/ (back office /staff/, privacy center "
	        "/privacy/)\n",
	        o->listen_host, o->listen_port);
	fflush(stderr);
	while (sigwait(&stop_set, &sig) != 0)
		;
	/* stop taking connections, let what is in flight finish (10 s at most) */
	fprintf(stderr, "pdvault: stopping (%s): finishing the requests in flight\n",
	        sig == SIGTERM ? "SIGTERM" : "SIGINT");
	MHD_quiesce_daemon(s->daemon);
	for (int i = 0; i < 1000 && atomic_load(&s->inflight) > 0; i++)
		usleep(10 * 1000);
	srv_worker_stop(s);
	MHD_stop_daemon(s->daemon);
	fprintf(stderr, "pdvault: stopped\n");
out:
	if (reaper)
		reaper_stop(s);
	if (s->peers)
		for (size_t i = 0; i < SRV_PEER_SLOTS; i++)
			while (s->peers[i]) {
				struct srv_peer_count *next = s->peers[i]->next;

				free(s->peers[i]);
				s->peers[i] = next;
			}
	free(s->peers);
	if (s->log && s->log != stderr && s->log != stdout)
		fclose(s->log);
	free(s->buckets);
	free(s->logo);
	pdv_collect_ids_free(s->ids);
	pdv_session_close(s->session); /* the worker and the syncer have stopped */
	free(s);
	return rc;
}
