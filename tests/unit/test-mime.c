/*
 * test-mime.c — the message builder: headers refused with a line break,
 * encoded-words for UTF-8, quoted-printable lines of at most 76 characters,
 * the boundary never in a body, a plain message without HTML. The parse-back
 * checks are Python's email module in tests/cli/test_delivery_transport.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "pdv/delivery.h"

static struct pdv_mail base(void)
{
	return (struct pdv_mail){
	    .message_id = "42@example.org",
	    .date = 1772704800,
	    .from = "dpo@example.org",
	    .to = "ana@example.net",
	    .subject = "Hello",
	    .text = "Hi",
	};
}

static int build(const struct pdv_mail *m, struct pdv_buf *b, struct pdv_error *err)
{
	pdv_buf_init(b, 0);
	pdv_buf_set_secret(b);
	pdv_error_clear(err);
	return pdv_mail_build(m, b, err);
}

static void test_line_breaks_refused(void **state)
{
	const char *bad = "x\r\nBcc: all@example.org";
	struct pdv_buf b;
	struct pdv_error err;
	struct pdv_mail m;

	(void)state;
	for (int i = 0; i < 4; i++) {
		m = base();
		const char **f[] = {&m.subject, &m.from_name, &m.list_unsubscribe, &m.to};
		const char *name[] = {"subject", "from_name", "list_unsubscribe", "to"};
		*f[i] = bad;
		assert_int_equal(build(&m, &b, &err), PDV_E_INVAL);
		assert_string_equal(err.field, name[i]);
		assert_null(strstr(err.msg, "Bcc"));
		assert_int_equal(b.len, 0);
		pdv_buf_release(&b);
	}
	m = base();
	m.subject = "only\nLF";
	assert_int_equal(build(&m, &b, &err), PDV_E_INVAL);
	pdv_buf_release(&b);
	m = base();
	m.list_unsubscribe = "http://example.org/u";
	assert_int_equal(build(&m, &b, &err), PDV_E_INVAL);
	assert_string_equal(err.field, "list_unsubscribe");
	pdv_buf_release(&b);
}

static void test_headers(void **state)
{
	struct pdv_buf b;
	struct pdv_error err;
	struct pdv_mail m = base();

	(void)state;
	m.subject = "Été — votre code";
	m.list_unsubscribe = "https://example.org/u/1";
	assert_int_equal(build(&m, &b, &err), 0);
	assert_non_null(strstr(b.data, "Date: Thu, 05 Mar 2026 10:00:00 +0000\r\n"));
	assert_non_null(strstr(b.data, "Message-ID: <42@example.org>\r\n"));
	assert_non_null(strstr(b.data, "Subject: =?UTF-8?B?"));
	assert_non_null(strstr(b.data, "Auto-Submitted: auto-generated\r\n"));
	assert_non_null(strstr(b.data, "List-Unsubscribe: <https://example.org/u/1>\r\n"
	                               "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
	assert_null(strstr(b.data, "multipart"));
	for (size_t i = 0; i < b.len; i++) {
		assert_true((unsigned char)b.data[i] < 0x80);
		if (b.data[i] == '\n')
			assert_int_equal(b.data[i - 1], '\r');
	}
	pdv_buf_release(&b);
}

static void test_quoted_printable(void **state)
{
	char text[600];
	struct pdv_buf b;
	struct pdv_error err;
	struct pdv_mail m = base();
	size_t col = 0;

	(void)state;
	memset(text, 0, sizeof(text));
	for (size_t i = 0; i < 100; i++)
		memcpy(text + i * 2, "é", 2);
	strcat(text, "\nend \n=_pdvault_alternative\n");
	m.text = text;
	m.html = "<p>x</p>";
	assert_int_equal(build(&m, &b, &err), 0);
	const char *body = strstr(b.data, "\r\n\r\n");
	for (const char *p = body; *p; p++) {
		col = *p == '\n' ? 0 : col + 1;
		assert_true(col <= 77); /* 76 and its CR */
	}
	assert_non_null(strstr(b.data, "=C3=A9"));
	assert_non_null(strstr(b.data, "end=20\r\n"));
	assert_non_null(strstr(b.data, "=3D_pdvault_alternative"));
	/* the boundary appears only as the delimiters: 3 of them, and the header */
	int n = 0;
	for (const char *p = b.data; (p = strstr(p, "--=_pdvault_alternative")); p++)
		n++;
	assert_int_equal(n, 3);
	pdv_buf_release(&b);
}

/* one file attached: multipart/mixed around the alternative, the file in
 * base64 lines of 76, its name quoted; a name with a quote is refused */
static void test_attachment(void **state)
{
	char doc[200];
	struct pdv_buf b;
	struct pdv_error err;
	struct pdv_mail m = base();
	size_t col = 0;

	(void)state;
	memset(doc, 'x', sizeof(doc) - 1);
	doc[sizeof(doc) - 1] = '\0';
	memcpy(doc, "{\"a\":", 5);
	m.html = "<p>x</p>";
	m.attachment = doc;
	m.attachment_len = strlen(doc);
	m.attachment_name = "deletion-certificate-QG63B9C6=.json";
	m.attachment_type = "application/json";
	assert_int_equal(build(&m, &b, &err), 0);
	assert_non_null(
	    strstr(b.data, "Content-Type: multipart/mixed;\r\n boundary=\"=_pdvault_mixed\""));
	assert_non_null(strstr(b.data, "filename=\"deletion-certificate-QG63B9C6=.json\""));
	assert_non_null(strstr(b.data, "Content-Transfer-Encoding: base64\r\n\r\neyJhIjp4eHh4"));
	assert_non_null(strstr(b.data, "\r\n--=_pdvault_mixed--\r\n"));
	for (const char *p = b.data; *p; p++) {
		col = *p == '\n' ? 0 : col + 1;
		assert_true(col <= 79); /* 78 and its CR */
	}
	pdv_buf_release(&b);
	m.attachment_name = "a\"b.json";
	assert_int_equal(build(&m, &b, &err), PDV_E_INVAL);
	assert_string_equal(err.field, "attachment_name");
	pdv_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_line_breaks_refused),
	    cmocka_unit_test(test_headers),
	    cmocka_unit_test(test_quoted_printable),
	    cmocka_unit_test(test_attachment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
