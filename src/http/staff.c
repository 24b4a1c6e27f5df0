/*
 * staff.c — what a signed-in staff member sees about themselves and the
 * vault: who they are (/v1/me), the dashboard (open requests, records by
 * phase and ending soon, lint counts; breach figures for the dpo only), the
 * Art. 30 register, the accountability dossier (dpo), the linter's findings
 * on the declaration the server runs (/v1/lint), and /metrics (rendered by
 * metrics.c).
 */
#include <stdio.h>
#include <string.h>

#include "pdv/json.h"
#include "pdv/lint.h"
#include "pdv/render.h"
#include "pdv/wipe.h"
#include "answer.h"
#include "handlers.h"
#include "server.h"

void h_register(struct srv *s, struct job *j)
{
	enum pdv_format fmt;
	struct pdv_error err;
	pdv_time_t now;

	pdv_error_clear(&err);
	if (!format_of(j->query[0], PDV_FORMAT_JSON,
	               1u << PDV_FORMAT_JSON | 1u << PDV_FORMAT_CSV | 1u << PDV_FORMAT_HTML |
	                   1u << PDV_FORMAT_MD | 1u << PDV_FORMAT_CSV_EXCEL |
	                   1u << PDV_FORMAT_XLSX | 1u << PDV_FORMAT_DPV,
	               &fmt)) {
		srv_error(j, 400, "usage", "format",
		          "format is csv, csv-excel, xlsx, json, md, html or dpv");
		return;
	}
	if (pdv_clock_now(&now, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	pdv_buf_release(&j->out);
	pdv_buf_init(&j->out, 0);
	/* the spreadsheet forms carry the day they were made, the controller's */
	if (pdv_render_register_on(s->decl, lang_of(s, j->query[1]), fmt,
	                           pdv_controller_day(s->decl->controller.country.s, now), &j->out,
	                           &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	j->status = 200;
	j->ctype = ctype_of(fmt);
	snprintf(j->disposition, sizeof(j->disposition), "attachment; filename=\"register.%s\"",
	         ext_of(fmt));
}

/* a day is the whole day: the period ends at the next day's start */
static bool period_bound(const char *v, bool end, pdv_time_t *ret)
{
	if (!v || pdv_time_parse(v, ret, NULL) < 0)
		return false;
	if (end && strlen(v) == 10)
		*ret += 86400;
	return true;
}

void h_dossier(struct srv *s, struct job *j)
{
	pdv_time_t from, to;
	struct pdv_error err;

	pdv_error_clear(&err);
	if (!period_bound(j->query[0], false, &from)) {
		srv_error(j, 400, "usage", "from", "from is a date (YYYY-MM-DD)");
		return;
	}
	if (!period_bound(j->query[1], true, &to) || to <= from) {
		srv_error(j, 400, "usage", "to", "to is a date (YYYY-MM-DD), not before from");
		return;
	}
	pdv_buf_release(&j->out);
	pdv_buf_init(&j->out, 0);
	if (pdv_dossier_document(s->session, from, to, &j->out, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	char a[21], b[21];
	pdv_time_format(from, a);
	pdv_time_format(to - 1, b);
	snprintf(j->disposition, sizeof(j->disposition),
	         "attachment; filename=\"dossier-%.10s-%.10s.html\"", a, b);
	j->status = 200;
	j->ctype = "text/html; charset=utf-8";
}

/* the declared roles' names in each language the pages speak, for the
 * header and the tokens page to show a name where the vault keeps an id:
 * {"sales": {"fr": "Équipe commerciale", "en": "Sales team"}, ...}; dpo is
 * not declared, the pages word it themselves */
static json_t *role_names(const struct pdv_decl *d)
{
	static const char *const langs[] = {"fr", "en"};
	json_t *o = json_object();

	for (size_t i = 0; o && i < d->n_roles; i++) {
		const struct pdv_role *r = &d->roles[i];
		json_t *names = json_object();

		for (size_t k = 0; names && k < sizeof(langs) / sizeof(langs[0]); k++) {
			const char *n = pdv_text_get(&r->name, langs[k]);

			if (n)
				json_object_set_new(names, langs[k], pdv_json_text(n));
		}
		if (r->id.s)
			json_object_set_new(o, r->id.s, names);
		else
			json_decref(names);
	}
	return o;
}

void h_me(struct srv *s, struct job *j)
{
	json_t *doc = json_pack("{s:s, s:s, s:o}", "name", j->staff.name, "role", j->staff.role,
	                        "roles", role_names(s->decl));
	char csrf[PDV_STAFF_SECRET_MAX];

	/* how the caller is known, as worker.c's identify() tried it: a token
	 * (nothing added), the sign-on proxy, or a session, whose CSRF token a
	 * back-office tab opened later reads here (same origin only: no CORS,
	 * and the cookie is SameSite=Strict) */
	if (!j->token && j->sso_name) {
		json_object_set_new(doc, "via", json_string("proxy"));
	} else if (!j->token && j->session) {
		pdv_staff_session_csrf(s->session, j->session, csrf);
		json_object_set_new(doc, "via", json_string("session"));
		json_object_set_new(doc, "csrf", json_string(csrf));
		pdv_wipe(csrf, sizeof(csrf));
	}
	srv_json(j, 200, doc);
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
	long unreported, overdue, people_to_tell;
	pdv_time_t next_due;
	json_t *deadlines; /* [{"breach","authority_due","overdue"}], for the dashboard's list */
};

static int breach_count(void *ctx, const struct pdv_breach_info *b)
{
	struct breach_dash *c = ctx;

	c->people_to_tell += b->people_to_tell; /* Art. 34: high risk, people not told */
	if (b->authority_notified || !b->authority_required)
		return 0;
	c->unreported++;
	c->overdue += b->overdue;
	json_array_append_new(c->deadlines,
	                      json_pack("{s:s, s:o, s:b}", "breach", b->breach, "authority_due",
	                                time_json(b->authority_due), "overdue", b->overdue));
	if (!c->next_due || b->authority_due < c->next_due)
		c->next_due = b->authority_due;
	return 0;
}

void h_dashboard(struct srv *s, struct job *j)
{
	struct breach_dash bd = {0, 0, 0, 0, json_array()};
	json_t *doc;
	struct list_ctx open = {s, json_array()};
	struct dash_ctx d = {json_object(), json_object(), 0};
	struct pdv_error err;
	long overdue = 0;
	size_t i;
	json_t *r;

	pdv_error_clear(&err);
	if (pdv_request_list(s->session, "open", list_one, &open, &err) < 0 ||
	    pdv_records_summary(s->session, pdv_session_now(s->session) + 30 * 86400, dash_one, &d,
	                        &err) < 0 ||
	    (strcmp(j->staff.role, "dpo") == 0 &&
	     pdv_breach_list(s->session, false, breach_count, &bd, &err) < 0)) {
		json_decref(open.arr);
		json_decref(d.phases);
		json_decref(d.ending);
		json_decref(bd.deadlines);
		srv_fail(j, &err);
		return;
	}
	json_array_foreach(open.arr, i, r) overdue += json_is_true(json_object_get(r, "overdue"));
	doc = json_pack("{s:{s:s, s:s}, s:{s:i, s:i, s:o}, s:{s:o, s:i, s:o}, s:{s:i, s:i}}",
	                "staff", "name", j->staff.name, "role", j->staff.role, "requests", "open",
	                (int)json_array_size(open.arr), "overdue", (int)overdue, "list", open.arr,
	                "records", "by_phase", d.phases, "ending_30_days", (int)d.total_ending,
	                "ending_by_activity", d.ending, "lint", "errors", s->lint_errors,
	                "warnings", s->lint_warnings);
	/* the register is the dpo's: other roles see no breach figures */
	if (strcmp(j->staff.role, "dpo") == 0)
		json_object_set_new(doc, "breaches",
		                    json_pack("{s:i, s:i, s:i, s:o, s:o}", "unreported",
		                              (int)bd.unreported, "overdue", (int)bd.overdue,
		                              "people_to_tell", (int)bd.people_to_tell, "next_due",
		                              bd.next_due ? time_json(bd.next_due) : json_null(),
		                              "deadlines", bd.deadlines));
	else
		json_decref(bd.deadlines);
	srv_json(j, 200, doc);
}

void h_metrics(struct srv *s, struct job *j)
{
	srv_metrics_render(s, j);
}

/* what `pdvault --json lint` says of the declaration the server runs, linted
 * now (the dashboard's counts were taken at start; a date-dependent rule may
 * have turned since). The file is named without its folder: staff need not
 * learn the server's paths */
void h_lint(struct srv *s, struct job *j)
{
	struct pdv_lint_result lr = {0};
	struct pdv_error err;
	pdv_time_t now;
	const char *file = s->decl->file ? s->decl->file : "";
	const char *slash = strrchr(file, '/');

	pdv_error_clear(&err);
	if (pdv_clock_now(&now, &err) < 0 ||
	    pdv_lint_run(s->decl, pdv_time_day(now), &lr, &err) < 0) {
		srv_fail(j, &err);
		goto out;
	}
	pdv_buf_release(&j->out);
	pdv_buf_init(&j->out, 0);
	if (pdv_render_lint_json(&lr, slash ? slash + 1 : file, &j->out, &err) < 0) {
		srv_fail(j, &err);
		goto out;
	}
	j->status = 200;
	j->ctype = "application/json";
out:
	pdv_lint_result_release(&lr);
}
