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
