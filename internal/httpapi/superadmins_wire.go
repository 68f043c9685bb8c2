package httpapi

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
)

// superAdminIn is the body of create and of bulk create's items.
type superAdminIn struct {
	FirstName       Str            `json:"firstName"`
	LastName        Str            `json:"lastName"`
	Email           Str            `json:"email"`
	Phone           Str            `json:"phone"`
	UUID            Str            `json:"uuid"`
	OriginChannelID Int            `json:"originChannelId"`
	ChannelIDs      *[]Int         `json:"channelIds"`
	ExtraFields     extraFieldList `json:"extraFields"`
}

func (in superAdminIn) toInput() (app.SuperAdminInput, error) {
	var c checker
	for name, v := range map[string]Str{
		"firstName": in.FirstName, "lastName": in.LastName, "email": in.Email, "phone": in.Phone, "uuid": in.UUID,
	} {
		c.str(name, v)
	}
	c.int("originChannelId", in.OriginChannelID)
	out := app.SuperAdminInput{
		FirstName: in.FirstName.V, LastName: in.LastName.V, Email: in.Email.V, Phone: in.Phone.V, UUID: in.UUID.V,
		ChannelIDs: derefIDs(channelIDList(&c, "channelIds", in.ChannelIDs)), OriginChannelID: in.OriginChannelID.V,
		ExtraFields: in.ExtraFields.check(&c, "extraFields"),
	}
	return out, c.err()
}

// superAdminPatchIn is the body of PUT /super-admins/info/{superAdminId}.
type superAdminPatchIn struct {
	FirstName   Str            `json:"firstName"`
	LastName    Str            `json:"lastName"`
	Email       Str            `json:"email"` // read-only
	Phone       Str            `json:"phone"`
	UUID        Str            `json:"uuid"`
	ChannelIDs  *[]Int         `json:"channelIds"`
	ExtraFields extraFieldList `json:"extraFields"`
}

func (in superAdminPatchIn) toPatch() (app.SuperAdminPatch, error) {
	var c checker
	for name, v := range map[string]Str{
		"firstName": in.FirstName, "lastName": in.LastName, "email": in.Email, "phone": in.Phone, "uuid": in.UUID,
	} {
		c.str(name, v)
	}
	pt := app.SuperAdminPatch{
		FirstName: in.FirstName.Ptr(), LastName: in.LastName.Ptr(), Email: in.Email.Ptr(), Phone: in.Phone.Ptr(),
		UUID: in.UUID.Ptr(), ChannelIDs: channelIDList(&c, "channelIds", in.ChannelIDs),
		ExtraFields: in.ExtraFields.check(&c, "extraFields"),
	}
	return pt, c.err()
}

// assignmentIn is one item of an assignment request: a company's id for a
// super admin's assignments, a super admin's for a company's.
type assignmentIn struct {
	CompanyID    Int  `json:"companyId"`
	SuperAdminID Int  `json:"superAdminId"`
	IsAssigned   Bool `json:"isAssigned"`
}

// companyAssignmentsIn is the body of PUT /super-admins/{superAdminId}.
type companyAssignmentsIn struct {
	Companies *[]assignmentIn `json:"companies"`
}

// superAdminAssignmentsIn is the body of PUT /companies/{companyId}/super-admins.
type superAdminAssignmentsIn struct {
	SuperAdmins *[]assignmentIn `json:"superAdmins"`
}

// toAssignments reads an assignment list, named field in the body, whose
// items name their id in idKey.
func toAssignments(list *[]assignmentIn, field, idKey string) ([]app.Assignment, error) {
	var c checker
	if list == nil {
		c.add(field, "is required: a list of {%s, isAssigned}", idKey)
		return nil, c.err()
	}
	out := make([]app.Assignment, 0, len(*list))
	for i, item := range *list {
		id := item.CompanyID
		if idKey == "superAdminId" {
			id = item.SuperAdminID
		}
		key := field + "." + strconv.Itoa(i) + "."
		c.int(key+idKey, id)
		c.bool(key+"isAssigned", item.IsAssigned)
		if id.Ptr() == nil && id.Bad == "" {
			c.add(key+idKey, "is required")
		}
		if !item.IsAssigned.Set {
			c.add(key+"isAssigned", "is required: true assigns, false unassigns")
		}
		out = append(out, app.Assignment{ID: id.V, Assigned: item.IsAssigned.V})
	}
	return out, c.err()
}

// superAdminOut is the vendor's superAdminResponse, with the customer id.
type superAdminOut struct {
	ID          int64                `json:"id"`
	FirstName   string               `json:"firstName"`
	LastName    string               `json:"lastName"`
	Email       string               `json:"email"`
	Phone       string               `json:"phone"`
	UUID        string               `json:"uuid"`
	CustomerID  int64                `json:"customerId"`
	CreatedAt   int64                `json:"createdAt"`
	UpdatedAt   int64                `json:"updatedAt"`
	ChannelList []channelOut         `json:"channelList"`
	ExtraFields []extraFieldValueOut `json:"extraFields,omitzero"`
	// CompanyCount is the number of companies assigned (Guild's extension,
	// on GET /companies/super-admins, whose description promises it).
	CompanyCount *int `json:"companyCount,omitempty"`
}

// renderSuperAdmin renders sa; withExtra adds extraFields, always empty
// since Guild keeps no extra fields for super admins.
func renderSuperAdmin(sa guild.SuperAdmin, withExtra bool) superAdminOut {
	out := superAdminOut{
		ID: sa.ID, FirstName: sa.FirstName, LastName: sa.LastName, Email: sa.Email, Phone: sa.Phone, UUID: sa.UUID,
		CustomerID: sa.CustomerID, CreatedAt: sa.CreatedAt.Unix(), UpdatedAt: sa.UpdatedAt.Unix(),
		ChannelList: renderChannels(sa.ChannelIDs),
	}
	if withExtra {
		out.ExtraFields = []extraFieldValueOut{}
	}
	return out
}

type createdSuperAdminOut struct {
	UserID     int64 `json:"userId"`
	CustomerID int64 `json:"customerId"`
}

type bulkSuperAdminsOut struct {
	SuperAdminIDs []int64 `json:"superAdminIds"`
}

// companyCoreOut is the vendor's companyCore, as the super-admin endpoints
// show a company: companyId is an integer there.
type companyCoreOut struct {
	CompanyID    int64  `json:"companyId"`
	CompanyName  string `json:"companyName"`
	CompanyEmail string `json:"companyEmail"`
}

// companySuperAdminsOut is an item of GET /super-admins/companies.
type companySuperAdminsOut struct {
	companyCoreOut
	Description  string  `json:"description"`
	AddressLine1 string  `json:"addressLine1"`
	AddressLine2 string  `json:"addressLine2"`
	City         string  `json:"city"`
	State        string  `json:"state"`
	Country      string  `json:"country"`
	ZipCode      string  `json:"zipCode"`
	CatalogID    *string `json:"catalogId"`
	// SuperAdminCount counts the super admins assigned to the company.
	SuperAdminCount int `json:"superAdminCount"`
}

func renderCompanyCore(c guild.Company) companyCoreOut {
	return companyCoreOut{CompanyID: c.ID, CompanyName: c.Name, CompanyEmail: c.Email}
}

func renderCompanySuperAdmins(c app.CompanyWithSuperAdmins) companySuperAdminsOut {
	out := companySuperAdminsOut{
		companyCoreOut: renderCompanyCore(c.Company), AddressLine1: c.AddressLine1, AddressLine2: c.AddressLine2,
		City: c.City, State: c.State, Country: c.CountryName, ZipCode: c.ZipCode, SuperAdminCount: c.SuperAdminCount,
	}
	if c.CatalogID != 0 {
		s := strconv.FormatInt(c.CatalogID, 10)
		out.CatalogID = &s
	}
	return out
}

// queryOrder reads orderBy: ASC or DESC (the default), in any case.
func queryOrder(c *checker, v url.Values) (descending bool) {
	switch ob := strings.ToUpper(strings.TrimSpace(v.Get("orderBy"))); ob {
	case "", "DESC":
		return true
	case "ASC":
		return false
	default:
		c.add("orderBy", "must be ASC or DESC (got %q)", v.Get("orderBy"))
		return true
	}
}

// queryPage reads limit (default 10) and offset.
func queryPage(c *checker, v url.Values) guild.Page {
	return guild.Page{Limit: queryInt(c, v, "limit", app.DefaultLimit), Offset: queryInt(c, v, "offset", 0)}
}

// parseSuperAdminQuery reads the query of GET /companies/super-admins.
func parseSuperAdminQuery(v url.Values) (app.SuperAdminQuery, bool, error) {
	var c checker
	pg := queryPage(&c, v)
	q := app.SuperAdminQuery{
		Limit: pg.Limit, Offset: pg.Offset, Query: strings.TrimSpace(v.Get("q")), UUID: strings.TrimSpace(v.Get("uuid")),
		MinCreated: queryTime(&c, v, "minCreated"), MaxCreated: queryTime(&c, v, "maxCreated"),
		MinModified: queryTime(&c, v, "minModified"), MaxModified: queryTime(&c, v, "maxModified"),
		Descending: queryOrder(&c, v),
	}
	withExtra := queryFlag(&c, v, "isIncludeExtraFields")
	return q, withExtra, c.err()
}

// bulkItemsError answers the per-item errors of a super-admin bulk create
// as super_admin.yaml's 422 does: data is the array itself.
func bulkItemsError(err error) (envelope, bool) {
	var ge *guild.Error
	if !errors.As(err, &ge) || ge.Code != guild.EInvalid || ge.Items == nil {
		return envelope{}, false
	}
	status, msg := statusOf(guild.EInvalid)
	return envelope{Code: status, Data: ge.Items, Meta: message{Message: msg}}, true
}
