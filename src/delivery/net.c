/*
 * net.c — what SMTP and webhooks share: libcurl's one-time initialisation,
 * the check of a target URL (scheme, no credentials, host resolved and
 * classified loopback or not) and the results.
 *
 * Invariant: a host is loopback only when every address it resolves to is in
 * 127.0.0.0/8 or is ::1 (or ::ffff:127.x); the addresses checked are pinned
 * (CURLOPT_RESOLVE) so a second resolution cannot send the clear text
 * elsewhere.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include <curl/curl.h>

#include "delivery-internal.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;

static void curl_init_once(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

int dlv_curl_init(struct pdv_error *err)
{
	pthread_once(&curl_once, curl_init_once);
	if (curl_init_rc != CURLE_OK)
		return pdv_error_set(err, PDV_E_INTERNAL, "libcurl cannot be initialised");
	return 0;
}

const char *pdv_delivery_status_name(enum pdv_delivery_status s)
{
	switch (s) {
	case PDV_DELIVERY_SENT:
		return "sent";
	case PDV_DELIVERY_TEMPORARY:
		return "temporary";
	case PDV_DELIVERY_PERMANENT:
		return "permanent";
	}
	return "?";
}

void dlv_result(struct pdv_delivery_result *r, enum pdv_delivery_status s, int code,
                const char *fmt, ...)
{
	va_list ap;

	r->status = s;
	r->code = code;
	va_start(ap, fmt);
	pdv_vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
	va_end(ap);
}

static bool addr_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)(const void *)sa;

		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)(const void *)sa;
		const uint8_t *a = in6->sin6_addr.s6_addr;
		static const uint8_t v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

		if (IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr))
			return true;
		return memcmp(a, v4mapped, 12) == 0 && a[12] == 127;
	}
	return false;
}

/* Resolve t->host: t->loopback, and t->resolve when host is a name. */
static int resolve(struct dlv_target *t, const char *field, struct pdv_error *err)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
	struct in6_addr a6;
	struct in_addr a4;
	bool literal =
	    inet_pton(AF_INET, t->host, &a4) == 1 || inet_pton(AF_INET6, t->host, &a6) == 1;
	size_t used;
	int g;

	if ((g = getaddrinfo(t->host, NULL, &hints, &res)) != 0 || !res) {
		pdv_error_field(err, field);
		return pdv_error_set(err, PDV_E_INVAL, "%s: the host does not resolve (%s)", field,
		                     gai_strerror(g));
	}
	t->loopback = true;
	used = (size_t)snprintf(t->resolve, sizeof(t->resolve), "%s:%ld:", t->host, t->port);
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		char text[INET6_ADDRSTRLEN];
		const void *a =
		    ai->ai_family == AF_INET
		        ? (const void *)&((struct sockaddr_in *)(void *)ai->ai_addr)->sin_addr
		        : (const void *)&((struct sockaddr_in6 *)(void *)ai->ai_addr)->sin6_addr;

		if (!addr_loopback(ai->ai_addr))
			t->loopback = false;
		if (!inet_ntop(ai->ai_family, a, text, sizeof(text)) ||
		    used + strlen(text) + 4 >= sizeof(t->resolve))
			continue;
		used += (size_t)snprintf(t->resolve + used, sizeof(t->resolve) - used, "%s%s%s%s",
		                         t->resolve[used - 1] == ':' ? "" : ",",
		                         ai->ai_family == AF_INET6 ? "[" : "", text,
		                         ai->ai_family == AF_INET6 ? "]" : "");
	}
	freeaddrinfo(res);
	if (literal || t->resolve[used - 1] == ':')
		t->resolve[0] = '\0';
	return 0;
}

int dlv_target_parse(const char *url, const char *const *schemes, const char *field,
                     struct dlv_target *ret, struct pdv_error *err)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *user = NULL, *pass = NULL;
	const char *why = NULL;
	int rc = 0;

	memset(ret, 0, sizeof(*ret));
	if (!u)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	if (!url || strpbrk(url, "\r\n \t") ||
	    curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) != CURLUE_OK) {
		why = "not a URL";
		goto out;
	}
	if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PASSWORD, &pass, 0) == CURLUE_OK) {
		why = "a user or password in the URL (credentials go in a file)";
		goto out;
	}
	why = "a scheme not allowed here";
	for (size_t i = 0; schemes[i]; i++)
		if (strcmp(scheme, schemes[i]) == 0)
			why = NULL;
	if (why)
		goto out;
	size_t hl = strlen(host);
	if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
		host[hl - 1] = '\0';
		memmove(host, host + 1, hl - 1);
	}
	if (pdv_strlcpy(ret->scheme, scheme, sizeof(ret->scheme)) >= sizeof(ret->scheme) ||
	    pdv_strlcpy(ret->host, host, sizeof(ret->host)) >= sizeof(ret->host)) {
		why = "a host name too long";
		goto out;
	}
	ret->port = strtol(port, NULL, 10);
	rc = resolve(ret, field, err);
out:
	if (why) {
		pdv_error_field(err, field);
		rc = pdv_error_set(err, PDV_E_INVAL, "%s: %s", field, why);
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(user);
	curl_free(pass);
	curl_url_cleanup(u);
	return rc;
}
