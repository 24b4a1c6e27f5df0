"""`meson install` puts pdvault in place: the binary, a man page per command
(every page of docs/man/), the documentation and the example declaration,
which the installed binary lints without error."""
import glob
import json
import os
import subprocess


def install(t):
    """Install the build into a temporary DESTDIR; the prefix it used."""
    dest = os.path.join(t.tmp, "dest")
    p = subprocess.run(["meson", "install", "-C", t.build, "--no-rebuild", "--destdir", dest],
                       capture_output=True, text=True, timeout=300)
    t.ok(p.returncode == 0, f"meson install failed: {p.stdout[-1500:]}{p.stderr[-1500:]}")
    opts = json.loads(subprocess.run(["meson", "introspect", "--buildoptions", t.build],
                                     capture_output=True, text=True, check=True).stdout)
    val = {o["name"]: o["value"] for o in opts}
    return dest + val["prefix"], val


def test_meson_install_puts_everything_in_place(t):
    root, opts = install(t)
    exe = os.path.join(root, opts["bindir"], "pdvault")
    t.ok(os.access(exe, os.X_OK), f"{exe} is installed and executable")
    p = subprocess.run([exe, "--version"], capture_output=True, text=True)
    t.eq(p.returncode, 0, "the installed pdvault --version")
    version = open(t.path("meson.build"), encoding="utf-8").read().split("version : '")[1]
    t.contains(p.stdout, version.split("'")[0], "pdvault --version")
    man1 = os.path.join(root, opts["mandir"], "man1")
    pages = sorted(os.path.basename(p) for p in glob.glob(t.path("docs/man/*.1")))
    t.ok(len(pages) > 20, "docs/man has the pages")
    missing = [p for p in pages if not os.path.exists(os.path.join(man1, p))]
    t.ok(not missing, f"man pages not installed in {man1}: {missing}")
    doc = os.path.join(root, opts["datadir"], "doc", "pdvault")
    for name in ("README.md", "server.md", "webhooks.md", "declaration.md", "deploy.md",
                 "certificates.md",
                 "openapi.yaml"):
        t.ok(os.path.exists(os.path.join(doc, name)), f"{name} installed in {doc}")
    example = os.path.join(doc, "examples", "alegria-corrected.yaml")
    t.eq(open(example, "rb").read(), open(t.path("examples/alegria-corrected.yaml"), "rb").read(),
         "the installed example declaration")
    p = subprocess.run([exe, "lint", example], capture_output=True, text=True)
    t.eq(p.returncode, 0, f"the installed binary lints the installed example ({p.stdout[-500:]})")


def test_the_package_version_is_the_project_version(t):
    # debian/changelog names the .deb's version (tools/deb.sh refuses a
    # mismatch); a version bump in meson.build without a changelog entry is
    # caught here already, not only when the package is built
    p = subprocess.run(["meson", "introspect", "--projectinfo", t.path("meson.build")],
                       capture_output=True, text=True, check=True)
    version = json.loads(p.stdout)["version"]
    first = open(t.path("debian/changelog"), encoding="utf-8").readline()
    t.eq(first.split("(")[1].split(")")[0], version, "debian/changelog's version")
