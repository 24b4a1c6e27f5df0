"""Issue 15 through the API: GET /v1/breaches/{id} (the dpo's: a breach with
its Art. 33(3) items and its timeline), describe with each item apart,
notify with the time it was made, the authority's reference and "late",
and the people still to be told about a high-risk breach, flagged in the
register and counted on the dashboard."""
from test_server import Server, j


def test_a_breach_page_through_the_api(t):
    srv = Server(t)
    dpo, sales = srv.token("dpo", "alice"), srv.token("sales", "sam")
    srv.start(now="2026-03-06T12:00:00Z")
    try:
        st, _, out = srv.post("/v1/breaches", {"aware_at": "2026-03-02T11:00+01:00",
                                               "summary": "laptop stolen",
                                               "risk": "high", "risk_reason": "names in clear"},
                              token=dpo)
        t.eq((st, j(out)["aware_at"], j(out)["authority_due"]),
             (201, "2026-03-02T10:00:00Z", "2026-03-05T10:00:00Z"), "aware_at with its offset")
        b = j(out)["breach"]
        st, _, out = srv.post("/v1/breaches", {"aware_at": "2026-03-02T11:00", "summary": "x"},
                              token=dpo)
        t.eq((st, j(out)["error"]["field"]), (422, "aware_at"), "a time without its zone")

        # flagged: assessed high, the people not told
        st, _, out = srv.get("/v1/breaches", token=dpo)
        t.eq((j(out)["people_to_tell"], j(out)["breaches"][0]["people_to_tell"]), (1, True),
             "the register flags the people still to be told")
        st, _, out = srv.get("/v1/dashboard", token=dpo)
        t.eq(j(out)["breaches"]["people_to_tell"], 1, "and the dashboard counts them")

        path = f"/v1/breaches/{b}/describe"
        st, _, out = srv.post(path, {"nature": "a laptop stolen from a car",
                                     "categories": "customers: names, emails",
                                     "people": 120, "records": 340}, token=dpo)
        t.eq(st, 200, "described")
        for body, field in (({"people": "120"}, "people"), ({"records": -1}, "records"),
                            ({}, "nature"), ({"categories": ""}, "categories")):
            st, _, out = srv.post(path, body, token=dpo)
            t.eq((st, j(out)["error"]["field"]), (422, field), f"refused: {body}")

        path = f"/v1/breaches/{b}/notify"
        for body, field in (({"who": "authority", "at": "2026-03-06T14:00+01:00",
                              "reason": "r"}, "at"),
                            ({"who": "authority", "at": "tomorrow"}, "at"),
                            ({"who": "authority", "at": "2026-03-05T12:00+01:00"}, "reason"),
                            ({"who": "subjects", "reference": "X"}, "reference"),
                            ({"who": "subjects", "activities": ["contact"],
                              "at": "2026-03-05T12:00Z"}, "at")):
            st, _, out = srv.post(path, body, token=dpo)
            t.eq((st, j(out)["error"]["field"]), (422, field), f"refused: {body}")
        st, _, out = srv.post(path, {"who": "authority", "at": "2026-03-05T12:00+01:00",
                                     "reference": "CNIL-2026-0042",
                                     "reason": "the scope took a day to establish"}, token=dpo)
        t.eq((st, j(out)["authority_notified"], j(out)["late"]),
             (200, "2026-03-05T11:00:00Z", True), "told an hour late, at the time given")
        st, _, out = srv.post(path, {"who": "subjects", "at": "2026-03-06T09:00:00Z"}, token=dpo)
        t.eq((st, j(out)["subjects_notified"], j(out)["people_to_tell"]),
             (200, "2026-03-06T09:00:00Z", False), "the people told (by other means)")

        st, _, out = srv.get(f"/v1/breaches/{b}", token=dpo)
        t.eq(st, 200, "the breach's page")
        doc = j(out)
        t.eq((doc["nature"], doc["categories"], doc["people"], doc["records"],
              doc["reference"], doc["late"], doc["late_reason"]),
             ("a laptop stolen from a car", "customers: names, emails", 120, 340,
              "CNIL-2026-0042", True, "the scope took a day to establish"), "its items")
        t.eq([(e["step"], e["at"]) for e in doc["timeline"]],
             [("aware", "2026-03-02T10:00:00Z"), ("recorded", "2026-03-06T12:00:00Z"),
              ("assessed", "2026-03-06T12:00:00Z"), ("authority-due", "2026-03-05T10:00:00Z"),
              ("authority", "2026-03-05T11:00:00Z"), ("subjects", "2026-03-06T09:00:00Z")],
             "the timeline, each step with its time")
        told = doc["timeline"][4]
        t.eq((told["late"], told["reference"], told["reason"]),
             (True, "CNIL-2026-0042", "the scope took a day to establish"),
             "the authority's step: late, with its reference and reasons")
        st, _, out = srv.get(f"/v1/breaches/{b}", token=sales)
        t.eq(st, 403, "the dpo's alone")
        st, _, out = srv.get("/v1/breaches/b" + "A" * 22, token=dpo)
        t.eq((st, j(out)["error"]["field"]), (404, "breach"), "no such breach")
        st, _, out = srv.get("/v1/dashboard", token=dpo)
        t.eq(j(out)["breaches"]["people_to_tell"], 0, "nobody left to tell")
    finally:
        srv.stop()
