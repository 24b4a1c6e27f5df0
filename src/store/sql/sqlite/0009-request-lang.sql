-- 0009: the language a request's messages are written in (acknowledgement,
-- extension, refusal, the answer's link): "fr" or "en", chosen by the
-- person in the privacy center or by staff (--lang); NULL: the declaration's
-- first language, as for a request opened before this version.
ALTER TABLE requests ADD COLUMN lang TEXT;
