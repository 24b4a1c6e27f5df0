"""Several processes writing one vault at once (several `pdvault` commands, or
several servers on one PostgreSQL): writers take turns (store.h), so the
audit chain is one chain, no id is handed out twice, and every write that
was acknowledged is there. Runs on every backend (make check BACKEND=pg puts
the vault on PostgreSQL, where the turns are an advisory lock)."""
import glob
import os
import shutil
import threading

from storelib import store_query
from vaultlib import collect_json, verify, vault

WRITERS = 4
EACH = 5


def test_writers_at_once_keep_one_chain_and_distinct_ids(t):
    """Each writer has its own copy of the key file, as each server of a
    deployment has, so each keeps its own witness of the head beside it
    (several writers sharing one key file: the test below)."""
    run = vault(t)
    for w in range(WRITERS):
        for f in glob.glob(os.path.join(t.tmp, "pdvault.key*")):
            shutil.copy(f, os.path.join(t.tmp, f"w{w}" + os.path.basename(f)[len("pdvault"):]))
    done, errors = [], []

    def writer(w):
        try:
            for i in range(EACH):
                done.append(collect_json(t, lambda *a, **k: run(*a, env2={
                    "PDVAULT_KEY_FILE": f"w{w}.key"}, **k), "contact",
                    f"email=w{w}.{i}@example.org", "message=x"))
        except Exception as ex:  # noqa: BLE001 (reported below, with the others)
            errors.append(str(ex))

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(WRITERS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    t.eq(errors, [], "every writer's collections acknowledged")
    t.eq(len(done), WRITERS * EACH, "every collection answered")
    t.eq(len({c["subject"] for c in done}), WRITERS * EACH, "a subject each, none shared")
    t.eq(len({c["record"] for c in done}), WRITERS * EACH, "a record each, none shared")
    ids = [r[0] for r in store_query(t, "SELECT id FROM records ORDER BY id")]
    t.eq(len(ids), WRITERS * EACH, "every acknowledged record is in the store")
    p, doc = verify(t, run)
    t.status(p, 0)
    t.eq(doc["ok"], True, "one unbroken chain")
    t.eq(doc["entries"], 1 + WRITERS * EACH, "init and every collection, each entered once")
    for c in done[:3]:
        p = run("--json", "show", c["subject"])
        t.status(p, 0)


def test_writers_sharing_one_key_file_keep_one_chain_and_its_head(t):
    """Several processes with one key file write its audit head beside it at
    once: each through a temporary file of its own, renamed over the head, so
    none fails ("cannot write the audit head") for another's rename or
    truncation, and none is left behind."""
    run = vault(t)
    done, errors = [], []
    n_writers, each = 6, 8

    def writer(w):
        for i in range(each):
            p = run("--json", "collect", "contact", f"email=s{w}.{i}@example.org", "message=x")
            if p.returncode != 0:
                errors.append(p.err.strip())
            else:
                done.append(t.json(p))

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(n_writers)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    t.eq(errors, [], "every writer's collections acknowledged")
    t.eq(len(done), n_writers * each, "every collection answered")
    p, doc = verify(t, run)
    t.status(p, 0)
    t.eq(doc["ok"], True, "one unbroken chain")
    t.eq(doc["entries"], 1 + n_writers * each, "init and every collection, each entered once")
    heads = sorted(os.path.basename(f) for f in glob.glob(os.path.join(t.tmp, "*audit-head*")))
    t.eq(heads, ["pdvault.key.audit-head"], "the head and no temporary file left")

