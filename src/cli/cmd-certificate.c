/*
 * cmd-certificate.c — `pdvault certificate issue|show|keys|rotate-key`: the
 * deletion certificates of erasure requests and privacy-center withdrawals
 * (docs/certificates.md). issue writes the signed envelope (the stored
 * certificate signed again with the current key); show prints what it says
 * in words; keys prints the public keys document served at
 * /.well-known/pdvault-keys.json; rotate-key makes a new signing key and
 * retires the one before (kept, still published).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void show_items(json_t *arr, const char *title)
{
	size_t i;
	json_t *it;

	printf("%s:%s\n", title, json_array_size(arr) ? "" : " none");
	json_array_foreach(arr, i, it)
	{
		json_t *cats = json_object_get(it, "categories"), *c;
		const char *why = json_string_value(json_object_get(it, "why"));
		const char *until = json_string_value(json_object_get(it, "until"));
		size_t k;

		printf("  %s (%" JSON_INTEGER_FORMAT " record%s)",
		       json_string_value(json_object_get(it, "activity")),
		       json_integer_value(json_object_get(it, "records")),
		       json_integer_value(json_object_get(it, "records")) == 1 ? "" : "s");
		if (why)
			printf(", %s, %s%s%s", why,
			       json_string_value(json_object_get(it, "article")),
			       until ? ", until " : "", until ? until : "");
		printf("\n   ");
		json_array_foreach(cats, k, c) printf(" %s", json_string_value(c));
		printf("\n");
	}
}

static int show(const char *text, struct pdv_error *err)
{
	json_error_t jerr;
	json_t *env = json_loads(text, 0, &jerr), *c, *req, *rec, *it;
	size_t i;

	if (!env || !(c = json_object_get(env, "certificate"))) {
		json_decref(env);
		return pdv_error_set(err, PDV_E_INTERNAL, "a stored certificate is damaged");
	}
	printf("certificate %s (%s)\n", json_string_value(json_object_get(c, "certificate")),
	       json_string_value(json_object_get(c, "kind")));
	if ((req = json_object_get(c, "request")))
		printf("request: %s, %s, received %s\n",
		       json_string_value(json_object_get(req, "reference")),
		       json_string_value(json_object_get(req, "kind")),
		       json_string_value(json_object_get(req, "received")));
	if (json_object_get(c, "withdrawn"))
		printf("consent withdrawn: %s\n",
		       json_string_value(json_object_get(c, "withdrawn")));
	printf("done at: %s\n", json_string_value(json_object_get(c, "done_at")));
	show_items(json_object_get(c, "erased"), "erased");
	show_items(json_object_get(c, "kept"), "kept");
	rec = json_object_get(c, "recipients_told");
	printf("recipients told (Art. 19):%s\n", json_array_size(rec) ? "" : " none");
	json_array_foreach(rec, i, it)
	{
		const char *sent = json_string_value(json_object_get(it, "sent_at"));

		json_int_t n = json_integer_value(json_object_get(it, "records"));

		printf("  %s: %s %s (%" JSON_INTEGER_FORMAT " record%s), queued %s%s%s\n",
		       json_string_value(json_object_get(it, "recipient")),
		       json_string_value(json_object_get(it, "notice")),
		       json_string_value(json_object_get(it, "status")), n, n == 1 ? "" : "s",
		       json_string_value(json_object_get(it, "queued_at")), sent ? ", sent " : "",
		       sent ? sent : "");
	}
	printf("signed with key %s (Ed25519)\n", json_string_value(json_object_get(env, "key_id")));
	json_decref(env);
	return 0;
}

int cmd_certificate(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
	                                     {NULL, 0, NULL, 0}};
	const char *verb = cli_verb(&argc, &argv), *output = NULL;
	struct cli_vault *cv = NULL;
	char id[PDV_ID_MAX], key_id[PDV_KEY_ID_MAX];
	struct pdv_error err;
	struct pdv_buf b;
	int c, status = 0;

	pdv_error_clear(&err);
	pdv_buf_init(&b, 0);
	if (!verb)
		return cli_usage_fail(g);
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		if (c == 'o' && strcmp(verb, "issue") == 0)
			output = optarg;
		else
			return cli_usage_fail_verb(g, verb);
	}
	if (strcmp(verb, "issue") == 0 || strcmp(verb, "show") == 0) {
		if (optind != argc - 1)
			return cli_usage_fail_verb(g, verb);
	} else if (strcmp(verb, "keys") == 0 || strcmp(verb, "rotate-key") == 0) {
		if (optind != argc)
			return cli_usage_fail_verb(g, verb);
	} else {
		return cli_usage_fail(g);
	}
	if (cli_setup(g, &cv, &err) < 0)
		goto fail;
	if (strcmp(verb, "rotate-key") == 0) {
		if (pdv_certificate_rotate_key(cv->session, key_id, &err) < 0)
			goto fail;
		if (g->json)
			cli_print_json(json_pack("{s:s}", "key_id", key_id));
		else
			printf("new signing key %s; the one before is retired, still published\n",
			       key_id);
		goto out;
	}
	if (strcmp(verb, "keys") == 0) {
		if (pdv_certificate_keys(cv->session, &b, &err) < 0)
			goto fail;
		fwrite(b.data, 1, b.len, stdout);
		goto out;
	}
	if (pdv_certificate_issue(cv->session, argv[optind], &b, id, &err) < 0 ||
	    pdv_buf_putc(&b, '\0') < 0)
		goto fail;
	if (strcmp(verb, "show") == 0) {
		if (g->json) {
			json_error_t jerr;

			cli_print_json(json_loads((const char *)b.data, 0, &jerr));
		} else if (show((const char *)b.data, &err) < 0) {
			goto fail;
		}
		goto out;
	}
	/* issue: the envelope's exact bytes and a newline, as a file or on stdout */
	((char *)b.data)[b.len - 1] = '\n';
	if (cli_write_output(output, (const char *)b.data, b.len, &err) < 0)
		goto fail;
	if (output)
		fprintf(stderr, "certificate %s written to %s\n", id, output);
	goto out;
fail:
	status = cli_fail(g, &err);
out:
	pdv_buf_release(&b);
	return status;
}
