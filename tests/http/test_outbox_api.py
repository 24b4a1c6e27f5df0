"""The outbox for the DPO through the API (issue 12, points 1 and 4): GET
/v1/outbox lists what waits or failed (kind, recipient kind, status,
attempts, times, last error; never an address or a value), POST
/v1/outbox/ID/retry queues a failed message again, and a request's page
(GET /v1/requests/ID) lists the Art. 19 notices its close queued, per
recipient, with their delivery. A real webhook receiver
(tests/lib/webhookd.py) fails, then accepts."""
import json
import os
import sys
import time

from test_server import Server, j

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "lib"))
from peers import Webhookd  # noqa: E402

EMAIL = "erase.me@example.org"


def wait_for(cond, what, timeout=10):
    for _ in range(int(timeout / 0.05)):
        got = cond()
        if got:
            return got
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def webhook_vault(t, fail):
    """A server whose declaration sends airtable's notices to a webhook that
    fails `fail` times; returns (server, webhook receiver)."""
    probe = Webhookd(os.path.join(t.tmp, "hook"), "-")
    probe.start()
    port = probe.port
    probe.stop()
    src = open(t.path("examples/alegria-corrected.yaml"), encoding="utf-8").read()
    src = src.replace("notify_email: privacy@airtable.example}",
                      f"webhook: \"http://127.0.0.1:{port}/airtable\"}}", 1)
    srv = Server(t, env={"PDVAULT_CONFIG": t.write("webhook.yaml", src)})
    p = srv.cli("recipient", "secret", "airtable")
    t.status(p, 0)
    hook = Webhookd(os.path.join(t.tmp, "hook"), p.out.strip(), fail={"/airtable": fail})
    hook.port = port
    hook.start()
    return srv, hook


def erasure_closed(t, srv, dpo):
    p = srv.cli("--json", "collect", "contact", "last_name=Erase", "first_name=Me",
                f"email={EMAIL}", "message=forget me", "--consent")
    t.status(p, 0)
    subject = t.json(p)["subject"]
    p = srv.cli("--json", "request", "open", "erasure", "--subject", subject)
    t.status(p, 0)
    req = t.json(p)["request"]
    st, _, out = srv.post(f"/v1/requests/{req}/close", {}, token=dpo)
    t.eq(st, 200, f"the erasure is done: {out[:200]!r}")
    return req


def notices(t, srv, req, token):
    st, _, out = srv.get(f"/v1/requests/{req}?lang=en", token=token)
    t.eq(st, 200, "the request")
    return j(out)["notices"]


def test_a_failed_notice_is_shown_on_its_erasure_retried_and_sent(t):
    srv, hook = webhook_vault(t, fail=1)
    dpo = srv.token("dpo", "alice")
    sales = srv.token("sales", "sam")
    try:
        srv.start("--delivery-tries", "1")
        req = erasure_closed(t, srv, dpo)
        got = wait_for(lambda: [n for n in notices(t, srv, req, dpo)
                                if n["recipient"] == "airtable" and n["status"] == "failed"],
                       "the notice failed after its one try")
        t.eq([(n["recipient"], n["name"], n["channel"], n["kind"], n["attempts"],
               n["last_error"]) for n in got],
             [("airtable", "Airtable", "webhook", "erasure", 1, "http-500")],
             "the notice to the webhook failed at its last try")
        listed = notices(t, srv, req, dpo)
        t.eq(sorted((n["recipient"], n["channel"]) for n in listed),
             [("airtable", "webhook"), ("webflow", "email")],
             "one notice per recipient of the activity, with its channel")
        # the outbox page: failed and pending, no address
        st, _, out = srv.get("/v1/outbox?status=failed", token=dpo)
        t.eq(st, 200, "the dpo reads the outbox")
        failed = j(out)["messages"]
        t.eq([(m["id"], m["kind"], m["recipient_kind"], m["recipient"], m["status"],
               m["attempts"], m["last_error"]) for m in failed
              if m["recipient"] == "airtable"],
             [(got[0]["id"], "erasure", "recipient", "airtable", "failed", 1, "http-500")],
             "the failed notice")
        t.eq({m["status"] for m in failed}, {"failed"}, "failed ones only")
        st, _, out = srv.get("/v1/outbox", token=dpo)
        text = out.decode()
        t.ok(EMAIL not in text and "privacy@webflow" not in text and "127.0.0.1" not in text,
             "no address, no URL")
        t.eq({m["recipient_kind"] for m in j(out)["messages"]} <= {"recipient", "person", "dpo"},
             True, "recipient kinds")
        st, _, out = srv.get("/v1/outbox?status=nope", token=dpo)
        t.eq((st, j(out)["error"]["field"]), (400, "status"), "a bad filter names its field")
        # sales may not read or retry the outbox
        t.eq(srv.get("/v1/outbox", token=sales)[0], 403, "sales may not read the outbox")
        st, _, _ = srv.request("POST", f"/v1/outbox/{got[0]['id']}/retry", token=sales)
        t.eq(st, 403, "sales may not retry")
        # retry: the receiver accepts now
        st, _, out = srv.request("POST", f"/v1/outbox/{got[0]['id']}/retry", token=dpo)
        t.eq((st, j(out)), (200, {"id": got[0]["id"], "status": "queued"}), "queued again")
        sent = wait_for(lambda: [n for n in notices(t, srv, req, dpo)
                                 if n["recipient"] == "airtable" and n["status"] == "sent"],
                        "the notice sent after the retry")
        t.ok(sent[0]["sent_at"], "with the time it was sent")
        st, _, out = srv.request("POST", f"/v1/outbox/{got[0]['id']}/retry", token=dpo)
        t.eq(st, 404, "a message that is not failed is not retried")
        t.eq(srv.request("POST", "/v1/outbox/x1/retry", token=dpo)[0], 404, "not an id")
        t.eq(len(hook.deliveries()), 1, "the receiver has it once")
        t.ok(EMAIL not in json.dumps(hook.deliveries()), "no value in the body")
    finally:
        srv.stop()
        hook.stop()
    entries = t.json(srv.cli("--json", "audit", "log"))["entries"]
    t.ok(any(e["action"] == "outbox-retry" and e["actor"] == "api:alice" for e in entries),
         "the retry is audited with who did it")
