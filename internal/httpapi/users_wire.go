package httpapi

import (
	"net/url"
	"strings"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
)

// Error keys of the users and super admins endpoints are the wire's own
// camelCase names, as the vendor's users examples show.

// channelIDList reads channelIds; absent or null means the default channel.
func channelIDList(c *checker, field string, ids *[]Int) *[]int64 {
	if ids == nil {
		return nil
	}
	out := make([]int64, 0, len(*ids))
	for _, id := range *ids {
		c.int(field, id)
		if id.Ptr() != nil {
			out = append(out, id.V)
		}
	}
	return &out
}

func derefIDs(p *[]int64) []int64 {
	if p == nil {
		return nil
	}
	return *p
}

func rolePtr(i Int) *guild.UserRole {
	p := i.Ptr()
	if p == nil {
		return nil
	}
	r := guild.UserRole(*p)
	return &r
}

// userIn is the body of create and of bulk create's items.
type userIn struct {
	FirstName          Str            `json:"firstName"`
	LastName           Str            `json:"lastName"`
	Email              Str            `json:"email"`
	PhoneNumber        Str            `json:"phoneNumber"`
	Role               Int            `json:"role"`
	CompanyRoleID      Int            `json:"companyRoleId"`
	UUID               Str            `json:"uuid"`
	CompanyID          Int            `json:"companyId"`
	AcceptWelcomeEmail Bool           `json:"acceptWelcomeEmail"`
	OriginChannelID    Int            `json:"originChannelId"`
	ChannelIDs         *[]Int         `json:"channelIds"`
	ExtraFields        extraFieldList `json:"extraFields"`
}

func (in userIn) toInput() (app.UserInput, error) {
	var c checker
	for name, v := range map[string]Str{
		"firstName": in.FirstName, "lastName": in.LastName, "email": in.Email, "phoneNumber": in.PhoneNumber, "uuid": in.UUID,
	} {
		c.str(name, v)
	}
	for name, v := range map[string]Int{
		"role": in.Role, "companyRoleId": in.CompanyRoleID, "companyId": in.CompanyID, "originChannelId": in.OriginChannelID,
	} {
		c.int(name, v)
	}
	c.bool("acceptWelcomeEmail", in.AcceptWelcomeEmail)
	out := app.UserInput{
		CompanyID: in.CompanyID.V, FirstName: in.FirstName.V, LastName: in.LastName.V, Email: in.Email.V,
		Phone: in.PhoneNumber.V, UUID: in.UUID.V, Role: rolePtr(in.Role), CompanyRoleID: in.CompanyRoleID.V,
		ChannelIDs: derefIDs(channelIDList(&c, "channelIds", in.ChannelIDs)), OriginChannelID: in.OriginChannelID.V,
		ExtraFields: in.ExtraFields.check(&c, "extraFields"),
	}
	return out, c.err()
}

// userPatchIn is the body of update.
type userPatchIn struct {
	FirstName       Str            `json:"firstName"`
	LastName        Str            `json:"lastName"`
	Email           Str            `json:"email"`
	PhoneNumber     Str            `json:"phoneNumber"`
	Role            Int            `json:"role"`
	CompanyRoleID   Int            `json:"companyRoleId"`
	UUID            Str            `json:"uuid"`
	CompanyID       Int            `json:"companyId"`
	OriginChannelID Int            `json:"originChannelId"` // read-only: ignored
	ChannelIDs      *[]Int         `json:"channelIds"`
	ExtraFields     extraFieldList `json:"extraFields"`
}

func (in userPatchIn) toPatch() (app.UserPatch, error) {
	var c checker
	for name, v := range map[string]Str{
		"firstName": in.FirstName, "lastName": in.LastName, "email": in.Email, "phoneNumber": in.PhoneNumber, "uuid": in.UUID,
	} {
		c.str(name, v)
	}
	for name, v := range map[string]Int{
		"role": in.Role, "companyRoleId": in.CompanyRoleID, "companyId": in.CompanyID, "originChannelId": in.OriginChannelID,
	} {
		c.int(name, v)
	}
	pt := app.UserPatch{
		CompanyID: in.CompanyID.Ptr(), FirstName: in.FirstName.Ptr(), LastName: in.LastName.Ptr(), Email: in.Email.Ptr(),
		Phone: in.PhoneNumber.Ptr(), UUID: in.UUID.Ptr(), Role: rolePtr(in.Role),
		ChannelIDs: channelIDList(&c, "channelIds", in.ChannelIDs), ExtraFields: in.ExtraFields.check(&c, "extraFields"),
	}
	// companyRoleId null or "" clears the custom role, as 0 does.
	if in.CompanyRoleID.Set {
		id := in.CompanyRoleID.V
		pt.CompanyRoleID = &id
	}
	return pt, c.err()
}

// channelOut is one channel of a user's or super admin's channelList; the
// handlers fill in the name and icon (nameChannels).
type channelOut struct {
	ChannelID   int64  `json:"channelId"`
	ChannelName string `json:"channelName"`
	IconURL     string `json:"iconUrl"`
}

func renderChannels(ids []int64) []channelOut {
	out := make([]channelOut, len(ids))
	for i, id := range ids {
		out[i] = channelOut{ChannelID: id}
	}
	return out
}

// extraFieldValueOut is an extra-field value of a user, as the users
// endpoints show them: name and value only.
type extraFieldValueOut struct {
	FieldName  string `json:"fieldName"`
	FieldValue string `json:"fieldValue"`
}

func renderValues(values []guild.ExtraFieldValue) []extraFieldValueOut {
	out := make([]extraFieldValueOut, 0, len(values))
	for _, v := range values {
		if v.Def != nil {
			out = append(out, extraFieldValueOut{FieldName: v.Def.Name, FieldValue: v.Value})
		}
	}
	return out
}

// userOut is the vendor's userResponse. companyRoleId and companyRoleName
// are the user's role as the roles API shows it: a custom role, or the
// predefined role (ids 0, 1, 2) of role.
type userOut struct {
	ID              int64                `json:"id"`
	FirstName       string               `json:"firstName"`
	LastName        string               `json:"lastName"`
	Email           string               `json:"email"`
	PhoneNumber     string               `json:"phoneNumber"`
	Role            int                  `json:"role"`
	CompanyRoleID   int64                `json:"companyRoleId"`
	CompanyRoleName string               `json:"companyRoleName"`
	UUID            string               `json:"uuid"`
	CompanyID       int64                `json:"companyId"`
	CustomerID      int64                `json:"customerId"`
	CreatedAt       int64                `json:"createdAt"`
	UpdatedAt       int64                `json:"updatedAt"`
	ChannelList     []channelOut         `json:"channelList"`
	ExtraFields     []extraFieldValueOut `json:"extraFields,omitzero"`
}

func renderUser(u app.UserView, withExtra bool) userOut {
	out := userOut{
		ID: u.ID, FirstName: u.FirstName, LastName: u.LastName, Email: u.Email, PhoneNumber: u.Phone,
		Role: int(u.Role), CompanyRoleID: int64(u.Role), CompanyRoleName: u.RoleName, UUID: u.UUID,
		CompanyID: u.CompanyID, CustomerID: u.CustomerID, CreatedAt: u.CreatedAt.Unix(), UpdatedAt: u.UpdatedAt.Unix(),
		ChannelList: renderChannels(u.ChannelIDs),
	}
	if u.CompanyRoleID != 0 {
		out.CompanyRoleID = u.CompanyRoleID
	}
	if withExtra {
		out.ExtraFields = renderValues(u.ExtraFields)
	}
	return out
}

// newIDsOut is the vendor's newIds: the user and their customer (bcId).
type newIDsOut struct {
	UserID int64 `json:"userId"`
	BcID   int64 `json:"bcId"`
}

type userIDOut struct {
	UserID int64 `json:"userId"`
}

// parseUserFilter reads the query of GET /users.
func parseUserFilter(v url.Values) (guild.UserFilter, error) {
	var c checker
	var f guild.UserFilter
	f.Limit = queryInt(&c, v, "limit", app.DefaultLimit)
	f.Offset = queryInt(&c, v, "offset", 0)
	f.MinModified = queryTime(&c, v, "minModified")
	f.MaxModified = queryTime(&c, v, "maxModified")
	f.MinCreated = queryTime(&c, v, "minCreated")
	f.MaxCreated = queryTime(&c, v, "maxCreated")
	f.CompanyID = queryID(&c, v, "companyId")
	f.ChannelID = queryID(&c, v, "channelId")
	f.Email = strings.TrimSpace(v.Get("email"))
	f.Query = strings.TrimSpace(v.Get("q"))
	f.IncludeExtraFields = queryFlag(&c, v, "isIncludeExtraFields")
	// roles: repeated (roles=0&roles=1), comma-separated (roles=0,1) or
	// with brackets (roles[]=0).
	for _, raw := range append(v["roles"], v["roles[]"]...) {
		for _, s := range strings.Split(raw, ",") {
			if s = strings.TrimSpace(s); s == "" {
				continue
			}
			n, err := parseInt(s)
			if err != nil {
				c.add("roles", "%q is not a valid choice: roles are 0 (admin), 1 (senior buyer) and 2 (junior buyer)", s)
				continue
			}
			f.Roles = append(f.Roles, guild.UserRole(n))
		}
	}
	return f, c.err()
}

// queryID reads an optional integer query parameter; "" counts as absent.
func queryID(c *checker, v url.Values, name string) *int64 {
	if strings.TrimSpace(v.Get(name)) == "" {
		return nil
	}
	n := int64(queryInt(c, v, name, 0))
	return &n
}

// queryFlag reads 0/1 (or false/true); absent is false.
func queryFlag(c *checker, v url.Values, name string) bool {
	switch s := strings.ToLower(strings.TrimSpace(v.Get(name))); s {
	case "", "0", "false":
		return false
	case "1", "true":
		return true
	default:
		c.add(name, "must be 0 or 1 (got %q)", s)
		return false
	}
}
