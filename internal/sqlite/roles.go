package sqlite

import (
	"context"
	"strings"

	guild "github.com/guild-b2b/guild"
)

const permissionColumns = `id, tenant_id, name, code, description, module, created_at, updated_at`

func scanPermission(sc scanner) (guild.CustomPermission, error) {
	var p guild.CustomPermission
	var created, updated int64
	err := sc.Scan(&p.ID, &p.TenantID, &p.Name, &p.Code, &p.Description, &p.Module, &created, &updated)
	p.CreatedAt, p.UpdatedAt = fromMicros(created), fromMicros(updated)
	return p, err
}

// CustomPermission returns a custom permission.
func (r reader) CustomPermission(ctx context.Context, tenantID, id int64) (guild.CustomPermission, error) {
	p, err := scanPermission(r.q.QueryRowContext(ctx,
		`SELECT `+permissionColumns+` FROM custom_permissions WHERE tenant_id = ? AND id = ?`, tenantID, id))
	if err != nil {
		return guild.CustomPermission{}, wrap(err, "custom permission %d", id)
	}
	return p, nil
}

// ListCustomPermissions lists the tenant's custom permissions by ascending id.
func (r reader) ListCustomPermissions(ctx context.Context, tenantID int64) ([]guild.CustomPermission, error) {
	rows, err := r.q.QueryContext(ctx,
		`SELECT `+permissionColumns+` FROM custom_permissions WHERE tenant_id = ? ORDER BY id`, tenantID)
	if err != nil {
		return nil, wrap(err, "list custom permissions")
	}
	return collect(rows, scanPermission, "list custom permissions")
}

// CreateCustomPermission inserts a custom permission; a name (compared
// case-insensitively) or a code already used by the tenant is EConflict.
func (t *tx) CreateCustomPermission(ctx context.Context, p guild.CustomPermission) (int64, error) {
	p.CreatedAt, p.UpdatedAt = stamps(p.CreatedAt, p.UpdatedAt, t.now)
	var id int64
	err := t.q.QueryRowContext(ctx, `
		INSERT INTO custom_permissions (tenant_id, name, name_lower, code, description, module, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		p.TenantID, p.Name, strings.ToLower(p.Name), p.Code, p.Description, p.Module,
		micros(p.CreatedAt), micros(p.UpdatedAt)).Scan(&id)
	if err != nil {
		return 0, wrap(err, "create custom permission %q (%s)", p.Name, p.Code)
	}
	return id, nil
}

// UpdateCustomPermission replaces the permission's fields, all but
// CreatedAt; UpdatedAt is now when zero.
func (t *tx) UpdateCustomPermission(ctx context.Context, p guild.CustomPermission) error {
	res, err := t.q.ExecContext(ctx, `
		UPDATE custom_permissions SET name = ?, name_lower = ?, code = ?, description = ?, module = ?, updated_at = ?
		WHERE tenant_id = ? AND id = ?`,
		p.Name, strings.ToLower(p.Name), p.Code, p.Description, p.Module, micros(orNow(p.UpdatedAt, t.now)),
		p.TenantID, p.ID)
	if err != nil {
		return wrap(err, "update custom permission %d", p.ID)
	}
	return affected(res, "custom permission %d does not exist", p.ID)
}

// DeleteCustomPermission deletes a custom permission. Roles granting its
// code keep their grants (internal/app refuses to delete a code in use).
func (t *tx) DeleteCustomPermission(ctx context.Context, tenantID, id int64) error {
	res, err := t.q.ExecContext(ctx, `DELETE FROM custom_permissions WHERE tenant_id = ? AND id = ?`, tenantID, id)
	if err != nil {
		return wrap(err, "delete custom permission %d", id)
	}
	return affected(res, "custom permission %d does not exist", id)
}

const roleColumns = `id, tenant_id, name, created_at, updated_at`

func scanRole(sc scanner) (guild.CustomRole, error) {
	var r guild.CustomRole
	var created, updated int64
	err := sc.Scan(&r.ID, &r.TenantID, &r.Name, &created, &updated)
	r.CreatedAt, r.UpdatedAt = fromMicros(created), fromMicros(updated)
	return r, err
}

// CustomRole returns a custom role with its grants, in the order given.
func (r reader) CustomRole(ctx context.Context, tenantID, id int64) (guild.CustomRole, error) {
	var role guild.CustomRole
	err := r.snapshot(ctx, func(q queryer) error {
		var err error
		role, err = scanRole(q.QueryRowContext(ctx,
			`SELECT `+roleColumns+` FROM custom_roles WHERE tenant_id = ? AND id = ?`, tenantID, id))
		if err != nil {
			return wrap(err, "custom role %d", id)
		}
		grants, err := loadGrants(ctx, q, `WHERE role_id = ? AND tenant_id = ?`, id, tenantID)
		role.Grants = grants[id]
		return err
	})
	if err != nil {
		return guild.CustomRole{}, err
	}
	return role, nil
}

// ListCustomRoles lists the tenant's custom roles by ascending id, with
// their grants.
func (r reader) ListCustomRoles(ctx context.Context, tenantID int64) ([]guild.CustomRole, error) {
	var roles []guild.CustomRole
	err := r.snapshot(ctx, func(q queryer) error {
		rows, err := q.QueryContext(ctx, `SELECT `+roleColumns+` FROM custom_roles WHERE tenant_id = ? ORDER BY id`, tenantID)
		if err != nil {
			return wrap(err, "list custom roles")
		}
		if roles, err = collect(rows, scanRole, "list custom roles"); err != nil || len(roles) == 0 {
			return err
		}
		grants, err := loadGrants(ctx, q, `WHERE tenant_id = ?`, tenantID)
		for i := range roles {
			roles[i].Grants = grants[roles[i].ID]
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return roles, nil
}

// loadGrants returns the grants the condition where selects, by role id,
// each role's in position order.
func loadGrants(ctx context.Context, q queryer, where string, args ...any) (map[int64][]guild.RoleGrant, error) {
	rows, err := q.QueryContext(ctx, `SELECT role_id, code, level FROM custom_role_grants `+where+` ORDER BY role_id, position`, args...)
	if err != nil {
		return nil, wrap(err, "load role grants")
	}
	defer rows.Close()
	out := map[int64][]guild.RoleGrant{}
	for rows.Next() {
		var roleID int64
		var g guild.RoleGrant
		if err := rows.Scan(&roleID, &g.Code, &g.Level); err != nil {
			return nil, wrap(err, "scan a role grant")
		}
		out[roleID] = append(out[roleID], g)
	}
	return out, wrap(rows.Err(), "load role grants")
}

// CountRolesWithCode counts the tenant's custom roles that grant the code.
func (r reader) CountRolesWithCode(ctx context.Context, tenantID int64, code string) (int, error) {
	var n int
	err := r.q.QueryRowContext(ctx, `SELECT count(DISTINCT role_id) FROM custom_role_grants WHERE tenant_id = ? AND code = ?`,
		tenantID, code).Scan(&n)
	return n, wrap(err, "count the roles granting %q", code)
}

// CreateCustomRole inserts a custom role with its grants; a name already
// used by the tenant's roles (compared case-insensitively), or a code granted
// twice, is EConflict and writes nothing.
func (t *tx) CreateCustomRole(ctx context.Context, r guild.CustomRole) (int64, error) {
	r.CreatedAt, r.UpdatedAt = stamps(r.CreatedAt, r.UpdatedAt, t.now)
	var id int64
	err := t.atomically(ctx, func() error {
		err := t.q.QueryRowContext(ctx, `
			INSERT INTO custom_roles (tenant_id, name, name_lower, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`,
			r.TenantID, r.Name, strings.ToLower(r.Name), micros(r.CreatedAt), micros(r.UpdatedAt)).Scan(&id)
		if err != nil {
			return wrap(err, "create custom role %q", r.Name)
		}
		return t.insertGrants(ctx, r.TenantID, id, r.Grants)
	})
	if err != nil {
		return 0, err
	}
	return id, nil
}

func (t *tx) insertGrants(ctx context.Context, tenantID, roleID int64, grants []guild.RoleGrant) error {
	for i, g := range grants {
		if _, err := t.q.ExecContext(ctx, `
			INSERT INTO custom_role_grants (tenant_id, role_id, position, code, level) VALUES (?, ?, ?, ?, ?)`,
			tenantID, roleID, i, g.Code, g.Level); err != nil {
			return wrap(err, "grant %q to custom role %d", g.Code, roleID)
		}
	}
	return nil
}

// UpdateCustomRole replaces the role's name and all its grants; UpdatedAt is
// now when zero. On an error nothing changes.
func (t *tx) UpdateCustomRole(ctx context.Context, r guild.CustomRole) error {
	return t.atomically(ctx, func() error {
		res, err := t.q.ExecContext(ctx, `
			UPDATE custom_roles SET name = ?, name_lower = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
			r.Name, strings.ToLower(r.Name), micros(orNow(r.UpdatedAt, t.now)), r.TenantID, r.ID)
		if err != nil {
			return wrap(err, "update custom role %d", r.ID)
		}
		if err := affected(res, "custom role %d does not exist", r.ID); err != nil {
			return err
		}
		if _, err := t.q.ExecContext(ctx, `DELETE FROM custom_role_grants WHERE role_id = ? AND tenant_id = ?`,
			r.ID, r.TenantID); err != nil {
			return wrap(err, "clear the grants of custom role %d", r.ID)
		}
		return t.insertGrants(ctx, r.TenantID, r.ID, r.Grants)
	})
}

// DeleteCustomRole deletes a custom role and its grants. Users holding it
// keep its id (internal/app refuses to delete a role in use).
func (t *tx) DeleteCustomRole(ctx context.Context, tenantID, id int64) error {
	return t.atomically(ctx, func() error {
		if _, err := t.q.ExecContext(ctx, `DELETE FROM custom_role_grants WHERE role_id = ? AND tenant_id = ?`, id, tenantID); err != nil {
			return wrap(err, "delete the grants of custom role %d", id)
		}
		res, err := t.q.ExecContext(ctx, `DELETE FROM custom_roles WHERE tenant_id = ? AND id = ?`, tenantID, id)
		if err != nil {
			return wrap(err, "delete custom role %d", id)
		}
		return affected(res, "custom role %d does not exist", id)
	})
}
