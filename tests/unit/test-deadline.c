/*
 * test-deadline.c — Art. 12(3) due dates by Reg. 1182/71 with French public
 * holidays, the extension, the 72-hour breach clock, and the controller's
 * calendar day (Europe/Paris). Every expected date was checked by hand against
 * a calendar; the comments give the unshifted date and its weekday.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "pdv/time.h"

static pdv_day_t day(const char *s)
{
	struct pdv_date d;

	assert_int_equal(pdv_date_parse(s, &d, NULL), 0);
	return pdv_date_to_day(d);
}

static pdv_time_t at(const char *s)
{
	pdv_time_t t;

	assert_int_equal(pdv_time_parse(s, &t, NULL), 0);
	return t;
}

static void check_day(pdv_day_t got, const char *want, const char *what)
{
	char buf[11];

	pdv_date_format(pdv_day_to_date(got), buf);
	if (strcmp(buf, want) != 0)
		fail_msg("%s: got %s, want %s", what, buf, want);
}

static const struct pdv_duration one_month = {1, PDV_UNIT_MONTH};
static const struct pdv_duration two_months = {2, PDV_UNIT_MONTH};

static void test_easter(void **state)
{
	static const char *const easters[] = {
	    "2024-03-31", "2025-04-20", "2026-04-05", "2027-03-28", "2028-04-16",
	    "2029-04-01", "2030-04-21", "2000-04-23", "1818-03-22", "2038-04-25"};

	(void)state;
	for (size_t i = 0; i < sizeof(easters) / sizeof(easters[0]); i++) {
		struct pdv_date d;
		assert_int_equal(pdv_date_parse(easters[i], &d, NULL), 0);
		check_day(pdv_date_to_day(pdv_easter(d.year)), easters[i], "easter");
	}
}

static void test_french_holidays(void **state)
{
	static const char *const holidays[] = {
	    "2026-01-01", "2026-04-06", "2026-05-01", "2026-05-08", "2026-05-14", "2026-05-25",
	    "2026-07-14", "2026-08-15", "2026-11-01", "2026-11-11", "2026-12-25", "2025-04-21",
	    "2025-05-29", "2025-06-09", "2027-03-29", "2027-05-06", "2027-05-17",
	};
	static const char *const not_holidays[] = {
	    "2026-04-05" /* Easter Sunday is a Sunday, not a listed holiday */,
	    "2026-04-03",
	    "2026-12-26",
	    "2026-05-02",
	    "2026-07-15",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(holidays) / sizeof(holidays[0]); i++)
		if (!pdv_holiday("FR", day(holidays[i])))
			fail_msg("%s should be a French holiday", holidays[i]);
	for (size_t i = 0; i < sizeof(not_holidays) / sizeof(not_holidays[0]); i++)
		if (pdv_holiday("FR", day(not_holidays[i])))
			fail_msg("%s is not a French holiday", not_holidays[i]);
	/* no built-in calendar: no holidays, weekends still count */
	assert_false(pdv_holiday("US", day("2026-07-14")));
	assert_true(pdv_country_has_calendar("FR"));
	assert_false(pdv_country_has_calendar("ZZ"));
	assert_true(pdv_non_working_day("US", day("2026-11-21"))); /* Saturday */
	check_day(pdv_next_working_day("FR", day("2026-05-01")), "2026-05-04", "next working day");
}

/* received, due (1 month), extended due (3 months) */
static const struct {
	const char *received, *due, *extended;
} table[] = {
    {"2025-04-08", "2025-05-09", "2025-07-08"}, /* 05-08 Thu, holiday (LEGAL.md) */
    {"2026-04-01", "2026-05-04", "2026-07-01"}, /* 05-01 Fri, holiday (LEGAL.md) */
    {"2024-01-31", "2024-02-29", "2024-04-30"}, /* leap year month end */
    {"2023-01-31", "2023-02-28", "2023-05-02"}, /* 02-28 Tue; 04-30 Sun, 05-01 holiday */
    {"2024-02-29", "2024-03-29", "2024-05-29"}, /* 03-29 Fri */
    {"2025-03-31", "2025-04-30", "2025-06-30"}, /* 31 -> 30 */
    {"2024-12-25", "2025-01-27", "2025-03-25"}, /* 01-25 Sat */
    {"2025-10-11", "2025-11-12", "2026-01-12"}, /* 11-11 holiday; 01-11 Sun */
    {"2024-06-14", "2024-07-15", "2024-09-16"}, /* 07-14 Sun; 09-14 Sat */
    {"2025-12-01", "2026-01-02", "2026-03-02"}, /* 01-01 holiday; 03-01 Sun */
    {"2026-06-30", "2026-07-30", "2026-09-30"}, /* plain */
    {"2024-04-01", "2024-05-02", "2024-07-01"}, /* 05-01 Wed holiday */
    {"2025-05-29", "2025-06-30", "2025-08-29"}, /* 06-29 Sun */
    {"2027-04-29", "2027-05-31", "2027-07-29"}, /* 05-29 Sat */
    {"2028-01-14", "2028-02-14", "2028-04-14"}, /* plain Monday */
    {"2030-07-14", "2030-08-14", "2030-10-14"}, /* received on a holiday: no effect */
    {"2026-10-01", "2026-11-02", "2027-01-04"}, /* 11-01 Sun holiday; 01-01 Fri holiday */
    {"2025-11-30", "2025-12-30", "2026-03-02"}, /* 02-28 Sat */
    {"2027-02-28", "2027-03-30", "2027-05-28"}, /* 03-28 Easter Sunday, 03-29 Easter Monday */
    {"2028-02-29", "2028-03-29", "2028-05-29"}, /* leap day received */
    {"2024-08-15", "2024-09-16", "2024-11-15"}, /* 09-15 Sun */
    {"2025-05-01", "2025-06-02", "2025-08-01"}, /* 06-01 Sun */
    {"2025-05-09", "2025-06-10", "2025-08-11"}, /* 06-09 Whit Monday; 08-09 Sat */
    {"2026-04-14", "2026-05-15", "2026-07-15"}, /* 05-14 Ascension; 07-14 holiday */
    {"2028-04-25", "2028-05-26", "2028-07-25"}, /* 05-25 Ascension */
    {"2026-12-25", "2027-01-25", "2027-03-25"}, /* plain Monday */
    {"2029-04-02", "2029-05-02", "2029-07-02"}, /* received on Easter Monday */
};

static void test_due_dates(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		pdv_day_t due, ext;
		char what[64];

		assert_int_equal(pdv_deadline_due(day(table[i].received), one_month, "FR", &due),
		                 0);
		snprintf(what, sizeof(what), "due for %s", table[i].received);
		check_day(due, table[i].due, what);
		assert_int_equal(pdv_deadline_extended(day(table[i].received), one_month,
		                                       two_months, "FR", &ext),
		                 0);
		snprintf(what, sizeof(what), "extended due for %s", table[i].received);
		check_day(ext, table[i].extended, what);
	}
}

static void test_due_other_country(void **state)
{
	pdv_day_t due;

	(void)state;
	/* 2026-04-14 + 1mo = Thu 05-14: Ascension in France, a working day elsewhere */
	assert_int_equal(pdv_deadline_due(day("2026-04-14"), one_month, "US", &due), 0);
	check_day(due, "2026-05-14", "no French holidays outside France");
	/* weekends move everywhere */
	assert_int_equal(pdv_deadline_due(day("2024-12-25"), one_month, "US", &due), 0);
	check_day(due, "2025-01-27", "weekend");
}

static void test_breach_clock(void **state)
{
	char buf[21];

	(void)state;
	/* exactly 72 hours, across the spring DST change in Paris */
	pdv_time_format(pdv_breach_authority_due(at("2026-03-28T10:15:00Z")), buf);
	assert_string_equal(buf, "2026-03-31T10:15:00Z");
	/* weekends are not skipped: Friday 16:20 -> Monday 16:20 */
	pdv_time_format(pdv_breach_authority_due(at("2026-11-20T16:20:00Z")), buf);
	assert_string_equal(buf, "2026-11-23T16:20:00Z");
}

static void test_controller_day(void **state)
{
	(void)state;
	/* winter: UTC+1 */
	check_day(pdv_controller_day("FR", at("2026-01-15T22:59:59Z")), "2026-01-15",
	          "winter before");
	check_day(pdv_controller_day("FR", at("2026-01-15T23:00:00Z")), "2026-01-16",
	          "winter midnight");
	/* summer: UTC+2 */
	check_day(pdv_controller_day("FR", at("2026-07-15T21:59:59Z")), "2026-07-15",
	          "summer before");
	check_day(pdv_controller_day("FR", at("2026-07-15T22:00:00Z")), "2026-07-16",
	          "summer midnight");
	/* the switch days (last Sundays of March and October, 01:00 UTC) */
	check_day(pdv_controller_day("FR", at("2026-03-28T23:30:00Z")), "2026-03-29", "spring");
	check_day(pdv_controller_day("FR", at("2026-10-24T22:30:00Z")), "2026-10-25",
	          "autumn, still summer time");
	check_day(pdv_controller_day("FR", at("2026-10-25T22:30:00Z")), "2026-10-25",
	          "autumn, winter time");
	/* countries without a built-in zone use UTC */
	check_day(pdv_controller_day("US", at("2026-01-15T23:30:00Z")), "2026-01-15", "utc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_easter),       cmocka_unit_test(test_french_holidays),
	    cmocka_unit_test(test_due_dates),    cmocka_unit_test(test_due_other_country),
	    cmocka_unit_test(test_breach_clock), cmocka_unit_test(test_controller_day),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
