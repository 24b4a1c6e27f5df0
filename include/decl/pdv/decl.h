/*
 * pdv/decl.h — the declaration model and its loader.
 *
 * A declaration is the controller's YAML file (`pdvault: 1`, docs/declaration.md).
 * The loader refuses only what is not the language: YAML syntax, unknown
 * keys, wrong YAML types, and resource limits (file size, nesting depth,
 * aliases), always with FILE:LINE:COL. Everything else loads as written (an
 * unknown basis, a retention in free words, a missing key, an undeclared
 * role) and is left to the linter, so a real policy can be declared with its
 * flaws.
 *
 * Invariants of a loaded struct pdv_decl:
 *  - every value keeps its position in the file (pos); an absent scalar has
 *    s == NULL and pos {0,0}; an absent map or list has present == false;
 *  - all memory belongs to the decl (one arena) and is released by
 *    pdv_decl_free; every pointer inside is borrowed by callers;
 *  - strings are valid UTF-8 and NUL-terminated (the loader refuses invalid
 *    UTF-8 and NUL bytes);
 *  - the structure is read-only after loading.
 *
 * Text meant for people (struct pdv_text) is either one string, the same in
 * every language, or a map {en: ..., fr: ...}.
 */
#ifndef PDV_DECL_H
#define PDV_DECL_H

#include <stdbool.h>
#include <stddef.h>

#include "pdv/error.h"

/* Loader limits (enforced on every input) */
#define PDV_DECL_MAX_BYTES ((size_t)4 * 1024 * 1024) /* file size */
#define PDV_DECL_MAX_DEPTH 32                        /* nesting of maps and lists */
#define PDV_DECL_MAX_ALIASES 64                      /* alias references in one file */
#define PDV_DECL_MAX_NODES 1000000                   /* YAML nodes after alias expansion */
#define PDV_DECL_MAX_SCALAR ((size_t)64 * 1024)      /* one scalar */

/* a scalar string; s == NULL when the key is absent */
struct pdv_str {
	const char *s;
	struct pdv_pos pos;
};

struct pdv_bool {
	bool present;
	bool v;
	struct pdv_pos pos;
};

struct pdv_strlist {
	bool present;
	size_t n;
	struct pdv_str *v;
	struct pdv_pos pos;
};

struct pdv_text_lang {
	const char *lang; /* "en", "fr"... as written */
	const char *text;
	struct pdv_pos pos;
};

/* text for people: `any` (a plain string) or per-language values */
struct pdv_text {
	bool present;
	const char *any; /* the plain-string form, or NULL */
	size_t n_lang;
	struct pdv_text_lang *langs;
	struct pdv_pos pos;
};

struct pdv_textlist {
	bool present;
	size_t n;
	struct pdv_text *v;
	struct pdv_pos pos;
};

/* a person to contact: the DPO, the EU representative */
struct pdv_contact {
	bool present;
	struct pdv_pos pos;
	struct pdv_str name;
	struct pdv_str email;
	struct pdv_str address;
	struct pdv_str phone;
};

/* supervisory authority: a built-in id ("cnil") or a full description */
struct pdv_authority {
	bool present;
	struct pdv_pos pos;
	struct pdv_str id; /* set when written as a scalar */
	struct pdv_text name;
	struct pdv_str address;
	struct pdv_str url;
};

struct pdv_controller {
	bool present;
	struct pdv_pos pos;
	struct pdv_str name;
	struct pdv_str legal_form;
	struct pdv_str registration;
	struct pdv_str address;
	struct pdv_str email;
	struct pdv_str phone;
	struct pdv_str country; /* ISO 3166 alpha-2 */
	struct pdv_contact dpo;
	struct pdv_contact representative; /* Art. 27 EU representative (extension key) */
	struct pdv_authority authority;
	struct pdv_str financial_year_end; /* "MM-DD", default "12-31" */
	struct pdv_strlist languages;      /* first = default */
	struct pdv_str logo; /* a PNG, JPEG or WebP file, relative to the declaration's
	                      * folder; served by `serve` at /v1/logo (see conv_logo) */
};

struct pdv_id_document {
	bool present;
	struct pdv_pos pos;
	struct pdv_str ask;       /* reasonable-doubt | always | never */
	struct pdv_str retention; /* a retention span */
};

/* how a person exercises one right (rights.withdraw, rights.object): the
 * channels and, for each, where; an address not given here is the
 * controller's (its DPO's, then its own) */
struct pdv_right_way {
	bool present;
	struct pdv_pos pos;
	struct pdv_strlist channels; /* email, post, web, phone, in-person */
	struct pdv_str email;
	struct pdv_str address; /* postal */
	struct pdv_str phone;
	struct pdv_str url; /* a page of the controller's own (web) */
};

/* rights.limits[]: a right the policy offers only in part, as it says it:
 * to some holders, for some bases or activities, in some cases (extension
 * key). The linter says whether the law allows the limit. */
struct pdv_right_limit {
	struct pdv_pos pos;
	struct pdv_str right;          /* access, rectification, ... (as rights.exclude) */
	struct pdv_strlist holders;    /* who may exercise it: data-subject, companies */
	struct pdv_strlist bases;      /* offered only for activities on these bases */
	struct pdv_strlist activities; /* offered only for these activities */
	struct pdv_text cases;         /* the policy's own conditions, quoted */
};

struct pdv_rights {
	bool present;
	struct pdv_pos pos;
	struct pdv_strlist channels; /* email, post, web, phone, in-person */
	struct pdv_str response;     /* duration, Art. 12(3) */
	struct pdv_str extension;    /* duration */
	struct pdv_id_document id_document;
	struct pdv_str suppression; /* duration */
	/* rights the controller says it does not offer (extension key), e.g.
	 * [restriction, portability]: the linter checks whether it may */
	struct pdv_strlist exclude;
	struct pdv_right_way withdraw; /* Art. 7(3): how consent is withdrawn */
	struct pdv_right_way object;   /* Art. 21(4): the right to object, stated on its own */
	size_t n_limits;               /* rights.limits (extension key) */
	struct pdv_right_limit *limits;
	struct pdv_pos limits_pos;
};

struct pdv_role {
	struct pdv_pos pos;
	struct pdv_str id;
	struct pdv_text name;
};

struct pdv_recipient {
	struct pdv_pos pos;
	struct pdv_str id;
	struct pdv_text name;
	struct pdv_str role; /* processor | joint-controller | controller | authority */
	struct pdv_text service;
	struct pdv_str country; /* ISO 3166 alpha-2, where the data is processed */
	/* several places (extension key): ISO codes, EEA (somewhere in the EEA)
	 * or elsewhere (a place outside the EEA the policy does not name):
	 * "mainly in the EU" is [EEA, elsewhere]; transfer rules use each */
	struct pdv_strlist countries;
	struct pdv_str safeguard;    /* adequacy | dpf | scc | bcr | art49 | none */
	struct pdv_bool tia;         /* transfer impact assessment done (extension key) */
	struct pdv_bool contract;    /* Art. 28 / Art. 26 arrangement */
	struct pdv_str retention;    /* a retention span, optional */
	struct pdv_str webhook;      /* Art. 19 notices, POSTed and signed */
	struct pdv_str notify_email; /* Art. 19 notices by email, without a webhook */
};

struct pdv_field {
	struct pdv_pos pos;
	struct pdv_str name;
	struct pdv_str category; /* fideslang data-category key */
	struct pdv_str type;     /* text (default) | email | phone | date | number | file */
	struct pdv_bool required;
	struct pdv_str lookup; /* email | phone */
	struct pdv_bool keep_anonymised;
	struct pdv_str max_length; /* optional integer, as written (extension key) */
};

struct pdv_consent_decl {
	bool present;
	struct pdv_pos pos;
	struct pdv_str version;
	struct pdv_text text;
	struct pdv_bool double_opt_in;
	struct pdv_bool pre_ticked; /* the box is ticked by default (extension key) */
	struct pdv_bool parental;   /* parental co-consent under 15 (extension key) */
};

struct pdv_renew {
	bool present;
	struct pdv_pos pos;
	struct pdv_str wait;    /* duration */
	struct pdv_str silence; /* end | keep */
};

struct pdv_retention_decl {
	bool present;
	struct pdv_pos pos;
	struct pdv_str active; /* a span (see pdv/retention.h); written as a scalar
	                        * `retention: "..."`, the whole value lands here */
	struct pdv_str
	    archive; /* a duration (counted from the end of the active phase), optional */
	struct pdv_text archive_reason; /* why the archive is kept (extension key) */
	/* delete | anonymise | a choice of them: `end: [delete, anonymise]` loads
	 * the list in end_choice and, for every reader of `end`, "delete or
	 * anonymise" here; the policy's words ("deleted or kept after having
	 * been anonymised") load as written (pdv_end_names reads both) */
	struct pdv_str end;
	struct pdv_strlist end_choice;
	struct pdv_renew renew;
	struct pdv_strlist early;
	/* the retention applies only when this holds ("a consumer contract of
	 * 120 euros or more"), as the policy words it (extension key) */
	struct pdv_text condition;
};

struct pdv_dpia {
	bool present;
	struct pdv_pos pos;
	struct pdv_bool done;
	struct pdv_str ref;
};

/* source: "data-subject", or {third-party: TEXT} (Art. 14) */
struct pdv_source {
	bool present;
	struct pdv_pos pos;
	struct pdv_str kind; /* "data-subject" when written as a scalar */
	struct pdv_text third_party;
	/* Art. 14(3): when the person is told: a duration (1mo at most),
	 * first-contact or disclosure, or the policy's words (extension key) */
	struct pdv_str informed_within;
};

/* basis_elsewhere[]: a basis the policy gives the same activity in another
 * place (a later section, another table), as it says it (extension key) */
struct pdv_basis_place {
	struct pdv_pos pos;
	struct pdv_str basis;
	struct pdv_text where; /* the place, quoted: "section 7.1" */
};

/* automated_decision: false, or {logic:, safeguards:, human_review:} */
struct pdv_automated {
	bool present;
	struct pdv_pos pos;
	bool is_false; /* written `false` */
	struct pdv_text logic;
	struct pdv_text safeguards;
	struct pdv_bool human_review; /* extension key */
	struct pdv_bool significant;  /* legal or similar effect; default true (extension key) */
};

/* cctv: {open_to_public: bool} — marks video surveillance (extension key) */
struct pdv_cctv {
	bool present;
	struct pdv_pos pos;
	struct pdv_bool open_to_public;
};

struct pdv_activity {
	struct pdv_pos pos;
	struct pdv_str id;
	struct pdv_text name;
	struct pdv_textlist purposes;
	struct pdv_strlist basis; /* a scalar loads as a list of one */
	struct pdv_text basis_detail;
	/* the bases the policy states in other places (extension key): one that
	 * `basis` lacks is basis-consistency */
	size_t n_basis_elsewhere;
	struct pdv_basis_place *basis_elsewhere;
	struct pdv_pos basis_elsewhere_pos;
	struct pdv_bool balancing_test; /* LI balancing test documented (extension key) */
	struct pdv_strlist subjects;
	struct pdv_str audience; /* b2b | b2c */
	struct pdv_dpia dpia;
	struct pdv_strlist uses;
	struct pdv_source source;
	size_t n_fields;
	struct pdv_field *fields;
	struct pdv_pos fields_pos;
	bool fields_present;
	struct pdv_consent_decl consent;
	struct pdv_retention_decl retention;
	struct pdv_strlist access;
	struct pdv_strlist archive_access;
	struct pdv_strlist recipients;
	struct pdv_automated automated_decision;
	struct pdv_str special_category; /* "9-2-a".."9-2-j", or "lil-46" for criminal data */
	/* extension keys */
	struct pdv_bool large_scale;
	struct pdv_text profiling;   /* evaluation or scoring of the person (assessment tests) */
	struct pdv_bool soft_opt_in; /* existing customers, similar products (L34-5) */
	struct pdv_bool unsubscribe; /* each message carries an unsubscribe link */
	struct pdv_str sector;       /* e.g. cpf-training, energy-renovation, home-adaptation */
	struct pdv_cctv cctv;
	struct pdv_str note; /* free comment kept with the declaration, never rendered */
};

struct pdv_banner {
	bool present;
	struct pdv_pos pos;
	struct pdv_bool reject_button;
	struct pdv_bool blocks_until_accept;
};

struct pdv_tracker {
	struct pdv_pos pos;
	struct pdv_str name;
	struct pdv_str recipient;
	struct pdv_text purpose;
	struct pdv_str lifetime; /* duration, or "session" */
	struct pdv_str consent;  /* required | exempt */
	struct pdv_str
	    category; /* necessary | audience | functional | advertising | social (extension key) */
	struct pdv_str data_lifetime;     /* how long the collected data is kept (extension key) */
	struct pdv_bool renewed_on_visit; /* extension key */
};

/* a consent receipt proves a choice while it is in force and for the time a
 * claim about it can still be brought: 5 years, the limitation of civil
 * actions (C. civ. art. 2224) */
#define PDV_COOKIE_PROOF_RETENTION_DEFAULT "5y"

struct pdv_cookies {
	bool present;
	struct pdv_pos pos;
	struct pdv_str consent_lifetime;
	struct pdv_str refusal_lifetime; /* extension key */
	/* how long a consent receipt is kept (extension key; unset:
	 * PDV_COOKIE_PROOF_RETENTION_DEFAULT) */
	struct pdv_str proof_retention;
	struct pdv_banner banner;
	size_t n_trackers;
	struct pdv_tracker *trackers;
	struct pdv_pos trackers_pos;
};

/* transfers: what the notice claims about transfers (extension key) */
struct pdv_transfers {
	bool present;
	struct pdv_pos pos;
	struct pdv_bool outside_eea;     /* the notice's claim */
	struct pdv_text safeguards_copy; /* how to obtain a copy of the safeguards */
};

/* every scalar that holds text for people, in document order (for the
 * placeholder rule and for language coverage) */
struct pdv_scalar_ref {
	const char *s;
	struct pdv_pos pos;
	const char *key; /* the key path, e.g. "activities[2].purposes[0].fr" */
};

struct pdv_decl {
	const char *file;       /* as given to the loader */
	struct pdv_str version; /* `pdvault:` as written */
	struct pdv_controller controller;
	struct pdv_rights rights;
	struct pdv_textlist security;
	size_t n_roles;
	struct pdv_role *roles;
	struct pdv_pos roles_pos;
	size_t n_recipients;
	struct pdv_recipient *recipients;
	struct pdv_pos recipients_pos;
	size_t n_activities;
	struct pdv_activity *activities;
	struct pdv_pos activities_pos;
	bool activities_present;
	struct pdv_cookies cookies;
	struct pdv_transfers transfers;
	size_t n_scalars;
	struct pdv_scalar_ref *scalars;
	void *arena; /* private */
};

/*
 * Load a declaration from a file or from memory. `file` names the source in
 * error messages and positions. On failure *ret is untouched and err has the
 * position and a message naming the key at fault.
 */
int pdv_decl_load_file(const char *path, struct pdv_decl **ret, struct pdv_error *err) PDV_WUR;
int pdv_decl_load_mem(const char *file, const char *data, size_t len, struct pdv_decl **ret,
                      struct pdv_error *err) PDV_WUR;
void pdv_decl_free(struct pdv_decl *d);

/* Text in a language: the map's value for lang, else the plain string, else
 * the first language given; NULL when the text is absent. */
const char *pdv_text_get(const struct pdv_text *t, const char *lang);
/* Does the text exist in lang (a map entry for it, or a plain string)? */
bool pdv_text_has(const struct pdv_text *t, const char *lang);

/* lookups by id; NULL when absent */
const struct pdv_activity *pdv_decl_activity(const struct pdv_decl *d, const char *id);
const struct pdv_recipient *pdv_decl_recipient(const struct pdv_decl *d, const char *id);
const struct pdv_role *pdv_decl_role(const struct pdv_decl *d, const char *id);

/* the languages of the declaration: controller.languages, or {"en"} */
size_t pdv_decl_languages(const struct pdv_decl *d, const char **ret, size_t max);
/* "MM-DD" financial-year end (default 12-31) */
int pdv_decl_fy_end(const struct pdv_decl *d, int *ret_month, int *ret_day);

/* strlist contains (exact) */
bool pdv_strlist_has(const struct pdv_strlist *l, const char *s);

/* ---- reference data ---------------------------------------------------- */

/* built-in supervisory authorities ("cnil"); NULL when unknown */
struct pdv_authority_info {
	const char *id;
	const char *name_en;
	const char *name_fr;
	const char *address;
	const char *url;
	const char *complaint_url;
};
const struct pdv_authority_info *pdv_authority_builtin(const char *id);

/* ISO 3166 alpha-2 codes, upper case. */
bool pdv_country_valid(const char *code); /* a known code */
bool pdv_country_in_eu(const char *code);
bool pdv_country_in_eea(const char *code); /* EU + IS, LI, NO */
/* Commission adequacy decision in force (Art. 45); for "US" only via the
 * Data Privacy Framework, so this returns false for US */
bool pdv_country_adequate(const char *code);
/* English or French short name, or the code itself when unknown */
const char *pdv_country_name(const char *code, const char *lang);

/* ---- taxonomy --------------------------------------------------------- */

/*
 * The fideslang taxonomy (CC BY 4.0, Ethyca; see data/taxonomy/fideslang) is
 * compiled into the binary, with pdvault's extension keys under the prefix
 * "pdv." (docs/declaration.md lists them).
 */
enum pdv_taxonomy {
	PDV_TAX_CATEGORY = 0, /* data categories */
	PDV_TAX_USE,          /* data uses */
	PDV_TAX_SUBJECT,      /* data subjects */
};

struct pdv_taxon {
	const char *key;
	const char *name;    /* English name */
	const char *name_fr; /* French name, or NULL */
	const char *parent;  /* parent key or NULL */
};

const struct pdv_taxon *pdv_taxonomy_find(enum pdv_taxonomy t, const char *key);
size_t pdv_taxonomy_count(enum pdv_taxonomy t);
const struct pdv_taxon *pdv_taxonomy_at(enum pdv_taxonomy t, size_t i);
/*
 * Is key equal to ancestor or below it ("marketing.communications.email" is
 * under "marketing")? An extension key "pdv.X" is also under the fideslang
 * ancestor its rest names ("pdv.marketing.communications.phone" is under
 * "marketing").
 */
bool pdv_taxonomy_under(const char *key, const char *ancestor);
/* Is the category special (Art. 9) or criminal (Art. 10)? */
bool pdv_category_is_special(const char *key);
bool pdv_category_is_criminal(const char *key);

#endif
