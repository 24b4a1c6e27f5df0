/*
 * banner.c — the configuration of a cookie banner (tarteaucitron.js, Klaro,
 * Orejime, vanilla-cookieconsent) written from the declaration's `cookies`,
 * so that the banner cannot disagree with the notice.
 *
 * Two steps, both pure. pdv_render_banner_model builds the model: a JSON
 * object naming the kit, the language, the declaration's version, the
 * purposes (a tracker's category; a purpose whose trackers are all exempt is
 * required) with their trackers, lifetimes and texts, and the kit's own
 * configuration ("config"), in that kit's documented format. Its canonical
 * form (pdv_render_banner_canonical: keys sorted, no whitespace, UTF-8) is
 * what the engine hashes into the configuration's id and stores.
 * pdv_render_banner_js then writes the file a site loads, a function of the
 * model and its id alone: `window.pdvaultBanner` (what /v1/cookies/adapter.js
 * reads: the id, the purposes and the kit's id of each tracker) and the
 * lines that hand "config" to the kit. So a configuration id names exactly
 * what was on screen.
 *
 * Every kit is set the same way: nothing is on before a choice, "refuse all"
 * sits beside "accept all" with the same weight, exempt trackers are always
 * on and shown as such, and the choice is remembered for the declared
 * lifetimes (a refusal for refusal_lifetime where the kit tells the two
 * apart, vanilla-cookieconsent; the shorter of the two where it keeps one
 * lifetime for both, so that neither is remembered longer than declared).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdv/json.h"
#include "pdv/render.h"
#include "pdv/utf8.h"
#include "render-internal.h"

static const char *const kits[] = {"tarteaucitron", "klaro", "orejime", "cookieconsent"};

bool pdv_banner_kit_known(const char *kit)
{
	for (size_t i = 0; kit && i < sizeof(kits) / sizeof(*kits); i++)
		if (strcmp(kit, kits[i]) == 0)
			return true;
	return false;
}

/* ---- texts ---- */

struct words {
	const char *title, *description, *accept, *refuse, *customise, *save, *close, *necessary,
	    *always_on, *remembered, *months, *days, *session, *privacy;
};

static const struct words words_en = {
    "Cookies and trackers",
    "With your consent we use the trackers below, for the purposes shown. Refusing is as easy "
    "as accepting, and you can change your mind at any time. A receipt of your choice is kept "
    "(no IP address).",
    "Accept all",
    "Refuse all",
    "Choose",
    "Save my choice",
    "Close",
    "Strictly necessary",
    "always on (exempt from consent)",
    "Your choice is remembered for",
    "months",
    "days",
    "session",
    "privacy notice",
};
static const struct words words_fr = {
    "Cookies et traceurs",
    "Avec votre accord, nous utilisons les traceurs ci-dessous, pour les finalités indiquées. "
    "Refuser est aussi simple qu'accepter, et vous pouvez changer d'avis à tout moment. Une "
    "preuve de votre choix est conservée (sans adresse IP).",
    "Tout accepter",
    "Tout refuser",
    "Choisir",
    "Enregistrer mon choix",
    "Fermer",
    "Strictement nécessaires",
    "toujours actifs (exemptés de consentement)",
    "Votre choix est mémorisé",
    "mois",
    "jours",
    "session",
    "politique de confidentialité",
};

static const struct words *words_of(const char *lang)
{
	return strcmp(lang, "fr") == 0 ? &words_fr : &words_en;
}

static const char *purpose_title(const char *id, const char *lang)
{
	static const char *const t[][3] = {
	    {"necessary", "Strictly necessary", "Strictement nécessaires"},
	    {"audience", "Audience measurement", "Mesure d'audience"},
	    {"functional", "Functionality", "Fonctionnalités"},
	    {"advertising", "Advertising", "Publicité"},
	    {"social", "Social networks and embedded content",
	     "Réseaux sociaux et contenus intégrés"},
	};
	bool fr = strcmp(lang, "fr") == 0;

	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++)
		if (strcmp(t[i][0], id) == 0)
			return t[i][fr ? 2 : 1];
	return id;
}

/* a duration in days (rounded), or dflt for none or not a duration */
static long days_of(const char *s, long dflt)
{
	struct pdv_duration d;

	if (!s || pdv_duration_parse(s, false, &d, NULL) < 0)
		return dflt;
	return lround(pdv_duration_days(d));
}

/* "13 months", "30 days", "session": a tracker's lifetime for people */
static void lifetime_words(const char *s, const char *lang, char *out, size_t size)
{
	const struct words *w = words_of(lang);
	struct pdv_duration d;
	long days;

	if (!s) {
		snprintf(out, size, "?");
		return;
	}
	if (strcmp(s, "session") == 0) {
		snprintf(out, size, "%s", w->session);
		return;
	}
	if (pdv_duration_parse(s, false, &d, NULL) < 0) {
		snprintf(out, size, "%.*s", PDV_UTF8_CUT(s, 40));
		return;
	}
	days = lround(pdv_duration_days(d));
	if (days >= 28)
		snprintf(out, size, "%ld %s", lround(days / 30.44), w->months);
	else
		snprintf(out, size, "%ld %s", days, w->days);
}

/* ---- the model ---- */

static const char *category_of(const struct pdv_tracker *t)
{
	if (t->category.s)
		return t->category.s;
	return t->consent.s && strcmp(t->consent.s, "exempt") == 0 ? "necessary" : "functional";
}

static bool exempt(const struct pdv_tracker *t)
{
	return t->consent.s && strcmp(t->consent.s, "exempt") == 0;
}

/* the kit's id of a tracker: its name, [A-Za-z0-9] kept, the rest '_' */
static void service_id(const struct pdv_tracker *t, size_t i, char out[80])
{
	const char *n = t->name.s ? t->name.s : "";
	size_t k = 0;

	k = (size_t)snprintf(out, 80, "pdv_");
	for (; *n && k < 60; n++)
		out[k++] = (('a' <= *n && *n <= 'z') || ('A' <= *n && *n <= 'Z') ||
		            ('0' <= *n && *n <= '9'))
		               ? *n
		               : '_';
	snprintf(out + k, 80 - k, "_%zu", i);
}

static const char *recipient_name(const struct pdv_decl *d, const char *id, const char *lang)
{
	for (size_t i = 0; id && i < d->n_recipients; i++)
		if (d->recipients[i].id.s && strcmp(d->recipients[i].id.s, id) == 0)
			return pdv_text_get(&d->recipients[i].name, lang);
	return NULL;
}

/* the purposes, in the declaration's order of their first tracker */
static json_t *purposes_of(const struct pdv_decl *d, const char *lang)
{
	const struct pdv_cookies *k = &d->cookies;
	json_t *arr = json_array();

	for (size_t i = 0; i < k->n_trackers; i++) {
		const struct pdv_tracker *t = &k->trackers[i];
		const char *cat = category_of(t), *text = pdv_text_get(&t->purpose, lang);
		const char *who = recipient_name(d, t->recipient.s, lang);
		json_t *p = NULL, *v;
		size_t at;
		char sid[80], life[64];

		json_array_foreach(arr, at, v)
		{
			if (strcmp(json_string_value(json_object_get(v, "id")), cat) == 0)
				p = v;
		}
		if (!p) {
			p = json_pack("{s:s, s:s, s:b, s:[], s:[]}", "id", cat, "title",
			              purpose_title(cat, lang), "required", 1, "trackers",
			              "services");
			json_array_append_new(arr, p);
		}
		service_id(t, i, sid);
		lifetime_words(t->lifetime.s, lang, life, sizeof(life));
		json_array_append_new(json_object_get(p, "trackers"),
		                      json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s, s:b, s:s?}",
		                                "name", t->name.s ? t->name.s : "", "service", sid,
		                                "purpose", text ? text : "", "lifetime",
		                                t->lifetime.s ? t->lifetime.s : "", "recipient",
		                                who, "lifetime_text", life, "exempt", exempt(t),
		                                "recipient_id", t->recipient.s));
		if (!exempt(t)) {
			json_object_set_new(p, "required", json_false());
			json_array_append_new(json_object_get(p, "services"), json_string(sid));
		}
	}
	return arr;
}

/* "_ga (Google): audience measurement, 13 months; ..." for a purpose */
static char *purpose_text(json_t *p, bool only_consent)
{
	struct pdv_buf b;
	json_t *t;
	size_t i;
	char *s;
	int rc = 0;

	pdv_buf_init(&b, 0);
	json_array_foreach(json_object_get(p, "trackers"), i, t)
	{
		const char *who = json_string_value(json_object_get(t, "recipient"));

		if (only_consent && json_is_true(json_object_get(t, "exempt")))
			continue;
		if (rc == 0 && b.len)
			rc = pdv_buf_puts(&b, "; ");
		if (rc == 0)
			rc = pdv_buf_printf(&b, "%s%s%s%s: %s, %s",
			                    json_string_value(json_object_get(t, "name")),
			                    who ? " (" : "", who ? who : "", who ? ")" : "",
			                    json_string_value(json_object_get(t, "purpose")),
			                    json_string_value(json_object_get(t, "lifetime_text")));
	}
	s = rc == 0 ? strndup(b.data ? b.data : "", b.len) : NULL;
	pdv_buf_release(&b);
	return s;
}

static json_t *exempt_trackers(json_t *purposes)
{
	json_t *arr = json_array(), *p, *t;
	size_t i, k;

	json_array_foreach(purposes, i, p)
	{
		json_array_foreach(json_object_get(p, "trackers"), k, t)
		{
			if (json_is_true(json_object_get(t, "exempt")))
				json_array_append(arr, t);
		}
	}
	return arr;
}

static json_t *config_tarteaucitron(const struct pdv_decl *d, json_t *purposes, const char *lang,
                                    long days)
{
	static const char *const types[][2] = {
	    {"audience", "analytic"},  {"advertising", "ads"}, {"social", "social"},
	    {"functional", "support"}, {"necessary", "other"},
	};
	json_t *services = json_array(), *p, *t;
	size_t i, k;

	(void)d;
	json_array_foreach(purposes, i, p)
	{
		const char *pid = json_string_value(json_object_get(p, "id")), *type = "other";

		for (size_t n = 0; n < sizeof(types) / sizeof(*types); n++)
			if (strcmp(types[n][0], pid) == 0)
				type = types[n][1];
		json_array_foreach(json_object_get(p, "trackers"), k, t)
		{
			char name[512];

			if (json_is_true(json_object_get(t, "exempt")))
				continue;
			snprintf(name, sizeof(name), "%s — %s (%s)",
			         json_string_value(json_object_get(t, "name")),
			         json_string_value(json_object_get(t, "purpose")),
			         json_string_value(json_object_get(t, "lifetime_text")));
			json_array_append_new(services,
			                      json_pack("{s:O, s:s, s:s, s:b, s:[O], s:s, s:s}",
			                                "key", json_object_get(t, "service"),
			                                "type", type, "name", name, "needConsent",
			                                1, "cookies", json_object_get(t, "name"),
			                                "uri", "", "readmoreLink", ""));
		}
	}
	/* tarteaucitron keeps one lifetime, under a year (ForceExpire < 365) */
	return json_pack(
	    "{s:s, s:I, s:o, s:{s:s, s:s, s:s, s:s, s:b, s:b, s:s, s:b, s:b, s:b, s:b, s:s, s:b, "
	    "s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b}}",
	    "lang", lang, "expire_days", (json_int_t)(days < 365 ? days : 364), "services",
	    services, "init", "privacyUrl", "", "bodyPosition", "top", "hashtag", "#tarteaucitron",
	    "cookieName", "tarteaucitron", "groupServices", 0, "showDetailsOnClick", 1,
	    "serviceDefaultState", "wait", "showAlertSmall", 0, "cookieslist", 1, "closePopup", 0,
	    "showIcon", 1, "iconPosition", "BottomRight", "adblocker", 0, "DenyAllCta", 1,
	    "AcceptAllCta", 1, "highPrivacy", 1, "alwaysNeedConsent", 0, "handleBrowserDNTRequest",
	    0, "removeCredit", 1, "moreInfoLink", 0, "useExternalCss", 0, "useExternalJs", 0,
	    "mandatory", 1, "mandatoryCta", 0, "googleConsentMode", 0);
}

static json_t *config_cookieconsent(json_t *purposes, const char *lang, long consent_days,
                                    long refusal_days)
{
	const struct words *w = words_of(lang);
	json_t *cats = json_object(), *sections = json_array(), *ex = exempt_trackers(purposes), *p,
	       *t;
	size_t i, k;
	char *text;

	json_array_append_new(
	    sections, json_pack("{s:s, s:s}", "title", w->title, "description", w->description));
	if (json_array_size(ex)) {
		json_t *services = json_object();
		struct pdv_buf b;
		int rc = 0;

		pdv_buf_init(&b, 0);
		json_array_foreach(ex, k, t)
		{
			json_object_set_new(
			    services, json_string_value(json_object_get(t, "service")),
			    json_pack("{s:O}", "label", json_object_get(t, "name")));
			if (rc == 0)
				rc = pdv_buf_printf(
				    &b, "%s%s: %s, %s", b.len ? "; " : "",
				    json_string_value(json_object_get(t, "name")),
				    json_string_value(json_object_get(t, "purpose")),
				    json_string_value(json_object_get(t, "lifetime_text")));
		}
		json_object_set_new(cats, "necessary",
		                    json_pack("{s:b, s:b, s:o}", "enabled", 1, "readOnly", 1,
		                              "services", services));
		json_array_append_new(
		    sections, json_pack("{s:s, s:s%, s:s}", "title", w->necessary, "description",
		                        rc == 0 && b.data ? b.data : "", rc == 0 ? b.len : 0,
		                        "linkedCategory", "necessary"));
		pdv_buf_release(&b);
	}
	json_array_foreach(purposes, i, p)
	{
		json_t *services, *cookies;
		const char *pid = json_string_value(json_object_get(p, "id"));

		/* a required purpose is the read-only "necessary" category above */
		if (json_is_true(json_object_get(p, "required")))
			continue;
		services = json_object();
		cookies = json_array();
		json_array_foreach(json_object_get(p, "trackers"), k, t)
		{
			if (json_is_true(json_object_get(t, "exempt")))
				continue;
			json_object_set_new(
			    services, json_string_value(json_object_get(t, "service")),
			    json_pack("{s:O}", "label", json_object_get(t, "name")));
			json_array_append_new(
			    cookies, json_pack("{s:O}", "name", json_object_get(t, "name")));
		}
		json_object_set_new(cats, pid,
		                    json_pack("{s:b, s:b, s:o, s:{s:o}}", "enabled", 0, "readOnly",
		                              0, "services", services, "autoClear", "cookies",
		                              cookies));
		text = purpose_text(p, true);
		json_array_append_new(
		    sections, json_pack("{s:O, s:s, s:s}", "title", json_object_get(p, "title"),
		                        "description", text ? text : "", "linkedCategory", pid));
		free(text);
	}
	json_decref(ex);
	/* expiresAfterDays is a function of the kind of choice in the file
	 * (pdv_render_banner_js): the two lifetimes are kept here */
	return json_pack(
	    "{s:i, s:{s:s, s:I, s:I}, s:{s:{s:s, s:s, s:b, s:b}, s:{s:s, s:b, s:b}}, s:o, "
	    "s:{s:s, s:{s:{s:{s:s, s:s, s:s, s:s, s:s}, s:{s:s, s:s, s:s, s:s, s:s, s:o}}}}}",
	    "revision", 0, "cookie", "name", "cc_cookie", "consent_days", (json_int_t)consent_days,
	    "refusal_days", (json_int_t)refusal_days, "guiOptions", "consentModal", "layout", "box",
	    "position", "bottom right", "equalWeightButtons", 1, "flipButtons", 0,
	    "preferencesModal", "layout", "box", "equalWeightButtons", 1, "flipButtons", 0,
	    "categories", cats, "language", "default", lang, "translations", lang, "consentModal",
	    "title", w->title, "description", w->description, "acceptAllBtn", w->accept,
	    "acceptNecessaryBtn", w->refuse, "showPreferencesBtn", w->customise, "preferencesModal",
	    "title", w->title, "acceptAllBtn", w->accept, "acceptNecessaryBtn", w->refuse,
	    "savePreferencesBtn", w->save, "closeIconLabel", w->close, "sections", sections);
}

static json_t *config_klaro(json_t *purposes, const char *lang, long days)
{
	const struct words *w = words_of(lang);
	json_t *services = json_array(), *tpurposes = json_object(), *p, *t;
	size_t i, k;

	json_array_foreach(purposes, i, p)
	{
		const char *pid = json_string_value(json_object_get(p, "id"));
		char *text = purpose_text(p, false);

		json_object_set_new(tpurposes, pid,
		                    json_pack("{s:O, s:s}", "title", json_object_get(p, "title"),
		                              "description", text ? text : ""));
		free(text);
		json_array_foreach(json_object_get(p, "trackers"), k, t)
		{
			bool ex = json_is_true(json_object_get(t, "exempt"));
			char desc[512];

			snprintf(desc, sizeof(desc), "%s (%s)",
			         json_string_value(json_object_get(t, "purpose")),
			         json_string_value(json_object_get(t, "lifetime_text")));
			json_array_append_new(
			    services,
			    json_pack("{s:O, s:O, s:[s], s:[O], s:b, s:b, s:b, s:{s:{s:s}}}",
			              "name", json_object_get(t, "service"), "title",
			              json_object_get(t, "name"), "purposes", pid, "cookies",
			              json_object_get(t, "name"), "required", ex, "default", ex,
			              "optOut", 0, "translations", lang, "description", desc));
		}
	}
	return json_pack("{s:i, s:s, s:s, s:s, s:I, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:s, s:o, "
	                 "s:{s:{s:s, s:{s:s}, s:{s:s, s:s}, s:{s:s, s:s}, s:o}}}",
	                 "version", 1, "elementID", "klaro", "storageMethod", "cookie",
	                 "cookieName", "klaro", "cookieExpiresAfterDays", (json_int_t)days,
	                 "default", 0, "mustConsent", 0, "acceptAll", 1, "hideDeclineAll", 0,
	                 "hideLearnMore", 0, "noticeAsModal", 0, "htmlTexts", 0, "lang", lang,
	                 "services", services, "translations", lang, "privacyPolicyUrl",
	                 "/v1/notice", "consentNotice", "description", w->description,
	                 "consentModal", "title", w->title, "description", w->description, "ok",
	                 "acceptAll", w->accept, "decline", w->refuse, "purposes", tpurposes);
}

static json_t *config_orejime(json_t *purposes, const char *lang, long days)
{
	const struct words *w = words_of(lang);
	json_t *groups = json_array(), *p, *t;
	size_t i, k;

	json_array_foreach(purposes, i, p)
	{
		json_t *items = json_array();
		const char *pid = json_string_value(json_object_get(p, "id"));
		char gid[96];

		json_array_foreach(json_object_get(p, "trackers"), k, t)
		{
			bool ex = json_is_true(json_object_get(t, "exempt"));
			char desc[512];

			snprintf(desc, sizeof(desc), "%s (%s)",
			         json_string_value(json_object_get(t, "purpose")),
			         json_string_value(json_object_get(t, "lifetime_text")));
			json_array_append_new(items,
			                      json_pack("{s:O, s:O, s:s, s:[O], s:b, s:b}", "id",
			                                json_object_get(t, "service"), "title",
			                                json_object_get(t, "name"), "description",
			                                desc, "cookies", json_object_get(t, "name"),
			                                "isMandatory", ex, "default", ex));
		}
		snprintf(gid, sizeof(gid), "pdv-purpose-%s", pid);
		json_array_append_new(groups,
		                      json_pack("{s:s, s:O, s:o}", "id", gid, "title",
		                                json_object_get(p, "title"), "purposes", items));
	}
	return json_pack("{s:s, s:s, s:o, s:{s:s, s:I}, s:{s:{s:s, s:s, s:s}, s:{s:s, s:s}}}",
	                 "privacyPolicyUrl", "/v1/notice", "lang", lang, "purposes", groups,
	                 "cookie", "name", "orejime", "duration", (json_int_t)days, "translations",
	                 "banner", "title", w->title, "accept", w->accept, "decline", w->refuse,
	                 "modal", "acceptAll", w->accept, "declineAll", w->refuse);
}

int pdv_render_banner_model(const struct pdv_decl *d, const char *kit, const char *lang,
                            const char *declaration, json_t **ret, struct pdv_error *err)
{
	const struct pdv_cookies *k = &d->cookies;
	long consent_days, refusal_days, shorter;
	json_t *purposes, *config = NULL, *model;

	if (!pdv_banner_kit_known(kit))
		return pdv_error_set(
		    err, PDV_E_INVAL,
		    "unknown kit '%.*s' (tarteaucitron, klaro, orejime or cookieconsent)",
		    PDV_UTF8_CUT(kit ? kit : "", 40));
	if (!pdv_render_lang_supported(lang))
		return pdv_error_set(err, PDV_E_INVAL, "lang is fr or en");
	if (!k->present || k->n_trackers == 0)
		return pdv_error_set(
		    err, PDV_E_INVAL,
		    "the declaration lists no tracker (cookies.trackers): no banner "
		    "is needed");
	consent_days = days_of(k->consent_lifetime.s, 182);
	refusal_days = days_of(k->refusal_lifetime.s, consent_days);
	shorter = consent_days < refusal_days ? consent_days : refusal_days;
	purposes = purposes_of(d, lang);
	if (strcmp(kit, "tarteaucitron") == 0)
		config = config_tarteaucitron(d, purposes, lang, shorter);
	else if (strcmp(kit, "cookieconsent") == 0)
		config = config_cookieconsent(purposes, lang, consent_days, refusal_days);
	else if (strcmp(kit, "klaro") == 0)
		config = config_klaro(purposes, lang, shorter);
	else
		config = config_orejime(purposes, lang, shorter);
	model = json_pack(
	    "{s:i, s:s, s:s, s:s, s:s, s:I, s:I, s:o, s:o}", "pdvault_banner", 1, "kit", kit,
	    "lang", lang, "declaration", declaration ? declaration : "", "proof_retention",
	    k->proof_retention.s ? k->proof_retention.s : PDV_COOKIE_PROOF_RETENTION_DEFAULT,
	    "consent_days", (json_int_t)consent_days, "refusal_days", (json_int_t)refusal_days,
	    "purposes", purposes, "config", config);
	if (!model)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	*ret = model;
	return 0;
}

char *pdv_render_banner_canonical(const json_t *model)
{
	return json_dumps(model, JSON_COMPACT | JSON_SORT_KEYS);
}

/* what the adapter reads: the id, and per purpose whether it is required
 * and the kit ids of its trackers that need consent */
static json_t *adapter_view(const json_t *model, const char *id)
{
	json_t *purposes = json_array(), *p;
	size_t i;

	json_array_foreach(json_object_get(model, "purposes"), i, p)
	{
		const char *kit = json_string_value(json_object_get(model, "kit"));
		json_t *services = json_object_get(p, "services");

		/* vanilla-cookieconsent's unit of choice is the category itself */
		if (strcmp(kit, "cookieconsent") == 0)
			services = json_is_true(json_object_get(p, "required"))
			               ? json_array()
			               : json_pack("[O]", json_object_get(p, "id"));
		else
			json_incref(services);
		json_array_append_new(purposes,
		                      json_pack("{s:O, s:O, s:o}", "id", json_object_get(p, "id"),
		                                "required", json_object_get(p, "required"),
		                                "services", services));
	}
	return json_pack("{s:s, s:O, s:O, s:O, s:O, s:O, s:o}", "config", id, "kit",
	                 json_object_get(model, "kit"), "lang", json_object_get(model, "lang"),
	                 "declaration", json_object_get(model, "declaration"), "consent_days",
	                 json_object_get(model, "consent_days"), "refusal_days",
	                 json_object_get(model, "refusal_days"), "purposes", purposes);
}

/* json as a JS literal: also escape what would end a <script> inline */
static int append_js(struct pdv_buf *out, const json_t *v)
{
	char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ESCAPE_SLASH);
	int rc;

	if (!s)
		return PDV_E_NOMEM;
	rc = pdv_buf_puts(out, s);
	free(s);
	return rc;
}

int pdv_render_banner_js(const json_t *model, const char *id, struct pdv_buf *out,
                         struct pdv_error *err)
{
	const char *kit = json_string_value(json_object_get(model, "kit"));
	const json_t *config = json_object_get(model, "config");
	json_t *view = adapter_view(model, id);
	int rc = PDV_E_NOMEM;

	if (!kit || !config || !view)
		goto out;
	if (pdv_buf_printf(out,
	                   "/* pdvault banner configuration for %s: config %s, declaration %s.\n"
	                   " * Written by `pdvault banner` from the declaration; do not edit it, "
	                   "write it again.\n",
	                   kit, id, json_string_value(json_object_get(model, "declaration"))) < 0)
		goto out;
	if (strcmp(kit, "tarteaucitron") == 0 || strcmp(kit, "cookieconsent") == 0)
		rc = pdv_buf_puts(out, " * Load it after the kit's script, then "
		                       "/v1/cookies/adapter.js. */\n");
	else
		rc = pdv_buf_puts(out, " * Load it before the kit's script, then "
		                       "/v1/cookies/adapter.js. */\n");
	if (rc < 0 || (rc = pdv_buf_puts(out, "window.pdvaultBanner = ")) < 0 ||
	    (rc = append_js(out, view)) < 0 || (rc = pdv_buf_puts(out, ";\n")) < 0)
		goto out;
	if (strcmp(kit, "tarteaucitron") == 0)
		rc = pdv_buf_puts(out,
		                  "(function (c) {\n"
		                  "\twindow.tarteaucitronForceLanguage = c.lang;\n"
		                  "\twindow.tarteaucitronForceExpire = c.expire_days;\n"
		                  "\twindow.tarteaucitronExpireInDay = true;\n"
		                  "\ttarteaucitron.init(c.init);\n"
		                  "\tc.services.forEach(function (s) {\n"
		                  "\t\ts.js = function () {};\n"
		                  "\t\ts.fallback = function () {};\n"
		                  "\t\ttarteaucitron.services[s.key] = s;\n"
		                  "\t\t(tarteaucitron.job = tarteaucitron.job || []).push(s.key);\n"
		                  "\t});\n"
		                  "})(");
	else if (strcmp(kit, "cookieconsent") == 0)
		rc = pdv_buf_puts(
		    out, "(function (c) {\n"
		         "\t/* a refusal (only the necessary) is remembered refusal_days, any "
		         "consent consent_days */\n"
		         "\tvar consent = c.cookie.consent_days, refusal = c.cookie.refusal_days;\n"
		         "\tdelete c.cookie.consent_days;\n"
		         "\tdelete c.cookie.refusal_days;\n"
		         "\tc.cookie.expiresAfterDays = function (t) { return t === 'necessary' ? "
		         "refusal : consent; };\n"
		         "\t/* the kit draws into the body: not before it exists */\n"
		         "\tif (document.readyState === 'loading')\n"
		         "\t\tdocument.addEventListener('DOMContentLoaded', function () { "
		         "CookieConsent.run(c); });\n"
		         "\telse\n"
		         "\t\tCookieConsent.run(c);\n"
		         "})(");
	else if (strcmp(kit, "klaro") == 0)
		rc = pdv_buf_puts(out, "window.klaroConfig = (");
	else
		rc = pdv_buf_puts(out, "window.orejimeConfig = (");
	if (rc < 0 || (rc = append_js(out, config)) < 0 || (rc = pdv_buf_puts(out, ");\n")) < 0)
		goto out;
	rc = 0;
out:
	json_decref(view);
	if (rc < 0)
		return pdv_error_set(err, rc, "out of memory");
	return 0;
}
