-- 0011: the DPO's reminders and the Art. 19 notices of a request.
-- once_key: a message that must be queued once whatever the number of
-- workers that see it due (the daily digest, "digest:YYYY-MM-DD"; a breach's
-- alert at one stage, "breach:ID:STAGE"); unique, NULL for every other
-- message (NULLs never collide). request_id: the request whose close queued
-- the message (the Art. 19 notices of an erasure, a restriction), so the
-- request's page lists who was told; NULL for messages queued before this
-- version or by no request.
ALTER TABLE outbox ADD COLUMN once_key TEXT;
ALTER TABLE outbox ADD COLUMN request_id INTEGER;
CREATE UNIQUE INDEX outbox_once ON outbox (once_key);
CREATE INDEX outbox_request ON outbox (request_id) WHERE request_id IS NOT NULL;
