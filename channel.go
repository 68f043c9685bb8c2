package guild

import (
	"context"
	"time"
)

// DefaultPlatformChannelID is the platform id of the default storefront
// channel every store has: Guild creates it with the store, and a channel
// is never deleted nor given another platform id.
const DefaultPlatformChannelID int64 = 1

// Channel is a storefront channel of the store. ID is Guild's own id;
// ChannelID is the platform's (BigCommerce's) id, which users' and super
// admins' channelIds name. The two are kept apart, as the vendor does.
type Channel struct {
	ID                int64
	TenantID          int64
	ChannelID         int64 // unique per tenant
	Name              string
	Type              string // storefront, marketplace, pos or custom
	Platform          string // bigcommerce, amazon, ebay or custom
	Status            string // active, inactive or archived
	Site              string
	IconURL           string
	IsVisible         bool
	IsEnabled         bool
	B2BEnabled        bool
	AllowGlobalLogins bool
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// ChannelReader holds the reads of channels (issue 4); part of Reader.
type ChannelReader interface {
	// ChannelByPlatformID finds a channel by its platform id (ChannelID).
	ChannelByPlatformID(ctx context.Context, tenantID, channelID int64) (Channel, error)
	// ListChannels lists the store's channels by ascending id.
	ListChannels(ctx context.Context, tenantID int64) ([]Channel, error)
}

// ChannelWriter holds the writes of channels (issue 4); part of Writer.
type ChannelWriter interface {
	// CreateChannel inserts c; a platform id the tenant has is EConflict.
	CreateChannel(ctx context.Context, c Channel) (int64, error)
	// UpdateChannel replaces the channel's fields (found by ID) but
	// ChannelID and CreatedAt, which never change.
	UpdateChannel(ctx context.Context, c Channel) error
}
