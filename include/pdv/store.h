/*
 * pdv/store.h — the store: where the vault keeps its rows.
 *
 * The store holds opaque bytes. It never sees a key or a clear personal-data
 * value: field values, staff free text and wrapped keys arrive sealed, lookup
 * values arrive as keyed hashes. Encryption is the engine's business.
 *
 * A backend is a versioned table of operations (struct pdv_store_ops); the
 * SQLite backend is built in, the PostgreSQL one implements the same table.
 * pdv_store_open picks the backend from the URL scheme (sqlite:PATH,
 * postgresql://...).
 *
 * Invariants:
 *  - every write happens inside pdv_store_begin/commit; an acknowledged
 *    commit is durable (SQLite: WAL with synchronous=FULL);
 *  - migrations are numbered and embedded; open applies the missing ones, in
 *    one transaction each, and refuses a store newer than the binary;
 *  - rows are addressed by sequential integer ids (appends); the opaque ids
 *    shown outside (pdv_id_format) pair that integer with a random tag kept
 *    in the row, so they cannot be guessed and hold no personal data;
 *  - strings handed back by a getter are owned by the store and valid until
 *    the next call on it; copy what you keep.
 */
#ifndef PDV_STORE_H
#define PDV_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pdv/error.h"

#define PDV_STORE_OPS_VERSION 4
#define PDV_TAG_LEN 8
#define PDV_LOOKUP_LEN 16 /* the first 128 bits of the keyed hash: half the index pages */
#define PDV_BINDING_LEN 16 /* a record's binding: the first 128 bits of a keyed hash */

struct pdv_store;

struct pdv_subject_row {
	int64_t id;
	uint8_t tag[PDV_TAG_LEN];
	const uint8_t *wrapped_key; /* NULL once shredded */
	size_t wrapped_key_len;
	int64_t created_at;
	bool restricted;
};

struct pdv_record_row {
	int64_t id;
	uint8_t tag[PDV_TAG_LEN];
	int64_t subject_id;
	const char *activity;
	const char *phase; /* active | renewal-pending | archived | restricted */
	int64_t collected_at;
	int64_t last_contact;
	int64_t consent_at; /* 0: none */
	int64_t phase_at;   /* when the record entered its phase */
	int64_t next_at;    /* next transition, 0: none known */
	const char *source; /* NULL: the data subject */
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
	const char *scope;  /* "all" or "metrics"; NULL: "all" */
	int64_t created_at;
	int64_t expires_at; /* 0: never */
	int64_t revoked_at; /* 0: not revoked */
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
	int64_t used_at; /* 0: not used */
	const uint8_t *payload; /* sealed, or NULL */
	size_t payload_len;
};

struct pdv_outbox_row {
	int64_t id;
	const char *kind;
	const char *recipient;
	int64_t subject_id, record_id;
	const uint8_t *payload;
	size_t payload_len;
	int64_t created_at, sent_at;
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

struct pdv_store_ops {
	int version; /* PDV_STORE_OPS_VERSION */
	const char *scheme;

	int (*open)(const char *where, bool create, struct pdv_store **ret, struct pdv_error *err);
	void (*close)(struct pdv_store *s);
	int (*schema_version)(struct pdv_store *s, int *ret, struct pdv_error *err);

	int (*begin)(struct pdv_store *s, struct pdv_error *err);
	int (*commit)(struct pdv_store *s, struct pdv_error *err);
	void (*rollback)(struct pdv_store *s);
	/*
	 * Deferred durability (the server's group commit): commits stop waiting
	 * for the disk, and sync makes every commit made so far durable. sync
	 * may be called from another thread while the store is used.
	 */
	int (*durability)(struct pdv_store *s, bool deferred, struct pdv_error *err);
	int (*sync)(struct pdv_store *s, struct pdv_error *err);
	/* one nested level inside a transaction: a savepoint, kept or undone */
	int (*savepoint)(struct pdv_store *s, struct pdv_error *err);
	int (*release)(struct pdv_store *s, struct pdv_error *err);
	void (*rollback_to)(struct pdv_store *s);

	/* meta: small named values (key id, wrapped service keys) */
	int (*meta_get)(struct pdv_store *s, const char *name, uint8_t *buf, size_t size,
			size_t *ret_len, struct pdv_error *err);
	int (*meta_put)(struct pdv_store *s, const char *name, const void *v, size_t n,
			struct pdv_error *err);
	int (*meta_delete)(struct pdv_store *s, const char *name, struct pdv_error *err);

	/*
	 * Ids are allocated before the insert, inside the write transaction,
	 * because the engine binds a row's sealed values to its id.
	 */
	int (*subject_next_id)(struct pdv_store *s, int64_t *ret, struct pdv_error *err);
	int (*record_next_id)(struct pdv_store *s, int64_t *ret, struct pdv_error *err);

	/* subjects and their blind indexes */
	int (*subject_insert)(struct pdv_store *s, struct pdv_subject_row *row,
			      struct pdv_error *err); /* row->id: given, or 0 to allocate */
	int (*subject_get)(struct pdv_store *s, int64_t id, struct pdv_subject_row *ret,
			   struct pdv_error *err);
	int (*subject_wrapped_each)(struct pdv_store *s, pdv_wrapped_cb cb, void *ctx,
				    struct pdv_error *err);
	int (*subject_wrapped_set)(struct pdv_store *s, int64_t id, const uint8_t *wrapped,
				   size_t len, struct pdv_error *err);
	/* a hash already held by a live subject keeps it; one left to a
	 * shredded subject (see subject_shred_key) goes to subject_id */
	int (*lookup_put)(struct pdv_store *s, const uint8_t hash[PDV_LOOKUP_LEN],
			  int64_t subject_id, struct pdv_error *err);
	int (*lookup_get)(struct pdv_store *s, const uint8_t hash[PDV_LOOKUP_LEN],
			  int64_t *ret_subject, struct pdv_error *err); /* PDV_E_NOTFOUND */
	/*
	 * A new subject and its blind indexes, unless one of the hashes is
	 * already someone's: then nothing of it stays and PDV_E_REFUSED (the
	 * import guesses a person is new; one index seek instead of two).
	 */
	int (*subject_insert_new)(struct pdv_store *s, struct pdv_subject_row *row,
				  const uint8_t *const *hashes, size_t n_hashes,
				  struct pdv_error *err);

	/* records */
	int (*record_insert)(struct pdv_store *s, struct pdv_record_row *row,
			     struct pdv_error *err); /* row->id: given, or 0 to allocate */
	int (*record_get)(struct pdv_store *s, int64_t id, struct pdv_record_row *ret,
			  struct pdv_error *err);
	int (*record_update)(struct pdv_store *s, const struct pdv_record_row *row,
			     struct pdv_error *err);
	int (*records_of_subject)(struct pdv_store *s, int64_t subject_id, pdv_record_cb cb,
				  void *ctx, struct pdv_error *err);

	/* ending a record: its events, then the row */
	int (*record_delete)(struct pdv_store *s, int64_t id, struct pdv_error *err);
	/* the row alone, when the caller knows it has no events (batch_facts) */
	int (*record_delete_row)(struct pdv_store *s, int64_t id, struct pdv_error *err);
	int (*batch_facts)(struct pdv_store *s, int64_t lo, int64_t hi,
			   struct pdv_batch_facts *ret, struct pdv_error *err);
	int (*lookup_delete)(struct pdv_store *s, const uint8_t hash[PDV_LOOKUP_LEN],
			     struct pdv_error *err);
	/* an anonymised record's kept values, sealed under the statistics key */
	int (*statistics_insert)(struct pdv_store *s, const char *activity, const char *month,
				 const uint8_t *fields, size_t len, struct pdv_error *err);

	/* the sweep: records whose next transition is due at `now`, id > after */
	int (*records_due)(struct pdv_store *s, int64_t after, int64_t now, int limit,
			   pdv_record_cb cb, void *ctx, struct pdv_error *err);
	int (*records_count_of_subject)(struct pdv_store *s, int64_t subject_id, int64_t *ret,
					struct pdv_error *err);
	/* crypto-shredding: the subject's key and blind indexes go, a journal row stays */
	int (*subject_shred)(struct pdv_store *s, int64_t subject_id, struct pdv_error *err);
	/* the key alone (what opens the values); the caller deletes the
	 * directives (directives_delete) and, later, the blind indexes
	 * (lookups_purge): a lookup left to a shredded subject finds no one and
	 * is taken over by the value's next owner */
	int (*subject_shred_key)(struct pdv_store *s, int64_t subject_id, struct pdv_error *err);
	int (*directives_delete)(struct pdv_store *s, int64_t subject_id, struct pdv_error *err);
	/* the blind indexes of the subjects shredded (an erasure row without a
	 * record: a shredded key never comes back) after erasure seq `after` */
	int (*lookups_purge)(struct pdv_store *s, int64_t after, struct pdv_error *err);
	int (*erasure_insert)(struct pdv_store *s, int64_t seq, int64_t subject_id,
			      int64_t record_id, int64_t at, const char *reason, int64_t *ret_seq,
			      struct pdv_error *err); /* seq 0: the next one */
	int (*erasures_after)(struct pdv_store *s, int64_t after,
			      int (*cb)(void *ctx, int64_t seq, int64_t subject_id, int64_t record_id,
					int64_t at, const char *reason),
			      void *ctx, struct pdv_error *err);
	int (*erasures_max)(struct pdv_store *s, int64_t *ret, struct pdv_error *err);
	/* a restore replaying an erasure: every record of the subject goes */
	int (*records_delete_subject)(struct pdv_store *s, int64_t subject_id,
				      struct pdv_error *err);
	/* an online copy of the whole store into a new file (mode 0600) */
	int (*backup)(struct pdv_store *s, const char *path, struct pdv_error *err);
	/* PDV_E_IO when the file is damaged */
	int (*check)(struct pdv_store *s, struct pdv_error *err);
	int (*outbox_insert)(struct pdv_store *s, const char *kind, const char *recipient,
			     int64_t subject_id, int64_t record_id, const uint8_t *payload,
			     size_t len, int64_t at, struct pdv_error *err);
	int (*holds_active_count)(struct pdv_store *s, int64_t subject_id, int64_t *ret,
				  struct pdv_error *err);

	/* holds (the reason arrives sealed), restriction, the suppression list */
	int (*hold_insert)(struct pdv_store *s, const uint8_t tag[PDV_TAG_LEN], int64_t subject_id,
			   const uint8_t *reason, size_t len, int64_t at, const char *by,
			   int64_t *ret_id, struct pdv_error *err);
	int (*hold_get)(struct pdv_store *s, int64_t id, uint8_t ret_tag[PDV_TAG_LEN],
			int64_t *ret_subject, bool *ret_lifted, struct pdv_error *err);
	int (*hold_lift)(struct pdv_store *s, int64_t id, int64_t at, const char *by,
			 struct pdv_error *err);
	int (*subject_set_restricted)(struct pdv_store *s, int64_t id, bool restricted,
				      struct pdv_error *err);
	int (*suppression_put)(struct pdv_store *s, const uint8_t hash[PDV_LOOKUP_LEN], int64_t at,
			       int64_t expires_at, struct pdv_error *err);
	int (*suppression_active)(struct pdv_store *s, const uint8_t hash[PDV_LOOKUP_LEN],
				  int64_t now, bool *ret, struct pdv_error *err);

	/* rights requests (a refusal or extension reason arrives sealed) */
	int (*request_insert)(struct pdv_store *s, struct pdv_request_row *row,
			      struct pdv_error *err); /* sets row->id */
	int (*request_get)(struct pdv_store *s, int64_t id, struct pdv_request_row *ret,
			   struct pdv_error *err);
	int (*request_update)(struct pdv_store *s, int64_t id, const char *status, const char *due,
			      bool extended, const uint8_t *reason, size_t reason_len,
			      int64_t closed_at, struct pdv_error *err);
	/* an identity document, sealed; NULL destroys it */
	int (*request_set_id_document)(struct pdv_store *s, int64_t id, const uint8_t *doc,
				       size_t len, struct pdv_error *err);
	int (*requests_with_id_document)(struct pdv_store *s,
					 int (*cb)(void *ctx, int64_t id, const char *received,
						   const char *status, int64_t closed_at),
					 void *ctx, struct pdv_error *err);
	int (*requests_each)(struct pdv_store *s,
			     int (*cb)(void *ctx, const struct pdv_request_row *r), void *ctx,
			     struct pdv_error *err);

	/* the breach register: free text arrives sealed; a notification time
	 * is set once (which: "authority", with the sealed reasons of a late one,
	 * or "subjects") */
	int (*breach_insert)(struct pdv_store *s, struct pdv_breach_row *row,
			     struct pdv_error *err); /* sets row->id */
	int (*breach_get)(struct pdv_store *s, int64_t id, struct pdv_breach_row *ret,
			  struct pdv_error *err); /* PDV_E_NOTFOUND */
	int (*breach_notified)(struct pdv_store *s, int64_t id, const char *which, int64_t at,
			       const uint8_t *late_reason, size_t late_len, struct pdv_error *err);
	int (*breach_assess)(struct pdv_store *s, int64_t id, const char *risk,
			     const uint8_t *reason, size_t reason_len, struct pdv_error *err);
	int (*breaches_each)(struct pdv_store *s,
			     int (*cb)(void *ctx, const struct pdv_breach_row *r), void *ctx,
			     struct pdv_error *err);

	/* statistics: an activity's records (in pages of 1000 after id `after`),
	 * its anonymised rows, and the outbox */
	int (*records_of_activity)(struct pdv_store *s, const char *activity, int64_t after,
				   pdv_record_cb cb, void *ctx, struct pdv_error *err);
	int (*statistics_each)(struct pdv_store *s, const char *activity,
			       int (*cb)(void *ctx, const char *month, const uint8_t *fields,
					 size_t len),
			       void *ctx, struct pdv_error *err);
	int (*outbox_each)(struct pdv_store *s,
			   int (*cb)(void *ctx, int64_t id, const char *kind, const char *recipient,
				     int64_t subject_id, int64_t record_id, int64_t created_at,
				     int64_t sent_at),
			   void *ctx, struct pdv_error *err);

	/* post-mortem directives, sealed; get fills buf (PDV_E_NOTFOUND: none) */
	int (*directives_put)(struct pdv_store *s, int64_t subject_id, const uint8_t *text,
			      size_t len, int64_t at, struct pdv_error *err);
	int (*directives_get)(struct pdv_store *s, int64_t subject_id, uint8_t *buf, size_t size,
			      size_t *ret_len, struct pdv_error *err);

	/* lifecycle events and consent */
	int (*event_insert)(struct pdv_store *s, const struct pdv_event_row *row,
			    struct pdv_error *err);
	int (*events_of_record)(struct pdv_store *s, int64_t record_id, pdv_event_cb cb, void *ctx,
				struct pdv_error *err);
	int (*consent_text_put)(struct pdv_store *s, const char *activity, const char *version,
				const char *text, struct pdv_error *err); /* once per version */
	int (*consent_insert)(struct pdv_store *s, const struct pdv_consent_row *row,
			      struct pdv_error *err);
	int (*consents_of_subject)(struct pdv_store *s, int64_t subject_id, pdv_consent_cb cb,
				   void *ctx, struct pdv_error *err);

	/* tokens */
	int (*token_insert)(struct pdv_store *s, const struct pdv_token_row *row,
			    struct pdv_error *err); /* PDV_E_REFUSED: name taken */
	int (*token_revoke)(struct pdv_store *s, const char *name, int64_t at,
			    struct pdv_error *err); /* PDV_E_NOTFOUND */
	int (*token_by_hash)(struct pdv_store *s, const uint8_t hash[32], struct pdv_token_row *ret,
			     struct pdv_error *err);
	int (*tokens_each)(struct pdv_store *s, int (*cb)(void *ctx, const struct pdv_token_row *r),
			   void *ctx, struct pdv_error *err);

	/* identity checks of the public intake (sets row->id) */
	int (*verification_insert)(struct pdv_store *s, struct pdv_verification_row *row,
				   struct pdv_error *err);
	int (*verification_get)(struct pdv_store *s, int64_t id, struct pdv_verification_row *ret,
				struct pdv_error *err); /* PDV_E_NOTFOUND */
	int (*verification_update)(struct pdv_store *s, int64_t id, int attempts, int64_t used_at,
				   struct pdv_error *err);
	/* the checks expired at now, and the messages of checks older than ttl */
	int (*verifications_purge)(struct pdv_store *s, int64_t now, int64_t ttl,
				   struct pdv_error *err);
	int (*outbox_get)(struct pdv_store *s, int64_t id, struct pdv_outbox_row *ret,
			  struct pdv_error *err); /* PDV_E_NOTFOUND */
	/* records counted by activity and phase; `ending`: next_at in (from, to] */
	int (*records_summary)(struct pdv_store *s, int64_t from, int64_t to,
			       int (*cb)(void *ctx, const char *activity, const char *phase,
					 int64_t count, int64_t ending),
			       void *ctx, struct pdv_error *err);

	/* audit log */
	int (*audit_append)(struct pdv_store *s, const struct pdv_audit_row *row,
			    struct pdv_error *err); /* row->seq as the engine numbers it */
	int (*audit_last)(struct pdv_store *s, int64_t *ret_seq, uint8_t ret_hash[32],
			  struct pdv_error *err); /* seq 0 when empty */
	int (*audit_each)(struct pdv_store *s, const char *subject, pdv_audit_cb cb, void *ctx,
			  struct pdv_error *err); /* subject NULL: all, in seq order */

	/* version 4 */
	/* the entries from seq `from` on, in seq order (audit_append writes
	 * row->seq as given: the engine numbers the chain) */
	int (*audit_from)(struct pdv_store *s, int64_t from, pdv_audit_cb cb, void *ctx,
			  struct pdv_error *err);
	/* up to 1000 records with no binding and id > after, and setting one */
	int (*records_unbound)(struct pdv_store *s, int64_t after, pdv_record_cb cb, void *ctx,
			       struct pdv_error *err);
	int (*record_bind)(struct pdv_store *s, int64_t id, const uint8_t binding[PDV_BINDING_LEN],
			   struct pdv_error *err);
};

/* The backend for a URL: sqlite:PATH (or a bare path), postgresql://... */
int pdv_store_backend(const char *url, const struct pdv_store_ops **ret_ops,
		      const char **ret_where, struct pdv_error *err) PDV_WUR;

extern const struct pdv_store_ops pdv_store_sqlite_ops;

#endif
