"""The docs keep up with the binary: a man page per command naming each of its
options, and a language reference naming every key of the model."""
import os
import re



def commands(t):
    p = t.run("--help")
    t.status(p, 0)
    return re.findall(r"^  ([a-z-]+) ", p.out, re.M)


def test_man_page_per_command(t):
    cmds = commands(t)
    t.ok(len(cmds) >= 4, "commands listed")
    t.ok(os.path.exists(t.path("docs/man/pdvault.1")), "pdvault.1")
    for cmd in cmds:
        page = t.path(f"docs/man/pdvault-{cmd}.1")
        t.ok(os.path.exists(page), f"man page for {cmd}")
        text = open(page, encoding="utf-8").read().replace("\\-", "-")
        usage = t.run(cmd, "--help").out
        for opt in re.findall(r"--[a-z-]+", usage):
            t.contains(text, opt, f"pdvault-{cmd}.1")


def test_global_options_documented(t):
    text = open(t.path("docs/man/pdvault.1"), encoding="utf-8").read().replace("\\-", "-")
    for opt in ("--config", "--db", "--key-file", "--json", "PDVAULT_NOW", "PDVAULT_CONFIG"):
        t.contains(text, opt, "pdvault.1")


def test_language_reference_names_every_key(t):
    header = open(t.path("include/decl/pdv/decl.h"), encoding="utf-8").read()
    doc = open(t.path("docs/declaration.md"), encoding="utf-8").read()
    # the members of the model's structs are the keys of the language
    keys = set()
    for body in re.findall(r"struct pdv_(?:controller|rights|recipient|field|consent_decl|renew|"
                           r"retention_decl|dpia|activity|banner|tracker|cookies|transfers|"
                           r"id_document|automated|cctv) \{(.*?)\n\};", header, re.S):
        for m in re.finditer(r"^\s*struct pdv_(?:str|bool|strlist|text|textlist|contact|"
                             r"authority|id_document|renew|consent_decl|retention_decl|dpia|"
                             r"source|automated|cctv|banner)\s+(\w+);", body, re.M):
            keys.add(m.group(1))
    t.ok(len(keys) > 60, f"keys found in decl.h ({len(keys)})")
    missing = sorted(k for k in keys if not re.search(r"\b" + k + r"\b", doc))
    t.ok(not missing, f"docs/declaration.md does not mention: {missing}")


def declaration_sections(t):
    """{"9.1": "fields", ...}: the numbered headings of docs/declaration.md."""
    doc = open(t.path("docs/declaration.md"), encoding="utf-8").read()
    return {m.group(1): m.group(2).replace("`", "").strip()
            for m in re.finditer(r"^#{2,3} (\d+(?:\.\d+)?)\.? (.+)$", doc, re.M)}


def test_references_point_to_documents_users_have(t):
    # a reference names the law or a section of docs/declaration.md that exists, never a
    # document users do not have (CONTRACT.md)
    sections = declaration_sections(t)
    rules = t.json(t.run("--json", "lint", "--rules"))["rules"]
    broken = t.write("broken.yaml", "pdvault: [\n")
    loaded = t.json(t.run("--json", "lint", broken))["findings"]
    refs = [r["reference"] for r in rules] + [f["reference"] for f in loaded]
    t.ok(any("docs/declaration.md" in r for r in refs), "the language reference is cited")
    for ref in refs:
        t.lacks(ref, "CONTRACT", "a lint reference")
        for num, title in re.findall(r"§(\d+(?:\.\d+)?) ([^,;§]+)", ref):
            t.ok("docs/declaration.md" in ref, f"{ref!r}: § of docs/declaration.md")
            t.ok(sections.get(num, "").startswith(title.strip()),
                 f"{ref!r}: section {num} of docs/declaration.md is {sections.get(num)!r}")
    t.lacks(t.run("lint", broken).out, "CONTRACT", "lint's text output")
    for top in ("docs", "examples", "web", "include", "src", "tests/data", "fuzz/corpus"):
        for folder, _, files in os.walk(t.path(top)):
            for name in files:
                with open(os.path.join(folder, name), "rb") as f:
                    t.ok(b"CONTRACT" not in f.read(), f"{folder}/{name} cites CONTRACT")
