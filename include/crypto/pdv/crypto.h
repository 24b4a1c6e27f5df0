/*
 * pdv/crypto.h — keys, encryption of field values, blind indexes and keyed
 * hashes. src/crypto/ is the only code that includes <sodium.h>.
 *
 * Key hierarchy:
 *
 *   master key (32 bytes, the key file, mode 0600)
 *     -> wrapping key = crypto_kdf(master, id 1, "pdvwrap1")
 *          wraps: every subject's data key   (ad: "subject\0" SUBJECT_ID)
 *                 the blind-index key        (ad: "index")
 *                 the audit key              (ad: "audit")
 *                 the statistics key         (ad: "stats")
 *     -> key id = crypto_kdf(master, id 2, "pdvkeyid") first 16 bytes: names
 *        which master key the store's wrapped keys are under; not secret
 *
 * Rotation changes the master key and re-wraps the wrapped keys; the
 * index, audit and statistics keys themselves never change, so lookups, the
 * suppression list and the audit chain keep working.
 *
 * Invariants:
 *  - every secret lives in sodium_malloc'ed memory (guard pages, locked where
 *    the system allows) and is wiped by sodium_free; the caller never sees a
 *    secret's bytes except through these functions;
 *  - a sealed value is nonce (24) || ciphertext || tag (16) of
 *    XChaCha20-Poly1305-IETF with a random nonce; the associated data binds it
 *    to its place (record id and field name), so a value copied to another
 *    record or field fails to open;
 *  - messages never contain key material or plaintext.
 */
#ifndef PDV_CRYPTO_H
#define PDV_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pdv/buf.h"
#include "pdv/error.h"
#include "pdv/wipe.h"

#define PDV_KEY_LEN 32
#define PDV_KEY_ID_LEN 16
#define PDV_SEAL_NONCE_LEN 24
#define PDV_SEAL_TAG_LEN 16
#define PDV_SEAL_OVERHEAD (PDV_SEAL_NONCE_LEN + PDV_SEAL_TAG_LEN)
#define PDV_WRAPPED_LEN (PDV_KEY_LEN + PDV_SEAL_OVERHEAD)
#define PDV_HASH_LEN 32

/* the master key and the keys derived from it */
struct pdv_master;
/* one 32-byte secret key (subject data key, index key, audit key...) */
struct pdv_secret;

/* Initialise libsodium; call once before anything else (idempotent). */
int pdv_crypto_init(struct pdv_error *err) PDV_WUR;

/*
 * Create a new master key file at path: 32 random bytes, created with
 * O_CREAT|O_EXCL and mode 0600, written, fsync'ed, and its directory
 * fsync'ed. Refuses (PDV_E_REFUSED) when path exists.
 */
int pdv_master_create(const char *path, struct pdv_error *err) PDV_WUR;

/*
 * Load the master key file. Refuses with a clear message (PDV_E_IO for the
 * environment: missing, unreadable, not a regular file, group- or
 * world-accessible mode, size not 32 bytes).
 */
int pdv_master_load(const char *path, struct pdv_master **ret_master,
                    struct pdv_error *err) PDV_WUR;
void pdv_master_free(struct pdv_master *m);

/* The key id of m (not secret): which master key wrapped the store's keys. */
void pdv_master_key_id(const struct pdv_master *m, uint8_t ret_id[PDV_KEY_ID_LEN]);

/* A new random secret. */
int pdv_secret_new(struct pdv_secret **ret_secret, struct pdv_error *err) PDV_WUR;
void pdv_secret_free(struct pdv_secret *s);

/*
 * A reusable secret slot for hot paths (one data key per collected
 * submission): allocated once in sodium memory, refilled in place, without
 * the mmap/mprotect/munmap of a fresh allocation each time.
 */
int pdv_secret_alloc(struct pdv_secret **ret_secret, struct pdv_error *err) PDV_WUR;
void pdv_secret_generate(struct pdv_secret *s);
int pdv_secret_unwrap_into(const struct pdv_master *m, const uint8_t in[PDV_WRAPPED_LEN],
                           const void *ad, size_t ad_len, struct pdv_secret *s,
                           struct pdv_error *err) PDV_WUR;

/*
 * Wrap s under m's wrapping key, bound to ad (e.g. "subject\0<id>"): out is
 * PDV_WRAPPED_LEN bytes. Unwrap fails with PDV_E_REFUSED ("wrong master key or
 * damaged key") when the tag does not verify.
 */
int pdv_secret_wrap(const struct pdv_master *m, const struct pdv_secret *s, const void *ad,
                    size_t ad_len, uint8_t out[PDV_WRAPPED_LEN], struct pdv_error *err) PDV_WUR;
int pdv_secret_unwrap(const struct pdv_master *m, const uint8_t in[PDV_WRAPPED_LEN], const void *ad,
                      size_t ad_len, struct pdv_secret **ret_secret, struct pdv_error *err) PDV_WUR;

/*
 * Seal m (m_len bytes) under k with associated data ad: out receives
 * m_len + PDV_SEAL_OVERHEAD bytes. Open reverses it into out (c_len -
 * PDV_SEAL_OVERHEAD bytes); PDV_E_REFUSED when the tag, the key or the
 * associated data do not match, PDV_E_INVAL when c_len is too short.
 */
int pdv_seal(const struct pdv_secret *k, const void *ad, size_t ad_len, const void *m, size_t m_len,
             uint8_t *out, struct pdv_error *err) PDV_WUR;
int pdv_open(const struct pdv_secret *k, const void *ad, size_t ad_len, const uint8_t *c,
             size_t c_len, uint8_t *out, struct pdv_error *err) PDV_WUR;

/*
 * Keyed BLAKE2b-256 over the n parts (parts[i], lens[i]), each preceded by
 * its length as 4 bytes little-endian (0xffffffff then 8 bytes for a part of
 * 4 GiB or more): the encoding is unambiguous, so ("ab", "c") and ("a", "bc")
 * hash differently and callers need no separators. Used for blind indexes
 * (parts: kind, normalised value), the audit chain (previous hash, canonical
 * entry) and statistics ids.
 */
void pdv_mac(const struct pdv_secret *k, size_t n, const void *const *parts, const size_t *lens,
             uint8_t out[PDV_HASH_LEN]);

/*
 * A keyed permutation of 64-bit numbers, so that an opaque id can carry a row
 * id without showing it (consecutive rows give unrelated numbers): a 4-round
 * Feistel network on the two 32-bit halves whose round function is the first
 * 4 bytes of pdv_mac(k; "pdv-id", kind, round, half), a keyed BLAKE2b. Four
 * rounds of a pseudo-random function make a strong pseudo-random permutation
 * (Luby-Rackoff); kind separates the id spaces (the same row number of two
 * tables permutes differently). pdv_id_unpermute() is the inverse.
 */
uint64_t pdv_id_permute(const struct pdv_secret *k, char kind, uint64_t x);
uint64_t pdv_id_unpermute(const struct pdv_secret *k, char kind, uint64_t y);

/*
 * HMAC-SHA256 (RFC 2104) with a key of any length over the concatenation of
 * the n parts (no length prefixes: the format is the caller's, e.g. the
 * webhook signature's "TIMESTAMP.BODY"). The state is wiped before return.
 */
#define PDV_HMAC_SHA256_LEN 32
void pdv_hmac_sha256(const void *key, size_t key_len, size_t n, const void *const *parts,
                     const size_t *lens, uint8_t out[PDV_HMAC_SHA256_LEN]);

/* Unkeyed BLAKE2b-256 (API tokens: 256-bit random, so a plain hash suffices). */
void pdv_hash(const void *m, size_t n, uint8_t out[PDV_HASH_LEN]);

/* SHA-256 (FIPS 180-4): for ids others recompute without pdvault (a banner
 * configuration's id is the SHA-256 of its canonical form). */
#define PDV_SHA256_LEN 32
void pdv_sha256(const void *m, size_t n, uint8_t out[PDV_SHA256_LEN]);

/* Fill buf with n random bytes (from a buffer refilled by the system CSPRNG
 * 4 KiB at a time, kept in sodium memory and wiped as it is consumed). */
void pdv_random(void *buf, size_t n);

/* Constant-time equality of two n-byte buffers. */
bool pdv_equal(const void *a, const void *b, size_t n);

/*
 * Staff passphrases and one-time codes (auth.c).
 *
 * pdv_pwhash: Argon2id (crypto_pwhash_str, interactive limits: about 64 MiB
 * and a few tens of milliseconds), the string holding its salt and
 * parameters. It is slow on purpose: callers run it off the vault's commit
 * path. pdv_pwhash_verify: does pass match str (false for a malformed str).
 * pdv_pwhash_dummy: the hash of a random passphrase made once, for an
 * unknown account, so that a sign-in takes as long whether it exists or not.
 */
#define PDV_PWHASH_MAX 128
int pdv_pwhash(const char *pass, size_t len, char ret[PDV_PWHASH_MAX],
               struct pdv_error *err) PDV_WUR;
bool pdv_pwhash_verify(const char *str, const char *pass, size_t len);
const char *pdv_pwhash_dummy(void);

/*
 * TOTP (RFC 6238 through liboath): HMAC-SHA1, 30-second steps, 6 digits.
 * pdv_totp_code: the code of step (unix time / 30) into out.
 * pdv_base32: RFC 4648 base32 without padding (what authenticator apps read
 * in an otpauth:// URI); out holds at least (n * 8 + 4) / 5 + 1 bytes.
 */
#define PDV_TOTP_SECRET_LEN 20
#define PDV_TOTP_STEP 30
#define PDV_TOTP_DIGITS 6
int pdv_totp_code(const uint8_t *secret, size_t n, int64_t step, char out[PDV_TOTP_DIGITS + 1],
                  struct pdv_error *err) PDV_WUR;
void pdv_base32(const uint8_t *in, size_t n, char *out);

/* text drawn as a QR code (libqrencode, level M) in SVG, appended to out */
int pdv_qr_svg(const char *text, struct pdv_buf *out, struct pdv_error *err) PDV_WUR;

/* pdv_wipe, pdv_secure_alloc and pdv_secure_free are in pdv/wipe.h (included
 * above), the part of this module the layers above the engine may use. */

/*
 * Ed25519 signatures (deletion certificates, docs/certificates.md). The
 * secret is the 32-byte seed, a pdv_secret like any key, so it is generated,
 * wrapped and wiped as they are; the 64-byte expanded key exists only in
 * sodium memory during pdv_sign. Signatures are detached (the 64 bytes of
 * RFC 8032), deterministic: the same seed and message sign the same bytes.
 */
#define PDV_SIGN_PUBLIC_LEN 32
#define PDV_SIGN_LEN 64
void pdv_sign_public(const struct pdv_secret *seed, uint8_t ret_pk[PDV_SIGN_PUBLIC_LEN]);
int pdv_sign(const struct pdv_secret *seed, const void *m, size_t n, uint8_t ret_sig[PDV_SIGN_LEN],
             struct pdv_error *err) PDV_WUR;
/* true when sig is pk's signature of m */
bool pdv_sign_verify(const uint8_t pk[PDV_SIGN_PUBLIC_LEN], const void *m, size_t n,
                     const uint8_t sig[PDV_SIGN_LEN]);

/*
 * Replace the master key file at path by new_path atomically (rename, then
 * fsync of the directory): the last step of a rotation.
 */
int pdv_master_install(const char *new_path, const char *path, struct pdv_error *err) PDV_WUR;

#endif
