package app

import (
	"context"
	"regexp"
	"strings"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/authz"
)

// Company permissions: the vendor's predefined codes (internal/authz, never
// stored) and the store's custom ones. Custom permissions are API-only; their
// name and code are unique per store, compared case-insensitively and
// against the predefined ones too, so that no two permissions read alike.

// permissionCodePattern is what a custom permission code may hold: letters,
// digits, '_', '-', '.' and ':' (the vendor's examples use snake_case and
// kebab-case), no spaces.
var permissionCodePattern = regexp.MustCompile(`^[A-Za-z0-9_.:-]+$`)

// PermissionInput is a custom permission to create, or its new values.
type PermissionInput struct {
	Name        string
	Code        string
	Description string
	Module      string
}

func permissionNotFound(id int64, err error) error {
	if guild.IsNotFound(err) {
		return guild.Errorf(guild.ENotFound, "permission %d does not exist in this store", id)
	}
	return err
}

// customPermission turns a stored custom permission into the engine's form:
// a custom permission allows every level.
func customPermission(p guild.CustomPermission) authz.Permission {
	return authz.Permission{ID: p.ID, Code: p.Code, Name: p.Name, Description: p.Description, Module: p.Module, Custom: true}
}

// ListPermissions returns the predefined permissions, in the vendor's order,
// then the store's custom ones by id. q keeps those whose name or code
// contains it, case-insensitively.
func (a *App) ListPermissions(ctx context.Context, t guild.Tenant, q string) ([]authz.Permission, error) {
	return a.permissions(ctx, a.store, t, q)
}

func (a *App) permissions(ctx context.Context, r guild.Reader, t guild.Tenant, q string) ([]authz.Permission, error) {
	custom, err := r.ListCustomPermissions(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	all := authz.Predefined()
	for _, p := range custom {
		all = append(all, customPermission(p))
	}
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" {
		return all, nil
	}
	out := all[:0]
	for _, p := range all {
		if strings.Contains(strings.ToLower(p.Name), q) || strings.Contains(strings.ToLower(p.Code), q) {
			out = append(out, p)
		}
	}
	return out, nil
}

// checkPermissionInput validates the fields of a custom permission (the
// vendor's lengths: name 200, code 50, description 512, module 50).
func checkPermissionInput(in PermissionInput) (PermissionInput, error) {
	var p problems
	in.Name = p.text("name", in.Name, true, 200)
	in.Code = p.text("code", in.Code, true, 50)
	if in.Code != "" && !permissionCodePattern.MatchString(in.Code) {
		p.add("code", "%q may hold only letters, digits, '_', '-', '.' and ':' (e.g. approve_large_orders)", in.Code)
	}
	in.Description = p.text("description", in.Description, true, 512)
	in.Module = p.text("module_name", in.Module, false, 50)
	return in, p.err()
}

// checkPermissionUnique refuses a name or code that another permission
// (predefined, or custom other than exceptID) already has.
func checkPermissionUnique(ctx context.Context, tx guild.Tx, t guild.Tenant, in PermissionInput, exceptID int64) error {
	custom, err := tx.ListCustomPermissions(ctx, t.ID)
	if err != nil {
		return err
	}
	all := authz.Predefined()
	for _, c := range custom {
		if c.ID != exceptID {
			all = append(all, customPermission(c))
		}
	}
	var p problems
	for _, o := range all {
		kind := "custom permission"
		if !o.Custom {
			kind = "predefined permission"
		}
		if strings.EqualFold(o.Name, in.Name) {
			p.add("name", "%q is already the name of %s %d (%s)", in.Name, kind, o.ID, o.Code)
		}
		if strings.EqualFold(o.Code, in.Code) {
			p.add("code", "%q is already the code of %s %d (%s)", in.Code, kind, o.ID, o.Name)
		}
	}
	return p.err()
}

// conflictAsField turns the store's uniqueness conflict into a field error
// (the app checks first; this covers what it cannot see).
func conflictAsField(err error, field, format string, args ...any) error {
	if guild.IsConflict(err) {
		return guild.FieldError(field, format, args...)
	}
	return err
}

// CreatePermission creates a custom permission.
func (a *App) CreatePermission(ctx context.Context, t guild.Tenant, in PermissionInput) (authz.Permission, error) {
	in, err := checkPermissionInput(in)
	if err != nil {
		return authz.Permission{}, err
	}
	var out authz.Permission
	err = a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		if err := checkPermissionUnique(ctx, tx, t, in, 0); err != nil {
			return err
		}
		now := a.clock()
		cp := guild.CustomPermission{TenantID: t.ID, Name: in.Name, Code: in.Code, Description: in.Description, Module: in.Module, CreatedAt: now, UpdatedAt: now}
		id, err := tx.CreateCustomPermission(ctx, cp)
		if err != nil {
			return conflictAsField(err, "code", "a permission with name %q or code %q already exists", in.Name, in.Code)
		}
		cp.ID = id
		out = customPermission(cp)
		return nil
	})
	return out, err
}

// refusePredefinedPermission answers a write to a predefined permission id.
func refusePredefinedPermission(id int64) error {
	for _, p := range authz.Predefined() {
		if p.ID == id {
			return guild.Errorf(guild.EInvalid, "permission %d (%s) is predefined and cannot be changed or deleted; only custom permissions can", id, p.Code)
		}
	}
	return nil
}

// UpdatePermission replaces a custom permission's name, code, description and
// module. When the code changes, every custom role granting the old code is
// changed to grant the new one, in the same transaction, so that the roles
// keep the permission.
func (a *App) UpdatePermission(ctx context.Context, t guild.Tenant, id int64, in PermissionInput) (authz.Permission, error) {
	if err := refusePredefinedPermission(id); err != nil {
		return authz.Permission{}, err
	}
	in, err := checkPermissionInput(in)
	if err != nil {
		return authz.Permission{}, err
	}
	var out authz.Permission
	err = a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		cur, err := tx.CustomPermission(ctx, t.ID, id)
		if err != nil {
			return permissionNotFound(id, err)
		}
		if err := checkPermissionUnique(ctx, tx, t, in, id); err != nil {
			return err
		}
		now := a.clock()
		next := cur
		next.Name, next.Code, next.Description, next.Module, next.UpdatedAt = in.Name, in.Code, in.Description, in.Module, now
		if err := tx.UpdateCustomPermission(ctx, next); err != nil {
			return conflictAsField(err, "code", "a permission with name %q or code %q already exists", in.Name, in.Code)
		}
		if next.Code != cur.Code {
			if err := renameGrantedCode(ctx, tx, t, cur.Code, next.Code, now); err != nil {
				return err
			}
		}
		out = customPermission(next)
		return nil
	})
	return out, err
}

// renameGrantedCode makes every custom role that grants from grant to instead.
func renameGrantedCode(ctx context.Context, tx guild.Tx, t guild.Tenant, from, to string, now time.Time) error {
	roles, err := tx.ListCustomRoles(ctx, t.ID)
	if err != nil {
		return err
	}
	for _, r := range roles {
		changed := false
		for i, g := range r.Grants {
			if g.Code == from {
				r.Grants[i].Code, changed = to, true
			}
		}
		if changed {
			r.UpdatedAt = now
			if err := tx.UpdateCustomRole(ctx, r); err != nil {
				return err
			}
		}
	}
	return nil
}

// DeletePermission deletes a custom permission that no custom role grants.
func (a *App) DeletePermission(ctx context.Context, t guild.Tenant, id int64) error {
	if err := refusePredefinedPermission(id); err != nil {
		return err
	}
	return a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		cur, err := tx.CustomPermission(ctx, t.ID, id)
		if err != nil {
			return permissionNotFound(id, err)
		}
		n, err := tx.CountRolesWithCode(ctx, t.ID, cur.Code)
		if err != nil {
			return err
		}
		if n > 0 {
			return guild.Errorf(guild.EInvalid, "permission %d (%s) is granted by %d custom %s; remove it from %s first (PUT /companies/roles/{roleId} replaces a role's permissions)",
				id, cur.Code, n, plural(n, "role", "roles"), plural(n, "it", "them"))
		}
		return tx.DeleteCustomPermission(ctx, t.ID, id)
	})
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
