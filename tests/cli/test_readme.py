"""The README's examples are run: every `$ pdvault ...` line of its console
blocks, in a copy of examples/, must work (exit 0, or 1 for a lint that finds
errors) and produce something."""
import os
import re
import shlex
import shutil


def readme_commands(t):
    text = open(t.path("README.md"), encoding="utf-8").read()
    cmds = []
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        for line in block.splitlines():
            if line.startswith("$ pdvault "):
                cmds.append(shlex.split(line[2:])[1:])
    return cmds


def test_readme_commands_run(t):
    shutil.copytree(t.path("examples"), os.path.join(t.tmp, "examples"))
    cmds = readme_commands(t)
    t.ok(len(cmds) >= 5, f"the README shows its commands ({len(cmds)})")
    for args in cmds:
        p = t.run(*args)
        lint_with_errors = args[0] == "lint" and ": error: " in p.out
        t.eq(p.returncode, 1 if lint_with_errors else 0, "exit status of pdvault " + " ".join(args))
        if "-o" in args:
            out = os.path.join(t.tmp, args[args.index("-o") + 1])
            t.ok(os.path.getsize(out) > 0, f"{out} written")
        else:
            # a clean lint prints no finding, only its summary line on stderr
            t.ok(p.out.strip() or (args[0] == "lint" and p.err.strip()),
                 "output of pdvault " + " ".join(args))


def test_readme_declaration_snippet_lints(t):
    text = open(t.path("README.md"), encoding="utf-8").read()
    snippet = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
    path = t.write("snippet.yaml", snippet)
    p = t.run("--json", "lint", path)
    doc = t.json(p)
    errors = [f for f in doc["findings"] if f["severity"] == "error"]
    # the snippet is a fragment but a correct one: it loads, and its only
    # errors, if any, are about what it leaves out (no retention rules
    # missing, no invalid basis)
    for f in errors:
        t.ok(f["rule"] not in ("declaration-invalid", "basis-closed-list", "retention-syntax",
                               "taxonomy-key"), f"snippet error {f['rule']}: {f['message']}")
