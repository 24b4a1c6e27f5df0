"""Opaque ids: the row id is carried through a keyed permutation, so ids of
consecutive rows look unrelated; an id spelt as before the permutation (the
row's tag and its row id, as an older pdvault showed it) keeps resolving."""
import base64

from storelib import store_query, store_row
from vaultlib import DECL, NOW, audit_entries, collect_json, records, vault


def number(id_):
    """The 64-bit number an id carries after its 8-byte tag."""
    raw = base64.urlsafe_b64decode(id_[1:] + "==")
    return int.from_bytes(raw[8:16], "big")


def old_form(kind, row_id, tag):
    """An id as a pdvault before the permutation showed it."""
    raw = bytes(tag) + row_id.to_bytes(8, "big")
    return kind + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def stored(t, table, tag_of):
    """(row id, tag) of the row whose tag the given id carries."""
    tag = base64.urlsafe_b64decode(tag_of[1:] + "==")[:8]
    return store_row(t, f"SELECT id, tag FROM {table} WHERE tag = ?", tag)


def test_consecutive_ids_do_not_look_consecutive(t):
    run = vault(t)
    docs = [collect_json(t, run, "contact", f"email=p{i}@example.org", "message=x")
            for i in range(4)]
    for kind in ("subject", "record"):
        ids = [d[kind] for d in docs]
        nums = [number(i) for i in ids]
        rows = [stored(t, kind + "s", i)[0] for i in ids]
        t.eq(rows, [rows[0] + k for k in range(4)], f"the {kind} rows are consecutive")
        t.ok(all(n != r for n, r in zip(nums, rows)), f"no {kind} id carries its row id: {ids}")
        t.ok(all(b - a != 1 for a, b in zip(nums, nums[1:])),
             f"{kind} ids do not count up: {nums}")
        t.ok(sum(n >= 1 << 40 for n in nums) >= 3, f"{kind} ids spread over 64 bits: {nums}")
        t.eq([len(i) for i in ids], [23] * 4, f"{kind} ids keep their length")
    # a suppressed submission's decoy looks like a real record id
    p = run("--json", "object", docs[0]["subject"])
    t.status(p, 0)
    decoy = collect_json(t, run, "contact", "email=p0@example.org", "message=x")["record"]
    t.eq(len(decoy), 23, "a decoy has an id's length")
    t.ok(number(decoy) >= 1 << 40, f"a decoy carries no small number: {decoy}")


def test_an_id_issued_before_the_permutation_still_resolves(t):
    run = vault(t)
    doc = collect_json(t, run, "contact", "email=old@example.org", "name=Jon", "message=x")
    sid, rid = doc["subject"], doc["record"]
    old_sid = old_form("s", *stored(t, "subjects", sid))
    old_rid = old_form("r", *stored(t, "records", rid))
    t.ok(old_sid != sid and old_rid != rid, "the two forms differ")
    shown = records(t, run, sid)
    t.eq(records(t, run, old_sid), shown, "show with the old subject id")
    t.eq(shown["contact"]["record"], rid, "show answers with the new form")
    p = run("--json", "export", old_sid)
    t.status(p, 0)
    t.contains(p.out, "old@example.org", "export with the old id")
    t.lacks(p.out, old_sid, "export")
    p = run("--json", "rectify", old_sid, old_rid, "name=John")
    t.status(p, 0)
    t.eq(records(t, run, sid)["contact"]["fields"]["name"], "John", "rectified by old ids")
    p = run("--json", "rectify", sid, old_rid, "name=Johnny")
    t.status(p, 0)
    t.eq(records(t, run, old_sid)["contact"]["fields"]["name"], "Johnny", "forms mix")
    p = run("--json", "event", old_sid, "contact")
    t.status(p, 0)
    # both forms find the same entries; the log shows the new form only
    by_new = t.json(run("--json", "audit", "log", "--subject", sid))["entries"]
    by_old = t.json(run("--json", "audit", "log", "--subject", old_sid))["entries"]
    t.eq(by_new, by_old, "audit log --subject takes either form")
    t.eq([e["action"] for e in by_new], ["collect", "show", "show", "export", "rectify",
                                         "show", "rectify", "show", "event"],
         "the subject's entries")
    t.ok(all(e["subject"] == sid for e in by_new), "entries show the new subject id")
    t.ok(all(e["record"] in (None, rid) for e in by_new), "entries show the new record id")
    p = run("--json", "audit", "verify")
    t.status(p, 0)
    t.eq(t.json(p)["ok"], True, "the chain is intact")
    # what the log stores is the old form: what a store made before holds too
    kept = {r[0] for r in store_query(t, "SELECT subject FROM audit WHERE subject IS NOT NULL")}
    t.eq(kept, {old_sid}, "the log keeps the canonical (old) form")
    # an unknown id is still told as given
    p = run("show", "sAAAAAAAAAAAAAAAAAAAAAA")
    t.status(p, 1)
    t.contains(p.err, "no subject 'sAAAAAAAAAAAAAAAAAAAAAA'")
