"""The declaration check page in words: every rule the linter has
(`pdvault lint --rules`) is titled in French and English in web/i18n.js
(LINT_RULES), so the French back office names a finding in French rather than
showing the linter's English message. The English title is the rule's summary
as the linter prints it; the table holds no rule the linter no longer has."""
import re

from test_audit_words import french, ui_table


def linter_rules(t):
    p = t.run("--json", "lint", "--rules")
    t.status(p, 0)
    return {r["rule"]: r["summary"] for r in t.json(p)["rules"]}


def test_every_lint_rule_is_titled_in_french_and_english(t):
    rules = linter_rules(t)
    table = ui_table(t, "LINT_RULES")
    t.ok(len(rules) >= 50, f"the linter's rules were read: {len(rules)}")
    for rule, summary in sorted(rules.items()):
        t.ok(rule in table, f"the lint rule {rule} has no title in web/i18n.js LINT_RULES")
        if rule not in table:
            continue
        fr, en = table[rule]
        t.eq(en, summary, f"{rule}: the English title is the rule's summary")
        t.ok(fr and fr != en, f"{rule}: a French title of its own: {fr!r}")
        t.ok(french(fr), f"{rule}: the French title reads as French: {fr!r}")
    stale = set(table) - set(rules)
    t.ok(not stale, f"LINT_RULES titles no rule the linter has: {sorted(stale)}")


def test_the_table_reads_every_line_of_lint_rules(t):
    # a line this test's pattern cannot read would drop a title unnoticed
    text = open(t.path("web/i18n.js"), encoding="utf-8").read()
    body = text[text.index("export const LINT_RULES = {"):]
    body = body[body.index("\n") + 1:body.index("\n};")]
    lines = [ln for ln in body.split("\n") if ln.strip()]
    t.eq(len(lines), len(ui_table(t, "LINT_RULES")), "every line of LINT_RULES is a rule read")
    t.ok(all(re.match(r"^\t'", ln) for ln in lines), "LINT_RULES holds one rule a line")
