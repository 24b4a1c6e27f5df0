"""event: lifecycle events move the retention clock, end or archive a record."""
from vaultlib import vault, collect_json, audit_entries, later, records


def test_contact_event_moves_the_retention_clock(t):
    run = vault(t)
    doc = collect_json(t, run, "contact", "email=ana@example.org", "message=x")
    # 1y from last-contact: collected 2026-03-02, contact on 2026-09-01
    r6 = later(run, "2026-09-01T08:00:00Z")
    p = r6("--json", "event", doc["subject"], "contact")
    t.status(p, 0)
    t.eq(t.json(p), {"recorded": 1}, "recorded on the contact record")
    rec = records(t, r6, doc["subject"])["contact"]
    t.eq(rec["next"], {"phase": "ended", "at": "2027-09-02T00:00:00Z"}, "counted from the contact")


def test_early_event_ends_the_record_at_once(t):
    run = vault(t)
    doc = collect_json(t, run, "contact", "email=bo@example.org", "message=x")
    collect_json(t, run, "newsletter", "--consent", "email=bo@example.org")
    p = run("--json", "event", doc["subject"], "objection", "--activity", "contact")
    t.status(p, 0)
    t.eq(sorted(records(t, run, doc["subject"])), ["newsletter"], "the contact record is gone")
    actions = [e["action"] for e in audit_entries(t, run)]
    t.ok("end" in actions, "the end is audited")


def test_contract_end_archives(t):
    run = vault(t)
    doc = collect_json(t, run, "customers", "email=cy@example.org", "name=Cy", "address=1 rue X")
    # the contract ends at noon on 10 Jan 2027: the archive counts from that day
    r = later(run, "2027-01-10T12:00:00Z")
    p = r("event", doc["subject"], "contract-end")
    t.status(p, 0)
    rec = records(t, r, doc["subject"])["customers"]
    t.eq(rec["phase"], "archived", "archived at contract end")
    t.eq(rec["next"], {"phase": "ended", "at": "2032-01-11T00:00:00Z"}, "5y archive from it")
    # an archived record takes no more events
    p = r("--json", "event", doc["subject"], "contract-end")
    t.status(p, 1)


def test_bad_events_are_refused(t):
    run = vault(t)
    doc = collect_json(t, run, "contact", "email=di@example.org", "message=x")
    p = run("--json", "event", doc["subject"], "birthday")
    t.status(p, 1)
    t.eq(t.json(p)["error"]["field"], "event", "unknown event")
    p = run("--json", "event", doc["subject"], "contract-end")
    t.status(p, 1)
    t.contains(p.err, "no active record")
    p = run("--json", "event", doc["subject"], "contact", "--activity", "nope")
    t.status(p, 1)
    t.eq(t.json(p)["error"]["field"], "activity", "unknown activity")
