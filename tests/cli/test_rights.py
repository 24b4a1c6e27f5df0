"""The data subject's rights from the command line: export (Art. 15, 20),
rectify, erase, restrict, object, hold, post-mortem directives, and the
notices owed to recipients (Art. 19)."""
import json
import os

from storelib import store_bytes
from vaultlib import vault, collect_json, audit_entries, later, records, sweep, ZERO


def test_rectify_replaces_values_and_lookups(t):
    run = vault(t)
    doc = collect_json(t, run, "contact", "email=old@example.org", "name=Jon", "message=x")
    sid, rid = doc["subject"], doc["record"]
    p = run("--json", "rectify", sid, rid, "email=New@Example.org", "name=John")
    t.status(p, 0)
    t.eq(t.json(p), {"record": rid}, "rectify document")
    rec = records(t, run, sid)["contact"]
    t.eq(rec["fields"], {"email": "New@Example.org", "name": "John", "message": "x"}, "values")
    t.eq(t.json(run("--json", "find", "--email", "new@example.org")), {"subjects": [sid]},
         "found by the new address")
    t.eq(t.json(run("--json", "find", "--email", "old@example.org")), {"subjects": []},
         "not by the old one")
    # refused: invalid value, unknown field, someone else's record; nothing changes
    p = run("--json", "rectify", sid, rid, "email=broken")
    t.status(p, 1)
    t.eq(t.json(p)["error"]["field"], "email", "field named")
    p = run("--json", "rectify", sid, rid, "shoe=42")
    t.status(p, 1)
    other = collect_json(t, run, "contact", "email=other@example.org", "message=y")
    p = run("--json", "rectify", other["subject"], rid, "name=X")
    t.status(p, 1)
    t.eq(t.json(p)["error"]["field"], "record", "not that subject's record")
    t.eq(records(t, run, sid)["contact"]["fields"]["name"], "John", "unchanged by refusals")
    entry = [e for e in audit_entries(t, run) if e["action"] == "rectify"]
    t.eq(len(entry), 1, "one rectification audited")
    t.eq(entry[0]["detail"], "email,name", "the fields named, not their values")


def test_rectify_keeps_the_lookup_another_record_still_holds(t):
    """The person gave one address to two activities; correcting it in one
    record leaves the other holding it, so the person is still found by it
    (a rights request made with that address must find them), and by the
    new one too. Once no record holds it, it finds no one."""
    run = vault(t)
    c = collect_json(t, run, "contact", "email=same@example.org", "message=x")
    n = collect_json(t, run, "newsletter", "--consent", "email=Same@example.org")
    sid = c["subject"]
    t.eq(n["subject"], sid, "one person, two records")
    t.status(run("rectify", sid, c["record"], "email=work@example.org"), 0)
    t.eq(t.json(run("--json", "find", "--email", "same@example.org")), {"subjects": [sid]},
         "still found by the address the newsletter record holds")
    t.eq(t.json(run("--json", "find", "--email", "work@example.org")), {"subjects": [sid]},
         "and by the new one")
    t.status(run("rectify", sid, n["record"], "email=home@example.org"), 0)
    t.eq(t.json(run("--json", "find", "--email", "same@example.org")), {"subjects": []},
         "no record holds it any more: it finds no one")
    t.eq(t.json(run("--json", "find", "--email", "home@example.org")), {"subjects": [sid]},
         "found by the newsletter's new address")


def test_erase_keeps_what_the_law_keeps(t):
    run = vault(t)
    c = collect_json(t, run, "contact", "email=liz@example.org", "name=Liz", "message=x")
    p = run("--json", "erase", c["subject"])
    t.status(p, 0)
    t.eq(t.json(p), {"erased": [c["record"]], "kept": []}, "contact erased")
    t.status(run("show", c["subject"]), 1)  # nothing left: the subject is shredded
    # invoices are a legal obligation (10 years): an erasure keeps them, and says why
    i = collect_json(t, run, "invoices", "name=Liz", "address=2 rue Z")
    p = run("--json", "erase", i["subject"])
    t.status(p, 0)
    doc = t.json(p)
    t.eq(doc["erased"], [], "nothing erased")
    t.eq([k["record"] for k in doc["kept"]], [i["record"]], "invoice kept")
    t.contains(doc["kept"][0]["reason"], "legal obligation")
    t.eq(sorted(records(t, run, i["subject"])), ["invoices"], "still there")
    p = run("erase", i["subject"])
    t.status(p, 0)
    t.contains(p.out, "kept: legal obligation")


def test_hold_blocks_erasure_and_sweep_until_lifted(t):
    run = vault(t)
    c = collect_json(t, run, "contact", "email=max@example.org", "message=x")
    sid = c["subject"]
    p = run("--json", "hold", sid, "--reason", "litigation Zq9secret with Mr X")
    t.status(p, 0)
    hold = t.json(p)["hold"]
    db = store_bytes(t)
    t.ok(b"Zq9secret" not in db, "the hold reason is sealed")
    p = run("--json", "erase", sid)
    t.status(p, 0)
    t.eq(t.json(p)["erased"], [], "nothing erased under a hold")
    t.eq(t.json(p)["kept"][0]["reason"], "under a legal hold", "named")
    d1 = later(run, "2027-03-03")
    t.eq(sweep(t, d1), dict(ZERO, held=1), "held by the sweep too")
    t.status(d1("hold", "--lift", hold), 0)
    t.status(d1("hold", "--lift", hold), 1)
    t.eq(sweep(t, d1), dict(ZERO, deleted=1), "ended once lifted")
    t.status(run("hold", sid), 2)


def test_restrict(t):
    run = vault(t)
    c = collect_json(t, run, "contact", "email=ned@example.org", "message=x")
    p = run("--json", "restrict", c["subject"])
    t.status(p, 0)
    t.eq(t.json(p), {"restricted": True}, "restricted")
    t.eq(sweep(t, later(run, "2027-03-03")), dict(ZERO, held=1), "kept while restricted")
    p = run("--json", "restrict", c["subject"], "--lift")
    t.eq(t.json(p), {"restricted": False}, "lifted")


def test_objection_ends_marketing_and_suppresses(t):
    run = vault(t)
    n = collect_json(t, run, "newsletter", "--consent", "email=Oli@example.org")
    c = collect_json(t, run, "contact", "email=oli@example.org", "message=x")
    p = run("--json", "object", n["subject"])
    t.status(p, 0)
    doc = t.json(p)
    t.eq(doc["ended"], [n["record"]], "the newsletter ended")
    t.eq(sorted(records(t, run, n["subject"])), ["contact"], "the contact request stays")
    # back on the newsletter form: refused, whatever the case of the address
    p = run("--json", "collect", "newsletter", "--consent", "email=OLI@example.org ")
    t.status(p, 1)
    t.eq(t.json(p)["error"]["code"], "suppressed", "suppressed")
    t.lacks(p.err, "oli@", "no address in the refusal")
    # suppression lasts rights.suppression (3y): after it, collection works again
    p = later(run, "2029-03-03")("--json", "collect", "newsletter", "--consent",
                                 "email=oli@example.org")
    t.status(p, 0)
    # with --activity: that activity's records are restricted
    p = run("--json", "object", c["subject"], "--activity", "contact")
    t.status(p, 0)
    t.eq(t.json(p)["restricted"], [c["record"]], "restricted")
    t.eq(records(t, run, c["subject"])["contact"]["phase"], "restricted", "phase")


def test_export_answers_article_15(t):
    run = vault(t)
    n = collect_json(t, run, "newsletter", "--consent", "email=ula@example.org", "country=France")
    c = collect_json(t, run, "contact", "email=ula@example.org", "name=Ula",
                     "message=<script>x</script>")
    sid = n["subject"]
    p = run("--json", "export", sid)  # --json: the JSON document, whatever the format flag
    t.status(p, 0)
    doc = t.json(p)
    t.eq(doc["subject"], sid, "subject")
    recs = {r["activity"]: r for r in doc["records"]}
    t.eq(sorted(recs), ["contact", "newsletter"], "every record")
    for r in recs.values():
        for k in ("purposes", "basis", "categories", "recipients", "retention", "rights",
                  "complaint", "source", "automated_decision", "fields"):
            t.ok(k in r, f"Art. 15 item {k} for {r['activity']}")
    nl = recs["newsletter"]
    t.eq(nl["recipients"][0]["name"], "Mailjet", "recipients by name")
    t.eq(nl["retention"]["next"], {"phase": "ended", "at": "2029-03-03T00:00:00Z"}, "the date")
    t.ok(any("portabilit" in x for x in nl["rights"]), "portability for consent")
    t.ok(not any("portabilit" in x for x in recs["contact"]["rights"]), "not for interests")
    t.eq(nl["complaint"]["url"], "https://www.cnil.fr/fr/plaintes", "complaint")
    t.eq(recs["contact"]["fields"]["message"], "<script>x</script>", "the data itself")
    # Art. 20: only what the person gave under consent or contract
    p = run("export", sid, "--portable")
    t.status(p, 0)
    port = json.loads(p.out)
    t.eq([r["activity"] for r in port["records"]], ["newsletter"], "portable subset")
    t.eq(set(port["records"][0]), {"record", "activity", "collected_at", "fields"}, "just the data")
    t.status(run("export", sid, "--portable", "--format", "csv"), 2)
    # html: a standalone page, values escaped
    p = run("export", sid, "--format", "html", "--lang", "en", "-o", "copy.html")
    t.status(p, 0)
    html = open(os.path.join(t.tmp, "copy.html"), encoding="utf-8").read()
    t.ok(html.lower().startswith("<!doctype html>"), "standalone")
    t.contains(html, '<html lang="en"')
    t.contains(html, "&lt;script&gt;")
    t.lacks(html, "<script>x", "escaped")
    p = run("export", sid, "--format", "csv", "--lang", "en")
    t.status(p, 0)
    t.eq(p.out.splitlines()[0], "Record,Activity,Collected on,Purposes,Legal basis,Data,Value,"
         "Next step", "csv header, in the person's words")
    t.eq(len(p.out.splitlines()), 1 + 2 + 3, "a row per value")
    actions = [e["action"] for e in audit_entries(t, run) if e["subject"] == sid]
    t.ok("export" in actions and "export-portable" in actions, "exports audited")
    p = run("--json", "export", "s" + "Q" * 22)
    t.status(p, 1)


def test_post_mortem_directives_and_human_review(t):
    run = vault(t)
    c = collect_json(t, run, "contact", "email=yan@example.org", "message=x")
    sid = c["subject"]
    p = run("directives", sid, "--stdin", stdin="Delete everything; tell my sister Zq7secret.\n".encode())
    t.status(p, 0)
    db = store_bytes(t)
    t.ok(b"Zq7secret" not in db, "sealed")
    p = run("--json", "directives", sid)
    t.status(p, 0)
    t.eq(t.json(p)["directives"], "Delete everything; tell my sister Zq7secret.", "read back")
    # an heir asks: the closed post-mortem request gives the directives
    req = t.json(run("--json", "request", "open", "post-mortem", "--subject", sid))["request"]
    p = run("--json", "request", "close", req)
    t.status(p, 0)
    got = json.load(open(os.path.join(t.tmp, t.json(p)["export"]), encoding="utf-8"))
    t.eq(got["directives"], "Delete everything; tell my sister Zq7secret.", "shown to the heir")
    # a human review is flagged for staff
    req = t.json(run("--json", "request", "open", "human-review", "--subject", sid))["request"]
    t.status(run("request", "close", req), 0)
    kinds = [m["kind"] for m in t.json(run("--json", "outbox", "list"))["messages"]]
    t.eq(kinds, ["human-review"], "flagged")
    other = collect_json(t, run, "contact", "email=zed@example.org", "message=y")
    p = run("--json", "directives", other["subject"])
    t.status(p, 1)


def test_recipients_are_told_of_erasure_and_rectification(t):
    run = vault(t)
    c = collect_json(t, run, "contact", "email=abe@example.org", "message=x")  # sent to crm
    t.status(run("rectify", c["subject"], c["record"], "message=y"), 0)
    t.status(run("restrict", c["subject"]), 0)
    t.status(run("restrict", c["subject"]), 0)  # already restricted: nothing new to tell
    t.status(run("restrict", c["subject"], "--lift"), 0)  # told to the person, not them
    t.status(run("erase", c["subject"]), 0)
    msgs = t.json(run("--json", "outbox", "list"))["messages"]
    t.eq([(m["kind"], m["recipient"]) for m in msgs],
         [("rectification", "crm"), ("restriction", "crm"), ("erasure", "crm")],
         "Art. 19 notices queued for the CRM")
    db = store_bytes(t)
    t.ok(b"abe@example.org" not in db, "no value queued in clear")


def test_objection_to_an_activity_tells_its_recipients_of_the_restriction(t):
    """Art. 18(1)(d) restricts the records while the objection is assessed;
    Art. 19 covers every restriction: each recipient of the activity hears of
    it, as after `restrict`, and once."""
    run = vault(t)
    c = collect_json(t, run, "contact", "email=ole@example.org", "message=x")  # sent to crm
    p = run("--json", "object", c["subject"], "--activity", "contact")  # legitimate interests
    t.status(p, 0)
    t.eq(t.json(p)["restricted"], [c["record"]], "restricted")
    msgs = t.json(run("--json", "outbox", "list"))["messages"]
    t.eq([(m["kind"], m["recipient"]) for m in msgs], [("restriction", "crm")],
         "an Art. 19 notice queued for the CRM")
    t.status(run("object", c["subject"], "--activity", "contact"), 0)  # already restricted
    msgs = t.json(run("--json", "outbox", "list"))["messages"]
    t.eq(len(msgs), 1, "nothing new to tell")
    t.ok(b"ole@example.org" not in store_bytes(t), "no value queued in clear")
