/*
 * server.h — what the server's files share.
 *
 * Threads: libmicrohttpd runs a pool of threads (epoll) that read requests,
 * check limits and parse JSON; they never touch the vault. Every call that
 * needs the vault becomes a job on one queue; one worker thread owns a
 * session on the shared vault (SRV_WORKERS), takes every job waiting, runs them in one transaction
 * (each job its own savepoint: pdv_session_group_begin) and commits once, so concurrent submissions
 * share one fsync. Only then are the jobs' connections resumed and answered: no 201 leaves before
 * the commit holding it is synced.
 *
 * Nothing here logs or echoes a value: the access log names the route
 * pattern, never the URL (a query may hold an address).
 */
#ifndef PDV_HTTP_SERVER_H
#define PDV_HTTP_SERVER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "pdv/buf.h"
#include "pdv/decl.h"
#include "pdv/vault.h"
#include "forwarded.h"

struct srv;
struct job;
struct sync_item;

/* who may call a route */
enum srv_access {
	SRV_PUBLIC,
	SRV_STAFF,    /* a valid token */
	SRV_DPO,      /* a valid token with the role dpo */
	SRV_METRICS,  /* the role dpo, or a token of scope metrics */
	SRV_CALENDAR, /* a token of scope calendar, given in the query (?token=) */
};

/* a job's handler, run by the worker inside the group's transaction */
typedef void (*srv_handler)(struct srv *s, struct job *j);

struct job {
	/* in: what the connection thread parsed */
	srv_handler run;
	srv_handler prep; /* on the worker, before the group's transaction, or NULL */
	enum srv_access access;
	char *token;               /* the bearer token, or NULL */
	char *session;             /* the session cookie (pdv_session), or NULL */
	char *csrf;                /* X-CSRF-Token, or NULL */
	char *sso_name;            /* --auth-header's value, from --auth-proxy only, or NULL */
	bool changes;              /* not GET or HEAD: a session needs its CSRF token */
	char *param;               /* the {id} or {activity} of the route */
	char *param2;              /* a second route parameter */
	json_t *body;              /* the parsed JSON body, or NULL */
	bool body_form;            /* a form body (not kept: one-click unsubscribe) */
	char *query[4];            /* query values the route asked for */
	char client[SRV_ADDR_MAX]; /* the client (behind trusted proxies), for rate limits */
	char lang[3];              /* what Accept-Language prefers: fr, en, or "" */
	bool gpc;                  /* Sec-GPC: 1 (Global Privacy Control) */
	char *consent_cookie;      /* the pdv_consent cookie (a consent receipt's id), or NULL */
	struct pdv_staff staff;    /* filled by the worker when access > public */
	/* a passphrase is never hashed or checked on the worker (Argon2id is
	 * slow), nor on a connection thread: enrolment's is hashed by the
	 * hasher thread before the job goes to the worker (pw_hash); sign-in's first pass on the
	 * worker reads the hash (pw_hash, again set), the hasher thread checks it (pw_ok), and the
	 * job is queued again for its second pass (pass 1) */
	char pw_hash[PDV_STAFF_HASH_MAX];
	enum { SRV_HASH_NONE, SRV_HASH_MAKE, SRV_HASH_CHECK } hash_op; /* for the hasher */
	bool again;
	bool pw_ok;
	int pass;
	char set_cookie[192]; /* Set-Cookie, or "" */
	/* a submission sealed and its person looked up before the group took
	 * the writer lock (prep), or NULL; owned, freed by job_release */
	struct pdv_collect_prep *collect;

	/* out: the answer */
	int status;
	struct pdv_buf out; /* response body */
	const char *ctype;
	bool cacheable;        /* a static asset */
	char disposition[128]; /* Content-Disposition, or "" */
	bool secret_body;      /* the body holds personal data: wipe it */
	char actor[96];        /* for the access log */

	/* the queue */
	struct MHD_Connection *conn;
	struct job *next;
	atomic_bool done;
};

#define SRV_LATENCY_BUCKETS 12
#define SRV_MAX_ROUTES 80

struct srv_opts {
	const char *listen_host;
	int listen_port;
	size_t body_limit;
	int threads;
	unsigned connection_limit;
	unsigned timeout_s;             /* an idle connection */
	unsigned header_timeout_s;      /* the request line and headers, from the connection */
	double body_min_rate;           /* bytes per second a body keeps on average; 0: none */
	unsigned max_per_address;       /* connections per peer address; 0: no limit */
	const struct srv_cidr *trusted; /* proxies whose Forwarded headers are believed */
	size_t n_trusted;
	const char *auth_header;           /* --auth-header: the account name an SSO proxy sets */
	const struct srv_cidr *auth_proxy; /* --auth-proxy: the one peer it is believed from */
	unsigned verify_per_email;         /* codes sent to one address an hour; 0: no limit */
	double rate;                       /* public requests per second per address; 0: no limit */
	const char **cors;                 /* allowed origins */
	size_t n_cors;
	bool test_clock;
	const char *access_log; /* NULL: stderr; "-": stdout; "off" */
	bool delivery;          /* a relay is configured: codes are emailed */
	/* whether a message queued now goes out at once (the relay answered at
	 * its last try); the answers that queue a code say so ("delivery":
	 * true), else the privacy center says it waits. NULL: as delivery */
	bool (*relay_up)(void *ctx);
	void *relay_ctx;
	const char *db_url;
	const char *config;
	const char *key_file;
};

/*
 * Writer sessions, one worker thread each: 1 on SQLite, whose writers are
 * serialised (begin waits for the one holding the store), so a second
 * worker would only wait on the first and cut the groups in two: more
 * syncs, not more throughput. A backend with concurrent writers may raise
 * it; see docs/internals/http.md for what must change then.
 */
#define SRV_WORKERS 1

struct srv {
	struct srv_opts o;
	const struct pdv_decl *decl;
	struct pdv_vault *vault;     /* shared, read-only: any thread may read it */
	struct pdv_session *session; /* the worker's: only the worker and the syncer */
	struct pdv_collect_ids *ids; /* the worker's ids for prepared submissions, or NULL */
	struct MHD_Daemon *daemon;
	FILE *log;
	pthread_mutex_t log_lock;

	/* the queue */
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct job *head, *tail;
	bool stopping;
	pthread_t worker;
	/* the passphrases to hash or check (Argon2id), off the worker and off
	 * the connection threads: one thread, so at most one 64 MiB Argon2id
	 * at a time */
	struct job *hash_head, *hash_tail;
	pthread_cond_t hash_wake;
	bool hash_stopping;
	pthread_t hasher;
	/* the groups committed and waiting for their sync */
	struct sync_item *sync_head, **sync_tail;
	pthread_cond_t sync_wake;
	bool sync_stopping;
	pthread_t syncer;

	/* rate limiting, per client address */
	pthread_mutex_t rl_lock;
	struct srv_bucket *buckets; /* SRV_BUCKETS slots, by hash of the address */

	/* the connections open, their clocks, and how many each peer holds */
	pthread_mutex_t conn_lock;
	struct srv_conn *conns;
	struct srv_peer_count **peers; /* SRV_PEER_SLOTS chains, by hash of the address */
	pthread_cond_t reaper_wake;
	bool reaper_stopping;
	pthread_t reaper;
	atomic_long cut_header, cut_body, refused_per_address;

	/* metrics: requests by route (the last row: no route) and status class */
	atomic_long requests[SRV_MAX_ROUTES + 1][6];
	atomic_long latency[SRV_LATENCY_BUCKETS + 1];
	atomic_long latency_count;
	atomic_llong latency_sum_us;
	atomic_long groups, group_jobs, syncs, groups_again;
	atomic_long inflight;
	int lint_errors, lint_warnings;
	const char *default_lang;
	/* controller.logo, read at start (logo.c): NULL when none is declared */
	unsigned char *logo;
	size_t logo_len;
	const char *logo_type;
};

/* the route table (router.c) */
struct srv_route;
struct srv_match {
	const struct srv_route *route; /* NULL: none */
	char *param, *param2;
	bool path_known; /* the path exists with another method (405) */
	char allow[64];  /* its methods, for Allow */
};
int srv_route_match(const char *method, const char *url, struct srv_match *m);
/* "delivery" in an answer that queued a code: it goes out now, not "waits" */
bool srv_delivery_now(const struct srv *s);
void srv_match_release(struct srv_match *m);
extern const size_t srv_n_routes;
size_t srv_route_index(const struct srv_route *r); /* srv_n_routes for NULL */
const char *srv_route_pattern(const struct srv_route *r);
const char *srv_route_method_at(size_t i);
const char *srv_route_pattern_at(size_t i);
srv_handler srv_route_handler(const struct srv_route *r);
srv_handler srv_route_prep(const struct srv_route *r);
enum srv_access srv_route_access(const struct srv_route *r);
bool srv_route_direct(const struct srv_route *r);
bool srv_route_public_post(const struct srv_route *r);
bool srv_route_needs_body(const struct srv_route *r);
bool srv_route_form_body(const struct srv_route *r);
bool srv_route_takes_token(const struct srv_route *r);
bool srv_route_pass_hash(const struct srv_route *r);
const char *const *srv_route_query(const struct srv_route *r);

/* the worker (worker.c) */
int srv_worker_start(struct srv *s);
void srv_worker_stop(struct srv *s);
void srv_enqueue(struct srv *s, struct job *j);
/* a suspended job whose passphrase the hasher hashes (SRV_HASH_MAKE) or
 * checks (SRV_HASH_CHECK) before it goes to the worker */
void srv_hash_enqueue(struct srv *s, struct job *j);

/* answers (answer.c) */
void srv_json(struct job *j, int status, json_t *doc); /* takes the reference */
void srv_error(struct job *j, int status, const char *code, const char *field, const char *fmt, ...)
    PDV_PRINTF(5, 6);
void srv_fail(struct job *j, const struct pdv_error *err);
void job_release(struct job *j);

/* whether a code may be sent to an address, counted in the store for every
 * server of the vault (worker.c); false: over the limit of
 * --verify-per-email (or not counted), and nothing is to be sent */
bool srv_verify_take(struct srv *s, const uint8_t index[32]);
/* subjects.c: the finds of a group read from the store before its jobs run */
#define GROUP_FINDS_AHEAD 1024
void srv_find_ahead(struct srv *s, struct job *group);

/* metrics (metrics.c): the text is built by the worker */
void srv_metrics_render(struct srv *s, struct job *j);
void srv_metrics_count(struct srv *s, size_t route, int status, long us);

/* embedded web assets (assets.c, generated) */
struct srv_asset {
	const char *path;
	const char *ctype;
	const unsigned char *data;
	size_t len;
};
const struct srv_asset *srv_asset_find(const char *path);

/* logo.c: read controller.logo (relative to the declaration's folder) into
 * s->logo; a file that is missing, too large or not the image its name says
 * is an error naming controller.logo, and the server does not start */
int srv_logo_load(struct srv *s, struct pdv_error *err);

/* serve until SIGTERM or SIGINT; the vault is the worker's alone meanwhile */
int srv_run(const struct srv_opts *o, const struct pdv_decl *decl, struct pdv_vault *vault,
            struct pdv_error *err);

#endif
