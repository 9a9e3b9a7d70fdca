-- The workflow engine: the handläggare and justering of a case, the kind of
-- a handling, intern remiss (consultations), obligations such as reporting
-- an ordförandebeslut, the outbox, idempotency keys and organisations' own
-- workflow definitions.

-- +goose Up
ALTER TABLE cases
    ADD COLUMN handlaggare_id bigint,
    ADD COLUMN justerad_on date,
    ADD COLUMN anslag_on date,
    ADD COLUMN appeal_ends_on date,
    ADD COLUMN workflow_custom boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT cases_handlaggare_fk FOREIGN KEY (org_id, handlaggare_id) REFERENCES users (org_id, id);

ALTER TABLE documents
    ADD COLUMN kind text NOT NULL DEFAULT 'ovrigt'
        CHECK (kind IN ('remiss', 'yttrande', 'tjansteutlatande', 'tjansteskrivelse', 'protokollsutdrag', 'skrivelse', 'ovrigt'));
UPDATE documents SET kind = 'remiss' WHERE number = 1;

-- One row per body asked in an intern remiss; seq numbers them within the case.
CREATE TABLE consultations (
    org_id       bigint NOT NULL,
    case_id      bigint NOT NULL,
    seq          integer NOT NULL CHECK (seq >= 1),
    body_id      bigint NOT NULL,
    deadline     date NOT NULL,
    status       text NOT NULL CHECK (status IN ('begard', 'besvarad', 'avstatt')),
    paragraph    bigint,
    decided_on   date,
    document     integer,
    requested_at timestamptz NOT NULL,
    answered_at  timestamptz,
    PRIMARY KEY (case_id, seq),
    UNIQUE (case_id, body_id),
    FOREIGN KEY (org_id, case_id) REFERENCES cases (org_id, id),
    FOREIGN KEY (org_id, body_id) REFERENCES bodies (org_id, id)
);

-- What a case still owes after its decision; seq numbers them within the case.
CREATE TABLE obligations (
    org_id     bigint NOT NULL,
    case_id    bigint NOT NULL,
    seq        integer NOT NULL CHECK (seq >= 1),
    kind       text NOT NULL,
    decided_on date NOT NULL,
    decided_by text NOT NULL,
    opened_at  timestamptz NOT NULL,
    opened_by  text NOT NULL,
    closed_at  timestamptz,
    closed_by  text,
    report     text,
    PRIMARY KEY (case_id, seq),
    FOREIGN KEY (org_id, case_id) REFERENCES cases (org_id, id)
);

-- Messages to send once the transaction that wrote them has committed.
CREATE TABLE outbox (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id          bigint NOT NULL,
    case_id         bigint NOT NULL,
    kind            text NOT NULL,
    template        text NOT NULL,
    recipient       text NOT NULL,
    payload         text NOT NULL,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL,
    last_error      text,
    sent_at         timestamptz,
    created_at      timestamptz NOT NULL,
    FOREIGN KEY (org_id, case_id) REFERENCES cases (org_id, id)
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status = 'pending';

CREATE TABLE idempotency_keys (
    org_id      bigint NOT NULL REFERENCES organizations (id),
    key         text NOT NULL,
    fingerprint text NOT NULL,
    case_id     bigint NOT NULL,
    response    text NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (org_id, key)
);

CREATE TABLE workflow_definitions (
    org_id     bigint NOT NULL REFERENCES organizations (id),
    name       text NOT NULL,
    version    integer NOT NULL CHECK (version >= 1),
    definition text NOT NULL,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    PRIMARY KEY (org_id, name, version)
);
