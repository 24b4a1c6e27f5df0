/*
 * cmd-request.c — `pdvault request open|list|show|note|extend|close`: the
 * data subjects' requests and their Art. 12(3) deadlines; show is the
 * request as the DPO works it (who asked, what a rectification asks, its
 * timeline), note adds a private note, close --dry-run shows what closing an
 * erasure would erase and keep, and who would be told.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pdv/wipe.h"
#include "pdv/vault.h"

/* read the document into sodium memory, attach it sealed, wipe it */
static int attach(struct pdv_session *s, const char *request, const char *path,
                  struct pdv_error *err)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	size_t n;
	int rc;

	if (!f)
		return pdv_error_set(err, PDV_E_IO, "cannot read '%s'", path);
	if (!(buf = pdv_secure_alloc(PDV_ID_DOCUMENT_MAX + 1))) {
		fclose(f);
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	}
	n = fread(buf, 1, PDV_ID_DOCUMENT_MAX + 1, f);
	fclose(f);
	rc = pdv_request_attach_id_document(s, request, buf, n, err);
	pdv_secure_free(buf);
	return rc;
}

struct list_out {
	bool json;
	json_t *arr;
};

static int print_one(void *ctx, const struct pdv_request_info *r)
{
	struct list_out *o = ctx;

	if (o->json)
		json_array_append_new(o->arr,
		                      json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:b}",
		                                "request", r->request, "reference", r->reference,
		                                "kind", r->kind, "status", r->status, "received",
		                                r->received, "due", r->due, "overdue", r->overdue,
		                                "channel", r->channel, "extended", r->extended));
	else
		printf("%s  %s  %-16s %-8s received %s  due %s%s\n", r->request, r->reference,
		       r->kind, r->status, r->received, r->due, r->overdue ? "  OVERDUE" : "");
	return 0;
}

static const char *event_words(const struct pdv_request_event *e)
{
	static const char *const words[][2] = {
	    {"received", "received"}, {"extended", "extended"}, {"note", "note"},
	    {"done", "answered"},     {"refused", "refused"},
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(e->what, words[i][0]) == 0)
			return words[i][1];
	return e->what;
}

static int event_one(void *ctx, const struct pdv_request_event *e)
{
	struct list_out *o = ctx;

	if (o->json) {
		json_t *ev = json_pack("{s:s, s:s}", "what", e->what, "day", e->day);

		json_object_set_new(ev, "at", e->at ? cli_json_time(e->at) : json_null());
		if (e->kind)
			json_object_set_new(ev, "kind", json_string(e->kind));
		if (e->status)
			json_object_set_new(ev, "status", json_string(e->status));
		if (e->recipient)
			json_object_set_new(ev, "recipient", json_string(e->recipient));
		if (e->author)
			json_object_set_new(ev, "author", json_string(e->author));
		if (e->text)
			json_object_set_new(ev, "text", pdv_json_text(e->text));
		json_array_append_new(o->arr, ev);
		return 0;
	}
	printf("  %-10s %-9s", e->day[0] ? e->day : "-", event_words(e));
	if (e->kind)
		printf(" %s%s%s (%s)", e->kind, e->recipient ? " to " : "",
		       e->recipient ? e->recipient : "", e->status ? e->status : "queued");
	if (e->author && e->author[0])
		printf(" by %s", e->author);
	if (e->text)
		printf(": %s", e->text);
	putchar('\n');
	return 0;
}

static int preview_one(void *ctx, const struct pdv_erase_item *it)
{
	struct list_out *o = ctx;
	json_t *told = json_array();

	for (size_t i = 0; it->decl && strcmp(it->what, "erased") == 0 &&
	                   it->decl->recipients.present && i < it->decl->recipients.n;
	     i++)
		if (it->decl->recipients.v[i].s)
			json_array_append_new(told, json_string(it->decl->recipients.v[i].s));
	if (o->json) {
		json_t *r = json_pack("{s:s, s:s, s:s}", "record", it->record, "activity",
		                      it->activity, "what", it->what);

		json_object_set_new(r, "why", it->why ? json_string(it->why) : json_null());
		json_object_set_new(r, "reason",
		                    it->reason ? json_string(it->reason) : json_null());
		json_object_set_new(r, "told", told);
		json_array_append_new(o->arr, r);
		return 0;
	}
	printf("%s %s: %s%s%s", it->record, it->activity, it->what, it->reason ? ", " : "",
	       it->reason ? it->reason : "");
	for (size_t i = 0; i < json_array_size(told); i++)
		printf("%s%s",
		       i ? ", " : "; told (Art. 19): ", json_string_value(json_array_get(told, i)));
	putchar('\n');
	json_decref(told);
	return 0;
}

/* `request show`: the request, who asked and what, its timeline */
static int show_request(struct cli_global *g, struct cli_vault *cv, const char *request,
                        struct pdv_error *err)
{
	struct pdv_request_info q;
	struct pdv_request_private priv = {0};
	struct list_out o = {.json = g->json, .arr = json_array()};
	int rc;

	if (!g->json && (rc = pdv_request_get(cv->session, request, &q, err)) == 0)
		printf("request %s  %s  %s  %s  received %s  due %s%s\n", q.request, q.reference,
		       q.kind, q.status, q.received, q.due, q.overdue ? "  OVERDUE" : "");
	if ((g->json && (rc = pdv_request_get(cv->session, request, &q, err)) < 0) ||
	    (!g->json && rc < 0) ||
	    (rc = pdv_request_private_open(cv->session, request, &priv, err)) < 0)
		goto out;
	if (!g->json) {
		printf("  asked by  %s\n", priv.requester ? priv.requester : "-");
		if (priv.asked)
			printf("  to rectify %s\n", priv.asked);
	}
	if ((rc = pdv_request_timeline(cv->session, request, event_one, &o, err)) < 0)
		goto out;
	if (g->json) {
		json_t *doc =
		    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b}", "request", q.request,
		              "reference", q.reference, "kind", q.kind, "status", q.status,
		              "received", q.received, "due", q.due, "overdue", q.overdue);

		json_object_set_new(doc, "requester",
		                    priv.requester ? pdv_json_text(priv.requester) : json_null());
		json_object_set_new(doc, "rectify",
		                    priv.asked ? json_loads(priv.asked, 0, NULL) : json_null());
		json_object_set(doc, "timeline", o.arr);
		cli_print_json(doc);
	}
out:
	pdv_request_private_release(&priv);
	json_decref(o.arr);
	return rc;
}

/* --field NAME=VALUE, repeated: what a rectification asks, as JSON */
static int asked_add(json_t **asked, const char *arg, struct pdv_error *err)
{
	const char *eq = strchr(arg, '=');

	if (!eq || eq == arg) {
		pdv_error_set(err, PDV_E_INVAL, "--field is NAME=VALUE");
		pdv_error_field(err, "rectify");
		return PDV_E_INVAL;
	}
	if (!*asked)
		*asked = json_object();
	{
		char name[65];
		size_t n = (size_t)(eq - arg);

		if (n >= sizeof(name)) {
			pdv_error_set(err, PDV_E_INVAL,
			              "--field: a field name is at most 64 bytes");
			pdv_error_field(err, "rectify");
			return PDV_E_INVAL;
		}
		memcpy(name, arg, n);
		name[n] = '\0';
		json_object_set_new(*asked, name, pdv_json_text(eq + 1));
	}
	return 0;
}

int cmd_request(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"subject", required_argument, NULL, 's'},
	    {"email", required_argument, NULL, 'e'},
	    {"received", required_argument, NULL, 'r'},
	    {"channel", required_argument, NULL, 'c'},
	    {"open", no_argument, NULL, 'P'},
	    {"overdue", no_argument, NULL, 'O'},
	    {"reason", required_argument, NULL, 'R'},
	    {"refuse", no_argument, NULL, 'x'},
	    {"output", required_argument, NULL, 'f'},
	    {"id-document", required_argument, NULL, 'i'},
	    {"lang", required_argument, NULL, 'l'},
	    {"field", required_argument, NULL, 'F'},
	    {"dry-run", no_argument, NULL, 'n'},
	    {NULL, 0, NULL, 0},
	};
	json_t *asked = NULL;
	char *asked_text = NULL;
	bool dry = false;
	const char *subject = NULL, *email = NULL, *received = NULL, *channel = NULL;
	const char *reason = NULL, *which = NULL, *verb, *output = NULL, *id_doc = NULL;
	const char *lang = NULL;
	char export_path[PDV_ID_MAX + 8] = "";
	bool refuse = false;
	struct cli_vault *cv = NULL;
	struct pdv_request_info info;
	struct pdv_error err;
	int c, status = 0, rc, npos;

	pdv_error_clear(&err);
	if (!(verb = cli_verb(&argc, &argv)))
		return cli_usage_fail(g);
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 's':
			subject = optarg;
			break;
		case 'e':
			email = optarg;
			break;
		case 'r':
			received = optarg;
			break;
		case 'c':
			channel = optarg;
			break;
		case 'P':
			which = "open";
			break;
		case 'O':
			which = "overdue";
			break;
		case 'R':
			reason = optarg;
			break;
		case 'x':
			refuse = true;
			break;
		case 'f':
			output = optarg;
			break;
		case 'i':
			id_doc = optarg;
			break;
		case 'l':
			lang = optarg;
			break;
		case 'n':
			dry = true;
			break;
		case 'F':
			if (asked_add(&asked, optarg, &err) < 0) {
				status = cli_fail(g, &err);
				goto out;
			}
			break;
		default:
			json_decref(asked);
			return cli_usage_fail(g);
		}
	}
	npos = argc - optind;
	if (strcmp(verb, "open") == 0   ? npos != 1 || !subject == !email
	    : strcmp(verb, "list") == 0 ? npos != 0
	    : strcmp(verb, "note") == 0 ? npos != 2
	    : strcmp(verb, "extend") == 0 || strcmp(verb, "close") == 0 || strcmp(verb, "show") == 0
	        ? npos != 1
	        : 1) {
		json_decref(asked);
		return cli_usage_fail(g);
	}
	if ((rc = cli_setup(g, &cv, &err)) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (strcmp(verb, "list") == 0) {
		struct list_out o = {.json = g->json, .arr = json_array()};

		if (pdv_request_list(cv->session, which, print_one, &o, &err) < 0)
			status = cli_fail(g, &err);
		else if (g->json)
			cli_print_json(json_pack("{s:O}", "requests", o.arr));
		json_decref(o.arr);
		goto out;
	}
	if (strcmp(verb, "show") == 0) {
		if (show_request(g, cv, argv[optind], &err) < 0)
			status = cli_fail(g, &err);
		goto out;
	}
	if (strcmp(verb, "note") == 0) {
		if (pdv_request_note(cv->session, argv[optind], argv[optind + 1], &err) < 0)
			status = cli_fail(g, &err);
		else if (g->json)
			cli_print_json(
			    json_pack("{s:s, s:b}", "request", argv[optind], "noted", 1));
		else
			printf("note added to request %s\n", argv[optind]);
		goto out;
	}
	if (strcmp(verb, "close") == 0 && dry) {
		struct list_out o = {.json = g->json, .arr = json_array()};
		char subj[PDV_ID_MAX];

		if (pdv_request_preview(cv->session, argv[optind], subj, preview_one, &o, &err) < 0)
			status = cli_fail(g, &err);
		else if (g->json)
			cli_print_json(json_pack("{s:s, s:b, s:s?, s:O}", "request", argv[optind],
			                         "dry_run", 1, "subject", subj[0] ? subj : NULL,
			                         "records", o.arr));
		else if (!subj[0])
			printf("no one known: closing answers that nothing is held\n");
		json_decref(o.arr);
		goto out;
	}
	if (strcmp(verb, "open") == 0) {
		if (asked && !(asked_text = json_dumps(asked, JSON_COMPACT))) {
			status = cli_fail(g, &err);
			goto out;
		}
		rc = pdv_request_open_asking(cv->session, argv[optind], subject, email, received,
		                             channel ? channel : "cli", lang, asked_text, &info,
		                             &err);
		if (rc == 0 && id_doc)
			rc = attach(cv->session, info.request, id_doc, &err);
	} else if (strcmp(verb, "extend") == 0)
		rc = pdv_request_extend(cv->session, argv[optind], reason, &info, &err);
	else {
		/* an access or portability request is answered with the export, written
		 * before the request is marked done */
		struct pdv_request_info q;

		if (!refuse && (rc = pdv_request_get(cv->session, argv[optind], &q, &err)) == 0 &&
		    q.subject[0] && q.kind &&
		    (strcmp(q.kind, "access") == 0 || strcmp(q.kind, "portability") == 0) &&
		    strcmp(q.status, "open") == 0 && (output || !q.has_address)) {
			/* a request from an address is answered by a link to the
			 * export, kept sealed (pdv_request_close): a file only when
			 * asked for */
			if (!output) {
				snprintf(export_path, sizeof(export_path), "%s.json", q.request);
				output = export_path;
			}
			rc = cli_export_write(cv, q.subject, PDV_FORMAT_JSON,
			                      strcmp(q.kind, "portability") == 0, NULL, output,
			                      &err);
		} else if (!refuse && rc == 0 && q.subject[0] && q.kind &&
		           strcmp(q.kind, "post-mortem") == 0 && strcmp(q.status, "open") == 0) {
			/* an heir asks: the directives the person left */
			if (!output) {
				snprintf(export_path, sizeof(export_path), "%s.json", q.request);
				output = export_path;
			}
			rc = cli_directives_write(cv, q.subject, output, &err);
		} else {
			output = NULL;
		}
		if (rc == 0)
			rc = pdv_request_close(cv->session, argv[optind], refuse, reason, &info,
			                       &err);
	}
	if (rc < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (strcmp(verb, "close") == 0) {
		if (g->json) {
			json_t *o =
			    json_pack("{s:s, s:s}", "request", info.request, "status", info.status);

			if (info.nothing_held) /* answered: no data held (Art. 15(1)) */
				json_object_set_new(o, "nothing_held", json_true());

			if (output)
				json_object_set_new(o, "export", json_string(output));
			if (info.certificate[0])
				json_object_set_new(o, "certificate",
				                    json_string(info.certificate));
			cli_print_json(o);
		} else {
			printf(
			    "request %s %s%s%s%s%s%s\n", info.request, info.status,
			    output ? "; the export is in " : "", output ? output : "",
			    info.nothing_held ? "; answered: no data held about the address" : "",
			    info.certificate[0] ? "; deletion certificate " : "", info.certificate);
		}
	} else if (g->json) {
		cli_print_json(json_pack("{s:s, s:s, s:s}", "request", info.request, "reference",
		                         info.reference, "due", info.due));
	} else {
		printf("request %s due %s, reference %s\n", info.request, info.due, info.reference);
	}
out:
	if (asked_text) {
		pdv_wipe(asked_text, strlen(asked_text));
		free(asked_text);
	}
	json_decref(asked);
	return status;
}
