"""The command line itself: usage, unknown commands, help, version, global options."""
import re


def test_no_command_is_usage_error(t):
    p = t.run()
    t.status(p, 2)
    t.contains(p.err, "usage: pdvault")


def test_unknown_command(t):
    p = t.run("frobnicate")
    t.status(p, 2)
    t.contains(p.err, "'frobnicate' is not a pdvault command")


def test_help_lists_commands(t):
    p = t.run("--help")
    t.status(p, 0)
    for cmd in ("lint", "notice", "register", "taxonomy"):
        t.contains(p.out, cmd)


def test_command_help(t):
    p = t.run("notice", "--help")
    t.status(p, 0)
    t.contains(p.out, "usage: pdvault notice")


def test_version(t):
    p = t.run("--version")
    t.status(p, 0)
    t.ok(p.out.startswith("pdvault "), "version line")
    # the version has one home: the project version in meson.build
    with open(t.path("meson.build")) as f:
        want = re.search(r"version\s*:\s*'([^']+)'", f.read()).group(1)
    t.eq(p.out, f"pdvault {want}\n", "the version of meson.build")


def test_unknown_option_of_command(t):
    p = t.run("lint", "--frobnicate")
    t.status(p, 2)


def test_config_from_environment(t):
    decl = t.path("examples/alegria-corrected.yaml")
    p = t.run("notice", env={"PDVAULT_CONFIG": decl})
    t.status(p, 0)
    t.contains(p.out, "Alegria")


def test_missing_config_is_environment_error(t):
    p = t.run("notice")  # pdvault.yaml does not exist in the empty directory
    t.status(p, 3)
    t.contains(p.err, "pdvault: notice: ")
    t.contains(p.err, "pdvault.yaml")


def test_missing_config_json_error_document(t):
    p = t.run("--json", "register")
    t.status(p, 3)
    doc = t.json(p)
    t.ok("error" in doc and doc["error"]["code"] and doc["error"]["message"], "error document")


def test_bad_clock_is_refused(t):
    p = t.run("lint", t.path("examples/alegria-corrected.yaml"), env={"PDVAULT_NOW": "yesterday"})
    t.status(p, 2)  # a malformed PDVAULT_NOW is a usage error
    t.contains(p.err, "PDVAULT_NOW")


def test_taxonomy_lists_fideslang_and_extensions(t):
    p = t.run("taxonomy", "categories")
    t.status(p, 0)
    t.contains(p.out, "user.contact.email")
    t.contains(p.out, "pdv.user.professional.cv")
    p = t.run("--json", "taxonomy")
    doc = t.json(p)
    keys = {x["key"] for x in doc["subjects"]}
    t.ok({"prospect", "customer", "job_applicant"} <= keys, "fideslang subjects")
    t.ok(any(x["key"] == "marketing.communications.email" for x in doc["uses"]), "data uses")


def test_every_command_has_one_usage(t):
    # the command table gives each command one usage text: `help NAME`, `NAME --help` and
    # a usage error of NAME all print it
    p = t.run("--help")
    t.status(p, 0)
    cmds = re.findall(r"^  ([a-z-]+) ", p.out, re.M)
    t.ok(len(cmds) >= 30, f"commands listed ({len(cmds)})")
    for cmd in cmds:
        p = t.run(cmd, "--help")
        t.status(p, 0)
        lines = p.out.split("\n")
        t.ok(len(lines) == 3 and lines[2] == "", f"{cmd} --help: a usage and a summary: {p.out!r}")
        usage, summary = lines[0], lines[1]
        t.ok(usage == f"usage: pdvault {cmd}" or usage.startswith(f"usage: pdvault {cmd} "),
             f"{cmd} --help: {usage!r}")
        t.ok(summary and not summary.startswith("usage"), f"{cmd} --help: summary {summary!r}")
        t.eq(t.run("help", cmd).out, p.out, f"help {cmd}")
        # an option no command has, and more arguments than any takes: a usage error,
        # before anything is opened (this directory has no declaration, store or key)
        p = t.run(cmd, "--no-such-option", "x", "y", "z", "w")
        t.status(p, 2)
        t.eq(p.err.splitlines()[-1], f"pdvault: {cmd}: {usage}", f"{cmd}: the usage error")
        p = t.run("--json", cmd, "--no-such-option", "x", "y", "z", "w")
        t.status(p, 2)
        t.eq(t.json(p)["error"]["message"], usage, f"{cmd} --json: the usage error")


def test_usage_error_of_one_verb(t):
    # a verb's usage error prints that verb's alternative of the command's usage
    for args, want in ((("audit", "verify", "x"), "usage: pdvault audit verify"),
                       (("audit", "accept-loss"), "usage: pdvault audit accept-loss --reason TEXT")):
        p = t.run(*args)
        t.status(p, 2)
        t.eq(p.err, f"pdvault: audit: {want}\n", " ".join(args))
