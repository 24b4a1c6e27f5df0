/*
 * test-crypto.c — sealing bound to its place, key wrapping, keyed hashes,
 * and the master key file's checks (mode, size, existence).
 */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "pdv/crypto.h"

static struct pdv_secret *key(void)
{
	struct pdv_secret *s;

	assert_int_equal(pdv_secret_new(&s, NULL), 0);
	return s;
}

static void test_seal_is_bound_to_its_place(void **state)
{
	struct pdv_secret *k = key(), *other = key();
	const char msg[] = "jeanne@example.org";
	uint8_t c[sizeof(msg) + PDV_SEAL_OVERHEAD], c2[sizeof(c)], out[sizeof(msg)];
	struct pdv_error err;

	(void)state;
	assert_int_equal(pdv_crypto_init(NULL), 0);
	assert_int_equal(pdv_seal(k, "r1\0email", 8, msg, sizeof(msg), c, NULL), 0);
	assert_null(memmem(c, sizeof(c), "jeanne", 6));
	assert_int_equal(pdv_open(k, "r1\0email", 8, c, sizeof(c), out, NULL), 0);
	assert_memory_equal(out, msg, sizeof(msg));
	/* another record, another field, another key, a flipped bit: refused */
	assert_int_equal(pdv_open(k, "r2\0email", 8, c, sizeof(c), out, &err), PDV_E_REFUSED);
	assert_int_equal(pdv_open(k, "r1\0phone", 8, c, sizeof(c), out, NULL), PDV_E_REFUSED);
	assert_int_equal(pdv_open(other, "r1\0email", 8, c, sizeof(c), out, NULL), PDV_E_REFUSED);
	c[PDV_SEAL_NONCE_LEN + 3] ^= 1;
	assert_int_equal(pdv_open(k, "r1\0email", 8, c, sizeof(c), out, NULL), PDV_E_REFUSED);
	assert_int_equal(pdv_open(k, "x", 1, c, PDV_SEAL_OVERHEAD - 1, out, NULL), PDV_E_INVAL);
	/* a fresh nonce each time: the same value seals differently */
	assert_int_equal(pdv_seal(k, "a", 1, msg, sizeof(msg), c, NULL), 0);
	assert_int_equal(pdv_seal(k, "a", 1, msg, sizeof(msg), c2, NULL), 0);
	assert_memory_not_equal(c, c2, sizeof(c));
	pdv_secret_free(k);
	pdv_secret_free(other);
}

static char dir[64];

static int make_dir(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/pdv-crypto-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_master_key_file(void **state)
{
	char path[128], other_path[128];
	struct pdv_master *m, *m2, *o;
	struct pdv_error err;
	struct stat st;
	uint8_t id1[PDV_KEY_ID_LEN], id2[PDV_KEY_ID_LEN], before[32], after[32];
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/k", dir);
	snprintf(other_path, sizeof(other_path), "%s/other", dir);
	assert_int_equal(pdv_master_create(path, NULL), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, 32);
	f = fopen(path, "rb");
	assert_int_equal(fread(before, 1, 32, f), 32);
	fclose(f);
	/* never overwritten */
	assert_int_equal(pdv_master_create(path, &err), PDV_E_REFUSED);
	f = fopen(path, "rb");
	assert_int_equal(fread(after, 1, 32, f), 32);
	fclose(f);
	assert_memory_equal(before, after, 32);
	/* the same file, the same key id; another key, another id */
	assert_int_equal(pdv_master_load(path, &m, NULL), 0);
	assert_int_equal(pdv_master_load(path, &m2, NULL), 0);
	pdv_master_key_id(m, id1);
	pdv_master_key_id(m2, id2);
	assert_memory_equal(id1, id2, sizeof(id1));
	assert_int_equal(pdv_master_create(other_path, NULL), 0);
	assert_int_equal(pdv_master_load(other_path, &o, NULL), 0);
	pdv_master_key_id(o, id2);
	assert_memory_not_equal(id1, id2, sizeof(id1));
	/* wrapping: another master key or another binding cannot unwrap */
	{
		struct pdv_secret *s = key(), *back;
		uint8_t w[PDV_WRAPPED_LEN];

		assert_int_equal(pdv_secret_wrap(m, s, "subject\0s1", 10, w, NULL), 0);
		assert_int_equal(pdv_secret_unwrap(m2, w, "subject\0s1", 10, &back, NULL), 0);
		pdv_secret_free(back);
		assert_int_equal(pdv_secret_unwrap(o, w, "subject\0s1", 10, &back, NULL),
				 PDV_E_REFUSED);
		assert_int_equal(pdv_secret_unwrap(m, w, "subject\0s2", 10, &back, NULL),
				 PDV_E_REFUSED);
		pdv_secret_free(s);
	}
	pdv_master_free(m);
	pdv_master_free(m2);
	pdv_master_free(o);
	/* readable by others: refused, with the fix in the message */
	chmod(path, 0644);
	assert_int_equal(pdv_master_load(path, &m, &err), PDV_E_IO);
	assert_non_null(strstr(err.msg, "chmod 600"));
	chmod(path, 0600);
	/* the wrong size */
	f = fopen(path, "ab");
	fputc(0, f);
	fclose(f);
	assert_int_equal(pdv_master_load(path, &m, &err), PDV_E_IO);
	assert_non_null(strstr(err.msg, "33 bytes"));
	/* missing */
	unlink(path);
	assert_int_equal(pdv_master_load(path, &m, &err), PDV_E_IO);
	assert_non_null(strstr(err.msg, "pdvault init"));
	/* install replaces atomically */
	assert_int_equal(pdv_master_install(other_path, path, NULL), 0);
	assert_int_equal(access(other_path, F_OK), -1);
	assert_int_equal(pdv_master_load(path, &m, NULL), 0);
	pdv_master_free(m);
}

static void test_mac_and_helpers(void **state)
{
	struct pdv_secret *k = key(), *k2 = key();
	uint8_t h1[PDV_HASH_LEN], h2[PDV_HASH_LEN];
	const void *p1[2] = {"ab", "c"}, *p2[2] = {"a", "bc"};
	size_t l1[2] = {2, 1}, l2[2] = {1, 2};
	char b64[64];
	uint8_t raw[16];

	(void)state;
	pdv_mac(k, 2, p1, l1, h1);
	pdv_mac(k, 2, p1, l1, h2);
	assert_memory_equal(h1, h2, PDV_HASH_LEN);
	pdv_mac(k, 2, p2, l2, h2);
	assert_memory_not_equal(h1, h2, PDV_HASH_LEN); /* parts are not just concatenated */
	pdv_mac(k2, 2, p1, l1, h2);
	assert_memory_not_equal(h1, h2, PDV_HASH_LEN);
	assert_true(pdv_equal(h1, h1, PDV_HASH_LEN));
	assert_false(pdv_equal(h1, h2, PDV_HASH_LEN));
	for (int i = 0; i < 50; i++) {
		pdv_random(raw, sizeof(raw));
		pdv_base64url(raw, sizeof(raw), b64, sizeof(b64));
		assert_int_equal(strlen(b64), 22);
		assert_null(strpbrk(b64, "+/="));
	}
	pdv_secret_free(k);
	pdv_secret_free(k2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seal_is_bound_to_its_place),
		cmocka_unit_test_setup_teardown(test_master_key_file, make_dir, remove_dir),
		cmocka_unit_test(test_mac_and_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
