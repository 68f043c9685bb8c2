package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"text/tabwriter"

	"github.com/guild-b2b/guild/internal/app"
)

// PaymentMethodsCmd manages a store's payment-method catalogue.
type PaymentMethodsCmd struct {
	Create PaymentMethodsCreateCmd `cmd:"" help:"Add a payment method."`
	List   PaymentMethodsListCmd   `cmd:"" help:"List payment methods."`
	Update PaymentMethodsUpdateCmd `cmd:"" help:"Change a payment method's title or default."`
	Delete PaymentMethodsDeleteCmd `cmd:"" help:"Delete a payment method and every company's setting of it."`
}

// PaymentMethodsCreateCmd adds a payment method.
type PaymentMethodsCreateCmd struct {
	Store            string `required:"" help:"The store hash."`
	Code             string `required:"" help:"The method's code, e.g. cheque (1-50 letters, digits, '_', '.', '-')."`
	Title            string `required:"" help:"The title buyers see, e.g. Check."`
	EnabledByDefault bool   `name:"enabled-by-default" default:"true" negatable:"" help:"Companies that have not set the method may use it (--no-enabled-by-default: only companies that enable it)."`
}

// Run implements the command: prints the new method's id.
func (c *PaymentMethodsCreateCmd) Run(ctx context.Context, g *Globals, logger *slog.Logger) error {
	a, t, done, err := openTenantApp(ctx, g, logger, c.Store)
	if err != nil {
		return err
	}
	defer done()
	m, err := a.CreatePaymentMethod(ctx, t, app.PaymentMethodInput{Code: c.Code, Title: c.Title, EnabledByDefault: &c.EnabledByDefault})
	if err != nil {
		return err
	}
	fmt.Println(m.ID)
	return nil
}

// PaymentMethodsListCmd lists payment methods.
type PaymentMethodsListCmd struct {
	Store string `required:"" help:"The store hash."`
}

// Run implements the command.
func (c *PaymentMethodsListCmd) Run(ctx context.Context, g *Globals, logger *slog.Logger) error {
	a, t, done, err := openTenantApp(ctx, g, logger, c.Store)
	if err != nil {
		return err
	}
	defer done()
	ms, err := a.ListPaymentMethods(ctx, t)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tCODE\tTITLE\tENABLED BY DEFAULT")
	for _, m := range ms {
		fmt.Fprintf(w, "%d\t%s\t%s\t%t\n", m.ID, m.Code, m.Title, m.EnabledByDefault)
	}
	return w.Flush()
}

// PaymentMethodsUpdateCmd changes a payment method.
type PaymentMethodsUpdateCmd struct {
	Store            string  `required:"" help:"The store hash."`
	Code             string  `required:"" help:"The method's code (it never changes)."`
	Title            *string `help:"A new title."`
	EnabledByDefault *bool   `name:"enabled-by-default" help:"Whether companies that have not set the method may use it."`
}

// Run implements the command.
func (c *PaymentMethodsUpdateCmd) Run(ctx context.Context, g *Globals, logger *slog.Logger) error {
	a, t, done, err := openTenantApp(ctx, g, logger, c.Store)
	if err != nil {
		return err
	}
	defer done()
	m, err := a.UpdatePaymentMethod(ctx, t, c.Code, app.PaymentMethodPatch{Title: c.Title, EnabledByDefault: c.EnabledByDefault})
	if err != nil {
		return err
	}
	fmt.Printf("updated payment method %s (%s, enabled by default: %t)\n", m.Code, m.Title, m.EnabledByDefault)
	return nil
}

// PaymentMethodsDeleteCmd deletes a payment method.
type PaymentMethodsDeleteCmd struct {
	Store string `required:"" help:"The store hash."`
	Code  string `required:"" help:"The method's code."`
}

// Run implements the command.
func (c *PaymentMethodsDeleteCmd) Run(ctx context.Context, g *Globals, logger *slog.Logger) error {
	a, t, done, err := openTenantApp(ctx, g, logger, c.Store)
	if err != nil {
		return err
	}
	defer done()
	if err := a.DeletePaymentMethod(ctx, t, c.Code); err != nil {
		return err
	}
	fmt.Printf("deleted payment method %s of store %s\n", c.Code, c.Store)
	return nil
}

// ChannelsCmd manages a store's storefront channels.
type ChannelsCmd struct {
	Create ChannelsCreateCmd `cmd:"" help:"Add a channel."`
	List   ChannelsListCmd   `cmd:"" help:"List channels (enabled or not)."`
	Update ChannelsUpdateCmd `cmd:"" help:"Change a channel (never its platform id)."`
}

// ChannelsCreateCmd adds a channel.
type ChannelsCreateCmd struct {
	Store     string `required:"" help:"The store hash."`
	ChannelID int64  `required:"" name:"channel-id" help:"The platform's (BigCommerce's) channel id; users' channelIds name it."`
	Name      string `required:"" help:"The channel's name."`
	Type      string `default:"storefront" enum:"storefront,marketplace,pos,custom" help:"storefront, marketplace, pos or custom."`
	Platform  string `default:"bigcommerce" enum:"bigcommerce,amazon,ebay,custom" help:"bigcommerce, amazon, ebay or custom."`
	Status    string `default:"active" enum:"active,inactive,archived" help:"active, inactive or archived."`
	Site      string `help:"The channel's site URL."`
	IconURL   string `name:"icon-url" help:"The URL of the channel's icon."`
	Disabled  bool   `help:"Create the channel disabled (GET /channels lists enabled channels only)."`
}

// Run implements the command: prints Guild's id of the new channel.
func (c *ChannelsCreateCmd) Run(ctx context.Context, g *Globals, logger *slog.Logger) error {
	a, t, done, err := openTenantApp(ctx, g, logger, c.Store)
	if err != nil {
		return err
	}
	defer done()
	enabled := !c.Disabled
	ch, err := a.CreateChannel(ctx, t, app.ChannelInput{ChannelID: c.ChannelID, Name: c.Name, Type: c.Type, Platform: c.Platform,
		Status: c.Status, Site: c.Site, IconURL: c.IconURL, IsEnabled: &enabled})
	if err != nil {
		return err
	}
	fmt.Println(ch.ID)
	return nil
}

// ChannelsListCmd lists channels.
type ChannelsListCmd struct {
	Store string `required:"" help:"The store hash."`
}

// Run implements the command.
func (c *ChannelsListCmd) Run(ctx context.Context, g *Globals, logger *slog.Logger) error {
	a, t, done, err := openTenantApp(ctx, g, logger, c.Store)
	if err != nil {
		return err
	}
	defer done()
	cs, err := a.ListChannels(ctx, t, false)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tCHANNEL ID\tNAME\tTYPE\tPLATFORM\tSTATUS\tENABLED")
	for _, ch := range cs {
		fmt.Fprintf(w, "%d\t%d\t%s\t%s\t%s\t%s\t%t\n", ch.ID, ch.ChannelID, ch.Name, ch.Type, ch.Platform, ch.Status, ch.IsEnabled)
	}
	return w.Flush()
}

// ChannelsUpdateCmd changes a channel.
type ChannelsUpdateCmd struct {
	Store     string  `required:"" help:"The store hash."`
	ChannelID int64   `required:"" name:"channel-id" help:"The platform's channel id of the channel to change."`
	Name      *string `help:"A new name."`
	Status    *string `help:"active, inactive or archived."`
	Site      *string `help:"The channel's site URL."`
	IconURL   *string `name:"icon-url" help:"The URL of the channel's icon."`
	Enabled   *bool   `help:"Enable or disable the channel (--enabled=false)."`
}

// Run implements the command.
func (c *ChannelsUpdateCmd) Run(ctx context.Context, g *Globals, logger *slog.Logger) error {
	a, t, done, err := openTenantApp(ctx, g, logger, c.Store)
	if err != nil {
		return err
	}
	defer done()
	ch, err := a.UpdateChannel(ctx, t, c.ChannelID, app.ChannelPatch{Name: c.Name, Status: c.Status, Site: c.Site, IconURL: c.IconURL, IsEnabled: c.Enabled})
	if err != nil {
		return err
	}
	fmt.Printf("updated channel %d (%s, %s, enabled: %t)\n", ch.ChannelID, ch.Name, ch.Status, ch.IsEnabled)
	return nil
}
