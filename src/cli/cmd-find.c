/*
 * cmd-find.c — `pdvault find --email ADDR | --phone NUM`: subjects by exact
 * lookup value, through the blind index. Finding nobody is an answer, not
 * an error: {"subjects":[]} and exit 0.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "pdv/vault.h"

int cmd_find(struct cli_global *g, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"email", required_argument, NULL, 'e'},
	    {"phone", required_argument, NULL, 'p'},
	    {NULL, 0, NULL, 0},
	};
	struct cli_vault *cv = NULL;
	struct pdv_error err;
	const char *kind = NULL, *value = NULL;
	char subject[PDV_ID_MAX];
	int c, status = 0;

	pdv_error_clear(&err);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'e':
			kind = "email", value = optarg;
			break;
		case 'p':
			kind = "phone", value = optarg;
			break;
		default:
			return cli_usage_fail(g);
		}
	}
	if (!kind || optind < argc)
		return cli_usage_fail(g);
	if (cli_setup(g, &cv, &err) < 0 || pdv_find(cv->session, kind, value, subject, &err) < 0) {
		status = cli_fail(g, &err);
		goto out;
	}
	if (g->json) {
		json_t *arr = json_array();

		if (subject[0])
			json_array_append_new(arr, json_string(subject));
		cli_print_json(json_pack("{s:o}", "subjects", arr));
	} else if (subject[0]) {
		printf("%s\n", subject);
	} else {
		fprintf(stderr, "pdvault: find: no subject with this %s\n",
		        kind[0] == 'e' ? "email address" : "phone number");
	}
out:
	return status;
}
