/*
 * fuzz-time.c — libFuzzer target for the time reader of what people type
 * (pdv_time_parse_local) and for the writer of any instant. Any input is
 * read without a crash; an accepted one is an instant of years 1 to 9999
 * whose UTC form reads back to itself through both readers. The input's
 * first 8 bytes are also an int64 instant, as a value read back from a store
 * or a file can be: it is printed either as a UTC time that reads back to
 * itself, or, outside years 1 to 9999, as PDV_TIME_BEFORE/AFTER (never as a
 * date of another year), and the day and calendar functions take it without
 * overflow (UBSan stops the target on one). The renderers' dates for people
 * (in words and short, en and fr) of its day are dates within years 1 to
 * 9999 and pdv_date_format's marker outside, never another year.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdv/time.h"
#include "render-internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the day in words and short, in both languages: the marker outside years
 * 1 to 9999, else a date whose year is d's (words end with it, the short
 * forms hold it as 4 digits) */
static void for_people(pdv_day_t day, struct pdv_date d, const char *marker)
{
	static const char *const langs[] = {"en", "fr"};
	char words[RENDER_DATE_MAX], brief[11], year[16];
	bool valid = pdv_date_valid(d);
	size_t wn, yn;

	snprintf(year, sizeof(year), " %d", d.year);
	yn = strlen(year);
	for (size_t i = 0; i < 2; i++) {
		render_date_words(day, langs[i], words);
		render_date_short(day, langs[i], brief);
		wn = strlen(words);
		if (!valid && (strcmp(words, marker) != 0 || strcmp(brief, marker) != 0))
			abort();
		if (valid &&
		    (wn <= yn || strcmp(words + wn - yn, year) != 0 || strlen(brief) != 10 ||
		     strcmp(brief, PDV_DATE_AFTER) == 0 || strcmp(brief, PDV_DATE_BEFORE) == 0))
			abort();
	}
}

static void any_instant(pdv_time_t t)
{
	char utc[21], date[11];
	pdv_time_t back;
	pdv_day_t day = pdv_time_day(t);
	struct pdv_date d = pdv_day_to_date(day);

	/* the calendar first, so that UBSan names an overflow before the
	 * checks of what is printed abort */
	(void)pdv_day_weekday(day);
	(void)pdv_date_to_day(pdv_date_add_months(d, t));
	(void)pdv_next_working_day("FR", pdv_controller_day("FR", t));
	(void)pdv_time_day(pdv_breach_authority_due(t));
	pdv_time_format(t, utc);
	if (strlen(utc) != 20)
		abort();
	if (pdv_time_parse(utc, &back, NULL) == 0) {
		if (back != t)
			abort();
	} else if (strcmp(utc, t < 0 ? PDV_TIME_BEFORE : PDV_TIME_AFTER) != 0 ||
	           (d.year >= 1 && d.year <= 9999)) {
		abort();
	}
	pdv_date_format(d, date);
	if (strncmp(date, utc, 10) != 0)
		abort();
	for_people(day, d, date);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[64], utc[21];
	pdv_time_t t, again, strict;
	pdv_time_t raw;

	if (size >= sizeof(raw)) {
		memcpy(&raw, data, sizeof(raw));
		any_instant(raw);
	}
	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (pdv_time_parse_local(text, &t, NULL) < 0)
		return 0;
	pdv_time_format(t, utc);
	if (pdv_time_parse_local(utc, &again, NULL) < 0 || again != t ||
	    pdv_time_parse(utc, &strict, NULL) < 0 || strict != t)
		abort();
	return 0;
}
