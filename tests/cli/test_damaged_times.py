"""A store whose times are damaged: every time column (but the audit log's,
which the chain covers) set to the largest or the smallest number the store
can hold, as a damaged or tampered store may. Nothing the engine writes is
ever out of years 1..9999 (the clock and the deadlines stop there), so
nothing checks a time on read: these tests check that no command needs it.
Each read answers, printing the marker (0000-00-00T00:00:00Z,
9999-99-99T99:99:99Z) for a time it cannot print, never a wrapped year; the
sweep runs. Under ASan+UBSan (make check-asan) an overflow in the arithmetic
on a stored time stops the command, and the test fails."""
from storelib import store_exec, store_query, store_url
from vaultlib import audit_entries, collect_json, later, sweep, vault

INT64_MAX = 2**63 - 1
INT64_MIN = -2**63
MARKERS = ("0000-00-00T00:00:00Z", "9999-99-99T99:99:99Z")


def time_columns(t):
    """(table, column) of every integer time column: the names the schema
    gives them (*_at, at, authority_due, last_contact), the audit log's left
    out."""
    if store_url(t).startswith("postgresql"):
        rows = store_query(t, "SELECT table_name, column_name FROM information_schema.columns "
                              "WHERE table_schema = current_schema() AND data_type IN "
                              "('bigint', 'integer')")
    else:
        rows = []
        for (table,) in store_query(t, "SELECT name FROM sqlite_master WHERE type = 'table'"):
            rows += [(table, c[1]) for c in store_query(t, f"PRAGMA table_info('{table}')")
                     if "INT" in (c[2] or "").upper()]
    return sorted((table, col) for table, col in rows
                  if table != "audit" and (col.endswith("_at") or
                                         col in ("at", "authority_due", "last_contact")))


def damaged(t, value):
    run = vault(t)
    person = collect_json(t, run, "contact", "email=dupont@example.org", "message=x")
    t.status(run("--json", "request", "open", "access", "--email", "dupont@example.org"), 0)
    t.status(run("--json", "breach", "open", "--aware", "2026-03-01T08:00:00Z",
                 "--summary", "a laptop lost"), 0)
    t.status(run("--json", "token", "create", "dpo", "--name", "alice"), 0)
    columns = time_columns(t)
    t.ok(("breaches", "authority_due") in columns and ("records", "last_contact") in columns,
         f"the time columns found: {columns}")
    for table, col in columns:
        store_exec(t, f"UPDATE {table} SET {col} = ?", value)
    return run, person["subject"]


def reads_answer(t, value):
    run, subject = damaged(t, value)
    for args in (("show", subject), ("export", subject), ("request", "list"),
                 ("breach", "list"), ("outbox", "list"), ("token", "list"),
                 ("dossier", "--from", "2026-01-01", "--to", "2026-12-31"),
                 ("stats", "contact", "--by", "email"), ("sweep",)):
        p = run("--json", *args)
        t.status(p, 0)
        t.lacks(p.err, "runtime error", " ".join(args))
    breach = t.json(run("--json", "breach", "list"))["breaches"][0]
    t.ok(breach["authority_due"] in MARKERS and breach["aware_at"] in MARKERS,
         f"a time past what can be printed is the marker: {breach}")
    shown = t.json(run("--json", "show", subject))["records"][0]
    t.ok(shown["collected_at"] in MARKERS, f"the record's time: {shown}")
    return run, subject


def test_times_past_year_9999_are_read_as_the_marker(t):
    reads_answer(t, INT64_MAX)


def test_times_before_year_1_are_read_as_the_marker(t):
    reads_answer(t, INT64_MIN)


def test_a_damaged_record_is_left_named_and_the_others_are_swept(t):
    # the sweep stopped at the first record whose dates give no retention
    # date (exit 1, naming nothing), at every run: one damaged record held
    # back the retention of every record after it
    run = vault(t)
    kept = collect_json(t, run, "contact", "email=martin@example.org", "message=x")
    bad = collect_json(t, run, "contact", "email=bernard@example.org", "message=y")
    store_exec(t, "UPDATE records SET collected_at = ?, last_contact = ?, next_at = ? "
                  "WHERE subject_id = (SELECT subject_id FROM lookups GROUP BY subject_id "
                  "ORDER BY subject_id DESC LIMIT 1)", INT64_MIN, INT64_MIN, INT64_MIN)
    # the contact form keeps a year from the last contact: past it
    run2 = later(run, "2027-06-01T10:00:00Z")
    p = run2("--json", "sweep", "--dry-run")
    t.status(p, 0)
    t.eq((t.json(p)["deleted"], t.json(p)["damaged"]), (1, 1), "the dry run says so")
    p = run2("--json", "sweep")
    t.status(p, 0)
    doc = t.json(p)
    t.eq((doc["deleted"], doc["damaged"]), (1, 1), f"the other record ended: {doc}")
    t.eq([(d["record"], d["activity"]) for d in doc["damaged_records"]],
         [(bad["record"], "contact")], "the damaged record named")
    t.contains(p.err, bad["record"], "stderr names the damaged record")
    t.lacks(p.err, "bernard", "no value in the message")
    t.status(run2("--json", "show", kept["subject"]), 1)
    left = t.json(run2("--json", "show", bad["subject"]))["records"]
    t.eq([r["record"] for r in left], [bad["record"]], "the damaged record left as it is")
    runs = [e for e in audit_entries(t, run2) if e["action"] == "sweep"]
    t.ok(runs and runs[-1]["detail"].endswith(" damaged=1"), f"the run's entry: {runs}")
    p = run2("dossier", "--from", "2027-01-01", "--to", "2027-12-31")
    t.status(p, 0)
    t.contains(p.out, "late; 1 left as they are: damaged dates", "the dossier's sweep run")
    # the next run says it again, and goes on
    doc = sweep(t, run2)
    t.eq((doc["deleted"], doc["damaged"]), (0, 1), f"the second run: {doc}")
    p = run2("sweep")
    t.status(p, 0)
    t.contains(p.out, "1 left as they are", "the text output counts it")
