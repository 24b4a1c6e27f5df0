#!/usr/bin/env python3
"""Run pdvault's suites and end with the line "N passed, N failed".

    tests/run.py [--build DIR] [--suites unit,cli,http,browser]

unit:    every cmocka executable in DIR/tests/unit (each test case counts);
cli:     tests/cli/test_*.py, which drive the real binary DIR/src/cli/pdvault;
http:    tests/http/test_*.py, the same harness (tests/cli/harness.py) on a
         real `pdvault serve` driven over HTTP;
browser: tests/browser/run.mjs, the web UI in headless Chromium against a real
         `pdvault serve` (each "ok" or "FAILED" line counts).
"""
import argparse
import glob
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_unit(build):
    passed = failed = 0
    exes = sorted(glob.glob(os.path.join(build, "tests", "unit", "test-*")))
    exes = [e for e in exes if os.access(e, os.X_OK) and not e.endswith(".p")]
    if not exes:
        print("unit: no test executables in", build, file=sys.stderr)
        return 0, 1
    for exe in exes:
        name = os.path.basename(exe)
        t0 = time.monotonic()
        env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT="stdout")
        p = subprocess.run([exe], cwd=ROOT, env=env, capture_output=True, text=True,
                           errors="replace", timeout=600)
        out = p.stdout + p.stderr
        ok = re.search(r"\[  PASSED  \] (\d+) test", out)
        bad = re.search(r"\[  FAILED  \] (\d+) test", out)
        np_ = int(ok.group(1)) if ok else 0
        nf = int(bad.group(1)) if bad else 0
        if p.returncode != 0 and nf == 0:
            nf = 1  # crashed, or a sanitizer stopped it
        if np_ == 0 and nf == 0:
            nf = 1  # an executable that ran no test is a failure
        passed += np_
        failed += nf
        status = "ok" if nf == 0 else "FAILED"
        print(f"unit {name}: {np_} passed, {nf} failed ({time.monotonic() - t0:.1f}s) {status}")
        if nf:
            sys.stdout.write(out[-6000:])
    return passed, failed


def run_cli(build):
    sys.path.insert(0, os.path.join(ROOT, "tests", "cli"))
    import harness  # noqa: E402

    return harness.run_all(os.path.abspath(build), ROOT)


def run_http(build):
    # the harness is the CLI suite's; the modules import each other by name
    # (test_access uses test_server's Server), hence tests/http on the path
    sys.path.insert(0, os.path.join(ROOT, "tests", "cli"))
    sys.path.insert(0, os.path.join(ROOT, "tests", "http"))
    import harness  # noqa: E402

    return harness.run_all(os.path.abspath(build), ROOT, os.path.join(ROOT, "tests", "http"),
                           "http")


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
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--suites", default="unit,cli,http")
    args = ap.parse_args()
    build = os.path.join(ROOT, args.build) if not os.path.isabs(args.build) else args.build
    total_p = total_f = 0
    for suite in args.suites.split(","):
        if suite == "unit":
            p, f = run_unit(build)
        elif suite == "cli":
            p, f = run_cli(build)
        elif suite == "http":
            p, f = run_http(build)
        elif suite == "browser":
            p, f = run_browser(build)
        else:
            sys.exit(f"unknown suite {suite}")
        total_p += p
        total_f += f
    print(f"{total_p} passed, {total_f} failed")
    sys.exit(0 if total_f == 0 else 1)


main()
