"""Requests as the DPO works them, and a person's page, over HTTP: who asked
(opened for the dpo, each opening audited), filters and sorting, a request's
timeline and private notes, what a rectification asks, the erasure preview
before the close and the Art. 19 notices after it, the answer "we hold
nothing about you", and a person's page in words."""
from storelib import store_bytes, store_query
from test_server import Server, j

EMAIL = "jeanne@example.org"


def setup(t):
    srv = Server(t)
    dpo = srv.token("dpo", "alice")
    sales = srv.token("sales", "sam")
    p = srv.cli("--json", "collect", "quote", "last_name=Martin", "first_name=Jeanne",
                f"email={EMAIL}")
    t.status(p, 0)
    return srv, dpo, sales, t.json(p)["subject"]


def test_the_list_shows_who_asked_to_the_dpo_alone_with_filters_and_sorting(t):
    srv, dpo, sales, subject = setup(t)
    srv.start()
    try:
        st, _, out = srv.post("/v1/requests", {"kind": "erasure", "email": EMAIL,
                                               "received": "2026-02-20"}, token=dpo)
        t.eq(st, 201, "an erasure recorded by the dpo")
        st, _, out = srv.post("/v1/requests", {"kind": "access", "email": EMAIL}, token=dpo)
        t.eq(st, 201, "an access")
        access = j(out)["request"]
        st, _, out = srv.get("/v1/requests", token=dpo)
        got = j(out)["requests"]
        t.eq([(r["kind"], r["requester"]) for r in got],
             [("erasure", EMAIL), ("access", EMAIL)], "who asked, by due date")
        t.eq([r["days_left"] for r in got], [18, 31], "days left (today 2026-03-02)")
        st, _, out = srv.get("/v1/requests?sort=-received", token=dpo)
        t.eq([r["kind"] for r in j(out)["requests"]], ["access", "erasure"], "latest first")
        st, _, out = srv.get("/v1/requests?kind=access", token=dpo)
        t.eq([r["request"] for r in j(out)["requests"]], [access], "by kind")
        st, _, out = srv.get("/v1/requests?due_within=25", token=dpo)
        t.eq([r["kind"] for r in j(out)["requests"]], ["erasure"], "due within 25 days")
        st, _, out = srv.get("/v1/requests?status=done", token=dpo)
        t.eq(j(out)["requests"], [], "none done yet")
        st, _, out = srv.get("/v1/requests?due_within=soon", token=dpo)
        t.eq((st, j(out)["error"]["field"]), (400, "due_within"), "a bad filter is named")
        st, _, out = srv.get("/v1/requests", token=sales)
        t.eq(st, 200, "sales sees the requests of the people it sees")
        t.ok(all("requester" not in r for r in j(out)["requests"]), "but not who asked")
        t.ok(EMAIL.encode() not in out, "the address is not in sales' answer")
    finally:
        srv.stop()
    reads = [e for e in t.json(srv.cli("--json", "audit", "log"))["entries"]
             if e["action"] == "request-read"]
    t.ok(len(reads) >= 2 and all(e["actor"] == "api:alice" for e in reads),
         f"each opening of who asked is audited, by the dpo: {reads}")
    t.ok(EMAIL.encode() not in store_bytes(t), "the address is sealed on disk")


def test_a_rectification_request_carries_what_it_asks_and_notes_stay_sealed(t):
    srv, dpo, sales, subject = setup(t)
    srv.start()
    try:
        st, _, out = srv.post("/v1/requests", {"kind": "rectification", "subject": subject,
                                               "rectify": {"last_name": "Martin-Dupré"}},
                              token=dpo)
        t.eq(st, 201, "a rectification with what it asks")
        q = j(out)["request"]
        st, _, out = srv.post("/v1/requests", {"kind": "access", "subject": subject,
                                               "rectify": {"last_name": "X"}}, token=dpo)
        t.eq((st, j(out)["error"]["field"]), (422, "rectify"), "only a rectification asks")
        st, _, out = srv.post(f"/v1/requests/{q}/notes", {"text": "called Mme Martin-Dupré"},
                              token=dpo)
        t.eq(st, 201, "a note")
        st, _, out = srv.post(f"/v1/requests/{q}/notes", {"text": "x"}, token=sales)
        t.eq(st, 403, "notes are the dpo's")
        st, _, out = srv.get(f"/v1/requests/{q}", token=dpo)
        doc = j(out)
        t.eq(doc["rectify"], {"last_name": "Martin-Dupré"}, "what to rectify")
        t.eq([(e["what"], e.get("text")) for e in doc["timeline"]],
             [("received", None), ("note", "called Mme Martin-Dupré")], "the timeline")
        t.eq(doc["timeline"][1]["author"], "api:alice", "who wrote it")
        st, _, out = srv.get(f"/v1/requests/{q}", token=sales)
        doc = j(out)
        t.eq([(e["what"], e.get("text")) for e in doc["timeline"]],
             [("received", None), ("note", None)], "sales sees a note was written, not what")
        t.ok("rectify" not in doc, "nor what is asked")
    finally:
        srv.stop()
    disk = store_bytes(t)
    t.ok("Martin-Dupré".encode() not in disk, "the note and the new value are sealed")
    notes = [e for e in t.json(srv.cli("--json", "audit", "log"))["entries"]
             if e["action"] == "request-note"]
    t.eq(len(notes), 1, "the note is audited")
    t.ok("Dupré" not in str(notes), "without its text")


def test_an_erasure_is_previewed_then_closed_with_its_notices(t):
    srv, dpo, sales, subject = setup(t)
    p = srv.cli("--json", "request", "open", "erasure", "--subject", subject)
    q = t.json(p)["request"]
    srv.start()
    try:
        st, _, out = srv.get(f"/v1/requests/{q}/preview?lang=en", token=dpo)
        t.eq(st, 200, "the preview")
        doc = j(out)
        t.eq([(r["activity"], r["what"]) for r in doc["records"]], [("quote", "erased")],
             "the quote would be erased")
        t.eq(sorted(x["recipient"] for x in doc["records"][0]["told"]), ["airtable", "webflow"],
             "and its recipients told (Art. 19)")
        t.eq(doc["nothing_held"], False, "someone is held")
        st, _, out = srv.get(f"/v1/requests/{q}", token=dpo)
        t.eq(j(out)["status"], "open", "the preview changed nothing")
        st, _, out = srv.post(f"/v1/requests/{q}/close", {}, token=dpo)
        t.eq(st, 200, "closed")
        res = j(out)
        t.eq(sorted(n["recipient"] for n in res["notices"]), ["airtable", "webflow"],
             "the result lists the notices per recipient")
        st, _, out = srv.get(f"/v1/requests/{q}/preview", token=dpo)
        t.eq((st, j(out)["error"]["field"]), (422, "request"), "no preview once closed")
        st, _, out = srv.get(f"/v1/requests/{q}", token=dpo)
        t.eq([e["what"] for e in j(out)["timeline"]][-3:], ["done", "message", "message"],
             "the timeline: done, then the notices")
    finally:
        srv.stop()


def test_an_address_the_vault_does_not_hold_is_answered_so(t):
    srv, dpo, sales, subject = setup(t)
    srv.start()
    try:
        st, _, out = srv.post("/v1/requests", {"kind": "erasure", "email": "nobody@example.org"},
                              token=dpo)
        q = j(out)["request"]
        st, _, out = srv.get(f"/v1/requests/{q}/preview", token=dpo)
        t.eq((j(out)["records"], j(out)["nothing_held"]), ([], True), "nothing to erase")
        st, _, out = srv.get(f"/v1/requests/{q}", token=dpo)
        t.eq(j(out)["requester"], "nobody@example.org", "the address is kept")
        st, _, out = srv.post(f"/v1/requests/{q}/close", {}, token=dpo)
        t.eq((st, j(out)["status"], j(out)["nothing_held"]), (200, "done", True),
             "closed: answered that nothing is held")
    finally:
        srv.stop()
    t.eq(store_query(t, "SELECT kind FROM outbox WHERE kind = 'nothing-held'"),
         [("nothing-held",)], "the answer is queued to the address")


def test_a_persons_page_in_words_and_found_by_reference(t):
    srv, dpo, sales, subject = setup(t)
    p = srv.cli("--json", "request", "open", "access", "--subject", subject)
    ref = t.json(p)["reference"]
    srv.start()
    try:
        st, _, out = srv.get(f"/v1/subjects?reference={ref}", token=sales)
        t.eq(j(out)["subjects"], [subject], "found by a request's reference")
        st, _, out = srv.get(f"/v1/subjects/{subject}?lang=fr", token=sales)
        doc = j(out)
        t.eq(doc["name"], "Jeanne Martin", "the name from its fields")
        rec = doc["records"][0]
        t.eq((rec["phase_words"], rec["held"]), ("en base active", "request"),
             "the phase in words, held while the request is open")
        t.ok(rec["activity_name"] and rec["next_words"], f"named, next step: {rec}")
        t.eq([r["kind"] for r in doc["requests"]], ["access"], "their requests")
        t.ok("audit" not in doc, "the audit trail is the dpo's")
        st, _, out = srv.get(f"/v1/subjects/{subject}?lang=en", token=dpo)
        doc = j(out)
        t.ok(any(e["action"] == "request-open" for e in doc["audit"]), "the dpo's audit trail")
        t.eq(doc["records"][0]["phase_words"], "active", "in English")
    finally:
        srv.stop()
