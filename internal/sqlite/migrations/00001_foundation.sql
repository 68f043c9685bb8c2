-- +goose Up
-- Times are unix microseconds (INTEGER). Every row carries tenant_id.

CREATE TABLE tenants (
    id                        INTEGER PRIMARY KEY,
    hash                      TEXT    NOT NULL UNIQUE,
    name                      TEXT    NOT NULL,
    dependent_companies       INTEGER NOT NULL DEFAULT 0,
    default_customer_group_id INTEGER NOT NULL DEFAULT 0,
    created_at                INTEGER NOT NULL,
    updated_at                INTEGER NOT NULL
);

CREATE TABLE tokens (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    secret_hash BLOB    NOT NULL UNIQUE,
    hint        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tokens_tenant ON tokens(tenant_id, id);

CREATE TABLE customer_groups (
    id         INTEGER PRIMARY KEY,
    tenant_id  INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    company_id INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX customer_groups_tenant ON customer_groups(tenant_id, id);

CREATE TABLE companies (
    id                INTEGER PRIMARY KEY,
    tenant_id         INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name              TEXT    NOT NULL,
    name_lower        TEXT    NOT NULL,
    email             TEXT    NOT NULL,
    phone             TEXT    NOT NULL,
    address_line1     TEXT    NOT NULL DEFAULT '',
    address_line2     TEXT    NOT NULL DEFAULT '',
    city              TEXT    NOT NULL DEFAULT '',
    state             TEXT    NOT NULL DEFAULT '',
    country_code      TEXT    NOT NULL DEFAULT '',
    country_name      TEXT    NOT NULL DEFAULT '',
    zip_code          TEXT    NOT NULL DEFAULT '',
    status            INTEGER NOT NULL,
    uuid              TEXT    NOT NULL DEFAULT '',
    customer_group_id INTEGER NOT NULL DEFAULT 0,
    catalog_id        INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX companies_updated ON companies(tenant_id, updated_at, id);
CREATE INDEX companies_status_updated ON companies(tenant_id, status, updated_at, id);
CREATE INDEX companies_name ON companies(tenant_id, name_lower, id);
CREATE INDEX companies_status_name ON companies(tenant_id, status, name_lower, id);
CREATE INDEX companies_created ON companies(tenant_id, created_at);
CREATE INDEX companies_group ON companies(tenant_id, customer_group_id);

CREATE TABLE company_price_lists (
    tenant_id     INTEGER NOT NULL,
    company_id    INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    channel_id    INTEGER NOT NULL,
    price_list_id INTEGER NOT NULL,
    PRIMARY KEY (company_id, channel_id)
);

CREATE TABLE customers (
    id                INTEGER PRIMARY KEY,
    tenant_id         INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    email             TEXT    NOT NULL,
    email_lower       TEXT    NOT NULL,
    first_name        TEXT    NOT NULL,
    last_name         TEXT    NOT NULL,
    phone             TEXT    NOT NULL DEFAULT '',
    company_name      TEXT    NOT NULL DEFAULT '',
    customer_group_id INTEGER NOT NULL DEFAULT 0,
    origin_channel_id INTEGER NOT NULL DEFAULT 0,
    channel_ids       TEXT    NOT NULL DEFAULT '[]',
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    UNIQUE (tenant_id, email_lower)
);

CREATE TABLE users (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    company_id  INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    email       TEXT    NOT NULL,
    email_lower TEXT    NOT NULL,
    first_name  TEXT    NOT NULL,
    last_name   TEXT    NOT NULL,
    phone       TEXT    NOT NULL DEFAULT '',
    role        INTEGER NOT NULL,
    uuid        TEXT    NOT NULL DEFAULT '',
    channel_ids TEXT    NOT NULL DEFAULT '[]',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (tenant_id, email_lower)
);
CREATE INDEX users_company ON users(company_id, id);
CREATE INDEX users_customer ON users(tenant_id, customer_id);

CREATE TABLE extra_field_defs (
    id                 INTEGER PRIMARY KEY,
    tenant_id          INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    kind               TEXT    NOT NULL,
    name               TEXT    NOT NULL,
    name_lower         TEXT    NOT NULL,
    field_type         INTEGER NOT NULL,
    is_required        INTEGER NOT NULL DEFAULT 0,
    is_unique          INTEGER NOT NULL DEFAULT 0,
    visible_to_enduser INTEGER NOT NULL DEFAULT 1,
    default_value      TEXT    NOT NULL DEFAULT '',
    maximum_length     INTEGER NOT NULL DEFAULT 0,
    number_of_rows     INTEGER NOT NULL DEFAULT 0,
    maximum_value      REAL,
    list_of_values     TEXT    NOT NULL DEFAULT '[]',
    uuid               TEXT    NOT NULL DEFAULT '',
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    UNIQUE (tenant_id, kind, name_lower)
);

-- One row per (record, field). unique_value mirrors value when the field is
-- unique and is NULL otherwise, so the index below enforces uniqueness.
CREATE TABLE extra_field_values (
    tenant_id    INTEGER NOT NULL,
    field_id     INTEGER NOT NULL REFERENCES extra_field_defs(id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL,
    record_id    INTEGER NOT NULL,
    value        TEXT    NOT NULL,
    unique_value TEXT,
    PRIMARY KEY (kind, record_id, field_id)
);
CREATE UNIQUE INDEX extra_field_values_unique ON extra_field_values(field_id, unique_value) WHERE unique_value IS NOT NULL;
CREATE INDEX extra_field_values_field ON extra_field_values(field_id, value);

CREATE TABLE attachments (
    id           TEXT    PRIMARY KEY,
    tenant_id    INTEGER NOT NULL,
    company_id   INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    file_name    TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    created_at   INTEGER NOT NULL
);
CREATE INDEX attachments_company ON attachments(company_id, created_at);

CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL,
    topic       TEXT    NOT NULL,
    entity_type TEXT    NOT NULL,
    entity_id   INTEGER NOT NULL,
    payload     TEXT    NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX outbox_tenant ON outbox(tenant_id, id);
CREATE INDEX outbox_entity ON outbox(tenant_id, entity_type, entity_id, id);

-- +goose Down
DROP TABLE outbox;
DROP TABLE attachments;
DROP TABLE extra_field_values;
DROP TABLE extra_field_defs;
DROP TABLE users;
DROP TABLE customers;
DROP TABLE company_price_lists;
DROP TABLE companies;
DROP TABLE customer_groups;
DROP TABLE tokens;
DROP TABLE tenants;
