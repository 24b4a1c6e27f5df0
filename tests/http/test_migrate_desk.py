"""migrate --to keeps what main's later tables hold, SQLite -> PostgreSQL ->
SQLite (docs/internals/multi-server.md, src/store/tables.h): a staff account
still signs in with its passphrase and TOTP, a consent receipt is still
replayed against its banner configuration, a request's note and a breach's
Art. 33(3) items and timeline read back, and a deletion certificate is
re-issued byte for byte and still verifies with tools/verify-certificate.py
and the published keys. (The 2,000-record round trip and the refusals:
tests/cli/test_migrate.py.)"""
import os
import subprocess

from storelib import always_pg, store_url
from test_auth import EPOCH0, PASS, at, enrol, signin, totp
from test_cookies import CLAY, banner, receipt
from test_server import Server, j

ADDR = "zoe.migrate@example.org"


def verify(t, cert, keys):
    p = subprocess.run(["/usr/bin/python3", t.path("tools/verify-certificate.py"), cert, keys],
                       capture_output=True, text=True, cwd=t.tmp)
    return p.returncode, p.stdout + p.stderr


def desk(t, srv):
    """what the back office holds, as a user reads it"""
    out = {}
    for what, args in (("note", ("request", "show")), ("breach", ("breach", "show"))):
        p = srv.cli("--json", *args, srv.ids[what])
        t.status(p, 0)
        out[what] = t.json(p)
    p = srv.cli("--json", "receipt", "show", srv.ids["receipt"])
    t.status(p, 0)
    out["receipt"] = t.json(p)
    p = srv.cli("staff", "list")
    t.status(p, 0)
    out["staff"] = p.out
    return out


@always_pg
def test_staff_notes_breaches_receipts_and_certificates_survive_the_round_trip(t):
    pg = store_url(t)
    srv = Server(t, env={"PDVAULT_DB": "sqlite:first.db", "PDVAULT_CONFIG": t.path(CLAY)})
    view = banner(t, srv)
    srv.ids = {}
    srv.start()
    try:
        secret, _ = enrol(t, srv, "alice")
        st, _, out = srv.post("/v1/cookies/receipts",
                              receipt(view, "change", {"audience": True, "social": False,
                                                       "advertising": False}))
        t.eq(st, 201, f"a receipt taken: {out[:200]!r}")
        srv.ids["receipt"] = j(out)["receipt"]
    finally:
        srv.stop()
    p = srv.cli("--json", "collect", "site-forms", f"email={ADDR}", "name=Zoe",
                "message=bonjour")
    t.status(p, 0)
    q = t.json(srv.cli("--json", "request", "open", "access", "--email", ADDR))
    t.status(srv.cli("request", "note", q["request"], "called back on Tuesday"), 0)
    srv.ids["note"] = q["request"]
    p = srv.cli("--json", "breach", "open", "--aware", "2026-03-02T09:00:00Z",
                "--summary", "a laptop left on a train")
    t.status(p, 0)
    srv.ids["breach"] = t.json(p)["breach"]
    t.status(srv.cli("breach", "describe", srv.ids["breach"], "--nature", "theft",
                     "--people", "120", "--records", "340"), 0)
    e = t.json(srv.cli("--json", "request", "open", "erasure", "--email", ADDR))
    p = srv.cli("--json", "request", "close", e["request"])
    t.status(p, 0)
    cert = t.json(p)["certificate"]
    t.status(srv.cli("certificate", "issue", cert, "-o", "before.json"), 0)
    before = desk(t, srv)
    t.eq(before["note"]["timeline"][-1].get("text"), "called back on Tuesday", "the note")
    t.eq((before["breach"]["nature"], before["breach"]["people"]), ("theft", 120), "the breach")

    p = srv.cli("--json", "migrate", "--to", pg)
    t.status(p, 0)
    for table in ("staff", "request_notes", "breaches", "cookie_configs", "cookie_receipts",
                  "signing_keys", "certificates"):
        t.ok(t.json(p)["rows"][table] >= 1, f"{table} copied to PostgreSQL")
    on_pg = Server(t, env={"PDVAULT_DB": pg, "PDVAULT_CONFIG": t.path(CLAY)})
    on_pg.ids = srv.ids
    t.eq(desk(t, on_pg), before, "read back on PostgreSQL")
    t.status(on_pg.cli("migrate", "--to", "sqlite:back.db"), 0)

    back = Server(t, env={"PDVAULT_DB": "sqlite:back.db", "PDVAULT_CONFIG": t.path(CLAY)})
    back.ids = srv.ids
    t.eq(desk(t, back), before, "and back on SQLite: note, breach, receipt, staff list")
    t.status(back.cli("certificate", "issue", cert, "-o", "after.json"), 0)
    t.eq(open(os.path.join(t.tmp, "after.json"), "rb").read(),
         open(os.path.join(t.tmp, "before.json"), "rb").read(),
         "the certificate re-issued byte for byte (its signing key came along)")
    p = back.cli("certificate", "keys")
    t.status(p, 0)
    t.write("keys.json", p.out)
    rc, out = verify(t, "after.json", "keys.json")
    t.eq(rc, 0, f"it verifies with the published keys: {out}")
    back.start(now=at(60))
    try:
        st, _, doc, cookie = signin(back, "alice", PASS, totp(secret, EPOCH0 + 60))
        t.eq((st, doc.get("name")), (200, "alice"), f"alice signs in after the trip: {doc}")
        st, _, _, _ = signin(back, "alice", "wrong passphrase!", totp(secret, EPOCH0 + 90))
        t.eq(st, 401, "and a wrong passphrase is still refused")
    finally:
        back.stop()
