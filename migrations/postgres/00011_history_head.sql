-- The head of each case's history chain (the sequence number and hash of
-- its newest row), kept on the case in the same transaction as every row
-- appended: an event seals its row onto the head it read, with no query
-- for the last row, and `remiss history verify` notices a chain whose
-- newest rows were removed.

-- +goose Up
ALTER TABLE cases ADD COLUMN head_seq bigint NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN head_hash text NOT NULL DEFAULT '';
UPDATE cases c SET
    head_seq = h.seq,
    head_hash = h.hash
FROM (SELECT DISTINCT ON (org_id, case_id) org_id, case_id, seq, hash
      FROM case_history ORDER BY org_id, case_id, seq DESC) h
WHERE h.org_id = c.org_id AND h.case_id = c.id;

