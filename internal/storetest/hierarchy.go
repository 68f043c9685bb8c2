package storetest

import (
	"testing"

	guild "github.com/guild-b2b/guild"
)

// testHierarchy pins the account hierarchy's reads and writes: parents set
// and cleared, the walks up (lineage) and down (subtree, children), a
// deleted company's children becoming roots, other tenants' companies never
// seen, walks that end on a cycle, and the tenants' hierarchy limits.
func testHierarchy(t *testing.T, f *fixture) {
	ten := f.tenant(t, "hier")
	other := f.tenant(t, "hier-other")
	co := func(tenantID int64, name string, st guild.CompanyStatus) guild.Company {
		return f.company(t, guild.Company{TenantID: tenantID, Name: name, Status: st})
	}
	r := co(ten.ID, "Root", guild.CompanyApproved)
	a := co(ten.ID, "A", guild.CompanyApproved)
	b := co(ten.ID, "B", guild.CompanyInactive)
	a1 := co(ten.ID, "A1", guild.CompanyApproved)
	a2 := co(ten.ID, "A2", guild.CompanyPending)
	b1 := co(ten.ID, "B1", guild.CompanyApproved)
	lone := co(ten.ID, "Lone", guild.CompanyApproved)
	foreign := co(other.ID, "Foreign", guild.CompanyApproved)

	setParent := func(id, parent int64) error {
		return f.try(func(tx guild.Tx) error { return tx.SetCompanyParent(f.ctx, ten.ID, id, parent, at(secs(60))) })
	}
	for _, e := range [][2]int64{{a.ID, r.ID}, {b.ID, r.ID}, {a1.ID, a.ID}, {a2.ID, a1.ID}, {b1.ID, b.ID}} {
		wantNoErr(t, setParent(e[0], e[1]), "SetCompanyParent")
	}
	node := func(c guild.Company, parent int64) guild.CompanyNode {
		return guild.CompanyNode{ID: c.ID, ParentID: parent, Name: c.Name, Status: c.Status}
	}

	// The detail shows the parent's id and name and the new UpdatedAt; a
	// list shows the parent's id.
	got := f.mustCompany(t, ten.ID, a1.ID)
	wantEqual(t, [3]any{got.ParentID, got.ParentName, got.UpdatedAt}, [3]any{a.ID, "A", at(secs(60))}, "Company's parent")
	if got := f.mustCompany(t, ten.ID, r.ID); got.ParentID != 0 || got.ParentName != "" {
		t.Errorf("a root's parent: %d %q, want none", got.ParentID, got.ParentName)
	}
	list, _, err := f.s.ListCompanies(f.ctx, ten.ID, guild.CompanyFilter{Limit: 100, SortBy: guild.SortByCompanyName})
	wantNoErr(t, err, "ListCompanies")
	parents := map[string]int64{}
	for _, c := range list {
		parents[c.Name] = c.ParentID
	}
	wantEqual(t, parents, map[string]int64{"A": r.ID, "A1": a.ID, "A2": a1.ID, "B": r.ID, "B1": b.ID, "Lone": 0, "Root": 0}, "ListCompanies' parents")

	sub, err := f.s.CompanySubtree(f.ctx, ten.ID, r.ID)
	wantNoErr(t, err, "CompanySubtree(root)")
	wantEqual(t, sub, []guild.CompanyNode{node(r, 0), node(a, r.ID), node(b, r.ID), node(a1, a.ID), node(a2, a1.ID), node(b1, b.ID)}, "CompanySubtree(root)")
	sub, err = f.s.CompanySubtree(f.ctx, ten.ID, a.ID)
	wantNoErr(t, err, "CompanySubtree(a)")
	wantEqual(t, sub, []guild.CompanyNode{node(a, r.ID), node(a1, a.ID), node(a2, a1.ID)}, "CompanySubtree(a)")
	sub, err = f.s.CompanySubtree(f.ctx, ten.ID, lone.ID)
	wantNoErr(t, err, "CompanySubtree(lone)")
	wantEqual(t, sub, []guild.CompanyNode{node(lone, 0)}, "CompanySubtree(lone)")
	_, err = f.s.CompanySubtree(f.ctx, ten.ID, foreign.ID)
	wantCode(t, err, guild.ENotFound, "CompanySubtree of another tenant's company")
	_, err = f.s.CompanySubtree(f.ctx, ten.ID, 999999)
	wantCode(t, err, guild.ENotFound, "CompanySubtree of an unknown company")

	for _, id := range []int64{r.ID, a2.ID, b.ID} {
		tree, err := f.s.CompanyTree(f.ctx, ten.ID, id)
		wantNoErr(t, err, "CompanyTree")
		wantEqual(t, tree, []guild.CompanyNode{node(r, 0), node(a, r.ID), node(b, r.ID), node(a1, a.ID), node(a2, a1.ID), node(b1, b.ID)}, "CompanyTree")
	}
	tree, err := f.s.CompanyTree(f.ctx, ten.ID, lone.ID)
	wantNoErr(t, err, "CompanyTree(lone)")
	wantEqual(t, tree, []guild.CompanyNode{node(lone, 0)}, "CompanyTree(lone)")
	_, err = f.s.CompanyTree(f.ctx, ten.ID, foreign.ID)
	wantCode(t, err, guild.ENotFound, "CompanyTree of another tenant's company")
	_, err = f.s.CompanyTree(f.ctx, ten.ID, 999999)
	wantCode(t, err, guild.ENotFound, "CompanyTree of an unknown company")

	lin, err := f.s.CompanyLineage(f.ctx, ten.ID, []int64{a2.ID, b1.ID, 999999, foreign.ID, a2.ID})
	wantNoErr(t, err, "CompanyLineage")
	wantEqual(t, lin, []guild.CompanyNode{node(r, 0), node(a, r.ID), node(b, r.ID), node(a1, a.ID), node(a2, a1.ID), node(b1, b.ID)}, "CompanyLineage")
	lin, err = f.s.CompanyLineage(f.ctx, ten.ID, nil)
	wantNoErr(t, err, "CompanyLineage(nil)")
	wantEqual(t, lin, nil, "CompanyLineage(nil)")

	kids, err := f.s.CompanyChildren(f.ctx, ten.ID, r.ID)
	wantNoErr(t, err, "CompanyChildren")
	wantEqual(t, kids, []guild.CompanyNode{node(a, r.ID), node(b, r.ID)}, "CompanyChildren(root)")
	kids, err = f.s.CompanyChildren(f.ctx, ten.ID, 0)
	wantNoErr(t, err, "CompanyChildren(0)")
	wantEqual(t, kids, nil, "CompanyChildren(0) (not the roots)")
	kids, err = f.s.CompanyChildren(f.ctx, other.ID, r.ID)
	wantNoErr(t, err, "CompanyChildren of another tenant")
	wantEqual(t, kids, nil, "CompanyChildren seen from another tenant")

	// Writes naming another tenant's or a missing company change nothing.
	for name, e := range map[string][2]int64{
		"a parent of another tenant": {lone.ID, foreign.ID},
		"an unknown parent":          {lone.ID, 999999},
		"another tenant's company":   {foreign.ID, r.ID},
		"an unknown company":         {999999, r.ID},
	} {
		wantCode(t, setParent(e[0], e[1]), guild.ENotFound, "SetCompanyParent with "+name)
	}
	if got := f.mustCompany(t, ten.ID, lone.ID); got.ParentID != 0 {
		t.Errorf("a refused SetCompanyParent changed the parent to %d", got.ParentID)
	}
	if got := f.mustCompany(t, other.ID, foreign.ID); got.ParentID != 0 {
		t.Errorf("a refused SetCompanyParent changed another tenant's company: parent %d", got.ParentID)
	}

	// Clearing a parent makes a root, with its subtree.
	wantNoErr(t, setParent(b.ID, 0), "SetCompanyParent(b, 0)")
	sub, err = f.s.CompanySubtree(f.ctx, ten.ID, r.ID)
	wantNoErr(t, err, "CompanySubtree after detaching b")
	wantEqual(t, len(sub), 4, "companies under the root after detaching b")
	wantTree := func(id int64, want []guild.CompanyNode, what string) {
		t.Helper()
		tree, err := f.s.CompanyTree(f.ctx, ten.ID, id)
		wantNoErr(t, err, "CompanyTree: "+what)
		wantEqual(t, tree, want, "CompanyTree: "+what)
	}
	wantTree(b1.ID, []guild.CompanyNode{node(b, 0), node(b1, b.ID)}, "a detached subtree")
	wantTree(a2.ID, []guild.CompanyNode{node(r, 0), node(a, r.ID), node(a1, a.ID), node(a2, a1.ID)}, "the tree it left")

	// Moving a subtree into another tree, and within a tree, moves its
	// whole subtree's membership.
	wantNoErr(t, setParent(b.ID, a2.ID), "SetCompanyParent(b, a2)")
	wantTree(b1.ID, []guild.CompanyNode{node(r, 0), node(a, r.ID), node(b, a2.ID), node(a1, a.ID), node(a2, a1.ID), node(b1, b.ID)}, "a subtree moved into a tree")
	wantNoErr(t, setParent(b.ID, r.ID), "SetCompanyParent(b, r)")
	wantTree(b1.ID, []guild.CompanyNode{node(r, 0), node(a, r.ID), node(b, r.ID), node(a1, a.ID), node(a2, a1.ID), node(b1, b.ID)}, "a subtree moved within its tree")
	wantNoErr(t, setParent(b.ID, 0), "SetCompanyParent(b, 0) again")
	wantNoErr(t, setParent(r.ID, lone.ID), "SetCompanyParent(root, lone)")
	wantTree(a2.ID, []guild.CompanyNode{node(r, lone.ID), node(a, r.ID), node(a1, a.ID), node(a2, a1.ID), node(lone, 0)}, "a tree moved under a root")
	wantNoErr(t, setParent(r.ID, 0), "SetCompanyParent(root, 0)")
	wantTree(lone.ID, []guild.CompanyNode{node(lone, 0)}, "a root left alone again")

	// Deleting a company makes its children roots; their subtrees stay.
	f.update(t, func(tx guild.Tx) error { return tx.DeleteCompany(f.ctx, ten.ID, a.ID) })
	if got := f.mustCompany(t, ten.ID, a1.ID); got.ParentID != 0 || got.ParentName != "" {
		t.Errorf("a deleted company's child: parent %d %q, want a root", got.ParentID, got.ParentName)
	}
	sub, err = f.s.CompanySubtree(f.ctx, ten.ID, a1.ID)
	wantNoErr(t, err, "CompanySubtree(a1)")
	wantEqual(t, sub, []guild.CompanyNode{node(a1, 0), node(a2, a1.ID)}, "CompanySubtree of a deleted company's child")
	wantTree(a2.ID, []guild.CompanyNode{node(a1, 0), node(a2, a1.ID)}, "a deleted company's child's tree")
	wantTree(r.ID, []guild.CompanyNode{node(r, 0)}, "a deleted company's parent's tree")

	// The store checks no rule: a cycle can be written, and every walk
	// still ends, visiting each company once.
	wantNoErr(t, setParent(a1.ID, a2.ID), "SetCompanyParent making a cycle")
	sub, err = f.s.CompanySubtree(f.ctx, ten.ID, a1.ID)
	wantNoErr(t, err, "CompanySubtree on a cycle")
	wantEqual(t, sub, []guild.CompanyNode{node(a1, a2.ID), node(a2, a1.ID)}, "CompanySubtree on a cycle")
	lin, err = f.s.CompanyLineage(f.ctx, ten.ID, []int64{a2.ID})
	wantNoErr(t, err, "CompanyLineage on a cycle")
	wantEqual(t, lin, []guild.CompanyNode{node(a1, a2.ID), node(a2, a1.ID)}, "CompanyLineage on a cycle")

	// A tenant's own hierarchy limits are kept.
	var lim guild.Tenant
	f.update(t, func(tx guild.Tx) error {
		var err error
		lim, err = tx.CreateTenant(f.ctx, guild.Tenant{Hash: "hier-limits", Name: "L", MaxHierarchyDepth: 3, MaxHierarchySize: 40, CreatedAt: t0, UpdatedAt: t0})
		return err
	})
	got2, err := f.s.TenantByID(f.ctx, lim.ID)
	wantNoErr(t, err, "TenantByID")
	wantEqual(t, [2]int{got2.MaxHierarchyDepth, got2.MaxHierarchySize}, [2]int{3, 40}, "created hierarchy limits")
	lim.MaxHierarchyDepth, lim.MaxHierarchySize = 0, 7
	f.update(t, func(tx guild.Tx) error { return tx.UpdateTenant(f.ctx, lim) })
	got2, err = f.s.TenantByHash(f.ctx, "hier-limits")
	wantNoErr(t, err, "TenantByHash")
	wantEqual(t, [2]int{got2.MaxHierarchyDepth, got2.MaxHierarchySize}, [2]int{0, 7}, "updated hierarchy limits")
	if got2.HierarchyDepthLimit() != guild.DefaultMaxHierarchyDepth || got2.HierarchySizeLimit() != 7 {
		t.Errorf("limits: depth %d size %d, want the default depth and 7", got2.HierarchyDepthLimit(), got2.HierarchySizeLimit())
	}
}
