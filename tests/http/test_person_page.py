"""A person's page a DPO acts from, over HTTP: their legal holds (listed with
reason, who and since; placed with a reason; lifted), the restriction, the
objection, a record's rectification, the consent history with its proof, and
finding a person by phone or by a request's reference. Each act is the
dpo's (another role is refused, whoever it names) but the rectification of a
record the role works with, audited under the staff account's name, and a
hold's reason is sealed on disk."""
from storelib import store_bytes
from test_request_desk import EMAIL, setup as desk_setup
from test_server import Server, j

PHONE = "+33612345678"
REASON = "litige prud'homal Martin contre Alegria"


def setup(t):
    """A server, the dpo's and sales' tokens, Jeanne Martin's quote (subject, record)."""
    srv, dpo, sales, subject = desk_setup(t)
    record = t.json(srv.cli("--json", "show", subject))["records"][0]["record"]
    return srv, dpo, sales, subject, record


def audit(t, srv, *actions):
    return [e for e in t.json(srv.cli("--json", "audit", "log"))["entries"]
            if e["action"] in actions]


def test_a_hold_is_placed_listed_and_lifted_by_the_dpo_alone(t):
    srv, dpo, sales, subject, record = setup(t)
    srv.start()
    try:
        st, _, out = srv.get(f"/v1/subjects/{subject}/holds", token=dpo)
        t.eq((st, j(out)["holds"]), (200, []), "no hold yet")
        st, _, out = srv.post(f"/v1/subjects/{subject}/holds", {"reason": ""}, token=dpo)
        t.eq((st, j(out)["error"]["field"]), (422, "reason"), "a hold needs a reason")
        st, _, out = srv.post(f"/v1/subjects/{subject}/holds", {}, token=dpo)
        t.eq((st, j(out)["error"]["field"]), (422, "reason"), "a body without one is refused")
        st, _, out = srv.post(f"/v1/subjects/{subject}/holds", {"reason": REASON}, token=sales)
        t.eq((st, j(out)["error"]["code"]), (403, "forbidden"), "sales may not place a hold")
        st, _, out = srv.post(f"/v1/subjects/{subject}/holds", {"reason": REASON}, token=dpo)
        t.eq(st, 201, "the dpo places one")
        hold = j(out)["hold"]
        st, _, out = srv.get(f"/v1/subjects/{subject}/holds", token=sales)
        t.eq(st, 403, "sales may not read the holds")
        st, _, out = srv.get(f"/v1/subjects/{subject}/holds", token=dpo)
        got = j(out)["holds"]
        t.eq([(h["hold"], h["reason"], h["placed_by"], h["placed_at"], h["lifted_at"])
              for h in got], [(hold, REASON, "api:alice", "2026-03-02T10:00:00Z", None)],
             "the hold, its reason, who placed it and since when")
        st, _, out = srv.get(f"/v1/subjects/{subject}?lang=en", token=dpo)
        t.eq(j(out)["held"], "hold", "the page says the person is held")
        st, _, out = srv.request("DELETE", f"/v1/subjects/{subject}", token=dpo)
        t.eq([k["record"] for k in j(out)["kept"]], [record], "erasure keeps a held record")
        st, _, out = srv.request("DELETE", f"/v1/holds/{hold}", token=sales)
        t.eq(st, 403, "sales may not lift it")
        st, _, out = srv.request("DELETE", f"/v1/holds/{hold}", token=dpo)
        t.eq((st, j(out)), (200, {"hold": hold, "lifted": True}), "the dpo lifts it")
        st, _, out = srv.request("DELETE", f"/v1/holds/{hold}", token=dpo)
        t.eq((st, j(out)["error"]["field"]), (404, "hold"), "a lifted hold is not in force")
        st, _, out = srv.get(f"/v1/subjects/{subject}/holds", token=dpo)
        h = j(out)["holds"][0]
        t.eq((h["lifted_by"], h["lifted_at"]), ("api:alice", "2026-03-02T10:00:00Z"),
             "the list keeps the lifted hold, with who lifted it")
        st, _, out = srv.get("/v1/subjects/sAAAAAAAAAAAAAAAAAAAAAA/holds", token=dpo)
        t.eq(st, 404, "no such person")
    finally:
        srv.stop()
    t.eq([(e["action"], e["actor"], e["subject"]) for e in
          audit(t, srv, "hold", "hold-lift")],
         [("hold", "api:alice", subject), ("hold-lift", "api:alice", subject)],
         "placing and lifting are audited under the account's name")
    t.ok(len(audit(t, srv, "holds-read")) == 3, "each reading of the reasons is audited")
    t.ok(REASON.encode() not in store_bytes(t), "the reason is sealed on disk")
    t.ok(REASON not in str(t.json(srv.cli("--json", "audit", "log"))), "and not in the log")


def test_the_dpo_restricts_objects_and_rectifies_in_place(t):
    srv, dpo, sales, subject, record = setup(t)
    p = srv.cli("--json", "collect", "recruitment", "last_name=Martin", "first_name=Jeanne",
                f"email={EMAIL}")
    t.status(p, 0)
    hired = t.json(p)["record"]
    p = srv.cli("--json", "collect", "ai-challenge-offers", "--consent", f"phone={PHONE}")
    t.status(p, 0)
    offers = t.json(p)
    srv.start()
    try:
        # restriction (Art. 18)
        st, _, out = srv.post(f"/v1/subjects/{subject}/restriction", {"restricted": "yes"},
                              token=dpo)
        t.eq((st, j(out)["error"]["field"]), (422, "restricted"), "true or false")
        st, _, out = srv.post(f"/v1/subjects/{subject}/restriction", {"restricted": True},
                              token=sales)
        t.eq(st, 403, "sales may not restrict")
        st, _, out = srv.post(f"/v1/subjects/{subject}/restriction", {"restricted": True},
                              token=dpo)
        t.eq((st, j(out)), (200, {"restricted": True}), "restricted")
        st, _, out = srv.get(f"/v1/subjects/{subject}?lang=fr", token=dpo)
        t.eq(j(out)["held"], "restricted", "the page says so")
        st, _, out = srv.post(f"/v1/subjects/{subject}/restriction", {"restricted": False},
                              token=dpo)
        t.eq((st, j(out)), (200, {"restricted": False}), "and lifted")
        st, _, out = srv.get(f"/v1/subjects/{subject}?lang=fr", token=dpo)
        t.eq(j(out)["held"], None, "the page no longer says so")
        # objection (Art. 21): where it applies, the page says
        st, _, out = srv.get(f"/v1/subjects/{subject}?lang=en", token=dpo)
        t.eq({r["activity"]: r["objectable"] for r in j(out)["records"]},
             {"quote": False, "recruitment": True}, "objection applies to recruitment")
        st, _, out = srv.post(f"/v1/subjects/{subject}/objection", {"activity": "recruitment"},
                              token=sales)
        t.eq(st, 403, "sales may not object for the person")
        st, _, out = srv.post(f"/v1/subjects/{subject}/objection", {"activity": "nope"},
                              token=dpo)
        t.eq((st, j(out)["error"]["field"]), (404, "activity"), "an unknown activity is named")
        st, _, out = srv.post(f"/v1/subjects/{subject}/objection", {"activity": "recruitment"},
                              token=dpo)
        t.eq((st, j(out)["restricted"]), (200, [hired]), "recruitment restricted until decided")
        st, _, out = srv.post(f"/v1/subjects/{offers['subject']}/objection", {}, token=dpo)
        t.eq((st, j(out)["ended"]), (200, [offers["record"]]), "marketing by SMS ended")
        st, _, out = srv.get(f"/v1/subjects/{offers['subject']}", token=dpo)
        t.eq(st, 404, "the person, left with nothing, is gone")
        # rectification (Art. 16)
        path = f"/v1/subjects/{subject}/records/{record}/rectification"
        st, _, out = srv.post(path, {"fields": {}}, token=dpo)
        t.eq((st, j(out)["error"]["field"]), (422, "fields"), "nothing to rectify")
        st, _, out = srv.post(path, {"fields": {"last_name": 3}}, token=dpo)
        t.eq((st, j(out)["error"]["field"]), (422, "fields"), "a value is a string")
        st, _, out = srv.post(path, {"fields": {"email": "not an address"}}, token=dpo)
        t.eq((st, j(out)["error"]["code"]), (422, "invalid_email"), "validated as at collection")
        st, _, out = srv.post(path, {"fields": {"last_name": "Durand"}}, token=dpo)
        t.eq((st, j(out)), (200, {"record": record, "rectified": 1}), "rectified")
        st, _, out = srv.get(f"/v1/subjects/{subject}?lang=en", token=dpo)
        fields = [r["fields"] for r in j(out)["records"] if r["record"] == record][0]
        t.eq((fields["last_name"], fields["first_name"]), ("Durand", "Jeanne"),
             "the new value, the others kept")
        st, _, out = srv.post(f"/v1/subjects/{subject}/records/{hired}x/rectification",
                              {"fields": {"last_name": "Durand"}}, token=dpo)
        t.eq(st, 404, "a record that is not theirs")
    finally:
        srv.stop()
    t.eq([(e["action"], e["actor"]) for e in
          audit(t, srv, "restrict", "restrict-lift", "object", "rectify")],
         [("restrict", "api:alice"), ("restrict-lift", "api:alice"),
          ("restrict", "api:alice"), ("object", "api:alice"), ("object", "api:alice"),
          ("rectify", "api:alice")], "each act is audited under the account's name")
    t.ok(b"Durand" not in store_bytes(t), "the new value is sealed")


def test_another_role_rectifies_the_records_it_works_with_and_no_other(t):
    """docs/server.md "What each role sees and may change": sales corrects
    its own activity's record (quote), not one of hr's (recruitment: absent
    for it), not a restricted one (the dpo's), and the recipients are told."""
    srv, dpo, sales, subject, record = setup(t)
    p = srv.cli("--json", "collect", "recruitment", "last_name=Martin", "first_name=Jeanne",
                f"email={EMAIL}")
    t.status(p, 0)
    hired = t.json(p)["record"]
    path = f"/v1/subjects/{subject}/records/{record}/rectification"
    srv.start()
    try:
        st, _, out = srv.post(f"/v1/subjects/{subject}/records/{hired}/rectification",
                              {"fields": {"last_name": "Durand"}}, token=sales)
        t.eq((st, j(out)["error"]["code"]), (404, "not_found"), "hr's record is not there for sales")
        srv.post(f"/v1/subjects/{subject}/restriction", {"restricted": True}, token=dpo)
        st, _, out = srv.post(path, {"fields": {"last_name": "Durand"}}, token=sales)
        t.eq((st, j(out)["error"]["code"], j(out)["error"]["field"]), (403, "forbidden", "record"),
             "a restricted record is the dpo's to change")
        srv.post(f"/v1/subjects/{subject}/restriction", {"restricted": False}, token=dpo)
        st, _, out = srv.post(path, {"fields": {"email": "not an address"}}, token=sales)
        t.eq((st, j(out)["error"]["code"]), (422, "invalid_email"), "validated as at collection")
        st, _, out = srv.post(path, {"fields": {"last_name": "Durand"}}, token=sales)
        t.eq((st, j(out)), (200, {"record": record, "rectified": 1}), "sales rectified its record")
        st, _, out = srv.get(f"/v1/subjects/{subject}?lang=en", token=sales)
        t.eq([r["fields"]["last_name"] for r in j(out)["records"]], ["Durand"],
             "sales reads the new value, and still only its record")
        st, _, out = srv.get(f"/v1/subjects/{subject}?lang=en", token=dpo)
        t.eq(sorted(r["fields"]["last_name"] for r in j(out)["records"]), ["Durand", "Martin"],
             "hr's record is as it was")
        st, _, out = srv.post(f"/v1/subjects/{subject}/objection", {"activity": "quote"},
                              token=sales)
        t.eq(st, 403, "an objection stays the dpo's")
        st, _, out = srv.post(f"/v1/subjects/{subject}/objection", {"activity": "quote"},
                              token=dpo)
        t.eq((st, j(out)["restricted"]), (200, [record]), "the dpo's objection restricts it")
        st, _, out = srv.post(path, {"fields": {"last_name": "Dupont"}}, token=sales)
        t.eq((st, j(out)["error"]["field"]), (403, "record"), "a restricted record: the dpo's")
    finally:
        srv.stop()
    t.eq([(e["action"], e["actor"], e["record"]) for e in audit(t, srv, "rectify")],
         [("rectify", "api:sam", record)], "audited under sales' account, once")
    t.ok(b"Durand" not in store_bytes(t), "the new value is sealed")


def test_the_consent_history_gives_each_grant_withdrawal_and_renewal_with_its_proof(t):
    srv = Server(t)
    dpo = srv.token("dpo", "alice")
    training = srv.token("training", "tom")
    p = srv.cli("--json", "collect", "ai-challenge", "--consent", "first_name=Jo",
                f"phone={PHONE}", f"email={EMAIL}")
    t.status(p, 0)
    subject, challenge = t.json(p)["subject"], t.json(p)["record"]
    p = srv.cli("--json", "collect", "ai-challenge-offers", "--consent", f"phone={PHONE}")
    t.status(p, 0)
    t.eq(t.json(p)["subject"], subject, "the same person, by their phone")
    t.status(srv.cli("consent", subject, "ai-challenge-offers", "withdraw",
                     now="2026-03-05T09:00:00Z"), 0)
    srv.start(now="2026-03-06T09:00:00Z")
    try:
        st, _, out = srv.post(f"/v1/subjects/{subject}/events", {"event": "renewed",
                              "activity": "ai-challenge"}, token=dpo)
        t.eq(st, 200, "a renewal recorded by the dpo")
        st, _, out = srv.get(f"/v1/subjects/{subject}?lang=en", token=dpo)
        got = [(h["activity"], h["what"], h["at"][:10], h["channel"], h["version"], h["record"])
               for h in j(out)["consent_history"]]
        t.eq(got, [("ai-challenge", "granted", "2026-03-02", "cli", "2025-01", challenge),
                   ("ai-challenge-offers", "granted", "2026-03-02", "cli", "2025-01", None),
                   ("ai-challenge-offers", "withdrawn", "2026-03-05", "cli", "2025-01", None),
                   ("ai-challenge", "renewed", "2026-03-06", "api:alice", None, challenge)],
             "every grant, withdrawal and renewal, oldest first, with its channel and text")
        t.eq({h["activity_name"] for h in j(out)["consent_history"]},
             {"AI Challenge", "Offers to challenge participants"},
             "each purpose by its name, an ended one's too")
        t.eq([(c["activity"], c["state"]) for c in j(out)["consents"]],
             [("ai-challenge", "granted"), ("ai-challenge-offers", "withdrawn")],
             "and the state of each")
        st, _, out = srv.get(f"/v1/subjects/{subject}?lang=en", token=training)
        t.eq([(h["activity"], h["what"]) for h in j(out)["consent_history"]],
             [("ai-challenge", "granted"), ("ai-challenge", "renewed")],
             "training sees the history of what it may see, no other")
    finally:
        srv.stop()


def test_a_person_is_found_by_phone_and_by_a_request_reference(t):
    srv, dpo, sales, subject, record = setup(t)
    p = srv.cli("--json", "collect", "appointment", "--consent", "name=Jeanne Martin",
                f"email={EMAIL}", "phone=06 12 34 56 78")
    t.status(p, 0)
    p = srv.cli("--json", "request", "open", "access", "--subject", subject)
    t.status(p, 0)
    ref = t.json(p)["reference"]
    srv.start()
    try:
        for phone in (PHONE, "06 12 34 56 78", "+33 6 12 34 56 78"):
            st, _, out = srv.post("/v1/subjects/search", {"phone": phone}, token=dpo)
            t.eq((st, j(out)["subjects"]), (200, [subject]), f"by phone, written {phone}")
        st, _, out = srv.post("/v1/subjects/search", {"phone": "+33699999999"}, token=dpo)
        t.eq(j(out)["subjects"], [], "an unknown phone finds no one")
        st, _, out = srv.post("/v1/subjects/search", {"reference": ref}, token=dpo)
        t.eq((st, j(out)["subjects"]), (200, [subject]), "by the request's reference")
        st, _, out = srv.post("/v1/subjects/search", {"reference": ref.lower()}, token=dpo)
        t.eq(j(out)["subjects"], [subject], "in lower case too")
    finally:
        srv.stop()
    t.ok(PHONE.encode() not in store_bytes(t), "the phone is not in clear on disk")
