/*
 * taxonomy.c — lookups in the compiled fideslang taxonomy (Ethyca, CC BY 4.0)
 * and pdvault's "pdv." extension keys. The tables are generated sorted by key
 * (tools/gen-taxonomy.py), so lookups are binary searches.
 */
#include <stdlib.h>
#include <string.h>

#include "taxonomy-data.h"
#include "pdv/decl.h"

static const struct pdv_taxon *table(enum pdv_taxonomy t, size_t *ret_n)
{
	switch (t) {
	case PDV_TAX_CATEGORY:
		*ret_n = pdv_tax_data_category_count;
		return pdv_tax_data_category;
	case PDV_TAX_USE:
		*ret_n = pdv_tax_data_use_count;
		return pdv_tax_data_use;
	case PDV_TAX_SUBJECT:
		*ret_n = pdv_tax_data_subject_count;
		return pdv_tax_data_subject;
	}
	*ret_n = 0;
	return NULL;
}

static int taxon_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct pdv_taxon *)elem)->key);
}

const struct pdv_taxon *pdv_taxonomy_find(enum pdv_taxonomy t, const char *key)
{
	size_t n;
	const struct pdv_taxon *tab = table(t, &n);

	if (!tab || !key)
		return NULL;
	return bsearch(key, tab, n, sizeof(*tab), taxon_cmp);
}

size_t pdv_taxonomy_count(enum pdv_taxonomy t)
{
	size_t n;

	table(t, &n);
	return n;
}

const struct pdv_taxon *pdv_taxonomy_at(enum pdv_taxonomy t, size_t i)
{
	size_t n;
	const struct pdv_taxon *tab = table(t, &n);

	return tab && i < n ? &tab[i] : NULL;
}

static bool prefix_under(const char *key, const char *ancestor)
{
	size_t n = strlen(ancestor);

	return strncmp(key, ancestor, n) == 0 && (key[n] == '\0' || key[n] == '.');
}

bool pdv_taxonomy_under(const char *key, const char *ancestor)
{
	if (!key || !ancestor || !*ancestor)
		return false;
	if (prefix_under(key, ancestor))
		return true;
	/* "pdv.marketing.communications.phone" is under "marketing" */
	if (strncmp(key, "pdv.", 4) == 0 && strncmp(ancestor, "pdv.", 4) != 0)
		return prefix_under(key + 4, ancestor);
	return false;
}

/* Art. 9(1): racial or ethnic origin, political opinions, religious or
 * philosophical beliefs, trade-union membership, genetic data, biometric data
 * for identification, health, sex life or sexual orientation. */
static const char *const special_roots[] = {
    "user.biometric",
    "user.authorization.biometric",
    "user.health_and_medical",
    "user.demographic.political_opinion",
    "user.demographic.race_ethnicity",
    "user.demographic.religious_belief",
    "user.demographic.sexual_orientation",
};

bool pdv_category_is_special(const char *key)
{
	if (!key)
		return false;
	for (size_t i = 0; i < sizeof(special_roots) / sizeof(special_roots[0]); i++)
		if (pdv_taxonomy_under(key, special_roots[i]))
			return true;
	return false;
}

bool pdv_category_is_criminal(const char *key)
{
	return key && pdv_taxonomy_under(key, "user.criminal_history");
}
