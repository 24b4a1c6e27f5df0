-- Run on every connection before anything else (sqlite3_exec).
-- WAL with synchronous=FULL: an acknowledged commit survives power loss.
-- temp_store=MEMORY: sorts and temporary tables never reach a file.
-- secure_delete: freed pages are zeroed, so deleted rows do not linger.
-- cache_size: 32 MiB of page cache, within the 100 MiB a bulk import may use.
-- busy_timeout first: switching to WAL takes a lock that a reader of the file
-- (a backup, a monitoring probe) may hold for an instant.
PRAGMA busy_timeout = 5000;
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA foreign_keys = ON;
PRAGMA temp_store = MEMORY;
PRAGMA secure_delete = ON;
PRAGMA cache_size = -32768;
