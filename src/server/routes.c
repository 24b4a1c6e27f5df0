/*
 * routes.c — the HTTP API of CONTRACT section 4 and what the web UI needs.
 *
 * A route is a method, a pattern ({} is one path segment), who may call it
 * and its handler. Handlers run on the worker, inside the group's
 * transaction, except the few marked direct (no vault: healthz, the notice,
 * the public list of activities), which run on the connection's thread.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdv/crypto.h"
#include "pdv/lint.h"
#include "pdv/render.h"
#include "server/server.h"

enum {
	F_DIRECT = 1,         /* answered on the connection thread */
	F_PUBLIC_POST = 2,    /* rate limited per client address, CORS */
	F_BODY = 4,           /* a JSON object body is required */
	F_OPTIONAL_STAFF = 8, /* public, or staff when a token is given */
	F_FORM = 16,          /* the body is a form (RFC 8058), not JSON */
};

struct srv_route {
	const char *method;
	const char *pattern;
	enum srv_access access;
	srv_handler run;
	unsigned flags;
	const char *query[4];
};

/* ---- answers ---- */

void srv_json(struct job *j, int status, json_t *doc)
{
	size_t n = doc ? json_dumpb(doc, NULL, 0, JSON_COMPACT) : 0;

	pdv_buf_release(&j->out);
	pdv_buf_init(&j->out, 0);
	j->ctype = "application/json";
	j->status = status;
	/* straight into the answer: no copy of the values left behind */
	if (n == 0 || pdv_buf_reserve(&j->out, n + 1) < 0 ||
	    json_dumpb(doc, j->out.data, n, JSON_COMPACT) != n) {
		j->status = 500;
		pdv_buf_release(&j->out);
	} else {
		j->out.len = n;
		j->out.data[j->out.len++] = '\n';
	}
	json_decref(doc);
}

void srv_error(struct job *j, int status, const char *code, const char *field, const char *fmt,
	       ...)
{
	char msg[PDV_ERROR_MSG_MAX];
	va_list ap;
	json_t *e;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	j->secret_body = false;
	e = json_pack("{s:s, s:s}", "code", code, "message", msg);
	json_object_set_new(e, "field", field && *field ? json_string(field) : json_null());
	srv_json(j, status, json_pack("{s:o}", "error", e));
}

void srv_fail(struct job *j, const struct pdv_error *err)
{
	int status = pdv_rc_http_status(err->rc);

	/* a policy refusal: of the input (lint error, consent missing) 422, of the
	 * role (an activity it may not see, what is the dpo's) 403 */
	if (err->rc == PDV_E_REFUSED)
		status = strcmp(err->code, "forbidden") == 0 ? 403 : 422;
	srv_error(j, status, err->code[0] ? err->code : pdv_rc_code(err->rc), err->field, "%s",
		  err->msg);
}

void job_release(struct job *j)
{
	if (j->token)
		pdv_wipe(j->token, strlen(j->token));
	free(j->token);
	free(j->param);
	free(j->param2);
	for (size_t i = 0; i < sizeof(j->query) / sizeof(j->query[0]); i++)
		free(j->query[i]);
	json_decref(j->body);
	if (j->out.data && j->secret_body)
		pdv_wipe(j->out.data, j->out.len);
	pdv_buf_release(&j->out);
}

static json_t *time_json(pdv_time_t t)
{
	char buf[21];

	pdv_time_format(t, buf);
	return json_string(buf);
}

static const char *body_str(const struct job *j, const char *key)
{
	return json_string_value(json_object_get(j->body, key));
}

static const char *lang_of(struct srv *s, const char *lang)
{
	if (lang && pdv_render_lang_supported(lang))
		return lang;
	return s->default_lang;
}

/* ---- submissions ---- */

/*
 * The answer to a collection: 201 with the record only. A person who objected
 * gets the same 201 with a record id of the same make that is never stored,
 * after the same durable commit (pdv_collect_decoy): anyone may submit any
 * address or phone number, and a different answer would tell them whether
 * that person is on the suppression list.
 */
static void collected(struct srv *s, struct job *j, const char *activity, int rc,
		      const struct pdv_collect_out *out, const struct pdv_error *err)
{
	char decoy[PDV_ID_MAX];
	struct pdv_error e2;

	pdv_error_clear(&e2);
	if (rc == 0)
		srv_json(j, 201, json_pack("{s:s}", "record", out->record));
	else if (strcmp(err->code, "suppressed") != 0)
		srv_fail(j, err);
	else if (pdv_collect_decoy(s->vault, activity, decoy, &e2) == 0)
		srv_json(j, 201, json_pack("{s:s}", "record", decoy));
	else
		srv_fail(j, &e2);
}

static void h_submit(struct srv *s, struct job *j)
{
	json_t *fields = json_object_get(j->body, "fields");
	json_t *consent = json_object_get(j->body, "consent");
	struct pdv_collect_in in = {.activity = j->param, .channel = "web"};
	struct pdv_collect_out out;
	struct pdv_input_field *f;
	struct pdv_error err;
	const char *key;
	json_t *val;
	size_t n = 0;

	pdv_error_clear(&err);
	if (!pdv_vault_activity_declared(s->vault, j->param)) {
		srv_error(j, 404, "not_found", "activity", "no activity '%.64s'", j->param);
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
	if (!(f = calloc(json_object_size(fields) + 1, sizeof(*f)))) {
		srv_error(j, 500, "nomem", NULL, "out of memory");
		return;
	}
	json_object_foreach(fields, key, val) {
		if (!json_is_string(val)) {
			srv_error(j, 422, "invalid", key, "field '%.64s' is not a string", key);
			free(f);
			return;
		}
		f[n].name = key;
		f[n].value = json_string_value(val);
		f[n].len = json_string_length(val);
		n++;
	}
	in.fields = f;
	in.n_fields = n;
	in.consent = json_is_true(consent);
	if (pdv_vault_double_opt_in(s->vault, j->param)) {
		/* nothing is collected before the address confirms: a code goes to it */
		char vid[PDV_ID_MAX];
		pdv_time_t expires;

		if (pdv_optin_start(s->vault, &in, vid, &expires, &err) == 0)
			srv_json(j, 202, json_pack("{s:s, s:o}", "confirmation", vid, "expires_at",
						   time_json(expires)));
		else
			srv_fail(j, &err);
		free(f);
		return;
	}
	collected(s, j, j->param, pdv_collect(s->vault, &in, &out, &err), &out, &err);
	free(f);
}

/* ---- subjects ---- */

static void h_find(struct srv *s, struct job *j)
{
	const char *email = j->body ? body_str(j, "email") : j->query[0];
	const char *phone = j->body ? body_str(j, "phone") : j->query[1];
	char subject[PDV_ID_MAX];
	struct pdv_error err;

	pdv_error_clear(&err);
	if (!email == !phone) {
		srv_error(j, 400, "usage", NULL, "give an email or a phone, one of them");
		return;
	}
	if (pdv_find(s->vault, email ? "email" : "phone", email ? email : phone, subject, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	srv_json(j, 200,
		 json_pack("{s:o}", "subjects",
			   subject[0] ? json_pack("[s]", subject) : json_array()));
}

static json_t *value_json(const struct pdv_shown_field *f)
{
	if (pdv_utf8_valid(f->value, f->len))
		return json_stringn(f->value, f->len);
	return json_pack("{s:I}", "bytes", (json_int_t)f->len);
}

static int show_one(void *ctx, const struct pdv_shown_record *r)
{
	json_t *records = ctx, *fields = json_object(), *rec;

	for (size_t i = 0; i < r->n_fields; i++)
		json_object_set_new(fields, r->fields[i].name, value_json(&r->fields[i]));
	rec = json_pack("{s:s, s:s, s:s, s:o, s:o}", "record", r->record, "activity", r->activity,
			"phase", r->phase, "collected_at", time_json(r->collected_at), "fields",
			fields);
	json_object_set_new(rec, "next",
			    r->has_next ? json_pack("{s:s, s:o}", "phase", r->next_phase, "at",
						    time_json(r->next_at))
					: json_null());
	return json_array_append_new(records, rec) == 0 ? 0 : PDV_E_NOMEM;
}

static void h_subject(struct srv *s, struct job *j)
{
	json_t *records = json_array();
	struct pdv_error err;

	pdv_error_clear(&err);
	j->secret_body = true;
	if (pdv_show(s->vault, j->param, show_one, records, &err) < 0) {
		json_decref(records);
		srv_fail(j, &err);
		return;
	}
	srv_json(j, 200, json_pack("{s:s, s:o}", "subject", j->param, "records", records));
}

static void h_event(struct srv *s, struct job *j)
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
	if (pdv_event(s->vault, j->param, event, activity, &n, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	srv_json(j, 200, json_pack("{s:i}", "recorded", n));
}

static bool format_of(const char *name, enum pdv_format def, unsigned allowed,
		      enum pdv_format *ret)
{
	if (!name) {
		*ret = def;
		return true;
	}
	return pdv_format_parse(name, ret) == 0 && (allowed & (1u << *ret));
}

static const char *ctype_of(enum pdv_format f)
{
	switch (f) {
	case PDV_FORMAT_JSON: return "application/json";
	case PDV_FORMAT_CSV: return "text/csv; charset=utf-8";
	case PDV_FORMAT_HTML: return "text/html; charset=utf-8";
	case PDV_FORMAT_MD: return "text/markdown; charset=utf-8";
	}
	return "application/octet-stream";
}

static const char *ext_of(enum pdv_format f)
{
	switch (f) {
	case PDV_FORMAT_JSON: return "json";
	case PDV_FORMAT_CSV: return "csv";
	case PDV_FORMAT_HTML: return "html";
	case PDV_FORMAT_MD: return "md";
	}
	return "bin";
}

#define EXPORT_FORMATS (1u << PDV_FORMAT_JSON | 1u << PDV_FORMAT_CSV | 1u << PDV_FORMAT_HTML)

static void export_into(struct srv *s, struct job *j, const char *subject, const char *name,
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
	if (pdv_export_document(s->vault, subject, fmt, portable, lang_of(s, lang), &j->out,
				&err) < 0) {
		srv_fail(j, &err);
		return;
	}
	j->status = 200;
	j->ctype = ctype_of(fmt);
	snprintf(j->disposition, sizeof(j->disposition), "attachment; filename=\"%s.%s\"", name,
		 ext_of(fmt));
}

static void h_export(struct srv *s, struct job *j)
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
		return json_array_append_new(o->kept, json_pack("{s:s, s:s}", "record", record,
								"reason", reason));
	return json_array_append_new(o->done, json_string(record));
}

static void h_erase(struct srv *s, struct job *j)
{
	struct rights_out o = {json_array(), json_array()};
	struct pdv_error err;

	pdv_error_clear(&err);
	if (pdv_erase(s->vault, j->param, NULL, rights_one, &o, &err) < 0) {
		json_decref(o.done);
		json_decref(o.kept);
		srv_fail(j, &err);
		return;
	}
	srv_json(j, 200, json_pack("{s:o, s:o}", "erased", o.done, "kept", o.kept));
}

/* ---- rights requests ---- */

/* days from the controller's today to a due date (negative: overdue) */
static long days_left(struct srv *s, const char *due)
{
	struct pdv_date d;
	pdv_day_t today = pdv_controller_day(s->decl->controller.country.s,
					     pdv_vault_now(s->vault));

	if (pdv_date_parse(due, &d, NULL) < 0)
		return 0;
	return (long)(pdv_date_to_day(d) - today);
}

static json_t *str_or_null(const char *v)
{
	return v && *v ? json_string(v) : json_null();
}

static json_t *request_json(struct srv *s, const struct pdv_request_info *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "request", json_string(r->request));
	json_object_set_new(o, "kind", str_or_null(r->kind));
	json_object_set_new(o, "status", str_or_null(r->status));
	json_object_set_new(o, "received", str_or_null(r->received));
	json_object_set_new(o, "due", str_or_null(r->due));
	json_object_set_new(o, "overdue", json_boolean(r->overdue));
	json_object_set_new(o, "subject", str_or_null(r->subject));
	json_object_set_new(o, "channel", str_or_null(r->channel));
	json_object_set_new(o, "extended", json_boolean(r->extended));
	if (r->status && strcmp(r->status, "open") == 0)
		json_object_set_new(o, "days_left", json_integer(days_left(s, r->due)));
	return o;
}

struct list_ctx {
	struct srv *s;
	json_t *arr;
};

static int list_one(void *ctx, const struct pdv_request_info *r)
{
	struct list_ctx *c = ctx;

	return json_array_append_new(c->arr, request_json(c->s, r));
}

static void h_requests(struct srv *s, struct job *j)
{
	const char *which = j->query[0];
	struct list_ctx c = {s, json_array()};
	struct pdv_error err;

	pdv_error_clear(&err);
	if (which && strcmp(which, "open") != 0 && strcmp(which, "overdue") != 0 &&
	    strcmp(which, "all") != 0) {
		json_decref(c.arr);
		srv_error(j, 400, "usage", "status", "status is open, overdue or all");
		return;
	}
	if (which && strcmp(which, "all") == 0)
		which = NULL;
	if (pdv_request_list(s->vault, which, list_one, &c, &err) < 0) {
		json_decref(c.arr);
		srv_fail(j, &err);
		return;
	}
	srv_json(j, 200, json_pack("{s:o}", "requests", c.arr));
}

static void h_request_get(struct srv *s, struct job *j)
{
	struct pdv_request_info r;
	struct pdv_error err;

	pdv_error_clear(&err);
	if (pdv_request_get(s->vault, j->param, &r, &err) < 0)
		srv_fail(j, &err);
	else
		srv_json(j, 200, request_json(s, &r));
}

static void h_request_intake(struct srv *s, struct job *j)
{
	const char *kind = body_str(j, "kind"), *email = body_str(j, "email");
	struct pdv_request_info r;
	struct pdv_error err;
	char vid[PDV_ID_MAX];
	uint8_t index[32];
	pdv_time_t expires;

	pdv_error_clear(&err);
	if (j->staff.role[0]) { /* staff record a request received by mail, phone... */
		if (strcmp(j->staff.role, "dpo") != 0) {
			srv_error(j, 403, "forbidden", NULL, "this needs the role dpo");
			return;
		}
		if (pdv_request_open(s->vault, kind, body_str(j, "subject"), email,
				     body_str(j, "received"),
				     body_str(j, "channel") ? body_str(j, "channel") : "api", &r,
				     &err) < 0)
			srv_fail(j, &err);
		else
			srv_json(j, 201, request_json(s, &r));
		return;
	}
	/* the public: nothing opens before the address is shown to be theirs;
	 * past --verify-per-email codes an hour to one address, the same answer
	 * and nothing sent (the address is not to be flooded) */
	if (pdv_email_index(s->vault, email, index, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	if (!srv_verify_take(s, index)
		? pdv_verification_decoy(s->vault, kind, vid, &expires, &err) < 0
		: pdv_verification_start(s->vault, kind, email, vid, &expires, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	srv_json(j, 202, json_pack("{s:s, s:o}", "verification", vid, "expires_at",
				   time_json(expires)));
}

static void h_verify(struct srv *s, struct job *j)
{
	struct pdv_verified ok;
	struct pdv_request_info r;
	struct pdv_error err;
	char subject[PDV_ID_MAX], session[PDV_SESSION_MAX];
	const char *vid = body_str(j, "verification"), *code = body_str(j, "code");

	if (!vid) /* the confirmation of a double opt-in */
		vid = body_str(j, "confirmation");

	pdv_error_clear(&err);
	if (!vid) {
		srv_error(j, 422, "invalid", "verification",
			  "the body needs \"verification\" (or \"confirmation\")");
		return;
	}
	if (pdv_verification_check(s->vault, vid, code, &ok, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	if (ok.result == PDV_VERIFY_WRONG) {
		srv_error(j, 422, "wrong_code", "code", "the code is not right (%d tr%s left)",
			  ok.attempts_left, ok.attempts_left == 1 ? "y" : "ies");
		return;
	}
	if (ok.result == PDV_VERIFY_EXPIRED) {
		srv_error(j, 422, "expired", "code",
			  "this code has expired or was used: ask for a new one");
		return;
	}
	if (strcmp(ok.purpose, "opt-in") == 0) {
		struct pdv_collect_out out;

		/* the waiting submission starts with its activity */
		collected(s, j, ok.payload ? (const char *)ok.payload : NULL,
			  pdv_optin_collect(s->vault, &ok, &out, &err), &out, &err);
	} else if (strcmp(ok.purpose, "consents") == 0) {
		pdv_time_t until = pdv_vault_now(s->vault) + PDV_VERIFY_TTL;

		if (pdv_find(s->vault, "email", ok.email, subject, &err) < 0 ||
		    (subject[0] && pdv_session_make(s->vault, subject, until, session, &err) < 0)) {
			pdv_verified_release(&ok);
			srv_fail(j, &err);
			return;
		}
		/* the owner of the address learns whether the vault knows it */
		srv_json(j, 200, json_pack("{s:o, s:o}", "session",
					   subject[0] ? json_string(session) : json_null(),
					   "expires_at", time_json(until)));
	} else if (pdv_request_open(s->vault, ok.purpose, NULL, ok.email, NULL, "web", &r,
				    &err) < 0) {
		srv_fail(j, &err);
	} else {
		json_t *o = request_json(s, &r);

		json_object_del(o, "subject"); /* the person is not told their id */
		srv_json(j, 201, o);
	}
	pdv_verified_release(&ok);
}

static void h_request_extend(struct srv *s, struct job *j)
{
	struct pdv_request_info r;
	struct pdv_error err;

	pdv_error_clear(&err);
	if (pdv_request_extend(s->vault, j->param, body_str(j, "reason"), &r, &err) < 0 ||
	    pdv_request_get(s->vault, j->param, &r, &err) < 0)
		srv_fail(j, &err);
	else
		srv_json(j, 200, request_json(s, &r));
}

static void h_request_close(struct srv *s, struct job *j)
{
	json_t *refuse = json_object_get(j->body, "refuse");
	struct pdv_request_info r;
	struct pdv_error err;
	json_t *o;
	char link[96];

	pdv_error_clear(&err);
	if (refuse && !json_is_boolean(refuse)) {
		srv_error(j, 422, "invalid", "refuse", "\"refuse\" is true or false");
		return;
	}
	if (pdv_request_close(s->vault, j->param, json_is_true(refuse), body_str(j, "reason"), &r,
			      &err) < 0 ||
	    pdv_request_get(s->vault, j->param, &r, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	o = request_json(s, &r);
	if (strcmp(r.status, "done") == 0 && r.subject[0] &&
	    (strcmp(r.kind, "access") == 0 || strcmp(r.kind, "portability") == 0 ||
	     strcmp(r.kind, "post-mortem") == 0)) {
		snprintf(link, sizeof(link), "/v1/requests/%s/export", r.request);
		json_object_set_new(o, "export", json_string(link));
	}
	srv_json(j, 200, o);
}

/* ---- the breach register (dpo) ---- */

static json_t *breach_json(const struct pdv_breach_info *b)
{
	json_t *o = json_pack("{s:s, s:o, s:o, s:o, s:o, s:b}", "breach", b->breach, "aware_at",
			      time_json(b->aware_at), "authority_due", time_json(b->authority_due),
			      "authority_notified",
			      b->authority_notified ? time_json(b->authority_notified) : json_null(),
			      "subjects_notified",
			      b->subjects_notified ? time_json(b->subjects_notified) : json_null(),
			      "overdue", b->overdue);

	json_object_set_new(o, "risk", json_string(b->risk));
	json_object_set_new(o, "authority_required", json_boolean(b->authority_required));
	json_object_set_new(o, "subjects_required", json_boolean(b->subjects_required));
	if (b->summary) { /* the register's texts, for the dpo */
		json_object_set_new(o, "summary", json_string(b->summary));
		json_object_set_new(o, "risk_reason", str_or_null(b->risk_reason));
		json_object_set_new(o, "late_reason", str_or_null(b->late_reason));
	}
	return o;
}

static int breach_one(void *ctx, const struct pdv_breach_info *b)
{
	return json_array_append_new(ctx, breach_json(b));
}

static void h_breaches(struct srv *s, struct job *j)
{
	json_t *arr = json_array();
	struct pdv_error err;

	pdv_error_clear(&err);
	if (pdv_breach_list(s->vault, true, breach_one, arr, &err) < 0) {
		json_decref(arr);
		srv_fail(j, &err);
		return;
	}
	srv_json(j, 200, json_pack("{s:o}", "breaches", arr));
}

static void h_breach_open(struct srv *s, struct job *j)
{
	const char *aware = body_str(j, "aware_at");
	struct pdv_breach_info b;
	struct pdv_error err;
	pdv_time_t at;

	pdv_error_clear(&err);
	if (!aware || pdv_time_parse(aware, &at, NULL) < 0) {
		srv_error(j, 422, "invalid", "aware_at",
			  "\"aware_at\" is a time, YYYY-MM-DDTHH:MM:SSZ (or a date, YYYY-MM-DD)");
		return;
	}
	if (pdv_breach_open(s->vault, at, body_str(j, "summary"), body_str(j, "risk"),
			    body_str(j, "risk_reason"), &b, &err) < 0) {
		if (strcmp(err.field, "reason") == 0)
			pdv_error_field(&err, "risk_reason");
		if (strcmp(err.field, "aware") == 0) /* the CLI's --aware is aware_at here */
			pdv_error_field(&err, "aware_at");
		srv_fail(j, &err);
	} else {
		srv_json(j, 201, breach_json(&b));
	}
}

static void h_breach_notify(struct srv *s, struct job *j)
{
	const char *who = body_str(j, "who");
	struct pdv_breach_info b;
	struct pdv_error err;
	json_t *o;

	pdv_error_clear(&err);
	if (!who || (strcmp(who, "authority") != 0 && strcmp(who, "subjects") != 0)) {
		srv_error(j, 422, "invalid", "who", "\"who\" is \"authority\" or \"subjects\"");
		return;
	}
	if (pdv_breach_notify(s->vault, j->param, who, body_str(j, "reason"), &b, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	o = breach_json(&b);
	if (strcmp(who, "authority") == 0)
		json_object_set_new(o, "late",
				    json_boolean(b.authority_notified > b.authority_due));
	srv_json(j, 200, o);
}

static void h_breach_assess(struct srv *s, struct job *j)
{
	struct pdv_breach_info b;
	struct pdv_error err;

	pdv_error_clear(&err);
	if (pdv_breach_assess(s->vault, j->param, body_str(j, "risk"), body_str(j, "reason"), &b,
			      &err) < 0)
		srv_fail(j, &err);
	else
		srv_json(j, 200, breach_json(&b));
}

static int directives_one(void *ctx, const char *text, size_t len)
{
	json_t **doc = ctx;

	*doc = json_pack("{s:s%}", "directives", text, len);
	return *doc ? 0 : PDV_E_NOMEM;
}

static void h_request_export(struct srv *s, struct job *j)
{
	struct pdv_request_info r;
	struct pdv_error err;
	json_t *doc = NULL;

	pdv_error_clear(&err);
	if (pdv_request_get(s->vault, j->param, &r, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	if (!r.subject[0]) {
		srv_error(j, 404, "not_found", "subject", "request %s names no subject in the vault",
			  r.request);
		return;
	}
	if (strcmp(r.kind, "post-mortem") == 0) {
		j->secret_body = true;
		if (pdv_directives_get(s->vault, r.subject, directives_one, &doc, &err) < 0)
			srv_fail(j, &err);
		else
			srv_json(j, 200, doc);
		return;
	}
	if (strcmp(r.kind, "access") != 0 && strcmp(r.kind, "portability") != 0) {
		srv_error(j, 409, "refused", "request", "a %s request has no export", r.kind);
		return;
	}
	export_into(s, j, r.subject, r.request, j->query[0], strcmp(r.kind, "portability") == 0,
		    j->query[1]);
}

/* ---- consents, for a person with a session from the privacy center ---- */

struct consents_ctx {
	struct srv *s;
	const char *lang;
	json_t *arr;
};

static int consent_one(void *ctx, const char *activity, const char *state, pdv_time_t at,
		       const char *version)
{
	struct consents_ctx *c = ctx;
	const struct pdv_activity *a = pdv_decl_activity(c->s->decl, activity);
	const char *name = a ? pdv_text_get(&a->name, c->lang) : NULL;
	const char *purpose = a && a->purposes.n ? pdv_text_get(&a->purposes.v[0], c->lang) : NULL;
	json_t *o = json_pack("{s:s, s:s, s:o}", "activity", activity, "state", state, "at",
			      time_json(at));

	json_object_set_new(o, "name", name ? json_string(name) : json_null());
	json_object_set_new(o, "purpose", purpose ? json_string(purpose) : json_null());
	json_object_set_new(o, "version", version ? json_string(version) : json_null());
	return json_array_append_new(c->arr, o);
}

static void h_consents(struct srv *s, struct job *j)
{
	struct consents_ctx c = {s, lang_of(s, body_str(j, "lang")), json_array()};
	char subject[PDV_ID_MAX];
	struct pdv_error err;

	pdv_error_clear(&err);
	if (pdv_session_check(s->vault, body_str(j, "session"), subject, &err) < 0 ||
	    pdv_consents_of(s->vault, subject, consent_one, &c, &err) < 0) {
		json_decref(c.arr);
		if (err.rc == PDV_E_NOTFOUND) /* the last record ended: nothing is kept of them */
			srv_json(j, 200, json_pack("{s:[]}", "consents"));
		else if (err.rc == PDV_E_REFUSED)
			srv_error(j, 401, "session", "session", "%s", err.msg);
		else
			srv_fail(j, &err);
		return;
	}
	srv_json(j, 200, json_pack("{s:o}", "consents", c.arr));
}

static void h_withdraw(struct srv *s, struct job *j)
{
	char subject[PDV_ID_MAX];
	struct pdv_consent_out out;
	struct pdv_error err;

	pdv_error_clear(&err);
	if (pdv_session_check(s->vault, body_str(j, "session"), subject, &err) < 0) {
		srv_error(j, 401, "session", "session", "%s", err.msg);
		return;
	}
	if (pdv_consent(s->vault, subject, j->param, false, &out, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	srv_json(j, 200, json_pack("{s:s, s:s, s:i}", "activity", out.activity, "state", out.state,
				   "ended", out.ended));
}

/* ---- unsubscribe links (RFC 8058) ---- */

static void h_link(struct srv *s, struct job *j)
{
	char token[PDV_LINK_MAX], url[128];
	struct pdv_link_info li;
	struct pdv_error err;

	pdv_error_clear(&err);
	if (pdv_link_make(s->vault, j->param, token, &err) < 0 ||
	    pdv_link_record(s->vault, token, &li, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	/* a record the role may not see is not live to it, as one that ended */
	if (!li.live) {
		srv_error(j, 404, "not_found", "record", "no record '%.40s'", j->param);
		return;
	}
	snprintf(url, sizeof(url), "/v1/unsubscribe?t=%s", token);
	srv_json(j, 200, json_pack("{s:s, s:s, s:s}", "record", li.record, "activity",
				   li.activity, "url", url));
}

static void unsubscribe_page(struct srv *s, struct job *j, const struct pdv_link_info *li,
			     bool done)
{
	const char *lang = s->default_lang;
	const struct pdv_activity *a = li->live ? pdv_decl_activity(s->decl, li->activity) : NULL;
	const char *name = a ? pdv_text_get(&a->name, lang) : NULL;
	bool fr = strcmp(lang, "fr") == 0;
	struct pdv_buf *b = &j->out;
	int rc = 0;

	pdv_buf_release(b);
	pdv_buf_init(b, 0);
	rc |= pdv_buf_printf(b, "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
				"<meta name=\"viewport\" content=\"width=device-width\">"
				"<title>%s</title><link rel=\"stylesheet\" href=\"/style.css\">"
				"</head><body><main>\n<h1>",
			     lang, fr ? "Désinscription" : "Unsubscribe");
	if (done || !li->live) {
		rc |= pdv_buf_puts(b, fr ? "C'est fait" : "Done");
		rc |= pdv_buf_puts(b, "</h1>\n<p role=\"status\">");
		rc |= pdv_buf_puts(b, fr ? "Votre consentement est retiré : vous ne recevrez plus "
					   "ces messages."
					 : "Your consent is withdrawn: you will receive no more of "
					   "these messages.");
		rc |= pdv_buf_puts(b, "</p>\n");
	} else {
		rc |= pdv_buf_puts(b, fr ? "Se désinscrire" : "Unsubscribe");
		rc |= pdv_buf_puts(b, "</h1>\n<p>");
		rc |= pdv_buf_puts(b, fr ? "Retirer votre consentement pour : "
					 : "Withdraw your consent to: ");
		rc |= pdv_buf_put_html(b, name ? name : li->activity);
		rc |= pdv_buf_puts(b, "</p>\n<form method=\"post\" action=\"/v1/unsubscribe?t=");
		rc |= pdv_buf_put_html(b, j->query[0]);
		rc |= pdv_buf_puts(b, "\"><input type=\"hidden\" name=\"List-Unsubscribe\" "
				      "value=\"One-Click\"><button type=\"submit\">");
		rc |= pdv_buf_puts(b, fr ? "Me désinscrire" : "Unsubscribe me");
		rc |= pdv_buf_puts(b, "</button></form>\n");
	}
	rc |= pdv_buf_printf(b, "<p><a href=\"/v1/notice?lang=%s\">%s</a></p>\n</main></body></html>\n",
			     lang, fr ? "Politique de confidentialité" : "Privacy notice");
	if (rc) {
		srv_error(j, 500, "nomem", NULL, "out of memory");
		return;
	}
	j->status = 200;
	j->ctype = "text/html; charset=utf-8";
}

/* GET shows a button (mail scanners follow links: a GET changes nothing);
 * POST, as RFC 8058's one-click, withdraws */
static void h_unsubscribe(struct srv *s, struct job *j)
{
	struct pdv_link_info li;
	struct pdv_consent_out out;
	struct pdv_error err;
	bool post = j->body_form;

	pdv_error_clear(&err);
	if (pdv_link_record(s->vault, j->query[0], &li, &err) < 0) {
		srv_fail(j, &err);
		if (err.rc == PDV_E_REFUSED)
			j->status = 404;
		return;
	}
	if (post && li.live && pdv_consent(s->vault, li.subject, li.activity, false, &out, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	unsubscribe_page(s, j, &li, post);
}

/* ---- documents, dashboard, identity ---- */

static void h_register(struct srv *s, struct job *j)
{
	enum pdv_format fmt;
	struct pdv_error err;

	pdv_error_clear(&err);
	if (!format_of(j->query[0], PDV_FORMAT_JSON,
		       1u << PDV_FORMAT_JSON | 1u << PDV_FORMAT_CSV | 1u << PDV_FORMAT_HTML |
			       1u << PDV_FORMAT_MD,
		       &fmt)) {
		srv_error(j, 400, "usage", "format", "format is csv, json, md or html");
		return;
	}
	pdv_buf_release(&j->out);
	pdv_buf_init(&j->out, 0);
	if (pdv_render_register(s->decl, lang_of(s, j->query[1]), fmt, &j->out, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	j->status = 200;
	j->ctype = ctype_of(fmt);
}

static void h_me(struct srv *s, struct job *j)
{
	(void)s;
	srv_json(j, 200, json_pack("{s:s, s:s}", "name", j->staff.name, "role", j->staff.role));
}

struct dash_ctx {
	json_t *phases, *ending;
	long total_ending;
};

static int dash_one(void *ctx, const char *activity, const char *phase, long count, long ending)
{
	struct dash_ctx *c = ctx;
	json_t *n = json_object_get(c->phases, phase);

	json_object_set_new(c->phases, phase,
			    json_integer((n ? json_integer_value(n) : 0) + count));
	if (ending) {
		json_t *e = json_object_get(c->ending, activity);

		json_object_set_new(c->ending, activity,
				    json_integer((e ? json_integer_value(e) : 0) + ending));
		c->total_ending += ending;
	}
	return 0;
}

/* breaches the authority has not been told of yet, and the nearest deadline */
struct breach_dash {
	long unreported, overdue;
	pdv_time_t next_due;
};

static int breach_count(void *ctx, const struct pdv_breach_info *b)
{
	struct breach_dash *c = ctx;

	if (b->authority_notified || !b->authority_required)
		return 0;
	c->unreported++;
	c->overdue += b->overdue;
	if (!c->next_due || b->authority_due < c->next_due)
		c->next_due = b->authority_due;
	return 0;
}

static void h_dashboard(struct srv *s, struct job *j)
{
	struct breach_dash bd = {0, 0, 0};
	json_t *doc;
	struct list_ctx open = {s, json_array()};
	struct dash_ctx d = {json_object(), json_object(), 0};
	struct pdv_error err;
	long overdue = 0;
	size_t i;
	json_t *r;

	pdv_error_clear(&err);
	if (pdv_request_list(s->vault, "open", list_one, &open, &err) < 0 ||
	    pdv_records_summary(s->vault, pdv_vault_now(s->vault) + 30 * 86400, dash_one, &d,
				&err) < 0 ||
	    (strcmp(j->staff.role, "dpo") == 0 &&
	     pdv_breach_list(s->vault, false, breach_count, &bd, &err) < 0)) {
		json_decref(open.arr);
		json_decref(d.phases);
		json_decref(d.ending);
		srv_fail(j, &err);
		return;
	}
	json_array_foreach(open.arr, i, r)
		overdue += json_is_true(json_object_get(r, "overdue"));
	doc = json_pack("{s:{s:s, s:s}, s:{s:i, s:i, s:o}, s:{s:o, s:i, s:o}, s:{s:i, s:i}}",
			"staff", "name", j->staff.name, "role", j->staff.role, "requests", "open",
			(int)json_array_size(open.arr), "overdue", (int)overdue, "list", open.arr,
			"records", "by_phase", d.phases, "ending_30_days", (int)d.total_ending,
			"ending_by_activity", d.ending, "lint", "errors", s->lint_errors,
			"warnings", s->lint_warnings);
	/* the register is the dpo's: other roles see no breach figures */
	if (strcmp(j->staff.role, "dpo") == 0)
		json_object_set_new(doc, "breaches",
				    json_pack("{s:i, s:i, s:o}", "unreported", (int)bd.unreported,
					      "overdue", (int)bd.overdue, "next_due",
					      bd.next_due ? time_json(bd.next_due) : json_null()));
	srv_json(j, 200, doc);
}

static void h_metrics(struct srv *s, struct job *j)
{
	srv_metrics_render(s, j);
}

/* ---- direct routes: no vault ---- */

static void d_healthz(struct srv *s, struct job *j)
{
	(void)s;
	srv_json(j, 200, json_pack("{s:b}", "ok", 1));
}

static void d_notice(struct srv *s, struct job *j)
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

static void d_activities(struct srv *s, struct job *j)
{
	const char *lang = j->query[0] && pdv_render_lang_supported(j->query[0]) ? j->query[0]
										 : s->default_lang;
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

			json_array_append_new(fields,
					      json_pack("{s:s, s:s, s:b}", "name",
							f->name.s ? f->name.s : "", "type",
							f->type.s ? f->type.s : "text", "required",
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
	srv_json(j, 200, json_pack("{s:s, s:o}", "lang", lang, "activities", arr));
}

/* ---- the table ---- */

static const struct srv_route routes[] = {
	{"GET", "/healthz", SRV_PUBLIC, d_healthz, F_DIRECT, {0}},
	{"GET", "/metrics", SRV_METRICS, h_metrics, 0, {0}},
	{"GET", "/v1/activities", SRV_PUBLIC, d_activities, F_DIRECT, {"lang"}},
	{"POST", "/v1/activities/{}/submissions", SRV_PUBLIC, h_submit, F_PUBLIC_POST | F_BODY, {0}},
	{"GET", "/v1/subjects", SRV_STAFF, h_find, 0, {"email", "phone"}},
	{"POST", "/v1/subjects/search", SRV_STAFF, h_find, F_BODY, {0}},
	{"GET", "/v1/subjects/{}", SRV_STAFF, h_subject, 0, {0}},
	{"DELETE", "/v1/subjects/{}", SRV_DPO, h_erase, 0, {0}},
	{"POST", "/v1/subjects/{}/events", SRV_STAFF, h_event, F_BODY, {0}},
	{"GET", "/v1/subjects/{}/export", SRV_STAFF, h_export, 0, {"format", "lang", "portable"}},
	{"GET", "/v1/requests", SRV_STAFF, h_requests, 0, {"status"}},
	{"POST", "/v1/requests", SRV_PUBLIC, h_request_intake,
	 F_PUBLIC_POST | F_BODY | F_OPTIONAL_STAFF, {0}},
	{"POST", "/v1/verify", SRV_PUBLIC, h_verify, F_PUBLIC_POST | F_BODY, {0}},
	{"GET", "/v1/requests/{}", SRV_STAFF, h_request_get, 0, {0}},
	{"POST", "/v1/requests/{}/extend", SRV_DPO, h_request_extend, F_BODY, {0}},
	{"POST", "/v1/requests/{}/close", SRV_DPO, h_request_close, F_BODY, {0}},
	{"GET", "/v1/requests/{}/export", SRV_DPO, h_request_export, 0, {"format", "lang"}},
	{"GET", "/v1/breaches", SRV_DPO, h_breaches, 0, {0}},
	{"POST", "/v1/breaches", SRV_DPO, h_breach_open, F_BODY, {0}},
	{"POST", "/v1/breaches/{}/notify", SRV_DPO, h_breach_notify, F_BODY, {0}},
	{"POST", "/v1/breaches/{}/assess", SRV_DPO, h_breach_assess, F_BODY, {0}},
	{"POST", "/v1/consents", SRV_PUBLIC, h_consents, F_PUBLIC_POST | F_BODY, {0}},
	{"POST", "/v1/consents/{}/withdraw", SRV_PUBLIC, h_withdraw, F_PUBLIC_POST | F_BODY, {0}},
	{"GET", "/v1/records/{}/unsubscribe-link", SRV_STAFF, h_link, 0, {0}},
	{"GET", "/v1/unsubscribe", SRV_PUBLIC, h_unsubscribe, 0, {"t"}},
	{"POST", "/v1/unsubscribe", SRV_PUBLIC, h_unsubscribe, F_PUBLIC_POST | F_FORM, {"t"}},
	{"GET", "/v1/notice", SRV_PUBLIC, d_notice, F_DIRECT, {"lang", "format"}},
	{"GET", "/v1/register", SRV_STAFF, h_register, 0, {"format", "lang"}},
	{"GET", "/v1/dashboard", SRV_STAFF, h_dashboard, 0, {0}},
	{"GET", "/v1/me", SRV_STAFF, h_me, 0, {0}},
};

const size_t srv_n_routes = sizeof(routes) / sizeof(routes[0]);

size_t srv_route_index(const struct srv_route *r)
{
	return r ? (size_t)(r - routes) : srv_n_routes;
}

const char *srv_route_pattern(const struct srv_route *r)
{
	return r ? r->pattern : "-";
}

const char *srv_route_method_at(size_t i)
{
	return i < srv_n_routes ? routes[i].method : "-";
}

const char *srv_route_pattern_at(size_t i)
{
	return i < srv_n_routes ? routes[i].pattern : "none";
}

static bool segment_ok(const char *p, size_t n)
{
	if (n == 0 || n > 128)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(('a' <= p[i] && p[i] <= 'z') || ('A' <= p[i] && p[i] <= 'Z') ||
		      ('0' <= p[i] && p[i] <= '9') || p[i] == '-' || p[i] == '_' || p[i] == '.'))
			return false;
	return true;
}

/* does url match pattern? the {} segments are copied into params[] */
static bool path_match(const char *pattern, const char *url, char *params[2])
{
	const char *p = pattern, *u = url;
	int k = 0;

	params[0] = params[1] = NULL;
	while (*p && *u) {
		if (p[0] == '{' && p[1] == '}') {
			size_t n = strcspn(u, "/");

			if (!segment_ok(u, n) || k == 2)
				goto no;
			if (!(params[k++] = strndup(u, n)))
				goto no;
			p += 2;
			u += n;
		} else if (*p++ != *u++) {
			goto no;
		}
	}
	if (*p == '\0' && *u == '\0')
		return true;
no:
	free(params[0]);
	free(params[1]);
	params[0] = params[1] = NULL;
	return false;
}

int srv_route_match(const char *method, const char *url, struct srv_match *m)
{
	char *params[2];

	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < srv_n_routes; i++) {
		if (!path_match(routes[i].pattern, url, params))
			continue;
		if (strcmp(routes[i].method, method) != 0 &&
		    !(strcmp(method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0)) {
			/* the path exists with another method: 405 unless another matches */
			size_t used = strlen(m->allow);

			if (used + strlen(routes[i].method) + 3 < sizeof(m->allow))
				snprintf(m->allow + used, sizeof(m->allow) - used, "%s%s",
					 m->path_known ? ", " : "", routes[i].method);
			m->path_known = true;
			free(params[0]);
			free(params[1]);
			continue;
		}
		m->route = &routes[i];
		m->param = params[0];
		m->param2 = params[1];
		return 0;
	}
	return PDV_E_NOTFOUND;
}

void srv_match_release(struct srv_match *m)
{
	free(m->param);
	free(m->param2);
	m->param = m->param2 = NULL;
}

srv_handler srv_route_handler(const struct srv_route *r) { return r->run; }
enum srv_access srv_route_access(const struct srv_route *r) { return r->access; }
bool srv_route_direct(const struct srv_route *r) { return r->flags & F_DIRECT; }
bool srv_route_public_post(const struct srv_route *r) { return r->flags & F_PUBLIC_POST; }
bool srv_route_needs_body(const struct srv_route *r) { return r->flags & F_BODY; }
bool srv_route_form_body(const struct srv_route *r) { return r->flags & F_FORM; }
bool srv_route_takes_token(const struct srv_route *r)
{
	return r->access != SRV_PUBLIC || (r->flags & F_OPTIONAL_STAFF);
}
const char *const *srv_route_query(const struct srv_route *r) { return r->query; }
