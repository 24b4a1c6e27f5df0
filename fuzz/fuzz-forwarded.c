/*
 * fuzz-forwarded.c — the Forwarded and X-Forwarded-For parsing of
 * forwarded.c. The input is "FORWARDED\nX-FORWARDED-FOR" (either may be
 * missing); the peer is a trusted proxy, so both are read. What comes out is
 * always an address, "unknown" or an obfuscated identifier, and a peer that
 * is not trusted is always the client, whatever the headers say.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "forwarded.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const char *out)
{
	uint8_t a[16];
	size_t n = strnlen(out, SRV_ADDR_MAX);

	if (n == SRV_ADDR_MAX)
		abort();
	if (strcmp(out, "unknown") == 0 || srv_addr_parse(out, n, a))
		return;
	if (out[0] != '_' || n < 2)
		abort();
	for (size_t i = 1; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-",
		            out[i]))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct srv_cidr trusted[3];
	static int ready;
	char out[SRV_ADDR_MAX];
	char *buf, *nl;

	if (!ready) {
		if (srv_cidr_parse("127.0.0.1", &trusted[0]) < 0 ||
		    srv_cidr_parse("10.0.0.0/8", &trusted[1]) < 0 ||
		    srv_cidr_parse("2001:db8::/32", &trusted[2]) < 0)
			abort();
		ready = 1;
	}
	if (!(buf = malloc(size + 1)))
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	nl = strchr(buf, '\n');
	if (nl)
		*nl = '\0';
	srv_client_address("127.0.0.1", buf, nl ? nl + 1 : NULL, trusted, 3, out);
	check(out);
	srv_client_address("127.0.0.1", NULL, buf, trusted, 3, out);
	check(out);
	srv_client_address("192.0.2.1", buf, nl ? nl + 1 : NULL, trusted, 3, out);
	if (strcmp(out, "192.0.2.1") != 0)
		abort();
	(void)srv_cidr_parse(buf, &(struct srv_cidr){{0}, 0});
	free(buf);
	return 0;
}
