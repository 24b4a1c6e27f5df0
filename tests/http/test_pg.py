"""What a server on PostgreSQL meets that a SQLite file never does: the
database drops its connections (a restart, a failover, an administrator's
pg_terminate_backend). Run by make check BACKEND=pg; skipped, and said so,
on SQLite."""
import json
import os

from storelib import pg_only, store_exec, store_url, store_value
from test_server import Server, record_in_store, submit


@pg_only
def test_a_dropped_database_connection_is_opened_again(t):
    srv = Server(t).start()
    try:
        st, _, out = submit(srv, "before@example.org")
        t.eq(st, 201, "a submission before")
        dropped = store_value(t, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                 "WHERE datname = current_database() "
                                 "AND backend_type = 'client backend' "
                                 "AND pid <> pg_backend_pid()")
        t.ok(dropped >= 1, f"the server's connections dropped ({dropped})")
        answers = []
        for i in range(40):
            st, _, out = submit(srv, f"after{i}@example.org")
            answers.append((st, out))
            if len(answers) >= 5 and all(a[0] == 201 for a in answers[-5:]):
                break
        t.ok(all(a[0] == 201 for a in answers[-5:]),
             f"the server answers again without a restart: {[a[0] for a in answers]}")
        t.ok(all(a[0] in (201, 500, 503) for a in answers),
             f"a call that met the loss failed plainly: {[a[0] for a in answers]}")
        for st, out in answers:
            if st == 201:
                t.ok(record_in_store(t, json.loads(out)["record"]),
                     "every acknowledged submission is in the store")
        t.eq(srv.get("/healthz")[0], 200, "still serving")
    finally:
        srv.stop()


# auto_explain, loaded in the servers' own connections, writes each plan they
# run in PostgreSQL's log (tests/lib/pgserver.py keeps it beside the data)
EXPLAIN = ("%20-csession_preload_libraries%3Dauto_explain"
           "%20-cauto_explain.log_min_duration%3D0")


def pg_log(t):
    data = store_value(t, "SELECT setting FROM pg_settings WHERE name = 'data_directory'")
    return os.path.join(os.path.dirname(data), "log")


def plans_of(text, marker):
    """The plans in PostgreSQL's log whose statement text holds marker."""
    return [p for p in text.split("LOG:") if "Query Text:" in p and marker in p]


@pg_only
def test_the_plans_kept_on_a_new_vault_still_use_the_indexes_as_it_grows(t):
    # A prepared statement keeps the plan made at its first runs, on the
    # vault as it was then: two servers started on a new vault, then 2,000
    # people imported by another process, must still reach their audit head
    # and their people's lookups through the primary keys, not by reading
    # (and hashing, or sorting) the whole table at every group; the import,
    # asking about its people a chunk at a time, likewise.
    # autovacuum's ANALYZE would make them plan again: it is kept off here,
    # as in the first minute of a new vault.
    a, b = Server(t), Server(t)
    b.log = os.path.join(t.tmp, "access-b.log")
    for table in ("audit", "lookups", "subjects", "records"):
        store_exec(t, f"ALTER TABLE {table} SET (autovacuum_enabled = off)")
    log = pg_log(t)
    start = os.path.getsize(log)
    url = store_url(t) + EXPLAIN
    a.start("--rate", "0", env={"PDVAULT_SERVER_ID": "a", "PDVAULT_DB": url})
    try:
        b.start("--rate", "0", env={"PDVAULT_SERVER_ID": "b", "PDVAULT_DB": url})
        for i in range(8):  # past the five runs planned for their values
            t.eq(submit(a, f"a{i}@example.org")[0], 201, "a submission through a")
            t.eq(submit(b, f"b{i}@example.org")[0], 201, "a submission through b")
        with open(os.path.join(t.tmp, "people.csv"), "w") as f:
            f.write("email,last_name,first_name\n")
            for i in range(2000):
                f.write(f"p{i}@example.org,Martin,Jeanne\n")
        # the import asks about its people 256 at a time (lookups_known)
        t.status(t.run("import", "quote", "people.csv",
                       env={**a.env, "PDVAULT_DB": url}), 0)
        for i in range(4):
            t.eq(submit(a, f"p{i}@example.org")[0], 201, "a known person through a")
            t.eq(submit(b, f"later{i}@example.org")[0], 201, "a new person through b")
    finally:
        b.stop()
        a.stop()
    with open(log, encoding="utf-8", errors="replace") as f:
        f.seek(start)
        text = f.read()
    heads = plans_of(text, "FROM audit WHERE seq >=")
    t.ok(len(heads) >= 4, f"the servers read the log from their last head ({len(heads)} plans)")
    t.ok(not [p for p in heads if "Seq Scan on audit" in p],
         "no server read the whole audit log to reach its head")
    known = plans_of(text, "FROM lookups")
    t.ok(len(known) >= 8, f"the import and the servers asked which people they knew "
                          f"({len(known)} plans)")
    t.ok(not [p for p in known if "Seq Scan on lookups" in p],
         "neither the import nor a server read the whole of lookups to find its people")
