-- 0001: the whole vault. Every personal-data value is a sealed blob
-- (XChaCha20-Poly1305, see docs/internals/crypto.md); every lookup value is a
-- keyed hash. Nothing here is readable without the master key.
-- Internal keys are sequential integers (appends, not random inserts); the
-- opaque ids shown outside are built from them and a random tag kept in the
-- row (docs/internals/store.md).

CREATE TABLE meta (
  name  TEXT PRIMARY KEY,
  value BLOB NOT NULL
) WITHOUT ROWID;

-- a data subject: only its wrapped data key; NULL once crypto-shredded
CREATE TABLE subjects (
  id          INTEGER PRIMARY KEY,
  tag         BLOB NOT NULL,
  wrapped_key BLOB,
  created_at  INTEGER NOT NULL,
  restricted  INTEGER NOT NULL DEFAULT 0
);

-- blind indexes: keyed BLAKE2b of (kind, normalised value), its first 128
-- bits (half the pages of the full 256) -> subject
CREATE TABLE lookups (
  hash       BLOB PRIMARY KEY,
  subject_id INTEGER NOT NULL REFERENCES subjects(id)
) WITHOUT ROWID;
CREATE INDEX lookups_subject ON lookups(subject_id);

-- a record: what one activity holds about one subject. fields is the packed
-- list of sealed field values (each bound to this record and its field name)
CREATE TABLE records (
  id           INTEGER PRIMARY KEY,
  tag          BLOB NOT NULL,
  subject_id   INTEGER NOT NULL REFERENCES subjects(id),
  activity     TEXT NOT NULL,
  phase        TEXT NOT NULL,
  collected_at INTEGER NOT NULL,
  last_contact INTEGER NOT NULL,
  consent_at   INTEGER,
  phase_at     INTEGER NOT NULL,
  next_at      INTEGER,
  source       TEXT,
  fields       BLOB NOT NULL
);
CREATE INDEX records_subject ON records(subject_id);
-- no index on next_at: records stay appends; the sweep walks the records in
-- id order in bounded batches, reading next_at to skip what is not due

-- lifecycle events after collection (contact, contract-end, renewed, ...)
CREATE TABLE events (
  id        INTEGER PRIMARY KEY,
  record_id INTEGER NOT NULL,
  name      TEXT NOT NULL,
  at        INTEGER NOT NULL,
  actor     TEXT NOT NULL
);
CREATE INDEX events_record ON events(record_id);

-- the text of each consent version shown, kept once (not personal data)
CREATE TABLE consent_texts (
  activity TEXT NOT NULL,
  version  TEXT NOT NULL,
  text     TEXT NOT NULL,
  PRIMARY KEY (activity, version)
) WITHOUT ROWID;

-- the consent ledger: every grant and withdrawal, never overwritten
CREATE TABLE consents (
  id         INTEGER PRIMARY KEY,
  subject_id INTEGER NOT NULL,
  record_id  INTEGER,
  activity   TEXT NOT NULL,
  state      TEXT NOT NULL CHECK (state IN ('granted', 'withdrawn')),
  version    TEXT,
  at         INTEGER NOT NULL,
  channel    TEXT NOT NULL
);
CREATE INDEX consents_subject ON consents(subject_id, activity);

-- objections to marketing: keyed hashes of lookup values, with an expiry
CREATE TABLE suppression (
  hash       BLOB PRIMARY KEY,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;

-- legal holds; the reason is staff free text, sealed under the subject's key
CREATE TABLE holds (
  id         INTEGER PRIMARY KEY,
  tag        BLOB NOT NULL,
  subject_id INTEGER NOT NULL,
  reason     BLOB NOT NULL,
  placed_at  INTEGER NOT NULL,
  placed_by  TEXT NOT NULL,
  lifted_at  INTEGER,
  lifted_by  TEXT
);
CREATE INDEX holds_subject ON holds(subject_id);

-- rights requests; notes and reasons sealed
CREATE TABLE requests (
  id          INTEGER PRIMARY KEY,
  tag         BLOB NOT NULL,
  kind        TEXT NOT NULL,
  subject_id  INTEGER,
  status      TEXT NOT NULL,
  channel     TEXT,
  received    TEXT NOT NULL,
  due         TEXT NOT NULL,
  extended    INTEGER NOT NULL DEFAULT 0,
  reason      BLOB,
  id_document BLOB,
  closed_at   INTEGER
);
CREATE INDEX requests_status ON requests(status, due);

-- the breach register; the summary is sealed under the statistics key
CREATE TABLE breaches (
  id                 INTEGER PRIMARY KEY,
  tag                BLOB NOT NULL,
  aware_at           INTEGER NOT NULL,
  authority_due      INTEGER NOT NULL,
  summary            BLOB NOT NULL,
  authority_notified INTEGER,
  subjects_notified  INTEGER
);

-- messages to send: re-confirmations, Art. 19 notices to recipients
CREATE TABLE outbox (
  id         INTEGER PRIMARY KEY,
  kind       TEXT NOT NULL,
  recipient  TEXT,
  subject_id INTEGER,
  record_id  INTEGER,
  payload    BLOB,
  created_at INTEGER NOT NULL,
  sent_at    INTEGER,
  attempts   INTEGER NOT NULL DEFAULT 0
);

-- erasures, without personal data: replayed on restore
CREATE TABLE erasures (
  seq        INTEGER PRIMARY KEY,
  subject_id INTEGER NOT NULL,
  record_id  INTEGER,
  at         INTEGER NOT NULL,
  reason     TEXT NOT NULL
);

-- statistics rows of anonymised records: linked to no one
CREATE TABLE statistics (
  id       INTEGER PRIMARY KEY,
  activity TEXT NOT NULL,
  month    TEXT NOT NULL,
  fields   BLOB NOT NULL
);

-- API tokens, stored hashed
CREATE TABLE tokens (
  name       TEXT PRIMARY KEY,
  hash       BLOB NOT NULL UNIQUE,
  role       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER
) WITHOUT ROWID;

-- the audit log: append-only, each entry chained by a keyed hash over the
-- previous hash and the canonical encoding of the entry. No value in it.
CREATE TABLE audit (
  seq      INTEGER PRIMARY KEY,
  at       INTEGER NOT NULL,
  actor    TEXT NOT NULL,
  action   TEXT NOT NULL,
  subject  TEXT,
  record   TEXT,
  activity TEXT,
  purpose  TEXT,
  detail   TEXT,
  hash     BLOB NOT NULL
);
-- no index on subject: appends stay appends (ids start with a random tag);
-- `audit log --subject` scans, which an occasional query can afford
