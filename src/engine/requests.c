/*
 * requests.c — the data subjects' requests and their legal deadlines.
 *
 * Dates are days of the controller's calendar (Europe/Paris for FR): a
 * request received at 23:30 in Paris on 31 January is received on 31
 * January, whatever the UTC date. Deadlines come from the calendar module
 * (Reg. 1182/71 and the country's public holidays). Reasons typed by staff
 * (extension, refusal) are sealed under the statistics key: they may name
 * the person; so is the address a request came from.
 *
 * References (pdv/reference.h) are drawn at random until one no request has,
 * in the transaction that inserts: the unique index never has to refuse one.
 * The status page opens a request's reasons for the person who showed the
 * address is theirs (a check of purpose "status" whose sealed payload is the
 * request's canonical id) and audits it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine-internal.h"
#include "pdv/json.h"

static const char *const kinds[] = {"access",           "rectification", "erasure",
                                    "restriction",      "objection",     "portability",
                                    "withdraw-consent", "post-mortem",   "human-review"};

static const char *country(const struct pdv_session *s)
{
	return s->vault->decl->controller.country.s ? s->vault->decl->controller.country.s : "FR";
}

static struct pdv_duration rights_duration(const struct pdv_str *s, struct pdv_duration dflt)
{
	struct pdv_duration d;

	if (s->s && pdv_duration_parse(s->s, false, &d, NULL) == 0)
		return d;
	return dflt;
}

static pdv_day_t today(const struct pdv_session *s)
{
	return pdv_controller_day(country(s), s->now);
}

static void day_text(pdv_day_t d, char out[11])
{
	pdv_date_format(pdv_day_to_date(d), out);
}

static int parse_day(const char *s, pdv_day_t *ret)
{
	struct pdv_date d;

	if (!s || strlen(s) != 10 || pdv_date_parse(s, &d, NULL) < 0)
		return PDV_E_INVAL;
	*ret = pdv_date_to_day(d);
	return 0;
}

static void fill(struct pdv_session *s, const struct pdv_request_row *r,
                 struct pdv_request_info *out)
{
	pdv_day_t due;

	memset(out, 0, sizeof(*out));
	pdv_id_format(s->vault, 'q', r->id, r->tag, out->request);
	pdv_strlcpy(out->reference, r->reference ? r->reference : "", sizeof(out->reference));
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (r->kind && strcmp(r->kind, kinds[i]) == 0)
			out->kind = kinds[i];
	out->status = strcmp(r->status, "open") == 0   ? "open"
	              : strcmp(r->status, "done") == 0 ? "done"
	                                               : "refused";
	pdv_strlcpy(out->received, r->received, sizeof(out->received));
	pdv_strlcpy(out->due, r->due, sizeof(out->due));
	out->overdue =
	    strcmp(out->status, "open") == 0 && parse_day(r->due, &due) == 0 && today(s) > due;
	pdv_strlcpy(out->channel, r->channel ? r->channel : "", sizeof(out->channel));
	out->extended = r->extended;
	out->has_address = r->address != NULL;
	if (r->subject_id) {
		struct pdv_subject_row row;

		if (pdv_store_subject_get(s->store, r->subject_id, &row, NULL) == 0 &&
		    row.wrapped_key)
			pdv_id_format(s->vault, 's', row.id, row.tag, out->subject);
	}
}

/* associated data of a request's sealed address: bound to its reference,
 * which is known before the row's id */
static size_t address_ad(const char *reference, uint8_t out[48])
{
	return pdv_request_address_ad(reference, out);
}

size_t pdv_request_address_ad(const char *reference, uint8_t out[48])
{
	static const char what[] = "pdv-request-address";

	memcpy(out, what, sizeof(what));
	memcpy(out + sizeof(what), reference, PDV_REFERENCE_CHARS);
	return sizeof(what) + PDV_REFERENCE_CHARS;
}

/* a reference no request has yet; in the inserting transaction */
static int reference_draw(struct pdv_session *s, char ret[PDV_REFERENCE_MAX], struct pdv_error *err)
{
	struct pdv_request_row taken;

	for (int tries = 0; tries < 16; tries++) {
		uint64_t v;
		int rc;

		pdv_random(&v, sizeof(v));
		pdv_reference_format(v, ret);
		rc = pdv_store_request_by_reference(s->store, ret, &taken, err);
		if (rc == PDV_E_NOTFOUND) {
			pdv_error_clear(err);
			return 0;
		}
		if (rc < 0)
			return rc;
	}
	return pdv_error_set(err, PDV_E_INTERNAL, "no free request reference after 16 draws");
}

static int reference_refused(struct pdv_error *err, const char *field, const char *text,
                             enum pdv_reference_fault fault)
{
	if (fault == PDV_REFERENCE_CHECK)
		pdv_error_set(err, PDV_E_INVAL,
		              "reference '%.*s': its check character does not match (a character "
		              "was mistyped)",
		              PDV_UTF8_CUT(text, 20));
	else
		pdv_error_set(
		    err, PDV_E_INVAL,
		    "a reference is 8 characters and a check character, e.g. 7X3K-9QAB-M");
	pdv_error_field(err, field);
	return PDV_E_INVAL;
}

bool pdv_request_kind_known(const char *kind)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kind && strcmp(kind, kinds[i]) == 0)
			return true;
	return false;
}

/* a request's message to the address it came from, queued in the open
 * transaction: the payload is the request's canonical id, the address and
 * the reasons are read from the request when the message is sent */
static int request_message(struct pdv_session *s, const char *kind,
                           const struct pdv_request_row *row, struct pdv_error *err)
{
	char canon[PDV_ID_MAX];
	int rc;

	if (!row->address)
		return 0;
	pdv_id_canonical('q', row->id, row->tag, canon);
	if ((rc = pdv_store_outbox_insert(s->store, kind, NULL, 0, 0, (const uint8_t *)canon,
	                                  strlen(canon), s->now, NULL, err)) < 0)
		return rc;
	return pdv_store_outbox_link_last(s->store, row->id, err); /* on its timeline */
}

/* associated data of what a rectification asks: bound to the reference */
static size_t asked_ad(const char *reference, uint8_t out[48])
{
	static const char what[] = "pdv-request-asked";

	memcpy(out, what, sizeof(what));
	memcpy(out + sizeof(what), reference, PDV_REFERENCE_CHARS);
	return sizeof(what) + PDV_REFERENCE_CHARS;
}

/* what a rectification asks: a JSON object of 1 to 64 field names, each
 * with its new value (strings); the field named in errors, never a value */
static int asked_check(const char *kind, const char *asked, struct pdv_error *err)
{
	json_error_t jerr;
	json_t *o;
	const char *k;
	json_t *v;
	int rc = 0;

	if (!asked)
		return 0;
	if (strcmp(kind, "rectification") != 0) {
		pdv_error_set(err, PDV_E_INVAL, "only a rectification request asks for new values");
		pdv_error_field(err, "rectify");
		return PDV_E_INVAL;
	}
	o = strlen(asked) <= 65536 ? json_loads(asked, JSON_REJECT_DUPLICATES, &jerr) : NULL;
	if (!o || !json_is_object(o) || json_object_size(o) == 0 || json_object_size(o) > 64) {
		json_decref(o);
		pdv_error_set(err, PDV_E_INVAL,
		              "rectify is an object of 1 to 64 fields, each with its new value");
		pdv_error_field(err, "rectify");
		return PDV_E_INVAL;
	}
	json_object_foreach(o, k, v)
	{
		if (!*k || strlen(k) > 64 || !json_is_string(v) || json_string_length(v) > 4096) {
			pdv_error_set(err, PDV_E_INVAL,
			              "rectify: field '%.*s' needs a name (at most 64 bytes) and a "
			              "new value (text, at most 4096 bytes)",
			              PDV_UTF8_CUT(k, 64));
			pdv_error_field(err, "rectify");
			rc = PDV_E_INVAL;
			break;
		}
	}
	json_decref(o);
	return rc;
}

int pdv_request_open(struct pdv_session *s, const char *kind, const char *subject,
                     const char *email, const char *received, const char *channel, const char *lang,
                     struct pdv_request_info *out, struct pdv_error *err)
{
	return pdv_request_open_asking(s, kind, subject, email, received, channel, lang, NULL, out,
	                               err);
}

int pdv_request_open_asking(struct pdv_session *s, const char *kind, const char *subject,
                            const char *email, const char *received, const char *channel,
                            const char *lang, const char *asked, struct pdv_request_info *out,
                            struct pdv_error *err)
{
	struct pdv_request_row row = {0};
	struct pdv_subject_row srow;
	const char *k = NULL;
	char subj[PDV_ID_MAX] = "", canon[PDV_ID_MAX], rec[11], due[11], ref[PDV_REFERENCE_MAX];
	char norm[320];
	uint8_t ad[48], *addr = NULL, *sealed_asked = NULL;
	size_t nlen = 0, alen = asked ? strlen(asked) : 0;
	pdv_day_t rday, dday;
	int rc;

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kind && strcmp(kind, kinds[i]) == 0)
			k = kinds[i];
	if (!k) {
		pdv_error_set(err, PDV_E_INVAL,
		              "unknown request kind '%.*s' (access, rectification, erasure, "
		              "restriction, objection, portability, withdraw-consent, post-mortem, "
		              "human-review)",
		              PDV_UTF8_CUT(kind ? kind : "", 40));
		pdv_error_field(err, "kind");
		return PDV_E_INVAL;
	}
	if ((rc = asked_check(k, asked, err)) < 0)
		return rc;
	if (lang && strcmp(lang, "fr") != 0 && strcmp(lang, "en") != 0) {
		pdv_error_set(err, PDV_E_INVAL, "lang is fr or en");
		pdv_error_field(err, "lang");
		return PDV_E_INVAL;
	}
	if (received) {
		if (parse_day(received, &rday) < 0) {
			pdv_error_set(err, PDV_E_INVAL, "--received is a date, YYYY-MM-DD");
			pdv_error_field(err, "received");
			return PDV_E_INVAL;
		}
		if (rday > today(s)) {
			pdv_error_set(err, PDV_E_INVAL, "--received is in the future");
			pdv_error_field(err, "received");
			return PDV_E_INVAL;
		}
	} else {
		rday = today(s);
	}
	if ((rc = pdv_deadline_due(rday,
	                           rights_duration(&s->vault->decl->rights.response,
	                                           (struct pdv_duration){1, PDV_UNIT_MONTH}),
	                           country(s), &dday)) < 0)
		return pdv_error_set(err, rc, "the due date cannot be computed");
	if (email && (rc = pdv_find(s, "email", email, subj, err)) < 0)
		return rc;
	if (email) {
		if (pdv_normalise_email(email, strlen(email), norm, sizeof(norm)) < 0) {
			pdv_error_set(err, PDV_E_INVAL, "not an email address");
			pdv_error_field(err, "email");
			return PDV_E_INVAL;
		}
		nlen = strlen(norm);
		if (!(addr = malloc(nlen + PDV_SEAL_OVERHEAD))) {
			pdv_wipe(norm, sizeof(norm));
			return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		}
	}
	if (asked && !(sealed_asked = malloc(alen + PDV_SEAL_OVERHEAD))) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		goto out;
	if ((rc = reference_draw(s, ref, err)) < 0 ||
	    (addr && (rc = pdv_seal(s->vault->stats_key, ad, address_ad(ref, ad), norm, nlen, addr,
	                            err)) < 0) ||
	    (asked && (rc = pdv_seal(s->vault->stats_key, ad, asked_ad(ref, ad), asked, alen,
	                             sealed_asked, err)) < 0))
		goto fail;
	if (subject || subj[0]) {
		struct pdv_rows seen;

		if ((rc = pdv_vault_subject_scope(s, subject ? subject : subj, &srow, &seen, err)) <
		    0)
			goto fail;
		pdv_rows_release(&seen);
		row.subject_id = srow.id;
		pdv_id_canonical('s', srow.id, srow.tag, subj); /* for the audit log */
	}
	day_text(rday, rec);
	day_text(dday, due);
	pdv_random(row.tag, sizeof(row.tag));
	row.kind = k;
	row.channel = channel;
	row.received = rec;
	row.due = due;
	row.status = "open";
	row.reference = ref;
	row.address = addr;
	row.address_len = addr ? nlen + PDV_SEAL_OVERHEAD : 0;
	row.lang = lang;
	row.rectification = sealed_asked;
	row.rectification_len = asked ? alen + PDV_SEAL_OVERHEAD : 0;
	if ((rc = pdv_store_request_insert(s->store, &row, err)) < 0 ||
	    (rc = request_message(s, "acknowledgement", &row, err)) < 0)
		goto fail;
	fill(s, &row, out);
	pdv_id_canonical('q', row.id, row.tag, canon);
	if ((rc = pdv_audit_append(s, "request-open", subj[0] ? subj : NULL, NULL, NULL, canon,
	                           err)) < 0)
		goto fail;
	rc = pdv_session_tx_commit(s, err);
	goto out;
fail:
	pdv_session_tx_rollback(s);
out:
	pdv_wipe(norm, sizeof(norm));
	free(addr);
	free(sealed_asked);
	return rc;
}

/* a request row copied out of the iteration: what fill() and the filters read */
struct request_copy {
	struct pdv_request_row row; /* strings point into the arrays below */
	char kind[32], status[16], channel[32], received[11], due[11];
	char reference[PDV_REFERENCE_MAX];
};

struct request_copies {
	struct request_copy *v;
	size_t n, cap;
};

static int copy_request(void *ctx, const struct pdv_request_row *r)
{
	struct request_copies *l = ctx;
	struct request_copy *c;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 32;
		struct request_copy *p = realloc(l->v, cap * sizeof(*p));

		if (!p)
			return PDV_E_NOMEM;
		l->v = p;
		l->cap = cap;
	}
	c = &l->v[l->n++];
	c->row = *r;
	pdv_strlcpy(c->kind, r->kind ? r->kind : "", sizeof(c->kind));
	pdv_strlcpy(c->status, r->status ? r->status : "", sizeof(c->status));
	pdv_strlcpy(c->channel, r->channel ? r->channel : "", sizeof(c->channel));
	pdv_strlcpy(c->received, r->received ? r->received : "", sizeof(c->received));
	pdv_strlcpy(c->due, r->due ? r->due : "", sizeof(c->due));
	pdv_strlcpy(c->reference, r->reference ? r->reference : "", sizeof(c->reference));
	return 0;
}

int pdv_request_list(struct pdv_session *s, const char *which, pdv_request_cb cb, void *ctx,
                     struct pdv_error *err)
{
	struct request_copies l = {0};
	int rc = pdv_store_requests_each(s->store, copy_request, &l, err);

	if (rc == PDV_E_NOMEM)
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	/* the rows are out of the store: what follows may read it again */
	for (size_t i = 0; rc >= 0 && i < l.n; i++) {
		struct request_copy *c = &l.v[i];
		struct pdv_request_info info;
		bool seen;

		c->row.kind = c->kind;
		c->row.status = c->status;
		c->row.channel = c->channel;
		c->row.received = c->received;
		c->row.due = c->due;
		c->row.reference = c->reference;
		/* a role sees the requests of the people it may see, and no other */
		if (!pdv_vault_sees_all(s)) {
			if ((rc = pdv_vault_subject_id_visible(s, c->row.subject_id, &seen, NULL)) <
			    0)
				break;
			if (!seen)
				continue;
		}
		fill(s, &c->row, &info);
		if (which && strcmp(which, "open") == 0 && strcmp(info.status, "open") != 0)
			continue;
		if (which && strcmp(which, "overdue") == 0 && !info.overdue)
			continue;
		if ((rc = cb(ctx, &info)) != 0)
			break;
	}
	free(l.v);
	return rc < 0 ? rc : 0;
}

static int request_find(struct pdv_session *s, const char *request, struct pdv_request_row *row,
                        struct pdv_error *err)
{
	enum pdv_reference_fault fault = PDV_REFERENCE_SHAPE;
	char ref[PDV_REFERENCE_MAX];
	uint8_t tag[PDV_TAG_LEN];
	bool found = false;
	int64_t id;
	int rc;

	if (pdv_id_parse(s, request, 'q', &id, tag) == 0) {
		rc = pdv_store_request_get(s->store, id, row, err);
		if (rc < 0 && rc != PDV_E_NOTFOUND)
			return rc;
		found = rc == 0 && pdv_equal(row->tag, tag, PDV_TAG_LEN);
	} else if (pdv_reference_parse(request, ref, NULL, &fault) == 0) {
		rc = pdv_store_request_by_reference(s->store, ref, row, err);
		if (rc < 0 && rc != PDV_E_NOTFOUND)
			return rc;
		found = rc == 0;
	} else if (fault == PDV_REFERENCE_CHECK) {
		return reference_refused(err, "request", request, fault);
	}
	if (found) {
		bool seen = pdv_vault_sees_all(s);

		if (!seen &&
		    (rc = pdv_vault_subject_id_visible(s, row->subject_id, &seen, err)) < 0)
			return rc;
		if (seen)
			return 0;
	}
	pdv_error_set(err, PDV_E_NOTFOUND, "no request '%.*s'", PDV_UTF8_CUT(request, 40));
	pdv_error_field(err, "request");
	return PDV_E_NOTFOUND;
}

int pdv_request_row_find(struct pdv_session *s, const char *request, struct pdv_request_row *row,
                         struct pdv_error *err)
{
	return request_find(s, request, row, err);
}

int pdv_request_get(struct pdv_session *s, const char *request, struct pdv_request_info *out,
                    struct pdv_error *err)
{
	struct pdv_request_row row;
	int rc = request_find(s, request, &row, err);

	if (rc == 0)
		fill(s, &row, out);
	return rc;
}

struct notices_ctx {
	struct pdv_session *s;
	const char *lang;
	pdv_notice_cb cb;
	void *ctx;
};

static int notice_emit(struct notices_ctx *c, const struct pdv_outbox_row *row);

static int notice_one(void *ctx, const struct pdv_outbox_row *row)
{
	struct notices_ctx *c = ctx;

	/* the request's own messages to the person are on its timeline */
	if (!row->recipient)
		return 0;
	return notice_emit(c, row);
}

static int notice_emit(struct notices_ctx *c, const struct pdv_outbox_row *row)
{
	const struct pdv_recipient *r =
	    row->recipient ? pdv_decl_recipient(c->s->vault->decl, row->recipient) : NULL;
	const char *name = r ? pdv_text_get(&r->name, c->lang) : NULL;
	struct pdv_notice_info n = {
	    .id = row->id,
	    .kind = row->kind,
	    .recipient = row->recipient ? row->recipient : "",
	    .name = name && *name ? name : (row->recipient ? row->recipient : ""),
	    .channel = r && r->webhook.s && *r->webhook.s             ? "webhook"
	               : r && r->notify_email.s && *r->notify_email.s ? "email"
	                                                              : "none",
	    .status = row->status ? row->status : "queued",
	    .attempts = row->attempts,
	    .last_error = row->last_error,
	    .created_at = row->created_at,
	    .sent_at = row->sent_at,
	    .next_at = row->next_at,
	};

	return c->cb(c->ctx, &n);
}

int pdv_request_notices(struct pdv_session *s, const char *request, const char *lang,
                        pdv_notice_cb cb, void *ctx, struct pdv_error *err)
{
	struct notices_ctx c = {s, lang ? lang : "en", cb, ctx};
	struct pdv_request_row row;
	int rc = request_find(s, request, &row, err);

	if (rc < 0)
		return rc;
	rc = pdv_store_outbox_of_request(s->store, row.id, notice_one, &c, err);
	return rc < 0 ? rc : 0;
}

static int seal_reason(struct pdv_session *s, const char *request, const char *reason,
                       uint8_t **ret, size_t *ret_len, struct pdv_error *err)
{
	size_t n = strlen(reason);
	uint8_t *out;

	if (n == 0 || n > 4096 || !pdv_utf8_valid(reason, n)) {
		pdv_error_set(err, PDV_E_INVAL, "a reason is required (UTF-8, at most 4096 bytes)");
		pdv_error_field(err, "reason");
		return PDV_E_INVAL;
	}
	if (!(out = malloc(n + PDV_SEAL_OVERHEAD)))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if (pdv_seal(s->vault->stats_key, request, strlen(request), reason, n, out, err) < 0) {
		free(out);
		return PDV_E_INTERNAL;
	}
	*ret = out;
	*ret_len = n + PDV_SEAL_OVERHEAD;
	return 0;
}

int pdv_request_extend(struct pdv_session *s, const char *request, const char *reason,
                       struct pdv_request_info *out, struct pdv_error *err)
{
	struct pdv_request_row row;
	pdv_day_t rday, first, ext;
	uint8_t *sealed = NULL;
	size_t sealed_len = 0;
	char due[11], canon[PDV_ID_MAX];
	int rc;

	if (!reason) {
		pdv_error_set(err, PDV_E_INVAL, "an extension needs a reason");
		pdv_error_field(err, "reason");
		return PDV_E_INVAL;
	}
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = request_find(s, request, &row, err)) < 0)
		goto out;
	if (strcmp(row.status, "open") != 0 || row.extended) {
		rc = pdv_error_set(err, PDV_E_REFUSED, "request %s is %s", request,
		                   row.extended ? "already extended" : "closed");
		goto out;
	}
	if (parse_day(row.received, &rday) < 0 || parse_day(row.due, &first) < 0) {
		rc = pdv_error_set(err, PDV_E_INTERNAL, "request %s: a stored date is damaged",
		                   request);
		goto out;
	}
	if (today(s) > first) {
		rc = pdv_error_set(err, PDV_E_REFUSED,
		                   "request %s was due on %s: an extension must be decided before "
		                   "the first due date (Art. 12(3))",
		                   request, row.due);
		goto out;
	}
	if ((rc = pdv_deadline_extended(rday,
	                                rights_duration(&s->vault->decl->rights.response,
	                                                (struct pdv_duration){1, PDV_UNIT_MONTH}),
	                                rights_duration(&s->vault->decl->rights.extension,
	                                                (struct pdv_duration){2, PDV_UNIT_MONTH}),
	                                country(s), &ext)) < 0) {
		rc = pdv_error_set(err, rc, "the extended due date cannot be computed");
		goto out;
	}
	pdv_id_canonical('q', row.id, row.tag, canon);
	if ((rc = seal_reason(s, canon, reason, &sealed, &sealed_len, err)) < 0)
		goto out;
	day_text(ext, due);
	if ((rc = pdv_store_request_extend(s->store, row.id, due, sealed, sealed_len, s->now,
	                                   err)) < 0 ||
	    (rc = request_message(s, "extension", &row, err)) < 0)
		goto out;
	row.due = due;
	row.extended = true;
	fill(s, &row, out);
	rc = pdv_audit_append(s, "request-extend", NULL, NULL, NULL, canon, err);
out:
	free(sealed);
	if (rc == 0)
		return pdv_session_tx_commit(s, err);
	pdv_session_tx_rollback(s);
	return rc;
}

static int ignore_record(void *ctx, const char *record, const char *what, const char *reason)
{
	(void)ctx, (void)record, (void)what, (void)reason;
	return 0;
}

/* perform what a closed request asks, for the kinds the vault carries out */
static int perform(struct pdv_session *s, const char *kind, const char *subject,
                   struct pdv_error *err)
{
	if (strcmp(kind, "erasure") == 0)
		return pdv_erase(s, subject, NULL, ignore_record, NULL, err);
	if (strcmp(kind, "restriction") == 0)
		return pdv_restrict(s, subject, true, err);
	if (strcmp(kind, "objection") == 0)
		return pdv_object(s, subject, NULL, ignore_record, NULL, err);
	if (strcmp(kind, "withdraw-consent") == 0) {
		for (size_t i = 0; i < s->vault->decl->n_activities; i++) {
			const struct pdv_activity *a = &s->vault->decl->activities[i];
			struct pdv_consent_out co;
			bool consent = false;
			int rc;

			for (size_t k = 0; a->basis.present && k < a->basis.n; k++)
				consent |=
				    a->basis.v[k].s && strcmp(a->basis.v[k].s, "consent") == 0;
			if (!consent || !pdv_vault_may_name(s, a))
				continue;
			if ((rc = pdv_consent(s, subject, a->id.s, false, &co, err)) < 0 &&
			    rc != PDV_E_NOTFOUND)
				return rc;
			pdv_error_clear(err);
		}
	}
	if (strcmp(kind, "human-review") == 0) {
		/* Art. 22(3): flag the decision for a person to review */
		struct pdv_subject_row srow;
		int rc;

		if ((rc = pdv_session_tx_begin(s, err)) < 0)
			return rc;
		char canon[PDV_ID_MAX];

		if ((rc = pdv_vault_subject_find(s, subject, &srow, err)) == 0)
			pdv_id_canonical('s', srow.id, srow.tag, canon);
		if (rc < 0 ||
		    (rc = pdv_store_outbox_insert(s->store, "human-review", NULL, srow.id, 0, NULL,
		                                  0, s->now, NULL, err)) < 0 ||
		    (rc = pdv_audit_append(s, "human-review", canon, NULL, NULL, NULL, err)) < 0) {
			pdv_session_tx_rollback(s);
			return rc;
		}
		return pdv_session_tx_commit(s, err);
	}
	/* access, portability and post-mortem are answered with a file the
	 * command line writes; rectification is done by staff (`rectify`) */
	return 0;
}

int pdv_request_close(struct pdv_session *s, const char *request, bool refuse, const char *reason,
                      struct pdv_request_info *out, struct pdv_error *err)
{
	struct pdv_request_row row;
	struct pdv_subject_row srow;
	uint8_t *sealed = NULL;
	size_t sealed_len = 0;
	char subject[PDV_ID_MAX] = "", csubject[PDV_ID_MAX] = "", canon[PDV_ID_MAX];
	char kind[32], due[11], qlang[3] = "", ref[PDV_REFERENCE_MAX] = "", received[11] = "";
	char cert[PDV_ID_MAX] = "";
	bool extended, has_address, answer = false, nothing_held = false, certify;
	struct pdv_cert_draft draft = {0};
	struct pdv_buf doc;
	int rc;

	pdv_buf_init(&doc, PDV_EXPORT_MAX);
	if (refuse && !reason) {
		pdv_error_set(err, PDV_E_INVAL, "a refusal needs a reason");
		pdv_error_field(err, "reason");
		return PDV_E_INVAL;
	}
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = request_find(s, request, &row, err)) < 0)
		goto fail;
	if (strcmp(row.status, "open") != 0) {
		rc = pdv_error_set(err, PDV_E_REFUSED, "request %s is already closed", request);
		goto fail;
	}
	pdv_strlcpy(kind, row.kind, sizeof(kind));
	pdv_strlcpy(due, row.due, sizeof(due));
	pdv_strlcpy(ref, row.reference ? row.reference : "", sizeof(ref));
	pdv_strlcpy(received, row.received ? row.received : "", sizeof(received));
	extended = row.extended;
	/* an erasure done gets its deletion certificate (certificates.c) */
	certify = !refuse && strcmp(kind, "erasure") == 0;
	if (row.subject_id && pdv_store_subject_get(s->store, row.subject_id, &srow, NULL) == 0 &&
	    srow.wrapped_key) {
		pdv_id_format(s->vault, 's', srow.id, srow.tag, subject);
		pdv_id_canonical('s', srow.id, srow.tag, csubject);
	}
	pdv_id_canonical('q', row.id, row.tag, canon);
	pdv_id_format(s->vault, 'q', row.id, row.tag, out->request);
	/* the row's buffers go with the next store call: what is kept of it */
	has_address = row.address != NULL;
	/* the answer is in the language the request came in, when known */
	if (row.lang && pdv_render_lang_supported(row.lang))
		pdv_strlcpy(qlang, row.lang, sizeof(qlang));
	row.address = NULL;
	row.lang = NULL;
	if (reason && (rc = seal_reason(s, canon, reason, &sealed, &sealed_len, err)) < 0)
		goto fail;
	/* do what was asked first: a failure leaves the request open to retry
	 * (each action is idempotent); then record it done */
	pdv_session_tx_rollback(s);
	s->notice_request = row.id; /* its Art. 19 notices are the request's */
	s->cert = certify ? &draft : NULL;
	rc = !refuse && subject[0] ? perform(s, kind, subject, err) : 0;
	s->notice_request = 0;
	s->cert = NULL;
	if (rc < 0)
		goto out;
	/* an access or portability request from an address is answered by a
	 * link to its export, made now and kept sealed (pdv/vault.h) */
	answer = !refuse && subject[0] && has_address &&
	         (strcmp(kind, "access") == 0 || strcmp(kind, "portability") == 0);
	if (answer &&
	    (rc = pdv_export_document(s, subject, PDV_FORMAT_JSON, strcmp(kind, "portability") == 0,
	                              qlang[0] ? qlang : NULL, &doc, err)) < 0)
		goto out;
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		goto out;
	if (answer && (rc = pdv_download_prepare(s, row.id, canon, &doc, err)) < 0)
		goto fail;
	/* an address the vault holds nothing of is answered so (Art. 15(1)):
	 * a request of any kind, done with no person found */
	nothing_held = !refuse && !subject[0] && has_address;
	if ((rc = pdv_store_request_update(s->store, row.id, refuse ? "refused" : "done", due,
	                                   extended, sealed, sealed_len, s->now, err)) < 0 ||
	    ((refuse || nothing_held) &&
	     ((rc = pdv_store_outbox_insert(s->store, refuse ? "refusal" : "nothing-held", NULL, 0,
	                                    0, (const uint8_t *)canon, strlen(canon), s->now, NULL,
	                                    err)) < 0 ||
	      (rc = pdv_store_outbox_link_last(s->store, row.id, err)) < 0)) ||
	    (rc = pdv_audit_append(s, refuse ? "request-refuse" : "request-done",
	                           csubject[0] ? csubject : NULL, NULL, NULL, canon, err)) < 0)
		goto fail;
	if (certify) {
		struct pdv_request_row cr = {
		    .id = row.id, .kind = kind, .reference = ref, .received = received};

		if ((rc = pdv_certificate_make(s, "erasure", &cr, &draft, cert, err)) < 0)
			goto fail;
		/* the person who asked from an address gets it with the answer (an
		 * address nothing is held of is answered so, nothing-held) */
		if (has_address && !nothing_held &&
		    ((rc = pdv_store_outbox_insert(s->store, "erasure-answer", NULL, 0, 0,
		                                   (const uint8_t *)canon, strlen(canon), s->now,
		                                   NULL, err)) < 0 ||
		     (rc = pdv_store_outbox_link_last(s->store, row.id, err)) < 0))
			goto fail;
	}
	if ((rc = pdv_session_tx_commit(s, err)) < 0)
		goto out;
	memset(out, 0, sizeof(*out));
	pdv_strlcpy(out->certificate, cert, sizeof(out->certificate));
	pdv_id_format(s->vault, 'q', row.id, row.tag, out->request);
	out->status = refuse ? "refused" : "done";
	out->nothing_held = nothing_held;
	rc = 0;
	goto out;
fail:
	pdv_session_tx_rollback(s);
out:
	pdv_cert_draft_release(&draft);
	pdv_buf_release(&doc);
	free(sealed);
	return rc;
}

/* --- the status page --- */

int pdv_reference_index(struct pdv_session *s, const char *reference, uint8_t ret[32],
                        struct pdv_error *err)
{
	enum pdv_reference_fault fault;
	char ref[PDV_REFERENCE_MAX];
	const void *parts[2] = {"status-reference", ref};
	size_t lens[2] = {16, PDV_REFERENCE_CHARS};

	if (pdv_reference_parse(reference, ref, NULL, &fault) < 0)
		return reference_refused(err, "reference", reference ? reference : "", fault);
	pdv_mac(s->vault->index_key, 2, parts, lens, ret);
	return 0;
}

int pdv_status_start(struct pdv_session *s, const char *reference, bool send,
                     char ret_id[PDV_ID_MAX], pdv_time_t *ret_expires, struct pdv_error *err)
{
	enum pdv_reference_fault fault;
	struct pdv_request_row row;
	char ref[PDV_REFERENCE_MAX], canon[PDV_ID_MAX] = "", *addr = NULL;
	uint8_t ad[48];
	int rc;

	ret_id[0] = '\0';
	if (pdv_reference_parse(reference, ref, NULL, &fault) < 0)
		return reference_refused(err, "reference", reference ? reference : "", fault);
	rc = pdv_store_request_by_reference(s->store, ref, &row, err);
	if (rc < 0 && rc != PDV_E_NOTFOUND)
		return rc;
	pdv_error_clear(err);
	if (rc == 0 && send && row.address && row.address_len > PDV_SEAL_OVERHEAD) {
		size_t n = row.address_len - PDV_SEAL_OVERHEAD;

		if (!(addr = pdv_secure_alloc(n + 1)))
			return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		if ((rc = pdv_open(s->vault->stats_key, ad, address_ad(ref, ad), row.address,
		                   row.address_len, (uint8_t *)addr, err)) < 0) {
			pdv_secure_free(addr);
			return rc;
		}
		addr[n] = '\0';
		pdv_id_canonical('q', row.id, row.tag, canon);
	}
	/* no address to send to: a check all the same, that no code opens (its
	 * code went nowhere, and a guessed one finds no request) */
	rc = pdv_intake_check_start(s, "status", addr ? "verification" : NULL, addr ? addr : "-",
	                            canon[0] ? (const uint8_t *)canon : NULL, strlen(canon), ret_id,
	                            ret_expires, err);
	pdv_secure_free(addr);
	return rc;
}

/* a sealed reason opened into sodium memory; *ret stays NULL when none */
static int reason_open(struct pdv_session *s, const char *canon, const uint8_t *sealed, size_t len,
                       char **ret, struct pdv_error *err)
{
	size_t n;
	int rc;

	*ret = NULL;
	if (!sealed || len <= PDV_SEAL_OVERHEAD)
		return 0;
	n = len - PDV_SEAL_OVERHEAD;
	if (!(*ret = pdv_secure_alloc(n + 1)))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if ((rc = pdv_open(s->vault->stats_key, canon, strlen(canon), sealed, len, (uint8_t *)*ret,
	                   err)) < 0) {
		pdv_secure_free(*ret);
		*ret = NULL;
		return rc;
	}
	(*ret)[n] = '\0';
	return 0;
}

/* an erasure's answer carries its certificate, signed now with the key
 * current now */
static int certificate_attach(struct pdv_session *s, int64_t request_id, struct pdv_outbound *m,
                              struct pdv_error *err)
{
	struct pdv_certificate_row row;
	char id[PDV_ID_MAX];
	struct pdv_buf b;
	int rc;

	if ((rc = pdv_store_certificate_of_request(s->store, request_id, &row, err)) < 0)
		return rc;
	pdv_id_format(s->vault, 'd', row.id, row.tag, id);
	pdv_buf_init(&b, 0);
	if ((rc = pdv_certificate_sign_id(s, id, &b, err)) < 0) {
		pdv_buf_release(&b);
		return rc;
	}
	m->attachment = (char *)b.data; /* handed over: freed by pdv_outbound_release */
	m->attachment_len = b.len;
	return 0;
}

int pdv_request_message_open(struct pdv_session *s, const struct pdv_outbox_row *row,
                             struct pdv_outbound *m, struct pdv_error *err)
{
	struct pdv_request_row req;
	char canon[PDV_ID_MAX];
	uint8_t tag[PDV_TAG_LEN], ad[48];
	int64_t id;
	size_t n;
	int rc;

	m->channel = PDV_OUTBOUND_NONE;
	snprintf(m->why_not, sizeof(m->why_not), "no-address");
	if (!row->payload || row->payload_len >= sizeof(canon))
		return pdv_error_set(err, PDV_E_INVAL, "outbox message %lld names no request",
		                     (long long)row->id);
	memcpy(canon, row->payload, row->payload_len);
	canon[row->payload_len] = '\0';
	if (pdv_id_parse_canonical(canon, 'q', &id, tag) < 0)
		return pdv_error_set(err, PDV_E_INVAL, "outbox message %lld names no request",
		                     (long long)row->id);
	rc = pdv_store_request_get(s->store, id, &req, err);
	if (rc == PDV_E_NOTFOUND || (rc == 0 && !pdv_equal(req.tag, tag, PDV_TAG_LEN))) {
		pdv_error_clear(err);
		return 0;
	}
	if (rc < 0)
		return rc;
	if (!req.address || req.address_len <= PDV_SEAL_OVERHEAD || !req.reference)
		return 0;
	pdv_strlcpy(m->reference, req.reference, sizeof(m->reference));
	pdv_strlcpy(m->request_kind, req.kind, sizeof(m->request_kind));
	pdv_strlcpy(m->received, req.received, sizeof(m->received));
	pdv_strlcpy(m->due, req.due, sizeof(m->due));
	if (req.lang)
		pdv_strlcpy(m->lang, req.lang, sizeof(m->lang));
	n = req.address_len - PDV_SEAL_OVERHEAD;
	if (!(m->to = pdv_secure_alloc(n + 1)))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if ((rc = pdv_open(s->vault->stats_key, ad, address_ad(m->reference, ad), req.address,
	                   req.address_len, (uint8_t *)m->to, err)) < 0)
		return rc;
	m->to[n] = '\0';
	if (strcmp(row->kind, "extension") == 0)
		rc = reason_open(s, canon, req.extension_reason, req.extension_reason_len,
		                 &m->reasons, err);
	else if (strcmp(row->kind, "refusal") == 0)
		rc = reason_open(s, canon, req.reason, req.reason_len, &m->reasons, err);
	else if (strcmp(row->kind, "erasure-answer") == 0)
		rc = certificate_attach(s, id, m, err);
	if (rc < 0)
		return rc;
	m->channel = PDV_OUTBOUND_EMAIL;
	m->why_not[0] = '\0';
	return 0;
}

void pdv_request_status_release(struct pdv_request_status *st)
{
	pdv_secure_free(st->extension_reason);
	pdv_secure_free(st->reason);
	st->extension_reason = NULL;
	st->reason = NULL;
	pdv_wipe(st->download, sizeof(st->download)); /* the link opens the export */
}

int pdv_status_read(struct pdv_session *s, const struct pdv_verified *ok,
                    struct pdv_request_status *ret, struct pdv_error *err)
{
	struct pdv_request_row row;
	struct pdv_subject_row srow;
	char canon[PDV_ID_MAX], subject[PDV_ID_MAX] = "";
	uint8_t tag[PDV_TAG_LEN];
	int64_t id;
	int rc;

	memset(ret, 0, sizeof(*ret));
	if (ok->result != PDV_VERIFY_OK || strcmp(ok->purpose, "status") != 0 || !ok->payload ||
	    ok->payload_len >= sizeof(canon))
		goto none;
	memcpy(canon, ok->payload, ok->payload_len);
	canon[ok->payload_len] = '\0';
	if (pdv_id_parse_canonical(canon, 'q', &id, tag) < 0)
		goto none;
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	rc = pdv_store_request_get(s->store, id, &row, err);
	if (rc == PDV_E_NOTFOUND || (rc == 0 && !pdv_equal(row.tag, tag, PDV_TAG_LEN))) {
		pdv_session_tx_rollback(s);
		goto none;
	}
	if (rc < 0 ||
	    (rc = reason_open(s, canon, row.extension_reason, row.extension_reason_len,
	                      &ret->extension_reason, err)) < 0 ||
	    (rc = reason_open(s, canon, row.reason, row.reason_len, &ret->reason, err)) < 0)
		goto fail;
	if (row.closed_at)
		day_text(pdv_controller_day(country(s), row.closed_at), ret->closed);
	if (row.subject_id && pdv_store_subject_get(s->store, row.subject_id, &srow, NULL) == 0)
		pdv_id_canonical('s', srow.id, srow.tag, subject); /* for the audit log */
	fill(s, &row, &ret->info);
	/* after fill: the row's strings last until the next store call */
	if (strcmp(ret->info.status, "done") == 0 &&
	    (rc = pdv_download_link(s, row.id, ret->download, &ret->download_expires, err)) < 0)
		goto fail;
	if ((rc = pdv_audit_append(s, "request-status-read", subject[0] ? subject : NULL, NULL,
	                           NULL, canon, err)) < 0 ||
	    (rc = pdv_session_tx_commit(s, err)) < 0)
		goto released;
	return 0;
fail:
	pdv_session_tx_rollback(s);
released:
	pdv_request_status_release(ret);
	return rc;
none:
	pdv_error_set(err, PDV_E_NOTFOUND, "this check names no request");
	pdv_error_field(err, "check");
	return PDV_E_NOTFOUND;
}

int pdv_request_attach_id_document(struct pdv_session *s, const char *request, const void *doc,
                                   size_t len, struct pdv_error *err)
{
	struct pdv_request_row row;
	uint8_t *sealed = NULL;
	char canon[PDV_ID_MAX];
	int rc;

	if (len == 0 || len > PDV_ID_DOCUMENT_MAX) {
		pdv_error_set(err, PDV_E_INVAL, "an identity document is 1 byte to %d MiB",
		              PDV_ID_DOCUMENT_MAX >> 20);
		pdv_error_field(err, "id_document");
		return PDV_E_INVAL;
	}
	if (!(sealed = malloc(len + PDV_SEAL_OVERHEAD)))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		goto out;
	if ((rc = request_find(s, request, &row, err)) == 0)
		pdv_id_canonical('q', row.id, row.tag, canon);
	if (rc < 0 ||
	    (rc = pdv_seal(s->vault->stats_key, canon, strlen(canon), doc, len, sealed, err)) < 0 ||
	    (rc = pdv_store_request_set_id_document(s->store, row.id, sealed,
	                                            len + PDV_SEAL_OVERHEAD, err)) < 0 ||
	    (rc = pdv_audit_append(s, "id-document", NULL, NULL, NULL, canon, err)) < 0) {
		pdv_session_tx_rollback(s);
		goto out;
	}
	rc = pdv_session_tx_commit(s, err);
out:
	free(sealed);
	return rc;
}

struct doc_sweep {
	struct pdv_session *s;
	bool has_span;
	struct pdv_span span;
	int64_t *due_ids;
	size_t n, cap;
};

/* when the document's retention ends, or 0 when it does not yet */
static pdv_time_t doc_end(struct doc_sweep *c, const char *received, const char *status,
                          int64_t closed_at)
{
	pdv_day_t from, end;
	struct pdv_duration d = {0, PDV_UNIT_DAY};

	if (!c->has_span) {
		/* nothing declared: kept no longer than the request */
		return strcmp(status, "open") != 0 ? closed_at : 0;
	}
	if (c->span.kind != PDV_SPAN_DURATION)
		return 0;
	if (c->span.from.kind == PDV_TRIGGER_COLLECTION) {
		if (parse_day(received, &from) < 0)
			return 0;
	} else if (c->span.from.kind == PDV_TRIGGER_EVENT &&
	           strcmp(c->span.from.event, "request-closed") == 0) {
		if (strcmp(status, "open") == 0)
			return 0;
		from = pdv_time_day(closed_at);
	} else {
		return 0;
	}
	d = c->span.dur;
	if (pdv_day_add(from, d, &end) < 0)
		return 0;
	return pdv_day_start(end + 1);
}

static int doc_due(void *ctx, int64_t id, const char *received, const char *status,
                   int64_t closed_at)
{
	struct doc_sweep *c = ctx;
	pdv_time_t end = doc_end(c, received, status, closed_at);

	if (!end || c->s->now < end)
		return 0;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		int64_t *p = realloc(c->due_ids, cap * sizeof(*p));

		if (!p)
			return PDV_E_NOMEM;
		c->due_ids = p;
		c->cap = cap;
	}
	c->due_ids[c->n++] = id;
	return 0;
}

int pdv_id_documents_sweep(struct pdv_session *s, bool dry_run, long *ret_destroyed,
                           struct pdv_error *err)
{
	struct doc_sweep c = {.s = s};
	const char *ret = s->vault->decl->rights.id_document.retention.s;
	int rc;

	*ret_destroyed = 0;
	c.has_span = ret && pdv_span_parse(ret, &c.span, NULL) == 0;
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	rc = pdv_store_requests_with_id_document(s->store, doc_due, &c, err);
	if (rc == PDV_E_NOMEM)
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	for (size_t i = 0; rc == 0 && i < c.n && !dry_run; i++)
		if ((rc = pdv_store_request_set_id_document(s->store, c.due_ids[i], NULL, 0,
		                                            err)) == 0)
			rc = pdv_audit_append(s, "id-document-destroyed", NULL, NULL, NULL, NULL,
			                      err);
	if (rc == 0 && !dry_run)
		rc = pdv_session_tx_commit(s, err);
	else
		pdv_session_tx_rollback(s);
	if (rc == 0)
		*ret_destroyed = (long)c.n;
	free(c.due_ids);
	return rc < 0 ? rc : 0;
}

/* --- the request as the DPO works it: notes, what was asked, its timeline --- */

/* associated data of a request's notes: bound to the request */
static size_t note_ad(const char *canon, uint8_t out[64])
{
	static const char what[] = "pdv-request-note";
	size_t n = strlen(canon);

	memcpy(out, what, sizeof(what));
	memcpy(out + sizeof(what), canon, n);
	return sizeof(what) + n;
}

int pdv_request_note(struct pdv_session *s, const char *request, const char *text,
                     struct pdv_error *err)
{
	struct pdv_request_row row;
	size_t n = text ? strlen(text) : 0;
	uint8_t *sealed = NULL, ad[64];
	char canon[PDV_ID_MAX];
	int64_t id;
	int rc;

	if (n == 0 || n > 8192 || !pdv_utf8_valid(text, n)) {
		pdv_error_set(err, PDV_E_INVAL, "a note is text, 1 to 8192 bytes of UTF-8");
		pdv_error_field(err, "text");
		return PDV_E_INVAL;
	}
	if ((rc = pdv_vault_dpo_only(s, "a note on a request", err)) < 0)
		return rc;
	if (!(sealed = malloc(n + PDV_SEAL_OVERHEAD)))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		goto out;
	if ((rc = request_find(s, request, &row, err)) == 0)
		pdv_id_canonical('q', row.id, row.tag, canon);
	/* the note is sealed (it may name the person); the log says one was
	 * written, by whom, never what */
	if (rc < 0 ||
	    (rc = pdv_seal(s->vault->stats_key, ad, note_ad(canon, ad), text, n, sealed, err)) <
	        0 ||
	    (rc = pdv_store_request_note_insert(s->store, row.id, s->now, s->actor, sealed,
	                                        n + PDV_SEAL_OVERHEAD, &id, err)) < 0 ||
	    (rc = pdv_audit_append(s, "request-note", NULL, NULL, NULL, canon, err)) < 0) {
		pdv_session_tx_rollback(s);
		goto out;
	}
	rc = pdv_session_tx_commit(s, err);
out:
	free(sealed);
	return rc;
}

void pdv_request_private_release(struct pdv_request_private *p)
{
	pdv_secure_free(p->requester);
	pdv_secure_free(p->asked);
	p->requester = p->asked = NULL;
}

/* a sealed value opened into sodium memory, NUL-terminated; NULL when none */
static int open_sealed(struct pdv_session *s, const uint8_t *ad, size_t ad_len,
                       const uint8_t *sealed, size_t len, char **ret, struct pdv_error *err)
{
	size_t n;
	int rc;

	*ret = NULL;
	if (!sealed || len <= PDV_SEAL_OVERHEAD)
		return 0;
	n = len - PDV_SEAL_OVERHEAD;
	if (!(*ret = pdv_secure_alloc(n + 1)))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if ((rc = pdv_open(s->vault->stats_key, ad, ad_len, sealed, len, (uint8_t *)*ret, err)) <
	    0) {
		pdv_secure_free(*ret);
		*ret = NULL;
		return rc;
	}
	(*ret)[n] = '\0';
	return 0;
}

int pdv_request_private_open(struct pdv_session *s, const char *request,
                             struct pdv_request_private *ret, struct pdv_error *err)
{
	struct pdv_request_row row;
	char canon[PDV_ID_MAX], ref[PDV_REFERENCE_MAX];
	uint8_t ad[48];
	int rc;

	memset(ret, 0, sizeof(*ret));
	if ((rc = pdv_vault_dpo_only(s, "who asked, and what", err)) < 0)
		return rc;
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = request_find(s, request, &row, err)) < 0)
		goto fail;
	pdv_id_canonical('q', row.id, row.tag, canon);
	pdv_strlcpy(ref, row.reference ? row.reference : "", sizeof(ref));
	if (!row.address && !row.rectification) {
		/* nothing sealed to open: nothing read, nothing logged */
		pdv_session_tx_rollback(s);
		return 0;
	}
	if ((rc = open_sealed(s, ad, address_ad(ref, ad), row.address, row.address_len,
	                      &ret->requester, err)) < 0 ||
	    (rc = open_sealed(s, ad, asked_ad(ref, ad), row.rectification, row.rectification_len,
	                      &ret->asked, err)) < 0 ||
	    (rc = pdv_audit_append(s, "request-read", NULL, NULL, NULL, canon, err)) < 0)
		goto fail;
	if ((rc = pdv_session_tx_commit(s, err)) < 0)
		goto released;
	return 0;
fail:
	pdv_session_tx_rollback(s);
released:
	pdv_request_private_release(ret);
	return rc;
}

/* one event of the timeline, copied out of the store's iterations */
struct event_copy {
	size_t seq; /* the order found, for events of the same time */
	const char *what;
	pdv_time_t at;
	char day[11];
	char kind[32], status[16], recipient[64], author[64];
	uint8_t *sealed; /* a note's, opened after the iteration */
	size_t sealed_len;
	char *text; /* sodium memory */
};

struct events {
	struct event_copy *v;
	size_t n, cap;
	int rc;
};

static struct event_copy *event_add(struct events *l, const char *what, pdv_time_t at)
{
	struct event_copy *e;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct event_copy *p = realloc(l->v, cap * sizeof(*p));

		if (!p)
			return NULL;
		l->v = p;
		l->cap = cap;
	}
	e = &l->v[l->n];
	memset(e, 0, sizeof(*e));
	e->seq = l->n++;
	e->what = what;
	e->at = at;
	return e;
}

static int message_event(void *ctx, const struct pdv_outbox_row *row)
{
	struct events *l = ctx;
	struct event_copy *e = event_add(l, "message", row->created_at);

	if (!e)
		return PDV_E_NOMEM;
	pdv_strlcpy(e->kind, row->kind ? row->kind : "", sizeof(e->kind));
	pdv_strlcpy(e->status, row->status ? row->status : "queued", sizeof(e->status));
	pdv_strlcpy(e->recipient, row->recipient ? row->recipient : "", sizeof(e->recipient));
	if (row->sent_at) /* when it went, rather than when it was queued */
		e->at = row->sent_at;
	return 0;
}

static int note_event(void *ctx, const struct pdv_request_note_row *row)
{
	struct events *l = ctx;
	struct event_copy *e = event_add(l, "note", row->created_at);

	if (!e)
		return PDV_E_NOMEM;
	pdv_strlcpy(e->author, row->author ? row->author : "", sizeof(e->author));
	if (row->note && row->note_len > PDV_SEAL_OVERHEAD) {
		if (!(e->sealed = malloc(row->note_len)))
			return PDV_E_NOMEM;
		memcpy(e->sealed, row->note, row->note_len);
		e->sealed_len = row->note_len;
	}
	return 0;
}

/* within one second: received, its acknowledgement, a decision (extended,
 * done, refused), then the messages it queued, then notes */
static int event_rank(const struct event_copy *e)
{
	if (strcmp(e->what, "received") == 0)
		return 0;
	if (strcmp(e->what, "message") == 0)
		return strcmp(e->kind, "acknowledgement") == 0 ? 1 : 3;
	return strcmp(e->what, "note") == 0 ? 4 : 2;
}

static int event_order(const void *a, const void *b)
{
	const struct event_copy *x = a, *y = b;

	if (strcmp(x->what, "received") == 0 || strcmp(y->what, "received") == 0)
		return strcmp(x->what, "received") == 0 ? -1 : 1;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	if (event_rank(x) != event_rank(y))
		return event_rank(x) < event_rank(y) ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq ? 1 : 0;
}

int pdv_request_timeline(struct pdv_session *s, const char *request, pdv_request_event_cb cb,
                         void *ctx, struct pdv_error *err)
{
	struct events l = {0};
	struct pdv_request_row row;
	struct event_copy *e;
	char canon[PDV_ID_MAX], status[16];
	uint8_t ad[64];
	bool texts = pdv_vault_sees_all(s), opened = false;
	int64_t extended_at, closed_at;
	uint8_t *ext = NULL, *why = NULL;
	size_t ext_len = 0, why_len = 0;
	int rc;

	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = request_find(s, request, &row, err)) < 0)
		goto out;
	pdv_id_canonical('q', row.id, row.tag, canon);
	/* the row's buffers go with the next store call: what is kept of it */
	pdv_strlcpy(status, row.status, sizeof(status));
	extended_at = row.extended_at;
	closed_at = row.closed_at;
	if (!(e = event_add(&l, "received", 0))) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	pdv_strlcpy(e->day, row.received, sizeof(e->day));
	if (texts && row.extension_reason && (ext = malloc(row.extension_reason_len))) {
		memcpy(ext, row.extension_reason, row.extension_reason_len);
		ext_len = row.extension_reason_len;
	}
	if (texts && row.reason && (why = malloc(row.reason_len))) {
		memcpy(why, row.reason, row.reason_len);
		why_len = row.reason_len;
	}
	if (row.extended && !(e = event_add(&l, "extended", extended_at))) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	if (row.extended && texts && ext) {
		opened = true;
		if ((rc = reason_open(s, canon, ext, ext_len, &e->text, err)) < 0)
			goto out;
	}
	if (strcmp(status, "open") != 0) {
		if (!(e = event_add(&l, strcmp(status, "done") == 0 ? "done" : "refused",
		                    closed_at))) {
			rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
			goto out;
		}
		if (texts && why) {
			opened = true;
			if ((rc = reason_open(s, canon, why, why_len, &e->text, err)) < 0)
				goto out;
		}
	}
	if ((rc = pdv_store_outbox_of_request(s->store, row.id, message_event, &l, err)) < 0 ||
	    (rc = pdv_store_request_notes_of(s->store, row.id, note_event, &l, err)) < 0) {
		if (rc == PDV_E_NOMEM)
			rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; texts && i < l.n; i++) {
		if (!l.v[i].sealed)
			continue;
		opened = true;
		if ((rc = open_sealed(s, ad, note_ad(canon, ad), l.v[i].sealed, l.v[i].sealed_len,
		                      &l.v[i].text, err)) < 0)
			goto out;
	}
	if (opened && (rc = pdv_audit_append(s, "request-read", NULL, NULL, NULL, canon, err)) < 0)
		goto out;
	/* an extension from before its time was kept: when its notice was queued */
	for (size_t i = 0; i < l.n; i++)
		if (strcmp(l.v[i].what, "extended") == 0 && !l.v[i].at)
			for (size_t k = 0; k < l.n; k++)
				if (strcmp(l.v[k].what, "message") == 0 &&
				    strcmp(l.v[k].kind, "extension") == 0)
					l.v[i].at = l.v[k].at;
	if (l.n)
		qsort(l.v, l.n, sizeof(l.v[0]), event_order);
	for (size_t i = 0; i < l.n && rc == 0; i++) {
		struct event_copy *c = &l.v[i];
		struct pdv_request_event ev = {
		    .what = c->what,
		    .at = c->at,
		    .kind = c->kind[0] ? c->kind : NULL,
		    .status = c->status[0] ? c->status : NULL,
		    .recipient = c->recipient[0] ? c->recipient : NULL,
		    .author = c->author[0] ? c->author : NULL,
		    .text = c->text,
		};

		if (c->day[0])
			pdv_strlcpy(ev.day, c->day, sizeof(ev.day));
		else if (c->at)
			day_text(pdv_controller_day(country(s), c->at), ev.day);
		rc = cb(ctx, &ev);
	}
out:
	if (rc == 0)
		rc = pdv_session_tx_commit(s, err);
	else
		pdv_session_tx_rollback(s);
	for (size_t i = 0; i < l.n; i++) {
		free(l.v[i].sealed);
		pdv_secure_free(l.v[i].text);
	}
	free(l.v);
	free(ext);
	free(why);
	return rc;
}

int pdv_request_preview(struct pdv_session *s, const char *request, char ret_subject[PDV_ID_MAX],
                        pdv_erase_item_cb cb, void *ctx, struct pdv_error *err)
{
	struct pdv_request_row row;
	struct pdv_subject_row srow;
	char canon[PDV_ID_MAX], csubject[PDV_ID_MAX] = "";
	int rc;

	ret_subject[0] = '\0';
	if ((rc = pdv_vault_dpo_only(s, "the preview of an erasure", err)) < 0 ||
	    (rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = request_find(s, request, &row, err)) < 0)
		goto fail;
	if (strcmp(row.kind, "erasure") != 0 || strcmp(row.status, "open") != 0) {
		pdv_error_set(err, PDV_E_INVAL,
		              "a preview is of an open erasure request; %s is %s %s", request,
		              strcmp(row.status, "open") == 0 ? "an open" : "a closed", row.kind);
		pdv_error_field(err, "request");
		rc = PDV_E_INVAL;
		goto fail;
	}
	pdv_id_canonical('q', row.id, row.tag, canon);
	if (row.subject_id && pdv_store_subject_get(s->store, row.subject_id, &srow, NULL) == 0 &&
	    srow.wrapped_key) {
		pdv_id_format(s->vault, 's', srow.id, srow.tag, ret_subject);
		pdv_id_canonical('s', srow.id, srow.tag, csubject);
	}
	if ((rc = pdv_audit_append(s, "request-preview", csubject[0] ? csubject : NULL, NULL, NULL,
	                           canon, err)) < 0 ||
	    (rc = pdv_session_tx_commit(s, err)) < 0)
		goto fail;
	if (!ret_subject[0])
		return 0;
	return pdv_erase_preview(s, ret_subject, cb, ctx, err);
fail:
	pdv_session_tx_rollback(s);
	return rc;
}
