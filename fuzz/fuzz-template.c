/*
 * fuzz-template.c — libFuzzer target for the template parser, and the MIME
 * builder on the same bytes. The first byte picks the kind and the format;
 * the rest is the template's text. A refusal must point inside the text (a
 * line between 1 and the text's last line); the builder, given the bytes as
 * subject and body, either refuses or writes only CRLF-ended lines of 7-bit
 * text, none over 998 characters.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdv/delivery.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pdv_error err;
	char name[64];
	uint32_t lines = 1;

	if (size < 1)
		return 0;
	enum pdv_template_kind k = (enum pdv_template_kind)((data[0] & 0x3f) % PDV_TPL_KIND_COUNT);
	snprintf(name, sizeof(name), "%s.%s.%s", pdv_template_kind_name(k),
	         data[0] & 0x40 ? "fr" : "en", data[0] & 0x80 ? "html" : "txt");
	const char *text = (const char *)data + 1;
	size_t len = size - 1;
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	pdv_error_clear(&err);
	int rc = pdv_template_check(name, text, len, &err);
	if (rc == PDV_E_PARSE && (err.pos.line < 1 || err.pos.line > lines))
		abort();

	char *s = malloc(len + 1);
	if (!s)
		return 0;
	memcpy(s, text, len);
	s[len] = '\0';
	struct pdv_mail m = {.message_id = "1@example.org",
	                     .from = "a@example.org",
	                     .to = "b@example.org",
	                     .subject = s,
	                     .text = s,
	                     .html = data[0] & 1 ? s : NULL,
	                     .from_name = data[0] & 2 ? s : NULL};
	struct pdv_buf b;
	pdv_buf_init(&b, 0);
	if (pdv_mail_build(&m, &b, &err) == 0) {
		size_t col = 0;
		for (size_t i = 0; i < b.len; i++) {
			unsigned char c = (unsigned char)b.data[i];
			if (c >= 0x80 || c == 0 ||
			    (c == '\n' && (i == 0 || b.data[i - 1] != '\r')) ||
			    (c == '\r' && b.data[i + 1] != '\n'))
				abort();
			col = c == '\n' ? 0 : col + 1;
			if (col > 999)
				abort();
		}
	}
	pdv_buf_release(&b);
	free(s);
	return 0;
}
