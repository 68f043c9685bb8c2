package authz

import "github.com/guild-b2b/guild"

// Role is a set of permission grants: each code a role grants, at one level.
type Role struct {
	// ID is the role's id. The predefined roles use the vendor's role numbers
	// (guild.RoleAdmin 0, guild.RoleSeniorBuyer 1, guild.RoleJuniorBuyer 2);
	// custom roles use the store's ids. The engine never reads it.
	ID int64
	// Name is shown to people and used in refusal messages.
	Name string
	// Predefined marks the three vendor roles, which cannot be changed.
	Predefined bool
	// Grants maps a permission code to the level it is granted at. A code
	// that is absent, or mapped to a level outside 1..3, is not granted.
	// Callers validate grants with CheckGrant when a role is written; the
	// engine does not re-check them against the codes' allowed levels.
	Grants map[string]Level
}

// Grant returns the level r grants code at, or LevelNone.
func (r Role) Grant(code string) Level {
	l := r.Grants[code]
	if !l.Valid() {
		return LevelNone
	}
	return l
}

// The predefined roles' grants. Each is built once and never modified;
// PredefinedRoles hands out copies. ROLES.md explains every choice, and a
// test keeps it in step with these tables.
var (
	// adminGrants: every predefined code at level 3, the widest level every
	// code allows.
	adminGrants = func() map[string]Level {
		m := make(map[string]Level, len(predefined))
		for _, p := range predefined {
			m[p.Code] = p.Levels[len(p.Levels)-1]
		}
		return m
	}()

	seniorBuyerGrants = map[string]Level{
		"get_addresses":                LevelCompany,
		"get_address_detail":           LevelCompany,
		"get_default_shipping":         LevelCompany,
		"get_default_billing":          LevelCompany,
		"get_invoices":                 LevelCompany,
		"get_invoice_detail":           LevelCompany,
		"export_invoices":              LevelCompany,
		"get_invoice_pdf":              LevelCompany,
		"get_invoice_payments_history": LevelCompany,
		"pay_invoice":                  LevelCompany,
		"get_orders":                   LevelCompany,
		"get_order_detail":             LevelCompany,
		"get_quotes":                   LevelCompany,
		"get_quote_detail":             LevelCompany,
		"create_quote":                 LevelUser, // the code allows 1 or 3, not 2
		"update_quote_message":         LevelCompany,
		"checkout_with_quote":          LevelCompany,
		"get_quote_pdf":                LevelCompany,
		"get_shopping_lists":           LevelCompany,
		"get_shopping_list_detail":     LevelCompany,
		"create_shopping_list":         LevelCompany,
		"deplicate_shopping_list":      LevelCompany,
		"update_shopping_list":         LevelCompany,
		"approve_draft_shopping_list":  LevelCompany,
		"delete_shopping_list":         LevelCompany,
		"create_shopping_list_item":    LevelCompany,
		"update_shopping_list_item":    LevelCompany,
		"delete_shopping_list_item":    LevelCompany,
		"get_users":                    LevelCompany,
		"get_user_detail":              LevelCompany,
		"purchase_enable":              LevelCompany,
	}

	juniorBuyerGrants = map[string]Level{
		"get_addresses":                     LevelCompany, // addresses allow 2 or 3 only
		"get_address_detail":                LevelCompany,
		"get_default_shipping":              LevelCompany,
		"get_default_billing":               LevelCompany,
		"get_orders":                        LevelUser,
		"get_order_detail":                  LevelUser,
		"get_quotes":                        LevelUser,
		"get_quote_detail":                  LevelUser,
		"create_quote":                      LevelUser,
		"update_quote_message":              LevelUser,
		"get_quote_pdf":                     LevelUser,
		"get_shopping_lists":                LevelUser,
		"get_shopping_list_detail":          LevelUser,
		"create_shopping_list":              LevelUser,
		"deplicate_shopping_list":           LevelUser,
		"update_shopping_list":              LevelUser,
		"submit_shopping_list_for_approval": LevelUser,
		"delete_shopping_list":              LevelUser,
		"create_shopping_list_item":         LevelUser,
		"update_shopping_list_item":         LevelUser,
		"delete_shopping_list_item":         LevelUser,
	}
)

// The predefined roles' names, as the vendor spells them.
const (
	AdminRoleName       = "Admin"
	SeniorBuyerRoleName = "Senior Buyer"
	JuniorBuyerRoleName = "Junior Buyer"
)

// PredefinedRoles returns the three predefined roles, Admin (id 0), Senior
// Buyer (1) and Junior Buyer (2), with their default grants (see the package
// documentation and ROLES.md), as new values the caller may modify.
func PredefinedRoles() []Role {
	out := make([]Role, 0, 3)
	for _, r := range []guild.UserRole{guild.RoleAdmin, guild.RoleSeniorBuyer, guild.RoleJuniorBuyer} {
		role, _ := PredefinedRole(r)
		out = append(out, role)
	}
	return out
}

// PredefinedRole returns the predefined role for a vendor role number and
// whether there is one.
func PredefinedRole(r guild.UserRole) (Role, bool) {
	var g map[string]Level
	var name string
	switch r {
	case guild.RoleAdmin:
		g, name = adminGrants, AdminRoleName
	case guild.RoleSeniorBuyer:
		g, name = seniorBuyerGrants, SeniorBuyerRoleName
	case guild.RoleJuniorBuyer:
		g, name = juniorBuyerGrants, JuniorBuyerRoleName
	default:
		return Role{}, false
	}
	return Role{ID: int64(r), Name: name, Predefined: true, Grants: cloneGrants(g)}, true
}

func cloneGrants(m map[string]Level) map[string]Level {
	out := make(map[string]Level, len(m))
	for c, l := range m {
		if l.Valid() {
			out[c] = l
		}
	}
	return out
}
