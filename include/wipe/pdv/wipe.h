/*
 * pdv/wipe.h — wiping memory and scratch memory for personal data, for the
 * layers that must not see the rest of pdv/crypto.h (the server and the
 * command line: docs/internals/layers.md). Implemented in src/crypto/
 * crypto.c; pdv/crypto.h includes this header, so the engine, which uses
 * both, needs nothing more.
 *
 * A layer above the engine holds personal data only in transit (a request
 * body, a bearer token, a value read from stdin): it wipes what it held, and
 * reads a value of unknown length into pdv_secure_alloc'ed memory, but it
 * never seals, hashes or sees a key.
 */
#ifndef PDV_WIPE_H
#define PDV_WIPE_H

#include <stddef.h>

/* Overwrite n bytes with zeros in a way the compiler keeps. */
void pdv_wipe(void *p, size_t n);

/*
 * Sodium-allocated scratch memory for plaintext of personal data (guarded,
 * wiped on free). NULL on failure. pdv_secure_free accepts NULL.
 */
void *pdv_secure_alloc(size_t n);
void pdv_secure_free(void *p);

#endif
