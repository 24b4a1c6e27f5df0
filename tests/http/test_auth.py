"""Staff accounts and sign-in over real HTTP: an invitation from `staff add`,
enrolment (a passphrase, a TOTP authenticator, recovery codes), sign-in with
the passphrase and a code, the session cookie and its CSRF token, idle
expiry, sign-out and sign-out everywhere, the lock-out after 10 failures,
SSO through an authenticating proxy, and the tokens page.

The TOTP codes are computed here, independently of the server, with
Python's hmac as RFC 6238 (and RFC 4226) describe them. The server's clock
is PDVAULT_NOW; a later time is a restart of the server on the same vault."""
import base64
import hashlib
import hmac
import http.client
import json
import re
import struct
import time

from test_server import ROLE_NAMES, Server, free_port, j

T0 = "2026-03-02T10:00:00Z"
EPOCH0 = 1772445600  # T0 as a Unix time
PASS = "correct horse battery staple"


def at(seconds):
    """T0 + seconds, as PDVAULT_NOW takes it."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(EPOCH0 + seconds))


def totp(secret_b32, unix, step=30, digits=6):
    """RFC 6238: HOTP (RFC 4226, HMAC-SHA1, dynamic truncation) of the
    30-second step."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    mac = hmac.new(key, struct.pack(">Q", unix // step), hashlib.sha1).digest()
    off = mac[-1] & 0x0F
    code = (struct.unpack(">I", mac[off:off + 4])[0] & 0x7FFFFFFF) % 10 ** digits
    return f"{code:0{digits}d}"


def test_totp_matches_the_rfc_6238_vectors(t):
    """The test's own TOTP is RFC 6238's (Appendix B, SHA-1, 8 digits)."""
    secret = base64.b32encode(b"12345678901234567890").decode()
    for unix, want in ((59, "94287082"), (1111111109, "07081804"), (2000000000, "69279037")):
        t.eq(totp(secret, unix, digits=8), want, f"RFC 6238 at {unix}")


def invite(t, srv, name, role="dpo"):
    p = srv.cli("staff", "add", name, role, "--email", f"{name}@example.org")
    t.status(p, 0)
    m = re.search(r"/staff/#enrol=([A-Za-z0-9_-]+)", p.out)
    t.ok(m, f"the invitation link is printed when no relay is set: {p.out!r}")
    return m.group(1)


def enrol(t, srv, name, role="dpo", now=0):
    """An account enrolled at T0 + now: (TOTP secret, recovery codes)."""
    inv = invite(t, srv, name, role)
    st, _, out = srv.post("/v1/enrol", {"invitation": inv})
    t.eq(st, 200, f"the enrolment screen opens: {out[:200]!r}")
    doc = j(out)
    t.eq((doc["name"], doc["role"]), (name, role), "the invitation names the account")
    t.ok(doc["qr_svg"].startswith("<svg") and "<path" in doc["qr_svg"], "a QR code, in SVG")
    t.ok(doc["uri"].startswith("otpauth://totp/") and doc["secret"] in doc["uri"],
         "the QR code's otpauth URI carries the secret")
    secret = doc["secret"]
    st, _, out = srv.post("/v1/enrol/confirm",
                          {"invitation": inv, "passphrase": "too short", "code": "000000"})
    t.eq((st, j(out)["error"]["field"]), (422, "passphrase"),
         f"a passphrase under 12 characters is refused: {out!r}")
    st, _, out = srv.post("/v1/enrol/confirm", {"invitation": inv, "passphrase": PASS,
                                                "code": totp(secret, EPOCH0 + now)})
    t.eq(st, 200, f"enrolled: {out[:200]!r}")
    codes = j(out)["recovery_codes"]
    t.eq(len(set(codes)), 10, "ten recovery codes, shown once")
    st, _, _ = srv.post("/v1/enrol", {"invitation": inv})
    t.eq(st, 401, "an invitation works once")
    return secret, codes


def signin(srv, name, passphrase, code, source=None):
    st, h, out = srv.request("POST", "/v1/session",
                             body={"name": name, "passphrase": passphrase, "code": code})
    cookie = None
    m = re.match(r"pdv_session=([^;]+);", h.get("Set-Cookie", ""))
    if m:
        cookie = m.group(1)
    return st, h, (j(out) if out else {}), cookie


def as_session(cookie, csrf=None):
    h = {"Cookie": f"pdv_session={cookie}"}
    if csrf:
        h["X-CSRF-Token"] = csrf
    return h


def test_sign_in_with_passphrase_and_totp_and_a_code_works_once(t):
    srv = Server(t).start()
    try:
        secret, codes = enrol(t, srv, "alice")
        # the enrolment took T0's step: the same code cannot sign in (unless
        # it is also the next step's, which the window accepts: one time in
        # a million, and then there is nothing to check)
        if totp(secret, EPOCH0 + 30) != totp(secret, EPOCH0):
            st, _, doc, cookie = signin(srv, "alice", PASS, totp(secret, EPOCH0))
            t.eq((st, doc["error"]["code"], cookie), (401, "unauthorized", None),
                 "the code used to enrol is not usable again")
    finally:
        srv.stop()
    srv.start(now=at(30))
    try:
        st, h, doc, cookie = signin(srv, "alice", PASS, totp(secret, EPOCH0 + 30))
        t.eq(st, 200, f"signed in: {doc}")
        attrs = [a.strip().lower() for a in h["Set-Cookie"].split(";")]
        for a in ("httponly", "secure", "samesite=strict", "path=/"):
            t.ok(a in attrs, f"the cookie is {a}: {h['Set-Cookie']}")
        t.eq((doc["name"], doc["role"]), ("alice", "dpo"), "the account and its role")
        t.ok(cookie not in json.dumps(doc), "the session id is in the cookie alone")
        st, _, out = srv.request("GET", "/v1/me", headers=as_session(cookie))
        t.eq((st, j(out)), (200, {"name": "alice", "role": "dpo", "roles": ROLE_NAMES,
                                  "via": "session", "csrf": doc["csrf"]}),
             "the cookie signs calls in; /v1/me gives a new tab the session's CSRF token")
        if totp(secret, EPOCH0 + 60) != totp(secret, EPOCH0 + 30):  # as above
            st, _, doc2, _ = signin(srv, "alice", PASS, totp(secret, EPOCH0 + 30))
            t.eq(st, 401, "a TOTP code is usable once")
        st, _, doc2, cookie2 = signin(srv, "alice", PASS, codes[0])
        t.eq(st, 200, "a recovery code signs in")
        st, _, _, _ = signin(srv, "alice", PASS, codes[0])
        t.eq(st, 401, "a recovery code is usable once")
        st, _, _, _ = signin(srv, "alice", "wrong passphrase!", codes[1])
        t.eq(st, 401, "a wrong passphrase with a good code is refused")
        st, _, nobody, _ = signin(srv, "nobody", PASS, "123456")
        t.eq((st, nobody), (401, doc_without_account(t, srv)),
             "an unknown account gets the very answer a wrong passphrase gets")
        # a state-changing call with the cookie needs the CSRF token
        body = {"email": "jeanne@example.org"}
        st, _, out = srv.request("POST", "/v1/subjects/search", body=body,
                                 headers=as_session(cookie))
        t.eq((st, j(out)["error"]["code"]), (403, "csrf"), "a cookie without X-CSRF-Token")
        st, _, out = srv.request("POST", "/v1/subjects/search", body=body,
                                 headers=as_session(cookie, "x" * 43))
        t.eq(st, 403, "a cookie with a wrong CSRF token")
        st, _, out = srv.request("POST", "/v1/subjects/search", body=body,
                                 headers=as_session(cookie, doc2["csrf"]))
        t.eq(st, 403, "another session's CSRF token does not fit this one")
        st, _, out = srv.request("POST", "/v1/subjects/search", body=body,
                                 headers=as_session(cookie, doc["csrf"]))
        t.eq(st, 200, f"the session's own CSRF token: {out!r}")
        token = srv.token("sales", "robot")
        st, _, _ = srv.post("/v1/subjects/search", body, token=token)
        t.eq(st, 200, "a bearer token needs no CSRF token")
        # sign out ends this session, not the other
        st, h, _ = srv.request("DELETE", "/v1/session", headers=as_session(cookie))
        t.eq(st, 403, "signing out is a change: it needs the CSRF token too")
        st, h, _ = srv.request("DELETE", "/v1/session", headers=as_session(cookie, doc["csrf"]))
        t.eq(st, 200, "signed out")
        t.ok("Max-Age=0" in h["Set-Cookie"], "the cookie is cleared")
        st, _, _ = srv.request("GET", "/v1/me", headers=as_session(cookie))
        t.eq(st, 401, "the session signed out is over")
        st, _, _ = srv.request("GET", "/v1/me", headers=as_session(cookie2))
        t.eq(st, 200, "the other session goes on")
    finally:
        srv.stop()
    entries = t.json(srv.cli("--json", "audit", "log"))["entries"]
    t.ok(any(e["actor"] == "staff:alice" and e["action"] == "signin" for e in entries),
         "the sign-in is audited under the account")
    t.ok(any(e["actor"] == "staff:alice" and e["action"] == "signout" for e in entries),
         "the sign-out is audited under the account")
    t.ok(not any("robot" in e["actor"] and e["actor"].startswith("staff:") for e in entries),
         "a token's calls stay api:NAME")


def test_a_staff_cookie_on_the_privacy_center_stays_public(t):
    """A staff member's browser carries the session cookie everywhere on the
    site: on the public intake (a route that is staff's when it names itself)
    the cookie without its CSRF token is no identity, and the request is the
    public's, not refused."""
    srv = Server(t).start()
    try:
        _, codes = enrol(t, srv, "alice", role="sales")
        _, _, doc, cookie = signin(srv, "alice", PASS, codes[0])
        body = {"kind": "access", "email": "someone@example.org"}
        st, _, out = srv.request("POST", "/v1/requests", body=body, headers=as_session(cookie))
        t.eq(st, 202, f"the public intake, as for anyone: {out!r}")
        st, _, out = srv.request("POST", "/v1/requests", body=body,
                                 headers=as_session(cookie, doc["csrf"]))
        t.eq(st, 403, "with its CSRF token the session acts as staff: sales may not open one")
    finally:
        srv.stop()


def doc_without_account(t, srv):
    """The answer to a wrong passphrase of an account that exists."""
    st, _, doc, _ = signin(srv, "alice", "not the passphrase", "123456")
    t.eq(st, 401, "a wrong passphrase")
    return doc


def test_ten_failures_lock_the_account_for_15_minutes(t):
    srv = Server(t).start()
    try:
        secret, _ = enrol(t, srv, "alice")
        for i in range(10):
            st, _, _, _ = signin(srv, "alice", f"wrong passphrase {i}", "123456")
            t.eq(st, 401, f"failure {i + 1}")
    finally:
        srv.stop()
    srv.start(now=at(60))
    try:
        st, _, doc, cookie = signin(srv, "alice", PASS, totp(secret, EPOCH0 + 60))
        t.eq((st, cookie), (401, None), "locked: even the right passphrase and code wait")
        t.eq(doc["error"]["code"], "unauthorized", "the same answer as any failure")
        p = srv.cli("--json", "staff", "list", now=at(60))
        t.ok(t.json(p)["staff"][0]["locked_until"], "staff list shows the lock")
    finally:
        srv.stop()
    srv.start(now=at(14 * 60 + 30))
    try:
        st, _, _, _ = signin(srv, "alice", PASS, totp(secret, EPOCH0 + 14 * 60 + 30))
        t.eq(st, 401, "still locked at 14 min 30 s")
    finally:
        srv.stop()
    srv.start(now=at(15 * 60 + 30))
    try:
        st, _, doc, cookie = signin(srv, "alice", PASS, totp(secret, EPOCH0 + 15 * 60 + 30))
        t.eq(st, 200, f"15 minutes later the account opens again: {doc}")
    finally:
        srv.stop()


def test_an_idle_session_ends_after_30_minutes_and_revoke_all_ends_the_others(t):
    srv = Server(t).start()
    try:
        secret, codes = enrol(t, srv, "alice")
        _, _, a, ca = signin(srv, "alice", PASS, codes[0])
        _, _, b, cb = signin(srv, "alice", PASS, codes[1])
        t.ok(ca and cb and ca != cb, "two sessions")
    finally:
        srv.stop()
    srv.start(now=at(29 * 60))
    try:
        st, _, _ = srv.request("GET", "/v1/me", headers=as_session(ca))
        t.eq(st, 200, "29 minutes idle: still signed in (the idle clock restarts)")
    finally:
        srv.stop()
    srv.start(now=at(29 * 60 + 31 * 60))
    try:
        st, _, out = srv.request("GET", "/v1/me", headers=as_session(cb))
        t.eq((st, j(out)["error"]["code"]), (401, "unauthorized"),
             "a session idle 60 minutes is over")
        st, _, _ = srv.request("GET", "/v1/me", headers=as_session(ca))
        t.eq(st, 401, "and one idle 31 minutes too")
        st, _, c, cc = signin(srv, "alice", PASS, codes[2])
        st, _, d, cd = signin(srv, "alice", PASS, codes[3])
        st, _, out = srv.request("POST", "/v1/session/revoke-all",
                                 headers=as_session(cc, c["csrf"]))
        t.eq(st, 200, f"sign out everywhere: {out!r}")
        for cookie in (cc, cd):
            st, _, _ = srv.request("GET", "/v1/me", headers=as_session(cookie))
            t.eq(st, 401, "every session of the account is over")
    finally:
        srv.stop()


def test_an_absolute_session_ends_after_12_hours(t):
    srv = Server(t).start()
    try:
        _, codes = enrol(t, srv, "alice")
        _, _, _, cookie = signin(srv, "alice", PASS, codes[0])
    finally:
        srv.stop()
    # kept busy every 20 minutes, it still ends at 12 hours
    for minutes in range(20, 12 * 60 + 20, 20):
        srv.start(now=at(minutes * 60))
        try:
            st, _, _ = srv.request("GET", "/v1/me", headers=as_session(cookie))
        finally:
            srv.stop()
        if minutes < 12 * 60:
            t.eq(st, 200, f"busy at {minutes} minutes")
        else:
            t.eq(st, 401, f"over at {minutes} minutes")
            break


def test_staff_reset_and_remove_end_sessions_and_void_the_passphrase(t):
    srv = Server(t).start()
    try:
        secret, codes = enrol(t, srv, "alice")
        _, _, _, cookie = signin(srv, "alice", PASS, codes[0])
        p = srv.cli("staff", "reset", "alice")
        t.status(p, 0)
        t.ok("/staff/#enrol=" in p.out, "a new invitation")
        st, _, _ = srv.request("GET", "/v1/me", headers=as_session(cookie))
        t.eq(st, 401, "a reset ends the sessions")
        st, _, _, _ = signin(srv, "alice", PASS, codes[1])
        t.eq(st, 401, "the old passphrase and recovery codes are void")
        secret2, codes2 = enrol(t, srv, "bob", role="sales")
        _, _, _, cookie = signin(srv, "bob", PASS, codes2[0])
        t.status(srv.cli("staff", "remove", "bob"), 0)
        st, _, _ = srv.request("GET", "/v1/me", headers=as_session(cookie))
        t.eq(st, 401, "a removed account's session is over")
        p = srv.cli("staff", "list")
        t.eq([line.split("\t")[:3] for line in p.out.splitlines()],
             [["alice", "dpo", "invited"]], "staff list")
        p = srv.cli("staff", "add", "carol", "nosuchrole", "--email", "c@example.org")
        t.status(p, 1)
        t.contains(p.err, "role 'nosuchrole' is not declared")
    finally:
        srv.stop()


def test_sso_header_is_believed_from_the_auth_proxy_only(t):
    srv = Server(t)
    invite(t, srv, "alice")
    invite(t, srv, "sam", role="sales")
    srv.start("--auth-header", "X-Remote-User", "--auth-proxy", "127.0.0.2",
              "--trusted-proxy", "127.0.0.3")

    def me(source, user, method="GET", path="/v1/me", headers=None):
        c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10,
                                       source_address=(source, 0))
        h = {"X-Remote-User": user, **(headers or {})}
        if method == "POST":
            h["Content-Type"] = "application/json"
        c.request(method, path, headers=h,
                  body=json.dumps({"email": "x@example.org"}) if method == "POST" else None)
        r = c.getresponse()
        out = r.read()
        c.close()
        return r.status, j(out)

    try:
        t.eq(me("127.0.0.2", "sam"), (200, {"name": "sam", "role": "sales", "roles": ROLE_NAMES,
                                                  "via": "proxy"}),
             "the proxy's header names the account, its role from the account")
        st, doc = me("127.0.0.2", "sam", "POST", "/v1/subjects/search")
        t.eq((st, doc["error"]["code"]), (403, "csrf"),
             "a change through the proxy without a header a cross-site form cannot send")
        st, doc = me("127.0.0.2", "sam", "POST", "/v1/subjects/search", {"X-CSRF-Token": "1"})
        t.eq((st, doc), (200, {"subjects": []}), "with it, the change is the account's")
        t.eq(me("127.0.0.2", "mallory")[0], 401, "a name that is no account")
        t.eq(me("127.0.0.1", "alice")[0], 401, "the header from another address is ignored")
        t.eq(me("127.0.0.3", "alice")[0], 401,
             "a proxy trusted for client addresses is not trusted for identity")
    finally:
        srv.stop()
    p = srv.cli("serve", "--auth-header", "X-Remote-User")
    t.status(p, 2)
    t.contains(p.err, "--auth-proxy")


def test_token_list_and_the_tokens_page(t):
    srv = Server(t).start()
    try:
        token = srv.token("sales", "robot", "--expires", "30d")
        st, _, _ = srv.get("/v1/me", token=token)
        t.eq(st, 200, "the token is used")
        _, codes = enrol(t, srv, "alice")
        _, _, doc, cookie = signin(srv, "alice", PASS, codes[0])
        h = as_session(cookie, doc["csrf"])
        st, _, out = srv.request("GET", "/v1/tokens", headers=as_session(cookie))
        t.eq(st, 200, "the dpo lists the tokens")
        listed = {x["name"]: x for x in j(out)["tokens"]}
        t.eq(listed["robot"]["last_used"], T0, "last used, to the minute")
        t.ok(token not in out.decode() and "hash" not in listed["robot"], "never the secret")
        st, _, out = srv.request("POST", "/v1/tokens", body={"name": "ci", "role": "sales",
                                                              "expires_days": 90}, headers=h)
        t.eq(st, 201, f"a token made on the page: {out!r}")
        made = j(out)["token"]
        st, _, out = srv.request("POST", "/v1/tokens", body={"name": "ci2", "role": "sale"},
                                 headers=h)
        err = j(out)["error"]
        t.eq((st, err["code"], err["field"]), (422, "invalid", "role"),
             "a role the declaration does not declare is refused, naming the field")
        t.contains(err["message"], "role 'sale' is not declared (roles: dpo, sales, training, "
                   "hr, it)")
        st, _, out = srv.request("GET", "/v1/tokens", headers=as_session(cookie))
        t.ok("ci2" not in {x["name"] for x in j(out)["tokens"]}, "and no token is made")
        st, _, _ = srv.get("/v1/me", token=made)
        t.eq(st, 200, "the new token works")
        st, _, _ = srv.request("DELETE", "/v1/tokens/ci", headers=h)
        t.eq(st, 200, "revoked on the page")
        st, _, _ = srv.get("/v1/me", token=made)
        t.eq(st, 401, "the revoked token no longer works")
        st, _, _ = srv.get("/v1/tokens", token=token)
        t.eq(st, 403, "the tokens page is the dpo's")
    finally:
        srv.stop()
    entries = t.json(srv.cli("--json", "audit", "log"))["entries"]
    t.ok(any(e["actor"] == "staff:alice" and e["action"] == "token-create" for e in entries),
         "a token made in a session is audited under the account")
    p = srv.cli("token", "list")
    t.status(p, 0)
    rows = {line.split("\t")[0]: line.split("\t") for line in p.out.splitlines()[1:]}
    t.eq(rows["robot"][1:3], ["sales", "all"], "name, role, scope")
    t.eq(rows["robot"][5], T0, "last used")
    t.eq(rows["ci"][6], "revoked", "a revoked token says so")
    t.ok(token not in p.out and made not in p.out, "never the secret")


def test_access_matrix_with_sessions(t):
    """Every staff route, called with a session cookie: an expired session is
    401, a made-up one 401, a change without the CSRF token 403, a role that
    may not 403, the right role with its CSRF token 2xx."""
    from storelib import store_exec, store_value
    from test_server import STAFF_ROUTES

    srv = Server(t)
    accounts = {}
    for name, role in (("alice", "dpo"), ("sam", "sales"), ("hank", "hr")):
        srv.start()
        try:
            accounts[name] = enrol(t, srv, name, role)[1]
        finally:
            srv.stop()
    p = srv.cli("--json", "collect", "quote", "last_name=Martin", "first_name=Jeanne",
                "email=jeanne@example.org")
    subject, record = t.json(p)["subject"], t.json(p)["record"]
    opened = t.json(srv.cli("--json", "request", "open", "access", "--subject", subject))
    req, ref = opened["request"], opened["reference"]
    hold = t.json(srv.cli("--json", "hold", subject, "--reason", "a dispute"))["hold"]
    erasure = t.json(srv.cli("--json", "request", "open", "erasure", "--subject",
                             subject))["request"]
    # an erasure closed (of an address nothing is held of): its certificate
    closed = t.json(srv.cli("--json", "request", "open", "erasure", "--email",
                            "nobody.session@example.org"))["request"]
    t.status(srv.cli("request", "close", closed), 0)
    breach = t.json(srv.cli("--json", "breach", "open", "--aware", "2026-03-02",
                            "--summary", "x"))["breach"]
    store_exec(t, "INSERT INTO outbox (id, kind, created_at, message_id, status, attempts, "
                  "last_error) VALUES ((SELECT coalesce(max(id), 0) + 1 FROM outbox), "
                  "'renewal', 0, 'm-failed', 'failed', 8, 'smtp-550')")
    failed = str(store_value(t, "SELECT id FROM outbox WHERE message_id = 'm-failed'"))
    srv.token("sales", "spare")
    srv.start()
    try:
        _, _, old, old_cookie = signin(srv, "sam", PASS, accounts["sam"][9])
    finally:
        srv.stop()
    srv.start(now=at(3 * 86400))  # as test_server's matrix: the breach's awareness is past
    try:
        sessions = {}
        for name in accounts:
            st, _, doc, cookie = signin(srv, name, PASS, accounts[name][0])
            t.eq(st, 200, f"{name} signs in")
            sessions[name] = (cookie, doc["csrf"])
        made_up = ("A" * 43, "B" * 43)
        for method, tmpl, body, who in STAFF_ROUTES:
            path = (tmpl.replace("{s}", subject).replace("{q}", req).replace("{r}", record)
                    .replace("{b}", breach).replace("{o}", failed).replace("{f}", ref)
                    .replace("{e}", erasure).replace("{k}", "spare").replace("{c}", closed)
                    .replace("{rc}", "k" + "A" * 22).replace("{h}", hold))
            what = f"{method} {tmpl}"
            changes = method not in ("GET", "HEAD")
            for cookie, csrf in ((old_cookie, old["csrf"]), made_up):
                st, _, out = srv.request(method, path, body=body,
                                         headers=as_session(cookie, csrf))
                t.eq((st, j(out)["error"]["code"]), (401, "unauthorized"),
                     f"{what} with an expired or made-up session")
            if who == "calendar":
                # the feed's token is in its URL, and only a calendar token:
                # a signed-in session is no identity there
                st, _, out = srv.request(method, path, headers=as_session(*sessions["alice"]))
                t.eq((st, j(out)["error"]["code"]), (401, "unauthorized"),
                     f"{what} with the dpo's session")
                continue
            if who == "dpo-missing":
                # a dpo route of something the vault does not hold: sales is
                # refused, the dpo's session gets as far as the 404
                st, _, _ = srv.request(method, path, headers=as_session(*sessions["sam"]))
                t.eq(st, 403, f"{what} by a sales session")
                st, _, out = srv.request(method, path, headers=as_session(*sessions["alice"]))
                t.eq((st, j(out)["error"]["code"]), (404, "not_found"),
                     f"{what} by the dpo's session")
                continue
            right = "alice" if who in ("dpo", "dpo-open") else "sam"
            if changes and who == "dpo-open":
                # the public intake: a cookie without its CSRF token is no identity
                st, _, out = srv.request(method, path, body=body,
                                         headers=as_session(sessions[right][0]))
                t.eq(st, 202, f"{what} with the cookie and no X-CSRF-Token is the public's")
            elif changes:
                st, _, out = srv.request(method, path, body=body,
                                         headers=as_session(sessions[right][0]))
                t.eq((st, j(out)["error"]["code"]), (403, "csrf"),
                     f"{what} with the cookie and no X-CSRF-Token")
            if who in ("dpo", "dpo-open"):
                st, _, _ = srv.request(method, path, body=body,
                                       headers=as_session(*sessions["sam"]))
                t.eq(st, 403, f"{what} by a sales session")
            elif "{s}" in tmpl:
                st, _, _ = srv.request(method, path, body=body,
                                       headers=as_session(*sessions["hank"]))
                t.eq(st, 404, f"{what} by a role outside the activity")
            if who == "session":
                continue  # ends the session: below
            st, _, out = srv.request(method, path, body=body,
                                     headers=as_session(*sessions[right]))
            t.ok(200 <= st < 300, f"{what} by the right role's session: {st} {out[:200]!r}")
            if tmpl == "/v1/me":
                t.eq(j(out), {"name": "sam", "role": "sales", "roles": ROLE_NAMES, "via": "session",
                              "csrf": sessions["sam"][1]}, what)
        st, _, _ = srv.request("DELETE", "/v1/session", headers=as_session(*sessions["hank"]))
        t.eq(st, 200, "DELETE /v1/session by its session")
        st, _, _ = srv.request("POST", "/v1/session/revoke-all",
                               headers=as_session(*sessions["sam"]))
        t.eq(st, 200, "POST /v1/session/revoke-all by its session")
        for name in ("hank", "sam"):
            st, _, _ = srv.request("GET", "/v1/me", headers=as_session(*sessions[name]))
            t.eq(st, 401, f"{name}'s session is over")
    finally:
        srv.stop()
    entries = t.json(srv.cli("--json", "audit", "log"))["entries"]
    t.ok(any(e["actor"] == "staff:sam" and e["action"] == "show" for e in entries),
         "reads in a session are audited with the account")


def test_the_invitation_reaches_the_relay_and_its_link_enrols(t):
    """With a relay, `staff add` prints no link: the invitation goes by email
    (the outbox's staff-invitation, in the declaration's first language), and
    the link it carries opens the enrolment."""
    import os
    import sys

    sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                    "lib"))
    from peers import Smtpd
    from test_delivery import wait_for

    srv = Server(t)
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        p = srv.cli("staff", "add", "alice", "dpo", "--email", "alice@example.org",
                    "--smtp", smtp.url)
        t.status(p, 0)
        t.ok("enrol=" not in p.out + p.err, f"no link printed with a relay: {p.out!r}")
        t.contains(p.out, "queued")
        srv.start("--smtp", smtp.url, "--public-url", "https://vault.example.org")
        try:
            msg, env, _ = wait_for(smtp.messages, "the invitation's email")[0]
            t.eq(env["rcpt_tos"], ["alice@example.org"], "to the account's address")
            body = msg.get_body(preferencelist=("plain",)).get_content()
            t.contains(body, "alice")
            m = re.search(r"https://vault\.example\.org/staff/#enrol=([A-Za-z0-9_-]+)", body)
            t.ok(m, f"the link to the enrolment screen: {body!r}")
            t.contains(str(msg["Subject"]), "Votre compte")
            st, _, out = srv.post("/v1/enrol", {"invitation": m.group(1)})
            t.eq((st, j(out)["name"]), (200, "alice"), "the emailed link opens the enrolment")
        finally:
            srv.stop()
    kinds = [(x["kind"], x["status"]) for x in
             t.json(srv.cli("--json", "outbox", "list"))["messages"]]
    t.ok(("staff-invitation", "sent") in kinds, f"the outbox recorded it sent: {kinds}")
