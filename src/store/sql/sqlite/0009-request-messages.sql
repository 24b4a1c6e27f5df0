-- 0009: the language a request's messages are written in (acknowledgement,
-- extension, refusal, the answer's link): "fr" or "en", chosen by the
-- person in the privacy center or by staff (--lang); NULL: the declaration's
-- first language, as for a request opened before this version.
ALTER TABLE requests ADD COLUMN lang TEXT;
-- The answer to an access or portability request, for the person to download
-- once within 7 days: the export sealed (never in clear), the link's token
-- sealed too (the status page shows the link again) and found by its keyed
-- hash; both set to NULL when the download is used or expires.
CREATE TABLE downloads (
  id INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES requests(id),
  token_hash BLOB NOT NULL UNIQUE,
  token BLOB,
  export BLOB,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX downloads_request ON downloads(request_id);
