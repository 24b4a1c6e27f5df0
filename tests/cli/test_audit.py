"""audit verify, audit log and audit accept-loss: the hash chain catches every
change to the log, the head file beside the key catches a cut end, and the log
holds no personal-data value."""
import json
import os

from storelib import store_value, store_count, store_exec
from vaultlib import vault, collect_json, verify, filled, without_ids


def test_audit_catches_a_modified_entry(t):
    run = filled(t)
    store_exec(t, "UPDATE audit SET actor = 'cli:mallory' WHERE seq = 3")
    p, doc = verify(t, run)
    t.status(p, 1)
    t.eq((doc["ok"], doc["first_bad"]), (False, 3), "modified entry named")


def test_audit_catches_a_deleted_entry(t):
    run = filled(t)
    store_exec(t, "DELETE FROM audit WHERE seq = 2")
    p, doc = verify(t, run)
    t.status(p, 1)
    t.eq(doc["first_bad"], 2, "deleted entry named")


def test_audit_catches_reordered_entries(t):
    run = filled(t)
    store_exec(t, "UPDATE audit SET seq = 100 WHERE seq = 2")
    store_exec(t, "UPDATE audit SET seq = 2 WHERE seq = 3")
    store_exec(t, "UPDATE audit SET seq = 3 WHERE seq = 100")
    p, doc = verify(t, run)
    t.status(p, 1)
    t.eq(doc["first_bad"], 2, "first moved entry named")


def test_audit_catches_an_inserted_entry(t):
    run = filled(t)
    store_exec(t, "INSERT INTO audit (seq, at, actor, action, hash) VALUES (6, 0, 'cli:x', 'show', ?)",
           b"\0" * 32)
    p, doc = verify(t, run)
    t.status(p, 1)
    t.eq(doc["first_bad"], 6, "inserted entry named")


def test_audit_catches_a_truncated_log(t):
    run = filled(t)
    store_exec(t, "DELETE FROM audit WHERE seq >= 4")
    p, doc = verify(t, run)
    t.status(p, 1)
    t.eq(doc["first_bad"], 4, "first missing entry named")
    human = run("audit", "verify")
    t.status(human, 1)
    t.contains(human.out, "cut off")


def test_a_truncated_log_refuses_writes_until_the_loss_is_accepted(t):
    run = filled(t)  # entries 1-5
    store_exec(t, "DELETE FROM audit WHERE seq >= 4")
    p = run("collect", "contact", "email=new@example.org", "message=x")
    t.status(p, 3)
    t.contains(p.err, "entry 4 is missing")
    t.status(run("find", "--email", "p0@example.org"), 3)  # a read writes its audit entry
    p = run("--json", "collect", "contact", "email=new@example.org", "message=x")
    t.status(p, 3)
    t.eq(t.json(p)["error"]["code"], "integrity", "error code")
    t.eq(store_value(t, "SELECT max(seq) FROM audit"), 3, "nothing written")
    t.eq(store_count(t, "records"), 4, "no record added")
    p, doc = verify(t, run)  # still named after the refused writes
    t.status(p, 1)
    t.eq(doc["first_bad"], 4, "first missing entry named")
    t.contains(p.err, "entries from 4 to 5 were cut off")
    # the way out is explicit, and its reason is kept sealed
    t.status(run("audit", "accept-loss"), 2)
    marker = "Zq7lossreason"
    p = run("--json", "audit", "accept-loss", "--reason", f"disk failure {marker}")
    t.status(p, 0)
    t.eq(t.json(p), {"lost": {"from": 4, "to": 5}, "entry": 6}, "accept-loss document")
    t.status(run("audit", "accept-loss", "--reason", "again"), 1)  # nothing more to accept
    collect_json(t, run, "contact", "email=new@example.org", "message=x")
    p, doc = verify(t, run)
    t.status(p, 0)
    t.eq((doc["ok"], doc["first_bad"]), (True, None), "the chain verifies again")
    t.eq([(x["from"], x["to"], x["entry"]) for x in doc["losses"]], [(4, 5, 6)],
         "the loss stays reported")
    t.eq(doc["losses"][0]["reason"], f"disk failure {marker}", "the reason")
    human = run("audit", "verify")
    t.status(human, 0)
    t.contains(human.out, "entries 4 to 5 lost")
    for d, _, fs in os.walk(t.tmp):
        for f in fs:
            t.ok(marker.encode() not in open(os.path.join(d, f), "rb").read(),
                 f"the reason in clear in {f}")
    # the accepted loss cannot be cut off in turn
    store_exec(t, "DELETE FROM audit WHERE seq >= 6")
    t.status(run("collect", "contact", "email=other@example.org", "message=x"), 3)


def test_a_missing_head_file_refuses_writes(t):
    run = filled(t)
    os.unlink(os.path.join(t.tmp, "pdvault.key.audit-head"))
    p = run("collect", "contact", "email=new@example.org", "message=x")
    t.status(p, 3)
    t.contains(p.err, "audit head file")
    p = run("--json", "audit", "accept-loss", "--reason", "head file deleted by mistake")
    t.status(p, 0)
    t.eq(t.json(p), {"lost": {"from": 6, "to": None}, "entry": 6}, "what may be lost")
    collect_json(t, run, "contact", "email=new@example.org", "message=x")
    p, doc = verify(t, run)
    t.status(p, 0)
    t.eq([(x["from"], x["to"]) for x in doc["losses"]], [(6, None)], "loss reported")


def test_a_symlinked_key_file_keeps_the_same_head(t):
    run = filled(t)
    os.mkdir(os.path.join(t.tmp, "etc"))
    os.symlink(os.path.join(t.tmp, "pdvault.key"), os.path.join(t.tmp, "etc", "vault.key"))
    via = {"PDVAULT_KEY_FILE": os.path.join(t.tmp, "etc", "vault.key")}
    collect_json(t, lambda *a, **k: run(*a, env2=via, **k), "contact",
                 "email=linked@example.org", "message=x")
    t.ok(not os.path.exists(os.path.join(t.tmp, "etc", "vault.key.audit-head")),
         "no second head beside the link")
    p, doc = verify(t, run)
    t.status(p, 0)
    t.eq(doc["entries"], 6, "the head beside the real key moved")
    # a rotation through the link replaces the link by the new key file: the head follows
    t.status(run("key", "rotate", env2=via), 0)  # entry 7
    collect_json(t, lambda *a, **k: run(*a, env2=via, **k), "contact",
                 "email=rotated@example.org", "message=x")  # entry 8
    p = run("--json", "audit", "verify", env2=via)
    t.status(p, 0)
    t.eq(t.json(p)["entries"], 8, "the chain and its head after the rotation")
    store_exec(t, "DELETE FROM audit WHERE seq >= 8")
    p = run("collect", "contact", "email=other@example.org", "message=x", env2=via)
    t.status(p, 3)
    t.contains(p.err, "entry 8 is missing")
    p = run("--json", "audit", "verify", env2=via)
    t.status(p, 1)
    t.eq(t.json(p)["first_bad"], 8, "caught through the link too")


def test_audit_log_records_reads_and_changes_without_values(t):
    run = vault(t)
    doc = collect_json(t, run, "contact", "email=lea@example.org", "name=Léa Petit", "message=x")
    run("find", "--email", "lea@example.org")
    run("show", doc["subject"])
    p = run("--json", "audit", "log", "--subject", doc["subject"])
    t.status(p, 0)
    entries = t.json(p)["entries"]
    t.eq([e["action"] for e in entries], ["collect", "find", "show"], "actions")
    show = entries[-1]
    t.eq((show["record"], show["activity"]), (doc["record"], "contact"), "show names the record")
    t.ok(show["purpose"], "the purpose of the read")
    t.ok(show["actor"].startswith("cli:"), "actor")
    t.eq(show["at"], "2026-03-02T10:00:00Z", "the clock of PDVAULT_NOW")
    text = without_ids(json.dumps(t.json(run("--json", "audit", "log"))))
    for v in ("lea@example.org", "Léa", "Petit"):
        t.lacks(text, v, "audit log")
