"""The accountability dossier (`pdvault dossier`) and the DPV export of the
declaration (`pdvault register --format dpv`).

The dossier is lived through on Alegria.tech's corrected policy over three
years with PDVAULT_NOW: collections, sweeps on time and one skipped for six
weeks past a due day, requests answered on time and one late, an erasure
whose recipients are told (Art. 19), a breach told to the authority within
72 hours, a key rotation. The dossier must list exactly the late request and
the late sweep as late; be well-formed HTML with no external resource; and
every audit entry it cites must be in the log."""
import json
import os
import re
import sys
from html.parser import HTMLParser

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "http"))
from test_server import Server  # noqa: E402
from vaultlib import without_ids  # noqa: E402

DECL = "examples/alegria-corrected.yaml"
VOID = {"meta", "br", "hr", "img", "input", "link", "wbr", "col", "area", "base", "source"}


def vault(t):
    cfg = t.path(DECL)

    def run(when, *args):
        return t.run(*args, env={"PDVAULT_CONFIG": cfg, "PDVAULT_NOW": when})
    t.status(run("2026-01-05T09:00:00Z", "init"), 0)
    return run


def jrun(t, run, when, *args):
    p = run(when, "--json", *args)
    t.status(p, 0)
    return json.loads(p.out)


class Page(HTMLParser):
    """The tags as a stack (well-formedness), the rows of each section with
    their class and cells, and every src/href."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.links = [], [], []
        self.section = None
        self.rows = []  # (section, late, cells, refs)
        self.row = None
        self.cell = None
        self.late_count = None
        self.chain = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k in ("src", "href"):
            if k in a:
                self.links.append(a[k])
        if a.get("data-late-count") is not None:
            self.late_count = int(a["data-late-count"])
        if a.get("data-chain"):
            self.chain = a["data-chain"]
        if tag in VOID:
            return
        self.stack.append(tag)
        if tag == "section":
            self.section = a.get("data-section")
        elif tag == "tr":
            self.row = {"late": "late" in (a.get("class") or "").split(), "cells": [],
                        "refs": None}
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""
            if "data-refs" in a:
                self.row["refs"] = a["data-refs"]

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()
        if tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row["cells"].append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append((self.section, self.row["late"], self.row["cells"], self.row["refs"]))
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def parse(t, html):
    page = Page()
    page.feed(html)
    page.close()
    t.eq(page.errors, [], "well-formed")
    t.eq(page.stack, [], "every element closed")
    t.ok(html.startswith("<!DOCTYPE html>"), "a standalone page")
    return page


def seqs(refs):
    out = []
    for part in (refs or "").split(","):
        part = part.strip()
        if not part or part.startswith("and "):
            continue
        a, _, b = part.partition("-")
        out.extend(range(int(a), int(b or a) + 1))
    return out


def scenario(t):
    run = vault(t)
    # 2026: people collect; a quote each in January and March
    q1 = jrun(t, run, "2026-01-10T10:00:00Z", "collect", "quote", "last_name=Un",
              "first_name=A", "email=a@example.org")["subject"]
    q2 = jrun(t, run, "2026-03-01T10:00:00Z", "collect", "quote", "last_name=Deux",
              "first_name=B", "email=b@example.org")["subject"]
    c1 = jrun(t, run, "2026-01-12T10:00:00Z", "collect", "contact", "--consent",
              "last_name=Trois", "first_name=C", "email=c@example.org", "message=hello")["subject"]
    c2 = jrun(t, run, "2026-01-13T10:00:00Z", "collect", "appointment", "--consent",
              "name=D Quatre", "email=d@example.org", "phone=+33612345678")["subject"]
    jrun(t, run, "2026-02-01T08:00:00Z", "consent", c2, "appointment", "withdraw")
    # an access answered in nine days, an erasure in four (Art. 19 notices)
    r1 = jrun(t, run, "2026-02-02T09:00:00Z", "request", "open", "access",
              "--subject", c1, "--received", "2026-02-02")["request"]
    jrun(t, run, "2026-02-11T09:00:00Z", "request", "close", r1)
    e1 = jrun(t, run, "2026-04-01T09:00:00Z", "collect", "contact", "--consent",
              "last_name=Cinq", "first_name=E", "email=e@example.org", "message=bye")["subject"]
    r2 = jrun(t, run, "2026-04-02T09:00:00Z", "request", "open", "erasure",
              "--subject", e1, "--received", "2026-04-02")["request"]
    jrun(t, run, "2026-04-06T09:00:00Z", "request", "close", r2)
    # sweeps: nothing due in June; the January quote ends the day after its
    # due day (on time); then no sweep until mid-April: the March quote,
    # due on 1 March 2027, ends six weeks late
    for when in ("2026-06-01T03:00:00Z", "2027-01-11T03:00:00Z"):
        jrun(t, run, when, "sweep")
    late = jrun(t, run, "2027-04-15T03:00:00Z", "sweep")
    t.eq(late["deleted"], 1, "the March quote ends in the late sweep")
    jrun(t, run, "2027-04-16T03:00:00Z", "sweep")
    # an access received 2 May 2027, answered on 1 July: late
    r3 = jrun(t, run, "2027-05-02T09:00:00Z", "request", "open", "access",
              "--subject", c1, "--received", "2027-05-02")["request"]
    jrun(t, run, "2027-07-01T09:00:00Z", "request", "close", r3)
    # a breach, told to the authority the next day
    b = jrun(t, run, "2027-09-01T12:00:00Z", "breach", "open", "--aware",
             "2027-09-01T10:00:00Z", "--summary", "a laptop lost", "--risk", "risk",
             "--reason", "encrypted disk, but a paper list")["breach"]
    jrun(t, run, "2027-09-02T10:00:00Z", "breach", "notify", b, "--authority")
    t.status(run("2028-03-01T10:00:00Z", "key", "rotate"), 0)
    jrun(t, run, "2028-06-01T03:00:00Z", "sweep")
    return run, {"q1": q1, "q2": q2, "late_request": r3, "breach": b}


def test_alegria_over_three_years_lists_the_late_request_and_sweep_and_nothing_else(t):
    run, ids = scenario(t)
    p = run("2029-01-02T10:00:00Z", "dossier", "--from", "2026-01-01", "--to", "2028-12-31",
            "-o", "dossier.html")
    t.status(p, 0)
    with open(f"{t.tmp}/dossier.html", encoding="utf-8") as f:
        html = f.read()
    page = parse(t, html)
    late = [(s, c) for s, lt, c, _ in page.rows if lt]
    t.eq(sorted(s for s, _ in late), ["requests", "sweeps"], "late rows: one request, one sweep")
    t.eq(page.late_count, 2, "the summary counts two late items")
    req = [c for s, c in late if s == "requests"][0]
    t.contains(req[0], ids["late_request"], "the late request is the one answered in July")
    t.eq(req[2], "2027-05-02", "received")
    t.ok(req[4].startswith("2027-07-01"), f"answered 1 July: {req[4]}")
    sweep = [c for s, c in late if s == "sweeps"][0]
    t.eq(sweep[0], "2027-04-15T03:00:00Z", "the late run")
    t.eq(sweep[4], "1", "one transition moved late")
    lt = [c for s, _, c, _ in page.rows if s == "late-transitions" and c[0] != "Record"]
    t.eq(len(lt), 1, "one late transition listed")
    t.eq((lt[0][1], lt[0][2], lt[0][4]), ("quote", "2027-03-02T00:00:00Z", "44"),
         "the March quote, kept to the end of 1 March, ended 44 days after")
    # every request, sweep and breach is there, the others on time
    rows = lambda sec: [c for s, _, c, _ in page.rows if s == sec and c
                        and c[0] not in ("Request", "Run", "Breach")]
    t.eq(len(rows("requests")), 3, "three requests")
    t.eq(len(rows("sweeps")), 5, "five sweep runs")
    t.eq([c[-2] for c in rows("breaches")], ["on time"], "the breach was told in time")
    t.eq(len([c for s, _, c, _ in page.rows if s == "keys" and c[0] != "Rotated"]), 1,
         "one key rotation")
    t.eq(page.chain, "ok", "the chain verifies")
    # Art. 19: each erasure's recipients were queued a notice: the erasure asked,
    # the appointment withdrawn and the contact the clock ended (each an "end")
    notices = {c[0]: c for s, _, c, _ in page.rows if s == "notices" and c[0] != "Recipient"}
    t.eq((notices["webflow"][1], notices["webflow"][2]), ("3", "3"),
         "webflow told of each of the three erasures")
    t.eq(notices["brevo"][1], "0", "brevo had nothing erased")
    # consents: the ledger per consent activity
    cons = {c[0]: c for s, _, c, _ in page.rows if s == "consents" and c[0] != "Activity"}
    t.eq((cons["contact"][1], cons["appointment"][1], cons["appointment"][3]), ("2", "1", "1"),
         "collections with consent and the withdrawal")
    t.lacks(html, 'data-hook="cookie-receipts"', "no hook left in place of the receipts")
    t.eq([c[0] for s, _, c, _ in page.rows if s == "cookie-receipts"], [],
         "no banner configured: the cookie section has no row")
    # self-contained: no resource or link outside the page
    t.eq([u for u in page.links if not u.startswith("#")], [], "only anchors")
    t.lacks(html, "http://", "no http URL")
    t.ok(not re.search(r"https?://", html), "no URL at all")
    t.lacks(html, "<script", "no script")
    # every figure's entries exist in the log, and the appendix lists them
    log = {e["seq"]: e for e in jrun(t, run, "2029-01-02T10:00:00Z", "audit", "log")["entries"]}
    cited = set()
    for s, _, c, refs in page.rows:
        if s != "audit-entries":
            cited.update(seqs(refs))
    t.ok(cited, "rows cite entries")
    t.eq(sorted(cited - set(log)), [], "every cited entry is in the log")
    listed = {int(c[0]) for s, _, c, _ in page.rows if s == "audit-entries" and c[0] != "Entry"}
    t.eq(listed, cited, "the appendix lists exactly the cited entries")
    for n in seqs([r for s, lt, _, r in page.rows if lt and s == "sweeps"][0]):
        t.ok(log[n]["action"] in ("sweep", "sweep-late"), f"the late sweep cites entry {n}")
    # the privacy of the page: no collected value (looked for past the page's
    # ids, about 40 of them: "Deux" is in one by chance one time in 20,000)
    for v in ("a@example.org", "Deux", "hello", "+33612345678", "a laptop lost"):
        t.lacks(without_ids(html), v, "no personal data or sealed text")


def test_a_period_without_them_has_nothing_late(t):
    run, _ = scenario(t)
    p = run("2029-01-02T10:00:00Z", "dossier", "--from", "2026-01-01", "--to", "2026-12-31")
    t.status(p, 0)
    page = parse(t, p.out)
    t.eq([s for s, lt, _, _ in page.rows if lt], [], "2026: nothing late")
    t.eq(len([c for s, _, c, _ in page.rows if s == "sweeps" and c[0] != "Run"]), 1,
         "the one 2026 sweep")


def test_cookie_receipts_per_banner_configuration(t):
    """Two banner configurations of a declaration with trackers, receipts
    posted to the server: the dossier counts each configuration's receipts by
    event, with GPC and per purpose, and cites their "cookie-receipt" entries"""
    srv = Server(t, env={"PDVAULT_CONFIG": t.path("examples/clayrtons-corrected.yaml")})
    configs = {}
    for kit, lang in (("klaro", "en"), ("tarteaucitron", "fr")):
        p = srv.cli("--json", "banner", "--kit", kit, "--lang", lang, "-o", f"{kit}.js")
        t.status(p, 0)
        text = open(f"{t.tmp}/{kit}.js").read()
        line = next(li for li in text.splitlines() if li.startswith("window.pdvaultBanner = "))
        configs[kit] = json.loads(line[len("window.pdvaultBanner = "):].rstrip(";"))
    t.ok(configs["klaro"]["config"] != configs["tarteaucitron"]["config"], "two configurations")
    on = {"audience": True, "social": True, "advertising": True}
    off = {"audience": False, "social": False, "advertising": False}
    some = {"audience": True, "social": False, "advertising": False}
    posted = (("klaro", "accept", on, False), ("klaro", "refuse", off, True),
              ("klaro", "change", some, False), ("klaro", "refuse", off, False),
              ("tarteaucitron", "withdraw", off, True))
    srv.start()
    try:
        for i, (kit, event, choices, gpc) in enumerate(posted):
            view = configs[kit]
            st, _, out = srv.request(
                "POST", "/v1/cookies/receipts",
                body={"consent_id": f"Zq8v0yM4kX2pL7sN1rT5w{'ABCDE'[i]}",
                      "config": view["config"], "declaration": view["declaration"],
                      "event": event, "choices": choices, "given_at": "2026-03-02T09:59:58Z"},
                headers={"Sec-GPC": "1"} if gpc else {})
            t.eq(st, 201, f"receipt {i} taken: {out[:200]!r}")
    finally:
        srv.stop()
    p = srv.cli("dossier", "--from", "2026-03-01", "--to", "2026-03-31",
                now="2026-04-01T10:00:00Z")
    t.status(p, 0)
    page = parse(t, p.out)
    rows = {c[0]: (c, refs) for s, _, c, refs in page.rows
            if s == "cookie-receipts" and c[0] != "Banner configuration"}
    t.eq(sorted(rows), sorted(v["config"] for v in configs.values()),
         "one row per banner configuration")
    klaro, krefs = rows[configs["klaro"]["config"]]
    tarte, trefs = rows[configs["tarteaucitron"]["config"]]
    t.eq((klaro[1], klaro[2], tarte[1], tarte[2]), ("klaro", "en", "tarteaucitron", "fr"),
         "kit and language")
    t.ok(re.match(r"2026-03-02T10:00:00Z?", klaro[3]), f"created when written: {klaro[3]}")
    t.eq(klaro[4:9], ["1", "2", "1", "0", "1"], "klaro: accepted, refused, changed, withdrawn, GPC")
    t.eq(tarte[4:9], ["0", "0", "0", "1", "1"], "tarteaucitron: one withdrawal with GPC")
    per = dict(re.findall(r"(\w+): (\d+ / \d+)", klaro[9]))
    t.eq((per["audience"], per["social"], per["advertising"]), ("2 / 2", "1 / 3", "1 / 3"),
         "klaro per purpose: granted / refused")
    t.lacks(klaro[9], "kept", "every receipt is still kept")
    log = {e["seq"]: e for e in t.json(srv.cli("--json", "audit", "log",
                                               now="2026-04-01T10:00:00Z"))["entries"]}
    for cells, refs, n in ((klaro, krefs, 4), (tarte, trefs, 1)):
        cited = seqs(refs)
        t.eq(len(cited), n, f"{cells[1]}: one entry per receipt")
        for k in cited:
            t.eq(log[k]["action"], "cookie-receipt", f"entry {k} is a receipt")
            t.eq(log[k]["detail"].split(" ")[1], cells[0], f"entry {k} names the configuration")
    events = sorted(log[k]["detail"].split(" ")[0] for k in seqs(krefs))
    t.eq(events, ["accept", "change", "refuse", "refuse"], "the entries' events are the counts")
    listed = {int(c[0]) for s, _, c, _ in page.rows if s == "audit-entries" and c[0] != "Entry"}
    t.ok(set(seqs(krefs)) | set(seqs(trefs)) <= listed, "the appendix lists them")
    # a period before the receipts: the configurations, nothing counted
    p = srv.cli("dossier", "--from", "2026-01-01", "--to", "2026-03-01",
                now="2026-04-01T10:00:00Z")
    t.status(p, 0)
    t.eq([c for s, _, c, _ in parse(t, p.out).rows
          if s == "cookie-receipts" and c[0] != "Banner configuration"], [],
         "no configuration made yet by the end of that period")
    # swept after proof_retention (5 years): the entries still count the events,
    # the row says its purposes come from none of the 4 receipts
    t.status(srv.cli("sweep", now="2031-03-04T10:00:00Z"), 0)
    p = srv.cli("dossier", "--from", "2026-03-01", "--to", "2026-03-31",
                now="2031-03-05T10:00:00Z")
    t.status(p, 0)
    after = {c[0]: c for s, _, c, _ in parse(t, p.out).rows if s == "cookie-receipts"}
    swept = after[configs["klaro"]["config"]]
    t.eq(swept[4:9], klaro[4:9], "the counts by event stand on the audit entries")
    t.contains(swept[9], "from the 0 receipts still kept of 4", "the purposes' source is said")


def test_usage_errors(t):
    run = vault(t)
    for args, needle in ((["--from", "2026-01-01"], "usage"),
                         (["--from", "yesterday", "--to", "2026-01-01"], "--from"),
                         (["--from", "2026-02-01", "--to", "2026-01-01"], "--to")):
        p = run("2026-03-01T00:00:00Z", "dossier", *args)
        t.status(p, 2)
        t.contains(p.err, needle, "the message names the option")


# ---- DPV -------------------------------------------------------------------

# DPV 2.0 terms this export may use (w3c/dpv 2.0: dpv core, pd, eu-gdpr, loc)
DPV_TERMS = {
    "dpv": {"PersonalDataHandling", "hasPurpose", "Purpose", "hasLegalBasis", "LegalBasis",
            "hasPersonalData", "PersonalData", "hasDataController", "DataController",
            "hasRecipient", "Recipient", "hasDataProcessor", "DataProcessor",
            "hasJointDataControllers", "JointDataControllers", "Authority", "hasDataSubject",
            "DataSubject", "Customer", "Employee", "JobApplicant", "Patient", "Visitor", "Citizen",
            "Child", "hasStorageCondition", "StorageDuration", "StorageDeletion", "hasDuration",
            "Duration", "hasCountry", "hasDataProtectionOfficer", "DataProtectionOfficer",
            "hasRepresentative", "Representative", "hasTechnicalOrganisationalMeasure",
            "TechnicalOrganisationalMeasure"},
    "pd": {"Name", "EmailAddress", "TelephoneNumber", "City", "Country", "PostalCode", "Street",
           "Region", "PhysicalAddress", "AgeRange", "BirthDate", "Gender", "Language",
           "MaritalStatus", "PoliticalOpinion", "EthnicOrigin", "ReligiousBelief",
           "SexualPreference", "Demographic", "Genetic", "Health", "Fingerprint", "Retina",
           "Biometric", "Password", "Authenticating", "BankAccount", "PaymentCard", "Financial",
           "IPAddress", "DeviceBased", "GPSCoordinate", "Location", "Passport", "OfficialID",
           "Criminal", "BrowserHistory", "Purchase", "Behavioral", "Username", "UID", "Picture",
           "Job", "WorkEnvironment", "EmploymentHistory", "WorkHistory",
           "EducationQualification", "ProfessionalEvaluation", "Professional",
           "PrivacyPreference", "Social"},
    "eu-gdpr": {f"A6-1-{x}" for x in "abcdef"},
    "dct": {"title", "description", "identifier"},
}


def walk(node, found):
    """Every key and every @id/@type value, as (where, term)."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k != "@context":
                found.append(("key", k))
                if k in ("@id", "@type"):
                    for x in (v if isinstance(v, list) else [v]):
                        found.append((k, x))
                walk(v, found)
    elif isinstance(node, list):
        for v in node:
            walk(v, found)


def test_register_as_dpv_json_ld(t):
    p = t.run("--config", t.path(DECL), "register", "--format", "dpv")
    t.status(p, 0)
    doc = t.json(p)
    ctx = doc["@context"]
    t.eq(ctx["dpv"], "https://w3id.org/dpv#", "the DPV namespace")
    t.eq(ctx["pd"], "https://w3id.org/dpv/pd#", "the PD extension")
    t.eq(ctx["eu-gdpr"], "https://w3id.org/dpv/legal/eu/gdpr#", "the GDPR extension")
    found = []
    walk(doc["@graph"], found)
    for where, term in found:
        if term.startswith("@") or term.startswith("urn:pdvault:"):
            continue
        prefix, sep, local = term.partition(":")
        t.ok(sep and prefix in ctx, f"{where} {term}: its prefix is declared")
        if prefix in DPV_TERMS:
            t.ok(local in DPV_TERMS[prefix], f"{term} is a DPV 2 term")
        elif prefix == "loc":
            t.ok(re.fullmatch(r"[A-Z]{2}", local), f"{term}: a country")
        else:
            t.eq(prefix, "pdvault", f"{term}: a pdvault term")
    handling = {n["dct:identifier"]: n for n in doc["@graph"]
                if n.get("@type") == "dpv:PersonalDataHandling"}
    with open(t.path(DECL), encoding="utf-8") as f:
        declared = re.findall(r"^  - id: (\S+)", f.read(), re.M)
    t.eq(sorted(handling), sorted(declared), "every activity, once")
    contact = handling["contact"]
    t.eq(contact["dpv:hasLegalBasis"], [{"@id": "eu-gdpr:A6-1-a"}], "consent: Art. 6(1)(a)")
    t.eq(handling["rights-requests"]["dpv:hasLegalBasis"], [{"@id": "eu-gdpr:A6-1-c"}],
         "legal obligation: Art. 6(1)(c)")
    pd = [x.get("@id") for x in contact["dpv:hasPersonalData"]]
    t.ok("pd:Name" in pd and "pd:EmailAddress" in pd, f"mapped categories: {pd}")
    t.ok("urn:pdvault:category:pdv.user.content.message" in pd, "the unmapped one is pdvault's")
    t.eq(contact["dpv:hasDataController"], {"@id": "urn:pdvault:controller"}, "the controller")
    t.eq(contact["dpv:hasDataProcessor"],
         [{"@id": "urn:pdvault:recipient:webflow"}, {"@id": "urn:pdvault:recipient:airtable"}],
         "its processors")
    subjects = [x["@id"] for x in contact["dpv:hasDataSubject"]]
    t.eq(subjects, ["urn:pdvault:subject:prospect", "dpv:Customer"], "subjects")
    t.eq(contact["dpv:hasStorageCondition"][0]["@type"], "dpv:StorageDuration", "retention")
    t.ok(contact["dpv:hasPurpose"][0]["dct:description"], "the purpose in words")
    ids = [n["@id"] for n in doc["@graph"]]
    t.eq(len(ids), len(set(ids)), "node ids are unique")
    t.ok("urn:pdvault:recipient:webflow" in ids, "the recipients are nodes")


def test_a_record_held_past_its_due_day_is_not_a_late_sweep(t):
    """The sweep that saw the record due and kept it (an open request) said
    so: the run that moves it weeks later, once the request is closed, is
    not late; the one that never ran is (test above)."""
    run = vault(t)
    s = jrun(t, run, "2026-01-10T10:00:00Z", "collect", "quote", "last_name=Un",
             "first_name=A", "email=a@example.org")["subject"]
    q = jrun(t, run, "2027-01-05T09:00:00Z", "request", "open", "access", "--subject", s,
             "--received", "2027-01-05")["request"]
    t.eq(jrun(t, run, "2027-01-12T03:00:00Z", "sweep")["held_by_request"], 1,
         "due on 11 January, kept while the request is open")
    jrun(t, run, "2027-02-01T09:00:00Z", "request", "close", q)
    t.eq(jrun(t, run, "2027-02-02T03:00:00Z", "sweep")["deleted"], 1, "ended once answered")
    p = run("2027-03-01T00:00:00Z", "dossier", "--from", "2027-01-01", "--to", "2027-02-28")
    t.status(p, 0)
    page = parse(t, p.out)
    t.eq([(s, c[0]) for s, lt, c, _ in page.rows if lt], [], "nothing late")
    runs = [c for s, _, c, _ in page.rows if s == "sweeps" and c[0] != "Run"]
    t.eq([(c[0], c[3], c[4]) for c in runs],
         [("2027-01-12T03:00:00Z", "1", "0"), ("2027-02-02T03:00:00Z", "0", "0")],
         "the first run held it, the second moved it, neither late")
