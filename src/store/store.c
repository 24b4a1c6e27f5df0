/*
 * store.c — picks the backend for a store URL.
 *
 * sqlite:PATH (or a bare path) is the embedded store; postgresql:// and
 * postgres:// name the PostgreSQL backend, which comes with its own issue:
 * until then such a URL is refused with a clear message rather than
 * misread as a file name.
 */
#include <string.h>

#include "pdv/store.h"

int pdv_store_backend(const char *url, const struct pdv_store_ops **ret_ops,
		      const char **ret_where, struct pdv_error *err)
{
	if (!url || !*url)
		return pdv_error_set(err, PDV_E_USAGE, "empty store URL");
	if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
		return pdv_error_set(err, PDV_E_USAGE,
				     "this pdvault has no PostgreSQL backend yet; use sqlite:PATH");
	if (strncmp(url, "sqlite:", 7) == 0)
		url += 7;
	if (!*url)
		return pdv_error_set(err, PDV_E_USAGE, "store URL 'sqlite:' names no file");
	*ret_ops = &pdv_store_sqlite_ops;
	*ret_where = url;
	return 0;
}
