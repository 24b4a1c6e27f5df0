/*
 * dpv.c — the declaration as W3C DPV 2.x JSON-LD (`pdvault register
 * --format dpv`): one dpv:PersonalDataHandling node per activity, with the
 * controller, the recipients and the security measures as nodes of the same
 * @graph.
 *
 * Every term written is a DPV 2.x term of a namespace the @context declares:
 * dpv (core), pd (personal data), eu-gdpr (the GDPR's legal bases), loc
 * (countries), dct (names and descriptions). What DPV has no clear term for
 * (a fideslang category such as user.contact.organization, a subject such as
 * prospect) is written in the pdvault namespace (urn:pdvault:), typed with
 * the DPV class it is an instance of, so nothing is claimed that DPV does
 * not say. The mapping tables below are the only place a DPV name appears;
 * the test (tests/cli/test_dpv.py) holds the DPV 2.0 term list they must
 * stay within.
 *
 * Ids: the controller is urn:pdvault:controller, an activity
 * urn:pdvault:activity:ID, a recipient urn:pdvault:recipient:ID; the
 * document is deterministic (declaration order).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pdv/json.h"
#include "pdv/render.h"
#include "pdv/retention.h"
#include "i18n.h"
#include "render-internal.h"

#define NS_PDVAULT "urn:pdvault:"
#define WORDS_MAX 1024

/* a fideslang (or pdvault) category: the DPV pd: term for it, longest prefix
 * first; NULL: none clear, written as pdvault:category:KEY */
/* clang-format off */
static const struct { const char *key, *term; } pd_terms[] = {
	{"user.name", "pd:Name"},
	{"user.contact.email", "pd:EmailAddress"},
	{"user.contact.phone_number", "pd:TelephoneNumber"},
	{"user.contact.address.city", "pd:City"},
	{"user.contact.address.country", "pd:Country"},
	{"user.contact.address.postal_code", "pd:PostalCode"},
	{"user.contact.address.street", "pd:Street"},
	{"user.contact.address.state", "pd:Region"},
	{"user.contact.address", "pd:PhysicalAddress"},
	{"user.demographic.age_range", "pd:AgeRange"},
	{"user.demographic.date_of_birth", "pd:BirthDate"},
	{"user.demographic.gender", "pd:Gender"},
	{"user.demographic.language", "pd:Language"},
	{"user.demographic.marital_status", "pd:MaritalStatus"},
	{"user.demographic.political_opinion", "pd:PoliticalOpinion"},
	{"user.demographic.race_ethnicity", "pd:EthnicOrigin"},
	{"user.demographic.religious_belief", "pd:ReligiousBelief"},
	{"user.demographic.sexual_orientation", "pd:SexualPreference"},
	{"user.demographic", "pd:Demographic"},
	{"user.health_and_medical.genetic", "pd:Genetic"},
	{"user.health_and_medical", "pd:Health"},
	{"user.biometric.fingerprint", "pd:Fingerprint"},
	{"user.biometric.retinal", "pd:Retina"},
	{"user.biometric.health", "pd:Health"},
	{"user.biometric", "pd:Biometric"},
	{"user.authorization.biometric", "pd:Biometric"},
	{"user.authorization.password", "pd:Password"},
	{"user.authorization", "pd:Authenticating"},
	{"user.financial.bank_account", "pd:BankAccount"},
	{"user.financial.credit_card", "pd:PaymentCard"},
	{"user.financial", "pd:Financial"},
	{"user.payment", "pd:Financial"},
	{"user.device.ip_address", "pd:IPAddress"},
	{"user.device", "pd:DeviceBased"},
	{"user.location.precise", "pd:GPSCoordinate"},
	{"user.location", "pd:Location"},
	{"user.government_id.passport_number", "pd:Passport"},
	{"user.government_id", "pd:OfficialID"},
	{"pdv.user.identity_document", "pd:OfficialID"},
	{"user.criminal_history", "pd:Criminal"},
	{"user.behavior.browsing_history", "pd:BrowserHistory"},
	{"user.behavior.purchase_history", "pd:Purchase"},
	{"user.behavior", "pd:Behavioral"},
	{"user.account.username", "pd:Username"},
	{"user.unique_id", "pd:UID"},
	{"user.content.self_image", "pd:Picture"},
	{"user.job_title", "pd:Job"},
	{"user.workplace", "pd:WorkEnvironment"},
	{"pdv.user.professional.cv", "pd:EmploymentHistory"},
	{"pdv.user.professional.experience", "pd:WorkHistory"},
	{"pdv.user.professional.diploma", "pd:EducationQualification"},
	{"pdv.user.professional.assessment", "pd:ProfessionalEvaluation"},
	{"pdv.user.professional", "pd:Professional"},
	{"user.privacy_preferences", "pd:PrivacyPreference"},
	{"user.social", "pd:Social"},
};

/* fideslang data subjects with a DPV class of the same meaning */
static const struct { const char *key, *term; } subject_terms[] = {
	{"customer", "dpv:Customer"},     {"employee", "dpv:Employee"},
	{"job_applicant", "dpv:JobApplicant"}, {"patient", "dpv:Patient"},
	{"visitor", "dpv:Visitor"},       {"citizen_voter", "dpv:Citizen"},
	{"pdv.child", "dpv:Child"},
};

/* the declaration's bases: Art. 6(1)(a) to (f), in the GDPR extension of DPV 2 */
static const struct { const char *key, *term; } basis_terms[] = {
	{"consent", "eu-gdpr:A6-1-a"},          {"contract", "eu-gdpr:A6-1-b"},
	{"legal-obligation", "eu-gdpr:A6-1-c"}, {"vital-interests", "eu-gdpr:A6-1-d"},
	{"public-task", "eu-gdpr:A6-1-e"},      {"legitimate-interests", "eu-gdpr:A6-1-f"},
};

/* a recipient's declared role: its DPV entity class */
static const struct { const char *key, *term; } role_terms[] = {
	{"processor", "dpv:DataProcessor"},
	{"joint-controller", "dpv:JointDataControllers"},
	{"controller", "dpv:DataController"},
	{"authority", "dpv:Authority"},
};
/* clang-format on */

#define N_OF(t) (sizeof(t) / sizeof((t)[0]))

static bool set(const char *s)
{
	return s && *s;
}

static const char *pd_term(const char *key)
{
	size_t best = 0;
	const char *term = NULL;

	for (size_t i = 0; key && i < N_OF(pd_terms); i++) {
		size_t n = strlen(pd_terms[i].key);
		if (n > best && strncmp(key, pd_terms[i].key, n) == 0 &&
		    (key[n] == '\0' || key[n] == '.')) {
			best = n;
			term = pd_terms[i].term;
		}
	}
	return term;
}

#define LOOKUP(table, k)                                                                           \
	do {                                                                                       \
		for (size_t i_ = 0; (k) && i_ < N_OF(table); i_++)                                 \
			if (strcmp((k), table[i_].key) == 0)                                       \
				return table[i_].term;                                             \
		return NULL;                                                                       \
	} while (0)

static const char *subject_term(const char *k)
{
	LOOKUP(subject_terms, k);
}

static const char *basis_term(const char *k)
{
	LOOKUP(basis_terms, k);
}

static const char *role_term(const char *k)
{
	LOOKUP(role_terms, k);
}

/* ---- building, with the first failure kept ----------------------------- */

struct dctx {
	const struct pdv_decl *d;
	const char *lang;
	bool ok;
};

/* jansson steals v, on failure too; a NULL v (allocation) is a failure */
static void put(struct dctx *c, json_t *o, const char *key, json_t *v)
{
	if (!o || !v) {
		json_decref(v);
		c->ok = false;
	} else if (json_object_set_new(o, key, v) != 0) {
		c->ok = false;
	}
}

static void push(struct dctx *c, json_t *a, json_t *v)
{
	if (!a || !v) {
		json_decref(v);
		c->ok = false;
	} else if (json_array_append_new(a, v) != 0) {
		c->ok = false;
	}
}

static json_t *ref(struct dctx *c, const char *id)
{
	json_t *o = json_object();

	put(c, o, "@id", json_string(id));
	return o;
}

/* "urn:pdvault:KIND:ID", ids being declaration keys (no space) */
static json_t *pref(struct dctx *c, const char *kind, const char *id)
{
	json_t *o = json_object(), *s;
	char *iri;
	size_t n = strlen(NS_PDVAULT) + strlen(kind) + strlen(id) + 2;

	if (!o || !(iri = malloc(n))) {
		c->ok = false;
		json_decref(o);
		return NULL;
	}
	snprintf(iri, n, "%s%s:%s", NS_PDVAULT, kind, id);
	s = pdv_json_text(iri);
	free(iri);
	put(c, o, "@id", s);
	return o;
}

static json_t *text(const struct dctx *c, const struct pdv_text *t)
{
	const char *s = pdv_text_get(t, c->lang);

	return set(s) ? pdv_json_text(s) : NULL;
}

static void put_text(struct dctx *c, json_t *o, const char *key, const char *s)
{
	if (set(s))
		put(c, o, key, pdv_json_text(s));
}

static json_t *context(struct dctx *c)
{
	json_t *o = json_object();

	put(c, o, "dpv", json_string("https://w3id.org/dpv#"));
	put(c, o, "pd", json_string("https://w3id.org/dpv/pd#"));
	put(c, o, "eu-gdpr", json_string("https://w3id.org/dpv/legal/eu/gdpr#"));
	put(c, o, "loc", json_string("https://w3id.org/dpv/loc#"));
	put(c, o, "dct", json_string("http://purl.org/dc/terms/"));
	put(c, o, "pdvault", json_string(NS_PDVAULT));
	return o;
}

static json_t *controller(struct dctx *c)
{
	const struct pdv_controller *k = &c->d->controller;
	json_t *o = ref(c, NS_PDVAULT "controller");

	put(c, o, "@type", json_string("dpv:DataController"));
	put_text(c, o, "dct:title", k->name.s);
	put_text(c, o, "dct:identifier", k->registration.s);
	put_text(c, o, "dct:description", k->address.s);
	if (set(k->country.s) && strlen(k->country.s) == 2) {
		char loc[8];
		snprintf(loc, sizeof(loc), "loc:%s", k->country.s);
		put(c, o, "dpv:hasCountry", ref(c, loc));
	}
	if (k->dpo.present) {
		json_t *dpo = ref(c, NS_PDVAULT "dpo");
		put(c, dpo, "@type", json_string("dpv:DataProtectionOfficer"));
		put_text(c, dpo, "dct:title", k->dpo.name.s);
		put_text(c, dpo, "dct:description", k->dpo.email.s);
		put(c, o, "dpv:hasDataProtectionOfficer", dpo);
	}
	if (k->representative.present) {
		json_t *rep = ref(c, NS_PDVAULT "representative");
		put(c, rep, "@type", json_string("dpv:Representative"));
		put_text(c, rep, "dct:title", k->representative.name.s);
		put(c, o, "dpv:hasRepresentative", rep);
	}
	return o;
}

static json_t *recipient(struct dctx *c, const struct pdv_recipient *r)
{
	const char *places[RENDER_PLACES_MAX];
	size_t n = render_places(r, places, RENDER_PLACES_MAX);
	const char *role = role_term(r->role.s);
	json_t *o = pref(c, "recipient", r->id.s ? r->id.s : "");
	json_t *types = json_array(), *countries = json_array();

	push(c, types, json_string("dpv:Recipient"));
	if (role)
		push(c, types, json_string(role));
	put(c, o, "@type", types);
	put(c, o, "dct:identifier", pdv_json_text(r->id.s ? r->id.s : ""));
	put_text(c, o, "dct:title", render_recipient_name(r, c->lang));
	put_text(c, o, "dct:description", pdv_text_get(&r->service, c->lang));
	for (size_t i = 0; i < n; i++) {
		char loc[16];
		/* "EEA" and "elsewhere" are no country: said in the description */
		if (strlen(places[i]) != 2)
			continue;
		snprintf(loc, sizeof(loc), "loc:%s", places[i]);
		push(c, countries, ref(c, loc));
	}
	if (json_array_size(countries))
		put(c, o, "dpv:hasCountry", countries);
	else
		json_decref(countries);
	return o;
}

static json_t *storage(struct dctx *c, const struct pdv_activity *a)
{
	char words[WORDS_MAX];
	json_t *list = json_array(), *dur, *cond;
	enum rwords w;

	if (!a->retention.present)
		return list;
	w = render_retention_words(c->d, &a->retention, c->lang, words, sizeof(words));
	dur = json_object();
	put(c, dur, "@type", json_string("dpv:Duration"));
	if (w != RWORDS_ABSENT)
		put(c, dur, "dct:description", pdv_json_text(words));
	cond = json_object();
	put(c, cond, "@type", json_string("dpv:StorageDuration"));
	put(c, cond, "dpv:hasDuration", dur);
	push(c, list, cond);
	if (set(a->retention.end.s)) {
		cond = json_object();
		put(c, cond, "@type", json_string("dpv:StorageDeletion"));
		put(c, cond, "dct:description", pdv_json_text(a->retention.end.s));
		push(c, list, cond);
	}
	return list;
}

static json_t *activity(struct dctx *c, const struct pdv_activity *a)
{
	const char *id = set(a->id.s) ? a->id.s : "";
	json_t *o = pref(c, "activity", id), *v;

	put(c, o, "@type", json_string("dpv:PersonalDataHandling"));
	put(c, o, "dct:identifier", pdv_json_text(id));
	put_text(c, o, "dct:title", render_activity_name(a, c->lang));
	put(c, o, "dpv:hasDataController", ref(c, NS_PDVAULT "controller"));

	v = json_array();
	for (size_t i = 0; i < a->purposes.n; i++) {
		json_t *p = json_object(), *t = text(c, &a->purposes.v[i]);
		put(c, p, "@type", json_string("dpv:Purpose"));
		if (t)
			put(c, p, "dct:description", t);
		push(c, v, p);
	}
	put(c, o, "dpv:hasPurpose", v);

	v = json_array();
	for (size_t i = 0; i < a->basis.n; i++) {
		const char *t = basis_term(a->basis.v[i].s);
		if (t) {
			push(c, v, ref(c, t));
		} else if (set(a->basis.v[i].s)) {
			/* not an Art. 6(1) basis (lint says so): kept, as a pdvault term */
			json_t *b = pref(c, "basis", a->basis.v[i].s);
			put(c, b, "@type", json_string("dpv:LegalBasis"));
			push(c, v, b);
		}
	}
	put(c, o, "dpv:hasLegalBasis", v);

	v = json_array();
	for (size_t i = 0; i < a->n_fields; i++) {
		const char *k = a->fields[i].category.s, *t = pd_term(k);
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen =
			    k && a->fields[j].category.s && strcmp(k, a->fields[j].category.s) == 0;
		if (seen || !set(k))
			continue;
		if (t) {
			push(c, v, ref(c, t));
		} else {
			json_t *p = pref(c, "category", k);
			put(c, p, "@type", json_string("dpv:PersonalData"));
			put_text(c, p, "dct:title", pdv_i18n_taxon(PDV_TAX_CATEGORY, k, c->lang));
			push(c, v, p);
		}
	}
	put(c, o, "dpv:hasPersonalData", v);

	v = json_array();
	for (size_t i = 0; i < a->subjects.n; i++) {
		const char *k = a->subjects.v[i].s, *t = subject_term(k);
		if (t) {
			push(c, v, ref(c, t));
		} else if (set(k)) {
			json_t *p = pref(c, "subject", k);
			put(c, p, "@type", json_string("dpv:DataSubject"));
			put_text(c, p, "dct:title", pdv_i18n_taxon(PDV_TAX_SUBJECT, k, c->lang));
			push(c, v, p);
		}
	}
	put(c, o, "dpv:hasDataSubject", v);

	json_t *all = json_array(), *proc = json_array(), *joint = json_array();
	for (size_t i = 0; i < a->recipients.n; i++) {
		const char *rid = a->recipients.v[i].s;
		const struct pdv_recipient *r = rid ? pdv_decl_recipient(c->d, rid) : NULL;
		if (!set(rid))
			continue;
		push(c, all, pref(c, "recipient", rid));
		if (r && r->role.s && strcmp(r->role.s, "processor") == 0)
			push(c, proc, pref(c, "recipient", rid));
		if (r && r->role.s && strcmp(r->role.s, "joint-controller") == 0)
			push(c, joint, pref(c, "recipient", rid));
	}
	put(c, o, "dpv:hasRecipient", all);
	if (json_array_size(proc))
		put(c, o, "dpv:hasDataProcessor", proc);
	else
		json_decref(proc);
	if (json_array_size(joint))
		put(c, o, "dpv:hasJointDataControllers", joint);
	else
		json_decref(joint);

	put(c, o, "dpv:hasStorageCondition", storage(c, a));
	if (c->d->security.n) {
		v = json_array();
		for (size_t i = 0; i < c->d->security.n; i++) {
			char n[24];
			snprintf(n, sizeof(n), "%zu", i + 1);
			push(c, v, pref(c, "measure", n));
		}
		put(c, o, "dpv:hasTechnicalOrganisationalMeasure", v);
	}
	return o;
}

int render_dpv(const struct pdv_decl *d, const char *lang, struct pdv_buf *out)
{
	struct dctx c = {d, lang, true};
	json_t *root = json_object(), *graph = json_array();
	char *s = NULL;
	int r = PDV_E_NOMEM;

	put(&c, root, "@context", context(&c));
	push(&c, graph, controller(&c));
	for (size_t i = 0; i < d->n_recipients; i++)
		push(&c, graph, recipient(&c, &d->recipients[i]));
	for (size_t i = 0; i < d->security.n; i++) {
		char n[24];
		json_t *m;
		snprintf(n, sizeof(n), "%zu", i + 1);
		m = pref(&c, "measure", n);
		put(&c, m, "@type", json_string("dpv:TechnicalOrganisationalMeasure"));
		put_text(&c, m, "dct:description", pdv_text_get(&d->security.v[i], lang));
		push(&c, graph, m);
	}
	for (size_t i = 0; i < d->n_activities; i++)
		push(&c, graph, activity(&c, &d->activities[i]));
	put(&c, root, "@graph", graph);
	if (!c.ok || !(s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER)))
		goto out;
	if ((r = pdv_buf_puts(out, s)) == 0)
		r = pdv_buf_putc(out, '\n');
out:
	free(s);
	json_decref(root);
	return r;
}
