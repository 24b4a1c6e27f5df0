/*
 * outbox.c — the outbox for the DPO (docs/server.md, Outbox): the messages
 * that wait or failed, and the retry of a failed one (as `pdvault outbox
 * retry`); and the Art. 19 notices of a request, on its page.
 *
 * What it shows is what the store keeps of a message: kind, who it goes to
 * (a kind of recipient; a processor's id for an Art. 19 notice), status,
 * attempts, times and the last error's code. Never an address, a code or a
 * value: those stay sealed in the payload the worker opens.
 */
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "handlers.h"
#include "server.h"

#define OUTBOX_LIST_MAX 1000 /* the newest shown; the rest is in `outbox list` */

struct outbox_ctx {
	const char *which; /* unsent (queued, sending, failed), failed, pending, sent, all */
	json_t *arr;
	long total;
};

static bool wanted(const char *which, const char *status)
{
	bool pending = strcmp(status, "queued") == 0 || strcmp(status, "sending") == 0;

	if (strcmp(which, "all") == 0)
		return true;
	if (strcmp(which, "unsent") == 0)
		return pending || strcmp(status, "failed") == 0;
	if (strcmp(which, "pending") == 0)
		return pending;
	return strcmp(which, status) == 0;
}

static int outbox_one(void *ctx, const struct pdv_outbox_item *m)
{
	struct outbox_ctx *c = ctx;
	const char *rkind = pdv_outbox_recipient_kind(m->kind);
	json_t *o;

	if (!wanted(c->which, m->status))
		return 0;
	c->total++;
	o = json_pack("{s:I, s:s, s:s, s:s, s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
	              (json_int_t)m->id, "kind", m->kind, "recipient_kind", rkind, "status",
	              m->status, "attempts", m->attempts, "recipient",
	              /* a processor's id; a check's id or nothing for the others */
	              strcmp(rkind, "recipient") == 0 ? str_or_null(m->recipient) : json_null(),
	              "record", str_or_null(m->record), "message_id", str_or_null(m->message_id),
	              "created_at", time_json(m->created_at), "sent_at",
	              m->sent_at ? time_json(m->sent_at) : json_null(), "next_at",
	              strcmp(m->status, "queued") == 0 ? time_json(m->next_at) : json_null(),
	              "last_error", str_or_null(m->last_error));
	json_array_append_new(c->arr, o);
	if (json_array_size(c->arr) > OUTBOX_LIST_MAX)
		json_array_remove(c->arr, 0);
	return 0;
}

void h_outbox(struct srv *s, struct job *j)
{
	static const char *const whiches[] = {"unsent", "failed", "pending", "sent", "all"};
	struct outbox_ctx c = {NULL, NULL, 0};
	struct pdv_error err;

	pdv_error_clear(&err);
	for (size_t i = 0; i < sizeof(whiches) / sizeof(whiches[0]); i++)
		if (strcmp(j->query[0] ? j->query[0] : "unsent", whiches[i]) == 0)
			c.which = whiches[i];
	if (!c.which) {
		srv_error(j, 400, "usage", "status",
		          "status is unsent, failed, pending, sent or all");
		return;
	}
	c.arr = json_array();
	if (pdv_outbox_list(s->session, outbox_one, &c, &err) < 0) {
		json_decref(c.arr);
		srv_fail(j, &err);
		return;
	}
	srv_json(j, 200,
	         json_pack("{s:s, s:I, s:o}", "status", c.which, "total", (json_int_t)c.total,
	                   "messages", c.arr));
}

void h_outbox_retry(struct srv *s, struct job *j)
{
	struct pdv_error err;
	char *end;
	long long id;

	pdv_error_clear(&err);
	id = strtoll(j->param, &end, 10);
	if (*end || id <= 0) {
		srv_error(j, 404, "not_found", NULL, "no such outbox message");
		return;
	}
	if (pdv_outbox_retry(s->session, id, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	srv_json(j, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "status", "queued"));
}

static int notice_one(void *ctx, const struct pdv_notice_info *n)
{
	json_array_append_new(
	    ctx, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:o, s:o, s:o}", "id",
	                   (json_int_t)n->id, "kind", n->kind, "recipient", n->recipient, "name",
	                   n->name, "channel", n->channel, "status", n->status, "attempts",
	                   n->attempts, "last_error", str_or_null(n->last_error), "created_at",
	                   time_json(n->created_at), "sent_at",
	                   n->sent_at ? time_json(n->sent_at) : json_null(), "next_at",
	                   strcmp(n->status, "queued") == 0 ? time_json(n->next_at) : json_null()));
	return 0;
}

json_t *request_notices_json(struct srv *s, const char *request, const char *lang,
                             struct pdv_error *err)
{
	json_t *arr = json_array();

	if (pdv_request_notices(s->session, request, lang_of(s, lang), notice_one, arr, err) < 0) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}
