/*
 * subjects.c — the staff's routes on a person: find them by email or phone,
 * show their records, record an event, export what the vault holds of them
 * (export_into, which requests.c's request export shares) and erase them.
 * The engine acts only on the records the token's role may see.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdv/render.h"
#include "answer.h"
#include "handlers.h"
#include "server.h"

void h_find(struct srv *s, struct job *j)
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
	if (pdv_find(s->session, email ? "email" : "phone", email ? email : phone, subject, &err) <
	    0) {
		srv_fail(j, &err);
		return;
	}
	srv_json(
	    j, 200,
	    json_pack("{s:o}", "subjects", subject[0] ? json_pack("[s]", subject) : json_array()));
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

void h_subject(struct srv *s, struct job *j)
{
	json_t *records = json_array();
	char subject[PDV_ID_MAX];
	struct pdv_error err;

	pdv_error_clear(&err);
	j->secret_body = true;
	if (pdv_show(s->session, j->param, show_one, records, &err) < 0) {
		json_decref(records);
		srv_fail(j, &err);
		return;
	}
	pdv_id_answer(s->session, 's', j->param, subject);
	srv_json(j, 200, json_pack("{s:s, s:o}", "subject", subject, "records", records));
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
