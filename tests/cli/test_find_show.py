"""find and show: the blind index finds a person however the address is typed;
show opens their records."""
from storelib import store_exec
from vaultlib import vault, collect_json


def test_collect_find_show(t):
    run = vault(t)
    doc = collect_json(t, run, "contact", "email=Jeanne.Martin@Example.org", "name=Jeanne Martin",
                       "message=Bonjour, je voudrais un devis")
    subject, record = doc["subject"], doc["record"]
    t.ok(subject.startswith("s") and len(subject) == 23, f"opaque subject id {subject}")
    t.ok(record.startswith("r") and len(record) == 23, f"opaque record id {record}")
    # the same person, typed differently, is found
    p = run("--json", "find", "--email", "  jeanne.martin@example.ORG ")
    t.status(p, 0)
    t.eq(t.json(p), {"subjects": [subject]}, "find")
    p = run("--json", "find", "--email", "nobody@example.org")
    t.status(p, 0)
    t.eq(t.json(p), {"subjects": []}, "find nobody")
    p = run("--json", "show", subject)
    t.status(p, 0)
    doc = t.json(p)
    t.eq(doc["subject"], subject, "subject")
    t.eq(len(doc["records"]), 1, "one record")
    r = doc["records"][0]
    t.eq(r["record"], record, "record id")
    t.eq(r["activity"], "contact", "activity")
    t.eq(r["phase"], "active", "phase")
    t.eq(r["fields"], {"email": "Jeanne.Martin@Example.org", "name": "Jeanne Martin",
                       "message": "Bonjour, je voudrais un devis"}, "decrypted fields")
    # contact: 1y from last-contact -> archived? no archive: ended on 2027-03-03
    t.eq(r["next"], {"phase": "ended", "at": "2027-03-03T00:00:00Z"}, "next transition")
    human = run("show", subject)
    t.status(human, 0)
    t.contains(human.out, "Jeanne Martin")


def test_unknown_subject_is_not_found(t):
    run = vault(t)
    for sid in ("sAAAAAAAAAAAAAAAAAAAAAA", "nonsense", "s" + "B" * 22):
        p = run("--json", "show", sid)
        t.status(p, 1)
        t.eq(t.json(p)["error"]["code"], "not_found", "not found")


def test_a_lookup_left_to_a_shredded_subject_goes_to_the_next_owner(t):
    run = vault(t)
    a = collect_json(t, run, "contact", "email=ned@example.org", "message=x")
    # shredded by a sweep whose purge has not run yet
    store_exec(t, "UPDATE subjects SET wrapped_key = NULL")
    p = run("--json", "find", "--email", "ned@example.org")
    t.status(p, 0)
    t.eq(t.json(p), {"subjects": []}, "a shredded subject is no one")
    b = collect_json(t, run, "contact", "email=ned@example.org", "message=y")
    t.ok(b["subject"] != a["subject"], "a new subject")
    p = run("--json", "find", "--email", "ned@example.org")
    t.status(p, 0)
    t.eq(t.json(p), {"subjects": [b["subject"]]}, "the lookup is the new subject's")
