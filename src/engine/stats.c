/*
 * stats.c — counts for the anonymised statistics the policies promise, and
 * the outbox listing.
 *
 * Values are counted in sodium memory; a cell under PDV_STATS_MIN_CELL
 * people is never shown (small cells single people out), only how many such
 * cells there were. One audit entry records the read, with the activity.
 */
#include <stdlib.h>
#include <string.h>

#include "engine-internal.h"

#define MAX_CELLS 100000

struct cell {
	char *value; /* sodium memory */
	size_t len;
	long count;
};

struct tally {
	struct pdv_session *s;
	const char *field;
	struct cell *cells;
	size_t n, cap;
	long total;
	struct pdv_error *err;
	int64_t after;
};

static int count(struct tally *t, const char *value, size_t len)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->cells[i].len == len && memcmp(t->cells[i].value, value, len) == 0) {
			t->cells[i].count++;
			t->total++;
			return 0;
		}
	if (t->n == MAX_CELLS)
		return pdv_error_set(t->err, PDV_E_LIMIT, "more than %d distinct values",
		                     MAX_CELLS);
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		struct cell *c = realloc(t->cells, cap * sizeof(*c));

		if (!c)
			return pdv_error_set(t->err, PDV_E_NOMEM, "out of memory");
		t->cells = c;
		t->cap = cap;
	}
	if (!(t->cells[t->n].value = pdv_secure_alloc(len + 1)))
		return pdv_error_set(t->err, PDV_E_NOMEM, "out of memory");
	memcpy(t->cells[t->n].value, value, len);
	t->cells[t->n].value[len] = '\0';
	t->cells[t->n].len = len;
	t->cells[t->n].count = 1;
	t->n++;
	t->total++;
	return 0;
}

static int tally_plain(struct tally *t, const struct pdv_plain *p)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->name[i], t->field) == 0)
			return count(t, (const char *)p->value[i], p->len[i]);
	return 0;
}

/* a record of the page at hand (copied out of the store, so reads may follow) */
static int tally_record(struct tally *t, const struct pdv_record_row *r)
{
	struct pdv_subject_row s;
	struct pdv_plain p;
	int rc;

	t->after = r->id;
	if (strcmp(r->phase, "active") != 0)
		return 0;
	if ((rc = pdv_store_subject_get(t->s->store, r->subject_id, &s, t->err)) < 0 ||
	    (rc = pdv_vault_subject_key_into(t->s, &s, t->s->scratch, t->err)) < 0 ||
	    (rc = pdv_record_open(t->s, t->s->scratch, r, &p, t->err)) < 0)
		return rc;
	rc = tally_plain(t, &p);
	pdv_plain_release(&p);
	return rc;
}

static int tally_stat(void *ctx, const char *month, const uint8_t *blob, size_t len)
{
	struct tally *t = ctx;
	struct pdv_record_row r = {0};
	struct pdv_plain p;
	int rc;

	(void)month;
	if (len < PDV_TAG_LEN)
		return 0;
	memcpy(r.tag, blob, PDV_TAG_LEN);
	r.fields = blob + PDV_TAG_LEN;
	r.fields_len = len - PDV_TAG_LEN;
	if ((rc = pdv_record_open(t->s, t->s->vault->stats_key, &r, &p, t->err)) < 0)
		return rc;
	rc = tally_plain(t, &p);
	pdv_plain_release(&p);
	return rc;
}

static int by_count(const void *a, const void *b)
{
	const struct cell *x = a, *y = b;

	return x->count != y->count ? (y->count > x->count ? 1 : -1) : strcmp(x->value, y->value);
}

int pdv_stats(struct pdv_session *s, const char *activity, const char *field, pdv_stats_cb cb,
              void *ctx, long *ret_total, long *ret_suppressed, struct pdv_error *err)
{
	const struct pdv_activity *a = pdv_vault_activity(s->vault, activity);
	struct tally t = {.s = s, .field = field, .err = err};
	bool declared = false;
	int rc = 0;

	*ret_total = *ret_suppressed = 0;
	if (!a) {
		pdv_error_set(err, PDV_E_NOTFOUND, "no activity '%.*s' in the declaration",
		              PDV_UTF8_CUT(activity, 64));
		pdv_error_field(err, "activity");
		return PDV_E_NOTFOUND;
	}
	if ((rc = pdv_vault_refuse_activity(s, a, err)) < 0)
		return rc;
	for (size_t k = 0; k < a->n_fields; k++)
		declared |= a->fields[k].name.s && strcmp(a->fields[k].name.s, field) == 0;
	if (!declared) {
		pdv_error_set(err, PDV_E_INVAL, "activity '%s' has no field '%.*s'", a->id.s,
		              PDV_UTF8_CUT(field, 64));
		pdv_error_field(err, "field");
		return PDV_E_INVAL;
	}
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	for (;;) {
		struct pdv_rows page;
		size_t n;

		/* a page of records (checked), then their subjects' keys */
		if ((rc = pdv_vault_records_of_activity(s, a->id.s, t.after, &page, err)) < 0)
			break;
		for (size_t i = 0; i < page.n && rc == 0; i++)
			rc = tally_record(&t, &page.v[i]);
		n = page.n;
		pdv_rows_release(&page);
		if (rc != 0 || n == 0)
			break;
	}
	if (rc == 0)
		rc = pdv_store_statistics_each(s->store, a->id.s, tally_stat, &t, err);
	if (rc == PDV_E_NOMEM)
		pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if (rc == 0)
		rc = pdv_audit_append(s, "stats", NULL, NULL, a->id.s, field, err);
	if (rc == 0) {
		qsort(t.cells, t.n, sizeof(*t.cells), by_count);
		for (size_t i = 0; i < t.n && rc == 0; i++) {
			if (t.cells[i].count < PDV_STATS_MIN_CELL)
				(*ret_suppressed)++;
			else
				rc = cb(ctx, t.cells[i].value, t.cells[i].len, t.cells[i].count);
		}
		*ret_total = t.total;
	}
	if (rc == 0)
		rc = pdv_session_tx_commit(s, err);
	else
		pdv_session_tx_rollback(s);
	for (size_t i = 0; i < t.n; i++)
		pdv_secure_free(t.cells[i].value);
	free(t.cells);
	pdv_secret_generate(s->scratch);
	return rc < 0 ? rc : 0;
}

struct outbox_ctx {
	struct pdv_session *s;
	pdv_outbox_cb cb;
	void *ctx;
};

static int outbox_one(void *ctx, const struct pdv_outbox_row *row)
{
	struct outbox_ctx *c = ctx;
	char rid[PDV_ID_MAX] = "", vid[PDV_ID_MAX];
	const char *recipient = row->recipient;
	struct pdv_outbox_item m;

	/* the store hands the tag of the record, while it is there: no read from here */
	if (row->record_id && row->record_tag)
		pdv_id_format(c->s->vault, 'r', row->record_id, row->record_tag, rid);
	/* an identity check's message is addressed to its (canonical) id */
	if (recipient &&
	    (strcmp(row->kind, "verification") == 0 || strcmp(row->kind, "confirmation") == 0))
		recipient = pdv_id_shown(c->s->vault, recipient, vid);
	m = (struct pdv_outbox_item){
	    .id = row->id,
	    .kind = row->kind,
	    .recipient = recipient,
	    .record = rid[0] ? rid : NULL,
	    .message_id = row->message_id,
	    .status = row->status,
	    .last_error = row->last_error,
	    .attempts = row->attempts,
	    .created_at = row->created_at,
	    .sent_at = row->sent_at,
	    .next_at = row->next_at,
	};
	return c->cb(c->ctx, &m);
}

int pdv_outbox_list(struct pdv_session *s, pdv_outbox_cb cb, void *ctx, struct pdv_error *err)
{
	struct outbox_ctx c = {s, cb, ctx};
	int rc;

	/* messages name records of every activity */
	if ((rc = pdv_vault_dpo_only(s, "the outbox", err)) < 0)
		return rc;
	rc = pdv_store_outbox_each(s->store, outbox_one, &c, err);

	return rc < 0 ? rc : 0;
}
