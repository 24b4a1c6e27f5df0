-- Every statement the PostgreSQL backend runs, prepared once when the store
-- opens (src/store/pg/pg.c), every value bound ($N). A block starts with
-- "-- name: NAME"; tools/gen-sql.py turns this file into an enum and a table.
-- The statements follow sql/sqlite/statements.sql one for one where they can
-- (same names, same columns in the same order), so the two backends read
-- alike. Text is ordered COLLATE "C", bytewise, as SQLite orders it.

-- name: begin
BEGIN ISOLATION LEVEL READ COMMITTED;
-- name: writer_lock
-- one writer at a time on this vault (its schema), across connections and
-- servers: SQLite's BEGIN IMMEDIATE. Released by the commit or rollback.
SELECT pg_advisory_xact_lock(1885627510, hashtext(current_schema()));
-- name: tx_start
-- what a write transaction reads first, sent with the writer lock and read
-- in its round trip: the next subject id and the next record id (as
-- subject_next_id and record_next_id), the audit log's head (audit_last;
-- NULLs when the log is empty)
SELECT greatest(coalesce((SELECT max(id) FROM subjects), 0),
                coalesce((SELECT convert_from(value, 'UTF8')::bigint FROM meta
                          WHERE name = 'ids_reserved:subject'), 0)) + 1,
       greatest(coalesce((SELECT max(id) FROM records), 0),
                coalesce((SELECT convert_from(value, 'UTF8')::bigint FROM meta
                          WHERE name = 'ids_reserved:record'), 0)) + 1,
       head.seq, head.hash
  FROM (SELECT 1) AS one
  LEFT JOIN (SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1) AS head ON true;
-- name: commit
COMMIT;
-- name: savepoint
SAVEPOINT pdv_job;
-- name: release
RELEASE SAVEPOINT pdv_job;
-- name: rollback_to
ROLLBACK TO SAVEPOINT pdv_job;
-- name: rollback
ROLLBACK;
-- name: durability_deferred
-- the server's worker (pdv_store_durability): a commit returns once it is
-- visible, before its WAL is flushed; sync_mark makes it durable
SET synchronous_commit = off;
-- name: durability_full
SET synchronous_commit = on;
-- name: sync_mark
-- the one WAL record of a transaction committed with synchronous_commit on:
-- its flush (and its wait for synchronous standbys) covers every commit
-- made before it, so every deferred commit before it is durable after it
SELECT pg_logical_emit_message(true, 'pdvault', 'sync');

-- name: schema_exists
SELECT to_regclass('pdv_schema') IS NOT NULL;
-- name: schema_version
SELECT version FROM pdv_schema;
-- name: destroy
-- every table of the vault (a migration that adds one adds it here, in
-- pdv_restore_swap of 0001 and in the copy_ blocks below; 0002's
-- verify_sends only here: an hour of rate-limit counts is neither backed up
-- nor swapped by a restore, the live counts stay)
DROP TABLE IF EXISTS pdv_schema, meta, subjects, lookups, records, events, consent_texts,
  consents, suppression, holds, requests, breaches, outbox, recipient_secrets, erasures,
  statistics, tokens, audit, directives, verifications, downloads, renewals, request_notes,
  staff, staff_sessions, signing_keys, certificates, cookie_configs, cookie_receipts,
  verify_sends CASCADE;
-- name: destroy_functions
DROP FUNCTION IF EXISTS pdv_schema_reset(text, boolean), pdv_restore_swap(text),
  pdv_cookie_receipts_append_only();
-- name: check
SELECT count(*) FROM pdv_schema;
-- name: size_bytes
-- the vault's tables with their indexes and TOAST, not the whole database
SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c
  WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r';

-- name: meta_get
SELECT value FROM meta WHERE name = $1;
-- name: meta_delete
DELETE FROM meta WHERE name = $1;
-- name: meta_put
INSERT INTO meta (name, value) VALUES ($1, $2)
  ON CONFLICT (name) DO UPDATE SET value = excluded.value;

-- name: subject_next_id
SELECT greatest(coalesce((SELECT max(id) FROM subjects), 0),
                coalesce((SELECT convert_from(value, 'UTF8')::bigint FROM meta
                          WHERE name = 'ids_reserved:subject'), 0)) + 1;
-- name: subject_ids_reserve
INSERT INTO meta (name, value) VALUES ('ids_reserved:subject', convert_to($1::bigint::text, 'UTF8'))
  ON CONFLICT (name) DO UPDATE SET value = excluded.value;
-- name: subject_insert
INSERT INTO subjects (id, tag, wrapped_key, created_at, restricted) VALUES ($5, $1, $2, $3, $4);
-- name: subject_get
SELECT id, tag, wrapped_key, created_at, restricted, lang FROM subjects WHERE id = $1;
-- name: subject_lang_set
-- the language of the person's messages (fr | en), as their last submission gave it
UPDATE subjects SET lang = $2 WHERE id = $1;
-- name: subject_wrapped_each
SELECT id, wrapped_key, tag FROM subjects WHERE wrapped_key IS NOT NULL AND id > $1
  ORDER BY id LIMIT 1000;
-- name: subject_wrapped_set
UPDATE subjects SET wrapped_key = $2 WHERE id = $1;

-- name: lookup_put
INSERT INTO lookups (hash, subject_id) VALUES ($1, $2)
  ON CONFLICT (hash) DO UPDATE SET subject_id = excluded.subject_id
  WHERE (SELECT wrapped_key FROM subjects WHERE id = lookups.subject_id) IS NULL;
-- name: lookup_insert
-- lookup_put in a server's group with lazy savepoints (pg.c): a plain insert,
-- cheaper than the upsert; where the upsert would have met a lookup already
-- there it fails, and the group runs again the ordinary way
INSERT INTO lookups (hash, subject_id) VALUES ($1, $2);
-- name: lookup_get_records
-- lookup_get's columns, then the subject's records (records_of_subject's
-- 13 columns, NULL for a subject with none), one row per record
SELECT l.subject_id, s.id, s.tag, s.wrapped_key, s.created_at, s.restricted, s.lang,
       r.id, r.tag, r.subject_id, r.activity, r.phase, r.collected_at, r.last_contact,
       r.consent_at, r.phase_at, r.next_at, r.source, r.fields, r.binding
  FROM lookups l LEFT JOIN subjects s ON s.id = l.subject_id
  LEFT JOIN records r ON r.subject_id = s.id
  WHERE l.hash = $1 ORDER BY r.id;
-- name: lookups_read_ahead
-- lookup_get_records' columns for each of many hashes ($1: 16 bytes each,
-- one after the other), then the hash's position (from 0); none for a hash
-- no one has. Each hash is looked up by its own probe of lookups' primary
-- key (the LATERAL subquery, kept whole by its OFFSET 0): joined as sets,
-- the plan kept for the statement hashed the whole of lookups once a
-- question (tables of 100k to 300k rows; store-pg.md, "Plans")
SELECT x.*, i::bigint
  FROM generate_series(0, length($1::bytea) / 16 - 1) AS i
  CROSS JOIN LATERAL (
    SELECT l.subject_id, s.id AS s_id, s.tag AS s_tag, s.wrapped_key, s.created_at,
           s.restricted, s.lang, r.id AS r_id, r.tag AS r_tag, r.subject_id AS r_subject,
           r.activity, r.phase, r.collected_at, r.last_contact, r.consent_at, r.phase_at,
           r.next_at, r.source, r.fields, r.binding
      FROM lookups l LEFT JOIN subjects s ON s.id = l.subject_id
      LEFT JOIN records r ON r.subject_id = s.id
      WHERE l.hash = substring($1::bytea FROM i * 16 + 1 FOR 16)
      OFFSET 0) AS x
  ORDER BY i, x.r_id;
-- name: lookups_known
-- $1: the hashes (16 bytes each) one after the other, in one value; the
-- positions (from 0) of those the vault holds, in one round trip. Each hash
-- is its own probe of the primary key (a scalar subquery, which the planner
-- does not turn into a join): written as EXISTS, the plan kept for the
-- statement became a hash join over the whole of lookups once the table
-- held 100k to 300k rows, a scan of the table for each chunk of an import
-- and each server group (store-pg.md, "Plans")
SELECT i::bigint FROM generate_series(0, length($1::bytea) / 16 - 1) AS i
  WHERE (SELECT true FROM lookups
         WHERE hash = substring($1::bytea FROM i * 16 + 1 FOR 16));
-- name: subject_delete_new
DELETE FROM subjects WHERE id = $1;
-- name: lookup_get
-- the subject's row comes with it (subject_get's columns from the second
-- on): the subject_get that follows reads it without a round trip
SELECT l.subject_id, s.id, s.tag, s.wrapped_key, s.created_at, s.restricted, s.lang
  FROM lookups l LEFT JOIN subjects s ON s.id = l.subject_id WHERE l.hash = $1;

-- name: record_next_id
SELECT greatest(coalesce((SELECT max(id) FROM records), 0),
                coalesce((SELECT convert_from(value, 'UTF8')::bigint FROM meta
                          WHERE name = 'ids_reserved:record'), 0)) + 1;
-- name: record_ids_reserve
INSERT INTO meta (name, value) VALUES ('ids_reserved:record', convert_to($1::bigint::text, 'UTF8'))
  ON CONFLICT (name) DO UPDATE SET value = excluded.value;
-- name: record_insert
INSERT INTO records (id, tag, subject_id, activity, phase, collected_at, last_contact, consent_at,
                     phase_at, next_at, source, fields, binding)
  VALUES ($12, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $13);
-- name: record_get
SELECT id, tag, subject_id, activity, phase, collected_at, last_contact, consent_at, phase_at,
       next_at, source, fields, binding
  FROM records WHERE id = $1;
-- name: record_update
UPDATE records SET phase = $2, last_contact = $3, consent_at = $4, phase_at = $5, next_at = $6,
                   fields = $7, binding = $8
  WHERE id = $1;
-- name: records_unbound
SELECT id, tag, subject_id, activity, phase, collected_at, last_contact, consent_at, phase_at,
       next_at, source, fields, binding
  FROM records WHERE id > $1 AND binding IS NULL ORDER BY id LIMIT 1000;
-- name: record_bind
UPDATE records SET binding = $2 WHERE id = $1;
-- name: records_of_subject
SELECT id, tag, subject_id, activity, phase, collected_at, last_contact, consent_at, phase_at,
       next_at, source, fields, binding
  FROM records WHERE subject_id = $1 ORDER BY id;

-- name: event_insert
INSERT INTO events (id, record_id, name, at, actor)
  VALUES ((SELECT coalesce(max(id), 0) + 1 FROM events), $1, $2, $3, $4);
-- name: events_of_record
SELECT record_id, name, at, actor FROM events WHERE record_id = $1 ORDER BY at, id;

-- name: consent_text_put
INSERT INTO consent_texts (activity, version, text) VALUES ($1, $2, $3)
  ON CONFLICT (activity, version) DO NOTHING;
-- name: consent_insert
INSERT INTO consents (id, subject_id, record_id, activity, state, version, at, channel)
  VALUES ((SELECT coalesce(max(id), 0) + 1 FROM consents), $1, $2, $3, $4, $5, $6, $7);
-- name: consents_of_subject
SELECT subject_id, record_id, activity, state, version, at, channel
  FROM consents WHERE subject_id = $1 ORDER BY id;

-- name: token_insert
-- a taken name (or hash) changes no row: refused by the caller, without the
-- error that would abort the transaction
INSERT INTO tokens (name, hash, role, created_at, expires_at, scope) VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT DO NOTHING;
-- name: token_revoke
UPDATE tokens SET revoked_at = $2 WHERE name = $1 AND revoked_at IS NULL;
-- name: token_by_hash
SELECT name, hash, role, created_at, expires_at, revoked_at, scope, used_at FROM tokens
  WHERE hash = $1;
-- name: tokens_all
SELECT name, hash, role, created_at, expires_at, revoked_at, scope, used_at FROM tokens
  ORDER BY name COLLATE "C";

-- name: audit_append
INSERT INTO audit (seq, at, actor, action, subject, record, activity, purpose, detail, hash)
  VALUES ($10, $1, $2, $3, $4, $5, $6, $7, $8, $9);
-- name: audit_last
SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1;
-- name: audit_all
SELECT seq, at, actor, action, subject, record, activity, purpose, detail, hash
  FROM audit ORDER BY seq;
-- name: audit_from
-- bounded on both sides, though the upper bound is none: the plan kept for
-- the statement is then an index scan whatever the table's size when it was
-- planned (with "seq >= $1" alone, planned on a new vault's few entries, it
-- sorted the whole log at every later call: store-pg.md, "Plans")
SELECT seq, at, actor, action, subject, record, activity, purpose, detail, hash
  FROM audit WHERE seq >= $1 AND seq <= 9223372036854775807 ORDER BY seq;
-- name: audit_subject
SELECT seq, at, actor, action, subject, record, activity, purpose, detail, hash
  FROM audit WHERE subject = $1 ORDER BY seq;

-- name: record_delete
DELETE FROM records WHERE id = $1;
-- name: events_delete
DELETE FROM events WHERE record_id = $1;
-- name: breach_insert
INSERT INTO breaches (id, tag, aware_at, authority_due, summary, risk, risk_reason, recorded_at,
                      assessed_at)
  VALUES ((SELECT coalesce(max(id), 0) + 1 FROM breaches), $1, $2, $3, $4, $5, $6, $7, $8)
  RETURNING id;
-- name: breach_get
SELECT id, tag, aware_at, authority_due, summary, authority_notified, subjects_notified,
       risk, risk_reason, late_reason, consequences, measures, nature, categories,
       people_count, records_count, authority_reference, recorded_at, assessed_at,
       subjects_notices, subjects_unreachable
  FROM breaches WHERE id = $1;
-- name: breaches_all
SELECT id, tag, aware_at, authority_due, summary, authority_notified, subjects_notified,
       risk, risk_reason, late_reason, consequences, measures, nature, categories,
       people_count, records_count, authority_reference, recorded_at, assessed_at,
       subjects_notices, subjects_unreachable
  FROM breaches ORDER BY id;
-- name: breach_describe
-- Art. 33(3) (a), (c), (d): the texts sealed, the numbers; NULL keeps what is there
UPDATE breaches SET consequences = coalesce($2, consequences), measures = coalesce($3, measures),
       nature = coalesce($4, nature), categories = coalesce($5, categories),
       people_count = coalesce($6, people_count), records_count = coalesce($7, records_count)
  WHERE id = $1;
-- name: breach_assess
UPDATE breaches SET risk = $2, risk_reason = $3, assessed_at = $4 WHERE id = $1;
-- name: breach_authority_notified
UPDATE breaches SET authority_notified = $2, late_reason = $3, authority_reference = $4
  WHERE id = $1 AND authority_notified IS NULL;
-- name: breach_subjects_notified
UPDATE breaches SET subjects_notified = $2, subjects_notices = $3, subjects_unreachable = $4
  WHERE id = $1 AND subjects_notified IS NULL;
-- name: lookup_delete
DELETE FROM lookups WHERE hash = $1;
-- name: lookups_held_between
-- a server group's check of the lookups its new people took (lookups_subject)
SELECT count(*) FROM lookups WHERE subject_id BETWEEN $1 AND $2;
-- name: statistics_insert
INSERT INTO statistics (id, activity, month, fields)
  VALUES ((SELECT coalesce(max(id), 0) + 1 FROM statistics), $1, $2, $3);

-- name: records_due
SELECT r.id, r.tag, r.subject_id, r.activity, r.phase, r.collected_at, r.last_contact,
       r.consent_at, r.phase_at, r.next_at, r.source, r.fields, r.binding, s.tag, s.restricted
  FROM records r LEFT JOIN subjects s ON s.id = r.subject_id
  WHERE r.id > $1 AND r.next_at IS NOT NULL AND r.next_at <= $2 ORDER BY r.id LIMIT $3;
-- name: records_count_of_subject
SELECT count(*) FROM records WHERE subject_id = $1;
-- name: subject_shred
UPDATE subjects SET wrapped_key = NULL WHERE id = $1;
-- name: lookups_purge
DELETE FROM lookups WHERE subject_id IN
  (SELECT subject_id FROM erasures WHERE seq > $1 AND record_id IS NULL);
-- name: lookups_delete_subject
DELETE FROM lookups WHERE subject_id = $1;
-- name: erasure_insert
INSERT INTO erasures (seq, subject_id, record_id, at, reason)
  VALUES (coalesce($5, (SELECT coalesce(max(seq), 0) + 1 FROM erasures)), $1, $2, $3, $4)
  RETURNING seq;
-- name: outbox_insert
-- the message id: 122 random bits of a version 4 UUID, in hex; its id is
-- kept by the handle for outbox_link_last (SQLite's last_insert_rowid())
INSERT INTO outbox (id, kind, recipient, subject_id, record_id, payload, created_at, message_id,
                    next_at, lang)
  VALUES ((SELECT coalesce(max(id), 0) + 1 FROM outbox), $1, $2, $3, $4, $5, $6,
          replace(gen_random_uuid()::text, '-', ''), $6, $7)
  RETURNING id;
-- name: holds_active_count
SELECT count(*) FROM holds WHERE subject_id = $1 AND lifted_at IS NULL;
-- name: erasures_after
SELECT seq, subject_id, record_id, at, reason FROM erasures WHERE seq > $1 ORDER BY seq;

-- name: hold_insert
INSERT INTO holds (id, tag, subject_id, reason, placed_at, placed_by)
  VALUES ((SELECT coalesce(max(id), 0) + 1 FROM holds), $1, $2, $3, $4, $5)
  RETURNING id;
-- name: hold_get
SELECT id, tag, subject_id, lifted_at FROM holds WHERE id = $1;
-- name: holds_of_subject
SELECT id, tag, reason, placed_at, placed_by, lifted_at, lifted_by
  FROM holds WHERE subject_id = $1 ORDER BY id;
-- name: hold_lift
UPDATE holds SET lifted_at = $2, lifted_by = $3 WHERE id = $1 AND lifted_at IS NULL;
-- name: subject_set_restricted
UPDATE subjects SET restricted = $2 WHERE id = $1;
-- name: suppression_put
INSERT INTO suppression (hash, created_at, expires_at) VALUES ($1, $2, $3)
  ON CONFLICT (hash) DO UPDATE SET created_at = excluded.created_at,
                                   expires_at = greatest(suppression.expires_at,
                                                         excluded.expires_at);
-- name: suppression_active
SELECT 1 FROM suppression WHERE hash = $1 AND expires_at > $2;

-- name: erasures_max
SELECT coalesce(max(seq), 0) FROM erasures;
-- name: events_delete_subject
DELETE FROM events WHERE record_id IN (SELECT id FROM records WHERE subject_id = $1);
-- name: records_delete_subject
DELETE FROM records WHERE subject_id = $1;

-- name: request_insert
INSERT INTO requests (id, tag, kind, subject_id, status, channel, received, due, reference,
                      address, lang, rectification)
  VALUES ((SELECT coalesce(max(id), 0) + 1 FROM requests), $1, $2, $3, 'open', $4, $5, $6, $7,
          $8, $9, $10)
  RETURNING id;
-- name: request_get
SELECT id, tag, kind, subject_id, status, channel, received, due, extended, reference, address,
       extension_reason, reason, closed_at, lang, rectification, extended_at FROM requests
  WHERE id = $1;
-- name: request_by_reference
SELECT id, tag, kind, subject_id, status, channel, received, due, extended, reference, address,
       extension_reason, reason, closed_at, lang, rectification, extended_at FROM requests
  WHERE reference = $1;
-- name: request_update
UPDATE requests SET status = $2, due = $3, extended = $4, reason = $5, closed_at = $6
  WHERE id = $1;
-- name: request_extend
UPDATE requests SET due = $2, extended = 1, extension_reason = $3, extended_at = $4 WHERE id = $1;
-- name: requests_all
SELECT id, tag, kind, subject_id, status, channel, received, due, extended, reference FROM requests
  ORDER BY due COLLATE "C", id;

-- name: records_of_activity
SELECT id, tag, subject_id, activity, phase, collected_at, last_contact, consent_at, phase_at,
       next_at, source, fields, binding
  FROM records WHERE activity = $1 AND id > $2 ORDER BY id LIMIT 1000;
-- name: statistics_of_activity
SELECT id, month, fields FROM statistics WHERE activity = $1 ORDER BY id;
-- name: outbox_all
SELECT o.id, o.kind, o.recipient, o.subject_id, o.record_id, o.created_at, o.sent_at, r.tag,
       o.message_id, o.status, o.attempts, o.next_at, o.last_error, o.lang
  FROM outbox o LEFT JOIN records r ON r.id = o.record_id ORDER BY o.id;

-- name: request_set_id_document
UPDATE requests SET id_document = $2 WHERE id = $1;
-- name: requests_with_id_document
SELECT id, received, status, closed_at FROM requests WHERE id_document IS NOT NULL ORDER BY id;

-- name: directives_put
INSERT INTO directives (subject_id, text, updated_at) VALUES ($1, $2, $3)
  ON CONFLICT (subject_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at;
-- name: directives_get
SELECT text FROM directives WHERE subject_id = $1;
-- name: directives_delete
DELETE FROM directives WHERE subject_id = $1;
-- name: verification_insert
INSERT INTO verifications (id, tag, purpose, address, code_hash, created_at, expires_at, payload,
                           lang)
  VALUES ((SELECT coalesce(max(id), 0) + 1 FROM verifications), $1, $2, $3, $4, $5, $6, $7, $8)
  RETURNING id;
-- name: verification_get
SELECT id, tag, purpose, address, code_hash, created_at, expires_at, attempts, used_at, payload,
       lang
  FROM verifications WHERE id = $1;
-- name: verification_update
UPDATE verifications SET attempts = $2, used_at = $3 WHERE id = $1;
-- name: verifications_purge
DELETE FROM verifications WHERE expires_at <= $1;
-- name: outbox_codes_purge
DELETE FROM outbox WHERE kind IN ('verification', 'confirmation') AND created_at <= $1;
-- name: outbox_get
SELECT id, kind, recipient, subject_id, record_id, payload, created_at, sent_at, message_id,
       status, attempts, next_at, last_error, lang
  FROM outbox WHERE id = $1;
-- name: outbox_claim
-- sql/sqlite/statements.sql says why the two halves are read apart
UPDATE outbox SET status = 'sending', lease_owner = $1, lease_until = $2,
                  attempts = attempts + 1
  WHERE id = (SELECT id FROM (
                 (SELECT id, next_at FROM outbox
                   WHERE status = 'queued' AND next_at <= $3
                     AND kind IN ('verification', 'confirmation', 'renewal', 'rectification',
                                  'erasure', 'restriction', 'acknowledgement', 'extension',
                                  'refusal', 'access-answer', 'breach-notice', 'dpo-digest',
                                  'dpo-breach-alert', 'nothing-held', 'staff-invitation',
                                  'erasure-answer')
                     AND ($4::bigint <> 0 OR kind IN ('rectification', 'erasure', 'restriction'))
                   ORDER BY next_at, id LIMIT 1)
                 UNION ALL
                 (SELECT id, next_at FROM outbox
                   WHERE status = 'sending' AND lease_until <= $3
                     AND kind IN ('verification', 'confirmation', 'renewal', 'rectification',
                                  'erasure', 'restriction', 'acknowledgement', 'extension',
                                  'refusal', 'access-answer', 'breach-notice', 'dpo-digest',
                                  'dpo-breach-alert', 'nothing-held', 'staff-invitation',
                                  'erasure-answer')
                     AND ($4::bigint <> 0 OR kind IN ('rectification', 'erasure', 'restriction'))
                   ORDER BY next_at, id LIMIT 1)) due
               ORDER BY next_at, id LIMIT 1)
  RETURNING id, kind, recipient, subject_id, record_id, payload, created_at, sent_at, message_id,
            status, attempts, next_at, last_error, lang;
-- name: outbox_sent
UPDATE outbox SET status = 'sent', sent_at = $2, payload = NULL, lease_owner = NULL,
                  lease_until = NULL, last_error = NULL
  WHERE id = $1 AND status = 'sending' AND lease_owner = $3;
-- name: outbox_unsent
UPDATE outbox SET status = $2, next_at = $3, last_error = $4, lease_owner = NULL,
                  lease_until = NULL
  WHERE id = $1 AND status = 'sending' AND lease_owner = $5;
-- name: outbox_release
-- a claimed message the worker did not try (it is stopping, or its lease
-- would run out before the send ends): due again as it was, the attempt the
-- claim counted taken back
UPDATE outbox SET status = 'queued', lease_owner = NULL, lease_until = NULL,
                  attempts = attempts - 1
  WHERE id = $1 AND status = 'sending' AND lease_owner = $2;
-- name: outbox_relay_back
-- the relay answers again: the email messages waiting on it (the last try
-- could not reach it) are due now, not at the end of their backoff; only the
-- kinds that always go by email (an Art. 19 notice may be a webhook's)
UPDATE outbox SET next_at = $1
  WHERE status = 'queued' AND next_at > $1 AND last_error IN ('connect', 'timeout')
    AND kind IN ('verification', 'confirmation', 'renewal', 'acknowledgement', 'extension',
                 'refusal', 'access-answer', 'erasure-answer');
-- name: outbox_retry
UPDATE outbox SET status = 'queued', next_at = $2, attempts = 0, last_error = NULL
  WHERE id = $1 AND status = 'failed';
-- name: recipient_secret_put
INSERT INTO recipient_secrets (recipient, secret, created_at) VALUES ($1, $2, $3)
  ON CONFLICT (recipient) DO UPDATE SET secret = excluded.secret,
                                        created_at = excluded.created_at;
-- name: recipient_secret_get
SELECT secret FROM recipient_secrets WHERE recipient = $1;
-- name: records_summary
SELECT activity, phase, count(*), count(*) FILTER (WHERE next_at > $1 AND next_at <= $2)
  FROM records GROUP BY activity, phase ORDER BY activity COLLATE "C", phase COLLATE "C";

-- name: events_any_between
SELECT EXISTS (SELECT 1 FROM events WHERE record_id BETWEEN $1 AND $2);
-- name: directives_any
SELECT EXISTS (SELECT 1 FROM directives);
-- name: holds_any_active
SELECT EXISTS (SELECT 1 FROM holds WHERE lifted_at IS NULL);

-- name: download_insert
INSERT INTO downloads (id, request_id, token_hash, token, export, created_at, expires_at)
  VALUES ((SELECT coalesce(max(id), 0) + 1 FROM downloads), $1, $2, $3, $4, $5, $6);
-- name: download_by_hash
SELECT id, request_id, token, export, created_at, expires_at, used_at, token_hash FROM downloads
  WHERE token_hash = $1;
-- name: download_of_request
SELECT id, request_id, token, export, created_at, expires_at, used_at, token_hash FROM downloads
  WHERE request_id = $1 ORDER BY id DESC LIMIT 1;
-- name: download_use
UPDATE downloads SET used_at = $2, export = NULL, token = NULL
  WHERE id = $1 AND used_at IS NULL AND export IS NOT NULL;
-- name: downloads_purge
UPDATE downloads SET export = NULL, token = NULL
  WHERE expires_at <= $1 AND (export IS NOT NULL OR token IS NOT NULL);
-- name: renewal_insert
INSERT INTO renewals (id, record_id, token_hash, created_at, expires_at)
  VALUES ((SELECT coalesce(max(id), 0) + 1 FROM renewals), $1, $2, $3, $4);
-- name: renewal_by_hash
SELECT id, record_id, created_at, expires_at, used_at FROM renewals WHERE token_hash = $1;
-- name: renewal_use
UPDATE renewals SET used_at = $2 WHERE id = $1 AND used_at IS NULL;

-- name: outbox_insert_once
-- a message queued once for its key: a second insert changes nothing (and
-- aborts nothing: no error is raised)
INSERT INTO outbox (id, kind, once_key, payload, created_at, message_id, next_at)
  VALUES ((SELECT coalesce(max(id), 0) + 1 FROM outbox), $1, $2, $3, $4,
          replace(gen_random_uuid()::text, '-', ''), $4)
  ON CONFLICT (once_key) DO NOTHING
  RETURNING id;
-- name: outbox_once_exists
SELECT 1 FROM outbox WHERE once_key = $1;
-- name: outbox_max_id
SELECT coalesce(max(id), 0) FROM outbox;
-- name: outbox_link_request
-- the Art. 19 notices a request's close queued (the ids after $2, in its
-- transaction) are the request's
UPDATE outbox SET request_id = $1
  WHERE id > $2 AND kind IN ('rectification', 'erasure', 'restriction');
-- name: outbox_link_last
-- a request's own message just queued on this connection ($2, the id
-- outbox_insert returned) is the request's, on its timeline
UPDATE outbox SET request_id = $1 WHERE id = $2;
-- name: request_note_insert
INSERT INTO request_notes (id, request_id, created_at, author, note)
  VALUES ((SELECT coalesce(max(id), 0) + 1 FROM request_notes), $1, $2, $3, $4)
  RETURNING id;
-- name: request_notes_of
SELECT id, created_at, author, note FROM request_notes WHERE request_id = $1 ORDER BY id;
-- name: requests_open_of_subject
SELECT count(*) FROM requests WHERE subject_id = $1 AND status = 'open';
-- name: outbox_of_request
SELECT id, kind, recipient, created_at, sent_at, message_id, status, attempts, next_at,
       last_error
  FROM outbox WHERE request_id = $1 ORDER BY id;
-- name: token_used
UPDATE tokens SET used_at = $2 WHERE name = $1;
-- name: staff_insert
-- a taken name (or invitation) changes no row: refused by the caller, without
-- the error that would abort the transaction
INSERT INTO staff (name, role, email, created_at, invite_hash, invite_expires)
  VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT DO NOTHING;
-- name: staff_get
SELECT name, role, email, created_at, passphrase, totp, totp_step, recovery, invite_hash,
       invite_expires, failures, locked_until FROM staff WHERE name = $1;
-- name: staff_by_invite
SELECT name, role, email, created_at, passphrase, totp, totp_step, recovery, invite_hash,
       invite_expires, failures, locked_until FROM staff WHERE invite_hash = $1;
-- name: staff_all
SELECT name, role, email, created_at, passphrase, totp, totp_step, recovery, invite_hash,
       invite_expires, failures, locked_until FROM staff ORDER BY name COLLATE "C";
-- name: staff_update
UPDATE staff SET passphrase = $2, totp = $3, totp_step = $4, recovery = $5, invite_hash = $6,
                 invite_expires = $7, failures = $8, locked_until = $9
  WHERE name = $1;
-- name: staff_delete
DELETE FROM staff WHERE name = $1;
-- name: staff_session_insert
INSERT INTO staff_sessions (id_hash, name, created_at, seen_at) VALUES ($1, $2, $3, $3);
-- name: staff_session_get
SELECT name, created_at, seen_at FROM staff_sessions WHERE id_hash = $1;
-- name: staff_session_seen
UPDATE staff_sessions SET seen_at = $2 WHERE id_hash = $1;
-- name: staff_session_delete
DELETE FROM staff_sessions WHERE id_hash = $1;
-- name: staff_sessions_end
-- every session of an account but one ($2; NULL: every one)
DELETE FROM staff_sessions WHERE name = $1 AND ($2::bytea IS NULL OR id_hash <> $2::bytea);
-- name: signing_key_insert
-- a new current signing key
INSERT INTO signing_keys (id, key_id, public_key, secret, created_at)
  VALUES ((SELECT coalesce(max(id), 0) + 1 FROM signing_keys), $1, $2, $3, $4);
-- name: signing_key_retire
UPDATE signing_keys SET retired_at = $1 WHERE retired_at IS NULL;
-- name: signing_keys_each
-- every key, the oldest first; the current one is the one not retired
SELECT id, key_id, public_key, secret, created_at, retired_at FROM signing_keys ORDER BY id;
-- name: signing_key_secret_set
UPDATE signing_keys SET secret = $2 WHERE id = $1;
-- name: certificate_insert
INSERT INTO certificates (id, tag, request_id, kind, body, created_at)
  VALUES ((SELECT coalesce(max(id), 0) + 1 FROM certificates), $1, $2, $3, $4, $5)
  RETURNING id;
-- name: certificate_body_set
UPDATE certificates SET body = $2 WHERE id = $1;
-- name: certificate_get
SELECT id, tag, request_id, kind, body, created_at FROM certificates WHERE id = $1;
-- name: certificate_of_request
SELECT id, tag, request_id, kind, body, created_at FROM certificates WHERE request_id = $1;

-- cookie banners and consent receipts
-- name: cookie_config_put
INSERT INTO cookie_configs (id, kit, lang, declaration, canonical, created_at)
  VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING;
-- name: cookie_config_get
SELECT id, kit, lang, declaration, canonical, created_at FROM cookie_configs WHERE id = $1;
-- name: cookie_receipt_insert
INSERT INTO cookie_receipts (id, tag, consent_index, config_id, declaration, event, choices, gpc,
                             given_at, received_at)
  VALUES ((SELECT coalesce(max(id), 0) + 1 FROM cookie_receipts), $1, $2, $3, $4, $5, $6, $7,
          $8, $9)
  RETURNING id;
-- name: cookie_receipt_get
SELECT id, tag, consent_index, config_id, declaration, event, choices, gpc, given_at, received_at
  FROM cookie_receipts WHERE id = $1;
-- name: cookie_receipts_of
SELECT id, tag, consent_index, config_id, declaration, event, choices, gpc, given_at, received_at
  FROM cookie_receipts WHERE consent_index = $1 ORDER BY id;
-- name: cookie_configs_each
SELECT id, kit, lang, declaration, canonical, created_at FROM cookie_configs
  ORDER BY created_at, id COLLATE "C";
-- name: cookie_receipts_between
SELECT id, tag, consent_index, config_id, declaration, event, choices, gpc, given_at, received_at
  FROM cookie_receipts WHERE received_at >= $1 AND received_at < $2 ORDER BY id;
-- name: cookie_receipts_purge
DELETE FROM cookie_receipts WHERE received_at < $1;
-- name: cookie_receipts_count_before
SELECT count(*) FROM cookie_receipts WHERE received_at < $1;

-- backup and restore (src/store/pg/backup.c)
-- name: backup_begin
-- one snapshot for every table, while writers go on
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
-- name: current_schema
SELECT current_schema();
-- name: schema_reset
-- the staging schema of a restore: dropped, then made again when $2
SELECT pdv_schema_reset($1, $2);
-- name: restore_swap
SELECT pdv_restore_swap($1);

-- The copy_ blocks are COPY statements, which the extended protocol does not
-- prepare: pg/backup.c runs them as they are (no value in them), in this
-- order, parents before the rows that reference them.
-- name: copy_out_meta
COPY meta TO STDOUT (FORMAT binary);
-- name: copy_out_subjects
COPY subjects TO STDOUT (FORMAT binary);
-- name: copy_out_lookups
COPY lookups TO STDOUT (FORMAT binary);
-- name: copy_out_records
COPY records TO STDOUT (FORMAT binary);
-- name: copy_out_events
COPY events TO STDOUT (FORMAT binary);
-- name: copy_out_consent_texts
COPY consent_texts TO STDOUT (FORMAT binary);
-- name: copy_out_consents
COPY consents TO STDOUT (FORMAT binary);
-- name: copy_out_suppression
COPY suppression TO STDOUT (FORMAT binary);
-- name: copy_out_holds
COPY holds TO STDOUT (FORMAT binary);
-- name: copy_out_requests
COPY requests TO STDOUT (FORMAT binary);
-- name: copy_out_breaches
COPY breaches TO STDOUT (FORMAT binary);
-- name: copy_out_outbox
COPY outbox TO STDOUT (FORMAT binary);
-- name: copy_out_recipient_secrets
COPY recipient_secrets TO STDOUT (FORMAT binary);
-- name: copy_out_erasures
COPY erasures TO STDOUT (FORMAT binary);
-- name: copy_out_statistics
COPY statistics TO STDOUT (FORMAT binary);
-- name: copy_out_tokens
COPY tokens TO STDOUT (FORMAT binary);
-- name: copy_out_audit
COPY audit TO STDOUT (FORMAT binary);
-- name: copy_out_directives
COPY directives TO STDOUT (FORMAT binary);
-- name: copy_out_verifications
COPY verifications TO STDOUT (FORMAT binary);
-- name: copy_out_downloads
COPY downloads TO STDOUT (FORMAT binary);
-- name: copy_out_renewals
COPY renewals TO STDOUT (FORMAT binary);
-- name: copy_out_request_notes
COPY request_notes TO STDOUT (FORMAT binary);
-- name: copy_out_staff
COPY staff TO STDOUT (FORMAT binary);
-- name: copy_out_staff_sessions
COPY staff_sessions TO STDOUT (FORMAT binary);
-- name: copy_out_signing_keys
COPY signing_keys TO STDOUT (FORMAT binary);
-- name: copy_out_certificates
COPY certificates TO STDOUT (FORMAT binary);
-- name: copy_out_cookie_configs
COPY cookie_configs TO STDOUT (FORMAT binary);
-- name: copy_out_cookie_receipts
COPY cookie_receipts TO STDOUT (FORMAT binary);
-- name: copy_in_meta
COPY meta FROM STDIN (FORMAT binary);
-- name: copy_in_subjects
COPY subjects FROM STDIN (FORMAT binary);
-- name: copy_in_lookups
COPY lookups FROM STDIN (FORMAT binary);
-- name: copy_in_records
COPY records FROM STDIN (FORMAT binary);
-- name: copy_in_events
COPY events FROM STDIN (FORMAT binary);
-- name: copy_in_consent_texts
COPY consent_texts FROM STDIN (FORMAT binary);
-- name: copy_in_consents
COPY consents FROM STDIN (FORMAT binary);
-- name: copy_in_suppression
COPY suppression FROM STDIN (FORMAT binary);
-- name: copy_in_holds
COPY holds FROM STDIN (FORMAT binary);
-- name: copy_in_requests
COPY requests FROM STDIN (FORMAT binary);
-- name: copy_in_breaches
COPY breaches FROM STDIN (FORMAT binary);
-- name: copy_in_outbox
COPY outbox FROM STDIN (FORMAT binary);
-- name: copy_in_recipient_secrets
COPY recipient_secrets FROM STDIN (FORMAT binary);
-- name: copy_in_erasures
COPY erasures FROM STDIN (FORMAT binary);
-- name: copy_in_statistics
COPY statistics FROM STDIN (FORMAT binary);
-- name: copy_in_tokens
COPY tokens FROM STDIN (FORMAT binary);
-- name: copy_in_audit
COPY audit FROM STDIN (FORMAT binary);
-- name: copy_in_directives
COPY directives FROM STDIN (FORMAT binary);
-- name: copy_in_verifications
COPY verifications FROM STDIN (FORMAT binary);
-- name: copy_in_downloads
COPY downloads FROM STDIN (FORMAT binary);
-- name: copy_in_renewals
COPY renewals FROM STDIN (FORMAT binary);
-- name: copy_in_request_notes
COPY request_notes FROM STDIN (FORMAT binary);
-- name: copy_in_staff
COPY staff FROM STDIN (FORMAT binary);
-- name: copy_in_staff_sessions
COPY staff_sessions FROM STDIN (FORMAT binary);
-- name: copy_in_signing_keys
COPY signing_keys FROM STDIN (FORMAT binary);
-- name: copy_in_certificates
COPY certificates FROM STDIN (FORMAT binary);
-- name: copy_in_cookie_configs
COPY cookie_configs FROM STDIN (FORMAT binary);
-- name: copy_in_cookie_receipts
COPY cookie_receipts FROM STDIN (FORMAT binary);

-- Several processes on one vault (docs/internals/multi-server.md). A server
-- names its connections after the vault's schema, so the other vaults of the
-- database are not counted; the sweep lock is the writer lock's neighbour,
-- taken for the session and never waited for.
-- name: serve_announce
SELECT set_config('application_name', 'pdvault-serve:' || left(current_schema(), 40), false);
-- name: serve_count
SELECT count(*) FROM pg_stat_activity
 WHERE datname = current_database() AND pid <> pg_backend_pid()
   AND application_name = 'pdvault-serve:' || left(current_schema(), 40);
-- name: sweep_try_lock
SELECT pg_try_advisory_lock(1885627511, hashtext(current_schema()))::int::int8;
-- name: sweep_unlock
SELECT pg_advisory_unlock(1885627511, hashtext(current_schema()))::int::int8;

-- codes sent per address (--verify-per-email, 0017): an hour's sends kept,
-- counted by the address's blind index, one more recorded under the cap
-- name: verify_sends_purge
DELETE FROM verify_sends WHERE sent_at <= $1;
-- name: verify_sends_count
SELECT count(*) FROM verify_sends WHERE address_index = $1;
-- name: verify_send_insert
INSERT INTO verify_sends (address_index, sent_at) VALUES ($1, $2);

-- migrate (pdvault migrate --to, docs/internals/multi-server.md): every table
-- whole, its columns named, in its key's order; a row put as it was read;
-- a table's rows counted; meta emptied before the copy (a new store's
-- marks are not the source's).
-- name: table_rows_meta
SELECT name, value FROM meta ORDER BY name;
-- name: table_put_meta
INSERT INTO meta (name, value) VALUES ($1, $2);
-- name: table_count_meta
SELECT count(*) FROM meta;
-- name: table_rows_subjects
SELECT id, tag, wrapped_key, created_at, restricted, lang FROM subjects ORDER BY id;
-- name: table_put_subjects
INSERT INTO subjects (id, tag, wrapped_key, created_at, restricted, lang) VALUES ($1, $2, $3, $4, $5, $6);
-- name: table_count_subjects
SELECT count(*) FROM subjects;
-- name: table_rows_lookups
SELECT hash, subject_id FROM lookups ORDER BY hash;
-- name: table_put_lookups
INSERT INTO lookups (hash, subject_id) VALUES ($1, $2);
-- name: table_count_lookups
SELECT count(*) FROM lookups;
-- name: table_rows_records
SELECT id, tag, subject_id, activity, phase, collected_at, last_contact, consent_at, phase_at, next_at, source, fields, binding FROM records ORDER BY id;
-- name: table_put_records
INSERT INTO records (id, tag, subject_id, activity, phase, collected_at, last_contact, consent_at, phase_at, next_at, source, fields, binding) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13);
-- name: table_count_records
SELECT count(*) FROM records;
-- name: table_rows_events
SELECT id, record_id, name, at, actor FROM events ORDER BY id;
-- name: table_put_events
INSERT INTO events (id, record_id, name, at, actor) VALUES ($1, $2, $3, $4, $5);
-- name: table_count_events
SELECT count(*) FROM events;
-- name: table_rows_consent_texts
SELECT activity, version, text FROM consent_texts ORDER BY activity, version;
-- name: table_put_consent_texts
INSERT INTO consent_texts (activity, version, text) VALUES ($1, $2, $3);
-- name: table_count_consent_texts
SELECT count(*) FROM consent_texts;
-- name: table_rows_consents
SELECT id, subject_id, record_id, activity, state, version, at, channel FROM consents ORDER BY id;
-- name: table_put_consents
INSERT INTO consents (id, subject_id, record_id, activity, state, version, at, channel) VALUES ($1, $2, $3, $4, $5, $6, $7, $8);
-- name: table_count_consents
SELECT count(*) FROM consents;
-- name: table_rows_suppression
SELECT hash, created_at, expires_at FROM suppression ORDER BY hash;
-- name: table_put_suppression
INSERT INTO suppression (hash, created_at, expires_at) VALUES ($1, $2, $3);
-- name: table_count_suppression
SELECT count(*) FROM suppression;
-- name: table_rows_holds
SELECT id, tag, subject_id, reason, placed_at, placed_by, lifted_at, lifted_by FROM holds ORDER BY id;
-- name: table_put_holds
INSERT INTO holds (id, tag, subject_id, reason, placed_at, placed_by, lifted_at, lifted_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8);
-- name: table_count_holds
SELECT count(*) FROM holds;
-- name: table_rows_requests
SELECT id, tag, kind, subject_id, status, channel, received, due, extended, reason, id_document, closed_at, reference, address, extension_reason, lang, rectification, extended_at FROM requests ORDER BY id;
-- name: table_put_requests
INSERT INTO requests (id, tag, kind, subject_id, status, channel, received, due, extended, reason, id_document, closed_at, reference, address, extension_reason, lang, rectification, extended_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18);
-- name: table_count_requests
SELECT count(*) FROM requests;
-- name: table_rows_breaches
SELECT id, tag, aware_at, authority_due, summary, authority_notified, subjects_notified, risk, risk_reason, late_reason, consequences, measures, nature, categories, people_count, records_count, authority_reference, recorded_at, assessed_at, subjects_notices, subjects_unreachable FROM breaches ORDER BY id;
-- name: table_put_breaches
INSERT INTO breaches (id, tag, aware_at, authority_due, summary, authority_notified, subjects_notified, risk, risk_reason, late_reason, consequences, measures, nature, categories, people_count, records_count, authority_reference, recorded_at, assessed_at, subjects_notices, subjects_unreachable) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21);
-- name: table_count_breaches
SELECT count(*) FROM breaches;
-- name: table_rows_outbox
SELECT id, kind, recipient, subject_id, record_id, payload, created_at, sent_at, attempts, message_id, status, next_at, lease_owner, lease_until, lang, last_error, once_key, request_id FROM outbox ORDER BY id;
-- name: table_put_outbox
INSERT INTO outbox (id, kind, recipient, subject_id, record_id, payload, created_at, sent_at, attempts, message_id, status, next_at, lease_owner, lease_until, lang, last_error, once_key, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18);
-- name: table_count_outbox
SELECT count(*) FROM outbox;
-- name: table_rows_recipient_secrets
SELECT recipient, secret, created_at FROM recipient_secrets ORDER BY recipient;
-- name: table_put_recipient_secrets
INSERT INTO recipient_secrets (recipient, secret, created_at) VALUES ($1, $2, $3);
-- name: table_count_recipient_secrets
SELECT count(*) FROM recipient_secrets;
-- name: table_rows_erasures
SELECT seq, subject_id, record_id, at, reason FROM erasures ORDER BY seq;
-- name: table_put_erasures
INSERT INTO erasures (seq, subject_id, record_id, at, reason) VALUES ($1, $2, $3, $4, $5);
-- name: table_count_erasures
SELECT count(*) FROM erasures;
-- name: table_rows_statistics
SELECT id, activity, month, fields FROM statistics ORDER BY id;
-- name: table_put_statistics
INSERT INTO statistics (id, activity, month, fields) VALUES ($1, $2, $3, $4);
-- name: table_count_statistics
SELECT count(*) FROM statistics;
-- name: table_rows_tokens
SELECT name, hash, role, created_at, expires_at, revoked_at, scope, used_at FROM tokens ORDER BY name;
-- name: table_put_tokens
INSERT INTO tokens (name, hash, role, created_at, expires_at, revoked_at, scope, used_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8);
-- name: table_count_tokens
SELECT count(*) FROM tokens;
-- name: table_rows_audit
SELECT seq, at, actor, action, subject, record, activity, purpose, detail, hash FROM audit ORDER BY seq;
-- name: table_put_audit
INSERT INTO audit (seq, at, actor, action, subject, record, activity, purpose, detail, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10);
-- name: table_count_audit
SELECT count(*) FROM audit;
-- name: table_rows_directives
SELECT subject_id, text, updated_at FROM directives ORDER BY subject_id;
-- name: table_put_directives
INSERT INTO directives (subject_id, text, updated_at) VALUES ($1, $2, $3);
-- name: table_count_directives
SELECT count(*) FROM directives;
-- name: table_rows_verifications
SELECT id, tag, purpose, address, code_hash, created_at, expires_at, attempts, used_at, payload, lang FROM verifications ORDER BY id;
-- name: table_put_verifications
INSERT INTO verifications (id, tag, purpose, address, code_hash, created_at, expires_at, attempts, used_at, payload, lang) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11);
-- name: table_count_verifications
SELECT count(*) FROM verifications;
-- name: table_rows_downloads
SELECT id, request_id, token_hash, token, export, created_at, expires_at, used_at FROM downloads ORDER BY id;
-- name: table_put_downloads
INSERT INTO downloads (id, request_id, token_hash, token, export, created_at, expires_at, used_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8);
-- name: table_count_downloads
SELECT count(*) FROM downloads;
-- name: table_rows_renewals
SELECT id, record_id, token_hash, created_at, expires_at, used_at FROM renewals ORDER BY id;
-- name: table_put_renewals
INSERT INTO renewals (id, record_id, token_hash, created_at, expires_at, used_at) VALUES ($1, $2, $3, $4, $5, $6);
-- name: table_count_renewals
SELECT count(*) FROM renewals;
-- name: table_rows_request_notes
SELECT id, request_id, created_at, author, note FROM request_notes ORDER BY id;
-- name: table_put_request_notes
INSERT INTO request_notes (id, request_id, created_at, author, note) VALUES ($1, $2, $3, $4, $5);
-- name: table_count_request_notes
SELECT count(*) FROM request_notes;
-- name: table_rows_staff
SELECT name, role, email, created_at, passphrase, totp, totp_step, recovery, invite_hash, invite_expires, failures, locked_until FROM staff ORDER BY name;
-- name: table_put_staff
INSERT INTO staff (name, role, email, created_at, passphrase, totp, totp_step, recovery, invite_hash, invite_expires, failures, locked_until) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12);
-- name: table_count_staff
SELECT count(*) FROM staff;
-- name: table_rows_staff_sessions
SELECT id_hash, name, created_at, seen_at FROM staff_sessions ORDER BY id_hash;
-- name: table_put_staff_sessions
INSERT INTO staff_sessions (id_hash, name, created_at, seen_at) VALUES ($1, $2, $3, $4);
-- name: table_count_staff_sessions
SELECT count(*) FROM staff_sessions;
-- name: table_rows_signing_keys
SELECT id, key_id, public_key, secret, created_at, retired_at FROM signing_keys ORDER BY id;
-- name: table_put_signing_keys
INSERT INTO signing_keys (id, key_id, public_key, secret, created_at, retired_at) VALUES ($1, $2, $3, $4, $5, $6);
-- name: table_count_signing_keys
SELECT count(*) FROM signing_keys;
-- name: table_rows_certificates
SELECT id, tag, request_id, kind, body, created_at FROM certificates ORDER BY id;
-- name: table_put_certificates
INSERT INTO certificates (id, tag, request_id, kind, body, created_at) VALUES ($1, $2, $3, $4, $5, $6);
-- name: table_count_certificates
SELECT count(*) FROM certificates;
-- name: table_rows_cookie_configs
SELECT id, kit, lang, declaration, canonical, created_at FROM cookie_configs ORDER BY id;
-- name: table_put_cookie_configs
INSERT INTO cookie_configs (id, kit, lang, declaration, canonical, created_at) VALUES ($1, $2, $3, $4, $5, $6);
-- name: table_count_cookie_configs
SELECT count(*) FROM cookie_configs;
-- name: table_rows_cookie_receipts
SELECT id, tag, consent_index, config_id, declaration, event, choices, gpc, given_at, received_at FROM cookie_receipts ORDER BY id;
-- name: table_put_cookie_receipts
INSERT INTO cookie_receipts (id, tag, consent_index, config_id, declaration, event, choices, gpc, given_at, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10);
-- name: table_count_cookie_receipts
SELECT count(*) FROM cookie_receipts;
-- name: table_rows_verify_sends
SELECT address_index, sent_at FROM verify_sends ORDER BY sent_at, address_index;
-- name: table_put_verify_sends
INSERT INTO verify_sends (address_index, sent_at) VALUES ($1, $2);
-- name: table_count_verify_sends
SELECT count(*) FROM verify_sends;
-- name: table_clear_meta
DELETE FROM meta;
