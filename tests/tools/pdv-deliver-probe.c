/*
 * pdv-deliver-probe — drives src/delivery/ for the tests (built only with
 * them). Reads one JSON job on stdin and prints one JSON line per message:
 *
 *   {"smtp": {"url", "ca", "auth", "from", "timeout_ms"},
 *    "templates": DIR (optional overrides),
 *    "messages": [{"to", "message_id", "date", "from_name", "subject", "text",
 *                  "html", "list_unsubscribe"} or
 *                 {"to", "message_id", "kind", "lang", "values": {...}}],
 *    "webhook": {"ca", "timeout_ms"},
 *    "posts": [{"url", "secret", "message_id", "now", "body"} or with
 *              "action", "record", "activity" in place of "body"]}
 *
 * Output: {"status": "sent|temporary|permanent", "code": N, "detail": "..."}
 * per message and post, then {"connections": N} when SMTP was used. A job the
 * modules refuse ends with "pdv-deliver-probe: MESSAGE" on stderr, status 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pdv/delivery.h"

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void fail(const struct pdv_error *err)
{
	fprintf(stderr, "pdv-deliver-probe: %s\n", err->msg);
}

static void print_result(const struct pdv_delivery_result *r)
{
	json_t *o = json_pack("{s:s,s:i,s:s}", "status", pdv_delivery_status_name(r->status),
	                      "code", r->code, "detail", r->detail);
	char *s = json_dumps(o, JSON_COMPACT);

	puts(s);
	fflush(stdout);
	free(s);
	json_decref(o);
}

static int send_mail(struct pdv_smtp *smtp, const struct pdv_templates *set, const char *from,
                     json_t *m, struct pdv_error *err)
{
	struct pdv_rendered r = {0};
	struct pdv_buf out;
	struct pdv_delivery_result res;
	struct pdv_mail mail = {
	    .message_id = str(m, "message_id"),
	    .date = json_integer_value(json_object_get(m, "date")),
	    .from = from,
	    .from_name = str(m, "from_name"),
	    .to = str(m, "to"),
	    .subject = str(m, "subject"),
	    .text = str(m, "text"),
	    .html = str(m, "html"),
	    .list_unsubscribe = str(m, "list_unsubscribe"),
	};
	int rc = 0;

	pdv_buf_init(&out, PDV_MAIL_MAX);
	pdv_buf_set_secret(&out);
	if (str(m, "kind")) {
		struct pdv_template_value v[32];
		enum pdv_template_kind k;
		size_t n = 0;
		const char *key;
		json_t *val;

		if (pdv_template_kind_parse(str(m, "kind"), &k) < 0) {
			rc = pdv_error_set(err, PDV_E_INVAL, "no such kind");
			goto out;
		}
		json_object_foreach(json_object_get(m, "values"), key, val) if (n < 32) v[n++] =
		    (struct pdv_template_value){key, json_string_value(val)};
		if ((rc = pdv_templates_render(set, k, str(m, "lang"), v, n, &r, err)) < 0)
			goto out;
		mail.subject = r.subject.data;
		mail.text = r.text.data;
		mail.html = r.html.data;
	}
	if ((rc = pdv_mail_build(&mail, &out, err)) < 0 ||
	    (rc = pdv_smtp_send(smtp, mail.to, out.data, out.len, &res, err)) < 0)
		goto out;
	print_result(&res);
out:
	pdv_rendered_release(&r);
	pdv_buf_release(&out);
	return rc;
}

static int post(struct pdv_webhook *hook, json_t *p, struct pdv_error *err)
{
	struct pdv_delivery_result res;
	struct pdv_buf body;
	const char *secret = str(p, "secret");
	pdv_time_t now = json_integer_value(json_object_get(p, "now"));
	int rc;

	pdv_buf_init(&body, PDV_WEBHOOK_BODY_MAX);
	if (str(p, "body"))
		rc = pdv_buf_puts(&body, str(p, "body"));
	else
		rc = pdv_webhook_body(str(p, "message_id"), str(p, "action"), str(p, "record"),
		                      str(p, "activity"), now, &body, err);
	if (rc == 0)
		rc = pdv_webhook_post(hook, str(p, "url"), str(p, "message_id"), secret,
		                      secret ? strlen(secret) : 0, now, body.data, body.len, &res,
		                      err);
	if (rc == 0)
		print_result(&res);
	pdv_buf_release(&body);
	return rc;
}

int main(void)
{
	struct pdv_error err;
	struct pdv_smtp *smtp = NULL;
	struct pdv_webhook *hook = NULL;
	struct pdv_templates *set = NULL;
	json_error_t jerr;
	json_t *job = json_loadf(stdin, 0, &jerr), *v;
	size_t i;
	int status = 1;

	pdv_error_clear(&err);
	if (!job) {
		fprintf(stderr, "pdv-deliver-probe: stdin: %s\n", jerr.text);
		return 2;
	}
	if (pdv_templates_load(str(job, "templates"), &set, &err) < 0)
		goto out;
	json_t *s = json_object_get(job, "smtp");
	if (s) {
		struct pdv_smtp_config cfg = {
		    .url = str(s, "url"),
		    .ca_file = str(s, "ca"),
		    .auth_file = str(s, "auth"),
		    .mail_from = str(s, "from"),
		    .timeout_ms = (long)json_integer_value(json_object_get(s, "timeout_ms")),
		};
		if (pdv_smtp_open(&cfg, &smtp, &err) < 0)
			goto out;
		json_array_foreach(json_object_get(job, "messages"), i,
		                   v) if (send_mail(smtp, set, cfg.mail_from, v, &err) <
		                          0) goto out;
	}
	json_t *w = json_object_get(job, "webhook");
	if (w || json_object_get(job, "posts")) {
		struct pdv_webhook_config cfg = {
		    .ca_file = str(w, "ca"),
		    .timeout_ms = (long)json_integer_value(json_object_get(w, "timeout_ms")),
		};
		if (pdv_webhook_open(&cfg, &hook, &err) < 0)
			goto out;
		json_array_foreach(json_object_get(job, "posts"), i,
		                   v) if (post(hook, v, &err) < 0) goto out;
	}
	if (smtp)
		printf("{\"connections\":%ld}\n", pdv_smtp_connections(smtp));
	status = 0;
out:
	if (status)
		fail(&err);
	pdv_smtp_free(smtp);
	pdv_webhook_free(hook);
	pdv_templates_free(set);
	json_decref(job);
	return status;
}
