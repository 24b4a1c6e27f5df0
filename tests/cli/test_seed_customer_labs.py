"""CUSTOMER LABS's corrected policy (examples/customer-labs-corrected.yaml, seed 002)
lived through with PDVAULT_NOW: each retention sentence ends the record on the
day it says and not the day before, each right is answered, each recipient is
told. The faithful declaration's flaws are in test_lint (expected-findings)."""
import json

EXAMPLE = "examples/customer-labs-corrected.yaml"


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


def test_customer_labs_lints_clean(t):
    p = t.run("--json", "lint", t.path(EXAMPLE))
    t.status(p, 0)
    t.eq([f["rule"] for f in json.loads(p.out)["findings"]], [], "no error, no warning")


def test_customer_labs_contact_ends_with_the_answer_or_after_a_year(t):
    # "conservées pour la durée nécessaire au traitement de la demande"
    run = vault(t)
    a = ok(t, run, "2026-01-05", "collect", "contact", "name=Ana", "email=ana@example.org",
           "message=Un devis ?")
    t.eq(phases(t, run, "2026-01-20T09:59:59Z", a["subject"]), {"contact": "active"},
         "kept until the answer")
    ok(t, run, "2026-01-20T10:00:00Z", "event", a["subject"], "request-answered")
    t.eq(phases(t, run, "2026-01-20T10:00:00Z", a["subject"]), None, "ended by the answer")
    t.eq(found(t, run, "2026-01-20T10:00:00Z", "ana@example.org"), [], "gone")
    # a question never answered: at most a year from the last contact
    q = ok(t, run, "2026-01-05", "collect", "questions", "name=Bo", "email=bo@example.org",
           "message=Ma facture ?")
    t.eq(ok(t, run, "2027-01-05T23:59:59Z", "sweep")["deleted"], 0, "kept a year")
    t.eq(ok(t, run, "2027-01-06", "sweep")["deleted"], 1, "deleted after a year")
    t.eq(phases(t, run, "2027-01-06", q["subject"]), None, "gone")
    # "Le droit de refuser à tout moment le traitement": an objection to a
    # contact request (legitimate interests) restricts it while it is weighed
    # (Art. 18(1)(d)), and the host is told of the restriction (Art. 19), as
    # it was of each end (the answer, the year)
    c = ok(t, run, "2027-02-01", "collect", "contact", "name=Cy", "email=cy@example.org",
           "message=Bonjour")
    o = ok(t, run, "2027-02-02", "object", c["subject"], "--activity", "contact")
    t.eq(len(o["restricted"]), 1, "the objection restricts the contact request")
    t.eq(phases(t, run, "2027-02-02", c["subject"]), {"contact": "restricted"}, "restricted")
    told = [(m["kind"], m["recipient"]) for m in
            ok(t, run, "2027-02-02", "outbox", "list")["messages"] if m["recipient"]]
    t.eq(told, [("erasure", "host"), ("erasure", "host"), ("restriction", "host")],
         "the host told of both ends and of the restriction")


def test_customer_labs_prospecting_three_years_withdraw_object(t):
    run = vault(t)
    # "trois ans à des fins de prospection commerciale", from the last contact
    a = ok(t, run, "2026-01-05", "collect", "prospecting", "--consent", "name=Cé",
           "email=ce@example.org")
    ok(t, run, "2027-06-01T10:00:00Z", "event", a["subject"], "contact")
    t.eq(ok(t, run, "2030-06-01T23:59:59Z", "sweep")["deleted"], 0, "kept 3 years")
    t.eq(ok(t, run, "2030-06-02", "sweep")["deleted"], 1, "3 years after the last contact")
    # "le droit de retirer son consentement ... à tout moment"
    b = ok(t, run, "2026-01-05", "collect", "prospecting", "--consent", "name=Di",
           "email=di@example.org")
    ok(t, run, "2026-02-01", "consent", b["subject"], "prospecting", "withdraw")
    t.eq(phases(t, run, "2026-02-01", b["subject"]), None, "withdrawn: gone at once")
    # and the mailer is told (Art. 17(1)(b), 19): once for the end by the
    # clock above, once for the withdrawal
    t.eq([(m["kind"], m["recipient"]) for m in ok(t, run, "2026-02-01", "outbox", "list")
          ["messages"] if m["recipient"]], [("erasure", "mailer")] * 2,
         "the mailer told of the clock's end and of the withdrawal")
    # "le droit de refuser le traitement ... à des fins marketing": remembered
    c = ok(t, run, "2026-01-05", "collect", "prospecting", "--consent", "name=Ed",
           "email=ed@example.org")
    ok(t, run, "2026-02-01", "object", c["subject"])
    t.eq(phases(t, run, "2026-02-01", c["subject"]), None, "objection: gone at once")
    p = run("2026-06-01", "collect", "prospecting", "--consent", "name=Ed",
            "email=ed@example.org")
    t.status(p, 1)
    # the mailer is told of an erasure
    d = ok(t, run, "2026-01-05", "collect", "prospecting", "--consent", "name=Fa",
           "email=fa@example.org")
    ok(t, run, "2026-03-01", "erase", d["subject"])
    kinds = [(m["kind"], m["recipient"]) for m in ok(t, run, "2026-03-01", "outbox", "list")
             ["messages"] if m["recipient"]]
    t.ok(("erasure", "mailer") in kinds, f"the mailer is told: {kinds}")


def test_customer_labs_rights_request_without_id_card_kept_as_proof(t):
    run = vault(t)
    c = ok(t, run, "2026-01-05", "collect", "contact", "name=Gil", "email=gil@example.org",
           "message=Bonjour")
    # access: no identity card asked of everyone; due in a month
    r = ok(t, run, "2026-02-02", "request", "open", "access", "--email", "gil@example.org")
    t.eq(r["due"], "2026-03-02", "one month from receipt")
    p = run("2026-02-02", "export", c["subject"])
    t.status(p, 0)
    t.contains(p.out, "gil@example.org", "the copy")
    # the request itself is kept on a legal obligation, until closed then 5 years
    q = ok(t, run, "2026-02-02", "collect", "rights-requests", "email=gil@example.org",
           "request=accès à mes données")
    t.eq(phases(t, run, "2026-02-20T09:00:00Z", q["subject"]), {"contact": "active", "rights-requests": "active"}, "active while open")
    ok(t, run, "2026-02-20T10:00:00Z", "event", q["subject"], "request-closed")
    # answered (an open request would hold the person's records from the sweep)
    ok(t, run, "2026-02-20T10:00:00Z", "request", "close", r["request"])
    t.eq(phases(t, run, "2026-02-20T10:00:00Z", q["subject"]), {"contact": "active", "rights-requests": "archived"}, "archived once closed")
    e = ok(t, run, "2026-03-01", "erase", q["subject"])
    t.contains(json.dumps(e["kept"]), "legal obligation", "the proof of the answer is kept")
    t.eq(phases(t, run, "2026-03-01", q["subject"]), {"rights-requests": "archived"},
         "the contact request is erased, the proof stays")
    t.eq(ok(t, run, "2031-02-20T23:59:59Z", "sweep")["deleted"], 0, "kept 5 years")
    t.eq(ok(t, run, "2031-02-21", "sweep")["deleted"], 1, "deleted after 5 years")


def test_customer_labs_collect_through_each_form(t):
    """The one contact form, split as the corrected policy has it: a contact
    request, a question, and prospecting with its own consent box; each
    through the real `pdvault serve`, found in its activity with its basis and
    purpose, a missing required field or an unticked box refused naming it."""
    from seedforms import Form, through_each_form
    through_each_form(t, EXAMPLE, [
        Form("contact", {"name": "Cé", "email": "ce@example.org", "message": "Bonjour"},
             ["Legitimate interests"], "contact requests"),
        Form("questions", {"name": "Di", "email": "di@example.org", "message": "Une question"},
             ["Legitimate interests"], "questions"),
        Form("prospecting", {"name": "Ed", "email": "ed@example.org"}, ["Consent"],
             "Information about the Company", consent=True),
    ], collecting=["prospecting"])
