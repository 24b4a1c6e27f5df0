"""Errors in the user's language: every error code the C sources can answer
over HTTP (and in --json) is worded in French and English in the web pages'
one table (web/i18n.js), and listed with its meaning in docs/server.md.

The codes are read from the sources, not from a list kept by hand: the
literal codes given to srv_error and answer_error (src/http/), written into
a pdv_error's code (strlcpy/snprintf into err->code, refuse(err, field,
CODE) in the engine), and the return-code table of src/base/error.c."""
import glob
import os
import re

PATTERNS = (
    re.compile(r'srv_error\(\s*[^,]+,\s*\d+,\s*"([a-z0-9_-]+)"'),
    re.compile(r'answer_error\(\s*\w+,\s*\w+,\s*\w+,\s*\d+,\s*"([a-z0-9_-]+)"'),
    re.compile(r'err->code,\s*(?:sizeof\(err->code\),\s*)?"([a-z0-9_-]+)"'),
    re.compile(r'\brefuse\(\s*err,\s*[^,]+,\s*"([a-z0-9_-]+)"\)'),
)


def source_codes(t):
    codes = {}
    for f in sorted(glob.glob(t.path("src/**/*.c"), recursive=True)):
        text = open(f, encoding="utf-8").read()
        rel = os.path.relpath(f, t.path("."))
        found = [m.group(1) for p in PATTERNS for m in p.finditer(text)]
        if rel == os.path.join("src", "base", "error.c"):
            found += re.findall(r'\{PDV_[A-Z_]+,\s*"([a-z0-9_-]+)"', text)
        for c in found:
            codes.setdefault(c, rel)
    codes.pop("ok", None)  # PDV_OK: not an error
    return codes


def ui_table(t):
    text = open(t.path("web/i18n.js"), encoding="utf-8").read()
    body = text[text.index("export const ERRORS = {"):]
    body = body[:body.index("\n};")]
    table = {}
    for m in re.finditer(r"^\t([a-z0-9_]+): \['((?:[^'\\]|\\.)*)', '((?:[^'\\]|\\.)*)'\],$", body,
                         re.M):
        table[m.group(1)] = (m.group(2), m.group(3))
    return table


def test_the_sources_answer_codes_this_test_can_read(t):
    codes = source_codes(t)
    # a sample of each way a code is given, so a change of form is noticed
    for c in ("wrong_code", "malformed", "consent_required", "invalid_email", "not_found",
              "integrity", "forbidden"):
        t.ok(c in codes, f"the code {c} was found in the sources: {sorted(codes)}")
    for c in codes:
        t.ok(re.fullmatch(r"[a-z][a-z0-9_]*", c),
             f"the code {c!r} ({codes[c]}) is snake_case, as every other")


def test_every_code_is_worded_in_french_and_english(t):
    table = ui_table(t)
    t.ok(len(table) >= 20, f"the table in web/i18n.js was read: {sorted(table)}")
    for code, where in sorted(source_codes(t).items()):
        t.ok(code in table, f"the error code {code} ({where}) has no wording in web/i18n.js")
        if code not in table:
            continue
        fr, en = table[code]
        t.ok(fr and en and fr != en, f"{code}: a French and an English text")
        # French typography and words, not an English sentence on a French page
        t.ok(re.search(r"[éèàùçêâîôœ’]|\b(le|la|les|ce|cette|un|une|de|du|des)\b", fr, re.I),
             f"{code}: the French text reads as French: {fr!r}")
        for text in (fr, en):
            t.lacks(text, "--", f"{code}: no flag name in the wording")
            t.ok("{" not in text and "pdvault " not in text, f"{code}: no command in {text!r}")


def test_every_code_is_listed_in_the_server_doc(t):
    doc = open(t.path("docs/server.md"), encoding="utf-8").read()
    section = doc[doc.index("## Error codes"):]
    section = section[:section.index("\n## ", 3)]
    listed = set(re.findall(r"^\| `([a-z0-9_]+)` \|", section, re.M))
    for code, where in sorted(source_codes(t).items()):
        t.ok(code in listed, f"the error code {code} ({where}) is not in docs/server.md")
    table = ui_table(t)
    for code in listed:
        t.ok(code in table, f"docs/server.md lists {code}, which web/i18n.js does not word")
