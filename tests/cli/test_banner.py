"""`pdvault banner`: a cookie banner's configuration per kit from the
declaration, its id the SHA-256 of the canonical form kept in the store,
stable for the same declaration and changed by any change to it; refused for
a declaration with a cookie lint error. And the new key
cookies.proof_retention, linted when absurd."""
import hashlib
import json
import os
import re

from storelib import store_query
from vaultlib import vault

CLAY = "examples/clayrtons-corrected.yaml"
KITS = {
    "tarteaucitron": ["tarteaucitron.init(c.init)", "tarteaucitron.services[s.key] = s"],
    "cookieconsent": ["CookieConsent.run(c)", "expiresAfterDays"],
    "klaro": ["window.klaroConfig = ("],
    "orejime": ["window.orejimeConfig = ("],
}


def parts(text):
    """window.pdvaultBanner and the kit's configuration, as the file has them"""
    lines = text.splitlines()
    view = next(li for li in lines if li.startswith("window.pdvaultBanner = "))
    view = json.loads(view[len("window.pdvaultBanner = "):].rstrip(";"))
    config = re.search(r"\((\{.*\})\);\s*$", text, re.S).group(1)
    return view, json.loads(config)


def banner(t, run, kit, *args):
    p = run("--json", "banner", "--kit", kit, "-o", f"{kit}.js", *args)
    t.status(p, 0)
    with open(os.path.join(t.tmp, f"{kit}.js")) as f:
        return t.json(p)["config"], f.read()


def test_each_kit_gets_its_configuration_kept_by_its_id(t):
    run = vault(t, {"PDVAULT_CONFIG": t.path(CLAY)})
    ids = set()
    for kit, marks in KITS.items():
        cid, text = banner(t, run, kit, "--lang", "en")
        for m in marks:
            t.contains(text, m, f"{kit}: hands the configuration to the kit")
        view, config = parts(text)
        t.eq((view["config"], view["kit"], view["lang"]), (cid, kit, "en"), f"{kit}: the view")
        t.eq([(p["id"], p["required"]) for p in view["purposes"]],
             [("audience", False), ("social", False), ("advertising", False)],
             f"{kit}: one purpose per category, each asked")
        canon = store_query(t, "SELECT canonical FROM cookie_configs WHERE id = ?", cid)[0][0]
        t.eq(hashlib.sha256(canon.encode()).hexdigest(), cid, f"{kit}: the id hashes the form kept")
        t.eq(json.loads(canon)["config"], config, f"{kit}: the configuration on screen is the kept one")
        ids.add(cid)
    t.eq(len(ids), 4, "four kits, four configurations")
    # what each kit's documented format says: nothing on before a choice,
    # refuse as easy as accept, the declared lifetime (6 months: 183 days)
    _, tac = parts(banner(t, run, "tarteaucitron")[1])
    t.eq((tac["init"]["highPrivacy"], tac["init"]["DenyAllCta"], tac["init"]["AcceptAllCta"],
          tac["expire_days"]), (True, True, True, 183), "tarteaucitron")
    t.eq(sorted(s["cookies"][0] for s in tac["services"]), ["_ga", "_gcl_au", "youtube"],
         "tarteaucitron: one service per tracker")
    _, cc = parts(banner(t, run, "cookieconsent")[1])
    t.eq((cc["guiOptions"]["consentModal"]["equalWeightButtons"],
          cc["categories"]["advertising"]["enabled"], cc["cookie"]["refusal_days"]),
         (True, False, 183), "vanilla-cookieconsent")
    _, kl = parts(banner(t, run, "klaro")[1])
    t.eq((kl["default"], kl["hideDeclineAll"], kl["cookieExpiresAfterDays"],
          sorted(s["title"] for s in kl["services"])),
         (False, False, 183, ["_ga", "_gcl_au", "youtube"]), "klaro")
    _, ore = parts(banner(t, run, "orejime")[1])
    t.eq((ore["cookie"]["duration"], [g["id"] for g in ore["purposes"]]),
         (183, ["pdv-purpose-audience", "pdv-purpose-social", "pdv-purpose-advertising"]),
         "orejime")
    t.contains(parts(banner(t, run, "klaro", "--lang", "fr")[1])[1]["translations"]["fr"]
               ["consentModal"]["title"], "Cookies et traceurs", "French texts")


def test_the_id_is_stable_and_follows_the_declaration(t):
    run = vault(t, {"PDVAULT_CONFIG": t.path(CLAY)})
    a, _ = banner(t, run, "tarteaucitron")
    b, _ = banner(t, run, "tarteaucitron")
    t.eq(a, b, "the same declaration, kit and language: the same id")
    t.eq(store_query(t, "SELECT count(*) FROM cookie_configs"), [(1,)], "kept once")
    changed = open(t.path(CLAY)).read().replace("lifetime: 3mo, consent: required, "
                                                 "category: advertising",
                                                 "lifetime: 2mo, consent: required, "
                                                 "category: advertising")
    t.ok("lifetime: 2mo" in changed, "the tracker's lifetime was changed")
    decl = t.write("changed.yaml", changed)
    c, text = banner(t, lambda *a: run(*a, env2={"PDVAULT_CONFIG": decl}), "tarteaucitron")
    t.ok(c != a, "a changed declaration: another id")
    t.contains(text, "(2 mois)", "the new lifetime shown")
    t.eq(store_query(t, "SELECT count(*) FROM cookie_configs"), [(2,)],
         "the old configuration is kept beside the new")
    d, _ = banner(t, run, "tarteaucitron", "--lang", "en")
    t.ok(d not in (a, c), "another language: another id")


def test_a_cookie_lint_error_refuses_the_banner(t):
    bad = open(t.path(CLAY)).read().replace(
        "lifetime: 3mo, consent: required, category: advertising",
        "lifetime: 3mo, consent: exempt, category: advertising")
    run = vault(t, {"PDVAULT_CONFIG": t.write("bad.yaml", bad)})
    p = run("banner", "--kit", "klaro", "-o", "klaro.js")
    t.status(p, 1)
    t.contains(p.err, "cookie-consent", "the rule named")
    t.ok(not os.path.exists(os.path.join(t.tmp, "klaro.js")), "nothing written")
    t.eq(store_query(t, "SELECT count(*) FROM cookie_configs"), [(0,)], "nothing kept")
    p = run("banner", "--kit", "nope")
    t.status(p, 2)
    t.contains(p.err, "unknown kit 'nope'", "an unknown kit")
    p = run("banner")
    t.status(p, 2)


def test_proof_retention_is_linted_when_absurd(t):
    base = open(t.path(CLAY)).read()
    cases = [("1mo", "error", "shorter than the choice it proves"),
             ("trois ans", "error", "is not a duration"),
             ("20y", "warning", "more than 10 years"),
             ("5y", None, None)]
    for value, severity, text in cases:
        decl = t.write("p.yaml", base.replace("  refusal_lifetime: 6mo\n",
                                              f"  refusal_lifetime: 6mo\n  proof_retention: {value}\n"))
        p = t.run("--json", "lint", decl)
        found = [f for f in t.json(p)["findings"]
                 if f["rule"] == "cookie-lifetime" and "proof_retention" in f["message"]]
        if severity is None:
            t.eq(found, [], f"proof_retention {value}: nothing to say")
            continue
        t.eq([f["severity"] for f in found], [severity], f"proof_retention {value}")
        t.contains(found[0]["message"], text, f"proof_retention {value}: why")
