/*
 * calendar.c — public holidays, working days and the legal clocks built on
 * them: the Art. 12(3) due date of a rights request, its extension, and the
 * 72-hour clock of Art. 33(1). Pure functions of their arguments.
 *
 * France (FR): 1 Jan, Easter Monday, 1 May, 8 May, Ascension (Easter + 39),
 * Whit Monday (Easter + 50), 14 Jul, 15 Aug, 1 Nov, 11 Nov, 25 Dec. The
 * Alsace-Moselle extras (Good Friday, 26 Dec) are not applied: they depend on
 * the department, not the country. Countries without a built-in calendar have
 * weekends only.
 */
#include <stdint.h>
#include <string.h>

#include "pdv/time.h"

struct pdv_date pdv_easter(int year)
{
	/* the anonymous Gregorian algorithm (Meeus/Jones/Butcher) */
	int a = year % 19, b = year / 100, c = year % 100, d = b / 4, e = b % 4;
	int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
	int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	struct pdv_date r;

	r.year = year;
	r.month = (h + l - 7 * m + 114) / 31;
	r.day = (h + l - 7 * m + 114) % 31 + 1;
	return r;
}

static bool is_fr(const char *country)
{
	return country && strcmp(country, "FR") == 0;
}

bool pdv_country_has_calendar(const char *country)
{
	return is_fr(country);
}

bool pdv_holiday(const char *country, pdv_day_t day)
{
	static const struct {
		int month, day;
	} fixed[] = {{1, 1}, {5, 1}, {5, 8}, {7, 14}, {8, 15}, {11, 1}, {11, 11}, {12, 25}};
	struct pdv_date d;
	pdv_day_t easter;

	if (!is_fr(country))
		return false;
	d = pdv_day_to_date(day);
	/* the calendar is known for years 1..9999 only (and Easter + 50 stays
	 * far from the end of pdv_day_t) */
	if (!pdv_date_valid(d))
		return false;
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (d.month == fixed[i].month && d.day == fixed[i].day)
			return true;
	easter = pdv_date_to_day(pdv_easter(d.year));
	return day == easter + 1 || day == easter + 39 || day == easter + 50;
}

bool pdv_non_working_day(const char *country, pdv_day_t day)
{
	return pdv_day_weekday(day) >= 5 || pdv_holiday(country, day);
}

pdv_day_t pdv_next_working_day(const char *country, pdv_day_t day)
{
	while (day < INT32_MAX && pdv_non_working_day(country, day))
		day++;
	return day;
}

int pdv_deadline_due(pdv_day_t received, struct pdv_duration response, const char *country,
                     pdv_day_t *ret_due)
{
	pdv_day_t due;
	int r = pdv_day_add(received, response, &due);

	if (r < 0)
		return r;
	*ret_due = pdv_next_working_day(country, due);
	return 0;
}

int pdv_deadline_extended(pdv_day_t received, struct pdv_duration response,
                          struct pdv_duration extension, const char *country, pdv_day_t *ret_due)
{
	pdv_day_t due;
	int r;

	/* receipt + 3 months computed at once (31 Jan + 3mo = 30 Apr), not
	 * 28 Feb + 2mo; the shift to a working day happens once, at the end */
	/* pdv_day_add refuses such lengths anyway; here they would overflow */
	if (response.n < -INT32_MAX || response.n > INT32_MAX || extension.n < -INT32_MAX ||
	    extension.n > INT32_MAX)
		return PDV_E_RANGE;
	if ((response.unit == PDV_UNIT_MONTH || response.unit == PDV_UNIT_YEAR) &&
	    (extension.unit == PDV_UNIT_MONTH || extension.unit == PDV_UNIT_YEAR)) {
		struct pdv_duration total = {
		    .n = (response.unit == PDV_UNIT_YEAR ? 12 : 1) * response.n +
		         (extension.unit == PDV_UNIT_YEAR ? 12 : 1) * extension.n,
		    .unit = PDV_UNIT_MONTH,
		};
		r = pdv_day_add(received, total, &due);
	} else {
		r = pdv_day_add(received, response, &due);
		if (r == 0)
			r = pdv_day_add(due, extension, &due);
	}
	if (r < 0)
		return r;
	*ret_due = pdv_next_working_day(country, due);
	return 0;
}

pdv_time_t pdv_breach_authority_due(pdv_time_t aware)
{
	/* saturated: a time past INT64_MAX - 72 h has no date anyway */
	return aware > INT64_MAX - 72 * 3600 ? INT64_MAX : aware + 72 * 3600;
}

/* last Sunday of a month, as a day number */
static pdv_day_t last_sunday(int year, int month)
{
	pdv_day_t last =
	    pdv_date_to_day((struct pdv_date){year, month, pdv_days_in_month(year, month)});

	return last - (pdv_day_weekday(last) + 1) % 7;
}

static bool central_european(const char *country)
{
	static const char *const cet[] = {"FR", "DE", "BE", "NL", "LU", "ES", "IT", "AT",
	                                  "MC", "CH", "DK", "SE", "NO", "PL", "CZ", "SK",
	                                  "HU", "SI", "HR", "MT", "AD", "LI", "SM", "VA"};

	for (size_t i = 0; country && i < sizeof(cet) / sizeof(cet[0]); i++)
		if (strcmp(country, cet[i]) == 0)
			return true;
	return false;
}

int pdv_controller_offset(const char *country, pdv_time_t t)
{
	int year;
	pdv_time_t summer_from, summer_to;

	if (!central_european(country))
		return 0;
	/* the EU rule is applied within years 1..9999; outside, CET */
	year = pdv_day_to_date(pdv_time_day(t)).year;
	if (year < 1 || year > 9999)
		return 3600;
	/* EU rule: summer time from the last Sunday of March 01:00 UTC to the
	 * last Sunday of October 01:00 UTC; CET is UTC+1, CEST UTC+2 */
	summer_from = pdv_day_start(last_sunday(year, 3)) + 3600;
	summer_to = pdv_day_start(last_sunday(year, 10)) + 3600;
	return t >= summer_from && t < summer_to ? 7200 : 3600;
}

pdv_day_t pdv_controller_day(const char *country, pdv_time_t t)
{
	int offset = pdv_controller_offset(country, t);

	/* the offset is never negative: only the end of int64 can overflow */
	return pdv_time_day(t > INT64_MAX - offset ? INT64_MAX : t + offset);
}
