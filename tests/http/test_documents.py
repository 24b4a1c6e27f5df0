"""The documents a DPO downloads from the back office (issue 15 point 7):
the register as csv for Excel and as an xlsx workbook, each with its type
and a file name, and a person's Art. 15 copy in their own language when the
download does not ask for one."""
import io
import xml.etree.ElementTree as ET
import zipfile

from test_server import Server, j

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def test_register_downloads_for_spreadsheets(t):
    srv = Server(t)
    dpo = srv.token("dpo", "alice")
    srv.start()
    try:
        st, h, out = srv.get("/v1/register?format=xlsx&lang=fr", token=dpo)
        t.eq(st, 200, "the workbook")
        t.eq(h["Content-Type"],
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "its type")
        t.eq(h.get("Content-Disposition"), 'attachment; filename="register.xlsx"', "a file")
        z = zipfile.ZipFile(io.BytesIO(out))
        t.eq(z.testzip(), None, "the zip reads back whole (binary body, NULs included)")
        names = [s.get("name") for s in
                 ET.fromstring(z.read("xl/workbook.xml")).iter("{%s}sheet" % NS["m"])]
        t.eq(names, ["Responsable", "Traitements", "Mesures de sécurité"], "the sheets")
        sst = ET.fromstring(z.read("xl/sharedStrings.xml"))
        strings = {"".join(x.itertext()) for x in sst.findall("m:si", NS)}
        t.ok("Alegria" in " ".join(strings), "the controller's name in the workbook")
        st, h, out = srv.get("/v1/register?format=csv-excel&lang=fr", token=dpo)
        t.eq(st, 200, "csv for Excel")
        t.contains(h["Content-Type"], "text/csv", "its type")
        t.eq(h.get("Content-Disposition"), 'attachment; filename="register.csv"', "a file")
        t.ok(out.startswith(b"\xef\xbb\xbfIdentifiant;Traitement;"), "BOM and ';'")
        t.ok(out.endswith(b";02/03/2026\r\n"), "the server's day, French style, CRLF")
        st, _, out = srv.get("/v1/register?format=docx", token=dpo)
        t.eq(st, 400, "an unknown format")
        t.contains(j(out)["error"]["message"], "csv-excel", "the refusal lists the formats")
        st, _, _ = srv.get("/v1/register?format=xlsx")
        t.eq(st, 401, "staff only")
    finally:
        srv.stop()


def test_export_download_in_the_persons_language(t):
    srv = Server(t)
    dpo = srv.token("dpo", "alice")
    srv.start()
    try:
        body = {"fields": {"last_name": "Smith", "first_name": "Sam",
                           "email": "sam.lang@example.org"}, "lang": "en"}
        st, _, _ = srv.post("/v1/activities/quote/submissions", body)
        t.eq(st, 201, "an English submission")
        st, _, out = srv.post("/v1/subjects/search", {"email": "sam.lang@example.org"},
                              token=dpo)
        subject = j(out)["subjects"][0]
        st, _, out = srv.get(f"/v1/subjects/{subject}/export?format=html", token=dpo)
        t.eq(st, 200, "the copy")
        page = out.decode()
        t.contains(page, '<html lang="en"', "in the person's language, not the server's (fr)")
        t.contains(page, "2 March 2026", "the day in words")
        t.contains(page, "<td>sam.lang@example.org</td>", "the value")
        st, _, out = srv.get(f"/v1/subjects/{subject}/export?format=csv&lang=fr", token=dpo)
        t.eq(st, 200, "asked in French")
        t.ok(out.decode().startswith("Enregistrement,Traitement,Collectée le,"), "French header")
    finally:
        srv.stop()
