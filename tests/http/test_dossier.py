"""GET /v1/dossier: the accountability dossier for the dpo, the same page
`pdvault dossier` writes (tests/cli/test_dossier.py lives the scenario
through); another role is refused, and a bad period names its parameter."""
from test_server import Server, j


def test_the_dossier_through_the_api(t):
    srv = Server(t)
    dpo, sales = srv.token("dpo", "alice"), srv.token("sales", "sam")
    t.status(srv.cli("--json", "collect", "contact", "--consent", "last_name=Ab", "first_name=Jo",
                     "email=jo@example.org", "message=hello"), 0)
    t.status(srv.cli("sweep"), 0)
    srv.start(now="2026-03-06T12:00:00Z")
    try:
        st, headers, out = srv.request("GET", "/v1/dossier?from=2026-01-01&to=2026-12-31",
                                       token=dpo)
        page = out.decode() if isinstance(out, bytes) else out
        t.eq(st, 200, "the dpo reads it")
        t.contains(str(headers).lower(), "text/html", "an HTML page")
        t.ok(page.startswith("<!DOCTYPE html>"), "a standalone page")
        t.contains(page, 'data-section="sweeps"', "with the sweeps")
        t.contains(page, 'data-chain="ok"', "and the chain verified")
        t.lacks(page, "jo@example.org", "no personal data")
        cli = srv.cli("dossier", "--from", "2026-01-01", "--to", "2026-12-31",
                      now="2026-03-06T12:00:00Z")
        t.status(cli, 0)
        strip = lambda s: s[s.index("<section"):]
        t.eq(strip(page), strip(cli.out), "the same page as the command line")
        st, _, out = srv.get("/v1/dossier?from=2026-01-01&to=2026-12-31", token=sales)
        t.eq((st, j(out)["error"]["code"]), (403, "forbidden"), "the dpo's alone")
        for query, field in (("from=nope&to=2026-12-31", "from"), ("to=2026-12-31", "from"),
                             ("from=2026-02-01&to=2026-01-01", "to"), ("from=2026-01-01", "to")):
            st, _, out = srv.get(f"/v1/dossier?{query}", token=dpo)
            t.eq((st, j(out)["error"]["field"]), (400, field), f"refused: {query}")
    finally:
        srv.stop()
