-- 0008: what a person needs to follow their request (the status page of the
-- privacy center). reference: 8 Crockford base32 characters and the mod-37
-- check character (pdv/reference.h), random, unique; existing requests get
-- one here. address: the address the request came from, sealed, where the
-- status code goes. extension_reason: the Art. 12(3) reason, sealed, apart
-- from `reason` (the closing one), which used to overwrite it; an open
-- extended request's reason moves there.
-- (0007 is the outbox's, from another branch; see tools/gen-sql.py --pending.)
ALTER TABLE requests ADD COLUMN reference TEXT;
ALTER TABLE requests ADD COLUMN address BLOB;
ALTER TABLE requests ADD COLUMN extension_reason BLOB;
UPDATE requests SET extension_reason = reason, reason = NULL
  WHERE status = 'open' AND extended = 1;
CREATE TEMP TABLE reference_draw AS
  SELECT id, abs(random() % 1099511627776) AS v FROM requests;
UPDATE requests SET reference = (
  SELECT substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((v >> 35) & 31) + 1, 1) ||
         substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((v >> 30) & 31) + 1, 1) ||
         substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((v >> 25) & 31) + 1, 1) ||
         substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((v >> 20) & 31) + 1, 1) ||
         substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((v >> 15) & 31) + 1, 1) ||
         substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((v >> 10) & 31) + 1, 1) ||
         substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', ((v >> 5) & 31) + 1, 1) ||
         substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (v & 31) + 1, 1) ||
         substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U', (v % 37) + 1, 1)
  FROM reference_draw d WHERE d.id = requests.id);
DROP TABLE reference_draw;
CREATE UNIQUE INDEX requests_reference ON requests(reference);
