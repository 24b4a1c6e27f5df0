"""The notice and the register say what the §14 keys declare (rights.limits,
rights.withdraw and rights.object with their channels, retention.condition,
profiling, recipients[].countries, source.informed_within), in French and in
English, and the notice promises an unsubscribe link only where the
declaration provides one."""

BASE = """pdvault: 1
controller:
  name: Atelier SAS
  address: "12 quai Saint-Antoine, 69002 Lyon, France"
  email: contact@atelier.example
  country: FR
  authority: cnil
  languages: [fr, en]
rights:
  channels: [email]
{rights}
recipients:
  - {{id: ats, name: RecruitCloud, role: processor, country: IE, countries: [EEA, elsewhere], contract: true}}
  - {{id: mailer, name: Mailer, role: processor, country: FR, safeguard: none, contract: true}}
activities:
  - id: letter
    name: {{fr: Lettre, en: Letter}}
    purposes: [{{fr: Envoyer la lettre, en: Sending the letter}}]
    basis: consent
    subjects: [prospect]
    uses: [marketing.communications.email]
{unsubscribe}
    source: data-subject
    fields:
      - {{name: email, category: user.contact.email, type: email, required: true}}
    consent: {{version: "1", text: {{fr: Je veux la lettre, en: I want the letter}}}}
    retention: {{active: "until consent-withdrawn, at most 3y from last-contact", end: delete}}
    recipients: [mailer]
  - id: sourcing
    name: {{fr: Sourcing, en: Sourcing}}
    purposes: [{{fr: Proposer des postes, en: Offering jobs}}]
    basis: legitimate-interests
    basis_detail: {{fr: Recruter, en: Recruiting}}
    subjects: [job_applicant]
    uses: [employment.recruitment]
    profiling: {{fr: Un test de personnalité noté, en: A scored personality test}}
    source: {{third-party: {{fr: Profils LinkedIn, en: LinkedIn profiles}}, informed_within: {informed}}}
    fields:
      - {{name: email, category: user.contact.email, type: email}}
    retention:
      active: 2y from last-contact
      end: delete
      condition: {{fr: "si le candidat a passé le test", en: "if the candidate took the test"}}
    recipients: [ats]
"""

FULL_RIGHTS = """  withdraw: {channels: [email, post], email: retrait@atelier.example, address: "BP 7, 69001 Lyon"}
  object: {channels: [web], url: "https://atelier.example/opposition"}
  limits:
    - {right: portability, bases: [consent], cases: {fr: "si le traitement est automatisé", en: "if the processing is automated"}}
    - {right: access, holders: [companies]}"""


def decl(t, name, rights="", unsubscribe="", informed="1mo"):
    return t.write(name, BASE.format(rights=rights, unsubscribe=unsubscribe, informed=informed))


def notice(t, cfg, lang):
    p = t.run("--config", cfg, "notice", "--lang", lang)
    t.status(p, 0)
    return p.out


def test_no_unsubscribe_link_promised_unless_declared(t):
    cfg = decl(t, "nolink.yaml")
    en, fr = notice(t, cfg, "en"), notice(t, cfg, "fr")
    t.lacks(en, "unsubscribe link", "en notice of marketing without unsubscribe: true")
    t.lacks(fr, "lien de désinscription", "fr notice of marketing without unsubscribe: true")
    t.contains(en, "To object: by writing to contact@atelier.example.")
    t.contains(fr, "Pour vous opposer : en écrivant à contact@atelier.example.")

    cfg = decl(t, "link.yaml", unsubscribe="    unsubscribe: true")
    en, fr = notice(t, cfg, "en"), notice(t, cfg, "fr")
    t.contains(en, "with the unsubscribe link in each message, or by writing to")
    t.contains(en, "Each of our marketing messages contains an unsubscribe link.")
    t.contains(fr, "avec le lien de désinscription présent dans chaque message, ou en écrivant")
    t.contains(fr, "Chacun de nos messages de prospection contient un lien de désinscription.")


def test_withdraw_and_object_channels_with_their_addresses(t):
    cfg = decl(t, "ways.yaml", rights=FULL_RIGHTS)
    en, fr = notice(t, cfg, "en"), notice(t, cfg, "fr")
    t.contains(en, "To withdraw it: by writing to retrait@atelier.example or by post to BP 7, "
               "69001 Lyon.")
    t.contains(fr, "Pour le retirer : en écrivant à retrait@atelier.example ou par courrier à "
               "BP 7, 69001 Lyon.")
    t.contains(en, "as easily as you gave it, by writing to retrait@atelier.example")
    t.contains(en, "To object: online at https://atelier.example/opposition.")
    t.contains(fr, "Pour vous opposer : en ligne sur https://atelier.example/opposition.")
    # the activity's own Art. 21(4) statement uses the same way
    t.contains(en, "to receiving our marketing, online at https://atelier.example/opposition.")


def test_limited_rights_are_shown_as_offered(t):
    cfg = decl(t, "limits.yaml", rights=FULL_RIGHTS)
    en, fr = notice(t, cfg, "en"), notice(t, cfg, "fr")
    t.contains(en, "As we offer it: only for the processing based on your consent; in these "
               "cases: “if the processing is automated”.")
    t.contains(fr, "Tel que nous le proposons : uniquement pour les traitements fondés sur "
               "votre consentement ; dans ces cas : « si le traitement est automatisé ».")
    t.contains(en, "As we offer it: only to companies.")
    t.contains(fr, "Tel que nous le proposons : uniquement pour companies.")
    plain = notice(t, decl(t, "plain.yaml"), "en")
    t.lacks(plain, "As we offer it", "no limits, no limit sentence")


def test_condition_profiling_countries_and_timing(t):
    cfg = decl(t, "keys.yaml")
    en, fr = notice(t, cfg, "en"), notice(t, cfg, "fr")
    t.contains(en, "This period applies when: if the candidate took the test")
    t.contains(fr, "Cette durée s'applique lorsque : si le candidat a passé le test")
    t.contains(en, "**Evaluation (profiling)**: we evaluate you in this way: A scored "
               "personality test.")
    t.contains(fr, "**Évaluation (profilage)** : nous vous évaluons de cette façon : Un test "
               "de personnalité noté.")
    t.contains(en, "RecruitCloud (processor acting on our behalf, Ireland, in the EEA (country "
               "not named), outside the EEA (country not named))")
    t.contains(en, "RecruitCloud: outside the EEA (country not named), safeguard: ")
    t.contains(fr, "RecruitCloud : hors de l'EEE (pays non précisé), garantie : ")
    t.contains(en, "We inform you within 1 month of obtaining the data (Art. 14(3)(a) GDPR).")
    t.contains(fr, "Nous vous en informons dans un délai de 1 mois suivant leur obtention")
    t.lacks(en, "or before we disclose it to another recipient", "the declared timing only")

    first = notice(t, decl(t, "first.yaml", informed="first-contact"), "en")
    t.contains(first, "We inform you at our first communication with you (Art. 14(3)(b) GDPR).")
    words = notice(t, decl(t, "words.yaml", informed='"dès que possible"'), "fr")
    t.contains(words, "Quand nous vous en informons : « dès que possible » (art. 14.3 du RGPD).")


def test_register_states_condition_profiling_and_countries(t):
    cfg = decl(t, "reg.yaml")
    for lang, cond, prof, out in (
            ("en", "; applies when: if the candidate took the test", "profiling: A scored",
             "RecruitCloud: outside the EEA (country not named), safeguard"),
            ("fr", " ; s'applique lorsque : si le candidat a passé le test",
             "profilage : Un test", "RecruitCloud : hors de l'EEE (pays non précisé), garantie")):
        p = t.run("--config", cfg, "register", "--format", "md", "--lang", lang)
        t.status(p, 0)
        t.contains(p.out, cond, f"register {lang}: retention condition")
        t.contains(p.out, prof, f"register {lang}: profiling")
        t.contains(p.out, out, f"register {lang}: the place outside the EEA")
    doc = t.json(t.run("--json", "--config", cfg, "register", "--lang", "en"))
    src = [a for a in doc["activities"] if a["id"] == "sourcing"][0]
    t.eq(src["retention"]["condition"], "if the candidate took the test", "json condition")
    t.eq(src["profiling"], "A scored personality test", "json profiling")
    t.eq(src["transfers"][0]["countries"], ["elsewhere"], "json transfer places")
    t.eq(src["transfers"][0]["country"], None, "Ireland is not the transfer")
    t.eq(src["recipients"][0]["countries"], ["IE", "EEA", "elsewhere"], "json places")


def test_register_states_when_a_sourced_person_is_told(t):
    """The register gives the Art. 14(3) timing after the source, as the
    notice does: a duration, the first contact, the disclosure, or the
    policy's words quoted; --json has it as declared."""
    for informed, en, fr in (
            ("1mo", "; the person told (Art. 14(3)): within 1 month of obtaining the data",
             " ; personne informée (art. 14.3) : dans un délai de 1 mois suivant leur obtention"),
            ("first-contact", "; the person told (Art. 14(3)): at the first communication",
             " ; personne informée (art. 14.3) : lors de la première communication"),
            ("disclosure", "(Art. 14(3)): before the first disclosure to a recipient",
             "(art. 14.3) : avant la première communication à un destinataire"),
            ('"dès que possible"', "(Art. 14(3)): “dès que possible”",
             "(art. 14.3) : « dès que possible »")):
        cfg = decl(t, "reg14.yaml", informed=informed)
        for lang, want in (("en", en), ("fr", fr)):
            p = t.run("--config", cfg, "register", "--format", "md", "--lang", lang)
            t.status(p, 0)
            row = [ln for ln in p.out.splitlines() if "LinkedIn" in ln and "Source" in ln]
            t.eq(len(row), 1, f"register {lang}: the source row")
            t.contains(row[0], want, f"register {lang}: informed_within {informed}")
        doc = t.json(t.run("--json", "--config", cfg, "register", "--lang", "en"))
        src = [a for a in doc["activities"] if a["id"] == "sourcing"][0]["source"]
        t.eq(src["informed_within"], informed.strip('"'), "json: as declared")
