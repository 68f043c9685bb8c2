package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"text/tabwriter"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
)

// MigrateCmd applies the database migrations.
type MigrateCmd struct{}

// Run implements the command.
func (c *MigrateCmd) Run(ctx context.Context, g *Globals, logger *slog.Logger) error {
	s, err := openStore(ctx, g, true)
	if err != nil {
		return err
	}
	defer s.Close()
	logger.Info("database is up to date")
	return nil
}

// StoresCmd manages stores.
type StoresCmd struct {
	Create StoresCreateCmd `cmd:"" help:"Create a store."`
	List   StoresListCmd   `cmd:"" help:"List stores."`
	Update StoresUpdateCmd `cmd:"" help:"Change a store's settings."`

	Connect    StoresConnectCmd    `cmd:"" help:"Connect a store to its BigCommerce store (starts the initial sync)."`
	Disconnect StoresDisconnectCmd `cmd:"" help:"Disconnect a store from its platform (changes are kept)."`
}

// StoresCreateCmd creates a store.
type StoresCreateCmd struct {
	Hash                     string `required:"" help:"The store hash (as sent in X-Store-Hash)."`
	Name                     string `required:"" help:"The store's name."`
	DependentCompanies       bool   `name:"dependent-companies" help:"Legacy mode: every company owns its own customer group."`
	DefaultCustomerGroupName string `name:"default-customer-group-name" help:"Create a customer group of this name and make it the default group of new companies (independent mode)."`
	DefaultCustomerGroup     int64  `name:"default-customer-group" help:"The id of an existing customer group to be the default. A new store has no groups yet: use --default-customer-group-name, or 'stores update --default-customer-group ID' later."`
	CreditEnabled            bool   `name:"credit-enabled" help:"Turn on the company credit feature (the credit endpoints refuse to work without it)."`
	DefaultPaymentTerms      *int64 `name:"default-payment-terms" help:"Net days (0, 5, 15, 30, 45 or 60) of companies without payment terms of their own; default 30."`
	MaxHierarchyDepth        int    `name:"max-hierarchy-depth" help:"The most layers an account hierarchy may have (1-16); 0 for the default, 5."`
	MaxHierarchySize         int    `name:"max-hierarchy-size" help:"The most companies an account hierarchy may hold (1-10000); 0 for the default, 500."`
}

// Run implements the command.
func (c *StoresCreateCmd) Run(ctx context.Context, g *Globals, logger *slog.Logger) error {
	a, done, err := openApp(ctx, g, logger)
	if err != nil {
		return err
	}
	defer done()
	if c.DefaultCustomerGroup != 0 {
		return fmt.Errorf("--default-customer-group %d: a new store has no customer groups yet; give --default-customer-group-name NAME to create its default group, or create groups first and run 'guild stores update --hash %s --default-customer-group ID'", c.DefaultCustomerGroup, c.Hash)
	}
	t, err := a.CreateTenant(ctx, app.CreateTenantInput{Hash: c.Hash, Name: c.Name, DependentCompanies: c.DependentCompanies,
		DefaultCustomerGroupName: c.DefaultCustomerGroupName, CreditEnabled: c.CreditEnabled, DefaultPaymentTerms: c.DefaultPaymentTerms,
		MaxHierarchyDepth: c.MaxHierarchyDepth, MaxHierarchySize: c.MaxHierarchySize})
	if err != nil {
		return err
	}
	fmt.Printf("created store %s (%s, %s companies", t.Hash, t.Name, mode(t.DependentCompanies))
	if t.DefaultCustomerGroupID != 0 {
		fmt.Printf(", default customer group %d", t.DefaultCustomerGroupID)
	}
	fmt.Printf(", %s, net %d terms, default channel 1, hierarchies of at most %d layers and %d companies)\n",
		creditState(t.CreditEnabled), t.DefaultPaymentTerms, t.HierarchyDepthLimit(), t.HierarchySizeLimit())
	return nil
}

func creditState(on bool) string {
	if on {
		return "credit on"
	}
	return "credit off"
}

func mode(dependent bool) string {
	if dependent {
		return "dependent"
	}
	return "independent"
}

// StoresListCmd lists stores.
type StoresListCmd struct{}

// Run implements the command.
func (c *StoresListCmd) Run(ctx context.Context, g *Globals, logger *slog.Logger) error {
	a, done, err := openApp(ctx, g, logger)
	if err != nil {
		return err
	}
	defer done()
	ts, err := a.ListTenants(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "HASH\tNAME\tCOMPANIES MODE\tDEFAULT GROUP\tCREDIT\tDEFAULT TERMS\tCREATED")
	for _, t := range ts {
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%t\t%d\t%s\n", t.Hash, t.Name, mode(t.DependentCompanies), t.DefaultCustomerGroupID,
			t.CreditEnabled, t.DefaultPaymentTerms, t.CreatedAt.Format(time.RFC3339))
	}
	return w.Flush()
}

// StoresUpdateCmd changes a store.
type StoresUpdateCmd struct {
	Hash                 string  `required:"" help:"The store hash."`
	Name                 *string `help:"A new name."`
	DefaultCustomerGroup *int64  `name:"default-customer-group" help:"The id of the customer group new companies get in independent mode; 0 for none."`
	DependentCompanies   *bool   `name:"dependent-companies" help:"Switch company behaviour (only while the store has no companies)."`
	CreditEnabled        *bool   `name:"credit-enabled" help:"Turn the company credit feature on or off (--credit-enabled=false)."`
	DefaultPaymentTerms  *int64  `name:"default-payment-terms" help:"Net days (0, 5, 15, 30, 45 or 60) of companies without payment terms of their own."`
	MaxHierarchyDepth    *int    `name:"max-hierarchy-depth" help:"The most layers an account hierarchy may have (1-16); 0 for the default, 5. Existing hierarchies beyond it stay; they cannot grow."`
	MaxHierarchySize     *int    `name:"max-hierarchy-size" help:"The most companies an account hierarchy may hold (1-10000); 0 for the default, 500. Existing hierarchies beyond it stay; they cannot grow."`
}

// Run implements the command.
func (c *StoresUpdateCmd) Run(ctx context.Context, g *Globals, logger *slog.Logger) error {
	a, done, err := openApp(ctx, g, logger)
	if err != nil {
		return err
	}
	defer done()
	t, err := a.UpdateTenant(ctx, c.Hash, app.UpdateTenantInput{Name: c.Name, DefaultCustomerGroupID: c.DefaultCustomerGroup, DependentCompanies: c.DependentCompanies,
		CreditEnabled: c.CreditEnabled, DefaultPaymentTerms: c.DefaultPaymentTerms,
		MaxHierarchyDepth: c.MaxHierarchyDepth, MaxHierarchySize: c.MaxHierarchySize})
	if err != nil {
		return err
	}
	fmt.Printf("updated store %s (%s, %s companies, default customer group %d, %s, net %d terms, hierarchies of at most %d layers and %d companies)\n",
		t.Hash, t.Name, mode(t.DependentCompanies), t.DefaultCustomerGroupID, creditState(t.CreditEnabled), t.DefaultPaymentTerms,
		t.HierarchyDepthLimit(), t.HierarchySizeLimit())
	return nil
}

// TokensCmd manages API tokens.
type TokensCmd struct {
	Create TokensCreateCmd `cmd:"" help:"Create a token and print its secret (shown only once)."`
	List   TokensListCmd   `cmd:"" help:"List a store's tokens (never their secrets)."`
	Revoke TokensRevokeCmd `cmd:"" help:"Revoke a token at once."`
}

// TokensCreateCmd creates a token.
type TokensCreateCmd struct {
	Store string `required:"" help:"The store hash."`
	Name  string `required:"" help:"What the token is for."`
}

// Run implements the command: the secret, alone, on stdout.
func (c *TokensCreateCmd) Run(ctx context.Context, g *Globals, logger *slog.Logger) error {
	a, done, err := openApp(ctx, g, logger)
	if err != nil {
		return err
	}
	defer done()
	secret, tok, err := a.CreateToken(ctx, c.Store, c.Name)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "created token %d (%s) for store %s; it is shown only now:\n", tok.ID, tok.Name, c.Store)
	fmt.Println(secret)
	return nil
}

// TokensListCmd lists tokens.
type TokensListCmd struct {
	Store string `required:"" help:"The store hash."`
}

// Run implements the command.
func (c *TokensListCmd) Run(ctx context.Context, g *Globals, logger *slog.Logger) error {
	a, done, err := openApp(ctx, g, logger)
	if err != nil {
		return err
	}
	defer done()
	toks, err := a.ListTokens(ctx, c.Store)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tENDS WITH\tCREATED\tREVOKED")
	for _, t := range toks {
		revoked := "-"
		if t.Revoked() {
			revoked = t.RevokedAt.Format(time.RFC3339)
		}
		fmt.Fprintf(w, "%d\t%s\t…%s\t%s\t%s\n", t.ID, t.Name, t.Hint, t.CreatedAt.Format(time.RFC3339), revoked)
	}
	return w.Flush()
}

// TokensRevokeCmd revokes a token.
type TokensRevokeCmd struct {
	Store string `required:"" help:"The store hash."`
	ID    int64  `required:"" name:"id" help:"The token id (see tokens list)."`
}

// Run implements the command.
func (c *TokensRevokeCmd) Run(ctx context.Context, g *Globals, logger *slog.Logger) error {
	a, done, err := openApp(ctx, g, logger)
	if err != nil {
		return err
	}
	defer done()
	if err := a.RevokeToken(ctx, c.Store, c.ID); err != nil {
		return err
	}
	fmt.Printf("revoked token %d of store %s\n", c.ID, c.Store)
	return nil
}

// CustomerGroupsCmd manages Guild's own customer groups.
type CustomerGroupsCmd struct {
	Create CustomerGroupsCreateCmd `cmd:"" help:"Create a customer group."`
	List   CustomerGroupsListCmd   `cmd:"" help:"List customer groups."`
}

// CustomerGroupsCreateCmd creates a customer group.
type CustomerGroupsCreateCmd struct {
	Store string `required:"" help:"The store hash."`
	Name  string `required:"" help:"The group's name."`
}

// Run implements the command: prints the new group's id.
func (c *CustomerGroupsCreateCmd) Run(ctx context.Context, g *Globals, logger *slog.Logger) error {
	a, t, done, err := openTenantApp(ctx, g, logger, c.Store)
	if err != nil {
		return err
	}
	defer done()
	grp, err := a.CreateCustomerGroup(ctx, t, c.Name)
	if err != nil {
		return err
	}
	fmt.Println(grp.ID)
	return nil
}

// CustomerGroupsListCmd lists customer groups.
type CustomerGroupsListCmd struct {
	Store string `required:"" help:"The store hash."`
}

// Run implements the command.
func (c *CustomerGroupsListCmd) Run(ctx context.Context, g *Globals, logger *slog.Logger) error {
	a, t, done, err := openTenantApp(ctx, g, logger, c.Store)
	if err != nil {
		return err
	}
	defer done()
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tNAME\tCOMPANY")
	for off := 0; ; off += app.MaxLimit {
		gs, total, err := a.ListCustomerGroups(ctx, t, guild.Page{Limit: app.MaxLimit, Offset: off})
		if err != nil {
			return err
		}
		for _, grp := range gs {
			fmt.Fprintf(w, "%d\t%s\t%d\n", grp.ID, grp.Name, grp.CompanyID)
		}
		if off+len(gs) >= total || len(gs) == 0 {
			break
		}
	}
	return w.Flush()
}
