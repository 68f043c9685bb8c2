-- +goose Up
-- Issue 3: company users' custom roles, super admins and their companies,
-- custom permissions and roles, buyer tokens; the PostgreSQL port of
-- internal/sqlite/migrations/00010_buyers.sql. Version 10 leaves room for
-- other migrations numbered before it.
--
-- Identities never hand out an id again. Custom permission and role ids
-- start at 1000, so that they never collide with the predefined ones
-- (permissions 1..40, roles 0..2; see internal/authz).

-- company_role_id is the user's custom role, 0 for none.
ALTER TABLE users ADD COLUMN company_role_id BIGINT NOT NULL DEFAULT 0;
CREATE INDEX users_tenant ON users(tenant_id, id);
CREATE INDEX users_company_role ON users(tenant_id, company_role_id) WHERE company_role_id <> 0;

CREATE TABLE super_admins (
    id          BIGINT   GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id   BIGINT   NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    customer_id BIGINT   NOT NULL REFERENCES customers(id),
    email       TEXT     NOT NULL,
    email_lower TEXT     NOT NULL,
    first_name  TEXT     NOT NULL,
    last_name   TEXT     NOT NULL,
    phone       TEXT     NOT NULL DEFAULT '',
    uuid        TEXT     NOT NULL DEFAULT '',
    channel_ids BIGINT[] NOT NULL DEFAULT '{}',
    created_at  BIGINT   NOT NULL,
    updated_at  BIGINT   NOT NULL,
    CONSTRAINT super_admins_email_key UNIQUE (tenant_id, email_lower)
);
CREATE INDEX super_admins_tenant ON super_admins(tenant_id, id);

-- A super admin's assignments go with the super admin or the company.
CREATE TABLE super_admin_companies (
    tenant_id      BIGINT NOT NULL,
    super_admin_id BIGINT NOT NULL REFERENCES super_admins(id) ON DELETE CASCADE,
    company_id     BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    CONSTRAINT super_admin_companies_pkey PRIMARY KEY (super_admin_id, company_id)
);
CREATE INDEX super_admin_companies_company ON super_admin_companies(company_id, super_admin_id);

CREATE TABLE custom_permissions (
    id          BIGINT GENERATED ALWAYS AS IDENTITY (START WITH 1000) PRIMARY KEY,
    tenant_id   BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name        TEXT   NOT NULL,
    name_lower  TEXT   NOT NULL,
    code        TEXT   NOT NULL,
    description TEXT   NOT NULL DEFAULT '',
    module      TEXT   NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL,
    CONSTRAINT custom_permissions_name_key UNIQUE (tenant_id, name_lower),
    CONSTRAINT custom_permissions_code_key UNIQUE (tenant_id, code)
);

CREATE TABLE custom_roles (
    id         BIGINT GENERATED ALWAYS AS IDENTITY (START WITH 1000) PRIMARY KEY,
    tenant_id  BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name       TEXT   NOT NULL,
    name_lower TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CONSTRAINT custom_roles_name_key UNIQUE (tenant_id, name_lower)
);

-- A role's grants, in the order they were given (position).
CREATE TABLE custom_role_grants (
    tenant_id BIGINT  NOT NULL,
    role_id   BIGINT  NOT NULL REFERENCES custom_roles(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    code      TEXT    NOT NULL,
    level     INTEGER NOT NULL,
    CONSTRAINT custom_role_grants_pkey PRIMARY KEY (role_id, code)
);
CREATE INDEX custom_role_grants_code ON custom_role_grants(tenant_id, code);

-- A buyer token belongs to exactly one company user (user_id) or super admin
-- (super_admin_id); the other is NULL (0 in guild.BuyerToken). Deleting the
-- user or super admin (a user also goes with their company) deletes their
-- tokens.
CREATE TABLE buyer_tokens (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id      BIGINT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id        BIGINT REFERENCES users(id) ON DELETE CASCADE,
    super_admin_id BIGINT REFERENCES super_admins(id) ON DELETE CASCADE,
    secret_hash    BYTEA  NOT NULL CONSTRAINT buyer_tokens_secret_hash_key UNIQUE,
    created_at     BIGINT NOT NULL,
    expires_at     BIGINT NOT NULL,
    revoked_at     BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT buyer_tokens_owner CHECK ((user_id IS NULL) <> (super_admin_id IS NULL))
);
CREATE INDEX buyer_tokens_user ON buyer_tokens(user_id);
CREATE INDEX buyer_tokens_super_admin ON buyer_tokens(super_admin_id);

-- +goose Down
DROP TABLE buyer_tokens;
DROP TABLE custom_role_grants;
DROP TABLE custom_roles;
DROP TABLE custom_permissions;
DROP TABLE super_admin_companies;
DROP TABLE super_admins;
DROP INDEX users_company_role;
DROP INDEX users_tenant;
ALTER TABLE users DROP COLUMN company_role_id;
