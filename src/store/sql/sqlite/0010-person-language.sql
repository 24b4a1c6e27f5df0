-- 0010: the person's language, the retention re-confirmation's link, and the
-- breach texts Art. 34(2) puts in the notice to the people.
-- The language the person's messages are written in ("fr" or "en"), given
-- with the submission (a form's language, a `lang` field, Accept-Language,
-- collect --lang); NULL: the declaration's first language, as for a subject
-- collected before this version. A check keeps it until its code comes back
-- (a double opt-in collects then).
ALTER TABLE subjects ADD COLUMN lang TEXT;
ALTER TABLE verifications ADD COLUMN lang TEXT;
-- Art. 34(2) (through 33(3)(c) and (d)): the likely consequences and the
-- measures taken or proposed, typed by staff, sealed like the summary.
ALTER TABLE breaches ADD COLUMN consequences BLOB;
ALTER TABLE breaches ADD COLUMN measures BLOB;
-- The link of a renewal message: found by its keyed hash (the token itself
-- is only in the message, sealed in the outbox until sent), used once, valid
-- until the end of the retention's `wait`.
CREATE TABLE renewals (
  id INTEGER PRIMARY KEY,
  record_id INTEGER NOT NULL,
  token_hash BLOB NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX renewals_record ON renewals(record_id);
