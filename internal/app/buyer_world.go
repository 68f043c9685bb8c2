package app

import (
	"context"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/authz"
)

// The world a buyer request is decided on. This file is the ONE place the
// buyer API learns about companies for the permission engine: their status
// and their place in the account hierarchy.
//
// The account hierarchy does not exist yet (it arrives in its own issue), so
// every company is a root: Parent is 0 and no company has subsidiaries. When
// the hierarchy exists, loadWorld must also load each requested company's
// chain of parents (up to authz.MaxDepth steps, with their statuses), and
// subsidiaries must list the companies below one. Level-3 grants then reach
// subsidiaries with no change to the engine or to the callers.

// world is a snapshot of the companies a decision needs; it implements
// authz.Companies. Companies it was not asked to load are unknown.
type world struct {
	nodes     authz.MapCompanies
	companies map[int64]guild.Company
}

// Status implements authz.Companies.
func (w *world) Status(id int64) (guild.CompanyStatus, bool) { return w.nodes.Status(id) }

// Parent implements authz.Companies.
func (w *world) Parent(id int64) int64 { return w.nodes.Parent(id) }

// company returns a loaded company.
func (w *world) company(id int64) (guild.Company, bool) {
	c, ok := w.companies[id]
	return c, ok
}

// loadWorld reads the companies in ids (0s and repeats are skipped); a
// company that does not exist is left out, which the engine reports as
// unknown. Each company's status is read as it stands now: nothing is
// cached between requests, so a status change applies to the next request.
func loadWorld(ctx context.Context, r guild.Reader, t guild.Tenant, ids ...int64) (*world, error) {
	w := &world{nodes: make(authz.MapCompanies, len(ids)), companies: make(map[int64]guild.Company, len(ids))}
	for _, id := range ids {
		if id <= 0 {
			continue
		}
		if _, done := w.nodes[id]; done {
			continue
		}
		c, err := r.Company(ctx, t.ID, id)
		if guild.IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		w.nodes[id] = authz.Node{Parent: 0, Status: c.Status}
		w.companies[id] = c
	}
	return w, nil
}

// subsidiaries lists the companies below companyID in the account
// hierarchy, nearest first. There is no hierarchy yet: always none.
func subsidiaries(_ context.Context, _ guild.Reader, _ guild.Tenant, _ int64) ([]guild.Company, error) {
	return nil, nil
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
