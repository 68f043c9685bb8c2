-- +goose Up
-- company_counts holds the number of companies per tenant and status, kept
-- by the trigger below in the transaction that changes companies, so that
-- the total of an unfiltered or status-only list (the default list) is read
-- from a row or four instead of counted over up to all of a tenant's
-- companies (about 100 ms for a million). It is exact: a reader's snapshot
-- sees a count and the companies it counts committed together. As
-- internal/sqlite's migration 00002 does on SQLite.
--
-- Every insert or delete of a company updates its (tenant, status) row, so
-- writers of one tenant queue on that row until they commit; internal/app's
-- writers hold the tenant lock anyway.
CREATE TABLE company_counts (
    tenant_id BIGINT  NOT NULL,
    status    INTEGER NOT NULL,
    n         BIGINT  NOT NULL,
    CONSTRAINT company_counts_pkey PRIMARY KEY (tenant_id, status)
);

INSERT INTO company_counts (tenant_id, status, n)
SELECT tenant_id, status, count(*) FROM companies GROUP BY tenant_id, status;

-- +goose StatementBegin
CREATE FUNCTION company_counts_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE company_counts SET n = n - 1 WHERE tenant_id = OLD.tenant_id AND status = OLD.status;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO company_counts AS k (tenant_id, status, n) VALUES (NEW.tenant_id, NEW.status, 1)
        ON CONFLICT (tenant_id, status) DO UPDATE SET n = k.n + 1;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER companies_count_insert_delete AFTER INSERT OR DELETE ON companies
    FOR EACH ROW EXECUTE FUNCTION company_counts_track();
CREATE TRIGGER companies_count_update AFTER UPDATE OF tenant_id, status ON companies
    FOR EACH ROW WHEN (OLD.tenant_id <> NEW.tenant_id OR OLD.status <> NEW.status)
    EXECUTE FUNCTION company_counts_track();

-- +goose Down
DROP TRIGGER companies_count_update ON companies;
DROP TRIGGER companies_count_insert_delete ON companies;
DROP FUNCTION company_counts_track();
DROP TABLE company_counts;
