/*
 * loader-internal.h — what loader.c and model.c share: the arena that owns
 * every byte of a loaded struct pdv_decl.
 *
 * The arena is a list of zeroed chunks with a bump pointer; nothing is freed
 * before the whole arena is, so a decl is released with one call and a failed
 * load cannot leak a piece of itself.
 */
#ifndef PDV_DECL_LOADER_INTERNAL_H
#define PDV_DECL_LOADER_INTERNAL_H

#include <stddef.h>

struct pdv_arena;

struct pdv_arena *pdv_arena_new(void);
/* n zeroed bytes aligned for any type; NULL when memory runs out */
void *pdv_arena_alloc(struct pdv_arena *a, size_t n);
/* n items of size bytes, zeroed; NULL on overflow or when memory runs out */
void *pdv_arena_calloc(struct pdv_arena *a, size_t n, size_t size);
/* a NUL-terminated copy of s[0..n) */
char *pdv_arena_strndup(struct pdv_arena *a, const char *s, size_t n);
void pdv_arena_free(struct pdv_arena *a);

#endif
