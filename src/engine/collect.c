/*
 * collect.c — one submission into the vault.
 *
 * Everything is checked before anything is written: the activity exists and
 * has no lint error, consent is given where the basis is consent, every
 * field is declared, required fields are there, values are valid UTF-8
 * within their length limit, emails and phones are well formed. Then, in one
 * transaction: the subject is found by the blind index of a lookup value or
 * created with a new data key, the record row holds the sealed values, the
 * consent ledger gets its grant, and the audit log its entry.
 *
 * Packed field values (records.fields): for each field, in declaration
 * order: name length (1 byte), name, sealed length (4 bytes, big-endian),
 * sealed value (pdv_seal under the subject key, associated data
 * pdv_field_ad(record id, field name)).
 */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pdv/buf.h"
#include "pdv/retention.h"
#include "engine-internal.h"

/* name the field and the machine code of a refusal (import reports them) */
static int refuse(struct pdv_error *err, const char *field, const char *code)
{
	pdv_error_field(err, field);
	if (err)
		pdv_strlcpy(err->code, code, sizeof(err->code));
	return PDV_E_INVAL;
}

static bool basis_is(const struct pdv_activity *a, const char *basis)
{
	for (size_t i = 0; a->basis.present && i < a->basis.n; i++)
		if (a->basis.v[i].s && strcmp(a->basis.v[i].s, basis) == 0)
			return true;
	return false;
}

static bool is_marketing(const struct pdv_activity *a)
{
	for (size_t i = 0; a->uses.present && i < a->uses.n; i++)
		if (a->uses.v[i].s && pdv_taxonomy_under(a->uses.v[i].s, "marketing"))
			return true;
	return false;
}

static size_t field_limit(const struct pdv_field *f)
{
	if (f->max_length.s) {
		char *end;
		unsigned long n = strtoul(f->max_length.s, &end, 10);

		if (*end == '\0' && n > 0 && n <= PDV_FILE_MAX)
			return n;
	}
	return f->type.s && strcmp(f->type.s, "file") == 0 ? PDV_FILE_MAX : PDV_FIELD_MAX_DEFAULT;
}

static bool is_date(const char *s, size_t n)
{
	struct pdv_date d;
	char buf[11];

	if (n != 10)
		return false;
	memcpy(buf, s, 10);
	buf[10] = '\0';
	return pdv_date_parse(buf, &d, NULL) == 0;
}

static bool is_number(const char *s, size_t n)
{
	size_t i = 0, digits = 0;

	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	for (; i < n && isdigit((unsigned char)s[i]); i++)
		digits++;
	if (i < n && (s[i] == '.' || s[i] == ',')) {
		i++;
		for (; i < n && isdigit((unsigned char)s[i]); i++)
			digits++;
	}
	return digits > 0 && i == n;
}

int pdv_collect_validate(const struct pdv_vault *v, const struct pdv_activity *a,
                         const struct pdv_input_field *fields, size_t n_fields,
                         const struct pdv_input_field **by_decl, struct pdv_lookup *lk,
                         size_t *n_lk, struct pdv_error *err)
{
	const char *country = v->decl->controller.country.s;

	*n_lk = 0;
	for (size_t i = 0; i < n_fields; i++) {
		const struct pdv_input_field *f = &fields[i];
		size_t k;

		for (k = 0; k < a->n_fields; k++)
			if (a->fields[k].name.s && strcmp(a->fields[k].name.s, f->name) == 0)
				break;
		if (k == a->n_fields) {
			pdv_error_set(err, PDV_E_INVAL,
			              "field '%.*s' is not declared for activity '%s'",
			              PDV_UTF8_CUT(f->name, 64), a->id.s);
			return refuse(err, f->name, "unknown_field");
		}
		if (by_decl[k]) {
			pdv_error_set(err, PDV_E_INVAL, "field '%s' is given twice", f->name);
			return refuse(err, f->name, "duplicate_field");
		}
		by_decl[k] = f;
	}
	for (size_t k = 0; k < a->n_fields; k++) {
		const struct pdv_field *d = &a->fields[k];
		const struct pdv_input_field *f = by_decl[k];
		const char *type = d->type.s ? d->type.s : "text";
		const char *name = d->name.s;
		bool empty = !f || f->len == 0;

		if (empty) {
			by_decl[k] = NULL;
			if (d->required.v) {
				pdv_error_set(err, PDV_E_INVAL, "field '%s' is required", name);
				return refuse(err, name, "required");
			}
			continue;
		}
		if (f->len > field_limit(d)) {
			pdv_error_set(err, PDV_E_INVAL, "field '%s' is longer than %zu bytes", name,
			              field_limit(d));
			return refuse(err, name, "too_long");
		}
		if (strcmp(type, "file") != 0 &&
		    (!pdv_utf8_valid(f->value, f->len) || memchr(f->value, '\0', f->len))) {
			pdv_error_set(err, PDV_E_INVAL, "field '%s' is not valid UTF-8 text", name);
			return refuse(err, name, "invalid_utf8");
		}
		const char *lookup = d->lookup.s;
		bool email = strcmp(type, "email") == 0 || (lookup && strcmp(lookup, "email") == 0);
		bool phone = strcmp(type, "phone") == 0 || (lookup && strcmp(lookup, "phone") == 0);
		struct pdv_lookup tmp;
		struct pdv_lookup *dst = lookup && *n_lk < 2 ? &lk[*n_lk] : &tmp;

		if (email &&
		    pdv_normalise_email(f->value, f->len, dst->value, sizeof(dst->value))) {
			pdv_error_set(err, PDV_E_INVAL, "field '%s' is not an email address", name);
			return refuse(err, name, "invalid_email");
		}
		if (phone && pdv_normalise_phone(f->value, f->len, country, dst->value,
		                                 sizeof(dst->value))) {
			pdv_error_set(err, PDV_E_INVAL,
			              "field '%s' is not a phone number (international +CC..., or "
			              "national for %s)",
			              name, country ? country : "the controller's country");
			return refuse(err, name, "invalid_phone");
		}
		if (strcmp(type, "date") == 0 && !is_date(f->value, f->len)) {
			pdv_error_set(err, PDV_E_INVAL, "field '%s' is not a date (YYYY-MM-DD)",
			              name);
			return refuse(err, name, "invalid_date");
		}
		if (strcmp(type, "number") == 0 && !is_number(f->value, f->len)) {
			pdv_error_set(err, PDV_E_INVAL, "field '%s' is not a number", name);
			return refuse(err, name, "invalid_number");
		}
		if (lookup && (email || phone) && dst != &tmp) {
			dst->kind = email ? "email" : "phone";
			(*n_lk)++;
		}
		pdv_wipe(&tmp, sizeof(tmp));
	}
	return 0;
}

void pdv_lookup_hash(const struct pdv_vault *v, const struct pdv_lookup *l,
                     uint8_t out[PDV_HASH_LEN])
{
	const void *parts[2] = {l->kind, l->value};
	size_t lens[2] = {strlen(l->kind), strlen(l->value)};

	pdv_mac(v->index_key, 2, parts, lens, out);
}

int pdv_field_lookup(const struct pdv_vault *v, const struct pdv_activity *a, const char *name,
                     const uint8_t *value, size_t len, struct pdv_lookup *ret)
{
	const struct pdv_field *d = NULL;

	for (size_t k = 0; k < a->n_fields && !d; k++)
		if (a->fields[k].name.s && strcmp(a->fields[k].name.s, name) == 0)
			d = &a->fields[k];
	if (!d || !d->lookup.s)
		return 0;
	ret->kind = strcmp(d->lookup.s, "phone") == 0 ? "phone" : "email";
	return (ret->kind[0] == 'e'
	            ? pdv_normalise_email((const char *)value, len, ret->value, sizeof(ret->value))
	            : pdv_normalise_phone((const char *)value, len, v->decl->controller.country.s,
	                                  ret->value, sizeof(ret->value))) == 0;
}

int pdv_record_lookups(struct pdv_session *s, const struct pdv_secret *key,
                       const struct pdv_record_row *r, uint8_t (*ret)[PDV_HASH_LEN], size_t *ret_n,
                       struct pdv_error *err)
{
	const struct pdv_activity *a = pdv_vault_activity(s->vault, r->activity);
	struct pdv_plain plain;
	int rc;

	*ret_n = 0;
	if (!a)
		return 0;
	if ((rc = pdv_record_open(s, key, r, &plain, err)) < 0)
		return rc;
	for (size_t f = 0; f < plain.n && *ret_n < PDV_PLAIN_MAX; f++) {
		struct pdv_lookup l;

		if (pdv_field_lookup(s->vault, a, plain.name[f], plain.value[f], plain.len[f], &l))
			pdv_lookup_hash(s->vault, &l, ret[(*ret_n)++]);
		pdv_wipe(&l, sizeof(l));
	}
	pdv_plain_release(&plain);
	return 0;
}

static int pack_fields(const struct pdv_activity *a, const struct pdv_input_field **by_decl,
                       const struct pdv_secret *key, const char *record, struct pdv_buf *out,
                       struct pdv_error *err)
{
	const char *names[PDV_PLAIN_MAX], *values[PDV_PLAIN_MAX];
	size_t lens[PDV_PLAIN_MAX], n = 0;

	for (size_t k = 0; k < a->n_fields; k++) {
		if (!by_decl[k])
			continue;
		if (n == PDV_PLAIN_MAX)
			return pdv_error_set(err, PDV_E_INVAL, "more than %d fields in a record",
			                     PDV_PLAIN_MAX);
		names[n] = a->fields[k].name.s;
		values[n] = by_decl[k]->value;
		lens[n] = by_decl[k]->len;
		n++;
	}
	return pdv_record_pack(key, record, n, names, values, lens, out, err);
}

static void new_tag(uint8_t tag[PDV_TAG_LEN])
{
	pdv_random(tag, PDV_TAG_LEN);
}

/* what holds for the activity whatever the values: it exists, lints, has consent */
static int check_activity(const struct pdv_vault *v, const struct pdv_collect_in *in,
                          const struct pdv_activity **ret_a, bool *ret_consent_based,
                          struct pdv_error *err)
{
	const struct pdv_activity *a = pdv_vault_activity(v, in->activity);
	int rc;

	if (in->lang && strcmp(in->lang, "fr") != 0 && strcmp(in->lang, "en") != 0) {
		pdv_error_set(err, PDV_E_INVAL, "lang is fr or en");
		pdv_error_field(err, "lang");
		return PDV_E_INVAL;
	}
	if (!a) {
		rc = pdv_error_set(err, PDV_E_NOTFOUND, "no activity '%.*s' in the declaration",
		                   PDV_UTF8_CUT(in->activity, 64));
		pdv_error_field(err, "activity");
		return rc;
	}
	if (pdv_lint_activity_has_error(&v->lint, v->decl, a->id.s)) {
		rc = pdv_error_set(
		    err, PDV_E_REFUSED,
		    "activity '%s' has lint errors; no data is collected into it until "
		    "they are fixed (see 'pdvault lint')",
		    a->id.s);
		pdv_error_field(err, "activity");
		return rc;
	}
	*ret_consent_based = basis_is(a, "consent");
	if (*ret_consent_based && !in->consent) {
		rc = pdv_error_set(
		    err, PDV_E_REFUSED,
		    "activity '%s' is based on consent: nothing is collected until the "
		    "person gives it (--consent, or \"consent\": true in a submission)",
		    a->id.s);
		pdv_error_field(err, "consent");
		if (err)
			pdv_strlcpy(err->code, "consent_required", sizeof(err->code));
		return rc;
	}
	*ret_a = a;
	return 0;
}

/* an objector stays off marketing based on consent or legitimate interests */
static int check_suppression(struct pdv_session *s, const struct pdv_activity *a,
                             bool consent_based, uint8_t hashes[][PDV_HASH_LEN], size_t n_lk,
                             struct pdv_error *err)
{
	if (!(consent_based || basis_is(a, "legitimate-interests")) || !is_marketing(a))
		return 0;
	for (size_t i = 0; i < n_lk; i++) {
		bool suppressed;
		int rc;

		if ((rc = pdv_store_suppression_active(s->store, hashes[i], s->now, &suppressed,
		                                       err)) < 0)
			return rc;
		if (suppressed) {
			rc = pdv_error_set(
			    err, PDV_E_REFUSED,
			    "this person objected to marketing: activity '%s' may not "
			    "collect their data",
			    a->id.s);
			if (err)
				pdv_strlcpy(err->code, "suppressed", sizeof(err->code));
			return rc;
		}
	}
	return 0;
}

/*
 * The record row, its contact event, its consent grant and the audit entry,
 * once the subject is known. rec holds id, tag and the packed fields.
 */
static int write_record(struct pdv_session *s, const struct pdv_activity *a, bool consent_based,
                        const struct pdv_collect_in *in, int64_t subject_id,
                        struct pdv_record_row *rec, struct pdv_collect_out *out,
                        struct pdv_error *err)
{
	pdv_time_t at = in->collected_at ? in->collected_at : s->now;
	char shown[PDV_ID_MAX];
	int rc;

	/* the person's messages follow the language of their last submission
	 * (none given: the one they had, or the declaration's first) */
	if (in->lang && (rc = pdv_store_subject_lang_set(s->store, subject_id, in->lang, err)) < 0)
		return rc;
	rec->subject_id = subject_id;
	rec->activity = a->id.s;
	rec->phase = "active";
	rec->collected_at = at;
	rec->last_contact = in->last_contact ? in->last_contact : at;
	rec->consent_at = consent_based ? (in->consent_at ? in->consent_at : at) : 0;
	rec->phase_at = at;
	rec->source = in->source;
	/* a migrated last contact is a contact event: the retention counts from it */
	struct pdv_event contact = {"contact", rec->last_contact};
	size_t n_ev = rec->last_contact > at ? 1 : 0;
	{
		const struct pdv_retention *ret = pdv_vault_retention(s->vault, a);
		struct pdv_phase_info pi;

		if (ret && pdv_retention_phase(ret, at, &contact, n_ev, at, &pi, NULL) == 0 &&
		    pi.has_next)
			rec->next_at = pi.next_at;
	}
	if ((rc = pdv_vault_record_insert(s, rec, err)) < 0)
		return rc;
	if (n_ev) {
		struct pdv_event_row ev = {rec->id, "contact", rec->last_contact, s->actor};

		if ((rc = pdv_store_event_insert(s->store, &ev, err)) < 0)
			return rc;
	}
	if (consent_based) {
		struct pdv_consent_row c = {
		    .subject_id = subject_id,
		    .record_id = rec->id,
		    .activity = a->id.s,
		    .state = "granted",
		    .version = a->consent.version.s,
		    .at = rec->consent_at,
		    .channel = in->channel ? in->channel : "cli",
		};

		if (a->consent.version.s) {
			struct pdv_buf text;

			pdv_buf_init(&text, 1u << 20);
			const struct pdv_text *t = &a->consent.text;
			if (t->any)
				rc = pdv_buf_puts(&text, t->any);
			for (size_t i = 0; rc == 0 && i < t->n_lang; i++)
				rc = pdv_buf_printf(&text, "%s[%s] %s", i ? "\n" : "",
				                    t->langs[i].lang, t->langs[i].text);
			if (rc == 0)
				rc = pdv_store_consent_text_put(s->store, a->id.s,
				                                a->consent.version.s,
				                                text.data ? text.data : "", err);
			pdv_buf_release(&text);
			if (rc < 0)
				return rc;
		}
		if ((rc = pdv_store_consent_insert(s->store, &c, err)) < 0)
			return rc;
	}
	/* until here out holds the canonical ids (what binds and is logged);
	 * what is handed out is their shown form */
	if ((rc = pdv_audit_append(s, "collect", out->subject, out->record, a->id.s,
	                           out->new_subject ? "new subject" : NULL, err)) < 0)
		return rc;
	pdv_strlcpy(out->subject, pdv_id_shown(s->vault, out->subject, shown),
	            sizeof(out->subject));
	pdv_strlcpy(out->record, pdv_id_shown(s->vault, out->record, shown), sizeof(out->record));
	return 0;
}

/* a new subject: its id and tag, a fresh data key in key, wrapped into wrapped */
static int new_subject(const struct pdv_vault *v, int64_t id, struct pdv_subject_row *subj,
                       struct pdv_secret *key, uint8_t wrapped[PDV_WRAPPED_LEN],
                       char subject[PDV_ID_MAX], struct pdv_error *err)
{
	char ad[8 + PDV_ID_MAX];
	int rc;

	subj->id = id;
	new_tag(subj->tag);
	pdv_id_canonical('s', subj->id, subj->tag, subject);
	memcpy(ad, "subject", 8);
	memcpy(ad + 8, subject, strlen(subject));
	pdv_secret_generate(key);
	if ((rc = pdv_secret_wrap(v->master, key, ad, 8 + strlen(subject), wrapped, err)) < 0)
		return rc;
	subj->wrapped_key = wrapped;
	subj->wrapped_key_len = PDV_WRAPPED_LEN;
	return 0;
}

int pdv_collect(struct pdv_session *s, const struct pdv_collect_in *in, struct pdv_collect_out *out,
                struct pdv_error *err)
{
	const struct pdv_activity *a = NULL;
	const struct pdv_input_field **by_decl = NULL;
	struct pdv_lookup lk[2];
	size_t n_lk = 0;
	uint8_t hashes[2][PDV_HASH_LEN];
	struct pdv_secret *key = NULL; /* s->scratch, refilled */
	struct pdv_subject_row subj = {0};
	struct pdv_record_row rec = {0};
	struct pdv_buf packed;
	uint8_t wrapped[PDV_WRAPPED_LEN];
	int64_t found = 0;
	bool consent_based = false;
	int rc;

	pdv_buf_init(&packed, (size_t)64 * 1024 * 1024);
	memset(out, 0, sizeof(*out));
	if ((rc = check_activity(s->vault, in, &a, &consent_based, err)) < 0)
		goto out;
	if (!(by_decl = calloc(a->n_fields ? a->n_fields : 1, sizeof(*by_decl)))) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	if ((rc = pdv_collect_validate(s->vault, a, in->fields, in->n_fields, by_decl, lk, &n_lk,
	                               err)) < 0)
		goto out;

	/* from here on, writes: one transaction (or the open batch) */
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		goto out;
	for (size_t i = 0; i < n_lk && !found; i++) {
		pdv_lookup_hash(s->vault, &lk[i], hashes[i]);
		rc = pdv_store_lookup_get(s->store, hashes[i], &found, err);
		/* a lookup the sweep has not purged yet names a shredded subject:
		 * no one (lookup_put hands it to the new owner) */
		if (rc == 0 && (rc = pdv_store_subject_get(s->store, found, &subj, err)) == 0 &&
		    !subj.wrapped_key)
			rc = PDV_E_NOTFOUND;
		if (rc == PDV_E_NOTFOUND) {
			pdv_error_clear(err);
			found = 0, rc = 0;
		}
		if (rc < 0)
			goto fail;
	}
	for (size_t i = 0; i < n_lk; i++)
		pdv_lookup_hash(s->vault, &lk[i], hashes[i]);
	if ((rc = check_suppression(s, a, consent_based, hashes, n_lk, err)) < 0)
		goto fail;
	key = s->scratch;
	if (found) {
		if ((rc = pdv_store_subject_get(s->store, found, &subj, err)) < 0)
			goto fail;
		if ((rc = pdv_vault_subject_key_into(s, &subj, key, err)) < 0)
			goto fail;
		pdv_id_canonical('s', subj.id, subj.tag, out->subject);
	} else {
		int64_t id;

		if ((rc = pdv_store_id_next(s->store, PDV_STORE_ID_SUBJECT, &id, err)) < 0 ||
		    (rc = new_subject(s->vault, id, &subj, key, wrapped, out->subject, err)) < 0)
			goto fail;
		subj.created_at = in->collected_at ? in->collected_at : s->now;
		if ((rc = pdv_store_subject_insert(s->store, &subj, err)) < 0)
			goto fail;
		out->new_subject = true;
	}
	for (size_t i = 0; i < n_lk; i++)
		if ((rc = pdv_store_lookup_put(s->store, hashes[i], subj.id, err)) < 0)
			goto fail;

	if ((rc = pdv_store_id_next(s->store, PDV_STORE_ID_RECORD, &rec.id, err)) < 0)
		goto fail;
	new_tag(rec.tag);
	pdv_id_canonical('r', rec.id, rec.tag, out->record);
	if ((rc = pack_fields(a, by_decl, key, out->record, &packed, err)) < 0)
		goto fail;
	rec.fields = (const uint8_t *)packed.data;
	rec.fields_len = packed.len;
	if ((rc = write_record(s, a, consent_based, in, subj.id, &rec, out, err)) < 0)
		goto fail;
	if ((rc = pdv_session_tx_commit(s, err)) < 0)
		goto out;
	rc = 0;
	goto out;
fail:
	/* in a server's group: this job's savepoint, so the next job's writes
	 * are not nested in it (an import's batch keeps its rows) */
	if (!s->batch || s->group)
		pdv_session_tx_rollback(s);
out:
	pdv_wipe(lk, sizeof(lk));
	if (key)
		pdv_secret_generate(key); /* leave no data key behind in the slot */
	pdv_buf_release(&packed);
	free(by_decl);
	if (rc < 0)
		memset(out, 0, sizeof(*out));
	return rc;
}

int pdv_collect_decoy(struct pdv_session *s, const char *activity, char ret_record[PDV_ID_MAX],
                      struct pdv_error *err)
{
	uint8_t tag[PDV_TAG_LEN];
	int64_t id;
	int rc;

	ret_record[0] = '\0';
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	/* reserved, not just taken: no writer hands it to a real record, ever */
	if ((rc = pdv_store_id_reserve(s->store, PDV_STORE_ID_RECORD, 1, &id, err)) < 0)
		goto fail;
	new_tag(tag);
	if ((rc = pdv_audit_append(
	         s, "collect-suppressed", NULL, NULL,
	         activity && pdv_vault_activity(s->vault, activity) ? activity : NULL, NULL, err)) <
	    0)
		goto fail;
	if ((rc = pdv_session_tx_commit(s, err)) < 0)
		return rc;
	pdv_id_format(s->vault, 'r', id, tag, ret_record);
	return 0;
fail:
	pdv_session_tx_rollback(s);
	return rc;
}

/* ---- prepared collection (import) --------------------------------------- */

/*
 * A prepared submission is collected as if its person were new: the CPU
 * work (validation, blind-index hashes, a data key and its wrapping, the
 * sealed values) is done without the store, on the preparing thread, with
 * ids from ranges reserved in the store. Committing checks that guess and,
 * when it does not hold (the person is in the vault), collects the kept
 * input again the ordinary way. The guess binds nothing that outlives it: a
 * value sealed under a key never written is unreadable.
 */
struct pdv_collect_prep {
	int rc; /* the refusal found in preparing, or 0 */
	struct pdv_error err;
	const struct pdv_activity *a;
	bool consent_based;
	struct pdv_collect_in in;       /* fields point into values */
	struct pdv_input_field *fields; /* names borrowed from the caller's input */
	size_t cap_fields;
	struct pdv_buf values; /* copies of the input values (wiped on reuse) */
	const struct pdv_input_field **by_decl;
	size_t cap_decl;
	size_t n_lk;
	uint8_t hashes[2][PDV_HASH_LEN];
	struct pdv_subject_row subj;
	uint8_t wrapped[PDV_WRAPPED_LEN];
	struct pdv_record_row rec;
	struct pdv_buf packed;
	struct pdv_collect_out out;
	bool guessed; /* ids were left: subj and rec hold the guess */
	/* pdv_collect_known: no hash of this row is in the store nor in an
	 * earlier row of its call, in the open write transaction */
	bool fresh;
	int64_t range; /* the end of the reserved range subj.id came from */
};

/*
 * The ids of prepared rows: ranges reserved in the store
 * (pdv_store_id_reserve), so no writer, in this process or another, is
 * handed one of them. The preparing thread numbers rows from `cur`, its
 * own; when a range is used up it takes `spare`, which the committing
 * thread refills inside its transaction (pdv_collect_commit). A row
 * prepared with no id left is collected the ordinary way. Ids left unused
 * (refused rows, people already in the vault, the end of the file) stay
 * unused: ids are opaque, gaps tell nothing.
 */
struct id_range {
	int64_t next, end; /* [next, end); empty when equal */
};

struct pdv_collect_ids {
	struct pdv_secret *key;                   /* the preparing thread's data key slot */
	struct id_range cur[PDV_STORE_ID__COUNT]; /* the preparing thread's */
	pthread_mutex_t lock;                     /* over spare */
	struct id_range spare[PDV_STORE_ID__COUNT];
	pdv_time_t now; /* the reserving session's clock, for the preparing thread */
	bool seal_late; /* sealed by pdv_collect_precheck, once the person is known new */
};

/* ids per range: more than the rows a caller prepares ahead of its commits */
#define IDS_RANGE 65536

/* a prepared row keeps at most this much memory between rows */
#define PREP_KEEP (4 * 1024)

int pdv_collect_prep_new(struct pdv_collect_prep **ret, struct pdv_error *err)
{
	struct pdv_collect_prep *p = calloc(1, sizeof(*p));

	if (!p)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	pdv_buf_init(&p->values, (size_t)64 * 1024 * 1024);
	pdv_buf_init(&p->packed, (size_t)64 * 1024 * 1024);
	*ret = p;
	return 0;
}

static void prep_clear(struct pdv_collect_prep *p)
{
	if (p->values.len)
		pdv_wipe(p->values.data, p->values.len);
	if (p->values.cap > PREP_KEEP)
		pdv_buf_release(&p->values);
	else
		pdv_buf_reset(&p->values);
	if (p->packed.cap > PREP_KEEP)
		pdv_buf_release(&p->packed);
	else
		pdv_buf_reset(&p->packed);
	if (p->fields && p->cap_fields)
		memset(p->fields, 0, p->cap_fields * sizeof(*p->fields));
}

void pdv_collect_prep_free(struct pdv_collect_prep *p)
{
	if (!p)
		return;
	prep_clear(p);
	pdv_buf_release(&p->values);
	pdv_buf_release(&p->packed);
	free(p->fields);
	free(p->by_decl);
	free(p);
}

static int reserve(struct pdv_session *s, enum pdv_store_id_kind kind, struct id_range *r,
                   struct pdv_error *err)
{
	int64_t first;
	int rc = pdv_store_id_reserve(s->store, kind, IDS_RANGE, &first, err);

	if (rc == 0) {
		r->next = first;
		r->end = first + IDS_RANGE;
	}
	return rc;
}

/* the committing thread, in its transaction: a spare range for each kind used up */
static int ids_refill(struct pdv_session *s, struct pdv_collect_ids *ids, struct pdv_error *err)
{
	bool empty[PDV_STORE_ID__COUNT];
	int rc;

	pthread_mutex_lock(&ids->lock);
	for (int k = 0; k < PDV_STORE_ID__COUNT; k++)
		empty[k] = ids->spare[k].next == ids->spare[k].end;
	pthread_mutex_unlock(&ids->lock);
	for (int k = 0; k < PDV_STORE_ID__COUNT; k++) {
		struct id_range r;

		if (!empty[k])
			continue;
		if ((rc = reserve(s, (enum pdv_store_id_kind)k, &r, err)) < 0)
			return rc;
		pthread_mutex_lock(&ids->lock);
		ids->spare[k] = r;
		pthread_mutex_unlock(&ids->lock);
	}
	return 0;
}

/* the preparing thread: the next id of its range, or 0 when none is left;
 * ret_range: the end of that range, which names it */
static int64_t take_id(struct pdv_collect_ids *ids, enum pdv_store_id_kind kind, int64_t *ret_range)
{
	struct id_range *r = &ids->cur[kind];

	if (r->next == r->end) {
		pthread_mutex_lock(&ids->lock);
		*r = ids->spare[kind];
		ids->spare[kind].next = ids->spare[kind].end;
		pthread_mutex_unlock(&ids->lock);
	}
	*ret_range = r->end;
	return r->next < r->end ? r->next++ : 0;
}

void pdv_collect_ids_clock(struct pdv_collect_ids *ids, pdv_time_t now)
{
	ids->now = now;
	ids->seal_late = true;
}

int pdv_collect_ids_new(struct pdv_session *s, struct pdv_collect_ids **ret, struct pdv_error *err)
{
	struct pdv_collect_ids *ids = calloc(1, sizeof(*ids));
	int rc;

	if (!ids)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	pthread_mutex_init(&ids->lock, NULL);
	ids->now = s->now;
	if ((rc = pdv_secret_alloc(&ids->key, err)) < 0)
		goto fail;
	/* the first ranges, and their spares, in a transaction of their own */
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		goto fail;
	for (int k = 0; k < PDV_STORE_ID__COUNT && rc == 0; k++)
		if ((rc = reserve(s, (enum pdv_store_id_kind)k, &ids->cur[k], err)) == 0)
			rc = reserve(s, (enum pdv_store_id_kind)k, &ids->spare[k], err);
	if (rc < 0) {
		pdv_session_tx_rollback(s);
		goto fail;
	}
	if ((rc = pdv_session_tx_commit(s, err)) < 0)
		goto fail;
	*ret = ids;
	return 0;
fail:
	pdv_collect_ids_free(ids);
	return rc;
}

void pdv_collect_ids_free(struct pdv_collect_ids *ids)
{
	if (!ids)
		return;
	pdv_secret_free(ids->key);
	pthread_mutex_destroy(&ids->lock);
	free(ids);
}

/* keep a copy of the input, for the ordinary path if the guess fails */
static int prep_copy_input(struct pdv_collect_prep *p, const struct pdv_collect_in *in,
                           struct pdv_error *err)
{
	size_t need = in->n_fields ? in->n_fields : 1;

	if (need > p->cap_fields) {
		struct pdv_input_field *f = realloc(p->fields, need * sizeof(*f));

		if (!f)
			return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		p->fields = f;
		p->cap_fields = need;
	}
	for (size_t i = 0; i < in->n_fields; i++) {
		p->fields[i].name = in->fields[i].name;
		p->fields[i].len = in->fields[i].len;
		if (pdv_buf_append(&p->values, in->fields[i].value, in->fields[i].len) < 0 ||
		    pdv_buf_putc(&p->values, '\0') < 0)
			return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	}
	/* the buffer may have moved while growing: point into it at the end */
	for (size_t i = 0, off = 0; i < in->n_fields; i++) {
		p->fields[i].value = p->values.data + off;
		off += p->fields[i].len + 1;
	}
	p->in = *in;
	p->in.fields = p->fields;
	/* kept past the caller's strings: a known language is a constant (an
	 * unknown one is refused at once by check_activity) */
	if (in->lang && (strcmp(in->lang, "fr") == 0 || strcmp(in->lang, "en") == 0))
		p->in.lang = in->lang[0] == 'f' ? "fr" : "en";
	return 0;
}

/* the guess: a new person's ids, key and sealed values (p->guessed) */
static int prep_seal(const struct pdv_vault *v, struct pdv_collect_ids *ids,
                     struct pdv_collect_prep *p, struct pdv_error *err)
{
	int64_t subject_id, record_id, range;
	int rc;

	subject_id = take_id(ids, PDV_STORE_ID_SUBJECT, &p->range);
	record_id = take_id(ids, PDV_STORE_ID_RECORD, &range);
	if (!subject_id || !record_id)
		return 0; /* no id left: pdv_collect_commit collects it the ordinary way */
	if ((rc = new_subject(v, subject_id, &p->subj, ids->key, p->wrapped, p->out.subject, err)) <
	    0)
		goto out;
	p->subj.created_at = p->in.collected_at ? p->in.collected_at : ids->now;
	p->out.new_subject = true;
	p->rec.id = record_id;
	new_tag(p->rec.tag);
	pdv_id_canonical('r', p->rec.id, p->rec.tag, p->out.record);
	rc = pack_fields(p->a, p->by_decl, ids->key, p->out.record, &p->packed, err);
	p->rec.fields = (const uint8_t *)p->packed.data;
	p->rec.fields_len = p->packed.len;
	p->guessed = rc == 0;
out:
	pdv_secret_generate(ids->key); /* leave no data key behind in the slot */
	return rc;
}

void pdv_collect_prepare(const struct pdv_vault *v, struct pdv_collect_ids *ids,
                         const struct pdv_collect_in *in, struct pdv_collect_prep *p)
{
	struct pdv_lookup lk[2];
	struct pdv_error *err = &p->err;
	const struct pdv_activity *a = NULL;
	int rc;

	prep_clear(p);
	p->guessed = false;
	p->fresh = false;
	pdv_error_clear(err);
	p->n_lk = 0;
	memset(&p->subj, 0, sizeof(p->subj));
	memset(&p->rec, 0, sizeof(p->rec));
	memset(&p->out, 0, sizeof(p->out));
	if ((rc = prep_copy_input(p, in, err)) < 0 ||
	    (rc = check_activity(v, &p->in, &a, &p->consent_based, err)) < 0)
		goto out;
	p->a = a;
	if (a->n_fields > p->cap_decl) {
		const struct pdv_input_field **b = realloc(p->by_decl, a->n_fields * sizeof(*b));

		if (!b) {
			rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
			goto out;
		}
		p->by_decl = b;
		p->cap_decl = a->n_fields;
	}
	if (a->n_fields)
		memset(p->by_decl, 0, a->n_fields * sizeof(*p->by_decl));
	if ((rc = pdv_collect_validate(v, a, p->in.fields, p->in.n_fields, p->by_decl, lk, &p->n_lk,
	                               err)) < 0)
		goto out;
	for (size_t i = 0; i < p->n_lk; i++)
		pdv_lookup_hash(v, &lk[i], p->hashes[i]);
	if (!ids->seal_late)
		rc = prep_seal(v, ids, p, err);
out:
	pdv_wipe(lk, sizeof(lk));
	p->rc = rc < 0 ? rc : 0;
}

/* a hash of one of a call's rows, with the row it came from */
struct known_hash {
	const uint8_t *hash;
	size_t row;
};

static int known_hash_cmp(const void *a, const void *b)
{
	const struct known_hash *x = a, *y = b;
	int c = memcmp(x->hash, y->hash, PDV_LOOKUP_LEN);

	if (c)
		return c;
	return x->row < y->row ? -1 : x->row > y->row;
}

/* rows asked about in one statement: two hashes each at most */
#define KNOWN_ROWS (PDV_STORE_LOOKUPS_KNOWN_MAX / 2)

int pdv_collect_known(struct pdv_session *s, struct pdv_collect_prep *const *preps, size_t n,
                      struct pdv_error *err)
{
	struct known_hash *all = NULL;
	uint8_t *hashes = NULL;
	bool *known = NULL, *taken = NULL;
	size_t m = 0;
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		preps[i]->fresh = false;
	/* where a statement costs no round trip, subject_insert_new answers as
	 * fast as this would: nothing is asked */
	if (n == 0 || !pdv_store_round_trips(s->store))
		return 0;
	if (!s->in_tx)
		return pdv_error_set(err, PDV_E_INTERNAL,
		                     "collect: rows looked up outside a write transaction");
	if (!(all = calloc(2 * n, sizeof(*all))) ||
	    !(hashes = malloc(2 * KNOWN_ROWS * PDV_LOOKUP_LEN)) ||
	    !(known = calloc(2 * KNOWN_ROWS, sizeof(*known))) ||
	    !(taken = calloc(n, sizeof(*taken)))) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	/* every row's hashes count, whatever becomes of the row: a row the
	 * ordinary path collects may write them */
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < preps[i]->n_lk && preps[i]->rc == 0; k++)
			all[m++] = (struct known_hash){preps[i]->hashes[k], i};
	/* a hash an earlier row of the call has too: not new when this one comes */
	qsort(all, m, sizeof(*all), known_hash_cmp);
	for (size_t j = 1; j < m; j++)
		if (memcmp(all[j].hash, all[j - 1].hash, PDV_LOOKUP_LEN) == 0)
			taken[all[j].row] = true;
	/* what the store holds, KNOWN_ROWS rows a statement */
	for (size_t from = 0; from < n; from += KNOWN_ROWS) {
		size_t to = from + KNOWN_ROWS < n ? from + KNOWN_ROWS : n, h = 0;

		for (size_t i = from; i < to; i++)
			for (size_t k = 0; k < preps[i]->n_lk && preps[i]->rc == 0; k++)
				memcpy(hashes + h++ * PDV_LOOKUP_LEN, preps[i]->hashes[k],
				       PDV_LOOKUP_LEN);
		if ((rc = pdv_store_lookups_known(s->store, hashes, h, known, err)) < 0)
			goto out;
		h = 0;
		for (size_t i = from; i < to; i++) {
			struct pdv_collect_prep *p = preps[i];
			bool fresh = p->rc == 0 && p->guessed && !taken[i];

			for (size_t k = 0; k < p->n_lk && p->rc == 0; k++)
				fresh &= !known[h++];
			p->fresh = fresh;
		}
	}
out:
	free(all);
	free(hashes);
	free(known);
	free(taken);
	return rc;
}

int pdv_collect_precheck(struct pdv_session *s, struct pdv_collect_ids *ids,
                         struct pdv_collect_prep *const *preps, size_t n, struct pdv_error *err)
{
	/* the hashes one after the other, as pdv_store_lookups_known takes them */
	uint8_t *hashes = malloc((2 * n + 1) * PDV_LOOKUP_LEN);
	bool *known = calloc(2 * n + 1, sizeof(*known));
	size_t n_h = 0, at = 0;
	int rc = 0;

	if (!hashes || !known) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; preps[i]->rc == 0 && k < preps[i]->n_lk; k++)
			memcpy(hashes + n_h++ * PDV_LOOKUP_LEN, preps[i]->hashes[k],
			       PDV_LOOKUP_LEN);
	for (size_t from = 0; from < n_h && rc == 0; from += PDV_STORE_LOOKUPS_KNOWN_MAX) {
		size_t m = n_h - from < PDV_STORE_LOOKUPS_KNOWN_MAX ? n_h - from
		                                                    : PDV_STORE_LOOKUPS_KNOWN_MAX;

		rc = pdv_store_lookups_known(s->store, hashes + from * PDV_LOOKUP_LEN, m,
		                             known + from, err);
	}
	if (rc < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct pdv_collect_prep *p = preps[i];
		bool found = false;

		if (p->rc < 0)
			continue;
		for (size_t k = 0; k < p->n_lk; k++)
			found |= known[at++];
		if (found) /* in the vault: collected the ordinary way, never sealed twice */
			p->guessed = false;
		else if (!p->guessed && (rc = prep_seal(s->vault, ids, p, &p->err)) < 0)
			p->rc = rc, rc = 0; /* its refusal, told by pdv_collect_commit */
	}
out:
	free(hashes);
	free(known);
	return rc;
}

/*
 * A server's group writes its new people without waiting for each (the
 * lookups of a guess are put, not checked one by one): the subjects of one
 * reserved range, whose lookups pdv_session_group_check counts once. A
 * person whose hash the group wrote already waits instead, so that it finds
 * the first one (a form sent twice at once).
 */
static bool fresh_fits(const struct pdv_session *s, const struct pdv_collect_prep *p)
{
	if (s->fresh.first && s->fresh.range != p->range)
		return false;
	if (s->fresh.n_hashes + p->n_lk > PDV_GROUP_FRESH_MAX)
		return false;
	for (size_t i = 0; i < p->n_lk; i++)
		for (size_t k = 0; k < s->fresh.n_hashes; k++)
			if (memcmp(s->fresh_hashes[k], p->hashes[i], PDV_HASH_LEN) == 0)
				return false;
	return true;
}

static int fresh_insert(struct pdv_session *s, struct pdv_collect_prep *p, struct pdv_error *err)
{
	int rc;

	if (!s->fresh_hashes &&
	    !(s->fresh_hashes = malloc(PDV_GROUP_FRESH_MAX * sizeof(*s->fresh_hashes))))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if ((rc = pdv_store_subject_insert(s->store, &p->subj, err)) < 0)
		return rc;
	for (size_t i = 0; i < p->n_lk; i++) {
		if ((rc = pdv_store_lookup_put(s->store, p->hashes[i], p->subj.id, err)) < 0)
			return rc;
		memcpy(s->fresh_hashes[s->fresh.n_hashes++], p->hashes[i], PDV_HASH_LEN);
	}
	if (!s->fresh.first || p->subj.id < s->fresh.first)
		s->fresh.first = p->subj.id;
	if (p->subj.id > s->fresh.last)
		s->fresh.last = p->subj.id;
	s->fresh.range = p->range;
	s->fresh.held += (int64_t)p->n_lk;
	return 0;
}

int pdv_collect_commit(struct pdv_session *s, struct pdv_collect_ids *ids,
                       struct pdv_collect_prep *p, struct pdv_collect_out *out,
                       struct pdv_error *err)
{
	const uint8_t *hashes[2] = {p->hashes[0], p->hashes[1]};
	int rc;

	memset(out, 0, sizeof(*out));
	if (p->rc < 0) {
		if (err)
			*err = p->err;
		return p->rc;
	}
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = ids_refill(s, ids, err)) < 0)
		goto fail;
	if (!p->guessed)
		goto again;
	if ((rc = check_suppression(s, p->a, p->consent_based, p->hashes, p->n_lk, err)) < 0)
		goto fail;
	/* the person is new unless a lookup says otherwise: now, or in a server's
	 * group once for all its people (pdv_session_group_check) */
	if (s->group && fresh_fits(s, p)) {
		rc = fresh_insert(s, p, err);
	} else if (p->fresh && s->in_tx) {
		/* new for certain (pdv_collect_known, in this transaction): written
		 * without waiting for an answer */
		rc = pdv_store_subject_insert(s->store, &p->subj, err);
		for (size_t i = 0; rc == 0 && i < p->n_lk; i++)
			rc = pdv_store_lookup_put(s->store, p->hashes[i], p->subj.id, err);
	} else {
		rc = pdv_store_subject_insert_new(s->store, &p->subj, hashes, p->n_lk, err);
		if (rc == PDV_E_REFUSED)
			goto again;
	}
	if (rc < 0)
		goto fail;
	*out = p->out;
	if ((rc = write_record(s, p->a, p->consent_based, &p->in, p->subj.id, &p->rec, out, err)) <
	    0)
		goto fail;
	if ((rc = pdv_session_tx_commit(s, err)) < 0)
		goto out;
	rc = 0;
	goto out;
again:
	/* then this call's own begin ends too (a group's job: its savepoint) */
	if ((rc = pdv_collect(s, &p->in, out, err)) < 0)
		goto fail;
	rc = pdv_session_tx_commit(s, err);
	goto out;
fail:
	if (!s->batch || s->group)
		pdv_session_tx_rollback(s);
out:
	prep_clear(p);
	if (rc < 0)
		memset(out, 0, sizeof(*out));
	return rc;
}
