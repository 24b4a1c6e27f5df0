"""examples/rendered/ holds the notice (fr, en) and the register (fr, en) of
each corrected seed declaration, as tools/render-examples.sh (make examples)
writes them: regenerating gives the same files, byte for byte."""
import glob
import os
import subprocess


def test_rendered_examples_are_current(t):
    out = os.path.join(t.tmp, "rendered")
    p = subprocess.run([t.path("tools/render-examples.sh"), t.pdvault, out],
                       capture_output=True, text=True)
    t.eq(p.returncode, 0, f"render-examples.sh failed: {p.stderr}")
    committed_dir = t.path("examples/rendered")
    fresh = sorted(os.listdir(out))
    committed = sorted(os.listdir(committed_dir)) if os.path.isdir(committed_dir) else []
    corrected = sorted(glob.glob(t.path("examples/*-corrected.yaml")))
    t.ok(corrected, "corrected declarations exist")
    t.eq(len(fresh), 8 * len(corrected), "notice and register, fr and en, md and html each")
    t.eq(committed, fresh, "examples/rendered/ has the files `make examples` writes")
    stale = []
    for name in fresh:
        with open(os.path.join(out, name), "rb") as a, \
                open(os.path.join(committed_dir, name), "rb") as b:
            if a.read() != b.read():
                stale.append(name)
    t.ok(not stale, "stale, run `make examples`: " + ", ".join(stale))


def test_rendered_notice_is_the_declarations(t):
    """What the committed notice says comes from the declaration: the
    corrected Alegria declares an unsubscribe link for its newsletter."""
    fr = open(t.path("examples/rendered/alegria.notice.fr.md"), encoding="utf-8").read()
    en = open(t.path("examples/rendered/alegria.notice.en.md"), encoding="utf-8").read()
    t.contains(fr, "Alegria.tech")
    t.contains(en, "Privacy notice")
    t.contains(en, "with the unsubscribe link in each message")
    reg = open(t.path("examples/rendered/alegria.register.fr.md"), encoding="utf-8").read()
    t.contains(reg, "art. 30")
