/*
 * subjects.c — the staff's routes on a person: find them by email, phone or
 * a request's reference, their page (records with their activity's name,
 * phase and next step in words, consents and their history, requests, why
 * the sweep waits, and for the dpo the audit trail), record an event, export
 * what the vault holds of them (export_into, which requests.c's request
 * export shares), and the dpo's acts on them as the command line's: erase,
 * restrict (or lift it), object, rectify a record's fields. The engine acts only on the records the
 * token's role may see; what the page adds is drawn from those records (the consents of their
 * activities, the requests the role may see), so a role learns nothing of
 * the others.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdv/json.h"
#include "pdv/render.h"
#include "pdv/wipe.h"
#include "answer.h"
#include "handlers.h"
#include "server.h"

void h_find(struct srv *s, struct job *j)
{
	const char *email = j->body ? body_str(j, "email") : j->query[0];
	const char *phone = j->body ? body_str(j, "phone") : j->query[1];
	const char *reference = j->body ? body_str(j, "reference") : j->query[2];
	char subject[PDV_ID_MAX];
	struct pdv_error err;

	pdv_error_clear(&err);
	if ((email != NULL) + (phone != NULL) + (reference != NULL) != 1) {
		srv_error(j, 400, "usage", NULL,
		          "give an email, a phone or a request reference, one of them");
		return;
	}
	if (reference) {
		/* the person a request names, if the role may see them */
		struct pdv_request_info r;

		if (pdv_request_get(s->session, reference, &r, &err) < 0) {
			if (err.rc != PDV_E_NOTFOUND) {
				srv_fail(j, &err);
				return;
			}
			srv_json(j, 200, json_pack("{s:[]}", "subjects"));
			return;
		}
		srv_json(j, 200,
		         json_pack("{s:o, s:s}", "subjects",
		                   r.subject[0] ? json_pack("[s]", r.subject) : json_array(),
		                   "request", r.request));
		return;
	}
	if (pdv_find(s->session, email ? "email" : "phone", email ? email : phone, subject, &err) <
	    0) {
		srv_fail(j, &err);
		return;
	}
	srv_json(
	    j, 200,
	    json_pack("{s:o}", "subjects", subject[0] ? json_pack("[s]", subject) : json_array()));
}

/* the finds of a group, read from the store at once before its jobs run
 * (pdv_find_ahead): each is still read, audited and answered by its job */
void srv_find_ahead(struct srv *s, struct job *group)
{
	const char *kinds[GROUP_FINDS_AHEAD], *values[GROUP_FINDS_AHEAD];
	struct pdv_error err;
	size_t n = 0;

	for (struct job *j = group; j && n < GROUP_FINDS_AHEAD; j = j->next) {
		const char *email, *phone;

		if (j->run != h_find)
			continue;
		email = j->body ? body_str(j, "email") : j->query[0];
		phone = j->body ? body_str(j, "phone") : j->query[1];
		if ((email != NULL) + (phone != NULL) != 1)
			continue;
		kinds[n] = email ? "email" : "phone";
		values[n++] = email ? email : phone;
	}
	pdv_error_clear(&err);
	/* a store that fails here fails the group's reads too, which answer as
	 * any failure of the store does: nothing to answer from here */
	if (n && pdv_find_ahead(s->session, kinds, values, n, &err) < 0)
		pdv_error_clear(&err);
}

static json_t *value_json(const struct pdv_shown_field *f)
{
	if (pdv_utf8_valid(f->value, f->len))
		return json_stringn(f->value, f->len);
	return json_pack("{s:I}", "bytes", (json_int_t)f->len);
}

/* a phase, and the next step, in the page's words */
static const char *phase_words(const char *phase, bool fr)
{
	static const char *const w[][3] = {
	    {"active", "active", "en base active"},
	    {"archived", "archived (restricted access)", "archivé (accès restreint)"},
	    {"renewal-pending", "waiting for the person to renew", "en attente du renouvellement"},
	    {"restricted", "restricted (kept, not used)", "limité (conservé, non utilisé)"},
	};

	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (strcmp(phase, w[i][0]) == 0)
			return w[i][fr ? 2 : 1];
	return phase;
}

static void next_words(const struct pdv_shown_record *r, bool fr, char out[96])
{
	char day[21];
	bool anon = r->decl && r->decl->retention.end.s &&
	            strcmp(r->decl->retention.end.s, "anonymise") == 0;
	const char *to = r->next_phase;

	pdv_time_format(r->next_at, day);
	day[10] = '\0';
	if (strcmp(to, "ended") == 0)
		to = anon ? (fr ? "anonymisé" : "anonymised") : (fr ? "supprimé" : "deleted");
	else if (strcmp(to, "archived") == 0)
		to = fr ? "archivé" : "archived";
	else if (strcmp(to, "renewal-pending") == 0)
		to = fr ? "renouvellement demandé" : "renewal asked";
	snprintf(out, 96, fr ? "%s le %s" : "%s on %s", to, day);
}

/* Art. 21 applies: a use under marketing (21(2)), or a basis of legitimate
 * interests or a public task (21(1)) */
static bool objectable(const struct pdv_activity *a)
{
	for (size_t i = 0; a && a->uses.present && i < a->uses.n; i++)
		if (a->uses.v[i].s && pdv_taxonomy_under(a->uses.v[i].s, "marketing"))
			return true;
	for (size_t i = 0; a && a->basis.present && i < a->basis.n; i++)
		if (a->basis.v[i].s && (strcmp(a->basis.v[i].s, "legitimate-interests") == 0 ||
		                        strcmp(a->basis.v[i].s, "public-task") == 0))
			return true;
	return false;
}

struct page {
	json_t *records;
	const char *lang;
	const char *held;
	char name[256]; /* the person's name, from a name field the role sees */
	char first[128], last[128];
};

static void name_from(struct page *p, const struct pdv_shown_field *f)
{
	char *into = strcmp(f->name, "name") == 0 || strcmp(f->name, "full_name") == 0 ? p->name
	             : strcmp(f->name, "first_name") == 0                              ? p->first
	             : strcmp(f->name, "last_name") == 0                               ? p->last
	                                                                               : NULL;
	size_t size = into == p->name ? sizeof(p->name) : sizeof(p->first);

	if (!into || into[0] || f->len >= size || !pdv_utf8_valid(f->value, f->len))
		return;
	memcpy(into, f->value, f->len);
	into[f->len] = '\0';
}

static int show_one(void *ctx, const struct pdv_shown_record *r)
{
	struct page *p = ctx;
	json_t *fields = json_object(), *rec;
	bool fr = p->lang && strcmp(p->lang, "fr") == 0;
	const char *name = r->decl ? pdv_text_get(&r->decl->name, p->lang) : NULL;

	for (size_t i = 0; i < r->n_fields; i++) {
		json_object_set_new(fields, r->fields[i].name, value_json(&r->fields[i]));
		name_from(p, &r->fields[i]);
	}
	rec = json_pack("{s:s, s:s, s:s, s:o, s:o}", "record", r->record, "activity", r->activity,
	                "phase", r->phase, "collected_at", time_json(r->collected_at), "fields",
	                fields);
	json_object_set_new(rec, "next",
	                    r->has_next ? json_pack("{s:s, s:o}", "phase", r->next_phase, "at",
	                                            time_json(r->next_at))
	                                : json_null());
	json_object_set_new(rec, "held", str_or_null(r->held));
	if (p->lang) { /* the person's page: the same in words */
		char next[96];

		json_object_set_new(rec, "activity_name", str_or_null(name && *name ? name : NULL));
		json_object_set_new(rec, "phase_words", json_string(phase_words(r->phase, fr)));
		if (r->has_next)
			next_words(r, fr, next);
		json_object_set_new(rec, "next_words", str_or_null(r->has_next ? next : NULL));
		json_object_set_new(rec, "objectable", json_boolean(objectable(r->decl)));
	}
	p->held = r->held;
	return json_array_append_new(p->records, rec) == 0 ? 0 : PDV_E_NOMEM;
}

/* the engine gives the history of the activities the role may name (a
 * withdrawal that ended the records stays in it) */
struct consents_ctx {
	struct srv *s;
	const char *lang;
	json_t *out, *history;
};

/* each event of the history, and the latest grant or withdrawal of each
 * activity as its state (the history comes oldest first) */
static int consent_event(void *ctx, const struct pdv_consent_event *e)
{
	struct consents_ctx *c = ctx;
	const struct pdv_activity *a;
	const char *name;
	json_t *o, *state = NULL;

	o = json_pack("{s:s, s:s, s:o, s:o, s:s}", "activity", e->activity, "what", e->what, "at",
	              time_json(e->at), "version", str_or_null(e->version), "channel", e->channel);
	if (!o)
		return PDV_E_NOMEM;
	json_object_set_new(o, "record", str_or_null(e->record));
	/* its name in the page's language, though its records may have ended */
	a = pdv_decl_activity(c->s->decl, e->activity);
	name = a ? pdv_text_get(&a->name, c->lang) : NULL;
	json_object_set_new(o, "activity_name", str_or_null(name));
	if (json_array_append_new(c->history, o) < 0)
		return PDV_E_NOMEM;
	if (strcmp(e->what, "renewed") == 0)
		return 0;
	for (size_t i = 0; i < json_array_size(c->out); i++)
		if (strcmp(
		        json_string_value(json_object_get(json_array_get(c->out, i), "activity")),
		        e->activity) == 0)
			state = json_array_get(c->out, i);
	if (!state) {
		state = json_object();
		if (!state || json_array_append_new(c->out, state) < 0)
			return PDV_E_NOMEM;
		json_object_set_new(state, "activity", json_string(e->activity));
	}
	json_object_set_new(state, "state", json_string(e->what));
	json_object_set_new(state, "at", time_json(e->at));
	json_object_set_new(state, "version", str_or_null(e->version));
	return 0;
}

struct subject_requests {
	struct srv *s;
	const char *subject;
	json_t *out;
};

static int request_of(void *ctx, const struct pdv_request_info *r)
{
	struct subject_requests *c = ctx;

	if (strcmp(r->subject, c->subject) != 0)
		return 0;
	return json_array_append_new(c->out, request_json(c->s, r));
}

static int audit_one(void *ctx, const struct pdv_audit_entry *e)
{
	json_t *o = json_pack("{s:I, s:o, s:o, s:s}", "seq", (json_int_t)e->seq, "at",
	                      time_json(e->at), "actor", pdv_json_text(e->actor ? e->actor : ""),
	                      "action", e->action ? e->action : "");

	json_object_set_new(o, "record", str_or_null(e->record));
	json_object_set_new(o, "activity", str_or_null(e->activity));
	json_object_set_new(o, "detail", str_or_null(e->detail));
	return json_array_append_new(ctx, o) == 0 ? 0 : PDV_E_NOMEM;
}

/* GET /v1/subjects/{id}: the records; with ?lang=fr|en, the person's page */
void h_subject(struct srv *s, struct job *j)
{
	struct page p = {.records = json_array(), .lang = j->query[0]};
	struct consents_ctx cc;
	struct subject_requests rq = {s, NULL, NULL};
	char subject[PDV_ID_MAX];
	struct pdv_error err;
	json_t *doc, *audit = NULL;

	pdv_error_clear(&err);
	j->secret_body = true;
	if (p.lang && strcmp(p.lang, "fr") != 0 && strcmp(p.lang, "en") != 0) {
		json_decref(p.records);
		srv_error(j, 400, "usage", "lang", "lang is fr or en");
		return;
	}
	if (pdv_show(s->session, j->param, show_one, &p, &err) < 0) {
		json_decref(p.records);
		srv_fail(j, &err);
		return;
	}
	pdv_id_answer(s->session, 's', j->param, subject);
	doc = json_pack("{s:s, s:o}", "subject", subject, "records", p.records);
	if (!p.lang) {
		srv_json(j, 200, doc);
		return;
	}
	if (!p.name[0] && (p.first[0] || p.last[0]))
		snprintf(p.name, sizeof(p.name), "%s%s%s", p.first,
		         p.first[0] && p.last[0] ? " " : "", p.last);
	json_object_set_new(doc, "name", p.name[0] ? pdv_json_text(p.name) : json_null());
	json_object_set_new(doc, "held", str_or_null(p.held));
	cc.s = s;
	cc.lang = p.lang;
	cc.out = json_array();
	json_object_set_new(doc, "consents", cc.out);
	cc.history = json_array();
	json_object_set_new(doc, "consent_history", cc.history);
	rq.subject = subject;
	rq.out = json_array();
	json_object_set_new(doc, "requests", rq.out);
	if (pdv_consent_history(s->session, j->param, consent_event, &cc, &err) < 0 ||
	    pdv_request_list(s->session, NULL, request_of, &rq, &err) < 0)
		goto fail;
	/* the audit trail names what every role did: the dpo's alone */
	if (strcmp(j->staff.role, "dpo") == 0) {
		audit = json_array();
		json_object_set_new(doc, "audit", audit);
		if (pdv_audit_list(s->session, j->param, audit_one, audit, &err) < 0)
			goto fail;
	}
	pdv_wipe(&p.name, sizeof(p.name));
	pdv_wipe(&p.first, sizeof(p.first));
	pdv_wipe(&p.last, sizeof(p.last));
	srv_json(j, 200, doc);
	return;
fail:
	pdv_wipe(&p.name, sizeof(p.name));
	pdv_wipe(&p.first, sizeof(p.first));
	pdv_wipe(&p.last, sizeof(p.last));
	json_decref(doc);
	srv_fail(j, &err);
}

void h_event(struct srv *s, struct job *j)
{
	const char *event = body_str(j, "event"), *activity = body_str(j, "activity");
	struct pdv_error err;
	int n = 0;

	pdv_error_clear(&err);
	if (!event) {
		srv_error(j, 422, "invalid", "event", "the body needs \"event\"");
		return;
	}
	/* the engine acts only on the records the token's role may see */
	if (pdv_event(s->session, j->param, event, activity, &n, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	srv_json(j, 200, json_pack("{s:i}", "recorded", n));
}

#define EXPORT_FORMATS (1u << PDV_FORMAT_JSON | 1u << PDV_FORMAT_CSV | 1u << PDV_FORMAT_HTML)

void export_into(struct srv *s, struct job *j, const char *subject, const char *name,
                 const char *format, bool portable, const char *lang)
{
	enum pdv_format fmt;
	struct pdv_error err;

	pdv_error_clear(&err);
	if (!format_of(format, PDV_FORMAT_JSON, EXPORT_FORMATS, &fmt) ||
	    (portable && fmt != PDV_FORMAT_JSON)) {
		srv_error(j, 400, "usage", "format",
		          portable ? "a portable export is json" : "format is json, csv or html");
		return;
	}
	pdv_buf_release(&j->out);
	pdv_buf_init(&j->out, (size_t)256 * 1024 * 1024);
	j->secret_body = true;
	/* no language asked: the person's own (the engine knows it), not the server's */
	if (pdv_export_document(s->session, subject, fmt, portable,
	                        lang && pdv_render_lang_supported(lang) ? lang : NULL, &j->out,
	                        &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	j->status = 200;
	j->ctype = ctype_of(fmt);
	snprintf(j->disposition, sizeof(j->disposition), "attachment; filename=\"%s.%s\"", name,
	         ext_of(fmt));
}

void h_export(struct srv *s, struct job *j)
{
	const char *p = j->query[2];

	export_into(s, j, j->param, j->param, j->query[0],
	            p && (strcmp(p, "1") == 0 || strcmp(p, "true") == 0), j->query[1]);
}

struct rights_out {
	json_t *done, *kept;
};

static int rights_one(void *ctx, const char *record, const char *what, const char *reason)
{
	struct rights_out *o = ctx;

	(void)what;
	if (reason)
		return json_array_append_new(
		    o->kept, json_pack("{s:s, s:s}", "record", record, "reason", reason));
	return json_array_append_new(o->done, json_string(record));
}

void h_erase(struct srv *s, struct job *j)
{
	struct rights_out o = {json_array(), json_array()};
	struct pdv_error err;

	pdv_error_clear(&err);
	if (pdv_erase(s->session, j->param, NULL, rights_one, &o, &err) < 0) {
		json_decref(o.done);
		json_decref(o.kept);
		srv_fail(j, &err);
		return;
	}
	srv_json(j, 200, json_pack("{s:o, s:o}", "erased", o.done, "kept", o.kept));
}

/* POST /v1/subjects/{id}/restriction {"restricted": true|false}: Art. 18 */
void h_restrict(struct srv *s, struct job *j)
{
	json_t *v = json_object_get(j->body, "restricted");
	struct pdv_error err;

	pdv_error_clear(&err);
	if (!json_is_boolean(v)) {
		srv_error(j, 422, "invalid", "restricted",
		          "the body needs \"restricted\": true or false");
		return;
	}
	if (pdv_restrict(s->session, j->param, json_is_true(v), &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	srv_json(j, 200, json_pack("{s:b}", "restricted", json_is_true(v)));
}

struct object_out {
	json_t *ended, *restricted, *kept;
};

static int object_one(void *ctx, const char *record, const char *what, const char *reason)
{
	struct object_out *o = ctx;

	if (strcmp(what, "kept") == 0)
		return json_array_append_new(o->kept, json_pack("{s:s, s:s}", "record", record,
		                                                "reason", reason ? reason : ""));
	return json_array_append_new(strcmp(what, "restricted") == 0 ? o->restricted : o->ended,
	                             json_string(record));
}

/* POST /v1/subjects/{id}/objection {"activity"?}: Art. 21, as `pdvault object` */
void h_object(struct srv *s, struct job *j)
{
	struct object_out o = {json_array(), json_array(), json_array()};
	struct pdv_error err;

	pdv_error_clear(&err);
	if (pdv_object(s->session, j->param, body_str(j, "activity"), object_one, &o, &err) < 0) {
		json_decref(o.ended);
		json_decref(o.restricted);
		json_decref(o.kept);
		srv_fail(j, &err);
		return;
	}
	srv_json(j, 200,
	         json_pack("{s:o, s:o, s:o}", "ended", o.ended, "restricted", o.restricted, "kept",
	                   o.kept));
}

#define RECTIFY_MAX_FIELDS 64

/* POST /v1/subjects/{id}/records/{record}/rectification {"fields": {NAME: VALUE}}:
 * Art. 16, as `pdvault rectify`; the values are validated as at collection */
void h_rectify(struct srv *s, struct job *j)
{
	struct pdv_input_field f[RECTIFY_MAX_FIELDS];
	json_t *fields = json_object_get(j->body, "fields"), *v;
	const char *name;
	struct pdv_error err;
	size_t n = 0;

	pdv_error_clear(&err);
	if (!json_is_object(fields) || json_object_size(fields) == 0 ||
	    json_object_size(fields) > RECTIFY_MAX_FIELDS) {
		srv_error(j, 422, "invalid", "fields",
		          "the body needs \"fields\": an object of 1 to %d field names and values",
		          RECTIFY_MAX_FIELDS);
		return;
	}
	json_object_foreach(fields, name, v)
	{
		if (!json_is_string(v)) {
			srv_error(j, 422, "invalid", "fields",
			          "each field's new value is a string");
			return;
		}
		f[n++] =
		    (struct pdv_input_field){name, json_string_value(v), json_string_length(v)};
	}
	if (pdv_rectify(s->session, j->param, j->param2, f, n, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	srv_json(j, 200, json_pack("{s:s, s:i}", "record", j->param2, "rectified", (int)n));
}
