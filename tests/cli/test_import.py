"""import: a CSV file row by row, rejected rows reported and the rest kept,
migrated clocks honoured, and a stopped import resumed where it stopped."""
import os

from storelib import StoreError, store_row, store_value, store_count, store_is_file
from vaultlib import NOW, vault, collect_json, verify, write_csv, killed


def test_import_reports_rejected_rows_and_keeps_the_rest(t):
    run = vault(t)
    rows = ["email,name,message,_collected_at,_last_contact"]
    rows.append("ann@example.org,Ann,hello,2025-06-01,2025-09-01")
    rows.append("not-an-email,Bob,hi,2025-06-01,")                 # line 3: invalid email
    rows.append('cid@example.org,"Cid, Jr.","multi\nline",2025-06-02,')  # lines 4-5
    rows.append("dan@example.org,Dan,,2025-06-01,")                 # line 6: message required
    rows.append("eve@example.org,Eve,x,2099-01-01,")                # line 7: future date
    rows.append('fay@example.org,"Fay,broken,2025-06-01,')          # line 8: open quote to the end
    path = write_csv(t, "in.csv", "\n".join(rows) + "\n")
    p = run("--json", "import", "contact", path)
    t.status(p, 0)
    doc = t.json(p)
    t.eq(doc["imported"], 2, "imported rows")
    got = [(r["line"], r["field"], r["code"]) for r in doc["rejected"]]
    t.eq(got, [(3, "email", "invalid_email"), (6, "message", "required"),
               (7, "_collected_at", "invalid_date"), (8, None, "bad_quoting")], "rejected rows")
    t.lacks(p.out + p.err, "not-an-email", "report")
    # the migrated clocks are kept: collected 2025-06-01, last contact 2025-09-01, 1y
    sid = t.json(run("--json", "find", "--email", "ann@example.org"))["subjects"][0]
    rec = t.json(run("--json", "show", sid))["records"][0]
    t.eq(rec["collected_at"], "2025-06-01T00:00:00Z", "collected_at column")
    t.eq(rec["next"]["at"], "2026-09-02T00:00:00Z", "retention from _last_contact")
    sid = t.json(run("--json", "find", "--email", "cid@example.org"))["subjects"][0]
    rec = t.json(run("--json", "show", sid))["records"][0]
    t.eq(rec["fields"]["name"], "Cid, Jr.", "quoted comma")
    t.eq(rec["fields"]["message"], "multi\nline", "quoted line break")
    for email in ("dan@example.org", "eve@example.org", "fay@example.org"):
        t.eq(t.json(run("--json", "find", "--email", email)), {"subjects": []},
             f"nothing of a rejected row stored ({email})")


def test_import_human_summary_and_a_big_field(t):
    run = vault(t)
    big = "x" * (1 << 20)
    path = write_csv(t, "in.csv", f"email,message\na@example.org,ok\nb@example.org,{big}\n")
    p = run("import", "contact", path)
    t.status(p, 0)
    t.contains(p.out, "imported 1 record")
    t.contains(p.out, "rejected 1 row")
    t.contains(p.err, "line 3: field 'message': too_long")


def test_import_refuses_an_unknown_column_before_anything(t):
    run = vault(t)
    path = write_csv(t, "in.csv", "email,message,shoe_size\na@example.org,x,42\n")
    p = run("--json", "import", "contact", path)
    t.status(p, 1)
    t.eq(t.json(p)["error"]["field"], "shoe_size", "column named")
    t.eq(t.json(run("--json", "find", "--email", "a@example.org")), {"subjects": []}, "nothing")


def test_import_consent_activity_needs_consent(t):
    run = vault(t)
    path = write_csv(t, "in.csv", "email,_consent_at\na@example.org,2025-01-05\n")
    p = run("--json", "import", "newsletter", path)
    t.status(p, 1)
    t.eq(t.json(p)["error"]["field"], "consent", "consent named")
    p = run("--json", "import", "newsletter", path, "--consent")
    t.status(p, 0)
    t.eq(t.json(p)["imported"], 1, "imported with consent")


def test_import_of_many_rows_is_one_subject_per_person(t):
    run = vault(t)
    lines = ["email,message"] + [f"p{i % 300}@example.org,m{i}" for i in range(12000)]
    path = write_csv(t, "in.csv", "\n".join(lines) + "\n")
    p = run("import", "contact", path)
    t.status(p, 0)
    t.contains(p.out, "imported 12000 records (300 new subjects)")
    p, doc = verify(t, run)
    t.status(p, 0)
    t.eq(doc["entries"], 12001, "one audit entry per record")


def test_an_import_finds_each_person_once_asking_about_many_at_once(t):
    """Someone already in the vault, an erased person's address, the same
    person twice in one chunk of rows and twice across a batch's end: each
    found as a collect would find them. On PostgreSQL the import asks the
    store about a chunk of rows at once rather than waiting for an answer
    about each row (the store's trace shows the waits)."""
    run = vault(t)
    old = collect_json(t, run, "contact", "email=old@example.org", "message=x")
    gone = collect_json(t, run, "contact", "email=gone@example.org", "message=x")
    t.status(run("erase", gone["subject"]), 0)
    n = 21000  # past one batch of 20,000 rows
    emails = [f"n{i}@example.org" for i in range(n)]
    emails.insert(20005, "n19999@example.org")  # the next batch
    emails.insert(200, "gone@example.org")
    emails.insert(100, "old@example.org")
    emails.insert(7, "n3@example.org")  # the same chunk
    path = write_csv(t, "in.csv", "email,message\n" + "".join(f"{e},m\n" for e in emails))
    p = run("import", "contact", path, env2={"PDVAULT_STORE_TRACE": "1"})
    t.status(p, 0)
    t.contains(p.out, f"imported {n + 4} records ({n + 1} new subjects)")
    for email in ("old@example.org", "n3@example.org", "n19999@example.org"):
        subjects = t.json(run("--json", "find", "--email", email))["subjects"]
        t.eq(len(subjects), 1, f"one person ({email})")
        t.eq(len(t.json(run("--json", "show", subjects[0]))["records"]), 2,
             f"both records theirs ({email})")
    t.eq(t.json(run("--json", "find", "--email", "old@example.org"))["subjects"],
         [old["subject"]], "the person already there")
    back = t.json(run("--json", "find", "--email", "gone@example.org"))["subjects"]
    t.ok(len(back) == 1 and back[0] != gone["subject"], "the erased person is someone new")
    p2, doc = verify(t, run)
    t.status(p2, 0)
    if not store_is_file(t):
        waits = p.err.count("pdvault store: subject_insert_new ")
        asks = p.err.count("pdvault store: lookups_known ")
        t.ok(waits <= 8, f"a wait for the rows not new only ({waits})")
        t.ok(0 < asks <= n // 256 + 4, f"one question a chunk ({asks})")


def test_import_skips_suppressed_people(t):
    run = vault(t)
    n = collect_json(t, run, "newsletter", "--consent", "email=xo@example.org")
    t.status(run("object", n["subject"]), 0)
    path = write_csv(t, "in.csv", "email\nxo@example.org\nyu@example.org\n")
    p = run("--json", "import", "newsletter", path, "--consent")
    t.status(p, 0)
    doc = t.json(p)
    t.eq(doc["imported"], 1, "the other row imported")
    t.eq([(r["line"], r["code"]) for r in doc["rejected"]], [(2, "suppressed")], "row rejected")


def killed_import(t, path, at_least):
    """Start `import contact PATH`, SIGKILL it once `at_least` records are
    committed; returns how many were."""
    def ready():
        try:
            return store_count(t, "records") >= at_least
        except StoreError:
            return False
    killed(t, ["import", "contact", path], NOW["PDVAULT_NOW"], ready, "import")
    return store_count(t, "records")


def test_a_stopped_import_resumes_where_it_stopped(t):
    run = vault(t)
    n = 80000
    lines = ["email,message"] + [f"r{i}@example.org,m" for i in range(n)]
    path = write_csv(t, "in.csv", "\n".join(lines) + "\n")
    done = killed_import(t, path, 20000)
    t.ok(0 < done < n and done % 20000 == 0, f"whole batches kept ({done})")
    p = run("--json", "import", "contact", path)
    t.status(p, 0)
    doc = t.json(p)
    t.eq((doc["resumed_after"], doc["imported"]), (done + 1, n - done),
         "resumed after the last line committed (the header is line 1)")
    p = run("import", "contact", path)  # finished: a new import of the file
    t.status(p, 0)
    t.lacks(p.err, "resuming")
    records, subjects = store_row(t, "SELECT count(*), count(DISTINCT subject_id) FROM records")
    marks = store_value(t, "SELECT count(*) FROM meta WHERE name LIKE 'import:%'")
    t.eq((records, subjects, marks), (2 * n, n, 0),
         "each row once per finished import, one subject per person, no mark left")
    p, doc = verify(t, run)
    t.status(p, 0)

    # --restart ignores what a stopped run left
    path = write_csv(t, "again.csv", "\n".join(lines[:40001]) + "\n")
    done = killed_import(t, path, 20000)
    p = run("--json", "import", "contact", path, "--restart")
    t.status(p, 0)
    t.eq((t.json(p)["imported"], "resumed_after" in t.json(p)), (40000, False),
         "the whole file again")
