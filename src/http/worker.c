/*
 * worker.c — the one thread that owns a session on the vault (the server's
 * writer: SRV_WORKERS), and the group commit.
 *
 * The worker sleeps until jobs are queued, takes every job waiting (up to
 * GROUP_MAX), does what needs no writer lock first (prepare_group: each
 * submission validated, the group's people read at once, the new ones
 * sealed), then runs them in one transaction where each job is a savepoint
 * of its own, checks in one read that the people it took for new still
 * were (pdv_session_group_check; when one came in through another server
 * meanwhile, the group is undone whole and run again the ordinary way), and
 * commits once, without waiting for the disk (deferred durability). It
 * hands the group to the syncer and goes on with the next one. The syncer
 * takes every group committed meanwhile, syncs the store's log once for all
 * of them (then the audit head), and only then resumes their connections:
 * no answer leaves before its commit is on disk, and the CPU work of a group
 * overlaps the sync of the previous ones.
 *
 * A group's first run has lazy savepoints (pdv_session_group_begin): on
 * PostgreSQL none is sent, and a job that fails after writing, or a write
 * that fails, cannot be undone alone; the group is then undone whole and
 * run again the ordinary way, where a job that fails is undone alone. A
 * commit that fails turns every answer of the group into 503, since none
 * of it is stored; a sync that fails turns them into 503 too, as their
 * durability is unknown.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdv/wipe.h"
#include "pdv/time.h"
#include "server.h"

#define GROUP_MAX 1024

/* ---- codes sent per address (--verify-per-email) ----
 *
 * Counted in the store (pdv_verify_send_take: the address's blind index and
 * when, an hour kept), so the servers of one vault share the count
 * (docs/internals/multi-server.md). A store that cannot count sends nothing:
 * the caller answers as for an address over its limit.
 */
bool srv_verify_take(struct srv *s, const uint8_t index[32])
{
	struct pdv_error err;
	bool ok = false;

	pdv_error_clear(&err);
	if (pdv_verify_send_take(s->session, index, s->o.verify_per_email, &ok, &err) < 0) {
		fprintf(stderr, "pdvault serve: counting the codes sent to an address: %s\n",
		        err.msg);
		return false;
	}
	return ok;
}

bool srv_delivery_now(const struct srv *s)
{
	return s->o.delivery && (!s->o.relay_up || s->o.relay_up(s->o.relay_ctx));
}

void srv_enqueue(struct srv *s, struct job *j)
{
	pthread_mutex_lock(&s->lock);
	j->next = NULL;
	if (s->tail)
		s->tail->next = j;
	else
		s->head = j;
	s->tail = j;
	pthread_cond_signal(&s->wake);
	pthread_mutex_unlock(&s->lock);
}

/* ---- the hasher: Argon2id off the worker and the connection threads ---- */

void srv_hash_enqueue(struct srv *s, struct job *j)
{
	pthread_mutex_lock(&s->lock);
	if (s->hash_stopping) { /* the server is stopping: answered, not lost */
		pthread_mutex_unlock(&s->lock);
		srv_error(j, 503, "unavailable", NULL, "the server is stopping; retry shortly");
		atomic_store(&j->done, true);
		MHD_resume_connection(j->conn);
		return;
	}
	j->next = NULL;
	if (s->hash_tail)
		s->hash_tail->next = j;
	else
		s->hash_head = j;
	s->hash_tail = j;
	pthread_cond_signal(&s->hash_wake);
	pthread_mutex_unlock(&s->lock);
}

/* enrolment: the passphrase hashed, the clear one out of the body; false:
 * answered (too short, not text) */
static bool hash_make(struct job *j)
{
	const char *p = json_string_value(json_object_get(j->body, "passphrase"));
	struct pdv_error err;
	int rc;

	pdv_error_clear(&err);
	if (!p) {
		srv_error(j, 400, "missing", "passphrase", "passphrase is required");
		return false;
	}
	rc = pdv_staff_passphrase_hash(p, strlen(p), j->pw_hash, &err);
	json_object_del(j->body, "passphrase"); /* jansson's memory is wiped when freed */
	if (rc < 0) {
		srv_fail(j, &err);
		return false;
	}
	return true;
}

/* sign-in: the passphrase checked against the hash the worker read */
static void hash_check(struct job *j)
{
	const char *p = json_string_value(json_object_get(j->body, "passphrase"));

	j->pw_ok = p && pdv_staff_passphrase_verify(j->pw_hash, p, strlen(p));
	pdv_wipe(j->pw_hash, sizeof(j->pw_hash));
	json_object_del(j->body, "passphrase");
	j->pass = 1;
	j->status = 0;
}

static void *hasher_main(void *arg)
{
	struct srv *s = arg;

	for (;;) {
		struct job *j;

		pthread_mutex_lock(&s->lock);
		while (!s->hash_head && !s->hash_stopping)
			pthread_cond_wait(&s->hash_wake, &s->lock);
		j = s->hash_head;
		if (j && !(s->hash_head = j->next))
			s->hash_tail = NULL;
		pthread_mutex_unlock(&s->lock);
		if (!j)
			break; /* stopping, and nothing left */
		if (j->hash_op == SRV_HASH_MAKE && !hash_make(j)) {
			atomic_store(&j->done, true); /* answered: back to its connection */
			MHD_resume_connection(j->conn);
			continue;
		}
		if (j->hash_op == SRV_HASH_CHECK)
			hash_check(j);
		j->hash_op = SRV_HASH_NONE;
		srv_enqueue(s, j);
	}
	return NULL;
}

static struct job *take_all(struct srv *s)
{
	struct job *group = NULL, **end = &group;
	int n = 0;

	pthread_mutex_lock(&s->lock);
	while (!s->head && !s->stopping)
		pthread_cond_wait(&s->wake, &s->lock);
	while (s->head && n < GROUP_MAX) {
		struct job *j = s->head;

		s->head = j->next;
		j->next = NULL;
		*end = j;
		end = &j->next;
		n++;
	}
	if (!s->head)
		s->tail = NULL;
	pthread_mutex_unlock(&s->lock);
	return group;
}

/* a refusal of who the caller says it is: 403 for a missing CSRF token, else 401 */
static void refuse_identity(struct job *j, const struct pdv_error *err)
{
	if (err->rc != PDV_E_REFUSED)
		srv_fail(j, err);
	else if (strcmp(err->code, "csrf") == 0)
		srv_error(j, 403, "csrf", NULL, "%s", err->msg);
	else
		srv_error(j, 401, "unauthorized", NULL, "%s", err->msg);
}

/*
 * Who calls: a bearer token (machines: api:NAME, no CSRF), else the
 * account an --auth-proxy names, else a session cookie (a change needs its
 * X-CSRF-Token); the last two act as staff:NAME with the account's role.
 */
static bool identify(struct srv *s, struct job *j)
{
	struct pdv_error err;

	pdv_error_clear(&err);
	if (j->token) {
		if (pdv_token_check(s->session, j->token, &j->staff, &err) < 0) {
			if (err.rc == PDV_E_REFUSED)
				srv_error(j, 401, "unauthorized", NULL,
				          "a valid API token is needed");
			else
				srv_fail(j, &err);
			return false;
		}
		snprintf(j->actor, sizeof(j->actor), "api:%s", j->staff.name);
		return true;
	}
	if (j->sso_name) {
		if (pdv_staff_account(s->session, j->sso_name, &j->staff, &err) < 0) {
			refuse_identity(j, &err);
			return false;
		}
		/* the proxy adds its header to whatever the browser sends, a
		 * cross-site form included: a change needs a header such a form
		 * cannot carry (any value; the back office sends one) */
		if (j->changes && !j->csrf) {
			srv_error(
			    j, 403, "csrf", NULL,
			    "a change through the sign-on proxy needs the header X-CSRF-Token");
			return false;
		}
	} else if (j->session) {
		if (pdv_staff_session_check(s->session, j->session, j->csrf, j->changes, &j->staff,
		                            &err) < 0) {
			refuse_identity(j, &err);
			return false;
		}
	} else {
		srv_error(j, 401, "unauthorized", NULL,
		          "sign in, or give a valid API token (Authorization: Bearer)");
		return false;
	}
	snprintf(j->actor, sizeof(j->actor), "staff:%s", j->staff.name);
	return true;
}

/* the token, the role and the actor of a staff job; false: answered already */
static bool authorise(struct srv *s, struct job *j)
{
	/* identity is read only on routes that take it (srv_route_takes_token):
	 * a public route that may be staff's acts as staff when it is given; a
	 * session cookie counts there only with its CSRF token, so that a staff
	 * member's browser on the privacy center stays a member of the public */
	if (j->access == SRV_PUBLIC && !j->token && !j->sso_name && !(j->session && j->csrf)) {
		snprintf(j->actor, sizeof(j->actor), "api:public");
		return pdv_session_set_actor(s->session, j->actor) == 0 &&
		       pdv_session_set_role(s->session, NULL) == 0;
	}
	if (!identify(s, j))
		return false;
	/* a metrics token reads /metrics and nothing else; /metrics is for it
	 * and the dpo (its figures count every record, whatever the role) */
	if (strcmp(j->staff.scope, "metrics") == 0) {
		if (j->access != SRV_METRICS) {
			srv_error(j, 403, "forbidden", NULL, "this token may read /metrics only");
			return false;
		}
		return pdv_session_set_actor(s->session, j->actor) == 0 &&
		       pdv_session_set_role(s->session, NULL) == 0;
	}
	/* a calendar token reads the calendar feed and nothing else, and the
	 * feed takes no other token: its URL, token and all, sits in calendar
	 * apps, so a token that could do more must never be put there */
	if ((strcmp(j->staff.scope, "calendar") == 0) != (j->access == SRV_CALENDAR)) {
		srv_error(j, 403, "forbidden", "token",
		          j->access == SRV_CALENDAR
		              ? "the calendar needs a token made with token create --scope calendar"
		              : "this token may read the calendar only");
		return false;
	}
	if (j->access == SRV_CALENDAR)
		return pdv_session_set_actor(s->session, j->actor) == 0 &&
		       pdv_session_set_role(s->session, NULL) == 0;
	if ((j->access == SRV_DPO || j->access == SRV_METRICS) &&
	    strcmp(j->staff.role, "dpo") != 0) {
		srv_error(j, 403, "forbidden", NULL,
		          j->access == SRV_METRICS ? "this needs the role dpo or a metrics token"
		                                   : "this needs the role dpo");
		return false;
	}
	if (pdv_session_set_actor(s->session, j->actor) < 0 ||
	    pdv_session_set_role(s->session, j->staff.role) < 0) {
		srv_error(j, 500, "nomem", NULL, "out of memory");
		return false;
	}
	return true;
}

struct sync_item {
	struct job *group;
	struct pdv_durable_mark mark;
	struct sync_item *next;
};

static void resume_all(struct job *group)
{
	for (struct job *j = group, *next; j; j = next) {
		next = j->next; /* j may be freed once resumed */
		atomic_store(&j->done, true);
		MHD_resume_connection(j->conn);
	}
}

/* every job of a group that did not commit gets 503; a store found tampered
 * with (PDV_E_INTEGRITY) or left by a migrate (PDV_E_MOVED) says so, naming
 * what is wrong (an entry number, a record id, the store the vault went to:
 * never a value), the others are told to retry */
static void fail_all(struct srv *s, struct job *group, const struct pdv_error *err, const char *why)
{
	if (s->log) {
		pthread_mutex_lock(&s->log_lock);
		fprintf(s->log, "pdvault: serve: a group of requests failed: %s\n", why);
		fflush(s->log);
		pthread_mutex_unlock(&s->log_lock);
	}
	for (struct job *j = group; j; j = j->next) {
		j->again = false;
		if (j->out.data && j->secret_body)
			pdv_wipe(j->out.data, j->out.len);
		pdv_buf_release(&j->out);
		if (err && (err->rc == PDV_E_INTEGRITY || err->rc == PDV_E_MOVED))
			srv_fail(j, err);
		else
			srv_error(j, 503, "unavailable", NULL,
			          "the store could not keep this request durably; retry it");
	}
}

static void to_syncer(struct srv *s, struct job *group)
{
	struct sync_item *it = calloc(1, sizeof(*it));

	if (!it) {
		fail_all(s, group, NULL, "out of memory");
		resume_all(group);
		return;
	}
	it->group = group;
	pdv_session_durable_mark(s->session, &it->mark);
	pthread_mutex_lock(&s->lock);
	*s->sync_tail = it;
	s->sync_tail = &it->next;
	pthread_cond_signal(&s->sync_wake);
	pthread_mutex_unlock(&s->lock);
}

static void *syncer_main(void *arg)
{
	struct srv *s = arg;

	for (;;) {
		struct sync_item *batch, *it, *next;
		struct pdv_durable_mark mark = {0};
		struct pdv_error err;

		pthread_mutex_lock(&s->lock);
		while (!s->sync_head && !s->sync_stopping)
			pthread_cond_wait(&s->sync_wake, &s->lock);
		batch = s->sync_head;
		s->sync_head = NULL;
		s->sync_tail = &s->sync_head;
		pthread_mutex_unlock(&s->lock);
		if (!batch)
			break; /* stopping, and nothing left */
		/* one sync for every group committed meanwhile; the newest head */
		for (it = batch; it; it = it->next)
			if (it->mark.head)
				mark = it->mark;
		pdv_error_clear(&err);
		if (pdv_session_make_durable(s->session, &mark, &err) < 0)
			for (it = batch; it; it = it->next)
				fail_all(s, it->group, &err, err.msg);
		atomic_fetch_add(&s->syncs, 1);
		for (it = batch; it; it = next) {
			next = it->next;
			resume_all(it->group);
			free(it);
		}
	}
	return NULL;
}

/*
 * What a group's jobs can do before its transaction (a route's prep: a
 * submission's validation; then its person read, and sealed if new), so
 * that the writer lock, which the other servers of the vault wait for, is
 * held for the statements alone. The ids of the people and records prepared come from ranges the
 * worker reserved in the store (pdv_collect_ids_new, once).
 */
static void prepare_group(struct srv *s, struct job *group, pdv_time_t now)
{
	struct pdv_collect_prep **preps = NULL;
	struct pdv_error err;
	size_t n = 0;

	pdv_error_clear(&err);
	if (!s->ids && pdv_collect_ids_new(s->session, &s->ids, &err) < 0)
		return; /* nothing prepared: every job is run the ordinary way */
	pdv_collect_ids_clock(s->ids, now);
	for (struct job *j = group; j; j = j->next, n++)
		if (j->prep && !j->hash_op)
			j->prep(s, j);
	/* the people of the group's submissions, read in one round trip */
	if (!(preps = calloc(n + 1, sizeof(*preps))))
		goto drop;
	n = 0;
	for (struct job *j = group; j; j = j->next)
		if (j->collect)
			preps[n++] = j->collect;
	if (pdv_collect_precheck(s->session, s->ids, preps, n, &err) == 0) {
		free(preps);
		return;
	}
drop: /* not read: every job the ordinary way */
	free(preps);
	for (struct job *j = group; j; j = j->next) {
		pdv_collect_prep_free(j->collect);
		j->collect = NULL;
	}
}

/* a job of a group run again: its answer and its prepared work forgotten */
static void job_reset(struct job *j)
{
	if (j->out.data && j->secret_body)
		pdv_wipe(j->out.data, j->out.len);
	pdv_buf_release(&j->out);
	j->status = 0;
	j->ctype = NULL;
	j->cacheable = false;
	j->secret_body = false;
	j->disposition[0] = '\0';
	j->set_cookie[0] = '\0';
	j->again = false;
	pdv_collect_prep_free(j->collect);
	j->collect = NULL;
}

/*
 * The group in one transaction, each job in a savepoint of its own (lazy:
 * savepoints the store may skip, the group's first run); *ret_stale: run it
 * again, not lazy, every job the ordinary way: refused by
 * pdv_session_group_check (a person prepared as new came in meanwhile), or,
 * lazy, a job that could not be undone alone or a write that failed.
 */
static bool run_once(struct srv *s, struct job *group, pdv_time_t now, bool lazy, long *ret_n,
                     bool *ret_stale, struct pdv_error *err)
{
	bool ok = true;

	*ret_n = 0;
	*ret_stale = false;
	if (pdv_session_group_begin(s->session, lazy, err) < 0)
		return false;
	pdv_session_set_now(s->session, now);
	/* each time: a run again reads its finds' lookups anew */
	srv_find_ahead(s, group);
	for (struct job *j = group; j; j = j->next, (*ret_n)++) {
		if (authorise(s, j))
			j->run(s, j);
		if (!pdv_session_in_group(s->session)) { /* the transaction was lost */
			ok = false;
			break;
		}
		if (pdv_session_group_lost(s->session))
			break; /* the check says stale */
	}
	if (ok && (pdv_session_group_check(s->session, ret_stale, err) < 0 || *ret_stale)) {
		ok = false;
		*ret_stale = *ret_stale || lazy;
	}
	if (ok && pdv_session_batch_commit(s->session, err) < 0)
		ok = false;
	if (!ok)
		pdv_session_batch_abort(s->session);
	return ok;
}

static void run_group(struct srv *s, struct job *group)
{
	struct pdv_error err;
	pdv_time_t now;
	long n = 0;
	bool ok = false, stale = false;

	pdv_error_clear(&err);
	if (pdv_clock_now(&now, &err) == 0) {
		prepare_group(s, group, now);
		ok = run_once(s, group, now, true, &n, &stale, &err);
		if (!ok && stale) {
			/* a person prepared as new came in meanwhile (through
			 * another server), or a job failed after writing with
			 * no savepoint to undo it alone: nothing of the group is
			 * stored; run again, every job the ordinary way */
			atomic_fetch_add(&s->groups_again, 1);
			for (struct job *j = group; j; j = j->next)
				job_reset(j);
			pdv_error_clear(&err);
			ok = run_once(s, group, now, false, &n, &stale, &err);
		}
	}
	atomic_fetch_add(&s->groups, 1);
	atomic_fetch_add(&s->group_jobs, n);
	pdv_session_set_role(s->session, NULL);
	if (!ok) {
		fail_all(s, group, &err, err.msg[0] ? err.msg : "the transaction was lost");
		resume_all(group); /* nothing of it is stored: no sync to wait for */
		return;
	}
	to_syncer(s, group);
}

static void *worker_main(void *arg)
{
	struct srv *s = arg;
	struct job *group;

	for (;;) {
		group = take_all(s);
		if (!group)
			break; /* stopping, and nothing left */
		run_group(s, group);
	}
	return NULL;
}

static void stop_hasher(struct srv *s)
{
	pthread_mutex_lock(&s->lock);
	s->hash_stopping = true;
	pthread_cond_broadcast(&s->hash_wake);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->hasher, NULL);
}

int srv_worker_start(struct srv *s)
{
	s->sync_tail = &s->sync_head;
	pthread_cond_init(&s->sync_wake, NULL);
	pthread_cond_init(&s->hash_wake, NULL);
	if (pthread_create(&s->hasher, NULL, hasher_main, s) != 0)
		return PDV_E_INTERNAL;
	if (pthread_create(&s->syncer, NULL, syncer_main, s) != 0) {
		stop_hasher(s);
		return PDV_E_INTERNAL;
	}
	if (pthread_create(&s->worker, NULL, worker_main, s) != 0) {
		stop_hasher(s);
		pthread_mutex_lock(&s->lock);
		s->sync_stopping = true;
		pthread_cond_broadcast(&s->sync_wake);
		pthread_mutex_unlock(&s->lock);
		pthread_join(s->syncer, NULL);
		return PDV_E_INTERNAL;
	}
	return 0;
}

/* after the daemon stopped taking requests: finish what is queued, then stop */
void srv_worker_stop(struct srv *s)
{
	stop_hasher(s); /* it hands its jobs to the worker: it stops first */
	pthread_mutex_lock(&s->lock);
	s->stopping = true;
	pthread_cond_broadcast(&s->wake);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->worker, NULL);
	pthread_mutex_lock(&s->lock);
	s->sync_stopping = true;
	pthread_cond_broadcast(&s->sync_wake);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->syncer, NULL);
}
