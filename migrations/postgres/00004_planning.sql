-- Planning backwards from the reply date: each organisation's lead times
-- and own days, every open case's planned deadlines (derived from the plan,
-- rewritten whenever it changes, read by the deadline overview and the
-- calendar feeds), and the users' calendar-feed tokens.

-- +goose Up
ALTER TABLE organizations ADD COLUMN planning text; -- PlanningRules as JSON; NULL: the defaults

CREATE TABLE org_days (
    org_id bigint NOT NULL REFERENCES organizations (id),
    day    date NOT NULL,
    kind   text NOT NULL CHECK (kind IN ('stangd', 'halvdag')),
    name   text NOT NULL DEFAULT '',
    PRIMARY KEY (org_id, day)
);

CREATE TABLE case_deadlines (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id          bigint NOT NULL,
    case_id         bigint NOT NULL,
    seq             integer NOT NULL,
    kind            text NOT NULL,
    title           text NOT NULL,
    body            text NOT NULL DEFAULT '',
    due             date NOT NULL,
    status          text NOT NULL,
    done            boolean NOT NULL,
    meeting_id      bigint,
    note            text NOT NULL DEFAULT '',
    computed_at     timestamptz NOT NULL,
    UNIQUE (case_id, seq),
    FOREIGN KEY (org_id, case_id) REFERENCES cases (org_id, id)
);
-- The overview reads an organisation's open deadlines in date order; the
-- partial index holds only open ones, so it stays small however many
-- closed cases the diarium keeps.
CREATE INDEX case_deadlines_open ON case_deadlines (org_id, due, id) WHERE NOT done;
CREATE INDEX case_deadlines_body ON case_deadlines (org_id, body) WHERE NOT done;

CREATE TABLE feed_tokens (
    org_id     bigint NOT NULL,
    user_id    bigint NOT NULL,
    hash       text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (org_id, user_id),
    FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id)
);
