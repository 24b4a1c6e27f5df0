/*
 * breach.c — the breach register (Art. 33(5)) and its 72-hour clock.
 *
 * Every breach is written down, whatever its risk: when the controller
 * became aware, the authority's deadline (awareness + 72 hours, exactly:
 * pdv_breach_authority_due), a summary typed by staff, and when the authority
 * and the people were told. The summary may name people, so it is sealed
 * under the statistics key, bound to its row; reading it writes an audit
 * entry like any read of personal data. A notification time is set once:
 * the register keeps what was done, not what was corrected later.
 */
#include <stdlib.h>
#include <string.h>

#include "engine/engine-internal.h"

#define SUMMARY_MAX PDV_BREACH_SUMMARY_MAX

/* associated data: the summary belongs to this row and to no other text */
static size_t breach_ad(const uint8_t tag[PDV_TAG_LEN], uint8_t ad[32])
{
	memcpy(ad, "pdv-breach", 10);
	memcpy(ad + 10, tag, PDV_TAG_LEN);
	return 10 + PDV_TAG_LEN;
}

static void fill(const struct pdv_vault *v, const struct pdv_breach_row *r,
		 struct pdv_breach_info *out)
{
	memset(out, 0, sizeof(*out));
	pdv_id_format('b', r->id, r->tag, out->breach);
	out->aware_at = r->aware_at;
	out->authority_due = r->authority_due;
	out->authority_notified = r->authority_notified;
	out->subjects_notified = r->subjects_notified;
	out->overdue = !r->authority_notified && v->now > r->authority_due;
}

int pdv_breach_open(struct pdv_vault *v, pdv_time_t aware_at, const char *summary,
		    struct pdv_breach_info *out, struct pdv_error *err)
{
	struct pdv_breach_row row = {0};
	size_t n = summary ? strlen(summary) : 0;
	uint8_t ad[32], *sealed = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (aware_at > v->now) {
		pdv_error_set(err, PDV_E_INVAL, "the time of awareness is in the future");
		pdv_error_field(err, "aware");
		return PDV_E_INVAL;
	}
	if (n == 0 || n > SUMMARY_MAX || !pdv_utf8_valid(summary, n)) {
		pdv_error_set(err, PDV_E_INVAL,
			      "a breach needs a summary (UTF-8, at most 65536 bytes): what happened, "
			      "to which data and how many people, what was done");
		pdv_error_field(err, "summary");
		return PDV_E_INVAL;
	}
	if (!(sealed = malloc(n + PDV_SEAL_OVERHEAD)))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	pdv_random(row.tag, sizeof(row.tag));
	row.aware_at = aware_at;
	row.authority_due = pdv_breach_authority_due(aware_at);
	row.summary = sealed;
	row.summary_len = n + PDV_SEAL_OVERHEAD;
	if ((rc = pdv_seal(v->stats_key, ad, breach_ad(row.tag, ad), summary, n, sealed, err)) < 0)
		goto out;
	if ((rc = pdv_vault_tx_begin(v, err)) < 0)
		goto out;
	if ((rc = v->ops->breach_insert(v->store, &row, err)) < 0)
		goto fail;
	fill(v, &row, out);
	if ((rc = pdv_audit_append(v, "breach-open", NULL, NULL, NULL, out->breach, err)) < 0)
		goto fail;
	rc = pdv_vault_tx_commit(v, err);
	goto out;
fail:
	pdv_vault_tx_rollback(v);
out:
	free(sealed);
	if (rc < 0)
		memset(out, 0, sizeof(*out));
	return rc < 0 ? rc : 0;
}

static int breach_find(struct pdv_vault *v, const char *breach, struct pdv_breach_row *row,
		       struct pdv_error *err)
{
	uint8_t tag[PDV_TAG_LEN];
	int64_t id;
	int rc;

	if (breach && pdv_id_parse(breach, 'b', &id, tag) == 0) {
		rc = v->ops->breach_get(v->store, id, row, err);
		if (rc < 0 && rc != PDV_E_NOTFOUND)
			return rc;
		if (rc == 0 && pdv_equal(row->tag, tag, PDV_TAG_LEN))
			return 0;
	}
	pdv_error_set(err, PDV_E_NOTFOUND, "no breach '%.40s'", breach ? breach : "");
	pdv_error_field(err, "breach");
	return PDV_E_NOTFOUND;
}

int pdv_breach_notify(struct pdv_vault *v, const char *breach, const char *who,
		      struct pdv_breach_info *out, struct pdv_error *err)
{
	struct pdv_breach_row row;
	bool authority = who && strcmp(who, "authority") == 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!authority && !(who && strcmp(who, "subjects") == 0))
		return pdv_error_set(err, PDV_E_INTERNAL, "notify whom?");
	if ((rc = pdv_vault_tx_begin(v, err)) < 0)
		return rc;
	if ((rc = breach_find(v, breach, &row, err)) < 0)
		goto fail;
	if (authority ? row.authority_notified : row.subjects_notified) {
		char at[21];

		pdv_time_format(authority ? row.authority_notified : row.subjects_notified, at);
		rc = pdv_error_set(err, PDV_E_REFUSED, "%s already recorded as told on %s",
				   authority ? "the authority was" : "the people were", at);
		pdv_error_field(err, who);
		goto fail;
	}
	if ((rc = v->ops->breach_notified(v->store, row.id, who, v->now, err)) < 0)
		goto fail;
	if (authority)
		row.authority_notified = v->now;
	else
		row.subjects_notified = v->now;
	fill(v, &row, out);
	if ((rc = pdv_audit_append(v, authority ? "breach-notify-authority"
						: "breach-notify-subjects",
				   NULL, NULL, NULL, out->breach, err)) < 0)
		goto fail;
	return pdv_vault_tx_commit(v, err);
fail:
	pdv_vault_tx_rollback(v);
	memset(out, 0, sizeof(*out));
	return rc;
}

struct list_ctx {
	struct pdv_vault *v;
	pdv_breach_cb cb;
	void *ctx;
	char *clear; /* sodium memory, SUMMARY_MAX + 1 */
	struct pdv_error *err;
	int rc;
};

static int list_one(void *ctx, const struct pdv_breach_row *r)
{
	struct list_ctx *c = ctx;
	struct pdv_breach_info info;
	uint8_t ad[32];
	size_t n;

	fill(c->v, r, &info);
	if (!c->clear)
		return (c->rc = c->cb(c->ctx, &info)) != 0;
	if (r->summary_len < PDV_SEAL_OVERHEAD ||
	    (n = r->summary_len - PDV_SEAL_OVERHEAD) > SUMMARY_MAX) {
		c->rc = pdv_error_set(c->err, PDV_E_INTERNAL, "the summary of breach %s is damaged",
				      info.breach);
		return 1;
	}
	if ((c->rc = pdv_open(c->v->stats_key, ad, breach_ad(r->tag, ad), r->summary,
			      r->summary_len, (uint8_t *)c->clear, c->err)) < 0)
		return 1;
	c->clear[n] = '\0';
	info.summary = c->clear;
	c->rc = c->cb(c->ctx, &info);
	pdv_wipe(c->clear, n);
	return c->rc != 0;
}

int pdv_breach_list(struct pdv_vault *v, bool summaries, pdv_breach_cb cb, void *ctx,
		    struct pdv_error *err)
{
	struct list_ctx c = {v, cb, ctx, NULL, err, 0};
	int rc;

	if (!summaries) {
		rc = v->ops->breaches_each(v->store, list_one, &c, err);
		return rc > 0 ? c.rc : rc < 0 ? rc : 0;
	}
	if (!(c.clear = pdv_secure_alloc(SUMMARY_MAX + 1)))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	/* the summaries are read: an audit entry, committed first */
	if ((rc = pdv_vault_tx_begin(v, err)) < 0)
		goto out;
	if ((rc = pdv_audit_append(v, "breach-list", NULL, NULL, NULL, NULL, err)) < 0) {
		pdv_vault_tx_rollback(v);
		goto out;
	}
	if ((rc = pdv_vault_tx_commit(v, err)) < 0)
		goto out;
	rc = v->ops->breaches_each(v->store, list_one, &c, err);
	if (rc > 0)
		rc = c.rc;
out:
	pdv_secure_free(c.clear);
	return rc < 0 ? rc : 0;
}
