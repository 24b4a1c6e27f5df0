/*
 * pdv/render.h — documents written from the declaration: the privacy notice
 * (Art. 13/14) and the register of processing activities (Art. 30(1)).
 *
 * Renderers are pure: they read a loaded declaration and append to a buffer.
 * HTML output is one standalone accessible page (lang attribute, headings,
 * table headers, a print stylesheet) with every declared text escaped.
 * Languages: "en" and "fr"; a text missing in the asked language falls back
 * as pdv_text_get says.
 */
#ifndef PDV_RENDER_H
#define PDV_RENDER_H

#include "pdv/buf.h"
#include "pdv/decl.h"
#include "pdv/error.h"

enum pdv_format {
	PDV_FORMAT_MD = 0,
	PDV_FORMAT_HTML,
	PDV_FORMAT_CSV,
	PDV_FORMAT_JSON,
};

int pdv_format_parse(const char *s, enum pdv_format *ret);
const char *pdv_format_name(enum pdv_format f);

/* Is lang a language the renderers write ("en", "fr")? */
bool pdv_render_lang_supported(const char *lang);

/* The privacy notice, md or html. */
int pdv_render_notice(const struct pdv_decl *d, const char *lang, enum pdv_format fmt,
		      struct pdv_buf *out, struct pdv_error *err) PDV_WUR;

/* The Art. 30 register, csv, json, md or html. */
int pdv_render_register(const struct pdv_decl *d, const char *lang, enum pdv_format fmt,
			struct pdv_buf *out, struct pdv_error *err) PDV_WUR;


#endif
