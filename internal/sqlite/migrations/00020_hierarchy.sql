-- +goose Up
-- Issue 4: the account hierarchy, and each store's limits of it.
--
-- parent_id is the company's parent, 0 for a root (as customer_group_id uses
-- 0 for none). internal/app keeps the hierarchy's rules (no cycle, at most
-- max_hierarchy_depth layers and max_hierarchy_size companies per tree);
-- DeleteCompany makes a deleted company's children roots. The index serves
-- the walks down the tree (children of a company); it holds only companies
-- with a parent, so the many roots cost it nothing (and queries name
-- parent_id <> 0 to use it).
ALTER TABLE companies ADD COLUMN parent_id INTEGER NOT NULL DEFAULT 0;
CREATE INDEX companies_parent ON companies(tenant_id, parent_id, id) WHERE parent_id <> 0;

-- root_id is the root of the company's hierarchy, 0 for a root; the store
-- keeps it whenever a parent changes (SetCompanyParent, DeleteCompany). It
-- lets a whole hierarchy be read from one range of companies_root, which
-- holds every column of a hierarchy node: no walk, no table row (a
-- 500-company hierarchy in about a third of the walk's time).
ALTER TABLE companies ADD COLUMN root_id INTEGER NOT NULL DEFAULT 0;
CREATE INDEX companies_root ON companies(tenant_id, root_id, id, parent_id, status, name) WHERE root_id <> 0;

-- 0 means Guild's defaults: 5 layers, 500 companies.
ALTER TABLE tenants ADD COLUMN max_hierarchy_depth INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tenants ADD COLUMN max_hierarchy_size INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE tenants DROP COLUMN max_hierarchy_size;
ALTER TABLE tenants DROP COLUMN max_hierarchy_depth;
DROP INDEX companies_root;
ALTER TABLE companies DROP COLUMN root_id;
DROP INDEX companies_parent;
ALTER TABLE companies DROP COLUMN parent_id;
