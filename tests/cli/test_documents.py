"""pdvault notice and pdvault register from the command line: formats,
languages, output files written whole, and the seed examples."""
import csv
import io
import json
import os

CORRECTED = "examples/alegria-corrected.yaml"
SEEDS = ["clayrtons.yaml", "senef.yaml", "customer-labs.yaml", "clementine.yaml", "alegria.yaml"]


def test_notice_languages_and_formats(t):
    cfg = t.path(CORRECTED)
    fr = t.run("--config", cfg, "notice", "--lang", "fr")
    t.status(fr, 0)
    en = t.run("--config", cfg, "notice", "--lang", "en")
    t.status(en, 0)
    t.contains(fr.out, "CNIL")
    t.ok(fr.out != en.out, "French and English notices differ")
    t.contains(en.out, "# ")  # markdown headings
    html = t.run("--config", cfg, "notice", "--lang", "fr", "--format", "html")
    t.status(html, 0)
    t.ok(html.out.lstrip().lower().startswith("<!doctype html>"), "standalone page")
    t.contains(html.out, '<html lang="fr"')
    t.contains(html.out, "@media print")


def test_notice_default_language_is_the_first_declared(t):
    cfg = t.path(CORRECTED)
    first = None
    for line in open(cfg, encoding="utf-8"):
        s = line.strip()
        if s.startswith("languages:"):
            first = s.split("[", 1)[1].split(",")[0].strip(" ]")
            break
    t.ok(first in ("fr", "en"), "the corrected example declares its languages")
    dflt = t.run("--config", cfg, "notice")
    explicit = t.run("--config", cfg, "notice", "--lang", first)
    t.eq(dflt.out, explicit.out, "default language")


def test_notice_is_deterministic(t):
    cfg = t.path(CORRECTED)
    a = t.run("--config", cfg, "notice", "--format", "html")
    b = t.run("--config", cfg, "notice", "--format", "html")
    t.eq(a.out, b.out, "same input, same bytes")


def test_notice_output_file(t):
    cfg = t.path(CORRECTED)
    p = t.run("--config", cfg, "notice", "--format", "html", "-o", "notice.html")
    t.status(p, 0)
    t.eq(p.out, "", "nothing on stdout")
    data = open(os.path.join(t.tmp, "notice.html"), encoding="utf-8").read()
    t.contains(data, "</html>")
    leftovers = [f for f in os.listdir(t.tmp) if ".tmp-" in f]
    t.eq(leftovers, [], "no temporary file left")


def test_output_into_missing_directory_fails_cleanly(t):
    p = t.run("--config", t.path(CORRECTED), "notice", "-o", "no/such/dir/notice.md")
    t.status(p, 3)
    t.contains(p.err, "pdvault: notice: ")


def test_notice_bad_options(t):
    cfg = t.path(CORRECTED)
    t.status(t.run("--config", cfg, "notice", "--lang", "xx"), 2)
    t.status(t.run("--config", cfg, "notice", "--format", "csv"), 2)
    t.status(t.run("--config", cfg, "notice", "extra"), 2)


def test_notice_of_every_seed_renders(t):
    for ex in SEEDS:
        for lang in ("fr", "en"):
            for fmt in ("md", "html"):
                p = t.run("--config", t.path("examples/" + ex), "notice", "--lang", lang,
                          "--format", fmt)
                t.status(p, 0)
                t.ok(len(p.out) > 500, f"{ex} {lang} {fmt}: a real notice")


def test_register_formats(t):
    cfg = t.path(CORRECTED)
    p = t.run("--config", cfg, "register", "--format", "csv")
    t.status(p, 0)
    rows = list(csv.reader(io.StringIO(p.out)))
    t.ok(len(rows) >= 3, "header and activities")
    width = len(rows[0])
    t.ok(all(len(r) == width for r in rows), "every csv row has the header's width")
    j = t.run("--json", "--config", cfg, "register")
    t.status(j, 0)
    doc = t.json(j)
    t.ok(isinstance(doc["activities"], list) and doc["activities"], "activities")
    t.eq(len(doc["activities"]), len(rows) - 1, "same activities in csv and json")
    ids = [a["id"] for a in doc["activities"]]
    t.eq(len(set(ids)), len(ids), "unique activity ids")
    same = t.run("--config", cfg, "register", "--format", "json")
    t.eq(json.loads(same.out), doc, "--json and --format json agree")
    for fmt in ("md", "html"):
        p = t.run("--config", cfg, "register", "--format", fmt, "--lang", "en")
        t.status(p, 0)
        for a in doc["activities"]:
            t.contains(p.out, a["id"] if fmt == "md" else "<th", f"register {fmt}")
    html = t.run("--config", cfg, "register", "--format", "html")
    t.contains(html.out, 'scope="col"')


def test_register_of_every_seed(t):
    for ex in SEEDS:
        p = t.run("--json", "--config", t.path("examples/" + ex), "register")
        t.status(p, 0)
        doc = t.json(p)
        t.ok(doc["activities"], f"{ex}: activities")


def test_load_error_stops_notice(t):
    path = t.write("bad.yaml", "pdvault: 1\ncontroller: [\n")
    p = t.run("--config", path, "notice")
    t.status(p, 1)
    t.contains(p.err, "bad.yaml:")
    t.eq(p.out, "", "no half notice")
