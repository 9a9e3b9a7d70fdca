-- The head of each case's history chain; the same schema as
-- postgres/00011_history_head.sql.

-- +goose Up
ALTER TABLE cases ADD COLUMN head_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN head_hash TEXT NOT NULL DEFAULT '';
UPDATE cases SET
    head_seq = (SELECT h.seq FROM case_history h WHERE h.org_id = cases.org_id AND h.case_id = cases.id ORDER BY h.seq DESC LIMIT 1),
    head_hash = (SELECT h.hash FROM case_history h WHERE h.org_id = cases.org_id AND h.case_id = cases.id ORDER BY h.seq DESC LIMIT 1)
WHERE EXISTS (SELECT 1 FROM case_history h WHERE h.org_id = cases.org_id AND h.case_id = cases.id);

