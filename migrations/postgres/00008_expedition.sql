-- Expedition: messages composed in full when expediera queues them (the
-- answer to the ministry and the protokollsutdrag), their attachments
-- stored by content, and the utgående handling registered when the answer
-- was sent, with the time and the Message-ID.

-- +goose Up
ALTER TABLE outbox ADD COLUMN prepared boolean NOT NULL DEFAULT false;

CREATE TABLE outbox_files (
    outbox_id bigint NOT NULL REFERENCES outbox (id),
    seq       integer NOT NULL,
    org_id    bigint NOT NULL,
    name      text NOT NULL,
    sha256    text NOT NULL,
    document  integer,
    PRIMARY KEY (outbox_id, seq),
    FOREIGN KEY (org_id, sha256) REFERENCES files (org_id, sha256)
);

ALTER TABLE documents
    ADD COLUMN sent_at timestamptz,
    ADD COLUMN sent_to text,
    ADD COLUMN message_id text;
