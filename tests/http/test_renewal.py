"""The retention re-confirmation (issue 12, `renew: {wait, silence}`): when the
sweep makes a record renewal-pending, the person receives, in their language
and through a real relay (tests/lib/smtpd.py), a link to a one-button page of
the privacy center. Its GET changes nothing; its POST records `renewed` once,
so the record's active phase restarts as declared; a person who stays silent
is ended by the sweep once `wait` has run. The clock is PDVAULT_NOW."""
import json
import os
import re
import sys
import time

from storelib import store_bytes, store_query, store_value
from test_server import DECL, Server

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "lib"))
from peers import Smtpd  # noqa: E402

CLEAN = "tests/data/lint/clean.yaml"
PUBLIC = "https://privacy.example.org"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DUE = "2027-03-03T10:00:00Z"   # the contact records' year has run: renewal-pending
AFTER = "2027-03-03T10:05:00Z"


def renew_decl(t):
    """The test declaration, the contact activity asking for re-confirmation."""
    src = open(t.path(CLEAN), encoding="utf-8").read()
    src = src.replace("      active: 1y from last-contact\n      end: delete\n",
                      "      active: 1y from last-contact\n      end: delete\n"
                      "      renew: {wait: 1mo, silence: end}\n", 1)
    return t.write("renew.yaml", src)


def wait_for(cond, what, timeout=10):
    for _ in range(int(timeout / 0.05)):
        got = cond()
        if got:
            return got
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def collect(t, srv, email, *args):
    p = srv.cli("--json", "collect", "contact", *args, f"email={email}", "message=x")
    t.status(p, 0)
    return t.json(p)


def shown(t, srv, subject, now):
    p = srv.cli("--json", "show", subject, now=now)
    t.status(p, 0)
    return t.json(p)["records"]


def sweep(t, srv, now):
    p = srv.cli("--json", "sweep", now=now)
    t.status(p, 0)
    return t.json(p)


def text_of(msg):
    return msg.get_body(preferencelist=("plain",)).get_content()


def test_the_renewal_link_records_renewed_once(t):
    srv = Server(t, env={"PDVAULT_CONFIG": renew_decl(t)})
    lea = collect(t, srv, "lea.renew@example.org", "--lang", "fr")
    t.eq(sweep(t, srv, DUE)["renewals"], 1, "asked")
    t.eq(shown(t, srv, lea["subject"], DUE)[0]["phase"], "renewal-pending", "waiting")
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        srv.start("--smtp", smtp.url, "--public-url", PUBLIC, now=AFTER)
        try:
            msg, env, raw = wait_for(smtp.messages, "the renewal email")[0]
            t.eq(env["rcpt_tos"], ["lea.renew@example.org"], "to the person's address")
            t.contains(str(msg["Subject"]), "Souhaitez-vous que nous conservions vos données",
                       "in the person's language")
            body = text_of(msg)
            t.contains(body, "avant le 2027-04-03", "the end of wait")
            link = re.search(r"(https://privacy\.example\.org/v1/renew\?t=\S+)", body).group(1)
            t.contains(msg.get_body(preferencelist=("html",)).get_content(), link.split("=")[1])
            t.ok(msg["List-Unsubscribe"] is None, "not a marketing activity: no unsubscribe")
            path = link[len(PUBLIC):]
            wait_for(lambda: store_value(t, "SELECT count(*) FROM outbox WHERE status = 'sent' "
                                            "AND payload IS NULL") == 1, "recorded sent")
            t.ok(link.split("=")[1].encode() not in store_bytes(t),
                 "the token is not in the store (its keyed hash only)")
            for _ in range(2):
                st, _, page = srv.get(path)
                t.eq(st, 200, "the page")
                t.contains(page.decode(), "<button type=\"submit\">", "one button")
                t.contains(page.decode(), "method=\"post\"", "that posts")
            t.eq(store_value(t, "SELECT count(*) FROM events WHERE name = 'renewed'"), 0,
                 "a GET changes nothing")
            st, _, page = srv.get("/v1/renew")
            t.eq(st, 400, "a link without its token")
            st, _, page = srv.request("POST", path, raw=b"", headers=FORM)
            t.eq(st, 200, "the button renews")
            t.contains(page.decode(), "nous conservons vos données",
                       "the page says so, in the person's language")
            st, _, page = srv.request("POST", path, raw=b"", headers=FORM)
            t.eq(st, 410, "the link is used up")
            t.contains(page.decode(), "Lien déjà utilisé")
            st, _, _ = srv.request("POST", path + "x", raw=b"", headers=FORM)
            t.eq(st, 404, "a token that names nothing")
        finally:
            srv.stop()
    rec = shown(t, srv, lea["subject"], AFTER)[0]
    t.eq(rec["phase"], "active", "active again")
    t.eq(rec["next"]["at"][:10], "2028-03-04", "a new year from the renewal")
    entries = t.json(srv.cli("--json", "audit", "log"))["entries"]
    renewed = [e for e in entries if e["action"] == "event" and e["detail"] == "renewed"]
    t.eq(len(renewed), 1, "one audit entry")
    t.eq((renewed[0]["subject"], renewed[0]["record"], renewed[0]["actor"]),
         (lea["subject"], lea["record"], "api:public"), "naming the record, by the public")
    t.eq(store_query(t, "SELECT count(*) FROM renewals WHERE used_at IS NOT NULL"), [(1,)],
         "the link used")
    t.eq(sweep(t, srv, "2027-04-04T10:00:00Z")["deleted"], 0, "not ended when wait ends")


def test_silence_ends_the_record_after_wait(t):
    srv = Server(t, env={"PDVAULT_CONFIG": renew_decl(t)})
    tom = collect(t, srv, "tom.silent@example.org")
    t.eq(sweep(t, srv, DUE)["renewals"], 1, "asked")
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        p = srv.cli("--json", "outbox", "deliver", "--once", "--smtp", smtp.url, "--public-url",
                    PUBLIC, now=AFTER)
        t.status(p, 0)
        msg = smtp.messages()[0][0]
        t.contains(str(msg["Subject"]), "Souhaitez-vous que nous conservions",
                   "no language given: the declaration's first (fr)")
        path = re.search(r"https://privacy\.example\.org(/v1/renew\?t=\S+)",
                         text_of(msg)).group(1)
    t.eq(sweep(t, srv, "2027-04-02T10:00:00Z")["deleted"], 0, "kept while wait runs")
    t.eq(sweep(t, srv, "2027-04-04T10:00:00Z")["deleted"], 1, "silence: ended as declared")
    p = srv.cli("--json", "show", tom["subject"], now="2027-04-04T10:00:00Z")
    t.eq(t.json(p).get("records", []), [], "no record left")
    srv.start(now="2027-04-04T10:01:00Z")
    try:
        st, _, page = srv.get(path)
        t.eq(st, 410, "the link has expired")
        t.eq(srv.request("POST", path, raw=b"", headers=FORM)[0], 410, "and renews nothing")
    finally:
        srv.stop()


def test_the_person_language_goes_from_the_intake_to_every_message(t):
    """The language of a person's messages comes from what they submitted: the
    body's lang first, else Accept-Language, else the declaration's first (fr
    here); the double opt-in keeps it with its check, then with the subject,
    so their renewal is written in it too."""
    srv = Server(t, env={"PDVAULT_CONFIG": renew_decl(t)})
    json_h = {"Content-Type": "application/json"}
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        srv.start("--smtp", smtp.url, "--public-url", PUBLIC)
        try:
            cases = [({"Accept-Language": "de-DE,en-GB;q=0.8,fr;q=0.5"}, {}, "Your verification"),
                     ({"Accept-Language": "en"}, {"lang": "fr"}, "Votre code de vérification"),
                     ({}, {}, "Votre code de vérification")]
            for i, (headers, extra, _) in enumerate(cases):
                body = {"kind": "access", "email": f"p{i}.lang@example.org", **extra}
                st, _, _ = srv.request("POST", "/v1/requests", body=body,
                                       headers={**json_h, **headers})
                t.eq(st, 202, "a code goes out")
            st, _, out = srv.request("POST", "/v1/requests", headers=json_h,
                                     body={"kind": "access", "email": "x@example.org",
                                           "lang": "de"})
            t.eq((st, json.loads(out)["error"]["field"]), (422, "lang"), "fr or en only")
            st, _, out = srv.request("POST", "/v1/activities/newsletter/submissions",
                                     headers={**json_h, "Accept-Language": "en-US"},
                                     body={"fields": {"email": "ann.optin@example.org"},
                                           "consent": True})
            t.eq(st, 202, "the double opt-in waits")
            msgs = wait_for(lambda: len(smtp.messages()) == 4 and smtp.messages(), "4 emails")
        finally:
            srv.stop()
    by_to = {env["rcpt_tos"][0]: m for m, env, _ in msgs}
    for i, (_, _, subject) in enumerate(cases):
        t.contains(str(by_to[f"p{i}.lang@example.org"]["Subject"]), subject)
    conf = by_to["ann.optin@example.org"]
    t.contains(str(conf["Subject"]), "Please confirm", "the confirmation in the form's language")
    path = re.search(r"https://privacy\.example\.org(/v1/confirm\?\S+)", text_of(conf)).group(1)
    srv.start(now="2026-03-02T10:10:00Z")
    try:
        st, _, _ = srv.request("POST", path, raw=b"", headers=FORM)
        t.eq(st, 200, "confirmed")
    finally:
        srv.stop()
    t.eq(store_query(t, "SELECT lang FROM subjects"), [("en",)], "kept with the person")
