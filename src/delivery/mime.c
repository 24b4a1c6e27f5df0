/*
 * mime.c — an RFC 5322 / MIME message from a struct pdv_mail.
 *
 * Owns: the header grammar (addresses, ids, RFC 2047 encoded-words, folding),
 * the RFC 5322 date, quoted-printable bodies and the multipart/alternative
 * layout.
 *
 * Invariants:
 *  - every line ends in CRLF and is at most 78 characters, but for a long
 *    List-Unsubscribe URL (at most 998, the hard limit);
 *  - no header value holds CR or LF, and text values (subject, display name)
 *    become encoded-words when not plain ASCII: a value can never start a
 *    header of its own;
 *  - the boundary starts with "=_", which quoted-printable never writes (it
 *    spells every "=" as "=3D"), so no body can contain it;
 *  - a line of a body starting with "." is left as it is: libcurl dot-stuffs
 *    the DATA it sends (tests/cli/test_delivery_transport.py checks it);
 *  - error messages name the field, never its value.
 */
#include <string.h>

#include "delivery-internal.h"
#include "pdv/crypto.h"

#define BOUNDARY "=_pdvault_alternative"
#define MIXED "=_pdvault_mixed"
#define LINE_MAX_CHARS 78
#define QP_LINE 76
#define WORD_BYTES 39 /* of UTF-8 per encoded-word: "=?UTF-8?B?" 52 "?=" = 64 */

static bool has_crlf(const char *s)
{
	return strpbrk(s, "\r\n") != NULL;
}

bool dlv_addr_valid(const char *s)
{
	const char *at = NULL;
	size_t n = 0;

	for (const char *p = s; *p; p++, n++) {
		unsigned char c = (unsigned char)*p;

		if (c <= 0x20 || c >= 0x7f || strchr("<>()[],;:\\\"", c))
			return false;
		if (c == '@') {
			if (at)
				return false;
			at = p;
		}
	}
	return at && at != s && at[1] && n <= 254;
}

static bool id_valid(const char *s)
{
	return dlv_addr_valid(s) && strlen(s) <= 250;
}

/* a header value that may stay as it is: printable ASCII, nothing that reads
 * as an encoded-word */
static bool plain_ascii(const char *s)
{
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			return false;
	return strstr(s, "=?") == NULL;
}

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static int put_b64(struct pdv_buf *b, const unsigned char *s, size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i += 3) {
		unsigned v = (unsigned)s[i] << 16;
		char q[4];

		if (i + 1 < n)
			v |= (unsigned)s[i + 1] << 8;
		if (i + 2 < n)
			v |= s[i + 2];
		q[0] = B64[(v >> 18) & 63];
		q[1] = B64[(v >> 12) & 63];
		q[2] = i + 1 < n ? B64[(v >> 6) & 63] : '=';
		q[3] = i + 2 < n ? B64[v & 63] : '=';
		rc = pdv_buf_append(b, q, 4);
	}
	return rc;
}

/*
 * "Name: value" for a text value: as it is when short plain ASCII, else
 * encoded-words of at most WORD_BYTES whole UTF-8 characters, one per line.
 * *col is left at the column after the value.
 */
static int put_text_header(struct pdv_buf *b, const char *name, const char *v, size_t *col)
{
	size_t len = strlen(v), at = 0;
	int rc;

	if ((rc = pdv_buf_printf(b, "%s: ", name)) < 0)
		return rc;
	*col = strlen(name) + 2;
	if (plain_ascii(v) && *col + len <= LINE_MAX_CHARS) {
		*col += len;
		return pdv_buf_puts(b, v);
	}
	while (at < len) {
		size_t n = pdv_utf8_cut(v + at, WORD_BYTES);

		if (n == 0) /* a character longer than a word cannot be: utf8 checked */
			return PDV_E_INTERNAL;
		if (at && (rc = pdv_buf_puts(b, "\r\n ")) < 0)
			return rc;
		if ((rc = pdv_buf_puts(b, "=?UTF-8?B?")) < 0 ||
		    (rc = put_b64(b, (const unsigned char *)v + at, n)) < 0 ||
		    (rc = pdv_buf_puts(b, "?=")) < 0)
			return rc;
		*col = (at ? 1 : *col) + 12 + (n + 2) / 3 * 4;
		at += n;
	}
	return 0;
}

/* RFC 5322 date-time in +0000: "Thu, 05 Mar 2026 10:00:00 +0000" */
static int put_date(struct pdv_buf *b, pdv_time_t t)
{
	static const char *const wd[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	static const char *const mo[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	pdv_day_t day = pdv_time_day(t);
	struct pdv_date d = pdv_day_to_date(day);
	int64_t s = t - pdv_day_start(day);

	return pdv_buf_printf(b, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
	                      wd[pdv_day_weekday(day)], d.day, mo[d.month - 1], d.year,
	                      (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60));
}

/*
 * Quoted-printable (RFC 2045 6.7): LF or CRLF become hard line breaks (CRLF),
 * a lone CR is =0D, space and tab are encoded before a line break, soft
 * breaks keep every line at most 76 characters.
 */
static int put_qp(struct pdv_buf *b, const char *s)
{
	size_t col = 0;
	int rc = 0;

	for (const char *p = s; *p && rc == 0; p++) {
		unsigned char c = (unsigned char)*p;
		char tok[4];
		size_t n;

		if (c == '\n' || (c == '\r' && p[1] == '\n')) {
			if (c == '\r')
				p++;
			rc = pdv_buf_puts(b, "\r\n");
			col = 0;
			continue;
		}
		bool at_eol = p[1] == '\0' || p[1] == '\n' || (p[1] == '\r' && p[2] == '\n');
		if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_eol)) {
			tok[0] = (char)c;
			n = 1;
		} else {
			tok[0] = '=';
			tok[1] = "0123456789ABCDEF"[c >> 4];
			tok[2] = "0123456789ABCDEF"[c & 15];
			n = 3;
		}
		/* room for a soft break "=" after the token, unless the line ends here */
		if (col + n > QP_LINE - 1 && !(at_eol && col + n <= QP_LINE)) {
			if ((rc = pdv_buf_puts(b, "=\r\n")) < 0)
				break;
			col = 0;
		}
		rc = pdv_buf_append(b, tok, n);
		col += n;
	}
	return rc;
}

static int put_part_headers(struct pdv_buf *b, const char *subtype)
{
	return pdv_buf_printf(b,
	                      "Content-Type: text/%s; charset=utf-8\r\n"
	                      "Content-Transfer-Encoding: quoted-printable\r\n\r\n",
	                      subtype);
}

/* base64 (RFC 2045), 76 characters a line: its alphabet has no "_", so no
 * line of it can start a boundary */
static int put_base64(struct pdv_buf *b, const uint8_t *p, size_t n)
{
	static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t col = 0;
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) |
		             (i + 2 < n ? p[i + 2] : 0);
		char q[4] = {A[v >> 18 & 63], A[v >> 12 & 63], i + 1 < n ? A[v >> 6 & 63] : '=',
		             i + 2 < n ? A[v & 63] : '='};

		rc = pdv_buf_append(b, q, 4);
		if (rc == 0 && (col += 4) == 76 && i + 3 < n) {
			rc = pdv_buf_puts(b, "\r\n");
			col = 0;
		}
	}
	return rc == 0 ? pdv_buf_puts(b, "\r\n") : rc;
}

static bool name_plain(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++)
		if (*s < 0x20 || *s > 0x7e || *s == '"' || *s == '\\')
			return false;
	return n > 0 && n <= 100;
}

static int check(const struct pdv_mail *m, struct pdv_error *err)
{
	const struct {
		const char *field, *v;
		bool required;
	} text[] = {
	    {"message_id", m->message_id, true},
	    {"from", m->from, true},
	    {"to", m->to, true},
	    {"subject", m->subject, true},
	    {"from_name", m->from_name, false},
	    {"list_unsubscribe", m->list_unsubscribe, false},
	};

	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++) {
		const char *v = text[i].v;
		int rc = 0;

		if (!v && !text[i].required)
			continue;
		if (!v || !*v)
			rc = pdv_error_set(err, PDV_E_INVAL, "%s: missing", text[i].field);
		else if (has_crlf(v))
			rc = pdv_error_set(err, PDV_E_INVAL, "%s: a line break in a header",
			                   text[i].field);
		else if (strlen(v) > PDV_MAIL_HEADER_MAX)
			rc = pdv_error_set(err, PDV_E_INVAL, "%s: longer than %d bytes",
			                   text[i].field, PDV_MAIL_HEADER_MAX);
		else if (!pdv_utf8_valid(v, strlen(v)))
			rc = pdv_error_set(err, PDV_E_INVAL, "%s: not valid UTF-8", text[i].field);
		if (rc < 0) {
			pdv_error_field(err, text[i].field);
			return rc;
		}
	}
	if (m->attachment && (!m->attachment_name || !name_plain(m->attachment_name) ||
	                      !m->attachment_type || !name_plain(m->attachment_type))) {
		pdv_error_field(err, "attachment_name");
		return pdv_error_set(err, PDV_E_INVAL,
		                     "attachment_name: missing, or not plain ASCII (at most 100)");
	}
	const char *bad = !id_valid(m->message_id)   ? "message_id"
	                  : !dlv_addr_valid(m->from) ? "from"
	                  : !dlv_addr_valid(m->to)   ? "to"
	                                             : NULL;
	if (!bad && m->list_unsubscribe &&
	    (strncmp(m->list_unsubscribe, "https://", 8) != 0 ||
	     strpbrk(m->list_unsubscribe, "<> \t\"") || !plain_ascii(m->list_unsubscribe)))
		bad = "list_unsubscribe";
	if (bad) {
		pdv_error_field(err, bad);
		return pdv_error_set(err, PDV_E_INVAL, "%s: %s", bad,
		                     strcmp(bad, "list_unsubscribe") == 0
		                         ? "not an https:// URL"
		                         : "not a plain address (ASCII, one @, no space)");
	}
	const struct {
		const char *field, *v;
	} body[] = {{"text", m->text}, {"html", m->html}};
	for (size_t i = 0; i < 2; i++) {
		if (!body[i].v && i == 1)
			continue;
		if (!body[i].v || !pdv_utf8_valid(body[i].v, strlen(body[i].v))) {
			pdv_error_field(err, body[i].field);
			return pdv_error_set(err, PDV_E_INVAL, "%s: %s", body[i].field,
			                     body[i].v ? "not valid UTF-8" : "missing");
		}
	}
	return 0;
}

int pdv_mail_build(const struct pdv_mail *m, struct pdv_buf *out, struct pdv_error *err)
{
	size_t start = out->len, col;
	int rc;

	if ((rc = check(m, err)) < 0)
		return rc;
	if ((rc = put_date(out, m->date)) < 0 ||
	    (rc = pdv_buf_printf(out, "Message-ID: <%s>\r\n", m->message_id)) < 0)
		goto out;
	if (m->from_name) {
		if ((rc = put_text_header(out, "From", m->from_name, &col)) < 0 ||
		    (rc = pdv_buf_printf(out, "%s<%s>\r\n",
		                         col + strlen(m->from) + 3 > LINE_MAX_CHARS ? "\r\n " : " ",
		                         m->from)) < 0)
			goto out;
	} else if ((rc = pdv_buf_printf(out, "From: <%s>\r\n", m->from)) < 0) {
		goto out;
	}
	if ((rc = pdv_buf_printf(out, "To: <%s>\r\n", m->to)) < 0 ||
	    (rc = put_text_header(out, "Subject", m->subject, &col)) < 0 ||
	    (rc = pdv_buf_puts(out,
	                       "\r\nMIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n")) < 0)
		goto out;
	if (m->list_unsubscribe &&
	    (rc = pdv_buf_printf(out,
	                         "List-Unsubscribe: <%s>\r\n"
	                         "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
	                         m->list_unsubscribe)) < 0)
		goto out;
	if (m->attachment && (rc = pdv_buf_puts(out, "Content-Type: multipart/mixed;\r\n"
	                                             " boundary=\"" MIXED "\"\r\n\r\n"
	                                             "--" MIXED "\r\n")) < 0)
		goto out;
	if (!m->html) {
		if ((rc = put_part_headers(out, "plain")) < 0 || (rc = put_qp(out, m->text)) < 0 ||
		    (rc = pdv_buf_puts(out, "\r\n")) < 0)
			goto out;
	} else if ((rc = pdv_buf_puts(out, "Content-Type: multipart/alternative;\r\n"
	                                   " boundary=\"" BOUNDARY "\"\r\n\r\n"
	                                   "--" BOUNDARY "\r\n")) < 0 ||
	           (rc = put_part_headers(out, "plain")) < 0 || (rc = put_qp(out, m->text)) < 0 ||
	           (rc = pdv_buf_puts(out, "\r\n--" BOUNDARY "\r\n")) < 0 ||
	           (rc = put_part_headers(out, "html")) < 0 || (rc = put_qp(out, m->html)) < 0 ||
	           (rc = pdv_buf_puts(out, "\r\n--" BOUNDARY "--\r\n")) < 0) {
		goto out;
	}
	if (m->attachment &&
	    ((rc = pdv_buf_printf(out,
	                          "\r\n--" MIXED "\r\nContent-Type: %s;\r\n name=\"%s\"\r\n"
	                          "Content-Disposition: attachment;\r\n filename=\"%s\"\r\n"
	                          "Content-Transfer-Encoding: base64\r\n\r\n",
	                          m->attachment_type, m->attachment_name, m->attachment_name)) <
	         0 ||
	     (rc = put_base64(out, (const uint8_t *)m->attachment, m->attachment_len)) < 0 ||
	     (rc = pdv_buf_puts(out, "--" MIXED "--\r\n")) < 0))
		goto out;
	if (out->len - start > PDV_MAIL_MAX)
		rc = PDV_E_LIMIT;
out:
	if (rc < 0) {
		if (out->data)
			pdv_wipe(out->data + start, out->len - start);
		out->len = start;
		if (out->data)
			out->data[start] = '\0';
		if (rc == PDV_E_LIMIT || rc == PDV_E_NOMEM)
			rc =
			    pdv_error_set(err, rc,
			                  rc == PDV_E_LIMIT ? "the message is larger than its limit"
			                                    : "out of memory building the message");
	}
	return rc;
}
