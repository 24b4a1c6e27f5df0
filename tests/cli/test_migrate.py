"""migrate --to URL: a vault copied between backends through the store's
table copy (docs/internals/multi-server.md). SQLite to PostgreSQL and back
gives the same show and export for sampled subjects and a chain that
verifies; a non-empty target, a broken source chain and a password in the
URL are refused with nothing made. (The source in use by a server:
tests/http/test_multi.py; the 100k-record run: bench/bench-pg.sh.)"""
import os
import random
import sqlite3

from storelib import always_pg, store_url
from vaultlib import NOW, write_csv

DECL = "tests/data/lint/clean.yaml"
RECORDS = 2000


def runner(t, db):
    env = dict(NOW, PDVAULT_CONFIG=t.path(DECL))
    return lambda *a: t.run("--db", db, *a, env=env)


def seen(t, run, subjects):
    """What a user sees of each subject: show and both exports."""
    out = {}
    for s in subjects:
        for args in (("show", s), ("export", s), ("export", s, "--portable")):
            p = run("--json", *args)
            t.status(p, 0)
            out[args] = t.json(p)
    return out


@always_pg
def test_sqlite_to_postgresql_and_back_keeps_what_users_see(t):
    pg = store_url(t)
    src = runner(t, "sqlite:first.db")
    t.status(src("init"), 0)
    lines = ["email,name,message"] + [f"p{i}@example.org,Name {i},message {i}"
                                      for i in range(RECORDS)]
    t.status(src("import", "contact", write_csv(t, "in.csv", "\n".join(lines) + "\n")), 0)
    some = [f"p{i}@example.org" for i in random.sample(range(RECORDS), 5)]
    subjects = [t.json(src("--json", "find", "--email", e))["subjects"][0] for e in some]
    t.status(src("erase", subjects.pop()), 0)  # an erasure travels too
    before = seen(t, src, subjects)

    p = src("--json", "migrate", "--to", pg)
    t.status(p, 0)
    doc = t.json(p)
    t.eq(doc["rows"]["records"], RECORDS - 1, "every record copied")
    t.eq(doc["rows"]["erasures"], 1, "the erasure copied")
    t.eq(doc["verified"], True)
    t.contains(p.err, f"migrate: records {RECORDS - 1}/{RECORDS - 1} rows", "progress on stderr")
    t.status(src("collect", "contact", "email=late@example.org", "message=x"), 3)  # left behind

    mid = runner(t, pg)
    p = mid("--json", "audit", "verify")
    t.status(p, 0)
    t.eq(t.json(p)["entries"], doc["audit_entries"], "the chain on PostgreSQL, migrate entry too")
    on_pg = seen(t, mid, subjects)
    t.eq(on_pg, before, "show and export on PostgreSQL are those of SQLite")

    p = mid("--json", "migrate", "--to", "sqlite:back.db")
    t.status(p, 0)
    back = runner(t, "sqlite:back.db")
    p = back("--json", "audit", "verify")
    t.status(p, 0)
    t.eq(t.json(p)["ok"], True, "the chain verifies back on SQLite")
    t.eq(seen(t, back, subjects), before, "and show and export there too")
    t.eq(t.json(back("--json", "find", "--email", some[-1])), {"subjects": []},
         "the erased person stays erased")
    t.status(back("collect", "contact", "email=late@example.org", "message=x"), 0)


@always_pg
def test_migrate_refuses_a_target_in_use_and_a_broken_source(t):
    pg = store_url(t)
    src = runner(t, "sqlite:first.db")
    t.status(src("init"), 0)
    t.status(src("collect", "contact", "email=a@example.org", "message=x"), 0)
    p = src("--json", "migrate", "--to", "sqlite:other.db")
    t.status(p, 0)
    db = sqlite3.connect(os.path.join(t.tmp, "other.db"))
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    db.close()
    t.eq(set(t.json(p)["rows"]), tables, "every table of the schema is copied (src/store/tables.h)")
    other = runner(t, "sqlite:other.db")
    t.status(other("migrate", "--to", "sqlite:other.db"), 2)  # its own store
    # a target that exists is refused, and left as it was
    size = os.path.getsize(os.path.join(t.tmp, "first.db"))
    p = other("migrate", "--to", "sqlite:first.db")
    t.status(p, 1)
    t.contains(p.err, "first.db")
    t.eq(os.path.getsize(os.path.join(t.tmp, "first.db")), size, "the existing store untouched")
    pgv = lambda *a: t.run("--db", pg, "--key-file", "pg.key", *a,  # noqa: E731
                           env=dict(NOW, PDVAULT_CONFIG=t.path(DECL)))
    t.status(pgv("init"), 0)
    t.status(pgv("collect", "contact", "email=b@example.org", "message=x"), 0)
    p = other("migrate", "--to", pg)
    t.status(p, 1)
    t.status(pgv("audit", "verify"), 0)  # the vault there is as it was
    t.eq(len(t.json(pgv("--json", "find", "--email", "b@example.org"))["subjects"]), 1)
    p = other("migrate", "--to", "postgresql://u:secret@127.0.0.1/x")
    t.status(p, 2)
    t.lacks(p.err, "secret")
    # a chain that does not verify is not copied
    db = sqlite3.connect(os.path.join(t.tmp, "other.db"))
    db.execute("UPDATE audit SET actor = 'someone' WHERE seq = 2")
    db.commit()
    db.close()
    p = other("migrate", "--to", "sqlite:third.db")
    t.status(p, 3)
    t.contains(p.err, "does not verify")
    t.ok(not os.path.exists(os.path.join(t.tmp, "third.db")), "nothing made")


def says_migrated(t, p, to, what):
    """A command on a store the vault left: refused (exit 3), saying where the
    vault went and to point --db there, never advising accept-loss."""
    t.status(p, 3)
    t.contains(p.err, f"migrated to {to} on 2026-03-02T10:00:00Z", what)
    t.contains(p.err, f"use --db {to}", what)
    t.lacks(p.err, "accept-loss", what)
    t.lacks(p.err, "was cut", what)


@always_pg
def test_a_migrated_source_says_where_the_vault_went(t):
    pg = store_url(t)
    first, back = (os.path.join(os.path.realpath(t.tmp), f) for f in ("first.db", "back.db"))
    src = runner(t, "sqlite:first.db")
    t.status(src("init"), 0)
    t.status(src("collect", "contact", "email=a@example.org", "message=x"), 0)
    t.status(src("migrate", "--to", pg), 0)
    moves = os.path.join(t.tmp, "pdvault.key.migrations")
    t.eq(os.stat(moves).st_mode & 0o777, 0o600, "the record of the move is the owner's alone")

    # the source (SQLite): every way in says where the vault went
    says_migrated(t, src("collect", "contact", "email=b@example.org", "message=x"), pg,
                  "a write on the source")
    says_migrated(t, src("audit", "verify"), pg, "audit verify on the source")
    p = src("--json", "collect", "contact", "email=b@example.org", "message=x")
    t.eq(t.json(p)["error"]["code"], "migrated", "its own error code")
    p = src("audit", "accept-loss", "--reason", "try")
    says_migrated(t, p, pg, "accept-loss on the source is refused")
    mid = runner(t, pg)
    t.status(mid("collect", "contact", "email=c@example.org", "message=x"), 0)  # live as it was

    # and back: the PostgreSQL store is now the one left behind
    t.status(mid("migrate", "--to", "sqlite:back.db"), 0)
    says_migrated(t, mid("collect", "contact", "email=d@example.org", "message=x"),
                  f"sqlite:{back}", "a write on the PostgreSQL source")
    says_migrated(t, mid("audit", "verify"), f"sqlite:{back}", "verify there")
    # the first source is two moves behind: it names its own move and the last
    p = src("collect", "contact", "email=d@example.org", "message=x")
    t.contains(p.err, f"migrated to {pg}", "the first source's own move")
    t.contains(p.err, f"use --db sqlite:{back}", "and where the vault is now")
    t.lacks(p.err, "accept-loss")
    bk = runner(t, "sqlite:back.db")
    t.status(bk("collect", "contact", "email=d@example.org", "message=x"), 0)
    t.status(bk("audit", "verify"), 0)

    # back to where it began (a new store at the first source's path): nothing misfires
    os.remove(first)
    t.status(bk("migrate", "--to", "sqlite:first.db"), 0)
    t.status(src("collect", "contact", "email=e@example.org", "message=x"), 0)
    p = src("--json", "audit", "verify")
    t.status(p, 0)
    t.eq(t.json(p)["ok"], True, "the vault at its first path again verifies")
    says_migrated(t, bk("collect", "contact", "email=f@example.org", "message=x"),
                  f"sqlite:{first}", "and the store it left says so")


def test_a_record_whose_date_is_no_date_names_no_move(t):
    # a record line is read whole or not at all: an AT that no date spells
    # (years 1 to 9999) is damage, as a short hash is, not a move with a
    # nonsense date (it overflowed the calendar: fuzz/fuzz-migrations.c)
    src = runner(t, "sqlite:a.db")
    t.status(src("init"), 0)
    t.status(src("migrate", "--to", "sqlite:b.db"), 0)
    moves = os.path.join(t.tmp, "pdvault.key.migrations")
    text = open(moves).read()
    head, line = text.rstrip("\n").split("\n")
    seq, h, at, rest = line.split("\t", 3)
    to = f"sqlite:{os.path.join(os.path.realpath(t.tmp), 'b.db')}"
    for when, said in (("253402300799", "9999-12-31T23:59:59Z"), ("185542531200000", None)):
        with open(moves, "w") as f:
            f.write(f"{head}\n{seq}\t{h}\t{when}\t{rest}\n")
        p = src("collect", "contact", "email=b@example.org", "message=x")
        t.status(p, 3)
        if said:
            t.contains(p.err, f"migrated to {to} on {said}", "the last second a date spells")
        else:
            t.lacks(p.err, "migrated", "a move whose date is no date")
            t.lacks(p.err, "not the vault any more", "a move whose date is no date")
