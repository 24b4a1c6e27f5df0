"""Deletion certificates over HTTP (issue 16, docs/certificates.md): the dpo's
GET /v1/requests/{id}/certificate, the public keys at
/.well-known/pdvault-keys.json, a withdrawal in the privacy center answered
with its certificate; each verified by tools/verify-certificate.py (a few
lines of PyNaCl on Debian's python3) that knows only the published keys."""
import json
import os
import subprocess

from storelib import store_bytes
from test_server import Server, code_of, j

ADDR = "ines.cert@example.org"
CONTACT = ["last_name=Quenardet", "first_name=Inesse", f"email={ADDR}",
           "message=Qz8 only Ines wrote this"]
RIGHTS = [f"email={ADDR}", "request=Qz8 an old request of Ines"]


def verify(t, cert, keys):
    """write both documents as fetched, run the independent verifier"""
    c, k = os.path.join(t.tmp, "cert.json"), os.path.join(t.tmp, "keys.json")
    open(c, "wb").write(cert)
    open(k, "wb").write(keys)
    p = subprocess.run(["/usr/bin/python3", t.path("tools/verify-certificate.py"), c, k],
                       capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr


def values_absent(t, raw, values, what):
    for v in values:
        v = v.split("=", 1)[-1]
        t.ok(v.encode() not in raw, f"{what}: no collected value ({v[:8]}...)")
    t.ok(b"@" not in raw, f"{what}: no address")


def test_an_erasure_certificate_over_http_verifies_with_the_well_known_keys(t):
    srv = Server(t)
    dpo, sales = srv.token("dpo", "alice"), srv.token("sales", "sam")
    for activity, fields in (("contact", CONTACT), ("rights-requests", RIGHTS)):
        t.status(srv.cli("collect", activity, *(["--consent"] if activity == "contact" else []),
                         *fields), 0)
    q = t.json(srv.cli("--json", "request", "open", "erasure", "--email", ADDR))
    srv.start()
    try:
        st, _, out = srv.get("/.well-known/pdvault-keys.json")
        t.eq((st, j(out)["keys"]), (200, []), "no key before the first certificate")
        st, _, out = srv.post(f"/v1/requests/{q['request']}/close", {}, token=dpo)
        t.eq(st, 200, "closed")
        link = j(out)["certificate"]
        t.eq(link, f"/v1/requests/{q['request']}/certificate", "the close names its certificate")
        st, _, _ = srv.get(link, token=sales)
        t.eq(st, 403, "the dpo's alone")
        st, h, cert = srv.get(link, token=dpo)
        t.eq((st, h["Content-Type"]), (200, "application/json"), "the certificate")
        st, h, keys = srv.get("/.well-known/pdvault-keys.json")
        t.eq(st, 200, "public keys, no token")
        rc, out = verify(t, cert, keys)
        t.eq(rc, 0, f"verified with the published key alone: {out}")
        c = json.loads(cert)["certificate"]
        t.eq(c["request"]["reference"], q["reference"], "the request's reference")
        t.eq([e["activity"] for e in c["erased"]], ["contact"], "erased")
        t.eq([(k["activity"], k["why"], k["article"]) for k in c["kept"]],
             [("rights-requests", "legal-obligation", "Art. 17(3)(b)")], "kept, and why")
        t.ok(c["kept"][0]["until"] > c["done_at"], f"until when: {c['kept'][0]['until']}")
        t.eq(sorted((r["recipient"], r["status"]) for r in c["recipients_told"]),
             [("airtable", "pending"), ("webflow", "pending")], "the recipients told")
        values_absent(t, cert, CONTACT + RIGHTS, "the certificate")
        i = cert.index(b"legal-obligation")
        rc, out = verify(t, cert[:i] + b"L" + cert[i + 1:], keys)
        t.eq(rc, 1, f"one byte changed: refused ({out})")
        st, _, again = srv.get(link, token=dpo)
        t.eq((st, again), (200, cert), "re-issued: the same bytes")
        # a new signing key while the server runs: both published, the old
        # certificate still valid with the retired one
        t.status(srv.cli("certificate", "rotate-key"), 0)
        st, _, keys2 = srv.get("/.well-known/pdvault-keys.json")
        t.eq([k["status"] for k in j(keys2)["keys"]], ["retired", "current"], "both published")
        t.eq(verify(t, cert, keys2)[0], 0, "the first certificate verifies after the rotation")
        st, _, later = srv.get(link, token=dpo)
        t.eq(json.loads(later)["certificate"], c, "re-issued: the same content")
        t.eq(verify(t, later, keys2)[0], 0, "signed with the new key")
        st, _, out = srv.get("/v1/requests/qAAAAAAAAAAAAAAAAAAAAAA/certificate", token=dpo)
        t.eq((st, j(out)["error"]["code"]), (404, "not_found"), "no such request")
    finally:
        srv.stop()


def test_a_withdrawal_in_the_privacy_center_comes_with_its_certificate(t):
    srv = Server(t)
    t.status(srv.cli("collect", "newsletter", "--consent", f"email={ADDR}"), 0)
    t.status(srv.cli("collect", "contact", "--consent", *CONTACT), 0)
    srv.start()
    try:
        st, _, out = srv.post("/v1/requests", {"kind": "consents", "email": ADDR})
        vid = j(out)["verification"]
        st, _, out = srv.post("/v1/verify", {"verification": vid, "code": code_of(t, srv, vid)})
        t.eq(st, 200, "a consent session")
        session = j(out)["session"]
        st, _, out = srv.post("/v1/consents/newsletter/withdraw", {"session": session})
        t.eq((st, j(out)["state"]), (200, "withdrawn"), "withdrawn")
        env = j(out)["certificate"]
        t.ok(env and env["algorithm"] == "Ed25519", "with its certificate")
        c = env["certificate"]
        t.eq((c["kind"], c["withdrawn"]), ("withdrawal", "newsletter"), "of the withdrawal")
        t.ok("request" not in c, "no request behind it")
        done = [(e["activity"], e["records"]) for e in c["erased"]] + \
            [(k["activity"], k["records"]) for k in c["kept"]]
        t.eq(done, [("newsletter", 1)], "the newsletter's record, and nothing else")
        t.eq(sorted(r["recipient"] for r in c["recipients_told"]),
             sorted(r["recipient"] for r in c["recipients_told"] if r["status"] == "pending"),
             "every notice pending when it was made")
        st, _, keys = srv.get("/.well-known/pdvault-keys.json")
        raw = json.dumps(env, ensure_ascii=False).encode()
        rc, out = verify(t, raw, keys)
        t.eq(rc, 0, f"the person can check it: {out}")
        values_absent(t, raw, CONTACT, "the withdrawal's certificate")
        # the dpo re-issues it by its id: the same certificate
        p = srv.cli("certificate", "issue", c["certificate"])
        t.status(p, 0)
        t.eq(json.loads(p.out)["certificate"], c, "re-issued by the dpo: the same")
        st, _, out = srv.post("/v1/consents/contact/withdraw", {"session": session})
        t.eq(st, 200, "a second withdrawal")
        t.ok(j(out)["certificate"]["certificate"]["certificate"] != c["certificate"],
             "its own certificate")
    finally:
        srv.stop()
    t.lacks(store_bytes(t).decode("latin-1"), ADDR, "the store")


def test_viewing_an_answered_erasure_issues_no_certificate(t):
    """the request's page reads what the erasure did from GET /v1/requests/{id}
    (its certificate's lists, unsigned): looking at it N times puts no
    certificate-issue on the audit log; downloading the certificate does"""
    srv = Server(t)
    dpo = srv.token("dpo", "alice")
    for activity, fields in (("contact", CONTACT), ("rights-requests", RIGHTS)):
        t.status(srv.cli("collect", activity, *(["--consent"] if activity == "contact" else []),
                         *fields), 0)
    q = t.json(srv.cli("--json", "request", "open", "erasure", "--email", ADDR))

    def issues():
        entries = t.json(srv.cli("--json", "audit", "log"))["entries"]
        return [e for e in entries if e["action"] == "certificate-issue"]

    srv.start()
    try:
        st, _, out = srv.post(f"/v1/requests/{q['request']}/close", {}, token=dpo)
        t.eq(st, 200, "closed")
        before = len(issues())
        for _ in range(3):
            st, _, out = srv.get(f"/v1/requests/{q['request']}", token=dpo)
            t.eq(st, 200, "the request")
        doc = j(out)
        t.eq(len(issues()), before, "viewing the request three times issued no certificate")
        o = doc["outcome"]
        t.eq([(e["activity"], e["records"]) for e in o["erased"]], [("contact", 1)],
             "what was erased")
        t.eq([(k["activity"], k["why"], k["article"], k["records"]) for k in o["kept"]],
             [("rights-requests", "legal-obligation", "Art. 17(3)(b)", 1)], "kept, and why")
        t.ok(o["kept"][0]["until"] > o["done_at"], f"until when: {o['kept'][0]['until']}")
        t.eq(sorted(r["recipient"] for r in o["recipients_told"]), ["airtable", "webflow"],
             "the recipients told")
        t.eq(doc["certificate"], f"/v1/requests/{q['request']}/certificate",
             "the signed certificate's link")
        values_absent(t, json.dumps(o, ensure_ascii=False).encode(), CONTACT + RIGHTS,
                      "the request's outcome")
        st, h, cert = srv.get(doc["certificate"], token=dpo)
        t.eq(st, 200, "the certificate downloaded")
        c = json.loads(cert)["certificate"]
        t.eq(h["Content-Disposition"],
             f"attachment; filename=\"deletion-certificate-{c['certificate']}.json\"",
             "offered as a file")
        t.eq((o["certificate"], o["erased"], o["kept"], o["done_at"]),
             (c["certificate"], c["erased"], c["kept"], c["done_at"]),
             "the page's outcome is the certificate's")
        after = issues()
        t.eq(len(after), before + 1, "the download is one issue on the audit log")
        t.eq(after[-1]["actor"], "api:alice", "issued to the dpo")
        # an erasure that kept nothing open: no outcome before it is answered
        q2 = t.json(srv.cli("--json", "request", "open", "erasure", "--email",
                            "nobody@example.org"))
        st, _, out = srv.get(f"/v1/requests/{q2['request']}", token=dpo)
        t.ok("outcome" not in j(out), "an open erasure has no outcome yet")
    finally:
        srv.stop()
    t.status(srv.cli("audit", "verify"), 0)
