/*
 * liboath/oath.h — a poisoned stand-in for liboath's header (TOTP, RFC
 * 6238). It sits first on the include path of every layer but crypto, which
 * alone computes one-time codes (src/crypto/auth.c): the TOTP secret is a
 * key, and keys stay there. docs/internals/layers.md says why.
 */
#error "liboath/oath.h belongs to src/crypto only (docs/internals/layers.md)"
