"""request note, show, close --dry-run; the sweep holding the records of a
person whose request is open, and letting them go once it is closed; the
answer to an address the vault holds nothing of."""
from storelib import store_bytes, store_query
from vaultlib import vault, collect_json, later, sweep, records, ZERO, without_ids


def test_a_note_is_kept_sealed_and_audited_without_its_text(t):
    run = vault(t)
    q = t.json(run("--json", "request", "open", "access", "--email", "ann@example.org"))
    p = run("request", "note", q["reference"], "she called: wants the CCTV too")
    t.status(p, 0)
    t.status(run("request", "note", q["reference"], ""), 1)  # an empty note: refused
    page = t.json(run("--json", "request", "show", q["request"]))
    t.eq(page["requester"], "ann@example.org", "who asked")
    t.eq([(e["what"], e.get("text")) for e in page["timeline"]],
         [("received", None), ("message", None), ("note", "she called: wants the CCTV too")],
         "received, acknowledged, the note")
    t.ok(b"CCTV" not in store_bytes(t), "the note is sealed")
    log = t.json(run("--json", "audit", "log"))["entries"]
    notes = [e for e in log if e["action"] == "request-note"]
    t.eq(len(notes), 1, "audited once")
    t.ok("CCTV" not in without_ids(str(log)), "the log never has the text")


def test_close_dry_run_shows_what_an_erasure_erases_and_keeps(t):
    run = vault(t)
    c = collect_json(t, run, "contact", "email=bea@example.org", "message=x")
    q = t.json(run("--json", "request", "open", "erasure", "--subject", c["subject"]))
    t.status(run("hold", c["subject"], "--reason", "a dispute"), 0)
    dry = t.json(run("--json", "request", "close", q["request"], "--dry-run"))
    t.eq([(r["record"], r["what"], r["why"]) for r in dry["records"]],
         [(c["record"], "kept", "hold")], "kept under the hold, and why")
    p = run("request", "close", q["request"], "--dry-run")
    t.status(p, 0)
    t.contains(p.out, "kept, under a legal hold", "said in words")
    t.eq(records(t, run, c["subject"])["contact"]["phase"], "active", "nothing changed")
    a = t.json(run("--json", "request", "open", "access", "--subject", c["subject"]))
    p = run("--json", "request", "close", a["request"], "--dry-run")
    t.status(p, 1)
    t.eq(t.json(p)["error"]["field"], "request", "a preview is of an erasure")


def test_the_sweep_holds_a_person_while_their_request_is_open(t):
    run = vault(t)
    c = collect_json(t, run, "contact", "email=cid@example.org", "message=x")
    q = t.json(run("--json", "request", "open", "access", "--subject", c["subject"]))
    d1 = later(run, "2027-03-03")  # the contact's year is over
    t.eq(sweep(t, d1), dict(ZERO, held_by_request=1), "held while the request is open")
    t.eq(records(t, d1, c["subject"])["contact"]["phase"], "active", "still there")
    p = d1("show", c["subject"])
    t.contains(p.out, "held       while a request of theirs is open", "show says why")
    t.status(d1("request", "close", q["request"], "--output", "x.json"), 0)
    t.eq(sweep(t, d1), dict(ZERO, deleted=1), "released once the request is closed")


def test_a_request_for_an_unknown_address_is_answered_nothing_held(t):
    run = vault(t)
    q = t.json(run("--json", "request", "open", "access", "--email", "ghost@example.org"))
    p = run("--json", "request", "close", q["request"])
    t.status(p, 0)
    t.eq(t.json(p), {"request": q["request"], "status": "done", "nothing_held": True},
         "done, answered that nothing is held")
    t.eq(store_query(t, "SELECT kind FROM outbox ORDER BY id"),
         [("acknowledgement",), ("nothing-held",)], "acknowledged, then answered")
    shown = t.json(run("--json", "outbox", "list"))["messages"]
    t.eq([m["kind"] for m in shown], ["acknowledgement", "nothing-held"], "in the outbox")
