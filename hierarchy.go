package guild

import (
	"context"
	"time"
)

// The account hierarchy's limits. A store may set its own (Tenant's
// MaxHierarchyDepth and MaxHierarchySize); 0 there means these defaults.
const (
	// DefaultMaxHierarchyDepth is the most layers a hierarchy may have (the
	// vendor's limit): a root and four layers below it.
	DefaultMaxHierarchyDepth = 5
	// DefaultMaxHierarchySize is the most companies one hierarchy may hold
	// (the vendor's limit).
	DefaultMaxHierarchySize = 500
	// MaxHierarchyDepthSetting bounds a store's own depth limit: the
	// permission engine walks at most authz.MaxDepth (16) steps up a chain.
	MaxHierarchyDepthSetting = 16
	// MaxHierarchySizeSetting bounds a store's own size limit: a hierarchy
	// is read whole, in one answer.
	MaxHierarchySizeSetting = 10000
)

// HierarchyDepthLimit returns the most layers a hierarchy of the store may
// have.
func (t Tenant) HierarchyDepthLimit() int {
	if t.MaxHierarchyDepth > 0 {
		return t.MaxHierarchyDepth
	}
	return DefaultMaxHierarchyDepth
}

// HierarchySizeLimit returns the most companies a hierarchy of the store may
// hold.
func (t Tenant) HierarchySizeLimit() int {
	if t.MaxHierarchySize > 0 {
		return t.MaxHierarchySize
	}
	return DefaultMaxHierarchySize
}

// CompanyNode is a company's place in the account hierarchy: what the
// hierarchy endpoints show and the permission engine reads.
type CompanyNode struct {
	ID       int64
	ParentID int64 // 0 for a root
	Name     string
	Status   CompanyStatus
}

// HierarchyReader holds the reads of the account hierarchy (issue 4); part
// of Reader.
type HierarchyReader interface {
	// CompanyLineage returns the nodes of the companies in ids that exist
	// and of all their ancestors, each once, by ascending id. Unknown ids
	// are left out. Like CompanySubtree, it visits each company once, so it
	// ends even on a cycle (which internal/app never writes).
	CompanyLineage(ctx context.Context, tenantID int64, ids []int64) ([]CompanyNode, error)
	// CompanySubtree returns the node of rootID and of every company below
	// it, each once, by ascending id; ENotFound when rootID does not exist.
	CompanySubtree(ctx context.Context, tenantID, rootID int64) ([]CompanyNode, error)
	// CompanyTree returns the whole hierarchy id belongs to: the node of its
	// root and of every company below the root, each once, by ascending id;
	// ENotFound when id does not exist. It is one read: one consistent state.
	CompanyTree(ctx context.Context, tenantID, id int64) ([]CompanyNode, error)
	// CompanyChildren returns the nodes of the companies whose parent is
	// parentID, by ascending id (none for an unknown id).
	CompanyChildren(ctx context.Context, tenantID, parentID int64) ([]CompanyNode, error)
}

// HierarchyWriter holds the writes of the account hierarchy (issue 4); part
// of Writer.
type HierarchyWriter interface {
	// SetCompanyParent makes parentID (0: none) the company's parent and
	// sets its UpdatedAt. A company or parent of another tenant, or one
	// that does not exist, is ENotFound. It checks no rule of the
	// hierarchy (cycles, limits): internal/app does.
	SetCompanyParent(ctx context.Context, tenantID, id, parentID int64, updatedAt time.Time) error
}
