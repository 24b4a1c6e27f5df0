/*
 * form.c — an embeddable HTML form for one activity, written from its
 * declaration: one labelled input per declared field, the consent checkbox
 * (never ticked) for a consent-based activity, the short Art. 13 information
 * with a link to the full notice, and a small script that posts the
 * submission as JSON to the public route of the server.
 *
 * Invariants:
 *  - declared text reaches the output only through the escaping writer
 *    (rdoc_text); the script is a constant and reads everything it needs
 *    (the route, its messages, the field names) from escaped attributes, so
 *    no declared string is ever written inside JavaScript;
 *  - field names go in name= and data-pdvault-field= only; element ids are
 *    built from the activity id and the field's position, so a field name
 *    cannot break an id or clash with another;
 *  - the script never reads a property of the form element by name (a field
 *    named "action" or "reset" would shadow it: form controls are named
 *    properties of their form); it calls the prototypes' methods instead;
 *  - the output is one <style>, one <form class="pdvault-form"> and one
 *    <script>, in that order (the script finds its form as its previous
 *    sibling), and depends on the declaration, the language and the base URL
 *    only: the same input gives the same bytes.
 * Whether the activity may collect at all (lint errors) is the caller's
 * decision: the renderer draws any declared activity.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "pdv/render.h"
#include "i18n.h"
#include "render-internal.h"

#define BASE_URL_MAX 2048

static const char form_style[] =
    "<style>\n"
    ".pdvault-form{max-width:38rem;margin:0 0 1.5rem}\n"
    ".pdvault-form fieldset{border:0;margin:0;padding:0;min-width:0}\n"
    ".pdvault-form legend{font-size:1.2em;font-weight:600;padding:0;margin:0 0 .5rem}\n"
    ".pdvault-form .pdvault-field{margin:0 0 1rem}\n"
    ".pdvault-form .pdvault-field label{display:block;font-weight:600;margin:0 0 .25rem}\n"
    ".pdvault-form .pdvault-field input,.pdvault-form textarea{box-sizing:border-box;width:100%;"
    "padding:.5rem;border:1px solid #6b6b6b;border-radius:4px;font:inherit;color:inherit;"
    "background:#fff}\n"
    ".pdvault-form textarea{min-height:8rem;resize:vertical}\n"
    ".pdvault-form .pdvault-consent{display:flex;gap:.5rem;align-items:flex-start;margin:1rem 0}\n"
    ".pdvault-form .pdvault-consent input{margin-top:.3rem;flex:none}\n"
    ".pdvault-form .pdvault-help,.pdvault-form .pdvault-info,.pdvault-form .pdvault-note{"
    "font-size:.9em;color:#3d3d3d;margin:.25rem 0 0}\n"
    ".pdvault-form .pdvault-info{margin:1rem 0}\n"
    ".pdvault-form a{color:#0b4f9c}\n"
    ".pdvault-form .pdvault-error{color:#b00020;font-weight:600;margin:.25rem 0 0}\n"
    ".pdvault-form [aria-invalid=true]{border-color:#b00020;outline:2px solid #b00020}\n"
    ".pdvault-form :focus-visible{outline:3px solid #0b4f9c;outline-offset:2px}\n"
    ".pdvault-form button{font:inherit;padding:.55rem 1.3rem;border:0;border-radius:4px;"
    "background:#0b4f9c;color:#fff;cursor:pointer}\n"
    ".pdvault-form button[disabled]{opacity:.6;cursor:progress}\n"
    ".pdvault-form .pdvault-status{font-weight:600;margin:.75rem 0 0}\n"
    ".pdvault-form .pdvault-ok{color:#1b5e20}\n"
    ".pdvault-form .pdvault-fail{color:#b00020}\n"
    "</style>\n";

/*
 * The script. It binds the form just before it, once; without fetch it
 * leaves the form alone. A 422 names the field at fault: that input gets
 * aria-invalid, the message goes in its error slot (which its
 * aria-describedby names) and it takes the focus. A file is sent as a data:
 * URL, since the body is JSON.
 */
static const char form_script[] =
    "<script>\n"
    "(function () {\n"
    "\"use strict\";\n"
    "var s = document.currentScript, f = s && s.previousElementSibling, E = Element.prototype;\n"
    "if (!f || !window.fetch || !window.Promise ||\n"
    "    !/(^|\\s)pdvault-form(\\s|$)/.test(E.getAttribute.call(f, \"class\") || \"\") ||\n"
    "    E.hasAttribute.call(f, \"data-pdvault-ready\")) return;\n"
    "E.setAttribute.call(f, \"data-pdvault-ready\", \"\");\n"
    "function attr(el, n) { return E.getAttribute.call(el, n); }\n"
    "function all(sel) { return Array.prototype.slice.call(E.querySelectorAll.call(f, sel)); }\n"
    "var status = all(\".pdvault-status\")[0], button = all(\"button[type=submit]\")[0];\n"
    "function say(key, ok) {\n"
    "  status.textContent = attr(f, \"data-msg-\" + key) || \"\";\n"
    "  status.className = \"pdvault-status \" + (ok ? \"pdvault-ok\" : \"pdvault-fail\");\n"
    "}\n"
    "function clear() {\n"
    "  all(\"[aria-invalid]\").forEach(function (el) { el.removeAttribute(\"aria-invalid\"); });\n"
    "  all(\".pdvault-error\").forEach(function (el) { el.textContent = \"\"; el.hidden = true; "
    "});\n"
    "  status.textContent = \"\";\n"
    "  status.className = \"pdvault-status\";\n"
    "}\n"
    "function mark(name, message) {\n"
    "  var el = all(\"[data-pdvault-field],[data-pdvault-consent]\").filter(function (x) {\n"
    "    return attr(x, \"data-pdvault-field\") === name ||\n"
    "      (name === \"consent\" && x.hasAttribute(\"data-pdvault-consent\"));\n"
    "  })[0];\n"
    "  if (!el) return false;\n"
    "  el.setAttribute(\"aria-invalid\", \"true\");\n"
    "  var e = document.getElementById(attr(el, \"data-pdvault-error\"));\n"
    "  if (e) { e.textContent = message || attr(f, \"data-msg-invalid\"); e.hidden = false; }\n"
    "  el.focus();\n"
    "  return true;\n"
    "}\n"
    "function value(el) {\n"
    "  if (el.type !== \"file\") return Promise.resolve(el.value);\n"
    "  var file = el.files && el.files[0];\n"
    "  if (!file) return Promise.resolve(\"\");\n"
    "  return new Promise(function (ok, ko) {\n"
    "    var r = new FileReader();\n"
    "    r.onload = function () { ok(String(r.result)); };\n"
    "    r.onerror = function () { ko(r.error); };\n"
    "    r.readAsDataURL(file);\n"
    "  });\n"
    "}\n"
    "function done() { button.disabled = false; E.removeAttribute.call(f, \"aria-busy\"); }\n"
    "var box = all(\".pdvault-confirm\")[0], code = box && all(\"[data-pdvault-code]\")[0];\n"
    "var check = null;\n"
    "function codeError(message) {\n"
    "  var e = document.getElementById(attr(code, \"data-pdvault-error\"));\n"
    "  code.setAttribute(\"aria-invalid\", \"true\");\n"
    "  if (e) { e.textContent = message || attr(f, \"data-msg-code\"); e.hidden = false; }\n"
    "  code.focus();\n"
    "  say(\"invalid\", false);\n"
    "}\n"
    "function confirm() {\n"
    "  clear();\n"
    "  if (!/^[0-9]{6}$/.test(code.value.trim())) { codeError(null); return; }\n"
    "  button.disabled = true;\n"
    "  E.setAttribute.call(f, \"aria-busy\", \"true\");\n"
    "  say(\"sending\", true);\n"
    "  fetch(attr(f, \"data-pdvault-verify\"), {\n"
    "    method: \"POST\", credentials: \"omit\",\n"
    "    headers: {\"Content-Type\": \"application/json\", \"Accept\": \"application/json\"},\n"
    "    body: JSON.stringify({confirmation: check, code: code.value.trim()})\n"
    "  }).then(function (r) {\n"
    "    if (r.status === 201) {\n"
    "      HTMLFormElement.prototype.reset.call(f);\n"
    "      check = null;\n"
    "      box.hidden = true;\n"
    "      say(\"confirmed\", true);\n"
    "      return;\n"
    "    }\n"
    "    return r.json().then(function (b) {\n"
    "      var e = b && b.error;\n"
    "      if (r.status === 422 && e) codeError(e.message);\n"
    "      else say(\"error\", false);\n"
    "    }, function () { say(\"error\", false); });\n"
    "  }).catch(function () { say(\"error\", false); }).then(done, done);\n"
    "}\n"
    "E.addEventListener.call(f, \"submit\", function (ev) {\n"
    "  ev.preventDefault();\n"
    "  if (check) { confirm(); return; }\n"
    "  clear();\n"
    "  var fields = {}, consent = all(\"[data-pdvault-consent]\")[0];\n"
    "  var jobs = all(\"[data-pdvault-field]\").map(function (el) {\n"
    "    var name = attr(el, \"data-pdvault-field\");\n"
    "    return value(el).then(function (v) { if (v !== \"\") fields[name] = v; });\n"
    "  });\n"
    "  button.disabled = true;\n"
    "  E.setAttribute.call(f, \"aria-busy\", \"true\");\n"
    "  say(\"sending\", true);\n"
    "  Promise.all(jobs).then(function () {\n"
    "    return fetch(attr(f, \"action\"), {\n"
    "      method: \"POST\", credentials: \"omit\",\n"
    "      headers: {\"Content-Type\": \"application/json\", \"Accept\": \"application/json\"},\n"
    "      body: JSON.stringify({fields: fields, consent: consent ? consent.checked : false,\n"
    "                            lang: attr(f, \"lang\")})\n"
    "    });\n"
    "  }).then(function (r) {\n"
    "    if (r.status === 202 && box) {\n"
    "      return r.json().then(function (b) {\n"
    "        check = b && b.confirmation;\n"
    "        if (!check) { say(\"error\", false); return; }\n"
    "        box.hidden = false;\n"
    "        say(\"ok\", true);\n"
    "        code.focus();\n"
    "      });\n"
    "    }\n"
    "    if (r.status === 201 || r.status === 202) {\n"
    "      HTMLFormElement.prototype.reset.call(f);\n"
    "      say(\"ok\", true);\n"
    "      return;\n"
    "    }\n"
    "    return r.json().then(function (b) {\n"
    "      var e = b && b.error;\n"
    "      if (r.status === 422 && e && e.field && mark(String(e.field), e.message)) "
    "say(\"invalid\", false);\n"
    "      else say(\"error\", false);\n"
    "    }, function () { say(\"error\", false); });\n"
    "  }).catch(function () { say(\"error\", false); }).then(done, done);\n"
    "});\n"
    "})();\n"
    "</script>\n";

bool pdv_render_form_base_valid(const char *base)
{
	size_t n;

	if (!base || !*base)
		return true;
	n = strlen(base);
	if (n >= BASE_URL_MAX)
		return false;
	for (const char *p = base; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= 0x20 || c == 0x7f || c == '"' || c == '\'' || c == '<' || c == '>' ||
		    c == '\\' || c == '`' || c == '?' || c == '#')
			return false;
	}
	/* a scheme other than http(s) (javascript:, data:) would run or leak */
	return base[0] == '/' || strncmp(base, "https://", 8) == 0 ||
	       strncmp(base, "http://", 7) == 0;
}

/* the base URL without its trailing slashes, escaped */
static void put_base(struct rdoc *doc, const char *base)
{
	char tmp[BASE_URL_MAX];
	size_t n = strlen(base);

	while (n && base[n - 1] == '/')
		n--;
	memcpy(tmp, base, n);
	tmp[n] = '\0';
	rdoc_text(doc, tmp);
}

/* a path segment, percent-encoded (the result is plain ASCII, html-safe) */
static void put_segment(struct rdoc *doc, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char tmp[4];

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
			tmp[0] = (char)c;
			tmp[1] = '\0';
		} else {
			tmp[0] = '%';
			tmp[1] = hex[c >> 4];
			tmp[2] = hex[c & 15];
			tmp[3] = '\0';
		}
		rdoc_raw(doc, tmp);
	}
}

/* pdvault-ACTIVITY (escaped), the prefix of every id of the form */
static void put_id(struct rdoc *doc, const struct pdv_activity *a, const char *suffix)
{
	rdoc_raw(doc, "pdvault-");
	rdoc_text(doc, a->id.s);
	rdoc_raw(doc, suffix);
}

static void put_field_id(struct rdoc *doc, const struct pdv_activity *a, size_t i,
                         const char *suffix)
{
	rdoc_raw(doc, "pdvault-");
	rdoc_text(doc, a->id.s);
	rdoc_rawf(doc, "-f%zu%s", i + 1, suffix);
}

static void put_attr(struct rdoc *doc, const char *name, const char *en, const char *fr)
{
	rdoc_rawf(doc, " %s=\"", name);
	rdoc_tr(doc, en, fr);
	rdoc_raw(doc, "\"");
}

static bool is_required(const struct pdv_field *f)
{
	return f->required.present && f->required.v;
}

/* the type the server validates against: a lookup makes an email or a phone
 * of an untyped field (as collect does) */
static const char *field_type(const struct pdv_field *f)
{
	if (f->type.s && *f->type.s && strcmp(f->type.s, "text") != 0)
		return f->type.s;
	if (f->lookup.s && (strcmp(f->lookup.s, "email") == 0 || strcmp(f->lookup.s, "phone") == 0))
		return f->lookup.s;
	return "text";
}

/* max_length as a positive integer, 0 when absent or not one */
static unsigned long max_length(const struct pdv_field *f)
{
	const char *s = f->max_length.s;
	char *end;
	unsigned long n;

	if (!s || !isdigit((unsigned char)*s) || strlen(s) > 9)
		return 0;
	n = strtoul(s, &end, 10);
	return *end ? 0 : n;
}

/* free text (a message, a comment) or a long text gets a textarea */
static bool is_long_text(const struct pdv_field *f)
{
	if (strcmp(field_type(f), "text") != 0)
		return false;
	if (f->category.s && pdv_taxonomy_under(f->category.s, "user.content"))
		return true;
	return max_length(f) > 500;
}

/* the autocomplete token of a category (WCAG 1.3.5), or NULL */
static const char *autocomplete(const struct pdv_field *f)
{
	static const char *const map[][2] = {
	    {"user.contact.email", "email"},
	    {"user.name.first", "given-name"},
	    {"user.name.last", "family-name"},
	    {"user.name", "name"},
	    {"user.contact.phone_number", "tel"},
	    {"user.contact.organization", "organization"},
	    {"user.contact.address.street", "street-address"},
	    {"user.contact.address.postal_code", "postal-code"},
	    {"user.contact.address.city", "address-level2"},
	    {"user.contact.address.country", "country-name"},
	    {"user.demographic.date_of_birth", "bday"},
	};

	if (!f->category.s)
		return NULL;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(f->category.s, map[i][0]) == 0)
			return map[i][1];
	return NULL;
}

/* the label: as render_field_label says (the export shows the same) */
static void put_label_text(struct rdoc *doc, const struct pdv_activity *a, size_t i)
{
	char buf[RENDER_LABEL_MAX];

	rdoc_text(doc, render_field_label(a, i, doc->lang, buf));
}

static void put_required_mark(struct rdoc *doc)
{
	/* seen, not read: the input's required attribute says it to a screen reader */
	rdoc_raw(doc, "<span class=\"pdvault-required\" aria-hidden=\"true\"> *</span>");
}

/* the help text of a field (format, length); false when it has none */
static bool has_help(const struct pdv_field *f)
{
	const char *type = field_type(f);

	return strcmp(type, "phone") == 0 || strcmp(type, "date") == 0 ||
	       (max_length(f) && (strcmp(type, "text") == 0 || strcmp(type, "email") == 0));
}

static void put_help(struct rdoc *doc, const struct pdv_field *f)
{
	const char *type = field_type(f);
	unsigned long max = max_length(f);

	if (strcmp(type, "phone") == 0)
		rdoc_tr(doc, "International format (+ and the country code), or a national number.",
		        "Format international (+ et l'indicatif du pays), ou numéro national.");
	else if (strcmp(type, "date") == 0)
		rdoc_tr(doc, "Format: YYYY-MM-DD.", "Format : AAAA-MM-JJ.");
	else if (max)
		rdoc_rawf(doc,
		          pdv_i18n_is_fr(doc->lang) ? "%lu caractères au maximum."
		                                    : "At most %lu characters.",
		          max);
}

static void write_field(struct rdoc *doc, const struct pdv_activity *a, size_t i)
{
	const struct pdv_field *f = &a->fields[i];
	const char *type = field_type(f);
	const char *ac = autocomplete(f);
	bool textarea = is_long_text(f), help = has_help(f);
	unsigned long max = max_length(f);

	rdoc_raw(doc, "<div class=\"pdvault-field\">\n<label for=\"");
	put_field_id(doc, a, i, "");
	rdoc_raw(doc, "\">");
	put_label_text(doc, a, i);
	if (is_required(f))
		put_required_mark(doc);
	rdoc_raw(doc, "</label>\n");

	if (textarea) {
		rdoc_raw(doc, "<textarea");
	} else {
		rdoc_raw(doc, "<input type=\"");
		if (strcmp(type, "phone") == 0)
			rdoc_raw(doc, "tel");
		else if (strcmp(type, "email") == 0 || strcmp(type, "date") == 0 ||
		         strcmp(type, "number") == 0 || strcmp(type, "file") == 0)
			rdoc_raw(doc, type);
		else
			rdoc_raw(doc, "text");
		rdoc_raw(doc, "\"");
		if (strcmp(type, "number") == 0)
			rdoc_raw(doc, " step=\"any\"");
	}
	rdoc_raw(doc, " id=\"");
	put_field_id(doc, a, i, "\" name=\"");
	rdoc_text(doc, f->name.s);
	rdoc_raw(doc, "\" data-pdvault-field=\"");
	rdoc_text(doc, f->name.s);
	rdoc_raw(doc, "\" data-pdvault-error=\"");
	put_field_id(doc, a, i, "-error\"");
	if (is_required(f))
		rdoc_raw(doc, " required");
	if (max && (textarea || strcmp(type, "text") == 0 || strcmp(type, "email") == 0 ||
	            strcmp(type, "phone") == 0))
		rdoc_rawf(doc, " maxlength=\"%lu\"", max);
	if (ac)
		rdoc_rawf(doc, " autocomplete=\"%s\"", ac);
	rdoc_raw(doc, " aria-describedby=\"");
	if (help)
		put_field_id(doc, a, i, "-help ");
	put_field_id(doc, a, i, "-error\">");
	if (textarea)
		rdoc_raw(doc, "</textarea>");
	rdoc_raw(doc, "\n");
	if (help) {
		rdoc_raw(doc, "<p class=\"pdvault-help\" id=\"");
		put_field_id(doc, a, i, "-help\">");
		put_help(doc, f);
		rdoc_raw(doc, "</p>\n");
	}
	rdoc_raw(doc, "<p class=\"pdvault-error\" id=\"");
	put_field_id(doc, a, i, "-error\" hidden></p>\n</div>\n");
}

static bool is_consent_based(const struct pdv_activity *a)
{
	return render_has_basis(a, "consent");
}

static void write_consent(struct rdoc *doc, const struct pdv_activity *a)
{
	/* never `checked`: consent is an act of the person (Art. 4(11), recital 32) */
	rdoc_raw(doc, "<div class=\"pdvault-consent\">\n<input type=\"checkbox\" id=\"");
	put_id(doc, a,
	       "-consent\" name=\"consent\" value=\"true\" data-pdvault-consent=\"\" "
	       "data-pdvault-error=\"");
	put_id(doc, a, "-consent-error\" required aria-describedby=\"");
	put_id(doc, a, "-consent-help ");
	put_id(doc, a, "-consent-error\">\n<div>\n<label for=\"");
	put_id(doc, a, "-consent\">");
	rdoc_dtext(doc, &a->consent.text);
	put_required_mark(doc);
	rdoc_raw(doc, "</label>\n<p class=\"pdvault-help\" id=\"");
	put_id(doc, a, "-consent-help\">");
	rdoc_tr(doc,
	        "You can withdraw your consent at any time, as easily as you gave it (see the "
	        "privacy notice).",
	        "Vous pouvez retirer votre consentement à tout moment, aussi simplement que vous "
	        "l'avez donné (voir la politique de confidentialité).");
	rdoc_raw(doc, "</p>\n<p class=\"pdvault-error\" id=\"");
	put_id(doc, a, "-consent-error\" hidden></p>\n</div>\n</div>\n");
}

/* double opt-in: the code of the confirmation email, shown once it is sent
 * (the script unhides it); the email's link does the same without it */
static void write_code(struct rdoc *doc, const struct pdv_activity *a)
{
	rdoc_raw(doc, "<div class=\"pdvault-field pdvault-confirm\" hidden>\n<label for=\"");
	put_id(doc, a, "-code\">");
	rdoc_tr(doc, "Confirmation code (sent by email)", "Code de confirmation (reçu par e-mail)");
	rdoc_raw(doc, "</label>\n<input type=\"text\" id=\"");
	put_id(doc, a,
	       "-code\" data-pdvault-code=\"\" inputmode=\"numeric\" "
	       "autocomplete=\"one-time-code\" maxlength=\"6\" data-pdvault-error=\"");
	put_id(doc, a, "-code-error\" aria-describedby=\"");
	put_id(doc, a, "-code-error\">\n<p class=\"pdvault-error\" id=\"");
	put_id(doc, a, "-code-error\" hidden></p>\n</div>\n");
}

/* the short Art. 13 information: controller, purposes, legal basis, notice */
static void write_info(struct rdoc *doc, const struct pdv_decl *d, const struct pdv_activity *a,
                       const char *base)
{
	const char *semi = rdoc_semi(doc);
	const char *detail = pdv_text_get(&a->basis_detail, doc->lang);

	rdoc_raw(doc, "<div class=\"pdvault-info\" id=\"");
	put_id(doc, a, "-info\">\n<p><strong>");
	rdoc_tr(doc, "Controller:", "Responsable du traitement :");
	rdoc_raw(doc, "</strong> ");
	rdoc_dstr(doc, &d->controller.name);
	rdoc_raw(doc, "<br>\n<strong>");
	rdoc_tr(doc, a->purposes.n > 1 ? "Purposes:" : "Purpose:",
	        a->purposes.n > 1 ? "Finalités :" : "Finalité :");
	rdoc_raw(doc, "</strong> ");
	if (!a->purposes.n)
		rdoc_text(doc, pdv_i18n_not_stated(doc->lang));
	for (size_t i = 0; i < a->purposes.n; i++) {
		if (i)
			rdoc_raw(doc, semi);
		rdoc_dtext(doc, &a->purposes.v[i]);
	}
	rdoc_raw(doc, "<br>\n<strong>");
	rdoc_tr(doc, "Legal basis:", "Base légale :");
	rdoc_raw(doc, "</strong> ");
	rdoc_basis(doc, a, false);
	if (detail && *detail) {
		rdoc_raw(doc, pdv_i18n_is_fr(doc->lang) ? " : " : ": ");
		rdoc_text(doc, detail);
	}
	rdoc_raw(doc, "</p>\n<p>");
	rdoc_tr(doc, "To learn how your data is handled and how to exercise your rights, read our ",
	        "Pour en savoir plus sur la gestion de vos données et l'exercice de vos droits, "
	        "consultez notre ");
	rdoc_raw(doc, "<a href=\"");
	put_base(doc, base);
	rdoc_rawf(doc, "/v1/notice?lang=%s&amp;format=html\">",
	          pdv_i18n_is_fr(doc->lang) ? "fr" : "en");
	rdoc_tr(doc, "privacy notice", "politique de confidentialité");
	rdoc_raw(doc, "</a>.</p>\n</div>\n");
}

static void write_nojs(struct rdoc *doc, const struct pdv_decl *d)
{
	const char *email = d->controller.email.s;

	rdoc_raw(doc, "<noscript><p class=\"pdvault-note\">");
	rdoc_tr(doc, "This form needs JavaScript to be sent.",
	        "L'envoi de ce formulaire nécessite JavaScript.");
	if (email && *email) {
		rdoc_raw(doc, " ");
		rdoc_tr(doc, "You can also write to ", "Vous pouvez aussi écrire à ");
		rdoc_raw(doc, "<a href=\"mailto:");
		rdoc_text(doc, email);
		rdoc_raw(doc, "\">");
		rdoc_text(doc, email);
		rdoc_raw(doc, "</a>.");
	}
	rdoc_raw(doc, "</p></noscript>\n");
}

int pdv_render_form(const struct pdv_decl *d, const char *activity, const char *lang,
                    const char *base, struct pdv_buf *out, struct pdv_error *err)
{
	const struct pdv_activity *a;
	struct rdoc doc;
	bool any_required = false, dooi;
	size_t start;
	int r;

	if (!d || !activity || !out)
		return pdv_error_set(err, PDV_E_INVAL, "no declaration, activity or output buffer");
	if (!pdv_render_lang_supported(lang))
		return pdv_error_set(err, PDV_E_INVAL, "unsupported language '%s' (fr or en)",
		                     lang ? lang : "");
	if (!base)
		base = "";
	if (!pdv_render_form_base_valid(base)) {
		pdv_error_set(err, PDV_E_INVAL,
		              "the base URL must start with http://, https:// or / and hold no "
		              "space, quote, query or fragment");
		pdv_error_field(err, "action");
		return PDV_E_INVAL;
	}
	if (!(a = pdv_decl_activity(d, activity)) || !a->id.s) {
		pdv_error_set(err, PDV_E_NOTFOUND, "no activity '%.*s' in the declaration",
		              PDV_UTF8_CUT(activity, 64));
		pdv_error_field(err, "activity");
		return PDV_E_NOTFOUND;
	}
	dooi = a->consent.double_opt_in.present && a->consent.double_opt_in.v;
	for (size_t i = 0; i < a->n_fields; i++)
		any_required = any_required || is_required(&a->fields[i]);

	start = out->len;
	rdoc_init(&doc, out, PDV_FORMAT_HTML, lang);
	rdoc_raw(&doc, form_style);

	rdoc_raw(&doc, "<form class=\"pdvault-form\" id=\"");
	put_id(&doc, a, "-form\" lang=\"");
	rdoc_raw(&doc, pdv_i18n_is_fr(lang) ? "fr" : "en");
	rdoc_raw(&doc, "\" method=\"post\" action=\"");
	put_base(&doc, base);
	rdoc_raw(&doc, "/v1/activities/");
	put_segment(&doc, a->id.s);
	rdoc_raw(&doc, "/submissions\" data-pdvault-activity=\"");
	rdoc_text(&doc, a->id.s);
	rdoc_raw(&doc, "\"");
	put_attr(&doc, "data-msg-sending", "Sending…", "Envoi en cours…");
	if (dooi) {
		rdoc_raw(&doc, " data-pdvault-verify=\"");
		put_base(&doc, base);
		rdoc_raw(&doc, "/v1/verify\"");
		put_attr(&doc, "data-msg-ok",
		         "Thank you. We have just sent you an email: enter its code below, or open "
		         "its link.",
		         "Merci. Nous venons de vous envoyer un e-mail : saisissez son code "
		         "ci-dessous, ou ouvrez son lien.");
		put_attr(&doc, "data-msg-confirmed", "Thank you: your subscription is confirmed.",
		         "Merci : votre inscription est confirmée.");
		put_attr(&doc, "data-msg-code", "The code has 6 digits.",
		         "Le code comporte 6 chiffres.");
	} else
		put_attr(&doc, "data-msg-ok", "Thank you, we have received your submission.",
		         "Merci, nous avons bien reçu votre demande.");
	put_attr(&doc, "data-msg-invalid", "Please correct the marked field.",
	         "Veuillez corriger le champ signalé.");
	put_attr(&doc, "data-msg-error", "The form could not be sent. Please try again later.",
	         "Le formulaire n'a pas pu être envoyé. Veuillez réessayer plus tard.");
	rdoc_raw(&doc, ">\n<fieldset>\n<legend>");
	rdoc_text(&doc, render_activity_name(a, lang));
	rdoc_raw(&doc, "</legend>\n");
	if (any_required || is_consent_based(a)) {
		rdoc_raw(&doc, "<p class=\"pdvault-note\">");
		rdoc_tr(&doc, "Fields marked with an asterisk (*) are required.",
		        "Les champs marqués d'un astérisque (*) sont obligatoires.");
		rdoc_raw(&doc, "</p>\n");
	}
	for (size_t i = 0; i < a->n_fields; i++)
		write_field(&doc, a, i);
	if (is_consent_based(a))
		write_consent(&doc, a);
	rdoc_raw(&doc, "</fieldset>\n");
	if (dooi)
		write_code(&doc, a);
	write_info(&doc, d, a, base);
	write_nojs(&doc, d);
	rdoc_raw(&doc, "<button type=\"submit\">");
	rdoc_tr(&doc, "Send", "Envoyer");
	rdoc_raw(
	    &doc,
	    "</button>\n<p class=\"pdvault-status\" role=\"status\" aria-live=\"polite\"></p>\n"
	    "</form>\n");
	rdoc_raw(&doc, form_script);

	if ((r = rdoc_finish(&doc)) < 0) {
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
		return pdv_error_set(err, r, "the form could not be written (%s)", pdv_rc_code(r));
	}
	return 0;
}
