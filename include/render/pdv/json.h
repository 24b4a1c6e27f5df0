/*
 * pdv/json.h — JSON strings that are always valid, for every document the
 * CLI writes (needs jansson).
 *
 * jansson refuses a string that is not UTF-8 (json_string() returns NULL), and
 * a NULL handed to json_pack() or json_array_append_new() silently drops the
 * value, or the whole document. A file name given on the command line, or an
 * error message quoting what the user typed, can be any bytes: pdv_json_text()
 * writes each invalid byte as U+FFFD, so the document keeps every value and
 * only its bytes change. A NULL s is JSON null; NULL only when memory runs
 * out.
 */
#ifndef PDV_JSON_H
#define PDV_JSON_H

#include <stdbool.h>

#include <jansson.h>

#include "pdv/buf.h"
#include "pdv/decl.h"
#include "pdv/error.h"

json_t *pdv_json_text(const char *s);

/*
 * Make jansson wipe every block it frees (documents hold decrypted values:
 * an export, a subject shown). Blocks stay plain malloc blocks, so what
 * jansson returns (json_dumps) is still freed with free(). Call once, before
 * any other jansson call.
 */
void pdv_json_wipe_freed(void);

/*
 * Cookie banners (banner.c): the configuration of one kit ("tarteaucitron",
 * "klaro", "orejime", "cookieconsent") from the declaration's `cookies`.
 *
 * The model is a JSON object: the kit, the language (fr | en), the
 * declaration's version as given, the lifetimes, the purposes (a tracker's
 * category; "required" when all its trackers are exempt; each tracker with
 * its kit id, "service") and "config", the kit's own configuration. Its
 * canonical form (keys sorted, no whitespace, UTF-8, as jansson writes
 * JSON_COMPACT | JSON_SORT_KEYS; a new string to free()) is what the
 * configuration's id hashes. The file a site loads is a function of the
 * model and its id alone: `window.pdvaultBanner` (what /v1/cookies/adapter.js
 * reads) and the lines that hand "config" to the kit. PDV_E_INVAL for an
 * unknown kit or language, or a declaration without trackers.
 */
bool pdv_banner_kit_known(const char *kit);
int pdv_render_banner_model(const struct pdv_decl *d, const char *kit, const char *lang,
                            const char *declaration, json_t **ret, struct pdv_error *err);
char *pdv_render_banner_canonical(const json_t *model);
int pdv_render_banner_js(const json_t *model, const char *id, struct pdv_buf *out,
                         struct pdv_error *err);

#endif
