"""pdvault lint: output format, exit status, JSON, the seed examples' real
problems (tests/cli/expected-findings.tsv) and bad input."""
import json
import os
import random
import re

LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|info): "
                  r"\[(?P<rule>[a-z0-9-]+)\] (?P<msg>.+) \((?P<ref>[^()]*(\([^()]*\)[^()]*)*)\)$")

EXAMPLES = ["clayrtons.yaml", "senef.yaml", "customer-labs.yaml", "clementine.yaml",
            "alegria.yaml", "alegria-corrected.yaml", "clementine-corrected.yaml"]


def lint_json(t, path):
    p = t.run("--json", "lint", path)
    doc = t.json(p)
    return p, doc


def test_human_format_one_finding_per_line(t):
    for ex in EXAMPLES[:5]:
        path = t.path("examples/" + ex)
        p = t.run("lint", path)
        t.status(p, 1)
        lines = [l for l in p.out.splitlines() if l]
        t.ok(lines, f"{ex}: findings printed")
        for l in lines:
            m = LINE.match(l)
            t.ok(m, f"{ex}: line does not follow FILE:LINE:COL: SEVERITY: [rule] msg (ref): {l!r}")
            t.eq(m.group("file"), path, "file")
            t.ok(int(m.group("line")) >= 1, f"{ex}: a located finding: {l}")
        t.contains(p.err, "error")


def test_json_document(t):
    path = t.path("examples/clementine.yaml")
    p, doc = lint_json(t, path)
    t.status(p, 1)
    t.ok(doc["findings"], "findings")
    for f in doc["findings"]:
        for k in ("rule", "severity", "file", "line", "col", "message", "reference"):
            t.ok(k in f, f"finding has {k}")
        t.ok(f["severity"] in ("error", "warning", "info"), "severity")
    t.ok(any(f["severity"] == "error" for f in doc["findings"]), "an error")


def test_json_and_human_agree(t):
    path = t.path("examples/senef.yaml")
    p1 = t.run("lint", path)
    p2, doc = lint_json(t, path)
    human = [(int(m.group("line")), m.group("rule")) for m in map(LINE.match, p1.out.splitlines()) if m]
    js = [(f["line"], f["rule"]) for f in doc["findings"]]
    t.eq(human, js, "same findings in the same order")


def test_seed_examples_report_their_real_problems(t):
    expected = {}
    with open(t.path("tests/cli/expected-findings.tsv"), encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            ex, rule, sev, why = line.rstrip("\n").split("\t", 3)
            expected.setdefault(ex, []).append((rule, sev, why))
    t.ok(len(expected) >= 6, "expectations for the five seeds and the corrected example")
    missing = []
    for ex, rules in expected.items():
        p, doc = lint_json(t, t.path("examples/" + ex))
        found = {(f["rule"], f["severity"]) for f in doc["findings"]}
        for rule, sev, why in rules:
            if rule == "-":
                n = sum(1 for f in doc["findings"] if f["severity"] == sev)
                if n:
                    missing.append(f"{ex}: expected no {sev}, got {n}: " +
                                   "; ".join(f["rule"] for f in doc["findings"] if f["severity"] == sev))
            elif sev in ("none", "none-error"):
                # a false finding once raised: the rule must stay silent
                # (none), or at least not be an error (none-error)
                got = [f["message"] for f in doc["findings"] if f["rule"] == rule and
                       (sev == "none" or f["severity"] == "error")]
                if got:
                    missing.append(f"{ex}: expected no [{rule}] ({why}), got: " + "; ".join(got))
            elif (rule, sev) not in found:
                missing.append(f"{ex}: expected [{rule}] {sev}: {why}")
    t.ok(not missing, "\n    ".join(missing))


def lint_documents(t):
    """(name, document) of every example and every fixture."""
    for ex in EXAMPLES + ["../tests/data/lint/clean.yaml"]:
        yield ex, lint_json(t, t.path("examples/" + ex))[1]
    root = t.path("tests/data/lint")
    for rule_dir in sorted(os.listdir(root)):
        folder = os.path.join(root, rule_dir)
        if os.path.isdir(folder):
            for name in sorted(os.listdir(folder)):
                if name.endswith(".yaml"):
                    yield f"{rule_dir}/{name}", lint_json(t, os.path.join(folder, name))[1]


def test_every_error_and_warning_says_how_to_fix_it(t):
    """--json gives each finding a `fix`: the smallest change to the
    declaration, in its keys, non-empty on every error and warning (a file
    that does not load included); the text output does not print it."""
    bare = []
    n = 0
    for name, doc in lint_documents(t):
        for f in doc["findings"]:
            t.ok(isinstance(f.get("fix"), str), f"{name}: [{f['rule']}] has a fix string")
            if f["severity"] in ("error", "warning"):
                n += 1
                if not f["fix"].strip():
                    bare.append(f"{name}: [{f['rule']}] {f['message']}")
    bad = os.path.join(t.tmp, "unknown-key.yaml")
    with open(bad, "w") as f:
        f.write("pdvault: 1\ncontroller: {nmae: x}\n")
    loads_not = lint_json(t, bad)[1]["findings"]
    t.eq(loads_not[0]["rule"], "declaration-invalid", "a file that does not load is one finding")
    t.ok(loads_not[0]["fix"].strip(), "and it says how to fix it")
    t.ok(n > 150, f"errors and warnings checked: {n}")
    t.ok(not bare, "findings without a fix:\n    " + "\n    ".join(bare))
    p = t.run("lint", t.path("examples/clayrtons.yaml"))
    doc = lint_json(t, t.path("examples/clayrtons.yaml"))[1]
    t.ok(all(f["fix"] not in p.out for f in doc["findings"]), "the text output keeps its format")


def test_seed_findings_say_the_fix_for_the_case_at_hand(t):
    """Issue 13 point 6: where a seed triggers a rule, the `fix` names the
    field at fault and the smallest change for that case, not only the rule's
    general advice."""
    want = [  # example, rule, words of the message, words the fix must hold
        ("senef.yaml", "controller-identity", "no address", "`controller.address`"),
        ("senef.yaml", "process-config", "rights.response", "`rights.response: 1mo` instead of the words"),
        ("senef.yaml", "basis-justified", "without the interest",
         "interest pursued in the activity's `basis_detail`"),
        ("senef.yaml", "retention-finite", "criteria", "`until request-closed, at most 1y from collection`"),
        ("senef.yaml", "retention-syntax", "retention.archive", "`retention.archive` as a duration"),
        ("clayrtons.yaml", "controller-identity", "postal address", "`controller.email`"),
        ("clayrtons.yaml", "transfer-consistency", "is in US", "`transfers.outside_eea: true`"),
        ("clayrtons.yaml", "transfer-safeguard", "processes data in US", "`safeguard: dpf`"),
        ("clayrtons.yaml", "basis-justified", "balancing test", "`balancing_test: true`"),
        ("clayrtons.yaml", "retention-syntax", "is not a span", "`retention.active` as a duration"),
        ("clayrtons.yaml", "legal-minimum", "financial year", "`active: 10y from financial-year-end`"),
        ("clayrtons.yaml", "prospect-3y", "no inactivity cap", "at most 3y from last-contact"),
        ("customer-labs.yaml", "retention-finite", "in words", "\"three years\" is `3y from last-contact`"),
        ("clementine.yaml", "recipient-notice", "'teamtailor'", "`notify_email:` (the recipient's"),
        ("clementine.yaml", "basis-closed-list", "'contact-forms': no legal basis",
         "the one the policy gives it elsewhere"),
        ("clementine.yaml", "retention-syntax", "renew.wait", "add `wait: 1mo` to this `retention.renew`"),
        ("clementine.yaml", "consent-withdrawal", "only by post, phone",
         "add `email` (with its address) or `web` to the channels of `rights.withdraw`"),
        ("clementine.yaml", "consent-no-tacit", "silence: keep", "`retention.renew.silence: end`"),
        ("clayrtons.yaml", "consent-withdrawal", "no email address is given",
         "as `email:` in the way stated"),
        ("clayrtons.yaml", "cookie-choice-memory", "refusal of trackers", "`cookies.refusal_lifetime: 6mo`"),
        ("clayrtons.yaml", "archive-justified", "Probative purposes", "C. com. L110-4 limitation period"),
        ("senef.yaml", "contract-party", "b2b audience", "the company, not its contact person, is party"),
        ("senef.yaml", "cctv-1m", "without a limit", "`retention.active: 1mo from collection`"),
        ("alegria.yaml", "dsr-basis", "'rights-requests'", "`basis: legal-obligation` with `basis_detail"),
        ("alegria.yaml", "retention-determinate", "alternatives", "`until E, at most D from T`"),
    ]
    docs = {}
    for ex, rule, said, words in want:
        if ex not in docs:
            docs[ex] = lint_json(t, t.path("examples/" + ex))[1]["findings"]
        fixes = [f["fix"] for f in docs[ex] if f["rule"] == rule and said in f["message"]]
        t.ok(fixes and all(words in fx for fx in fixes),
             f"{ex} [{rule}] '{said}': a fix saying {words!r}, got {fixes}")
    p = t.run("lint", t.path("examples/senef.yaml"))
    t.lacks(p.out, "instead of the words", "the text output keeps its format")


def test_seed_examples_each_have_several_real_problems(t):
    for ex in EXAMPLES[:5]:
        p, doc = lint_json(t, t.path("examples/" + ex))
        t.status(p, 1)
        rules = {f["rule"] for f in doc["findings"] if f["severity"] == "error"}
        t.ok(len(rules) >= 3, f"{ex}: at least 3 distinct error rules, got {sorted(rules)}")


def test_corrected_example_has_no_error(t):
    p = t.run("lint", t.path("examples/alegria-corrected.yaml"))
    t.status(p, 0)
    t.lacks(p.out, ": error: ")


def test_config_option_is_the_default_file(t):
    p = t.run("--config", t.path("examples/customer-labs.yaml"), "lint")
    t.status(p, 1)
    t.contains(p.out, "customer-labs.yaml:")


def test_rules_listing(t):
    p = t.run("--json", "lint", "--rules")
    t.status(p, 0)
    rules = t.json(p)["rules"]
    t.ok(len(rules) >= 35, f"at least 35 rules, got {len(rules)}")
    for r in rules:
        t.ok(r["reference"] and r["summary"], f"rule {r['rule']} documented")
        t.ok(os.path.isdir(t.path("tests/data/lint/" + r["rule"])), f"rule {r['rule']} has fixtures")


def test_missing_file_is_environment_error(t):
    p = t.run("lint", "nope.yaml")
    t.status(p, 3)
    t.contains(p.err, "pdvault: lint: ")
    t.contains(p.err, "nope.yaml")


def expect_load_finding(t, name, data, rule="declaration-invalid", mode="wb"):
    path = t.write(name, data, mode)
    p = t.run("lint", path, timeout=30)
    t.status(p, 1)
    m = LINE.match(p.out.splitlines()[0]) if p.out else None
    t.ok(m, f"{name}: one located finding, got {p.out[:300]!r} / {p.err[:300]!r}")
    t.eq(m.group("rule"), rule, f"{name}: rule")
    t.ok(int(m.group("line")) >= 1 and int(m.group("col")) >= 1, f"{name}: located")
    p = t.run("--json", "lint", path, timeout=30)
    t.status(p, 1)
    doc = t.json(p)
    t.eq(doc["findings"][0]["rule"], rule, f"{name}: json rule")
    return m


def test_binary_garbage(t):
    rnd = random.Random(1234)
    for i in range(20):
        data = bytes(rnd.getrandbits(8) for _ in range(rnd.randint(1, 4000)))
        path = t.write(f"garbage{i}.yaml", data, "wb")
        p = t.run("lint", path, timeout=30)
        t.status(p, 1)
        t.ok(LINE.match(p.out.splitlines()[0]), f"garbage {i}: located finding {p.out[:200]!r}")


def test_ten_megabytes(t):
    data = b"pdvault: 1\n" + b"# " + b"x" * (10 * 1024 * 1024) + b"\n"
    expect_load_finding(t, "big.yaml", data, rule="declaration-limit")


def test_deep_nesting(t):
    data = b"pdvault: 1\ncontroller: " + b"[" * 10000 + b"]" * 10000 + b"\n"
    expect_load_finding(t, "deep.yaml", data, rule="declaration-limit")


def test_alias_bomb(t):
    lines = ["pdvault: 1", 'x0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev = f"*a{i - 1}"
        lines.append(f"x{i}: &a{i} [{', '.join([prev] * 9)}]")
    data = ("\n".join(lines) + "\n").encode()
    expect_load_finding(t, "bomb.yaml", data, rule="declaration-limit")


def test_invalid_utf8(t):
    data = b"pdvault: 1\ncontroller:\n  name: \"Soci\xe9t\xe9\"\n"
    m = expect_load_finding(t, "latin1.yaml", data)
    t.eq(m.group("line"), "3", "the line of the bad byte")


def test_unknown_key_is_located(t):
    src = open(t.path("examples/alegria-corrected.yaml"), encoding="utf-8").read()
    src = src.replace("\ncontroller:\n", "\ncontroller:\n  nmae: typo\n", 1)
    m = expect_load_finding(t, "typo.yaml", src, mode="w")
    t.contains(m.group("msg"), "nmae")
    line = src.splitlines().index("  nmae: typo") + 1
    t.eq(int(m.group("line")), line, "line of the unknown key")


def test_wrong_type_is_located(t):
    data = "pdvault: 1\nactivities: {id: x}\n"
    m = expect_load_finding(t, "type.yaml", data, mode="w")
    t.eq(m.group("line"), "2", "line")
    t.contains(m.group("msg"), "activities")


def test_yaml_syntax_error(t):
    data = "pdvault: 1\ncontroller:\n  name: [unclosed\n  email: x\n"
    expect_load_finding(t, "syntax.yaml", data, mode="w")


def test_error_messages_never_echo_values(t):
    # a field value in a declaration is not personal data, but the rule stands
    # for lint output: bad bytes are reported by position, not echoed
    data = b"pdvault: 1\ncontroller:\n  name: \"secret-\xff-marker\"\n"
    path = t.write("echo.yaml", data, "wb")
    p = t.run("lint", path)
    t.lacks(p.out + p.err, "secret-", "lint output")


def findings_and_summary(t, p):
    doc = t.json(p)
    s = doc["summary"]
    return doc["findings"], s["errors"] + s["warnings"] + s["infos"]


def test_json_keeps_a_finding_whose_message_is_cut_inside_a_character(t):
    # the message quotes at most 100 bytes of the value: with 99 ASCII bytes before an
    # 'é', the cut falls inside it; the finding is listed, its message ends on a whole
    # character, and the summary counts what the document lists
    src = open(t.path("tests/data/lint/clean.yaml"), encoding="utf-8").read()
    bad = "x" * 99 + "é" * 20
    path = t.write("cut.yaml", src.replace("archive: 5y", f"archive: \"{bad}\"", 1))
    p = t.run("--json", "lint", path)
    t.status(p, 1)
    findings, counted = findings_and_summary(t, p)
    t.eq(len(findings), counted, "findings listed = findings counted")
    syn = [f for f in findings if f["rule"] == "retention-syntax"]
    t.eq(len(syn), 1, "the retention-syntax finding is listed")
    t.contains(syn[0]["message"], "'" + "x" * 99 + "'")
    t.lacks(syn[0]["message"], "\ufffd", "the message")
    human = t.run("lint", path)
    t.eq(len([l for l in human.out.splitlines() if l]), counted, "as many lines as counted")
    human.stdout.decode("utf-8")  # strict: no cut character on the human output either


def test_json_keeps_every_finding_of_a_file_with_a_non_utf8_name(t):
    src = open(t.path("examples/senef.yaml"), "rb").read()
    name = os.path.join(os.fsencode(t.tmp), b"d\xe9claration.yaml")
    with open(name, "wb") as f:
        f.write(src)
    p = t.run("--json", "lint", os.fsdecode(name))
    t.status(p, 1)
    findings, counted = findings_and_summary(t, p)
    t.ok(counted > 0, "findings counted")
    t.eq(len(findings), counted, "findings listed = findings counted")
    t.ok(all(f["file"].endswith("d\ufffdclaration.yaml") for f in findings),
         "the invalid byte is written as U+FFFD")
    # a declaration with a non-UTF-8 name that does not load is one finding too
    bad = os.path.join(os.fsencode(t.tmp), b"\xff.yaml")
    with open(bad, "wb") as f:
        f.write(b"pdvault: [\n")
    p = t.run("--json", "lint", os.fsdecode(bad))
    t.status(p, 1)
    findings, counted = findings_and_summary(t, p)
    t.eq((len(findings), counted), (1, 1), "the load error is listed")


def test_nine_seed_findings_in_ten_say_a_fix_of_their_own(t):
    """Issue 13 point 6: the errors and warnings `pdvault lint` finds on the
    five seeds carry, nine in ten at least, a fix written at the report site
    for that case, not their rule's default (which `lint --rules --json`
    lists); every one has a fix."""
    p = t.run("--json", "lint", "--rules")
    t.status(p, 0)
    default = {r["rule"]: r["fix"] for r in t.json(p)["rules"]}
    t.ok(all(default.values()), "each rule has a default fix")
    total = own = 0
    for ex in EXAMPLES[:5]:
        for f in lint_json(t, t.path("examples/" + ex))[1]["findings"]:
            if f["severity"] not in ("error", "warning"):
                continue
            t.ok(f["fix"], f"{ex} [{f['rule']}]: a fix")
            total += 1
            own += f["fix"] != default[f["rule"]]
    t.ok(total >= 150, f"the seeds' findings: {total}")
    t.ok(own * 10 >= total * 9, f"{own} of {total} findings with a fix of their own")
