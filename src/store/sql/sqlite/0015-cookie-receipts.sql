-- 0015: the proof of cookie choices (issue 16).
-- cookie_configs: every banner configuration `pdvault banner` wrote, by its
-- id (the hex SHA-256 of its canonical form, which is kept as it was hashed,
-- so a receipt can be replayed against the exact configuration on screen).
-- Nothing personal: the kit's configuration from the declaration.
-- cookie_receipts: one row per choice a browser posted, appended, never
-- changed (the trigger refuses an UPDATE; the sweep deletes a receipt once
-- cookies.proof_retention has passed since it was received). The person is
-- known only by consent_index, the blind index (keyed hash) of the random
-- consent id the adapter set in their browser; no address is stored.
-- choices: the JSON object {purpose: true|false} as checked against the
-- configuration; given_at: the browser's time; received_at: the server's.
CREATE TABLE cookie_configs (
  id          TEXT PRIMARY KEY,
  kit         TEXT NOT NULL,
  lang        TEXT NOT NULL,
  declaration TEXT NOT NULL,
  canonical   TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);
CREATE TABLE cookie_receipts (
  id            INTEGER PRIMARY KEY,
  tag           BLOB NOT NULL,
  consent_index BLOB NOT NULL,
  config_id     TEXT NOT NULL REFERENCES cookie_configs (id),
  declaration   TEXT NOT NULL,
  event         TEXT NOT NULL,
  choices       TEXT NOT NULL,
  gpc           INTEGER NOT NULL,
  given_at      INTEGER NOT NULL,
  received_at   INTEGER NOT NULL
);
CREATE INDEX cookie_receipts_consent ON cookie_receipts (consent_index, id);
CREATE INDEX cookie_receipts_received ON cookie_receipts (received_at);
CREATE TRIGGER cookie_receipts_append_only BEFORE UPDATE ON cookie_receipts
BEGIN
  SELECT RAISE (ABORT, 'cookie receipts are appended, never changed');
END;
