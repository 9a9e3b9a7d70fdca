-- Sending; the same schema as postgres/00007_sending.sql.

-- +goose Up
ALTER TABLE cases ADD COLUMN cc TEXT NOT NULL DEFAULT '[]';
ALTER TABLE cases ADD COLUMN contact TEXT NOT NULL DEFAULT '';
ALTER TABLE bodies ADD COLUMN email TEXT NOT NULL DEFAULT '';
