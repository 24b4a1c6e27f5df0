"""The server: `pdvault serve` on a real port, driven over real HTTP. Access
control, bad input, the public intake, durability under kill -9, and the
proof that no 201 leaves before its commit is synced."""
import base64
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import threading
import time

from storelib import store_bytes, store_count, store_exec, store_query, store_value

DECL = "examples/alegria-corrected.yaml"
T0 = "2026-03-02T10:00:00Z"
# the roles DECL declares, by their names: GET /v1/me gives them to the pages
ROLE_NAMES = {"sales": {"fr": "Équipe commerciale", "en": "Sales team"},
              "training": {"fr": "Équipe formation", "en": "Training team"},
              "hr": {"fr": "Recrutement", "en": "Recruitment team"},
              "it": {"fr": "Équipe technique", "en": "IT team"}}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """A vault in the test's folder and a server on it."""

    def __init__(self, t, now=T0, args=(), env=None):
        self.t = t
        self.env = {"PDVAULT_CONFIG": t.path(DECL), "PDVAULT_NOW": now}
        self.env.update(env or {})
        self.proc = None
        self.log = os.path.join(t.tmp, "access.log")
        if not os.path.exists(os.path.join(t.tmp, "pdvault.key")):
            t.status(self.cli("init"), 0)

    def cli(self, *args, now=None):
        e = dict(self.env)
        if now:
            e["PDVAULT_NOW"] = now
        return self.t.run(*args, env=e)

    def token(self, role, name, *extra):
        p = self.cli("--json", "token", "create", role, "--name", name, *extra)
        self.t.status(p, 0)
        return self.t.json(p)["token"]

    def start(self, *args, env=None, now=None):
        self.port = free_port()
        e = self.t.child_env(self.env)
        if now:
            e["PDVAULT_NOW"] = now
        e.update(env or {})
        self.proc = subprocess.Popen(
            [self.t.pdvault, "serve", "--listen", f"127.0.0.1:{self.port}", "--test-clock",
             "--access-log", self.log, *args],
            cwd=self.t.tmp, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(200):
            try:
                if self.get("/healthz")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.02)
        self.stop()
        raise AssertionError("the server did not come up")

    def request(self, method, path, body=None, token=None, headers=None, raw=None):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        h = dict(headers or {})
        if token:
            h["Authorization"] = f"Bearer {token}"
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None
                                            else None)
        if data is not None:
            h.setdefault("Content-Type", "application/json")
        c.request(method, path, body=data, headers=h)
        r = c.getresponse()
        out = r.read()
        c.close()
        return r.status, dict(r.getheaders()), out

    def get(self, path, token=None):
        return self.request("GET", path, token=token)

    def post(self, path, body, token=None):
        return self.request("POST", path, body=body, token=token)

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        out, err = self.proc.communicate() if self.proc else (b"", b"")
        err = err.decode("utf-8", "replace")
        # under ASan+UBSan, a report on the server's stderr fails the test
        for mark in ("Sanitizer", "runtime error:"):
            if mark in err:
                raise AssertionError(f"the server reported: {err[-3000:]}")
        return self.proc.returncode if self.proc else None, err


def j(out):
    return json.loads(out)


def forged(token):
    """The token with one character of its middle changed: still well formed,
    and never the token itself (a blind rewrite of its end is the token one
    time in a few hundred)."""
    i = len(token) * 2 // 3
    return token[:i] + ("B" if token[i] != "B" else "C") + token[i + 1:]


def submit(srv, email, activity="quote", consent=None):
    body = {"fields": {"last_name": "Martin", "first_name": "Jeanne", "email": email}}
    if activity == "contact":
        body["fields"]["message"] = "Bonjour"
    if activity == "newsletter":
        body = {"fields": {"email": email}}
    if consent is not None:
        body["consent"] = consent
    return srv.post(f"/v1/activities/{activity}/submissions", body)


def record_in_store(t, record):
    # an id is the row's random tag and a keyed permutation of its row id:
    # the tag alone names the row (64 random bits)
    raw = base64.urlsafe_b64decode(record[1:] + "==")
    return store_value(t, "SELECT count(*) FROM records WHERE tag = ?", raw[:8]) == 1


def records_not_in_store(t, records):
    """The records of `records` whose row is not in the store: every tag read
    in one query (one psql a record made a thousand checks take minutes)."""
    stored = {bytes(r[0]) for r in store_query(t, "SELECT tag FROM records")}
    return [r for r in records
            if base64.urlsafe_b64decode(r[1:] + "==")[:8] not in stored]


def records_count(t):
    return store_count(t, "records")


def test_serve_refuses_the_test_clock_without_the_flag(t):
    srv = Server(t)
    p = srv.cli("serve", "--listen", f"127.0.0.1:{free_port()}")
    t.status(p, 2)
    t.contains(p.err, "--test-clock")


def test_submission_answers_the_record_only_and_is_stored(t):
    srv = Server(t).start()
    try:
        st, h, out = submit(srv, "jeanne@example.org")
        t.eq(st, 201, "submission")
        doc = j(out)
        t.eq(list(doc), ["record"], "only the record id, never the subject")
        t.ok(doc["record"].startswith("r"), "an opaque record id")
        t.ok(record_in_store(t, doc["record"]), "the record is in the store")
        st, _, out = srv.post("/v1/activities/quote/submissions",
                              {"fields": {"last_name": "M", "email": "x@example.org"}})
        t.eq(st, 422, "a required field missing")
        t.eq(j(out)["error"]["field"], "first_name", "the field is named")
        st, _, out = srv.post("/v1/activities/contact/submissions",
                              {"fields": {"email": "c@example.org", "message": "m",
                                          "last_name": "C", "first_name": "D"}})
        t.eq((st, j(out)["error"]["field"]), (422, "consent"), "consent activity without it")
        st, _, out = srv.post("/v1/activities/nope/submissions", {"fields": {}})
        t.eq(st, 404, "unknown activity")
        st, _, out = srv.post("/v1/activities/quote/submissions",
                              {"fields": {"last_name": 3, "first_name": "J",
                                          "email": "y@example.org"}})
        t.eq((st, j(out)["error"]["field"]), (422, "last_name"), "a non-string value")
    finally:
        srv.stop()
    log = open(srv.log).read()
    t.lacks(log, "jeanne@example.org", "access log")
    t.contains(log, "POST /v1/activities/{}/submissions 201", "access log")


def test_a_suppressed_person_gets_201_and_nothing_is_stored(t):
    """No oracle on the suppression list: a person who objected gets the same
    answer as anyone, a record id of the same make, and nothing is stored."""
    srv = Server(t)
    p = srv.cli("--json", "collect", "newsletter", "--consent", "email=obj@example.org")
    t.status(p, 0)
    t.status(srv.cli("object", t.json(p)["subject"]), 0)
    p = srv.cli("--json", "collect", "ai-challenge-offers", "--consent", "phone=+33612345678")
    t.status(p, 0)
    t.status(srv.cli("object", t.json(p)["subject"]), 0)
    before = records_count(t)
    srv.start()
    try:
        st, _, out = submit(srv, "obj@example.org", "quote")
        t.eq(st, 201, "a contract activity is not marketing: not suppressed")
        # consent-based marketing without double opt-in: anyone may try a phone number
        answers = []
        for phone in ("+33612345678", "+33698765432"):
            st, _, out = srv.post("/v1/activities/ai-challenge-offers/submissions",
                                  {"fields": {"phone": phone}, "consent": True})
            answers.append((st, sorted(j(out))))
            t.ok(j(out)["record"].startswith("r") and len(j(out)["record"]) == 23,
                 f"a record id of the usual make: {j(out)['record']!r}")
        t.eq(answers[0], answers[1], "the person who objected and a new one get the same answer")
        t.eq(answers[0], (201, ["record"]), "201 {record}")
        decoy = j(srv.post("/v1/activities/ai-challenge-offers/submissions",
                           {"fields": {"phone": "+33612345678"}, "consent": True})[2])["record"]
        real = j(srv.post("/v1/activities/ai-challenge-offers/submissions",
                          {"fields": {"phone": "+33611111111"}, "consent": True})[2])["record"]
        t.ok(decoy != real, "a decoy's id is never given to a real record")
        st, _, out = submit(srv, "obj@example.org", "newsletter", consent=True)
        t.eq(st, 202, "the newsletter waits for its confirmation")
        st, _, out = srv.post("/v1/verify", {"confirmation": j(out)["confirmation"],
                                             "code": code_of(t, srv, j(out)["confirmation"])})
        t.eq((st, sorted(j(out))), (201, ["record"]), "suppressed at the confirmation: 201 too")
    finally:
        srv.stop()
    t.eq(records_count(t), before + 3, "nothing stored but the quote and the two new people")
    t.ok(not record_in_store(t, decoy), "the decoy is not in the store")
    t.ok(record_in_store(t, real), "the real one is")
    entries = t.json(srv.cli("--json", "audit", "log"))["entries"]
    t.eq(sum(e["action"] == "collect-suppressed" for e in entries), 3,
         "each refusal is audited (no subject named)")


def code_of(t, srv, vid, to=None):
    """The code sent for check vid, read from the outbox with the CLI."""
    msgs = t.json(srv.cli("--json", "outbox", "list"))["messages"]
    m = [m for m in msgs if m["recipient"] == vid]
    t.eq(len(m), 1, "one message for the check")
    shown = t.json(srv.cli("--json", "outbox", "show", str(m[0]["id"])))
    if to:
        t.eq(shown["to"], to, "sent to the address given")
    return shown["code"]


def double_opt_in(t, srv, email):
    st, _, out = submit(srv, email, "newsletter", consent=True)
    t.eq(st, 202, "a double opt-in waits for its confirmation")
    cid = j(out)["confirmation"]
    t.eq(records_count(t), 0, "nothing collected before the confirmation")
    st, _, out = srv.post("/v1/verify", {"confirmation": cid, "code": code_of(t, srv, cid, email)})
    t.eq(st, 201, "confirmed")
    return j(out)["record"]


STAFF_ROUTES = [
    # (method, path template, body, who may: "staff" or "dpo")
    ("GET", "/v1/subjects?email=jeanne@example.org", None, "staff"),
    ("POST", "/v1/subjects/search", {"email": "jeanne@example.org"}, "staff"),
    ("GET", "/v1/subjects?reference={f}", None, "staff"),
    ("GET", "/v1/subjects/{s}", None, "staff"),
    ("GET", "/v1/subjects/{s}?lang=fr", None, "staff"),
    ("POST", "/v1/subjects/{s}/events", {"event": "contact"}, "staff"),
    ("GET", "/v1/subjects/{s}/export?format=json", None, "staff"),
    ("GET", "/v1/records/{r}/unsubscribe-link", None, "staff"),
    ("GET", "/v1/requests?status=open", None, "staff"),
    ("GET", "/v1/requests?kind=access&due_within=60&sort=-received", None, "staff"),
    ("GET", "/v1/requests/{q}", None, "staff"),
    ("GET", "/v1/register?format=json", None, "staff"),
    ("GET", "/v1/dashboard", None, "staff"),
    ("GET", "/v1/me", None, "staff"),
    ("GET", "/v1/lint", None, "staff"),
    ("GET", "/metrics", None, "dpo"),
    ("GET", "/v1/dossier?from=2026-01-01&to=2026-12-31", None, "dpo"),
    ("POST", "/v1/requests", {"kind": "access", "email": "jeanne@example.org"}, "dpo-open"),
    ("POST", "/v1/requests/{q}/extend", {"reason": "many records to gather"}, "dpo"),
    ("POST", "/v1/requests/{q}/notes", {"text": "called back"}, "dpo"),
    ("GET", "/v1/requests/{e}/preview", None, "dpo"),
    ("GET", "/v1/requests/{q}/export?format=json", None, "dpo"),
    ("GET", "/v1/requests/{c}/certificate", None, "dpo"),
    ("POST", "/v1/requests/{q}/close", {}, "dpo"),
    ("POST", "/v1/breaches", {"aware_at": "2026-03-04T09:00:00Z", "summary": "lost laptop"},
     "dpo"),
    ("GET", "/v1/breaches", None, "dpo"),
    ("GET", "/v1/breaches/{b}", None, "dpo"),
    ("POST", "/v1/breaches/{b}/assess", {"risk": "risk", "reason": "names and emails"}, "dpo"),
    ("POST", "/v1/breaches/{b}/describe", {"measures": "passwords reset"}, "dpo"),
    ("POST", "/v1/breaches/{b}/notify", {"who": "authority", "reason": "found late"}, "dpo"),
    # a person's page: holds ({h}: one placed before), restriction, objection, rectification
    ("GET", "/v1/subjects/{s}/holds", None, "dpo"),
    ("POST", "/v1/subjects/{s}/holds", {"reason": "a dispute"}, "dpo"),
    ("DELETE", "/v1/holds/{h}", None, "dpo"),
    ("POST", "/v1/subjects/{s}/restriction", {"restricted": False}, "dpo"),
    ("POST", "/v1/subjects/{s}/objection", {}, "dpo"),
    # a role corrects the records it works with (docs/server.md)
    ("POST", "/v1/subjects/{s}/records/{r}/rectification", {"fields": {"first_name": "Jeanne"}},
     "staff"),
    ("DELETE", "/v1/subjects/{s}", None, "dpo"),
    ("GET", "/v1/outbox", None, "dpo"),
    ("GET", "/v1/outbox?status=failed", None, "dpo"),
    ("POST", "/v1/outbox/{o}/retry", None, "dpo"),
    ("GET", "/v1/tokens", None, "dpo"),
    ("POST", "/v1/tokens", {"name": "ci", "role": "sales"}, "dpo"),
    ("DELETE", "/v1/tokens/{k}", None, "dpo"),
    # a signed-in session's own: with a token there is no session to end
    ("DELETE", "/v1/session", None, "session"),
    ("POST", "/v1/session/revoke-all", None, "session"),
    # its token is in the URL, and its own: test_calendar.py checks who may read it
    ("GET", "/v1/calendar.ics", None, "calendar"),
    # alegria declares no tracker: no receipt to read, and the dpo alone gets
    # as far as that 404 (tests/http/test_cookies.py reads real ones)
    ("GET", "/v1/cookies/receipts/{rc}", None, "dpo-missing"),
]


def test_access_matrix_of_every_staff_route(t):
    srv = Server(t)
    tokens = {
        "dpo": srv.token("dpo", "alice"),
        "sales": srv.token("sales", "sam"),
        "hr": srv.token("hr", "hank"),
        "expired": srv.token("sales", "old", "--expires", "1d"),
        "revoked": srv.token("sales", "gone"),
    }
    t.status(srv.cli("token", "revoke", "gone"), 0)
    srv.token("sales", "spare")
    p = srv.cli("--json", "collect", "quote", "last_name=Martin", "first_name=Jeanne",
                "email=jeanne@example.org")
    t.status(p, 0)
    subject, record = t.json(p)["subject"], t.json(p)["record"]
    p = srv.cli("--json", "request", "open", "access", "--subject", subject)
    t.status(p, 0)
    req, ref = t.json(p)["request"], t.json(p)["reference"]
    p = srv.cli("--json", "hold", subject, "--reason", "a dispute")
    t.status(p, 0)
    hold = t.json(p)["hold"]
    p = srv.cli("--json", "request", "open", "erasure", "--subject", subject)
    t.status(p, 0)
    erasure = t.json(p)["request"]
    # an erasure closed (of an address nothing is held of): its certificate
    p = srv.cli("--json", "request", "open", "erasure", "--email", "gone@example.org")
    t.status(p, 0)
    closed = t.json(p)["request"]
    t.status(srv.cli("request", "close", closed), 0)
    p = srv.cli("--json", "breach", "open", "--aware", "2026-03-02", "--summary", "x")
    t.status(p, 0)
    breach = t.json(p)["breach"]
    # a message that failed (its payload long gone), for the retry route
    store_exec(t, "INSERT INTO outbox (id, kind, created_at, message_id, status, attempts, "
                  "last_error) VALUES ((SELECT coalesce(max(id), 0) + 1 FROM outbox), "
                  "'renewal', 0, 'm-failed', 'failed', 8, 'smtp-550')")
    failed = str(store_value(t, "SELECT id FROM outbox WHERE message_id = 'm-failed'"))
    srv.start(now="2026-03-05T10:00:00Z")  # three days on: the 1d token has expired
    try:
        for method, tmpl, body, who in STAFF_ROUTES:
            path = (tmpl.replace("{s}", subject).replace("{q}", req).replace("{r}", record)
                    .replace("{b}", breach).replace("{o}", failed).replace("{f}", ref)
                    .replace("{e}", erasure).replace("{k}", "spare").replace("{c}", closed)
                    .replace("{rc}", "k" + "A" * 22).replace("{h}", hold))
            what = f"{method} {tmpl}"
            if who == "calendar":
                continue
            # without a token, POST /v1/requests is the public intake
            for bad in ((None,) if who != "dpo-open" else ()) + (
                    "pdv_" + "x" * 43, tokens["expired"], tokens["revoked"]):
                st, _, out = srv.request(method, path, body=body, token=bad)
                t.eq(st, 401, f"{what} with a missing, bad, expired or revoked token")
                t.eq(j(out)["error"]["code"], "unauthorized", what)
            if who == "session":
                st, _, out = srv.request(method, path, body=body, token=tokens["sales"])
                t.eq((st, j(out)["error"]["code"]), (400, "no_session"), f"{what} by a token")
                continue
            if who == "dpo-open":
                st, _, _ = srv.request(method, path, body=body, token=tokens["sales"])
                t.eq(st, 403, f"{what} by sales")
                st, _, out = srv.request(method, path, body=body, token=tokens["dpo"])
                t.eq(st, 201, f"{what} by the dpo")
                continue
            if who == "dpo-missing":
                st, _, _ = srv.request(method, path, body=body, token=tokens["sales"])
                t.eq(st, 403, f"{what} by sales")
                st, _, out = srv.request(method, path, body=body, token=tokens["dpo"])
                t.eq((st, j(out)["error"]["field"]), (404, "receipt"), f"{what} by the dpo")
                continue
            if who == "dpo":
                st, _, _ = srv.request(method, path, body=body, token=tokens["sales"])
                t.eq(st, 403, f"{what} by sales")
            elif "{s}" in tmpl:
                # hr is outside the quote activity: the subject is absent to it
                st, _, _ = srv.request(method, path, body=body, token=tokens["hr"])
                t.eq(st, 404, f"{what} by a role outside the activity")
            elif "subjects" in tmpl:
                st, _, out = srv.request(method, path, body=body, token=tokens["hr"])
                t.eq((st, j(out)), (200, {"subjects": []}), f"{what} by hr finds nobody")
            right = tokens["dpo"] if who == "dpo" else tokens["sales"]
            st, _, out = srv.request(method, path, body=body, token=right)
            t.ok(200 <= st < 300, f"{what} by the right role: {st} {out[:200]!r}")
            if tmpl.startswith("/v1/subjects?") or tmpl == "/v1/subjects/search":
                t.eq(j(out)["subjects"], [subject], f"{what} finds the subject")
            if method == "GET" and tmpl == "/v1/subjects/{s}":
                doc = j(out)
                t.eq(doc["records"][0]["fields"]["email"], "jeanne@example.org", what)
            if tmpl == "/v1/me":
                t.eq(j(out), {"name": "sam", "role": "sales", "roles": ROLE_NAMES}, what)
    finally:
        srv.stop()
    entries = t.json(srv.cli("--json", "audit", "log"))["entries"]
    t.ok(any(e["actor"] == "api:sam" and e["action"] == "show" for e in entries),
         "reads through the API are audited with the named person")
    p = srv.cli("--json", "audit", "verify")
    t.status(p, 0)


def test_bad_requests_leave_the_server_serving_and_nothing_half_stored(t):
    srv = Server(t).start("--body-limit", "2048", "--timeout", "1")
    try:
        before = records_count(t)
        st, _, out = srv.request("POST", "/v1/activities/quote/submissions",
                                 raw=b'{"fields": {"email": "half@example.org"')
        t.eq(st, 400, "malformed JSON")
        t.lacks(out.decode(), "half@example.org", "the error")
        st, _, _ = srv.request("POST", "/v1/activities/quote/submissions", raw=b"[1, 2]")
        t.eq(st, 400, "not an object")
        big = {"fields": {"last_name": "x" * 5000, "first_name": "J", "email": "b@example.org"}}
        st, _, _ = srv.post("/v1/activities/quote/submissions", big)
        t.eq(st, 413, "a body over the limit")
        # the same without Content-Length: chunked
        c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
        c.request("POST", "/v1/activities/quote/submissions",
                  body=iter([json.dumps(big).encode()]),
                  headers={"Content-Type": "application/json"}, encode_chunked=True)
        t.eq(c.getresponse().status, 413, "a chunked body over the limit")
        c.close()
        st, _, _ = srv.get("/v1/nothing-here")
        t.eq(st, 404, "unknown route")
        st, h, _ = srv.request("PUT", "/v1/requests", body={})
        t.eq(st, 405, "wrong method")
        t.contains(h.get("Allow", ""), "POST", "Allow")
        # a half-sent request: the connection times out
        s = socket.create_connection(("127.0.0.1", srv.port))
        s.sendall(b"POST /v1/activities/quote/submissions HTTP/1.1\r\nHost: x\r\n"
                  b"Content-Type: application/json\r\nContent-Length: 200\r\n\r\n"
                  b'{"fields": {"last_name": "Slow"')
        s.settimeout(5)
        t0 = time.monotonic()
        try:
            got = s.recv(100)
        except socket.timeout:
            got = None
        t.ok(got is not None and time.monotonic() - t0 < 4.5,
             "a half-sent request is closed after the timeout")
        s.close()
        # a slow request line
        s = socket.create_connection(("127.0.0.1", srv.port))
        s.sendall(b"GET /healthz HT")
        s.settimeout(5)
        try:
            got = s.recv(100)
        except socket.timeout:
            got = None
        t.ok(got is not None, "a slow request line is closed after the timeout")
        s.close()
        st, _, _ = srv.get("/healthz")
        t.eq(st, 200, "still serving")
        t.eq(records_count(t), before, "nothing of the bad requests was stored")
        st, _, _ = submit(srv, "after@example.org")
        t.eq(st, 201, "a good submission after them")
    finally:
        rc, err = srv.stop()
    t.eq(rc, 0, "SIGTERM exits 0")
    t.contains(err, "stopped", "stderr")


def test_public_intake_opens_a_request_only_with_the_code(t):
    srv = Server(t)
    p = srv.cli("--json", "collect", "contact", "--consent", "email=ana@example.org",
                "message=hello", "last_name=A", "first_name=B")
    t.status(p, 0)
    srv.start()

    def code_for(vid):
        msgs = t.json(srv.cli("--json", "outbox", "list"))["messages"]
        m = [m for m in msgs if m["kind"] == "verification" and m["recipient"] == vid]
        t.eq(len(m), 1, "one code message for the check")
        shown = t.json(srv.cli("--json", "outbox", "show", str(m[0]["id"])))
        t.eq(shown["to"], "ana@example.org", "sent to the address given")
        return shown["code"]

    try:
        st, _, out = srv.post("/v1/requests", {"kind": "access", "email": "Ana@Example.org"})
        t.eq(st, 202, "a check starts")
        vid = j(out)["verification"]
        t.eq(j(srv.get("/v1/requests", token=srv.token("dpo", "d"))[2])["requests"], [],
             "no request opens before the code")
        code = code_for(vid)
        wrong = "000000" if code != "000000" else "111111"
        st, _, out = srv.post("/v1/verify", {"verification": vid, "code": wrong})
        t.eq((st, j(out)["error"]["code"]), (422, "wrong_code"), "a wrong code")
        st, _, out = srv.post("/v1/verify", {"verification": vid, "code": code})
        t.eq(st, 201, "the right code opens the request")
        doc = j(out)
        t.eq((doc["kind"], doc["received"], doc["due"]), ("access", "2026-03-02", "2026-04-02"),
             "received today, due in a month")
        t.ok("subject" not in doc, "the person is not told their id")
        st, _, out = srv.post("/v1/verify", {"verification": vid, "code": code})
        t.eq((st, j(out)["error"]["code"]), (422, "expired"), "a code is used once")
        # consents: check, list, withdraw
        st, _, out = srv.post("/v1/requests", {"kind": "consents", "email": "ana@example.org"})
        vid = j(out)["verification"]
        st, _, out = srv.post("/v1/verify", {"verification": vid, "code": code_for(vid)})
        t.eq(st, 200, "a consent session")
        session = j(out)["session"]
        st, _, out = srv.post("/v1/consents", {"session": session, "lang": "en"})
        t.eq([(c["activity"], c["state"]) for c in j(out)["consents"]],
             [("contact", "granted")], "the consent given")
        st, _, out = srv.post("/v1/consents/contact/withdraw", {"session": session})
        t.eq((st, j(out)["state"]), (200, "withdrawn"), "withdrawn")
        told = sorted(m["recipient"] for m in t.json(srv.cli("--json", "outbox", "list"))
                      ["messages"] if m["kind"] == "erasure")
        t.eq(told, ["airtable", "webflow"],
             "the withdrawal's erasure told to each recipient of the contact (Art. 19)")
        st, _, out = srv.post("/v1/consents", {"session": forged(session)})
        t.eq(st, 401, "a forged session")
    finally:
        srv.stop()
    t.lacks(open(srv.log).read(), "ana@example.org", "access log")
    db = store_bytes(t)
    t.lacks(db.decode("latin-1"), "ana@example.org", "the store")


def test_an_id_issued_before_the_permutation_resolves_over_http(t):
    # ids carry a keyed permutation of the row id; one spelt as before (tag,
    # then the row id itself) still names its subject and record
    srv = Server(t)
    dpo = srv.token("dpo", "alice")
    p = srv.cli("--json", "collect", "quote", "last_name=Martin", "first_name=Jeanne",
                "email=old@example.org")
    t.status(p, 0)
    sid, rid = t.json(p)["subject"], t.json(p)["record"]
    old = {}
    for kind, table, id_ in (("s", "subjects", sid), ("r", "records", rid)):
        tag = base64.urlsafe_b64decode(id_[1:] + "==")[:8]
        row_id = store_value(t, f"SELECT id FROM {table} WHERE tag = ?", tag)
        old[kind] = kind + base64.urlsafe_b64encode(tag + row_id.to_bytes(8, "big")).decode()[:22]
    t.ok(old["s"] != sid and old["r"] != rid, "the two forms differ")
    srv.start()
    try:
        st, _, out = srv.get(f"/v1/subjects/{sid}", token=dpo)
        t.eq(st, 200, "the new form")
        st2, _, out2 = srv.get(f"/v1/subjects/{old['s']}", token=dpo)
        t.eq(st2, 200, "the old form")
        t.eq(j(out2), j(out), "the same answer, in the new form")
        t.eq(j(out)["records"][0]["record"], rid, "records are named in the new form")
        st, _, out = srv.get(f"/v1/subjects/{old['s']}/export?format=json", token=dpo)
        t.eq(st, 200, "export by the old form")
        t.contains(out.decode(), "old@example.org", "export")
        st, _, out = srv.get(f"/v1/records/{old['r']}/unsubscribe-link", token=dpo)
        t.eq((st, j(out)["record"]), (200, rid), "a link for the old record id")
        st, _, out = srv.post(f"/v1/subjects/{old['s']}/events", {"event": "contact"},
                              token=dpo)
        t.eq(st, 200, f"an event by the old form: {out!r}")
    finally:
        srv.stop()


def test_notice_health_metrics_and_export(t):
    srv = Server(t)
    dpo = srv.token("dpo", "alice")
    srv.start()
    try:
        st, h, out = srv.get("/v1/notice?lang=fr&format=html")
        t.eq(st, 200, "notice")
        t.contains(h["Content-Type"], "text/html", "notice type")
        t.contains(out.decode(), "Alegria", "notice")
        st, _, out = submit(srv, "m@example.org")
        st, _, out = srv.post("/v1/subjects/search", {"email": "m@example.org"}, token=dpo)
        subject = j(out)["subjects"][0]
        st, h, out = srv.get(f"/v1/subjects/{subject}/export?format=html", token=dpo)
        t.eq(st, 200, "export")
        t.contains(h.get("Content-Disposition", ""), "attachment", "export")
        t.contains(out.decode(), "m@example.org", "export holds the data")
        st, _, out = srv.get("/metrics", token=dpo)
        text = out.decode()
        for name in ("pdvault_http_requests_total{", "pdvault_http_request_duration_seconds_bucket",
                     "pdvault_store_bytes", 'pdvault_rights_requests{status="overdue"}',
                     'pdvault_records{phase="active"} 1'):
            t.contains(text, name, "/metrics")
        st, _, out = srv.get("/v1/dashboard", token=dpo)
        t.eq(j(out)["lint"]["errors"], 0, "the corrected example lints clean")
    finally:
        srv.stop()


def acks_at_least(acked, lock, n, timeout=60):
    """Wait until the load threads have n answers in acked."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with lock:
            if len(acked) >= n:
                return
        time.sleep(0.01)


def test_every_201_survives_kill_9_twenty_times(t):
    srv = Server(t)
    acked = []
    lock = threading.Lock()
    for round_ in range(20):
        srv.start("--rate", "0")
        stop = threading.Event()

        def load(k):
            i = 0
            while not stop.is_set():
                email = f"k{round_}-{k}-{i}@example.org"
                i += 1
                try:
                    st, _, out = submit(srv, email)
                except (OSError, http.client.HTTPException):
                    return
                if st == 201:
                    with lock:
                        acked.append(j(out)["record"])
        threads = [threading.Thread(target=load, args=(k,)) for k in range(8)]
        for th in threads:
            th.start()
        time.sleep(random.uniform(0.15, 0.4))
        # and no sooner than this round's answers: where a commit's sync is
        # slow (a busy disk) the time alone can end a round before any 201
        acks_at_least(acked, lock, 6 * (round_ + 1))
        srv.proc.kill()  # SIGKILL, in the middle of the load
        srv.proc.wait()
        stop.set()
        for th in threads:
            th.join()
        srv.proc.communicate()
    t.ok(len(acked) > 100, f"submissions were acknowledged ({len(acked)})")
    t.eq(records_not_in_store(t, acked), [], "every submission answered 201 is in the store")
    p = srv.cli("--json", "audit", "verify")
    t.status(p, 0)
    t.eq(t.json(p)["ok"], True, "audit verify")


def test_no_201_leaves_before_its_commit_is_synced(t):
    shim = os.path.join(t.build, "tests", "shim", "libfsyncdelay.so")
    t.ok(os.path.exists(shim), "the fsync shim is built")
    synclog = os.path.join(t.tmp, "syncs.log")
    srv = Server(t)
    env = {"LD_PRELOAD": shim, "FSYNC_DELAY_MS": "15", "FSYNC_LOG": synclog,
           "ASAN_OPTIONS": os.environ.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"}
    srv.start("--rate", "0", env=env)
    acks = []
    lock = threading.Lock()

    def load(k):
        for i in range(25):
            t0 = time.monotonic_ns()
            st, _, _ = submit(srv, f"s{k}-{i}@example.org")
            t1 = time.monotonic_ns()
            if st == 201:
                with lock:
                    acks.append((t0, t1))
    try:
        open(synclog, "w").close()  # the syncs of the start-up are not counted
        threads = [threading.Thread(target=load, args=(k,)) for k in range(16)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    finally:
        srv.stop()
    syncs = sorted(int(x) for x in open(synclog).read().split())
    t.eq(len(acks), 400, "every submission acknowledged")
    import bisect
    early = 0
    for t0, t1 in acks:
        # a sync that finished after the request was sent and before its answer
        i = bisect.bisect_left(syncs, t0)
        if not (i < len(syncs) and syncs[i] <= t1):
            early += 1
    t.eq(early, 0, "answers with no sync between their request and their 201")
    t.ok(len(syncs) < len(acks) / 2,
         f"concurrent submissions share syncs ({len(syncs)} syncs for {len(acks)} answers)")


def test_one_click_unsubscribe_withdraws_the_consent(t):
    srv = Server(t)
    dpo = srv.token("dpo", "alice")
    srv.start()
    try:
        record = double_opt_in(t, srv, "news@example.org")
        st, _, out = srv.get(f"/v1/records/{record}/unsubscribe-link", token=dpo)
        t.eq(st, 200, "the link for the mailing")
        url = j(out)["url"]
        t.ok(url.startswith("/v1/unsubscribe?t=u"), "a signed link")
        st, h, out = srv.get(url)
        t.eq(st, 200, "the page")
        page = out.decode()
        t.contains(page, "List-Unsubscribe", "a one-click form")
        t.contains(page, "Lettre d&#39;information", "names the activity")
        t.ok(record_in_store(t, record), "a GET changes nothing")
        # RFC 8058: POST with List-Unsubscribe=One-Click, form-encoded
        st, _, out = srv.request("POST", url, raw=b"List-Unsubscribe=One-Click",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
        t.eq(st, 200, "one-click unsubscribe")
        t.ok(not record_in_store(t, record), "the withdrawal ended the record")
        st, _, out = srv.request("POST", url, raw=b"List-Unsubscribe=One-Click",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})
        t.eq(st, 200, "a second click is harmless")
        st, _, _ = srv.get(forged(url))
        t.eq(st, 404, "a forged link")
    finally:
        srv.stop()
    entries = t.json(srv.cli("--json", "audit", "log"))["entries"]
    t.ok(any(e["action"] == "consent-withdraw" and e["actor"] == "api:public" for e in entries),
         "the withdrawal is audited")


def test_rate_limit_and_cors_on_public_routes(t):
    srv = Server(t).start("--rate", "2", "--cors", "https://www.alegria.tech")
    try:
        statuses = [submit(srv, f"r{i}@example.org")[0] for i in range(12)]
        t.ok(statuses.count(201) >= 4, f"the burst passes ({statuses})")
        t.ok(429 in statuses, f"then 429 ({statuses})")
        st, h, _ = submit(srv, "later@example.org")
        if st == 429:
            t.eq(h.get("Retry-After"), "1", "Retry-After")
        st, _, _ = srv.get("/healthz")
        t.eq(st, 200, "other routes are not limited")
        st, h, _ = srv.request("OPTIONS", "/v1/activities/quote/submissions",
                               headers={"Origin": "https://www.alegria.tech",
                                        "Access-Control-Request-Method": "POST"})
        t.eq(st, 204, "preflight")
        t.eq(h.get("Access-Control-Allow-Origin"), "https://www.alegria.tech", "allowed origin")
        t.contains(h.get("Access-Control-Allow-Methods", ""), "POST", "methods")
        st, h, _ = srv.request("OPTIONS", "/v1/activities/quote/submissions",
                               headers={"Origin": "https://evil.example",
                                        "Access-Control-Request-Method": "POST"})
        t.ok("Access-Control-Allow-Origin" not in h, "another origin is not allowed")
        st, h, _ = srv.request("GET", "/v1/subjects?email=x@example.org",
                               headers={"Origin": "https://www.alegria.tech"})
        t.ok("Access-Control-Allow-Origin" not in h, "staff routes are never cross-origin")
    finally:
        srv.stop()


def test_breach_register_through_the_api_and_the_dashboard(t):
    srv = Server(t)
    dpo, sales = srv.token("dpo", "alice"), srv.token("sales", "sam")
    srv.start(now="2026-03-06T10:00:00Z")  # a Friday
    try:
        marker = "Bq4marker"
        st, _, out = srv.post("/v1/breaches", {"aware_at": "2026-03-06T08:30:00Z",
                                               "summary": f"USB key lost, 40 CVs ({marker})"},
                              token=dpo)
        t.eq(st, 201, "a breach opened by the dpo")
        b = j(out)
        t.eq((b["authority_due"], b["overdue"], b["authority_notified"]),
             ("2026-03-09T08:30:00Z", False, None), "due 72 hours on, over the weekend")
        t.ok("summary" not in b, "the answer does not echo the summary")
        for body, field in (({"aware_at": "2026-03-07", "summary": "x"}, "aware_at"),
                            ({"aware_at": "soon", "summary": "x"}, "aware_at"),
                            ({"aware_at": "2026-03-06"}, "summary")):
            st, _, out = srv.post("/v1/breaches", body, token=dpo)
            t.eq((st, j(out)["error"]["field"]), (422, field), f"refused: {body}")
            t.lacks(out.decode(), marker, "an error")
        st, _, out = srv.get("/v1/dashboard", token=dpo)
        t.eq(j(out)["breaches"], {"unreported": 1, "overdue": 0, "people_to_tell": 0,
                                  "next_due": "2026-03-09T08:30:00Z",
                                  "deadlines": [{"breach": b["breach"],
                                                 "authority_due": "2026-03-09T08:30:00Z",
                                                 "overdue": False}]}, "the dpo's dashboard")
        st, _, out = srv.get("/v1/dashboard", token=sales)
        t.ok(st == 200 and "breaches" not in j(out), "no breach figures for other roles")
        st, _, out = srv.get("/v1/breaches", token=dpo)
        t.eq([(x["breach"], marker in x["summary"]) for x in j(out)["breaches"]],
             [(b["breach"], True)], "the register, with its summary, for the dpo")
        st, _, out = srv.post(f"/v1/breaches/{b['breach']}/notify", {"who": "police"}, token=dpo)
        t.eq((st, j(out)["error"]["field"]), (422, "who"), "notify whom")
        st, _, out = srv.post(f"/v1/breaches/{b['breach']}/notify", {"who": "authority"},
                              token=dpo)
        t.eq((st, j(out)["authority_notified"], j(out)["late"]),
             (200, "2026-03-06T10:00:00Z", False), "the authority told in time")
        st, _, _ = srv.post(f"/v1/breaches/{b['breach']}/notify", {"who": "authority"},
                            token=dpo)
        t.eq(st, 422, "told once")
        st, _, out = srv.get("/v1/dashboard", token=dpo)
        t.eq(j(out)["breaches"]["unreported"], 0, "nothing left to report")
    finally:
        srv.stop()
    # reopened three days later: a breach never reported is overdue
    srv.start(now="2026-03-06T10:00:00Z")
    try:
        st, _, out = srv.post("/v1/breaches", {"aware_at": "2026-03-06T09:00:00Z",
                                               "summary": "second"}, token=dpo)
        t.eq(st, 201, "a second breach")
    finally:
        srv.stop()
    srv.start(now="2026-03-09T09:00:01Z")
    try:
        st, _, out = srv.get("/v1/dashboard", token=dpo)
        late = [x for x in j(srv.get("/v1/breaches", token=dpo)[2])["breaches"]
                if x["summary"] == "second"][0]["breach"]
        t.eq(j(out)["breaches"], {"unreported": 1, "overdue": 1, "people_to_tell": 0,
                                  "next_due": "2026-03-09T09:00:00Z",
                                  "deadlines": [{"breach": late,
                                                 "authority_due": "2026-03-09T09:00:00Z",
                                                 "overdue": True}]}, "overdue one second on")
        st, _, out = srv.post(f"/v1/breaches/{late}/notify", {"who": "authority"}, token=dpo)
        t.eq((st, j(out)["error"]["field"]), (422, "reason"), "late, without its reasons")
        # assessed unlikely to result in a risk: nothing owed, nothing overdue
        st, _, out = srv.post(f"/v1/breaches/{late}/assess",
                              {"risk": "unlikely", "reason": "the file was encrypted"}, token=dpo)
        t.eq((st, j(out)["risk"], j(out)["overdue"], j(out)["authority_required"]),
             (200, "unlikely", False, False), "assessed")
        st, _, out = srv.get("/v1/dashboard", token=dpo)
        t.eq(j(out)["breaches"], {"unreported": 0, "overdue": 0, "people_to_tell": 0,
                                  "next_due": None, "deadlines": []},
             "nothing left to report")
        st, _, out = srv.post("/v1/breaches", {"aware_at": "2026-03-09", "summary": "third",
                                               "risk": "high"}, token=dpo)
        t.eq((st, j(out)["error"]["field"]), (422, "risk_reason"), "a risk needs its reasons")
        st, _, out = srv.post("/v1/breaches", {"aware_at": "2026-03-09", "summary": "third",
                                               "risk": "high", "risk_reason": "bank details"},
                              token=dpo)
        t.eq((st, j(out)["subjects_required"]), (201, True), "the people to tell")
    finally:
        srv.stop()
    entries = t.json(srv.cli("--json", "audit", "log"))["entries"]
    t.ok(any(e["actor"] == "api:alice" and e["action"] == "breach-list" for e in entries),
         "reading the register is audited with the named person")
    t.lacks(json.dumps(entries), marker, "the audit log")


def test_a_cv_travels_as_a_data_url_and_comes_back_whole(t):
    # what `pdvault form` sends for a file field: a data: URL in the JSON body
    import random
    cv = bytes(random.Random(7).randrange(256) for _ in range(150_000))
    url = "data:application/pdf;base64," + base64.b64encode(cv).decode()
    body = {"fields": {"last_name": "Martin", "first_name": "Ada", "email": "cv@example.org",
                       "cv": url}}
    srv = Server(t).start()
    try:
        st, _, out = srv.post("/v1/activities/recruitment/submissions", body)
        t.eq(st, 413, "a CV over the default 64 KiB body limit")
    finally:
        srv.stop()
    hr = srv.token("hr", "harriet")
    srv.start("--body-limit", "1000000")
    try:
        st, _, out = srv.post("/v1/activities/recruitment/submissions", body)
        t.eq(st, 201, "accepted under a raised limit")
        st, _, out = srv.get("/v1/subjects?email=cv@example.org", token=hr)
        subject = j(out)["subjects"][0]
        st, _, out = srv.get(f"/v1/subjects/{subject}", token=hr)
        got = j(out)["records"][0]["fields"]["cv"]
        t.ok(got == url, "the CV comes back byte for byte")
    finally:
        srv.stop()
    # 999 is a multiple of 3: this piece's base64 is a piece of the data: URL's
    marker = base64.b64encode(cv[999:1029]).decode()
    t.ok(marker in url, "the marker is in the URL sent")
    for f in os.listdir(t.tmp):
        data = open(os.path.join(t.tmp, f), "rb").read()
        t.ok(cv[1000:1064] not in data and marker.encode() not in data, f"the CV in clear in {f}")


def cut_audit(t, from_seq):
    store_exec(t, "DELETE FROM audit WHERE seq >= ?", from_seq)


def test_a_truncated_audit_log_makes_writes_503(t):
    srv = Server(t)
    for i in range(3):
        t.status(srv.cli("collect", "quote", "last_name=M", "first_name=J",
                         f"email=q{i}@example.org"), 0)  # entries 2-4
    cut_audit(t, 3)
    srv.start()
    try:
        st, _, out = submit(srv, "jeanne@example.org")
        t.eq(st, 503, "a write on a cut log")
        t.eq(j(out)["error"]["code"], "integrity", "the answer says why")
        t.contains(j(out)["error"]["message"], "entry 3 is missing", "the first missing entry")
        t.eq(srv.get("/healthz")[0], 200, "the server keeps serving")
    finally:
        srv.stop()
    t.contains(open(srv.log).read(), "entry 3 is missing", "the server's log")
    p = srv.cli("--json", "audit", "verify")
    t.status(p, 1)
    t.eq(t.json(p)["first_bad"], 3, "first missing entry named")


def test_a_server_on_a_store_a_migrate_left_refuses_writes_without_saying_where(t):
    srv = Server(t)
    t.status(srv.cli("migrate", "--to", "sqlite:moved.db"), 0)
    srv.start()  # on the store the vault left
    try:
        st, _, out = submit(srv, "jeanne@example.org")
        t.eq((st, j(out)["error"]["code"]), (503, "migrated"), "a write there says why")
        t.contains(j(out)["error"]["message"], "migrated to another store")
        t.lacks(j(out)["error"]["message"], "moved.db", "where the vault is: not for the public")
        t.lacks(j(out)["error"]["message"], "accept-loss")
    finally:
        srv.stop()
    t.contains(open(srv.log).read(), "moved.db on ", "the server's log names the store")


def test_a_server_with_its_own_head_refuses_the_store_a_migrate_left(t):
    # a server with its own --server-id keeps its own audit head, which the
    # migrate (run by the command line, with the default head) does not move:
    # restarted on the store the vault left, it is not behind its head, and
    # must still refuse to write there (the write would be lost to the vault)
    srv = Server(t)
    srv.start(env={"PDVAULT_SERVER_ID": "web1"})
    try:
        t.eq(submit(srv, "ana@example.org")[0], 201, "a submission before the move")
    finally:
        srv.stop()
    t.status(srv.cli("migrate", "--to", "sqlite:moved.db"), 0)
    srv.start(env={"PDVAULT_SERVER_ID": "web1"})  # on the store the vault left
    try:
        st, _, out = submit(srv, "jeanne@example.org")
        t.eq((st, j(out)["error"]["code"]), (503, "migrated"), "a write there says why")
    finally:
        srv.stop()
    t.eq(store_count(t, "records"), 1, "nothing written to the store the vault left")
    p = srv.cli("--server-id", "web1", "audit", "verify")
    t.status(p, 3)
    t.contains(p.err, "moved.db on ", "verify with that server's head names the store")


def test_a_log_cut_while_the_server_runs_is_caught(t):
    srv = Server(t).start()
    try:
        for i in range(3):
            t.eq(submit(srv, f"q{i}@example.org")[0], 201, "submission")
        cut_audit(t, 3)
        st, _, out = submit(srv, "jeanne@example.org")
        t.eq(st, 503, "caught at the next write")
        t.contains(j(out)["error"]["message"], "entry 3 is missing", "the first missing entry")
    finally:
        srv.stop()
    p = srv.cli("--json", "audit", "verify")
    t.status(p, 1)
    t.eq(t.json(p)["first_bad"], 3, "first missing entry named")


def test_a_record_moved_to_another_activity_is_refused_over_http(t):
    srv = Server(t)
    hr = srv.token("hr", "hank")
    p = srv.cli("--json", "collect", "quote", "last_name=Zq7Martin", "first_name=Jeanne",
                "email=jeanne@example.org")
    t.status(p, 0)
    subject, record = t.json(p)["subject"], t.json(p)["record"]
    store_exec(t, "UPDATE records SET activity = 'recruitment'")  # quote is sales', not hr's
    srv.start()
    try:
        for path in (f"/v1/subjects/{subject}", f"/v1/subjects/{subject}/export?format=json"):
            st, _, out = srv.get(path, token=hr)
            t.eq(st, 503, f"GET {path} by hr")
            t.eq(j(out)["error"]["code"], "integrity", "error code")
            t.contains(j(out)["error"]["message"], record, "the record is named")
            t.lacks(out.decode(), "Zq7Martin", "the value")
        st, _, out = srv.get("/v1/subjects?email=jeanne@example.org", token=hr)
        t.eq((st, j(out)["error"]["code"]), (503, "integrity"), "find by hr")
    finally:
        srv.stop()


def slow_socket(port, source="127.0.0.2", first=b"GET /healthz HTTP/1.1\r\n"):
    """A connection from source that has sent the start of a request."""
    s = socket.socket()
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    s.sendall(first)
    return s


def closed_by_server(s):
    """True when the server closed s (or answered and closed it), without waiting."""
    s.setblocking(False)
    try:
        data = s.recv(4096)
        return data == b"" or data.startswith(b"HTTP/1.1 4")
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        s.setblocking(True)


def dribble(socks, line=b"X-Slow: 1\r\n"):
    for s in socks:
        try:
            s.sendall(line)
        except OSError:
            pass


def healthz_time(srv):
    t0 = time.monotonic()
    st, _, _ = srv.get("/healthz")
    return st, time.monotonic() - t0


def test_slow_clients_do_not_starve_the_server(t):
    # 200 connections from 127.0.0.2 that send a header line every half second
    srv = Server(t).start("--header-timeout", "3", "--max-connections-per-address", "300")
    socks = []
    try:
        first = time.monotonic()
        socks = [slow_socket(srv.port) for _ in range(200)]
        t0 = time.monotonic()
        while time.monotonic() - t0 < 2:
            dribble(socks)
            st, took = healthz_time(srv)
            t.eq(st, 200, "/healthz from 127.0.0.1 while 200 slow connections are held")
            t.ok(took < 0.5, f"/healthz answered quickly ({took:.2f}s)")
            time.sleep(0.4)
            # held: each look taken while the oldest connection is under 2.8 s
            # old (one look after the loop, as there was, came past 3 s when
            # the machine was slow, and then said nothing of the timeout)
            closed = sum(closed_by_server(s) for s in socks)
            if time.monotonic() - first < 2.8:
                t.eq(closed, 0, "held within the header timeout")
        # then closed: looked at until every one is, not at a fixed time
        closed = 0
        while closed < 200 and time.monotonic() - t0 < 15:
            dribble(socks)
            time.sleep(0.4)
            if time.monotonic() - first >= 3:
                closed = sum(closed_by_server(s) for s in socks)
        t.eq(closed, 200, "every request dribbled past the 3 s header timeout is closed")
        st, took = healthz_time(srv)
        t.eq(st, 200, "still serving")
        st, _, out = srv.get("/metrics", token=srv.token("dpo", "d"))
        t.contains(out.decode(), 'pdvault_http_connections_cut_total{reason="header-timeout"} 200',
                   "/metrics")
    finally:
        for s in socks:
            s.close()
        srv.stop()


def test_a_body_must_keep_the_minimum_rate(t):
    srv = Server(t).start("--header-timeout", "1", "--body-min-rate", "1024")
    try:
        head = (b"POST /v1/activities/quote/submissions HTTP/1.1\r\nHost: x\r\n"
                b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n")
        # a dribble: 10 bytes every 0.2 s
        s = slow_socket(srv.port, first=head % 5000)
        t0 = time.monotonic()
        while time.monotonic() - t0 < 4 and not closed_by_server(s):
            dribble([s], b" " * 10)
            time.sleep(0.2)
        t.ok(time.monotonic() - t0 < 3.5, "a body dribbled at 50 bytes/s is cut")
        s.close()
        # a slow link that keeps the rate: 4000 bytes at about 2 KiB/s
        body = json.dumps({"fields": {"last_name": "Slow", "first_name": "Link",
                                      "email": "slow@example.org"}}).encode()
        body += b" " * (4000 - len(body))
        s = slow_socket(srv.port, first=head % len(body))
        for i in range(0, len(body), 400):
            s.sendall(body[i:i + 400])
            time.sleep(0.2)
        s.settimeout(10)
        t.contains(s.recv(4096).decode(), "HTTP/1.1 201", "a body at twice the rate goes through")
        s.close()
    finally:
        srv.stop()


def test_connections_beyond_the_per_address_limit_are_refused(t):
    srv = Server(t).start("--max-connections-per-address", "5")
    held = []
    try:
        held = [slow_socket(srv.port) for _ in range(5)]
        time.sleep(0.3)
        extra = slow_socket(srv.port)
        time.sleep(0.5)
        t.ok(closed_by_server(extra), "a sixth connection from 127.0.0.2 is refused")
        extra.close()
        t.eq(sum(closed_by_server(s) for s in held), 0, "the first five are held")
        other = slow_socket(srv.port, source="127.0.0.3",
                            first=b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        other.settimeout(5)
        t.contains(other.recv(4096).decode(), "HTTP/1.1 200", "another address still gets in")
        other.close()
        for s in held:
            s.close()
        time.sleep(0.3)
        again = slow_socket(srv.port, first=b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        again.settimeout(5)
        t.contains(again.recv(4096).decode(), "HTTP/1.1 200", "places are given back on close")
        again.close()
    finally:
        for s in held:
            s.close()
        srv.stop()
    # a trusted proxy is exempt
    srv.start("--max-connections-per-address", "5", "--trusted-proxy", "127.0.0.2/32")
    held = []
    try:
        held = [slow_socket(srv.port) for _ in range(8)]
        time.sleep(0.5)
        t.eq(sum(closed_by_server(s) for s in held), 0, "a trusted proxy holds more")
        for s in held:
            s.sendall(b"Host: x\r\n\r\n")
            s.settimeout(5)
            t.contains(s.recv(4096).decode(), "HTTP/1.1 200", "each is served")
    finally:
        for s in held:
            s.close()
        srv.stop()


def raw_request(port, data):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(data)
    s.settimeout(5)
    got = b""
    try:
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            got += chunk
    except socket.timeout:
        got += b"<still open>"
    s.close()
    return got.decode("latin-1")


def test_an_ambiguous_length_is_refused_and_the_connection_closed(t):
    srv = Server(t).start()
    body = json.dumps({"fields": {"last_name": "A", "first_name": "B",
                                  "email": "smuggle@example.org"}}).encode()
    start = b"POST /v1/activities/quote/submissions HTTP/1.1\r\nHost: x\r\n"
    try:
        for what, headers in (
                ("both Content-Length and Transfer-Encoding",
                 b"Content-Length: %d\r\nTransfer-Encoding: chunked\r\n" % len(body)),
                ("two different Content-Length headers",
                 b"Content-Length: %d\r\nContent-Length: %d\r\n" % (len(body), len(body) + 5)),
                ("two different values in one Content-Length",
                 b"Content-Length: %d, %d\r\n" % (len(body), len(body) + 5))):
            got = raw_request(srv.port, start + headers + b"\r\n" + body)
            t.ok(got.startswith("HTTP/1.1 400"), f"{what}: 400, got {got[:60]!r}")
            t.ok("<still open>" not in got, f"{what}: the connection is closed after the answer")
        got = raw_request(srv.port, start + b"Content-Length: %d\r\nContent-Length: %d\r\n"
                          b"Connection: close\r\n\r\n" % (len(body), len(body)) + body)
        t.ok(got.startswith("HTTP/1.1 201"), f"the same length twice is one length: {got[:60]!r}")
    finally:
        srv.stop()
    t.eq(records_count(t), 1, "only the unambiguous submission is stored")


def test_a_second_server_on_the_same_port_refuses_to_start(t):
    srv = Server(t).start()
    try:
        p = srv.cli("serve", "--listen", f"127.0.0.1:{srv.port}", "--test-clock",
                    "--access-log", "off")
        t.status(p, 3)
        t.contains(p.err, f"cannot listen on 127.0.0.1:{srv.port}: the port is already in use")
        st, _, _ = srv.get("/healthz")
        t.eq(st, 200, "the first server still serves")
    finally:
        srv.stop()


def test_rate_limits_follow_the_client_behind_a_trusted_proxy(t):
    def quote(srv, i, headers):
        body = {"fields": {"last_name": "P", "first_name": "Q", "email": f"p{i}@example.org"}}
        return srv.request("POST", "/v1/activities/quote/submissions", body=body,
                           headers=headers)[0]

    srv = Server(t).start("--rate", "1", "--trusted-proxy", "127.0.0.1",
                          "--trusted-proxy", "10.0.0.0/8")
    try:
        a = {"Forwarded": 'for="198.51.100.1:4711";proto=https'}
        got = [quote(srv, i, a) for i in range(4)]
        t.ok(got[:2] == [201, 201] and 429 in got, f"one client's burst, then 429 ({got})")
        t.eq(quote(srv, 10, {"Forwarded": "for=198.51.100.2"}), 201,
             "another client behind the same proxy has its own bucket")
        t.eq(quote(srv, 11, {"Forwarded": 'for="[2001:db8::2]", for=10.1.1.1'}), 201,
             "through a chain of trusted proxies, IPv6")
        t.eq(quote(srv, 12, {"X-Forwarded-For": "198.51.100.3"}), 201, "X-Forwarded-For")
        # a client that forges an address left of what the proxy wrote gains nothing
        t.eq(quote(srv, 13, {"Forwarded": "for=203.0.113.77, for=198.51.100.1"}), 429,
             "the rightmost untrusted address is the client")
        t.eq(quote(srv, 14, {"X-Forwarded-For": "203.0.113.78, 198.51.100.1"}), 429,
             "the same with X-Forwarded-For")
    finally:
        srv.stop()
    # an untrusted peer's headers are not believed: everything is one client
    srv.start("--rate", "1")
    try:
        got = [quote(srv, 20 + i, {"Forwarded": f"for=198.51.100.{i}"}) for i in range(4)]
        t.ok(429 in got, f"headers from an untrusted peer are ignored ({got})")
    finally:
        srv.stop()
    log = open(srv.log).read()
    t.lacks(log, "198.51.100", "the access log (an address is personal data)")


def test_codes_to_one_address_are_limited_and_the_answer_stays_the_same(t):
    srv = Server(t).start("--verify-per-email", "2")
    try:
        answers = []
        for email in ("ana@example.org", "Ana@Example.org", "ana@example.org"):
            st, _, out = srv.post("/v1/requests", {"kind": "access", "email": email})
            answers.append((st, sorted(j(out)), j(out)["verification"]))
        t.eq([a[:2] for a in answers], [(202, ["delivery", "expires_at", "verification"])] * 3,
             "the same answer past the limit")
        t.eq(len({a[2] for a in answers}), 3, "a fresh check id each time")
        st, _, out = srv.post("/v1/requests", {"kind": "access", "email": "bob@example.org"})
        t.eq(st, 202, "another address")
        st, _, out = srv.post("/v1/requests", {"kind": "nope", "email": "ana@example.org"})
        t.eq((st, j(out)["error"]["field"]), (422, "kind"), "a bad kind is still refused")
        st, _, out = srv.post("/v1/verify", {"verification": answers[2][2], "code": "123456"})
        t.eq(st, 404, "a limited check opens nothing")
    finally:
        srv.stop()
    msgs = t.json(srv.cli("--json", "outbox", "list"))["messages"]
    t.eq(len(msgs), 3, "two codes for ana (the limit), one for bob")
    entries = t.json(srv.cli("--json", "audit", "log"))["entries"]
    t.eq(sum(e["action"] == "verification-limited" for e in entries), 1, "the refusal, audited")


def test_metrics_answer_the_dpo_and_metrics_tokens_only(t):
    srv = Server(t)
    dpo, sales = srv.token("dpo", "alice"), srv.token("sales", "sam")
    p = srv.cli("--json", "token", "create", "--scope", "metrics", "--name", "prometheus")
    t.status(p, 0)
    doc = t.json(p)
    t.eq((doc["scope"], doc["role"]), ("metrics", None), "a metrics token has no role")
    prom = doc["token"]
    p = srv.cli("token", "create", "--scope", "everything", "--name", "x")
    t.status(p, 2)
    t.contains(p.err, "--scope is metrics")
    srv.start()
    try:
        for who, tok, want in (("the dpo", dpo, 200), ("a metrics token", prom, 200),
                               ("sales", sales, 403), ("nobody", None, 401)):
            st, _, out = srv.get("/metrics", token=tok)
            t.eq(st, want, f"/metrics for {who}")
        t.contains(srv.get("/metrics", token=prom)[2].decode(), "pdvault_records{", "/metrics")
        for method, path, body in (("GET", "/v1/me", None), ("GET", "/v1/dashboard", None),
                                   ("GET", "/v1/subjects?email=a@example.org", None),
                                   ("GET", "/v1/requests", None),
                                   ("POST", "/v1/requests",
                                    {"kind": "access", "email": "a@example.org"})):
            st, _, out = srv.request(method, path, body=body, token=prom)
            t.eq((st, j(out)["error"]["code"]), (403, "forbidden"),
                 f"{method} {path} with a metrics token")
    finally:
        srv.stop()
