"""What the back office shows a DPO in words rather than ids, over HTTP: the
declared roles' names (GET /v1/me, for the header and the tokens page), and
the linter's findings on the declaration the server runs (GET /v1/lint, where
the dashboard's "errors in the declaration" card leads)."""
from test_server import Server, j


def test_me_gives_the_declared_roles_names_in_each_language(t):
    srv = Server(t)
    sales = srv.token("sales", "sam")
    dpo = srv.token("dpo", "alice")
    srv.start()
    try:
        st, _, out = srv.get("/v1/me", token=sales)
        got = j(out)
        t.eq((st, got["role"], got["roles"]["sales"]),
             (200, "sales", {"fr": "Équipe commerciale", "en": "Sales team"}),
             "the caller's role by its declared name, in French and English")
        t.eq(sorted(got["roles"]), ["hr", "it", "sales", "training"],
             "every declared role, for the tokens page")
        st, _, out = srv.get("/v1/me", token=dpo)
        t.eq((st, "dpo" in j(out)["roles"]), (200, False), "dpo is not a declared role")
    finally:
        srv.stop()


def test_lint_lists_the_findings_of_the_declaration_the_server_runs(t):
    srv = Server(t)
    srv.env["PDVAULT_CONFIG"] = t.path("examples/alegria.yaml")
    sales = srv.token("sales", "sam")
    want = t.json(t.run("--json", "lint", t.path("examples/alegria.yaml"),
                        env={"PDVAULT_NOW": srv.env["PDVAULT_NOW"]}))
    srv.start()
    try:
        st, _, out = srv.get("/v1/lint", token=sales)
        got = j(out)
        t.eq(st, 200, "any staff member may read what the dashboard counts")
        t.eq(got["summary"], want["summary"], "the counts `pdvault lint` gives")
        t.eq([(f["rule"], f["line"], f["message"]) for f in got["findings"]],
             [(f["rule"], f["line"], f["message"]) for f in want["findings"]],
             "the findings `pdvault lint --json` gives, in its order")
        t.eq({f["file"] for f in got["findings"]}, {"alegria.yaml"},
             "the file named without the server's folders")
        st, _, out = srv.get("/v1/dashboard", token=sales)
        t.eq(j(out)["lint"]["errors"], got["summary"]["errors"], "the card's count is the list's")
        st, _, _ = srv.get("/v1/lint")
        t.eq(st, 401, "not without a token")
    finally:
        srv.stop()
