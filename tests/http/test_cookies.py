"""Consent receipts over HTTP: what /v1/cookies/adapter.js posts is checked
against the banner configuration `pdvault banner` kept, appended through the
group commit (201 only once on disk), shown to the browser that holds the
consent id and to the DPO as JSON-LD (DPV, ISO/IEC TS 27560) or HTML, limited
like the other public routes, and swept after cookies.proof_retention. The
store never holds the client's address nor the consent id itself."""
import base64
import hashlib
import http.client
import json
import random
import sqlite3
import threading
import time

from storelib import StoreError, store_bytes, store_count, store_exec, store_query
from test_server import Server, acks_at_least, j

CLAY = "examples/clayrtons-corrected.yaml"
CLEAN = "tests/data/lint/clean.yaml"
CONSENT = "Zq8v0yM4kX2pL7sN1rT5wQ"


def banner(t, srv, kit="tarteaucitron", name="banner.js"):
    """The configuration the site would load, as window.pdvaultBanner says it"""
    p = srv.cli("--json", "banner", "--kit", kit, "-o", name)
    t.status(p, 0)
    text = open(f"{t.tmp}/{name}").read()
    line = next(li for li in text.splitlines() if li.startswith("window.pdvaultBanner = "))
    view = json.loads(line[len("window.pdvaultBanner = "):].rstrip(";"))
    t.eq(view["config"], t.json(p)["config"], "the file carries the id printed")
    return view


def receipt(view, event, choices, consent=CONSENT, **extra):
    body = {"consent_id": consent, "config": view["config"],
            "declaration": view["declaration"], "event": event, "choices": choices,
            "given_at": "2026-03-02T09:59:58Z"}
    body.update(extra)
    return body


def test_receipts_are_checked_appended_and_shown(t):
    srv = Server(t, env={"PDVAULT_CONFIG": t.path(CLAY)})
    view = banner(t, srv)
    dpo = srv.token("dpo", "dana")
    sales = srv.token("hr", "sam")
    srv.start()
    try:
        st, _, out = srv.request("POST", "/v1/cookies/receipts",
                                 body=receipt(view, "change", {"audience": True, "social": False,
                                                               "advertising": False}),
                                 headers={"Sec-GPC": "1"})
        t.eq(st, 201, f"a change is taken: {out[:200]!r}")
        first = j(out)["receipt"]
        t.eq(j(out)["gpc"], True, "the Sec-GPC header is recorded")
        st, _, out = srv.post("/v1/cookies/receipts",
                              receipt(view, "withdraw", {"audience": False, "social": False,
                                                         "advertising": False}))
        t.eq(st, 201, "a withdrawal is taken")
        second = j(out)["receipt"]
        t.eq(j(out)["gpc"], False, "no GPC without the header or the flag")

        # bad input: named, nothing stored
        cases = [
            ({"consent_id": "short"}, "consent_id"),
            ({"config": "0" * 64}, "config"),
            ({"config": "nope"}, "config"),
            ({"declaration": "f" * 64}, "declaration"),
            ({"event": "maybe"}, "event"),
            ({"event": "accept"}, "event"),  # accept with purposes refused
            ({"choices": {"audience": True, "social": False}}, "choices.advertising"),
            ({"choices": {"audience": True, "social": False, "advertising": False,
                          "nope": True}}, "choices.nope"),
            ({"choices": {"audience": "yes", "social": False, "advertising": False}},
             "choices.audience"),
            ({"given_at": "yesterday"}, "given_at"),
            ({"gpc": "on"}, "gpc"),
        ]
        for change, field in cases:
            body = receipt(view, "change", {"audience": True, "social": False,
                                            "advertising": False})
            body.update(change)
            st, _, out = srv.post("/v1/cookies/receipts", body)
            t.eq((st, j(out)["error"]["field"]), (422, field), f"{change} is refused")
        t.eq(store_count(t, "cookie_receipts"), 2, "only the two good receipts are kept")

        # the browser's own receipts, by its cookie or the id posted
        st, h, out = srv.request("GET", "/v1/cookies/receipts/mine",
                                 headers={"Cookie": f"pdv_consent={CONSENT}"})
        t.eq(st, 200, "mine by the cookie")
        t.eq(h.get("Content-Type"), "application/ld+json", "JSON-LD")
        doc = j(out)
        t.eq(doc["@context"]["dpv"], "https://w3id.org/dpv#", "DPV's namespace")
        recs = doc["@graph"]
        t.eq({r["@type"] for r in recs}, {"dpv:ConsentRecord"}, "consent records")
        t.eq({r["dct:conformsTo"] for r in recs},
             {"https://w3id.org/dpv/schema/iso-27560#record"}, "the 27560 record profile")
        status = {(r["dct:isPartOf"], r["dpv:hasPurpose"]["dct:identifier"]):
                  r["dpv:hasConsentStatus"] for r in recs}
        t.eq(status, {(first, "audience"): "dpv:ConsentGiven",
                      (first, "social"): "dpv:ConsentRefused",
                      (first, "advertising"): "dpv:ConsentRefused",
                      (second, "audience"): "dpv:ConsentWithdrawn",
                      (second, "social"): "dpv:ConsentWithdrawn",
                      (second, "advertising"): "dpv:ConsentWithdrawn"},
             "each purpose's status, per receipt, in order")
        t.eq({r["dpv:hasNotice"]["dct:identifier"] for r in recs}, {view["config"]},
             "the notice is the configuration on screen")
        t.eq(recs[0]["dpv:isIndicatedAtTime"]["@value"], "2026-03-02T09:59:58Z",
             "the time the browser gave")
        st, _, out2 = srv.post("/v1/cookies/receipts/mine", {"consent_id": CONSENT})
        t.eq((st, j(out2)), (200, doc), "mine by the id posted: the same records")
        st, h, out = srv.request("GET", "/v1/cookies/receipts/mine?format=html",
                                 headers={"Cookie": f"pdv_consent={CONSENT}"})
        t.eq(st, 200, "mine as HTML")
        t.contains(h.get("Content-Type"), "text/html", "HTML")
        t.contains(out.decode(), first, "the first receipt shown")
        t.contains(out.decode(), "Mesure d&#39;audience", "its purposes, escaped")
        st, _, out = srv.get("/v1/cookies/receipts/mine")
        t.eq((st, j(out)["error"]["field"]), (422, "consent_id"), "no cookie, no receipts")
        st, _, out = srv.post("/v1/cookies/receipts/mine", {"consent_id": "A" * 22})
        t.eq((st, j(out)["@graph"]), (200, []), "another browser has none")

        # the DPO looks one up; no one else
        st, h, out = srv.get(f"/v1/cookies/receipts/{first}", token=dpo)
        t.eq(st, 200, "the dpo reads a receipt")
        t.eq(len(j(out)["@graph"]), 3, "one record per purpose")
        t.ok(all("Global Privacy Control" in r["rdfs:comment"] for r in j(out)["@graph"]),
             "GPC said on each record")
        st, _, _ = srv.get(f"/v1/cookies/receipts/{first}", token=sales)
        t.eq(st, 403, "hr may not")
        st, _, _ = srv.get(f"/v1/cookies/receipts/{first}")
        t.eq(st, 401, "nor anyone without a token")
        st, _, out = srv.request("GET", f"/v1/cookies/receipts/{first}?format=html",
                                 token=dpo)
        t.eq(st, 200, "as HTML")
        t.contains(out.decode(), view["config"], "the configuration's id")
        st, _, out = srv.get(f"/v1/cookies/receipts/{first}?format=pdf", token=dpo)
        t.eq((st, j(out)["error"]["field"]), (400, "format"), "an unknown format")
        st, _, out = srv.get("/v1/cookies/receipts/kAAAAAAAAAAAAAAAAAAAAAA", token=dpo)
        t.eq((st, j(out)["error"]["field"]), (404, "receipt"), "an unknown receipt")
        st, h, out = srv.get("/v1/cookies/adapter.js")
        t.eq(st, 200, "the adapter is served")
        t.contains(h.get("Content-Type"), "javascript", "as a script")
        t.contains(out.decode(), "/v1/cookies/receipts", "it posts receipts")
    finally:
        srv.stop()

    # appended, never overwritten; nothing that identifies the client
    try:
        store_exec(t, "UPDATE cookie_receipts SET event = 'accept'")
        t.ok(False, "a receipt was changed")
    except (sqlite3.DatabaseError, StoreError) as e:
        t.contains(str(e), "never changed", "the store refuses to change a receipt")
    raw = store_bytes(t)
    t.ok(b"127.0.0.1" not in raw, "no client address in the store")
    t.ok(CONSENT.encode() not in raw, "the consent id is not stored, only its blind index")

    # replayed against the configuration that was on screen
    p = srv.cli("--json", "receipt", "show", first)
    t.status(p, 0)
    doc = t.json(p)
    t.eq(doc["choices"], {"audience": True, "social": False, "advertising": False},
         "the choices")
    t.eq(hashlib.sha256(doc["config"]["canonical"].encode()).hexdigest(), view["config"],
         "the canonical configuration hashes to the config id")
    p = srv.cli("receipt", "show", "--consent-id", CONSENT)
    t.status(p, 0)
    t.contains(p.out, f"receipt {first}", "the first")
    t.contains(p.out, f"receipt {second}", "the second")
    t.contains(p.out, "_gcl_au: Performance de nos campagnes (Google Ads) (3 mois)",
               "each tracker as the banner showed it")


def test_an_exempt_purpose_cannot_be_refused(t):
    srv = Server(t, env={"PDVAULT_CONFIG": t.path(CLEAN)})
    view = banner(t, srv, "cookieconsent")
    t.eq([(p["id"], p["required"]) for p in view["purposes"]],
         [("audience", True), ("necessary", True), ("advertising", False)],
         "exempt audience measurement and the necessary are required")
    srv.start()
    try:
        st, _, out = srv.post("/v1/cookies/receipts",
                              receipt(view, "refuse", {"advertising": False,
                                                       "necessary": False}))
        t.eq((st, j(out)["error"]["field"]), (422, "choices.necessary"), "refused")
        st, _, out = srv.post("/v1/cookies/receipts",
                              receipt(view, "refuse", {"advertising": False}, gpc=True))
        t.eq((st, j(out)["gpc"]), (201, True), "the choices that need consent suffice")
        p = srv.cli("--json", "receipt", "show", j(out)["receipt"])
        t.eq(t.json(p)["choices"], {"audience": True, "necessary": True, "advertising": False},
             "required purposes are recorded as on")
    finally:
        srv.stop()


def test_receipts_are_rate_limited_like_submissions(t):
    srv = Server(t, env={"PDVAULT_CONFIG": t.path(CLAY)})
    view = banner(t, srv)
    srv.start("--rate", "2", "--cors", "https://www.clayrtons.example")
    try:
        body = receipt(view, "refuse", {"audience": False, "social": False,
                                        "advertising": False})
        statuses = [srv.post("/v1/cookies/receipts", body)[0] for _ in range(12)]
        t.ok(statuses.count(201) >= 2, f"the burst passes ({statuses})")
        t.ok(429 in statuses, f"then 429 ({statuses})")
        t.eq(store_count(t, "cookie_receipts"), statuses.count(201), "one row per 201")
        st, h, _ = srv.request("OPTIONS", "/v1/cookies/receipts",
                               headers={"Origin": "https://www.clayrtons.example",
                                        "Access-Control-Request-Method": "POST"})
        t.eq((st, h.get("Access-Control-Allow-Origin")), (204, "https://www.clayrtons.example"),
             "the site's origin may post")
    finally:
        srv.stop()


def test_every_201_receipt_survives_kill_9(t):
    srv = Server(t, env={"PDVAULT_CONFIG": t.path(CLAY)})
    view = banner(t, srv)
    acked = []
    lock = threading.Lock()
    for round_ in range(8):
        srv.start("--rate", "0")
        stop = threading.Event()

        def load(k):
            i = 0
            while not stop.is_set():
                consent = f"c{round_:02d}x{k:02d}x{i:012d}"
                i += 1
                body = receipt(view, "accept", {"audience": True, "social": True,
                                                "advertising": True}, consent=consent)
                try:
                    st, _, out = srv.post("/v1/cookies/receipts", body)
                except (OSError, http.client.HTTPException):
                    return
                if st == 201:
                    with lock:
                        acked.append(j(out)["receipt"])
        threads = [threading.Thread(target=load, args=(k,)) for k in range(8)]
        for th in threads:
            th.start()
        time.sleep(random.uniform(0.15, 0.4))
        acks_at_least(acked, lock, 7 * (round_ + 1))  # a slow sync: no round without 201s
        srv.proc.kill()  # SIGKILL, in the middle of the load
        srv.proc.wait()
        stop.set()
        for th in threads:
            th.join()
        srv.proc.communicate()
    t.ok(len(acked) > 50, f"receipts were acknowledged ({len(acked)})")
    stored = {bytes(r[0]) for r in store_query(t, "SELECT tag FROM cookie_receipts")}
    missing = [r for r in acked if base64.urlsafe_b64decode(r[1:] + "==")[:8] not in stored]
    t.eq(missing, [], "every receipt answered 201 is in the store")
    p = srv.cli("--json", "audit", "verify")
    t.status(p, 0)
    t.eq(t.json(p)["ok"], True, "audit verify")


def test_receipts_are_swept_after_the_proof_retention(t):
    srv = Server(t, env={"PDVAULT_CONFIG": t.path(CLAY)})
    view = banner(t, srv)
    srv.start()
    try:
        st, _, _ = srv.post("/v1/cookies/receipts",
                            receipt(view, "refuse", {"audience": False, "social": False,
                                                     "advertising": False}))
        t.eq(st, 201, "posted at 2026-03-02")
    finally:
        srv.stop()
    # the default proof_retention: 5 years (5 x 365.2425 days)
    p = srv.cli("--json", "sweep", now="2031-03-01T10:00:00Z")
    t.eq((p.returncode, t.json(p)["cookie_receipts"]), (0, 0), "kept within 5 years")
    t.eq(store_count(t, "cookie_receipts"), 1, "still there")
    p = srv.cli("--json", "sweep", "--dry-run", now="2031-03-04T10:00:00Z")
    t.eq((p.returncode, t.json(p)["cookie_receipts"]), (0, 1), "a dry run counts it")
    t.eq(store_count(t, "cookie_receipts"), 1, "and leaves it")
    p = srv.cli("--json", "sweep", now="2031-03-04T10:00:00Z")
    t.eq((p.returncode, t.json(p)["cookie_receipts"]), (0, 1), "swept after")
    t.eq(store_count(t, "cookie_receipts"), 0, "gone")
    t.eq(store_count(t, "cookie_configs"), 1, "the configuration stays")
    entries = t.json(srv.cli("--json", "audit", "log"))["entries"]
    t.ok(any(e["action"] == "cookie-receipts-swept" for e in entries), "the sweep is audited")
    p = srv.cli("--json", "audit", "verify")
    t.eq(t.json(p)["ok"], True, "audit verify")
    t.ok(store_query(t, "SELECT 1") == [(1,)], "the store opens")
