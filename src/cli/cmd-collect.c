/*
 * cmd-collect.c — `pdvault collect ACTIVITY [--consent] [--source S]
 * [--lang fr|en] (FIELD=VALUE... | --stdin)`: store one submission (--lang:
 * the language of every message to the person, kept with them).
 *
 * --stdin reads a JSON object of fields ({"email": "...", ...}), so values
 * stay out of the shell history and the process list. Values are kept in
 * the arguments or the input buffer only; the engine seals them.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pdv/wipe.h"
#include "pdv/vault.h"

#define STDIN_MAX (16 * 1024 * 1024)

static json_t *load_stdin(json_error_t *je, struct pdv_error *err)
{
	size_t cap = 64 * 1024, n = 0, r;
	char *buf = pdv_secure_alloc(cap), *bigger;
	json_t *doc;

	if (!buf) {
		pdv_error_set(err, PDV_E_NOMEM, "out of memory");
		return NULL;
	}
	while ((r = fread(buf + n, 1, cap - n, stdin)) > 0) {
		n += r;
		if (n == cap) {
			if (cap >= STDIN_MAX) {
				pdv_secure_free(buf);
				pdv_error_set(err, PDV_E_INVAL,
				              "standard input is larger than %d MiB",
				              STDIN_MAX >> 20);
				return NULL;
			}
			if (!(bigger = pdv_secure_alloc(2 * cap))) {
				pdv_secure_free(buf);
				pdv_error_set(err, PDV_E_NOMEM, "out of memory");
				return NULL;
			}
			memcpy(bigger, buf, n);
			pdv_secure_free(buf);
			buf = bigger;
			cap *= 2;
		}
	}
	doc = json_loadb(buf, n, JSON_REJECT_DUPLICATES, je);
	pdv_secure_free(buf);
	if (!doc)
		pdv_error_set(err, PDV_E_INVAL,
		              "standard input is not a JSON object of fields (line %d, column %d)",
		              je->line, je->column);
	return doc;
}

static int from_stdin(struct pdv_input_field **ret, size_t *ret_n, json_t **ret_doc,
                      struct pdv_error *err)
{
	json_error_t je;
	json_t *doc = load_stdin(&je, err);
	struct pdv_input_field *f;
	const char *key;
	json_t *val;
	size_t n = 0;

	if (!doc)
		return err ? err->rc : PDV_E_INVAL;
	if (!json_is_object(doc)) {
		json_decref(doc);
		return pdv_error_set(err, PDV_E_INVAL,
		                     "standard input is not a JSON object of fields");
	}
	if (!(f = calloc(json_object_size(doc) + 1, sizeof(*f)))) {
		json_decref(doc);
		return pdv_error_set(err, PDV_E_NOMEM, "out of memory");
	}
	json_object_foreach(doc, key, val)
	{
		if (!json_is_string(val)) {
			pdv_error_set(err, PDV_E_INVAL, "field '%.*s' is not a string",
			              PDV_UTF8_CUT(key, 64));
			pdv_error_field(err, key);
			free(f);
			json_decref(doc); /* key belongs to doc */
			return PDV_E_INVAL;
		}
		f[n].name = key;
		f[n].value = json_string_value(val);
		f[n].len = json_string_length(val);
		n++;
	}
	*ret = f;
	*ret_n = n;
	*ret_doc = doc;
	return 0;
}

int cmd_collect(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"consent", no_argument, NULL, 'c'},
	    {"source", required_argument, NULL, 's'},
	    {"stdin", no_argument, NULL, 'i'},
	    {"lang", required_argument, NULL, 'l'},
	    {NULL, 0, NULL, 0},
	};
	struct cli_vault *cv = NULL;
	struct pdv_error err;
	struct pdv_collect_in in = {.channel = "cli"};
	struct pdv_collect_out out;
	struct pdv_input_field *fields = NULL;
	json_t *doc = NULL;
	bool use_stdin = false;
	int c, status = 0;

	pdv_error_clear(&err);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			in.consent = true;
			break;
		case 's':
			in.source = optarg;
			break;
		case 'i':
			use_stdin = true;
			break;
		case 'l':
			in.lang = optarg;
			break;
		default:
			return cli_usage_fail(g);
		}
	}
	if (optind >= argc)
		return cli_usage_fail(g);
	in.activity = argv[optind++];
	if (use_stdin == (optind < argc))
		return cli_usage_error(g,
		                       "give the fields as FIELD=VALUE arguments or with --stdin");
	if (use_stdin) {
		if (from_stdin(&fields, &in.n_fields, &doc, &err) < 0)
			return cli_fail(g, &err);
	} else {
		if (!(fields = calloc((size_t)(argc - optind), sizeof(*fields))))
			return cli_usage_error(g, "out of memory");
		for (int i = optind; i < argc; i++) {
			char *eq = strchr(argv[i], '=');

			if (!eq || eq == argv[i]) {
				free(fields);
				/* never echo the argument: it may hold a value */
				return cli_usage_error(g, "argument %d is not FIELD=VALUE",
				                       i - optind + 1);
			}
			*eq = '\0';
			fields[in.n_fields].name = argv[i];
			fields[in.n_fields].value = eq + 1;
			fields[in.n_fields].len = strlen(eq + 1);
			in.n_fields++;
		}
	}
	in.fields = fields;
	if (cli_setup(g, &cv, &err) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (pdv_collect(cv->session, &in, &out, &err) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (g->json)
		cli_print_json(
		    json_pack("{s:s, s:s}", "subject", out.subject, "record", out.record));
	else
		printf("subject %s%s\nrecord %s\n", out.subject, out.new_subject ? " (new)" : "",
		       out.record);
out:
	/* wipe what the person typed before the memory goes back */
	for (size_t i = 0; i < in.n_fields; i++)
		pdv_wipe((void *)fields[i].value, fields[i].len);
	free(fields);
	json_decref(doc);
	return status;
}
