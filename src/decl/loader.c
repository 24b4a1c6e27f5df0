/*
 * loader.c — YAML bytes to struct pdv_decl (the language of docs/declaration.md).
 *
 * Three passes, each of which may refuse with FILE:LINE:COL and a key path:
 *  1. scan: size, UTF-8, NUL and control characters, so that libyaml only
 *     ever sees text it accepts and every position is exact;
 *  2. build: libyaml events become a small node tree. Aliases point at their
 *     anchored node instead of copying it; every alias is counted, and so are
 *     the nodes it would expand to and the depth it would reach, so an alias
 *     bomb or a deep nest is refused before anything is expanded. Duplicate
 *     keys are refused here as each map closes;
 *  3. convert: the tree is walked against a table of shapes (one per struct
 *     of pdv/decl.h) that says which keys a map may hold and what YAML type
 *     each takes. Only syntax, unknown keys, wrong types and limits are
 *     refused; every value that has the right shape loads as written.
 *
 * Ownership: the decl and every string it points to live in one arena; the
 * tree, the anchors and libyaml's state are temporary and released on every
 * path. On failure nothing is handed out and *ret is untouched.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <yaml.h>

#include "loader-internal.h"
#include "pdv/buf.h"
#include "pdv/decl.h"

#define NONE SIZE_MAX
#define KEY_SHOWN 60 /* longest key echoed in a message or a path */

/* ---- pass 1: scan the bytes ------------------------------------------- */

/* YAML 1.1 printable set, as libyaml's reader checks it */
static bool yaml_printable(uint32_t c)
{
	return c == 0x09 || c == 0x0a || c == 0x0d || (c >= 0x20 && c <= 0x7e) || c == 0x85 ||
	       (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) ||
	       (c >= 0x10000 && c <= 0x10ffff);
}

/* libyaml's line breaks: LF, CR, CRLF (one), NEL, LS, PS */
static bool is_break(uint32_t c)
{
	return c == 0x0a || c == 0x0d || c == 0x85 || c == 0x2028 || c == 0x2029;
}

/*
 * Position of byte offset `stop` (or of the first bad character when
 * ret_bad is given), counted as libyaml counts: characters, not bytes.
 * Returns the byte offset where it stopped.
 */
static size_t scan_text(const char *data, size_t len, size_t stop, struct pdv_pos *ret_pos,
                        const char **ret_bad)
{
	const unsigned char *p = (const unsigned char *)data;
	uint32_t line = 1, col = 1;
	size_t i = 0;

	if (ret_bad)
		*ret_bad = NULL;
	while (i < len && i < stop) {
		uint32_t cp = 0;
		size_t l = pdv_utf8_decode(data + i, len - i, &cp);

		if (!l) {
			if (ret_bad)
				*ret_bad = "invalid utf-8 byte sequence";
			break;
		}
		if (cp == 0 || !yaml_printable(cp)) {
			if (ret_bad)
				*ret_bad = cp == 0 ? "nul byte" : "control character";
			break;
		}
		if (cp == 0x0d && i + 1 < len && p[i + 1] == 0x0a) {
			i += 2;
			line++, col = 1;
		} else if (is_break(cp)) {
			i += l;
			line++, col = 1;
		} else {
			i += l;
			col++;
		}
	}
	ret_pos->line = line;
	ret_pos->col = col;
	return i;
}

/* the byte offset of a libyaml mark (0-based line and column in characters) */
static size_t mark_offset(const char *data, size_t len, const yaml_mark_t *m)
{
	const unsigned char *p = (const unsigned char *)data;
	size_t i = 0, line = 0, col = 0;

	while (i < len && (line < m->line || col < m->column)) {
		uint32_t cp = 0;
		size_t l = pdv_utf8_decode(data + i, len - i, &cp);

		if (!l)
			break;
		if (line == m->line && is_break(cp))
			break;
		if (cp == 0x0d && i + 1 < len && p[i + 1] == 0x0a) {
			i += 2;
			line++, col = 0;
		} else if (is_break(cp)) {
			i += l;
			line++, col = 0;
		} else {
			i += l;
			col++;
		}
	}
	return i;
}

static struct pdv_pos mark_pos(const yaml_mark_t *m)
{
	struct pdv_pos pos;

	pos.line = m->line >= UINT32_MAX ? UINT32_MAX : (uint32_t)m->line + 1;
	pos.col = m->column >= UINT32_MAX ? UINT32_MAX : (uint32_t)m->column + 1;
	return pos;
}

/* ---- pass 2: the node tree -------------------------------------------- */

enum node_type {
	N_SCALAR,
	N_SEQ,
	N_MAP,
	N_ALIAS,
};

/* 40 bytes: a 4 MB file can hold a million nodes */
struct node {
	uint8_t type;   /* enum node_type */
	bool plain;     /* untagged plain scalar: may be null or a bool */
	uint8_t height; /* nesting levels below and including this node */
	struct pdv_pos pos;
	uint32_t len;  /* scalar length (at most PDV_DECL_MAX_SCALAR) */
	const char *s; /* scalar value (in the decl arena) */
	uint32_t n;    /* children; a map holds key, value, key, value... */
	uint32_t size; /* nodes after expansion, saturated past the limit */
	union {
		uint32_t *kids;  /* collections */
		uint32_t target; /* alias: the anchored node */
	};
};

struct anchor {
	const char *name;
	size_t node;
};

struct open_coll {
	size_t node;
	size_t base; /* first of its children in pending[] */
	char *anchor;
};

struct tree {
	const char *file;
	const char *data;
	size_t len;
	struct pdv_arena *arena; /* the decl's: scalar strings */
	struct pdv_arena *tmp;   /* children arrays, anchor names */
	struct node *nodes;
	size_t n_nodes, cap_nodes;
	uint32_t *pending;
	size_t n_pending, cap_pending;
	struct open_coll open[PDV_DECL_MAX_DEPTH];
	unsigned depth;
	struct anchor *anchors;
	size_t n_anchors, cap_anchors;
	unsigned n_aliases;
	size_t expanded;
	size_t root;
	struct pdv_error *err;
};

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t ncap;
	void *np;

	if (need <= *cap)
		return 0;
	ncap = *cap ? *cap : 64;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / size)
			return PDV_E_NOMEM;
		ncap *= 2;
	}
	np = realloc(*p, ncap * size);
	if (!np)
		return PDV_E_NOMEM;
	*p = np;
	*cap = ncap;
	return 0;
}

static const struct node *resolve(const struct node *nodes, size_t i)
{
	const struct node *n = &nodes[i];

	/* an alias always targets a finished non-alias node */
	return n->type == N_ALIAS ? &nodes[n->target] : n;
}

static void path_append(char *path, size_t size, size_t *len, const char *fmt, ...)
    PDV_PRINTF(4, 5);

static void path_append(char *path, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (*len >= size - 1)
		return;
	va_start(ap, fmt);
	w = pdv_vsnprintf(path + *len, size - *len, fmt, ap);
	va_end(ap);
	if (w < 0)
		path[*len] = '\0';
	else
		*len = (size_t)w >= size - *len ? size - 1 : *len + (size_t)w;
}

static void path_append_key(char *path, size_t size, size_t *len, const char *key)
{
	if (*len)
		path_append(path, size, len, ".%.*s", PDV_UTF8_CUT(key, KEY_SHOWN));
	else
		path_append(path, size, len, "%.*s", PDV_UTF8_CUT(key, KEY_SHOWN));
}

/* The key path of the node being built, from the collections still open. */
static void tree_path(const struct tree *t, char *path, size_t size)
{
	size_t len = 0;

	path[0] = '\0';
	for (unsigned l = 0; l < t->depth; l++) {
		const struct open_coll *o = &t->open[l];
		size_t end = l + 1 < t->depth ? t->open[l + 1].base : t->n_pending;
		size_t count = end - o->base;

		if (t->nodes[o->node].type == N_SEQ) {
			path_append(path, size, &len, "[%zu]", count);
		} else if (count % 2 == 1) {
			const struct node *k = resolve(t->nodes, t->pending[end - 1]);

			path_append_key(path, size, &len, k->type == N_SCALAR ? k->s : "?");
		} else {
			break; /* a key is being built: the map is the place */
		}
	}
}

static int tree_fail(struct tree *t, int rc, struct pdv_pos pos, const char *fmt, ...)
    PDV_PRINTF(4, 5);

static int tree_fail(struct tree *t, int rc, struct pdv_pos pos, const char *fmt, ...)
{
	char msg[PDV_ERROR_MSG_MAX];
	char path[PDV_ERROR_FIELD_MAX];
	va_list ap;

	va_start(ap, fmt);
	pdv_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pdv_error_set_at(t->err, rc, t->file, pos, "%s", msg);
	tree_path(t, path, sizeof(path));
	pdv_error_field(t->err, path);
	return rc;
}

static int tree_nomem(struct tree *t)
{
	return pdv_error_set(t->err, PDV_E_NOMEM, "out of memory loading the declaration");
}

static uint32_t size_add(size_t a, size_t b)
{
	return a > PDV_DECL_MAX_NODES || b > PDV_DECL_MAX_NODES ? PDV_DECL_MAX_NODES + 1
	                                                        : (uint32_t)(a + b);
}

static int tree_new_node(struct tree *t, enum node_type type, struct pdv_pos pos, size_t *ret)
{
	struct node *n;

	if (grow((void **)&t->nodes, &t->cap_nodes, t->n_nodes + 1, sizeof(*t->nodes)) < 0)
		return tree_nomem(t);
	n = &t->nodes[t->n_nodes];
	memset(n, 0, sizeof(*n));
	n->type = (uint8_t)type;
	n->pos = pos;
	n->size = 1;
	*ret = t->n_nodes++;
	return 0;
}

/* a finished node becomes a child of the innermost open collection */
static int tree_push(struct tree *t, size_t idx)
{
	if (t->depth == 0) {
		t->root = idx;
		return 0;
	}
	if (grow((void **)&t->pending, &t->cap_pending, t->n_pending + 1, sizeof(*t->pending)) < 0)
		return tree_nomem(t);
	t->pending[t->n_pending++] = (uint32_t)idx;
	return 0;
}

static int tree_count(struct tree *t, size_t n, struct pdv_pos pos)
{
	t->expanded = size_add(t->expanded, n);
	if (t->expanded > PDV_DECL_MAX_NODES)
		return tree_fail(t, PDV_E_LIMIT, pos,
		                 "the declaration expands to more than %d nodes (aliases included)",
		                 PDV_DECL_MAX_NODES);
	return 0;
}

static int tree_anchor(struct tree *t, const char *name, size_t idx)
{
	char *copy;

	if (!name)
		return 0;
	if (grow((void **)&t->anchors, &t->cap_anchors, t->n_anchors + 1, sizeof(*t->anchors)) < 0)
		return tree_nomem(t);
	copy = pdv_arena_strndup(t->tmp, name, strlen(name));
	if (!copy)
		return tree_nomem(t);
	t->anchors[t->n_anchors].name = copy;
	t->anchors[t->n_anchors].node = idx;
	t->n_anchors++;
	return 0;
}

static bool is_null_scalar(const struct node *n)
{
	if (n->type != N_SCALAR || !n->plain)
		return false;
	return n->len == 0 || strcmp(n->s, "~") == 0 || strcmp(n->s, "null") == 0 ||
	       strcmp(n->s, "Null") == 0 || strcmp(n->s, "NULL") == 0;
}

static int tree_scalar(struct tree *t, const yaml_event_t *ev)
{
	struct pdv_pos pos = mark_pos(&ev->start_mark);
	const char *v = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	struct node *n;
	size_t idx;
	int r;

	if (len > PDV_DECL_MAX_SCALAR)
		return tree_fail(t, PDV_E_LIMIT, pos, "a string longer than %zu bytes",
		                 PDV_DECL_MAX_SCALAR);
	/* escapes ("\0", "\x01") can produce what the scan refused in raw text */
	if (memchr(v, '\0', len))
		return tree_fail(t, PDV_E_PARSE, pos, "a string holds a nul character");
	if (!pdv_utf8_valid(v, len))
		return tree_fail(t, PDV_E_PARSE, pos, "a string is not valid utf-8");
	r = tree_count(t, 1, pos);
	if (r < 0)
		return r;
	r = tree_new_node(t, N_SCALAR, pos, &idx);
	if (r < 0)
		return r;
	n = &t->nodes[idx];
	n->s = pdv_arena_strndup(t->arena, v, len);
	if (!n->s)
		return tree_nomem(t);
	n->len = (uint32_t)len;
	n->plain =
	    ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && ev->data.scalar.plain_implicit;
	r = tree_anchor(t, (const char *)ev->data.scalar.anchor, idx);
	if (r < 0)
		return r;
	return tree_push(t, idx);
}

static int tree_start(struct tree *t, const yaml_event_t *ev, enum node_type type)
{
	struct pdv_pos pos = mark_pos(&ev->start_mark);
	const yaml_char_t *anchor;
	size_t idx;
	int r;

	if (t->depth >= PDV_DECL_MAX_DEPTH)
		return tree_fail(t, PDV_E_LIMIT, pos, "maps and lists nested deeper than %d levels",
		                 PDV_DECL_MAX_DEPTH);
	r = tree_count(t, 1, pos);
	if (r < 0)
		return r;
	r = tree_new_node(t, type, pos, &idx);
	if (r < 0)
		return r;
	anchor = type == N_MAP ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
	t->open[t->depth].node = idx;
	t->open[t->depth].base = t->n_pending;
	t->open[t->depth].anchor = NULL;
	if (anchor) {
		t->open[t->depth].anchor =
		    pdv_arena_strndup(t->tmp, (const char *)anchor, strlen((const char *)anchor));
		if (!t->open[t->depth].anchor)
			return tree_nomem(t);
	}
	t->depth++;
	return 0;
}

struct key_ref {
	const char *s;
	size_t i;
};

static int key_cmp(const void *a, const void *b)
{
	const struct key_ref *x = a, *y = b;
	int c = strcmp(x->s, y->s);

	if (c)
		return c;
	return x->i < y->i ? -1 : x->i > y->i;
}

/* Keys are strings and each appears once; the error names the second one. */
static int tree_check_keys(struct tree *t, const struct node *map)
{
	size_t n = map->n / 2, dup = NONE;
	struct key_ref *keys;
	int r = 0;

	for (size_t i = 0; i < n; i++) {
		const struct node *k = resolve(t->nodes, map->kids[2 * i]);

		if (k->type != N_SCALAR)
			return tree_fail(t, PDV_E_PARSE, t->nodes[map->kids[2 * i]].pos,
			                 "a map key must be a string, not a %s",
			                 k->type == N_MAP ? "map" : "list");
	}
	if (n < 2)
		return 0;
	keys = calloc(n, sizeof(*keys));
	if (!keys)
		return tree_nomem(t);
	for (size_t i = 0; i < n; i++) {
		keys[i].s = resolve(t->nodes, map->kids[2 * i])->s;
		keys[i].i = i;
	}
	qsort(keys, n, sizeof(*keys), key_cmp);
	for (size_t i = 1; i < n; i++)
		if (strcmp(keys[i - 1].s, keys[i].s) == 0 && (dup == NONE || keys[i].i < dup))
			dup = keys[i].i;
	if (dup != NONE) {
		const struct node *k = resolve(t->nodes, map->kids[2 * dup]);
		char path[PDV_ERROR_FIELD_MAX];
		size_t len;

		r = tree_fail(t, PDV_E_PARSE, t->nodes[map->kids[2 * dup]].pos,
		              "duplicate key '%.*s'", PDV_UTF8_CUT(k->s, KEY_SHOWN));
		/* the field is the map's own path plus the key */
		pdv_strlcpy(path, t->err ? t->err->field : "", sizeof(path));
		len = strlen(path);
		path_append_key(path, sizeof(path), &len, k->s);
		pdv_error_field(t->err, path);
	}
	free(keys);
	return r;
}

static int tree_end(struct tree *t)
{
	struct open_coll *o = &t->open[t->depth - 1];
	size_t idx = o->node, n = t->n_pending - o->base;
	uint32_t *kids = NULL;
	struct node *node;
	unsigned height = 0;
	uint32_t size = 1;
	int r;

	if (n) {
		kids = pdv_arena_calloc(t->tmp, n, sizeof(*kids));
		if (!kids)
			return tree_nomem(t);
		memcpy(kids, t->pending + o->base, n * sizeof(*kids));
	}
	for (size_t i = 0; i < n; i++) {
		const struct node *k = &t->nodes[kids[i]];

		size = size_add(size, k->size);
		if (k->height > height)
			height = k->height;
	}
	node = &t->nodes[idx];
	node->kids = kids;
	node->n = n;
	node->size = size;
	node->height = (uint8_t)(height + 1);
	if (node->type == N_MAP) {
		/* report a duplicate with the map's path, as if the map were the
		 * node being built */
		t->n_pending = o->base;
		t->depth--;
		r = tree_check_keys(t, node);
		if (r < 0)
			return r;
	} else {
		t->n_pending = o->base;
		t->depth--;
	}
	r = tree_anchor(t, o->anchor, idx);
	if (r < 0)
		return r;
	return tree_push(t, idx);
}

static int tree_alias(struct tree *t, const yaml_event_t *ev)
{
	struct pdv_pos pos = mark_pos(&ev->start_mark);
	const char *name = (const char *)ev->data.alias.anchor;
	size_t target = NONE, idx;
	int r;

	if (++t->n_aliases > PDV_DECL_MAX_ALIASES)
		return tree_fail(t, PDV_E_LIMIT, pos, "more than %d aliases", PDV_DECL_MAX_ALIASES);
	/* the latest definition of a name wins, as YAML says */
	for (size_t i = t->n_anchors; i-- > 0;)
		if (strcmp(t->anchors[i].name, name) == 0) {
			target = t->anchors[i].node;
			break;
		}
	if (target == NONE)
		return tree_fail(t, PDV_E_PARSE, pos,
		                 "alias '*%.*s' refers to no anchor defined before it",
		                 PDV_UTF8_CUT(name, KEY_SHOWN));
	if (t->depth + t->nodes[target].height > PDV_DECL_MAX_DEPTH)
		return tree_fail(t, PDV_E_LIMIT, pos,
		                 "alias '*%.*s' nests maps and lists deeper than %d levels",
		                 PDV_UTF8_CUT(name, KEY_SHOWN), PDV_DECL_MAX_DEPTH);
	r = tree_count(t, t->nodes[target].size, pos);
	if (r < 0)
		return r;
	r = tree_new_node(t, N_ALIAS, pos, &idx);
	if (r < 0)
		return r;
	t->nodes[idx].target = (uint32_t)target;
	t->nodes[idx].size = t->nodes[target].size;
	t->nodes[idx].height = t->nodes[target].height;
	return tree_push(t, idx);
}

static int tree_syntax_error(struct tree *t, const yaml_parser_t *p)
{
	struct pdv_pos pos = mark_pos(&p->problem_mark);
	const char *problem = p->problem ? p->problem : "unreadable yaml";
	size_t off;

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		return tree_nomem(t);
	case YAML_READER_ERROR:
		/* the scan should have caught it; the offset is in bytes */
		scan_text(t->data, t->len, p->problem_offset, &pos, NULL);
		return tree_fail(t, PDV_E_PARSE, pos, "unreadable text: %s", problem);
	default:
		break;
	}
	off = mark_offset(t->data, t->len, &p->problem_mark);
	if (off < t->len && t->data[off] == '\t')
		return tree_fail(t, PDV_E_PARSE, pos,
		                 "tab character where yaml expects indentation or a value "
		                 "(indent with spaces)");
	if (p->context)
		return tree_fail(t, PDV_E_PARSE, pos,
		                 "yaml syntax error: %s (%s started at %zu:%zu)", problem,
		                 p->context, (size_t)p->context_mark.line + 1,
		                 (size_t)p->context_mark.column + 1);
	return tree_fail(t, PDV_E_PARSE, pos, "yaml syntax error: %s", problem);
}

/* Build the tree of the single document in t->data. */
static int tree_build(struct tree *t)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	unsigned docs = 0;
	bool done = false, have_root = false;
	int r = 0;

	if (!yaml_parser_initialize(&parser))
		return tree_nomem(t);
	yaml_parser_set_input_string(&parser, (const unsigned char *)t->data, t->len);
	while (!done && r == 0) {
		if (!yaml_parser_parse(&parser, &ev)) {
			r = tree_syntax_error(t, &parser);
			break;
		}
		switch (ev.type) {
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1)
				r = tree_fail(
				    t, PDV_E_PARSE, mark_pos(&ev.start_mark),
				    "a second yaml document: a declaration is one document");
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_SCALAR_EVENT:
			r = tree_scalar(t, &ev);
			have_root = true;
			break;
		case YAML_SEQUENCE_START_EVENT:
			r = tree_start(t, &ev, N_SEQ);
			have_root = true;
			break;
		case YAML_MAPPING_START_EVENT:
			r = tree_start(t, &ev, N_MAP);
			have_root = true;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			r = tree_end(t);
			break;
		case YAML_ALIAS_EVENT:
			r = tree_alias(t, &ev);
			have_root = true;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	if (r == 0 && !have_root) {
		struct pdv_pos one = {1, 1};

		r = tree_fail(t, PDV_E_PARSE, one,
		              "empty file: a declaration starts with 'pdvault: 1'");
	}
	yaml_parser_delete(&parser);
	return r;
}

/* ---- pass 3: convert the tree ----------------------------------------- */

struct conv {
	const struct node *nodes;
	struct pdv_arena *arena;
	const char *file;
	struct pdv_error *err;
	char path[256];
	size_t plen;
	struct pdv_scalar_ref *refs;
	size_t n_refs, cap_refs;
};

typedef int (*conv_fn)(struct conv *c, size_t node, void *dst);

struct field {
	const char *key;
	conv_fn fn;
	size_t off; /* where fn writes, from the start of the struct */
};

struct shape {
	const char *expected; /* the keys, for the unknown-key message */
	const struct field *fields;
	size_t n_fields;
	size_t present_off; /* bool present, or NONE */
	size_t pos_off;     /* struct pdv_pos pos, or NONE */
};

#define FIELD(type, key, fn)                                                                       \
	{                                                                                          \
#key, fn, offsetof(type, key)                                                      \
	}
static size_t path_push_key(struct conv *c, const char *key)
{
	size_t old = c->plen;

	path_append_key(c->path, sizeof(c->path), &c->plen, key);
	return old;
}

static size_t path_push_index(struct conv *c, size_t i)
{
	size_t old = c->plen;

	path_append(c->path, sizeof(c->path), &c->plen, "[%zu]", i);
	return old;
}

static void path_pop(struct conv *c, size_t old)
{
	c->plen = old;
	c->path[old] = '\0';
}

/* the last segment of the path: "required", "activities[2]" */
static const char *path_last(const struct conv *c)
{
	const char *dot = strrchr(c->path, '.');

	return dot ? dot + 1 : c->path;
}

static int conv_fail(struct conv *c, int rc, struct pdv_pos pos, const char *fmt, ...)
    PDV_PRINTF(4, 5);

static int conv_fail(struct conv *c, int rc, struct pdv_pos pos, const char *fmt, ...)
{
	char msg[PDV_ERROR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	pdv_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pdv_error_set_at(c->err, rc, c->file, pos, "%s", msg);
	pdv_error_field(c->err, c->path);
	return rc;
}

static int conv_nomem(struct conv *c)
{
	return pdv_error_set(c->err, PDV_E_NOMEM, "out of memory loading the declaration");
}

static const char *found(const struct node *n)
{
	if (is_null_scalar(n))
		return "nothing";
	switch (n->type) {
	case N_MAP:
		return "a map";
	case N_SEQ:
		return "a list";
	default:
		return "a string";
	}
}

static int conv_type_error(struct conv *c, const struct node *n, const char *what)
{
	return conv_fail(c, PDV_E_PARSE, n->pos, "'%s' must be %s (found %s)", path_last(c), what,
	                 found(n));
}

static int conv_ref(struct conv *c, const char *s, struct pdv_pos pos)
{
	struct pdv_scalar_ref *r;
	char *key;

	if (grow((void **)&c->refs, &c->cap_refs, c->n_refs + 1, sizeof(*c->refs)) < 0)
		return conv_nomem(c);
	key = pdv_arena_strndup(c->arena, c->path, c->plen);
	if (!key)
		return conv_nomem(c);
	r = &c->refs[c->n_refs++];
	r->s = s;
	r->pos = pos;
	r->key = key;
	return 0;
}

/* a non-null scalar into a struct pdv_str, recorded in decl->scalars */
static int conv_scalar(struct conv *c, const struct node *n, struct pdv_str *dst)
{
	dst->s = n->s;
	dst->pos = n->pos;
	return conv_ref(c, n->s, n->pos);
}

static int conv_str(struct conv *c, size_t idx, void *dst)
{
	const struct node *n = resolve(c->nodes, idx);

	if (is_null_scalar(n))
		return 0;
	if (n->type != N_SCALAR)
		return conv_type_error(c, n, "a string");
	return conv_scalar(c, n, dst);
}

/* the YAML 1.1 spellings people still write for booleans */
static bool yaml11_bool(const char *s)
{
	static const char *const words[] = {"y",  "Y",  "yes", "Yes", "YES", "n",   "N",   "no",
	                                    "No", "NO", "on",  "On",  "ON",  "off", "Off", "OFF"};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(s, words[i]) == 0)
			return true;
	return false;
}

static int conv_bool(struct conv *c, size_t idx, void *dst)
{
	const struct node *n = resolve(c->nodes, idx);
	struct pdv_bool *b = dst;

	if (is_null_scalar(n))
		return 0;
	if (n->type == N_SCALAR && n->plain) {
		if (!strcmp(n->s, "true") || !strcmp(n->s, "True") || !strcmp(n->s, "TRUE"))
			b->v = true;
		else if (!strcmp(n->s, "false") || !strcmp(n->s, "False") || !strcmp(n->s, "FALSE"))
			b->v = false;
		else
			goto bad;
		b->present = true;
		b->pos = n->pos;
		return 0;
	}
bad:
	if (n->type == N_SCALAR && !n->plain)
		return conv_fail(c, PDV_E_PARSE, n->pos,
		                 "'%s' must be true or false, without quotes", path_last(c));
	if (n->type == N_SCALAR && yaml11_bool(n->s))
		return conv_fail(c, PDV_E_PARSE, n->pos,
		                 "'%s' must be true or false (yes, no, on, off are not accepted)",
		                 path_last(c));
	if (n->type == N_SCALAR)
		return conv_fail(c, PDV_E_PARSE, n->pos, "'%s' must be true or false",
		                 path_last(c));
	return conv_type_error(c, n, "true or false");
}

/* ^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$ */
static bool lang_code(const char *s)
{
	size_t i = 0, j;

	while (s[i] >= 'a' && s[i] <= 'z')
		i++;
	if (i < 2 || i > 3)
		return false;
	if (s[i] == '\0')
		return true;
	if (s[i] != '-')
		return false;
	for (j = ++i; s[j]; j++)
		if (!((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z') ||
		      (s[j] >= '0' && s[j] <= '9')))
			return false;
	return j - i >= 2 && j - i <= 8;
}

static int conv_text(struct conv *c, size_t idx, void *dst)
{
	const struct node *n = resolve(c->nodes, idx);
	struct pdv_text *t = dst;
	size_t k = 0;

	if (is_null_scalar(n))
		return 0;
	if (n->type == N_SCALAR) {
		t->present = true;
		t->pos = n->pos;
		t->any = n->s;
		return conv_ref(c, n->s, n->pos);
	}
	if (n->type != N_MAP)
		return conv_type_error(c, n, "a string or a map of languages {en: ..., fr: ...}");
	t->present = true;
	t->pos = n->pos;
	t->langs = pdv_arena_calloc(c->arena, n->n / 2, sizeof(*t->langs));
	if (!t->langs)
		return conv_nomem(c);
	for (size_t i = 0; i < n->n / 2; i++) {
		const struct node *key = resolve(c->nodes, n->kids[2 * i]);
		const struct node *v = resolve(c->nodes, n->kids[2 * i + 1]);
		size_t old = path_push_key(c, key->s);
		int r = 0;

		if (!lang_code(key->s))
			r = conv_fail(c, PDV_E_PARSE, c->nodes[n->kids[2 * i]].pos,
			              "'%.*s' is not a language code (write en, fr, pt-BR...)",
			              PDV_UTF8_CUT(key->s, KEY_SHOWN));
		else if (!is_null_scalar(v) && v->type != N_SCALAR)
			r = conv_type_error(c, v, "a string");
		else if (!is_null_scalar(v)) {
			/* a null entry is a language not given */
			t->langs[k].lang = key->s;
			t->langs[k].text = v->s;
			t->langs[k].pos = v->pos;
			k++;
			r = conv_ref(c, v->s, v->pos);
		}
		path_pop(c, old);
		if (r < 0)
			return r;
	}
	t->n_lang = k;
	return 0;
}

static int conv_strlist(struct conv *c, size_t idx, void *dst)
{
	const struct node *n = resolve(c->nodes, idx);
	struct pdv_strlist *l = dst;

	if (is_null_scalar(n))
		return 0;
	if (n->type != N_SEQ)
		return conv_type_error(c, n, "a list, e.g. [a, b]");
	l->present = true;
	l->pos = n->pos;
	l->v = pdv_arena_calloc(c->arena, n->n, sizeof(*l->v));
	if (n->n && !l->v)
		return conv_nomem(c);
	for (size_t i = 0; i < n->n; i++) {
		const struct node *e = resolve(c->nodes, n->kids[i]);
		size_t old = path_push_index(c, i);
		int r;

		if (e->type != N_SCALAR || is_null_scalar(e))
			r = conv_type_error(c, e, "a string");
		else
			r = conv_scalar(c, e, &l->v[i]);
		path_pop(c, old);
		if (r < 0)
			return r;
	}
	l->n = n->n;
	return 0;
}

static int conv_textlist(struct conv *c, size_t idx, void *dst)
{
	const struct node *n = resolve(c->nodes, idx);
	struct pdv_textlist *l = dst;

	if (is_null_scalar(n))
		return 0;
	if (n->type != N_SEQ)
		return conv_type_error(c, n, "a list");
	l->present = true;
	l->pos = n->pos;
	l->v = pdv_arena_calloc(c->arena, n->n, sizeof(*l->v));
	if (n->n && !l->v)
		return conv_nomem(c);
	for (size_t i = 0; i < n->n; i++) {
		const struct node *e = resolve(c->nodes, n->kids[i]);
		size_t old = path_push_index(c, i);
		int r;

		if (is_null_scalar(e))
			r = conv_type_error(c, e, "a string or a map of languages");
		else
			r = conv_text(c, n->kids[i], &l->v[i]);
		path_pop(c, old);
		if (r < 0)
			return r;
	}
	l->n = n->n;
	return 0;
}

static const struct field *shape_field(const struct shape *s, const char *key)
{
	for (size_t i = 0; i < s->n_fields; i++)
		if (strcmp(s->fields[i].key, key) == 0)
			return &s->fields[i];
	return NULL;
}

/* A map into the struct at base, key by key in document order. */
static int conv_object(struct conv *c, const struct node *n, const struct shape *s,
                       unsigned char *base)
{
	if (n->type != N_MAP)
		return conv_type_error(c, n, "a map");
	if (s->present_off != NONE)
		*(bool *)(base + s->present_off) = true;
	if (s->pos_off != NONE)
		*(struct pdv_pos *)(base + s->pos_off) = n->pos;
	for (size_t i = 0; i < n->n / 2; i++) {
		const struct node *key = resolve(c->nodes, n->kids[2 * i]);
		const struct field *f = shape_field(s, key->s);
		const char *where = c->plen ? c->path : NULL;
		size_t old;
		int r;

		if (!f) {
			char place[sizeof(c->path) + 4];

			if (where)
				snprintf(place, sizeof(place), "in %s", where);
			else
				pdv_strlcpy(place, "at the top level", sizeof(place));
			old = path_push_key(c, key->s);
			if (strcmp(key->s, "<<") == 0)
				r = conv_fail(
				    c, PDV_E_PARSE, c->nodes[n->kids[2 * i]].pos,
				    "merge keys ('<<') are not supported: write the keys out");
			else
				r = conv_fail(c, PDV_E_PARSE, c->nodes[n->kids[2 * i]].pos,
				              "unknown key '%.*s' %s (expected one of: %s)",
				              PDV_UTF8_CUT(key->s, KEY_SHOWN), place, s->expected);
			path_pop(c, old);
			return r;
		}
		old = path_push_key(c, key->s);
		r = f->fn(c, n->kids[2 * i + 1], base + f->off);
		path_pop(c, old);
		if (r < 0)
			return r;
	}
	return 0;
}

/* an optional map: null is absent */
static int conv_opt_object(struct conv *c, size_t idx, const struct shape *s, void *dst)
{
	const struct node *n = resolve(c->nodes, idx);

	if (is_null_scalar(n))
		return 0;
	return conv_object(c, n, s, dst);
}

/* A list of maps: an array of elem_size structs, each with its pos. */
static int conv_objlist(struct conv *c, size_t idx, const struct shape *s, size_t elem_size,
                        void **ret_v, size_t *ret_n, struct pdv_pos *ret_pos, bool *ret_present)
{
	const struct node *n = resolve(c->nodes, idx);
	unsigned char *v;

	if (is_null_scalar(n))
		return 0;
	if (n->type != N_SEQ)
		return conv_type_error(c, n, "a list");
	v = pdv_arena_calloc(c->arena, n->n, elem_size);
	if (!v)
		return conv_nomem(c);
	for (size_t i = 0; i < n->n; i++) {
		size_t old = path_push_index(c, i);
		int r = conv_object(c, resolve(c->nodes, n->kids[i]), s, v + i * elem_size);

		path_pop(c, old);
		if (r < 0)
			return r;
	}
	*ret_v = v;
	*ret_n = n->n;
	*ret_pos = n->pos;
	if (ret_present)
		*ret_present = true;
	return 0;
}

/* ---- the shapes, innermost first -------------------------------------- */

#define OBJ_SHAPE(fields, expected, type)                                                          \
	{                                                                                          \
		expected, fields, sizeof(fields) / sizeof(fields[0]), offsetof(type, present),     \
		    offsetof(type, pos)                                                            \
	}
#define ELEM_SHAPE(fields, expected, type)                                                         \
	{                                                                                          \
		expected, fields, sizeof(fields) / sizeof(fields[0]), NONE, offsetof(type, pos)    \
	}
#define OBJ_CONV(name, shape)                                                                      \
	static int name(struct conv *c, size_t idx, void *dst)                                     \
	{                                                                                          \
		return conv_opt_object(c, idx, &shape, dst);                                       \
	}

static const struct field contact_fields[] = {
    FIELD(struct pdv_contact, name, conv_str),
    FIELD(struct pdv_contact, email, conv_str),
    FIELD(struct pdv_contact, address, conv_str),
    FIELD(struct pdv_contact, phone, conv_str),
};
static const struct shape contact_shape =
    OBJ_SHAPE(contact_fields, "name, email, address, phone", struct pdv_contact);
OBJ_CONV(conv_contact, contact_shape)

static const struct field authority_fields[] = {
    FIELD(struct pdv_authority, name, conv_text),
    FIELD(struct pdv_authority, address, conv_str),
    FIELD(struct pdv_authority, url, conv_str),
};
static const struct shape authority_shape =
    OBJ_SHAPE(authority_fields, "name, address, url", struct pdv_authority);

/* authority: a built-in id, or {name, address, url} */
static int conv_authority(struct conv *c, size_t idx, void *dst)
{
	const struct node *n = resolve(c->nodes, idx);
	struct pdv_authority *a = dst;

	if (is_null_scalar(n))
		return 0;
	if (n->type == N_SCALAR) {
		a->present = true;
		a->pos = n->pos;
		return conv_scalar(c, n, &a->id);
	}
	if (n->type != N_MAP)
		return conv_type_error(c, n,
		                       "an authority id (e.g. cnil) or a map {name, address, url}");
	return conv_object(c, n, &authority_shape, dst);
}

/*
 * controller.logo: a file path, never a URL. The privacy center shows it
 * from its own origin (GET /v1/logo, read when `serve` starts), so a
 * person's visit is told to no third-party host, and the pages' CSP stays
 * 'self'. PNG, JPEG or WebP: an SVG may carry scripts.
 */
static int conv_logo(struct conv *c, size_t idx, void *dst)
{
	const struct node *n = resolve(c->nodes, idx);
	const char *dot;
	size_t len;

	if (is_null_scalar(n))
		return 0;
	if (n->type != N_SCALAR)
		return conv_type_error(c, n, "a file path");
	len = strlen(n->s);
	if (strstr(n->s, "://"))
		return conv_fail(c, PDV_E_INVAL, n->pos,
		                 "controller.logo is a file beside the declaration (e.g. "
		                 "logo.png), not a URL: the privacy center serves it itself, so "
		                 "no other host learns who visits");
	dot = strrchr(n->s, '.');
	if (len == 0 || len > 255 || !dot ||
	    (strcasecmp(dot, ".png") != 0 && strcasecmp(dot, ".jpg") != 0 &&
	     strcasecmp(dot, ".jpeg") != 0 && strcasecmp(dot, ".webp") != 0))
		return conv_fail(c, PDV_E_INVAL, n->pos,
		                 "controller.logo must name a .png, .jpg or .webp file "
		                 "(an SVG may carry scripts)");
	return conv_scalar(c, n, dst);
}

static const struct field controller_fields[] = {
    FIELD(struct pdv_controller, name, conv_str),
    FIELD(struct pdv_controller, legal_form, conv_str),
    FIELD(struct pdv_controller, registration, conv_str),
    FIELD(struct pdv_controller, address, conv_str),
    FIELD(struct pdv_controller, email, conv_str),
    FIELD(struct pdv_controller, phone, conv_str),
    FIELD(struct pdv_controller, country, conv_str),
    FIELD(struct pdv_controller, dpo, conv_contact),
    FIELD(struct pdv_controller, representative, conv_contact),
    FIELD(struct pdv_controller, authority, conv_authority),
    FIELD(struct pdv_controller, financial_year_end, conv_str),
    FIELD(struct pdv_controller, languages, conv_strlist),
    FIELD(struct pdv_controller, logo, conv_logo),
};
static const struct shape controller_shape =
    OBJ_SHAPE(controller_fields,
              "name, legal_form, registration, address, email, phone, country, dpo, "
              "representative, authority, financial_year_end, languages, logo",
              struct pdv_controller);
OBJ_CONV(conv_controller, controller_shape)

static const struct field id_document_fields[] = {
    FIELD(struct pdv_id_document, ask, conv_str),
    FIELD(struct pdv_id_document, retention, conv_str),
};
static const struct shape id_document_shape =
    OBJ_SHAPE(id_document_fields, "ask, retention", struct pdv_id_document);
OBJ_CONV(conv_id_document, id_document_shape)

static const struct field right_way_fields[] = {
    FIELD(struct pdv_right_way, channels, conv_strlist),
    FIELD(struct pdv_right_way, email, conv_str),
    FIELD(struct pdv_right_way, address, conv_str),
    FIELD(struct pdv_right_way, phone, conv_str),
    FIELD(struct pdv_right_way, url, conv_str),
};
static const struct shape right_way_shape =
    OBJ_SHAPE(right_way_fields, "channels, email, address, phone, url", struct pdv_right_way);
OBJ_CONV(conv_right_way, right_way_shape)

static const struct field right_limit_fields[] = {
    FIELD(struct pdv_right_limit, right, conv_str),
    FIELD(struct pdv_right_limit, holders, conv_strlist),
    FIELD(struct pdv_right_limit, bases, conv_strlist),
    FIELD(struct pdv_right_limit, activities, conv_strlist),
    FIELD(struct pdv_right_limit, cases, conv_text),
};
static const struct shape right_limit_shape = ELEM_SHAPE(
    right_limit_fields, "right, holders, bases, activities, cases", struct pdv_right_limit);

static int conv_right_limits(struct conv *c, size_t idx, void *dst)
{
	struct pdv_rights *r = dst;

	return conv_objlist(c, idx, &right_limit_shape, sizeof(*r->limits), (void **)&r->limits,
	                    &r->n_limits, &r->limits_pos, NULL);
}

static const struct field rights_fields[] = {
    FIELD(struct pdv_rights, channels, conv_strlist),
    FIELD(struct pdv_rights, response, conv_str),
    FIELD(struct pdv_rights, extension, conv_str),
    FIELD(struct pdv_rights, id_document, conv_id_document),
    FIELD(struct pdv_rights, suppression, conv_str),
    FIELD(struct pdv_rights, exclude, conv_strlist),
    FIELD(struct pdv_rights, withdraw, conv_right_way),
    FIELD(struct pdv_rights, object, conv_right_way),
    {"limits", conv_right_limits, 0},
};
static const struct shape rights_shape =
    OBJ_SHAPE(rights_fields,
              "channels, response, extension, id_document, suppression, exclude, withdraw, "
              "object, limits",
              struct pdv_rights);
OBJ_CONV(conv_rights, rights_shape)

static const struct field role_fields[] = {
    FIELD(struct pdv_role, id, conv_str),
    FIELD(struct pdv_role, name, conv_text),
};
static const struct shape role_shape = ELEM_SHAPE(role_fields, "id, name", struct pdv_role);

static const struct field recipient_fields[] = {
    FIELD(struct pdv_recipient, id, conv_str),
    FIELD(struct pdv_recipient, name, conv_text),
    FIELD(struct pdv_recipient, role, conv_str),
    FIELD(struct pdv_recipient, service, conv_text),
    FIELD(struct pdv_recipient, country, conv_str),
    FIELD(struct pdv_recipient, countries, conv_strlist),
    FIELD(struct pdv_recipient, safeguard, conv_str),
    FIELD(struct pdv_recipient, tia, conv_bool),
    FIELD(struct pdv_recipient, contract, conv_bool),
    FIELD(struct pdv_recipient, retention, conv_str),
    FIELD(struct pdv_recipient, webhook, conv_str),
    FIELD(struct pdv_recipient, notify_email, conv_str),
};
static const struct shape recipient_shape =
    ELEM_SHAPE(recipient_fields,
               "id, name, role, service, country, countries, safeguard, tia, contract, "
               "retention, webhook, notify_email",
               struct pdv_recipient);

static const struct field dpia_fields[] = {
    FIELD(struct pdv_dpia, done, conv_bool),
    FIELD(struct pdv_dpia, ref, conv_str),
};
static const struct shape dpia_shape = OBJ_SHAPE(dpia_fields, "done, ref", struct pdv_dpia);
OBJ_CONV(conv_dpia, dpia_shape)

/* basis: one basis as a scalar loads as a list of one */
static int conv_basis(struct conv *c, size_t idx, void *dst)
{
	const struct node *n = resolve(c->nodes, idx);
	struct pdv_strlist *l = dst;

	if (is_null_scalar(n))
		return 0;
	if (n->type == N_SCALAR) {
		l->v = pdv_arena_calloc(c->arena, 1, sizeof(*l->v));
		if (!l->v)
			return conv_nomem(c);
		l->present = true;
		l->pos = n->pos;
		l->n = 1;
		return conv_scalar(c, n, &l->v[0]);
	}
	if (n->type != N_SEQ)
		return conv_type_error(c, n, "a legal basis or a list of them");
	return conv_strlist(c, idx, dst);
}

static const struct field basis_place_fields[] = {
    FIELD(struct pdv_basis_place, basis, conv_str),
    FIELD(struct pdv_basis_place, where, conv_text),
};
static const struct shape basis_place_shape =
    ELEM_SHAPE(basis_place_fields, "basis, where", struct pdv_basis_place);

static int conv_basis_elsewhere(struct conv *c, size_t idx, void *dst)
{
	struct pdv_activity *a = dst;

	return conv_objlist(c, idx, &basis_place_shape, sizeof(*a->basis_elsewhere),
	                    (void **)&a->basis_elsewhere, &a->n_basis_elsewhere,
	                    &a->basis_elsewhere_pos, NULL);
}

static const struct field source_fields[] = {
    {"third-party", conv_text, offsetof(struct pdv_source, third_party)},
    FIELD(struct pdv_source, informed_within, conv_str),
};
static const struct shape source_shape =
    OBJ_SHAPE(source_fields, "third-party, informed_within", struct pdv_source);

/* source: data-subject, or {third-party: TEXT} */
static int conv_source(struct conv *c, size_t idx, void *dst)
{
	const struct node *n = resolve(c->nodes, idx);
	struct pdv_source *s = dst;

	if (is_null_scalar(n))
		return 0;
	if (n->type == N_SCALAR) {
		s->present = true;
		s->pos = n->pos;
		return conv_scalar(c, n, &s->kind);
	}
	if (n->type != N_MAP)
		return conv_type_error(c, n, "data-subject or a map {third-party: ...}");
	return conv_object(c, n, &source_shape, dst);
}

static const struct field field_fields[] = {
    FIELD(struct pdv_field, name, conv_str),
    FIELD(struct pdv_field, category, conv_str),
    FIELD(struct pdv_field, type, conv_str),
    FIELD(struct pdv_field, required, conv_bool),
    FIELD(struct pdv_field, lookup, conv_str),
    FIELD(struct pdv_field, keep_anonymised, conv_bool),
    FIELD(struct pdv_field, max_length, conv_str),
};
static const struct shape field_shape =
    ELEM_SHAPE(field_fields, "name, category, type, required, lookup, keep_anonymised, max_length",
               struct pdv_field);

static int conv_fields(struct conv *c, size_t idx, void *dst)
{
	struct pdv_activity *a = dst;

	return conv_objlist(c, idx, &field_shape, sizeof(*a->fields), (void **)&a->fields,
	                    &a->n_fields, &a->fields_pos, &a->fields_present);
}

static const struct field consent_fields[] = {
    FIELD(struct pdv_consent_decl, version, conv_str),
    FIELD(struct pdv_consent_decl, text, conv_text),
    FIELD(struct pdv_consent_decl, double_opt_in, conv_bool),
    FIELD(struct pdv_consent_decl, pre_ticked, conv_bool),
    FIELD(struct pdv_consent_decl, parental, conv_bool),
};
static const struct shape consent_shape = OBJ_SHAPE(
    consent_fields, "version, text, double_opt_in, pre_ticked, parental", struct pdv_consent_decl);
OBJ_CONV(conv_consent, consent_shape)

static const struct field renew_fields[] = {
    FIELD(struct pdv_renew, wait, conv_str),
    FIELD(struct pdv_renew, silence, conv_str),
};
static const struct shape renew_shape = OBJ_SHAPE(renew_fields, "wait, silence", struct pdv_renew);
OBJ_CONV(conv_renew, renew_shape)

/* the longest `end` the list form is joined into: the list itself, in
 * end_choice, is what the linter checks item by item */
#define END_JOINED_MAX 256

/* retention.end: a word, or a list of them (a choice, LEGAL.md §5), which is
 * also joined with " or " into `end` for the readers of the one string */
static int conv_end(struct conv *c, size_t idx, void *dst)
{
	const struct node *n = resolve(c->nodes, idx);
	struct pdv_retention_decl *rd =
	    (void *)((char *)dst - offsetof(struct pdv_retention_decl, end));
	char joined[END_JOINED_MAX];
	size_t len = 0;
	int r;

	if (is_null_scalar(n) || n->type == N_SCALAR)
		return conv_str(c, idx, dst);
	if (n->type != N_SEQ)
		return conv_type_error(c, n, "delete, anonymise or a list of them");
	if ((r = conv_strlist(c, idx, &rd->end_choice)) < 0)
		return r;
	joined[0] = '\0';
	for (size_t i = 0; i < rd->end_choice.n; i++) {
		int k = snprintf(joined + len, sizeof(joined) - len, "%s%s", i ? " or " : "",
		                 rd->end_choice.v[i].s);

		if (k < 0 || (size_t)k >= sizeof(joined) - len)
			break; /* cut: the linter reads the list */
		len += (size_t)k;
	}
	rd->end.s = pdv_arena_strndup(c->arena, joined, len);
	if (!rd->end.s)
		return conv_nomem(c);
	rd->end.pos = n->pos;
	return 0;
}

static const struct field retention_fields[] = {
    FIELD(struct pdv_retention_decl, active, conv_str),
    FIELD(struct pdv_retention_decl, archive, conv_str),
    FIELD(struct pdv_retention_decl, archive_reason, conv_text),
    FIELD(struct pdv_retention_decl, end, conv_end),
    FIELD(struct pdv_retention_decl, renew, conv_renew),
    FIELD(struct pdv_retention_decl, early, conv_strlist),
    FIELD(struct pdv_retention_decl, condition, conv_text),
};
static const struct shape retention_shape =
    OBJ_SHAPE(retention_fields, "active, archive, archive_reason, end, renew, early, condition",
              struct pdv_retention_decl);

/* retention: a span as a scalar is the active phase */
static int conv_retention(struct conv *c, size_t idx, void *dst)
{
	const struct node *n = resolve(c->nodes, idx);
	struct pdv_retention_decl *r = dst;

	if (is_null_scalar(n))
		return 0;
	if (n->type == N_SCALAR) {
		r->present = true;
		r->pos = n->pos;
		return conv_scalar(c, n, &r->active);
	}
	if (n->type != N_MAP)
		return conv_type_error(c, n, "a retention span or a map {active, archive, end...}");
	return conv_object(c, n, &retention_shape, dst);
}

static const struct field automated_fields[] = {
    FIELD(struct pdv_automated, logic, conv_text),
    FIELD(struct pdv_automated, safeguards, conv_text),
    FIELD(struct pdv_automated, human_review, conv_bool),
    FIELD(struct pdv_automated, significant, conv_bool),
};
static const struct shape automated_shape = OBJ_SHAPE(
    automated_fields, "logic, safeguards, human_review, significant", struct pdv_automated);

/* automated_decision: false, or the details of the decision */
static int conv_automated(struct conv *c, size_t idx, void *dst)
{
	const struct node *n = resolve(c->nodes, idx);
	struct pdv_automated *a = dst;

	if (is_null_scalar(n))
		return 0;
	if (n->type == N_MAP)
		return conv_object(c, n, &automated_shape, dst);
	if (n->type == N_SCALAR && n->plain &&
	    (!strcmp(n->s, "false") || !strcmp(n->s, "False") || !strcmp(n->s, "FALSE"))) {
		a->present = true;
		a->pos = n->pos;
		a->is_false = true;
		return 0;
	}
	if (n->type == N_SCALAR && n->plain &&
	    (!strcmp(n->s, "true") || !strcmp(n->s, "True") || !strcmp(n->s, "TRUE")))
		return conv_fail(c, PDV_E_PARSE, n->pos,
		                 "'automated_decision: true' needs the details: write "
		                 "{logic: ..., safeguards: ...} instead of true");
	return conv_type_error(c, n, "false or a map {logic: ..., safeguards: ...}");
}

static const struct field cctv_fields[] = {
    FIELD(struct pdv_cctv, open_to_public, conv_bool),
};
static const struct shape cctv_shape = OBJ_SHAPE(cctv_fields, "open_to_public", struct pdv_cctv);
OBJ_CONV(conv_cctv, cctv_shape)

static const struct field activity_fields[] = {
    FIELD(struct pdv_activity, id, conv_str),
    FIELD(struct pdv_activity, name, conv_text),
    FIELD(struct pdv_activity, purposes, conv_textlist),
    FIELD(struct pdv_activity, basis, conv_basis),
    FIELD(struct pdv_activity, basis_detail, conv_text),
    {"basis_elsewhere", conv_basis_elsewhere, 0},
    FIELD(struct pdv_activity, balancing_test, conv_bool),
    FIELD(struct pdv_activity, subjects, conv_strlist),
    FIELD(struct pdv_activity, audience, conv_str),
    FIELD(struct pdv_activity, dpia, conv_dpia),
    FIELD(struct pdv_activity, uses, conv_strlist),
    FIELD(struct pdv_activity, source, conv_source),
    {"fields", conv_fields, 0},
    FIELD(struct pdv_activity, consent, conv_consent),
    FIELD(struct pdv_activity, retention, conv_retention),
    FIELD(struct pdv_activity, access, conv_strlist),
    FIELD(struct pdv_activity, archive_access, conv_strlist),
    FIELD(struct pdv_activity, recipients, conv_strlist),
    FIELD(struct pdv_activity, automated_decision, conv_automated),
    FIELD(struct pdv_activity, special_category, conv_str),
    FIELD(struct pdv_activity, large_scale, conv_bool),
    FIELD(struct pdv_activity, profiling, conv_text),
    FIELD(struct pdv_activity, soft_opt_in, conv_bool),
    FIELD(struct pdv_activity, unsubscribe, conv_bool),
    FIELD(struct pdv_activity, sector, conv_str),
    FIELD(struct pdv_activity, cctv, conv_cctv),
    FIELD(struct pdv_activity, note, conv_str),
};
static const struct shape activity_shape =
    ELEM_SHAPE(activity_fields,
               "id, name, purposes, basis, basis_detail, basis_elsewhere, balancing_test, "
               "subjects, audience, "
               "dpia, uses, source, fields, consent, retention, access, archive_access, "
               "recipients, automated_decision, special_category, large_scale, profiling, "
               "soft_opt_in, unsubscribe, sector, cctv, note",
               struct pdv_activity);

static const struct field banner_fields[] = {
    FIELD(struct pdv_banner, reject_button, conv_bool),
    FIELD(struct pdv_banner, blocks_until_accept, conv_bool),
};
static const struct shape banner_shape =
    OBJ_SHAPE(banner_fields, "reject_button, blocks_until_accept", struct pdv_banner);
OBJ_CONV(conv_banner, banner_shape)

static const struct field tracker_fields[] = {
    FIELD(struct pdv_tracker, name, conv_str),
    FIELD(struct pdv_tracker, recipient, conv_str),
    FIELD(struct pdv_tracker, purpose, conv_text),
    FIELD(struct pdv_tracker, lifetime, conv_str),
    FIELD(struct pdv_tracker, consent, conv_str),
    FIELD(struct pdv_tracker, category, conv_str),
    FIELD(struct pdv_tracker, data_lifetime, conv_str),
    FIELD(struct pdv_tracker, renewed_on_visit, conv_bool),
};
static const struct shape tracker_shape =
    ELEM_SHAPE(tracker_fields,
               "name, recipient, purpose, lifetime, consent, category, data_lifetime, "
               "renewed_on_visit",
               struct pdv_tracker);

static int conv_trackers(struct conv *c, size_t idx, void *dst)
{
	struct pdv_cookies *k = dst;

	return conv_objlist(c, idx, &tracker_shape, sizeof(*k->trackers), (void **)&k->trackers,
	                    &k->n_trackers, &k->trackers_pos, NULL);
}

static const struct field cookies_fields[] = {
    FIELD(struct pdv_cookies, consent_lifetime, conv_str),
    FIELD(struct pdv_cookies, refusal_lifetime, conv_str),
    FIELD(struct pdv_cookies, proof_retention, conv_str),
    FIELD(struct pdv_cookies, banner, conv_banner),
    {"trackers", conv_trackers, 0},
};
static const struct shape cookies_shape = OBJ_SHAPE(
    cookies_fields, "consent_lifetime, refusal_lifetime, proof_retention, banner, trackers",
    struct pdv_cookies);
OBJ_CONV(conv_cookies, cookies_shape)

static const struct field transfers_fields[] = {
    FIELD(struct pdv_transfers, outside_eea, conv_bool),
    FIELD(struct pdv_transfers, safeguards_copy, conv_text),
};
static const struct shape transfers_shape =
    OBJ_SHAPE(transfers_fields, "outside_eea, safeguards_copy", struct pdv_transfers);
OBJ_CONV(conv_transfers, transfers_shape)

static int conv_roles(struct conv *c, size_t idx, void *dst)
{
	struct pdv_decl *d = dst;

	return conv_objlist(c, idx, &role_shape, sizeof(*d->roles), (void **)&d->roles, &d->n_roles,
	                    &d->roles_pos, NULL);
}

static int conv_recipients(struct conv *c, size_t idx, void *dst)
{
	struct pdv_decl *d = dst;

	return conv_objlist(c, idx, &recipient_shape, sizeof(*d->recipients),
	                    (void **)&d->recipients, &d->n_recipients, &d->recipients_pos, NULL);
}

static int conv_activities(struct conv *c, size_t idx, void *dst)
{
	struct pdv_decl *d = dst;

	return conv_objlist(c, idx, &activity_shape, sizeof(*d->activities),
	                    (void **)&d->activities, &d->n_activities, &d->activities_pos,
	                    &d->activities_present);
}

static const struct field decl_fields[] = {
    {"pdvault", conv_str, offsetof(struct pdv_decl, version)},
    FIELD(struct pdv_decl, controller, conv_controller),
    FIELD(struct pdv_decl, rights, conv_rights),
    FIELD(struct pdv_decl, security, conv_textlist),
    {"roles", conv_roles, 0},
    {"recipients", conv_recipients, 0},
    {"activities", conv_activities, 0},
    FIELD(struct pdv_decl, cookies, conv_cookies),
    FIELD(struct pdv_decl, transfers, conv_transfers),
};
static const struct shape decl_shape = {
    "pdvault, controller, rights, security, roles, recipients, activities, cookies, transfers",
    decl_fields, sizeof(decl_fields) / sizeof(decl_fields[0]), NONE, NONE};

/* The root: a map that says `pdvault: 1` before anything else is judged. */
static int conv_root(struct conv *c, size_t root, struct pdv_decl *d)
{
	const struct node *n = resolve(c->nodes, root);
	const struct node *version = NULL;
	struct pdv_pos vpos = n->pos;

	if (n->type != N_MAP)
		return conv_fail(c, PDV_E_PARSE, n->pos,
		                 "a declaration is a map of keys starting with 'pdvault: 1' "
		                 "(found %s)",
		                 found(n));
	for (size_t i = 0; i < n->n / 2; i++)
		if (strcmp(resolve(c->nodes, n->kids[2 * i])->s, "pdvault") == 0) {
			version = resolve(c->nodes, n->kids[2 * i + 1]);
			vpos = c->nodes[n->kids[2 * i + 1]].pos;
		}
	if (!version) {
		pdv_strlcpy(c->path, "pdvault", sizeof(c->path));
		return conv_fail(c, PDV_E_PARSE, n->pos,
		                 "missing 'pdvault: 1': is this a pdvault declaration?");
	}
	if (version->type != N_SCALAR || strcmp(version->s, "1") != 0) {
		pdv_strlcpy(c->path, "pdvault", sizeof(c->path));
		return conv_fail(
		    c, PDV_E_PARSE, vpos,
		    "unsupported declaration version: this pdvault reads 'pdvault: 1'");
	}
	return conv_object(c, n, &decl_shape, (unsigned char *)d);
}

/* ---- entry points ----------------------------------------------------- */

int pdv_decl_load_mem(const char *file, const char *data, size_t len, struct pdv_decl **ret,
                      struct pdv_error *err)
{
	struct tree t = {0};
	struct conv c = {0};
	struct pdv_arena *arena = NULL;
	struct pdv_decl *d;
	struct pdv_pos pos = {1, 1};
	const char *bad = NULL;
	int r;

	if (!file)
		file = "<memory>";
	if (!data && len)
		return pdv_error_set(err, PDV_E_INVAL, "no data to load");
	if (len > PDV_DECL_MAX_BYTES)
		return pdv_error_set_at(err, PDV_E_LIMIT, file, pos,
		                        "the declaration is %zu bytes, more than the limit of %zu",
		                        len, PDV_DECL_MAX_BYTES);
	/* a UTF-8 byte order mark is not text: libyaml skips it before counting
	 * columns, and so does the scan */
	if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) {
		data += 3;
		len -= 3;
	}
	if (len == 0)
		return pdv_error_set_at(err, PDV_E_PARSE, file, pos,
		                        "empty file: a declaration starts with 'pdvault: 1'");
	scan_text(data, len, len, &pos, &bad);
	if (bad)
		return pdv_error_set_at(err, PDV_E_PARSE, file, pos,
		                        "%s: a declaration is utf-8 text", bad);

	arena = pdv_arena_new();
	t.tmp = pdv_arena_new();
	if (!arena || !t.tmp) {
		r = pdv_error_set(err, PDV_E_NOMEM, "out of memory loading the declaration");
		goto out;
	}
	t.file = file;
	t.data = data;
	t.len = len;
	t.arena = arena;
	t.err = err;
	r = tree_build(&t);
	if (r < 0)
		goto out;

	d = pdv_arena_alloc(arena, sizeof(*d));
	if (!d) {
		r = pdv_error_set(err, PDV_E_NOMEM, "out of memory loading the declaration");
		goto out;
	}
	d->arena = arena;
	d->file = pdv_arena_strndup(arena, file, strlen(file));
	c.nodes = t.nodes;
	c.arena = arena;
	c.file = file;
	c.err = err;
	if (!d->file) {
		r = conv_nomem(&c);
		goto out;
	}
	r = conv_root(&c, t.root, d);
	if (r < 0)
		goto out;
	if (c.n_refs) {
		d->scalars = pdv_arena_calloc(arena, c.n_refs, sizeof(*d->scalars));
		if (!d->scalars) {
			r = conv_nomem(&c);
			goto out;
		}
		memcpy(d->scalars, c.refs, c.n_refs * sizeof(*d->scalars));
		d->n_scalars = c.n_refs;
	}
	*ret = d;
	arena = NULL; /* now owned by d */
	r = 0;
out:
	free(c.refs);
	free(t.nodes);
	free(t.pending);
	free(t.anchors);
	pdv_arena_free(t.tmp);
	pdv_arena_free(arena);
	return r;
}

/* strerror, lowercased as pdvault's messages are */
static void io_reason(int errnum, char *buf, size_t size)
{
	pdv_strlcpy(buf, strerror(errnum), size);
	if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
		buf[0] = (char)(buf[0] - 'A' + 'a');
}

static int io_error(struct pdv_error *err, const char *path, const char *what, int errnum)
{
	struct pdv_pos none = {0, 0};
	char reason[128];

	io_reason(errnum, reason, sizeof(reason));
	return pdv_error_set_at(err, PDV_E_IO, path, none, "cannot %s '%s': %s", what, path,
	                        reason);
}

int pdv_decl_load_file(const char *path, struct pdv_decl **ret, struct pdv_error *err)
{
	struct pdv_pos pos = {1, 1};
	struct stat st;
	char *data = NULL;
	size_t len = 0, cap;
	FILE *f;
	int r;

	if (!path)
		return pdv_error_set(err, PDV_E_INVAL, "no declaration file given");
	f = fopen(path, "rb");
	if (!f)
		return io_error(err, path, "open", errno);
	if (fstat(fileno(f), &st) < 0) {
		r = io_error(err, path, "read", errno);
		goto out;
	}
	/* refuse a large file before reading it; a pipe is capped while read */
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > PDV_DECL_MAX_BYTES) {
		r = pdv_error_set_at(err, PDV_E_LIMIT, path, pos,
		                     "the declaration is %jd bytes, more than the limit of %zu",
		                     (intmax_t)st.st_size, PDV_DECL_MAX_BYTES);
		goto out;
	}
	cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 64 * 1024;
	for (;;) {
		size_t got;

		if (len == cap) {
			char *nd;

			if (cap > PDV_DECL_MAX_BYTES) {
				r = pdv_error_set_at(
				    err, PDV_E_LIMIT, path, pos,
				    "the declaration is more than the limit of %zu bytes",
				    PDV_DECL_MAX_BYTES);
				goto out;
			}
			cap = cap * 2 > PDV_DECL_MAX_BYTES + 1 ? PDV_DECL_MAX_BYTES + 1 : cap * 2;
			nd = realloc(data, cap);
			if (!nd) {
				r = pdv_error_set(err, PDV_E_NOMEM, "out of memory reading '%s'",
				                  path);
				goto out;
			}
			data = nd;
		}
		if (!data) {
			data = malloc(cap);
			if (!data) {
				r = pdv_error_set(err, PDV_E_NOMEM, "out of memory reading '%s'",
				                  path);
				goto out;
			}
		}
		got = fread(data + len, 1, cap - len, f);
		len += got;
		if (got == 0) {
			if (ferror(f)) {
				r = io_error(err, path, "read", errno ? errno : EIO);
				goto out;
			}
			break;
		}
	}
	r = pdv_decl_load_mem(path, data ? data : "", len, ret, err);
out:
	free(data);
	fclose(f);
	return r;
}
