package sqlite

import (
	"context"
	"slices"
	"strings"

	guild "github.com/guild-b2b/guild"
)

const superAdminColumns = `id, tenant_id, customer_id, email, first_name, last_name, phone, uuid, channel_ids,
	created_at, updated_at`

func scanSuperAdmin(sc scanner) (guild.SuperAdmin, error) {
	var a guild.SuperAdmin
	var channels string
	var created, updated int64
	err := sc.Scan(&a.ID, &a.TenantID, &a.CustomerID, &a.Email, &a.FirstName, &a.LastName, &a.Phone, &a.UUID,
		&channels, &created, &updated)
	if err != nil {
		return a, err
	}
	a.CreatedAt, a.UpdatedAt = fromMicros(created), fromMicros(updated)
	a.ChannelIDs, err = parseInt64s(channels)
	return a, err
}

// SuperAdmin returns a super admin.
func (r reader) SuperAdmin(ctx context.Context, tenantID, id int64) (guild.SuperAdmin, error) {
	a, err := scanSuperAdmin(r.q.QueryRowContext(ctx,
		`SELECT `+superAdminColumns+` FROM super_admins WHERE tenant_id = ? AND id = ?`, tenantID, id))
	if err != nil {
		return guild.SuperAdmin{}, wrap(err, "super admin %d", id)
	}
	return a, nil
}

// SuperAdminByEmail returns the super admin with the email, compared
// lower-cased.
func (r reader) SuperAdminByEmail(ctx context.Context, tenantID int64, email string) (guild.SuperAdmin, error) {
	a, err := scanSuperAdmin(r.q.QueryRowContext(ctx,
		`SELECT `+superAdminColumns+` FROM super_admins WHERE tenant_id = ? AND email_lower = ?`, tenantID, strings.ToLower(email)))
	if err != nil {
		return guild.SuperAdmin{}, wrap(err, "super admin %s", email)
	}
	return a, nil
}

// ListSuperAdmins returns a page of the tenant's super admins matching f, by
// ascending id, and the count of all of them.
func (r reader) ListSuperAdmins(ctx context.Context, tenantID int64, f guild.SuperAdminFilter) ([]guild.SuperAdmin, int, error) {
	conds := []string{"tenant_id = ?"}
	args := []any{tenantID}
	if f.Email != "" {
		conds = append(conds, "email_lower = ?")
		args = append(args, strings.ToLower(f.Email))
	}
	if f.Query != "" {
		p := likeContains(f.Query)
		conds = append(conds, `(guild_lower(first_name) LIKE ? ESCAPE '\' OR guild_lower(last_name) LIKE ? ESCAPE '\'
			OR email_lower LIKE ? ESCAPE '\')`)
		args = append(args, p, p, p)
	}
	where := strings.Join(conds, " AND ")
	var page []guild.SuperAdmin
	var total int
	err := r.snapshot(ctx, func(q queryer) error {
		rows, err := q.QueryContext(ctx, `SELECT `+superAdminColumns+` FROM super_admins WHERE `+where+` ORDER BY id LIMIT ? OFFSET ?`,
			append(args[:len(args):len(args)], limitArg(f.Limit), max(f.Offset, 0))...)
		if err != nil {
			return wrap(err, "list super admins")
		}
		if page, err = collect(rows, scanSuperAdmin, "list super admins"); err != nil {
			return err
		}
		return wrap(q.QueryRowContext(ctx, `SELECT count(*) FROM super_admins WHERE `+where, args...).Scan(&total),
			"count super admins")
	})
	if err != nil {
		return nil, 0, err
	}
	return page, total, nil
}

// SuperAdminCompanies pages the ids of the companies assigned to a super
// admin, ascending, and counts them; none for a super admin the tenant does
// not have.
func (r reader) SuperAdminCompanies(ctx context.Context, tenantID, superAdminID int64, p guild.Page) ([]int64, int, error) {
	return r.pageIDs(ctx, `SELECT company_id FROM super_admin_companies WHERE super_admin_id = ? AND tenant_id = ?
		ORDER BY company_id`, superAdminID, tenantID, p, "the companies of super admin %d", superAdminID)
}

// CompanySuperAdmins pages the ids of the super admins assigned to a
// company, ascending, and counts them; none for a company the tenant does
// not have.
func (r reader) CompanySuperAdmins(ctx context.Context, tenantID, companyID int64, p guild.Page) ([]int64, int, error) {
	return r.pageIDs(ctx, `SELECT super_admin_id FROM super_admin_companies WHERE company_id = ? AND tenant_id = ?
		ORDER BY super_admin_id`, companyID, tenantID, p, "the super admins of company %d", companyID)
}

// pageIDs runs query (of one id column, with two arguments) for one page,
// and counts all its rows.
func (r reader) pageIDs(ctx context.Context, query string, a1, a2 any, p guild.Page, format string, fargs ...any) ([]int64, int, error) {
	var ids []int64
	var total int
	err := r.snapshot(ctx, func(q queryer) error {
		rows, err := q.QueryContext(ctx, query+` LIMIT ? OFFSET ?`, a1, a2, limitArg(p.Limit), max(p.Offset, 0))
		if err != nil {
			return wrap(err, "list "+format, fargs...)
		}
		if ids, err = collect(rows, scanID, "list ids"); err != nil {
			return err
		}
		return wrap(q.QueryRowContext(ctx, `SELECT count(*) FROM (`+query+`)`, a1, a2).Scan(&total), "count "+format, fargs...)
	})
	if err != nil {
		return nil, 0, err
	}
	return ids, total, nil
}

func scanID(sc scanner) (int64, error) {
	var id int64
	err := sc.Scan(&id)
	return id, err
}

// CreateSuperAdmin inserts a super admin backed by a customer of the tenant
// (else ENotFound); an email taken by another super admin (compared
// lower-cased) is EConflict.
func (t *tx) CreateSuperAdmin(ctx context.Context, a guild.SuperAdmin) (int64, error) {
	if err := customerExists(ctx, t.q, a.TenantID, a.CustomerID); err != nil {
		return 0, err
	}
	a.CreatedAt, a.UpdatedAt = stamps(a.CreatedAt, a.UpdatedAt, t.now)
	var id int64
	err := t.q.QueryRowContext(ctx, `
		INSERT INTO super_admins (tenant_id, customer_id, email, email_lower, first_name, last_name, phone, uuid,
			channel_ids, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		a.TenantID, a.CustomerID, a.Email, strings.ToLower(a.Email), a.FirstName, a.LastName, a.Phone, a.UUID,
		int64sJSON(a.ChannelIDs), micros(a.CreatedAt), micros(a.UpdatedAt)).Scan(&id)
	if err != nil {
		return 0, wrap(err, "create super admin %s", a.Email)
	}
	return id, nil
}

// UpdateSuperAdmin replaces the super admin's fields, all but CreatedAt;
// UpdatedAt is now when zero. Its customer must be the tenant's (else
// ENotFound); an email taken by another super admin is EConflict.
func (t *tx) UpdateSuperAdmin(ctx context.Context, a guild.SuperAdmin) error {
	if err := superAdminExists(ctx, t.q, a.TenantID, a.ID); err != nil {
		return err
	}
	if err := customerExists(ctx, t.q, a.TenantID, a.CustomerID); err != nil {
		return err
	}
	res, err := t.q.ExecContext(ctx, `
		UPDATE super_admins SET customer_id = ?, email = ?, email_lower = ?, first_name = ?, last_name = ?, phone = ?,
			uuid = ?, channel_ids = ?, updated_at = ?
		WHERE tenant_id = ? AND id = ?`,
		a.CustomerID, a.Email, strings.ToLower(a.Email), a.FirstName, a.LastName, a.Phone,
		a.UUID, int64sJSON(a.ChannelIDs), micros(orNow(a.UpdatedAt, t.now)), a.TenantID, a.ID)
	if err != nil {
		return wrap(err, "update super admin %d", a.ID)
	}
	return affected(res, "super admin %d does not exist", a.ID)
}

// AssignSuperAdmin assigns the companies add to the super admin and
// unassigns the companies remove (after adding: a company in both ends up
// unassigned). Adding an assignment that exists, or removing one that does
// not, changes nothing. The super admin and every company added must be the
// tenant's, else ENotFound and nothing changes.
func (t *tx) AssignSuperAdmin(ctx context.Context, tenantID, superAdminID int64, add, remove []int64) error {
	if err := superAdminExists(ctx, t.q, tenantID, superAdminID); err != nil {
		return err
	}
	add = distinct(add)
	for lo := 0; lo < len(add); lo += 500 {
		chunk := add[lo:min(lo+500, len(add))]
		ph, args := idArgs(chunk)
		rows, err := t.q.QueryContext(ctx, `SELECT id FROM companies WHERE id IN (`+ph+`) AND tenant_id = ?`,
			append(args, tenantID)...)
		if err != nil {
			return wrap(err, "find the companies to assign")
		}
		found, err := collect(rows, scanID, "find the companies to assign")
		if err != nil {
			return err
		}
		for _, id := range chunk {
			if !slices.Contains(found, id) {
				return notFound("company %d does not exist", id)
			}
		}
	}
	return t.atomically(ctx, func() error {
		for _, id := range add {
			if _, err := t.q.ExecContext(ctx, `
				INSERT INTO super_admin_companies (tenant_id, super_admin_id, company_id) VALUES (?, ?, ?)
				ON CONFLICT (super_admin_id, company_id) DO NOTHING`, tenantID, superAdminID, id); err != nil {
				return wrap(err, "assign company %d to super admin %d", id, superAdminID)
			}
		}
		for _, id := range remove {
			if _, err := t.q.ExecContext(ctx, `
				DELETE FROM super_admin_companies WHERE super_admin_id = ? AND company_id = ? AND tenant_id = ?`,
				superAdminID, id, tenantID); err != nil {
				return wrap(err, "unassign company %d from super admin %d", id, superAdminID)
			}
		}
		return nil
	})
}

// distinct returns ids without repetitions, in their first order.
func distinct(ids []int64) []int64 {
	out := make([]int64, 0, len(ids))
	seen := make(map[int64]bool, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// customerExists returns ENotFound unless the tenant has the customer.
func customerExists(ctx context.Context, q queryer, tenantID, id int64) error {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM customers WHERE tenant_id = ? AND id = ?`, tenantID, id).Scan(&one)
	return wrap(err, "customer %d", id)
}

// superAdminExists returns ENotFound unless the tenant has the super admin.
func superAdminExists(ctx context.Context, q queryer, tenantID, id int64) error {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM super_admins WHERE tenant_id = ? AND id = ?`, tenantID, id).Scan(&one)
	return wrap(err, "super admin %d", id)
}
