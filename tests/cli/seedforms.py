"""Collect through each public form of a corrected seed, as a visitor would:
the real `pdvault serve` on the corrected declaration (the way tests/http start
it), a POST to /v1/activities/ID/submissions (the route the embeddable form of
`pdvault form` posts to), the consent box ticked where the activity rests on
consent, the double opt-in confirmed with the code read from the email a real
SMTP peer (tests/lib/smtpd.py) received. Each record is then looked for with
`find` and `show` (it landed in its activity) and in the person's copy
(`export`: its purposes and basis); a submission missing a required field,
or a consent box left unticked, is refused naming the field and stores
nothing.

    through_each_form(t, "examples/x-corrected.yaml", [Form(...), ...])
"""
import json
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "http"))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "lib"))
from peers import Smtpd  # noqa: E402
from test_server import Server  # noqa: E402

NOW = "2026-03-02T10:00:00Z"
PUBLIC = "https://privacy.example.org"


class Form:
    """One public form: the activity, what a visitor types, the field by which
    the person is found (email or phone), the basis the copy names (English
    label) and a word of its first purpose."""

    def __init__(self, activity, fields, basis, purpose, consent=False, double_opt_in=False,
                 find="email"):
        self.activity = activity
        self.fields = fields
        self.basis = basis
        self.purpose = purpose
        self.consent = consent
        self.double_opt_in = double_opt_in
        self.find = find


def _wait(cond, what, timeout=15):
    for _ in range(int(timeout / 0.05)):
        got = cond()
        if got:
            return got
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _j(out):
    return json.loads(out)


def _records(t):
    from storelib import store_count
    return store_count(t, "records")


def _confirm(t, srv, smtp, form, out, before):
    """The double opt-in: the code from the email the relay received."""
    cid = _j(out)["confirmation"]
    to = form.fields["email"]

    def mail():
        return [m for m, env, _ in smtp.messages() if env["rcpt_tos"] == [to]]
    msg = _wait(mail, f"the confirmation email to {form.activity}")[0]
    body = msg.get_body(preferencelist=("plain",)).get_content()
    code = re.search(r"^ +(\d{6})\r?$", body, re.M).group(1)
    t.eq(_records(t), before, f"{form.activity}: nothing collected before the confirmation")
    st, _, out = srv.post("/v1/verify", {"confirmation": cid, "code": code})
    t.eq(st, 201, f"{form.activity}: confirmed with the emailed code")
    return _j(out)["record"]


def _submit(srv, form, fields, consent):
    body = {"fields": fields}
    if consent is not None:
        body["consent"] = consent
    return srv.post(f"/v1/activities/{form.activity}/submissions", body)


def _landed(t, srv, form, record):
    """find by the form's email or phone, show, export: the record is in its
    activity, with the values typed, its purpose and its basis."""
    p = srv.cli("--json", "find", f"--{form.find}", form.fields[form.find])
    t.status(p, 0)
    subjects = t.json(p)["subjects"]
    t.eq(len(subjects), 1, f"{form.activity}: one person found by {form.find}")
    p = srv.cli("--json", "show", subjects[0])
    t.status(p, 0)
    recs = {r["record"]: r for r in t.json(p)["records"]}
    t.ok(record in recs, f"{form.activity}: the record answered is the one shown")
    t.eq(recs[record]["activity"], form.activity, "in the form's activity")
    t.eq(recs[record]["fields"], form.fields, f"{form.activity}: the values as typed")
    p = srv.cli("--json", "export", subjects[0], "--lang", "en")
    t.status(p, 0)
    copy = {r["record"]: r for r in t.json(p)["records"]}[record]
    t.eq(copy["basis"], form.basis, f"{form.activity}: its basis")
    t.contains(copy["purposes"][0], form.purpose, f"{form.activity}: its purpose")


def _refused(t, srv, form):
    """Each required field left out, and the consent box left unticked: 422
    naming the field, nothing stored."""
    before = _records(t)
    required = [f["name"] for a in _j(srv.get("/v1/activities")[2])["activities"]
                if a["id"] == form.activity for f in a["fields"] if f["required"]]
    t.ok(required, f"{form.activity}: the form has required fields")
    for name in required:
        fields = {k: v for k, v in form.fields.items() if k != name}
        st, _, out = _submit(srv, form, fields, True if form.consent else None)
        t.eq((st, _j(out)["error"]["field"]), (422, name),
             f"{form.activity}: without {name}, refused naming it")
    if form.consent:
        st, _, out = _submit(srv, form, form.fields, False)
        t.eq((st, _j(out)["error"]["field"]), (422, "consent"),
             f"{form.activity}: the consent box unticked, refused naming it")
    t.eq(_records(t), before, f"{form.activity}: a refused submission stores nothing")


def through_each_form(t, decl, forms, collecting):
    """Submit each form through a real server on decl; collecting is the list
    of activities the privacy center offers as forms (`collects` in
    /v1/activities: consent or contract, given by the person)."""
    srv = Server(t, env={"PDVAULT_CONFIG": t.path(decl), "PDVAULT_NOW": NOW})
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        srv.start("--smtp", smtp.url, "--public-url", PUBLIC)
        try:
            st, _, out = srv.get("/v1/activities?lang=en")
            t.eq(st, 200, "the list of activities")
            acts = _j(out)["activities"]
            t.eq(sorted(a["id"] for a in acts if a["collects"]), sorted(collecting),
                 "the forms the privacy center offers")
            for form in forms:
                _refused(t, srv, form)
                n = _records(t)
                st, _, out = _submit(srv, form, form.fields, True if form.consent else None)
                if form.double_opt_in:
                    t.eq(st, 202, f"{form.activity}: a double opt-in waits")
                    record = _confirm(t, srv, smtp, form, out, n)
                else:
                    t.eq(st, 201, f"{form.activity}: collected")
                    record = _j(out)["record"]
                t.eq(_records(t), n + 1, f"{form.activity}: one record more")
                _landed(t, srv, form, record)
        finally:
            code, err = srv.stop()
    t.eq(code, 0, f"the server stopped cleanly: {err[-500:]}")
