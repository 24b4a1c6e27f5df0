"""Record binding: a record moved in the store (to another subject, activity or
phase) is refused on read; the vault's own phase changes keep it bound."""
from storelib import store_exec
from vaultlib import vault, collect_json, verify, later, records


def test_a_record_moved_in_the_store_is_refused_on_read(t):
    run = vault(t)
    a = collect_json(t, run, "contact", "email=ann@example.org", "message=Zq7secret")
    collect_json(t, run, "newsletter", "--consent", "email=ann@example.org")
    b = collect_json(t, run, "contact", "email=bob@example.org", "message=y")
    for cmd in (("show", a["subject"]), ("export", a["subject"]), ("show", b["subject"])):
        t.status(run(*cmd), 0)

    def refused(cmd, record, runner=run):
        p = runner(*cmd)
        t.status(p, 3)
        t.contains(p.err, f"record {record} is not bound")
        t.lacks(p.out + p.err, "Zq7secret", "a refused record's value")
        p = runner("--json", *cmd)
        t.status(p, 3)
        t.eq(t.json(p)["error"]["code"], "integrity", "error code")

    # to another activity (and so to the roles of that one)
    store_exec(t, "UPDATE records SET activity = 'newsletter' WHERE activity = 'contact' "
              "AND subject_id = (SELECT min(subject_id) FROM records)")
    for cmd in (("show", a["subject"]), ("export", a["subject"]),
                ("event", a["subject"], "contact")):
        refused(cmd, a["record"])
    refused(("sweep",), a["record"], later(run, "2028-06-01T00:00:00Z"))  # when it is due
    store_exec(t, "UPDATE records SET activity = 'contact' WHERE activity = 'newsletter' "
              "AND id = (SELECT min(id) FROM records)")
    t.status(run("show", a["subject"]), 0)
    # to another subject
    store_exec(t, "UPDATE records SET subject_id = (SELECT max(subject_id) FROM records) "
              "WHERE id = (SELECT min(id) FROM records)")
    refused(("show", b["subject"]), a["record"])
    store_exec(t, "UPDATE records SET subject_id = (SELECT min(subject_id) FROM records) "
              "WHERE id = (SELECT min(id) FROM records)")
    t.status(run("show", a["subject"]), 0)
    # into another phase
    store_exec(t, "UPDATE records SET phase = 'archived' WHERE id = (SELECT min(id) FROM records)")
    refused(("show", a["subject"]), a["record"])


def test_phase_changes_keep_records_bound(t):
    run = vault(t)
    c = collect_json(t, run, "contact", "email=eve@example.org", "message=x")
    t.status(run("restrict", c["subject"]), 0)
    t.status(run("restrict", c["subject"], "--lift"), 0)
    t.status(run("object", c["subject"], "--activity", "contact"), 0)  # restricted phase
    t.eq(records(t, run, c["subject"])["contact"]["phase"], "restricted", "phase")
    t.status(run("rectify", c["subject"], c["record"], "message=y"), 0)
    t.status(run("export", c["subject"]), 0)
    p, doc = verify(t, run)
    t.status(p, 0)
