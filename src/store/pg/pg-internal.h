/*
 * pg-internal.h — what the files of the PostgreSQL backend share: the
 * handle, the statement helpers, and the operations the table in pg.c
 * points to (pg.c the connection, transactions, ids and the store as a
 * whole; subjects.c, records.c, requests.c, staff.c, cookies.c, audit.c the
 * rows), as the SQLite backend is laid out (docs/internals/store-pg.md).
 *
 * Every statement is one of sql/pg/statements.sql, prepared once at open
 * under its index. A call fills a struct pg_params (integers and text sent
 * as text, blobs as binary; NULL where the SQLite backend binds NULL) and
 * runs it through pg_done, pg_one, pg_scalar or pg_each. A statement's
 * result stays in the handle until that statement runs again (s->res is
 * the last one run): text and blobs a getter hands back stay valid at least
 * until the next call, as store.h says, and as long as the SQLite backend
 * keeps them (its rows live until their own statement is reset), which
 * the engine counts on when it reads a subject, then its records, then
 * unwraps the subject's key. An iteration reads row by row (single-row
 * mode), each row valid during its callback. Results come
 * in binary format: an integer column is read by its width (8, 4, 2 bytes,
 * or 1 for a boolean), a text column is its bytes with libpq's NUL after.
 */
#ifndef PDV_STORE_PG_INTERNAL_H
#define PDV_STORE_PG_INTERNAL_H

#include <stddef.h>

#include <libpq-fe.h>

#include "backend.h"
#include "pg-sql.h"

/* the most values a statement binds: a whole row of the widest table, for
 * migrate's table_put (PDV_STORE_COLUMNS_MAX, checked in tables.c) */
#define PG_PARAMS_MAX 24
/* statements queued in the pipeline before their results are read anyway */
#define PG_QUEUE_MAX 512
/* rows of one insert held for one statement (pg_queue), and the inserts
 * held so: the new subjects, their lookups, records and audit entries */
#define PG_BATCH_ROWS 64
#define PG_BATCHED 4

/*
 * The rows of one insert held back (pg_queue): their values copied, sent as
 * one statement of many rows when any other statement goes. `off` is each
 * value's place in `data` (-1: NULL).
 */
struct pg_batch {
	int rows, n;
	const char *what; /* the first row's, for the error */
	int len[PG_BATCH_ROWS * PG_PARAMS_MAX];
	int format[PG_BATCH_ROWS * PG_PARAMS_MAX];
	ptrdiff_t off[PG_BATCH_ROWS * PG_PARAMS_MAX];
	char *data;
	size_t used, cap;
	unsigned prepared; /* bit k: the statement of 2^k rows */
};

struct pdv_store_impl {
	PGconn *conn;
	char *where;   /* the URL without its scheme, for messages (never a password) */
	PGresult *res; /* the result of the last statement run */
	PGresult *kept[PDV_SQL__COUNT]; /* each statement's, until it runs again */
	bool in_tx;
	/* ids: the next of each kind, read once per transaction (0: not yet),
	 * and as they were when the savepoint was taken */
	int64_t next_id[PDV_STORE_ID__COUNT];
	int64_t sp_next_id[PDV_STORE_ID__COUNT];
	bool prepared[PDV_SQL__COUNT];
	/* the id of the outbox message this handle queued last, for
	 * outbox_link_last (SQLite's last_insert_rowid()) */
	int64_t last_outbox_id;
	bool announced; /* a server's: named again after a reconnection */
	/* the pipeline (pg_queue): statements sent in a transaction whose
	 * results are read by the next statement that must wait for its own */
	bool piped;
	int queued;
	const char *queued_what[PG_QUEUE_MAX]; /* each one's "what", for its error */
	/* the job's savepoint: its place in the queue (-1: read already), and
	 * whether a statement queued before it failed, which rolling back to it
	 * cannot undo (pg_rollback_to) */
	int sp_at;
	bool failed_before_sp;
	/* the inserts held back, in the order they are sent (NULL: none yet) */
	struct pg_batch *batch;
	int batched_rows;
	/* how savepoints go (pg_savepoints). Lazy: none sent; a job undone with
	 * nothing written since its savepoint needs none, any other cannot be
	 * undone alone (lost: the transaction is abandoned and its group run
	 * again, savepoints waited). writes_sent counts the statements that
	 * change rows, sp_writes as the savepoint found it; tx_failed: a
	 * statement of the transaction failed */
	enum pdv_savepoints sp_how;
	bool lost, tx_failed;
	int64_t writes_sent, sp_writes;
	/* deferred durability (a server's worker): commits do not wait for the
	 * WAL flush; pg_sync makes them durable on a connection of its own,
	 * used by the syncer thread alone */
	bool deferred;
	struct pdv_store_impl *syncer;
	/* the subject whose row the last lookup_get brought (0: none), in
	 * kept[cached_at] from its second column, until any statement runs */
	int64_t cached_subject;
	int cached_at;
	/* the subject whose records lookup_get_records brought (0: none), from
	 * column 7 of records_res's rows, until any statement runs (the row
	 * moves to kept[SUBJECT_GET] with subject_get; the result lives on) */
	int64_t cached_records;
	const PGresult *records_res;
	int cached_row;               /* the subject's row in kept[cached_at] */
	int records_from, records_to; /* the records' rows in records_res */
	/* lookups_read_ahead: the hashes asked (ahead_n of them) and their rows
	 * in kept[LOOKUPS_READ_AHEAD], answering lookup_get and
	 * lookup_get_records until a statement that writes (but a savepoint, its
	 * release or an audit append) is sent or the transaction ends */
	bool ahead_valid;
	size_t ahead_n;
	uint8_t *ahead_hashes;
	/* statements that may change what a read-ahead holds */
	bool writes[PDV_SQL__COUNT];
	/* the token token_by_hash read in this transaction (its row in
	 * kept[TOKEN_BY_HASH]): under the writer lock no one else changes it,
	 * so the next jobs of a server's group that show it read no more */
	bool token_cached;
	uint8_t token_hash[32];
	/* the audit log's head, read with the writer lock (tx_start), until
	 * this transaction appends or copies a row */
	bool head_cached;
	int64_t head_seq;
	uint8_t head_hash[32];
};

/* the values of one statement, in $1.. order */
struct pg_params {
	int n;
	const char *value[PG_PARAMS_MAX];
	int len[PG_PARAMS_MAX];
	int format[PG_PARAMS_MAX];
	char num[PG_PARAMS_MAX][24];
};

void pp_int(struct pg_params *p, int64_t v);
void pp_opt_int(struct pg_params *p, int64_t v);            /* 0: NULL */
void pp_text(struct pg_params *p, const char *v);           /* NULL: NULL */
void pp_blob(struct pg_params *p, const void *v, size_t n); /* NULL: NULL */

/* run statement `which` with p (NULL: no value); 0 or a negative rc */
int pg_run(struct pdv_store_impl *s, int which, const struct pg_params *p, const char *what,
           struct pdv_error *err);
/* pg_run, for a statement that returns no row */
#define pg_done pg_run
/*
 * A statement whose result nobody reads (an insert, the audit append, a
 * savepoint): inside a transaction it is sent in libpq's pipeline mode and
 * not waited for; the next statement that is waited for (a read, the
 * commit) takes every queued result in the same round trip and fails with
 * the first queued error, which has aborted the transaction, so a failed
 * write is never committed (store-pg.md, "Round trips"). Outside a
 * transaction it is pg_done.
 */
int pg_queue(struct pdv_store_impl *s, int which, const struct pg_params *p, const char *what,
             struct pdv_error *err);
/* lazy savepoints (pg_savepoints): none sent, a new lookup a plain insert */
static inline bool pg_lazy(const struct pdv_store_impl *s)
{
	return s->sp_how == PDV_SAVEPOINTS_LAZY;
}

/* the results of everything queued, read now; 0 or the first error */
int pg_flush(struct pdv_store_impl *s, struct pdv_error *err);
/* the rows the last statement changed (INSERT, UPDATE, DELETE) */
int64_t pg_changes(struct pdv_store_impl *s);
/* pg_run to the one row a getter reads: 0 with row 0 there to read,
 * PDV_E_NOTFOUND with the message `missing` when there is none */
int pg_one(struct pdv_store_impl *s, int which, const struct pg_params *p, const char *missing,
           const char *what, struct pdv_error *err);
/* the integer of the one row a statement returns (a count, a max) */
int pg_scalar(struct pdv_store_impl *s, int which, const struct pg_params *p, int64_t *ret,
              const char *what, struct pdv_error *err);
/* every row: on_row(ctx, res, i) reads row i and hands it on; a non-zero
 * return stops and is returned */
int pg_each(struct pdv_store_impl *s, int which, const struct pg_params *p,
            int (*on_row)(void *ctx, const PGresult *res, int i), void *ctx, const char *what,
            struct pdv_error *err);

/* values out of row i (NULL reads as 0 / NULL / zeros) */
bool pg_null(const PGresult *res, int i, int col);
int64_t pg_col_int64(const PGresult *res, int i, int col);
const char *pg_col_text(const PGresult *res, int i, int col);
const uint8_t *pg_col_blob(const PGresult *res, int i, int col, size_t *ret_len);
/* n bytes when the column holds exactly n, else zeros: false */
bool pg_col_fixed(const PGresult *res, int i, int col, uint8_t *out, size_t n);

/* servers.c: the other processes on the vault (multi-server.md) */
int pg_announce(struct pdv_store_impl *s, struct pdv_error *err);
int pg_servers(struct pdv_store_impl *s, int64_t *ret_n, struct pdv_error *err);
int pg_sweep_try_lock(struct pdv_store_impl *s, bool *ret_got, struct pdv_error *err);
void pg_sweep_unlock(struct pdv_store_impl *s);
int pg_verify_send_take(struct pdv_store_impl *s, const uint8_t index[32], int64_t now,
                        int64_t since, int64_t cap, bool *ret_ok, struct pdv_error *err);

/* tables.c: the copy between backends (tables.h) */
int pg_table_each(struct pdv_store_impl *s, size_t table, pdv_table_row_cb cb, void *ctx,
                  struct pdv_error *err);
int pg_table_put(struct pdv_store_impl *s, size_t table, const struct pdv_value *row, int n,
                 struct pdv_error *err);
int pg_table_count(struct pdv_store_impl *s, size_t table, int64_t *ret, struct pdv_error *err);
int pg_meta_clear(struct pdv_store_impl *s, struct pdv_error *err);

/* the 13 record columns every record statement starts with (records.c) */
void pg_record_from_row(const PGresult *res, int i, struct pdv_record_row *r);
/* the same 13 columns from column col on */
void pg_record_from_row_at(const PGresult *res, int i, int col, struct pdv_record_row *r);

/* the error of a result (or of the connection when res is NULL) as an rc */
int pg_error(struct pdv_store_impl *s, const PGresult *res, struct pdv_error *err,
             const char *what);

/* --- the operations, by file --- */

/* pg.c: a connection to `where` with the settings of open.sql (no schema
 * check, no migration: backup.c's staged store), and the transactions */
int pg_connect(const char *where, struct pdv_store_impl **ret, struct pdv_error *err);
void pg_close(struct pdv_store_impl *s);
int pg_begin(struct pdv_store_impl *s, struct pdv_error *err);
/* a transaction under the writer lock that reads nothing of the vault (a
 * migration, the restore's swap: the tables may not be there yet) */
int pg_begin_locked(struct pdv_store_impl *s, struct pdv_error *err);
int pg_commit(struct pdv_store_impl *s, struct pdv_error *err);
void pg_rollback(struct pdv_store_impl *s);
int pg_id_next(struct pdv_store_impl *s, enum pdv_store_id_kind kind, int64_t *ret,
               struct pdv_error *err);

/* subjects.c */
int pg_subject_insert(struct pdv_store_impl *s, struct pdv_subject_row *row, struct pdv_error *err);
int pg_subject_get(struct pdv_store_impl *s, int64_t id, struct pdv_subject_row *ret,
                   struct pdv_error *err);
int pg_subject_wrapped_each(struct pdv_store_impl *s, int64_t after, pdv_wrapped_cb cb, void *ctx,
                            struct pdv_error *err);
int pg_subject_wrapped_set(struct pdv_store_impl *s, int64_t id, const uint8_t *wrapped, size_t len,
                           struct pdv_error *err);
int pg_lookup_put(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN], int64_t subject_id,
                  struct pdv_error *err);
int pg_lookups_known(struct pdv_store_impl *s, const uint8_t *hashes, size_t n, bool *ret_known,
                     struct pdv_error *err);
int pg_lookups_read_ahead(struct pdv_store_impl *s, const uint8_t *hashes, size_t n,
                          struct pdv_error *err);
int pg_lookup_get_records(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN],
                          int64_t *ret_subject, struct pdv_error *err);
int pg_lookup_get(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN],
                  int64_t *ret_subject, struct pdv_error *err);
int pg_lookups_held_between(struct pdv_store_impl *s, int64_t first, int64_t last, int64_t *ret,
                            struct pdv_error *err);
int pg_lookup_delete(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN],
                     struct pdv_error *err);
int pg_subject_insert_new(struct pdv_store_impl *s, struct pdv_subject_row *row,
                          const uint8_t *const *hashes, size_t n_hashes, struct pdv_error *err);
int pg_subject_set_restricted(struct pdv_store_impl *s, int64_t id, bool restricted,
                              struct pdv_error *err);
int pg_subject_shred(struct pdv_store_impl *s, int64_t subject_id, struct pdv_error *err);
int pg_subject_shred_key(struct pdv_store_impl *s, int64_t subject_id, struct pdv_error *err);
int pg_lookups_purge(struct pdv_store_impl *s, int64_t after, struct pdv_error *err);
int pg_hold_insert(struct pdv_store_impl *s, const uint8_t tag[PDV_TAG_LEN], int64_t subject_id,
                   const uint8_t *reason, size_t len, int64_t at, const char *by, int64_t *ret_id,
                   struct pdv_error *err);
int pg_hold_get(struct pdv_store_impl *s, int64_t id, uint8_t ret_tag[PDV_TAG_LEN],
                int64_t *ret_subject, bool *ret_lifted, struct pdv_error *err);
int pg_hold_lift(struct pdv_store_impl *s, int64_t id, int64_t at, const char *by,
                 struct pdv_error *err);
int pg_holds_of_subject(struct pdv_store_impl *s, int64_t subject_id, pdv_hold_cb cb, void *ctx,
                        struct pdv_error *err);
int pg_holds_active_count(struct pdv_store_impl *s, int64_t subject_id, int64_t *ret,
                          struct pdv_error *err);
int pg_suppression_put(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN], int64_t at,
                       int64_t expires_at, struct pdv_error *err);
int pg_suppression_active(struct pdv_store_impl *s, const uint8_t hash[PDV_LOOKUP_LEN], int64_t now,
                          bool *ret, struct pdv_error *err);
int pg_directives_put(struct pdv_store_impl *s, int64_t subject_id, const uint8_t *text, size_t len,
                      int64_t at, struct pdv_error *err);
int pg_directives_get(struct pdv_store_impl *s, int64_t subject_id, uint8_t *buf, size_t size,
                      size_t *ret_len, struct pdv_error *err);
int pg_directives_delete(struct pdv_store_impl *s, int64_t subject_id, struct pdv_error *err);
int pg_subject_lang_set(struct pdv_store_impl *s, int64_t id, const char *lang,
                        struct pdv_error *err);

/* records.c */
int pg_record_insert(struct pdv_store_impl *s, struct pdv_record_row *row, struct pdv_error *err);
int pg_record_get(struct pdv_store_impl *s, int64_t id, struct pdv_record_row *ret,
                  struct pdv_error *err);
int pg_record_update(struct pdv_store_impl *s, const struct pdv_record_row *row,
                     struct pdv_error *err);
int pg_record_delete(struct pdv_store_impl *s, int64_t id, struct pdv_error *err);
int pg_record_delete_row(struct pdv_store_impl *s, int64_t id, struct pdv_error *err);
int pg_records_delete_subject(struct pdv_store_impl *s, int64_t subject_id, struct pdv_error *err);
int pg_records_of_subject(struct pdv_store_impl *s, int64_t subject_id, pdv_record_cb cb, void *ctx,
                          struct pdv_error *err);
int pg_records_count_of_subject(struct pdv_store_impl *s, int64_t subject_id, int64_t *ret,
                                struct pdv_error *err);
int pg_records_due(struct pdv_store_impl *s, int64_t after, int64_t now, int limit,
                   pdv_record_cb cb, void *ctx, struct pdv_error *err);
int pg_batch_facts(struct pdv_store_impl *s, int64_t lo, int64_t hi, struct pdv_batch_facts *ret,
                   struct pdv_error *err);
int pg_records_of_activity(struct pdv_store_impl *s, const char *activity, int64_t after,
                           pdv_record_cb cb, void *ctx, struct pdv_error *err);
int pg_records_summary(struct pdv_store_impl *s, int64_t from, int64_t to, pdv_summary_row_cb cb,
                       void *ctx, struct pdv_error *err);
int pg_records_unbound(struct pdv_store_impl *s, int64_t after, pdv_record_cb cb, void *ctx,
                       struct pdv_error *err);
int pg_record_bind(struct pdv_store_impl *s, int64_t id, const uint8_t binding[PDV_BINDING_LEN],
                   struct pdv_error *err);
int pg_statistics_insert(struct pdv_store_impl *s, const char *activity, const char *month,
                         const uint8_t *fields, size_t len, struct pdv_error *err);
int pg_statistics_each(struct pdv_store_impl *s, const char *activity, pdv_statistics_row_cb cb,
                       void *ctx, struct pdv_error *err);
int pg_event_insert(struct pdv_store_impl *s, const struct pdv_event_row *row,
                    struct pdv_error *err);
int pg_events_of_record(struct pdv_store_impl *s, int64_t record_id, pdv_event_cb cb, void *ctx,
                        struct pdv_error *err);
int pg_consent_text_put(struct pdv_store_impl *s, const char *activity, const char *version,
                        const char *text, struct pdv_error *err);
int pg_consent_insert(struct pdv_store_impl *s, const struct pdv_consent_row *row,
                      struct pdv_error *err);
int pg_consents_of_subject(struct pdv_store_impl *s, int64_t subject_id, pdv_consent_cb cb,
                           void *ctx, struct pdv_error *err);
int pg_erasure_insert(struct pdv_store_impl *s, int64_t seq, int64_t subject_id, int64_t record_id,
                      int64_t at, const char *reason, int64_t *ret_seq, struct pdv_error *err);
int pg_erasures_after(struct pdv_store_impl *s, int64_t after, pdv_erasure_row_cb cb, void *ctx,
                      struct pdv_error *err);
int pg_erasures_max(struct pdv_store_impl *s, int64_t *ret, struct pdv_error *err);

/* requests.c */
int pg_request_insert(struct pdv_store_impl *s, struct pdv_request_row *row, struct pdv_error *err);
int pg_request_get(struct pdv_store_impl *s, int64_t id, struct pdv_request_row *ret,
                   struct pdv_error *err);
int pg_request_by_reference(struct pdv_store_impl *s, const char *reference,
                            struct pdv_request_row *ret, struct pdv_error *err);
int pg_request_extend(struct pdv_store_impl *s, int64_t id, const char *due, const uint8_t *reason,
                      size_t reason_len, int64_t at, struct pdv_error *err);
int pg_request_update(struct pdv_store_impl *s, int64_t id, const char *status, const char *due,
                      bool extended, const uint8_t *reason, size_t reason_len, int64_t closed_at,
                      struct pdv_error *err);
int pg_request_set_id_document(struct pdv_store_impl *s, int64_t id, const uint8_t *doc, size_t len,
                               struct pdv_error *err);
int pg_requests_with_id_document(struct pdv_store_impl *s, pdv_id_document_cb cb, void *ctx,
                                 struct pdv_error *err);
int pg_requests_each(struct pdv_store_impl *s, pdv_request_row_cb cb, void *ctx,
                     struct pdv_error *err);
int pg_verification_insert(struct pdv_store_impl *s, struct pdv_verification_row *row,
                           struct pdv_error *err);
int pg_verification_get(struct pdv_store_impl *s, int64_t id, struct pdv_verification_row *ret,
                        struct pdv_error *err);
int pg_verification_update(struct pdv_store_impl *s, int64_t id, int attempts, int64_t used_at,
                           struct pdv_error *err);
int pg_verifications_purge(struct pdv_store_impl *s, int64_t now, int64_t ttl,
                           struct pdv_error *err);
int pg_breach_insert(struct pdv_store_impl *s, struct pdv_breach_row *row, struct pdv_error *err);
int pg_breach_get(struct pdv_store_impl *s, int64_t id, struct pdv_breach_row *ret,
                  struct pdv_error *err);
int pg_breach_notified(struct pdv_store_impl *s, const struct pdv_breach_row *row,
                       const char *which, struct pdv_error *err);
int pg_breach_assess(struct pdv_store_impl *s, int64_t id, const char *risk, const uint8_t *reason,
                     size_t reason_len, int64_t at, struct pdv_error *err);
int pg_breach_describe(struct pdv_store_impl *s, const struct pdv_breach_row *row,
                       struct pdv_error *err);
int pg_breaches_each(struct pdv_store_impl *s, pdv_breach_row_cb cb, void *ctx,
                     struct pdv_error *err);
int pg_outbox_insert(struct pdv_store_impl *s, const char *kind, const char *recipient,
                     int64_t subject_id, int64_t record_id, const uint8_t *payload, size_t len,
                     int64_t at, const char *lang, struct pdv_error *err);
int pg_renewal_insert(struct pdv_store_impl *s, int64_t record_id, const uint8_t hash[32],
                      int64_t created_at, int64_t expires_at, struct pdv_error *err);
int pg_renewal_by_hash(struct pdv_store_impl *s, const uint8_t hash[32],
                       struct pdv_renewal_row *ret, struct pdv_error *err);
int pg_renewal_use(struct pdv_store_impl *s, int64_t id, int64_t at, struct pdv_error *err);
int pg_outbox_claim(struct pdv_store_impl *s, const char *owner, int64_t lease_until, int64_t now,
                    bool email, struct pdv_outbox_row *ret, struct pdv_error *err);
int pg_outbox_sent(struct pdv_store_impl *s, int64_t id, const char *owner, int64_t at,
                   struct pdv_error *err);
int pg_outbox_unsent(struct pdv_store_impl *s, int64_t id, const char *owner, const char *status,
                     int64_t next_at, const char *last_error, struct pdv_error *err);
int pg_outbox_release(struct pdv_store_impl *s, int64_t id, const char *owner,
                      struct pdv_error *err);
int pg_outbox_relay_back(struct pdv_store_impl *s, int64_t now, int64_t *ret,
                         struct pdv_error *err);
int pg_outbox_retry(struct pdv_store_impl *s, int64_t id, int64_t next_at, struct pdv_error *err);
int pg_outbox_get(struct pdv_store_impl *s, int64_t id, struct pdv_outbox_row *ret,
                  struct pdv_error *err);
int pg_outbox_each(struct pdv_store_impl *s, pdv_outbox_row_cb cb, void *ctx,
                   struct pdv_error *err);
int pg_outbox_insert_once(struct pdv_store_impl *s, const char *kind, const char *key,
                          const uint8_t *payload, size_t len, int64_t at, struct pdv_error *err);
int pg_outbox_once_exists(struct pdv_store_impl *s, const char *key, bool *ret,
                          struct pdv_error *err);
int pg_outbox_max_id(struct pdv_store_impl *s, int64_t *ret, struct pdv_error *err);
int pg_outbox_link_request(struct pdv_store_impl *s, int64_t request_id, int64_t after_id,
                           struct pdv_error *err);
int pg_outbox_link_last(struct pdv_store_impl *s, int64_t request_id, struct pdv_error *err);
int pg_outbox_of_request(struct pdv_store_impl *s, int64_t request_id, pdv_outbox_row_cb cb,
                         void *ctx, struct pdv_error *err);
int pg_request_note_insert(struct pdv_store_impl *s, int64_t request_id, int64_t at,
                           const char *author, const uint8_t *note, size_t len, int64_t *ret_id,
                           struct pdv_error *err);
int pg_request_notes_of(struct pdv_store_impl *s, int64_t request_id, pdv_request_note_cb cb,
                        void *ctx, struct pdv_error *err);
int pg_requests_open_of_subject(struct pdv_store_impl *s, int64_t subject_id, int64_t *ret,
                                struct pdv_error *err);
int pg_download_put(struct pdv_store_impl *s, const struct pdv_download_row *row,
                    const uint8_t hash[32], struct pdv_error *err);
int pg_download_by_hash(struct pdv_store_impl *s, const uint8_t hash[32],
                        struct pdv_download_row *ret, struct pdv_error *err);
int pg_download_of_request(struct pdv_store_impl *s, int64_t request_id,
                           struct pdv_download_row *ret, struct pdv_error *err);
int pg_download_use(struct pdv_store_impl *s, int64_t id, int64_t at, struct pdv_error *err);
int pg_recipient_secret_put(struct pdv_store_impl *s, const char *recipient, const uint8_t *sealed,
                            size_t len, int64_t at, struct pdv_error *err);
int pg_recipient_secret_get(struct pdv_store_impl *s, const char *recipient,
                            const uint8_t **ret_sealed, size_t *ret_len, struct pdv_error *err);
int pg_token_insert(struct pdv_store_impl *s, const struct pdv_token_row *row,
                    struct pdv_error *err);
int pg_token_revoke(struct pdv_store_impl *s, const char *name, int64_t at, struct pdv_error *err);
int pg_token_by_hash(struct pdv_store_impl *s, const uint8_t hash[32], struct pdv_token_row *ret,
                     struct pdv_error *err);
int pg_tokens_each(struct pdv_store_impl *s, pdv_token_row_cb cb, void *ctx, struct pdv_error *err);
int pg_token_used(struct pdv_store_impl *s, const char *name, int64_t at, struct pdv_error *err);
int pg_signing_key_insert(struct pdv_store_impl *s, const char *key_id, const uint8_t *public_key,
                          size_t public_key_len, const uint8_t *secret, size_t secret_len,
                          int64_t at, struct pdv_error *err);
int pg_signing_key_retire(struct pdv_store_impl *s, int64_t at, struct pdv_error *err);
int pg_signing_keys_each(struct pdv_store_impl *s, pdv_signing_key_cb cb, void *ctx,
                         struct pdv_error *err);
int pg_signing_key_secret_set(struct pdv_store_impl *s, int64_t id, const uint8_t *secret,
                              size_t len, struct pdv_error *err);
int pg_certificate_insert(struct pdv_store_impl *s, struct pdv_certificate_row *row,
                          struct pdv_error *err);
int pg_certificate_body_set(struct pdv_store_impl *s, int64_t id, const uint8_t *body, size_t len,
                            struct pdv_error *err);
int pg_certificate_get(struct pdv_store_impl *s, int64_t id, struct pdv_certificate_row *ret,
                       struct pdv_error *err);
int pg_certificate_of_request(struct pdv_store_impl *s, int64_t request_id,
                              struct pdv_certificate_row *ret, struct pdv_error *err);

/* cookies.c */
int pg_cookie_config_put(struct pdv_store_impl *s, const struct pdv_cookie_config_row *row,
                         struct pdv_error *err);
int pg_cookie_config_get(struct pdv_store_impl *s, const char *id,
                         struct pdv_cookie_config_row *ret, struct pdv_error *err);
int pg_cookie_receipt_insert(struct pdv_store_impl *s, struct pdv_cookie_receipt_row *row,
                             struct pdv_error *err);
int pg_cookie_receipt_get(struct pdv_store_impl *s, int64_t id, struct pdv_cookie_receipt_row *ret,
                          struct pdv_error *err);
int pg_cookie_receipts_of(struct pdv_store_impl *s, const uint8_t consent_index[32],
                          pdv_cookie_receipt_cb cb, void *ctx, struct pdv_error *err);
int pg_cookie_receipts_purge(struct pdv_store_impl *s, int64_t before, bool dry_run, int64_t *ret_n,
                             struct pdv_error *err);
int pg_cookie_receipts_between(struct pdv_store_impl *s, int64_t from, int64_t to,
                               pdv_cookie_receipt_cb cb, void *ctx, struct pdv_error *err);
int pg_cookie_configs_each(struct pdv_store_impl *s, pdv_cookie_config_cb cb, void *ctx,
                           struct pdv_error *err);

/* staff.c */
int pg_staff_insert(struct pdv_store_impl *s, const struct pdv_staff_row *row,
                    struct pdv_error *err);
int pg_staff_get(struct pdv_store_impl *s, const char *name, struct pdv_staff_row *ret,
                 struct pdv_error *err);
int pg_staff_by_invite(struct pdv_store_impl *s, const uint8_t hash[32], struct pdv_staff_row *ret,
                       struct pdv_error *err);
int pg_staff_each(struct pdv_store_impl *s, pdv_staff_row_cb cb, void *ctx, struct pdv_error *err);
int pg_staff_update(struct pdv_store_impl *s, const struct pdv_staff_row *row,
                    struct pdv_error *err);
int pg_staff_delete(struct pdv_store_impl *s, const char *name, struct pdv_error *err);
int pg_staff_session_insert(struct pdv_store_impl *s, const uint8_t hash[32], const char *name,
                            int64_t at, struct pdv_error *err);
int pg_staff_session_get(struct pdv_store_impl *s, const uint8_t hash[32],
                         struct pdv_staff_session_row *ret, struct pdv_error *err);
int pg_staff_session_seen(struct pdv_store_impl *s, const uint8_t hash[32], int64_t at,
                          struct pdv_error *err);
int pg_staff_session_delete(struct pdv_store_impl *s, const uint8_t hash[32],
                            struct pdv_error *err);
int pg_staff_sessions_end(struct pdv_store_impl *s, const char *name, const uint8_t *keep,
                          struct pdv_error *err);

/* backup.c */
int pg_backup(struct pdv_store_impl *s, const char *path, struct pdv_error *err);
int pg_restore(const char *where, const char *from_path,
               int (*prepare_cb)(void *ctx, const char *staged_url, struct pdv_error *err),
               void *ctx, struct pdv_error *err);

/* audit.c */
int pg_audit_append(struct pdv_store_impl *s, const struct pdv_audit_row *row,
                    struct pdv_error *err);
int pg_audit_last(struct pdv_store_impl *s, int64_t *ret_seq, uint8_t ret_hash[32],
                  struct pdv_error *err);
int pg_audit_each(struct pdv_store_impl *s, const char *subject, pdv_audit_cb cb, void *ctx,
                  struct pdv_error *err);
int pg_audit_from(struct pdv_store_impl *s, int64_t from, pdv_audit_cb cb, void *ctx,
                  struct pdv_error *err);

#endif
