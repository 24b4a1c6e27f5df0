/*
 * pdv/vault.h — the engine: the vault that keeps personal data as the
 * declaration says.
 *
 * A vault is a store (pdv/store.h), the master key (pdv/crypto.h) and the
 * declaration. The engine is the only layer that sees clear values: it
 * validates a submission against the declared fields, seals every value
 * under the subject's own key bound to its record and field, indexes lookup
 * values with a keyed hash, and writes an audit entry for every read and
 * change, chained by a keyed hash.
 *
 * Invariants:
 *  - nothing of a refused submission is stored (one transaction per call);
 *  - no personal-data value reaches the store, a message, or the audit log;
 *    clear values live in sodium memory while the engine holds them;
 *  - ids shown outside are opaque: 's' or 'r' and 22 URL-safe characters;
 *  - the head of the audit chain is kept beside the key file's real path
 *    (KEYFILE.audit-head), written after each commit; it is the witness of
 *    what the log held: a write begins only when the log still reaches it
 *    (else PDV_E_INTEGRITY, exit 3, HTTP 503), and pdv_audit_verify names
 *    what was cut off; a store left behind by pdv_vault_migrate is refused
 *    with PDV_E_MOVED instead (same exit and HTTP status), naming where the
 *    vault went (the record of the moves, KEYFILE.migrations);
 *  - each record carries a keyed MAC over its id, subject, activity and
 *    phase, written with it and checked on every read: a record moved in the
 *    store is refused (PDV_E_INTEGRITY naming it), never shown;
 *  - a callback handed to a listing call (pdv_audit_list, pdv_breach_list,
 *    pdv_records_summary, pdv_outbox_list...) must not call the vault: some
 *    run while the store iterates, and the store refuses a call from there
 *    (PDV_E_INTERNAL). Collect what the callback sees, act after.
 */
#ifndef PDV_VAULT_H
#define PDV_VAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pdv/buf.h"
#include "pdv/decl.h"
#include "pdv/render.h"
#include "pdv/error.h"
#include "pdv/reference.h"
#include "pdv/time.h"

#define PDV_ID_MAX 32                     /* "s" + 22 characters + NUL, rounded up */
#define PDV_FIELD_MAX_DEFAULT (64 * 1024) /* a text value, when max_length is not declared */
#define PDV_FILE_MAX (10 * 1024 * 1024)   /* a file value (a CV...) */

struct pdv_vault;

struct pdv_vault_opts {
	const char *db_url;          /* the store's URL (pdv/store.h) */
	const char *key_file;        /* the master key */
	const struct pdv_decl *decl; /* borrowed, must outlive the vault */
	const char *actor;           /* audit actor: cli:LOGIN, api:NAME */
	pdv_time_t now;              /* the clock, read once by the caller */
	const char *server_id;       /* NULL, or the name of this server among
	                              * several on one store: its head file and
	                              * erasure journal are KEYFILE.audit-head.ID
	                              * and KEYFILE.erasures.ID
	                              * (docs/internals/multi-server.md) */
	bool serving;                /* a server: every store handle says so, for
	                              * key rotate and migrate to see it */
};

/* PDV_E_USAGE unless id is 1 to 64 letters, digits, '.', '_' or '-' (not
 * starting with '.'), naming the option in the message */
int pdv_vault_server_id_check(const char *id, struct pdv_error *err) PDV_WUR;

/* Create the key file (0600) and the store; refuses when either exists. */
int pdv_vault_init(const struct pdv_vault_opts *o, struct pdv_error *err) PDV_WUR;

/*
 * A vault and its sessions. pdv_vault_open reads the keys and the
 * declaration's lint result and compiled retentions, and runs the writes a
 * stopped run owed; the vault is then read-only (but for a key rotation, a
 * command run with one session) and may be shared by threads. Every call
 * that reads or writes the store takes a session: one thread's handle on
 * the store, with who acts (actor, role), when (now), and its transaction.
 * A session is used by one thread at a time (pdv_session_make_durable
 * excepted, see below); close every session before the vault. The command
 * line opens one; the server, one per worker (docs/internals/engine.md).
 * A session starts with the actor and now of the vault's opts, and no role.
 */
struct pdv_session;
int pdv_vault_open(const struct pdv_vault_opts *o, struct pdv_vault **ret_vault,
                   struct pdv_error *err) PDV_WUR;
void pdv_vault_close(struct pdv_vault *v);
int pdv_session_open(struct pdv_vault *v, struct pdv_session **ret_session,
                     struct pdv_error *err) PDV_WUR;
/* rolls back a transaction left open */
void pdv_session_close(struct pdv_session *s);
/* the vault a session works on (borrowed) */
struct pdv_vault *pdv_session_vault(const struct pdv_session *s);

/* one submitted field: value bytes (not NUL-terminated necessarily) */
struct pdv_input_field {
	const char *name;
	const char *value;
	size_t len;
};

struct pdv_collect_in {
	const char *activity;
	const struct pdv_input_field *fields;
	size_t n_fields;
	bool consent;            /* the person ticked the consent box */
	const char *source;      /* NULL: the data subject */
	const char *channel;     /* consent channel: cli, web, import */
	pdv_time_t collected_at; /* 0: now */
	pdv_time_t last_contact; /* 0: collected_at */
	pdv_time_t consent_at;   /* 0: collected_at */
	const char *lang;        /* the person's language (fr | en), kept with the
	                          * subject for every message to them; NULL: unchanged
	                          * (none yet: the declaration's first language) */
};

struct pdv_collect_out {
	char subject[PDV_ID_MAX];
	char record[PDV_ID_MAX];
	bool new_subject;
};

/*
 * Validate and store one submission. Refusals (PDV_E_INVAL with err->field
 * set, PDV_E_REFUSED for policy: lint error in the activity, consent
 * missing) store nothing.
 */
int pdv_collect(struct pdv_session *s, const struct pdv_collect_in *in, struct pdv_collect_out *out,
                struct pdv_error *err) PDV_WUR;

/*
 * The answer to a public submission refused because the person objected
 * (code "suppressed"), so that the answer does not tell it: a record id
 * taken like a stored record's (the next id, reserved in the store so that
 * no writer ever gives it to a record, and a random tag), never stored; and an audit entry
 * "collect-suppressed" naming the activity, in its own savepoint, so the
 * answer waits for the same durable commit as a stored submission's.
 */
int pdv_collect_decoy(struct pdv_session *s, const char *activity, char ret_record[PDV_ID_MAX],
                      struct pdv_error *err) PDV_WUR;

/*
 * Prepared collection, for an import that seals on one thread while another
 * writes. pdv_collect_prepare does all that needs no store (validation, the
 * blind-index hashes, a new subject's data key and its wrapping, the sealed
 * values), guessing the person is new and taking ids from ids (ranges
 * reserved in the store); it may run on any one thread besides the writer's,
 * with ids of its own. The prep keeps a
 * copy of the values (wiped when committed or reused) and borrows the
 * activity, channel, source and field names of in. pdv_collect_commit, on
 * the vault's thread and in the order of the rows, writes it as pdv_collect
 * would, with the same refusals, and reserves the next range of ids when the
 * preparing thread took its spare; when the guess does not hold (the person
 * is already in the vault, no id was left) it collects the kept copy the
 * ordinary way. Ids skipped by a refusal, or left in a range, stay unused.
 */
struct pdv_collect_prep;
struct pdv_collect_ids;
int pdv_collect_prep_new(struct pdv_collect_prep **ret_prep, struct pdv_error *err) PDV_WUR;
void pdv_collect_prep_free(struct pdv_collect_prep *p);
/* reserves the first ranges of ids, in a transaction of its own: call it on
 * the vault's thread, outside a transaction */
int pdv_collect_ids_new(struct pdv_session *s, struct pdv_collect_ids **ret_ids,
                        struct pdv_error *err) PDV_WUR;
void pdv_collect_ids_free(struct pdv_collect_ids *ids);
void pdv_collect_prepare(const struct pdv_vault *v, struct pdv_collect_ids *ids,
                         const struct pdv_collect_in *in, struct pdv_collect_prep *p);
/* the clock of what is prepared next (a new person's created_at): a server
 * sets its group's. From then on pdv_collect_prepare only validates and
 * hashes, and pdv_collect_precheck seals those it finds new (a known person
 * is never sealed twice) */
void pdv_collect_ids_clock(struct pdv_collect_ids *ids, pdv_time_t now);
/* on the vault's thread, outside a transaction (so without the writer
 * lock): the lookups of n prepared people read at once, and the guess of
 * each one a lookup names dropped (committed the ordinary way). A server's
 * group does this before it takes the lock; what changes in between is
 * caught by pdv_session_group_check */
int pdv_collect_precheck(struct pdv_session *s, struct pdv_collect_ids *ids,
                         struct pdv_collect_prep *const *preps, size_t n,
                         struct pdv_error *err) PDV_WUR;
int pdv_collect_commit(struct pdv_session *s, struct pdv_collect_ids *ids,
                       struct pdv_collect_prep *p, struct pdv_collect_out *out,
                       struct pdv_error *err) PDV_WUR;
/*
 * Asks the store at once which of n prepared rows are new people (none of
 * their blind indexes held, nor shared with an earlier row of the call), so
 * that pdv_collect_commit writes those without waiting for the store's
 * answer: one round trip for the lot on PostgreSQL instead of one a row (on
 * SQLite, where a statement costs none, it marks nothing). Call it inside
 * the write transaction (a batch) that commits the rows, after the rows
 * before them were committed in it; the answer holds until that
 * transaction ends, so a new batch asks again about the rows left.
 */
int pdv_collect_known(struct pdv_session *s, struct pdv_collect_prep *const *preps, size_t n,
                      struct pdv_error *err) PDV_WUR;

/*
 * Batches: several pdv_collect calls in one transaction (import). Between
 * begin and commit, pdv_collect does not commit; a refused submission is
 * rolled back alone (a savepoint), the others stay.
 */
int pdv_session_batch_begin(struct pdv_session *s, struct pdv_error *err) PDV_WUR;
int pdv_session_batch_commit(struct pdv_session *s, struct pdv_error *err) PDV_WUR;
/* Give up the batch: nothing of it is stored (after a write failure). */
void pdv_session_batch_abort(struct pdv_session *s);

/*
 * Marks: a named number kept in the store (an import's last committed line,
 * a purge owed), set in the transaction whose progress it records, so that
 * a stopped run finds exactly what was committed. get: PDV_E_NOTFOUND when
 * unset. set and clear write in the open transaction, or in one of their own.
 * A mark name holds no personal data.
 */
int pdv_session_mark_get(struct pdv_session *s, const char *name, int64_t *ret,
                         struct pdv_error *err) PDV_WUR;
int pdv_session_mark_set(struct pdv_session *s, const char *name, int64_t value,
                         struct pdv_error *err) PDV_WUR;
int pdv_session_mark_clear(struct pdv_session *s, const char *name, struct pdv_error *err) PDV_WUR;

/*
 * Group commit (the server): a batch in which every engine call is atomic
 * on its own (a savepoint): a call that fails is undone alone and the
 * others stay. Ended by pdv_session_batch_commit (one durable commit for the
 * whole group) or pdv_session_batch_abort. pdv_session_in_group is false once
 * the group's transaction was lost (a failed commit of a savepoint).
 *
 * lazy: the store may skip the savepoints (pdv_store_savepoints_lazy), so a
 * call that fails after writing cannot be undone alone; then
 * pdv_session_group_lost is true, pdv_session_group_check says stale, and
 * the caller runs the group again, not lazy. A group's first run is lazy:
 * calls that fail after writing are rare, and the savepoints cost a
 * PostgreSQL server two statements per call.
 */
int pdv_session_group_begin(struct pdv_session *s, bool lazy, struct pdv_error *err) PDV_WUR;
bool pdv_session_in_group(const struct pdv_session *s);
/* a call of the group could not be undone alone: abandon it, run it again */
bool pdv_session_group_lost(const struct pdv_session *s);
/*
 * Before the group's commit: the people its prepared submissions took for
 * new (pdv_collect_commit in a group writes their lookups without waiting
 * for each) still hold every lookup they were given, in one read.
 * *ret_stale is true when one was kept by a person already in the vault
 * (written by another server since the preparation read it), or a call was
 * lost (pdv_session_group_lost): the caller then aborts the group and runs
 * it again without prepared work. Every write's result is read here: a
 * failure of one is returned here, not by the commit.
 */
int pdv_session_group_check(struct pdv_session *s, bool *ret_stale, struct pdv_error *err) PDV_WUR;

/*
 * Deferred durability (the server): commits stop waiting for the disk.
 * After a commit, pdv_session_durable_mark takes what is committed so far;
 * pdv_session_make_durable — the one call that may run on another thread
 * while the session is used — syncs the store's log, then writes the audit
 * head, up to the mark. A commit is acknowledged only after that.
 */
struct pdv_durable_mark {
	bool head; /* the audit head moved */
	int64_t seq;
	uint8_t hash[32];
};
int pdv_session_defer_sync(struct pdv_session *s, struct pdv_error *err) PDV_WUR;
void pdv_session_durable_mark(struct pdv_session *s, struct pdv_durable_mark *m);
int pdv_session_make_durable(struct pdv_session *s, const struct pdv_durable_mark *m,
                             struct pdv_error *err) PDV_WUR;

/* Who acts and when, for the session's calls that follow (the server, per
 * request): fields of the session, nothing shared changes. */
int pdv_session_set_actor(struct pdv_session *s, const char *actor) PDV_WUR;
void pdv_session_set_now(struct pdv_session *s, pdv_time_t now);
pdv_time_t pdv_session_now(const struct pdv_session *s);
/*
 * The current actor's staff role (NULL: the command line, which sees all).
 * With a role, every call that reads or changes a subject's records (find,
 * show, export, event, consent, rectify, erase, object, requests, links,
 * counts) sees and acts on only the records of activities that list the role
 * in `access` (archived records: `archive_access`), and answers as if the
 * others did not exist; `dpo` sees every record, as it answers the rights
 * requests. A subject with no record the role may read is PDV_E_NOTFOUND, as
 * if absent. Naming an activity the role may not see, and what acts on a
 * whole subject (restrict, holds, directives, the outbox) for a role other
 * than dpo, is PDV_E_REFUSED with the code "forbidden". See scope.c.
 */
int pdv_session_set_role(struct pdv_session *s, const char *role); /* NULL cannot fail */

/* is the activity declared? */
bool pdv_vault_activity_declared(const struct pdv_vault *v, const char *activity);

/* an API token checked: the named person and the role */
struct pdv_staff {
	char name[72];
	char role[72];
	char scope[16]; /* "all"; "metrics": GET /metrics and nothing else;
	                 * "calendar": GET /v1/calendar.ics and nothing else */
};
/* PDV_E_REFUSED (code "unauthorized") for an unknown, expired or revoked token */
int pdv_token_check(struct pdv_session *s, const char *token, struct pdv_staff *ret,
                    struct pdv_error *err) PDV_WUR;

/* Lookups: kind "email" or "phone"; ret_subject is "" when nobody has it. */
int pdv_find(struct pdv_session *s, const char *kind, const char *value,
             char ret_subject[PDV_ID_MAX], struct pdv_error *err) PDV_WUR;
/*
 * The pdv_find calls a batch (a server's group) is about to make, read from
 * the store at once (kinds[i] "email" or "phone", values[i] NULL or not
 * valid: skipped): on PostgreSQL one round trip for them all instead of one
 * each. Nothing is audited here and nothing answered: each pdv_find still
 * audits its own read, and answers from the store as it is then. Inside a
 * batch; does nothing on SQLite.
 */
int pdv_find_ahead(struct pdv_session *s, const char *const *kinds, const char *const *values,
                   size_t n, struct pdv_error *err) PDV_WUR;

/* what `show` prints for one record (values valid during the callback) */
struct pdv_shown_field {
	const char *name;
	const char *value;
	size_t len;
};
struct pdv_shown_record {
	const char *record;
	const char *activity;
	const char *phase;
	pdv_time_t collected_at;
	bool has_next;
	const char *next_phase;
	pdv_time_t next_at;
	size_t n_fields;
	const struct pdv_shown_field *fields;
	const struct pdv_activity *decl; /* the activity as declared, or NULL */
	/* why its next step waits, NULL when it does not: "restricted" (Art. 18),
	 * "hold" (a legal hold), "request" (a request of the person's is open:
	 * the sweep leaves their records until it is closed) */
	const char *held;
};
typedef int (*pdv_show_cb)(void *ctx, const struct pdv_shown_record *r);

/* Every record of a subject, decrypted; each read is audited. */
/* an id given in either form (ids issued before ids were permuted keep
 * resolving) as answers name it: its shown form; as given when it names
 * nothing. kind: 's' subject, 'r' record */
void pdv_id_answer(struct pdv_session *s, char kind, const char *id, char ret[PDV_ID_MAX]);
int pdv_show(struct pdv_session *s, const char *subject, pdv_show_cb cb, void *ctx,
             struct pdv_error *err) PDV_WUR;

/*
 * Lifecycle events. Record `event` on the subject's active records of
 * `activity`, or, when activity is NULL, on every active record whose
 * retention names the event (contact: counted from the last contact;
 * renewed: a renewal is declared; others: a trigger, `until` or `early`).
 * The record's phase is then applied at once: an early event or a span that
 * ends ends the record (deleted or anonymised), an active phase that ends
 * with an archive archives it. *ret_recorded is how many records took it;
 * none is PDV_E_NOTFOUND.
 */
int pdv_event(struct pdv_session *s, const char *subject, const char *event, const char *activity,
              int *ret_recorded, struct pdv_error *err) PDV_WUR;

/* the consent ledger: a grant or a withdrawal, never overwriting */
struct pdv_consent_out {
	const char *activity;
	const char *state; /* granted | withdrawn */
	pdv_time_t at;
	const char *version; /* NULL when the activity declares none */
	int ended;           /* records ended by a withdrawal */
};
int pdv_consent(struct pdv_session *s, const char *subject, const char *activity, bool grant,
                struct pdv_consent_out *out, struct pdv_error *err) PDV_WUR;

/*
 * Rectification (Art. 16): replace the given fields of a record, validated
 * as at collection, re-sealed, lookups updated. The record must belong to the
 * subject.
 */
int pdv_rectify(struct pdv_session *s, const char *subject, const char *record,
                const struct pdv_input_field *fields, size_t n, struct pdv_error *err) PDV_WUR;

/*
 * API tokens for a named person with a role: 256 random bits shown once
 * ("pdv_" and 43 URL-safe characters), stored as a hash. expires_at 0: never.
 */
#define PDV_TOKEN_MAX 64
int pdv_token_create(struct pdv_session *s, const char *role, const char *name,
                     pdv_time_t expires_at, char ret_token[PDV_TOKEN_MAX],
                     struct pdv_error *err) PDV_WUR;
int pdv_token_revoke(struct pdv_session *s, const char *name, struct pdv_error *err) PDV_WUR;
/* a token of scope "metrics": it reads /metrics and nothing else, and has no
 * role (it sees no record) */
int pdv_token_create_metrics(struct pdv_session *s, const char *name, pdv_time_t expires_at,
                             char ret_token[PDV_TOKEN_MAX], struct pdv_error *err) PDV_WUR;
/* a token of scope "calendar": it reads GET /v1/calendar.ics (due dates,
 * references and kinds; no personal data) and nothing else, and has no role */
int pdv_token_create_calendar(struct pdv_session *s, const char *name, pdv_time_t expires_at,
                              char ret_token[PDV_TOKEN_MAX], struct pdv_error *err) PDV_WUR;

/* what `token list` shows of a token: never the secret nor its hash */
struct pdv_token_info {
	const char *name;
	const char *role;  /* "" for a metrics token */
	const char *scope; /* "all" or "metrics" */
	pdv_time_t created_at;
	pdv_time_t expires_at; /* 0: never */
	pdv_time_t revoked_at; /* 0: in force */
	pdv_time_t used_at;    /* 0: never; to the minute (written at most once a minute) */
};
typedef int (*pdv_token_info_cb)(void *ctx, const struct pdv_token_info *t);
int pdv_token_list(struct pdv_session *s, pdv_token_info_cb cb, void *ctx,
                   struct pdv_error *err) PDV_WUR;

/*
 * Staff accounts for the back office (staff.c; docs/internals/auth.md).
 *
 * An account is a name and a role (a declared role, as a token's) and an
 * email address kept sealed. `staff add` makes it with an invitation: a
 * random token shown once (the link's), stored as a keyed hash, valid
 * PDV_STAFF_INVITE_TTL. Using it the person chooses a passphrase (at least
 * PDV_STAFF_PASS_MIN characters, kept as an Argon2id string) and enrols a
 * TOTP authenticator (the secret sealed at rest), and receives
 * PDV_STAFF_RECOVERY one-time recovery codes (kept as keyed hashes).
 *
 * Sign-in is name, passphrase and a code (TOTP, each step usable once, or a
 * recovery code, each usable once). The passphrase check is slow (Argon2id)
 * and runs off the vault's commit path: pdv_staff_signin_hash reads the hash
 * (a dummy one for an unknown name), the caller verifies it on a thread of
 * its own (pdv_staff_passphrase_verify, no session), and pdv_staff_signin
 * takes the outcome, checks the code and the lock, and opens the session.
 * Every refusal is the same PDV_E_REFUSED "unauthorized", whether the name
 * exists, the account is locked (PDV_STAFF_LOCK_FAILURES failures in a row
 * lock it for PDV_STAFF_LOCK_SECONDS) or a part was wrong.
 *
 * A session is a random id (the cookie) stored as a keyed hash, with a CSRF
 * token derived from it (a keyed hash: bound to the session, never stored);
 * it ends after PDV_STAFF_IDLE without use or PDV_STAFF_ABSOLUTE after
 * sign-in, at sign-out, sign-out everywhere, reset and removal.
 */
#define PDV_STAFF_PASS_MIN 12
#define PDV_STAFF_PASS_MAX 1024
#define PDV_STAFF_RECOVERY 10
#define PDV_STAFF_LOCK_FAILURES 10
#define PDV_STAFF_LOCK_SECONDS (15 * 60)
#define PDV_STAFF_IDLE (30 * 60)
#define PDV_STAFF_ABSOLUTE (12 * 3600)
#define PDV_STAFF_INVITE_TTL (7 * 86400)
#define PDV_STAFF_SECRET_MAX 48 /* an invitation, a session id, a CSRF token */
#define PDV_STAFF_HASH_MAX 128  /* an Argon2id string */
#define PDV_STAFF_CODE_MAX 16   /* a recovery code, "xxxx-xxxx-xxxx" */

int pdv_staff_add(struct pdv_session *s, const char *name, const char *role, const char *email,
                  char ret_invite[PDV_STAFF_SECRET_MAX], struct pdv_error *err) PDV_WUR;
/* a new invitation; the passphrase, TOTP and recovery codes void, sessions ended */
int pdv_staff_reset(struct pdv_session *s, const char *name, char ret_invite[PDV_STAFF_SECRET_MAX],
                    struct pdv_error *err) PDV_WUR;
/* the account and its sessions; PDV_E_NOTFOUND */
int pdv_staff_remove(struct pdv_session *s, const char *name, struct pdv_error *err) PDV_WUR;
struct pdv_staff_info {
	const char *name;
	const char *role;
	pdv_time_t created_at;
	bool enrolled;             /* a passphrase and TOTP are set */
	pdv_time_t invite_expires; /* an invitation waiting: until then; else 0 */
	pdv_time_t locked_until;   /* 0 or past: not locked */
};
typedef int (*pdv_staff_info_cb)(void *ctx, const struct pdv_staff_info *a);
int pdv_staff_list(struct pdv_session *s, pdv_staff_info_cb cb, void *ctx,
                   struct pdv_error *err) PDV_WUR;

/* enrolment: start shows the TOTP secret (the same until finished); finish
 * takes the passphrase's hash (pdv_staff_passphrase_hash, made off the
 * commit path) and a code of the authenticator, and returns the recovery
 * codes, shown once. PDV_E_REFUSED "unauthorized" for an unknown or expired
 * invitation; a wrong code is PDV_E_INVAL on the field "code". */
struct pdv_enrolment {
	char name[72];
	char role[72];
	char secret[40];   /* base32, for typing into an app */
	char uri[256];     /* otpauth://totp/... */
	struct pdv_buf qr; /* the URI as an SVG QR code (secret memory) */
};
void pdv_enrolment_release(struct pdv_enrolment *e);
int pdv_staff_enrol_start(struct pdv_session *s, const char *invite, struct pdv_enrolment *ret,
                          struct pdv_error *err) PDV_WUR;
int pdv_staff_enrol_finish(struct pdv_session *s, const char *invite, const char *pass_hash,
                           const char *code, char ret_codes[PDV_STAFF_RECOVERY][PDV_STAFF_CODE_MAX],
                           struct pdv_error *err) PDV_WUR;

/* any thread, no session (slow: Argon2id). hash: PDV_E_INVAL on the field
 * "passphrase" when shorter than PDV_STAFF_PASS_MIN characters */
int pdv_staff_passphrase_hash(const char *pass, size_t len, char ret[PDV_STAFF_HASH_MAX],
                              struct pdv_error *err) PDV_WUR;
bool pdv_staff_passphrase_verify(const char *hash, const char *pass, size_t len);

struct pdv_signin {
	char session[PDV_STAFF_SECRET_MAX]; /* the cookie's value */
	char csrf[PDV_STAFF_SECRET_MAX];    /* X-CSRF-Token */
	struct pdv_staff staff;
	pdv_time_t expires; /* the absolute end */
};
/* the hash to check a passphrase against: the account's, or a dummy one */
int pdv_staff_signin_hash(struct pdv_session *s, const char *name, char ret[PDV_STAFF_HASH_MAX],
                          struct pdv_error *err) PDV_WUR;
int pdv_staff_signin(struct pdv_session *s, const char *name, bool passphrase_ok, const char *code,
                     struct pdv_signin *ret, struct pdv_error *err) PDV_WUR;
/* a session cookie: the account. csrf NULL: not checked (a read); else it
 * must be the session's (PDV_E_REFUSED with the code "csrf") */
int pdv_staff_session_check(struct pdv_session *s, const char *session, const char *csrf,
                            bool need_csrf, struct pdv_staff *ret, struct pdv_error *err) PDV_WUR;
/* the CSRF token of a session id (a keyed hash: nothing is read), for the
 * back office's page opened in a new tab (GET /v1/me) */
void pdv_staff_session_csrf(struct pdv_session *s, const char *session,
                            char ret[PDV_STAFF_SECRET_MAX]);
/* end this session, or (everywhere) every session of its account */
int pdv_staff_signout(struct pdv_session *s, const char *session, bool everywhere,
                      struct pdv_error *err) PDV_WUR;
/* an account by name, for an identity vouched for by the authenticating
 * proxy (--auth-header): PDV_E_REFUSED "unauthorized" when there is none */
int pdv_staff_account(struct pdv_session *s, const char *name, struct pdv_staff *ret,
                      struct pdv_error *err) PDV_WUR;

/*
 * A new master key: written to KEYFILE.new, every wrapped key (subjects,
 * index, audit, statistics) re-wrapped under it in one transaction with the
 * new key id, then KEYFILE.new renamed over KEYFILE. Data is not
 * re-encrypted. A crash before the commit leaves the old key in force (a
 * stale KEYFILE.new is removed by the next rotation); a crash after it is
 * finished by the next open, which finds the store under KEYFILE.new and
 * installs it. *ret_subjects: how many subject keys were re-wrapped.
 */
int pdv_key_rotate(struct pdv_session *s, long *ret_subjects, struct pdv_error *err) PDV_WUR;

/*
 * The sweep: every record whose next transition is due at now takes the
 * phase the retention calculus gives: archived, renewal-pending (a
 * re-confirmation is queued in the outbox), or ended (deleted, or anonymised
 * into a statistics row); a subject left with no record is crypto-shredded.
 * Records of a subject under a hold or a restriction are kept and counted as
 * held. Runs in batches of one transaction each, so a crash loses at most
 * the batch at hand and a second run finishes the work; nothing is ended
 * twice. dry_run changes nothing and reports each would-be change to `item`.
 * A record whose stored dates give no retention date in years 1..9999 (a
 * damaged or tampered store) is left as it is, counted in `damaged` and
 * reported to `item` (to "damaged") in both modes, and the sweep goes on:
 * one damaged record does not stop the retention of every other.
 */
struct pdv_sweep_counts {
	long archived, deleted, anonymised, renewals, held;
	long held_by_request; /* would move, but a request of the person's is open */
	long late;            /* moved more than a day after their due day (sweep.c) */
	long damaged;         /* left as they are: a date no retention can be computed
	                       * from (out of years 1..9999: a damaged store) */
};
typedef int (*pdv_sweep_item_cb)(void *ctx, const char *record, const char *activity,
                                 const char *from, const char *to);
typedef void (*pdv_sweep_progress_cb)(void *ctx, long done);
int pdv_sweep(struct pdv_session *s, bool dry_run, struct pdv_sweep_counts *out,
              pdv_sweep_item_cb item, pdv_sweep_progress_cb progress, void *ctx,
              struct pdv_error *err) PDV_WUR;
/*
 * One sweeper at a time among every process on the vault
 * (docs/internals/multi-server.md): the sweep lock, taken without waiting
 * (*ret_got false: another sweep holds it, and this one should do nothing),
 * held until pdv_sweep_unlock or the session's close.
 */
int pdv_sweep_lock(struct pdv_session *s, bool *ret_got, struct pdv_error *err) PDV_WUR;
void pdv_sweep_unlock(struct pdv_session *s);

/*
 * Legal holds: a reason typed by staff (sealed under the subject's key),
 * blocking ending and erasure of the subject's records until lifted.
 */
int pdv_hold_place(struct pdv_session *s, const char *subject, const char *reason,
                   char ret_hold[PDV_ID_MAX], struct pdv_error *err) PDV_WUR;
int pdv_hold_lift(struct pdv_session *s, const char *hold, struct pdv_error *err) PDV_WUR;
/* A subject's holds, in force and lifted, oldest first, each reason opened
 * (valid during the call only); the dpo's, audited "holds-read". */
struct pdv_hold_info {
	char hold[PDV_ID_MAX]; /* its shown id, what pdv_hold_lift takes */
	const char *reason;    /* UTF-8, reason_len bytes, not NUL-terminated */
	size_t reason_len;
	pdv_time_t placed_at;
	const char *placed_by;
	pdv_time_t lifted_at; /* 0: in force */
	const char *lifted_by;
};
typedef int (*pdv_hold_info_cb)(void *ctx, const struct pdv_hold_info *h);
int pdv_holds_of(struct pdv_session *s, const char *subject, pdv_hold_info_cb cb, void *ctx,
                 struct pdv_error *err) PDV_WUR;

/* Art. 18: restrict (or lift) a subject: its records are kept, unchanged. */
int pdv_restrict(struct pdv_session *s, const char *subject, bool restricted,
                 struct pdv_error *err) PDV_WUR;

/* what erase and object did, record by record: reason NULL for done */
typedef int (*pdv_rights_cb)(void *ctx, const char *record, const char *what, const char *reason);

/*
 * Art. 17: erase the subject's records (of one activity, or all). A record
 * under a hold, or of a legal-obligation activity still inside its retention,
 * is kept and reported with the reason ("kept"); the others are deleted
 * ("erased"). A subject left with no record is crypto-shredded.
 */
int pdv_erase(struct pdv_session *s, const char *subject, const char *activity, pdv_rights_cb cb,
              void *ctx, struct pdv_error *err) PDV_WUR;
/*
 * What pdv_erase would do to each of the subject's records, changing
 * nothing: erased (and each recipient of decl told, Art. 19), or kept with
 * why: "hold" (Art. 17(3)(e), legal claims) or "legal-obligation" (Art.
 * 17(3)(b), kept_until the end of that retention when known).
 */
struct pdv_erase_item {
	const char *record;   /* shown id */
	const char *activity; /* its id */
	const char *what;     /* erased | kept */
	const char *why;      /* kept: hold | legal-obligation; else NULL */
	const char *reason;   /* kept: in words (English, the command line's) */
	pdv_time_t kept_until;
	const struct pdv_activity *decl; /* as declared (its recipients), or NULL */
};
typedef int (*pdv_erase_item_cb)(void *ctx, const struct pdv_erase_item *it);
int pdv_erase_preview(struct pdv_session *s, const char *subject, pdv_erase_item_cb cb, void *ctx,
                      struct pdv_error *err) PDV_WUR;
/* the same for an open erasure request (the dpo's), audited
 * "request-preview"; a request of no person known previews nothing
 * (*ret_subject ""); PDV_E_INVAL (field "request") for another kind */
int pdv_request_preview(struct pdv_session *s, const char *request, char ret_subject[PDV_ID_MAX],
                        pdv_erase_item_cb cb, void *ctx, struct pdv_error *err) PDV_WUR;

/*
 * Art. 21. Without activity: every record of an activity whose uses are
 * marketing is ended ("ended") and the subject's email and phone go on the
 * suppression list for rights.suppression (3 years by default). With
 * activity: that activity's records are restricted ("restricted") until a
 * request decides.
 */
int pdv_object(struct pdv_session *s, const char *subject, const char *activity, pdv_rights_cb cb,
               void *ctx, struct pdv_error *err) PDV_WUR;

/*
 * Backups. pdv_vault_backup writes an online copy of the store (mode 0600;
 * refuses an existing file). pdv_vault_restore checks a backup (readable,
 * made under this master key), replays on it every erasure of the erasure
 * journal made after it (so an erased person never comes back), then puts it
 * in place of the store and sets the audit head to it. *ret_replayed: how
 * many erasures were replayed. journals: the erasure journals of the other
 * servers of the vault (n_journals, each read whole before anything is
 * restored); their lines and the vault's own journal's are merged by
 * sequence number, and two journals naming one number differently refuse
 * the restore (docs/internals/multi-server.md).
 */
int pdv_vault_backup(struct pdv_session *s, const char *path, struct pdv_error *err) PDV_WUR;
/* the bytes the store takes on disk, its side files included (/metrics) */
int pdv_vault_store_bytes(struct pdv_session *s, int64_t *ret, struct pdv_error *err) PDV_WUR;
/* the store URL when none is given (--db, PDVAULT_DB) */
const char *pdv_vault_default_db(void);
/*
 * pdvault migrate --to URL (docs/internals/multi-server.md): the vault of s
 * copied to a new store at to_url (either backend), table by table through
 * the store's backend-neutral copy, after its audit chain is verified and
 * no server is found on it; the rows of every table counted on both sides;
 * then the copy, opened as the vault, verified and given a "migrate" entry
 * (the head file moves there, so the source refuses writes from then on,
 * and verify, with PDV_E_MOVED naming the copy: the move is recorded in
 * KEYFILE.migrations first). The source is never written. Any failure
 * removes the copy and the move recorded. progress (NULL: none) every 10,000 rows and
 * at each table's end. ret->rows: each table's rows (pdv_migrate_tables
 * names them), ret->entries: the copy's audit entries.
 */
#define PDV_MIGRATE_TABLES_MAX 32
struct pdv_migrate_report {
	int64_t rows[PDV_MIGRATE_TABLES_MAX];
	int64_t entries;
};
typedef void (*pdv_migrate_progress_cb)(void *ctx, const char *table, int64_t done, int64_t total);
/* the tables a migrate copies, in ret->rows's order (n: how many) */
const char *const *pdv_migrate_tables(size_t *n);
int pdv_vault_migrate(struct pdv_session *s, const char *to_url, pdv_migrate_progress_cb progress,
                      void *ctx, struct pdv_migrate_report *ret, struct pdv_error *err) PDV_WUR;

int pdv_vault_restore(const struct pdv_vault_opts *o, const char *path, const char *const *journals,
                      size_t n_journals, long *ret_replayed, struct pdv_error *err) PDV_WUR;

/*
 * Rights requests (Art. 12(3)). received: "YYYY-MM-DD" in the controller's
 * calendar, or NULL for today there; never in the future. due = received +
 * rights.response (1 month by default) by Reg. 1182/71, moved to the next
 * working day of controller.country. The subject is given by id, or found
 * by email (a request from an unknown address is logged without one); the
 * address is kept sealed, for the status page's code.
 *
 * Every request has a reference (pdv/reference.h), random and unique, for
 * the person: the privacy center shows it, the status page asks for it.
 * Wherever a request is named (get, extend, close...), its id or its
 * reference does, read forgivingly; a reference whose check character does
 * not match is PDV_E_INVAL (field "request"), never another request.
 */
struct pdv_request_info {
	char request[PDV_ID_MAX];
	char reference[PDV_REFERENCE_MAX];
	const char *kind;
	const char *status; /* open | done | refused */
	char received[11];
	char due[11];
	bool overdue;
	char subject[PDV_ID_MAX];     /* "" when none is known, or it was erased */
	char channel[32];             /* how it came: cli, api, web, email... */
	bool extended;                /* the Art. 12(3) extension was taken */
	bool has_address;             /* it came with an address (read by get, not by list):
	                               * an access answer goes there as a download link */
	bool nothing_held;            /* close: done for an address the vault holds nothing
	                               * of, answered so (outbox kind nothing-held, Art. 15(1)) */
	char certificate[PDV_ID_MAX]; /* close of an erasure: its deletion certificate */
};
/* lang: the language of the messages to the address (fr | en; NULL: the
 * declaration's first); with an email, the acknowledgement and its due
 * date are queued to it in the same transaction, as the extension notice is
 * by pdv_request_extend and the refusal (Art. 12(4)) by pdv_request_close */
int pdv_request_open(struct pdv_session *s, const char *kind, const char *subject,
                     const char *email, const char *received, const char *channel, const char *lang,
                     struct pdv_request_info *out, struct pdv_error *err) PDV_WUR;
/* the same, with what a rectification asks (asked: a JSON object of field
 * names and new values, sealed; PDV_E_INVAL field "rectify" for another kind) */
int pdv_request_open_asking(struct pdv_session *s, const char *kind, const char *subject,
                            const char *email, const char *received, const char *channel,
                            const char *lang, const char *asked, struct pdv_request_info *out,
                            struct pdv_error *err) PDV_WUR;
/* is kind one of the request kinds (access, rectification, erasure...)? */
bool pdv_request_kind_known(const char *kind);
typedef int (*pdv_request_cb)(void *ctx, const struct pdv_request_info *r);
/* which: NULL all, "open", "overdue" (open and today > due) */
int pdv_request_list(struct pdv_session *s, const char *which, pdv_request_cb cb, void *ctx,
                     struct pdv_error *err) PDV_WUR;
int pdv_request_get(struct pdv_session *s, const char *request, struct pdv_request_info *out,
                    struct pdv_error *err) PDV_WUR;
/*
 * A copy of an identity document sent with a request: sealed (the
 * statistics key, bound to the request), never shown, destroyed by the sweep
 * once rights.id_document.retention has run (at the close when none is
 * declared).
 */
#define PDV_ID_DOCUMENT_MAX (10 * 1024 * 1024)
int pdv_request_attach_id_document(struct pdv_session *s, const char *request, const void *doc,
                                   size_t len, struct pdv_error *err) PDV_WUR;
/* destroy the identity documents whose retention has run; *ret_destroyed */
int pdv_id_documents_sweep(struct pdv_session *s, bool dry_run, long *ret_destroyed,
                           struct pdv_error *err) PDV_WUR;
/* the extension: with a reason, once, while today <= the first due date */
int pdv_request_extend(struct pdv_session *s, const char *request, const char *reason,
                       struct pdv_request_info *out, struct pdv_error *err) PDV_WUR;
/*
 * The request as the DPO works it. Its sealed parts open for the dpo (and
 * the command line) alone, each opening audited ("request-read", the
 * request's id, never the text):
 * - pdv_request_private_open: who asked (the address it came from) and what
 *   a rectification asks (JSON); both NULL when none. Release with
 *   pdv_request_private_release.
 * - pdv_request_note: a private note (sealed, bound to the request); the log
 *   says "request-note", by whom, never what.
 * - pdv_request_timeline: received, extended (with its reason), each message
 *   the request queued (acknowledgement, extension, refusal, nothing-held,
 *   access-answer, the Art. 19 notices), notes, done or refused (with the
 *   reason), in time order. text is NULL for a role other than the dpo.
 */
struct pdv_request_private {
	char *requester; /* sodium memory */
	char *asked;     /* sodium memory: a JSON object */
};
int pdv_request_private_open(struct pdv_session *s, const char *request,
                             struct pdv_request_private *ret, struct pdv_error *err) PDV_WUR;
void pdv_request_private_release(struct pdv_request_private *p);
int pdv_request_note(struct pdv_session *s, const char *request, const char *text,
                     struct pdv_error *err) PDV_WUR;
struct pdv_request_event {
	const char *what;      /* received, extended, message, note, done, refused */
	pdv_time_t at;         /* 0 when only the day is known (received, or an
	                        * extension made before this version) */
	char day[11];          /* the controller's day, "" when unknown */
	const char *kind;      /* a message's outbox kind */
	const char *status;    /* a message's: queued, sending, sent, failed */
	const char *recipient; /* an Art. 19 notice's recipient id */
	const char *author;    /* a note's */
	const char *text;      /* a note, a reason; NULL unless the dpo */
};
typedef int (*pdv_request_event_cb)(void *ctx, const struct pdv_request_event *e);
int pdv_request_timeline(struct pdv_session *s, const char *request, pdv_request_event_cb cb,
                         void *ctx, struct pdv_error *err) PDV_WUR;
/* close: done performs erasure, restriction, objection, withdraw-consent;
 * refuse needs a reason (sealed) */
int pdv_request_close(struct pdv_session *s, const char *request, bool refuse, const char *reason,
                      struct pdv_request_info *out, struct pdv_error *err) PDV_WUR;

/*
 * The status page (Art. 12(3)-(4)): the person follows their request with
 * its reference and a code sent to the address the request came from.
 *
 * pdv_status_start reads the reference (PDV_E_INVAL, field "reference",
 * when it is not one or its check character does not match) and starts an
 * identity check of purpose "status" bound to the request: the code goes
 * through the outbox as every code does (kind "verification"). A reference
 * of no request, of a request without an address, or when !send (over a
 * limit), starts a check just the same that nothing is sent for and no code
 * opens: the answer is the same, so no one learns which references exist.
 * pdv_reference_index is what a limit per reference counts by.
 *
 * pdv_status_read, on a check of purpose "status" that passed: the request
 * as the person may see it, with the reasons staff gave (sealed in the
 * store) opened for them; the read is audited ("request-status-read").
 * PDV_E_NOTFOUND for a check that names no request (or no longer one).
 */
int pdv_reference_index(struct pdv_session *s, const char *reference, uint8_t ret[32],
                        struct pdv_error *err) PDV_WUR;
int pdv_status_start(struct pdv_session *s, const char *reference, bool send,
                     char ret_id[PDV_ID_MAX], pdv_time_t *ret_expires,
                     struct pdv_error *err) PDV_WUR;
#define PDV_DOWNLOAD_TTL (7 * 86400)
#define PDV_DOWNLOAD_TOKEN_MAX 48
struct pdv_request_status {
	struct pdv_request_info info;
	char closed[11];        /* the day it was answered or refused; "" while open */
	char *extension_reason; /* sodium memory, NULL when none */
	char *reason;           /* the closing reason (a refusal's), NULL when none */
	char download[PDV_DOWNLOAD_TOKEN_MAX]; /* the answer's link token while valid, else "" */
	pdv_time_t download_expires;
};
struct pdv_verified;
int pdv_status_read(struct pdv_session *s, const struct pdv_verified *ok,
                    struct pdv_request_status *ret, struct pdv_error *err) PDV_WUR;
void pdv_request_status_release(struct pdv_request_status *st);

/*
 * The answer to an access or portability request with an address: closing it
 * makes the export (as `pdvault export` does), keeps it sealed, and queues a
 * link to the address (outbox kind access-answer). The link is valid
 * PDV_DOWNLOAD_TTL and works once; it asks again for a code sent to the
 * request's address:
 *  - pdv_download_start(token, send): state OK and a check whose code goes to
 *    the address (send false: nowhere); or UNKNOWN, USED, EXPIRED (no code);
 *  - pdv_download_take(the passed check): the export into out, the download
 *    used up (its export and token destroyed) in the same transaction,
 *    audited (request-download); or USED, EXPIRED;
 *  - pdv_download_link(request row id): the token while the link is valid,
 *    "" otherwise, for the status page.
 */
enum pdv_download_state {
	PDV_DOWNLOAD_OK,
	PDV_DOWNLOAD_UNKNOWN,
	PDV_DOWNLOAD_USED,
	PDV_DOWNLOAD_EXPIRED,
};
int pdv_download_start(struct pdv_session *s, const char *token, bool send,
                       enum pdv_download_state *ret_state, char ret_check[PDV_ID_MAX],
                       pdv_time_t *ret_expires, struct pdv_error *err) PDV_WUR;
/* the key the server counts a link's codes under (--verify-per-email): send
 * false when it is over, and the check's code goes nowhere */
void pdv_download_index(struct pdv_session *s, const char *token, uint8_t ret[32]);
int pdv_download_take(struct pdv_session *s, const struct pdv_verified *ok,
                      enum pdv_download_state *ret_state, struct pdv_buf *out,
                      struct pdv_error *err) PDV_WUR;
int pdv_download_link(struct pdv_session *s, int64_t request_id, char ret[PDV_DOWNLOAD_TOKEN_MAX],
                      pdv_time_t *ret_expires, struct pdv_error *err) PDV_WUR;

/*
 * The retention re-confirmation (`renew: {wait, silence}`): the renewal
 * message's link, used from the privacy center's one-button page. confirm
 * false only looks (the page's GET changes nothing); true records `renewed`
 * on the record (audited as any event), restarting its active phase as
 * declared, and uses the link up. State: OK (valid, or now used), UNKNOWN
 * (no such link), USED (used before), EXPIRED (past the end of `wait`, or
 * the record ended or no longer awaits renewal). The page is written in
 * ret_lang, the person's language when the link is valid.
 */
#define PDV_RENEWAL_TOKEN_MAX 48
enum pdv_renewal_state {
	PDV_RENEWAL_OK,
	PDV_RENEWAL_UNKNOWN,
	PDV_RENEWAL_USED,
	PDV_RENEWAL_EXPIRED,
};
int pdv_renewal_use(struct pdv_session *s, const char *token, bool confirm,
                    enum pdv_renewal_state *ret_state, char ret_lang[3],
                    struct pdv_error *err) PDV_WUR; /* ret_lang: the person's, or "" */

/*
 * The breach register (Art. 33(5)) and its clock: the authority is due
 * awareness + 72 hours, exactly. The risk, once assessed, says who must be
 * told: "unlikely" no one, "risk" the authority, "high" the people too;
 * unassessed, the authority. Texts typed by staff (summary, reasons, the
 * Art. 33(3) items, the authority's reference) may name people: they are
 * sealed, and listing them is an audited read. A notification ("authority"
 * or "subjects") is recorded once, at the time it was made (now unless
 * given; never in the future, never before awareness); the authority told
 * after its deadline is marked late and needs the reasons for the delay
 * (Art. 33(1)).
 */
#define PDV_BREACH_SUMMARY_MAX (64 * 1024)
#define PDV_BREACH_REFERENCE_MAX 128
struct pdv_breach_info {
	char breach[PDV_ID_MAX];
	pdv_time_t aware_at;
	pdv_time_t recorded_at; /* 0: recorded before this version */
	pdv_time_t assessed_at; /* the last assessment; 0: none (or before this version) */
	pdv_time_t authority_due;
	pdv_time_t authority_notified; /* 0: not yet */
	pdv_time_t subjects_notified;  /* 0: not yet */
	const char *risk;              /* unassessed, unlikely, risk, high */
	bool authority_required;       /* not assessed unlikely */
	bool subjects_required;        /* assessed high */
	bool overdue;                  /* required, not told, and now > authority_due */
	bool late;                     /* the authority told after authority_due */
	bool people_to_tell;           /* assessed high, the people not told yet */
	int64_t people_count;          /* Art. 33(3)(a), approximate; -1: not given */
	int64_t records_count;         /* -1: not given */
	int64_t subjects_notices;      /* Art. 34 notices queued; -1: told otherwise */
	int64_t subjects_unreachable;  /* -1: told otherwise */
	/* the DPO's or the contact point's email (Art. 33(3)(b)), from the
	 * declaration; NULL when it has neither */
	const char *contact;
	/* pdv_breach_list and pdv_breach_show with texts (NULL when none); wiped
	 * after the callback */
	const char *summary;
	const char *risk_reason;
	const char *late_reason;
	const char *nature;
	const char *categories;
	const char *consequences;
	const char *measures;
	const char *authority_reference;
};
/* risk and risk_reason: both, or neither (not assessed yet) */
int pdv_breach_open(struct pdv_session *s, pdv_time_t aware_at, const char *summary,
                    const char *risk, const char *risk_reason, struct pdv_breach_info *out,
                    struct pdv_error *err) PDV_WUR;
int pdv_breach_assess(struct pdv_session *s, const char *breach, const char *risk,
                      const char *reason, struct pdv_breach_info *out,
                      struct pdv_error *err) PDV_WUR;
/*
 * at: when it was done (0: now); refused in the future or before awareness.
 * reference: the authority's for the notification (NULL: none; "subjects"
 * takes none). late_reason: required when the authority is told after its
 * deadline (Art. 33(1)).
 */
int pdv_breach_notify(struct pdv_session *s, const char *breach, const char *who, pdv_time_t at,
                      const char *reference, const char *late_reason, struct pdv_breach_info *out,
                      struct pdv_error *err) PDV_WUR;
/*
 * The Art. 33(3) items, sealed like the summary (Art. 34(2) puts (b) to (d)
 * in the notice to the people): (a) the nature, the categories of people and
 * of records and their approximate numbers; (c) the likely consequences; (d)
 * the measures taken or proposed. A NULL text or a count of -1 is left as it
 * is; at least one is given. Audited (breach-describe).
 */
struct pdv_breach_description {
	const char *nature, *categories, *consequences, *measures;
	int64_t people, records; /* -1: left as it is */
};
int pdv_breach_describe(struct pdv_session *s, const char *breach,
                        const struct pdv_breach_description *d, struct pdv_breach_info *out,
                        struct pdv_error *err) PDV_WUR;
/*
 * Art. 34: tell the people of the named activities, each subject once, by
 * email to the address of one of their records, in their language (outbox
 * kind breach-notice): the nature (the summary), the DPO's or the contact
 * point's details, the likely consequences and the measures. Only for a
 * breach assessed high; refused (naming the field) when a text the law
 * requires is missing, when the people were told already, or when the
 * declaration gives no contact. Records the people as told at now.
 * Erased people have no record left: no notice. Restricted people are told
 * (the notice protects them; nothing else of theirs is processed).
 */
struct pdv_breach_people {
	size_t queued;      /* notices queued, one a person */
	size_t unreachable; /* people whose records of those activities have no email field */
};
int pdv_breach_notify_people(struct pdv_session *s, const char *breach,
                             const char *const *activities, size_t n_act,
                             struct pdv_breach_info *out, struct pdv_breach_people *ret_people,
                             struct pdv_error *err) PDV_WUR;
/* with texts: opened, and the read audited; without: the clocks alone (a
 * dashboard's counts), nothing opened */
typedef int (*pdv_breach_cb)(void *ctx, const struct pdv_breach_info *b);
int pdv_breach_list(struct pdv_session *s, bool texts, pdv_breach_cb cb, void *ctx,
                    struct pdv_error *err) PDV_WUR;
/* one breach with its texts, for its page and timeline: an audited read
 * (breach-read); PDV_E_NOTFOUND naming "breach" */
int pdv_breach_show(struct pdv_session *s, const char *breach, pdv_breach_cb cb, void *ctx,
                    struct pdv_error *err) PDV_WUR;

/*
 * Art. 15 / Art. 20: every record of a subject, decrypted, with its
 * activity as declared, for an export document; audited as "export".
 * portable: only records of consent or contract activities (what the person
 * provided under Art. 20(1)).
 */
int pdv_export(struct pdv_session *s, const char *subject, bool portable, pdv_show_cb cb, void *ctx,
               struct pdv_error *err) PDV_WUR;

/*
 * The export document of a subject, rendered in fmt (json, csv, html) and
 * lang (NULL: the person's language when their submissions gave one, else
 * the controller's first language) into out, which the caller wipes: it
 * holds personal data.
 */
#define PDV_EXPORT_MAX ((size_t)256 * 1024 * 1024)
int pdv_export_document(struct pdv_session *s, const char *subject, enum pdv_format fmt,
                        bool portable, const char *lang, struct pdv_buf *out,
                        struct pdv_error *err) PDV_WUR;

/*
 * Statistics over an activity's active records and anonymised rows: the
 * count of each value of `field`; a value held by fewer than
 * PDV_STATS_MIN_CELL people is not shown, only counted in *ret_suppressed.
 */
#define PDV_STATS_MIN_CELL 5
typedef int (*pdv_stats_cb)(void *ctx, const char *value, size_t len, long count);
int pdv_stats(struct pdv_session *s, const char *activity, const char *field, pdv_stats_cb cb,
              void *ctx, long *ret_total, long *ret_suppressed, struct pdv_error *err) PDV_WUR;

/*
 * The outbox: messages queued (codes, re-confirmations, Art. 19 notices) and
 * their delivery (outbox.c). A message is queued | sending | sent | failed;
 * last_error is a code ("smtp-451", "http-500", "timeout", "no-address"),
 * never a value. A sent message keeps its kind, recipient kind, times and
 * attempts; its payload is gone.
 */
struct pdv_outbox_item {
	int64_t id;
	const char *kind;
	const char *recipient; /* a recipient's id, a check's id, NULL: the subject */
	const char *record;    /* the shown id of the record named, NULL when none or gone */
	const char *message_id;
	const char *status;
	const char *last_error; /* NULL: none */
	int attempts;
	pdv_time_t created_at, sent_at, next_at; /* sent_at 0: not sent */
};
typedef int (*pdv_outbox_cb)(void *ctx, const struct pdv_outbox_item *m);
int pdv_outbox_list(struct pdv_session *s, pdv_outbox_cb cb, void *ctx,
                    struct pdv_error *err) PDV_WUR;

/* a failed message queued again, due now, its attempts back to 0 (audited);
 * PDV_E_NOTFOUND when id names no failed message */
int pdv_outbox_retry(struct pdv_session *s, int64_t id, struct pdv_error *err) PDV_WUR;
/* who a message of this kind goes to: "person" (a code, a request's
 * message, a re-confirmation), "recipient" (an Art. 19 notice), "dpo" (the
 * digest, a breach alert), "staff" (an invitation to the back office) */
const char *pdv_outbox_recipient_kind(const char *kind);

/*
 * The Art. 19 notices a request's close queued (an erasure, a restriction):
 * one per recipient of each activity, with where it goes (the declaration's
 * recipient: "webhook", "email", or "none") and how its delivery went. For
 * the roles that may see the request (PDV_E_NOTFOUND otherwise). Nothing
 * personal: the recipient's id and name, codes and times.
 */
struct pdv_notice_info {
	int64_t id;            /* the outbox message (what pdv_outbox_retry takes) */
	const char *kind;      /* rectification | erasure | restriction */
	const char *recipient; /* the declaration's recipient id */
	const char *name;      /* its name in lang, or its id */
	const char *channel;   /* webhook | email | none */
	const char *status;    /* queued | sending | sent | failed */
	int attempts;
	const char *last_error; /* NULL: none */
	pdv_time_t created_at, sent_at, next_at;
};
typedef int (*pdv_notice_cb)(void *ctx, const struct pdv_notice_info *n);
int pdv_request_notices(struct pdv_session *s, const char *request, const char *lang,
                        pdv_notice_cb cb, void *ctx, struct pdv_error *err) PDV_WUR;

/*
 * The DPO's reminders, queued in the outbox once each however many workers
 * run them (a key per message: migration 0011), for the courier to send to
 * the declaration's dpo email (else the controller's):
 *  - "dpo-digest": once a day, from digest_hour (0-23) in the controller's
 *    time (pdv_controller_offset: the country's, else UTC), the open
 *    requests due within 7 days and the overdue ones (reference, kind, due
 *    date; no personal data); no digest on a day with none to list;
 *  - "dpo-breach-alert": for a breach the authority must still be told of
 *    (Art. 33(1): not notified, not assessed unlikely), when it is recorded,
 *    with 48 h left, with 24 h left and once the 72 hours have passed; a
 *    worker that first sees a breach late queues its latest stage only.
 * *ret_queued: how many this call queued.
 */
int pdv_dpo_reminders(struct pdv_session *s, int digest_hour, long *ret_queued,
                      struct pdv_error *err) PDV_WUR;

/* how a message goes out */
enum pdv_outbound_channel {
	PDV_OUTBOUND_EMAIL,
	PDV_OUTBOUND_WEBHOOK,
	PDV_OUTBOUND_NONE, /* nowhere to send it (a recipient with neither address) */
};

/*
 * A claimed message, opened for the worker that sends it. Everything personal
 * (the address, the code) is in sodium memory, wiped by
 * pdv_outbound_release. kind is the outbox kind ("verification",
 * "confirmation", "renewal", "rectification", "erasure", "restriction",
 * "acknowledgement", "extension", "refusal").
 */
#define PDV_OUTBOUND_SECRET_MAX 64
struct pdv_outbound {
	int64_t id;
	char message_id[40];
	char kind[24];
	char lang[8];
	int attempts; /* this one included */
	pdv_time_t created_at;
	enum pdv_outbound_channel channel;
	char *to;               /* sodium memory: the email address or the webhook URL */
	char *code;             /* sodium memory: verification, confirmation; else NULL */
	char check[PDV_ID_MAX]; /* verification, confirmation: the check's shown id
	                         * (what /v1/verify and /v1/confirm take), else "" */
	uint8_t *secret;        /* sodium memory: the recipient's webhook secret */
	size_t secret_len;
	char recipient[128];               /* Art. 19: the recipient's id */
	char record[PDV_ID_MAX];           /* Art. 19: the record's opaque (canonical) id */
	char activity[128];                /* Art. 19, renewal */
	char purpose[256];                 /* renewal: the activity's purpose */
	pdv_time_t deadline;               /* renewal: when silence ends the record (0: unknown) */
	char unsubscribe[PDV_ID_MAX + 16]; /* renewal of a consent-based activity: the
	                                    * one-click token (PDV_LINK_MAX), else "" */
	char why_not[24];                  /* PDV_OUTBOUND_NONE: the error code to record */
	/* acknowledgement, extension, refusal: the request they are about */
	char reference[PDV_REFERENCE_MAX];
	char request_kind[32]; /* access, erasure... */
	char received[11], due[11];
	char *reasons; /* sodium memory: the extension's or the refusal's; else NULL */
	char *nature, *consequences, *measures; /* sodium memory: breach-notice's texts */
	char token[48];     /* access-answer: the download link's token; renewal:
	                     * the re-confirmation link's ("" before 0010) */
	pdv_time_t expires; /* access-answer: when the link ends */
	/* dpo-digest: the lines "REFERENCE KIND DUE DAYS_LEFT" (negative: overdue)
	 * of its day, in sodium memory; dpo-breach-alert: the breach */
	char *digest;
	char breach[PDV_ID_MAX];
	pdv_time_t aware_at, authority_due;
	/* staff-invitation: the account (the link's token is in token) */
	char staff_name[72];
	char staff_role[72];
	/* erasure-answer: the deletion certificate's envelope (malloc'ed; no
	 * personal value in it), attached */
	char *attachment;
	size_t attachment_len;
};
void pdv_outbound_release(struct pdv_outbound *m);

/*
 * Claim the next message due at the session's now, in a write transaction,
 * leased to owner for lease seconds (a worker killed mid-send leaves a lease
 * that expires: the message is claimed again, at least once, never lost).
 * 1 with *ret filled (release it), 0 when nothing is due. A message whose
 * payload no longer opens is recorded failed ("damaged") and the next one
 * claimed. email false (no relay): only Art. 19 notices are claimed, the
 * rest wait.
 */
int pdv_outbox_claim(struct pdv_session *s, const char *owner, int lease, bool email,
                     struct pdv_outbound *ret, struct pdv_error *err) PDV_WUR;
/* The same for up to max messages in one write transaction (the courier's
 * batches: one lock taken for many messages, docs/internals/courier.md):
 * ret[0 .. *n) filled, each to release; *n == 0 when nothing is due. */
int pdv_outbox_claim_batch(struct pdv_session *s, const char *owner, int lease, bool email,
                           struct pdv_outbound *ret, size_t max, size_t *n,
                           struct pdv_error *err) PDV_WUR;

/*
 * Record the outcome of a claimed message. sent: status sent, payload
 * destroyed. Otherwise error_code says why (a code, never a value): a
 * temporary failure is queued again after backoff x 2^(attempts-1), at most
 * one hour, with +-20% jitter, until tries attempts were made; a permanent
 * failure, or the last try, makes it failed. PDV_E_NOTFOUND when the lease
 * was lost (another worker holds the message now).
 */
struct pdv_retry_policy {
	int tries;       /* 0: 8 */
	int backoff;     /* seconds, 0: 30 */
	int backoff_max; /* seconds, 0: 3600 */
};
int pdv_outbox_record(struct pdv_session *s, const struct pdv_outbound *m, const char *owner,
                      bool sent, bool permanent, const char *error_code,
                      const struct pdv_retry_policy *policy, struct pdv_error *err) PDV_WUR;
/*
 * The outcomes of a batch, in one write transaction: each as
 * pdv_outbox_record has it; UNTRIED (claimed, not sent: the worker stopping,
 * or its lease too short for another send) makes the message queued as it
 * was, its attempt not counted. An outcome whose lease was lost is skipped
 * and counted in *lost (may be NULL).
 */
/* The relay answers again (after sends that could not reach it): the email
 * messages waiting on it are due now rather than at the end of a backoff
 * that grew while it was down; *ret how many. No audit entry (the courier). */
int pdv_outbox_relay_back(struct pdv_session *s, int64_t *ret, struct pdv_error *err) PDV_WUR;

enum pdv_outcome_kind {
	PDV_OUTCOME_SENT,
	PDV_OUTCOME_TEMPORARY,
	PDV_OUTCOME_PERMANENT,
	PDV_OUTCOME_UNTRIED,
};
struct pdv_outcome {
	int64_t id;
	int attempts; /* pdv_outbound.attempts */
	enum pdv_outcome_kind what;
	char code[24]; /* TEMPORARY, PERMANENT: why, a code ("smtp-451") */
};
int pdv_outbox_record_batch(struct pdv_session *s, const char *owner, const struct pdv_outcome *o,
                            size_t n, const struct pdv_retry_policy *policy, size_t *lost,
                            struct pdv_error *err) PDV_WUR;

/*
 * A recipient's webhook secret (the HMAC key of Pdvault-Signature): 32
 * random bytes, kept sealed in the store, given back hex-encoded in ret
 * (sodium memory the caller frees with pdv_secure_free) only when it is made:
 * the first call, or rotate. An existing secret without rotate is
 * PDV_E_REFUSED ("has a secret; --rotate to replace it"). PDV_E_NOTFOUND for a
 * recipient the declaration does not have. dpo only, audited.
 */
#define PDV_RECIPIENT_SECRET_LEN 32
int pdv_recipient_secret(struct pdv_session *s, const char *recipient, bool rotate, char **ret_hex,
                         struct pdv_error *err) PDV_WUR;

/*
 * Post-mortem directives (LIL art. 85): set by the person, sealed under
 * their key; read for an heir who asks (a closed post-mortem request).
 */
#define PDV_DIRECTIVES_MAX (64 * 1024)
int pdv_directives_set(struct pdv_session *s, const char *subject, const char *text, size_t len,
                       struct pdv_error *err) PDV_WUR;
typedef int (*pdv_text_cb)(void *ctx, const char *text, size_t len);
/* PDV_E_NOTFOUND when the subject left none */
int pdv_directives_get(struct pdv_session *s, const char *subject, pdv_text_cb cb, void *ctx,
                       struct pdv_error *err) PDV_WUR;

/*
 * The public intake (the privacy center). Before anything is disclosed or a
 * request opened, a one-time code goes to the address the person gave: a
 * "verification" message in the outbox, sealed. The code comes back with the
 * check's id ('v...') within PDV_VERIFY_TTL seconds, in at most
 * PDV_VERIFY_ATTEMPTS tries. An unknown address gets a code too: the intake
 * tells no one who is in the vault. purpose: a request kind, or "consents".
 */
#define PDV_VERIFY_TTL (30 * 60)
#define PDV_VERIFY_ATTEMPTS 5
/* lang: the code's message's language (fr | en; NULL: the declaration's first) */
int pdv_verification_start(struct pdv_session *s, const char *purpose, const char *email,
                           const char *lang, char ret_id[PDV_ID_MAX], pdv_time_t *ret_expires,
                           struct pdv_error *err) PDV_WUR;
/* the blind index of an address (the keyed hash lookups use): what a limit
 * per address counts by, never the address; PDV_E_INVAL (field "email")
 * when it is not one */
int pdv_email_index(struct pdv_session *s, const char *email, uint8_t ret[32],
                    struct pdv_error *err) PDV_WUR;
/* --verify-per-email, counted in the store so that every server of the vault
 * counts the same codes (docs/internals/multi-server.md): *ret_ok true when
 * fewer than per_hour codes went to the address of blind index `index` in
 * the hour before the session's clock, and this one is recorded; false when
 * it is over, nothing recorded (then send nothing). per_hour 0: no limit. */
int pdv_verify_send_take(struct pdv_session *s, const uint8_t index[32], unsigned per_hour,
                         bool *ret_ok, struct pdv_error *err) PDV_WUR;
/* the answer of a check refused for being over a limit, in the format of
 * pdv_verification_start's: a check id never stored, nothing sent, an
 * audit entry "verification-limited" (same refusals of a bad purpose) */
int pdv_verification_decoy(struct pdv_session *s, const char *purpose, char ret_id[PDV_ID_MAX],
                           pdv_time_t *ret_expires, struct pdv_error *err) PDV_WUR;
enum pdv_verify_result { PDV_VERIFY_OK, PDV_VERIFY_WRONG, PDV_VERIFY_EXPIRED };
struct pdv_verified {
	enum pdv_verify_result result;
	char purpose[32];
	char *email;       /* when OK: the address, in sodium memory */
	int attempts_left; /* when WRONG */
	uint8_t *payload;  /* when OK, for a double opt-in: the waiting submission */
	size_t payload_len;
	char lang[3]; /* the language the check was started in, or "" */
};
/* delete expired checks and their messages (the sweep does it too) */
int pdv_intake_purge(struct pdv_session *s, struct pdv_error *err) PDV_WUR;
/* a wrong or expired code is a result, not an error (the try is counted) */
int pdv_verification_check(struct pdv_session *s, const char *id, const char *code,
                           struct pdv_verified *ret, struct pdv_error *err) PDV_WUR;
void pdv_verified_release(struct pdv_verified *r);

/*
 * Double opt-in (consent.double_opt_in): the submission is validated as
 * pdv_collect would, then kept sealed in a check (purpose "opt-in") while a
 * code goes to its email address (outbox kind "confirmation"). Nothing is
 * collected before the code comes back: pdv_verification_check gives the
 * submission back, pdv_optin_collect collects it with the consent of now.
 */
bool pdv_vault_double_opt_in(const struct pdv_vault *v, const char *activity);
int pdv_optin_start(struct pdv_session *s, const struct pdv_collect_in *in, char ret_id[PDV_ID_MAX],
                    pdv_time_t *ret_expires, struct pdv_error *err) PDV_WUR;
int pdv_optin_collect(struct pdv_session *s, const struct pdv_verified *ok,
                      struct pdv_collect_out *out, struct pdv_error *err) PDV_WUR;

/* a consent session (no struct pdv_session: a token the privacy center
 * hands out): signed, naming a subject until `expires` */
#define PDV_CONSENT_SESSION_MAX 64
int pdv_consent_session_make(struct pdv_session *s, const char *subject, pdv_time_t expires,
                             char ret[PDV_CONSENT_SESSION_MAX], struct pdv_error *err) PDV_WUR;
/* PDV_E_REFUSED (code "session") when forged or expired */
int pdv_consent_session_check(struct pdv_session *s, const char *token,
                              char ret_subject[PDV_ID_MAX], struct pdv_error *err) PDV_WUR;

/*
 * Unsubscribe links (RFC 8058 one-click): a token naming a record of a
 * consent-based activity, signed with a key of the vault, that lets the
 * person withdraw without an account. pdv_link_record reads what a token
 * names; live is false when the record has ended already (nothing left to
 * withdraw); PDV_E_REFUSED for a forged token.
 */
#define PDV_LINK_MAX 48
int pdv_link_make(struct pdv_session *s, const char *record, char ret[PDV_LINK_MAX],
                  struct pdv_error *err) PDV_WUR;
struct pdv_link_info {
	bool live;
	char record[PDV_ID_MAX];
	char subject[PDV_ID_MAX];
	char activity[128];
};
int pdv_link_record(struct pdv_session *s, const char *token, struct pdv_link_info *ret,
                    struct pdv_error *err) PDV_WUR;

/* the latest state of each consent a subject gave or withdrew (audited) */
typedef int (*pdv_consent_state_cb)(void *ctx, const char *activity, const char *state,
                                    pdv_time_t at, const char *version);
int pdv_consents_of(struct pdv_session *s, const char *subject, pdv_consent_state_cb cb, void *ctx,
                    struct pdv_error *err) PDV_WUR;

/*
 * The consent history of a subject, oldest first: every grant and withdrawal
 * of the ledger and every renewal of a consent-based record, each with its
 * proof: the channel it came through (web, web (double opt-in), cli, import;
 * for a renewal "renewal link", or the staff who recorded it, api:NAME), the
 * version of the text and the record it bound. Filtered as pdv_consents_of; audited
 * "consents-read".
 */
struct pdv_consent_event {
	const char *activity;
	const char *what; /* granted | withdrawn | renewed */
	pdv_time_t at;
	const char *version; /* NULL: none declared, or a renewal */
	const char *channel;
	char record[PDV_ID_MAX]; /* shown id; "" when the ledger names none */
};
typedef int (*pdv_consent_event_cb)(void *ctx, const struct pdv_consent_event *e);
int pdv_consent_history(struct pdv_session *s, const char *subject, pdv_consent_event_cb cb,
                        void *ctx, struct pdv_error *err) PDV_WUR;

/* records by activity and phase, those due to change before window_end
 * counted as `ending`; filtered by the vault's role */
typedef int (*pdv_summary_cb)(void *ctx, const char *activity, const char *phase, long count,
                              long ending);
int pdv_records_summary(struct pdv_session *s, pdv_time_t window_end, pdv_summary_cb cb, void *ctx,
                        struct pdv_error *err) PDV_WUR;

/* open a sealed outbox message for the operator (verification: address and
 * code), audited */
typedef int (*pdv_outbox_message_cb)(void *ctx, const char *kind, const char *to, const char *code);
int pdv_outbox_open(struct pdv_session *s, int64_t id, pdv_outbox_message_cb cb, void *ctx,
                    struct pdv_error *err) PDV_WUR;

/* The audit chain. */
#define PDV_LOSS_REASON_MAX 500
#define PDV_AUDIT_LOSSES_MAX 16
/* a loss accepted by pdv_audit_accept_loss, as verify reads it from the chain */
struct pdv_audit_loss {
	int64_t from, to; /* the entries lost; to 0: not known (no head file) */
	int64_t entry;    /* the accept-loss entry */
	pdv_time_t at;
	bool has_reason;
	char reason[PDV_LOSS_REASON_MAX + 1];
};
struct pdv_audit_report {
	bool ok;
	int64_t entries;
	int64_t first_bad; /* 0: none */
	char why[512];     /* what is wrong at first_bad */
	size_t heads;      /* head files checked: this process's and every other
	                    * server's found beside the key file (multi-server.md) */
	size_t n_losses;   /* accepted losses; the first PDV_AUDIT_LOSSES_MAX listed */
	struct pdv_audit_loss losses[PDV_AUDIT_LOSSES_MAX];
};
/* the chain checked against every head file beside the key file; ret
 * filled even when it does not verify. PDV_E_MOVED (no report) when the
 * chain is whole but the store is one a migrate left: not the vault. */
int pdv_audit_verify(struct pdv_session *s, struct pdv_audit_report *ret,
                     struct pdv_error *err) PDV_WUR;

struct pdv_audit_entry {
	int64_t seq;
	pdv_time_t at;
	const char *actor, *action, *subject, *record, *activity, *purpose, *detail;
};
typedef int (*pdv_audit_entry_cb)(void *ctx, const struct pdv_audit_entry *e);

/*
 * The way out after a real loss: when the log no longer reaches the head
 * file (entries cut off its end, or the head file missing), append an
 * "accept-loss" entry naming the range lost, numbered after it and chained
 * from the last entry kept, and move the head to it; writes resume, and
 * verify keeps reporting the range. The reason (staff free text) is kept
 * sealed. PDV_E_REFUSED when the log reaches its head; PDV_E_INTEGRITY when
 * its entries are there but do not chain (altered, not lost); PDV_E_MOVED
 * when the store is one a migrate left (nothing was lost: the vault is
 * elsewhere, and accepting a loss here would cut the copy off instead).
 */
struct pdv_loss_out {
	int64_t from, to; /* to 0: not known */
	int64_t entry;
};
int pdv_audit_accept_loss(struct pdv_session *s, const char *reason, struct pdv_loss_out *ret,
                          struct pdv_error *err) PDV_WUR;
int pdv_audit_list(struct pdv_session *s, const char *subject, pdv_audit_entry_cb cb, void *ctx,
                   struct pdv_error *err) PDV_WUR;

/*
 * The accountability dossier for [from, to): one self-contained HTML page
 * (pdv_render_dossier) of the declaration and its lint status, the sweep
 * runs (late ends flagged), the requests (late ones flagged), the consent
 * ledger, the breaches and their timeline, the Art. 19 notices, the key
 * rotations and the audit chain's verification, each row naming the audit
 * entries it comes from, listed at the end. Reads only (no audit entry, no
 * value opened); lateness is defined in src/engine/dossier.c. dpo only over
 * HTTP (the route says so); PDV_E_INVAL when to <= from.
 */
int pdv_dossier_document(struct pdv_session *s, pdv_time_t from, pdv_time_t to, struct pdv_buf *out,
                         struct pdv_error *err) PDV_WUR;

/* Normalise a lookup value: email trimmed and lowercased; phone to E.164 with
 * the controller's country. PDV_E_INVAL when it is not one. */
int pdv_normalise_email(const char *in, size_t n, char *out, size_t size);
int pdv_normalise_phone(const char *in, size_t n, const char *country, char *out, size_t size);

/*
 * Deletion certificates (docs/certificates.md): for each erasure request
 * closed done and each withdrawal made in the privacy center, a JSON record
 * of what was erased (activities and categories, never a value), what was
 * kept and why, and which recipients were told (Art. 19), signed with the
 * vault's Ed25519 key. A certificate is handed out as an envelope, itself
 * canonical: {"algorithm":"Ed25519","certificate":BODY,"key_id":ID,
 * "signature":HEX}, the signature over BODY's exact bytes.
 */
#define PDV_KEY_ID_MAX 24
/* the dpo's: a certificate ('d' id) or the certificate of an erasure request
 * (id or reference), its stored body signed again with the current key,
 * appended to ret; audited "certificate-issue". PDV_E_NOTFOUND (field
 * request) when the request has none */
int pdv_certificate_issue(struct pdv_session *s, const char *which, struct pdv_buf *ret,
                          char ret_id[PDV_ID_MAX], struct pdv_error *err) PDV_WUR;
/* the dpo's: the same certificate's content, its stored body (canonical JSON,
 * as first made) appended to ret, unsigned; read only: no signature, no audit
 * entry (what a request's page shows of it). PDV_E_NOTFOUND as the issue */
int pdv_certificate_content(struct pdv_session *s, const char *which, struct pdv_buf *ret,
                            char ret_id[PDV_ID_MAX], struct pdv_error *err) PDV_WUR;
/* every signing key, current and retired, as /.well-known/pdvault-keys.json */
int pdv_certificate_keys(struct pdv_session *s, struct pdv_buf *ret, struct pdv_error *err) PDV_WUR;
/* the dpo's: a new current signing key; the one before is retired, kept */
int pdv_certificate_rotate_key(struct pdv_session *s, char ret_key_id[PDV_KEY_ID_MAX],
                               struct pdv_error *err) PDV_WUR;
/* pdv_consent's withdrawal, with its certificate (the envelope) appended to
 * ret_certificate */
int pdv_consent_withdraw_certified(struct pdv_session *s, const char *subject, const char *activity,
                                   struct pdv_consent_out *out, struct pdv_buf *ret_certificate,
                                   struct pdv_error *err) PDV_WUR;

/*
 * Cookie banners and consent receipts (engine/cookies.c; docs/server.md,
 * "Consent receipts").
 *
 * pdv_banner_write: the configuration of one kit (pdv/json.h's
 * pdv_render_banner_model) for the vault's declaration, kept by its id (the
 * hex SHA-256 of its canonical form) and appended to out as the file a site
 * loads. PDV_E_REFUSED when the declaration has an error of a cookie rule.
 */
#define PDV_COOKIE_CONFIG_ID_LEN 64
int pdv_banner_write(struct pdv_session *s, const char *kit, const char *lang, struct pdv_buf *out,
                     char ret_id[PDV_COOKIE_CONFIG_ID_LEN + 1], struct pdv_error *err) PDV_WUR;

/* one purpose's choice, as the adapter posts it */
struct pdv_cookie_choice {
	const char *purpose;
	bool granted;
};
struct pdv_cookie_receipt_in {
	const char *consent_id;  /* the browser's random id: 16-128 of [A-Za-z0-9_-] */
	const char *config;      /* the configuration's id */
	const char *declaration; /* the declaration version the configuration names */
	const char *event;       /* accept | refuse | change | withdraw */
	const struct pdv_cookie_choice *choices;
	size_t n_choices;
	bool gpc;            /* Sec-GPC: 1 or navigator.globalPrivacyControl */
	pdv_time_t given_at; /* the browser's clock */
};
/*
 * Append a receipt (one savepoint in a group, like a submission): the
 * choices checked against the configuration (PDV_E_INVAL naming the field:
 * consent_id, config, declaration, event, choices.PURPOSE), the consent id
 * kept only as its blind index. ret_id: the receipt's id ('k').
 */
int pdv_cookie_receipt_add(struct pdv_session *s, const struct pdv_cookie_receipt_in *in,
                           char ret_id[PDV_ID_MAX], struct pdv_error *err) PDV_WUR;

/* a receipt with the configuration it was given against; strings owned */
struct pdv_cookie_receipt {
	char id[PDV_ID_MAX];
	char config[PDV_COOKIE_CONFIG_ID_LEN + 1];
	char declaration[72];
	char event[16];
	char *choices; /* JSON object {purpose: bool}, in the configuration's order */
	bool gpc;
	pdv_time_t given_at, received_at;
	char kit[16], lang[8];
	pdv_time_t config_created_at;
	char *canonical; /* the configuration as it was hashed */
};
void pdv_cookie_receipt_release(struct pdv_cookie_receipt *r);
/* by its id; PDV_E_NOTFOUND (field "receipt") */
int pdv_cookie_receipt_get(struct pdv_session *s, const char *id, struct pdv_cookie_receipt *ret,
                           struct pdv_error *err) PDV_WUR;
/* every receipt of a consent id, oldest first (r is valid during the call) */
typedef int (*pdv_cookie_receipt_each_cb)(void *ctx, const struct pdv_cookie_receipt *r);
int pdv_cookie_receipts_mine(struct pdv_session *s, const char *consent_id,
                             pdv_cookie_receipt_each_cb cb, void *ctx,
                             struct pdv_error *err) PDV_WUR;
/* delete (dry_run: count) the receipts received more than
 * cookies.proof_retention ago */
int pdv_cookie_receipts_sweep(struct pdv_session *s, bool dry_run, long *ret_swept,
                              struct pdv_error *err) PDV_WUR;

#endif
