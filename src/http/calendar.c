/*
 * calendar.c — GET /v1/calendar.ics: the due dates of the open requests
 * (Art. 12(3)) and the 72-hour deadlines of the breaches the authority must
 * still be told of (Art. 33(1)), as an iCalendar feed (RFC 5545) that a
 * calendar app subscribes to.
 *
 * Calendar apps send no headers, so the token is in the URL (?token=), and
 * it is a token of its own (token create --scope calendar) that reads this
 * feed and nothing else (worker.c). What the feed says is what a leaked URL
 * may say: a reference, a kind, a date. Never a name, an address, a
 * breach's texts or the controller's staff.
 *
 * A date the store should never hold (a damaged or tampered store: the
 * engine refuses a due date past year 9999) is no calendar date, and its
 * event is left out; the back office lists the request or breach as it is.
 *
 * The text is built line by line; each content line is folded at 75 octets
 * (never inside a UTF-8 sequence) and ends with CRLF, as RFC 5545 3.1 asks.
 */
#include <stdio.h>
#include <string.h>

#include "answer.h"
#include "handlers.h"
#include "server.h"

/* one content line, folded: a line longer than 75 octets goes on in
 * continuation lines that start with a space (74 octets of content each) */
static int put_line(struct pdv_buf *b, const char *line)
{
	size_t n = strlen(line), room = 75;

	while (n > room) {
		size_t cut = room;

		while (cut > 0 && ((unsigned char)line[cut] & 0xC0) == 0x80)
			cut--; /* not inside a UTF-8 sequence */
		if (pdv_buf_append(b, line, cut) < 0 || pdv_buf_puts(b, "\r\n ") < 0)
			return PDV_E_NOMEM;
		line += cut;
		n -= cut;
		room = 74;
	}
	if (pdv_buf_append(b, line, n) < 0 || pdv_buf_puts(b, "\r\n") < 0)
		return PDV_E_NOMEM;
	return 0;
}

/* a TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped */
static void text_value(char *out, size_t size, const char *s)
{
	size_t k = 0;

	for (; *s && k + 3 < size; s++) {
		if (*s == '\\' || *s == ';' || *s == ',') {
			out[k++] = '\\';
			out[k++] = *s;
		} else if (*s == '\n') {
			out[k++] = '\\';
			out[k++] = 'n';
		} else if (*s != '\r') {
			out[k++] = *s;
		}
	}
	out[k] = '\0';
}

/* "2026-11-23T10:00:00Z" as "20261123T100000Z" (and a day "2026-11-23" as "20261123") */
static void ics_time(const char *iso, char out[17])
{
	size_t k = 0;

	for (; *iso && k < 16; iso++)
		if (*iso != '-' && *iso != ':')
			out[k++] = *iso;
	out[k] = '\0';
}

struct feed {
	struct pdv_buf *b;
	const char *lang;
	char stamp[17];
	int rc;
};

static int event(struct feed *f, const char *uid, const char *start, const char *summary)
{
	char line[1024], text[768];

	text_value(text, sizeof(text), summary);
	if (put_line(f->b, "BEGIN:VEVENT") < 0)
		return PDV_E_NOMEM;
	snprintf(line, sizeof(line), "UID:%s@pdvault", uid);
	if (put_line(f->b, line) < 0)
		return PDV_E_NOMEM;
	snprintf(line, sizeof(line), "DTSTAMP:%s", f->stamp);
	if (put_line(f->b, line) < 0 || put_line(f->b, start) < 0)
		return PDV_E_NOMEM;
	snprintf(line, sizeof(line), "SUMMARY:%s", text);
	if (put_line(f->b, line) < 0 || put_line(f->b, "TRANSP:TRANSPARENT") < 0 ||
	    put_line(f->b, "END:VEVENT") < 0)
		return PDV_E_NOMEM;
	return 0;
}

/* a request's kind as the calendar's language says it */
static const char *kind_words(const char *kind, bool fr)
{
	static const struct {
		const char *kind, *fr, *en;
	} words[] = {
	    {"access", "accès", "access"},
	    {"rectification", "rectification", "rectification"},
	    {"erasure", "effacement", "erasure"},
	    {"restriction", "limitation", "restriction"},
	    {"objection", "opposition", "objection"},
	    {"portability", "portabilité", "portability"},
	    {"withdraw-consent", "retrait du consentement", "withdrawal of consent"},
	    {"post-mortem", "directives post mortem", "post-mortem directives"},
	    {"human-review", "intervention humaine", "human review"},
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(words[i].kind, kind) == 0)
			return fr ? words[i].fr : words[i].en;
	return kind;
}

static int request_event(void *ctx, const struct pdv_request_info *r)
{
	struct feed *f = ctx;
	char uid[64], start[64], day[17], summary[256];
	bool fr = strcmp(f->lang, "fr") == 0;
	struct pdv_date due;

	if (pdv_date_parse(r->due, &due, NULL) < 0)
		return 0; /* no date: nothing a calendar can show */
	snprintf(uid, sizeof(uid), "request-%s", r->request);
	ics_time(r->due, day);
	/* a date: the day the answer is due, all day (RFC 5545 3.6.1) */
	snprintf(start, sizeof(start), "DTSTART;VALUE=DATE:%s", day);
	snprintf(summary, sizeof(summary),
	         fr ? "Demande %s (%s) : échéance%s" : "Request %s (%s) due%s",
	         r->reference[0] ? r->reference : r->request, kind_words(r->kind, fr),
	         r->overdue ? (fr ? " (en retard)" : " (overdue)") : "");
	return f->rc = event(f, uid, start, summary);
}

static int breach_event(void *ctx, const struct pdv_breach_info *b)
{
	struct feed *f = ctx;
	char uid[64], start[64], iso[21], at[17], summary[256];
	bool fr = strcmp(f->lang, "fr") == 0;

	if (b->authority_notified || !b->authority_required || !pdv_time_valid(b->authority_due))
		return 0;
	snprintf(uid, sizeof(uid), "breach-%s", b->breach);
	pdv_time_format(b->authority_due, iso);
	ics_time(iso, at);
	snprintf(start, sizeof(start), "DTSTART:%s", at);
	snprintf(summary, sizeof(summary),
	         fr ? "Violation %s : notifier l'autorité (72 h)%s"
	            : "Breach %s: tell the authority (72 h)%s",
	         b->breach, b->overdue ? (fr ? " (en retard)" : " (overdue)") : "");
	return f->rc = event(f, uid, start, summary);
}

void h_calendar(struct srv *s, struct job *j)
{
	struct pdv_buf *b = &j->out;
	struct feed f = {b, s->default_lang, "", 0};
	struct pdv_error err;
	char iso[21], name[256], line[320];

	pdv_error_clear(&err);
	pdv_buf_release(b);
	pdv_buf_init(b, 0);
	pdv_time_format(pdv_session_now(s->session), iso);
	ics_time(iso, f.stamp);
	text_value(name, sizeof(name),
	           s->decl->controller.name.s ? s->decl->controller.name.s : "pdvault");
	snprintf(line, sizeof(line), "X-WR-CALNAME:%s — %s", name,
	         strcmp(f.lang, "fr") == 0 ? "échéances RGPD" : "GDPR due dates");
	if (put_line(b, "BEGIN:VCALENDAR") < 0 || put_line(b, "VERSION:2.0") < 0 ||
	    put_line(b, "PRODID:-//pdvault//due dates//EN") < 0 ||
	    put_line(b, "CALSCALE:GREGORIAN") < 0 || put_line(b, "METHOD:PUBLISH") < 0 ||
	    put_line(b, line) < 0 || put_line(b, "REFRESH-INTERVAL;VALUE=DURATION:PT1H") < 0)
		goto nomem;
	if (pdv_request_list(s->session, "open", request_event, &f, &err) < 0 ||
	    pdv_breach_list(s->session, false, breach_event, &f, &err) < 0) {
		if (f.rc < 0)
			goto nomem;
		srv_fail(j, &err);
		return;
	}
	if (put_line(b, "END:VCALENDAR") < 0)
		goto nomem;
	j->status = 200;
	j->ctype = "text/calendar; charset=utf-8";
	snprintf(j->disposition, sizeof(j->disposition), "inline; filename=\"pdvault.ics\"");
	return;
nomem:
	srv_error(j, 500, "nomem", NULL, "out of memory");
}
