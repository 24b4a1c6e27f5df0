"""The audit trail and the request timeline in words: every action the engine
can write to the audit log, and every kind of message the outbox sends, is
worded in French and English in web/i18n.js (AUDIT, MESSAGES), so a DPO reads
"hold placed" or "gel posé", not `hold` or `holds-read`.

The actions are read from the sources, not from a list kept by hand: the
literal actions given to pdv_audit_append in src/engine/, those given to the
helpers that pass an action on (breach.c's write_end, show.c's read_subject,
staff.c's audit_as) and, for the sweep, which writes the phase a record moves
to, the phase names of src/decl/retention.c. A call whose action is none of
these fails the test, so a new way of naming an action is noticed. The
message kinds are the outbox templates' names (src/delivery/templates/) and
the Art. 19 notices' kinds given to pdv_notify_recipients."""
import glob
import os
import re

# the calls of pdv_audit_append whose action is a variable, each with where
# its values come from: (file, variable) -> a pattern of the helper's calls
# (its name, the index of the action among its arguments)
INDIRECT = {
    ("breach.c", "action"): ("write_end", 2),
    ("show.c", "action"): ("read_subject", 1),
    ("staff.c", "action"): ("audit_as", 2),
    ("sweep.c", "to"): None,  # the phase names
}


def call_args(text, start):
    """the text of a call's arguments, from the index after its '('"""
    depth, i = 1, start
    while depth:
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        i += 1
    return text[start:i - 1]


def split_args(args):
    """a call's arguments, split at the commas outside parentheses"""
    out, depth, cur = [], 0, ""
    for c in args:
        depth += {"(": 1, ")": -1}.get(c, 0)
        if c == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += c
    return out + [cur.strip()]


def phase_names(t):
    text = open(t.path("src/decl/retention.c"), encoding="utf-8").read()
    body = text[text.index("const char *pdv_phase_name("):]
    body = body[:body.index("\n}\n")]
    return set(re.findall(r'return "([a-z-]+)";', body)) - {"unknown"}


def engine_actions(t):
    actions, indirect = {}, set()
    for f in sorted(glob.glob(t.path("src/engine/*.c"))):
        text = open(f, encoding="utf-8").read()
        name = os.path.basename(f)
        for m in re.finditer(r"\bpdv_audit_append\(", text):
            args = call_args(text, m.end())
            first = split_args(args)[1]  # after the session
            if first.startswith("const "):
                continue  # the definition, in audit.c
            found = re.findall(r'"([a-z0-9-]+)"', first)
            if not found:
                indirect.add((name, first))
            for a in found:
                actions.setdefault(a, name)
        for (where, _), helper in INDIRECT.items():
            if where != name or not helper:
                continue
            fn, at = helper
            for m in re.finditer(r"\b%s\(" % fn, text):
                args = split_args(call_args(text, m.end()))
                if args[at].startswith("const "):
                    continue  # the definition
                for a in re.findall(r'"([a-z0-9-]+)"', args[at]):
                    actions.setdefault(a, name)
    for a in phase_names(t):
        actions.setdefault(a, "sweep.c")
    return actions, indirect


def message_kinds(t):
    # the templates, but for the recipients' notice: its kinds are the rights
    # (erasure, rectification, restriction), read from the calls below
    kinds = {os.path.basename(f).split(".")[0]
             for f in glob.glob(t.path("src/delivery/templates/*.txt"))} - {"recipient-notice"}
    for f in glob.glob(t.path("src/engine/*.c")):
        text = open(f, encoding="utf-8").read()
        kinds |= set(re.findall(r'\bpdv_notify_recipients\(\s*s,\s*[\w>-]+,\s*"([a-z-]+)"', text))
    return kinds


def ui_table(t, name):
    text = open(t.path("web/i18n.js"), encoding="utf-8").read()
    body = text[text.index(f"export const {name} = {{"):]
    body = body[:body.index("\n};")]
    return {m.group(1): (m.group(2), m.group(3)) for m in re.finditer(
        r"^\t'([a-z0-9-]+)': \['((?:[^'\\]|\\.)*)', '((?:[^'\\]|\\.)*)'\],$", body, re.M)}


def french(text):
    return re.search(r"[éèàùçêâîôœ’]|\b(le|la|les|ce|cette|un|une|de|du|des|à|au|aux|en)\b", text, re.I)


def test_the_sources_name_actions_this_test_can_read(t):
    actions, indirect = engine_actions(t)
    # a sample of each way an action is given, so a change of form is noticed
    for a, how in (("holds-read", "a literal"), ("consents-read", "a literal"),
                   ("consent-withdraw", "a ternary"), ("restrict-lift", "a ternary"),
                   ("breach-notify-authority", "write_end"), ("export-portable", "read_subject"),
                   ("signin-failed", "audit_as over two lines"), ("archived", "the sweep's phase")):
        t.ok(a in actions, f"the action {a} ({how}) was found in the sources")
    known = {(f, v) for f, v in INDIRECT}
    t.ok(indirect <= known, f"every action given through a variable is known to this test: "
         f"{sorted(indirect - known)}")
    t.ok(len(actions) >= 70, f"the actions were read: {len(actions)}")


def test_every_audit_action_is_worded_in_french_and_english(t):
    table = ui_table(t, "AUDIT")
    actions, _ = engine_actions(t)
    for a, where in sorted(actions.items()):
        t.ok(a in table, f"the audit action {a} ({where}) has no wording in web/i18n.js AUDIT")
        if a not in table:
            continue
        fr, en = table[a]
        t.ok(fr and en and fr != en, f"{a}: a French and an English text")
        t.ok(french(fr), f"{a}: the French text reads as French: {fr!r}")
        for text in (fr, en):
            t.ok("-" not in a or a not in text, f"{a}: the wording is words, not the action: {text!r}")
    stale = set(table) - set(actions)
    t.ok(not stale, f"AUDIT words no action the engine writes: {sorted(stale)}")


def test_every_message_kind_is_worded_in_french_and_english(t):
    table = ui_table(t, "MESSAGES")
    kinds = message_kinds(t)
    for k in ("acknowledgement", "erasure-answer", "erasure", "rectification", "restriction"):
        t.ok(k in kinds, f"the message kind {k} was found in the sources")
    for k in sorted(kinds):
        t.ok(k in table, f"the message kind {k} has no wording in web/i18n.js MESSAGES")
        if k in table:
            fr, en = table[k]
            t.ok(fr and en and fr != en, f"{k}: a French and an English text")
            t.ok(french(fr), f"{k}: the French text reads as French: {fr!r}")
