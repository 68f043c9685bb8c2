package postgres

import (
	"context"
	"strings"

	guild "github.com/guild-b2b/guild"
	"github.com/jackc/pgx/v5"
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
	p, err := scanPermission(r.db.QueryRow(ctx,
		`SELECT `+permissionColumns+` FROM custom_permissions WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return p, r.fail(err, "custom permission %d", id)
}

// ListCustomPermissions lists the tenant's custom permissions by ascending id.
func (r reader) ListCustomPermissions(ctx context.Context, tenantID int64) ([]guild.CustomPermission, error) {
	rows, err := r.db.Query(ctx, `SELECT `+permissionColumns+` FROM custom_permissions WHERE tenant_id = $1 ORDER BY id`, tenantID)
	ps, err := collect(rows, err, scanPermission)
	return ps, r.fail(err, "list custom permissions")
}

// CreateCustomPermission inserts a custom permission; a name (compared
// case-insensitively) or a code already used by the tenant is EConflict.
// CreatedAt defaults to now and UpdatedAt to CreatedAt.
func (t *tx) CreateCustomPermission(ctx context.Context, p guild.CustomPermission) (int64, error) {
	p.CreatedAt = orNow(p.CreatedAt)
	if p.UpdatedAt.IsZero() {
		p.UpdatedAt = p.CreatedAt
	}
	return t.insertID(ctx, nil, `
		INSERT INTO custom_permissions (tenant_id, name, name_lower, code, description, module, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		[]any{p.TenantID, p.Name, strings.ToLower(p.Name), p.Code, p.Description, p.Module, micros(p.CreatedAt), micros(p.UpdatedAt)},
		"create custom permission %q (%s)", p.Name, p.Code)
}

// UpdateCustomPermission replaces the permission's fields but CreatedAt;
// UpdatedAt is now when zero.
func (t *tx) UpdateCustomPermission(ctx context.Context, p guild.CustomPermission) error {
	return t.exec(ctx, mustAffect("custom permission %d does not exist", p.ID), `
		UPDATE custom_permissions SET name = $3, name_lower = $4, code = $5, description = $6, module = $7, updated_at = $8
		WHERE tenant_id = $1 AND id = $2`,
		[]any{p.TenantID, p.ID, p.Name, strings.ToLower(p.Name), p.Code, p.Description, p.Module, micros(orNow(p.UpdatedAt))},
		"update custom permission %d", p.ID)
}

// DeleteCustomPermission deletes a custom permission. Roles granting its
// code keep their grants (internal/app refuses to delete a code in use).
func (t *tx) DeleteCustomPermission(ctx context.Context, tenantID, id int64) error {
	return t.exec(ctx, mustAffect("custom permission %d does not exist", id),
		`DELETE FROM custom_permissions WHERE tenant_id = $1 AND id = $2`, []any{tenantID, id},
		"delete custom permission %d", id)
}

const roleColumns = `id, tenant_id, name, created_at, updated_at`

func scanRole(sc scanner) (guild.CustomRole, error) {
	var r guild.CustomRole
	var created, updated int64
	err := sc.Scan(&r.ID, &r.TenantID, &r.Name, &created, &updated)
	r.CreatedAt, r.UpdatedAt = fromMicros(created), fromMicros(updated)
	return r, err
}

// queueGrants queues on b the query of the grants the condition where
// selects, and returns the map they go to, by role id, each role's in the
// order written.
func queueGrants(b *pgx.Batch, where string, args ...any) map[int64][]guild.RoleGrant {
	out := map[int64][]guild.RoleGrant{}
	b.Queue(`SELECT role_id, code, level FROM custom_role_grants `+where+` ORDER BY role_id, position`, args...).
		Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var roleID int64
				var g guild.RoleGrant
				if err := rows.Scan(&roleID, &g.Code, &g.Level); err != nil {
					return err
				}
				out[roleID] = append(out[roleID], g)
			}
			return rows.Err()
		})
	return out
}

// CustomRole returns a custom role with its grants, in the order written,
// in one round trip.
func (r reader) CustomRole(ctx context.Context, tenantID, id int64) (guild.CustomRole, error) {
	var role guild.CustomRole
	err := r.snapshot(ctx, func(r reader) error {
		b := &pgx.Batch{}
		b.Queue(`SELECT `+roleColumns+` FROM custom_roles WHERE tenant_id = $1 AND id = $2`, tenantID, id).
			QueryRow(func(row pgx.Row) error {
				var err error
				role, err = scanRole(row)
				return err
			})
		grants := queueGrants(b, `WHERE role_id = $2 AND tenant_id = $1`, tenantID, id)
		if err := r.db.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		role.Grants = grants[id]
		return nil
	})
	if err != nil {
		return guild.CustomRole{}, r.fail(err, "custom role %d", id)
	}
	return role, nil
}

// ListCustomRoles lists the tenant's custom roles by ascending id, with
// their grants, in one round trip.
func (r reader) ListCustomRoles(ctx context.Context, tenantID int64) ([]guild.CustomRole, error) {
	var roles []guild.CustomRole
	err := r.snapshot(ctx, func(r reader) error {
		b := &pgx.Batch{}
		b.Queue(`SELECT `+roleColumns+` FROM custom_roles WHERE tenant_id = $1 ORDER BY id`, tenantID).
			Query(func(rows pgx.Rows) error {
				var err error
				roles, err = collect(rows, nil, scanRole)
				return err
			})
		grants := queueGrants(b, `WHERE tenant_id = $1`, tenantID)
		if err := r.db.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		for i := range roles {
			roles[i].Grants = grants[roles[i].ID]
		}
		return nil
	})
	if err != nil {
		return nil, r.fail(err, "list custom roles")
	}
	return roles, nil
}

// CountRolesWithCode counts the tenant's custom roles that grant the code.
func (r reader) CountRolesWithCode(ctx context.Context, tenantID int64, code string) (int, error) {
	var n int
	err := r.db.QueryRow(ctx, `SELECT count(DISTINCT role_id) FROM custom_role_grants WHERE tenant_id = $1 AND code = $2`,
		tenantID, code).Scan(&n)
	return n, r.fail(err, "count the roles granting %q", code)
}

// splitGrants returns the codes and levels of grants as two arrays.
func splitGrants(grants []guild.RoleGrant) ([]string, []int32) {
	codes, levels := make([]string, len(grants)), make([]int32, len(grants))
	for i, g := range grants {
		codes[i], levels[i] = g.Code, int32(g.Level)
	}
	return codes, levels
}

// CreateCustomRole inserts a custom role with its grants in one statement; a
// name already used by the tenant's roles (compared case-insensitively), or a
// code granted twice, is EConflict and writes nothing. CreatedAt defaults to
// now and UpdatedAt to CreatedAt.
func (t *tx) CreateCustomRole(ctx context.Context, r guild.CustomRole) (int64, error) {
	r.CreatedAt = orNow(r.CreatedAt)
	if r.UpdatedAt.IsZero() {
		r.UpdatedAt = r.CreatedAt
	}
	codes, levels := splitGrants(r.Grants)
	return t.insertID(ctx, nil, `
		WITH r AS (
			INSERT INTO custom_roles (tenant_id, name, name_lower, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id
		), g AS (
			INSERT INTO custom_role_grants (tenant_id, role_id, position, code, level)
			SELECT $1, r.id, x.position - 1, x.code, x.level
			FROM r, unnest($6::text[], $7::integer[]) WITH ORDINALITY AS x(code, level, position)
		)
		SELECT id FROM r`,
		[]any{r.TenantID, r.Name, strings.ToLower(r.Name), micros(r.CreatedAt), micros(r.UpdatedAt), codes, levels},
		"create custom role %q", r.Name)
}

// UpdateCustomRole replaces the role's name and all its grants; UpdatedAt is
// now when zero. On an error nothing changes.
func (t *tx) UpdateCustomRole(ctx context.Context, r guild.CustomRole) error {
	codes, levels := splitGrants(r.Grants)
	b := &pgx.Batch{}
	b.Queue(`UPDATE custom_roles SET name = $3, name_lower = $4, updated_at = $5 WHERE tenant_id = $1 AND id = $2`,
		r.TenantID, r.ID, r.Name, strings.ToLower(r.Name), micros(orNow(r.UpdatedAt))).
		Exec(mustAffect("custom role %d does not exist", r.ID))
	b.Queue(`DELETE FROM custom_role_grants WHERE role_id = $2 AND tenant_id = $1`, r.TenantID, r.ID)
	b.Queue(`
		INSERT INTO custom_role_grants (tenant_id, role_id, position, code, level)
		SELECT $1, $2, x.position - 1, x.code, x.level
		FROM unnest($3::text[], $4::integer[]) WITH ORDINALITY AS x(code, level, position)
		WHERE EXISTS (SELECT 1 FROM custom_roles WHERE tenant_id = $1 AND id = $2)`,
		r.TenantID, r.ID, codes, levels)
	return t.write(ctx, b, "update custom role %d", r.ID)
}

// DeleteCustomRole deletes a custom role; its grants go by cascade. Users
// holding it keep its id (internal/app refuses to delete a role in use).
func (t *tx) DeleteCustomRole(ctx context.Context, tenantID, id int64) error {
	return t.exec(ctx, mustAffect("custom role %d does not exist", id),
		`DELETE FROM custom_roles WHERE tenant_id = $1 AND id = $2`, []any{tenantID, id},
		"delete custom role %d", id)
}
