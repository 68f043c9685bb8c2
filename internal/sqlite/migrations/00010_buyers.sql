-- +goose Up
-- Issue 3: company users' custom roles, super admins and their companies,
-- custom permissions and roles, buyer tokens. Version 10 leaves room for
-- other migrations numbered before it.
--
-- The new tables use AUTOINCREMENT: an id is never handed out again after
-- its row is deleted (without it SQLite reuses the largest id once that row
-- is gone). Custom permission and role ids start at 1000, so that they never
-- collide with the predefined ones (permissions 1..40, roles 0..2; see
-- internal/authz).

-- company_role_id is the user's custom role, 0 for none.
ALTER TABLE users ADD COLUMN company_role_id INTEGER NOT NULL DEFAULT 0;
CREATE INDEX users_tenant ON users(tenant_id, id);
CREATE INDEX users_company_role ON users(tenant_id, company_role_id) WHERE company_role_id <> 0;

CREATE TABLE super_admins (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    email       TEXT    NOT NULL,
    email_lower TEXT    NOT NULL,
    first_name  TEXT    NOT NULL,
    last_name   TEXT    NOT NULL,
    phone       TEXT    NOT NULL DEFAULT '',
    uuid        TEXT    NOT NULL DEFAULT '',
    channel_ids TEXT    NOT NULL DEFAULT '[]',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (tenant_id, email_lower)
);
CREATE INDEX super_admins_tenant ON super_admins(tenant_id, id);

-- A super admin's assignments go with the super admin or the company.
CREATE TABLE super_admin_companies (
    tenant_id      INTEGER NOT NULL,
    super_admin_id INTEGER NOT NULL REFERENCES super_admins(id) ON DELETE CASCADE,
    company_id     INTEGER NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    PRIMARY KEY (super_admin_id, company_id)
) WITHOUT ROWID;
CREATE INDEX super_admin_companies_company ON super_admin_companies(company_id, super_admin_id);

CREATE TABLE custom_permissions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name        TEXT    NOT NULL,
    name_lower  TEXT    NOT NULL,
    code        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    module      TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    UNIQUE (tenant_id, name_lower),
    UNIQUE (tenant_id, code)
);

CREATE TABLE custom_roles (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    name_lower TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (tenant_id, name_lower)
);

-- A role's grants, in the order they were given (position).
CREATE TABLE custom_role_grants (
    tenant_id INTEGER NOT NULL,
    role_id   INTEGER NOT NULL REFERENCES custom_roles(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    code      TEXT    NOT NULL,
    level     INTEGER NOT NULL,
    PRIMARY KEY (role_id, code)
) WITHOUT ROWID;
CREATE INDEX custom_role_grants_code ON custom_role_grants(tenant_id, code);

-- The first custom permission and the first custom role get id 1000.
INSERT INTO sqlite_sequence (name, seq) VALUES ('custom_permissions', 999), ('custom_roles', 999);

-- A buyer token belongs to exactly one company user (user_id) or super admin
-- (super_admin_id); the other is NULL (0 in guild.BuyerToken). Deleting the
-- user or super admin (a user also goes with their company) deletes their
-- tokens.
CREATE TABLE buyer_tokens (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id      INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    user_id        INTEGER REFERENCES users(id) ON DELETE CASCADE,
    super_admin_id INTEGER REFERENCES super_admins(id) ON DELETE CASCADE,
    secret_hash    BLOB    NOT NULL UNIQUE,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    revoked_at     INTEGER NOT NULL DEFAULT 0,
    CHECK ((user_id IS NULL) <> (super_admin_id IS NULL))
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
DELETE FROM sqlite_sequence WHERE name IN ('custom_permissions', 'custom_roles', 'super_admins', 'buyer_tokens');
DROP INDEX users_company_role;
DROP INDEX users_tenant;
ALTER TABLE users DROP COLUMN company_role_id;
