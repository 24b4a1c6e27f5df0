/*
 * bench-lint-notice.c — load + lint + notice of a generated 200-activity
 * declaration. Target: under 20 ms for the whole (printed, never asserted).
 *
 * The declaration is generated in memory, realistic in shape: each activity
 * has purposes in two languages, a basis with its detail, five fields,
 * recipients, a retention with archive and early events, and a consent block
 * for one in three; and the keys of docs/declaration.md §14 the notice and
 * register print (rights.withdraw, rights.object and rights.limits, a
 * recipient in several places, a retention condition on one in four, a
 * profiling on one in five, a third-party source with its Art. 14(3) time on
 * one in six, an unsubscribe link on the marketing ones).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pdv/buf.h"
#include "pdv/decl.h"
#include "pdv/lint.h"
#include "pdv/render.h"

#define ACTIVITIES 200
#define RUNS 30
#define TARGET_MS 20.0

static int generate(struct pdv_buf *b)
{
	int r = pdv_buf_puts(
	    b,
	    "pdvault: 1\n"
	    "controller:\n"
	    "  name: Bench SAS\n  address: 1 rue de la Paix, 75002 Paris, France\n"
	    "  email: contact@bench.example\n  country: FR\n"
	    "  dpo: {name: DPO, email: dpo@bench.example}\n  authority: cnil\n"
	    "  languages: [fr, en]\n"
	    "rights: {channels: [email, post], response: 1mo, extension: 2mo, suppression: 3y,\n"
	    "         id_document: {ask: reasonable-doubt, retention: 1y from request-closed},\n"
	    "         withdraw: {channels: [email, web], email: retrait@bench.example},\n"
	    "         object: {channels: [email, post]},\n"
	    "         limits: [{right: portability, bases: [consent, contract],\n"
	    "                   cases: {en: automated processing, fr: traitement automatisé}}]}\n"
	    "security: [{en: Encryption, fr: Chiffrement}]\n"
	    "roles: [{id: sales, name: {en: Sales, fr: Ventes}}]\n"
	    "recipients:\n"
	    "  - {id: mailer, name: Mailer, role: processor, service: {en: Emailing, fr: "
	    "Routage},\n"
	    "     country: FR, contract: true}\n"
	    "  - {id: crm, name: CRM Inc, role: processor, service: {en: CRM, fr: CRM},\n"
	    "     country: US, countries: [US, EEA], safeguard: dpf, contract: true}\n"
	    "activities:\n");
	for (int i = 0; i < ACTIVITIES && r == 0; i++) {
		int consent = i % 3 == 0, marketing = i % 6 == 0;
		r = pdv_buf_printf(
		    b,
		    "  - id: activity-%d\n"
		    "    name: {en: Activity %d, fr: Traitement %d}\n"
		    "    purposes: [{en: Answering requests of kind %d, fr: Répondre aux demandes "
		    "de type %d}]\n"
		    "    basis: %s\n"
		    "    basis_detail: {en: Managing our relations with the public, fr: Gérer nos "
		    "relations avec le public}\n"
		    "    balancing_test: true\n"
		    "    subjects: [customer]\n"
		    "%s"
		    "%s"
		    "    fields:\n"
		    "      - {name: email, category: user.contact.email, required: true, lookup: "
		    "email, type: email}\n"
		    "      - {name: first_name, category: user.name.first}\n"
		    "      - {name: last_name, category: user.name.last}\n"
		    "      - {name: phone, category: user.contact.phone_number, type: phone}\n"
		    "      - {name: message, category: pdv.user.content.message}\n"
		    "%s"
		    "    retention:\n"
		    "      active: %s\n"
		    "      archive: 5y\n"
		    "      archive_reason: {en: Limitation period (C. civ. 2224), fr: Prescription "
		    "(C. civ. 2224)}\n"
		    "      end: delete\n"
		    "%s"
		    "    access: [sales, dpo]\n"
		    "    archive_access: [dpo]\n"
		    "    recipients: [mailer, crm]\n",
		    i, i, i, i, i, consent ? "consent" : "legitimate-interests",
		    marketing
		        ? "    uses: [marketing.communications.email]\n    unsubscribe: true\n"
		    : i % 5 == 2 ? "    profiling: {en: A score of the request, fr: Une note de la "
		                   "demande}\n"
		                 : "",
		    i % 6 == 3 ? "    source: {third-party: {en: A directory, fr: Un annuaire}, "
		                 "informed_within: 1mo}\n"
		               : "    source: data-subject\n",
		    consent ? "    consent: {version: \"2024-06\", text: {en: I agree, fr: "
		              "J'accepte}}\n"
		            : "",
		    consent ? "\"until consent-withdrawn, at most 3y from last-contact\""
		            : "3y from last-contact",
		    i % 4 == 1 ? "      condition: {en: for customers, fr: pour les clients}\n"
		               : "");
	}
	return r;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(void)
{
	struct pdv_buf yaml, out;
	double t_load[RUNS], t_lint[RUNS], t_notice[RUNS], t_total[RUNS];
	size_t findings = 0;

	pdv_buf_init(&yaml, 0);
	pdv_buf_init(&out, 0);
	if (generate(&yaml) < 0) {
		fprintf(stderr, "bench: cannot generate the declaration\n");
		return 1;
	}
	for (int i = 0; i < RUNS; i++) {
		struct pdv_decl *d = NULL;
		struct pdv_lint_result res = {0};
		struct pdv_error err;
		double t0 = now_ms(), t1, t2, t3;

		if (pdv_decl_load_mem("bench.yaml", yaml.data, yaml.len, &d, &err) < 0) {
			fprintf(stderr, "bench: %u:%u: %s\n", err.pos.line, err.pos.col, err.msg);
			return 1;
		}
		t1 = now_ms();
		if (pdv_lint_run(d, 20780, &res, &err) < 0) {
			fprintf(stderr, "bench: lint: %s\n", err.msg);
			return 1;
		}
		t2 = now_ms();
		pdv_buf_reset(&out);
		if (pdv_render_notice(d, "fr", PDV_FORMAT_HTML, &out, &err) < 0) {
			fprintf(stderr, "bench: notice: %s\n", err.msg);
			return 1;
		}
		t3 = now_ms();
		findings = res.n;
		pdv_lint_result_release(&res);
		pdv_decl_free(d);
		t_load[i] = t1 - t0;
		t_lint[i] = t2 - t1;
		t_notice[i] = t3 - t2;
		t_total[i] = t3 - t0;
	}
	qsort(t_load, RUNS, sizeof(double), cmp_double);
	qsort(t_lint, RUNS, sizeof(double), cmp_double);
	qsort(t_notice, RUNS, sizeof(double), cmp_double);
	qsort(t_total, RUNS, sizeof(double), cmp_double);
	printf("bench lint+notice: %d activities, %zu bytes of YAML, %zu findings, %zu bytes of "
	       "notice\n",
	       ACTIVITIES, yaml.len, findings, out.len);
	printf("  median over %d runs: load %.2f ms, lint %.2f ms, notice (fr html) %.2f ms\n",
	       RUNS, t_load[RUNS / 2], t_lint[RUNS / 2], t_notice[RUNS / 2]);
	printf("  total: median %.2f ms, best %.2f ms, worst %.2f ms\n", t_total[RUNS / 2],
	       t_total[0], t_total[RUNS - 1]);
	printf("  target %.0f ms: median/target = %.2f (%s)\n", TARGET_MS,
	       t_total[RUNS / 2] / TARGET_MS, t_total[RUNS / 2] <= TARGET_MS ? "met" : "NOT met");
	pdv_buf_release(&yaml);
	pdv_buf_release(&out);
	return 0;
}
