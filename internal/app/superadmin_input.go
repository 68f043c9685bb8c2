package app

import (
	"slices"
	"strings"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/extrafield"
)

// SuperAdminInput is a new super admin.
type SuperAdminInput struct {
	FirstName, LastName, Email, Phone, UUID string
	// ChannelIDs: nil means the store's default channel; empty is refused.
	ChannelIDs      []int64
	OriginChannelID int64
	// ExtraFields must be empty: Guild keeps no extra fields for super
	// admins.
	ExtraFields []extrafield.Input
}

// SuperAdminPatch changes a super admin; nil fields stay as they are.
type SuperAdminPatch struct {
	FirstName, LastName, Phone, UUID *string
	// Email is read-only: when given it must be the super admin's email.
	Email       *string
	ChannelIDs  *[]int64
	ExtraFields []extrafield.Input
}

// Assignment assigns (or, with Assigned false, unassigns) a company to a
// super admin; ID is the other side's id: a company's for a super admin's
// assignments, a super admin's for a company's.
type Assignment struct {
	ID       int64
	Assigned bool
}

func noSuperAdminExtraFields(p *problems, in []extrafield.Input) {
	if len(in) > 0 {
		p.add("extraFields", "Guild keeps no extra fields for super admins; send the request without them")
	}
}

func (in *SuperAdminInput) validate(p *problems) guild.SuperAdmin {
	var sa guild.SuperAdmin
	sa.FirstName = p.text("firstName", in.FirstName, true, maxSuperAdminName)
	sa.LastName = p.text("lastName", in.LastName, true, maxSuperAdminName)
	sa.Email = p.email("email", in.Email, true, maxUserText)
	sa.Phone = p.text("phone", in.Phone, false, maxUserText)
	sa.UUID = p.text("uuid", in.UUID, false, maxUUID)
	channels := in.ChannelIDs
	if channels == nil {
		channels = defaultChannelIDs
	}
	sa.ChannelIDs = checkChannels(p, "channelIds", channels, "super admin")
	if in.OriginChannelID < 0 {
		p.add("originChannelId", "must be a positive channel id, or 0 for none")
	}
	noSuperAdminExtraFields(p, in.ExtraFields)
	return sa
}

// apply checks a patch and applies it to sa, returning the names of the
// fields that changed (vendor spelling).
func (pt *SuperAdminPatch) apply(p *problems, sa *guild.SuperAdmin) []string {
	var changed []string
	set := func(name string, dst *string, v string) {
		if *dst != v {
			*dst = v
			changed = append(changed, name)
		}
	}
	if pt.FirstName != nil {
		set("firstName", &sa.FirstName, p.text("firstName", *pt.FirstName, true, maxSuperAdminName))
	}
	if pt.LastName != nil {
		set("lastName", &sa.LastName, p.text("lastName", *pt.LastName, true, maxSuperAdminName))
	}
	if pt.Phone != nil {
		set("phone", &sa.Phone, p.text("phone", *pt.Phone, false, maxUserText))
	}
	if pt.UUID != nil {
		set("uuid", &sa.UUID, p.text("uuid", *pt.UUID, false, maxUUID))
	}
	if pt.Email != nil && !strings.EqualFold(strings.TrimSpace(*pt.Email), sa.Email) {
		p.add("email", "is read-only: super admin %d's email is %s; a super admin and their customer are known by their email", sa.ID, sa.Email)
	}
	if pt.ChannelIDs != nil {
		ids := checkChannels(p, "channelIds", *pt.ChannelIDs, "super admin")
		if !slices.Equal(ids, sa.ChannelIDs) {
			sa.ChannelIDs = ids
			changed = append(changed, "channelIds")
		}
	}
	noSuperAdminExtraFields(p, pt.ExtraFields)
	return changed
}

// checkAssignments checks an assignment list: positive ids, each once.
// field names the list; what names the ids ("company", "super admin").
func checkAssignments(p *problems, field, what string, as []Assignment) (add, remove []int64) {
	seen := map[int64]bool{}
	for _, a := range as {
		switch {
		case a.ID <= 0:
			p.add(field, "every %s id must be a positive integer (got %d)", what, a.ID)
			continue
		case seen[a.ID]:
			p.add(field, "%s %d is listed more than once", what, a.ID)
			continue
		}
		seen[a.ID] = true
		if a.Assigned {
			add = append(add, a.ID)
		} else {
			remove = append(remove, a.ID)
		}
	}
	return add, remove
}
