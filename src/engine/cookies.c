/*
 * cookies.c — the proof of cookie choices: the banner configurations pdvault
 * generated, and the consent receipts browsers post against them.
 *
 * A configuration is kept by its id, the hex SHA-256 of its canonical form
 * (render's pdv_render_banner_canonical), so the same declaration, kit and
 * language always give the same id and any change gives another. A receipt
 * names the configuration that was on screen; its choices are checked
 * against it (every purpose that needs consent given, a required one only
 * granted, nothing else) and it is appended, never changed. The person is
 * known only by the blind index of the random consent id their browser
 * holds (the same keyed hash as an address's, under its own kind), and no
 * address is stored: the receipt is proof of what was chosen, not of who.
 *
 * The sweep deletes a receipt once cookies.proof_retention (default
 * PDV_COOKIE_PROOF_RETENTION_DEFAULT) has passed since it was received.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdv/json.h"
#include "engine-internal.h"

/* ---- the declaration's version ---- */

/* the hex SHA-256 of the declaration's file as read, or "unknown" */
static void decl_version(const struct pdv_vault *v, char out[65])
{
	FILE *f = v->decl && v->decl->file ? fopen(v->decl->file, "rb") : NULL;
	struct pdv_buf b;
	uint8_t h[PDV_SHA256_LEN];
	char chunk[8192];
	size_t n;
	bool ok = f != NULL;

	pdv_buf_init(&b, PDV_DECL_MAX_BYTES + 1);
	while (ok && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		ok = pdv_buf_append(&b, chunk, n) == 0;
	if (f && ferror(f))
		ok = false;
	if (f)
		fclose(f);
	if (!ok) {
		snprintf(out, 65, "unknown");
	} else {
		pdv_sha256(b.data ? b.data : "", b.len, h);
		pdv_hex(h, PDV_SHA256_LEN, out);
	}
	pdv_buf_release(&b);
}

/* ---- banners ---- */

/* a cookie rule's error blocks a banner: it would show what the law forbids */
static const struct pdv_finding *cookie_error(const struct pdv_vault *v)
{
	for (size_t i = 0; i < v->lint.n; i++) {
		const struct pdv_finding *f = &v->lint.findings[i];

		if (f->severity == PDV_SEV_ERROR && strncmp(f->rule, "cookie-", 7) == 0)
			return f;
	}
	return NULL;
}

int pdv_banner_write(struct pdv_session *s, const char *kit, const char *lang, struct pdv_buf *out,
                     char ret_id[PDV_COOKIE_CONFIG_ID_LEN + 1], struct pdv_error *err)
{
	const struct pdv_finding *f = cookie_error(s->vault);
	struct pdv_cookie_config_row row;
	json_t *model = NULL;
	char *canon = NULL, version[65], id[PDV_COOKIE_CONFIG_ID_LEN + 1];
	uint8_t h[PDV_SHA256_LEN];
	int rc;

	if (!s->vault->decl)
		return pdv_error_set(err, PDV_E_INVAL, "no declaration");
	if (f) {
		return pdv_error_set(err, PDV_E_REFUSED,
		                     "the declaration has a cookie error (%s, line %u): %.*s; no "
		                     "banner is written until `pdvault lint` passes it",
		                     f->rule, f->pos.line, PDV_UTF8_CUT(f->message, 200));
	}
	decl_version(s->vault, version);
	if ((rc = pdv_render_banner_model(s->vault->decl, kit, lang, version, &model, err)) < 0)
		return rc;
	if (!(canon = pdv_render_banner_canonical(model))) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	pdv_sha256(canon, strlen(canon), h);
	pdv_hex(h, PDV_SHA256_LEN, id);
	row = (struct pdv_cookie_config_row){.id = id,
	                                     .kit = kit,
	                                     .lang = lang,
	                                     .declaration = version,
	                                     .canonical = canon,
	                                     .created_at = s->now};
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		goto out;
	if ((rc = pdv_store_cookie_config_put(s->store, &row, err)) < 0 ||
	    (rc = pdv_audit_append(s, "banner-config", NULL, NULL, NULL, id, err)) < 0) {
		pdv_session_tx_rollback(s);
		goto out;
	}
	if ((rc = pdv_session_tx_commit(s, err)) < 0)
		goto out;
	if ((rc = pdv_render_banner_js(model, id, out, err)) < 0)
		goto out;
	memcpy(ret_id, id, sizeof(id));
out:
	free(canon);
	json_decref(model);
	return rc;
}

/* ---- receipts ---- */

static bool consent_id_valid(const char *c)
{
	size_t n = c ? strlen(c) : 0;

	if (n < 16 || n > 128)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(('a' <= c[i] && c[i] <= 'z') || ('A' <= c[i] && c[i] <= 'Z') ||
		      ('0' <= c[i] && c[i] <= '9') || c[i] == '-' || c[i] == '_'))
			return false;
	return true;
}

static int consent_index(struct pdv_session *s, const char *consent_id, uint8_t ret[32],
                         struct pdv_error *err)
{
	struct pdv_lookup lk = {.kind = "cookie-consent"};

	if (!consent_id_valid(consent_id)) {
		pdv_error_set(err, PDV_E_INVAL,
		              "consent_id is 16 to 128 characters of A-Z, a-z, 0-9, - and _");
		pdv_error_field(err, "consent_id");
		return PDV_E_INVAL;
	}
	snprintf(lk.value, sizeof(lk.value), "%s", consent_id);
	pdv_lookup_hash(s->vault, &lk, ret);
	pdv_wipe(lk.value, sizeof(lk.value));
	return 0;
}

static bool event_known(const char *e)
{
	static const char *const events[] = {"accept", "refuse", "change", "withdraw"};

	for (size_t i = 0; e && i < sizeof(events) / sizeof(*events); i++)
		if (strcmp(e, events[i]) == 0)
			return true;
	return false;
}

static int invalid(struct pdv_error *err, const char *field, const char *fmt, const char *arg)
{
	pdv_error_set(err, PDV_E_INVAL, fmt, PDV_UTF8_CUT(arg ? arg : "", 64));
	pdv_error_field(err, field);
	return PDV_E_INVAL;
}

/*
 * A configuration's purposes, from the session's cache or read from the
 * store and parsed once (a configuration never changes: its id is its
 * hash). *ret is valid until the next call on the session.
 */
static int config_of(struct pdv_session *s, const char *id, const struct pdv_cookie_cfg **ret,
                     struct pdv_error *err)
{
	struct pdv_cookie_config_row row;
	struct pdv_cookie_cfg *c;
	json_t *model = NULL, *p;
	size_t i;
	int rc;

	for (i = 0; i < s->n_cookie_cfgs; i++)
		if (strcmp(s->cookie_cfgs[i].id, id) == 0) {
			*ret = &s->cookie_cfgs[i];
			return 0;
		}
	if (!s->cookie_cfgs &&
	    !(s->cookie_cfgs = calloc(PDV_COOKIE_CFG_CACHE, sizeof(*s->cookie_cfgs))))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if ((rc = pdv_store_cookie_config_get(s->store, id, &row, err)) < 0)
		return rc;
	if (s->n_cookie_cfgs < PDV_COOKIE_CFG_CACHE) {
		c = &s->cookie_cfgs[s->n_cookie_cfgs++];
	} else { /* the oldest gives way */
		c = &s->cookie_cfgs[s->next_cookie_cfg];
		s->next_cookie_cfg = (s->next_cookie_cfg + 1) % PDV_COOKIE_CFG_CACHE;
	}
	memset(c, 0, sizeof(*c));
	model = json_loads(row.canonical, 0, NULL);
	if (!model || !json_is_array(json_object_get(model, "purposes")) ||
	    json_array_size(json_object_get(model, "purposes")) > PDV_COOKIE_PURPOSES_MAX) {
		json_decref(model);
		c->id[0] = '\0';
		return pdv_error_set(err, PDV_E_INTEGRITY,
		                     "banner configuration %.16s is unreadable", id);
	}
	snprintf(c->id, sizeof(c->id), "%s", id);
	snprintf(c->declaration, sizeof(c->declaration), "%s", row.declaration);
	json_array_foreach(json_object_get(model, "purposes"), i, p)
	{
		snprintf(c->purposes[i].id, sizeof(c->purposes[i].id), "%s",
		         json_string_value(json_object_get(p, "id")));
		c->purposes[i].required = json_is_true(json_object_get(p, "required"));
	}
	c->n = i;
	json_decref(model);
	*ret = c;
	return 0;
}

/*
 * The choices against the configuration: every purpose that needs consent
 * is given, a required one may only be granted, no other purpose; the event
 * says what the choices show (accept: all granted; refuse and withdraw: all
 * that need consent refused). Writes the JSON of the choices, all the
 * configuration's purposes in its order, required ones granted.
 */
static int choices_check(const struct pdv_cookie_cfg *c, const struct pdv_cookie_receipt_in *in,
                         struct pdv_buf *ret_json, struct pdv_error *err)
{
	size_t granted = 0, optional = 0;
	char field[96];

	for (size_t k = 0; k < in->n_choices; k++) {
		bool found = false;

		for (size_t i = 0; i < c->n; i++)
			if (strcmp(c->purposes[i].id, in->choices[k].purpose) == 0)
				found = true;
		for (size_t m = 0; m < k; m++)
			if (strcmp(in->choices[m].purpose, in->choices[k].purpose) == 0)
				found = false;
		if (!found) {
			snprintf(field, sizeof(field), "choices.%.64s", in->choices[k].purpose);
			return invalid(
			    err, field,
			    "purpose '%.*s' is not in this banner configuration, or given twice",
			    in->choices[k].purpose);
		}
	}
	if (pdv_buf_putc(ret_json, '{') < 0)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	for (size_t i = 0; i < c->n; i++) {
		const char *id = c->purposes[i].id;
		bool required = c->purposes[i].required, given = false, v = false;

		for (size_t k = 0; k < in->n_choices; k++)
			if (strcmp(in->choices[k].purpose, id) == 0) {
				given = true;
				v = in->choices[k].granted;
			}
		snprintf(field, sizeof(field), "choices.%.64s", id);
		if (required && given && !v)
			return invalid(
			    err, field,
			    "purpose '%.*s' is exempt from consent (always on): it cannot be "
			    "refused",
			    id);
		if (!required && !given)
			return invalid(err, field, "the choice for purpose '%.*s' is missing", id);
		if (!required) {
			optional++;
			granted += v;
		}
		if ((i && pdv_buf_putc(ret_json, ',') < 0) || pdv_buf_put_json(ret_json, id) < 0 ||
		    pdv_buf_puts(ret_json, required || v ? ":true" : ":false") < 0)
			return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	}
	if ((strcmp(in->event, "accept") == 0 && granted != optional) ||
	    ((strcmp(in->event, "refuse") == 0 || strcmp(in->event, "withdraw") == 0) && granted))
		return invalid(err, "event", "event '%.*s' does not match the choices", in->event);
	if (pdv_buf_puts(ret_json, "}") < 0 || pdv_buf_putc(ret_json, '\0') < 0)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	return 0;
}

int pdv_cookie_receipt_add(struct pdv_session *s, const struct pdv_cookie_receipt_in *in,
                           char ret_id[PDV_ID_MAX], struct pdv_error *err)
{
	struct pdv_cookie_receipt_row row = {0};
	const struct pdv_cookie_cfg *cfg = NULL;
	struct pdv_buf choices;
	char detail[96];
	int rc;

	if ((rc = consent_index(s, in->consent_id, row.consent_index, err)) < 0)
		return rc;
	if (!event_known(in->event))
		return invalid(err, "event", "event '%.*s' is accept, refuse, change or withdraw",
		               in->event);
	if (!in->config || strlen(in->config) != PDV_COOKIE_CONFIG_ID_LEN)
		return invalid(err, "config", "config '%.*s' is not a configuration id",
		               in->config);
	if ((rc = config_of(s, in->config, &cfg, err)) < 0) {
		if (rc == PDV_E_NOTFOUND)
			return invalid(err, "config", "no banner configuration '%.*s'", in->config);
		return rc;
	}
	if (!in->declaration || strcmp(in->declaration, cfg->declaration) != 0)
		return invalid(err, "declaration",
		               "declaration '%.*s' is not the one this configuration was made from",
		               in->declaration);
	pdv_buf_init(&choices, 4096);
	if ((rc = choices_check(cfg, in, &choices, err)) < 0)
		goto out;
	pdv_random(row.tag, PDV_TAG_LEN);
	row.config_id = in->config;
	row.declaration = cfg->declaration;
	row.event = in->event;
	row.choices = choices.data;
	row.gpc = in->gpc;
	row.given_at = in->given_at;
	row.received_at = s->now;
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		goto out;
	snprintf(detail, sizeof(detail), "%s %s%s", in->event, in->config, in->gpc ? " gpc" : "");
	if ((rc = pdv_store_cookie_receipt_insert(s->store, &row, err)) < 0 ||
	    (rc = pdv_audit_append(s, "cookie-receipt", NULL, NULL, NULL, detail, err)) < 0) {
		pdv_session_tx_rollback(s);
		goto out;
	}
	if ((rc = pdv_session_tx_commit(s, err)) < 0)
		goto out;
	pdv_id_format(s->vault, 'k', row.id, row.tag, ret_id);
out:
	pdv_buf_release(&choices);
	return rc;
}

void pdv_cookie_receipt_release(struct pdv_cookie_receipt *r)
{
	if (!r)
		return;
	free(r->choices);
	free(r->canonical);
	memset(r, 0, sizeof(*r));
}

/* a row and its configuration into *ret (owned strings) */
static int receipt_fill(struct pdv_session *s, const struct pdv_cookie_receipt_row *row,
                        struct pdv_cookie_receipt *ret, struct pdv_error *err)
{
	struct pdv_cookie_config_row cfg;
	int rc;

	memset(ret, 0, sizeof(*ret));
	pdv_id_format(s->vault, 'k', row->id, row->tag, ret->id);
	snprintf(ret->config, sizeof(ret->config), "%s", row->config_id);
	snprintf(ret->declaration, sizeof(ret->declaration), "%s", row->declaration);
	snprintf(ret->event, sizeof(ret->event), "%s", row->event);
	ret->gpc = row->gpc;
	ret->given_at = row->given_at;
	ret->received_at = row->received_at;
	if (!(ret->choices = strdup(row->choices)))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if ((rc = pdv_store_cookie_config_get(s->store, ret->config, &cfg, err)) < 0) {
		pdv_cookie_receipt_release(ret);
		return rc;
	}
	snprintf(ret->kit, sizeof(ret->kit), "%s", cfg.kit);
	snprintf(ret->lang, sizeof(ret->lang), "%s", cfg.lang);
	ret->config_created_at = cfg.created_at;
	if (!(ret->canonical = strdup(cfg.canonical))) {
		pdv_cookie_receipt_release(ret);
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	}
	return 0;
}

int pdv_cookie_receipt_get(struct pdv_session *s, const char *id, struct pdv_cookie_receipt *ret,
                           struct pdv_error *err)
{
	struct pdv_cookie_receipt_row row;
	uint8_t tag[PDV_TAG_LEN];
	int64_t n;
	int rc;

	if (!id || pdv_id_parse(s, id, 'k', &n, tag) < 0 ||
	    (rc = pdv_store_cookie_receipt_get(s->store, n, &row, err)) < 0) {
		pdv_error_set(err, PDV_E_NOTFOUND, "no consent receipt '%.*s'",
		              PDV_UTF8_CUT(id ? id : "", 40));
		pdv_error_field(err, "receipt");
		return PDV_E_NOTFOUND;
	}
	return receipt_fill(s, &row, ret, err);
}

/* the receipts of one consent id, copied out of the iteration (the config
 * is read after it: no store call from inside a callback) */
struct mine {
	struct pdv_cookie_receipt_row *rows;
	char (*text)[3][128];
	size_t n, cap;
};

static int mine_one(void *ctx, const struct pdv_cookie_receipt_row *row)
{
	struct mine *m = ctx;

	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 8;
		void *r = realloc(m->rows, cap * sizeof(*m->rows)), *t;

		if (!r)
			return PDV_E_NOMEM;
		m->rows = r;
		if (!(t = realloc(m->text, cap * sizeof(*m->text))))
			return PDV_E_NOMEM;
		m->text = t;
		m->cap = cap;
	}
	m->rows[m->n] = *row;
	snprintf(m->text[m->n][0], 128, "%s", row->config_id);
	snprintf(m->text[m->n][1], 128, "%s", row->declaration);
	snprintf(m->text[m->n][2], 128, "%s", row->event);
	m->rows[m->n].config_id = m->text[m->n][0];
	m->rows[m->n].declaration = m->text[m->n][1];
	m->rows[m->n].event = m->text[m->n][2];
	if (!(m->rows[m->n].choices = strdup(row->choices)))
		return PDV_E_NOMEM;
	m->n++;
	return 0;
}

int pdv_cookie_receipts_mine(struct pdv_session *s, const char *consent_id,
                             pdv_cookie_receipt_each_cb cb, void *ctx, struct pdv_error *err)
{
	struct mine m = {0};
	uint8_t index[32];
	int rc;

	if ((rc = consent_index(s, consent_id, index, err)) < 0)
		return rc;
	if ((rc = pdv_store_cookie_receipts_of(s->store, index, mine_one, &m, err)) != 0) {
		if (rc > 0 || rc == PDV_E_NOMEM)
			rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < m.n && rc == 0; i++) {
		struct pdv_cookie_receipt r;

		if ((rc = receipt_fill(s, &m.rows[i], &r, err)) < 0)
			break;
		rc = cb(ctx, &r);
		pdv_cookie_receipt_release(&r);
	}
out:
	for (size_t i = 0; i < m.n; i++)
		free((char *)m.rows[i].choices);
	free(m.rows);
	free(m.text);
	return rc;
}

int pdv_cookie_receipts_sweep(struct pdv_session *s, bool dry_run, long *ret_swept,
                              struct pdv_error *err)
{
	const struct pdv_decl *d = s->vault->decl;
	const char *keep = d && d->cookies.proof_retention.s ? d->cookies.proof_retention.s
	                                                     : PDV_COOKIE_PROOF_RETENTION_DEFAULT;
	struct pdv_duration dur;
	int64_t n = 0, before;
	int rc;

	*ret_swept = 0;
	if (pdv_duration_parse(keep, false, &dur, NULL) < 0)
		return pdv_error_set(
		    err, PDV_E_INVAL,
		    "cookies.proof_retention '%.*s' is not a duration: receipts are "
		    "kept (pdvault lint says why)",
		    PDV_UTF8_CUT(keep, 40));
	before = s->now - (int64_t)llround(pdv_duration_days(dur) * 86400.0);
	if (!dry_run && (rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = pdv_store_cookie_receipts_purge(s->store, before, dry_run, &n, err)) < 0)
		goto fail;
	if (!dry_run && n > 0) {
		char detail[64];

		snprintf(detail, sizeof(detail), "%lld swept", (long long)n);
		if ((rc = pdv_audit_append(s, "cookie-receipts-swept", NULL, NULL, NULL, detail,
		                           err)) < 0)
			goto fail;
	}
	if (!dry_run && (rc = pdv_session_tx_commit(s, err)) < 0)
		return rc;
	*ret_swept = (long)n;
	return 0;
fail:
	if (!dry_run)
		pdv_session_tx_rollback(s);
	return rc;
}
