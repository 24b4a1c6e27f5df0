/*
 * smtp.c — sending built messages through an SMTP relay with libcurl.
 *
 * Owns: the session (one CURL handle, so the connection, its STARTTLS and its
 * login are reused from one message to the next), the auth file, and the
 * classification of each message's outcome.
 *
 * Invariants:
 *  - clear text only to a loopback relay: smtp:// to any other host runs with
 *    CURLUSESSL_ALL (STARTTLS or nothing), and so does smtp:// to loopback
 *    when a CA file is given (it can only mean TLS verified by that CA);
 *    smtps:// is TLS from the first byte; peer and host checks always on;
 *  - the auth file is a regular file owned by the running user without group
 *    or world access, read straight into sodium memory; messages name it,
 *    never show a byte of it;
 *  - a result keeps the relay's reply code and libcurl's generic text, never
 *    the relay's words (they often quote the address);
 *  - every transfer is bounded in time (connect and total timeouts).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>

#include "delivery-internal.h"
#include "pdv/crypto.h"

#define AUTH_FILE_MAX 1024
#define PROBE_TIMEOUT_MS 5000L

struct pdv_smtp {
	CURL *curl;
	struct curl_slist *resolve;
	char *secret; /* sodium memory: the auth file, then user NUL password NUL */
	long connections;
	/* the message being uploaded */
	const char *msg;
	size_t len, pos;
};

/* Read the auth file into sodium memory: user at *ret, password after its NUL. */
static int read_auth(const char *path, char **ret, struct pdv_error *err)
{
	struct stat st;
	char *buf = NULL;
	size_t n = 0;
	ssize_t r;
	int fd, rc = 0;

	pdv_error_field(err, "smtp-auth-file");
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return pdv_error_set(err, PDV_E_IO, "smtp auth file %s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		rc = pdv_error_set(err, PDV_E_IO, "smtp auth file %s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077)) {
		rc = pdv_error_set(err, PDV_E_REFUSED,
		                   "smtp auth file %s: must be a regular file owned by this user "
		                   "with mode 0600 (chmod 600)",
		                   path);
		goto out;
	}
	if (st.st_size > AUTH_FILE_MAX) {
		rc = pdv_error_set(err, PDV_E_LIMIT, "smtp auth file %s: larger than %d bytes",
		                   path, AUTH_FILE_MAX);
		goto out;
	}
	if (!(buf = pdv_secure_alloc(AUTH_FILE_MAX + 2))) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	while (n <= AUTH_FILE_MAX && (r = read(fd, buf + n, AUTH_FILE_MAX + 1 - n)) > 0)
		n += (size_t)r;
	if (n > AUTH_FILE_MAX) {
		rc = pdv_error_set(err, PDV_E_LIMIT, "smtp auth file %s: larger than %d bytes",
		                   path, AUTH_FILE_MAX);
		goto out;
	}
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[--n] = '\0';
	if (n && buf[n - 1] == '\r')
		buf[--n] = '\0';
	char *colon = memchr(buf, ':', n);
	if (!colon || colon == buf || memchr(buf, '\0', n) || memchr(buf, '\n', n) ||
	    memchr(buf, '\r', n)) {
		rc = pdv_error_set(err, PDV_E_INVAL,
		                   "smtp auth file %s: not one line USER:PASSWORD", path);
		goto out;
	}
	*colon = '\0';
	*ret = buf;
	buf = NULL;
	pdv_error_field(err, "");
out:
	pdv_secure_free(buf);
	close(fd);
	return rc;
}

static size_t read_cb(char *dst, size_t size, size_t nmemb, void *ctx)
{
	struct pdv_smtp *s = ctx;
	size_t n = size * nmemb;

	if (n > s->len - s->pos)
		n = s->len - s->pos;
	memcpy(dst, s->msg + s->pos, n);
	s->pos += n;
	return n;
}

void pdv_smtp_free(struct pdv_smtp *s)
{
	if (!s)
		return;
	if (s->curl)
		curl_easy_cleanup(s->curl);
	curl_slist_free_all(s->resolve);
	pdv_secure_free(s->secret);
	free(s);
}

long pdv_smtp_connections(const struct pdv_smtp *s)
{
	return s->connections;
}

int pdv_smtp_open(const struct pdv_smtp_config *cfg, struct pdv_smtp **ret_smtp,
                  struct pdv_error *err)
{
	static const char *const schemes[] = {"smtp", "smtps", NULL};
	struct pdv_smtp *s = NULL;
	struct dlv_target t;
	char from[300];
	int rc;

	if ((rc = dlv_curl_init(err)) < 0 || (rc = pdv_crypto_init(err)) < 0)
		return rc;
	if ((rc = dlv_target_parse(cfg->url, schemes, "smtp", &t, err)) < 0)
		return rc;
	if (!cfg->mail_from || !dlv_addr_valid(cfg->mail_from)) {
		pdv_error_field(err, "mail-from");
		return pdv_error_set(err, PDV_E_INVAL,
		                     "mail-from: not a plain address (ASCII, one @, no space)");
	}
	if (cfg->ca_file && access(cfg->ca_file, R_OK) != 0) {
		pdv_error_field(err, "smtp-ca");
		return pdv_error_set(err, PDV_E_IO, "smtp CA file %s: %s", cfg->ca_file,
		                     strerror(errno));
	}
	if (!(s = calloc(1, sizeof(*s))))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if (cfg->auth_file && (rc = read_auth(cfg->auth_file, &s->secret, err)) < 0)
		goto out;
	if (!(s->curl = curl_easy_init())) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "libcurl: no handle");
		goto out;
	}
	if (t.resolve[0] && !(s->resolve = curl_slist_append(NULL, t.resolve))) {
		rc = pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		goto out;
	}
	bool tls_required = strcmp(t.scheme, "smtps") == 0 || !t.loopback || cfg->ca_file;
	snprintf(from, sizeof(from), "<%s>", cfg->mail_from);
	CURL *c = s->curl;
	CURLcode cc = CURLE_OK;
#define SET(opt, v) (cc = cc ? cc : curl_easy_setopt(c, opt, v))
	SET(CURLOPT_URL, cfg->url);
	SET(CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	SET(CURLOPT_USE_SSL, tls_required ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_NONE);
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	if (cfg->ca_file)
		SET(CURLOPT_CAINFO, cfg->ca_file);
	if (s->resolve)
		SET(CURLOPT_RESOLVE, s->resolve);
	SET(CURLOPT_CONNECTTIMEOUT_MS,
	    cfg->connect_timeout_ms > 0 ? cfg->connect_timeout_ms : 10000L);
	SET(CURLOPT_TIMEOUT_MS, cfg->timeout_ms > 0 ? cfg->timeout_ms : 60000L);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_MAIL_FROM, from);
	SET(CURLOPT_UPLOAD, 1L);
	SET(CURLOPT_READFUNCTION, read_cb);
	SET(CURLOPT_READDATA, s);
	if (s->secret) {
		SET(CURLOPT_USERNAME, s->secret);
		SET(CURLOPT_PASSWORD, s->secret + strlen(s->secret) + 1);
	}
#undef SET
	if (cc != CURLE_OK) {
		rc = pdv_error_set(err, PDV_E_INTERNAL, "libcurl: %s", curl_easy_strerror(cc));
		goto out;
	}
	*ret_smtp = s;
	s = NULL;
out:
	pdv_smtp_free(s);
	return rc;
}

bool pdv_smtp_probe(struct pdv_smtp *s)
{
	CURL *c = curl_easy_duphandle(s->curl);
	CURLcode cc;

	if (!c)
		return false;
	/* the connection phase of a send (greeting, EHLO, STARTTLS, AUTH), no
	 * transfer; the handle's cleanup closes it */
	cc = curl_easy_setopt(c, CURLOPT_CONNECT_ONLY, 1L);
	if (cc == CURLE_OK) /* a relay that accepts but never greets: not long */
		cc = curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, PROBE_TIMEOUT_MS);
	if (cc == CURLE_OK)
		cc = curl_easy_perform(c);
	curl_easy_cleanup(c);
	return cc == CURLE_OK;
}

int pdv_smtp_send(struct pdv_smtp *s, const char *rcpt, const char *msg, size_t len,
                  struct pdv_delivery_result *ret, struct pdv_error *err)
{
	struct curl_slist *to = NULL;
	char addr[300];
	long code = 0, conns = 0;
	CURLcode cc;

	dlv_result(ret, PDV_DELIVERY_PERMANENT, 0, "not sent");
	if (!rcpt || !dlv_addr_valid(rcpt)) {
		pdv_error_field(err, "to");
		return pdv_error_set(err, PDV_E_INVAL,
		                     "to: not a plain address (ASCII, one @, no space)");
	}
	if (len > PDV_MAIL_MAX)
		return pdv_error_set(err, PDV_E_LIMIT, "the message is larger than its limit");
	snprintf(addr, sizeof(addr), "<%s>", rcpt);
	if (!(to = curl_slist_append(NULL, addr)))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	s->msg = msg;
	s->len = len;
	s->pos = 0;
	curl_easy_setopt(s->curl, CURLOPT_MAIL_RCPT, to);
	curl_easy_setopt(s->curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	cc = curl_easy_perform(s->curl);
	curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_getinfo(s->curl, CURLINFO_NUM_CONNECTS, &conns);
	s->connections += conns;
	curl_easy_setopt(s->curl, CURLOPT_MAIL_RCPT, NULL);
	curl_slist_free_all(to);
	pdv_wipe(addr, sizeof(addr));
	s->msg = NULL;

	if (cc == CURLE_OK)
		dlv_result(ret, PDV_DELIVERY_SENT, (int)code, "%s", "");
	else if (cc == CURLE_LOGIN_DENIED)
		/* the relay's setting, not the message's: worth trying again once fixed */
		dlv_result(ret, PDV_DELIVERY_TEMPORARY, (int)code,
		           "the relay refused the login (%s)", curl_easy_strerror(cc));
	else if (code >= 500 && code <= 599)
		dlv_result(ret, PDV_DELIVERY_PERMANENT, (int)code, "the relay answered %ld (%s)",
		           code, curl_easy_strerror(cc));
	else if (code >= 400 && code <= 499)
		dlv_result(ret, PDV_DELIVERY_TEMPORARY, (int)code, "the relay answered %ld (%s)",
		           code, curl_easy_strerror(cc));
	else
		dlv_result(ret, PDV_DELIVERY_TEMPORARY, 0, "%s", curl_easy_strerror(cc));
	return 0;
}
