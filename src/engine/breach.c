/*
 * breach.c — the breach register (Art. 33(5)) and its 72-hour clock.
 *
 * Every breach is written down, whatever its risk: when the controller
 * became aware, the authority's deadline (awareness + 72 hours, exactly:
 * pdv_breach_authority_due), a summary typed by staff, the assessment of the
 * risk with its reasons, and when the authority and the people were told
 * (with the reasons for a late notification, Art. 33(1)). Unassessed, a
 * breach is taken to need the authority; assessed unlikely to result in a
 * risk, it needs no one; high, it needs the people too (Art. 34(1)).
 *
 * The texts may name people, so each is sealed under the statistics key,
 * bound to its row and its use; reading them writes an audit entry like any
 * read of personal data. A notification time is set once: the register keeps
 * what was done, not what was corrected later; it is the time it was done
 * (given, or now), never in the future nor before awareness, and "late" is
 * that time past the deadline. An assessment may be revised (phased
 * information, Art. 33(4)); the audit log keeps each one, the row the last
 * with its time. The Art. 33(3) items are fields of their own, so the
 * authority's form and the notice to the people take each where it goes.
 */
#include <stdlib.h>
#include <string.h>

#include "engine-internal.h"

#define TEXT_MAX PDV_BREACH_SUMMARY_MAX

static const char *const risks[] = {"unlikely", "risk", "high"};

/* the sealed texts of a row, by use (the associated data) */
enum { T_SUMMARY, T_RISK, T_LATE, T_NATURE, T_CATEGORIES, T_CONSEQUENCES, T_MEASURES, T_REF, N_T };
static const char *const text_use[N_T] = {"",           "risk",         "late",     "nature",
                                          "categories", "consequences", "measures", "reference"};

#define COUNT_MAX INT64_C(1000000000000) /* far above any breach, far from overflow */

/* associated data: a text belongs to this row and this use ("", "risk",
 * "late") and to no other */
static size_t breach_ad(const uint8_t tag[PDV_TAG_LEN], const char *use, uint8_t ad[48])
{
	size_t n = strlen(use);

	memcpy(ad, "pdv-breach", 10);
	memcpy(ad + 10, use, n);
	memcpy(ad + 10 + n, tag, PDV_TAG_LEN);
	return 10 + n + PDV_TAG_LEN;
}

static int check_text(const char *text, const char *field, const char *what, struct pdv_error *err)
{
	size_t n = text ? strlen(text) : 0;

	if (n == 0 || n > TEXT_MAX || !pdv_utf8_valid(text, n)) {
		pdv_error_set(err, PDV_E_INVAL, "%s (UTF-8, at most 65536 bytes)", what);
		pdv_error_field(err, field);
		return PDV_E_INVAL;
	}
	return 0;
}

/* *ret: malloc'd, n + PDV_SEAL_OVERHEAD bytes */
static int seal_text(struct pdv_session *s, const uint8_t tag[PDV_TAG_LEN], const char *use,
                     const char *text, uint8_t **ret, size_t *ret_len, struct pdv_error *err)
{
	size_t n = strlen(text);
	uint8_t ad[48];
	int rc;

	if (!(*ret = malloc(n + PDV_SEAL_OVERHEAD)))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if ((rc = pdv_seal(s->vault->stats_key, ad, breach_ad(tag, use, ad), text, n, *ret, err)) <
	    0) {
		free(*ret);
		*ret = NULL;
		return rc;
	}
	*ret_len = n + PDV_SEAL_OVERHEAD;
	return 0;
}

static const char *risk_known(const char *risk)
{
	for (size_t i = 0; i < sizeof(risks) / sizeof(risks[0]); i++)
		if (risk && strcmp(risk, risks[i]) == 0)
			return risks[i];
	return NULL;
}

static int check_risk(const char *risk, const char *reason, struct pdv_error *err)
{
	if (!risk_known(risk)) {
		pdv_error_set(err, PDV_E_INVAL,
		              "the risk is unlikely (nothing to notify), risk (the authority) or "
		              "high (the authority and the people)");
		pdv_error_field(err, "risk");
		return PDV_E_INVAL;
	}
	return check_text(reason, "reason", "an assessment needs its reasons", err);
}

static void fill(const struct pdv_session *s, const struct pdv_breach_row *r,
                 struct pdv_breach_info *out)
{
	const struct pdv_controller *ctl = &s->vault->decl->controller;
	const char *risk = risk_known(r->risk);

	memset(out, 0, sizeof(*out));
	pdv_id_format(s->vault, 'b', r->id, r->tag, out->breach);
	out->aware_at = r->aware_at;
	out->authority_due = r->authority_due;
	out->authority_notified = r->authority_notified;
	out->subjects_notified = r->subjects_notified;
	out->risk = risk ? risk : "unassessed";
	out->authority_required = !risk || strcmp(risk, "unlikely") != 0;
	out->subjects_required = risk && strcmp(risk, "high") == 0;
	out->overdue =
	    out->authority_required && !r->authority_notified && s->now > r->authority_due;
	out->recorded_at = r->recorded_at;
	out->assessed_at = r->assessed_at;
	out->late = r->authority_notified > r->authority_due;
	out->people_to_tell = out->subjects_required && !r->subjects_notified;
	out->people_count = r->people_count;
	out->records_count = r->records_count;
	out->subjects_notices = r->subjects_notices;
	out->subjects_unreachable = r->subjects_unreachable;
	out->contact = ctl->dpo.email.s && *ctl->dpo.email.s ? ctl->dpo.email.s
	               : ctl->email.s && *ctl->email.s       ? ctl->email.s
	                                                     : NULL;
}

/*
 * How every write ends, in the transaction it opened: rc so far, then the
 * audit entry `action` naming the breach (none when NULL) and the commit. On
 * any failure nothing of it stays and out is cleared.
 */
static int write_end(struct pdv_session *s, int rc, const char *action, struct pdv_breach_info *out,
                     struct pdv_error *err)
{
	char canon[PDV_ID_MAX];

	if (rc == 0 && action)
		rc = pdv_audit_append(s, action, NULL, NULL, NULL,
		                      pdv_id_canon(s, 'b', out->breach, canon), err);
	if (rc == 0)
		rc = pdv_session_tx_commit(s, err);
	if (rc < 0) {
		pdv_session_tx_rollback(s);
		memset(out, 0, sizeof(*out));
	}
	return rc;
}

int pdv_breach_open(struct pdv_session *s, pdv_time_t aware_at, const char *summary,
                    const char *risk, const char *risk_reason, struct pdv_breach_info *out,
                    struct pdv_error *err)
{
	struct pdv_breach_row row = {0};
	uint8_t *sealed = NULL, *reason = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (aware_at > s->now) {
		pdv_error_set(err, PDV_E_INVAL, "the time of awareness is in the future");
		pdv_error_field(err, "aware");
		return PDV_E_INVAL;
	}
	if ((rc = check_text(summary, "summary",
	                     "a breach needs a summary: what happened, to which data and how many "
	                     "people, what was done",
	                     err)) < 0 ||
	    ((risk || risk_reason) && (rc = check_risk(risk, risk_reason, err)) < 0))
		return rc;
	/* the clock and the readers stop at 9999-12-31T23:59:59Z; the deadline
	 * is 72 hours later and must still be a date */
	if (!pdv_time_valid(pdv_breach_authority_due(aware_at))) {
		pdv_error_set(err, PDV_E_RANGE,
		              "the authority's deadline (aware + 72 hours) falls after year 9999");
		pdv_error_field(err, "aware");
		return PDV_E_RANGE;
	}
	pdv_random(row.tag, sizeof(row.tag));
	row.aware_at = aware_at;
	row.recorded_at = s->now;
	row.assessed_at = risk ? s->now : 0;
	row.people_count = row.records_count = -1;
	row.subjects_notices = row.subjects_unreachable = -1;
	row.authority_due = pdv_breach_authority_due(aware_at);
	row.risk = risk_known(risk);
	if ((rc = seal_text(s, row.tag, "", summary, &sealed, &row.summary_len, err)) < 0 ||
	    (risk && (rc = seal_text(s, row.tag, "risk", risk_reason, &reason, &row.risk_reason_len,
	                             err)) < 0))
		goto out;
	row.summary = sealed;
	row.risk_reason = reason;
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		goto out;
	if ((rc = pdv_store_breach_insert(s->store, &row, err)) == 0) {
		char canon[PDV_ID_MAX];

		fill(s, &row, out);
		pdv_id_canonical('b', row.id, row.tag, canon);
		rc = pdv_audit_append(s, "breach-open", NULL, NULL, NULL, canon, err);
	}
	rc = write_end(s, rc, risk ? "breach-assess" : NULL, out, err);
out:
	free(sealed);
	free(reason);
	return rc < 0 ? rc : 0;
}

static int breach_find(struct pdv_session *s, const char *breach, struct pdv_breach_row *row,
                       struct pdv_error *err)
{
	uint8_t tag[PDV_TAG_LEN];
	int64_t id;
	int rc;

	if (breach && pdv_id_parse(s, breach, 'b', &id, tag) == 0) {
		rc = pdv_store_breach_get(s->store, id, row, err);
		if (rc < 0 && rc != PDV_E_NOTFOUND)
			return rc;
		if (rc == 0 && pdv_equal(row->tag, tag, PDV_TAG_LEN))
			return 0;
	}
	pdv_error_set(err, PDV_E_NOTFOUND, "no breach '%.*s'",
	              PDV_UTF8_CUT(breach ? breach : "", 40));
	pdv_error_field(err, "breach");
	return PDV_E_NOTFOUND;
}

int pdv_breach_assess(struct pdv_session *s, const char *breach, const char *risk,
                      const char *reason, struct pdv_breach_info *out, struct pdv_error *err)
{
	struct pdv_breach_row row;
	const char *known = risk_known(risk);
	uint8_t *sealed = NULL;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = check_risk(risk, reason, err)) < 0)
		return rc;
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = breach_find(s, breach, &row, err)) == 0 &&
	    (rc = seal_text(s, row.tag, "risk", reason, &sealed, &len, err)) == 0 &&
	    (rc = pdv_store_breach_assess(s->store, row.id, known, sealed, len, s->now, err)) ==
	        0) {
		row.risk = known;
		row.assessed_at = s->now;
		fill(s, &row, out);
	}
	rc = write_end(s, rc, "breach-assess", out, err);
	free(sealed);
	return rc;
}

/* the reference an authority gives: one line of printable text */
static int check_reference(const char *ref, struct pdv_error *err)
{
	size_t n = strlen(ref);

	for (size_t i = 0; i < n; i++)
		if ((unsigned char)ref[i] < 0x20 || ref[i] == 0x7f)
			n = 0;
	if (n == 0 || n > PDV_BREACH_REFERENCE_MAX || !pdv_utf8_valid(ref, n)) {
		pdv_error_set(err, PDV_E_INVAL,
		              "the authority's reference is one line of text, at most %d bytes",
		              PDV_BREACH_REFERENCE_MAX);
		pdv_error_field(err, "reference");
		return PDV_E_INVAL;
	}
	return 0;
}

/* when a notification was made: not in the future, not before awareness */
static int check_told_at(struct pdv_session *s, const struct pdv_breach_row *row, pdv_time_t at,
                         struct pdv_error *err)
{
	char aware[21];

	if (at > s->now) {
		pdv_error_set(err, PDV_E_INVAL,
		              "the time of the notification is in the future: record it once made");
		pdv_error_field(err, "at");
		return PDV_E_INVAL;
	}
	if (at < row->aware_at) {
		pdv_time_format(row->aware_at, aware);
		pdv_error_set(err, PDV_E_INVAL,
		              "the time of the notification is before awareness (%s)", aware);
		pdv_error_field(err, "at");
		return PDV_E_INVAL;
	}
	return 0;
}

int pdv_breach_notify(struct pdv_session *s, const char *breach, const char *who, pdv_time_t at,
                      const char *reference, const char *late_reason, struct pdv_breach_info *out,
                      struct pdv_error *err)
{
	struct pdv_breach_row row;
	bool authority = who && strcmp(who, "authority") == 0;
	uint8_t *sealed = NULL, *ref = NULL;
	size_t len = 0, ref_len = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!authority && !(who && strcmp(who, "subjects") == 0))
		return pdv_error_set(err, PDV_E_INTERNAL, "notify whom?");
	if (reference && !authority) {
		pdv_error_set(err, PDV_E_INVAL, "only the authority gives a reference");
		pdv_error_field(err, "reference");
		return PDV_E_INVAL;
	}
	if (reference && (rc = check_reference(reference, err)) < 0)
		return rc;
	if (!at)
		at = s->now;
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = breach_find(s, breach, &row, err)) < 0 ||
	    (rc = check_told_at(s, &row, at, err)) < 0)
		goto end;
	if (authority ? row.authority_notified : row.subjects_notified) {
		char told[21];

		pdv_time_format(authority ? row.authority_notified : row.subjects_notified, told);
		rc = pdv_error_set(err, PDV_E_REFUSED, "%s already recorded as told on %s",
		                   authority ? "the authority was" : "the people were", told);
		pdv_error_field(err, who);
		goto end;
	}
	/* Art. 33(1): a late notification comes with the reasons for the delay */
	if (authority && at > row.authority_due &&
	    ((rc = check_text(late_reason, "reason",
	                      "the authority is told after its deadline: give the reasons for "
	                      "the delay (Art. 33(1))",
	                      err)) < 0 ||
	     (rc = seal_text(s, row.tag, "late", late_reason, &sealed, &len, err)) < 0))
		goto end;
	if (reference &&
	    (rc = seal_text(s, row.tag, "reference", reference, &ref, &ref_len, err)) < 0)
		goto end;
	if (authority) {
		row.authority_notified = at;
		row.late_reason = sealed;
		row.late_reason_len = len;
		row.authority_reference = ref;
		row.authority_reference_len = ref_len;
	} else {
		row.subjects_notified = at;
		row.subjects_notices = row.subjects_unreachable = -1;
	}
	if ((rc = pdv_store_breach_notified(s->store, &row, who, err)) < 0)
		goto end;
	fill(s, &row, out);
end:
	rc = write_end(s, rc, authority ? "breach-notify-authority" : "breach-notify-subjects", out,
	               err);
	free(sealed);
	free(ref);
	return rc;
}

struct list_ctx {
	struct pdv_session *s;
	pdv_breach_cb cb;
	void *ctx;
	char *clear; /* sodium memory: N_T texts of TEXT_MAX + 1 */
	struct pdv_error *err;
	int rc;
};

/* a sealed text into slot i of the clear buffer; NULL when there is none */
static const char *open_text(struct list_ctx *c, const struct pdv_breach_row *r, const char *use,
                             const uint8_t *sealed, size_t len, int i, size_t *ret_n)
{
	char *out = c->clear + (size_t)i * (TEXT_MAX + 1);
	uint8_t ad[48];
	size_t n;

	*ret_n = 0;
	if (!sealed || !len)
		return NULL;
	if (len < PDV_SEAL_OVERHEAD || (n = len - PDV_SEAL_OVERHEAD) > TEXT_MAX) {
		c->rc = pdv_error_set(c->err, PDV_E_INTERNAL, "a text of a breach is damaged");
		return NULL;
	}
	if ((c->rc = pdv_open(c->s->vault->stats_key, ad, breach_ad(r->tag, use, ad), sealed, len,
	                      (uint8_t *)out, c->err)) < 0)
		return NULL;
	out[n] = '\0';
	*ret_n = n;
	return out;
}

static int list_one(void *ctx, const struct pdv_breach_row *r)
{
	struct list_ctx *c = ctx;
	struct pdv_breach_info info;
	const uint8_t *sealed[N_T] = {r->summary,  r->risk_reason,        r->late_reason,
	                              r->nature,   r->categories,         r->consequences,
	                              r->measures, r->authority_reference};
	const size_t len[N_T] = {r->summary_len,  r->risk_reason_len,        r->late_reason_len,
	                         r->nature_len,   r->categories_len,         r->consequences_len,
	                         r->measures_len, r->authority_reference_len};
	const char *text[N_T] = {0};
	size_t n[N_T] = {0};

	fill(c->s, r, &info);
	if (c->clear) {
		for (int i = 0; i < N_T && !c->rc; i++)
			text[i] = open_text(c, r, text_use[i], sealed[i], len[i], i, &n[i]);
		if (!c->rc && !text[T_SUMMARY])
			c->rc = pdv_error_set(c->err, PDV_E_INTERNAL,
			                      "the summary of breach %s is missing", info.breach);
		if (c->rc)
			goto wipe;
		info.summary = text[T_SUMMARY];
		info.risk_reason = text[T_RISK];
		info.late_reason = text[T_LATE];
		info.nature = text[T_NATURE];
		info.categories = text[T_CATEGORIES];
		info.consequences = text[T_CONSEQUENCES];
		info.measures = text[T_MEASURES];
		info.authority_reference = text[T_REF];
	}
	c->rc = c->cb(c->ctx, &info);
wipe:
	for (int i = 0; c->clear && i < N_T; i++)
		pdv_wipe(c->clear + (size_t)i * (TEXT_MAX + 1), n[i]);
	return c->rc != 0;
}

int pdv_breach_list(struct pdv_session *s, bool texts, pdv_breach_cb cb, void *ctx,
                    struct pdv_error *err)
{
	struct list_ctx c = {s, cb, ctx, NULL, err, 0};
	int rc;

	if (!texts) {
		rc = pdv_store_breaches_each(s->store, list_one, &c, err);
		return rc > 0 ? c.rc : rc < 0 ? rc : 0;
	}
	if (!(c.clear = pdv_secure_alloc(N_T * (TEXT_MAX + 1))))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	/* the texts are read: an audit entry, committed first */
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		goto out;
	if ((rc = pdv_audit_append(s, "breach-list", NULL, NULL, NULL, NULL, err)) < 0) {
		pdv_session_tx_rollback(s);
		goto out;
	}
	if ((rc = pdv_session_tx_commit(s, err)) < 0)
		goto out;
	rc = pdv_store_breaches_each(s->store, list_one, &c, err);
	if (rc > 0)
		rc = c.rc;
out:
	pdv_secure_free(c.clear);
	return rc < 0 ? rc : 0;
}

int pdv_breach_show(struct pdv_session *s, const char *breach, pdv_breach_cb cb, void *ctx,
                    struct pdv_error *err)
{
	struct list_ctx c = {s, cb, ctx, NULL, err, 0};
	struct pdv_breach_row row;
	char canon[PDV_ID_MAX];
	int rc;

	if (!(c.clear = pdv_secure_alloc(N_T * (TEXT_MAX + 1))))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	/* the texts are read: an audit entry naming the breach, committed first */
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		goto out;
	if ((rc = breach_find(s, breach, &row, err)) == 0)
		pdv_id_canonical('b', row.id, row.tag, canon);
	if (rc < 0 || (rc = pdv_audit_append(s, "breach-read", NULL, NULL, NULL, canon, err)) < 0) {
		pdv_session_tx_rollback(s);
		goto out;
	}
	if ((rc = pdv_session_tx_commit(s, err)) < 0)
		goto out;
	/* read again: the row's bytes are the store's until its next call */
	if ((rc = pdv_store_breach_get(s->store, row.id, &row, err)) < 0)
		goto out;
	list_one(&c, &row);
	rc = c.rc;
out:
	pdv_secure_free(c.clear);
	return rc < 0 ? rc : 0;
}

static int check_count(int64_t n, const char *field, struct pdv_error *err)
{
	if (n < -1 || n > COUNT_MAX) {
		pdv_error_set(err, PDV_E_INVAL, "an approximate number, 0 or more");
		pdv_error_field(err, field);
		return PDV_E_INVAL;
	}
	return 0;
}

int pdv_breach_describe(struct pdv_session *s, const char *breach,
                        const struct pdv_breach_description *d, struct pdv_breach_info *out,
                        struct pdv_error *err)
{
	/* the items in the order of Art. 33(3), with the words of their errors */
	const char *const texts[4] = {d->nature, d->categories, d->consequences, d->measures};
	static const struct {
		const char *use, *what;
	} item[4] = {
	    {"nature", "the nature of the breach (Art. 33(3)(a))"},
	    {"categories", "the categories of people and of records concerned (Art. 33(3)(a))"},
	    {"consequences", "the likely consequences of the breach (Art. 33(3)(c))"},
	    {"measures", "the measures taken or proposed (Art. 33(3)(d))"},
	};
	struct pdv_breach_row row, upd = {0};
	uint8_t *sealed[4] = {NULL, NULL, NULL, NULL};
	size_t len[4] = {0, 0, 0, 0};
	bool any = d->people >= 0 || d->records >= 0;
	int rc;

	memset(out, 0, sizeof(*out));
	for (int i = 0; i < 4; i++) {
		any = any || texts[i];
		if (texts[i] && (rc = check_text(texts[i], item[i].use, item[i].what, err)) < 0)
			return rc;
	}
	if ((rc = check_count(d->people, "people", err)) < 0 ||
	    (rc = check_count(d->records, "records", err)) < 0)
		return rc;
	if (!any) {
		pdv_error_set(
		    err, PDV_E_INVAL,
		    "give at least one of the nature, the categories, the numbers of people "
		    "and of records, the likely consequences, the measures");
		pdv_error_field(err, "nature");
		return PDV_E_INVAL;
	}
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = breach_find(s, breach, &row, err)) < 0)
		goto end;
	for (int i = 0; i < 4 && rc == 0; i++)
		if (texts[i])
			rc = seal_text(s, row.tag, item[i].use, texts[i], &sealed[i], &len[i], err);
	if (rc < 0)
		goto end;
	upd.id = row.id;
	upd.nature = sealed[0];
	upd.nature_len = len[0];
	upd.categories = sealed[1];
	upd.categories_len = len[1];
	upd.consequences = sealed[2];
	upd.consequences_len = len[2];
	upd.measures = sealed[3];
	upd.measures_len = len[3];
	upd.people_count = d->people;
	upd.records_count = d->records;
	if ((rc = pdv_store_breach_describe(s->store, &upd, err)) == 0) {
		if (d->people >= 0)
			row.people_count = d->people;
		if (d->records >= 0)
			row.records_count = d->records;
		fill(s, &row, out);
	}
end:
	rc = write_end(s, rc, "breach-describe", out, err);
	for (int i = 0; i < 4; i++)
		free(sealed[i]);
	return rc;
}

/* a subject to tell: the record whose email field the notice goes to */
struct person {
	int64_t subject_id, record_id;
};

static int by_subject(const void *a, const void *b)
{
	const struct person *x = a, *y = b;

	return x->subject_id < y->subject_id   ? -1
	       : x->subject_id > y->subject_id ? 1
	       : x->record_id < y->record_id   ? -1
	                                       : x->record_id > y->record_id;
}

static bool has_email_field(const struct pdv_activity *a)
{
	for (size_t i = 0; a && i < a->n_fields; i++) {
		const struct pdv_field *f = &a->fields[i];

		if ((f->type.s && strcmp(f->type.s, "email") == 0) ||
		    (f->lookup.s && strcmp(f->lookup.s, "email") == 0))
			return true;
	}
	return false;
}

/* every subject of the activities, once: the first record of theirs that has
 * an email field (sorted by subject); *ret_unreachable counts those without */
static int people_of(struct pdv_session *s, const char *const *activities, size_t n_act,
                     struct person **ret, size_t *ret_n, size_t *ret_unreachable,
                     struct pdv_error *err)
{
	struct person *v = NULL;
	size_t n = 0, cap = 0, kept = 0, unreachable = 0;
	int rc = 0;

	for (size_t k = 0; k < n_act && rc == 0; k++) {
		bool email = has_email_field(pdv_vault_activity(s->vault, activities[k]));
		int64_t after = 0;

		for (;;) {
			struct pdv_rows rows = {0};

			if ((rc = pdv_vault_records_of_activity(s, activities[k], after, &rows,
			                                        err)) < 0)
				break;
			for (size_t i = 0; i < rows.n && rc == 0; i++) {
				if (n == cap) {
					struct person *p =
					    realloc(v, (cap = cap ? cap * 2 : 256) * sizeof(*v));

					if (!p) {
						rc = pdv_error_set(err, PDV_E_NOMEM,
						                   "out of memory");
						break;
					}
					v = p;
				}
				/* without an email field: counted, never told (record 0) */
				v[n].subject_id = rows.v[i].subject_id;
				v[n++].record_id = email ? rows.v[i].id : INT64_MAX;
			}
			after = rows.n ? rows.v[rows.n - 1].id : after;
			pdv_rows_release(&rows);
			if (rc < 0 || rows.n < 1000)
				break;
		}
	}
	if (rc < 0) {
		free(v);
		return rc;
	}
	if (n)
		qsort(v, n, sizeof(*v), by_subject);
	for (size_t i = 0; i < n; i++) {
		if (i && v[i].subject_id == v[i - 1].subject_id)
			continue;
		if (v[i].record_id == INT64_MAX)
			unreachable++;
		else
			v[kept++] = v[i];
	}
	*ret = v;
	*ret_n = kept;
	*ret_unreachable = unreachable;
	return 0;
}

int pdv_breach_notify_people(struct pdv_session *s, const char *breach,
                             const char *const *activities, size_t n_act,
                             struct pdv_breach_info *out, struct pdv_breach_people *ret_people,
                             struct pdv_error *err)
{
	const struct pdv_controller *ctl = &s->vault->decl->controller;
	struct pdv_breach_row row;
	struct person *people = NULL;
	size_t n = 0, unreachable = 0;
	char canon[PDV_ID_MAX];
	int rc;

	memset(out, 0, sizeof(*out));
	memset(ret_people, 0, sizeof(*ret_people));
	if (!n_act) {
		pdv_error_set(err, PDV_E_INVAL, "name the activities whose people are told");
		pdv_error_field(err, "activity");
		return PDV_E_INVAL;
	}
	for (size_t k = 0; k < n_act; k++)
		if (!activities[k] || !pdv_vault_activity(s->vault, activities[k])) {
			pdv_error_set(err, PDV_E_NOTFOUND, "no activity '%.*s' in the declaration",
			              PDV_UTF8_CUT(activities[k] ? activities[k] : "", 64));
			pdv_error_field(err, "activity");
			return PDV_E_NOTFOUND;
		}
	/* Art. 34(2) through 33(3)(b): the DPO's, or another contact point's */
	if (!(ctl->dpo.email.s && *ctl->dpo.email.s) && !(ctl->email.s && *ctl->email.s)) {
		pdv_error_set(err, PDV_E_REFUSED,
		              "the notice must give the DPO's or a contact point's details (Art. "
		              "34(2)): the declaration has neither controller.dpo.email nor "
		              "controller.email");
		pdv_error_field(err, "dpo");
		return PDV_E_REFUSED;
	}
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = breach_find(s, breach, &row, err)) < 0)
		goto end;
	if (!row.risk || strcmp(row.risk, "high") != 0) {
		rc = pdv_error_set(
		    err, PDV_E_REFUSED,
		    "breach %.*s is %s%s: the people are told only of a breach likely "
		    "to result in a high risk to them (Art. 34(1)); assess it high "
		    "first if it is",
		    PDV_UTF8_CUT(breach, 40), row.risk ? "assessed " : "",
		    row.risk ? row.risk : "not assessed");
		pdv_error_field(err, "risk");
		goto end;
	}
	if (row.subjects_notified) {
		char at[21];

		pdv_time_format(row.subjects_notified, at);
		rc = pdv_error_set(err, PDV_E_REFUSED,
		                   "the people were already recorded as told on %s", at);
		pdv_error_field(err, "subjects");
		goto end;
	}
	if (!row.consequences || !row.measures) {
		const char *missing = !row.consequences ? "consequences" : "measures";

		rc = pdv_error_set(
		    err, PDV_E_REFUSED,
		    "the notice must describe the %s (Art. 34(2)); record them first: "
		    "breach describe %.*s --%s TEXT",
		    !row.consequences ? "likely consequences of the breach"
		                      : "measures taken or proposed",
		    PDV_UTF8_CUT(breach, 40), missing);
		pdv_error_field(err, missing);
		goto end;
	}
	pdv_id_canonical('b', row.id, row.tag, canon);
	if ((rc = people_of(s, activities, n_act, &people, &n, &unreachable, err)) < 0)
		goto end;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = pdv_store_outbox_insert(s->store, "breach-notice", NULL, people[i].subject_id,
		                             people[i].record_id, (const uint8_t *)canon,
		                             strlen(canon), s->now, NULL, err);
	row.subjects_notified = s->now;
	row.subjects_notices = (int64_t)n;
	row.subjects_unreachable = (int64_t)unreachable;
	if (rc == 0 && (rc = pdv_store_breach_notified(s->store, &row, "subjects", err)) == 0) {
		fill(s, &row, out);
		ret_people->queued = n;
		ret_people->unreachable = unreachable;
	}
end:
	free(people);
	rc = write_end(s, rc, "breach-notify-subjects", out, err);
	if (rc < 0)
		memset(ret_people, 0, sizeof(*ret_people));
	return rc;
}

/* one text of the breach into sodium memory (NULL when it has none) */
static int message_text(struct pdv_session *s, const struct pdv_breach_row *r, const char *use,
                        const uint8_t *sealed, size_t len, char **ret, struct pdv_error *err)
{
	uint8_t ad[48];
	size_t n;
	int rc;

	*ret = NULL;
	if (!sealed || len <= PDV_SEAL_OVERHEAD)
		return pdv_error_set(err, PDV_E_INVAL, "a text of a breach is missing");
	n = len - PDV_SEAL_OVERHEAD;
	if (!(*ret = pdv_secure_alloc(n + 1)))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if ((rc = pdv_open(s->vault->stats_key, ad, breach_ad(r->tag, use, ad), sealed, len,
	                   (uint8_t *)*ret, err)) < 0) {
		pdv_secure_free(*ret);
		*ret = NULL;
		return rc == PDV_E_INTEGRITY ? PDV_E_INVAL : rc;
	}
	(*ret)[n] = '\0';
	return 0;
}

int pdv_breach_message_open(struct pdv_session *s, const struct pdv_outbox_row *row,
                            struct pdv_outbound *m, struct pdv_error *err)
{
	struct pdv_breach_row b;
	char canon[PDV_ID_MAX];
	uint8_t tag[PDV_TAG_LEN];
	int64_t id;
	int rc;

	if (!row->payload || row->payload_len >= sizeof(canon))
		return pdv_error_set(err, PDV_E_INVAL, "outbox message %lld is damaged",
		                     (long long)row->id);
	memcpy(canon, row->payload, row->payload_len);
	canon[row->payload_len] = '\0';
	if (pdv_id_parse_canonical(canon, 'b', &id, tag) < 0)
		return pdv_error_set(err, PDV_E_INVAL, "outbox message %lld is damaged",
		                     (long long)row->id);
	if ((rc = pdv_store_breach_get(s->store, id, &b, err)) < 0)
		return rc == PDV_E_NOTFOUND ? PDV_E_INVAL : rc;
	/* the nature (Art. 34(2)): its own field when described, else the summary */
	if ((rc = (b.nature ? message_text(s, &b, "nature", b.nature, b.nature_len, &m->nature, err)
	                    : message_text(s, &b, "", b.summary, b.summary_len, &m->nature, err))) <
	        0 ||
	    (rc = message_text(s, &b, "consequences", b.consequences, b.consequences_len,
	                       &m->consequences, err)) < 0 ||
	    (rc = message_text(s, &b, "measures", b.measures, b.measures_len, &m->measures, err)) <
	        0)
		return rc;
	return 0;
}
