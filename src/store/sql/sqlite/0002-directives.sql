-- 0002: post-mortem directives (LIL art. 85): what a person wants done with
-- their data after their death, shown to an heir who asks. Sealed under the
-- subject's key, like every value about them.
CREATE TABLE directives (
  subject_id INTEGER PRIMARY KEY REFERENCES subjects(id),
  text       BLOB NOT NULL,
  updated_at INTEGER NOT NULL
);
