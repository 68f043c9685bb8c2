-- +goose Up
-- Issue 4: the company address book; the PostgreSQL port of
-- internal/sqlite/migrations/00021_addresses.sql. Version 21 is this
-- issue's number.
--
-- The *_lower columns hold the lower-cased names, city, address lines and
-- state name (lower-cased by the store, as SQLite's) that the list filters
-- compare with.
CREATE TABLE addresses (
    id                  BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id           BIGINT  NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    company_id          BIGINT  NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
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
    is_billing          BOOLEAN NOT NULL DEFAULT false,
    is_shipping         BOOLEAN NOT NULL DEFAULT false,
    is_default_billing  BOOLEAN NOT NULL DEFAULT false,
    is_default_shipping BOOLEAN NOT NULL DEFAULT false,
    label               TEXT    NOT NULL DEFAULT '',
    external_id         TEXT    NOT NULL DEFAULT '',
    created_by_user_id  BIGINT  NOT NULL DEFAULT 0,
    first_name_lower    TEXT    NOT NULL,
    last_name_lower     TEXT    NOT NULL,
    city_lower          TEXT    NOT NULL,
    lines_lower         TEXT    NOT NULL,
    state_lower         TEXT    NOT NULL DEFAULT '',
    created_at          BIGINT  NOT NULL,
    updated_at          BIGINT  NOT NULL
);
-- A company's address book, page by page: the list's main index.
CREATE INDEX addresses_company ON addresses(tenant_id, company_id, id);
CREATE INDEX addresses_tenant ON addresses(tenant_id, id);
CREATE INDEX addresses_external ON addresses(tenant_id, external_id) WHERE external_id <> '';
-- One default billing and one default shipping address per company.
CREATE UNIQUE INDEX addresses_default_billing ON addresses(company_id) WHERE is_default_billing;
CREATE UNIQUE INDEX addresses_default_shipping ON addresses(company_id) WHERE is_default_shipping;

-- +goose Down
DROP TABLE addresses;
