/*
 * record.c — what the engine does to one record: read a subject's records
 * (copied out of the store's buffers, since the caller writes meanwhile),
 * open and pack its sealed values, compute its phase from the declaration
 * and its events, and end it (delete, or anonymise into a statistics row).
 *
 * Clear values live in sodium memory (struct pdv_plain) and are wiped when
 * released.
 *
 * What a record means is bound to it: its binding is a keyed MAC (the audit
 * key, keyed BLAKE2b, first 16 bytes) over "pdv-record-1", its id and tag,
 * its subject's id, its activity and its phase. The sealed values already
 * name their record (the associated data) and open only under the
 * subject's key; the binding covers what the store holds in clear and the
 * engine acts on: which activity (so which roles may read it) and which
 * phase. Every write of a record goes through pdv_vault_record_insert or
 * _update, which bind it; every read (records_of, records_due,
 * pdv_vault_record_get, the statistics) checks it, and a record that fails
 * is refused with PDV_E_INTEGRITY naming it, never shown or acted on. The
 * MAC costs one BLAKE2b call of about 60 bytes per record read or written.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdv/buf.h"
#include "engine-internal.h"

int pdv_vault_subject_find(struct pdv_session *s, const char *subject, struct pdv_subject_row *ret,
                           struct pdv_error *err)
{
	uint8_t tag[PDV_TAG_LEN];
	char told[PDV_ID_MAX];
	int64_t id;
	int rc;

	if (pdv_id_parse(s, subject, 's', &id, tag) < 0)
		goto none;
	rc = pdv_store_subject_get(s->store, id, ret, err);
	if (rc == PDV_E_NOTFOUND ||
	    (rc == 0 && (!pdv_equal(ret->tag, tag, PDV_TAG_LEN) || !ret->wrapped_key)))
		goto none;
	return rc;
none:
	/* an erased subject's canonical id (callers pass it) is told as shown */
	pdv_error_set(err, PDV_E_NOTFOUND, "no subject '%.*s'",
	              PDV_UTF8_CUT(pdv_id_told(s, 's', subject, told), 40));
	pdv_error_field(err, "subject");
	return PDV_E_NOTFOUND;
}

static void put64(uint8_t *p, int64_t x)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)((uint64_t)x >> (56 - 8 * i));
}

static void record_binding(struct pdv_session *s, const struct pdv_record_row *r,
                           uint8_t out[PDV_BINDING_LEN])
{
	static const char domain[] = "pdv-record-1";
	uint8_t ids[8 + PDV_TAG_LEN + 8], h[PDV_HASH_LEN];
	const char *activity = r->activity ? r->activity : "", *phase = r->phase ? r->phase : "";
	const void *parts[4] = {domain, ids, activity, phase};
	size_t lens[4] = {sizeof(domain) - 1, sizeof(ids), strlen(activity), strlen(phase)};

	put64(ids, r->id);
	memcpy(ids + 8, r->tag, PDV_TAG_LEN);
	put64(ids + 8 + PDV_TAG_LEN, r->subject_id);
	pdv_mac(s->vault->audit_key, 4, parts, lens, h);
	memcpy(out, h, PDV_BINDING_LEN);
}

int pdv_record_check(struct pdv_session *s, const struct pdv_record_row *r, struct pdv_error *err)
{
	uint8_t b[PDV_BINDING_LEN];
	char rid[PDV_ID_MAX];

	record_binding(s, r, b);
	if (r->has_binding && pdv_equal(b, r->binding, PDV_BINDING_LEN))
		return 0;
	pdv_id_format(s->vault, 'r', r->id, r->tag, rid);
	pdv_error_set(err, PDV_E_INTEGRITY,
	              "record %s is not bound to its subject, activity and phase (moved or "
	              "altered in the store '%s'): refused",
	              rid, s->vault->db_path);
	pdv_error_field(err, "record");
	return PDV_E_INTEGRITY;
}

int pdv_vault_record_insert(struct pdv_session *s, struct pdv_record_row *row,
                            struct pdv_error *err)
{
	if (row->id <= 0)
		return pdv_error_set(err, PDV_E_INTERNAL,
		                     "a record is bound to its id: take it first");
	record_binding(s, row, row->binding);
	row->has_binding = true;
	return pdv_store_record_insert(s->store, row, err);
}

int pdv_vault_record_update(struct pdv_session *s, const struct pdv_record_row *row,
                            struct pdv_error *err)
{
	struct pdv_record_row b = *row;

	record_binding(s, &b, b.binding);
	b.has_binding = true;
	return pdv_store_record_update(s->store, &b, err);
}

int pdv_vault_record_get(struct pdv_session *s, int64_t id, struct pdv_record_row *ret,
                         struct pdv_error *err)
{
	int rc = pdv_store_record_get(s->store, id, ret, err);

	return rc < 0 ? rc : pdv_record_check(s, ret, err);
}

static int copy_row(void *ctx, const struct pdv_record_row *r)
{
	struct pdv_rows *rows = ctx;
	struct pdv_record_row *c;

	if (rows->n == rows->cap) {
		size_t cap = rows->cap ? 2 * rows->cap : 8;
		struct pdv_record_row *p = realloc(rows->v, cap * sizeof(*p));

		if (!p)
			return PDV_E_NOMEM;
		rows->v = p;
		rows->cap = cap;
	}
	c = &rows->v[rows->n];
	*c = *r;
	c->activity = strdup(r->activity ? r->activity : "");
	c->phase = strdup(r->phase ? r->phase : "");
	c->source = r->source ? strdup(r->source) : NULL;
	c->fields = NULL;
	if (r->fields_len) {
		uint8_t *f = malloc(r->fields_len);

		if (f)
			memcpy(f, r->fields, r->fields_len);
		c->fields = f;
	}
	rows->n++;
	if (!c->activity || !c->phase || (r->source && !c->source) || (r->fields_len && !c->fields))
		return PDV_E_NOMEM;
	return 0;
}

static int rows_check(struct pdv_session *s, struct pdv_rows *rows, struct pdv_error *err)
{
	int rc;

	for (size_t i = 0; i < rows->n; i++)
		if ((rc = pdv_record_check(s, &rows->v[i], err)) < 0) {
			pdv_rows_release(rows);
			return rc;
		}
	return 0;
}

int pdv_vault_records_of(struct pdv_session *s, int64_t subject_id, struct pdv_rows *rows,
                         struct pdv_error *err)
{
	int rc;

	memset(rows, 0, sizeof(*rows));
	rc = pdv_store_records_of_subject(s->store, subject_id, copy_row, rows, err);
	if (rc == PDV_E_NOMEM)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	return rc < 0 ? rc : rows_check(s, rows, err);
}

int pdv_vault_records_due(struct pdv_session *s, int64_t after, int limit, struct pdv_rows *rows,
                          struct pdv_error *err)
{
	int rc;

	memset(rows, 0, sizeof(*rows));
	rc = pdv_store_records_due(s->store, after, s->now, limit, copy_row, rows, err);
	if (rc == PDV_E_NOMEM)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	return rc < 0 ? rc : rows_check(s, rows, err);
}

int pdv_vault_records_of_activity(struct pdv_session *s, const char *activity, int64_t after,
                                  struct pdv_rows *rows, struct pdv_error *err)
{
	int rc;

	memset(rows, 0, sizeof(*rows));
	rc = pdv_store_records_of_activity(s->store, activity, after, copy_row, rows, err);
	if (rc < 0) {
		pdv_rows_release(rows);
		return rc == PDV_E_NOMEM ? pdv_error_set(err, PDV_E_NOMEM, "out of memory") : rc;
	}
	return rows_check(s, rows, err);
}

int pdv_records_bind_pending(struct pdv_session *s, struct pdv_error *err)
{
	struct pdv_rows rows;
	int64_t pending, after = 0;
	long n = 0;
	char detail[96];
	int rc = pdv_session_mark_get(s, "bind_pending", &pending, err);

	if (rc == PDV_E_NOTFOUND) {
		pdv_error_clear(err);
		return 0;
	}
	if (rc < 0 || (rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	do {
		memset(&rows, 0, sizeof(rows));
		rc = pdv_store_records_unbound(s->store, after, copy_row, &rows, err);
		if (rc == PDV_E_NOMEM)
			rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		for (size_t i = 0; rc >= 0 && i < rows.n; i++) {
			uint8_t b[PDV_BINDING_LEN];

			record_binding(s, &rows.v[i], b);
			rc = pdv_store_record_bind(s->store, rows.v[i].id, b, err);
			after = rows.v[i].id;
			n++;
		}
		pending = (int64_t)rows.n;
		pdv_rows_release(&rows);
	} while (rc >= 0 && pending > 0);
	snprintf(detail, sizeof(detail), "%ld records bound to their subject, activity and phase",
	         n);
	if (rc < 0 || (rc = pdv_store_meta_delete(s->store, "bind_pending", err)) < 0 ||
	    (rc = pdv_audit_append(s, "bind-records", NULL, NULL, NULL, detail, err)) < 0) {
		pdv_session_tx_rollback(s);
		return rc;
	}
	return pdv_session_tx_commit(s, err);
}

void pdv_rows_release(struct pdv_rows *rows)
{
	for (size_t i = 0; i < rows->n; i++) {
		free((char *)rows->v[i].activity);
		free((char *)rows->v[i].phase);
		free((char *)rows->v[i].source);
		free((uint8_t *)rows->v[i].fields);
	}
	free(rows->v);
	memset(rows, 0, sizeof(*rows));
}

void pdv_plain_release(struct pdv_plain *p)
{
	pdv_secure_free(p->block); /* wipes every value */
	memset(p, 0, sizeof(*p));
}

int pdv_record_open(struct pdv_session *s, const struct pdv_secret *key,
                    const struct pdv_record_row *r, struct pdv_plain *out, struct pdv_error *err)
{
	char rid[PDV_ID_MAX], shown[PDV_ID_MAX];
	uint8_t ad[512];
	size_t off = 0, used = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	pdv_id_canonical('r', r->id, r->tag, rid); /* the values' associated data */
	/* one sodium block for every value: plaintexts are shorter than the
	 * sealed bytes, plus a NUL each */
	if (!(out->block = pdv_secure_alloc(r->fields_len + PDV_PLAIN_MAX + 1)))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	while (off < r->fields_len) {
		size_t nl = r->fields[off], sl, pl, adn;
		uint8_t *p;

		if (out->n == PDV_PLAIN_MAX || off + 1 + nl + 4 > r->fields_len)
			goto damaged;
		memcpy(out->name[out->n], r->fields + off + 1, nl);
		out->name[out->n][nl] = '\0';
		off += 1 + nl;
		sl = (size_t)r->fields[off] << 24 | (size_t)r->fields[off + 1] << 16 |
		     (size_t)r->fields[off + 2] << 8 | r->fields[off + 3];
		off += 4;
		if (sl < PDV_SEAL_OVERHEAD || sl > r->fields_len - off)
			goto damaged;
		adn = pdv_field_ad(rid, out->name[out->n], ad, sizeof(ad));
		pl = sl - PDV_SEAL_OVERHEAD;
		p = out->block + used;
		used += pl + 1;
		if (pdv_open(key, ad, adn, r->fields + off, sl, p, NULL) < 0) {
			rc = pdv_error_set(
			    err, PDV_E_IO,
			    "record %s: field '%s' does not decrypt (damaged or moved)",
			    pdv_id_shown(s->vault, rid, shown), out->name[out->n]);
			goto fail;
		}
		p[pl] = '\0';
		out->value[out->n] = p;
		out->len[out->n] = pl;
		out->n++;
		off += sl;
	}
	return 0;
damaged:
	rc = pdv_error_set(err, PDV_E_IO, "record %s is damaged",
	                   pdv_id_shown(s->vault, rid, shown));
fail:
	pdv_plain_release(out);
	return rc;
}

int pdv_record_pack(const struct pdv_secret *key, const char *record, size_t n,
                    const char *const *names, const char *const *values, const size_t *lens,
                    struct pdv_buf *out, struct pdv_error *err)
{
	uint8_t ad[512];
	int rc;

	for (size_t k = 0; k < n; k++) {
		size_t nl = strlen(names[k]), adn, sealed = lens[k] + PDV_SEAL_OVERHEAD, at;
		uint8_t hdr[4];

		if (nl > 255 || !(adn = pdv_field_ad(record, names[k], ad, sizeof(ad))))
			return pdv_error_set(err, PDV_E_INVAL, "field name too long");
		hdr[0] = (uint8_t)nl;
		if (pdv_buf_append(out, hdr, 1) < 0 || pdv_buf_append(out, names[k], nl) < 0)
			return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		for (int i = 0; i < 4; i++)
			hdr[i] = (uint8_t)((uint32_t)sealed >> (24 - 8 * i));
		if (pdv_buf_append(out, hdr, 4) < 0)
			return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		/* grow by the sealed size, then seal in place */
		at = out->len;
		for (size_t left = sealed; left;) {
			static const uint8_t zeros[4096];
			size_t m = left < sizeof(zeros) ? left : sizeof(zeros);

			if (pdv_buf_append(out, zeros, m) < 0)
				return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
			left -= m;
		}
		if ((rc = pdv_seal(key, ad, adn, values[k], lens[k], (uint8_t *)out->data + at,
		                   err)) < 0)
			return rc;
	}
	return 0;
}

static int keep_event(void *ctx, const struct pdv_event_row *r)
{
	struct pdv_events *l = ctx;

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

int pdv_record_events(struct pdv_session *s, int64_t record_id, struct pdv_events *out,
                      struct pdv_error *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	rc = pdv_store_events_of_record(s->store, record_id, keep_event, out, err);
	if (rc == PDV_E_NOMEM)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	return rc < 0 ? rc : 0;
}

void pdv_events_release(struct pdv_events *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->names[i]);
	free(l->names);
	free(l->ev);
	memset(l, 0, sizeof(*l));
}

int pdv_record_phase(struct pdv_session *s, const struct pdv_record_row *r,
                     struct pdv_phase_info *ret, struct pdv_error *err)
{
	const struct pdv_retention *rt =
	    pdv_vault_retention(s->vault, pdv_vault_activity(s->vault, r->activity));
	struct pdv_events l;
	int rc;

	if (!rt)
		return PDV_E_NOTFOUND; /* no computable retention: nothing scheduled */
	if (s->facts_known && !s->facts.events)
		memset(&l, 0, sizeof(l)); /* the sweep's batch has none */
	else if ((rc = pdv_record_events(s, r->id, &l, err)) < 0)
		return rc;
	rc = pdv_retention_phase(rt, r->collected_at, l.ev, l.n, s->now, ret, err);
	pdv_events_release(&l);
	return rc;
}

static bool keep_anonymised(const struct pdv_activity *a, const char *field)
{
	for (size_t k = 0; a && k < a->n_fields; k++)
		if (a->fields[k].name.s && strcmp(a->fields[k].name.s, field) == 0)
			return a->fields[k].keep_anonymised.v;
	return false;
}

int pdv_notify_recipients(struct pdv_session *s, const struct pdv_activity *a, const char *kind,
                          int64_t subject_id, int64_t record_id, const char *record,
                          struct pdv_error *err)
{
	char payload[PDV_ID_MAX + 130];
	int n = snprintf(payload, sizeof(payload), "%s %s", record, a && a->id.s ? a->id.s : "");
	int64_t before = 0;
	int rc;

	if (n < 0 || (size_t)n >= sizeof(payload))
		return pdv_error_set(err, PDV_E_INVAL, "activity id too long");
	/* for a request's close: the notices queued below, in this transaction,
	 * are the ones with an id above the last one now */
	if (s->notice_request && (rc = pdv_store_outbox_max_id(s->store, &before, err)) < 0)
		return rc;
	for (size_t i = 0; a && a->recipients.present && i < a->recipients.n; i++) {
		const char *id = a->recipients.v[i].s;

		if (!id)
			continue;
		/* the payload is the record's opaque id and the activity's (the
		 * webhook's body, once the record is gone): no personal data queued */
		if ((rc = pdv_store_outbox_insert(s->store, kind, id, subject_id, record_id,
		                                  (const uint8_t *)payload, (size_t)n, s->now, NULL,
		                                  err)) < 0)
			return rc;
	}
	if (s->notice_request)
		return pdv_store_outbox_link_request(s->store, s->notice_request, before, err);
	return 0;
}

int pdv_record_end(struct pdv_session *s, const struct pdv_record_row *r,
                   const struct pdv_secret *key, const char *subject, const char *why, bool erase,
                   struct pdv_error *err)
{
	const struct pdv_activity *a = pdv_vault_activity(s->vault, r->activity);
	char rid[PDV_ID_MAX];
	int rc;

	pdv_id_canonical('r', r->id, r->tag, rid); /* logged and queued, never shown */
	if (!erase && a && pdv_end_action_of(a->retention.end.s) == PDV_END_ANONYMISE) {
		/* the kept values, in a row linked to no one, dates to the month */
		struct pdv_plain plain;
		const char *names[PDV_PLAIN_MAX], *values[PDV_PLAIN_MAX];
		size_t lens[PDV_PLAIN_MAX], n = 0;
		struct pdv_buf packed;
		struct pdv_date d = pdv_day_to_date(pdv_time_day(r->collected_at));
		char month[16], stat_id[PDV_ID_MAX];
		uint8_t tag[PDV_TAG_LEN];

		if ((rc = pdv_record_open(s, key, r, &plain, err)) < 0)
			return rc;
		for (size_t i = 0; i < plain.n; i++)
			if (keep_anonymised(a, plain.name[i])) {
				names[n] = plain.name[i];
				values[n] = (const char *)plain.value[i];
				lens[n] = plain.len[i];
				n++;
			}
		snprintf(month, sizeof(month), "%04d-%02d", d.year % 10000, d.month % 100);
		pdv_random(tag, sizeof(tag));
		pdv_id_canonical('r', 0, tag, stat_id); /* opened like a record of id 0 */
		pdv_buf_init(&packed, 1u << 24);
		rc = pdv_record_pack(s->vault->stats_key, stat_id, n, names, values, lens, &packed,
		                     err);
		if (rc == 0 && n > 0) {
			/* the tag binds the sealed values to this statistics row */
			uint8_t *row = malloc(PDV_TAG_LEN + packed.len);

			if (!row) {
				rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
			} else {
				memcpy(row, tag, PDV_TAG_LEN);
				memcpy(row + PDV_TAG_LEN, packed.data, packed.len);
				rc = pdv_store_statistics_insert(s->store, r->activity, month, row,
				                                 PDV_TAG_LEN + packed.len, err);
				free(row);
			}
		}
		pdv_buf_release(&packed);
		pdv_plain_release(&plain);
		if (rc < 0)
			return rc;
	}
	if (s->facts_known && !s->facts.events)
		rc = pdv_store_record_delete_row(s->store, r->id, err);
	else
		rc = pdv_store_record_delete(s->store, r->id, err);
	if (rc < 0 || (rc = pdv_audit_append(s, erase ? "erase" : "end", subject, rid, r->activity,
	                                     why, err)) < 0)
		return rc;
	/* Art. 19: the recipients hear of every erasure carried out under
	 * Art. 17(1), whatever its ground: an erasure asked (17(1)), a withdrawal
	 * (b), an objection or an early event (c, a), the retention clock (a,
	 * the controller's own obligation to erase); an anonymisation erases the
	 * personal data all the same (docs/declaration.md §10) */
	if ((rc = pdv_notify_recipients(s, a, "erasure", r->subject_id, r->id, rid, err)) < 0)
		return rc;
	return pdv_subject_shred_if_empty(s, r->subject_id, subject, why, err);
}
