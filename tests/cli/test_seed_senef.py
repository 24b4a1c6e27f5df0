"""SENEF's corrected policy (examples/senef-corrected.yaml, seed 001)
lived through with PDVAULT_NOW: each retention sentence ends the record on the
day it says and not the day before, each right is answered, each recipient is
told. The faithful declaration's flaws are in test_lint (expected-findings)."""
import json

EXAMPLE = "examples/senef-corrected.yaml"


def vault(t):
    cfg = t.path(EXAMPLE)

    def run(when, *args, stdin=None):
        return t.run("--json", *args, env={"PDVAULT_CONFIG": cfg, "PDVAULT_NOW": when},
                     stdin=stdin)
    t.status(run("2026-01-05T09:00:00Z", "init"), 0)
    return run


def ok(t, run, when, *args):
    p = run(when, *args)
    t.status(p, 0)
    return json.loads(p.out)


def phases(t, run, when, subject):
    """What `show` says of a subject: {activity: phase}, or None once gone."""
    p = run(when, "show", subject)
    if p.returncode == 1:
        t.eq(json.loads(p.out)["error"]["code"], "not_found", "show of a subject gone")
        return None
    t.status(p, 0)
    return {r["activity"]: r["phase"] for r in json.loads(p.out)["records"]}


def found(t, run, when, email):
    return ok(t, run, when, "find", "--email", email)["subjects"]


def test_senef_lints_without_error_or_warning(t):
    p = t.run("--json", "lint", t.path(EXAMPLE))
    t.status(p, 0)
    t.eq([(f["rule"], f["severity"]) for f in json.loads(p.out)["findings"]],
         [("emarketing-consent", "info")], "only the B2B prospecting reminder")


def test_senef_prospect_3_years_objection_remembered(t):
    run = vault(t)
    a = ok(t, run, "2026-01-05", "collect", "prospecting", "last_name=Roy", "first_name=Eva",
           "email=eva@prospect.example")
    ok(t, run, "2026-09-01T10:00:00Z", "event", a["subject"], "contact")
    t.eq(ok(t, run, "2029-09-01T23:59:59Z", "sweep")["deleted"], 0, "kept 3 years")
    t.eq(ok(t, run, "2029-09-02", "sweep")["deleted"], 1, "3 years after the last contact")
    t.eq(found(t, run, "2029-09-02", "eva@prospect.example"), [], "gone")
    # "the right to object to any commercial prospecting": at once, and remembered
    b = ok(t, run, "2026-01-05", "collect", "prospecting", "last_name=Lam", "first_name=Jo",
           "email=jo@prospect.example")
    ok(t, run, "2026-02-01", "object", b["subject"])
    t.eq(phases(t, run, "2026-02-01", b["subject"]), None, "objection ends prospecting")
    p = run("2027-02-01", "collect", "prospecting", "last_name=Lam", "first_name=Jo",
            "email=jo@prospect.example")
    t.status(p, 1)


def test_senef_contract_archived_anonymised_invoice_10_years(t):
    run = vault(t)
    c = ok(t, run, "2026-01-05", "collect", "contracts", "last_name=Roy", "first_name=Eva",
           "email=eva@client.example")
    i = ok(t, run, "2026-01-05", "collect", "invoicing", "last_name=Roy",
           "email=eva@client.example", "address=1 rue du Port, Lille")
    sid = c["subject"]
    t.eq(i["subject"], sid, "the same contact")
    # "5 years from the date of conclusion", then the limitation period, 5 years
    t.eq(ok(t, run, "2031-01-05T23:59:59Z", "sweep")["archived"], 0, "active 5 years")
    t.eq(ok(t, run, "2031-01-06", "sweep")["archived"], 1, "archived after 5 years")
    t.eq(phases(t, run, "2031-01-06", sid)["contracts"], "archived", "archived")
    t.eq(ok(t, run, "2036-01-05T23:59:59Z", "sweep")["anonymised"], 0, "archive lasts 5 years")
    t.eq(ok(t, run, "2036-01-06", "sweep")["anonymised"], 1, "then anonymised")
    # invoices: 10 years from the end of the financial year (31 Dec 2026)
    t.eq(phases(t, run, "2036-12-31T23:59:59Z", sid), {"invoicing": "active"}, "kept 10 years")
    t.eq(ok(t, run, "2037-01-01", "sweep")["deleted"], 1, "deleted on 1 Jan 2037")
    t.eq(phases(t, run, "2037-01-01", sid), None, "nothing left")


def test_senef_rights_belong_to_the_person(t):
    run = vault(t)
    c = ok(t, run, "2026-01-05", "collect", "contracts", "last_name=Kim", "first_name=Ada",
           "email=ada@client.example")
    i = ok(t, run, "2026-01-05", "collect", "invoicing", "last_name=Kim",
           "email=ada@client.example", "address=2 rue A, Lille")
    sid = c["subject"]
    # access: the staff member asks herself, and gets a copy
    r = ok(t, run, "2026-03-02", "request", "open", "access", "--email", "ada@client.example")
    t.eq(r["due"], "2026-04-02", "one month, not 'a reasonable time'")
    p = run("2026-03-02", "export", sid)
    t.status(p, 0)
    t.contains(p.out, "ada@client.example", "the copy")
    # restriction applies (the policy had excluded it)
    t.eq(ok(t, run, "2026-03-03", "restrict", sid), {"restricted": True}, "restricted")
    t.eq(ok(t, run, "2026-03-04", "restrict", sid, "--lift"), {"restricted": False}, "lifted")
    # erasure: the contract contact goes, the invoice stays, the provider is told
    e = ok(t, run, "2026-04-01", "erase", sid)
    t.contains(json.dumps(e["kept"]), "legal obligation", "the invoice is kept")
    t.eq(phases(t, run, "2026-04-01", sid), {"invoicing": "active"}, "only the invoice")
    kinds = [(m["kind"], m["recipient"]) for m in ok(t, run, "2026-04-01", "outbox", "list")
             ["messages"] if m["recipient"]]
    t.ok(("erasure", "providers") in kinds, f"the IT provider is told of the erasure: {kinds}")
    t.ok(("restriction", "providers") in kinds, f"and of the restriction: {kinds}")


def test_senef_cctv_one_month_unless_held(t):
    run = vault(t)
    v = ok(t, run, "2026-01-05", "collect", "cctv", "footage=cam1-0105")
    w = ok(t, run, "2026-01-05", "collect", "cctv", "footage=cam2-0105")
    b = ok(t, run, "2026-01-05", "collect", "premises-access", "last_name=Roy", "company=ACME")
    # a dispute: the footage is held, not "extended for the limitation period"
    hold = ok(t, run, "2026-01-20", "hold", w["subject"], "--reason", "incident at the gate")["hold"]
    t.eq(ok(t, run, "2026-02-05T23:59:59Z", "sweep")["deleted"], 0, "kept one month")
    t.eq(ok(t, run, "2026-02-06", "sweep")["deleted"], 2, "footage and register: one month")
    t.eq(phases(t, run, "2026-02-06", v["subject"]), None, "footage gone")
    t.eq(phases(t, run, "2026-02-06", b["subject"]), None, "register entry gone")
    t.eq(phases(t, run, "2026-02-06", w["subject"]), {"cctv": "active"}, "held footage stays")
    ok(t, run, "2026-06-01", "hold", "--lift", hold)
    t.eq(ok(t, run, "2026-06-01", "sweep")["deleted"], 1, "deleted once the hold is lifted")
    # technical data: 1 year from collection
    d = ok(t, run, "2026-01-05", "collect", "technical-data", "ip=192.0.2.7")
    t.eq(ok(t, run, "2027-01-05T23:59:59Z", "sweep")["deleted"], 0, "kept one year")
    t.eq(ok(t, run, "2027-01-06", "sweep")["deleted"], 1, "deleted after a year")
    t.eq(phases(t, run, "2027-01-06", d["subject"]), None, "gone")


def test_senef_collect_through_each_form(t):
    """SENEF's policy names no web form on consent or contract (the privacy
    center offers none), but its events take registrations: one through the
    real `pdvault serve`, found in `events` on legitimate interests, a
    registration without its name refused naming the field."""
    from seedforms import Form, through_each_form
    through_each_form(t, EXAMPLE, [
        Form("events", {"last_name": "Roy", "email": "roy@example.org"},
             ["Legitimate interests"], "events"),
    ], collecting=[])
