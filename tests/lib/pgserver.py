#!/usr/bin/env python3
"""A throwaway PostgreSQL 15 for the tests, on loopback (Debian's postgresql).

    server = PgServer(); server.start()
    url = server.new_store("t_1")     # a schema of its own, its URL
    ...
    server.stop()                     # always: a finally, or `with PgServer() as s`

start() runs initdb in a temporary folder (as the unprivileged `postgres`
user through runuser when run as root, as the current user otherwise),
starts the server with pg_ctl on a free loopback port with its socket in
that folder, and makes one database, "pdvault". Each test's vault is a
schema of that database: new_store(name) makes it and returns the URL
pdvault takes (--db / PDVAULT_DB), "postgresql://postgres@127.0.0.1:PORT/
pdvault?options=-csearch_path%3DNAME"; a schema costs a few milliseconds
where a database costs a copy of its template. stop() stops the server
(immediate mode: nothing of it is kept) and removes the folder; it runs at
exit too, so an exception or a failed test never leaves a server behind.

The server trusts loopback connections (no password) and runs with
fsync=off: it is thrown away, and no suite tests a power loss. pdvault
still asks for synchronous_commit=on on every connection.

query(url, sql, args) runs one statement through psql (there is no Python
driver on a fresh Debian): "?" placeholders take args in order (bytes as
bytea, None as NULL, anything else as a quoted literal whose type the
column decides); a SELECT's rows come back as tuples, bytea as bytes.
dump(url) is every row of a store, as bytes (for "no value in clear").

As a script: `pgserver.py [--durable]` starts one, prints its URL base, and
stops it on Enter or at the end of its input (for trying pdvault by hand,
and for bench/bench-pg.sh, which wants fsync on: --durable).
"""
import atexit
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time

BIN = "/usr/lib/postgresql/15/bin"
DATABASE = "pdvault"
USER = "postgres"


class PgError(Exception):
    """The server could not be started, or refused a statement."""


def available():
    """Whether Debian's PostgreSQL 15 server is installed."""
    return os.access(os.path.join(BIN, "pg_ctl"), os.X_OK)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    def __init__(self, durable=False):
        """durable: fsync and full page writes on, as a real server runs
        (bench/bench-pg.sh); the tests' server runs without them."""
        self.durable = durable
        self.dir = None
        self.port = None
        self.proc_user = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()

    def _as_server(self, argv, **kw):
        """Run a server program as the unprivileged user (runuser when root)."""
        if self.proc_user:
            argv = ["runuser", "-u", self.proc_user, "--"] + argv
        return subprocess.run(argv, capture_output=True, text=True, **kw)

    def start(self):
        if not available():
            raise PgError(f"PostgreSQL 15 is not installed ({BIN}); make deps installs it")
        self.dir = tempfile.mkdtemp(prefix="pdvault-pg-")
        atexit.register(self.stop)
        data = os.path.join(self.dir, "data")
        if os.geteuid() == 0:
            # initdb refuses root: the server runs as the postgres user
            self.proc_user = USER
            shutil.chown(self.dir, USER)
        p = self._as_server([os.path.join(BIN, "initdb"), "-D", data, "-U", USER,
                             "--auth=trust", "--no-locale", "-E", "UTF8", "--no-sync"])
        if p.returncode != 0:
            raise PgError(f"initdb failed: {p.stderr[-800:]}")
        for _ in range(5):  # a port taken meanwhile: try another
            self.port = _free_port()
            sync = "on" if self.durable else "off"
            opts = (f"-c listen_addresses=127.0.0.1 -p {self.port} "
                    f"-c unix_socket_directories={self.dir} -c fsync={sync} "
                    f"-c full_page_writes={sync} -c max_connections=200")
            p = self._as_server([os.path.join(BIN, "pg_ctl"), "-D", data, "-o", opts, "-w",
                                 "-t", "30", "-l", os.path.join(self.dir, "log"), "start"])
            if p.returncode == 0:
                break
        else:
            raise PgError(f"pg_ctl start failed: {self.log_tail()}")
        self.psql(f"CREATE DATABASE {DATABASE}", database="postgres")
        return self

    def log_tail(self):
        try:
            with open(os.path.join(self.dir, "log")) as f:
                return f.read()[-1500:]
        except OSError:
            return "(no log)"

    def stop(self):
        if not self.dir:
            return
        data = os.path.join(self.dir, "data")
        if os.path.exists(os.path.join(data, "postmaster.pid")):
            self._as_server([os.path.join(BIN, "pg_ctl"), "-D", data, "-m", "immediate",
                             "-w", "stop"])
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None

    def url(self, schema=None):
        base = f"postgresql://{USER}@127.0.0.1:{self.port}/{DATABASE}"
        return base + (f"?options=-csearch_path%3D{schema}" if schema else "")

    def psql(self, sql, database=DATABASE):
        p = subprocess.run([os.path.join(BIN, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                            "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, "-d", database,
                            "-c", sql], capture_output=True, text=True)
        if p.returncode != 0:
            raise PgError(p.stderr.strip())
        return p.stdout

    def new_store(self, name):
        """A fresh schema NAME (dropped first if a run left one) and its URL."""
        self.psql(f"DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}")
        return self.url(name)

    def drop_store(self, name):
        self.psql(f"DROP SCHEMA IF EXISTS {name} CASCADE")


def _literal(i, v):
    if v is None:
        return "NULL", None
    if isinstance(v, (bytes, bytearray)):
        return f"decode(:'p{i}', 'hex')", bytes(v).hex()
    if isinstance(v, bool):
        v = int(v)
    return f":'p{i}'", str(v)


def _value(v):
    if isinstance(v, str) and v.startswith("\\x"):
        try:
            return bytes.fromhex(v[2:])
        except ValueError:
            return v
    return v


def query(url, sql, args=()):
    """Run one statement on the store at url; a SELECT's rows as tuples."""
    parts = sql.split("?")
    if len(parts) - 1 != len(args):
        raise PgError(f"{len(parts) - 1} placeholders, {len(args)} values")
    text, variables = parts[0], []
    for i, (v, rest) in enumerate(zip(args, parts[1:])):
        lit, val = _literal(i, v)
        text += lit + rest
        if val is not None:
            variables += ["-v", f"p{i}={val}"]
    select = text.lstrip().split(None, 1)[0].upper() in ("SELECT", "WITH", "VALUES")
    if select:
        # json keeps the columns' order (json_agg of the rows, not jsonb)
        text = f"SELECT coalesce(json_agg(q), '[]') FROM ({text.rstrip().rstrip(';')}) q"
    p = subprocess.run([os.path.join(BIN, "psql"), "-X", "-q", "-A", "-t", "-v",
                        "ON_ERROR_STOP=1", *variables, "-d", url],
                       input=text + ";\n", capture_output=True, text=True, timeout=30)
    if p.returncode != 0:
        raise PgError(p.stderr.strip())
    if not select:
        return []
    rows = json.loads(p.stdout, object_pairs_hook=lambda pairs: tuple(v for _, v in pairs))
    return [tuple(_value(v) for v in row) for row in rows]


def dump(url):
    """Every row of every table of the store at url (its schema), as the bytes
    the server keeps: COPY's binary format, bytea and text as they are."""
    tables = [r[0] for r in query(url, "SELECT tablename FROM pg_tables "
                                       "WHERE schemaname = current_schema() ORDER BY 1")]
    data = b""
    for name in tables:
        p = subprocess.run([os.path.join(BIN, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
                            "-d", url, "-c", f'COPY "{name}" TO STDOUT (FORMAT binary)'],
                           capture_output=True, timeout=60)
        if p.returncode != 0:
            raise PgError(p.stderr.decode(errors="replace").strip())
        data += p.stdout
    return data


if __name__ == "__main__":
    import sys
    # --durable: fsync on (bench/bench-pg.sh); stops on Enter or end of input
    with PgServer(durable="--durable" in sys.argv[1:]) as s:
        print(s.url(), flush=True)
        try:
            input("press Enter to stop the server\n")
        except EOFError:
            pass
