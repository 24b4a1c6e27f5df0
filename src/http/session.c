/*
 * session.c — signing in to the back office (POST /v1/session), signing out
 * (DELETE /v1/session, POST /v1/session/revoke-all), enrolment from an
 * invitation (POST /v1/enrol, /v1/enrol/confirm), and the dpo's page of API
 * tokens (GET/POST /v1/tokens, DELETE /v1/tokens/{name}).
 *
 * The session id travels only in the cookie (HttpOnly, Secure,
 * SameSite=Strict); the answer's body carries the CSRF token the back office
 * sends back in X-CSRF-Token. A passphrase is never hashed or checked here
 * (the worker): the hasher thread does (worker.c, server.h).
 */
#include <stdio.h>
#include <string.h>

#include "pdv/wipe.h"
#include "answer.h"
#include "handlers.h"
#include "server.h"

#define COOKIE_ATTRS "Path=/; HttpOnly; Secure; SameSite=Strict"

static void refused(struct job *j, const struct pdv_error *err)
{
	if (err->rc == PDV_E_REFUSED && strcmp(err->code, "unauthorized") == 0)
		srv_error(j, 401, "unauthorized", err->field[0] ? err->field : NULL, "%s",
		          err->msg);
	else
		srv_fail(j, err);
}

void h_session_create(struct srv *s, struct job *j)
{
	const char *name = body_str(j, "name"), *code = body_str(j, "code");
	struct pdv_signin in;
	struct pdv_error err;

	pdv_error_clear(&err);
	if (!name || (j->pass == 0 && !body_str(j, "passphrase")) || !code) {
		srv_error(j, 400, "missing",
		          !name   ? "name"
		          : !code ? "code"
		                  : "passphrase",
		          "name, passphrase and code are required");
		return;
	}
	if (j->pass == 0) {
		/* the first pass: the hash, for the hasher to check */
		if (pdv_staff_signin_hash(s->session, name, j->pw_hash, &err) < 0) {
			srv_fail(j, &err);
			return;
		}
		j->again = true;
		return;
	}
	if (pdv_staff_signin(s->session, name, j->pw_ok, code, &in, &err) < 0) {
		refused(j, &err);
		return;
	}
	snprintf(j->set_cookie, sizeof(j->set_cookie), "pdv_session=%s; Max-Age=%d; " COOKIE_ATTRS,
	         in.session, PDV_STAFF_ABSOLUTE);
	snprintf(j->actor, sizeof(j->actor), "staff:%s", in.staff.name);
	j->secret_body = true;
	srv_json(j, 200,
	         json_pack("{s:s, s:s, s:s, s:o, s:i}", "name", in.staff.name, "role",
	                   in.staff.role, "csrf", in.csrf, "expires", time_json(in.expires), "idle",
	                   PDV_STAFF_IDLE));
	pdv_wipe(&in, sizeof(in));
}

static void end_session(struct srv *s, struct job *j, bool everywhere)
{
	struct pdv_error err;

	pdv_error_clear(&err);
	if (!j->session) {
		srv_error(j, 400, "no_session", NULL,
		          "this call ends a signed-in session; an API token is revoked with "
		          "DELETE /v1/tokens/{name}");
		return;
	}
	if (pdv_staff_signout(s->session, j->session, everywhere, &err) < 0) {
		refused(j, &err);
		return;
	}
	snprintf(j->set_cookie, sizeof(j->set_cookie), "pdv_session=; Max-Age=0; " COOKIE_ATTRS);
	srv_json(j, 200, json_pack("{s:b, s:b}", "signed_out", 1, "everywhere", everywhere));
}

void h_session_delete(struct srv *s, struct job *j)
{
	end_session(s, j, false);
}

void h_session_revoke_all(struct srv *s, struct job *j)
{
	end_session(s, j, true);
}

void h_enrol_start(struct srv *s, struct job *j)
{
	struct pdv_enrolment e;
	struct pdv_error err;
	const char *invite = body_str(j, "invitation");

	pdv_error_clear(&err);
	if (!invite) {
		srv_error(j, 400, "missing", "invitation", "invitation is required");
		return;
	}
	if (pdv_staff_enrol_start(s->session, invite, &e, &err) < 0) {
		refused(j, &err);
		return;
	}
	j->secret_body = true;
	srv_json(j, 200,
	         json_pack("{s:s, s:s, s:s, s:s, s:s#, s:i}", "name", e.name, "role", e.role,
	                   "secret", e.secret, "uri", e.uri, "qr_svg",
	                   e.qr.data ? (char *)e.qr.data : "", e.qr.len, "passphrase_min",
	                   PDV_STAFF_PASS_MIN));
	pdv_enrolment_release(&e);
}

void h_enrol_finish(struct srv *s, struct job *j)
{
	char codes[PDV_STAFF_RECOVERY][PDV_STAFF_CODE_MAX];
	const char *invite = body_str(j, "invitation"), *code = body_str(j, "code");
	struct pdv_error err;
	json_t *arr;

	pdv_error_clear(&err);
	if (!invite || !code) {
		srv_error(j, 400, "missing", !invite ? "invitation" : "code",
		          "invitation, passphrase and code are required");
		return;
	}
	if (pdv_staff_enrol_finish(s->session, invite, j->pw_hash, code, codes, &err) < 0) {
		refused(j, &err);
		return;
	}
	arr = json_array();
	for (int i = 0; i < PDV_STAFF_RECOVERY; i++)
		json_array_append_new(arr, json_string(codes[i]));
	pdv_wipe(codes, sizeof(codes));
	j->secret_body = true;
	srv_json(j, 200, json_pack("{s:b, s:o}", "enrolled", 1, "recovery_codes", arr));
}

static int token_one(void *ctx, const struct pdv_token_info *t)
{
	json_t *arr = ctx, *o = json_pack("{s:s, s:s, s:o}", "name", t->name, "scope", t->scope,
	                                  "created", time_json(t->created_at));

	json_object_set_new(o, "role", *t->role ? json_string(t->role) : json_null());
	json_object_set_new(o, "expires", t->expires_at ? time_json(t->expires_at) : json_null());
	json_object_set_new(o, "revoked", t->revoked_at ? time_json(t->revoked_at) : json_null());
	json_object_set_new(o, "last_used", t->used_at ? time_json(t->used_at) : json_null());
	return json_array_append_new(arr, o) < 0 ? PDV_E_NOMEM : 0;
}

void h_tokens(struct srv *s, struct job *j)
{
	struct pdv_error err;
	json_t *arr = json_array();

	pdv_error_clear(&err);
	if (pdv_token_list(s->session, token_one, arr, &err) < 0) {
		json_decref(arr);
		srv_fail(j, &err);
		return;
	}
	srv_json(j, 200, json_pack("{s:o}", "tokens", arr));
}

void h_token_create(struct srv *s, struct job *j)
{
	const char *name = body_str(j, "name"), *role = body_str(j, "role");
	json_t *days = json_object_get(j->body, "expires_days");
	char token[PDV_TOKEN_MAX];
	pdv_time_t now = pdv_session_now(s->session), expires = 0;
	struct pdv_error err;

	pdv_error_clear(&err);
	if (!name || !role) {
		srv_error(j, 400, "missing", !name ? "name" : "role", "name and role are required");
		return;
	}
	if (days && !json_is_null(days)) {
		if (!json_is_integer(days) || json_integer_value(days) < 1 ||
		    json_integer_value(days) > 3660) {
			srv_error(j, 400, "invalid", "expires_days",
			          "expires_days is a number of days from 1 to 3660");
			return;
		}
		expires = now + (pdv_time_t)json_integer_value(days) * 86400;
	}
	if (pdv_token_create(s->session, role, name, expires, token, &err) < 0) {
		if (err.rc == PDV_E_REFUSED) /* the name is taken */
			srv_error(j, 409, "exists", "name", "%s", err.msg);
		else
			srv_fail(j, &err);
		return;
	}
	j->secret_body = true;
	srv_json(j, 201,
	         json_pack("{s:s, s:s, s:s, s:o}", "name", name, "role", role, "token", token,
	                   "expires", expires ? time_json(expires) : json_null()));
	pdv_wipe(token, sizeof(token));
}

void h_token_revoke(struct srv *s, struct job *j)
{
	struct pdv_error err;

	pdv_error_clear(&err);
	if (pdv_token_revoke(s->session, j->param, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	srv_json(j, 200, json_pack("{s:s, s:b}", "name", j->param, "revoked", 1));
}
