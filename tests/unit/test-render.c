/*
 * test-render.c — the privacy notice and the Art. 30 register, read as a
 * person or a spreadsheet would read them: what they say (controller,
 * purposes, recipients by name, retention in words, rights per basis, the
 * complaint), that the pages and tables are well formed, that hostile
 * declared text comes out escaped, and that a declaration missing almost
 * everything still renders. Then the collection form of an activity.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "pdv/buf.h"
#include "pdv/decl.h"
#include "pdv/render.h"

#define DATA PDV_SOURCE_ROOT "/tests/data/render/"

static struct pdv_decl *load(const char *name)
{
	char path[512];
	struct pdv_decl *d = NULL;
	struct pdv_error err;

	pdv_error_clear(&err);
	snprintf(path, sizeof(path), "%s%s", DATA, name);
	if (pdv_decl_load_file(path, &d, &err) < 0)
		fail_msg("%s: %s", path, err.msg);
	return d;
}

typedef int (*render_fn)(const struct pdv_decl *, const char *, enum pdv_format, struct pdv_buf *,
                         struct pdv_error *);

/* render to a malloc'd string (the caller frees it) */
static char *render(render_fn fn, const struct pdv_decl *d, const char *lang, enum pdv_format fmt)
{
	struct pdv_buf b;
	struct pdv_error err;
	char *s;

	pdv_buf_init(&b, 0);
	pdv_error_clear(&err);
	if (fn(d, lang, fmt, &b, &err) < 0)
		fail_msg("render %s %s: %s", lang, pdv_format_name(fmt), err.msg);
	s = pdv_buf_steal(&b);
	assert_non_null(s);
	return s;
}

static char *notice(const char *file, const char *lang, enum pdv_format fmt)
{
	struct pdv_decl *d = load(file);
	char *s = render(pdv_render_notice, d, lang, fmt);

	pdv_decl_free(d);
	return s;
}

static char *reg(const char *file, const char *lang, enum pdv_format fmt)
{
	struct pdv_decl *d = load(file);
	char *s = render(pdv_render_register, d, lang, fmt);

	pdv_decl_free(d);
	return s;
}

#define assert_has(hay, needle)                                                                    \
	do {                                                                                       \
		if (!strstr((hay), (needle)))                                                      \
			fail_msg("missing: %s", (needle));                                         \
	} while (0)
#define assert_lacks(hay, needle)                                                                  \
	do {                                                                                       \
		if (strstr((hay), (needle)))                                                       \
			fail_msg("unexpected: %s", (needle));                                      \
	} while (0)

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* ---- notice: what it says --------------------------------------------- */

static void test_notice_fr_says_everything(void **state)
{
	char *s = notice("full.yml", "fr", PDV_FORMAT_MD);

	(void)state;
	assert_has(s, "# Politique de confidentialité — Alegria.tech");
	assert_has(s, "RCS Paris 890 581 986");
	assert_has(s, "dpo@alegria.tech");
	/* each activity, with its purpose */
	assert_has(s, "### Lettre d'information");
	assert_has(s, "Envoyer notre lettre d'information mensuelle");
	assert_has(s, "Contacter des entreprises au sujet de nos services");
	assert_has(s, "Fournir le service souscrit");
	assert_has(s, "Tenir notre comptabilité et nos factures");
	assert_has(s, "Détecter les commandes frauduleuses");
	/* basis in words, with the interest pursued and the law */
	assert_has(s, "votre consentement");
	assert_has(s, "L'intérêt légitime poursuivi : Développer notre activité");
	assert_has(s, "L'obligation légale : Code de commerce, art. L123-22");
	/* categories by their French names, required data and the consequence */
	assert_has(s, "Adresse e-mail");
	assert_has(s, "Prénom");
	assert_has(s, "Données obligatoires");
	assert_has(s, "nous ne pouvons ni le conclure ni l'exécuter");
	/* recipients by name, with role and service */
	assert_has(s, "Brevo (sous-traitant agissant pour notre compte, Envoi d'e-mails, France)");
	assert_has(s, "HubSpot Inc.");
	assert_has(s, "Cabinet Dupont (responsable de traitement distinct");
	assert_has(s, "Salon Pro Events (responsable conjoint du traitement");
	assert_has(s, "Équipe commerciale");
	/* transfer outside the EEA: country, safeguard, copy */
	assert_has(s, "États-Unis");
	assert_has(s, "clauses contractuelles types");
	assert_has(s, "Écrivez à dpo@alegria.tech pour en recevoir une copie");
	/* retention in words; a free-words retention shown as written */
	assert_has(s, "3 ans à compter du dernier contact");
	assert_has(s, "see the fraud policy");
	/* Art. 14: source, categories obtained, when informed */
	assert_has(s, "Profils LinkedIn publics");
	assert_has(
	    s, "Catégories de données obtenues : Adresse e-mail, Intitulé de poste, Organisation");
	assert_has(s, "dans le mois qui suit leur obtention");
	/* consent text, version, withdrawal */
	assert_has(s, "« Je souhaite recevoir la lettre d'information »");
	assert_has(s, "version 2024-06");
	assert_has(s, "Vous pouvez le retirer à tout moment");
	assert_has(s, "Nous vous demandons de le confirmer par e-mail");
	/* automated decision: logic and safeguards */
	assert_has(s, "Une personne revoit chaque commande refusée");
	assert_has(s, "aucune décision vous concernant n'est prise");
	free(s);
}

static void test_notice_fr_rights(void **state)
{
	char *s = notice("full.yml", "fr", PDV_FORMAT_MD);

	(void)state;
	assert_has(s, "## Vos droits");
	assert_has(s, "Droit d'accès (art. 15 du RGPD)");
	assert_has(s, "Droit de rectification (art. 16 du RGPD)");
	assert_has(s, "Droit à l'effacement (art. 17 du RGPD)");
	assert_has(s, "Droit à la limitation du traitement (art. 18 du RGPD)");
	assert_has(s, "Notification aux destinataires (art. 19 du RGPD)");
	/* portability: consent and contract activities, named */
	assert_has(s, "Droit à la portabilité (art. 20 du RGPD)");
	assert_has(s, "sur un contrat : Lettre d'information, Comptes clients.");
	/* general objection for legitimate interests, named (not marketing) */
	assert_has(s, "Droit d'opposition (art. 21.1 du RGPD)");
	assert_has(s, "Traitements concernés : Détection de la fraude.");
	/* absolute objection to marketing, for both marketing activities */
	assert_has(s, "Droit d'opposition à la prospection");
	assert_has(s, "sans avoir à vous justifier");
	assert_has(s, "Traitements concernés : Lettre d'information, Prospection B2B.");
	assert_has(s, "lien de désinscription");
	assert_has(s, "liste d'opposition pendant 3 ans");
	/* withdrawal, Art. 22, post-mortem */
	assert_has(s, "Droit de retirer votre consentement (art. 7.3 du RGPD)");
	assert_has(s, "ne remet pas en cause la licéité");
	assert_has(s, "Droits relatifs aux décisions automatisées");
	assert_has(s, "Un score calculé à partir du montant");
	assert_has(s, "Directives post mortem");
	/* exercising: channels, deadline, identity */
	assert_has(s, "par e-mail : dpo@alegria.tech");
	assert_has(s, "par courrier postal : 17 rue des Martyrs, 75009 Paris");
	assert_has(s, "au plus tard dans un délai de 1 mois");
	assert_has(s, "prolongé de 2 mois");
	assert_has(s, "qu'en cas de doute raisonnable");
	/* the complaint to the CNIL */
	assert_has(s, "auprès de l'autorité de contrôle : Commission nationale de l'informatique "
	              "et des libertés");
	assert_has(s, "https://www.cnil.fr/");
	free(s);
}

static void test_notice_en(void **state)
{
	char *s = notice("full.yml", "en", PDV_FORMAT_MD);

	(void)state;
	assert_has(s, "# Privacy notice — Alegria.tech");
	assert_has(s, "Sending our monthly newsletter");
	assert_has(s, "The legitimate interest we pursue: Developing our business");
	assert_has(s, "Brevo (processor acting on our behalf, Emailing, France)");
	assert_has(s, "3 years from the last contact");
	assert_has(s, "Public LinkedIn profiles");
	assert_has(s, "Right to data portability (Art. 20 GDPR)");
	assert_has(s, "without giving reasons");
	assert_has(s, "You may withdraw it at any time");
	assert_has(s, "does not affect the lawfulness");
	assert_has(s, "lodge a complaint");
	assert_has(s, "CNIL");
	assert_lacks(s, "non précisé");
	free(s);
}

static void test_portability_only_with_consent_or_contract(void **state)
{
	char *s = notice("nobasis.yml", "en", PDV_FORMAT_MD);

	(void)state;
	assert_lacks(s, "portability");
	assert_lacks(s, "Withdraw");
	assert_lacks(s, "direct marketing");
	/* the general objection names the legitimate-interest activity only */
	assert_has(s, "Right to object (Art. 21(1) GDPR)");
	assert_has(s, "Processing concerned: Site security.");
	assert_has(s, "Right of access");
	free(s);
	s = notice("nobasis.yml", "fr", PDV_FORMAT_MD);
	assert_lacks(s, "portabilité");
	free(s);
}

static void test_notice_cookie_table(void **state)
{
	char *s = notice("full.yml", "fr", PDV_FORMAT_MD);

	(void)state;
	assert_has(s, "| Nom | Finalité | Déposé par | Durée de vie | Consentement |");
	assert_has(s, "| --- | --- | --- | --- | --- |");
	assert_has(s, "| \\_ga | Mesure d'audience | Google Ireland | 13 mois | "
	              "votre consentement est requis |");
	assert_has(s, "| session\\_id | Maintient votre connexion (strictement nécessaire) | "
	              "Alegria.tech | la durée de la session | exempté de consentement |");
	assert_has(s, "pendant 6 mois");
	assert_has(s, "Tout refuser");
	free(s);
}

/* ---- notice: the html page ------------------------------------------- */

static void test_notice_html_page(void **state)
{
	char *s = notice("full.yml", "fr", PDV_FORMAT_HTML);

	(void)state;
	assert_true(strncmp(s, "<!DOCTYPE html>\n<html lang=\"fr\">", 32) == 0);
	assert_has(s, "<meta charset=\"utf-8\">");
	assert_has(s, "<meta name=\"viewport\"");
	assert_has(s, "<title>Politique de confidentialité — Alegria.tech</title>");
	assert_has(s, "@media print");
	assert_int_equal(count(s, "<main>"), 1);
	assert_int_equal(count(s, "</main>"), 1);
	assert_int_equal(count(s, "<h1>"), 1);
	assert_has(s, "<caption>Cookies et traceurs utilisés sur notre site</caption>");
	assert_has(s, "<th scope=\"col\">Nom</th>");
	assert_has(s, "<th scope=\"row\">_ga</th>");
	assert_has(s, "Lettre d&#39;information</h3>");
	assert_has(s, "<a href=\"https://www.cnil.fr/");
	/* self-contained: no script, no external resource */
	assert_lacks(s, "<script");
	assert_lacks(s, "<link");
	assert_lacks(s, "src=");
	assert_true(strcmp(s + strlen(s) - 8, "</html>\n") == 0);
	free(s);

	s = notice("full.yml", "en", PDV_FORMAT_HTML);
	assert_true(strncmp(s, "<!DOCTYPE html>\n<html lang=\"en\">", 32) == 0);
	free(s);
}

static void test_notice_deterministic(void **state)
{
	char *a = notice("full.yml", "fr", PDV_FORMAT_HTML);
	char *b = notice("full.yml", "fr", PDV_FORMAT_HTML);

	(void)state;
	assert_string_equal(a, b);
	free(a);
	free(b);
}

/* ---- hostile text ----------------------------------------------------- */

static void test_hostile_text_is_escaped_html(void **state)
{
	(void)state;
	for (size_t i = 0; i < 2; i++) {
		char *s = i == 0 ? notice("hostile.yml", "en", PDV_FORMAT_HTML)
		                 : reg("hostile.yml", "en", PDV_FORMAT_HTML);
		assert_lacks(s, "<script");
		assert_lacks(s, "<img");
		assert_lacks(s, "<b>");
		assert_lacks(s, "href=\"javascript");
		assert_lacks(s, "</li></ul><script>");
		assert_has(s, "&lt;script&gt;");
		assert_has(s, "&amp; Co &quot;quoted&quot; &#39;single&#39;");
		if (i == 0)
			assert_has(s, "&lt;img src=x onerror=alert(1)&gt;");
		free(s);
	}
}

/* every table line of a markdown document has as many unescaped pipes as
 * its header: a declared pipe cannot add a column */
static void assert_md_tables_well_formed(const char *s)
{
	size_t want = 0;
	bool in_table = false;

	for (const char *line = s; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (len && line[0] == '|') {
			size_t pipes = 0;
			for (size_t k = 0; k < len; k++)
				if (line[k] == '|' && (k == 0 || line[k - 1] != '\\'))
					pipes++;
			if (!in_table) {
				want = pipes;
				in_table = true;
				/* the separator row follows the header row */
				assert_non_null(end);
				assert_true(strncmp(end + 1, "| --- |", 7) == 0);
			}
			if (pipes != want)
				fail_msg("table row with %zu pipes, header has %zu: %.*s", pipes,
				         want, (int)len, line);
		} else {
			in_table = false;
		}
		line += len + (end ? 1 : 0);
	}
}

static void test_hostile_text_is_escaped_md(void **state)
{
	char *s = notice("hostile.yml", "en", PDV_FORMAT_MD);

	(void)state;
	assert_lacks(s, "<script>");
	assert_has(s, "\\<script\\>");
	assert_has(s,
	           "1 \\| 2 \\| \\*bold\\* \\_under\\_ \\[link\\](javascript:alert(1)) \\# hash");
	/* a declared newline stays inside its list item */
	assert_has(s, "comma, \"quote\" and<br>newline");
	assert_md_tables_well_formed(s);
	free(s);
	s = reg("hostile.yml", "fr", PDV_FORMAT_MD);
	assert_lacks(s, "<script>");
	assert_md_tables_well_formed(s);
	free(s);
}

/* ---- register --------------------------------------------------------- */

/* a small RFC 4180 reader: rows of fields, quotes and CRLF handled */
struct csv {
	size_t rows;
	size_t width[32];
	char cell[32][32][512];
};

static void csv_parse(const char *s, struct csv *c)
{
	size_t f = 0, k = 0;
	bool quoted = false;

	memset(c, 0, sizeof(*c));
	for (const char *p = s; *p; p++) {
		if (quoted) {
			if (*p == '"' && p[1] == '"') {
				p++;
			} else if (*p == '"') {
				quoted = false;
				continue;
			}
		} else if (*p == '"') {
			quoted = true;
			continue;
		} else if (*p == ',') {
			f++;
			k = 0;
			continue;
		} else if (*p == '\r' && p[1] == '\n') {
			p++;
			assert_true(c->rows < 32);
			c->width[c->rows++] = f + 1;
			f = k = 0;
			continue;
		}
		assert_true(c->rows < 32 && f < 32);
		if (k < 511)
			c->cell[c->rows][f][k++] = *p;
	}
	assert_false(quoted);
}

static void test_register_csv(void **state)
{
	char *s = reg("full.yml", "en", PDV_FORMAT_CSV);
	struct csv *c = calloc(1, sizeof(*c));

	(void)state;
	assert_non_null(c);
	csv_parse(s, c);
	assert_int_equal(c->rows, 6); /* header + 5 activities */
	for (size_t i = 1; i < c->rows; i++)
		assert_int_equal(c->width[i], c->width[0]);
	assert_string_equal(c->cell[0][0], "Identifier");
	assert_string_equal(c->cell[1][0], "newsletter");
	assert_string_equal(c->cell[5][0], "scoring");
	assert_string_equal(c->cell[1][1], "Newsletter");
	assert_string_equal(c->cell[0][3], "Joint controllers (Art. 26)");
	assert_string_equal(c->cell[2][3], "Salon Pro Events");
	/* the controller's address holds commas, so its cell is quoted */
	assert_non_null(strstr(c->cell[1][2], "17 rue des Martyrs, 75009 Paris, France"));
	/* lists joined with "; " */
	assert_non_null(strstr(
	    c->cell[3][10],
	    "HubSpot Inc. (processor acting on our behalf, CRM, United States); Cabinet Dupont"));
	free(s);

	s = reg("hostile.yml", "en", PDV_FORMAT_CSV);
	csv_parse(s, c);
	assert_int_equal(c->rows, 2);
	assert_int_equal(c->width[1], c->width[0]);
	assert_string_equal(
	    c->cell[1][4],
	    "Purpose with | pipe, comma, \"quote\" and\nnewline; =HYPERLINK(\"http://x\")");
	free(s);
	free(c);
}

/* the register's date, in French: a day past 9999-12-31 (the controller's
 * calendar is 1 or 2 hours ahead of the clock's last second) is no date,
 * not 01/01/0000 */
static void test_register_date_past_year_9999(void **state)
{
	struct pdv_decl *d = load("full.yml");
	struct pdv_date y10000 = {10000, 1, 1};
	struct pdv_buf b;
	char *s;

	(void)state;
	pdv_buf_init(&b, 0);
	assert_int_equal(pdv_render_register_on(d, "fr", PDV_FORMAT_CSV_EXCEL,
	                                        pdv_date_to_day((struct pdv_date){9999, 12, 31}),
	                                        &b, NULL),
	                 0);
	s = pdv_buf_steal(&b);
	assert_has(s, "31/12/9999");
	free(s);
	pdv_buf_init(&b, 0);
	assert_int_equal(pdv_render_register_on(d, "fr", PDV_FORMAT_CSV_EXCEL,
	                                        pdv_date_to_day(y10000), &b, NULL),
	                 0);
	s = pdv_buf_steal(&b);
	assert_lacks(s, "01/01/0000");
	assert_has(s, PDV_DATE_AFTER);
	free(s);
	pdv_decl_free(d);
}

static void test_register_json(void **state)
{
	static const char *const ids[] = {"newsletter", "prospects", "customers", "accounting",
	                                  "scoring"};
	char *s = reg("full.yml", "fr", PDV_FORMAT_JSON);
	json_error_t jerr;
	json_t *root = json_loads(s, 0, &jerr), *acts, *a, *v;

	(void)state;
	if (!root)
		fail_msg("json: %s at %d", jerr.text, jerr.line);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(root, "controller"), "name")),
	    "Alegria.tech");
	acts = json_object_get(root, "activities");
	assert_true(json_is_array(acts));
	assert_int_equal(json_array_size(acts), 5);
	for (size_t i = 0; i < 5; i++)
		assert_string_equal(
		    json_string_value(json_object_get(json_array_get(acts, i), "id")), ids[i]);
	a = json_array_get(acts, 0);
	v = json_array_get(json_object_get(a, "data_categories"), 0);
	assert_string_equal(json_string_value(json_object_get(v, "key")), "user.contact.email");
	assert_string_equal(json_string_value(json_object_get(v, "name")), "Adresse e-mail");
	assert_string_equal(json_string_value(json_object_get(
	                        json_array_get(json_object_get(a, "basis"), 0), "key")),
	                    "consent");
	assert_true(json_is_false(json_object_get(a, "automated_decision")));
	/* prospects: the joint controller is named (Art. 30(1)(a)) */
	v = json_array_get(json_object_get(json_array_get(acts, 1), "joint_controllers"), 0);
	assert_string_equal(json_string_value(json_object_get(v, "id")), "partner");
	assert_string_equal(json_string_value(json_object_get(v, "name")), "Salon Pro Events");
	/* customers: hubspot in the US under SCC is a transfer */
	a = json_array_get(acts, 2);
	v = json_array_get(json_object_get(a, "transfers"), 0);
	assert_string_equal(json_string_value(json_object_get(v, "recipient")), "hubspot");
	assert_string_equal(json_string_value(json_object_get(v, "country")), "US");
	assert_string_equal(json_string_value(json_object_get(v, "safeguard")), "scc");
	assert_int_equal(json_array_size(json_object_get(a, "recipients")), 2);
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(a, "retention"), "active")),
	    "5y from contract-end");
	/* scoring: free-words retention has no description, dpia and logic kept */
	a = json_array_get(acts, 4);
	assert_true(json_is_null(json_object_get(json_object_get(a, "retention"), "description")));
	assert_true(json_is_true(json_object_get(json_object_get(a, "dpia"), "done")));
	assert_true(json_is_object(json_object_get(a, "automated_decision")));
	assert_int_equal(json_array_size(json_object_get(root, "security")), 2);
	assert_int_equal(json_array_size(json_object_get(a, "security")), 2);
	json_decref(root);
	free(s);
}

static void test_register_md_and_html(void **state)
{
	char *s = reg("full.yml", "fr", PDV_FORMAT_MD);

	(void)state;
	assert_has(s, "# Registre des activités de traitement — Alegria.tech");
	assert_has(s, "### Lettre d'information (newsletter)");
	assert_has(s, "| Finalités (art. 30.1.b) | Envoyer notre lettre d'information mensuelle |");
	assert_has(s, "| Délais d'effacement (art. 30.1.f) |");
	assert_has(s, "Chiffrement des données au repos");
	assert_has(s, "AIPD-2024-02");
	assert_md_tables_well_formed(s);
	free(s);

	s = reg("full.yml", "en", PDV_FORMAT_HTML);
	assert_true(strncmp(s, "<!DOCTYPE html>\n<html lang=\"en\">", 32) == 0);
	assert_has(s, "<th scope=\"col\">Element</th>");
	assert_has(s, "<th scope=\"row\">Purposes (Art. 30(1)(b))</th>");
	assert_has(s, "@media print");
	assert_int_equal(count(s, "<main>"), 1);
	free(s);
}

/* ---- a declaration with almost nothing -------------------------------- */

static void test_missing_parts_render(void **state)
{
	static const enum pdv_format nf[] = {PDV_FORMAT_MD, PDV_FORMAT_HTML};
	static const enum pdv_format rf[] = {PDV_FORMAT_MD, PDV_FORMAT_HTML, PDV_FORMAT_CSV,
	                                     PDV_FORMAT_JSON};
	static const char *const langs[] = {"en", "fr"};
	struct pdv_decl *d = load("empty.yml");

	(void)state;
	for (size_t l = 0; l < 2; l++) {
		for (size_t f = 0; f < 2; f++) {
			char *s = render(pdv_render_notice, d, langs[l], nf[f]);
			assert_has(s, l ? "non précisé" : "not stated");
			assert_has(s, "bare");
			free(s);
		}
		for (size_t f = 0; f < 4; f++) {
			char *s = render(pdv_render_register, d, langs[l], rf[f]);
			assert_has(s, "bare");
			free(s);
		}
	}
	char *s = render(pdv_render_notice, d, "en", PDV_FORMAT_MD);
	assert_has(s, "made-up-basis");
	assert_has(s, "ghost (not described)");
	assert_has(s, "Somewhere");
	free(s);
	pdv_decl_free(d);
}

static void test_refusals(void **state)
{
	struct pdv_decl *d = load("full.yml");
	struct pdv_buf b;
	struct pdv_error err;
	enum pdv_format f;

	(void)state;
	pdv_buf_init(&b, 0);
	assert_int_equal(pdv_render_notice(d, "de", PDV_FORMAT_MD, &b, &err), PDV_E_INVAL);
	assert_int_equal(pdv_render_notice(d, NULL, PDV_FORMAT_MD, &b, &err), PDV_E_INVAL);
	assert_int_equal(pdv_render_notice(d, "en", PDV_FORMAT_CSV, &b, &err), PDV_E_INVAL);
	assert_int_equal(pdv_render_notice(d, "en", PDV_FORMAT_JSON, &b, &err), PDV_E_INVAL);
	assert_int_equal(pdv_render_register(d, "xx", PDV_FORMAT_CSV, &b, &err), PDV_E_INVAL);
	assert_int_equal(b.len, 0);
	/* a buffer too small: an error, and no half register */
	pdv_buf_init(&b, 64);
	assert_true(pdv_render_register(d, "en", PDV_FORMAT_JSON, &b, &err) < 0);
	assert_int_equal(b.len, 0);
	assert_true(pdv_render_notice(d, "en", PDV_FORMAT_HTML, &b, &err) < 0);
	assert_int_equal(b.len, 0);
	pdv_buf_release(&b);
	pdv_decl_free(d);

	assert_int_equal(pdv_format_parse("html", &f), 0);
	assert_int_equal(f, PDV_FORMAT_HTML);
	assert_int_equal(pdv_format_parse("md", &f), 0);
	assert_int_equal(f, PDV_FORMAT_MD);
	assert_int_equal(pdv_format_parse("pdf", &f), PDV_E_INVAL);
	assert_string_equal(pdv_format_name(PDV_FORMAT_CSV), "csv");
	assert_true(pdv_render_lang_supported("fr"));
	assert_false(pdv_render_lang_supported("de"));
}

static char *form(const char *file, const char *activity, const char *lang, const char *base)
{
	struct pdv_decl *d = load(file);
	struct pdv_buf b;
	struct pdv_error err;
	char *s;

	pdv_buf_init(&b, 0);
	pdv_error_clear(&err);
	if (pdv_render_form(d, activity, lang, base, &b, &err) < 0)
		fail_msg("form %s %s: %s", activity, lang, err.msg);
	s = pdv_buf_steal(&b);
	assert_non_null(s);
	pdv_decl_free(d);
	return s;
}

static void test_form_fields_consent_and_information(void **state)
{
	char *s = form("full.yml", "newsletter", "en", "https://v.example/");

	(void)state;
	assert_int_equal(count(s, "<form "), 1);
	assert_int_equal(count(s, "<script>"), 1);
	assert_has(s, "action=\"https://v.example/v1/activities/newsletter/submissions\"");
	assert_has(s, "href=\"https://v.example/v1/notice?lang=en&amp;format=html\"");
	assert_has(s, "type=\"email\" id=\"pdvault-newsletter-f1\" name=\"email\"");
	assert_has(s, "<label for=\"pdvault-newsletter-f1\">Email");
	assert_has(s, "type=\"checkbox\"");
	assert_has(s, ">I want to receive the newsletter<span");
	assert_lacks(s, " checked");
	/* double opt-in: the person is told to confirm, and can type the code here */
	assert_has(s, "enter its code below, or open its link");
	assert_has(s, "data-pdvault-verify=\"https://v.example/v1/verify\"");
	assert_has(s, "class=\"pdvault-field pdvault-confirm\" hidden");
	assert_has(s, "autocomplete=\"one-time-code\"");
	assert_has(s, "Consent (Art. 6(1)(a) GDPR)");
	free(s);

	/* legitimate interests: the interest is stated, no consent box */
	s = form("full.yml", "prospects", "fr", "");
	assert_lacks(s, "type=\"checkbox\"");
	assert_has(s, "Développer notre activité auprès des professionnels");
	assert_has(s, "action=\"/v1/activities/prospects/submissions\"");
	assert_has(s, "lang=\"fr\"");
	free(s);
}

static void test_form_hostile_text_is_escaped(void **state)
{
	char *s = form("hostile.yml", "act-1", "en", NULL);

	(void)state;
	assert_int_equal(count(s, "<script"), 1);
	assert_lacks(s, "<b>");
	assert_lacks(s, "<f>");
	assert_has(s, "name=\"&lt;f&gt;\" data-pdvault-field=\"&lt;f&gt;\"");
	assert_has(s, "I agree &lt;script&gt;steal()&lt;/script&gt;");
	assert_has(s, "<legend>&lt;script&gt;document.cookie&lt;/script&gt;</legend>");
	assert_has(s, "Evil &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co &quot;quoted&quot;");
	free(s);
}

static void test_form_refusals(void **state)
{
	struct pdv_decl *d = load("full.yml");
	struct pdv_buf b;
	struct pdv_error err;

	(void)state;
	pdv_buf_init(&b, 0);
	pdv_error_clear(&err);
	assert_int_equal(pdv_render_form(d, "nope", "en", "", &b, &err), PDV_E_NOTFOUND);
	assert_string_equal(err.field, "activity");
	assert_int_equal(pdv_render_form(d, "newsletter", "de", "", &b, &err), PDV_E_INVAL);
	assert_int_equal(pdv_render_form(d, "newsletter", "en", "javascript:x()", &b, &err),
	                 PDV_E_INVAL);
	assert_int_equal(b.len, 0);
	assert_true(pdv_render_form_base_valid(""));
	assert_true(pdv_render_form_base_valid("/pdv"));
	assert_true(pdv_render_form_base_valid("http://127.0.0.1:8080"));
	assert_false(pdv_render_form_base_valid("data:text/html,x"));
	assert_false(pdv_render_form_base_valid("https://x/\"><script>"));
	assert_false(pdv_render_form_base_valid("https://x/a b"));
	/* a buffer too small: an error, and no half form */
	pdv_buf_init(&b, 256);
	assert_true(pdv_render_form(d, "newsletter", "en", "", &b, &err) < 0);
	assert_int_equal(b.len, 0);
	pdv_buf_release(&b);
	pdv_decl_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_notice_fr_says_everything),
	    cmocka_unit_test(test_notice_fr_rights),
	    cmocka_unit_test(test_notice_en),
	    cmocka_unit_test(test_portability_only_with_consent_or_contract),
	    cmocka_unit_test(test_notice_cookie_table),
	    cmocka_unit_test(test_notice_html_page),
	    cmocka_unit_test(test_notice_deterministic),
	    cmocka_unit_test(test_hostile_text_is_escaped_html),
	    cmocka_unit_test(test_hostile_text_is_escaped_md),
	    cmocka_unit_test(test_register_csv),
	    cmocka_unit_test(test_register_date_past_year_9999),
	    cmocka_unit_test(test_register_json),
	    cmocka_unit_test(test_register_md_and_html),
	    cmocka_unit_test(test_missing_parts_render),
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_form_fields_consent_and_information),
	    cmocka_unit_test(test_form_hostile_text_is_escaped),
	    cmocka_unit_test(test_form_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
