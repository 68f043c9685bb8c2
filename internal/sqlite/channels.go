package sqlite

import (
	"context"

	guild "github.com/guild-b2b/guild"
)

const channelColumns = `id, tenant_id, channel_id, name, type, platform, status, site, icon_url,
	is_visible, is_enabled, b2b_enabled, allow_global_logins, created_at, updated_at`

func scanChannel(sc scanner) (guild.Channel, error) {
	var c guild.Channel
	var visible, enabled, b2b, global, created, updated int64
	err := sc.Scan(&c.ID, &c.TenantID, &c.ChannelID, &c.Name, &c.Type, &c.Platform, &c.Status, &c.Site, &c.IconURL,
		&visible, &enabled, &b2b, &global, &created, &updated)
	c.IsVisible, c.IsEnabled, c.B2BEnabled, c.AllowGlobalLogins = visible != 0, enabled != 0, b2b != 0, global != 0
	c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
	return c, err
}

// ChannelByPlatformID finds a channel by its platform id.
func (r reader) ChannelByPlatformID(ctx context.Context, tenantID, channelID int64) (guild.Channel, error) {
	c, err := scanChannel(r.q.QueryRowContext(ctx,
		`SELECT `+channelColumns+` FROM channels WHERE tenant_id = ? AND channel_id = ?`, tenantID, channelID))
	return c, wrap(err, "channel %d", channelID)
}

// ListChannels lists the tenant's channels by ascending id.
func (r reader) ListChannels(ctx context.Context, tenantID int64) ([]guild.Channel, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+channelColumns+` FROM channels WHERE tenant_id = ? ORDER BY id`, tenantID)
	if err != nil {
		return nil, wrap(err, "list channels")
	}
	return collect(rows, scanChannel, "list channels")
}

// CreateChannel inserts a channel; a platform id the tenant has is EConflict.
func (t *tx) CreateChannel(ctx context.Context, c guild.Channel) (int64, error) {
	c.CreatedAt, c.UpdatedAt = stamps(c.CreatedAt, c.UpdatedAt, t.now)
	var id int64
	err := t.q.QueryRowContext(ctx, `
		INSERT INTO channels (tenant_id, channel_id, name, type, platform, status, site, icon_url,
			is_visible, is_enabled, b2b_enabled, allow_global_logins, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.TenantID, c.ChannelID, c.Name, c.Type, c.Platform, c.Status, c.Site, c.IconURL,
		boolInt(c.IsVisible), boolInt(c.IsEnabled), boolInt(c.B2BEnabled), boolInt(c.AllowGlobalLogins),
		micros(c.CreatedAt), micros(c.UpdatedAt)).Scan(&id)
	return id, wrap(err, "create channel %d", c.ChannelID)
}

// UpdateChannel replaces a channel's fields but its platform id and CreatedAt.
func (t *tx) UpdateChannel(ctx context.Context, c guild.Channel) error {
	res, err := t.q.ExecContext(ctx, `
		UPDATE channels SET name = ?, type = ?, platform = ?, status = ?, site = ?, icon_url = ?,
			is_visible = ?, is_enabled = ?, b2b_enabled = ?, allow_global_logins = ?, updated_at = ?
		WHERE tenant_id = ? AND id = ?`,
		c.Name, c.Type, c.Platform, c.Status, c.Site, c.IconURL,
		boolInt(c.IsVisible), boolInt(c.IsEnabled), boolInt(c.B2BEnabled), boolInt(c.AllowGlobalLogins),
		micros(orNow(c.UpdatedAt, t.now)), c.TenantID, c.ID)
	if err != nil {
		return wrap(err, "update channel %d", c.ID)
	}
	return affected(res, "channel %d does not exist", c.ID)
}
