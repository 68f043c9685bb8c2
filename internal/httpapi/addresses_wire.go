package httpapi

import (
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
)

// The address endpoints (the vendor's address.yaml) name fields in their
// errors in snake_case, as its examples do (last_name).

// addressErrorKeys maps the wire's keys to the snake_case keys of the
// address endpoints' errors, for problems found while decoding a body.
var addressErrorKeys = map[string]string{
	"firstName": "first_name", "lastName": "last_name", "phoneNumber": "phone_number", "zipCode": "zip_code",
	"addressLine1": "address_line1", "addressLine2": "address_line2", "stateName": "state_name",
	"countryName": "country_name", "stateCode": "state_code", "countryCode": "country_code",
	"companyId": "company_id", "isBilling": "is_billing", "isShipping": "is_shipping",
	"isDefaultBilling": "is_default_billing", "isDefaultShipping": "is_default_shipping",
	"externalId": "external_id", "extraFields": "extra_fields",
}

// snakeKeys renames the field keys of a decoding error to the address
// endpoints' snake_case.
func snakeKeys(err error) error {
	var ge *guild.Error
	if !errors.As(err, &ge) || len(ge.Fields) == 0 {
		return err
	}
	out := *ge
	out.Fields = make(map[string][]string, len(ge.Fields))
	for k, v := range ge.Fields {
		if s, ok := addressErrorKeys[k]; ok {
			k = s
		}
		out.Fields[k] = append(out.Fields[k], v...)
	}
	keys := slices.Sorted(maps.Keys(out.Fields))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + strings.Join(out.Fields[k], "; ")
	}
	out.Message = strings.Join(parts, "; ")
	return &out
}

// addressIn is the body of create, of bulk create's items and of update.
type addressIn struct {
	FirstName         Str            `json:"firstName"`
	LastName          Str            `json:"lastName"`
	PhoneNumber       Str            `json:"phoneNumber"`
	ZipCode           Str            `json:"zipCode"`
	AddressLine1      Str            `json:"addressLine1"`
	AddressLine2      Str            `json:"addressLine2"`
	City              Str            `json:"city"`
	StateName         Str            `json:"stateName"`
	CountryName       Str            `json:"countryName"`
	StateCode         Str            `json:"stateCode"`
	CountryCode       Str            `json:"countryCode"`
	CompanyID         Int            `json:"companyId"`
	IsBilling         Bool           `json:"isBilling"`
	IsShipping        Bool           `json:"isShipping"`
	IsDefaultBilling  Bool           `json:"isDefaultBilling"`
	IsDefaultShipping Bool           `json:"isDefaultShipping"`
	Label             Str            `json:"label"`
	ExternalID        Str            `json:"externalId"`
	ExtraFields       extraFieldList `json:"extraFields"`
}

// readAddress reads an address body; problems found while decoding it are
// named in snake_case, as the vendor's address errors are.
func readAddress(w http.ResponseWriter, r *http.Request) (app.AddressFields, error) {
	var body addressIn
	if err := decodeBody(w, r, '{', &body); err != nil {
		return app.AddressFields{}, snakeKeys(err)
	}
	return body.toFields()
}

func (in addressIn) toFields() (app.AddressFields, error) {
	var c checker
	strs := []struct {
		name string
		v    Str
	}{
		{"first_name", in.FirstName}, {"last_name", in.LastName}, {"phone_number", in.PhoneNumber}, {"zip_code", in.ZipCode},
		{"address_line1", in.AddressLine1}, {"address_line2", in.AddressLine2}, {"city", in.City},
		{"state_name", in.StateName}, {"country_name", in.CountryName}, {"state_code", in.StateCode},
		{"country_code", in.CountryCode}, {"label", in.Label}, {"external_id", in.ExternalID},
	}
	for _, s := range strs {
		c.str(s.name, s.v)
	}
	c.int("company_id", in.CompanyID)
	for name, v := range map[string]Bool{"is_billing": in.IsBilling, "is_shipping": in.IsShipping,
		"is_default_billing": in.IsDefaultBilling, "is_default_shipping": in.IsDefaultShipping} {
		c.bool(name, v)
	}
	out := app.AddressFields{
		CompanyID: in.CompanyID.Ptr(), FirstName: in.FirstName.Ptr(), LastName: in.LastName.Ptr(),
		Phone: in.PhoneNumber.Ptr(), ZipCode: in.ZipCode.Ptr(), AddressLine1: in.AddressLine1.Ptr(),
		AddressLine2: in.AddressLine2.Ptr(), City: in.City.Ptr(), StateName: in.StateName.Ptr(),
		StateCode: in.StateCode.Ptr(), CountryName: in.CountryName.Ptr(), CountryCode: in.CountryCode.Ptr(),
		IsBilling: in.IsBilling.Ptr(), IsShipping: in.IsShipping.Ptr(), IsDefaultBilling: in.IsDefaultBilling.Ptr(),
		IsDefaultShipping: in.IsDefaultShipping.Ptr(), Label: in.Label.Ptr(), ExternalID: in.ExternalID.Ptr(),
		ExtraFields: in.ExtraFields.check(&c, "extra_fields"),
	}
	return out, c.err()
}

// addressExtraFieldOut is an address's extra-field value, as the vendor's
// extraFields_BASIC.
type addressExtraFieldOut struct {
	FieldName  string `json:"fieldName"`
	FieldValue string `json:"fieldValue"`
	FieldType  int    `json:"fieldType"`
}

// addressOut is the vendor's addressFields_GET. createdAt and updatedAt
// are Guild's additions (the list filters on them).
type addressOut struct {
	AddressID         int64                  `json:"addressId"`
	FirstName         string                 `json:"firstName"`
	LastName          string                 `json:"lastName"`
	PhoneNumber       string                 `json:"phoneNumber"`
	ZipCode           string                 `json:"zipCode"`
	AddressLine1      string                 `json:"addressLine1"`
	AddressLine2      string                 `json:"addressLine2"`
	City              string                 `json:"city"`
	StateName         string                 `json:"stateName"`
	CountryName       string                 `json:"countryName"`
	StateCode         string                 `json:"stateCode"`
	CountryCode       string                 `json:"countryCode"`
	CompanyID         int64                  `json:"companyId"`
	IsBilling         bool                   `json:"isBilling"`
	IsShipping        bool                   `json:"isShipping"`
	IsDefaultBilling  bool                   `json:"isDefaultBilling"`
	IsDefaultShipping bool                   `json:"isDefaultShipping"`
	Label             string                 `json:"label"`
	ExternalID        string                 `json:"externalId"`
	ExtraFields       []addressExtraFieldOut `json:"extraFields,omitzero"`
	CreatedAt         int64                  `json:"createdAt"`
	UpdatedAt         int64                  `json:"updatedAt"`
}

func renderAddress(a guild.Address, withExtra bool) addressOut {
	out := addressOut{
		AddressID: a.ID, FirstName: a.FirstName, LastName: a.LastName, PhoneNumber: a.Phone, ZipCode: a.ZipCode,
		AddressLine1: a.AddressLine1, AddressLine2: a.AddressLine2, City: a.City, StateName: a.StateName,
		CountryName: a.CountryName, StateCode: a.StateCode, CountryCode: a.CountryCode, CompanyID: a.CompanyID,
		IsBilling: a.IsBilling, IsShipping: a.IsShipping, IsDefaultBilling: a.IsDefaultBilling,
		IsDefaultShipping: a.IsDefaultShipping, Label: a.Label, ExternalID: a.ExternalID,
		CreatedAt: a.CreatedAt.Unix(), UpdatedAt: a.UpdatedAt.Unix(),
	}
	if withExtra {
		out.ExtraFields = make([]addressExtraFieldOut, 0, len(a.ExtraFields))
		for _, v := range a.ExtraFields {
			if v.Def != nil {
				out.ExtraFields = append(out.ExtraFields, addressExtraFieldOut{FieldName: v.Def.Name, FieldValue: v.Value, FieldType: int(v.Def.Type)})
			}
		}
	}
	return out
}

type addressIDOut struct {
	AddressID int64 `json:"addressId"`
}

// parseAddressQuery reads the query of GET /addresses (and of the buyer
// API's list, which ignores companyId).
func parseAddressQuery(v url.Values) (app.AddressQuery, error) {
	var c checker
	var q app.AddressQuery
	q.Limit = queryInt(&c, v, "limit", app.DefaultLimit)
	q.Offset = queryInt(&c, v, "offset", 0)
	q.MinModified = queryTime(&c, v, "minModified")
	q.MaxModified = queryTime(&c, v, "maxModified")
	q.MinCreated = queryTime(&c, v, "minCreated")
	q.MaxCreated = queryTime(&c, v, "maxCreated")
	q.CompanyID = queryID(&c, v, "companyId")
	q.IsBilling = queryBool(&c, v, "isBilling")
	q.IsShipping = queryBool(&c, v, "isShipping")
	q.IncludeExtraFields = queryFlag(&c, v, "isIncludeExtraFields")
	q.FirstName = strings.TrimSpace(v.Get("firstName"))
	q.LastName = strings.TrimSpace(v.Get("lastName"))
	q.Address = strings.TrimSpace(v.Get("address"))
	q.City = strings.TrimSpace(v.Get("city"))
	q.Country = strings.TrimSpace(v.Get("country"))
	q.State = strings.TrimSpace(v.Get("state"))
	q.ZipCode = strings.TrimSpace(v.Get("zipCode"))
	q.PhoneNumber = strings.TrimSpace(v.Get("phoneNumber"))
	// externalId[]: repeated, comma-separated, with or without brackets.
	for _, raw := range append(v["externalId[]"], v["externalId"]...) {
		for _, s := range strings.Split(raw, ",") {
			if s = strings.TrimSpace(s); s != "" {
				q.ExternalIDs = append(q.ExternalIDs, s)
			}
		}
	}
	return q, c.err()
}

// queryBool reads true/false (or 1/0); absent or "" is nil.
func queryBool(c *checker, v url.Values, name string) *bool {
	switch s := strings.ToLower(strings.TrimSpace(v.Get(name))); s {
	case "":
		return nil
	case "1", "true":
		b := true
		return &b
	case "0", "false":
		b := false
		return &b
	default:
		c.add(name, "must be true or false (got %q)", s)
		return nil
	}
}
