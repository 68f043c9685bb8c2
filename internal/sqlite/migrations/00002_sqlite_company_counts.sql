-- +goose Up
-- SQLite only. company_counts holds the number of companies per tenant and
-- status, kept by the triggers below, so that the total of an unfiltered or
-- status-only company list (the default list) costs no index scan: counting
-- 1,000,000 index entries takes SQLite about 60 ms, reading this table
-- microseconds (see internal/sqlite/bench_test.go). It changes no
-- behaviour. PostgreSQL needs no copy of it: a per-tenant counter row would
-- serialise its concurrent company inserts.
CREATE TABLE company_counts (
    tenant_id INTEGER NOT NULL,
    status    INTEGER NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, status)
) WITHOUT ROWID;

INSERT INTO company_counts (tenant_id, status, n)
SELECT tenant_id, status, count(*) FROM companies GROUP BY tenant_id, status;

-- +goose StatementBegin
CREATE TRIGGER companies_count_insert AFTER INSERT ON companies BEGIN
    INSERT INTO company_counts (tenant_id, status, n) VALUES (new.tenant_id, new.status, 1)
    ON CONFLICT (tenant_id, status) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER companies_count_delete AFTER DELETE ON companies BEGIN
    UPDATE company_counts SET n = n - 1 WHERE tenant_id = old.tenant_id AND status = old.status;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER companies_count_update AFTER UPDATE OF tenant_id, status ON companies
WHEN old.tenant_id <> new.tenant_id OR old.status <> new.status BEGIN
    UPDATE company_counts SET n = n - 1 WHERE tenant_id = old.tenant_id AND status = old.status;
    INSERT INTO company_counts (tenant_id, status, n) VALUES (new.tenant_id, new.status, 1)
    ON CONFLICT (tenant_id, status) DO UPDATE SET n = n + 1;
END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER companies_count_update;
DROP TRIGGER companies_count_delete;
DROP TRIGGER companies_count_insert;
DROP TABLE company_counts;
