"""Clémentine's corrected policy (examples/clementine-corrected.yaml, seed
003) lived through with PDVAULT_NOW: each form collects, each retention
sentence ends its record on the day it says (present the day before, gone or
pending on the day), the 13th-month re-confirmation asks and silence ends the
record a month later, withdrawal, objection, access and erasure do what the
notice says, and each recipient of an ended or erased record is told
(Art. 19). examples/README.md (## Clémentine) maps each promise here."""
import json

DECL = "examples/clementine-corrected.yaml"


def vault(t):
    cfg = t.path(DECL)

    def run(when, *args):
        return t.run(*args, env={"PDVAULT_CONFIG": cfg, "PDVAULT_NOW": when})
    t.status(run("2026-01-05T09:00:00Z", "init"), 0)
    return run


def jrun(t, run, when, *args, status=0):
    p = run(when, "--json", *args)
    t.status(p, status)
    return json.loads(p.out)


def phase(t, run, when, subject, activity):
    """The phase of the subject's record in activity, None when gone."""
    p = run(when, "--json", "show", subject)
    if p.returncode == 1:
        return None
    t.status(p, 0)
    got = [r["phase"] for r in json.loads(p.out)["records"] if r["activity"] == activity]
    return got[0] if got else None


def told(t, run, when):
    """(kind, recipient) of every message queued so far."""
    return [(m["kind"], m["recipient"])
            for m in jrun(t, run, when, "outbox", "list")["messages"] if m["recipient"]]


def sweep(t, run, when):
    return jrun(t, run, when, "sweep")


def test_candidates_database_renewal_at_the_13th_month(t):
    """"12 mois ... mise à jour de vos informations au 13ème mois. Sans
    réponse de votre part dans un délai d'un mois, vos données sont alors
    supprimées" (corrected: silence ends, it no longer extends)."""
    run = vault(t)
    eva = jrun(t, run, "2026-01-05T10:00:00Z", "collect", "candidates", "--consent",
               "last_name=Roy", "first_name=Eva", "email=eva@example.org")["subject"]
    leo = jrun(t, run, "2026-01-05T11:00:00Z", "collect", "candidates", "--consent",
               "last_name=Ba", "first_name=Léo", "email=leo@example.org")["subject"]
    t.eq(sweep(t, run, "2027-01-05T23:59:00Z")["renewals"], 0, "12 months: not before")
    t.eq(phase(t, run, "2027-01-05T23:59:00Z", eva, "candidates"), "active", "the day before")
    t.eq(sweep(t, run, "2027-01-06")["renewals"], 2, "the 13th month: both asked")
    t.eq(phase(t, run, "2027-01-06", eva, "candidates"), "renewal-pending", "asked")
    kinds = [m["kind"] for m in jrun(t, run, "2027-01-06", "outbox", "list")["messages"]]
    t.eq(kinds.count("renewal"), 2, "a re-confirmation queued for each")
    # Léo answers: a new 12 months from his answer
    t.status(run("2027-01-20", "--json", "event", leo, "renewed"), 0)
    t.eq(phase(t, run, "2027-01-20", leo, "candidates"), "active", "renewed: active again")
    # Eva says nothing: a month after her 12 months, her record ends. The
    # month counts from the last active day (5 January), as an archive does:
    # the request queued on the 6th has until the end of 5 February.
    t.eq(sweep(t, run, "2027-02-05T23:59:00Z")["deleted"], 0, "a month to answer")
    t.eq(phase(t, run, "2027-02-05T23:59:00Z", eva, "candidates"), "renewal-pending",
         "still pending the last day of the month")
    t.eq(sweep(t, run, "2027-02-06")["deleted"], 1, "silence ends it")
    t.eq(phase(t, run, "2027-02-06", eva, "candidates"), None, "Eva's data is deleted")
    t.eq(phase(t, run, "2027-02-06", leo, "candidates"), "active", "Léo's stays")
    # the renewed record runs 12 months from the answer, then asks again
    t.eq(sweep(t, run, "2028-01-20T23:59:00Z")["renewals"], 0, "12 months from the answer")
    t.eq(sweep(t, run, "2028-01-21")["renewals"], 1, "asked again")


def test_candidate_withdraws_consent(t):
    """Withdrawal "par e-mail ou sur le site", at any time: the record ends at
    once, and Teamtailor and the Google Drive copy are told of the erasure
    (Art. 17(1)(b), Art. 19), as they would be of an erasure asked for."""
    run = vault(t)
    s = jrun(t, run, "2026-03-01", "collect", "candidates", "--consent", "last_name=Roy",
             "first_name=Eva", "email=eva@example.org")["subject"]
    t.eq(phase(t, run, "2026-05-09T23:59:00Z", s, "candidates"), "active", "before")
    t.eq(told(t, run, "2026-05-09T23:59:00Z"), [], "no one told before")
    jrun(t, run, "2026-05-10", "consent", s, "candidates", "withdraw")
    t.eq(phase(t, run, "2026-05-10", s, "candidates"), None, "gone at the withdrawal")
    t.eq(sorted(told(t, run, "2026-05-10")), [("erasure", "google-drive"),
                                              ("erasure", "teamtailor")],
         "each recipient told once")


def test_newsletter_unsubscribe_objection_and_three_years(t):
    """The newsletter: "un lien de désabonnement en bas de chaque Newsletter
    ; ce qui vous retirera instantanément de notre liste" (withdrawal ends
    it), an objection ends it and keeps the address from coming back, and
    three years without contact end it (corrected cap)."""
    run = vault(t)
    ana = jrun(t, run, "2026-01-05", "collect", "newsletter", "--consent",
               "email=ana@example.org", "first_name=Ana")["subject"]
    bob = jrun(t, run, "2026-01-05", "collect", "newsletter", "--consent",
               "email=bob@example.org")["subject"]
    cyd = jrun(t, run, "2026-01-05", "collect", "newsletter", "--consent",
               "email=cyd@example.org")["subject"]
    jrun(t, run, "2026-04-01", "consent", ana, "newsletter", "withdraw")
    t.eq(phase(t, run, "2026-04-01", ana, "newsletter"), None, "unsubscribed: gone at once")
    t.eq(told(t, run, "2026-04-01"), [("erasure", "mailjet")], "Mailjet told of the withdrawal")
    o = jrun(t, run, "2026-04-02", "object", bob)
    t.eq(len(o["ended"]), 1, "objection ends the subscription")
    t.eq(told(t, run, "2026-04-02"), [("erasure", "mailjet")] * 2,
         "Mailjet told of the objection")
    p = run("2026-04-03", "--json", "collect", "newsletter", "--consent", "email=bob@example.org")
    t.status(p, 1)
    t.eq(json.loads(p.out)["error"]["code"], "suppressed", "the objection is remembered")
    # Cyd stays; a contact from her moves the clock
    jrun(t, run, "2027-06-30", "event", cyd, "contact")
    t.eq(sweep(t, run, "2030-06-30T23:59:00Z")["deleted"], 0, "3 years from the contact")
    t.eq(phase(t, run, "2030-06-30T23:59:00Z", cyd, "newsletter"), "active", "the day before")
    t.eq(sweep(t, run, "2030-07-01")["deleted"], 1, "ended after 3 years without contact")
    t.eq(phase(t, run, "2030-07-01", cyd, "newsletter"), None, "gone")
    t.eq(told(t, run, "2030-07-01"), [("erasure", "mailjet")] * 3,
         "Mailjet told of the end by the clock too (Art. 17(1)(a))")


def test_forms_and_applications_end_as_the_policy_says(t):
    """The WordPress forms: a message found not relevant and a rejected
    application are "immédiatement supprimées"; the others follow the
    12-month renewal."""
    run = vault(t)
    msg = jrun(t, run, "2026-01-05", "collect", "contact-forms", "last_name=Ba",
               "first_name=Jo", "email=jo@example.org", "phone=+33612345678",
               "subject=Recruteur", "message=Bonjour")["subject"]
    keep = jrun(t, run, "2026-01-05", "collect", "contact-forms", "last_name=Li",
                "first_name=Mo", "email=mo@example.org", "phone=+33612345679",
                "subject=Autre")["subject"]
    app = jrun(t, run, "2026-01-05", "collect", "applications", "last_name=Roy",
               "first_name=Eva", "email=eva@example.org", "phone=+33612345670",
               "job_title=Développeuse", "motivation=Bonjour", "cv=cv.pdf")["subject"]
    jrun(t, run, "2026-01-09", "event", msg, "message-not-relevant")
    t.eq(phase(t, run, "2026-01-09", msg, "contact-forms"), None, "not relevant: deleted")
    jrun(t, run, "2026-01-12", "event", app, "application-rejected")
    t.eq(phase(t, run, "2026-01-12", app, "applications"), None, "rejected: deleted at once")
    t.eq(sweep(t, run, "2027-01-05T23:59:00Z")["renewals"], 0, "12 months: not before")
    t.eq(sweep(t, run, "2027-01-06")["renewals"], 1, "the kept message: asked at 12 months")
    t.eq(phase(t, run, "2027-02-05T12:00:00Z", keep, "contact-forms"), "renewal-pending",
         "a month to answer")
    t.eq(sweep(t, run, "2027-02-06")["deleted"], 1, "no answer: deleted")
    t.eq(phase(t, run, "2027-02-06", keep, "contact-forms"), None, "gone")
    # "Dès que notre Webmaster supprime des données sur le backoffice du site,
    # celles-ci sont automatiquement supprimées auprès de notre hébergeur":
    # an erasure tells OVH and the Outlook mailbox
    gone = jrun(t, run, "2027-03-01", "collect", "contact-forms", "last_name=Ka",
                "first_name=Zo", "email=zo@example.org", "phone=+33612345671",
                "subject=Candidat")["subject"]
    t.eq(len(jrun(t, run, "2027-03-02", "erase", gone)["erased"]), 1, "erased")
    got = told(t, run, "2027-03-02")
    t.ok(("erasure", "ovh") in got and ("erasure", "outlook") in got, f"told: {got}")


def test_assessment_objection_access_and_erasure(t):
    """The assessments (legitimate interests, corrected): an objection
    restricts the record; the person's copy lists every record with its
    purposes and recipients; erasure removes them and tells AssessFirst and
    the Drive copy; an access request is due in one month."""
    run = vault(t)
    s = jrun(t, run, "2026-02-02", "collect", "assessments", "last_name=Roy",
             "first_name=Eva", "email=eva@example.org", "results=72")["subject"]
    jrun(t, run, "2026-02-02", "collect", "candidates", "--consent", "last_name=Roy",
         "first_name=Eva", "email=eva@example.org")
    req = jrun(t, run, "2026-03-31T10:00:00Z", "request", "open", "access", "--subject", s,
               "--received", "2026-03-31")
    t.eq(req["due"], "2026-04-30", "an access request is answered within a month")
    copy = jrun(t, run, "2026-04-02", "export", s)
    acts = sorted(r["activity"] for r in copy["records"])
    t.eq(acts, ["assessments", "candidates"], "the copy holds every record")
    o = jrun(t, run, "2026-04-03", "object", s, "--activity", "assessments")
    t.eq(len(o["restricted"]), 1, "objection to the evaluation: restricted")
    t.eq(phase(t, run, "2026-04-03", s, "assessments"), "restricted", "restricted")
    e = jrun(t, run, "2026-04-05", "erase", s)
    t.eq(len(e["erased"]), 2, "erasure: both records")
    t.eq(phase(t, run, "2026-04-05", s, "assessments"), None, "gone")
    got = told(t, run, "2026-04-05")
    for r in ("assessfirst", "google-drive", "teamtailor"):
        t.ok(("erasure", r) in got, f"{r} told of the erasure: {got}")


def test_collect_through_each_form(t):
    """Each form of the site through the real `pdvault serve`: the candidates'
    database with its consent box, the newsletter with its double opt-in
    (the code from the email), the WordPress contact form and the application
    form; each record is found in its activity with its basis and purpose, a
    missing required field or an unticked box is refused naming it."""
    from seedforms import Form, through_each_form
    through_each_form(t, DECL, [
        Form("candidates", {"last_name": "Roy", "first_name": "Eva",
                            "email": "eva@example.org", "phone": "+33612345670"},
             ["Consent"], "candidates", consent=True),
        Form("newsletter", {"first_name": "Ana", "email": "ana@example.org"},
             ["Consent"], "newsletter", consent=True, double_opt_in=True),
        Form("contact-forms", {"last_name": "Ba", "first_name": "Jo", "email": "jo@example.org",
                               "phone": "+33612345678", "subject": "Recruteur",
                               "message": "Bonjour"},
             ["Legitimate interests"], "Answering"),
        Form("applications", {"last_name": "Li", "first_name": "Mo", "email": "mo@example.org",
                              "phone": "+33612345679", "job_title": "Développeuse",
                              "motivation": "Bonjour", "cv": "cv.pdf"},
             ["Legitimate interests"], "application"),
    ], collecting=["candidates", "newsletter"])


def test_assessments_renewal_refused_ends_at_once_silence_a_month_later(t):
    """"Clémentine : 12 mois avec mise à jour de vos informations au 13ème
    mois. Si, suite à notre e-mail vous refusez la mise à jour, nous
    supprimons vos données": asked at the 13th month; a refusal (an erasure
    asked for) deletes at once, silence a month later (corrected); AssessFirst
    and the Drive copy are told of each."""
    run = vault(t)
    ada = jrun(t, run, "2026-02-02", "collect", "assessments", "last_name=Roy",
               "first_name=Ada", "email=ada@example.org")["subject"]
    bea = jrun(t, run, "2026-02-02", "collect", "assessments", "last_name=Li",
               "first_name=Bea", "email=bea@example.org")["subject"]
    t.eq(sweep(t, run, "2027-02-02T23:59:00Z")["renewals"], 0, "12 months: not before")
    t.eq(sweep(t, run, "2027-02-03")["renewals"], 2, "the 13th month: both asked")
    t.eq(phase(t, run, "2027-02-03", ada, "assessments"), "renewal-pending", "asked")
    t.eq(len(jrun(t, run, "2027-02-10", "erase", ada)["erased"]), 1, "Ada refuses: deleted")
    t.eq(phase(t, run, "2027-02-10", ada, "assessments"), None, "gone at the refusal")
    t.eq(sweep(t, run, "2027-03-02T23:59:00Z")["deleted"], 0, "a month to answer")
    t.eq(sweep(t, run, "2027-03-03")["deleted"], 1, "Bea's silence ends it")
    t.eq(phase(t, run, "2027-03-03", bea, "assessments"), None, "gone")
    got = [r for k, r in told(t, run, "2027-03-03") if k == "erasure"]
    t.eq(sorted(got), ["assessfirst", "assessfirst", "google-drive", "google-drive"],
         "AssessFirst and the Drive copy told of both")
