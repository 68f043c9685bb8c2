package app

import (
	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/extrafield"
)

// AddressFields is a new address (create) or the changes to one (update);
// nil fields are absent. The errors of the address endpoints name fields in
// snake_case, as the vendor's address examples do (last_name).
type AddressFields struct {
	CompanyID                                                  *int64
	FirstName, LastName, Phone, ZipCode                        *string
	AddressLine1, AddressLine2, City                           *string
	StateName, StateCode, CountryName, CountryCode             *string
	IsBilling, IsShipping, IsDefaultBilling, IsDefaultShipping *bool
	Label, ExternalID                                          *string
	ExtraFields                                                []extrafield.Input
}

// Field limits of addresses. The vendor publishes none; these fit every
// ISO 3166-2 name and the companies' own limits.
const (
	maxAddressName  = 100
	maxAddressPhone = 50
	maxAddressState = 100
	maxAddressCode  = 10
	maxAddressLabel = 200
)

// apply checks the fields and applies them to a (an empty address when
// creating), returning the names of the fields that changed (snake_case).
func (in *AddressFields) apply(p *problems, a *guild.Address, creating bool) []string {
	var changed []string
	old := *a
	text := func(field string, v *string, dst *string, required bool, max int) {
		if v == nil {
			if creating && required {
				p.add(field, "is required")
			}
			return
		}
		s := p.text(field, *v, required, max)
		if s != *dst {
			*dst = s
			changed = append(changed, field)
		}
	}
	text("first_name", in.FirstName, &a.FirstName, true, maxAddressName)
	text("last_name", in.LastName, &a.LastName, true, maxAddressName)
	text("phone_number", in.Phone, &a.Phone, false, maxAddressPhone)
	text("zip_code", in.ZipCode, &a.ZipCode, false, maxZip)
	text("address_line1", in.AddressLine1, &a.AddressLine1, true, maxAddressLine)
	text("address_line2", in.AddressLine2, &a.AddressLine2, false, maxAddressLine)
	text("city", in.City, &a.City, true, maxCity)
	text("label", in.Label, &a.Label, false, maxAddressLabel)
	text("external_id", in.ExternalID, &a.ExternalID, false, maxUUID)

	switch {
	case in.CompanyID == nil && creating:
		p.add("company_id", "is required: the id of the company the address belongs to")
	case in.CompanyID == nil:
	case creating && *in.CompanyID <= 0:
		p.add("company_id", "must be the id of a company of this store (got %d)", *in.CompanyID)
	case creating:
		a.CompanyID = *in.CompanyID
	case *in.CompanyID != a.CompanyID:
		p.add("company_id", "is read-only: address %d belongs to company %d; create the address in the other company and delete this one", a.ID, a.CompanyID)
	}

	in.applyPlace(p, a, creating)
	for _, f := range []struct {
		name string
		v    *bool
		dst  *bool
	}{
		{"is_billing", in.IsBilling, &a.IsBilling}, {"is_shipping", in.IsShipping, &a.IsShipping},
		{"is_default_billing", in.IsDefaultBilling, &a.IsDefaultBilling}, {"is_default_shipping", in.IsDefaultShipping, &a.IsDefaultShipping},
	} {
		if f.v != nil && *f.v != *f.dst {
			*f.dst = *f.v
			changed = append(changed, f.name)
		}
	}
	if a.IsDefaultBilling && !a.IsBilling {
		p.add("is_default_billing", "needs is_billing: only a billing address can be the default billing address; send isBilling true with it")
	}
	if a.IsDefaultShipping && !a.IsShipping {
		p.add("is_default_shipping", "needs is_shipping: only a shipping address can be the default shipping address; send isShipping true with it")
	}
	for _, f := range []struct {
		name     string
		old, new string
	}{
		{"country_code", old.CountryCode, a.CountryCode}, {"country_name", old.CountryName, a.CountryName},
		{"state_code", old.StateCode, a.StateCode}, {"state_name", old.StateName, a.StateName},
	} {
		if f.old != f.new {
			changed = append(changed, f.name)
		}
	}
	return changed
}

// applyPlace resolves the country (by name or code, kept as both) and the
// state. For the countries that need a state, the state is one of the
// country's (by name or code, kept as both, each checked against the
// other); elsewhere it is free text. A new country without a state in the
// same request drops the old country's state.
func (in *AddressFields) applyPlace(p *problems, a *guild.Address, creating bool) {
	country := Place{Code: a.CountryCode, Name: a.CountryName}
	countryOK := true
	var byName, byCode Place
	nameGiven := in.CountryName != nil && p.text("country_name", *in.CountryName, false, maxCountry) != ""
	codeGiven := in.CountryCode != nil && p.text("country_code", *in.CountryCode, false, maxCountry) != ""
	if nameGiven {
		var ok bool
		if byName.Code, byName.Name, ok = resolveCountry(*in.CountryName); !ok {
			p.add("country_name", "%q is not a known country; give its English name (e.g. \"United States\", see GET /countries?searchType=0&q=...) or its ISO 3166-1 code in countryCode (e.g. \"US\")", *in.CountryName)
			countryOK = false
		}
	}
	if codeGiven {
		var ok bool
		if byCode.Code, byCode.Name, ok = resolveCountry(*in.CountryCode); !ok {
			p.add("country_code", "%q is not a known country code; give an ISO 3166-1 alpha-2 code (e.g. \"US\", see GET /countries?searchType=1&q=...)", *in.CountryCode)
			countryOK = false
		}
	}
	switch {
	case !countryOK:
	case nameGiven && codeGiven && byName.Code != byCode.Code:
		p.add("country_code", "%q is %s, but countryName %q is %s: give one of them, or both for the same country", *in.CountryCode, byCode.Name, *in.CountryName, byName.Name)
		countryOK = false
	case codeGiven:
		country = byCode
	case nameGiven:
		country = byName
	case creating || in.CountryName != nil || in.CountryCode != nil:
		p.add("country_name", "is required: give countryName (e.g. \"United States\") or countryCode (e.g. \"US\")")
		countryOK = false
	}
	if !countryOK {
		return
	}
	moved := country.Code != a.CountryCode
	a.CountryCode, a.CountryName = country.Code, country.Name

	var name, code string
	switch {
	case in.StateName != nil || in.StateCode != nil:
		if in.StateName != nil {
			name = p.text("state_name", *in.StateName, false, maxAddressState)
		}
		if in.StateCode != nil {
			code = p.text("state_code", *in.StateCode, false, maxAddressCode)
		}
	case moved:
		// The old state belongs to the old country.
	default:
		return
	}
	if !StateRequired(country.Code) {
		a.StateName, a.StateCode = name, code
		return
	}
	if name == "" && code == "" {
		p.add("state_name", "is required for addresses in %s: give stateName or stateCode (e.g. %s; GET /states?country=%s lists them)", country.Name, stateExample(country.Code), country.Code)
		return
	}
	var byStateName, byStateCode Place
	ok := true
	if name != "" {
		if byStateName, ok = LookupState(country.Code, name, false); !ok {
			p.add("state_name", "%q is not a state of %s: give one of its states (e.g. %s; GET /states?searchType=0&country=%s&q=... checks one)", name, country.Name, stateExample(country.Code), country.Code)
		}
	}
	if code != "" {
		var okCode bool
		if byStateCode, okCode = LookupState(country.Code, code, true); !okCode {
			p.add("state_code", "%q is not the code of a state of %s (e.g. %s; GET /states?searchType=1&country=%s&q=... checks one)", code, country.Name, stateExample(country.Code), country.Code)
			ok = false
		}
	}
	switch {
	case !ok:
	case name != "" && code != "" && byStateName.Code != byStateCode.Code:
		p.add("state_code", "%q is %s, but stateName %q is %s (code %s): give one of them, or both for the same state", code, byStateCode.Name, name, byStateName.Name, byStateName.Code)
	case code != "":
		a.StateName, a.StateCode = byStateCode.Name, byStateCode.Code
	default:
		a.StateName, a.StateCode = byStateName.Name, byStateName.Code
	}
}
