"""Schema migrations: an older store is upgraded when opened, a newer one refused."""
import os
import sqlite3

from vaultlib import vault, collect_json, audit_entries, tamper, verify


def test_migrations_upgrade_an_older_store_and_refuse_a_newer_one(t):
    run = vault(t)
    c = collect_json(t, run, "contact", "email=old@example.org", "message=x")
    t.status(run("token", "create", "sales", "--name", "old"), 0)
    tamper(t, "DROP TABLE directives")
    tamper(t, "DROP TABLE verifications")
    tamper(t, "ALTER TABLE records DROP COLUMN binding")
    for col in ("risk", "risk_reason", "late_reason"):
        tamper(t, f"ALTER TABLE breaches DROP COLUMN {col}")
    tamper(t, "ALTER TABLE tokens DROP COLUMN scope")
    tamper(t, "PRAGMA user_version = 1")
    t.status(run("directives", c["subject"], "--set", "keep nothing"), 0)  # 0002-0006 applied
    db = sqlite3.connect(os.path.join(t.tmp, "pdvault.db"))
    t.eq(db.execute("PRAGMA user_version").fetchone()[0], 6, "upgraded to the binary's version")
    t.eq(db.execute("SELECT name, role, scope FROM tokens").fetchall(), [("old", "sales", "all")],
         "a token made before scopes keeps what its role may do")
    db.close()
    tamper(t, "PRAGMA user_version = 99")
    p = run("find", "--email", "old@example.org")
    t.status(p, 3)
    t.contains(p.err, "newer than this pdvault")


def test_a_store_from_before_0005_binds_every_record_at_open(t):
    run = vault(t)
    a = collect_json(t, run, "contact", "email=old1@example.org", "message=x")
    collect_json(t, run, "newsletter", "--consent", "email=old1@example.org")
    collect_json(t, run, "contact", "email=old2@example.org", "message=y")
    # the schema of version 4, as the previous pdvault made it
    tamper(t, "ALTER TABLE records DROP COLUMN binding")
    tamper(t, "ALTER TABLE tokens DROP COLUMN scope")
    tamper(t, "PRAGMA user_version = 4")
    p = run("--json", "audit", "verify")  # a read-only command binds too: it opens with the key
    t.status(p, 0)
    db = sqlite3.connect(os.path.join(t.tmp, "pdvault.db"))
    t.eq(db.execute("PRAGMA user_version").fetchone()[0], 6, "migrated")
    t.eq(db.execute("SELECT count(*) FROM records WHERE length(binding) = 16").fetchone()[0], 3,
         "every record bound")
    t.eq(db.execute("SELECT count(*) FROM meta WHERE name = 'bind_pending'").fetchone()[0], 0,
         "nothing left pending")
    db.close()
    binds = [e for e in audit_entries(t, run) if e["action"] == "bind-records"]
    t.eq([e["detail"] for e in binds], ["3 records bound to their subject, activity and phase"],
         "one audited transaction")
    t.status(run("show", a["subject"]), 0)
    t.eq(len([e for e in audit_entries(t, run) if e["action"] == "bind-records"]), 1,
         "bound once")
    tamper(t, "UPDATE records SET activity = 'newsletter' WHERE id = (SELECT min(id) FROM records)")
    p = run("show", a["subject"])
    t.status(p, 3)
    t.contains(p.err, a["record"])
    p, doc = verify(t, run)
    t.status(p, 0)
