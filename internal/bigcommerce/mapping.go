package bigcommerce

import (
	"maps"
	"slices"

	guild "github.com/guild-b2b/guild"
)

// The mapping between Guild and BigCommerce, shared by the outbound
// connector and the inbound import/reconcile. Remote ids are kept in Guild's
// sync tables by local entity:
//
//   - guild.EntityCustomerGroup → the BigCommerce customer group id (a
//     company's own group in dependent mode, or one of the store's groups);
//   - guild.EntityCustomer → the BigCommerce customer id. Company users and
//     super admins have no remote id of their own: they reach BigCommerce
//     through their backing customer.

// DefaultChannelID is BigCommerce's default storefront channel: a company's
// catalogId is its price list there.
const DefaultChannelID = 1

// NewCustomerFrom is how a Guild customer is created in BigCommerce: email,
// first and last name, phone, company name, the customer group (the remote
// id of its Guild group; 0 for none), the origin channel and the channels
// (none: global access).
func NewCustomerFrom(c guild.Customer, remoteGroupID int) NewCustomer {
	return NewCustomer{
		Email: c.Email, FirstName: c.FirstName, LastName: c.LastName, Phone: c.Phone, Company: c.CompanyName,
		CustomerGroupID: remoteGroupID, OriginChannelID: int(max(c.OriginChannelID, 0)), ChannelIDs: channelIDs(c.ChannelIDs),
	}
}

// CustomerUpdateFrom is how a Guild customer updates the BigCommerce
// customer remoteID: every synced field is sent (a group of 0 unsets it),
// except the origin channel, which BigCommerce keeps read-only once the
// customer exists, and the channels when Guild has none.
func CustomerUpdateFrom(c guild.Customer, remoteID, remoteGroupID int) CustomerUpdate {
	u := CustomerUpdate{
		ID: remoteID, Email: Ptr(c.Email), FirstName: Ptr(c.FirstName), LastName: Ptr(c.LastName),
		Phone: Ptr(c.Phone), Company: Ptr(c.CompanyName), CustomerGroupID: Ptr(remoteGroupID),
	}
	if ch := channelIDs(c.ChannelIDs); ch != nil {
		u.ChannelIDs = &ch
	}
	return u
}

// CustomerInSync reports whether the BigCommerce customer bc has the synced
// fields of the Guild customer c: the reconcile's fields (DiffCustomer; the
// email compared ignoring case, as BigCommerce does) and, when Guild has
// some, the channels.
func CustomerInSync(bc Customer, c guild.Customer, remoteGroupID int) bool {
	if len(DiffCustomer(ExpectedCustomer(c, remoteGroupID), RemoteCustomer(bc), false)) > 0 {
		return false
	}
	if ch := channelIDs(c.ChannelIDs); ch != nil {
		got := slices.Clone(bc.ChannelIDs)
		slices.Sort(got)
		slices.Sort(ch)
		return slices.Equal(got, ch)
	}
	return true
}

func channelIDs(ids []int64) []int {
	if len(ids) == 0 {
		return nil
	}
	out := make([]int, 0, len(ids))
	for _, id := range ids {
		out = append(out, int(id))
	}
	return out
}

// GroupInputFrom is how a Guild customer group (a company's own group in
// dependent mode) is created or renamed in BigCommerce: its name only; the
// group's other settings are the merchant's, left as they are.
func GroupInputFrom(g guild.CustomerGroup) CustomerGroupInput {
	return CustomerGroupInput{Name: Ptr(g.Name)}
}

// WantedAssignments is the set of price-list assignments a company's group
// must have in BigCommerce: one per channel of its priceListAssign, and its
// catalogId on the default channel unless priceListAssign names that
// channel. Keys are channel ids, values price list ids.
func WantedAssignments(catalogID int64, lists []guild.PriceListAssignment) map[int]int {
	want := map[int]int{}
	for _, l := range lists {
		if l.PriceListID > 0 {
			ch := int(l.ChannelID)
			if ch == 0 {
				ch = DefaultChannelID
			}
			want[ch] = int(l.PriceListID)
		}
	}
	if _, ok := want[DefaultChannelID]; !ok && catalogID > 0 {
		want[DefaultChannelID] = int(catalogID)
	}
	return want
}

// AssignmentChanges compares a group's assignments in BigCommerce with the
// wanted ones (WantedAssignments): the ids to delete and the assignments to
// create, deletions first (BigCommerce keeps one per group and channel).
func AssignmentChanges(remoteGroupID int, have []PriceListAssignment, want map[int]int) (del []int, add []NewPriceListAssignment) {
	kept := map[int]bool{}
	for _, a := range have {
		if want[a.ChannelID] == a.PriceListID && !kept[a.ChannelID] {
			kept[a.ChannelID] = true
			continue
		}
		del = append(del, a.ID)
	}
	for _, ch := range slices.Sorted(maps.Keys(want)) {
		if !kept[ch] {
			add = append(add, NewPriceListAssignment{PriceListID: want[ch], CustomerGroupID: remoteGroupID, ChannelID: ch})
		}
	}
	return del, add
}
