"""Several servers on one vault (docs/internals/multi-server.md), from the
command line: each server's identity (--server-id, PDVAULT_SERVER_ID) keeps
its own audit head and erasure journal beside the shared key file; audit
verify checks every head found there; a cut audit table is caught and the
next write refused; restore takes every server's journal; one sweeper at a
time. The PostgreSQL ones run there on every run (storelib.always_pg)."""
import contextlib
import fcntl
import os
import subprocess
import time

import pgserver
from storelib import always_pg, store_exec, store_is_file, store_url
from vaultlib import collect_json, vault


def as_server(run, sid):
    """The runner of a process that names itself sid."""
    return lambda *a, **k: run(*a, env2={"PDVAULT_SERVER_ID": sid}, **k)


def key_side(t, suffix):
    return os.path.join(t.tmp, "pdvault.key" + suffix)


def test_each_server_id_keeps_its_own_head_and_journal(t):
    run = vault(t)
    a, b = as_server(run, "a"), as_server(run, "b")
    x = collect_json(t, a, "contact", "email=x@example.org", "message=x")
    y = collect_json(t, b, "contact", "email=y@example.org", "message=y")
    t.ok(os.path.exists(key_side(t, ".audit-head.a")), "server a's head beside the key file")
    t.ok(os.path.exists(key_side(t, ".audit-head.b")), "server b's head beside the key file")
    t.status(a("erase", x["subject"]), 0)
    t.status(b("erase", y["subject"]), 0)
    ja = open(key_side(t, ".erasures.a")).read().splitlines()
    jb = open(key_side(t, ".erasures.b")).read().splitlines()
    t.eq(len(ja) - 1, 1, "a's journal: the erasure a made, all there was then")
    t.eq(len(jb) - 1, 2, "b's journal: every erasure up to its own")
    p = a("--json", "audit", "verify")
    t.status(p, 0)
    t.eq(t.json(p)["ok"], True, "the chain reaches every head")
    t.eq(t.json(p)["heads"], 3, "a's, b's and the one init wrote, all checked")
    for bad in ("", "../x", ".hidden", "a" * 65, "a b"):
        p = run("--server-id", bad, "audit", "verify") if bad else run(
            "--server-id=", "audit", "verify")
        t.status(p, 2)
        t.contains(p.err, "--server-id")


def test_verify_checks_the_heads_of_the_other_servers(t):
    """Entries written by server b, then cut: server a's own head is still
    reached, but b's head beside the key file names a lost entry."""
    run = vault(t)
    a, b = as_server(run, "a"), as_server(run, "b")
    collect_json(t, a, "contact", "email=x@example.org", "message=x")
    p = a("--json", "audit", "verify")
    last_a = t.json(p)["entries"]
    collect_json(t, b, "contact", "email=y@example.org", "message=y")
    store_exec(t, "DELETE FROM audit WHERE seq > ?", last_a)
    p = a("--json", "audit", "verify")
    t.status(p, 1)
    doc = t.json(p)
    t.eq(doc["ok"], False, "a cut found from server a")
    t.contains(p.err, "pdvault.key.audit-head.b", "the head that names the lost entry")
    t.status(b("collect", "contact", "email=z@example.org", "message=z"), 3)


def truncated(t):
    run = vault(t)
    a = as_server(run, "a")
    for i in range(3):
        collect_json(t, a, "contact", f"email=p{i}@example.org", "message=x")
    t.status(a("audit", "verify"), 0)
    store_exec(t, "TRUNCATE audit" if not store_is_file(t) else "DELETE FROM audit")
    p = a("--json", "audit", "verify")
    t.status(p, 1)
    t.eq(t.json(p)["ok"], False, "audit verify: the truncation caught")
    t.contains(p.err, "cut off")
    p = a("collect", "contact", "email=after@example.org", "message=x")
    t.status(p, 3)
    t.contains(p.err, "audit log was cut", "the next write refused")
    p = a("--json", "find", "--email", "p0@example.org")
    t.status(p, 3)  # a read writes an audit entry: refused too
    p = a("--json", "audit", "accept-loss", "--reason", "table truncated in a drill")
    t.status(p, 0)
    collect_json(t, a, "contact", "email=after@example.org", "message=x")
    p = a("--json", "audit", "verify")
    t.status(p, 0)
    t.eq(len(t.json(p)["losses"]), 1, "the loss stays listed")


@always_pg
def test_truncating_the_audit_table_in_postgresql_is_caught(t):
    t.ok(store_url(t).startswith("postgresql://"), "on PostgreSQL")
    truncated(t)


def test_restore_replays_the_journals_of_every_server(t):
    run = vault(t)
    a, b = as_server(run, "a"), as_server(run, "b")
    x = collect_json(t, a, "contact", "email=x@example.org", "message=x")
    y = collect_json(t, a, "contact", "email=y@example.org", "message=y")
    t.status(a("backup", "before.bak"), 0)
    t.status(a("erase", x["subject"]), 0)  # server a's erasure
    t.status(b("erase", y["subject"]), 0)  # server b's: in b's journal only
    # without b's journal, y comes back: what the option is for
    p = a("--json", "restore", "before.bak")
    t.status(p, 0)
    t.eq(t.json(p)["erasures_replayed"], 1, "a's journal alone: one erasure")
    t.status(a("show", y["subject"]), 0)
    p = a("--json", "restore", "before.bak", "--journal", key_side(t, ".erasures.b"))
    t.status(p, 0)
    t.eq(t.json(p)["erasures_replayed"], 2, "both servers' erasures replayed")
    t.eq(t.json(p)["journals"], 2)
    for s in (x, y):
        t.status(a("show", s["subject"]), 1)
    for email in ("x@example.org", "y@example.org"):
        t.eq(t.json(a("--json", "find", "--email", email)), {"subjects": []},
             "no erased person back, whichever server erased")
    t.status(a("audit", "verify"), 0)


def test_restore_refuses_journals_that_disagree_or_are_not_journals(t):
    run = vault(t)
    a = as_server(run, "a")
    x = collect_json(t, a, "contact", "email=x@example.org", "message=x")
    t.status(a("backup", "before.bak"), 0)
    t.status(a("erase", x["subject"]), 0)
    lines = open(key_side(t, ".erasures.a")).read().splitlines()
    seq, subject, record, at, reason = lines[1].split()
    other = t.write("other.erasures", "\n".join(
        [lines[0], f"{seq} {int(subject) + 7} {record} {at} {reason}"]) + "\n")
    y = collect_json(t, a, "contact", "email=y@example.org", "message=y")
    p = a("restore", "before.bak", "--journal", other)
    t.status(p, 1)
    t.contains(p.err, f"erasure {seq} is not the same")
    t.contains(p.err, "other.erasures")
    t.status(a("show", y["subject"]), 0)  # the store as it was
    notj = t.write("notes.txt", "hello\n")
    p = a("restore", "before.bak", "--journal", notj)
    t.status(p, 1)
    t.contains(p.err, "is not an erasure journal")
    p = a("restore", "before.bak", "--journal", os.path.join(t.tmp, "missing.erasures"))
    t.status(p, 3)
    t.contains(p.err, "missing.erasures")
    t.status(a("show", y["subject"]), 0)


@contextlib.contextmanager
def sweep_lock_held(t):
    """Another sweeper, as the lock multi-server.md names: an flock of
    DB-sweep-lock on SQLite, the session advisory lock on PostgreSQL."""
    if store_is_file(t):
        db = store_url(t)[len("sqlite:"):]
        with open(os.path.join(t.tmp, db + "-sweep-lock"), "a") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            yield
        return
    p = subprocess.Popen([os.path.join(pgserver.BIN, "psql"), "-X", "-q", "-A", "-t", "-d",
                          store_url(t)],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    p.stdin.write("SELECT pg_advisory_lock(1885627511, hashtext(current_schema())) IS NULL;\n"
                  "\\echo held\n")
    p.stdin.flush()
    lines = [p.stdout.readline().strip() for _ in range(2)]
    t.eq(lines, ["f", "held"], "the other sweeper's lock")
    try:
        yield
    finally:
        p.stdin.close()
        p.wait(timeout=30)


def test_a_second_sweep_skips_and_says_so(t):
    run = vault(t)
    collect_json(t, run, "contact", "email=x@example.org", "message=x")
    with sweep_lock_held(t):
        t0 = time.monotonic()
        p = run("--json", "sweep")
        t.status(p, 0)
        t.eq(t.json(p), {"skipped": True}, "nothing done")
        t.contains(p.err, "another sweep of this vault is running")
        t.ok(time.monotonic() - t0 < 10, "it did not wait for the other")
        t.status(run("sweep", "--dry-run"), 0)  # a dry run writes nothing: no lock
    p = run("--json", "sweep")
    t.status(p, 0)
    t.ok("skipped" not in t.json(p), "the lock released: the sweep runs")


def test_a_loss_accepted_by_one_server_lets_the_others_write(t):
    """a writes, b writes, a writes; both servers' entries are cut off. a
    accepts the loss; b's head names an entry inside that loss: b writes
    again, and verify, from either, lists the one loss."""
    run = vault(t)
    a, b = as_server(run, "a"), as_server(run, "b")
    collect_json(t, a, "contact", "email=x@example.org", "message=x")
    kept = t.json(a("--json", "audit", "verify"))["entries"]
    collect_json(t, b, "contact", "email=y@example.org", "message=y")
    collect_json(t, a, "contact", "email=z@example.org", "message=z")
    store_exec(t, "DELETE FROM audit WHERE seq > ?", kept)
    t.status(b("collect", "contact", "email=w@example.org", "message=w"), 3)
    t.status(a("collect", "contact", "email=w@example.org", "message=w"), 3)
    p = a("--json", "audit", "accept-loss", "--reason", "restored the disk")
    t.status(p, 0)
    collect_json(t, b, "contact", "email=w@example.org", "message=w")
    for who in (a, b):
        p = who("--json", "audit", "verify")
        t.status(p, 0)
        t.eq([(l["from"], l["to"]) for l in t.json(p)["losses"]], [(kept + 1, kept + 2)])
