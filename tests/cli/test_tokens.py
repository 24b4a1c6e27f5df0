"""token create and revoke: the staff's API tokens."""
import os

from storelib import store_bytes
from vaultlib import vault


def test_tokens(t):
    run = vault(t)
    p = run("--json", "token", "create", "sales", "--name", "alice", "--expires", "90d")
    t.status(p, 0)
    doc = t.json(p)
    tok = doc["token"]
    t.ok(tok.startswith("pdv_") and len(tok) == 47, f"a 256-bit token {tok}")
    t.eq(doc["expires"], "2026-05-31T10:00:00Z", "90 days later")
    db = store_bytes(t)
    t.ok(tok.encode() not in db and tok[4:].encode() not in db, "stored only as a hash")
    p = run("--json", "token", "create", "sales", "--name", "alice")
    t.status(p, 1)
    t.eq(t.json(p)["error"]["field"], "name", "a name is used once")
    p = run("--json", "token", "create", "janitor", "--name", "bob")
    t.status(p, 1)
    t.contains(p.err, "roles: dpo, sales")
    t.status(run("token", "create", "dpo", "--name", "dora"), 0)
    t.status(run("token", "revoke", "alice"), 0)
    p = run("--json", "token", "revoke", "alice")
    t.status(p, 1)
    t.status(run("token", "create", "sales"), 2)
