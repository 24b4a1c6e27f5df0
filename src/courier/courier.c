/*
 * courier.c — the delivery worker (pdv/courier.h): claim, write, send,
 * record.
 *
 * A drain opens the SMTP session once (one connection, STARTTLS and login
 * reused for every message of the drain) and frees it at the end. What it
 * holds of a message (address, code, rendered text, built MIME) is in secret
 * buffers wiped when the message is done. Outcomes are recorded as codes:
 * "smtp-NNN", "http-NNN", "timeout", "connect", "no-address", "render".
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pdv/courier.h"
#include "pdv/delivery.h"
#include "pdv/wipe.h"

struct pdv_courier {
	struct pdv_courier_config cfg;
	struct pdv_templates *templates;
	struct pdv_webhook *hook;
	char controller[256];
	char dpo_contact[256];
	char dpo_name[256];     /* the DPO's name, or the controller's when none is declared */
	char authority[2][256]; /* the supervisory authority's name, en and fr */
	char authority_link[256];
	char mail_from[256];
	char domain[200];
	char owner[64]; /* the lease owner: host, pid, and a random part */
	bool reminded;  /* the reminders ran once, at reminded_at */
	pdv_time_t reminded_at;
	/* whether the relay answered at the last try (RELAY_*): read by other
	 * threads (the server's answers say whether a code goes out now) */
	atomic_int relay;
	double probed; /* when it was last tried, monotonic seconds (drain only) */
};

enum { RELAY_UNKNOWN, RELAY_UP, RELAY_DOWN };
/* while the relay is down, it is tried this often (seconds) */
#define PROBE_EVERY 5.0

static const char *str_or(const char *s, const char *dflt)
{
	return s && *s ? s : dflt;
}

static pdv_time_t now(void)
{
	pdv_time_t t = 0;

	if (pdv_clock_now(&t, NULL) < 0)
		t = 0; /* a malformed PDVAULT_NOW was refused when the vault opened */
	return t;
}

/* Art. 12(4): the authority a refusal names, from the declaration (a built-in
 * id such as "cnil", or a full description) */
static void authority_names(const struct pdv_decl *d, struct pdv_courier *c)
{
	const struct pdv_authority *a = &d->controller.authority;
	const struct pdv_authority_info *b =
	    a->present && a->id.s ? pdv_authority_builtin(a->id.s) : NULL;

	if (b) {
		snprintf(c->authority[0], sizeof(c->authority[0]), "%s", b->name_en);
		snprintf(c->authority[1], sizeof(c->authority[1]), "%s", b->name_fr);
		snprintf(c->authority_link, sizeof(c->authority_link), "%s",
		         str_or(b->complaint_url, str_or(b->url, "")));
	} else if (a->present) {
		snprintf(c->authority[0], sizeof(c->authority[0]), "%s",
		         str_or(pdv_text_get(&a->name, "en"), ""));
		snprintf(c->authority[1], sizeof(c->authority[1]), "%s",
		         str_or(pdv_text_get(&a->name, "fr"), c->authority[0]));
		snprintf(c->authority_link, sizeof(c->authority_link), "%s", str_or(a->url.s, ""));
	}
	if (!c->authority[0][0]) { /* none declared: the one of the controller's country */
		snprintf(c->authority[0], sizeof(c->authority[0]), "the supervisory authority");
		snprintf(c->authority[1], sizeof(c->authority[1]), "l'autorité de contrôle");
	}
	if (!c->authority_link[0])
		snprintf(c->authority_link, sizeof(c->authority_link), "%s",
		         "https://edpb.europa.eu/about-edpb/about-edpb/members_en");
}

/* the longest one send may take: what a lease must outlast */
static double send_max_s(const struct pdv_courier *c, bool smtp)
{
	double hook = (c->cfg.webhook_timeout_ms > 0 ? c->cfg.webhook_timeout_ms : 30000) / 1e3,
	       mail = (c->cfg.smtp_timeout_ms > 0 ? c->cfg.smtp_timeout_ms : 60000) / 1e3;

	return smtp && mail > hook ? mail : hook;
}

int pdv_courier_open(const struct pdv_decl *d, const struct pdv_courier_config *cfg,
                     struct pdv_courier **ret, struct pdv_error *err)
{
	static unsigned opened;
	struct pdv_webhook_config wc = {.timeout_ms = cfg->webhook_timeout_ms};
	struct pdv_courier *c;
	const char *at;
	char host[64] = "";
	int rc;

	*ret = NULL;
	if (!(c = calloc(1, sizeof(*c))))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	c->cfg = *cfg;
	snprintf(c->controller, sizeof(c->controller), "%s", str_or(d->controller.name.s, ""));
	snprintf(c->dpo_contact, sizeof(c->dpo_contact), "%s",
	         str_or(d->controller.dpo.email.s, str_or(d->controller.email.s, "")));
	snprintf(c->dpo_name, sizeof(c->dpo_name), "%s",
	         str_or(d->controller.dpo.name.s, str_or(d->controller.name.s, "")));
	snprintf(c->mail_from, sizeof(c->mail_from), "%s",
	         str_or(cfg->mail_from, str_or(d->controller.email.s, "")));
	if (cfg->smtp_url && !*c->mail_from) {
		rc = pdv_error_set(
		    err, PDV_E_INVAL,
		    "--mail-from is needed: the declaration gives no controller email");
		pdv_error_field(err, "mail-from");
		goto fail;
	}
	if (cfg->lease > 0 && cfg->lease <= send_max_s(c, cfg->smtp_url != NULL)) {
		/* a lease shorter than a send: another worker would claim the
		 * message while it is being sent */
		rc = pdv_error_set(err, PDV_E_INVAL,
		                   "--delivery-lease must be longer than a send may take (%.0f s)",
		                   send_max_s(c, cfg->smtp_url != NULL));
		pdv_error_field(err, "delivery-lease");
		goto fail;
	}
	authority_names(d, c);
	at = strchr(c->mail_from, '@');
	snprintf(c->domain, sizeof(c->domain), "%s", at ? at + 1 : "pdvault.invalid");
	gethostname(host, sizeof(host) - 1);
	snprintf(c->owner, sizeof(c->owner), "%.32s/%ld/%lld/%u", host, (long)getpid(),
	         (long long)now(), opened++);
	if ((rc = pdv_templates_load(cfg->templates_dir, &c->templates, err)) < 0 ||
	    (rc = pdv_webhook_open(&wc, &c->hook, err)) < 0)
		goto fail;
	if (cfg->smtp_url) {
		/* checked now (URL, loopback rule, auth file), opened per drain */
		struct pdv_smtp_config sc = {.url = cfg->smtp_url,
		                             .ca_file = cfg->smtp_ca,
		                             .auth_file = cfg->smtp_auth_file,
		                             .mail_from = c->mail_from};
		struct pdv_smtp *probe;

		if ((rc = pdv_smtp_open(&sc, &probe, err)) < 0)
			goto fail;
		pdv_smtp_free(probe);
	}
	*ret = c;
	return 0;
fail:
	pdv_courier_free(c);
	return rc;
}

void pdv_courier_free(struct pdv_courier *c)
{
	if (!c)
		return;
	pdv_templates_free(c->templates);
	pdv_webhook_free(c->hook);
	free(c);
}

bool pdv_courier_has_relay(const struct pdv_courier *c)
{
	return c->cfg.smtp_url != NULL;
}

bool pdv_courier_relay_up(struct pdv_courier *c)
{
	return c->cfg.smtp_url && atomic_load(&c->relay) == RELAY_UP;
}

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int smtp_session(struct pdv_courier *c, struct pdv_smtp **ret, struct pdv_error *err)
{
	struct pdv_smtp_config sc = {.url = c->cfg.smtp_url,
	                             .ca_file = c->cfg.smtp_ca,
	                             .auth_file = c->cfg.smtp_auth_file,
	                             .mail_from = c->mail_from,
	                             .timeout_ms = c->cfg.smtp_timeout_ms};

	return pdv_smtp_open(&sc, ret, err);
}

bool pdv_courier_probe(struct pdv_courier *c)
{
	struct pdv_smtp *smtp;
	struct pdv_error err;
	bool up;

	pdv_error_clear(&err);
	if (!c->cfg.smtp_url || smtp_session(c, &smtp, &err) < 0)
		return false;
	up = pdv_smtp_probe(smtp);
	pdv_smtp_free(smtp);
	c->probed = mono_s();
	atomic_store(&c->relay, up ? RELAY_UP : RELAY_DOWN);
	return up;
}

/* the outcome's code: "smtp-451", "http-500", or why there was none */
static void outcome_code(const struct pdv_delivery_result *r, bool email, char out[24])
{
	if (r->code)
		snprintf(out, 24, "%s-%d", email ? "smtp" : "http", r->code);
	else if (strstr(r->detail, "imeout") || strstr(r->detail, "timed out"))
		snprintf(out, 24, "timeout");
	else
		snprintf(out, 24, "connect");
}

static void day_of(pdv_time_t t, char out[11])
{
	char full[21];

	pdv_time_format(t, full);
	memcpy(out, full, 10);
	out[10] = '\0';
}

struct drain {
	struct pdv_courier *c;
	struct pdv_smtp *smtp;
	bool came_back; /* the relay answered after a try that could not reach it */
};

/* the relay answered (a send, a probe) or could not be reached */
static void relay_seen(struct drain *d, bool up)
{
	if (!up) {
		atomic_store(&d->c->relay, RELAY_DOWN);
		d->c->probed = mono_s();
	} else if (atomic_exchange(&d->c->relay, RELAY_UP) == RELAY_DOWN) {
		d->came_back = true;
	}
}

/* an Art. 19 action in the message's language (the webhook keeps the code) */
static const char *action_words(const char *action, const char *lang)
{
	static const struct {
		const char *code, *fr;
	} words[] = {
	    {"rectification", "rectification"},
	    {"erasure", "effacement"},
	    {"restriction", "limitation"},
	};

	for (size_t i = 0; strcmp(lang, "fr") == 0 && i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(words[i].code, action) == 0)
			return words[i].fr;
	return action;
}

/* a request's kind in the message's language */
static const char *request_words(const char *kind, const char *lang)
{
	static const struct {
		const char *code, *en, *fr;
	} words[] = {
	    {"access", "access to your data", "accès à vos données"},
	    {"rectification", "rectification", "rectification"},
	    {"erasure", "erasure", "effacement"},
	    {"restriction", "restriction of processing", "limitation du traitement"},
	    {"objection", "objection", "opposition"},
	    {"portability", "data portability", "portabilité"},
	    {"withdraw-consent", "withdrawal of consent", "retrait du consentement"},
	    {"post-mortem", "post-mortem directives", "directives post mortem"},
	    {"human-review", "human review", "intervention humaine"},
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(words[i].code, kind) == 0)
			return strcmp(lang, "fr") == 0 ? words[i].fr : words[i].en;
	return kind;
}

#define DIGEST_TEXT_MAX (256 * 1024)

/* the digest's lines ("REFERENCE KIND DUE DAYS_LEFT", reminders.c) as the
 * two lists of its template, in the message's language; "none" for an empty
 * one. 0, or PDV_E_NOMEM */
static int digest_lists(const struct pdv_outbound *m, struct pdv_buf *soon, struct pdv_buf *late)
{
	bool fr = strcmp(m->lang, "fr") == 0;
	const char *p = m->digest ? m->digest : "";

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[160], ref[40], kind[40], due[16];
		int days;

		snprintf(line, sizeof(line), "%.*s", (int)(len < sizeof(line) ? len : 0), p);
		p += len + (nl ? 1 : 0);
		if (sscanf(line, "%39s %39s %15s %d", ref, kind, due, &days) != 4)
			continue;
		if (days >= 0 &&
		    pdv_buf_printf(soon,
		                   fr ? "- %s, %s, échéance le %s (J-%d)\n"
		                      : "- %s, %s, due %s (%d day%s left)\n",
		                   ref, kind, due, days, fr || days == 1 ? "" : "s") < 0)
			return PDV_E_NOMEM;
		if (days < 0 &&
		    pdv_buf_printf(late,
		                   fr ? "- %s, %s, échéance le %s (%d j de retard)\n"
		                      : "- %s, %s, due %s (%d day%s late)\n",
		                   ref, kind, due, -days, fr || days == -1 ? "" : "s") < 0)
			return PDV_E_NOMEM;
	}
	if ((!soon->len && pdv_buf_printf(soon, "%s", fr ? "aucune" : "none") < 0) ||
	    (!late->len && pdv_buf_printf(late, "%s", fr ? "aucune" : "none") < 0))
		return PDV_E_NOMEM;
	return 0;
}

/* write and send one email message */
static int send_email(struct drain *d, const struct pdv_outbound *m,
                      struct pdv_delivery_result *res, struct pdv_error *err)
{
	struct pdv_courier *c = d->c;
	struct pdv_template_value vals[12];
	enum pdv_template_kind kind;
	struct pdv_rendered r;
	struct pdv_buf msg;
	char link[768] = "", unsub[512] = "", deadline[11] = "", mid[256], minutes[16];
	char recorded[21], due_at[21], hours[24], keys[512], fname[64] = "";
	struct pdv_buf soon, late;
	size_t n = 0;
	int rc;

	pdv_buf_init(&soon, DIGEST_TEXT_MAX);
	pdv_buf_init(&late, DIGEST_TEXT_MAX);
	pdv_buf_init(&msg, PDV_MAIL_MAX);
	pdv_buf_set_secret(&msg);
	memset(&r, 0, sizeof(r));

	vals[n++] = (struct pdv_template_value){"controller", c->controller};
	vals[n++] = (struct pdv_template_value){"dpo_contact", c->dpo_contact};
	if (c->cfg.public_url)
		snprintf(link, sizeof(link), "%s/", c->cfg.public_url);
	if (c->cfg.public_url && m->unsubscribe[0])
		snprintf(unsub, sizeof(unsub), "%s/v1/unsubscribe?t=%s", c->cfg.public_url,
		         m->unsubscribe);
	snprintf(minutes, sizeof(minutes), "%d", PDV_VERIFY_TTL / 60);
	if (strcmp(m->kind, "verification") == 0) {
		kind = PDV_TPL_VERIFICATION;
		vals[n++] = (struct pdv_template_value){"code", m->code};
		vals[n++] = (struct pdv_template_value){"minutes", minutes};
	} else if (strcmp(m->kind, "confirmation") == 0) {
		kind = PDV_TPL_CONFIRMATION;
		/* the one-button page: its GET changes nothing, its POST confirms */
		if (c->cfg.public_url)
			snprintf(link, sizeof(link), "%s/v1/confirm?c=%s&k=%s", c->cfg.public_url,
			         m->check, m->code);
		vals[n++] = (struct pdv_template_value){"code", m->code};
		vals[n++] = (struct pdv_template_value){"link", link};
		vals[n++] = (struct pdv_template_value){"minutes", minutes};
		vals[n++] = (struct pdv_template_value){"purpose", c->controller};
	} else if (strcmp(m->kind, "acknowledgement") == 0 || strcmp(m->kind, "extension") == 0 ||
	           strcmp(m->kind, "refusal") == 0 || strcmp(m->kind, "nothing-held") == 0) {
		bool fr = strcmp(m->lang, "fr") == 0;

		kind = m->kind[0] == 'a'   ? PDV_TPL_ACKNOWLEDGEMENT
		       : m->kind[0] == 'e' ? PDV_TPL_EXTENSION
		       : m->kind[0] == 'n' ? PDV_TPL_NOTHING_HELD
		                           : PDV_TPL_REFUSAL;
		if (c->cfg.public_url)
			snprintf(link, sizeof(link), "%s/privacy/#status", c->cfg.public_url);
		vals[n++] = (struct pdv_template_value){"reference", m->reference};
		vals[n++] =
		    (struct pdv_template_value){"request", request_words(m->request_kind, m->lang)};
		vals[n++] = (struct pdv_template_value){"received", m->received};
		vals[n++] = (struct pdv_template_value){"due", m->due};
		vals[n++] = (struct pdv_template_value){"status_link", link};
		vals[n++] = (struct pdv_template_value){"reasons", m->reasons ? m->reasons : ""};
		vals[n++] = (struct pdv_template_value){"authority", c->authority[fr ? 1 : 0]};
		vals[n++] = (struct pdv_template_value){"authority_link", c->authority_link};
	} else if (strcmp(m->kind, "erasure-answer") == 0) {
		/* Art. 17 done: the deletion certificate attached (it holds no
		 * personal value, unlike an export, which only a link gives) */
		kind = PDV_TPL_ERASURE_ANSWER;
		if (c->cfg.public_url)
			snprintf(link, sizeof(link), "%s/privacy/#status", c->cfg.public_url);
		snprintf(keys, sizeof(keys), "%s/.well-known/pdvault-keys.json",
		         c->cfg.public_url ? c->cfg.public_url : "");
		snprintf(fname, sizeof(fname), "deletion-certificate-%s.json", m->reference);
		vals[n++] = (struct pdv_template_value){"reference", m->reference};
		vals[n++] =
		    (struct pdv_template_value){"request", request_words(m->request_kind, m->lang)};
		vals[n++] = (struct pdv_template_value){"received", m->received};
		vals[n++] = (struct pdv_template_value){"status_link", link};
		vals[n++] = (struct pdv_template_value){"keys_link", keys};
	} else if (strcmp(m->kind, "access-answer") == 0) {
		kind = PDV_TPL_ACCESS_ANSWER;
		/* the privacy center's page for the link: it asks for a code */
		snprintf(link, sizeof(link), "%s/privacy/#download=%s",
		         c->cfg.public_url ? c->cfg.public_url : "", m->token);
		day_of(m->expires, deadline);
		vals[n++] = (struct pdv_template_value){"reference", m->reference};
		vals[n++] = (struct pdv_template_value){"link", link};
		vals[n++] = (struct pdv_template_value){"expires", deadline};
	} else if (strcmp(m->kind, "dpo-digest") == 0) {
		kind = PDV_TPL_DPO_DIGEST;
		if ((rc = digest_lists(m, &soon, &late)) < 0) {
			rc = pdv_error_set(err, rc, "out of memory");
			goto out;
		}
		if (c->cfg.public_url)
			snprintf(link, sizeof(link), "%s/staff/", c->cfg.public_url);
		vals[n++] =
		    (struct pdv_template_value){"due_soon", soon.len ? (char *)soon.data : ""};
		vals[n++] =
		    (struct pdv_template_value){"overdue", late.len ? (char *)late.data : ""};
		vals[n++] = (struct pdv_template_value){"link", link};
	} else if (strcmp(m->kind, "dpo-breach-alert") == 0) {
		pdv_time_t left = m->authority_due - now();

		kind = PDV_TPL_DPO_BREACH_ALERT;
		pdv_time_format(m->aware_at, recorded);
		pdv_time_format(m->authority_due, due_at);
		snprintf(hours, sizeof(hours), "%lld",
		         (long long)(left > 0 ? (left + 3599) / 3600 : 0));
		if (c->cfg.public_url)
			snprintf(link, sizeof(link), "%s/staff/#breaches", c->cfg.public_url);
		vals[n++] = (struct pdv_template_value){"breach", m->breach};
		vals[n++] = (struct pdv_template_value){"recorded", recorded};
		vals[n++] = (struct pdv_template_value){"deadline", due_at};
		vals[n++] = (struct pdv_template_value){"hours_left", hours};
		vals[n++] = (struct pdv_template_value){"link", link};
	} else if (strcmp(m->kind, "staff-invitation") == 0) {
		kind = PDV_TPL_STAFF_INVITATION;
		/* the back office's enrolment screen: the token in the fragment,
		 * which no server or proxy log sees */
		snprintf(link, sizeof(link), "%s/staff/#enrol=%s",
		         c->cfg.public_url ? c->cfg.public_url : "", m->token);
		day_of(m->expires, deadline);
		vals[n++] = (struct pdv_template_value){"name", m->staff_name};
		vals[n++] = (struct pdv_template_value){"role", m->staff_role};
		vals[n++] = (struct pdv_template_value){"link", link};
		vals[n++] = (struct pdv_template_value){"expires", deadline};
	} else if (strcmp(m->kind, "renewal") == 0) {
		kind = PDV_TPL_RENEWAL;
		/* the one-button page: its GET changes nothing, its POST renews */
		if (c->cfg.public_url && m->token[0])
			snprintf(link, sizeof(link), "%s/v1/renew?t=%s", c->cfg.public_url,
			         m->token);
		if (m->deadline)
			day_of(m->deadline, deadline);
		vals[n++] = (struct pdv_template_value){"purpose", m->purpose};
		vals[n++] = (struct pdv_template_value){"link", link};
		vals[n++] = (struct pdv_template_value){"deadline", deadline};
	} else if (strcmp(m->kind, "breach-notice") == 0) {
		/* Art. 34(2): the nature, the DPO's name and details, the likely
		 * consequences, the measures */
		kind = PDV_TPL_BREACH_NOTICE;
		vals[n++] = (struct pdv_template_value){"nature", m->nature ? m->nature : ""};
		vals[n++] = (struct pdv_template_value){"consequences",
		                                        m->consequences ? m->consequences : ""};
		vals[n++] = (struct pdv_template_value){"measures", m->measures ? m->measures : ""};
		vals[n++] = (struct pdv_template_value){"dpo_name", c->dpo_name};
	} else {
		kind = PDV_TPL_RECIPIENT_NOTICE;
		vals[n++] = (struct pdv_template_value){"recipient", m->recipient};
		vals[n++] = (struct pdv_template_value){"action", action_words(m->kind, m->lang)};
		vals[n++] = (struct pdv_template_value){"record", m->record};
		vals[n++] = (struct pdv_template_value){"activity", m->activity};
		vals[n++] = (struct pdv_template_value){"message_id", m->message_id};
	}
	if ((rc = pdv_templates_render(c->templates, kind, m->lang, vals, n, &r, err)) == 0) {
		struct pdv_mail mail = {
		    .message_id = mid,
		    .date = 0,
		    .from = c->mail_from,
		    .from_name = c->controller[0] ? c->controller : NULL,
		    .to = m->to,
		    .subject = (const char *)r.subject.data,
		    .text = (const char *)r.text.data,
		    .html = r.html.len ? (const char *)r.html.data : NULL,
		    .list_unsubscribe = unsub[0] ? unsub : NULL,
		    .attachment = fname[0] ? m->attachment : NULL,
		    .attachment_len = m->attachment_len,
		    .attachment_name = fname,
		    .attachment_type = "application/json",
		};

		snprintf(mid, sizeof(mid), "%s@%s", m->message_id, c->domain);
		mail.date = now();
		if ((rc = pdv_mail_build(&mail, &msg, err)) == 0)
			rc = pdv_smtp_send(d->smtp, m->to, (const char *)msg.data, msg.len, res,
			                   err);
	}
out:
	pdv_rendered_release(&r);
	pdv_buf_release(&msg);
	pdv_buf_release(&soon);
	pdv_buf_release(&late);
	pdv_wipe(link, sizeof(link)); /* a confirmation's holds its code */
	return rc;
}

static int send_webhook(struct drain *d, const struct pdv_outbound *m,
                        struct pdv_delivery_result *res, struct pdv_error *err)
{
	struct pdv_buf body;
	int rc;

	pdv_buf_init(&body, PDV_WEBHOOK_BODY_MAX);
	if ((rc = pdv_webhook_body(m->message_id, m->kind, m->record, m->activity, m->created_at,
	                           &body, err)) == 0)
		rc = pdv_webhook_post(d->c->hook, m->to, m->message_id, (const char *)m->secret,
		                      m->secret_len, now(), (const char *)body.data, body.len, res,
		                      err);
	pdv_buf_release(&body);
	return rc;
}

/* send one message; its outcome in *o (recorded with the batch's) */
static void deliver_one(struct drain *d, const struct pdv_outbound *m, struct pdv_outcome *o,
                        struct pdv_courier_counts *counts)
{
	struct pdv_courier *c = d->c;
	struct pdv_delivery_result res = {0};
	struct pdv_error merr;
	bool email = m->channel == PDV_OUTBOUND_EMAIL;
	int rc;

	memset(o, 0, sizeof(*o));
	o->id = m->id;
	o->attempts = m->attempts;
	pdv_error_clear(&merr);
	if (m->channel == PDV_OUTBOUND_NONE) {
		counts->failed++;
		o->what = PDV_OUTCOME_PERMANENT;
		snprintf(o->code, sizeof(o->code), "%s", m->why_not);
		return;
	}
	if (email && !d->smtp) {
		/* an Art. 19 notice by email with no relay: wait for one */
		counts->retried++;
		o->what = PDV_OUTCOME_TEMPORARY;
		snprintf(o->code, sizeof(o->code), "no-relay");
		return;
	}
	rc = email ? send_email(d, m, &res, &merr) : send_webhook(d, m, &res, &merr);
	if (rc < 0) {
		/* the message could not be written (a template, an address): permanent */
		counts->failed++;
		o->what = PDV_OUTCOME_PERMANENT;
		snprintf(o->code, sizeof(o->code), "%s", email ? "render" : "bad-request");
		return;
	}
	if (res.status == PDV_DELIVERY_SENT) {
		if (email)
			relay_seen(d, true);
		counts->sent++;
		o->what = PDV_OUTCOME_SENT;
		return;
	}
	if (email)
		relay_seen(d, res.code != 0);
	outcome_code(&res, email, o->code);
	o->what =
	    res.status == PDV_DELIVERY_PERMANENT ? PDV_OUTCOME_PERMANENT : PDV_OUTCOME_TEMPORARY;
	if (o->what == PDV_OUTCOME_PERMANENT ||
	    m->attempts >= (c->cfg.retry.tries > 0 ? c->cfg.retry.tries : 8))
		counts->failed++;
	else
		counts->retried++;
}

/* record the outcomes kept so far, in one transaction, at the time they end */
static int flush(struct pdv_courier *c, struct pdv_session *s, struct pdv_outcome *o, size_t *n,
                 struct pdv_error *err)
{
	int rc = 0;

	if (*n) {
		pdv_session_set_now(s, now());
		rc = pdv_outbox_record_batch(s, c->owner, o, *n, &c->cfg.retry, NULL, err);
	}
	*n = 0;
	return rc;
}

int pdv_courier_drain(struct pdv_courier *c, struct pdv_session *s, volatile sig_atomic_t *stop,
                      struct pdv_courier_counts *counts, struct pdv_error *err)
{
	struct drain d = {.c = c};
	struct pdv_outbound *m;
	struct pdv_outcome *out;
	struct pdv_durable_mark none = {0};
	int lease = c->cfg.lease > 0 ? c->cfg.lease : 300;
	int rc = 0, reminded = 0;
	struct pdv_error rerr;
	pdv_time_t t0 = now();

	/* the DPO's reminders: at most once a minute of the clock (a cron run,
	 * a new process, runs them at once); a failure there is reported after
	 * the drain, which it does not hold up */
	pdv_error_clear(&rerr);
	if (!c->reminded || t0 - c->reminded_at >= 60 || t0 < c->reminded_at) {
		long queued = 0;

		pdv_session_set_now(s, t0);
		reminded = pdv_dpo_reminders(s, c->cfg.digest_hour, &queued, &rerr);
		c->reminded = true;
		c->reminded_at = t0;
	}

	m = calloc(PDV_COURIER_BATCH, sizeof(*m));
	out = calloc(PDV_COURIER_BATCH, sizeof(*out));
	if (!m || !out) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	if (c->cfg.smtp_url && (rc = smtp_session(c, &d.smtp, err)) < 0)
		goto out;
	if (d.smtp && atomic_load(&c->relay) == RELAY_DOWN && mono_s() - c->probed >= PROBE_EVERY)
		relay_seen(&d, pdv_smtp_probe(d.smtp)); /* down at the last try */
	while (!(stop && *stop)) {
		size_t n = 0, kept = 0;

		if (d.came_back) {
			/* what waited for the relay goes now, not at the end of a
			 * backoff that grew while it was down */
			int64_t due;

			d.came_back = false;
			pdv_session_set_now(s, now());
			if ((rc = pdv_outbox_relay_back(s, &due, err)) < 0)
				break;
		}
		double claimed, flushed, longest = send_max_s(c, d.smtp != NULL);

		pdv_session_set_now(s, now());
		rc = pdv_outbox_claim_batch(s, c->owner, lease, d.smtp != NULL, m,
		                            PDV_COURIER_BATCH, &n, err);
		if (rc < 0 || n == 0)
			break;
		claimed = flushed = mono_s();
		for (size_t i = 0; i < n; i++) {
			double t = mono_s();

			if ((stop && *stop) || t - claimed + longest >= lease) {
				/* stopping, or a send that could outlive the lease: the
				 * message goes back as it was, for the next claim */
				out[kept] = (struct pdv_outcome){.id = m[i].id,
				                                 .attempts = m[i].attempts,
				                                 .what = PDV_OUTCOME_UNTRIED};
			} else {
				deliver_one(&d, &m[i], &out[kept], counts);
			}
			kept++;
			pdv_outbound_release(&m[i]);
			/* outcomes of slow sends are not held back: at most a second's */
			if (mono_s() - flushed >= 1.0 && i + 1 < n) {
				if ((rc = flush(c, s, out, &kept, err)) < 0)
					break;
				flushed = mono_s();
			}
		}
		for (size_t i = 0; i < n; i++) /* what a failed flush left */
			pdv_outbound_release(&m[i]);
		if (rc < 0 || (rc = flush(c, s, out, &kept, err)) < 0)
			break;
	}
	/* the claims and outcomes were committed without waiting for the disk
	 * (pdv_session_defer_sync, the server's delivery thread): on disk now,
	 * outside any transaction; in the normal mode, already there */
	if (rc == 0)
		rc = pdv_session_make_durable(s, &none, err);
out:
	free(m);
	free(out);
	pdv_smtp_free(d.smtp);
	if (rc >= 0 && reminded < 0) {
		if (err)
			*err = rerr;
		return reminded;
	}
	return rc < 0 ? rc : 0;
}
