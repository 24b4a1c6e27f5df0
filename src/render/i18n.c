/*
 * i18n.c — the words of the renderers (English and French string tables for
 * the closed lists of the declaration and for the rights), the output format
 * names, and the Markdown/HTML document writer shared by the notice and the
 * register (render-internal.h).
 *
 * Tables are static and hold our own sentences only; nothing declared is
 * ever written without going through an escaping writer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pdv/retention.h"
#include "pdv/time.h"
#include "i18n.h"
#include "render-internal.h"

/* ---- formats and languages ------------------------------------------- */

/* clang-format off */
static const char *const format_names[] = {
    [PDV_FORMAT_MD] = "md",     [PDV_FORMAT_HTML] = "html",           [PDV_FORMAT_CSV] = "csv",
    [PDV_FORMAT_JSON] = "json", [PDV_FORMAT_CSV_EXCEL] = "csv-excel", [PDV_FORMAT_XLSX] = "xlsx",
    [PDV_FORMAT_DPV] = "dpv",
};
/* clang-format on */

int pdv_format_parse(const char *s, enum pdv_format *ret)
{
	if (!s)
		return PDV_E_INVAL;
	for (size_t i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (strcmp(s, format_names[i]) == 0) {
			*ret = (enum pdv_format)i;
			return 0;
		}
	if (strcmp(s, "markdown") == 0) {
		*ret = PDV_FORMAT_MD;
		return 0;
	}
	return PDV_E_INVAL;
}

const char *pdv_format_name(enum pdv_format f)
{
	if ((size_t)f < sizeof(format_names) / sizeof(format_names[0]))
		return format_names[f];
	return "unknown";
}

bool pdv_format_binary(enum pdv_format fmt)
{
	return fmt == PDV_FORMAT_XLSX;
}

bool pdv_render_lang_supported(const char *lang)
{
	return lang && (strcmp(lang, "en") == 0 || strcmp(lang, "fr") == 0);
}

const char *pdv_render_default_lang(const struct pdv_decl *d)
{
	const char *langs[8];
	size_t n = pdv_decl_languages(d, langs, 8);

	for (size_t i = 0; i < n; i++)
		if (pdv_render_lang_supported(langs[i]))
			return langs[i];
	return "en";
}

/* ---- string tables ---------------------------------------------------- */

bool pdv_i18n_is_fr(const char *lang)
{
	return lang && strcmp(lang, "fr") == 0;
}

const char *pdv_i18n_pick(const char *lang, const char *en, const char *fr)
{
	return pdv_i18n_is_fr(lang) ? fr : en;
}

const char *pdv_i18n_not_stated(const char *lang)
{
	return pdv_i18n_pick(lang, "not stated", "non précisé");
}

struct word {
	const char *key;
	const char *en;
	const char *fr;
};

static const char *lookup(const struct word *tab, size_t n, const char *key, const char *lang)
{
	if (!key)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(tab[i].key, key) == 0)
			return pdv_i18n_pick(lang, tab[i].en, tab[i].fr);
	return NULL;
}

#define LOOKUP(tab, key, lang) lookup((tab), sizeof(tab) / sizeof((tab)[0]), (key), (lang))

/* one row per entry, as the table reads */
/* clang-format off */
static const struct word basis_long[] = {
	{"consent", "your consent", "votre consentement"},
	{"contract", "the performance of a contract with you, or steps taken at your request before entering into one",
	 "l'exécution d'un contrat auquel vous êtes partie, ou de mesures précontractuelles prises à votre demande"},
	{"legal-obligation", "compliance with a legal obligation to which we are subject",
	 "le respect d'une obligation légale à laquelle nous sommes soumis"},
	{"vital-interests", "the protection of your vital interests or those of another person",
	 "la sauvegarde de vos intérêts vitaux ou de ceux d'une autre personne"},
	{"public-task", "a task carried out in the public interest or in the exercise of official authority",
	 "l'exécution d'une mission d'intérêt public ou relevant de l'exercice de l'autorité publique"},
	{"legitimate-interests", "our legitimate interests", "notre intérêt légitime"},
};
/* clang-format on */

/* one row per entry, as the table reads */
/* clang-format off */
static const struct word basis_short[] = {
	{"consent", "Consent", "Consentement"},
	{"contract", "Contract", "Contrat"},
	{"legal-obligation", "Legal obligation", "Obligation légale"},
	{"vital-interests", "Vital interests", "Intérêts vitaux"},
	{"public-task", "Public task", "Mission d'intérêt public"},
	{"legitimate-interests", "Legitimate interests", "Intérêt légitime"},
};
/* clang-format on */

/* one row per entry, as the table reads */
/* clang-format off */
static const struct word basis_article[] = {
	{"consent", "Art. 6(1)(a) GDPR", "art. 6.1.a du RGPD"},
	{"contract", "Art. 6(1)(b) GDPR", "art. 6.1.b du RGPD"},
	{"legal-obligation", "Art. 6(1)(c) GDPR", "art. 6.1.c du RGPD"},
	{"vital-interests", "Art. 6(1)(d) GDPR", "art. 6.1.d du RGPD"},
	{"public-task", "Art. 6(1)(e) GDPR", "art. 6.1.e du RGPD"},
	{"legitimate-interests", "Art. 6(1)(f) GDPR", "art. 6.1.f du RGPD"},
};
/* clang-format on */

const char *pdv_i18n_basis(const char *basis, const char *lang, bool long_form)
{
	return long_form ? LOOKUP(basis_long, basis, lang) : LOOKUP(basis_short, basis, lang);
}

const char *pdv_i18n_basis_article(const char *basis, const char *lang)
{
	return LOOKUP(basis_article, basis, lang);
}

/* one row per entry, as the table reads */
/* clang-format off */
static const struct word roles[] = {
	{"processor", "processor acting on our behalf", "sous-traitant agissant pour notre compte"},
	{"joint-controller", "joint controller", "responsable conjoint du traitement"},
	{"controller", "separate controller", "responsable de traitement distinct"},
	{"authority", "public authority", "autorité publique"},
	{"internal", "internal department", "service interne"},
};
/* clang-format on */

const char *pdv_i18n_recipient_role(const char *role, const char *lang)
{
	return LOOKUP(roles, role, lang);
}

/* one row per entry, as the table reads */
/* clang-format off */
static const struct word safeguards[] = {
	{"adequacy", "a European Commission adequacy decision for the country (Art. 45 GDPR)",
	 "une décision d'adéquation de la Commission européenne pour ce pays (art. 45 du RGPD)"},
	{"dpf", "the EU-US Data Privacy Framework, to which the recipient is certified (Commission adequacy decision of 10 July 2023)",
	 "le Data Privacy Framework UE-États-Unis, auquel le destinataire est certifié (décision d'adéquation de la Commission du 10 juillet 2023)"},
	{"scc", "standard contractual clauses adopted by the European Commission (Decision 2021/914, Art. 46(2)(c) GDPR)",
	 "des clauses contractuelles types adoptées par la Commission européenne (décision 2021/914, art. 46.2.c du RGPD)"},
	{"bcr", "binding corporate rules (Art. 47 GDPR)", "des règles d'entreprise contraignantes (art. 47 du RGPD)"},
	{"art49", "a derogation for a specific situation (Art. 49 GDPR)",
	 "une dérogation pour une situation particulière (art. 49 du RGPD)"},
	{"none", "no safeguard", "aucune garantie"},
};
/* clang-format on */

const char *pdv_i18n_safeguard(const char *safeguard, const char *lang)
{
	return LOOKUP(safeguards, safeguard, lang);
}

/* one row per entry, as the table reads */
/* clang-format off */
static const struct word channels[] = {
	{"email", "by email", "par e-mail"},
	{"post", "by post", "par courrier postal"},
	{"web", "through the online form", "au moyen du formulaire en ligne"},
	{"phone", "by telephone", "par téléphone"},
	{"in-person", "in person", "sur place"},
};
/* clang-format on */

const char *pdv_i18n_channel(const char *channel, const char *lang)
{
	return LOOKUP(channels, channel, lang);
}

/* one row per entry, as the table reads */
/* clang-format off */
static const struct word special[] = {
	{"9-2-a", "your explicit consent (Art. 9(2)(a) GDPR)", "votre consentement explicite (art. 9.2.a du RGPD)"},
	{"9-2-b", "obligations in the field of employment and social security law (Art. 9(2)(b) GDPR)",
	 "des obligations en matière de droit du travail et de la sécurité sociale (art. 9.2.b du RGPD)"},
	{"9-2-c", "the protection of vital interests of a person unable to consent (Art. 9(2)(c) GDPR)",
	 "la sauvegarde des intérêts vitaux d'une personne hors d'état de consentir (art. 9.2.c du RGPD)"},
	{"9-2-d", "the legitimate activities of a not-for-profit body, for its members (Art. 9(2)(d) GDPR)",
	 "les activités légitimes d'un organisme à but non lucratif, pour ses membres (art. 9.2.d du RGPD)"},
	{"9-2-e", "data you have manifestly made public (Art. 9(2)(e) GDPR)",
	 "des données que vous avez manifestement rendues publiques (art. 9.2.e du RGPD)"},
	{"9-2-f", "the establishment, exercise or defence of legal claims (Art. 9(2)(f) GDPR)",
	 "la constatation, l'exercice ou la défense d'un droit en justice (art. 9.2.f du RGPD)"},
	{"9-2-g", "reasons of substantial public interest laid down by law (Art. 9(2)(g) GDPR)",
	 "un motif d'intérêt public important prévu par la loi (art. 9.2.g du RGPD)"},
	{"9-2-h", "preventive or occupational medicine, health or social care (Art. 9(2)(h) GDPR)",
	 "la médecine préventive ou du travail, les soins ou la protection sociale (art. 9.2.h du RGPD)"},
	{"9-2-i", "reasons of public interest in the area of public health (Art. 9(2)(i) GDPR)",
	 "un motif d'intérêt public dans le domaine de la santé publique (art. 9.2.i du RGPD)"},
	{"9-2-j", "archiving in the public interest, scientific or historical research or statistics (Art. 9(2)(j) GDPR)",
	 "l'archivage dans l'intérêt public, la recherche scientifique ou historique ou la statistique (art. 9.2.j du RGPD)"},
	{"lil-46", "a ground of Art. 46 of the French Data Protection Act (data on offences and convictions)",
	 "un cas prévu à l'article 46 de la loi Informatique et Libertés (données d'infractions et de condamnations)"},
};
/* clang-format on */

const char *pdv_i18n_special_condition(const char *cond, const char *lang)
{
	return LOOKUP(special, cond, lang);
}

/* one row per entry, as the table reads */
/* clang-format off */
static const struct word tracker_consent[] = {
	{"required", "your consent is required", "votre consentement est requis"},
	{"exempt", "exempt from consent", "exempté de consentement"},
};
/* clang-format on */

const char *pdv_i18n_tracker_consent(const char *consent, const char *lang)
{
	return LOOKUP(tracker_consent, consent, lang);
}

/* one row per entry, as the table reads */
/* clang-format off */
static const struct word tracker_category[] = {
	{"necessary", "strictly necessary", "strictement nécessaire"},
	{"audience", "audience measurement", "mesure d'audience"},
	{"functional", "functional", "fonctionnel"},
	{"advertising", "advertising", "publicité"},
	{"social", "social networks", "réseaux sociaux"},
};
/* clang-format on */

const char *pdv_i18n_tracker_category(const char *category, const char *lang)
{
	return LOOKUP(tracker_category, category, lang);
}

struct right_words {
	const char *key;
	const char *title_en, *title_fr;
	const char *text_en, *text_fr;
};

static const struct right_words rights[PDV_RIGHT_COUNT_] = {
    [PDV_RIGHT_ACCESS] =
        {"access", "Right of access (Art. 15 GDPR)", "Droit d'accès (art. 15 du RGPD)",
         "You may ask whether we process data about you and, if so, obtain a copy of it together "
         "with the purposes, the categories of data, the recipients, the retention period, the "
         "source and your rights. The first copy is free.",
         "Vous pouvez nous demander si nous traitons des données vous concernant et, le cas "
         "échéant, en obtenir une copie, avec les finalités, les catégories de données, les "
         "destinataires, la durée de conservation, la source et vos droits. La première copie est "
         "gratuite."},
    [PDV_RIGHT_RECTIFICATION] =
        {"rectification", "Right to rectification (Art. 16 GDPR)",
         "Droit de rectification (art. 16 du RGPD)",
         "You may have inaccurate data about you corrected and incomplete data completed.",
         "Vous pouvez faire corriger les données inexactes vous concernant et compléter les "
         "données incomplètes."},
    [PDV_RIGHT_ERASURE] =
        {"erasure", "Right to erasure (Art. 17 GDPR)", "Droit à l'effacement (art. 17 du RGPD)",
         "You may have your data erased, in particular when it is no longer needed, when you "
         "withdraw your consent or object, or when it was processed unlawfully. We may keep data "
         "that the law obliges us to keep or that we need for legal claims, and we tell you so.",
         "Vous pouvez obtenir l'effacement de vos données, notamment lorsqu'elles ne sont plus "
         "nécessaires, lorsque vous retirez votre consentement ou vous opposez au traitement, ou "
         "lorsqu'elles ont été traitées illicitement. Nous pouvons conserver les données que la "
         "loi nous oblige à garder ou qui sont nécessaires à la défense de nos droits en justice, "
         "et nous vous l'indiquons."},
    [PDV_RIGHT_RESTRICTION] =
        {"restriction", "Right to restriction of processing (Art. 18 GDPR)",
         "Droit à la limitation du traitement (art. 18 du RGPD)",
         "You may ask us to keep your data without otherwise using it while you contest its "
         "accuracy or while we examine your objection, when the processing is unlawful and you "
         "prefer restriction to erasure, or when you need the data for legal claims. We tell you "
         "before the restriction is lifted.",
         "Vous pouvez nous demander de conserver vos données sans les utiliser autrement pendant "
         "que vous contestez leur exactitude ou que nous examinons votre opposition, lorsque le "
         "traitement est illicite et que vous préférez la limitation à l'effacement, ou lorsque "
         "vous en avez besoin pour un droit en justice. Nous vous prévenons avant de lever la "
         "limitation."},
    [PDV_RIGHT_NOTIFICATION] = {"notification", "Notification of recipients (Art. 19 GDPR)",
                                "Notification aux destinataires (art. 19 du RGPD)",
                                "We tell each recipient of your data about any rectification, "
                                "erasure or restriction, and on request we tell you who they are.",
                                "Nous informons chaque destinataire de vos données de toute "
                                "rectification, tout effacement ou toute limitation, et nous vous "
                                "indiquons ces destinataires si vous le demandez."},
    [PDV_RIGHT_PORTABILITY] =
        {"portability", "Right to data portability (Art. 20 GDPR)",
         "Droit à la portabilité (art. 20 du RGPD)",
         "You may receive the data you provided to us in a structured, commonly used and "
         "machine-readable format, and have it sent directly to another organisation where "
         "technically feasible.",
         "Vous pouvez recevoir les données que vous nous avez fournies dans un format structuré, "
         "couramment utilisé et lisible par machine, et les faire transmettre directement à un "
         "autre organisme lorsque c'est techniquement possible."},
    [PDV_RIGHT_OBJECTION] =
        {"objection", "Right to object (Art. 21(1) GDPR)", "Droit d'opposition (art. 21.1 du RGPD)",
         "You may object at any time, on grounds relating to your particular situation, to "
         "processing based on our legitimate interests or on a task in the public interest. We "
         "then stop, unless we demonstrate compelling legitimate grounds that override your "
         "interests, rights and freedoms, or need the data for legal claims.",
         "Vous pouvez vous opposer à tout moment, pour des raisons tenant à votre situation "
         "particulière, à un traitement fondé sur notre intérêt légitime ou sur une mission "
         "d'intérêt public. Nous cessons alors le traitement, sauf motifs légitimes et impérieux "
         "prévalant sur vos intérêts, droits et libertés, ou pour la défense de droits en "
         "justice."},
    [PDV_RIGHT_OBJECTION_MARKETING] =
        {"objection", "Right to object to direct marketing (Art. 21(2) and (3) GDPR)",
         "Droit d'opposition à la prospection (art. 21.2 et 21.3 du RGPD)",
         "You may object at any time, without giving reasons, to the use of your data for direct "
         "marketing, including profiling related to it. This right is absolute: we then stop using "
         "your data for that purpose.",
         "Vous pouvez vous opposer à tout moment, sans avoir à vous justifier, à l'utilisation de "
         "vos données à des fins de prospection, y compris au profilage lié à la prospection. Ce "
         "droit est absolu : nous cessons alors d'utiliser vos données à cette fin."},
    [PDV_RIGHT_WITHDRAWAL] =
        {"withdrawal", "Right to withdraw your consent (Art. 7(3) GDPR)",
         "Droit de retirer votre consentement (art. 7.3 du RGPD)",
         "Where we rely on your consent, you may withdraw it at any time, as easily as you gave "
         "it. Withdrawal does not affect the lawfulness of the processing carried out before it.",
         "Lorsque le traitement repose sur votre consentement, vous pouvez le retirer à tout "
         "moment, aussi facilement que vous l'avez donné. Le retrait ne remet pas en cause la "
         "licéité du traitement effectué avant celui-ci."},
    [PDV_RIGHT_AUTOMATED] =
        {"automated-decision", "Rights about automated decisions (Art. 22 GDPR)",
         "Droits relatifs aux décisions automatisées (art. 22 du RGPD)",
         "Where a decision about you is taken solely by automated means and significantly affects "
         "you, you may obtain human intervention, express your point of view and contest the "
         "decision.",
         "Lorsqu'une décision vous concernant est prise exclusivement par un traitement automatisé "
         "et vous affecte de manière significative, vous pouvez obtenir une intervention humaine, "
         "exprimer votre point de vue et contester la décision."},
    [PDV_RIGHT_POST_MORTEM] =
        {"post-mortem", "Directives after death (Art. 85 of the French Data Protection Act)",
         "Directives post mortem (art. 85 de la loi Informatique et Libertés)",
         "You may give us directives on the retention, erasure and communication of your data "
         "after your death, and name a person to carry them out. Without directives, your heirs "
         "may exercise some of your rights to settle your estate or close your accounts.",
         "Vous pouvez nous donner des directives relatives à la conservation, à l'effacement et à "
         "la communication de vos données après votre décès, et désigner une personne chargée de "
         "les exécuter. En l'absence de directives, vos héritiers peuvent exercer certains de vos "
         "droits pour régler votre succession ou clôturer vos comptes."},
};

const char *pdv_i18n_right_key(enum pdv_right r)
{
	return (unsigned)r < PDV_RIGHT_COUNT_ ? rights[r].key : "";
}

const char *pdv_i18n_right_title(enum pdv_right r, const char *lang)
{
	if ((unsigned)r >= PDV_RIGHT_COUNT_)
		return "";
	return pdv_i18n_pick(lang, rights[r].title_en, rights[r].title_fr);
}

const char *pdv_i18n_right_text(enum pdv_right r, const char *lang)
{
	if ((unsigned)r >= PDV_RIGHT_COUNT_)
		return "";
	return pdv_i18n_pick(lang, rights[r].text_en, rights[r].text_fr);
}

const char *pdv_i18n_taxon(enum pdv_taxonomy t, const char *key, const char *lang)
{
	const struct pdv_taxon *x = key ? pdv_taxonomy_find(t, key) : NULL;

	if (!x)
		return NULL;
	if (pdv_i18n_is_fr(lang) && x->name_fr)
		return x->name_fr;
	if (!x->name)
		return x->key;
	/* fideslang names many categories "User Contact Email", "User Website":
	 * the prefix speaks of the data model, not to the reader */
	static const char *const prefixes[] = {"User Contact ", "User "};
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t n = strlen(prefixes[i]);
		if (strncmp(x->name, prefixes[i], n) == 0 && x->name[n])
			return x->name + n;
	}
	return x->name;
}

bool pdv_i18n_duration(const char *s, const char *lang, char *buf, size_t size)
{
	static const char *const units[][4] = {
	    /* en one, en many, fr one, fr many */
	    [PDV_UNIT_DAY] = {"day", "days", "jour", "jours"},
	    [PDV_UNIT_WEEK] = {"week", "weeks", "semaine", "semaines"},
	    [PDV_UNIT_MONTH] = {"month", "months", "mois", "mois"},
	    [PDV_UNIT_YEAR] = {"year", "years", "an", "ans"},
	    [PDV_UNIT_HOUR] = {"hour", "hours", "heure", "heures"},
	};
	struct pdv_duration dur;
	bool fr = pdv_i18n_is_fr(lang);

	if (!s || !size)
		return false;
	if (strcmp(s, "session") == 0) {
		pdv_strlcpy(buf, fr ? "la durée de la session" : "the browsing session", size);
		return true;
	}
	if (pdv_duration_parse(s, false, &dur, NULL) < 0 || (unsigned)dur.unit > PDV_UNIT_HOUR)
		return false;
	snprintf(buf, size, "%lld %s", (long long)dur.n,
	         units[dur.unit][(fr ? 2 : 0) + (dur.n == 1 ? 0 : 1)]);
	return true;
}

bool pdv_i18n_span(const char *s, const char *lang, char *buf, size_t size)
{
	struct pdv_span sp;

	if (!s || !size || pdv_span_parse(s, &sp, NULL) < 0)
		return false;
	return pdv_span_describe(&sp, lang, buf, size) >= 0;
}

/* ---- the declaration in words ---------------------------------------- */

enum rwords render_retention_words(const struct pdv_decl *d, const struct pdv_retention_decl *rd,
                                   const char *lang, char *buf, size_t size)
{
	struct pdv_retention r;
	bool fr = pdv_i18n_is_fr(lang);

	if (!size)
		return RWORDS_ABSENT;
	buf[0] = '\0';
	if (!rd || !rd->present)
		return RWORDS_ABSENT;
	if (pdv_retention_compile(d, rd, &r, NULL) == 0 &&
	    pdv_retention_describe(&r, lang, buf, size) >= 0 && buf[0])
		return RWORDS_DESCRIBED;
	/* not computable: show what the controller wrote, never fail */
	snprintf(buf, size, "%s%s%s%s%s", rd->active.s ? rd->active.s : pdv_i18n_not_stated(lang),
	         rd->archive.s ? (fr ? " ; archivage : " : "; archive: ") : "",
	         rd->archive.s ? rd->archive.s : "",
	         rd->end.s ? (fr ? " ; à l'issue : " : "; at the end: ") : "",
	         rd->end.s ? rd->end.s : "");
	return RWORDS_AS_WRITTEN;
}

const char *render_recipient_name(const struct pdv_recipient *r, const char *lang)
{
	const char *s = pdv_text_get(&r->name, lang);

	if (s && *s)
		return s;
	return r->id.s ? r->id.s : pdv_i18n_not_stated(lang);
}

const char *render_activity_name(const struct pdv_activity *a, const char *lang)
{
	const char *s = pdv_text_get(&a->name, lang);

	if (s && *s)
		return s;
	return a->id.s ? a->id.s : pdv_i18n_not_stated(lang);
}

bool render_has_basis(const struct pdv_activity *a, const char *basis)
{
	return pdv_strlist_has(&a->basis, basis);
}

bool render_is_marketing(const struct pdv_activity *a)
{
	for (size_t i = 0; i < a->uses.n; i++)
		if (a->uses.v[i].s && pdv_taxonomy_under(a->uses.v[i].s, "marketing"))
			return true;
	return false;
}

bool render_place_outside_eea(const char *place)
{
	if (!place || !place[0] || strcmp(place, "EEA") == 0)
		return false;
	return strcmp(place, "elsewhere") == 0 || !pdv_country_in_eea(place);
}

const char *render_place_name(const char *place, const char *lang)
{
	if (place && strcmp(place, "EEA") == 0)
		return pdv_i18n_pick(lang, "in the EEA (country not named)",
		                     "dans l'EEE (pays non précisé)");
	if (place && strcmp(place, "elsewhere") == 0)
		return pdv_i18n_pick(lang, "outside the EEA (country not named)",
		                     "hors de l'EEE (pays non précisé)");
	return pdv_country_name(place, lang);
}

size_t render_places(const struct pdv_recipient *r, const char **ret, size_t max)
{
	size_t n = 0;

	if (r->country.s && r->country.s[0] && n < max)
		ret[n++] = r->country.s;
	for (size_t i = 0; i < r->countries.n && n < max; i++) {
		const char *c = r->countries.v[i].s;
		bool seen = false;
		if (!c || !c[0])
			continue;
		for (size_t j = 0; j < n && !seen; j++)
			seen = strcmp(ret[j], c) == 0;
		if (!seen)
			ret[n++] = c;
	}
	return n;
}

bool render_outside_eea(const struct pdv_recipient *r)
{
	const char *places[RENDER_PLACES_MAX];
	size_t n = render_places(r, places, RENDER_PLACES_MAX);

	for (size_t i = 0; i < n; i++)
		if (render_place_outside_eea(places[i]))
			return true;
	return false;
}

bool render_located(const struct pdv_recipient *r)
{
	const char *places[RENDER_PLACES_MAX];

	return render_places(r, places, RENDER_PLACES_MAX) > 0;
}

const char *render_field_category(const struct pdv_field *f, const char *lang)
{
	const char *n = pdv_i18n_taxon(PDV_TAX_CATEGORY, f->category.s, lang);

	if (n)
		return n;
	if (f->category.s && f->category.s[0])
		return f->category.s;
	if (f->name.s && f->name.s[0])
		return f->name.s;
	return pdv_i18n_not_stated(lang);
}

const char *render_field_label(const struct pdv_activity *a, size_t i, const char *lang,
                               char buf[static RENDER_LABEL_MAX])
{
	const struct pdv_field *f = &a->fields[i];
	const char *label = render_field_category(f, lang);
	bool shared = false;

	for (size_t j = 0; j < a->n_fields && !shared; j++)
		shared = j != i && strcmp(render_field_category(&a->fields[j], lang), label) == 0;
	if (!shared || !f->name.s || !*f->name.s ||
	    (size_t)snprintf(buf, RENDER_LABEL_MAX, "%s (%s)", label, f->name.s) >=
	        RENDER_LABEL_MAX)
		snprintf(buf, RENDER_LABEL_MAX, "%s", label);
	return buf;
}

/* ---- dates ------------------------------------------------------------- */

static const char *const months_en[12] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};
static const char *const months_fr[12] = {
    "janvier", "février", "mars",      "avril",   "mai",      "juin",
    "juillet", "août",    "septembre", "octobre", "novembre", "décembre",
};

void render_date_words(pdv_day_t day, const char *lang, char buf[static RENDER_DATE_MAX])
{
	struct pdv_date d = pdv_day_to_date(day);

	/* outside years 1..9999 a day is no date a reader can take as one
	 * ("1 January 10000" from a damaged time): the short form's marker,
	 * the same in both languages */
	if (!pdv_date_valid(d))
		pdv_date_format(d, buf);
	else if (pdv_i18n_is_fr(lang))
		/* French writes the first of the month as an ordinal: 1er mars */
		snprintf(buf, RENDER_DATE_MAX, "%d%s %s %d", d.day, d.day == 1 ? "er" : "",
		         months_fr[d.month - 1], d.year);
	else
		snprintf(buf, RENDER_DATE_MAX, "%d %s %d", d.day, months_en[d.month - 1], d.year);
}

void render_date_short(pdv_day_t day, const char *lang, char buf[static 11])
{
	struct pdv_date d = pdv_day_to_date(day);

	/* past years 1..9999 the year would be cut to 4 digits, a date of
	 * another year: pdv_date_format's marker instead */
	if (pdv_i18n_is_fr(lang) && pdv_date_valid(d))
		snprintf(buf, 11, "%02u/%02u/%04u", (unsigned)d.day % 100u,
		         (unsigned)d.month % 100u, (unsigned)d.year % 10000u);
	else
		pdv_date_format(d, buf);
}

/* ---- the document writer ---------------------------------------------- */

static const char page_style[] =
    "body{margin:0;background:#fff;color:#1b1b1b;"
    "font:1rem/1.55 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica "
    "Neue\",Arial,sans-serif}\n"
    "main{max-width:50rem;margin:0 auto;padding:1.5rem 1.25rem 3rem}\n"
    "h1{font-size:1.9rem;line-height:1.2}\n"
    "h2{font-size:1.45rem;margin-top:2.2rem;padding-bottom:.2rem;border-bottom:2px solid #d0d0d0}\n"
    "h3{font-size:1.15rem;margin-top:1.6rem}\n"
    "a{color:#0b4f9c}\n"
    "a:focus{outline:3px solid #0b4f9c;outline-offset:2px}\n"
    "table{border-collapse:collapse;width:100%;margin:1rem 0}\n"
    "caption{text-align:left;font-weight:600;padding:.3rem 0}\n"
    "th,td{border:1px solid #8a8a8a;padding:.4rem .6rem;text-align:left;vertical-align:top}\n"
    "thead th{background:#ececec}\n"
    "tbody th{background:#f7f7f7;font-weight:600;width:30%}\n"
    "li{margin:.3rem 0}\n"
    "@media print{\n"
    "body{font-size:10.5pt;color:#000}\n"
    "main{max-width:none;padding:0}\n"
    "a{color:#000;text-decoration:underline}\n"
    "a[href^=\"http\"]::after{content:\" (\" attr(href) \")\";font-size:90%}\n"
    "h2,h3{break-after:avoid;page-break-after:avoid}\n"
    "tr,li{break-inside:avoid;page-break-inside:avoid}\n"
    "thead{display:table-header-group}\n"
    "thead th,tbody th{background:none}\n"
    "}\n";

void rdoc_init(struct rdoc *d, struct pdv_buf *out, enum pdv_format fmt, const char *lang)
{
	memset(d, 0, sizeof(*d));
	d->out = out;
	d->fmt = fmt;
	d->lang = lang;
}

int rdoc_finish(struct rdoc *d)
{
	return d->rc;
}

static void keep(struct rdoc *d, int r)
{
	if (r < 0 && d->rc == 0)
		d->rc = r;
}

static bool html(const struct rdoc *d)
{
	return d->fmt == PDV_FORMAT_HTML;
}

void rdoc_raw(struct rdoc *d, const char *s)
{
	if (d->rc == 0 && s)
		keep(d, pdv_buf_puts(d->out, s));
}

void rdoc_rawf(struct rdoc *d, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;

	if (d->rc)
		return;
	va_start(ap, fmt);
	pdv_vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	rdoc_raw(d, tmp);
}

void rdoc_text(struct rdoc *d, const char *s)
{
	if (d->rc || !s)
		return;
	keep(d, html(d) ? pdv_buf_put_html(d->out, s) : pdv_buf_put_md(d->out, s));
}

void rdoc_tr(struct rdoc *d, const char *en, const char *fr)
{
	/* our sentences hold apostrophes and parentheses only, but escape anyway:
	 * cheap, and a later edit of a table cannot break the markup */
	rdoc_text(d, pdv_i18n_pick(d->lang, en, fr));
}

void rdoc_dtext(struct rdoc *d, const struct pdv_text *t)
{
	const char *s = t ? pdv_text_get(t, d->lang) : NULL;

	rdoc_text(d, s && *s ? s : pdv_i18n_not_stated(d->lang));
}

void rdoc_dstr(struct rdoc *d, const struct pdv_str *s)
{
	rdoc_text(d, s && s->s && *s->s ? s->s : pdv_i18n_not_stated(d->lang));
}

void rdoc_page_begin(struct rdoc *d, const char *title, const char *subtitle)
{
	if (html(d)) {
		rdoc_raw(d, "<!DOCTYPE html>\n<html lang=\"");
		rdoc_raw(d, pdv_i18n_is_fr(d->lang) ? "fr" : "en");
		rdoc_raw(
		    d, "\">\n<head>\n<meta charset=\"utf-8\">\n"
		       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		       "<title>");
		rdoc_text(d, title);
		if (subtitle) {
			rdoc_raw(d, " — ");
			rdoc_text(d, subtitle);
		}
		rdoc_raw(d, "</title>\n<style>\n");
		rdoc_raw(d, page_style);
		rdoc_raw(d, "</style>\n</head>\n<body>\n<main>\n");
	}
	rdoc_h_begin(d, 1);
	rdoc_text(d, title);
	if (subtitle) {
		rdoc_raw(d, " — ");
		rdoc_text(d, subtitle);
	}
	rdoc_h_end(d, 1);
}

void rdoc_page_end(struct rdoc *d)
{
	if (html(d))
		rdoc_raw(d, "</main>\n</body>\n</html>\n");
}

void rdoc_h_begin(struct rdoc *d, int level)
{
	static const char hashes[] = "######";

	if (level < 1)
		level = 1;
	if (level > 6)
		level = 6;
	if (html(d))
		rdoc_rawf(d, "<h%d>", level);
	else
		rdoc_rawf(d, "%.*s ", level, hashes);
}

void rdoc_h_end(struct rdoc *d, int level)
{
	if (level < 1)
		level = 1;
	if (level > 6)
		level = 6;
	if (html(d))
		rdoc_rawf(d, "</h%d>\n", level);
	else
		rdoc_raw(d, "\n\n");
}

void rdoc_p_begin(struct rdoc *d)
{
	if (html(d))
		rdoc_raw(d, "<p>");
}

void rdoc_p_end(struct rdoc *d)
{
	rdoc_raw(d, html(d) ? "</p>\n" : "\n\n");
}

void rdoc_ul_begin(struct rdoc *d)
{
	if (html(d))
		rdoc_raw(d, "<ul>\n");
}

void rdoc_ul_end(struct rdoc *d)
{
	rdoc_raw(d, html(d) ? "</ul>\n" : "\n");
}

void rdoc_li_begin(struct rdoc *d)
{
	rdoc_raw(d, html(d) ? "<li>" : "- ");
}

void rdoc_li_end(struct rdoc *d)
{
	rdoc_raw(d, html(d) ? "</li>\n" : "\n");
}

void rdoc_label(struct rdoc *d, const char *en, const char *fr)
{
	rdoc_raw(d, html(d) ? "<strong>" : "**");
	rdoc_tr(d, en, fr);
	rdoc_raw(d, html(d) ? "</strong>" : "**");
	/* French typography puts a space before the colon */
	rdoc_raw(d, pdv_i18n_is_fr(d->lang) ? " : " : ": ");
}

const char *rdoc_semi(const struct rdoc *d)
{
	return pdv_i18n_is_fr(d->lang) ? " ; " : "; ";
}

void rdoc_basis(struct rdoc *d, const struct pdv_activity *a, bool long_form)
{
	if (!a->basis.n)
		rdoc_text(d, pdv_i18n_not_stated(d->lang));
	for (size_t i = 0; i < a->basis.n; i++) {
		const char *b = a->basis.v[i].s;
		const char *words = pdv_i18n_basis(b, d->lang, long_form);

		if (i)
			rdoc_raw(d, rdoc_semi(d));
		if (words) {
			rdoc_text(d, words);
			rdoc_raw(d, " (");
			rdoc_text(d, pdv_i18n_basis_article(b, d->lang));
			rdoc_raw(d, ")");
		} else {
			rdoc_text(d, b ? b : pdv_i18n_not_stated(d->lang));
		}
	}
}

static bool safe_url(const char *url)
{
	return url && (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0) &&
	       !strpbrk(url, " \t\r\n<>\"'`()[]");
}

void rdoc_link(struct rdoc *d, const char *url, const char *text)
{
	if (!url)
		return;
	if (!text)
		text = url;
	if (!safe_url(url)) {
		/* not a web address we can vouch for (javascript:, spaces...):
		 * shown as text, never as a link */
		rdoc_text(d, text);
		if (text != url) {
			rdoc_raw(d, " (");
			rdoc_text(d, url);
			rdoc_raw(d, ")");
		}
		return;
	}
	if (html(d)) {
		rdoc_raw(d, "<a href=\"");
		rdoc_text(d, url);
		rdoc_raw(d, "\">");
		rdoc_text(d, text);
		rdoc_raw(d, "</a>");
	} else if (text == url || strcmp(text, url) == 0) {
		rdoc_raw(d, "<");
		rdoc_raw(d, url); /* safe_url: no character that ends an autolink */
		rdoc_raw(d, ">");
	} else {
		rdoc_raw(d, "[");
		rdoc_text(d, text);
		rdoc_raw(d, "](");
		rdoc_raw(d, url);
		rdoc_raw(d, ")");
	}
}

void rdoc_table_begin(struct rdoc *d, const char *caption_en, const char *caption_fr, size_t cols)
{
	d->cols = cols;
	if (html(d)) {
		rdoc_raw(d, "<table>\n");
		if (caption_en) {
			rdoc_raw(d, "<caption>");
			rdoc_tr(d, caption_en, caption_fr);
			rdoc_raw(d, "</caption>\n");
		}
		rdoc_raw(d, "<thead>\n");
	} else if (caption_en) {
		rdoc_tr(d, caption_en, caption_fr);
		rdoc_raw(d, "\n\n");
	}
	rdoc_row_begin(d);
	d->head_row = true;
}

void rdoc_table_body(struct rdoc *d)
{
	rdoc_row_end(d);
	d->head_row = false;
	if (html(d)) {
		rdoc_raw(d, "</thead>\n<tbody>\n");
		return;
	}
	rdoc_raw(d, "|");
	for (size_t i = 0; i < d->cols; i++)
		rdoc_raw(d, " --- |");
	rdoc_raw(d, "\n");
}

void rdoc_table_end(struct rdoc *d)
{
	rdoc_raw(d, html(d) ? "</tbody>\n</table>\n" : "\n");
	d->cols = 0;
}

void rdoc_row_begin(struct rdoc *d)
{
	d->row_cells = 0;
	rdoc_raw(d, html(d) ? "<tr>" : "|");
}

void rdoc_row_end(struct rdoc *d)
{
	/* a short row still has the table's width, so md stays well formed */
	while (d->row_cells < d->cols) {
		rdoc_cell_begin(d, false);
		rdoc_cell_end(d);
	}
	rdoc_raw(d, html(d) ? "</tr>\n" : "\n");
}

void rdoc_cell_begin(struct rdoc *d, bool row_header)
{
	d->row_cells++;
	d->cell_th = row_header;
	if (!html(d))
		rdoc_raw(d, " ");
	else if (d->head_row)
		rdoc_raw(d, "<th scope=\"col\">");
	else
		rdoc_raw(d, row_header ? "<th scope=\"row\">" : "<td>");
}

void rdoc_cell_end(struct rdoc *d)
{
	if (!html(d))
		rdoc_raw(d, " |");
	else if (d->head_row)
		rdoc_raw(d, "</th>");
	else
		rdoc_raw(d, d->cell_th ? "</th>" : "</td>");
}

void rdoc_th(struct rdoc *d, const char *en, const char *fr)
{
	rdoc_cell_begin(d, false);
	rdoc_tr(d, en, fr);
	rdoc_cell_end(d);
}
