-- 0003: identity checks of the public intake (the privacy center). A person
-- gives an address; a one-time code goes to it through the outbox, and
-- nothing is disclosed nor any request opened before the code comes back.
-- The address is sealed (statistics key, bound to the row); the code is kept
-- as a keyed hash; expired rows are deleted. A double opt-in keeps the
-- submission waiting for its confirmation in payload, sealed.
CREATE TABLE verifications (
  id         INTEGER PRIMARY KEY,
  tag        BLOB NOT NULL,
  purpose    TEXT NOT NULL,
  address    BLOB NOT NULL,
  code_hash  BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  attempts   INTEGER NOT NULL DEFAULT 0,
  used_at    INTEGER,
  payload    BLOB
);
