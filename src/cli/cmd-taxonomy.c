/*
 * cmd-taxonomy.c — `pdvault taxonomy [categories|uses|subjects]`: the keys a
 * declaration may use (fideslang, CC BY 4.0, and pdvault's "pdv." extensions).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
	const char *name;
	enum pdv_taxonomy t;
} kinds[] = {
    {"categories", PDV_TAX_CATEGORY},
    {"uses", PDV_TAX_USE},
    {"subjects", PDV_TAX_SUBJECT},
};

int cmd_taxonomy(struct cli_global *g, int argc, char **argv)
{
	json_t *doc;
	size_t from = 0, to = 3;

	if (argc > 2)
		return cli_usage_fail(g);
	if (argc == 2) {
		for (from = 0; from < 3 && strcmp(kinds[from].name, argv[1]) != 0; from++)
			;
		if (from == 3)
			return cli_usage_error(
			    g, "unknown taxonomy '%s' (categories, uses or subjects)", argv[1]);
		to = from + 1;
	}
	doc = g->json ? json_object() : NULL;
	for (size_t k = from; k < to; k++) {
		size_t n = pdv_taxonomy_count(kinds[k].t);
		json_t *arr = doc ? json_array() : NULL;
		if (!doc && to - from > 1)
			printf("%s# %s\n", k > from ? "\n" : "", kinds[k].name);
		for (size_t i = 0; i < n; i++) {
			const struct pdv_taxon *t = pdv_taxonomy_at(kinds[k].t, i);
			if (arr)
				json_array_append_new(arr,
				                      json_pack("{s:s, s:s, s:s?, s:s?}", "key",
				                                t->key, "name", t->name, "name_fr",
				                                t->name_fr, "parent", t->parent));
			else
				printf("%-55s %s\n", t->key, t->name);
		}
		if (doc)
			json_object_set_new(doc, kinds[k].name, arr);
	}
	return doc ? cli_print_json(doc) : 0;
}
