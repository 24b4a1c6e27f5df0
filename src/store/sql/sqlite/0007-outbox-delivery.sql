-- 0007: the outbox is delivered. Each message gets a random message id (what
-- a receiver de-duplicates on), a status (queued, sending, sent, failed), the
-- time of its next attempt, a lease (who is sending it, until when: a
-- worker killed mid-send leaves a lease that expires and the message is
-- claimed again), the language it is written in, and the code of its last
-- error (a status such as "smtp-451" or "http-500", never a value).
-- Messages already marked sent stay sent; the others wait for the worker.
-- recipient_secrets: a recipient's webhook secret, sealed under the
-- statistics key, bound to the recipient's id.
ALTER TABLE outbox ADD COLUMN message_id TEXT;
ALTER TABLE outbox ADD COLUMN status TEXT NOT NULL DEFAULT 'queued';
ALTER TABLE outbox ADD COLUMN next_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
ALTER TABLE outbox ADD COLUMN lease_until INTEGER;
ALTER TABLE outbox ADD COLUMN lang TEXT;
ALTER TABLE outbox ADD COLUMN last_error TEXT;
UPDATE outbox SET message_id = lower(hex(randomblob(16)));
UPDATE outbox SET status = 'sent', payload = NULL WHERE sent_at IS NOT NULL;
CREATE UNIQUE INDEX outbox_message_id ON outbox (message_id);
CREATE INDEX outbox_due ON outbox (status, next_at);
CREATE TABLE recipient_secrets (
  recipient  TEXT PRIMARY KEY,
  secret     BLOB NOT NULL,
  created_at INTEGER NOT NULL
);
