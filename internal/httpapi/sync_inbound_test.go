package httpapi_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
	"github.com/guild-b2b/guild/internal/bcemu"
	"github.com/guild-b2b/guild/internal/bigcommerce"
)

// bcStore is an emulated BigCommerce store, served over real HTTP, and a
// client to seed it and look at it.
type bcStore struct {
	emu *bcemu.Emulator
	url string
	c   *bigcommerce.Client
}

func newBCStore(t *testing.T) *bcStore {
	t.Helper()
	emu, err := bcemu.New(bcemu.Options{StoreHash: "bc1", Token: "bctoken", Quota: 100000, Window: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	c, err := bigcommerce.New(bigcommerce.Options{BaseURL: srv.URL, StoreHash: "bc1", Token: "bctoken", Pacing: bigcommerce.Pacing{Quota: 100000, Window: time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	return &bcStore{emu: emu, url: srv.URL, c: c}
}

// connect connects the env's store to bc and runs its initial sync's
// queueing to the end.
func (e *env) connect(bc *bcStore) {
	e.t.Helper()
	e.connectOnly(bc)
	e.finishInitialSync()
}

// connectOnly connects the env's store to bc; its initial sync starts.
func (e *env) connectOnly(bc *bcStore) {
	e.t.Helper()
	if _, err := e.app.ConnectPlatform(context.Background(), e.tenant, app.ConnectInput{StoreHash: "bc1", Token: "bctoken", APIURL: bc.url}); err != nil {
		e.t.Fatal(err)
	}
}

// finishInitialSync runs the initial sync's queueing to the end.
func (e *env) finishInitialSync() {
	e.t.Helper()
	ctx := context.Background()
	for {
		more, err := e.app.AdvanceInitialSyncs(ctx)
		if err != nil {
			e.t.Fatal(err)
		}
		if !more {
			return
		}
	}
}

// lastOutboxID is the id of the store's newest outbox row.
func (e *env) lastOutboxID() int64 {
	e.t.Helper()
	msgs, err := e.app.Store().ListOutbox(context.Background(), e.tenant.ID, 0, 0)
	if err != nil {
		e.t.Fatal(err)
	}
	if len(msgs) == 0 {
		return 0
	}
	return msgs[len(msgs)-1].ID
}

// outboxSince lists the rows written after id as "topic entity id".
func (e *env) outboxSince(id int64) []string {
	e.t.Helper()
	msgs, err := e.app.Store().ListOutbox(context.Background(), e.tenant.ID, id, 0)
	if err != nil {
		e.t.Fatal(err)
	}
	out := []string{}
	for _, m := range msgs {
		out = append(out, fmt.Sprintf("%s %s %d", m.Topic, m.EntityType, m.EntityID))
	}
	return out
}

// drain marks every pending outbox row of the store done, as if the
// connector had delivered it.
func (e *env) drain() {
	e.t.Helper()
	ctx := context.Background()
	s := e.app.Store()
	for {
		claim, err := s.ClaimOutbox(ctx, guild.ClaimRequest{Owner: "test", Now: time.Now().Add(time.Hour), LeaseFor: time.Minute, Limit: 100, TenantID: e.tenant.ID})
		if err != nil {
			e.t.Fatal(err)
		}
		if len(claim.Rows) == 0 {
			return
		}
		var res []guild.OutboxResult
		for _, r := range claim.Rows {
			res = append(res, guild.OutboxResult{ID: r.ID, Status: guild.OutboxDone})
		}
		if err := s.FinishOutbox(ctx, "test", e.tenant.ID, res, time.Now()); err != nil {
			e.t.Fatal(err)
		}
	}
}

func (e *env) remoteID(typ string, id int64) int64 {
	e.t.Helper()
	r, err := e.app.Store().RemoteID(context.Background(), guild.EntityKey{TenantID: e.tenant.ID, EntityType: typ, EntityID: id})
	if err != nil {
		e.t.Fatalf("remote id of %s %d: %v", typ, id, err)
	}
	return r
}

func (e *env) putRemoteID(typ string, id, remote int64) {
	e.t.Helper()
	err := e.app.Store().Update(context.Background(), func(ctx context.Context, tx guild.Tx) error {
		return tx.PutRemoteID(ctx, guild.EntityKey{TenantID: e.tenant.ID, EntityType: typ, EntityID: id}, remote)
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

const (
	seededGroups    = 252 // more than one page of 250
	seededCustomers = 255
)

// seed fills bc with groups "Group 000".. and customers cust000@.. (in
// group i%seededGroups).
func (bc *bcStore) seed(t *testing.T) { t.Helper(); bc.seedN(t, seededGroups, seededCustomers) }

// seedN fills bc with nGroups groups and nCustomers customers.
func (bc *bcStore) seedN(t *testing.T, seededGroups, seededCustomers int) {
	t.Helper()
	ctx := context.Background()
	var ids []int
	for i := range seededGroups {
		g, err := bc.c.CreateCustomerGroup(ctx, bigcommerce.CustomerGroupInput{Name: bigcommerce.Ptr(fmt.Sprintf("Group %03d", i))})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, g.ID)
	}
	for lo := 0; lo < seededCustomers; lo += bigcommerce.MaxCustomerBatch {
		var batch []bigcommerce.NewCustomer
		for i := lo; i < min(lo+bigcommerce.MaxCustomerBatch, seededCustomers); i++ {
			batch = append(batch, bigcommerce.NewCustomer{Email: fmt.Sprintf("cust%03d@bc.example", i), FirstName: "First", LastName: fmt.Sprintf("Last%03d", i),
				Phone: "555-0101", Company: "BC Co", CustomerGroupID: ids[i%seededGroups]})
		}
		if _, err := bc.c.CreateCustomers(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
}

func (bc *bcStore) customer(t *testing.T, email string) bigcommerce.Customer {
	t.Helper()
	found, err := bc.c.CustomersByEmail(context.Background(), []string{email})
	if err != nil || len(found) != 1 {
		t.Fatalf("BigCommerce customer %s: %v %v", email, found, err)
	}
	return found[0]
}

func importCounts(t *testing.T, r response) map[string]any {
	t.Helper()
	return r.data(t)
}

func counts(created, linked, updated, unchanged, kept int) map[string]any {
	return map[string]any{"created": float64(created), "linked": float64(linked), "updated": float64(updated), "unchanged": float64(unchanged), "kept": float64(kept)}
}

// TestSyncImport imports more than a page of BigCommerce groups and
// customers, re-imports (nothing twice; a changed name updated; nothing
// written to the outbox), converts an imported group into a company and
// links an imported customer to a new user by email.
func TestSyncImport(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		// The store's default group has a BigCommerce group's name: linked.
		e := newEnv(t, b, envOptions{dependent: true, groupName: "Group 007"})
		bc := newBCStore(t)
		bc.seed(t)

		r := e.do("POST", "/api/v3/io/sync/import", nil)
		expect(t, r, 404) // not connected
		conformGuild(t, r, "POST", "/api/v3/io/sync/import")
		e.connectOnly(bc)
		r = e.do("POST", "/api/v3/io/sync/import", nil)
		expect(t, r, 409) // the initial sync is still queueing
		conformGuild(t, r, "POST", "/api/v3/io/sync/import")
		e.finishInitialSync()
		before := e.lastOutboxID()

		r = e.do("POST", "/api/v3/io/sync/import", nil)
		expect(t, r, 200)
		conformGuild(t, r, "POST", "/api/v3/io/sync/import")
		want := map[string]any{"customerGroups": counts(seededGroups-1, 1, 0, 0, 0), "customers": counts(seededCustomers, 0, 0, 0, 0)}
		if diff := cmp.Diff(want, importCounts(t, r)); diff != "" {
			t.Errorf("first import (-want +got):\n%s", diff)
		}
		if got := e.outboxSince(before); len(got) != 0 {
			t.Errorf("the import wrote outbox rows: %v", got)
		}
		groups, total, err := b.store.ListCustomerGroups(ctx, e.tenant.ID, guild.Page{Limit: 1000})
		if err != nil || total != seededGroups {
			t.Fatalf("Guild's groups: %d %v, want %d", total, err, seededGroups)
		}
		byName := map[string]guild.CustomerGroup{}
		for _, g := range groups {
			byName[g.Name] = g
		}
		snap, _ := bc.emu.Snapshot("bc1")
		for _, g := range snap.Groups {
			if got := e.remoteID(guild.EntityCustomerGroup, byName[g.Name].ID); got != int64(g.ID) {
				t.Errorf("group %q: remote id %d, want %d", g.Name, got, g.ID)
			}
		}
		bc17 := bc.customer(t, "cust017@bc.example")
		c17, err := b.store.CustomerByEmail(ctx, e.tenant.ID, "cust017@bc.example")
		if err != nil {
			t.Fatal(err)
		}
		wantC := guild.Customer{ID: c17.ID, TenantID: e.tenant.ID, Email: "cust017@bc.example", FirstName: "First", LastName: "Last017", Phone: "555-0101",
			CompanyName: "BC Co", CustomerGroupID: byName["Group 017"].ID, OriginChannelID: int64(bc17.OriginChannelID), CreatedAt: c17.CreatedAt, UpdatedAt: c17.UpdatedAt}
		if diff := cmp.Diff(wantC, c17); diff != "" {
			t.Errorf("imported customer (-want +got):\n%s", diff)
		}
		if got := e.remoteID(guild.EntityCustomer, c17.ID); got != int64(bc17.ID) {
			t.Errorf("customer remote id %d, want %d", got, bc17.ID)
		}
		r = e.do("GET", fmt.Sprintf("/api/v3/io/sync/entities/customer/%d", c17.ID), nil)
		expect(t, r, 200)
		if d := r.data(t); d["state"] != "in_sync" || d["remoteId"] != float64(bc17.ID) {
			t.Errorf("sync state of an imported customer: %s", r.body)
		}

		// Re-import: nothing twice; a renamed group and customer updated.
		if _, err := bc.c.UpdateCustomerGroup(ctx, int(e.remoteID(guild.EntityCustomerGroup, byName["Group 010"].ID)), bigcommerce.CustomerGroupInput{Name: bigcommerce.Ptr("Group 010 renamed")}); err != nil {
			t.Fatal(err)
		}
		if _, err := bc.c.UpdateCustomers(ctx, []bigcommerce.CustomerUpdate{{ID: bc17.ID, LastName: bigcommerce.Ptr("Renamed")}}); err != nil {
			t.Fatal(err)
		}
		r = e.do("POST", "/api/v3/io/sync/import", nil)
		expect(t, r, 200)
		want = map[string]any{"customerGroups": counts(0, 0, 1, seededGroups-1, 0), "customers": counts(0, 0, 1, seededCustomers-1, 0)}
		if diff := cmp.Diff(want, importCounts(t, r)); diff != "" {
			t.Errorf("re-import (-want +got):\n%s", diff)
		}
		if g, _ := b.store.CustomerGroup(ctx, e.tenant.ID, byName["Group 010"].ID); g.Name != "Group 010 renamed" {
			t.Errorf("renamed group: %q", g.Name)
		}
		if c, _ := b.store.Customer(ctx, e.tenant.ID, c17.ID); c.LastName != "Renamed" {
			t.Errorf("renamed customer: %q", c.LastName)
		}
		if got := e.outboxSince(before); len(got) != 0 {
			t.Errorf("the re-import wrote outbox rows: %v", got)
		}

		// An imported group becomes a company; its admin is the imported
		// customer of the email (names taken from it), not a new one.
		body := validCompany("conv")
		delete(body, "adminFirstName")
		delete(body, "adminLastName")
		body["adminEmail"] = "CUST020@bc.example"
		r = e.do("POST", fmt.Sprintf("/api/v3/io/customer-groups/%d/companies", byName["Group 020"].ID), body)
		expect(t, r, 200)
		conform(t, r, "POST", "/customer-groups/{customerGroupId}/companies")
		var companyID int64
		fmt.Sscan(r.data(t)["companyId"].(string), &companyID)
		c20, _ := b.store.CustomerByEmail(ctx, e.tenant.ID, "cust020@bc.example")
		admin := e.adminOf(companyID)
		if admin.CustomerID != c20.ID || admin.FirstName != "First" || admin.LastName != "Last020" {
			t.Errorf("the converted company's admin: %+v, want backed by customer %d", admin, c20.ID)
		}
		if g, _ := b.store.CustomerGroup(ctx, e.tenant.ID, byName["Group 020"].ID); g.CompanyID != companyID {
			t.Errorf("the converted group belongs to company %d, want %d", g.CompanyID, companyID)
		}
		// A user with an imported customer's email links it.
		userID := e.addUser(companyID, map[string]any{"email": "cust021@bc.example"})
		c21, _ := b.store.CustomerByEmail(ctx, e.tenant.ID, "cust021@bc.example")
		if u, _ := b.store.User(ctx, e.tenant.ID, userID); u.CustomerID != c21.ID {
			t.Errorf("the new user is backed by customer %d, want the imported %d", u.CustomerID, c21.ID)
		}
		if got := e.remoteID(guild.EntityCustomer, c21.ID); got != int64(bc.customer(t, "cust021@bc.example").ID) {
			t.Errorf("the linked customer lost its remote id: %d", got)
		}
		n, err := b.store.ListEntityIDs(ctx, e.tenant.ID, guild.EntityCustomer, 0, 0)
		if err != nil || len(n) != seededCustomers {
			t.Errorf("customers after converting and adding a user: %d %v, want %d (none duplicated)", len(n), err, seededCustomers)
		}

		// BigCommerce refusing the token: 409, saying what to do.
		if err := bc.emu.SetFaults(bcemu.Faults{TokenRevoked: true}); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/api/v3/io/sync/import", "/api/v3/io/sync/reconcile"} {
			r = e.do("POST", path, nil)
			expect(t, r, 409)
			conformGuild(t, r, "POST", path)
			if msg, _ := r.json(t)["data"].(map[string]any)["errMsg"].(string); !strings.Contains(msg, "connect the store again with a valid token") {
				t.Errorf("%s with a revoked token: %s", path, r.body)
			}
		}

		// BigCommerce failing on every call (after the client's retries): 502,
		// not Guild's 500, saying it is safe to run again.
		if err := bc.emu.SetFaults(bcemu.Faults{Share5xx: 1}); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/api/v3/io/sync/import", "/api/v3/io/sync/reconcile"} {
			r = e.do("POST", path, nil)
			expect(t, r, 502)
			conformGuild(t, r, "POST", path)
			if msg, _ := r.json(t)["data"].(map[string]any)["errMsg"].(string); !strings.Contains(msg, "BigCommerce failed while reading") || !strings.Contains(msg, "running this again is safe") {
				t.Errorf("%s while BigCommerce fails: %s", path, r.body)
			}
		}
		if err := bc.emu.SetFaults(bcemu.Faults{}); err != nil {
			t.Fatal(err)
		}
	})
}

// syncAll makes bc hold every group and every customer of a user or super
// admin of the store as the mapping says, records the remote ids, and marks
// the outbox delivered: a store in sync, as the connector would leave it.
func (e *env) syncAll(bc *bcStore) {
	e.t.Helper()
	ctx := context.Background()
	s := e.app.Store()
	groups, _, err := s.ListCustomerGroups(ctx, e.tenant.ID, guild.Page{Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	remote := map[int64]int{}
	for _, g := range groups {
		rg, err := bc.c.CreateCustomerGroup(ctx, bigcommerce.CustomerGroupInput{Name: bigcommerce.Ptr(bigcommerce.ExpectedGroup(g).Name)})
		if err != nil {
			e.t.Fatal(err)
		}
		remote[g.ID] = rg.ID
		e.putRemoteID(guild.EntityCustomerGroup, g.ID, int64(rg.ID))
	}
	custs, err := s.ListAccountCustomers(ctx, e.tenant.ID, 0, 0)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, c := range custs {
		f := bigcommerce.ExpectedCustomer(c, remote[c.CustomerGroupID])
		made, err := bc.c.CreateCustomers(ctx, []bigcommerce.NewCustomer{{Email: f.Email, FirstName: f.FirstName, LastName: f.LastName,
			Phone: f.Phone, Company: f.Company, CustomerGroupID: f.CustomerGroupID}})
		if err != nil {
			e.t.Fatal(err)
		}
		e.putRemoteID(guild.EntityCustomer, c.ID, int64(made[0].ID))
	}
	e.drain()
}

// TestSyncReconcile seeds drift (a renamed group, a changed customer name,
// a customer missing in BigCommerce, a stale remote id): the dry run
// reports exactly that and writes nothing; the real run enqueues exactly
// the repair rows and fixes the remote id; a second dry run sees the
// repairs queued and repairs nothing again.
func TestSyncReconcile(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		e := newEnv(t, b, envOptions{groupName: "Wholesale"})
		bc := newBCStore(t)
		companyID := e.createCompany(nil)
		secondID := e.addUser(companyID, map[string]any{"email": "second@acme.example.com"})
		e.connect(bc)
		e.syncAll(bc)

		r := e.do("POST", "/api/v3/io/sync/reconcile?dryRun=true", nil)
		expect(t, r, 200)
		conformGuild(t, r, "POST", "/api/v3/io/sync/reconcile")
		d := r.data(t)
		if d["inSync"] != float64(3) || len(d["drift"].([]any)) != 0 {
			t.Fatalf("a store in sync: %s", r.body)
		}

		// The drift.
		admin := e.adminOf(companyID)
		second, _ := b.store.User(ctx, e.tenant.ID, secondID)
		group := e.tenant.DefaultCustomerGroupID
		groupRemote := e.remoteID(guild.EntityCustomerGroup, group)
		if _, err := bc.c.UpdateCustomerGroup(ctx, int(groupRemote), bigcommerce.CustomerGroupInput{Name: bigcommerce.Ptr("Wholesale (old)")}); err != nil {
			t.Fatal(err)
		}
		adminRemote := e.remoteID(guild.EntityCustomer, admin.CustomerID)
		if _, err := bc.c.UpdateCustomers(ctx, []bigcommerce.CustomerUpdate{{ID: int(adminRemote), FirstName: bigcommerce.Ptr("Adeline")}}); err != nil {
			t.Fatal(err)
		}
		secondRemote := e.remoteID(guild.EntityCustomer, second.CustomerID)
		e.putRemoteID(guild.EntityCustomer, second.CustomerID, 999999)
		thirdID := e.addUser(companyID, map[string]any{"email": "third@acme.example.com"})
		third, _ := b.store.User(ctx, e.tenant.ID, thirdID)
		e.drain() // its rows "delivered", but BigCommerce never got the customer
		before := e.lastOutboxID()

		wantDrift := []any{
			map[string]any{"kind": "different", "entityType": "customer_group", "entityId": float64(group), "label": "Wholesale",
				"remoteId": float64(groupRemote), "bigcommerceId": float64(groupRemote), "queuedChanges": float64(0),
				"fields": []any{map[string]any{"field": "name", "guild": "Wholesale", "bigcommerce": "Wholesale (old)"}},
				"action": "enqueue customer_group.updated"},
			map[string]any{"kind": "different", "entityType": "customer", "entityId": float64(admin.CustomerID), "label": admin.Email,
				"remoteId": float64(adminRemote), "bigcommerceId": float64(adminRemote), "queuedChanges": float64(0),
				"fields": []any{map[string]any{"field": "first_name", "guild": "Ada", "bigcommerce": "Adeline"}},
				"action": "enqueue customer.updated"},
			map[string]any{"kind": "stale_remote_id", "entityType": "customer", "entityId": float64(second.CustomerID), "label": "second@acme.example.com",
				"remoteId": float64(999999), "bigcommerceId": float64(secondRemote), "queuedChanges": float64(0), "fields": []any{},
				"action": fmt.Sprintf("record remote id %d (the BigCommerce customer of the same email)", secondRemote)},
			map[string]any{"kind": "missing_remotely", "entityType": "customer", "entityId": float64(third.CustomerID), "label": "third@acme.example.com",
				"remoteId": float64(0), "bigcommerceId": float64(0), "queuedChanges": float64(0), "fields": []any{},
				"action": "enqueue customer.created"},
		}
		r = e.do("POST", "/api/v3/io/sync/reconcile?dryRun=true", nil)
		expect(t, r, 200)
		conformGuild(t, r, "POST", "/api/v3/io/sync/reconcile")
		want := map[string]any{"dryRun": true, "checked": map[string]any{"customerGroups": float64(1), "customers": float64(3)}, "inSync": float64(0),
			"drift": wantDrift, "remoteOnly": map[string]any{"customerGroups": float64(0), "customers": float64(1)}, "enqueued": float64(0), "remoteIdsFixed": float64(0)}
		if diff := cmp.Diff(want, r.data(t)); diff != "" {
			t.Errorf("dry run (-want +got):\n%s", diff)
		}
		if got := e.outboxSince(before); len(got) != 0 {
			t.Errorf("the dry run wrote outbox rows: %v", got)
		}
		if got := e.remoteID(guild.EntityCustomer, second.CustomerID); got != 999999 {
			t.Errorf("the dry run changed a remote id: %d", got)
		}

		// The repair.
		r = e.do("POST", "/api/v3/io/sync/reconcile", nil)
		expect(t, r, 200)
		conformGuild(t, r, "POST", "/api/v3/io/sync/reconcile")
		want["dryRun"], want["enqueued"], want["remoteIdsFixed"] = false, float64(3), float64(1)
		if diff := cmp.Diff(want, r.data(t)); diff != "" {
			t.Errorf("repair (-want +got):\n%s", diff)
		}
		wantRows := []string{
			fmt.Sprintf("customer_group.updated customer_group %d", group),
			fmt.Sprintf("customer.updated customer %d", admin.CustomerID),
			fmt.Sprintf("customer.created customer %d", third.CustomerID),
		}
		if diff := cmp.Diff(wantRows, e.outboxSince(before)); diff != "" {
			t.Errorf("repair rows (-want +got):\n%s", diff)
		}
		if got := e.remoteID(guild.EntityCustomer, second.CustomerID); got != secondRemote {
			t.Errorf("the stale remote id is %d, want %d", got, secondRemote)
		}

		// Again: the repairs are queued, nothing is repaired twice.
		after := e.lastOutboxID()
		r = e.do("POST", "/api/v3/io/sync/reconcile", nil)
		expect(t, r, 200)
		got := r.data(t)
		if got["enqueued"] != float64(0) || got["remoteIdsFixed"] != float64(0) || len(got["drift"].([]any)) != 3 {
			t.Errorf("reconcile with the repairs queued: %s", r.body)
		}
		for _, d := range got["drift"].([]any) {
			if d.(map[string]any)["queuedChanges"] != float64(1) {
				t.Errorf("drift with a repair queued: %v", d)
			}
		}
		if rows := e.outboxSince(after); len(rows) != 0 {
			t.Errorf("a second reconcile wrote %v", rows)
		}
		expect(t, e.do("POST", "/api/v3/io/sync/reconcile?dryRun=maybe", nil), 422)
	})
}

// TestSyncImportConcurrent runs two imports at once: each batch decides in
// its transaction, so nothing is created twice.
func TestSyncImportConcurrent(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		e := newEnv(t, b, envOptions{})
		bc := newBCStore(t)
		bc.seedN(t, 30, 40)
		e.connect(bc)
		var wg sync.WaitGroup
		rs := make([]response, 2)
		for i := range rs {
			wg.Go(func() { rs[i] = e.do("POST", "/api/v3/io/sync/import", nil) })
		}
		wg.Wait()
		created := 0.0
		for _, r := range rs {
			expect(t, r, 200)
			created += r.data(t)["customers"].(map[string]any)["created"].(float64)
		}
		if created != 40 {
			t.Errorf("customers created by the two imports: %v, want 40", created)
		}
		if _, n, err := b.store.ListCustomerGroups(ctx, e.tenant.ID, guild.Page{Limit: 1}); err != nil || n != 30 {
			t.Errorf("groups after two imports at once: %d %v, want 30", n, err)
		}
		if ids, err := b.store.ListEntityIDs(ctx, e.tenant.ID, guild.EntityCustomer, 0, 0); err != nil || len(ids) != 40 {
			t.Errorf("customers after two imports at once: %d %v, want 40", len(ids), err)
		}
	})
}

// TestSyncReconcileKinds covers the other kinds of drift in a dependent
// store: a group Guild deleted that BigCommerce kept, a remote id pointing
// at a deleted BigCommerce customer, a Guild group BigCommerce has by name,
// and a BigCommerce customer Guild does not know.
func TestSyncReconcileKinds(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		e := newEnv(t, b, envOptions{dependent: true})
		bc := newBCStore(t)
		keepID := e.createCompany(nil)
		goneID := e.createCompany(nil)
		keep, _ := b.store.Company(ctx, e.tenant.ID, keepID)
		gone, _ := b.store.Company(ctx, e.tenant.ID, goneID)
		e.connect(bc)
		e.syncAll(bc)

		goneGroupRemote := e.remoteID(guild.EntityCustomerGroup, gone.CustomerGroupID)
		// Before the delete: SQLite hands the last deleted id out again.
		loose, err := e.app.CreateCustomerGroup(ctx, e.tenant, "Loose")
		if err != nil {
			t.Fatal(err)
		}
		expect(t, e.do("DELETE", fmt.Sprintf("/api/v3/io/companies/%d", goneID), nil), 200)
		admin := e.adminOf(keepID)
		adminRemote := e.remoteID(guild.EntityCustomer, admin.CustomerID)
		if err := bc.c.DeleteCustomers(ctx, []int{int(adminRemote)}); err != nil {
			t.Fatal(err)
		}
		looseRemote, err := bc.c.CreateCustomerGroup(ctx, bigcommerce.CustomerGroupInput{Name: bigcommerce.Ptr("Loose")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := bc.c.CreateCustomers(ctx, []bigcommerce.NewCustomer{{Email: "stranger@bc.example", FirstName: "S", LastName: "T"}}); err != nil {
			t.Fatal(err)
		}
		e.drain() // delivered, yet BigCommerce kept the deleted company's group
		before := e.lastOutboxID()

		want := map[string]any{"dryRun": true, "checked": map[string]any{"customerGroups": float64(2), "customers": float64(1)}, "inSync": float64(1),
			"drift": []any{
				map[string]any{"kind": "unlinked", "entityType": "customer_group", "entityId": float64(loose.ID), "label": "Loose",
					"remoteId": float64(0), "bigcommerceId": float64(looseRemote.ID), "queuedChanges": float64(0), "fields": []any{},
					"action": fmt.Sprintf("record remote id %d (the BigCommerce group of the same name)", looseRemote.ID)},
				map[string]any{"kind": "stale_remote_id", "entityType": "customer", "entityId": float64(admin.CustomerID), "label": admin.Email,
					"remoteId": float64(adminRemote), "bigcommerceId": float64(0), "queuedChanges": float64(0), "fields": []any{},
					"action": fmt.Sprintf("forget remote id %d; enqueue customer.created", adminRemote)},
				map[string]any{"kind": "deleted_locally", "entityType": "customer_group", "entityId": float64(gone.CustomerGroupID), "label": gone.Name,
					"remoteId": float64(goneGroupRemote), "bigcommerceId": float64(goneGroupRemote), "queuedChanges": float64(0), "fields": []any{},
					"action": "enqueue customer_group.deleted"},
			},
			"remoteOnly": map[string]any{"customerGroups": float64(0), "customers": float64(1)}, "enqueued": float64(0), "remoteIdsFixed": float64(0)}
		r := e.do("POST", "/api/v3/io/sync/reconcile?dryRun=1", nil)
		expect(t, r, 200)
		if diff := cmp.Diff(want, r.data(t)); diff != "" {
			t.Errorf("dry run (-want +got):\n%s", diff)
		}
		if rows := e.outboxSince(before); len(rows) != 0 {
			t.Errorf("the dry run wrote %v", rows)
		}
		_ = keep

		r = e.do("POST", "/api/v3/io/sync/reconcile?dryRun=false", nil)
		expect(t, r, 200)
		want["dryRun"], want["enqueued"], want["remoteIdsFixed"] = false, float64(2), float64(2)
		if diff := cmp.Diff(want, r.data(t)); diff != "" {
			t.Errorf("repair (-want +got):\n%s", diff)
		}
		wantRows := []string{
			fmt.Sprintf("customer.created customer %d", admin.CustomerID),
			fmt.Sprintf("customer_group.deleted customer_group %d", gone.CustomerGroupID),
		}
		if diff := cmp.Diff(wantRows, e.outboxSince(before)); diff != "" {
			t.Errorf("repair rows (-want +got):\n%s", diff)
		}
		if got := e.remoteID(guild.EntityCustomerGroup, loose.ID); got != int64(looseRemote.ID) {
			t.Errorf("the linked group's remote id: %d, want %d", got, looseRemote.ID)
		}
		if _, err := b.store.RemoteID(ctx, guild.EntityKey{TenantID: e.tenant.ID, EntityType: guild.EntityCustomer, EntityID: admin.CustomerID}); !guild.IsNotFound(err) {
			t.Errorf("the stale remote id was kept: %v", err)
		}
		snap, _ := bc.emu.Snapshot("bc1")
		if len(snap.Customers) != 2 { // the deleted company's admin, the stranger: none deleted
			t.Errorf("BigCommerce customers after the repair: %d, want 2 (the reconcile deletes none)", len(snap.Customers))
		}
	})
}
