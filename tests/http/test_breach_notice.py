"""The Art. 34 notice through the API: POST /v1/breaches/{id}/describe, then
/notify with who "subjects" and an "activities" list queues one notice per
person, which the server's courier sends through a real relay."""
import os
import sys
import time

from test_server import Server, j

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "lib"))
from peers import Smtpd  # noqa: E402


def test_the_api_notifies_the_people_of_the_activities_named(t):
    srv = Server(t, env={"PDVAULT_CONFIG": t.path("tests/data/lint/clean.yaml")})
    for email, act in (("api.a@example.org", "contact"), ("api.b@example.org", "contact"),
                       ("api.c@example.org", "newsletter")):
        extra = ["message=x"] if act == "contact" else ["--consent"]
        t.status(srv.cli("collect", act, f"email={email}", *extra), 0)
    dpo = srv.token("dpo", "dpo")
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        srv.start("--smtp", smtp.url)
        try:
            st, _, out = srv.post("/v1/breaches", {"aware_at": "2026-03-01T08:00:00Z",
                                                   "summary": "A stolen laptop",
                                                   "risk": "high", "risk_reason": "in clear"},
                                  token=dpo)
            t.eq(st, 201, "opened")
            b = j(out)["breach"]
            path = f"/v1/breaches/{b}/notify"
            st, _, out = srv.post(path, {"who": "subjects", "activities": ["contact"]}, token=dpo)
            t.eq((st, j(out)["error"]["field"]), (422, "consequences"), "a text missing")
            st, _, _ = srv.post(f"/v1/breaches/{b}/describe",
                                {"consequences": "Phishing", "measures": "Passwords reset"},
                                token=dpo)
            t.eq(st, 200, "described")
            st, _, out = srv.post(path, {"who": "subjects", "activities": "contact"}, token=dpo)
            t.eq((st, j(out)["error"]["field"]), (422, "activities"), "a list")
            st, _, out = srv.post(path, {"who": "subjects", "activities": ["contact"]}, token=dpo)
            t.eq(st, 200, "queued")
            t.eq((j(out)["notices"], j(out)["subjects_notified"]), (2, "2026-03-02T10:00:00Z"),
                 "one a person of contact, told today")
            # the people told; the DPO's alert of the breach goes too when the
            # courier's first reminders ran after the breach was recorded (on
            # PostgreSQL its connection opens later): not what is tested here
            def people():
                return sorted(env["rcpt_tos"][0] for _, env, _ in smtp.messages()
                              if env["rcpt_tos"][0] != "dpo@atelier-numerique.fr")
            for _ in range(200):
                if len(people()) == 2:
                    break
                time.sleep(0.05)
            t.eq(people(), ["api.a@example.org", "api.b@example.org"],
                 "the newsletter's person not")
        finally:
            _, err = srv.stop()
    t.ok("@example.org" not in err and "@example.org" not in open(srv.log).read(),
         "no address in the server's stderr or access log")
