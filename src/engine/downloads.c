/*
 * downloads.c — the answer to an access or portability request, given to the
 * person as a link (Art. 12(1), 15(3), 20): valid 7 days, used up by one
 * download, which asks again for a code sent to the request's address.
 *
 * Invariants:
 *  - the export is made when the request is closed and kept sealed (the
 *    statistics key, bound to the link's keyed hash); it is never attached
 *    to an email nor written in clear anywhere;
 *  - the link's token is 32 random bytes; the store finds it by its keyed
 *    hash (index key) and keeps the token itself only sealed, for the
 *    status page to show the link again while it is valid;
 *  - a download used, or past its 7 days, loses its export and its token
 *    (the use, or the purge run with the identity checks' by the sweep and
 *    the courier's server);
 *  - the outbox message that carries the link holds the request's id and
 *    the token, sealed; sent, it is NULLed like any payload.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine-internal.h"

#define TOKEN_BYTES 32

static void token_hash(const struct pdv_session *s, const char *token, uint8_t out[32])
{
	const void *parts[2] = {"pdv-download", token};
	size_t lens[2] = {12, strlen(token)};

	pdv_mac(s->vault->index_key, 2, parts, lens, out);
}

/* associated data binding a sealed blob to its download */
static size_t blob_ad(const char *what, const uint8_t hash[32], uint8_t out[64])
{
	size_t a = strlen(what) + 1;

	memcpy(out, what, a);
	memcpy(out + a, hash, 32);
	return a + 32;
}

int pdv_download_prepare(struct pdv_session *s, int64_t request_id, const char *canon,
                         const struct pdv_buf *doc, struct pdv_error *err)
{
	struct pdv_download_row row = {0};
	uint8_t raw[TOKEN_BYTES], hash[32], ad[64], *sealed_doc = NULL, *sealed_tok = NULL,
	                                            *payload = NULL;
	char token[PDV_DOWNLOAD_TOKEN_MAX], msg[PDV_ID_MAX + PDV_DOWNLOAD_TOKEN_MAX + 2];
	size_t tlen, mlen;
	int rc = PDV_E_NOMEM;

	pdv_random(raw, sizeof(raw));
	pdv_b64url_encode(raw, sizeof(raw), token, sizeof(token));
	pdv_wipe(raw, sizeof(raw));
	tlen = strlen(token);
	token_hash(s, token, hash);
	mlen = (size_t)snprintf(msg, sizeof(msg), "%s %s", canon, token);
	if (!(sealed_doc = malloc(doc->len + PDV_SEAL_OVERHEAD)) ||
	    !(sealed_tok = malloc(tlen + PDV_SEAL_OVERHEAD)) ||
	    !(payload = malloc(mlen + PDV_SEAL_OVERHEAD))) {
		pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	if ((rc = pdv_seal(s->vault->stats_key, ad, blob_ad("export", hash, ad), doc->data,
	                   doc->len, sealed_doc, err)) < 0 ||
	    (rc = pdv_seal(s->vault->stats_key, ad, blob_ad("token", hash, ad), token, tlen,
	                   sealed_tok, err)) < 0 ||
	    (rc = pdv_seal(s->vault->stats_key, ad, blob_ad("link", hash, ad), msg, mlen, payload,
	                   err)) < 0)
		goto out;
	row.request_id = request_id;
	row.token = sealed_tok;
	row.token_len = tlen + PDV_SEAL_OVERHEAD;
	row.export = sealed_doc;
	row.export_len = doc->len + PDV_SEAL_OVERHEAD;
	row.created_at = s->now;
	row.expires_at = s->now + PDV_DOWNLOAD_TTL;
	/* the link's message: the hash in clear before the sealed part, to
	 * find the associated data again */
	{
		uint8_t *out = malloc(32 + mlen + PDV_SEAL_OVERHEAD);

		if (!out) {
			rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
			goto out;
		}
		memcpy(out, hash, 32);
		memcpy(out + 32, payload, mlen + PDV_SEAL_OVERHEAD);
		rc = pdv_store_download_put(s->store, &row, hash, err);
		if (rc == 0)
			rc = pdv_store_outbox_insert(s->store, "access-answer", NULL, 0, 0, out,
			                             32 + mlen + PDV_SEAL_OVERHEAD, s->now, NULL,
			                             err);
		if (rc == 0) /* on the request's timeline */
			rc = pdv_store_outbox_link_last(s->store, request_id, err);
		free(out);
	}
out:
	pdv_wipe(token, sizeof(token));
	pdv_wipe(msg, sizeof(msg));
	free(sealed_doc);
	free(sealed_tok);
	free(payload);
	return rc;
}

int pdv_download_message_open(struct pdv_session *s, const struct pdv_outbox_row *row,
                              struct pdv_outbound *m, struct pdv_error *err)
{
	struct pdv_outbox_row req_row = *row;
	struct pdv_download_row d;
	uint8_t ad[64], hash[32];
	char *msg = NULL, *sp;
	size_t n;
	int rc;

	m->channel = PDV_OUTBOUND_NONE;
	snprintf(m->why_not, sizeof(m->why_not), "no-address");
	if (!row->payload || row->payload_len <= 32 + PDV_SEAL_OVERHEAD)
		return pdv_error_set(err, PDV_E_INVAL, "outbox message %lld is damaged",
		                     (long long)row->id);
	memcpy(hash, row->payload, 32);
	n = row->payload_len - 32 - PDV_SEAL_OVERHEAD;
	if (!(msg = pdv_secure_alloc(n + 1)))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if ((rc = pdv_open(s->vault->stats_key, ad, blob_ad("link", hash, ad), row->payload + 32,
	                   row->payload_len - 32, (uint8_t *)msg, err)) < 0)
		goto out;
	msg[n] = '\0';
	if (!(sp = strchr(msg, ' ')) || strlen(sp + 1) >= sizeof(m->token)) {
		rc = pdv_error_set(err, PDV_E_INVAL, "outbox message %lld is damaged",
		                   (long long)row->id);
		goto out;
	}
	*sp = '\0';
	rc = pdv_store_download_by_hash(s->store, hash, &d, err);
	if (rc == PDV_E_NOTFOUND || (rc == 0 && (d.used_at || d.expires_at <= s->now))) {
		pdv_error_clear(err);
		snprintf(m->why_not, sizeof(m->why_not), "expired");
		rc = 0;
		goto out;
	}
	if (rc < 0)
		goto out;
	m->expires = d.expires_at;
	/* the request's address, reference and language, as for its other
	 * messages */
	req_row.payload = (const uint8_t *)msg;
	req_row.payload_len = strlen(msg);
	if ((rc = pdv_request_message_open(s, &req_row, m, err)) < 0 ||
	    m->channel != PDV_OUTBOUND_EMAIL)
		goto out;
	snprintf(m->token, sizeof(m->token), "%s", sp + 1);
out:
	pdv_secure_free(msg);
	return rc;
}

/* the download a token names, in the caller's transaction */
static int find(struct pdv_session *s, const char *token, uint8_t hash[32],
                struct pdv_download_row *d, enum pdv_download_state *state, struct pdv_error *err)
{
	int rc;

	*state = PDV_DOWNLOAD_UNKNOWN;
	if (!token || strlen(token) != PDV_B64URL_CHARS(TOKEN_BYTES))
		return 0;
	token_hash(s, token, hash);
	rc = pdv_store_download_by_hash(s->store, hash, d, err);
	if (rc == PDV_E_NOTFOUND) {
		pdv_error_clear(err);
		return 0;
	}
	if (rc < 0)
		return rc;
	*state = d->used_at                ? PDV_DOWNLOAD_USED
	         : d->expires_at <= s->now ? PDV_DOWNLOAD_EXPIRED
	         : !d->export              ? PDV_DOWNLOAD_EXPIRED
	                                   : PDV_DOWNLOAD_OK;
	return 0;
}

void pdv_download_index(struct pdv_session *s, const char *token, uint8_t ret[32])
{
	token_hash(s, token ? token : "", ret);
}

int pdv_download_start(struct pdv_session *s, const char *token, bool send,
                       enum pdv_download_state *ret_state, char ret_check[PDV_ID_MAX],
                       pdv_time_t *ret_expires, struct pdv_error *err)
{
	struct pdv_download_row d;
	struct pdv_request_row req;
	uint8_t hash[32], ad[48];
	char *addr = NULL;
	int rc;

	ret_check[0] = '\0';
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	if ((rc = find(s, token, hash, &d, ret_state, err)) < 0 || *ret_state != PDV_DOWNLOAD_OK)
		goto done;
	if ((rc = pdv_store_request_get(s->store, d.request_id, &req, err)) < 0)
		goto done;
	if (!req.address || req.address_len <= PDV_SEAL_OVERHEAD || !req.reference) {
		*ret_state = PDV_DOWNLOAD_UNKNOWN;
		goto done;
	}
	if (!(addr = pdv_secure_alloc(req.address_len - PDV_SEAL_OVERHEAD + 1))) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto done;
	}
	if ((rc = pdv_open(s->vault->stats_key, ad, pdv_request_address_ad(req.reference, ad),
	                   req.address, req.address_len, (uint8_t *)addr, err)) < 0)
		goto done;
	addr[req.address_len - PDV_SEAL_OVERHEAD] = '\0';
	pdv_session_tx_rollback(s);
	/* a code to the request's address; the check carries the link's hash.
	 * Past the server's codes an hour for this link (send false), a check
	 * all the same, whose code goes nowhere: the address is not flooded */
	rc = pdv_intake_check_start(s, "download", send ? "verification" : NULL, addr, hash,
	                            sizeof(hash), ret_check, ret_expires, err);
	pdv_secure_free(addr);
	return rc;
done:
	pdv_secure_free(addr);
	pdv_session_tx_rollback(s);
	return rc;
}

int pdv_download_take(struct pdv_session *s, const struct pdv_verified *ok,
                      enum pdv_download_state *ret_state, struct pdv_buf *out,
                      struct pdv_error *err)
{
	struct pdv_download_row d;
	uint8_t ad[64], hash[32], *doc = NULL;
	size_t n;
	int rc;

	*ret_state = PDV_DOWNLOAD_UNKNOWN;
	if (ok->result != PDV_VERIFY_OK || strcmp(ok->purpose, "download") != 0 || !ok->payload ||
	    ok->payload_len != sizeof(hash))
		return 0;
	memcpy(hash, ok->payload, sizeof(hash));
	if ((rc = pdv_session_tx_begin(s, err)) < 0)
		return rc;
	rc = pdv_store_download_by_hash(s->store, hash, &d, err);
	if (rc == PDV_E_NOTFOUND) {
		pdv_error_clear(err);
		rc = 0;
		goto fail;
	}
	if (rc < 0)
		goto fail;
	*ret_state = d.used_at                             ? PDV_DOWNLOAD_USED
	             : d.expires_at <= s->now || !d.export ? PDV_DOWNLOAD_EXPIRED
	                                                   : PDV_DOWNLOAD_OK;
	if (*ret_state != PDV_DOWNLOAD_OK || d.export_len <= PDV_SEAL_OVERHEAD)
		goto fail;
	n = d.export_len - PDV_SEAL_OVERHEAD;
	if (!(doc = pdv_secure_alloc(n ? n : 1))) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto fail;
	}
	pdv_buf_set_secret(out);
	if ((rc = pdv_open(s->vault->stats_key, ad, blob_ad("export", hash, ad), d.export,
	                   d.export_len, doc, err)) < 0 ||
	    (rc = pdv_buf_append(out, doc, n)) < 0 ||
	    (rc = pdv_store_download_use(s->store, d.id, s->now, err)) < 0 ||
	    (rc = pdv_audit_append(s, "request-download", NULL, NULL, NULL, "-", err)) < 0)
		goto fail;
	pdv_secure_free(doc);
	return pdv_session_tx_commit(s, err);
fail:
	pdv_secure_free(doc);
	pdv_session_tx_rollback(s);
	if (rc == PDV_E_NOTFOUND) { /* used between the read and the use */
		pdv_error_clear(err);
		*ret_state = PDV_DOWNLOAD_USED;
		rc = 0;
	}
	return rc;
}

int pdv_download_link(struct pdv_session *s, int64_t request_id, char ret[PDV_DOWNLOAD_TOKEN_MAX],
                      pdv_time_t *ret_expires, struct pdv_error *err)
{
	struct pdv_download_row d;
	uint8_t ad[64];
	size_t n;
	int rc;

	ret[0] = '\0';
	rc = pdv_store_download_of_request(s->store, request_id, &d, err);
	if (rc == PDV_E_NOTFOUND) {
		pdv_error_clear(err);
		return 0;
	}
	if (rc < 0 || d.used_at || d.expires_at <= s->now || !d.token ||
	    d.token_len <= PDV_SEAL_OVERHEAD ||
	    (n = d.token_len - PDV_SEAL_OVERHEAD) >= PDV_DOWNLOAD_TOKEN_MAX)
		return rc < 0 ? rc : 0;
	if ((rc = pdv_open(s->vault->stats_key, ad, blob_ad("token", d.hash, ad), d.token,
	                   d.token_len, (uint8_t *)ret, err)) < 0)
		return rc;
	ret[n] = '\0';
	*ret_expires = d.expires_at;
	return 0;
}
