/*
 * engine-internal.h — what the engine's files share: the vault handle, ids,
 * the audit chain and the packed field format.
 */
#ifndef PDV_ENGINE_INTERNAL_H
#define PDV_ENGINE_INTERNAL_H

#include <pthread.h>

#include "pdv/b64url.h"
#include "pdv/buf.h"
#include "pdv/crypto.h"
#include "pdv/lint.h"
#include "pdv/retention.h"
#include "pdv/store.h"
#include "pdv/vault.h"

/*
 * The vault and its sessions (docs/internals/engine.md).
 *
 * struct pdv_vault is what every session shares: the keys, the declaration,
 * its lint result and compiled retentions, the paths beside the key file.
 * It is written by pdv_vault_open and read-only after, so any number of
 * threads may read it at once, with two exceptions: the witness below,
 * which every session's commit advances (under witness_lock), and a key
 * rotation (pdv_key_rotate), which replaces the master key and may move the
 * head file: a command of its own, run with the vault's only session.
 *
 * struct pdv_session is one thread's use of the vault: its own store
 * handle, who acts and when, and the state of its transaction. A session
 * belongs to one thread at a time, as its store handle does (pdv/store.h),
 * but for pdv_session_make_durable (the server's syncer).
 */
struct pdv_vault {
	struct pdv_master *master;
	struct pdv_secret *index_key; /* blind indexes and the suppression list */
	struct pdv_secret *audit_key; /* the audit chain */
	struct pdv_secret *stats_key; /* statistics rows and register-level free text */
	const struct pdv_decl *decl;
	struct pdv_lint_result lint;
	char *actor;          /* a new session's actor (pdv_vault_opts) */
	pdv_time_t now;       /* a new session's clock, and the day lint ran for */
	char *db_url;         /* what each session opens */
	char *db_path;        /* for messages */
	char *head_path;      /* KEYFILE.audit-head[.SERVER_ID], beside the key
	                       * file's real path */
	char *head_link_path; /* beside the link, when the key file is one: where a
	                       * head from before heads followed links is found */
	char *moves_path;     /* KEYFILE.migrations, beside the key file's real
	                       * path: where migrates sent the vault (migrate.c) */
	char *key_file;
	char *journal_path;               /* KEYFILE.erasures[.SERVER_ID] */
	char *server_id;                  /* NULL, or --server-id */
	bool serving;                     /* every store handle is announced */
	struct pdv_retention *retentions; /* compiled once per activity */
	bool *retention_ok;
	bool trust_log; /* restore and accept-loss take the log as it is */
	/* the store handle pdv_vault_open used, until the first session takes
	 * it (under witness_lock): one open of the store for the command line */
	struct pdv_store *spare;

	/*
	 * The witness: the head this process knows the log reached (the head
	 * file at open, then each commit of any session); a write begins only
	 * when the log still reaches it (pdv_audit_witness_check). Shared, as
	 * a commit of one session moves the log for all: read and written
	 * under witness_lock alone, which is also held while the head file is
	 * written after a commit, so heads reach the file in the log's order.
	 * Uncontended with one session: a lock and an unlock per transaction.
	 */
	pthread_mutex_t witness_lock;
	int64_t known_seq;
	uint8_t known_hash[PDV_HASH_LEN];
	bool known_missing; /* no head file, or a damaged one */
	/* the other servers' heads were compared with the store once: a store
	 * behind one of them may be a source a migrate left, which this
	 * process's own head (that migrate did not move) cannot tell */
	bool others_asked;
};

/*
 * A deletion certificate in the making (certificates.c): while a session's
 * `cert` points to one, an erasure or a withdrawal adds what it did to each
 * record, grouped by activity, what and why.
 */
struct pdv_cert_item {
	char activity[128];
	char what[16]; /* erased | kept */
	char why[24];  /* kept: hold | legal-obligation | retention */
	pdv_time_t until;
	long records;
};
struct pdv_cert_draft {
	struct pdv_cert_item *items;
	size_t n, cap;
	int64_t notice_lo, notice_hi; /* a withdrawal's Art. 19 notices: outbox ids */
	char withdrawn[128];          /* a withdrawal's activity */
	char made[PDV_ID_MAX];        /* the certificate made, once made */
};
void pdv_cert_draft_release(struct pdv_cert_draft *d);
int pdv_cert_draft_add(struct pdv_cert_draft *d, const char *activity, const char *what,
                       const char *why, pdv_time_t until, struct pdv_error *err) PDV_WUR;
/* a certificate of kind (erasure | withdrawal) from d, stored, in the open
 * transaction (the vault's first signing key made if none); req: the
 * erasure request (its reference, kind and received must be readable) */
int pdv_certificate_make(struct pdv_session *s, const char *kind, const struct pdv_request_row *req,
                         const struct pdv_cert_draft *d, char ret_id[PDV_ID_MAX],
                         struct pdv_error *err) PDV_WUR;
/* the certificate id's stored body, signed with the current key */
int pdv_certificate_sign_id(struct pdv_session *s, const char *id, struct pdv_buf *ret,
                            struct pdv_error *err) PDV_WUR;
/* key rotation: every signing key re-wrapped under next (in its transaction) */
int pdv_certificate_keys_rewrap(struct pdv_session *s, const struct pdv_master *next,
                                struct pdv_error *err) PDV_WUR;
/* requests.c: the request an id or a reference names, as the session may see it */
int pdv_request_row_find(struct pdv_session *s, const char *request, struct pdv_request_row *row,
                         struct pdv_error *err) PDV_WUR;
/* what a receipt is checked against: a configuration's purposes (cookies.c) */
#define PDV_COOKIE_CFG_CACHE 8
#define PDV_COOKIE_PURPOSES_MAX 32
struct pdv_cookie_cfg {
	char id[65];
	char declaration[72];
	size_t n;
	struct {
		char id[64];
		bool required;
	} purposes[PDV_COOKIE_PURPOSES_MAX];
};

struct pdv_session {
	struct pdv_vault *vault;    /* shared, borrowed: outlives the session */
	struct pdv_store *store;    /* the session's own handle (pdv/store.h) */
	struct pdv_secret *scratch; /* the subject key of the submission at hand */
	bool trust_log;             /* the vault's, or true for the accept-loss at hand */
	char *actor;
	pdv_time_t now;
	/* pdv_session_set_role: the staff role reads are filtered by (NULL: all) */
	char *role;
	bool journal_dirty;    /* erasures to append after the commit */
	bool lookups_deferred; /* shredding leaves the blind indexes to pdv_lookups_purge */
	long lookups_pending;  /* subjects shredded so since the last purge */
	bool facts_known;      /* the sweep's batch at hand: `facts` hold for it */
	struct pdv_batch_facts facts;
	/* the request whose close is being performed (its row id, 0: none): the
	 * Art. 19 notices queued meanwhile are linked to it (outbox.request_id) */
	int64_t notice_request;
	/* a deletion certificate in the making, or NULL */
	struct pdv_cert_draft *cert;
	/* the banner configurations receipts were last checked against
	 * (cookies.c): content-addressed, so never stale; freed with the session */
	struct pdv_cookie_cfg *cookie_cfgs;
	size_t n_cookie_cfgs, next_cookie_cfg;

	bool in_tx; /* a write transaction is open */
	bool batch; /* pdv_session_batch_begin: commit only at batch_commit */
	/* the chain's head, read inside the open write transaction (valid until
	 * it ends: writers are serialised, store.h), then advanced by each
	 * append; never carried into the next transaction */
	int64_t head_seq;
	uint8_t head_hash[PDV_HASH_LEN];
	bool head_dirty; /* the head file must be rewritten after commit */

	/* group mode (pdv_session_group_begin): a batch where each call is a
	 * savepoint, so a refused or failed call is undone alone */
	bool group;
	int job_depth;
	/* a job of the group could not be undone alone (pdv_store_rollback_to
	 * failed): the group is abandoned and run again (group_check) */
	bool group_lost;
	/* the group's new people written without waiting (pdv_collect_commit):
	 * subjects first..last of one reserved range, the lookups they should
	 * hold, and those lookups' hashes (a second submission of the same
	 * person in the group waits for the first one's); checked once by
	 * pdv_session_group_check */
	struct pdv_group_fresh {
		int64_t first, last, range, held;
		size_t n_hashes;
	} fresh;
	uint8_t (*fresh_hashes)[PDV_HASH_LEN]; /* PDV_GROUP_FRESH_MAX */
	struct {
		int64_t head_seq;
		uint8_t head_hash[PDV_HASH_LEN];
		bool head_dirty, journal_dirty;
		struct pdv_group_fresh fresh;
	} sp;
	/* deferred durability: the head as of this session's last commit,
	 * written to the head file by pdv_session_make_durable once the store
	 * is synced */
	bool deferred;
	int64_t mark_seq;
	uint8_t mark_hash[PDV_HASH_LEN];
	bool mark_dirty;
};

/*
 * ids (ids.c): kind letter + base64url(8-byte tag || 8-byte big-endian number).
 * The shown form, the only one handed out, carries pdv_id_permute(row id);
 * the canonical form carries the row id: it is what binds (associated data,
 * wrapped keys) and what the audit log and the outbox store, never shown.
 */
void pdv_id_format(const struct pdv_vault *v, char kind, int64_t id, const uint8_t tag[PDV_TAG_LEN],
                   char out[PDV_ID_MAX]);
void pdv_id_canonical(char kind, int64_t id, const uint8_t tag[PDV_TAG_LEN], char out[PDV_ID_MAX]);
/* the row an id names, in either form (ids issued before ids were permuted
 * keep resolving): the one whose stored tag is the id's. PDV_E_INVAL when s
 * is no id of this kind, PDV_E_NOTFOUND when no row has it */
int pdv_id_parse(struct pdv_session *s, const char *str, char kind, int64_t *ret_id,
                 uint8_t ret_tag[PDV_TAG_LEN]) PDV_WUR;
/* a canonical id as stored (no lookup): PDV_E_INVAL when s is not one */
int pdv_id_parse_canonical(const char *s, char kind, int64_t *ret_id,
                           uint8_t ret_tag[PDV_TAG_LEN]) PDV_WUR;
/* the canonical form of an id given in either form, in out; s itself when it
 * names no row (it is then reported as not found) */
const char *pdv_id_canon(struct pdv_session *s, char kind, const char *str, char out[PDV_ID_MAX]);
/* an id as a message tells it: the shown form of the row it names (given in
 * either form), else s as it was given */
const char *pdv_id_told(struct pdv_session *s, char kind, const char *str, char out[PDV_ID_MAX]);
/* the shown form of a stored canonical id of any kind, in out; s itself when
 * it is not one (audit log and outbox output) */
const char *pdv_id_shown(const struct pdv_vault *v, const char *str, char out[PDV_ID_MAX]);
/* is kind one of the rights request kinds? */
bool pdv_request_kind_known(const char *kind);

/* after a key file was replaced (a rotation renames over it, so a link
 * becomes a file): recompute the head's path and write the head there */
int pdv_vault_head_follow(struct pdv_vault *v, struct pdv_error *err) PDV_WUR;

/* open; trust_log: take the audit log as it is (a restore's copy, older than
 * the head file) */
int pdv_vault_open_as(const struct pdv_vault_opts *o, bool trust_log, struct pdv_vault **ret_vault,
                      struct pdv_error *err) PDV_WUR;

/* the hashes a group writes without waiting; a person past them waits */
#define PDV_GROUP_FRESH_MAX 4096

/* transactions: begin a write (no-op inside a batch), commit, roll back;
 * begin refuses (PDV_E_INTEGRITY) when the log no longer reaches its head */
int pdv_session_tx_begin(struct pdv_session *s, struct pdv_error *err) PDV_WUR;
int pdv_session_tx_commit(struct pdv_session *s, struct pdv_error *err) PDV_WUR;
void pdv_session_tx_rollback(struct pdv_session *s);

/* Append one audit entry inside the open transaction. */
int pdv_audit_append(struct pdv_session *s, const char *action, const char *subject,
                     const char *record, const char *activity, const char *detail,
                     struct pdv_error *err) PDV_WUR;

/*
 * A file beside the key file written whole or not at all: a temporary of
 * this call's own (mkstemp, so 0600) in the same folder, synced, renamed
 * over path, the folder synced. `what` names it in the message ("the audit
 * head").
 */
int pdv_file_replace(const char *path, const void *data, size_t len, const char *what,
                     struct pdv_error *err) PDV_WUR;
/* lowercase hex of n bytes into out (2n + 1); and back (PDV_E_INVAL) */
void pdv_hex(const uint8_t *p, size_t n, char *out);
int pdv_unhex(const char *s, uint8_t *out, size_t n) PDV_WUR;

/* head file */
int pdv_audit_head_write(const char *path, int64_t seq, const uint8_t hash[PDV_HASH_LEN],
                         struct pdv_error *err) PDV_WUR;
/* the same, rewritten in place (one short line, one sector): for the
 * frequent updates of the server; falls back to pdv_audit_head_write */
int pdv_audit_head_update(const char *path, int64_t seq, const uint8_t hash[PDV_HASH_LEN],
                          struct pdv_error *err) PDV_WUR;
int pdv_audit_head_read(const char *path, int64_t *ret_seq, uint8_t ret_hash[PDV_HASH_LEN],
                        struct pdv_error *err) PDV_WUR;
/* the vault's head file (or the one beside the key file's link); PDV_E_NOTFOUND */
int pdv_audit_head_load(const struct pdv_vault *v, int64_t *ret_seq, uint8_t ret_hash[PDV_HASH_LEN],
                        struct pdv_error *err) PDV_WUR;
/*
 * Does the log, whose last entry is seq/hash, still reach the head this
 * process knows (or the head file, when it names a later one)? 0 when it
 * does: the same entry, or later ones chained from it; else
 * PDV_E_INTEGRITY naming the first missing entry (PDV_E_MOVED naming where
 * the vault went, when the store is a migrate's source), and nothing may be
 * written. The common case (nothing written by another process since this
 * one's last commit) compares two hashes and reads no file.
 */
int pdv_audit_witness_check(struct pdv_session *s, int64_t seq, const uint8_t hash[PDV_HASH_LEN],
                            struct pdv_error *err) PDV_WUR;
/*
 * A store whose last audit entry is seq/hash, found behind the head file:
 * is it the source of a migrate (migrate.c's record beside the key file)?
 * PDV_E_MOVED, saying where the vault went and when, when it is; else 0,
 * and err untouched (the caller's own error stands).
 */
int pdv_migrate_moved(const struct pdv_vault *v, int64_t seq, const uint8_t hash[PDV_HASH_LEN],
                      struct pdv_error *err) PDV_WUR;
/* the witness check on the log as it is now, outside a transaction */
int pdv_audit_witness_now(struct pdv_session *s, struct pdv_error *err) PDV_WUR;

const struct pdv_activity *pdv_vault_activity(const struct pdv_vault *v, const char *id);
/* the activity's retention, compiled at open; NULL when it is not computable */
const struct pdv_retention *pdv_vault_retention(const struct pdv_vault *v,
                                                const struct pdv_activity *a);
/* the first purpose of an activity in the default language, for the audit log */
const char *pdv_vault_purpose(const struct pdv_vault *v, const struct pdv_activity *a);

/* unwrap a subject's data key from its row */
int pdv_vault_subject_key(struct pdv_session *s, const struct pdv_subject_row *row,
                          struct pdv_secret **ret, struct pdv_error *err) PDV_WUR;

/* the same, into v->scratch-like slot (no allocation) */
int pdv_vault_subject_key_into(struct pdv_session *s, const struct pdv_subject_row *row,
                               struct pdv_secret *into, struct pdv_error *err) PDV_WUR;

/* field associated data: "pdv-field" 0 RECORD_ID 0 NAME */
size_t pdv_field_ad(const char *record, const char *field, uint8_t *out, size_t size) PDV_WUR;

/* --- erasure.c --- */

/* when the subject has no record left: destroy its key and blind indexes,
 * and journal it (appended to the journal file after the commit) */
int pdv_subject_shred_if_empty(struct pdv_session *s, int64_t subject_id, const char *subject,
                               const char *reason, struct pdv_error *err) PDV_WUR;
/*
 * The sweep's large batches defer the deletion of blind indexes: deleting a
 * subject's lookups dirties a random page of the hash-ordered table, so at 1M
 * records every batch rewrote most of it. pdv_lookups_defer (inside the
 * batch's transaction) records in meta the erasure sequence number after
 * which lookups are owed, then sets v->lookups_deferred; pdv_lookups_purge
 * deletes them in one transaction and clears the mark. The sweep purges at
 * its end and every SWEEP_PURGE_EVERY subjects; opening a vault purges what a
 * stopped sweep left. Meanwhile a lookup left to a shredded subject finds no
 * one (its key is gone) and is taken over by the value's next owner.
 */
int pdv_lookups_defer(struct pdv_session *s, struct pdv_error *err) PDV_WUR;
int pdv_lookups_purge(struct pdv_session *s, struct pdv_error *err) PDV_WUR;
/* append to KEYFILE.erasures every erasure the store has past its last line */
int pdv_erasure_journal_sync(struct pdv_session *s, struct pdv_error *err) PDV_WUR;
/* a restore: the head file and every other server's beside the key file
 * set to the restored chain's end (multi-server.md) */
int pdv_audit_heads_reset(const struct pdv_vault *v, int64_t seq, const uint8_t hash[PDV_HASH_LEN],
                          struct pdv_error *err) PDV_WUR;
/* the first line of an erasure journal */
#define JOURNAL_MAGIC "pdvault-erasures 1\n"
/* a vault with its paths (head file, journal) and nothing open: no key, no
 * store; pdv_vault_close releases it */
int pdv_vault_paths(const struct pdv_vault_opts *o, struct pdv_vault **ret,
                    struct pdv_error *err) PDV_WUR;

/* --- collect.c --- */

/* a normalised lookup value, ready to hash */
struct pdv_lookup {
	const char *kind; /* "email" | "phone" */
	char value[320];
};
/*
 * Check fields against activity a (declared, required, types, lengths):
 * by_decl[k] receives the input of declared field k (or NULL); lk up to two
 * normalised lookup values. Refusals name the field and set err->code.
 */
int pdv_collect_validate(const struct pdv_vault *v, const struct pdv_activity *a,
                         const struct pdv_input_field *fields, size_t n_fields,
                         const struct pdv_input_field **by_decl, struct pdv_lookup *lk,
                         size_t *n_lk, struct pdv_error *err) PDV_WUR;
void pdv_lookup_hash(const struct pdv_vault *v, const struct pdv_lookup *l,
                     uint8_t out[PDV_HASH_LEN]);
/* the lookup a record's field makes: 1 when its activity indexes the field
 * (lookup: email or phone) and the value normalises, else 0 */
int pdv_field_lookup(const struct pdv_vault *v, const struct pdv_activity *a, const char *name,
                     const uint8_t *value, size_t len, struct pdv_lookup *ret);
/* the blind-index hashes of a record's lookup values (at most PDV_PLAIN_MAX),
 * opened with the subject's key; values that no longer normalise give none */
int pdv_record_lookups(struct pdv_session *s, const struct pdv_secret *key,
                       const struct pdv_record_row *r, uint8_t (*ret)[PDV_HASH_LEN], size_t *ret_n,
                       struct pdv_error *err) PDV_WUR;

/* --- record.c --- */

/* a subject by its opaque id; PDV_E_NOTFOUND (field "subject") when absent
 * or erased */
int pdv_vault_subject_find(struct pdv_session *s, const char *subject, struct pdv_subject_row *ret,
                           struct pdv_error *err) PDV_WUR;

/*
 * Records and what they mean: every write binds (a keyed MAC over id, tag,
 * subject, activity and phase), every read checks; PDV_E_INTEGRITY, naming
 * the record, when a row was moved or altered in the store.
 */
int pdv_record_check(struct pdv_session *s, const struct pdv_record_row *r,
                     struct pdv_error *err) PDV_WUR;
int pdv_vault_record_insert(struct pdv_session *s, struct pdv_record_row *row,
                            struct pdv_error *err) PDV_WUR;
int pdv_vault_record_update(struct pdv_session *s, const struct pdv_record_row *row,
                            struct pdv_error *err) PDV_WUR;
int pdv_vault_record_get(struct pdv_session *s, int64_t id, struct pdv_record_row *ret,
                         struct pdv_error *err) PDV_WUR;
/* bind the records of a store from before migration 0005 (the bind_pending
 * mark), in one transaction with one audit entry */
int pdv_records_bind_pending(struct pdv_session *s, struct pdv_error *err) PDV_WUR;

/* a subject's records, copied out of the store (checked) */
struct pdv_rows {
	struct pdv_record_row *v;
	size_t n, cap;
};
int pdv_vault_records_of(struct pdv_session *s, int64_t subject_id, struct pdv_rows *rows,
                         struct pdv_error *err) PDV_WUR;
/* up to limit records with id > after whose next transition is due at s->now */
int pdv_vault_records_due(struct pdv_session *s, int64_t after, int limit, struct pdv_rows *rows,
                          struct pdv_error *err) PDV_WUR;
/* a page (up to 1000) of an activity's records with id > after, in id order */
int pdv_vault_records_of_activity(struct pdv_session *s, const char *activity, int64_t after,
                                  struct pdv_rows *rows, struct pdv_error *err) PDV_WUR;
void pdv_rows_release(struct pdv_rows *rows);

/* a record's values in clear, in sodium memory */
#define PDV_PLAIN_MAX 64
struct pdv_plain {
	size_t n;
	char name[PDV_PLAIN_MAX][256];
	uint8_t *value[PDV_PLAIN_MAX]; /* NUL-terminated too, inside block */
	size_t len[PDV_PLAIN_MAX];
	uint8_t *block; /* sodium memory holding every value */
};
int pdv_record_open(struct pdv_session *s, const struct pdv_secret *key,
                    const struct pdv_record_row *r, struct pdv_plain *out,
                    struct pdv_error *err) PDV_WUR;
void pdv_plain_release(struct pdv_plain *p);

/* seal n values for `record` (an opaque id) into the packed format */
int pdv_record_pack(const struct pdv_secret *key, const char *record, size_t n,
                    const char *const *names, const char *const *values, const size_t *lens,
                    struct pdv_buf *out, struct pdv_error *err) PDV_WUR;

/* a record's events, owned */
struct pdv_events {
	struct pdv_event *ev;
	char **names;
	size_t n, cap;
};
int pdv_record_events(struct pdv_session *s, int64_t record_id, struct pdv_events *out,
                      struct pdv_error *err) PDV_WUR;
void pdv_events_release(struct pdv_events *l);

/* the record's phase at s->now; PDV_E_NOTFOUND when its retention is not computable */
int pdv_record_phase(struct pdv_session *s, const struct pdv_record_row *r,
                     struct pdv_phase_info *ret, struct pdv_error *err) PDV_WUR;

/* Art. 19: queue a notice (erasure, rectification) for each recipient of a */
/* an identity check's message (kind verification or confirmation): the
 * address and the code, each in sodium memory the caller frees */
int pdv_intake_message_open(struct pdv_session *s, const struct pdv_outbox_row *row, char **ret_to,
                            char **ret_code, struct pdv_error *err) PDV_WUR;
/* a request's message (acknowledgement, extension, refusal): the address it
 * came from, the reasons (sodium memory), its reference, kind and dates; a
 * request gone or without an address: channel NONE ("no-address") */
int pdv_request_message_open(struct pdv_session *s, const struct pdv_outbox_row *row,
                             struct pdv_outbound *m, struct pdv_error *err) PDV_WUR;
/* the associated data of a request's sealed address */
size_t pdv_request_address_ad(const char *reference, uint8_t out[48]);
/* downloads.c: the answer's export of a request being closed, sealed, with
 * its link queued to the request's address (outbox kind access-answer); in
 * the caller's transaction */
int pdv_download_prepare(struct pdv_session *s, int64_t request_id, const char *canon,
                         const struct pdv_buf *doc, struct pdv_error *err) PDV_WUR;
/* the link's message: the request's address and the token */
int pdv_download_message_open(struct pdv_session *s, const struct pdv_outbox_row *row,
                              struct pdv_outbound *m, struct pdv_error *err) PDV_WUR;
/* renewals.c: a renewal-pending record's link (valid until expires, the
 * end of `wait`) and its message to the person, in the caller's transaction */
int pdv_renewal_queue(struct pdv_session *s, const struct pdv_record_row *r, int64_t subject_id,
                      pdv_time_t expires, struct pdv_error *err) PDV_WUR;
/* the renewal message's link token into m->token ("" for a message queued
 * before 0010); a link used or past its time: not sent, "expired" */
int pdv_renewal_message_open(struct pdv_session *s, const struct pdv_outbox_row *row,
                             struct pdv_outbound *m, struct pdv_error *err) PDV_WUR;
/* breach.c: a breach-notice's texts (the payload names the breach) */
int pdv_breach_message_open(struct pdv_session *s, const struct pdv_outbox_row *row,
                            struct pdv_outbound *m, struct pdv_error *err) PDV_WUR;
/* lifecycle.c: the phase the calculus gives now, applied (ended: the record
 * is gone, *ret_ended) */
int pdv_record_apply_phase(struct pdv_session *s, struct pdv_record_row *r, const char *subject,
                           const char *why, bool *ret_ended, struct pdv_error *err) PDV_WUR;
int pdv_notify_recipients(struct pdv_session *s, const struct pdv_activity *a, const char *kind,
                          int64_t subject_id, int64_t record_id, const char *record,
                          struct pdv_error *err) PDV_WUR;

/* end a record now: anonymise (statistics row) or delete, as declared, or
 * delete whatever is declared when erase; audited; each recipient of the
 * activity told (Art. 19, every end being an Art. 17(1) erasure) */
int pdv_record_end(struct pdv_session *s, const struct pdv_record_row *r,
                   const struct pdv_secret *key, const char *subject, const char *why, bool erase,
                   struct pdv_error *err) PDV_WUR;

/* --- scope.c: who sees what (see the essay there) --- */

/* no role (the command line), or the dpo: every record */
bool pdv_vault_sees_all(const struct pdv_session *s);
/* is role dpo or a role of the declaration? (admin.c) */
bool pdv_vault_role_declared(const struct pdv_decl *d, const char *role);
/* the invitation message of a staff account (staff.c) */
int pdv_staff_message_open(struct pdv_session *s, const struct pdv_outbox_row *row,
                           struct pdv_outbound *m, struct pdv_error *err) PDV_WUR;
/* may the vault's role see this record? (active: `access`; archived:
 * `archive_access`) */
bool pdv_vault_may_read(const struct pdv_session *s, const struct pdv_record_row *r);
/* may the role name activity a in what it asks (access or archive_access)? */
bool pdv_vault_may_name(const struct pdv_session *s, const struct pdv_activity *a);
/* 0, or PDV_E_REFUSED (code "forbidden", field "activity") when it may not */
int pdv_vault_refuse_activity(struct pdv_session *s, const struct pdv_activity *a,
                              struct pdv_error *err) PDV_WUR;
/* 0 for the dpo and the command line, else PDV_E_REFUSED (code "forbidden") */
int pdv_vault_dpo_only(struct pdv_session *s, const char *what, struct pdv_error *err) PDV_WUR;
/*
 * A subject and the records the role may see, in an open transaction: the
 * others are left out of *ret_rows, as if they did not exist; a subject with
 * none is PDV_E_NOTFOUND (field "subject"), worded as an unknown id. With
 * every record seen, as pdv_vault_subject_find then pdv_vault_records_of.
 * On success the caller releases ret_rows.
 */
int pdv_vault_subject_scope(struct pdv_session *s, const char *subject,
                            struct pdv_subject_row *ret_row, struct pdv_rows *ret_rows,
                            struct pdv_error *err) PDV_WUR;
/* is the subject (by row id; 0: none) there and seen by the role? */
int pdv_vault_subject_id_visible(struct pdv_session *s, int64_t subject_id, bool *ret,
                                 struct pdv_error *err) PDV_WUR;
/* a record by its opaque id, of subject_id (0: any), that the role may see;
 * else PDV_E_NOTFOUND (field "record") */
int pdv_vault_record_scope(struct pdv_session *s, const char *record, int64_t subject_id,
                           struct pdv_record_row *ret, struct pdv_error *err) PDV_WUR;
/* does a record the role may see hold the lookup value whose hash the index
 * gave for this subject? (true when it sees every record) */
int pdv_vault_lookup_seen(struct pdv_session *s, const struct pdv_subject_row *row,
                          const uint8_t hash[PDV_HASH_LEN], bool *ret,
                          struct pdv_error *err) PDV_WUR;

/* intake.c: start an identity check of `purpose` for the address `norm`
 * (normalised), its code queued in the outbox as `kind`, or sent nowhere when
 * kind is NULL (a check that answers like any other and that no code opens);
 * payload, when given, comes back sealed with a passed check */
int pdv_intake_check_start(struct pdv_session *s, const char *purpose, const char *kind,
                           const char *norm, const uint8_t *payload, size_t plen,
                           char ret_id[PDV_ID_MAX], pdv_time_t *ret_expires,
                           struct pdv_error *err) PDV_WUR;

#endif
