package postgres

import (
	"context"
	"slices"
	"strconv"
	"strings"

	guild "github.com/guild-b2b/guild"
	"github.com/jackc/pgx/v5"
)

const superAdminColumns = `id, tenant_id, customer_id, email, first_name, last_name, phone, uuid, channel_ids,
	created_at, updated_at`

func scanSuperAdmin(sc scanner) (guild.SuperAdmin, error) {
	var a guild.SuperAdmin
	var created, updated int64
	err := sc.Scan(&a.ID, &a.TenantID, &a.CustomerID, &a.Email, &a.FirstName, &a.LastName, &a.Phone, &a.UUID,
		&a.ChannelIDs, &created, &updated)
	a.ChannelIDs = orNil(a.ChannelIDs)
	a.CreatedAt, a.UpdatedAt = fromMicros(created), fromMicros(updated)
	return a, err
}

// SuperAdmin returns a super admin.
func (r reader) SuperAdmin(ctx context.Context, tenantID, id int64) (guild.SuperAdmin, error) {
	a, err := scanSuperAdmin(r.db.QueryRow(ctx, `SELECT `+superAdminColumns+` FROM super_admins WHERE tenant_id = $1 AND id = $2`,
		tenantID, id))
	return a, r.fail(err, "super admin %d", id)
}

// SuperAdminByEmail returns the super admin with the email, compared
// lower-cased.
func (r reader) SuperAdminByEmail(ctx context.Context, tenantID int64, email string) (guild.SuperAdmin, error) {
	a, err := scanSuperAdmin(r.db.QueryRow(ctx, `SELECT `+superAdminColumns+` FROM super_admins WHERE tenant_id = $1 AND email_lower = $2`,
		tenantID, strings.ToLower(email)))
	return a, r.fail(err, "super admin %q", email)
}

// ListSuperAdmins returns a page of the tenant's super admins matching f, by
// ascending id, and the count of all of them, in one round trip.
func (r reader) ListSuperAdmins(ctx context.Context, tenantID int64, f guild.SuperAdminFilter) ([]guild.SuperAdmin, int, error) {
	conds := []string{"tenant_id = $1"}
	args := []any{tenantID}
	if f.Email != "" {
		args = append(args, strings.ToLower(f.Email))
		conds = append(conds, "email_lower = $"+strconv.Itoa(len(args)))
	}
	if f.Query != "" {
		args = append(args, likeContains(f.Query))
		conds = append(conds, nameOrEmailContains("$"+strconv.Itoa(len(args))))
	}
	where := strings.Join(conds, " AND ")
	var (
		page  []guild.SuperAdmin
		total int
	)
	err := r.snapshot(ctx, func(r reader) error {
		q, pageArgs := paged(`SELECT `+superAdminColumns+` FROM super_admins WHERE `+where+` ORDER BY id`, args,
			guild.Page{Limit: f.Limit, Offset: f.Offset})
		b := &pgx.Batch{}
		b.Queue(q, pageArgs...).Query(func(rows pgx.Rows) error {
			var err error
			page, err = collect(rows, nil, scanSuperAdmin)
			return err
		})
		b.Queue(`SELECT count(*) FROM super_admins WHERE `+where, args...).
			QueryRow(func(row pgx.Row) error { return row.Scan(&total) })
		return r.db.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return nil, 0, r.fail(err, "list super admins")
	}
	return page, total, nil
}

// paged adds p's LIMIT (when positive) and OFFSET (when positive) to q, as
// parameters after args.
func paged(q string, args []any, p guild.Page) (string, []any) {
	args = slices.Clip(args)
	if p.Limit > 0 {
		args = append(args, p.Limit)
		q += ` LIMIT $` + strconv.Itoa(len(args))
	}
	if p.Offset > 0 {
		args = append(args, p.Offset)
		q += ` OFFSET $` + strconv.Itoa(len(args))
	}
	return q, args
}

// SuperAdminCompanies pages the ids of the companies assigned to a super
// admin, ascending, and counts them; none for a super admin the tenant does
// not have.
func (r reader) SuperAdminCompanies(ctx context.Context, tenantID, superAdminID int64, p guild.Page) ([]int64, int, error) {
	ids, total, err := r.pageIDs(ctx, `SELECT company_id FROM super_admin_companies WHERE super_admin_id = $2 AND tenant_id = $1`,
		`company_id`, tenantID, superAdminID, p)
	return ids, total, r.fail(err, "list the companies of super admin %d", superAdminID)
}

// CompanySuperAdmins pages the ids of the super admins assigned to a
// company, ascending, and counts them; none for a company the tenant does
// not have.
func (r reader) CompanySuperAdmins(ctx context.Context, tenantID, companyID int64, p guild.Page) ([]int64, int, error) {
	ids, total, err := r.pageIDs(ctx, `SELECT super_admin_id FROM super_admin_companies WHERE company_id = $2 AND tenant_id = $1`,
		`super_admin_id`, tenantID, companyID, p)
	return ids, total, r.fail(err, "list the super admins of company %d", companyID)
}

// pageIDs runs q (of the one column col, with the parameters $1 and $2)
// ordered by col for one page, and counts all its rows, in one round trip.
func (r reader) pageIDs(ctx context.Context, q, col string, a1, a2 int64, p guild.Page) ([]int64, int, error) {
	var (
		ids   []int64
		total int
	)
	err := r.snapshot(ctx, func(r reader) error {
		pq, pageArgs := paged(q+` ORDER BY `+col, []any{a1, a2}, p)
		b := &pgx.Batch{}
		b.Queue(pq, pageArgs...).Query(func(rows pgx.Rows) error {
			var err error
			ids, err = collect(rows, nil, func(sc scanner) (int64, error) {
				var id int64
				err := sc.Scan(&id)
				return id, err
			})
			return err
		})
		b.Queue(`SELECT count(*) FROM (`+q+`) q`, a1, a2).QueryRow(func(row pgx.Row) error { return row.Scan(&total) })
		return r.db.SendBatch(ctx, b).Close()
	})
	return ids, total, err
}

// CreateSuperAdmin inserts a super admin backed by a customer of the tenant
// (else ENotFound); an email taken by another super admin (compared
// lower-cased) is EConflict. CreatedAt defaults to now and UpdatedAt to
// CreatedAt.
func (t *tx) CreateSuperAdmin(ctx context.Context, a guild.SuperAdmin) (int64, error) {
	a.CreatedAt = orNow(a.CreatedAt)
	if a.UpdatedAt.IsZero() {
		a.UpdatedAt = a.CreatedAt
	}
	b := &pgx.Batch{}
	queueExists(b, `SELECT 1 FROM customers WHERE tenant_id = $1 AND id = $2`, []any{a.TenantID, a.CustomerID},
		"customer %d does not exist", a.CustomerID)
	return t.insertID(ctx, b, `
		INSERT INTO super_admins (tenant_id, customer_id, email, email_lower, first_name, last_name, phone, uuid,
			channel_ids, created_at, updated_at)
		SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11
		WHERE EXISTS (SELECT 1 FROM customers WHERE tenant_id = $1 AND id = $2)
		RETURNING id`,
		[]any{a.TenantID, a.CustomerID, a.Email, strings.ToLower(a.Email), a.FirstName, a.LastName, a.Phone, a.UUID,
			orEmpty(a.ChannelIDs), micros(a.CreatedAt), micros(a.UpdatedAt)},
		"create super admin %q", a.Email)
}

// UpdateSuperAdmin replaces the super admin's fields but CreatedAt;
// UpdatedAt is now when zero. Its customer must be the tenant's (else
// ENotFound); an email taken by another super admin is EConflict.
func (t *tx) UpdateSuperAdmin(ctx context.Context, a guild.SuperAdmin) error {
	b := &pgx.Batch{}
	queueExists(b, `SELECT 1 FROM super_admins WHERE tenant_id = $1 AND id = $2`, []any{a.TenantID, a.ID},
		"super admin %d does not exist", a.ID)
	queueExists(b, `SELECT 1 FROM customers WHERE tenant_id = $1 AND id = $2`, []any{a.TenantID, a.CustomerID},
		"customer %d does not exist", a.CustomerID)
	b.Queue(`
		UPDATE super_admins SET customer_id = $3, email = $4, email_lower = $5, first_name = $6, last_name = $7,
			phone = $8, uuid = $9, channel_ids = $10, updated_at = $11
		WHERE tenant_id = $1 AND id = $2 AND EXISTS (SELECT 1 FROM customers WHERE tenant_id = $1 AND id = $3)`,
		a.TenantID, a.ID, a.CustomerID, a.Email, strings.ToLower(a.Email), a.FirstName, a.LastName,
		a.Phone, a.UUID, orEmpty(a.ChannelIDs), micros(orNow(a.UpdatedAt)))
	return t.write(ctx, b, "update super admin %d", a.ID)
}

// AssignSuperAdmin assigns the companies add to the super admin and
// unassigns the companies remove (after adding: a company in both ends up
// unassigned). Adding an assignment that exists, or removing one that does
// not, changes nothing. The super admin and every company added must be the
// tenant's, else ENotFound and nothing changes.
func (t *tx) AssignSuperAdmin(ctx context.Context, tenantID, superAdminID int64, add, remove []int64) error {
	add = orEmpty(distinct(add))
	remove = orEmpty(remove)
	b := &pgx.Batch{}
	queueExists(b, `SELECT 1 FROM super_admins WHERE tenant_id = $1 AND id = $2`, []any{tenantID, superAdminID},
		"super admin %d does not exist", superAdminID)
	if len(add) > 0 {
		b.Queue(`SELECT COALESCE(array_agg(id), '{}') FROM companies WHERE tenant_id = $1 AND id = ANY($2)`, tenantID, add).
			QueryRow(func(row pgx.Row) error {
				var found []int64
				if err := row.Scan(&found); err != nil {
					return err
				}
				for _, id := range add {
					if !slices.Contains(found, id) {
						return notFound("company %d does not exist", id)
					}
				}
				return nil
			})
	}
	// Both writes are conditioned on the checks, so that a refused call
	// changes nothing.
	ok := `EXISTS (SELECT 1 FROM super_admins WHERE tenant_id = $1 AND id = $2)
		AND (SELECT count(*) FROM companies WHERE tenant_id = $1 AND id = ANY($3)) = cardinality($3::bigint[])`
	b.Queue(`
		INSERT INTO super_admin_companies (tenant_id, super_admin_id, company_id)
		SELECT $1, $2, x.id FROM unnest($3::bigint[]) AS x(id) WHERE `+ok+`
		ON CONFLICT (super_admin_id, company_id) DO NOTHING`, tenantID, superAdminID, add)
	b.Queue(`
		DELETE FROM super_admin_companies
		WHERE super_admin_id = $2 AND tenant_id = $1 AND company_id = ANY($4) AND `+ok,
		tenantID, superAdminID, add, remove)
	return t.write(ctx, b, "assign companies to super admin %d", superAdminID)
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
