/*
 * export.c — the copy a data subject receives (Art. 15), and the portable
 * extract (Art. 20), from the declaration and the subject's records.
 *
 * Everything Art. 15(1)(a)-(h) asks is drawn from the declaration per record:
 * (a) purposes, (b) categories, (c) recipients by name, (d) retention in
 * words and the date of the next step, (e) the rights that apply, (f) the
 * complaint to the supervisory authority, (g) the source, (h) automated
 * decisions. Values are escaped for the format like any other text.
 *
 * The html and csv forms are for the person: each value under its field's
 * label (what the form showed them, in their language), dates in words
 * ("2 mars 2026"), the phase and next step in words. The json keeps the
 * machine keys (field names, RFC 3339 times) and adds each field's label.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "i18n.h"
#include "render-internal.h"

static const char *text_in(const struct pdv_text *t, const char *lang)
{
	if (!t || !t->present)
		return NULL;
	if (t->any)
		return t->any;
	for (size_t i = 0; i < t->n_lang; i++)
		if (strcmp(t->langs[i].lang, lang) == 0)
			return t->langs[i].text;
	return t->n_lang ? t->langs[0].text : NULL;
}

static const struct pdv_recipient *recipient(const struct pdv_decl *d, const char *id)
{
	for (size_t i = 0; id && i < d->n_recipients; i++)
		if (d->recipients[i].id.s && strcmp(d->recipients[i].id.s, id) == 0)
			return &d->recipients[i];
	return NULL;
}

static const struct pdv_field *field_of(const struct pdv_activity *a, const char *name)
{
	for (size_t k = 0; a && k < a->n_fields; k++)
		if (a->fields[k].name.s && strcmp(a->fields[k].name.s, name) == 0)
			return &a->fields[k];
	return NULL;
}

/* the label of the field named name in a, as its form shows it; the name
 * itself for a field the declaration no longer has */
static const char *label_of(const struct pdv_activity *a, const char *name, const char *lang,
                            char buf[static RENDER_LABEL_MAX])
{
	for (size_t k = 0; a && k < a->n_fields; k++)
		if (a->fields[k].name.s && strcmp(a->fields[k].name.s, name) == 0)
			return render_field_label(a, k, lang, buf);
	return name;
}

/* a record's phase in words */
static const char *phase_words(const char *phase, const char *lang)
{
	if (!phase)
		return pdv_i18n_not_stated(lang);
	if (strcmp(phase, "active") == 0)
		return pdv_i18n_pick(lang, "in use", "en cours d'utilisation");
	if (strcmp(phase, "renewal-pending") == 0)
		return pdv_i18n_pick(lang, "awaiting your renewal",
		                     "en attente de votre renouvellement");
	if (strcmp(phase, "archived") == 0)
		return pdv_i18n_pick(lang, "archived", "archivées");
	if (strcmp(phase, "ended") == 0)
		return pdv_i18n_pick(lang, "deleted or anonymised", "supprimées ou anonymisées");
	return phase;
}

/* "archived on 2 March 2027": the record's next step and its day in words */
static void next_words(const struct pdv_export_record *r, const char *lang, char *buf, size_t size)
{
	char day[RENDER_DATE_MAX];

	if (!r->has_next) {
		snprintf(buf, size, "%s", pdv_i18n_pick(lang, "none planned", "aucune prévue"));
		return;
	}
	render_date_words(pdv_time_day(r->next_at), lang, day);
	snprintf(buf, size, "%s %s %s", phase_words(r->next_phase, lang),
	         pdv_i18n_pick(lang, "on", "le"), day);
}

/* the rights that apply to an activity, by its basis */
static size_t rights_of(const struct pdv_activity *a, enum pdv_right out[PDV_RIGHT_COUNT_])
{
	size_t n = 0;

	out[n++] = PDV_RIGHT_ACCESS;
	out[n++] = PDV_RIGHT_RECTIFICATION;
	out[n++] = PDV_RIGHT_ERASURE;
	out[n++] = PDV_RIGHT_RESTRICTION;
	if (render_has_basis(a, "consent") || render_has_basis(a, "contract"))
		out[n++] = PDV_RIGHT_PORTABILITY;
	if (render_has_basis(a, "legitimate-interests") || render_has_basis(a, "public-task"))
		out[n++] = PDV_RIGHT_OBJECTION;
	if (render_is_marketing(a))
		out[n++] = PDV_RIGHT_OBJECTION_MARKETING;
	if (render_has_basis(a, "consent"))
		out[n++] = PDV_RIGHT_WITHDRAWAL;
	out[n++] = PDV_RIGHT_POST_MORTEM;
	return n;
}

static void authority(const struct pdv_decl *d, const char *lang, const char **name,
                      const char **url)
{
	const struct pdv_authority *au = &d->controller.authority;
	const struct pdv_authority_info *b = au->id.s ? pdv_authority_builtin(au->id.s) : NULL;

	*name = b ? pdv_i18n_pick(lang, b->name_en, b->name_fr) : text_in(&au->name, lang);
	*url = b ? b->complaint_url : au->url.s;
}

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *time_json(pdv_time_t t)
{
	char buf[21];

	pdv_time_format(t, buf);
	return json_string(buf);
}

static json_t *value_json(const struct pdv_export_field *f)
{
	if (pdv_utf8_valid(f->value, f->len))
		return json_stringn(f->value, f->len);
	return json_pack("{s:I}", "bytes", (json_int_t)f->len);
}

static json_t *record_json(const struct pdv_decl *d, const char *lang,
                           const struct pdv_export_record *r, bool portable)
{
	const struct pdv_activity *a = pdv_decl_activity(d, r->activity);
	json_t *o = json_pack("{s:s, s:s, s:o}", "record", r->record, "activity", r->activity,
	                      "collected_at", time_json(r->collected_at));
	json_t *fields = json_object();

	for (size_t i = 0; i < r->n_fields; i++)
		json_object_set_new(fields, r->fields[i].name, value_json(&r->fields[i]));
	if (portable) {
		json_object_set_new(o, "fields", fields);
		return o;
	}
	json_t *purposes = json_array(), *cats = json_array(), *recips = json_array(),
	       *rights = json_array(), *basis = json_array();
	for (size_t i = 0; a && a->purposes.present && i < a->purposes.n; i++)
		json_array_append_new(purposes, jstr(text_in(&a->purposes.v[i], lang)));
	for (size_t i = 0; a && a->basis.present && i < a->basis.n; i++) {
		const char *w = pdv_i18n_basis(a->basis.v[i].s, lang, false);

		json_array_append_new(basis, jstr(w ? w : a->basis.v[i].s));
	}
	for (size_t i = 0; i < r->n_fields; i++) {
		const struct pdv_field *f = field_of(a, r->fields[i].name);
		char label[RENDER_LABEL_MAX];

		json_array_append_new(
		    cats, json_pack("{s:s, s:s, s:s}", "field", r->fields[i].name, "category",
		                    f ? render_field_category(f, lang) : "?", "label",
		                    label_of(a, r->fields[i].name, lang, label)));
	}
	for (size_t i = 0; a && a->recipients.present && i < a->recipients.n; i++) {
		const struct pdv_recipient *rc = recipient(d, a->recipients.v[i].s);

		if (!rc)
			continue;
		json_array_append_new(
		    recips,
		    json_pack("{s:s, s:o, s:o, s:o}", "name", render_recipient_name(rc, lang),
		              "role", jstr(pdv_i18n_recipient_role(rc->role.s, lang)), "service",
		              jstr(text_in(&rc->service, lang)), "country", jstr(rc->country.s)));
	}
	{
		enum pdv_right list[PDV_RIGHT_COUNT_];
		size_t n = rights_of(a, list);

		for (size_t i = 0; i < n; i++)
			json_array_append_new(rights,
			                      json_string(pdv_i18n_right_title(list[i], lang)));
	}
	char words[512] = "";
	if (a)
		render_retention_words(d, &a->retention, lang, words, sizeof(words));
	const char *au_name, *au_url;
	authority(d, lang, &au_name, &au_url);
	json_object_set_new(o, "name", jstr(a ? render_activity_name(a, lang) : NULL));
	json_object_set_new(o, "phase", jstr(r->phase));
	json_object_set_new(o, "purposes", purposes);
	json_object_set_new(o, "basis", basis);
	json_object_set_new(o, "basis_detail", jstr(a ? text_in(&a->basis_detail, lang) : NULL));
	json_object_set_new(o, "categories", cats);
	json_object_set_new(o, "recipients", recips);
	json_object_set_new(o, "retention",
	                    json_pack("{s:s, s:o}", "words", words, "next",
	                              r->has_next ? json_pack("{s:s, s:o}", "phase", r->next_phase,
	                                                      "at", time_json(r->next_at))
	                                          : json_null()));
	json_object_set_new(o, "rights", rights);
	json_object_set_new(
	    o, "complaint",
	    json_pack("{s:o, s:o}", "authority", jstr(au_name), "url", jstr(au_url)));
	json_object_set_new(o, "source",
	                    a && a->source.third_party.present
	                        ? jstr(text_in(&a->source.third_party, lang))
	                        : json_string(pdv_i18n_pick(lang, "you", "vous-même")));
	json_object_set_new(o, "automated_decision",
	                    a && a->automated_decision.present && !a->automated_decision.is_false
	                        ? jstr(text_in(&a->automated_decision.logic, lang))
	                        : json_false());
	json_object_set_new(o, "fields", fields);
	return o;
}

static int export_json(const struct pdv_decl *d, const char *lang, const char *subject,
                       bool portable, const struct pdv_export_record *recs, size_t n,
                       struct pdv_buf *out, struct pdv_error *err)
{
	json_t *arr = json_array(), *doc;
	char *s;
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, record_json(d, lang, &recs[i], portable));
	doc = json_pack("{s:s, s:o}", "subject", subject, "records", arr);
	if (!portable) {
		json_object_set_new(doc, "controller",
		                    json_pack("{s:o, s:o, s:o}", "name", jstr(d->controller.name.s),
		                              "email", jstr(d->controller.email.s), "dpo",
		                              jstr(d->controller.dpo.email.s)));
	}
	s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (!s)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if (pdv_buf_puts(out, s) < 0 || pdv_buf_putc(out, '\n') < 0)
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	explicit_bzero(s, strlen(s));
	free(s);
	return rc;
}

/*
 * The csv copy, RFC 4180: one row per value, the header and every cell in
 * the person's language (the field's label, the activity's name, the legal
 * basis and dates in words), for a person who opens it, not a program (the
 * json keeps the keys).
 */
static int export_csv(const struct pdv_decl *d, const char *lang,
                      const struct pdv_export_record *recs, size_t n, struct pdv_buf *out,
                      struct pdv_error *err)
{
	int rc = pdv_buf_puts(out, pdv_i18n_pick(lang,
	                                         "Record,Activity,Collected on,Purposes,Legal "
	                                         "basis,Data,Value,Next step\r\n",
	                                         "Enregistrement,Traitement,Collectée le,Finalités,"
	                                         "Base légale,Donnée,Valeur,Prochaine étape\r\n"));
	struct pdv_buf purposes, basis;

	pdv_buf_init(&purposes, 0);
	pdv_buf_init(&basis, 0);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const struct pdv_activity *a = pdv_decl_activity(d, recs[i].activity);
		char collected[RENDER_DATE_MAX], next[160];

		pdv_buf_reset(&purposes);
		pdv_buf_reset(&basis);
		for (size_t k = 0; rc == 0 && a && a->purposes.present && k < a->purposes.n; k++) {
			const char *p = text_in(&a->purposes.v[k], lang);
			rc = (k && pdv_buf_puts(&purposes, "; ") < 0) ||
			             pdv_buf_puts(&purposes, p ? p : pdv_i18n_not_stated(lang)) < 0
			         ? PDV_E_NOMEM
			         : 0;
		}
		for (size_t k = 0; rc == 0 && a && a->basis.present && k < a->basis.n; k++) {
			const char *w = pdv_i18n_basis(a->basis.v[k].s, lang, false);
			rc = (k && pdv_buf_puts(&basis, "; ") < 0) ||
			             pdv_buf_puts(&basis, w ? w : a->basis.v[k].s) < 0
			         ? PDV_E_NOMEM
			         : 0;
		}
		render_date_words(pdv_time_day(recs[i].collected_at), lang, collected);
		next_words(&recs[i], lang, next, sizeof(next));
		for (size_t f = 0; rc == 0 && f < recs[i].n_fields; f++) {
			char label[RENDER_LABEL_MAX];
			struct pdv_buf v;

			pdv_buf_init(&v, 0);
			pdv_buf_set_secret(&v);
			if (pdv_buf_append(&v, recs[i].fields[f].value, recs[i].fields[f].len) <
			        0 ||
			    pdv_buf_putc(&v, '\0') < 0)
				rc = PDV_E_NOMEM;
			if (rc == 0)
				rc =
				    pdv_buf_put_csv(out, recs[i].record) < 0 ||
				            pdv_buf_putc(out, ',') < 0 ||
				            pdv_buf_put_csv(out, a ? render_activity_name(a, lang)
				                                   : recs[i].activity) < 0 ||
				            pdv_buf_putc(out, ',') < 0 ||
				            pdv_buf_put_csv(out, collected) < 0 ||
				            pdv_buf_putc(out, ',') < 0 ||
				            pdv_buf_put_csv(out, purposes.data ? purposes.data
				                                               : "") < 0 ||
				            pdv_buf_putc(out, ',') < 0 ||
				            pdv_buf_put_csv(out, basis.data ? basis.data : "") <
				                0 ||
				            pdv_buf_putc(out, ',') < 0 ||
				            pdv_buf_put_csv(out, label_of(a, recs[i].fields[f].name,
				                                          lang, label)) < 0 ||
				            pdv_buf_putc(out, ',') < 0 ||
				            pdv_buf_put_csv(out, v.data) < 0 ||
				            pdv_buf_putc(out, ',') < 0 ||
				            pdv_buf_put_csv(out, next) < 0 ||
				            pdv_buf_puts(out, "\r\n") < 0
				        ? PDV_E_NOMEM
				        : 0;
			pdv_buf_release(&v);
		}
	}
	pdv_buf_release(&purposes);
	pdv_buf_release(&basis);
	return rc < 0 ? pdv_error_set(err, PDV_E_NOMEM, "out of memory") : 0;
}

static int export_html(const struct pdv_decl *d, const char *lang, const char *subject,
                       const struct pdv_export_record *recs, size_t n, struct pdv_buf *out)
{
	struct rdoc doc;

	rdoc_init(&doc, out, PDV_FORMAT_HTML, lang);
	rdoc_page_begin(&doc, pdv_i18n_pick(lang, "Your personal data", "Vos données personnelles"),
	                d->controller.name.s);
	rdoc_p_begin(&doc);
	rdoc_tr(&doc, "This is the copy of the personal data we hold about you (Art. 15 GDPR), ",
	        "Voici la copie des données personnelles que nous détenons sur vous (art. 15 du "
	        "RGPD), ");
	rdoc_tr(&doc, "reference ", "référence ");
	rdoc_text(&doc, subject);
	rdoc_raw(&doc, ".");
	rdoc_p_end(&doc);
	for (size_t i = 0; i < n; i++) {
		const struct pdv_export_record *r = &recs[i];
		const struct pdv_activity *a = pdv_decl_activity(d, r->activity);
		char words[512] = "", day[RENDER_DATE_MAX];
		const char *au_name, *au_url;
		enum pdv_right list[PDV_RIGHT_COUNT_];
		size_t nr;

		rdoc_h_begin(&doc, 2);
		rdoc_text(&doc, a ? render_activity_name(a, lang) : r->activity);
		rdoc_h_end(&doc, 2);
		rdoc_ul_begin(&doc);
		rdoc_li_begin(&doc);
		rdoc_label(&doc, "Collected on", "Collectées le");
		render_date_words(pdv_time_day(r->collected_at), lang, day);
		rdoc_text(&doc, day);
		rdoc_raw(&doc, rdoc_semi(&doc));
		rdoc_tr(&doc, "now ", "aujourd'hui ");
		rdoc_text(&doc, phase_words(r->phase, lang));
		rdoc_li_end(&doc);
		rdoc_li_begin(&doc);
		rdoc_label(&doc, "Purposes", "Finalités");
		for (size_t k = 0; a && a->purposes.present && k < a->purposes.n; k++) {
			if (k)
				rdoc_raw(&doc, " ; ");
			rdoc_dtext(&doc, &a->purposes.v[k]);
		}
		rdoc_li_end(&doc);
		rdoc_li_begin(&doc);
		rdoc_label(&doc, "Legal basis", "Base légale");
		for (size_t k = 0; a && a->basis.present && k < a->basis.n; k++) {
			const char *w = pdv_i18n_basis(a->basis.v[k].s, lang, true);

			rdoc_text(&doc, w ? w : a->basis.v[k].s);
		}
		rdoc_li_end(&doc);
		rdoc_li_begin(&doc);
		rdoc_label(&doc, "Recipients", "Destinataires");
		{
			bool any = false;

			for (size_t k = 0; a && a->recipients.present && k < a->recipients.n; k++) {
				const struct pdv_recipient *rc = recipient(d, a->recipients.v[k].s);

				if (!rc)
					continue;
				if (any)
					rdoc_raw(&doc, " ; ");
				rdoc_text(&doc, render_recipient_name(rc, lang));
				any = true;
			}
			if (!any)
				rdoc_tr(&doc, "none outside our organisation",
				        "aucun en dehors de notre organisation");
		}
		rdoc_li_end(&doc);
		rdoc_li_begin(&doc);
		rdoc_label(&doc, "Kept", "Conservation");
		if (a)
			render_retention_words(d, &a->retention, lang, words, sizeof(words));
		rdoc_text(&doc, words[0] ? words : pdv_i18n_not_stated(lang));
		if (r->has_next) {
			char next[160];

			next_words(r, lang, next, sizeof(next));
			rdoc_tr(&doc, " (next step: ", " (prochaine étape : ");
			rdoc_text(&doc, next);
			rdoc_raw(&doc, ")");
		}
		rdoc_li_end(&doc);
		rdoc_li_begin(&doc);
		rdoc_label(&doc, "Source", "Source");
		if (a && a->source.third_party.present)
			rdoc_dtext(&doc, &a->source.third_party);
		else
			rdoc_tr(&doc, "you", "vous-même");
		rdoc_li_end(&doc);
		rdoc_li_begin(&doc);
		rdoc_label(&doc, "Your rights", "Vos droits");
		nr = rights_of(a, list);
		for (size_t k = 0; k < nr; k++) {
			if (k)
				rdoc_raw(&doc, ", ");
			rdoc_text(&doc, pdv_i18n_right_title(list[k], lang));
		}
		rdoc_li_end(&doc);
		rdoc_li_begin(&doc);
		rdoc_label(&doc, "Complaint", "Réclamation");
		authority(d, lang, &au_name, &au_url);
		if (au_url)
			rdoc_link(&doc, au_url, au_name ? au_name : au_url);
		else
			rdoc_text(&doc, au_name ? au_name : pdv_i18n_not_stated(lang));
		rdoc_li_end(&doc);
		rdoc_li_begin(&doc);
		rdoc_label(&doc, "Automated decision", "Décision automatisée");
		if (a && a->automated_decision.present && !a->automated_decision.is_false)
			rdoc_dtext(&doc, &a->automated_decision.logic);
		else
			rdoc_tr(&doc, "none", "aucune");
		rdoc_li_end(&doc);
		rdoc_ul_end(&doc);
		rdoc_table_begin(&doc, "Your data", "Vos données", 2);
		rdoc_th(&doc, "Data", "Donnée");
		rdoc_th(&doc, "Value", "Valeur");
		rdoc_table_body(&doc);
		for (size_t f = 0; f < r->n_fields; f++) {
			char label[RENDER_LABEL_MAX];
			struct pdv_buf v;

			pdv_buf_init(&v, 0);
			pdv_buf_set_secret(&v);
			if (pdv_buf_append(&v, r->fields[f].value, r->fields[f].len) < 0 ||
			    pdv_buf_putc(&v, '\0') < 0) {
				pdv_buf_release(&v);
				doc.rc = PDV_E_NOMEM;
				break;
			}
			rdoc_row_begin(&doc);
			rdoc_cell_begin(&doc, true);
			rdoc_text(&doc, label_of(a, r->fields[f].name, lang, label));
			rdoc_cell_end(&doc);
			rdoc_cell_begin(&doc, false);
			if (pdv_utf8_valid(v.data, v.len - 1))
				rdoc_text(&doc, v.data);
			else
				rdoc_tr(&doc, "(a file)", "(un fichier)");
			rdoc_cell_end(&doc);
			rdoc_row_end(&doc);
			pdv_buf_release(&v);
		}
		rdoc_table_end(&doc);
	}
	rdoc_page_end(&doc);
	return rdoc_finish(&doc);
}

int pdv_render_export(const struct pdv_decl *d, const char *lang, enum pdv_format fmt,
                      const char *subject, bool portable, const struct pdv_export_record *recs,
                      size_t n, struct pdv_buf *out, struct pdv_error *err)
{
	if (portable && fmt != PDV_FORMAT_JSON)
		return pdv_error_set(err, PDV_E_USAGE, "a portable export is JSON");
	switch (fmt) {
	case PDV_FORMAT_JSON:
		return export_json(d, lang, subject, portable, recs, n, out, err);
	case PDV_FORMAT_CSV:
		return export_csv(d, lang, recs, n, out, err);
	case PDV_FORMAT_HTML:
		if (export_html(d, lang, subject, recs, n, out) < 0)
			return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		return 0;
	default:
		return pdv_error_set(err, PDV_E_USAGE, "an export is json, csv or html");
	}
}
