/*
 * vault.c — creating and opening a vault: the key file, the store, the
 * service keys, the lint result that gates collection; sessions and their
 * transactions.
 *
 * The vault (shared, read-only once open) and the session (one thread's
 * store handle, actor, role, clock and transaction) are described in
 * engine-internal.h. Opening a vault runs the writes owed by a stopped run
 * in a session of its own; its store handle is kept for the first session
 * opened after (spare), so a command that opens one session opens the store
 * once, as before the split.
 *
 * The store's meta table holds, wrapped under the master key: index_key,
 * audit_key, stats_key; and in clear: key_id (which master key wrapped
 * them). Opening with another key file is refused before anything is read.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine-internal.h"

static const struct {
	const char *meta;
	const char *ad;
	size_t offset;
} service_keys[] = {
    {"index_key", "index", offsetof(struct pdv_vault, index_key)},
    {"audit_key", "audit", offsetof(struct pdv_vault, audit_key)},
    {"stats_key", "stats", offsetof(struct pdv_vault, stats_key)},
};

#define SERVICE_KEY(v, i) ((struct pdv_secret **)((char *)(v) + service_keys[i].offset))

/* a file beside the key file: KEYFILE.audit-head, KEYFILE.erasures */
static char *beside_key(const char *key_file, const char *suffix)
{
	size_t n = strlen(key_file), k = strlen(suffix) + 1;
	char *p = malloc(n + k);

	if (p) {
		memcpy(p, key_file, n);
		memcpy(p + n, suffix, k);
	}
	return p;
}

/* KEYFILE.SUFFIX, or KEYFILE.SUFFIX.ID for a server of several
 * (docs/internals/multi-server.md): servers sharing a folder share no file */
static char *beside_key_as(const char *key_file, const char *suffix, const char *id)
{
	char full[96];

	snprintf(full, sizeof(full), "%s%s%s", suffix, id ? "." : "", id ? id : "");
	return beside_key(key_file, full);
}

/*
 * The head file lives beside the key file's real path, so a key reached
 * through a symlink (or two) keeps one head, never a new empty one. When the
 * key file is a link, the head beside the link is kept as a fallback to
 * read: where a head written before heads followed links is found. The
 * record of the migrations (migrate.c) lives beside it, one per vault.
 */
static int head_paths(struct pdv_vault *v, const char *key_file)
{
	char real[PATH_MAX];
	struct stat st;

	free(v->head_path);
	free(v->head_link_path);
	free(v->moves_path);
	v->head_path = v->head_link_path = v->moves_path = NULL;
	if (realpath(key_file, real)) {
		v->head_path = beside_key_as(real, ".audit-head", v->server_id);
		v->moves_path = beside_key(real, ".migrations");
		if (lstat(key_file, &st) == 0 && S_ISLNK(st.st_mode) &&
		    !(v->head_link_path = beside_key_as(key_file, ".audit-head", v->server_id)))
			return PDV_E_NOMEM;
		return v->head_path && v->moves_path ? 0 : PDV_E_NOMEM;
	}
	v->head_path = beside_key_as(key_file, ".audit-head", v->server_id);
	v->moves_path = beside_key(key_file, ".migrations");
	return v->head_path && v->moves_path ? 0 : PDV_E_NOMEM;
}

int pdv_vault_server_id_check(const char *id, struct pdv_error *err)
{
	size_t n = id ? strlen(id) : 0;

	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)id[i]) && id[i] != '_' && id[i] != '-' &&
		    (id[i] != '.' || i == 0))
			n = 0;
	if (n == 0 || n > 64) {
		pdv_error_set(err, PDV_E_USAGE,
		              "--server-id (PDVAULT_SERVER_ID) is 1 to 64 letters, digits, '.', "
		              "'_' or '-', not starting with '.'");
		pdv_error_field(err, "server-id");
		return PDV_E_USAGE;
	}
	return 0;
}

int pdv_vault_head_follow(struct pdv_vault *v, struct pdv_error *err)
{
	char *old = v->head_path;
	int rc;

	v->head_path = NULL; /* head_paths frees the link path, keeps old for us */
	if (head_paths(v, v->key_file) < 0) {
		free(old);
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	}
	rc = 0;
	pthread_mutex_lock(&v->witness_lock);
	if (old && strcmp(old, v->head_path) != 0 && !v->known_missing)
		rc = pdv_audit_head_write(v->head_path, v->known_seq, v->known_hash, err);
	pthread_mutex_unlock(&v->witness_lock);
	free(old);
	return rc;
}

const struct pdv_activity *pdv_vault_activity(const struct pdv_vault *v, const char *id)
{
	for (size_t i = 0; id && i < v->decl->n_activities; i++) {
		const struct pdv_activity *a = &v->decl->activities[i];

		if (a->id.s && strcmp(a->id.s, id) == 0)
			return a;
	}
	return NULL;
}

const struct pdv_retention *pdv_vault_retention(const struct pdv_vault *v,
                                                const struct pdv_activity *a)
{
	size_t i;

	if (!a || !v->retentions)
		return NULL;
	i = (size_t)(a - v->decl->activities);
	return i < v->decl->n_activities && v->retention_ok[i] ? &v->retentions[i] : NULL;
}

const char *pdv_vault_purpose(const struct pdv_vault *v, const struct pdv_activity *a)
{
	const struct pdv_text *t;
	const char *lang =
	    v->decl->controller.languages.n ? v->decl->controller.languages.v[0].s : "en";

	if (!a || !a->purposes.present || a->purposes.n == 0)
		return NULL;
	t = &a->purposes.v[0];
	if (t->any)
		return t->any;
	for (size_t i = 0; i < t->n_lang; i++)
		if (lang && strcmp(t->langs[i].lang, lang) == 0)
			return t->langs[i].text;
	return t->n_lang ? t->langs[0].text : NULL;
}

void pdv_session_close(struct pdv_session *s)
{
	if (!s)
		return;
	if (s->in_tx)
		pdv_session_tx_rollback(s);
	pdv_store_close(s->store);
	pdv_secret_free(s->scratch);
	if (s->fresh_hashes)
		pdv_wipe(s->fresh_hashes, PDV_GROUP_FRESH_MAX * sizeof(*s->fresh_hashes));
	free(s->fresh_hashes);
	free(s->cookie_cfgs);
	free(s->actor);
	free(s->role);
	free(s);
}

/* a session on store, which it takes (closed with it, even on failure) */
static int session_new(struct pdv_vault *v, struct pdv_store *store, struct pdv_session **ret,
                       struct pdv_error *err)
{
	struct pdv_session *s = calloc(1, sizeof(*s));
	int rc;

	if (!s) {
		pdv_store_close(store);
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	}
	s->vault = v;
	s->store = store;
	s->now = v->now;
	s->trust_log = v->trust_log;
	if (!(s->actor = strdup(v->actor))) {
		pdv_session_close(s);
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	}
	if ((rc = pdv_secret_alloc(&s->scratch, err)) < 0 ||
	    (v->serving && (rc = pdv_store_announce(store, err)) < 0)) {
		pdv_session_close(s);
		return rc;
	}
	*ret = s;
	return 0;
}

int pdv_session_open(struct pdv_vault *v, struct pdv_session **ret_session, struct pdv_error *err)
{
	struct pdv_store *store;
	int rc;

	pthread_mutex_lock(&v->witness_lock);
	store = v->spare;
	v->spare = NULL;
	pthread_mutex_unlock(&v->witness_lock);
	if (!store && (rc = pdv_store_open(v->db_url, false, &store, err)) < 0)
		return rc;
	return session_new(v, store, ret_session, err);
}

struct pdv_vault *pdv_session_vault(const struct pdv_session *s)
{
	return s->vault;
}

void pdv_vault_close(struct pdv_vault *v)
{
	if (!v)
		return;
	pdv_store_close(v->spare);
	for (size_t i = 0; i < sizeof(service_keys) / sizeof(service_keys[0]); i++)
		pdv_secret_free(*SERVICE_KEY(v, i));
	free(v->retentions);
	free(v->retention_ok);
	pdv_master_free(v->master);
	pdv_lint_result_release(&v->lint);
	free(v->actor);
	free(v->db_url);
	free(v->db_path);
	free(v->head_path);
	free(v->head_link_path);
	free(v->moves_path);
	free(v->key_file);
	free(v->journal_path);
	free(v->server_id);
	pthread_mutex_destroy(&v->witness_lock);
	free(v);
}

static int vault_new(const struct pdv_vault_opts *o, struct pdv_vault **ret, const char **where,
                     struct pdv_error *err)
{
	struct pdv_vault *v;
	int rc;

	if ((rc = pdv_crypto_init(err)) < 0)
		return rc;
	if (!(v = calloc(1, sizeof(*v))))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	pthread_mutex_init(&v->witness_lock, NULL);
	v->decl = o->decl;
	v->now = o->now;
	if ((rc = pdv_store_where(o->db_url, where, err)) < 0) {
		pdv_vault_close(v);
		return rc;
	}
	v->actor = strdup(o->actor ? o->actor : "cli");
	v->db_url = strdup(o->db_url);
	v->db_path = strdup(*where);
	v->key_file = strdup(o->key_file);
	v->serving = o->serving;
	if (o->server_id && (rc = pdv_vault_server_id_check(o->server_id, err)) < 0) {
		pdv_vault_close(v);
		return rc;
	}
	if (o->server_id && !(v->server_id = strdup(o->server_id))) {
		pdv_vault_close(v);
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	}
	v->journal_path = beside_key_as(o->key_file, ".erasures", v->server_id);
	if (!v->actor || !v->db_url || !v->db_path || head_paths(v, o->key_file) < 0 ||
	    !v->key_file || !v->journal_path) {
		pdv_vault_close(v);
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	}
	*ret = v;
	return 0;
}

int pdv_vault_paths(const struct pdv_vault_opts *o, struct pdv_vault **ret, struct pdv_error *err)
{
	const char *where;

	return vault_new(o, ret, &where, err);
}

int pdv_vault_init(const struct pdv_vault_opts *o, struct pdv_error *err)
{
	struct pdv_vault *v = NULL;
	struct pdv_session *s = NULL;
	struct pdv_store *store;
	const char *where;
	struct stat st;
	bool key_made = false, db_made = false;
	uint8_t key_id[PDV_KEY_ID_LEN], wrapped[PDV_WRAPPED_LEN];
	int rc;

	if ((rc = vault_new(o, &v, &where, err)) < 0)
		return rc;
	/* the store first: one that exists is refused before anything is made */
	if ((rc = pdv_store_open(o->db_url, true, &store, err)) < 0)
		goto out;
	db_made = true;
	if ((rc = session_new(v, store, &s, err)) < 0)
		goto out;
	if (stat(o->key_file, &st) == 0) {
		rc = pdv_error_set(err, PDV_E_REFUSED,
		                   "key file '%s' already exists; refusing to overwrite it",
		                   o->key_file);
		goto out;
	}
	if ((rc = pdv_master_create(o->key_file, err)) < 0)
		goto out;
	key_made = true;
	if (head_paths(v, o->key_file) < 0) { /* the key file exists now: its real path */
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	if ((rc = pdv_master_load(o->key_file, &v->master, err)) < 0)
		goto out;
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		goto out;
	pdv_master_key_id(v->master, key_id);
	if ((rc = pdv_store_meta_put(s->store, "key_id", key_id, sizeof(key_id), err)) < 0)
		goto out;
	for (size_t i = 0; i < sizeof(service_keys) / sizeof(service_keys[0]); i++) {
		struct pdv_secret **k = SERVICE_KEY(v, i);

		if ((rc = pdv_secret_new(k, err)) < 0 ||
		    (rc = pdv_secret_wrap(v->master, *k, service_keys[i].ad,
		                          strlen(service_keys[i].ad), wrapped, err)) < 0 ||
		    (rc = pdv_store_meta_put(s->store, service_keys[i].meta, wrapped,
		                             sizeof(wrapped), err)) < 0)
			goto out;
	}
	/* a new store has no record to bind (the mark is for older ones) */
	if ((rc = pdv_store_meta_delete(s->store, "bind_pending", err)) < 0 ||
	    (rc = pdv_audit_append(s, "init", NULL, NULL, NULL, NULL, err)) < 0)
		goto out;
	rc = pdv_session_tx_commit(s, err);
out:
	pdv_session_close(s); /* rolls back what is not committed; closes the store */
	if (rc < 0) {
		/* nothing half-made: remove what this call created */
		int gone = db_made ? pdv_store_destroy(o->db_url, NULL) : 0;

		(void)gone; /* the init's own error is the one to tell */
		if (key_made) {
			unlink(o->key_file);
			if (v)
				unlink(v->head_path);
		}
	}
	pdv_vault_close(v);
	return rc;
}

/* the head file at open: the witness of what the log held */
static int witness_load(struct pdv_vault *v, struct pdv_error *err)
{
	struct pdv_error e2;
	int rc;

	pdv_error_clear(&e2);
	rc = pdv_audit_head_load(v, &v->known_seq, v->known_hash, &e2);
	if (rc == 0)
		return 0;
	if (rc != PDV_E_NOTFOUND && rc != PDV_E_IO)
		return pdv_error_set(err, rc, "%s", e2.msg);
	/* missing or damaged: reads go on, writes are refused (unless the log
	 * is empty) until a loss is accepted */
	v->known_missing = true;
	v->known_seq = 0;
	return 0;
}

int pdv_vault_open(const struct pdv_vault_opts *o, struct pdv_vault **ret_vault,
                   struct pdv_error *err)
{
	return pdv_vault_open_as(o, false, ret_vault, err);
}

int pdv_vault_open_as(const struct pdv_vault_opts *o, bool trust_log, struct pdv_vault **ret_vault,
                      struct pdv_error *err)
{
	struct pdv_vault *v = NULL;
	struct pdv_session *s = NULL; /* the writes owed at open */
	struct pdv_store *store;
	const char *where;
	uint8_t key_id[PDV_KEY_ID_LEN], stored[64], wrapped[128];
	size_t n;
	bool intact;
	int rc;

	if ((rc = vault_new(o, &v, &where, err)) < 0)
		return rc;
	v->trust_log = trust_log;
	if ((rc = witness_load(v, err)) < 0)
		goto fail;
	if ((rc = pdv_master_load(o->key_file, &v->master, err)) < 0)
		goto fail;
	if ((rc = pdv_store_open(o->db_url, false, &store, err)) < 0 ||
	    (rc = session_new(v, store, &s, err)) < 0)
		goto fail;
	rc = pdv_store_meta_get(s->store, "key_id", stored, sizeof(stored), &n, err);
	if (rc == PDV_E_NOTFOUND) {
		rc = pdv_error_set(err, PDV_E_IO, "store '%s' is not a pdvault store (no key id)",
		                   where);
		goto fail;
	}
	if (rc < 0)
		goto fail;
	pdv_master_key_id(v->master, key_id);
	if (n != sizeof(key_id) || !pdv_equal(key_id, stored, sizeof(key_id))) {
		/* a rotation that committed and stopped before installing its key
		 * leaves the store under KEYFILE.new: finish it */
		struct pdv_master *next = NULL;
		char new_path[4096];

		snprintf(new_path, sizeof(new_path), "%s.new", o->key_file);
		if (n == sizeof(key_id) && pdv_master_load(new_path, &next, NULL) == 0) {
			pdv_master_key_id(next, key_id);
			if (pdv_equal(key_id, stored, sizeof(key_id)) &&
			    pdv_master_install(new_path, o->key_file, err) == 0) {
				pdv_master_free(v->master);
				v->master = next;
				next = NULL;
				if ((rc = pdv_vault_head_follow(v, err)) < 0)
					goto fail;
			}
			pdv_master_free(next);
		}
		pdv_master_key_id(v->master, key_id);
		if (!pdv_equal(key_id, stored, sizeof(key_id))) {
			rc = pdv_error_set(err, PDV_E_IO,
			                   "key file '%s' is not the key of store '%s'",
			                   o->key_file, where);
			goto fail;
		}
	}
	for (size_t i = 0; i < sizeof(service_keys) / sizeof(service_keys[0]); i++) {
		rc = pdv_store_meta_get(s->store, service_keys[i].meta, wrapped, sizeof(wrapped),
		                        &n, err);
		if (rc == 0 && n != PDV_WRAPPED_LEN)
			rc = pdv_error_set(err, PDV_E_IO, "store '%s': %s is damaged", where,
			                   service_keys[i].meta);
		if (rc < 0 || (rc = pdv_secret_unwrap(v->master, wrapped, service_keys[i].ad,
		                                      strlen(service_keys[i].ad), SERVICE_KEY(v, i),
		                                      err)) < 0)
			goto fail;
	}
	if (o->decl && (rc = pdv_lint_run(o->decl, pdv_time_day(o->now), &v->lint, err)) < 0)
		goto fail;
	/* erasures committed by a run that stopped before journaling them */
	if ((rc = pdv_erasure_journal_sync(s, err)) < 0)
		goto fail;
	/* the writes owed at open wait for a log that reaches its head: until
	 * then every write is refused, and reads (audit verify) go on */
	intact = pdv_audit_witness_now(s, NULL) == 0;
	/* blind indexes owed by a sweep that stopped before purging them */
	if (intact && (rc = pdv_lookups_purge(s, err)) < 0)
		goto fail;
	/* records of a store from before 0005: bound once, in one transaction */
	if (intact && (rc = pdv_records_bind_pending(s, err)) < 0)
		goto fail;
	if (o->decl && o->decl->n_activities) {
		size_t na = o->decl->n_activities;

		v->retentions = calloc(na, sizeof(*v->retentions));
		v->retention_ok = calloc(na, sizeof(*v->retention_ok));
		if (!v->retentions || !v->retention_ok) {
			rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
			goto fail;
		}
		for (size_t i = 0; i < na; i++) {
			const struct pdv_retention_decl *rd = &o->decl->activities[i].retention;

			v->retention_ok[i] =
			    rd->present &&
			    pdv_retention_compile(o->decl, rd, &v->retentions[i], NULL) == 0;
		}
	}
	/* the first session takes the store handle over (pdv_session_open) */
	v->spare = s->store;
	s->store = NULL;
	pdv_session_close(s);
	*ret_vault = v;
	return 0;
fail:
	pdv_session_close(s);
	pdv_vault_close(v);
	return rc;
}

static void savepoint_take(struct pdv_session *s)
{
	s->sp.head_seq = s->head_seq;
	memcpy(s->sp.head_hash, s->head_hash, PDV_HASH_LEN);
	s->sp.head_dirty = s->head_dirty;
	s->sp.journal_dirty = s->journal_dirty;
	s->sp.fresh = s->fresh;
}

static void savepoint_restore(struct pdv_session *s)
{
	s->head_seq = s->sp.head_seq;
	memcpy(s->head_hash, s->sp.head_hash, PDV_HASH_LEN);
	s->head_dirty = s->sp.head_dirty;
	s->journal_dirty = s->sp.journal_dirty;
	s->fresh = s->sp.fresh;
}

int pdv_session_tx_begin(struct pdv_session *s, struct pdv_error *err)
{
	int rc;

	if (s->in_tx && s->group) {
		/* the outermost call of a group opens its savepoint */
		if (s->job_depth++ > 0)
			return 0;
		if ((rc = pdv_store_savepoint(s->store, err)) < 0) {
			s->job_depth = 0;
			return rc;
		}
		savepoint_take(s);
		return 0;
	}
	if (s->in_tx)
		return 0;
	if ((rc = pdv_store_begin(s->store, err)) < 0)
		return rc;
	s->in_tx = true;
	/* the chain's head, read under the write lock: valid until the commit */
	if ((rc = pdv_store_audit_last(s->store, &s->head_seq, s->head_hash, err)) < 0 ||
	    (rc = pdv_audit_witness_check(s, s->head_seq, s->head_hash, err)) < 0) {
		pdv_session_tx_rollback(s);
		return rc;
	}
	return 0;
}

int pdv_session_tx_commit(struct pdv_session *s, struct pdv_error *err)
{
	struct pdv_vault *v = s->vault;
	int rc = 0;

	if (s->in_tx && s->group) {
		if (s->job_depth > 0 && --s->job_depth == 0 &&
		    (rc = pdv_store_release(s->store, err)) < 0) {
			/* the call's writes failed and the store undid them */
			savepoint_restore(s);
			return rc;
		}
		return 0;
	}
	if (!s->in_tx || s->batch)
		return 0;
	s->in_tx = false;
	if ((rc = pdv_store_commit(s->store, err)) < 0)
		return rc;
	if (!s->head_dirty && !s->journal_dirty)
		return 0; /* no entry appended (the delivery worker's claims): the
		           * head it read may be behind another session's by now, and
		           * the witness only moves forward */
	/* this process wrote the log's head: the witness every session checks
	 * next (the vault's, so under its lock, with the head file) */
	pthread_mutex_lock(&v->witness_lock);
	if (s->head_dirty) {
		v->known_seq = s->head_seq;
		memcpy(v->known_hash, s->head_hash, PDV_HASH_LEN);
		v->known_missing = false;
	}
	if (s->head_dirty && s->deferred) {
		/* written by pdv_session_make_durable, after the store's sync */
		s->head_dirty = false;
		s->mark_seq = s->head_seq;
		memcpy(s->mark_hash, s->head_hash, PDV_HASH_LEN);
		s->mark_dirty = true;
	} else if (s->head_dirty) {
		s->head_dirty = false;
		rc = pdv_audit_head_write(v->head_path, s->head_seq, s->head_hash, err);
	}
	pthread_mutex_unlock(&v->witness_lock);
	if (rc < 0)
		return rc;
	if (s->journal_dirty && (rc = pdv_erasure_journal_sync(s, err)) < 0)
		return rc;
	return 0;
}

void pdv_session_tx_rollback(struct pdv_session *s)
{
	if (s->in_tx && s->group) {
		/* undo this call alone; the group's transaction goes on */
		if (s->job_depth > 0) {
			if (pdv_store_rollback_to(s->store) < 0)
				s->group_lost = true;
			savepoint_restore(s);
			s->job_depth = 0;
		}
		return;
	}
	if (!s->in_tx)
		return;
	pdv_store_rollback(s->store);
	s->in_tx = false;
	s->batch = false;
	s->group = false;
	s->job_depth = 0;
	s->head_dirty = false;
	s->journal_dirty = false;
}

int pdv_session_batch_begin(struct pdv_session *s, struct pdv_error *err)
{
	int rc = pdv_session_tx_begin(s, err);

	if (rc == 0)
		s->batch = true;
	return rc;
}

int pdv_session_batch_commit(struct pdv_session *s, struct pdv_error *err)
{
	s->batch = false;
	s->group = false;
	s->job_depth = 0;
	return pdv_session_tx_commit(s, err);
}

int pdv_session_mark_get(struct pdv_session *s, const char *name, int64_t *ret,
                         struct pdv_error *err)
{
	char buf[24];
	size_t n;
	long long x;
	int rc = pdv_store_meta_get(s->store, name, (uint8_t *)buf, sizeof(buf) - 1, &n, err);

	if (rc < 0)
		return rc;
	buf[n] = '\0';
	if (sscanf(buf, "%lld", &x) != 1 || x < 0)
		return pdv_error_set(err, PDV_E_IO, "store '%s': the mark '%s' is damaged",
		                     s->vault->db_path, name);
	*ret = x;
	return 0;
}

/* value < 0: delete the mark */
static int mark_write(struct pdv_session *s, const char *name, int64_t value, struct pdv_error *err)
{
	bool own = !s->in_tx;
	char num[24];
	int rc;

	if (own && (rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	snprintf(num, sizeof(num), "%" PRId64, value);
	rc = value < 0 ? pdv_store_meta_delete(s->store, name, err)
	               : pdv_store_meta_put(s->store, name, num, strlen(num), err);
	if (rc < 0) {
		if (own)
			pdv_session_tx_rollback(s);
		return rc;
	}
	return own ? pdv_session_tx_commit(s, err) : 0;
}

int pdv_session_mark_set(struct pdv_session *s, const char *name, int64_t value,
                         struct pdv_error *err)
{
	if (value < 0)
		return pdv_error_set(err, PDV_E_INTERNAL, "a mark is a number >= 0");
	return mark_write(s, name, value, err);
}

int pdv_session_mark_clear(struct pdv_session *s, const char *name, struct pdv_error *err)
{
	return mark_write(s, name, -1, err);
}

int pdv_session_group_begin(struct pdv_session *s, bool lazy, struct pdv_error *err)
{
	int rc = pdv_session_batch_begin(s, err);

	if (rc == 0) {
		s->group = true;
		s->group_lost = false;
		s->job_depth = 0;
		memset(&s->fresh, 0, sizeof(s->fresh));
		pdv_store_savepoints(s->store, lazy ? PDV_SAVEPOINTS_LAZY : PDV_SAVEPOINTS_WAITED);
	}
	return rc;
}

bool pdv_session_group_lost(const struct pdv_session *s)
{
	return s->group && s->group_lost;
}

int pdv_session_group_check(struct pdv_session *s, bool *ret_stale, struct pdv_error *err)
{
	int64_t held;
	int rc;

	*ret_stale = false;
	if (!s->group)
		return 0;
	if (s->group_lost) {
		*ret_stale = true;
		return 0;
	}
	/* every write's result read before the commit, so a failure is the
	 * group's, found here, never a commit's */
	if (!s->fresh.first)
		return pdv_store_flush(s->store, err);
	if ((rc = pdv_store_lookups_held_between(s->store, s->fresh.first, s->fresh.last, &held,
	                                         err)) < 0)
		return rc;
	*ret_stale = held != s->fresh.held;
	return 0;
}

bool pdv_session_in_group(const struct pdv_session *s)
{
	return s->in_tx && s->group;
}

int pdv_session_set_actor(struct pdv_session *s, const char *actor)
{
	char *copy = strdup(actor);

	if (!copy)
		return PDV_E_NOMEM;
	free(s->actor);
	s->actor = copy;
	return 0;
}

void pdv_session_set_now(struct pdv_session *s, pdv_time_t now)
{
	s->now = now;
}

pdv_time_t pdv_session_now(const struct pdv_session *s)
{
	return s->now;
}

const char *pdv_vault_default_db(void)
{
	return pdv_store_default_url();
}

int pdv_vault_store_bytes(struct pdv_session *s, int64_t *ret, struct pdv_error *err)
{
	return pdv_store_size_bytes(s->store, ret, err);
}

int pdv_session_defer_sync(struct pdv_session *s, struct pdv_error *err)
{
	int rc = pdv_store_durability(s->store, true, err);

	if (rc == 0)
		s->deferred = true;
	return rc;
}

void pdv_session_durable_mark(struct pdv_session *s, struct pdv_durable_mark *m)
{
	m->head = s->mark_dirty;
	m->seq = s->mark_seq;
	memcpy(m->hash, s->mark_hash, PDV_HASH_LEN);
	s->mark_dirty = false;
}

int pdv_session_make_durable(struct pdv_session *s, const struct pdv_durable_mark *m,
                             struct pdv_error *err)
{
	int rc;

	/* the log first: the head file must never be ahead of what is on disk */
	if ((rc = pdv_store_sync(s->store, err)) < 0)
		return rc;
	if (m->head)
		return pdv_audit_head_update(s->vault->head_path, m->seq, m->hash, err);
	return 0;
}

int pdv_session_set_role(struct pdv_session *s, const char *role)
{
	char *copy = NULL;

	if (role && !(copy = strdup(role)))
		return PDV_E_NOMEM;
	free(s->role);
	s->role = copy;
	return 0;
}

void pdv_session_batch_abort(struct pdv_session *s)
{
	/* a group's whole transaction, not the savepoint of its job at hand */
	s->group = false;
	s->job_depth = 0;
	pdv_session_tx_rollback(s);
}

static size_t subject_ad(const struct pdv_subject_row *row, uint8_t ad[8 + PDV_ID_MAX])
{
	char id[PDV_ID_MAX];
	size_t n;

	pdv_id_canonical('s', row->id, row->tag, id);
	memcpy(ad, "subject", 8); /* with its NUL */
	n = strlen(id);
	memcpy(ad + 8, id, n);
	return 8 + n;
}

int pdv_vault_subject_key_into(struct pdv_session *s, const struct pdv_subject_row *row,
                               struct pdv_secret *into, struct pdv_error *err)
{
	uint8_t ad[8 + PDV_ID_MAX];

	if (!row->wrapped_key)
		return pdv_error_set(err, PDV_E_NOTFOUND, "subject's data was erased");
	if (row->wrapped_key_len != PDV_WRAPPED_LEN)
		return pdv_error_set(err, PDV_E_IO, "store '%s': a subject key is damaged",
		                     s->vault->db_path);
	return pdv_secret_unwrap_into(s->vault->master, row->wrapped_key, ad, subject_ad(row, ad),
	                              into, err);
}

int pdv_vault_subject_key(struct pdv_session *s, const struct pdv_subject_row *row,
                          struct pdv_secret **ret, struct pdv_error *err)
{
	char id[PDV_ID_MAX];
	uint8_t ad[8 + PDV_ID_MAX];
	size_t n;

	if (!row->wrapped_key)
		return pdv_error_set(err, PDV_E_NOTFOUND, "subject's data was erased");
	if (row->wrapped_key_len != PDV_WRAPPED_LEN)
		return pdv_error_set(err, PDV_E_IO, "store '%s': a subject key is damaged",
		                     s->vault->db_path);
	pdv_id_canonical('s', row->id, row->tag, id);
	memcpy(ad, "subject", 8); /* with its NUL */
	n = strlen(id);
	memcpy(ad + 8, id, n);
	return pdv_secret_unwrap(s->vault->master, row->wrapped_key, ad, 8 + n, ret, err);
}

size_t pdv_field_ad(const char *record, const char *field, uint8_t *out, size_t size)
{
	size_t rn = strlen(record), fn = strlen(field);
	size_t n = sizeof("pdv-field") + rn + 1 + fn;

	if (n > size)
		return 0;
	memcpy(out, "pdv-field", sizeof("pdv-field"));
	memcpy(out + sizeof("pdv-field"), record, rn + 1);
	memcpy(out + sizeof("pdv-field") + rn + 1, field, fn);
	return n;
}
