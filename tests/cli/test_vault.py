"""The vault from the command line: init, collect, find, show, audit. The
store is a real SQLite file; tampering goes straight at it."""
import json
import os
import sqlite3
import stat

DECL = "tests/data/lint/clean.yaml"
NOW = {"PDVAULT_NOW": "2026-03-02T10:00:00Z"}


def vault(t, env=None):
    """A fresh store and key in the test's folder; returns a runner."""
    e = dict(NOW)
    e["PDVAULT_CONFIG"] = t.path(DECL)
    e.update(env or {})

    def run(*args, stdin=None, env2=None):
        ee = dict(e)
        ee.update(env2 or {})
        return t.run(*args, env=ee, stdin=stdin)
    p = run("init")
    t.status(p, 0)
    return run


def collect_json(t, run, *args, stdin=None):
    p = run("--json", "collect", *args, stdin=stdin)
    t.status(p, 0)
    return t.json(p)


def audit_entries(t, run):
    p = run("--json", "audit", "log")
    t.status(p, 0)
    return t.json(p)["entries"]


def test_init_creates_a_private_key_and_refuses_to_overwrite(t):
    run = vault(t)
    key = os.path.join(t.tmp, "pdvault.key")
    mode = stat.S_IMODE(os.stat(key).st_mode)
    t.eq(mode, 0o600, "key file mode")
    t.eq(os.path.getsize(key), 32, "key size")
    db = os.path.join(t.tmp, "pdvault.db")
    t.eq(stat.S_IMODE(os.stat(db).st_mode), 0o600, "store file mode")
    before = open(key, "rb").read()
    p = run("init")
    t.status(p, 1)
    t.contains(p.err, "pdvault: init: ")
    t.contains(p.err, "refusing to overwrite")
    t.eq(open(key, "rb").read(), before, "the key is untouched")
    p = run("--json", "init", env2={"PDVAULT_DB": "sqlite:other.db"})
    t.status(p, 1)
    t.eq(t.json(p)["error"]["code"], "refused", "json error code")


def test_init_json_document(t):
    p = t.run("--json", "--db", "sqlite:v.db", "--key-file", "v.key", "init", env=NOW)
    t.status(p, 0)
    t.eq(t.json(p), {"db": "sqlite:v.db", "key_file": "v.key"}, "init document")


def test_key_file_checks(t):
    run = vault(t)
    key = os.path.join(t.tmp, "pdvault.key")
    os.chmod(key, 0o644)
    p = run("find", "--email", "a@example.org")
    t.status(p, 3)
    t.contains(p.err, "chmod 600")
    os.chmod(key, 0o600)
    with open(key, "ab") as f:
        f.write(b"x")
    p = run("find", "--email", "a@example.org")
    t.status(p, 3)
    t.contains(p.err, "32")
    os.remove(key)
    p = run("find", "--email", "a@example.org")
    t.status(p, 3)
    t.contains(p.err, "pdvault init")


def test_another_key_cannot_open_the_store(t):
    run = vault(t)
    p = t.run("--key-file", "other.key", "--db", "sqlite:other.db", "init", env=NOW)
    t.status(p, 0)
    p = run("find", "--email", "a@example.org", env2={"PDVAULT_KEY_FILE": "other.key"})
    t.status(p, 3)
    t.contains(p.err, "is not the key of store")


def test_collect_find_show(t):
    run = vault(t)
    doc = collect_json(t, run, "contact", "email=Jeanne.Martin@Example.org", "name=Jeanne Martin",
                       "message=Bonjour, je voudrais un devis")
    subject, record = doc["subject"], doc["record"]
    t.ok(subject.startswith("s") and len(subject) == 23, f"opaque subject id {subject}")
    t.ok(record.startswith("r") and len(record) == 23, f"opaque record id {record}")
    # the same person, typed differently, is found
    p = run("--json", "find", "--email", "  jeanne.martin@example.ORG ")
    t.status(p, 0)
    t.eq(t.json(p), {"subjects": [subject]}, "find")
    p = run("--json", "find", "--email", "nobody@example.org")
    t.status(p, 0)
    t.eq(t.json(p), {"subjects": []}, "find nobody")
    p = run("--json", "show", subject)
    t.status(p, 0)
    doc = t.json(p)
    t.eq(doc["subject"], subject, "subject")
    t.eq(len(doc["records"]), 1, "one record")
    r = doc["records"][0]
    t.eq(r["record"], record, "record id")
    t.eq(r["activity"], "contact", "activity")
    t.eq(r["phase"], "active", "phase")
    t.eq(r["fields"], {"email": "Jeanne.Martin@Example.org", "name": "Jeanne Martin",
                       "message": "Bonjour, je voudrais un devis"}, "decrypted fields")
    # contact: 1y from last-contact -> archived? no archive: ended on 2027-03-03
    t.eq(r["next"], {"phase": "ended", "at": "2027-03-03T00:00:00Z"}, "next transition")
    human = run("show", subject)
    t.status(human, 0)
    t.contains(human.out, "Jeanne Martin")


def test_same_person_is_the_same_subject(t):
    run = vault(t)
    a = collect_json(t, run, "contact", "email=paul@example.org", "message=one")
    b = collect_json(t, run, "newsletter", "--consent", "email=PAUL@example.org ")
    t.eq(b["subject"], a["subject"], "same subject")
    t.ok(b["record"] != a["record"], "a new record")
    p = run("--json", "show", a["subject"])
    t.eq(sorted(r["activity"] for r in t.json(p)["records"]), ["contact", "newsletter"],
         "both records")


def test_collect_from_stdin(t):
    run = vault(t)
    doc = collect_json(t, run, "contact", "--stdin",
                       stdin=json.dumps({"email": "zoe@example.org", "message": "salut"}).encode())
    p = run("--json", "show", doc["subject"])
    t.eq(t.json(p)["records"][0]["fields"]["message"], "salut", "value from stdin")
    for bad, why in ((b"[1,2]", "not an object"), (b"{\"email\": 3}", "not a string"),
                     (b"{\"email\": \"a@b.fr\", \"email\": \"c@d.fr\"}", "duplicate"),
                     (b"{nope", "broken JSON")):
        p = run("--json", "collect", "contact", "--stdin", stdin=bad)
        t.status(p, 1)
        t.ok(t.json(p)["error"]["message"], why)


def expect_refused(t, run, args, field, stdin=None):
    before = len(audit_entries(t, run))
    p = run("--json", "collect", *args, stdin=stdin)
    t.status(p, 1)
    err = t.json(p)["error"]
    t.eq(err.get("field"), field, f"field named for {args[:2]}")
    t.contains(p.err, "pdvault: collect: ")
    t.eq(len(audit_entries(t, run)), before, "nothing written for a refused submission")
    return p


def test_invalid_submissions_store_nothing(t):
    run = vault(t)
    expect_refused(t, run, ["contact", "email=a@example.org", "message=x", "age=3"], "age")
    expect_refused(t, run, ["contact", "email=a@example.org"], "message")
    expect_refused(t, run, ["contact", "email=not-an-address", "message=x"], "email")
    expect_refused(t, run, ["newsletter", "email=a@example.org"], "consent")
    expect_refused(t, run, ["contact", "email=a@example.org", "message=" + "x" * 6000], "message")
    expect_refused(t, run, ["contact", "email=a@example.org", b"message=caf\xe9"], "message")
    expect_refused(t, run, ["nope", "email=a@example.org"], "activity")
    big = json.dumps({"email": "a@example.org", "name": "n" * (1 << 20), "message": "x"})
    expect_refused(t, run, ["contact", "--stdin"], "name", stdin=big.encode())
    p = run("--json", "find", "--email", "a@example.org")
    t.eq(t.json(p), {"subjects": []}, "nobody stored")


def test_refusals_never_echo_values(t):
    run = vault(t)
    p = run("collect", "contact", "email=secret-marker-77@", "message=x")
    t.status(p, 1)
    t.lacks(p.err + p.out, "secret-marker-77", "refusal")
    p = run("collect", "contact", "secret-marker-78")
    t.status(p, 2)
    t.lacks(p.err + p.out, "secret-marker-78", "usage error")


def test_activity_with_lint_error_refuses_collection(t):
    src = open(t.path(DECL), encoding="utf-8").read()
    # the contact activity loses its basis: a lint error in that activity alone
    src = src.replace("    basis: legitimate-interests\n    basis_detail: {fr: Répondre",
                      "    basis_detail: {fr: Répondre", 1)
    path = t.write("broken.yaml", src)
    run = vault(t, env={"PDVAULT_CONFIG": path})
    p = run("--json", "collect", "contact", "email=a@example.org", "message=x")
    t.status(p, 1)
    t.contains(t.json(p)["error"]["message"], "lint")
    p = run("--json", "collect", "newsletter", "--consent", "email=a@example.org")
    t.status(p, 0)


def test_no_value_in_clear_on_disk(t):
    run = vault(t)
    marker = "Zq7marker0xK"
    collect_json(t, run, "contact", f"email={marker}@example.org", f"name={marker} Dupont",
                 f"message=please call {marker}")
    collect_json(t, run, "newsletter", "--consent", "--stdin",
                 stdin=json.dumps({"email": f"{marker.lower()}2@example.org"}).encode())
    p = run("--json", "find", "--email", f"{marker}@example.org")
    subject = t.json(p)["subjects"][0]
    t.status(run("show", subject), 0)
    files = [os.path.join(d, f) for d, _, fs in os.walk(t.tmp) for f in fs]
    t.ok(any(f.endswith("pdvault.db") for f in files), "store file present")
    for f in files:
        data = open(f, "rb").read()
        for needle in (marker.encode(), marker.lower().encode(), marker.encode("utf-16-le")):
            t.ok(needle not in data, f"marker found in clear in {os.path.basename(f)}")


def tamper(t, sql, *args):
    db = sqlite3.connect(os.path.join(t.tmp, "pdvault.db"))
    db.execute(sql, args)
    db.commit()
    db.close()


def verify(t, run):
    p = run("--json", "audit", "verify")
    return p, t.json(p)


def filled(t):
    run = vault(t)
    for i in range(4):
        collect_json(t, run, "contact", f"email=p{i}@example.org", "message=x")
    p, doc = verify(t, run)
    t.status(p, 0)
    t.eq(doc["ok"], True, "intact chain")
    t.eq(doc["first_bad"], None, "no bad entry")
    t.eq(doc["entries"], 5, "init and four collections")
    return run


def test_audit_catches_a_modified_entry(t):
    run = filled(t)
    tamper(t, "UPDATE audit SET actor = 'cli:mallory' WHERE seq = 3")
    p, doc = verify(t, run)
    t.status(p, 1)
    t.eq((doc["ok"], doc["first_bad"]), (False, 3), "modified entry named")


def test_audit_catches_a_deleted_entry(t):
    run = filled(t)
    tamper(t, "DELETE FROM audit WHERE seq = 2")
    p, doc = verify(t, run)
    t.status(p, 1)
    t.eq(doc["first_bad"], 2, "deleted entry named")


def test_audit_catches_reordered_entries(t):
    run = filled(t)
    tamper(t, "UPDATE audit SET seq = 100 WHERE seq = 2")
    tamper(t, "UPDATE audit SET seq = 2 WHERE seq = 3")
    tamper(t, "UPDATE audit SET seq = 3 WHERE seq = 100")
    p, doc = verify(t, run)
    t.status(p, 1)
    t.eq(doc["first_bad"], 2, "first moved entry named")


def test_audit_catches_an_inserted_entry(t):
    run = filled(t)
    tamper(t, "INSERT INTO audit (seq, at, actor, action, hash) VALUES (6, 0, 'cli:x', 'show', ?)",
           b"\0" * 32)
    p, doc = verify(t, run)
    t.status(p, 1)
    t.eq(doc["first_bad"], 6, "inserted entry named")


def test_audit_catches_a_truncated_log(t):
    run = filled(t)
    tamper(t, "DELETE FROM audit WHERE seq >= 4")
    p, doc = verify(t, run)
    t.status(p, 1)
    t.eq(doc["first_bad"], 4, "first missing entry named")
    human = run("audit", "verify")
    t.status(human, 1)
    t.contains(human.out, "cut off")


def test_a_truncated_log_refuses_writes_until_the_loss_is_accepted(t):
    run = filled(t)  # entries 1-5
    tamper(t, "DELETE FROM audit WHERE seq >= 4")
    p = run("collect", "contact", "email=new@example.org", "message=x")
    t.status(p, 3)
    t.contains(p.err, "entry 4 is missing")
    t.status(run("find", "--email", "p0@example.org"), 3)  # a read writes its audit entry
    p = run("--json", "collect", "contact", "email=new@example.org", "message=x")
    t.status(p, 3)
    t.eq(t.json(p)["error"]["code"], "integrity", "error code")
    db = sqlite3.connect(os.path.join(t.tmp, "pdvault.db"))
    t.eq(db.execute("SELECT max(seq) FROM audit").fetchone()[0], 3, "nothing written")
    t.eq(db.execute("SELECT count(*) FROM records").fetchone()[0], 4, "no record added")
    db.close()
    p, doc = verify(t, run)  # still named after the refused writes
    t.status(p, 1)
    t.eq(doc["first_bad"], 4, "first missing entry named")
    t.contains(p.err, "entries from 4 to 5 were cut off")
    # the way out is explicit, and its reason is kept sealed
    t.status(run("audit", "accept-loss"), 2)
    marker = "Zq7lossreason"
    p = run("--json", "audit", "accept-loss", "--reason", f"disk failure {marker}")
    t.status(p, 0)
    t.eq(t.json(p), {"lost": {"from": 4, "to": 5}, "entry": 6}, "accept-loss document")
    t.status(run("audit", "accept-loss", "--reason", "again"), 1)  # nothing more to accept
    collect_json(t, run, "contact", "email=new@example.org", "message=x")
    p, doc = verify(t, run)
    t.status(p, 0)
    t.eq((doc["ok"], doc["first_bad"]), (True, None), "the chain verifies again")
    t.eq([(x["from"], x["to"], x["entry"]) for x in doc["losses"]], [(4, 5, 6)],
         "the loss stays reported")
    t.eq(doc["losses"][0]["reason"], f"disk failure {marker}", "the reason")
    human = run("audit", "verify")
    t.status(human, 0)
    t.contains(human.out, "entries 4 to 5 lost")
    for d, _, fs in os.walk(t.tmp):
        for f in fs:
            t.ok(marker.encode() not in open(os.path.join(d, f), "rb").read(),
                 f"the reason in clear in {f}")
    # the accepted loss cannot be cut off in turn
    tamper(t, "DELETE FROM audit WHERE seq >= 6")
    t.status(run("collect", "contact", "email=other@example.org", "message=x"), 3)


def test_a_missing_head_file_refuses_writes(t):
    run = filled(t)
    os.unlink(os.path.join(t.tmp, "pdvault.key.audit-head"))
    p = run("collect", "contact", "email=new@example.org", "message=x")
    t.status(p, 3)
    t.contains(p.err, "audit head file")
    p = run("--json", "audit", "accept-loss", "--reason", "head file deleted by mistake")
    t.status(p, 0)
    t.eq(t.json(p), {"lost": {"from": 6, "to": None}, "entry": 6}, "what may be lost")
    collect_json(t, run, "contact", "email=new@example.org", "message=x")
    p, doc = verify(t, run)
    t.status(p, 0)
    t.eq([(x["from"], x["to"]) for x in doc["losses"]], [(6, None)], "loss reported")


def test_a_symlinked_key_file_keeps_the_same_head(t):
    run = filled(t)
    os.mkdir(os.path.join(t.tmp, "etc"))
    os.symlink(os.path.join(t.tmp, "pdvault.key"), os.path.join(t.tmp, "etc", "vault.key"))
    via = {"PDVAULT_KEY_FILE": os.path.join(t.tmp, "etc", "vault.key")}
    collect_json(t, lambda *a, **k: run(*a, env2=via, **k), "contact",
                 "email=linked@example.org", "message=x")
    t.ok(not os.path.exists(os.path.join(t.tmp, "etc", "vault.key.audit-head")),
         "no second head beside the link")
    p, doc = verify(t, run)
    t.status(p, 0)
    t.eq(doc["entries"], 6, "the head beside the real key moved")
    # a rotation through the link replaces the link by the new key file: the head follows
    t.status(run("key", "rotate", env2=via), 0)  # entry 7
    collect_json(t, lambda *a, **k: run(*a, env2=via, **k), "contact",
                 "email=rotated@example.org", "message=x")  # entry 8
    p = run("--json", "audit", "verify", env2=via)
    t.status(p, 0)
    t.eq(t.json(p)["entries"], 8, "the chain and its head after the rotation")
    tamper(t, "DELETE FROM audit WHERE seq >= 8")
    p = run("collect", "contact", "email=other@example.org", "message=x", env2=via)
    t.status(p, 3)
    t.contains(p.err, "entry 8 is missing")
    p = run("--json", "audit", "verify", env2=via)
    t.status(p, 1)
    t.eq(t.json(p)["first_bad"], 8, "caught through the link too")


def test_restore_moves_the_head_with_an_audit_entry(t):
    run = filled(t)  # entries 1-5
    t.status(run("backup", "before.db"), 0)  # entry 6
    collect_json(t, run, "contact", "email=late@example.org", "message=x")  # 7
    t.status(run("restore", "before.db"), 0)  # the backup's log ends at 5: 6 restore
    entries = audit_entries(t, run)
    t.eq(entries[-1]["action"], "restore", "the restore is logged")
    t.contains(entries[-1]["detail"], "entry 7", "the head it replaced")
    collect_json(t, run, "contact", "email=after@example.org", "message=x")
    p, doc = verify(t, run)
    t.status(p, 0)


def test_audit_log_records_reads_and_changes_without_values(t):
    run = vault(t)
    doc = collect_json(t, run, "contact", "email=lea@example.org", "name=Léa Petit", "message=x")
    run("find", "--email", "lea@example.org")
    run("show", doc["subject"])
    p = run("--json", "audit", "log", "--subject", doc["subject"])
    t.status(p, 0)
    entries = t.json(p)["entries"]
    t.eq([e["action"] for e in entries], ["collect", "find", "show"], "actions")
    show = entries[-1]
    t.eq((show["record"], show["activity"]), (doc["record"], "contact"), "show names the record")
    t.ok(show["purpose"], "the purpose of the read")
    t.ok(show["actor"].startswith("cli:"), "actor")
    t.eq(show["at"], "2026-03-02T10:00:00Z", "the clock of PDVAULT_NOW")
    text = json.dumps(t.json(run("--json", "audit", "log")))
    for v in ("lea@example.org", "Léa", "Petit"):
        t.lacks(text, v, "audit log")


def test_store_missing_is_environment_error(t):
    p = t.run("--config", t.path(DECL), "show", "s" + "A" * 22, env=NOW)
    t.status(p, 3)
    t.contains(p.err, "pdvault init")


def test_unknown_subject_is_not_found(t):
    run = vault(t)
    for sid in ("sAAAAAAAAAAAAAAAAAAAAAA", "nonsense", "s" + "B" * 22):
        p = run("--json", "show", sid)
        t.status(p, 1)
        t.eq(t.json(p)["error"]["code"], "not_found", "not found")


def write_csv(t, name, text):
    return t.write(name, text)


def test_import_reports_rejected_rows_and_keeps_the_rest(t):
    run = vault(t)
    rows = ["email,name,message,_collected_at,_last_contact"]
    rows.append("ann@example.org,Ann,hello,2025-06-01,2025-09-01")
    rows.append("not-an-email,Bob,hi,2025-06-01,")                 # line 3: invalid email
    rows.append('cid@example.org,"Cid, Jr.","multi\nline",2025-06-02,')  # lines 4-5
    rows.append("dan@example.org,Dan,,2025-06-01,")                 # line 6: message required
    rows.append("eve@example.org,Eve,x,2099-01-01,")                # line 7: future date
    rows.append('fay@example.org,"Fay,broken,2025-06-01,')          # line 8: open quote to the end
    path = write_csv(t, "in.csv", "\n".join(rows) + "\n")
    p = run("--json", "import", "contact", path)
    t.status(p, 0)
    doc = t.json(p)
    t.eq(doc["imported"], 2, "imported rows")
    got = [(r["line"], r["field"], r["code"]) for r in doc["rejected"]]
    t.eq(got, [(3, "email", "invalid_email"), (6, "message", "required"),
               (7, "_collected_at", "invalid_date"), (8, None, "bad_quoting")], "rejected rows")
    t.lacks(p.out + p.err, "not-an-email", "report")
    # the migrated clocks are kept: collected 2025-06-01, last contact 2025-09-01, 1y
    sid = t.json(run("--json", "find", "--email", "ann@example.org"))["subjects"][0]
    rec = t.json(run("--json", "show", sid))["records"][0]
    t.eq(rec["collected_at"], "2025-06-01T00:00:00Z", "collected_at column")
    t.eq(rec["next"]["at"], "2026-09-02T00:00:00Z", "retention from _last_contact")
    sid = t.json(run("--json", "find", "--email", "cid@example.org"))["subjects"][0]
    rec = t.json(run("--json", "show", sid))["records"][0]
    t.eq(rec["fields"]["name"], "Cid, Jr.", "quoted comma")
    t.eq(rec["fields"]["message"], "multi\nline", "quoted line break")
    for email in ("dan@example.org", "eve@example.org", "fay@example.org"):
        t.eq(t.json(run("--json", "find", "--email", email)), {"subjects": []},
             f"nothing of a rejected row stored ({email})")


def test_import_human_summary_and_a_big_field(t):
    run = vault(t)
    big = "x" * (1 << 20)
    path = write_csv(t, "in.csv", f"email,message\na@example.org,ok\nb@example.org,{big}\n")
    p = run("import", "contact", path)
    t.status(p, 0)
    t.contains(p.out, "imported 1 record")
    t.contains(p.out, "rejected 1 row")
    t.contains(p.err, "line 3: field 'message': too_long")


def test_import_refuses_an_unknown_column_before_anything(t):
    run = vault(t)
    path = write_csv(t, "in.csv", "email,message,shoe_size\na@example.org,x,42\n")
    p = run("--json", "import", "contact", path)
    t.status(p, 1)
    t.eq(t.json(p)["error"]["field"], "shoe_size", "column named")
    t.eq(t.json(run("--json", "find", "--email", "a@example.org")), {"subjects": []}, "nothing")


def test_import_consent_activity_needs_consent(t):
    run = vault(t)
    path = write_csv(t, "in.csv", "email,_consent_at\na@example.org,2025-01-05\n")
    p = run("--json", "import", "newsletter", path)
    t.status(p, 1)
    t.eq(t.json(p)["error"]["field"], "consent", "consent named")
    p = run("--json", "import", "newsletter", path, "--consent")
    t.status(p, 0)
    t.eq(t.json(p)["imported"], 1, "imported with consent")


def test_import_of_many_rows_is_one_subject_per_person(t):
    run = vault(t)
    lines = ["email,message"] + [f"p{i % 300}@example.org,m{i}" for i in range(12000)]
    path = write_csv(t, "in.csv", "\n".join(lines) + "\n")
    p = run("import", "contact", path)
    t.status(p, 0)
    t.contains(p.out, "imported 12000 records (300 new subjects)")
    p, doc = verify(t, run)
    t.status(p, 0)
    t.eq(doc["entries"], 12001, "one audit entry per record")


def later(run, when):
    """The same runner at another clock."""
    def r(*args, stdin=None):
        return run(*args, stdin=stdin, env2={"PDVAULT_NOW": when})
    return r


def records(t, run, subject):
    p = run("--json", "show", subject)
    t.status(p, 0)
    return {r["activity"]: r for r in t.json(p)["records"]}


def test_contact_event_moves_the_retention_clock(t):
    run = vault(t)
    doc = collect_json(t, run, "contact", "email=ana@example.org", "message=x")
    # 1y from last-contact: collected 2026-03-02, contact on 2026-09-01
    r6 = later(run, "2026-09-01T08:00:00Z")
    p = r6("--json", "event", doc["subject"], "contact")
    t.status(p, 0)
    t.eq(t.json(p), {"recorded": 1}, "recorded on the contact record")
    rec = records(t, r6, doc["subject"])["contact"]
    t.eq(rec["next"], {"phase": "ended", "at": "2027-09-02T00:00:00Z"}, "counted from the contact")


def test_early_event_ends_the_record_at_once(t):
    run = vault(t)
    doc = collect_json(t, run, "contact", "email=bo@example.org", "message=x")
    collect_json(t, run, "newsletter", "--consent", "email=bo@example.org")
    p = run("--json", "event", doc["subject"], "objection", "--activity", "contact")
    t.status(p, 0)
    t.eq(sorted(records(t, run, doc["subject"])), ["newsletter"], "the contact record is gone")
    actions = [e["action"] for e in audit_entries(t, run)]
    t.ok("end" in actions, "the end is audited")


def test_contract_end_archives(t):
    run = vault(t)
    doc = collect_json(t, run, "customers", "email=cy@example.org", "name=Cy", "address=1 rue X")
    # the contract ends at noon on 10 Jan 2027: the archive counts from that day
    r = later(run, "2027-01-10T12:00:00Z")
    p = r("event", doc["subject"], "contract-end")
    t.status(p, 0)
    rec = records(t, r, doc["subject"])["customers"]
    t.eq(rec["phase"], "archived", "archived at contract end")
    t.eq(rec["next"], {"phase": "ended", "at": "2032-01-11T00:00:00Z"}, "5y archive from it")
    # an archived record takes no more events
    p = r("--json", "event", doc["subject"], "contract-end")
    t.status(p, 1)


def test_bad_events_are_refused(t):
    run = vault(t)
    doc = collect_json(t, run, "contact", "email=di@example.org", "message=x")
    p = run("--json", "event", doc["subject"], "birthday")
    t.status(p, 1)
    t.eq(t.json(p)["error"]["field"], "event", "unknown event")
    p = run("--json", "event", doc["subject"], "contract-end")
    t.status(p, 1)
    t.contains(p.err, "no active record")
    p = run("--json", "event", doc["subject"], "contact", "--activity", "nope")
    t.status(p, 1)
    t.eq(t.json(p)["error"]["field"], "activity", "unknown activity")


def test_consent_ledger_and_withdrawal(t):
    run = vault(t)
    doc = collect_json(t, run, "newsletter", "--consent", "email=eva@example.org",
                       "country=France")
    sid = doc["subject"]
    p = run("--json", "consent", sid, "newsletter", "grant")
    t.status(p, 0)
    c = t.json(p)["consent"]
    t.eq((c["activity"], c["state"], c["version"]), ("newsletter", "granted", "2025-01"), "grant")
    t.eq(c["at"], "2026-03-02T10:00:00Z", "at the clock")
    r = later(run, "2026-04-01")
    p = r("--json", "consent", sid, "newsletter", "withdraw")
    t.status(p, 0)
    doc2 = t.json(p)
    t.eq(doc2["consent"]["state"], "withdrawn", "withdrawn")
    t.eq(doc2["ended"], 1, "the subscription ended at once")
    # no record left: the subject's key and blind index are destroyed
    p = r("--json", "show", sid)
    t.status(p, 1)
    t.eq(t.json(p)["error"]["code"], "not_found", "the subject is gone")
    t.eq(t.json(r("--json", "find", "--email", "eva@example.org")), {"subjects": []}, "unfindable")
    journal = open(os.path.join(t.tmp, "pdvault.key.erasures"), encoding="utf-8").read()
    lines = journal.splitlines()
    t.eq(lines[0], "pdvault-erasures 1", "journal header")
    t.eq(len(lines), 2, "one erasure journaled")
    t.lacks(journal, "eva", "journal")
    db = sqlite3.connect(os.path.join(t.tmp, "pdvault.db"))
    ledger = db.execute("SELECT state, version FROM consents ORDER BY id").fetchall()
    texts = db.execute("SELECT activity, version FROM consent_texts").fetchall()
    stats = db.execute("SELECT activity, month, fields FROM statistics").fetchall()
    db.close()
    t.eq(ledger, [("granted", "2025-01"), ("granted", "2025-01"), ("withdrawn", "2025-01")],
         "every grant and the withdrawal kept, none overwritten")
    t.eq(texts, [("newsletter", "2025-01")], "the consent text kept once per version")
    # end: anonymise keeps country (keep_anonymised) in a row linked to no one
    t.eq([(a, m) for a, m, _ in stats], [("newsletter", "2026-03")], "statistics row, month only")
    t.ok(b"France" not in stats[0][2], "the kept value is sealed")
    p = run("--json", "consent", sid, "contact", "grant")
    t.status(p, 1)
    t.contains(p.err, "not based on consent")


def test_rectify_replaces_values_and_lookups(t):
    run = vault(t)
    doc = collect_json(t, run, "contact", "email=old@example.org", "name=Jon", "message=x")
    sid, rid = doc["subject"], doc["record"]
    p = run("--json", "rectify", sid, rid, "email=New@Example.org", "name=John")
    t.status(p, 0)
    t.eq(t.json(p), {"record": rid}, "rectify document")
    rec = records(t, run, sid)["contact"]
    t.eq(rec["fields"], {"email": "New@Example.org", "name": "John", "message": "x"}, "values")
    t.eq(t.json(run("--json", "find", "--email", "new@example.org")), {"subjects": [sid]},
         "found by the new address")
    t.eq(t.json(run("--json", "find", "--email", "old@example.org")), {"subjects": []},
         "not by the old one")
    # refused: invalid value, unknown field, someone else's record; nothing changes
    p = run("--json", "rectify", sid, rid, "email=broken")
    t.status(p, 1)
    t.eq(t.json(p)["error"]["field"], "email", "field named")
    p = run("--json", "rectify", sid, rid, "shoe=42")
    t.status(p, 1)
    other = collect_json(t, run, "contact", "email=other@example.org", "message=y")
    p = run("--json", "rectify", other["subject"], rid, "name=X")
    t.status(p, 1)
    t.eq(t.json(p)["error"]["field"], "record", "not that subject's record")
    t.eq(records(t, run, sid)["contact"]["fields"]["name"], "John", "unchanged by refusals")
    entry = [e for e in audit_entries(t, run) if e["action"] == "rectify"]
    t.eq(len(entry), 1, "one rectification audited")
    t.eq(entry[0]["detail"], "email,name", "the fields named, not their values")


def test_tokens(t):
    run = vault(t)
    p = run("--json", "token", "create", "sales", "--name", "alice", "--expires", "90d")
    t.status(p, 0)
    doc = t.json(p)
    tok = doc["token"]
    t.ok(tok.startswith("pdv_") and len(tok) == 47, f"a 256-bit token {tok}")
    t.eq(doc["expires"], "2026-05-31T10:00:00Z", "90 days later")
    db = open(os.path.join(t.tmp, "pdvault.db"), "rb").read()
    t.ok(tok.encode() not in db and tok[4:].encode() not in db, "stored only as a hash")
    p = run("--json", "token", "create", "sales", "--name", "alice")
    t.status(p, 1)
    t.eq(t.json(p)["error"]["field"], "name", "a name is used once")
    p = run("--json", "token", "create", "janitor", "--name", "bob")
    t.status(p, 1)
    t.contains(p.err, "roles: dpo, sales")
    t.status(run("token", "create", "dpo", "--name", "dora"), 0)
    t.status(run("token", "revoke", "alice"), 0)
    p = run("--json", "token", "revoke", "alice")
    t.status(p, 1)
    t.status(run("token", "create", "sales"), 2)


def test_key_rotation_keeps_everything_readable(t):
    run = vault(t)
    a = collect_json(t, run, "contact", "email=ray@example.org", "name=Ray", "message=x")
    collect_json(t, run, "newsletter", "--consent", "email=sue@example.org")
    key = os.path.join(t.tmp, "pdvault.key")
    before = open(key, "rb").read()
    p = run("--json", "key", "rotate")
    t.status(p, 0)
    t.eq(t.json(p)["rewrapped"], 2, "two subject keys re-wrapped")
    t.ok(open(key, "rb").read() != before, "a new master key")
    t.eq(stat.S_IMODE(os.stat(key).st_mode), 0o600, "still owner-only")
    t.eq(t.json(run("--json", "find", "--email", "ray@example.org")), {"subjects": [a["subject"]]},
         "lookups keep working")
    t.eq(records(t, run, a["subject"])["contact"]["fields"]["name"], "Ray", "data readable")
    p, doc = verify(t, run)
    t.status(p, 0)
    # the old key no longer opens the store
    old = t.write("old.key", before, "wb")
    os.chmod(old, 0o600)
    p = run("find", "--email", "ray@example.org", env2={"PDVAULT_KEY_FILE": old})
    t.status(p, 3)


def test_key_rotation_survives_a_crash(t):
    run = vault(t)
    a = collect_json(t, run, "contact", "email=kim@example.org", "message=x")
    key = os.path.join(t.tmp, "pdvault.key")
    new = key + ".new"
    old_key = open(key, "rb").read()
    # a crash before the commit: a new key file was written, the store never used it
    with open(new, "wb") as f:
        f.write(os.urandom(32))
    os.chmod(new, 0o600)
    t.eq(t.json(run("--json", "find", "--email", "kim@example.org")), {"subjects": [a["subject"]]},
         "the old key is still in force")
    t.status(run("key", "rotate"), 0)
    t.ok(not os.path.exists(new), "the stale new key is gone")
    # a crash after the commit, before the rename: put the files back as they were then
    new_key = open(key, "rb").read()
    with open(new, "wb") as f:
        f.write(new_key)
    os.chmod(new, 0o600)
    with open(key, "wb") as f:
        f.write(old_key)
    p = run("--json", "find", "--email", "kim@example.org")
    t.status(p, 0)
    t.eq(t.json(p), {"subjects": [a["subject"]]}, "the next open finishes the rotation")
    t.eq(open(key, "rb").read(), new_key, "the new key installed")
    t.ok(not os.path.exists(new), "and the .new file gone")


def sweep(t, run, *args):
    p = run("--json", "sweep", *args)
    t.status(p, 0)
    return t.json(p)


ZERO = {"archived": 0, "deleted": 0, "anonymised": 0, "renewals": 0, "held": 0,
        "id_documents": 0}


def test_sweep_archives_and_ends_on_the_declared_clock(t):
    run = vault(t)
    c = collect_json(t, run, "contact", "email=fay@example.org", "message=x")
    k = collect_json(t, run, "customers", "email=gus@example.org", "name=Gus", "address=1 rue Y")
    n = collect_json(t, run, "newsletter", "--consent", "email=gus@example.org", "country=FR")
    t.eq(sweep(t, run), ZERO, "nothing due yet")
    # contact: 1y from last-contact -> due 2027-03-03
    early = later(run, "2027-03-02T23:59:59Z")
    t.eq(sweep(t, early), ZERO, "not a second early")
    d1 = later(run, "2027-03-03")
    dry = sweep(t, d1, "--dry-run")
    t.eq(dry["deleted"], 1, "dry run counts")
    t.eq([(x["record"], x["to"]) for x in dry["changes"]], [(c["record"], "deleted")], "listed")
    t.eq(records(t, d1, c["subject"])["contact"]["phase"], "active", "dry run changed nothing")
    t.eq(sweep(t, d1), dict(ZERO, deleted=1), "contact deleted")
    t.eq(sweep(t, d1), ZERO, "a second run does nothing more")
    t.status(d1("show", c["subject"]), 1)  # its only record gone: the subject too
    # newsletter: at most 3y from last-contact, anonymised
    d3 = later(run, "2029-03-03")
    t.eq(sweep(t, d3), dict(ZERO, anonymised=1), "newsletter anonymised")
    # customers: at most 5y from collection, then 5y of archive
    d5 = later(run, "2031-03-03")
    t.eq(sweep(t, d5), dict(ZERO, archived=1), "customer archived")
    t.eq(records(t, d5, k["subject"])["customers"]["phase"], "archived", "archived")
    d10 = later(run, "2036-03-04")
    t.eq(sweep(t, d10), dict(ZERO, deleted=1), "then deleted")
    t.status(d10("show", k["subject"]), 1)
    p, doc = verify(t, d10)
    t.status(p, 0)
    erased = open(os.path.join(t.tmp, "pdvault.key.erasures")).read().splitlines()[1:]
    t.eq(len(erased), 2, "two subjects erased, journaled")


def test_sweep_keeps_restricted_subjects(t):
    run = vault(t)
    c = collect_json(t, run, "contact", "email=hal@example.org", "message=x")
    tamper(t, "UPDATE subjects SET restricted = 1")
    d1 = later(run, "2027-03-03")
    t.eq(sweep(t, d1), dict(ZERO, held=1), "held, not deleted")
    t.eq(records(t, d1, c["subject"])["contact"]["phase"], "active", "still there")


def test_sweep_asks_for_renewal(t):
    src = open(t.path(DECL), encoding="utf-8").read()
    src = src.replace("      active: 1y from last-contact\n      end: delete\n",
                      "      active: 1y from last-contact\n      end: delete\n"
                      "      renew: {wait: 1mo, silence: end}\n", 1)
    path = t.write("renew.yaml", src)
    run = vault(t, env={"PDVAULT_CONFIG": path})
    a = collect_json(t, run, "contact", "email=ivy@example.org", "message=x")
    b = collect_json(t, run, "contact", "email=joe@example.org", "message=y")
    d1 = later(run, "2027-03-03")
    t.eq(sweep(t, d1), dict(ZERO, renewals=2), "both asked to re-confirm")
    t.eq(records(t, d1, a["subject"])["contact"]["phase"], "renewal-pending", "pending")
    db = sqlite3.connect(os.path.join(t.tmp, "pdvault.db"))
    queued = db.execute("SELECT kind, count(*) FROM outbox GROUP BY kind").fetchall()
    db.close()
    t.eq(queued, [("renewal", 2)], "two re-confirmations queued")
    p = later(run, "2027-03-20")("--json", "event", a["subject"], "renewed")
    t.status(p, 0)
    t.eq(records(t, later(run, "2027-03-20"), a["subject"])["contact"]["phase"], "active",
         "renewed: active again")
    # a month of silence: joe's record ends; ivy's goes on
    d2 = later(run, "2027-04-04")
    t.eq(sweep(t, d2), dict(ZERO, deleted=1), "silence ends the record")
    t.status(d2("show", a["subject"]), 0)
    t.status(d2("show", b["subject"]), 1)


def test_erase_keeps_what_the_law_keeps(t):
    run = vault(t)
    c = collect_json(t, run, "contact", "email=liz@example.org", "name=Liz", "message=x")
    p = run("--json", "erase", c["subject"])
    t.status(p, 0)
    t.eq(t.json(p), {"erased": [c["record"]], "kept": []}, "contact erased")
    t.status(run("show", c["subject"]), 1)  # nothing left: the subject is shredded
    # invoices are a legal obligation (10 years): an erasure keeps them, and says why
    i = collect_json(t, run, "invoices", "name=Liz", "address=2 rue Z")
    p = run("--json", "erase", i["subject"])
    t.status(p, 0)
    doc = t.json(p)
    t.eq(doc["erased"], [], "nothing erased")
    t.eq([k["record"] for k in doc["kept"]], [i["record"]], "invoice kept")
    t.contains(doc["kept"][0]["reason"], "legal obligation")
    t.eq(sorted(records(t, run, i["subject"])), ["invoices"], "still there")
    p = run("erase", i["subject"])
    t.status(p, 0)
    t.contains(p.out, "kept: legal obligation")


def test_hold_blocks_erasure_and_sweep_until_lifted(t):
    run = vault(t)
    c = collect_json(t, run, "contact", "email=max@example.org", "message=x")
    sid = c["subject"]
    p = run("--json", "hold", sid, "--reason", "litigation Zq9secret with Mr X")
    t.status(p, 0)
    hold = t.json(p)["hold"]
    db = open(os.path.join(t.tmp, "pdvault.db"), "rb").read()
    t.ok(b"Zq9secret" not in db, "the hold reason is sealed")
    p = run("--json", "erase", sid)
    t.status(p, 0)
    t.eq(t.json(p)["erased"], [], "nothing erased under a hold")
    t.eq(t.json(p)["kept"][0]["reason"], "under a legal hold", "named")
    d1 = later(run, "2027-03-03")
    t.eq(sweep(t, d1), dict(ZERO, held=1), "held by the sweep too")
    t.status(d1("hold", "--lift", hold), 0)
    t.status(d1("hold", "--lift", hold), 1)
    t.eq(sweep(t, d1), dict(ZERO, deleted=1), "ended once lifted")
    t.status(run("hold", sid), 2)


def test_restrict(t):
    run = vault(t)
    c = collect_json(t, run, "contact", "email=ned@example.org", "message=x")
    p = run("--json", "restrict", c["subject"])
    t.status(p, 0)
    t.eq(t.json(p), {"restricted": True}, "restricted")
    t.eq(sweep(t, later(run, "2027-03-03")), dict(ZERO, held=1), "kept while restricted")
    p = run("--json", "restrict", c["subject"], "--lift")
    t.eq(t.json(p), {"restricted": False}, "lifted")


def test_objection_ends_marketing_and_suppresses(t):
    run = vault(t)
    n = collect_json(t, run, "newsletter", "--consent", "email=Oli@example.org")
    c = collect_json(t, run, "contact", "email=oli@example.org", "message=x")
    p = run("--json", "object", n["subject"])
    t.status(p, 0)
    doc = t.json(p)
    t.eq(doc["ended"], [n["record"]], "the newsletter ended")
    t.eq(sorted(records(t, run, n["subject"])), ["contact"], "the contact request stays")
    # back on the newsletter form: refused, whatever the case of the address
    p = run("--json", "collect", "newsletter", "--consent", "email=OLI@example.org ")
    t.status(p, 1)
    t.eq(t.json(p)["error"]["code"], "suppressed", "suppressed")
    t.lacks(p.err, "oli@", "no address in the refusal")
    # suppression lasts rights.suppression (3y): after it, collection works again
    p = later(run, "2029-03-03")("--json", "collect", "newsletter", "--consent",
                                 "email=oli@example.org")
    t.status(p, 0)
    # with --activity: that activity's records are restricted
    p = run("--json", "object", c["subject"], "--activity", "contact")
    t.status(p, 0)
    t.eq(t.json(p)["restricted"], [c["record"]], "restricted")
    t.eq(records(t, run, c["subject"])["contact"]["phase"], "restricted", "phase")


def test_restore_does_not_bring_an_erased_person_back(t):
    run = vault(t)
    a = collect_json(t, run, "contact", "email=amy@example.org", "message=x")
    b = collect_json(t, run, "contact", "email=ben@example.org", "message=y")
    p = run("--json", "backup", "before.db")
    t.status(p, 0)
    t.eq(stat.S_IMODE(os.stat(os.path.join(t.tmp, "before.db")).st_mode), 0o600, "backup 0600")
    t.status(run("backup", "before.db"), 1)  # never over an existing file
    c = collect_json(t, run, "contact", "email=cat@example.org", "message=z")
    t.status(run("erase", a["subject"]), 0)
    t.status(run("erase", c["subject"]), 0)  # made after the backup, erased since
    p = run("--json", "restore", "before.db")
    t.status(p, 0)
    t.eq(t.json(p)["erasures_replayed"], 1, "amy's erasure replayed on the backup")
    t.eq(t.json(run("--json", "find", "--email", "amy@example.org")), {"subjects": []},
         "the erased person does not come back")
    t.status(run("show", a["subject"]), 1)
    t.eq(t.json(run("--json", "find", "--email", "ben@example.org")), {"subjects": [b["subject"]]},
         "the others are back as they were")
    p, doc = verify(t, run)
    t.status(p, 0)
    # work goes on: a new erasure after the restore is journaled in step
    t.status(run("erase", b["subject"]), 0)
    lines = open(os.path.join(t.tmp, "pdvault.key.erasures")).read().splitlines()[1:]
    seqs = [int(l.split()[0]) for l in lines]
    t.eq(seqs, sorted(set(seqs)), "journal sequence numbers stay increasing and unique")
    t.eq(len(seqs), 3, "three erasures in all")
    # a damaged file, or another vault's backup, is refused and the store is untouched
    bad = t.write("bad.db", b"not a database" * 100, "wb")
    p = run("restore", bad)
    t.ok(p.returncode in (1, 3), "damaged backup refused")
    t.eq(t.json(run("--json", "find", "--email", "ben@example.org")), {"subjects": []},
         "the store as it was")


# received (controller's calendar) -> due, checked by hand: Reg. 1182/71, then the next
# working day in France
DUE_TABLE = [
    ("2027-01-31", "2027-03-01"),  # 28 Feb 2027 is a Sunday
    ("2028-01-31", "2028-02-29"),  # leap year: the last day of February
    ("2026-04-14", "2026-05-15"),  # 14 May 2026 is Ascension Thursday
    ("2026-04-01", "2026-05-04"),  # 1 May (Friday), then the weekend
    ("2026-06-25", "2026-07-27"),  # a Saturday
    ("2026-10-11", "2026-11-12"),  # 11 November
    ("2026-11-25", "2026-12-28"),  # Christmas Friday, then the weekend
]


def test_request_due_dates(t):
    run = later(vault(t), "2028-06-01T09:00:00Z")
    for received, due in DUE_TABLE:
        p = run("--json", "request", "open", "access", "--email", "x@example.org",
                "--received", received)
        t.status(p, 0)
        t.eq(t.json(p)["due"], due, f"due for a request received {received}")
    p = run("--json", "request", "list", "--overdue")
    t.eq(len(t.json(p)["requests"]), len(DUE_TABLE), "all overdue by June 2028")
    p = run("--json", "request", "open", "access", "--email", "x@example.org",
            "--received", "2028-06-02")
    t.status(p, 1)
    t.eq(t.json(p)["error"]["field"], "received", "never in the future")
    t.status(run("request", "open", "gossip", "--email", "x@example.org"), 1)
    t.status(run("request", "open", "access"), 2)


def test_request_received_in_the_controllers_calendar(t):
    # 23:30 UTC on 31 January is 00:30 on 1 February in Paris
    run = later(vault(t), "2026-01-31T23:30:00Z")
    p = run("--json", "request", "open", "access", "--email", "x@example.org")
    t.status(p, 0)
    t.eq(t.json(run("--json", "request", "list"))["requests"][0]["received"], "2026-02-01",
         "received on the Paris date")
    t.eq(t.json(p)["due"], "2026-03-02", "1 March 2026 is a Sunday")


def test_request_extension_and_closing(t):
    run = vault(t)
    c = collect_json(t, run, "contact", "email=pia@example.org", "message=x")
    p = run("--json", "request", "open", "erasure", "--subject", c["subject"],
            "--received", "2026-03-02")
    t.status(p, 0)
    req = t.json(p)["request"]
    t.eq(t.json(p)["due"], "2026-04-02", "one month")
    t.status(run("request", "extend", req), 1)  # a reason is required
    p = run("--json", "request", "extend", req, "--reason", "many requests at once")
    t.status(p, 0)
    t.eq(t.json(p)["due"], "2026-06-02", "three months from receipt")
    t.status(run("request", "extend", req, "--reason", "again"), 1)
    # closing performs the erasure
    p = run("--json", "request", "close", req)
    t.status(p, 0)
    t.eq(t.json(p), {"request": req, "status": "done"}, "done")
    t.eq(t.json(run("--json", "find", "--email", "pia@example.org")), {"subjects": []}, "erased")
    t.status(run("request", "close", req), 1)
    # an extension after the first due date is refused; a refusal needs a reason
    p = run("--json", "request", "open", "access", "--email", "q@example.org",
            "--received", "2026-01-05")
    late = t.json(p)["request"]
    p = run("--json", "request", "extend", late, "--reason", "too late")
    t.status(p, 1)
    t.contains(p.err, "before the first due date")
    t.status(run("request", "close", late, "--refuse"), 1)
    p = run("--json", "request", "close", late, "--refuse", "--reason", "identity not proven")
    t.eq(t.json(p)["status"], "refused", "refused")
    db = open(os.path.join(t.tmp, "pdvault.db"), "rb").read()
    t.ok(b"identity not proven" not in db, "the reason is sealed")
    listed = {r["request"]: (r["status"], r["extended"], r["channel"])
              for r in t.json(run("--json", "request", "list"))["requests"]}
    t.eq(listed, {req: ("done", True, "cli"), late: ("refused", False, "cli")},
         "statuses, extensions and channels listed")
    t.eq(t.json(run("--json", "request", "list", "--open"))["requests"], [], "none open")


def test_request_with_a_damaged_date_is_refused_not_extended(t):
    # a date the store should never hold (a tampered or damaged file) is reported, never
    # used as whatever the stack held: the extension is refused and nothing changes
    run = vault(t)
    p = run("--json", "request", "open", "access", "--email", "x@example.org",
            "--received", "2026-03-02")
    req = t.json(p)["request"]
    db = sqlite3.connect(os.path.join(t.tmp, "pdvault.db"))
    db.execute("update requests set received = 'not a day'")
    db.commit()
    db.close()
    p = run("--json", "request", "extend", req, "--reason", "many requests at once")
    t.status(p, 3)
    t.contains(p.err, "damaged")
    listed = t.json(run("--json", "request", "list"))["requests"]
    t.eq([(r["due"], r["extended"]) for r in listed], [("2026-04-02", False)], "unchanged")


def test_export_answers_article_15(t):
    run = vault(t)
    n = collect_json(t, run, "newsletter", "--consent", "email=ula@example.org", "country=France")
    c = collect_json(t, run, "contact", "email=ula@example.org", "name=Ula",
                     "message=<script>x</script>")
    sid = n["subject"]
    p = run("--json", "export", sid)  # --json: the JSON document, whatever the format flag
    t.status(p, 0)
    doc = t.json(p)
    t.eq(doc["subject"], sid, "subject")
    recs = {r["activity"]: r for r in doc["records"]}
    t.eq(sorted(recs), ["contact", "newsletter"], "every record")
    for r in recs.values():
        for k in ("purposes", "basis", "categories", "recipients", "retention", "rights",
                  "complaint", "source", "automated_decision", "fields"):
            t.ok(k in r, f"Art. 15 item {k} for {r['activity']}")
    nl = recs["newsletter"]
    t.eq(nl["recipients"][0]["name"], "Mailjet", "recipients by name")
    t.eq(nl["retention"]["next"], {"phase": "ended", "at": "2029-03-03T00:00:00Z"}, "the date")
    t.ok(any("portabilit" in x for x in nl["rights"]), "portability for consent")
    t.ok(not any("portabilit" in x for x in recs["contact"]["rights"]), "not for interests")
    t.eq(nl["complaint"]["url"], "https://www.cnil.fr/fr/plaintes", "complaint")
    t.eq(recs["contact"]["fields"]["message"], "<script>x</script>", "the data itself")
    # Art. 20: only what the person gave under consent or contract
    p = run("export", sid, "--portable")
    t.status(p, 0)
    port = json.loads(p.out)
    t.eq([r["activity"] for r in port["records"]], ["newsletter"], "portable subset")
    t.eq(set(port["records"][0]), {"record", "activity", "collected_at", "fields"}, "just the data")
    t.status(run("export", sid, "--portable", "--format", "csv"), 2)
    # html: a standalone page, values escaped
    p = run("export", sid, "--format", "html", "--lang", "en", "-o", "copy.html")
    t.status(p, 0)
    html = open(os.path.join(t.tmp, "copy.html"), encoding="utf-8").read()
    t.ok(html.lower().startswith("<!doctype html>"), "standalone")
    t.contains(html, '<html lang="en"')
    t.contains(html, "&lt;script&gt;")
    t.lacks(html, "<script>x", "escaped")
    p = run("export", sid, "--format", "csv")
    t.status(p, 0)
    t.eq(p.out.splitlines()[0], "record,activity,purpose,basis,field,category,value", "csv header")
    t.eq(len(p.out.splitlines()), 1 + 2 + 3, "a row per value")
    actions = [e["action"] for e in audit_entries(t, run) if e["subject"] == sid]
    t.ok("export" in actions and "export-portable" in actions, "exports audited")
    p = run("--json", "export", "s" + "Q" * 22)
    t.status(p, 1)


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


def records_in_store(t):
    db = sqlite3.connect(os.path.join(t.tmp, "pdvault.db"), timeout=5)
    n = db.execute("SELECT count(*) FROM records").fetchone()[0]
    db.close()
    return n


def killed(t, args, now, ready, what, slow_syncs=False):
    """Run `pdvault ARGS` in the test's folder at clock `now`, and SIGKILL it
    as soon as ready() holds; fails unless it was still running then. With
    slow_syncs, every fsync takes 150 ms more (the shim of tests/shim), so a
    fast command is still running when a loaded machine polls it."""
    import signal
    import subprocess
    import time
    env = {k: v for k, v in os.environ.items() if not k.startswith("PDVAULT_")}
    env.update({"PDVAULT_CONFIG": t.path(DECL), "PDVAULT_NOW": now})
    if slow_syncs:
        shim = os.path.join(t.build, "tests", "shim", "libfsyncdelay.so")
        t.ok(os.path.exists(shim), "the fsync shim is built")
        env.update({"LD_PRELOAD": shim, "FSYNC_DELAY_MS": "150",
                    "ASAN_OPTIONS": env.get("ASAN_OPTIONS", "") + ":verify_asan_link_order=0"})
    errors = os.path.join(t.tmp, "killed.err")
    with open(errors, "w") as err:
        p = subprocess.Popen([t.pdvault, *args], cwd=t.tmp, env=env,
                             stdout=subprocess.DEVNULL, stderr=err)
    t0 = time.monotonic()
    while p.poll() is None and not ready():
        time.sleep(0.005)
    was_running = p.poll() is None
    p.send_signal(signal.SIGKILL)
    p.wait()
    t.ok(was_running, f"the {what} was killed while it ran (it ended by itself after "
         f"{time.monotonic() - t0:.2f} s, status {p.returncode}: {open(errors).read()[-300:]!r})")


def test_sweep_killed_in_the_middle_finishes_on_the_next_run(t):
    import time
    run = vault(t)
    n = 30000
    lines = ["email,message,_collected_at"] + [f"k{i}@example.org,m,2025-01-02" for i in range(n)]
    path = write_csv(t, "in.csv", "\n".join(lines) + "\n")
    t.status(run("import", "contact", path), 0)
    # 30,000 records take the sweep most of a second: kill it well before
    deadline = time.monotonic() + 0.15
    killed(t, ["sweep"], "2026-06-01", lambda: time.monotonic() >= deadline, "sweep")
    before = records_in_store(t)
    d = later(run, "2026-06-01")
    done = sweep(t, d)
    t.eq(done["deleted"], before, "the second run ends exactly what the first left")
    t.eq(sweep(t, d), ZERO, "nothing left to do")
    db = sqlite3.connect(os.path.join(t.tmp, "pdvault.db"))
    left = db.execute("SELECT count(*) FROM records").fetchone()[0]
    erased = db.execute("SELECT count(*), count(DISTINCT subject_id) FROM erasures").fetchone()
    db.close()
    t.eq(left, 0, "every record ended")
    t.eq(erased, (n, n), "each subject erased once")
    db = sqlite3.connect(os.path.join(t.tmp, "pdvault.db"))
    lookups = db.execute("SELECT count(*) FROM lookups").fetchone()[0]
    marks = db.execute("SELECT count(*) FROM meta WHERE name LIKE 'lookups%'").fetchone()[0]
    db.close()
    t.eq((lookups, marks), (0, 0), "every blind index purged, nothing owed")
    p = d("--json", "find", "--email", "k7@example.org")
    t.status(p, 0)
    t.eq(t.json(p), {"subjects": []}, "an ended person is found no more")
    p, doc = verify(t, d)
    t.status(p, 0)
    seqs = [int(l.split()[0]) for l in
            open(os.path.join(t.tmp, "pdvault.key.erasures")).read().splitlines()[1:]]
    t.eq(seqs, list(range(1, n + 1)), "the journal has each erasure once, in order")


def test_blind_indexes_owed_by_a_stopped_sweep_are_purged_at_open(t):
    run = vault(t)
    n = 10001  # one full batch: its blind indexes are left to the purge
    lines = ["email,message,_collected_at"] + [f"p{i}@example.org,m,2025-01-02" for i in range(n)]
    t.status(run("import", "contact", write_csv(t, "in.csv", "\n".join(lines) + "\n")), 0)
    # a sweep stopped after its first batch: key gone, lookups left, the mark kept
    tamper(t, "UPDATE subjects SET wrapped_key = NULL WHERE id <= 10000")
    tamper(t, "INSERT INTO erasures (subject_id, record_id, at, reason) "
              "SELECT id, NULL, 0, 'retention' FROM subjects WHERE id <= 10000")
    tamper(t, "INSERT INTO meta (name, value) VALUES ('lookups_purge_after', '0')")
    p = run("--json", "find", "--email", "p10000@example.org")
    t.status(p, 0)
    t.eq(len(t.json(p)["subjects"]), 1, "a live subject is still found")
    db = sqlite3.connect(os.path.join(t.tmp, "pdvault.db"))
    left = db.execute("SELECT count(*) FROM lookups").fetchone()[0]
    marks = db.execute("SELECT count(*) FROM meta WHERE name LIKE 'lookups%'").fetchone()[0]
    db.close()
    t.eq((left, marks), (1, 0), "the open purged what was owed")


def test_a_lookup_left_to_a_shredded_subject_goes_to_the_next_owner(t):
    run = vault(t)
    a = collect_json(t, run, "contact", "email=ned@example.org", "message=x")
    # shredded by a sweep whose purge has not run yet
    tamper(t, "UPDATE subjects SET wrapped_key = NULL")
    p = run("--json", "find", "--email", "ned@example.org")
    t.status(p, 0)
    t.eq(t.json(p), {"subjects": []}, "a shredded subject is no one")
    b = collect_json(t, run, "contact", "email=ned@example.org", "message=y")
    t.ok(b["subject"] != a["subject"], "a new subject")
    p = run("--json", "find", "--email", "ned@example.org")
    t.status(p, 0)
    t.eq(t.json(p), {"subjects": [b["subject"]]}, "the lookup is the new subject's")


def test_access_request_is_answered_with_the_export(t):
    run = vault(t)
    c = collect_json(t, run, "newsletter", "--consent", "email=val@example.org", "country=FR")
    req = t.json(run("--json", "request", "open", "access", "--email", "val@example.org"))["request"]
    p = run("--json", "request", "close", req)
    t.status(p, 0)
    doc = t.json(p)
    t.eq((doc["status"], doc["export"]), ("done", req + ".json"), "answered with a file")
    export = json.load(open(os.path.join(t.tmp, req + ".json"), encoding="utf-8"))
    t.eq(export["records"][0]["fields"]["email"], "val@example.org", "the person's data")
    t.eq(export["subject"], c["subject"], "that person")
    req = t.json(run("--json", "request", "open", "portability", "--subject", c["subject"]))["request"]
    p = run("--json", "request", "close", req, "-o", "port.json")
    t.status(p, 0)
    port = json.load(open(os.path.join(t.tmp, "port.json"), encoding="utf-8"))
    t.eq(set(port["records"][0]), {"record", "activity", "collected_at", "fields"}, "Art. 20 extract")


def test_identity_document_is_sealed_and_destroyed_on_time(t):
    run = vault(t)  # clean.yaml: id_document retention "1y from request-closed"
    collect_json(t, run, "contact", "email=wil@example.org", "message=x")
    scan = t.write("id.png", b"\x89PNG Zq7IDCARD-wil " + b"\x00" * 100, "wb")
    p = run("--json", "request", "open", "access", "--email", "wil@example.org",
            "--id-document", scan)
    t.status(p, 0)
    req = t.json(p)["request"]
    db = open(os.path.join(t.tmp, "pdvault.db"), "rb").read()
    t.ok(b"Zq7IDCARD" not in db, "the document is sealed")
    t.status(run("request", "close", req), 0)  # closed 2026-03-02
    t.eq(sweep(t, later(run, "2027-03-02T23:59:59Z"))["id_documents"], 0, "kept a year")
    t.eq(sweep(t, later(run, "2027-03-03"))["id_documents"], 1, "then destroyed")
    con = sqlite3.connect(os.path.join(t.tmp, "pdvault.db"))
    t.eq(con.execute("SELECT count(*) FROM requests WHERE id_document IS NOT NULL").fetchone()[0],
         0, "nothing left")
    con.close()
    big = t.write("big.bin", b"x" * (10 * 1024 * 1024 + 1), "wb")
    p = run("--json", "request", "open", "access", "--email", "wil@example.org",
            "--id-document", big)
    t.status(p, 1)
    t.eq(t.json(p)["error"]["field"], "id_document", "too big")


def test_import_skips_suppressed_people(t):
    run = vault(t)
    n = collect_json(t, run, "newsletter", "--consent", "email=xo@example.org")
    t.status(run("object", n["subject"]), 0)
    path = write_csv(t, "in.csv", "email\nxo@example.org\nyu@example.org\n")
    p = run("--json", "import", "newsletter", path, "--consent")
    t.status(p, 0)
    doc = t.json(p)
    t.eq(doc["imported"], 1, "the other row imported")
    t.eq([(r["line"], r["code"]) for r in doc["rejected"]], [(2, "suppressed")], "row rejected")


def test_post_mortem_directives_and_human_review(t):
    run = vault(t)
    c = collect_json(t, run, "contact", "email=yan@example.org", "message=x")
    sid = c["subject"]
    p = run("directives", sid, "--stdin", stdin="Delete everything; tell my sister Zq7secret.\n".encode())
    t.status(p, 0)
    db = open(os.path.join(t.tmp, "pdvault.db"), "rb").read()
    t.ok(b"Zq7secret" not in db, "sealed")
    p = run("--json", "directives", sid)
    t.status(p, 0)
    t.eq(t.json(p)["directives"], "Delete everything; tell my sister Zq7secret.", "read back")
    # an heir asks: the closed post-mortem request gives the directives
    req = t.json(run("--json", "request", "open", "post-mortem", "--subject", sid))["request"]
    p = run("--json", "request", "close", req)
    t.status(p, 0)
    got = json.load(open(os.path.join(t.tmp, t.json(p)["export"]), encoding="utf-8"))
    t.eq(got["directives"], "Delete everything; tell my sister Zq7secret.", "shown to the heir")
    # a human review is flagged for staff
    req = t.json(run("--json", "request", "open", "human-review", "--subject", sid))["request"]
    t.status(run("request", "close", req), 0)
    kinds = [m["kind"] for m in t.json(run("--json", "outbox", "list"))["messages"]]
    t.eq(kinds, ["human-review"], "flagged")
    other = collect_json(t, run, "contact", "email=zed@example.org", "message=y")
    p = run("--json", "directives", other["subject"])
    t.status(p, 1)


def test_migrations_upgrade_an_older_store_and_refuse_a_newer_one(t):
    run = vault(t)
    c = collect_json(t, run, "contact", "email=old@example.org", "message=x")
    t.status(run("token", "create", "sales", "--name", "old"), 0)
    tamper(t, "DROP TABLE directives")
    tamper(t, "DROP TABLE verifications")
    tamper(t, "ALTER TABLE records DROP COLUMN binding")
    for col in ("risk", "risk_reason", "late_reason"):
        tamper(t, f"ALTER TABLE breaches DROP COLUMN {col}")
    tamper(t, "ALTER TABLE tokens DROP COLUMN scope")
    tamper(t, "PRAGMA user_version = 1")
    t.status(run("directives", c["subject"], "--set", "keep nothing"), 0)  # 0002-0006 applied
    db = sqlite3.connect(os.path.join(t.tmp, "pdvault.db"))
    t.eq(db.execute("PRAGMA user_version").fetchone()[0], 6, "upgraded to the binary's version")
    t.eq(db.execute("SELECT name, role, scope FROM tokens").fetchall(), [("old", "sales", "all")],
         "a token made before scopes keeps what its role may do")
    db.close()
    tamper(t, "PRAGMA user_version = 99")
    p = run("find", "--email", "old@example.org")
    t.status(p, 3)
    t.contains(p.err, "newer than this pdvault")


def test_a_record_moved_in_the_store_is_refused_on_read(t):
    run = vault(t)
    a = collect_json(t, run, "contact", "email=ann@example.org", "message=Zq7secret")
    collect_json(t, run, "newsletter", "--consent", "email=ann@example.org")
    b = collect_json(t, run, "contact", "email=bob@example.org", "message=y")
    for cmd in (("show", a["subject"]), ("export", a["subject"]), ("show", b["subject"])):
        t.status(run(*cmd), 0)

    def refused(cmd, record, runner=run):
        p = runner(*cmd)
        t.status(p, 3)
        t.contains(p.err, f"record {record} is not bound")
        t.lacks(p.out + p.err, "Zq7secret", "a refused record's value")
        p = runner("--json", *cmd)
        t.status(p, 3)
        t.eq(t.json(p)["error"]["code"], "integrity", "error code")

    # to another activity (and so to the roles of that one)
    tamper(t, "UPDATE records SET activity = 'newsletter' WHERE activity = 'contact' "
              "AND subject_id = (SELECT min(subject_id) FROM records)")
    for cmd in (("show", a["subject"]), ("export", a["subject"]),
                ("event", a["subject"], "contact")):
        refused(cmd, a["record"])
    refused(("sweep",), a["record"], later(run, "2028-06-01T00:00:00Z"))  # when it is due
    tamper(t, "UPDATE records SET activity = 'contact' WHERE activity = 'newsletter' "
              "AND id = (SELECT min(id) FROM records)")
    t.status(run("show", a["subject"]), 0)
    # to another subject
    tamper(t, "UPDATE records SET subject_id = (SELECT max(subject_id) FROM records) "
              "WHERE id = (SELECT min(id) FROM records)")
    refused(("show", b["subject"]), a["record"])
    tamper(t, "UPDATE records SET subject_id = (SELECT min(subject_id) FROM records) "
              "WHERE id = (SELECT min(id) FROM records)")
    t.status(run("show", a["subject"]), 0)
    # into another phase
    tamper(t, "UPDATE records SET phase = 'archived' WHERE id = (SELECT min(id) FROM records)")
    refused(("show", a["subject"]), a["record"])


def test_phase_changes_keep_records_bound(t):
    run = vault(t)
    c = collect_json(t, run, "contact", "email=eve@example.org", "message=x")
    t.status(run("restrict", c["subject"]), 0)
    t.status(run("restrict", c["subject"], "--lift"), 0)
    t.status(run("object", c["subject"], "--activity", "contact"), 0)  # restricted phase
    t.eq(records(t, run, c["subject"])["contact"]["phase"], "restricted", "phase")
    t.status(run("rectify", c["subject"], c["record"], "message=y"), 0)
    t.status(run("export", c["subject"]), 0)
    p, doc = verify(t, run)
    t.status(p, 0)


def test_a_store_from_before_0005_binds_every_record_at_open(t):
    run = vault(t)
    a = collect_json(t, run, "contact", "email=old1@example.org", "message=x")
    collect_json(t, run, "newsletter", "--consent", "email=old1@example.org")
    collect_json(t, run, "contact", "email=old2@example.org", "message=y")
    # the schema of version 4, as the previous pdvault made it
    tamper(t, "ALTER TABLE records DROP COLUMN binding")
    tamper(t, "ALTER TABLE tokens DROP COLUMN scope")
    tamper(t, "PRAGMA user_version = 4")
    p = run("--json", "audit", "verify")  # a read-only command binds too: it opens with the key
    t.status(p, 0)
    db = sqlite3.connect(os.path.join(t.tmp, "pdvault.db"))
    t.eq(db.execute("PRAGMA user_version").fetchone()[0], 6, "migrated")
    t.eq(db.execute("SELECT count(*) FROM records WHERE length(binding) = 16").fetchone()[0], 3,
         "every record bound")
    t.eq(db.execute("SELECT count(*) FROM meta WHERE name = 'bind_pending'").fetchone()[0], 0,
         "nothing left pending")
    db.close()
    binds = [e for e in audit_entries(t, run) if e["action"] == "bind-records"]
    t.eq([e["detail"] for e in binds], ["3 records bound to their subject, activity and phase"],
         "one audited transaction")
    t.status(run("show", a["subject"]), 0)
    t.eq(len([e for e in audit_entries(t, run) if e["action"] == "bind-records"]), 1,
         "bound once")
    tamper(t, "UPDATE records SET activity = 'newsletter' WHERE id = (SELECT min(id) FROM records)")
    p = run("show", a["subject"])
    t.status(p, 3)
    t.contains(p.err, a["record"])
    p, doc = verify(t, run)
    t.status(p, 0)


def test_recipients_are_told_of_erasure_and_rectification(t):
    run = vault(t)
    c = collect_json(t, run, "contact", "email=abe@example.org", "message=x")  # sent to crm
    t.status(run("rectify", c["subject"], c["record"], "message=y"), 0)
    t.status(run("erase", c["subject"]), 0)
    msgs = t.json(run("--json", "outbox", "list"))["messages"]
    t.eq([(m["kind"], m["recipient"]) for m in msgs],
         [("rectification", "crm"), ("erasure", "crm")], "Art. 19 notices queued for the CRM")
    db = open(os.path.join(t.tmp, "pdvault.db"), "rb").read()
    t.ok(b"abe@example.org" not in db, "no value queued in clear")


def test_breach_register_and_its_72_hour_clock(t):
    # aware on a Friday at 16:20: the authority is due Monday 16:20, hours
    # counted straight through the weekend (Art. 33(1), LEGAL.md §3)
    run = vault(t, {"PDVAULT_NOW": "2026-11-20T18:00:00Z"})
    marker = "Brx9marker"
    p = run("--json", "breach", "open", "--aware", "2026-11-20T16:20:00Z", "--stdin",
            stdin=f"CRM export sent to the wrong address; 120 customers incl. {marker}".encode())
    t.status(p, 0)
    doc = t.json(p)
    t.eq(sorted(doc), ["authority_due", "breach"], "open answers the contract's document")
    t.eq(doc["authority_due"], "2026-11-23T16:20:00Z", "awareness + 72 hours, exactly")
    b = doc["breach"]

    def listed(when):
        p = later(run, when)("--json", "breach", "list")
        t.status(p, 0)
        return {x["breach"]: x for x in t.json(p)["breaches"]}

    entry = listed("2026-11-23T16:20:00Z")[b]
    t.eq((entry["overdue"], entry["authority_notified"], entry["subjects_notified"]),
         (False, None, None), "not overdue at the deadline itself")
    t.contains(entry["summary"], marker, "the summary, opened for the register")
    t.eq(listed("2026-11-23T16:20:01Z")[b]["overdue"], True, "overdue a second after")

    # Art. 33(1): told late, the authority gets the reasons for the delay
    p = later(run, "2026-11-24T09:00:00Z")("--json", "breach", "notify", b, "--authority")
    t.status(p, 1)
    t.eq(t.json(p)["error"]["field"], "reason", "late without reasons: refused")
    p = later(run, "2026-11-24T09:00:00Z")("--json", "breach", "notify", b, "--authority",
                                           "--reason", f"scope unclear until the audit {marker}")
    t.status(p, 0)
    t.eq(t.json(p), {"breach": b, "authority_notified": "2026-11-24T09:00:00Z", "late": True},
         "a late notification is recorded, and said late")
    t.contains(p.err, "reasons for the delay")
    p = later(run, "2026-11-25")("breach", "notify", b, "--authority")
    t.status(p, 1)
    t.contains(p.err, "already recorded")
    t.status(later(run, "2026-11-25")("breach", "notify", b, "--subjects"), 0)
    entry = listed("2026-11-30")[b]
    t.eq((entry["overdue"], entry["authority_notified"], entry["subjects_notified"]),
         (False, "2026-11-24T09:00:00Z", "2026-11-25T00:00:00Z"), "both told, once each")
    t.contains(entry["late_reason"], "scope unclear", "the reasons for the delay, kept")

    # the assessment says who must be told: unlikely, no one (and never overdue)
    p = run("--json", "breach", "open", "--aware", "2026-11-19", "--summary", "a lost badge",
            "--risk", "unlikely", "--reason", f"no data on it {marker}")
    t.status(p, 0)
    minor = t.json(p)["breach"]
    entry = listed("2026-12-30")[minor]
    t.eq((entry["risk"], entry["authority_required"], entry["subjects_required"],
          entry["overdue"]), ("unlikely", False, False, False), "nothing owed")
    t.contains(entry["risk_reason"], "no data on it", "the reasons of the assessment")
    p = run("--json", "breach", "assess", minor, "--risk", "high", "--reason", "it had a list")
    t.status(p, 0)
    t.eq(t.json(p), {"breach": minor, "risk": "high", "authority_required": True,
                     "subjects_required": True}, "re-assessed: everyone to tell")
    t.eq(listed("2026-12-30")[minor]["overdue"], True, "now overdue")
    for args, field in ((["assess", minor, "--risk", "maybe", "--reason", "x"], "risk"),
                        (["assess", minor, "--risk", "high", "--reason", ""], "reason")):
        p = run("--json", "breach", *args)
        t.status(p, 1)
        t.eq(t.json(p)["error"].get("field"), field, f"field named for {args}")
    t.status(run("breach", "open", "--aware", "2026-11-20", "--summary", "x", "--risk", "high"), 2)
    t.status(run("breach", "notify", minor, "--subjects", "--reason", "x"), 2)

    # refusals name the field and store nothing
    for args, field in ((["open", "--aware", "2026-12-01", "--summary", "x"], "aware"),
                        (["open", "--aware", "yesterday", "--summary", "x"], "aware"),
                        (["open", "--aware", "2026-11-20", "--summary", ""], "summary"),
                        (["notify", "b" + "A" * 22, "--subjects"], "breach")):
        p = run("--json", "breach", *args)
        t.status(p, 1)
        t.eq(t.json(p)["error"].get("field"), field, f"field named for {args}")
    t.eq(len(listed("2026-11-30")), 2, "no breach stored by a refusal")
    t.status(run("breach", "open", "--aware", "2026-11-20"), 2)

    entries = audit_entries(t, run)
    actions = [e["action"] for e in entries]
    for a in ("breach-open", "breach-list", "breach-notify-authority", "breach-notify-subjects",
              "breach-assess"):
        t.ok(a in actions, f"audit entry {a}")
    t.lacks(json.dumps(entries), marker, "audit log")
    p, doc = verify(t, run)
    t.status(p, 0)
    for f in os.listdir(t.tmp):
        data = open(os.path.join(t.tmp, f), "rb").read()
        t.ok(marker.encode() not in data, f"summary in clear in {f}")


def killed_import(t, path, at_least):
    """Start `import contact PATH`, SIGKILL it once `at_least` records are
    committed; returns how many were."""
    def ready():
        try:
            return records_in_store(t) >= at_least
        except sqlite3.OperationalError:
            return False
    killed(t, ["import", "contact", path], NOW["PDVAULT_NOW"], ready, "import", slow_syncs=True)
    return records_in_store(t)


def test_a_stopped_import_resumes_where_it_stopped(t):
    run = vault(t)
    n = 80000
    lines = ["email,message"] + [f"r{i}@example.org,m" for i in range(n)]
    path = write_csv(t, "in.csv", "\n".join(lines) + "\n")
    done = killed_import(t, path, 20000)
    t.ok(0 < done < n and done % 20000 == 0, f"whole batches kept ({done})")
    p = run("--json", "import", "contact", path)
    t.status(p, 0)
    doc = t.json(p)
    t.eq((doc["resumed_after"], doc["imported"]), (done + 1, n - done),
         "resumed after the last line committed (the header is line 1)")
    p = run("import", "contact", path)  # finished: a new import of the file
    t.status(p, 0)
    t.lacks(p.err, "resuming")
    db = sqlite3.connect(os.path.join(t.tmp, "pdvault.db"))
    records, subjects = db.execute(
        "SELECT count(*), count(DISTINCT subject_id) FROM records").fetchone()
    marks = db.execute("SELECT count(*) FROM meta WHERE name LIKE 'import:%'").fetchone()[0]
    db.close()
    t.eq((records, subjects, marks), (2 * n, n, 0),
         "each row once per finished import, one subject per person, no mark left")
    p, doc = verify(t, run)
    t.status(p, 0)

    # --restart ignores what a stopped run left
    path = write_csv(t, "again.csv", "\n".join(lines[:40001]) + "\n")
    done = killed_import(t, path, 20000)
    p = run("--json", "import", "contact", path, "--restart")
    t.status(p, 0)
    t.eq((t.json(p)["imported"], "resumed_after" in t.json(p)), (40000, False),
         "the whole file again")
