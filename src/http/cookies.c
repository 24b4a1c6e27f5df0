/*
 * cookies.c — consent receipts: the adapter script a site loads beside its
 * banner (/v1/cookies/adapter.js, embedded from web/cookies/adapter.js), the
 * receipts it posts, and a receipt shown to the person whose browser holds
 * its consent id and to the DPO, as HTML or as JSON-LD in the structure of
 * ISO/IEC TS 27560 with W3C DPV's terms.
 *
 * A receipt is a submission like any other: it runs on the worker inside
 * the group's transaction, and its 201 leaves only once that commit is on
 * disk. What identifies the person is the consent id alone (a random value
 * the adapter set in their browser): the client's address is used for the
 * rate limit and never reaches the engine, which keeps the consent id only
 * as a blind index.
 *
 * GPC (Sec-GPC: 1, or navigator.globalPrivacyControl as the adapter reads
 * it) is recorded on the receipt as it came. The adapter treats it as a
 * refusal of every purpose that needs consent until the person explicitly
 * accepts one (docs/server.md, "Global Privacy Control").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdv/json.h"
#include "answer.h"
#include "handlers.h"
#include "server.h"

#define MAX_CHOICES 32

void d_cookie_adapter(struct srv *s, struct job *j)
{
	const struct srv_asset *a = srv_asset_find("/v1/cookies/adapter.js");

	(void)s;
	pdv_buf_release(&j->out);
	pdv_buf_init(&j->out, 0);
	if (!a || pdv_buf_append(&j->out, a->data, a->len) < 0) {
		srv_error(j, 500, "nomem", NULL, "out of memory");
		return;
	}
	j->status = 200;
	j->ctype = "text/javascript; charset=utf-8";
	j->cacheable = true;
}

void h_cookie_receipt_post(struct srv *s, struct job *j)
{
	json_t *choices = json_object_get(j->body, "choices"),
	       *gpc = json_object_get(j->body, "gpc");
	struct pdv_cookie_choice c[MAX_CHOICES];
	struct pdv_cookie_receipt_in in = {0};
	const char *given = body_str(j, "given_at"), *key;
	char id[PDV_ID_MAX];
	struct pdv_error err;
	json_t *v;
	size_t n = 0;

	pdv_error_clear(&err);
	if (!json_is_object(choices) || json_object_size(choices) > MAX_CHOICES) {
		srv_error(j, 422, "invalid", "choices",
		          "\"choices\" is an object of at most %d purposes, each true or false",
		          MAX_CHOICES);
		return;
	}
	json_object_foreach(choices, key, v)
	{
		if (!json_is_boolean(v)) {
			char field[96];

			snprintf(field, sizeof(field), "choices.%.64s", key);
			srv_error(j, 422, "invalid", field,
			          "the choice of a purpose is true or false");
			return;
		}
		c[n].purpose = key;
		c[n].granted = json_is_true(v);
		n++;
	}
	if (gpc && !json_is_boolean(gpc)) {
		srv_error(j, 422, "invalid", "gpc", "\"gpc\" is true or false");
		return;
	}
	if (given && pdv_time_parse(given, &in.given_at, &err) < 0) {
		srv_error(j, 422, "invalid", "given_at",
		          "given_at is a UTC time (YYYY-MM-DDTHH:MM:SSZ)");
		return;
	}
	if (!given && pdv_clock_now(&in.given_at, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	in.consent_id = body_str(j, "consent_id");
	in.config = body_str(j, "config");
	in.declaration = body_str(j, "declaration");
	in.event = body_str(j, "event");
	in.choices = c;
	in.n_choices = n;
	in.gpc = json_is_true(gpc) || j->gpc;
	if (pdv_cookie_receipt_add(s->session, &in, id, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	srv_json(j, 201, json_pack("{s:s, s:b}", "receipt", id, "gpc", in.gpc));
}

/* ---- a receipt shown ---- */

static const char *status_of(const char *event, bool granted, bool required)
{
	if (granted || required)
		return "dpv:ConsentGiven";
	return strcmp(event, "withdraw") == 0 ? "dpv:ConsentWithdrawn" : "dpv:ConsentRefused";
}

/* DPV's purpose for a tracker category, where DPV has one that fits */
static const char *dpv_purpose(const char *category)
{
	if (strcmp(category, "advertising") == 0)
		return "dpv:Advertising";
	if (strcmp(category, "audience") == 0)
		return "dpv:ServiceUsageAnalytics";
	if (strcmp(category, "necessary") == 0)
		return "dpv:ServiceProvision";
	return NULL;
}

/*
 * One dpv:ConsentRecord per purpose of the configuration (each purpose has
 * its own status), conforming to DPV's ISO/IEC TS 27560 record profile; the
 * notice shown is the banner configuration, named by its id and declaration.
 */
static json_t *receipt_jsonld(struct srv *s, const struct pdv_cookie_receipt *r)
{
	json_t *model = json_loads(r->canonical, 0, NULL),
	       *choices = json_loads(r->choices, 0, NULL);
	json_t *graph = json_array(), *p, *t;
	const char *controller = s->decl->controller.name.s;
	char given[21], received[21], subject[96], notice[128];
	size_t i, k;

	pdv_time_format(r->given_at, given);
	pdv_time_format(r->received_at, received);
	snprintf(subject, sizeof(subject), "urn:pdvault:cookie-receipt:%s#person", r->id);
	snprintf(notice, sizeof(notice), "urn:pdvault:cookie-config:%s", r->config);
	json_array_foreach(json_object_get(model, "purposes"), i, p)
	{
		const char *pid = json_string_value(json_object_get(p, "id"));
		bool required = json_is_true(json_object_get(p, "required"));
		const char *concept = dpv_purpose(pid);
		json_t *purpose, *trackers = json_array(), *rec;
		char rid[160], ident[128];

		json_array_foreach(json_object_get(p, "trackers"), k, t)
		{
			json_array_append_new(
			    trackers,
			    json_pack("{s:s, s:O, s:O, s:O}", "@type", "dpv:Technology",
			              "dct:title", json_object_get(t, "name"), "dct:description",
			              json_object_get(t, "purpose"), "dpv:hasDuration",
			              json_object_get(t, "lifetime_text")));
		}
		purpose = json_pack("{s:s, s:s, s:O, s:o}", "@type", "dpv:Purpose",
		                    "dct:identifier", pid, "dct:title", json_object_get(p, "title"),
		                    "dpv:isImplementedUsingTechnology", trackers);
		if (concept) /* DPV's own purpose concept, where one fits */
			json_array_append_new(json_object_get(purpose, "@type"),
			                      json_string(concept));
		snprintf(ident, sizeof(ident), "%s#%.64s", r->id, pid);
		snprintf(rid, sizeof(rid), "urn:pdvault:cookie-receipt:%s", ident);
		rec = json_pack(
		    "{s:s, s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:{s:s, s:s?}, s:s, s:o, s:s, "
		    "s:{s:s, s:s}, s:{s:s, s:s, s:s, s:s, s:s}, s:{s:s, s:s}}",
		    "@id", rid, "@type", "dpv:ConsentRecord", "dct:identifier", ident,
		    "dct:conformsTo", "https://w3id.org/dpv/schema/iso-27560#record", "dct:created",
		    "@type", "xsd:dateTime", "@value", received, "dct:isPartOf", r->id,
		    "dpv:hasDataController", "@type", "dpv:DataController", "dct:title", controller,
		    "dpv:hasLegalBasis", "dpv:Consent", "dpv:hasPurpose", purpose,
		    "dpv:hasConsentStatus",
		    status_of(r->event, json_is_true(json_object_get(choices, pid)), required),
		    "dpv:isIndicatedAtTime", "@type", "xsd:dateTime", "@value", given,
		    "dpv:hasNotice", "@id", notice, "@type", "dpv:ConsentNotice", "dct:identifier",
		    r->config, "dct:hasVersion", r->declaration, "dct:description", r->kit,
		    "dpv:hasDataSubject", "@id", subject, "@type", "dpv:DataSubject");
		if (required)
			json_object_set_new(
			    rec, "rdfs:comment",
			    json_string("exempt from consent (strictly necessary or "
			                "exempt audience measurement): always on"));
		else if (r->gpc)
			json_object_set_new(
			    rec, "rdfs:comment",
			    json_string("the browser sent the Global Privacy Control "
			                "signal (Sec-GPC: 1)"));
		json_array_append_new(graph, rec);
	}
	json_decref(model);
	json_decref(choices);
	return json_pack("{s:{s:s, s:s, s:s, s:s, s:s}, s:o}", "@context", "dpv",
	                 "https://w3id.org/dpv#", "dct", "http://purl.org/dc/terms/", "xsd",
	                 "http://www.w3.org/2001/XMLSchema#", "rdf",
	                 "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs",
	                 "http://www.w3.org/2000/01/rdf-schema#", "@graph", graph);
}

static int html_text(struct pdv_buf *b, const char *s)
{
	return pdv_buf_put_html(b, s ? s : "");
}

/* one receipt as an HTML section, in the configuration's language */
static int receipt_html(struct pdv_buf *b, const struct pdv_cookie_receipt *r)
{
	json_t *model = json_loads(r->canonical, 0, NULL),
	       *choices = json_loads(r->choices, 0, NULL);
	bool fr = strcmp(r->lang, "fr") == 0;
	char given[21], received[21];
	json_t *p, *t;
	size_t i, k;
	int rc;

	pdv_time_format(r->given_at, given);
	pdv_time_format(r->received_at, received);
	rc = pdv_buf_printf(b,
	                    "<section class=\"receipt\"><h2>%s %s</h2>\n<dl><dt>%s</dt><dd>%s</dd>"
	                    "<dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>GPC</dt><dd>%s</dd>"
	                    "<dt>%s</dt><dd><code>%s</code> (%s)</dd></dl>\n<table><thead><tr>"
	                    "<th scope=\"col\">%s</th><th scope=\"col\">%s</th>"
	                    "<th scope=\"col\">%s</th></tr></thead><tbody>\n",
	                    fr ? "Reçu" : "Receipt", r->id, fr ? "Choix" : "Choice", r->event,
	                    fr ? "Donné le" : "Given at", given, fr ? "Reçu le" : "Received at",
	                    received, r->gpc ? (fr ? "activé" : "on") : (fr ? "non" : "off"),
	                    fr ? "Configuration affichée" : "Configuration shown", r->config,
	                    r->kit, fr ? "Finalité" : "Purpose", fr ? "Votre choix" : "Your choice",
	                    fr ? "Traceurs" : "Trackers");
	json_array_foreach(json_object_get(model, "purposes"), i, p)
	{
		const char *pid = json_string_value(json_object_get(p, "id"));
		bool required = json_is_true(json_object_get(p, "required"));
		bool granted = json_is_true(json_object_get(choices, pid));

		if (rc == 0)
			rc = pdv_buf_puts(b, "<tr><td>");
		if (rc == 0)
			rc = html_text(b, json_string_value(json_object_get(p, "title")));
		if (rc == 0)
			rc = pdv_buf_puts(b, "</td><td data-purpose=\"");
		if (rc == 0) /* a category as the declaration wrote it: escaped */
			rc = html_text(b, pid);
		if (rc == 0)
			rc = pdv_buf_printf(b, "\">%s</td><td><ul>",
			                    required  ? (fr ? "toujours actif" : "always on")
			                    : granted ? (fr ? "accepté" : "accepted")
			                              : (fr ? "refusé" : "refused"));
		json_array_foreach(json_object_get(p, "trackers"), k, t)
		{
			if (rc == 0)
				rc = pdv_buf_puts(b, "<li>");
			if (rc == 0)
				rc = html_text(b, json_string_value(json_object_get(t, "name")));
			if (rc == 0)
				rc = pdv_buf_puts(b, ": ");
			if (rc == 0)
				rc = html_text(b, json_string_value(json_object_get(t, "purpose")));
			if (rc == 0)
				rc = pdv_buf_puts(b, " (");
			if (rc == 0)
				rc = html_text(
				    b, json_string_value(json_object_get(t, "lifetime_text")));
			if (rc == 0)
				rc = pdv_buf_puts(b, ")</li>");
		}
		if (rc == 0)
			rc = pdv_buf_puts(b, "</ul></td></tr>\n");
	}
	if (rc == 0)
		rc = pdv_buf_puts(b, "</tbody></table></section>\n");
	json_decref(model);
	json_decref(choices);
	return rc;
}

struct shown {
	struct srv *s;
	bool html;
	json_t *graph; /* JSON-LD: every record of every receipt */
	struct pdv_buf body;
	long n;
	int rc;
};

static int show_one(void *ctx, const struct pdv_cookie_receipt *r)
{
	struct shown *o = ctx;

	o->n++;
	if (o->html)
		return (o->rc = receipt_html(&o->body, r));
	json_t *doc = receipt_jsonld(o->s, r), *g = json_object_get(doc, "@graph"), *v;
	size_t i;

	json_array_foreach(g, i, v)
	{
		json_array_append(o->graph, v);
	}
	json_decref(doc);
	return 0;
}

static void shown_init(struct shown *o, struct srv *s, struct job *j)
{
	memset(o, 0, sizeof(*o));
	o->s = s;
	o->html = j->query[0] && strcmp(j->query[0], "html") == 0;
	o->graph = json_array();
	pdv_buf_init(&o->body, 0);
}

static void shown_answer(struct shown *o, struct job *j, const char *title)
{
	if (o->rc < 0) {
		srv_error(j, 500, "nomem", NULL, "out of memory");
	} else if (!o->html) {
		srv_json(j, 200,
		         json_pack("{s:{s:s, s:s, s:s, s:s, s:s}, s:O}", "@context", "dpv",
		                   "https://w3id.org/dpv#", "dct", "http://purl.org/dc/terms/",
		                   "xsd", "http://www.w3.org/2001/XMLSchema#", "rdf",
		                   "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "rdfs",
		                   "http://www.w3.org/2000/01/rdf-schema#", "@graph", o->graph));
		j->ctype = "application/ld+json";
	} else {
		pdv_buf_release(&j->out);
		pdv_buf_init(&j->out, 0);
		if (pdv_buf_printf(
		        &j->out,
		        "<!doctype html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
		        "<title>%s</title><link rel=\"stylesheet\" href=\"/style.css\">"
		        "</head><body><main><h1>%s</h1>\n",
		        j->lang[0] ? j->lang : "en", title, title) < 0 ||
		    pdv_buf_append(&j->out, o->body.data ? o->body.data : "", o->body.len) < 0 ||
		    pdv_buf_puts(&j->out, o->n ? "</main></body></html>\n"
		                               : "<p>No receipt.</p></main></body></html>\n") < 0) {
			srv_error(j, 500, "nomem", NULL, "out of memory");
		} else {
			j->status = 200;
			j->ctype = "text/html; charset=utf-8";
		}
	}
	json_decref(o->graph);
	pdv_buf_release(&o->body);
}

static bool format_ok(struct job *j)
{
	if (j->query[0] && strcmp(j->query[0], "html") != 0 && strcmp(j->query[0], "jsonld") != 0) {
		srv_error(j, 400, "usage", "format", "format is jsonld or html");
		return false;
	}
	return true;
}

/* GET (the pdv_consent cookie) or POST {"consent_id"}: a person's receipts */
void h_cookie_receipts_mine(struct srv *s, struct job *j)
{
	const char *consent = j->body ? body_str(j, "consent_id") : j->consent_cookie;
	struct pdv_error err;
	struct shown o;

	pdv_error_clear(&err);
	if (!format_ok(j))
		return;
	if (!consent) {
		srv_error(j, 422, "invalid", "consent_id",
		          j->body ? "the body needs \"consent_id\""
		                  : "no pdv_consent cookie: this browser has no consent id");
		return;
	}
	shown_init(&o, s, j);
	if (pdv_cookie_receipts_mine(s->session, consent, show_one, &o, &err) < 0) {
		json_decref(o.graph);
		pdv_buf_release(&o.body);
		srv_fail(j, &err);
		return;
	}
	shown_answer(&o, j, "Consent receipts");
}

void h_cookie_receipt_get(struct srv *s, struct job *j)
{
	struct pdv_cookie_receipt r;
	struct pdv_error err;
	struct shown o;

	pdv_error_clear(&err);
	if (!format_ok(j))
		return;
	if (pdv_cookie_receipt_get(s->session, j->param, &r, &err) < 0) {
		srv_fail(j, &err);
		return;
	}
	shown_init(&o, s, j);
	show_one(&o, &r);
	pdv_cookie_receipt_release(&r);
	shown_answer(&o, j, "Consent receipt");
}
