-- The diarium: organisations, users and tokens, bodies, number series,
-- cases (ärenden) with their handlingar, files and the hash-chained history.
-- Every row carries org_id, and every reference between an organisation's
-- rows goes through (org_id, id), so the database itself refuses a row that
-- points into another organisation.

-- +goose Up
CREATE TABLE organizations (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug       text NOT NULL UNIQUE,
    name       text NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE users (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id     bigint NOT NULL REFERENCES organizations (id),
    email      text NOT NULL,
    name       text NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (org_id, email),
    UNIQUE (org_id, id)
);

CREATE TABLE user_roles (
    org_id  bigint NOT NULL,
    user_id bigint NOT NULL,
    role    text NOT NULL CHECK (role IN ('admin', 'registrator', 'handlaggare', 'sekreterare', 'ordforande', 'ledamot', 'lasare')),
    PRIMARY KEY (user_id, role),
    FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id)
);

CREATE TABLE api_tokens (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id     bigint NOT NULL,
    user_id    bigint NOT NULL,
    name       text NOT NULL DEFAULT '',
    hash       bytea NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    created_by text NOT NULL,
    FOREIGN KEY (org_id, user_id) REFERENCES users (org_id, id)
);
CREATE INDEX api_tokens_org ON api_tokens (org_id);

CREATE TABLE bodies (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id     bigint NOT NULL REFERENCES organizations (id),
    code       text NOT NULL,
    name       text NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('styrelse', 'utskott', 'namnd')),
    parent_id  bigint,
    created_at timestamptz NOT NULL,
    UNIQUE (org_id, code),
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, parent_id) REFERENCES bodies (org_id, id),
    CHECK ((kind = 'utskott') = (parent_id IS NOT NULL))
);

CREATE TABLE series (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id         bigint NOT NULL REFERENCES organizations (id),
    code           text NOT NULL,
    format         text NOT NULL,
    yearly_restart boolean NOT NULL,
    created_at     timestamptz NOT NULL,
    UNIQUE (org_id, code),
    UNIQUE (org_id, id)
);

-- The next number per series and year (year 0: a series that never
-- restarts). Registration increments it in the transaction that inserts
-- the case, so numbers are neither skipped nor repeated.
CREATE TABLE series_counters (
    org_id      bigint NOT NULL,
    series_id   bigint NOT NULL,
    year        integer NOT NULL,
    next_number bigint NOT NULL CHECK (next_number >= 1),
    PRIMARY KEY (series_id, year),
    FOREIGN KEY (org_id, series_id) REFERENCES series (org_id, id)
);

CREATE TABLE cases (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id           bigint NOT NULL,
    series_id        bigint NOT NULL,
    year             integer NOT NULL,
    number           bigint NOT NULL,
    dnr              text NOT NULL,
    dnr_base         text NOT NULL,
    classification   text NOT NULL DEFAULT '',
    title            text NOT NULL,
    state            text NOT NULL,
    version          bigint NOT NULL DEFAULT 1,
    workflow         text NOT NULL,
    workflow_version integer NOT NULL,
    sender           text NOT NULL,
    sender_dnr       text NOT NULL DEFAULT '',
    reference        text NOT NULL DEFAULT '',
    received         date NOT NULL,
    deadline         date NOT NULL,
    reply_to         text NOT NULL DEFAULT '',
    url              text NOT NULL DEFAULT '',
    warnings         text NOT NULL DEFAULT '[]',
    search_text      text NOT NULL,
    registered_by    text NOT NULL,
    registered_by_id bigint,
    doc_count        integer NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    UNIQUE (org_id, dnr),
    UNIQUE (series_id, year, number),
    UNIQUE (org_id, id),
    FOREIGN KEY (org_id, series_id) REFERENCES series (org_id, id),
    FOREIGN KEY (org_id, registered_by_id) REFERENCES users (org_id, id),
    CHECK (deadline >= received)
);
CREATE INDEX cases_org_deadline ON cases (org_id, deadline, id);
CREATE INDEX cases_org_sender_dnr ON cases (org_id, sender_dnr);

-- Files by content. Never updated or deleted: they are allmänna handlingar.
CREATE TABLE files (
    org_id     bigint NOT NULL REFERENCES organizations (id),
    sha256     text NOT NULL,
    size       bigint NOT NULL,
    media_type text NOT NULL,
    content    bytea NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (org_id, sha256)
);

CREATE TABLE documents (
    org_id            bigint NOT NULL,
    case_id           bigint NOT NULL,
    number            integer NOT NULL CHECK (number >= 1),
    title             text NOT NULL,
    direction         text NOT NULL CHECK (direction IN ('inkommande', 'upprattad', 'utgaende')),
    doc_date          date NOT NULL,
    counterpart       text NOT NULL DEFAULT '',
    secrecy_provision text,
    secrecy_date      date,
    secrecy_authority text,
    file_name         text,
    file_sha256       text,
    file_attached_by  text,
    file_attached_at  timestamptz,
    registered_by     text NOT NULL,
    registered_at     timestamptz NOT NULL,
    PRIMARY KEY (case_id, number),
    FOREIGN KEY (org_id, case_id) REFERENCES cases (org_id, id),
    FOREIGN KEY (org_id, file_sha256) REFERENCES files (org_id, sha256),
    CHECK ((file_name IS NULL) = (file_sha256 IS NULL) AND (file_sha256 IS NULL) = (file_attached_at IS NULL))
);

-- The append-only, hash-chained history of each case.
CREATE TABLE case_history (
    org_id     bigint NOT NULL,
    case_id    bigint NOT NULL,
    seq        bigint NOT NULL CHECK (seq >= 1),
    event      text NOT NULL,
    from_state text NOT NULL,
    to_state   text NOT NULL,
    actor      text NOT NULL,
    actor_id   bigint,
    at         timestamptz NOT NULL,
    data       text NOT NULL,
    prev_hash  text NOT NULL,
    hash       text NOT NULL,
    PRIMARY KEY (case_id, seq),
    FOREIGN KEY (org_id, case_id) REFERENCES cases (org_id, id)
);

-- +goose StatementBegin
CREATE FUNCTION remiss_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER case_history_append_only BEFORE UPDATE OR DELETE ON case_history
    FOR EACH ROW EXECUTE FUNCTION remiss_forbid_change();
CREATE TRIGGER files_append_only BEFORE UPDATE OR DELETE ON files
    FOR EACH ROW EXECUTE FUNCTION remiss_forbid_change();
CREATE TRIGGER documents_never_deleted BEFORE DELETE ON documents
    FOR EACH ROW EXECUTE FUNCTION remiss_forbid_change();
