package app

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/bigcommerce"
)

// The kinds of drift the reconcile reports.
const (
	// DriftMissing: Guild's entity has no remote id and BigCommerce has
	// nothing of its name (group) or email (customer).
	DriftMissing = "missing_remotely"
	// DriftDifferent: both sides have it; fields differ.
	DriftDifferent = "different"
	// DriftStaleRemoteID: the remote id points at nothing in BigCommerce.
	DriftStaleRemoteID = "stale_remote_id"
	// DriftUnlinked: Guild's entity has no remote id, but BigCommerce has
	// one of its name or email that no other Guild entity holds.
	DriftUnlinked = "unlinked"
	// DriftDeletedLocally: Guild deleted the entity, BigCommerce still has it.
	DriftDeletedLocally = "deleted_locally"
)

// Drift is one difference between Guild and BigCommerce, and its repair.
type Drift struct {
	Kind       string
	EntityType string // guild.EntityCustomerGroup or guild.EntityCustomer
	EntityID   int64  // Guild's id
	Label      string // the group's name or the customer's email
	RemoteID   int64  // the remote id Guild holds; 0 for none
	// MatchID is the BigCommerce entity the repair links (same name or
	// email) or compares with; 0 for none.
	MatchID int64
	Fields  []bigcommerce.FieldDiff
	// Queued counts the entity's changes still waiting in the outbox: the
	// connector has not sent them yet, so nothing is repaired.
	Queued int
	// Action says what the repair does (or, in a dry run, would do).
	Action string

	topic    string // the outbox row to enqueue; "" for none
	setID    int64  // the remote id to record; 0 for none
	dropID   bool   // forget the remote id
	lastName string // a deleted group's BigCommerce name
}

// ReconcileReport is what Reconcile found and did.
type ReconcileReport struct {
	DryRun           bool
	GroupsChecked    int
	CustomersChecked int
	InSync           int
	Drift            []Drift
	// RemoteOnly counts BigCommerce entities Guild does not know (guild
	// sync import brings them in); not drift.
	RemoteOnlyGroups    int
	RemoteOnlyCustomers int
	Enqueued            int // outbox rows written
	RemoteIDsFixed      int // remote ids recorded, changed or dropped
}

// Reconcile compares the store with its BigCommerce store: every customer
// group (a dependent-mode company's group included) and every customer
// backing a user or a super admin, by remote id, else by name or email;
// and every remote id whose Guild entity is gone. It reports the drift, and
// unless dryRun repairs it: it enqueues *.updated (fields differ) or
// *.created (missing) rows with the entity's current state so that the
// connector brings BigCommerce in line, customer_group.deleted for a group
// Guild deleted, and fixes stale remote ids. BigCommerce customers are
// never deleted (BigCommerce keeps them). An entity with changes still in
// the outbox is reported, not repaired. Repairs are written in transactions
// of SyncImportBatch.
func (a *App) Reconcile(ctx context.Context, t guild.Tenant, dryRun bool) (ReconcileReport, error) {
	rep := ReconcileReport{DryRun: dryRun}
	cl, _, err := a.bigcommerceClientFor(ctx, t)
	if err != nil {
		return rep, err
	}
	// BigCommerce's side.
	remoteGroups := map[int64]bigcommerce.CustomerGroup{}
	groupsByName := map[string][]int64{}
	var groupOrder []int64
	for g, err := range cl.CustomerGroups(ctx, bigcommerce.CustomerGroupFilter{}) {
		if err != nil {
			return rep, bigcommerceReadError(t, "reading BigCommerce's customer groups", err)
		}
		id := int64(g.ID)
		if _, dup := remoteGroups[id]; !dup {
			groupOrder = append(groupOrder, id)
			groupsByName[g.Name] = append(groupsByName[g.Name], id)
		}
		remoteGroups[id] = g
	}
	remoteCustomers := map[int64]bigcommerce.Customer{}
	customersByEmail := map[string]int64{}
	for c, err := range cl.Customers(ctx, bigcommerce.CustomerFilter{}) {
		if err != nil {
			return rep, bigcommerceReadError(t, "reading BigCommerce's customers", err)
		}
		remoteCustomers[int64(c.ID)] = c
		customersByEmail[strings.ToLower(c.Email)] = int64(c.ID)
	}
	// Guild's side.
	groupRemote, err := a.storeRemoteIDs(ctx, t, guild.EntityCustomerGroup)
	if err != nil {
		return rep, err
	}
	custRemote, err := a.storeRemoteIDs(ctx, t, guild.EntityCustomer)
	if err != nil {
		return rep, err
	}
	groupTaken, custTaken := invertIDs(groupRemote), invertIDs(custRemote)
	groups, err := a.storeGroups(ctx, t)
	if err != nil {
		return rep, err
	}
	accounts, err := a.storeAccountCustomers(ctx, t)
	if err != nil {
		return rep, err
	}
	rep.GroupsChecked, rep.CustomersChecked = len(groups), len(accounts)

	// Groups first: a customer's expected customer_group_id is its group's
	// remote id after the groups' repairs.
	localGroups := make(map[int64]bool, len(groups))
	for _, g := range groups {
		localGroups[g.ID] = true
		d, ok := groupDrift(g, groupRemote[g.ID], remoteGroups, groupsByName, groupTaken)
		if !ok {
			rep.InSync++
			continue
		}
		if d.setID != 0 {
			groupRemote[g.ID], groupTaken[d.setID] = d.setID, g.ID
		} else if d.dropID {
			delete(groupRemote, g.ID)
		}
		rep.Drift = append(rep.Drift, d)
	}
	for _, c := range accounts {
		remoteGroup, known := 0, true
		if c.CustomerGroupID != 0 {
			r, ok := groupRemote[c.CustomerGroupID]
			remoteGroup, known = int(r), ok
		}
		want := bigcommerce.ExpectedCustomer(c, remoteGroup)
		d := Drift{EntityType: guild.EntityCustomer, EntityID: c.ID, Label: c.Email, RemoteID: custRemote[c.ID]}
		match := int64(0)
		if _, ok := remoteCustomers[d.RemoteID]; ok {
			match = d.RemoteID
		} else if id, ok := customersByEmail[strings.ToLower(c.Email)]; ok {
			if other, taken := custTaken[id]; !taken || other == c.ID {
				match = id
			}
		}
		switch {
		case d.RemoteID != 0 && match == d.RemoteID:
			d.Kind = DriftDifferent
		case d.RemoteID != 0 && match != 0:
			d.Kind, d.setID = DriftStaleRemoteID, match
		case d.RemoteID != 0:
			d.Kind, d.dropID, d.topic = DriftStaleRemoteID, true, guild.TopicCustomerCreated
		case match != 0:
			d.Kind, d.setID = DriftUnlinked, match
		default:
			d.Kind, d.topic = DriftMissing, guild.TopicCustomerCreated
		}
		if match != 0 {
			d.MatchID = match
			d.Fields = bigcommerce.DiffCustomer(want, bigcommerce.RemoteCustomer(remoteCustomers[match]), !known)
			if len(d.Fields) > 0 {
				d.topic = guild.TopicCustomerUpdated
			}
		}
		if d.Kind == DriftDifferent && len(d.Fields) == 0 {
			rep.InSync++
			continue
		}
		rep.Drift = append(rep.Drift, d)
	}
	// Remote ids whose Guild entity is gone.
	for local, remote := range sortedIDPairs(groupRemote) {
		if localGroups[local] {
			continue
		}
		d := Drift{EntityType: guild.EntityCustomerGroup, EntityID: local, RemoteID: remote}
		if g, ok := remoteGroups[remote]; ok {
			d.Kind, d.Label, d.MatchID, d.topic, d.lastName = DriftDeletedLocally, g.Name, remote, guild.TopicCustomerGroupDeleted, g.Name
		} else {
			d.Kind, d.dropID = DriftStaleRemoteID, true
		}
		rep.Drift = append(rep.Drift, d)
	}
	localCustomers, err := a.storeCustomerIDs(ctx, t)
	if err != nil {
		return rep, err
	}
	for local, remote := range sortedIDPairs(custRemote) {
		if localCustomers[local] {
			continue
		}
		d := Drift{EntityType: guild.EntityCustomer, EntityID: local, RemoteID: remote}
		if c, ok := remoteCustomers[remote]; ok {
			d.Kind, d.Label, d.MatchID = DriftDeletedLocally, c.Email, remote
		} else {
			d.Kind, d.dropID = DriftStaleRemoteID, true
		}
		rep.Drift = append(rep.Drift, d)
	}
	for id := range remoteGroups {
		if _, ok := groupTaken[id]; !ok {
			rep.RemoteOnlyGroups++
		}
	}
	for id := range remoteCustomers {
		if _, ok := custTaken[id]; !ok {
			rep.RemoteOnlyCustomers++
		}
	}
	// What is still queued is the connector's to deliver, not drift to
	// repair.
	for i := range rep.Drift {
		d := &rep.Drift[i]
		pending, _, err := a.store.EntityOutboxCounts(ctx, guild.EntityKey{TenantID: t.ID, EntityType: d.EntityType, EntityID: d.EntityID})
		if err != nil {
			return rep, err
		}
		if pending > 0 {
			d.Queued, d.topic, d.setID, d.dropID = pending, "", 0, false
		}
		d.Action = d.describe()
	}
	if dryRun {
		return rep, nil
	}
	return rep, a.repair(ctx, t, &rep)
}

// groupDrift compares one Guild group with BigCommerce; ok is false when
// they agree.
func groupDrift(g guild.CustomerGroup, remoteID int64, remote map[int64]bigcommerce.CustomerGroup, byName map[string][]int64, taken map[int64]int64) (Drift, bool) {
	d := Drift{EntityType: guild.EntityCustomerGroup, EntityID: g.ID, Label: g.Name, RemoteID: remoteID}
	match := int64(0)
	if _, ok := remote[remoteID]; ok && remoteID != 0 {
		match = remoteID
	} else {
		for _, id := range byName[g.Name] {
			if other, ok := taken[id]; !ok || other == g.ID {
				match = id
				break
			}
		}
	}
	switch {
	case remoteID != 0 && match == remoteID:
		d.Kind = DriftDifferent
	case remoteID != 0 && match != 0:
		d.Kind, d.setID = DriftStaleRemoteID, match
	case remoteID != 0:
		d.Kind, d.dropID, d.topic = DriftStaleRemoteID, true, guild.TopicCustomerGroupCreated
	case match != 0:
		d.Kind, d.setID = DriftUnlinked, match
	default:
		d.Kind, d.topic = DriftMissing, guild.TopicCustomerGroupCreated
	}
	if match != 0 {
		d.MatchID = match
		d.Fields = bigcommerce.DiffGroup(bigcommerce.ExpectedGroup(g), bigcommerce.RemoteGroup(remote[match]))
		if len(d.Fields) > 0 {
			d.topic = guild.TopicCustomerGroupUpdated
		}
	}
	return d, d.Kind != DriftDifferent || len(d.Fields) > 0
}

// describe says what the repair of d does.
func (d Drift) describe() string {
	var parts []string
	what, by := "customer", "email"
	if d.EntityType == guild.EntityCustomerGroup {
		what, by = "group", "name"
	}
	switch {
	case d.Queued > 0:
		return fmt.Sprintf("none: %d changes of this %s are still queued for BigCommerce", d.Queued, what)
	case d.setID != 0:
		parts = append(parts, fmt.Sprintf("record remote id %d (the BigCommerce %s of the same %s)", d.setID, what, by))
	case d.dropID:
		parts = append(parts, fmt.Sprintf("forget remote id %d", d.RemoteID))
	}
	if d.topic != "" {
		parts = append(parts, "enqueue "+d.topic)
	}
	if len(parts) == 0 {
		if d.Kind == DriftDeletedLocally && d.EntityType == guild.EntityCustomer {
			return "none: BigCommerce keeps its customers"
		}
		return "none"
	}
	return strings.Join(parts, "; ")
}

// sortedIDPairs yields a map's entries by ascending key.
func sortedIDPairs(m map[int64]int64) func(yield func(int64, int64) bool) {
	return func(yield func(int64, int64) bool) {
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if !yield(k, m[k]) {
				return
			}
		}
	}
}

// storeCustomerIDs is the set of the store's customer ids.
func (a *App) storeCustomerIDs(ctx context.Context, t guild.Tenant) (map[int64]bool, error) {
	out := map[int64]bool{}
	var after int64
	for {
		ids, err := a.store.ListEntityIDs(ctx, t.ID, guild.EntityCustomer, after, syncListBatch)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			out[id] = true
		}
		if len(ids) < syncListBatch {
			return out, nil
		}
		after = ids[len(ids)-1]
	}
}

// repair writes the repairs of rep's drift, SyncImportBatch per transaction,
// each with the entity's state at that moment.
func (a *App) repair(ctx context.Context, t guild.Tenant, rep *ReconcileReport) error {
	for lo := 0; lo < len(rep.Drift); lo += SyncImportBatch {
		batch := rep.Drift[lo:min(lo+SyncImportBatch, len(rep.Drift))]
		var enqueued, fixed int
		err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
			enqueued, fixed = 0, 0
			var msgs []guild.OutboxMessage
			for _, d := range batch {
				k := guild.EntityKey{TenantID: t.ID, EntityType: d.EntityType, EntityID: d.EntityID}
				switch {
				case d.setID != 0:
					if err := tx.PutRemoteID(ctx, k, d.setID); err != nil {
						return err
					}
					fixed++
				case d.dropID:
					if err := tx.DeleteRemoteID(ctx, k); err != nil && !guild.IsNotFound(err) {
						return err
					}
					fixed++
				}
				if d.topic == "" {
					continue
				}
				switch d.EntityType {
				case guild.EntityCustomerGroup:
					if d.topic == guild.TopicCustomerGroupDeleted {
						msgs = append(msgs, groupMessage(t, d.topic, guild.CustomerGroup{ID: d.EntityID, TenantID: t.ID, Name: d.lastName}))
						continue
					}
					g, err := tx.CustomerGroup(ctx, t.ID, d.EntityID)
					if guild.IsNotFound(err) {
						continue // deleted since; its deletion is queued
					}
					if err != nil {
						return err
					}
					msgs = append(msgs, groupMessage(t, d.topic, g))
				case guild.EntityCustomer:
					c, err := tx.Customer(ctx, t.ID, d.EntityID)
					if guild.IsNotFound(err) {
						continue
					}
					if err != nil {
						return err
					}
					msgs = append(msgs, customerMessage(t, d.topic, c))
				}
			}
			enqueued = len(msgs)
			if len(msgs) == 0 {
				return nil
			}
			return tx.Enqueue(ctx, msgs...)
		})
		if err != nil {
			return fmt.Errorf("repair the drift of store %s: %w", t.Hash, err)
		}
		rep.Enqueued += enqueued
		rep.RemoteIDsFixed += fixed
	}
	a.logger.InfoContext(ctx, "reconciled with BigCommerce", "store", t.Hash, "drift", len(rep.Drift), "enqueued", rep.Enqueued, "remote_ids_fixed", rep.RemoteIDsFixed)
	return nil
}
