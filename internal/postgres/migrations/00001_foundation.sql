-- +goose Up
-- The PostgreSQL port of internal/sqlite/migrations/00001_foundation.sql:
-- the same tables, columns, constraints and indexes, so that both stores
-- behave the same. Times are unix microseconds (BIGINT), as on SQLite, with
-- 0 for "none". Every row carries tenant_id.
--
-- Where PostgreSQL differs from SQLite the port says why:
--   - ids are BIGINT identities; SQLite's 0/1 flags are BOOLEAN; lists of
--     ids and strings (JSON text on SQLite) are arrays.
--   - companies.name_lower is COLLATE "C": ordering by it is by bytes, as
--     SQLite's BINARY collation orders, whatever the database's locale.
--   - extra-field values are indexed by md5(value): a B-tree entry is limited
--     to about 2.7 kB on PostgreSQL, and a value may be 1,000 characters of
--     up to 4 bytes each. Lookups compare md5(value) and then value.
--   - constraints are named, so that a violation can be reported by name.

CREATE TABLE tenants (
    id                        BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    hash                      TEXT    NOT NULL CONSTRAINT tenants_hash_key UNIQUE,
    name                      TEXT    NOT NULL,
    dependent_companies       BOOLEAN NOT NULL DEFAULT false,
    default_customer_group_id BIGINT  NOT NULL DEFAULT 0,
    created_at                BIGINT  NOT NULL,
    updated_at                BIGINT  NOT NULL
);

CREATE TABLE tokens (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name        TEXT   NOT NULL,
    secret_hash BYTEA  NOT NULL CONSTRAINT tokens_secret_hash_key UNIQUE,
    hint        TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX tokens_tenant ON tokens(tenant_id, id);

CREATE TABLE customer_groups (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name       TEXT   NOT NULL,
    company_id BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX customer_groups_tenant ON customer_groups(tenant_id, id);

CREATE TABLE companies (
    id                BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id         BIGINT  NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name              TEXT    NOT NULL,
    name_lower        TEXT    COLLATE "C" NOT NULL,
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
    customer_group_id BIGINT  NOT NULL DEFAULT 0,
    catalog_id        BIGINT  NOT NULL DEFAULT 0,
    created_at        BIGINT  NOT NULL,
    updated_at        BIGINT  NOT NULL
);
CREATE INDEX companies_updated ON companies(tenant_id, updated_at, id);
CREATE INDEX companies_status_updated ON companies(tenant_id, status, updated_at, id);
CREATE INDEX companies_name ON companies(tenant_id, name_lower, id);
CREATE INDEX companies_status_name ON companies(tenant_id, status, name_lower, id);
CREATE INDEX companies_created ON companies(tenant_id, created_at);
CREATE INDEX companies_group ON companies(tenant_id, customer_group_id);

CREATE TABLE company_price_lists (
    tenant_id     BIGINT NOT NULL,
    company_id    BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    channel_id    BIGINT NOT NULL,
    price_list_id BIGINT NOT NULL,
    CONSTRAINT company_price_lists_pkey PRIMARY KEY (company_id, channel_id)
);

CREATE TABLE customers (
    id                BIGINT   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id         BIGINT   NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    email             TEXT     NOT NULL,
    email_lower       TEXT     NOT NULL,
    first_name        TEXT     NOT NULL,
    last_name         TEXT     NOT NULL,
    phone             TEXT     NOT NULL DEFAULT '',
    company_name      TEXT     NOT NULL DEFAULT '',
    customer_group_id BIGINT   NOT NULL DEFAULT 0,
    origin_channel_id BIGINT   NOT NULL DEFAULT 0,
    channel_ids       BIGINT[] NOT NULL DEFAULT '{}',
    created_at        BIGINT   NOT NULL,
    updated_at        BIGINT   NOT NULL,
    CONSTRAINT customers_email_key UNIQUE (tenant_id, email_lower)
);

CREATE TABLE users (
    id          BIGINT   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   BIGINT   NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    company_id  BIGINT   NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    customer_id BIGINT   NOT NULL REFERENCES customers(id),
    email       TEXT     NOT NULL,
    email_lower TEXT     NOT NULL,
    first_name  TEXT     NOT NULL,
    last_name   TEXT     NOT NULL,
    phone       TEXT     NOT NULL DEFAULT '',
    role        INTEGER  NOT NULL,
    uuid        TEXT     NOT NULL DEFAULT '',
    channel_ids BIGINT[] NOT NULL DEFAULT '{}',
    created_at  BIGINT   NOT NULL,
    updated_at  BIGINT   NOT NULL,
    CONSTRAINT users_email_key UNIQUE (tenant_id, email_lower)
);
CREATE INDEX users_company ON users(company_id, id);
CREATE INDEX users_customer ON users(tenant_id, customer_id);

CREATE TABLE extra_field_defs (
    id                 BIGINT           GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id          BIGINT           NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    kind               TEXT             NOT NULL,
    name               TEXT             NOT NULL,
    name_lower         TEXT             NOT NULL,
    field_type         INTEGER          NOT NULL,
    is_required        BOOLEAN          NOT NULL DEFAULT false,
    is_unique          BOOLEAN          NOT NULL DEFAULT false,
    visible_to_enduser BOOLEAN          NOT NULL DEFAULT true,
    default_value      TEXT             NOT NULL DEFAULT '',
    maximum_length     BIGINT           NOT NULL DEFAULT 0,
    number_of_rows     BIGINT           NOT NULL DEFAULT 0,
    maximum_value      DOUBLE PRECISION,
    list_of_values     TEXT[]           NOT NULL DEFAULT '{}',
    uuid               TEXT             NOT NULL DEFAULT '',
    created_at         BIGINT           NOT NULL,
    updated_at         BIGINT           NOT NULL,
    CONSTRAINT extra_field_defs_name_key UNIQUE (tenant_id, kind, name_lower)
);

-- One row per (record, field). unique_value mirrors value when the field is
-- unique and is NULL otherwise, so the index below enforces uniqueness.
CREATE TABLE extra_field_values (
    tenant_id    BIGINT NOT NULL,
    field_id     BIGINT NOT NULL REFERENCES extra_field_defs(id) ON DELETE CASCADE,
    kind         TEXT   NOT NULL,
    record_id    BIGINT NOT NULL,
    value        TEXT   NOT NULL,
    unique_value TEXT,
    CONSTRAINT extra_field_values_pkey PRIMARY KEY (kind, record_id, field_id)
);
CREATE UNIQUE INDEX extra_field_values_unique ON extra_field_values(field_id, md5(unique_value)) WHERE unique_value IS NOT NULL;
CREATE INDEX extra_field_values_field ON extra_field_values(field_id, md5(value));

CREATE TABLE attachments (
    id           TEXT   CONSTRAINT attachments_pkey PRIMARY KEY,
    tenant_id    BIGINT NOT NULL,
    company_id   BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    file_name    TEXT   NOT NULL,
    content_type TEXT   NOT NULL,
    size         BIGINT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX attachments_company ON attachments(company_id, created_at);

CREATE TABLE outbox (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   BIGINT NOT NULL,
    topic       TEXT   NOT NULL,
    entity_type TEXT   NOT NULL,
    entity_id   BIGINT NOT NULL,
    payload     TEXT   NOT NULL,
    created_at  BIGINT NOT NULL
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
