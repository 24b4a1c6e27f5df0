/*
 * model.c — the loaded declaration: its arena, its release, and the small
 * read-only queries every other module asks of it (text in a language,
 * lookups by id, languages, financial-year end).
 *
 * Invariants: a struct pdv_decl lives inside its own arena (d->arena), so
 * pdv_decl_free releases the decl and everything it points to at once. The
 * queries never allocate and accept NULL where a caller could hold nothing.
 */
#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "loader-internal.h"
#include "pdv/decl.h"

/* ---- arena ------------------------------------------------------------ */

#define ARENA_CHUNK ((size_t)64 * 1024)
#define ARENA_ALIGN (alignof(max_align_t))

struct arena_chunk {
	struct arena_chunk *next;
	size_t used;
	size_t cap;
	alignas(max_align_t) unsigned char data[];
};

struct pdv_arena {
	struct arena_chunk *head;
};

struct pdv_arena *pdv_arena_new(void)
{
	return calloc(1, sizeof(struct pdv_arena));
}

/* strings need no alignment: packing them saves a third of a large decl */
static void *arena_alloc(struct pdv_arena *a, size_t n, size_t align)
{
	struct arena_chunk *c;
	size_t cap, off;

	if (!a)
		return NULL;
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX - ARENA_ALIGN - sizeof(struct arena_chunk))
		return NULL;
	c = a->head;
	if (c) {
		off = (c->used + align - 1) & ~(align - 1);
		if (off <= c->cap && c->cap - off >= n) {
			c->used = off + n;
			return c->data + off;
		}
	}
	/* a large request gets a chunk of its own, so the current chunk keeps
	 * serving the small ones */
	cap = n > ARENA_CHUNK / 4 ? n : ARENA_CHUNK;
	c = calloc(1, sizeof(*c) + cap);
	if (!c)
		return NULL;
	c->cap = cap;
	c->used = n;
	if (cap == ARENA_CHUNK || !a->head) {
		c->next = a->head;
		a->head = c;
	} else {
		c->next = a->head->next;
		a->head->next = c;
	}
	return c->data;
}

void *pdv_arena_alloc(struct pdv_arena *a, size_t n)
{
	return arena_alloc(a, n, ARENA_ALIGN);
}

void *pdv_arena_calloc(struct pdv_arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return pdv_arena_alloc(a, n * size);
}

char *pdv_arena_strndup(struct pdv_arena *a, const char *s, size_t n)
{
	char *p;

	if (n == SIZE_MAX)
		return NULL;
	p = arena_alloc(a, n + 1, 1);
	if (p && n)
		memcpy(p, s, n);
	return p;
}

void pdv_arena_free(struct pdv_arena *a)
{
	struct arena_chunk *c, *next;

	if (!a)
		return;
	for (c = a->head; c; c = next) {
		next = c->next;
		free(c);
	}
	free(a);
}

/* ---- the declaration -------------------------------------------------- */

void pdv_decl_free(struct pdv_decl *d)
{
	/* the decl itself lives in its arena */
	if (d)
		pdv_arena_free(d->arena);
}

static const char *text_lang(const struct pdv_text *t, const char *lang)
{
	if (!lang)
		return NULL;
	for (size_t i = 0; i < t->n_lang; i++)
		if (t->langs[i].lang && strcasecmp(t->langs[i].lang, lang) == 0)
			return t->langs[i].text;
	return NULL;
}

const char *pdv_text_get(const struct pdv_text *t, const char *lang)
{
	const char *s;

	if (!t || !t->present)
		return NULL;
	s = text_lang(t, lang);
	if (s)
		return s;
	if (t->any)
		return t->any;
	for (size_t i = 0; i < t->n_lang; i++)
		if (t->langs[i].text)
			return t->langs[i].text;
	return NULL;
}

bool pdv_text_has(const struct pdv_text *t, const char *lang)
{
	if (!t || !t->present)
		return false;
	return t->any != NULL || text_lang(t, lang) != NULL;
}

const struct pdv_activity *pdv_decl_activity(const struct pdv_decl *d, const char *id)
{
	if (!d || !id)
		return NULL;
	for (size_t i = 0; i < d->n_activities; i++)
		if (d->activities[i].id.s && strcmp(d->activities[i].id.s, id) == 0)
			return &d->activities[i];
	return NULL;
}

const struct pdv_recipient *pdv_decl_recipient(const struct pdv_decl *d, const char *id)
{
	if (!d || !id)
		return NULL;
	for (size_t i = 0; i < d->n_recipients; i++)
		if (d->recipients[i].id.s && strcmp(d->recipients[i].id.s, id) == 0)
			return &d->recipients[i];
	return NULL;
}

const struct pdv_role *pdv_decl_role(const struct pdv_decl *d, const char *id)
{
	if (!d || !id)
		return NULL;
	for (size_t i = 0; i < d->n_roles; i++)
		if (d->roles[i].id.s && strcmp(d->roles[i].id.s, id) == 0)
			return &d->roles[i];
	return NULL;
}

/* Returns how many languages were written to ret (at most max). */
size_t pdv_decl_languages(const struct pdv_decl *d, const char **ret, size_t max)
{
	const struct pdv_strlist *l = d ? &d->controller.languages : NULL;
	size_t n = 0;

	if (!ret || max == 0)
		return 0;
	if (l && l->present)
		for (size_t i = 0; i < l->n && n < max; i++)
			if (l->v[i].s && l->v[i].s[0])
				ret[n++] = l->v[i].s;
	if (n == 0)
		ret[n++] = "en";
	return n;
}

static int two_digits(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/*
 * "MM-DD", exactly. 02-29 is refused: a financial year that ends on a day
 * most years lack has no well-defined end, and 02-28 says the same thing.
 */
int pdv_decl_fy_end(const struct pdv_decl *d, int *ret_month, int *ret_day)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	const char *s = d ? d->controller.financial_year_end.s : NULL;
	int m, day;

	if (!s) {
		m = 12;
		day = 31;
	} else {
		if (strlen(s) != 5 || s[2] != '-')
			return PDV_E_INVAL;
		m = two_digits(s);
		day = two_digits(s + 3);
		if (m < 1 || m > 12 || day < 1 || day > mdays[m - 1])
			return PDV_E_INVAL;
	}
	if (ret_month)
		*ret_month = m;
	if (ret_day)
		*ret_day = day;
	return 0;
}

bool pdv_strlist_has(const struct pdv_strlist *l, const char *s)
{
	if (!l || !l->present || !s)
		return false;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].s && strcmp(l->v[i].s, s) == 0)
			return true;
	return false;
}
