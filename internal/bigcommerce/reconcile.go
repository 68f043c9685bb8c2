package bigcommerce

import (
	"strconv"
	"strings"

	guild "github.com/guild-b2b/guild"
)

// This file says which BigCommerce fields a Guild entity should produce,
// and compares them with what BigCommerce holds: the reconcile's measure of
// drift. The connector sends the same fields.

// GroupFields are the fields of a BigCommerce customer group that Guild
// keeps in line: its name. A dependent-mode company's group carries the
// company's name (Guild renames the group with the company).
type GroupFields struct {
	Name string
}

// CustomerFields are the fields of a BigCommerce customer that Guild keeps
// in line for a customer backing a company user or a super admin. Channels
// are not compared: BigCommerce reports a customer of every channel as none.
type CustomerFields struct {
	Email           string
	FirstName       string
	LastName        string
	Phone           string
	Company         string
	CustomerGroupID int // BigCommerce's group id; 0 is no group
}

// FieldDiff is one field that differs: its BigCommerce name and both values.
type FieldDiff struct {
	Field       string
	Guild       string
	BigCommerce string
}

// ExpectedGroup is the BigCommerce group a Guild customer group should be.
func ExpectedGroup(g guild.CustomerGroup) GroupFields {
	return GroupFields{Name: g.Name}
}

// RemoteGroup is what a BigCommerce group holds of GroupFields.
func RemoteGroup(g CustomerGroup) GroupFields {
	return GroupFields{Name: g.Name}
}

// ExpectedCustomer is the BigCommerce customer a Guild customer record
// should be; remoteGroupID is the BigCommerce id of the customer's Guild
// group (0 when it has none).
func ExpectedCustomer(c guild.Customer, remoteGroupID int) CustomerFields {
	return CustomerFields{Email: c.Email, FirstName: c.FirstName, LastName: c.LastName, Phone: c.Phone,
		Company: c.CompanyName, CustomerGroupID: remoteGroupID}
}

// RemoteCustomer is what a BigCommerce customer holds of CustomerFields.
func RemoteCustomer(c Customer) CustomerFields {
	return CustomerFields{Email: c.Email, FirstName: c.FirstName, LastName: c.LastName, Phone: c.Phone,
		Company: c.Company, CustomerGroupID: c.CustomerGroupID}
}

// DiffGroup lists the fields of want (Guild's) that got (BigCommerce's)
// does not match, in a fixed order.
func DiffGroup(want, got GroupFields) []FieldDiff {
	if want.Name != got.Name {
		return []FieldDiff{{Field: "name", Guild: want.Name, BigCommerce: got.Name}}
	}
	return nil
}

// DiffCustomer lists the fields of want (Guild's) that got (BigCommerce's)
// does not match, in a fixed order. Emails are compared ignoring case, as
// BigCommerce does. skipGroup leaves customer_group_id out (when Guild's
// group has no BigCommerce id yet, the expected value is unknown).
func DiffCustomer(want, got CustomerFields, skipGroup bool) []FieldDiff {
	var d []FieldDiff
	add := func(field, w, g string) {
		if w != g {
			d = append(d, FieldDiff{Field: field, Guild: w, BigCommerce: g})
		}
	}
	if !strings.EqualFold(want.Email, got.Email) {
		d = append(d, FieldDiff{Field: "email", Guild: want.Email, BigCommerce: got.Email})
	}
	add("first_name", want.FirstName, got.FirstName)
	add("last_name", want.LastName, got.LastName)
	add("phone", want.Phone, got.Phone)
	add("company", want.Company, got.Company)
	if !skipGroup {
		add("customer_group_id", strconv.Itoa(want.CustomerGroupID), strconv.Itoa(got.CustomerGroupID))
	}
	return d
}
