#!/bin/sh
# What the browser tests need: Debian's chromium, node and npm (installed
# only when the command is missing: a node from elsewhere is kept), then
# playwright-core, axe-core (the accessibility check of every page) and the
# cookie banners (tarteaucitronjs, klaro, orejime, vanilla-cookieconsent) from
# the npm registry, as locked in tests/browser.
#
# The installed node must satisfy the engines of the locked playwright-core
# (Debian 12's nodejs is 18, which is why the lock pins the 1.61 line): a node
# that does not is refused here with what to do, not by a failure inside the
# suite.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
lock="$here/tests/browser/package-lock.json"
need=""
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need="$need chromium"
command -v node >/dev/null 2>&1 || need="$need nodejs"
command -v npm >/dev/null 2>&1 || need="$need npm"
[ -z "$need" ] || "$here/tools/deps.sh" $need
python3 - "$lock" "$(node --version)" <<'PY'
import json, re, sys
lock, node = sys.argv[1], sys.argv[2]
pkg = json.load(open(lock))["packages"]["node_modules/playwright-core"]
want = pkg.get("engines", {}).get("node", "")
m = re.fullmatch(r">=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?", want.strip())
if not m:
    sys.exit(f"tests/browser/package-lock.json: playwright-core {pkg['version']} asks for node "
             f"{want!r}, a range this check does not read (expected >=X.Y.Z)")
have = re.match(r"v?(\d+)\.(\d+)\.(\d+)", node)
need = tuple(int(x or 0) for x in m.groups())
if not have or tuple(map(int, have.groups())) < need:
    sys.exit(f"the browser tests need node {want} (playwright-core {pkg['version']}, locked in "
             f"tests/browser/package-lock.json); this node is {node.strip()}: install a newer "
             f"nodejs, or run the other suites (make check SUITES=unit,cli)")
PY
# every package the lock pins (playwright-core, axe-core and the four cookie
# banners of tests/browser/cookies.mjs), installed at its locked version, else npm ci
stale=$(python3 - "$lock" "$here/tests/browser" <<'PY'
import json, os, sys
lock, root = sys.argv[1], sys.argv[2]
for name, pkg in json.load(open(lock))["packages"].items():
    # nested copies are npm's business; optional ones are for other platforms
    if (not name.startswith("node_modules/") or "/node_modules/" in name[len("node_modules/"):]
            or pkg.get("optional")):
        continue
    try:
        have = json.load(open(os.path.join(root, name, "package.json")))["version"]
    except OSError:
        have = None
    if have != pkg.get("version"):
        print(name)
        break
PY
)
if [ -n "$stale" ]; then
	(cd "$here/tests/browser" && npm ci --no-audit --no-fund --loglevel=error)
fi
