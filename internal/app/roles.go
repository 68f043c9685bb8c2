package app

import (
	"context"
	"strings"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/authz"
)

// Company user roles: the three predefined roles (internal/authz, never
// stored; ids 0, 1 and 2, the vendor's role numbers) and the store's custom
// roles. A role grants permission codes, each at one level the code allows.

// RoleType tells predefined roles (1) from custom ones (2), as the vendor's
// roleType does.
type RoleType int

// The role types.
const (
	RolePredefined RoleType = 1
	RoleCustom     RoleType = 2
)

// RoleInfo is a role as the API shows it.
type RoleInfo struct {
	authz.Role
	Type RoleType
	// Permissions are the role's grants with their permission ids, in the
	// order of ListPermissions (predefined codes in the vendor's order, then
	// custom ones by id).
	Permissions []GrantInfo
}

// GrantInfo is one permission a role grants.
type GrantInfo struct {
	PermissionID int64
	Code         string
	Level        authz.Level
}

// GrantInput is one permission of a role request.
type GrantInput struct {
	Code  string
	Level int64
}

// RoleInput is a custom role to create, or its new name and whole
// permission list.
type RoleInput struct {
	Name        string
	Permissions []GrantInput
}

// RoleQuery selects a page of roles: q keeps those whose name contains it,
// case-insensitively.
type RoleQuery struct {
	Query string
	Page  guild.Page
}

func roleNotFound(id int64, err error) error {
	if guild.IsNotFound(err) {
		return guild.Errorf(guild.ENotFound, "role %d does not exist in this store", id)
	}
	return err
}

// customAuthzRole turns a stored custom role into the engine's form.
func customAuthzRole(r guild.CustomRole) authz.Role {
	g := make(map[string]authz.Level, len(r.Grants))
	for _, x := range r.Grants {
		g[x.Code] = authz.Level(x.Level)
	}
	return authz.Role{ID: r.ID, Name: r.Name, Grants: g}
}

// roleInfo decorates a role with its type and its grants' permission ids.
// perms is the store's permission list (predefined then custom). A custom
// role's grants keep the order they were given in (order); a predefined
// role's follow perms. A grant of a code no longer defined has permission
// id 0.
func roleInfo(r authz.Role, order []string, perms []authz.Permission) RoleInfo {
	info := RoleInfo{Role: r, Type: RoleCustom}
	if r.Predefined {
		info.Type = RolePredefined
	}
	ids := make(map[string]int64, len(perms))
	for _, p := range perms {
		ids[p.Code] = p.ID
		if r.Predefined {
			order = append(order, p.Code)
		}
	}
	for _, c := range order {
		if l := r.Grant(c); l.Valid() {
			info.Permissions = append(info.Permissions, GrantInfo{PermissionID: ids[c], Code: c, Level: l})
		}
	}
	return info
}

// grantOrder returns the codes of a custom role's grants, in their order.
func grantOrder(grants []guild.RoleGrant) []string {
	out := make([]string, len(grants))
	for i, g := range grants {
		out[i] = g.Code
	}
	return out
}

// orderedRole is a role and the order of its grants (nil for predefined
// roles, whose grants follow the permission list).
type orderedRole struct {
	authz.Role
	order []string
}

// allRoles returns the predefined roles, then the store's custom roles by id.
func allRoles(ctx context.Context, r guild.Reader, t guild.Tenant) ([]orderedRole, error) {
	custom, err := r.ListCustomRoles(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	var roles []orderedRole
	for _, p := range authz.PredefinedRoles() {
		roles = append(roles, orderedRole{Role: p})
	}
	for _, c := range custom {
		roles = append(roles, orderedRole{customAuthzRole(c), grantOrder(c.Grants)})
	}
	return roles, nil
}

// ListRoles pages the predefined roles, then the store's custom roles by id,
// keeping those whose name contains q.Query, and reports the total.
func (a *App) ListRoles(ctx context.Context, t guild.Tenant, q RoleQuery) ([]RoleInfo, int, error) {
	if err := CheckPage(q.Page); err != nil {
		return nil, 0, err
	}
	return a.listRoles(ctx, a.store, t, q)
}

func (a *App) listRoles(ctx context.Context, r guild.Reader, t guild.Tenant, q RoleQuery) ([]RoleInfo, int, error) {
	roles, err := allRoles(ctx, r, t)
	if err != nil {
		return nil, 0, err
	}
	perms, err := a.permissions(ctx, r, t, "")
	if err != nil {
		return nil, 0, err
	}
	needle := strings.ToLower(strings.TrimSpace(q.Query))
	var match []orderedRole
	for _, role := range roles {
		if needle == "" || strings.Contains(strings.ToLower(role.Name), needle) {
			match = append(match, role)
		}
	}
	total := len(match)
	lo := min(q.Page.Offset, total)
	hi := min(lo+q.Page.Limit, total)
	out := make([]RoleInfo, 0, hi-lo)
	for _, role := range match[lo:hi] {
		out = append(out, roleInfo(role.Role, role.order, perms))
	}
	return out, total, nil
}

// Role returns one role: ids 0, 1 and 2 are the predefined Admin, Senior
// Buyer and Junior Buyer; other ids are the store's custom roles.
func (a *App) Role(ctx context.Context, t guild.Tenant, id int64) (RoleInfo, error) {
	role, err := lookupRole(ctx, a.store, t, id)
	if err != nil {
		return RoleInfo{}, err
	}
	perms, err := a.permissions(ctx, a.store, t, "")
	if err != nil {
		return RoleInfo{}, err
	}
	return roleInfo(role.Role, role.order, perms), nil
}

// lookupRole finds a predefined role by its number or a custom role by id.
func lookupRole(ctx context.Context, r guild.Reader, t guild.Tenant, id int64) (orderedRole, error) {
	if id >= 0 && id <= int64(guild.RoleJuniorBuyer) {
		role, _ := authz.PredefinedRole(guild.UserRole(id))
		return orderedRole{Role: role}, nil
	}
	c, err := r.CustomRole(ctx, t.ID, id)
	if err != nil {
		return orderedRole{}, roleNotFound(id, err)
	}
	return orderedRole{customAuthzRole(c), grantOrder(c.Grants)}, nil
}

// UserRole returns the role a company user holds: their custom role when
// CompanyRoleID is set, else the predefined role of their role number.
func UserRole(ctx context.Context, r guild.Reader, u guild.User) (authz.Role, error) {
	if u.CompanyRoleID != 0 {
		c, err := r.CustomRole(ctx, u.TenantID, u.CompanyRoleID)
		if err != nil {
			if guild.IsNotFound(err) {
				return authz.Role{}, guild.Errorf(guild.EInternal, "user %d holds custom role %d, which does not exist", u.ID, u.CompanyRoleID)
			}
			return authz.Role{}, err
		}
		return customAuthzRole(c), nil
	}
	role, ok := authz.PredefinedRole(u.Role)
	if !ok {
		return authz.Role{}, guild.Errorf(guild.EInternal, "user %d has role %d, which is not a company user role", u.ID, u.Role)
	}
	return role, nil
}

// checkRoleInput validates a role request against the store's permissions:
// a name, at least one permission, every code defined (predefined or
// custom, byte-exact), each at a level the code allows, no code twice. Every
// message names the code at fault.
func checkRoleInput(in RoleInput, perms []authz.Permission) (RoleInput, []guild.RoleGrant, error) {
	var p problems
	in.Name = p.text("name", in.Name, true, 200)
	byCode := make(map[string]authz.Permission, len(perms))
	for _, x := range perms {
		byCode[x.Code] = x
	}
	if len(in.Permissions) == 0 {
		p.add("permissions", "a custom role needs at least one permission: give a list of {code, permissionLevel}")
	}
	var grants []guild.RoleGrant
	seen := map[string]bool{}
	for i, g := range in.Permissions {
		code := strings.TrimSpace(g.Code)
		perm, ok := byCode[code]
		switch {
		case code == "":
			p.add("permissions", "item %d has no code", i)
			continue
		case !ok:
			hint := ""
			for c := range byCode {
				if strings.EqualFold(c, code) {
					hint = " (did you mean " + c + "? codes are case-sensitive)"
				}
			}
			p.add("permissions", "%q is not a permission code of this store%s; GET /companies/permissions lists them", code, hint)
			continue
		case seen[code]:
			p.add("permissions", "%q is listed more than once; give each code once, with one permissionLevel", code)
			continue
		}
		seen[code] = true
		if err := authz.CheckGrant(perm, authz.Level(g.Level)); err != nil {
			p.add("permissions", "%s", err.(*guild.Error).Message)
			continue
		}
		grants = append(grants, guild.RoleGrant{Code: code, Level: int(g.Level)})
	}
	return in, grants, p.err()
}

// checkRoleName refuses a name another role (predefined, or custom other
// than exceptID) already has, compared case-insensitively.
func checkRoleName(roles []orderedRole, name string, exceptID int64) error {
	for _, r := range roles {
		if (r.Predefined || r.ID != exceptID) && strings.EqualFold(r.Name, name) {
			kind := "custom role"
			if r.Predefined {
				kind = "predefined role"
			}
			return guild.FieldError("name", "%q is already the name of %s %d", name, kind, r.ID)
		}
	}
	return nil
}

// refusePredefinedRole answers a write to a predefined role.
func refusePredefinedRole(id int64) error {
	if role, ok := authz.PredefinedRole(guild.UserRole(id)); ok && id >= 0 {
		return guild.Errorf(guild.EInvalid, "role %d (%s) is predefined and cannot be changed or deleted; create a custom role instead", id, role.Name)
	}
	return nil
}

// CreateRole creates a custom role.
func (a *App) CreateRole(ctx context.Context, t guild.Tenant, in RoleInput) (RoleInfo, error) {
	var out RoleInfo
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		perms, err := a.permissions(ctx, tx, t, "")
		if err != nil {
			return err
		}
		in, grants, err := checkRoleInput(in, perms)
		if err != nil {
			return err
		}
		roles, err := allRoles(ctx, tx, t)
		if err != nil {
			return err
		}
		if err := checkRoleName(roles, in.Name, 0); err != nil {
			return err
		}
		now := a.clock()
		cr := guild.CustomRole{TenantID: t.ID, Name: in.Name, Grants: grants, CreatedAt: now, UpdatedAt: now}
		if cr.ID, err = tx.CreateCustomRole(ctx, cr); err != nil {
			return conflictAsField(err, "name", "a role named %q already exists", in.Name)
		}
		out = roleInfo(customAuthzRole(cr), grantOrder(grants), perms)
		return nil
	})
	return out, err
}

// UpdateRole replaces a custom role's name and its whole permission list.
func (a *App) UpdateRole(ctx context.Context, t guild.Tenant, id int64, in RoleInput) (RoleInfo, error) {
	if err := refusePredefinedRole(id); err != nil {
		return RoleInfo{}, err
	}
	var out RoleInfo
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		cur, err := tx.CustomRole(ctx, t.ID, id)
		if err != nil {
			return roleNotFound(id, err)
		}
		perms, err := a.permissions(ctx, tx, t, "")
		if err != nil {
			return err
		}
		in, grants, err := checkRoleInput(in, perms)
		if err != nil {
			return err
		}
		roles, err := allRoles(ctx, tx, t)
		if err != nil {
			return err
		}
		if err := checkRoleName(roles, in.Name, id); err != nil {
			return err
		}
		cur.Name, cur.Grants, cur.UpdatedAt = in.Name, grants, a.clock()
		if err := tx.UpdateCustomRole(ctx, cur); err != nil {
			return conflictAsField(err, "name", "a role named %q already exists", in.Name)
		}
		out = roleInfo(customAuthzRole(cur), grantOrder(grants), perms)
		return nil
	})
	return out, err
}

// DeleteRole deletes a custom role that no user holds.
func (a *App) DeleteRole(ctx context.Context, t guild.Tenant, id int64) error {
	if err := refusePredefinedRole(id); err != nil {
		return err
	}
	return a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		cur, err := tx.CustomRole(ctx, t.ID, id)
		if err != nil {
			return roleNotFound(id, err)
		}
		n, err := tx.CountUsersWithRole(ctx, t.ID, id)
		if err != nil {
			return err
		}
		if n > 0 {
			return guild.Errorf(guild.EInvalid, "role %d (%s) is held by %d %s; give %s another role first",
				id, cur.Name, n, plural(n, "user", "users"), plural(n, "that user", "them"))
		}
		return tx.DeleteCustomRole(ctx, t.ID, id)
	})
}
