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
    header = open(t.path("include/pdv/decl.h"), encoding="utf-8").read()
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
