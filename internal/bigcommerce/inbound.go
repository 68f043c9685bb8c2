package bigcommerce

import (
	"slices"

	guild "github.com/guild-b2b/guild"
)

// ImportedGroup is the Guild customer group a BigCommerce group becomes on
// import: its name; Guild gives it its own id and keeps BigCommerce's as the
// remote id.
func ImportedGroup(g CustomerGroup) guild.CustomerGroup {
	return guild.CustomerGroup{Name: g.Name}
}

// ImportedCustomer is the Guild customer record a BigCommerce customer
// becomes on import. localGroupID is the Guild group that BigCommerce's
// customer_group_id maps to (0: none). A customer with no channel_ids has
// access to every channel on BigCommerce; Guild keeps that as no channels.
func ImportedCustomer(c Customer, localGroupID int64) guild.Customer {
	var channels []int64
	for _, id := range c.ChannelIDs {
		channels = append(channels, int64(id))
	}
	slices.Sort(channels)
	return guild.Customer{
		Email: c.Email, FirstName: c.FirstName, LastName: c.LastName, Phone: c.Phone, CompanyName: c.Company,
		CustomerGroupID: localGroupID, OriginChannelID: int64(c.OriginChannelID), ChannelIDs: channels,
	}
}
