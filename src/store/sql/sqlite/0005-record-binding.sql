-- 0005: what a record means, bound to it. binding is a keyed MAC (the audit
-- key, keyed BLAKE2b, first 16 bytes) over the record's id and tag, its
-- subject, its activity and its phase: a row moved to another activity (and
-- so to another role), to another subject, or put in another phase fails it
-- and is refused on read. The engine computes it on every insert and update.
-- Rows written before this migration have none: the mark below makes the
-- first open with the key bind them all, in one audited transaction, and
-- clear the mark.
ALTER TABLE records ADD COLUMN binding BLOB;
INSERT OR REPLACE INTO meta (name, value) VALUES ('bind_pending', '1');
