"""What each staff role sees and may change over HTTP: a role acts only on the
records of activities that list it (`access`; archived: `archive_access`), and
answers as if the others did not exist.

The proof is a twin: for each role, one vault holds people with records the
role may see and records it may not; its twin holds only what the role may
see. The same requests, in the same order, through every staff route, must
get the same answers from both (ids aside, since they are random), and leave
the records the role may not see exactly as they were."""
import os
import re

from test_server import STAFF_ROUTES, Server, j

ROLES = ["sales", "training", "hr", "it"]
PHONE = "+33612345678"

# The people, as (key, activity, fields, consent). p1 is in three activities
# seen by different roles (ai-challenge: sales and training; recruitment: hr;
# ai-challenge-offers: sales), joined by their email and phone; p2 only
# applied for a job (hr).
RECORDS = [
    ("p1", "ai-challenge", ["first_name=Jo", f"phone={PHONE}", "email=p1@example.org"], True),
    ("p1", "recruitment", ["last_name=Ab", "first_name=Jo", "email=p1@example.org"], False),
    ("p1", "ai-challenge-offers", [f"phone={PHONE}"], True),
    ("p2", "recruitment", ["last_name=Cd", "first_name=Al", "email=p2@example.org"], False),
]
# who may see an active record of each activity (alegria-corrected.yaml)
ACCESS = {"ai-challenge": {"sales", "training"}, "recruitment": {"hr"},
          "ai-challenge-offers": {"sales"}}

# ids, and request references (random too: 8 Crockford symbols, a check one)
ID = re.compile(r"(?<![A-Za-z0-9_-])(?:u[A-Za-z0-9_-]{43}|[srqhv][A-Za-z0-9_-]{22}"
                r"|[0-9A-HJKMNP-TV-Z]{8}[0-9A-HJKMNP-TV-Z*~$=U])"
                r"(?![A-Za-z0-9_-])")


def route_table(t):
    """(method, pattern, who) of every route that takes a token, read from the
    server's own table in src/http/router.c."""
    src = open(t.path("src/http/router.c")).read()
    table = src[src.index("static const struct srv_route routes[]"):]
    table = table[:table.index("};")]
    out = []
    for m in re.finditer(r'\{"([A-Z]+)",\s*"([^"]+)",\s*(SRV_[A-Z]+),\s*\w+,\s*([^,{]*),',
                         table):
        method, pattern, access, flags = m.groups()
        if access != "SRV_PUBLIC" or "F_OPTIONAL_STAFF" in flags:
            out.append((method, pattern, access))
    return out


def pattern_of(path):
    """/v1/subjects/{s}/export?format=json -> /v1/subjects/{}/export"""
    return re.sub(r"\{[a-z0-9]+\}", "{}", path.split("?")[0])


# Every staff route, with the requests each role sends through it. Paths name
# {p1}, {p2} (people), {nobody} (an id no one has), {hidden} (a record of p1
# the role may not see, or one it may when it sees them all), {shown} (one it
# may see, if any), {q1} {q2} {q0} (requests of p1, of p2, of an unknown
# address).
ROUTES = [
    ("GET", "/v1/subjects?email=p1@example.org", None),
    ("GET", "/v1/subjects?email=p2@example.org", None),
    ("GET", f"/v1/subjects?phone=%2B{PHONE[1:]}", None),
    ("POST", "/v1/subjects/search", {"email": "p2@example.org"}),
    ("POST", "/v1/subjects/search", {"phone": PHONE}),
    ("GET", "/v1/subjects/{p1}", None),
    ("GET", "/v1/subjects/{p2}", None),
    ("GET", "/v1/subjects/{nobody}", None),
    ("GET", "/v1/subjects/{p1}?lang=en", None),
    ("GET", "/v1/subjects/{p2}?lang=fr", None),
    ("GET", "/v1/subjects?reference={q1}", None),
    ("GET", "/v1/subjects?reference={q0}", None),
    ("GET", "/v1/subjects/{p1}/export?format=json", None),
    ("GET", "/v1/subjects/{p1}/export?format=csv", None),
    ("GET", "/v1/subjects/{p1}/export?format=html", None),
    ("GET", "/v1/subjects/{p1}/export?format=json&portable=1", None),
    ("GET", "/v1/subjects/{p2}/export?format=json", None),
    ("GET", "/v1/records/{hidden}/unsubscribe-link", None),
    ("GET", "/v1/records/{shown}/unsubscribe-link", None),
    ("GET", "/v1/requests", None),
    ("GET", "/v1/requests?status=open", None),
    ("GET", "/v1/requests?kind=access&sort=-received", None),
    ("GET", "/v1/requests?due_within=40&status=all", None),
    ("GET", "/v1/requests/{q1}", None),
    ("GET", "/v1/requests/{q2}", None),
    ("GET", "/v1/requests/{q0}", None),
    ("GET", "/v1/dashboard", None),
    ("GET", "/v1/register?format=json", None),
    ("GET", "/v1/me", None),
    ("GET", "/v1/lint", None),
    # what the dpo alone may do: the same 403 whoever it names
    ("POST", "/v1/requests", {"kind": "access", "subject": "{p2}"}),
    ("POST", "/v1/requests/{q2}/extend", {"reason": "many records"}),
    ("POST", "/v1/requests/{q2}/notes", {"text": "called back"}),
    ("GET", "/v1/requests/{q2}/preview", None),
    ("GET", "/v1/requests/{q2}/certificate", None),
    ("POST", "/v1/requests/{q2}/close", {}),
    ("GET", "/v1/requests/{q2}/export?format=json", None),
    ("POST", "/v1/breaches", {"aware_at": "2026-03-02", "summary": "x"}),
    ("GET", "/v1/breaches", None),
    ("GET", "/v1/dossier?from=2026-01-01&to=2026-12-31", None),
    ("GET", "/v1/breaches/{nobody}", None),
    ("POST", "/v1/breaches/{nobody}/assess", {"risk": "risk", "reason": "r"}),
    ("POST", "/v1/breaches/{nobody}/notify", {"who": "authority"}),
    ("POST", "/v1/breaches/{nobody}/describe", {"measures": "m"}),
    ("GET", "/v1/subjects/{p1}/holds", None),
    ("POST", "/v1/subjects/{p1}/holds", {"reason": "a dispute"}),
    ("DELETE", "/v1/holds/{nobody}", None),
    ("POST", "/v1/subjects/{p1}/restriction", {"restricted": True}),
    ("POST", "/v1/subjects/{p2}/objection", {}),
    ("POST", "/v1/subjects/{p1}/records/{shown}/rectification", {"fields": {"first_name": "Al"}}),
    ("POST", "/v1/subjects/{p1}/records/{hidden}/rectification", {"fields": {"first_name": "Al"}}),
    ("DELETE", "/v1/subjects/{p2}", None),
    ("DELETE", "/v1/subjects/{p1}", None),
    ("GET", "/v1/outbox", None),
    ("GET", "/v1/outbox?status=all", None),
    ("POST", "/v1/outbox/{nobody}/retry", None),
    ("GET", "/v1/tokens", None),
    ("POST", "/v1/tokens", {"name": "ci", "role": "sales"}),
    ("DELETE", "/v1/tokens/{nobody}", None),
    ("DELETE", "/v1/session", None),
    ("POST", "/v1/session/revoke-all", None),
    ("GET", "/v1/cookies/receipts/{nobody}", None),
    # events: each activity's clock moves only for the roles that see it
    ("POST", "/v1/subjects/{p1}/events", {"event": "contact"}),
    ("POST", "/v1/subjects/{p2}/events", {"event": "contact"}),
    ("POST", "/v1/subjects/{p1}/events", {"event": "contact", "activity": "recruitment"}),
    ("POST", "/v1/subjects/{p1}/events", {"event": "contact", "activity": "ai-challenge"}),
    ("POST", "/v1/subjects/{p1}/events",
     {"event": "contact", "activity": "ai-challenge-offers"}),
    ("GET", "/v1/subjects/{p1}", None),
    ("POST", "/v1/subjects/{p2}/events", {"event": "application-rejected"}),
    ("POST", "/v1/subjects/{p1}/events", {"event": "application-rejected"}),
    ("POST", "/v1/subjects/{p1}/events", {"event": "objection"}),
    ("GET", "/v1/subjects/{p1}", None),
    ("POST", "/v1/subjects/{p1}/events", {"event": "consent-withdrawn"}),
    ("GET", "/v1/subjects/{p1}", None),
    ("GET", "/v1/dashboard", None),
    ("GET", "/metrics", None),
    # a role's token is not the calendar's (test_calendar.py): refused alike
    ("GET", "/v1/calendar.ics", None),
]


def test_every_staff_route_is_in_the_matrices(t):
    table = route_table(t)
    t.ok(len(table) >= 20, f"the route table was read: {table}")
    mine = {(m, pattern_of(p)) for m, p, _ in ROUTES}
    theirs = {(m, pattern_of(p)) for m, p, _, _ in STAFF_ROUTES}
    for method, pattern, access in table:
        t.ok((method, pattern) in mine, f"{method} {pattern} is missing from ROUTES")
        t.ok((method, pattern) in theirs,
             f"{method} {pattern} is missing from test_server.STAFF_ROUTES")
    dpo_only = {(m, p) for m, p, a in table if a == "SRV_DPO"}
    for method, tmpl, _, who in STAFF_ROUTES:
        if (method, pattern_of(tmpl)) in dpo_only:
            t.ok(who in ("dpo", "dpo-missing"), f"{method} {tmpl} is the dpo's in the route table")


class Vault:
    """A vault with a server, holding the records of RECORDS that keep(activity)."""

    def __init__(self, t, name, keep):
        os.makedirs(os.path.join(t.tmp, name))
        env = {"PDVAULT_DB": f"sqlite:{name}/pdvault.db",
               "PDVAULT_KEY_FILE": f"{name}/pdvault.key"}
        self.srv = Server(t, env=env)
        self.t = t
        self.people, self.records = {}, {}
        for key, activity, fields, consent in RECORDS:
            if not keep(activity):
                continue
            p = self.srv.cli("--json", "collect", activity, *(["--consent"] if consent else []),
                             *fields)
            t.status(p, 0)
            self.people[key] = t.json(p)["subject"]
            self.records[(key, activity)] = t.json(p)["record"]
        self.requests = {}
        for key, how in (("q1", ["--subject", "p1"]), ("q2", ["--subject", "p2"]),
                         ("q0", ["--email", "nobody@example.org"])):
            if how[0] == "--subject":
                if how[1] not in self.people:
                    continue
                how = ["--subject", self.people[how[1]]]
            elif not keep(None):
                continue
            p = self.srv.cli("--json", "request", "open", "access", *how)
            t.status(p, 0)
            self.requests[key] = t.json(p)["request"]

    def show(self, subject):
        p = self.srv.cli("--json", "show", subject)
        if p.returncode == 0:
            return self.t.json(p)["records"]
        self.t.status(p, 1)  # the subject is gone: not found, nothing else
        self.t.eq(self.t.json(p)["error"]["code"], "not_found", "show of a subject gone")
        return None


class Ids:
    """Ids to names, in the order they appear, so two vaults compare."""

    def __init__(self, fixed):
        self.names = dict(fixed)

    def __call__(self, text):
        def name(m):
            if m.group(0) not in self.names:
                self.names[m.group(0)] = f"<id{len(self.names)}>"
            return self.names[m.group(0)]
        return ID.sub(name, text)


def fill(x, names):
    if isinstance(x, str):
        for k, v in names.items():
            x = x.replace("{" + k + "}", v)
        return x
    if isinstance(x, dict):
        return {k: fill(v, names) for k, v in x.items()}
    return x


def test_a_role_neither_changes_nor_learns_of_records_it_may_not_see(t):
    wrong = []  # every difference, so one run tells them all

    def check(cond, what):
        if not cond:
            wrong.append(what)

    for role in ROLES:
        sees = {a for a, roles in ACCESS.items() if role in roles}
        full = Vault(t, f"{role}-full", lambda a: True)
        # the twin: only what the role may see (no request without a person)
        twin = Vault(t, f"{role}-twin", lambda a: a in sees)
        hidden = [(k, a) for k, a in full.records if a not in sees]
        shown = [(k, a) for k, a in full.records if a in sees]
        t.ok(hidden, f"{role} has records it may not see")
        before = {k: full.show(s) for k, s in full.people.items()}
        nobody = "sAAAAAAAAAAAAAAAAAAAAAA"
        names = {}
        for v in (full, twin):
            # the twin answers for what is missing from it with the full
            # vault's ids: a person, a record, a request it does not have
            n = {"nobody": nobody, "hidden": full.records[hidden[0]],
                 "shown": v.records[shown[0]] if shown else nobody.replace("s", "r", 1)}
            for k in ("p1", "p2"):
                n[k] = v.people.get(k, full.people[k])
            for k in ("q1", "q2", "q0"):
                n[k] = v.requests.get(k, full.requests[k])
            names[v] = n
            v.token = v.srv.token(role, "staff")
            v.srv.start()
        answers = {}
        try:
            for v in (full, twin):
                ids = Ids({names[v][k]: f"<{k}>" for k in
                           ("p1", "p2", "nobody", "hidden", "shown", "q1", "q2", "q0")})
                got = []
                for method, tmpl, body in ROUTES:
                    path = fill(tmpl, names[v])
                    st, h, out = v.srv.request(method, path, body=fill(body, names[v]),
                                               token=v.token)
                    text = out.decode("utf-8", "replace")
                    if tmpl == "/metrics":
                        text = ""  # counts of everything: the dpo's (point 7)
                    got.append((f"{method} {tmpl} {body or ''}", st, ids(text)))
                answers[v] = got
        finally:
            for v in (full, twin):
                v.srv.stop()
        for (what, st, text), (_, st2, text2) in zip(answers[full], answers[twin]):
            check((st, text) == (st2, text2),
                  f"{role}: {what}: with records it may not see {st} {text[:300]!r}, "
                  f"without {st2} {text2[:300]!r}")
        # nothing changed in what the role may not see
        after = {k: full.show(s) for k, s in full.people.items()}
        for key, activity in hidden:
            rid = full.records[(key, activity)]
            was = [r for r in before[key] if r["record"] == rid]
            now = [r for r in (after[key] or []) if r["record"] == rid]
            check(now == was, f"{role}: the {activity} record of {key} it may not see "
                              f"changed: {was} -> {now}")
        entries = t.json(full.srv.cli("--json", "audit", "log"))["entries"]
        for e in entries:
            if not e["actor"].startswith("api:"):
                continue
            check(e["activity"] is None or e["activity"] in sees,
                 f"{role}: an audit entry names activity {e['activity']}: {e}")
            check(e["record"] not in {full.records[h] for h in hidden},
                 f"{role}: an audit entry names a record it may not see: {e}")
            if "p1" not in {k for k, _ in shown}:
                check(e["subject"] != full.people["p1"], f"{role}: audit names p1: {e}")
            if "p2" not in {k for k, _ in shown}:
                check(e["subject"] != full.people["p2"], f"{role}: audit names p2: {e}")
        t.status(full.srv.cli("audit", "verify"), 0)
    t.ok(not wrong, "\n    ".join(wrong))


def test_the_dpo_sees_every_request_and_every_record(t):
    full = Vault(t, "dpo", lambda a: True)
    token = full.srv.token("dpo", "alice")
    full.srv.start()
    try:
        st, _, out = full.srv.get("/v1/requests", token=token)
        t.eq((st, sorted(r["request"] for r in j(out)["requests"])),
             (200, sorted(full.requests.values())), "every request")
        for key, s in full.people.items():
            st, _, out = full.srv.get(f"/v1/subjects/{s}", token=token)
            t.eq((st, len(j(out)["records"])),
                 (200, sum(1 for k, _ in full.records if k == key)), f"every record of {key}")
    finally:
        full.srv.stop()
