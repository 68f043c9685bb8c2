-- +goose Up
-- Issue 4: the store's payment methods and channels, companies' payment
-- settings (methods, credit, terms) and the store settings they need; the
-- PostgreSQL port of internal/sqlite/migrations/00022_payments_channels.sql.
--
-- Every store has a default storefront channel, platform id 1: existing
-- stores get it here, new ones when they are created (internal/app). Users'
-- and super admins' channelIds name platform ids of the store's channels.

ALTER TABLE tenants ADD COLUMN credit_enabled BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE tenants ADD COLUMN default_payment_terms INTEGER NOT NULL DEFAULT 30;

CREATE TABLE channels (
    id                  BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id           BIGINT  NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    channel_id          BIGINT  NOT NULL,
    name                TEXT    NOT NULL,
    type                TEXT    NOT NULL,
    platform            TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    site                TEXT    NOT NULL DEFAULT '',
    icon_url            TEXT    NOT NULL DEFAULT '',
    is_visible          BOOLEAN NOT NULL,
    is_enabled          BOOLEAN NOT NULL,
    b2b_enabled         BOOLEAN NOT NULL,
    allow_global_logins BOOLEAN NOT NULL,
    created_at          BIGINT  NOT NULL,
    updated_at          BIGINT  NOT NULL,
    CONSTRAINT channels_channel_id_key UNIQUE (tenant_id, channel_id)
);

INSERT INTO channels (tenant_id, channel_id, name, type, platform, status, is_visible, is_enabled, b2b_enabled,
                      allow_global_logins, created_at, updated_at)
SELECT id, 1, 'Default Channel', 'storefront', 'bigcommerce', 'active', TRUE, TRUE, TRUE, FALSE, created_at, created_at
FROM tenants;

CREATE TABLE payment_methods (
    id                 BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id          BIGINT  NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    code               TEXT    NOT NULL,
    title              TEXT    NOT NULL,
    enabled_by_default BOOLEAN NOT NULL,
    created_at         BIGINT  NOT NULL,
    updated_at         BIGINT  NOT NULL,
    CONSTRAINT payment_methods_code_key UNIQUE (tenant_id, code)
);

-- A company's own setting of a method; a method without one follows
-- payment_methods.enabled_by_default.
CREATE TABLE company_payments (
    tenant_id         BIGINT  NOT NULL,
    company_id        BIGINT  NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    payment_method_id BIGINT  NOT NULL REFERENCES payment_methods(id) ON DELETE CASCADE,
    enabled           BOOLEAN NOT NULL,
    created_at        BIGINT  NOT NULL,
    updated_at        BIGINT  NOT NULL,
    CONSTRAINT company_payments_pkey PRIMARY KEY (company_id, payment_method_id)
);
CREATE INDEX company_payments_method ON company_payments(payment_method_id);

-- available_credit is a decimal in text, as on SQLite: no rounding.
CREATE TABLE company_credits (
    company_id       BIGINT  PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
    tenant_id        BIGINT  NOT NULL,
    credit_enabled   BOOLEAN NOT NULL,
    credit_currency  TEXT    NOT NULL,
    available_credit TEXT    NOT NULL,
    limit_purchases  BOOLEAN NOT NULL,
    credit_hold      BOOLEAN NOT NULL,
    updated_at       BIGINT  NOT NULL
);

CREATE TABLE company_payment_terms (
    company_id BIGINT  PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
    tenant_id  BIGINT  NOT NULL,
    enabled    BOOLEAN NOT NULL,
    days       INTEGER NOT NULL,
    updated_at BIGINT  NOT NULL
);

-- +goose Down
DROP TABLE company_payment_terms;
DROP TABLE company_credits;
DROP TABLE company_payments;
DROP TABLE payment_methods;
DROP TABLE channels;
ALTER TABLE tenants DROP COLUMN default_payment_terms;
ALTER TABLE tenants DROP COLUMN credit_enabled;
