package storetest

import (
	"testing"
	"time"

	guild "github.com/guild-b2b/guild"
)

// firstCustomID is the lowest id a custom permission or role may have: the
// predefined ones (permissions 1..40, roles 0..2) are below it.
const firstCustomID = 1000

// permission creates p and returns it with its id.
func (f *fixture) permission(t *testing.T, p guild.CustomPermission) guild.CustomPermission {
	t.Helper()
	if p.CreatedAt.IsZero() {
		p.CreatedAt, p.UpdatedAt = t0, t0
	}
	f.update(t, func(tx guild.Tx) error {
		var err error
		p.ID, err = tx.CreateCustomPermission(f.ctx, p)
		return err
	})
	return p
}

// role creates r and returns it with its id.
func (f *fixture) role(t *testing.T, r guild.CustomRole) guild.CustomRole {
	t.Helper()
	if r.CreatedAt.IsZero() {
		r.CreatedAt, r.UpdatedAt = t0, t0
	}
	f.update(t, func(tx guild.Tx) error {
		var err error
		r.ID, err = tx.CreateCustomRole(f.ctx, r)
		return err
	})
	return r
}

func testRoles(t *testing.T, f *fixture) {
	t.Run("CustomPermissions", func(t *testing.T) { testCustomPermissions(t, f) })
	t.Run("CustomRoles", func(t *testing.T) { testCustomRoles(t, f) })
	t.Run("CountRolesWithCode", func(t *testing.T) { testCountRolesWithCode(t, f) })
}

func testCustomPermissions(t *testing.T, f *fixture) {
	tn := f.tenant(t, "permissions")
	other := f.tenant(t, "permissions-other")
	p1 := f.permission(t, guild.CustomPermission{TenantID: tn.ID, Name: "View Budgets", Code: "view_budgets",
		Description: "Read the budgets", Module: "budgets", CreatedAt: at(secs(1.000001)), UpdatedAt: at(secs(2))})
	p2 := f.permission(t, guild.CustomPermission{TenantID: tn.ID, Name: "Edit Budgets", Code: "edit_budgets"})
	if p1.ID < firstCustomID || p2.ID < firstCustomID || p1.ID == p2.ID {
		t.Errorf("custom permission ids %d and %d: want distinct ids of %d or more", p1.ID, p2.ID, firstCustomID)
	}
	op := f.permission(t, guild.CustomPermission{TenantID: other.ID, Name: "view budgets", Code: "view_budgets"})

	got, err := f.s.CustomPermission(f.ctx, tn.ID, p1.ID)
	wantNoErr(t, err, "CustomPermission")
	wantEqual(t, got, p1, "CustomPermission")
	list, err := f.s.ListCustomPermissions(f.ctx, tn.ID)
	wantNoErr(t, err, "ListCustomPermissions")
	wantEqual(t, list, []guild.CustomPermission{p1, p2}, "ListCustomPermissions")
	list, err = f.s.ListCustomPermissions(f.ctx, other.ID)
	wantNoErr(t, err, "ListCustomPermissions of the other tenant")
	wantEqual(t, list, []guild.CustomPermission{op}, "ListCustomPermissions of the other tenant")
	_, err = f.s.CustomPermission(f.ctx, tn.ID, p2.ID+1000)
	wantCode(t, err, guild.ENotFound, "CustomPermission of a missing id")
	_, err = f.s.CustomPermission(f.ctx, other.ID, p1.ID)
	wantCode(t, err, guild.ENotFound, "CustomPermission of another tenant")

	create := func(p guild.CustomPermission) error {
		return f.attempt(func(tx guild.Tx) error {
			p.TenantID, p.CreatedAt, p.UpdatedAt = tn.ID, t0, t0
			_, err := tx.CreateCustomPermission(f.ctx, p)
			return err
		})
	}
	wantCode(t, create(guild.CustomPermission{Name: "VIEW budgets", Code: "other_code"}), guild.EConflict,
		"CreateCustomPermission with a name differing only in case")
	wantCode(t, create(guild.CustomPermission{Name: "Another name", Code: "view_budgets"}), guild.EConflict,
		"CreateCustomPermission with a taken code")
	wantNoErr(t, create(guild.CustomPermission{Name: "Case", Code: "VIEW_BUDGETS"}), "CreateCustomPermission with a code differing in case")

	upd := p2
	upd.Name, upd.Code, upd.Description, upd.Module, upd.UpdatedAt = "Change Budgets", "change_budgets", "d", "m", at(time.Hour)
	upd.CreatedAt = at(-time.Hour) // ignored
	f.update(t, func(tx guild.Tx) error { return tx.UpdateCustomPermission(f.ctx, upd) })
	upd.CreatedAt = p2.CreatedAt
	got, err = f.s.CustomPermission(f.ctx, tn.ID, p2.ID)
	wantNoErr(t, err, "CustomPermission after UpdateCustomPermission")
	wantEqual(t, got, upd, "CustomPermission after UpdateCustomPermission")
	f.update(t, func(tx guild.Tx) error { return tx.UpdateCustomPermission(f.ctx, upd) }) // its own name and code

	clash := upd
	clash.Name = "view BUDGETS"
	err = f.attempt(func(tx guild.Tx) error { return tx.UpdateCustomPermission(f.ctx, clash) })
	wantCode(t, err, guild.EConflict, "UpdateCustomPermission to another permission's name")
	clash = upd
	clash.Code = "view_budgets"
	err = f.attempt(func(tx guild.Tx) error { return tx.UpdateCustomPermission(f.ctx, clash) })
	wantCode(t, err, guild.EConflict, "UpdateCustomPermission to another permission's code")
	missing := upd
	missing.ID += 1000
	err = f.attempt(func(tx guild.Tx) error { return tx.UpdateCustomPermission(f.ctx, missing) })
	wantCode(t, err, guild.ENotFound, "UpdateCustomPermission of a missing permission")
	foreign := op
	foreign.TenantID, foreign.Name = tn.ID, "Hijacked"
	err = f.attempt(func(tx guild.Tx) error { return tx.UpdateCustomPermission(f.ctx, foreign) })
	wantCode(t, err, guild.ENotFound, "UpdateCustomPermission of another tenant's permission")
	err = f.attempt(func(tx guild.Tx) error { return tx.DeleteCustomPermission(f.ctx, tn.ID, op.ID) })
	wantCode(t, err, guild.ENotFound, "DeleteCustomPermission of another tenant's permission")
	got, err = f.s.CustomPermission(f.ctx, other.ID, op.ID)
	wantNoErr(t, err, "CustomPermission of the other tenant")
	wantEqual(t, got, op, "the other tenant's permission after refused writes")
	got, err = f.s.CustomPermission(f.ctx, tn.ID, p2.ID)
	wantNoErr(t, err, "CustomPermission")
	wantEqual(t, got, upd, "a permission after refused updates")

	// Deleting frees the name and code; the id is never handed out again.
	list, err = f.s.ListCustomPermissions(f.ctx, tn.ID)
	wantNoErr(t, err, "ListCustomPermissions")
	last := list[len(list)-1]
	f.update(t, func(tx guild.Tx) error { return tx.DeleteCustomPermission(f.ctx, tn.ID, last.ID) })
	_, err = f.s.CustomPermission(f.ctx, tn.ID, last.ID)
	wantCode(t, err, guild.ENotFound, "CustomPermission after DeleteCustomPermission")
	err = f.attempt(func(tx guild.Tx) error { return tx.DeleteCustomPermission(f.ctx, tn.ID, last.ID) })
	wantCode(t, err, guild.ENotFound, "DeleteCustomPermission of a deleted permission")
	again := f.permission(t, guild.CustomPermission{TenantID: tn.ID, Name: last.Name, Code: last.Code})
	if again.ID <= last.ID {
		t.Errorf("a permission created after deleting id %d got id %d: ids must never be reused", last.ID, again.ID)
	}
}

func testCustomRoles(t *testing.T, f *fixture) {
	tn := f.tenant(t, "roles")
	other := f.tenant(t, "roles-other")
	r1 := f.role(t, guild.CustomRole{TenantID: tn.ID, Name: "Buyer Plus", CreatedAt: at(secs(1.000001)), UpdatedAt: at(secs(2)),
		Grants: []guild.RoleGrant{{Code: "get_orders", Level: 2}, {Code: "create_quote", Level: 1}, {Code: "view_budgets", Level: 3}}})
	r2 := f.role(t, guild.CustomRole{TenantID: tn.ID, Name: "Empty"})
	if r1.ID < firstCustomID || r2.ID < firstCustomID || r1.ID == r2.ID {
		t.Errorf("custom role ids %d and %d: want distinct ids of %d or more", r1.ID, r2.ID, firstCustomID)
	}
	or := f.role(t, guild.CustomRole{TenantID: other.ID, Name: "buyer plus", Grants: []guild.RoleGrant{{Code: "get_orders", Level: 1}}})

	got, err := f.s.CustomRole(f.ctx, tn.ID, r1.ID)
	wantNoErr(t, err, "CustomRole")
	wantEqual(t, got, r1, "CustomRole (grants in the order written)")
	got, err = f.s.CustomRole(f.ctx, tn.ID, r2.ID)
	wantNoErr(t, err, "CustomRole")
	wantEqual(t, got, r2, "CustomRole without grants")
	list, err := f.s.ListCustomRoles(f.ctx, tn.ID)
	wantNoErr(t, err, "ListCustomRoles")
	wantEqual(t, list, []guild.CustomRole{r1, r2}, "ListCustomRoles")
	list, err = f.s.ListCustomRoles(f.ctx, other.ID)
	wantNoErr(t, err, "ListCustomRoles of the other tenant")
	wantEqual(t, list, []guild.CustomRole{or}, "ListCustomRoles of the other tenant")
	_, err = f.s.CustomRole(f.ctx, tn.ID, r2.ID+1000)
	wantCode(t, err, guild.ENotFound, "CustomRole of a missing id")
	_, err = f.s.CustomRole(f.ctx, other.ID, r1.ID)
	wantCode(t, err, guild.ENotFound, "CustomRole of another tenant")

	// A refused create writes nothing, and the transaction goes on.
	f.update(t, func(tx guild.Tx) error {
		_, err := tx.CreateCustomRole(f.ctx, guild.CustomRole{TenantID: tn.ID, Name: "BUYER plus", CreatedAt: t0, UpdatedAt: t0,
			Grants: []guild.RoleGrant{{Code: "get_orders", Level: 1}}})
		wantCode(t, err, guild.EConflict, "CreateCustomRole with a name differing only in case")
		_, err = tx.CreateCustomRole(f.ctx, guild.CustomRole{TenantID: tn.ID, Name: "Twice", CreatedAt: t0, UpdatedAt: t0,
			Grants: []guild.RoleGrant{{Code: "get_orders", Level: 1}, {Code: "get_orders", Level: 2}}})
		wantCode(t, err, guild.EConflict, "CreateCustomRole granting a code twice")
		return nil
	})
	list, err = f.s.ListCustomRoles(f.ctx, tn.ID)
	wantNoErr(t, err, "ListCustomRoles")
	wantEqual(t, list, []guild.CustomRole{r1, r2}, "ListCustomRoles after refused creates")

	// An update replaces the name and every grant.
	upd := r1
	upd.Name, upd.UpdatedAt = "Buyer Max", at(time.Hour)
	upd.Grants = []guild.RoleGrant{{Code: "purchase_enable", Level: 2}, {Code: "get_orders", Level: 3}}
	upd.CreatedAt = at(-time.Hour) // ignored
	f.update(t, func(tx guild.Tx) error { return tx.UpdateCustomRole(f.ctx, upd) })
	upd.CreatedAt = r1.CreatedAt
	got, err = f.s.CustomRole(f.ctx, tn.ID, r1.ID)
	wantNoErr(t, err, "CustomRole after UpdateCustomRole")
	wantEqual(t, got, upd, "CustomRole after UpdateCustomRole")
	// The old name is free; the new one is taken.
	r3 := f.role(t, guild.CustomRole{TenantID: tn.ID, Name: "buyer PLUS", Grants: []guild.RoleGrant{{Code: "get_orders", Level: 1}}})
	f.update(t, func(tx guild.Tx) error { return tx.UpdateCustomRole(f.ctx, upd) }) // its own name

	// A refused update changes nothing.
	f.update(t, func(tx guild.Tx) error {
		clash := upd
		clash.Name, clash.Grants = "BUYER plus", []guild.RoleGrant{{Code: "x", Level: 1}}
		wantCode(t, tx.UpdateCustomRole(f.ctx, clash), guild.EConflict, "UpdateCustomRole to another role's name")
		twice := upd
		twice.Grants = []guild.RoleGrant{{Code: "x", Level: 1}, {Code: "x", Level: 2}}
		wantCode(t, tx.UpdateCustomRole(f.ctx, twice), guild.EConflict, "UpdateCustomRole granting a code twice")
		missing := upd
		missing.ID = r3.ID + 1000
		wantCode(t, tx.UpdateCustomRole(f.ctx, missing), guild.ENotFound, "UpdateCustomRole of a missing role")
		foreign := or
		foreign.TenantID, foreign.Grants = tn.ID, nil
		wantCode(t, tx.UpdateCustomRole(f.ctx, foreign), guild.ENotFound, "UpdateCustomRole of another tenant's role")
		wantCode(t, tx.DeleteCustomRole(f.ctx, tn.ID, or.ID), guild.ENotFound, "DeleteCustomRole of another tenant's role")
		return nil
	})
	got, err = f.s.CustomRole(f.ctx, tn.ID, r1.ID)
	wantNoErr(t, err, "CustomRole")
	wantEqual(t, got, upd, "a role after refused updates")
	got, err = f.s.CustomRole(f.ctx, other.ID, or.ID)
	wantNoErr(t, err, "CustomRole of the other tenant")
	wantEqual(t, got, or, "the other tenant's role after refused writes")

	// An update to no grants leaves none.
	bare := r3
	bare.Grants = nil
	f.update(t, func(tx guild.Tx) error { return tx.UpdateCustomRole(f.ctx, bare) })
	got, err = f.s.CustomRole(f.ctx, tn.ID, r3.ID)
	wantNoErr(t, err, "CustomRole")
	if len(got.Grants) != 0 {
		t.Errorf("a role updated to no grants has %v", got.Grants)
	}

	// Deleting frees the name; the id is never handed out again.
	f.update(t, func(tx guild.Tx) error { return tx.DeleteCustomRole(f.ctx, tn.ID, r3.ID) })
	_, err = f.s.CustomRole(f.ctx, tn.ID, r3.ID)
	wantCode(t, err, guild.ENotFound, "CustomRole after DeleteCustomRole")
	err = f.attempt(func(tx guild.Tx) error { return tx.DeleteCustomRole(f.ctx, tn.ID, r3.ID) })
	wantCode(t, err, guild.ENotFound, "DeleteCustomRole of a deleted role")
	r4 := f.role(t, guild.CustomRole{TenantID: tn.ID, Name: r3.Name, Grants: []guild.RoleGrant{{Code: "get_orders", Level: 2}}})
	if r4.ID <= r3.ID {
		t.Errorf("a role created after deleting id %d got id %d: ids must never be reused", r3.ID, r4.ID)
	}
	list, err = f.s.ListCustomRoles(f.ctx, tn.ID)
	wantNoErr(t, err, "ListCustomRoles")
	wantEqual(t, list, []guild.CustomRole{upd, r2, r4}, "ListCustomRoles after updates and a deletion")

	// A transaction reads its own roles.
	f.update(t, func(tx guild.Tx) error {
		id, err := tx.CreateCustomRole(f.ctx, guild.CustomRole{TenantID: tn.ID, Name: "In tx", CreatedAt: t0, UpdatedAt: t0,
			Grants: []guild.RoleGrant{{Code: "get_users", Level: 2}}})
		if err != nil {
			return err
		}
		got, err := tx.CustomRole(f.ctx, tn.ID, id)
		if err != nil {
			return err
		}
		wantEqual(t, got.Grants, []guild.RoleGrant{{Code: "get_users", Level: 2}}, "tx.CustomRole's grants")
		return nil
	})
}

func testCountRolesWithCode(t *testing.T, f *fixture) {
	tn := f.tenant(t, "roles-with-code")
	other := f.tenant(t, "roles-with-code-other")
	r1 := f.role(t, guild.CustomRole{TenantID: tn.ID, Name: "R1",
		Grants: []guild.RoleGrant{{Code: "view_budgets", Level: 1}, {Code: "get_orders", Level: 2}}})
	f.role(t, guild.CustomRole{TenantID: tn.ID, Name: "R2", Grants: []guild.RoleGrant{{Code: "view_budgets", Level: 3}}})
	f.role(t, guild.CustomRole{TenantID: tn.ID, Name: "R3", Grants: []guild.RoleGrant{{Code: "get_orders", Level: 1}}})
	f.role(t, guild.CustomRole{TenantID: other.ID, Name: "R1", Grants: []guild.RoleGrant{{Code: "view_budgets", Level: 1}}})

	count := func(what string, tenantID int64, code string, want int) {
		t.Helper()
		n, err := f.s.CountRolesWithCode(f.ctx, tenantID, code)
		wantNoErr(t, err, "CountRolesWithCode "+what)
		if n != want {
			t.Errorf("CountRolesWithCode %s = %d, want %d", what, n, want)
		}
	}
	count("view_budgets", tn.ID, "view_budgets", 2)
	count("get_orders", tn.ID, "get_orders", 2)
	count("an unused code", tn.ID, "pay_invoice", 0)
	count("is exact", tn.ID, "VIEW_BUDGETS", 0)
	count("of the other tenant", other.ID, "view_budgets", 1)
	count("of the other tenant, a code it does not grant", other.ID, "get_orders", 0)

	upd := r1
	upd.Grants = []guild.RoleGrant{{Code: "get_orders", Level: 3}}
	f.update(t, func(tx guild.Tx) error { return tx.UpdateCustomRole(f.ctx, upd) })
	count("view_budgets after an update", tn.ID, "view_budgets", 1)
	count("get_orders after an update", tn.ID, "get_orders", 2)
	f.update(t, func(tx guild.Tx) error { return tx.DeleteCustomRole(f.ctx, tn.ID, r1.ID) })
	count("get_orders after a deletion", tn.ID, "get_orders", 1)
	count("view_budgets of the other tenant after the deletions", other.ID, "view_budgets", 1)
}
