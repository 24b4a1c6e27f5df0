/*
 * test-csv.c — the streaming CSV reader: RFC 4180 quoting, line numbers of
 * records that span lines, blank lines, byte-order mark, and the refusals
 * (broken quoting, a record over the limit, too many fields) that skip one
 * record and let the next be read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "pdv/csv.h"

struct reader {
	FILE *f;
	struct pdv_csv csv;
};

static void open_text(struct reader *r, const char *text, size_t max_record)
{
	r->f = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(r->f);
	assert_int_equal(pdv_csv_open(&r->csv, r->f, max_record, 4, NULL), 0);
}

static void close_reader(struct reader *r)
{
	pdv_csv_release(&r->csv);
	fclose(r->f);
}

static void expect_record(struct reader *r, unsigned long line, size_t n, ...)
{
	va_list ap;

	assert_int_equal(pdv_csv_next(&r->csv, NULL), PDV_CSV_RECORD);
	assert_int_equal(r->csv.record_line, line);
	assert_int_equal(r->csv.n_fields, n);
	va_start(ap, n);
	for (size_t i = 0; i < n; i++) {
		const char *want = va_arg(ap, const char *);

		assert_int_equal(r->csv.fields[i].len, strlen(want));
		assert_string_equal(r->csv.fields[i].s, want);
	}
	va_end(ap);
}

static void test_quoting(void **state)
{
	struct reader r;

	(void)state;
	open_text(&r, "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\n\"two\nlines\",z\n", 1024);
	expect_record(&r, 1, 3, "a", "b", "c");
	expect_record(&r, 2, 3, "x, y", "say \"hi\"", "");
	expect_record(&r, 3, 2, "two\nlines", "z");
	assert_int_equal(pdv_csv_next(&r.csv, NULL), PDV_CSV_EOF);
	assert_int_equal(pdv_csv_next(&r.csv, NULL), PDV_CSV_EOF);
	close_reader(&r);
}

static void test_blank_lines_bom_and_no_final_newline(void **state)
{
	struct reader r;

	(void)state;
	open_text(&r, "\xef\xbb\xbfh1,h2\n\n\nv1,v2", 1024);
	expect_record(&r, 1, 2, "h1", "h2");
	expect_record(&r, 4, 2, "v1", "v2");
	assert_int_equal(pdv_csv_next(&r.csv, NULL), PDV_CSV_EOF);
	close_reader(&r);
}

static void test_bad_quotes_skip_one_record(void **state)
{
	struct reader r;

	(void)state;
	open_text(&r, "ok,1\nbad\"quote,2\n\"closed\"junk,3\nfine,4\n\"open,5\nnever closed\n",
	          1024);
	expect_record(&r, 1, 2, "ok", "1");
	assert_int_equal(pdv_csv_next(&r.csv, NULL), PDV_CSV_BAD_QUOTE);
	assert_int_equal(r.csv.record_line, 2);
	assert_int_equal(pdv_csv_next(&r.csv, NULL), PDV_CSV_BAD_QUOTE);
	assert_int_equal(r.csv.record_line, 3);
	expect_record(&r, 4, 2, "fine", "4");
	/* a quote left open to the end of the file is one bad record */
	assert_int_equal(pdv_csv_next(&r.csv, NULL), PDV_CSV_BAD_QUOTE);
	assert_int_equal(r.csv.record_line, 5);
	assert_int_equal(pdv_csv_next(&r.csv, NULL), PDV_CSV_EOF);
	close_reader(&r);
}

static void test_limits(void **state)
{
	struct reader r;
	char text[512];

	(void)state;
	/* max_record 16: a long unquoted record, a long quoted one with a line
	 * break inside, then a normal one; 4 fields at most */
	snprintf(text, sizeof(text), "%s\n\"%s\n%s\",x\nshort,row\na,b,c,d,e\nlast\n",
	         "0123456789012345678901234567890123456789", "abcdefghijklmnopqrst",
	         "uvwxyzabcdefghij");
	open_text(&r, text, 16);
	assert_int_equal(pdv_csv_next(&r.csv, NULL), PDV_CSV_TOO_LONG);
	assert_int_equal(r.csv.record_line, 1);
	assert_int_equal(pdv_csv_next(&r.csv, NULL), PDV_CSV_TOO_LONG);
	assert_int_equal(r.csv.record_line, 2);
	expect_record(&r, 4, 2, "short", "row");
	assert_int_equal(pdv_csv_next(&r.csv, NULL), PDV_CSV_TOO_MANY);
	assert_int_equal(r.csv.record_line, 5);
	expect_record(&r, 6, 1, "last");
	close_reader(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_quoting),
	    cmocka_unit_test(test_blank_lines_bom_and_no_final_newline),
	    cmocka_unit_test(test_bad_quotes_skip_one_record),
	    cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
