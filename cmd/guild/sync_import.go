package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/guild-b2b/guild/internal/app"
)

// SyncImportCmd imports a connected store's BigCommerce customer groups and
// customers.
type SyncImportCmd struct {
	Store string `required:"" help:"The store hash (Guild's)."`
}

// Run implements the command.
func (c *SyncImportCmd) Run(ctx context.Context, g *Globals, logger *slog.Logger) error {
	a, t, done, err := openTenantApp(ctx, g, logger, c.Store)
	if err != nil {
		return err
	}
	defer done()
	res, err := a.ImportFromPlatform(ctx, t)
	if err != nil {
		return err
	}
	fmt.Printf("imported from BigCommerce into store %s:\n", t.Hash)
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "\tCREATED\tLINKED\tUPDATED\tUNCHANGED\tKEPT")
	for _, row := range []struct {
		name string
		n    app.ImportCounts
	}{{"customer groups", res.Groups}, {"customers", res.Customers}} {
		fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\t%d\n", row.name, row.n.Created, row.n.Linked, row.n.Updated, row.n.Unchanged, row.n.Kept)
	}
	return w.Flush()
}

// SyncReconcileCmd compares a store with BigCommerce and repairs the drift.
type SyncReconcileCmd struct {
	Store  string `required:"" help:"The store hash (Guild's)."`
	DryRun bool   `name:"dry-run" help:"Report the drift only; write nothing."`
}

// Run implements the command.
func (c *SyncReconcileCmd) Run(ctx context.Context, g *Globals, logger *slog.Logger) error {
	a, t, done, err := openTenantApp(ctx, g, logger, c.Store)
	if err != nil {
		return err
	}
	defer done()
	rep, err := a.Reconcile(ctx, t, c.DryRun)
	if err != nil {
		return err
	}
	fmt.Printf("checked %d customer groups and %d customers of users and super admins of store %s: %d in sync, %d drifted\n",
		rep.GroupsChecked, rep.CustomersChecked, t.Hash, rep.InSync, len(rep.Drift))
	if len(rep.Drift) > 0 {
		w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "KIND\tENTITY\tNAME/EMAIL\tREMOTE ID\tBIGCOMMERCE\tFIELDS (guild → bigcommerce)\tACTION")
		for _, d := range rep.Drift {
			var fields []string
			for _, f := range d.Fields {
				fields = append(fields, fmt.Sprintf("%s: %q ≠ %q", f.Field, f.Guild, f.BigCommerce))
			}
			fmt.Fprintf(w, "%s\t%s %d\t%s\t%s\t%s\t%s\t%s\n", d.Kind, d.EntityType, d.EntityID, d.Label, idOrDash(d.RemoteID), idOrDash(d.MatchID),
				orDash(strings.Join(fields, "; ")), d.Action)
		}
		if err := w.Flush(); err != nil {
			return err
		}
	}
	if rep.RemoteOnlyGroups+rep.RemoteOnlyCustomers > 0 {
		fmt.Printf("BigCommerce also has %d customer groups and %d customers Guild does not know (guild sync import brings them in)\n",
			rep.RemoteOnlyGroups, rep.RemoteOnlyCustomers)
	}
	if c.DryRun {
		fmt.Println("dry run: nothing was written")
	} else {
		fmt.Printf("repaired: %d changes queued for BigCommerce, %d remote ids fixed\n", rep.Enqueued, rep.RemoteIDsFixed)
	}
	return nil
}

func idOrDash(id int64) string {
	if id == 0 {
		return "-"
	}
	return fmt.Sprint(id)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
