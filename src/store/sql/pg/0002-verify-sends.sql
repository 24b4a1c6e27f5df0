-- 0002 (SQLite's 0017): the codes sent to one address in the last hour
-- (--verify-per-email), counted in the store so that every server of the
-- vault counts them (docs/internals/multi-server.md). One row per code
-- sent: the address's blind index (never the address) and when; a take
-- deletes the rows older than an hour first. Not in a backup (pg/backup.c
-- names its tables) nor swapped by a restore: a restore keeps the live
-- counts.
CREATE TABLE verify_sends (
  address_index BYTEA NOT NULL,
  sent_at       BIGINT NOT NULL
);
CREATE INDEX verify_sends_address ON verify_sends (address_index, sent_at);
CREATE INDEX verify_sends_at ON verify_sends (sent_at);
