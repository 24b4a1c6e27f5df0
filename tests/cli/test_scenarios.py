"""The seed examples driven through time with PDVAULT_NOW: what each company's
policy promises happens on the declared clock, and what its flaws forbid is
refused. Collection into an activity with a lint error is refused, so each
scenario uses the activities the company declared lawfully."""
import json
import os


def vault(t, example):
    cfg = t.path("examples/" + example)

    def run(when, *args, stdin=None):
        return t.run(*args, env={"PDVAULT_CONFIG": cfg, "PDVAULT_NOW": when}, stdin=stdin)
    p = run("2026-01-05T09:00:00Z", "init")
    t.status(p, 0)
    return run


def jrun(t, run, when, *args, status=0):
    p = run(when, "--json", *args)
    t.status(p, status)
    return json.loads(p.out)


def phases(t, run, when, subject):
    p = run(when, "--json", "show", subject)
    if p.returncode == 1:
        t.eq(json.loads(p.out)["error"]["code"], "not_found", "show of a subject gone")
        return None  # the subject is gone
    t.status(p, 0)
    return {r["activity"]: r["phase"] for r in json.loads(p.out)["records"]}


def sweep(t, run, when):
    return jrun(t, run, when, "sweep")


def test_clayrtons_site_form_refused_newsletter_ends_at_unsubscribe(t):
    run = vault(t, "clayrtons.yaml")
    # the policy gives the site forms two bases in two places (basis-consistency):
    # nothing is collected into them until that is fixed; the corrected
    # declaration's clocks are lived through in test_seed_clayrtons
    p = run("2026-01-05T09:00:00Z", "--json", "collect", "site-forms", "--consent",
            "email=lea@example.org", "name=Léa", "message=Une démo ?")
    t.status(p, 1)
    t.eq(json.loads(p.out)["error"]["field"], "activity", "refused for the activity's lint error")
    # its newsletter: kept as long as the subscription, ended by the unsubscribe
    n = jrun(t, run, "2026-02-01", "collect", "newsletter", "--consent", "email=max@example.org")
    jrun(t, run, "2027-02-01", "consent", n["subject"], "newsletter", "withdraw")
    t.eq(phases(t, run, "2027-02-01", n["subject"]), None, "unsubscribed: gone at once")


def test_clementine_newsletter_subscriber_withdraws(t):
    run = vault(t, "clementine.yaml")
    doc = jrun(t, run, "2026-01-05", "collect", "newsletter", "--consent",
               "email=ana@example.org", "first_name=Ana")
    t.eq(sweep(t, run, "2036-01-05")["deleted"], 0, "kept while subscribed (no cap)")
    jrun(t, run, "2036-01-06", "consent", doc["subject"], "newsletter", "withdraw")
    t.eq(phases(t, run, "2036-01-06", doc["subject"]), None, "gone at the withdrawal")
    # the candidates database has tacit renewal: lint refuses to let it collect
    p = run("2026-01-05", "--json", "collect", "candidates", "--consent",
            "last_name=X", "first_name=Y")
    t.status(p, 1)
    t.contains(json.loads(p.out)["error"]["message"], "lint")


def test_senef_collects_nothing_until_fixed(t):
    # every period is "necessarily extended for the legal limitation period",
    # which the policy never gives: each activity has a lint error (the
    # corrected declaration is lived through in test_seed_senef.py)
    run = vault(t, "senef.yaml")
    for args in (["contracts", "last_name=Roy", "first_name=Eva"],
                 ["invoicing", "last_name=Roy", "address=1 rue du Port, Lille"],
                 ["technical-data", "ip=192.0.2.1"]):
        p = run("2026-01-05", "--json", "collect", *args)
        t.status(p, 1)
        t.contains(json.loads(p.out)["error"]["message"], "lint errors")


def test_customer_labs_collects_nothing_until_fixed(t):
    run = vault(t, "customer-labs.yaml")
    for args in (["contact", "--consent", "name=A", "email=a@example.org", "message=x"],
                 ["prospecting", "--consent", "name=A", "email=a@example.org"],
                 ["rights-requests", "--consent", "email=a@example.org", "request=x",
                  "id_card=x"]):
        p = run("2026-01-05", "--json", "collect", *args)
        t.status(p, 1)
        t.contains(json.loads(p.out)["error"]["message"], "lint errors")


def test_alegria_contact_and_training(t):
    run = vault(t, "alegria.yaml")
    c = jrun(t, run, "2026-01-05", "collect", "contact", "--consent", "last_name=Bo",
             "first_name=Li", "email=li@example.org", "message=Infos sur la formation")
    tr = jrun(t, run, "2026-01-05", "collect", "training", "last_name=Bo", "first_name=Li",
              "email=li@example.org")
    t.eq(tr["subject"], c["subject"], "the same person")
    # contact: until consent is withdrawn, at most 3 years from the last contact
    jrun(t, run, "2026-05-01", "consent", c["subject"], "contact", "withdraw")
    t.eq(phases(t, run, "2026-05-01", c["subject"]), {"training": "active"},
         "the contact request ends with the withdrawal, the training stays")
    t.eq(sweep(t, run, "2029-01-06")["deleted"], 1, "training kept 3 years from last contact")
    t.eq(phases(t, run, "2029-01-06", c["subject"]), None, "nothing left")
    # the newsletter keeps data whatever a withdrawal: lint refuses it
    p = run("2026-01-05", "--json", "collect", "newsletter", "--consent", "email=z@example.org")
    t.status(p, 1)
