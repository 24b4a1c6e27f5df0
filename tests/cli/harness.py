"""A small harness for the CLI suite: each tests/cli/test_*.py module has
functions test_NAME(t); t runs the real pdvault binary in a temporary working
directory and checks what a user sees (stdout, stderr, exit status, files).

The backend parameter: run_all(..., pg=SERVER) (tests/run.py --backend pg)
gives each test a vault of its own on that PostgreSQL (a schema, dropped
after the test): t.store_url is its URL, and every pdvault the test starts
gets it as PDVAULT_DB (t.child_env) unless the test names a store itself.
"""
import glob
import importlib.util
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import traceback


class Failure(Exception):
    pass


class T:
    def __init__(self, build, root):
        self.build = build
        self.root = root
        self.pdvault = os.path.join(build, "src", "cli", "pdvault")
        self.tmp = tempfile.mkdtemp(prefix="pdvault-cli-")

    def close(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def path(self, rel):
        """A path in the source tree."""
        return os.path.join(self.root, rel)

    def write(self, name, data, mode="w"):
        p = os.path.join(self.tmp, name)
        with open(p, mode) as f:
            f.write(data)
        return p

    def child_env(self, env=None):
        """The environment of a pdvault the test starts: none of the runner's
        PDVAULT_ variables, the test's store (PDVAULT_DB) when the harness
        gives one, then env."""
        e = {k: v for k, v in os.environ.items() if not k.startswith("PDVAULT_")}
        if getattr(self, "store_url", None):
            e["PDVAULT_DB"] = self.store_url
        e.update(env or {})
        return e

    def run(self, *args, env=None, stdin=None, timeout=60, cwd=None):
        e = self.child_env(env)
        p = subprocess.run([self.pdvault, *args], cwd=cwd or self.tmp, env=e,
                           input=stdin, capture_output=True, timeout=timeout)
        p.out = p.stdout.decode("utf-8", "replace")
        p.err = p.stderr.decode("utf-8", "replace")
        return p

    def json(self, p):
        try:
            return json.loads(p.out)
        except ValueError as ex:
            raise Failure(f"stdout is not one JSON document ({ex}): {p.out[:300]!r}")

    def eq(self, got, want, what=""):
        if got != want:
            raise Failure(f"{what}: got {got!r}, want {want!r}")

    def ok(self, cond, what):
        if not cond:
            raise Failure(what)

    def status(self, p, want):
        if p.returncode != want:
            raise Failure(f"exit status {p.returncode}, want {want}\nstdout: {p.out[-1500:]}\n"
                          f"stderr: {p.err[-1500:]}")

    def contains(self, text, needle, what="output"):
        if needle not in text:
            raise Failure(f"{what} lacks {needle!r}: {text[-1500:]!r}")

    def lacks(self, text, needle, what="output"):
        if needle in text:
            raise Failure(f"{what} contains {needle!r}")


def run_all(build, root, here=None, suite="cli", pg=None, skip_pg=None, pg_any=None):
    """Run the test_*.py modules of the folder here (default: tests/cli; the
    HTTP suite's is tests/http), each result printed as "<suite> module.function";
    pg: a tests/lib/pgserver.py server each test's vault goes on; then the
    tests marked storelib.sqlite_only, and those skip_pg (a compiled regex)
    matches, are skipped, each named. pg_any: a callable giving a PostgreSQL
    server (started on first use) for the tests marked storelib.always_pg,
    which run on PostgreSQL whatever the backend of the run."""
    passed = failed = 0
    n = 0
    here = here or os.path.dirname(os.path.abspath(__file__))
    # TESTS=REGEX runs only the tests whose "module.function" name matches
    only = re.compile(os.environ["TESTS"]) if os.environ.get("TESTS") else None
    for path in sorted(glob.glob(os.path.join(here, "test_*.py"))):
        name = os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(name, path)
        mod = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(mod)
        except Exception:  # a module that does not load is a failure, not a crash
            failed += 1
            print(f"{suite} {name}: FAILED to load\n    {traceback.format_exc().strip()}")
            continue
        for fn_name in sorted(n for n in dir(mod) if n.startswith("test_")):
            if only and not only.search(f"{name}.{fn_name}"):
                continue
            fn = getattr(mod, fn_name)
            if pg and "pg" not in getattr(fn, "backends", ("pg",)):
                print(f"{suite} {name}.{fn_name}: skipped (a test of the SQLite backend)")
                continue
            if not pg and "sqlite" not in getattr(fn, "backends", ("sqlite",)):
                print(f"{suite} {name}.{fn_name}: skipped (a test of the PostgreSQL backend: "
                      f"make check BACKEND=pg)")
                continue
            if pg and skip_pg and skip_pg.search(f"{name}.{fn_name}"):
                print(f"{suite} {name}.{fn_name}: skipped (not yet on PostgreSQL)")
                continue
            server = pg
            if getattr(fn, "always_pg", False) and not pg:
                server = pg_any() if pg_any else None
                if not server:
                    print(f"{suite} {name}.{fn_name}: skipped (needs PostgreSQL, not here)")
                    continue
            t = T(build, root)
            t0 = time.monotonic()
            n += 1
            schema = f"{suite}_{n}"
            try:
                if server:
                    t.store_url = server.new_store(schema)
                fn(t)
                passed += 1
                print(f"{suite} {name}.{fn_name}: ok ({time.monotonic() - t0:.2f}s)")
            except Exception as ex:  # a failing test must not stop the suite
                failed += 1
                detail = str(ex) if isinstance(ex, Failure) else traceback.format_exc()
                print(f"{suite} {name}.{fn_name}: FAILED\n    {detail.strip()}")
            finally:
                t.close()
                if server:
                    server.drop_store(schema)
    return passed, failed
