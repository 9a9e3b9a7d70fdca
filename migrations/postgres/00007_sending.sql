-- Sending: where the answer goes (the remiss's copies and contact
-- person) and the bodies' own mailboxes, for "Beslutet ska skickas till".

-- +goose Up
ALTER TABLE cases ADD COLUMN cc text NOT NULL DEFAULT '[]';
ALTER TABLE cases ADD COLUMN contact text NOT NULL DEFAULT '';
ALTER TABLE bodies ADD COLUMN email text NOT NULL DEFAULT '';
