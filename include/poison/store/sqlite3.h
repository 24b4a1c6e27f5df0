/*
 * sqlite3.h — a poisoned stand-in for SQLite's header. It sits first on the include
 * path of every layer but the store, so that a file there which includes
 * <sqlite3.h> fails to build: the real header is in /usr/include, which every
 * compile sees, and hiding include paths alone cannot keep it out.
 * docs/internals/layers.md says why and where each header may be used.
 */
#error "sqlite3.h belongs to src/store only (docs/internals/layers.md)"
