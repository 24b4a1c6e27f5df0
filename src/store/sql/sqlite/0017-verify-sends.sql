-- 0017: the codes sent to one address in the last hour (--verify-per-email),
-- counted in the store so that every server of the vault counts them
-- (docs/internals/multi-server.md). One row per code sent: the address's
-- blind index (the keyed hash lookups use; never the address) and when. A
-- take deletes the rows older than an hour first, so the table holds at
-- most an hour of sends.
CREATE TABLE verify_sends (
  address_index BLOB NOT NULL,
  sent_at       INTEGER NOT NULL
);
CREATE INDEX verify_sends_address ON verify_sends (address_index, sent_at);
CREATE INDEX verify_sends_at ON verify_sends (sent_at);
