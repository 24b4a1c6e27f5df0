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
- postgresql://...: not written yet. Its branch goes in _connect (a Python
  driver, or psql -At for the reads), _version and _set_version (the
  migration table instead of PRAGMA user_version), and store_bytes (a
  pg_dump of the database). The SQL the tests pass is written to run on both:
  "?" placeholders (the branch turns them into the driver's), no
  SQLite-only functions; store_path is the only call with no PostgreSQL
  meaning, and the tests using it check a store file.

A store that cannot be reached (missing, locked past the timeout) raises
StoreError, whatever the backend.
"""
import contextlib
import os
import sqlite3

DEFAULT_URL = "sqlite:pdvault.db"
TIMEOUT = 5  # seconds a read waits for a writer's lock, as sqlite3's default


class StoreError(Exception):
    """The store could not be reached or refused the statement."""


def store_url(t):
    return getattr(t, "store_url", DEFAULT_URL)


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
    with _connect(t) as db:
        return db.execute(sql, args).fetchall()


def store_row(t, sql, *args):
    """The first row of a SELECT as a tuple, or None."""
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
    with _connect(t) as db:
        db.execute(sql, args)


def store_version(t):
    """The schema version the store's migrations reached."""
    return store_value(t, "PRAGMA user_version")


def store_set_version(t, version):
    """Say the store is at schema VERSION, as an older or newer pdvault leaves it."""
    store_exec(t, f"PRAGMA user_version = {int(version)}")


def store_bytes(t):
    """Everything the store holds, as bytes on disk: for checks that a value is
    never stored in clear. SQLite: the file (its write-ahead log too, when a
    command left one)."""
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
    return _sqlite_path(t)


def store_before_0016(t):
    """Undo migration 0016 (deletion certificates and their signing keys);
    nothing when it is undone already."""
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
    store_before_0010(t)
    store_exec(t, "DROP INDEX outbox_message_id")
    store_exec(t, "DROP INDEX outbox_due")
    for col in ("message_id", "status", "next_at", "lease_owner", "lease_until", "lang",
                "last_error"):
        store_exec(t, f"ALTER TABLE outbox DROP COLUMN {col}")
    store_exec(t, "DROP TABLE recipient_secrets")
