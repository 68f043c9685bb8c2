package app

import (
	"strings"

	"github.com/biter777/countries"
	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/extrafield"
)

// CompanyInput is a new company with its first admin user.
type CompanyInput struct {
	Name, Phone, Email                                        string
	AddressLine1, AddressLine2, City, State, Country, ZipCode string
	UUID                                                      string

	AdminFirstName, AdminLastName, AdminEmail, AdminPhone string

	// CatalogID is the price list of a dependent-mode company; ignored in
	// independent mode, where it is read-only.
	CatalogID       int64
	ChannelIDs      []int64
	OriginChannelID int64
	// CustomerGroupID (independent mode): nil means the store's default
	// group, 0 means none. Ignored in dependent mode.
	CustomerGroupID *int64

	// Status is the new company's status; nil means approved, since the
	// merchant creating it is the one who approves.
	Status *guild.CompanyStatus

	ExtraFields     []extrafield.Input
	UserExtraFields []extrafield.Input

	// namesFromCustomer lets the admin's names be left out when a customer
	// with the admin email exists (converting a customer group, where the
	// vendor does not require them).
	namesFromCustomer bool
}

// CompanyPatch changes a company; nil fields stay as they are.
type CompanyPatch struct {
	ID                                                        int64 // bulk update only
	Name, Phone, Email                                        *string
	AddressLine1, AddressLine2, City, State, Country, ZipCode *string
	UUID                                                      *string
	CustomerGroupID                                           *int64
	PriceLists                                                *[]guild.PriceListAssignment
	ExtraFields                                               []extrafield.Input
}

// Field limits, from the vendor's schemas.
const (
	maxCompanyName  = 200
	maxCompanyEmail = 200
	maxCompanyPhone = 50
	maxAddressLine  = 200
	maxCity         = 100
	maxState        = 50
	maxCountry      = 200
	maxZip          = 50
	maxAdminName    = 100
	maxAdminEmail   = 100
	maxAdminPhone   = 100
	maxUUID         = 200
)

// resolveCountry accepts a full English country name or an ISO 3166-1 code
// and returns the alpha-2 code and the English short name.
func resolveCountry(s string) (code, name string, ok bool) {
	c := countries.ByName(strings.TrimSpace(s))
	// The library also knows non-countries (998 "None", given for "XX").
	if c == countries.Unknown || !c.IsValid() || len(c.Alpha2()) != 2 {
		return "", "", false
	}
	return c.Alpha2(), c.String(), true
}

// checkCountry validates a country field and fills code and name.
func (p *problems) country(field, v string, required bool, code, name *string) {
	v = p.text(field, v, required, maxCountry)
	if v == "" {
		*code, *name = "", ""
		return
	}
	c, n, ok := resolveCountry(v)
	if !ok {
		p.add(field, "%q is not a known country; give its full English name (e.g. \"United States\") or its ISO 3166-1 alpha-2 code (e.g. \"US\")", v)
		return
	}
	*code, *name = c, n
}

// validateNew checks a new company's own fields and returns the company to
// store (without group and ids).
func (in *CompanyInput) validate(p *problems) guild.Company {
	var c guild.Company
	c.Name = p.text("company_name", in.Name, true, maxCompanyName)
	c.Phone = p.text("company_phone", in.Phone, true, maxCompanyPhone)
	c.Email = p.email("company_email", in.Email, true, maxCompanyEmail)
	c.AddressLine1 = p.text("address_line1", in.AddressLine1, false, maxAddressLine)
	c.AddressLine2 = p.text("address_line2", in.AddressLine2, false, maxAddressLine)
	c.City = p.text("city", in.City, false, maxCity)
	c.State = p.text("state", in.State, false, maxState)
	p.country("country", in.Country, true, &c.CountryCode, &c.CountryName)
	c.ZipCode = p.text("zip_code", in.ZipCode, false, maxZip)
	c.UUID = p.text("uuid", in.UUID, false, maxUUID)
	in.AdminFirstName = p.text("admin_first_name", in.AdminFirstName, !in.namesFromCustomer, maxAdminName)
	in.AdminLastName = p.text("admin_last_name", in.AdminLastName, !in.namesFromCustomer, maxAdminName)
	if in.Status != nil && !in.Status.Valid() {
		p.add("company_status", "must be 0 (pending), 1 (approved), 2 (rejected) or 3 (inactive)")
	}
	in.AdminEmail = p.email("admin_email", in.AdminEmail, true, maxAdminEmail)
	in.AdminPhone = p.text("admin_phone_number", in.AdminPhone, false, maxAdminPhone)
	if in.CatalogID < 0 {
		p.add("catalog_id", "must be a price list id (a positive integer), or 0 for none")
	}
	p.ids("channel_ids", in.ChannelIDs)
	if in.OriginChannelID < 0 {
		p.add("origin_channel_id", "must be a positive channel id")
	}
	if in.CustomerGroupID != nil && *in.CustomerGroupID < 0 {
		p.add("customer_group_id", "must be a customer group id, or 0 for none")
	}
	return c
}

// apply checks a patch and applies it to c, returning the names of the
// fields that changed (vendor spelling).
func (pt *CompanyPatch) apply(p *problems, c *guild.Company) []string {
	var changed []string
	set := func(name string, dst *string, v string) {
		if *dst != v {
			*dst = v
			changed = append(changed, name)
		}
	}
	if pt.Name != nil {
		set("companyName", &c.Name, p.text("company_name", *pt.Name, true, maxCompanyName))
	}
	if pt.Phone != nil {
		set("companyPhone", &c.Phone, p.text("company_phone", *pt.Phone, true, maxCompanyPhone))
	}
	if pt.Email != nil {
		set("companyEmail", &c.Email, p.email("company_email", *pt.Email, true, maxCompanyEmail))
	}
	if pt.AddressLine1 != nil {
		set("addressLine1", &c.AddressLine1, p.text("address_line1", *pt.AddressLine1, false, maxAddressLine))
	}
	if pt.AddressLine2 != nil {
		set("addressLine2", &c.AddressLine2, p.text("address_line2", *pt.AddressLine2, false, maxAddressLine))
	}
	if pt.City != nil {
		set("city", &c.City, p.text("city", *pt.City, false, maxCity))
	}
	if pt.State != nil {
		set("state", &c.State, p.text("state", *pt.State, false, maxState))
	}
	if pt.Country != nil {
		code, name := c.CountryCode, c.CountryName
		p.country("country", *pt.Country, true, &code, &name)
		set("country", &c.CountryCode, code)
		c.CountryName = name
	}
	if pt.ZipCode != nil {
		set("zipCode", &c.ZipCode, p.text("zip_code", *pt.ZipCode, false, maxZip))
	}
	if pt.UUID != nil {
		set("uuid", &c.UUID, p.text("uuid", *pt.UUID, false, maxUUID))
	}
	if pt.CustomerGroupID != nil && *pt.CustomerGroupID < 0 {
		p.add("customer_group_id", "must be a customer group id, or 0 for none")
	}
	if pt.PriceLists != nil {
		seen := map[int64]int{}
		for i, l := range *pt.PriceLists {
			if l.ChannelID <= 0 || l.PriceListID < 0 {
				p.add("price_list_assign", "item %d: channelId must be a positive channel id and priceListId a price list id (0 removes the channel's price list)", i)
			}
			if j, dup := seen[l.ChannelID]; dup && l.ChannelID > 0 {
				p.add("price_list_assign", "items %d and %d both name channel %d: give each channel once", j, i, l.ChannelID)
			}
			seen[l.ChannelID] = i
		}
	}
	return changed
}
