package app

import (
	"context"
	"slices"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/authz"
)

// The world a buyer request is decided on. This file is the ONE place the
// buyer API learns about companies for the permission engine: their status
// and their place in the account hierarchy.
//
// A world holds the requested companies and every ancestor of each (one
// recursive read, CompanyLineage), so the engine's walk up from a company
// to the subject's own company finds every parent it needs. The cost of a
// decision follows the depth of the hierarchy (at most a few layers), not
// its size.

// world is a snapshot of the companies a decision needs; it implements
// authz.Companies. Companies it was not asked to load are unknown.
type world struct {
	nodes     authz.MapCompanies
	companies map[int64]guild.CompanyNode
}

// Status implements authz.Companies.
func (w *world) Status(id int64) (guild.CompanyStatus, bool) { return w.nodes.Status(id) }

// Parent implements authz.Companies.
func (w *world) Parent(id int64) int64 { return w.nodes.Parent(id) }

// company returns a loaded company: its id, name, status and parent.
func (w *world) company(id int64) (guild.Company, bool) {
	n, ok := w.companies[id]
	return guild.Company{ID: n.ID, Name: n.Name, Status: n.Status, ParentID: n.ParentID}, ok
}

func (w *world) add(nodes []guild.CompanyNode) {
	for _, n := range nodes {
		w.nodes[n.ID] = authz.Node{Parent: n.ParentID, Status: n.Status}
		w.companies[n.ID] = n
	}
}

func newWorld(n int) *world {
	return &world{nodes: make(authz.MapCompanies, n), companies: make(map[int64]guild.CompanyNode, n)}
}

// loadWorld reads the companies in ids (0s and repeats are skipped) and all
// their ancestors; a company that does not exist is left out, which the
// engine reports as unknown. Each company's status and parent are read as
// they stand now: nothing is cached between requests, so a change applies
// to the next request.
func loadWorld(ctx context.Context, r guild.Reader, t guild.Tenant, ids ...int64) (*world, error) {
	want := make([]int64, 0, len(ids))
	seen := make(map[int64]bool, len(ids)) // a super admin may ask for thousands
	for _, id := range ids {
		if id > 0 && !seen[id] {
			seen[id] = true
			want = append(want, id)
		}
	}
	w := newWorld(len(want) + authz.MaxDepth)
	if len(want) == 0 {
		return w, nil
	}
	nodes, err := r.CompanyLineage(ctx, t.ID, want)
	if err != nil {
		return nil, err
	}
	w.add(nodes)
	return w, nil
}

// loadTreeWorld reads a company, its ancestors and every company below it:
// the world of "the company and its subsidiaries". It also returns the
// subsidiaries' ids, nearest first (by layer, then id).
func loadTreeWorld(ctx context.Context, r guild.Reader, t guild.Tenant, companyID int64) (*world, []int64, error) {
	w, err := loadWorld(ctx, r, t, companyID)
	if err != nil {
		return nil, nil, err
	}
	var sub []guild.CompanyNode
	if n, ok := w.companies[companyID]; ok && n.ParentID == 0 {
		// A root's subtree is its whole hierarchy, which the store reads
		// from one index range rather than by walking down.
		sub, err = r.CompanyTree(ctx, t.ID, companyID)
	} else {
		sub, err = r.CompanySubtree(ctx, t.ID, companyID)
	}
	if guild.IsNotFound(err) {
		return w, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	w.add(sub)
	return w, subsidiaryIDs(sub, companyID), nil
}

// subsidiaryIDs orders the companies of a subtree below its root by layer,
// then id; the root is left out.
func subsidiaryIDs(sub []guild.CompanyNode, rootID int64) []int64 {
	layerOf := make(map[int64]int, len(sub))
	layerOf[rootID] = 0
	parent := make(map[int64]int64, len(sub))
	for _, n := range sub {
		parent[n.ID] = n.ParentID
	}
	var depth func(id int64) int
	depth = func(id int64) int {
		if l, ok := layerOf[id]; ok {
			return l
		}
		layerOf[id] = len(sub) // a guard against a cycle, which is never written
		l := depth(parent[id]) + 1
		layerOf[id] = l
		return l
	}
	ids := make([]int64, 0, len(sub))
	for _, n := range sub {
		if n.ID != rootID {
			depth(n.ID)
			ids = append(ids, n.ID)
		}
	}
	slices.SortStableFunc(ids, func(a, b int64) int { return layerOf[a] - layerOf[b] })
	return ids
}

// subsidiaries lists the companies below companyID in the account
// hierarchy, nearest first.
func subsidiaries(ctx context.Context, r guild.Reader, t guild.Tenant, companyID int64) ([]guild.Company, error) {
	w, ids, err := loadTreeWorld(ctx, r, t, companyID)
	if err != nil {
		return nil, err
	}
	out := make([]guild.Company, 0, len(ids))
	for _, id := range ids {
		c, _ := w.company(id)
		out = append(out, c)
	}
	return out, nil
}

// superAdminAssigned reports, for each company in ids, whether it is
// assigned to the super admin; the answer is Subject.Assigned.
func superAdminAssigned(ctx context.Context, r guild.Reader, t guild.Tenant, superAdminID int64, ids ...int64) (map[int64]bool, error) {
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		if id <= 0 {
			continue
		}
		for p := (guild.Page{Limit: MaxLimit}); ; p.Offset += p.Limit {
			admins, total, err := r.CompanySuperAdmins(ctx, t.ID, id, p)
			if guild.IsNotFound(err) {
				break
			}
			if err != nil {
				return nil, err
			}
			for _, a := range admins {
				if a == superAdminID {
					out[id] = true
				}
			}
			if out[id] || p.Offset+len(admins) >= total || len(admins) == 0 {
				break
			}
		}
	}
	return out, nil
}

// superAdminCompanyIDs lists every company assigned to a super admin.
func superAdminCompanyIDs(ctx context.Context, r guild.Reader, t guild.Tenant, superAdminID int64) ([]int64, error) {
	var all []int64
	for p := (guild.Page{Limit: MaxLimit}); ; p.Offset += p.Limit {
		ids, total, err := r.SuperAdminCompanies(ctx, t.ID, superAdminID, p)
		if err != nil {
			return nil, err
		}
		all = append(all, ids...)
		if p.Offset+len(ids) >= total || len(ids) == 0 {
			return all, nil
		}
	}
}
