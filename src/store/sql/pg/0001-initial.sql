-- 0001: the whole vault, as the SQLite series stands at its migration 0016
-- (0010 to 0016 folded in before any PostgreSQL store existed:
-- docs/internals/store-pg.md says how the series follow each other from
-- here). The same
-- tables and columns as sql/sqlite/ with BIGINT integers and BYTEA blobs;
-- every personal-data value is a sealed blob, every lookup value a keyed
-- hash. Ids are taken by the store (subjects, records) or by the insert
-- (max + 1 under the writer lock), never by a sequence, so rows copied from
-- or to a SQLite vault keep theirs.

-- the schema version, moved by each migration in its transaction
CREATE TABLE pdv_schema (version INTEGER NOT NULL);
INSERT INTO pdv_schema (version) VALUES (0);

CREATE TABLE meta (
  name  TEXT PRIMARY KEY,
  value BYTEA NOT NULL
);

CREATE TABLE subjects (
  id          BIGINT PRIMARY KEY,
  tag         BYTEA NOT NULL,
  wrapped_key BYTEA,
  created_at  BIGINT NOT NULL,
  restricted  BIGINT NOT NULL DEFAULT 0,
  -- 0010: the language of the person's messages (fr | en); NULL: the
  -- declaration's first
  lang        TEXT
);

CREATE TABLE lookups (
  hash       BYTEA PRIMARY KEY,
  subject_id BIGINT NOT NULL REFERENCES subjects(id)
);
CREATE INDEX lookups_subject ON lookups(subject_id);

CREATE TABLE records (
  id           BIGINT PRIMARY KEY,
  tag          BYTEA NOT NULL,
  subject_id   BIGINT NOT NULL REFERENCES subjects(id),
  activity     TEXT NOT NULL,
  phase        TEXT NOT NULL,
  collected_at BIGINT NOT NULL,
  last_contact BIGINT NOT NULL,
  consent_at   BIGINT,
  phase_at     BIGINT NOT NULL,
  next_at      BIGINT,
  source       TEXT,
  fields       BYTEA NOT NULL,
  binding      BYTEA
);
CREATE INDEX records_subject ON records(subject_id);

CREATE TABLE events (
  id        BIGINT PRIMARY KEY,
  record_id BIGINT NOT NULL,
  name      TEXT NOT NULL,
  at        BIGINT NOT NULL,
  actor     TEXT NOT NULL
);
CREATE INDEX events_record ON events(record_id);

CREATE TABLE consent_texts (
  activity TEXT NOT NULL,
  version  TEXT NOT NULL,
  text     TEXT NOT NULL,
  PRIMARY KEY (activity, version)
);

CREATE TABLE consents (
  id         BIGINT PRIMARY KEY,
  subject_id BIGINT NOT NULL,
  record_id  BIGINT,
  activity   TEXT NOT NULL,
  state      TEXT NOT NULL CHECK (state IN ('granted', 'withdrawn')),
  version    TEXT,
  at         BIGINT NOT NULL,
  channel    TEXT NOT NULL
);
CREATE INDEX consents_subject ON consents(subject_id, activity);

CREATE TABLE suppression (
  hash       BYTEA PRIMARY KEY,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);

CREATE TABLE holds (
  id         BIGINT PRIMARY KEY,
  tag        BYTEA NOT NULL,
  subject_id BIGINT NOT NULL,
  reason     BYTEA NOT NULL,
  placed_at  BIGINT NOT NULL,
  placed_by  TEXT NOT NULL,
  lifted_at  BIGINT,
  lifted_by  TEXT
);
CREATE INDEX holds_subject ON holds(subject_id);

CREATE TABLE requests (
  id               BIGINT PRIMARY KEY,
  tag              BYTEA NOT NULL,
  kind             TEXT NOT NULL,
  subject_id       BIGINT,
  status           TEXT NOT NULL,
  channel          TEXT,
  received         TEXT NOT NULL,
  due              TEXT NOT NULL,
  extended         BIGINT NOT NULL DEFAULT 0,
  reason           BYTEA,
  id_document      BYTEA,
  closed_at        BIGINT,
  reference        TEXT,
  address          BYTEA,
  extension_reason BYTEA,
  lang             TEXT,
  -- 0014: what a rectification asks (sealed), when the extension was decided
  rectification    BYTEA,
  extended_at      BIGINT
);
CREATE INDEX requests_status ON requests(status, due);
CREATE UNIQUE INDEX requests_reference ON requests(reference);
-- 0014: the sweep asks whether a person has an open request
CREATE INDEX requests_open_subject ON requests (subject_id) WHERE status = 'open';

-- 0014: the DPO's private notes on a request, each sealed
CREATE TABLE request_notes (
  id         BIGINT PRIMARY KEY,
  request_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  author     TEXT,
  note       BYTEA NOT NULL
);
CREATE INDEX request_notes_of ON request_notes (request_id, id);

CREATE TABLE breaches (
  id                 BIGINT PRIMARY KEY,
  tag                BYTEA NOT NULL,
  aware_at           BIGINT NOT NULL,
  authority_due      BIGINT NOT NULL,
  summary            BYTEA NOT NULL,
  authority_notified BIGINT,
  subjects_notified  BIGINT,
  risk               TEXT CHECK (risk IN ('unlikely', 'risk', 'high')),
  risk_reason        BYTEA,
  late_reason        BYTEA,
  -- 0010: Art. 34(2)'s texts, sealed
  consequences         BYTEA,
  measures             BYTEA,
  -- 0013: Art. 33(3)(a)'s items (texts sealed; counts NULL when not given),
  -- the authority's reference (sealed) and the timeline
  nature               BYTEA,
  categories           BYTEA,
  people_count         BIGINT,
  records_count        BIGINT,
  authority_reference  BYTEA,
  recorded_at          BIGINT,
  assessed_at          BIGINT,
  subjects_notices     BIGINT,
  subjects_unreachable BIGINT
);

CREATE TABLE outbox (
  id          BIGINT PRIMARY KEY,
  kind        TEXT NOT NULL,
  recipient   TEXT,
  subject_id  BIGINT,
  record_id   BIGINT,
  payload     BYTEA,
  created_at  BIGINT NOT NULL,
  sent_at     BIGINT,
  attempts    BIGINT NOT NULL DEFAULT 0,
  message_id  TEXT,
  status      TEXT NOT NULL DEFAULT 'queued',
  next_at     BIGINT NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_until BIGINT,
  lang        TEXT,
  last_error  TEXT,
  -- 0011: a message queued once for its key (NULLs never collide), and the
  -- request whose close or answer queued it
  once_key    TEXT,
  request_id  BIGINT
);
CREATE UNIQUE INDEX outbox_message_id ON outbox (message_id);
CREATE INDEX outbox_due ON outbox (status, next_at);
CREATE UNIQUE INDEX outbox_once ON outbox (once_key);
CREATE INDEX outbox_request ON outbox (request_id) WHERE request_id IS NOT NULL;

CREATE TABLE recipient_secrets (
  recipient  TEXT PRIMARY KEY,
  secret     BYTEA NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE erasures (
  seq        BIGINT PRIMARY KEY,
  subject_id BIGINT NOT NULL,
  record_id  BIGINT,
  at         BIGINT NOT NULL,
  reason     TEXT NOT NULL
);

CREATE TABLE statistics (
  id       BIGINT PRIMARY KEY,
  activity TEXT NOT NULL,
  month    TEXT NOT NULL,
  fields   BYTEA NOT NULL
);

CREATE TABLE tokens (
  name       TEXT PRIMARY KEY,
  hash       BYTEA NOT NULL UNIQUE,
  role       TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  revoked_at BIGINT,
  scope      TEXT NOT NULL DEFAULT 'all',
  -- 0012: when the token was last used (at most once a minute)
  used_at    BIGINT
);

-- 0012: staff accounts for the back office (sql/sqlite/0012 says what each
-- column holds: an Argon2id string, sealed blobs, keyed hashes)
CREATE TABLE staff (
  name           TEXT PRIMARY KEY,
  role           TEXT NOT NULL,
  email          BYTEA,
  created_at     BIGINT NOT NULL,
  passphrase     TEXT,
  totp           BYTEA,
  totp_step      BIGINT NOT NULL DEFAULT 0,
  recovery       BYTEA,
  invite_hash    BYTEA UNIQUE,
  invite_expires BIGINT NOT NULL DEFAULT 0,
  failures       BIGINT NOT NULL DEFAULT 0,
  locked_until   BIGINT NOT NULL DEFAULT 0
);

-- 0012: a signed-in session: the cookie's id only as a keyed hash
CREATE TABLE staff_sessions (
  id_hash    BYTEA PRIMARY KEY,
  name       TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  seen_at    BIGINT NOT NULL
);
CREATE INDEX staff_sessions_name ON staff_sessions (name);

CREATE TABLE audit (
  seq      BIGINT PRIMARY KEY,
  at       BIGINT NOT NULL,
  actor    TEXT NOT NULL,
  action   TEXT NOT NULL,
  subject  TEXT,
  record   TEXT,
  activity TEXT,
  purpose  TEXT,
  detail   TEXT,
  hash     BYTEA NOT NULL
);

CREATE TABLE directives (
  subject_id BIGINT PRIMARY KEY REFERENCES subjects(id),
  text       BYTEA NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE verifications (
  id         BIGINT PRIMARY KEY,
  tag        BYTEA NOT NULL,
  purpose    TEXT NOT NULL,
  address    BYTEA NOT NULL,
  code_hash  BYTEA NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  attempts   BIGINT NOT NULL DEFAULT 0,
  used_at    BIGINT,
  payload    BYTEA,
  -- 0010: the language kept until the code comes back
  lang       TEXT
);

CREATE TABLE downloads (
  id         BIGINT PRIMARY KEY,
  request_id BIGINT NOT NULL REFERENCES requests(id),
  token_hash BYTEA NOT NULL UNIQUE,
  token      BYTEA,
  export     BYTEA,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at    BIGINT
);
CREATE INDEX downloads_request ON downloads(request_id);

-- 0010: a renewal message's link, found by its keyed hash, used once
CREATE TABLE renewals (
  id         BIGINT PRIMARY KEY,
  record_id  BIGINT NOT NULL,
  token_hash BYTEA NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at    BIGINT
);
CREATE INDEX renewals_record ON renewals(record_id);

-- 0016: the vault's Ed25519 signing keys (the seed wrapped under the master
-- key) and the deletion certificates they sign (sql/sqlite/0016 says more).
-- The index is SQLite's as it is: NULLs are distinct in a unique index in
-- both databases, so it does not by itself keep one key current.
CREATE TABLE signing_keys (
  id         BIGINT PRIMARY KEY,
  key_id     TEXT NOT NULL UNIQUE,
  public_key BYTEA NOT NULL,
  secret     BYTEA NOT NULL,
  created_at BIGINT NOT NULL,
  retired_at BIGINT
);
CREATE UNIQUE INDEX signing_keys_current ON signing_keys (retired_at) WHERE retired_at IS NULL;
CREATE TABLE certificates (
  id         BIGINT PRIMARY KEY,
  tag        BYTEA NOT NULL,
  request_id BIGINT UNIQUE,
  kind       TEXT NOT NULL,
  body       BYTEA NOT NULL,
  created_at BIGINT NOT NULL
);

-- 0015: cookie banner configurations by id, and consent receipts, appended
-- and never changed (sql/sqlite/0015 says what each column holds)
CREATE TABLE cookie_configs (
  id          TEXT PRIMARY KEY,
  kit         TEXT NOT NULL,
  lang        TEXT NOT NULL,
  declaration TEXT NOT NULL,
  canonical   TEXT NOT NULL,
  created_at  BIGINT NOT NULL
);
CREATE TABLE cookie_receipts (
  id            BIGINT PRIMARY KEY,
  tag           BYTEA NOT NULL,
  consent_index BYTEA NOT NULL,
  config_id     TEXT NOT NULL REFERENCES cookie_configs (id),
  declaration   TEXT NOT NULL,
  event         TEXT NOT NULL,
  choices       TEXT NOT NULL,
  gpc           BIGINT NOT NULL,
  given_at      BIGINT NOT NULL,
  received_at   BIGINT NOT NULL
);
CREATE INDEX cookie_receipts_consent ON cookie_receipts (consent_index, id);
CREATE INDEX cookie_receipts_received ON cookie_receipts (received_at);
-- the function lives in the vault's schema beside its table: a restore
-- moves the staged one in with the tables (pdv_restore_swap)
CREATE FUNCTION pdv_cookie_receipts_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'cookie receipts are appended, never changed';
END
$$;
CREATE TRIGGER cookie_receipts_append_only BEFORE UPDATE ON cookie_receipts
  FOR EACH ROW EXECUTE FUNCTION pdv_cookie_receipts_append_only();

-- A restore (src/store/pg/backup.c) loads the backup into a staging schema,
-- lets the engine replay erasures there, then swaps its tables in. Schema
-- and table names are identifiers, which no value may be bound as: these
-- two functions quote them (format's %I), so the backend never builds SQL.
CREATE FUNCTION pdv_schema_reset(name TEXT, make BOOLEAN) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('DROP SCHEMA IF EXISTS %I CASCADE', name);
  IF make THEN
    EXECUTE format('CREATE SCHEMA %I', name);
  END IF;
END
$$;

-- the staged tables take the place of this schema's, in the caller's
-- transaction (all at once or not at all)
CREATE FUNCTION pdv_restore_swap(staged TEXT) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  t TEXT;
  live TEXT := current_schema();
BEGIN
  FOREACH t IN ARRAY ARRAY['pdv_schema', 'meta', 'subjects', 'lookups', 'records', 'events', 'consent_texts', 'consents', 'suppression', 'holds', 'requests', 'breaches', 'outbox', 'recipient_secrets', 'erasures', 'statistics', 'tokens', 'audit', 'directives', 'verifications', 'downloads',
                         'renewals', 'request_notes', 'staff', 'staff_sessions',
                         'signing_keys', 'certificates', 'cookie_configs',
                         'cookie_receipts'] LOOP
    EXECUTE format('DROP TABLE IF EXISTS %I.%I CASCADE', live, t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['pdv_schema', 'meta', 'subjects', 'lookups', 'records', 'events', 'consent_texts', 'consents', 'suppression', 'holds', 'requests', 'breaches', 'outbox', 'recipient_secrets', 'erasures', 'statistics', 'tokens', 'audit', 'directives', 'verifications', 'downloads',
                         'renewals', 'request_notes', 'staff', 'staff_sessions',
                         'signing_keys', 'certificates', 'cookie_configs',
                         'cookie_receipts'] LOOP
    EXECUTE format('ALTER TABLE %I.%I SET SCHEMA %I', staged, t, live);
  END LOOP;
  -- the staged receipts' trigger calls the staged schema's function: it
  -- moves in too (the live one went with the live table's trigger), else
  -- dropping the staged schema would take the trigger with it
  EXECUTE format('DROP FUNCTION IF EXISTS %I.pdv_cookie_receipts_append_only() CASCADE', live);
  EXECUTE format('ALTER FUNCTION %I.pdv_cookie_receipts_append_only() SET SCHEMA %I', staged,
                 live);
  EXECUTE format('DROP SCHEMA %I CASCADE', staged);
END
$$;
