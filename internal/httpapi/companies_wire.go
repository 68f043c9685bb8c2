package httpapi

import (
	"bytes"
	"encoding/json"
	"strconv"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
	"github.com/guild-b2b/guild/internal/extrafield"
)

// extraFieldIn is the wire's {fieldName, fieldValue}.
type extraFieldIn struct {
	FieldName  Str `json:"fieldName"`
	FieldValue Str `json:"fieldValue"`
}

// extraFieldList accepts an array of {fieldName, fieldValue}, or one such
// object (bulk create's schema types it as a single object).
type extraFieldList []extraFieldIn

// UnmarshalJSON implements json.Unmarshaler.
func (l *extraFieldList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var one extraFieldIn
		if err := json.Unmarshal(b, &one); err != nil {
			return err
		}
		*l = extraFieldList{one}
		return nil
	}
	if string(b) == "null" {
		*l = nil
		return nil
	}
	var many []extraFieldIn
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*l = many
	return nil
}

func (l extraFieldList) check(c *checker, field string) []extrafield.Input {
	out := make([]extrafield.Input, 0, len(l))
	for i, f := range l {
		c.str(field+"."+strconv.Itoa(i)+".fieldName", f.FieldName)
		c.str(field+"."+strconv.Itoa(i)+".fieldValue", f.FieldValue)
		out = append(out, extrafield.Input{Name: f.FieldName.V, Value: f.FieldValue.V})
	}
	return out
}

// companyIn is the body of create, bulk create and convert.
type companyIn struct {
	CompanyName         Str            `json:"companyName"`
	CompanyPhone        Str            `json:"companyPhone"`
	CompanyEmail        Str            `json:"companyEmail"`
	AddressLine1        Str            `json:"addressLine1"`
	AddressLine2        Str            `json:"addressLine2"`
	City                Str            `json:"city"`
	State               Str            `json:"state"`
	Country             Str            `json:"country"`
	ZipCode             Str            `json:"zipCode"`
	UUID                Str            `json:"uuid"`
	AdminFirstName      Str            `json:"adminFirstName"`
	AdminLastName       Str            `json:"adminLastName"`
	AdminEmail          Str            `json:"adminEmail"`
	AdminPhoneNumber    Str            `json:"adminPhoneNumber"`
	CatalogID           Int            `json:"catalogId"`
	AcceptCreationEmail Bool           `json:"acceptCreationEmail"`
	AcceptWelcomeEmail  Bool           `json:"acceptWelcomeEmail"`
	ChannelIDs          []Int          `json:"channelIds"`
	OriginChannelID     Int            `json:"originChannelId"`
	CustomerGroupID     Int            `json:"customerGroupId"`
	CompanyStatus       Int            `json:"companyStatus"` // Guild's extension; default approved
	ExtraFields         extraFieldList `json:"extraFields"`
	UserExtraFields     extraFieldList `json:"userExtraFields"`
}

func (in companyIn) toInput() (app.CompanyInput, error) {
	var c checker
	for name, v := range map[string]Str{
		"company_name": in.CompanyName, "company_phone": in.CompanyPhone, "company_email": in.CompanyEmail,
		"address_line1": in.AddressLine1, "address_line2": in.AddressLine2, "city": in.City, "state": in.State,
		"country": in.Country, "zip_code": in.ZipCode, "uuid": in.UUID, "admin_first_name": in.AdminFirstName,
		"admin_last_name": in.AdminLastName, "admin_email": in.AdminEmail, "admin_phone_number": in.AdminPhoneNumber,
	} {
		c.str(name, v)
	}
	c.int("catalog_id", in.CatalogID)
	c.int("origin_channel_id", in.OriginChannelID)
	c.int("customer_group_id", in.CustomerGroupID)
	c.int("company_status", in.CompanyStatus)
	c.bool("accept_creation_email", in.AcceptCreationEmail)
	c.bool("accept_welcome_email", in.AcceptWelcomeEmail)
	channels := make([]int64, 0, len(in.ChannelIDs))
	for _, ch := range in.ChannelIDs {
		c.int("channel_ids", ch)
		if ch.Ptr() != nil {
			channels = append(channels, ch.V)
		}
	}
	out := app.CompanyInput{
		Name: in.CompanyName.V, Phone: in.CompanyPhone.V, Email: in.CompanyEmail.V,
		AddressLine1: in.AddressLine1.V, AddressLine2: in.AddressLine2.V, City: in.City.V, State: in.State.V,
		Country: in.Country.V, ZipCode: in.ZipCode.V, UUID: in.UUID.V,
		AdminFirstName: in.AdminFirstName.V, AdminLastName: in.AdminLastName.V, AdminEmail: in.AdminEmail.V,
		AdminPhone: in.AdminPhoneNumber.V, CatalogID: in.CatalogID.V, ChannelIDs: channels,
		OriginChannelID: in.OriginChannelID.V, CustomerGroupID: in.CustomerGroupID.Ptr(),
		Status:          statusPtr(in.CompanyStatus),
		ExtraFields:     in.ExtraFields.check(&c, "extra_fields"),
		UserExtraFields: in.UserExtraFields.check(&c, "user_extra_fields"),
	}
	return out, c.err()
}

type priceListIn struct {
	ChannelID   Int `json:"channelId"`
	PriceListID Int `json:"priceListId"`
}

// companyPatchIn is the body of update and of bulk update's items.
type companyPatchIn struct {
	CompanyID       Int            `json:"companyId"`
	CompanyName     Str            `json:"companyName"`
	CompanyPhone    Str            `json:"companyPhone"`
	CompanyEmail    Str            `json:"companyEmail"`
	AddressLine1    Str            `json:"addressLine1"`
	AddressLine2    Str            `json:"addressLine2"`
	City            Str            `json:"city"`
	State           Str            `json:"state"`
	Country         Str            `json:"country"`
	ZipCode         Str            `json:"zipCode"`
	UUID            Str            `json:"uuid"`
	CustomerGroupID Int            `json:"customerGroupId"`
	PriceListAssign *[]priceListIn `json:"priceListAssign"`
	ExtraFields     extraFieldList `json:"extraFields"`
}

func (in companyPatchIn) toPatch() (app.CompanyPatch, error) {
	var c checker
	for name, v := range map[string]Str{
		"company_name": in.CompanyName, "company_phone": in.CompanyPhone, "company_email": in.CompanyEmail,
		"address_line1": in.AddressLine1, "address_line2": in.AddressLine2, "city": in.City, "state": in.State,
		"country": in.Country, "zip_code": in.ZipCode, "uuid": in.UUID,
	} {
		c.str(name, v)
	}
	c.int("company_id", in.CompanyID)
	c.int("customer_group_id", in.CustomerGroupID)
	pt := app.CompanyPatch{
		ID: in.CompanyID.V, Name: in.CompanyName.Ptr(), Phone: in.CompanyPhone.Ptr(), Email: in.CompanyEmail.Ptr(),
		AddressLine1: in.AddressLine1.Ptr(), AddressLine2: in.AddressLine2.Ptr(), City: in.City.Ptr(),
		State: in.State.Ptr(), Country: in.Country.Ptr(), ZipCode: in.ZipCode.Ptr(), UUID: in.UUID.Ptr(),
		CustomerGroupID: in.CustomerGroupID.Ptr(),
		ExtraFields:     in.ExtraFields.check(&c, "extra_fields"),
	}
	if in.PriceListAssign != nil {
		lists := make([]guild.PriceListAssignment, 0, len(*in.PriceListAssign))
		for _, l := range *in.PriceListAssign {
			c.int("price_list_assign.channel_id", l.ChannelID)
			c.int("price_list_assign.price_list_id", l.PriceListID)
			lists = append(lists, guild.PriceListAssignment{ChannelID: l.ChannelID.V, PriceListID: l.PriceListID.V})
		}
		pt.PriceLists = &lists
	}
	return pt, c.err()
}

// extraFieldOut renders one extra-field value as the vendor does.
type extraFieldOut struct {
	FieldName  string `json:"fieldName"`
	FieldValue string `json:"fieldValue"`
	LabelName  string `json:"labelName"`
	IsRequired string `json:"isRequired"`
	DataType   string `json:"dataType"`
	FieldType  int    `json:"fieldType"`
}

func renderExtraFields(values []guild.ExtraFieldValue) []extraFieldOut {
	out := make([]extraFieldOut, 0, len(values))
	for _, v := range values {
		if v.Def == nil {
			continue
		}
		req := "0"
		if v.Def.Required {
			req = "1"
		}
		out = append(out, extraFieldOut{
			FieldName: v.Def.Name, FieldValue: v.Value, LabelName: v.Def.Name, IsRequired: req,
			DataType: strconv.Itoa(int(v.Def.Type)), FieldType: int(v.Def.Type),
		})
	}
	return out
}

// companyCommon holds the fields list items and detail share. Scalar types
// follow the vendor's examples: ids, status and times as strings.
type companyCommon struct {
	CompanyID     string `json:"companyId"`
	CompanyName   string `json:"companyName"`
	BcGroupName   string `json:"bcGroupName"`
	CompanyEmail  string `json:"companyEmail"`
	CompanyPhone  string `json:"companyPhone"`
	CompanyStatus string `json:"companyStatus"`
	UUID          string `json:"uuid"`
	CatalogID     string `json:"catalogId"`
	CatalogName   string `json:"catalogName"`
	UpdatedAt     string `json:"updatedAt"`
	CreatedAt     string `json:"createdAt"`
	// Guild's extensions: the company's address, which the vendor accepts
	// but never shows.
	AddressLine1 string `json:"addressLine1"`
	AddressLine2 string `json:"addressLine2"`
	City         string `json:"city"`
	State        string `json:"state"`
	Country      string `json:"country"`
	CountryCode  string `json:"countryCode"`
	ZipCode      string `json:"zipCode"`
}

// companyListItem: bcGroupId is an integer in the list.
type companyListItem struct {
	companyCommon
	ExtraFields []extraFieldOut `json:"extraFields,omitzero"`
	BcGroupID   int64           `json:"bcGroupId"`
}

type priceListOut struct {
	ChannelID     int64  `json:"channelId"`
	PriceListID   int64  `json:"priceListId"`
	PriceListName string `json:"priceListName"`
	ChannelName   string `json:"channelName"`
}

// companyDetail: bcGroupId is a string in the detail.
type companyDetail struct {
	companyCommon
	ExtraFields     []extraFieldOut  `json:"extraFields"`
	PriceListAssign []priceListOut   `json:"priceListAssign"`
	BcGroupID       string           `json:"bcGroupId"`
	ParentCompany   parentCompanyOut `json:"parentCompany"`
}

func idString(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

func common(c guild.Company) companyCommon {
	return companyCommon{
		CompanyID: strconv.FormatInt(c.ID, 10), CompanyName: c.Name, BcGroupName: c.CustomerGroupName,
		CompanyEmail: c.Email, CompanyPhone: c.Phone, CompanyStatus: strconv.Itoa(int(c.Status)),
		UUID: c.UUID, CatalogID: idString(c.CatalogID), CatalogName: "",
		UpdatedAt: strconv.FormatInt(c.UpdatedAt.Unix(), 10), CreatedAt: strconv.FormatInt(c.CreatedAt.Unix(), 10),
		AddressLine1: c.AddressLine1, AddressLine2: c.AddressLine2, City: c.City, State: c.State,
		Country: c.CountryName, CountryCode: c.CountryCode, ZipCode: c.ZipCode,
	}
}

func renderCompanyDetail(c guild.Company) companyDetail {
	lists := make([]priceListOut, 0, len(c.PriceLists))
	for _, l := range c.PriceLists {
		lists = append(lists, priceListOut{ChannelID: l.ChannelID, PriceListID: l.PriceListID})
	}
	return companyDetail{companyCommon: common(c), ExtraFields: renderExtraFields(c.ExtraFields), PriceListAssign: lists,
		BcGroupID: strconv.FormatInt(c.CustomerGroupID, 10), ParentCompany: parentCompanyOut{ID: c.ParentID, Name: c.ParentName}}
}

func renderCompanyListItem(c guild.Company, withExtra bool) companyListItem {
	item := companyListItem{companyCommon: common(c), BcGroupID: c.CustomerGroupID}
	if withExtra {
		item.ExtraFields = renderExtraFields(c.ExtraFields)
		if item.ExtraFields == nil {
			item.ExtraFields = []extraFieldOut{}
		}
	}
	return item
}

// DecodeCompanyInput reads one company in the create body's JSON format
// (as the API accepts it), for bulk loaders.
func DecodeCompanyInput(b []byte) (app.CompanyInput, error) {
	var in companyIn
	if err := json.Unmarshal(b, &in); err != nil {
		return app.CompanyInput{}, guild.Errorf(guild.EInvalid, "not a company object: %v", err)
	}
	return in.toInput()
}

func statusPtr(i Int) *guild.CompanyStatus {
	p := i.Ptr()
	if p == nil {
		return nil
	}
	s := guild.CompanyStatus(*p)
	return &s
}
