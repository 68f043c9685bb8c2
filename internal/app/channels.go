package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	guild "github.com/guild-b2b/guild"
)

// Channels (issue 4): the store's storefront channels. Guild keeps them
// until a platform is connected; merchants define them with the CLI and
// Guild's extension endpoints. A channel is never deleted and its platform
// id never changes (users name channels by it); disable or archive it
// instead.

// The values a channel's type, platform and status may take (the vendor's
// enums).
var (
	ChannelTypes     = []string{"storefront", "marketplace", "pos", "custom"}
	ChannelPlatforms = []string{"bigcommerce", "amazon", "ebay", "custom"}
	ChannelStatuses  = []string{"active", "inactive", "archived"}
)

const (
	maxChannelName = 100
	maxChannelURL  = 255
)

// ChannelInput is a new channel; nil flags take their defaults (visible,
// enabled, B2B enabled, no global logins) and empty texts theirs
// (storefront, bigcommerce, active).
type ChannelInput struct {
	ChannelID                                      int64
	Name, Type, Platform, Status, Site, IconURL    string
	IsVisible, IsEnabled, B2BEnabled, GlobalLogins *bool
}

// ChannelPatch changes a channel; nil fields stay as they are.
type ChannelPatch struct {
	// ChannelID is read-only: when given it must be the channel's.
	ChannelID                                      *int64
	Name, Type, Platform, Status, Site, IconURL    *string
	IsVisible, IsEnabled, B2BEnabled, GlobalLogins *bool
}

func channelNotFound(id int64, err error) error {
	if guild.IsNotFound(err) {
		return guild.Errorf(guild.ENotFound, "Channel does not exist: the store has no channel with channelId %d (GET /api/v3/io/channels lists them)", id)
	}
	return err
}

// defaultChannel is the channel every store is created with.
func defaultChannel(t guild.Tenant, now time.Time) guild.Channel {
	return guild.Channel{TenantID: t.ID, ChannelID: guild.DefaultPlatformChannelID, Name: "Default Channel", Type: "storefront",
		Platform: "bigcommerce", Status: "active", IsVisible: true, IsEnabled: true, B2BEnabled: true, CreatedAt: now, UpdatedAt: now}
}

// ListChannels lists the store's channels; enabledOnly keeps the enabled
// ones, as the vendor's GET /channels does.
func (a *App) ListChannels(ctx context.Context, t guild.Tenant, enabledOnly bool) ([]guild.Channel, error) {
	cs, err := a.store.ListChannels(ctx, t.ID)
	if err != nil || !enabledOnly {
		return cs, err
	}
	return slices.DeleteFunc(cs, func(c guild.Channel) bool { return !c.IsEnabled }), nil
}

// Channel returns the store's channel with the platform id.
func (a *App) Channel(ctx context.Context, t guild.Tenant, channelID int64) (guild.Channel, error) {
	c, err := a.store.ChannelByPlatformID(ctx, t.ID, channelID)
	return c, channelNotFound(channelID, err)
}

func checkChoice(p *problems, field, v string, choices []string) {
	if !slices.Contains(choices, v) {
		p.add(field, "must be one of %s (got %q)", strings.Join(choices, ", "), v)
	}
}

func orDefault(v, def string) string {
	if strings.TrimSpace(v) == "" {
		return def
	}
	return strings.TrimSpace(v)
}

func flag(v *bool, def bool) bool {
	if v == nil {
		return def
	}
	return *v
}

// CreateChannel adds a channel to the store.
func (a *App) CreateChannel(ctx context.Context, t guild.Tenant, in ChannelInput) (guild.Channel, error) {
	var p problems
	if in.ChannelID <= 0 {
		p.add("channelId", "is required: the platform's (BigCommerce's) channel id, a positive integer")
	}
	c := guild.Channel{TenantID: t.ID, ChannelID: in.ChannelID,
		Name:      p.text("name", in.Name, true, maxChannelName),
		Type:      orDefault(in.Type, "storefront"),
		Platform:  orDefault(in.Platform, "bigcommerce"),
		Status:    orDefault(in.Status, "active"),
		Site:      p.text("site", in.Site, false, maxChannelURL),
		IconURL:   p.text("iconUrl", in.IconURL, false, maxChannelURL),
		IsVisible: flag(in.IsVisible, true), IsEnabled: flag(in.IsEnabled, true), B2BEnabled: flag(in.B2BEnabled, true),
		AllowGlobalLogins: flag(in.GlobalLogins, false),
	}
	checkChoice(&p, "type", c.Type, ChannelTypes)
	checkChoice(&p, "platform", c.Platform, ChannelPlatforms)
	checkChoice(&p, "status", c.Status, ChannelStatuses)
	if err := p.err(); err != nil {
		return guild.Channel{}, err
	}
	c.CreatedAt = a.clock()
	c.UpdatedAt = c.CreatedAt
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		var err error
		c.ID, err = tx.CreateChannel(ctx, c)
		if guild.IsConflict(err) {
			return guild.FieldError("channelId", "the store already has a channel with channelId %d", c.ChannelID)
		}
		return err
	})
	return c, err
}

// UpdateChannel changes a channel, found by its platform id.
func (a *App) UpdateChannel(ctx context.Context, t guild.Tenant, channelID int64, pt ChannelPatch) (guild.Channel, error) {
	var c guild.Channel
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		var err error
		c, err = tx.ChannelByPlatformID(ctx, t.ID, channelID)
		if err != nil {
			return channelNotFound(channelID, err)
		}
		var p problems
		if pt.ChannelID != nil && *pt.ChannelID != c.ChannelID {
			p.add("channelId", "is read-only: users and super admins name channel %d by it; create a new channel instead", c.ChannelID)
		}
		text := func(dst *string, v *string, field string, required bool, max int) {
			if v != nil {
				*dst = p.text(field, *v, required, max)
			}
		}
		text(&c.Name, pt.Name, "name", true, maxChannelName)
		text(&c.Type, pt.Type, "type", true, 20)
		text(&c.Platform, pt.Platform, "platform", true, 20)
		text(&c.Status, pt.Status, "status", true, 20)
		text(&c.Site, pt.Site, "site", false, maxChannelURL)
		text(&c.IconURL, pt.IconURL, "iconUrl", false, maxChannelURL)
		checkChoice(&p, "type", c.Type, ChannelTypes)
		checkChoice(&p, "platform", c.Platform, ChannelPlatforms)
		checkChoice(&p, "status", c.Status, ChannelStatuses)
		c.IsVisible, c.IsEnabled = flag(pt.IsVisible, c.IsVisible), flag(pt.IsEnabled, c.IsEnabled)
		c.B2BEnabled, c.AllowGlobalLogins = flag(pt.B2BEnabled, c.B2BEnabled), flag(pt.GlobalLogins, c.AllowGlobalLogins)
		if err := p.err(); err != nil {
			return err
		}
		c.UpdatedAt = a.clock()
		return tx.UpdateChannel(ctx, c)
	})
	return c, err
}

// checkStoreChannels reports in p the ids that are not platform ids of the
// store's channels. The default channel always exists, so a list of only
// it needs no read.
func checkStoreChannels(ctx context.Context, r guild.Reader, t guild.Tenant, p *problems, field string, ids []int64) error {
	if len(ids) == 0 || (len(ids) == 1 && ids[0] == guild.DefaultPlatformChannelID) {
		return nil
	}
	cs, err := r.ListChannels(ctx, t.ID)
	if err != nil {
		return err
	}
	known := make([]int64, len(cs))
	for i, c := range cs {
		known[i] = c.ChannelID
	}
	var unknown []string
	for _, id := range ids {
		if id > 0 && !slices.Contains(known, id) {
			unknown = append(unknown, fmt.Sprint(id))
		}
	}
	if unknown != nil {
		p.add(field, "not a channel of this store: %s; its channels are %s (GET /api/v3/io/channels, or `guild channels list`)",
			strings.Join(unknown, ", "), strings.Trim(fmt.Sprint(known), "[]"))
	}
	return nil
}
