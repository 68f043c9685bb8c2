-- +goose Up
-- Issue 4: the company address book. Version 21 is this issue's number.
--
-- The *_lower columns hold the lower-cased (Unicode, by the store) names,
-- city, address lines and state name that the list filters compare with.
-- AUTOINCREMENT: an address id is never handed out again once deleted
-- (webhook consumers and ERPs keep them).
CREATE TABLE addresses (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id           INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    company_id          INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    first_name          TEXT    NOT NULL,
    last_name           TEXT    NOT NULL,
    phone               TEXT    NOT NULL DEFAULT '',
    zip_code            TEXT    NOT NULL DEFAULT '',
    address_line1       TEXT    NOT NULL,
    address_line2       TEXT    NOT NULL DEFAULT '',
    city                TEXT    NOT NULL,
    state_name          TEXT    NOT NULL DEFAULT '',
    state_code          TEXT    NOT NULL DEFAULT '',
    country_name        TEXT    NOT NULL,
    country_code        TEXT    NOT NULL,
    is_billing          INTEGER NOT NULL DEFAULT 0,
    is_shipping         INTEGER NOT NULL DEFAULT 0,
    is_default_billing  INTEGER NOT NULL DEFAULT 0,
    is_default_shipping INTEGER NOT NULL DEFAULT 0,
    label               TEXT    NOT NULL DEFAULT '',
    external_id         TEXT    NOT NULL DEFAULT '',
    created_by_user_id  INTEGER NOT NULL DEFAULT 0,
    first_name_lower    TEXT    NOT NULL,
    last_name_lower     TEXT    NOT NULL,
    city_lower          TEXT    NOT NULL,
    lines_lower         TEXT    NOT NULL,
    state_lower         TEXT    NOT NULL DEFAULT '',
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);
-- A company's address book, page by page: the list's main index.
CREATE INDEX addresses_company ON addresses(tenant_id, company_id, id);
CREATE INDEX addresses_tenant ON addresses(tenant_id, id);
CREATE INDEX addresses_external ON addresses(tenant_id, external_id) WHERE external_id <> '';
-- One default billing and one default shipping address per company.
CREATE UNIQUE INDEX addresses_default_billing ON addresses(company_id) WHERE is_default_billing = 1;
CREATE UNIQUE INDEX addresses_default_shipping ON addresses(company_id) WHERE is_default_shipping = 1;

-- +goose Down
DROP TABLE addresses;
