"""The status page's routes: a person follows their request with its
reference and a code sent to the address the request came from. Unknown
references are answered as known ones until a code is verified; the status
document gives the dates and the reasons staff wrote."""
from storelib import store_bytes
from test_server import Server, j

EMAIL = "lea@example.org"


def codes_to(srv, check):
    """the codes the outbox holds for a check, as `outbox show` reads them"""
    msgs = srv.t.json(srv.cli("--json", "outbox", "list"))["messages"]
    out = []
    for m in msgs:
        if m["kind"] == "verification" and m["recipient"] == check:
            shown = srv.t.json(srv.cli("--json", "outbox", "show", str(m["id"])))
            out.append((shown["to"], shown["code"]))
    return out


def opened_by_the_person(t, srv):
    """a request opened through the public intake, as the privacy center does"""
    st, _, out = srv.post("/v1/requests", {"kind": "access", "email": EMAIL})
    t.eq(st, 202, "intake check")
    vid = j(out)["verification"]
    [(to, code)] = codes_to(srv, vid)
    st, _, out = srv.post("/v1/verify", {"verification": vid, "code": code})
    t.eq(st, 201, "the request opens")
    return j(out)


def test_status_after_the_code_unknown_references_answered_alike(t):
    srv = Server(t)
    dpo = srv.token("dpo", "dora")
    srv.start()
    try:
        q = opened_by_the_person(t, srv)
        ref = q["reference"]
        t.eq(len(ref), 9, f"the intake's answer gives the reference ({ref})")
        listed = j(srv.get("/v1/requests", token=dpo)[2])["requests"]
        t.eq([r["reference"] for r in listed], [ref], "GET /v1/requests shows it")

        # a reference of no request: the same answer, and nothing sent
        sym = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
        v = (sum(sym.index(c) * 32 ** (7 - i) for i, c in enumerate(ref[:8])) + 1) % 2 ** 40
        other = "".join(sym[(v >> (5 * (7 - i))) & 31] for i in range(8)) + \
            (sym + "*~$=U")[v % 37]
        st1, h1, out1 = srv.post("/v1/status", {"reference": ref.lower()})
        st2, h2, out2 = srv.post("/v1/status", {"reference": other})
        t.eq((st1, st2), (202, 202), "202 for both")
        a, b = j(out1), j(out2)
        t.eq(sorted(a), sorted(b), "the same fields")
        t.eq((len(a["check"]), a["expires_at"]), (len(b["check"]), b["expires_at"]),
             "the same shapes and expiry")
        t.eq(codes_to(srv, b["check"]), [], "nothing sent for an unknown reference")
        [(to, code)] = codes_to(srv, a["check"])
        t.eq(to, EMAIL, "the code goes to the address the request came from")
        wrong = "000000" if code != "000000" else "111111"
        for check in (a["check"], b["check"]):
            st, _, out = srv.post("/v1/status/verify", {"check": check, "code": wrong})
            t.eq((st, j(out)["error"]["code"]), (422, "wrong_code"),
                 "a wrong code: the same answer for both")
        st, _, out = srv.post("/v1/status/verify", {"check": b["check"], "code": code})
        t.eq((st, j(out)["error"]["code"]), (422, "wrong_code"),
             "another check's code opens nothing")

        # a typo is refused, saying so (a malformed reference names nothing)
        typo = ref[:2] + ref[3] + ref[2] + ref[4:] if ref[2] != ref[3] else \
            sym[(sym.index(ref[0]) + 1) % 32] + ref[1:]
        st, _, out = srv.post("/v1/status", {"reference": typo})
        t.eq((st, j(out)["error"]["field"]), (422, "reference"), "a mistyped reference")
        t.contains(j(out)["error"]["message"], "check character", "says why")
        st, _, out = srv.post("/v1/status", {})
        t.eq((st, j(out)["error"]["field"]), (422, "reference"), "no reference")

        # the right code: the status
        st, _, out = srv.post("/v1/status/verify", {"check": a["check"], "code": code})
        t.eq(st, 200, "the status document")
        doc = j(out)
        t.eq({k: doc[k] for k in ("reference", "kind", "status", "received", "due", "extended",
                                  "extension_reason", "closed", "reason", "download")},
             {"reference": ref, "kind": "access", "status": "open", "received": "2026-03-02",
              "due": "2026-04-02", "extended": False, "extension_reason": None,
              "closed": None, "reason": None, "download": None}, "received and due")
        t.ok("request" not in doc and "subject" not in doc, "no ids")
        st, _, out = srv.post("/v1/status/verify", {"check": a["check"], "code": code})
        t.eq((st, j(out)["error"]["code"]), (422, "expired"), "a code is used once")

        # extended, then refused: each with its reason, for the person
        st, _, _ = srv.post(f"/v1/requests/{q['request']}/extend",
                            {"reason": "Bq4ext: three archives to search"}, token=dpo)
        t.eq(st, 200, "extended")
        st, _, _ = srv.post(f"/v1/requests/{q['request']}/close",
                            {"refuse": True, "reason": "Bq4ref: already answered in May"},
                            token=dpo)
        t.eq(st, 200, "refused")
        check = j(srv.post("/v1/status", {"reference": ref})[2])["check"]
        [(_, code)] = codes_to(srv, check)
        st, _, out = srv.post("/v1/verify", {"verification": check, "code": code})
        doc = j(out)
        t.eq((st, doc["status"], doc["extended"], doc["due"], doc["closed"]),
             (200, "refused", True, "2026-06-02", "2026-03-02"),
             "POST /v1/verify answers the same document")
        t.eq((doc["extension_reason"], doc["reason"]),
             ("Bq4ext: three archives to search", "Bq4ref: already answered in May"),
             "both reasons, the extension's kept when the refusal came")
        reads = [e for e in t.json(srv.cli("--json", "audit", "log"))["entries"]
                 if e["action"] == "request-status-read"]
        t.eq(len(reads), 2, "each read of the status is audited")
    finally:
        srv.stop()
    t.lacks(open(srv.log).read(), "Bq4", "no reason in the log")
    raw = store_bytes(t).decode("latin-1")
    t.lacks(raw, "Bq4", "reasons sealed in the store")
    t.lacks(raw, EMAIL, "the address sealed")
