package storetest

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	guild "github.com/guild-b2b/guild"
)

// connect stores an active connection of the tenant.
func (f *fixture) connect(t *testing.T, tenantID int64) guild.PlatformConnection {
	t.Helper()
	c := guild.PlatformConnection{TenantID: tenantID, Platform: guild.PlatformBigCommerce, StoreHash: "abc123",
		APIURL: "https://api.bigcommerce.com", SealedToken: []byte{1, 2, 3, 0, 255}, State: guild.ConnectionActive,
		ConnectedAt: t0, UpdatedAt: t0}
	f.update(t, func(tx guild.Tx) error { return tx.PutPlatformConnection(f.ctx, c) })
	return c
}

// enqueue writes one message per entity id, of the entity type, in order.
func (f *fixture) enqueue(t *testing.T, tenantID int64, entityType string, ids ...int64) {
	t.Helper()
	msgs := make([]guild.OutboxMessage, len(ids))
	for i, id := range ids {
		msgs[i] = guild.OutboxMessage{TenantID: tenantID, Topic: entityType + ".updated", EntityType: entityType, EntityID: id,
			Payload: json.RawMessage(fmt.Sprintf(`{"n":%d}`, i)), CreatedAt: at(time.Duration(i) * time.Second)}
	}
	f.update(t, func(tx guild.Tx) error { return tx.Enqueue(f.ctx, msgs...) })
}

func (f *fixture) claim(t *testing.T, owner string, tenantID int64, now time.Time, limit int) guild.Claim {
	t.Helper()
	c, err := f.s.ClaimOutbox(f.ctx, guild.ClaimRequest{Owner: owner, Now: now, LeaseFor: time.Minute, Limit: limit, TenantID: tenantID})
	wantNoErr(t, err, "ClaimOutbox")
	return c
}

func claimedIDs(c guild.Claim) []int64 {
	var ids []int64
	for _, r := range c.Rows {
		ids = append(ids, r.EntityID)
	}
	return ids
}

func testOutboxQueue(t *testing.T, f *fixture) {
	a := f.tenant(t, "queue-a")
	b := f.tenant(t, "queue-b")
	now := at(time.Hour)

	// Rows of a tenant without a connection are kept, not handed out.
	f.enqueue(t, a.ID, guild.EntityCompany, 1, 2, 1, 3, 2)
	if c := f.claim(t, "w1", 0, now, 10); len(c.Rows) != 0 {
		t.Fatalf("claimed %d rows of a store that is not connected", len(c.Rows))
	}
	f.connect(t, a.ID)

	// One row per entity, the earliest; each leased and counted.
	c := f.claim(t, "w1", 0, now, 10)
	wantEqual(t, c.Connection.TenantID, a.ID, "claimed tenant")
	wantEqual(t, claimedIDs(c), []int64{1, 2, 3}, "entities of the first claim (earliest row of each)")
	for _, r := range c.Rows {
		if r.Attempts != 1 || r.LeaseOwner != "w1" || !r.LeaseExpiresAt.Equal(now.Add(time.Minute)) || r.Status != guild.OutboxPending {
			t.Errorf("claimed row %+v: want 1 attempt, leased to w1 until %v", r, now.Add(time.Minute))
		}
	}
	wantEqual(t, string(c.Connection.SealedToken), string([]byte{1, 2, 3, 0, 255}), "sealed token, byte for byte")

	// Another owner gets nothing: the tenant's lease is w1's.
	if c2 := f.claim(t, "w2", 0, now, 10); len(c2.Rows) != 0 {
		t.Fatalf("w2 claimed %d rows while w1 holds the store", len(c2.Rows))
	}
	if c2 := f.claim(t, "w2", a.ID, now, 10); len(c2.Rows) != 0 {
		t.Fatalf("w2 claimed %d rows of store a by id while w1 holds it", len(c2.Rows))
	}
	// w1 renewing: the later rows of entities 1 and 2 wait for the leased ones.
	if c2 := f.claim(t, "w1", a.ID, now, 10); len(c2.Rows) != 0 {
		t.Fatalf("claimed %v while earlier rows of the same entities are leased", claimedIDs(c2))
	}
	// Nor does anyone lease a store whose due rows all wait behind others.
	wantNoErr(t, f.s.ReleaseTenant(f.ctx, "w1", a.ID, now), "ReleaseTenant")
	if c2 := f.claim(t, "w2", 0, now, 10); len(c2.Rows) != 0 || c2.Connection.TenantID != 0 {
		t.Fatalf("w2 leased store %d (rows %v) whose due rows all wait behind leased ones", c2.Connection.TenantID, claimedIDs(c2))
	}

	st, err := f.s.OutboxStats(f.ctx, a.ID, now)
	wantNoErr(t, err, "OutboxStats")
	wantEqual(t, st, guild.OutboxStats{Pending: 2, Leased: 3, PendingAll: 5, OldestDue: at(0)}, "stats with three rows leased")

	// Results: entity 1 done, 2 retried later, 3 dead.
	retryAt := now.Add(10 * time.Minute)
	err = f.s.FinishOutbox(f.ctx, "w1", a.ID, []guild.OutboxResult{
		{ID: c.Rows[0].ID, Status: guild.OutboxDone},
		{ID: c.Rows[1].ID, Status: guild.OutboxPending, At: retryAt, Error: "503 from the platform"},
		{ID: c.Rows[2].ID, Status: guild.OutboxDead, Error: "422: invalid email"},
	}, now)
	wantNoErr(t, err, "FinishOutbox")
	// A result from an owner that lost the lease is ignored.
	wantNoErr(t, f.s.FinishOutbox(f.ctx, "w2", a.ID, []guild.OutboxResult{{ID: c.Rows[1].ID, Status: guild.OutboxDone}}, now), "FinishOutbox by a stranger")

	row, err := f.s.OutboxRow(f.ctx, a.ID, c.Rows[0].ID)
	wantNoErr(t, err, "OutboxRow")
	if row.Status != guild.OutboxDone || !row.DeliveredAt.Equal(now) || row.LeaseOwner != "" {
		t.Errorf("done row: %+v", row)
	}
	row, err = f.s.OutboxRow(f.ctx, a.ID, c.Rows[1].ID)
	wantNoErr(t, err, "OutboxRow")
	if row.Status != guild.OutboxPending || !row.NextAttemptAt.Equal(retryAt) || row.LastError != "503 from the platform" || row.Attempts != 1 {
		t.Errorf("retried row: %+v", row)
	}
	_, err = f.s.OutboxRow(f.ctx, b.ID, c.Rows[1].ID)
	wantCode(t, err, guild.ENotFound, "OutboxRow of another store")

	se, err := f.s.SyncEntity(f.ctx, guild.EntityKey{TenantID: a.ID, EntityType: guild.EntityCompany, EntityID: 1})
	wantNoErr(t, err, "SyncEntity")
	wantEqual(t, se, guild.SyncEntity{EntityKey: se.EntityKey, State: guild.SyncInSync, LastSyncedAt: now, UpdatedAt: now}, "sync state of a delivered entity")
	se, err = f.s.SyncEntity(f.ctx, guild.EntityKey{TenantID: a.ID, EntityType: guild.EntityCompany, EntityID: 3})
	wantNoErr(t, err, "SyncEntity")
	wantEqual(t, [2]string{se.State, se.LastError}, [2]string{guild.SyncFailed, "422: invalid email"}, "sync state of a dead entity")

	// Next claim: entity 1's second row; entity 2 waits for its retry.
	c = f.claim(t, "w1", a.ID, now, 10)
	wantEqual(t, claimedIDs(c), []int64{1}, "entities claimed while entity 2 waits for its retry")
	wantNoErr(t, f.s.FinishOutbox(f.ctx, "w1", a.ID, []guild.OutboxResult{{ID: c.Rows[0].ID, Release: true}}, now), "release")
	row, _ = f.s.OutboxRow(f.ctx, a.ID, c.Rows[0].ID)
	if row.Attempts != 0 || row.LeaseOwner != "" {
		t.Errorf("released row: %+v, want no attempts and no lease", row)
	}

	// After the lease expires, another owner takes the tenant and the rows.
	wantNoErr(t, f.s.ReleaseTenant(f.ctx, "w2", a.ID, now), "ReleaseTenant by a stranger") // no effect
	c = f.claim(t, "w1", a.ID, now, 1)
	wantEqual(t, claimedIDs(c), []int64{1}, "claim with limit 1")
	later := now.Add(2 * time.Minute)
	c2 := f.claim(t, "w2", 0, later, 10)
	wantEqual(t, claimedIDs(c2), []int64{1}, "rescued after the lease expired")
	if c2.Rows[0].ID != c.Rows[0].ID || c2.Rows[0].Attempts != 2 {
		t.Errorf("rescued row %+v, want row %d with 2 attempts", c2.Rows[0], c.Rows[0].ID)
	}
	// The old owner's result is ignored; the new one's counts.
	wantNoErr(t, f.s.FinishOutbox(f.ctx, "w1", a.ID, []guild.OutboxResult{{ID: c.Rows[0].ID, Status: guild.OutboxDead, Error: "late"}}, later), "FinishOutbox by the old owner")
	wantNoErr(t, f.s.FinishOutbox(f.ctx, "w2", a.ID, []guild.OutboxResult{{ID: c.Rows[0].ID, Status: guild.OutboxDone}}, later), "FinishOutbox")
	row, _ = f.s.OutboxRow(f.ctx, a.ID, c.Rows[0].ID)
	wantEqual(t, row.Status, guild.OutboxDone, "status of the rescued row")
	wantNoErr(t, f.s.ReleaseTenant(f.ctx, "w2", a.ID, later), "ReleaseTenant")

	// Dead letters: listed, requeued one by one or all.
	dead, err := f.s.ListOutboxRows(f.ctx, a.ID, guild.OutboxDead, 0, 10)
	wantNoErr(t, err, "ListOutboxRows")
	if len(dead) != 1 || dead[0].EntityID != 3 {
		t.Fatalf("dead letters: %+v, want entity 3's row", dead)
	}
	_, err = f.update2(func(tx guild.Tx) (int, error) { return tx.RequeueOutbox(f.ctx, a.ID, dead[0].ID+1000, later) })
	wantCode(t, err, guild.ENotFound, "RequeueOutbox of a row that is not dead")
	_, err = f.update2(func(tx guild.Tx) (int, error) { return tx.RequeueOutbox(f.ctx, b.ID, dead[0].ID, later) })
	wantCode(t, err, guild.ENotFound, "RequeueOutbox of another store's row")
	n, err := f.update2(func(tx guild.Tx) (int, error) { return tx.RequeueOutbox(f.ctx, a.ID, 0, later) })
	wantNoErr(t, err, "RequeueOutbox all")
	wantEqual(t, n, 1, "rows requeued")
	row, _ = f.s.OutboxRow(f.ctx, a.ID, dead[0].ID)
	if row.Status != guild.OutboxPending || row.Attempts != 0 || !row.NextAttemptAt.Equal(later) {
		t.Errorf("requeued row: %+v", row)
	}

	// Entity counts and stats at a time past the retry.
	p, d, err := f.s.EntityOutboxCounts(f.ctx, guild.EntityKey{TenantID: a.ID, EntityType: guild.EntityCompany, EntityID: 2})
	wantNoErr(t, err, "EntityOutboxCounts")
	wantEqual(t, [2]int{p, d}, [2]int{2, 0}, "pending and dead rows of entity 2")
	st, err = f.s.OutboxStats(f.ctx, a.ID, later)
	wantNoErr(t, err, "OutboxStats")
	wantEqual(t, [4]int{st.Pending, st.Scheduled, st.Leased, st.Dead}, [4]int{2, 1, 0, 0}, "pending, scheduled, leased, dead")

	// Pausing stops claims; the connection says why.
	wantNoErr(t, f.s.PauseConnection(f.ctx, a.ID, guild.PauseUnauthorized, "401 from the platform", later), "PauseConnection")
	if c := f.claim(t, "w1", 0, later.Add(time.Hour), 10); len(c.Rows) != 0 {
		t.Fatalf("claimed %d rows of a paused store", len(c.Rows))
	}
	conn, err := f.s.PlatformConnection(f.ctx, a.ID)
	wantNoErr(t, err, "PlatformConnection")
	wantEqual(t, [3]string{conn.State, conn.PausedReason, conn.LastError}, [3]string{guild.ConnectionPaused, guild.PauseUnauthorized, "401 from the platform"}, "paused connection")

	// Superseding: every pending row of the store but deletions.
	f.update(t, func(tx guild.Tx) error {
		return tx.Enqueue(f.ctx, guild.OutboxMessage{TenantID: a.ID, Topic: guild.TopicUserDeleted, EntityType: guild.EntityUser, EntityID: 8})
	})
	n, err = f.update2(func(tx guild.Tx) (int, error) { return tx.SupersedeOutbox(f.ctx, a.ID) })
	wantNoErr(t, err, "SupersedeOutbox")
	wantEqual(t, n, 3, "rows superseded")
	kept, err := f.s.ListOutboxRows(f.ctx, a.ID, guild.OutboxPending, 0, 0)
	wantNoErr(t, err, "ListOutboxRows")
	if len(kept) != 1 || kept[0].Topic != guild.TopicUserDeleted {
		t.Fatalf("pending rows after superseding: %+v, want the deletion alone", kept)
	}
	f.update(t, func(tx guild.Tx) error { return tx.Enqueue(f.ctx) })

	// Pruning keeps the newest row and rows not finished.
	f.connect(t, b.ID)
	f.enqueue(t, b.ID, guild.EntityUser, 7)
	pruned, err := f.s.PruneOutbox(f.ctx, at(365*24*time.Hour), 100)
	wantNoErr(t, err, "PruneOutbox")
	wantEqual(t, pruned, 5, "rows pruned (two done, three superseded, of store a)")
	c = f.claim(t, "w1", 0, later, 10)
	wantEqual(t, [2]any{c.Connection.TenantID, claimedIDs(c)}, [2]any{b.ID, []int64{7}}, "store b's row after pruning")
}

// update2 runs fn in a transaction and returns its count.
func (f *fixture) update2(fn func(tx guild.Tx) (int, error)) (int, error) {
	var n int
	err := f.try(func(tx guild.Tx) error {
		var err error
		n, err = fn(tx)
		return err
	})
	return n, err
}

func testSyncTables(t *testing.T, f *fixture) {
	a := f.tenant(t, "sync-a")
	b := f.tenant(t, "sync-b")
	_, err := f.s.PlatformConnection(f.ctx, a.ID)
	wantCode(t, err, guild.ENotFound, "PlatformConnection of a store never connected")

	c := f.connect(t, a.ID)
	got, err := f.s.PlatformConnection(f.ctx, a.ID)
	wantNoErr(t, err, "PlatformConnection")
	wantConn(t, got, c, "connection as saved")
	c.State, c.PausedReason, c.SyncStage, c.SyncAfterID, c.SyncStartedAt, c.StoreHash = guild.ConnectionDisconnected, "", guild.EntityUser, 42, at(time.Second), "other"
	c.SealedToken = nil
	f.update(t, func(tx guild.Tx) error { return tx.PutPlatformConnection(f.ctx, c) })
	got, _ = f.s.PlatformConnection(f.ctx, a.ID)
	wantConn(t, got, c, "connection replaced")
	list, err := f.s.ListPlatformConnections(f.ctx)
	wantNoErr(t, err, "ListPlatformConnections")
	wantEqual(t, len(list), 1, "connections")

	k := guild.EntityKey{TenantID: a.ID, EntityType: guild.EntityCompany, EntityID: 5}
	_, err = f.s.RemoteID(f.ctx, k)
	wantCode(t, err, guild.ENotFound, "RemoteID before it is set")
	f.update(t, func(tx guild.Tx) error { return tx.PutRemoteID(f.ctx, k, 900) })
	f.update(t, func(tx guild.Tx) error { return tx.PutRemoteID(f.ctx, k, 901) })
	id, err := f.s.RemoteID(f.ctx, k)
	wantNoErr(t, err, "RemoteID")
	wantEqual(t, id, int64(901), "remote id after replacing")
	_, err = f.s.RemoteID(f.ctx, guild.EntityKey{TenantID: b.ID, EntityType: guild.EntityCompany, EntityID: 5})
	wantCode(t, err, guild.ENotFound, "RemoteID of another store")
	f.update(t, func(tx guild.Tx) error { return tx.DeleteRemoteID(f.ctx, k) })
	wantCode(t, f.try(func(tx guild.Tx) error { return tx.DeleteRemoteID(f.ctx, k) }), guild.ENotFound, "DeleteRemoteID twice")

	// Read in bulk: ids of one type and store.
	f.update(t, func(tx guild.Tx) error {
		for _, r := range []struct {
			tenant int64
			typ    string
			local  int64
			remote int64
		}{{a.ID, guild.EntityCustomer, 1, 101}, {a.ID, guild.EntityCustomer, 3, 103}, {a.ID, guild.EntityCustomer, 4, 104},
			{a.ID, guild.EntityCompany, 5, 905}, {b.ID, guild.EntityCustomer, 5, 505}} {
			if err := tx.PutRemoteID(f.ctx, guild.EntityKey{TenantID: r.tenant, EntityType: r.typ, EntityID: r.local}, r.remote); err != nil {
				return err
			}
		}
		return nil
	})
	remote, err := f.s.RemoteIDs(f.ctx, a.ID, guild.EntityCustomer, []int64{1, 3, 4, 5, 99, 3})
	wantNoErr(t, err, "RemoteIDs")
	wantEqual(t, remote, map[int64]int64{1: 101, 3: 103, 4: 104}, "RemoteIDs: another type's, another store's and missing ids left out")
	remote, err = f.s.RemoteIDs(f.ctx, a.ID, guild.EntityCustomer, nil)
	wantNoErr(t, err, "RemoteIDs of no ids")
	wantEqual(t, len(remote), 0, "RemoteIDs of no ids")

	e := guild.SyncEntity{EntityKey: k, State: guild.SyncInSync, LastSyncedAt: at(time.Minute), UpdatedAt: at(time.Minute)}
	f.update(t, func(tx guild.Tx) error { return tx.PutSyncEntity(f.ctx, e) })
	f.update(t, func(tx guild.Tx) error {
		return tx.PutSyncEntity(f.ctx, guild.SyncEntity{EntityKey: k, State: guild.SyncPending, LastError: "429", UpdatedAt: at(2 * time.Minute)})
	})
	se, err := f.s.SyncEntity(f.ctx, k)
	wantNoErr(t, err, "SyncEntity")
	wantEqual(t, se, guild.SyncEntity{EntityKey: k, State: guild.SyncPending, LastError: "429", LastSyncedAt: at(time.Minute), UpdatedAt: at(2 * time.Minute)},
		"sync state keeps its last sync time")
	f.update(t, func(tx guild.Tx) error { return tx.PutRemoteID(f.ctx, k, 1) })
	f.update(t, func(tx guild.Tx) error { return tx.DeleteSyncData(f.ctx, a.ID) })
	_, err = f.s.SyncEntity(f.ctx, k)
	wantCode(t, err, guild.ENotFound, "SyncEntity after DeleteSyncData")
	_, err = f.s.RemoteID(f.ctx, k)
	wantCode(t, err, guild.ENotFound, "RemoteID after DeleteSyncData")

	// Entity ids for the initial sync, per type, paged by id.
	g1 := f.group(t, a.ID, "G1")
	g2 := f.group(t, a.ID, "G2")
	f.group(t, b.ID, "other store")
	ids, err := f.s.ListEntityIDs(f.ctx, a.ID, guild.EntityCustomerGroup, 0, 10)
	wantNoErr(t, err, "ListEntityIDs")
	wantEqual(t, ids, []int64{g1.ID, g2.ID}, "customer group ids")
	ids, err = f.s.ListEntityIDs(f.ctx, a.ID, guild.EntityCustomerGroup, g1.ID, 10)
	wantNoErr(t, err, "ListEntityIDs")
	wantEqual(t, ids, []int64{g2.ID}, "customer group ids after the first")
	for _, typ := range guild.InitialSyncStages {
		_, err := f.s.ListEntityIDs(f.ctx, a.ID, typ, 0, 1)
		wantNoErr(t, err, "ListEntityIDs of "+typ)
	}
	_, err = f.s.ListEntityIDs(f.ctx, a.ID, "orders", 0, 1)
	wantCode(t, err, guild.EInvalid, "ListEntityIDs of an unknown type")
}

// wantConn compares connections; the sealed token is bytes, not JSON.
func wantConn(t *testing.T, got, want guild.PlatformConnection, what string) {
	t.Helper()
	wantEqual(t, string(got.SealedToken), string(want.SealedToken), what+": sealed token")
	got.SealedToken, want.SealedToken = nil, nil
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", what, diff)
	}
}
