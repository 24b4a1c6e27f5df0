"""Deletion certificates (issue 16, docs/certificates.md): made when an erasure
request closes done, re-issued by the dpo with the same content, verified by
a few lines that know only the published keys (tools/verify-certificate.py,
PyNaCl), refused when one byte changes, still valid after a key rotation;
never a value nor an address in them; the person gets theirs attached to the
erasure's answer."""
import json
import os
import subprocess
import sys

from storelib import store_bytes, store_query
from vaultlib import collect_json, vault

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "lib"))
from peers import Smtpd  # noqa: E402

ADDR = "zoe.certif@example.org"
VALUES = [ADDR, "Zoelle Quenardet", "Qx7 a message only Zoe wrote", "FR"]


def verify(t, cert_path, keys_path):
    """the independent verifier, on Debian's python3 (python3-nacl)"""
    p = subprocess.run(["/usr/bin/python3", t.path("tools/verify-certificate.py"), cert_path,
                        keys_path], capture_output=True, text=True, cwd=t.tmp)
    return p.returncode, p.stdout + p.stderr


def person(t, run):
    """the person's records (contact, newsletter); returns their subject id"""
    a = collect_json(t, run, "contact", f"email={ADDR}", f"name={VALUES[1]}",
                     f"message={VALUES[2]}")
    collect_json(t, run, "newsletter", "--consent", f"email={ADDR}", f"country={VALUES[3]}")
    return a["subject"]


def erased(t, run):
    """an erasure asked from the person's address, closed: (request, certificate id)"""
    sid = person(t, run)
    q = t.json(run("--json", "request", "open", "erasure", "--email", ADDR))
    p = run("--json", "request", "close", q["request"])
    t.status(p, 0)
    q["subject"] = sid
    return q, t.json(p)["certificate"]


def issue(t, run, which, name):
    p = run("certificate", "issue", which, "-o", name)
    t.status(p, 0)
    return open(os.path.join(t.tmp, name), "rb").read()


def keys(t, run, name="keys.json"):
    p = run("certificate", "keys")
    t.status(p, 0)
    t.write(name, p.out)
    return json.loads(p.out)["keys"]


def test_an_erasure_certificate_verifies_with_the_published_key_alone(t):
    run = vault(t)
    q, cid = erased(t, run)
    raw = issue(t, run, q["reference"], "cert.json")
    ks = keys(t, run)
    t.eq([(k["status"], k["valid_until"]) for k in ks], [("current", None)],
         "one key, made with the vault's first certificate")
    rc, out = verify(t, "cert.json", "keys.json")
    t.eq(rc, 0, f"verified: {out}")
    env = json.loads(raw)
    c = env["certificate"]
    t.eq((c["certificate"], c["kind"], c["request"]["reference"]), (cid, "erasure", q["reference"]),
         "the certificate of the request, by its reference")
    t.eq(sorted(e["activity"] for e in c["erased"]), ["contact", "newsletter"], "what was erased")
    t.eq(sorted(next(e for e in c["erased"] if e["activity"] == "contact")["categories"]),
         ["pdv.user.content.message", "user.contact.email", "user.name"], "by category")
    t.eq(c["kept"], [], "nothing kept")
    told = sorted((r["recipient"], r["notice"], r["status"], r["records"])
                  for r in c["recipients_told"])
    t.eq(told, [("crm", "erasure", "pending", 1), ("mailer", "erasure", "pending", 1)],
         "the Art. 19 notices, pending when it was made")
    p = run("certificate", "show", cid)
    t.contains(p.out, "crm: erasure pending (1 record)")
    # canonical: the envelope's certificate is exactly what a verifier rebuilds
    canon = json.dumps(c, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    t.ok(canon.encode() in raw, "the certificate is written in its canonical form")
    for v in VALUES[:3]:
        t.ok(v.encode() not in raw, f"no collected value in it ({v[:6]}...)")
    t.ok(b"example.org" not in raw, "no address")
    t.ok(q["subject"].encode() not in raw, "not the person's id")
    # the openssl command line verifies it too (docs/certificates.md): the raw
    # key behind Ed25519's SubjectPublicKeyInfo header, the canonical bytes
    der = bytes.fromhex("302a300506032b6570032100" + ks[0]["public_key"])
    t.write("key.der", der, "wb")
    t.write("body.json", canon.encode(), "wb")
    t.write("sig.bin", bytes.fromhex(env["signature"]), "wb")
    ossl = ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "key.der", "-keyform", "DER",
            "-rawin", "-in", "body.json", "-sigfile", "sig.bin"]
    p = subprocess.run(ossl, capture_output=True, text=True, cwd=t.tmp)
    t.eq(p.returncode, 0, f"openssl verifies it: {p.stdout}{p.stderr}")
    t.write("body.json", canon.replace("contact", "kontact", 1).encode(), "wb")
    p = subprocess.run(ossl, capture_output=True, text=True, cwd=t.tmp)
    t.eq(p.returncode, 1, "openssl refuses a changed one")
    # one byte changed: refused
    i = raw.index(b'"newsletter"') + 2
    t.write("bad.json", (raw[:i] + b"N" + raw[i + 1:]).decode())
    rc, out = verify(t, "bad.json", "keys.json")
    t.eq(rc, 1, f"a tampered certificate is refused: {out}")
    t.contains(out, "NOT valid")


def test_a_reissue_signs_the_same_content_and_rotation_keeps_old_ones_valid(t):
    run = vault(t)
    q, cid = erased(t, run)
    first = issue(t, run, q["request"], "first.json")
    t.eq(issue(t, run, cid, "again.json"), first,
         "re-issued by request or certificate id: the same bytes (Ed25519 is deterministic)")
    keys(t, run, "keys-before.json")
    p = run("--json", "certificate", "rotate-key")
    t.status(p, 0)
    new_id = t.json(p)["key_id"]
    ks = keys(t, run)
    t.eq([k["status"] for k in ks], ["retired", "current"], "the old key kept, retired")
    t.ok(ks[0]["valid_until"] is not None, "with the end of its validity")
    t.eq(ks[1]["key_id"], new_id, "the new one current")
    rc, out = verify(t, "first.json", "keys.json")
    t.eq(rc, 0, f"the certificate issued before still verifies: {out}")
    t.contains(out, "retired")
    later = issue(t, run, cid, "later.json")
    t.eq(json.loads(later)["certificate"], json.loads(first)["certificate"],
         "a re-issue after the rotation: the same certificate")
    t.eq(json.loads(later)["key_id"], new_id, "signed with the current key")
    t.eq(verify(t, "later.json", "keys.json")[0], 0, "and valid")
    t.eq(verify(t, "later.json", "keys-before.json")[0], 1,
         "not by the keys of before: the new key was not published then")
    # the master key's rotation re-wraps the signing keys: they still sign
    t.status(run("key", "rotate"), 0)
    t.eq(issue(t, run, cid, "after-master.json"), later, "signed as before the master rotation")
    actions = [e["action"] for e in t.json(run("--json", "audit", "log"))["entries"]]
    t.eq(actions.count("certificate-key"), 2, "both keys' making audited")
    t.eq(actions.count("certificate-issue"), 4, "every re-issue audited")


def test_what_is_kept_under_a_hold_is_said_so_with_the_article(t):
    run = vault(t)
    sid = person(t, run)
    t.status(run("hold", sid, "--reason", "litigation Zq9secret"), 0)
    q = t.json(run("--json", "request", "open", "erasure", "--subject", sid))
    cid = t.json(run("--json", "request", "close", q["request"]))["certificate"]
    c = t.json(run("--json", "certificate", "show", cid))["certificate"]
    t.eq(c["erased"], [], "nothing erased")
    t.eq(sorted((k["activity"], k["why"], k["article"], k["records"]) for k in c["kept"]),
         [("contact", "hold", "Art. 17(3)(e)", 1), ("newsletter", "hold", "Art. 17(3)(e)", 1)],
         "kept, and why")
    p = run("certificate", "show", cid)
    t.status(p, 0)
    t.contains(p.out, "recipients told (Art. 19): none")
    t.contains(p.out, "kept:")
    t.contains(p.out, "contact (1 record), hold, Art. 17(3)(e)")
    t.ok(b"Zq9secret" not in issue(t, run, cid, "c.json"), "the hold's reason is not in it")


def test_only_an_erasure_done_has_a_certificate(t):
    run = vault(t)
    sid = person(t, run)
    q = t.json(run("--json", "request", "open", "access", "--subject", sid))
    t.status(run("request", "close", q["request"], "-o", "x.json"), 0)
    p = run("--json", "certificate", "issue", q["request"])
    t.status(p, 1)
    t.eq((t.json(p)["error"]["code"], t.json(p)["error"]["field"]), ("not_found", "request"),
         "an access request has none")
    q = t.json(run("--json", "request", "open", "erasure", "--subject", sid))
    p = run("--json", "request", "close", q["request"], "--refuse", "--reason", "no id proof")
    t.ok("certificate" not in t.json(p), "a refused erasure has none")
    t.status(run("certificate", "issue", q["request"]), 1)
    t.status(run("certificate", "issue", "dAAAAAAAAAAAAAAAAAAAAAA"), 1)
    t.status(run("certificate", "issue"), 2)
    t.status(run("certificate", "frobnicate"), 2)
    t.eq(store_query(t, "SELECT count(*) FROM certificates"), [(0,)], "none made")


def test_the_person_gets_the_certificate_attached_to_the_erasure_answer(t):
    run = vault(t)
    with Smtpd(os.path.join(t.tmp, "smtp")) as smtp:
        q, cid = erased(t, run)
        p = run("--json", "outbox", "deliver", "--once", "--smtp", smtp.url, "--public-url",
                "https://privacy.example.org")
        t.status(p, 0)
        mails = [m for m, env, _ in smtp.messages() if env["rcpt_tos"] == [ADDR]]
        t.eq(len(mails), 2, "the acknowledgement, then the answer")
        msg = mails[-1]
        # in the request's language: the declaration's first, French
        t.contains(str(msg["Subject"]), "vos données ont été effacées")
        t.contains(msg.get_body(preferencelist=("plain",)).get_content(),
                   "https://privacy.example.org/.well-known/pdvault-keys.json")
        att = [a for a in msg.iter_attachments()]
        t.eq([a.get_filename() for a in att], [f"deletion-certificate-{q['reference']}.json"],
             "one file attached")
        t.eq(att[0].get_content_type(), "application/json", "JSON")
        t.write("mailed.json", att[0].get_payload(decode=True), "wb")
    keys(t, run)
    rc, out = verify(t, "mailed.json", "keys.json")
    t.eq(rc, 0, f"the attached certificate verifies: {out}")
    t.eq(json.loads(open(os.path.join(t.tmp, "mailed.json")).read())["certificate"]["certificate"],
         cid, "it is the request's")
    t.ok(ADDR.encode() not in store_bytes(t), "the address is not in clear in the store")
