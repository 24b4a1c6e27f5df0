"""The browser suite runs on Debian 12's nodejs (18): playwright-core is pinned
to a release whose engines accept Node 18.19, package.json and the lock agree,
and tools/browser-deps.sh refuses an older node with a message that says so."""
import json
import os
import re
import subprocess


def locked(t):
    with open(t.path("tests/browser/package-lock.json")) as f:
        return json.load(f)["packages"]["node_modules/playwright-core"]


def accepts(engines, version):
    m = re.fullmatch(r">=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?", engines.strip())
    return bool(m) and tuple(int(x or 0) for x in m.groups()) <= version


def test_locked_playwright_accepts_debian_12_node(t):
    pkg = locked(t)
    t.ok(accepts(pkg["engines"]["node"], (18, 19, 0)),
         f"playwright-core {pkg['version']} engines {pkg['engines']['node']!r} accept Node 18.19")
    with open(t.path("tests/browser/package.json")) as f:
        pinned = json.load(f)["dependencies"]["playwright-core"]
    t.eq(pinned, pkg["version"], "package.json pins exactly the locked version")


def test_browser_deps_refuses_an_older_node_clearly(t):
    fake = os.path.join(t.tmp, "bin")
    os.mkdir(fake)
    node = os.path.join(fake, "node")
    with open(node, "w") as f:
        f.write("#!/bin/sh\necho v16.20.2\n")
    os.chmod(node, 0o755)
    env = dict(os.environ, PATH=fake + os.pathsep + os.environ["PATH"])
    p = subprocess.run([t.path("tools/browser-deps.sh")], env=env, capture_output=True,
                       text=True, timeout=60)
    t.eq(p.returncode, 1, "refused")
    t.contains(p.stderr, "v16.20.2")
    t.contains(p.stderr, "node >=18")


def test_axe_core_is_pinned_and_locked(t):
    with open(t.path("tests/browser/package-lock.json")) as f:
        pkg = json.load(f)["packages"]["node_modules/axe-core"]
    with open(t.path("tests/browser/package.json")) as f:
        pinned = json.load(f)["dependencies"]["axe-core"]
    t.eq(pinned, pkg["version"], "package.json pins exactly the locked axe-core")
    t.ok(pkg.get("integrity", "").startswith("sha512-"), "the lock holds its integrity hash")
    t.ok(accepts(pkg["engines"]["node"], (18, 19, 0)), "axe-core runs on Node 18.19")
    script = open(t.path("tools/browser-deps.sh")).read()
    t.contains(script, "package-lock.json", "browser-deps.sh installs from the lock")
