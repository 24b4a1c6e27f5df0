/*
 * cmd-request.c — `pdvault request open|list|extend|close`: the data
 * subjects' requests and their Art. 12(3) deadlines.
 */
#include <getopt.h>
#include <stdio.h>
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
	    {NULL, 0, NULL, 0},
	};
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
		default:
			return cli_usage_fail(g);
		}
	}
	npos = argc - optind;
	if (strcmp(verb, "open") == 0   ? npos != 1 || !subject == !email
	    : strcmp(verb, "list") == 0 ? npos != 0
	    : strcmp(verb, "extend") == 0 || strcmp(verb, "close") == 0 ? npos != 1
	                                                                : 1)
		return cli_usage_fail(g);
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
	if (strcmp(verb, "open") == 0) {
		rc = pdv_request_open(cv->session, argv[optind], subject, email, received,
		                      channel ? channel : "cli", lang, &info, &err);
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

			if (output)
				json_object_set_new(o, "export", json_string(output));
			cli_print_json(o);
		} else {
			printf("request %s %s%s%s\n", info.request, info.status,
			       output ? "; the export is in " : "", output ? output : "");
		}
	} else if (g->json) {
		cli_print_json(json_pack("{s:s, s:s, s:s}", "request", info.request, "reference",
		                         info.reference, "due", info.due));
	} else {
		printf("request %s due %s, reference %s\n", info.request, info.due, info.reference);
	}
out:
	return status;
}
