"""Alegria.tech's corrected policy (examples/alegria-corrected.yaml, seed 004)
lived through with PDVAULT_NOW: each form collects, each retention sentence
ends its record on the day it says (present the day before, gone on the
day), withdrawal "at any time", the objection to prospecting and its 3-year
list, access (within the legal month, moved past a holiday), portability,
erasure with each recipient told, and the identity document kept 1 year
after the request. examples/README.md (## Alegria.tech) maps each promise
here."""
import json

DECL = "examples/alegria-corrected.yaml"


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


def collect(t, run, when, activity, *fields, consent=False):
    args = ["collect", activity] + (["--consent"] if consent else []) + list(fields)
    return jrun(t, run, when, *args)["subject"]


def phase(t, run, when, subject, activity):
    p = run(when, "--json", "show", subject)
    if p.returncode == 1:
        return None
    t.status(p, 0)
    got = [r["phase"] for r in json.loads(p.out)["records"] if r["activity"] == activity]
    return got[0] if got else None


def told(t, run, when):
    return [(m["kind"], m["recipient"])
            for m in jrun(t, run, when, "outbox", "list")["messages"] if m["recipient"]]


def ends_on(t, run, records, day_before, day):
    """Each (subject, activity) record is there until the end of day_before,
    a sweep then keeps it, and it is gone on day."""
    late = day_before + "T23:59:00Z"
    jrun(t, run, late, "sweep")
    for subject, activity in records:
        t.ok(phase(t, run, late, subject, activity) is not None,
             f"{activity}: still kept on {day_before}")
    jrun(t, run, day, "sweep")
    for subject, activity in records:
        t.eq(phase(t, run, day, subject, activity), None, f"{activity}: ended on {day}")


def test_each_retention_sentence_on_its_day(t):
    run = vault(t)
    when = "2026-01-05T10:00:00Z"
    # "Quote ... one year from the last contact with you"
    quote = collect(t, run, when, "quote", "last_name=Roy", "first_name=Eva",
                    "email=eva@example.org")
    # "Contact ... Until your consent is withdrawn or ... three years from the last contact"
    contact = collect(t, run, when, "contact", "last_name=Li", "first_name=Mo",
                      "email=mo@example.org", "message=Bonjour", consent=True)
    jrun(t, run, "2026-09-14", "event", contact, "contact")
    # "Training ... three years from the last contact with you"
    training = collect(t, run, when, "training", "last_name=Ba", "first_name=Jo",
                       "email=jo@example.org")
    # "Requests for rights ... Up to one year from the date of your request"
    rights = collect(t, run, when, "rights-requests", "email=ri@example.org",
                     "request=Accès")
    # "Right to object ... three years from the date you exercise your right"
    objection = collect(t, run, when, "objection-list", "email=ob@example.org")
    # "Recruitment ... up to two years from last contact with you"
    cand = collect(t, run, when, "recruitment", "last_name=Do", "first_name=Al",
                   "email=al@example.org")
    # the connection logs (corrected: 1 year)
    logs = collect(t, run, when, "site-logs", "ip=192.0.2.7")
    # the pre-requisite test (corrected: kept as the registrations)
    test = collect(t, run, when, "prerequisite-test", "email=te@example.org",
                   "first_name=Té", "score=14")
    # "Make an appointment ... three years from the date of receipt of your
    # demo request or the last contact with you"
    appt = collect(t, run, when, "appointment", "name=Lu Ng", "email=lu@example.org",
                   "phone=+33612345677", consent=True)
    # the challenge (corrected: 1 year, then anonymised) and its SMS offers
    # (3 years from the last contact)
    chal = collect(t, run, when, "ai-challenge", "first_name=Zo", "phone=+33612345676",
                   "email=zo@example.org", consent=True)
    offers = collect(t, run, when, "ai-challenge-offers", "phone=+33612345675", consent=True)

    ends_on(t, run, [(quote, "quote"), (rights, "rights-requests"), (logs, "site-logs"),
                     (chal, "ai-challenge")], "2027-01-05", "2027-01-06")
    ends_on(t, run, [(cand, "recruitment")], "2028-01-05", "2028-01-06")
    ends_on(t, run, [(training, "training"), (objection, "objection-list"),
                     (test, "prerequisite-test"), (appt, "appointment"),
                     (offers, "ai-challenge-offers")], "2029-01-05", "2029-01-06")
    # the contact's 3 years count from its last contact, 14 September 2026
    ends_on(t, run, [(contact, "contact")], "2029-09-14", "2029-09-15")


def test_consent_withdrawn_at_any_time(t):
    """"You may withdraw your consent ... at any time": the contact request,
    the appointment, the challenge and its calls end at once, and each
    activity's recipients are told of the erasure (Art. 17(1)(b), 19)."""
    run = vault(t)
    when = "2026-02-01T10:00:00Z"
    s = collect(t, run, when, "contact", "last_name=Li", "first_name=Mo",
                "email=mo@example.org", "message=Bonjour", consent=True)
    collect(t, run, when, "appointment", "name=Mo Li", "email=mo@example.org",
            "phone=+33612345678", consent=True)
    collect(t, run, when, "ai-challenge", "first_name=Mo", "phone=+33612345678",
            "email=mo@example.org", consent=True)
    collect(t, run, when, "ai-challenge-calls", "phone=+33612345678", consent=True)
    recipients = {"contact": ["airtable", "webflow"], "appointment": ["airtable", "calendly"],
                  "ai-challenge": ["brevo"], "ai-challenge-calls": ["brevo"]}
    for act in ("contact", "appointment", "ai-challenge", "ai-challenge-calls"):
        t.eq(phase(t, run, "2026-03-01", s, act), "active", f"{act} collected and joined")
        before = len(told(t, run, "2026-03-01"))
        jrun(t, run, "2026-03-01", "consent", s, act, "withdraw")
        t.eq(phase(t, run, "2026-03-01", s, act), None, f"{act}: gone at the withdrawal")
        got = sorted(r for k, r in told(t, run, "2026-03-01")[before:] if k == "erasure")
        t.eq(got, recipients[act], f"{act}: each recipient told of the withdrawal's erasure")


def test_objection_to_prospecting_and_the_three_year_list(t):
    """The newsletter and the SMS offers: an objection ends them at once, each
    processor is told, and the address stays on the objection list for 3
    years ("Up to three years from the date you exercise your right to
    object"), after which the person may subscribe again."""
    run = vault(t)
    s = collect(t, run, "2026-01-05T10:00:00Z", "newsletter", "email=ana@example.org",
                consent=True)
    # the newsletter itself: three years from the last contact (corrected cap)
    b = collect(t, run, "2026-01-05T10:00:00Z", "newsletter", "email=bob@example.org",
                consent=True)
    o = jrun(t, run, "2026-03-10", "object", s)
    t.eq(len(o["ended"]), 1, "the subscription ends")
    got = told(t, run, "2026-03-10")
    t.eq(sorted(got), [("erasure", "activecampaign"), ("erasure", "brevo")],
         "Brevo and ActiveCampaign are told")
    p = run("2027-03-10", "--json", "collect", "newsletter", "--consent",
            "email=ana@example.org")
    t.status(p, 1)
    t.eq(json.loads(p.out)["error"]["code"], "suppressed", "on the list for 3 years")
    ends_on(t, run, [(b, "newsletter")], "2029-01-05", "2029-01-06")
    p = run("2029-03-09T23:59:00Z", "--json", "collect", "newsletter", "--consent",
            "email=ana@example.org")
    t.status(p, 1)
    t.eq(json.loads(p.out)["error"]["code"], "suppressed", "the last day of the 3 years")
    again = jrun(t, run, "2029-03-10T00:00:01Z", "collect", "newsletter", "--consent",
                 "email=ana@example.org")
    t.ok(again["subject"], "after 3 years, the list no longer holds the address")


def test_recruitment_rejection_destroys_the_file(t):
    """"Immediate destruction of file if you are unsuccessful"."""
    run = vault(t)
    s = collect(t, run, "2026-01-05T10:00:00Z", "recruitment", "last_name=Do",
                "first_name=Al", "email=al@example.org", "cv=cv.pdf")
    jrun(t, run, "2026-02-20", "event", s, "application-rejected")
    t.eq(phase(t, run, "2026-02-20", s, "recruitment"), None, "destroyed on the decision")


def test_access_portability_erasure_and_the_identity_document(t):
    """Access within the legal month (moved past 8 May and the weekend), a
    portable extract of the data given on consent or contract, erasure
    telling Airtable, and the identity copy deleted 1 year after the request
    is closed."""
    run = vault(t)
    s = collect(t, run, "2026-01-05T10:00:00Z", "training", "last_name=Ba", "first_name=Jo",
                "email=jo@example.org", "phone=+33612345678")
    collect(t, run, "2026-01-05T10:00:00Z", "site-logs", "ip=192.0.2.7")
    ident = t.write("id.pdf", "a copy of an identity card")
    req = jrun(t, run, "2026-04-08T10:00:00Z", "request", "open", "access", "--subject", s,
               "--received", "2026-04-08", "--id-document", ident)
    t.eq(req["due"], "2026-05-11", "8 May is a holiday, then a weekend (Reg. 1182/71)")
    copy = jrun(t, run, "2026-04-10", "export", s)
    t.eq([r["activity"] for r in copy["records"]], ["training"], "the copy")
    port = run("2026-04-10", "export", s, "--portable")
    t.status(port, 0)
    t.contains(port.out, "jo@example.org", "the portable extract holds the data given")
    e = jrun(t, run, "2026-04-12", "erase", s)
    t.eq(len(e["erased"]), 1, "erased")
    t.eq(told(t, run, "2026-04-12"), [("erasure", "airtable")], "Airtable told")
    t.eq(phase(t, run, "2026-04-12", s, "training"), None, "gone")
    # "deleted by the Company once your request has been granted" (corrected:
    # 1 year after the request is closed, for a possible dispute)
    t.eq(jrun(t, run, "2026-04-20", "request", "close", req["request"])["status"], "done",
         "the request is answered")
    t.eq(jrun(t, run, "2027-04-20T23:59:00Z", "sweep")["id_documents"], 0,
         "the identity copy is kept the year through")
    t.eq(jrun(t, run, "2027-04-21", "sweep")["id_documents"], 1,
         "and deleted 1 year after the request is closed")


def test_collect_through_each_form(t):
    """Each form of the site through the real `pdvault serve`: contact,
    quote, newsletter (double opt-in: the code from the email), appointment,
    training registration, the challenge, its SMS offers and its calls (each
    with its own box), the prerequisite test and an application; each record
    found in its activity with its basis and purpose, a missing required
    field or an unticked box refused naming it."""
    from seedforms import Form, through_each_form
    through_each_form(t, DECL, [
        Form("contact", {"last_name": "Li", "first_name": "Mo", "email": "mo@example.org",
                         "message": "Bonjour"}, ["Consent"], "contact", consent=True),
        Form("quote", {"last_name": "Ba", "first_name": "Jo", "email": "jo@example.org",
                       "company": "ACME"}, ["Contract"], "Quote"),
        Form("newsletter", {"email": "news@example.org"}, ["Consent"], "newsletter",
             consent=True, double_opt_in=True),
        Form("appointment", {"name": "Ana Roy", "email": "ana@example.org",
                             "phone": "+33612345601"}, ["Consent"], "advisor", consent=True),
        Form("training", {"last_name": "Ka", "first_name": "Zo", "email": "zo@example.org"},
             ["Contract"], "registrations"),
        Form("ai-challenge", {"first_name": "Lu", "phone": "+33612345602",
                              "email": "lu@example.org"}, ["Consent"], "challenge",
             consent=True),
        Form("ai-challenge-offers", {"phone": "+33612345603"}, ["Consent"], "SMS",
             consent=True, find="phone"),
        Form("ai-challenge-calls", {"phone": "+33612345604"}, ["Consent"], "voice",
             consent=True, find="phone"),
        Form("prerequisite-test", {"email": "pi@example.org", "first_name": "Pi",
                                   "score": "12"}, ["Contract"], "prerequisites"),
        Form("recruitment", {"last_name": "Vo", "first_name": "Al", "email": "al@example.org",
                             "cv": "cv.pdf"}, ["Legitimate interests"], "applications"),
    ], collecting=["contact", "quote", "newsletter", "appointment", "training", "ai-challenge",
                   "ai-challenge-offers", "ai-challenge-calls", "prerequisite-test"])
