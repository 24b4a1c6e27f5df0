"""backup, restore and key rotate: what survives a restore (not an erased
person), the audit head across it, and a rotation that survives a crash."""
import os
import sqlite3
import stat

from storelib import StoreError, store_exec, store_value
from vaultlib import vault, collect_json, audit_entries, verify, filled, records


def test_restore_moves_the_head_with_an_audit_entry(t):
    run = filled(t)  # entries 1-5
    t.status(run("backup", "before.db"), 0)  # entry 6
    collect_json(t, run, "contact", "email=late@example.org", "message=x")  # 7
    t.status(run("restore", "before.db"), 0)  # the backup's log ends at 5: 6 restore
    entries = audit_entries(t, run)
    t.eq(entries[-1]["action"], "restore", "the restore is logged")
    t.contains(entries[-1]["detail"], "entry 7", "the head it replaced")
    collect_json(t, run, "contact", "email=after@example.org", "message=x")
    p, doc = verify(t, run)
    t.status(p, 0)


def test_key_rotation_keeps_everything_readable(t):
    run = vault(t)
    a = collect_json(t, run, "contact", "email=ray@example.org", "name=Ray", "message=x")
    collect_json(t, run, "newsletter", "--consent", "email=sue@example.org")
    key = os.path.join(t.tmp, "pdvault.key")
    before = open(key, "rb").read()
    p = run("--json", "key", "rotate")
    t.status(p, 0)
    t.eq(t.json(p)["rewrapped"], 2, "two subject keys re-wrapped")
    t.ok(open(key, "rb").read() != before, "a new master key")
    t.eq(stat.S_IMODE(os.stat(key).st_mode), 0o600, "still owner-only")
    t.eq(t.json(run("--json", "find", "--email", "ray@example.org")), {"subjects": [a["subject"]]},
         "lookups keep working")
    t.eq(records(t, run, a["subject"])["contact"]["fields"]["name"], "Ray", "data readable")
    p, doc = verify(t, run)
    t.status(p, 0)
    # the old key no longer opens the store
    old = t.write("old.key", before, "wb")
    os.chmod(old, 0o600)
    p = run("find", "--email", "ray@example.org", env2={"PDVAULT_KEY_FILE": old})
    t.status(p, 3)


def test_key_rotation_survives_a_crash(t):
    run = vault(t)
    a = collect_json(t, run, "contact", "email=kim@example.org", "message=x")
    key = os.path.join(t.tmp, "pdvault.key")
    new = key + ".new"
    old_key = open(key, "rb").read()
    # a crash before the commit: a new key file was written, the store never used it
    with open(new, "wb") as f:
        f.write(os.urandom(32))
    os.chmod(new, 0o600)
    t.eq(t.json(run("--json", "find", "--email", "kim@example.org")), {"subjects": [a["subject"]]},
         "the old key is still in force")
    t.status(run("key", "rotate"), 0)
    t.ok(not os.path.exists(new), "the stale new key is gone")
    # a crash after the commit, before the rename: put the files back as they were then
    new_key = open(key, "rb").read()
    with open(new, "wb") as f:
        f.write(new_key)
    os.chmod(new, 0o600)
    with open(key, "wb") as f:
        f.write(old_key)
    p = run("--json", "find", "--email", "kim@example.org")
    t.status(p, 0)
    t.eq(t.json(p), {"subjects": [a["subject"]]}, "the next open finishes the rotation")
    t.eq(open(key, "rb").read(), new_key, "the new key installed")
    t.ok(not os.path.exists(new), "and the .new file gone")


def test_restore_does_not_bring_an_erased_person_back(t):
    run = vault(t)
    a = collect_json(t, run, "contact", "email=amy@example.org", "message=x")
    b = collect_json(t, run, "contact", "email=ben@example.org", "message=y")
    p = run("--json", "backup", "before.db")
    t.status(p, 0)
    t.eq(stat.S_IMODE(os.stat(os.path.join(t.tmp, "before.db")).st_mode), 0o600, "backup 0600")
    t.status(run("backup", "before.db"), 1)  # never over an existing file
    c = collect_json(t, run, "contact", "email=cat@example.org", "message=z")
    t.status(run("erase", a["subject"]), 0)
    t.status(run("erase", c["subject"]), 0)  # made after the backup, erased since
    p = run("--json", "restore", "before.db")
    t.status(p, 0)
    t.eq(t.json(p)["erasures_replayed"], 1, "amy's erasure replayed on the backup")
    t.eq(t.json(run("--json", "find", "--email", "amy@example.org")), {"subjects": []},
         "the erased person does not come back")
    t.status(run("show", a["subject"]), 1)
    t.eq(t.json(run("--json", "find", "--email", "ben@example.org")), {"subjects": [b["subject"]]},
         "the others are back as they were")
    p, doc = verify(t, run)
    t.status(p, 0)
    # work goes on: a new erasure after the restore is journaled in step
    t.status(run("erase", b["subject"]), 0)
    lines = open(os.path.join(t.tmp, "pdvault.key.erasures")).read().splitlines()[1:]
    seqs = [int(l.split()[0]) for l in lines]
    t.eq(seqs, sorted(set(seqs)), "journal sequence numbers stay increasing and unique")
    t.eq(len(seqs), 3, "three erasures in all")
    # a damaged file, or another vault's backup, is refused and the store is untouched
    bad = t.write("bad.db", b"not a database" * 100, "wb")
    p = run("restore", bad)
    t.status(p, 3)  # damaged backup refused: an environment error (I/O), not a refusal
    t.eq(t.json(run("--json", "find", "--email", "ben@example.org")), {"subjects": []},
         "the store as it was")


def test_a_restore_keeps_notes_staff_accounts_certificates_and_receipts(t):
    """The tables of the request desk, the staff accounts, the deletion
    certificates and the consent receipts are in a backup and back after its
    restore, the receipts still append-only (on PostgreSQL the backup copies
    the tables it names, and the restore swaps them in with their trigger)."""
    run = vault(t)
    a = collect_json(t, run, "contact", "email=desk@example.org", "message=x")
    q = t.json(run("--json", "request", "open", "access", "--subject", a["subject"]))
    t.status(run("request", "note", q["request"], "called back"), 0)
    t.status(run("staff", "add", "alice", "dpo", "--email", "alice@example.org"), 0)
    collect_json(t, run, "contact", "email=gone@example.org", "message=x")
    e = t.json(run("--json", "request", "open", "erasure", "--email", "gone@example.org"))
    p = run("--json", "request", "close", e["request"])
    t.status(p, 0)
    cert = t.json(p)["certificate"]
    # a consent receipt (as the server appends one), for the append-only guard
    store_exec(t, "INSERT INTO cookie_configs (id, kit, lang, declaration, canonical, "
                  "created_at) VALUES ('c1', 'klaro', 'fr', 'd1', '{}', 0)")
    store_exec(t, "INSERT INTO cookie_receipts (id, tag, consent_index, config_id, declaration, "
                  "event, choices, gpc, given_at, received_at) "
                  "VALUES (1, ?, ?, 'c1', 'd1', 'refuse', '{}', 0, 0, 0)",
               bytes(16), bytes(32))
    t.status(run("backup", "desk.db"), 0)
    t.status(run("restore", "desk.db"), 0)
    page = t.json(run("--json", "request", "show", q["request"]))
    t.eq([e["what"] for e in page["timeline"] if e["what"] == "note"], ["note"], "the note")
    p = run("staff", "list")
    t.status(p, 0)
    t.contains(p.out, "alice", "the staff account")
    p = run("certificate", "show", cert)
    t.status(p, 0)
    t.contains(p.out, e["reference"], "the certificate of the erasure")
    t.eq(store_value(t, "SELECT event FROM cookie_receipts"), "refuse", "the receipt")
    try:
        store_exec(t, "UPDATE cookie_receipts SET event = 'accept'")
        t.ok(False, "a restored receipt was changed")
    except (sqlite3.DatabaseError, StoreError) as ex:
        t.contains(str(ex), "never changed", "a restored receipt is still append-only")

