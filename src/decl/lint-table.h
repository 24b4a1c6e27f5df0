/*
 * lint-table.h — the rule table of the linter as an X-macro, so that the rule
 * ids and the table cannot drift apart.
 *
 * PDV_LINT_RULES(X) calls X(NAME, "id", SEVERITY, "reference", "summary") once
 * per rule, in the order `pdvault lint --rules` lists them. lint.c builds the
 * table from it, and lint-internal.h the enum lint_rule (LINT_<NAME>) that
 * pdv_lint_report() takes: a rule file reports under an enumerator, never a
 * string, so a finding under an id the table lacks does not compile.
 * SEVERITY is the highest the rule can report (ERROR or WARNING).
 */
#ifndef PDV_DECL_LINT_TABLE_H
#define PDV_DECL_LINT_TABLE_H

/* clang-format off */
#define PDV_LINT_RULES(X) \
	/* structure the loader leaves to the linter */ \
	X(VERSION, "version", ERROR, \
	  "docs/declaration.md §3 Top level", \
	  "Declaration version is not 1") \
	X(TAXONOMY_KEY, "taxonomy-key", ERROR, \
	  "docs/declaration.md §12 The taxonomy; fideslang taxonomy", \
	  "Unknown data category, data use or data subject key") \
	X(REFERENCE_UNDECLARED, "reference-undeclared", ERROR, \
	  "docs/declaration.md §6 roles, §7 recipients; GDPR 13(1)(e), 30(1)(d)", \
	  "A role or recipient is used but not declared") \
	X(DUPLICATE_ID, "duplicate-id", ERROR, \
	  "docs/declaration.md §2 Conventions", \
	  "The same id declared twice") \
	X(ID_FORMAT, "id-format", ERROR, \
	  "docs/declaration.md §2 Conventions", \
	  "Id is not kebab-case [a-z0-9-]+") \
	X(FIELD_INVALID, "field-invalid", ERROR, \
	  "docs/declaration.md §9.1 fields; GDPR 5(1)(c)", \
	  "A field is missing or malformed (type, lookup, max_length)") \
	X(COUNTRY_CODE, "country-code", ERROR, \
	  "ISO 3166-1; GDPR 44", \
	  "Country is not an ISO 3166 alpha-2 code") \
	X(CONTACT_FORMAT, "contact-format", ERROR, \
	  "GDPR 13(1)(a)-(b)", \
	  "Contact email is malformed") \
	/* controller and notice */ \
	X(CONTROLLER_IDENTITY, "controller-identity", ERROR, \
	  "GDPR 13(1)(a), 27", \
	  "Controller identity missing") \
	X(DPO_CONTACT, "dpo-contact", ERROR, \
	  "GDPR 13(1)(b), 37(1), 37(7)", \
	  "DPO contact missing") \
	X(PLACEHOLDER_TEXT, "placeholder-text", ERROR, \
	  "GDPR 12(1)", \
	  "Unfinished notice") \
	X(NOTICE_COMPLETE, "notice-complete", ERROR, \
	  "GDPR 13", \
	  "Art. 13 gap") \
	/* purposes and bases */ \
	X(PURPOSE_REQUIRED, "purpose-required", ERROR, \
	  "GDPR 5(1)(b), 30(1)(b)", \
	  "Purpose missing or vague") \
	X(BASIS_CLOSED_LIST, "basis-closed-list", ERROR, \
	  "GDPR 6(1)", \
	  "Invalid basis") \
	X(BASIS_SINGLE, "basis-single", WARNING, \
	  "GDPR 6(1); EDPB 05/2020", \
	  "One basis per purpose; no swapping") \
	X(BASIS_CONSISTENCY, "basis-consistency", ERROR, \
	  "GDPR 5(1)(a), 13(1)(c)", \
	  "Contradictory basis") \
	X(BASIS_JUSTIFIED, "basis-justified", ERROR, \
	  "GDPR 6(3), 13(1)(d)", \
	  "Basis unsubstantiated") \
	X(CONTRACT_PARTY, "contract-party", WARNING, \
	  "GDPR 6(1)(b); EDPB 2/2019", \
	  "Subject not party to the contract") \
	X(DSR_BASIS, "dsr-basis", ERROR, \
	  "GDPR 6(1)(c), 12", \
	  "Rights handling is a legal obligation, not consent") \
	/* consent */ \
	X(CONSENT_WITHDRAWAL_ENDS, "consent-withdrawal-ends", ERROR, \
	  "GDPR 7(3), 17(1)(b)", \
	  "Withdrawal does not end the record") \
	X(CONSENT_WITHDRAWAL, "consent-withdrawal", ERROR, \
	  "GDPR 7(3), 13(2)(c)", \
	  "No way to withdraw as easy as consenting") \
	X(CONSENT_NO_TACIT, "consent-no-tacit", ERROR, \
	  "GDPR 4(11), recital 32; CJEU C-673/17", \
	  "Silence is not consent") \
	X(CONSENT_GRANULAR, "consent-granular", WARNING, \
	  "GDPR 7(1)-(2); EDPB 05/2020", \
	  "Consent not specific or provable") \
	X(CONSENT_CHILD, "consent-child", ERROR, \
	  "GDPR 8; LIL 45", \
	  "Child consent without parental co-consent") \
	/* sensitive data and risk */ \
	X(SPECIAL_CRIMINAL, "special-criminal", ERROR, \
	  "GDPR 9, 10; LIL 46", \
	  "Sensitive data not authorised") \
	X(RECRUITMENT_MINIMISATION, "recruitment-minimisation", WARNING, \
	  "GDPR 5(1)(c); C. trav. L1221-6", \
	  "Candidate data not job-related") \
	X(DPIA_TRIGGER, "dpia-trigger", WARNING, \
	  "GDPR 35; CNIL 2018-327", \
	  "DPIA needed") \
	X(ADM_22, "adm-22", ERROR, \
	  "GDPR 22, 13(2)(f)", \
	  "Automated-decision safeguards missing") \
	X(INDIRECT_SOURCE, "indirect-source", ERROR, \
	  "GDPR 14", \
	  "Art. 14 information missing") \
	/* rights */ \
	X(RIGHTS_LISTED, "rights-listed", ERROR, \
	  "GDPR 13(2)(b), 15-18, 21", \
	  "Rights information incomplete") \
	X(PORTABILITY_SCOPE, "portability-scope", ERROR, \
	  "GDPR 20(1)", \
	  "Portability scope") \
	X(PROCESS_CONFIG, "process-config", ERROR, \
	  "GDPR 12(3), 30", \
	  "Process gap") \
	X(RESPONSE_DEADLINE, "response-deadline", ERROR, \
	  "GDPR 12(3)", \
	  "Response deadline over the legal maximum") \
	X(ID_DOCUMENT, "id-document", WARNING, \
	  "GDPR 12(6); CNIL SAN-2020-008", \
	  "ID-copy handling") \
	X(SUPPRESSION_PERIOD, "suppression-period", WARNING, \
	  "GDPR 21(3); CNIL référentiel gestion commerciale", \
	  "Objection not remembered") \
	/* marketing */ \
	X(OBJECTION_DM, "objection-dm", ERROR, \
	  "GDPR 21(2)-(4); CPCE L34-5", \
	  "Direct-marketing objection missing") \
	X(EMARKETING_CONSENT, "emarketing-consent", ERROR, \
	  "CPCE L34-5; C. conso L223-1", \
	  "Prospecting consent") \
	X(SECTOR_BAN, "sector-ban", ERROR, \
	  "C. trav. L6323-8-1; C. conso L223-1 ff.", \
	  "Prohibited prospecting") \
	/* retention */ \
	X(RETENTION_REQUIRED, "retention-required", ERROR, \
	  "GDPR 5(1)(e), 13(2)(a), 30(1)(f)", \
	  "Retention missing") \
	X(RETENTION_SYNTAX, "retention-syntax", ERROR, \
	  "docs/declaration.md §10.1 Spans; GDPR 13(2)(a)", \
	  "Retention not in the span grammar") \
	X(RETENTION_FINITE, "retention-finite", ERROR, \
	  "GDPR 5(1)(e)", \
	  "Unbounded retention") \
	X(RETENTION_DETERMINATE, "retention-determinate", WARNING, \
	  "GDPR 13(2)(a)", \
	  "Ambiguous retention") \
	X(PROSPECT_3Y, "prospect-3y", WARNING, \
	  "CNIL référentiel gestion commerciale", \
	  "Over CNIL 3 years") \
	X(RECRUITMENT_2Y, "recruitment-2y", WARNING, \
	  "CNIL guide recrutement 2023", \
	  "Candidate retention") \
	X(CCTV_1M, "cctv-1m", ERROR, \
	  "CSI L252-5; CNIL vidéoprotection", \
	  "CCTV over 1 month") \
	X(LEGAL_MINIMUM, "legal-minimum", ERROR, \
	  "C. com. L123-22; C. conso L213-1, D213-1; CSP R1112-7", \
	  "Below legal minimum") \
	X(ARCHIVE_JUSTIFIED, "archive-justified", WARNING, \
	  "CNIL guide des durées de conservation", \
	  "Archive unjustified") \
	X(END_ACTION, "end-action", ERROR, \
	  "GDPR 5(1)(e), 17(3)(e)", \
	  "No end action") \
	/* recipients and transfers */ \
	X(PROCESSOR_CONTRACT, "processor-contract", ERROR, \
	  "GDPR 26, 28", \
	  "Recipient not framed") \
	X(PROCESSOR_RETENTION, "processor-retention", WARNING, \
	  "GDPR 28(3)(g)", \
	  "Recipient outlives the controller") \
	X(TRANSFER_SAFEGUARD, "transfer-safeguard", ERROR, \
	  "GDPR 44-49; CJEU C-311/18", \
	  "Transfer safeguard missing") \
	X(TRANSFER_CONSISTENCY, "transfer-consistency", ERROR, \
	  "GDPR 13(1)(f)", \
	  "Transfer statement inconsistent") \
	/* cookies */ \
	X(COOKIE_CONSENT, "cookie-consent", ERROR, \
	  "LIL 82; ePrivacy 5(3)", \
	  "Tracker needs consent") \
	X(COOKIE_REJECT_PARITY, "cookie-reject-parity", ERROR, \
	  "CNIL 2020-091, 2020-092; SAN-2021-023", \
	  "Refusing must be as easy as accepting") \
	X(COOKIE_LIFETIME, "cookie-lifetime", ERROR, \
	  "CNIL 2020-091 art. 5", \
	  "Tracker lifetime") \
	X(COOKIE_CHOICE_MEMORY, "cookie-choice-memory", WARNING, \
	  "CNIL rec. 2020-092", \
	  "Remember refusal")
/* clang-format on */

#endif
