/*
 * crypto.c — pdvault's use of libsodium, and the only file that includes
 * <sodium.h>. See pdv/crypto.h for the key hierarchy and the formats, and
 * docs/internals/crypto.md for the reasons.
 *
 * Owns: the master key file (create, load, install), the secrets and their
 * wrapping, sealing of field values, keyed and unkeyed hashes, the random pool.
 *
 * Invariants:
 *  - every secret (master key, wrapping key, data/index/audit/stats keys, the
 *    random pool) lives in sodium_malloc'ed memory: guard pages around it,
 *    locked in RAM where the system allows, wiped by sodium_free; the key file
 *    is read straight into that memory, never through a stack buffer;
 *  - a master and a secret from pdv_secret_new/_unwrap are read-only once
 *    filled; only the reusable slot of pdv_secret_alloc stays writable;
 *  - error messages name the key file, never a byte of a key or a plaintext;
 *  - a key file that fails half-way through its creation is removed.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <sodium.h>

#include "pdv/crypto.h"

#define KDF_WRAP_ID 1
#define KDF_WRAP_CTX "pdvwrap1"
#define KDF_KEYID_ID 2
#define KDF_KEYID_CTX "pdvkeyid"

struct pdv_master {
	uint8_t key[PDV_KEY_LEN];
	uint8_t wrap[PDV_KEY_LEN];
	/* the whole derived subkey, so it is derived in place; the key id is its
	 * first PDV_KEY_ID_LEN bytes */
	uint8_t id[PDV_KEY_LEN];
};

struct pdv_secret {
	uint8_t key[PDV_KEY_LEN];
};

_Static_assert(PDV_KEY_LEN == crypto_aead_xchacha20poly1305_ietf_KEYBYTES, "key size");
_Static_assert(PDV_SEAL_NONCE_LEN == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES, "nonce");
_Static_assert(PDV_SEAL_TAG_LEN == crypto_aead_xchacha20poly1305_ietf_ABYTES, "tag");
_Static_assert(PDV_KEY_LEN == crypto_kdf_KEYBYTES, "kdf key");
_Static_assert(PDV_KEY_ID_LEN <= PDV_KEY_LEN, "key id");
_Static_assert(sizeof(KDF_WRAP_CTX) - 1 == crypto_kdf_CONTEXTBYTES, "kdf context");
_Static_assert(sizeof(KDF_KEYID_CTX) - 1 == crypto_kdf_CONTEXTBYTES, "kdf context");
_Static_assert(PDV_HASH_LEN >= crypto_generichash_BYTES_MIN &&
                   PDV_HASH_LEN <= crypto_generichash_BYTES_MAX,
               "hash size");

int pdv_crypto_init(struct pdv_error *err)
{
	if (sodium_init() < 0)
		return pdv_error_set(err, PDV_E_INTERNAL, "libsodium cannot be initialised");
	return 0;
}

/* ---- the master key file ---------------------------------------------- */

/* The folder holding path, into dir: "." for a bare name, "/" at the root. */
static int dir_of(const char *path, char *dir, size_t size)
{
	const char *slash = strrchr(path, '/');
	size_t len;

	if (!slash) {
		len = 1;
		path = ".";
	} else {
		len = slash == path ? 1 : (size_t)(slash - path);
	}
	if (len >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(dir, path, len);
	dir[len] = '\0';
	return 0;
}

/*
 * Make path's directory entry durable: fsync its folder. A file system that
 * cannot sync a directory (EINVAL) has nothing more to make durable.
 */
static int fsync_dir_of(const char *path)
{
	char dir[PATH_MAX];
	int fd, rc, saved;

	if (dir_of(path, dir, sizeof(dir)) < 0)
		return -1;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = fsync(fd);
	if (rc < 0 && errno == EINVAL)
		rc = 0;
	saved = errno;
	close(fd);
	errno = saved;
	return rc;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* -1 with errno on a read error; the number of bytes read otherwise (short at
 * end of file) */
static ssize_t read_all(int fd, uint8_t *p, size_t n)
{
	size_t off = 0;

	while (off < n) {
		ssize_t r = read(fd, p + off, n - off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		off += (size_t)r;
	}
	return (ssize_t)off;
}

int pdv_master_create(const char *path, struct pdv_error *err)
{
	uint8_t *key = NULL;
	bool created = false;
	int fd = -1, rc = 0;

	if (!path || !*path)
		return pdv_error_set(err, PDV_E_INVAL, "no key file path given");
	if (!(key = pdv_secure_alloc(PDV_KEY_LEN)))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory for a key");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			rc = pdv_error_set(err, PDV_E_REFUSED,
			                   "key file '%s' already exists; refusing to overwrite it",
			                   path);
		else
			rc = pdv_error_set(err, PDV_E_IO, "cannot create key file '%s': %s", path,
			                   strerror(errno));
		goto out;
	}
	created = true;
	randombytes_buf(key, PDV_KEY_LEN);
	/* the umask may have taken the owner's write bit; 0600 whatever it is */
	if (fchmod(fd, 0600) < 0 || write_all(fd, key, PDV_KEY_LEN) < 0 || fsync(fd) < 0) {
		rc = pdv_error_set(err, PDV_E_IO, "cannot write key file '%s': %s", path,
		                   strerror(errno));
		goto out;
	}
	rc = close(fd);
	fd = -1;
	if (rc < 0) {
		rc = pdv_error_set(err, PDV_E_IO, "cannot write key file '%s': %s", path,
		                   strerror(errno));
		goto out;
	}
	if (fsync_dir_of(path) < 0) {
		rc = pdv_error_set(err, PDV_E_IO, "cannot sync the folder of key file '%s': %s",
		                   path, strerror(errno));
		goto out;
	}
out:
	if (fd >= 0)
		close(fd);
	if (rc < 0 && created)
		unlink(path);
	pdv_secure_free(key);
	return rc;
}

int pdv_master_load(const char *path, struct pdv_master **ret_master, struct pdv_error *err)
{
	struct pdv_master *m = NULL;
	struct stat st;
	ssize_t got;
	int fd, rc = 0;

	if (!path || !*path)
		return pdv_error_set(err, PDV_E_INVAL, "no key file path given");
	/* O_NONBLOCK: a FIFO in the key file's place is refused below instead of
	 * hanging the open; it changes nothing for a regular file */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT)
			return pdv_error_set(err, PDV_E_IO,
			                     "key file '%s' does not exist (create one with "
			                     "'pdvault init')",
			                     path);
		return pdv_error_set(err, PDV_E_IO, "cannot open key file '%s': %s", path,
		                     strerror(errno));
	}
	if (fstat(fd, &st) < 0) {
		rc = pdv_error_set(err, PDV_E_IO, "cannot stat key file '%s': %s", path,
		                   strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = pdv_error_set(err, PDV_E_IO, "key file '%s' is not a regular file", path);
		goto out;
	}
	if (st.st_mode & 077) {
		rc = pdv_error_set(err, PDV_E_IO,
		                   "key file '%s' is readable by group or others (mode %04o); run: "
		                   "chmod 600 %s",
		                   path, (unsigned)(st.st_mode & 07777), path);
		goto out;
	}
	if (st.st_size != PDV_KEY_LEN) {
		rc =
		    pdv_error_set(err, PDV_E_IO, "key file '%s' is %lld bytes, a pdvault key is %d",
		                  path, (long long)st.st_size, PDV_KEY_LEN);
		goto out;
	}
	if (!(m = pdv_secure_alloc(sizeof(*m)))) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory for a key");
		goto out;
	}
	got = read_all(fd, m->key, PDV_KEY_LEN);
	if (got < 0) {
		rc = pdv_error_set(err, PDV_E_IO, "cannot read key file '%s': %s", path,
		                   strerror(errno));
		goto out;
	}
	if (got != PDV_KEY_LEN) { /* shrunk between fstat and read */
		rc = pdv_error_set(err, PDV_E_IO, "key file '%s' is %zd bytes, a pdvault key is %d",
		                   path, got, PDV_KEY_LEN);
		goto out;
	}
	crypto_kdf_derive_from_key(m->wrap, sizeof(m->wrap), KDF_WRAP_ID, KDF_WRAP_CTX, m->key);
	crypto_kdf_derive_from_key(m->id, sizeof(m->id), KDF_KEYID_ID, KDF_KEYID_CTX, m->key);
	sodium_mprotect_readonly(m);
	*ret_master = m;
	m = NULL;
out:
	close(fd);
	pdv_master_free(m);
	return rc;
}

void pdv_master_free(struct pdv_master *m)
{
	pdv_secure_free(m); /* wipes, read-only or not */
}

void pdv_master_key_id(const struct pdv_master *m, uint8_t ret_id[PDV_KEY_ID_LEN])
{
	memcpy(ret_id, m->id, PDV_KEY_ID_LEN);
}

int pdv_master_install(const char *new_path, const char *path, struct pdv_error *err)
{
	char new_dir[PATH_MAX], dir[PATH_MAX];

	if (!new_path || !*new_path || !path || !*path)
		return pdv_error_set(err, PDV_E_INVAL, "no key file path given");
	if (rename(new_path, path) < 0)
		return pdv_error_set(err, PDV_E_IO, "cannot install key file '%s' as '%s': %s",
		                     new_path, path, strerror(errno));
	if (fsync_dir_of(path) < 0)
		return pdv_error_set(
		    err, PDV_E_IO, "key file '%s' was replaced but its folder cannot be synced: %s",
		    path, strerror(errno));
	/* moved from another folder: that folder lost an entry, make it durable too */
	if (dir_of(new_path, new_dir, sizeof(new_dir)) == 0 &&
	    dir_of(path, dir, sizeof(dir)) == 0 && strcmp(new_dir, dir) != 0 &&
	    fsync_dir_of(new_path) < 0)
		return pdv_error_set(err, PDV_E_IO,
		                     "key file '%s' was replaced but the folder of '%s' cannot be "
		                     "synced: %s",
		                     path, new_path, strerror(errno));
	return 0;
}

/* ---- sealing ------------------------------------------------------------ */

/* out: nonce (24) || ciphertext (m_len) || tag (16); m_len already checked */
static void seal_raw(const uint8_t key[PDV_KEY_LEN], const void *ad, size_t ad_len, const void *m,
                     size_t m_len, uint8_t *out)
{
	pdv_random(out, PDV_SEAL_NONCE_LEN);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + PDV_SEAL_NONCE_LEN, NULL, m, m_len, ad,
	                                           ad_len, NULL, out, key);
}

/* c_len >= PDV_SEAL_OVERHEAD; out is wiped by libsodium when the tag fails */
static int open_raw(const uint8_t key[PDV_KEY_LEN], const void *ad, size_t ad_len, const uint8_t *c,
                    size_t c_len, uint8_t *out)
{
	return crypto_aead_xchacha20poly1305_ietf_decrypt(out, NULL, NULL, c + PDV_SEAL_NONCE_LEN,
	                                                  c_len - PDV_SEAL_NONCE_LEN, ad, ad_len, c,
	                                                  key);
}

int pdv_seal(const struct pdv_secret *k, const void *ad, size_t ad_len, const void *m, size_t m_len,
             uint8_t *out, struct pdv_error *err)
{
	/* also keeps m_len + PDV_SEAL_OVERHEAD from overflowing */
	if (m_len > crypto_aead_xchacha20poly1305_ietf_messagebytes_max() - PDV_SEAL_NONCE_LEN)
		return pdv_error_set(err, PDV_E_LIMIT, "value of %zu bytes is too long to seal",
		                     m_len);
	seal_raw(k->key, ad, ad_len, m, m_len, out);
	return 0;
}

int pdv_open(const struct pdv_secret *k, const void *ad, size_t ad_len, const uint8_t *c,
             size_t c_len, uint8_t *out, struct pdv_error *err)
{
	if (c_len < PDV_SEAL_OVERHEAD)
		return pdv_error_set(
		    err, PDV_E_INVAL,
		    "sealed value is %zu bytes, shorter than its nonce and tag (%d)", c_len,
		    PDV_SEAL_OVERHEAD);
	if (open_raw(k->key, ad, ad_len, c, c_len, out) != 0)
		return pdv_error_set(err, PDV_E_REFUSED,
		                     "sealed value does not open (wrong key, moved or damaged)");
	return 0;
}

/* ---- secrets and their wrapping ----------------------------------------- */

int pdv_secret_new(struct pdv_secret **ret_secret, struct pdv_error *err)
{
	struct pdv_secret *s = pdv_secure_alloc(sizeof(*s));

	if (!s)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory for a key");
	randombytes_buf(s->key, sizeof(s->key));
	sodium_mprotect_readonly(s);
	*ret_secret = s;
	return 0;
}

void pdv_secret_free(struct pdv_secret *s)
{
	pdv_secure_free(s);
}

/* the slot stays writable: it is refilled in place for every record */
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

int pdv_secret_wrap(const struct pdv_master *m, const struct pdv_secret *s, const void *ad,
                    size_t ad_len, uint8_t out[PDV_WRAPPED_LEN], struct pdv_error *err)
{
	(void)err; /* a 32-byte key always fits */
	seal_raw(m->wrap, ad, ad_len, s->key, PDV_KEY_LEN, out);
	return 0;
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

int pdv_secret_unwrap(const struct pdv_master *m, const uint8_t in[PDV_WRAPPED_LEN], const void *ad,
                      size_t ad_len, struct pdv_secret **ret_secret, struct pdv_error *err)
{
	struct pdv_secret *s;
	int rc;

	if ((rc = pdv_secret_alloc(&s, err)) < 0)
		return rc;
	if ((rc = pdv_secret_unwrap_into(m, in, ad, ad_len, s, err)) < 0) {
		pdv_secret_free(s);
		return rc;
	}
	sodium_mprotect_readonly(s);
	*ret_secret = s;
	return 0;
}

/* ---- signatures ---------------------------------------------------------- */

_Static_assert(PDV_KEY_LEN == crypto_sign_SEEDBYTES, "ed25519 seed");
_Static_assert(PDV_SIGN_PUBLIC_LEN == crypto_sign_PUBLICKEYBYTES, "ed25519 public key");
_Static_assert(PDV_SIGN_LEN == crypto_sign_BYTES, "ed25519 signature");

/* the expanded secret key of seed, into sodium memory (NULL: out of memory) */
static uint8_t *sign_expand(const struct pdv_secret *seed, uint8_t pk[PDV_SIGN_PUBLIC_LEN])
{
	uint8_t *sk = sodium_malloc(crypto_sign_SECRETKEYBYTES);

	if (sk && crypto_sign_seed_keypair(pk, sk, seed->key) != 0) {
		sodium_free(sk);
		return NULL;
	}
	return sk;
}

void pdv_sign_public(const struct pdv_secret *seed, uint8_t ret_pk[PDV_SIGN_PUBLIC_LEN])
{
	uint8_t *sk = sign_expand(seed, ret_pk);

	if (!sk)
		memset(ret_pk, 0, PDV_SIGN_PUBLIC_LEN);
	sodium_free(sk);
}

int pdv_sign(const struct pdv_secret *seed, const void *m, size_t n, uint8_t ret_sig[PDV_SIGN_LEN],
             struct pdv_error *err)
{
	uint8_t pk[PDV_SIGN_PUBLIC_LEN];
	uint8_t *sk = sign_expand(seed, pk);
	int rc = 0;

	if (!sk)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if (crypto_sign_detached(ret_sig, NULL, m, n, sk) != 0)
		rc = pdv_error_set(err, PDV_E_INTERNAL, "cannot sign");
	sodium_free(sk);
	return rc;
}

bool pdv_sign_verify(const uint8_t pk[PDV_SIGN_PUBLIC_LEN], const void *m, size_t n,
                     const uint8_t sig[PDV_SIGN_LEN])
{
	return crypto_sign_verify_detached(sig, m, n, pk) == 0;
}

/* ---- hashes ------------------------------------------------------------- */

/*
 * A part's length as 4 bytes little-endian; 0xffffffff announces 8 more bytes
 * (little-endian) for a part of 4 GiB or more. Either way no encoding is a
 * prefix of another, so two lists of parts never hash the same input.
 */
static void mac_put_len(crypto_generichash_state *st, size_t len)
{
	uint8_t b[12];
	size_t n = 4;
	uint64_t v = len;

	if (v >= 0xffffffffu) {
		memset(b, 0xff, 4);
		for (int i = 0; i < 8; i++)
			b[4 + i] = (uint8_t)(v >> (8 * i));
		n = 12;
	} else {
		for (int i = 0; i < 4; i++)
			b[i] = (uint8_t)(v >> (8 * i));
	}
	crypto_generichash_update(st, b, n);
}

void pdv_mac(const struct pdv_secret *k, size_t n, const void *const *parts, const size_t *lens,
             uint8_t out[PDV_HASH_LEN])
{
	crypto_generichash_state st;

	crypto_generichash_init(&st, k->key, PDV_KEY_LEN, PDV_HASH_LEN);
	for (size_t i = 0; i < n; i++) {
		mac_put_len(&st, lens[i]);
		crypto_generichash_update(&st, parts[i], lens[i]);
	}
	crypto_generichash_final(&st, out, PDV_HASH_LEN);
	sodium_memzero(&st, sizeof(st)); /* holds the key's block */
}

/* the Feistel round function: 32 pseudo-random bits of (kind, round, half) */
static uint32_t id_round(const struct pdv_secret *k, char kind, uint8_t round, uint32_t half)
{
	static const char domain[] = "pdv-id";
	uint8_t h[4] = {(uint8_t)half, (uint8_t)(half >> 8), (uint8_t)(half >> 16),
	                (uint8_t)(half >> 24)};
	const void *parts[] = {domain, &kind, &round, h};
	const size_t lens[] = {sizeof(domain) - 1, 1, 1, sizeof(h)};
	uint8_t out[PDV_HASH_LEN];

	pdv_mac(k, 4, parts, lens, out);
	return (uint32_t)out[0] | (uint32_t)out[1] << 8 | (uint32_t)out[2] << 16 |
	       (uint32_t)out[3] << 24;
}

#define ID_ROUNDS 4

uint64_t pdv_id_permute(const struct pdv_secret *k, char kind, uint64_t x)
{
	uint32_t l = (uint32_t)(x >> 32), r = (uint32_t)x;

	for (uint8_t i = 0; i < ID_ROUNDS; i++) {
		uint32_t t = l ^ id_round(k, kind, i, r);
		l = r;
		r = t;
	}
	return (uint64_t)l << 32 | r;
}

uint64_t pdv_id_unpermute(const struct pdv_secret *k, char kind, uint64_t y)
{
	uint32_t l = (uint32_t)(y >> 32), r = (uint32_t)y;

	for (uint8_t i = ID_ROUNDS; i-- > 0;) {
		uint32_t t = r ^ id_round(k, kind, i, l);
		r = l;
		l = t;
	}
	return (uint64_t)l << 32 | r;
}

_Static_assert(PDV_HMAC_SHA256_LEN == crypto_auth_hmacsha256_BYTES, "hmac size");

void pdv_hmac_sha256(const void *key, size_t key_len, size_t n, const void *const *parts,
                     const size_t *lens, uint8_t out[PDV_HMAC_SHA256_LEN])
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, key, key_len);
	for (size_t i = 0; i < n; i++)
		crypto_auth_hmacsha256_update(&st, parts[i], lens[i]);
	crypto_auth_hmacsha256_final(&st, out);
	sodium_memzero(&st, sizeof(st));
}

void pdv_hash(const void *m, size_t n, uint8_t out[PDV_HASH_LEN])
{
	crypto_generichash(out, PDV_HASH_LEN, m, n, NULL, 0);
}

void pdv_sha256(const void *m, size_t n, uint8_t out[PDV_SHA256_LEN])
{
	crypto_hash_sha256(out, m, n);
}

/* ---- randomness and memory ---------------------------------------------- */

/*
 * Random bytes drawn from a pool refilled from one system call per 4 KiB, one
 * pool per thread. The pool holds future keys and nonces: it lives in sodium
 * memory and what is taken is wiped. A forked child must not replay the
 * parent's pool (same nonces, same data keys): a fork handler bumps a
 * generation number, and a pool of an older generation is dropped. (A getpid()
 * per call would cost a system call per nonce.)
 */
#define POOL_SIZE 4096

static _Thread_local struct {
	uint8_t *buf;
	size_t left;
	unsigned generation;
} pool;

static volatile unsigned fork_generation = 1;
static pthread_once_t fork_once = PTHREAD_ONCE_INIT;

static void after_fork_in_child(void)
{
	fork_generation++;
}

static void watch_forks(void)
{
	pthread_atfork(NULL, NULL, after_fork_in_child);
}

/*
 * A refill is the ChaCha20 keystream of a fresh 32-byte seed from the system
 * (a DRBG, as arc4random does): one small getrandom per 4 KiB instead of the
 * kernel generating every byte, which was 5% of an import's time.
 */
static void refill(uint8_t *buf)
{
	uint8_t seed[randombytes_SEEDBYTES];

	randombytes_buf(seed, sizeof(seed));
	randombytes_buf_deterministic(buf, POOL_SIZE, seed);
	sodium_memzero(seed, sizeof(seed));
}

void pdv_random(void *buf, size_t n)
{
	uint8_t *o = buf;

	pthread_once(&fork_once, watch_forks);
	if (pool.generation != fork_generation) {
		if (pool.buf)
			sodium_memzero(pool.buf, POOL_SIZE);
		pool.left = 0;
		pool.generation = fork_generation;
	}
	if (n > POOL_SIZE / 4 || (!pool.buf && !(pool.buf = pdv_secure_alloc(POOL_SIZE)))) {
		randombytes_buf(buf, n);
		return;
	}
	while (n) {
		size_t take;

		if (pool.left == 0) {
			refill(pool.buf);
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
