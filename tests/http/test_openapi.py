"""docs/openapi.yaml describes the API as the server has it: every route of
the route table (src/http/router.c) is described with the same access and
every described path is a route; every error code the server can answer is
in the Error schema; real answers of the server, and the Art. 19 notices a
real webhook receives, match the schemas; and GET /v1/openapi.yaml serves the
file byte for byte, as application/yaml.

The YAML is parsed by Debian's python3-yaml (/usr/bin/python3), as a reader of
the file would; the schemas are checked by the small JSON Schema reader below
(the keywords the file uses), so the suite needs no other package."""
import json
import os
import re
import subprocess
import sys
import time

from test_server import Server, j

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "lib"))
from peers import Webhookd  # noqa: E402

ACCESS = {"SRV_PUBLIC": "public", "SRV_STAFF": "staff", "SRV_DPO": "dpo",
          "SRV_METRICS": "metrics", "SRV_CALENDAR": "calendar"}
METHODS = ("get", "post", "put", "delete", "patch")


def load(t):
    """docs/openapi.yaml as Debian's python3-yaml reads it."""
    p = subprocess.run(["/usr/bin/python3", "-c",
                        "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"],
                       stdin=open(t.path("docs/openapi.yaml"), "rb"), capture_output=True)
    t.ok(p.returncode == 0, f"docs/openapi.yaml does not parse: {p.stderr.decode()[-800:]}")
    return json.loads(p.stdout)


def router_table(t):
    """{(METHOD, pattern): access} from the route table's rows."""
    src = open(t.path("src/http/router.c"), encoding="utf-8").read()
    table = src.split("static const struct srv_route routes[] = {", 1)[1].split("};", 1)[0]
    rows = re.findall(r'\{"([A-Z]+)", "([^"]+)", (SRV_[A-Z]+),', table)
    t.ok(len(rows) > 30, f"the route table's rows read from router.c ({len(rows)})")
    return {(m, p): ACCESS[a] for m, p, a in rows}


def described(doc):
    """{(METHOD, pattern with {} for each parameter): operation}."""
    return {(m.upper(), re.sub(r"\{[^}]+\}", "{}", path)): op
            for path, item in doc["paths"].items() for m, op in item.items() if m in METHODS}


def test_every_route_is_described_and_every_description_is_a_route(t):
    doc = load(t)
    t.eq(doc["openapi"], "3.1.0", "the OpenAPI version")
    p = subprocess.run(["meson", "introspect", "--projectinfo", t.path("meson.build")],
                       capture_output=True, text=True, check=True)
    t.eq(doc["info"]["version"], json.loads(p.stdout)["version"], "info.version, the project's")
    routes, ops = router_table(t), described(load(t))
    t.eq(sorted(set(routes) - set(ops)), [], "routes of router.c missing from docs/openapi.yaml")
    t.eq(sorted(set(ops) - set(routes)), [], "paths of docs/openapi.yaml that are no route")
    for key, access in routes.items():
        op = ops[key]
        t.eq(op.get("x-pdvault-access"), access, f"{key}: x-pdvault-access")
        sec = op.get("security", doc["security"])
        if access == "public":
            t.ok({} in sec, f"{key}: public, so callable without a token")
        else:
            t.ok({} not in sec, f"{key}: needs a token")
        if access == "dpo":
            t.eq(sec, [{"bearer": ["dpo"]}], f"{key}: the dpo's")
        if access != "public":
            t.ok("401" in op["responses"], f"{key}: describes the 401")
    ids = [op["operationId"] for op in ops.values()]
    t.eq(len(ids), len(set(ids)), "every operationId is unique")


def test_the_description_holds_together(t):
    """Every $ref resolves, every {name} of a path is a declared path
    parameter (and no other is), every response has a description and a
    status the specification allows."""
    doc = load(t)
    bad = []

    def walk(x, at):
        if isinstance(x, dict):
            if "$ref" in x:
                try:
                    resolve(doc, x)
                except KeyError:
                    bad.append(f"{at}: {x['$ref']} resolves to nothing")
            for k, v in x.items():
                walk(v, f"{at}.{k}")
        elif isinstance(x, list):
            for i, v in enumerate(x):
                walk(v, f"{at}[{i}]")

    walk(doc, "$")
    items = list(doc["paths"].items()) + [(f"webhook {k}", v) for k, v in doc["webhooks"].items()]
    for path, item in items:
        for method, op in item.items():
            params = [resolve(doc, p) for p in op.get("parameters", [])]
            declared = sorted(p["name"] for p in params if p["in"] == "path")
            t.eq(declared, sorted(re.findall(r"\{([^}]+)\}", path)), f"{method} {path}: path parameters")
            t.ok(all(p.get("required") for p in params if p["in"] == "path"),
                 f"{method} {path}: a path parameter is required")
            for status, r in op["responses"].items():
                t.ok(status == "default" or re.fullmatch(r"[1-5](?:[0-9]{2}|XX)", status),
                     f"{method} {path}: status {status}")
                t.ok("description" in resolve(doc, r), f"{method} {path} {status}: a description")
    t.eq(bad, [], "references that resolve to nothing")


def test_every_error_code_the_server_gives_is_described(t):
    codes = set(load(t)["components"]["schemas"]["Error"]["properties"]["error"]["properties"]
                ["code"]["enum"])
    given = set()
    for name in os.listdir(t.path("src/http")):
        if name.endswith(".c"):
            src = open(t.path(f"src/http/{name}"), encoding="utf-8").read()
            given |= set(re.findall(r"(?:srv_error|answer_error)\(\s*[^,]+,\s*(?:[^,]+,\s*){0,2}"
                                    r"\d{3},\s*\"([a-z_-]+)\"", src))
    # srv_fail answers an engine error with its code: the rc table's, or one the
    # engine names (a field's refusal, a session, a scope)
    base = open(t.path("src/base/error.c"), encoding="utf-8").read()
    given |= set(re.findall(r'\{PDV_[A-Z_]+, "([a-z_]+)", \d, \d{3}\}', base)) - {"ok"}
    for name in os.listdir(t.path("src/engine")):
        if name.endswith(".c"):
            src = open(t.path(f"src/engine/{name}"), encoding="utf-8").read()
            given |= set(re.findall(r'(?:err->code, |refuse\(err, [^,]+, )"([a-z_-]+)"', src))
    t.ok({"malformed", "unauthorized", "wrong_code", "rate_limited", "integrity", "required",
          "suppressed"} <= given,
         f"the codes read from the sources ({sorted(given)})")
    t.eq(sorted(given - codes), [], "error codes the server gives that the Error schema lacks")


def test_the_server_serves_the_file_as_application_yaml(t):
    srv = Server(t).start()
    try:
        st, h, body = srv.get("/v1/openapi.yaml")
        head = srv.request("HEAD", "/v1/openapi.yaml")
        post = srv.post("/v1/openapi.yaml", {})
    finally:
        srv.stop()
    t.eq(st, 200, "GET /v1/openapi.yaml")
    t.eq(h.get("Content-Type"), "application/yaml", "its content type")
    want = open(t.path("docs/openapi.yaml"), "rb").read()
    t.ok(body == want, f"the served file ({len(body)} bytes) is docs/openapi.yaml ({len(want)} "
         "bytes) byte for byte")
    t.eq(head[0], 200, "HEAD /v1/openapi.yaml")
    t.eq(post[0], 405, "POST /v1/openapi.yaml")


# ---- the schemas, checked against real answers ----

def resolve(doc, s):
    while "$ref" in s:
        node = doc
        for part in s["$ref"].lstrip("#/").split("/"):
            node = node[part]
        s = node
    return s


TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def type_ok(v, ty):
    if ty == "integer":
        return isinstance(v, int) and not isinstance(v, bool)
    if ty == "number":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    return isinstance(v, TYPES[ty])


def errors(doc, s, v, at="$"):
    """What in v the schema s refuses (the keywords docs/openapi.yaml uses)."""
    s = resolve(doc, s)
    out = []
    if "type" in s:
        tys = s["type"] if isinstance(s["type"], list) else [s["type"]]
        if not any(type_ok(v, ty) for ty in tys):
            return [f"{at}: {v!r:.80} is not {s['type']}"]
    if "const" in s and v != s["const"]:
        out.append(f"{at}: {v!r:.80} is not {s['const']!r}")
    if "enum" in s and v not in s["enum"]:
        out.append(f"{at}: {v!r:.80} is not one of {s['enum']}")
    if isinstance(v, str) and "pattern" in s and not re.search(s["pattern"], v):
        out.append(f"{at}: {v!r:.80} does not match {s['pattern']}")
    if isinstance(v, int) and "minimum" in s and v < s["minimum"]:
        out.append(f"{at}: {v} < {s['minimum']}")
    if isinstance(v, dict):
        for k in s.get("required", []):
            if k not in v:
                out.append(f"{at}: lacks {k!r}")
        props = s.get("properties", {})
        for k, x in v.items():
            if k in props:
                out += errors(doc, props[k], x, f"{at}.{k}")
            elif s.get("additionalProperties") is False:
                out.append(f"{at}: {k!r} is not described")
            elif isinstance(s.get("additionalProperties"), dict):
                out += errors(doc, s["additionalProperties"], x, f"{at}.{k}")
    if isinstance(v, list):
        if "maxItems" in s and len(v) > s["maxItems"]:
            out.append(f"{at}: more than {s['maxItems']} items")
        for i, x in enumerate(v):
            out += errors(doc, s.get("items", {}), x, f"{at}[{i}]")
    for sub in s.get("allOf", []):
        out += errors(doc, sub, v, at)
    if "oneOf" in s:
        n = sum(not errors(doc, sub, v, at) for sub in s["oneOf"])
        if n != 1:
            out.append(f"{at}: matches {n} of oneOf, not one")
    if "not" in s and not errors(doc, s["not"], v, at):
        out.append(f"{at}: matches what 'not' excludes")
    return out


def check(t, doc, method, path, answer):
    """The answer's status is described for the operation, and its body
    matches the schema of that status and content type."""
    st, h, body = answer
    ops = described(doc)
    key = (method, re.sub(r"\?.*", "", path))
    for m, p in ops:
        if m == method and re.fullmatch(re.escape(p).replace(r"\{\}", "[^/]+"), key[1]):
            key = (m, p)
    t.ok(key in ops, f"{method} {path} is described")
    resp = ops[key]["responses"].get(str(st))
    t.ok(resp is not None, f"{method} {path}: status {st} is not described")
    resp = resolve(doc, resp)
    ctype = h.get("Content-Type", "").split(";")[0]
    t.ok(ctype in resp.get("content", {}), f"{method} {path} {st}: {ctype} is not described")
    if ctype == "application/json":
        bad = errors(doc, resp["content"][ctype]["schema"], json.loads(body))
        t.eq(bad, [], f"{method} {path} {st}: the answer against its schema")


def test_real_answers_match_the_schemas(t):
    doc = load(t)
    # the reader itself refuses what it should: a missing field, a wrong type
    t.ok(errors(doc, {"$ref": "#/components/schemas/Error"}, {"error": {"code": "x"}}),
         "the schema reader refuses a bad error body")
    t.ok(errors(doc, {"$ref": "#/components/schemas/Request"}, {"request": 1}),
         "the schema reader refuses a bad request")
    srv = Server(t)
    dpo, sales = srv.token("dpo", "ana"), srv.token("sales", "bob")
    p = srv.cli("--json", "token", "create", "--scope", "metrics", "--name", "prom")
    t.status(p, 0)
    metrics = t.json(p)["token"]
    srv.start()
    try:
        calls = [("GET", "/healthz", None, None), ("GET", "/v1/activities?lang=en", None, None),
                 ("GET", "/v1/notice?lang=en&format=md", None, None),
                 ("GET", "/v1/notice?format=pdf", None, None),
                 ("GET", "/metrics", None, metrics), ("GET", "/v1/me", None, metrics),
                 ("GET", "/v1/me", None, dpo), ("GET", "/v1/me", None, None),
                 ("GET", "/v1/dashboard", None, dpo), ("GET", "/v1/dashboard", None, sales),
                 ("GET", "/v1/register?format=json", None, sales),
                 ("POST", "/v1/activities/quote/submissions",
                  {"fields": {"email": "ana.schema@example.org", "first_name": "Ana",
                              "last_name": "Lopez"}}, None),
                 ("POST", "/v1/activities/quote/submissions", {"fields": {}}, None),
                 ("POST", "/v1/activities/nope/submissions", {"fields": {}}, None),
                 ("POST", "/v1/activities/newsletter/submissions",
                  {"fields": {"email": "ana.news@example.org"}, "consent": True}, None),
                 ("POST", "/v1/subjects/search", {"email": "ana.schema@example.org"}, dpo),
                 ("GET", "/v1/subjects?email=nobody@example.org", None, dpo),
                 ("GET", "/v1/subjects", None, dpo),
                 ("GET", "/v1/subjects/nobody", None, dpo),
                 ("DELETE", "/v1/subjects/nobody", None, sales),
                 ("POST", "/v1/requests", {"kind": "access", "email": "x@example.org"}, None),
                 ("POST", "/v1/requests", {"kind": "access", "email": "ana.schema@example.org"},
                  dpo),
                 ("GET", "/v1/requests?status=all", None, dpo),
                 ("GET", "/v1/requests?status=later", None, dpo),
                 ("POST", "/v1/verify", {"verification": "nope", "code": "123456"}, None),
                 ("POST", "/v1/status", {"reference": "7X3K9QABM"}, None),
                 ("POST", "/v1/status", {"reference": "7X3K9QABX"}, None),
                 ("POST", "/v1/download", {"token": "nope"}, None),
                 ("POST", "/v1/consents", {"session": "forged"}, None),
                 ("GET", "/v1/breaches", None, dpo),
                 ("POST", "/v1/breaches", {"aware_at": "2026-03-01T10:00:00Z",
                                           "summary": "a laptop lost"}, dpo),
                 ("GET", "/v1/breaches", None, sales)]
        answers = [(m, p, srv.request(m, p, body=b, token=tok)) for m, p, b, tok in calls]
        def made(method, path, key, status):
            st, _, body = next(a for m, p, a in answers if (m, p, a[0]) == (method, path, status))
            return j(body)[key]

        subject = made("POST", "/v1/subjects/search", "subjects", 200)[0]
        request = made("POST", "/v1/requests", "request", 201)
        breach = made("POST", "/v1/breaches", "breach", 201)
        more = [("GET", f"/v1/subjects/{subject}", None, sales),
                ("POST", f"/v1/subjects/{subject}/events", {"event": "contact"}, dpo),
                ("GET", f"/v1/subjects/{subject}/export?format=json", None, dpo),
                ("GET", f"/v1/requests/{request}", None, dpo),
                ("POST", f"/v1/requests/{request}/extend", {"reason": "many records"}, dpo),
                ("POST", f"/v1/requests/{request}/close", {}, dpo),
                ("POST", f"/v1/requests/{request}/close", {}, dpo),
                ("GET", f"/v1/requests/{request}/export", None, dpo),
                ("POST", f"/v1/breaches/{breach}/assess", {"risk": "high", "reason": "health"},
                 dpo),
                ("POST", f"/v1/breaches/{breach}/notify", {"who": "authority"}, dpo),
                ("POST", f"/v1/breaches/{breach}/notify", {"who": "nobody"}, dpo),
                ("POST", "/v1/requests", {"kind": "erasure", "subject": subject}, dpo)]
        answers += [(m, p, srv.request(m, p, body=b, token=tok)) for m, p, b, tok in more]
        erasure = j(answers[-1][2][2])["request"]
        # a person's page: holds, restriction, objection, rectification
        st, _, out = srv.get(f"/v1/subjects/{subject}?lang=en", token=dpo)
        record = j(out)["records"][0]["record"]
        page = [("GET", f"/v1/subjects/{subject}?lang=en", None, dpo),
                ("POST", f"/v1/subjects/{subject}/holds", {"reason": "a dispute"}, dpo),
                ("POST", f"/v1/subjects/{subject}/holds", {"reason": ""}, dpo),
                ("GET", f"/v1/subjects/{subject}/holds", None, dpo),
                ("GET", f"/v1/subjects/{subject}/holds", None, sales),
                ("POST", f"/v1/subjects/{subject}/restriction", {"restricted": True}, dpo),
                ("POST", f"/v1/subjects/{subject}/restriction", {"restricted": False}, dpo),
                ("POST", f"/v1/subjects/{subject}/objection", {}, dpo),
                ("POST", f"/v1/subjects/{subject}/records/{record}/rectification",
                 {"fields": {"first_name": "Anna"}}, dpo),
                ("POST", f"/v1/subjects/{subject}/records/{record}/rectification",
                 {"fields": {}}, dpo)]
        answers += [(m, p, srv.request(m, p, body=b, token=tok)) for m, p, b, tok in page]
        hold = next(j(a[2])["hold"] for m, p, a in answers
                    if p.endswith("/holds") and m == "POST" and a[0] == 201)
        for _ in range(2):  # lifted, then no longer in force
            answers.append(("DELETE", f"/v1/holds/{hold}",
                            srv.request("DELETE", f"/v1/holds/{hold}", token=dpo)))
        for m, p in (("GET", f"/v1/requests/{erasure}/export"),
                     ("DELETE", f"/v1/subjects/{subject}")):
            answers.append((m, p, srv.request(m, p, token=dpo)))
        # the erasure answered: its request with what it did, its certificate
        for m, p, b in (("POST", f"/v1/requests/{erasure}/close", {}),
                        ("GET", f"/v1/requests/{erasure}", None),
                        ("GET", f"/v1/requests/{erasure}/certificate", None)):
            answers.append((m, p, srv.request(m, p, body=b, token=dpo)))
        t.ok("outcome" in j(answers[-2][2][2]), "the erasure's request has its outcome")
    finally:
        srv.stop()
    statuses = set()
    for method, path, answer in answers:
        check(t, doc, method, path, answer)
        statuses.add(answer[0])
    t.ok({200, 201, 202, 400, 401, 403, 404, 409, 422} <= statuses,
         f"the calls reached the answers they aim at ({sorted(statuses)})")


def test_art19_notices_match_the_webhook_description(t):
    from test_outbox_delivery import decl
    doc = load(t)
    hook = doc["webhooks"]["art19Notice"]["post"]
    schema = hook["requestBody"]["content"]["application/json"]["schema"]
    header = {p["name"]: p["schema"] for p in hook["parameters"] if p["in"] == "header"}
    t.eq(sorted(header), ["Pdvault-Message-Id", "Pdvault-Signature"], "the headers described")
    hook_dir = os.path.join(t.tmp, "hook")
    w = Webhookd(hook_dir, "-")
    w.start()
    port = w.port
    w.stop()
    srv = Server(t, env={"PDVAULT_CONFIG": decl(t, {"hooked": f"webhook: http://127.0.0.1:{port}/h"})})
    p = srv.cli("recipient", "secret", "hooked")
    t.status(p, 0)
    w = Webhookd(hook_dir, p.out.strip())
    w.port = port
    w.start()
    try:
        c = t.json(srv.cli("--json", "collect", "contact", "email=rita.hook@example.org",
                           "name=Rita", "message=hello"))
        t.status(srv.cli("rectify", c["subject"], c["record"], "name=Rita B"), 0)
        t.status(srv.cli("erase", c["subject"]), 0)
        srv.start()
        for _ in range(200):
            if len(w.deliveries()) >= 2:
                break
            time.sleep(0.05)
    finally:
        srv.stop()
        w.stop()
    got = w.deliveries()
    t.eq(len(got), 2, "the rectification's and the erasure's notices received")
    t.ok(all(call["verified"] for call in w.calls()), "every signature verifies as described")
    for d in got:
        body = json.loads(d["body"])
        t.eq(errors(doc, schema, body), [], "the notice's body against Art19Notice")
        t.eq(errors(doc, header["Pdvault-Message-Id"], d["id"]), [], "Pdvault-Message-Id")
        t.eq(body["id"], d["id"], "the body's id is the header's")
        t.eq(d["content_type"], "application/json", "the notice's content type")
    t.eq(sorted(json.loads(d["body"])["type"] for d in got), ["erasure", "rectification"],
         "one notice per change")


def test_the_privacy_center_flows_match_the_schemas(t):
    """The answers a person gets, each read against its schema: a double
    opt-in and its confirmation, the intake and its code, the status page,
    the answer's download, the consents session and a withdrawal, and the
    unsubscribe link and page."""
    from test_server import code_of
    doc = load(t)
    email = "ana.flow@example.org"
    srv = Server(t)
    dpo = srv.token("dpo", "ana")
    srv.start()
    seen = []

    def call(method, path, body=None, token=None, raw=None, headers=None):
        a = srv.request(method, path, body=body, token=token, raw=raw, headers=headers)
        seen.append((method, path, a))
        return a

    try:
        st, _, out = call("POST", "/v1/activities/newsletter/submissions",
                          {"fields": {"email": email}, "consent": True})
        t.eq(st, 202, "a double opt-in")
        cid = j(out)["confirmation"]
        code = code_of(t, srv, cid, email)
        call("GET", f"/v1/confirm?c={cid}&k={code}")
        st, _, out = call("POST", "/v1/verify", {"confirmation": cid, "code": code})
        t.eq(st, 201, "confirmed")
        record = j(out)["record"]
        st, _, out = call("POST", "/v1/requests", {"kind": "access", "email": email})
        vid = j(out)["verification"]
        code = code_of(t, srv, vid)
        # a wrong code (422 wrong_code), never the code sent: "000000" is it one time in a million
        call("POST", "/v1/verify",
             {"verification": vid, "code": "000000" if code != "000000" else "111111"})
        st, _, out = call("POST", "/v1/verify", {"verification": vid, "code": code, "lang": "en"})
        t.eq(st, 201, "the request opened")
        opened = j(out)
        t.ok("subject" not in opened, "the person is not told their id")
        t.eq(call("POST", f"/v1/requests/{opened['request']}/close", {}, dpo)[0], 200, "closed")
        st, _, out = call("POST", "/v1/status", {"reference": opened["reference"]})
        chk = j(out)["check"]
        st, _, out = call("POST", "/v1/status/verify", {"check": chk,
                                                        "code": code_of(t, srv, chk)})
        t.eq(st, 200, "the status document")
        link = j(out)["download"]["link"]
        st, _, out = call("POST", "/v1/download", {"token": link.split("#download=")[1]})
        chk = j(out)["check"]
        st, _, _ = call("POST", "/v1/download/verify", {"check": chk,
                                                        "code": code_of(t, srv, chk)})
        t.eq(st, 200, "the export, once")
        st, _, out = call("POST", "/v1/requests", {"kind": "consents", "email": email})
        vid = j(out)["verification"]
        st, _, out = call("POST", "/v1/verify", {"verification": vid,
                                                 "code": code_of(t, srv, vid)})
        session = j(out)["session"]
        t.ok(session, "a consent session for a known address")
        call("POST", "/v1/consents", {"session": session, "lang": "en"})
        st, _, out = call("GET", f"/v1/records/{record}/unsubscribe-link", token=dpo)
        token = j(out)["url"].split("t=")[1]
        call("GET", f"/v1/unsubscribe?t={token}")
        st, _, _ = call("POST", "/v1/consents/newsletter/withdraw", {"session": session})
        t.eq(st, 200, "the consent withdrawn")
        # the record has ended: the one-click link is harmless, the staff's link gone
        call("POST", f"/v1/unsubscribe?t={token}", raw=b"List-Unsubscribe=One-Click",
             headers={"Content-Type": "application/x-www-form-urlencoded"})
        call("GET", f"/v1/records/{record}/unsubscribe-link", token=dpo)
    finally:
        srv.stop()
    for method, path, answer in seen:
        check(t, doc, method, path, answer)
    t.ok({200, 201, 202, 404, 422} <= {a[0] for _, _, a in seen},
         "the flows reached the answers they aim at")
