"""init and opening a vault: the key file and its checks, the store file, and
the environment errors when either is missing or wrong."""
import os
import stat
import threading

from storelib import store_count, store_is_file, store_path
from vaultlib import DECL, NOW, collect_json, vault


def test_init_creates_a_private_key_and_refuses_to_overwrite(t):
    run = vault(t)
    key = os.path.join(t.tmp, "pdvault.key")
    mode = stat.S_IMODE(os.stat(key).st_mode)
    t.eq(mode, 0o600, "key file mode")
    t.eq(os.path.getsize(key), 32, "key size")
    if store_is_file(t):
        db = store_path(t)
        t.eq(stat.S_IMODE(os.stat(db).st_mode), 0o600, "store file mode")
    before = open(key, "rb").read()
    p = run("init")
    t.status(p, 1)
    t.contains(p.err, "pdvault: init: ")
    t.contains(p.err, "refusing to overwrite")
    t.eq(open(key, "rb").read(), before, "the key is untouched")
    p = run("--json", "init", env2={"PDVAULT_DB": "sqlite:other.db"})
    t.status(p, 1)
    t.eq(t.json(p)["error"]["code"], "refused", "json error code")


def test_init_json_document(t):
    p = t.run("--json", "--db", "sqlite:v.db", "--key-file", "v.key", "init", env=NOW)
    t.status(p, 0)
    t.eq(t.json(p), {"db": "sqlite:v.db", "key_file": "v.key"}, "init document")


def test_key_file_checks(t):
    run = vault(t)
    key = os.path.join(t.tmp, "pdvault.key")
    os.chmod(key, 0o644)
    p = run("find", "--email", "a@example.org")
    t.status(p, 3)
    t.contains(p.err, "chmod 600")
    os.chmod(key, 0o600)
    with open(key, "ab") as f:
        f.write(b"x")
    p = run("find", "--email", "a@example.org")
    t.status(p, 3)
    t.contains(p.err, "32")
    os.remove(key)
    p = run("find", "--email", "a@example.org")
    t.status(p, 3)
    t.contains(p.err, "pdvault init")


def test_another_key_cannot_open_the_store(t):
    run = vault(t)
    p = t.run("--key-file", "other.key", "--db", "sqlite:other.db", "init", env=NOW)
    t.status(p, 0)
    p = run("find", "--email", "a@example.org", env2={"PDVAULT_KEY_FILE": "other.key"})
    t.status(p, 3)
    t.contains(p.err, "is not the key of store")


def test_store_missing_is_environment_error(t):
    p = t.run("--config", t.path(DECL), "show", "s" + "A" * 22, env=NOW)
    t.status(p, 3)
    t.contains(p.err, "pdvault init")


def test_opening_waits_for_a_reader_that_closes_the_store_meanwhile(t):
    # A reader that is the store's last connection takes a lock for an
    # instant when it closes (SQLite checkpoints then); a command opening the
    # store just then used to fail at once ("database is locked", exit 3).
    run = vault(t)
    collect_json(t, run, "contact", "email=jeanne@example.org", "message=x")
    stop = threading.Event()

    def churn():
        while not stop.is_set():
            store_count(t, "subjects")

    reader = threading.Thread(target=churn)
    reader.start()
    try:
        failed = [p.err for p in (run("audit", "verify") for _ in range(60)) if p.returncode != 0]
    finally:
        stop.set()
        reader.join()
    t.eq(failed, [], "every command opened the store while another process read it")


def test_a_store_url_with_a_password_is_refused(t):
    """A password on the command line is readable by every user of the machine:
    refused before anything connects, the message saying where it goes instead
    and never repeating it; nothing is made."""
    for url in ("postgresql://vault:Pw0rd7x@127.0.0.1:1/pdvault",
                "postgres://127.0.0.1:1/pdvault?password=Pw0rd7x"):
        p = t.run("--db", url, "init", env=NOW)
        t.status(p, 2)
        t.contains(p.err, "PGPASSFILE")
        t.lacks(p.out + p.err, "Pw0rd7x")
        t.ok(not os.path.exists(os.path.join(t.tmp, "pdvault.key")), "no key file made")
