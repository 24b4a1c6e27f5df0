/*
 * pdv/time.h — UTC time, civil dates, and calendar arithmetic.
 *
 * All time in pdvault is an int64 count of seconds since 1970-01-01T00:00:00Z
 * (pdv_time_t). Dates are days since 1970-01-01 (pdv_day_t), proleptic
 * Gregorian, valid for years 1..9999. Nothing here reads the system clock
 * except pdv_clock_now(), which honours PDVAULT_NOW; nothing uses the local
 * time zone. The functions that take a country's calendar (holidays) are pure.
 *
 * Month arithmetic follows Regulation (EEC, Euratom) No 1182/71 art. 3: adding
 * months or years lands on the same day number in the target month, or on
 * that month's last day when the day does not exist (31 Jan + 1 month =
 * 28/29 Feb; 29 Feb + 1 year = 28 Feb).
 */
#ifndef PDV_TIME_H
#define PDV_TIME_H

#include <stdbool.h>
#include <stdint.h>

#include "pdv/error.h"

typedef int64_t pdv_time_t; /* seconds since the epoch, UTC */
typedef int32_t pdv_day_t;  /* days since 1970-01-01 */

#define PDV_SECONDS_PER_DAY 86400

struct pdv_date {
	int year;  /* 1..9999 */
	int month; /* 1..12 */
	int day;   /* 1..31 */
};

/* the unit of a duration in the declaration language */
enum pdv_unit {
	PDV_UNIT_DAY = 0, /* "d" */
	PDV_UNIT_WEEK,    /* "w" */
	PDV_UNIT_MONTH,   /* "mo" */
	PDV_UNIT_YEAR,    /* "y" */
	PDV_UNIT_HOUR,    /* "h": only where a clock counts hours (breach) */
};

struct pdv_duration {
	int64_t n;
	enum pdv_unit unit;
};

bool pdv_date_valid(struct pdv_date d);
bool pdv_is_leap_year(int year);
int pdv_days_in_month(int year, int month);

/*
 * Defined for every input: the arithmetic is done in int64 (no overflow), a
 * day number past the range of pdv_day_t is clamped to its nearest end, and
 * any pdv_day_t converts to a date (of years -5.8 million to 5.8 million;
 * pdv_date_valid says whether it lies in 1..9999).
 */
pdv_day_t pdv_date_to_day(struct pdv_date d);
struct pdv_date pdv_day_to_date(pdv_day_t day);
/* 0 = Monday ... 6 = Sunday */
int pdv_day_weekday(pdv_day_t day);

/* the UTC day holding t (clamped to the range of pdv_day_t: beyond
 * years -5.8 million to 5.8 million, the first or the last day) */
pdv_day_t pdv_time_day(pdv_time_t t);
pdv_time_t pdv_day_start(pdv_day_t day); /* 00:00:00Z of that day */

/* Add months by Reg. 1182/71 (n may be negative). The result is held
 * within years -1000000..1000000 (far outside 1..9999), whatever n is. */
struct pdv_date pdv_date_add_months(struct pdv_date d, int64_t n);
/* Add a duration to a day (d and w are exact days; mo and y by 1182/71). */
int pdv_day_add(pdv_day_t day, struct pdv_duration dur, pdv_day_t *ret_day) PDV_WUR;

/*
 * Parse "YYYY-MM-DD" (a UTC day) or "YYYY-MM-DDTHH:MM:SSZ". For a date only,
 * *ret is 00:00:00Z of that day.
 */
int pdv_time_parse(const char *s, pdv_time_t *ret, struct pdv_error *err) PDV_WUR;
/*
 * What a person types: "YYYY-MM-DD" (a UTC day, as above), or a date and a
 * time ("T" or one space between), minutes or seconds, and its zone: "Z" or
 * an offset "+HH:MM", "+HHMM", "+HH" (or "-"), with at most one space before
 * it: "2026-03-02T11:00+01:00", "2026-03-02 11:00 +0100". A time without its
 * zone is refused: the machine's zone is not the person's.
 */
int pdv_time_parse_local(const char *s, pdv_time_t *ret, struct pdv_error *err) PDV_WUR;
int pdv_date_parse(const char *s, struct pdv_date *ret, struct pdv_error *err) PDV_WUR;
/*
 * RFC 3339 with Z, e.g. 2026-11-23T10:00:00Z; buf >= 21 bytes. Only the
 * instants of years 1..9999 (0001-01-01T00:00:00Z .. 9999-12-31T23:59:59Z)
 * have that form: any other t is printed as PDV_TIME_BEFORE or
 * PDV_TIME_AFTER, never as a date of another year. Both are 20 characters,
 * are no date (month 00 or 99: both parsers refuse them) and sort before or
 * after every date as text, as t does. Callers that read t from anywhere
 * but the clock or a parse check its range where they read it.
 */
void pdv_time_format(pdv_time_t t, char buf[static 21]);
/* t is an instant of years 1..9999: one pdv_time_format prints as a date */
bool pdv_time_valid(pdv_time_t t);
#define PDV_TIME_BEFORE "0000-00-00T00:00:00Z"
#define PDV_TIME_AFTER "9999-99-99T99:99:99Z"
/* YYYY-MM-DD; buf >= 11 bytes. A date that is not pdv_date_valid is printed
 * PDV_DATE_AFTER when its year is past 9999, PDV_DATE_BEFORE otherwise. */
void pdv_date_format(struct pdv_date d, char buf[static 11]);
#define PDV_DATE_BEFORE "0000-00-00"
#define PDV_DATE_AFTER "9999-99-99"

/*
 * Parse a duration "INTEGER(d|w|mo|y)" exactly (no spaces, no sign).
 * allow_hours also accepts "h".
 */
int pdv_duration_parse(const char *s, bool allow_hours, struct pdv_duration *ret,
                       struct pdv_error *err) PDV_WUR;
/* an approximate length in days, for comparing durations (1mo = 30.44d) */
double pdv_duration_days(struct pdv_duration d);

/*
 * The clock: PDVAULT_NOW ("YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ") replaces the
 * system clock everywhere. pdv_clock_now fails when PDVAULT_NOW is malformed.
 */
int pdv_clock_now(pdv_time_t *ret, struct pdv_error *err) PDV_WUR;
bool pdv_clock_is_overridden(void);

/* ---- calendars and legal deadlines ----------------------------------- */

/* Easter Sunday (Gregorian computus) of a year */
struct pdv_date pdv_easter(int year);

/*
 * Is day a public holiday in the country (ISO 3166 alpha-2, e.g. "FR")?
 * Countries without a built-in calendar have no holidays (weekends still count).
 */
bool pdv_holiday(const char *country, pdv_day_t day);
bool pdv_country_has_calendar(const char *country);
/* Saturday, Sunday or a public holiday */
bool pdv_non_working_day(const char *country, pdv_day_t day);
/* day itself if working, else the next working day */
pdv_day_t pdv_next_working_day(const char *country, pdv_day_t day);

/*
 * Art. 12(3) due date: received + period by Reg. 1182/71, moved to the next
 * working day of the country when it falls on a non-working day. The
 * extension is computed from receipt (received + response + extension), with
 * the same shift, once.
 */
int pdv_deadline_due(pdv_day_t received, struct pdv_duration response, const char *country,
                     pdv_day_t *ret_due) PDV_WUR;
int pdv_deadline_extended(pdv_day_t received, struct pdv_duration response,
                          struct pdv_duration extension, const char *country,
                          pdv_day_t *ret_due) PDV_WUR;

/* Art. 33(1): awareness + 72 hours, exactly */
pdv_time_t pdv_breach_authority_due(pdv_time_t aware);

/*
 * The civil date in the controller's own calendar for an instant. Only
 * Europe/Paris rules (CET/CEST, EU switching rule) are built in, for the
 * countries that use them; other countries use UTC.
 */
pdv_day_t pdv_controller_day(const char *country, pdv_time_t t);
/* the controller's clock ahead of UTC at t, in seconds (0, 3600 or 7200) */
int pdv_controller_offset(const char *country, pdv_time_t t);

#endif
