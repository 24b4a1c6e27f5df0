/*
 * libpq-fe.h — a poisoned stand-in for libpq's header. It sits first on the
 * include path of every layer but the store, so that a file there which
 * includes <libpq-fe.h> fails to build: the PostgreSQL connection is the
 * store's business (src/store/pg/). docs/internals/layers.md says why and
 * where each header may be used.
 */
#error "libpq-fe.h belongs to src/store only (docs/internals/layers.md)"
