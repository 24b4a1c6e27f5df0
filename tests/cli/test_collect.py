"""collect: one submission stored sealed, the same person found again, and
every refusal storing nothing and echoing no value."""
import json
import os

from storelib import store_bytes, store_is_file, store_path
from vaultlib import DECL, vault, collect_json, audit_entries


def test_same_person_is_the_same_subject(t):
    run = vault(t)
    a = collect_json(t, run, "contact", "email=paul@example.org", "message=one")
    b = collect_json(t, run, "newsletter", "--consent", "email=PAUL@example.org ")
    t.eq(b["subject"], a["subject"], "same subject")
    t.ok(b["record"] != a["record"], "a new record")
    p = run("--json", "show", a["subject"])
    t.eq(sorted(r["activity"] for r in t.json(p)["records"]), ["contact", "newsletter"],
         "both records")


def test_collect_from_stdin(t):
    run = vault(t)
    doc = collect_json(t, run, "contact", "--stdin",
                       stdin=json.dumps({"email": "zoe@example.org", "message": "salut"}).encode())
    p = run("--json", "show", doc["subject"])
    t.eq(t.json(p)["records"][0]["fields"]["message"], "salut", "value from stdin")
    for bad, why in ((b"[1,2]", "not an object"), (b"{\"email\": 3}", "not a string"),
                     (b"{\"email\": \"a@b.fr\", \"email\": \"c@d.fr\"}", "duplicate"),
                     (b"{nope", "broken JSON")):
        p = run("--json", "collect", "contact", "--stdin", stdin=bad)
        t.status(p, 1)
        t.ok(t.json(p)["error"]["message"], why)


def expect_refused(t, run, args, field, stdin=None):
    before = len(audit_entries(t, run))
    p = run("--json", "collect", *args, stdin=stdin)
    t.status(p, 1)
    err = t.json(p)["error"]
    t.eq(err.get("field"), field, f"field named for {args[:2]}")
    t.contains(p.err, "pdvault: collect: ")
    t.eq(len(audit_entries(t, run)), before, "nothing written for a refused submission")
    return p


def test_invalid_submissions_store_nothing(t):
    run = vault(t)
    expect_refused(t, run, ["contact", "email=a@example.org", "message=x", "age=3"], "age")
    expect_refused(t, run, ["contact", "email=a@example.org"], "message")
    expect_refused(t, run, ["contact", "email=not-an-address", "message=x"], "email")
    expect_refused(t, run, ["newsletter", "email=a@example.org"], "consent")
    expect_refused(t, run, ["contact", "email=a@example.org", "message=" + "x" * 6000], "message")
    expect_refused(t, run, ["contact", "email=a@example.org", b"message=caf\xe9"], "message")
    expect_refused(t, run, ["nope", "email=a@example.org"], "activity")
    big = json.dumps({"email": "a@example.org", "name": "n" * (1 << 20), "message": "x"})
    expect_refused(t, run, ["contact", "--stdin"], "name", stdin=big.encode())
    p = run("--json", "find", "--email", "a@example.org")
    t.eq(t.json(p), {"subjects": []}, "nobody stored")


def test_refusals_never_echo_values(t):
    run = vault(t)
    p = run("collect", "contact", "email=secret-marker-77@", "message=x")
    t.status(p, 1)
    t.lacks(p.err + p.out, "secret-marker-77", "refusal")
    p = run("collect", "contact", "secret-marker-78")
    t.status(p, 2)
    t.lacks(p.err + p.out, "secret-marker-78", "usage error")


def test_activity_with_lint_error_refuses_collection(t):
    src = open(t.path(DECL), encoding="utf-8").read()
    # the contact activity loses its basis: a lint error in that activity alone
    src = src.replace("    basis: legitimate-interests\n    basis_detail: {fr: Répondre",
                      "    basis_detail: {fr: Répondre", 1)
    path = t.write("broken.yaml", src)
    run = vault(t, env={"PDVAULT_CONFIG": path})
    p = run("--json", "collect", "contact", "email=a@example.org", "message=x")
    t.status(p, 1)
    t.contains(t.json(p)["error"]["message"], "lint")
    p = run("--json", "collect", "newsletter", "--consent", "email=a@example.org")
    t.status(p, 0)


def test_no_value_in_clear_on_disk(t):
    run = vault(t)
    marker = "Zq7marker0xK"
    collect_json(t, run, "contact", f"email={marker}@example.org", f"name={marker} Dupont",
                 f"message=please call {marker}")
    collect_json(t, run, "newsletter", "--consent", "--stdin",
                 stdin=json.dumps({"email": f"{marker.lower()}2@example.org"}).encode())
    p = run("--json", "find", "--email", f"{marker}@example.org")
    subject = t.json(p)["subjects"][0]
    t.status(run("show", subject), 0)
    files = [os.path.join(d, f) for d, _, fs in os.walk(t.tmp) for f in fs]
    if store_is_file(t):
        t.ok(any(f == store_path(t) for f in files), "store file present")
    blobs = [(os.path.basename(f), open(f, "rb").read()) for f in files]
    blobs.append(("the store", store_bytes(t)))  # a server's files when it has one
    for what, data in blobs:
        for needle in (marker.encode(), marker.lower().encode(), marker.encode("utf-16-le")):
            t.ok(needle not in data, f"marker found in clear in {what}")
