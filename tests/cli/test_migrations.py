"""Schema migrations: an older store is upgraded when opened, a newer one refused."""
import os

from storelib import store_query, store_value, store_exec, store_version, store_set_version
from vaultlib import vault, collect_json, audit_entries, verify


def test_migrations_upgrade_an_older_store_and_refuse_a_newer_one(t):
    run = vault(t)
    c = collect_json(t, run, "contact", "email=old@example.org", "message=x")
    t.status(run("token", "create", "sales", "--name", "old"), 0)
    store_exec(t, "DROP TABLE directives")
    store_exec(t, "DROP TABLE verifications")
    store_exec(t, "ALTER TABLE records DROP COLUMN binding")
    for col in ("risk", "risk_reason", "late_reason"):
        store_exec(t, f"ALTER TABLE breaches DROP COLUMN {col}")
    store_exec(t, "ALTER TABLE tokens DROP COLUMN scope")
    store_set_version(t, 1)
    t.status(run("directives", c["subject"], "--set", "keep nothing"), 0)  # 0002-0006 applied
    t.eq(store_version(t), 6, "upgraded to the binary's version")
    t.eq(store_query(t, "SELECT name, role, scope FROM tokens"), [("old", "sales", "all")],
         "a token made before scopes keeps what its role may do")
    store_set_version(t, 99)
    p = run("find", "--email", "old@example.org")
    t.status(p, 3)
    t.contains(p.err, "newer than this pdvault")


def test_a_store_from_before_0005_binds_every_record_at_open(t):
    run = vault(t)
    a = collect_json(t, run, "contact", "email=old1@example.org", "message=x")
    collect_json(t, run, "newsletter", "--consent", "email=old1@example.org")
    collect_json(t, run, "contact", "email=old2@example.org", "message=y")
    # the schema of version 4, as the previous pdvault made it
    store_exec(t, "ALTER TABLE records DROP COLUMN binding")
    store_exec(t, "ALTER TABLE tokens DROP COLUMN scope")
    store_set_version(t, 4)
    p = run("--json", "audit", "verify")  # a read-only command binds too: it opens with the key
    t.status(p, 0)
    t.eq(store_version(t), 6, "migrated")
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
