/*
 * test-scope.c — the engine's entry points that no route reaches with a staff
 * role, called with one: each acts only on the records the role may see, or
 * refuses what is the dpo's, as scope.c says. (The routes are proven over
 * HTTP by tests/http/test_access.py.)
 *
 * The vault: examples/alegria-corrected.yaml, where ai-challenge is seen by
 * sales and training, recruitment by hr, ai-challenge-offers by sales. p1 is
 * in all three (joined by email and phone), p2 only in recruitment.
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

#include "pdv/vault.h"

struct fix {
	char dir[64], db[128], key[128];
	struct pdv_decl *decl;
	struct pdv_vault *vault;
	struct pdv_session *s;
	char p1[PDV_ID_MAX], p2[PDV_ID_MAX];
	char p1_ai[PDV_ID_MAX], p1_job[PDV_ID_MAX], p1_offers[PDV_ID_MAX];
};

static void collect(struct fix *f, const char *activity, bool consent,
                    const struct pdv_input_field *fields, size_t n, char subject[PDV_ID_MAX],
                    char record[PDV_ID_MAX])
{
	struct pdv_collect_in in = {.activity = activity,
	                            .fields = fields,
	                            .n_fields = n,
	                            .consent = consent,
	                            .channel = "cli"};
	struct pdv_collect_out out;
	struct pdv_error err;

	pdv_error_clear(&err);
	if (pdv_collect(f->s, &in, &out, &err) < 0)
		fail_msg("collect %s: %s", activity, err.msg);
	strcpy(subject, out.subject);
	strcpy(record, out.record);
}

#define F(n, v)                                                                                    \
	{                                                                                          \
		n, v, sizeof(v) - 1                                                                \
	}

static int setup(void **state)
{
	static struct fix f;
	struct pdv_vault_opts o = {.actor = "cli:test"};
	struct pdv_error err;
	char s[PDV_ID_MAX], r[PDV_ID_MAX];
	const struct pdv_input_field ai[] = {F("first_name", "Jo"), F("phone", "+33612345678"),
	                                     F("email", "p1@example.org")};
	const struct pdv_input_field job[] = {F("last_name", "Ab"), F("first_name", "Jo"),
	                                      F("email", "p1@example.org")};
	const struct pdv_input_field offers[] = {F("phone", "+33612345678")};
	const struct pdv_input_field job2[] = {F("last_name", "Cd"), F("first_name", "Al"),
	                                       F("email", "p2@example.org")};

	memset(&f, 0, sizeof(f));
	strcpy(f.dir, "/tmp/pdv-scope-XXXXXX");
	if (!mkdtemp(f.dir))
		fail_msg("mkdtemp");
	snprintf(f.db, sizeof(f.db), "sqlite:%s/pdvault.db", f.dir);
	snprintf(f.key, sizeof(f.key), "%s/pdvault.key", f.dir);
	pdv_error_clear(&err);
	if (pdv_decl_load_file(PDV_SOURCE_ROOT "/examples/alegria-corrected.yaml", &f.decl, &err) <
	    0)
		fail_msg("declaration: %s", err.msg);
	o.db_url = f.db;
	o.key_file = f.key;
	o.decl = f.decl;
	if (pdv_time_parse("2026-03-02T10:00:00Z", &o.now, NULL) < 0 ||
	    pdv_vault_init(&o, &err) < 0 || pdv_vault_open(&o, &f.vault, &err) < 0 ||
	    pdv_session_open(f.vault, &f.s, &err) < 0)
		fail_msg("vault: %s", err.msg);
	collect(&f, "ai-challenge", true, ai, 3, f.p1, f.p1_ai);
	collect(&f, "recruitment", false, job, 3, s, f.p1_job);
	collect(&f, "ai-challenge-offers", true, offers, 1, s, f.p1_offers);
	assert_string_equal(s, f.p1);
	collect(&f, "recruitment", false, job2, 3, f.p2, r);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;
	char cmd[128];

	pdv_session_close(f->s);
	pdv_vault_close(f->vault);
	pdv_decl_free(f->decl);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", f->dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int note(void *ctx, const char *record, const char *what, const char *reason)
{
	char *out = ctx;

	(void)reason;
	snprintf(out + strlen(out), 256 - strlen(out), "%s:%s ", what, record);
	return 0;
}

static int count_record(void *ctx, const struct pdv_shown_record *r)
{
	(void)r;
	++*(int *)ctx;
	return 0;
}

static int shown(struct fix *f, const char *subject)
{
	struct pdv_error err;
	int n = 0;

	assert_int_equal(pdv_session_set_role(f->s, NULL), 0);
	if (pdv_show(f->s, subject, count_record, &n, &err) < 0)
		return -1;
	return n;
}

static void forbidden(int rc, const struct pdv_error *err)
{
	assert_int_equal(rc, PDV_E_REFUSED);
	assert_string_equal(err->code, "forbidden");
}

static void test_what_is_the_dpos_is_refused_to_other_roles(void **state)
{
	struct fix *f = *state;
	struct pdv_error err;
	char hold[PDV_ID_MAX];
	long total, suppressed;

	assert_int_equal(pdv_session_set_role(f->s, "training"), 0);
	/* the same refusal for a person it sees and one it does not */
	forbidden(pdv_restrict(f->s, f->p1, true, &err), &err);
	forbidden(pdv_restrict(f->s, f->p2, true, &err), &err);
	forbidden(pdv_hold_place(f->s, f->p1, "litigation", hold, &err), &err);
	forbidden(pdv_directives_get(f->s, f->p1, NULL, NULL, &err), &err);
	forbidden(pdv_outbox_list(f->s, NULL, NULL, &err), &err);
	/* an activity it may not see, named */
	forbidden(
	    pdv_stats(f->s, "recruitment", "first_name", NULL, NULL, &total, &suppressed, &err),
	    &err);
	forbidden(pdv_object(f->s, f->p1, "recruitment", note, NULL, &err), &err);
	forbidden(pdv_erase(f->s, f->p1, "ai-challenge-offers", note, NULL, &err), &err);
	{
		struct pdv_consent_out out;

		forbidden(pdv_consent(f->s, f->p1, "ai-challenge-offers", false, &out, &err), &err);
	}
	assert_int_equal(shown(f, f->p1), 3);
}

static void test_a_role_finds_and_changes_only_what_it_sees(void **state)
{
	struct fix *f = *state;
	struct pdv_input_field fix_name = F("last_name", "Zz");
	struct pdv_request_info req;
	struct pdv_error err;
	char found[PDV_ID_MAX], done[256] = "";

	/* hr sees p1's application, but not the phone only the challenge holds */
	assert_int_equal(pdv_session_set_role(f->s, "hr"), 0);
	assert_int_equal(pdv_find(f->s, "email", "p1@example.org", found, &err), 0);
	assert_string_equal(found, f->p1);
	assert_int_equal(pdv_find(f->s, "phone", "+33612345678", found, &err), 0);
	assert_string_equal(found, "");
	/* training: p2 is absent, and so is p1's application */
	assert_int_equal(pdv_session_set_role(f->s, "training"), 0);
	assert_int_equal(pdv_find(f->s, "email", "p2@example.org", found, &err), 0);
	assert_string_equal(found, "");
	assert_int_equal(pdv_rectify(f->s, f->p2, f->p1_job, &fix_name, 1, &err), PDV_E_NOTFOUND);
	assert_string_equal(err.field, "subject");
	assert_int_equal(pdv_rectify(f->s, f->p1, f->p1_job, &fix_name, 1, &err), PDV_E_NOTFOUND);
	assert_string_equal(err.field, "record");
	assert_int_equal(
	    pdv_request_open(f->s, "access", f->p2, NULL, NULL, "api", NULL, &req, &err),
	    PDV_E_NOTFOUND);
	assert_int_equal(pdv_object(f->s, f->p2, NULL, note, done, &err), PDV_E_NOTFOUND);
	/* an objection by training ends no marketing record it does not see */
	assert_int_equal(pdv_object(f->s, f->p1, NULL, note, done, &err), 0);
	assert_string_equal(done, "");
	/* an erasure by training erases the challenge record alone */
	assert_int_equal(pdv_erase(f->s, f->p1, NULL, note, done, &err), 0);
	{
		char want[128];

		snprintf(want, sizeof(want), "erased:%s ", f->p1_ai);
		assert_string_equal(done, want);
	}
	assert_int_equal(shown(f, f->p1), 2);
	assert_int_equal(shown(f, f->p2), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_what_is_the_dpos_is_refused_to_other_roles, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_a_role_finds_and_changes_only_what_it_sees, setup,
	                                    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
