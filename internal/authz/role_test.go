package authz

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/guild-b2b/guild"
)

func TestPredefinedRoles(t *testing.T) {
	roles := PredefinedRoles()
	var ids []int64
	var names []string
	for _, r := range roles {
		ids = append(ids, r.ID)
		names = append(names, r.Name)
		if !r.Predefined {
			t.Errorf("%s: Predefined false", r.Name)
		}
		// Every grant is one the code allows.
		for code, l := range r.Grants {
			p, ok := LookupPredefined(code)
			if !ok {
				t.Errorf("%s grants unknown code %q", r.Name, code)
				continue
			}
			if err := CheckGrant(p, l); err != nil {
				t.Errorf("%s: %v", r.Name, err)
			}
		}
		byID, ok := PredefinedRole(guild.UserRole(r.ID))
		if !ok {
			t.Errorf("PredefinedRole(%d) not found", r.ID)
		}
		if diff := cmp.Diff(r, byID); diff != "" {
			t.Errorf("PredefinedRole(%d) (-PredefinedRoles +PredefinedRole):\n%s", r.ID, diff)
		}
	}
	if diff := cmp.Diff([]int64{0, 1, 2}, ids); diff != "" {
		t.Error(diff)
	}
	if diff := cmp.Diff([]string{"Admin", "Senior Buyer", "Junior Buyer"}, names); diff != "" {
		t.Error(diff)
	}
	if _, ok := PredefinedRole(3); ok {
		t.Error("PredefinedRole(3) found")
	}
}

func TestAdminHasEverythingAtLevel3(t *testing.T) {
	admin, _ := PredefinedRole(guild.RoleAdmin)
	want := map[string]Level{}
	for _, p := range Predefined() {
		want[p.Code] = LevelSubsidiaries
	}
	if diff := cmp.Diff(want, admin.Grants); diff != "" {
		t.Errorf("Admin grants (-want +got):\n%s", diff)
	}
}

func TestBuyerRoles(t *testing.T) {
	senior, _ := PredefinedRole(guild.RoleSeniorBuyer)
	junior, _ := PredefinedRole(guild.RoleJuniorBuyer)
	tests := []struct {
		role Role
		code string
		want Level
	}{
		// Junior buyers never reach checkout (the vendor's hole).
		{junior, "purchase_enable", LevelNone},
		{junior, "checkout_with_quote", LevelNone},
		{junior, "approve_draft_shopping_list", LevelNone},
		{junior, "get_users", LevelNone},
		{junior, "pay_invoice", LevelNone},
		{junior, "get_orders", LevelUser},
		{junior, "create_shopping_list", LevelUser},
		{junior, "submit_shopping_list_for_approval", LevelUser},
		{junior, "create_quote", LevelUser},
		{junior, "get_addresses", LevelCompany},
		{junior, "create_address", LevelNone},
		// Senior buyers buy and approve but do not manage users or subsidiaries.
		{senior, "purchase_enable", LevelCompany},
		{senior, "checkout_with_quote", LevelCompany},
		{senior, "approve_draft_shopping_list", LevelCompany},
		{senior, "get_orders", LevelCompany},
		{senior, "get_users", LevelCompany},
		{senior, "get_user_detail", LevelCompany},
		{senior, "create_user", LevelNone},
		{senior, "update_user", LevelNone},
		{senior, "delete_user", LevelNone},
		{senior, "get_roles", LevelNone},
		{senior, "create_address", LevelNone},
		{senior, "get_company_subsidiaries", LevelNone},
		{senior, "create_quote", LevelUser},
		{senior, "submit_shopping_list_for_approval", LevelNone},
	}
	for _, tt := range tests {
		if got := tt.role.Grant(tt.code); got != tt.want {
			t.Errorf("%s grants %s at %v, want %v", tt.role.Name, tt.code, got, tt.want)
		}
	}
	for _, r := range []Role{senior, junior} {
		for code, l := range r.Grants {
			if l == LevelSubsidiaries {
				t.Errorf("%s grants %s at level 3", r.Name, code)
			}
		}
	}
}

func TestPredefinedRolesAreCopies(t *testing.T) {
	r := PredefinedRoles()
	r[2].Grants["purchase_enable"] = LevelCompany
	delete(r[0].Grants, "get_orders")
	again := PredefinedRoles()
	if again[2].Grant("purchase_enable") != LevelNone || again[0].Grant("get_orders") != LevelSubsidiaries {
		t.Fatal("PredefinedRoles shares its maps with callers")
	}
	// A super admin's grants are not affected either.
	if Effective(Subject{SuperAdmin: true})["get_orders"] != LevelSubsidiaries {
		t.Fatal("mutating a returned role changed the Admin grants")
	}
}

func TestRoleGrantIgnoresInvalidLevels(t *testing.T) {
	r := Role{Grants: map[string]Level{"a": 0, "b": 4, "c": -1, "d": 2}}
	for code, want := range map[string]Level{"a": 0, "b": 0, "c": 0, "d": 2, "missing": 0} {
		if got := r.Grant(code); got != want {
			t.Errorf("Grant(%q) = %v, want %v", code, got, want)
		}
	}
	if diff := cmp.Diff(map[string]Level{"d": 2}, Effective(Subject{Role: r})); diff != "" {
		t.Errorf("Effective (-want +got):\n%s", diff)
	}
}

func TestEffective(t *testing.T) {
	junior, _ := PredefinedRole(guild.RoleJuniorBuyer)
	if diff := cmp.Diff(junior.Grants, Effective(Subject{UserID: 1, CompanyID: 1, Role: junior})); diff != "" {
		t.Errorf("Effective(junior) (-want +got):\n%s", diff)
	}
	// A super admin gets the Admin grants whatever Role says.
	admin, _ := PredefinedRole(guild.RoleAdmin)
	if diff := cmp.Diff(admin.Grants, Effective(Subject{SuperAdmin: true, Role: junior})); diff != "" {
		t.Errorf("Effective(super admin) (-want +got):\n%s", diff)
	}
	if got := Effective(Subject{}); len(got) != 0 || got == nil {
		t.Errorf("Effective(no role) = %#v, want an empty map", got)
	}
}
