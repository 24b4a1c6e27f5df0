"""The back office's structure on the server side: the calendar feed of due
dates (RFC 5545, behind a token of its own, revocable, with no personal data
in it), the back office's page answered for any of its view URLs, and the
controller's logo served from the vault's own origin."""
import os
import re
import struct
import zlib

from test_server import Server, j

EMAIL = "jeanne.calendrier@example.org"
SUMMARY = "laptop with the payroll stolen from a car"


def ics_parse(t, data):
    """Parse an iCalendar stream strictly (RFC 5545 3.1, 3.4, 3.6, 3.8.4.7,
    3.8.7.2): CRLF line ends only, no line over 75 octets, folding by CRLF
    and one space or tab, valid UTF-8, every content line NAME *(;PARAM):VALUE,
    components properly nested, VERSION and PRODID in the calendar, UID,
    DTSTAMP (UTC) and DTSTART in every event. Returns the events, each a dict
    of property name (with its parameters) to value."""
    t.ok(data.endswith(b"\r\n"), "the stream ends with CRLF")
    t.ok(b"\n" not in data.replace(b"\r\n", b""), "a bare LF or CR in the stream")
    t.ok(b"\r" not in data.replace(b"\r\n", b""), "a bare CR in the stream")
    physical = data[:-2].split(b"\r\n")
    for raw in physical:
        t.ok(len(raw) <= 75, f"a line of {len(raw)} octets: {raw[:80]!r}")
    lines = []
    for raw in physical:
        if raw[:1] in (b" ", b"\t"):
            t.ok(lines, "a continuation line first")
            lines[-1] += raw[1:]
        else:
            lines.append(raw)
    text = [ln.decode("utf-8") for ln in lines]  # raises on a split UTF-8 sequence
    name_re = re.compile(r'^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:,]*))*):(.*)$')
    stack, events, cal = [], [], {}
    for ln in text:
        m = name_re.match(ln)
        t.ok(m, f"not a content line: {ln!r}")
        name, params, value = m.group(1).upper(), m.group(2), m.group(3)
        if name == "BEGIN":
            stack.append(value)
            if value == "VEVENT":
                events.append({})
            continue
        if name == "END":
            t.eq(stack and stack[-1], value, "END closes the open component")
            stack.pop()
            continue
        t.ok(stack, f"{name} outside a component")
        where = events[-1] if stack[-1] == "VEVENT" else cal
        key = name + params
        t.ok(key not in where or name.startswith("X-"), f"{name} twice in {stack[-1]}")
        where[key] = value
    t.eq(stack, [], "every component closed")
    t.eq(text[0], "BEGIN:VCALENDAR", "the stream is a calendar")
    t.eq(cal.get("VERSION"), "2.0", "VERSION")
    t.ok(cal.get("PRODID"), "PRODID")
    uids = [e.get("UID") for e in events]
    t.eq(len(set(uids)), len(uids), "every UID unique")
    for e in events:
        t.ok(e.get("UID"), f"an event without a UID: {e}")
        t.ok(re.fullmatch(r"\d{8}T\d{6}Z", e.get("DTSTAMP", "")), f"DTSTAMP in UTC: {e}")
        start = e.get("DTSTART") or e.get("DTSTART;VALUE=DATE")
        t.ok(start and re.fullmatch(r"\d{8}(T\d{6}Z)?", start), f"DTSTART: {e}")
    return events


def test_the_calendar_feed_gives_due_dates_behind_a_token_of_its_own(t):
    # a controller whose name folds the calendar's name line, inside a UTF-8 sequence's reach
    decl = open(t.path("examples/alegria-corrected.yaml"), encoding="utf-8").read()
    long_name = "Société coopérative d'intérêt collectif « Les Éditions Alegria »"
    decl = decl.replace("name: Alegria.tech", f'name: "{long_name}"', 1)
    t.ok(long_name in decl, "the controller's name replaced")
    t.write("decl.yaml", decl)
    srv = Server(t, env={"PDVAULT_CONFIG": os.path.join(t.tmp, "decl.yaml")})
    dpo = srv.token("dpo", "alice")
    p = srv.cli("--json", "token", "create", "--scope", "calendar", "--name", "agenda")
    t.status(p, 0)
    doc = t.json(p)
    t.eq((doc["scope"], doc["role"]), ("calendar", None), "a calendar token has no role")
    cal = doc["token"]
    p = srv.cli("--json", "collect", "quote", "last_name=Dupont", "first_name=Jeanne",
                f"email={EMAIL}")
    t.status(p, 0)
    p = srv.cli("--json", "request", "open", "erasure", "--email", EMAIL)
    t.status(p, 0)
    req = t.json(p)
    p = srv.cli("--json", "breach", "open", "--aware", "2026-03-01T08:30:00Z", "--summary",
                SUMMARY)
    t.status(p, 0)
    breach = t.json(p)
    srv.start()
    try:
        st, h, out = srv.get(f"/v1/calendar.ics?token={cal}")
        t.eq(st, 200, "the feed, with the calendar token in the URL")
        t.ok(h["Content-Type"].startswith("text/calendar"), h["Content-Type"])
        events = ics_parse(t, out)
        by_uid = {e["UID"]: e for e in events}
        ev = by_uid.get(f"request-{req['request']}@pdvault")
        t.ok(ev, f"the request's due date: {events}")
        t.eq(ev["DTSTART;VALUE=DATE"], req["due"].replace("-", ""), "on its due day")
        t.contains(ev["SUMMARY"], req["reference"], "the request's reference")
        t.contains(ev["SUMMARY"], "effacement", "its kind, in the declaration's language (fr)")
        ev = by_uid.get(f"breach-{breach['breach']}@pdvault")
        t.ok(ev, f"the breach's 72-hour deadline: {events}")
        t.eq(ev["DTSTART"], "20260304T083000Z", "72 hours after awareness, in UTC")
        text = out.decode("utf-8")
        unfolded = text.replace("\r\n ", "")
        t.contains(unfolded, long_name.replace(",", "\\,"), "the calendar's name, folded")
        t.ok("\r\n " in text, "a long line was folded")
        # nothing personal: not the address, not the name, not the breach's text
        for secret in (EMAIL, "Dupont", "Jeanne", SUMMARY, "payroll", "alice"):
            t.lacks(unfolded, secret, "the calendar feed")
        # the token is the calendar's alone, and the feed takes no other
        st, _, out = srv.get(f"/v1/calendar.ics?token={dpo}")
        t.eq((st, j(out)["error"]["code"], j(out)["error"]["field"]), (403, "forbidden", "token"),
             "a dpo token in a calendar URL is refused")
        st, _, out = srv.get("/v1/calendar.ics", token=cal)
        t.eq(st, 401, "the token in a header is not read: the URL carries it")
        st, _, out = srv.get("/v1/calendar.ics")
        t.eq((st, j(out)["error"]["code"]), (401, "unauthorized"), "no token")
        for method, path in (("GET", "/v1/me"), ("GET", "/v1/dashboard"),
                             ("GET", "/v1/requests"), ("GET", "/metrics"),
                             ("GET", "/v1/breaches")):
            st, _, out = srv.request(method, path, token=cal)
            t.eq((st, j(out)["error"]["code"]), (403, "forbidden"),
                 f"{method} {path} with a calendar token")
        # what is done leaves the feed
        t.status(srv.cli("breach", "notify", breach["breach"], "--authority"), 0)
        st, _, out = srv.get(f"/v1/calendar.ics?token={cal}")
        uids = {e["UID"] for e in ics_parse(t, out)}
        t.ok(f"breach-{breach['breach']}@pdvault" not in uids, "the told breach left the feed")
        t.ok(f"request-{req['request']}@pdvault" in uids, "the open request stays")
        # the access log names the route, never the URL and its token
        log = open(srv.log, encoding="utf-8").read()
        t.contains(log, "/v1/calendar.ics", "the access log")
        t.lacks(log, cal, "the access log")
    finally:
        srv.stop()
    # revoked: the feed stops answering
    t.status(srv.cli("token", "revoke", "agenda"), 0)
    srv.start()
    try:
        st, _, out = srv.get(f"/v1/calendar.ics?token={cal}")
        t.eq((st, j(out)["error"]["code"]), (401, "unauthorized"), "a revoked calendar token")
    finally:
        srv.stop()
    p = srv.cli("token", "create", "--scope", "everything", "--name", "x")
    t.status(p, 2)
    t.contains(p.err, "calendar")


def test_a_date_the_store_should_never_hold_is_left_out_not_misread(t):
    # the engine refuses a due date past year 9999; a damaged or tampered store
    # may still hold one (or no date at all): the feed leaves that event out
    # and stays a calendar (it once said DTSTART:99999999), the request list
    # says its days left are unknown (it once said 0, "due today")
    from storelib import store_exec

    srv = Server(t)
    p = srv.cli("--json", "token", "create", "--scope", "calendar", "--name", "agenda")
    cal = t.json(p)["token"]
    dpo = srv.token("dpo", "alice")
    ok = t.json(srv.cli("--json", "request", "open", "access", "--email", EMAIL))
    bad = t.json(srv.cli("--json", "request", "open", "erasure", "--email", EMAIL))
    kept = t.json(srv.cli("--json", "breach", "open", "--aware", "2026-03-01T08:30:00Z",
                          "--summary", SUMMARY))
    far = t.json(srv.cli("--json", "breach", "open", "--aware", "2026-03-01T09:30:00Z",
                         "--summary", SUMMARY))
    store_exec(t, "UPDATE requests SET due = '9999-99-99' WHERE reference = ?",
               bad["reference"])
    # 10000-01-01T00:00:00Z, one second past what a time can be printed as
    store_exec(t, "UPDATE breaches SET authority_due = 253402300800 WHERE authority_due = "
                  "(SELECT max(authority_due) FROM breaches)")
    srv.start()
    try:
        st, _, out = srv.get(f"/v1/calendar.ics?token={cal}")
        t.eq(st, 200, "the feed answers")
        uids = {e["UID"] for e in ics_parse(t, out)}
        t.eq(uids, {f"request-{ok['request']}@pdvault", f"breach-{kept['breach']}@pdvault"},
             "the dated events, and only they")
        t.lacks(out.decode("utf-8"), "99999999", "no year past 9999 in the feed")
        t.ok(far["breach"] != kept["breach"], "two breaches")
        st, _, out = srv.get("/v1/requests?status=open", token=dpo)
        t.eq(st, 200, "the open requests")
        left = {r["request"]: r["days_left"] for r in j(out)["requests"]}
        t.eq(left[bad["request"]], None, "no days left for a due date that is no date")
        t.ok(isinstance(left[ok["request"]], int) and left[ok["request"]] > 0,
             f"the other request's days left: {left}")
        st, _, out = srv.get("/v1/requests?status=open&due_within=400", token=dpo)
        t.eq([r["request"] for r in j(out)["requests"]], [ok["request"]],
             "due within 400 days: not the one whose due date is unknown")
    finally:
        srv.stop()


def test_every_back_office_url_answers_its_page(t):
    srv = Server(t).start()
    try:
        st, _, page = srv.get("/staff/")
        t.eq(st, 200, "/staff/")
        for path in ("/staff/requests", "/staff/requests/7X3K9QABM", "/staff/subjects/s123",
                     "/staff/breaches/b1", "/staff/outbox", "/staff/requests?filter=overdue"):
            st, h, out = srv.get(path)
            t.eq((st, out), (200, page), f"{path} answers the back office's page")
            t.ok(h["Content-Type"].startswith("text/html"), path)
        st, _, _ = srv.get("/staff/staff.js")
        t.eq(st, 200, "its script")
        for path in ("/staff/nothing.js", "/privacy/anything", "/stafff/x"):
            st, _, _ = srv.get(path)
            t.eq(st, 404, f"{path}: a file that is not there is not the page")
    finally:
        srv.stop()


def png(width=2, height=2):
    raw = b"".join(b"\0" + b"\x0b\x4f\x9c" * width for _ in range(height))

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xffffffff))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                              0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_the_controller_logo_is_served_from_the_vault(t):
    decl = open(t.path("examples/alegria-corrected.yaml"), encoding="utf-8").read()
    with_logo = decl.replace("controller:\n", "controller:\n  logo: brand/logo.png\n", 1)
    t.ok(with_logo != decl, "the key added")
    os.makedirs(os.path.join(t.tmp, "conf", "brand"))
    t.write("conf/decl.yaml", with_logo)
    t.write("conf/brand/logo.png", png(), mode="wb")
    srv = Server(t, env={"PDVAULT_CONFIG": os.path.join(t.tmp, "conf", "decl.yaml")}).start()
    try:
        st, h, out = srv.get("/v1/logo")
        t.eq((st, h["Content-Type"], out), (200, "image/png", png()), "the logo, as the file")
        st, _, out = srv.get("/v1/activities")
        t.eq(j(out)["controller"], {"name": "Alegria.tech", "logo": "/v1/logo"},
             "the public pages learn the name and the logo")
    finally:
        srv.stop()
    # a file that is not the image it says is refused at start, naming the key
    t.write("conf/brand/logo.png", b"<svg onload='alert(1)'/>", mode="wb")
    p = srv.cli("serve", "--test-clock", "--listen", "127.0.0.1:1")
    t.ok(p.returncode != 0, "serve refuses a logo that is not an image")
    t.contains(p.err, "controller.logo", "the error names the key")
    # a URL is refused by the loader, with why
    t.write("conf/decl.yaml", decl.replace("controller:\n",
                                           "controller:\n  logo: https://cdn.example.com/l.png\n",
                                           1))
    p = srv.cli("lint")
    t.ok(p.returncode != 0, "lint refuses a logo URL")
    t.contains(p.err + p.out, "not a URL", "the loader says why")
    # without the key: no logo, and the answer says so
    srv = Server(t).start()
    try:
        st, _, out = srv.get("/v1/logo")
        t.eq((st, j(out)["error"]["code"]), (404, "not_found"), "no logo declared")
        t.eq(j(srv.get("/v1/activities")[2])["controller"]["logo"], None, "no logo")
    finally:
        srv.stop()
