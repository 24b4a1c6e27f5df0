/*
 * handlers.h — the route handlers that router.c's table names, one file per
 * resource, and the few helpers one resource lends another.
 *
 * Every handler is a srv_handler: h_* run on the worker inside the group's
 * transaction (each job its own savepoint); d_* are the direct routes, run
 * on a connection thread, which read only the declaration and never the
 * vault. A handler leaves its whole answer in j (status, body, type) and
 * never logs.
 *
 * Private to src/http/.
 */
#ifndef PDV_HTTP_HANDLERS_H
#define PDV_HTTP_HANDLERS_H

#include <stdbool.h>

#include <jansson.h>

#include "pdv/vault.h"
#include "server.h"

/* public.c: the public forms, and the direct routes */
void h_submit(struct srv *s, struct job *j);
void p_submit(struct srv *s, struct job *j);
void d_healthz(struct srv *s, struct job *j);
void d_notice(struct srv *s, struct job *j);
void d_activities(struct srv *s, struct job *j);
void d_openapi(struct srv *s, struct job *j);
/* logo.c: controller.logo, read at start */
void d_logo(struct srv *s, struct job *j);
/* calendar.c: the due dates as an iCalendar feed (a calendar token) */
void h_calendar(struct srv *s, struct job *j);
/* the answer to a collection (rc, out and err from pdv_collect or
 * pdv_optin_collect): a suppressed person gets the same 201 as anyone */
void collected(struct srv *s, struct job *j, const char *activity, int rc,
               const struct pdv_collect_out *out, const struct pdv_error *err);

/* session.c: sign-in, sessions, enrolment, and the API tokens page */
void h_session_create(struct srv *s, struct job *j);
void h_session_delete(struct srv *s, struct job *j);
void h_session_revoke_all(struct srv *s, struct job *j);
void h_enrol_start(struct srv *s, struct job *j);
void h_enrol_finish(struct srv *s, struct job *j);
void h_tokens(struct srv *s, struct job *j);
void h_token_create(struct srv *s, struct job *j);
void h_token_revoke(struct srv *s, struct job *j);

/* subjects.c: a person, for the staff */
void h_find(struct srv *s, struct job *j);
void h_subject(struct srv *s, struct job *j);
void h_event(struct srv *s, struct job *j);
void h_export(struct srv *s, struct job *j);
void h_erase(struct srv *s, struct job *j);
void h_restrict(struct srv *s, struct job *j);
void h_object(struct srv *s, struct job *j);
void h_rectify(struct srv *s, struct job *j);
/* holds.c: a person's legal holds (the dpo's) */
void h_holds(struct srv *s, struct job *j);
void h_hold_place(struct srv *s, struct job *j);
void h_hold_lift(struct srv *s, struct job *j);
/* the export of subject as the answer, an attachment called name.<ext> */
void export_into(struct srv *s, struct job *j, const char *subject, const char *name,
                 const char *format, bool portable, const char *lang);

/* requests.c: rights requests, their public intake, and /v1/verify */
void h_requests(struct srv *s, struct job *j);
void h_request_get(struct srv *s, struct job *j);
void h_request_intake(struct srv *s, struct job *j);
void h_verify(struct srv *s, struct job *j);
void h_confirm(struct srv *s, struct job *j);
void h_renew(struct srv *s, struct job *j);
void h_status(struct srv *s, struct job *j);
void h_download(struct srv *s, struct job *j);
void h_request_extend(struct srv *s, struct job *j);
void h_request_close(struct srv *s, struct job *j);
void h_request_note(struct srv *s, struct job *j);
void h_request_preview(struct srv *s, struct job *j);
void h_request_certificate(struct srv *s, struct job *j);
void h_signing_keys(struct srv *s, struct job *j);
void h_request_export(struct srv *s, struct job *j);
/* a request as the API shows it (a new reference) */
json_t *request_json(struct srv *s, const struct pdv_request_info *r);
/* pdv_request_list's callback: each request appended to arr */
struct list_ctx {
	struct srv *s;
	json_t *arr;
};
int list_one(void *ctx, const struct pdv_request_info *r);

/* outbox.c: the outbox for the DPO, and a request's Art. 19 notices (a new
 * array, NULL with err set on a failure) */
void h_outbox(struct srv *s, struct job *j);
void h_outbox_retry(struct srv *s, struct job *j);
json_t *request_notices_json(struct srv *s, const char *request, const char *lang,
                             struct pdv_error *err);

/* breaches.c: the breach register (dpo) */
void h_breaches(struct srv *s, struct job *j);
void h_breach_get(struct srv *s, struct job *j);
void h_breach_open(struct srv *s, struct job *j);
void h_breach_notify(struct srv *s, struct job *j);
void h_breach_describe(struct srv *s, struct job *j);
void h_breach_assess(struct srv *s, struct job *j);

/* consents.c: consents by session, unsubscribe links */
void h_consents(struct srv *s, struct job *j);
void h_withdraw(struct srv *s, struct job *j);
void h_link(struct srv *s, struct job *j);
void h_unsubscribe(struct srv *s, struct job *j);

/* cookies.c: the consent adapter, receipts posted, a receipt shown
 * (format jsonld or html: query[0]) */
void d_cookie_adapter(struct srv *s, struct job *j);
void h_cookie_receipt_post(struct srv *s, struct job *j);
void h_cookie_receipts_mine(struct srv *s, struct job *j);
void h_cookie_receipt_get(struct srv *s, struct job *j);

/* staff.c: identity, dashboard, register, metrics */
void h_register(struct srv *s, struct job *j);
void h_me(struct srv *s, struct job *j);
void h_lint(struct srv *s, struct job *j);
void h_dossier(struct srv *s, struct job *j);
void h_dashboard(struct srv *s, struct job *j);
void h_metrics(struct srv *s, struct job *j);

#endif
