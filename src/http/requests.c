/*
 * requests.c — the rights requests (Art. 15-22): the register for the staff
 * (list, get, extend, close, and the export that answers an access,
 * portability or post-mortem request), the public intake that opens a
 * request only once the person shows the address is theirs (a code sent to
 * it), and /v1/verify, which checks such a code for a request, a consent
 * session or a double opt-in. request_json is the one shape of a request,
 * also in the dashboard (staff.c).
 *
 * The status page: POST /v1/status takes a reference and answers 202 with a
 * check id whether or not the reference names a request (a code is sent only
 * when it does, at most --verify-per-email an hour per reference); POST
 * /v1/status/verify (or /v1/verify) takes the check and its code and answers
 * the request as its person may see it, the reasons staff gave included.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdv/json.h"
#include "pdv/wipe.h"
#include "answer.h"
#include "handlers.h"
#include "server.h"

/* days from the controller's today to a due date (negative: overdue);
 * null for a due date that is no date (a damaged store), never a number
 * that would read as "due today" */
static json_t *days_left(struct srv *s, const char *due)
{
	struct pdv_date d;
	pdv_day_t today =
	    pdv_controller_day(s->decl->controller.country.s, pdv_session_now(s->session));

	if (!due || pdv_date_parse(due, &d, NULL) < 0)
		return json_null();
	return json_integer((json_int_t)(pdv_date_to_day(d) - today));
}

json_t *request_json(struct srv *s, const struct pdv_request_info *r)
{
	json_t *o = json_object();

	json_object_set_new(o, "request", json_string(r->request));
	json_object_set_new(o, "reference", str_or_null(r->reference[0] ? r->reference : NULL));
	json_object_set_new(o, "kind", str_or_null(r->kind));
	json_object_set_new(o, "status", str_or_null(r->status));
	json_object_set_new(o, "received", str_or_null(r->received));
	json_object_set_new(o, "due", str_or_null(r->due));
	json_object_set_new(o, "overdue", json_boolean(r->overdue));
	json_object_set_new(o, "subject", str_or_null(r->subject));
	json_object_set_new(o, "channel", str_or_null(r->channel));
	json_object_set_new(o, "extended", json_boolean(r->extended));
	if (r->status && strcmp(r->status, "open") == 0)
		json_object_set_new(o, "days_left", days_left(s, r->due));
	return o;
}

int list_one(void *ctx, const struct pdv_request_info *r)
{
	struct list_ctx *c = ctx;

	return json_array_append_new(c->arr, request_json(c->s, r));
}

static bool is_dpo(const struct job *j)
{
	return strcmp(j->staff.role, "dpo") == 0;
}

/* who asked: the address a request came from, opened for the dpo alone
 * (each opening audited by the engine); null for the other roles */
static int requester_into(struct srv *s, struct job *j, json_t *o, struct pdv_error *err)
{
	struct pdv_request_private p;
	const char *id = json_string_value(json_object_get(o, "request"));

	if (!is_dpo(j))
		return 0;
	if (pdv_request_private_open(s->session, id, &p, err) < 0)
		return -1;
	j->secret_body = true;
	json_object_set_new(o, "requester", p.requester ? pdv_json_text(p.requester) : json_null());
	json_object_set_new(o, "rectify", p.asked ? json_loads(p.asked, 0, NULL) : json_null());
	pdv_request_private_release(&p);
	return 0;
}

static int by_field(const void *a, const void *b, const char *key)
{
	const char *x = json_string_value(json_object_get(*(json_t *const *)a, key));
	const char *y = json_string_value(json_object_get(*(json_t *const *)b, key));

	return strcmp(x ? x : "", y ? y : "");
}

/* one comparator per sort key: qsort passes no context, and a key kept in
 * a static would be shared by every thread that lists requests */
static int by_due(const void *a, const void *b)
{
	return by_field(a, b, "due");
}

static int by_received(const void *a, const void *b)
{
	return by_field(a, b, "received");
}

/* GET /v1/requests: status (open, overdue, done, refused, all), kind,
 * due_within (days: open requests due by then, overdue included), sort (due,
 * received; "-" first for the latest first) */
void h_requests(struct srv *s, struct job *j)
{
	const char *which = j->query[0], *kind = j->query[1], *within = j->query[2];
	const char *sort = j->query[3] ? j->query[3] : "due";
	struct list_ctx c = {s, json_array()};
	struct pdv_error err;
	json_t *out = json_array(), **v = NULL;
	long days = -1;
	size_t n;
	bool desc = sort[0] == '-';

	pdv_error_clear(&err);
	if (which && strcmp(which, "open") != 0 && strcmp(which, "overdue") != 0 &&
	    strcmp(which, "all") != 0 && strcmp(which, "done") != 0 &&
	    strcmp(which, "refused") != 0) {
		srv_error(j, 400, "usage", "status",
		          "status is open, overdue, done, refused or all");
		goto out;
	}
	if (kind && !pdv_request_kind_known(kind)) {
		srv_error(j, 400, "usage", "kind", "not a request kind");
		goto out;
	}
	if (within) {
		char *end;

		days = strtol(within, &end, 10);
		if (!*within || *end || days < 0 || days > 3660) {
			srv_error(j, 400, "usage", "due_within", "due_within is a number of days");
			goto out;
		}
	}
	if (strcmp(sort + desc, "due") != 0 && strcmp(sort + desc, "received") != 0) {
		srv_error(j, 400, "usage", "sort", "sort is due or received (-due, -received)");
		goto out;
	}
	if (pdv_request_list(s->session,
	                     which && (strcmp(which, "open") == 0 || strcmp(which, "overdue") == 0)
	                         ? which
	                         : NULL,
	                     list_one, &c, &err) < 0) {
		srv_fail(j, &err);
		goto out;
	}
	for (size_t i = 0; i < json_array_size(c.arr); i++) {
		json_t *o = json_array_get(c.arr, i);
		const char *st = json_string_value(json_object_get(o, "status"));
		json_t *left = json_object_get(o, "days_left");

		if (which && (strcmp(which, "done") == 0 || strcmp(which, "refused") == 0) &&
		    strcmp(st, which) != 0)
			continue;
		if (kind && strcmp(json_string_value(json_object_get(o, "kind")), kind) != 0)
			continue;
		if (days >= 0 && (!json_is_integer(left) || json_integer_value(left) > days))
			continue;
		json_array_append(out, o);
	}
	n = json_array_size(out);
	if (n && !(v = malloc(n * sizeof(*v)))) {
		srv_error(j, 500, "internal", NULL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = json_incref(json_array_get(out, i));
	if (n)
		qsort(v, n, sizeof(*v), strcmp(sort + desc, "due") == 0 ? by_due : by_received);
	json_array_clear(out);
	for (size_t i = 0; i < n; i++) {
		json_t *o = v[desc ? n - 1 - i : i];

		if (requester_into(s, j, o, &err) < 0) {
			for (size_t k = i; k < n; k++)
				json_decref(v[desc ? n - 1 - k : k]);
			srv_fail(j, &err);
			goto out;
		}
		json_array_append_new(out, o);
	}
	srv_json(j, 200, json_pack("{s:O}", "requests", out));
out:
	free(v);
	json_decref(out);
	json_decref(c.arr);
}

static int event_json(void *ctx, const struct pdv_request_event *e)
{
	json_t *arr = ctx, *o = json_pack("{s:s, s:o, s:o}", "what", e->what, "day",
	                                  str_or_null(e->day[0] ? e->day : NULL), "at",
	                                  e->at ? time_json(e->at) : json_null());

	if (e->kind)
		json_object_set_new(o, "kind", json_string(e->kind));
	if (e->status)
		json_object_set_new(o, "status", json_string(e->status));
	if (e->recipient)
		json_object_set_new(o, "recipient", json_string(e->recipient));
	if (e->author)
		json_object_set_new(o, "author", pdv_json_text(e->author));
	if (e->text)
		json_object_set_new(o, "text", pdv_json_text(e->text));
	return json_array_append_new(arr, o) == 0 ? 0 : PDV_E_NOMEM;
}

/* an erasure done: the link to its deletion certificate (docs/certificates.md) */
static void certificate_link_into(json_t *o, const char *request)
{
	char link[96];

	snprintf(link, sizeof(link), "/v1/requests/%s/certificate", request);
	json_object_set_new(o, "certificate", json_string(link));
}

/* an erasure carried out, as its deletion certificate says it (the body
 * stored when it was made: activities, categories, counts, reasons, never a
 * value), read without signing it: looking at a request is no issue of its
 * certificate (GET .../certificate is, audited). 0 and nothing set when the
 * request has no certificate (an erasure closed before certificates) */
static int outcome_into(struct srv *s, const char *request, json_t *doc, struct pdv_error *err)
{
	static const char *const keep[] = {"done_at", "erased", "kept", "recipients_told"};
	char id[PDV_ID_MAX];
	json_t *body, *o;
	struct pdv_buf b;
	int rc;

	pdv_buf_init(&b, 0);
	rc = pdv_certificate_content(s->session, request, &b, id, err);
	if (rc == PDV_E_NOTFOUND) {
		pdv_error_clear(err);
		pdv_buf_release(&b);
		return 0;
	}
	if (rc < 0) {
		pdv_buf_release(&b);
		return rc;
	}
	body = json_loadb(b.data, b.len, 0, NULL);
	pdv_buf_release(&b);
	if (!json_is_object(body)) {
		json_decref(body);
		return pdv_error_set(err, PDV_E_INTERNAL, "certificate %s is damaged", id);
	}
	o = json_pack("{s:s}", "certificate", id);
	for (size_t i = 0; o && i < sizeof(keep) / sizeof(keep[0]); i++) {
		json_t *v = json_object_get(body, keep[i]);

		json_object_set(o, keep[i], v ? v : json_null());
	}
	json_decref(body);
	if (!o)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	json_object_set_new(doc, "outcome", o);
	certificate_link_into(doc, request);
	return 0;
}

void h_request_get(struct srv *s, struct job *j)
{
	struct pdv_request_info r;
	struct pdv_error err;
	json_t *doc, *notices, *timeline;

	pdv_error_clear(&err);
	if (pdv_request_get(s->session, j->param, &r, &err) < 0 ||
	    !(notices = request_notices_json(s, j->param, j->query[0], &err))) {
		srv_fail(j, &err);
		return;
	}
	/* the Art. 19 notices its close queued: who was told, who waits, who failed */
	doc = request_json(s, &r);
	json_object_set_new(doc, "notices", notices);
	/* its timeline (texts for the dpo), who asked and what (the dpo's) */
	timeline = json_array();
	json_object_set_new(doc, "timeline", timeline);
	if (pdv_request_timeline(s->session, j->param, event_json, timeline, &err) < 0 ||
	    requester_into(s, j, doc, &err) < 0 ||
	    (is_dpo(j) && r.kind && strcmp(r.kind, "erasure") == 0 && r.status &&
	     strcmp(r.status, "done") == 0 && outcome_into(s, r.request, doc, &err) < 0)) {
		json_decref(doc);
		srv_fail(j, &err);
		return;
	}
	if (is_dpo(j))
		j->secret_body = true; /* notes and reasons may name the person */
	srv_json(j, 200, doc);
}

void h_request_intake(struct srv *s, struct job *j)
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
		json_t *rectify = json_object_get(j->body, "rectify");
		char *asked = NULL;
		int rc;

		if (rectify && !json_is_object(rectify)) {
			srv_error(j, 422, "invalid", "rectify",
			          "\"rectify\" is an object: each field with its new value");
			return;
		}
		if (rectify && !(asked = json_dumps(rectify, JSON_COMPACT))) {
			srv_error(j, 500, "internal", NULL, "out of memory");
			return;
		}
		rc = pdv_request_open_asking(
		    s->session, kind, body_str(j, "subject"), email, body_str(j, "received"),
		    body_str(j, "channel") ? body_str(j, "channel") : "api", body_str(j, "lang"),
		    asked, &r, &err);
		if (asked) {
			pdv_wipe(asked, strlen(asked));
			free(asked);
		}
		if (rc < 0)
			srv_fail(j, &err);
		else
			srv_json(j, 201, request_json(s, &r));
		return;
	}
	/* the public: nothing opens before the address is shown to be theirs;
	 * past --verify-per-email codes an hour to one address, the same answer
	 * and nothing sent (the address is not to be flooded) */
	if (pdv_email_index(s->session, email, index, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	if (!srv_verify_take(s, index)
	        ? pdv_verification_decoy(s->session, kind, vid, &expires, &err) < 0
	        : pdv_verification_start(s->session, kind, email, person_lang(j), vid, &expires,
	                                 &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	srv_json(j, 202,
	         json_pack("{s:s, s:o, s:b}", "verification", vid, "expires_at", time_json(expires),
	                   "delivery", srv_delivery_now(s)));
}

/* the request as the person who showed the address may see it: no ids */
static void status_answer(struct srv *s, struct job *j, const struct pdv_verified *ok)
{
	struct pdv_request_status st;
	struct pdv_error err;
	const struct pdv_request_info *r = &st.info;
	json_t *o;

	pdv_error_clear(&err);
	if (pdv_status_read(s->session, ok, &st, &err) < 0) {
		if (err.rc == PDV_E_NOTFOUND) /* a check no code could open: as a wrong code */
			srv_error(j, 422, "wrong_code", "code", "the code is not right");
		else
			srv_fail(j, &err);
		return;
	}
	j->secret_body = true; /* the reasons may name the person */
	o = json_object();
	json_object_set_new(o, "reference", json_string(r->reference));
	json_object_set_new(o, "kind", str_or_null(r->kind));
	json_object_set_new(o, "status", str_or_null(r->status));
	json_object_set_new(o, "received", str_or_null(r->received));
	json_object_set_new(o, "due", str_or_null(r->due));
	json_object_set_new(o, "overdue", json_boolean(r->overdue));
	json_object_set_new(o, "extended", json_boolean(r->extended));
	json_object_set_new(o, "extension_reason", str_or_null(st.extension_reason));
	json_object_set_new(o, "closed", str_or_null(st.closed[0] ? st.closed : NULL));
	json_object_set_new(o, "reason", str_or_null(st.reason));
	/* the link to the answer's export while it is valid */
	if (st.download[0]) {
		char link[96];

		snprintf(link, sizeof(link), "/privacy/#download=%s", st.download);
		json_object_set_new(o, "download",
		                    json_pack("{s:s, s:o}", "link", link, "expires_at",
		                              time_json(st.download_expires)));
	} else {
		json_object_set_new(o, "download", json_null());
	}
	pdv_request_status_release(&st);
	srv_json(j, 200, o);
}

static void download_refused(struct job *j, enum pdv_download_state st)
{
	if (st == PDV_DOWNLOAD_USED)
		srv_error(j, 410, "used", "token",
		          "this link was used already: a link works for one download");
	else if (st == PDV_DOWNLOAD_EXPIRED)
		srv_error(j, 410, "expired", "token",
		          "this link has expired (7 days): write to the data protection officer");
	else
		srv_error(j, 404, "not_found", "token", "this link is not valid");
}

/* the code was right: the export, once */
static void download_answer(struct srv *s, struct job *j, const struct pdv_verified *ok)
{
	enum pdv_download_state st;
	struct pdv_error err;

	pdv_error_clear(&err);
	pdv_buf_release(&j->out);
	pdv_buf_init(&j->out, PDV_EXPORT_MAX);
	j->secret_body = true;
	if (pdv_download_take(s->session, ok, &st, &j->out, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	if (st != PDV_DOWNLOAD_OK) {
		download_refused(j, st);
		return;
	}
	j->status = 200;
	j->ctype = "application/json; charset=utf-8";
	snprintf(j->disposition, sizeof(j->disposition), "attachment; filename=\"my-data.json\"");
}

void h_download(struct srv *s, struct job *j)
{
	enum pdv_download_state st;
	struct pdv_error err;
	char vid[PDV_ID_MAX];
	uint8_t index[32];
	pdv_time_t expires;

	pdv_error_clear(&err);
	if (!body_str(j, "token")) {
		srv_error(j, 422, "invalid", "token", "the body needs \"token\"");
		return;
	}
	pdv_download_index(s->session, body_str(j, "token"), index);
	if (pdv_download_start(s->session, body_str(j, "token"), srv_verify_take(s, index), &st,
	                       vid, &expires, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	if (st != PDV_DOWNLOAD_OK) {
		download_refused(j, st);
		return;
	}
	srv_json(j, 202,
	         json_pack("{s:s, s:o, s:b}", "check", vid, "expires_at", time_json(expires),
	                   "delivery", srv_delivery_now(s)));
}

void h_status(struct srv *s, struct job *j)
{
	const char *reference = body_str(j, "reference");
	struct pdv_error err;
	char vid[PDV_ID_MAX];
	uint8_t index[32];
	pdv_time_t expires;

	pdv_error_clear(&err);
	if (!reference) {
		srv_error(j, 422, "invalid", "reference", "the body needs \"reference\"");
		return;
	}
	/* a malformed reference is said (it names no request either way); a
	 * well-formed one is answered the same whether it names one or not */
	if (pdv_reference_index(s->session, reference, index, &err) < 0 ||
	    pdv_status_start(s->session, reference, srv_verify_take(s, index), vid, &expires,
	                     &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	srv_json(j, 202, json_pack("{s:s, s:o}", "check", vid, "expires_at", time_json(expires)));
}

void h_verify(struct srv *s, struct job *j)
{
	struct pdv_verified ok;
	struct pdv_request_info r;
	struct pdv_error err;
	char subject[PDV_ID_MAX], session[PDV_CONSENT_SESSION_MAX];
	const char *vid = body_str(j, "verification"), *code = body_str(j, "code");

	if (!vid) /* the confirmation of a double opt-in */
		vid = body_str(j, "confirmation");
	if (!vid) /* the status page's */
		vid = body_str(j, "check");

	pdv_error_clear(&err);
	if (!vid) {
		srv_error(j, 422, "invalid", "verification",
		          "the body needs \"verification\" (or \"confirmation\", \"check\")");
		return;
	}
	if (pdv_verification_check(s->session, vid, code, &ok, &err) < 0) {
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
	if (strcmp(ok.purpose, "status") == 0) {
		status_answer(s, j, &ok);
	} else if (strcmp(ok.purpose, "download") == 0) {
		download_answer(s, j, &ok);
	} else if (strcmp(ok.purpose, "opt-in") == 0) {
		struct pdv_collect_out out;

		/* the waiting submission starts with its activity */
		collected(s, j, ok.payload ? (const char *)ok.payload : NULL,
		          pdv_optin_collect(s->session, &ok, &out, &err), &out, &err);
	} else if (strcmp(ok.purpose, "consents") == 0) {
		pdv_time_t until = pdv_session_now(s->session) + PDV_VERIFY_TTL;

		if (pdv_find(s->session, "email", ok.email, subject, &err) < 0 ||
		    (subject[0] &&
		     pdv_consent_session_make(s->session, subject, until, session, &err) < 0)) {
			pdv_verified_release(&ok);
			srv_fail(j, &err);
			return;
		}
		/* the owner of the address learns whether the vault knows it */
		srv_json(j, 200,
		         json_pack("{s:o, s:o}", "session",
		                   subject[0] ? json_string(session) : json_null(), "expires_at",
		                   time_json(until)));
	} else if (pdv_request_open(s->session, ok.purpose, NULL, ok.email, NULL, "web",
	                            lang_of(s, body_str(j, "lang")), &r, &err) < 0) {
		srv_fail(j, &err);
	} else {
		json_t *o = request_json(s, &r);

		json_object_del(o, "subject"); /* the person is not told their id */
		srv_json(j, 201, o);
	}
	pdv_verified_release(&ok);
}

void h_request_extend(struct srv *s, struct job *j)
{
	struct pdv_request_info r;
	struct pdv_error err;

	pdv_error_clear(&err);
	if (pdv_request_extend(s->session, j->param, body_str(j, "reason"), &r, &err) < 0 ||
	    pdv_request_get(s->session, j->param, &r, &err) < 0)
		srv_fail(j, &err);
	else
		srv_json(j, 200, request_json(s, &r));
}

void h_request_close(struct srv *s, struct job *j)
{
	json_t *refuse = json_object_get(j->body, "refuse");
	struct pdv_request_info r;
	struct pdv_error err;
	json_t *o, *notices;
	char link[96], cert[PDV_ID_MAX];
	bool nothing_held;

	pdv_error_clear(&err);
	if (refuse && !json_is_boolean(refuse)) {
		srv_error(j, 422, "invalid", "refuse", "\"refuse\" is true or false");
		return;
	}
	if (pdv_request_close(s->session, j->param, json_is_true(refuse), body_str(j, "reason"), &r,
	                      &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	nothing_held = r.nothing_held;
	pdv_strlcpy(cert, r.certificate, sizeof(cert));
	if (pdv_request_get(s->session, j->param, &r, &err) < 0 ||
	    !(notices = request_notices_json(s, j->param, NULL, &err))) {
		srv_fail(j, &err);
		return;
	}
	o = request_json(s, &r);
	/* the result: the answer given, and the Art. 19 notices per recipient */
	json_object_set_new(o, "nothing_held", json_boolean(nothing_held));
	json_object_set_new(o, "notices", notices);
	if (strcmp(r.status, "done") == 0 && r.subject[0] &&
	    (strcmp(r.kind, "access") == 0 || strcmp(r.kind, "portability") == 0 ||
	     strcmp(r.kind, "post-mortem") == 0)) {
		snprintf(link, sizeof(link), "/v1/requests/%s/export", r.request);
		json_object_set_new(o, "export", json_string(link));
	}
	if (cert[0])
		certificate_link_into(o, r.request);
	srv_json(j, 200, o);
}

/* ---- deletion certificates (docs/certificates.md) ---- */

/* a document as the engine wrote it: its exact bytes are what is signed */
static void raw_json(struct job *j, struct pdv_buf *b)
{
	pdv_buf_release(&j->out);
	j->out = *b;
	pdv_buf_init(b, 0);
	j->status = 200;
	j->ctype = "application/json";
}

void h_request_certificate(struct srv *s, struct job *j)
{
	char id[PDV_ID_MAX];
	struct pdv_error err;
	struct pdv_buf b;

	pdv_error_clear(&err);
	pdv_buf_init(&b, 0);
	if (pdv_certificate_issue(s->session, j->param, &b, id, &err) < 0) {
		srv_fail(j, &err);
	} else {
		raw_json(j, &b);
		snprintf(j->disposition, sizeof(j->disposition),
		         "attachment; filename=\"deletion-certificate-%s.json\"", id);
	}
	pdv_buf_release(&b);
}

void h_signing_keys(struct srv *s, struct job *j)
{
	struct pdv_error err;
	struct pdv_buf b;

	pdv_error_clear(&err);
	pdv_buf_init(&b, 0);
	if (pdv_certificate_keys(s->session, &b, &err) < 0)
		srv_fail(j, &err);
	else
		raw_json(j, &b);
	pdv_buf_release(&b);
}

static int directives_one(void *ctx, const char *text, size_t len)
{
	json_t **doc = ctx;

	*doc = json_pack("{s:s%}", "directives", text, len);
	return *doc ? 0 : PDV_E_NOMEM;
}

void h_request_export(struct srv *s, struct job *j)
{
	struct pdv_request_info r;
	struct pdv_error err;
	json_t *doc = NULL;

	pdv_error_clear(&err);
	if (pdv_request_get(s->session, j->param, &r, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	if (!r.subject[0]) {
		srv_error(j, 404, "not_found", "subject",
		          "request %s names no subject in the vault", r.request);
		return;
	}
	if (strcmp(r.kind, "post-mortem") == 0) {
		j->secret_body = true;
		if (pdv_directives_get(s->session, r.subject, directives_one, &doc, &err) < 0)
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

/* ---- the one-button page of a double opt-in (the confirmation email's link) ---- */

static void confirm_page(struct srv *s, struct job *j, const char *state)
{
	bool fr = strcmp(s->default_lang, "fr") == 0, ask = strcmp(state, "ask") == 0;
	const char *title, *text;
	struct pdv_buf *b = &j->out;
	int rc = 0;

	if (ask) {
		title = fr ? "Confirmer votre inscription" : "Confirm your subscription";
		text =
		    fr ? "Appuyez sur le bouton pour confirmer. Sans confirmation, nous ne "
		         "gardons rien de votre demande."
		       : "Press the button to confirm. Without your confirmation we keep nothing "
		         "of your request.";
	} else if (strcmp(state, "done") == 0) {
		title = fr ? "C'est confirmé" : "Confirmed";
		text = fr ? "Merci : votre inscription est confirmée."
		          : "Thank you: your subscription is confirmed.";
	} else {
		title = fr ? "Lien expiré" : "Link expired";
		text = fr ? "Ce lien a expiré ou a déjà servi : remplissez le formulaire à nouveau."
		          : "This link has expired or was used: please fill in the form again.";
	}
	pdv_buf_release(b);
	pdv_buf_init(b, 0);
	rc |= pdv_buf_printf(b,
	                     "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
	                     "<meta name=\"viewport\" content=\"width=device-width\">"
	                     "<meta name=\"referrer\" content=\"no-referrer\">"
	                     "<title>%s</title><link rel=\"stylesheet\" href=\"/style.css\">"
	                     "</head><body><main>\n<h1>%s</h1>\n<p role=\"status\">%s</p>\n",
	                     fr ? "fr" : "en", title, title, text);
	if (ask) {
		rc |= pdv_buf_puts(b, "<form method=\"post\" action=\"/v1/confirm?c=");
		rc |= pdv_buf_put_html(b, j->query[0]);
		rc |= pdv_buf_puts(b, "&amp;k=");
		rc |= pdv_buf_put_html(b, j->query[1]);
		rc |= pdv_buf_printf(b, "\"><button type=\"submit\">%s</button></form>\n",
		                     fr ? "Je confirme" : "I confirm");
	}
	rc |= pdv_buf_printf(
	    b, "<p><a href=\"/v1/notice?lang=%s\">%s</a></p>\n</main></body></html>\n",
	    fr ? "fr" : "en", fr ? "Politique de confidentialité" : "Privacy notice");
	if (rc) {
		srv_error(j, 500, "nomem", NULL, "out of memory");
		return;
	}
	j->status = ask || strcmp(state, "done") == 0 ? 200 : 410;
	j->ctype = "text/html; charset=utf-8";
}

/* GET shows the button and changes nothing (mail scanners follow links, and
 * a code tried counts); POST checks the code and collects the submission */
void h_confirm(struct srv *s, struct job *j)
{
	struct pdv_verified ok;
	struct pdv_collect_out out;
	struct pdv_error err;
	char decoy[PDV_ID_MAX];
	int rc;

	pdv_error_clear(&err);
	if (!j->query[0] || !j->query[1]) {
		srv_error(j, 400, "usage", j->query[0] ? "k" : "c", "the link needs c and k");
		return;
	}
	if (!j->body_form) {
		confirm_page(s, j, "ask");
		return;
	}
	if (pdv_verification_check(s->session, j->query[0], j->query[1], &ok, &err) < 0) {
		if (err.rc == PDV_E_NOTFOUND || err.rc == PDV_E_INVAL)
			confirm_page(s, j, "expired");
		else
			srv_fail(j, &err);
		return;
	}
	if (ok.result != PDV_VERIFY_OK || strcmp(ok.purpose, "opt-in") != 0) {
		pdv_verified_release(&ok);
		confirm_page(s, j, "expired");
		return;
	}
	rc = pdv_optin_collect(s->session, &ok, &out, &err);
	/* a person who objected sees the same page (the decoy of collected) */
	if (rc < 0 && strcmp(err.code, "suppressed") == 0) {
		struct pdv_error e2;

		pdv_error_clear(&e2);
		rc = pdv_collect_decoy(s->session, ok.payload ? (const char *)ok.payload : "",
		                       decoy, &e2);
		if (rc < 0)
			err = e2;
	}
	pdv_verified_release(&ok);
	if (rc < 0)
		srv_fail(j, &err);
	else
		confirm_page(s, j, "done");
}

/* ---- the one-button page of a retention re-confirmation (the renewal email's link) ---- */

static void renew_page(struct srv *s, struct job *j, const char *person,
                       enum pdv_renewal_state state, bool done)
{
	const char *lang = person[0] ? person : j->lang[0] ? j->lang : s->default_lang;
	bool fr = strcmp(lang, "fr") == 0, ask = state == PDV_RENEWAL_OK && !done;
	const char *title, *text;
	struct pdv_buf *b = &j->out;
	int rc = 0;

	if (ask) {
		title = fr ? "Conserver vos données" : "Keep your data";
		text = fr ? "Appuyez sur le bouton pour que nous conservions vos données. Sans "
		            "réponse, nous y mettrons fin comme l'indique notre politique de "
		            "confidentialité."
		          : "Press the button for us to keep your data. Without an answer, we will "
		            "end it as our privacy notice states.";
	} else if (done) {
		title = fr ? "C'est noté" : "Thank you";
		text = fr ? "Merci : nous conservons vos données, comme l'indique notre politique "
		            "de confidentialité."
		          : "Thank you: we keep your data, as our privacy notice states.";
	} else if (state == PDV_RENEWAL_USED) {
		title = fr ? "Lien déjà utilisé" : "Link already used";
		text = fr ? "Ce lien a déjà servi : votre réponse est enregistrée."
		          : "This link was used already: your answer is recorded.";
	} else {
		title = fr ? "Lien expiré" : "Link expired";
		text = fr ? "Ce lien n'est plus valable." : "This link is no longer valid.";
	}
	pdv_buf_release(b);
	pdv_buf_init(b, 0);
	rc |= pdv_buf_printf(b,
	                     "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
	                     "<meta name=\"viewport\" content=\"width=device-width\">"
	                     "<meta name=\"referrer\" content=\"no-referrer\">"
	                     "<title>%s</title><link rel=\"stylesheet\" href=\"/style.css\">"
	                     "</head><body><main>\n<h1>%s</h1>\n<p role=\"status\">%s</p>\n",
	                     fr ? "fr" : "en", title, title, text);
	if (ask) {
		rc |= pdv_buf_puts(b, "<form method=\"post\" action=\"/v1/renew?t=");
		rc |= pdv_buf_put_html(b, j->query[0]);
		rc |= pdv_buf_printf(b, "\"><button type=\"submit\">%s</button></form>\n",
		                     fr ? "Conservez mes données" : "Keep my data");
	}
	rc |= pdv_buf_printf(
	    b, "<p><a href=\"/v1/notice?lang=%s\">%s</a></p>\n</main></body></html>\n",
	    fr ? "fr" : "en", fr ? "Politique de confidentialité" : "Privacy notice");
	if (rc) {
		srv_error(j, 500, "nomem", NULL, "out of memory");
		return;
	}
	j->status = ask || done ? 200 : state == PDV_RENEWAL_UNKNOWN ? 404 : 410;
	j->ctype = "text/html; charset=utf-8";
}

/* GET shows the button and changes nothing (mail scanners follow links);
 * POST records `renewed` once */
void h_renew(struct srv *s, struct job *j)
{
	enum pdv_renewal_state state;
	struct pdv_error err;
	char lang[3];

	pdv_error_clear(&err);
	if (!j->query[0]) {
		srv_error(j, 400, "usage", "t", "the link needs t");
		return;
	}
	if (pdv_renewal_use(s->session, j->query[0], j->body_form, &state, lang, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	renew_page(s, j, lang, state, j->body_form && state == PDV_RENEWAL_OK);
}

void h_request_note(struct srv *s, struct job *j)
{
	struct pdv_error err;

	pdv_error_clear(&err);
	if (!body_str(j, "text")) {
		srv_error(j, 422, "invalid", "text", "the body needs \"text\"");
		return;
	}
	j->secret_body = true;
	if (pdv_request_note(s->session, j->param, body_str(j, "text"), &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	srv_json(j, 201, json_pack("{s:b}", "noted", 1));
}

struct preview_ctx {
	struct srv *s;
	const char *lang;
	json_t *records;
};

static int preview_one(void *ctx, const struct pdv_erase_item *it)
{
	struct preview_ctx *c = ctx;
	const char *name = it->decl ? pdv_text_get(&it->decl->name, c->lang) : NULL;
	json_t *told = json_array(), *o;

	/* Art. 19: each recipient of an erased record's activity is told */
	for (size_t i = 0; it->decl && strcmp(it->what, "erased") == 0 &&
	                   it->decl->recipients.present && i < it->decl->recipients.n;
	     i++) {
		const char *id = it->decl->recipients.v[i].s;
		const struct pdv_recipient *r = id ? pdv_decl_recipient(c->s->decl, id) : NULL;
		const char *rname = r ? pdv_text_get(&r->name, c->lang) : NULL;

		if (id)
			json_array_append_new(told, json_pack("{s:s, s:s}", "recipient", id, "name",
			                                      rname && *rname ? rname : id));
	}
	o = json_pack("{s:s, s:s, s:o, s:s, s:o, s:o, s:o, s:o}", "record", it->record, "activity",
	              it->activity, "activity_name", str_or_null(name && *name ? name : NULL),
	              "what", it->what, "why", str_or_null(it->why), "reason",
	              str_or_null(it->reason), "kept_until",
	              it->kept_until ? time_json(it->kept_until) : json_null(), "told", told);
	return json_array_append_new(c->records, o) == 0 ? 0 : PDV_E_NOMEM;
}

/* GET /v1/requests/{id}/preview: what closing this erasure would do */
void h_request_preview(struct srv *s, struct job *j)
{
	struct preview_ctx c = {s, lang_of(s, j->query[0]), json_array()};
	struct pdv_error err;
	char subject[PDV_ID_MAX];

	pdv_error_clear(&err);
	if (pdv_request_preview(s->session, j->param, subject, preview_one, &c, &err) < 0) {
		json_decref(c.records);
		srv_fail(j, &err);
		return;
	}
	/* a request of no one known: closing answers that nothing is held */
	srv_json(j, 200,
	         json_pack("{s:s, s:o, s:o, s:b}", "request", j->param, "subject",
	                   str_or_null(subject[0] ? subject : NULL), "records", c.records,
	                   "nothing_held", !subject[0]));
}
