/*
 * webhook.c — Art. 19 notices POSTed to a recipient's URL, signed.
 *
 * Owns: the payload (an opaque record id and an action, never a value), the
 * signature "t=TIMESTAMP,v1=HEX" (HMAC-SHA256 over "TIMESTAMP.BODY"), the
 * POST and the classification of its outcome. docs/webhooks.md is the
 * processor's side of the same.
 *
 * Invariants:
 *  - https://, or http:// to a loopback address only (then pinned to the
 *    addresses checked); certificate and host checks always on; no redirect
 *    followed; connect and total timeouts on every POST;
 *  - the response body is read and dropped, never kept or quoted;
 *  - the HMAC state is wiped (pdv_hmac_sha256); results carry the HTTP status
 *    and libcurl's generic text only.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "delivery-internal.h"
#include "pdv/crypto.h"

struct pdv_webhook {
	CURL *curl;
	long connect_timeout_ms, timeout_ms;
	char *ca_file;
};

void pdv_webhook_free(struct pdv_webhook *w)
{
	if (!w)
		return;
	if (w->curl)
		curl_easy_cleanup(w->curl);
	free(w->ca_file);
	free(w);
}

int pdv_webhook_open(const struct pdv_webhook_config *cfg, struct pdv_webhook **ret_hook,
                     struct pdv_error *err)
{
	struct pdv_webhook *w;
	int rc;

	if ((rc = dlv_curl_init(err)) < 0 || (rc = pdv_crypto_init(err)) < 0)
		return rc;
	if (!(w = calloc(1, sizeof(*w))) || !(w->curl = curl_easy_init()) ||
	    (cfg->ca_file && !(w->ca_file = strdup(cfg->ca_file)))) {
		pdv_webhook_free(w);
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	}
	w->connect_timeout_ms = cfg->connect_timeout_ms > 0 ? cfg->connect_timeout_ms : 10000;
	w->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : 30000;
	*ret_hook = w;
	return 0;
}

static bool token_valid(const char *s, size_t max)
{
	size_t n = 0;

	for (; s && s[n]; n++)
		if ((unsigned char)s[n] <= 0x20 || (unsigned char)s[n] >= 0x7f || s[n] == '"' ||
		    s[n] == '\\')
			return false;
	return s && n > 0 && n <= max;
}

int pdv_webhook_body(const char *message_id, const char *action, const char *record,
                     const char *activity, pdv_time_t created, struct pdv_buf *out,
                     struct pdv_error *err)
{
	static const char *const actions[] = {"rectification", "erasure", "restriction"};
	const char *bad = NULL;
	char when[21];
	bool known = false;

	for (size_t i = 0; action && i < 3; i++)
		known |= strcmp(action, actions[i]) == 0;
	if (!token_valid(message_id, 200))
		bad = "message_id";
	else if (!known)
		bad = "action";
	else if (!token_valid(record, 200))
		bad = "record";
	else if (!token_valid(activity, 200))
		bad = "activity";
	if (bad) {
		pdv_error_field(err, bad);
		return pdv_error_set(err, PDV_E_INVAL, "%s: missing or not an id", bad);
	}
	pdv_time_format(created, when);
	if (pdv_buf_printf(out,
	                   "{\"id\":\"%s\",\"type\":\"%s\",\"record\":\"%s\",\"activity\":\"%s\","
	                   "\"created\":\"%s\"}",
	                   message_id, action, record, activity, when) < 0)
		return pdv_error_set(err, PDV_E_LIMIT, "the webhook body is larger than its limit");
	return 0;
}

int pdv_webhook_sign(const char *secret, size_t secret_len, pdv_time_t t, const char *body,
                     size_t len, char ret_sig[PDV_WEBHOOK_SIGNATURE_MAX], struct pdv_error *err)
{
	uint8_t mac[PDV_HMAC_SHA256_LEN];
	char ts[24];
	int tn;

	if (!secret || secret_len == 0)
		return pdv_error_set(err, PDV_E_INVAL, "webhook secret: missing");
	tn = snprintf(ts, sizeof(ts), "%" PRId64, (int64_t)t);
	const void *parts[3] = {ts, ".", body};
	size_t lens[3] = {(size_t)tn, 1, len};
	pdv_hmac_sha256(secret, secret_len, 3, parts, lens, mac);
	size_t at = (size_t)snprintf(ret_sig, PDV_WEBHOOK_SIGNATURE_MAX, "t=%s,v1=", ts);
	for (size_t i = 0; i < sizeof(mac); i++, at += 2)
		snprintf(ret_sig + at, PDV_WEBHOOK_SIGNATURE_MAX - at, "%02x", mac[i]);
	pdv_wipe(mac, sizeof(mac));
	return 0;
}

static size_t drop_cb(char *p, size_t size, size_t nmemb, void *ctx)
{
	(void)p;
	(void)ctx;
	return size * nmemb;
}

int pdv_webhook_post(struct pdv_webhook *w, const char *url, const char *message_id,
                     const char *secret, size_t secret_len, pdv_time_t now, const char *body,
                     size_t len, struct pdv_delivery_result *ret, struct pdv_error *err)
{
	static const char *const schemes[] = {"https", "http", NULL};
	struct curl_slist *headers = NULL, *resolve = NULL;
	char sig[PDV_WEBHOOK_SIGNATURE_MAX], line[300];
	struct dlv_target t;
	long code = 0;
	CURLcode cc = CURLE_OK;
	int rc;

	dlv_result(ret, PDV_DELIVERY_PERMANENT, 0, "not sent");
	if (!token_valid(message_id, 200)) {
		pdv_error_field(err, "message_id");
		return pdv_error_set(err, PDV_E_INVAL, "message_id: missing or not an id");
	}
	if (len > PDV_WEBHOOK_BODY_MAX)
		return pdv_error_set(err, PDV_E_LIMIT, "the webhook body is larger than its limit");
	if ((rc = dlv_target_parse(url, schemes, "webhook", &t, err)) < 0)
		return rc;
	if (strcmp(t.scheme, "http") == 0 && !t.loopback) {
		pdv_error_field(err, "webhook");
		return pdv_error_set(err, PDV_E_INVAL,
		                     "webhook: http:// only to a loopback address; use https://");
	}
	if ((rc = pdv_webhook_sign(secret, secret_len, now, body, len, sig, err)) < 0)
		return rc;
	const char *lines[] = {"Content-Type: application/json", "Expect:", NULL, NULL};
	snprintf(line, sizeof(line), "Pdvault-Message-Id: %s", message_id);
	lines[2] = line;
	for (size_t i = 0; i < 3 && rc == 0; i++) {
		struct curl_slist *h = curl_slist_append(headers, lines[i]);

		if (!h)
			rc = PDV_E_NOMEM;
		else
			headers = h;
	}
	snprintf(line, sizeof(line), "Pdvault-Signature: %s", sig);
	struct curl_slist *h = rc == 0 ? curl_slist_append(headers, line) : NULL;
	if (!h || (t.resolve[0] && !(resolve = curl_slist_append(NULL, t.resolve)))) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	headers = h;
	CURL *c = w->curl;
	curl_easy_reset(c);
#define SET(opt, v) (cc = cc ? cc : curl_easy_setopt(c, opt, v))
	SET(CURLOPT_URL, url);
	SET(CURLOPT_PROTOCOLS_STR, "http,https");
	SET(CURLOPT_FOLLOWLOCATION, 0L);
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	if (w->ca_file)
		SET(CURLOPT_CAINFO, w->ca_file);
	if (resolve)
		SET(CURLOPT_RESOLVE, resolve);
	SET(CURLOPT_CONNECTTIMEOUT_MS, w->connect_timeout_ms);
	SET(CURLOPT_TIMEOUT_MS, w->timeout_ms);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_USERAGENT, "pdvault");
	SET(CURLOPT_HTTPHEADER, headers);
	SET(CURLOPT_POSTFIELDS, body);
	SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	SET(CURLOPT_WRITEFUNCTION, drop_cb);
#undef SET
	if (cc != CURLE_OK) {
		rc = pdv_error_set(err, PDV_E_INTERNAL, "libcurl: %s", curl_easy_strerror(cc));
		goto out;
	}
	cc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (cc != CURLE_OK)
		dlv_result(ret, PDV_DELIVERY_TEMPORARY, 0, "%s", curl_easy_strerror(cc));
	else if (code >= 200 && code <= 299)
		dlv_result(ret, PDV_DELIVERY_SENT, (int)code, "%s", "");
	else if (code == 429 || (code >= 500 && code <= 599))
		dlv_result(ret, PDV_DELIVERY_TEMPORARY, (int)code, "the receiver answered %ld",
		           code);
	else
		dlv_result(ret, PDV_DELIVERY_PERMANENT, (int)code, "the receiver answered %ld",
		           code);
out:
	/* the handle must not keep pointers to the lists freed here */
	curl_easy_setopt(w->curl, CURLOPT_HTTPHEADER, NULL);
	curl_easy_setopt(w->curl, CURLOPT_RESOLVE, NULL);
	curl_slist_free_all(headers);
	curl_slist_free_all(resolve);
	return rc;
}
