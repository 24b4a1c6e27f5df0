-- 0012: staff accounts for the back office, their sessions, and when each
-- API token was last used.
-- staff: one row per person. passphrase: the Argon2id string
-- (crypto_pwhash_str; NULL until the invitation is used); totp: the TOTP
-- secret sealed (NULL until enrolled), totp_step the last 30-second step a
-- code was accepted for (a code works once); recovery: the one-time recovery
-- codes, each a keyed hash (32 bytes each, a used one zeroed); email: the
-- address sealed; invite_hash: the keyed hash of the invitation's token
-- (NULL once used), valid until invite_expires; failures and locked_until:
-- the lock-out (10 failures: 15 minutes).
CREATE TABLE staff (
  name           TEXT PRIMARY KEY,
  role           TEXT NOT NULL,
  email          BLOB,
  created_at     INTEGER NOT NULL,
  passphrase     TEXT,
  totp           BLOB,
  totp_step      INTEGER NOT NULL DEFAULT 0,
  recovery       BLOB,
  invite_hash    BLOB UNIQUE,
  invite_expires INTEGER NOT NULL DEFAULT 0,
  failures       INTEGER NOT NULL DEFAULT 0,
  locked_until   INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- a signed-in session: the cookie's id only as a keyed hash
CREATE TABLE staff_sessions (
  id_hash    BLOB PRIMARY KEY,
  name       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  seen_at    INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX staff_sessions_name ON staff_sessions (name);

-- when a token was last used (written at most once a minute per token)
ALTER TABLE tokens ADD COLUMN used_at INTEGER;
