#!/usr/bin/env python3
"""Run pdvault's suites and end with the line "N passed, N failed".

    tests/run.py [--build DIR] [--suites unit,cli,http,browser] [--backend sqlite|pg]

unit:    every cmocka executable in DIR/tests/unit (each test case counts);
cli:     tests/cli/test_*.py, which drive the real binary DIR/src/cli/pdvault;
http:    tests/http/test_*.py, the same harness (tests/cli/harness.py) on a
         real `pdvault serve` driven over HTTP;
browser: tests/browser/run.mjs, the web UI in headless Chromium against a real
         `pdvault serve` (each "ok" or "FAILED" line counts).

PostgreSQL (docs/internals/store-pg.md): the unit suite runs the store's
contract tests (test-store) a second time against a throwaway PostgreSQL 15
(tests/lib/pgserver.py), started once for the run and stopped at its end,
whatever happens. --backend pg (make check BACKEND=pg) puts every CLI and
HTTP test's vault on that server too: a schema per test, PDVAULT_DB set by
the harness.
"""
import argparse
import atexit
import glob
import os
import re
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "lib"))
import pgserver  # noqa: E402

# the contract tests the PostgreSQL backend does not pass yet, as a cmocka
# pattern (docs/internals/store-pg.md, "Not done yet"), printed with the run;
# none today
PG_UNIT_SKIP = ""
# ... and the CLI and HTTP tests (a regex of "module.function", or None)
PG_SUITE_SKIP = None
_pg = None


def pg_server():
    """The run's PostgreSQL, started at its first use, stopped at exit."""
    global _pg
    if _pg is None:
        t0 = time.monotonic()
        _pg = pgserver.PgServer()
        atexit.register(_pg.stop)
        _pg.start()
        print(f"postgresql: started on port {_pg.port} ({time.monotonic() - t0:.1f}s)")
    return _pg


def pg_any():
    """The run's PostgreSQL for the tests that always use it (storelib.always_pg),
    or None when this machine has none."""
    if not pgserver.available():
        return None
    try:
        return pg_server()
    except pgserver.PgError as ex:
        print(f"postgresql: cannot start ({ex})")
        return None


def run_unit_exe(exe, name, env):
    t0 = time.monotonic()
    env = dict(env, CMOCKA_MESSAGE_OUTPUT="stdout")
    p = subprocess.run([exe], cwd=ROOT, env=env, capture_output=True, text=True,
                       errors="replace", timeout=600)
    out = p.stdout + p.stderr
    ok = re.search(r"\[  PASSED  \] (\d+) test", out)
    bad = re.search(r"\[  FAILED  \] (\d+) test", out)
    skipped = re.search(r"\[  SKIPPED \] (\d+) test", out)
    np_ = int(ok.group(1)) if ok else 0
    nf = int(bad.group(1)) if bad else 0
    if p.returncode != 0 and nf == 0:
        nf = 1  # crashed, or a sanitizer stopped it
    if np_ == 0 and nf == 0:
        nf = 1  # an executable that ran no test is a failure
    status = "ok" if nf == 0 else "FAILED"
    extra = f", {skipped.group(1)} skipped" if skipped else ""
    print(f"unit {name}: {np_} passed, {nf} failed{extra} ({time.monotonic() - t0:.1f}s) "
          f"{status}")
    if nf:
        sys.stdout.write(out[-6000:])
    return np_, nf


def run_unit_pg(build):
    """The store's contract tests on PostgreSQL (a schema of the run's server)."""
    exe = os.path.join(build, "tests", "unit", "test-store")
    if not os.access(exe, os.X_OK):
        return 0, 0
    try:
        url = pg_server().new_store("unit_store")
    except pgserver.PgError as ex:
        print(f"unit test-store[postgresql]: FAILED to start PostgreSQL: {ex}")
        return 0, 1
    if PG_UNIT_SKIP:
        print(f"unit test-store[postgresql]: not yet on PostgreSQL, skipped: {PG_UNIT_SKIP}")
    return run_unit_exe(exe, "test-store[postgresql]",
                        dict(os.environ, PDVAULT_TEST_STORE_URL=url,
                             PDVAULT_TEST_STORE_SKIP=PG_UNIT_SKIP))


def run_unit(build):
    passed = failed = 0
    exes = sorted(glob.glob(os.path.join(build, "tests", "unit", "test-*")))
    exes = [e for e in exes if os.access(e, os.X_OK) and not e.endswith(".p")]
    if not exes:
        print("unit: no test executables in", build, file=sys.stderr)
        return 0, 1
    for exe in exes:
        np_, nf = run_unit_exe(exe, os.path.basename(exe), os.environ)
        passed += np_
        failed += nf
    np_, nf = run_unit_pg(build)
    passed += np_
    failed += nf
    return passed, failed


def run_cli(build, pg=None):
    sys.path.insert(0, os.path.join(ROOT, "tests", "cli"))
    import harness  # noqa: E402

    return harness.run_all(os.path.abspath(build), ROOT, pg=pg, skip_pg=PG_SUITE_SKIP,
                           pg_any=pg_any)


def run_http(build, pg=None):
    # the harness is the CLI suite's; the modules import each other by name
    # (test_access uses test_server's Server), hence tests/http on the path
    sys.path.insert(0, os.path.join(ROOT, "tests", "cli"))
    sys.path.insert(0, os.path.join(ROOT, "tests", "http"))
    import harness  # noqa: E402

    return harness.run_all(os.path.abspath(build), ROOT, os.path.join(ROOT, "tests", "http"),
                           "http", pg=pg, skip_pg=PG_SUITE_SKIP, pg_any=pg_any)


def run_browser(build):
    here = os.path.join(ROOT, "tests", "browser")
    pdvault = os.path.join(build, "src", "cli", "pdvault")
    t0 = time.monotonic()
    p = subprocess.run(["node", "run.mjs", pdvault], cwd=here, capture_output=True, text=True,
                       errors="replace", timeout=900)
    out = p.stdout + p.stderr
    passed = len(re.findall(r"^ok ", out, re.M))
    failed = len(re.findall(r"^FAILED ", out, re.M))
    if p.returncode != 0 and failed == 0:
        failed = 1  # it stopped before its checks
    if passed == 0 and failed == 0:
        failed = 1
    print(f"browser run.mjs: {passed} passed, {failed} failed ({time.monotonic() - t0:.1f}s) "
          f"{'ok' if failed == 0 else 'FAILED'}")
    if failed:
        sys.stdout.write(out[-6000:])
    return passed, failed


def main():
    # a run stopped by SIGTERM still stops its PostgreSQL (atexit)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--suites", default="unit,cli,http")
    ap.add_argument("--backend", default="sqlite", choices=("sqlite", "pg"),
                    help="the store of the CLI and HTTP tests' vaults")
    args = ap.parse_args()
    build = os.path.join(ROOT, args.build) if not os.path.isabs(args.build) else args.build
    total_p = total_f = 0
    for suite in args.suites.split(","):
        if suite == "unit":
            p, f = run_unit(build)
        elif suite == "cli":
            p, f = run_cli(build, pg_server() if args.backend == "pg" else None)
        elif suite == "http":
            p, f = run_http(build, pg_server() if args.backend == "pg" else None)
        elif suite == "browser":
            p, f = run_browser(build)
        else:
            sys.exit(f"unknown suite {suite}")
        total_p += p
        total_f += f
    print(f"{total_p} passed, {total_f} failed")
    if _pg:
        _pg.stop()
    sys.exit(0 if total_f == 0 else 1)


main()
