/*
 * breaches.c — the breach register (Art. 33-34), the dpo's alone: list,
 * open, assess the risk, describe its consequences and measures, record who
 * was notified and when, and queue the Art. 34 notice to the people of the
 * activities named ("activities").
 */
#include <stdio.h>
#include <string.h>

#include "answer.h"
#include "handlers.h"
#include "server.h"

static json_t *breach_json(const struct pdv_breach_info *b)
{
	json_t *o =
	    json_pack("{s:s, s:o, s:o, s:o, s:o, s:b}", "breach", b->breach, "aware_at",
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

void h_breaches(struct srv *s, struct job *j)
{
	json_t *arr = json_array();
	struct pdv_error err;

	pdv_error_clear(&err);
	if (pdv_breach_list(s->session, true, breach_one, arr, &err) < 0) {
		json_decref(arr);
		srv_fail(j, &err);
		return;
	}
	srv_json(j, 200, json_pack("{s:o}", "breaches", arr));
}

void h_breach_open(struct srv *s, struct job *j)
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
	if (pdv_breach_open(s->session, at, body_str(j, "summary"), body_str(j, "risk"),
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

void h_breach_notify(struct srv *s, struct job *j)
{
	const char *who = body_str(j, "who"), *names[64];
	json_t *acts = json_object_get(j->body, "activities");
	struct pdv_breach_people people = {0};
	struct pdv_breach_info b;
	struct pdv_error err;
	json_t *o;

	pdv_error_clear(&err);
	if (!who || (strcmp(who, "authority") != 0 && strcmp(who, "subjects") != 0)) {
		srv_error(j, 422, "invalid", "who", "\"who\" is \"authority\" or \"subjects\"");
		return;
	}
	if (acts && (!json_is_array(acts) || strcmp(who, "subjects") != 0 ||
	             json_array_size(acts) == 0 || json_array_size(acts) > 64)) {
		srv_error(j, 422, "invalid", "activities",
		          "\"activities\" is a list of 1 to 64 activity ids, for \"who\": "
		          "\"subjects\"");
		return;
	}
	for (size_t i = 0; acts && i < json_array_size(acts); i++) {
		if (!(names[i] = json_string_value(json_array_get(acts, i)))) {
			srv_error(j, 422, "invalid", "activities", "an activity id is a string");
			return;
		}
	}
	if (acts ? pdv_breach_notify_people(s->session, j->param, names, json_array_size(acts), &b,
	                                    &people, &err) < 0
	         : pdv_breach_notify(s->session, j->param, who, body_str(j, "reason"), &b, &err) <
	               0) {
		srv_fail(j, &err);
		return;
	}
	o = breach_json(&b);
	if (acts) {
		json_object_set_new(o, "notices", json_integer((json_int_t)people.queued));
		json_object_set_new(o, "unreachable", json_integer((json_int_t)people.unreachable));
	}
	if (strcmp(who, "authority") == 0)
		json_object_set_new(o, "late",
		                    json_boolean(b.authority_notified > b.authority_due));
	srv_json(j, 200, o);
}

void h_breach_assess(struct srv *s, struct job *j)
{
	struct pdv_breach_info b;
	struct pdv_error err;

	pdv_error_clear(&err);
	if (pdv_breach_assess(s->session, j->param, body_str(j, "risk"), body_str(j, "reason"), &b,
	                      &err) < 0)
		srv_fail(j, &err);
	else
		srv_json(j, 200, breach_json(&b));
}

void h_breach_describe(struct srv *s, struct job *j)
{
	struct pdv_breach_info b;
	struct pdv_error err;

	pdv_error_clear(&err);
	if (pdv_breach_describe(s->session, j->param, body_str(j, "consequences"),
	                        body_str(j, "measures"), &b, &err) < 0)
		srv_fail(j, &err);
	else
		srv_json(j, 200, breach_json(&b));
}
