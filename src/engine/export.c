/*
 * export.c — the export document of a subject (Art. 15 copy, Art. 20
 * portable extract) as the CLI and the server hand it out: the records read
 * through pdv_export (audited), their values copied into sodium memory,
 * rendered, then wiped. The document is in the language asked, else the
 * person's own, else the controller's first.
 */
#include <stdlib.h>
#include <string.h>

#include "engine-internal.h"
#include "pdv/render.h"

struct collected {
	struct pdv_export_record *recs;
	size_t n, cap;
};

static char *dup_secure(const char *s, size_t n)
{
	char *p = pdv_secure_alloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static int keep(void *ctx, const struct pdv_shown_record *r)
{
	struct collected *c = ctx;
	struct pdv_export_record *e;
	struct pdv_export_field *f;

	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 8;
		struct pdv_export_record *p = realloc(c->recs, cap * sizeof(*p));

		if (!p)
			return PDV_E_NOMEM;
		c->recs = p;
		c->cap = cap;
	}
	e = &c->recs[c->n];
	memset(e, 0, sizeof(*e));
	if (!(f = calloc(r->n_fields ? r->n_fields : 1, sizeof(*f))))
		return PDV_E_NOMEM;
	e->fields = f;
	c->n++;
	e->record = strdup(r->record);
	e->activity = strdup(r->activity);
	e->phase = strdup(r->phase);
	e->collected_at = r->collected_at;
	e->has_next = r->has_next;
	e->next_phase = r->has_next ? r->next_phase : NULL; /* static strings */
	e->next_at = r->next_at;
	for (size_t i = 0; i < r->n_fields; i++) {
		f[i].name = strdup(r->fields[i].name);
		f[i].value = dup_secure(r->fields[i].value, r->fields[i].len);
		f[i].len = r->fields[i].len;
		e->n_fields++;
		if (!f[i].name || !f[i].value)
			return PDV_E_NOMEM;
	}
	return e->record && e->activity && e->phase ? 0 : PDV_E_NOMEM;
}

static void release(struct collected *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct pdv_export_record *e = &c->recs[i];

		for (size_t k = 0; k < e->n_fields; k++) {
			free((char *)e->fields[k].name);
			pdv_secure_free((char *)e->fields[k].value);
		}
		free((void *)e->fields);
		free((char *)e->record);
		free((char *)e->activity);
		free((char *)e->phase);
	}
	free(c->recs);
}

int pdv_export_document(struct pdv_session *s, const char *subject, enum pdv_format fmt,
                        bool portable, const char *lang, struct pdv_buf *out, struct pdv_error *err)
{
	struct collected c = {0};
	char canon[PDV_ID_MAX], shown[PDV_ID_MAX], own[3] = "";
	int rc;

	/* not asked: the person's own language (subjects.lang, given with their
	 * submissions), else the controller's first */
	if (!lang) {
		struct pdv_subject_row row;

		if (pdv_vault_subject_find(s, subject, &row, NULL) == 0 && row.lang &&
		    pdv_render_lang_supported(row.lang))
			pdv_strlcpy(own, row.lang, sizeof(own));
		lang = own[0] ? own : pdv_render_default_lang(s->vault->decl);
	}
	pdv_buf_set_secret(out); /* the document holds every value of the person */
	if ((rc = pdv_export(s, subject, portable, keep, &c, err)) == 0)
		rc = pdv_render_export(
		    s->vault->decl, lang, fmt,
		    pdv_id_shown(s->vault, pdv_id_canon(s, 's', subject, canon), shown), portable,
		    c.recs, c.n, out, err);
	release(&c);
	return rc;
}
