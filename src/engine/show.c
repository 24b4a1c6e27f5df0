/*
 * show.c — reading: find a subject by a lookup value, show a subject's
 * records decrypted. Every read writes an audit entry (committed with the
 * read), naming the subject, the record, the activity and its purpose.
 *
 * Decrypted values live in sodium memory for the time of the callback.
 */
#include <stdlib.h>
#include <string.h>

#include "pdv/retention.h"
#include "engine/engine-internal.h"

int pdv_find(struct pdv_vault *v, const char *kind, const char *value,
	     char ret_subject[PDV_ID_MAX], struct pdv_error *err)
{
	char norm[320];
	uint8_t hash[PDV_HASH_LEN];
	struct pdv_subject_row row;
	int64_t id = 0;
	int rc;

	ret_subject[0] = '\0';
	if (strcmp(kind, "email") == 0)
		rc = pdv_normalise_email(value, strlen(value), norm, sizeof(norm));
	else
		rc = pdv_normalise_phone(value, strlen(value), v->decl->controller.country.s, norm,
					 sizeof(norm));
	if (rc < 0) {
		pdv_error_set(err, PDV_E_INVAL, "not %s", strcmp(kind, "email") == 0
								 ? "an email address"
								 : "a phone number");
		pdv_error_field(err, kind);
		return PDV_E_INVAL;
	}
	{
		const void *parts[2] = {kind, norm};
		size_t lens[2] = {strlen(kind), strlen(norm)};

		pdv_mac(v->index_key, 2, parts, lens, hash);
	}
	pdv_wipe(norm, sizeof(norm));
	if ((rc = pdv_vault_tx_begin(v, err)) < 0)
		return rc;
	rc = v->ops->lookup_get(v->store, hash, &id, err);
	if (rc == 0 && (rc = v->ops->subject_get(v->store, id, &row, err)) == 0 && row.wrapped_key)
		pdv_id_format('s', row.id, row.tag, ret_subject);
	if (rc == PDV_E_NOTFOUND)
		rc = 0;
	pdv_error_clear(err);
	if (rc < 0 || (rc = pdv_audit_append(v, "find", ret_subject[0] ? ret_subject : NULL, NULL,
					     NULL, kind, err)) < 0) {
		pdv_vault_tx_rollback(v);
		return rc;
	}
	return pdv_vault_tx_commit(v, err);
}

struct show_ctx {
	struct pdv_vault *v;
	const char *subject;
	struct pdv_secret *key;
	pdv_show_cb cb;
	void *cb_ctx;
	struct pdv_error *err;
	/* records are copied out first: the callback below writes the audit log */
	struct pdv_record_row *rows;
	size_t n, cap;
};

static int collect_row(void *ctx, const struct pdv_record_row *r)
{
	struct show_ctx *c = ctx;
	struct pdv_record_row *copy;

	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 8;
		struct pdv_record_row *p = realloc(c->rows, cap * sizeof(*p));

		if (!p)
			return PDV_E_NOMEM;
		c->rows = p;
		c->cap = cap;
	}
	copy = &c->rows[c->n];
	*copy = *r;
	copy->activity = strdup(r->activity ? r->activity : "");
	copy->phase = strdup(r->phase ? r->phase : "");
	copy->source = r->source ? strdup(r->source) : NULL;
	copy->fields = NULL;
	if (r->fields_len) {
		uint8_t *f = malloc(r->fields_len);

		if (f)
			memcpy(f, r->fields, r->fields_len);
		copy->fields = f;
	}
	c->n++;
	if (!copy->activity || !copy->phase || (r->fields_len && !copy->fields))
		return PDV_E_NOMEM;
	return 0;
}

struct event_list {
	struct pdv_event *ev;
	char **names;
	size_t n, cap;
};

static int collect_event(void *ctx, const struct pdv_event_row *r)
{
	struct event_list *l = ctx;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		struct pdv_event *e = realloc(l->ev, cap * sizeof(*e));
		char **nm;

		if (!e)
			return PDV_E_NOMEM;
		l->ev = e;
		if (!(nm = realloc(l->names, cap * sizeof(*nm))))
			return PDV_E_NOMEM;
		l->names = nm;
		l->cap = cap;
	}
	if (!(l->names[l->n] = strdup(r->name)))
		return PDV_E_NOMEM;
	l->ev[l->n].name = l->names[l->n];
	l->ev[l->n].at = r->at;
	l->n++;
	return 0;
}

static void event_list_release(struct event_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->names[i]);
	free(l->names);
	free(l->ev);
}

/* the next transition of a record from the declaration and its events */
static void next_of(struct pdv_vault *v, const struct pdv_record_row *r,
		    struct pdv_shown_record *s, struct pdv_error *err)
{
	const struct pdv_activity *a = pdv_vault_activity(v, r->activity);
	struct event_list l = {0};
	struct pdv_retention ret;
	struct pdv_phase_info pi;

	s->has_next = false;
	if (!a || !a->retention.present || pdv_retention_compile(v->decl, &a->retention, &ret, NULL))
		return;
	if (v->ops->events_of_record(v->store, r->id, collect_event, &l, err) < 0)
		goto out;
	if (pdv_retention_phase(&ret, r->collected_at, l.ev, l.n, v->now, &pi, NULL) == 0 &&
	    pi.has_next) {
		s->has_next = true;
		s->next_phase = pdv_phase_name(pi.next);
		s->next_at = pi.next_at;
	}
out:
	event_list_release(&l);
	pdv_error_clear(err);
}

static int unpack_and_show(struct show_ctx *c, const struct pdv_record_row *r)
{
	struct pdv_shown_field fields[64];
	uint8_t *plain[64];
	size_t nf = 0, off = 0;
	char rid[PDV_ID_MAX];
	uint8_t ad[512];
	struct pdv_shown_record s = {0};
	int rc = 0;

	pdv_id_format('r', r->id, r->tag, rid);
	while (off < r->fields_len && nf < 64) {
		size_t nl = r->fields[off], sl;
		char name[256];

		if (off + 1 + nl + 4 > r->fields_len) {
			rc = PDV_E_IO;
			break;
		}
		memcpy(name, r->fields + off + 1, nl);
		name[nl] = '\0';
		off += 1 + nl;
		sl = (size_t)r->fields[off] << 24 | (size_t)r->fields[off + 1] << 16 |
		     (size_t)r->fields[off + 2] << 8 | r->fields[off + 3];
		off += 4;
		if (sl < PDV_SEAL_OVERHEAD || off + sl > r->fields_len) {
			rc = PDV_E_IO;
			break;
		}
		size_t adn = pdv_field_ad(rid, name, ad, sizeof(ad));
		size_t pl = sl - PDV_SEAL_OVERHEAD;
		uint8_t *p = pdv_secure_alloc(pl + 1);

		if (!p) {
			rc = PDV_E_NOMEM;
			break;
		}
		if ((rc = pdv_open(c->key, ad, adn, r->fields + off, sl, p, c->err)) < 0) {
			pdv_secure_free(p);
			pdv_error_set(c->err, PDV_E_IO,
				      "record %s: field '%s' does not decrypt (damaged or moved)", rid,
				      name);
			rc = PDV_E_IO;
			break;
		}
		p[pl] = '\0';
		plain[nf] = p;
		/* the field's name lives in the declaration, which outlives the callback */
		const struct pdv_activity *a = pdv_vault_activity(c->v, r->activity);
		fields[nf].name = NULL;
		for (size_t k = 0; a && k < a->n_fields; k++)
			if (a->fields[k].name.s && strcmp(a->fields[k].name.s, name) == 0)
				fields[nf].name = a->fields[k].name.s;
		if (!fields[nf].name)
			fields[nf].name = "?";
		fields[nf].value = (const char *)p;
		fields[nf].len = pl;
		nf++;
		off += sl;
	}
	if (rc == PDV_E_IO && !c->err->msg[0])
		pdv_error_set(c->err, PDV_E_IO, "record %s is damaged", rid);
	if (rc == 0) {
		s.record = rid;
		s.activity = r->activity;
		s.phase = r->phase;
		s.collected_at = r->collected_at;
		s.n_fields = nf;
		s.fields = fields;
		next_of(c->v, r, &s, c->err);
		if ((rc = pdv_audit_append(c->v, "show", c->subject, rid, r->activity, NULL,
					   c->err)) == 0)
			rc = c->cb(c->cb_ctx, &s);
	}
	for (size_t i = 0; i < nf; i++)
		pdv_secure_free(plain[i]);
	return rc;
}

int pdv_show(struct pdv_vault *v, const char *subject, pdv_show_cb cb, void *ctx,
	     struct pdv_error *err)
{
	struct show_ctx c = {.v = v, .subject = subject, .cb = cb, .cb_ctx = ctx, .err = err};
	struct pdv_subject_row row;
	uint8_t tag[PDV_TAG_LEN];
	int64_t id;
	int rc;

	if (pdv_id_parse(subject, 's', &id, tag) < 0) {
		pdv_error_set(err, PDV_E_NOTFOUND, "no subject '%.40s'", subject);
		pdv_error_field(err, "subject");
		return PDV_E_NOTFOUND;
	}
	if ((rc = pdv_vault_tx_begin(v, err)) < 0)
		return rc;
	rc = v->ops->subject_get(v->store, id, &row, err);
	if (rc == PDV_E_NOTFOUND || (rc == 0 && (!pdv_equal(row.tag, tag, PDV_TAG_LEN) ||
						 !row.wrapped_key))) {
		rc = pdv_error_set(err, PDV_E_NOTFOUND, "no subject '%s'", subject);
		pdv_error_field(err, "subject");
		goto out;
	}
	if (rc < 0 || (rc = pdv_vault_subject_key(v, &row, &c.key, err)) < 0)
		goto out;
	if ((rc = v->ops->records_of_subject(v->store, id, collect_row, &c, err)) < 0)
		goto out;
	if (rc > 0) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < c.n && rc == 0; i++)
		rc = unpack_and_show(&c, &c.rows[i]);
	if (rc == 0 && c.n == 0)
		rc = pdv_audit_append(v, "show", subject, NULL, NULL, "no record", err);
out:
	if (rc == 0)
		rc = pdv_vault_tx_commit(v, err);
	else
		pdv_vault_tx_rollback(v);
	for (size_t i = 0; i < c.n; i++) {
		free((char *)c.rows[i].activity);
		free((char *)c.rows[i].phase);
		free((char *)c.rows[i].source);
		free((uint8_t *)c.rows[i].fields);
	}
	free(c.rows);
	pdv_secret_free(c.key);
	return rc;
}
