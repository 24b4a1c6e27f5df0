/*
 * test-crypto.c — sealing bound to its place (record and field), key wrapping
 * bound to its master key and its use, keyed hashes that cannot be confused,
 * the master key file's checks (mode, size, existence, kind, replacement), and
 * known answers that pin the formats a vault keeps on disk: a change that
 * would make existing vaults unreadable fails here.
 */
#define _GNU_SOURCE /* memmem */
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "pdv/crypto.h"

static struct pdv_secret *new_key(void)
{
	struct pdv_secret *s = NULL;

	assert_int_equal(pdv_secret_new(&s, NULL), 0);
	assert_non_null(s);
	return s;
}

static size_t unhex(const char *h, uint8_t *out, size_t size)
{
	size_t n = strlen(h) / 2;

	assert_true(n <= size);
	for (size_t i = 0; i < n; i++) {
		unsigned v;

		assert_int_equal(sscanf(h + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

/* ---- a temporary folder per test that touches files ---- */

struct tmp {
	char dir[64];
	char path[128]; /* dir/key */
};

static int tmp_setup(void **state)
{
	struct tmp *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	strcpy(t->dir, "/tmp/pdv-crypto-XXXXXX");
	if (!mkdtemp(t->dir)) {
		free(t);
		return -1;
	}
	snprintf(t->path, sizeof(t->path), "%s/key", t->dir);
	*state = t;
	return 0;
}

static int tmp_teardown(void **state)
{
	struct tmp *t = *state;
	struct dirent *e;
	DIR *d = opendir(t->dir);
	char p[512];

	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", t->dir, e->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(t->dir);
	free(t);
	return 0;
}

static char *tmp_file(struct tmp *t, const char *name)
{
	static char p[4][128];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", t->dir, name);
	return p[i];
}

static void write_file(const char *path, const void *data, size_t n, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	assert_true(fd >= 0);
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(write(fd, data, n), (ssize_t)n);
	close(fd);
}

static size_t read_file(const char *path, uint8_t *out, size_t size)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(out, 1, size, f);
	fclose(f);
	return n;
}

static struct pdv_master *load_ok(const char *path)
{
	struct pdv_master *m = NULL;
	struct pdv_error err;

	pdv_error_clear(&err);
	if (pdv_master_load(path, &m, &err) != 0)
		fail_msg("load %s: %s", path, err.msg);
	return m;
}

/* ---- sealing ---- */

static const char email[] = "jeanne@example.org";

static void test_seal_open_round_trip(void **state)
{
	struct pdv_secret *k = new_key();
	uint8_t c[sizeof(email) + PDV_SEAL_OVERHEAD], c2[sizeof(c)], out[sizeof(email)];
	uint8_t e[PDV_SEAL_OVERHEAD];

	(void)state;
	assert_int_equal(pdv_crypto_init(NULL), 0);
	assert_int_equal(pdv_crypto_init(NULL), 0); /* idempotent */
	assert_int_equal(pdv_seal(k, "r1\0email", 8, email, sizeof(email), c, NULL), 0);
	assert_null(memmem(c, sizeof(c), "jeanne", 6));
	memset(out, 0, sizeof(out));
	assert_int_equal(pdv_open(k, "r1\0email", 8, c, sizeof(c), out, NULL), 0);
	assert_memory_equal(out, email, sizeof(email));
	/* a fresh nonce each time: the same value in the same place seals differently */
	assert_int_equal(pdv_seal(k, "r1\0email", 8, email, sizeof(email), c2, NULL), 0);
	assert_memory_not_equal(c, c2, PDV_SEAL_NONCE_LEN);
	assert_memory_not_equal(c + PDV_SEAL_NONCE_LEN, c2 + PDV_SEAL_NONCE_LEN,
	                        sizeof(c) - PDV_SEAL_NONCE_LEN);
	/* an empty value seals to nonce and tag alone, and opens */
	assert_int_equal(pdv_seal(k, "r1\0note", 7, "", 0, e, NULL), 0);
	assert_int_equal(pdv_open(k, "r1\0note", 7, e, sizeof(e), out, NULL), 0);
	pdv_secret_free(k);
}

static void test_open_refuses_another_place(void **state)
{
	struct pdv_secret *k = new_key();
	uint8_t c[sizeof(email) + PDV_SEAL_OVERHEAD], out[sizeof(email)];
	struct pdv_error err;

	(void)state;
	assert_int_equal(pdv_seal(k, "r1\0email", 8, email, sizeof(email), c, NULL), 0);
	pdv_error_clear(&err);
	/* copied to another record */
	assert_int_equal(pdv_open(k, "r2\0email", 8, c, sizeof(c), out, &err), PDV_E_REFUSED);
	assert_string_equal(err.code, "refused");
	assert_null(strstr(err.msg, "jeanne"));
	/* moved to another field of the same record */
	assert_int_equal(pdv_open(k, "r1\0phone", 8, c, sizeof(c), out, NULL), PDV_E_REFUSED);
	/* no associated data at all */
	assert_int_equal(pdv_open(k, NULL, 0, c, sizeof(c), out, NULL), PDV_E_REFUSED);
	/* a refusal leaves no plaintext in out, not even from an earlier open */
	assert_int_equal(pdv_open(k, "r1\0email", 8, c, sizeof(c), out, NULL), 0);
	assert_non_null(memmem(out, sizeof(out), "jeanne", 6));
	assert_int_equal(pdv_open(k, "r1\0emai", 8, c, sizeof(c), out, NULL), PDV_E_REFUSED);
	assert_null(memmem(out, sizeof(out), "jeanne", 6));
	pdv_secret_free(k);
}

static void test_open_refuses_a_flipped_bit(void **state)
{
	struct pdv_secret *k = new_key();
	uint8_t c[sizeof(email) + PDV_SEAL_OVERHEAD], out[sizeof(email)];
	/* in the nonce, in the ciphertext, in the tag */
	const size_t at[] = {0, PDV_SEAL_NONCE_LEN + 3, sizeof(c) - 1};

	(void)state;
	assert_int_equal(pdv_seal(k, "r1\0email", 8, email, sizeof(email), c, NULL), 0);
	for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		c[at[i]] ^= 0x01;
		assert_int_equal(pdv_open(k, "r1\0email", 8, c, sizeof(c), out, NULL),
		                 PDV_E_REFUSED);
		c[at[i]] ^= 0x01;
	}
	assert_int_equal(pdv_open(k, "r1\0email", 8, c, sizeof(c), out, NULL), 0);
	/* truncated by one byte: the tag no longer verifies */
	assert_int_equal(pdv_open(k, "r1\0email", 8, c, sizeof(c) - 1, out, NULL), PDV_E_REFUSED);
	pdv_secret_free(k);
}

static void test_open_refuses_another_key(void **state)
{
	struct pdv_secret *k = new_key(), *other = new_key();
	uint8_t c[sizeof(email) + PDV_SEAL_OVERHEAD], out[sizeof(email)];

	(void)state;
	assert_int_equal(pdv_seal(k, "r1\0email", 8, email, sizeof(email), c, NULL), 0);
	assert_int_equal(pdv_open(other, "r1\0email", 8, c, sizeof(c), out, NULL), PDV_E_REFUSED);
	pdv_secret_free(k);
	pdv_secret_free(other);
}

static void test_open_too_short_is_invalid(void **state)
{
	struct pdv_secret *k = new_key();
	uint8_t c[PDV_SEAL_OVERHEAD] = {0}, out[1];
	struct pdv_error err;

	(void)state;
	pdv_error_clear(&err);
	assert_int_equal(pdv_open(k, "x", 1, c, PDV_SEAL_OVERHEAD - 1, out, &err), PDV_E_INVAL);
	assert_string_equal(err.code, "invalid");
	assert_non_null(strstr(err.msg, "39 bytes"));
	assert_int_equal(pdv_open(k, "x", 1, c, 0, out, NULL), PDV_E_INVAL);
	/* long enough to be parsed, but not a sealed value */
	assert_int_equal(pdv_open(k, "x", 1, c, PDV_SEAL_OVERHEAD, out, NULL), PDV_E_REFUSED);
	pdv_secret_free(k);
}

/* ---- the master key file ---- */

static void test_master_create(void **state)
{
	struct tmp *t = *state;
	struct stat st;
	mode_t old;

	/* a umask that takes the owner's write bit does not change the mode */
	old = umask(0277);
	assert_int_equal(pdv_master_create(t->path, NULL), 0);
	umask(old);
	assert_int_equal(stat(t->path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_size, PDV_KEY_LEN);
	pdv_master_free(load_ok(t->path));
}

static void test_master_create_refuses_to_overwrite(void **state)
{
	struct tmp *t = *state;
	uint8_t before[64], after[64];
	struct pdv_error err;

	assert_int_equal(pdv_master_create(t->path, NULL), 0);
	assert_int_equal(read_file(t->path, before, sizeof(before)), PDV_KEY_LEN);
	pdv_error_clear(&err);
	assert_int_equal(pdv_master_create(t->path, &err), PDV_E_REFUSED);
	assert_non_null(strstr(err.msg, "already exists"));
	assert_non_null(strstr(err.msg, t->path));
	/* the existing key is untouched, byte for byte */
	assert_int_equal(read_file(t->path, after, sizeof(after)), PDV_KEY_LEN);
	assert_memory_equal(before, after, PDV_KEY_LEN);
}

static void test_master_create_in_missing_folder(void **state)
{
	struct tmp *t = *state;
	const char *p = tmp_file(t, "nowhere/key");
	struct pdv_error err;

	pdv_error_clear(&err);
	assert_int_equal(pdv_master_create(p, &err), PDV_E_IO);
	assert_non_null(strstr(err.msg, p));
	assert_int_equal(access(p, F_OK), -1);
}

static void test_master_load_refuses_open_mode(void **state)
{
	struct tmp *t = *state;
	struct pdv_master *m = NULL;
	struct pdv_error err;
	char fix[160];

	assert_int_equal(pdv_master_create(t->path, NULL), 0);
	assert_int_equal(chmod(t->path, 0644), 0);
	pdv_error_clear(&err);
	assert_int_equal(pdv_master_load(t->path, &m, &err), PDV_E_IO);
	assert_null(m);
	assert_non_null(strstr(err.msg, "0644"));
	snprintf(fix, sizeof(fix), "chmod 600 %s", t->path);
	assert_non_null(strstr(err.msg, fix));
	/* group alone is enough to refuse */
	assert_int_equal(chmod(t->path, 0640), 0);
	assert_int_equal(pdv_master_load(t->path, &m, NULL), PDV_E_IO);
	assert_int_equal(chmod(t->path, 0600), 0);
	pdv_master_free(load_ok(t->path));
}

static void test_master_load_refuses_wrong_size(void **state)
{
	struct tmp *t = *state;
	struct pdv_master *m = NULL;
	struct pdv_error err;
	uint8_t bytes[33] = {1};

	write_file(t->path, bytes, 31, 0600);
	pdv_error_clear(&err);
	assert_int_equal(pdv_master_load(t->path, &m, &err), PDV_E_IO);
	assert_null(m);
	assert_non_null(strstr(err.msg, "is 31 bytes, a pdvault key is 32"));
	write_file(t->path, bytes, 33, 0600);
	assert_int_equal(pdv_master_load(t->path, &m, &err), PDV_E_IO);
	assert_non_null(strstr(err.msg, "33 bytes"));
	write_file(t->path, bytes, 0, 0600);
	assert_int_equal(pdv_master_load(t->path, &m, &err), PDV_E_IO);
	assert_non_null(strstr(err.msg, "0 bytes"));
}

static void test_master_load_refuses_missing(void **state)
{
	struct tmp *t = *state;
	struct pdv_master *m = NULL;
	struct pdv_error err;

	pdv_error_clear(&err);
	assert_int_equal(pdv_master_load(t->path, &m, &err), PDV_E_IO);
	assert_null(m);
	assert_non_null(strstr(err.msg, "'pdvault init'"));
	assert_non_null(strstr(err.msg, t->path));
	assert_int_equal(pdv_rc_exit_status(err.rc), 3); /* the environment */
}

static void test_master_load_refuses_other_kinds(void **state)
{
	struct tmp *t = *state;
	const char *fifo = tmp_file(t, "fifo");
	struct pdv_master *m = NULL;
	struct pdv_error err;

	/* a folder */
	pdv_error_clear(&err);
	assert_int_equal(pdv_master_load(t->dir, &m, &err), PDV_E_IO);
	assert_non_null(strstr(err.msg, "not a regular file"));
	/* a FIFO is refused, and does not hang the load */
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(pdv_master_load(fifo, &m, &err), PDV_E_IO);
	assert_non_null(strstr(err.msg, "not a regular file"));
	assert_null(m);
}

static void test_master_load_follows_symlink(void **state)
{
	struct tmp *t = *state;
	const char *link = tmp_file(t, "link");
	uint8_t id1[PDV_KEY_ID_LEN], id2[PDV_KEY_ID_LEN];
	struct pdv_master *m;

	assert_int_equal(pdv_master_create(t->path, NULL), 0);
	assert_int_equal(symlink("key", link), 0);
	m = load_ok(t->path);
	pdv_master_key_id(m, id1);
	pdv_master_free(m);
	m = load_ok(link);
	pdv_master_key_id(m, id2);
	pdv_master_free(m);
	assert_memory_equal(id1, id2, PDV_KEY_ID_LEN);
}

static void test_master_key_id(void **state)
{
	struct tmp *t = *state;
	const char *other = tmp_file(t, "other");
	uint8_t a1[PDV_KEY_ID_LEN], a2[PDV_KEY_ID_LEN], b[PDV_KEY_ID_LEN];
	struct pdv_master *m;

	assert_int_equal(pdv_master_create(t->path, NULL), 0);
	assert_int_equal(pdv_master_create(other, NULL), 0);
	m = load_ok(t->path);
	pdv_master_key_id(m, a1);
	pdv_master_free(m);
	m = load_ok(t->path);
	pdv_master_key_id(m, a2);
	pdv_master_free(m);
	m = load_ok(other);
	pdv_master_key_id(m, b);
	pdv_master_free(m);
	/* stable across loads of one file; another key, another id */
	assert_memory_equal(a1, a2, PDV_KEY_ID_LEN);
	assert_memory_not_equal(a1, b, PDV_KEY_ID_LEN);
}

static void test_master_install(void **state)
{
	struct tmp *t = *state;
	const char *next = tmp_file(t, "key.new");
	uint8_t old_id[PDV_KEY_ID_LEN], new_id[PDV_KEY_ID_LEN], got[PDV_KEY_ID_LEN];
	uint8_t new_bytes[64], got_bytes[64];
	struct pdv_master *m;
	struct pdv_error err;
	struct stat st;

	assert_int_equal(pdv_master_create(t->path, NULL), 0);
	assert_int_equal(pdv_master_create(next, NULL), 0);
	m = load_ok(t->path);
	pdv_master_key_id(m, old_id);
	pdv_master_free(m);
	m = load_ok(next);
	pdv_master_key_id(m, new_id);
	pdv_master_free(m);
	assert_int_equal(read_file(next, new_bytes, sizeof(new_bytes)), PDV_KEY_LEN);

	assert_int_equal(pdv_master_install(next, t->path, NULL), 0);
	assert_int_equal(access(next, F_OK), -1);
	assert_int_equal(read_file(t->path, got_bytes, sizeof(got_bytes)), PDV_KEY_LEN);
	assert_memory_equal(new_bytes, got_bytes, PDV_KEY_LEN);
	assert_int_equal(stat(t->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	m = load_ok(t->path);
	pdv_master_key_id(m, got);
	pdv_master_free(m);
	assert_memory_equal(got, new_id, PDV_KEY_ID_LEN);
	assert_memory_not_equal(got, old_id, PDV_KEY_ID_LEN);

	/* nothing to install: an error, and the installed key stays */
	pdv_error_clear(&err);
	assert_int_equal(pdv_master_install(next, t->path, &err), PDV_E_IO);
	assert_non_null(strstr(err.msg, next));
	assert_int_equal(read_file(t->path, got_bytes, sizeof(got_bytes)), PDV_KEY_LEN);
	assert_memory_equal(new_bytes, got_bytes, PDV_KEY_LEN);
}

/* ---- wrapping ---- */

/* a value sealed under a opens under b: the two hold the same key */
static bool same_key(const struct pdv_secret *a, const struct pdv_secret *b)
{
	uint8_t c[4 + PDV_SEAL_OVERHEAD], out[4];

	assert_int_equal(pdv_seal(a, "t", 1, "test", 4, c, NULL), 0);
	return pdv_open(b, "t", 1, c, sizeof(c), out, NULL) == 0 && memcmp(out, "test", 4) == 0;
}

static void test_wrap_round_trip(void **state)
{
	struct tmp *t = *state;
	struct pdv_secret *s = new_key(), *back = NULL, *slot = NULL, *other = new_key();
	uint8_t w[PDV_WRAPPED_LEN], w2[PDV_WRAPPED_LEN];
	struct pdv_master *m, *again;

	assert_int_equal(pdv_master_create(t->path, NULL), 0);
	m = load_ok(t->path);
	assert_int_equal(pdv_secret_wrap(m, s, "subject\0s1", 10, w, NULL), 0);
	/* the wrapped key holds none of the key: it unwraps to a key that works */
	assert_int_equal(pdv_secret_unwrap(m, w, "subject\0s1", 10, &back, NULL), 0);
	assert_true(same_key(s, back));
	assert_false(same_key(other, back));
	pdv_secret_free(back);
	/* under the same master key loaded again */
	again = load_ok(t->path);
	assert_int_equal(pdv_secret_unwrap(again, w, "subject\0s1", 10, &back, NULL), 0);
	assert_true(same_key(s, back));
	pdv_secret_free(back);
	pdv_master_free(again);
	/* wrapping twice gives two different blobs */
	assert_int_equal(pdv_secret_wrap(m, s, "subject\0s1", 10, w2, NULL), 0);
	assert_memory_not_equal(w, w2, sizeof(w));
	/* the reusable slot: generated, wrapped, unwrapped in place */
	assert_int_equal(pdv_secret_alloc(&slot, NULL), 0);
	pdv_secret_generate(slot);
	assert_false(same_key(slot, s));
	assert_int_equal(pdv_secret_wrap(m, slot, "index", 5, w2, NULL), 0);
	pdv_secret_generate(slot);
	assert_int_equal(pdv_secret_unwrap_into(m, w2, "index", 5, slot, NULL), 0);
	assert_int_equal(pdv_secret_unwrap(m, w2, "index", 5, &back, NULL), 0);
	assert_true(same_key(slot, back));
	pdv_secret_free(back);
	assert_int_equal(pdv_secret_unwrap_into(m, w, "subject\0s1", 10, slot, NULL), 0);
	assert_true(same_key(slot, s));
	pdv_secret_free(slot);
	pdv_secret_free(other);
	pdv_secret_free(s);
	pdv_master_free(m);
}

static void test_unwrap_refuses_another_master(void **state)
{
	struct tmp *t = *state;
	const char *other_path = tmp_file(t, "other");
	struct pdv_secret *s = new_key(), *back = NULL, *slot = NULL;
	uint8_t w[PDV_WRAPPED_LEN];
	struct pdv_master *m, *o;
	struct pdv_error err;

	assert_int_equal(pdv_master_create(t->path, NULL), 0);
	assert_int_equal(pdv_master_create(other_path, NULL), 0);
	m = load_ok(t->path);
	o = load_ok(other_path);
	assert_int_equal(pdv_secret_wrap(m, s, "audit", 5, w, NULL), 0);
	pdv_error_clear(&err);
	assert_int_equal(pdv_secret_unwrap(o, w, "audit", 5, &back, &err), PDV_E_REFUSED);
	assert_null(back);
	assert_string_equal(err.msg, "wrong master key or damaged key");
	assert_int_equal(pdv_secret_alloc(&slot, NULL), 0);
	assert_int_equal(pdv_secret_unwrap_into(o, w, "audit", 5, slot, NULL), PDV_E_REFUSED);
	/* a damaged wrapped key */
	w[PDV_SEAL_NONCE_LEN] ^= 0x80;
	assert_int_equal(pdv_secret_unwrap(m, w, "audit", 5, &back, NULL), PDV_E_REFUSED);
	pdv_secret_free(slot);
	pdv_secret_free(s);
	pdv_master_free(m);
	pdv_master_free(o);
}

static void test_unwrap_refuses_another_use(void **state)
{
	struct tmp *t = *state;
	struct pdv_secret *s = new_key(), *back = NULL;
	uint8_t w[PDV_WRAPPED_LEN];
	struct pdv_master *m;

	assert_int_equal(pdv_master_create(t->path, NULL), 0);
	m = load_ok(t->path);
	assert_int_equal(pdv_secret_wrap(m, s, "subject\0s1", 10, w, NULL), 0);
	/* another subject's key, or the index key: not interchangeable */
	assert_int_equal(pdv_secret_unwrap(m, w, "subject\0s2", 10, &back, NULL), PDV_E_REFUSED);
	assert_int_equal(pdv_secret_unwrap(m, w, "subject", 7, &back, NULL), PDV_E_REFUSED);
	assert_int_equal(pdv_secret_unwrap(m, w, "index", 5, &back, NULL), PDV_E_REFUSED);
	assert_null(back);
	pdv_secret_free(s);
	pdv_master_free(m);
}

/* ---- hashes ---- */

static void test_mac(void **state)
{
	struct pdv_secret *k = new_key(), *k2 = new_key();
	uint8_t h1[PDV_HASH_LEN], h2[PDV_HASH_LEN];
	const void *p1[2] = {"ab", "c"}, *p2[2] = {"a", "bc"}, *p3[1] = {"abc"};
	const void *p4[2] = {"abc", ""};
	size_t l1[2] = {2, 1}, l2[2] = {1, 2}, l3[1] = {3}, l4[2] = {3, 0};

	(void)state;
	pdv_mac(k, 2, p1, l1, h1);
	pdv_mac(k, 2, p1, l1, h2);
	assert_memory_equal(h1, h2, PDV_HASH_LEN);
	/* another key, another hash */
	pdv_mac(k2, 2, p1, l1, h2);
	assert_memory_not_equal(h1, h2, PDV_HASH_LEN);
	/* the parts are length-prefixed, not concatenated */
	pdv_mac(k, 2, p2, l2, h2);
	assert_memory_not_equal(h1, h2, PDV_HASH_LEN);
	pdv_mac(k, 1, p3, l3, h2);
	assert_memory_not_equal(h1, h2, PDV_HASH_LEN);
	pdv_mac(k, 2, p4, l4, h1);
	assert_memory_not_equal(h1, h2, PDV_HASH_LEN); /* a trailing empty part counts */
	pdv_secret_free(k);
	pdv_secret_free(k2);
}

static void test_id_permutation(void **state)
{
	struct pdv_secret *k = new_key(), *k2 = new_key();
	uint64_t prev = 0;
	int near = 0;

	(void)state;
	for (uint64_t id = 1; id <= 2000; id++) {
		uint64_t y = pdv_id_permute(k, 'r', id);

		assert_int_equal(pdv_id_unpermute(k, 'r', y), id);
		/* consecutive rows do not give consecutive, or even close, numbers */
		if (id > 1 && (y - prev < 1000000 || prev - y < 1000000))
			near++;
		prev = y;
		assert_true(y != pdv_id_permute(k, 's', id));  /* each kind its own space */
		assert_true(y != pdv_id_permute(k2, 'r', id)); /* each key its own space */
	}
	assert_int_equal(near, 0);
	assert_int_equal(pdv_id_unpermute(k, 'q', pdv_id_permute(k, 'q', UINT64_MAX)), UINT64_MAX);
	assert_int_equal(pdv_id_unpermute(k, 'q', pdv_id_permute(k, 'q', 0)), 0);
	pdv_secret_free(k);
	pdv_secret_free(k2);
}

static void test_hash(void **state)
{
	uint8_t h[PDV_HASH_LEN], want[PDV_HASH_LEN];

	(void)state;
	/* BLAKE2b-256 (RFC 7693 with a 32-byte digest) */
	pdv_hash("", 0, h);
	unhex("0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8", want,
	      sizeof(want));
	assert_memory_equal(h, want, PDV_HASH_LEN);
	pdv_hash("abc", 3, h);
	unhex("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319", want,
	      sizeof(want));
	assert_memory_equal(h, want, PDV_HASH_LEN);
}

/*
 * Known answers, computed apart from this code (libsodium called directly for
 * the AEAD; Python's hashlib.blake2b with salt and personalisation for the KDF
 * and the MAC): master key 00..1f, index key 40..5f.
 */
#define ID_KAT_R1 UINT64_C(0x931f9e8f608df4a5) /* pdv_id_permute(index key, r, 1) */
#define ID_KAT_S2 UINT64_C(0x63485950e5c16f59) /* pdv_id_permute(index key, s, 2) */

static void test_known_answers(void **state)
{
	struct tmp *t = *state;
	uint8_t master[PDV_KEY_LEN], id[PDV_KEY_ID_LEN], want_id[PDV_KEY_ID_LEN];
	uint8_t wrapped[PDV_WRAPPED_LEN], sealed[18 + PDV_SEAL_OVERHEAD], out[18];
	uint8_t h[PDV_HASH_LEN], want_h[PDV_HASH_LEN];
	const void *parts[2] = {"email", email};
	size_t lens[2] = {5, 18};
	struct pdv_secret *k = NULL;
	struct pdv_master *m;

	for (int i = 0; i < PDV_KEY_LEN; i++)
		master[i] = (uint8_t)i;
	write_file(t->path, master, sizeof(master), 0600);
	m = load_ok(t->path);
	/* key id: crypto_kdf(master, 2, "pdvkeyid"), first 16 of 32 bytes */
	pdv_master_key_id(m, id);
	unhex("d4717582f29ea27e8e0ad835611d24ca", want_id, sizeof(want_id));
	assert_memory_equal(id, want_id, PDV_KEY_ID_LEN);
	/* the index key wrapped under crypto_kdf(master, 1, "pdvwrap1"), ad "index" */
	assert_int_equal(unhex("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7"
	                       "48d9fedda197a4391d100d114543d6940f014c501af60e13dfb998f16f195e8d"
	                       "6aabb7f094cecccb47717b51b05194ce",
	                       wrapped, sizeof(wrapped)),
	                 PDV_WRAPPED_LEN);
	assert_int_equal(pdv_secret_unwrap(m, wrapped, "index", 5, &k, NULL), 0);
	/* a value sealed under it, in record r1, field email */
	assert_int_equal(unhex("b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7"
	                       "fbf9ec048db5883b0e261338550adb6b4b06"
	                       "b0702b95547eabe83c4078cee080f521",
	                       sealed, sizeof(sealed)),
	                 sizeof(sealed));
	assert_int_equal(pdv_open(k, "r1\0email", 8, sealed, sizeof(sealed), out, NULL), 0);
	assert_memory_equal(out, email, 18);
	/* a blind index: BLAKE2b-256 keyed, parts prefixed by 4-byte LE lengths */
	pdv_mac(k, 2, parts, lens, h);
	unhex("c9bd8d7af5338016e350223aa465dea4f4203e00e80dce40bae5f3fde93b512c", want_h,
	      sizeof(want_h));
	assert_memory_equal(h, want_h, PDV_HASH_LEN);
	/* the id permutation under it: ids already shown must keep resolving */
	assert_true(pdv_id_permute(k, 'r', 1) == ID_KAT_R1);
	assert_true(pdv_id_permute(k, 's', 2) == ID_KAT_S2);
	pdv_secret_free(k);
	pdv_master_free(m);
}

/* ---- helpers ---- */

static void test_equal_and_wipe(void **state)
{
	uint8_t a[32], b[32];

	(void)state;
	pdv_random(a, sizeof(a));
	memcpy(b, a, sizeof(a));
	assert_true(pdv_equal(a, b, sizeof(a)));
	b[31] ^= 1;
	assert_false(pdv_equal(a, b, sizeof(a)));
	b[31] ^= 1;
	b[0] ^= 0x80;
	assert_false(pdv_equal(a, b, sizeof(a)));
	assert_true(pdv_equal(a, b + 1, 0));
	pdv_wipe(a, sizeof(a));
	memset(b, 0, sizeof(b));
	assert_memory_equal(a, b, sizeof(a));
	pdv_wipe(NULL, 0);
}

static void test_secure_alloc_free(void **state)
{
	uint8_t *p = pdv_secure_alloc(100), *q = pdv_secure_alloc(0);

	(void)state;
	assert_non_null(p);
	assert_non_null(q);
	memset(p, 0xa5, 100);
	assert_int_equal(p[99], 0xa5);
	pdv_secure_free(p);
	pdv_secure_free(q);
	/* every free accepts NULL */
	pdv_secure_free(NULL);
	pdv_secret_free(NULL);
	pdv_master_free(NULL);
}

static void test_random(void **state)
{
	uint8_t a[32], b[32], big[5000], zero[32] = {0};
	int fds[2];
	pid_t pid;
	int status;

	(void)state;
	pdv_random(a, sizeof(a));
	pdv_random(b, sizeof(b));
	assert_memory_not_equal(a, b, sizeof(a));
	assert_memory_not_equal(a, zero, sizeof(a));
	/* beyond the pool, and across its refills */
	pdv_random(big, sizeof(big));
	assert_memory_not_equal(big + 4900, zero, sizeof(zero));
	for (size_t i = 0; i < sizeof(big) / 50; i++)
		pdv_random(big + 50 * i, 50);
	assert_memory_not_equal(big, big + 4096, 32);

	/* a forked child does not replay the parent's pool (same nonces, same keys) */
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		pdv_random(b, sizeof(b));
		_exit(write(fds[1], b, sizeof(b)) == (ssize_t)sizeof(b) ? 0 : 1);
	}
	pdv_random(a, sizeof(a));
	assert_int_equal(read(fds[0], b, sizeof(b)), (ssize_t)sizeof(b));
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(fds[0]);
	close(fds[1]);
	assert_memory_not_equal(a, b, sizeof(a));
}

/* RFC 4231 test case 2, the message given in two parts as the webhook
 * signature gives "TIMESTAMP" "." "BODY" */
static void test_hmac_sha256_vector(void **state)
{
	static const uint8_t want[PDV_HMAC_SHA256_LEN] = {
	    0x5b, 0xdc, 0xc1, 0x46, 0xbf, 0x60, 0x75, 0x4e, 0x6a, 0x04, 0x24,
	    0x26, 0x08, 0x95, 0x75, 0xc7, 0x5a, 0x00, 0x3f, 0x08, 0x9d, 0x27,
	    0x39, 0x83, 0x9d, 0xec, 0x58, 0xb9, 0x64, 0xec, 0x38, 0x43};
	const void *parts[2] = {"what do ya want ", "for nothing?"};
	size_t lens[2] = {16, 12};
	uint8_t out[PDV_HMAC_SHA256_LEN];

	(void)state;
	pdv_hmac_sha256("Jefe", 4, 2, parts, lens, out);
	assert_memory_equal(out, want, sizeof(want));
}

#define TMP_TEST(f) cmocka_unit_test_setup_teardown(f, tmp_setup, tmp_teardown)

/* Ed25519: a signature verifies with the seed's public key only, not after
 * one byte of the message changed, and signing is deterministic (a re-issued
 * certificate signs to the same bytes) */
static void test_sign_verify(void **state)
{
	struct pdv_secret *k = new_key(), *other = new_key();
	uint8_t pk[PDV_SIGN_PUBLIC_LEN], pk2[PDV_SIGN_PUBLIC_LEN], sig[PDV_SIGN_LEN],
	    again[PDV_SIGN_LEN];
	char m[] = "{\"erased\":[]}";

	(void)state;
	pdv_sign_public(k, pk);
	pdv_sign_public(other, pk2);
	assert_memory_not_equal(pk, pk2, sizeof(pk));
	assert_int_equal(pdv_sign(k, m, strlen(m), sig, NULL), 0);
	assert_true(pdv_sign_verify(pk, m, strlen(m), sig));
	assert_false(pdv_sign_verify(pk2, m, strlen(m), sig));
	assert_int_equal(pdv_sign(k, m, strlen(m), again, NULL), 0);
	assert_memory_equal(sig, again, sizeof(sig));
	m[3] ^= 1;
	assert_false(pdv_sign_verify(pk, m, strlen(m), sig));
	pdv_secret_free(k);
	pdv_secret_free(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_seal_open_round_trip),
	    cmocka_unit_test(test_hmac_sha256_vector),
	    cmocka_unit_test(test_id_permutation),
	    cmocka_unit_test(test_open_refuses_another_place),
	    cmocka_unit_test(test_open_refuses_a_flipped_bit),
	    cmocka_unit_test(test_open_refuses_another_key),
	    cmocka_unit_test(test_open_too_short_is_invalid),
	    TMP_TEST(test_master_create),
	    TMP_TEST(test_master_create_refuses_to_overwrite),
	    TMP_TEST(test_master_create_in_missing_folder),
	    TMP_TEST(test_master_load_refuses_open_mode),
	    TMP_TEST(test_master_load_refuses_wrong_size),
	    TMP_TEST(test_master_load_refuses_missing),
	    TMP_TEST(test_master_load_refuses_other_kinds),
	    TMP_TEST(test_master_load_follows_symlink),
	    TMP_TEST(test_master_key_id),
	    TMP_TEST(test_master_install),
	    TMP_TEST(test_wrap_round_trip),
	    TMP_TEST(test_unwrap_refuses_another_master),
	    TMP_TEST(test_unwrap_refuses_another_use),
	    cmocka_unit_test(test_mac),
	    cmocka_unit_test(test_hash),
	    TMP_TEST(test_known_answers),
	    cmocka_unit_test(test_equal_and_wipe),
	    cmocka_unit_test(test_secure_alloc_free),
	    cmocka_unit_test(test_random),
	    cmocka_unit_test(test_sign_verify),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
