/*
 * forwarded.c — the client address behind trusted proxies (forwarded.h):
 * networks (ADDR[/PREFIX]), addresses, and the Forwarded (RFC 7239) and
 * X-Forwarded-For headers, read right to left.
 *
 * Everything a client sends is bounded here: a value longer than an address
 * can be is malformed, and at most SRV_HOPS_MAX hops are kept (the
 * rightmost, which are the ones a trusted proxy wrote).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "forwarded.h"

static const uint8_t v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool srv_addr_parse(const char *s, size_t n, uint8_t ret[16])
{
	char buf[SRV_ADDR_MAX];
	struct in_addr a4;

	if (n == 0 || n >= sizeof(buf) || memchr(s, '\0', n))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, &a4) == 1) {
		memcpy(ret, v4_mapped, 12);
		memcpy(ret + 12, &a4, 4);
		return true;
	}
	return inet_pton(AF_INET6, buf, ret) == 1;
}

void srv_addr_format(const uint8_t addr[16], char out[SRV_ADDR_MAX])
{
	if (memcmp(addr, v4_mapped, 12) == 0)
		inet_ntop(AF_INET, addr + 12, out, SRV_ADDR_MAX);
	else
		inet_ntop(AF_INET6, addr, out, SRV_ADDR_MAX);
}

int srv_cidr_parse(const char *s, struct srv_cidr *ret)
{
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	bool v4;
	long p;
	char *end;

	if (!srv_addr_parse(s, n, ret->addr))
		return -1;
	v4 = memchr(s, ':', n) == NULL;
	ret->prefix = 128;
	if (!slash)
		return 0;
	if (slash[1] < '0' || slash[1] > '9')
		return -1;
	p = strtol(slash + 1, &end, 10);
	if (*end || p < 0 || p > (v4 ? 32 : 128))
		return -1;
	ret->prefix = (unsigned)p + (v4 ? 96 : 0);
	return 0;
}

static bool in_cidr(const struct srv_cidr *c, const uint8_t addr[16])
{
	unsigned full = c->prefix / 8, rest = c->prefix % 8;

	if (memcmp(c->addr, addr, full) != 0)
		return false;
	if (rest == 0)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));

	return (c->addr[full] & mask) == (addr[full] & mask);
}

bool srv_cidr_contains(const struct srv_cidr *list, size_t n, const uint8_t addr[16])
{
	for (size_t i = 0; i < n; i++)
		if (in_cidr(&list[i], addr))
			return true;
	return false;
}

/* ---- hops ---- */

struct hop {
	bool is_addr;
	uint8_t addr[16];
	char id[SRV_ADDR_MAX]; /* when not an address: "unknown" or "_obfuscated" */
};

/* the last SRV_HOPS_MAX hops, oldest first, in a ring */
struct hops {
	struct hop h[SRV_HOPS_MAX];
	size_t start, n;
};

static void hops_push(struct hops *hs, const struct hop *h)
{
	if (hs->n == SRV_HOPS_MAX) {
		hs->h[hs->start] = *h;
		hs->start = (hs->start + 1) % SRV_HOPS_MAX;
		return;
	}
	hs->h[(hs->start + hs->n++) % SRV_HOPS_MAX] = *h;
}

static void hop_unknown(struct hop *h)
{
	memset(h, 0, sizeof(*h));
	memcpy(h->id, "unknown", 8);
}

/* RFC 7239 obfnode / obfport characters */
static bool obf_ok(const char *s, size_t n)
{
	if (n < 2 || s[0] != '_')
		return false;
	for (size_t i = 1; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

/* ":" port, a port being 1*5DIGIT or an obfuscated one */
static bool port_ok(const char *s, size_t n)
{
	if (n < 2 || s[0] != ':')
		return false;
	if (s[1] == '_')
		return obf_ok(s + 1, n - 1);
	if (n - 1 > 5)
		return false;
	for (size_t i = 1; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/*
 * A node (RFC 7239 section 6): IPv4 [":" port], "[" IPv6 "]" [":" port],
 * "unknown" or "_obfuscated" [":" port]; also a bare IPv6 address, as
 * X-Forwarded-For writes it. Anything else is unknown.
 */
static void node_parse(const char *v, size_t n, struct hop *h)
{
	const char *colon;
	size_t hn = n;

	hop_unknown(h);
	if (n && v[0] == '[') {
		const char *close = memchr(v, ']', n);
		size_t after;

		if (!close)
			return;
		after = n - (size_t)(close + 1 - v);
		if ((after && !port_ok(close + 1, after)) ||
		    !memchr(v + 1, ':', (size_t)(close - v - 1)) ||
		    !srv_addr_parse(v + 1, (size_t)(close - v - 1), h->addr))
			return;
		h->is_addr = true;
		return;
	}
	colon = memchr(v, ':', n);
	if (colon && memchr(colon + 1, ':', n - (size_t)(colon + 1 - v))) {
		/* two colons: a bare IPv6 address */
		h->is_addr = srv_addr_parse(v, n, h->addr);
		return;
	}
	if (colon) {
		hn = (size_t)(colon - v);
		if (!port_ok(colon, n - hn))
			return;
	}
	if (srv_addr_parse(v, hn, h->addr)) {
		h->is_addr = true;
	} else if (hn == 7 && strncasecmp(v, "unknown", 7) == 0) {
		/* hop_unknown already */
	} else if (hn < SRV_ADDR_MAX && obf_ok(v, hn)) {
		memcpy(h->id, v, hn);
		h->id[hn] = '\0';
	}
}

static bool ows(char c)
{
	return c == ' ' || c == '\t';
}

/* an RFC 7230 token character */
static bool tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* past the next comma outside a quoted string (or to the end) */
static const char *skip_element(const char *p)
{
	bool quoted = false;

	for (; *p; p++) {
		if (quoted && *p == '\\' && p[1])
			p++;
		else if (*p == '"')
			quoted = !quoted;
		else if (*p == ',' && !quoted)
			return p;
	}
	return p;
}

/* one forwarded-element at p: its for= as a hop (unknown when missing or
 * malformed); p is left on the ',' that ends it, or the end */
static const char *parse_element(const char *p, struct hop *h, bool *ret_empty)
{
	char val[SRV_ADDR_MAX * 2];
	bool have_for = false, bad = false, any = false;

	hop_unknown(h);
	for (;;) {
		const char *name;
		size_t nlen, vn = 0;
		bool toolong = false;

		while (ows(*p))
			p++;
		if (*p == ',' || *p == '\0')
			break;
		any = true;
		if (*p == ';') {
			p++;
			continue;
		}
		name = p;
		while (tchar(*p))
			p++;
		nlen = (size_t)(p - name);
		if (nlen == 0 || *p != '=') {
			bad = true;
			p = skip_element(p);
			break;
		}
		p++;
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				if (*p == '\\' && p[1])
					p++;
				if (vn < sizeof(val))
					val[vn++] = *p;
				else
					toolong = true;
			}
			if (*p != '"') {
				bad = true;
				break;
			}
			p++;
		} else {
			/* a token; leniently anything up to a separator, since some
			 * proxies write IPv6 and ports unquoted */
			for (; *p && *p != ';' && *p != ',' && *p != '"' && !ows(*p); p++) {
				if (vn < sizeof(val))
					val[vn++] = *p;
				else
					toolong = true;
			}
		}
		if (nlen == 3 && strncasecmp(name, "for", 3) == 0) {
			if (have_for || toolong)
				bad = true;
			else
				node_parse(val, vn, h);
			have_for = true;
		}
		while (ows(*p))
			p++;
		if (*p != ';' && *p != ',' && *p != '\0') {
			bad = true;
			p = skip_element(p);
			break;
		}
	}
	if (!have_for || bad)
		hop_unknown(h);
	*ret_empty = !any;
	return p;
}

static void parse_forwarded(const char *p, struct hops *hs)
{
	while (*p) {
		struct hop h;
		bool empty;

		p = parse_element(p, &h, &empty);
		if (!empty) /* "a, , b": an empty list element counts for nothing */
			hops_push(hs, &h);
		if (*p == ',')
			p++;
	}
}

static void parse_xff(const char *p, struct hops *hs)
{
	while (*p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		struct hop h;

		while (n && ows(*p))
			p++, n--;
		while (n && ows(p[n - 1]))
			n--;
		if (n) {
			node_parse(p, n, &h);
			hops_push(hs, &h);
		}
		if (!end)
			break;
		p = end + 1;
	}
}

/* the rightmost hop not trusted (or the leftmost kept when all are); false
 * when there is none */
static bool walk(const struct hops *hs, const struct srv_cidr *trusted, size_t n,
                 char out[SRV_ADDR_MAX])
{
	for (size_t i = hs->n; i-- > 0;) {
		const struct hop *h = &hs->h[(hs->start + i) % SRV_HOPS_MAX];

		if (!h->is_addr) {
			memcpy(out, h->id, SRV_ADDR_MAX);
			return true;
		}
		if (i == 0 || !srv_cidr_contains(trusted, n, h->addr)) {
			srv_addr_format(h->addr, out);
			return true;
		}
	}
	return false;
}

void srv_client_address(const char *peer, const char *forwarded, const char *xff,
                        const struct srv_cidr *trusted, size_t n, char out[SRV_ADDR_MAX])
{
	uint8_t a[16];
	struct hops hs = {0}; /* about 5 KiB */

	if (!srv_addr_parse(peer, strlen(peer), a)) {
		memcpy(out, "unknown", 8);
		return;
	}
	srv_addr_format(a, out);
	if (!srv_cidr_contains(trusted, n, a) || (!forwarded && !xff))
		return;
	if (forwarded)
		parse_forwarded(forwarded, &hs);
	if (hs.n == 0 && xff)
		parse_xff(xff, &hs);
	(void)walk(&hs, trusted, n, out);
}
