/*
 * forwarded.h — who the client is behind trusted proxies.
 *
 * Pure: no I/O, no allocation, no library state; every input is a string
 * the caller holds (the TCP peer's address, the Forwarded and
 * X-Forwarded-For header values with repeated headers joined by ",").
 *
 * An address is kept as 16 bytes, IPv4 as the IPv4-mapped IPv6 address
 * (::ffff:a.b.c.d), so one comparison serves both families; it is written
 * back canonical (inet_ntop; an IPv4-mapped address as plain IPv4).
 *
 * The rule (RFC 7239 section 8.1): the headers are believed only when the
 * peer is a trusted proxy. Then the hops are walked from the right (the
 * nearest proxy's entry) while they are trusted proxies; the first one that
 * is not is the client. A hop that cannot be believed to be an address
 * ("unknown", an obfuscated "_id", a missing for=, anything malformed) stops
 * the walk: what is left of it was written by someone untrusted, so the
 * client is then named by that opaque identifier ("unknown" when malformed),
 * never by an address further left that the client could have forged.
 */
#ifndef PDV_HTTP_FORWARDED_H
#define PDV_HTTP_FORWARDED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SRV_ADDR_MAX 64 /* an address or an opaque identifier, with its NUL */
#define SRV_HOPS_MAX 64 /* the hops walked; more than that: the leftmost are dropped */

struct srv_cidr {
	uint8_t addr[16]; /* IPv4 mapped */
	unsigned prefix;  /* 0..128, over the 16 bytes */
};

/* "ADDR" or "ADDR/PREFIX", IPv4 or IPv6; -1 when malformed */
int srv_cidr_parse(const char *s, struct srv_cidr *ret);
/* an address in text (IPv4, or IPv6 without brackets), n bytes; false when not */
bool srv_addr_parse(const char *s, size_t n, uint8_t ret[16]);
bool srv_cidr_contains(const struct srv_cidr *list, size_t n, const uint8_t addr[16]);
void srv_addr_format(const uint8_t addr[16], char out[SRV_ADDR_MAX]);

/*
 * The client of a request into out: peer (the TCP peer, in text) when it is
 * not one of the n trusted networks or when neither header is given (NULL);
 * otherwise what Forwarded says, or when it is absent what X-Forwarded-For
 * says, by the rule above.
 */
void srv_client_address(const char *peer, const char *forwarded, const char *xff,
                        const struct srv_cidr *trusted, size_t n, char out[SRV_ADDR_MAX]);

#endif
