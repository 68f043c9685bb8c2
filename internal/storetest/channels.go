package storetest

import (
	"testing"

	guild "github.com/guild-b2b/guild"
)

func testChannels(t *testing.T, f *fixture) {
	tn := f.tenant(t, "ch")
	other := f.tenant(t, "ch-other")
	mk := func(c guild.Channel) guild.Channel {
		t.Helper()
		f.update(t, func(tx guild.Tx) error {
			var err error
			c.ID, err = tx.CreateChannel(f.ctx, c)
			return err
		})
		return c
	}
	def := mk(guild.Channel{TenantID: tn.ID, ChannelID: 1, Name: "Default Channel", Type: "storefront", Platform: "bigcommerce",
		Status: "active", IsVisible: true, IsEnabled: true, B2BEnabled: true, CreatedAt: t0, UpdatedAt: t0})
	eu := mk(guild.Channel{TenantID: tn.ID, ChannelID: 1234, Name: "EU", Type: "custom", Platform: "custom", Status: "inactive",
		Site: "https://eu.example.com", IconURL: "https://cdn.example.com/eu.png", AllowGlobalLogins: true,
		CreatedAt: at(secs(1.25)), UpdatedAt: at(secs(2))})
	o := mk(guild.Channel{TenantID: other.ID, ChannelID: 1, Name: "Other", Type: "storefront", Platform: "bigcommerce",
		Status: "active", CreatedAt: t0, UpdatedAt: t0})
	if def.ID == eu.ID || def.ID == 0 {
		t.Fatalf("ids %d and %d", def.ID, eu.ID)
	}

	cs, err := f.s.ListChannels(f.ctx, tn.ID)
	wantNoErr(t, err, "ListChannels")
	wantEqual(t, cs, []guild.Channel{def, eu}, "ListChannels")
	c, err := f.s.ChannelByPlatformID(f.ctx, tn.ID, 1234)
	wantNoErr(t, err, "ChannelByPlatformID")
	wantEqual(t, c, eu, "ChannelByPlatformID")
	c, err = f.s.ChannelByPlatformID(f.ctx, other.ID, 1)
	wantNoErr(t, err, "ChannelByPlatformID of the other store")
	wantEqual(t, c, o, "ChannelByPlatformID of the other store")
	_, err = f.s.ChannelByPlatformID(f.ctx, other.ID, 1234)
	wantCode(t, err, guild.ENotFound, "ChannelByPlatformID of another store's channel")

	err = f.try(func(tx guild.Tx) error {
		_, err := tx.CreateChannel(f.ctx, guild.Channel{TenantID: tn.ID, ChannelID: 1234, Name: "Again", Type: "storefront",
			Platform: "bigcommerce", Status: "active"})
		return err
	})
	wantCode(t, err, guild.EConflict, "CreateChannel with a taken platform id")

	// An update never changes the platform id or CreatedAt.
	upd := eu
	upd.ChannelID, upd.CreatedAt = 999, at(secs(100))
	upd.Name, upd.Status, upd.IsEnabled, upd.UpdatedAt = "Europe", "active", true, at(secs(3))
	f.update(t, func(tx guild.Tx) error { return tx.UpdateChannel(f.ctx, upd) })
	want := upd
	want.ChannelID, want.CreatedAt = eu.ChannelID, eu.CreatedAt
	c, _ = f.s.ChannelByPlatformID(f.ctx, tn.ID, 1234)
	wantEqual(t, c, want, "UpdateChannel")
	upd.TenantID = other.ID
	wantCode(t, f.try(func(tx guild.Tx) error { return tx.UpdateChannel(f.ctx, upd) }), guild.ENotFound, "UpdateChannel of another store's channel")
}
