/*
 * answer.h — what every resource's handlers share to read a job and write
 * its answer (answer.c). The answers themselves (srv_json, srv_error,
 * srv_fail) and job_release are in server.h: the connection threads and the
 * worker use them too.
 *
 * Private to src/http/. What comes back is borrowed unless it is a json_t *,
 * which is a new reference for the caller to hand on or decref.
 */
#ifndef PDV_HTTP_ANSWER_H
#define PDV_HTTP_ANSWER_H

#include <stdbool.h>

#include <jansson.h>

#include "pdv/render.h"
#include "pdv/time.h"
#include "server.h"

/* t as "YYYY-MM-DDTHH:MM:SSZ" */
json_t *time_json(pdv_time_t t);
/* v, or null when it is NULL or "" */
json_t *str_or_null(const char *v);
/* the string member key of the JSON body, or NULL (absent, or not a string) */
const char *body_str(const struct job *j, const char *key);
/* lang when the renderers know it, else the declaration's language */
const char *lang_of(struct srv *s, const char *lang);
/* the language of a person's messages: the body's "lang", else what the
 * request's Accept-Language prefers (fr or en), else NULL (the declaration's
 * first) */
const char *person_lang(const struct job *j);
/* the format a query names (def when none), if it is among allowed, a mask
 * of 1u << enum pdv_format; false for an unknown or refused name */
bool format_of(const char *name, enum pdv_format def, unsigned allowed, enum pdv_format *ret);
/* the Content-Type and the file extension of a document in format f */
const char *ctype_of(enum pdv_format f);
const char *ext_of(enum pdv_format f);

#endif
