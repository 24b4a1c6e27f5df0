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

#include <jansson.h>

json_t *pdv_json_text(const char *s);

/*
 * Make jansson wipe every block it frees (documents hold decrypted values:
 * an export, a subject shown). Blocks stay plain malloc blocks, so what
 * jansson returns (json_dumps) is still freed with free(). Call once, before
 * any other jansson call.
 */
void pdv_json_wipe_freed(void);

#endif
