/*
 * test-time.c — civil dates and day numbers, Reg. 1182/71 month arithmetic,
 * parsing and formatting, durations, and the clock (PDVAULT_NOW).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pdv/time.h"

static pdv_day_t day(const char *s)
{
	struct pdv_date d;

	assert_int_equal(pdv_date_parse(s, &d, NULL), 0);
	return pdv_date_to_day(d);
}

static void check_day(pdv_day_t got, const char *want)
{
	char buf[11];

	pdv_date_format(pdv_day_to_date(got), buf);
	if (strcmp(buf, want) != 0)
		fail_msg("got %s, want %s", buf, want);
}

static void test_epoch_and_known_days(void **state)
{
	(void)state;
	assert_int_equal(day("1970-01-01"), 0);
	assert_int_equal(day("1970-01-02"), 1);
	assert_int_equal(day("1969-12-31"), -1);
	assert_int_equal(day("2000-03-01"), 11017);
	assert_int_equal(day("2026-11-23"), 20780);
	assert_int_equal(pdv_day_weekday(day("2026-11-23")), 0); /* Monday */
	assert_int_equal(pdv_day_weekday(day("1970-01-01")), 3); /* Thursday */
	assert_int_equal(pdv_day_weekday(day("1900-01-01")), 0); /* Monday */
	assert_int_equal(pdv_day_weekday(day("2000-02-29")), 1); /* Tuesday */
}

static void test_round_trip_every_day(void **state)
{
	pdv_day_t from = day("1970-01-01"), to = day("2100-12-31");
	struct pdv_date prev = pdv_day_to_date(from - 1);

	(void)state;
	for (pdv_day_t d = from; d <= to; d++) {
		struct pdv_date c = pdv_day_to_date(d);
		assert_true(pdv_date_valid(c));
		assert_int_equal(pdv_date_to_day(c), d);
		/* consecutive: the next day of the previous date */
		if (c.day == 1)
			assert_true(prev.day == pdv_days_in_month(prev.year, prev.month));
		else
			assert_int_equal(c.day, prev.day + 1);
		assert_int_equal(pdv_day_weekday(d), (pdv_day_weekday(d - 1) + 1) % 7);
		prev = c;
	}
	/* the range ends */
	assert_int_equal(pdv_date_to_day(pdv_day_to_date(day("0001-01-01"))), day("0001-01-01"));
	assert_int_equal(pdv_date_to_day(pdv_day_to_date(day("9999-12-31"))), day("9999-12-31"));
}

static void test_leap_years(void **state)
{
	(void)state;
	assert_true(pdv_is_leap_year(2000));
	assert_true(pdv_is_leap_year(1600));
	assert_false(pdv_is_leap_year(1900));
	assert_false(pdv_is_leap_year(2100));
	assert_true(pdv_is_leap_year(2024));
	assert_false(pdv_is_leap_year(2026));
	assert_int_equal(pdv_days_in_month(2024, 2), 29);
	assert_int_equal(pdv_days_in_month(2100, 2), 28);
	assert_int_equal(pdv_days_in_month(2026, 4), 30);
	assert_false(pdv_date_valid((struct pdv_date){2026, 2, 29}));
	assert_false(pdv_date_valid((struct pdv_date){2026, 13, 1}));
	assert_false(pdv_date_valid((struct pdv_date){0, 1, 1}));
}

static void add(const char *from, int64_t n, enum pdv_unit u, const char *want)
{
	pdv_day_t r;

	assert_int_equal(pdv_day_add(day(from), (struct pdv_duration){n, u}, &r), 0);
	check_day(r, want);
}

static void test_regulation_1182_71(void **state)
{
	(void)state;
	add("2025-01-31", 1, PDV_UNIT_MONTH, "2025-02-28");
	add("2024-01-31", 1, PDV_UNIT_MONTH, "2024-02-29");
	add("2024-02-29", 1, PDV_UNIT_YEAR, "2025-02-28");
	add("2024-02-29", 4, PDV_UNIT_YEAR, "2028-02-29");
	add("2025-03-31", 1, PDV_UNIT_MONTH, "2025-04-30");
	add("2025-01-31", 3, PDV_UNIT_MONTH, "2025-04-30");
	add("2025-12-15", 1, PDV_UNIT_MONTH, "2026-01-15");
	add("2025-01-15", 13, PDV_UNIT_MONTH, "2026-02-15");
	add("2025-05-31", -1, PDV_UNIT_MONTH, "2025-04-30");
	add("2026-11-23", 3, PDV_UNIT_YEAR, "2029-11-23");
	add("2026-11-23", 30, PDV_UNIT_DAY, "2026-12-23");
	add("2026-12-28", 2, PDV_UNIT_WEEK, "2027-01-11");
	add("2026-11-23", 0, PDV_UNIT_YEAR, "2026-11-23");
	/* out of range */
	pdv_day_t r;
	assert_int_equal(
	    pdv_day_add(day("9999-06-01"), (struct pdv_duration){1, PDV_UNIT_YEAR}, &r),
	    PDV_E_RANGE);
	assert_int_equal(pdv_day_add(day("9999-12-31"), (struct pdv_duration){1, PDV_UNIT_DAY}, &r),
	                 PDV_E_RANGE);
	assert_int_equal(pdv_day_add(0, (struct pdv_duration){1, PDV_UNIT_HOUR}, &r), PDV_E_INVAL);
}

static void test_parse_and_format(void **state)
{
	pdv_time_t t;
	char buf[21];
	struct pdv_error err;

	(void)state;
	assert_int_equal(pdv_time_parse("2026-11-23", &t, NULL), 0);
	assert_int_equal(t, (pdv_time_t)20780 * 86400);
	assert_int_equal(pdv_time_parse("2026-11-23T10:20:30Z", &t, NULL), 0);
	pdv_time_format(t, buf);
	assert_string_equal(buf, "2026-11-23T10:20:30Z");
	assert_int_equal(pdv_time_day(t), 20780);
	pdv_time_format(-1, buf);
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
	assert_int_equal(pdv_time_day(-1), -1);
	static const char *const bad[] = {
	    "",
	    "2026-11-23T10:20:30",
	    "2026-11-23 10:20:30Z",
	    "2026-02-29",
	    "2026-13-01",
	    "26-11-23",
	    "2026-11-23T24:00:00Z",
	    "2026-11-23T10:60:00Z",
	    "2026-11-23Z",
	    "2026-1-23",
	    "yesterday",
	    "2026-11-23T10:20:30+01:00",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		pdv_error_clear(&err);
		if (pdv_time_parse(bad[i], &t, &err) != PDV_E_INVAL)
			fail_msg("'%s' should be refused", bad[i]);
		assert_non_null(strstr(err.msg, "YYYY-MM-DD"));
	}
}

/* what a person types: a local time with its offset, read as the same instant */
static void test_parse_local(void **state)
{
	static const struct {
		const char *in, *utc;
	} good[] = {
	    {"2026-03-02T11:00+01:00", "2026-03-02T10:00:00Z"},
	    {"2026-03-02 11:00 +0100", "2026-03-02T10:00:00Z"},
	    {"2026-03-02T11:00:30+0100", "2026-03-02T10:00:30Z"},
	    {"2026-03-02 00:30 +02", "2026-03-01T22:30:00Z"},
	    {"2026-03-01T22:00-05:30", "2026-03-02T03:30:00Z"},
	    {"2026-03-02T10:00:00Z", "2026-03-02T10:00:00Z"},
	    {"2026-03-02 10:00Z", "2026-03-02T10:00:00Z"},
	    {"2026-03-02", "2026-03-02T00:00:00Z"},
	    {"2024-12-31T23:30-14:00", "2025-01-01T13:30:00Z"},
	};
	static const char *const bad[] = {
	    "",
	    "2026-03-02T11:00",
	    "2026-03-02 11:00:00",
	    "2026-03-02T11:00+1:00",
	    "2026-03-02T11:00+15:00",
	    "2026-03-02T11:00+14:30",
	    "2026-03-02T11:00+01:60",
	    "2026-03-02T11:00+01:00 ",
	    "2026-03-02T11:00  +01:00",
	    "2026-03-02T24:00Z",
	    "2026-02-30T10:00Z",
	    "2026-03-02T11:00+01:0",
	    "0001-01-01T00:30+01:00",
	    "yesterday",
	};
	pdv_time_t t;
	char buf[21];
	struct pdv_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		if (pdv_time_parse_local(good[i].in, &t, NULL) < 0)
			fail_msg("'%s' should be read", good[i].in);
		pdv_time_format(t, buf);
		assert_string_equal(buf, good[i].utc);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		pdv_error_clear(&err);
		if (pdv_time_parse_local(bad[i], &t, &err) != PDV_E_INVAL)
			fail_msg("'%s' should be refused", bad[i]);
		assert_non_null(strstr(err.msg, "+01:00"));
	}
}

/* instants outside years 1..9999 are no date: never one of another year */
static void check_time(pdv_time_t t, const char *want)
{
	char buf[21];

	memset(buf, 'x', sizeof(buf));
	pdv_time_format(t, buf);
	if (strcmp(buf, want) != 0)
		fail_msg("%lld: got %s, want %s", (long long)t, buf, want);
}

static void test_format_outside_years_1_to_9999(void **state)
{
	pdv_time_t first, last, t;
	char date[11];

	(void)state;
	assert_int_equal(pdv_time_parse("0001-01-01T00:00:00Z", &first, NULL), 0);
	assert_int_equal(pdv_time_parse("9999-12-31T23:59:59Z", &last, NULL), 0);
	check_time(first, "0001-01-01T00:00:00Z");
	check_time(last, "9999-12-31T23:59:59Z");
	check_time(first - 1, PDV_TIME_BEFORE);
	check_time(last + 1, PDV_TIME_AFTER); /* 10000-01-01, not 0000-01-01 */
	check_time(last + 86400 * 400, PDV_TIME_AFTER);
	check_time(INT64_MAX, PDV_TIME_AFTER);
	check_time(INT64_MIN, PDV_TIME_BEFORE);
	check_time(INT64_MIN + 1, PDV_TIME_BEFORE);
	assert_string_equal(PDV_TIME_BEFORE, "0000-00-00T00:00:00Z");
	assert_string_equal(PDV_TIME_AFTER, "9999-99-99T99:99:99Z");
	/* neither reads back as a time, and they sort as the instants do */
	assert_int_not_equal(pdv_time_parse(PDV_TIME_BEFORE, &t, NULL), 0);
	assert_int_not_equal(pdv_time_parse(PDV_TIME_AFTER, &t, NULL), 0);
	assert_int_not_equal(pdv_time_parse_local(PDV_TIME_AFTER, &t, NULL), 0);
	assert_true(strcmp(PDV_TIME_BEFORE, "0001-01-01T00:00:00Z") < 0);
	assert_true(strcmp(PDV_TIME_AFTER, "9999-12-31T23:59:59Z") > 0);
	assert_true(pdv_time_valid(first) && pdv_time_valid(last));
	assert_false(pdv_time_valid(first - 1) || pdv_time_valid(last + 1));
	assert_false(pdv_time_valid(INT64_MAX) || pdv_time_valid(INT64_MIN));

	/* days and dates: clamped, never wrapped */
	assert_int_equal(pdv_time_day(INT64_MAX), INT32_MAX);
	assert_int_equal(pdv_time_day(INT64_MIN), INT32_MIN);
	assert_int_equal(pdv_time_day(last + 1), day("9999-12-31") + 1);
	assert_int_equal(pdv_day_to_date(pdv_time_day(last + 1)).year, 10000);
	assert_int_equal(pdv_day_to_date(pdv_time_day(first - 1)).year, 0);
	assert_true(pdv_day_to_date(INT32_MAX).year > 5000000);
	assert_true(pdv_day_to_date(INT32_MIN).year < -5000000);
	assert_int_equal(pdv_date_to_day(pdv_day_to_date(INT32_MAX)), INT32_MAX);
	assert_int_equal(pdv_date_to_day(pdv_day_to_date(INT32_MIN)), INT32_MIN);
	assert_int_equal(pdv_date_to_day((struct pdv_date){INT32_MAX, 12, 31}), INT32_MAX);
	assert_int_equal(pdv_date_to_day((struct pdv_date){INT32_MIN, 1, 1}), INT32_MIN);
	assert_int_equal(pdv_day_weekday(INT32_MAX), (pdv_day_weekday(INT32_MAX - 1) + 1) % 7);
	pdv_date_format(pdv_day_to_date(day("9999-12-31") + 1), date);
	assert_string_equal(date, PDV_DATE_AFTER);
	pdv_date_format(pdv_day_to_date(day("0001-01-01") - 1), date);
	assert_string_equal(date, PDV_DATE_BEFORE);
	pdv_date_format((struct pdv_date){-7, 1, 1}, date);
	assert_string_equal(date, PDV_DATE_BEFORE);
	pdv_date_format((struct pdv_date){2026, 13, 1}, date);
	assert_string_equal(date, PDV_DATE_BEFORE);
	pdv_date_format((struct pdv_date){1, 1, 1}, date);
	assert_string_equal(date, "0001-01-01");

	/* month arithmetic and the clocks built on days stay defined */
	assert_true(pdv_date_add_months((struct pdv_date){2026, 1, 31}, INT64_MAX).year > 9999);
	assert_true(pdv_date_add_months((struct pdv_date){2026, 1, 31}, INT64_MIN).year < 1);
	assert_int_equal(pdv_date_add_months((struct pdv_date){2026, 1, 31}, -25).month, 12);
	assert_int_equal(pdv_breach_authority_due(INT64_MAX), INT64_MAX);
	assert_int_equal(pdv_controller_day("FR", INT64_MAX), INT32_MAX);
	assert_int_equal(pdv_controller_offset("FR", INT64_MIN), 3600);
	assert_int_equal(pdv_next_working_day("FR", INT32_MAX), INT32_MAX);
	assert_false(pdv_holiday("FR", INT32_MAX));
}

static void test_durations(void **state)
{
	struct pdv_duration d;

	(void)state;
	assert_int_equal(pdv_duration_parse("3y", false, &d, NULL), 0);
	assert_int_equal(d.n, 3);
	assert_int_equal(d.unit, PDV_UNIT_YEAR);
	assert_int_equal(pdv_duration_parse("13mo", false, &d, NULL), 0);
	assert_int_equal(d.unit, PDV_UNIT_MONTH);
	assert_int_equal(pdv_duration_parse("2w", false, &d, NULL), 0);
	assert_int_equal(pdv_duration_parse("30d", false, &d, NULL), 0);
	assert_int_equal(pdv_duration_parse("72h", true, &d, NULL), 0);
	assert_int_equal(d.unit, PDV_UNIT_HOUR);
	static const char *const bad[] = {"72h", "3 y", "-3y",    "+3y",
	                                  "3",   "y",   "3years", "13 months",
	                                  "",    "3Y",  "1.5y",   "99999999999999999999y"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (pdv_duration_parse(bad[i], false, &d, NULL) == 0)
			fail_msg("'%s' should be refused", bad[i]);
	assert_true(pdv_duration_days((struct pdv_duration){13, PDV_UNIT_MONTH}) >
	            pdv_duration_days((struct pdv_duration){1, PDV_UNIT_YEAR}));
	assert_true(pdv_duration_days((struct pdv_duration){3, PDV_UNIT_YEAR}) >
	            pdv_duration_days((struct pdv_duration){36, PDV_UNIT_MONTH}) - 1);
}

static void test_clock(void **state)
{
	pdv_time_t t;
	char buf[21];
	struct pdv_error err;

	(void)state;
	setenv("PDVAULT_NOW", "2030-02-03T04:05:06Z", 1);
	assert_true(pdv_clock_is_overridden());
	assert_int_equal(pdv_clock_now(&t, NULL), 0);
	pdv_time_format(t, buf);
	assert_string_equal(buf, "2030-02-03T04:05:06Z");
	setenv("PDVAULT_NOW", "2030-02-03", 1);
	assert_int_equal(pdv_clock_now(&t, NULL), 0);
	pdv_time_format(t, buf);
	assert_string_equal(buf, "2030-02-03T00:00:00Z");
	setenv("PDVAULT_NOW", "tomorrow", 1);
	pdv_error_clear(&err);
	assert_true(pdv_clock_now(&t, &err) < 0);
	assert_non_null(strstr(err.msg, "PDVAULT_NOW"));
	unsetenv("PDVAULT_NOW");
	assert_false(pdv_clock_is_overridden());
	assert_int_equal(pdv_clock_now(&t, NULL), 0);
	assert_true(t > 1767225600); /* after 2026-01-01: the real clock */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_epoch_and_known_days),
	    cmocka_unit_test(test_round_trip_every_day),
	    cmocka_unit_test(test_leap_years),
	    cmocka_unit_test(test_regulation_1182_71),
	    cmocka_unit_test(test_parse_and_format),
	    cmocka_unit_test(test_parse_local),
	    cmocka_unit_test(test_format_outside_years_1_to_9999),
	    cmocka_unit_test(test_durations),
	    cmocka_unit_test(test_clock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
