"""The server delivers its outbox (a courier thread of its own, src/courier/):
the privacy center's code reaches a real SMTP relay (tests/lib/smtpd.py) and
the person opens their request with the code read from the captured email;
without a relay the server warns and the intake says the code is waiting.
Nothing personal in the server's logs."""
import glob
import os
import re
import socket
import sys
import time

from storelib import store_bytes, store_is_file, store_value
from test_server import Server, j

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "lib"))
from peers import Smtpd, Webhookd  # noqa: E402

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
        # the double opt-in form says its code waits too, never that it was sent
        from test_server import submit
        st, _, out = submit(srv, "optin.norelay@example.org", "newsletter", consent=True)
        t.eq((st, j(out)["delivery"]), (202, False), "the double opt-in's code waits")
        st, _, page = srv.get("/privacy/form.js")
        t.eq(st, 200, "the embeddable form")
        t.contains(page.decode(), "data.delivery ? 'confirm.sent' : 'confirm.waiting'")
        time.sleep(1.5)  # the courier looks at least once
    finally:
        _, err = srv.stop()
    warn = [line for line in err.splitlines() if "no SMTP relay" in line]
    t.eq(len(warn), 1, "one line at start")
    msgs = t.json(srv.cli("--json", "outbox", "list"))["messages"]
    t.eq([(m["status"], m["attempts"]) for m in msgs], [("queued", 0)] * 2,
         "the codes wait, untried")
    # a relay configured after the code expired: the code is not sent
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        p = srv.cli("--json", "outbox", "deliver", "--once", "--smtp", smtp.url,
                    now="2026-03-02T10:31:00Z")
        t.status(p, 0)
        t.eq(t.json(p), {"sent": 0, "retried": 0, "failed": 2}, "an expired code is not sent")
        t.eq(smtp.messages(), [], "nothing reached the relay")
        st = t.json(srv.cli("--json", "outbox", "list"))["messages"]
        t.eq([(m["status"], m["last_error"]) for m in st], [("failed", "expired")] * 2,
             "listed failed: expired")
    leftovers = [p for p in glob.glob(os.path.join(t.tmp, "*"))
                 if os.path.isfile(p) and not p.endswith((".db", ".db-wal", ".db-shm"))]
    for p in leftovers:
        t.ok(EMAIL.encode() not in open(p, "rb").read(), f"no address in {p}")


def test_the_confirmation_email_link_shows_a_button_and_its_post_confirms(t):
    """Double opt-in: the email carries the code and a link to a one-button
    page; the GET changes nothing (a mail scanner follows links), the POST
    collects; the link a second time says it was used."""
    from test_server import records_count, submit
    srv = Server(t)
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        srv.start("--smtp", smtp.url, "--public-url", "https://privacy.example.org")
        try:
            st, _, out = submit(srv, "news.link@example.org", "newsletter", consent=True)
            t.eq(st, 202, "a double opt-in waits for its confirmation")
            cid = j(out)["confirmation"]
            msg, env, _ = wait_for(smtp.messages, "the confirmation email")[0]
            t.eq(env["rcpt_tos"], ["news.link@example.org"], "to the address given")
            body = msg.get_body(preferencelist=("plain",)).get_content()
            code = re.search(r"^ +(\d{6})\r?$", body, re.M).group(1)
            link = re.search(r"(https://privacy\.example\.org/v1/confirm\?\S+)", body).group(1)
            t.eq(link, f"https://privacy.example.org/v1/confirm?c={cid}&k={code}",
                 "the link names the check and its code")
            html = msg.get_body(preferencelist=("html",)).get_content()
            t.contains(html, code, "the code in the HTML part too")
            path = link[len("https://privacy.example.org"):]
            for _ in range(2):
                st, h, page = srv.get(path)
                t.eq(st, 200, "the page")
                t.contains(page.decode(), "<button type=\"submit\">", "one button")
                t.contains(page.decode(), "method=\"post\"", "that posts")
            t.eq(records_count(t), 0, "a GET changes nothing")
            st, _, page = srv.get(f"/v1/confirm?c={cid}")
            t.eq(st, 400, "a link without its code")
            st, _, page = srv.request("POST", path, raw=b"",
                                      headers={"Content-Type":
                                               "application/x-www-form-urlencoded"})
            t.eq(st, 200, "the button confirms")
            t.contains(page.decode(), "confirm", "the page says so")
            t.eq(records_count(t), 1, "the submission is collected")
            st, _, page = srv.request("POST", path, raw=b"",
                                      headers={"Content-Type":
                                               "application/x-www-form-urlencoded"})
            t.eq(st, 410, "the link is used up")
            t.eq(records_count(t), 1, "collected once")
        finally:
            _, err = srv.stop()
    for text in (err, open(srv.log, encoding="utf-8").read()):
        t.ok("news.link@example.org" not in text and code not in text,
             "no address or code in the logs")


DOWN = 60  # seconds the relay is down: the minute, on the real clock


def test_the_relay_down_a_minute_loses_nothing_and_sends_each_message_once(t):
    """The relay is down a full minute with codes queued, and more arrive
    while it is down; it comes back on the same port. The server runs on the
    real clock with the default tries (8) and a 1 s first backoff, so the
    retries span the minute (1, 2, 4 ... 32 s: 7 tries by then, the 8th
    after two). Meanwhile every answer that queues a code says it waits
    ("delivery": false: the privacy center's "waiting" words, never "sent"),
    from the first, the server having tried the relay at start. Back up,
    every message goes out within seconds (the courier tries the relay every
    5 s while it is down, and what waited for it is due at once), each once
    as the relay sees it, none failed; then a new code says it goes out."""
    srv = Server(t)
    srv.env["PDVAULT_NOW"] = ""  # the real clock: retries come due by real time
    smtp = Smtpd(os.path.join(t.tmp, "smtp"))
    smtp.start()
    url = smtp.url
    smtp.stop()  # down before anything is sent
    # the port stays ours while the relay is down: bound, not listening, so a
    # connection is refused at once and no other process (another suite run
    # alongside) can take the port and leave the courier waiting on it
    hold = socket.socket()
    hold.bind(("127.0.0.1", smtp.port))
    srv.start("--smtp", url, "--delivery-backoff", "1", "--rate", "0")
    emails = [f"down{i}@example.org" for i in range(8)]
    try:
        went_down = time.monotonic()
        for e in emails[:5]:
            st, _, out = srv.post("/v1/requests", {"kind": "access", "email": e})
            t.eq((st, j(out)["delivery"]), (202, False), "queued, and it says it waits")
        time.sleep(DOWN / 2)
        for e in emails[5:]:  # more while it is down
            st, _, out = srv.post("/v1/requests", {"kind": "access", "email": e})
            t.eq((st, j(out)["delivery"]), (202, False), "queued while down: it waits")
        time.sleep(max(0, DOWN - (time.monotonic() - went_down)))
        waiting = t.json(srv.cli("--json", "outbox", "list"))["messages"]
        t.eq({m["status"] for m in waiting} - {"sending"}, {"queued"}, "all waiting, none failed")
        t.ok(all(m["attempts"] >= 5 for m in waiting[:5]),
             f"retried all the minute: {[m['attempts'] for m in waiting]}")
        t.ok(all(m["attempts"] < 8 for m in waiting), "tries left for when it is back")
        t.eq({m["last_error"] for m in waiting if m["attempts"]}, {"connect"}, "why: a code")
        hold.close()
        smtp.start()  # back, on the same port
        back = time.monotonic()
        wait_for(lambda: len(smtp.messages()) >= len(emails), "every message", timeout=30)
        t.ok(time.monotonic() - back < 15, "sent within seconds of the relay's return, "
             "not at the end of a backoff")
        st, _, out = srv.post("/v1/requests", {"kind": "access", "email": "after@example.org"})
        t.eq((st, j(out)["delivery"]), (202, True), "back up: a new code says it goes out")
        wait_for(lambda: len(smtp.messages()) > len(emails), "the new code")
        time.sleep(2)  # a second look of the courier sends nothing again
    finally:
        hold.close()
        _, err = srv.stop()
        smtp.stop()
    got = smtp.messages()
    t.eq(sorted(env["rcpt_tos"][0] for _, env, _ in got), sorted(emails + ["after@example.org"]),
         "each address once, as the relay sees it")
    t.eq(len({str(m["Message-ID"]) for m, _, _ in got}), len(got), "a Message-ID each")
    msgs = t.json(srv.cli("--json", "outbox", "list"))["messages"]
    t.eq([m["status"] for m in msgs], ["sent"] * len(got), "all recorded sent, none failed")
    t.ok(max(m["attempts"] for m in msgs) >= 5, "after retries")
    t.eq(store_value(t, "SELECT count(*) FROM outbox WHERE payload IS NOT NULL"), 0,
         "no payload left")
    t.contains(err, "the SMTP relay does not answer", "the server said so at start")
    t.ok(all(e not in err for e in emails), "no address on stderr")


def test_no_personal_value_in_anything_delivery_leaves(t):
    """Every message kind the outbox has goes out through a server with a
    relay and a webhook: a code (the intake), a double opt-in's code
    (confirmation), Art. 19 notices of a rectification and an erasure (to a
    signed webhook and to a notify_email), and a
    re-confirmation (renewal, a year on). Then no value the people gave, and
    no code, is in the server's standard error or access log, in any webhook
    body received, in the store file (with its -wal and -shm) or in any other
    file of the vault's folder. The emails themselves carry the codes and go
    to the addresses: the relay's capture folder is the one place skipped."""
    from test_outbox_delivery import decl
    values = {"email": "ines.private@example.org", "name": "Inès Confidentielle",
              "message": "mon dossier medical 7731", "new_name": "Inès Rectifiée",
              "news": "lettre.private@example.org", "renew": "renouveau.private@example.org",
              "renew_name": "Renaud Secret"}
    hook_dir, smtp_dir = os.path.join(t.tmp, "hook"), os.path.join(t.tmp, "smtp")
    w = Webhookd(hook_dir, "-")
    w.start()
    port = w.port
    w.stop()
    cfg = decl(t, {"hooked": f"webhook: http://127.0.0.1:{port}/h",
                   "paper": "notify_email: dpo@paper.example"}, renew=True)
    srv = Server(t, env={"PDVAULT_CONFIG": cfg})
    p = srv.cli("recipient", "secret", "hooked")
    t.status(p, 0)
    w = Webhookd(hook_dir, p.out.strip())
    w.port = port
    w.start()
    smtp = Smtpd(smtp_dir)
    smtp.start()
    errs = []

    def drained(now=None):
        msgs = t.json(srv.cli("--json", "outbox", "list", now=now))["messages"]
        return msgs if all(m["status"] in ("sent", "failed") for m in msgs) else None

    def code_sent_to(address):
        msg = wait_for(lambda: [m for m, env, _ in smtp.messages() if env["rcpt_tos"] == [address]],
                       f"the email to {address}")[-1]
        return re.search(r"\b(\d{6})\b", msg.get_body(preferencelist=("plain",)).get_content())[1]

    try:
        srv.start("--smtp", smtp.url, "--public-url", "https://privacy.example.org")
        c = t.json(srv.cli("--json", "collect", "contact", f"email={values['email']}",
                           f"name={values['name']}", f"message={values['message']}"))
        t.json(srv.cli("--json", "collect", "contact", f"email={values['renew']}",
                       f"name={values['renew_name']}", "message=x"))
        st, _, out = srv.post("/v1/requests", {"kind": "access", "email": values["email"]})
        t.eq(st, 202, "a code")
        codes = [code_sent_to(values["email"])]
        t.eq(srv.post("/v1/verify", {"verification": j(out)["verification"],
                                     "code": codes[0]})[0], 201, "the code opens the request")
        st, _, out = srv.post("/v1/activities/newsletter/submissions",
                              {"fields": {"email": values["news"]}, "consent": True})
        t.eq(st, 202, "a double opt-in")
        codes.append(code_sent_to(values["news"]))
        t.eq(srv.post("/v1/verify", {"confirmation": j(out)["confirmation"],
                                     "code": codes[1]})[0], 201, "confirmed")
        t.status(srv.cli("rectify", c["subject"], c["record"], f"name={values['new_name']}"), 0)
        t.status(srv.cli("erase", c["subject"]), 0)
        msgs = wait_for(drained, "the outbox drained")
        _, err = srv.stop()
        errs.append(err)
        t.status(srv.cli("sweep", now="2027-03-03T10:00:00Z"), 0)
        srv.start("--smtp", smtp.url, now="2027-03-03T10:01:00Z")
        msgs = wait_for(lambda: drained("2027-03-03T10:01:00Z"), "the renewal sent")
    finally:
        _, err = srv.stop()
        errs.append(err)
        smtp.stop()
        w.stop()
    sent = {(m["kind"], m["recipient"]) for m in msgs if m["status"] == "sent"}
    for kind in ("rectification", "erasure"):
        t.ok({(kind, "hooked"), (kind, "paper")} <= sent, f"{kind}: to the webhook and by email")
    t.ok(("renewal", None) in sent, "the renewal sent")
    t.eq(len(w.deliveries()), 2, "the two notices received by the webhook")
    t.eq(sorted(env["rcpt_tos"][0] for _, env, _ in smtp.messages()),
         sorted([values["email"]] * 2 + [values["news"], values["renew"]]
                + ["dpo@paper.example"] * 2 + ["dpo@atelier-numerique.fr"]),
         "the code and the request's acknowledgement, the confirmation, the renewal, two "
         "notices and the DPO's digest (the access request, left open, overdue a year on) went "
         "to the relay")
    digest = [raw for _, env, raw in smtp.messages()
              if env["rcpt_tos"] == ["dpo@atelier-numerique.fr"]]
    t.ok(not any(v.encode() in digest[0] for v in values.values()), "no value in the digest")
    # a code counts where it stands as a word of its own: these files hold
    # about 30 runs of six digits inside longer words (the Unix times of the
    # key's erasure journal, run-together dates and ids in the store's cells,
    # hex message ids), and one of the two codes was one of them about one
    # time in 20,000
    secrets = [re.escape(v.encode()) for v in values.values()] + \
        [rb"(?<![0-9A-Za-z_-])" + c.encode() + rb"(?![0-9A-Za-z_-])" for c in codes]
    for s in secrets:
        t.ok(not re.search(s, "\n".join(errs).encode()),
             f"no {s!r} on the server's standard error")
    left = [f for f in glob.glob(os.path.join(t.tmp, "**"), recursive=True)
            if os.path.isfile(f) and not f.startswith(smtp_dir + os.sep)]
    t.ok((any(f.endswith(".db") for f in left) or not store_is_file(t)) and srv.log in left and
         os.path.join(hook_dir, "calls.jsonl") in left, "the store, the log and the bodies scanned")
    blobs = [(os.path.relpath(f, t.tmp), open(f, "rb").read()) for f in left]
    blobs.append(("the store", store_bytes(t)))  # a server's files when it has one
    for what, data in blobs:
        found = [s for s in secrets if re.search(s, data)]
        t.eq(found, [], f"no personal value in {what}")
