/*
 * consents.c — what a person does with their consents without an account:
 * list and withdraw them with a session from the privacy center, and the
 * unsubscribe links of RFC 8058 (the staff make one for a record; the
 * person's GET shows a button, the one-click POST withdraws).
 */
#include <stdio.h>
#include <string.h>

#include "answer.h"
#include "handlers.h"
#include "server.h"

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
	json_t *o =
	    json_pack("{s:s, s:s, s:o}", "activity", activity, "state", state, "at", time_json(at));

	json_object_set_new(o, "name", name ? json_string(name) : json_null());
	json_object_set_new(o, "purpose", purpose ? json_string(purpose) : json_null());
	json_object_set_new(o, "version", version ? json_string(version) : json_null());
	return json_array_append_new(c->arr, o);
}

void h_consents(struct srv *s, struct job *j)
{
	struct consents_ctx c = {s, lang_of(s, body_str(j, "lang")), json_array()};
	char subject[PDV_ID_MAX];
	struct pdv_error err;

	pdv_error_clear(&err);
	if (pdv_consent_session_check(s->session, body_str(j, "session"), subject, &err) < 0 ||
	    pdv_consents_of(s->session, subject, consent_one, &c, &err) < 0) {
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

void h_withdraw(struct srv *s, struct job *j)
{
	char subject[PDV_ID_MAX];
	struct pdv_consent_out out;
	struct pdv_error err;
	struct pdv_buf cert;
	json_error_t jerr;
	json_t *o;

	pdv_error_clear(&err);
	if (pdv_consent_session_check(s->session, body_str(j, "session"), subject, &err) < 0) {
		srv_error(j, 401, "session", "session", "%s", err.msg);
		return;
	}
	/* the withdrawal's deletion certificate goes back with it: the person
	 * keeps it (docs/certificates.md); it names no value of theirs */
	pdv_buf_init(&cert, 0);
	if (pdv_consent_withdraw_certified(s->session, subject, j->param, &out, &cert, &err) < 0 ||
	    pdv_buf_putc(&cert, '\0') < 0) {
		pdv_buf_release(&cert);
		if (!err.rc)
			pdv_error_set(&err, PDV_E_NOMEM, "out of memory");
		srv_fail(j, &err);
		return;
	}
	o = json_pack("{s:s, s:s, s:i}", "activity", out.activity, "state", out.state, "ended",
	              out.ended);
	json_object_set_new(o, "certificate",
	                    cert.len > 1 ? json_loads((const char *)cert.data, 0, &jerr)
	                                 : json_null());
	pdv_buf_release(&cert);
	srv_json(j, 200, o);
}

/* ---- unsubscribe links (RFC 8058) ---- */

void h_link(struct srv *s, struct job *j)
{
	char token[PDV_LINK_MAX], url[128];
	struct pdv_link_info li;
	struct pdv_error err;

	pdv_error_clear(&err);
	if (pdv_link_make(s->session, j->param, token, &err) < 0 ||
	    pdv_link_record(s->session, token, &li, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	/* a record the role may not see is not live to it, as one that ended */
	if (!li.live) {
		srv_error(j, 404, "not_found", "record", "no record '%.*s'",
		          PDV_UTF8_CUT(j->param, 40));
		return;
	}
	snprintf(url, sizeof(url), "/v1/unsubscribe?t=%s", token);
	srv_json(
	    j, 200,
	    json_pack("{s:s, s:s, s:s}", "record", li.record, "activity", li.activity, "url", url));
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
	rc |= pdv_buf_printf(b,
	                     "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
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
	rc |= pdv_buf_printf(
	    b, "<p><a href=\"/v1/notice?lang=%s\">%s</a></p>\n</main></body></html>\n", lang,
	    fr ? "Politique de confidentialité" : "Privacy notice");
	if (rc) {
		srv_error(j, 500, "nomem", NULL, "out of memory");
		return;
	}
	j->status = 200;
	j->ctype = "text/html; charset=utf-8";
}

/* GET shows a button (mail scanners follow links: a GET changes nothing);
 * POST, as RFC 8058's one-click, withdraws */
void h_unsubscribe(struct srv *s, struct job *j)
{
	struct pdv_link_info li;
	struct pdv_consent_out out;
	struct pdv_error err;
	bool post = j->body_form;

	pdv_error_clear(&err);
	if (pdv_link_record(s->session, j->query[0], &li, &err) < 0) {
		srv_fail(j, &err);
		if (err.rc == PDV_E_REFUSED)
			j->status = 404;
		return;
	}
	if (post && li.live &&
	    pdv_consent(s->session, li.subject, li.activity, false, &out, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	unsubscribe_page(s, j, &li, post);
}
