"""stats: counts by a field, small cells suppressed."""
from vaultlib import vault, collect_json


def test_stats_suppress_small_cells(t):
    run = vault(t)
    countries = ["France"] * 6 + ["Belgique"] * 5 + ["Suisse"] * 2 + ["Monaco"]
    for i, c in enumerate(countries):
        collect_json(t, run, "newsletter", "--consent", f"email=n{i}@example.org", f"country={c}")
    # two French subscribers withdraw: their rows are anonymised, still counted
    for i in range(2):
        sid = t.json(run("--json", "find", "--email", f"n{i}@example.org"))["subjects"][0]
        t.status(run("consent", sid, "newsletter", "withdraw"), 0)
    p = run("--json", "stats", "newsletter", "--by", "country")
    t.status(p, 0)
    doc = t.json(p)
    t.eq(doc["cells"], [{"value": "France", "count": 6}, {"value": "Belgique", "count": 5}],
         "cells of 5 people or more, anonymised rows included")
    t.eq(doc["suppressed_cells"], 2, "Suisse (2) and Monaco (1) not shown")
    t.eq(doc["total"], 14, "every record counted")
    p = run("stats", "newsletter", "--by", "country")
    t.lacks(p.out, "Monaco", "human output")
    t.status(run("--json", "stats", "newsletter", "--by", "shoe"), 1)
    t.status(run("stats", "newsletter"), 2)
