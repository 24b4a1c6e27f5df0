"""The answer to an access request, as a download link (issue 12): closing the
request makes the export and keeps it sealed; the email carries a link to the
privacy center, valid 7 days, that asks again for a code sent to the request's
address and serves the export once. A second use, an expired link and a wrong
code are refused; the export is byte-identical to `pdvault export`'s JSON; it
is never in clear on disk nor in an email."""
import os
import re
import sys
import time

from storelib import store_bytes, store_value
from test_server import Server, forged, j

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "lib"))
from peers import Smtpd  # noqa: E402

EMAIL = "ines.download@example.org"
SECRET = "Sixtine-7731-unusual"
PUBLIC = "https://privacy.example.org"


def wait_for(cond, what, timeout=10):
    for _ in range(int(timeout / 0.05)):
        got = cond()
        if got:
            return got
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def text(msg):
    return msg.get_body(preferencelist=("plain",)).get_content()


def answered(t, srv, smtp):
    """a subject, their access request from their address, closed by the DPO:
    the link's token from the email"""
    p = srv.cli("--json", "collect", "contact", "--consent", f"email={EMAIL}", f"message={SECRET}",
                "first_name=Ines", "last_name=Download")
    t.status(p, 0)
    subject = t.json(p)["subject"]
    p = srv.cli("--json", "request", "open", "access", "--email", EMAIL, "--lang", "en")
    t.status(p, 0)
    q = t.json(p)
    p = srv.cli("--json", "request", "close", q["reference"])
    t.status(p, 0)
    t.ok("export" not in t.json(p), "no export file: the answer goes by link")
    msgs = wait_for(lambda: [m for m, _, _ in smtp.messages()
                             if "ready to download" in str(m["Subject"])], "the link's email")
    body = text(msgs[0])
    t.contains(body, q["reference"])
    t.contains(body, "works once")
    t.ok(SECRET not in body, "no data in the email")
    t.eq(list(msgs[0].iter_attachments()), [], "nothing attached")
    token = re.search(re.escape(PUBLIC) + r"/privacy/#download=([A-Za-z0-9_-]+)", body).group(1)
    return subject, q, token


def code_for(t, srv, smtp, token):
    n = len(smtp.messages())
    st, _, out = srv.post("/v1/download", {"token": token})
    t.eq(st, 202, "a code goes to the request's address")
    check = j(out)["check"]
    msgs = wait_for(lambda: smtp.messages()[n:], "the code's email")
    msg, env, _ = msgs[0]
    t.eq(env["rcpt_tos"], [EMAIL], "to the request's address")
    return check, re.search(r"\b(\d{6})\b", text(msg)).group(1)


def test_the_link_asks_a_code_serves_the_export_once(t):
    srv = Server(t)
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        srv.start("--smtp", smtp.url, "--public-url", PUBLIC)
        try:
            subject, q, token = answered(t, srv, smtp)
            t.ok(SECRET.encode() not in store_bytes(t), "the export is sealed in the store")
            # the status page shows the link while it is valid
            st, _, out = srv.post("/v1/download", {"token": forged(token)})
            t.eq((st, j(out)["error"]["code"]), (404, "not_found"), "a wrong link")
            check, code = code_for(t, srv, smtp, token)
            wrong = "000000" if code != "000000" else "111111"
            st, _, out = srv.post("/v1/download/verify", {"check": check, "code": wrong})
            t.eq((st, j(out)["error"]["code"]), (422, "wrong_code"), "a wrong code")
            st, headers, data = srv.post("/v1/download/verify", {"check": check, "code": code})
            t.eq(st, 200, "the export")
            t.contains(headers.get("Content-Disposition", ""), "attachment")
            # the answer speaks the language the request came in (opened --lang en)
            p = srv.cli("export", subject, "--lang", "en")
            t.status(p, 0)
            t.eq(data.decode(), p.out, "byte-identical to pdvault export's JSON, in English")
            t.contains(data.decode(), SECRET)
            st, _, out = srv.post("/v1/download", {"token": token})
            t.eq((st, j(out)["error"]["code"]), (410, "used"), "a second use is refused")
            t.eq(store_value(t, "SELECT count(*) FROM downloads WHERE export IS NOT NULL"), 0,
                 "the sealed export is destroyed once used")
        finally:
            _, err = srv.stop()
    for s in (err, open(srv.log, encoding="utf-8").read()):
        t.ok(EMAIL not in s and SECRET not in s and token not in s, "nothing personal logged")


def test_an_expired_link_is_refused_and_its_export_destroyed(t):
    srv = Server(t)
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        srv.start("--smtp", smtp.url, "--public-url", PUBLIC)
        try:
            _, q, token = answered(t, srv, smtp)
        finally:
            srv.stop()
        srv.start("--smtp", smtp.url, "--public-url", PUBLIC, now="2026-03-09T10:00:01Z")
        try:
            st, _, out = srv.post("/v1/download", {"token": token})
            t.eq((st, j(out)["error"]["code"]), (410, "expired"), "past 7 days")
        finally:
            srv.stop()
    t.status(srv.cli("sweep", now="2026-03-09T10:00:01Z"), 0)
    t.eq(store_value(t, "SELECT count(*) FROM downloads WHERE export IS NOT NULL "
                        "OR token IS NOT NULL"), 0, "the sweep destroyed the expired export")


def test_the_status_page_shows_the_link_while_it_is_valid(t):
    srv = Server(t)
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        srv.start("--smtp", smtp.url, "--public-url", PUBLIC)
        try:
            _, q, token = answered(t, srv, smtp)
            n = len(smtp.messages())
            st, _, out = srv.post("/v1/status", {"reference": q["reference"]})
            t.eq(st, 202, "status check")
            msgs = wait_for(lambda: smtp.messages()[n:], "the status code")
            code = re.search(r"\b(\d{6})\b", text(msgs[0][0])).group(1)
            st, _, out = srv.post("/v1/status/verify", {"check": j(out)["check"], "code": code})
            t.eq(st, 200, "the status")
            t.eq(j(out)["download"]["link"], f"/privacy/#download={token}", "the link")
            t.eq(j(out)["download"]["expires_at"], "2026-03-09T10:00:00Z", "7 days")
        finally:
            srv.stop()


def test_codes_for_one_link_are_limited(t):
    """Past --verify-per-email codes an hour for one link, the same answer and
    no code: a forwarded link cannot flood the person's address."""
    srv = Server(t)
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        srv.start("--smtp", smtp.url, "--public-url", PUBLIC, "--verify-per-email", "1")
        try:
            _, q, token = answered(t, srv, smtp)
            code_for(t, srv, smtp, token)
            n = len(smtp.messages())
            st, _, out = srv.post("/v1/download", {"token": token})
            t.eq(st, 202, "answered alike")
            time.sleep(1.5)  # the courier looks at least once
            t.eq(len(smtp.messages()), n, "no second code sent")
        finally:
            srv.stop()
