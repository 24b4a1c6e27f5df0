/*
 * sodium.h — a poisoned stand-in for libsodium's header. It sits first on the
 * include path of every layer but crypto, so that a file there which
 * includes <sodium.h> fails to build: the real header is in /usr/include,
 * which every compile sees, and hiding include paths alone cannot keep it
 * out. What the layers above may use of crypto is pdv/wipe.h.
 * docs/internals/layers.md says why and where each header may be used.
 */
#error "sodium.h belongs to src/crypto only (docs/internals/layers.md)"
