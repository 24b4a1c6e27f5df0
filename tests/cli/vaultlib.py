"""What the tests of the vault commands share (tests/cli/test_<command>.py):
a fresh vault in the test's folder and its runner, the JSON helpers, the
clock moved forward, a command killed in the middle, and text with its ids
taken out. What looks into the store, or tampers with it, is storelib's."""
import os
import re

DECL = "tests/data/lint/clean.yaml"
NOW = {"PDVAULT_NOW": "2026-03-02T10:00:00Z"}
# an opaque id: a kind letter and 22 URL-safe characters (src/engine/ids.c)
ID = re.compile(r"(?<![A-Za-z0-9_-])[a-z][A-Za-z0-9_-]{22}(?![A-Za-z0-9_-])")


def without_ids(text):
    """text with each opaque id written <id>. An id's 22 characters are random:
    one holds a given 3-letter word about one time in 13,000 (20 places, 64^3
    spellings), so a check that a short value ("eva", "Deux") is absent from
    an output naming records looks past the ids, or fails by chance."""
    return ID.sub("<id>", text)


def vault(t, env=None):
    """A fresh store and key in the test's folder; returns a runner."""
    e = dict(NOW)
    e["PDVAULT_CONFIG"] = t.path(DECL)
    e.update(env or {})

    def run(*args, stdin=None, env2=None):
        ee = dict(e)
        ee.update(env2 or {})
        return t.run(*args, env=ee, stdin=stdin)
    p = run("init")
    t.status(p, 0)
    return run


def collect_json(t, run, *args, stdin=None):
    p = run("--json", "collect", *args, stdin=stdin)
    t.status(p, 0)
    return t.json(p)


def audit_entries(t, run):
    p = run("--json", "audit", "log")
    t.status(p, 0)
    return t.json(p)["entries"]


def verify(t, run):
    p = run("--json", "audit", "verify")
    return p, t.json(p)


def filled(t):
    run = vault(t)
    for i in range(4):
        collect_json(t, run, "contact", f"email=p{i}@example.org", "message=x")
    p, doc = verify(t, run)
    t.status(p, 0)
    t.eq(doc["ok"], True, "intact chain")
    t.eq(doc["first_bad"], None, "no bad entry")
    t.eq(doc["entries"], 5, "init and four collections")
    return run


def write_csv(t, name, text):
    return t.write(name, text)


def later(run, when):
    """The same runner at another clock."""
    def r(*args, stdin=None):
        return run(*args, stdin=stdin, env2={"PDVAULT_NOW": when})
    return r


def records(t, run, subject):
    p = run("--json", "show", subject)
    t.status(p, 0)
    return {r["activity"]: r for r in t.json(p)["records"]}


def sweep(t, run, *args):
    p = run("--json", "sweep", *args)
    t.status(p, 0)
    return t.json(p)


ZERO = {"archived": 0, "deleted": 0, "anonymised": 0, "renewals": 0, "held": 0, "held_by_request": 0,
        "id_documents": 0, "cookie_receipts": 0}


def killed(t, args, now, ready, what):
    """Run `pdvault ARGS` in the test's folder at clock `now`, and SIGKILL it
    as soon as ready() holds; fails unless it was still running then."""
    import signal
    import subprocess
    import time
    env = t.child_env({"PDVAULT_CONFIG": t.path(DECL), "PDVAULT_NOW": now})
    errors = os.path.join(t.tmp, "killed.err")
    with open(errors, "w") as err:
        p = subprocess.Popen([t.pdvault, *args], cwd=t.tmp, env=env,
                             stdout=subprocess.DEVNULL, stderr=err)
    t0 = time.monotonic()
    while p.poll() is None and not ready():
        time.sleep(0.005)
    was_running = p.poll() is None
    p.send_signal(signal.SIGKILL)
    p.wait()
    t.ok(was_running, f"the {what} was killed while it ran (it ended by itself after "
         f"{time.monotonic() - t0:.2f} s, status {p.returncode}: {open(errors).read()[-300:]!r})")
