/*
 * backend.h — what a store backend implements: a versioned table of
 * operations. Private to src/store/: the engine calls the wrappers of
 * pdv/store.h, which check the contract (transactions, callbacks, the ops
 * version) before they reach a backend.
 *
 * Each operation does what the wrapper of the same name in pdv/store.h says,
 * on the backend's own handle (struct pdv_store_impl, which each backend
 * defines in its own files and nothing else completes). A backend may count
 * on the wrappers: a write comes only inside a transaction, no call comes
 * from inside one of its callbacks, begin never comes inside a transaction,
 * savepoint/release/rollback_to only inside one, sync may come from another
 * thread than the others.
 *
 * `where` is the URL without its scheme (the file of sqlite:PATH; the
 * "//host/db..." of postgresql://host/db, whose backend puts it back).
 */
#ifndef PDV_STORE_BACKEND_H
#define PDV_STORE_BACKEND_H

#include "pdv/store.h"

/* bumped whenever the table below changes; a backend of another version is
 * refused when it is opened. 5: the wrappers, ids from the store, destroy,
 * restore and size_bytes, paged subject_wrapped_each, outbox record tags.
 * 8: cookie configurations and receipts. 9: cookie_configs_each and
 * cookie_receipts_between (the dossier). 10 (the multi-server branch, 7 on
 * its own base): announce, servers, sweep_try_lock, sweep_unlock, and the
 * copy between backends (table_each, table_put, table_count, meta_clear:
 * tables.h), and verify_send_take (--verify-per-email in the store). 11:
 * holds_of_subject (a person's page). 12: lookups_known (the import asks
 * about a chunk of people at once; a server's group asks it too, before it
 * takes the writer lock), lookup_get_records (a lookup by a role that sees
 * some records only), lookups_read_ahead (a server's group of finds),
 * round_trips. 13: lookups_held_between (a server group's new people,
 * checked once under the writer lock). */
#define PDV_STORE_OPS_VERSION 13

struct pdv_store_impl;

struct pdv_store_ops {
	int version; /* PDV_STORE_OPS_VERSION */
	const char *scheme;
	bool round_trips; /* a statement waits for a server (12) */

	int (*open)(const char *where, bool create, struct pdv_store_impl **ret,
	            struct pdv_error *err);
	void (*close)(struct pdv_store_impl *s);
	int (*destroy)(const char *where, struct pdv_error *err);
	int (*restore)(const char *where, const char *from_path,
	               int (*prepare)(void *ctx, const char *staged_url, struct pdv_error *err),
	               void *ctx, struct pdv_error *err);
	void (*rollback)(struct pdv_store_impl *s);
	/* 0: undone, the transaction goes on; < 0: the job's writes could not
	 * be undone alone, and the transaction cannot commit */
	int (*rollback_to)(struct pdv_store_impl *s);
	/* optional (NULL: every write is waited for): pdv_store_savepoints */
	void (*savepoints)(struct pdv_store_impl *s, enum pdv_savepoints how);
	/* optional (NULL: every statement is waited for as it runs) */
	int (*flush)(struct pdv_store_impl *s, struct pdv_error *err);

	int (*backup)(struct pdv_store_impl *s, const char *path, struct pdv_error *err);
	int (*check)(struct pdv_store_impl *s, struct pdv_error *err);
	int (*size_bytes)(struct pdv_store_impl *s, int64_t *ret, struct pdv_error *err);
	int (*schema_version)(struct pdv_store_impl *s, int *ret, struct pdv_error *err);
	int (*begin)(struct pdv_store_impl *s, struct pdv_error *err);
	int (*commit)(struct pdv_store_impl *s, struct pdv_error *err);
	int (*savepoint)(struct pdv_store_impl *s, struct pdv_error *err);
	int (*release)(struct pdv_store_impl *s, struct pdv_error *err);
	int (*durability)(struct pdv_store_impl *s, bool deferred, struct pdv_error *err);
	int (*sync)(struct pdv_store_impl *s, struct pdv_error *err);
	int (*id_next)(struct pdv_store_impl *s, enum pdv_store_id_kind kind, int64_t *ret_id,
	               struct pdv_error *err);
	int (*id_reserve)(struct pdv_store_impl *s, enum pdv_store_id_kind kind, int64_t n,
	                  int64_t *ret_first, struct pdv_error *err);
	int (*meta_get)(struct pdv_store_impl *s, const char *name, uint8_t *buf, size_t size,
	                size_t *ret_len, struct pdv_error *err);
	int (*meta_put)(struct pdv_store_impl *s, const char *name, const void *v, size_t n,
	                struct pdv_error *err);
	int (*meta_delete)(struct pdv_store_impl *s, const char *name, struct pdv_error *err);
	int (*subject_insert)(struct pdv_store_impl *s, struct pdv_subject_row *row,
	                      struct pdv_error *err);
	int (*subject_get)(struct pdv_store_impl *s, int64_t id, struct pdv_subject_row *ret,
	                   struct pdv_error *err);
	int (*subject_wrapped_each)(struct pdv_store_impl *s, int64_t after, pdv_wrapped_cb cb,
	                            void *ctx, struct pdv_error *err);
	int (*subject_wrapped_set)(struct pdv_store_impl *s, int64_t id, const uint8_t *wrapped,
	                           size_t len, struct pdv_error *err);
	int (*lookup_put)(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN],
	                  int64_t subject_id, struct pdv_error *err);
	int (*lookup_get)(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN],
	                  int64_t *ret_subject, struct pdv_error *err);
	int (*lookup_delete)(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN],
	                     struct pdv_error *err);
	/* how many lookups subject ids first..last hold (13) */
	int (*lookups_held_between)(struct pdv_store_impl *s, int64_t first, int64_t last,
	                            int64_t *ret, struct pdv_error *err);
	int (*subject_insert_new)(struct pdv_store_impl *s, struct pdv_subject_row *row,
	                          const uint8_t *const *hashes, size_t n_hashes,
	                          struct pdv_error *err);
	int (*subject_set_restricted)(struct pdv_store_impl *s, int64_t id, bool restricted,
	                              struct pdv_error *err);
	int (*subject_shred)(struct pdv_store_impl *s, int64_t subject_id, struct pdv_error *err);
	int (*subject_shred_key)(struct pdv_store_impl *s, int64_t subject_id,
	                         struct pdv_error *err);
	int (*lookups_purge)(struct pdv_store_impl *s, int64_t after, struct pdv_error *err);
	int (*record_insert)(struct pdv_store_impl *s, struct pdv_record_row *row,
	                     struct pdv_error *err);
	int (*record_get)(struct pdv_store_impl *s, int64_t id, struct pdv_record_row *ret,
	                  struct pdv_error *err);
	int (*record_update)(struct pdv_store_impl *s, const struct pdv_record_row *row,
	                     struct pdv_error *err);
	int (*record_delete)(struct pdv_store_impl *s, int64_t id, struct pdv_error *err);
	int (*record_delete_row)(struct pdv_store_impl *s, int64_t id, struct pdv_error *err);
	int (*records_delete_subject)(struct pdv_store_impl *s, int64_t subject_id,
	                              struct pdv_error *err);
	int (*records_of_subject)(struct pdv_store_impl *s, int64_t subject_id, pdv_record_cb cb,
	                          void *ctx, struct pdv_error *err);
	int (*records_count_of_subject)(struct pdv_store_impl *s, int64_t subject_id, int64_t *ret,
	                                struct pdv_error *err);
	int (*records_due)(struct pdv_store_impl *s, int64_t after, int64_t now, int limit,
	                   pdv_record_cb cb, void *ctx, struct pdv_error *err);
	int (*batch_facts)(struct pdv_store_impl *s, int64_t lo, int64_t hi,
	                   struct pdv_batch_facts *ret, struct pdv_error *err);
	int (*records_of_activity)(struct pdv_store_impl *s, const char *activity, int64_t after,
	                           pdv_record_cb cb, void *ctx, struct pdv_error *err);
	int (*records_summary)(struct pdv_store_impl *s, int64_t from, int64_t to,
	                       pdv_summary_row_cb cb, void *ctx, struct pdv_error *err);
	int (*records_unbound)(struct pdv_store_impl *s, int64_t after, pdv_record_cb cb, void *ctx,
	                       struct pdv_error *err);
	int (*record_bind)(struct pdv_store_impl *s, int64_t id,
	                   const uint8_t binding[PDV_BINDING_LEN], struct pdv_error *err);
	int (*statistics_insert)(struct pdv_store_impl *s, const char *activity, const char *month,
	                         const uint8_t *fields, size_t len, struct pdv_error *err);
	int (*statistics_each)(struct pdv_store_impl *s, const char *activity,
	                       pdv_statistics_row_cb cb, void *ctx, struct pdv_error *err);
	int (*event_insert)(struct pdv_store_impl *s, const struct pdv_event_row *row,
	                    struct pdv_error *err);
	int (*events_of_record)(struct pdv_store_impl *s, int64_t record_id, pdv_event_cb cb,
	                        void *ctx, struct pdv_error *err);
	int (*consent_text_put)(struct pdv_store_impl *s, const char *activity, const char *version,
	                        const char *text, struct pdv_error *err);
	int (*consent_insert)(struct pdv_store_impl *s, const struct pdv_consent_row *row,
	                      struct pdv_error *err);
	int (*consents_of_subject)(struct pdv_store_impl *s, int64_t subject_id, pdv_consent_cb cb,
	                           void *ctx, struct pdv_error *err);
	int (*erasure_insert)(struct pdv_store_impl *s, int64_t seq, int64_t subject_id,
	                      int64_t record_id, int64_t at, const char *reason, int64_t *ret_seq,
	                      struct pdv_error *err);
	int (*erasures_after)(struct pdv_store_impl *s, int64_t after, pdv_erasure_row_cb cb,
	                      void *ctx, struct pdv_error *err);
	int (*erasures_max)(struct pdv_store_impl *s, int64_t *ret, struct pdv_error *err);
	int (*hold_insert)(struct pdv_store_impl *s, const uint8_t tag[PDV_TAG_LEN],
	                   int64_t subject_id, const uint8_t *reason, size_t len, int64_t at,
	                   const char *by, int64_t *ret_id, struct pdv_error *err);
	int (*hold_get)(struct pdv_store_impl *s, int64_t id, uint8_t ret_tag[PDV_TAG_LEN],
	                int64_t *ret_subject, bool *ret_lifted, struct pdv_error *err);
	int (*hold_lift)(struct pdv_store_impl *s, int64_t id, int64_t at, const char *by,
	                 struct pdv_error *err);
	int (*holds_of_subject)(struct pdv_store_impl *s, int64_t subject_id, pdv_hold_cb cb,
	                        void *ctx, struct pdv_error *err);
	int (*holds_active_count)(struct pdv_store_impl *s, int64_t subject_id, int64_t *ret,
	                          struct pdv_error *err);
	int (*suppression_put)(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN],
	                       int64_t at, int64_t expires_at, struct pdv_error *err);
	int (*suppression_active)(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN],
	                          int64_t now, bool *ret, struct pdv_error *err);
	int (*directives_put)(struct pdv_store_impl *s, int64_t subject_id, const uint8_t *text,
	                      size_t len, int64_t at, struct pdv_error *err);
	int (*directives_get)(struct pdv_store_impl *s, int64_t subject_id, uint8_t *buf,
	                      size_t size, size_t *ret_len, struct pdv_error *err);
	int (*directives_delete)(struct pdv_store_impl *s, int64_t subject_id,
	                         struct pdv_error *err);
	int (*request_insert)(struct pdv_store_impl *s, struct pdv_request_row *row,
	                      struct pdv_error *err);
	int (*request_get)(struct pdv_store_impl *s, int64_t id, struct pdv_request_row *ret,
	                   struct pdv_error *err);
	int (*request_by_reference)(struct pdv_store_impl *s, const char *reference,
	                            struct pdv_request_row *ret, struct pdv_error *err);
	int (*request_extend)(struct pdv_store_impl *s, int64_t id, const char *due,
	                      const uint8_t *reason, size_t reason_len, int64_t at,
	                      struct pdv_error *err);
	int (*request_update)(struct pdv_store_impl *s, int64_t id, const char *status,
	                      const char *due, bool extended, const uint8_t *reason,
	                      size_t reason_len, int64_t closed_at, struct pdv_error *err);
	int (*request_set_id_document)(struct pdv_store_impl *s, int64_t id, const uint8_t *doc,
	                               size_t len, struct pdv_error *err);
	int (*requests_with_id_document)(struct pdv_store_impl *s, pdv_id_document_cb cb, void *ctx,
	                                 struct pdv_error *err);
	int (*requests_each)(struct pdv_store_impl *s, pdv_request_row_cb cb, void *ctx,
	                     struct pdv_error *err);
	int (*breach_insert)(struct pdv_store_impl *s, struct pdv_breach_row *row,
	                     struct pdv_error *err);
	int (*breach_get)(struct pdv_store_impl *s, int64_t id, struct pdv_breach_row *ret,
	                  struct pdv_error *err);
	int (*breach_notified)(struct pdv_store_impl *s, const struct pdv_breach_row *row,
	                       const char *which, struct pdv_error *err);
	int (*breach_assess)(struct pdv_store_impl *s, int64_t id, const char *risk,
	                     const uint8_t *reason, size_t reason_len, int64_t at,
	                     struct pdv_error *err);
	int (*breaches_each)(struct pdv_store_impl *s, pdv_breach_row_cb cb, void *ctx,
	                     struct pdv_error *err);
	int (*outbox_insert)(struct pdv_store_impl *s, const char *kind, const char *recipient,
	                     int64_t subject_id, int64_t record_id, const uint8_t *payload,
	                     size_t len, int64_t at, const char *lang, struct pdv_error *err);
	int (*outbox_claim)(struct pdv_store_impl *s, const char *owner, int64_t lease_until,
	                    int64_t now, bool email, struct pdv_outbox_row *ret,
	                    struct pdv_error *err);
	int (*outbox_sent)(struct pdv_store_impl *s, int64_t id, const char *owner, int64_t at,
	                   struct pdv_error *err);
	int (*outbox_unsent)(struct pdv_store_impl *s, int64_t id, const char *owner,
	                     const char *status, int64_t next_at, const char *last_error,
	                     struct pdv_error *err);
	int (*outbox_release)(struct pdv_store_impl *s, int64_t id, const char *owner,
	                      struct pdv_error *err);
	int (*outbox_relay_back)(struct pdv_store_impl *s, int64_t now, int64_t *ret,
	                         struct pdv_error *err);
	int (*outbox_retry)(struct pdv_store_impl *s, int64_t id, int64_t next_at,
	                    struct pdv_error *err);
	int (*renewal_insert)(struct pdv_store_impl *s, int64_t record_id, const uint8_t hash[32],
	                      int64_t created_at, int64_t expires_at, struct pdv_error *err);
	int (*renewal_by_hash)(struct pdv_store_impl *s, const uint8_t hash[32],
	                       struct pdv_renewal_row *ret, struct pdv_error *err);
	int (*renewal_use)(struct pdv_store_impl *s, int64_t id, int64_t at, struct pdv_error *err);
	int (*breach_describe)(struct pdv_store_impl *s, const struct pdv_breach_row *row,
	                       struct pdv_error *err);
	int (*subject_lang_set)(struct pdv_store_impl *s, int64_t id, const char *lang,
	                        struct pdv_error *err);
	int (*download_put)(struct pdv_store_impl *s, const struct pdv_download_row *row,
	                    const uint8_t hash[32], struct pdv_error *err);
	int (*download_by_hash)(struct pdv_store_impl *s, const uint8_t hash[32],
	                        struct pdv_download_row *ret, struct pdv_error *err);
	int (*download_of_request)(struct pdv_store_impl *s, int64_t request_id,
	                           struct pdv_download_row *ret, struct pdv_error *err);
	int (*download_use)(struct pdv_store_impl *s, int64_t id, int64_t at,
	                    struct pdv_error *err);
	int (*recipient_secret_put)(struct pdv_store_impl *s, const char *recipient,
	                            const uint8_t *sealed, size_t len, int64_t at,
	                            struct pdv_error *err);
	int (*recipient_secret_get)(struct pdv_store_impl *s, const char *recipient,
	                            const uint8_t **ret_sealed, size_t *ret_len,
	                            struct pdv_error *err);
	int (*outbox_get)(struct pdv_store_impl *s, int64_t id, struct pdv_outbox_row *ret,
	                  struct pdv_error *err);
	int (*outbox_each)(struct pdv_store_impl *s, pdv_outbox_row_cb cb, void *ctx,
	                   struct pdv_error *err);
	int (*outbox_insert_once)(struct pdv_store_impl *s, const char *kind, const char *key,
	                          const uint8_t *payload, size_t len, int64_t at,
	                          struct pdv_error *err);
	int (*outbox_once_exists)(struct pdv_store_impl *s, const char *key, bool *ret,
	                          struct pdv_error *err);
	int (*outbox_max_id)(struct pdv_store_impl *s, int64_t *ret, struct pdv_error *err);
	int (*outbox_link_request)(struct pdv_store_impl *s, int64_t request_id, int64_t after_id,
	                           struct pdv_error *err);
	int (*outbox_link_last)(struct pdv_store_impl *s, int64_t request_id,
	                        struct pdv_error *err);
	int (*request_note_insert)(struct pdv_store_impl *s, int64_t request_id, int64_t at,
	                           const char *author, const uint8_t *note, size_t len,
	                           int64_t *ret_id, struct pdv_error *err);
	int (*request_notes_of)(struct pdv_store_impl *s, int64_t request_id,
	                        pdv_request_note_cb cb, void *ctx, struct pdv_error *err);
	int (*requests_open_of_subject)(struct pdv_store_impl *s, int64_t subject_id, int64_t *ret,
	                                struct pdv_error *err);
	int (*outbox_of_request)(struct pdv_store_impl *s, int64_t request_id, pdv_outbox_row_cb cb,
	                         void *ctx, struct pdv_error *err);
	int (*signing_key_insert)(struct pdv_store_impl *s, const char *key_id,
	                          const uint8_t *public_key, size_t public_key_len,
	                          const uint8_t *secret, size_t secret_len, int64_t at,
	                          struct pdv_error *err);
	int (*signing_key_retire)(struct pdv_store_impl *s, int64_t at, struct pdv_error *err);
	int (*signing_keys_each)(struct pdv_store_impl *s, pdv_signing_key_cb cb, void *ctx,
	                         struct pdv_error *err);
	int (*signing_key_secret_set)(struct pdv_store_impl *s, int64_t id, const uint8_t *secret,
	                              size_t len, struct pdv_error *err);
	int (*certificate_insert)(struct pdv_store_impl *s, struct pdv_certificate_row *row,
	                          struct pdv_error *err);
	int (*certificate_body_set)(struct pdv_store_impl *s, int64_t id, const uint8_t *body,
	                            size_t len, struct pdv_error *err);
	int (*certificate_get)(struct pdv_store_impl *s, int64_t id,
	                       struct pdv_certificate_row *ret, struct pdv_error *err);
	int (*certificate_of_request)(struct pdv_store_impl *s, int64_t request_id,
	                              struct pdv_certificate_row *ret, struct pdv_error *err);
	int (*verification_insert)(struct pdv_store_impl *s, struct pdv_verification_row *row,
	                           struct pdv_error *err);
	int (*verification_get)(struct pdv_store_impl *s, int64_t id,
	                        struct pdv_verification_row *ret, struct pdv_error *err);
	int (*verification_update)(struct pdv_store_impl *s, int64_t id, int attempts,
	                           int64_t used_at, struct pdv_error *err);
	int (*verifications_purge)(struct pdv_store_impl *s, int64_t now, int64_t ttl,
	                           struct pdv_error *err);
	int (*token_insert)(struct pdv_store_impl *s, const struct pdv_token_row *row,
	                    struct pdv_error *err);
	int (*token_revoke)(struct pdv_store_impl *s, const char *name, int64_t at,
	                    struct pdv_error *err);
	int (*token_by_hash)(struct pdv_store_impl *s, const uint8_t hash[32],
	                     struct pdv_token_row *ret, struct pdv_error *err);
	int (*tokens_each)(struct pdv_store_impl *s, pdv_token_row_cb cb, void *ctx,
	                   struct pdv_error *err);
	int (*token_used)(struct pdv_store_impl *s, const char *name, int64_t at,
	                  struct pdv_error *err);
	int (*staff_insert)(struct pdv_store_impl *s, const struct pdv_staff_row *row,
	                    struct pdv_error *err);
	int (*staff_get)(struct pdv_store_impl *s, const char *name, struct pdv_staff_row *ret,
	                 struct pdv_error *err);
	int (*staff_by_invite)(struct pdv_store_impl *s, const uint8_t hash[32],
	                       struct pdv_staff_row *ret, struct pdv_error *err);
	int (*staff_each)(struct pdv_store_impl *s, pdv_staff_row_cb cb, void *ctx,
	                  struct pdv_error *err);
	int (*staff_update)(struct pdv_store_impl *s, const struct pdv_staff_row *row,
	                    struct pdv_error *err);
	int (*staff_delete)(struct pdv_store_impl *s, const char *name, struct pdv_error *err);
	int (*staff_session_insert)(struct pdv_store_impl *s, const uint8_t hash[32],
	                            const char *name, int64_t at, struct pdv_error *err);
	int (*staff_session_get)(struct pdv_store_impl *s, const uint8_t hash[32],
	                         struct pdv_staff_session_row *ret, struct pdv_error *err);
	int (*staff_session_seen)(struct pdv_store_impl *s, const uint8_t hash[32], int64_t at,
	                          struct pdv_error *err);
	int (*staff_session_delete)(struct pdv_store_impl *s, const uint8_t hash[32],
	                            struct pdv_error *err);
	int (*staff_sessions_end)(struct pdv_store_impl *s, const char *name, const uint8_t *keep,
	                          struct pdv_error *err);
	int (*audit_append)(struct pdv_store_impl *s, const struct pdv_audit_row *row,
	                    struct pdv_error *err);
	int (*audit_last)(struct pdv_store_impl *s, int64_t *ret_seq, uint8_t ret_hash[32],
	                  struct pdv_error *err);
	int (*audit_each)(struct pdv_store_impl *s, const char *subject, pdv_audit_cb cb, void *ctx,
	                  struct pdv_error *err);
	int (*audit_from)(struct pdv_store_impl *s, int64_t from, pdv_audit_cb cb, void *ctx,
	                  struct pdv_error *err);
	int (*cookie_config_put)(struct pdv_store_impl *s, const struct pdv_cookie_config_row *row,
	                         struct pdv_error *err);
	int (*cookie_config_get)(struct pdv_store_impl *s, const char *id,
	                         struct pdv_cookie_config_row *ret, struct pdv_error *err);
	int (*cookie_receipt_insert)(struct pdv_store_impl *s, struct pdv_cookie_receipt_row *row,
	                             struct pdv_error *err);
	int (*cookie_receipt_get)(struct pdv_store_impl *s, int64_t id,
	                          struct pdv_cookie_receipt_row *ret, struct pdv_error *err);
	int (*cookie_receipts_of)(struct pdv_store_impl *s, const uint8_t consent_index[32],
	                          pdv_cookie_receipt_cb cb, void *ctx, struct pdv_error *err);
	int (*cookie_configs_each)(struct pdv_store_impl *s, pdv_cookie_config_cb cb, void *ctx,
	                           struct pdv_error *err);
	int (*cookie_receipts_between)(struct pdv_store_impl *s, int64_t from, int64_t to,
	                               pdv_cookie_receipt_cb cb, void *ctx, struct pdv_error *err);
	int (*cookie_receipts_purge)(struct pdv_store_impl *s, int64_t before, bool dry_run,
	                             int64_t *ret_n, struct pdv_error *err);
	/* several processes on one store (7) */
	int (*announce)(struct pdv_store_impl *s, struct pdv_error *err);
	int (*servers)(struct pdv_store_impl *s, int64_t *ret_n, struct pdv_error *err);
	int (*sweep_try_lock)(struct pdv_store_impl *s, bool *ret_got, struct pdv_error *err);
	void (*sweep_unlock)(struct pdv_store_impl *s);
	/* the copy between backends (7) */
	int (*table_each)(struct pdv_store_impl *s, size_t table, pdv_table_row_cb cb, void *ctx,
	                  struct pdv_error *err);
	int (*table_put)(struct pdv_store_impl *s, size_t table, const struct pdv_value *row, int n,
	                 struct pdv_error *err);
	int (*table_count)(struct pdv_store_impl *s, size_t table, int64_t *ret,
	                   struct pdv_error *err);
	int (*meta_clear)(struct pdv_store_impl *s, struct pdv_error *err);
	/* codes sent per address, across processes (10, 0017) */
	/* the import's question about many people at once (12) */
	int (*lookups_known)(struct pdv_store_impl *s, const uint8_t *hashes, size_t n,
	                     bool *ret_known, struct pdv_error *err);
	/* lookup_get, the subject's records read next (12) */
	int (*lookup_get_records)(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN],
	                          int64_t *ret_subject, struct pdv_error *err);
	/* the lookups of a group read at once (12); may do nothing */
	int (*lookups_read_ahead)(struct pdv_store_impl *s, const uint8_t *hashes, size_t n,
	                          struct pdv_error *err);
	int (*verify_send_take)(struct pdv_store_impl *s, const uint8_t index[32], int64_t now,
	                        int64_t since, int64_t cap, bool *ret_ok, struct pdv_error *err);
};

extern const struct pdv_store_ops pdv_store_sqlite_ops;
extern const struct pdv_store_ops pdv_store_pg_ops;

/* PDV_E_USAGE for a PostgreSQL URL that carries a password, or that libpq
 * cannot read (pg/pg.c); never repeats the URL */
int pdv_store_pg_url_check(const char *url, struct pdv_error *err);

#endif
