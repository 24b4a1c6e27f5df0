/*
 * answer.c — how a handler answers: a JSON body (srv_json), an error in the
 * shape docs/server.md gives (srv_error, srv_fail from a pdv_error), and the
 * small readers and formatters every resource's handlers share (answer.h).
 * job_release wipes what a job held that may be personal data: the token,
 * and the answer when it is marked secret_body.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdv/wipe.h"
#include "pdv/render.h"
#include "answer.h"
#include "server.h"

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

void srv_error(struct job *j, int status, const char *code, const char *field, const char *fmt, ...)
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
	/* a store a migrate left: where the vault went (a store's URL, a path)
	 * is for the administrator, on the command line and in the server's
	 * log, not for whoever asks */
	if (err->rc == PDV_E_MOVED) {
		srv_error(j, status, pdv_rc_code(err->rc), NULL,
		          "this server's store is not the vault any more: it was migrated to "
		          "another store (pdvault migrate), which the server must be started on");
		return;
	}
	srv_error(j, status, err->code[0] ? err->code : pdv_rc_code(err->rc), err->field, "%s",
	          err->msg);
}

void job_release(struct job *j)
{
	if (j->token)
		pdv_wipe(j->token, strlen(j->token));
	free(j->token);
	if (j->session)
		pdv_wipe(j->session, strlen(j->session));
	free(j->session);
	if (j->csrf)
		pdv_wipe(j->csrf, strlen(j->csrf));
	free(j->csrf);
	free(j->sso_name);
	pdv_wipe(j->pw_hash, sizeof(j->pw_hash));
	free(j->consent_cookie);
	free(j->param);
	free(j->param2);
	for (size_t i = 0; i < sizeof(j->query) / sizeof(j->query[0]); i++)
		free(j->query[i]);
	pdv_collect_prep_free(j->collect);
	json_decref(j->body);
	if (j->out.data && j->secret_body)
		pdv_wipe(j->out.data, j->out.len);
	pdv_buf_release(&j->out);
}

json_t *time_json(pdv_time_t t)
{
	char buf[21];

	pdv_time_format(t, buf);
	return json_string(buf);
}

const char *body_str(const struct job *j, const char *key)
{
	return json_string_value(json_object_get(j->body, key));
}

const char *person_lang(const struct job *j)
{
	const char *lang = body_str(j, "lang");

	if (lang)
		return lang; /* checked by the engine: fr or en, else refused naming it */
	return j->lang[0] ? j->lang : NULL;
}

const char *lang_of(struct srv *s, const char *lang)
{
	if (lang && pdv_render_lang_supported(lang))
		return lang;
	return s->default_lang;
}

bool format_of(const char *name, enum pdv_format def, unsigned allowed, enum pdv_format *ret)
{
	if (!name) {
		*ret = def;
		return true;
	}
	return pdv_format_parse(name, ret) == 0 && (allowed & (1u << *ret));
}

const char *ctype_of(enum pdv_format f)
{
	switch (f) {
	case PDV_FORMAT_JSON:
		return "application/json";
	case PDV_FORMAT_DPV:
		return "application/ld+json";
	case PDV_FORMAT_CSV:
	case PDV_FORMAT_CSV_EXCEL:
		return "text/csv; charset=utf-8";
	case PDV_FORMAT_XLSX:
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	case PDV_FORMAT_HTML:
		return "text/html; charset=utf-8";
	case PDV_FORMAT_MD:
		return "text/markdown; charset=utf-8";
	}
	return "application/octet-stream";
}

const char *ext_of(enum pdv_format f)
{
	switch (f) {
	case PDV_FORMAT_JSON:
		return "json";
	case PDV_FORMAT_DPV:
		return "jsonld";
	case PDV_FORMAT_CSV:
	case PDV_FORMAT_CSV_EXCEL:
		return "csv";
	case PDV_FORMAT_XLSX:
		return "xlsx";
	case PDV_FORMAT_HTML:
		return "html";
	case PDV_FORMAT_MD:
		return "md";
	}
	return "bin";
}

json_t *str_or_null(const char *v)
{
	return v && *v ? json_string(v) : json_null();
}
