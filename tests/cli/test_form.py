"""pdvault form: the embeddable HTML form of an activity, read as a browser
would read it (the stdlib HTML parser): one labelled input per declared
field, required fields marked, the consent box never ticked and labelled with
the declared text, the Art. 13 information and the notice link, the routes
under --action, escaping, and the refusals (unknown activity, lint errors)."""
import html
import os
import re
from html.parser import HTMLParser

CORRECTED = "examples/alegria-corrected.yaml"
CLEMENTINE = "examples/clementine.yaml"
NOW = {"PDVAULT_NOW": "2026-01-15"}

CONTACT_FR = "J'accepte qu'Alegria.tech traite ma demande"
CONTACT_EN = "I agree that Alegria.tech processes my request"


class Form(HTMLParser):
    """Elements with their attributes, and the text of every label (without
    the aria-hidden required mark, which is reported apart)."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.elements = []  # (tag, attrs)
        self.labels = {}    # for= -> text
        self.marks = {}     # for= -> the aria-hidden text ("" or " *")
        self._label = None
        self._hidden = 0
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.elements.append((tag, a))
        if tag == "label":
            self._label = a.get("for")
            self.labels[self._label] = ""
            self.marks[self._label] = ""
        elif self._label is not None and a.get("aria-hidden") == "true":
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag == "label":
            self._label = None
        elif tag == "span" and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if self._label is None:
            return
        if self._hidden:
            self.marks[self._label] += data
        else:
            self.labels[self._label] += data

    def all(self, tag, **want):
        return [a for t, a in self.elements
                if t == tag and all(a.get(k) == v for k, v in want.items())]

    def one(self, t, tag, **want):
        found = self.all(tag, **want)
        t.eq(len(found), 1, f"<{tag} {want}> elements")
        return found[0]

    def control(self, t, name):
        found = [a for tag, a in self.elements
                 if tag in ("input", "textarea") and a.get("name") == name]
        t.eq(len(found), 1, f"controls named {name!r}")
        return found[0]


def form(t, cfg, activity, *args, status=0):
    p = t.run("--config", t.path(cfg) if not os.path.isabs(cfg) else cfg, "form", activity,
              *args, env=NOW)
    t.status(p, status)
    return p


def declared_fields(t, cfg, activity):
    """(name, required, type, max_length) of the activity's fields, read from the YAML
    flow maps the examples use."""
    text = open(t.path(cfg), encoding="utf-8").read()
    block = text.split(f"- id: {activity}\n", 1)[1].split("\n  - id: ", 1)[0]
    fields = []
    for m in re.finditer(r"^\s+- \{(name: .*)\}\s*$", block, re.M):
        kv = dict(p.split(": ", 1) for p in m.group(1).split(", "))
        fields.append((kv["name"], kv.get("required") == "true", kv.get("type", "text"),
                       kv.get("max_length")))
    t.ok(fields, f"fields of {activity} in {cfg}")
    return fields


def test_form_has_every_declared_field(t):
    p = form(t, CORRECTED, "contact", "--lang", "fr")
    f = Form(p.out)
    t.eq(len(f.all("form")), 1, "one form")
    t.eq(len(f.all("script")), 1, "one script")
    t.eq(len(f.all("style")), 1, "one style")
    t.ok(p.out.lstrip().startswith("<style>"), "a fragment, not a page")
    t.lacks(p.out.lower(), "<html")
    fm = f.one(t, "form", **{"class": "pdvault-form"})
    t.eq(fm.get("lang"), "fr", "form language")
    t.eq(fm.get("action"), "/v1/activities/contact/submissions", "same-origin route")
    t.eq(fm.get("method"), "post", "method")
    f.one(t, "fieldset")
    f.one(t, "legend")
    kinds = {"email": "email", "phone": "tel", "text": "text", "date": "date"}
    for name, required, typ, maxlen in declared_fields(t, CORRECTED, "contact"):
        c = f.control(t, name)
        t.ok(c.get("id") in f.labels, f"{name}: a label for= its id")
        t.eq("required" in c, required, f"{name}: required attribute")
        t.eq(f.marks[c["id"]], " *" if required else "", f"{name}: visible mark")
        t.ok(f.labels[c["id"]].strip(), f"{name}: label text")
        t.eq(c.get("maxlength"), maxlen, f"{name}: maxlength")
        if name != "message":
            t.eq(c.get("type"), kinds[typ], f"{name}: input type")
        t.ok(c.get("aria-describedby"), f"{name}: described by its help and error slots")
        for ref in c["aria-describedby"].split():
            t.ok(any(a.get("id") == ref for _, a in f.elements), f"{name}: {ref} exists")
    # the free-text message is a textarea
    t.ok(any(tag == "textarea" and a.get("name") == "message" for tag, a in f.elements),
         "message is a textarea")
    t.eq(f.labels[f.control(t, "email")["id"]], "Adresse e-mail", "email label in French")
    t.contains(p.out, "<noscript>")
    t.contains(p.out, "fetch(")
    f.one(t, "button", type="submit")
    f.one(t, "p", role="status")


def test_form_consent_box_is_unticked_and_says_the_declared_text(t):
    for lang, text in (("fr", CONTACT_FR), ("en", CONTACT_EN)):
        p = form(t, CORRECTED, "contact", "--lang", lang)
        f = Form(p.out)
        box = f.one(t, "input", type="checkbox")
        t.ok("checked" not in box, "the consent box is not ticked")
        t.lacks(p.out.split("<script>")[0], "checked", "the markup")
        t.ok("required" in box, "consent is required")
        t.eq(f.labels[box["id"]], text, f"consent label ({lang})")
        t.eq(f.marks[box["id"]], " *", "consent marked required")
    # the newsletter's consent text too
    f = Form(form(t, CORRECTED, "newsletter", "--lang", "en").out)
    box = f.one(t, "input", type="checkbox")
    t.eq(f.labels[box["id"]], "I want to receive the Alegria.tech newsletter", "newsletter")


def test_form_without_consent_has_no_box(t):
    p = form(t, CORRECTED, "quote", "--lang", "en")
    f = Form(p.out)
    t.eq(f.all("input", type="checkbox"), [], "no consent box for a contract")
    company = f.control(t, "company")
    t.ok("required" not in company, "optional field")
    t.eq(f.marks[company["id"]], "", "no mark on an optional field")
    t.contains(p.out, "Contract")


def test_form_art13_information_and_notice_link(t):
    fr = form(t, CORRECTED, "contact", "--lang", "fr").out
    t.contains(fr, "Alegria.tech")
    t.contains(fr, "Recevoir et traiter les demandes de contact")
    t.contains(fr, "Consentement")
    t.contains(fr, "Base légale")
    links = [a["href"] for a in Form(fr).all("a") if "notice" in a.get("href", "")]
    t.eq(links, ["/v1/notice?lang=fr&format=html"], "notice link")
    en = form(t, CORRECTED, "contact", "--lang", "en").out
    t.contains(en, "Receiving and managing requests to contact the Company")
    t.contains(en, "Legal basis")
    t.contains(en, "Consent (Art. 6(1)(a) GDPR)")
    links = [a["href"] for a in Form(en).all("a") if "notice" in a.get("href", "")]
    t.eq(links, ["/v1/notice?lang=en&format=html"], "notice link")


def test_form_languages_differ_and_default_is_first_declared(t):
    fr = form(t, CORRECTED, "appointment", "--lang", "fr").out
    en = form(t, CORRECTED, "appointment", "--lang", "en").out
    t.ok(fr != en, "French and English forms differ")
    t.contains(fr, "Envoyer")
    t.contains(en, ">Send<")
    t.eq(Form(en).one(t, "form", **{"class": "pdvault-form"})["lang"], "en", "lang")
    t.eq(form(t, CORRECTED, "appointment").out, fr, "default language (fr first)")
    t.eq(form(t, CORRECTED, "appointment", "--lang", "fr").out, fr, "deterministic")
    phone = Form(en).control(t, "phone")
    t.eq(phone["type"], "tel", "a phone field is tel")


def test_form_action_base(t):
    p = form(t, CORRECTED, "newsletter", "--action", "https://vault.example.org/")
    f = Form(p.out)
    t.eq(f.one(t, "form", **{"class": "pdvault-form"})["action"],
         "https://vault.example.org/v1/activities/newsletter/submissions", "action")
    t.ok(any(a.get("href") == "https://vault.example.org/v1/notice?lang=fr&format=html"
             for a in f.all("a")), "notice under the base")
    p = form(t, CORRECTED, "newsletter", "--action", "/pdv")
    t.eq(Form(p.out).one(t, "form", **{"class": "pdvault-form"})["action"],
         "/pdv/v1/activities/newsletter/submissions", "path base")
    for bad in ("javascript:alert(1)", 'https://x"onmouseover="y', "https://x/?a=1"):
        p = form(t, CORRECTED, "newsletter", "--action", bad, status=2)
        t.contains(p.err, "pdvault: form: ")


def test_form_of_another_example(t):
    p = form(t, CLEMENTINE, "newsletter")
    f = Form(p.out)
    t.eq(f.one(t, "form", **{"class": "pdvault-form"})["lang"], "fr", "clementine is French")
    for name, required, typ, _ in declared_fields(t, CLEMENTINE, "newsletter"):
        c = f.control(t, name)
        t.eq("required" in c, required, f"{name}: required")
        t.eq(f.marks[c["id"]], " *" if required else "", f"{name}: mark")
    box = f.one(t, "input", type="checkbox")
    t.ok("checked" not in box, "unticked")
    t.eq(f.labels[box["id"]], "Je m'abonne à la newsletter de Clémentine", "consent text")


def test_form_escapes_declared_strings(t):
    text = open(t.path(CORRECTED), encoding="utf-8").read()
    hostile = 'J\'accepte <b>tout</b> & "le reste" <script>alert(1)</script>'
    text = text.replace(CONTACT_FR, hostile.replace('"', '\\"'), 1)
    text = text.replace("Recevoir et traiter les demandes de contact",
                        "Recevoir & traiter <i>les</i> demandes", 1)
    cfg = t.write("hostile.yaml", text)
    p = form(t, cfg, "contact", "--lang", "fr")
    t.lacks(p.out, "<b>tout")
    t.lacks(p.out, "<i>les")
    t.lacks(p.out, "<script>alert")
    t.contains(p.out, "&lt;b&gt;tout&lt;/b&gt; &amp; &quot;le reste&quot;")
    t.contains(p.out, "Recevoir &amp; traiter &lt;i&gt;les&lt;/i&gt; demandes")
    f = Form(p.out)
    t.eq(len(f.all("script")), 1, "only our script")
    box = f.one(t, "input", type="checkbox")
    t.eq(f.labels[box["id"]], hostile, "the label says the declared text, escaped")


def test_form_unknown_activity(t):
    p = form(t, CORRECTED, "no-such-activity", status=1)
    t.contains(p.err, "pdvault: form: ")
    t.contains(p.err, "no-such-activity")
    t.eq(p.out, "", "nothing written")
    p = t.run("--config", t.path(CORRECTED), "--json", "form", "nope", env=NOW)
    t.status(p, 1)
    doc = t.json(p)
    t.eq(doc["error"]["code"], "not_found", "code")
    t.eq(doc["error"]["field"], "activity", "field")


def test_form_refuses_activity_with_lint_errors(t):
    # alegria.yaml's newsletter does not end on withdrawal: collect refuses it
    p = form(t, "examples/alegria.yaml", "newsletter", status=1)
    t.contains(p.err, "lint errors")
    t.contains(p.err, "newsletter")
    t.eq(p.out, "", "no form")
    # an activity of the same file without errors gets its form
    form(t, "examples/alegria.yaml", "contact")


def test_form_usage_and_output_file(t):
    cfg = t.path(CORRECTED)
    t.status(t.run("--config", cfg, "form"), 2)
    t.status(t.run("--config", cfg, "form", "contact", "extra"), 2)
    t.status(t.run("--config", cfg, "form", "contact", "--lang", "de"), 2)
    p = t.run("--config", cfg, "form", "contact", "-o", "contact.html", env=NOW)
    t.status(p, 0)
    t.eq(p.out, "", "nothing on stdout")
    data = open(os.path.join(t.tmp, "contact.html"), encoding="utf-8").read()
    t.contains(data, "</form>")
    t.eq(html.unescape(data).count('class="pdvault-form"'), 1, "one form in the file")
