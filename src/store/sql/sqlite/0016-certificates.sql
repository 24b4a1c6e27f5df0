-- 0016: deletion certificates (docs/certificates.md).
-- signing_keys: the vault's Ed25519 signing keys. key_id names a key in a
-- certificate and in /.well-known/pdvault-keys.json (16 hex digits of the
-- BLAKE2b-256 of the public key); public_key is the raw 32 bytes; secret is
-- the 32-byte seed wrapped under the master key (72 bytes, bound to the key
-- id), re-wrapped by `pdvault key rotate`. At most one key is current
-- (retired_at NULL); a rotation retires it and adds one. Keys are never
-- deleted: a certificate signed with a retired key still verifies.
-- certificates: each certificate's canonical JSON, as first issued, with no
-- personal value in it (activities, categories, recipients, dates, the
-- request's reference): a re-issue signs these bytes again. request_id is
-- the erasure request it closed, NULL for a withdrawal.
CREATE TABLE signing_keys (
  id         INTEGER PRIMARY KEY,
  key_id     TEXT NOT NULL UNIQUE,
  public_key BLOB NOT NULL,
  secret     BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  retired_at INTEGER
);
CREATE UNIQUE INDEX signing_keys_current ON signing_keys (retired_at) WHERE retired_at IS NULL;
CREATE TABLE certificates (
  id         INTEGER PRIMARY KEY,
  tag        BLOB NOT NULL,
  request_id INTEGER UNIQUE,
  kind       TEXT NOT NULL,
  body       BLOB NOT NULL,
  created_at INTEGER NOT NULL
);
