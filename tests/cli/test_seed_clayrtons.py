"""Clayrton's corrected policy (examples/clayrtons-corrected.yaml, seed 000)
lived through with PDVAULT_NOW: each retention sentence ends the record on the
day it says and not the day before, each right is answered, each recipient is
told. The faithful declaration's flaws are in test_lint (expected-findings)."""
import json

EXAMPLE = "examples/clayrtons-corrected.yaml"


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


def test_clayrtons_lints_clean(t):
    p = t.run("--json", "lint", t.path(EXAMPLE))
    t.status(p, 0)
    t.eq([f["rule"] for f in json.loads(p.out)["findings"]], [], "no error, no warning")


def test_clayrtons_site_form_3_years_from_last_contact(t):
    # "Data is retained for 3 years from the last contact"
    run = vault(t)
    sid = ok(t, run, "2026-01-05T09:00:00Z", "collect", "site-forms", "name=Léa",
             "email=lea@example.org", "message=Une démo ?")["subject"]
    ok(t, run, "2026-06-10T10:00:00Z", "event", sid, "contact")
    t.eq(ok(t, run, "2029-06-10T23:59:59Z", "sweep")["deleted"], 0, "kept the last day")
    t.eq(phases(t, run, "2029-06-10T23:59:59Z", sid), {"site-forms": "active"}, "active")
    t.eq(ok(t, run, "2029-06-11", "sweep")["deleted"], 1, "deleted 3 years after the contact")
    t.eq(phases(t, run, "2029-06-11", sid), None, "gone, with no archive")
    t.eq(found(t, run, "2029-06-11", "lea@example.org"), [], "not findable")
    # "The mandatory fields are marked with an asterisk": refused without them
    p = run("2026-01-05", "collect", "site-forms", "message=sans nom ni adresse")
    t.status(p, 1)
    t.contains(json.loads(p.out)["error"]["message"], "name")


def test_clayrtons_objection_and_erasure_tell_the_crm(t):
    run = vault(t)
    a = ok(t, run, "2026-01-05", "collect", "site-forms", "name=Ali", "email=ali@example.org")
    b = ok(t, run, "2026-01-05", "collect", "site-forms", "name=Bea", "email=bea@example.org")
    # the right to object to legitimate interests: the record is restricted
    # while the objection is weighed (Art. 18(1)(d)), then erased (17(1)(c))
    ok(t, run, "2026-02-01", "object", a["subject"], "--activity", "site-forms")
    t.eq(phases(t, run, "2026-02-01", a["subject"]), {"site-forms": "restricted"}, "restricted")
    ok(t, run, "2026-02-02", "erase", a["subject"])
    t.eq(phases(t, run, "2026-02-02", a["subject"]), None, "objection upheld: erased")
    # access: the copy says what is kept, and the request is due in a month
    r = ok(t, run, "2026-03-02", "request", "open", "access", "--email", "bea@example.org")
    t.eq(r["due"], "2026-04-02", "one month from receipt")
    p = run("2026-03-02", "export", b["subject"])
    t.status(p, 0)
    t.contains(p.out, "bea@example.org", "the copy holds the address")
    # erasure: the record goes, and Planethoster and the CRM are told (Art. 19)
    ok(t, run, "2026-03-03", "erase", b["subject"])
    t.eq(found(t, run, "2026-03-03", "bea@example.org"), [], "erased")
    msgs = ok(t, run, "2026-03-03", "outbox", "list")["messages"]
    # and each was told of the restriction while the objection was weighed
    t.eq(sorted((m["kind"], m["recipient"]) for m in msgs if m["recipient"]),
         [("erasure", "crm"), ("erasure", "crm"), ("erasure", "planethoster"),
          ("erasure", "planethoster"), ("restriction", "crm"), ("restriction", "planethoster")],
         "each recipient told of both erasures and of the restriction")
    t.eq([m["kind"] for m in msgs if not m["recipient"]], ["acknowledgement"],
         "the access request is acknowledged to the person")


def test_clayrtons_recruitment_ends_at_rejection_talent_pool_2_years(t):
    run = vault(t)
    c = ok(t, run, "2026-01-05", "collect", "recruitment", "name=Cy", "email=cy@example.org")
    ok(t, run, "2026-03-01T10:00:00Z", "event", c["subject"], "application-rejected")
    ok(t, run, "2026-03-01T11:00:00Z", "sweep")
    t.eq(phases(t, run, "2026-03-02", c["subject"]), None, "rejected: deleted at the decision")
    # the applicant who agreed to be kept: 2 years from the last contact
    d = ok(t, run, "2026-01-05", "collect", "talent-pool", "--consent", "name=Di",
           "email=di@example.org")
    t.eq(ok(t, run, "2028-01-05T23:59:59Z", "sweep")["deleted"], 0, "kept 2 years")
    t.eq(ok(t, run, "2028-01-06", "sweep")["deleted"], 1, "\"destroyed 2 years after\"")
    t.eq(phases(t, run, "2028-01-06", d["subject"]), None, "gone")
    # and withdrawing that consent ends it at once
    e = ok(t, run, "2026-01-05", "collect", "talent-pool", "--consent", "name=Ed",
           "email=ed@example.org")
    ok(t, run, "2026-05-01", "consent", e["subject"], "talent-pool", "withdraw")
    t.eq(phases(t, run, "2026-05-01", e["subject"]), None, "withdrawn: gone")


def test_clayrtons_customers_archived_then_invoices_kept_10_years(t):
    run = vault(t)
    c = ok(t, run, "2026-01-05", "collect", "customers", "name=Flo", "email=flo@client.example")
    i = ok(t, run, "2026-03-01", "collect", "invoicing", "name=Flo", "email=flo@client.example",
           "billing_address=1 rue du Port, Lille")
    t.eq(i["subject"], c["subject"], "the same customer")
    sid = c["subject"]
    # "3 years from the end of the contractual relationship ... then archived
    # ... for 5 years"
    ok(t, run, "2027-12-31T12:00:00Z", "event", sid, "contract-end")
    t.eq(ok(t, run, "2030-12-31T23:59:59Z", "sweep")["archived"], 0, "active 3 years")
    t.eq(ok(t, run, "2031-01-01", "sweep")["archived"], 1, "archived on 1 Jan 2031")
    t.eq(phases(t, run, "2031-01-01", sid), {"customers": "archived", "invoicing": "active"},
         "the customer archived, the invoice kept")
    # an erasure request keeps the invoice and says why
    e = ok(t, run, "2032-02-01", "erase", sid)
    t.contains(json.dumps(e["kept"]), "legal obligation", "the invoice is kept")
    # invoices: 10 years from the end of the financial year (31 Dec 2026)
    t.eq(phases(t, run, "2036-12-31T23:59:59Z", sid)["invoicing"], "active", "kept 10 years")
    t.eq(ok(t, run, "2037-01-01", "sweep")["deleted"], 1, "deleted on 1 Jan 2037")
    t.eq(phases(t, run, "2037-01-01", sid), None, "nothing left")


def test_clayrtons_newsletter_unsubscribe_and_3_year_cap(t):
    run = vault(t)
    n = ok(t, run, "2026-02-01", "collect", "newsletter", "--consent", "email=max@example.org")
    ok(t, run, "2027-02-01", "consent", n["subject"], "newsletter", "withdraw")
    t.eq(phases(t, run, "2027-02-01", n["subject"]), None, "unsubscribed: gone at once")
    # the marketing provider is told of the erasure (Art. 17(1)(b), 19)
    t.eq([(m["kind"], m["recipient"]) for m in ok(t, run, "2027-02-01", "outbox", "list")
          ["messages"] if m["recipient"]], [("erasure", "marketing")],
         "the marketing provider told of the withdrawal")
    m = ok(t, run, "2026-02-01", "collect", "newsletter", "--consent", "email=mia@example.org")
    t.eq(ok(t, run, "2029-02-01T23:59:59Z", "sweep")["deleted"], 0, "kept 3 years")
    t.eq(ok(t, run, "2029-02-02", "sweep")["deleted"], 1, "3 years without contact: deleted")
    t.eq(phases(t, run, "2029-02-02", m["subject"]), None, "gone")
    # an objection to the newsletter is remembered: no new subscription
    o = ok(t, run, "2026-02-01", "collect", "newsletter", "--consent", "email=oz@example.org")
    ok(t, run, "2026-03-01", "object", o["subject"])
    t.eq(phases(t, run, "2026-03-01", o["subject"]), None, "objection ends it")
    p = run("2027-03-01", "collect", "newsletter", "--consent", "email=oz@example.org")
    t.status(p, 1)


def test_clayrtons_collect_through_each_form(t):
    """"Personal data is collected from our contact form and newsletter
    subscription requests", and from applications: each through the real
    `pdvault serve`, the consent box ticked for the newsletter and the talent
    pool; each record found in its activity with its basis and purpose, a
    missing required field or an unticked box refused naming it."""
    from seedforms import Form, through_each_form
    through_each_form(t, EXAMPLE, [
        Form("site-forms", {"name": "Ana Roy", "email": "ana@example.org", "company": "ACME",
                            "message": "Bonjour"},
             ["Legitimate interests"], "Process your request"),
        Form("newsletter", {"email": "max@example.org"}, ["Consent"], "newsletters",
             consent=True),
        Form("recruitment", {"name": "Eva Li", "email": "eva@example.org", "cv": "cv.pdf"},
             ["Contract"], "applications"),
        Form("talent-pool", {"name": "Mo Ba", "email": "mo@example.org", "cv": "cv.pdf"},
             ["Consent"], "another position", consent=True),
        Form("events", {"name": "Zo Ka", "email": "zo@example.org"},
             ["Legitimate interests"], "invitations"),
    ], collecting=["newsletter", "recruitment", "talent-pool"])
