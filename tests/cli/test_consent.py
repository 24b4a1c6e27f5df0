"""consent: the ledger keeps every grant and withdrawal; a withdrawal ends the
record at once."""
import os

from storelib import store_query
from vaultlib import vault, collect_json, later, without_ids


def test_consent_ledger_and_withdrawal(t):
    run = vault(t)
    doc = collect_json(t, run, "newsletter", "--consent", "email=eva@example.org",
                       "country=France")
    sid = doc["subject"]
    p = run("--json", "consent", sid, "newsletter", "grant")
    t.status(p, 0)
    c = t.json(p)["consent"]
    t.eq((c["activity"], c["state"], c["version"]), ("newsletter", "granted", "2025-01"), "grant")
    t.eq(c["at"], "2026-03-02T10:00:00Z", "at the clock")
    r = later(run, "2026-04-01")
    p = r("--json", "consent", sid, "newsletter", "withdraw")
    t.status(p, 0)
    doc2 = t.json(p)
    t.eq(doc2["consent"]["state"], "withdrawn", "withdrawn")
    t.eq(doc2["ended"], 1, "the subscription ended at once")
    # no record left: the subject's key and blind index are destroyed
    p = r("--json", "show", sid)
    t.status(p, 1)
    t.eq(t.json(p)["error"]["code"], "not_found", "the subject is gone")
    t.eq(t.json(r("--json", "find", "--email", "eva@example.org")), {"subjects": []}, "unfindable")
    journal = open(os.path.join(t.tmp, "pdvault.key.erasures"), encoding="utf-8").read()
    lines = journal.splitlines()
    t.eq(lines[0], "pdvault-erasures 1", "journal header")
    t.eq(len(lines), 2, "one erasure journaled")
    t.lacks(journal, "eva", "journal")
    ledger = store_query(t, "SELECT state, version FROM consents ORDER BY id")
    texts = store_query(t, "SELECT activity, version FROM consent_texts")
    stats = store_query(t, "SELECT activity, month, fields FROM statistics")
    t.eq(ledger, [("granted", "2025-01"), ("granted", "2025-01"), ("withdrawn", "2025-01")],
         "every grant and the withdrawal kept, none overwritten")
    t.eq(texts, [("newsletter", "2025-01")], "the consent text kept once per version")
    # end: anonymise keeps country (keep_anonymised) in a row linked to no one
    t.eq([(a, m) for a, m, _ in stats], [("newsletter", "2026-03")], "statistics row, month only")
    t.ok(b"France" not in stats[0][2], "the kept value is sealed")
    p = run("--json", "consent", sid, "contact", "grant")
    t.status(p, 1)
    t.contains(p.err, "not based on consent")


def told(t, run):
    p = run("--json", "outbox", "list")
    t.status(p, 0)
    return sorted((m["kind"], m["recipient"]) for m in t.json(p)["messages"] if m["recipient"])


def test_a_withdrawal_tells_each_recipient_of_the_erasure(t):
    """Art. 17(1)(b) then Art. 19: the record a withdrawal ends is erased, and
    each recipient of the activity is told (the newsletter's mailer), as an
    erasure asked for is; nothing is queued before."""
    run = vault(t)
    sid = collect_json(t, run, "newsletter", "--consent", "email=eva@example.org",
                       "country=France")["subject"]
    t.eq(told(t, run), [], "nothing told at collection")
    p = later(run, "2026-04-01")("--json", "consent", sid, "newsletter", "withdraw")
    t.status(p, 0)
    t.eq(t.json(p)["ended"], 1, "ended")
    t.eq(told(t, run), [("erasure", "mailer")], "the mailer told once")
    payloads = store_query(t, "SELECT payload FROM outbox")
    # the payload names the record: "eva" is looked for past its id
    t.lacks(without_ids(b"".join(bytes(p) for (p,) in payloads).decode()), "eva",
            "no personal data queued")


def test_a_withdrawal_that_ends_nothing_tells_no_one(t):
    """A withdrawal with no record left to end (a second one) queues nothing."""
    run = vault(t)
    sid = collect_json(t, run, "newsletter", "--consent", "email=eva@example.org",
                       "country=France")["subject"]
    collect_json(t, run, "contact", "email=eva@example.org", "message=x")
    t.status(run("--json", "consent", sid, "newsletter", "withdraw"), 0)
    t.status(run("--json", "consent", sid, "newsletter", "withdraw"), 0)
    t.eq(told(t, run), [("erasure", "mailer")], "told once, and the crm (contact) never")
