"""The messages of a rights request (issue 12): the acknowledgement with its
due date when a request with an address is opened, the Art. 12(3) extension
notice with its reasons, the refusal with its reasons and the complaint and
court routes (Art. 12(4)); each in the request's language, through the outbox
and a real relay (tests/lib/smtpd.py), read back from the captured .eml."""
import os
import sys

from storelib import store_bytes
from vaultlib import collect_json, vault, later

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "lib"))
from peers import Smtpd  # noqa: E402

ADDR = "lea.requests@example.org"


def deliver(t, run, smtp, *args):
    p = run("--json", "outbox", "deliver", "--once", "--smtp", smtp.url, "--public-url",
            "https://privacy.example.org", *args)
    t.status(p, 0)
    return t.json(p)


def open_request(t, run, kind, *args):
    p = run("--json", "request", "open", kind, "--email", ADDR, *args)
    t.status(p, 0)
    return t.json(p)


def body(msg):
    part = msg.get_body(preferencelist=("plain",))
    return part.get_content()


def test_acknowledgement_in_the_request_language_with_its_due_date(t):
    run = vault(t)
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        r = open_request(t, run, "access", "--lang", "fr")
        r_en = open_request(t, run, "erasure", "--lang", "en")
        t.eq(deliver(t, run, smtp)["sent"], 2, "two acknowledgements sent")
        got = smtp.messages()
        t.eq([env["rcpt_tos"][0] for _, env, _ in got], [ADDR, ADDR], "to the address")
        fr = [m for m, _, _ in got if r["reference"] in str(m["Subject"])][0]
        en = [m for m, _, _ in got if r_en["reference"] in str(m["Subject"])][0]
        t.contains(str(fr["Subject"]), "Nous avons bien reçu votre demande")
        t.contains(body(fr), "accès à vos données")
        t.contains(body(fr), f"au plus tard le {r['due']}")
        t.contains(body(fr), "https://privacy.example.org/privacy/#status")
        t.contains(str(en["Subject"]), "We received your request")
        t.contains(body(en), f"at the latest by {r_en['due']}")
        t.contains(body(en), "erasure")
    t.ok(ADDR.encode() not in store_bytes(t), "the address is not in clear in the store")


def test_no_address_no_acknowledgement_and_a_bad_lang_is_refused(t):
    run = vault(t)
    p = run("request", "open", "access", "--email", ADDR, "--lang", "de")
    t.ok(p.returncode != 0, "refused")
    t.contains(p.err, "lang")
    t.ok(ADDR not in p.err, "the address is not in the error")
    c = collect_json(t, run, "contact", "email=someone@example.org", "message=x")
    t.status(run("request", "open", "access", "--subject", c["subject"]), 0)
    p = run("--json", "outbox", "list")
    t.eq([m for m in t.json(p)["messages"] if m["kind"] == "acknowledgement"], [],
         "nothing queued without the address the request came from")


def test_extension_notice_with_its_reasons(t):
    run = vault(t)
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        r = open_request(t, run, "access", "--lang", "en")
        deliver(t, run, smtp)
        p = later(run, "2026-03-20T10:00:00Z")("--json", "request", "extend", r["reference"],
                                                 "--reason", "Archives on paper at two sites")
        t.status(p, 0)
        due = t.json(p)["due"]
        t.ok(due > r["due"], "a later due date")
        t.eq(deliver(t, later(run, "2026-03-20T10:01:00Z"), smtp)["sent"], 1, "sent")
        msg = smtp.messages()[-1][0]
        t.contains(str(msg["Subject"]), "we need more time")
        t.contains(body(msg), f"at the latest by {due}")
        t.contains(body(msg), "Archives on paper at two sites")
        t.contains(body(msg), "Article 77")
        # past the first month, no extension
        r2 = open_request(t, run, "access")
        p = later(run, "2026-05-20T10:00:00Z")("request", "extend", r2["reference"],
                                                 "--reason", "late")
        t.status(p, 1)
        t.contains(p.err, "before the first due date")


def test_refusal_with_reasons_and_the_complaint_routes_in_french(t):
    run = vault(t)
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        r = open_request(t, run, "erasure", "--lang", "fr")
        p = run("request", "close", r["reference"], "--refuse", "--reason",
                "Conservation imposée par le code de commerce")
        t.status(p, 0)
        t.eq(deliver(t, run, smtp)["sent"], 2, "the acknowledgement and the refusal")
        msg = smtp.messages()[-1][0]
        text = body(msg)
        t.contains(str(msg["Subject"]), "notre réponse")
        t.contains(text, "Conservation imposée par le code de commerce")
        t.contains(text, "article 77")
        t.contains(text, "article 79")
        t.contains(text, "réclamation")
    t.ok("Conservation".encode() not in store_bytes(t), "the reason stays sealed")
