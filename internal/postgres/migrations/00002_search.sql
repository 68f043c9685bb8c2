-- +goose Up
-- PostgreSQL only (SQLite has no counterpart): trigram indexes, so that a
-- case-insensitive "contains" search (a company-name query, an extra-field
-- value filter: LIKE '%...%') reads a few index pages instead of every row of
-- a tenant with a million companies. They need the pg_trgm extension, shipped
-- with PostgreSQL (contrib) and "trusted" since PostgreSQL 13, so the owner
-- of the database may install it. Where it cannot be installed the migration
-- still succeeds, without the indexes: search then scans, as on SQLite.

-- +goose StatementBegin
DO $$
DECLARE
    trgm_schema name;
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
    EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'pg_trgm is not available (%); searches will scan', SQLERRM;
        RETURN;
    END;
    SELECT n.nspname INTO trgm_schema
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
    WHERE e.extname = 'pg_trgm';
    EXECUTE format('CREATE INDEX companies_name_trgm ON companies USING gin (name_lower %I.gin_trgm_ops)', trgm_schema);
    EXECUTE format('CREATE INDEX extra_field_values_trgm ON extra_field_values USING gin (lower(value) %I.gin_trgm_ops)', trgm_schema);
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP INDEX IF EXISTS extra_field_values_trgm;
DROP INDEX IF EXISTS companies_name_trgm;
