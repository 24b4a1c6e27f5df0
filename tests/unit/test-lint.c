/*
 * test-lint.c — the linter against its fixtures: for every rule of the table,
 * tests/data/lint/<rule-id>/bad.yaml (and each bad-<case>.yaml) must raise it
 * on the line its first line announces (`# expect: <rule-id> <line>
 * [<severity>]`, optionally followed by `# message: <words>` and `# absent:
 * <rules>`), and good.yaml (and each good-<case>.yaml), the same declaration
 * fixed, must not raise it. Every rule has a fixture directory and every
 * directory names a rule. tests/data/lint/clean.yaml, a complete
 * and correct declaration, has no error and no warning. Findings are sorted,
 * located, within their rule's severity, and worded as the CLI expects.
 *
 * The fixture walk collects every failure and prints them all before
 * failing, so one run shows each rule that is off.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "lint-internal.h"
#include "pdv/decl.h"
#include "pdv/lint.h"
#include "pdv/time.h"

#define LINT_DIR PDV_SOURCE_ROOT "/tests/data/lint"

static int n_failures;

static void lint_failure(const char *fmt, ...) PDV_PRINTF(1, 2);
static void lint_failure(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("FAIL: ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
	n_failures++;
}

static pdv_day_t day_of(int y, int m, int d)
{
	return pdv_date_to_day((struct pdv_date){y, m, d});
}

/* a fixed day, before the B2C phone opt-in switch of 11 Aug 2026 */
static pdv_day_t today(void)
{
	return day_of(2026, 1, 15);
}

static void dump(const char *path, const struct pdv_lint_result *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct pdv_finding *f = &r->findings[i];

		printf("    %s:%u:%u: %s: [%s] %s (%s)\n", path, f->pos.line, f->pos.col,
		       pdv_severity_name(f->severity), f->rule, f->message, f->reference);
	}
}

/* what every finding must satisfy, whatever the file */
static void check_findings(const char *path, const struct pdv_lint_result *r)
{
	size_t e = 0, w = 0, in = 0;

	for (size_t i = 0; i < r->n; i++) {
		const struct pdv_finding *f = &r->findings[i];
		const struct pdv_lint_rule *rule = pdv_lint_rule_find(f->rule);
		size_t len = strlen(f->message);

		if (!rule) {
			lint_failure("%s: finding under unknown rule '%s'", path, f->rule);
			continue;
		}
		if (f->severity < rule->severity)
			lint_failure("%s: [%s] reported as %s, above the table's %s", path, f->rule,
			             pdv_severity_name(f->severity),
			             pdv_severity_name(rule->severity));
		if (f->pos.line < 1 || f->pos.col < 1)
			lint_failure("%s: [%s] not located (%u:%u)", path, f->rule, f->pos.line,
			             f->pos.col);
		if (!len || (f->message[0] >= 'A' && f->message[0] <= 'Z') ||
		    f->message[len - 1] == '.')
			lint_failure(
			    "%s: [%s] message must start lowercase, end without a period: %s", path,
			    f->rule, f->message);
		if (!f->reference || !f->reference[0])
			lint_failure("%s: [%s] no reference", path, f->rule);
		if (i > 0) {
			const struct pdv_finding *p = &r->findings[i - 1];

			if (p->pos.line > f->pos.line ||
			    (p->pos.line == f->pos.line && p->pos.col > f->pos.col) ||
			    (p->pos.line == f->pos.line && p->pos.col == f->pos.col &&
			     strcmp(p->rule, f->rule) > 0))
				lint_failure("%s: findings not sorted at %u:%u [%s]", path,
				             f->pos.line, f->pos.col, f->rule);
		}
		switch (f->severity) {
		case PDV_SEV_ERROR:
			e++;
			break;
		case PDV_SEV_WARNING:
			w++;
			break;
		case PDV_SEV_INFO:
			in++;
			break;
		}
	}
	if (e != r->n_errors || w != r->n_warnings || in != r->n_infos)
		lint_failure("%s: counts %zu/%zu/%zu do not match the findings", path, r->n_errors,
		             r->n_warnings, r->n_infos);
}

static bool has_rule_at(const struct pdv_lint_result *r, const char *rule, unsigned line)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->findings[i].rule, rule) == 0 &&
		    (line == 0 || r->findings[i].pos.line == line))
			return true;
	return false;
}

/*
 * The comment lines a fixture opens with:
 *   # expect: <rule> <line> [<severity>]   (bad*.yaml: the finding it must raise)
 *   # message: <text>                      (that finding's message contains text)
 *   # absent: <rule> [<rule>...]           (rules it must not raise, at any line)
 */
struct fixture_header {
	bool has_expect;
	char rule[64];
	unsigned line;
	bool has_severity;
	enum pdv_severity severity;
	char message[256];
	char absent[8][64];
	size_t n_absent;
};

static bool severity_parse(const char *s, enum pdv_severity *ret)
{
	for (int k = PDV_SEV_ERROR; k <= PDV_SEV_INFO; k++)
		if (strcmp(s, pdv_severity_name((enum pdv_severity)k)) == 0) {
			*ret = (enum pdv_severity)k;
			return true;
		}
	return false;
}

static bool read_header(const char *path, struct fixture_header *h)
{
	char buf[256];
	FILE *f = fopen(path, "r");

	memset(h, 0, sizeof(*h));
	if (!f)
		return false;
	while (fgets(buf, sizeof(buf), f) && buf[0] == '#') {
		char sev[16] = "", *nl = strchr(buf, '\n');

		if (nl)
			*nl = '\0';
		if (strncmp(buf, "# expect: ", 10) == 0) {
			int n = sscanf(buf + 10, "%63s %u %15s", h->rule, &h->line, sev);

			h->has_expect = n >= 2;
			if (n == 3 && !(h->has_severity = severity_parse(sev, &h->severity)))
				h->has_expect = false;
		} else if (strncmp(buf, "# message: ", 11) == 0) {
			snprintf(h->message, sizeof(h->message), "%s", buf + 11);
		} else if (strncmp(buf, "# absent: ", 10) == 0) {
			for (char *t = strtok(buf + 10, " "); t && h->n_absent < 8;
			     t = strtok(NULL, " "))
				snprintf(h->absent[h->n_absent++], sizeof(h->absent[0]), "%s", t);
		}
	}
	fclose(f);
	return true;
}

static int lint_file(const char *path, pdv_day_t day, struct pdv_decl **ret_d,
                     struct pdv_lint_result *res, struct pdv_error *err)
{
	int r = pdv_decl_load_file(path, ret_d, err);

	if (r < 0)
		return r;
	r = pdv_lint_run(*ret_d, day, res, err);
	if (r < 0) {
		pdv_decl_free(*ret_d);
		*ret_d = NULL;
		return r;
	}
	check_findings(path, res);
	return 0;
}

/*
 * The loader itself refuses any version but 1, so the version rule is
 * checked on a copy of the good declaration with its version changed.
 */
static void check_version_rule(const char *bad, const char *good, unsigned line,
                               const struct pdv_error *load_err)
{
	struct pdv_decl *d = NULL, copy;
	struct pdv_lint_result res = {0};
	struct pdv_error err;

	if (load_err->pos.line != line)
		lint_failure("%s: the loader refuses it at line %u, expected %u", bad,
		             load_err->pos.line, line);
	if (pdv_decl_load_file(good, &d, &err) < 0) {
		lint_failure("%s: does not load: %s", good, err.msg);
		return;
	}
	copy = *d;
	copy.version.s = "2";
	if (pdv_lint_run(&copy, today(), &res, &err) < 0)
		lint_failure("%s: lint failed: %s", good, err.msg);
	else if (!has_rule_at(&res, "version", d->version.pos.line))
		lint_failure("%s with version 2: no [version] finding", good);
	pdv_lint_result_release(&res);
	pdv_decl_free(d);
}

/* the finding the header expects, in its severity and words when given */
static bool has_expected(const struct pdv_lint_result *r, const struct fixture_header *h)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct pdv_finding *f = &r->findings[i];

		if (strcmp(f->rule, h->rule) != 0 || f->pos.line != h->line)
			continue;
		if (h->has_severity && f->severity != h->severity)
			continue;
		if (h->message[0] && !strstr(f->message, h->message))
			continue;
		return true;
	}
	return false;
}

static void check_absent(const char *path, const struct fixture_header *h,
                         const struct pdv_lint_result *r)
{
	for (size_t k = 0; k < h->n_absent; k++)
		if (!pdv_lint_rule_find(h->absent[k]))
			lint_failure("%s: '# absent: %s' names no rule", path, h->absent[k]);
		else if (has_rule_at(r, h->absent[k], 0)) {
			lint_failure("[%s] %s: raised, the fixture says it must not be:",
			             h->absent[k], path);
			dump(path, r);
		}
}

/* bad*.yaml: raises what its header expects, under its directory's rule */
static void check_bad(const char *id, const char *bad, const char *good)
{
	struct fixture_header h;
	struct pdv_decl *d = NULL;
	struct pdv_lint_result res = {0};
	struct pdv_error err;

	if (!read_header(bad, &h) || !h.has_expect) {
		lint_failure("%s: no '# expect: <rule> <line> [<severity>]' first line", bad);
		return;
	}
	if (strcmp(h.rule, id) != 0)
		lint_failure("%s: expects rule '%s', not its directory's", bad, h.rule);
	pdv_error_clear(&err);
	if (lint_file(bad, today(), &d, &res, &err) < 0) {
		if (strcmp(id, "version") == 0)
			check_version_rule(bad, good, h.line, &err);
		else
			lint_failure("%s: does not load: %u:%u: %s", bad, err.pos.line, err.pos.col,
			             err.msg);
		return;
	}
	if (!has_expected(&res, &h)) {
		lint_failure("[%s] %s: expected on line %u%s%s%s%s; got:", id, bad, h.line,
		             h.has_severity ? " as " : "",
		             h.has_severity ? pdv_severity_name(h.severity) : "",
		             h.message[0] ? " saying " : "", h.message);
		dump(bad, &res);
	}
	check_absent(bad, &h, &res);
	pdv_lint_result_release(&res);
	pdv_decl_free(d);
}

/* good*.yaml: the same declaration fixed, which does not raise the rule */
static void check_good(const char *id, const char *good)
{
	struct fixture_header h;
	struct pdv_decl *d = NULL;
	struct pdv_lint_result res = {0};
	struct pdv_error err;

	read_header(good, &h);
	pdv_error_clear(&err);
	if (lint_file(good, today(), &d, &res, &err) < 0) {
		lint_failure("%s: does not load: %u:%u: %s", good, err.pos.line, err.pos.col,
		             err.msg);
		return;
	}
	if (has_rule_at(&res, id, 0)) {
		lint_failure("[%s] %s: raised on the fixed declaration:", id, good);
		dump(good, &res);
	}
	check_absent(good, &h, &res);
	pdv_lint_result_release(&res);
	pdv_decl_free(d);
}

static bool has_prefix_ext(const char *name, const char *prefix)
{
	size_t n = strlen(name);

	return strncmp(name, prefix, strlen(prefix)) == 0 && n > 5 &&
	       strcmp(name + n - 5, ".yaml") == 0;
}

/*
 * A rule's directory holds bad.yaml and good.yaml, and may hold more cases:
 * bad-<case>.yaml (each raising the rule where its header says) and
 * good-<case>.yaml (each not raising it).
 */
static void check_rule_dir(const char *id)
{
	char dirpath[512], path[1024], good[600];
	DIR *dir;
	struct dirent *e;
	size_t n_bad = 0, n_good = 0;

	if (!pdv_lint_rule_find(id)) {
		lint_failure("%s/%s: the directory names no rule of the table", LINT_DIR, id);
		return;
	}
	snprintf(dirpath, sizeof(dirpath), "%s/%s", LINT_DIR, id);
	snprintf(good, sizeof(good), "%s/good.yaml", dirpath);
	dir = opendir(dirpath);
	if (!dir) {
		lint_failure("%s: cannot be read", dirpath);
		return;
	}
	while ((e = readdir(dir)) != NULL) {
		snprintf(path, sizeof(path), "%s/%s", dirpath, e->d_name);
		if (has_prefix_ext(e->d_name, "bad")) {
			n_bad++;
			check_bad(id, path, good);
		} else if (has_prefix_ext(e->d_name, "good")) {
			n_good++;
			check_good(id, path);
		}
	}
	closedir(dir);
	if (!n_bad || !n_good)
		lint_failure("%s: needs at least one bad*.yaml and one good*.yaml", dirpath);
}

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void test_fixtures(void **state)
{
	DIR *dir = opendir(LINT_DIR);
	struct dirent *e;
	char path[512];

	(void)state;
	n_failures = 0;
	assert_non_null(dir);
	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", LINT_DIR, e->d_name);
		if (is_dir(path))
			check_rule_dir(e->d_name);
	}
	closedir(dir);
	for (size_t i = 0; i < pdv_lint_rule_count(); i++) {
		const struct pdv_lint_rule *r = pdv_lint_rule_at(i);

		snprintf(path, sizeof(path), "%s/%s", LINT_DIR, r->id);
		if (!is_dir(path))
			lint_failure("rule '%s' has no fixture directory %s", r->id, path);
	}
	if (n_failures)
		printf("%d fixture failure%s\n", n_failures, n_failures == 1 ? "" : "s");
	assert_int_equal(n_failures, 0);
}

static void test_clean_declaration(void **state)
{
	struct pdv_decl *d = NULL;
	struct pdv_lint_result res = {0};
	struct pdv_error err;
	const char *path = LINT_DIR "/clean.yaml";

	(void)state;
	n_failures = 0;
	if (lint_file(path, today(), &d, &res, &err) < 0)
		lint_failure("%s: %u:%u: %s", path, err.pos.line, err.pos.col, err.msg);
	else if (res.n_errors || res.n_warnings) {
		lint_failure("%s: %zu errors, %zu warnings:", path, res.n_errors, res.n_warnings);
		dump(path, &res);
	}
	for (size_t i = 0; d && i < d->n_activities; i++)
		if (pdv_lint_activity_has_error(&res, d, d->activities[i].id.s))
			lint_failure("%s: activity '%s' blocked", path, d->activities[i].id.s);
	pdv_lint_result_release(&res);
	pdv_decl_free(d);
	assert_int_equal(n_failures, 0);
}

/* the enum the rule files report under and the table are one X-macro: each
 * LINT_X is the index of its rule, and a number outside the enum fails the
 * run instead of vanishing */
static void test_rule_enum(void **state)
{
	struct lint_ctx c = {0};
	struct pdv_pos pos = {3, 4};

	(void)state;
	assert_int_equal(pdv_lint_rule_count(), LINT_RULE_COUNT);
#define X(name, rule_id, sev, ref, summary, fix)                                                   \
	assert_string_equal(pdv_lint_rule_at(LINT_##name)->id, rule_id);                           \
	assert_int_equal(pdv_lint_rule_at(LINT_##name)->severity, PDV_SEV_##sev);
	PDV_LINT_RULES(X)
#undef X
	pdv_lint_report(&c, LINT_CONSENT_CHILD, PDV_SEV_ERROR, pos, NULL, "a %s", "finding");
	assert_int_equal(c.n, 1);
	assert_string_equal(c.v[0].rule, "consent-child");
	assert_string_equal(c.v[0].reference, pdv_lint_rule_find("consent-child")->reference);
	assert_false(c.bad_rule);
	pdv_lint_report(&c, (enum lint_rule)LINT_RULE_COUNT, PDV_SEV_ERROR, pos, NULL, "lost");
	assert_int_equal(c.n, 1);
	assert_true(c.bad_rule);
	free(c.v);
}

static void test_rule_table(void **state)
{
	(void)state;
	assert_true(pdv_lint_rule_count() >= 40);
	assert_null(pdv_lint_rule_at(pdv_lint_rule_count()));
	for (size_t i = 0; i < pdv_lint_rule_count(); i++) {
		const struct pdv_lint_rule *r = pdv_lint_rule_at(i);

		assert_non_null(r->reference);
		assert_non_null(r->summary);
		assert_ptr_equal(pdv_lint_rule_find(r->id), r);
		for (const char *p = r->id; *p; p++)
			assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
			            *p == '-');
	}
	assert_null(pdv_lint_rule_find("no-such-rule"));
	assert_null(pdv_lint_rule_find(NULL));
	assert_string_equal(pdv_severity_name(PDV_SEV_ERROR), "error");
	assert_string_equal(pdv_severity_name(PDV_SEV_WARNING), "warning");
	assert_string_equal(pdv_severity_name(PDV_SEV_INFO), "info");
}

static const char phone_decl[] =
    "pdvault: 1\n"
    "controller: {name: X, address: Paris, email: a@b.fr, country: FR, authority: cnil}\n"
    "rights: {channels: [email], response: 1mo, suppression: 3y}\n"
    "activities:\n"
    "  - id: calls\n"
    "    name: Calls\n"
    "    purposes: [Calling prospects about our offers]\n"
    "    basis: legitimate-interests\n"
    "    basis_detail: Prospecting\n"
    "    balancing_test: true\n"
    "    subjects: [prospect]\n"
    "    audience: b2c\n"
    "    uses: [pdv.marketing.communications.phone]\n"
    "    unsubscribe: true\n"
    "    source: data-subject\n"
    "    fields: [{name: phone, category: user.contact.phone_number}]\n"
    "    retention: {active: 3y from last-contact, end: delete}\n";

static enum pdv_severity phone_severity(pdv_day_t day, bool *found)
{
	struct pdv_decl *d = NULL;
	struct pdv_lint_result res = {0};
	struct pdv_error err;
	enum pdv_severity s = PDV_SEV_INFO;

	*found = false;
	assert_int_equal(pdv_decl_load_mem("phone.yaml", phone_decl, strlen(phone_decl), &d, &err),
	                 0);
	assert_int_equal(pdv_lint_run(d, day, &res, &err), 0);
	for (size_t i = 0; i < res.n; i++)
		if (strcmp(res.findings[i].rule, "emarketing-consent") == 0) {
			*found = true;
			s = res.findings[i].severity;
			assert_string_equal(res.findings[i].activity, "calls");
		}
	assert_int_equal(pdv_lint_activity_has_error(&res, d, "calls"), s == PDV_SEV_ERROR);
	pdv_lint_result_release(&res);
	pdv_decl_free(d);
	return s;
}

/* B2C phone prospecting: Bloctel (warning) until 10 Aug 2026, opt-in (error) after */
static void test_phone_prospecting_switch(void **state)
{
	bool found;

	(void)state;
	assert_int_equal(phone_severity(day_of(2026, 8, 10), &found), PDV_SEV_WARNING);
	assert_true(found);
	assert_int_equal(phone_severity(day_of(2026, 8, 11), &found), PDV_SEV_ERROR);
	assert_true(found);
}

/* the column of a retention-syntax finding is where the span goes wrong */
static void test_syntax_column(void **state)
{
	static const char src[] = "pdvault: 1\n"
	                          "activities:\n"
	                          "  - id: a\n"
	                          "    retention:\n"
	                          "      active: 1y frm last-contact\n";
	struct pdv_decl *d = NULL;
	struct pdv_lint_result res = {0};
	struct pdv_error err;
	bool found = false;

	(void)state;
	assert_int_equal(pdv_decl_load_mem("col.yaml", src, strlen(src), &d, &err), 0);
	assert_int_equal(pdv_lint_run(d, today(), &res, &err), 0);
	for (size_t i = 0; i < res.n; i++)
		if (strcmp(res.findings[i].rule, "retention-syntax") == 0) {
			found = true;
			assert_int_equal(res.findings[i].pos.line, 5);
			assert_int_equal(res.findings[i].pos.col, 18); /* "frm" */
			assert_non_null(strstr(res.findings[i].message, "'1y frm last-contact'"));
			assert_string_equal(res.findings[i].activity, "a");
		}
	assert_true(found);
	assert_true(pdv_lint_activity_has_error(&res, d, "a"));
	assert_false(pdv_lint_activity_has_error(&res, d, "b"));
	pdv_lint_result_release(&res);
	pdv_decl_free(d);
}

/* a recipient that may not lawfully receive data (a transfer without a
 * safeguard) blocks collection into the activities that send it data, and
 * only those: clean.yaml with its US CRM (DPF) moved to India, where the DPF
 * does not apply */
static void test_recipient_error_blocks_its_activities(void **state)
{
	struct pdv_decl *d = NULL;
	struct pdv_lint_result res = {0};
	struct pdv_error err;
	char *src = NULL, *p;
	size_t len = 0;
	FILE *f = fopen(PDV_SOURCE_ROOT "/tests/data/lint/clean.yaml", "r");

	(void)state;
	assert_non_null(f);
	assert_int_equal(getdelim(&src, &len, '\0', f) > 0, 1);
	fclose(f);
	/* the crm recipient's country line, "country: US" -> "country: IN" */
	p = strstr(strstr(src, "- id: crm"), "country: ");
	assert_non_null(p);
	assert_memory_equal(p + 9, "US", 2);
	memcpy(p + 9, "IN", 2);
	assert_int_equal(pdv_decl_load_mem("crm.yaml", src, strlen(src), &d, &err), 0);
	assert_int_equal(pdv_lint_run(d, today(), &res, &err), 0);
	assert_int_equal(res.n_errors, 1);
	assert_string_equal(res.findings[0].rule, "transfer-safeguard");
	assert_string_equal(res.findings[0].recipient, "crm");
	assert_true(pdv_lint_activity_has_error(&res, d, "contact"));   /* sends to crm */
	assert_true(pdv_lint_activity_has_error(&res, d, "customers")); /* sends to crm */
	assert_false(pdv_lint_activity_has_error(&res, d, "newsletter"));
	assert_false(pdv_lint_activity_has_error(&res, d, "invoices"));
	/* without the declaration, only an activity's own findings count */
	assert_false(pdv_lint_activity_has_error(&res, NULL, "contact"));
	pdv_lint_result_release(&res);
	pdv_decl_free(d);
	free(src);
}

/* src with the first `from` replaced by `to` (the caller frees it) */
static char *replaced(const char *src, const char *from, const char *to)
{
	const char *p = strstr(src, from);
	size_t n = strlen(src) - strlen(from) + strlen(to);
	char *out = malloc(n + 1);

	assert_non_null(p);
	assert_non_null(out);
	memcpy(out, src, (size_t)(p - src));
	strcpy(out + (p - src), to);
	strcat(out, p + strlen(from));
	return out;
}

/* an error in what the notice says (transfer-consistency) does not stop
 * collection into the activities that send data to that recipient */
static void test_notice_gap_does_not_block(void **state)
{
	struct pdv_decl *d = NULL;
	struct pdv_lint_result res = {0};
	struct pdv_error err;
	char *src = NULL, *changed;
	size_t len = 0;
	FILE *f = fopen(PDV_SOURCE_ROOT "/tests/data/lint/clean.yaml", "r");
	bool consistency = false;

	(void)state;
	assert_non_null(f);
	assert_int_equal(getdelim(&src, &len, '\0', f) > 0, 1);
	fclose(f);
	changed = replaced(src, "outside_eea: true", "outside_eea: false");
	assert_int_equal(pdv_decl_load_mem("gap.yaml", changed, strlen(changed), &d, &err), 0);
	assert_int_equal(pdv_lint_run(d, today(), &res, &err), 0);
	for (size_t i = 0; i < res.n; i++)
		if (strcmp(res.findings[i].rule, "transfer-consistency") == 0 &&
		    res.findings[i].severity == PDV_SEV_ERROR && res.findings[i].recipient &&
		    strcmp(res.findings[i].recipient, "crm") == 0)
			consistency = true;
	assert_true(consistency);
	assert_false(pdv_lint_activity_has_error(&res, d, "contact")); /* sends to crm */
	pdv_lint_result_release(&res);
	pdv_decl_free(d);
	free(changed);
	free(src);
}

static void test_result_release_and_args(void **state)
{
	struct pdv_lint_result res = {0};
	struct pdv_error err;

	(void)state;
	pdv_lint_result_release(&res);
	pdv_lint_result_release(NULL);
	assert_false(pdv_lint_activity_has_error(NULL, NULL, "x"));
	assert_false(pdv_lint_activity_has_error(&res, NULL, NULL));
	assert_int_equal(pdv_lint_run(NULL, today(), &res, &err), PDV_E_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rule_table),
	    cmocka_unit_test(test_rule_enum),
	    cmocka_unit_test(test_fixtures),
	    cmocka_unit_test(test_clean_declaration),
	    cmocka_unit_test(test_phone_prospecting_switch),
	    cmocka_unit_test(test_syntax_column),
	    cmocka_unit_test(test_recipient_error_blocks_its_activities),
	    cmocka_unit_test(test_notice_gap_does_not_block),
	    cmocka_unit_test(test_result_release_and_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
