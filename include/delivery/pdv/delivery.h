/*
 * pdv/delivery.h — the transport of what the vault owes the outside world:
 * MIME messages, the templates they are written from, SMTP through libcurl,
 * and signed webhooks. src/delivery/ uses base, crypto and libcurl; never the
 * store. The outbox worker (claims, leases, retries) calls what is here.
 *
 * Invariants:
 *  - no personal-data value in an error message or a result: messages name the
 *    field ("to", "subject", "auth file /path"), a template file and line, an
 *    SMTP or HTTP status and libcurl's generic text for its error code, never
 *    an address, a code, a body, or a line a server sent back (a relay's
 *    "550 <bob@example.org> unknown" stays out: only the 550 is kept);
 *  - header injection is impossible: every header value is refused when it
 *    holds CR or LF, addresses and ids are checked against a strict grammar,
 *    and text headers are RFC 2047 encoded-words, so a value never makes a
 *    line of its own;
 *  - every buffer is bounded (PDV_MAIL_MAX for a message, PDV_TEMPLATE_MAX
 *    for a template file, PDV_WEBHOOK_BODY_MAX for a payload); text produced
 *    from personal data (a rendered template, a built message) goes into
 *    secret buffers, wiped when released;
 *  - secrets (the SMTP password, a webhook secret's HMAC state) live in
 *    sodium memory and are wiped; the auth file is refused unless it is a
 *    regular file owned by the running user with no group or world access,
 *    and a refusal names the file, never a byte of it. libcurl keeps its own
 *    copy of the user name and password for the life of the handle (it needs
 *    them to log in again on a new connection); that copy is freed, not
 *    wiped, by curl_easy_cleanup: a limit of libcurl's API;
 *  - nothing goes over the network in clear except to a loopback address:
 *    smtp:// and http:// are allowed in clear only when every address the host
 *    resolves to is loopback (127.0.0.0/8, ::1), and the connection is then
 *    pinned to the addresses checked; smtp:// anywhere else requires STARTTLS
 *    (CURLUSESSL_ALL); certificate and host name checks are never switched
 *    off; every transfer has a connect and a total timeout.
 */
#ifndef PDV_DELIVERY_H
#define PDV_DELIVERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pdv/buf.h"
#include "pdv/error.h"
#include "pdv/time.h"

/* ---- MIME messages (mime.c) -------------------------------------------- */

#define PDV_MAIL_MAX ((size_t)4 * 1024 * 1024) /* a whole built message */
#define PDV_MAIL_HEADER_MAX 900                /* one header value, before encoding */

/*
 * One message to build. Borrowed strings; text values are UTF-8.
 *   message_id        "LOCAL@DOMAIN" without angle brackets (the outbox id @
 *                     the mail-from domain), printable ASCII, no space
 *   date              when it is sent (RFC 5322 Date, in +0000)
 *   from, to          addr-spec (ASCII, one @, no space, no <>)
 *   from_name         optional display name (encoded when not plain ASCII)
 *   subject           required, one line
 *   text              the text/plain body, required
 *   html              optional: with it the message is multipart/alternative
 *   list_unsubscribe  optional https:// URL: adds List-Unsubscribe and
 *                     List-Unsubscribe-Post: List-Unsubscribe=One-Click
 *                     (RFC 8058), for every marketing-related message
 */
struct pdv_mail {
	const char *message_id;
	pdv_time_t date;
	const char *from;
	const char *from_name;
	const char *to;
	const char *subject;
	const char *text;
	const char *html;
	const char *list_unsubscribe;
	/* optional: one file attached (base64), never personal data (a deletion
	 * certificate); the name plain ASCII, no quote, backslash or line break */
	const char *attachment;
	size_t attachment_len;
	const char *attachment_name;
	const char *attachment_type; /* e.g. application/json */
};

/*
 * Build m as an RFC 5322 / MIME message into out (appended; mark out secret,
 * the bodies are personal data): CRLF line endings, every line at most 78
 * characters but for a long List-Unsubscribe (at most 998), bodies
 * quoted-printable in UTF-8, Auto-Submitted: auto-generated. Dot-stuffing is
 * libcurl's (it doubles a leading "." on the wire). PDV_E_INVAL naming the
 * field for a missing or malformed value (CR or LF in a header included),
 * PDV_E_LIMIT past PDV_MAIL_MAX.
 */
int pdv_mail_build(const struct pdv_mail *m, struct pdv_buf *out, struct pdv_error *err) PDV_WUR;

/* ---- templates (template.c) --------------------------------------------- */

#define PDV_TEMPLATE_MAX ((size_t)64 * 1024) /* one template file */

/*
 * The messages the vault sends, each a template KIND.LANG.txt (its first line
 * "Subject: ...", then an empty line, then the text body) and KIND.LANG.html
 * (the HTML body), for LANG fr and en. Placeholders are {{name}}, name in
 * [a-z_]+, from the kind's list (pdv_template_names): anything else written
 * {{...}} is an error at load, with the file and line. At render a value is
 * HTML-escaped into the HTML body, copied as it is into the text, and must be
 * one line in the subject; a placeholder without a value is an error.
 *
 * Every kind and language has a default compiled into the binary (the files
 * of src/delivery/templates/); a folder of overrides replaces any of them, a
 * file at a time. A file there that names no known kind and language is an
 * error (a typo would otherwise silently keep the default).
 */
enum pdv_template_kind {
	PDV_TPL_VERIFICATION = 0, /* the code that opens a request */
	PDV_TPL_CONFIRMATION,     /* double opt-in: code and link */
	PDV_TPL_ACKNOWLEDGEMENT,  /* a request received, its due date */
	PDV_TPL_EXTENSION,        /* Art. 12(3) extension with reasons */
	PDV_TPL_REFUSAL,          /* Art. 12(4): reasons, complaint and court */
	PDV_TPL_ACCESS_ANSWER,    /* access/portability: a download link, 7 days */
	PDV_TPL_RENEWAL,          /* retention re-confirmation link */
	PDV_TPL_BREACH_NOTICE,    /* Art. 34 to the people affected */
	PDV_TPL_RECIPIENT_NOTICE, /* Art. 19 by email to a recipient */
	PDV_TPL_DPO_DIGEST,       /* requests due within 7 days and overdue */
	PDV_TPL_DPO_BREACH_ALERT, /* a breach recorded; 48 h, 24 h, past 72 h */
	PDV_TPL_NOTHING_HELD,     /* Art. 15(1): no data held about the address */
	PDV_TPL_STAFF_INVITATION, /* a staff account's link to enrol */
	PDV_TPL_ERASURE_ANSWER,   /* Art. 17: done, the deletion certificate attached */
	PDV_TPL_KIND_COUNT
};

/* "verification", "confirmation", ... (the KIND of the file names) */
const char *pdv_template_kind_name(enum pdv_template_kind k);
/* the kind named s; PDV_E_NOTFOUND when none */
int pdv_template_kind_parse(const char *s, enum pdv_template_kind *ret_kind) PDV_WUR;
/* the placeholders kind k allows, NULL-terminated */
const char *const *pdv_template_names(enum pdv_template_kind k);

struct pdv_templates;

/*
 * The compiled-in defaults, with the files of dir (may be NULL) in their place.
 * Errors: PDV_E_PARSE at FILE:LINE for a bad placeholder or a missing
 * Subject line, PDV_E_LIMIT for a file over PDV_TEMPLATE_MAX, PDV_E_INVAL for
 * a file that is not valid UTF-8 or names no kind, PDV_E_IO for a folder or
 * file that cannot be read.
 */
int pdv_templates_load(const char *dir, struct pdv_templates **ret_set,
                       struct pdv_error *err) PDV_WUR;
void pdv_templates_free(struct pdv_templates *set);

/*
 * Parse one template's text as pdv_templates_load does (the fuzzer's and the
 * tests' way in): name is "KIND.LANG.txt" or "KIND.LANG.html" and is used in
 * messages. 0 when it would load.
 */
int pdv_template_check(const char *name, const char *text, size_t len,
                       struct pdv_error *err) PDV_WUR;

struct pdv_template_value {
	const char *name;
	const char *value; /* UTF-8 */
};

/* A rendered message: three secret buffers, released by pdv_rendered_release. */
struct pdv_rendered {
	struct pdv_buf subject;
	struct pdv_buf text;
	struct pdv_buf html;
};

/*
 * Render kind in lang ("fr" or "en") with the n values. ret is initialised
 * here and must be released by the caller, on failure too. PDV_E_INVAL for a
 * missing value (naming the placeholder), a value that is not valid UTF-8, or
 * a subject value with a line break; PDV_E_NOTFOUND for an unknown language.
 */
int pdv_templates_render(const struct pdv_templates *set, enum pdv_template_kind kind,
                         const char *lang, const struct pdv_template_value *values, size_t n,
                         struct pdv_rendered *ret, struct pdv_error *err) PDV_WUR;
void pdv_rendered_release(struct pdv_rendered *r);

/* ---- results -------------------------------------------------------------- */

enum pdv_delivery_status {
	PDV_DELIVERY_SENT = 0,  /* accepted by the relay, or a 2xx from the webhook */
	PDV_DELIVERY_TEMPORARY, /* try again later: 4xx SMTP, 5xx/429 HTTP, a
	                         * connection, TLS or timeout failure */
	PDV_DELIVERY_PERMANENT, /* do not retry: 5xx SMTP, other 4xx HTTP */
};

/* "sent", "temporary", "permanent" */
const char *pdv_delivery_status_name(enum pdv_delivery_status s);

struct pdv_delivery_result {
	enum pdv_delivery_status status;
	int code;         /* the SMTP reply or HTTP status; 0 when there was none */
	char detail[160]; /* why, without personal data ("" when sent) */
};

/* ---- SMTP (smtp.c) -------------------------------------------------------- */

struct pdv_smtp_config {
	const char *url;         /* smtp://HOST[:PORT] or smtps://HOST[:PORT] */
	const char *ca_file;     /* optional: CA bundle (CURLOPT_CAINFO); with
	                          * smtp:// to loopback it also requires STARTTLS */
	const char *auth_file;   /* optional: "USER:PASSWORD", mode 0600, ours */
	const char *mail_from;   /* the envelope sender, an addr-spec */
	long connect_timeout_ms; /* 0: 10 s */
	long timeout_ms;         /* per message, 0: 60 s */
};

struct pdv_smtp;

/*
 * Check cfg and make a session: the URL (no user or password in it, no path),
 * the host resolved to decide whether clear text is allowed, the auth file
 * read. Nothing is connected yet. PDV_E_INVAL naming the setting, PDV_E_IO or
 * PDV_E_REFUSED naming the auth file.
 */
int pdv_smtp_open(const struct pdv_smtp_config *cfg, struct pdv_smtp **ret_smtp,
                  struct pdv_error *err) PDV_WUR;
void pdv_smtp_free(struct pdv_smtp *s);

/*
 * Send one built message (pdv_mail_build) to rcpt. The connection stays open
 * for the next message. Returns 0 with the outcome in *ret (which is always
 * written); a negative code only for a bad argument (PDV_E_INVAL).
 */
int pdv_smtp_send(struct pdv_smtp *s, const char *rcpt, const char *msg, size_t len,
                  struct pdv_delivery_result *ret, struct pdv_error *err) PDV_WUR;

/* How many connections the session opened so far (for the tests and bench). */
long pdv_smtp_connections(const struct pdv_smtp *s);

/*
 * Whether the relay answers: a connection of its own, opened as a send's
 * would be (greeting, EHLO, STARTTLS and login as configured), then closed;
 * no message. true: it answered (whatever its later answers to a message
 * will be); false: no connection, or none set up within 5 s.
 */
bool pdv_smtp_probe(struct pdv_smtp *s);

/* ---- webhooks (webhook.c) ------------------------------------------------- */

#define PDV_WEBHOOK_BODY_MAX ((size_t)64 * 1024)
#define PDV_WEBHOOK_SIGNATURE_MAX 96 /* "t=" 20 digits ",v1=" 64 hex, NUL */

struct pdv_webhook_config {
	const char *ca_file;     /* optional CA bundle */
	long connect_timeout_ms; /* 0: 10 s */
	long timeout_ms;         /* per POST, 0: 30 s */
};

struct pdv_webhook;

int pdv_webhook_open(const struct pdv_webhook_config *cfg, struct pdv_webhook **ret_hook,
                     struct pdv_error *err) PDV_WUR;
void pdv_webhook_free(struct pdv_webhook *w);

/*
 * The Art. 19 payload: {"id":MESSAGE_ID,"type":ACTION,"record":RECORD,
 * "activity":ACTIVITY,"created":"RFC 3339"} where action is rectification,
 * erasure or restriction and record the record's opaque id; never a value.
 */
int pdv_webhook_body(const char *message_id, const char *action, const char *record,
                     const char *activity, pdv_time_t created, struct pdv_buf *out,
                     struct pdv_error *err) PDV_WUR;

/*
 * The signature header's value "t=TIMESTAMP,v1=HEX", HEX the HMAC-SHA256 with
 * the secret's bytes as key over "TIMESTAMP.BODY".
 */
int pdv_webhook_sign(const char *secret, size_t secret_len, pdv_time_t t, const char *body,
                     size_t len, char ret_sig[PDV_WEBHOOK_SIGNATURE_MAX],
                     struct pdv_error *err) PDV_WUR;

/*
 * POST body (JSON) to url: https://, or http:// to loopback only; no redirect
 * followed. Headers Content-Type: application/json, Pdvault-Message-Id and
 * Pdvault-Signature (signed at now). 2xx is sent; 5xx, 429, a timeout or a
 * connection failure temporary; anything else permanent. Returns 0 with *ret
 * written, a negative code for a bad argument (the URL refused: PDV_E_INVAL).
 */
int pdv_webhook_post(struct pdv_webhook *w, const char *url, const char *message_id,
                     const char *secret, size_t secret_len, pdv_time_t now, const char *body,
                     size_t len, struct pdv_delivery_result *ret, struct pdv_error *err) PDV_WUR;

#endif
