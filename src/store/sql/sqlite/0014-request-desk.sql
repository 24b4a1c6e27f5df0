-- 0014: a request as the DPO works it.
-- rectification: what a rectification request asks (a JSON object of field
-- names and new values), sealed under the statistics key, bound to the
-- request; NULL for any other kind and for requests recorded before.
-- extended_at: when the Art. 12(3) extension was decided (its place on the
-- request's timeline); NULL when not extended or extended before 0014.
-- request_notes: the DPO's private notes on a request, each sealed (it may
-- name the person) under the statistics key, bound to the request and note.
-- requests_open_subject: the sweep asks, for a record that would move,
-- whether its person has an open request (then it waits).
ALTER TABLE requests ADD COLUMN rectification BLOB;
ALTER TABLE requests ADD COLUMN extended_at INTEGER;
CREATE TABLE request_notes (
  id         INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  author     TEXT,
  note       BLOB NOT NULL
);
CREATE INDEX request_notes_of ON request_notes (request_id, id);
CREATE INDEX requests_open_subject ON requests (subject_id) WHERE status = 'open';
