"""The outbox delivered (`pdvault outbox deliver`, src/courier/): Art. 19 notices
to signed webhooks, re-confirmations by email through a real SMTP relay, with
leases, retries, failures a DPO sees and requeues, and nothing personal left
behind. The peers are real: tests/lib/smtpd.py (Debian's aiosmtpd) and
tests/lib/webhookd.py, which verifies each signature as a processor would and
records each message id once. The clock is PDVAULT_NOW, moved by the tests:
a retry is due when its backoff has passed on that clock."""
import glob
import os
import signal
import subprocess
import sys
import time

from storelib import store_bytes, store_query, store_value, sqlite_only
from vaultlib import DECL, vault, collect_json, later, sweep

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "lib"))
from peers import Smtpd, Webhookd  # noqa: E402

EMAIL = "zoe.delivery@example.org"
FAST = ["--delivery-backoff", "1", "--webhook-timeout", "700"]
PROCESSOR = ("  - id: {rid}\n    name: Processor {rid}\n    role: processor\n"
             "    service: {{fr: Service {rid}, en: Service {rid}}}\n"
             "    country: FR\n    safeguard: none\n    contract: true\n")


def decl(t, recipients, renew=False):
    """The test declaration, the contact activity's records going to the
    recipients given ({id: "webhook: URL" or "notify_email: ADDR"})."""
    src = open(t.path(DECL), encoding="utf-8").read()
    rec = "".join(PROCESSOR.format(rid=rid) + f"    {how}\n" for rid, how in recipients.items())
    src = src.replace("recipients:\n  - id: mailer\n", "recipients:\n" + rec + "  - id: mailer\n",
                      1)
    src = src.replace("    recipients: [crm]\n", f"    recipients: [{', '.join(recipients)}]\n", 1)
    if renew:
        src = src.replace("      active: 1y from last-contact\n      end: delete\n",
                          "      active: 1y from last-contact\n      end: delete\n"
                          "      renew: {wait: 1mo, silence: end}\n", 1)
    return t.write("delivery.yaml", src)


def minutes_later(run, minutes):
    """The runner minutes after the suite's now (2026-03-02T10:00:00Z)."""
    h, m = divmod(600 + minutes, 60)
    d, h = divmod(h, 24)
    return later(run, f"2026-03-{2 + d:02d}T{h:02d}:{m:02d}:00Z")


def hook(folder, secret="-", port=0, **kw):
    w = Webhookd(folder, secret, **kw)
    w.port = port
    w.start()
    return w


def outbox(t, run):
    p = run("--json", "outbox", "list")
    t.status(p, 0)
    return t.json(p)["messages"]


def deliver(t, run, *args):
    p = run("--json", "outbox", "deliver", "--once", *FAST, *args)
    t.status(p, 0)
    return t.json(p)


def files_under(folder):
    return [p for p in glob.glob(os.path.join(folder, "**"), recursive=True) if os.path.isfile(p)]


def test_webhooks_deliver_once_retry_and_fail_to_the_dpo(t):
    """Three recipients: one answers, one fails 5 times then answers, one
    never answers. The first two are delivered once each as their receivers
    see it; the third ends failed, is listed so, and retry queues it again."""
    ports = {}
    for rid in "abc":  # a port each, before the declaration names it
        w = hook(os.path.join(t.tmp, f"hook-{rid}"))
        ports[rid] = w.port
        w.stop()
    run = vault(t, env={"PDVAULT_CONFIG": decl(
        t, {rid: f"webhook: http://127.0.0.1:{ports[rid]}/{rid}" for rid in "abc"})})
    secrets = {}
    for rid in "abc":
        p = run("recipient", "secret", rid)
        t.status(p, 0)
        secrets[rid] = p.out.strip()
    t.eq(len(set(secrets.values())), 3, "one secret per recipient")
    t.ok(all(len(s) == 64 for s in secrets.values()), "256 bits, hex")
    p = run("recipient", "secret", "a")
    t.status(p, 1)
    t.contains(p.err, "--rotate")
    t.ok(all(s.encode() not in store_bytes(t) for s in secrets.values()), "kept sealed")
    t.status(run("recipient", "secret", "nobody"), 1)
    peers = {
        "a": hook(os.path.join(t.tmp, "hook-a"), secrets["a"], ports["a"]),
        "b": hook(os.path.join(t.tmp, "hook-b"), secrets["b"], ports["b"], fail={"/b": 5}),
        "c": hook(os.path.join(t.tmp, "hook-c"), secrets["c"], ports["c"], hang=["/c"]),
    }
    try:
        c = collect_json(t, run, "contact", f"email={EMAIL}", "message=please forget me")
        t.status(run("erase", c["subject"]), 0)
        queued = outbox(t, run)
        t.eq(sorted((m["kind"], m["recipient"], m["status"]) for m in queued),
             [("erasure", rid, "queued") for rid in "abc"], "one Art. 19 notice per recipient")
        t.eq(len({m["message_id"] for m in queued}), 3, "a message id each")
        # eight rounds an hour apart (backoff 1 s: every retry is due)
        for i in range(8):
            deliver(t, minutes_later(run, 60 * i), "--delivery-tries", "6")
        msgs = {m["recipient"]: m for m in outbox(t, run)}
        t.eq((msgs["a"]["status"], msgs["a"]["last_error"]), ("sent", None), "a: sent")
        t.eq(msgs["a"]["attempts"], 1, "a: at the first try")
        t.eq(msgs["b"]["status"], "sent", "b: sent at its sixth try")
        t.eq(msgs["b"]["attempts"], 6, "b: five failures, then sent")
        t.eq((msgs["c"]["status"], msgs["c"]["attempts"], msgs["c"]["last_error"]),
             ("failed", 6, "timeout"), "c: failed after its tries, timing out")
        for rid in "ab":
            got = peers[rid].deliveries()
            t.eq(len(got), 1, f"{rid}: delivered once as its receiver sees it")
            t.eq(got[0]["id"], msgs[rid]["message_id"], f"{rid}: under the message id listed")
            t.contains(got[0]["body"], '"erasure"')
            t.contains(got[0]["body"], f'"record":"{c["record"]}"')  # the id the API gave
            t.contains(got[0]["body"], '"activity":"contact"')
            t.ok(EMAIL not in got[0]["body"] and "forget" not in got[0]["body"],
                 "no value in the body")
        t.eq([c["answer"] for c in peers["b"].calls()], [500] * 5 + [200],
             "b's receiver: 5 failures then the delivery")
        t.eq({c["verified"] for p in peers.values() for c in p.calls()}, {True},
             "every call signed with the recipient's secret")
        p = run("outbox", "list")
        t.status(p, 0)
        t.contains(p.out, "failed")
        t.contains(p.out, "timeout")
        # the DPO requeues the failed one; the processor is fixed meanwhile
        peers["c"].stop()
        peers["c"] = hook(os.path.join(t.tmp, "hook-c2"), secrets["c"], ports["c"])
        t.status(run("outbox", "retry", str(msgs["a"]["id"])), 1)  # sent: nothing to retry
        p = minutes_later(run, 600)("outbox", "retry", str(msgs["c"]["id"]))
        t.status(p, 0)
        t.eq({m["recipient"]: m["status"] for m in outbox(t, run)}["c"], "queued", "queued again")
        n = deliver(t, minutes_later(run, 601))
        t.eq(n, {"sent": 1, "retried": 0, "failed": 0}, "then sent")
        t.eq(len(peers["c"].deliveries()), 1, "c: delivered")
        t.eq(store_value(t, "SELECT count(*) FROM outbox WHERE payload IS NOT NULL"), 0,
             "every sent message's payload gone")
    finally:
        for w in peers.values():
            w.stop()


def test_email_waits_while_the_relay_is_down_and_goes_when_it_is_back(t):
    """Re-confirmations (renewal) go to the subject's email: with the relay
    down they stay queued, their attempts counted; back up, they go, once,
    in the subject's language, and the sent message's payload is gone."""
    run = vault(t, env={"PDVAULT_CONFIG": decl(t, {"crm2": "notify_email: crm@processor.example"},
                                               renew=True)})
    smtp = Smtpd(os.path.join(t.tmp, "smtp"))
    smtp.start()
    url = smtp.url
    smtp.stop()  # the relay is down
    try:
        for i in range(3):
            collect_json(t, run, "contact", f"email=renew{i}@example.org", "message=x")
        sweep(t, later(run, "2027-03-03T10:00:00Z"))
        soon = lambda m: later(run, f"2027-03-03T{10 + m // 60:02d}:{m % 60:02d}:00Z")  # noqa: E731
        n = deliver(t, soon(1), "--smtp", url)
        t.eq(n, {"sent": 0, "retried": 3, "failed": 0}, "nothing sent, all to retry")
        msgs = [m for m in outbox(t, run) if m["kind"] == "renewal"]
        t.eq([(m["status"], m["attempts"], m["last_error"]) for m in msgs],
             [("queued", 1, "connect")] * 3, "waiting, the attempt counted, the reason a code")
        smtp.start()  # back, on the same port
        n = deliver(t, soon(30), "--smtp", url)
        t.eq(n, {"sent": 3, "retried": 0, "failed": 0}, "all sent when it is back")
        got = smtp.messages()
        t.eq(sorted(env["rcpt_tos"][0] for _, env, _ in got),
             [f"renew{i}@example.org" for i in range(3)], "each to its subject")
        t.eq(smtp.connections(), 1, "one connection for the drain")
        msg = got[0][0]
        t.eq(msg["Auto-Submitted"], "auto-generated", "an automatic message")
        t.ok(msg["Message-ID"].strip("<>").split("@")[0] in
             {m["message_id"] for m in outbox(t, run)}, "Message-ID from the message id")
        t.eq(deliver(t, soon(90), "--smtp", url), {"sent": 0, "retried": 0, "failed": 0},
             "nothing sent twice")
        t.eq(store_value(t, "SELECT count(*) FROM outbox WHERE status = 'sent' "
                            "AND payload IS NULL"), 3, "sent, payload gone")
    finally:
        smtp.stop()


def test_marketing_renewal_carries_one_click_unsubscribe(t):
    """A re-confirmation of a consent-based marketing activity carries
    List-Unsubscribe and List-Unsubscribe-Post with the one-click link."""
    src = open(t.path(DECL), encoding="utf-8").read()
    src = src.replace('      active: "until consent-withdrawn, at most 3y from last-contact"\n',
                      "      active: 1y from last-contact\n"
                      "      renew: {wait: 1mo, silence: end}\n", 1)
    run = vault(t, env={"PDVAULT_CONFIG": t.write("news.yaml", src)})
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        collect_json(t, run, "newsletter", "--consent", "email=news@example.org")
        sweep(t, later(run, "2027-03-03T10:00:00Z"))
        n = deliver(t, later(run, "2027-03-03T10:01:00Z"), "--smtp", smtp.url, "--public-url",
                    "https://privacy.example.org")
        t.eq(n["sent"], 1, "sent")
        msg = smtp.messages()[0][0]
        t.ok(str(msg["List-Unsubscribe"]).startswith("<https://privacy.example.org/v1/"
                                                     "unsubscribe?t="), "the one-click link")
        t.eq(msg["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click", "RFC 8058")
        link = str(msg["List-Unsubscribe"]).strip("<>").split("?t=")[1]
        t.ok(len(link) > 20, "a signed token")


def test_notify_email_recipients_are_told_by_email(t):
    """A recipient without an API gets its Art. 19 notice by email at its
    notify_email; one with neither address fails at once (no-address)."""
    run = vault(t, env={"PDVAULT_CONFIG": decl(
        t, {"paper": "notify_email: dpo@paper.example", "mute": "retention: 30d from collection"})})
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        c = collect_json(t, run, "contact", f"email={EMAIL}", "message=x")
        t.status(run("erase", c["subject"]), 0)
        n = deliver(t, run, "--smtp", smtp.url)
        t.eq(n, {"sent": 1, "retried": 0, "failed": 1}, "one sent, one with nowhere to go")
        msg, env, raw = smtp.messages()[0]
        t.eq(env["rcpt_tos"], ["dpo@paper.example"], "to the notify_email")
        t.contains(str(msg["Subject"]).lower(), "article 19")
        t.contains(str(msg["Subject"]), "effacement")  # the action in the message's language
        t.ok(EMAIL.encode() not in raw, "the subject's address is not in the notice")
        msgs = {m["recipient"]: m for m in outbox(t, run)}
        t.eq((msgs["mute"]["status"], msgs["mute"]["last_error"]), ("failed", "no-address"),
             "listed failed, why as a code")


def test_kill_9_mid_delivery_loses_nothing_and_the_receiver_deduplicates(t):
    """deliver is killed -9 while a POST is in flight: the message stays
    leased; once the lease expires another run sends it again with the same
    message id, and the receiver, de-duplicating on it, records it once."""
    w = hook(os.path.join(t.tmp, "hook"))
    port = w.port
    w.stop()
    run = vault(t, env={"PDVAULT_CONFIG": decl(t, {"a": f"webhook: http://127.0.0.1:{port}/a"})})
    p = run("recipient", "secret", "a")
    t.status(p, 0)
    key = p.out.strip()
    w = hook(os.path.join(t.tmp, "hook"), key, port, hang=["/a"])
    c = collect_json(t, run, "contact", f"email={EMAIL}", "message=x")
    t.status(run("erase", c["subject"]), 0)
    env = t.child_env({"PDVAULT_CONFIG": os.path.join(t.tmp, "delivery.yaml"),
                       "PDVAULT_NOW": "2026-03-02T10:00:00Z"})
    proc = subprocess.Popen([t.pdvault, "outbox", "deliver", "--webhook-timeout", "60000"],
                            cwd=t.tmp, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            if w.calls():
                break
            time.sleep(0.05)
        t.eq(len(w.calls()), 1, f"the POST reached the receiver {proc.poll()}")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
        w.stop()
    first = w.calls()[0]["id"]
    t.eq([m["status"] for m in outbox(t, run)], ["sending"], "still leased: not lost")
    w = hook(os.path.join(t.tmp, "hook"), key, port)
    try:
        t.eq(deliver(t, run)["sent"], 0, "not claimed again while the lease holds")
        n = deliver(t, minutes_later(run, 10))
        t.eq(n["sent"], 1, "claimed again once the lease expired, and sent")
        t.eq([c["id"] for c in w.calls()], [first, first], "sent twice, the same message id")
        t.eq(len(w.deliveries()), 1, "recorded once")
    finally:
        w.stop()


def test_nothing_personal_left_by_delivery(t):
    """A code's and an address's bytes are not in the store once sent, nor in
    any file delivery leaves, nor on deliver's output."""
    run = vault(t, env={"PDVAULT_CONFIG": decl(t, {"crm2": "retention: 30d from collection"}, renew=True)})
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        collect_json(t, run, "contact", f"email={EMAIL}", "message=x")
        sweep(t, later(run, "2027-03-03T10:00:00Z"))
        sealed = store_query(t, "SELECT payload FROM outbox WHERE kind = 'renewal'")
        p = later(run, "2027-03-03T10:01:00Z")("outbox", "deliver", "--once", "--smtp", smtp.url)
        t.status(p, 0)
        t.ok(EMAIL not in p.out + p.err, "no address on the output")
        t.eq(len(smtp.messages()), 1, "sent")
        db = store_bytes(t)
        for (blob,) in sealed:
            t.ok(not blob or bytes(blob) not in db, "the sealed payload is gone from the file")
        left = [f for f in files_under(t.tmp) if not f.startswith(smtp.dir)
                and not f.endswith((".db", ".yaml")) and "-wal" not in f]
        for f in left:
            t.ok(EMAIL.encode() not in open(f, "rb").read(), f"no address in {f}")


@sqlite_only
def test_a_claim_reads_the_first_due_message_not_every_due_one(t):
    """The claim's plan on a real store: each half (queued and due; sending
    with its lease expired) is read from outbox_due in order, stopping at its
    first row. An OR of the two gathered every due message and sorted them at
    each claim, so draining 10,000 queued codes cost 1.6 ms of CPU a message
    against 0.3 ms for 500 (bench/bench-delivery.sh)."""
    import re
    vault(t)
    src = open(os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__)))), "src/store/sql/sqlite/statements.sql")).read()
    sql = re.search(r"-- name: outbox_claim\n(?:--[^\n]*\n)*(.*?);\n", src, re.S)[1]
    sql = re.sub(r"--[^\n]*\n", "\n", sql).split(" RETURNING")[0]
    plan = [r[3] for r in store_query(t, "EXPLAIN QUERY PLAN " + sql, "w", 1, 5, 1)]
    t.ok("MULTI-INDEX OR" not in plan, f"not every due row gathered: {plan}")
    t.eq(sum(1 for p in plan if p.startswith("SEARCH outbox USING INDEX outbox_due")), 2,
         f"each half read through outbox_due: {plan}")


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(t, port, *args):
    """`pdvault serve` on the real clock (retries come due by real time)."""
    env = t.child_env({"PDVAULT_CONFIG": os.path.join(t.tmp, "delivery.yaml")})
    return subprocess.Popen([t.pdvault, "serve", "--listen", f"127.0.0.1:{port}",
                             "--access-log", "off", *args], cwd=t.tmp, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def until(cond, what, timeout=60):
    for _ in range(int(timeout / 0.02)):
        got = cond()
        if got:
            return got
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def test_kill_9_of_the_server_mid_delivery_loses_no_message(t):
    """`pdvault serve` delivers 5 erasures' Art. 19 notices to 3 recipients:
    one answers, one fails its first 5 calls then answers, one never answers.
    The server is killed -9 while it delivers (the first receiver has some of
    its messages, not all) and started again. In the end the first two
    receivers have every message id of theirs (duplicates counted: at least
    once means a message sent before the kill but not yet recorded is sent
    again, with the same id, and only those); the third's messages are
    failed, listed so to the DPO, and retry queues one again."""
    ports = {}
    for rid in "abc":
        w = hook(os.path.join(t.tmp, f"hook-{rid}"))
        ports[rid] = w.port
        w.stop()
    run = vault(t, env={"PDVAULT_CONFIG": decl(
        t, {rid: f"webhook: http://127.0.0.1:{ports[rid]}/{rid}" for rid in "abc"})})
    secrets = {}
    for rid in "abc":
        p = run("recipient", "secret", rid)
        t.status(p, 0)
        secrets[rid] = p.out.strip()
    for i in range(5):
        c = collect_json(t, run, "contact", f"email=kill{i}@example.org", "message=x")
        t.status(run("erase", c["subject"]), 0)
    queued = outbox(t, run)
    mine = {rid: {m["message_id"] for m in queued if m["recipient"] == rid} for rid in "abc"}
    t.eq([len(mine[rid]) for rid in "abc"], [5, 5, 5], "5 notices per recipient")
    peers = {
        "a": hook(os.path.join(t.tmp, "hook-a"), secrets["a"], ports["a"]),
        "b": hook(os.path.join(t.tmp, "hook-b"), secrets["b"], ports["b"], fail={"/b": 5}),
        "c": hook(os.path.join(t.tmp, "hook-c"), secrets["c"], ports["c"], hang=["/c"]),
    }
    args = ["--delivery-backoff", "1", "--delivery-tries", "4", "--webhook-timeout", "300",
            "--delivery-lease", "2"]
    proc = serve(t, free_port(), *args)
    try:
        until(lambda: len(peers["a"].deliveries()) >= 2 or proc.poll() is not None,
              "the first deliveries")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        before = len(peers["a"].deliveries())
        t.ok(2 <= before < 5, f"killed mid-delivery: a had {before} of its 5")
        t.eq(proc.returncode, -signal.SIGKILL, "killed -9")
        after_kill = outbox(t, run)
        t.eq(len(after_kill), 15, "no message lost at the kill")
        t.ok({m["status"] for m in after_kill} <= {"queued", "sending", "sent"},
             f"none failed yet: {sorted({m['status'] for m in after_kill})}")
        proc = serve(t, free_port(), *args)  # its leases expire: claimed again

        def settled():
            st = [(m["recipient"], m["status"]) for m in outbox(t, run)]
            return all(s == ("failed" if r == "c" else "sent") for r, s in st)
        until(settled, "every message sent or failed", timeout=90)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        err = proc.stderr.read().decode()
        t.eq(proc.returncode, 0, f"stopped: {err[-500:]}")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for w in peers.values():
            w.stop()
    msgs = outbox(t, run)
    for rid in "ab":
        calls = peers[rid].calls()
        got = [c["id"] for c in calls if c["answer"] == 200]
        t.eq(set(got), mine[rid], f"{rid}: every message id arrived")
        t.eq({d["id"] for d in peers[rid].deliveries()}, mine[rid],
             f"{rid}: each once after de-duplicating on Pdvault-Message-Id")
        dup = len(got) - len(set(got))
        # only what the killed server sent and had not yet recorded goes twice
        t.ok(dup <= (before if rid == "a" else 5), f"{rid}: {dup} duplicates")
        t.ok(all(c["verified"] for c in calls), f"{rid}: every call signed")
    t.eq([c["answer"] for c in peers["b"].calls()][:5], [500] * 5, "b failed 5 calls first")
    c_msgs = [m for m in msgs if m["recipient"] == "c"]
    t.eq({(m["status"], m["attempts"], m["last_error"]) for m in c_msgs},
         {("failed", 4, "timeout")}, "c: failed after its 4 tries, each timing out")
    t.ok(all(m["status"] == "sent" and m["attempts"] <= 2 for m in msgs
             if m["recipient"] == "a"), "a: sent at the first try or once more after the kill")
    p = run("outbox", "list")
    t.status(p, 0)
    failed = [line for line in p.out.splitlines() if "failed" in line]
    t.eq(len(failed), 5, f"the DPO sees c's 5 messages failed: {p.out}")
    t.ok(all("timeout" in line for line in failed), "and why")
    t.status(run("outbox", "retry", str(c_msgs[0]["id"])), 0)
    t.eq([m["status"] for m in outbox(t, run) if m["id"] == c_msgs[0]["id"]], ["queued"],
         "retry makes it pending again")


def test_a_batch_never_sends_past_its_lease_and_gives_back_what_it_did_not_try(t):
    """A claim takes a batch of due messages under one lease. A worker never
    starts a send that could end after its lease (another worker could then
    claim the message while it is sent): with a 1 s lease and sends that may
    take 0.4 s, it tries two or so, then gives the rest back as they were
    (queued, the attempt the claim counted taken back) and claims them again
    under a new lease. Each message is tried once; none twice, none skipped."""
    w = hook(os.path.join(t.tmp, "hook"))
    port = w.port
    w.stop()
    run = vault(t, env={"PDVAULT_CONFIG": decl(t, {"a": f"webhook: http://127.0.0.1:{port}/a"})})
    p = run("recipient", "secret", "a")
    t.status(p, 0)
    w = hook(os.path.join(t.tmp, "hook"), p.out.strip(), port, hang=["/a"])
    try:
        for i in range(6):
            c = collect_json(t, run, "contact", f"email=lease{i}@example.org", "message=x")
            t.status(run("erase", c["subject"]), 0)
        p = run("--json", "outbox", "deliver", "--once", "--delivery-backoff", "1",
                "--webhook-timeout", "400", "--delivery-lease", "1")
        t.status(p, 0)
        t.eq(t.json(p), {"sent": 0, "retried": 6, "failed": 0}, "each tried, to retry")
        calls = [c["id"] for c in w.calls()]
    finally:
        w.stop()
    msgs = outbox(t, run)
    t.eq(sorted(calls), sorted(m["message_id"] for m in msgs), "each message tried once")
    t.eq([(m["status"], m["attempts"], m["last_error"]) for m in msgs],
         [("queued", 1, "timeout")] * 6, "one attempt counted each: the untried went back")
    p = run("--json", "outbox", "deliver", "--once", "--webhook-timeout", "400",
            "--delivery-lease", "0")
    t.status(p, 2)
    p = run("outbox", "deliver", "--once", "--webhook-timeout", "2000", "--delivery-lease", "2")
    t.status(p, 1)
    t.contains(p.err, "--delivery-lease must be longer than a send may take")
