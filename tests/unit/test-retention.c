/*
 * test-retention.c — the span grammar (good and bad, with error columns), its
 * canonical form and plain words, and the phase of a record over time: each
 * retention pattern found in the seed policies, checked at the instants where
 * it changes. Expected instants were computed by hand: "D from T" ends at the
 * end of day(T) + D, so the transition is 00:00 UTC the day after.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "pdv/retention.h"

static pdv_time_t at(const char *s)
{
	pdv_time_t t;

	if (pdv_time_parse(s, &t, NULL) < 0)
		fail_msg("bad test time %s", s);
	return t;
}

static struct pdv_str str(const char *s)
{
	return (struct pdv_str){s, {1, 1}};
}

/* a retention as a declaration would write it */
static struct pdv_retention mk(const char *active, const char *archive, const char *end,
                               const char *wait, const char *silence, const char *early)
{
	struct pdv_retention_decl rd;
	struct pdv_retention r;
	struct pdv_str early_v[1];
	struct pdv_error err;

	memset(&rd, 0, sizeof(rd));
	rd.present = true;
	rd.active = str(active);
	if (archive)
		rd.archive = str(archive);
	if (end)
		rd.end = str(end);
	if (wait) {
		rd.renew.present = true;
		rd.renew.wait = str(wait);
		if (silence)
			rd.renew.silence = str(silence);
	}
	if (early) {
		early_v[0] = str(early);
		rd.early = (struct pdv_strlist){true, 1, early_v, {1, 1}};
	}
	pdv_error_clear(&err);
	if (pdv_retention_compile(NULL, &rd, &r, &err) < 0)
		fail_msg("compile '%s': %s", active, err.msg);
	return r;
}

static struct pdv_phase_info phase(const struct pdv_retention *r, const char *collected,
                                   const struct pdv_event *ev, size_t n, const char *now)
{
	struct pdv_phase_info info;

	assert_int_equal(pdv_retention_phase(r, at(collected), ev, n, at(now), &info, NULL), 0);
	return info;
}

static void expect(struct pdv_phase_info i, enum pdv_phase ph, enum pdv_phase next,
                   const char *next_at)
{
	char buf[21];

	if (i.phase != ph)
		fail_msg("phase %s, want %s", pdv_phase_name(i.phase), pdv_phase_name(ph));
	if (!next_at) {
		if (ph != PDV_PHASE_ENDED && i.has_next)
			fail_msg("a transition is scheduled, none expected");
		return;
	}
	assert_true(i.has_next);
	if (i.next != next)
		fail_msg("next %s, want %s", pdv_phase_name(i.next), pdv_phase_name(next));
	pdv_time_format(i.next_at, buf);
	if (strcmp(buf, next_at) != 0)
		fail_msg("next at %s, want %s", buf, next_at);
}

static void test_parse_good(void **state)
{
	static const struct {
		const char *in, *canonical;
	} good[] = {
	    {"3y from last-contact", "3y from last-contact"},
	    {"  3y   from  last-contact ", "3y from last-contact"},
	    {"until consent-withdrawn, at most 3y from last-contact",
	     "until consent-withdrawn, at most 3y from last-contact"},
	    {"until consent-withdrawn ,at most 3y from last-contact",
	     "until consent-withdrawn, at most 3y from last-contact"},
	    {"10y from financial-year-end", "10y from financial-year-end"},
	    {"1mo from collection", "1mo from collection"},
	    {"5y from contract-end, at most 10y from collection",
	     "5y from contract-end, at most 10y from collection"},
	    {"until application-rejected", "until application-rejected"},
	    {"2w from event-end", "2w from event-end"},
	    {"0d from request-closed", "0d from request-closed"},
	};
	struct pdv_span sp, sp2;
	char buf[160];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct pdv_error err;
		pdv_error_clear(&err);
		if (pdv_span_parse(good[i].in, &sp, &err) < 0)
			fail_msg("'%s': %s", good[i].in, err.msg);
		pdv_span_format(&sp, buf, sizeof(buf));
		assert_string_equal(buf, good[i].canonical);
		assert_int_equal(pdv_span_parse(buf, &sp2, NULL), 0);
		char buf2[160];
		pdv_span_format(&sp2, buf2, sizeof(buf2));
		assert_string_equal(buf, buf2);
		assert_int_equal(sp.kind, sp2.kind);
		assert_int_equal(sp.has_cap, sp2.has_cap);
	}
	assert_int_equal(
	    pdv_span_parse("until consent-withdrawn, at most 3y from last-contact", &sp, NULL), 0);
	assert_int_equal(sp.kind, PDV_SPAN_UNTIL);
	assert_string_equal(sp.until, "consent-withdrawn");
	assert_true(sp.has_cap);
	assert_int_equal(sp.cap.n, 3);
	assert_int_equal(sp.cap_from.kind, PDV_TRIGGER_LAST_CONTACT);
}

static void test_parse_bad(void **state)
{
	static const struct {
		const char *in;
		unsigned col;
		const char *msg;
	} bad[] = {
	    {"13 months", 1, "expected a duration"},
	    {"see the cookie policy", 1, "expected a duration"},
	    {"3 ans", 1, "expected a duration"},
	    {"", 1, "empty"},
	    {"3y", 3, "expected 'from'"},
	    {"3y form collection", 4, "expected 'from'"},
	    {"3y from", 8, "expected a trigger"},
	    {"3y from Last-Contact", 9, "unknown trigger"},
	    {"until collection", 7, "not an event"},
	    {"until", 6, "expected an event"},
	    {"3y from last-contact extra", 22, "trailing text"},
	    {"3y from last-contact, at least 5y from collection", 26, "expected 'most'"},
	    {"3y from last-contact, at most five years", 31, "expected a duration"},
	    {"until consent-withdrawn, at most 3y from", 41, "expected a trigger"},
	    {"3y from last-contact, at most 3y from collection, at most 1y from collection", 49,
	     "trailing text"},
	    {"3y from contract--end", 9, "unknown trigger"},
	};
	struct pdv_span sp;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct pdv_error err;
		pdv_error_clear(&err);
		if (pdv_span_parse(bad[i].in, &sp, &err) != PDV_E_INVAL)
			fail_msg("'%s' should be refused", bad[i].in);
		if (err.pos.col != bad[i].col || !strstr(err.msg, bad[i].msg))
			fail_msg("'%s': col %u '%s', want col %u '%s'", bad[i].in, err.pos.col,
			         err.msg, bad[i].col, bad[i].msg);
	}
	assert_true(pdv_event_name_valid("application-rejected"));
	assert_false(pdv_event_name_valid("Application"));
	assert_false(pdv_event_name_valid("last-contact"));
	assert_false(pdv_event_name_valid("a-"));
	assert_true(pdv_event_builtin("request-closed"));
	assert_false(pdv_event_builtin("application-rejected"));
}

static void test_bounds(void **state)
{
	struct pdv_span sp;
	double days;

	(void)state;
	assert_int_equal(pdv_span_parse("until consent-withdrawn", &sp, NULL), 0);
	assert_true(pdv_span_unbounded(&sp));
	assert_false(pdv_span_max_days(&sp, &days));
	assert_int_equal(pdv_span_parse("5y from contract-end", &sp, NULL), 0);
	assert_true(pdv_span_unbounded(&sp));
	assert_int_equal(
	    pdv_span_parse("until consent-withdrawn, at most 3y from last-contact", &sp, NULL), 0);
	assert_false(pdv_span_unbounded(&sp));
	assert_true(pdv_span_max_days(&sp, &days));
	assert_true(days > 1095 && days < 1097);
	assert_int_equal(pdv_span_parse("13mo from collection", &sp, NULL), 0);
	assert_true(pdv_span_max_days(&sp, &days));
	assert_true(days > 395 && days < 396);
}

/* Clayrton's site forms: 3 years from the last contact, then archived 5 years */
static void test_last_contact_then_archive(void **state)
{
	struct pdv_retention r = mk("3y from last-contact", "5y", "delete", NULL, NULL, NULL);
	struct pdv_event ev[] = {{"contact", at("2025-06-01T09:00:00Z")}};
	const char *c = "2024-03-10T10:00:00Z";

	(void)state;
	expect(phase(&r, c, NULL, 0, "2024-03-10T10:00:00Z"), PDV_PHASE_ACTIVE, PDV_PHASE_ARCHIVED,
	       "2027-03-11T00:00:00Z");
	expect(phase(&r, c, ev, 1, "2026-01-01"), PDV_PHASE_ACTIVE, PDV_PHASE_ARCHIVED,
	       "2028-06-02T00:00:00Z");
	expect(phase(&r, c, ev, 1, "2028-06-01T23:59:59Z"), PDV_PHASE_ACTIVE, PDV_PHASE_ARCHIVED,
	       "2028-06-02T00:00:00Z");
	/* the archive counts from the computed end of the active phase */
	expect(phase(&r, c, ev, 1, "2028-06-02T00:00:00Z"), PDV_PHASE_ARCHIVED, PDV_PHASE_ENDED,
	       "2033-06-02T00:00:00Z");
	expect(phase(&r, c, ev, 1, "2033-06-01T23:59:59Z"), PDV_PHASE_ARCHIVED, PDV_PHASE_ENDED,
	       "2033-06-02T00:00:00Z");
	struct pdv_phase_info i = phase(&r, c, ev, 1, "2033-06-02");
	expect(i, PDV_PHASE_ENDED, PDV_PHASE_ENDED, NULL);
	assert_false(i.ended_early);
	/* a contact after the record was archived has no effect */
	struct pdv_event late[] = {{"contact", at("2025-06-01T09:00:00Z")},
	                           {"contact", at("2028-07-01T09:00:00Z")}};
	expect(phase(&r, c, late, 2, "2029-01-01"), PDV_PHASE_ARCHIVED, PDV_PHASE_ENDED,
	       "2033-06-02T00:00:00Z");
	/* a contact in the future (after now) is not counted yet */
	expect(phase(&r, c, late, 2, "2025-01-01"), PDV_PHASE_ACTIVE, PDV_PHASE_ARCHIVED,
	       "2027-03-11T00:00:00Z");
}

static void test_event_order_does_not_matter(void **state)
{
	struct pdv_retention r = mk("3y from last-contact", NULL, "delete", NULL, NULL, NULL);
	struct pdv_event a[] = {{"contact", at("2025-01-01")},
	                        {"contact", at("2026-05-05")},
	                        {"contact", at("2025-09-09")}};
	struct pdv_event b[] = {{"contact", at("2026-05-05")},
	                        {"contact", at("2025-09-09")},
	                        {"contact", at("2025-01-01")}};
	struct pdv_phase_info x = phase(&r, "2024-01-01", a, 3, "2027-01-01");
	struct pdv_phase_info y = phase(&r, "2024-01-01", b, 3, "2027-01-01");

	(void)state;
	assert_int_equal(x.phase, y.phase);
	assert_int_equal(x.next_at, y.next_at);
	assert_int_equal(x.active_end, y.active_end);
	expect(x, PDV_PHASE_ACTIVE, PDV_PHASE_ENDED, "2029-05-06T00:00:00Z");
}

/* SENEF invoices: 10 years from the end of the financial year */
static void test_financial_year_end(void **state)
{
	struct pdv_retention r =
	    mk("10y from financial-year-end", NULL, "delete", NULL, NULL, NULL);

	(void)state;
	expect(phase(&r, "2024-03-10T10:00:00Z", NULL, 0, "2026-01-01"), PDV_PHASE_ACTIVE,
	       PDV_PHASE_ENDED, "2035-01-01T00:00:00Z");
	expect(phase(&r, "2024-12-31T23:00:00Z", NULL, 0, "2026-01-01"), PDV_PHASE_ACTIVE,
	       PDV_PHASE_ENDED, "2035-01-01T00:00:00Z");
	expect(phase(&r, "2025-01-01T00:00:00Z", NULL, 0, "2026-01-01"), PDV_PHASE_ACTIVE,
	       PDV_PHASE_ENDED, "2036-01-01T00:00:00Z");
	r.fy_month = 6;
	r.fy_day = 30;
	expect(phase(&r, "2024-03-10", NULL, 0, "2026-01-01"), PDV_PHASE_ACTIVE, PDV_PHASE_ENDED,
	       "2034-07-01T00:00:00Z");
	expect(phase(&r, "2024-07-01", NULL, 0, "2026-01-01"), PDV_PHASE_ACTIVE, PDV_PHASE_ENDED,
	       "2035-07-01T00:00:00Z");
	expect(phase(&r, "2035-07-01", NULL, 0, "2035-07-01"), PDV_PHASE_ACTIVE, PDV_PHASE_ENDED,
	       "2046-07-01T00:00:00Z");
}

/* Alegria contact: until consent is withdrawn, at most 3 years from the last contact */
static void test_until_with_cap(void **state)
{
	struct pdv_retention r = mk("until consent-withdrawn, at most 3y from last-contact", "1y",
	                            "delete", NULL, NULL, NULL);
	struct pdv_event wd[] = {{"consent-withdrawn", at("2025-01-01T12:00:00Z")}};

	(void)state;
	/* no withdrawal: the cap ends it */
	expect(phase(&r, "2024-05-15T08:00:00Z", NULL, 0, "2025-01-01"), PDV_PHASE_ACTIVE,
	       PDV_PHASE_ARCHIVED, "2027-05-16T00:00:00Z");
	/* withdrawal: the active phase ends at that instant, the archive follows */
	expect(phase(&r, "2024-05-15T08:00:00Z", wd, 1, "2025-01-01T11:59:59Z"), PDV_PHASE_ACTIVE,
	       PDV_PHASE_ARCHIVED, "2027-05-16T00:00:00Z");
	struct pdv_phase_info i = phase(&r, "2024-05-15T08:00:00Z", wd, 1, "2025-01-01T12:00:00Z");
	expect(i, PDV_PHASE_ARCHIVED, PDV_PHASE_ENDED, "2026-01-02T00:00:00Z");
	assert_int_equal(i.active_end, at("2025-01-01T12:00:00Z"));
	/* the same retention with withdrawal as an early event: ended at once */
	struct pdv_retention e = mk("until consent-withdrawn, at most 3y from last-contact", "1y",
	                            "delete", NULL, NULL, "consent-withdrawn");
	i = phase(&e, "2024-05-15T08:00:00Z", wd, 1, "2025-01-01T12:00:00Z");
	expect(i, PDV_PHASE_ENDED, PDV_PHASE_ENDED, NULL);
	assert_true(i.ended_early);
	assert_int_equal(i.since, at("2025-01-01T12:00:00Z"));
}

static void test_trigger_not_happened(void **state)
{
	struct pdv_retention r = mk("5y from contract-end", NULL, "delete", NULL, NULL, NULL);
	struct pdv_event ce[] = {{"contract-end", at("2026-03-31T17:00:00Z")}};

	(void)state;
	/* no contract-end yet: active, nothing scheduled, even centuries later */
	expect(phase(&r, "2024-01-01", NULL, 0, "2300-01-01"), PDV_PHASE_ACTIVE, PDV_PHASE_ENDED,
	       NULL);
	expect(phase(&r, "2024-01-01", ce, 1, "2027-01-01"), PDV_PHASE_ACTIVE, PDV_PHASE_ENDED,
	       "2031-04-01T00:00:00Z");
	/* the cap still ends it when the event never comes */
	struct pdv_retention c = mk("5y from contract-end, at most 10y from collection", NULL,
	                            "delete", NULL, NULL, NULL);
	expect(phase(&c, "2024-01-01", NULL, 0, "2027-01-01"), PDV_PHASE_ACTIVE, PDV_PHASE_ENDED,
	       "2034-01-02T00:00:00Z");
	expect(phase(&c, "2024-01-01", ce, 1, "2027-01-01"), PDV_PHASE_ACTIVE, PDV_PHASE_ENDED,
	       "2031-04-01T00:00:00Z");
	/* a contract-end after the record left the active phase changes nothing */
	struct pdv_event late[] = {{"contract-end", at("2035-01-01")}};
	expect(phase(&c, "2024-01-01", late, 1, "2036-01-01"), PDV_PHASE_ENDED, PDV_PHASE_ENDED,
	       NULL);
}

/* Alegria recruitment: immediate destruction if unsuccessful, else 2 years */
static void test_early_event(void **state)
{
	struct pdv_retention r =
	    mk("2y from last-contact", "5y", "delete", NULL, NULL, "application-rejected");
	struct pdv_event ev[] = {{"contact", at("2025-02-01")},
	                         {"application-rejected", at("2025-03-01T15:00:00Z")}};
	struct pdv_phase_info i;

	(void)state;
	expect(phase(&r, "2025-01-10", ev, 2, "2025-02-20"), PDV_PHASE_ACTIVE, PDV_PHASE_ARCHIVED,
	       "2027-02-02T00:00:00Z");
	i = phase(&r, "2025-01-10", ev, 2, "2025-03-01T15:00:00Z");
	expect(i, PDV_PHASE_ENDED, PDV_PHASE_ENDED, NULL);
	assert_true(i.ended_early); /* the archive phase is skipped */
	/* an early event after the active phase ended has no effect */
	struct pdv_event late[] = {{"application-rejected", at("2027-06-01")}};
	expect(phase(&r, "2025-01-10", late, 1, "2027-07-01"), PDV_PHASE_ARCHIVED, PDV_PHASE_ENDED,
	       "2032-01-11T00:00:00Z");
}

/* Clémentine: 12 months, then a re-confirmation; without an answer within a month, deleted */
static void test_renewal(void **state)
{
	struct pdv_retention r =
	    mk("12mo from collection", NULL, "delete", "1mo", "end", "objection");
	const char *c = "2025-01-15T10:00:00Z";
	struct pdv_phase_info i;

	(void)state;
	expect(phase(&r, c, NULL, 0, "2025-06-01"), PDV_PHASE_ACTIVE, PDV_PHASE_RENEWAL_PENDING,
	       "2026-01-16T00:00:00Z");
	expect(phase(&r, c, NULL, 0, "2026-01-20"), PDV_PHASE_RENEWAL_PENDING, PDV_PHASE_ENDED,
	       "2026-02-16T00:00:00Z");
	i = phase(&r, c, NULL, 0, "2026-02-16");
	expect(i, PDV_PHASE_ENDED, PDV_PHASE_ENDED, NULL);
	assert_true(i.ended_early);
	/* renewed within the wait: a new period from the renewal */
	struct pdv_event ren[] = {{"renewed", at("2026-02-01T08:00:00Z")}};
	expect(phase(&r, c, ren, 1, "2026-03-01"), PDV_PHASE_ACTIVE, PDV_PHASE_RENEWAL_PENDING,
	       "2027-02-02T00:00:00Z");
	/* renewed too late: nothing to renew */
	struct pdv_event late[] = {{"renewed", at("2026-02-16T08:00:00Z")}};
	expect(phase(&r, c, late, 1, "2026-03-01"), PDV_PHASE_ENDED, PDV_PHASE_ENDED, NULL);
	/* an objection while renewal is pending ends the record at once */
	struct pdv_event obj[] = {{"objection", at("2026-01-20T08:00:00Z")}};
	i = phase(&r, c, obj, 1, "2026-01-21");
	expect(i, PDV_PHASE_ENDED, PDV_PHASE_ENDED, NULL);
	assert_int_equal(i.since, at("2026-01-20T08:00:00Z"));
	/* silence kept (Clémentine's tacit renewal, a lint error) is computable */
	struct pdv_retention k = mk("12mo from collection", NULL, "delete", "1mo", "keep", NULL);
	expect(phase(&k, c, NULL, 0, "2026-01-20"), PDV_PHASE_RENEWAL_PENDING, PDV_PHASE_ACTIVE,
	       "2026-02-16T00:00:00Z");
	expect(phase(&k, c, NULL, 0, "2026-03-01"), PDV_PHASE_ACTIVE, PDV_PHASE_RENEWAL_PENDING,
	       "2027-02-17T00:00:00Z");
	/* renew does not apply when the active phase ends by an event */
	struct pdv_retention u = mk("until contract-end, at most 3y from collection", NULL,
	                            "delete", "1mo", "end", NULL);
	struct pdv_event ce[] = {{"contract-end", at("2025-05-05T10:00:00Z")}};
	expect(phase(&u, c, NULL, 0, "2025-03-01"), PDV_PHASE_ACTIVE, PDV_PHASE_RENEWAL_PENDING,
	       "2028-01-16T00:00:00Z");
	expect(phase(&u, c, ce, 1, "2025-05-05T10:00:00Z"), PDV_PHASE_ENDED, PDV_PHASE_ENDED, NULL);
}

static void test_leap_day_collection(void **state)
{
	struct pdv_retention r = mk("1y from collection", NULL, "delete", NULL, NULL, NULL);
	struct pdv_retention m = mk("1mo from collection", NULL, "delete", NULL, NULL, NULL);

	(void)state;
	expect(phase(&r, "2024-02-29T12:00:00Z", NULL, 0, "2024-03-01"), PDV_PHASE_ACTIVE,
	       PDV_PHASE_ENDED, "2025-03-01T00:00:00Z");
	expect(phase(&m, "2025-01-31T12:00:00Z", NULL, 0, "2025-02-01"), PDV_PHASE_ACTIVE,
	       PDV_PHASE_ENDED, "2025-03-01T00:00:00Z");
	expect(phase(&m, "2024-01-31T12:00:00Z", NULL, 0, "2024-02-01"), PDV_PHASE_ACTIVE,
	       PDV_PHASE_ENDED, "2024-03-01T00:00:00Z");
}

static void test_compile_errors(void **state)
{
	struct pdv_retention_decl rd;
	struct pdv_retention r;
	struct pdv_error err;

	(void)state;
	memset(&rd, 0, sizeof(rd));
	rd.present = true;
	assert_int_equal(pdv_retention_compile(NULL, &rd, &r, &err), PDV_E_INVAL);
	assert_non_null(strstr(err.msg, "retention.active"));
	rd.active = str("13 months");
	assert_int_equal(pdv_retention_compile(NULL, &rd, &r, &err), PDV_E_INVAL);
	assert_non_null(strstr(err.msg, "expected a duration"));
	rd.active = str("3y from collection");
	rd.end = str("archive-forever");
	assert_int_equal(pdv_retention_compile(NULL, &rd, &r, &err), PDV_E_INVAL);
	assert_non_null(strstr(err.msg, "retention.end"));
	rd.end = str("anonymise");
	rd.archive = str("five years");
	assert_int_equal(pdv_retention_compile(NULL, &rd, &r, &err), PDV_E_INVAL);
	rd.archive = str("5y");
	rd.renew.present = true;
	assert_int_equal(pdv_retention_compile(NULL, &rd, &r, &err), PDV_E_INVAL);
	assert_non_null(strstr(err.msg, "renew.wait"));
	rd.renew.wait = str("1mo");
	assert_int_equal(pdv_retention_compile(NULL, &rd, &r, &err), 0);
	assert_int_equal(r.end, PDV_END_ANONYMISE);
	assert_true(r.has_renew);
	assert_int_equal(r.silence, PDV_SILENCE_END);
	assert_int_equal(r.fy_month, 12);
	assert_int_equal(r.fy_day, 31);
}

static void describe(const struct pdv_retention *r, const char *lang, const char *want)
{
	char buf[512];

	assert_int_equal(pdv_retention_describe(r, lang, buf, sizeof(buf)), 0);
	if (strcmp(buf, want) != 0)
		fail_msg("got '%s'\nwant '%s'", buf, want);
}

static void test_plain_words(void **state)
{
	struct pdv_retention a = mk("3y from last-contact", "5y", "delete", NULL, NULL, NULL);
	struct pdv_retention b = mk("until consent-withdrawn, at most 3y from last-contact", NULL,
	                            "anonymise", NULL, NULL, NULL);
	struct pdv_retention c =
	    mk("12mo from collection", NULL, "delete", "1mo", "end", "application-rejected");
	struct pdv_retention d = mk("1y from request-closed", NULL, NULL, NULL, NULL, NULL);

	(void)state;
	describe(&a, "en",
	         "3 years from the last contact, then archived for 5 years, then deleted");
	describe(
	    &a, "fr",
	    "3 ans à compter du dernier contact, puis archivées pendant 5 ans, puis supprimées");
	describe(
	    &b, "en",
	    "until consent is withdrawn, at most 3 years from the last contact, then anonymised");
	describe(&b, "fr",
	         "jusqu'au retrait du consentement, au plus 3 ans à compter du dernier contact, "
	         "puis anonymisées");
	describe(
	    &c, "en",
	    "12 months from collection, then a request to renew; without an answer within 1 month, "
	    "deleted; ended at once on: application rejected");
	describe(&c, "fr",
	         "12 mois à compter de la collecte, puis une demande de renouvellement ; sans "
	         "réponse sous "
	         "1 mois, supprimées ; fin immédiate en cas de : application rejected");
	describe(&d, "en", "1 year from the closing of the request, then deleted");
	describe(&d, "de", "1 year from the closing of the request, then deleted");
}

/* LEGAL.md §5: end := delete | anonymise | CHOICE; the policy's words read
 * alternative by alternative, each naming a lawful end */
static void test_end_names(void **state)
{
	const unsigned D = PDV_END_NAMES_DELETE, A = PDV_END_NAMES_ANONYMISE;

	(void)state;
	assert_int_equal(pdv_end_names("delete"), D);
	assert_int_equal(pdv_end_names("anonymise"), A);
	assert_int_equal(pdv_end_names("delete or anonymise"), D | A);
	assert_int_equal(pdv_end_names("deleted or kept after having been anonymised"), D | A);
	assert_int_equal(pdv_end_names("supprimées ou anonymisées"), D | A);
	assert_int_equal(pdv_end_names("Destroyed"), D);
	assert_int_equal(pdv_end_names("deleted or kept"), 0);
	assert_int_equal(pdv_end_names("deleted unless kept for litigation"), 0);
	assert_int_equal(pdv_end_names("keep"), 0);
	assert_int_equal(pdv_end_names(""), 0);
	assert_int_equal(pdv_end_names(NULL), 0);
	/* what pdvault applies: a choice is resolved by deletion */
	assert_int_equal(pdv_end_action_of("delete or anonymise"), PDV_END_DELETE);
	assert_int_equal(pdv_end_action_of("anonymisées"), PDV_END_ANONYMISE);
	assert_int_equal(pdv_end_action_of(NULL), PDV_END_DELETE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_good),
	    cmocka_unit_test(test_parse_bad),
	    cmocka_unit_test(test_bounds),
	    cmocka_unit_test(test_last_contact_then_archive),
	    cmocka_unit_test(test_event_order_does_not_matter),
	    cmocka_unit_test(test_financial_year_end),
	    cmocka_unit_test(test_until_with_cap),
	    cmocka_unit_test(test_trigger_not_happened),
	    cmocka_unit_test(test_early_event),
	    cmocka_unit_test(test_renewal),
	    cmocka_unit_test(test_leap_day_collection),
	    cmocka_unit_test(test_compile_errors),
	    cmocka_unit_test(test_plain_words),
	    cmocka_unit_test(test_end_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
