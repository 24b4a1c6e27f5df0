/*
 * template.c — the templates of the messages pdvault sends: the compiled-in
 * defaults, a folder of overrides, the {{name}} parser and the renderer.
 *
 * Owns: the kinds and the placeholders each allows, the file format
 * ("Subject: ..." line, empty line, body for .txt; the body for .html).
 *
 * Invariants:
 *  - a template set is checked whole at load: every {{...}} names a
 *    placeholder of its kind, so rendering can only fail for a missing or
 *    malformed value, never for the template;
 *  - a template is parsed once into segments (literal text, or the index of
 *    a placeholder); rendering copies, escaping values for HTML;
 *  - every file is at most PDV_TEMPLATE_MAX bytes of valid UTF-8; rendered
 *    text goes into secret buffers (a code, a name in a value is personal
 *    data);
 *  - messages name the file and line, and the placeholder, never a value.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "delivery-internal.h"
#include "pdv/crypto.h"

#define NAME_MAX_LEN 32
#define COMMON_NAMES "controller", "dpo_contact"

static const char *const LANGS[] = {"en", "fr"};
#define N_LANGS 2
enum format { FMT_TXT = 0, FMT_HTML = 1 };
static const char *const EXTS[] = {"txt", "html"};

static const struct kind_def {
	const char *name;
	const char *const names[16];
} KINDS[PDV_TPL_KIND_COUNT] = {
    [PDV_TPL_VERIFICATION] = {"verification", {COMMON_NAMES, "code", "minutes"}},
    [PDV_TPL_CONFIRMATION] = {"confirmation", {COMMON_NAMES, "code", "link", "minutes", "purpose"}},
    [PDV_TPL_ACKNOWLEDGEMENT] = {"acknowledgement",
                                 {COMMON_NAMES, "reference", "request", "received", "due",
                                  "status_link"}},
    [PDV_TPL_EXTENSION] = {"extension",
                           {COMMON_NAMES, "reference", "request", "due", "reasons", "status_link"}},
    [PDV_TPL_REFUSAL] = {"refusal",
                         {COMMON_NAMES, "reference", "request", "reasons", "authority",
                          "authority_link"}},
    [PDV_TPL_ACCESS_ANSWER] = {"access-answer", {COMMON_NAMES, "reference", "link", "expires"}},
    [PDV_TPL_RENEWAL] = {"renewal", {COMMON_NAMES, "purpose", "link", "deadline"}},
    [PDV_TPL_BREACH_NOTICE] = {"breach-notice",
                               {COMMON_NAMES, "nature", "consequences", "measures", "dpo_name"}},
    [PDV_TPL_RECIPIENT_NOTICE] = {"recipient-notice",
                                  {COMMON_NAMES, "recipient", "action", "record", "activity",
                                   "message_id"}},
    [PDV_TPL_DPO_DIGEST] = {"dpo-digest", {COMMON_NAMES, "due_soon", "overdue", "link"}},
    [PDV_TPL_NOTHING_HELD] = {"nothing-held", {COMMON_NAMES, "reference", "request", "received"}},
    [PDV_TPL_ERASURE_ANSWER] = {"erasure-answer",
                                {COMMON_NAMES, "reference", "request", "received", "status_link",
                                 "keys_link"}},
    [PDV_TPL_DPO_BREACH_ALERT] = {"dpo-breach-alert",
                                  {COMMON_NAMES, "breach", "recorded", "deadline", "hours_left",
                                   "link"}},
    [PDV_TPL_STAFF_INVITATION] = {"staff-invitation",
                                  {COMMON_NAMES, "name", "role", "link", "expires"}},
};

/* a run of literal text, or (var >= 0) the kind's placeholder number var */
struct seg {
	size_t off, len;
	int var;
};

struct part {
	struct seg *segs;
	size_t n;
};

struct tpl {
	char *src;           /* owned copy of the file */
	struct part subject; /* .txt only */
	struct part body;
};

struct pdv_templates {
	struct tpl t[PDV_TPL_KIND_COUNT][N_LANGS][2];
};

const char *pdv_template_kind_name(enum pdv_template_kind k)
{
	return (unsigned)k < PDV_TPL_KIND_COUNT ? KINDS[k].name : "?";
}

int pdv_template_kind_parse(const char *s, enum pdv_template_kind *ret_kind)
{
	for (int k = 0; k < PDV_TPL_KIND_COUNT; k++)
		if (strcmp(KINDS[k].name, s) == 0) {
			*ret_kind = (enum pdv_template_kind)k;
			return 0;
		}
	return PDV_E_NOTFOUND;
}

const char *const *pdv_template_names(enum pdv_template_kind k)
{
	return KINDS[k].names;
}

static int name_index(enum pdv_template_kind k, const char *s, size_t n)
{
	for (int i = 0; KINDS[k].names[i]; i++)
		if (strlen(KINDS[k].names[i]) == n && memcmp(KINDS[k].names[i], s, n) == 0)
			return i;
	return -1;
}

static void tpl_release(struct tpl *t)
{
	free(t->src);
	free(t->subject.segs);
	free(t->body.segs);
	memset(t, 0, sizeof(*t));
}

/* the line number of offset off in src */
static uint32_t line_of(const char *src, size_t off)
{
	uint32_t line = 1;

	for (size_t i = 0; i < off; i++)
		line += src[i] == '\n';
	return line;
}

static int seg_add(struct part *p, size_t *cap, size_t off, size_t len, int var)
{
	if (p->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;
		struct seg *s = realloc(p->segs, ncap * sizeof(*s));

		if (!s)
			return PDV_E_NOMEM;
		p->segs = s;
		*cap = ncap;
	}
	p->segs[p->n++] = (struct seg){off, len, var};
	return 0;
}

/* Parse src[from, to) into p. */
static int parse_part(const char *file, enum pdv_template_kind k, const char *src, size_t from,
                      size_t to, struct part *p, struct pdv_error *err)
{
	size_t cap = 0, lit = from, i = from;
	int rc;

	while (i < to) {
		if (!(src[i] == '{' && i + 1 < to && src[i + 1] == '{')) {
			i++;
			continue;
		}
		size_t name = i + 2, e = name;
		while (e < to && e - name <= NAME_MAX_LEN &&
		       ((src[e] >= 'a' && src[e] <= 'z') || src[e] == '_'))
			e++;
		int var = -1;
		const char *why = NULL;
		if (e == name || e - name > NAME_MAX_LEN || e + 1 >= to || src[e] != '}' ||
		    src[e + 1] != '}')
			why = "a placeholder is written {{name}}, name in [a-z_]+";
		else if ((var = name_index(k, src + name, e - name)) < 0)
			why = "unknown placeholder";
		if (why) {
			struct pdv_pos pos = {line_of(src, i), 0};

			if (var < 0 && e > name && e + 1 < to && src[e] == '}' && src[e + 1] == '}')
				return pdv_error_set_at(
				    err, PDV_E_PARSE, file, pos,
				    "%s:%u: unknown placeholder {{%.*s}} for %s", file, pos.line,
				    (int)(e - name), src + name, KINDS[k].name);
			return pdv_error_set_at(err, PDV_E_PARSE, file, pos, "%s:%u: %s", file,
			                        pos.line, why);
		}
		if ((i > lit && (rc = seg_add(p, &cap, lit, i - lit, -1)) < 0) ||
		    (rc = seg_add(p, &cap, 0, 0, var)) < 0)
			return pdv_error_set(err, rc, "out of memory");
		i = lit = e + 2;
	}
	if (to > lit && (rc = seg_add(p, &cap, lit, to - lit, -1)) < 0)
		return pdv_error_set(err, rc, "out of memory");
	return 0;
}

/* Parse a template file's text (copied) into t. */
static int tpl_parse(const char *file, enum pdv_template_kind k, enum format f, const char *text,
                     size_t len, struct tpl *t, struct pdv_error *err)
{
	static const char SUBJECT[] = "Subject: ";
	int rc;

	memset(t, 0, sizeof(*t));
	if (len > PDV_TEMPLATE_MAX)
		return pdv_error_set(err, PDV_E_LIMIT, "%s: larger than %zu bytes", file,
		                     PDV_TEMPLATE_MAX);
	if (!pdv_utf8_valid(text, len) || memchr(text, '\0', len))
		return pdv_error_set(err, PDV_E_INVAL, "%s: not UTF-8 text", file);
	if (!(t->src = malloc(len + 1)))
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	memcpy(t->src, text, len);
	t->src[len] = '\0';
	if (f == FMT_HTML) {
		rc = parse_part(file, k, t->src, 0, len, &t->body, err);
		goto out;
	}
	/* "Subject: ..." then an empty line: LF or CRLF */
	const char *nl = memchr(t->src, '\n', len);
	size_t s_end = nl ? (size_t)(nl - t->src) : len;
	size_t body = s_end + 1;
	if (s_end && t->src[s_end - 1] == '\r')
		s_end--;
	if (body < len && t->src[body] == '\r')
		body++;
	if (len < sizeof(SUBJECT) || memcmp(t->src, SUBJECT, sizeof(SUBJECT) - 1) != 0 ||
	    s_end <= sizeof(SUBJECT) - 1 || !nl || body >= len || t->src[body] != '\n') {
		rc = pdv_error_set_at(err, PDV_E_PARSE, file, (struct pdv_pos){1, 1},
		                      "%s:1: a text template starts with a line \"Subject: ...\" "
		                      "and an empty line",
		                      file);
		goto out;
	}
	if ((rc = parse_part(file, k, t->src, sizeof(SUBJECT) - 1, s_end, &t->subject, err)) < 0)
		goto out;
	rc = parse_part(file, k, t->src, body + 1, len, &t->body, err);
out:
	if (rc < 0)
		tpl_release(t);
	return rc;
}

/* "KIND.LANG.EXT" -> its kind, language and format; false when it names none */
static bool parse_name(const char *name, enum pdv_template_kind *k, int *lang, enum format *f)
{
	const char *dot1 = strchr(name, '.'), *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
	char kind[32];

	if (!dot1 || !dot2 || (size_t)(dot1 - name) >= sizeof(kind))
		return false;
	memcpy(kind, name, (size_t)(dot1 - name));
	kind[dot1 - name] = '\0';
	if (pdv_template_kind_parse(kind, k) < 0)
		return false;
	*lang = -1;
	for (int l = 0; l < N_LANGS; l++)
		if (dot2 - dot1 - 1 == 2 && memcmp(dot1 + 1, LANGS[l], 2) == 0)
			*lang = l;
	if (*lang < 0)
		return false;
	if (strcmp(dot2 + 1, "txt") == 0)
		*f = FMT_TXT;
	else if (strcmp(dot2 + 1, "html") == 0)
		*f = FMT_HTML;
	else
		return false;
	return true;
}

int pdv_template_check(const char *name, const char *text, size_t len, struct pdv_error *err)
{
	enum pdv_template_kind k;
	enum format f;
	struct tpl t;
	int lang, rc;

	if (!parse_name(name, &k, &lang, &f))
		return pdv_error_set(err, PDV_E_INVAL, "%s: names no template", name);
	if ((rc = tpl_parse(name, k, f, text, len, &t, err)) == 0)
		tpl_release(&t);
	return rc;
}

void pdv_templates_free(struct pdv_templates *set)
{
	if (!set)
		return;
	for (int k = 0; k < PDV_TPL_KIND_COUNT; k++)
		for (int l = 0; l < N_LANGS; l++)
			for (int f = 0; f < 2; f++)
				tpl_release(&set->t[k][l][f]);
	free(set);
}

static int read_file(const char *path, struct pdv_buf *b, struct pdv_error *err)
{
	char chunk[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return pdv_error_set(err, PDV_E_IO, "%s: %s", path, strerror(errno));
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if ((rc = pdv_buf_append(b, chunk, (size_t)n)) < 0)
			break;
	if (n < 0)
		rc = pdv_error_set(err, PDV_E_IO, "%s: %s", path, strerror(errno));
	else if (rc == PDV_E_LIMIT)
		rc = pdv_error_set(err, rc, "%s: larger than %zu bytes", path, PDV_TEMPLATE_MAX);
	else if (rc < 0)
		rc = pdv_error_set(err, rc, "out of memory");
	close(fd);
	return rc;
}

static int load_dir(struct pdv_templates *set, const char *dir, struct pdv_error *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int rc = 0;

	if (!d)
		return pdv_error_set(err, PDV_E_IO, "templates folder %s: %s", dir,
		                     strerror(errno));
	while (rc == 0 && (e = readdir(d))) {
		const char *ext = strrchr(e->d_name, '.');
		enum pdv_template_kind k;
		enum format f;
		int lang;
		char path[4096];
		struct pdv_buf b;
		struct tpl t;

		if (e->d_name[0] == '.' || !ext || (strcmp(ext, ".txt") && strcmp(ext, ".html")))
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path)) {
			rc = pdv_error_set(err, PDV_E_LIMIT, "templates folder %s: a name too long",
			                   dir);
			break;
		}
		if (!parse_name(e->d_name, &k, &lang, &f)) {
			rc =
			    pdv_error_set(err, PDV_E_INVAL,
			                  "%s: names no template (KIND.LANG.txt or KIND.LANG.html, "
			                  "LANG en or fr)",
			                  path);
			break;
		}
		pdv_buf_init(&b, PDV_TEMPLATE_MAX);
		if ((rc = read_file(path, &b, err)) == 0 &&
		    (rc = tpl_parse(path, k, f, b.data ? b.data : "", b.len, &t, err)) == 0) {
			tpl_release(&set->t[k][lang][f]);
			set->t[k][lang][f] = t;
		}
		pdv_buf_release(&b);
	}
	closedir(d);
	return rc;
}

int pdv_templates_load(const char *dir, struct pdv_templates **ret_set, struct pdv_error *err)
{
	struct pdv_templates *set = calloc(1, sizeof(*set));
	int rc = 0;

	if (!set)
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	for (size_t i = 0; i < dlv_template_files_n && rc == 0; i++) {
		const struct dlv_template_file *df = &dlv_template_files[i];
		enum pdv_template_kind k;
		enum format f;
		int lang;

		if (!parse_name(df->name, &k, &lang, &f))
			rc = pdv_error_set(err, PDV_E_INTERNAL, "%s: names no template", df->name);
		else
			rc = tpl_parse(df->name, k, f, df->data, df->len, &set->t[k][lang][f], err);
	}
	for (int k = 0; k < PDV_TPL_KIND_COUNT && rc == 0; k++)
		for (int l = 0; l < N_LANGS && rc == 0; l++)
			for (int f = 0; f < 2 && rc == 0; f++)
				if (!set->t[k][l][f].src)
					rc = pdv_error_set(err, PDV_E_INTERNAL,
					                   "no default template %s.%s.%s",
					                   KINDS[k].name, LANGS[l], EXTS[f]);
	if (rc == 0 && dir)
		rc = load_dir(set, dir, err);
	if (rc < 0) {
		pdv_templates_free(set);
		return rc;
	}
	*ret_set = set;
	return 0;
}

void pdv_rendered_release(struct pdv_rendered *r)
{
	pdv_buf_release(&r->subject);
	pdv_buf_release(&r->text);
	pdv_buf_release(&r->html);
}

static int render_part(const struct tpl *t, const struct part *p, enum pdv_template_kind k,
                       const char *const *vals, bool html, bool one_line, struct pdv_buf *out,
                       struct pdv_error *err)
{
	int rc = 0;

	for (size_t i = 0; i < p->n && rc == 0; i++) {
		const struct seg *s = &p->segs[i];

		if (s->var < 0) {
			rc = pdv_buf_append(out, t->src + s->off, s->len);
			continue;
		}
		const char *v = vals[s->var], *name = KINDS[k].names[s->var];
		if (!v) {
			pdv_error_field(err, name);
			return pdv_error_set(err, PDV_E_INVAL, "%s: no value for {{%s}}",
			                     KINDS[k].name, name);
		}
		if (one_line && strpbrk(v, "\r\n")) {
			pdv_error_field(err, name);
			return pdv_error_set(err, PDV_E_INVAL,
			                     "%s: {{%s}} is in the subject and has a line break",
			                     KINDS[k].name, name);
		}
		rc = html ? pdv_buf_put_html(out, v) : pdv_buf_puts(out, v);
	}
	if (rc < 0)
		return pdv_error_set(err, rc, "%s: the message is larger than its limit",
		                     KINDS[k].name);
	return 0;
}

int pdv_templates_render(const struct pdv_templates *set, enum pdv_template_kind kind,
                         const char *lang, const struct pdv_template_value *values, size_t n,
                         struct pdv_rendered *ret, struct pdv_error *err)
{
	const char *vals[16] = {0};
	int l = -1;

	pdv_buf_init(&ret->subject, PDV_MAIL_HEADER_MAX);
	pdv_buf_init(&ret->text, PDV_MAIL_MAX / 4);
	pdv_buf_init(&ret->html, PDV_MAIL_MAX / 4);
	pdv_buf_set_secret(&ret->subject);
	pdv_buf_set_secret(&ret->text);
	pdv_buf_set_secret(&ret->html);
	if ((unsigned)kind >= PDV_TPL_KIND_COUNT)
		return pdv_error_set(err, PDV_E_INVAL, "no such template kind");
	for (int i = 0; i < N_LANGS; i++)
		if (lang && strcmp(lang, LANGS[i]) == 0)
			l = i;
	if (l < 0) {
		pdv_error_field(err, "lang");
		return pdv_error_set(err, PDV_E_NOTFOUND,
		                     "lang: no templates in this language "
		                     "(en or fr)");
	}
	for (size_t i = 0; i < n; i++) {
		int at = name_index(kind, values[i].name, strlen(values[i].name));

		if (at < 0 || !values[i].value)
			continue; /* a value the template does not use */
		if (!pdv_utf8_valid(values[i].value, strlen(values[i].value))) {
			pdv_error_field(err, values[i].name);
			return pdv_error_set(err, PDV_E_INVAL, "%s: not valid UTF-8",
			                     values[i].name);
		}
		vals[at] = values[i].value;
	}
	const struct tpl *txt = &set->t[kind][l][FMT_TXT], *html = &set->t[kind][l][FMT_HTML];
	int rc;
	if ((rc = render_part(txt, &txt->subject, kind, vals, false, true, &ret->subject, err)) <
	        0 ||
	    (rc = render_part(txt, &txt->body, kind, vals, false, false, &ret->text, err)) < 0 ||
	    (rc = render_part(html, &html->body, kind, vals, true, false, &ret->html, err)) < 0)
		return rc;
	return 0;
}
