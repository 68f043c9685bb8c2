package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/bigcommerce"
)

// SyncImportBatch is how many BigCommerce entities one transaction of the import
// (or one transaction of the reconcile's repairs) writes.
const SyncImportBatch = 200

// syncListBatch is how many rows each read of a whole store's entities takes.
const syncListBatch = 1000

// ImportCounts count what the import did with one kind of entity.
type ImportCounts struct {
	Created   int // new in Guild
	Linked    int // an existing Guild entity of the same email (customers) or name (groups) got the remote id
	Updated   int // Guild's copy changed to BigCommerce's
	Unchanged int // the same on both sides
	// Kept differ, and Guild's side wins: a company's group, a customer
	// backing a user or a super admin (the reconcile sends Guild's to
	// BigCommerce), or an entity Guild deleted.
	Kept int
}

// ImportResult is what ImportFromPlatform did.
type ImportResult struct {
	Groups    ImportCounts
	Customers ImportCounts
}

// bigcommerceClientFor returns a BigCommerce client for the store's active
// connection.
func (a *App) bigcommerceClientFor(ctx context.Context, t guild.Tenant) (*bigcommerce.Client, guild.PlatformConnection, error) {
	c, err := a.store.PlatformConnection(ctx, t.ID)
	if guild.IsNotFound(err) || err == nil && c.State == guild.ConnectionDisconnected {
		return nil, c, guild.Errorf(guild.ENotFound, "store %s is not connected to BigCommerce: connect it first (guild stores connect or PUT /api/v3/io/platform-connection)", t.Hash)
	}
	if err != nil {
		return nil, c, err
	}
	if c.State == guild.ConnectionPaused {
		return nil, c, guild.Errorf(guild.EConflict, "store %s's connection is paused (%s): connect it again with a valid token first", t.Hash, c.PausedReason)
	}
	token, err := a.OpenPlatformToken(t.ID, c.SealedToken)
	if err != nil {
		return nil, c, fmt.Errorf("open the platform token of store %s: %w", t.Hash, err)
	}
	cl, err := bigcommerce.New(bigcommerce.Options{BaseURL: c.APIURL, StoreHash: c.StoreHash, Token: token, Logger: a.logger})
	return cl, c, err
}

// bigcommerceReadError turns a failed BigCommerce call into an error a person can
// act on.
func bigcommerceReadError(t guild.Tenant, what string, err error) error {
	var e *bigcommerce.Error
	if errors.As(err, &e) && (e.Kind == bigcommerce.KindUnauthorized) {
		return guild.Errorf(guild.EConflict, "BigCommerce refused store %s's token while %s: connect the store again with a valid token", t.Hash, what)
	}
	if e != nil {
		// BigCommerce failed (after the client's retries): not Guild's fault,
		// and running the request again is safe (it is idempotent).
		return guild.Errorf(guild.EUpstream, "BigCommerce failed while %s (%v); what was written before stays, and running this again is safe", what, e)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// storeRemoteIDs maps the local ids of a store's entities of a type to their
// remote ids.
func (a *App) storeRemoteIDs(ctx context.Context, t guild.Tenant, entityType string) (map[int64]int64, error) {
	out := map[int64]int64{}
	var after int64
	for {
		page, err := a.store.ListRemoteIDs(ctx, t.ID, entityType, after, syncListBatch)
		if err != nil {
			return nil, err
		}
		for _, e := range page {
			out[e.LocalID] = e.RemoteID
		}
		if len(page) < syncListBatch {
			return out, nil
		}
		after = page[len(page)-1].LocalID
	}
}

// invertIDs maps remote ids back to local ids.
func invertIDs(m map[int64]int64) map[int64]int64 {
	out := make(map[int64]int64, len(m))
	for l, r := range m {
		out[r] = l
	}
	return out
}

// storeGroups lists every customer group of the store.
func (a *App) storeGroups(ctx context.Context, t guild.Tenant) ([]guild.CustomerGroup, error) {
	var out []guild.CustomerGroup
	for {
		page, total, err := a.store.ListCustomerGroups(ctx, t.ID, guild.Page{Limit: syncListBatch, Offset: len(out)})
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) == 0 || len(out) >= total {
			return out, nil
		}
	}
}

// storeAccountCustomers lists the customers backing a user or a super admin.
func (a *App) storeAccountCustomers(ctx context.Context, t guild.Tenant) ([]guild.Customer, error) {
	var out []guild.Customer
	var after int64
	for {
		page, err := a.store.ListAccountCustomers(ctx, t.ID, after, syncListBatch)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < syncListBatch {
			return out, nil
		}
		after = page[len(page)-1].ID
	}
}

// ImportFromPlatform imports the connected BigCommerce store's customer
// groups and customers into the store's own, recording their remote ids, so
// that a BigCommerce group can be converted into a company and a user
// created with a BigCommerce customer's email links that customer.
//
// A BigCommerce entity whose remote id Guild knows updates Guild's copy
// (names, and a customer's email, phone, company and group); else a Guild
// group of the same name or customer of the same email without a remote id
// is linked; else it is created. What came from BigCommerce is not sent
// back: the import writes no outbox rows, and marks what it imported in
// sync. Guild stays the source of what it owns: a company's group and a
// customer backing a user or a super admin are linked, never overwritten
// (they are Kept; the reconcile reports their drift). Re-running it imports
// nothing twice.
//
// BigCommerce is read page by page outside any transaction; each batch of
// SyncImportBatch entities is written in one transaction. It is refused while
// the store's initial sync is still queueing (the sync would send the
// imported entities back).
func (a *App) ImportFromPlatform(ctx context.Context, t guild.Tenant) (ImportResult, error) {
	var res ImportResult
	cl, conn, err := a.bigcommerceClientFor(ctx, t)
	if err != nil {
		return res, err
	}
	if conn.SyncStage != "" {
		return res, guild.Errorf(guild.EConflict, "store %s's initial sync is still queueing its %s entities; import when it is done (see guild sync status)", t.Hash, conn.SyncStage)
	}
	groupRemote, err := a.storeRemoteIDs(ctx, t, guild.EntityCustomerGroup)
	if err != nil {
		return res, err
	}
	groups, err := a.storeGroups(ctx, t)
	if err != nil {
		return res, err
	}
	// Guild groups without a remote id, by name, lowest id first: the
	// candidates for linking (checked again in the write's transaction).
	unlinked := map[string][]int64{}
	for _, g := range groups {
		if _, ok := groupRemote[g.ID]; !ok {
			unlinked[g.Name] = append(unlinked[g.Name], g.ID)
		}
	}
	known := invertIDs(groupRemote)
	accounts, err := a.storeAccountCustomers(ctx, t)
	if err != nil {
		return res, err
	}
	owned := make(map[int64]bool, len(accounts))
	for _, c := range accounts {
		owned[c.ID] = true
	}

	var gBatch []groupImport
	flushGroups := func() error {
		err := a.importGroups(ctx, t, gBatch, &res.Groups)
		gBatch = gBatch[:0]
		return err
	}
	seenGroups := map[int]bool{}
	for g, err := range cl.CustomerGroups(ctx, bigcommerce.CustomerGroupFilter{}) {
		if err != nil {
			return res, bigcommerceReadError(t, "reading BigCommerce's customer groups", err)
		}
		if seenGroups[g.ID] {
			continue // seen on an earlier page (pages shifted while reading)
		}
		seenGroups[g.ID] = true
		gi := groupImport{remote: g}
		if _, ok := known[int64(g.ID)]; !ok {
			if ids := unlinked[g.Name]; len(ids) > 0 {
				gi.candidate = ids[0]
				unlinked[g.Name] = ids[1:]
			}
		}
		gBatch = append(gBatch, gi)
		if len(gBatch) == SyncImportBatch {
			if err := flushGroups(); err != nil {
				return res, err
			}
		}
	}
	if err := flushGroups(); err != nil {
		return res, err
	}

	var cBatch []bigcommerce.Customer
	seen := map[int]bool{}
	flushCustomers := func() error {
		err := a.importCustomers(ctx, t, cBatch, owned, &res.Customers)
		cBatch = cBatch[:0]
		return err
	}
	for c, err := range cl.Customers(ctx, bigcommerce.CustomerFilter{}) {
		if err != nil {
			return res, bigcommerceReadError(t, "reading BigCommerce's customers", err)
		}
		if seen[c.ID] {
			continue // seen on an earlier page (pages shifted while reading)
		}
		seen[c.ID] = true
		cBatch = append(cBatch, c)
		if len(cBatch) == SyncImportBatch {
			if err := flushCustomers(); err != nil {
				return res, err
			}
		}
	}
	if err := flushCustomers(); err != nil {
		return res, err
	}
	a.logger.InfoContext(ctx, "imported from BigCommerce", "store", t.Hash, "groups", res.Groups, "customers", res.Customers)
	return res, nil
}

// groupImport is one BigCommerce group and, when Guild has no group of its
// remote id, the Guild group of the same name it may link (0: none).
type groupImport struct {
	remote    bigcommerce.CustomerGroup
	candidate int64
}

// localIDOf returns the local id of a remote id, 0 for none, read in tx: the
// import decides inside its transactions (under the store's lock), so that
// two imports at once never create an entity twice.
func localIDOf(ctx context.Context, tx guild.Tx, t guild.Tenant, entityType string, remoteID int64) (int64, error) {
	id, err := tx.LocalIDByRemoteID(ctx, t.ID, entityType, remoteID)
	if guild.IsNotFound(err) {
		return 0, nil
	}
	return id, err
}

// markInSync records that an entity matches its platform copy, at now.
func markInSync(ctx context.Context, tx guild.Tx, k guild.EntityKey, now time.Time) error {
	return tx.PutSyncEntity(ctx, guild.SyncEntity{EntityKey: k, State: guild.SyncInSync, LastSyncedAt: now, UpdatedAt: now})
}

// importGroups writes one batch of groups in one transaction and adds its
// counts to total.
func (a *App) importGroups(ctx context.Context, t guild.Tenant, batch []groupImport, total *ImportCounts) error {
	if len(batch) == 0 {
		return nil
	}
	var n ImportCounts
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		n = ImportCounts{}
		now := a.clock()
		for _, gi := range batch {
			remoteID := int64(gi.remote.ID)
			want := bigcommerce.ImportedGroup(gi.remote)
			local, err := localIDOf(ctx, tx, t, guild.EntityCustomerGroup, remoteID)
			if err != nil {
				return err
			}
			link := false
			if local == 0 && gi.candidate != 0 {
				// The candidate still has no remote id, and still exists?
				_, err := tx.RemoteID(ctx, guild.EntityKey{TenantID: t.ID, EntityType: guild.EntityCustomerGroup, EntityID: gi.candidate})
				if err != nil && !guild.IsNotFound(err) {
					return err
				}
				if guild.IsNotFound(err) {
					if _, err := tx.CustomerGroup(ctx, t.ID, gi.candidate); err == nil {
						local, link = gi.candidate, true
					} else if !guild.IsNotFound(err) {
						return err
					}
				}
			}
			if local == 0 {
				g := guild.CustomerGroup{TenantID: t.ID, Name: want.Name, CreatedAt: now, UpdatedAt: now}
				id, err := tx.CreateCustomerGroup(ctx, g)
				if err != nil {
					return fmt.Errorf("import BigCommerce group %d %q: %w", remoteID, gi.remote.Name, err)
				}
				k := guild.EntityKey{TenantID: t.ID, EntityType: guild.EntityCustomerGroup, EntityID: id}
				if err := tx.PutRemoteID(ctx, k, remoteID); err != nil {
					return err
				}
				if err := markInSync(ctx, tx, k, now); err != nil {
					return err
				}
				n.Created++
				continue
			}
			g, err := tx.CustomerGroup(ctx, t.ID, local)
			if guild.IsNotFound(err) {
				n.Kept++ // Guild deleted it; the reconcile reports it
				continue
			}
			if err != nil {
				return err
			}
			k := guild.EntityKey{TenantID: t.ID, EntityType: guild.EntityCustomerGroup, EntityID: g.ID}
			if link {
				if err := tx.PutRemoteID(ctx, k, remoteID); err != nil {
					return err
				}
			}
			switch {
			case g.Name == want.Name:
				if link {
					n.Linked++
				} else {
					n.Unchanged++
				}
			case g.CompanyID != 0:
				if link {
					n.Linked++
				} else {
					n.Kept++
				}
				continue
			default:
				g.Name, g.UpdatedAt = want.Name, now
				if err := tx.UpdateCustomerGroup(ctx, g); err != nil {
					return err
				}
				if link {
					n.Linked++
				} else {
					n.Updated++
				}
			}
			if err := markInSync(ctx, tx, k, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	addImportCounts(total, n)
	return nil
}

func addImportCounts(total *ImportCounts, n ImportCounts) {
	total.Created += n.Created
	total.Linked += n.Linked
	total.Updated += n.Updated
	total.Unchanged += n.Unchanged
	total.Kept += n.Kept
}

// sameCustomer reports whether Guild's customer holds what the import
// would write.
func sameCustomer(a, b guild.Customer) bool {
	return a.Email == b.Email && a.FirstName == b.FirstName && a.LastName == b.LastName && a.Phone == b.Phone &&
		a.CompanyName == b.CompanyName && a.CustomerGroupID == b.CustomerGroupID && a.OriginChannelID == b.OriginChannelID &&
		slices.Equal(a.ChannelIDs, b.ChannelIDs)
}

// importCustomers writes one batch of customers in one transaction and adds
// its counts to total.
func (a *App) importCustomers(ctx context.Context, t guild.Tenant, batch []bigcommerce.Customer, owned map[int64]bool, total *ImportCounts) error {
	if len(batch) == 0 {
		return nil
	}
	var n ImportCounts
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		n = ImportCounts{}
		now := a.clock()
		for _, rc := range batch {
			remoteID := int64(rc.ID)
			group := int64(0)
			if rc.CustomerGroupID != 0 {
				var err error
				if group, err = localIDOf(ctx, tx, t, guild.EntityCustomerGroup, int64(rc.CustomerGroupID)); err != nil {
					return err
				}
			}
			want := bigcommerce.ImportedCustomer(rc, group)
			want.TenantID = t.ID
			local, err := localIDOf(ctx, tx, t, guild.EntityCustomer, remoteID)
			if err != nil {
				return err
			}
			var cur guild.Customer
			link := false
			if local != 0 {
				cur, err = tx.Customer(ctx, t.ID, local)
				if guild.IsNotFound(err) {
					n.Kept++
					continue
				}
			} else {
				cur, err = tx.CustomerByEmail(ctx, t.ID, want.Email)
				link = err == nil
				if guild.IsNotFound(err) {
					want.CreatedAt, want.UpdatedAt = now, now
					id, err := tx.CreateCustomer(ctx, want)
					if err != nil {
						return fmt.Errorf("import BigCommerce customer %d (%s): %w", remoteID, want.Email, err)
					}
					k := guild.EntityKey{TenantID: t.ID, EntityType: guild.EntityCustomer, EntityID: id}
					if err := tx.PutRemoteID(ctx, k, remoteID); err != nil {
						return err
					}
					if err := markInSync(ctx, tx, k, now); err != nil {
						return err
					}
					n.Created++
					continue
				}
			}
			if err != nil {
				return err
			}
			k := guild.EntityKey{TenantID: t.ID, EntityType: guild.EntityCustomer, EntityID: cur.ID}
			if link {
				if err := tx.PutRemoteID(ctx, k, remoteID); err != nil {
					return err
				}
			}
			want.ID, want.CreatedAt, want.UpdatedAt = cur.ID, cur.CreatedAt, now
			same := sameCustomer(cur, want)
			if !same && !owned[cur.ID] && !strings.EqualFold(cur.Email, want.Email) {
				if other, err := tx.CustomerByEmail(ctx, t.ID, want.Email); err == nil && other.ID != cur.ID {
					n.Kept++ // the new email is another Guild customer's
					continue
				}
			}
			switch {
			case link:
				n.Linked++
			case same:
				n.Unchanged++
			case owned[cur.ID]:
				n.Kept++
			default:
				n.Updated++
			}
			if same {
				if err := markInSync(ctx, tx, k, now); err != nil {
					return err
				}
				continue
			}
			if owned[cur.ID] {
				// Guild's user or super admin decides; the reconcile sends
				// Guild's fields to BigCommerce.
				continue
			}
			if err := tx.UpdateCustomer(ctx, want); err != nil {
				return fmt.Errorf("import BigCommerce customer %d (%s): %w", remoteID, want.Email, err)
			}
			if err := markInSync(ctx, tx, k, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	addImportCounts(total, n)
	return nil
}
