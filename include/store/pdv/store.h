/*
 * pdv/store.h — the store: where the vault keeps its rows.
 *
 * The store holds opaque bytes. It never sees a key or a clear personal-data
 * value: field values, staff free text and wrapped keys arrive sealed, lookup
 * values arrive as keyed hashes. Encryption is the engine's business.
 *
 * pdv_store_open picks the backend from the URL's scheme (sqlite:PATH or a
 * bare path; postgresql://... or postgres://..., libpq's URL). Every call below is
 * a wrapper: it checks the rules of this essay, can trace (PDVAULT_STORE_TRACE=1
 * prints each call's name and duration to stderr, never a value), then calls
 * the backend's table of operations, which is private to src/store/
 * (backend.h) and versioned (a backend built for another version is refused
 * when it is opened).
 *
 * Threads. A handle belongs to one thread at a time: the command line's, or
 * the server's worker. The one exception is pdv_store_sync, which another
 * thread (the server's syncer) may call while the owner goes on. A backend
 * may run threads of its own (SQLite's checkpointer) that nothing above sees.
 * The import's preparing thread never calls the store: it numbers its rows
 * from ranges the owning thread reserved (pdv_store_id_reserve).
 *
 * Transactions. Every write happens inside pdv_store_begin .. commit (or
 * rollback); a write outside one is refused with PDV_E_INTERNAL (never an
 * abort: the contract tests check the refusal, and a server keeps serving).
 * Writers are serialised: begin waits until no other writer, in this process
 * or another, holds the store. A write transaction sees every commit made
 * before it began and its own writes, and no other writer commits until it
 * ends. So a value read inside a write transaction (the audit log's head,
 * the next id) holds until that transaction ends, and no longer: nothing
 * above the store keeps such a value across transactions. A read outside a
 * transaction sees the committed state as of that call; two calls may see
 * two states. One level of nesting: a savepoint inside the transaction,
 * kept (release) or undone (rollback_to) without ending it.
 *
 * Durability. A commit is durable when it returns: it survives a crash or a
 * power loss. In deferred mode (pdv_store_durability, the server's group
 * commit) a commit is atomic and visible when it returns but may be lost,
 * whole, to a power loss until pdv_store_sync returns; sync makes every
 * commit made before it durable. Nothing is ever half-applied.
 *
 * Ids. Subjects and records have sequential integer ids, handed out by the
 * store inside a write transaction (pdv_store_id_next): the engine binds a
 * row's sealed values to its id before the insert. An id is never handed out
 * while a row of its kind holds it or a reservation covers it; an id handed
 * out in a transaction that rolls back, or the id of the newest row once it
 * is deleted, may be handed out again. pdv_store_id_reserve takes a range
 * for a bulk import (or one id for a decoy): once its transaction commits,
 * no writer is handed an id of the range again; the reserver inserts rows
 * with them in any later transaction, and the ones it leaves stay unused.
 * Other rows (requests, breaches, holds...) are numbered by their insert.
 * The opaque ids shown outside (pdv_id_format) pair the integer with a
 * random tag kept in the row, so they cannot be guessed and hold no
 * personal data.
 *
 * Iteration. The _each-style calls hand rows to a callback, in the order
 * they state. A callback must not call the store: any call made from inside
 * one is refused with PDV_E_INTERNAL. Collect what you need, then act after
 * the iteration returns (in pages, with an `after` id, when it may be big).
 * A callback returns 0 to go on, a positive value to stop (the call returns
 * it), or a negative rc (returned as is).
 *
 * Rows handed back. Strings and blobs in a row from a getter or a callback
 * belong to the store: valid until the next call on the store (in a
 * callback: until it returns); copy what you keep.
 *
 * Schema. Migrations are numbered and embedded; open applies the missing
 * ones, each in its own transaction, and refuses a store newer than the
 * binary.
 */
#ifndef PDV_STORE_H
#define PDV_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pdv/error.h"

#define PDV_TAG_LEN 8
#define PDV_LOOKUP_LEN 16  /* the first 128 bits of the keyed hash: half the index pages */
#define PDV_BINDING_LEN 16 /* a record's binding: the first 128 bits of a keyed hash */

struct pdv_store;

/* the rows whose ids the store hands out (pdv_store_id_next) */
enum pdv_store_id_kind { PDV_STORE_ID_SUBJECT, PDV_STORE_ID_RECORD, PDV_STORE_ID__COUNT };

struct pdv_subject_row {
	int64_t id;
	uint8_t tag[PDV_TAG_LEN];
	const uint8_t *wrapped_key; /* NULL once shredded */
	size_t wrapped_key_len;
	int64_t created_at;
	bool restricted;
	const char *lang; /* subject_get: fr | en, NULL when never given (0010) */
};

struct pdv_record_row {
	int64_t id;
	uint8_t tag[PDV_TAG_LEN];
	int64_t subject_id;
	const char *activity;
	const char *phase; /* active | renewal-pending | archived | restricted */
	int64_t collected_at;
	int64_t last_contact;
	int64_t consent_at;    /* 0: none */
	int64_t phase_at;      /* when the record entered its phase */
	int64_t next_at;       /* next transition, 0: none known */
	const char *source;    /* NULL: the data subject */
	const uint8_t *fields; /* packed sealed values (engine format) */
	size_t fields_len;
	/* the engine's MAC over id, tag, subject, activity and phase (written
	 * by insert and update; has_binding false for a row from before 0005) */
	bool has_binding;
	uint8_t binding[PDV_BINDING_LEN];
	/* records_due only: the subject's tag and restriction (subject_known) */
	bool subject_known;
	bool subject_restricted;
	uint8_t subject_tag[PDV_TAG_LEN];
};

struct pdv_event_row {
	int64_t record_id;
	const char *name;
	int64_t at;
	const char *actor;
};

struct pdv_consent_row {
	int64_t subject_id;
	int64_t record_id; /* 0: none */
	const char *activity;
	const char *state;   /* granted | withdrawn */
	const char *version; /* NULL when the activity has none */
	int64_t at;
	const char *channel;
};

struct pdv_audit_row {
	int64_t seq;
	int64_t at;
	const char *actor;
	const char *action;
	const char *subject;  /* opaque id or NULL */
	const char *record;   /* opaque id or NULL */
	const char *activity; /* or NULL */
	const char *purpose;  /* or NULL */
	const char *detail;   /* or NULL; never a personal-data value */
	uint8_t hash[32];
};

struct pdv_token_row {
	const char *name;
	uint8_t hash[32];
	const char *role;
	const char *scope; /* "all" or "metrics"; NULL: "all" */
	int64_t created_at;
	int64_t expires_at; /* 0: never */
	int64_t revoked_at; /* 0: not revoked */
	int64_t used_at;    /* 0: never (read only; kept to the minute, 0012) */
};

/* a staff account (0012); blobs as the engine sealed them, NULL when unset */
struct pdv_staff_row {
	const char *name;
	const char *role;
	const uint8_t *email; /* sealed */
	size_t email_len;
	int64_t created_at;
	const char *passphrase; /* the Argon2id string, or NULL before enrolment */
	const uint8_t *totp;    /* the TOTP secret sealed, or NULL */
	size_t totp_len;
	int64_t totp_step;       /* the last step a code was taken for */
	const uint8_t *recovery; /* PDV_STAFF_RECOVERY keyed hashes of 32 bytes */
	size_t recovery_len;
	const uint8_t *invite_hash; /* 32 bytes, or NULL */
	int64_t invite_expires;
	int64_t failures;
	int64_t locked_until;
};

/* a signed-in session (0012) */
struct pdv_staff_session_row {
	const char *name;
	int64_t created_at;
	int64_t seen_at;
};

struct pdv_request_row {
	int64_t id;
	uint8_t tag[PDV_TAG_LEN];
	const char *kind;
	int64_t subject_id; /* 0: no subject known */
	const char *status; /* open | done | refused */
	const char *channel;
	const char *received; /* YYYY-MM-DD, the controller's calendar */
	const char *due;
	bool extended;
	const char *reference; /* pdv/reference.h, canonical; NULL only while inserting */
	/* sealed, NULL when none; read by pdv_store_request_get and _by_reference
	 * only (not by the iteration): */
	const uint8_t *address; /* the address the request came from */
	size_t address_len;
	const uint8_t *extension_reason; /* Art. 12(3) */
	size_t extension_reason_len;
	const uint8_t *reason; /* the closing one (a refusal's, Art. 12(4)) */
	size_t reason_len;
	int64_t closed_at; /* 0 while open */
	const char *lang;  /* its messages' language, fr | en; NULL: the declaration's first */
	/* 0014: what a rectification asks (sealed JSON), and when it was extended */
	const uint8_t *rectification;
	size_t rectification_len;
	int64_t extended_at; /* 0: not extended, or before 0014 */
};

/* a private note on a request (0014): sealed; author is the staff's name */
struct pdv_request_note_row {
	int64_t id;
	int64_t created_at;
	const char *author;
	const uint8_t *note;
	size_t note_len;
};

/* a signing key of deletion certificates (0016): the public key raw (32
 * bytes), the secret its seed wrapped under the master key; retired_at 0
 * for the current one */
struct pdv_signing_key_row {
	int64_t id;
	const char *key_id;
	const uint8_t *public_key;
	size_t public_key_len;
	const uint8_t *secret;
	size_t secret_len;
	int64_t created_at, retired_at;
};

/* a deletion certificate (0016): its canonical JSON as first issued (no
 * personal value); request_id 0 for a withdrawal */
struct pdv_certificate_row {
	int64_t id;
	uint8_t tag[PDV_TAG_LEN];
	int64_t request_id;
	const char *kind;
	const uint8_t *body;
	size_t body_len;
	int64_t created_at;
};

/* the answer to an access or portability request, to download once; the
 * blobs are sealed, NULL once used or expired */
struct pdv_download_row {
	int64_t id;
	int64_t request_id;
	const uint8_t *token; /* the link's token, sealed */
	size_t token_len;
	const uint8_t *export; /* the export, sealed */
	size_t export_len;
	int64_t created_at, expires_at, used_at; /* used_at 0: not used */
	uint8_t hash[32];                        /* the token's keyed hash (read only) */
};

/* the breach register (Art. 33(5)); times 0 when not yet */
struct pdv_breach_row {
	int64_t id;
	uint8_t tag[PDV_TAG_LEN];
	int64_t aware_at;
	int64_t authority_due;
	const uint8_t *summary; /* sealed */
	size_t summary_len;
	int64_t authority_notified;
	int64_t subjects_notified;
	const char *risk;           /* NULL: not assessed; unlikely, risk or high */
	const uint8_t *risk_reason; /* sealed; NULL when none */
	size_t risk_reason_len;
	const uint8_t *late_reason; /* sealed: why the authority was told late */
	size_t late_reason_len;
	const uint8_t *consequences; /* sealed: Art. 34(2), 33(3)(c); NULL when none */
	size_t consequences_len;
	const uint8_t *measures; /* sealed: Art. 34(2), 33(3)(d); NULL when none */
	size_t measures_len;
	/* 0013: Art. 33(3)(a) and the timeline */
	const uint8_t *nature; /* sealed; NULL when none */
	size_t nature_len;
	const uint8_t *categories; /* sealed: of people and of records; NULL when none */
	size_t categories_len;
	int64_t people_count;               /* approximate; -1: not given */
	int64_t records_count;              /* approximate; -1: not given */
	const uint8_t *authority_reference; /* sealed: the authority's; NULL when none */
	size_t authority_reference_len;
	int64_t recorded_at;          /* 0: recorded before 0013 */
	int64_t assessed_at;          /* the last assessment; 0: none, or before 0013 */
	int64_t subjects_notices;     /* Art. 34 notices queued; -1: told by other means */
	int64_t subjects_unreachable; /* people without an address; -1: as above */
};

/* the link of a renewal message (0010): found by the token's keyed hash */
struct pdv_renewal_row {
	int64_t id;
	int64_t record_id;
	int64_t created_at, expires_at, used_at; /* used_at 0: not used */
};

struct pdv_verification_row {
	int64_t id;
	uint8_t tag[PDV_TAG_LEN];
	const char *purpose;    /* a request kind, or "consents" */
	const uint8_t *address; /* sealed */
	size_t address_len;
	uint8_t code_hash[32];
	int64_t created_at, expires_at;
	int attempts;
	int64_t used_at;        /* 0: not used */
	const uint8_t *payload; /* sealed, or NULL */
	size_t payload_len;
	const char *lang; /* the messages' language (fr | en), or NULL */
};

/* a message of the outbox; status queued | sending | sent | failed, last_error
 * a code ("smtp-451", "http-500", "timeout"), never a value */
struct pdv_outbox_row {
	int64_t id;
	const char *kind;
	const char *recipient;
	int64_t subject_id, record_id;
	const uint8_t *payload; /* NULL once sent */
	size_t payload_len;
	int64_t created_at, sent_at;
	const char *message_id; /* random, what a receiver de-duplicates on */
	const char *status;
	int attempts;
	int64_t next_at;
	const char *last_error;    /* NULL: none */
	const char *lang;          /* NULL: the declaration's first language */
	const uint8_t *record_tag; /* outbox_each: the named record's tag, NULL once gone */
};

/* what a batch of records (ids lo..hi) may skip, read inside its transaction */
struct pdv_batch_facts {
	bool events;     /* one of the records has events */
	bool directives; /* some subject has post-mortem directives */
	bool holds;      /* some subject is under an active hold */
};

/* callbacks return 0 to go on, a positive value to stop (returned), or a negative rc */
typedef int (*pdv_record_cb)(void *ctx, const struct pdv_record_row *row);
typedef int (*pdv_audit_cb)(void *ctx, const struct pdv_audit_row *row);
typedef int (*pdv_event_cb)(void *ctx, const struct pdv_event_row *row);
typedef int (*pdv_consent_cb)(void *ctx, const struct pdv_consent_row *row);
typedef int (*pdv_wrapped_cb)(void *ctx, int64_t subject_id, const uint8_t tag[PDV_TAG_LEN],
                              const uint8_t *wrapped, size_t len);

typedef int (*pdv_erasure_row_cb)(void *ctx, int64_t seq, int64_t subject_id, int64_t record_id,
                                  int64_t at, const char *reason);
typedef int (*pdv_request_row_cb)(void *ctx, const struct pdv_request_row *row);
typedef int (*pdv_id_document_cb)(void *ctx, int64_t request_id, const char *received,
                                  const char *status, int64_t closed_at);
typedef int (*pdv_breach_row_cb)(void *ctx, const struct pdv_breach_row *row);

/* cookie banners and consent receipts (0015): nothing sealed, nothing
 * personal but the blind index of a browser's random consent id */
struct pdv_cookie_config_row {
	const char *id; /* hex SHA-256 of canonical */
	const char *kit;
	const char *lang;
	const char *declaration;
	const char *canonical;
	int64_t created_at;
};
struct pdv_cookie_receipt_row {
	int64_t id;
	uint8_t tag[PDV_TAG_LEN];
	uint8_t consent_index[32];
	const char *config_id;
	const char *declaration;
	const char *event;   /* accept | refuse | change | withdraw */
	const char *choices; /* JSON {purpose: bool} */
	bool gpc;
	int64_t given_at;
	int64_t received_at;
};
typedef int (*pdv_cookie_receipt_cb)(void *ctx, const struct pdv_cookie_receipt_row *row);
typedef int (*pdv_token_row_cb)(void *ctx, const struct pdv_token_row *row);
typedef int (*pdv_staff_row_cb)(void *ctx, const struct pdv_staff_row *row);
typedef int (*pdv_statistics_row_cb)(void *ctx, const char *month, const uint8_t *fields,
                                     size_t len);
typedef int (*pdv_outbox_row_cb)(void *ctx, const struct pdv_outbox_row *row);
typedef int (*pdv_request_note_cb)(void *ctx, const struct pdv_request_note_row *row);
typedef int (*pdv_signing_key_cb)(void *ctx, const struct pdv_signing_key_row *row);
typedef int (*pdv_summary_row_cb)(void *ctx, const char *activity, const char *phase, int64_t count,
                                  int64_t ending);

/* --- opening, closing, the store as a whole --- */

/* The name of the store a URL names, as messages show it (the file of
 * sqlite:PATH); PDV_E_USAGE for a URL no backend takes. Points into url. */
int pdv_store_where(const char *url, const char **ret_where, struct pdv_error *err) PDV_WUR;
/* url as a command run from any folder reaches the same store, into out (n
 * bytes, truncated to fit): a store file's path made absolute (the file
 * exists), any other URL as it is; PDV_E_USAGE for a URL no backend takes */
int pdv_store_url_lasting(const char *url, char *out, size_t n, struct pdv_error *err) PDV_WUR;
/* the URL of the store when none is given: a file in the current folder */
const char *pdv_store_default_url(void);
/*
 * Open the store at url (create: make a new, empty one, PDV_E_REFUSED when
 * there is one already; else PDV_E_IO when there is none). The caller
 * closes it with pdv_store_close, which rolls back an open transaction.
 */
int pdv_store_open(const char *url, bool create, struct pdv_store **ret_store,
                   struct pdv_error *err) PDV_WUR;
void pdv_store_close(struct pdv_store *s);
/* remove the store at url and everything of it (its side files); 0 when
 * there is none. Not while it is open. */
int pdv_store_destroy(const char *url, struct pdv_error *err) PDV_WUR;
/* an online copy of the whole store into a new file (mode 0600; refused
 * when it exists), made durable before this returns; not inside a callback */
int pdv_store_backup(struct pdv_store *s, const char *path, struct pdv_error *err) PDV_WUR;
/*
 * Replace the store at url, atomically, by the backup at from_path. The
 * backup is copied to a staging store; prepare(ctx, staged_url) opens that
 * one, writes what it must (the engine replays the erasures made since the
 * backup) and closes it; then the staging store takes the place of the one
 * at url, whose commits not yet in the copy are dropped. Any failure, of
 * prepare or of the swap, leaves the store at url as it was and removes the
 * staging store. The store at url must not be open.
 */
int pdv_store_restore(const char *url, const char *from_path,
                      int (*prepare)(void *ctx, const char *staged_url, struct pdv_error *err),
                      void *ctx, struct pdv_error *err) PDV_WUR;
/* PDV_E_IO when the store is damaged */
int pdv_store_check(struct pdv_store *s, struct pdv_error *err) PDV_WUR;
/* the bytes the store takes on disk, its side files included */
int pdv_store_size_bytes(struct pdv_store *s, int64_t *ret, struct pdv_error *err) PDV_WUR;
int pdv_store_schema_version(struct pdv_store *s, int *ret, struct pdv_error *err) PDV_WUR;

/*
 * --- several processes on one store (docs/internals/multi-server.md) ---
 * Outside a transaction. announce: this handle is a server's, until it is
 * closed (PostgreSQL: the connection's application_name; SQLite: a shared
 * flock of DB.serve-lock). servers: whether handles other than this one are
 * announced (*ret_n: how many, or 1 when the backend only knows "some").
 * sweep_try_lock: take the vault's sweep lock without waiting (*ret_got
 * false: another handle holds it); held until sweep_unlock or the close.
 */
int pdv_store_announce(struct pdv_store *s, struct pdv_error *err) PDV_WUR;
int pdv_store_servers(struct pdv_store *s, int64_t *ret_n, struct pdv_error *err) PDV_WUR;
int pdv_store_sweep_try_lock(struct pdv_store *s, bool *ret_got, struct pdv_error *err) PDV_WUR;
void pdv_store_sweep_unlock(struct pdv_store *s);
/*
 * In a write transaction (--verify-per-email, 0017): one more code sent to
 * the address whose blind index is `index`, at `now`, when fewer than `cap`
 * were sent to it after `since` (*ret_ok true, and the send is recorded);
 * else *ret_ok false and nothing recorded. Sends at or before `since` are
 * deleted first, whatever their address. Under the writer lock, so every
 * process on the store counts the same sends.
 */
int pdv_store_verify_send_take(struct pdv_store *s, const uint8_t index[32], int64_t now,
                               int64_t since, int64_t cap, bool *ret_ok,
                               struct pdv_error *err) PDV_WUR;

/*
 * --- the copy between backends (pdvault migrate, multi-server.md) ---
 * Every table as rows of plain values: pdv_store_tables names them, parents
 * first (the order a copy must follow). table_each hands each row of table
 * i, in its key's order (its values last until the callback returns);
 * table_put inserts one row, as read, inside a write transaction;
 * table_count counts; meta_clear empties meta (a new store's marks are not
 * the source's), inside a write transaction.
 */
enum pdv_value_kind { PDV_VALUE_NULL, PDV_VALUE_INT, PDV_VALUE_TEXT, PDV_VALUE_BLOB };
struct pdv_value {
	enum pdv_value_kind kind;
	int64_t i;     /* PDV_VALUE_INT */
	const void *p; /* PDV_VALUE_TEXT (not NUL-terminated) and PDV_VALUE_BLOB */
	size_t len;
};
#define PDV_STORE_COLUMNS_MAX 24
extern const char *const pdv_store_tables[];
extern const size_t pdv_store_n_tables;
typedef int (*pdv_table_row_cb)(void *ctx, const struct pdv_value *row, int n);
int pdv_store_table_each(struct pdv_store *s, size_t table, pdv_table_row_cb cb, void *ctx,
                         struct pdv_error *err) PDV_WUR;
int pdv_store_table_put(struct pdv_store *s, size_t table, const struct pdv_value *row, int n,
                        struct pdv_error *err) PDV_WUR;
int pdv_store_table_count(struct pdv_store *s, size_t table, int64_t *ret,
                          struct pdv_error *err) PDV_WUR;
int pdv_store_meta_clear(struct pdv_store *s, struct pdv_error *err) PDV_WUR;
/* "sqlite" or "postgresql": the backend of s, for messages */
const char *pdv_store_backend_name(const struct pdv_store *s);
/* whether a statement waits for a server (PostgreSQL): asking the store
 * about many things at once pays there, and only there */
bool pdv_store_round_trips(const struct pdv_store *s);

/* --- transactions and durability (see the essay) --- */

int pdv_store_begin(struct pdv_store *s, struct pdv_error *err) PDV_WUR;
int pdv_store_commit(struct pdv_store *s, struct pdv_error *err) PDV_WUR; /* failed: rolled back */
void pdv_store_rollback(struct pdv_store *s);
bool pdv_store_in_tx(const struct pdv_store *s);
/*
 * One nested level inside a transaction: a savepoint, kept or undone.
 * release: 0, or a write since the savepoint failed (found by the release,
 * as a backend may not wait for each write): those writes are undone, as by
 * rollback_to, and the transaction goes on. rollback_to: 0 when the writes
 * since the savepoint are undone and the transaction goes on; PDV_E_IO when
 * they could not be undone alone (a failure of a write made before the
 * savepoint came to light after it, or lazy savepoints): the transaction
 * cannot commit, and the caller abandons it.
 */
int pdv_store_savepoint(struct pdv_store *s, struct pdv_error *err) PDV_WUR;
int pdv_store_release(struct pdv_store *s, struct pdv_error *err) PDV_WUR;
int pdv_store_rollback_to(struct pdv_store *s);
/*
 * How the savepoints of the rest of this transaction go, where a backend
 * does not wait for each write (PostgreSQL's pipeline; SQLite ignores it):
 *  - QUEUED (each transaction's start): sent and not waited for; a failed
 *    write comes to light at the next wait, maybe after a later savepoint
 *    (then rollback_to fails: the transaction is lost);
 *  - WAITED: a release waits for the writes since its savepoint, so a
 *    failed write is found, and undone, within its own savepoint;
 *  - LAZY (a server's group, first run): none sent, so a rollback_to undoes
 *    a job that changed nothing and fails for any other, and a row may be
 *    written in a way that fails where the ordinary way would have chosen
 *    (a lookup already there). Every such failure comes back by rollback_to,
 *    by a later call or by pdv_store_flush, never as a commit of part of a
 *    job; the caller then runs its work again, WAITED.
 */
enum pdv_savepoints { PDV_SAVEPOINTS_QUEUED, PDV_SAVEPOINTS_WAITED, PDV_SAVEPOINTS_LAZY };
void pdv_store_savepoints(struct pdv_store *s, enum pdv_savepoints how);
/* the results of every write sent and not yet waited for: 0, or the first
 * failure (the transaction then cannot commit) */
int pdv_store_flush(struct pdv_store *s, struct pdv_error *err) PDV_WUR;
/* deferred: commits stop waiting for the disk (outside a transaction) */
int pdv_store_durability(struct pdv_store *s, bool deferred, struct pdv_error *err) PDV_WUR;
/* every commit made so far is durable; any thread (see the essay) */
int pdv_store_sync(struct pdv_store *s, struct pdv_error *err) PDV_WUR;

/* --- ids (see the essay); inside a write transaction --- */

int pdv_store_id_next(struct pdv_store *s, enum pdv_store_id_kind kind, int64_t *ret_id,
                      struct pdv_error *err) PDV_WUR;
#define PDV_STORE_RESERVE_MAX (1 << 24) /* ids in one range */
int pdv_store_id_reserve(struct pdv_store *s, enum pdv_store_id_kind kind, int64_t n,
                         int64_t *ret_first, struct pdv_error *err) PDV_WUR;

/* --- meta: small named values (key id, wrapped service keys, marks) --- */

/* PDV_E_NOTFOUND; PDV_E_IO when the value is longer than size */
int pdv_store_meta_get(struct pdv_store *s, const char *name, uint8_t *buf, size_t size,
                       size_t *ret_len, struct pdv_error *err) PDV_WUR;
int pdv_store_meta_put(struct pdv_store *s, const char *name, const void *v, size_t n,
                       struct pdv_error *err) PDV_WUR;
int pdv_store_meta_delete(struct pdv_store *s, const char *name, struct pdv_error *err) PDV_WUR;

/* --- subjects and their blind indexes --- */

/* row->id: from pdv_store_id_next or a reserved range, or 0 for the next one (set) */
int pdv_store_subject_insert(struct pdv_store *s, struct pdv_subject_row *row,
                             struct pdv_error *err) PDV_WUR;
int pdv_store_subject_get(struct pdv_store *s, int64_t id, struct pdv_subject_row *ret,
                          struct pdv_error *err) PDV_WUR; /* PDV_E_NOTFOUND */
/* the subjects with a key, id > after, in id order */
int pdv_store_subject_wrapped_each(struct pdv_store *s, int64_t after, pdv_wrapped_cb cb, void *ctx,
                                   struct pdv_error *err) PDV_WUR;
int pdv_store_subject_wrapped_set(struct pdv_store *s, int64_t id, const uint8_t *wrapped,
                                  size_t len, struct pdv_error *err) PDV_WUR;
/* a hash already held by a live subject keeps it; one left to a shredded
 * subject (see pdv_store_subject_shred_key) goes to subject_id */
int pdv_store_lookup_put(struct pdv_store *s, const uint8_t hash[PDV_LOOKUP_LEN],
                         int64_t subject_id, struct pdv_error *err) PDV_WUR;
int pdv_store_lookup_get(struct pdv_store *s, const uint8_t hash[PDV_LOOKUP_LEN],
                         int64_t *ret_subject, struct pdv_error *err) PDV_WUR; /* PDV_E_NOTFOUND */
int pdv_store_lookup_delete(struct pdv_store *s, const uint8_t hash[PDV_LOOKUP_LEN],
                            struct pdv_error *err) PDV_WUR;
/* how many lookups subjects first..last hold: a writer that put its new
 * people's lookups with lookup_put, without waiting for each, checks in one
 * read that none of them was kept by a live subject (the person was in the
 * vault after all) */
int pdv_store_lookups_held_between(struct pdv_store *s, int64_t first, int64_t last, int64_t *ret,
                                   struct pdv_error *err) PDV_WUR;
/*
 * Which of n blind indexes (hashes: n times PDV_LOOKUP_LEN bytes, one after
 * the other) the store holds, whoever's they are (a shredded subject's
 * too): ret_known[i] for the i-th. One statement on PostgreSQL, one round
 * trip for the lot (the import asks about a chunk of rows at once instead
 * of once per row, a server's group about its submissions' people before it
 * takes the writer lock); n at most PDV_STORE_LOOKUPS_KNOWN_MAX, else
 * PDV_E_INVAL.
 * Inside a write transaction the answer holds until its end.
 */
#define PDV_STORE_LOOKUPS_KNOWN_MAX 1024
/*
 * pdv_store_lookup_get, saying the subject's records are read next
 * (pdv_store_subject_get then pdv_store_records_of_subject, nothing else
 * between): PostgreSQL brings them in the same round trip. The same
 * answers as the two calls made apart.
 */
int pdv_store_lookup_get_records(struct pdv_store *s, const uint8_t hash[PDV_LOOKUP_LEN],
                                 int64_t *ret_subject, struct pdv_error *err) PDV_WUR;
/*
 * Inside a write transaction: the lookups of n blind indexes (hashes as for
 * pdv_store_lookups_known), read now, all at once, with their subjects and
 * records, so that the pdv_store_lookup_get and pdv_store_lookup_get_records
 * calls that follow for them answer with no round trip of their own (a
 * server's group of finds). The answers are the store's as it is when each
 * call is made: a write in the transaction (but a savepoint, its release or
 * an audit append) forgets the read-ahead, as does the transaction's end, a
 * rollback to the savepoint or another read-ahead. n at most
 * PDV_STORE_LOOKUPS_KNOWN_MAX. A backend whose statements cost no round
 * trip (SQLite) reads nothing ahead.
 */
int pdv_store_lookups_read_ahead(struct pdv_store *s, const uint8_t *hashes, size_t n,
                                 struct pdv_error *err) PDV_WUR;
int pdv_store_lookups_known(struct pdv_store *s, const uint8_t *hashes, size_t n, bool *ret_known,
                            struct pdv_error *err) PDV_WUR;
/*
 * A new subject and its blind indexes, unless one of the hashes is already
 * someone's: then nothing of it stays and PDV_E_REFUSED (the import guesses
 * a person is new; one index seek instead of two).
 */
int pdv_store_subject_insert_new(struct pdv_store *s, struct pdv_subject_row *row,
                                 const uint8_t *const *hashes, size_t n_hashes,
                                 struct pdv_error *err) PDV_WUR;
int pdv_store_subject_lang_set(struct pdv_store *s, int64_t id, const char *lang,
                               struct pdv_error *err) PDV_WUR;
int pdv_store_subject_set_restricted(struct pdv_store *s, int64_t id, bool restricted,
                                     struct pdv_error *err) PDV_WUR;
/* crypto-shredding: the subject's key, directives and blind indexes go, the row stays */
int pdv_store_subject_shred(struct pdv_store *s, int64_t subject_id, struct pdv_error *err) PDV_WUR;
/* the key alone (what opens the values); the caller deletes the directives
 * (pdv_store_directives_delete) and, later, the blind indexes
 * (pdv_store_lookups_purge): a lookup left to a shredded subject finds no one
 * and is taken over by the value's next owner */
int pdv_store_subject_shred_key(struct pdv_store *s, int64_t subject_id,
                                struct pdv_error *err) PDV_WUR;
/* the blind indexes of the subjects shredded (an erasure row without a
 * record: a shredded key never comes back) after erasure seq `after` */
int pdv_store_lookups_purge(struct pdv_store *s, int64_t after, struct pdv_error *err) PDV_WUR;

/* --- records --- */

/* row->id: from pdv_store_id_next or a reserved range, or 0 for the next one (set) */
int pdv_store_record_insert(struct pdv_store *s, struct pdv_record_row *row,
                            struct pdv_error *err) PDV_WUR;
int pdv_store_record_get(struct pdv_store *s, int64_t id, struct pdv_record_row *ret,
                         struct pdv_error *err) PDV_WUR; /* PDV_E_NOTFOUND */
int pdv_store_record_update(struct pdv_store *s, const struct pdv_record_row *row,
                            struct pdv_error *err) PDV_WUR;
/* ending a record: its events, then the row */
int pdv_store_record_delete(struct pdv_store *s, int64_t id, struct pdv_error *err) PDV_WUR;
/* the row alone, when the caller knows it has no events (batch_facts) */
int pdv_store_record_delete_row(struct pdv_store *s, int64_t id, struct pdv_error *err) PDV_WUR;
/* a restore replaying an erasure: every record of the subject goes */
int pdv_store_records_delete_subject(struct pdv_store *s, int64_t subject_id,
                                     struct pdv_error *err) PDV_WUR;
/* a subject's records, in id order */
int pdv_store_records_of_subject(struct pdv_store *s, int64_t subject_id, pdv_record_cb cb,
                                 void *ctx, struct pdv_error *err) PDV_WUR;
int pdv_store_records_count_of_subject(struct pdv_store *s, int64_t subject_id, int64_t *ret,
                                       struct pdv_error *err) PDV_WUR;
/* the sweep: up to limit records whose next transition is due at now,
 * id > after, in id order, with their subject's tag and restriction */
int pdv_store_records_due(struct pdv_store *s, int64_t after, int64_t now, int limit,
                          pdv_record_cb cb, void *ctx, struct pdv_error *err) PDV_WUR;
/* what a batch of records (ids lo..hi) may skip */
int pdv_store_batch_facts(struct pdv_store *s, int64_t lo, int64_t hi, struct pdv_batch_facts *ret,
                          struct pdv_error *err) PDV_WUR;
/* statistics: an activity's records (a page of up to 1000, id > after) */
int pdv_store_records_of_activity(struct pdv_store *s, const char *activity, int64_t after,
                                  pdv_record_cb cb, void *ctx, struct pdv_error *err) PDV_WUR;
/* records counted by activity and phase; `ending`: next_at in (from, to] */
int pdv_store_records_summary(struct pdv_store *s, int64_t from, int64_t to, pdv_summary_row_cb cb,
                              void *ctx, struct pdv_error *err) PDV_WUR;
/* up to 1000 records with no binding and id > after (rows from before
 * migration 0005), and setting one's */
int pdv_store_records_unbound(struct pdv_store *s, int64_t after, pdv_record_cb cb, void *ctx,
                              struct pdv_error *err) PDV_WUR;
int pdv_store_record_bind(struct pdv_store *s, int64_t id, const uint8_t binding[PDV_BINDING_LEN],
                          struct pdv_error *err) PDV_WUR;
/* an anonymised record's kept values, sealed under the statistics key */
int pdv_store_statistics_insert(struct pdv_store *s, const char *activity, const char *month,
                                const uint8_t *fields, size_t len, struct pdv_error *err) PDV_WUR;
int pdv_store_statistics_each(struct pdv_store *s, const char *activity, pdv_statistics_row_cb cb,
                              void *ctx, struct pdv_error *err) PDV_WUR;

/* --- lifecycle events and consent --- */

int pdv_store_event_insert(struct pdv_store *s, const struct pdv_event_row *row,
                           struct pdv_error *err) PDV_WUR;
int pdv_store_events_of_record(struct pdv_store *s, int64_t record_id, pdv_event_cb cb, void *ctx,
                               struct pdv_error *err) PDV_WUR;
/* the text of a consent version, kept once per version */
int pdv_store_consent_text_put(struct pdv_store *s, const char *activity, const char *version,
                               const char *text, struct pdv_error *err) PDV_WUR;
int pdv_store_consent_insert(struct pdv_store *s, const struct pdv_consent_row *row,
                             struct pdv_error *err) PDV_WUR;
/* a subject's ledger, in the order it was written */
int pdv_store_consents_of_subject(struct pdv_store *s, int64_t subject_id, pdv_consent_cb cb,
                                  void *ctx, struct pdv_error *err) PDV_WUR;

/* --- erasures: the journal of crypto-shreddings (ids and times only) --- */

/* seq 0: the next one; *ret_seq the one written */
int pdv_store_erasure_insert(struct pdv_store *s, int64_t seq, int64_t subject_id,
                             int64_t record_id, int64_t at, const char *reason, int64_t *ret_seq,
                             struct pdv_error *err) PDV_WUR;
int pdv_store_erasures_after(struct pdv_store *s, int64_t after, pdv_erasure_row_cb cb, void *ctx,
                             struct pdv_error *err) PDV_WUR;
int pdv_store_erasures_max(struct pdv_store *s, int64_t *ret, struct pdv_error *err) PDV_WUR;

/* --- holds, suppression, directives --- */

/* the reason arrives sealed */
int pdv_store_hold_insert(struct pdv_store *s, const uint8_t tag[PDV_TAG_LEN], int64_t subject_id,
                          const uint8_t *reason, size_t len, int64_t at, const char *by,
                          int64_t *ret_id, struct pdv_error *err) PDV_WUR;
int pdv_store_hold_get(struct pdv_store *s, int64_t id, uint8_t ret_tag[PDV_TAG_LEN],
                       int64_t *ret_subject, bool *ret_lifted,
                       struct pdv_error *err) PDV_WUR; /* PDV_E_NOTFOUND */
int pdv_store_hold_lift(struct pdv_store *s, int64_t id, int64_t at, const char *by,
                        struct pdv_error *err) PDV_WUR;
/* a subject's holds, in force or lifted, oldest first (the row is valid
 * during the call; the reason as sealed) */
struct pdv_hold_row {
	int64_t id;
	uint8_t tag[PDV_TAG_LEN];
	const uint8_t *reason;
	size_t reason_len;
	int64_t placed_at;
	const char *placed_by;
	int64_t lifted_at; /* 0: in force */
	const char *lifted_by;
};
typedef int (*pdv_hold_cb)(void *ctx, const struct pdv_hold_row *row);
int pdv_store_holds_of_subject(struct pdv_store *s, int64_t subject_id, pdv_hold_cb cb, void *ctx,
                               struct pdv_error *err) PDV_WUR;
int pdv_store_holds_active_count(struct pdv_store *s, int64_t subject_id, int64_t *ret,
                                 struct pdv_error *err) PDV_WUR;
int pdv_store_suppression_put(struct pdv_store *s, const uint8_t hash[PDV_LOOKUP_LEN], int64_t at,
                              int64_t expires_at, struct pdv_error *err) PDV_WUR;
int pdv_store_suppression_active(struct pdv_store *s, const uint8_t hash[PDV_LOOKUP_LEN],
                                 int64_t now, bool *ret, struct pdv_error *err) PDV_WUR;
/* post-mortem directives, sealed; get fills buf (PDV_E_NOTFOUND: none) */
int pdv_store_directives_put(struct pdv_store *s, int64_t subject_id, const uint8_t *text,
                             size_t len, int64_t at, struct pdv_error *err) PDV_WUR;
int pdv_store_directives_get(struct pdv_store *s, int64_t subject_id, uint8_t *buf, size_t size,
                             size_t *ret_len, struct pdv_error *err) PDV_WUR;
int pdv_store_directives_delete(struct pdv_store *s, int64_t subject_id,
                                struct pdv_error *err) PDV_WUR;

/* --- rights requests (a refusal or extension reason arrives sealed) --- */

/* sets row->id; writes reference and address too (a taken reference is
 * refused by the unique index: draw one pdv_store_request_by_reference does
 * not find, in the same transaction) */
int pdv_store_request_insert(struct pdv_store *s, struct pdv_request_row *row,
                             struct pdv_error *err) PDV_WUR;
int pdv_store_request_get(struct pdv_store *s, int64_t id, struct pdv_request_row *ret,
                          struct pdv_error *err) PDV_WUR; /* PDV_E_NOTFOUND */
/* by its canonical reference; PDV_E_NOTFOUND */
int pdv_store_request_by_reference(struct pdv_store *s, const char *reference,
                                   struct pdv_request_row *ret, struct pdv_error *err) PDV_WUR;
/* the Art. 12(3) extension: the new due date and its sealed reason */
int pdv_store_request_extend(struct pdv_store *s, int64_t id, const char *due,
                             const uint8_t *reason, size_t reason_len, int64_t at,
                             struct pdv_error *err) PDV_WUR;
int pdv_store_request_update(struct pdv_store *s, int64_t id, const char *status, const char *due,
                             bool extended, const uint8_t *reason, size_t reason_len,
                             int64_t closed_at, struct pdv_error *err) PDV_WUR;
/* an identity document, sealed; NULL destroys it */
int pdv_store_request_set_id_document(struct pdv_store *s, int64_t id, const uint8_t *doc,
                                      size_t len, struct pdv_error *err) PDV_WUR;
int pdv_store_requests_with_id_document(struct pdv_store *s, pdv_id_document_cb cb, void *ctx,
                                        struct pdv_error *err) PDV_WUR;
int pdv_store_requests_each(struct pdv_store *s, pdv_request_row_cb cb, void *ctx,
                            struct pdv_error *err) PDV_WUR;

/* --- the breach register (Art. 33(5)): free text arrives sealed --- */

int pdv_store_breach_insert(struct pdv_store *s, struct pdv_breach_row *row,
                            struct pdv_error *err) PDV_WUR; /* sets row->id */
int pdv_store_breach_get(struct pdv_store *s, int64_t id, struct pdv_breach_row *ret,
                         struct pdv_error *err) PDV_WUR; /* PDV_E_NOTFOUND */
/* a notification time is set once. which "authority": row's id,
 * authority_notified, late_reason and authority_reference (sealed, NULL when
 * none); "subjects": subjects_notified, subjects_notices and
 * subjects_unreachable (-1: NULL) */
int pdv_store_breach_notified(struct pdv_store *s, const struct pdv_breach_row *row,
                              const char *which, struct pdv_error *err) PDV_WUR;
/* at: the time of the assessment */
int pdv_store_breach_assess(struct pdv_store *s, int64_t id, const char *risk,
                            const uint8_t *reason, size_t reason_len, int64_t at,
                            struct pdv_error *err) PDV_WUR;
/* Art. 33(3)'s items of row's id: consequences, measures, nature, categories
 * (sealed; NULL left as it is), people_count and records_count (-1 left) */
int pdv_store_breach_describe(struct pdv_store *s, const struct pdv_breach_row *row,
                              struct pdv_error *err) PDV_WUR;
int pdv_store_breaches_each(struct pdv_store *s, pdv_breach_row_cb cb, void *ctx,
                            struct pdv_error *err) PDV_WUR;

/* --- cookie banners and consent receipts (0015) --- */

/* keeps a configuration by its id; one kept already is left as it is */
int pdv_store_cookie_config_put(struct pdv_store *s, const struct pdv_cookie_config_row *row,
                                struct pdv_error *err) PDV_WUR;
/* PDV_E_NOTFOUND; *ret valid until the next call on the store */
int pdv_store_cookie_config_get(struct pdv_store *s, const char *id,
                                struct pdv_cookie_config_row *ret, struct pdv_error *err) PDV_WUR;
/* appends a receipt (never changed after); sets row->id */
int pdv_store_cookie_receipt_insert(struct pdv_store *s, struct pdv_cookie_receipt_row *row,
                                    struct pdv_error *err) PDV_WUR;
/* PDV_E_NOTFOUND; *ret valid until the next call on the store */
int pdv_store_cookie_receipt_get(struct pdv_store *s, int64_t id,
                                 struct pdv_cookie_receipt_row *ret, struct pdv_error *err) PDV_WUR;
/* the receipts of one consent id's blind index, oldest first */
int pdv_store_cookie_receipts_of(struct pdv_store *s, const uint8_t consent_index[32],
                                 pdv_cookie_receipt_cb cb, void *ctx,
                                 struct pdv_error *err) PDV_WUR;
/* every configuration kept, oldest first; rows valid during the callback */
typedef int (*pdv_cookie_config_cb)(void *ctx, const struct pdv_cookie_config_row *row);
int pdv_store_cookie_configs_each(struct pdv_store *s, pdv_cookie_config_cb cb, void *ctx,
                                  struct pdv_error *err) PDV_WUR;
/* the receipts received in [from, to), oldest first */
int pdv_store_cookie_receipts_between(struct pdv_store *s, int64_t from, int64_t to,
                                      pdv_cookie_receipt_cb cb, void *ctx,
                                      struct pdv_error *err) PDV_WUR;
/* deletes (or, dry_run, counts) the receipts received before `before` */
int pdv_store_cookie_receipts_purge(struct pdv_store *s, int64_t before, bool dry_run,
                                    int64_t *ret_n, struct pdv_error *err) PDV_WUR;

/* --- the outbox, identity checks, tokens --- */

/* lang: the message's language (fr | en); NULL: the declaration's first */
int pdv_store_outbox_insert(struct pdv_store *s, const char *kind, const char *recipient,
                            int64_t subject_id, int64_t record_id, const uint8_t *payload,
                            size_t len, int64_t at, const char *lang,
                            struct pdv_error *err) PDV_WUR;
/*
 * Delivery (write transaction): claim the next message due at now (queued
 * with next_at <= now, or sending with a lease expired by now), leasing it
 * to owner until lease_until and counting the attempt: 1 with *ret filled
 * (valid until the next call), 0 when none is due. sent and unsent act only
 * on a message still leased to owner (PDV_E_NOTFOUND when the lease was
 * lost); sent drops the payload. retry requeues a failed message.
 */
int pdv_store_outbox_claim(struct pdv_store *s, const char *owner, int64_t lease_until, int64_t now,
                           bool email, struct pdv_outbox_row *ret, struct pdv_error *err) PDV_WUR;
int pdv_store_outbox_sent(struct pdv_store *s, int64_t id, const char *owner, int64_t at,
                          struct pdv_error *err) PDV_WUR;
int pdv_store_outbox_unsent(struct pdv_store *s, int64_t id, const char *owner, const char *status,
                            int64_t next_at, const char *last_error, struct pdv_error *err) PDV_WUR;
/* a claimed message not tried: queued as it was, its attempt uncounted
 * (PDV_E_NOTFOUND: the lease was lost) */
int pdv_store_outbox_release(struct pdv_store *s, int64_t id, const char *owner,
                             struct pdv_error *err) PDV_WUR;
/* the relay is back: email messages queued after failing to reach it are
 * due at now; *ret how many */
int pdv_store_outbox_relay_back(struct pdv_store *s, int64_t now, int64_t *ret,
                                struct pdv_error *err) PDV_WUR;
/* downloads (write transaction for put and use); use is PDV_E_NOTFOUND when
 * the download was used already; the purge runs with verifications_purge */
int pdv_store_download_put(struct pdv_store *s, const struct pdv_download_row *row,
                           const uint8_t hash[32], struct pdv_error *err) PDV_WUR;
int pdv_store_download_by_hash(struct pdv_store *s, const uint8_t hash[32],
                               struct pdv_download_row *ret, struct pdv_error *err) PDV_WUR;
int pdv_store_download_of_request(struct pdv_store *s, int64_t request_id,
                                  struct pdv_download_row *ret, struct pdv_error *err) PDV_WUR;
int pdv_store_download_use(struct pdv_store *s, int64_t id, int64_t at,
                           struct pdv_error *err) PDV_WUR;
/* renewal links (write transaction for insert and use); use is
 * PDV_E_NOTFOUND when the link was used already */
int pdv_store_renewal_insert(struct pdv_store *s, int64_t record_id, const uint8_t hash[32],
                             int64_t created_at, int64_t expires_at, struct pdv_error *err) PDV_WUR;
int pdv_store_renewal_by_hash(struct pdv_store *s, const uint8_t hash[32],
                              struct pdv_renewal_row *ret,
                              struct pdv_error *err) PDV_WUR; /* PDV_E_NOTFOUND */
int pdv_store_renewal_use(struct pdv_store *s, int64_t id, int64_t at,
                          struct pdv_error *err) PDV_WUR;
int pdv_store_outbox_retry(struct pdv_store *s, int64_t id, int64_t next_at,
                           struct pdv_error *err) PDV_WUR; /* PDV_E_NOTFOUND: not failed */
/* a recipient's webhook secret, sealed by the engine (PDV_E_NOTFOUND: none) */
int pdv_store_recipient_secret_put(struct pdv_store *s, const char *recipient,
                                   const uint8_t *sealed, size_t len, int64_t at,
                                   struct pdv_error *err) PDV_WUR;
int pdv_store_recipient_secret_get(struct pdv_store *s, const char *recipient,
                                   const uint8_t **ret_sealed, size_t *ret_len,
                                   struct pdv_error *err) PDV_WUR;
int pdv_store_outbox_get(struct pdv_store *s, int64_t id, struct pdv_outbox_row *ret,
                         struct pdv_error *err) PDV_WUR; /* PDV_E_NOTFOUND */
int pdv_store_outbox_each(struct pdv_store *s, pdv_outbox_row_cb cb, void *ctx,
                          struct pdv_error *err) PDV_WUR;
/*
 * A message queued once for its key (the DPO's digest of a day, a breach's
 * alert at one stage), whoever queues it and however often (write
 * transaction): 1 when this call queued it, 0 when the key had one already.
 * once_exists reads whether it has (so a worker that finds it there opens
 * no write transaction).
 */
int pdv_store_outbox_insert_once(struct pdv_store *s, const char *kind, const char *key,
                                 const uint8_t *payload, size_t len, int64_t at,
                                 struct pdv_error *err) PDV_WUR;
int pdv_store_outbox_once_exists(struct pdv_store *s, const char *key, bool *ret,
                                 struct pdv_error *err) PDV_WUR;
/*
 * The Art. 19 notices of a request: max_id before the request's close
 * performs it, link_request after (same write transaction) marks the
 * notices queued since as the request's; of_request reads them (id, kind,
 * recipient, times, message_id, status, attempts, next_at, last_error).
 */
int pdv_store_outbox_max_id(struct pdv_store *s, int64_t *ret, struct pdv_error *err) PDV_WUR;
int pdv_store_outbox_link_request(struct pdv_store *s, int64_t request_id, int64_t after_id,
                                  struct pdv_error *err) PDV_WUR;
/* the message queued last on this connection is the request's (0014) */
int pdv_store_outbox_link_last(struct pdv_store *s, int64_t request_id,
                               struct pdv_error *err) PDV_WUR;
int pdv_store_request_note_insert(struct pdv_store *s, int64_t request_id, int64_t at,
                                  const char *author, const uint8_t *note, size_t len,
                                  int64_t *ret_id, struct pdv_error *err) PDV_WUR;
int pdv_store_request_notes_of(struct pdv_store *s, int64_t request_id, pdv_request_note_cb cb,
                               void *ctx, struct pdv_error *err) PDV_WUR;
/* how many open requests a subject has (the sweep waits for them) */
int pdv_store_requests_open_of_subject(struct pdv_store *s, int64_t subject_id, int64_t *ret,
                                       struct pdv_error *err) PDV_WUR;
int pdv_store_outbox_of_request(struct pdv_store *s, int64_t request_id, pdv_outbox_row_cb cb,
                                void *ctx, struct pdv_error *err) PDV_WUR;
/* --- deletion certificates and their signing keys (0016) --- */

/* a new current key (the caller retires the one before, same transaction) */
int pdv_store_signing_key_insert(struct pdv_store *s, const char *key_id, const uint8_t *public_key,
                                 size_t public_key_len, const uint8_t *secret, size_t secret_len,
                                 int64_t at, struct pdv_error *err) PDV_WUR;
int pdv_store_signing_key_retire(struct pdv_store *s, int64_t at, struct pdv_error *err) PDV_WUR;
/* every key, the oldest first */
int pdv_store_signing_keys_each(struct pdv_store *s, pdv_signing_key_cb cb, void *ctx,
                                struct pdv_error *err) PDV_WUR;
int pdv_store_signing_key_secret_set(struct pdv_store *s, int64_t id, const uint8_t *secret,
                                     size_t len, struct pdv_error *err) PDV_WUR;
/* sets row->id; row->request_id 0 stores NULL */
int pdv_store_certificate_insert(struct pdv_store *s, struct pdv_certificate_row *row,
                                 struct pdv_error *err) PDV_WUR;
/* the body, once the row's id (which it names) is known */
int pdv_store_certificate_body_set(struct pdv_store *s, int64_t id, const uint8_t *body, size_t len,
                                   struct pdv_error *err) PDV_WUR;
/* the row's buffers are valid until the next call; PDV_E_NOTFOUND when none */
int pdv_store_certificate_get(struct pdv_store *s, int64_t id, struct pdv_certificate_row *ret,
                              struct pdv_error *err) PDV_WUR;
int pdv_store_certificate_of_request(struct pdv_store *s, int64_t request_id,
                                     struct pdv_certificate_row *ret,
                                     struct pdv_error *err) PDV_WUR;

/* identity checks of the public intake (sets row->id) */
int pdv_store_verification_insert(struct pdv_store *s, struct pdv_verification_row *row,
                                  struct pdv_error *err) PDV_WUR;
int pdv_store_verification_get(struct pdv_store *s, int64_t id, struct pdv_verification_row *ret,
                               struct pdv_error *err) PDV_WUR; /* PDV_E_NOTFOUND */
int pdv_store_verification_update(struct pdv_store *s, int64_t id, int attempts, int64_t used_at,
                                  struct pdv_error *err) PDV_WUR;
/* the checks expired at now, and the messages of checks older than ttl */
int pdv_store_verifications_purge(struct pdv_store *s, int64_t now, int64_t ttl,
                                  struct pdv_error *err) PDV_WUR;
int pdv_store_token_insert(struct pdv_store *s, const struct pdv_token_row *row,
                           struct pdv_error *err) PDV_WUR; /* PDV_E_REFUSED: name taken */
int pdv_store_token_revoke(struct pdv_store *s, const char *name, int64_t at,
                           struct pdv_error *err) PDV_WUR; /* PDV_E_NOTFOUND */
int pdv_store_token_by_hash(struct pdv_store *s, const uint8_t hash[32], struct pdv_token_row *ret,
                            struct pdv_error *err) PDV_WUR;
int pdv_store_tokens_each(struct pdv_store *s, pdv_token_row_cb cb, void *ctx,
                          struct pdv_error *err) PDV_WUR;
int pdv_store_token_used(struct pdv_store *s, const char *name, int64_t at,
                         struct pdv_error *err) PDV_WUR;

/* --- staff accounts and their sessions (0012) --- */

/* inserts name, role, email, created_at, invite_hash, invite_expires;
 * PDV_E_REFUSED: name taken */
int pdv_store_staff_insert(struct pdv_store *s, const struct pdv_staff_row *row,
                           struct pdv_error *err) PDV_WUR;
/* PDV_E_NOTFOUND; the row's buffers last until the next call */
int pdv_store_staff_get(struct pdv_store *s, const char *name, struct pdv_staff_row *ret,
                        struct pdv_error *err) PDV_WUR;
int pdv_store_staff_by_invite(struct pdv_store *s, const uint8_t hash[32],
                              struct pdv_staff_row *ret, struct pdv_error *err) PDV_WUR;
int pdv_store_staff_each(struct pdv_store *s, pdv_staff_row_cb cb, void *ctx,
                         struct pdv_error *err) PDV_WUR;
/* writes every field but name, role, email and created_at */
int pdv_store_staff_update(struct pdv_store *s, const struct pdv_staff_row *row,
                           struct pdv_error *err) PDV_WUR;
int pdv_store_staff_delete(struct pdv_store *s, const char *name,
                           struct pdv_error *err) PDV_WUR; /* PDV_E_NOTFOUND */
int pdv_store_staff_session_insert(struct pdv_store *s, const uint8_t hash[32], const char *name,
                                   int64_t at, struct pdv_error *err) PDV_WUR;
int pdv_store_staff_session_get(struct pdv_store *s, const uint8_t hash[32],
                                struct pdv_staff_session_row *ret,
                                struct pdv_error *err) PDV_WUR; /* PDV_E_NOTFOUND */
int pdv_store_staff_session_seen(struct pdv_store *s, const uint8_t hash[32], int64_t at,
                                 struct pdv_error *err) PDV_WUR;
int pdv_store_staff_session_delete(struct pdv_store *s, const uint8_t hash[32],
                                   struct pdv_error *err) PDV_WUR;
/* every session of name but `keep` (NULL: every one) */
int pdv_store_staff_sessions_end(struct pdv_store *s, const char *name, const uint8_t *keep,
                                 struct pdv_error *err) PDV_WUR;

/* --- the audit log --- */

/* row->seq as the engine numbers it: next after pdv_store_audit_last, read in
 * the same write transaction (an accepted loss skips the numbers lost) */
int pdv_store_audit_append(struct pdv_store *s, const struct pdv_audit_row *row,
                           struct pdv_error *err) PDV_WUR;
/* the last entry's seq and hash; seq 0 and zero bytes when the log is empty */
int pdv_store_audit_last(struct pdv_store *s, int64_t *ret_seq, uint8_t ret_hash[32],
                         struct pdv_error *err) PDV_WUR;
/* subject NULL: every entry; else that subject's; in seq order */
int pdv_store_audit_each(struct pdv_store *s, const char *subject, pdv_audit_cb cb, void *ctx,
                         struct pdv_error *err) PDV_WUR;
/* the entries from seq `from` on, in seq order */
int pdv_store_audit_from(struct pdv_store *s, int64_t from, pdv_audit_cb cb, void *ctx,
                         struct pdv_error *err) PDV_WUR;

#endif
