-- +goose Up
-- GET /company-payment-methods without a company: the page is merged from
-- sources read in the list's order (internal/sqlite/payments.go): the
-- settings that enable a method, by either timestamp, and a tenant's
-- companies by id (an index on tenant_id alone ends with the rowid, the id).
-- The total is counted from the settings per method.
CREATE INDEX companies_tenant ON companies(tenant_id);
CREATE INDEX company_payments_enabled_updated ON company_payments(tenant_id, updated_at, company_id, payment_method_id) WHERE enabled <> 0;
CREATE INDEX company_payments_enabled_created ON company_payments(tenant_id, created_at, company_id, payment_method_id) WHERE enabled <> 0;
CREATE INDEX company_payments_tenant ON company_payments(tenant_id, payment_method_id, enabled);

-- +goose Down
DROP INDEX company_payments_tenant;
DROP INDEX company_payments_enabled_created;
DROP INDEX company_payments_enabled_updated;
DROP INDEX companies_tenant;
