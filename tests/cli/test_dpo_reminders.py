"""The DPO's reminders (issue 12, point 5), queued by the courier's scheduler
and sent to the declaration's dpo email through a real relay
(tests/lib/smtpd.py): a daily digest of the requests due within 7 days and
the overdue ones, once a day from --digest-hour in the controller's time
(FR: CET here); a breach's alerts when recorded, with 48 h and 24 h left and
past 72 h, until the authority is told. PDVAULT_NOW drives the clock; each
`outbox deliver --once` is a cron run."""
import os
import sys

from storelib import store_exec, store_query
from vaultlib import vault, later

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "lib"))
from peers import Smtpd  # noqa: E402

DPO = "dpo@atelier-numerique.fr"


def deliver(t, run, smtp, *args):
    p = run("--json", "outbox", "deliver", "--once", "--smtp", smtp.url, *args)
    t.status(p, 0)
    return t.json(p)


def to_dpo(smtp):
    return [(m, env) for m, env, _ in smtp.messages() if env["rcpt_tos"] == [DPO]]


def text_of(msg):
    return msg.get_body(preferencelist=("plain",)).get_content()


def request(t, run, received, email="someone@example.org"):
    p = run("--json", "request", "open", "erasure", "--received", received, "--email", email)
    t.status(p, 0)
    return t.json(p)


def test_the_digest_lists_due_soon_and_overdue_once_a_day(t):
    run = vault(t)
    soon = request(t, run, "2026-02-09", email="soon.person@example.org")  # due 2026-03-09
    late = request(t, run, "2026-01-20")  # due 2026-02-20
    far = request(t, run, "2026-02-24")  # due 2026-03-24: not in 7 days
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        # 07:30 CET: before the digest's hour (8 by default), nothing for the DPO
        deliver(t, later(run, "2026-03-04T06:30:00Z"), smtp)
        t.eq(to_dpo(smtp), [], "no digest before its hour")
        deliver(t, later(run, "2026-03-04T09:00:00Z"), smtp)
        digests = to_dpo(smtp)
        t.eq(len(digests), 1, "one digest")
        body = text_of(digests[0][0])
        t.contains(body, f"{soon['reference']}, erasure, échéance le 2026-03-09 (J-5)")
        t.contains(body, f"{late['reference']}, erasure, échéance le 2026-02-20 (12 j de retard)")
        t.ok(far["reference"] not in body, "a request due in 20 days is not listed")
        t.ok("soon.person" not in digests[0][0].as_string(), "no requester address")
        # the same day, again and again: no second digest
        deliver(t, later(run, "2026-03-04T15:00:00Z"), smtp)
        deliver(t, later(run, "2026-03-04T22:59:00Z"), smtp)
        t.eq(len(to_dpo(smtp)), 1, "one digest a day")
        # the next day (00:30 CET is still before 8): none; at 08:00 CET, the next
        deliver(t, later(run, "2026-03-04T23:30:00Z"), smtp)
        t.eq(len(to_dpo(smtp)), 1, "the next day's digest waits for its hour")
        deliver(t, later(run, "2026-03-05T07:00:00Z"), smtp)
        t.eq(len(to_dpo(smtp)), 2, "the next day's digest")
        t.contains(text_of(to_dpo(smtp)[1][0]), "(J-4)")
    keys = [k for (k,) in store_query(t, "SELECT once_key FROM outbox WHERE kind = 'dpo-digest'")]
    t.eq(keys, ["digest:2026-03-04", "digest:2026-03-05"], "one key a day")


def test_the_digest_hour_is_settable_and_a_day_with_nothing_due_sends_none(t):
    run = vault(t)
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        deliver(t, later(run, "2026-03-04T09:00:00Z"), smtp)
        t.eq(to_dpo(smtp), [], "nothing due: no digest")
        request(t, run, "2026-02-09")
        deliver(t, later(run, "2026-03-04T09:00:00Z"), smtp, "--digest-hour", "11")
        t.eq(to_dpo(smtp), [], "10:00 CET is before --digest-hour 11")
        deliver(t, later(run, "2026-03-04T10:00:00Z"), smtp, "--digest-hour", "11")
        t.eq(len(to_dpo(smtp)), 1, "11:00 CET: the digest")
    p = run("outbox", "deliver", "--once", "--digest-hour", "24")
    t.status(p, 2)
    t.contains(p.err, "--digest-hour")


def breach(t, run, aware, *args):
    p = run("--json", "breach", "open", "--aware", aware, "--summary", "a lost laptop", *args)
    t.status(p, 0)
    return t.json(p)["breach"]


def alerts(smtp):
    return [m for m, _ in to_dpo(smtp) if "Breach" in m["Subject"] or "Violation" in m["Subject"]]


def test_a_breach_alerts_the_dpo_at_each_stage_until_notified(t):
    run = vault(t)
    b = breach(t, run, "2026-03-02T10:00:00Z")
    stages = [("2026-03-02T10:00:30Z", "72"), ("2026-03-02T12:00:00Z", None),
              ("2026-03-03T10:00:00Z", "48"), ("2026-03-03T20:00:00Z", None),
              ("2026-03-04T10:00:00Z", "24"), ("2026-03-05T09:59:00Z", None),
              ("2026-03-05T10:00:00Z", "0"), ("2026-03-06T10:00:00Z", None)]
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        seen = 0
        for when, hours in stages:
            # two cron runs at each time: still one alert per stage
            deliver(t, later(run, when), smtp)
            deliver(t, later(run, when), smtp)
            got = alerts(smtp)
            t.eq(len(got), seen + (1 if hours else 0), f"alerts at {when}")
            if hours:
                body = text_of(got[-1])
                t.contains(body, b)
                t.contains(body, "2026-03-05T10:00:00Z")
                t.contains(body, f"il reste {hours} heures")
                seen += 1
        t.ok("a lost laptop" not in "".join(m.as_string() for m in got), "no summary")
    t.eq(store_query(t, "SELECT once_key FROM outbox WHERE kind = 'dpo-breach-alert' "
                        "ORDER BY id"),
         [(f"breach:1:{s}",) for s in ("recorded", "48h", "24h", "overdue")], "one per stage")


def test_no_alert_once_notified_or_assessed_unlikely(t):
    run = vault(t)
    b = breach(t, run, "2026-03-02T10:00:00Z")
    breach(t, run, "2026-03-02T10:00:00Z", "--risk", "unlikely", "--reason",
           "encrypted laptop, key not on it")
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        deliver(t, run, smtp)
        t.eq(len(alerts(smtp)), 1, "the recorded alert of the first breach only")
        p = later(run, "2026-03-02T15:00:00Z")("breach", "notify", b, "--authority")
        t.status(p, 0)
        for when in ("2026-03-03T10:00:00Z", "2026-03-04T10:00:00Z", "2026-03-06T10:00:00Z"):
            deliver(t, later(run, when), smtp)
        t.eq(len(alerts(smtp)), 1, "nothing after the authority was told")


def test_an_alert_whose_time_is_no_date_is_failed_damaged_not_sent(t):
    # the alert's payload is text in the store ("BREACH AWARE DUE STAGE", in
    # seconds): a due time past year 9999 was mailed as a date of year 0000
    run = vault(t)
    breach(t, run, "2026-03-02T10:00:00Z")
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        deliver(t, run, smtp)
        t.eq(len(alerts(smtp)), 1, "the recorded alert")
        (oid, text), = store_query(t, "SELECT id, once_key FROM outbox "
                                      "WHERE kind = 'dpo-breach-alert'")
        # (the last two overflow a 64-bit reading: damage too, never a wrapped time)
        for n, due in enumerate(("253402300800", "-62135596801", "9223372036854775807",
                                 "92233720368547758080", "1772704800000000000000000")):
            payload = f"b1 1772445600 {due} 48h".encode()
            # ids far past the vault's own (PostgreSQL's are given by pdvault)
            store_exec(t, "INSERT INTO outbox (id, kind, recipient, payload, created_at, "
                          "status, next_at, once_key) SELECT ?, kind, recipient, ?, "
                          "created_at, 'queued', 0, ? FROM outbox WHERE id = ?",
                       1000000 + n, payload, f"{text}:{n}", oid)
        deliver(t, later(run, "2026-03-02T10:01:00Z"), smtp)
        t.eq(len(alerts(smtp)), 1, "no alert with a deadline that is no date")
        t.eq(store_query(t, "SELECT status, last_error FROM outbox WHERE id > ? ORDER BY id", oid),
             [("failed", "damaged")] * 5, "failed as damaged, never retried")
