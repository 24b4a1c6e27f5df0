/*
 * pdv/courier.h — the delivery worker: claims what the outbox has due (the
 * engine's leases), writes each message from its template in the person's
 * language, sends it (SMTP, one connection reused for a drain; or a signed
 * webhook), and records the outcome. src/courier/ sits above the engine and
 * the delivery layer and uses both; the command line (`outbox deliver`) and
 * the server (a thread of its own) use it.
 *
 * Invariants:
 *  - a courier works through its own session (one thread); it shares nothing
 *    with the server's writer but the store's own lock;
 *  - no personal-data value in what it reports: counts, message ids, kinds
 *    and error codes ("smtp-451", "http-500", "timeout", "no-relay");
 *  - without a relay (no smtp URL), email messages stay queued: they are not
 *    claimed, tried or failed; webhooks go out all the same.
 */
#ifndef PDV_COURIER_H
#define PDV_COURIER_H

#include <signal.h>
#include <stdbool.h>

#include "pdv/vault.h"

struct pdv_courier_config {
	const char *smtp_url;       /* NULL: no relay */
	const char *smtp_auth_file; /* USER:PASSWORD, 0600 */
	const char *smtp_ca;
	const char *mail_from;     /* NULL: the controller's email */
	const char *templates_dir; /* NULL: the compiled-in templates */
	const char *public_url;    /* base of links (https://...), NULL: none */
	struct pdv_retry_policy retry;
	long webhook_timeout_ms; /* 0: 30 s */
	long smtp_timeout_ms;    /* 0: 60 s */
	int lease;               /* seconds a claim holds a message, 0: 300 */
	int digest_hour;         /* the hour (0-23, the controller's time) the DPO's daily
	                          * digest is due from (cli_courier_defaults: 8) */
};

/* messages claimed in one transaction, and their outcomes recorded in one */
#define PDV_COURIER_BATCH 32

struct pdv_courier_counts {
	long sent, retried, failed;
};

struct pdv_courier;

/* Check the configuration (the relay's URL and auth file, the templates).
 * PDV_E_INVAL naming the option, PDV_E_PARSE naming a template FILE:LINE. */
int pdv_courier_open(const struct pdv_decl *d, const struct pdv_courier_config *cfg,
                     struct pdv_courier **ret, struct pdv_error *err) PDV_WUR;
void pdv_courier_free(struct pdv_courier *c);
/* whether email can go out (a relay is configured) */
bool pdv_courier_has_relay(const struct pdv_courier *c);
/* Whether a message queued now goes out at once: a relay is configured and
 * answered at its last try (a send, or pdv_courier_probe); any thread. A
 * relay never tried yet counts as not answering. */
bool pdv_courier_relay_up(struct pdv_courier *c);
/* Try the relay now (a connection, no message), for pdv_courier_relay_up
 * before the first send; false without a relay. While it is down, each
 * drain tries it again every few seconds, and when it answers the email
 * messages waiting on it are due at once (pdv_outbox_relay_back). */
bool pdv_courier_probe(struct pdv_courier *c);

/*
 * Deliver every message due now through session s, until none is due or
 * *stop is set; counts added to *counts. Errors of a message are recorded on
 * it; a negative return is the store's (the drain stops). First, at most
 * once a minute of the clock, the DPO's reminders due are queued
 * (pdv_dpo_reminders: the daily digest, a breach's alerts), once each
 * whatever the number of workers.
 */
int pdv_courier_drain(struct pdv_courier *c, struct pdv_session *s, volatile sig_atomic_t *stop,
                      struct pdv_courier_counts *counts, struct pdv_error *err) PDV_WUR;

#endif
