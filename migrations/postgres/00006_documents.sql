-- Documents: versioned drafts with review comments, the organisation's
-- letterhead and logo, its own document templates, and the mark on a
-- handling that the system rendered it (so it is registered once).

-- +goose Up
ALTER TABLE organizations ADD COLUMN documents text;

-- Every save of a draft is a version; versions are never changed.
CREATE TABLE draft_versions (
    org_id     bigint NOT NULL,
    case_id    bigint NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('yttrande', 'tjansteutlatande')),
    version    integer NOT NULL CHECK (version >= 1),
    body       text NOT NULL,
    signers    text NOT NULL DEFAULT '[]',
    note       text NOT NULL DEFAULT '',
    author     text NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (org_id, case_id, kind, version),
    FOREIGN KEY (org_id, case_id) REFERENCES cases (org_id, id)
);
CREATE TRIGGER draft_versions_append_only BEFORE UPDATE OR DELETE ON draft_versions
    FOR EACH ROW EXECUTE FUNCTION remiss_forbid_change();

CREATE TABLE draft_comments (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id      bigint NOT NULL,
    case_id     bigint NOT NULL,
    kind        text NOT NULL,
    version     integer NOT NULL,
    quote       text NOT NULL DEFAULT '',
    body        text NOT NULL,
    author      text NOT NULL,
    created_at  timestamptz NOT NULL,
    resolved_by text,
    resolved_at timestamptz,
    FOREIGN KEY (org_id, case_id, kind, version) REFERENCES draft_versions (org_id, case_id, kind, version)
);
CREATE INDEX draft_comments_case ON draft_comments (org_id, case_id, kind, id);

CREATE TABLE document_templates (
    org_id     bigint NOT NULL REFERENCES organizations (id),
    kind       text NOT NULL,
    source     text NOT NULL,
    updated_by text NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (org_id, kind)
);

CREATE TABLE organization_logos (
    org_id     bigint PRIMARY KEY REFERENCES organizations (id),
    media_type text NOT NULL,
    content    bytea NOT NULL,
    updated_by text NOT NULL,
    updated_at timestamptz NOT NULL
);

-- What a rendered handling was rendered from, e.g. "yttrande:§123"; one
-- handling per source and case.
ALTER TABLE documents ADD COLUMN source text;
CREATE UNIQUE INDEX documents_source ON documents (org_id, case_id, source) WHERE source IS NOT NULL;
