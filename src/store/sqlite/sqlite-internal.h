/*
 * sqlite-internal.h — what the files of the SQLite backend share: the
 * handle, the statement helpers, and the operations the table in sqlite.c
 * points to (one file per area: sqlite.c the connection, transactions, ids
 * and the store as a whole; subjects.c, records.c, requests.c, audit.c the
 * rows).
 *
 * Every statement is one of sql/sqlite/statements.sql, prepared once at
 * open; a call takes it with sq_stmt (reset, no values bound), binds, and
 * steps it through sq_done, sq_one, sq_int64 or sq_each. Text and blobs read
 * from a row point into SQLite's buffers: valid until the statement is
 * stepped or reset again, which store.h words as "until the next call".
 */
#ifndef PDV_STORE_SQLITE_INTERNAL_H
#define PDV_STORE_SQLITE_INTERNAL_H

#include <sqlite3.h>

#include "backend.h"
#include "sqlite-sql.h"

struct checkpointer;

struct pdv_store_impl {
	sqlite3 *db;
	char *path;
	sqlite3_stmt *st[PDV_SQL__COUNT];
	bool in_tx;
	int wal_fd;                /* deferred durability: the WAL, synced by sqlite_sync */
	struct checkpointer *ckpt; /* started by the first big commit */
	int wal_pages;             /* in the WAL after the last commit */
	/* ids: the next of each kind, read once per transaction (0: not yet),
	 * and as they were when the savepoint was taken */
	int64_t next_id[PDV_STORE_ID__COUNT];
	int64_t sp_next_id[PDV_STORE_ID__COUNT];
	/* the message the last claim returned, copied out of its statement
	 * (which must be reset before the commit): valid until the next claim */
	uint8_t *claimed;
	int serve_fd; /* a server's shared lock of DB-serve-lock (servers.c), or -1 */
	int sweep_fd; /* the sweep lock, DB-sweep-lock, while held, or -1 */
};

/* servers.c: the other processes on the store (multi-server.md) */
int sqlite_announce(struct pdv_store_impl *s, struct pdv_error *err);
int sqlite_servers(struct pdv_store_impl *s, int64_t *ret_n, struct pdv_error *err);
int sqlite_sweep_try_lock(struct pdv_store_impl *s, bool *ret_got, struct pdv_error *err);
void sqlite_sweep_unlock(struct pdv_store_impl *s);
int sqlite_verify_send_take(struct pdv_store_impl *s, const uint8_t index[32], int64_t now,
                            int64_t since, int64_t cap, bool *ret_ok, struct pdv_error *err);

/* tables.c: the copy between backends (tables.h) */
int sqlite_table_each(struct pdv_store_impl *s, size_t table, pdv_table_row_cb cb, void *ctx,
                      struct pdv_error *err);
int sqlite_table_put(struct pdv_store_impl *s, size_t table, const struct pdv_value *row, int n,
                     struct pdv_error *err);
int sqlite_table_count(struct pdv_store_impl *s, size_t table, int64_t *ret, struct pdv_error *err);
int sqlite_meta_clear(struct pdv_store_impl *s, struct pdv_error *err);

/* the error of the connection's last call, as an rc: PDV_E_IO for the disk,
 * a lock, a damaged file; PDV_E_INTERNAL for the rest */
int sq_error(struct pdv_store_impl *s, struct pdv_error *err, const char *what);
/* statement `which`, reset, no value bound */
sqlite3_stmt *sq_stmt(struct pdv_store_impl *s, int which);
/* step a statement that returns no row */
int sq_done(struct pdv_store_impl *s, sqlite3_stmt *st, struct pdv_error *err, const char *what);
/* step to the one row a getter reads: 0 with the row there to read,
 * PDV_E_NOTFOUND with the message `missing` when there is none */
int sq_one(struct pdv_store_impl *s, sqlite3_stmt *st, const char *missing, const char *what,
           struct pdv_error *err);
/* the integer of the one row a statement returns (a count, a max) */
int sq_int64(struct pdv_store_impl *s, sqlite3_stmt *st, int64_t *ret, const char *what,
             struct pdv_error *err);
/*
 * Every row of a statement: on_row(ctx, st) reads it and hands it on; a
 * non-zero return stops and is returned. The statement is reset at the end,
 * so its row buffers go with it.
 */
int sq_each(struct pdv_store_impl *s, sqlite3_stmt *st, int (*on_row)(void *ctx, sqlite3_stmt *st),
            void *ctx, const char *what, struct pdv_error *err);

/* values in: NULL (0 for bind_opt_int) binds NULL */
void sq_bind_text(sqlite3_stmt *st, int i, const char *v);
void sq_bind_blob(sqlite3_stmt *st, int i, const void *v, size_t n);
void sq_bind_opt_int(sqlite3_stmt *st, int i, int64_t v);
/* values out */
const char *sq_col_text(sqlite3_stmt *st, int i);
/* n bytes when the column holds exactly n, else zeros: false */
bool sq_col_fixed(sqlite3_stmt *st, int i, uint8_t *out, size_t n);

/* the record columns every record statement starts with (record.c) */
void sq_record_from_row(sqlite3_stmt *st, struct pdv_record_row *r);

/* --- the operations, by file --- */

/* sqlite.c: ids (the rest of sqlite.c is reached through the table only) */
int sqlite_id_next(struct pdv_store_impl *s, enum pdv_store_id_kind kind, int64_t *ret,
                   struct pdv_error *err);
int sqlite_id_reserve(struct pdv_store_impl *s, enum pdv_store_id_kind kind, int64_t n,
                      int64_t *ret_first, struct pdv_error *err);

/* subjects.c */
int sqlite_subject_insert(struct pdv_store_impl *s, struct pdv_subject_row *row,
                          struct pdv_error *err);
int sqlite_subject_get(struct pdv_store_impl *s, int64_t id, struct pdv_subject_row *ret,
                       struct pdv_error *err);
int sqlite_subject_wrapped_each(struct pdv_store_impl *s, int64_t after, pdv_wrapped_cb cb,
                                void *ctx, struct pdv_error *err);
int sqlite_subject_wrapped_set(struct pdv_store_impl *s, int64_t id, const uint8_t *wrapped,
                               size_t len, struct pdv_error *err);
int sqlite_lookup_put(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN],
                      int64_t subject_id, struct pdv_error *err);
int sqlite_lookups_known(struct pdv_store_impl *s, const uint8_t *hashes, size_t n, bool *ret_known,
                         struct pdv_error *err);
int sqlite_lookups_read_ahead(struct pdv_store_impl *s, const uint8_t *hashes, size_t n,
                              struct pdv_error *err);
int sqlite_lookup_get(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN],
                      int64_t *ret_subject, struct pdv_error *err);
int sqlite_lookups_held_between(struct pdv_store_impl *s, int64_t first, int64_t last, int64_t *ret,
                                struct pdv_error *err);
int sqlite_lookup_delete(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN],
                         struct pdv_error *err);
int sqlite_subject_insert_new(struct pdv_store_impl *s, struct pdv_subject_row *row,
                              const uint8_t *const *hashes, size_t n_hashes, struct pdv_error *err);
int sqlite_subject_set_restricted(struct pdv_store_impl *s, int64_t id, bool restricted,
                                  struct pdv_error *err);
int sqlite_subject_shred(struct pdv_store_impl *s, int64_t subject_id, struct pdv_error *err);
int sqlite_subject_shred_key(struct pdv_store_impl *s, int64_t subject_id, struct pdv_error *err);
int sqlite_lookups_purge(struct pdv_store_impl *s, int64_t after, struct pdv_error *err);
int sqlite_hold_insert(struct pdv_store_impl *s, const uint8_t tag[PDV_TAG_LEN], int64_t subject_id,
                       const uint8_t *reason, size_t len, int64_t at, const char *by,
                       int64_t *ret_id, struct pdv_error *err);
int sqlite_hold_get(struct pdv_store_impl *s, int64_t id, uint8_t ret_tag[PDV_TAG_LEN],
                    int64_t *ret_subject, bool *ret_lifted, struct pdv_error *err);
int sqlite_hold_lift(struct pdv_store_impl *s, int64_t id, int64_t at, const char *by,
                     struct pdv_error *err);
int sqlite_holds_of_subject(struct pdv_store_impl *s, int64_t subject_id, pdv_hold_cb cb, void *ctx,
                            struct pdv_error *err);
int sqlite_holds_active_count(struct pdv_store_impl *s, int64_t subject_id, int64_t *ret,
                              struct pdv_error *err);
int sqlite_suppression_put(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN], int64_t at,
                           int64_t expires_at, struct pdv_error *err);
int sqlite_suppression_active(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN],
                              int64_t now, bool *ret, struct pdv_error *err);
int sqlite_directives_put(struct pdv_store_impl *s, int64_t subject_id, const uint8_t *text,
                          size_t len, int64_t at, struct pdv_error *err);
int sqlite_directives_get(struct pdv_store_impl *s, int64_t subject_id, uint8_t *buf, size_t size,
                          size_t *ret_len, struct pdv_error *err);
int sqlite_directives_delete(struct pdv_store_impl *s, int64_t subject_id, struct pdv_error *err);

/* records.c */
int sqlite_record_insert(struct pdv_store_impl *s, struct pdv_record_row *row,
                         struct pdv_error *err);
int sqlite_record_get(struct pdv_store_impl *s, int64_t id, struct pdv_record_row *ret,
                      struct pdv_error *err);
int sqlite_record_update(struct pdv_store_impl *s, const struct pdv_record_row *row,
                         struct pdv_error *err);
int sqlite_record_delete(struct pdv_store_impl *s, int64_t id, struct pdv_error *err);
int sqlite_record_delete_row(struct pdv_store_impl *s, int64_t id, struct pdv_error *err);
int sqlite_records_delete_subject(struct pdv_store_impl *s, int64_t subject_id,
                                  struct pdv_error *err);
int sqlite_records_of_subject(struct pdv_store_impl *s, int64_t subject_id, pdv_record_cb cb,
                              void *ctx, struct pdv_error *err);
int sqlite_records_count_of_subject(struct pdv_store_impl *s, int64_t subject_id, int64_t *ret,
                                    struct pdv_error *err);
int sqlite_records_due(struct pdv_store_impl *s, int64_t after, int64_t now, int limit,
                       pdv_record_cb cb, void *ctx, struct pdv_error *err);
int sqlite_batch_facts(struct pdv_store_impl *s, int64_t lo, int64_t hi,
                       struct pdv_batch_facts *ret, struct pdv_error *err);
int sqlite_records_of_activity(struct pdv_store_impl *s, const char *activity, int64_t after,
                               pdv_record_cb cb, void *ctx, struct pdv_error *err);
int sqlite_records_summary(struct pdv_store_impl *s, int64_t from, int64_t to,
                           pdv_summary_row_cb cb, void *ctx, struct pdv_error *err);
int sqlite_records_unbound(struct pdv_store_impl *s, int64_t after, pdv_record_cb cb, void *ctx,
                           struct pdv_error *err);
int sqlite_record_bind(struct pdv_store_impl *s, int64_t id, const uint8_t binding[PDV_BINDING_LEN],
                       struct pdv_error *err);
int sqlite_statistics_insert(struct pdv_store_impl *s, const char *activity, const char *month,
                             const uint8_t *fields, size_t len, struct pdv_error *err);
int sqlite_statistics_each(struct pdv_store_impl *s, const char *activity, pdv_statistics_row_cb cb,
                           void *ctx, struct pdv_error *err);
int sqlite_event_insert(struct pdv_store_impl *s, const struct pdv_event_row *row,
                        struct pdv_error *err);
int sqlite_events_of_record(struct pdv_store_impl *s, int64_t record_id, pdv_event_cb cb, void *ctx,
                            struct pdv_error *err);
int sqlite_consent_text_put(struct pdv_store_impl *s, const char *activity, const char *version,
                            const char *text, struct pdv_error *err);
int sqlite_consent_insert(struct pdv_store_impl *s, const struct pdv_consent_row *row,
                          struct pdv_error *err);
int sqlite_consents_of_subject(struct pdv_store_impl *s, int64_t subject_id, pdv_consent_cb cb,
                               void *ctx, struct pdv_error *err);
int sqlite_erasure_insert(struct pdv_store_impl *s, int64_t seq, int64_t subject_id,
                          int64_t record_id, int64_t at, const char *reason, int64_t *ret_seq,
                          struct pdv_error *err);
int sqlite_erasures_after(struct pdv_store_impl *s, int64_t after, pdv_erasure_row_cb cb, void *ctx,
                          struct pdv_error *err);
int sqlite_erasures_max(struct pdv_store_impl *s, int64_t *ret, struct pdv_error *err);

/* requests.c: rights requests, identity checks, breaches, the outbox, tokens */
int sqlite_request_insert(struct pdv_store_impl *s, struct pdv_request_row *row,
                          struct pdv_error *err);
int sqlite_request_get(struct pdv_store_impl *s, int64_t id, struct pdv_request_row *ret,
                       struct pdv_error *err);
int sqlite_request_by_reference(struct pdv_store_impl *s, const char *reference,
                                struct pdv_request_row *ret, struct pdv_error *err);
int sqlite_request_extend(struct pdv_store_impl *s, int64_t id, const char *due,
                          const uint8_t *reason, size_t reason_len, int64_t at,
                          struct pdv_error *err);
int sqlite_outbox_link_last(struct pdv_store_impl *s, int64_t request_id, struct pdv_error *err);
int sqlite_request_note_insert(struct pdv_store_impl *s, int64_t request_id, int64_t at,
                               const char *author, const uint8_t *note, size_t len, int64_t *ret_id,
                               struct pdv_error *err);
int sqlite_signing_key_insert(struct pdv_store_impl *s, const char *key_id,
                              const uint8_t *public_key, size_t public_key_len,
                              const uint8_t *secret, size_t secret_len, int64_t at,
                              struct pdv_error *err);
int sqlite_signing_key_retire(struct pdv_store_impl *s, int64_t at, struct pdv_error *err);
int sqlite_signing_keys_each(struct pdv_store_impl *s, pdv_signing_key_cb cb, void *ctx,
                             struct pdv_error *err);
int sqlite_signing_key_secret_set(struct pdv_store_impl *s, int64_t id, const uint8_t *secret,
                                  size_t len, struct pdv_error *err);
int sqlite_certificate_insert(struct pdv_store_impl *s, struct pdv_certificate_row *row,
                              struct pdv_error *err);
int sqlite_certificate_body_set(struct pdv_store_impl *s, int64_t id, const uint8_t *body,
                                size_t len, struct pdv_error *err);
int sqlite_certificate_get(struct pdv_store_impl *s, int64_t id, struct pdv_certificate_row *ret,
                           struct pdv_error *err);
int sqlite_certificate_of_request(struct pdv_store_impl *s, int64_t request_id,
                                  struct pdv_certificate_row *ret, struct pdv_error *err);
int sqlite_request_notes_of(struct pdv_store_impl *s, int64_t request_id, pdv_request_note_cb cb,
                            void *ctx, struct pdv_error *err);
int sqlite_requests_open_of_subject(struct pdv_store_impl *s, int64_t subject_id, int64_t *ret,
                                    struct pdv_error *err);
int sqlite_request_update(struct pdv_store_impl *s, int64_t id, const char *status, const char *due,
                          bool extended, const uint8_t *reason, size_t reason_len,
                          int64_t closed_at, struct pdv_error *err);
int sqlite_request_set_id_document(struct pdv_store_impl *s, int64_t id, const uint8_t *doc,
                                   size_t len, struct pdv_error *err);
int sqlite_requests_with_id_document(struct pdv_store_impl *s, pdv_id_document_cb cb, void *ctx,
                                     struct pdv_error *err);
int sqlite_requests_each(struct pdv_store_impl *s, pdv_request_row_cb cb, void *ctx,
                         struct pdv_error *err);
int sqlite_verification_insert(struct pdv_store_impl *s, struct pdv_verification_row *row,
                               struct pdv_error *err);
int sqlite_verification_get(struct pdv_store_impl *s, int64_t id, struct pdv_verification_row *ret,
                            struct pdv_error *err);
int sqlite_verification_update(struct pdv_store_impl *s, int64_t id, int attempts, int64_t used_at,
                               struct pdv_error *err);
int sqlite_verifications_purge(struct pdv_store_impl *s, int64_t now, int64_t ttl,
                               struct pdv_error *err);
int sqlite_breach_insert(struct pdv_store_impl *s, struct pdv_breach_row *row,
                         struct pdv_error *err);
int sqlite_breach_get(struct pdv_store_impl *s, int64_t id, struct pdv_breach_row *ret,
                      struct pdv_error *err);
int sqlite_breach_notified(struct pdv_store_impl *s, const struct pdv_breach_row *row,
                           const char *which, struct pdv_error *err);
int sqlite_breach_assess(struct pdv_store_impl *s, int64_t id, const char *risk,
                         const uint8_t *reason, size_t reason_len, int64_t at,
                         struct pdv_error *err);
int sqlite_breaches_each(struct pdv_store_impl *s, pdv_breach_row_cb cb, void *ctx,
                         struct pdv_error *err);
int sqlite_outbox_insert(struct pdv_store_impl *s, const char *kind, const char *recipient,
                         int64_t subject_id, int64_t record_id, const uint8_t *payload, size_t len,
                         int64_t at, const char *lang, struct pdv_error *err);
int sqlite_renewal_insert(struct pdv_store_impl *s, int64_t record_id, const uint8_t hash[32],
                          int64_t created_at, int64_t expires_at, struct pdv_error *err);
int sqlite_renewal_by_hash(struct pdv_store_impl *s, const uint8_t hash[32],
                           struct pdv_renewal_row *ret, struct pdv_error *err);
int sqlite_renewal_use(struct pdv_store_impl *s, int64_t id, int64_t at, struct pdv_error *err);
int sqlite_breach_describe(struct pdv_store_impl *s, const struct pdv_breach_row *row,
                           struct pdv_error *err);
int sqlite_subject_lang_set(struct pdv_store_impl *s, int64_t id, const char *lang,
                            struct pdv_error *err);
int sqlite_outbox_claim(struct pdv_store_impl *s, const char *owner, int64_t lease_until,
                        int64_t now, bool email, struct pdv_outbox_row *ret, struct pdv_error *err);
int sqlite_outbox_sent(struct pdv_store_impl *s, int64_t id, const char *owner, int64_t at,
                       struct pdv_error *err);
int sqlite_outbox_unsent(struct pdv_store_impl *s, int64_t id, const char *owner,
                         const char *status, int64_t next_at, const char *last_error,
                         struct pdv_error *err);
int sqlite_outbox_release(struct pdv_store_impl *s, int64_t id, const char *owner,
                          struct pdv_error *err);
int sqlite_outbox_relay_back(struct pdv_store_impl *s, int64_t now, int64_t *ret,
                             struct pdv_error *err);
int sqlite_download_put(struct pdv_store_impl *s, const struct pdv_download_row *row,
                        const uint8_t hash[32], struct pdv_error *err);
int sqlite_download_by_hash(struct pdv_store_impl *s, const uint8_t hash[32],
                            struct pdv_download_row *ret, struct pdv_error *err);
int sqlite_download_of_request(struct pdv_store_impl *s, int64_t request_id,
                               struct pdv_download_row *ret, struct pdv_error *err);
int sqlite_download_use(struct pdv_store_impl *s, int64_t id, int64_t at, struct pdv_error *err);
int sqlite_outbox_retry(struct pdv_store_impl *s, int64_t id, int64_t next_at,
                        struct pdv_error *err);
int sqlite_recipient_secret_put(struct pdv_store_impl *s, const char *recipient,
                                const uint8_t *sealed, size_t len, int64_t at,
                                struct pdv_error *err);
int sqlite_recipient_secret_get(struct pdv_store_impl *s, const char *recipient,
                                const uint8_t **ret_sealed, size_t *ret_len, struct pdv_error *err);
int sqlite_outbox_get(struct pdv_store_impl *s, int64_t id, struct pdv_outbox_row *ret,
                      struct pdv_error *err);
int sqlite_outbox_each(struct pdv_store_impl *s, pdv_outbox_row_cb cb, void *ctx,
                       struct pdv_error *err);
int sqlite_outbox_insert_once(struct pdv_store_impl *s, const char *kind, const char *key,
                              const uint8_t *payload, size_t len, int64_t at,
                              struct pdv_error *err);
int sqlite_outbox_once_exists(struct pdv_store_impl *s, const char *key, bool *ret,
                              struct pdv_error *err);
int sqlite_outbox_max_id(struct pdv_store_impl *s, int64_t *ret, struct pdv_error *err);
int sqlite_outbox_link_request(struct pdv_store_impl *s, int64_t request_id, int64_t after_id,
                               struct pdv_error *err);
int sqlite_outbox_of_request(struct pdv_store_impl *s, int64_t request_id, pdv_outbox_row_cb cb,
                             void *ctx, struct pdv_error *err);
int sqlite_token_insert(struct pdv_store_impl *s, const struct pdv_token_row *row,
                        struct pdv_error *err);
int sqlite_token_revoke(struct pdv_store_impl *s, const char *name, int64_t at,
                        struct pdv_error *err);
int sqlite_token_by_hash(struct pdv_store_impl *s, const uint8_t hash[32],
                         struct pdv_token_row *ret, struct pdv_error *err);
int sqlite_tokens_each(struct pdv_store_impl *s, pdv_token_row_cb cb, void *ctx,
                       struct pdv_error *err);
int sqlite_token_used(struct pdv_store_impl *s, const char *name, int64_t at,
                      struct pdv_error *err);

/* staff.c: staff accounts and their sessions */
int sqlite_staff_insert(struct pdv_store_impl *s, const struct pdv_staff_row *row,
                        struct pdv_error *err);
int sqlite_staff_get(struct pdv_store_impl *s, const char *name, struct pdv_staff_row *ret,
                     struct pdv_error *err);
int sqlite_staff_by_invite(struct pdv_store_impl *s, const uint8_t hash[32],
                           struct pdv_staff_row *ret, struct pdv_error *err);
int sqlite_staff_each(struct pdv_store_impl *s, pdv_staff_row_cb cb, void *ctx,
                      struct pdv_error *err);
int sqlite_staff_update(struct pdv_store_impl *s, const struct pdv_staff_row *row,
                        struct pdv_error *err);
int sqlite_staff_delete(struct pdv_store_impl *s, const char *name, struct pdv_error *err);
int sqlite_staff_session_insert(struct pdv_store_impl *s, const uint8_t hash[32], const char *name,
                                int64_t at, struct pdv_error *err);
int sqlite_staff_session_get(struct pdv_store_impl *s, const uint8_t hash[32],
                             struct pdv_staff_session_row *ret, struct pdv_error *err);
int sqlite_staff_session_seen(struct pdv_store_impl *s, const uint8_t hash[32], int64_t at,
                              struct pdv_error *err);
int sqlite_staff_session_delete(struct pdv_store_impl *s, const uint8_t hash[32],
                                struct pdv_error *err);
int sqlite_staff_sessions_end(struct pdv_store_impl *s, const char *name, const uint8_t *keep,
                              struct pdv_error *err);

/* audit.c */
int sqlite_audit_append(struct pdv_store_impl *s, const struct pdv_audit_row *row,
                        struct pdv_error *err);
int sqlite_audit_last(struct pdv_store_impl *s, int64_t *ret_seq, uint8_t ret_hash[32],
                      struct pdv_error *err);
int sqlite_audit_each(struct pdv_store_impl *s, const char *subject, pdv_audit_cb cb, void *ctx,
                      struct pdv_error *err);
int sqlite_audit_from(struct pdv_store_impl *s, int64_t from, pdv_audit_cb cb, void *ctx,
                      struct pdv_error *err);

/* cookies.c: cookie banners and consent receipts */
int sqlite_cookie_config_put(struct pdv_store_impl *s, const struct pdv_cookie_config_row *row,
                             struct pdv_error *err);
int sqlite_cookie_config_get(struct pdv_store_impl *s, const char *id,
                             struct pdv_cookie_config_row *ret, struct pdv_error *err);
int sqlite_cookie_receipt_insert(struct pdv_store_impl *s, struct pdv_cookie_receipt_row *row,
                                 struct pdv_error *err);
int sqlite_cookie_receipt_get(struct pdv_store_impl *s, int64_t id,
                              struct pdv_cookie_receipt_row *ret, struct pdv_error *err);
int sqlite_cookie_receipts_of(struct pdv_store_impl *s, const uint8_t consent_index[32],
                              pdv_cookie_receipt_cb cb, void *ctx, struct pdv_error *err);
int sqlite_cookie_configs_each(struct pdv_store_impl *s, pdv_cookie_config_cb cb, void *ctx,
                               struct pdv_error *err);
int sqlite_cookie_receipts_between(struct pdv_store_impl *s, int64_t from, int64_t to,
                                   pdv_cookie_receipt_cb cb, void *ctx, struct pdv_error *err);
int sqlite_cookie_receipts_purge(struct pdv_store_impl *s, int64_t before, bool dry_run,
                                 int64_t *ret_n, struct pdv_error *err);

#endif
