/*
 * holds.c — a person's legal holds for the dpo: the list (reason, who
 * placed it and when, and when and by whom it was lifted), placing one with
 * its reason, lifting one. The engine checks the role (a hold is the dpo's),
 * seals the reason under the person's key and audits each call under the
 * staff account's name; the list's answer holds the reasons in clear, so its
 * body is wiped after it is sent.
 */
#include <string.h>

#include "pdv/json.h"
#include "answer.h"
#include "handlers.h"
#include "server.h"

static int hold_json(void *ctx, const struct pdv_hold_info *h)
{
	json_t *o = json_pack("{s:s, s:s%, s:o, s:o}", "hold", h->hold, "reason", h->reason,
	                      h->reason_len, "placed_at", time_json(h->placed_at), "placed_by",
	                      pdv_json_text(h->placed_by));

	if (!o)
		return PDV_E_NOMEM;
	json_object_set_new(o, "lifted_at", h->lifted_at ? time_json(h->lifted_at) : json_null());
	json_object_set_new(o, "lifted_by",
	                    h->lifted_by ? pdv_json_text(h->lifted_by) : json_null());
	return json_array_append_new(ctx, o) == 0 ? 0 : PDV_E_NOMEM;
}

/* GET /v1/subjects/{id}/holds */
void h_holds(struct srv *s, struct job *j)
{
	json_t *holds = json_array();
	struct pdv_error err;

	pdv_error_clear(&err);
	j->secret_body = true;
	if (pdv_holds_of(s->session, j->param, hold_json, holds, &err) < 0) {
		json_decref(holds);
		srv_fail(j, &err);
		return;
	}
	srv_json(j, 200, json_pack("{s:o}", "holds", holds));
}

/* POST /v1/subjects/{id}/holds {"reason"} */
void h_hold_place(struct srv *s, struct job *j)
{
	const char *reason = body_str(j, "reason");
	char hold[PDV_ID_MAX];
	struct pdv_error err;

	pdv_error_clear(&err);
	if (!reason) {
		srv_error(j, 422, "invalid", "reason", "the body needs \"reason\"");
		return;
	}
	if (pdv_hold_place(s->session, j->param, reason, hold, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	srv_json(j, 201, json_pack("{s:s}", "hold", hold));
}

/* DELETE /v1/holds/{id} */
void h_hold_lift(struct srv *s, struct job *j)
{
	struct pdv_error err;

	pdv_error_clear(&err);
	if (pdv_hold_lift(s->session, j->param, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	srv_json(j, 200, json_pack("{s:s, s:b}", "hold", j->param, "lifted", 1));
}
