-- Run on every connection before anything else (PQexec, no value in it).
-- synchronous_commit: a commit returns once its WAL is flushed (and sent to
-- the synchronous standbys, when there are), so an acknowledged write is
-- durable. lock_timeout: a writer waits for the writer lock (one writer at a
-- time, docs/internals/store-pg.md) at most 30 s, then fails as SQLite's
-- busy timeout would. client_min_messages: no NOTICE on stderr.
SET synchronous_commit = on;
SET lock_timeout = '30s';
SET client_min_messages = warning;
