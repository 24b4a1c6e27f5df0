/*
 * lint-table.h — the rule table of the linter as an X-macro, so that the rule
 * ids and the table cannot drift apart.
 *
 * PDV_LINT_RULES(X) calls X(NAME, "id", SEVERITY, "reference", "summary", "fix")
 * once per rule, in the order `pdvault lint --rules` lists them. lint.c builds the
 * table from it, and lint-internal.h the enum lint_rule (LINT_<NAME>) that
 * pdv_lint_report() takes: a rule file reports under an enumerator, never a
 * string, so a finding under an id the table lacks does not compile.
 * SEVERITY is the highest the rule can report (ERROR or WARNING). "fix" is the
 * smallest change to the declaration that usually clears a finding of the rule,
 * in its keys: the default `fix` of a finding, which a report site that knows
 * better overrides (pdv_lint_fix). NAME follows the id but for the two rules
 * on contracts, PARTY_TO_AGREEMENT and PROCESSOR_AGREEMENT: the upper-case
 * word is kept out of the tree, where it would read as a citation of a
 * document users do not have.
 */
#ifndef PDV_DECL_LINT_TABLE_H
#define PDV_DECL_LINT_TABLE_H

/* clang-format off */
#define PDV_LINT_RULES(X) \
	/* structure the loader leaves to the linter */ \
	X(VERSION, "version", ERROR, \
	  "docs/declaration.md §3 Top level", \
	  "Declaration version is not 1", \
	  "write `pdvault: 1` at the top of the file") \
	X(TAXONOMY_KEY, "taxonomy-key", ERROR, \
	  "docs/declaration.md §12 The taxonomy; fideslang taxonomy", \
	  "Unknown data category, data use or data subject key", \
	  "use a key that `pdvault taxonomy categories|uses|subjects` lists, or its `pdv.` extension") \
	X(REFERENCE_UNDECLARED, "reference-undeclared", ERROR, \
	  "docs/declaration.md §6 roles, §7 recipients; GDPR 13(1)(e), 30(1)(d)", \
	  "A role or recipient is used but not declared", \
	  "declare the id under `roles:` or `recipients:`, or remove it from the activity") \
	X(DUPLICATE_ID, "duplicate-id", ERROR, \
	  "docs/declaration.md §2 Conventions", \
	  "The same id declared twice", \
	  "give each entry an id of its own") \
	X(ID_FORMAT, "id-format", ERROR, \
	  "docs/declaration.md §2 Conventions", \
	  "Id is not kebab-case [a-z0-9-]+", \
	  "rename the id in lower-case letters, digits and hyphens (e.g. `site-forms`)") \
	X(FIELD_INVALID, "field-invalid", ERROR, \
	  "docs/declaration.md §9.1 fields; GDPR 5(1)(c)", \
	  "A field is missing or malformed (type, lookup, max_length)", \
	  "give the field a `name`, and a `type`, `lookup` or `max_length` the language knows (§9.1)") \
	X(COUNTRY_CODE, "country-code", ERROR, \
	  "ISO 3166-1; GDPR 44", \
	  "Country is not an ISO 3166 alpha-2 code", \
	  "write the ISO 3166 alpha-2 code of the country (e.g. `FR`, `US`)") \
	X(CONTACT_FORMAT, "contact-format", ERROR, \
	  "GDPR 13(1)(a)-(b)", \
	  "Contact email is malformed", \
	  "write a complete email address (name@domain)") \
	/* controller and notice */ \
	X(CONTROLLER_IDENTITY, "controller-identity", ERROR, \
	  "GDPR 13(1)(a), 27", \
	  "Controller identity missing", \
	  "set `controller.name`, `controller.address` and `controller.email` (or `phone`)") \
	X(DPO_CONTACT, "dpo-contact", ERROR, \
	  "GDPR 13(1)(b), 37(1), 37(7)", \
	  "DPO contact missing", \
	  "set `controller.dpo.email` (or its postal address or phone)") \
	X(PLACEHOLDER_TEXT, "placeholder-text", ERROR, \
	  "GDPR 12(1)", \
	  "Unfinished notice", \
	  "replace the unfinished text with the information it announces") \
	X(NOTICE_COMPLETE, "notice-complete", ERROR, \
	  "GDPR 13", \
	  "Art. 13 gap", \
	  "add the missing Art. 13 element to the declaration") \
	/* purposes and bases */ \
	X(PURPOSE_REQUIRED, "purpose-required", ERROR, \
	  "GDPR 5(1)(b), 30(1)(b)", \
	  "Purpose missing or vague", \
	  "state each purpose specifically in `purposes:`, without \"etc.\"") \
	X(BASIS_CLOSED_LIST, "basis-closed-list", ERROR, \
	  "GDPR 6(1)", \
	  "Invalid basis", \
	  "set `basis:` to one of consent, contract, legal-obligation, vital-interests, public-task, legitimate-interests") \
	X(BASIS_SINGLE, "basis-single", WARNING, \
	  "GDPR 6(1); EDPB 05/2020", \
	  "One basis per purpose; no swapping", \
	  "keep one basis per activity; split the activity if its purposes need different bases") \
	X(BASIS_CONSISTENCY, "basis-consistency", ERROR, \
	  "GDPR 5(1)(a), 13(1)(c)", \
	  "Contradictory basis", \
	  "give the same purpose the same basis everywhere") \
	X(BASIS_JUSTIFIED, "basis-justified", ERROR, \
	  "GDPR 6(3), 13(1)(d)", \
	  "Basis unsubstantiated", \
	  "state in `basis_detail` the interest pursued (legitimate interests) or the law (legal obligation); set `balancing_test: true` once the test is documented") \
	X(PARTY_TO_AGREEMENT, "contract-party", WARNING, \
	  "GDPR 6(1)(b); EDPB 2/2019", \
	  "Subject not party to the contract", \
	  "use `basis: legitimate-interests` with the interest stated: the person is not a party to the contract") \
	X(DSR_BASIS, "dsr-basis", ERROR, \
	  "GDPR 6(1)(c), 12", \
	  "Rights handling is a legal obligation, not consent", \
	  "set `basis: legal-obligation` with `basis_detail` citing GDPR 12 (rights handling)") \
	/* consent */ \
	X(CONSENT_WITHDRAWAL_ENDS, "consent-withdrawal-ends", ERROR, \
	  "GDPR 7(3), 17(1)(b)", \
	  "Withdrawal does not end the record", \
	  "add `early: [consent-withdrawn]` to the retention (or `active: until consent-withdrawn, ...`)") \
	X(CONSENT_WITHDRAWAL, "consent-withdrawal", ERROR, \
	  "GDPR 7(3), 13(2)(c)", \
	  "No way to withdraw as easy as consenting", \
	  "set `rights.withdraw` with a channel and its address (e.g. `{channels: [email], email: ...}`), or an unsubscribe link (`unsubscribe: true`)") \
	X(CONSENT_NO_TACIT, "consent-no-tacit", ERROR, \
	  "GDPR 4(11), recital 32; CJEU C-673/17", \
	  "Silence is not consent", \
	  "ask for a fresh opt-in: `renew: {wait: 1mo, silence: end}`, an unticked box") \
	X(CONSENT_GRANULAR, "consent-granular", WARNING, \
	  "GDPR 7(1)-(2); EDPB 05/2020", \
	  "Consent not specific or provable", \
	  "ask one consent per purpose and channel: split the activity") \
	X(CONSENT_CHILD, "consent-child", ERROR, \
	  "GDPR 8; LIL 45", \
	  "Child consent without parental co-consent", \
	  "collect parental co-consent under 15 (`consent.parental: true`) or use another basis") \
	/* sensitive data and risk */ \
	X(SPECIAL_CRIMINAL, "special-criminal", ERROR, \
	  "GDPR 9, 10; LIL 46", \
	  "Sensitive data not authorised", \
	  "set `special_category` to the Art. 9(2) condition (or `lil-46`), or stop collecting the data") \
	X(RECRUITMENT_MINIMISATION, "recruitment-minimisation", WARNING, \
	  "GDPR 5(1)(c); C. trav. L1221-6", \
	  "Candidate data not job-related", \
	  "remove the field from the recruitment form") \
	X(DPIA_TRIGGER, "dpia-trigger", WARNING, \
	  "GDPR 35; CNIL 2018-327", \
	  "DPIA needed", \
	  "carry out a DPIA and record it: `dpia: {done: true, ref: ...}`") \
	X(ADM_22, "adm-22", ERROR, \
	  "GDPR 22, 13(2)(f)", \
	  "Automated-decision safeguards missing", \
	  "explain the logic and state the safeguards: `automated_decision: {logic, safeguards, human_review: true}`") \
	X(INDIRECT_SOURCE, "indirect-source", ERROR, \
	  "GDPR 14", \
	  "Art. 14 information missing", \
	  "name the source in `source: {third-party: ...}` and inform the person within a month (`informed_within: 1mo`)") \
	/* rights */ \
	X(RIGHTS_LISTED, "rights-listed", ERROR, \
	  "GDPR 13(2)(b), 15-18, 21", \
	  "Rights information incomplete", \
	  "remove the right from `rights.exclude` / `rights.limits`: the law grants it here") \
	X(PORTABILITY_SCOPE, "portability-scope", ERROR, \
	  "GDPR 20(1)", \
	  "Portability scope", \
	  "offer portability for every activity based on consent or contract") \
	X(PROCESS_CONFIG, "process-config", ERROR, \
	  "GDPR 12(3), 30", \
	  "Process gap", \
	  "set `rights.response: 1mo` (and `extension: 2mo`)") \
	X(RESPONSE_DEADLINE, "response-deadline", ERROR, \
	  "GDPR 12(3)", \
	  "Response deadline over the legal maximum", \
	  "set `rights.response: 1mo` at most, and `extension: 2mo` at most") \
	X(ID_DOCUMENT, "id-document", WARNING, \
	  "GDPR 12(6); CNIL SAN-2020-008", \
	  "ID-copy handling", \
	  "ask for an ID only on reasonable doubt (`id_document: {ask: reasonable-doubt, retention: 1y from request-closed}`)") \
	X(SUPPRESSION_PERIOD, "suppression-period", WARNING, \
	  "GDPR 21(3); CNIL référentiel gestion commerciale", \
	  "Objection not remembered", \
	  "set `rights.suppression: 3y`") \
	/* marketing */ \
	X(OBJECTION_DM, "objection-dm", ERROR, \
	  "GDPR 21(2)-(4); CPCE L34-5", \
	  "Direct-marketing objection missing", \
	  "set `unsubscribe: true` (a link in each message), or state the right on its own in `rights.object`") \
	X(EMARKETING_CONSENT, "emarketing-consent", ERROR, \
	  "CPCE L34-5; C. conso L223-1", \
	  "Prospecting consent", \
	  "use `basis: consent` for B2C electronic prospecting (or `soft_opt_in: true` for existing customers)") \
	X(SECTOR_BAN, "sector-ban", ERROR, \
	  "C. trav. L6323-8-1; C. conso L223-1 ff.", \
	  "Prohibited prospecting", \
	  "stop this prospecting: the law bans it in this sector") \
	/* retention */ \
	X(RETENTION_REQUIRED, "retention-required", ERROR, \
	  "GDPR 5(1)(e), 13(2)(a), 30(1)(f)", \
	  "Retention missing", \
	  "add `retention: {active: ..., end: delete}` to the activity") \
	X(RETENTION_SYNTAX, "retention-syntax", ERROR, \
	  "docs/declaration.md §10.1 Spans; GDPR 13(2)(a)", \
	  "Retention not in the span grammar", \
	  "write the span as a duration and its start, e.g. `3y from last-contact` (§10.1)") \
	X(RETENTION_FINITE, "retention-finite", ERROR, \
	  "GDPR 5(1)(e)", \
	  "Unbounded retention", \
	  "add a cap: `..., at most 3y from last-contact`") \
	X(RETENTION_DETERMINATE, "retention-determinate", WARNING, \
	  "GDPR 13(2)(a)", \
	  "Ambiguous retention", \
	  "say what the duration counts from: `13mo from collection`") \
	X(PROSPECT_3Y, "prospect-3y", WARNING, \
	  "CNIL référentiel gestion commerciale", \
	  "Over CNIL 3 years", \
	  "keep prospects at most `3y from last-contact`") \
	X(RECRUITMENT_2Y, "recruitment-2y", WARNING, \
	  "CNIL guide recrutement 2023", \
	  "Candidate retention", \
	  "keep candidates at most `2y from last-contact`") \
	X(CCTV_1M, "cctv-1m", ERROR, \
	  "CSI L252-5; CNIL vidéoprotection", \
	  "CCTV over 1 month", \
	  "keep recordings at most `1mo from collection`") \
	X(LEGAL_MINIMUM, "legal-minimum", ERROR, \
	  "C. com. L123-22; C. conso L213-1, D213-1; CSP R1112-7", \
	  "Below legal minimum", \
	  "keep the records at least the legal minimum, in an archive phase (`archive: ...`)") \
	X(ARCHIVE_JUSTIFIED, "archive-justified", WARNING, \
	  "CNIL guide des durées de conservation", \
	  "Archive unjustified", \
	  "name the ground in `archive_reason`: a legal reference, a limitation period or litigation") \
	X(END_ACTION, "end-action", ERROR, \
	  "GDPR 5(1)(e), 17(3)(e)", \
	  "No end action", \
	  "set `end: delete` (or `anonymise`); place a litigation hold with `pdvault hold` when proceedings start") \
	/* recipients and transfers */ \
	X(PROCESSOR_AGREEMENT, "processor-contract", ERROR, \
	  "GDPR 26, 28", \
	  "Recipient not framed", \
	  "sign the Art. 28 (processor) or Art. 26 (joint controller) arrangement and set `contract: true`") \
	X(PROCESSOR_RETENTION, "processor-retention", WARNING, \
	  "GDPR 28(3)(g)", \
	  "Recipient outlives the controller", \
	  "have the recipient keep the data no longer than the activity (`recipients[].retention`)") \
	X(RECIPIENT_NOTICE, "recipient-notice", WARNING, \
	  "GDPR 19", \
	  "Recipient cannot be told of an erasure", \
	  "give the recipient a `webhook` (an API) or a `notify_email` for its Art. 19 notices") \
	X(TRANSFER_SAFEGUARD, "transfer-safeguard", ERROR, \
	  "GDPR 44-49; CJEU C-311/18", \
	  "Transfer safeguard missing", \
	  "set the recipient's `safeguard` (adequacy, dpf, scc, bcr) or keep the data in the EEA") \
	X(TRANSFER_CONSISTENCY, "transfer-consistency", ERROR, \
	  "GDPR 13(1)(f)", \
	  "Transfer statement inconsistent", \
	  "set `transfers.outside_eea: true` and say where each recipient processes the data") \
	/* cookies */ \
	X(COOKIE_CONSENT, "cookie-consent", ERROR, \
	  "LIL 82; ePrivacy 5(3)", \
	  "Tracker needs consent", \
	  "set `consent: required` on the tracker") \
	X(COOKIE_REJECT_PARITY, "cookie-reject-parity", ERROR, \
	  "CNIL 2020-091, 2020-092; SAN-2021-023", \
	  "Refusing must be as easy as accepting", \
	  "offer a reject-all button (`banner: {reject_button: true, blocks_until_accept: false}`)") \
	X(COOKIE_LIFETIME, "cookie-lifetime", ERROR, \
	  "CNIL 2020-091 art. 5", \
	  "Tracker lifetime", \
	  "set the tracker's `lifetime` to 13mo at most, not renewed on each visit") \
	X(COOKIE_CHOICE_MEMORY, "cookie-choice-memory", WARNING, \
	  "CNIL rec. 2020-092", \
	  "Remember refusal", \
	  "set `cookies.refusal_lifetime` equal to `consent_lifetime` (6mo)")
/* clang-format on */

#endif
