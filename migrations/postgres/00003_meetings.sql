-- Meetings and decisions: each body's members and meeting calendar
-- (sammanträdesplan), the agenda of each meeting, paragraphs numbered per
-- body and calendar year without gaps, justering and anslag of the minutes,
-- and the append-only log of what was done to each meeting.

-- +goose Up
ALTER TABLE organizations
    ADD COLUMN anslag_days integer NOT NULL DEFAULT 2 CHECK (anslag_days BETWEEN 0 AND 2);

CREATE TABLE body_members (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id     bigint NOT NULL,
    body_id    bigint NOT NULL,
    name       text NOT NULL,
    role       text NOT NULL CHECK (role IN ('ordforande', 'vice_ordforande', 'ledamot', 'ersattare')),
    party      text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL,
    UNIQUE (org_id, body_id, name),
    FOREIGN KEY (org_id, body_id) REFERENCES bodies (org_id, id)
);

CREATE TABLE meetings (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id          bigint NOT NULL,
    body_id         bigint NOT NULL,
    date            date NOT NULL,
    time            text NOT NULL DEFAULT '',
    location        text NOT NULL DEFAULT '',
    status          text NOT NULL DEFAULT 'planerat' CHECK (status IN ('planerat', 'installt')),
    version         bigint NOT NULL DEFAULT 1,
    justerad_on     date,
    ordforande      text,
    justerare       text,
    anslag_on       date,
    appeal_ends_on  date,
    forvaringsplats text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, body_id) REFERENCES bodies (org_id, id)
);
-- Two planned meetings of one body at the same date and time are one too many.
CREATE UNIQUE INDEX meetings_one_per_slot ON meetings (org_id, body_id, date, time) WHERE status = 'planerat';
CREATE INDEX meetings_by_date ON meetings (org_id, date);

CREATE TABLE meeting_history (
    org_id     bigint NOT NULL,
    meeting_id bigint NOT NULL,
    seq        integer NOT NULL CHECK (seq >= 1),
    action     text NOT NULL,
    actor      text NOT NULL,
    actor_id   bigint,
    at         timestamptz NOT NULL,
    data       text NOT NULL,
    PRIMARY KEY (meeting_id, seq),
    FOREIGN KEY (org_id, meeting_id) REFERENCES meetings (org_id, id)
);
CREATE TRIGGER meeting_history_append_only BEFORE UPDATE OR DELETE ON meeting_history
    FOR EACH ROW EXECUTE FUNCTION remiss_forbid_change();

CREATE TABLE agenda_items (
    org_id     bigint NOT NULL,
    meeting_id bigint NOT NULL,
    case_id    bigint NOT NULL,
    position   integer NOT NULL,
    added_at   timestamptz NOT NULL,
    added_by   text NOT NULL,
    PRIMARY KEY (meeting_id, case_id),
    FOREIGN KEY (org_id, meeting_id) REFERENCES meetings (org_id, id),
    FOREIGN KEY (org_id, case_id) REFERENCES cases (org_id, id)
);

-- The next § of each body and calendar year; the row is locked by the
-- UPDATE that takes a number, so concurrent decisions queue on it.
CREATE TABLE paragraph_counters (
    org_id      bigint NOT NULL,
    body_id     bigint NOT NULL,
    year        integer NOT NULL,
    next_number integer NOT NULL CHECK (next_number >= 1),
    PRIMARY KEY (org_id, body_id, year),
    FOREIGN KEY (org_id, body_id) REFERENCES bodies (org_id, id)
);

CREATE TABLE paragraphs (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id              bigint NOT NULL,
    body_id             bigint NOT NULL,
    year                integer NOT NULL,
    number              integer NOT NULL CHECK (number >= 1),
    meeting_id          bigint NOT NULL,
    case_id             bigint,
    kind                text NOT NULL CHECK (kind IN ('beslut', 'anmalan')),
    title               text NOT NULL,
    outcome             text NOT NULL DEFAULT '',
    decision            text NOT NULL,
    justeras_omedelbart boolean NOT NULL DEFAULT false,
    justerad_on         date,
    anslag_on           date,
    appeal_ends_on      date,
    created_at          timestamptz NOT NULL,
    created_by          text NOT NULL,
    UNIQUE (org_id, body_id, year, number),
    FOREIGN KEY (org_id, meeting_id) REFERENCES meetings (org_id, id),
    FOREIGN KEY (org_id, case_id) REFERENCES cases (org_id, id),
    FOREIGN KEY (org_id, body_id) REFERENCES bodies (org_id, id)
);
CREATE INDEX paragraphs_by_meeting ON paragraphs (meeting_id, number);
CREATE INDEX paragraphs_by_case ON paragraphs (case_id);
CREATE TRIGGER paragraphs_never_deleted BEFORE DELETE ON paragraphs
    FOR EACH ROW EXECUTE FUNCTION remiss_forbid_change();

ALTER TABLE obligations
    ADD COLUMN body_id bigint,
    ADD COLUMN meeting_id bigint;
