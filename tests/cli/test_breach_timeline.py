"""Issue 15: the Art. 33(3) items as their own sealed fields (`breach
describe`), the time a notification was actually made (`breach notify
--at`, with the authority's reference and "late"), local times with their
offset, and `breach show`: one breach's timeline."""
import json

import re

from storelib import store_bytes
from vaultlib import DECL, vault, later, audit_entries

MARK = "Tl15mark"


def opened(t, run, aware="2026-03-02T11:00+01:00"):
    p = run("--json", "breach", "open", "--aware", aware, "--summary", f"lost laptop {MARK}")
    t.status(p, 0)
    return t.json(p)["breach"]


def test_describe_keeps_each_art_33_3_item_apart_and_sealed(t):
    run = vault(t, {"PDVAULT_NOW": "2026-03-03T09:00:00Z"})
    b = opened(t, run)
    p = run("--json", "breach", "describe", b, "--nature", f"a laptop stolen {MARK}N",
            "--categories", f"customers; names and emails {MARK}C", "--people", "120",
            "--records", "340")
    t.status(p, 0)
    # one at a time: what is not given stays as it was
    t.status(run("breach", "describe", b, "--consequences", f"phishing {MARK}Q",
                 "--measures", f"passwords changed {MARK}M"), 0)
    t.status(run("breach", "describe", b, "--people", "130"), 0)
    doc = t.json(run("--json", "breach", "show", b))
    t.eq((doc["nature"], doc["categories"], doc["people"], doc["records"], doc["consequences"],
          doc["measures"]),
         (f"a laptop stolen {MARK}N", f"customers; names and emails {MARK}C", 130, 340,
          f"phishing {MARK}Q", f"passwords changed {MARK}M"), "each item in its field")
    dpo = re.search(r"^  dpo: \{.*email: ([^,}]+)", open(t.path(DECL)).read(), re.M)
    t.eq(doc["contact"], dpo.group(1), "(b): the DPO's address, from the declaration")
    p = run("breach", "show", b)
    t.status(p, 0)
    for line in ("(a) nature: a laptop stolen", "(a) people concerned: about 130",
                 "(a) records concerned: about 340", "(b) contact: " + dpo.group(1),
                 "(c) likely consequences: phishing", "(d) measures: passwords changed"):
        t.contains(p.out, line)
    for args, field in ((["--people", "many"], "people"), (["--records", "-3"], "records"),
                        (["--nature", ""], "nature"), (["--categories", ""], "categories")):
        p = run("--json", "breach", "describe", b, *args)
        t.status(p, 1)
        t.eq(t.json(p)["error"].get("field"), field, f"field named for {args}")
    t.status(run("breach", "describe", b), 2)
    t.status(run("breach", "describe", b, "--at", "2026-03-03"), 2)
    t.eq(t.json(run("--json", "breach", "show", b))["people"], 130, "a refusal changes nothing")
    data = store_bytes(t)
    for suffix in ("N", "C", "Q", "M"):
        t.ok((MARK + suffix).encode() not in data, f"item {suffix} sealed on disk")
    t.lacks(json.dumps(audit_entries(t, run)), MARK, "audit log")


def test_notify_at_the_time_it_was_made_late_with_reasons_and_reference(t):
    # aware Monday 11:00 in Paris (10:00Z): the authority is due Thursday 10:00Z
    run = vault(t, {"PDVAULT_NOW": "2026-03-06T12:00:00Z"})
    b = opened(t, run, "2026-03-02 11:00 +0100")
    doc = t.json(run("--json", "breach", "show", b))
    t.eq((doc["aware_at"], doc["authority_due"], doc["recorded_at"]),
         ("2026-03-02T10:00:00Z", "2026-03-05T10:00:00Z", "2026-03-06T12:00:00Z"),
         "the local time read with its offset; recorded when typed in")
    # refused: in the future, before awareness, a time without its zone, late without reasons
    for at, field in (("2026-03-06T13:30+01:00", "at"), ("2026-03-02T10:30+01:00", "at"),
                      ("2026-03-04T09:00", "at"), ("2026-03-05T11:00:01+01:00", "reason")):
        p = run("--json", "breach", "notify", b, "--authority", "--at", at)
        t.status(p, 1)
        t.eq(t.json(p)["error"].get("field"), field, f"field named for --at {at}")
    p = run("--json", "breach", "notify", b, "--authority", "--at", "2026-03-06T13:00+01:00")
    t.status(p, 1)
    t.contains(t.json(p)["error"]["message"], "Art. 33(1)")
    t.eq(t.json(run("--json", "breach", "show", b))["authority_notified"], None,
         "nothing recorded by a refusal")
    # the authority told on time, in the past: not late, whatever today is
    p = run("--json", "breach", "notify", b, "--authority", "--at", "2026-03-05T10:59+01:00",
            "--reference", "CNIL-2026-0042")
    t.status(p, 0)
    t.eq(t.json(p), {"breach": b, "authority_notified": "2026-03-05T09:59:00Z", "late": False},
         "told at the time given, before its deadline")
    doc = t.json(run("--json", "breach", "show", b))
    t.eq((doc["reference"], doc["late"], doc["late_reason"]), ("CNIL-2026-0042", False, None),
         "the authority's reference kept")
    t.status(run("breach", "notify", b, "--subjects", "--reference", "X"), 2)
    t.status(run("breach", "notify", b, "--subjects", "--activity", "contact", "--at",
                 "2026-03-05"), 2)

    # another, told a minute late: marked late, with its reasons
    c = opened(t, run, "2026-03-02T10:00:00Z")
    p = run("--json", "breach", "notify", c, "--authority", "--at", "2026-03-05 11:01 +0100",
            "--reason", "the processor told us on the 5th", "--reference", "CNIL-43")
    t.status(p, 0)
    t.eq(t.json(p)["late"], True, "late: after aware + 72 hours")
    t.contains(p.err, "reasons for the delay")
    p = run("--json", "breach", "list")
    entry = {x["breach"]: x for x in t.json(p)["breaches"]}[c]
    t.eq(entry["late_reason"], "the processor told us on the 5th", "listed with its reasons")


def test_show_gives_the_timeline_in_order(t):
    run = vault(t, {"PDVAULT_NOW": "2026-03-02T12:00:00Z"})
    b = opened(t, run, "2026-03-02T10:00:00Z")
    later(run, "2026-03-03T08:00:00Z")("breach", "assess", b, "--risk", "high", "--reason",
                                       "names and addresses in clear")
    p = run("breach", "show", b)  # still at 12:00 on the 2nd: nobody told yet
    t.status(p, 0)
    p = later(run, "2026-03-06T09:00:00Z")("breach", "show", b)
    t.contains(p.out, "2026-03-05T10:00:00Z  the authority's deadline (aware + 72 hours, "
               "Art. 33(1)): OVERDUE")
    t.contains(p.out, "PEOPLE STILL TO BE TOLD")
    t.status(later(run, "2026-03-06T09:00:00Z")(
        "breach", "notify", b, "--authority", "--reason", "waited for the forensic report",
        "--reference", "CNIL-77"), 0)
    t.status(later(run, "2026-03-06T10:00:00Z")("breach", "notify", b, "--subjects", "--at",
                                                "2026-03-06T10:30+01:00"), 0)
    p = later(run, "2026-03-07")("breach", "show", b)
    t.status(p, 0)
    lines = [ln.strip() for ln in p.out.splitlines()]
    want = ["2026-03-02T10:00:00Z  aware",
            "2026-03-02T12:00:00Z  recorded",
            "2026-03-03T08:00:00Z  assessed: risk high: names and addresses in clear",
            "2026-03-05T10:00:00Z  the authority's deadline (aware + 72 hours, Art. 33(1))",
            "2026-03-06T09:00:00Z  authority told LATE, reference CNIL-77",
            "reasons for the delay: waited for the forensic report",
            "2026-03-06T09:30:00Z  people told (by other means)"]
    t.eq(lines[1:1 + len(want)], want, "each step, in order, with its time")
    t.lacks(p.out, "STILL TO BE TOLD")
    p = run("--json", "breach", "show", "b" + "A" * 22)
    t.status(p, 1)
    t.eq(t.json(p)["error"].get("field"), "breach")
    t.status(run("breach", "show"), 2)
    reads = [e for e in audit_entries(t, run) if e["action"] == "breach-read"]
    t.ok(len(reads) >= 3, "each show is an audited read")
