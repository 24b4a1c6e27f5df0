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

static json_t *count_or_null(int64_t n)
{
	return n < 0 ? json_null() : json_integer((json_int_t)n);
}

static json_t *at_or_null(pdv_time_t t)
{
	return t ? time_json(t) : json_null();
}

static json_t *breach_json(const struct pdv_breach_info *b)
{
	json_t *o =
	    json_pack("{s:s, s:o, s:o, s:o, s:o, s:b}", "breach", b->breach, "aware_at",
	              time_json(b->aware_at), "authority_due", time_json(b->authority_due),
	              "authority_notified", at_or_null(b->authority_notified), "subjects_notified",
	              at_or_null(b->subjects_notified), "overdue", b->overdue);

	json_object_set_new(o, "risk", json_string(b->risk));
	json_object_set_new(o, "authority_required", json_boolean(b->authority_required));
	json_object_set_new(o, "subjects_required", json_boolean(b->subjects_required));
	json_object_set_new(o, "late", json_boolean(b->late));
	json_object_set_new(o, "people_to_tell", json_boolean(b->people_to_tell));
	json_object_set_new(o, "recorded_at", at_or_null(b->recorded_at));
	json_object_set_new(o, "assessed_at", at_or_null(b->assessed_at));
	json_object_set_new(o, "people", count_or_null(b->people_count));
	json_object_set_new(o, "records", count_or_null(b->records_count));
	json_object_set_new(o, "notices", count_or_null(b->subjects_notices));
	json_object_set_new(o, "unreachable", count_or_null(b->subjects_unreachable));
	if (b->summary) { /* the register's texts, for the dpo */
		json_object_set_new(o, "summary", json_string(b->summary));
		json_object_set_new(o, "risk_reason", str_or_null(b->risk_reason));
		json_object_set_new(o, "late_reason", str_or_null(b->late_reason));
		json_object_set_new(o, "nature", str_or_null(b->nature));
		json_object_set_new(o, "categories", str_or_null(b->categories));
		json_object_set_new(o, "consequences", str_or_null(b->consequences));
		json_object_set_new(o, "measures", str_or_null(b->measures));
		json_object_set_new(o, "reference", str_or_null(b->authority_reference));
		json_object_set_new(o, "contact", str_or_null(b->contact));
	}
	return o;
}

/*
 * A breach's timeline, in the order things happen: aware, recorded,
 * assessed, the authority's deadline, the authority told, the people told.
 * A step not taken yet is absent, but the deadline, which is always there.
 * Steps from before the store kept their time have "at": null.
 */
static json_t *timeline_json(const struct pdv_breach_info *b)
{
	json_t *v = json_array(), *e;

	json_array_append_new(
	    v, json_pack("{s:s, s:o}", "step", "aware", "at", time_json(b->aware_at)));
	if (b->recorded_at)
		json_array_append_new(v, json_pack("{s:s, s:o}", "step", "recorded", "at",
		                                   time_json(b->recorded_at)));
	if (strcmp(b->risk, "unassessed") != 0)
		json_array_append_new(v, json_pack("{s:s, s:o, s:s, s:o}", "step", "assessed", "at",
		                                   at_or_null(b->assessed_at), "risk", b->risk,
		                                   "reason", str_or_null(b->risk_reason)));
	json_array_append_new(v, json_pack("{s:s, s:o, s:b}", "step", "authority-due", "at",
	                                   time_json(b->authority_due), "required",
	                                   b->authority_required));
	if (b->authority_notified) {
		e = json_pack("{s:s, s:o, s:b}", "step", "authority", "at",
		              time_json(b->authority_notified), "late", b->late);
		json_object_set_new(e, "reference", str_or_null(b->authority_reference));
		json_object_set_new(e, "reason", str_or_null(b->late_reason));
		json_array_append_new(v, e);
	}
	if (b->subjects_notified)
		json_array_append_new(v,
		                      json_pack("{s:s, s:o, s:o, s:o}", "step", "subjects", "at",
		                                time_json(b->subjects_notified), "notices",
		                                count_or_null(b->subjects_notices), "unreachable",
		                                count_or_null(b->subjects_unreachable)));
	return v;
}

/* a time a person typed, with its offset; 422 naming the field when it is not one */
static bool body_time(struct job *j, const char *key, pdv_time_t *ret)
{
	const char *v = body_str(j, key);

	if (v && pdv_time_parse_local(v, ret, NULL) == 0)
		return true;
	srv_error(j, 422, "invalid", key,
	          "\"%s\" is a time with its offset from UTC, such as 2026-03-02T11:00+01:00 "
	          "or 2026-03-02T10:00:00Z",
	          key);
	return false;
}

static int breach_one(void *ctx, const struct pdv_breach_info *b)
{
	return json_array_append_new(ctx, breach_json(b));
}

void h_breaches(struct srv *s, struct job *j)
{
	json_t *arr = json_array(), *b;
	struct pdv_error err;
	size_t i;
	int to_tell = 0;

	pdv_error_clear(&err);
	if (pdv_breach_list(s->session, true, breach_one, arr, &err) < 0) {
		json_decref(arr);
		srv_fail(j, &err);
		return;
	}
	json_array_foreach(arr, i, b) to_tell += json_is_true(json_object_get(b, "people_to_tell"));
	srv_json(j, 200, json_pack("{s:o, s:i}", "breaches", arr, "people_to_tell", to_tell));
}

static int breach_page(void *ctx, const struct pdv_breach_info *b)
{
	json_t **ret = ctx;

	*ret = breach_json(b);
	json_object_set_new(*ret, "timeline", timeline_json(b));
	return 0;
}

void h_breach_get(struct srv *s, struct job *j)
{
	json_t *doc = NULL;
	struct pdv_error err;

	pdv_error_clear(&err);
	if (pdv_breach_show(s->session, j->param, breach_page, &doc, &err) < 0) {
		json_decref(doc);
		srv_fail(j, &err);
		return;
	}
	srv_json(j, 200, doc);
}

void h_breach_open(struct srv *s, struct job *j)
{
	struct pdv_breach_info b;
	struct pdv_error err;
	pdv_time_t at;

	pdv_error_clear(&err);
	if (!body_time(j, "aware_at", &at))
		return;
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
	pdv_time_t at = 0;
	json_t *o;

	pdv_error_clear(&err);
	if (json_object_get(j->body, "at") && !body_time(j, "at", &at))
		return;
	if (acts && json_object_get(j->body, "at")) {
		srv_error(j, 422, "invalid", "at",
		          "the notices to the people are sent now: \"at\" is for people told "
		          "by other means");
		return;
	}
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
	         : pdv_breach_notify(s->session, j->param, who, at, body_str(j, "reference"),
	                             body_str(j, "reason"), &b, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	o = breach_json(&b);
	if (acts) {
		json_object_set_new(o, "notices", json_integer((json_int_t)people.queued));
		json_object_set_new(o, "unreachable", json_integer((json_int_t)people.unreachable));
	}
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

/* an approximate number: absent or null (-1), or an integer */
static bool body_count(struct job *j, const char *key, int64_t *ret)
{
	json_t *v = json_object_get(j->body, key);

	*ret = -1;
	if (!v || json_is_null(v))
		return true;
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		*ret = (int64_t)json_integer_value(v);
		return true;
	}
	srv_error(j, 422, "invalid", key, "\"%s\" is an approximate number, 0 or more", key);
	return false;
}

void h_breach_describe(struct srv *s, struct job *j)
{
	struct pdv_breach_description d = {body_str(j, "nature"),
	                                   body_str(j, "categories"),
	                                   body_str(j, "consequences"),
	                                   body_str(j, "measures"),
	                                   -1,
	                                   -1};
	struct pdv_breach_info b;
	struct pdv_error err;

	pdv_error_clear(&err);
	if (!body_count(j, "people", &d.people) || !body_count(j, "records", &d.records))
		return;
	if (pdv_breach_describe(s->session, j->param, &d, &b, &err) < 0)
		srv_fail(j, &err);
	else
		srv_json(j, 200, breach_json(&b));
}
