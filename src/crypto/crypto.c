/*
 * crypto.c — pdvault's use of libsodium, and the only file that includes
 * <sodium.h>. See pdv/crypto.h for the key hierarchy and the formats.
 *
 * Every secret (master key, wrapping key, data keys) lives in
 * sodium_malloc'ed memory: guard pages around it, locked in RAM where the
 * system allows, and wiped by sodium_free. The key file is read straight into
 * that memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "pdv/buf.h"
#include "pdv/crypto.h"

struct pdv_master {
	uint8_t key[PDV_KEY_LEN];
	uint8_t wrap[PDV_KEY_LEN];
	uint8_t id[PDV_KEY_ID_LEN];
};

struct pdv_secret {
	uint8_t key[PDV_KEY_LEN];
};

_Static_assert(PDV_KEY_LEN == crypto_aead_xchacha20poly1305_ietf_KEYBYTES, "key size");
_Static_assert(PDV_SEAL_NONCE_LEN == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, "nonce");
_Static_assert(PDV_SEAL_TAG_LEN == crypto_aead_xchacha20poly1305_ietf_ABYTES, "tag");
_Static_assert(PDV_KEY_LEN == crypto_kdf_KEYBYTES, "kdf key");

int pdv_crypto_init(struct pdv_error *err)
{
	if (sodium_init() < 0)
		return pdv_error_set(err, PDV_E_INTERNAL, "libsodium cannot be initialised");
	return 0;
}

static void fsync_dir_of(const char *path)
{
	char dir[4096];
	int fd;

	pdv_strlcpy(dir, path, sizeof(dir));
	fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int pdv_master_create(const char *path, struct pdv_error *err)
{
	uint8_t *key = pdv_secure_alloc(PDV_KEY_LEN);
	size_t off = 0;
	int fd, rc = 0;

	if (!key)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory for a key");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = errno == EEXIST ? pdv_error_set(err, PDV_E_REFUSED,
						     "key file '%s' already exists; refusing to "
						     "overwrite it",
						     path)
				     : pdv_error_set(err, PDV_E_IO, "cannot create key file '%s': %s",
						     path, strerror(errno));
		sodium_free(key);
		return rc;
	}
	randombytes_buf(key, PDV_KEY_LEN);
	if (fchmod(fd, 0600) < 0)
		goto io;
	while (off < PDV_KEY_LEN) {
		ssize_t w = write(fd, key + off, PDV_KEY_LEN - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto io;
		off += (size_t)w;
	}
	if (fsync(fd) < 0)
		goto io;
	if (close(fd) < 0) {
		fd = -1;
		goto io;
	}
	sodium_free(key);
	fsync_dir_of(path);
	return 0;
io:
	rc = pdv_error_set(err, PDV_E_IO, "cannot write key file '%s': %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(path);
	sodium_free(key);
	return rc;
}

int pdv_master_load(const char *path, struct pdv_master **ret_master, struct pdv_error *err)
{
	struct pdv_master *m;
	struct stat st;
	size_t off = 0;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT
			   ? pdv_error_set(err, PDV_E_IO,
					   "key file '%s' does not exist (create one with 'pdvault "
					   "init')",
					   path)
			   : pdv_error_set(err, PDV_E_IO, "cannot open key file '%s': %s", path,
					   strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return pdv_error_set(err, PDV_E_IO, "key file '%s' is not a regular file", path);
	}
	if (st.st_mode & 077) {
		close(fd);
		return pdv_error_set(err, PDV_E_IO,
				     "key file '%s' is readable by group or others (mode %04o); run: "
				     "chmod 600 %s",
				     path, (unsigned)(st.st_mode & 07777), path);
	}
	if (st.st_size != PDV_KEY_LEN) {
		close(fd);
		return pdv_error_set(err, PDV_E_IO, "key file '%s' is %lld bytes, a pdvault key is %d",
				     path, (long long)st.st_size, PDV_KEY_LEN);
	}
	if (!(m = pdv_secure_alloc(sizeof(*m)))) {
		close(fd);
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory for a key");
	}
	while (off < PDV_KEY_LEN) {
		ssize_t r = read(fd, m->key + off, PDV_KEY_LEN - off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			rc = pdv_error_set(err, PDV_E_IO, "cannot read key file '%s'", path);
			close(fd);
			sodium_free(m);
			return rc;
		}
		off += (size_t)r;
	}
	close(fd);
	crypto_kdf_derive_from_key(m->wrap, sizeof(m->wrap), 1, "pdvwrap1", m->key);
	{
		uint8_t id[PDV_KEY_LEN];

		crypto_kdf_derive_from_key(id, sizeof(id), 2, "pdvkeyid", m->key);
		memcpy(m->id, id, PDV_KEY_ID_LEN);
		sodium_memzero(id, sizeof(id));
	}
	sodium_mprotect_readonly(m);
	*ret_master = m;
	return 0;
}

void pdv_master_free(struct pdv_master *m)
{
	if (m)
		sodium_free(m); /* wipes */
}

void pdv_master_key_id(const struct pdv_master *m, uint8_t ret_id[PDV_KEY_ID_LEN])
{
	memcpy(ret_id, m->id, PDV_KEY_ID_LEN);
}

int pdv_master_install(const char *new_path, const char *path, struct pdv_error *err)
{
	if (rename(new_path, path) < 0)
		return pdv_error_set(err, PDV_E_IO, "cannot install key file '%s': %s", path,
				     strerror(errno));
	fsync_dir_of(path);
	return 0;
}

int pdv_secret_new(struct pdv_secret **ret_secret, struct pdv_error *err)
{
	struct pdv_secret *s = pdv_secure_alloc(sizeof(*s));

	if (!s)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory for a key");
	crypto_aead_xchacha20poly1305_ietf_keygen(s->key);
	sodium_mprotect_readonly(s);
	*ret_secret = s;
	return 0;
}

static int open_raw(const uint8_t key[PDV_KEY_LEN], const void *ad, size_t ad_len,
		    const uint8_t *c, size_t c_len, uint8_t *out);

int pdv_secret_alloc(struct pdv_secret **ret_secret, struct pdv_error *err)
{
	struct pdv_secret *s = pdv_secure_alloc(sizeof(*s));

	if (!s)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory for a key");
	sodium_memzero(s->key, sizeof(s->key));
	*ret_secret = s;
	return 0;
}

void pdv_secret_generate(struct pdv_secret *s)
{
	pdv_random(s->key, sizeof(s->key));
}

int pdv_secret_unwrap_into(const struct pdv_master *m, const uint8_t in[PDV_WRAPPED_LEN],
			   const void *ad, size_t ad_len, struct pdv_secret *s,
			   struct pdv_error *err)
{
	if (open_raw(m->wrap, ad, ad_len, in, PDV_WRAPPED_LEN, s->key) != 0) {
		sodium_memzero(s->key, sizeof(s->key));
		return pdv_error_set(err, PDV_E_REFUSED, "wrong master key or damaged key");
	}
	return 0;
}

void pdv_secret_free(struct pdv_secret *s)
{
	if (s)
		sodium_free(s);
}

static int open_raw(const uint8_t key[PDV_KEY_LEN], const void *ad, size_t ad_len,
		    const uint8_t *c, size_t c_len, uint8_t *out);

static void seal_raw(const uint8_t key[PDV_KEY_LEN], const void *ad, size_t ad_len,
		     const void *m, size_t m_len, uint8_t *out)
{
	pdv_random(out, PDV_SEAL_NONCE_LEN);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + PDV_SEAL_NONCE_LEN, NULL, m, m_len, ad,
						   ad_len, NULL, out, key);
}

static int open_raw(const uint8_t key[PDV_KEY_LEN], const void *ad, size_t ad_len,
		    const uint8_t *c, size_t c_len, uint8_t *out)
{
	return crypto_aead_xchacha20poly1305_ietf_decrypt(out, NULL, NULL, c + PDV_SEAL_NONCE_LEN,
							  c_len - PDV_SEAL_NONCE_LEN, ad, ad_len,
							  c, key);
}

int pdv_secret_wrap(const struct pdv_master *m, const struct pdv_secret *s, const void *ad,
		    size_t ad_len, uint8_t out[PDV_WRAPPED_LEN], struct pdv_error *err)
{
	(void)err;
	seal_raw(m->wrap, ad, ad_len, s->key, PDV_KEY_LEN, out);
	return 0;
}

int pdv_secret_unwrap(const struct pdv_master *m, const uint8_t in[PDV_WRAPPED_LEN],
		      const void *ad, size_t ad_len, struct pdv_secret **ret_secret,
		      struct pdv_error *err)
{
	struct pdv_secret *s = pdv_secure_alloc(sizeof(*s));

	if (!s)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory for a key");
	if (open_raw(m->wrap, ad, ad_len, in, PDV_WRAPPED_LEN, s->key) != 0) {
		sodium_free(s);
		return pdv_error_set(err, PDV_E_REFUSED, "wrong master key or damaged key");
	}
	sodium_mprotect_readonly(s);
	*ret_secret = s;
	return 0;
}

int pdv_seal(const struct pdv_secret *k, const void *ad, size_t ad_len, const void *m,
	     size_t m_len, uint8_t *out, struct pdv_error *err)
{
	(void)err;
	seal_raw(k->key, ad, ad_len, m, m_len, out);
	return 0;
}

int pdv_open(const struct pdv_secret *k, const void *ad, size_t ad_len, const uint8_t *c,
	     size_t c_len, uint8_t *out, struct pdv_error *err)
{
	if (c_len < PDV_SEAL_OVERHEAD)
		return pdv_error_set(err, PDV_E_INVAL, "sealed value too short");
	if (open_raw(k->key, ad, ad_len, c, c_len, out) != 0)
		return pdv_error_set(err, PDV_E_REFUSED, "value does not decrypt");
	return 0;
}

void pdv_mac(const struct pdv_secret *k, size_t n, const void *const *parts, const size_t *lens,
	     uint8_t out[PDV_HASH_LEN])
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, k->key, PDV_KEY_LEN, PDV_HASH_LEN);
	for (size_t i = 0; i < n; i++) {
		/* each part length-prefixed: ("ab","c") and ("a","bc") differ */
		uint8_t len[4] = {(uint8_t)(lens[i] >> 24), (uint8_t)(lens[i] >> 16),
				  (uint8_t)(lens[i] >> 8), (uint8_t)lens[i]};

		crypto_generichash_update(&st, len, sizeof(len));
		crypto_generichash_update(&st, parts[i], lens[i]);
	}
	crypto_generichash_final(&st, out, PDV_HASH_LEN);
	sodium_memzero(&st, sizeof(st));
}

void pdv_hash(const void *m, size_t n, uint8_t out[PDV_HASH_LEN])
{
	crypto_generichash(out, PDV_HASH_LEN, m, n, NULL, 0);
}

/* random bytes, drawn from a pool refilled by one system call per 4 KiB;
 * one pool per thread */
static _Thread_local struct {
	uint8_t *buf; /* sodium memory */
	size_t left;
} pool;

#define POOL_SIZE 4096

void pdv_random(void *out, size_t n)
{
	uint8_t *o = out;

	if (n > POOL_SIZE / 4 || (!pool.buf && !(pool.buf = pdv_secure_alloc(POOL_SIZE)))) {
		randombytes_buf(out, n);
		return;
	}
	while (n) {
		size_t take;

		if (pool.left == 0) {
			randombytes_buf(pool.buf, POOL_SIZE);
			pool.left = POOL_SIZE;
		}
		take = n < pool.left ? n : pool.left;
		/* take from the end, and wipe what was taken */
		memcpy(o, pool.buf + pool.left - take, take);
		sodium_memzero(pool.buf + pool.left - take, take);
		pool.left -= take;
		o += take;
		n -= take;
	}
}

bool pdv_equal(const void *a, const void *b, size_t n)
{
	return sodium_memcmp(a, b, n) == 0;
}

void pdv_wipe(void *p, size_t n)
{
	if (p)
		sodium_memzero(p, n);
}

void *pdv_secure_alloc(size_t n)
{
	/* sodium_malloc needs sodium_init (the page size); callers may come first */
	if (sodium_init() < 0)
		return NULL;
	return sodium_malloc(n ? n : 1);
}

void pdv_secure_free(void *p)
{
	if (p)
		sodium_free(p);
}

void pdv_base64url(const uint8_t *in, size_t n, char *out, size_t out_size)
{
	sodium_bin2base64(out, out_size, in, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}
