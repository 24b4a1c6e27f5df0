/*
 * public.c — the routes anyone may call: the submissions of the public forms
 * (and the same-looking answer for a suppressed person: collected, which
 * requests.c's verify uses for a confirmed double opt-in), and the direct
 * routes that need no vault (healthz, the notice, the list of activities,
 * the API's description), answered on the connection's thread from the
 * declaration, which never changes, or from what the binary embeds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdv/render.h"
#include "answer.h"
#include "handlers.h"
#include "server.h"

/* ---- submissions ---- */

/*
 * The answer to a collection: 201 with the record only. A person who objected
 * gets the same 201 with a record id of the same make that is never stored,
 * after the same durable commit (pdv_collect_decoy): anyone may submit any
 * address or phone number, and a different answer would tell them whether
 * that person is on the suppression list.
 */
void collected(struct srv *s, struct job *j, const char *activity, int rc,
               const struct pdv_collect_out *out, const struct pdv_error *err)
{
	char decoy[PDV_ID_MAX];
	struct pdv_error e2;

	pdv_error_clear(&e2);
	if (rc == 0)
		srv_json(j, 201, json_pack("{s:s}", "record", out->record));
	else if (strcmp(err->code, "suppressed") != 0)
		srv_fail(j, err);
	else if (pdv_collect_decoy(s->session, activity, decoy, &e2) == 0)
		srv_json(j, 201, json_pack("{s:s}", "record", decoy));
	else
		srv_fail(j, &e2);
}

/* the body's fields as the engine takes them (names and values borrowed
 * from the body), or NULL with *ret_bad naming a value that is no string
 * (NULL: out of memory) */
static struct pdv_input_field *fields_in(json_t *fields, size_t *ret_n, const char **ret_bad)
{
	struct pdv_input_field *f = calloc(json_object_size(fields) + 1, sizeof(*f));
	const char *key;
	json_t *val;
	size_t n = 0;

	*ret_bad = NULL;
	if (!f)
		return NULL;
	json_object_foreach(fields, key, val)
	{
		if (!json_is_string(val)) {
			*ret_bad = key;
			free(f);
			return NULL;
		}
		f[n].name = key;
		f[n].value = json_string_value(val);
		f[n].len = json_string_length(val);
		n++;
	}
	*ret_n = n;
	return f;
}

/*
 * Before the group's transaction (worker.c): a submission's CPU work
 * (validation, blind indexes; once the worker has read the group's people,
 * a new one's key and sealed values), done without the writer lock, so the
 * lock is held for the statements alone. Nothing is answered here: a body
 * h_submit would refuse is left to it, and so is what a prepared
 * submission turns out to be (a person in the vault, a refusal).
 */
void p_submit(struct srv *s, struct job *j)
{
	json_t *fields = json_object_get(j->body, "fields");
	json_t *consent = json_object_get(j->body, "consent");
	struct pdv_collect_in in = {.activity = j->param, .channel = "web"};
	struct pdv_input_field *f;
	struct pdv_error err;
	const char *bad;

	pdv_error_clear(&err);
	if (!s->ids || !pdv_vault_activity_declared(s->vault, j->param) ||
	    pdv_vault_double_opt_in(s->vault, j->param) || !json_is_object(fields) ||
	    (consent && !json_is_boolean(consent)) || !(f = fields_in(fields, &in.n_fields, &bad)))
		return;
	in.fields = f;
	in.consent = json_is_true(consent);
	in.lang = person_lang(j);
	if (pdv_collect_prep_new(&j->collect, &err) == 0)
		pdv_collect_prepare(s->vault, s->ids, &in, j->collect); /* copies the values */
	free(f);
}

void h_submit(struct srv *s, struct job *j)
{
	json_t *fields = json_object_get(j->body, "fields");
	json_t *consent = json_object_get(j->body, "consent");
	struct pdv_collect_in in = {.activity = j->param, .channel = "web"};
	struct pdv_collect_out out;
	struct pdv_input_field *f;
	struct pdv_error err;
	const char *bad;
	size_t n = 0;
	int rc;

	pdv_error_clear(&err);
	if (!pdv_vault_activity_declared(s->vault, j->param)) {
		srv_error(j, 404, "not_found", "activity", "no activity '%.*s'",
		          PDV_UTF8_CUT(j->param, 64));
		return;
	}
	if (!json_is_object(fields)) {
		srv_error(j, 422, "invalid", "fields", "the body needs \"fields\": an object");
		return;
	}
	if (consent && !json_is_boolean(consent)) {
		srv_error(j, 422, "invalid", "consent", "\"consent\" is true or false");
		return;
	}
	if (!(f = fields_in(fields, &n, &bad))) {
		if (bad)
			srv_error(j, 422, "invalid", bad, "field '%.*s' is not a string",
			          PDV_UTF8_CUT(bad, 64));
		else
			srv_error(j, 500, "nomem", NULL, "out of memory");
		return;
	}
	in.fields = f;
	in.n_fields = n;
	in.consent = json_is_true(consent);
	in.lang = person_lang(j);
	if (pdv_vault_double_opt_in(s->vault, j->param)) {
		/* nothing is collected before the address confirms: a code goes to it */
		char vid[PDV_ID_MAX];
		pdv_time_t expires;

		if (pdv_optin_start(s->session, &in, vid, &expires, &err) == 0)
			srv_json(j, 202,
			         json_pack("{s:s, s:o, s:b}", "confirmation", vid, "expires_at",
			                   time_json(expires), "delivery", srv_delivery_now(s)));
		else
			srv_fail(j, &err);
		free(f);
		return;
	}
	if (j->collect) /* prepared (p_submit): written as pdv_collect would */
		rc = pdv_collect_commit(s->session, s->ids, j->collect, &out, &err);
	else
		rc = pdv_collect(s->session, &in, &out, &err);
	pdv_collect_prep_free(j->collect);
	j->collect = NULL;
	collected(s, j, j->param, rc, &out, &err);
	free(f);
}

/* ---- direct routes: no vault ---- */

void d_healthz(struct srv *s, struct job *j)
{
	(void)s;
	srv_json(j, 200, json_pack("{s:b}", "ok", 1));
}

void d_notice(struct srv *s, struct job *j)
{
	enum pdv_format fmt;
	struct pdv_error err;
	const char *lang = j->query[0];

	pdv_error_clear(&err);
	if (!format_of(j->query[1], PDV_FORMAT_HTML, 1u << PDV_FORMAT_HTML | 1u << PDV_FORMAT_MD,
	               &fmt)) {
		srv_error(j, 400, "usage", "format", "format is html or md");
		return;
	}
	if (lang && !pdv_render_lang_supported(lang)) {
		srv_error(j, 400, "usage", "lang", "lang is fr or en");
		return;
	}
	pdv_buf_release(&j->out);
	pdv_buf_init(&j->out, 0);
	if (pdv_render_notice(s->decl, lang ? lang : s->default_lang, fmt, &j->out, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	j->status = 200;
	j->ctype = ctype_of(fmt);
}

static bool has_basis(const struct pdv_activity *a, const char *basis)
{
	for (size_t i = 0; i < a->basis.n; i++)
		if (a->basis.v[i].s && strcmp(a->basis.v[i].s, basis) == 0)
			return true;
	return false;
}

void d_activities(struct srv *s, struct job *j)
{
	const char *lang =
	    j->query[0] && pdv_render_lang_supported(j->query[0]) ? j->query[0] : s->default_lang;
	json_t *arr = json_array();

	for (size_t i = 0; i < s->decl->n_activities; i++) {
		const struct pdv_activity *a = &s->decl->activities[i];
		const char *name = pdv_text_get(&a->name, lang);
		const char *text = a->consent.present ? pdv_text_get(&a->consent.text, lang) : NULL;
		json_t *purposes = json_array(), *fields = json_array(), *o;

		for (size_t k = 0; k < a->purposes.n; k++) {
			const char *p = pdv_text_get(&a->purposes.v[k], lang);

			if (p)
				json_array_append_new(purposes, json_string(p));
		}
		for (size_t k = 0; k < a->n_fields; k++) {
			const struct pdv_field *f = &a->fields[k];

			json_array_append_new(
			    fields, json_pack("{s:s, s:s, s:b}", "name", f->name.s ? f->name.s : "",
			                      "type", f->type.s ? f->type.s : "text", "required",
			                      f->required.present && f->required.v));
		}
		/* a public form: fields the person gives, on consent or a contract */
		bool collects = a->n_fields > 0 &&
		                (!a->source.present || !a->source.kind.s ||
		                 strcmp(a->source.kind.s, "data-subject") == 0) &&
		                (has_basis(a, "consent") || has_basis(a, "contract"));

		o = json_pack("{s:s, s:o, s:o, s:b, s:b}", "id", a->id.s ? a->id.s : "", "purposes",
		              purposes, "fields", fields, "consent", has_basis(a, "consent"),
		              "collects", collects);
		json_object_set_new(o, "name", name ? json_string(name) : json_null());
		json_object_set_new(o, "consent_text", text ? json_string(text) : json_null());
		json_array_append_new(arr, o);
	}
	/* who the public pages are of: the controller's name, and its logo when declared */
	srv_json(j, 200,
	         json_pack("{s:s, s:o, s:{s:o, s:o}}", "lang", lang, "activities", arr,
	                   "controller", "name", str_or_null(s->decl->controller.name.s), "logo",
	                   s->logo ? json_string("/v1/logo") : json_null()));
}

/* docs/openapi.yaml, embedded at build time (tools/embed-assets.py --mount) */
void d_openapi(struct srv *s, struct job *j)
{
	const struct srv_asset *a = srv_asset_find("/v1/openapi.yaml");

	(void)s;
	pdv_buf_release(&j->out);
	pdv_buf_init(&j->out, 0);
	if (!a || pdv_buf_append(&j->out, a->data, a->len) < 0) {
		srv_error(j, 500, "nomem", NULL, "out of memory");
		return;
	}
	j->status = 200;
	j->ctype = a->ctype;
	j->cacheable = true;
}
