package app

import (
	"slices"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/extrafield"
)

// The users and super admins endpoints name fields in their errors as the
// vendor's users examples do: in camelCase, as on the wire (firstName,
// companyId), not in the companies endpoints' snake_case.

// UserInput is a new company user.
type UserInput struct {
	CompanyID                         int64
	FirstName, LastName, Email, Phone string
	UUID                              string
	// Role is the predefined role; nil when the request gave none, which is
	// allowed only with a custom role.
	Role *guild.UserRole
	// CompanyRoleID, when not 0, overrides Role: 1 and 2 are the predefined
	// senior and junior buyer roles (as the roles API numbers them), larger
	// ids the store's custom roles, whose users are junior buyers (2). 0
	// means none: the roles API's Admin (0) is given with Role, so that a
	// client sending 0 for "no custom role" never makes an admin.
	CompanyRoleID int64
	// ChannelIDs are the storefront channels the user may use; nil means
	// the store's default channel, an empty list is refused.
	ChannelIDs      []int64
	OriginChannelID int64
	ExtraFields     []extrafield.Input
}

// UserPatch changes a company user; nil fields stay as they are.
type UserPatch struct {
	// CompanyID is read-only: when given it must be the user's company.
	CompanyID                               *int64
	FirstName, LastName, Email, Phone, UUID *string
	Role                                    *guild.UserRole
	CompanyRoleID                           *int64
	ChannelIDs                              *[]int64
	ExtraFields                             []extrafield.Input
}

// Field limits of users and super admins, from the vendor's models.
const (
	maxUserText       = 150 // email, names and phone of a user
	maxSuperAdminName = 100
)

// isCustomRoleID tells a custom role's id from the predefined roles' 0..2.
func isCustomRoleID(id int64) bool { return id > int64(guild.RoleJuniorBuyer) }

const roleChoices = "0 (admin), 1 (senior buyer) or 2 (junior buyer)"

// checkRole reports a role outside 0..2, in the vendor's words.
func checkRole(p *problems, field string, r guild.UserRole) {
	if !r.Valid() {
		p.add(field, "\"%d\" is not a valid choice: a role is %s; a custom role goes in companyRoleId", r, roleChoices)
	}
}

// checkChannels checks a list of storefront channels: at least one, each a
// positive id, none twice.
func checkChannels(p *problems, field string, ids []int64, who string) []int64 {
	if len(ids) == 0 {
		p.add(field, "at least one storefront channel is needed for a %s (the store's default channel is %d)", who, defaultChannelIDs[0])
		return ids
	}
	p.ids(field, ids)
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// validate checks a new user's own fields and returns the user to store
// (without ids, customer and company checks).
func (in *UserInput) validate(p *problems) guild.User {
	var u guild.User
	u.FirstName = p.text("firstName", in.FirstName, true, maxUserText)
	u.LastName = p.text("lastName", in.LastName, true, maxUserText)
	u.Email = p.email("email", in.Email, true, maxUserText)
	u.Phone = p.text("phoneNumber", in.Phone, false, maxUserText)
	u.UUID = p.text("uuid", in.UUID, false, maxUUID)
	if in.CompanyID <= 0 {
		p.add("companyId", "is required: the id of the user's company")
	}
	switch {
	case in.CompanyRoleID < 0:
		p.add("companyRoleId", "must be the id of a role of the store, or 0 for none")
	case isCustomRoleID(in.CompanyRoleID):
		u.Role, u.CompanyRoleID = guild.RoleJuniorBuyer, in.CompanyRoleID
	case in.CompanyRoleID > 0:
		u.Role = guild.UserRole(in.CompanyRoleID)
	case in.Role == nil:
		p.add("role", "is required: a user must have a role, %s, or a custom role in companyRoleId", roleChoices)
	default:
		checkRole(p, "role", *in.Role)
		u.Role = *in.Role
	}
	channels := in.ChannelIDs
	if channels == nil {
		channels = defaultChannelIDs
	}
	u.ChannelIDs = checkChannels(p, "channelIds", channels, "company user")
	if in.OriginChannelID < 0 {
		p.add("originChannelId", "must be a positive channel id, or 0 for none")
	}
	return u
}

// apply checks a patch and applies it to u, returning the names of the
// fields that changed (vendor spelling). Role and company role are applied
// by the caller, which must look the custom role up.
func (pt *UserPatch) apply(p *problems, u *guild.User) []string {
	var changed []string
	set := func(name string, dst *string, v string) {
		if *dst != v {
			*dst = v
			changed = append(changed, name)
		}
	}
	if pt.FirstName != nil {
		set("firstName", &u.FirstName, p.text("firstName", *pt.FirstName, true, maxUserText))
	}
	if pt.LastName != nil {
		set("lastName", &u.LastName, p.text("lastName", *pt.LastName, true, maxUserText))
	}
	if pt.Email != nil {
		set("email", &u.Email, p.email("email", *pt.Email, true, maxUserText))
	}
	if pt.Phone != nil {
		set("phoneNumber", &u.Phone, p.text("phoneNumber", *pt.Phone, false, maxUserText))
	}
	if pt.UUID != nil {
		set("uuid", &u.UUID, p.text("uuid", *pt.UUID, false, maxUUID))
	}
	if pt.ChannelIDs != nil {
		ids := checkChannels(p, "channelIds", *pt.ChannelIDs, "company user")
		if !slices.Equal(ids, u.ChannelIDs) {
			u.ChannelIDs = ids
			changed = append(changed, "channelIds")
		}
	}
	if pt.Role != nil {
		checkRole(p, "role", *pt.Role)
	}
	if pt.CompanyRoleID != nil && *pt.CompanyRoleID < 0 {
		p.add("companyRoleId", "must be the id of a role of the store, or 0 for none")
	}
	if pt.CompanyID != nil && *pt.CompanyID != u.CompanyID {
		p.add("companyId", "is read-only: user %d belongs to company %d; create the user in the other company and delete this one", u.ID, u.CompanyID)
	}
	return changed
}

// applyRole applies the patch's role and company role to u: companyRoleId
// (not 0) overrides role, a custom role making the user a junior buyer; a
// predefined role replaces a custom one; companyRoleId 0 alone clears the
// custom role.
func (pt *UserPatch) applyRole(u *guild.User) (changed bool) {
	role, custom := u.Role, u.CompanyRoleID
	switch {
	case pt.CompanyRoleID != nil && isCustomRoleID(*pt.CompanyRoleID):
		role, custom = guild.RoleJuniorBuyer, *pt.CompanyRoleID
	case pt.CompanyRoleID != nil && *pt.CompanyRoleID > 0:
		role, custom = guild.UserRole(*pt.CompanyRoleID), 0
	case pt.Role != nil:
		role, custom = *pt.Role, 0
	case pt.CompanyRoleID != nil:
		custom = 0
	}
	changed = role != u.Role || custom != u.CompanyRoleID
	u.Role, u.CompanyRoleID = role, custom
	return changed
}
