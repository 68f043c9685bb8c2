package authz

import (
	"strings"

	"github.com/guild-b2b/guild"
)

// Permission is a permission code and the levels a role may grant it at.
type Permission struct {
	// ID identifies the permission on the wire (GET /companies/permissions).
	// Predefined permissions are numbered 1..40 in the vendor table's order
	// (the vendor's example gives get_addresses id 1); custom permissions get
	// their id from the store, which must keep them clear of 1..40.
	ID int64
	// Code is the string roles grant, byte-exact for predefined permissions
	// (including the vendor's misspelt deplicate_shopping_list).
	Code string
	// Name and Description are the vendor's, for predefined permissions.
	Name        string
	Description string
	// Module is the vendor's moduleName: the area of the buyer portal the
	// permission belongs to. The vendor documents only "address"; Guild names
	// the others after their area (address, invoice, order, quote,
	// shopping_list, user, purchase, company_hierarchy).
	Module string
	// Levels are the levels a role may grant the code at, ascending. For a
	// custom permission an empty Levels means all three: the vendor's API has
	// no way to restrict a custom permission's levels, so by default every
	// level is allowed; a store that records a restriction fills Levels in.
	Levels []Level
	// Custom is true for permissions defined per store through the API.
	Custom bool
}

// Allows reports whether a role may grant p at level l.
func (p Permission) Allows(l Level) bool {
	if !l.Valid() {
		return false
	}
	if len(p.Levels) == 0 {
		return p.Custom
	}
	for _, x := range p.Levels {
		if x == l {
			return true
		}
	}
	return false
}

// AllowedLevels returns the levels p may be granted at, ascending, as a new
// slice (all three for a custom permission with no declared levels).
func (p Permission) AllowedLevels() []Level {
	if len(p.Levels) == 0 && p.Custom {
		return AllLevels()
	}
	var out []Level
	for _, l := range AllLevels() {
		if p.Allows(l) {
			out = append(out, l)
		}
	}
	return out
}

// MaxLevel returns the widest level p may be granted at (LevelNone if none).
func (p Permission) MaxLevel() Level {
	for l := LevelSubsidiaries; l >= LevelUser; l-- {
		if p.Allows(l) {
			return l
		}
	}
	return LevelNone
}

// CheckGrant reports whether a role may grant p at level l. The error is a
// *guild.Error with code guild.EInvalid whose message names the levels the
// code allows, e.g. `permission create_quote cannot be granted at level
// 2 (Company); it allows 1 (User), 3 (Company and subsidiaries)`.
func CheckGrant(p Permission, l Level) error {
	if !l.Valid() {
		return guild.Errorf(guild.EInvalid,
			"permission level %d is not valid for %s; a level is 1 (User), 2 (Company) or 3 (Company and subsidiaries)",
			int(l), p.Code)
	}
	if p.Allows(l) {
		return nil
	}
	return guild.Errorf(guild.EInvalid, "permission %s cannot be granted at level %s; it allows %s",
		p.Code, l, levelList(p.AllowedLevels()))
}

func levelList(ls []Level) string {
	if len(ls) == 0 {
		return "no level"
	}
	s := make([]string, len(ls))
	for i, l := range ls {
		s[i] = l.String()
	}
	return strings.Join(s, ", ")
}

// Level sets of the predefined table (shared by the table only; Predefined
// hands out copies).
var (
	lv23  = []Level{LevelCompany, LevelSubsidiaries}
	lv123 = []Level{LevelUser, LevelCompany, LevelSubsidiaries}
	lv13  = []Level{LevelUser, LevelSubsidiaries}
	lv3   = []Level{LevelSubsidiaries}
)

// predefined is seed 002's permission table, in its order. It is never
// modified; Predefined returns copies.
var predefined = [...]Permission{
	{1, "get_addresses", "Get addresses", "View the Addresses area of the Buyer Portal", "address", lv23, false},
	{2, "get_address_detail", "Get address detail", "View the details of specific addresses", "address", lv23, false},
	{3, "get_default_shipping", "Get default shipping address", "Set the default shipping address for the Company", "address", lv23, false},
	{4, "get_default_billing", "Get default billing address", "Set the default billing address for the Company", "address", lv23, false},
	{5, "create_address", "Create address", "Create a new Company address", "address", lv23, false},
	{6, "update_address", "Update address", "Edit an existing Company address", "address", lv23, false},
	{7, "delete_address", "Delete address", "Delete an existing Company address", "address", lv23, false},
	{8, "get_invoices", "Get invoices", "View the Invoices area of the Buyer Portal", "invoice", lv23, false},
	{9, "get_invoice_detail", "Get invoice detail", "View the details of specific invoices", "invoice", lv23, false},
	{10, "export_invoices", "Export invoices", "Export invoices to a CSV file", "invoice", lv23, false},
	{11, "get_invoice_pdf", "Get invoice pdf", "Print or download invoice PDFs", "invoice", lv23, false},
	{12, "get_invoice_payments_history", "Get invoice payments history", "View a log of partial payments on a particular invoice", "invoice", lv23, false},
	{13, "pay_invoice", "Pay invoice", "Make a full or partial invoice payment", "invoice", lv23, false},
	{14, "get_orders", "Get orders", "View the My orders and Company orders area of the Buyer Portal, depending on the permission level", "order", lv123, false},
	{15, "get_order_detail", "Get order detail", "View the details of specific orders", "order", lv123, false},
	{16, "get_quotes", "Get quotes", "View the Quotes area of the Buyer Portal", "quote", lv123, false},
	{17, "get_quote_detail", "Get quote detail", "View the details of specific quotes", "quote", lv123, false},
	{18, "create_quote", "Create quote", "Request a quote from the Buyer Portal", "quote", lv13, false},
	{19, "update_quote_message", "Update quote message", "Submit a message on an existing quote", "quote", lv123, false},
	{20, "checkout_with_quote", "Checkout with quote", "Purchase a finalized quote", "quote", lv123, false},
	{21, "get_quote_pdf", "Get quote pdf", "Print or download quote PDFs", "quote", lv123, false},
	{22, "get_shopping_lists", "Get shopping lists", "View the Shopping lists area of the Buyer Portal", "shopping_list", lv123, false},
	{23, "get_shopping_list_detail", "Get shopping list detail", "View the details of specific Shopping Lists", "shopping_list", lv123, false},
	{24, "create_shopping_list", "Create shopping list", "Create a new Shopping List", "shopping_list", lv123, false},
	{25, "deplicate_shopping_list", "Deplicate shopping list", "Make a copy of an existing Shopping List", "shopping_list", lv123, false},
	{26, "update_shopping_list", "Update shopping list", "Edit the details of an existing Shopping List", "shopping_list", lv123, false},
	{27, "submit_shopping_list_for_approval", "Submit shopping list for approval", "Submit a Shopping List to a user with approval permissions", "shopping_list", lv13, false},
	{28, "approve_draft_shopping_list", "Approve draft shopping list", "Approve a pending Shopping List for purchase", "shopping_list", lv23, false},
	{29, "delete_shopping_list", "Delete shopping list", "Delete an existing Shopping List", "shopping_list", lv123, false},
	{30, "create_shopping_list_item", "Create shopping list item", "Add products to a Shopping List", "shopping_list", lv123, false},
	{31, "update_shopping_list_item", "Update shopping list item", "Update product information in a Shopping List", "shopping_list", lv123, false},
	{32, "delete_shopping_list_item", "Delete shopping list item", "Delete products from a Shopping List", "shopping_list", lv123, false},
	{33, "get_users", "Get users", "View the User management area of the Buyer Portal", "user", lv23, false},
	{34, "get_user_detail", "Get user detail", "View a Company user’s role and contact information", "user", lv23, false},
	{35, "create_user", "Create user", "Create a new Company user", "user", lv23, false},
	{36, "update_user", "Update user", "Edit an existing Company user", "user", lv23, false},
	{37, "delete_user", "Delete user", "Delete an existing Company user", "user", lv23, false},
	{38, "get_roles", "Get roles", "View available Company user roles", "user", lv23, false},
	{39, "purchase_enable", "Purchase Enable", "Allow the user to complete checkout", "purchase", lv23, false},
	{40, "get_company_subsidiaries", "Get company subsidiaries", "View the Company hierarchy area of the Buyer Portal", "company_hierarchy", lv3, false},
}

// predefinedIndex maps a predefined code to its position in predefined. It is
// built once and never modified.
var predefinedIndex = func() map[string]int {
	m := make(map[string]int, len(predefined))
	for i, p := range predefined {
		m[p.Code] = i
	}
	return m
}()

func clonePermission(p Permission) Permission {
	p.Levels = append([]Level(nil), p.Levels...)
	return p
}

// Predefined returns the vendor's predefined permissions (seed 002's table),
// in the table's order, as new values the caller may modify.
func Predefined() []Permission {
	out := make([]Permission, len(predefined))
	for i, p := range predefined {
		out[i] = clonePermission(p)
	}
	return out
}

// LookupPredefined returns the predefined permission with the given code
// (compared byte-exact) and whether there is one.
func LookupPredefined(code string) (Permission, bool) {
	i, ok := predefinedIndex[code]
	if !ok {
		return Permission{}, false
	}
	return clonePermission(predefined[i]), true
}
