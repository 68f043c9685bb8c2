package app

import (
	"context"
	"fmt"

	guild "github.com/guild-b2b/guild"
)

// The account hierarchy (issue 4): a company may have one parent; a tree has
// at most the store's depth limit of layers (a root is layer 1) and its size
// limit of companies; no company is its own ancestor. Every change runs in
// a.write, under the tenant lock, so the checks below still hold when the
// change commits, however many attach requests race.

// HierarchyTree is a company with the companies below it, by ascending id.
type HierarchyTree struct {
	guild.CompanyNode
	Subsidiaries []*HierarchyTree
}

// buildTrees links the nodes of a store's walk down from rootID (each node
// once) into a tree and returns the tree of each node by id. The root is
// never linked under another node: should the data hold a cycle (which
// AttachParent never writes), it runs through the root, and the result is
// still a tree.
func buildTrees(nodes []guild.CompanyNode, rootID int64) map[int64]*HierarchyTree {
	byID := make(map[int64]*HierarchyTree, len(nodes))
	all := make([]HierarchyTree, len(nodes)) // one allocation for every node
	for i, n := range nodes {
		all[i].CompanyNode = n
		byID[n.ID] = &all[i]
	}
	for _, n := range nodes { // nodes come by ascending id, so children do too
		if p, ok := byID[n.ParentID]; ok && n.ID != rootID {
			p.Subsidiaries = append(p.Subsidiaries, byID[n.ID])
		}
	}
	return byID
}

// height is the number of layers of tr: 1 for a company without
// subsidiaries.
func (tr *HierarchyTree) height() int {
	h := 0
	for _, s := range tr.Subsidiaries {
		h = max(h, s.height())
	}
	return h + 1
}

// layer returns the layer of id in a tree given by its nodes: 1 for the root.
func layer(byID map[int64]*HierarchyTree, id int64) int {
	n := 0
	for cur, ok := byID[id]; ok && n <= len(byID); cur, ok = byID[cur.ParentID] {
		n++
	}
	return n
}

// hierarchyError is an EInvalid error for the hierarchy endpoints, which
// answer it as the vendor's 400.
func hierarchyError(format string, args ...any) error {
	return guild.Errorf(guild.EInvalid, format, args...)
}

// AttachParent makes parentID the parent of companyID (POST
// /companies/{companyId}/parent). The company brings its subtree along.
// Attaching a company to its current parent changes and writes nothing.
func (a *App) AttachParent(ctx context.Context, t guild.Tenant, companyID, parentID int64) error {
	if parentID <= 0 {
		return guild.FieldError("parentCompanyId", "is required: the id of the company to become the parent of company %d", companyID)
	}
	if companyID == parentID {
		return hierarchyError("company %d cannot be its own parent", companyID)
	}
	return a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		sub, err := tx.CompanySubtree(ctx, t.ID, companyID)
		if err != nil {
			return companyNotFound(companyID, err)
		}
		tree, err := tx.CompanyTree(ctx, t.ID, parentID)
		if guild.IsNotFound(err) {
			return guild.Errorf(guild.ENotFound, "parent company %d does not exist in this store", parentID)
		}
		if err != nil {
			return err
		}
		subs := buildTrees(sub, companyID)
		me := subs[companyID]
		if me.ParentID == parentID {
			return nil
		}
		if _, below := subs[parentID]; below {
			return hierarchyError("company %d is below company %d in its hierarchy: making it the parent would make a cycle; detach it first", parentID, companyID)
		}
		trees := buildTrees(tree, rootOf(tree))
		depth := layer(trees, parentID) + me.height()
		if limit := t.HierarchyDepthLimit(); depth > limit {
			return hierarchyError("the parent company has reached the maximum layer: company %d is on layer %d, and company %d with the companies below it spans %d layer(s), which makes %d; a hierarchy has at most %d layers",
				parentID, layer(trees, parentID), companyID, me.height(), depth, limit)
		}
		// A move within one hierarchy leaves its size as it is (also when
		// a lowered limit left it too big).
		_, sameTree := trees[companyID]
		if size, limit := len(tree)+len(sub), t.HierarchySizeLimit(); !sameTree && size > limit {
			return hierarchyError("the hierarchy of company %d has %d companies and company %d brings %d, which makes %d; a hierarchy holds at most %d companies",
				parentID, len(tree), companyID, len(sub), size, limit)
		}
		return a.setParent(ctx, tx, t, companyID, parentID)
	})
}

// setParent writes a parent change and its outbox row: a parent change is
// a company update.
func (a *App) setParent(ctx context.Context, tx guild.Tx, t guild.Tenant, companyID, parentID int64) error {
	if err := tx.SetCompanyParent(ctx, t.ID, companyID, parentID, a.clock()); err != nil {
		return err
	}
	return tx.Enqueue(ctx, companyMessage(t, guild.TopicCompanyUpdated, companyID, []string{"parentCompany"}))
}

// DetachSubsidiary removes childID from under companyID (DELETE
// /companies/{companyId}/subsidiaries/{childCompanyId}); the child becomes
// the root of its own hierarchy, with its subtree.
func (a *App) DetachSubsidiary(ctx context.Context, t guild.Tenant, companyID, childID int64) error {
	return a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		nodes, err := tx.CompanyLineage(ctx, t.ID, []int64{companyID, childID})
		if err != nil {
			return err
		}
		var parentFound bool
		var child *guild.CompanyNode
		for i, n := range nodes {
			switch n.ID {
			case companyID:
				parentFound = true
			case childID:
				child = &nodes[i]
			}
		}
		if !parentFound {
			return guild.Errorf(guild.ENotFound, "company %d does not exist in this store", companyID)
		}
		if child == nil {
			return hierarchyError("Invalid child company ID: company %d does not exist in this store", childID)
		}
		if child.ParentID != companyID {
			return hierarchyError("Invalid child company ID: company %d is not a direct subsidiary of company %d", childID, companyID)
		}
		return a.setParent(ctx, tx, t, childID, 0)
	})
}

// Subsidiaries returns a page of a company's direct subsidiaries, each with
// every company below it, and their number.
func (a *App) Subsidiaries(ctx context.Context, t guild.Tenant, companyID int64, pg guild.Page) ([]*HierarchyTree, int, error) {
	if err := CheckPage(pg); err != nil {
		return nil, 0, err
	}
	nodes, err := a.store.CompanySubtree(ctx, t.ID, companyID)
	if err != nil {
		return nil, 0, companyNotFound(companyID, err)
	}
	subs := buildTrees(nodes, companyID)[companyID].Subsidiaries
	return pageOf(subs, pg), len(subs), nil
}

// Hierarchy returns the whole hierarchy a company belongs to, from its root:
// the page applies to the root's direct subsidiaries, whose number it
// returns; every company below them comes along.
func (a *App) Hierarchy(ctx context.Context, t guild.Tenant, companyID int64, pg guild.Page) (*HierarchyTree, int, error) {
	if err := CheckPage(pg); err != nil {
		return nil, 0, err
	}
	nodes, err := a.store.CompanyTree(ctx, t.ID, companyID)
	if err != nil {
		return nil, 0, companyNotFound(companyID, err)
	}
	rootID := rootOf(nodes)
	root := buildTrees(nodes, rootID)[rootID]
	if root == nil {
		return nil, 0, fmt.Errorf("hierarchy of company %d has no root", companyID)
	}
	all := root.Subsidiaries
	cut := *root
	cut.Subsidiaries = pageOf(all, pg)
	return &cut, len(all), nil
}

// rootOf returns the root of a store's CompanyTree: the node without parent.
func rootOf(nodes []guild.CompanyNode) int64 {
	for _, n := range nodes {
		if n.ParentID == 0 {
			return n.ID
		}
	}
	return 0
}

func pageOf[T any](all []T, pg guild.Page) []T {
	lo := min(pg.Offset, len(all))
	hi := min(lo+pg.Limit, len(all))
	return all[lo:hi]
}

// detachChildren makes every child of a company about to be deleted a root,
// each change a company update.
func (a *App) detachChildren(ctx context.Context, tx guild.Tx, t guild.Tenant, companyID int64) error {
	kids, err := tx.CompanyChildren(ctx, t.ID, companyID)
	if err != nil {
		return err
	}
	for _, k := range kids {
		if err := a.setParent(ctx, tx, t, k.ID, 0); err != nil {
			return err
		}
	}
	return nil
}
