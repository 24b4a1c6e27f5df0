-- 0013: the breach register's Art. 33(3) items and its timeline (issue 15).
-- Art. 33(3)(a): the nature of the breach and the categories of people and
-- of records concerned, typed by staff and sealed like the summary; the
-- approximate numbers of people and of records concerned (NULL: not given).
ALTER TABLE breaches ADD COLUMN nature BLOB;
ALTER TABLE breaches ADD COLUMN categories BLOB;
ALTER TABLE breaches ADD COLUMN people_count INTEGER;
ALTER TABLE breaches ADD COLUMN records_count INTEGER;
-- The reference the authority gave the notification (the CNIL's number),
-- sealed: staff type it.
ALTER TABLE breaches ADD COLUMN authority_reference BLOB;
-- The timeline: when the breach was written down and last assessed (NULL
-- for a breach recorded before this version: its audit entries say it), and
-- the notices the Art. 34 notification queued and the people it could not
-- reach (NULL: the people were told by other means).
ALTER TABLE breaches ADD COLUMN recorded_at INTEGER;
ALTER TABLE breaches ADD COLUMN assessed_at INTEGER;
ALTER TABLE breaches ADD COLUMN subjects_notices INTEGER;
ALTER TABLE breaches ADD COLUMN subjects_unreachable INTEGER;
