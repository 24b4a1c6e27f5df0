/*
 * test-store.c — the store's contract (include/store/pdv/store.h), through its
 * public wrappers only, so that every backend runs the same tests:
 * transactions and what they let others see, savepoints, ids and reserved
 * ranges, the rules the wrappers enforce (no write outside a transaction, no
 * call from inside an iteration's callback), the audit log, and the store as
 * a whole (backup, restore, destroy, size).
 *
 * The store: PDVAULT_TEST_STORE_URL when set (it is destroyed and created
 * again by each test; a backend that needs a server points it there), else
 * a sqlite: file in a fresh temporary folder. Backups go to files in that
 * folder. PDVAULT_TEST_STORE_SKIP names the tests (a cmocka pattern) a
 * backend does not pass yet: tests/run.py sets it, and prints it, for the
 * PostgreSQL run (docs/internals/store-pg.md, "Not done yet").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pdv/store.h"

struct fix {
	char dir[64];
	char url[256];
	char backup[256];
	struct pdv_store *s;
};

/* call must succeed; it may name e_, the error it fills */
#define OK(call)                                                                                   \
	do {                                                                                       \
		struct pdv_error e_;                                                               \
		int rc_;                                                                           \
                                                                                                   \
		pdv_error_clear(&e_);                                                              \
		if ((rc_ = (call)) < 0)                                                            \
			fail_msg("%s: %d %s", #call, rc_, e_.msg);                                 \
	} while (0)

/* the rc of a call expected to fail, its message in last_msg */
static char last_msg[sizeof(((struct pdv_error *)0)->msg)];

static int fails(int rc, const struct pdv_error *e)
{
	snprintf(last_msg, sizeof(last_msg), "%s", e->msg);
	return rc;
}
#define RC(call) (pdv_error_clear(&e), fails((call), &e))

static int setup(void **state)
{
	static struct fix f;
	const char *url = getenv("PDVAULT_TEST_STORE_URL");
	struct pdv_error e;

	memset(&f, 0, sizeof(f));
	snprintf(f.dir, sizeof(f.dir), "/tmp/pdv-test-store-XXXXXX");
	if (!mkdtemp(f.dir))
		return -1;
	if (url && *url)
		snprintf(f.url, sizeof(f.url), "%s", url);
	else
		snprintf(f.url, sizeof(f.url), "sqlite:%s/store.db", f.dir);
	snprintf(f.backup, sizeof(f.backup), "%s/backup.db", f.dir);
	pdv_error_clear(&e);
	if (pdv_store_destroy(f.url, &e) < 0 || pdv_store_open(f.url, true, &f.s, &e) < 0) {
		fprintf(stderr, "store %s: %s\n", f.url, e.msg);
		return -1;
	}
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;
	char cmd[128];

	pdv_store_close(f->s);
	f->s = NULL;
	if (pdv_store_destroy(f->url, NULL) < 0)
		return -1;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct pdv_store *reopen(struct fix *f)
{
	struct pdv_store *s = NULL;

	OK(pdv_store_open(f->url, false, &s, &e_));
	return s;
}

static bool meta_has(struct pdv_store *s, const char *name, const char *value)
{
	uint8_t buf[64];
	size_t n;
	int rc = pdv_store_meta_get(s, name, buf, sizeof(buf), &n, NULL);

	if (rc == PDV_E_NOTFOUND)
		return false;
	assert_int_equal(rc, 0);
	return n == strlen(value) && memcmp(buf, value, n) == 0;
}

static void put(struct pdv_store *s, const char *name, const char *value)
{
	OK(pdv_store_meta_put(s, name, value, strlen(value), &e_));
}

static int64_t new_subject(struct pdv_store *s, int64_t id)
{
	struct pdv_subject_row row = {.id = id, .created_at = 1};
	uint8_t key[8] = "wrapped";

	row.wrapped_key = key;
	row.wrapped_key_len = sizeof(key);
	memset(row.tag, 's', PDV_TAG_LEN);
	OK(pdv_store_subject_insert(s, &row, &e_));
	return row.id;
}

static int64_t new_record(struct pdv_store *s, int64_t id, int64_t subject)
{
	struct pdv_record_row row = {.id = id,
	                             .subject_id = subject,
	                             .activity = "newsletter",
	                             .phase = "active",
	                             .collected_at = 1,
	                             .last_contact = 1,
	                             .phase_at = 1,
	                             .fields = (const uint8_t *)"sealed",
	                             .fields_len = 6};

	memset(row.tag, 'r', PDV_TAG_LEN);
	OK(pdv_store_record_insert(s, &row, &e_));
	return row.id;
}

/* --- opening and closing --- */

static void test_create_refuses_an_existing_store_and_open_a_missing_one(void **state)
{
	struct fix *f = *state;
	struct pdv_store *other = NULL;
	struct pdv_error e;
	int version = 0;
	int64_t size = 0;

	assert_int_equal(RC(pdv_store_open(f->url, true, &other, &e)), PDV_E_REFUSED);
	OK(pdv_store_schema_version(f->s, &version, &e_));
	assert_true(version > 0);
	OK(pdv_store_check(f->s, &e_));
	OK(pdv_store_size_bytes(f->s, &size, &e_));
	assert_true(size > 0);
	pdv_store_close(f->s);
	f->s = NULL;
	OK(pdv_store_destroy(f->url, &e_));
	assert_int_equal(RC(pdv_store_open(f->url, false, &f->s, &e)), PDV_E_IO);
	OK(pdv_store_destroy(f->url, &e_)); /* none: nothing to do */
	OK(pdv_store_open(f->url, true, &f->s, &e_));
}

static void test_a_url_no_backend_takes_is_refused(void **state)
{
	struct pdv_store *s = NULL;
	struct pdv_error e;
	const char *where;

	(void)state;
	assert_int_equal(RC(pdv_store_where("", &where, &e)), PDV_E_USAGE);
	/* a password on the command line is refused before anything connects,
	 * and the message does not repeat it */
	assert_int_equal(RC(pdv_store_open("postgres://u:s3cret@127.0.0.1:1/x", false, &s, &e)),
	                 PDV_E_USAGE);
	assert_non_null(strstr(last_msg, "PGPASSFILE"));
	assert_null(strstr(last_msg, "s3cret"));
	assert_int_equal(
	    RC(pdv_store_where("postgresql://127.0.0.1:1/x?password=s3cret", &where, &e)),
	    PDV_E_USAGE);
	assert_null(strstr(last_msg, "s3cret"));
	/* a server that is not there: the store cannot be reached */
	assert_int_equal(RC(pdv_store_open("postgresql://127.0.0.1:1/x", false, &s, &e)), PDV_E_IO);
	assert_non_null(pdv_store_default_url());
	OK(pdv_store_where(pdv_store_default_url(), &where, &e_));
}

/* --- transactions --- */

static void test_a_commit_is_seen_by_others_and_a_rollback_by_no_one(void **state)
{
	struct fix *f = *state;
	struct pdv_store *other = reopen(f);

	OK(pdv_store_begin(f->s, &e_));
	assert_true(pdv_store_in_tx(f->s));
	put(f->s, "kept", "1");
	assert_true(meta_has(f->s, "kept", "1"));   /* its own writes */
	assert_false(meta_has(other, "kept", "1")); /* not yet anyone else's */
	OK(pdv_store_commit(f->s, &e_));
	assert_false(pdv_store_in_tx(f->s));
	assert_true(meta_has(other, "kept", "1"));

	OK(pdv_store_begin(f->s, &e_));
	put(f->s, "undone", "1");
	pdv_store_rollback(f->s);
	assert_false(pdv_store_in_tx(f->s));
	assert_false(meta_has(f->s, "undone", "1"));
	assert_false(meta_has(other, "undone", "1"));
	pdv_store_close(other);

	/* a close rolls back what is open */
	OK(pdv_store_begin(f->s, &e_));
	put(f->s, "open", "1");
	pdv_store_close(f->s);
	f->s = reopen(f);
	assert_false(meta_has(f->s, "open", "1"));
	assert_true(meta_has(f->s, "kept", "1"));
}

static void test_a_savepoint_undoes_its_own_writes_only(void **state)
{
	struct fix *f = *state;
	struct pdv_error e;

	OK(pdv_store_begin(f->s, &e_));
	put(f->s, "before", "1");
	OK(pdv_store_savepoint(f->s, &e_));
	assert_int_equal(RC(pdv_store_savepoint(f->s, &e)), PDV_E_INTERNAL); /* one level */
	put(f->s, "inside", "1");
	pdv_store_rollback_to(f->s);
	OK(pdv_store_savepoint(f->s, &e_));
	put(f->s, "released", "1");
	OK(pdv_store_release(f->s, &e_));
	assert_int_equal(RC(pdv_store_release(f->s, &e)), PDV_E_INTERNAL);
	OK(pdv_store_commit(f->s, &e_));
	assert_true(meta_has(f->s, "before", "1"));
	assert_false(meta_has(f->s, "inside", "1"));
	assert_true(meta_has(f->s, "released", "1"));
}

static void test_writes_outside_a_transaction_are_refused(void **state)
{
	struct fix *f = *state;
	struct pdv_error e;
	int64_t id;

	assert_int_equal(RC(pdv_store_meta_put(f->s, "x", "1", 1, &e)), PDV_E_INTERNAL);
	assert_non_null(strstr(last_msg, "outside a write transaction"));
	assert_int_equal(RC(pdv_store_id_next(f->s, PDV_STORE_ID_RECORD, &id, &e)), PDV_E_INTERNAL);
	assert_int_equal(RC(pdv_store_audit_append(f->s, &(struct pdv_audit_row){.seq = 1}, &e)),
	                 PDV_E_INTERNAL);
	assert_int_equal(RC(pdv_store_commit(f->s, &e)), PDV_E_INTERNAL);
	assert_false(meta_has(f->s, "x", "1")); /* reads need no transaction */
	OK(pdv_store_begin(f->s, &e_));
	assert_int_equal(RC(pdv_store_begin(f->s, &e)), PDV_E_INTERNAL); /* not nested */
	assert_int_equal(RC(pdv_store_durability(f->s, true, &e)), PDV_E_INTERNAL);
	pdv_store_rollback(f->s);
}

/* a refusal the store answers (a taken token name) is no failure of the
 * transaction: what came before and after it commits (PostgreSQL aborts a
 * transaction whose statement failed, so its backend must not fail one) */
static void test_a_refused_write_leaves_the_transaction_usable(void **state)
{
	struct fix *f = *state;
	struct pdv_token_row tok = {.name = "ops", .role = "admin", .created_at = 1};
	struct pdv_token_row got;
	struct pdv_error e;

	memset(tok.hash, 1, sizeof(tok.hash));
	OK(pdv_store_begin(f->s, &e_));
	OK(pdv_store_token_insert(f->s, &tok, &e_));
	memset(tok.hash, 2, sizeof(tok.hash));
	assert_int_equal(RC(pdv_store_token_insert(f->s, &tok, &e)), PDV_E_REFUSED);
	assert_non_null(strstr(last_msg, "already exists"));
	put(f->s, "after", "1");
	OK(pdv_store_commit(f->s, &e_));
	assert_true(meta_has(f->s, "after", "1"));
	memset(tok.hash, 1, sizeof(tok.hash));
	OK(pdv_store_token_by_hash(f->s, tok.hash, &got, &e_));
	assert_string_equal(got.name, "ops");
	memset(tok.hash, 2, sizeof(tok.hash));
	assert_int_equal(RC(pdv_store_token_by_hash(f->s, tok.hash, &got, &e)), PDV_E_NOTFOUND);
}

/* a subject read after its lookup is as the store holds it then (the
 * PostgreSQL backend brings the row with the lookup), and a row handed out
 * stays valid while other lookups are read */
static void test_a_subject_read_after_its_lookup_is_current(void **state)
{
	struct fix *f = *state;
	uint8_t h1[PDV_LOOKUP_LEN], h2[PDV_LOOKUP_LEN];
	struct pdv_subject_row a, b;
	int64_t ida, idb, found;

	memset(h1, 1, sizeof(h1));
	memset(h2, 2, sizeof(h2));
	OK(pdv_store_begin(f->s, &e_));
	ida = new_subject(f->s, 0);
	idb = new_subject(f->s, 0);
	OK(pdv_store_lookup_put(f->s, h1, ida, &e_));
	OK(pdv_store_lookup_put(f->s, h2, idb, &e_));
	OK(pdv_store_commit(f->s, &e_));

	OK(pdv_store_lookup_get(f->s, h1, &found, &e_));
	assert_int_equal(found, ida);
	OK(pdv_store_subject_get(f->s, ida, &a, &e_));
	OK(pdv_store_lookup_get(f->s, h2, &found, &e_));
	assert_int_equal(found, idb);
	OK(pdv_store_subject_get(f->s, ida, &a, &e_)); /* again, after another lookup */
	assert_int_equal(a.id, ida);
	assert_int_equal(a.wrapped_key_len, 8);
	assert_memory_equal(a.wrapped_key, "wrapped", 8);
	assert_false(a.restricted);

	OK(pdv_store_begin(f->s, &e_));
	OK(pdv_store_lookup_get(f->s, h2, &found, &e_));
	OK(pdv_store_subject_set_restricted(f->s, idb, true, &e_));
	OK(pdv_store_subject_get(f->s, idb, &b, &e_));
	assert_true(b.restricted); /* the write between is seen */
	OK(pdv_store_lookup_get(f->s, h2, &found, &e_));
	OK(pdv_store_subject_shred(f->s, idb, &e_));
	OK(pdv_store_subject_get(f->s, idb, &b, &e_));
	assert_null(b.wrapped_key);
	OK(pdv_store_commit(f->s, &e_));
}

static int count_record(void *ctx, const struct pdv_record_row *r)
{
	int64_t *ids = ctx;

	ids[++ids[0]] = r->id;
	return 0;
}

/* a lookup that brings its subject's records: the same rows as the calls
 * made apart, none for a person without records, and a write between the
 * lookup and the read of the records is seen */
static void test_a_lookup_with_its_records_reads_what_the_store_holds(void **state)
{
	struct fix *f = *state;
	uint8_t h1[PDV_LOOKUP_LEN], h2[PDV_LOOKUP_LEN];
	struct pdv_subject_row row;
	int64_t a, b, found, ids[8];

	memset(h1, 7, sizeof(h1));
	memset(h2, 8, sizeof(h2));
	OK(pdv_store_begin(f->s, &e_));
	a = new_subject(f->s, 0);
	b = new_subject(f->s, 0);
	OK(pdv_store_lookup_put(f->s, h1, a, &e_));
	OK(pdv_store_lookup_put(f->s, h2, b, &e_));
	new_record(f->s, 0, a);
	new_record(f->s, 0, a);
	OK(pdv_store_commit(f->s, &e_));

	OK(pdv_store_begin(f->s, &e_));
	OK(pdv_store_lookup_get_records(f->s, h1, &found, &e_));
	assert_int_equal(found, a);
	OK(pdv_store_subject_get(f->s, a, &row, &e_));
	assert_int_equal(row.id, a);
	assert_memory_equal(row.wrapped_key, "wrapped", 8);
	ids[0] = 0;
	OK(pdv_store_records_of_subject(f->s, a, count_record, ids, &e_));
	assert_int_equal(ids[0], 2);
	assert_true(ids[1] < ids[2]);
	/* read again: from the store this time, the same */
	ids[0] = 0;
	OK(pdv_store_records_of_subject(f->s, a, count_record, ids, &e_));
	assert_int_equal(ids[0], 2);

	OK(pdv_store_lookup_get_records(f->s, h2, &found, &e_));
	assert_int_equal(found, b);
	ids[0] = 0;
	OK(pdv_store_records_of_subject(f->s, b, count_record, ids, &e_));
	assert_int_equal(ids[0], 0);

	OK(pdv_store_lookup_get_records(f->s, h1, &found, &e_));
	new_record(f->s, 0, a); /* a write between */
	ids[0] = 0;
	OK(pdv_store_records_of_subject(f->s, a, count_record, ids, &e_));
	assert_int_equal(ids[0], 3);
	OK(pdv_store_commit(f->s, &e_));

	memset(h2, 9, sizeof(h2));
	OK(pdv_store_begin(f->s, &e_));
	assert_int_equal(pdv_store_lookup_get_records(f->s, h2, &found, NULL), PDV_E_NOTFOUND);
	OK(pdv_store_commit(f->s, &e_));
}

/* lookups read ahead answer as the store holds them when each is asked: a
 * hash no one has is not found, a write after the read-ahead is seen, a hash
 * not read ahead is read, and the transaction's end forgets them */
static void test_lookups_read_ahead_answer_as_the_store_is(void **state)
{
	struct fix *f = *state;
	struct pdv_error e;
	uint8_t hashes[3 * PDV_LOOKUP_LEN], other[PDV_LOOKUP_LEN];
	struct pdv_subject_row row;
	int64_t a, b, found, ids[8];

	for (int i = 0; i < 3; i++)
		memset(hashes + i * PDV_LOOKUP_LEN, 'A' + i, PDV_LOOKUP_LEN);
	memset(other, 'Z', sizeof(other));
	OK(pdv_store_begin(f->s, &e_));
	a = new_subject(f->s, 0);
	b = new_subject(f->s, 0);
	OK(pdv_store_lookup_put(f->s, hashes, a, &e_));
	OK(pdv_store_lookup_put(f->s, hashes + PDV_LOOKUP_LEN, b, &e_));
	OK(pdv_store_lookup_put(f->s, other, b, &e_));
	new_record(f->s, 0, a);
	new_record(f->s, 0, a);
	OK(pdv_store_commit(f->s, &e_));
	assert_int_equal(RC(pdv_store_lookups_read_ahead(f->s, hashes, 3, &e)), PDV_E_INTERNAL);

	OK(pdv_store_begin(f->s, &e_));
	OK(pdv_store_lookups_read_ahead(f->s, hashes, 3, &e_));
	OK(pdv_store_lookup_get_records(f->s, hashes, &found, &e_));
	assert_int_equal(found, a);
	OK(pdv_store_subject_get(f->s, a, &row, &e_));
	assert_int_equal(row.id, a);
	assert_memory_equal(row.wrapped_key, "wrapped", 8);
	ids[0] = 0;
	OK(pdv_store_records_of_subject(f->s, a, count_record, ids, &e_));
	assert_int_equal(ids[0], 2);
	OK(pdv_store_lookup_get(f->s, hashes + PDV_LOOKUP_LEN, &found, &e_));
	assert_int_equal(found, b);
	OK(pdv_store_subject_get(f->s, b, &row, &e_));
	assert_int_equal(row.id, b);
	ids[0] = 0;
	OK(pdv_store_records_of_subject(f->s, b, count_record, ids, &e_));
	assert_int_equal(ids[0], 0);
	OK(pdv_store_lookup_get(f->s, other, &found, &e_)); /* not read ahead */
	assert_int_equal(found, b);
	assert_int_equal(RC(pdv_store_lookup_get(f->s, hashes + 2 * PDV_LOOKUP_LEN, &found, &e)),
	                 PDV_E_NOTFOUND);
	/* an audit append keeps the read-ahead; a write of the vault's is seen */
	OK(pdv_store_audit_append(
	    f->s, &(struct pdv_audit_row){.seq = 1, .at = 1, .actor = "cli:test", .action = "find"},
	    &e_));
	OK(pdv_store_lookup_put(f->s, hashes + 2 * PDV_LOOKUP_LEN, a, &e_));
	OK(pdv_store_lookup_get(f->s, hashes + 2 * PDV_LOOKUP_LEN, &found, &e_));
	assert_int_equal(found, a);
	new_record(f->s, 0, a);
	OK(pdv_store_lookup_get_records(f->s, hashes, &found, &e_));
	ids[0] = 0;
	OK(pdv_store_records_of_subject(f->s, a, count_record, ids, &e_));
	assert_int_equal(ids[0], 3);
	OK(pdv_store_commit(f->s, &e_));

	/* the next transaction reads the store again */
	OK(pdv_store_begin(f->s, &e_));
	OK(pdv_store_lookups_read_ahead(f->s, hashes, 1, &e_));
	OK(pdv_store_commit(f->s, &e_));
	OK(pdv_store_begin(f->s, &e_));
	OK(pdv_store_lookup_delete(f->s, hashes, &e_));
	OK(pdv_store_commit(f->s, &e_));
	assert_int_equal(RC(pdv_store_lookup_get(f->s, hashes, &found, &e)), PDV_E_NOTFOUND);
}

/* many lookups asked at once: each answer in its place, a lookup written
 * earlier in the same transaction (queued, on PostgreSQL) and a shredded
 * subject's counted as held, too many at once refused */
static void test_lookups_known_answers_each_hash_in_its_place(void **state)
{
	struct fix *f = *state;
	struct pdv_error e;
	uint8_t hashes[5 * PDV_LOOKUP_LEN];
	bool known[5];
	int64_t a, b;

	for (int i = 0; i < 5; i++)
		memset(hashes + i * PDV_LOOKUP_LEN, 'a' + i, PDV_LOOKUP_LEN);
	OK(pdv_store_begin(f->s, &e_));
	a = new_subject(f->s, 0);
	OK(pdv_store_lookup_put(f->s, hashes + 1 * PDV_LOOKUP_LEN, a, &e_));
	OK(pdv_store_commit(f->s, &e_));

	OK(pdv_store_lookups_known(f->s, hashes, 5, known, &e_));
	assert_false(known[0]);
	assert_true(known[1]);
	assert_false(known[2]);
	assert_false(known[3]);
	assert_false(known[4]);

	OK(pdv_store_begin(f->s, &e_));
	b = new_subject(f->s, 0);
	OK(pdv_store_lookup_put(f->s, hashes + 3 * PDV_LOOKUP_LEN, b, &e_));
	OK(pdv_store_lookup_put(f->s, hashes + 4 * PDV_LOOKUP_LEN, b, &e_));
	OK(pdv_store_subject_shred_key(f->s, b, &e_));
	OK(pdv_store_lookups_known(f->s, hashes, 5, known, &e_));
	assert_false(known[0]);
	assert_true(known[1]);
	assert_false(known[2]);
	assert_true(known[3]);
	assert_true(known[4]);
	OK(pdv_store_commit(f->s, &e_));

	/* the last hash alone, and none */
	OK(pdv_store_lookups_known(f->s, hashes + 4 * PDV_LOOKUP_LEN, 1, known, &e_));
	assert_true(known[0]);
	OK(pdv_store_lookups_known(f->s, hashes, 0, known, &e_));
	assert_int_equal(
	    RC(pdv_store_lookups_known(f->s, hashes, PDV_STORE_LOOKUPS_KNOWN_MAX + 1, known, &e)),
	    PDV_E_INVAL);
}

/* lookups put without waiting for each are checked in one read: a hash a
 * live subject holds stays its own and is not counted for the new ones */
static void test_lookups_held_by_new_subjects_are_counted_in_one_read(void **state)
{
	struct fix *f = *state;
	uint8_t h1[PDV_LOOKUP_LEN], h2[PDV_LOOKUP_LEN], h3[PDV_LOOKUP_LEN];
	int64_t a, b, c, held, found;

	memset(h1, 1, sizeof(h1));
	memset(h2, 2, sizeof(h2));
	memset(h3, 3, sizeof(h3));
	OK(pdv_store_begin(f->s, &e_));
	a = new_subject(f->s, 0);
	OK(pdv_store_lookup_put(f->s, h1, a, &e_));
	OK(pdv_store_commit(f->s, &e_));

	OK(pdv_store_begin(f->s, &e_));
	b = new_subject(f->s, 0);
	c = new_subject(f->s, 0);
	OK(pdv_store_lookup_put(f->s, h1, b, &e_)); /* a's: kept */
	OK(pdv_store_lookup_put(f->s, h2, b, &e_));
	OK(pdv_store_lookup_put(f->s, h3, c, &e_));
	OK(pdv_store_lookups_held_between(f->s, b, c, &held, &e_));
	assert_int_equal(held, 2);
	OK(pdv_store_lookups_held_between(f->s, a, c, &held, &e_));
	assert_int_equal(held, 3);
	OK(pdv_store_commit(f->s, &e_));
	OK(pdv_store_lookup_get(f->s, h1, &found, &e_));
	assert_int_equal(found, a);
}

/* the most hashes asked at once, outside a transaction: each answer in its
 * place (one statement on PostgreSQL, whatever their number) */
static void test_lookups_known_answers_the_most_asked_at_once(void **state)
{
	struct fix *f = *state;
	enum { N = PDV_STORE_LOOKUPS_KNOWN_MAX };
	static uint8_t hashes[N * PDV_LOOKUP_LEN];
	static bool known[N];
	int64_t a;

	memset(hashes, 0, sizeof(hashes));
	OK(pdv_store_begin(f->s, &e_));
	a = new_subject(f->s, 0);
	for (int i = 0; i < N; i++) {
		memcpy(hashes + i * PDV_LOOKUP_LEN, &i, sizeof(i));
		if (i % 7 == 3)
			OK(pdv_store_lookup_put(f->s, hashes + i * PDV_LOOKUP_LEN, a, &e_));
	}
	OK(pdv_store_commit(f->s, &e_));
	memset(known, 1, sizeof(known));
	OK(pdv_store_lookups_known(f->s, hashes, N, known, &e_));
	for (int i = 0; i < N; i++)
		assert_int_equal(known[i], i % 7 == 3);
}

/* a token read twice in one transaction shows the writes made between
 * (the PostgreSQL backend keeps it for the transaction's next reads) */
static void test_a_token_read_again_in_a_transaction_is_current(void **state)
{
	struct fix *f = *state;
	struct pdv_token_row tok = {.name = "ops", .role = "admin", .created_at = 1};
	struct pdv_token_row got;

	memset(tok.hash, 7, sizeof(tok.hash));
	OK(pdv_store_begin(f->s, &e_));
	OK(pdv_store_token_insert(f->s, &tok, &e_));
	OK(pdv_store_commit(f->s, &e_));

	OK(pdv_store_begin(f->s, &e_));
	OK(pdv_store_token_by_hash(f->s, tok.hash, &got, &e_));
	assert_int_equal(got.revoked_at, 0);
	OK(pdv_store_token_by_hash(f->s, tok.hash, &got, &e_));
	assert_string_equal(got.name, "ops");
	OK(pdv_store_savepoint(f->s, &e_));
	OK(pdv_store_token_revoke(f->s, "ops", 5, &e_));
	OK(pdv_store_token_by_hash(f->s, tok.hash, &got, &e_));
	assert_int_equal(got.revoked_at, 5);
	pdv_store_rollback_to(f->s);
	OK(pdv_store_token_by_hash(f->s, tok.hash, &got, &e_));
	assert_int_equal(got.revoked_at, 0); /* the revocation undone */
	OK(pdv_store_token_revoke(f->s, "ops", 6, &e_));
	OK(pdv_store_token_by_hash(f->s, tok.hash, &got, &e_));
	assert_int_equal(got.revoked_at, 6);
	OK(pdv_store_commit(f->s, &e_));
	OK(pdv_store_token_by_hash(f->s, tok.hash, &got, &e_));
	assert_int_equal(got.revoked_at, 6);
}

/* --- ids --- */

static void test_ids_follow_each_other_and_never_meet_a_reserved_range(void **state)
{
	struct fix *f = *state;
	struct pdv_store *other = reopen(f);
	int64_t a, b, subject, top, first, mine, theirs, last_before;
	struct pdv_error e;

	OK(pdv_store_begin(f->s, &e_));
	OK(pdv_store_id_next(f->s, PDV_STORE_ID_SUBJECT, &a, &e_));
	OK(pdv_store_id_next(f->s, PDV_STORE_ID_SUBJECT, &b, &e_));
	assert_true(a > 0 && b > a);
	subject = new_subject(f->s, a);
	assert_int_equal(new_subject(f->s, b), b);
	top = new_subject(f->s, 0); /* 0: the store takes the next */
	assert_true(top > b);
	OK(pdv_store_id_next(f->s, PDV_STORE_ID_RECORD, &last_before, &e_));
	new_record(f->s, last_before, subject);
	/* a range for an import: no one else is given one of them */
	OK(pdv_store_id_reserve(f->s, PDV_STORE_ID_RECORD, 100, &first, &e_));
	assert_true(first > last_before);
	OK(pdv_store_commit(f->s, &e_));

	OK(pdv_store_begin(other, &e_));
	OK(pdv_store_id_next(other, PDV_STORE_ID_RECORD, &theirs, &e_));
	assert_true(theirs >= first + 100);
	assert_true(new_record(other, 0, subject) > theirs);
	OK(pdv_store_id_reserve(other, PDV_STORE_ID_RECORD, 10, &mine, &e_));
	assert_true(mine >= first + 100 && mine > theirs);
	OK(pdv_store_commit(other, &e_));

	/* the reserver writes rows with its ids in a later transaction */
	OK(pdv_store_begin(f->s, &e_));
	assert_int_equal(new_record(f->s, first + 5, subject), first + 5);
	OK(pdv_store_id_next(f->s, PDV_STORE_ID_RECORD, &a, &e_));
	assert_true(a >= mine + 10);
	assert_int_equal(RC(pdv_store_id_reserve(f->s, PDV_STORE_ID_RECORD, 0, &a, &e)),
	                 PDV_E_INTERNAL);
	OK(pdv_store_commit(f->s, &e_));

	/* after a rollback (whose ids may come back), still past every id in use */
	OK(pdv_store_begin(f->s, &e_));
	OK(pdv_store_id_next(f->s, PDV_STORE_ID_SUBJECT, &a, &e_));
	assert_true(a > top);
	pdv_store_rollback(f->s);
	OK(pdv_store_begin(f->s, &e_));
	OK(pdv_store_id_next(f->s, PDV_STORE_ID_SUBJECT, &b, &e_));
	assert_true(b > top);
	pdv_store_rollback(f->s);
	pdv_store_close(other);
}

/* --- iterations --- */

struct reenter {
	struct pdv_store *s;
	int rows, refused;
	char msg[sizeof(((struct pdv_error *)0)->msg)];
};

static int call_the_store(void *ctx, const struct pdv_record_row *r)
{
	struct reenter *c = ctx;
	struct pdv_record_row again;
	struct pdv_error e;
	int rc;

	pdv_error_clear(&e);
	c->rows++;
	rc = pdv_store_record_get(c->s, r->id, &again, &e);
	if (rc == PDV_E_INTERNAL) {
		c->refused++;
		snprintf(c->msg, sizeof(c->msg), "%s", e.msg);
	}
	return 0;
}

static int stop_at_two(void *ctx, const struct pdv_record_row *r)
{
	struct reenter *c = ctx;

	(void)r;
	return ++c->rows == 2 ? 7 : 0;
}

static void test_a_callback_may_not_call_the_store(void **state)
{
	struct fix *f = *state;
	struct reenter c = {.s = f->s};
	struct pdv_record_row row;
	int64_t subject, record = 0;

	OK(pdv_store_begin(f->s, &e_));
	subject = new_subject(f->s, 0);
	for (int i = 0; i < 3; i++)
		record = new_record(f->s, 0, subject);
	OK(pdv_store_commit(f->s, &e_));
	OK(pdv_store_records_of_subject(f->s, subject, call_the_store, &c, &e_));
	assert_int_equal(c.rows, 3);
	assert_int_equal(c.refused, 3);
	assert_non_null(strstr(c.msg, "inside an iteration"));
	/* once it returns, the store answers again */
	OK(pdv_store_record_get(f->s, record, &row, &e_));
	assert_int_equal(row.id, record);
	/* a positive return stops the iteration and is handed back */
	c.rows = 0;
	assert_int_equal(pdv_store_records_of_subject(f->s, subject, stop_at_two, &c, NULL), 7);
	assert_int_equal(c.rows, 2);
}

/* --- the audit log --- */

struct seen {
	int64_t seq[8];
	int n;
};

static int note_seq(void *ctx, const struct pdv_audit_row *r)
{
	struct seen *s = ctx;

	if (s->n < 8)
		s->seq[s->n++] = r->seq;
	return 0;
}

static void test_the_audit_log_keeps_what_the_engine_numbers(void **state)
{
	struct fix *f = *state;
	struct seen all = {0}, from = {0}, one = {0};
	uint8_t hash[32];
	int64_t seq;

	OK(pdv_store_audit_last(f->s, &seq, hash, &e_));
	assert_int_equal(seq, 0);
	OK(pdv_store_begin(f->s, &e_));
	for (int i = 1; i <= 3; i++) {
		struct pdv_audit_row r = {.seq = i == 3 ? 5 : i, /* an accepted loss skips 3-4 */
		                          .at = 100 + i,
		                          .actor = "cli:test",
		                          .action = "collect",
		                          .subject = i == 2 ? "sSUBJECT" : NULL};

		memset(r.hash, i, sizeof(r.hash));
		OK(pdv_store_audit_append(f->s, &r, &e_));
	}
	OK(pdv_store_commit(f->s, &e_));
	OK(pdv_store_audit_last(f->s, &seq, hash, &e_));
	assert_int_equal(seq, 5);
	assert_int_equal(hash[0], 3);
	OK(pdv_store_audit_each(f->s, NULL, note_seq, &all, &e_));
	assert_int_equal(all.n, 3);
	assert_int_equal(all.seq[0], 1);
	assert_int_equal(all.seq[2], 5);
	OK(pdv_store_audit_from(f->s, 2, note_seq, &from, &e_));
	assert_int_equal(from.n, 2);
	assert_int_equal(from.seq[0], 2);
	OK(pdv_store_audit_each(f->s, "sSUBJECT", note_seq, &one, &e_));
	assert_int_equal(one.n, 1);
	assert_int_equal(one.seq[0], 2);
}

/* a write whose result the backend does not wait for (PostgreSQL's
 * pipeline) still fails its transaction: by its own call, a later one or
 * the commit, never a commit that keeps the rest */
static void test_a_failed_write_is_never_committed(void **state)
{
	struct fix *f = *state;
	struct pdv_audit_row r = {.seq = 1, .at = 1, .actor = "cli:test", .action = "collect"};
	struct pdv_subject_row got;
	struct pdv_error e;
	int64_t id;
	int rc;

	OK(pdv_store_begin(f->s, &e_));
	OK(pdv_store_audit_append(f->s, &r, &e_));
	OK(pdv_store_commit(f->s, &e_));
	OK(pdv_store_begin(f->s, &e_));
	id = new_subject(f->s, 0);
	rc = RC(pdv_store_audit_append(f->s, &r, &e)); /* seq 1 again */
	if (rc == 0)
		rc = RC(pdv_store_commit(f->s, &e));
	else
		pdv_store_rollback(f->s);
	assert_true(rc < 0);
	assert_false(pdv_store_in_tx(f->s));
	assert_int_equal(RC(pdv_store_subject_get(f->s, id, &got, &e)), PDV_E_NOTFOUND);
}

/* the same failure inside a savepoint is undone with it, and the
 * transaction goes on: a job of the server's group fails alone */
static void test_a_failed_write_is_undone_with_its_savepoint(void **state)
{
	struct fix *f = *state;
	struct pdv_audit_row r = {.seq = 1, .at = 1, .actor = "cli:test", .action = "collect"};
	struct seen all = {0};
	struct pdv_error e;

	OK(pdv_store_begin(f->s, &e_));
	OK(pdv_store_audit_append(f->s, &r, &e_));
	put(f->s, "before", "1");
	OK(pdv_store_savepoint(f->s, &e_));
	put(f->s, "inside", "1");
	RC(pdv_store_audit_append(f->s, &r, &e)); /* fails now or at the next wait */
	pdv_store_rollback_to(f->s);
	put(f->s, "after", "1");
	OK(pdv_store_commit(f->s, &e_));
	assert_true(meta_has(f->s, "before", "1"));
	assert_false(meta_has(f->s, "inside", "1"));
	assert_true(meta_has(f->s, "after", "1"));
	OK(pdv_store_audit_each(f->s, NULL, note_seq, &all, &e_));
	assert_int_equal(all.n, 1);
}

/* a failure a later job brings to light belongs to the job before it
 * (PostgreSQL's pipeline: a job's writes are not waited for, and the first
 * wait after them, in the next job, returns their error): rolling back to
 * the later job's savepoint cannot undo it, and the earlier job was told
 * its writes went in. The transaction must not commit without them. */
static void test_a_failure_found_by_a_later_savepoint_is_never_committed(void **state)
{
	struct fix *f = *state;
	struct pdv_audit_row r = {.seq = 1, .at = 1, .actor = "cli:test", .action = "collect"};
	uint8_t buf[8];
	size_t n;
	struct pdv_error e;
	int first, read, done;

	OK(pdv_store_begin(f->s, &e_));
	OK(pdv_store_audit_append(f->s, &r, &e_));
	OK(pdv_store_commit(f->s, &e_));
	OK(pdv_store_begin(f->s, &e_));
	/* the first job: a write, then one that fails (seq 1 again), now
	 * (SQLite) or at the next wait (PostgreSQL) */
	OK(pdv_store_savepoint(f->s, &e_));
	put(f->s, "first", "1");
	first = RC(pdv_store_audit_append(f->s, &r, &e));
	if (first < 0)
		pdv_store_rollback_to(f->s); /* found in its own job: undone alone */
	else
		OK(pdv_store_release(f->s, &e_));
	/* the second job: a read, then a write */
	OK(pdv_store_savepoint(f->s, &e_));
	read = RC(pdv_store_meta_get(f->s, "absent", buf, sizeof(buf), &n, &e));
	if (read < 0 && read != PDV_E_NOTFOUND) {
		pdv_store_rollback_to(f->s);
	} else {
		put(f->s, "second", "1");
		OK(pdv_store_release(f->s, &e_));
	}
	done = RC(pdv_store_commit(f->s, &e));
	if (!pdv_store_in_tx(f->s) && done < 0)
		return; /* nothing of it committed: every job told so */
	assert_int_equal(done, 0);
	/* committed: then every write whose job went through is there */
	if (first == 0)
		assert_true(meta_has(f->s, "first", "1"));
	else
		assert_false(meta_has(f->s, "first", "1"));
}

/* waited savepoints (a server's group run again): a write that fails is
 * found by its own call or its release, within its savepoint, and undone
 * alone; the jobs before and after it are kept */
static void test_waited_savepoints_find_a_failed_write_in_its_own_job(void **state)
{
	struct fix *f = *state;
	struct pdv_audit_row r = {.seq = 1, .at = 1, .actor = "cli:test", .action = "collect"};
	struct pdv_error e;
	int rc;

	OK(pdv_store_begin(f->s, &e_));
	OK(pdv_store_audit_append(f->s, &r, &e_));
	OK(pdv_store_commit(f->s, &e_));
	OK(pdv_store_begin(f->s, &e_));
	pdv_store_savepoints(f->s, PDV_SAVEPOINTS_WAITED);
	OK(pdv_store_savepoint(f->s, &e_));
	put(f->s, "first", "1");
	OK(pdv_store_release(f->s, &e_));
	OK(pdv_store_savepoint(f->s, &e_));
	put(f->s, "failing", "1");
	rc = RC(pdv_store_audit_append(f->s, &r, &e)); /* seq 1 again */
	if (rc < 0)
		assert_int_equal(pdv_store_rollback_to(f->s), 0);
	else
		rc = RC(pdv_store_release(f->s, &e)); /* found, and undone */
	assert_true(rc < 0);
	OK(pdv_store_savepoint(f->s, &e_));
	put(f->s, "after", "1");
	OK(pdv_store_release(f->s, &e_));
	OK(pdv_store_commit(f->s, &e_));
	assert_true(meta_has(f->s, "first", "1"));
	assert_false(meta_has(f->s, "failing", "1"));
	assert_true(meta_has(f->s, "after", "1"));
}

/* lazy savepoints (a server's group, first run): a job that changed
 * nothing is undone and the transaction goes on; one that wrote is undone
 * alone (a backend whose savepoints cost nothing keeps them) or cannot be,
 * and then the transaction commits nothing of it */
static void test_lazy_savepoints_undo_a_job_alone_or_commit_nothing(void **state)
{
	struct fix *f = *state;
	uint8_t buf[8];
	size_t n;
	struct pdv_error e;
	int undone, done;

	OK(pdv_store_begin(f->s, &e_));
	pdv_store_savepoints(f->s, PDV_SAVEPOINTS_LAZY);
	put(f->s, "before", "1");
	OK(pdv_store_savepoint(f->s, &e_));
	assert_int_equal(RC(pdv_store_meta_get(f->s, "absent", buf, sizeof(buf), &n, &e)),
	                 PDV_E_NOTFOUND);
	assert_int_equal(pdv_store_rollback_to(f->s), 0); /* a read alone: nothing to undo */
	OK(pdv_store_savepoint(f->s, &e_));
	put(f->s, "inside", "1");
	OK(pdv_store_release(f->s, &e_));
	OK(pdv_store_savepoint(f->s, &e_));
	put(f->s, "undone", "1");
	undone = pdv_store_rollback_to(f->s);
	if (undone == 0) {
		put(f->s, "after", "1");
		OK(pdv_store_flush(f->s, &e_));
		OK(pdv_store_commit(f->s, &e_));
		assert_true(meta_has(f->s, "before", "1"));
		assert_true(meta_has(f->s, "inside", "1"));
		assert_false(meta_has(f->s, "undone", "1"));
		assert_true(meta_has(f->s, "after", "1"));
		return;
	}
	assert_true(undone < 0);
	done = RC(pdv_store_commit(f->s, &e));
	assert_true(done < 0);
	assert_false(pdv_store_in_tx(f->s));
	assert_false(meta_has(f->s, "before", "1"));
	assert_false(meta_has(f->s, "inside", "1"));
	assert_false(meta_has(f->s, "undone", "1"));
}

/* with lazy savepoints a write may fail where the ordinary way chooses (a
 * lookup another person holds): the failure comes back, by its own call or
 * by flush, and nothing of the transaction is committed; the ordinary way
 * keeps the holder's */
static void test_a_lazy_write_that_fails_is_reported_and_never_committed(void **state)
{
	struct fix *f = *state;
	uint8_t h[PDV_LOOKUP_LEN];
	struct pdv_error e;
	int64_t ida, idb, found;
	int put_rc, flushed, done;

	memset(h, 7, sizeof(h));
	OK(pdv_store_begin(f->s, &e_));
	ida = new_subject(f->s, 0);
	idb = new_subject(f->s, 0);
	OK(pdv_store_lookup_put(f->s, h, ida, &e_));
	OK(pdv_store_commit(f->s, &e_));

	OK(pdv_store_begin(f->s, &e_));
	pdv_store_savepoints(f->s, PDV_SAVEPOINTS_LAZY);
	OK(pdv_store_savepoint(f->s, &e_));
	put(f->s, "lazy", "1");
	put_rc = RC(pdv_store_lookup_put(f->s, h, idb, &e));
	if (put_rc == 0)
		OK(pdv_store_release(f->s, &e_));
	flushed = put_rc < 0 ? 0 : RC(pdv_store_flush(f->s, &e));
	if (put_rc == 0 && flushed == 0) { /* the ordinary way: the holder keeps it */
		OK(pdv_store_commit(f->s, &e_));
		assert_true(meta_has(f->s, "lazy", "1"));
	} else {
		if (put_rc < 0)
			assert_true(pdv_store_rollback_to(f->s) < 0);
		done = RC(pdv_store_commit(f->s, &e));
		assert_true(done < 0);
		assert_false(meta_has(f->s, "lazy", "1"));
	}
	OK(pdv_store_lookup_get(f->s, h, &found, &e_));
	assert_int_equal(found, ida);

	/* not lazy: the upsert keeps the holder's, and the transaction goes on */
	OK(pdv_store_begin(f->s, &e_));
	OK(pdv_store_savepoint(f->s, &e_));
	OK(pdv_store_lookup_put(f->s, h, idb, &e_));
	OK(pdv_store_release(f->s, &e_));
	put(f->s, "ordinary", "1");
	OK(pdv_store_commit(f->s, &e_));
	assert_true(meta_has(f->s, "ordinary", "1"));
	OK(pdv_store_lookup_get(f->s, h, &found, &e_));
	assert_int_equal(found, ida);
}

/* --- a server's group of many new people --- */

#define PEOPLE 150 /* more than one statement's worth of rows (PostgreSQL: 64) */

static void person_hash(uint8_t h[PDV_LOOKUP_LEN], int i)
{
	memset(h, 0, PDV_LOOKUP_LEN);
	h[0] = 0xb0, h[1] = (uint8_t)(i >> 8), h[2] = (uint8_t)i;
}

/* what a group's job writes for a new person: the subject, its lookup, a
 * record (every other one with consent, the rest NULL there) and its audit
 * entry, chained by seq; the i-th person's values all tell i */
static void new_person(struct pdv_store *s, int i, int64_t *subject, int64_t *record)
{
	uint8_t h[PDV_LOOKUP_LEN], wrapped[16], fields[40];
	struct pdv_subject_row sub = {.created_at = 1000 + i};
	struct pdv_record_row rec = {.activity = "newsletter",
	                             .phase = "active",
	                             .collected_at = 1000 + i,
	                             .last_contact = 1000 + i,
	                             .consent_at = i % 2 ? 1000 + i : 0,
	                             .phase_at = 1000 + i,
	                             .fields = fields,
	                             .fields_len = sizeof(fields)};
	struct pdv_audit_row a = {.seq = i + 1,
	                          .at = 1000 + i,
	                          .actor = "api:group",
	                          .action = "collect",
	                          .subject = i % 3 ? "sSOMEONE" : NULL,
	                          .detail = i % 2 ? "one\ttwo" : NULL};

	OK(pdv_store_id_next(s, PDV_STORE_ID_SUBJECT, &sub.id, &e_));
	OK(pdv_store_id_next(s, PDV_STORE_ID_RECORD, &rec.id, &e_));
	memset(wrapped, i, sizeof(wrapped));
	memset(fields, i, sizeof(fields));
	fields[0] = 0; /* a NUL byte among the sealed ones */
	memset(sub.tag, 'a' + i % 26, PDV_TAG_LEN);
	memset(rec.tag, 'A' + i % 26, PDV_TAG_LEN);
	sub.wrapped_key = wrapped;
	sub.wrapped_key_len = sizeof(wrapped);
	rec.subject_id = sub.id;
	memset(a.hash, i, sizeof(a.hash));
	person_hash(h, i);
	OK(pdv_store_savepoint(s, &e_));
	OK(pdv_store_subject_insert(s, &sub, &e_));
	OK(pdv_store_lookup_put(s, h, sub.id, &e_));
	OK(pdv_store_record_insert(s, &rec, &e_));
	OK(pdv_store_audit_append(s, &a, &e_));
	OK(pdv_store_release(s, &e_));
	*subject = sub.id;
	*record = rec.id;
}

struct person_check {
	int i;
	int64_t record;
	int seen;
};

static int check_person_record(void *ctx, const struct pdv_record_row *r)
{
	struct person_check *c = ctx;
	uint8_t fields[40];

	memset(fields, c->i, sizeof(fields));
	fields[0] = 0;
	c->seen++;
	assert_int_equal(r->id, c->record);
	assert_int_equal(r->collected_at, 1000 + c->i);
	assert_int_equal(r->consent_at, c->i % 2 ? 1000 + c->i : 0);
	assert_int_equal(r->fields_len, sizeof(fields));
	assert_memory_equal(r->fields, fields, sizeof(fields));
	assert_int_equal(r->tag[0], 'A' + c->i % 26);
	return 0;
}

static int check_person_entry(void *ctx, const struct pdv_audit_row *r)
{
	int *n = ctx;
	int i = (*n)++;

	assert_int_equal(r->seq, i + 1);
	assert_int_equal(r->at, 1000 + i);
	assert_string_equal(r->actor, "api:group");
	if (i % 3)
		assert_string_equal(r->subject, "sSOMEONE");
	else
		assert_null(r->subject);
	if (i % 2)
		assert_string_equal(r->detail, "one\ttwo");
	else
		assert_null(r->detail);
	assert_int_equal(r->hash[31], (uint8_t)i);
	return 0;
}

/*
 * A group's jobs write many new people in one transaction, lazy (as a
 * server's first run): every row is kept with its own values, NULLs where
 * they were asked, the audit entries in their order; a read in the middle
 * sees what was written before it, and a write after the read is kept too.
 */
static void test_many_new_people_in_one_transaction_are_each_kept_whole(void **state)
{
	struct fix *f = *state;
	int64_t subject[PEOPLE], record[PEOPLE], found;
	uint8_t h[PDV_LOOKUP_LEN];
	struct pdv_subject_row got;
	int entries = 0;

	OK(pdv_store_begin(f->s, &e_));
	pdv_store_savepoints(f->s, PDV_SAVEPOINTS_LAZY);
	for (int i = 0; i < PEOPLE; i++) {
		new_person(f->s, i, &subject[i], &record[i]);
		if (i == 100) { /* a find among the submissions: the earlier ones are there */
			person_hash(h, 99);
			OK(pdv_store_lookup_get(f->s, h, &found, &e_));
			assert_int_equal(found, subject[99]);
			OK(pdv_store_subject_get(f->s, subject[3], &got, &e_));
			assert_int_equal(got.created_at, 1003);
		}
	}
	OK(pdv_store_commit(f->s, &e_));

	for (int i = 0; i < PEOPLE; i++) {
		struct person_check c = {.i = i, .record = record[i]};

		person_hash(h, i);
		OK(pdv_store_lookup_get(f->s, h, &found, &e_));
		assert_int_equal(found, subject[i]);
		OK(pdv_store_subject_get(f->s, subject[i], &got, &e_));
		assert_int_equal(got.created_at, 1000 + i);
		assert_int_equal(got.wrapped_key_len, 16);
		assert_int_equal(got.wrapped_key[15], (uint8_t)i);
		assert_int_equal(got.tag[0], 'a' + i % 26);
		OK(pdv_store_records_of_subject(f->s, subject[i], check_person_record, &c, &e_));
		assert_int_equal(c.seen, 1);
	}
	OK(pdv_store_audit_each(f->s, NULL, check_person_entry, &entries, &e_));
	assert_int_equal(entries, PEOPLE);
}

/* one person's lookup taken already, among many: the group's first run
 * either keeps the holder's lookup and goes on (SQLite's upsert, which lazy
 * savepoints leave as it is) or fails whole (PostgreSQL's plain insert; the
 * server runs it again): all of its people are kept, or none, neither those
 * written before the failing one nor those after */
static void test_a_taken_lookup_among_many_new_people_keeps_all_or_none(void **state)
{
	struct fix *f = *state;
	int64_t subject[PEOPLE] = {0}, first, found;
	uint8_t h[PDV_LOOKUP_LEN];
	struct pdv_subject_row got;
	struct pdv_error e;
	int rc = 0, kept = 0;

	OK(pdv_store_begin(f->s, &e_));
	first = new_subject(f->s, 0);
	person_hash(h, 70);
	OK(pdv_store_lookup_put(f->s, h, first, &e_));
	OK(pdv_store_commit(f->s, &e_));

	OK(pdv_store_begin(f->s, &e_));
	pdv_store_savepoints(f->s, PDV_SAVEPOINTS_LAZY);
	for (int i = 0; i < PEOPLE && rc == 0; i++) {
		uint8_t wrapped[8] = "wrapped";
		struct pdv_subject_row sub = {
		    .created_at = 1, .wrapped_key = wrapped, .wrapped_key_len = sizeof(wrapped)};

		memset(sub.tag, 's', PDV_TAG_LEN);
		OK(pdv_store_savepoint(f->s, &e_));
		OK(pdv_store_id_next(f->s, PDV_STORE_ID_SUBJECT, &sub.id, &e_));
		rc = RC(pdv_store_subject_insert(f->s, &sub, &e));
		person_hash(h, i);
		if (rc == 0)
			rc = RC(pdv_store_lookup_put(f->s, h, sub.id, &e));
		if (rc == 0)
			rc = RC(pdv_store_release(f->s, &e));
		subject[i] = sub.id;
	}
	if (rc == 0)
		rc = RC(pdv_store_commit(f->s, &e));
	else
		pdv_store_rollback(f->s);
	assert_false(pdv_store_in_tx(f->s));
	for (int i = 0; i < PEOPLE; i++)
		if (subject[i] && RC(pdv_store_subject_get(f->s, subject[i], &got, &e)) == 0)
			kept++;
	assert_int_equal(kept, rc == 0 ? PEOPLE : 0);
	person_hash(h, 70);
	OK(pdv_store_lookup_get(f->s, h, &found, &e_));
	assert_int_equal(found, first); /* the holder's, either way */
	person_hash(h, 0);
	assert_int_equal(RC(pdv_store_lookup_get(f->s, h, &found, &e)),
	                 rc == 0 ? 0 : PDV_E_NOTFOUND);
}

/* the head read in a write transaction is the newest: another writer's
 * commit before it began, and this transaction's own appends (the
 * PostgreSQL backend reads it with the writer lock) */
static void test_the_audit_head_in_a_transaction_is_current(void **state)
{
	struct fix *f = *state;
	struct pdv_store *other = reopen(f);
	struct pdv_audit_row r = {.seq = 1, .at = 1, .actor = "cli:test", .action = "collect"};
	uint8_t hash[32];
	int64_t seq;

	memset(r.hash, 9, sizeof(r.hash));
	OK(pdv_store_begin(other, &e_));
	OK(pdv_store_audit_append(other, &r, &e_));
	OK(pdv_store_commit(other, &e_));
	OK(pdv_store_begin(f->s, &e_));
	OK(pdv_store_audit_last(f->s, &seq, hash, &e_));
	assert_int_equal(seq, 1);
	assert_int_equal(hash[0], 9);
	r.seq = 2;
	memset(r.hash, 8, sizeof(r.hash));
	OK(pdv_store_audit_append(f->s, &r, &e_));
	OK(pdv_store_audit_last(f->s, &seq, hash, &e_));
	assert_int_equal(seq, 2);
	assert_int_equal(hash[0], 8);
	OK(pdv_store_commit(f->s, &e_));
	pdv_store_close(other);
}

/* --- the store as a whole --- */

struct staged {
	bool fail;
	bool saw_backup, saw_later;
};

static int prepare(void *ctx, const char *staged_url, struct pdv_error *err)
{
	struct staged *c = ctx;
	struct pdv_store *s;
	int rc;

	if ((rc = pdv_store_open(staged_url, false, &s, err)) < 0)
		return rc;
	c->saw_backup = meta_has(s, "state", "backup");
	c->saw_later = meta_has(s, "later", "1");
	if ((rc = pdv_store_begin(s, err)) == 0) {
		put(s, "replayed", "1");
		rc = pdv_store_commit(s, err);
	}
	pdv_store_close(s);
	if (rc == 0 && c->fail)
		rc = pdv_error_set(err, PDV_E_IO, "the replay failed");
	return rc;
}

static void test_backup_restore_destroy_and_size(void **state)
{
	struct fix *f = *state;
	struct staged bad = {.fail = true}, good = {0};
	struct pdv_error e;
	int64_t size = 0;

	OK(pdv_store_begin(f->s, &e_));
	put(f->s, "state", "backup");
	OK(pdv_store_commit(f->s, &e_));
	OK(pdv_store_size_bytes(f->s, &size, &e_));
	assert_true(size > 0);
	OK(pdv_store_backup(f->s, f->backup, &e_));
	assert_int_equal(RC(pdv_store_backup(f->s, f->backup, &e)), PDV_E_REFUSED);
	OK(pdv_store_begin(f->s, &e_));
	put(f->s, "later", "1");
	OK(pdv_store_commit(f->s, &e_));
	pdv_store_close(f->s);
	f->s = NULL; /* a restore wants the store closed */

	/* a failed restore leaves the store as it was */
	assert_int_equal(RC(pdv_store_restore(f->url, f->backup, prepare, &bad, &e)), PDV_E_IO);
	assert_true(bad.saw_backup && !bad.saw_later);
	assert_int_equal(RC(pdv_store_restore(f->url, "/nonexistent/backup", prepare, &good, &e)),
	                 PDV_E_IO);
	f->s = reopen(f);
	assert_true(meta_has(f->s, "later", "1"));
	assert_false(meta_has(f->s, "replayed", "1"));
	pdv_store_close(f->s);
	f->s = NULL;

	/* a restore: the backup, with what prepare wrote on it, in the store's place */
	OK(pdv_store_restore(f->url, f->backup, prepare, &good, &e_));
	assert_true(good.saw_backup && !good.saw_later);
	f->s = reopen(f);
	assert_true(meta_has(f->s, "state", "backup"));
	assert_true(meta_has(f->s, "replayed", "1"));
	assert_false(meta_has(f->s, "later", "1"));
	OK(pdv_store_check(f->s, &e_));
}

static void test_deferred_commits_are_made_durable_by_sync(void **state)
{
	struct fix *f = *state;
	struct pdv_store *other;

	OK(pdv_store_durability(f->s, true, &e_));
	OK(pdv_store_begin(f->s, &e_));
	put(f->s, "deferred", "1");
	OK(pdv_store_commit(f->s, &e_));
	OK(pdv_store_sync(f->s, &e_));
	other = reopen(f);
	assert_true(meta_has(other, "deferred", "1")); /* atomic and visible at once */
	pdv_store_close(other);
	OK(pdv_store_durability(f->s, false, &e_));
}

/* --- codes sent per address (--verify-per-email) --- */

/* the count is the store's: another handle (another server) sees the sends
 * this one recorded, the cap holds across both, and sends an hour old are
 * forgotten */
static void test_codes_sent_per_address_are_counted_for_every_handle(void **state)
{
	struct fix *f = *state;
	struct pdv_store *other = reopen(f);
	uint8_t ana[32], bob[32];
	bool ok = false;
	struct pdv_error e;

	memset(ana, 0xa1, sizeof(ana));
	memset(bob, 0xb0, sizeof(bob));
	assert_int_equal(RC(pdv_store_verify_send_take(f->s, ana, 1000, 0, 2, &ok, &e)),
	                 PDV_E_INTERNAL); /* a write: in a transaction */
	OK(pdv_store_begin(f->s, &e_));
	OK(pdv_store_verify_send_take(f->s, ana, 1000, 0, 2, &ok, &e_));
	assert_true(ok);
	OK(pdv_store_commit(f->s, &e_));
	OK(pdv_store_begin(other, &e_));
	OK(pdv_store_verify_send_take(other, ana, 1001, 0, 2, &ok, &e_));
	assert_true(ok);
	OK(pdv_store_verify_send_take(other, ana, 1002, 0, 2, &ok, &e_));
	assert_false(ok); /* the third, whichever handle asks */
	OK(pdv_store_verify_send_take(other, bob, 1002, 0, 2, &ok, &e_));
	assert_true(ok); /* another address */
	OK(pdv_store_commit(other, &e_));
	OK(pdv_store_begin(f->s, &e_));
	OK(pdv_store_verify_send_take(f->s, ana, 1003, 0, 2, &ok, &e_));
	assert_false(ok);
	/* an hour later: the send of 1000 is forgotten, one more may go */
	OK(pdv_store_verify_send_take(f->s, ana, 4600, 1000, 2, &ok, &e_));
	assert_true(ok);
	OK(pdv_store_verify_send_take(f->s, ana, 4600, 1000, 2, &ok, &e_));
	assert_false(ok);
	OK(pdv_store_commit(f->s, &e_));
	pdv_store_close(other);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_create_refuses_an_existing_store_and_open_a_missing_one),
	    T(test_a_url_no_backend_takes_is_refused),
	    T(test_a_commit_is_seen_by_others_and_a_rollback_by_no_one),
	    T(test_a_savepoint_undoes_its_own_writes_only),
	    T(test_writes_outside_a_transaction_are_refused),
	    T(test_a_refused_write_leaves_the_transaction_usable),
	    T(test_a_subject_read_after_its_lookup_is_current),
	    T(test_lookups_held_by_new_subjects_are_counted_in_one_read),
	    T(test_lookups_known_answers_the_most_asked_at_once),
	    T(test_a_token_read_again_in_a_transaction_is_current),
	    T(test_lookups_known_answers_each_hash_in_its_place),
	    T(test_a_lookup_with_its_records_reads_what_the_store_holds),
	    T(test_lookups_read_ahead_answer_as_the_store_is),
	    T(test_ids_follow_each_other_and_never_meet_a_reserved_range),
	    T(test_a_callback_may_not_call_the_store),
	    T(test_the_audit_log_keeps_what_the_engine_numbers),
	    T(test_the_audit_head_in_a_transaction_is_current),
	    T(test_a_failed_write_is_never_committed),
	    T(test_a_failed_write_is_undone_with_its_savepoint),
	    T(test_a_failure_found_by_a_later_savepoint_is_never_committed),
	    T(test_waited_savepoints_find_a_failed_write_in_its_own_job),
	    T(test_lazy_savepoints_undo_a_job_alone_or_commit_nothing),
	    T(test_a_lazy_write_that_fails_is_reported_and_never_committed),
	    T(test_many_new_people_in_one_transaction_are_each_kept_whole),
	    T(test_a_taken_lookup_among_many_new_people_keeps_all_or_none),
	    T(test_backup_restore_destroy_and_size),
	    T(test_deferred_commits_are_made_durable_by_sync),
	    T(test_codes_sent_per_address_are_counted_for_every_handle),
	};

	const char *skip = getenv("PDVAULT_TEST_STORE_SKIP");

	if (skip && *skip)
		cmocka_set_skip_filter(skip);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
