/*
 * render/i18n.h — the words of the renderers, in English and French.
 *
 * Everything a notice or a register says about a closed-list value of the
 * declaration (a legal basis, a recipient role, a transfer safeguard, a
 * right, a channel...) is looked up here, so the notice and the register use
 * the same words. Lookups return static strings; NULL means "not a value of
 * the list": callers then print the declared value as written, escaped.
 *
 * lang is "fr" for French; anything else is English (the renderers refuse
 * other languages before they get here).
 */
#ifndef PDV_RENDER_I18N_H
#define PDV_RENDER_I18N_H

#include <stdbool.h>
#include <stddef.h>

#include "pdv/decl.h"

bool pdv_i18n_is_fr(const char *lang);
/* the French or the English string, by lang */
const char *pdv_i18n_pick(const char *lang, const char *en, const char *fr);

/* "not stated" / "non précisé" */
const char *pdv_i18n_not_stated(const char *lang);

/*
 * A legal basis of Art. 6(1): long = words for the public ("your consent"),
 * short = the register's name ("Consent"). NULL for an unknown basis.
 */
const char *pdv_i18n_basis(const char *basis, const char *lang, bool long_form);
/* "Art. 6(1)(a) GDPR" / "art. 6.1.a du RGPD"; NULL for an unknown basis */
const char *pdv_i18n_basis_article(const char *basis, const char *lang);

const char *pdv_i18n_recipient_role(const char *role, const char *lang);
const char *pdv_i18n_safeguard(const char *safeguard, const char *lang);
const char *pdv_i18n_channel(const char *channel, const char *lang);
/* an Art. 9(2) condition ("9-2-a") or "lil-46" */
const char *pdv_i18n_special_condition(const char *cond, const char *lang);
const char *pdv_i18n_tracker_consent(const char *consent, const char *lang);
const char *pdv_i18n_tracker_category(const char *category, const char *lang);

/* The rights of Chapter III (and the French post-mortem directives). */
enum pdv_right {
	PDV_RIGHT_ACCESS = 0,
	PDV_RIGHT_RECTIFICATION,
	PDV_RIGHT_ERASURE,
	PDV_RIGHT_RESTRICTION,
	PDV_RIGHT_NOTIFICATION,
	PDV_RIGHT_PORTABILITY,
	PDV_RIGHT_OBJECTION,
	PDV_RIGHT_OBJECTION_MARKETING,
	PDV_RIGHT_WITHDRAWAL,
	PDV_RIGHT_AUTOMATED,
	PDV_RIGHT_POST_MORTEM,
	PDV_RIGHT_COUNT_,
};

/* the key used in rights.exclude ("access", "portability"...) */
const char *pdv_i18n_right_key(enum pdv_right r);
const char *pdv_i18n_right_title(enum pdv_right r, const char *lang);
/* what the right lets the person do, in one or two sentences */
const char *pdv_i18n_right_text(enum pdv_right r, const char *lang);

/*
 * Taxonomy key to a human name in lang (name_fr, else the English name);
 * NULL when the key is not in the taxonomy.
 */
const char *pdv_i18n_taxon(enum pdv_taxonomy t, const char *key, const char *lang);

/*
 * A duration of the declaration ("1mo", "3y", "session") in words ("1 month",
 * "3 ans"). false when s is not a duration: the caller prints s as written.
 */
bool pdv_i18n_duration(const char *s, const char *lang, char *buf, size_t size);

/*
 * A retention span ("1y from request-closed") in words; false when it does
 * not parse (buf then holds nothing useful).
 */
bool pdv_i18n_span(const char *s, const char *lang, char *buf, size_t size);

#endif
