/*
 * fuzz-route.c — the server's own parsing of what a client sends: the route
 * matcher (method and path, {} segments) and the URL-safe base64 of the
 * signed tokens (sessions, unsubscribe links).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pdv/b64url.h"
#include "server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const methods[] = {"GET", "POST", "DELETE", "PUT", "HEAD", "OPTIONS"};
	struct srv_match m;
	uint8_t raw[40];
	char *url;

	if (size == 0)
		return 0;
	if (!(url = malloc(size)))
		return 0;
	memcpy(url, data + 1, size - 1);
	url[size - 1] = '\0';
	if (srv_route_match(methods[data[0] % 6], url, &m) == 0) {
		/* a match names a route and copies at most two segments */
		if (!m.route || (m.param && strchr(m.param, '/')))
			abort();
	}
	srv_match_release(&m);
	/* a decoded string spells its bytes back the same way (one spelling each) */
	for (size_t n = 16; n <= 40; n += 8) {
		char again[64];

		if (pdv_b64url_decode(url, raw, n) == 0) {
			pdv_b64url_encode(raw, n, again, sizeof(again));
			if (strcmp(again, url) != 0)
				abort();
		}
	}
	free(url);
	return 0;
}
