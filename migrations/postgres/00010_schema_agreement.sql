-- Schema agreement: the embedded database is brought in line with this
-- one (see sqlite/00010_schema_agreement.sql), which needs no change.
-- This file keeps the two dialects' version numbers in step.
-- internal/store's TestSchemasAgree compares the two schemas.

-- +goose Up
