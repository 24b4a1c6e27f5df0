"""sweep: retention applied on the declared clock, restricted and held subjects
kept, renewals asked, and a killed sweep finished by the next run."""
import os

from storelib import store_query, store_row, store_value, store_count, store_exec
from vaultlib import (DECL, vault, collect_json, verify, write_csv, later, records, sweep, ZERO,
                      killed)


def test_sweep_archives_and_ends_on_the_declared_clock(t):
    run = vault(t)
    c = collect_json(t, run, "contact", "email=fay@example.org", "message=x")
    k = collect_json(t, run, "customers", "email=gus@example.org", "name=Gus", "address=1 rue Y")
    n = collect_json(t, run, "newsletter", "--consent", "email=gus@example.org", "country=FR")
    t.eq(sweep(t, run), ZERO, "nothing due yet")
    # contact: 1y from last-contact -> due 2027-03-03
    early = later(run, "2027-03-02T23:59:59Z")
    t.eq(sweep(t, early), ZERO, "not a second early")
    d1 = later(run, "2027-03-03")
    dry = sweep(t, d1, "--dry-run")
    t.eq(dry["deleted"], 1, "dry run counts")
    t.eq([(x["record"], x["to"]) for x in dry["changes"]], [(c["record"], "deleted")], "listed")
    t.eq(records(t, d1, c["subject"])["contact"]["phase"], "active", "dry run changed nothing")
    t.eq(sweep(t, d1), dict(ZERO, deleted=1), "contact deleted")
    t.eq(sweep(t, d1), ZERO, "a second run does nothing more")
    t.status(d1("show", c["subject"]), 1)  # its only record gone: the subject too
    # newsletter: at most 3y from last-contact, anonymised
    d3 = later(run, "2029-03-03")
    t.eq(sweep(t, d3), dict(ZERO, anonymised=1), "newsletter anonymised")
    # customers: at most 5y from collection, then 5y of archive
    d5 = later(run, "2031-03-03")
    t.eq(sweep(t, d5), dict(ZERO, archived=1), "customer archived")
    t.eq(records(t, d5, k["subject"])["customers"]["phase"], "archived", "archived")
    d10 = later(run, "2036-03-04")
    t.eq(sweep(t, d10), dict(ZERO, deleted=1), "then deleted")
    t.status(d10("show", k["subject"]), 1)
    p, doc = verify(t, d10)
    t.status(p, 0)
    erased = open(os.path.join(t.tmp, "pdvault.key.erasures")).read().splitlines()[1:]
    t.eq(len(erased), 2, "two subjects erased, journaled")


def told(t):
    return store_query(t, "SELECT kind, recipient, count(*) FROM outbox "
                          "WHERE recipient IS NOT NULL GROUP BY kind, recipient ORDER BY recipient")


def test_the_retention_clock_tells_each_recipient_of_the_erasure(t):
    """An end by the retention clock is an erasure under Art. 17(1)(a) (no
    longer necessary), which Art. 19 covers as it covers one asked for: each
    recipient of the activity is told, once, on the day the record ends
    (deleted or anonymised); a move to the archive is no erasure and tells
    no one."""
    run = vault(t)
    collect_json(t, run, "contact", "email=fay@example.org", "message=x")
    collect_json(t, run, "customers", "email=gus@example.org", "name=Gus", "address=1 rue Y")
    collect_json(t, run, "newsletter", "--consent", "email=gus@example.org", "country=FR")
    t.eq(sweep(t, later(run, "2027-03-02T23:59:59Z")), ZERO, "nothing due the day before")
    t.eq(told(t), [], "no one told before the end")
    t.eq(sweep(t, later(run, "2027-03-03")), dict(ZERO, deleted=1), "contact deleted")
    t.eq(told(t), [("erasure", "crm", 1)], "the contact's CRM told")
    t.eq(sweep(t, later(run, "2029-03-03")), dict(ZERO, anonymised=1), "newsletter anonymised")
    t.eq(told(t), [("erasure", "crm", 1), ("erasure", "mailer", 1)], "the mailer told")
    t.eq(sweep(t, later(run, "2031-03-03")), dict(ZERO, archived=1), "customer archived")
    t.eq(told(t), [("erasure", "crm", 1), ("erasure", "mailer", 1)], "the archive tells no one")
    t.eq(sweep(t, later(run, "2036-03-04")), dict(ZERO, deleted=1), "then deleted")
    t.eq(told(t), [("erasure", "crm", 2), ("erasure", "mailer", 1)], "the CRM told again")


def test_sweep_keeps_restricted_subjects(t):
    run = vault(t)
    c = collect_json(t, run, "contact", "email=hal@example.org", "message=x")
    store_exec(t, "UPDATE subjects SET restricted = 1")
    d1 = later(run, "2027-03-03")
    t.eq(sweep(t, d1), dict(ZERO, held=1), "held, not deleted")
    t.eq(records(t, d1, c["subject"])["contact"]["phase"], "active", "still there")


def test_sweep_asks_for_renewal(t):
    src = open(t.path(DECL), encoding="utf-8").read()
    src = src.replace("      active: 1y from last-contact\n      end: delete\n",
                      "      active: 1y from last-contact\n      end: delete\n"
                      "      renew: {wait: 1mo, silence: end}\n", 1)
    path = t.write("renew.yaml", src)
    run = vault(t, env={"PDVAULT_CONFIG": path})
    a = collect_json(t, run, "contact", "email=ivy@example.org", "message=x")
    b = collect_json(t, run, "contact", "email=joe@example.org", "message=y")
    d1 = later(run, "2027-03-03")
    t.eq(sweep(t, d1), dict(ZERO, renewals=2), "both asked to re-confirm")
    t.eq(records(t, d1, a["subject"])["contact"]["phase"], "renewal-pending", "pending")
    queued = store_query(t, "SELECT kind, count(*) FROM outbox GROUP BY kind")
    t.eq(queued, [("renewal", 2)], "two re-confirmations queued")
    p = later(run, "2027-03-20")("--json", "event", a["subject"], "renewed")
    t.status(p, 0)
    t.eq(records(t, later(run, "2027-03-20"), a["subject"])["contact"]["phase"], "active",
         "renewed: active again")
    # a month of silence: joe's record ends; ivy's goes on
    d2 = later(run, "2027-04-04")
    t.eq(sweep(t, d2), dict(ZERO, deleted=1), "silence ends the record")
    t.status(d2("show", a["subject"]), 0)
    t.status(d2("show", b["subject"]), 1)


def test_sweep_killed_in_the_middle_finishes_on_the_next_run(t):
    import time
    run = vault(t)
    n = 30000
    lines = ["email,message,_collected_at"] + [f"k{i}@example.org,m,2025-01-02" for i in range(n)]
    path = write_csv(t, "in.csv", "\n".join(lines) + "\n")
    t.status(run("import", "contact", path), 0)
    # 30,000 records take the sweep most of a second: kill it well before
    deadline = time.monotonic() + 0.15
    killed(t, ["sweep"], "2026-06-01", lambda: time.monotonic() >= deadline, "sweep")
    before = store_count(t, "records")
    d = later(run, "2026-06-01")
    done = sweep(t, d)
    t.eq(done["deleted"], before, "the second run ends exactly what the first left")
    t.eq(sweep(t, d), ZERO, "nothing left to do")
    left = store_count(t, "records")
    erased = store_row(t, "SELECT count(*), count(DISTINCT subject_id) FROM erasures")
    t.eq(left, 0, "every record ended")
    t.eq(erased, (n, n), "each subject erased once")
    lookups = store_count(t, "lookups")
    marks = store_value(t, "SELECT count(*) FROM meta WHERE name LIKE 'lookups%'")
    t.eq((lookups, marks), (0, 0), "every blind index purged, nothing owed")
    p = d("--json", "find", "--email", "k7@example.org")
    t.status(p, 0)
    t.eq(t.json(p), {"subjects": []}, "an ended person is found no more")
    p, doc = verify(t, d)
    t.status(p, 0)
    seqs = [int(l.split()[0]) for l in
            open(os.path.join(t.tmp, "pdvault.key.erasures")).read().splitlines()[1:]]
    t.eq(seqs, list(range(1, n + 1)), "the journal has each erasure once, in order")


def test_blind_indexes_owed_by_a_stopped_sweep_are_purged_at_open(t):
    run = vault(t)
    n = 10001  # one full batch: its blind indexes are left to the purge
    lines = ["email,message,_collected_at"] + [f"p{i}@example.org,m,2025-01-02" for i in range(n)]
    t.status(run("import", "contact", write_csv(t, "in.csv", "\n".join(lines) + "\n")), 0)
    # a sweep stopped after its first batch: key gone, lookups left, the mark kept
    store_exec(t, "UPDATE subjects SET wrapped_key = NULL WHERE id <= 10000")
    store_exec(t, "INSERT INTO erasures (seq, subject_id, record_id, at, reason) "
              "SELECT id, id, NULL, 0, 'retention' FROM subjects WHERE id <= 10000")
    store_exec(t, "INSERT INTO meta (name, value) VALUES ('lookups_purge_after', '0')")
    p = run("--json", "find", "--email", "p10000@example.org")
    t.status(p, 0)
    t.eq(len(t.json(p)["subjects"]), 1, "a live subject is still found")
    left = store_count(t, "lookups")
    marks = store_value(t, "SELECT count(*) FROM meta WHERE name LIKE 'lookups%'")
    t.eq((left, marks), (1, 0), "the open purged what was owed")


def choice_of_ends_deletes(t, end):
    src = open(t.path(DECL), encoding="utf-8").read()
    decl = t.write("choice.yaml", src.replace("      end: anonymise\n", f"      end: {end}\n", 1))
    t.eq([f["message"] for f in t.json(t.run("--json", "lint", decl))["findings"]
          if f["rule"] == "end-action"], [], f"{end}: no end-action finding")
    run = vault(t, {"PDVAULT_CONFIG": decl})
    collect_json(t, run, "newsletter", "--consent", "email=hal@example.org", "country=FR")
    t.eq(sweep(t, later(run, "2029-03-03")), dict(ZERO, deleted=1), f"{end}: deleted")


def test_a_choice_of_ends_is_applied_by_deletion(t):
    """LEGAL.md §5: `end: [delete, anonymise]` is lawful; the vault collects
    into the activity and the sweep resolves the choice by deleting (no
    statistics row is kept)."""
    choice_of_ends_deletes(t, "[delete, anonymise]")


def test_a_choice_of_ends_in_the_policy_words_is_applied_by_deletion(t):
    choice_of_ends_deletes(t, '"deleted or kept after having been anonymised"')
