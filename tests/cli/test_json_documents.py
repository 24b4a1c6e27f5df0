"""Every --json document of the CLI is one valid JSON document (strict UTF-8,
nothing lost to a value jansson would refuse) that counts what it lists: run
every command on realistic data (non-ASCII names, a CSV import with a rejected
row, a non-UTF-8 file name and id) and check each document."""
import collections
import json
import os

from vaultlib import DECL, NOW, collect_json, vault

EXAMPLES = ["clayrtons.yaml", "senef.yaml", "customer-labs.yaml", "clementine.yaml",
            "alegria.yaml", "alegria-corrected.yaml"]


def doc(t, p, status=None):
    """The stdout of p as a JSON document, decoded strictly."""
    if status is not None:
        t.status(p, status)
    try:
        text = p.stdout.decode("utf-8")  # strict: a cut character fails here
        return json.loads(text)
    except ValueError as ex:
        raise AssertionError(f"not one valid JSON document ({ex}): {p.stdout[:300]!r}")


def check_lint(t, d):
    by = collections.Counter(f["severity"] for f in d["findings"])
    s = d["summary"]
    t.eq((s["errors"], s["warnings"], s["infos"]),
         (by["error"], by["warning"], by["info"]), "summary counts = findings listed")
    for f in d["findings"]:
        t.ok(isinstance(f.get("fix"), str), f"[{f['rule']}] has a fix string")


def test_lint_documents_count_what_they_list(t):
    for ex in EXAMPLES + ["../tests/data/lint/clean.yaml"]:
        p = t.run("--json", "lint", t.path("examples/" + ex))
        check_lint(t, doc(t, p))
    for rule_dir in sorted(os.listdir(t.path("tests/data/lint"))):
        folder = t.path("tests/data/lint/" + rule_dir)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if name.endswith(".yaml"):
                check_lint(t, doc(t, t.run("--json", "lint", os.path.join(folder, name))))
    rules = doc(t, t.run("--json", "lint", "--rules"), 0)["rules"]
    t.ok(len(rules) > 20, "rules listed")


def test_every_vault_command_writes_valid_json(t):
    run = vault(t)
    people = [("zoë@example.org", "Zoë Ångström-Ñúñez", "12 rue de l'Église"),
              ("li@example.org", "李雷", "北京"),
              ("emoji@example.org", "Ana 🎉 " + "é" * 150, "x")]
    subjects = []
    for email, name, address in people:
        c = collect_json(t, run, "customers", f"email={email}", f"name={name}",
                         f"address={address}")
        subjects.append(c["subject"])
    csv = t.write("people.csv", "email,name\nok1@example.org,Élodie\nnot-an-email,Bob\n"
                                "ok2@example.org,Ωmega\n")
    d = doc(t, run("--json", "import", "customers", csv))
    t.eq(d["imported"] + len(d["rejected"]), 3, "imported + rejected = rows")
    t.eq(len(d["rejected"]), 1, "the bad email rejected")
    collect_json(t, run, "newsletter", "--consent", "email=nl@example.org", "country=Österreich")
    s0 = subjects[0]
    shown = doc(t, run("--json", "show", s0), 0)
    t.eq(shown["subject"], s0, "show")
    record = shown["records"][0]["record"]
    t.eq(doc(t, run("--json", "find", "--email", "zoë@example.org"), 0)["subjects"], [s0], "find")
    doc(t, run("--json", "export", s0), 0)
    doc(t, run("--json", "export", s0, "--portable"), 0)
    doc(t, run("--json", "rectify", s0, record, "name=Zoé Å."), 0)
    doc(t, run("--json", "event", s0, "contact"))
    doc(t, run("--json", "restrict", s0), 0)
    doc(t, run("--json", "restrict", s0, "--lift"), 0)
    doc(t, run("--json", "directives", s0, "--set", "effacer tout, écrire à ma sœur"), 0)
    doc(t, run("--json", "directives", s0), 0)
    hold = doc(t, run("--json", "hold", subjects[1], "--reason", "litige en cours — dossier n°4"),
               0)["hold"]
    erased = doc(t, run("--json", "erase", subjects[1]), 0)
    t.ok(isinstance(erased["erased"], list) and isinstance(erased["kept"], list), "erase lists")
    doc(t, run("--json", "hold", "--lift", hold), 0)
    doc(t, run("--json", "object", subjects[2]), 0)
    req = doc(t, run("--json", "request", "open", "access", "--subject", s0), 0)["request"]
    doc(t, run("--json", "request", "extend", req, "--reason", "demandes nombreuses"), 0)
    doc(t, run("--json", "request", "list"), 0)
    doc(t, run("--json", "request", "close", req), 0)
    doc(t, run("--json", "breach", "open", "--aware", "2026-03-01T08:00:00Z",
               "--summary", "clé USB perdue à la gare"), 0)
    doc(t, run("--json", "breach", "list"), 0)
    doc(t, run("--json", "stats", "newsletter", "--by", "country"), 0)
    doc(t, run("--json", "outbox", "list"), 0)
    doc(t, run("--json", "sweep", "--dry-run"), 0)
    doc(t, run("--json", "sweep"), 0)
    doc(t, run("--json", "token", "create", "sales", "--name", "Renée"), 0)
    doc(t, run("--json", "register", "--format", "json"), 0)
    log = doc(t, run("--json", "audit", "log"), 0)["entries"]
    verify = doc(t, run("--json", "audit", "verify"), 0)
    t.eq(verify["entries"], len(log), "audit verify counts the entries audit log lists")
    # errors quoting what was typed, any bytes, are documents too
    t.eq(doc(t, run("--json", "find", "--email", "\udce9@example.org"), 0), {"subjects": []},
         "find with bytes that are not UTF-8")
    for args in (["show", "s\udcff\udcfe"], ["lint", os.path.join(t.tmp, "n\udce9ant.yaml")],
                 ["collect", "customers", "email=a@example.org", "n\udcffme=x"]):
        d = doc(t, run("--json", *args))
        t.ok("error" in d and d["error"]["message"], f"{args[0]}: an error document")
