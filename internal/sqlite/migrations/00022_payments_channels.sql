-- +goose Up
-- Issue 4: the store's payment methods and channels, companies' payment
-- settings (methods, credit, terms) and the store settings they need.
--
-- Every store has a default storefront channel, platform id 1: existing
-- stores get it here, new ones when they are created (internal/app). Users'
-- and super admins' channelIds name platform ids of the store's channels.

-- credit_enabled: the company credit feature; default_payment_terms: the
-- net days of companies without terms of their own.
ALTER TABLE tenants ADD COLUMN credit_enabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tenants ADD COLUMN default_payment_terms INTEGER NOT NULL DEFAULT 30;

CREATE TABLE channels (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id           INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    channel_id          INTEGER NOT NULL,
    name                TEXT    NOT NULL,
    type                TEXT    NOT NULL,
    platform            TEXT    NOT NULL,
    status              TEXT    NOT NULL,
    site                TEXT    NOT NULL DEFAULT '',
    icon_url            TEXT    NOT NULL DEFAULT '',
    is_visible          INTEGER NOT NULL,
    is_enabled          INTEGER NOT NULL,
    b2b_enabled         INTEGER NOT NULL,
    allow_global_logins INTEGER NOT NULL,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    UNIQUE (tenant_id, channel_id)
);

INSERT INTO channels (tenant_id, channel_id, name, type, platform, status, is_visible, is_enabled, b2b_enabled,
                      allow_global_logins, created_at, updated_at)
SELECT id, 1, 'Default Channel', 'storefront', 'bigcommerce', 'active', 1, 1, 1, 0, created_at, created_at FROM tenants;

CREATE TABLE payment_methods (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id          INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    code               TEXT    NOT NULL,
    title              TEXT    NOT NULL,
    enabled_by_default INTEGER NOT NULL,
    created_at         INTEGER NOT NULL,
    updated_at         INTEGER NOT NULL,
    UNIQUE (tenant_id, code)
);

-- A company's own setting of a method; a method without one follows
-- payment_methods.enabled_by_default. Settings go with the company or the
-- method.
CREATE TABLE company_payments (
    tenant_id         INTEGER NOT NULL,
    company_id        INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    payment_method_id INTEGER NOT NULL REFERENCES payment_methods(id) ON DELETE CASCADE,
    enabled           INTEGER NOT NULL,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    PRIMARY KEY (company_id, payment_method_id)
) WITHOUT ROWID;
CREATE INDEX company_payments_method ON company_payments(payment_method_id);

-- available_credit is a decimal in text, so that no rounding happens.
CREATE TABLE company_credits (
    company_id       INTEGER PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
    tenant_id        INTEGER NOT NULL,
    credit_enabled   INTEGER NOT NULL,
    credit_currency  TEXT    NOT NULL,
    available_credit TEXT    NOT NULL,
    limit_purchases  INTEGER NOT NULL,
    credit_hold      INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);

CREATE TABLE company_payment_terms (
    company_id INTEGER PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
    tenant_id  INTEGER NOT NULL,
    enabled    INTEGER NOT NULL,
    days       INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- +goose Down
DROP TABLE company_payment_terms;
DROP TABLE company_credits;
DROP TABLE company_payments;
DROP TABLE payment_methods;
DROP TABLE channels;
DELETE FROM sqlite_sequence WHERE name IN ('payment_methods', 'channels');
ALTER TABLE tenants DROP COLUMN default_payment_terms;
ALTER TABLE tenants DROP COLUMN credit_enabled;
