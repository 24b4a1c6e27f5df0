/*
 * tables.h — every table of the store, parents first, for the copy between
 * backends (pdvault migrate, docs/internals/multi-server.md): X(name, NAME,
 * columns). Each backend's statements.sql has, per table, table_rows_NAME
 * (every row, its columns named, in its key's order), table_put_NAME (one
 * row, the same columns) and table_count_NAME. Private to src/store/.
 */
#ifndef PDV_STORE_TABLES_H
#define PDV_STORE_TABLES_H

/* clang-format off */
#define PDV_STORE_TABLES(X) \
	X(meta, META, 2) \
	X(subjects, SUBJECTS, 6) \
	X(lookups, LOOKUPS, 2) \
	X(records, RECORDS, 13) \
	X(events, EVENTS, 5) \
	X(consent_texts, CONSENT_TEXTS, 3) \
	X(consents, CONSENTS, 8) \
	X(suppression, SUPPRESSION, 3) \
	X(holds, HOLDS, 8) \
	X(requests, REQUESTS, 18) \
	X(breaches, BREACHES, 21) \
	X(outbox, OUTBOX, 18) \
	X(recipient_secrets, RECIPIENT_SECRETS, 3) \
	X(erasures, ERASURES, 5) \
	X(statistics, STATISTICS, 4) \
	X(tokens, TOKENS, 8) \
	X(audit, AUDIT, 10) \
	X(directives, DIRECTIVES, 3) \
	X(verifications, VERIFICATIONS, 11) \
	X(downloads, DOWNLOADS, 8) \
	X(renewals, RENEWALS, 6) \
	X(request_notes, REQUEST_NOTES, 5) \
	X(staff, STAFF, 12) \
	X(staff_sessions, STAFF_SESSIONS, 4) \
	X(signing_keys, SIGNING_KEYS, 6) \
	X(certificates, CERTIFICATES, 6) \
	X(cookie_configs, COOKIE_CONFIGS, 6) \
	X(cookie_receipts, COOKIE_RECEIPTS, 10) \
	X(verify_sends, VERIFY_SENDS, 2)
/* clang-format on */

/* the statements of table i, in a backend whose generated header is included */
#define PDV_TABLE_STATEMENTS(name, NAME, cols)                                                     \
	{PDV_SQL_TABLE_ROWS_##NAME, PDV_SQL_TABLE_PUT_##NAME, PDV_SQL_TABLE_COUNT_##NAME, cols},

struct pdv_table_statements {
	int rows, put, count, columns;
};

#endif
