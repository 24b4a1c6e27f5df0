"""Several `pdvault serve` on one vault (docs/internals/multi-server.md): two
servers on one PostgreSQL under 64 connections, one of them killed with -9
five times and started again: every 201 is in the store, one audit chain
that verifies from either server, no id given twice. And key rotate, which
refuses while a server runs, on either backend."""
import base64
import http.client
import json
import os
import random
import subprocess
import threading
import time

from storelib import always_pg, store_query, store_url
from test_server import Server, acks_at_least, record_in_store, submit

PSQL = "/usr/lib/postgresql/15/bin/psql"
WRITER_KEY = 1885627510  # src/store/sql/pg/statements.sql, writer_lock
WRITER_LOCK = f"pg_advisory_xact_lock({WRITER_KEY}, hashtext(current_schema()))"

CONNECTIONS = 64
KILLS = 5


def tags_of(records):
    # an id is the row's 8-byte random tag and a permutation of its row id
    return [base64.urlsafe_b64decode(r[1:] + "==")[:8] for r in records]


@always_pg
def test_two_servers_one_killed_five_times_lose_nothing(t):
    t.ok(store_url(t).startswith("postgresql://"), "on PostgreSQL")
    a, b = Server(t), Server(t)
    b.log = os.path.join(t.tmp, "access-b.log")
    a.start("--rate", "0", env={"PDVAULT_SERVER_ID": "a"})
    acked, refused = [], []
    lock = threading.Lock()
    stop = threading.Event()

    def load(k):
        srv = a if k % 2 == 0 else b
        i = 0
        while not stop.is_set():
            i += 1
            try:
                st, _, out = submit(srv, f"c{k}-{i}@example.org")
            except (OSError, http.client.HTTPException):
                time.sleep(0.02)  # b is down: its clients wait for it
                continue
            with lock:
                if st == 201:
                    acked.append(json.loads(out)["record"])
                else:
                    refused.append(st)
    try:
        b.start("--rate", "0", env={"PDVAULT_SERVER_ID": "b"})
        threads = [threading.Thread(target=load, args=(k,)) for k in range(CONNECTIONS)]
        for th in threads:
            th.start()
        for _ in range(KILLS):
            time.sleep(random.uniform(0.6, 1.2))
            b.proc.kill()  # SIGKILL, under load
            b.proc.wait()
            b.proc.communicate()
            b.start("--rate", "0", env={"PDVAULT_SERVER_ID": "b"})
        time.sleep(0.5)
        acks_at_least(acked, lock, 201)  # slow commits: the load goes on until it was a load
        p = a.cli("key", "rotate")
        t.status(p, 1)
        t.contains(p.err, "pdvault server connection", "key rotate refused while servers run")
    finally:
        stop.set()
        for th in threads:
            th.join()
        a.stop()
        b.stop()
    t.ok(len(acked) > 200, f"submissions acknowledged through both servers ({len(acked)})")
    t.ok(all(st in (500, 503) for st in refused),
         f"what was not acknowledged failed plainly: {sorted(set(refused))}")
    t.eq(len(set(acked)), len(acked), "no record id given twice")
    stored = {bytes(r[0]) for r in store_query(t, "SELECT tag FROM records")}
    missing = [r for r, tag in zip(acked, tags_of(acked)) if tag not in stored]
    t.eq(missing, [], "every submission answered 201 is in the store")
    n, distinct = store_query(t, "SELECT count(*), count(DISTINCT subject_id) FROM records")[0]
    t.eq(n, distinct, "a subject each: no subject id given to two people")
    for sid in ("a", "b"):
        p = a.cli("--json", "--server-id", sid, "audit", "verify")
        t.status(p, 0)
        doc = t.json(p)
        t.eq(doc["ok"], True, f"the chain verifies from server {sid}")
        t.ok(doc["heads"] >= 3, "both servers' heads checked, and init's")
    t.ok(doc["entries"] >= len(acked) + 1, "an entry per acknowledged submission")
    t.status(a.cli("key", "rotate"), 0)  # every server stopped: the rotation goes


def hold_writer_lock(t):
    """A psql session holding the vault's writer lock until its COMMIT."""
    hold = subprocess.Popen([PSQL, "-X", "-q", "-A", "-t", "-d", store_url(t)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    hold.stdin.write(f"BEGIN;\nSELECT {WRITER_LOCK};\n\\echo held\n")
    hold.stdin.flush()
    while hold.stdout.readline().strip() != "held":
        pass
    return hold


def release(hold):
    hold.stdin.write("COMMIT;\n")
    hold.stdin.close()
    hold.wait()


# what the tests wait for is seen, not slept for: a loaded machine may take
# long, never this long
DEADLINE = 30


def wait_until(t, cond, what):
    end = time.monotonic() + DEADLINE
    while not cond():
        if time.monotonic() > end:
            t.ok(False, f"not seen in {DEADLINE} s: {what}")
        time.sleep(0.05)


def writers_waiting(t):
    """How many connections of the vault's servers wait for its writer lock:
    the lock's ungranted rows in pg_locks, joined to pg_stat_activity, where
    pdvault names a server's connections (pg_announce). Two connections of a
    server take that lock: its worker's, for the requests, and its delivery
    thread's, which claims the outbox every second (their syncers' never do).
    So n servers' requests all wait when 2n connections do."""
    return store_query(
        t, "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
          f" WHERE l.locktype = 'advisory' AND l.classid = {WRITER_KEY} AND NOT l.granted"
           " AND a.wait_event_type = 'Lock'"
           " AND a.application_name = 'pdvault-serve:' || left(current_schema(), 40)")[0][0]


def wait_writers(t, servers, what):
    wait_until(t, lambda: writers_waiting(t) >= 2 * servers,
               f"{what} (the vault's server connections waiting for the writer lock: "
               f"{writers_waiting(t)}, want {2 * servers}: each server's worker and delivery)")


def requests_read(srv):
    """How many of the server's connections hold a request it has read whole
    (bytes received, none left unread): one it has queued for its worker,
    while the worker waits for the lock (the request is queued as it is read,
    on the same thread)."""
    out = subprocess.run(["ss", "-Htni", "-O", "state", "established",
                          f"( sport = :{srv.port} )"],
                         check=True, capture_output=True, text=True).stdout
    return sum(1 for line in out.splitlines()
               if line.split()[0] == "0" and "bytes_received:" in line)


def wait_read(t, srv, n, what):
    wait_until(t, lambda: requests_read(srv) >= n,
               f"{what} (requests the server has read: {requests_read(srv)}, want {n})")


def one_group(t, srv, token, calls):
    """Each (name, call) in a thread of its own while the test holds the
    writer lock: the first is taken alone and waits for the lock, the others
    queue behind it, in their order, and make one group once it is released
    (the server's count of groups says so). The answers, by name."""
    answers = {}
    threads = []
    hold = hold_writer_lock(t)
    try:
        for name, call in calls:
            threads.append(threading.Thread(
                target=lambda n=name, c=call: answers.__setitem__(n, c())))
            threads[-1].start()
            if len(threads) == 1:
                wait_writers(t, 1, f"the server's group of {name!r} waits for the writer lock")
            else:
                wait_read(t, srv, len(threads), f"{name!r} is queued behind it")
        release(hold)
        hold = None
        for th in threads:
            th.join()
    finally:
        if hold:
            hold.kill()
    t.eq(metric(srv, token, "pdvault_commit_groups_total"), 2,
         "groups: the first request alone, then the others together")
    return answers


def metric(srv, token, name):
    st, _, out = srv.get("/metrics", token=token)
    assert st == 200, st
    for line in out.decode().splitlines():
        if line.startswith(name + " "):
            return int(line.split()[1])
    return 0  # a server that never runs a group again does not say so


@always_pg
def test_a_person_prepared_as_new_by_two_servers_at_once_is_one_person(t):
    """Each server prepares a submission (seals it, reads its person's lookups)
    before its group takes the writer lock. The test holds that lock while
    both servers prepare the same new person, so each takes her for new;
    the second to write finds her lookup taken, and its group is run again:
    both 201, one person holding both records, and the chain verifies."""
    a, b = Server(t), Server(t)
    b.log = os.path.join(t.tmp, "access-b.log")
    dpo = a.token("dpo", "alice")
    a.start("--rate", "0", env={"PDVAULT_SERVER_ID": "a"})
    answers = {}
    hold = None
    again_total = "pdvault_commit_groups_again_total"
    try:
        b.start("--rate", "0", env={"PDVAULT_SERVER_ID": "b"})
        # a server's first group reserves its ids in a transaction of its
        # own, under the writer lock, before it prepares anything: done here
        # (a read of /metrics is a group), so that the submissions' groups
        # wait for the lock with their person prepared
        again = -metric(a, dpo, again_total) - metric(b, dpo, again_total)
        hold = hold_writer_lock(t)

        def send(name, srv):
            answers[name] = submit(srv, "ana@example.org")
        threads = [threading.Thread(target=send, args=(n, s)) for n, s in (("a", a), ("b", b))]
        for th in threads:
            th.start()
        wait_writers(t, 2, "both servers' groups prepared ana and wait for the writer lock")
        release(hold)
        hold = None
        for th in threads:
            th.join()
        again += metric(a, dpo, again_total) + metric(b, dpo, again_total)
    finally:
        if hold:
            hold.kill()
        a.stop()
        b.stop()
    t.eq([answers[n][0] for n in ("a", "b")], [201, 201], "both submissions acknowledged")
    t.eq(again, 1, "the second server's group ran again, once")
    n, distinct = store_query(t, "SELECT count(*), count(DISTINCT subject_id) FROM records")[0]
    t.eq((n, distinct), (2, 1), "two records of one subject, whichever server wrote her first")
    p = a.cli("--json", "find", "--email", "ana@example.org")
    t.status(p, 0)
    t.eq(len(t.json(p)["subjects"]), 1, "found once")
    p = a.cli("--json", "--server-id", "a", "audit", "verify")
    t.status(p, 0)
    t.eq(t.json(p)["ok"], True, "the chain verifies")


@always_pg
def test_a_refusal_in_a_group_leaves_the_next_jobs_their_own_savepoints(t):
    """One group (the server's worker waits for the lock the test holds while
    they queue): a submission of a person who objected (refused inside its
    savepoint, answered with a decoy), a new person's submission, then a
    staff call refused after its transaction began. The refusal must undo
    its own job alone: the new person, answered 201, is in the store."""
    srv = Server(t)
    p = srv.cli("--json", "collect", "ai-challenge-offers", "--consent", "phone=+33612345678")
    t.status(p, 0)
    t.status(srv.cli("object", t.json(p)["subject"]), 0)
    dpo = srv.token("dpo", "alice")
    srv.start("--rate", "0")
    calls = [
        ("first", lambda: submit(srv, "first@example.org")),
        ("objected", lambda: srv.post("/v1/activities/ai-challenge-offers/submissions",
                                      {"fields": {"phone": "+33612345678"}, "consent": True})),
        ("new", lambda: submit(srv, "new@example.org")),
        ("refused", lambda: srv.post("/v1/subjects/sAAAAAAAAAAAAAAAAAAAAAA/objection", {},
                                     token=dpo)),
    ]
    try:
        answers = one_group(t, srv, dpo, calls)
    finally:
        srv.stop()
    t.eq({n: a[0] for n, a in answers.items()},
         {"first": 201, "objected": 201, "new": 201, "refused": 404},
         "the objected person gets her decoy, the staff call its refusal")
    t.ok(record_in_store(t, json.loads(answers["new"][2])["record"]),
         "the new person's record, answered 201, is in the store")
    p = srv.cli("--json", "audit", "verify")
    t.status(p, 0)
    t.eq(t.json(p)["ok"], True, "the chain verifies")


def psql(t, sql):
    subprocess.run([PSQL, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", store_url(t), "-c", sql],
                   check=True, capture_output=True)


@always_pg
def test_a_job_whose_write_fails_fails_alone_and_its_group_runs_again(t):
    """A group's first run sends PostgreSQL no savepoints and does not wait
    for its rows (docs/internals/store-pg.md, "Savepoints"): a job whose
    write fails cannot be undone alone there, so the group is rolled back
    and run again, each job's savepoint waited for. A trigger the test puts
    on the records refuses the contact form's; in one group with two quote
    requests, the contact fails plainly, both quotes are answered 201 and
    stored, the group ran again once, and the chain verifies."""
    srv = Server(t)
    dpo = srv.token("dpo", "alice")
    psql(t, "CREATE FUNCTION pdv_test_refuse() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'refused by the test''s trigger'; END $$; "
            "CREATE TRIGGER pdv_test_refuse BEFORE INSERT ON records FOR EACH ROW "
            "WHEN (NEW.activity = 'contact') EXECUTE FUNCTION pdv_test_refuse()")
    srv.start("--rate", "0")
    calls = [
        ("first", lambda: submit(srv, "first@example.org")),
        ("quote", lambda: submit(srv, "quote@example.org")),
        ("contact", lambda: submit(srv, "contact@example.org", "contact", consent=True)),
        ("last", lambda: submit(srv, "last@example.org")),
    ]
    try:
        answers = one_group(t, srv, dpo, calls)
        again = metric(srv, dpo, "pdvault_commit_groups_again_total")
    finally:
        srv.stop()
    got = {n: a[0] for n, a in answers.items()}
    t.eq({n: got[n] for n in ("first", "quote", "last")}, {"first": 201, "quote": 201, "last": 201},
         "the quotes of the contact's group are acknowledged")
    t.ok(got["contact"] in (500, 503), f"the contact form's submission fails: {answers['contact']}")
    for name in ("quote", "last"):
        t.ok(record_in_store(t, json.loads(answers[name][2])["record"]),
             f"the {name} request, answered 201, is in the store")
    t.eq(store_query(t, "SELECT count(*) FROM records WHERE activity = 'contact'")[0][0], 0,
         "no contact record")
    t.eq(again, 1, "the group ran again once")
    p = srv.cli("--json", "audit", "verify")
    t.status(p, 0)
    t.eq(t.json(p)["ok"], True, "the chain verifies")


@always_pg
def test_a_group_of_more_people_than_one_question_holds_is_prepared(t):
    """A server's group of 600 submissions, each with an email and a phone:
    1,200 blind indexes, more than the store answers in one question (1,024).
    The group's people are still read before the lock, in more than one
    question, so no new person waits under it for subject_insert_new's
    answer (the store's trace says which calls were made); every submission
    answered 201 is in the store."""
    n = 600
    srv = Server(t)
    srv.start("--rate", "0", "--max-connections-per-address", "0",
              env={"PDVAULT_STORE_TRACE": "1"})
    trace = []
    reader = threading.Thread(target=lambda: trace.extend(srv.proc.stderr))
    reader.start()
    answers = {}
    hold = None

    def send(i):
        answers[i] = srv.post("/v1/activities/ai-challenge/submissions",
                              {"fields": {"first_name": "Jo", "email": f"p{i}@example.org",
                                          "phone": f"+3361{i:07d}"},
                               "consent": True})
    threads = [threading.Thread(target=send, args=(i,)) for i in range(n + 1)]
    try:
        hold = hold_writer_lock(t)
        threads[0].start()  # taken alone: its group waits for the lock
        wait_writers(t, 1, "the first submission's group waits for the writer lock")
        for th in threads[1:]:  # queued meanwhile: the next group
            th.start()
        wait_read(t, srv, n + 1, f"the {n} others are queued behind it")
        release(hold)
        hold = None
        for th in threads:
            th.join()
    finally:
        if hold:
            hold.kill()
        if srv.proc.poll() is None:
            srv.proc.terminate()
        srv.proc.wait(timeout=30)
        reader.join()
    statuses = sorted({a[0] for a in answers.values()})
    t.eq((len(answers), statuses), (n + 1, [201]), "every submission acknowledged")
    t.eq(store_query(t, "SELECT count(*), count(DISTINCT subject_id) FROM records")[0],
         (n + 1, n + 1), "one record and one person each")
    calls = [line.decode("utf-8", "replace").split()[2] for line in trace
             if line.startswith(b"pdvault store: ")]
    t.ok(calls.count("lookups_known") >= 3,
         f"the big group's people asked about in two questions ({calls.count('lookups_known')})")
    waits = calls.count("subject_insert_new")
    t.ok(waits <= n // 10, f"no new person waits for subject_insert_new ({waits})")


def test_key_rotate_refuses_while_a_server_runs(t):
    srv = Server(t).start()
    try:
        t.eq(submit(srv, "before@example.org")[0], 201)
        p = srv.cli("--json", "key", "rotate")
        t.status(p, 1)
        t.eq(t.json(p)["error"]["code"], "refused")
        t.contains(p.err, "Stop every server")
        t.eq(submit(srv, "after@example.org")[0], 201, "the server goes on, under its key")
    finally:
        srv.stop()
    p = srv.cli("--json", "key", "rotate")
    t.status(p, 0)
    p = srv.cli("--json", "find", "--email", "after@example.org")
    t.status(p, 0)
    t.eq(len(t.json(p)["subjects"]), 1, "everything readable under the new key")
    srv.start()
    try:
        t.eq(submit(srv, "later@example.org")[0], 201, "a server on the new key")
    finally:
        srv.stop()


def test_migrate_refuses_a_source_a_server_uses(t):
    srv = Server(t).start()
    try:
        t.eq(submit(srv, "before@example.org")[0], 201)
        p = srv.cli("migrate", "--to", "sqlite:copy.db")
        t.status(p, 1)
        t.contains(p.err, "a pdvault server is using this vault")
        t.ok(not os.path.exists(os.path.join(t.tmp, "copy.db")), "nothing made")
    finally:
        srv.stop()
    p = srv.cli("--json", "migrate", "--to", "sqlite:copy.db")
    t.status(p, 0)
    t.eq(t.json(p)["rows"]["records"], 1, "the server stopped: the copy is made")


def codes_counted_across_servers(t):
    """--verify-per-email 3 on two servers of one vault, six requests for one
    address alternating between them, then one more after both restarted:
    three codes sent in all (each server's own count would have sent six,
    and a restart would have started over)."""
    a, b = Server(t), Server(t)
    b.log = os.path.join(t.tmp, "access-b.log")
    limit = ("--verify-per-email", "3")
    a.start(*limit, env={"PDVAULT_SERVER_ID": "a"})
    try:
        b.start(*limit, env={"PDVAULT_SERVER_ID": "b"})
        got = []
        for i in range(6):
            st, _, out = (a if i % 2 == 0 else b).post(
                "/v1/requests", {"kind": "access", "email": "ana@example.org"})
            got.append((st, sorted(json.loads(out))))
        t.eq(got, [(202, ["delivery", "expires_at", "verification"])] * 6,
             "the same answer from either server, past the limit too")
        st, _, _ = b.post("/v1/requests", {"kind": "access", "email": "bob@example.org"})
        t.eq(st, 202, "another address")
    finally:
        a.stop()
        b.stop()
    b.start(*limit, env={"PDVAULT_SERVER_ID": "b"})
    try:
        st, _, _ = b.post("/v1/requests", {"kind": "access", "email": "Ana@Example.org"})
        t.eq(st, 202, "after a restart")
    finally:
        b.stop()
    msgs = t.json(a.cli("--json", "outbox", "list"))["messages"]
    t.eq(len(msgs), 4, "three codes for ana across both servers and a restart, one for bob")
    entries = t.json(a.cli("--json", "audit", "log"))["entries"]
    t.eq(sum(e["action"] == "verification-limited" for e in entries), 4,
         "each refusal audited, whichever server refused it")
    t.eq(store_query(t, "SELECT count(*) FROM verify_sends"), [(4,)],
         "the store counts the four codes sent (an hour's worth is kept)")
    t.eq(store_query(t, "SELECT count(DISTINCT address_index) FROM verify_sends"), [(2,)],
         "by two blind indexes: the address itself is not kept")


def test_the_codes_sent_to_one_address_are_counted_across_servers(t):
    codes_counted_across_servers(t)


@always_pg
def test_the_codes_sent_to_one_address_are_counted_across_servers_on_postgresql(t):
    codes_counted_across_servers(t)
