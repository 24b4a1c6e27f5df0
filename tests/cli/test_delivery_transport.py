"""The transport of delivery (src/delivery/), driven through the test tool
build/tests/tools/pdv-deliver-probe against the real peers of tests/lib/: a
real SMTP server (smtpd.py, Debian's aiosmtpd) and a webhook receiver
(webhookd.py). What a relay or a processor would see is what is checked: the
captured .eml parsed with Python's email module, the envelope, the number of
connections, the deliveries the receiver verified and recorded."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "lib"))
from peers import Smtpd, Webhookd  # noqa: E402

FROM = "dpo@clementine.example"
TEXT = ("Bonjour Élodie,\n\nVotre code : 482913 — valable 30 minutes.\n.\n..\n"
        "Une ligne très longue " + "é" * 60 + " qui dépasse soixante-seize caractères.\n"
        "Fin avec espace \n")
HTML = "<p>Bonjour <b>Élodie</b>, votre code : 482913</p>"


def probe(t, job, status=0):
    exe = os.path.join(t.build, "tests", "tools", "pdv-deliver-probe")
    p = subprocess.run([exe], input=json.dumps(job).encode(), capture_output=True, timeout=60)
    p.out = p.stdout.decode()
    p.err = p.stderr.decode()
    t.status(p, status)
    p.lines = [json.loads(line) for line in p.out.splitlines()]
    return p


def mail(n=1, **kw):
    m = {"to": "elodie@example.org", "message_id": f"m{n}@clementine.example",
         "date": 1772704800, "from_name": "Clémentine — DPO",
         "subject": "Votre code de vérification : 482913 ✓", "text": TEXT, "html": HTML}
    m.update(kw)
    return m


def smtp_job(server, messages, **kw):
    s = {"url": server.url, "from": FROM, "timeout_ms": 10000}
    s.update(kw)
    return {"smtp": s, "messages": messages}


def test_plain_smtp_to_loopback_sends_proper_mime(t):
    with Smtpd(os.path.join(t.tmp, "smtp")) as srv:
        p = probe(t, smtp_job(srv, [mail(list_unsubscribe="https://clementine.example/u/abc")]))
        t.eq(p.lines[0]["status"], "sent", "result")
        [(msg, env, raw)] = srv.messages()
    t.eq(env["mail_from"], FROM, "envelope sender")
    t.eq(env["rcpt_tos"], ["elodie@example.org"], "envelope recipient")
    t.eq(env["tls"], False, "clear text to loopback")
    t.eq(msg["Message-ID"], "<m1@clementine.example>", "Message-ID")
    t.eq(msg["Date"], "Thu, 05 Mar 2026 10:00:00 +0000", "Date")
    t.eq(msg["From"].addresses[0].display_name, "Clémentine — DPO", "From name")
    t.eq(msg["From"].addresses[0].addr_spec, FROM, "From address")
    t.eq(msg["To"].addresses[0].addr_spec, "elodie@example.org", "To")
    t.eq(str(msg["Subject"]), "Votre code de vérification : 482913 ✓", "Subject in UTF-8")
    t.eq(msg["Auto-Submitted"], "auto-generated", "Auto-Submitted")
    t.eq(msg["MIME-Version"], "1.0", "MIME-Version")
    t.eq(msg["List-Unsubscribe"], "<https://clementine.example/u/abc>", "List-Unsubscribe")
    t.eq(msg["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click", "RFC 8058")
    t.eq(msg.get_content_type(), "multipart/alternative", "multipart")
    parts = list(msg.iter_parts())
    t.eq([q.get_content_type() for q in parts], ["text/plain", "text/html"], "alternatives")
    t.eq(parts[0]["Content-Transfer-Encoding"], "quoted-printable", "QP")
    t.eq(parts[0].get_content().replace("\r\n", "\n"), TEXT, "text body, dots and all")
    t.eq(parts[1].get_content().replace("\r\n", "\n"), HTML, "html body")
    lines = raw.split(b"\r\n")
    t.ok(b"\n" not in raw.replace(b"\r\n", b""), "CRLF line endings only")
    t.ok(all(len(line) <= 78 for line in lines), "lines of at most 78 characters")
    t.lacks(raw.decode("ascii"), "482913 ✓", "raw message (7-bit, encoded)")


def test_header_injection_is_refused(t):
    with Smtpd(os.path.join(t.tmp, "smtp")) as srv:
        p = probe(t, smtp_job(srv, [mail(subject="Hello\r\nBcc: all@example.org")]), status=1)
        t.contains(p.err, "subject: a line break in a header")
        p = probe(t, smtp_job(srv, [mail(to="a@b.example>\r\nRCPT TO:<x@y.example")]), status=1)
        t.contains(p.err, "to: a line break in a header")
        t.eq(srv.messages(), [], "nothing captured")


def test_connection_reused_across_messages(t):
    with Smtpd(os.path.join(t.tmp, "smtp")) as srv:
        p = probe(t, smtp_job(srv, [mail(1), mail(2), mail(3)]))
        t.eq([r["status"] for r in p.lines[:3]], ["sent"] * 3, "results")
        t.eq(p.lines[3], {"connections": 1}, "the client's count")
        t.eq(srv.connections(), 1, "connections the server saw")
        t.eq(len(srv.messages()), 3, "messages captured")


def test_smtp_never_in_clear_beyond_loopback(t):
    # refused before connecting: credentials in the URL, a scheme not SMTP
    p = probe(t, {"smtp": {"url": "smtp://u:secret@127.0.0.1:1", "from": FROM}}, status=1)
    t.contains(p.err, "a user or password in the URL")
    t.lacks(p.err, "secret")
    p = probe(t, {"smtp": {"url": "http://127.0.0.1:1", "from": FROM}}, status=1)
    t.contains(p.err, "smtp: a scheme not allowed here")
    # (a relay beyond loopback is asked for STARTTLS, CURLUSESSL_ALL: that
    # needs a host beyond loopback, which this suite does not reach)


def test_starttls_verified_with_the_ca_refused_without(t):
    with Smtpd(os.path.join(t.tmp, "smtp"), starttls=True) as srv:
        p = probe(t, smtp_job(srv, [mail()], ca=srv.ca))
        t.eq(p.lines[0]["status"], "sent", "with the CA")
        t.eq(srv.messages()[0][1]["tls"], True, "over STARTTLS")
        # without the CA, to loopback: clear text, which this relay refuses
        p = probe(t, smtp_job(srv, [mail(2)]))
        t.eq((p.lines[0]["status"], p.lines[0]["code"]), ("permanent", 530), "no STARTTLS")
        t.eq(len(srv.messages()), 1, "nothing more captured")
    with Smtpd(os.path.join(t.tmp, "smtps"), tls=True) as srv:
        p = probe(t, smtp_job(srv, [mail()], ca=srv.ca))
        t.eq(p.lines[0]["status"], "sent", "smtps with the CA")
        p = probe(t, smtp_job(srv, [mail(2)]))
        t.eq(p.lines[0]["status"], "temporary", "smtps without the CA: certificate refused")
        t.contains(p.lines[0]["detail"], "certificate")
        t.eq(len(srv.messages()), 1, "nothing sent unverified")


def test_auth_file(t):
    good = t.write("auth", "relay-user:s3cr3t-Pw\n")
    os.chmod(good, 0o600)
    with Smtpd(os.path.join(t.tmp, "smtp"), starttls=True, auth="relay-user:s3cr3t-Pw") as srv:
        p = probe(t, smtp_job(srv, [mail()], ca=srv.ca, auth=good))
        t.eq(p.lines[0]["status"], "sent", "logged in")
        t.eq(srv.messages()[0][1]["auth"], True, "AUTH used")
        loose = t.write("loose", "relay-user:s3cr3t-Pw\n")
        os.chmod(loose, 0o644)
        p = probe(t, smtp_job(srv, [mail(2)], ca=srv.ca, auth=loose), status=1)
        t.contains(p.err, f"smtp auth file {loose}: must be a regular file owned by this user")
        t.lacks(p.err, "s3cr3t")
        wrong = t.write("wrong", "relay-user:nope\n")
        os.chmod(wrong, 0o600)
        p = probe(t, smtp_job(srv, [mail(3)], ca=srv.ca, auth=wrong))
        t.eq(p.lines[0]["status"], "temporary", "a refused login is the relay's setting")
        t.contains(p.lines[0]["detail"], "refused the login")
        t.eq(len(srv.messages()), 1, "nothing more captured")


def test_4xx_temporary_5xx_permanent_without_the_relay_words(t):
    with Smtpd(os.path.join(t.tmp, "smtp")) as srv:
        srv.refuse("451 4.3.0 elodie@example.org greylisted")
        p = probe(t, smtp_job(srv, [mail()]))
        t.eq((p.lines[0]["status"], p.lines[0]["code"]), ("temporary", 451), "4xx")
        srv.refuse("554 5.7.1 elodie@example.org rejected")
        p = probe(t, smtp_job(srv, [mail()]))
        t.eq((p.lines[0]["status"], p.lines[0]["code"]), ("permanent", 554), "5xx")
        srv.refuse(rcpt="550 5.1.1 <elodie@example.org> unknown")
        p = probe(t, smtp_job(srv, [mail()]))
        t.eq((p.lines[0]["status"], p.lines[0]["code"]), ("permanent", 550), "5xx to RCPT")
        t.lacks(p.out, "elodie", "results")
        srv.refuse()
        p = probe(t, smtp_job(srv, [mail()]))
        t.eq(p.lines[0]["status"], "sent", "accepted again")


def test_smtp_down_then_back(t):
    srv = Smtpd(os.path.join(t.tmp, "smtp"))
    srv.start()
    srv.stop()
    p = probe(t, smtp_job(srv, [mail()]))
    t.eq((p.lines[0]["status"], p.lines[0]["code"]), ("temporary", 0), "relay down")
    srv.start()  # the same port
    try:
        p = probe(t, smtp_job(srv, [mail()]))
        t.eq(p.lines[0]["status"], "sent", "relay back")
    finally:
        srv.stop()


def test_templates_render_into_mail(t):
    with Smtpd(os.path.join(t.tmp, "smtp")) as srv:
        m = {"to": "elodie@example.org", "message_id": "c1@clementine.example", "date": 0,
             "kind": "confirmation", "lang": "fr",
             "values": {"controller": "Clémentine <SAS>", "dpo_contact": FROM,
                        "code": "482913", "link": "https://clementine.example/c?x=1&y=2",
                        "minutes": "30", "purpose": "la lettre d'information"}}
        p = probe(t, smtp_job(srv, [m]))
        t.eq(p.lines[0]["status"], "sent", "sent")
        msg = srv.messages()[0][0]
    t.eq(str(msg["Subject"]), "Merci de confirmer : la lettre d'information", "subject")
    text, html = [q.get_content() for q in msg.iter_parts()]
    t.contains(text, "482913")
    t.contains(text, "Clémentine <SAS>")
    t.contains(html, "Clémentine &lt;SAS&gt;")
    t.contains(html, 'href="https://clementine.example/c?x=1&amp;y=2"')
    del m["values"]["code"]
    p = probe(t, {"smtp": {"url": "smtp://127.0.0.1:1", "from": FROM}, "messages": [m]},
              status=1)
    t.contains(p.err, "confirmation: no value for {{code}}")


def test_webhooks_signed_and_classified(t):
    secret = "whsec_4f1c2a"
    hook = Webhookd(os.path.join(t.tmp, "hook"), secret, fail={"/flaky": 2}, hang=["/hang"])
    with hook:
        def post(path, mid, s=secret):
            return {"url": hook.url(path), "secret": s, "message_id": mid, "now": 1772704800,
                    "action": "erasure", "record": "r_8f3k2m", "activity": "newsletter"}
        p = probe(t, {"webhook": {"timeout_ms": 1500},
                      "posts": [post("/hook", "n1"), post("/hook", "n1"),
                                post("/flaky", "n2"), post("/flaky", "n2"),
                                post("/flaky", "n2"), post("/hook", "n3", "wrong"),
                                post("/hang", "n4")]})
        got = [(r["status"], r["code"]) for r in p.lines]
        t.eq(got, [("sent", 200), ("sent", 200), ("temporary", 500), ("temporary", 500),
                   ("sent", 200), ("permanent", 401), ("temporary", 0)], "results")
        t.contains(p.lines[6]["detail"], "Timeout")
        d = hook.deliveries()
        t.eq([(x["path"], x["id"]) for x in d], [("/hook", "n1"), ("/flaky", "n2")],
             "each delivered once, de-duplicated on the message id")
        t.eq(d[0]["content_type"], "application/json", "Content-Type")
        t.eq(json.loads(d[0]["body"]),
             {"id": "n1", "type": "erasure", "record": "r_8f3k2m", "activity": "newsletter",
              "created": "2026-03-05T10:00:00Z"}, "the payload: ids and the action only")
        t.eq(sum(c["verified"] for c in hook.calls()), 6, "every signature but the wrong one")
    p = probe(t, {"posts": [{"url": "http://192.0.2.1/hook", "secret": secret,
                             "message_id": "n5", "body": "{}"}]}, status=1)
    t.contains(p.err, "webhook: http:// only to a loopback address; use https://")
