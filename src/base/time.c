/*
 * time.c — civil dates, day numbers and calendar arithmetic (UTC only).
 *
 * Day numbers count from 1970-01-01 in the proleptic Gregorian calendar; the
 * conversions are Howard Hinnant's days_from_civil algorithm, in int64 so
 * that any input converts without overflow; only years 1..9999 are printed
 * as dates (anything else as PDV_TIME_BEFORE/AFTER, see time.h). Months and
 * years are added by Regulation 1182/71 art. 3: the same day number in the
 * target month, or its last day.
 */
#include <stdlib.h>
#include <string.h>

#include "pdv/buf.h"
#include "pdv/time.h"

#define MIN_YEAR 1
#define MAX_YEAR 9999
#define MAX_DURATION 100000     /* far past any retention, far from overflow */
#define MAX_MONTHS_YEAR 1000000 /* where pdv_date_add_months stops counting */

bool pdv_is_leap_year(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int pdv_days_in_month(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (month < 1 || month > 12)
		return 0;
	return month == 2 && pdv_is_leap_year(year) ? 29 : days[month - 1];
}

bool pdv_date_valid(struct pdv_date d)
{
	return d.year >= MIN_YEAR && d.year <= MAX_YEAR && d.month >= 1 && d.month <= 12 &&
	       d.day >= 1 && d.day <= pdv_days_in_month(d.year, d.month);
}

/* x, or the nearest of lo and hi when it lies past them */
static int64_t clamp(int64_t x, int64_t lo, int64_t hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

/* a day number held in pdv_day_t: the nearest end of its range past it */
static pdv_day_t clamp_day(int64_t day)
{
	return (pdv_day_t)clamp(day, INT32_MIN, INT32_MAX);
}

/* a / b rounded down (C rounds towards zero), for b > 0 */
static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

/*
 * Hinnant's algorithms in int64: every int field of a date and every
 * pdv_day_t is converted without overflow (a year of 2^31 is 7.8e11 days),
 * and a day past the range of pdv_day_t is clamped to its nearest end.
 */
pdv_day_t pdv_date_to_day(struct pdv_date d)
{
	int64_t y = (int64_t)d.year - (d.month <= 2);
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;
	int64_t mp = ((int64_t)d.month + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return clamp_day(era * 146097 + doe - 719468);
}

struct pdv_date pdv_day_to_date(pdv_day_t day)
{
	int64_t z = (int64_t)day + 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	struct pdv_date d;

	/* |year| < 5.9 million for any pdv_day_t: it fits an int */
	d.day = (int)(doy - (153 * mp + 2) / 5 + 1);
	d.month = (int)(mp < 10 ? mp + 3 : mp - 9);
	d.year = (int)(yoe + era * 400 + (d.month <= 2));
	return d;
}

int pdv_day_weekday(pdv_day_t day)
{
	/* 1970-01-01 was a Thursday (3 with Monday = 0) */
	int w = (int)(((int64_t)day + 3) % 7);

	return w < 0 ? w + 7 : w;
}

pdv_day_t pdv_time_day(pdv_time_t t)
{
	return clamp_day(floor_div(t, PDV_SECONDS_PER_DAY));
}

pdv_time_t pdv_day_start(pdv_day_t day)
{
	return (pdv_time_t)day * PDV_SECONDS_PER_DAY;
}

/* the first and the last second of years 1..9999: what is printed as a date */
static pdv_time_t first_time(void)
{
	return pdv_day_start(pdv_date_to_day((struct pdv_date){MIN_YEAR, 1, 1}));
}

static pdv_time_t last_time(void)
{
	return pdv_day_start(pdv_date_to_day((struct pdv_date){MAX_YEAR, 12, 31}) + 1) - 1;
}

struct pdv_date pdv_date_add_months(struct pdv_date d, int64_t n)
{
	/* months since year 0, held within years -MAX_MONTHS_YEAR..MAX_MONTHS_YEAR
	 * (far outside 1..9999, whatever n is) so the year fits an int */
	const int64_t lim = (int64_t)MAX_MONTHS_YEAR * 12;
	int64_t m = (int64_t)d.year * 12 + ((int64_t)d.month - 1);
	struct pdv_date r;
	int dim;

	/* m within +-lim and n within +-2 lim: their sum cannot overflow, and
	 * an n cut to 2 lim still takes m past lim, to the same end */
	m = clamp(m, -lim, lim);
	m = clamp(m + clamp(n, -2 * lim, 2 * lim), -lim, lim);
	r.year = (int)floor_div(m, 12);
	r.month = (int)(m - (int64_t)r.year * 12) + 1;
	dim = pdv_days_in_month(r.year, r.month);
	r.day = d.day <= dim ? d.day : dim;
	return r;
}

int pdv_day_add(pdv_day_t day, struct pdv_duration dur, pdv_day_t *ret_day)
{
	struct pdv_date d;
	int64_t r;

	if (dur.n < -MAX_DURATION || dur.n > MAX_DURATION)
		return PDV_E_RANGE;
	switch (dur.unit) {
	case PDV_UNIT_DAY:
		r = (int64_t)day + dur.n;
		break;
	case PDV_UNIT_WEEK:
		r = (int64_t)day + dur.n * 7;
		break;
	case PDV_UNIT_MONTH:
	case PDV_UNIT_YEAR:
		d = pdv_day_to_date(day);
		if (!pdv_date_valid(d))
			return PDV_E_RANGE;
		d = pdv_date_add_months(d, dur.unit == PDV_UNIT_YEAR ? dur.n * 12 : dur.n);
		if (d.year < MIN_YEAR || d.year > MAX_YEAR)
			return PDV_E_RANGE;
		r = pdv_date_to_day(d);
		break;
	case PDV_UNIT_HOUR:
	default:
		return PDV_E_INVAL;
	}
	if (r < pdv_date_to_day((struct pdv_date){MIN_YEAR, 1, 1}) ||
	    r > pdv_date_to_day((struct pdv_date){MAX_YEAR, 12, 31}))
		return PDV_E_RANGE;
	*ret_day = (pdv_day_t)r;
	return 0;
}

/* exactly n ASCII digits at s */
static bool digits(const char *s, int n, int *ret)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*ret = v;
	return true;
}

static bool parse_date_prefix(const char *s, struct pdv_date *d)
{
	return digits(s, 4, &d->year) && s[4] == '-' && digits(s + 5, 2, &d->month) &&
	       s[7] == '-' && digits(s + 8, 2, &d->day) && pdv_date_valid(*d);
}

int pdv_date_parse(const char *s, struct pdv_date *ret, struct pdv_error *err)
{
	struct pdv_date d;

	if (!s || strlen(s) != 10 || !parse_date_prefix(s, &d))
		return pdv_error_set(err, PDV_E_INVAL, "expected a date YYYY-MM-DD");
	*ret = d;
	return 0;
}

int pdv_time_parse(const char *s, pdv_time_t *ret, struct pdv_error *err)
{
	struct pdv_date d;
	int hh, mm, ss;
	size_t n = s ? strlen(s) : 0;

	if (n == 10 && parse_date_prefix(s, &d)) {
		*ret = pdv_day_start(pdv_date_to_day(d));
		return 0;
	}
	if (n == 20 && parse_date_prefix(s, &d) && s[10] == 'T' && digits(s + 11, 2, &hh) &&
	    s[13] == ':' && digits(s + 14, 2, &mm) && s[16] == ':' && digits(s + 17, 2, &ss) &&
	    s[19] == 'Z' && hh < 24 && mm < 60 && ss < 60) {
		*ret = pdv_day_start(pdv_date_to_day(d)) + hh * 3600 + mm * 60 + ss;
		return 0;
	}
	return pdv_error_set(err, PDV_E_INVAL,
	                     "expected a UTC time YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ");
}

/* "Z", or an offset from UTC "+HH:MM", "+HHMM" or "+HH" (or "-"), at most
 * 14 hours (every zone in use lies within); *ret_secs is east of UTC */
static bool parse_zone(const char *s, int *ret_secs)
{
	int hh, mm = 0, sign;

	if (strcmp(s, "Z") == 0) {
		*ret_secs = 0;
		return true;
	}
	if (s[0] != '+' && s[0] != '-')
		return false;
	sign = s[0] == '+' ? 1 : -1;
	if (!digits(s + 1, 2, &hh))
		return false;
	s += 3;
	if (*s == ':')
		s++;
	if (*s && (!digits(s, 2, &mm) || s[2] != '\0'))
		return false;
	if (hh > 14 || mm > 59 || hh * 60 + mm > 14 * 60)
		return false;
	*ret_secs = sign * (hh * 3600 + mm * 60);
	return true;
}

int pdv_time_parse_local(const char *s, pdv_time_t *ret, struct pdv_error *err)
{
	const pdv_time_t lo = first_time(), hi = last_time();
	struct pdv_date d;
	int hh, mm, ss = 0, zone;
	size_t n = s ? strlen(s) : 0;
	const char *p;
	pdv_time_t t;

	if (n == 10 && parse_date_prefix(s, &d)) {
		*ret = pdv_day_start(pdv_date_to_day(d));
		return 0;
	}
	if (n < 17 || n > 32 || !parse_date_prefix(s, &d) || (s[10] != 'T' && s[10] != ' ') ||
	    !digits(s + 11, 2, &hh) || s[13] != ':' || !digits(s + 14, 2, &mm))
		goto bad;
	p = s + 16;
	if (p[0] == ':') {
		if (!digits(p + 1, 2, &ss))
			goto bad;
		p += 3;
	}
	if (*p == ' ')
		p++;
	if (!parse_zone(p, &zone) || hh > 23 || mm > 59 || ss > 59)
		goto bad;
	t = pdv_day_start(pdv_date_to_day(d)) + hh * 3600 + mm * 60 + ss - zone;
	if (t < lo || t > hi)
		goto bad;
	*ret = t;
	return 0;
bad:
	return pdv_error_set(err, PDV_E_INVAL,
	                     "expected a time with its offset from UTC, such as "
	                     "2026-03-02T11:00+01:00, 2026-03-02 11:00 +0100 or "
	                     "2026-03-02T10:00:00Z (or a UTC date, YYYY-MM-DD)");
}

static void put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

bool pdv_time_valid(pdv_time_t t)
{
	return t >= first_time() && t <= last_time();
}

void pdv_date_format(struct pdv_date d, char buf[static 11])
{
	if (!pdv_date_valid(d)) {
		memcpy(buf, d.year > MAX_YEAR ? PDV_DATE_AFTER : PDV_DATE_BEFORE, 11);
		return;
	}
	put2(buf, d.year / 100);
	put2(buf + 2, d.year % 100);
	buf[4] = '-';
	put2(buf + 5, d.month);
	buf[7] = '-';
	put2(buf + 8, d.day);
	buf[10] = '\0';
}

void pdv_time_format(pdv_time_t t, char buf[static 21])
{
	pdv_day_t day;
	int64_t s;

	if (!pdv_time_valid(t)) {
		memcpy(buf, t > 0 ? PDV_TIME_AFTER : PDV_TIME_BEFORE, 21);
		return;
	}
	day = pdv_time_day(t);
	s = t - pdv_day_start(day);
	pdv_date_format(pdv_day_to_date(day), buf);
	buf[10] = 'T';
	put2(buf + 11, (int)(s / 3600));
	buf[13] = ':';
	put2(buf + 14, (int)(s / 60 % 60));
	buf[16] = ':';
	put2(buf + 17, (int)(s % 60));
	buf[19] = 'Z';
	buf[20] = '\0';
}

int pdv_duration_parse(const char *s, bool allow_hours, struct pdv_duration *ret,
                       struct pdv_error *err)
{
	const char *p = s;
	int64_t n = 0;
	struct pdv_duration d;

	if (!s || *p < '0' || *p > '9')
		goto bad;
	while (*p >= '0' && *p <= '9') {
		n = n * 10 + (*p++ - '0');
		if (n > MAX_DURATION)
			return pdv_error_set(err, PDV_E_RANGE,
			                     "duration too long (at most %d units)", MAX_DURATION);
	}
	d.n = n;
	if (strcmp(p, "d") == 0)
		d.unit = PDV_UNIT_DAY;
	else if (strcmp(p, "w") == 0)
		d.unit = PDV_UNIT_WEEK;
	else if (strcmp(p, "mo") == 0)
		d.unit = PDV_UNIT_MONTH;
	else if (strcmp(p, "y") == 0)
		d.unit = PDV_UNIT_YEAR;
	else if (allow_hours && strcmp(p, "h") == 0)
		d.unit = PDV_UNIT_HOUR;
	else
		goto bad;
	*ret = d;
	return 0;
bad:
	return pdv_error_set(err, PDV_E_INVAL, "expected a duration such as 3y, 13mo, 30d or 2w");
}

double pdv_duration_days(struct pdv_duration d)
{
	switch (d.unit) {
	case PDV_UNIT_DAY:
		return (double)d.n;
	case PDV_UNIT_WEEK:
		return (double)d.n * 7;
	case PDV_UNIT_MONTH:
		return (double)d.n * 30.436875;
	case PDV_UNIT_YEAR:
		return (double)d.n * 365.2425;
	case PDV_UNIT_HOUR:
		return (double)d.n / 24;
	}
	return 0;
}
