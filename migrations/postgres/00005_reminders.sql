-- Reminders of planned deadlines, and the outbox as the job runner works
-- it: a message is claimed by setting it 'sending' with next_attempt_at at
-- the end of the claim's lease, so one partial index finds both the
-- messages due and the claims a crashed worker left behind.

-- +goose Up
ALTER TABLE outbox DROP CONSTRAINT outbox_status_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_status_check
    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled'));
ALTER TABLE outbox
    ADD COLUMN message_id text,
    ADD COLUMN reminder_id bigint;
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox (next_attempt_at, id) WHERE status IN ('pending', 'sending');
CREATE INDEX outbox_case ON outbox (org_id, case_id, id);

-- One row per reminder queued: the unique key is what makes a reminder
-- go out once, however many instances scan at the same time.
CREATE TABLE reminders (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id      bigint NOT NULL,
    case_id     bigint NOT NULL,
    kind        text NOT NULL,
    body        text NOT NULL DEFAULT '',
    due         date NOT NULL,
    offset_days integer NOT NULL,
    recipient   text NOT NULL,
    queued_at   timestamptz NOT NULL,
    UNIQUE (case_id, kind, body, due, offset_days, recipient),
    FOREIGN KEY (org_id, case_id) REFERENCES cases (org_id, id)
);
CREATE INDEX reminders_due ON reminders (org_id, due);
