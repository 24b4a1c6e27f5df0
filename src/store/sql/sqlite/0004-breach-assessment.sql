-- 0004: the breach register's reasoning (Art. 33(5) keeps the facts, the
-- effects, the remedies, and why the authority or the people were or were
-- not told). risk: NULL until assessed, then 'unlikely' (unlikely to result
-- in a risk: nothing to notify, Art. 33(1)), 'risk' (the authority is told)
-- or 'high' (the people too, Art. 34(1)). The reasons, and those for telling
-- the authority after its 72 hours, are staff free text: sealed like the
-- summary.
ALTER TABLE breaches ADD COLUMN risk TEXT CHECK (risk IN ('unlikely', 'risk', 'high'));
ALTER TABLE breaches ADD COLUMN risk_reason BLOB;
ALTER TABLE breaches ADD COLUMN late_reason BLOB;
