-- Logins to the web application: a local account's password (argon2id,
-- in the PHC string format), the count of failed attempts that locks it,
-- and the sessions (scs's table layout).

-- +goose Up
ALTER TABLE users
    ADD COLUMN password_hash text,
    ADD COLUMN failed_logins integer NOT NULL DEFAULT 0,
    ADD COLUMN locked_until timestamptz;

CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expiry);
