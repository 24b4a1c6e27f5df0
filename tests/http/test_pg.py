"""What a server on PostgreSQL meets that a SQLite file never does: the
database drops its connections (a restart, a failover, an administrator's
pg_terminate_backend). Run by make check BACKEND=pg; skipped, and said so,
on SQLite."""
import json

from storelib import pg_only, store_value
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
