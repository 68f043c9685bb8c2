package postgres

import (
	"context"

	guild "github.com/guild-b2b/guild"
)

const channelColumns = `id, tenant_id, channel_id, name, type, platform, status, site, icon_url,
	is_visible, is_enabled, b2b_enabled, allow_global_logins, created_at, updated_at`

func scanChannel(sc scanner) (guild.Channel, error) {
	var c guild.Channel
	var created, updated int64
	err := sc.Scan(&c.ID, &c.TenantID, &c.ChannelID, &c.Name, &c.Type, &c.Platform, &c.Status, &c.Site, &c.IconURL,
		&c.IsVisible, &c.IsEnabled, &c.B2BEnabled, &c.AllowGlobalLogins, &created, &updated)
	c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
	return c, err
}

// ChannelByPlatformID finds a channel by its platform id.
func (r reader) ChannelByPlatformID(ctx context.Context, tenantID, channelID int64) (guild.Channel, error) {
	c, err := scanChannel(r.db.QueryRow(ctx,
		`SELECT `+channelColumns+` FROM channels WHERE tenant_id = $1 AND channel_id = $2`, tenantID, channelID))
	return c, r.fail(err, "channel %d", channelID)
}

// ListChannels lists the tenant's channels by ascending id.
func (r reader) ListChannels(ctx context.Context, tenantID int64) ([]guild.Channel, error) {
	rows, err := r.db.Query(ctx, `SELECT `+channelColumns+` FROM channels WHERE tenant_id = $1 ORDER BY id`, tenantID)
	cs, err := collect(rows, err, scanChannel)
	return cs, r.fail(err, "list channels")
}

// CreateChannel inserts a channel; a platform id the tenant has is EConflict.
func (t *tx) CreateChannel(ctx context.Context, c guild.Channel) (int64, error) {
	c.CreatedAt = orNow(c.CreatedAt)
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.CreatedAt
	}
	return t.insertID(ctx, nil, `
		INSERT INTO channels (tenant_id, channel_id, name, type, platform, status, site, icon_url,
			is_visible, is_enabled, b2b_enabled, allow_global_logins, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
		[]any{c.TenantID, c.ChannelID, c.Name, c.Type, c.Platform, c.Status, c.Site, c.IconURL,
			c.IsVisible, c.IsEnabled, c.B2BEnabled, c.AllowGlobalLogins, micros(c.CreatedAt), micros(c.UpdatedAt)},
		"create channel %d", c.ChannelID)
}

// UpdateChannel replaces a channel's fields but its platform id and CreatedAt.
func (t *tx) UpdateChannel(ctx context.Context, c guild.Channel) error {
	return t.exec(ctx, mustAffect("channel %d does not exist", c.ID), `
		UPDATE channels SET name = $3, type = $4, platform = $5, status = $6, site = $7, icon_url = $8,
			is_visible = $9, is_enabled = $10, b2b_enabled = $11, allow_global_logins = $12, updated_at = $13
		WHERE tenant_id = $1 AND id = $2`,
		[]any{c.TenantID, c.ID, c.Name, c.Type, c.Platform, c.Status, c.Site, c.IconURL,
			c.IsVisible, c.IsEnabled, c.B2BEnabled, c.AllowGlobalLogins, micros(orNow(c.UpdatedAt))},
		"update channel %d", c.ChannelID)
}
