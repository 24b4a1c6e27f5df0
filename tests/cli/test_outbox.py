"""outbox list: the messages the vault owes."""
from vaultlib import DECL, vault, collect_json, later, sweep


def test_outbox_lists_renewals(t):
    src = open(t.path(DECL), encoding="utf-8").read()
    src = src.replace("      active: 1y from last-contact\n      end: delete\n",
                      "      active: 1y from last-contact\n      end: delete\n"
                      "      renew: {wait: 1mo, silence: end}\n", 1)
    run = vault(t, env={"PDVAULT_CONFIG": t.write("renew.yaml", src)})
    a = collect_json(t, run, "contact", "email=ivo@example.org", "message=x")
    t.eq(t.json(run("--json", "outbox", "list")), {"messages": []}, "empty")
    sweep(t, later(run, "2027-03-03"))
    msgs = t.json(run("--json", "outbox", "list"))["messages"]
    t.eq([(m["kind"], m["record"], m["sent"]) for m in msgs], [("renewal", a["record"], False)],
         "a re-confirmation queued for the record")
