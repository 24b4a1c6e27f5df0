/*
 * test-render-dates.c — the dates the renderers write for people (in words,
 * short) at the edges of years 1..9999, in English and French: the first
 * and the last day are dates, anything outside is pdv_date_format's marker
 * (PDV_DATE_BEFORE/AFTER), never a date of year 0, 10000 or 5 million. And
 * the same through a rendered export, as its reader sees it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pdv/buf.h"
#include "pdv/decl.h"
#include "pdv/render.h"
#include "pdv/time.h"
#include "render-internal.h"

#define DATA PDV_SOURCE_ROOT "/tests/data/render/"

static pdv_time_t at(const char *s)
{
	pdv_time_t t;

	assert_int_equal(pdv_time_parse(s, &t, NULL), 0);
	return t;
}

/* an instant, the day holding it, in words and short, in both languages */
struct edge {
	pdv_time_t t;
	const char *words_en, *words_fr, *short_en, *short_fr;
};

static void check_edge(const struct edge *e)
{
	static const char *const langs[] = {"en", "fr"};
	const char *want_words[] = {e->words_en, e->words_fr};
	const char *want_short[] = {e->short_en, e->short_fr};
	char words[RENDER_DATE_MAX], brief[11];
	pdv_day_t day = pdv_time_day(e->t);

	for (size_t i = 0; i < 2; i++) {
		render_date_words(day, langs[i], words);
		render_date_short(day, langs[i], brief);
		if (strcmp(words, want_words[i]) != 0 || strcmp(brief, want_short[i]) != 0)
			fail_msg("t=%lld %s: got \"%s\" and %s, want \"%s\" and %s",
			         (long long)e->t, langs[i], words, brief, want_words[i],
			         want_short[i]);
	}
}

static void test_dates_inside_years_1_to_9999(void **state)
{
	const struct edge edges[] = {
	    {at("0001-01-01T00:00:00Z"), "1 January 1", "1er janvier 1", "0001-01-01",
	     "01/01/0001"},
	    {at("2026-03-02T10:00:00Z"), "2 March 2026", "2 mars 2026", "2026-03-02", "02/03/2026"},
	    {at("9999-12-31T23:59:59Z"), "31 December 9999", "31 décembre 9999", "9999-12-31",
	     "31/12/9999"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		check_edge(&edges[i]);
}

static void test_dates_outside_years_1_to_9999(void **state)
{
	const struct edge edges[] = {
	    /* the second before year 1: 31 December of year 0 */
	    {at("0001-01-01T00:00:00Z") - 1, PDV_DATE_BEFORE, PDV_DATE_BEFORE, PDV_DATE_BEFORE,
	     PDV_DATE_BEFORE},
	    /* the second after 9999: 1 January 10000, not "1 January 10000" */
	    {at("9999-12-31T23:59:59Z") + 1, PDV_DATE_AFTER, PDV_DATE_AFTER, PDV_DATE_AFTER,
	     PDV_DATE_AFTER},
	    {INT64_MIN, PDV_DATE_BEFORE, PDV_DATE_BEFORE, PDV_DATE_BEFORE, PDV_DATE_BEFORE},
	    {INT64_MIN + 1, PDV_DATE_BEFORE, PDV_DATE_BEFORE, PDV_DATE_BEFORE, PDV_DATE_BEFORE},
	    {INT64_MAX, PDV_DATE_AFTER, PDV_DATE_AFTER, PDV_DATE_AFTER, PDV_DATE_AFTER},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		check_edge(&edges[i]);
	/* and every day number, to both ends of pdv_day_t */
	for (int i = 0; i < 2; i++) {
		char words[RENDER_DATE_MAX], brief[11];
		pdv_day_t day = i ? INT32_MAX : INT32_MIN;
		const char *want = i ? PDV_DATE_AFTER : PDV_DATE_BEFORE;

		render_date_words(day, i ? "fr" : "en", words);
		assert_string_equal(words, want);
		render_date_short(day, i ? "en" : "fr", brief);
		assert_string_equal(brief, want);
	}
}

/* an export (Art. 15) of a record whose times were read back damaged: the
 * reader sees the marker where the date would be, not a year 10000 */
static void test_export_says_no_date_outside_years_1_to_9999(void **state)
{
	static const struct pdv_export_field field = {"email", "x@example.org", 13};
	struct pdv_export_record rec = {
	    .record = "r1",
	    .activity = "newsletter",
	    .phase = "active",
	    .collected_at = INT64_MIN,
	    .has_next = true,
	    .next_phase = "archived",
	    .next_at = at("9999-12-31T23:59:59Z") + 1,
	    .n_fields = 1,
	    .fields = &field,
	};
	struct pdv_decl *d = NULL;
	struct pdv_error err;

	(void)state;
	pdv_error_clear(&err);
	if (pdv_decl_load_file(DATA "full.yml", &d, &err) < 0)
		fail_msg("full.yml: %s", err.msg);
	for (int fr = 0; fr < 2; fr++) {
		struct pdv_buf b;
		char *s;

		pdv_buf_init(&b, 0);
		assert_int_equal(pdv_render_export(d, fr ? "fr" : "en", PDV_FORMAT_HTML, "s1",
		                                   false, &rec, 1, &b, &err),
		                 0);
		s = pdv_buf_steal(&b);
		assert_non_null(s);
		if (!strstr(s, fr ? "Collectées le" : "Collected on"))
			fail_msg("no collection date in the %s export", fr ? "fr" : "en");
		if (!strstr(s, PDV_DATE_BEFORE) || !strstr(s, PDV_DATE_AFTER))
			fail_msg("the %s export lacks a marker", fr ? "fr" : "en");
		if (strstr(s, "10000") || strstr(s, fr ? "décembre 0" : "December 0") ||
		    strstr(s, " -5877"))
			fail_msg("the %s export shows a year outside 1..9999", fr ? "fr" : "en");
		free(s);
	}
	pdv_decl_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dates_inside_years_1_to_9999),
	    cmocka_unit_test(test_dates_outside_years_1_to_9999),
	    cmocka_unit_test(test_export_says_no_date_outside_years_1_to_9999),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
