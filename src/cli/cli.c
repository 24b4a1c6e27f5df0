/*
 * cli.c — the output conventions shared by every command (see cli.h):
 * refusals and usage errors, JSON documents, declaration loading, the clock,
 * atomic writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "pdv/buf.h"

int cli_print_json(json_t *doc)
{
	char *s;

	if (!doc)
		return 3;
	s = json_dumps(doc, JSON_INDENT(2));
	json_decref(doc);
	if (!s)
		return 3;
	fputs(s, stdout);
	fputc('\n', stdout);
	free(s);
	return 0;
}

int cli_fail(const struct cli_global *g, const struct pdv_error *err)
{
	int rc = err->rc ? err->rc : PDV_E_INTERNAL;
	const char *msg = err->msg[0] ? err->msg : pdv_rc_code(rc);

	fprintf(stderr, "pdvault: %s: %s\n", g->command ? g->command : "pdvault", msg);
	if (g->json) {
		/* the message and the field may quote what the user typed, any bytes */
		json_t *e =
		    json_pack("{s:s, s:o}", "code", err->code[0] ? err->code : pdv_rc_code(rc),
		              "message", pdv_json_text(msg));
		if (e && err->field[0])
			json_object_set_new(e, "field", pdv_json_text(err->field));
		cli_print_json(json_pack("{s:o}", "error", e));
	}
	return pdv_rc_exit_status(rc);
}

int cli_usage_error(const struct cli_global *g, const char *fmt, ...)
{
	struct pdv_error err;
	va_list ap;

	pdv_error_clear(&err);
	va_start(ap, fmt);
	pdv_error_vset(&err, PDV_E_USAGE, fmt, ap);
	va_end(ap);
	return cli_fail(g, &err);
}

int cli_usage_fail(const struct cli_global *g)
{
	const char *usage = g->cmd->usage;

	return cli_usage_error(g, "usage: pdvault %s%s%s", g->cmd->name, usage[0] ? " " : "",
	                       usage);
}

int cli_usage_fail_verb(const struct cli_global *g, const char *verb)
{
	const char *p = g->cmd->usage;
	size_t vl = strlen(verb), name_len = strlen(g->cmd->name);

	/* the alternatives: "VERB ... | NAME VERB ... | NAME VERB ..." */
	for (;;) {
		const char *next = p;
		size_t len;

		while (
		    (next = strstr(next, " | ")) &&
		    !(strncmp(next + 3, g->cmd->name, name_len) == 0 && next[3 + name_len] == ' '))
			next += 3;
		len = next ? (size_t)(next - p) : strlen(p);
		if (len >= vl && strncmp(p, verb, vl) == 0 && (len == vl || p[vl] == ' '))
			return cli_usage_error(g, "usage: pdvault %s %.*s", g->cmd->name, (int)len,
			                       p);
		if (!next)
			return cli_usage_fail(g);
		p = next + 3 + name_len + 1;
	}
}

const char *cli_verb(int *argc, char ***argv)
{
	if (*argc < 2)
		return NULL;
	(*argc)--;
	(*argv)++;
	optind = 0;
	return (*argv)[0];
}

int cli_load_decl(const char *path, struct pdv_decl **ret, struct pdv_error *err)
{
	return pdv_decl_load_file(path, ret, err);
}

int cli_today(pdv_day_t *ret, struct pdv_error *err)
{
	pdv_time_t now;
	int r = pdv_clock_now(&now, err);

	if (r < 0)
		return r;
	*ret = pdv_time_day(now);
	return 0;
}

static int write_file(const char *path, const char *data, size_t len, mode_t mode,
                      struct pdv_error *err)
{
	char tmp[4096];
	int fd = -1, r = 0;
	size_t off = 0;

	if (!path || strcmp(path, "-") == 0) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0)
			return pdv_error_set(err, PDV_E_IO, "cannot write to standard output: %s",
			                     strerror(errno));
		return 0;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path) >= sizeof(tmp))
		return pdv_error_set(err, PDV_E_INVAL, "output path too long");
	/* mkstemp creates the file 0600: a private document is never
	 * readable by others, not even before the fchmod below */
	fd = mkstemp(tmp);
	if (fd < 0)
		return pdv_error_set(err, PDV_E_IO, "cannot create '%s': %s", path,
		                     strerror(errno));
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			r = pdv_error_set(err, PDV_E_IO, "cannot write '%s': %s", path,
			                  strerror(errno));
			goto out;
		}
		off += (size_t)w;
	}
	if (fchmod(fd, mode) < 0 || fsync(fd) < 0) {
		r = pdv_error_set(err, PDV_E_IO, "cannot write '%s': %s", path, strerror(errno));
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		r = pdv_error_set(err, PDV_E_IO, "cannot write '%s': %s", path, strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		r = pdv_error_set(err, PDV_E_IO, "cannot write '%s': %s", path, strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	if (r < 0)
		unlink(tmp);
	return r;
}

int cli_write_output(const char *path, const char *data, size_t len, struct pdv_error *err)
{
	return write_file(path, data, len, 0644, err);
}

int cli_write_private(const char *path, const char *data, size_t len, struct pdv_error *err)
{
	return write_file(path, data, len, 0600, err);
}

int cli_render_document(struct cli_global *g, int argc, char **argv,
                        const struct cli_render_spec *spec)
{
	static const struct option opts[] = {
	    {"lang", required_argument, NULL, 'l'},
	    {"format", required_argument, NULL, 'f'},
	    {"output", required_argument, NULL, 'o'},
	    {"json", no_argument, NULL, 'j'},
	    {NULL, 0, NULL, 0},
	};
	const char *lang = NULL, *format = NULL, *output = NULL;
	struct cli_vault *cv;
	struct pdv_buf out;
	struct pdv_error err;
	enum pdv_format fmt = spec->default_format;
	int c, status = 0;

	pdv_error_clear(&err);
	pdv_buf_init(&out, 0);
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			lang = optarg;
			break;
		case 'f':
			format = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'j':
			g->json = true;
			break;
		default:
			return cli_usage_fail(g);
		}
	}
	if (optind < argc)
		return cli_usage_error(g, "unexpected argument '%s'", argv[optind]);
	if (format) {
		if (pdv_format_parse(format, &fmt) < 0 || !(spec->formats & (1u << fmt)))
			return cli_usage_error(g, "unknown format '%s' for %s", format, g->command);
	} else if (g->json) {
		if (!(spec->formats & (1u << PDV_FORMAT_JSON)))
			return cli_usage_error(g, "%s has no JSON form; use --format", g->command);
		fmt = PDV_FORMAT_JSON;
	}
	if (lang && !pdv_render_lang_supported(lang))
		return cli_usage_error(g, "unsupported language '%s' (fr or en)", lang);
	if (pdv_format_binary(fmt) && !output)
		return cli_usage_error(g, "--format %s writes a file: give -o FILE", format);
	if (pdv_format_binary(fmt) && strcmp(output, "-") == 0 && isatty(STDOUT_FILENO))
		return cli_usage_error(g,
		                       "--format %s is binary: not written to a terminal; give "
		                       "-o FILE",
		                       format);
	if (cli_setup(g, &cv, &err) < 0)
		return cli_fail(g, &err);
	if (!lang)
		lang = pdv_render_default_lang(cv->decl);
	if (spec->render_on) {
		pdv_time_t now;

		if (pdv_clock_now(&now, &err) < 0 ||
		    spec->render_on(cv->decl, lang, fmt,
		                    pdv_controller_day(cv->decl->controller.country.s, now), &out,
		                    &err) < 0)
			status = cli_fail(g, &err);
	} else if (spec->render(cv->decl, lang, fmt, &out, &err) < 0) {
		status = cli_fail(g, &err);
	}
	if (status == 0 && (spec->private_file ? cli_write_private : cli_write_output)(
	                       output, out.data ? out.data : "", out.len, &err) < 0)
		status = cli_fail(g, &err);
	pdv_buf_release(&out);
	return status;
}
