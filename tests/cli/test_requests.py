"""request open, extend, close and list: due dates in the controller's calendar,
extensions, answers (the export, the erasure), identity documents."""
import json
import os

from storelib import store_value, store_exec, store_bytes
from vaultlib import vault, collect_json, later, sweep


# received (controller's calendar) -> due, checked by hand: Reg. 1182/71, then the next
# working day in France
DUE_TABLE = [
    ("2027-01-31", "2027-03-01"),  # 28 Feb 2027 is a Sunday
    ("2028-01-31", "2028-02-29"),  # leap year: the last day of February
    ("2026-04-14", "2026-05-15"),  # 14 May 2026 is Ascension Thursday
    ("2026-04-01", "2026-05-04"),  # 1 May (Friday), then the weekend
    ("2026-06-25", "2026-07-27"),  # a Saturday
    ("2026-10-11", "2026-11-12"),  # 11 November
    ("2026-11-25", "2026-12-28"),  # Christmas Friday, then the weekend
]


def test_request_due_dates(t):
    run = later(vault(t), "2028-06-01T09:00:00Z")
    for received, due in DUE_TABLE:
        p = run("--json", "request", "open", "access", "--email", "x@example.org",
                "--received", received)
        t.status(p, 0)
        t.eq(t.json(p)["due"], due, f"due for a request received {received}")
    p = run("--json", "request", "list", "--overdue")
    t.eq(len(t.json(p)["requests"]), len(DUE_TABLE), "all overdue by June 2028")
    p = run("--json", "request", "open", "access", "--email", "x@example.org",
            "--received", "2028-06-02")
    t.status(p, 1)
    t.eq(t.json(p)["error"]["field"], "received", "never in the future")
    t.status(run("request", "open", "gossip", "--email", "x@example.org"), 1)
    t.status(run("request", "open", "access"), 2)


def test_request_received_in_the_controllers_calendar(t):
    # 23:30 UTC on 31 January is 00:30 on 1 February in Paris
    run = later(vault(t), "2026-01-31T23:30:00Z")
    p = run("--json", "request", "open", "access", "--email", "x@example.org")
    t.status(p, 0)
    t.eq(t.json(run("--json", "request", "list"))["requests"][0]["received"], "2026-02-01",
         "received on the Paris date")
    t.eq(t.json(p)["due"], "2026-03-02", "1 March 2026 is a Sunday")


def test_request_extension_and_closing(t):
    run = vault(t)
    c = collect_json(t, run, "contact", "email=pia@example.org", "message=x")
    p = run("--json", "request", "open", "erasure", "--subject", c["subject"],
            "--received", "2026-03-02")
    t.status(p, 0)
    req = t.json(p)["request"]
    t.eq(t.json(p)["due"], "2026-04-02", "one month")
    t.status(run("request", "extend", req), 1)  # a reason is required
    p = run("--json", "request", "extend", req, "--reason", "many requests at once")
    t.status(p, 0)
    t.eq(t.json(p)["due"], "2026-06-02", "three months from receipt")
    t.status(run("request", "extend", req, "--reason", "again"), 1)
    # closing performs the erasure
    p = run("--json", "request", "close", req)
    t.status(p, 0)
    done = t.json(p)
    t.ok(done.pop("certificate", "").startswith("d"), "an erasure done has its certificate")
    t.eq(done, {"request": req, "status": "done"}, "done")
    t.eq(t.json(run("--json", "find", "--email", "pia@example.org")), {"subjects": []}, "erased")
    t.status(run("request", "close", req), 1)
    # an extension after the first due date is refused; a refusal needs a reason
    p = run("--json", "request", "open", "access", "--email", "q@example.org",
            "--received", "2026-01-05")
    late = t.json(p)["request"]
    p = run("--json", "request", "extend", late, "--reason", "too late")
    t.status(p, 1)
    t.contains(p.err, "before the first due date")
    t.status(run("request", "close", late, "--refuse"), 1)
    p = run("--json", "request", "close", late, "--refuse", "--reason", "identity not proven")
    t.eq(t.json(p)["status"], "refused", "refused")
    db = store_bytes(t)
    t.ok(b"identity not proven" not in db, "the reason is sealed")
    listed = {r["request"]: (r["status"], r["extended"], r["channel"])
              for r in t.json(run("--json", "request", "list"))["requests"]}
    t.eq(listed, {req: ("done", True, "cli"), late: ("refused", False, "cli")},
         "statuses, extensions and channels listed")
    t.eq(t.json(run("--json", "request", "list", "--open"))["requests"], [], "none open")


def test_request_with_a_damaged_date_is_refused_not_extended(t):
    # a date the store should never hold (a tampered or damaged file) is reported, never
    # used as whatever the stack held: the extension is refused and nothing changes
    run = vault(t)
    p = run("--json", "request", "open", "access", "--email", "x@example.org",
            "--received", "2026-03-02")
    req = t.json(p)["request"]
    store_exec(t, "update requests set received = 'not a day'")
    p = run("--json", "request", "extend", req, "--reason", "many requests at once")
    t.status(p, 3)
    t.contains(p.err, "damaged")
    listed = t.json(run("--json", "request", "list"))["requests"]
    t.eq([(r["due"], r["extended"]) for r in listed], [("2026-04-02", False)], "unchanged")


def test_access_request_is_answered_with_the_export(t):
    run = vault(t)
    c = collect_json(t, run, "newsletter", "--consent", "email=val@example.org", "country=FR")
    # a request from an address: answered by a download link, no file
    req = t.json(run("--json", "request", "open", "access", "--email", "val@example.org"))["request"]
    p = run("--json", "request", "close", req)
    t.status(p, 0)
    t.eq(t.json(p), {"request": req, "status": "done"}, "no file written")
    t.ok(not os.path.exists(os.path.join(t.tmp, req + ".json")), "nothing in clear on disk")
    kinds = [m["kind"] for m in t.json(run("--json", "outbox", "list"))["messages"]]
    t.ok("access-answer" in kinds, f"the link is queued to the address ({kinds})")
    # a request without one (by post, say): the DPO gets the file to send
    req = t.json(run("--json", "request", "open", "access", "--subject", c["subject"]))["request"]
    p = run("--json", "request", "close", req)
    t.status(p, 0)
    doc = t.json(p)
    t.eq((doc["status"], doc["export"]), ("done", req + ".json"), "answered with a file")
    export = json.load(open(os.path.join(t.tmp, req + ".json"), encoding="utf-8"))
    t.eq(export["records"][0]["fields"]["email"], "val@example.org", "the person's data")
    t.eq(export["subject"], c["subject"], "that person")
    req = t.json(run("--json", "request", "open", "portability", "--subject", c["subject"]))["request"]
    p = run("--json", "request", "close", req, "-o", "port.json")
    t.status(p, 0)
    port = json.load(open(os.path.join(t.tmp, "port.json"), encoding="utf-8"))
    t.eq(set(port["records"][0]), {"record", "activity", "collected_at", "fields"}, "Art. 20 extract")


def test_identity_document_is_sealed_and_destroyed_on_time(t):
    run = vault(t)  # clean.yaml: id_document retention "1y from request-closed"
    collect_json(t, run, "contact", "email=wil@example.org", "message=x")
    scan = t.write("id.png", b"\x89PNG Zq7IDCARD-wil " + b"\x00" * 100, "wb")
    p = run("--json", "request", "open", "access", "--email", "wil@example.org",
            "--id-document", scan)
    t.status(p, 0)
    req = t.json(p)["request"]
    db = store_bytes(t)
    t.ok(b"Zq7IDCARD" not in db, "the document is sealed")
    t.status(run("request", "close", req), 0)  # closed 2026-03-02
    t.eq(sweep(t, later(run, "2027-03-02T23:59:59Z"))["id_documents"], 0, "kept a year")
    t.eq(sweep(t, later(run, "2027-03-03"))["id_documents"], 1, "then destroyed")
    t.eq(store_value(t, "SELECT count(*) FROM requests WHERE id_document IS NOT NULL"),
         0, "nothing left")
    big = t.write("big.bin", b"x" * (10 * 1024 * 1024 + 1), "wb")
    p = run("--json", "request", "open", "access", "--email", "wil@example.org",
            "--id-document", big)
    t.status(p, 1)
    t.eq(t.json(p)["error"]["field"], "id_document", "too big")


def test_references_are_shown_and_read_forgivingly(t):
    run = vault(t)
    p = run("--json", "request", "open", "access", "--email", "ref@example.org")
    t.status(p, 0)
    doc = t.json(p)
    ref = doc["reference"]
    t.eq(len(ref), 9, f"a reference of 9 characters ({ref})")
    p = run("request", "open", "erasure", "--email", "ref@example.org")
    t.status(p, 0)
    t.contains(p.out, ", reference ", "the text output gives it")
    listed = t.json(run("--json", "request", "list"))["requests"]
    t.eq([r["reference"] for r in listed if r["request"] == doc["request"]], [ref],
         "request list --json shows it")
    t.contains(run("request", "list").out, ref, "and the text list")
    t.eq(len({r["reference"] for r in listed}), 2, "each request its own")
    # lower case, hyphens, I/L for 1 and O for 0 name the same request
    loose = "-".join([ref[:4], ref[4:8], ref[8:]]).lower().replace("1", "i").replace("0", "o")
    p = run("--json", "request", "extend", loose, "--reason", "many archives to search")
    t.status(p, 0)
    t.eq((t.json(p)["request"], t.json(p)["reference"]), (doc["request"], ref),
         "extended by the reference as typed")
    # one character mistyped: the check character refuses it, naming none
    sym = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    typo = sym[(sym.index(ref[3]) + 1) % 32].join([ref[:3], ref[4:]])
    p = run("--json", "request", "close", typo)
    t.status(p, 1)
    err = t.json(p)["error"]
    t.eq(err["field"], "request", "the field named")
    t.contains(err["message"], "check character", "the typo is said")
    p = run("request", "close", typo)
    t.contains(p.err, "mistyped", "on stderr too")
    t.eq(t.json(run("--json", "request", "list", "--open"))["requests"][0]["status"], "open",
         "nothing closed")
    p = run("--json", "request", "close", "ZZZZ-ZZZZ-F")
    t.status(p, 1)
    t.eq(t.json(p)["error"]["code"], "not_found", "a well-formed reference of no request")
