/*
 * test-forwarded.c — the client address behind trusted proxies: networks,
 * the Forwarded header (RFC 7239: quoted strings, IPv6 in brackets, ports,
 * "unknown" and obfuscated nodes), X-Forwarded-For, and that nothing a
 * client writes left of an untrusted hop is believed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "forwarded.h"

static struct srv_cidr trusted[4];
static size_t n_trusted;

static int setup(void **state)
{
	static const char *const nets[] = {"127.0.0.1", "10.0.0.0/8", "2001:db8:ffff::/48",
	                                   "150.172.238.0/24"};

	(void)state;
	n_trusted = 0;
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(srv_cidr_parse(nets[i], &trusted[n_trusted++]), 0);
	return 0;
}

static void expect(const char *peer, const char *fwd, const char *xff, const char *want)
{
	char out[SRV_ADDR_MAX];

	srv_client_address(peer, fwd, xff, trusted, n_trusted, out);
	assert_string_equal(out, want);
}

static void test_networks(void **state)
{
	struct srv_cidr c;
	uint8_t a[16];

	(void)state;
	assert_int_equal(srv_cidr_parse("10.0.0.0/8", &c), 0);
	assert_int_equal(c.prefix, 104);
	assert_int_equal(srv_cidr_parse("::1", &c), 0);
	assert_int_equal(c.prefix, 128);
	assert_int_equal(srv_cidr_parse("0.0.0.0/0", &c), 0);
	for (size_t i = 0; i < 8; i++) {
		static const char *const bad[] = {"10.0.0.0/33", "2001:db8::/129", "x", "10.0.0.1/",
		                                  "10.0.0.1/-1", "10.0.0.1/8x",    "",  "[::1]"};

		assert_int_equal(srv_cidr_parse(bad[i], &c), -1);
	}
	assert_true(srv_addr_parse("10.200.3.4", 10, a));
	assert_true(srv_cidr_contains(trusted, n_trusted, a));
	assert_true(srv_addr_parse("11.0.0.1", 8, a));
	assert_false(srv_cidr_contains(trusted, n_trusted, a));
	assert_true(srv_addr_parse("2001:db8:ffff:1::9", 18, a));
	assert_true(srv_cidr_contains(trusted, n_trusted, a));
	assert_true(srv_addr_parse("2001:db8:fffe::9", 16, a));
	assert_false(srv_cidr_contains(trusted, n_trusted, a));
	/* an IPv4-mapped IPv6 peer is the IPv4 address */
	assert_true(srv_addr_parse("::ffff:127.0.0.1", 16, a));
	assert_true(srv_cidr_contains(trusted, n_trusted, a));
}

static void test_untrusted_peer_is_the_client(void **state)
{
	(void)state;
	expect("203.0.113.9", "for=192.0.2.60", "192.0.2.61", "203.0.113.9");
	expect("127.0.0.2", "for=192.0.2.60", NULL, "127.0.0.2");
	expect("127.0.0.1", NULL, NULL, "127.0.0.1");
	expect("::ffff:127.0.0.1", NULL, NULL, "127.0.0.1");
	expect("not an address", "for=192.0.2.60", NULL, "unknown");
}

static void test_forwarded(void **state)
{
	(void)state;
	expect("127.0.0.1", "for=192.0.2.60;proto=http;by=203.0.113.43", NULL, "192.0.2.60");
	expect("127.0.0.1", "For=\"[2001:db8:cafe::17]:4711\"", NULL, "2001:db8:cafe::17");
	expect("127.0.0.1", "for=\"192.0.2.43:47011\"", NULL, "192.0.2.43");
	/* a client's forged entry, then the proxy's: the proxy's is believed */
	expect("127.0.0.1", "for=1.1.1.1, for=198.51.100.17", NULL, "198.51.100.17");
	/* a chain of trusted proxies is walked through */
	expect("127.0.0.1",
	       "for=198.51.100.17, for=10.1.2.3;by=10.0.0.1, for=\"[2001:db8:ffff::5]\"", NULL,
	       "198.51.100.17");
	/* several headers, joined by the caller with "," */
	expect("127.0.0.1", "for=1.1.1.1,for=198.51.100.17", NULL, "198.51.100.17");
	/* empty list elements count for nothing */
	expect("127.0.0.1", "for=198.51.100.17 , , ", NULL, "198.51.100.17");
	/* a proxy that writes IPv6 unquoted */
	expect("127.0.0.1", "for=2001:db8::8", NULL, "2001:db8::8");
	/* a quoted comma does not split the element */
	expect("127.0.0.1", "for=\"1.2.3.4, 5.6.7.8\"", NULL, "unknown");
	/* every hop trusted: the leftmost */
	expect("127.0.0.1", "for=10.0.0.7, for=10.0.0.8", NULL, "10.0.0.7");
}

static void test_untrusted_stops(void **state)
{
	(void)state;
	/* what stands left of an opaque hop was written by someone untrusted */
	expect("127.0.0.1", "for=198.51.100.17, for=unknown", NULL, "unknown");
	expect("127.0.0.1", "for=198.51.100.17, for=_hidden", NULL, "_hidden");
	expect("127.0.0.1", "for=198.51.100.17, for=\"_hidden:_port\"", NULL, "_hidden");
	expect("127.0.0.1", "for=198.51.100.17, proto=https", NULL, "unknown");
	expect("127.0.0.1", "for=198.51.100.17, for=\"[2001:db8::1\"", NULL, "unknown");
	expect("127.0.0.1", "for=198.51.100.17, for=1.2.3.4;for=5.6.7.8", NULL, "unknown");
	expect("127.0.0.1", "for=198.51.100.17, for=\"1.2.3.4:123456\"", NULL, "unknown");
	expect("127.0.0.1", "for=198.51.100.17, for=\"_bad id\"", NULL, "unknown");
	expect("127.0.0.1", "for=198.51.100.17, for=\"unterminated", NULL, "unknown");
	expect("127.0.0.1", "for=198.51.100.17, =x", NULL, "unknown");
	expect("127.0.0.1", "for=198.51.100.17, for=\"[1.2.3.4]\"", NULL, "unknown");
	/* an obfuscated hop is not believed to be the trusted proxy either */
	expect("127.0.0.1", "for=_a, for=10.0.0.1", NULL, "_a");
}

static void test_x_forwarded_for(void **state)
{
	(void)state;
	expect("127.0.0.1", NULL, "203.0.113.195, 70.41.3.18, 150.172.238.178", "70.41.3.18");
	expect("127.0.0.1", NULL, " 203.0.113.195 ,  ", "203.0.113.195");
	expect("127.0.0.1", NULL, "[2001:db8::1]:443", "2001:db8::1");
	expect("127.0.0.1", NULL, "2001:db8::1", "2001:db8::1");
	expect("127.0.0.1", NULL, "1.1.1.1, garbage", "unknown");
	/* Forwarded, when given, wins */
	expect("127.0.0.1", "for=192.0.2.60", "203.0.113.195", "192.0.2.60");
	/* an empty Forwarded says nothing: X-Forwarded-For then */
	expect("127.0.0.1", "", "203.0.113.195", "203.0.113.195");
}

static void test_many_hops(void **state)
{
	char fwd[4096];
	size_t at = 0;

	(void)state;
	/* a forged address far to the left, then more trusted hops than are kept */
	at += (size_t)snprintf(fwd + at, sizeof(fwd) - at, "for=6.6.6.6");
	for (int i = 0; i < 100; i++)
		at += (size_t)snprintf(fwd + at, sizeof(fwd) - at, ",for=10.0.0.%d", i);
	expect("127.0.0.1", fwd, NULL, "10.0.0.36");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_networks, setup),
	    cmocka_unit_test_setup(test_untrusted_peer_is_the_client, setup),
	    cmocka_unit_test_setup(test_forwarded, setup),
	    cmocka_unit_test_setup(test_untrusted_stops, setup),
	    cmocka_unit_test_setup(test_x_forwarded_for, setup),
	    cmocka_unit_test_setup(test_many_hops, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
