"""The documents a DPO hands on (issue 15 point 7): the register as RFC 4180
csv, as csv for Excel and as an xlsx workbook, read back by independent
readers (a strict RFC 4180 reader written here; Python's zipfile and XML
parser for the workbook, no third-party module); the Art. 15 copy with the
form's field labels and dates in words in the person's language; and every
file that holds an export or the register written mode 0600 on disk."""
import datetime
import os
import pty
import stat
import subprocess
import xml.etree.ElementTree as ET
import zipfile

from vaultlib import NOW, collect_json, vault

DECL = "tests/data/lint/clean.yaml"
DAY = datetime.date(2026, 3, 2)  # vaultlib's NOW
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
# a purpose with each character a csv must quote: both separators, a quote
# and a line break (YAML's "\n" in a double-quoted scalar)
TRICKY_YAML = '"Répondre; aux \\"demandes\\", vite\\net bien"'
TRICKY = 'Répondre; aux "demandes", vite\net bien'


def tricky_decl(t):
    text = open(t.path(DECL), encoding="utf-8").read()
    old = "{fr: Répondre aux demandes envoyées par le formulaire de contact, "
    t.ok(old in text, "the clean declaration's contact purpose")
    return t.write("tricky.yaml", text.replace(old, "{fr: " + TRICKY_YAML + ", ", 1))


def rfc4180(t, data, sep=","):
    """The records of data, read strictly as RFC 4180 says (with sep): every
    record ends with CRLF, a field is quoted or holds no quote, separator or
    line break, a quote inside quotes is doubled; anything else fails."""
    rows, row, i, n = [], [], 0, len(data)
    t.ok(data.endswith("\r\n"), "the last record ends with CRLF")
    while i < n:
        if data[i] == '"':
            j, cell = i + 1, []
            while True:
                t.ok(j < n, f"a quoted field never closed at {i}")
                if data[j] == '"':
                    if j + 1 < n and data[j + 1] == '"':
                        cell.append('"')
                        j += 2
                        continue
                    break
                cell.append(data[j])
                j += 1
            row.append("".join(cell))
            i = j + 1
        else:
            j = i
            while j < n and data[j] not in (sep, "\r", "\n"):
                t.ok(data[j] != '"', f"a quote in an unquoted field at {j}")
                j += 1
            row.append(data[i:j])
            i = j
        if data.startswith(sep, i):
            i += 1
            continue
        t.ok(data.startswith("\r\n", i), f"a field not followed by {sep!r} or CRLF at {i}: "
             f"{data[i:i + 20]!r}")
        rows.append(row)
        row = []
        i += 2
    return rows


def test_register_csv_is_rfc4180(t):
    cfg = tricky_decl(t)
    p = t.run("--config", cfg, "register", "--format", "csv", "--lang", "fr")
    t.status(p, 0)
    t.ok(not p.stdout.startswith(b"\xef\xbb\xbf"), "no byte order mark in plain csv")
    rows = rfc4180(t, p.stdout.decode("utf-8"))
    t.ok(len(rows) >= 4, "a header and three activities")
    t.ok(all(len(r) == len(rows[0]) for r in rows), "every record as wide as the header")
    t.eq(rows[0][:2], ["Identifiant", "Traitement"], "the header in French")
    contact = next(r for r in rows if r[0] == "contact")
    t.eq(contact[rows[0].index("Finalités (art. 30.1.b)")], TRICKY, "the purpose read back")
    t.ok(b"\r\n" in p.stdout and b"\n" in p.stdout.replace(b"\r\n", b""),
         "CRLF between records, the bare line break kept inside its quoted field")
    t.lacks(p.out, "Date du registre", "plain csv: the register's columns only")


def test_register_csv_for_excel(t):
    cfg = tricky_decl(t)
    env = dict(NOW)
    p = t.run("--config", cfg, "register", "--format", "csv-excel", "--lang", "fr", env=env)
    t.status(p, 0)
    t.ok(p.stdout.startswith(b"\xef\xbb\xbf"), "a UTF-8 byte order mark first")
    text = p.stdout[3:].decode("utf-8")
    t.ok(text.startswith("Identifiant;Traitement;"), f"';' between cells: {text[:40]!r}")
    rows = rfc4180(t, text, sep=";")
    t.ok(all(len(r) == len(rows[0]) for r in rows), "every record as wide as the header")
    t.eq(rows[0][-1], "Date du registre", "the register's date last")
    contact = next(r for r in rows if r[0] == "contact")
    t.eq(contact[rows[0].index("Finalités (art. 30.1.b)")], TRICKY, "the purpose read back")
    t.contains(text, '"Répondre; aux ""demandes"", vite\net bien"', "the cell quoted as Excel reads")
    t.eq({r[-1] for r in rows[1:]}, {"02/03/2026"}, "the date as French Excel writes it")
    # the same table as the plain csv, cell for cell
    plain = rfc4180(t, t.run("--config", cfg, "register", "--format", "csv", "--lang", "fr",
                             env=env).out)
    t.eq([r[:-1] for r in rows], plain, "csv-excel says what csv says")
    en = t.run("--config", cfg, "register", "--format", "csv-excel", "--lang", "en", env=env)
    t.status(en, 0)
    rows = rfc4180(t, en.stdout[3:].decode("utf-8"), sep=";")
    t.eq(rows[0][-1], "Register date", "English header")
    t.eq(rows[1][-1], "2026-03-02", "the date in English as every locale reads it")


def sheet_rows(z, name, strings):
    """{cell ref: (text or number, style index)} of a sheet."""
    root = ET.fromstring(z.read(name))
    cells = {}
    for c in root.iter("{%s}c" % NS["m"]):
        v = c.find("m:v", NS)
        value = None if v is None else v.text
        if c.get("t") == "s":
            value = strings[int(value)]
        elif value is not None:
            value = float(value)
        cells[c.get("r")] = (value, int(c.get("s", "0")))
    return root, cells


def test_register_xlsx_read_back(t):
    env = dict(NOW)
    p = t.run("--config", t.path(DECL), "register", "--format", "xlsx", "--lang", "fr",
              "-o", "registre.xlsx", env=env)
    t.status(p, 0)
    t.eq(p.out, "", "nothing on stdout")
    path = os.path.join(t.tmp, "registre.xlsx")
    z = zipfile.ZipFile(path)
    t.eq(z.testzip(), None, "every member of the zip reads back")
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    names = [s.get("name") for s in wb.iter("{%s}sheet" % NS["m"])]
    t.eq(names, ["Responsable", "Traitements", "Mesures de sécurité"],
         "one sheet per table of the register")
    sst = ET.fromstring(z.read("xl/sharedStrings.xml"))
    strings = ["".join(x.itertext()) for x in sst.findall("m:si", NS)]
    styles = ET.fromstring(z.read("xl/styles.xml"))
    fonts = styles.find("m:fonts", NS).findall("m:font", NS)
    xfs = styles.find("m:cellXfs", NS).findall("m:xf", NS)
    numfmts = {int(f.get("numFmtId")): f.get("formatCode")
               for f in styles.iter("{%s}numFmt" % NS["m"])}

    def bold(s):
        return fonts[int(xfs[s].get("fontId", "0"))].find("m:b", NS) is not None

    def wraps(s):
        a = xfs[s].find("m:alignment", NS)
        return a is not None and a.get("wrapText") == "1"

    # the activities: the csv's table, one row per activity
    csv_rows = rfc4180(t, t.run("--config", t.path(DECL), "register", "--format", "csv",
                                "--lang", "fr", env=env).out)
    root, cells = sheet_rows(z, "xl/worksheets/sheet2.xml", strings)
    width = len(csv_rows[0])
    cols = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[:width]
    for r, row in enumerate(csv_rows, 1):
        t.eq([cells.get(f"{c}{r}", ("",))[0] or "" for c in cols], row,
             f"row {r} of the activities says what the csv says")
    t.ok(all(bold(cells[f"{c}1"][1]) for c in cols), "the header row is bold")
    t.ok(all(wraps(cells[f"{c}1"][1]) and wraps(cells[f"{c}2"][1]) for c in cols),
         "text wrapped")
    t.ok(not bold(cells["A2"][1]), "the body is not bold")
    pane = root.find(".//m:sheetView/m:pane", NS)
    t.ok(pane is not None and pane.get("state") == "frozen" and pane.get("ySplit") == "1",
         "the header row frozen")
    widths = [float(c.get("width")) for c in root.iter("{%s}col" % NS["m"])]
    t.ok(len(widths) == width and all(w > 15 for w in widths) and
         all(c.get("customWidth") == "1" for c in root.iter("{%s}col" % NS["m"])),
         f"every column's width set: {widths}")
    # the controller, with the register's date a real date
    root, cells = sheet_rows(z, "xl/worksheets/sheet1.xml", strings)
    t.eq(cells["A1"][0], "Élément", "the controller's header")
    t.eq(cells["B2"][0], "Atelier Numérique SAS", "the controller's name")
    label = next(ref for ref, (v, _) in cells.items() if v == "Date du registre")
    value, s = cells["B" + label[1:]]
    t.eq(value, float((DAY - datetime.date(1899, 12, 30)).days), "a date serial, not text")
    fmt = numfmts.get(int(xfs[s].get("numFmtId")), "")
    t.eq(fmt, "dd/mm/yyyy", "shown as French Excel writes dates")
    pane = root.find(".//m:sheetView/m:pane", NS)
    t.ok(pane is not None and pane.get("state") == "frozen", "the controller's header frozen")
    # the security measures
    root, cells = sheet_rows(z, "xl/worksheets/sheet3.xml", strings)
    t.ok(bold(cells["A1"][1]) and cells["A2"][0], "a header and the measures")
    t.eq(stat.S_IMODE(os.stat(path).st_mode), 0o600, "the workbook is written 0600")
    en = t.run("--config", t.path(DECL), "register", "--format", "xlsx", "--lang", "en",
               "-o", "register.xlsx", env=env)
    t.status(en, 0)
    z = zipfile.ZipFile(os.path.join(t.tmp, "register.xlsx"))
    wb = ET.fromstring(z.read("xl/workbook.xml"))
    t.eq([s.get("name") for s in wb.iter("{%s}sheet" % NS["m"])],
         ["Controller", "Processing activities", "Security measures"], "English sheets")
    t.eq([f for f in os.listdir(t.tmp) if ".tmp-" in f or f.startswith("pdvault-xlsx")], [],
         "no temporary file left")


def test_register_date_past_year_9999_is_no_date(t):
    # the clock's last hour is already 10000-01-01 in the controller's
    # calendar (CET): no format shows it as a date (Excel's dates end with
    # 9999-12-31; past it a serial is shown #####), the csv's marker instead
    env = {"PDVAULT_NOW": "9999-12-31T23:30:00Z"}
    for lang, label in (("fr", "Date du registre"), ("en", "Register date")):
        p = t.run("--config", t.path(DECL), "register", "--format", "xlsx", "--lang", lang,
                  "-o", f"late-{lang}.xlsx", env=env)
        t.status(p, 0)
        z = zipfile.ZipFile(os.path.join(t.tmp, f"late-{lang}.xlsx"))
        sst = ET.fromstring(z.read("xl/sharedStrings.xml"))
        strings = ["".join(x.itertext()) for x in sst.findall("m:si", NS)]
        _, cells = sheet_rows(z, "xl/worksheets/sheet1.xml", strings)
        ref = next(ref for ref, (v, _) in cells.items() if v == label)
        t.eq(cells["B" + ref[1:]][0], "9999-99-99", f"{lang}: the marker, as text")
        core = z.read("docProps/core.xml").decode()
        t.ok("10000-" not in core and ">9999-12-31T00:00:00Z<" in core,
             f"{lang}: the workbook's creation time is the last day it can write")
        p = t.run("--config", t.path(DECL), "register", "--format", "csv-excel", "--lang", lang,
                  env=env)
        t.status(p, 0)
        rows = rfc4180(t, p.stdout[3:].decode("utf-8"), sep=";")
        t.eq({r[-1] for r in rows[1:]}, {"9999-99-99"}, f"{lang}: the csv's marker")


def test_register_xlsx_needs_a_file_and_no_terminal(t):
    cfg = t.path(DECL)
    p = t.run("--config", cfg, "register", "--format", "xlsx")
    t.status(p, 2)
    t.contains(p.err, "--format xlsx writes a file: give -o FILE", "the refusal")
    t.eq(p.stdout, b"", "no bytes on stdout")
    # -o - into a pipe is a file the caller chose
    p = t.run("--config", cfg, "register", "--format", "xlsx", "-o", "-")
    t.status(p, 0)
    t.ok(p.stdout.startswith(b"PK\x03\x04"), "a zip on the pipe")
    # -o - onto a terminal is refused
    master, slave = pty.openpty()
    try:
        e = t.child_env()
        q = subprocess.run([t.pdvault, "--config", cfg, "register", "--format", "xlsx", "-o",
                            "-"], stdout=slave, stderr=subprocess.PIPE, cwd=t.tmp, env=e,
                           timeout=60)
        os.close(slave)
        slave = -1
        seen = b""
        try:
            while True:
                chunk = os.read(master, 4096)
                if not chunk:
                    break
                seen += chunk
        except OSError:
            pass  # the terminal closed
    finally:
        if slave >= 0:
            os.close(slave)
        os.close(master)
    t.eq(q.returncode, 2, "refused")
    t.contains(q.stderr.decode(), "not written to a terminal", "the refusal says why")
    t.eq(seen, b"", "nothing written to the terminal")


def file_mode(t, name):
    return stat.S_IMODE(os.stat(os.path.join(t.tmp, name)).st_mode)


def test_exports_and_register_are_written_0600(t):
    run = vault(t)
    c = collect_json(t, run, "contact", "email=mode@example.org", "message=x")
    # a file already there, world-readable, is replaced by a 0600 one
    for name in ("copy.json", "reg.md", "answer.json"):
        t.write(name, "old")
        os.chmod(os.path.join(t.tmp, name), 0o644)
    t.status(run("export", c["subject"], "-o", "copy.json"), 0)
    t.status(run("export", c["subject"], "--format", "html", "-o", "copy.html"), 0)
    t.status(run("register", "-o", "reg.md"), 0)
    t.status(run("register", "--format", "csv-excel", "-o", "reg.csv"), 0)
    req = t.json(run("--json", "request", "open", "access", "--subject", c["subject"]))["request"]
    p = run("--json", "request", "close", req, "-o", "answer.json")
    t.status(p, 0)
    req = t.json(run("--json", "request", "open", "access", "--subject", c["subject"]))["request"]
    p = run("--json", "request", "close", req)
    t.status(p, 0)
    default = t.json(p)["export"]
    t.status(run("directives", c["subject"], "--stdin", stdin=b"Tout effacer.\n"), 0)
    req = t.json(run("--json", "request", "open", "post-mortem", "--subject",
                     c["subject"]))["request"]
    t.status(run("request", "close", req, "-o", "directives.json"), 0)
    for name in ("copy.json", "copy.html", "reg.md", "reg.csv", "answer.json", default,
                 "directives.json"):
        t.eq(file_mode(t, name), 0o600, f"{name}'s mode")
    t.contains(open(os.path.join(t.tmp, "answer.json"), encoding="utf-8").read(),
               "mode@example.org", "the answer replaced the old file")
    # under a umask that lets everything through, still 0600
    e = t.child_env(NOW)
    e["PDVAULT_CONFIG"] = t.path(DECL)
    subprocess.run([t.pdvault, "export", c["subject"], "-o", "umask.json"], cwd=t.tmp, env=e,
                   check=True, capture_output=True, preexec_fn=lambda: os.umask(0), timeout=60)
    t.eq(file_mode(t, "umask.json"), 0o600, "0600 whatever the umask")
    # a public document stays readable by all
    t.status(run("notice", "-o", "notice.md"), 0)
    t.eq(file_mode(t, "notice.md"), 0o644, "the notice is public")


def test_export_speaks_the_persons_language(t):
    run = vault(t)  # the declaration's first language is French
    fr = collect_json(t, run, "contact", "email=lea@example.org", "message=Bonjour")
    en = collect_json(t, run, "contact", "email=sam@example.org", "message=Hello",
                      "--lang", "en")
    # html: labels, not keys; dates in words
    p = run("export", fr["subject"], "--format", "html")
    t.status(p, 0)
    t.contains(p.out, '<html lang="fr"', "the person's language (the declaration's)")
    t.contains(p.out, '<th scope="row">Adresse e-mail</th><td>lea@example.org</td>',
               "the value under its label")
    t.contains(p.out, '<th scope="row">Contenu du message</th>', "the message's label")
    t.lacks(p.out, '<th scope="row">email</th>', "no field key")
    t.contains(p.out, "2 mars 2026", "the day collected in words")
    t.contains(p.out, "3 mars 2027", "the next step's day in words")
    t.lacks(p.out, "2027-03-03", "no machine date")
    # no --lang: the language the person's submission gave
    p = run("export", en["subject"], "--format", "html")
    t.status(p, 0)
    t.contains(p.out, '<html lang="en"', "the person's own language")
    t.contains(p.out, '<th scope="row">Email</th><td>sam@example.org</td>', "English label")
    t.contains(p.out, "2 March 2026", "the day in English words")
    t.contains(p.out, "deleted or anonymised on 3 March 2027", "the next step in words")
    # csv: RFC 4180, the header and the cells in the person's language
    p = run("export", fr["subject"], "--format", "csv")
    t.status(p, 0)
    rows = rfc4180(t, p.out)
    t.eq(rows[0], ["Enregistrement", "Traitement", "Collectée le", "Finalités",
                   "Base légale", "Donnée", "Valeur", "Prochaine étape"], "French header")
    got = {r[5]: r for r in rows[1:]}
    t.eq(set(got), {"Adresse e-mail", "Contenu du message"}, "a row per value, by label")
    row = got["Adresse e-mail"]
    t.eq((row[1], row[2], row[4], row[6], row[7]),
         ("Demandes de contact", "2 mars 2026", "Intérêt légitime", "lea@example.org",
          "supprimées ou anonymisées le 3 mars 2027"), "the row in words")
    p = run("export", fr["subject"], "--format", "csv", "--lang", "en")
    rows = rfc4180(t, p.out)
    t.eq(rows[0][:3], ["Record", "Activity", "Collected on"], "asked in English")
    t.eq(rows[1][2], "2 March 2026", "the date in English words")
    # json: the machine keys stay, with the labels beside them
    doc = t.json(run("export", en["subject"]))
    rec = doc["records"][0]
    t.eq(rec["fields"]["email"], "sam@example.org", "keys kept")
    t.eq(rec["collected_at"], "2026-03-02T10:00:00Z", "machine time kept")
    t.eq({c["field"]: c["label"] for c in rec["categories"]},
         {"email": "Email", "message": "Message content"}, "labels beside the keys")


def test_register_xlsx_cuts_a_text_longer_than_a_cell(t):
    text = open(t.path(DECL), encoding="utf-8").read()
    old = "{fr: Répondre aux demandes envoyées par le formulaire de contact, "
    cfg = t.write("long.yaml", text.replace(old, "{fr: " + "a" * 20000 + "é" * 16000 + ", ", 1))
    p = t.run("--config", cfg, "register", "--format", "xlsx", "--lang", "fr", "-o", "long.xlsx")
    t.status(p, 0)
    z = zipfile.ZipFile(os.path.join(t.tmp, "long.xlsx"))
    sst = ET.fromstring(z.read("xl/sharedStrings.xml"))
    long = [s for s in ("".join(x.itertext()) for x in sst.findall("m:si", NS))
            if s.startswith("a" * 100)]
    t.eq(len(long), 1, "the long purpose is in the workbook")
    t.eq(len(long[0]), 32767, "cut to Excel's limit, in characters")
    t.eq(long[0], "a" * 20000 + "é" * (32767 - 20000 - 5) + "[...]",
         "cut between two characters, marked")
