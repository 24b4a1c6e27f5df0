"""The server delivers its outbox (a courier thread of its own, src/courier/):
the privacy center's code reaches a real SMTP relay (tests/lib/smtpd.py) and
the person opens their request with the code read from the captured email;
without a relay the server warns and the intake says the code is waiting.
Nothing personal in the server's logs."""
import glob
import os
import re
import sys
import time

from storelib import store_value
from test_server import Server, j

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "lib"))
from peers import Smtpd  # noqa: E402

EMAIL = "ana.delivered@example.org"


def wait_for(cond, what, timeout=10):
    for _ in range(int(timeout / 0.05)):
        got = cond()
        if got:
            return got
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_the_code_reaches_the_relay_and_opens_the_request(t):
    srv = Server(t)
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        srv.start("--smtp", smtp.url, "--public-url", "https://privacy.example.org")
        try:
            st, _, out = srv.post("/v1/requests", {"kind": "access", "email": EMAIL})
            t.eq(st, 202, "a check starts")
            t.eq(j(out)["delivery"], True, "the intake is told the code goes out")
            vid = j(out)["verification"]
            msgs = wait_for(smtp.messages, "the code's email")
            msg, env, raw = msgs[0]
            t.eq(env["rcpt_tos"], [EMAIL], "to the address given")
            body = msg.get_body(preferencelist=("plain",)).get_content()
            code = re.search(r"\b(\d{6})\b", body).group(1)
            t.contains(str(msg["Subject"]), code)
            st, _, out = srv.post("/v1/verify", {"verification": vid, "code": code,
                                                 "lang": "fr"})
            t.eq(st, 201, "the code from the email opens the request")
            t.eq(j(out)["kind"], "access", "an access request")
            req = j(out)
            wait_for(lambda: store_value(t, "SELECT count(*) FROM outbox WHERE status = 'sent' "
                                            "AND payload IS NULL") == 2, "recorded sent")
            ack, env, _ = smtp.messages()[1]
            t.eq(env["rcpt_tos"], [EMAIL], "the acknowledgement to the same address")
            t.contains(str(ack["Subject"]), f"Nous avons bien reçu votre demande {req['reference']}")
            t.contains(ack.get_body(preferencelist=("plain",)).get_content(),
                       f"au plus tard le {req['due']}")
        finally:
            _, err = srv.stop()
    st_msgs = t.json(srv.cli("--json", "outbox", "list"))["messages"]
    t.eq([(m["kind"], m["status"], m["attempts"]) for m in st_msgs],
         [("verification", "sent", 1), ("acknowledgement", "sent", 1)],
         "sent once, at the first try, in the language the person chose")
    for text in (err, open(srv.log, encoding="utf-8").read()):
        t.ok(EMAIL not in text and code not in text, "no address or code in the logs")
    t.ok("no SMTP relay" not in err, "no warning with a relay")


def test_without_a_relay_the_server_warns_and_the_code_waits(t):
    srv = Server(t)
    srv.start()
    try:
        st, _, out = srv.post("/v1/requests", {"kind": "access", "email": EMAIL})
        t.eq((st, j(out)["delivery"]), (202, False), "the intake is told the code waits")
        st, _, page = srv.get("/privacy/privacy.js")
        t.eq(st, 200, "the privacy center")
        t.contains(page.decode(), "res.data.delivery ? 'code.sent' : 'code.waiting'")
        time.sleep(1.5)  # the courier looks at least once
    finally:
        _, err = srv.stop()
    warn = [line for line in err.splitlines() if "no SMTP relay" in line]
    t.eq(len(warn), 1, "one line at start")
    msgs = t.json(srv.cli("--json", "outbox", "list"))["messages"]
    t.eq([(m["status"], m["attempts"]) for m in msgs], [("queued", 0)],
         "the code waits, untried")
    # a relay configured after the code expired: the code is not sent
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        p = srv.cli("--json", "outbox", "deliver", "--once", "--smtp", smtp.url,
                    now="2026-03-02T10:31:00Z")
        t.status(p, 0)
        t.eq(t.json(p), {"sent": 0, "retried": 0, "failed": 1}, "an expired code is not sent")
        t.eq(smtp.messages(), [], "nothing reached the relay")
        st = t.json(srv.cli("--json", "outbox", "list"))["messages"]
        t.eq([(m["status"], m["last_error"]) for m in st], [("failed", "expired")],
             "listed failed: expired")
    leftovers = [p for p in glob.glob(os.path.join(t.tmp, "*"))
                 if os.path.isfile(p) and not p.endswith((".db", ".db-wal", ".db-shm"))]
    for p in leftovers:
        t.ok(EMAIL.encode() not in open(p, "rb").read(), f"no address in {p}")
