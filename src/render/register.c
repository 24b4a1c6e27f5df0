/*
 * register.c — the register of processing activities (Art. 30(1) GDPR), as
 * CSV (one row per activity; RFC 4180, or as Excel opens it), JSON, Markdown,
 * a standalone HTML page, or an xlsx workbook.
 *
 * Each element of the register is first written as plain text (lists joined
 * with "; "), then escaped once for the asked format; so the four formats
 * say the same thing. JSON is structured instead (ids and keys kept next to
 * their names) and its keys are fixed, whatever the language. A missing
 * element reads "not stated" (null in JSON); nothing in a declaration that
 * loaded makes the register fail.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pdv/render.h"
#include "pdv/retention.h"
#include "i18n.h"
#include "render-internal.h"

#define WORDS_MAX 1024

/* ---- plain text, with the first error kept ----------------------------- */

struct ptext {
	struct pdv_buf b;
	int rc;
	size_t items; /* list items written since ptext_list_begin */
};

static void pt_put(struct ptext *p, const char *s)
{
	int r;

	if (p->rc || !s)
		return;
	if ((r = pdv_buf_puts(&p->b, s)) < 0)
		p->rc = r;
}

/* start a new item of a "; "-joined list */
static void pt_item(struct ptext *p)
{
	if (p->items++)
		pt_put(p, "; ");
}

static const char *pt_str(struct ptext *p)
{
	return p->b.data ? p->b.data : "";
}

struct ctx {
	const struct pdv_decl *d;
	const char *lang;
};

static const char *tr(const struct ctx *c, const char *en, const char *fr)
{
	return pdv_i18n_pick(c->lang, en, fr);
}

static const char *ns(const struct ctx *c)
{
	return pdv_i18n_not_stated(c->lang);
}

static bool set(const char *s)
{
	return s && *s;
}

/* ---- the elements, as plain text -------------------------------------- */

typedef void (*fill_fn)(const struct ctx *c, const struct pdv_activity *a, struct ptext *p);

static void contact_text(const struct ctx *c, const struct pdv_contact *k, struct ptext *p)
{
	const char *parts[] = {k->name.s, k->email.s, k->address.s, k->phone.s};
	size_t n = 0;

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (!set(parts[i]))
			continue;
		if (n++)
			pt_put(p, ", ");
		pt_put(p, parts[i]);
	}
	if (!n)
		pt_put(p, ns(c));
}

static void fill_controller(const struct ctx *c, const struct pdv_activity *a, struct ptext *p)
{
	const struct pdv_controller *k = &c->d->controller;
	const char *parts[] = {k->name.s,    k->legal_form.s, k->registration.s,
	                       k->address.s, k->email.s,      k->phone.s};
	size_t n = 0;

	(void)a;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		if (!set(parts[i]))
			continue;
		if (n++)
			pt_put(p, ", ");
		pt_put(p, parts[i]);
	}
	if (!n)
		pt_put(p, ns(c));
	pt_put(p, "; ");
	pt_put(p, tr(c, "DPO: ", "DPO : "));
	if (k->dpo.present)
		contact_text(c, &k->dpo, p);
	else
		pt_put(p, ns(c));
	if (k->representative.present) {
		pt_put(p, "; ");
		pt_put(p, tr(c, "EU representative: ", "représentant dans l'UE : "));
		contact_text(c, &k->representative, p);
	}
}

static const struct pdv_recipient *act_recipient(const struct ctx *c, const struct pdv_activity *a,
                                                 size_t i)
{
	return a->recipients.v[i].s ? pdv_decl_recipient(c->d, a->recipients.v[i].s) : NULL;
}

static void fill_joint(const struct ctx *c, const struct pdv_activity *a, struct ptext *p)
{
	for (size_t i = 0; i < a->recipients.n; i++) {
		const struct pdv_recipient *r = act_recipient(c, a, i);
		if (!r || !r->role.s || strcmp(r->role.s, "joint-controller") != 0)
			continue;
		pt_item(p);
		pt_put(p, render_recipient_name(r, c->lang));
	}
	if (!p->items)
		pt_put(p, tr(c, "none", "aucun"));
}

static void fill_purposes(const struct ctx *c, const struct pdv_activity *a, struct ptext *p)
{
	for (size_t i = 0; i < a->purposes.n; i++) {
		const char *s = pdv_text_get(&a->purposes.v[i], c->lang);
		pt_item(p);
		pt_put(p, set(s) ? s : ns(c));
	}
	if (!p->items)
		pt_put(p, ns(c));
}

static void fill_basis(const struct ctx *c, const struct pdv_activity *a, struct ptext *p)
{
	for (size_t i = 0; i < a->basis.n; i++) {
		const char *b = a->basis.v[i].s;
		const char *w = pdv_i18n_basis(b, c->lang, false);
		pt_item(p);
		if (w) {
			pt_put(p, w);
			pt_put(p, " (");
			pt_put(p, pdv_i18n_basis_article(b, c->lang));
			pt_put(p, ")");
		} else {
			pt_put(p, set(b) ? b : ns(c));
			pt_put(p, tr(c, " (not an Art. 6(1) basis)", " (hors art. 6.1)"));
		}
	}
	if (!p->items)
		pt_put(p, ns(c));
}

static void fill_basis_detail(const struct ctx *c, const struct pdv_activity *a, struct ptext *p)
{
	const char *s = pdv_text_get(&a->basis_detail, c->lang);

	pt_put(p, set(s) ? s : ns(c));
}

static void fill_subjects(const struct ctx *c, const struct pdv_activity *a, struct ptext *p)
{
	for (size_t i = 0; i < a->subjects.n; i++) {
		const char *k = a->subjects.v[i].s;
		const char *n = pdv_i18n_taxon(PDV_TAX_SUBJECT, k, c->lang);
		pt_item(p);
		pt_put(p, n ? n : set(k) ? k : ns(c));
	}
	if (!p->items)
		pt_put(p, ns(c));
}

static void fill_categories(const struct ctx *c, const struct pdv_activity *a, struct ptext *p)
{
	for (size_t i = 0; i < a->n_fields; i++) {
		const struct pdv_field *f = &a->fields[i];
		bool seen = false;

		/* one line per category: several fields may share one */
		for (size_t j = 0; j < i && !seen; j++) {
			const char *x = a->fields[j].category.s, *y = f->category.s;
			seen = (x && y) ? strcmp(x, y) == 0 : false;
		}
		if (seen)
			continue;
		pt_item(p);
		pt_put(p, render_field_category(f, c->lang));
		if (set(f->category.s)) {
			pt_put(p, " (");
			pt_put(p, f->category.s);
			pt_put(p, ")");
		}
		if (pdv_category_is_special(f->category.s))
			pt_put(p, tr(c, " [special category, Art. 9]",
			             " [catégorie particulière, art. 9]"));
		else if (pdv_category_is_criminal(f->category.s))
			pt_put(p, tr(c, " [offences and convictions, Art. 10]",
			             " [infractions et condamnations, art. 10]"));
	}
	if (!p->items)
		pt_put(p, ns(c));
}

static void fill_special(const struct ctx *c, const struct pdv_activity *a, struct ptext *p)
{
	const char *s = a->special_category.s;
	const char *w = pdv_i18n_special_condition(s, c->lang);

	if (!set(s)) {
		pt_put(p, tr(c, "none", "aucune"));
		return;
	}
	pt_put(p, w ? w : s);
}

/* a recipient's places, ", "-joined (only those outside the EEA when asked) */
static void put_places(const struct ctx *c, const struct pdv_recipient *r, bool only_outside,
                       struct ptext *p)
{
	const char *places[RENDER_PLACES_MAX];
	size_t n = render_places(r, places, RENDER_PLACES_MAX), k = 0;

	for (size_t i = 0; i < n; i++) {
		if (only_outside && !render_place_outside_eea(places[i]))
			continue;
		if (k++)
			pt_put(p, ", ");
		pt_put(p, render_place_name(places[i], c->lang));
	}
	if (!k)
		pt_put(p, ns(c));
}

static void fill_recipients(const struct ctx *c, const struct pdv_activity *a, struct ptext *p)
{
	for (size_t i = 0; i < a->recipients.n; i++) {
		const struct pdv_recipient *r = act_recipient(c, a, i);
		pt_item(p);
		if (!r) {
			pt_put(p, set(a->recipients.v[i].s) ? a->recipients.v[i].s : ns(c));
			pt_put(p, tr(c, " (not described)", " (non décrit)"));
			continue;
		}
		const char *role = pdv_i18n_recipient_role(r->role.s, c->lang);
		const char *svc = pdv_text_get(&r->service, c->lang);
		pt_put(p, render_recipient_name(r, c->lang));
		pt_put(p, " (");
		pt_put(p, role ? role : set(r->role.s) ? r->role.s : ns(c));
		if (set(svc)) {
			pt_put(p, ", ");
			pt_put(p, svc);
		}
		pt_put(p, ", ");
		put_places(c, r, false, p);
		pt_put(p, ")");
	}
	if (!p->items)
		pt_put(p, tr(c, "none", "aucun"));
}

static void fill_access(const struct ctx *c, const struct pdv_activity *a, struct ptext *p)
{
	for (size_t i = 0; i < a->access.n; i++) {
		const char *id = a->access.v[i].s;
		const struct pdv_role *ro = id ? pdv_decl_role(c->d, id) : NULL;
		const char *n = ro ? pdv_text_get(&ro->name, c->lang) : NULL;
		pt_item(p);
		if (set(n))
			pt_put(p, n);
		else if (id && strcmp(id, "dpo") == 0)
			pt_put(p, tr(c, "Data protection officer",
			             "Délégué à la protection des données"));
		else
			pt_put(p, set(id) ? id : ns(c));
	}
	if (!p->items)
		pt_put(p, ns(c));
}

static void fill_transfers(const struct ctx *c, const struct pdv_activity *a, struct ptext *p)
{
	for (size_t i = 0; i < a->recipients.n; i++) {
		const struct pdv_recipient *r = act_recipient(c, a, i);
		if (!r || !render_outside_eea(r))
			continue;
		const char *sg = pdv_i18n_safeguard(r->safeguard.s, c->lang);
		pt_item(p);
		pt_put(p, render_recipient_name(r, c->lang));
		pt_put(p, tr(c, ": ", " : "));
		put_places(c, r, true, p);
		pt_put(p, tr(c, ", safeguard: ", ", garantie : "));
		pt_put(p, sg ? sg : set(r->safeguard.s) ? r->safeguard.s : ns(c));
	}
	for (size_t i = 0; i < a->recipients.n; i++) {
		const struct pdv_recipient *r = act_recipient(c, a, i);
		const char *id = a->recipients.v[i].s;
		if (r && render_located(r))
			continue;
		pt_item(p);
		pt_put(p, r ? render_recipient_name(r, c->lang) : set(id) ? id : ns(c));
		pt_put(p, tr(c, ": location not stated", " : lieu de traitement non précisé"));
	}
	if (!p->items)
		pt_put(p, tr(c, "none", "aucun"));
}

static void fill_retention(const struct ctx *c, const struct pdv_activity *a, struct ptext *p)
{
	char w[WORDS_MAX];
	enum rwords k = render_retention_words(c->d, &a->retention, c->lang, w, sizeof(w));

	if (k == RWORDS_ABSENT) {
		pt_put(p, ns(c));
		return;
	}
	pt_put(p, w);
	if (k == RWORDS_AS_WRITTEN)
		pt_put(p, tr(c, " (as declared; not computable)",
		             " (tel que déclaré ; non calculable)"));
	if (a->retention.condition.present) {
		const char *cond = pdv_text_get(&a->retention.condition, c->lang);
		pt_put(p, tr(c, "; applies when: ", " ; s'applique lorsque : "));
		pt_put(p, set(cond) ? cond : ns(c));
	}
}

static void fill_retention_declared(const struct ctx *c, const struct pdv_activity *a,
                                    struct ptext *p)
{
	const struct pdv_retention_decl *r = &a->retention;
	const char *reason = pdv_text_get(&r->archive_reason, c->lang);

	if (!r->present) {
		pt_put(p, ns(c));
		return;
	}
	pt_put(p, "active: ");
	pt_put(p, set(r->active.s) ? r->active.s : ns(c));
	if (set(r->archive.s)) {
		pt_put(p, "; archive: ");
		pt_put(p, r->archive.s);
		if (set(reason)) {
			pt_put(p, " (");
			pt_put(p, reason);
			pt_put(p, ")");
		}
	}
	pt_put(p, "; end: ");
	pt_put(p, set(r->end.s) ? r->end.s : ns(c));
	if (r->early.n) {
		pt_put(p, "; early: ");
		for (size_t i = 0; i < r->early.n; i++) {
			if (i)
				pt_put(p, ", ");
			pt_put(p, r->early.v[i].s);
		}
	}
}

static void fill_security(const struct ctx *c, const struct pdv_activity *a, struct ptext *p)
{
	(void)a;
	for (size_t i = 0; i < c->d->security.n; i++) {
		const char *s = pdv_text_get(&c->d->security.v[i], c->lang);
		if (!set(s))
			continue;
		pt_item(p);
		pt_put(p, s);
	}
	if (!p->items)
		pt_put(p, ns(c));
}

/* Art. 14(3): when a person whose data came from a third party is told, as
 * declared (source.informed_within), after the source */
static void put_informed_within(const struct ctx *c, const char *when, struct ptext *p)
{
	char w[128];

	if (!set(when))
		return;
	pt_put(p, tr(c, "; the person told (Art. 14(3)): ", " ; personne informée (art. 14.3) : "));
	if (strcmp(when, "first-contact") == 0) {
		pt_put(p, tr(c, "at the first communication", "lors de la première communication"));
	} else if (strcmp(when, "disclosure") == 0) {
		pt_put(p, tr(c, "before the first disclosure to a recipient",
		             "avant la première communication à un destinataire"));
	} else if (pdv_i18n_duration(when, c->lang, w, sizeof(w))) {
		pt_put(p, tr(c, "within ", "dans un délai de "));
		pt_put(p, w);
		pt_put(p, tr(c, " of obtaining the data", " suivant leur obtention"));
	} else {
		pt_put(p, tr(c, "“", "« "));
		pt_put(p, when);
		pt_put(p, tr(c, "”", " »"));
	}
}

static void fill_source(const struct ctx *c, const struct pdv_activity *a, struct ptext *p)
{
	if (a->source.present && a->source.third_party.present) {
		const char *s = pdv_text_get(&a->source.third_party, c->lang);
		pt_put(p, tr(c, "third party (Art. 14): ", "tiers (art. 14) : "));
		pt_put(p, set(s) ? s : ns(c));
		put_informed_within(c, a->source.informed_within.s, p);
	} else if (a->source.present && set(a->source.kind.s) &&
	           strcmp(a->source.kind.s, "data-subject") != 0) {
		pt_put(p, a->source.kind.s);
	} else {
		pt_put(p, tr(c, "the data subject", "la personne concernée"));
	}
}

static void fill_dpia(const struct ctx *c, const struct pdv_activity *a, struct ptext *p)
{
	const struct pdv_dpia *x = &a->dpia;

	if (!x->present || !x->done.present) {
		pt_put(p, ns(c));
		return;
	}
	pt_put(p, x->done.v ? tr(c, "done", "réalisée") : tr(c, "not done", "non réalisée"));
	if (set(x->ref.s)) {
		pt_put(p, " (");
		pt_put(p, x->ref.s);
		pt_put(p, ")");
	}
}

static void fill_automated(const struct ctx *c, const struct pdv_activity *a, struct ptext *p)
{
	const struct pdv_automated *x = &a->automated_decision;
	const char *logic, *safe;

	if (a->profiling.present) {
		const char *prof = pdv_text_get(&a->profiling, c->lang);
		pt_put(p, tr(c, "profiling: ", "profilage : "));
		pt_put(p, set(prof) ? prof : ns(c));
		pt_put(p, "; ");
	}
	if (!x->present) {
		pt_put(p, tr(c, "decision: ", "décision : "));
		pt_put(p, ns(c));
		return;
	}
	if (x->is_false) {
		pt_put(p, tr(c, "none", "aucune"));
		return;
	}
	logic = pdv_text_get(&x->logic, c->lang);
	safe = pdv_text_get(&x->safeguards, c->lang);
	pt_put(p, tr(c, "logic: ", "logique : "));
	pt_put(p, set(logic) ? logic : ns(c));
	pt_put(p, tr(c, "; safeguards: ", " ; garanties : "));
	pt_put(p, set(safe) ? safe : ns(c));
	if (x->human_review.present)
		pt_put(p, x->human_review.v ? tr(c, "; human review", " ; revue humaine")
		                            : tr(c, "; no human review", " ; sans revue humaine"));
}

static void fill_id(const struct ctx *c, const struct pdv_activity *a, struct ptext *p)
{
	pt_put(p, set(a->id.s) ? a->id.s : ns(c));
}

static void fill_name(const struct ctx *c, const struct pdv_activity *a, struct ptext *p)
{
	pt_put(p, render_activity_name(a, c->lang));
}

struct element {
	const char *en, *fr;
	fill_fn fill;
};

/* the columns of the CSV and the rows of each activity's table */
/* one row per entry, as the table reads */
/* clang-format off */
static const struct element elements[] = {
	{"Identifier", "Identifiant", fill_id},
	{"Activity", "Traitement", fill_name},
	{"Controller and DPO (Art. 30(1)(a))", "Responsable et DPO (art. 30.1.a)", fill_controller},
	{"Joint controllers (Art. 26)", "Responsables conjoints (art. 26)", fill_joint},
	{"Purposes (Art. 30(1)(b))", "Finalités (art. 30.1.b)", fill_purposes},
	{"Legal basis (Art. 6)", "Base légale (art. 6)", fill_basis},
	{"Basis detail (interest pursued, law)", "Précision sur la base (intérêt poursuivi, texte)",
	 fill_basis_detail},
	{"Categories of data subjects (Art. 30(1)(c))", "Catégories de personnes concernées (art. 30.1.c)",
	 fill_subjects},
	{"Categories of personal data (Art. 30(1)(c))", "Catégories de données (art. 30.1.c)",
	 fill_categories},
	{"Special categories: condition (Art. 9(2), 10)", "Données sensibles : condition (art. 9.2, 10)",
	 fill_special},
	{"Recipients (Art. 30(1)(d))", "Destinataires (art. 30.1.d)", fill_recipients},
	{"Internal access", "Accès internes", fill_access},
	{"Transfers to third countries and safeguards (Art. 30(1)(e))",
	 "Transferts hors UE/EEE et garanties (art. 30.1.e)", fill_transfers},
	{"Time limits for erasure (Art. 30(1)(f))", "Délais d'effacement (art. 30.1.f)", fill_retention},
	{"Retention as declared", "Conservation telle que déclarée", fill_retention_declared},
	{"Security measures (Art. 30(1)(g))", "Mesures de sécurité (art. 30.1.g)", fill_security},
	{"Source of the data", "Source des données", fill_source},
	{"DPIA (Art. 35)", "AIPD (art. 35)", fill_dpia},
	{"Automated decision (Art. 22)", "Décision automatisée (art. 22)", fill_automated},
};
/* clang-format on */

#define N_ELEMENTS (sizeof(elements) / sizeof(elements[0]))

static int element_text(const struct ctx *c, const struct pdv_activity *a, size_t e,
                        struct ptext *p)
{
	pdv_buf_reset(&p->b);
	p->rc = 0;
	p->items = 0;
	elements[e].fill(c, a, p);
	return p->rc;
}

/* ---- csv ------------------------------------------------------------- */

/*
 * csv: RFC 4180 (",", CRLF after every record, the last one too, a cell
 * quoted when it holds a separator, a quote or a line break, quotes
 * doubled). csv-excel: the same table as Excel opens it with a double click
 * in a French locale, where "," is the decimal comma and the list separator
 * is ";": a UTF-8 byte order mark (else Excel reads the bytes as Windows-1252),
 * ";" between cells, and the register's date as the last column, written as
 * the locale writes dates. pdv_buf_put_csv quotes a cell that holds either
 * separator, so one writer serves both.
 */
static int render_csv(const struct ctx *c, bool excel, pdv_day_t on, struct pdv_buf *out)
{
	char sep = excel ? ';' : ',';
	bool dated = excel && on >= 0;
	char day[11];
	struct ptext p = {0};
	int r = 0;

	pdv_buf_init(&p.b, 0);
	if (excel && (r = pdv_buf_puts(out, "\xEF\xBB\xBF")) < 0)
		goto out;
	for (size_t e = 0; e < N_ELEMENTS; e++) {
		if (e && (r = pdv_buf_putc(out, sep)) < 0)
			goto out;
		if ((r = pdv_buf_put_csv(out, tr(c, elements[e].en, elements[e].fr))) < 0)
			goto out;
	}
	if (dated && ((r = pdv_buf_putc(out, sep)) < 0 ||
	              (r = pdv_buf_put_csv(out, tr(c, "Register date", "Date du registre"))) < 0))
		goto out;
	/* RFC 4180 ends records with CRLF */
	if ((r = pdv_buf_puts(out, "\r\n")) < 0)
		goto out;
	if (dated)
		render_date_short(on, c->lang, day);
	for (size_t i = 0; i < c->d->n_activities; i++) {
		for (size_t e = 0; e < N_ELEMENTS; e++) {
			if ((r = element_text(c, &c->d->activities[i], e, &p)) < 0)
				goto out;
			if (e && (r = pdv_buf_putc(out, sep)) < 0)
				goto out;
			if ((r = pdv_buf_put_csv(out, pt_str(&p))) < 0)
				goto out;
		}
		if (dated && ((r = pdv_buf_putc(out, sep)) < 0 || (r = pdv_buf_puts(out, day)) < 0))
			goto out;
		if ((r = pdv_buf_puts(out, "\r\n")) < 0)
			goto out;
	}
out:
	pdv_buf_release(&p.b);
	return r;
}

/* ---- xlsx ------------------------------------------------------------- */

/* a row of the controller's sheet: our label, then the text */
static void xlsx_pair(struct rxlsx *x, size_t row, const char *label, const char *text)
{
	rxlsx_text(x, row, 0, label);
	rxlsx_text(x, row, 1, text);
}

/*
 * The tables of the html register, one sheet each: the controller (element,
 * detail; the register's date last, a real date), the activities (one row per
 * activity, the csv's columns: a table a DPO filters and sorts) and the
 * security measures. What each cell says is what the csv says.
 */
static int render_xlsx(const struct ctx *c, pdv_day_t on, struct pdv_buf *out)
{
	static const double pair_widths[] = {36, 90};
	static const double list_widths[] = {110};
	const struct pdv_controller *k = &c->d->controller;
	double widths[N_ELEMENTS];
	struct ptext p = {0};
	struct rxlsx *x = NULL;
	size_t row = 0;
	int r;

	if ((r = rxlsx_open(c->lang, on, &x)) < 0)
		return r;
	pdv_buf_init(&p.b, 0);

	rxlsx_sheet(x, tr(c, "Controller", "Responsable"), 2, pair_widths);
	xlsx_pair(x, row++, tr(c, "Element", "Élément"), tr(c, "Details", "Détail"));
	xlsx_pair(x, row++, tr(c, "Name", "Nom"), set(k->name.s) ? k->name.s : ns(c));
	xlsx_pair(x, row++, tr(c, "Legal form", "Forme juridique"),
	          set(k->legal_form.s) ? k->legal_form.s : ns(c));
	xlsx_pair(x, row++, tr(c, "Registration", "Immatriculation"),
	          set(k->registration.s) ? k->registration.s : ns(c));
	xlsx_pair(x, row++, tr(c, "Address", "Adresse"), set(k->address.s) ? k->address.s : ns(c));
	xlsx_pair(x, row++, tr(c, "Email", "E-mail"), set(k->email.s) ? k->email.s : ns(c));
	xlsx_pair(x, row++, tr(c, "Telephone", "Téléphone"), set(k->phone.s) ? k->phone.s : ns(c));
	pdv_buf_reset(&p.b);
	if (k->dpo.present)
		contact_text(c, &k->dpo, &p);
	else
		pt_put(&p, ns(c));
	xlsx_pair(x, row++, tr(c, "Data protection officer", "Délégué à la protection des données"),
	          pt_str(&p));
	if (k->representative.present) {
		pdv_buf_reset(&p.b);
		contact_text(c, &k->representative, &p);
		xlsx_pair(x, row++,
		          tr(c, "EU representative (Art. 27)", "Représentant dans l'UE (art. 27)"),
		          pt_str(&p));
	}
	if (on >= 0) {
		rxlsx_text(x, row, 0, tr(c, "Register date", "Date du registre"));
		rxlsx_date(x, row++, 1, on);
	}

	for (size_t e = 0; e < N_ELEMENTS; e++)
		widths[e] = e == 0 ? 18 : e == 1 ? 28 : 42;
	rxlsx_sheet(x, tr(c, "Processing activities", "Traitements"), N_ELEMENTS, widths);
	for (size_t e = 0; e < N_ELEMENTS; e++)
		rxlsx_text(x, 0, e, tr(c, elements[e].en, elements[e].fr));
	for (size_t i = 0; i < c->d->n_activities; i++)
		for (size_t e = 0; e < N_ELEMENTS; e++) {
			if ((r = element_text(c, &c->d->activities[i], e, &p)) < 0)
				goto out;
			rxlsx_text(x, i + 1, e, pt_str(&p));
		}

	rxlsx_sheet(x, tr(c, "Security measures", "Mesures de sécurité"), 1, list_widths);
	rxlsx_text(x, 0, 0,
	           tr(c, "Security measures (Art. 30(1)(g), 32)",
	              "Mesures de sécurité (art. 30.1.g, 32)"));
	row = 1;
	for (size_t i = 0; i < c->d->security.n; i++) {
		const char *s = pdv_text_get(&c->d->security.v[i], c->lang);
		if (set(s))
			rxlsx_text(x, row++, 0, s);
	}
	if (row == 1)
		rxlsx_text(x, row, 0, ns(c));
	r = p.rc;
out : {
	int f = rxlsx_finish(x, out);
	if (r == 0)
		r = f;
}
	pdv_buf_release(&p.b);
	return r;
}

/* ---- md and html ------------------------------------------------------ */

static void doc_contact_row(struct rdoc *doc, const struct ctx *c, const char *en, const char *fr,
                            const struct pdv_contact *k, struct ptext *p)
{
	rdoc_row_begin(doc);
	rdoc_cell_begin(doc, true);
	rdoc_tr(doc, en, fr);
	rdoc_cell_end(doc);
	rdoc_cell_begin(doc, false);
	pdv_buf_reset(&p->b);
	p->rc = 0;
	if (k->present)
		contact_text(c, k, p);
	else
		pt_put(p, ns(c));
	if (p->rc)
		doc->rc = p->rc;
	rdoc_text(doc, pt_str(p));
	rdoc_cell_end(doc);
	rdoc_row_end(doc);
}

static void doc_row(struct rdoc *doc, const char *en, const char *fr, const char *value,
                    const char *dflt)
{
	rdoc_row_begin(doc);
	rdoc_cell_begin(doc, true);
	rdoc_tr(doc, en, fr);
	rdoc_cell_end(doc);
	rdoc_cell_begin(doc, false);
	rdoc_text(doc, set(value) ? value : dflt);
	rdoc_cell_end(doc);
	rdoc_row_end(doc);
}

static int render_doc(const struct ctx *c, enum pdv_format fmt, struct pdv_buf *out)
{
	const struct pdv_controller *k = &c->d->controller;
	struct rdoc doc;
	struct ptext p = {0};
	int r;

	pdv_buf_init(&p.b, 0);
	rdoc_init(&doc, out, fmt, c->lang);
	rdoc_page_begin(
	    &doc,
	    tr(c, "Register of processing activities", "Registre des activités de traitement"),
	    set(k->name.s) ? k->name.s : NULL);

	rdoc_h_begin(&doc, 2);
	rdoc_tr(&doc, "Controller (Art. 30(1)(a))", "Responsable du traitement (art. 30.1.a)");
	rdoc_h_end(&doc, 2);
	rdoc_table_begin(&doc, "Controller, DPO and representative",
	                 "Responsable, DPO et représentant", 2);
	rdoc_th(&doc, "Element", "Élément");
	rdoc_th(&doc, "Details", "Détail");
	rdoc_table_body(&doc);
	doc_row(&doc, "Name", "Nom", k->name.s, ns(c));
	doc_row(&doc, "Legal form", "Forme juridique", k->legal_form.s, ns(c));
	doc_row(&doc, "Registration", "Immatriculation", k->registration.s, ns(c));
	doc_row(&doc, "Address", "Adresse", k->address.s, ns(c));
	doc_row(&doc, "Email", "E-mail", k->email.s, ns(c));
	doc_row(&doc, "Telephone", "Téléphone", k->phone.s, ns(c));
	doc_contact_row(&doc, c, "Data protection officer", "Délégué à la protection des données",
	                &k->dpo, &p);
	if (k->representative.present)
		doc_contact_row(&doc, c, "EU representative (Art. 27)",
		                "Représentant dans l'UE (art. 27)", &k->representative, &p);
	rdoc_table_end(&doc);

	rdoc_h_begin(&doc, 2);
	rdoc_tr(&doc, "Processing activities", "Activités de traitement");
	rdoc_h_end(&doc, 2);
	if (!c->d->n_activities) {
		rdoc_p_begin(&doc);
		rdoc_text(&doc, ns(c));
		rdoc_p_end(&doc);
	}
	for (size_t i = 0; i < c->d->n_activities; i++) {
		const struct pdv_activity *a = &c->d->activities[i];

		rdoc_h_begin(&doc, 3);
		rdoc_text(&doc, render_activity_name(a, c->lang));
		if (set(a->id.s)) {
			rdoc_raw(&doc, " (");
			rdoc_text(&doc, a->id.s);
			rdoc_raw(&doc, ")");
		}
		rdoc_h_end(&doc, 3);
		rdoc_table_begin(&doc, "Register entry", "Fiche de registre", 2);
		rdoc_th(&doc, "Element", "Élément");
		rdoc_th(&doc, "Details", "Détail");
		rdoc_table_body(&doc);
		/* the id and name are in the heading; the controller in its own table */
		for (size_t e = 0; e < N_ELEMENTS; e++) {
			if (elements[e].fill == fill_name || elements[e].fill == fill_controller)
				continue;
			if ((r = element_text(c, a, e, &p)) < 0)
				goto out;
			doc_row(&doc, elements[e].en, elements[e].fr, pt_str(&p), ns(c));
		}
		rdoc_table_end(&doc);
	}

	rdoc_h_begin(&doc, 2);
	rdoc_tr(&doc, "Security measures (Art. 30(1)(g), 32)",
	        "Mesures de sécurité (art. 30.1.g, 32)");
	rdoc_h_end(&doc, 2);
	rdoc_ul_begin(&doc);
	if (!c->d->security.n) {
		rdoc_li_begin(&doc);
		rdoc_text(&doc, ns(c));
		rdoc_li_end(&doc);
	}
	for (size_t i = 0; i < c->d->security.n; i++) {
		rdoc_li_begin(&doc);
		rdoc_dtext(&doc, &c->d->security.v[i]);
		rdoc_li_end(&doc);
	}
	rdoc_ul_end(&doc);
	rdoc_page_end(&doc);
	r = rdoc_finish(&doc);
out:
	pdv_buf_release(&p.b);
	return r;
}

/* ---- json ------------------------------------------------------------- */

/* jansson steals v even on failure; a NULL v (allocation) is a failure */
static bool jset(json_t *o, const char *key, json_t *v)
{
	return json_object_set_new(o, key, v) == 0;
}

/* jset after a failure still releases v, so chains of jadd never leak */
static bool jadd(bool ok, json_t *o, const char *key, json_t *v)
{
	if (!ok) {
		json_decref(v);
		return false;
	}
	return jset(o, key, v);
}

static bool jpush(json_t *a, json_t *v)
{
	return json_array_append_new(a, v) == 0;
}

static json_t *jstr(const char *s)
{
	return set(s) ? json_string(s) : json_null();
}

static json_t *jtext(const struct ctx *c, const struct pdv_text *t)
{
	return jstr(pdv_text_get(t, c->lang));
}

static json_t *jcontact(const struct pdv_contact *k)
{
	json_t *o;
	bool ok;

	if (!k->present)
		return json_null();
	if (!(o = json_object()))
		return NULL;
	ok = jset(o, "name", jstr(k->name.s)) && jset(o, "email", jstr(k->email.s)) &&
	     jset(o, "address", jstr(k->address.s)) && jset(o, "phone", jstr(k->phone.s));
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *jcontroller(const struct ctx *c)
{
	const struct pdv_controller *k = &c->d->controller;
	const struct pdv_authority *au = &k->authority;
	const struct pdv_authority_info *b =
	    au->present && au->id.s ? pdv_authority_builtin(au->id.s) : NULL;
	json_t *o = json_object(), *auth = NULL;
	bool ok;

	if (!o)
		return NULL;
	if (b)
		auth = json_pack("{s:s, s:s?, s:s?, s:s?}", "id", b->id, "name",
		                 pdv_i18n_is_fr(c->lang) ? b->name_fr : b->name_en, "address",
		                 b->address, "url", b->url);
	else if (au->present)
		auth = json_pack("{s:o, s:o, s:o, s:o}", "id", jstr(au->id.s), "name",
		                 jtext(c, &au->name), "address", jstr(au->address.s), "url",
		                 jstr(au->url.s));
	else
		auth = json_null();
	ok = jset(o, "name", jstr(k->name.s)) && jset(o, "legal_form", jstr(k->legal_form.s)) &&
	     jset(o, "registration", jstr(k->registration.s)) &&
	     jset(o, "address", jstr(k->address.s)) && jset(o, "email", jstr(k->email.s)) &&
	     jset(o, "phone", jstr(k->phone.s)) && jset(o, "country", jstr(k->country.s)) &&
	     jset(o, "dpo", jcontact(&k->dpo)) &&
	     jset(o, "representative", jcontact(&k->representative));
	ok = jadd(ok, o, "authority", auth);
	if (!ok) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *jkeyname(const char *key, const char *name)
{
	return json_pack("{s:o, s:o}", "key", jstr(key), "name", jstr(name));
}

static json_t *jsecurity(const struct ctx *c)
{
	json_t *a = json_array();

	if (!a)
		return NULL;
	for (size_t i = 0; i < c->d->security.n; i++)
		if (!jpush(a, jtext(c, &c->d->security.v[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* a recipient's places as declared codes (country, then countries), only
 * those outside the EEA when asked; NULL when out of memory */
static json_t *jplaces(const struct pdv_recipient *r, bool only_outside)
{
	const char *places[RENDER_PLACES_MAX];
	size_t n = render_places(r, places, RENDER_PLACES_MAX);
	json_t *v = json_array();

	for (size_t i = 0; v && i < n; i++) {
		if (only_outside && !render_place_outside_eea(places[i]))
			continue;
		if (!jpush(v, json_string(places[i]))) {
			json_decref(v);
			return NULL;
		}
	}
	return v;
}

static json_t *jactivity(const struct ctx *c, const struct pdv_activity *a)
{
	json_t *o = json_object(), *v;
	char words[WORDS_MAX];
	bool ok = o != NULL;

	if (!ok)
		return NULL;
	ok = jset(o, "id", jstr(a->id.s)) && jset(o, "name", jtext(c, &a->name));

	v = json_array();
	for (size_t i = 0; ok && v && i < a->purposes.n; i++)
		ok = jpush(v, jtext(c, &a->purposes.v[i]));
	ok = jadd(ok, o, "purposes", v);

	v = json_array();
	for (size_t i = 0; ok && v && i < a->basis.n; i++)
		ok = jpush(
		    v, jkeyname(a->basis.v[i].s, pdv_i18n_basis(a->basis.v[i].s, c->lang, false)));
	ok = jadd(ok, o, "basis", v);
	ok = ok && jset(o, "basis_detail", jtext(c, &a->basis_detail));

	v = json_array();
	for (size_t i = 0; ok && v && i < a->subjects.n; i++)
		ok = jpush(v,
		           jkeyname(a->subjects.v[i].s,
		                    pdv_i18n_taxon(PDV_TAX_SUBJECT, a->subjects.v[i].s, c->lang)));
	ok = jadd(ok, o, "data_subjects", v);

	v = json_array();
	for (size_t i = 0; ok && v && i < a->n_fields; i++) {
		const struct pdv_field *f = &a->fields[i];
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = f->category.s && a->fields[j].category.s &&
			       strcmp(f->category.s, a->fields[j].category.s) == 0;
		if (!seen)
			ok = jpush(
			    v, jkeyname(f->category.s,
			                pdv_i18n_taxon(PDV_TAX_CATEGORY, f->category.s, c->lang)));
	}
	ok = jadd(ok, o, "data_categories", v);

	json_t *tr_list = json_array();
	v = json_array();
	if (!ok) {
		json_decref(tr_list);
		json_decref(v);
		goto fail;
	}
	for (size_t i = 0; ok && v && tr_list && i < a->recipients.n; i++) {
		const struct pdv_recipient *r = act_recipient(c, a, i);
		if (!r) {
			ok = jpush(v, json_pack("{s:o, s:n, s:n, s:n, s:n}", "id",
			                        jstr(a->recipients.v[i].s), "name", "role",
			                        "country", "safeguard"));
			continue;
		}
		ok = jpush(v, json_pack("{s:o, s:o, s:o, s:o, s:o?, s:o}", "id", jstr(r->id.s),
		                        "name", jtext(c, &r->name), "role", jstr(r->role.s),
		                        "country", jstr(r->country.s), "countries",
		                        jplaces(r, false), "safeguard", jstr(r->safeguard.s)));
		if (ok && render_outside_eea(r)) {
			const char *sg = pdv_i18n_safeguard(r->safeguard.s, c->lang);
			bool named = r->country.s && render_place_outside_eea(r->country.s);
			ok = jpush(
			    tr_list,
			    json_pack("{s:o, s:o, s:o, s:o, s:o?, s:o, s:o}", "recipient",
			              jstr(r->id.s), "name", jtext(c, &r->name), "country",
			              jstr(named ? r->country.s : NULL), "country_name",
			              jstr(named ? pdv_country_name(r->country.s, c->lang) : NULL),
			              "countries", jplaces(r, true), "safeguard",
			              jstr(r->safeguard.s), "safeguard_description", jstr(sg)));
		}
	}
	ok = jadd(ok, o, "recipients", v);
	ok = jadd(ok, o, "transfers", tr_list);

	/* Art. 30(1)(a): the joint controllers of this activity */
	v = json_array();
	for (size_t i = 0; ok && v && i < a->recipients.n; i++) {
		const struct pdv_recipient *r = act_recipient(c, a, i);
		if (r && r->role.s && strcmp(r->role.s, "joint-controller") == 0)
			ok = jpush(v, json_pack("{s:o, s:o}", "id", jstr(r->id.s), "name",
			                        jtext(c, &r->name)));
	}
	ok = jadd(ok, o, "joint_controllers", v);
	if (!ok)
		goto fail;

	if (a->retention.present) {
		enum rwords w =
		    render_retention_words(c->d, &a->retention, c->lang, words, sizeof(words));
		v = json_pack("{s:o, s:o, s:o, s:o, s:o}", "active", jstr(a->retention.active.s),
		              "archive", jstr(a->retention.archive.s), "end",
		              jstr(a->retention.end.s), "description",
		              w == RWORDS_DESCRIBED ? jstr(words) : json_null(), "condition",
		              a->retention.condition.present ? jtext(c, &a->retention.condition)
		                                             : json_null());
	} else {
		v = json_null();
	}
	ok = jset(o, "retention", v) && jset(o, "security", jsecurity(c));

	if (a->source.present && a->source.third_party.present)
		v = json_pack("{s:s, s:o, s:o}", "kind", "third-party", "description",
		              jtext(c, &a->source.third_party), "informed_within",
		              jstr(a->source.informed_within.s));
	else if (a->source.present && set(a->source.kind.s))
		v = json_pack("{s:s, s:n}", "kind", a->source.kind.s, "description");
	else
		v = json_null();
	ok = jadd(ok, o, "source", v);

	if (a->dpia.present)
		v = json_pack("{s:o, s:o}", "done",
		              a->dpia.done.present ? json_boolean(a->dpia.done.v) : json_null(),
		              "ref", jstr(a->dpia.ref.s));
	else
		v = json_null();
	ok = jadd(ok, o, "dpia", v);

	if (set(a->special_category.s))
		v = json_pack("{s:s, s:o}", "condition", a->special_category.s, "description",
		              jstr(pdv_i18n_special_condition(a->special_category.s, c->lang)));
	else
		v = json_null();
	ok = jadd(ok, o, "special_category", v);

	if (!a->automated_decision.present)
		v = json_null();
	else if (a->automated_decision.is_false)
		v = json_false();
	else
		v = json_pack("{s:o, s:o, s:o}", "logic", jtext(c, &a->automated_decision.logic),
		              "safeguards", jtext(c, &a->automated_decision.safeguards),
		              "human_review",
		              a->automated_decision.human_review.present
		                  ? json_boolean(a->automated_decision.human_review.v)
		                  : json_null());
	ok = jadd(ok, o, "automated_decision", v);
	ok = jadd(ok, o, "profiling", a->profiling.present ? jtext(c, &a->profiling) : json_null());
	if (ok)
		return o;
fail:
	json_decref(o);
	return NULL;
}

static int render_json(const struct ctx *c, struct pdv_buf *out)
{
	json_t *root = json_object(), *acts = json_array();
	char *text = NULL;
	int r = PDV_E_NOMEM;
	bool ok = root && acts;

	for (size_t i = 0; ok && i < c->d->n_activities; i++)
		ok = jpush(acts, jactivity(c, &c->d->activities[i]));
	if (!ok) {
		json_decref(acts);
		goto out;
	}
	ok = jset(root, "controller", jcontroller(c));
	ok = jadd(ok, root, "activities", acts);
	ok = ok && jset(root, "security", jsecurity(c));
	if (!ok)
		goto out;
	/* insertion order, as the register reads: jansson keeps it (>= 2.8) */
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (!text)
		goto out;
	if ((r = pdv_buf_puts(out, text)) < 0)
		goto out;
	r = pdv_buf_putc(out, '\n');
out:
	free(text);
	json_decref(root);
	return r;
}

/* ---- the register ----------------------------------------------------- */

int pdv_render_register(const struct pdv_decl *d, const char *lang, enum pdv_format fmt,
                        struct pdv_buf *out, struct pdv_error *err)
{
	return pdv_render_register_on(d, lang, fmt, -1, out, err);
}

int pdv_render_register_on(const struct pdv_decl *d, const char *lang, enum pdv_format fmt,
                           pdv_day_t on, struct pdv_buf *out, struct pdv_error *err)
{
	struct ctx c = {d, lang};
	size_t start;
	int r;

	if (!d || !out)
		return pdv_error_set(err, PDV_E_INVAL, "no declaration or output buffer");
	if (!pdv_render_lang_supported(lang))
		return pdv_error_set(err, PDV_E_INVAL, "unsupported language '%s' (fr or en)",
		                     lang ? lang : "");
	start = out->len;
	switch (fmt) {
	case PDV_FORMAT_CSV:
	case PDV_FORMAT_CSV_EXCEL:
		r = render_csv(&c, fmt == PDV_FORMAT_CSV_EXCEL, on, out);
		break;
	case PDV_FORMAT_XLSX:
		r = render_xlsx(&c, on, out);
		break;
	case PDV_FORMAT_JSON:
		r = render_json(&c, out);
		break;
	case PDV_FORMAT_MD:
	case PDV_FORMAT_HTML:
		r = render_doc(&c, fmt, out);
		break;
	case PDV_FORMAT_DPV:
		r = render_dpv(d, lang, out);
		break;
	default:
		return pdv_error_set(err, PDV_E_INVAL, "unknown register format");
	}
	if (r < 0) {
		/* no half register: the caller's buffer is left as it was */
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
		return pdv_error_set(err, r, "the register could not be written (%s)",
		                     pdv_rc_code(r));
	}
	return 0;
}
