"""The Art. 34 notice (issue 12): `breach notify BREACH --subjects --activity
A...` queues one notice per person of the named activities, in their
language, to their address, with what Art. 34(2) requires (the nature, the
DPO's name and details, the likely consequences, the measures); only for a
breach assessed high, and never with a required text missing. Delivered
through a real relay (tests/lib/smtpd.py) and read back from its .eml."""
import glob
import os
import sys

from storelib import store_bytes, store_query
from vaultlib import collect_json, vault, later, audit_entries

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "lib"))
from peers import Smtpd  # noqa: E402

NATURE = "A laptop holding the customer file was stolen from a car on 2026-11-18."
CONSEQUENCES = "Your name and email address may be used to send you phishing messages."
MEASURES = "We changed every password and will never ask for yours by email."


def breach(t, run, risk="high"):
    p = run("--json", "breach", "open", "--aware", "2026-03-01T09:00:00Z", "--summary", NATURE,
            "--risk", risk, "--reason", "names and addresses in clear")
    t.status(p, 0)
    return t.json(p)["breach"]


def people(t, run):
    """two activities named (contact, newsletter) and one not (recruitment)"""
    both = collect_json(t, run, "contact", "--lang", "en", "email=both.breach@example.org",
                        "message=x")
    collect_json(t, run, "newsletter", "--consent", "email=both.breach@example.org")
    contact = collect_json(t, run, "contact", "email=contact.breach@example.org", "message=y")
    other = collect_json(t, run, "recruitment", "email=other.breach@example.org", "name=Other",
                         "cv=cv.pdf")
    return both, contact, other


def test_each_person_of_the_activities_gets_one_notice_in_their_language(t):
    run = vault(t)
    people(t, run)
    b = breach(t, run)
    t.status(run("breach", "describe", b, "--consequences", CONSEQUENCES, "--measures",
                 MEASURES), 0)
    p = run("--json", "breach", "notify", b, "--subjects", "--activity", "contact", "--activity",
            "newsletter")
    t.status(p, 0)
    t.eq(t.json(p), {"breach": b, "subjects_notified": "2026-03-02T10:00:00Z", "notices": 2,
                     "unreachable": 0}, "two people, one notice each, told today")
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        p = run("--json", "outbox", "deliver", "--once", "--smtp", smtp.url)
        t.status(p, 0)
        t.eq(t.json(p)["sent"], 3, "both sent, and the DPO's alert of the breach recorded")
        got = {env["rcpt_tos"][0]: (m, raw) for m, env, raw in smtp.messages()}
        t.ok(got.pop("dpo@atelier-numerique.fr", None) is not None, "the DPO alerted")
        log = p.out + p.err
    t.eq(sorted(got), ["both.breach@example.org", "contact.breach@example.org"],
         "the person in both activities once, the other activity's person never")
    en, _ = got["both.breach@example.org"]
    fr, _ = got["contact.breach@example.org"]
    t.contains(str(en["Subject"]), "a data breach concerning you", "in the person's language")
    t.contains(str(fr["Subject"]), "une violation de données vous concernant",
               "no language given: the declaration's first")
    text = en.get_body(preferencelist=("plain",)).get_content()
    for what in (NATURE, CONSEQUENCES, MEASURES, "Délégué à la protection des données",
                 "dpo@atelier-numerique.fr", "Article 34"):
        t.contains(text, what)
    t.ok(en["List-Unsubscribe"] is None, "not a marketing message")
    for addr in ("both.breach", "contact.breach", "other.breach"):
        t.ok(addr not in log, "no address in what deliver prints")
        t.ok(addr.encode() not in store_bytes(t), "nor in clear in the store")
    t.ok(NATURE.encode() not in store_bytes(t), "the texts are sealed")
    t.eq([e["action"] for e in audit_entries(t, run)].count("breach-notify-subjects"), 1,
         "audited")
    p = run("breach", "notify", b, "--subjects", "--activity", "contact")
    t.status(p, 1)
    t.contains(p.err, "already recorded as told")


def test_refused_unless_high_and_complete(t):
    run = vault(t)
    people(t, run)
    low = breach(t, run, risk="risk")
    p = run("--json", "breach", "notify", low, "--subjects", "--activity", "contact")
    t.status(p, 1)
    t.eq(t.json(p)["error"]["field"], "risk", "names the risk")
    t.contains(t.json(p)["error"]["message"], "assessed risk")
    t.contains(t.json(p)["error"]["message"], "Art. 34(1)")
    b = breach(t, run)
    p = run("--json", "breach", "notify", b, "--subjects", "--activity", "contact")
    t.status(p, 1)
    t.eq(t.json(p)["error"]["field"], "consequences", "names the missing text")
    t.status(run("breach", "describe", b, "--consequences", CONSEQUENCES), 0)
    p = run("--json", "breach", "notify", b, "--subjects", "--activity", "contact")
    t.eq(t.json(p)["error"]["field"], "measures", "then the other one")
    t.status(run("breach", "describe", b, "--measures", MEASURES), 0)
    p = run("--json", "breach", "notify", b, "--subjects", "--activity", "nope")
    t.eq(t.json(p)["error"]["field"], "activity", "an unknown activity")
    t.eq(store_query(t, "SELECT count(*) FROM outbox WHERE kind = 'breach-notice'"), [(0,)],
         "nothing queued by a refusal")
    t.status(run("breach", "notify", b, "--authority", "--activity", "contact"), 2)
    t.status(run("breach", "describe", b), 2)


def test_erased_people_get_none_restricted_people_are_told(t):
    run = vault(t)
    both, contact, _ = people(t, run)
    t.status(run("erase", contact["subject"]), 0)
    t.status(run("restrict", both["subject"]), 0)
    b = breach(t, run)
    t.status(run("breach", "describe", b, "--consequences", CONSEQUENCES, "--measures",
                 MEASURES), 0)
    p = run("--json", "breach", "notify", b, "--subjects", "--activity", "contact", "--activity",
            "newsletter")
    t.status(p, 0)
    t.eq(t.json(p)["notices"], 1, "the erased person has nothing left to write to")
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        t.status(run("outbox", "deliver", "--once", "--smtp", smtp.url), 0)
        t.eq([env["rcpt_tos"] for _, env, _ in smtp.messages()
              if env["rcpt_tos"][0].endswith("breach@example.org")],
             [["both.breach@example.org"]], "the restricted person is told, the erased not")
