/*
 * notice.c — the privacy notice (Art. 13 and 14 GDPR), in Markdown or as one
 * standalone HTML page, in English or French.
 *
 * The notice is written for the public: every element Art. 13(1)-(2) and
 * 14(1)-(2) asks for, in plain words, per activity; then the rights that
 * apply to these activities (portability only where the basis is consent or
 * contract, objection per basis, the absolute objection to direct marketing
 * set apart as Art. 21(4) wants); then cookies. A declaration with gaps
 * still renders: a missing element reads "not stated", and a retention that
 * does not compile is shown as written. Output depends on the declaration
 * and the language only (no date), so the same input gives the same bytes.
 */
#include <string.h>

#include "pdv/render.h"
#include "i18n.h"
#include "render-internal.h"

#define WORDS_MAX 1024

static bool fr(const struct rdoc *doc)
{
	return pdv_i18n_is_fr(doc->lang);
}

/* where people write to: the DPO when there is one, else the controller */
static const char *contact_email(const struct pdv_decl *d)
{
	if (d->controller.dpo.email.s && *d->controller.dpo.email.s)
		return d->controller.dpo.email.s;
	if (d->controller.email.s && *d->controller.email.s)
		return d->controller.email.s;
	return NULL;
}

static const char *contact_address(const struct pdv_decl *d)
{
	if (d->controller.dpo.address.s && *d->controller.dpo.address.s)
		return d->controller.dpo.address.s;
	if (d->controller.address.s && *d->controller.address.s)
		return d->controller.address.s;
	return NULL;
}

static void sep(struct rdoc *doc, size_t i, const char *s)
{
	if (i)
		rdoc_raw(doc, s);
}

/* ---- who we are ------------------------------------------------------- */

static void contact_items(struct rdoc *doc, const struct pdv_contact *c)
{
	bool any = false;

	if (c->name.s && *c->name.s) {
		rdoc_text(doc, c->name.s);
		any = true;
	}
	if (c->email.s && *c->email.s) {
		rdoc_raw(doc, any ? ", " : "");
		rdoc_text(doc, c->email.s);
		any = true;
	}
	if (c->address.s && *c->address.s) {
		rdoc_raw(doc, any ? ", " : "");
		rdoc_text(doc, c->address.s);
		any = true;
	}
	if (c->phone.s && *c->phone.s) {
		rdoc_raw(doc, any ? ", " : "");
		rdoc_text(doc, c->phone.s);
		any = true;
	}
	if (!any)
		rdoc_text(doc, pdv_i18n_not_stated(doc->lang));
}

static void write_controller(struct rdoc *doc, const struct pdv_decl *d)
{
	const struct pdv_controller *c = &d->controller;

	rdoc_h_begin(doc, 2);
	rdoc_tr(doc, "Who is responsible for your data", "Qui est responsable de vos données");
	rdoc_h_end(doc, 2);
	rdoc_p_begin(doc);
	rdoc_tr(doc, "The controller of the processing described in this notice is:",
	        "Le responsable des traitements décrits dans cette politique est :");
	rdoc_p_end(doc);
	rdoc_ul_begin(doc);

	rdoc_li_begin(doc);
	rdoc_label(doc, "Controller", "Responsable du traitement");
	rdoc_dstr(doc, &c->name);
	if (c->legal_form.s && *c->legal_form.s) {
		rdoc_raw(doc, ", ");
		rdoc_text(doc, c->legal_form.s);
	}
	if (c->registration.s && *c->registration.s) {
		rdoc_raw(doc, ", ");
		rdoc_text(doc, c->registration.s);
	}
	rdoc_li_end(doc);

	rdoc_li_begin(doc);
	rdoc_label(doc, "Address", "Adresse");
	rdoc_dstr(doc, &c->address);
	rdoc_li_end(doc);

	rdoc_li_begin(doc);
	rdoc_label(doc, "Email", "E-mail");
	rdoc_dstr(doc, &c->email);
	rdoc_li_end(doc);

	if (c->phone.s && *c->phone.s) {
		rdoc_li_begin(doc);
		rdoc_label(doc, "Telephone", "Téléphone");
		rdoc_text(doc, c->phone.s);
		rdoc_li_end(doc);
	}

	rdoc_li_begin(doc);
	rdoc_label(doc, "Data protection officer (DPO)",
	           "Délégué à la protection des données (DPO)");
	if (c->dpo.present)
		contact_items(doc, &c->dpo);
	else
		rdoc_tr(doc, "none designated; write to the controller at the addresses above",
		        "aucun n'est désigné ; écrivez au responsable du traitement aux adresses "
		        "ci-dessus");
	rdoc_li_end(doc);

	if (c->representative.present) {
		rdoc_li_begin(doc);
		rdoc_label(doc, "Representative in the European Union (Art. 27 GDPR)",
		           "Représentant dans l'Union européenne (art. 27 du RGPD)");
		contact_items(doc, &c->representative);
		rdoc_li_end(doc);
	}
	rdoc_ul_end(doc);
}

/* ---- one activity ----------------------------------------------------- */

/*
 * A recipient's places, each after ", " (recipients[].country and
 * .countries: "mainly in the EU" reads "in the EEA (country not named),
 * outside the EEA (country not named)"); only those outside the EEA when
 * only_outside.
 */
static void write_places(struct rdoc *doc, const struct pdv_recipient *r, bool only_outside)
{
	const char *places[RENDER_PLACES_MAX];
	size_t n = render_places(r, places, RENDER_PLACES_MAX), k = 0;

	for (size_t i = 0; i < n; i++) {
		if (only_outside && !render_place_outside_eea(places[i]))
			continue;
		rdoc_raw(doc, only_outside && !k++ ? "" : ", ");
		rdoc_text(doc, render_place_name(places[i], doc->lang));
	}
}

/*
 * Write the distinct category names of the activity's fields (only the
 * required ones when only_required); returns how many were written.
 */
static size_t write_categories(struct rdoc *doc, const struct pdv_activity *a, bool only_required)
{
	size_t n = 0;

	for (size_t i = 0; i < a->n_fields; i++) {
		const struct pdv_field *f = &a->fields[i];
		const char *name = render_field_category(f, doc->lang);
		bool seen = false;

		if (only_required && !(f->required.present && f->required.v))
			continue;
		for (size_t j = 0; j < i && !seen; j++) {
			const struct pdv_field *g = &a->fields[j];
			if (only_required && !(g->required.present && g->required.v))
				continue;
			seen = strcmp(render_field_category(g, doc->lang), name) == 0;
		}
		if (seen)
			continue;
		sep(doc, n++, ", ");
		rdoc_text(doc, name);
	}
	return n;
}

static void write_purposes(struct rdoc *doc, const struct pdv_activity *a)
{
	rdoc_li_begin(doc);
	rdoc_label(doc, "Purposes", "Finalités");
	if (!a->purposes.n)
		rdoc_text(doc, pdv_i18n_not_stated(doc->lang));
	for (size_t i = 0; i < a->purposes.n; i++) {
		sep(doc, i, rdoc_semi(doc));
		rdoc_dtext(doc, &a->purposes.v[i]);
	}
	rdoc_li_end(doc);
}

static void write_basis(struct rdoc *doc, const struct pdv_activity *a)
{
	const char *detail = pdv_text_get(&a->basis_detail, doc->lang);

	rdoc_li_begin(doc);
	rdoc_label(doc, "Legal basis", "Base légale");
	rdoc_basis(doc, a, true);
	if (detail && *detail) {
		rdoc_raw(doc, ". ");
		if (render_has_basis(a, "legitimate-interests"))
			rdoc_tr(doc, "The legitimate interest we pursue: ",
			        "L'intérêt légitime poursuivi : ");
		else if (render_has_basis(a, "legal-obligation"))
			rdoc_tr(doc, "The legal obligation: ", "L'obligation légale : ");
		rdoc_text(doc, detail);
	} else if (render_has_basis(a, "legitimate-interests")) {
		rdoc_raw(doc, ". ");
		rdoc_tr(doc,
		        "The legitimate interest we pursue: ", "L'intérêt légitime poursuivi : ");
		rdoc_text(doc, pdv_i18n_not_stated(doc->lang));
	} else if (render_has_basis(a, "legal-obligation")) {
		rdoc_raw(doc, ". ");
		rdoc_tr(doc, "The legal obligation: ", "L'obligation légale : ");
		rdoc_text(doc, pdv_i18n_not_stated(doc->lang));
	}
	rdoc_li_end(doc);

	if (a->special_category.s && *a->special_category.s) {
		const char *w = pdv_i18n_special_condition(a->special_category.s, doc->lang);
		rdoc_li_begin(doc);
		rdoc_label(doc, "Sensitive data", "Données sensibles");
		rdoc_tr(doc, "we process it on the basis of ",
		        "nous les traitons sur le fondement de ");
		rdoc_text(doc, w ? w : a->special_category.s);
		rdoc_li_end(doc);
	}
}

static void write_subjects_and_data(struct rdoc *doc, const struct pdv_activity *a, bool indirect)
{
	if (a->subjects.n) {
		rdoc_li_begin(doc);
		rdoc_label(doc, "People concerned", "Personnes concernées");
		for (size_t i = 0; i < a->subjects.n; i++) {
			const char *k = a->subjects.v[i].s;
			const char *n = pdv_i18n_taxon(PDV_TAX_SUBJECT, k, doc->lang);
			sep(doc, i, ", ");
			rdoc_text(doc, n ? n : k ? k : pdv_i18n_not_stated(doc->lang));
		}
		rdoc_li_end(doc);
	}

	rdoc_li_begin(doc);
	rdoc_label(doc, "Categories of data", "Catégories de données");
	if (!write_categories(doc, a, false))
		rdoc_text(doc, pdv_i18n_not_stated(doc->lang));
	rdoc_li_end(doc);

	/* 13(2)(e) concerns data the person provides; Art. 14 data is not asked */
	if (indirect || !a->n_fields)
		return;
	rdoc_li_begin(doc);
	rdoc_label(doc, "Required data", "Données obligatoires");
	if (!write_categories(doc, a, true)) {
		rdoc_tr(doc, "none; all the data we ask for is optional.",
		        "aucune ; toutes les données demandées sont facultatives.");
	} else {
		rdoc_raw(doc, ". ");
		if (render_has_basis(a, "legal-obligation"))
			rdoc_tr(
			    doc,
			    "The law requires this data: without it we cannot meet our obligation "
			    "or handle your request.",
			    "Leur communication est imposée par la loi : sans ces données, nous ne "
			    "pouvons ni remplir notre obligation ni traiter votre demande.");
		else if (render_has_basis(a, "contract"))
			rdoc_tr(doc,
			        "This data is needed for the contract: without it we cannot "
			        "conclude or perform it.",
			        "Ces données sont nécessaires au contrat : sans elles, nous ne "
			        "pouvons ni le conclure ni l'exécuter.");
		else
			rdoc_tr(doc,
			        "Without this data we cannot act on your request for this purpose.",
			        "Sans ces données, nous ne pouvons pas donner suite à votre "
			        "demande pour cette finalité.");
		rdoc_raw(doc, " ");
		rdoc_tr(doc, "The other data is optional.",
		        "Les autres données sont facultatives.");
	}
	rdoc_li_end(doc);
}

/*
 * Art. 14(3): when the person is told. The declared timing when there is
 * one (source.informed_within: a duration, first-contact, disclosure, or
 * the policy's words, quoted), else the law's outer limits.
 */
static void write_informed_within(struct rdoc *doc, const char *when)
{
	char w[128];

	if (!when || !*when) {
		rdoc_tr(doc,
		        "We inform you within one month of obtaining the data at the latest, or at "
		        "our first communication with you, or before we disclose it to another "
		        "recipient if that comes first (Art. 14(3) GDPR).",
		        "Nous vous en informons au plus tard dans le mois qui suit leur obtention, "
		        "ou lors de notre première communication avec vous, ou avant toute "
		        "communication à un autre destinataire si elle intervient plus tôt (art. "
		        "14.3 du RGPD).");
		return;
	}
	if (strcmp(when, "first-contact") == 0) {
		rdoc_tr(doc,
		        "We inform you at our first communication with you (Art. 14(3)(b) GDPR).",
		        "Nous vous en informons lors de notre première communication avec vous "
		        "(art. 14.3.b du RGPD).");
	} else if (strcmp(when, "disclosure") == 0) {
		rdoc_tr(doc,
		        "We inform you before we first disclose the data to another recipient "
		        "(Art. 14(3)(c) GDPR).",
		        "Nous vous en informons avant la première communication des données à un "
		        "autre destinataire (art. 14.3.c du RGPD).");
	} else if (pdv_i18n_duration(when, doc->lang, w, sizeof(w))) {
		rdoc_tr(doc, "We inform you within ", "Nous vous en informons dans un délai de ");
		rdoc_text(doc, w);
		rdoc_tr(doc, " of obtaining the data (Art. 14(3)(a) GDPR).",
		        " suivant leur obtention (art. 14.3.a du RGPD).");
	} else {
		rdoc_tr(doc, "When we inform you: “", "Quand nous vous en informons : « ");
		rdoc_text(doc, when);
		rdoc_tr(doc, "” (Art. 14(3) GDPR).", " » (art. 14.3 du RGPD).");
	}
}

static void write_source(struct rdoc *doc, const struct pdv_activity *a, bool indirect)
{
	rdoc_li_begin(doc);
	rdoc_label(doc, "Source", "Source");
	if (indirect) {
		rdoc_tr(doc, "we did not obtain this data from you but from: ",
		        "nous n'avons pas obtenu ces données auprès de vous, mais auprès de : ");
		rdoc_dtext(doc, &a->source.third_party);
		rdoc_raw(doc, ". ");
		rdoc_tr(doc, "Categories of data obtained: ", "Catégories de données obtenues : ");
		if (!write_categories(doc, a, false))
			rdoc_text(doc, pdv_i18n_not_stated(doc->lang));
		rdoc_raw(doc, ". ");
		write_informed_within(doc, a->source.informed_within.s);
	} else if (a->source.kind.s && strcmp(a->source.kind.s, "data-subject") != 0) {
		rdoc_text(doc, a->source.kind.s);
	} else {
		rdoc_tr(doc, "you, directly.", "vous-même, directement.");
	}
	rdoc_li_end(doc);
}

static void write_recipients(struct rdoc *doc, const struct pdv_decl *d,
                             const struct pdv_activity *a)
{
	rdoc_li_begin(doc);
	rdoc_label(doc, "Recipients", "Destinataires");
	if (!a->recipients.n)
		rdoc_tr(doc, "no one outside our organisation.",
		        "personne en dehors de notre organisation.");
	for (size_t i = 0; i < a->recipients.n; i++) {
		const char *id = a->recipients.v[i].s;
		const struct pdv_recipient *r = id ? pdv_decl_recipient(d, id) : NULL;
		sep(doc, i, rdoc_semi(doc));
		if (!r) {
			rdoc_text(doc, id ? id : pdv_i18n_not_stated(doc->lang));
			rdoc_raw(doc, " (");
			rdoc_tr(doc, "not described", "non décrit");
			rdoc_raw(doc, ")");
			continue;
		}
		const char *role = pdv_i18n_recipient_role(r->role.s, doc->lang);
		const char *service = pdv_text_get(&r->service, doc->lang);
		rdoc_text(doc, render_recipient_name(r, doc->lang));
		rdoc_raw(doc, " (");
		rdoc_text(doc, role        ? role
		               : r->role.s ? r->role.s
		                           : pdv_i18n_not_stated(doc->lang));
		if (service && *service) {
			rdoc_raw(doc, ", ");
			rdoc_text(doc, service);
		}
		write_places(doc, r, false);
		rdoc_raw(doc, ")");
	}
	rdoc_li_end(doc);

	if (a->access.n) {
		rdoc_li_begin(doc);
		rdoc_label(doc, "Access within our organisation",
		           "Accès au sein de notre organisation");
		for (size_t i = 0; i < a->access.n; i++) {
			const char *id = a->access.v[i].s;
			const struct pdv_role *ro = id ? pdv_decl_role(d, id) : NULL;
			const char *n = ro ? pdv_text_get(&ro->name, doc->lang) : NULL;
			sep(doc, i, ", ");
			if (n && *n)
				rdoc_text(doc, n);
			else if (id && strcmp(id, "dpo") == 0)
				rdoc_tr(doc, "Data protection officer",
				        "Délégué à la protection des données");
			else
				rdoc_text(doc, id ? id : pdv_i18n_not_stated(doc->lang));
		}
		rdoc_li_end(doc);
	}
}

static void write_transfers(struct rdoc *doc, const struct pdv_decl *d,
                            const struct pdv_activity *a)
{
	size_t n_out = 0, n_unknown = 0;
	bool copyable = false;

	for (size_t i = 0; i < a->recipients.n; i++) {
		const struct pdv_recipient *r =
		    a->recipients.v[i].s ? pdv_decl_recipient(d, a->recipients.v[i].s) : NULL;
		/* an undescribed recipient may be anywhere: its location is unknown */
		if (!r || !render_located(r))
			n_unknown++;
		else if (render_outside_eea(r))
			n_out++;
	}

	rdoc_li_begin(doc);
	rdoc_label(doc, "Transfers outside the European Economic Area (EEA)",
	           "Transferts hors de l'Espace économique européen (EEE)");
	if (!n_out && !n_unknown) {
		rdoc_tr(doc, "none.", "aucun.");
		rdoc_li_end(doc);
		return;
	}
	size_t k = 0;
	for (size_t i = 0; i < a->recipients.n; i++) {
		const struct pdv_recipient *r =
		    a->recipients.v[i].s ? pdv_decl_recipient(d, a->recipients.v[i].s) : NULL;
		if (!r || !render_outside_eea(r))
			continue;
		const char *sg = pdv_i18n_safeguard(r->safeguard.s, doc->lang);
		sep(doc, k++, rdoc_semi(doc));
		rdoc_text(doc, render_recipient_name(r, doc->lang));
		rdoc_raw(doc, fr(doc) ? " : " : ": ");
		write_places(doc, r, true);
		rdoc_raw(doc, ", ");
		rdoc_tr(doc, "safeguard: ", "garantie : ");
		rdoc_text(doc, sg ? sg
		               : r->safeguard.s && *r->safeguard.s
		                   ? r->safeguard.s
		                   : pdv_i18n_not_stated(doc->lang));
		if (r->safeguard.s &&
		    (strcmp(r->safeguard.s, "scc") == 0 || strcmp(r->safeguard.s, "bcr") == 0))
			copyable = true;
	}
	if (n_unknown) {
		sep(doc, k++, rdoc_semi(doc));
		rdoc_tr(doc, "the location of ", "le lieu de traitement de ");
		size_t m = 0;
		for (size_t i = 0; i < a->recipients.n; i++) {
			const char *id = a->recipients.v[i].s;
			const struct pdv_recipient *r = id ? pdv_decl_recipient(d, id) : NULL;
			if (r && render_located(r))
				continue;
			sep(doc, m++, ", ");
			rdoc_text(doc, r    ? render_recipient_name(r, doc->lang)
			               : id ? id
			                    : pdv_i18n_not_stated(doc->lang));
		}
		rdoc_raw(doc, fr(doc) ? " : " : ": ");
		rdoc_text(doc, pdv_i18n_not_stated(doc->lang));
	}
	if (n_out) {
		const char *copy = pdv_text_get(&d->transfers.safeguards_copy, doc->lang);
		rdoc_raw(doc, ". ");
		if (copy && *copy) {
			rdoc_tr(doc, "To obtain a copy of the safeguards: ",
			        "Pour obtenir une copie des garanties : ");
			rdoc_text(doc, copy);
		} else if (copyable) {
			rdoc_tr(doc, "You may obtain a copy of the safeguards by writing to us",
			        "Vous pouvez obtenir une copie des garanties en nous écrivant");
			if (contact_email(d)) {
				rdoc_raw(doc, fr(doc) ? " à " : " at ");
				rdoc_text(doc, contact_email(d));
			}
			rdoc_raw(doc, ".");
		}
	}
	rdoc_li_end(doc);
}

static void write_retention(struct rdoc *doc, const struct pdv_decl *d,
                            const struct pdv_activity *a)
{
	char words[WORDS_MAX];
	enum rwords w = render_retention_words(d, &a->retention, doc->lang, words, sizeof(words));
	const char *reason = pdv_text_get(&a->retention.archive_reason, doc->lang);

	rdoc_li_begin(doc);
	rdoc_label(doc, "How long we keep it", "Durée de conservation");
	rdoc_text(doc, w == RWORDS_ABSENT ? pdv_i18n_not_stated(doc->lang) : words);
	if (reason && *reason && a->retention.archive.s) {
		rdoc_raw(doc, " (");
		rdoc_tr(doc, "archive kept for: ", "archives conservées pour : ");
		rdoc_text(doc, reason);
		rdoc_raw(doc, ")");
	}
	if (a->retention.condition.present) {
		rdoc_raw(doc, ". ");
		rdoc_tr(doc, "This period applies when: ", "Cette durée s'applique lorsque : ");
		rdoc_dtext(doc, &a->retention.condition);
	}
	rdoc_li_end(doc);
}

static bool automated(const struct pdv_activity *a)
{
	return a->automated_decision.present && !a->automated_decision.is_false;
}

static void write_automated(struct rdoc *doc, const struct pdv_activity *a)
{
	const struct pdv_automated *ad = &a->automated_decision;

	if (!ad->present)
		return;
	rdoc_li_begin(doc);
	rdoc_label(doc, "Automated decision-making", "Décision automatisée");
	if (ad->is_false) {
		rdoc_tr(doc, "no decision about you is taken solely by automated means.",
		        "aucune décision vous concernant n'est prise sur le seul fondement d'un "
		        "traitement automatisé.");
		rdoc_li_end(doc);
		return;
	}
	rdoc_tr(doc, "a decision about you is taken by automated means. How it works: ",
	        "une décision vous concernant est prise par un traitement automatisé. Son "
	        "fonctionnement : ");
	rdoc_dtext(doc, &ad->logic);
	rdoc_raw(doc, ". ");
	rdoc_tr(doc, "Safeguards: ", "Garanties : ");
	rdoc_dtext(doc, &ad->safeguards);
	rdoc_raw(doc, ". ");
	rdoc_tr(doc,
	        "You may obtain human intervention, express your point of view and contest the "
	        "decision (Art. 22(3) GDPR).",
	        "Vous pouvez obtenir une intervention humaine, exprimer votre point de vue et "
	        "contester la décision (art. 22.3 du RGPD).");
	rdoc_li_end(doc);
}

/* Art. 13(2)(f) asks about decisions; an evaluation that decides nothing
 * alone is still said, so the person knows it is done (activities[].profiling) */
static void write_profiling(struct rdoc *doc, const struct pdv_activity *a)
{
	if (!a->profiling.present)
		return;
	rdoc_li_begin(doc);
	rdoc_label(doc, "Evaluation (profiling)", "Évaluation (profilage)");
	rdoc_tr(doc, "we evaluate you in this way: ", "nous vous évaluons de cette façon : ");
	rdoc_dtext(doc, &a->profiling);
	rdoc_raw(doc, ".");
	rdoc_li_end(doc);
}

static bool has_unsubscribe(const struct pdv_activity *a)
{
	return a->unsubscribe.present && a->unsubscribe.v;
}

/*
 * One channel of a way to exercise a right, with its address: the way's
 * own, else the DPO's, else the controller's ("not stated" when none).
 */
static void way_channel(struct rdoc *doc, const struct pdv_decl *d, const struct pdv_right_way *w,
                        const char *c)
{
	const char *detail = NULL, *dflt = pdv_i18n_not_stated(doc->lang);

	if (strcmp(c, "email") == 0) {
		rdoc_tr(doc, "by writing to ", "en écrivant à ");
		detail = w->email.s && *w->email.s ? w->email.s : contact_email(d);
	} else if (strcmp(c, "post") == 0) {
		rdoc_tr(doc, "by post to ", "par courrier à ");
		detail = w->address.s && *w->address.s ? w->address.s : contact_address(d);
	} else if (strcmp(c, "in-person") == 0) {
		rdoc_tr(doc, "in person at ", "sur place à ");
		detail = w->address.s && *w->address.s ? w->address.s : contact_address(d);
	} else if (strcmp(c, "phone") == 0) {
		rdoc_tr(doc, "by telephone at ", "par téléphone au ");
		detail = w->phone.s && *w->phone.s ? w->phone.s
		         : d->controller.dpo.phone.s && *d->controller.dpo.phone.s
		             ? d->controller.dpo.phone.s
		             : d->controller.phone.s;
	} else if (strcmp(c, "web") == 0) {
		rdoc_tr(doc, "online at ", "en ligne sur ");
		detail = w->url.s && *w->url.s ? w->url.s : NULL;
		dflt = pdv_i18n_pick(doc->lang, "our request form", "notre formulaire de demande");
	} else {
		rdoc_text(doc, c);
		return;
	}
	rdoc_text(doc, detail && *detail ? detail : dflt);
}

/*
 * How the person withdraws consent or objects to marketing: the unsubscribe
 * link only when the activity declares one in each message
 * (activities[].unsubscribe), then the channels of way (rights.withdraw or
 * rights.object) when declared, else writing to the contact address.
 */
static void way_how(struct rdoc *doc, const struct pdv_decl *d, const struct pdv_right_way *w,
                    const struct pdv_activity *a)
{
	if (a && has_unsubscribe(a))
		rdoc_tr(doc, " with the unsubscribe link in each message, or",
		        " avec le lien de désinscription présent dans chaque message, ou");
	if (w && w->present && w->channels.n) {
		for (size_t i = 0; i < w->channels.n; i++) {
			rdoc_raw(doc,
			         i ? (i + 1 == w->channels.n ? (fr(doc) ? " ou " : " or ") : ", ")
			           : " ");
			way_channel(doc, d, w, w->channels.v[i].s ? w->channels.v[i].s : "");
		}
		return;
	}
	if (contact_email(d)) {
		rdoc_tr(doc, " by writing to ", " en écrivant à ");
		rdoc_text(doc, contact_email(d));
	} else {
		rdoc_tr(doc, " by writing to us", " en nous écrivant");
	}
}

static void write_consent(struct rdoc *doc, const struct pdv_decl *d, const struct pdv_activity *a)
{
	if (!render_has_basis(a, "consent") && !a->consent.present)
		return;
	rdoc_li_begin(doc);
	rdoc_label(doc, "Your consent", "Votre consentement");
	if (a->consent.text.present) {
		rdoc_tr(doc, "we ask for it with this text: “",
		        "nous le recueillons avec ce texte : « ");
		rdoc_dtext(doc, &a->consent.text);
		rdoc_tr(doc, "”", " »");
		if (a->consent.version.s && *a->consent.version.s) {
			rdoc_raw(doc, " (");
			rdoc_tr(doc, "version ", "version ");
			rdoc_text(doc, a->consent.version.s);
			rdoc_raw(doc, ")");
		}
		rdoc_raw(doc, ". ");
	} else {
		rdoc_tr(doc, "the text we show: ", "le texte présenté : ");
		rdoc_text(doc, pdv_i18n_not_stated(doc->lang));
		rdoc_raw(doc, ". ");
	}
	if (a->consent.double_opt_in.present && a->consent.double_opt_in.v) {
		rdoc_tr(doc, "We ask you to confirm it by email before we use your data. ",
		        "Nous vous demandons de le confirmer par e-mail avant d'utiliser vos "
		        "données. ");
	}
	rdoc_tr(doc, "You may withdraw it at any time, as easily as you gave it,",
	        "Vous pouvez le retirer à tout moment, aussi simplement que vous l'avez donné,");
	way_how(doc, d, &d->rights.withdraw, a);
	rdoc_tr(doc,
	        ". Withdrawal does not affect the lawfulness of the processing carried out before "
	        "it (Art. 7(3) GDPR).",
	        ". Le retrait ne remet pas en cause la licéité du traitement effectué avant "
	        "celui-ci (art. 7.3 du RGPD).");
	rdoc_li_end(doc);
}

static void write_marketing(struct rdoc *doc, const struct pdv_decl *d,
                            const struct pdv_activity *a)
{
	if (!render_is_marketing(a))
		return;
	/* Art. 21(4): the absolute objection is brought to attention separately */
	rdoc_li_begin(doc);
	rdoc_label(doc, "Your right to object to direct marketing",
	           "Votre droit de vous opposer à la prospection");
	rdoc_tr(doc,
	        "you may object at any time, without giving reasons and free of charge, to "
	        "receiving our marketing,",
	        "vous pouvez vous opposer à tout moment, sans avoir à vous justifier et sans "
	        "frais, à recevoir notre prospection,");
	way_how(doc, d, &d->rights.object, a);
	rdoc_tr(doc, ". We then stop at once.", ". Nous cessons alors immédiatement.");
	rdoc_li_end(doc);
}

static void write_activity(struct rdoc *doc, const struct pdv_decl *d, const struct pdv_activity *a)
{
	bool indirect = a->source.present && a->source.third_party.present;

	rdoc_h_begin(doc, 3);
	rdoc_text(doc, render_activity_name(a, doc->lang));
	rdoc_h_end(doc, 3);
	rdoc_ul_begin(doc);
	write_purposes(doc, a);
	write_basis(doc, a);
	write_subjects_and_data(doc, a, indirect);
	write_source(doc, a, indirect);
	write_recipients(doc, d, a);
	write_transfers(doc, d, a);
	write_retention(doc, d, a);
	write_consent(doc, d, a);
	write_marketing(doc, d, a);
	write_automated(doc, a);
	write_profiling(doc, a);
	rdoc_ul_end(doc);
}

/* ---- rights ----------------------------------------------------------- */

typedef bool (*activity_pred)(const struct pdv_activity *a);

static bool pred_portable(const struct pdv_activity *a)
{
	return render_has_basis(a, "consent") || render_has_basis(a, "contract");
}

static bool pred_objection(const struct pdv_activity *a)
{
	return (render_has_basis(a, "legitimate-interests") ||
	        render_has_basis(a, "public-task")) &&
	       !render_is_marketing(a);
}

static bool pred_marketing(const struct pdv_activity *a)
{
	return render_is_marketing(a);
}

static bool pred_consent(const struct pdv_activity *a)
{
	return render_has_basis(a, "consent");
}

static bool pred_automated(const struct pdv_activity *a)
{
	return automated(a);
}

static size_t count_activities(const struct pdv_decl *d, activity_pred p)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n_activities; i++)
		n += p(&d->activities[i]);
	return n;
}

static void write_activity_names(struct rdoc *doc, const struct pdv_decl *d, activity_pred p)
{
	size_t k = 0;

	for (size_t i = 0; i < d->n_activities; i++) {
		if (!p(&d->activities[i]))
			continue;
		sep(doc, k++, ", ");
		rdoc_text(doc, render_activity_name(&d->activities[i], doc->lang));
	}
}

static bool excluded(const struct pdv_decl *d, enum pdv_right r)
{
	return d->rights.exclude.n && pdv_strlist_has(&d->rights.exclude, pdv_i18n_right_key(r));
}

static bool pred_marketing_link(const struct pdv_activity *a)
{
	return render_is_marketing(a) && has_unsubscribe(a);
}

/*
 * rights.limits: a right the policy offers only in part is shown as the
 * policy offers it (who may exercise it, for which bases or activities, in
 * which cases), so the notice says no more than the controller does; lint
 * says whether the law allows it.
 */
static void write_limits(struct rdoc *doc, const struct pdv_decl *d, enum pdv_right right)
{
	const char *key = pdv_i18n_right_key(right);

	for (size_t i = 0; i < d->rights.n_limits; i++) {
		const struct pdv_right_limit *l = &d->rights.limits[i];
		size_t k = 0;

		if (!l->right.s || strcmp(l->right.s, key) != 0)
			continue;
		rdoc_raw(doc, " ");
		rdoc_tr(doc, "As we offer it: ", "Tel que nous le proposons : ");
		if (l->holders.n) {
			rdoc_tr(doc, "only to ", "uniquement pour ");
			for (size_t j = 0; j < l->holders.n; j++) {
				const char *h = l->holders.v[j].s ? l->holders.v[j].s : "";
				sep(doc, j, ", ");
				if (strcmp(h, "data-subject") == 0)
					rdoc_tr(doc, "the person concerned",
					        "la personne concernée");
				else
					rdoc_text(doc, h);
			}
			k++;
		}
		if (l->bases.n) {
			sep(doc, k++, rdoc_semi(doc));
			rdoc_tr(doc, "only for the processing based on ",
			        "uniquement pour les traitements fondés sur ");
			for (size_t j = 0; j < l->bases.n; j++) {
				const char *b = l->bases.v[j].s ? l->bases.v[j].s : "";
				const char *w = pdv_i18n_basis(b, doc->lang, true);
				sep(doc, j, fr(doc) ? " ou " : " or ");
				rdoc_text(doc, w ? w : b);
			}
		}
		if (l->activities.n) {
			sep(doc, k++, rdoc_semi(doc));
			rdoc_tr(doc, "only for: ", "uniquement pour : ");
			for (size_t j = 0; j < l->activities.n; j++) {
				const char *id = l->activities.v[j].s ? l->activities.v[j].s : "";
				const struct pdv_activity *a = pdv_decl_activity(d, id);
				sep(doc, j, ", ");
				rdoc_text(doc, a ? render_activity_name(a, doc->lang) : id);
			}
		}
		if (l->cases.present) {
			sep(doc, k++, rdoc_semi(doc));
			rdoc_tr(doc, "in these cases: “", "dans ces cas : « ");
			rdoc_dtext(doc, &l->cases);
			rdoc_tr(doc, "”", " »");
		}
		if (!k)
			rdoc_text(doc, pdv_i18n_not_stated(doc->lang));
		rdoc_raw(doc, ".");
	}
}

static void right_item(struct rdoc *doc, enum pdv_right r)
{
	rdoc_li_begin(doc);
	rdoc_raw(doc, doc->fmt == PDV_FORMAT_HTML ? "<strong>" : "**");
	rdoc_text(doc, pdv_i18n_right_title(r, doc->lang));
	rdoc_raw(doc, doc->fmt == PDV_FORMAT_HTML ? "</strong>" : "**");
	rdoc_raw(doc, fr(doc) ? " : " : ": ");
	rdoc_text(doc, pdv_i18n_right_text(r, doc->lang));
}

static void applies_to(struct rdoc *doc, const struct pdv_decl *d, activity_pred p)
{
	rdoc_raw(doc, " ");
	rdoc_tr(doc, "Processing concerned: ", "Traitements concernés : ");
	write_activity_names(doc, d, p);
	rdoc_raw(doc, ".");
}

static void write_duration(struct rdoc *doc, const char *s, const char *dflt)
{
	char w[128];

	if (s && pdv_i18n_duration(s, doc->lang, w, sizeof(w)))
		rdoc_text(doc, w);
	else if (s && *s)
		rdoc_text(doc, s);
	else
		rdoc_text(doc, dflt);
}

static void write_rights_list(struct rdoc *doc, const struct pdv_decl *d)
{
	static const enum pdv_right always[] = {
	    PDV_RIGHT_ACCESS,      PDV_RIGHT_RECTIFICATION, PDV_RIGHT_ERASURE,
	    PDV_RIGHT_RESTRICTION, PDV_RIGHT_NOTIFICATION,
	};

	rdoc_ul_begin(doc);
	for (size_t i = 0; i < sizeof(always) / sizeof(always[0]); i++) {
		if (excluded(d, always[i]))
			continue;
		right_item(doc, always[i]);
		write_limits(doc, d, always[i]);
		rdoc_li_end(doc);
	}
	if (count_activities(d, pred_portable) && !excluded(d, PDV_RIGHT_PORTABILITY)) {
		right_item(doc, PDV_RIGHT_PORTABILITY);
		rdoc_raw(doc, " ");
		rdoc_tr(doc,
		        "It applies to the processing based on your consent or on a contract: ",
		        "Il s'applique aux traitements fondés sur votre consentement ou sur un "
		        "contrat : ");
		write_activity_names(doc, d, pred_portable);
		rdoc_raw(doc, ".");
		write_limits(doc, d, PDV_RIGHT_PORTABILITY);
		rdoc_li_end(doc);
	}
	if (count_activities(d, pred_objection) && !excluded(d, PDV_RIGHT_OBJECTION)) {
		right_item(doc, PDV_RIGHT_OBJECTION);
		applies_to(doc, d, pred_objection);
		write_limits(doc, d, PDV_RIGHT_OBJECTION);
		rdoc_li_end(doc);
	}
	/* the absolute rights below cannot be excluded by the controller */
	if (count_activities(d, pred_marketing)) {
		right_item(doc, PDV_RIGHT_OBJECTION_MARKETING);
		applies_to(doc, d, pred_marketing);
		/* the link is promised only where the declaration provides it */
		size_t n_link = count_activities(d, pred_marketing_link);
		rdoc_raw(doc, " ");
		if (n_link && n_link == count_activities(d, pred_marketing)) {
			rdoc_tr(doc,
			        "Each of our marketing messages contains an unsubscribe link. ",
			        "Chacun de nos messages de prospection contient un lien de "
			        "désinscription. ");
		} else if (n_link) {
			rdoc_tr(doc,
			        "The messages of these activities contain an unsubscribe link: ",
			        "Les messages de ces traitements contiennent un lien de "
			        "désinscription : ");
			write_activity_names(doc, d, pred_marketing_link);
			rdoc_raw(doc, ". ");
		}
		rdoc_tr(doc, "To object:", "Pour vous opposer :");
		way_how(doc, d, &d->rights.object, NULL);
		rdoc_raw(doc, ".");
		if (d->rights.suppression.s) {
			rdoc_raw(doc, " ");
			rdoc_tr(
			    doc,
			    "So that we do not contact you again, we keep your email address or "
			    "telephone number in an objection list for ",
			    "Pour ne plus vous solliciter, nous conservons votre adresse e-mail ou "
			    "votre numéro de téléphone dans une liste d'opposition pendant ");
			write_duration(doc, d->rights.suppression.s, "");
			rdoc_tr(doc, ", and for nothing else.", ", et pour aucun autre usage.");
		}
		rdoc_li_end(doc);
	}
	if (count_activities(d, pred_consent)) {
		right_item(doc, PDV_RIGHT_WITHDRAWAL);
		applies_to(doc, d, pred_consent);
		rdoc_raw(doc, " ");
		rdoc_tr(doc, "To withdraw it:", "Pour le retirer :");
		way_how(doc, d, &d->rights.withdraw, NULL);
		rdoc_raw(doc, ".");
		write_limits(doc, d, PDV_RIGHT_WITHDRAWAL);
		rdoc_li_end(doc);
	}
	if (count_activities(d, pred_automated) && !excluded(d, PDV_RIGHT_AUTOMATED)) {
		right_item(doc, PDV_RIGHT_AUTOMATED);
		applies_to(doc, d, pred_automated);
		write_limits(doc, d, PDV_RIGHT_AUTOMATED);
		rdoc_li_end(doc);
	}
	/* LIL art. 85 is French law: for controllers established in France */
	if ((!d->controller.country.s || strcmp(d->controller.country.s, "FR") == 0) &&
	    !excluded(d, PDV_RIGHT_POST_MORTEM)) {
		right_item(doc, PDV_RIGHT_POST_MORTEM);
		rdoc_li_end(doc);
	}
	rdoc_ul_end(doc);
}

static void write_channels(struct rdoc *doc, const struct pdv_decl *d)
{
	const struct pdv_strlist *ch = &d->rights.channels;
	const char *email = contact_email(d), *addr = contact_address(d);

	rdoc_ul_begin(doc);
	if (!ch->n) {
		/* nothing declared: the addresses the notice gives anyway */
		rdoc_li_begin(doc);
		rdoc_tr(doc, "by email", "par e-mail");
		rdoc_raw(doc, fr(doc) ? " : " : ": ");
		rdoc_text(doc, email ? email : pdv_i18n_not_stated(doc->lang));
		rdoc_li_end(doc);
		rdoc_li_begin(doc);
		rdoc_tr(doc, "by post", "par courrier postal");
		rdoc_raw(doc, fr(doc) ? " : " : ": ");
		rdoc_text(doc, addr ? addr : pdv_i18n_not_stated(doc->lang));
		rdoc_li_end(doc);
	}
	for (size_t i = 0; i < ch->n; i++) {
		const char *c = ch->v[i].s ? ch->v[i].s : "";
		const char *w = pdv_i18n_channel(c, doc->lang);
		const char *detail = NULL;

		if (strcmp(c, "email") == 0)
			detail = email ? email : pdv_i18n_not_stated(doc->lang);
		else if (strcmp(c, "post") == 0 || strcmp(c, "in-person") == 0)
			detail = addr ? addr : pdv_i18n_not_stated(doc->lang);
		else if (strcmp(c, "phone") == 0)
			detail = d->controller.dpo.phone.s ? d->controller.dpo.phone.s
			         : d->controller.phone.s   ? d->controller.phone.s
			                                   : pdv_i18n_not_stated(doc->lang);
		rdoc_li_begin(doc);
		rdoc_text(doc, w ? w : c);
		if (detail) {
			rdoc_raw(doc, fr(doc) ? " : " : ": ");
			rdoc_text(doc, detail);
		}
		rdoc_li_end(doc);
	}
	rdoc_ul_end(doc);
}

static void write_exercise(struct rdoc *doc, const struct pdv_decl *d)
{
	const struct pdv_rights *r = &d->rights;
	const struct pdv_id_document *id = &r->id_document;
	const char *ask = id->ask.s ? id->ask.s : "reasonable-doubt";

	rdoc_h_begin(doc, 3);
	rdoc_tr(doc, "How to exercise your rights", "Comment exercer vos droits");
	rdoc_h_end(doc, 3);
	rdoc_p_begin(doc);
	rdoc_tr(doc, "You can contact us:", "Vous pouvez nous contacter :");
	rdoc_p_end(doc);
	write_channels(doc, d);

	rdoc_p_begin(doc);
	rdoc_tr(doc, "We answer without undue delay and at the latest within ",
	        "Nous vous répondons dans les meilleurs délais et au plus tard dans un délai de ");
	write_duration(doc, r->response.s, pdv_i18n_pick(doc->lang, "1 month", "1 mois"));
	rdoc_tr(doc,
	        " of receiving your request. Where necessary, given the complexity or the number "
	        "of requests, this may be extended by ",
	        " à compter de la réception de votre demande. Si nécessaire, compte tenu de la "
	        "complexité ou du nombre de demandes, ce délai peut être prolongé de ");
	write_duration(doc, r->extension.s, pdv_i18n_pick(doc->lang, "2 months", "2 mois"));
	rdoc_tr(doc,
	        "; we then tell you within the first month, with the reasons (Art. 12(3) GDPR). If "
	        "we do not act on your request, we tell you why, and you may lodge a complaint or "
	        "go to court (Art. 12(4)).",
	        " ; nous vous en informons alors dans le premier mois, en vous indiquant les "
	        "raisons (art. 12.3 du RGPD). Si nous ne donnons pas suite à votre demande, nous "
	        "vous en indiquons les motifs, et vous pouvez introduire une réclamation ou un "
	        "recours juridictionnel (art. 12.4).");
	rdoc_p_end(doc);

	rdoc_p_begin(doc);
	rdoc_tr(doc,
	        "Exercising your rights is free of charge. A manifestly unfounded or excessive "
	        "request may be refused or charged a reasonable fee (Art. 12(5) GDPR).",
	        "L'exercice de vos droits est gratuit. Une demande manifestement infondée ou "
	        "excessive peut être refusée ou donner lieu au paiement de frais raisonnables "
	        "(art. 12.5 du RGPD).");
	rdoc_p_end(doc);

	rdoc_p_begin(doc);
	if (strcmp(ask, "never") == 0) {
		rdoc_tr(doc, "We do not ask for a copy of an identity document.",
		        "Nous ne demandons pas de copie de pièce d'identité.");
	} else {
		if (strcmp(ask, "always") == 0)
			rdoc_tr(
			    doc, "We ask you to prove your identity with each request.",
			    "Nous vous demandons de justifier de votre identité à chaque demande.");
		else
			rdoc_tr(doc,
			        "We ask for information to confirm your identity only when we have "
			        "reasonable doubts about it (Art. 12(6) GDPR); we do not ask for "
			        "it systematically.",
			        "Nous ne vous demandons de justifier de votre identité qu'en cas "
			        "de doute raisonnable (art. 12.6 du RGPD), jamais de manière "
			        "systématique.");
		if (id->retention.s && *id->retention.s) {
			char w[WORDS_MAX];
			rdoc_raw(doc, " ");
			rdoc_tr(doc, "A copy of an identity document you send us is kept ",
			        "La copie de pièce d'identité que vous nous transmettez est "
			        "conservée ");
			if (pdv_i18n_span(id->retention.s, doc->lang, w, sizeof(w)))
				rdoc_text(doc, w);
			else
				rdoc_text(doc, id->retention.s);
			rdoc_tr(doc, ", then deleted.", ", puis supprimée.");
		}
	}
	rdoc_p_end(doc);
}

static void write_complaint(struct rdoc *doc, const struct pdv_decl *d)
{
	const struct pdv_authority *a = &d->controller.authority;
	const struct pdv_authority_info *b =
	    a->present && a->id.s ? pdv_authority_builtin(a->id.s) : NULL;

	rdoc_h_begin(doc, 3);
	rdoc_tr(doc, "Complaint to the supervisory authority",
	        "Réclamation auprès de l'autorité de contrôle");
	rdoc_h_end(doc, 3);
	rdoc_p_begin(doc);
	rdoc_tr(doc,
	        "If you believe that the processing of your data infringes the regulations, you "
	        "may lodge a complaint with the supervisory authority",
	        "Si vous estimez que le traitement de vos données constitue une violation de la "
	        "réglementation, vous pouvez introduire une réclamation auprès de l'autorité de "
	        "contrôle");
	if (b) {
		rdoc_raw(doc, fr(doc) ? " : " : ": ");
		rdoc_text(doc, fr(doc) ? b->name_fr : b->name_en);
		if (b->address) {
			rdoc_raw(doc, ", ");
			rdoc_text(doc, b->address);
		}
		if (b->complaint_url || b->url) {
			rdoc_raw(doc, fr(doc) ? " : " : ": ");
			rdoc_link(doc, b->complaint_url ? b->complaint_url : b->url, NULL);
		}
		rdoc_raw(doc, ".");
	} else if (a->present && (a->name.present || a->id.s || a->address.s || a->url.s)) {
		rdoc_raw(doc, fr(doc) ? " : " : ": ");
		if (a->name.present)
			rdoc_dtext(doc, &a->name);
		else
			rdoc_text(doc, a->id.s ? a->id.s : pdv_i18n_not_stated(doc->lang));
		if (a->address.s) {
			rdoc_raw(doc, ", ");
			rdoc_text(doc, a->address.s);
		}
		if (a->url.s) {
			rdoc_raw(doc, fr(doc) ? " : " : ": ");
			rdoc_link(doc, a->url.s, NULL);
		}
		rdoc_raw(doc, ".");
	} else {
		rdoc_tr(doc, " (not stated).", " (non précisée).");
	}
	rdoc_raw(doc, " ");
	rdoc_tr(
	    doc,
	    "You may also complain to the supervisory authority of the EU Member State where you "
	    "live or work, or where the infringement took place (Art. 77 GDPR).",
	    "Vous pouvez aussi saisir l'autorité de contrôle de l'État membre de l'Union où vous "
	    "résidez ou travaillez, ou de celui où la violation a eu lieu (art. 77 du RGPD).");
	rdoc_p_end(doc);
}

static void write_rights(struct rdoc *doc, const struct pdv_decl *d)
{
	rdoc_h_begin(doc, 2);
	rdoc_tr(doc, "Your rights", "Vos droits");
	rdoc_h_end(doc, 2);
	rdoc_p_begin(doc);
	rdoc_tr(doc, "You have the following rights over your data:",
	        "Vous disposez des droits suivants sur vos données :");
	rdoc_p_end(doc);
	write_rights_list(doc, d);
	write_exercise(doc, d);
	write_complaint(doc, d);
}

/* ---- cookies ---------------------------------------------------------- */

static void write_cookies(struct rdoc *doc, const struct pdv_decl *d)
{
	const struct pdv_cookies *c = &d->cookies;
	char w[128];

	if (!c->present && !c->n_trackers)
		return;
	rdoc_h_begin(doc, 2);
	rdoc_tr(doc, "Cookies and other trackers", "Cookies et autres traceurs");
	rdoc_h_end(doc, 2);
	if (!c->n_trackers) {
		rdoc_p_begin(doc);
		rdoc_tr(doc, "Trackers used: not stated.", "Traceurs utilisés : non précisé.");
		rdoc_p_end(doc);
	} else {
		rdoc_table_begin(doc, "Cookies and trackers used on our site",
		                 "Cookies et traceurs utilisés sur notre site", 5);
		rdoc_th(doc, "Name", "Nom");
		rdoc_th(doc, "Purpose", "Finalité");
		rdoc_th(doc, "Set by", "Déposé par");
		rdoc_th(doc, "Lifetime", "Durée de vie");
		rdoc_th(doc, "Consent", "Consentement");
		rdoc_table_body(doc);
		for (size_t i = 0; i < c->n_trackers; i++) {
			const struct pdv_tracker *t = &c->trackers[i];
			const struct pdv_recipient *r =
			    t->recipient.s ? pdv_decl_recipient(d, t->recipient.s) : NULL;
			const char *cat = pdv_i18n_tracker_category(t->category.s, doc->lang);
			const char *cons = pdv_i18n_tracker_consent(t->consent.s, doc->lang);

			rdoc_row_begin(doc);
			rdoc_cell_begin(doc, true);
			rdoc_dstr(doc, &t->name);
			rdoc_cell_end(doc);
			rdoc_cell_begin(doc, false);
			rdoc_dtext(doc, &t->purpose);
			/* the category only when the purpose does not already say it */
			if (cat && !pdv_strcasestr(pdv_text_get(&t->purpose, doc->lang)
			                               ? pdv_text_get(&t->purpose, doc->lang)
			                               : "",
			                           cat)) {
				rdoc_raw(doc, " (");
				rdoc_text(doc, cat);
				rdoc_raw(doc, ")");
			}
			rdoc_cell_end(doc);
			rdoc_cell_begin(doc, false);
			if (r)
				rdoc_text(doc, render_recipient_name(r, doc->lang));
			else if (t->recipient.s && *t->recipient.s)
				rdoc_text(doc, t->recipient.s);
			else if (d->controller.name.s && *d->controller.name.s)
				rdoc_text(doc, d->controller.name.s);
			else
				rdoc_tr(doc, "us", "nous");
			rdoc_cell_end(doc);
			rdoc_cell_begin(doc, false);
			if (t->lifetime.s &&
			    pdv_i18n_duration(t->lifetime.s, doc->lang, w, sizeof(w)))
				rdoc_text(doc, w);
			else
				rdoc_dstr(doc, &t->lifetime);
			rdoc_cell_end(doc);
			rdoc_cell_begin(doc, false);
			rdoc_text(doc, cons ? cons
			               : t->consent.s && *t->consent.s
			                   ? t->consent.s
			                   : pdv_i18n_not_stated(doc->lang));
			rdoc_cell_end(doc);
			rdoc_row_end(doc);
		}
		rdoc_table_end(doc);
	}

	rdoc_p_begin(doc);
	rdoc_tr(doc, "Trackers that need your consent are set only after you accept them. ",
	        "Les traceurs soumis à votre consentement ne sont déposés qu'après votre accord. ");
	if (c->banner.reject_button.present && c->banner.reject_button.v)
		rdoc_tr(doc,
		        "You can refuse them in the banner, with a button to refuse all as easy to "
		        "use as the button to accept. ",
		        "Vous pouvez les refuser dans le bandeau, avec un bouton « Tout refuser » "
		        "aussi simple d'usage que le bouton d'acceptation. ");
	else
		rdoc_tr(doc, "You can refuse them in the banner. ",
		        "Vous pouvez les refuser dans le bandeau. ");
	if (c->banner.blocks_until_accept.present && !c->banner.blocks_until_accept.v)
		rdoc_tr(doc, "Refusing does not prevent you from using the site. ",
		        "Refuser ne vous empêche pas d'utiliser le site. ");
	rdoc_tr(doc,
	        "You may withdraw your consent at any time in the same way, and you can also block "
	        "trackers in your browser settings.",
	        "Vous pouvez retirer votre consentement à tout moment de la même manière, et vous "
	        "pouvez aussi bloquer les traceurs dans les réglages de votre navigateur.");
	rdoc_p_end(doc);

	rdoc_p_begin(doc);
	rdoc_tr(doc, "We remember your choice to accept for ",
	        "Nous conservons votre choix d'accepter pendant ");
	write_duration(doc, c->consent_lifetime.s, pdv_i18n_not_stated(doc->lang));
	if (c->refusal_lifetime.s) {
		rdoc_tr(doc, ", and your choice to refuse for ",
		        ", et votre choix de refuser pendant ");
		write_duration(doc, c->refusal_lifetime.s, "");
	}
	rdoc_tr(doc, "; we then ask you again.", " ; nous vous interrogeons à nouveau ensuite.");
	rdoc_p_end(doc);
}

/* ---- the notice ------------------------------------------------------- */

int pdv_render_notice(const struct pdv_decl *d, const char *lang, enum pdv_format fmt,
                      struct pdv_buf *out, struct pdv_error *err)
{
	struct rdoc doc;
	const char *name;
	size_t start;
	int r;

	if (!d || !out)
		return pdv_error_set(err, PDV_E_INVAL, "no declaration or output buffer");
	if (!pdv_render_lang_supported(lang))
		return pdv_error_set(err, PDV_E_INVAL, "unsupported language '%s' (fr or en)",
		                     lang ? lang : "");
	if (fmt != PDV_FORMAT_MD && fmt != PDV_FORMAT_HTML)
		return pdv_error_set(err, PDV_E_INVAL,
		                     "the notice is written in md or html, not %s",
		                     pdv_format_name(fmt));

	start = out->len;
	rdoc_init(&doc, out, fmt, lang);
	name = d->controller.name.s && *d->controller.name.s ? d->controller.name.s : NULL;
	rdoc_page_begin(&doc, pdv_i18n_pick(lang, "Privacy notice", "Politique de confidentialité"),
	                name);

	rdoc_p_begin(&doc);
	if (name) {
		rdoc_tr(&doc, "This notice explains how ", "Cette politique explique comment ");
		rdoc_text(&doc, name);
		rdoc_tr(&doc, " processes your personal data", " traite vos données personnelles");
	} else {
		rdoc_tr(&doc, "This notice explains how we process your personal data",
		        "Cette politique explique comment nous traitons vos données personnelles");
	}
	rdoc_tr(&doc,
	        ": for what purposes and on what legal basis, who receives it, how long we keep "
	        "it, and what your rights are (Articles 13 and 14 of the General Data Protection "
	        "Regulation, GDPR).",
	        " : pour quelles finalités et sur quelle base légale, qui les reçoit, combien de "
	        "temps nous les conservons, et quels sont vos droits (articles 13 et 14 du "
	        "Règlement général sur la protection des données, RGPD).");
	rdoc_p_end(&doc);

	write_controller(&doc, d);

	rdoc_h_begin(&doc, 2);
	rdoc_tr(&doc, "What we do with your data", "Ce que nous faisons de vos données");
	rdoc_h_end(&doc, 2);
	if (!d->n_activities) {
		rdoc_p_begin(&doc);
		rdoc_tr(&doc, "Processing activities: not stated.", "Traitements : non précisé.");
		rdoc_p_end(&doc);
	}
	for (size_t i = 0; i < d->n_activities; i++)
		write_activity(&doc, d, &d->activities[i]);

	write_rights(&doc, d);
	write_cookies(&doc, d);
	rdoc_page_end(&doc);

	if ((r = rdoc_finish(&doc)) < 0) {
		/* no half notice: the caller's buffer is left as it was */
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
		return pdv_error_set(err, r, "the notice could not be written (%s)",
		                     pdv_rc_code(r));
	}
	return 0;
}
