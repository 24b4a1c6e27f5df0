"""The one way a test reaches the store behind pdvault's back: to look at what
was written (store_query, store_row, store_value, store_count, store_bytes)
or to damage it the way a tampering or crashed host would (store_exec,
store_set_version). Tests of the CLI and HTTP suites never open the store
themselves, so a second backend changes this file and no test.

The backend is picked from the test's store URL, as pdvault picks it from
--db / PDVAULT_DB: store_url(t) is t.store_url when the harness sets one,
else pdvault's default, sqlite:pdvault.db, which vault() and Server() use.

- sqlite:PATH: the file PATH, relative to the test's folder (the commands'
  working directory). Each call opens the file, does its work, commits and
  closes: nothing stays open across a pdvault command, and a read sees what
  the last command committed.
- postgresql://... (the harness's --backend pg: a schema per test on the
  run's throwaway server, t.pg): each call is one psql run
  (tests/lib/pgserver.py query, which turns "?" into bound psql variables),
  autocommitted; the version is the row of pdv_schema; store_bytes is every
  row of the schema's tables, as the server keeps them. The SQL the tests pass is written to run on
  both: "?" placeholders, no SQLite-only functions; store_path and
  store_before_0007 have no PostgreSQL meaning (a store file; a migration of
  SQLite's series) and raise NotImplementedError there.

A store that cannot be reached (missing, locked past the timeout) raises
StoreError, whatever the backend.
"""
import contextlib
import os
import sqlite3
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "lib"))
import pgserver  # noqa: E402

DEFAULT_URL = "sqlite:pdvault.db"
TIMEOUT = 5  # seconds a read waits for a writer's lock, as sqlite3's default


class StoreError(Exception):
    """The store could not be reached or refused the statement."""


def store_url(t):
    return getattr(t, "store_url", DEFAULT_URL)


def sqlite_only(fn):
    """Mark a test of the SQLite backend itself (its migration series, its query
    plans): the harness skips it, saying so, when the vaults are elsewhere."""
    fn.backends = ("sqlite",)
    return fn


def pg_only(fn):
    """Mark a test of the PostgreSQL backend itself (what a server does to its
    connections): skipped, saying so, when the vaults are SQLite files."""
    fn.backends = ("pg",)
    return fn


def always_pg(fn):
    """Mark a test of several servers on one PostgreSQL: it runs there on
    every run (the runner's PostgreSQL, started for it), never on a file."""
    fn.always_pg = True
    return fn


def store_is_file(t):
    """Whether the test's store is a file in its folder (SQLite)."""
    return _pg_url(t) is None


def _pg_url(t):
    url = store_url(t)
    return url if url.startswith(("postgresql://", "postgres://")) else None


def _pg(t, sql, args):
    try:
        return pgserver.query(_pg_url(t), sql, args)
    except pgserver.PgError as ex:
        raise StoreError(str(ex)) from ex


def _sqlite_path(t):
    url = store_url(t)
    if not url.startswith("sqlite:"):
        raise NotImplementedError(f"storelib: no backend for {url!r} yet")
    return os.path.join(t.tmp, url[len("sqlite:"):])


@contextlib.contextmanager
def _connect(t):
    # the postgresql: branch goes here (see the module's docstring)
    path = _sqlite_path(t)
    try:
        db = sqlite3.connect(path, timeout=TIMEOUT)
    except sqlite3.Error as ex:
        raise StoreError(f"{path}: {ex}") from ex
    try:
        yield db
        db.commit()
    except sqlite3.Error as ex:
        raise StoreError(f"{path}: {ex}") from ex
    finally:
        db.close()


def store_query(t, sql, *args):
    """Every row of a SELECT, as tuples."""
    if _pg_url(t):
        return _pg(t, sql, args)
    with _connect(t) as db:
        return db.execute(sql, args).fetchall()


def store_row(t, sql, *args):
    """The first row of a SELECT as a tuple, or None."""
    if _pg_url(t):
        rows = _pg(t, sql, args)
        return rows[0] if rows else None
    with _connect(t) as db:
        return db.execute(sql, args).fetchone()


def store_value(t, sql, *args):
    """The first column of the first row of a SELECT (a count, a max)."""
    return store_row(t, sql, *args)[0]


def store_count(t, table):
    """How many rows TABLE holds (a name from the tests, never from data)."""
    return store_value(t, f"SELECT count(*) FROM {table}")


def store_exec(t, sql, *args):
    """Run one statement and commit it: how a test damages the store."""
    if _pg_url(t):
        _pg(t, sql, args)
        return
    with _connect(t) as db:
        db.execute(sql, args)


def store_version(t):
    """The schema version the store's migrations reached."""
    if _pg_url(t):
        return store_value(t, "SELECT version FROM pdv_schema")
    return store_value(t, "PRAGMA user_version")


def store_set_version(t, version):
    """Say the store is at schema VERSION, as an older or newer pdvault leaves it."""
    if _pg_url(t):
        store_exec(t, "UPDATE pdv_schema SET version = ?", int(version))
        return
    store_exec(t, f"PRAGMA user_version = {int(version)}")


def store_bytes(t):
    """Everything the store holds, as bytes on disk: for checks that a value is
    never stored in clear. SQLite: the file (its write-ahead log too, when a
    command left one). PostgreSQL: every row of every table of the test's
    schema, as the server keeps them (COPY in binary: bytea and text as they
    are), not the server's files, whose WAL segments hold every test's
    ciphertext and so, by chance, any short needle."""
    if _pg_url(t):
        try:
            return pgserver.dump(_pg_url(t))
        except pgserver.PgError as ex:
            raise StoreError(str(ex)) from ex
    path = _sqlite_path(t)
    data = b""
    for p in (path, path + "-wal"):
        if os.path.exists(p):
            with open(p, "rb") as f:
                data += f.read()
    return data


def store_path(t):
    """The store's file, for the tests of a file-backed store (its mode, its
    place among the files of the folder)."""
    if _pg_url(t):
        raise NotImplementedError("storelib: a PostgreSQL store is no file")
    return _sqlite_path(t)


def store_before_0017(t):
    """Undo migration 0017 (the codes sent per address, --verify-per-email):
    on SQLite its 0017, on PostgreSQL its 0002 (the same table), the schema
    version set back to 16 or 1; nothing when it is undone already. The one
    undo helper that works on both backends: PostgreSQL's 0001 holds
    SQLite's 0001-0016."""
    if _pg_url(t):
        if store_value(t, "SELECT count(*) FROM information_schema.tables "
                          "WHERE table_schema = current_schema() "
                          "AND table_name = 'verify_sends'") == 0:
            return
        store_exec(t, "DROP TABLE verify_sends")
        store_set_version(t, 1)
        return
    if not store_query(t, "SELECT name FROM sqlite_master WHERE name = 'verify_sends'"):
        return
    store_exec(t, "DROP TABLE verify_sends")
    store_set_version(t, 16)


def store_before_0016(t):
    """Undo migration 0016 (deletion certificates and their signing keys)
    and the later ones; nothing when it is undone already."""
    store_before_0017(t)
    if not store_query(t, "SELECT name FROM sqlite_master WHERE name = 'certificates'"):
        return
    store_exec(t, "DROP TABLE certificates")
    store_exec(t, "DROP INDEX signing_keys_current")
    store_exec(t, "DROP TABLE signing_keys")


def store_before_0015(t):
    """Undo migration 0015 (cookie banner configurations and consent
    receipts) and the later ones; nothing when it is undone already."""
    store_before_0016(t)
    if not store_query(t, "SELECT name FROM sqlite_master WHERE name = 'cookie_receipts'"):
        return
    store_exec(t, "DROP TRIGGER cookie_receipts_append_only")
    store_exec(t, "DROP INDEX cookie_receipts_consent")
    store_exec(t, "DROP INDEX cookie_receipts_received")
    store_exec(t, "DROP TABLE cookie_receipts")
    store_exec(t, "DROP TABLE cookie_configs")


def store_before_0014(t):
    """Undo migration 0014 (a request's notes, what a rectification asks, when
    it was extended) and the later ones; nothing when it is undone already."""
    store_before_0015(t)
    if not store_query(t, "SELECT name FROM sqlite_master WHERE name = 'request_notes'"):
        return
    store_exec(t, "DROP INDEX requests_open_subject")
    store_exec(t, "DROP TABLE request_notes")
    store_exec(t, "ALTER TABLE requests DROP COLUMN rectification")
    store_exec(t, "ALTER TABLE requests DROP COLUMN extended_at")


BREACH_0013 = ("nature", "categories", "people_count", "records_count", "authority_reference",
               "recorded_at", "assessed_at", "subjects_notices", "subjects_unreachable")


def store_before_0013(t):
    """Undo migration 0013 (the breach register's Art. 33(3) items and its
    timeline) and the later ones; nothing when it is undone already."""
    store_before_0014(t)
    if not store_query(t, "SELECT name FROM pragma_table_info('breaches') WHERE name = 'nature'"):
        return
    for col in BREACH_0013:
        store_exec(t, f"ALTER TABLE breaches DROP COLUMN {col}")


def store_before_0012(t):
    """Undo migration 0012 (staff accounts, their sessions, when each token was
    last used) and the later ones; nothing when it is undone already."""
    store_before_0013(t)
    if not store_query(t, "SELECT name FROM sqlite_master WHERE name = 'staff'"):
        return
    store_exec(t, "DROP TABLE staff_sessions")
    store_exec(t, "DROP TABLE staff")
    store_exec(t, "ALTER TABLE tokens DROP COLUMN used_at")


def store_before_0011(t):
    """Undo migration 0011 (the outbox's once keys and request links) and the
    later ones; nothing when it is undone already."""
    store_before_0012(t)
    if not store_query(t, "SELECT name FROM pragma_table_info('outbox') WHERE name = 'once_key'"):
        return
    store_exec(t, "DROP INDEX outbox_once")
    store_exec(t, "DROP INDEX outbox_request")
    store_exec(t, "ALTER TABLE outbox DROP COLUMN once_key")
    store_exec(t, "ALTER TABLE outbox DROP COLUMN request_id")


def store_before_0010(t):
    """Undo migration 0010 (the person's language, renewal links, the breach
    texts of Art. 34(2)) and the later ones; nothing when it is undone already."""
    store_before_0011(t)
    if not store_query(t, "SELECT name FROM sqlite_master WHERE name = 'renewals'"):
        return
    store_exec(t, "DROP TABLE renewals")
    store_exec(t, "ALTER TABLE subjects DROP COLUMN lang")
    if store_query(t, "SELECT name FROM sqlite_master WHERE name = 'verifications'"):
        store_exec(t, "ALTER TABLE verifications DROP COLUMN lang")
    for col in ("consequences", "measures"):
        store_exec(t, f"ALTER TABLE breaches DROP COLUMN {col}")


def store_before_0007(t):
    """Make the store's schema what version 6 made: the outbox without its
    delivery columns, no recipient secrets (migration 0007 undone, and the
    later ones that touch what it made)."""
    if _pg_url(t):
        raise NotImplementedError("storelib: PostgreSQL's series starts past 0007")
    store_before_0010(t)
    store_exec(t, "DROP INDEX outbox_message_id")
    store_exec(t, "DROP INDEX outbox_due")
    for col in ("message_id", "status", "next_at", "lease_owner", "lease_until", "lang",
                "last_error"):
        store_exec(t, f"ALTER TABLE outbox DROP COLUMN {col}")
    store_exec(t, "DROP TABLE recipient_secrets")
