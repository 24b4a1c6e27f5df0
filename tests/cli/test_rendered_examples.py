"""examples/rendered/ holds the notice (fr, en) and the register (fr, en) of
each corrected seed declaration, as tools/render-examples.sh (make examples)
writes them: regenerating gives the same files, byte for byte."""
import glob
import re
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


# the places of recipients[].countries as the notice and register name them
PLACES = {"EEA": ("in the EEA (country not named)", "dans l'EEE (pays non précisé)"),
          "elsewhere": ("outside the EEA (country not named)", "hors de l'EEE (pays non précisé)"),
          "IE": ("Ireland", "Irlande"), "DE": ("Germany", "Allemagne"),
          "BE": ("Belgium", "Belgique"), "FR": ("France", "France"),
          "US": ("United States", "États-Unis")}
# source.informed_within, as both the notice and the register say it
INFORMED = {"1mo": ("within 1 month of obtaining the data",
                    "dans un délai de 1 mois suivant leur obtention"),
            "first-contact": ("first communication", "première communication")}
TEXT = re.compile(r'\{fr: "((?:[^"\\]|\\.)*)", en: "((?:[^"\\]|\\.)*)"\}')


def section14_values(path):
    """What a corrected declaration says with the keys of docs/declaration.md
    §14, read from its text: [(key, [line fragments that must share a line of
    the en document], [... of the fr one])]. A key in a shape this reader
    does not know fails the test, so a new use is checked or noticed."""
    found = []
    third = None
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        if line.lstrip().startswith("#"):
            continue
        where = f"{os.path.basename(path)}:{n}"
        for key in ("limits:", "basis_elsewhere:"):
            assert key not in line, f"{where}: {key} is used: check it in this test"
        m = re.match(r'\s*third-party: ' + TEXT.pattern, line)
        if m:
            third = m.groups()
        for key in ("profiling", "condition"):
            if re.match(rf"\s*{key}:", line):
                m = re.match(rf"\s*{key}: " + TEXT.pattern + r"\s*$", line)
                assert m, f"{where}: {key} not as {{fr: \"...\", en: \"...\"}}"
                found.append((key, [m.group(2)], [m.group(1)]))
        m = re.search(r"\bcountries: \[([^\]]*)\]", line)
        if m:
            name = re.search(r"\{id: [\w-]+, name: ([^,{}]+),", line)
            assert name, f"{where}: countries on a recipient whose name is not plain"
            places = [p.strip() for p in m.group(1).split(",")]
            for p in places:
                assert p in PLACES, f"{where}: place {p}: add its names to PLACES"
            found.append(("countries", [name.group(1) + " ("] + [PLACES[p][0] for p in places],
                          [name.group(1) + " ("] + [PLACES[p][1] for p in places]))
        m = re.match(r"\s*informed_within: (\S+)\s*$", line)
        if m:
            assert m.group(1) in INFORMED, f"{where}: informed_within {m.group(1)}: add it"
            assert third, f"{where}: informed_within with no third-party text before it"
            en, fr = INFORMED[m.group(1)]
            found.append(("informed_within", [third[1], en], [third[0], fr]))
    return found


def test_notice_and_register_print_each_section_14_key_a_seed_uses(t):
    """For each key of docs/declaration.md §14 a corrected seed uses
    (profiling, recipients[].countries, source.informed_within, and
    retention.condition, rights.limits, basis_elsewhere where one does), its
    value is printed, on one line with what it belongs to, in the fr and en
    notice and register committed in examples/rendered/."""
    used = set()
    for path in sorted(glob.glob(t.path("examples/*-corrected.yaml"))):
        seed = os.path.basename(path)[:-len("-corrected.yaml")]
        for key, en, fr in section14_values(path):
            used.add(key)
            for doc in ("notice", "register"):
                for lang, parts in (("en", en), ("fr", fr)):
                    name = f"{seed}.{doc}.{lang}.md"
                    lines = open(t.path(f"examples/rendered/{name}"),
                                 encoding="utf-8").read().splitlines()
                    t.ok(any(all(p in ln for p in parts) for ln in lines),
                         f"{name}: {key} printed: {parts}")
    t.eq(sorted(used), ["countries", "informed_within", "profiling"],
         "the §14 keys the corrected seeds use")
