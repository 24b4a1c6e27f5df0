/*
 * migrate-record.h — the reading of the record of the migrations
 * (KEYFILE.migrations, migrate.c) on its own, for pdv_migrate_moved and for
 * fuzz/fuzz-migrations.c. It needs base alone, so the fuzzer reaches the
 * parser through engine_internal_dep without the store's or crypto's headers
 * (engine-internal.h, which includes them, would not build there).
 */
#ifndef PDV_MIGRATE_RECORD_H
#define PDV_MIGRATE_RECORD_H

#include <stdint.h>

#include "pdv/error.h"

#define PDV_MIGRATE_HASH_LEN 32 /* PDV_HASH_LEN, which migrate.c checks */

/*
 * Is the store whose last audit entry is seq/hash a source the record
 * `text` (NUL-terminated, as read from the file; cut up by the call) names?
 * PDV_E_MOVED, with a message naming `store` and where the vault went and
 * when, when it is; else 0 and err untouched. A text that is not a record
 * this pdvault wrote, or a line of it that is not a move, tells nothing.
 */
int pdv_migrate_moves_find(char *text, int64_t seq, const uint8_t hash[PDV_MIGRATE_HASH_LEN],
                           const char *store, struct pdv_error *err) PDV_WUR;

#endif
