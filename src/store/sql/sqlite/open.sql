-- Run on every connection before anything else (sqlite3_exec).
-- WAL with synchronous=FULL: an acknowledged commit survives power loss.
-- temp_store=MEMORY: sorts and temporary tables never reach a file.
-- secure_delete: freed pages are zeroed, so deleted rows do not linger.
PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA foreign_keys = ON;
PRAGMA temp_store = MEMORY;
PRAGMA secure_delete = ON;
PRAGMA busy_timeout = 5000;
