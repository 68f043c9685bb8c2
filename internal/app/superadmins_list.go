package app

import (
	"context"
	"slices"
	"strings"
	"time"

	guild "github.com/guild-b2b/guild"
)

// SuperAdminQuery is a super-admin list request. Times are compared at
// one-second granularity, inclusive.
type SuperAdminQuery struct {
	Limit, Offset int
	// Query matches super admins whose first name, last name or email
	// contains it, case-insensitively.
	Query string
	// UUID matches the external id exactly; "" matches every super admin.
	UUID                     string
	MinCreated, MaxCreated   time.Time
	MinModified, MaxModified time.Time
	// Descending lists the newest (highest id) first.
	Descending bool
}

// scans reports whether the query filters on what the store cannot: such
// a query reads every super admin matching Query and filters here. Super
// admins are a store's staff, a few hundred at most.
func (q SuperAdminQuery) scans() bool {
	return q.UUID != "" || !q.MinCreated.IsZero() || !q.MaxCreated.IsZero() || !q.MinModified.IsZero() || !q.MaxModified.IsZero()
}

func (q SuperAdminQuery) match(sa guild.SuperAdmin) bool {
	in := func(t, lo, hi time.Time) bool {
		s := t.Unix()
		return (lo.IsZero() || s >= lo.Unix()) && (hi.IsZero() || s <= hi.Unix())
	}
	return (q.UUID == "" || sa.UUID == q.UUID) && in(sa.CreatedAt, q.MinCreated, q.MaxCreated) && in(sa.UpdatedAt, q.MinModified, q.MaxModified)
}

func matchesText(sa guild.SuperAdmin, q string) bool {
	q = strings.ToLower(q)
	for _, s := range []string{sa.FirstName, sa.LastName, sa.Email} {
		if strings.Contains(strings.ToLower(s), q) {
			return true
		}
	}
	return false
}

// SuperAdminView is a super admin with the number of companies assigned.
type SuperAdminView struct {
	guild.SuperAdmin
	CompanyCount int
}

// CompanyWithSuperAdmins is a company with the number of super admins
// assigned to it.
type CompanyWithSuperAdmins struct {
	guild.Company
	SuperAdminCount int
}

func checkSuperAdminPage(limit, offset int) error {
	var p problems
	checkPage(&p, limit, offset, MaxSuperAdminLimit)
	return p.err()
}

// window returns the bounds, in a list of n items in ascending order, of
// the page [offset, offset+limit) of that list in ascending or, with desc,
// descending order; a descending page is then read reversed.
func window(n, limit, offset int, desc bool) (lo, hi int) {
	if !desc {
		lo, hi = min(offset, n), min(offset+limit, n)
		return lo, hi
	}
	hi = max(n-offset, 0)
	lo = max(hi-limit, 0)
	return lo, hi
}

// ListSuperAdmins returns a page of super admins, each with the number of
// companies assigned to them, and the total count.
func (a *App) ListSuperAdmins(ctx context.Context, t guild.Tenant, q SuperAdminQuery) ([]SuperAdminView, int, error) {
	if err := checkSuperAdminPage(q.Limit, q.Offset); err != nil {
		return nil, 0, err
	}
	f := guild.SuperAdminFilter{Query: q.Query}
	var admins []guild.SuperAdmin
	var total int
	if q.scans() {
		all, err := a.allSuperAdmins(ctx, t, f)
		if err != nil {
			return nil, 0, err
		}
		all = slices.DeleteFunc(all, func(sa guild.SuperAdmin) bool { return !q.match(sa) })
		total = len(all)
		lo, hi := window(total, q.Limit, q.Offset, q.Descending)
		admins = all[lo:hi]
	} else {
		var err error
		if _, total, err = a.store.ListSuperAdmins(ctx, t.ID, guild.SuperAdminFilter{Query: q.Query, Limit: 1}); err != nil {
			return nil, 0, err
		}
		lo, hi := window(total, q.Limit, q.Offset, q.Descending)
		if hi > lo {
			f.Offset, f.Limit = lo, hi-lo
			if admins, _, err = a.store.ListSuperAdmins(ctx, t.ID, f); err != nil {
				return nil, 0, err
			}
		}
	}
	if q.Descending {
		admins = slices.Clone(admins)
		slices.Reverse(admins)
	}
	out := make([]SuperAdminView, len(admins))
	for i, sa := range admins {
		_, n, err := a.store.SuperAdminCompanies(ctx, t.ID, sa.ID, guild.Page{Limit: 1})
		if err != nil {
			return nil, 0, err
		}
		out[i] = SuperAdminView{SuperAdmin: sa, CompanyCount: n}
	}
	return out, total, nil
}

// allSuperAdmins reads every super admin matching f, by ascending id.
func (a *App) allSuperAdmins(ctx context.Context, t guild.Tenant, f guild.SuperAdminFilter) ([]guild.SuperAdmin, error) {
	const batch = 500
	var out []guild.SuperAdmin
	for f.Offset, f.Limit = 0, batch; ; f.Offset += batch {
		page, total, err := a.store.ListSuperAdmins(ctx, t.ID, f)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < batch || len(out) >= total {
			return out, nil
		}
	}
}

// CompanySuperAdmins returns a page of the super admins assigned to a
// company (by ascending id; Query filters as in ListSuperAdmins) and their
// count.
func (a *App) CompanySuperAdmins(ctx context.Context, t guild.Tenant, companyID int64, q SuperAdminQuery) ([]guild.SuperAdmin, int, error) {
	if err := checkSuperAdminPage(q.Limit, q.Offset); err != nil {
		return nil, 0, err
	}
	if _, err := a.store.Company(ctx, t.ID, companyID); err != nil {
		return nil, 0, companyNotFound(companyID, err)
	}
	if q.Query == "" {
		ids, total, err := a.store.CompanySuperAdmins(ctx, t.ID, companyID, guild.Page{Limit: q.Limit, Offset: q.Offset})
		if err != nil {
			return nil, 0, err
		}
		admins, err := a.superAdminsByID(ctx, t, ids)
		return admins, total, err
	}
	var ids []int64
	for pg := (guild.Page{Limit: 500}); ; pg.Offset += pg.Limit {
		page, total, err := a.store.CompanySuperAdmins(ctx, t.ID, companyID, pg)
		if err != nil {
			return nil, 0, err
		}
		ids = append(ids, page...)
		if len(page) < pg.Limit || len(ids) >= total {
			break
		}
	}
	all, err := a.superAdminsByID(ctx, t, ids)
	if err != nil {
		return nil, 0, err
	}
	all = slices.DeleteFunc(all, func(sa guild.SuperAdmin) bool { return !matchesText(sa, q.Query) })
	lo, hi := window(len(all), q.Limit, q.Offset, false)
	return all[lo:hi], len(all), nil
}

func (a *App) superAdminsByID(ctx context.Context, t guild.Tenant, ids []int64) ([]guild.SuperAdmin, error) {
	out := make([]guild.SuperAdmin, 0, len(ids))
	for _, id := range ids {
		sa, err := a.store.SuperAdmin(ctx, t.ID, id)
		if guild.IsNotFound(err) {
			continue // deleted since the ids were read
		}
		if err != nil {
			return nil, err
		}
		out = append(out, sa)
	}
	return out, nil
}

// SuperAdminCompanies returns a page of the companies assigned to a super
// admin, by ascending id, and their count.
func (a *App) SuperAdminCompanies(ctx context.Context, t guild.Tenant, superAdminID int64, pg guild.Page) ([]guild.Company, int, error) {
	if err := checkSuperAdminPage(pg.Limit, pg.Offset); err != nil {
		return nil, 0, err
	}
	if _, err := a.store.SuperAdmin(ctx, t.ID, superAdminID); err != nil {
		return nil, 0, superAdminNotFound(superAdminID, err)
	}
	ids, total, err := a.store.SuperAdminCompanies(ctx, t.ID, superAdminID, pg)
	if err != nil {
		return nil, 0, err
	}
	out := make([]guild.Company, 0, len(ids))
	for _, id := range ids {
		c, err := a.store.Company(ctx, t.ID, id)
		if guild.IsNotFound(err) {
			continue // deleted since the ids were read
		}
		if err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	return out, total, nil
}

// CompaniesWithSuperAdmins returns a page of the store's companies, by last
// update (newest first unless ascending), each with the number of super
// admins assigned to it, and the total count.
func (a *App) CompaniesWithSuperAdmins(ctx context.Context, t guild.Tenant, pg guild.Page, descending bool) ([]CompanyWithSuperAdmins, int, error) {
	if err := checkSuperAdminPage(pg.Limit, pg.Offset); err != nil {
		return nil, 0, err
	}
	companies, total, err := a.store.ListCompanies(ctx, t.ID, guild.CompanyFilter{
		Limit: pg.Limit, Offset: pg.Offset, SortBy: guild.SortByUpdatedAt, Descending: descending,
	})
	if err != nil {
		return nil, 0, err
	}
	out := make([]CompanyWithSuperAdmins, len(companies))
	for i, c := range companies {
		_, n, err := a.store.CompanySuperAdmins(ctx, t.ID, c.ID, guild.Page{Limit: 1})
		if err != nil {
			return nil, 0, err
		}
		out[i] = CompanyWithSuperAdmins{Company: c, SuperAdminCount: n}
	}
	return out, total, nil
}
