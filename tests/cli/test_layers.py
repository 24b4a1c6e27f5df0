"""The layers the build enforces (docs/internals/layers.md): a file of a layer
that includes a header of a layer it may not use, or <sqlite3.h> outside the
store, or <sodium.h> outside crypto, does not build.

Each check writes a probe file into a layer's folder (src/http/ for the
server: a quoted #include looks in the file's own folder first, as it does
for the layer's real files) and compiles it with the exact command Meson uses
for that folder's files, read from the build's compile_commands.json, only
the object and dependency files sent elsewhere. What a layer may use must
build (one control probe per layer, including all of it), so that a command
broken by the substitution cannot pass for a refusal; what it may not must
fail, and fail for the right reason: the header named as not found, or the
poisoned stand-in's #error."""
import glob
import itertools
import json
import os
import re
import shlex
import subprocess
from concurrent.futures import ThreadPoolExecutor

# What each layer (src/<layer>/) may include, its own folder apart (STYLE.md,
# the layer plan): include/<name>/pdv/ folders, its own among them (crypto
# has two: crypto.h for the engine, wipe.h for the layers above it), and
# "http", whose folder is on the command line's path (cmd-serve.c includes
# "server.h": the server has no public header of its own).
PLAN = {
    "base": {"base"},
    "decl": {"base", "decl"},
    "crypto": {"base", "crypto", "wipe"},
    "delivery": {"base", "crypto", "wipe", "delivery"},
    "store": {"base", "store"},
    "render": {"base", "decl", "render"},
    "engine": {"base", "decl", "render", "crypto", "wipe", "store", "engine"},
    "courier": {"base", "decl", "render", "engine", "wipe", "delivery", "courier"},
    "http": {"base", "decl", "render", "engine", "wipe"},
    "cli": {"base", "decl", "render", "engine", "wipe", "http", "courier"},
}
# the library headers in /usr/include that one layer alone may include
OWNED = {"sqlite3.h": "store", "sqlite3ext.h": "store", "libpq-fe.h": "store",
         "sodium.h": "crypto", "xlsxwriter.h": "render", "liboath/oath.h": "crypto",
         "qrencode.h": "crypto"}
# the layers whose private folder another layer may see
SHARED_FOLDERS = {"http"}
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
PROBE = "layer-probe-{pid}-{n}.c"


def public_headers(t):
    """{"base": ["pdv/buf.h", ...], ...}: each include/<name>/pdv/ folder."""
    out = {}
    for d in sorted(glob.glob(t.path("include/*/pdv"))):
        name = os.path.basename(os.path.dirname(d))
        out[name] = sorted("pdv/" + os.path.basename(h) for h in glob.glob(os.path.join(d, "*.h")))
    return out


def private_headers(t, layer):
    """The headers under src/<layer>/, spelled from that folder ("backend.h",
    "sqlite/sqlite-internal.h")."""
    root = t.path(os.path.join("src", layer))
    return sorted(os.path.relpath(h, root)
                  for h in glob.glob(os.path.join(root, "**", "*.h"), recursive=True))


def compile_commands(t):
    """{layer: (directory, argv, source)}: the command of one .c file directly
    in src/<layer>/ for each layer."""
    path = os.path.join(t.build, "compile_commands.json")
    t.ok(os.path.exists(path), f"{path} (Meson writes it with the ninja backend)")
    out = {}
    for e in json.load(open(path)):
        src = os.path.normpath(os.path.join(e["directory"], e["file"]))
        folder = os.path.dirname(src)
        if os.path.dirname(folder) != t.path("src") or not src.endswith(".c"):
            continue
        argv = e["arguments"] if "arguments" in e else shlex.split(e["command"])
        out.setdefault(os.path.basename(folder), (e["directory"], argv, e["file"]))
    return out


class Prober:
    """Compiles probe files in a layer's folder with that folder's command."""

    def __init__(self, t, commands):
        self.t = t
        self.commands = commands
        self.n = itertools.count(1)  # thread-safe, unlike += 1

    def compile(self, layer, text):
        directory, argv, source = self.commands[layer]
        name = PROBE.format(pid=os.getpid(), n=next(self.n))
        probe = self.t.path(os.path.join("src", layer, name))
        obj = os.path.join(self.t.tmp, name + ".o")
        cmd = list(argv)
        at = [i for i, a in enumerate(cmd) if a == source]
        self.t.ok(len(at) == 1, f"the source {source} once in {cmd}")
        cmd[at[0]] = probe
        for flag, value in (("-o", obj), ("-MF", obj + ".d")):
            if flag in cmd:
                cmd[cmd.index(flag) + 1] = value
        with open(probe, "w") as f:
            f.write(text)
        try:
            p = subprocess.run(cmd, cwd=directory, capture_output=True, text=True,
                               errors="replace", timeout=120)
        finally:
            os.unlink(probe)
        return p.returncode, ANSI.sub("", p.stdout + p.stderr)


def probe_text(includes):
    lines = [f"#include {h}" if h.startswith("<") else f'#include "{h}"' for h in includes]
    # something to compile, which -Wmissing-prototypes accepts
    return "\n".join(lines + ["int pdv_layer_probe(void);",
                              "int pdv_layer_probe(void)", "{", "\treturn 0;", "}", ""])


def test_layers_see_only_the_layers_below(t):
    commands = compile_commands(t)
    layers = sorted(os.path.basename(d) for d in glob.glob(t.path("src/*"))
                    if os.path.isdir(d))
    unplanned = [x for x in layers if x not in PLAN]
    t.ok(not unplanned, f"src/ folders not in the layer plan of docs/internals/layers.md and "
         f"tests/cli/test_layers.py: {unplanned}")
    missing = [x for x in PLAN if x not in commands]
    t.ok(not missing, f"no compile command for a file in src/{missing} in compile_commands.json")
    public = public_headers(t)
    t.ok(set(public) >= set().union(*PLAN.values()) - SHARED_FOLDERS,
         f"include/<layer>/pdv/ folders: {sorted(public)}")
    private = {x: private_headers(t, x) for x in PLAN}
    prober = Prober(t, commands)

    # (layer, includes, None: must build | the text the error must show)
    cases = []
    for layer in PLAN:
        allowed = PLAN[layer] | {layer}
        control = [h for name in sorted(allowed) for h in public.get(name, [])]
        control += [h for name in sorted(allowed & SHARED_FOLDERS) for h in private[name]]
        control += [f"<{h}>" for h, owner in OWNED.items() if owner == layer]
        cases.append((layer, control, None))
        for name, headers in public.items():
            if name not in allowed:
                cases += [(layer, [h], h) for h in headers]
        # the folders whose headers the layer sees by bare name
        seen = {layer} | (allowed & SHARED_FOLDERS)
        own = {h for x in seen for h in private[x]}
        for other in PLAN:
            for h in private[other]:
                # spelled from src/, which is on no layer's path
                cases.append((layer, [f"{other}/{h}"], f"{other}/{h}"))
                # by bare name, as its own layer spells it
                if other not in seen and h not in own:
                    cases.append((layer, [h], h))
        for h, owner in OWNED.items():
            if owner != layer:
                cases.append((layer, [f"<{h}>"], f"{h} belongs to src/{owner} only"))

    def run(case):
        layer, includes, want = case
        return case, prober.compile(layer, probe_text(includes))

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run, cases))
    wrong = []
    for (layer, includes, want), (rc, out) in results:
        if want is None:
            if rc != 0:
                wrong.append(f"src/{layer}: a probe including what it may use does not build "
                             f"({', '.join(includes)}):\n{out[-1500:]}")
        elif rc == 0:
            wrong.append(f"src/{layer}: a probe including {includes[0]} builds")
        elif want not in out:
            wrong.append(f"src/{layer}: a probe including {includes[0]} fails, but not for "
                         f"lacking it ({want!r} not in the message):\n{out[-800:]}")
    t.ok(not wrong, "\n".join(wrong))
    # the plan above yields the issue's own example: the server sees neither
    # the store nor SQLite, and does see the engine
    refused = {(c[0], c[1][0]) for c in cases if c[2] is not None}
    for h in ("pdv/store.h", "<sqlite3.h>", "pdv/crypto.h", "<sodium.h>", "backend.h"):
        t.ok(("http", h) in refused, f"src/http is probed with {h}")
    control = next(c[1] for c in cases if c[0] == "http" and c[2] is None)
    t.ok("pdv/vault.h" in control and "pdv/wipe.h" in control,
         f"src/http's control probe includes pdv/vault.h and pdv/wipe.h: {control}")


def code_only(text, hash_comments=False):
    """text with its comments blanked (C: /* */ and //, strings kept; Meson: #)."""
    if hash_comments:
        return re.sub(r"#[^\n]*", "", text)
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(" " + "\n" * text.count("\n", i, j))  # lines keep their numbers
            i = j
        elif text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def test_no_sqlite_above_the_store_but_in_comments(t):
    # `grep -rni sqlite src/engine src/http src/cli` may find comments only
    found = []
    for folder in ("engine", "http", "cli"):
        for path in sorted(glob.glob(t.path(f"src/{folder}/**/*"), recursive=True)):
            name = os.path.basename(path)
            if not (name.endswith((".c", ".h")) or name == "meson.build"):
                continue
            text = open(path, encoding="utf-8").read()
            code = code_only(text, hash_comments=name == "meson.build")
            for k, line in enumerate(code.split("\n"), 1):
                if "sqlite" in line.lower():
                    found.append(f"{os.path.relpath(path, t.root)}:{k}: {line.strip()}")
    t.ok(not found, "SQLite named in code above the store:\n" + "\n".join(found))
    # the check sees code: a name in code is found, one in a comment is not
    t.ok("sqlite" in code_only('x = "sqlite:%s"; /* SQLite */'), "code is searched")
    t.ok("sqlite" not in code_only("/* sqlite */ x = 1; // sqlite\n").lower(),
         "comments are not")
