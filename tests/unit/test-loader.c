/*
 * test-loader.c — the declaration loader as a user meets it: a full
 * declaration loads with its values and positions; each kind of refusal
 * comes back with its code, FILE:LINE:COL and the key path; hostile input
 * (garbage, huge, deep, alias bombs, bad UTF-8) is refused without harm;
 * flawed but well-shaped declarations load and are left to the linter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "pdv/decl.h"

#ifndef PDV_SOURCE_ROOT
#define PDV_SOURCE_ROOT "."
#endif
#define DATA PDV_SOURCE_ROOT "/tests/data/loader/"

static struct pdv_decl *load_ok(const char *yaml)
{
	struct pdv_decl *d = NULL;
	struct pdv_error err = {0};
	int r = pdv_decl_load_mem("t.yml", yaml, strlen(yaml), &d, &err);

	if (r < 0)
		print_error("unexpected refusal: %s:%u:%u: %s\n", err.file, err.pos.line,
		            err.pos.col, err.msg);
	assert_int_equal(r, 0);
	assert_non_null(d);
	return d;
}

/* Load n bytes that must be refused; *ret must stay untouched. */
static void refuse_n(const char *data, size_t n, int rc, unsigned line, unsigned col,
                     const char *field, const char *msg_part, struct pdv_error *ret_err)
{
	struct pdv_decl *sentinel = (struct pdv_decl *)(uintptr_t)0x1;
	struct pdv_decl *d = sentinel;
	struct pdv_error err = {0};
	int r = pdv_decl_load_mem("t.yml", data, n, &d, &err);

	if (r != rc || err.pos.line != line || err.pos.col != col ||
	    (field && strcmp(err.field, field) != 0) || (msg_part && !strstr(err.msg, msg_part)))
		print_error("got rc %d at %u:%u field '%s': %s\n", r, err.pos.line, err.pos.col,
		            err.field, err.msg);
	assert_int_equal(r, rc);
	assert_ptr_equal(d, sentinel);
	assert_int_equal(err.rc, rc);
	assert_string_equal(err.file, "t.yml");
	assert_int_equal(err.pos.line, line);
	assert_int_equal(err.pos.col, col);
	if (field)
		assert_string_equal(err.field, field);
	if (msg_part)
		assert_non_null(strstr(err.msg, msg_part));
	/* messages are lowercase, without a final period */
	assert_true(err.msg[0] < 'A' || err.msg[0] > 'Z');
	assert_true(err.msg[0] != '\0' && err.msg[strlen(err.msg) - 1] != '.');
	if (ret_err)
		*ret_err = err;
}

static void refuse(const char *yaml, int rc, unsigned line, unsigned col, const char *field,
                   const char *msg_part)
{
	refuse_n(yaml, strlen(yaml), rc, line, col, field, msg_part, NULL);
}

/* ---- the full declaration ---------------------------------------------- */

static void full_declaration_loads(void **state)
{
	struct pdv_decl *d = NULL;
	struct pdv_error err = {0};
	const struct pdv_activity *a, *cam;
	const struct pdv_recipient *rc;
	(void)state;

	assert_int_equal(pdv_decl_load_file(DATA "full.yml", &d, &err), 0);
	assert_string_equal(d->file, DATA "full.yml");
	assert_string_equal(d->version.s, "1");
	assert_int_equal(d->version.pos.line, 3);
	assert_int_equal(d->version.pos.col, 10);

	/* controller */
	assert_true(d->controller.present);
	assert_int_equal(d->controller.pos.line, 5);
	assert_int_equal(d->controller.pos.col, 3);
	assert_string_equal(d->controller.name.s, "Alegria.tech");
	assert_string_equal(d->controller.registration.s, "RCS Paris 890 581 986");
	assert_string_equal(d->controller.country.s, "FR");
	assert_true(d->controller.dpo.present);
	assert_string_equal(d->controller.dpo.email.s, "dpo@alegria.tech");
	assert_int_equal(d->controller.dpo.email.pos.line, 12);
	assert_int_equal(d->controller.dpo.email.pos.col, 37);
	assert_string_equal(d->controller.representative.phone.s, "+49 30 0000");
	assert_true(d->controller.authority.present);
	assert_null(d->controller.authority.id.s);
	assert_string_equal(pdv_text_get(&d->controller.authority.name, "fr"), "Autorité");
	/* columns count characters: the é before it is one column */
	assert_int_equal(d->controller.authority.url.pos.col, 94);
	assert_string_equal(d->controller.financial_year_end.s, "06-30");
	assert_int_equal(d->controller.languages.n, 2);
	assert_string_equal(d->controller.languages.v[0].s, "fr");

	/* rights, security, roles */
	assert_string_equal(d->rights.response.s, "1mo");
	assert_true(d->rights.id_document.present);
	assert_string_equal(d->rights.id_document.retention.s, "1y from request-closed");
	assert_true(pdv_strlist_has(&d->rights.exclude, "portability"));
	assert_int_equal(d->security.n, 2);
	assert_string_equal(pdv_text_get(&d->security.v[0], "fr"), "Chiffrement des données");
	assert_string_equal(d->security.v[1].any, "Access control");
	assert_int_equal(d->n_roles, 2);
	assert_int_equal(d->roles_pos.line, 28);
	assert_int_equal(d->roles_pos.col, 3);
	assert_string_equal(pdv_text_get(&pdv_decl_role(d, "sales")->name, "fr"),
	                    "Équipe commerciale");

	/* recipients */
	rc = pdv_decl_recipient(d, "brevo");
	assert_non_null(rc);
	assert_int_equal(rc->pos.line, 31);
	assert_int_equal(rc->pos.col, 5);
	assert_true(rc->contract.present && rc->contract.v);
	assert_true(rc->tia.present && !rc->tia.v);
	assert_int_equal(rc->contract.pos.line, 38);
	assert_int_equal(rc->contract.pos.col, 15);
	assert_string_equal(rc->webhook.s, "https://hooks.example.com/brevo");

	/* the first activity, every key */
	assert_true(d->activities_present);
	assert_int_equal(d->n_activities, 2);
	a = pdv_decl_activity(d, "newsletter");
	assert_non_null(a);
	assert_int_equal(a->pos.line, 42);
	assert_int_equal(a->pos.col, 5);
	assert_string_equal(pdv_text_get(&a->name, "fr"), "Lettre d'information");
	assert_int_equal(a->purposes.n, 2);
	assert_string_equal(pdv_text_get(&a->purposes.v[0], "en"), "Receiving the newsletter");
	assert_int_equal(a->purposes.v[0].pos.line, 44);
	assert_int_equal(a->purposes.v[0].pos.col, 16);
	assert_true(pdv_strlist_has(&a->basis, "consent"));
	assert_true(a->balancing_test.present);
	assert_string_equal(a->audience.s, "b2c");
	assert_true(a->dpia.done.v);
	assert_string_equal(a->dpia.ref.s, "DPIA-2024-01");
	assert_true(a->source.present);
	assert_null(a->source.kind.s);
	assert_string_equal(pdv_text_get(&a->source.third_party, "en"), "LinkedIn profiles");
	assert_true(a->fields_present);
	assert_int_equal(a->n_fields, 2);
	assert_true(a->fields[0].required.v);
	assert_string_equal(a->fields[0].lookup.s, "email");
	assert_true(a->fields[1].keep_anonymised.v);
	assert_string_equal(a->fields[1].max_length.s, "2");
	assert_int_equal(a->fields[1].max_length.pos.line, 55);
	assert_int_equal(a->fields[1].max_length.pos.col, 100);
	assert_string_equal(a->consent.version.s, "2024-06");
	assert_true(a->consent.double_opt_in.v);
	assert_true(a->consent.pre_ticked.present && !a->consent.pre_ticked.v);
	assert_true(a->retention.present);
	assert_string_equal(a->retention.active.s,
	                    "until consent-withdrawn, at most 3y from last-contact");
	assert_string_equal(a->retention.archive.s, "5y");
	assert_string_equal(pdv_text_get(&a->retention.archive_reason, "en"), "Proof of consent");
	assert_string_equal(a->retention.renew.silence.s, "end");
	assert_true(pdv_strlist_has(&a->retention.early, "objection"));
	assert_true(pdv_strlist_has(&a->access, "sales"));
	assert_true(pdv_strlist_has(&a->archive_access, "dpo"));
	assert_true(pdv_strlist_has(&a->recipients, "brevo"));
	assert_true(a->automated_decision.present);
	assert_false(a->automated_decision.is_false);
	assert_string_equal(pdv_text_get(&a->automated_decision.logic, "en"), "Scoring");
	assert_true(a->automated_decision.human_review.v);
	assert_true(a->automated_decision.significant.present);
	assert_string_equal(a->special_category.s, "9-2-a");
	assert_true(a->soft_opt_in.v && a->unsubscribe.v);
	assert_string_equal(a->sector.s, "cpf-training");
	assert_true(a->cctv.present && a->cctv.open_to_public.v);
	assert_string_equal(a->note.s, "kept for the auditors");

	/* the second activity: the scalar forms */
	cam = pdv_decl_activity(d, "cameras");
	assert_non_null(cam);
	assert_int_equal(cam->basis.n, 1);
	assert_string_equal(cam->basis.v[0].s, "legitimate-interests");
	assert_string_equal(cam->retention.active.s, "1mo from collection");
	assert_int_equal(cam->retention.pos.line, 82);
	assert_int_equal(cam->retention.pos.col, 16);
	assert_string_equal(cam->source.kind.s, "data-subject");
	assert_true(cam->automated_decision.present && cam->automated_decision.is_false);
	assert_null(cam->special_category.s);
	assert_int_equal(cam->special_category.pos.line, 0);
	assert_false(cam->fields_present);

	/* cookies and transfers */
	assert_string_equal(d->cookies.refusal_lifetime.s, "6mo");
	assert_true(d->cookies.banner.reject_button.v);
	assert_int_equal(d->cookies.n_trackers, 2);
	assert_string_equal(d->cookies.trackers[0].data_lifetime.s, "25mo");
	assert_string_equal(d->cookies.trackers[1].purpose.any, "Keeps you signed in");
	assert_true(d->transfers.present && d->transfers.outside_eea.present);
	assert_false(d->transfers.outside_eea.v);
	assert_true(pdv_text_has(&d->transfers.safeguards_copy, "en"));
	pdv_decl_free(d);
}

static void scalars_in_document_order(void **state)
{
	struct pdv_decl *d = NULL;
	struct pdv_error err = {0};
	size_t i, found = 0;
	(void)state;

	assert_int_equal(pdv_decl_load_file(DATA "full.yml", &d, &err), 0);
	assert_true(d->n_scalars > 90);
	assert_string_equal(d->scalars[0].key, "pdvault");
	assert_string_equal(d->scalars[1].key, "controller.name");
	assert_string_equal(d->scalars[1].s, "Alegria.tech");
	for (i = 1; i < d->n_scalars; i++) {
		const struct pdv_pos *p = &d->scalars[i - 1].pos, *q = &d->scalars[i].pos;

		assert_true(p->line < q->line || (p->line == q->line && p->col < q->col));
		if (strcmp(d->scalars[i].key, "activities[0].purposes[0].en") == 0) {
			assert_string_equal(d->scalars[i].s, "Receiving the newsletter");
			assert_int_equal(q->line, 44);
			assert_int_equal(q->col, 21);
			found++;
		}
		if (strcmp(d->scalars[i].key, "cookies.trackers[1].purpose") == 0)
			found++;
	}
	assert_int_equal(found, 2);
	pdv_decl_free(d);
}

/* ---- refusals ------------------------------------------------------------ */

static void unknown_key_is_refused(void **state)
{
	struct pdv_error err;
	const char *y = "pdvault: 1\n"
	                "activities:\n"
	                "  - id: a\n"
	                "  - id: b\n"
	                "  - id: c\n"
	                "    retention:\n"
	                "      active: 1y from collection\n"
	                "      foo: 1\n";
	(void)state;

	refuse_n(y, strlen(y), PDV_E_PARSE, 8, 7, "activities[2].retention.foo",
	         "unknown key 'foo' in activities[2].retention (expected one of: active, archive",
	         &err);
	refuse("pdvault: 1\nsecurty: []\n", PDV_E_PARSE, 2, 1, "securty",
	       "unknown key 'securty' at the top level (expected one of: pdvault, controller");
	refuse("pdvault: 1\ncontroller:\n  dpo: {name: x, mail: y}\n", PDV_E_PARSE, 3, 18,
	       "controller.dpo.mail", "unknown key 'mail' in controller.dpo");
	refuse("pdvault: 1\nactivities:\n  - source: {third_party: x}\n", PDV_E_PARSE, 3, 14,
	       "activities[0].source.third_party",
	       "(expected one of: third-party, informed_within)");
	/* a byte order mark and CRLF line ends do not shift positions */
	refuse("\xef\xbb\xbfpdvault: 1\r\ncontroller:\r\n  name: x\r\n  foo: 1\r\n", PDV_E_PARSE, 4,
	       3, "controller.foo", "unknown key 'foo' in controller");
	refuse("pdvault: 1\nactivities:\n  - <<: {id: x}\n", PDV_E_PARSE, 3, 5, "activities[0].<<",
	       "merge keys ('<<') are not supported");
}

static void wrong_types_are_refused(void **state)
{
	(void)state;
	refuse("pdvault: 1\nactivities: newsletter\n", PDV_E_PARSE, 2, 13, "activities",
	       "'activities' must be a list");
	refuse("pdvault: 1\ncontroller: [a]\n", PDV_E_PARSE, 2, 13, "controller",
	       "'controller' must be a map (found a list)");
	refuse("pdvault: 1\ncontroller:\n  name: [a, b]\n", PDV_E_PARSE, 3, 9, "controller.name",
	       "'name' must be a string (found a list)");
	refuse("pdvault: 1\nactivities:\n  - purposes: {en: x}\n", PDV_E_PARSE, 3, 15,
	       "activities[0].purposes", "'purposes' must be a list");
	refuse("pdvault: 1\nactivities:\n  - name: [x]\n", PDV_E_PARSE, 3, 11, "activities[0].name",
	       "must be a string or a map of languages");
	refuse("pdvault: 1\nactivities:\n  - fields: [email]\n", PDV_E_PARSE, 3, 14,
	       "activities[0].fields[0]", "'fields[0]' must be a map (found a string)");
	refuse("pdvault: 1\ncontroller: {languages: fr}\n", PDV_E_PARSE, 2, 25,
	       "controller.languages", "'languages' must be a list");
	refuse("pdvault: 1\nactivities:\n  - subjects: [a, [b]]\n", PDV_E_PARSE, 3, 19,
	       "activities[0].subjects[1]", "must be a string (found a list)");
	refuse("pdvault: 1\nactivities:\n  - basis: {consent: yes}\n", PDV_E_PARSE, 3, 12,
	       "activities[0].basis", "'basis' must be a legal basis or a list of them");
	refuse("pdvault: 1\nactivities:\n  - name: {english: x}\n", PDV_E_PARSE, 3, 12,
	       "activities[0].name.english", "'english' is not a language code");
	refuse("- a\n- b\n", PDV_E_PARSE, 1, 1, "", "a declaration is a map");
}

static void bad_booleans_are_refused(void **state)
{
	(void)state;
	refuse("pdvault: 1\nactivities:\n  - fields:\n      - {name: a, required: yes}\n",
	       PDV_E_PARSE, 4, 29, "activities[0].fields[0].required",
	       "'required' must be true or false (yes, no, on, off are not accepted)");
	refuse("pdvault: 1\nrecipients:\n  - contract: \"true\"\n", PDV_E_PARSE, 3, 15,
	       "recipients[0].contract", "'contract' must be true or false, without quotes");
	refuse("pdvault: 1\ncookies: {banner: {reject_button: 1}}\n", PDV_E_PARSE, 2, 35,
	       "cookies.banner.reject_button", "'reject_button' must be true or false");
	refuse("pdvault: 1\nactivities:\n  - automated_decision: true\n", PDV_E_PARSE, 3, 25,
	       "activities[0].automated_decision",
	       "'automated_decision: true' needs the details: write {logic: ..., safeguards: ...}");
}

static void yaml_syntax_errors_are_refused(void **state)
{
	(void)state;
	refuse("pdvault: 1\ncontroller: {name: [x}\n", PDV_E_PARSE, 2, 22, NULL,
	       "yaml syntax error: did not find expected ',' or ']'");
	refuse("pdvault: 1\ncontroller:\n  name: a\n   email: b\n", PDV_E_PARSE, 4, 9, NULL,
	       "yaml syntax error");
	refuse("pdvault: 1\ncontroller:\n\tname: a\n", PDV_E_PARSE, 3, 1, "controller",
	       "tab character");
	refuse("pdvault: 1\nactivities:\n  - id: *nothing\n", PDV_E_PARSE, 3, 9, "activities[0].id",
	       "alias '*nothing' refers to no anchor");
	refuse("pdvault: 1\n? [a]\n: b\n", PDV_E_PARSE, 2, 3, NULL, "a map key must be a string");
}

static void duplicate_key_is_refused(void **state)
{
	(void)state;
	refuse("pdvault: 1\ncontroller:\n  name: a\n  email: b\n  name: c\n", PDV_E_PARSE, 5, 3,
	       "controller.name", "duplicate key 'name'");
	refuse("pdvault: 1\nactivities:\n  - {id: a, basis: x, id: b}\n", PDV_E_PARSE, 3, 23,
	       "activities[0].id", "duplicate key 'id'");
}

static void documents_and_versions(void **state)
{
	(void)state;
	refuse("pdvault: 1\n---\npdvault: 1\n", PDV_E_PARSE, 2, 1, NULL, "a second yaml document");
	refuse("", PDV_E_PARSE, 1, 1, NULL, "empty file");
	refuse("# only a comment\n\n", PDV_E_PARSE, 1, 1, NULL, "empty file");
	refuse("controller: {name: x}\n", PDV_E_PARSE, 1, 1, "pdvault", "missing 'pdvault: 1'");
	refuse("# a declaration\npdvault: 2\n", PDV_E_PARSE, 2, 10, "pdvault",
	       "unsupported declaration version");
	refuse("pdvault: [1]\n", PDV_E_PARSE, 1, 10, "pdvault", "unsupported declaration version");
}

/* ---- hostile input ------------------------------------------------------- */

static void binary_garbage_is_refused(void **state)
{
	unsigned char junk[4096];
	uint32_t x = 2463534242u;
	struct pdv_decl *d = NULL;
	struct pdv_error err = {0};
	(void)state;

	for (size_t i = 0; i < sizeof(junk); i++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5;
		junk[i] = (unsigned char)x;
	}
	assert_int_equal(pdv_decl_load_mem("t.yml", (char *)junk, sizeof(junk), &d, &err),
	                 PDV_E_PARSE);
	assert_null(d);
	assert_true(err.pos.line >= 1 && err.pos.col >= 1);
	/* an ELF header starts with DEL, a GIF holds NUL bytes */
	refuse_n("\x7f"
	         "ELF\x02\x01\x01\0\0\0",
	         10, PDV_E_PARSE, 1, 1, NULL, "control character", NULL);
	refuse_n("GIF89a\0\0", 8, PDV_E_PARSE, 1, 7, NULL, "nul byte", NULL);
}

static void invalid_utf8_is_refused(void **state)
{
	(void)state;
	refuse("pdvault: 1\ncontroller:\n  name: Caf\xc3\xa9 \xff\n", PDV_E_PARSE, 3, 14, NULL,
	       "invalid utf-8");
	/* an overlong encoding of '/' and a UTF-16 surrogate */
	refuse("pdvault: 1\nx: \xc0\xaf\n", PDV_E_PARSE, 2, 4, NULL, "invalid utf-8");
	refuse("pdvault: 1\nx: \xed\xa0\x80\n", PDV_E_PARSE, 2, 4, NULL, "invalid utf-8");
	refuse("pdvault: 1\nx: \x01\n", PDV_E_PARSE, 2, 4, NULL, "control character");
	refuse_n("pdvault: 1\n\0", 12, PDV_E_PARSE, 2, 1, NULL, "nul byte", NULL);
	/* escapes can produce a NUL that the raw text did not hold */
	refuse("pdvault: 1\ncontroller: {name: \"a\\0b\"}\n", PDV_E_PARSE, 2, 20, "controller.name",
	       "nul character");
}

static void ten_megabytes_is_refused(void **state)
{
	size_t n = (size_t)10 * 1024 * 1024;
	char *big = malloc(n);
	(void)state;

	if (!big) {
		fail();
		return;
	}
	memset(big, 'a', n);
	memcpy(big, "pdvault: 1\n", 11);
	refuse_n(big, n, PDV_E_LIMIT, 1, 1, NULL, "more than the limit", NULL);
	free(big);
}

static void deep_nesting_is_refused(void **state)
{
	size_t n = 10000, i;
	char *deep = malloc(2 * n + 1);
	(void)state;

	if (!deep) {
		fail();
		return;
	}
	for (i = 0; i < n; i++) {
		deep[i] = '[';
		deep[n + i] = ']';
	}
	deep[2 * n] = '\0';
	/* the 33rd list opens at column 33 */
	refuse(deep, PDV_E_LIMIT, 1, 33, NULL, "nested deeper than 32 levels");
	free(deep);
	/* the same through a map of maps, with the key path */
	refuse("pdvault: 1\nactivities: &a "
	       "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n"
	       "security: [*a, [*a]]\n",
	       PDV_E_LIMIT, 3, 17, "security[1][0]", "alias '*a' nests maps and lists deeper");
}

static void alias_bomb_is_refused(void **state)
{
	const char *lol = "pdvault: 1\n"
	                  "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	                  "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	                  "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
	                  "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
	                  "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
	                  "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
	                  "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
	char many[2048];
	size_t len;
	(void)state;

	/* the sixth level expands past a million nodes, before a key is judged */
	refuse(lol, PDV_E_LIMIT, 7, 36, "f[7]", "expands to more than 1000000 nodes");

	/* 65 references to a tiny anchor */
	len = (size_t)snprintf(many, sizeof(many), "pdvault: 1\nsecurity: [&a x");
	for (int i = 0; i < 65; i++)
		len += (size_t)snprintf(many + len, sizeof(many) - len, ", *a");
	snprintf(many + len, sizeof(many) - len, "]\n");
	refuse(many, PDV_E_LIMIT, 2, 274, "security[65]", "more than 64 aliases");
}

static void long_scalar_is_refused(void **state)
{
	size_t n = PDV_DECL_MAX_SCALAR + 1;
	char *y = malloc(n + 64);
	(void)state;

	if (!y) {
		fail();
		return;
	}
	memcpy(y, "pdvault: 1\nactivities:\n  - note: ", 33);
	memset(y + 33, 'a', n);
	memcpy(y + 33 + n, "\n", 2);
	refuse(y, PDV_E_LIMIT, 3, 11, "activities[0].note", "a string longer than 65536 bytes");
	free(y);
}

/* ---- what loads and is left to the linter ------------------------------ */

static void lenient_values_load(void **state)
{
	struct pdv_decl *d =
	    load_ok("pdvault: 1\n"
	            "controller:\n"
	            "  authority: cnil\n"
	            "  email: not an email\n"
	            "activities:\n"
	            "  - id: a\n"
	            "    basis: divine-right\n"
	            "    retention: as long as needed\n"
	            "    uses: [marketing.nonsense]\n"
	            "    access: [ghost-role]\n"
	            "  - id: a\n"
	            "    basis: [consent, contract]\n"
	            "    retention: {active: 13 months, end: shred}\n"
	            "    fields: [{name: x, category: not.a.category, type: blob}]\n");
	(void)state;

	assert_true(d->controller.authority.present);
	assert_string_equal(d->controller.authority.id.s, "cnil");
	assert_int_equal(d->controller.authority.pos.line, 3);
	assert_int_equal(d->controller.authority.pos.col, 14);
	assert_false(d->controller.authority.name.present);
	assert_string_equal(d->controller.email.s, "not an email");
	assert_int_equal(d->n_activities, 2);
	assert_int_equal(d->activities[0].basis.n, 1);
	assert_string_equal(d->activities[0].basis.v[0].s, "divine-right");
	assert_string_equal(d->activities[0].retention.active.s, "as long as needed");
	assert_true(pdv_strlist_has(&d->activities[0].uses, "marketing.nonsense"));
	assert_true(pdv_strlist_has(&d->activities[0].access, "ghost-role"));
	assert_null(pdv_decl_role(d, "ghost-role"));
	/* duplicate ids load: the linter names them */
	assert_string_equal(d->activities[1].id.s, "a");
	assert_int_equal(d->activities[1].basis.n, 2);
	assert_string_equal(d->activities[1].retention.end.s, "shred");
	assert_string_equal(d->activities[1].fields[0].category.s, "not.a.category");
	/* missing keys are absent, not errors */
	assert_false(d->rights.present);
	assert_false(d->cookies.present);
	assert_null(d->controller.name.s);
	assert_false(d->activities[0].purposes.present);
	pdv_decl_free(d);
}

static void scalar_forms_and_nulls(void **state)
{
	struct pdv_decl *d = load_ok("pdvault: \"1\"\n"
	                             "controller:\n"
	                             "  name: 2024\n"
	                             "  dpo: ~\n"
	                             "  authority: {name: CNIL, url: https://cnil.fr}\n"
	                             "  languages:\n"
	                             "rights: null\n"
	                             "activities:\n"
	                             "  - id: x\n"
	                             "    source: {third-party: {en: a broker, fr: un courtier}}\n"
	                             "    retention: 3y from collection\n"
	                             "    purposes: [\"~\"]\n"
	                             "    name: {en: A, fr: ~}\n"
	                             "    special_category:\n");
	(void)state;

	assert_string_equal(d->version.s, "1");
	assert_string_equal(d->controller.name.s, "2024");
	assert_false(d->controller.dpo.present);
	assert_null(d->controller.authority.id.s);
	assert_string_equal(pdv_text_get(&d->controller.authority.name, "fr"), "CNIL");
	assert_false(d->controller.languages.present);
	assert_false(d->rights.present);
	assert_null(d->activities[0].source.kind.s);
	assert_string_equal(pdv_text_get(&d->activities[0].source.third_party, "fr"),
	                    "un courtier");
	assert_true(d->activities[0].retention.present);
	assert_int_equal(d->activities[0].retention.pos.line, 11);
	assert_int_equal(d->activities[0].retention.pos.col, 16);
	assert_string_equal(d->activities[0].retention.active.s, "3y from collection");
	assert_null(d->activities[0].retention.end.s);
	/* a quoted "~" is a string */
	assert_string_equal(d->activities[0].purposes.v[0].any, "~");
	/* a null language is a language not given */
	assert_true(pdv_text_has(&d->activities[0].name, "en"));
	assert_false(pdv_text_has(&d->activities[0].name, "fr"));
	assert_null(d->activities[0].special_category.s);
	pdv_decl_free(d);
}

static void aliases_are_supported(void **state)
{
	struct pdv_decl *d =
	    load_ok("pdvault: 1\n"
	            "activities:\n"
	            "  - id: a\n"
	            "    retention: &keep {active: 1y from collection, end: delete}\n"
	            "    access: &who [sales, dpo]\n"
	            "  - id: b\n"
	            "    retention: *keep\n"
	            "    access: *who\n");
	(void)state;

	assert_string_equal(d->activities[1].retention.active.s, "1y from collection");
	assert_true(pdv_strlist_has(&d->activities[1].access, "dpo"));
	/* the values keep the place where they are written */
	assert_int_equal(d->activities[1].retention.active.pos.line, 4);
	pdv_decl_free(d);
}

/* ---- files --------------------------------------------------------------- */

static void file_errors(void **state)
{
	char path[] = "/tmp/pdv-test-loader-XXXXXX";
	struct pdv_decl *d = NULL;
	struct pdv_error err = {0};
	int fd;
	(void)state;

	assert_int_equal(pdv_decl_load_file("/nonexistent/decl.yml", &d, &err), PDV_E_IO);
	assert_null(d);
	assert_non_null(strstr(err.msg, "/nonexistent/decl.yml"));
	assert_int_equal(err.pos.line, 0);

	/* a 10 MB file is refused from its size, without reading it */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)10 * 1024 * 1024), 0);
	close(fd);
	pdv_error_clear(&err);
	assert_int_equal(pdv_decl_load_file(path, &d, &err), PDV_E_LIMIT);
	assert_null(d);
	assert_string_equal(err.file, path);
	assert_int_equal(err.pos.line, 1);
	assert_non_null(strstr(err.msg, "10485760 bytes"));
	unlink(path);
}

/* ---- model queries ------------------------------------------------------- */

static void model_queries(void **state)
{
	struct pdv_decl *d = load_ok("pdvault: 1\n"
	                             "security: [{fr: Chiffrement, en: Encryption}, Locks]\n"
	                             "activities: [{id: a}, {id: b}]\n");
	const char *langs[4];
	int m = 0, day = 0;
	(void)state;

	assert_string_equal(pdv_text_get(&d->security.v[0], "en"), "Encryption");
	/* a missing language falls back to the first one given */
	assert_string_equal(pdv_text_get(&d->security.v[0], "de"), "Chiffrement");
	assert_false(pdv_text_has(&d->security.v[0], "de"));
	assert_string_equal(pdv_text_get(&d->security.v[1], "de"), "Locks");
	assert_true(pdv_text_has(&d->security.v[1], "de"));
	assert_null(pdv_text_get(&d->controller.authority.name, "en"));
	assert_ptr_equal(pdv_decl_activity(d, "b"), &d->activities[1]);
	assert_null(pdv_decl_activity(d, "c"));
	assert_null(pdv_decl_recipient(d, "x"));
	assert_int_equal(pdv_decl_languages(d, langs, 4), 1);
	assert_string_equal(langs[0], "en");
	assert_int_equal(pdv_decl_fy_end(d, &m, &day), 0);
	assert_int_equal(m, 12);
	assert_int_equal(day, 31);
	assert_false(pdv_strlist_has(&d->activities[0].basis, "consent"));
	pdv_decl_free(d);

	d = load_ok(
	    "pdvault: 1\ncontroller: {languages: [fr, en, de], financial_year_end: \"03-31\"}\n");
	assert_int_equal(pdv_decl_languages(d, langs, 2), 2);
	assert_string_equal(langs[0], "fr");
	assert_string_equal(langs[1], "en");
	assert_int_equal(pdv_decl_fy_end(d, &m, &day), 0);
	assert_int_equal(m, 3);
	assert_int_equal(day, 31);
	pdv_decl_free(d);

	d = load_ok("pdvault: 1\ncontroller: {financial_year_end: \"31-12\"}\n");
	m = day = 7;
	assert_int_equal(pdv_decl_fy_end(d, &m, &day), PDV_E_INVAL);
	assert_int_equal(m, 7);
	pdv_decl_free(d);
	d = load_ok("pdvault: 1\ncontroller: {financial_year_end: \"04-31\"}\n");
	assert_int_equal(pdv_decl_fy_end(d, &m, &day), PDV_E_INVAL);
	pdv_decl_free(d);
	pdv_decl_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(full_declaration_loads),
	    cmocka_unit_test(scalars_in_document_order),
	    cmocka_unit_test(unknown_key_is_refused),
	    cmocka_unit_test(wrong_types_are_refused),
	    cmocka_unit_test(bad_booleans_are_refused),
	    cmocka_unit_test(yaml_syntax_errors_are_refused),
	    cmocka_unit_test(duplicate_key_is_refused),
	    cmocka_unit_test(documents_and_versions),
	    cmocka_unit_test(binary_garbage_is_refused),
	    cmocka_unit_test(invalid_utf8_is_refused),
	    cmocka_unit_test(ten_megabytes_is_refused),
	    cmocka_unit_test(deep_nesting_is_refused),
	    cmocka_unit_test(alias_bomb_is_refused),
	    cmocka_unit_test(long_scalar_is_refused),
	    cmocka_unit_test(lenient_values_load),
	    cmocka_unit_test(scalar_forms_and_nulls),
	    cmocka_unit_test(aliases_are_supported),
	    cmocka_unit_test(file_errors),
	    cmocka_unit_test(model_queries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
