"""breach open, assess, notify and list: the register and its 72-hour clock."""
import json
import os

from vaultlib import vault, audit_entries, verify, later


def test_breach_register_and_its_72_hour_clock(t):
    # aware on a Friday at 16:20: the authority is due Monday 16:20, hours
    # counted straight through the weekend (Art. 33(1), LEGAL.md §3)
    run = vault(t, {"PDVAULT_NOW": "2026-11-20T18:00:00Z"})
    marker = "Brx9marker"
    p = run("--json", "breach", "open", "--aware", "2026-11-20T16:20:00Z", "--stdin",
            stdin=f"CRM export sent to the wrong address; 120 customers incl. {marker}".encode())
    t.status(p, 0)
    doc = t.json(p)
    t.eq(sorted(doc), ["authority_due", "breach"], "open answers the contract's document")
    t.eq(doc["authority_due"], "2026-11-23T16:20:00Z", "awareness + 72 hours, exactly")
    b = doc["breach"]

    def listed(when):
        p = later(run, when)("--json", "breach", "list")
        t.status(p, 0)
        return {x["breach"]: x for x in t.json(p)["breaches"]}

    entry = listed("2026-11-23T16:20:00Z")[b]
    t.eq((entry["overdue"], entry["authority_notified"], entry["subjects_notified"]),
         (False, None, None), "not overdue at the deadline itself")
    t.contains(entry["summary"], marker, "the summary, opened for the register")
    t.eq(listed("2026-11-23T16:20:01Z")[b]["overdue"], True, "overdue a second after")

    # Art. 33(1): told late, the authority gets the reasons for the delay
    p = later(run, "2026-11-24T09:00:00Z")("--json", "breach", "notify", b, "--authority")
    t.status(p, 1)
    t.eq(t.json(p)["error"]["field"], "reason", "late without reasons: refused")
    p = later(run, "2026-11-24T09:00:00Z")("--json", "breach", "notify", b, "--authority",
                                           "--reason", f"scope unclear until the audit {marker}")
    t.status(p, 0)
    t.eq(t.json(p), {"breach": b, "authority_notified": "2026-11-24T09:00:00Z", "late": True},
         "a late notification is recorded, and said late")
    t.contains(p.err, "reasons for the delay")
    p = later(run, "2026-11-25")("breach", "notify", b, "--authority")
    t.status(p, 1)
    t.contains(p.err, "already recorded")
    t.status(later(run, "2026-11-25")("breach", "notify", b, "--subjects"), 0)
    entry = listed("2026-11-30")[b]
    t.eq((entry["overdue"], entry["authority_notified"], entry["subjects_notified"]),
         (False, "2026-11-24T09:00:00Z", "2026-11-25T00:00:00Z"), "both told, once each")
    t.contains(entry["late_reason"], "scope unclear", "the reasons for the delay, kept")

    # the assessment says who must be told: unlikely, no one (and never overdue)
    p = run("--json", "breach", "open", "--aware", "2026-11-19", "--summary", "a lost badge",
            "--risk", "unlikely", "--reason", f"no data on it {marker}")
    t.status(p, 0)
    minor = t.json(p)["breach"]
    entry = listed("2026-12-30")[minor]
    t.eq((entry["risk"], entry["authority_required"], entry["subjects_required"],
          entry["overdue"]), ("unlikely", False, False, False), "nothing owed")
    t.contains(entry["risk_reason"], "no data on it", "the reasons of the assessment")
    p = run("--json", "breach", "assess", minor, "--risk", "high", "--reason", "it had a list")
    t.status(p, 0)
    t.eq(t.json(p), {"breach": minor, "risk": "high", "authority_required": True,
                     "subjects_required": True}, "re-assessed: everyone to tell")
    t.eq(listed("2026-12-30")[minor]["overdue"], True, "now overdue")
    for args, field in ((["assess", minor, "--risk", "maybe", "--reason", "x"], "risk"),
                        (["assess", minor, "--risk", "high", "--reason", ""], "reason")):
        p = run("--json", "breach", *args)
        t.status(p, 1)
        t.eq(t.json(p)["error"].get("field"), field, f"field named for {args}")
    t.status(run("breach", "open", "--aware", "2026-11-20", "--summary", "x", "--risk", "high"), 2)
    t.status(run("breach", "notify", minor, "--subjects", "--reason", "x"), 2)

    # refusals name the field and store nothing
    for args, field in ((["open", "--aware", "2026-12-01", "--summary", "x"], "aware"),
                        (["open", "--aware", "yesterday", "--summary", "x"], "aware"),
                        (["open", "--aware", "2026-11-20", "--summary", ""], "summary"),
                        (["notify", "b" + "A" * 22, "--subjects"], "breach")):
        p = run("--json", "breach", *args)
        t.status(p, 1)
        t.eq(t.json(p)["error"].get("field"), field, f"field named for {args}")
    t.eq(len(listed("2026-11-30")), 2, "no breach stored by a refusal")
    t.status(run("breach", "open", "--aware", "2026-11-20"), 2)

    entries = audit_entries(t, run)
    actions = [e["action"] for e in entries]
    for a in ("breach-open", "breach-list", "breach-notify-authority", "breach-notify-subjects",
              "breach-assess"):
        t.ok(a in actions, f"audit entry {a}")
    t.lacks(json.dumps(entries), marker, "audit log")
    p, doc = verify(t, run)
    t.status(p, 0)
    for f in os.listdir(t.tmp):
        data = open(os.path.join(t.tmp, f), "rb").read()
        t.ok(marker.encode() not in data, f"summary in clear in {f}")


def test_a_breach_whose_deadline_falls_after_year_9999_is_refused(t):
    # the clock reads up to 9999-12-31T23:59:59Z; aware + 72 hours past it
    # was printed modulo 10000, as 0000-01-02: a deadline 9999 years early
    run = vault(t, {"PDVAULT_NOW": "9999-12-31T12:00:00Z"})
    p = run("--json", "breach", "open", "--aware", "9999-12-30T10:00:00Z",
            "--summary", "a lost badge")
    t.status(p, 1)
    err = t.json(p)["error"]
    t.eq(err["field"], "aware", "the error names the field")
    t.contains(err["message"], "after year 9999")
    p = run("--json", "breach", "list")
    t.status(p, 0)
    t.eq(t.json(p)["breaches"], [], "nothing was recorded")
    p = run("--json", "breach", "open", "--aware", "9999-12-28T23:59:59Z",
            "--summary", "a lost badge")
    t.status(p, 0)
    t.eq(t.json(p)["authority_due"], "9999-12-31T23:59:59Z", "the last deadline that is a date")
