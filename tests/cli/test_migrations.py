"""Schema migrations: an older store is upgraded when opened, a newer one refused."""
import os

from storelib import (store_bytes, store_query, store_value, store_exec, store_version, store_set_version,
                      store_before_0007, store_before_0010,
                      store_before_0011, store_before_0012, store_before_0013,
                      store_before_0014, store_before_0015, store_before_0016, store_before_0017,
                      sqlite_only)
from vaultlib import vault, collect_json, audit_entries, verify

# the binary's schema version
LATEST = 17
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def drop_0009(t):
    """the store as it was before 0009 (migrations 0011, 0010 and 0009 undone)"""
    store_before_0010(t)
    store_exec(t, "DROP TABLE downloads")
    store_exec(t, "ALTER TABLE requests DROP COLUMN lang")


def drop_0008(t):
    """the requests table as it was before 0008 (migrations 0009 and 0008 undone)"""
    drop_0009(t)
    store_exec(t, "DROP INDEX requests_reference")
    for col in ("reference", "address", "extension_reason"):
        store_exec(t, f"ALTER TABLE requests DROP COLUMN {col}")


def reference_ok(ref):
    """8 Crockford symbols and the mod-37 check character"""
    if len(ref) != 9 or any(c not in CROCKFORD for c in ref[:8]):
        return False
    v = 0
    for c in ref[:8]:
        v = v * 32 + CROCKFORD.index(c)
    return ref[8] == (CROCKFORD + "*~$=U")[v % 37]


def test_a_store_newer_than_the_binary_is_refused(t):
    """On every backend (PostgreSQL's series has its own numbers): a store a
    newer pdvault migrated is refused, untouched, and opens again once its
    version is one this pdvault knows."""
    run = vault(t)
    collect_json(t, run, "contact", "email=old@example.org", "message=x")
    known = store_version(t)
    t.ok(known >= 1, f"a version is recorded ({known})")
    store_set_version(t, known + 1)
    p = run("find", "--email", "old@example.org")
    t.status(p, 3)
    t.contains(p.err, "newer than this pdvault")
    t.eq(store_version(t), known + 1, "the newer store is left as it was")
    store_set_version(t, known)
    t.status(run("find", "--email", "old@example.org"), 0)


@sqlite_only
def test_migrations_upgrade_an_older_store_and_refuse_a_newer_one(t):
    run = vault(t)
    c = collect_json(t, run, "contact", "email=old@example.org", "message=x")
    t.status(run("token", "create", "sales", "--name", "old"), 0)
    store_before_0007(t)
    store_exec(t, "DROP TABLE directives")
    store_exec(t, "DROP TABLE verifications")
    store_exec(t, "ALTER TABLE records DROP COLUMN binding")
    for col in ("risk", "risk_reason", "late_reason"):
        store_exec(t, f"ALTER TABLE breaches DROP COLUMN {col}")
    store_exec(t, "ALTER TABLE tokens DROP COLUMN scope")
    drop_0008(t)
    store_set_version(t, 1)
    t.status(run("directives", c["subject"], "--set", "keep nothing"), 0)  # 0002-0011 applied
    t.eq(store_version(t), LATEST, "upgraded to the binary's version")
    t.eq(store_query(t, "SELECT name, role, scope FROM tokens"), [("old", "sales", "all")],
         "a token made before scopes keeps what its role may do")
    store_set_version(t, 99)
    p = run("find", "--email", "old@example.org")
    t.status(p, 3)
    t.contains(p.err, "newer than this pdvault")


@sqlite_only
def test_a_store_from_before_0005_binds_every_record_at_open(t):
    run = vault(t)
    a = collect_json(t, run, "contact", "email=old1@example.org", "message=x")
    collect_json(t, run, "newsletter", "--consent", "email=old1@example.org")
    collect_json(t, run, "contact", "email=old2@example.org", "message=y")
    # the schema of version 4, as the previous pdvault made it
    store_before_0007(t)
    store_exec(t, "ALTER TABLE records DROP COLUMN binding")
    store_exec(t, "ALTER TABLE tokens DROP COLUMN scope")
    drop_0008(t)
    store_set_version(t, 4)
    p = run("--json", "audit", "verify")  # a read-only command binds too: it opens with the key
    t.status(p, 0)
    t.eq(store_version(t), LATEST, "migrated")
    t.eq(store_value(t, "SELECT count(*) FROM records WHERE length(binding) = 16"), 3,
         "every record bound")
    t.eq(store_value(t, "SELECT count(*) FROM meta WHERE name = 'bind_pending'"), 0,
         "nothing left pending")
    binds = [e for e in audit_entries(t, run) if e["action"] == "bind-records"]
    t.eq([e["detail"] for e in binds], ["3 records bound to their subject, activity and phase"],
         "one audited transaction")
    t.status(run("show", a["subject"]), 0)
    t.eq(len([e for e in audit_entries(t, run) if e["action"] == "bind-records"]), 1,
         "bound once")
    store_exec(t, "UPDATE records SET activity = 'newsletter' WHERE id = (SELECT min(id) FROM records)")
    p = run("show", a["subject"])
    t.status(p, 3)
    t.contains(p.err, a["record"])
    p, doc = verify(t, run)
    t.status(p, 0)


@sqlite_only
def test_a_store_from_before_0008_gives_every_request_a_reference(t):
    run = vault(t)
    a = collect_json(t, run, "contact", "email=ref@example.org", "message=x")
    q = [t.json(run("--json", "request", "open", kind, "--subject", a["subject"]))["request"]
         for kind in ("access", "erasure", "objection")]
    t.status(run("request", "extend", q[0], "--reason", "Bq4ext: a large archive"), 0)
    t.status(run("request", "extend", q[2], "--reason", "Bq4old: needs a lawyer"), 0)
    t.status(run("request", "close", q[2], "--refuse", "--reason", "Bq4ref: manifestly unfounded"), 0)
    # as the previous pdvault kept them: one reason column, the extension's
    # overwritten by the closing one
    store_exec(t, "UPDATE requests SET reason = extension_reason WHERE status = 'open'")
    store_before_0007(t)
    drop_0008(t)
    store_set_version(t, 6)
    p = run("--json", "request", "list")
    t.status(p, 0)
    t.eq(store_version(t), LATEST, "migrated")
    refs = [r["reference"] for r in t.json(p)["requests"]]
    t.eq(len(refs), 3, "three requests")
    t.ok(all(reference_ok(r) for r in refs), f"each has a reference with its check ({refs})")
    t.eq(len(set(refs)), 3, "all different")
    rows = dict(store_query(t, "SELECT status, extension_reason IS NOT NULL FROM requests "
                               "WHERE extended = 1"))
    t.eq(rows, {"open": 1, "refused": 0},
         "an open extension's reason is the extension's; a closed one's is the closing one")
    # the reference names the request from now on, typed loosely
    ref = [r for r in t.json(p)["requests"] if r["request"] == q[1]][0]["reference"]
    loose = (ref[:4] + "-" + ref[4:]).lower().replace("1", "l").replace("0", "o")
    p = run("--json", "request", "close", loose)
    t.status(p, 0)
    t.eq(t.json(p)["request"], q[1], "closed by its reference")


@sqlite_only
def test_a_store_from_before_0009_writes_its_requests_messages_in_the_first_language(t):
    """A request opened by version 8 has no language: its extension notice is
    queued after the upgrade and written in the declaration's first one."""
    run = vault(t)
    p = run("--json", "request", "open", "access", "--email", "mig9@example.org")
    t.status(p, 0)
    ref = t.json(p)["reference"]
    drop_0009(t)
    store_set_version(t, 8)
    t.status(run("request", "extend", ref, "--reason", "a large archive"), 0)
    t.eq(store_version(t), LATEST, "migrated")
    t.eq(store_query(t, "SELECT lang FROM requests"), [(None,)], "no language: the first one")
    t.eq(sorted(k for (k,) in store_query(t, "SELECT kind FROM outbox")),
         ["acknowledgement", "extension"], "the extension notice queued")


@sqlite_only
def test_a_store_from_before_0007_gets_a_delivery_state_for_each_message(t):
    """0007 on a store made by version 6: every message gets a message id and
    a status (sent stays sent, its payload dropped; the rest queued, due now),
    and the store keeps working (list, retry refused for a queued message)."""
    run = vault(t)
    a = collect_json(t, run, "contact", "email=old@example.org", "message=x")
    t.status(run("erase", a["subject"]), 0)  # Art. 19 notices, if the activity has recipients
    store_before_0007(t)
    store_exec(t, "INSERT INTO outbox (kind, recipient, payload, created_at) "
                  "VALUES ('erasure', 'crm', X'7265636f7264', 1000)")
    store_exec(t, "INSERT INTO outbox (kind, recipient, payload, created_at, sent_at, attempts) "
                  "VALUES ('erasure', 'crm', X'7265636f7264', 1000, 2000, 1)")
    drop_0008(t)
    store_set_version(t, 6)
    p = run("--json", "outbox", "list")
    t.status(p, 0)
    t.eq(store_version(t), LATEST, "migrated")
    rows = store_query(t, "SELECT status, length(message_id), payload IS NULL, next_at "
                          "FROM outbox WHERE created_at = 1000 ORDER BY id")
    t.eq(rows, [("queued", 32, 0, 0), ("sent", 32, 1, 0)],
         "the unsent message queued and due, the sent one sent without its payload")
    t.eq(store_value(t, "SELECT count(DISTINCT message_id) = count(*) FROM outbox"), 1,
         "a distinct message id each")
    msgs = t.json(p)["messages"]
    t.eq(sorted(m["status"] for m in msgs if m["created_at"].startswith("1970")),
         ["queued", "sent"], "listed with their status")
    t.ok(store_value(t, "SELECT count(*) FROM sqlite_master WHERE name = 'recipient_secrets'"),
         "the recipients' secrets table")


@sqlite_only  # undoes SQLite's migrations; PostgreSQL's 0001 holds them
def test_a_store_from_before_0010_keeps_its_people_in_the_first_language(t):
    """0010 on a store made by version 9: its subjects have no language (their
    messages are written in the declaration's first), a renewal queued then
    has no link and still goes out; a new submission's language is kept."""
    src = open(t.path("tests/data/lint/clean.yaml"), encoding="utf-8").read()
    src = src.replace("      active: 1y from last-contact\n      end: delete\n",
                      "      active: 1y from last-contact\n      end: delete\n"
                      "      renew: {wait: 1mo, silence: end}\n", 1)
    run = vault(t, env={"PDVAULT_CONFIG": t.write("renew.yaml", src)})
    old = collect_json(t, run, "contact", "email=old10@example.org", "message=x")
    store_before_0010(t)
    store_set_version(t, 9)
    # what version 9's sweep queued: a renewal without a payload
    store_exec(t, "INSERT INTO outbox (kind, subject_id, record_id, created_at, message_id, "
                  "next_at) SELECT 'renewal', subject_id, id, 0, 'm9', 0 FROM records")
    new = collect_json(t, run, "contact", "--lang", "en", "email=new10@example.org", "message=y")
    t.eq(store_version(t), LATEST, "migrated")
    t.eq(sorted(store_query(t, "SELECT lang FROM subjects"), key=str), [("en",), (None,)],
         "the old subject has none, the new one its own")
    t.ok(old["subject"] != new["subject"], "two people")
    t.eq(store_query(t, "SELECT count(*) FROM renewals"), [(0,)], "no link for the old one")


def drop_0011(t):
    """the outbox as it was before 0011 (0011 alone undone: the store of
    version 10, whichever migration 0010 is)"""
    store_before_0011(t)
    store_set_version(t, 10)


@sqlite_only  # undoes SQLite's migrations; PostgreSQL's 0001 holds them
def test_a_store_from_before_0011_keeps_its_outbox_and_queues_reminders_once(t):
    run = vault(t)
    p = run("--json", "request", "open", "erasure", "--email", "mig11@example.org",
            "--received", "2026-02-06")
    t.status(p, 0)
    drop_0011(t)
    before = store_query(t, "SELECT id, kind, status FROM outbox ORDER BY id")
    for _ in range(2):  # twice the same day: one digest
        t.status(run("outbox", "deliver", "--once"), 0)
    t.eq(store_version(t), LATEST, "upgraded")
    t.eq(store_query(t, "SELECT id, kind, status FROM outbox WHERE once_key IS NULL ORDER BY id"),
         before, "the messages queued before are kept, with no key")
    t.eq(store_query(t, "SELECT kind, once_key FROM outbox WHERE once_key IS NOT NULL"),
         [("dpo-digest", "digest:2026-03-02")], "the day's digest, queued once")


@sqlite_only  # undoes SQLite's migrations; PostgreSQL's 0001 holds them
def test_a_store_of_version_13_takes_notes_and_keeps_its_requests(t):
    run = vault(t)
    q = t.json(run("--json", "request", "open", "access", "--email", "old11@example.org",
                   "--received", "2026-02-06"))
    t.status(run("request", "extend", q["request"], "--reason", "many archives"), 0)
    store_before_0014(t)  # 0014 alone undone: the store version 13 left
    store_set_version(t, 13)
    before = store_query(t, "SELECT id, kind, status, due, extended FROM requests")
    p = run("request", "note", q["request"], "called back, no answer")
    t.status(p, 0)
    t.eq(store_version(t), LATEST, "migrated")
    t.eq(store_query(t, "SELECT id, kind, status, due, extended FROM requests"), before,
         "the request as it was")
    t.eq(store_query(t, "SELECT extended_at IS NULL, rectification IS NULL FROM requests"),
         [(1, 1)], "an extension from before has no time, no rectification asked")
    t.eq(store_value(t, "SELECT count(*) FROM request_notes"), 1, "the note is kept")
    page = t.json(run("--json", "request", "show", q["request"]))
    t.eq([(e["what"], e.get("kind")) for e in page["timeline"]],
         [("received", None), ("message", "acknowledgement"), ("extended", None),
          ("message", "extension"), ("note", None)],
         "received, acknowledged, extended (time unknown: after), the note")


@sqlite_only  # undoes SQLite's migrations; PostgreSQL's 0001 holds them
def test_a_store_of_version_15_closes_an_erasure_with_a_certificate(t):
    run = vault(t)
    a = collect_json(t, run, "contact", "email=old15@example.org", "message=x")
    q = t.json(run("--json", "request", "open", "erasure", "--subject", a["subject"],
                   "--received", "2026-02-06"))
    store_before_0016(t)  # 0016 alone undone: the store version 15 left
    store_set_version(t, 15)
    before = store_query(t, "SELECT id, kind, status, due FROM requests")
    p = run("--json", "request", "close", q["request"])
    t.status(p, 0)
    t.eq(store_version(t), LATEST, "migrated")
    cert = t.json(p)["certificate"]
    t.eq(store_query(t, "SELECT id, kind, due FROM requests"), [r[:2] + r[3:] for r in before],
         "the request as it was")
    t.eq(store_query(t, "SELECT kind, retired_at FROM certificates, signing_keys"),
         [("erasure", None)], "one certificate, the vault's first signing key made for it")
    p = run("--json", "certificate", "show", cert)
    t.status(p, 0)
    t.eq([e["activity"] for e in t.json(p)["certificate"]["erased"]], ["contact"],
         "it says what the close erased")


def test_a_store_before_0017_migrates_and_keeps_its_people(t):
    """On both backends: SQLite's 0017 and PostgreSQL's 0002 add the codes
    sent per address (tests/http/test_multi.py uses them); a store made
    before it (the table dropped, the version set back) is migrated when
    opened, its people kept, the table there and empty."""
    run = vault(t)
    a = collect_json(t, run, "contact", "email=old17@example.org", "message=x")
    new = store_version(t)
    store_before_0017(t)
    t.eq(store_version(t), new - 1, "the store of the version before")
    p = run("--json", "find", "--email", "old17@example.org")
    t.status(p, 0)
    t.eq(t.json(p)["subjects"], [a["subject"]], "the person kept")
    t.eq(store_version(t), new, "migrated")
    t.eq(store_value(t, "SELECT count(*) FROM verify_sends"), 0, "the table there, empty")
    t.eq(store_value(t, "SELECT version FROM pdv_schema") if new < 10 else new,
         2 if new < 10 else LATEST, "PostgreSQL's 0002, SQLite's 0017")
