package bigcommerce_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/bcemu"
	"github.com/guild-b2b/guild/internal/bigcommerce"
	"github.com/guild-b2b/guild/internal/outbox"
)

// faulty is the emulator's weather in the end-to-end tests: 429s, 5xx,
// connections dropped before and after the request was carried out.
var faulty = bcemu.Faults{Share429: 0.1, Share5xx: 0.1, ShareDrop: 0.08, ShareDropAfter: 0.1}

// scenario makes companies, users, super admins and (independent mode)
// customer groups change through the API, and returns the ids of a kept
// customer whose user was deleted.
func scenario(t *testing.T, tn *tenant, round string, dependent bool) {
	ctx := context.Background()
	var groupID int64
	if !dependent {
		g, err := tn.w.app.CreateCustomerGroup(ctx, tn.t, "Retail "+round)
		if err != nil {
			t.Fatal(err)
		}
		groupID = g.ID
		if _, err := tn.w.app.RenameCustomerGroup(ctx, tn.t, g.ID, "Retail renamed "+round); err != nil {
			t.Fatal(err)
		}
		tmp, err := tn.w.app.CreateCustomerGroup(ctx, tn.t, "Temp "+round)
		if err != nil {
			t.Fatal(err)
		}
		if err := tn.w.app.DeleteCustomerGroup(ctx, tn.t, tmp.ID); err != nil {
			t.Fatal(err)
		}
	}
	var companies []int64
	for i := range 6 {
		body := map[string]any{
			"companyName": fmt.Sprintf("Co %s %d", round, i), "companyEmail": fmt.Sprintf("co%d@%s.example", i, round),
			"companyPhone": "555", "country": "US", "adminFirstName": "Ada", "adminLastName": fmt.Sprintf("Admin%d", i),
			"adminEmail": fmt.Sprintf("admin%d@%s.example", i, round), "adminPhoneNumber": "555-0100",
		}
		if dependent && i%2 == 0 {
			body["catalogId"] = 100 + i
		}
		if !dependent && i%2 == 1 {
			body["customerGroupId"] = groupID
		}
		companies = append(companies, tn.id(tn.call("POST", "/api/v3/io/companies", body), "companyId"))
	}
	var users []int64
	for i, c := range companies[:4] {
		for j := range 2 {
			users = append(users, tn.id(tn.call("POST", "/api/v3/io/users", map[string]any{
				"companyId": c, "email": fmt.Sprintf("u%d.%d@%s.example", i, j, round), "firstName": "Uma", "lastName": fmt.Sprintf("User%d%d", i, j),
				"phoneNumber": "555-0111", "role": 1,
			}), "userId"))
		}
	}
	tn.call("PUT", fmt.Sprintf("/api/v3/io/users/%d", users[0]), map[string]any{"firstName": "Umberto", "phoneNumber": "555-0199"})
	tn.call("DELETE", fmt.Sprintf("/api/v3/io/users/%d", users[1]), nil)
	// A company renamed (dependent: its group too), one moved to another
	// group (independent), one deleted with its users.
	tn.call("PUT", fmt.Sprintf("/api/v3/io/companies/%d", companies[2]), map[string]any{"companyName": "Renamed " + round})
	if dependent {
		tn.call("PUT", fmt.Sprintf("/api/v3/io/companies/%d", companies[0]), map[string]any{
			"priceListAssign": []map[string]any{{"channelId": 1, "priceListId": 7}, {"channelId": 2, "priceListId": 8}}})
	} else {
		tn.call("PUT", fmt.Sprintf("/api/v3/io/companies/%d", companies[0]), map[string]any{"customerGroupId": groupID})
	}
	tn.call("DELETE", fmt.Sprintf("/api/v3/io/companies/%d", companies[3]), nil)
	sa := tn.id(tn.call("POST", "/api/v3/io/super-admins", map[string]any{
		"email": "sa@" + round + ".example", "firstName": "Sam", "lastName": "Super", "phone": "555-0123"}), "userId")
	tn.call("POST", "/api/v3/io/super-admins", map[string]any{"email": "sb@" + round + ".example", "firstName": "Sue", "lastName": "Super"})
	tn.call("PUT", fmt.Sprintf("/api/v3/io/super-admins/info/%d", sa), map[string]any{"lastName": "Superior"})
}

// TestConnectorEndToEnd syncs two stores (independent and dependent
// companies) to an emulator that answers 429s, 5xx and drops connections,
// some data made before the connection (the initial sync), the rest while
// the dispatcher runs; then BigCommerce matches Guild exactly. The fault
// dice's seed is 3; GUILD_TEST_BCEMU_SEED tries others.
func TestConnectorEndToEnd(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		w := newGWorld(t, b, bcemu.Options{StoreHash: "bcind", Token: "tok-ind", Quota: 100000, Window: time.Second, Seed: uint64(envInt("GUILD_TEST_BCEMU_SEED", 3))})
		if err := w.emu.AddStore("bcdep", "tok-dep"); err != nil {
			t.Fatal(err)
		}
		ind := w.tenant("ind", false, "bcind", "tok-ind")
		dep := w.tenant("dep", true, "bcdep", "tok-dep")
		scenario(t, ind, "before", false)
		scenario(t, dep, "before", true)
		if err := w.emu.SetFaults(faulty); err != nil {
			t.Fatal(err)
		}
		reg := prometheus.NewRegistry()
		w.dispatcher("r1", outbox.NewMetrics(reg, w.store, nil))
		ind.connect("tok-ind")
		dep.connect("tok-dep")
		scenario(t, ind, "after", false)
		scenario(t, dep, "after", true)
		for _, tn := range []*tenant{ind, dep} {
			if st := tn.drain(60 * time.Second); st.Dead != 0 {
				dead, _ := w.store.ListOutboxRows(context.Background(), tn.t.ID, guild.OutboxDead, 0, 0)
				t.Errorf("%s: %d dead letters: %+v", tn.t.Hash, st.Dead, dead)
			}
			tn.checkInSync()
		}
		var faults [4]int
		answered429 := 0
		for _, h := range []string{"bcind", "bcdep"} {
			st, _ := w.emu.Stats(h)
			answered429 += st.RateLimited
			faults[0] += st.Injected429
			faults[1] += st.Injected5xx
			faults[2] += st.Dropped
			faults[3] += st.DroppedAfter
		}
		if faults[0] == 0 || faults[1] == 0 || faults[2] == 0 || faults[3] == 0 {
			t.Errorf("the emulator injected too few faults to show anything: 429 %d, 5xx %d, dropped %d, dropped after %d", faults[0], faults[1], faults[2], faults[3])
		}
		if got := counter(t, reg, "guild_sync_rate_limited_total"); got != float64(answered429) {
			t.Errorf("guild_sync_rate_limited_total is %v; the emulator answered %d 429s", got, answered429)
		}
		t.Logf("faults injected: 429 %d, 5xx %d, dropped %d, dropped after %d", faults[0], faults[1], faults[2], faults[3])

		// Deleted users' customers are kept (and out of their group);
		// deleted dependent companies' groups are gone.
		snap, _ := w.emu.Snapshot("bcind")
		if c := findCustomer(snap, "u0.1@after.example"); c == nil {
			t.Error("the customer of a deleted user was deleted from BigCommerce")
		}
		if c := findCustomer(snap, "admin3@after.example"); c == nil || c.CustomerGroupID != 0 {
			t.Errorf("the admin of a deleted company in BigCommerce: %+v, want kept with no group", c)
		}
		dsnap, _ := w.emu.Snapshot("bcdep")
		for _, g := range dsnap.Groups {
			if strings.HasPrefix(g.Name, "Co after 3") || strings.HasPrefix(g.Name, "Co before 3") {
				t.Errorf("the group of a deleted company is still there: %+v", g)
			}
		}
		// Dependent mode: the renamed company's group is renamed, and the
		// price lists are assigned per channel.
		names := map[string]int{}
		for _, g := range dsnap.Groups {
			names[g.Name] = g.ID
		}
		if names["Renamed after"] == 0 {
			t.Errorf("the renamed company's group is not renamed: %v", names)
		}
		got := map[string][][2]int{}
		for _, a := range dsnap.Assignments {
			for n, id := range names {
				if id == a.CustomerGroupID {
					got[n] = append(got[n], [2]int{a.ChannelID, a.PriceListID})
				}
			}
		}
		want := map[string][][2]int{
			"Co after 0": {{1, 7}, {2, 8}}, "Co before 0": {{1, 7}, {2, 8}},
			"Renamed after": {{1, 102}}, "Renamed before": {{1, 102}},
			"Co after 4": {{1, 104}}, "Co before 4": {{1, 104}},
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("price-list assignments (-want +got):\n%s", d)
		}
	})
}

// counter reads a counter of reg.
func counter(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	t.Fatalf("no metric %s", name)
	return 0
}

func findCustomer(s bcemu.Snapshot, email string) *bcemu.Customer {
	for _, c := range s.Customers {
		if strings.EqualFold(c.Email, email) {
			return &c
		}
	}
	return nil
}

// TestConnectorLostCreates: the first create of each kind is carried out
// but its answer is lost (the connection drops); the client sends it again.
// The first group create loses every answer of the call (five sends, five
// groups made), so the row is retried. BigCommerce still ends up with each
// group, customer and assignment once.
func TestConnectorLostCreates(t *testing.T) {
	var mu sync.Mutex
	lost := map[string]int{}
	dropFirst := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			key := r.Method + " " + r.URL.Path
			most := 1
			if strings.HasSuffix(key, "/customer_groups") {
				most = 5 // the client's sends per call
			}
			mu.Lock()
			first := r.Method == http.MethodPost && lost[key] < most
			if first {
				lost[key]++
			}
			mu.Unlock()
			if !first {
				next.ServeHTTP(w, r)
				return
			}
			next.ServeHTTP(httptest.NewRecorder(), r) // done, answer lost
			panic(http.ErrAbortHandler)
		})
	}
	w := newGWorld(t, sqliteBackend(t), bcemu.Options{StoreHash: "bc1", Token: "tok1", Quota: 100000, Window: time.Second}, dropFirst)
	tn := w.tenant("s1", true, "bc1", "tok1")
	w.dispatcher("r1", nil)
	tn.connect("tok1")
	for i := range 3 {
		tn.call("POST", "/api/v3/io/companies", map[string]any{
			"companyName": fmt.Sprintf("Co %d", i), "companyEmail": fmt.Sprintf("co%d@x.example", i), "companyPhone": "1", "country": "US",
			"adminFirstName": "A", "adminLastName": "B", "adminEmail": fmt.Sprintf("a%d@x.example", i), "catalogId": 5})
	}
	if st := tn.drain(20 * time.Second); st.Dead != 0 {
		t.Errorf("%d dead letters", st.Dead)
	}
	snap := tn.checkInSync()
	if len(snap.Groups) != 4 || len(snap.Customers) != 3 || len(snap.Assignments) != 3 {
		t.Errorf("BigCommerce has %d groups, %d customers, %d assignments; want 4, 3, 3", len(snap.Groups), len(snap.Customers), len(snap.Assignments))
	}
	mu.Lock()
	defer mu.Unlock()
	for _, k := range []string{"POST /stores/bc1/v2/customer_groups", "POST /stores/bc1/v3/customers", "POST /stores/bc1/v3/pricelists/assignments"} {
		if lost[k] == 0 {
			t.Errorf("no %s was lost: the test did not test it", k)
		}
	}
}

// TestConnectorRevokedToken: a revoked token pauses the store with a clear
// state; reconnecting resumes it, and nothing is lost.
func TestConnectorRevokedToken(t *testing.T) {
	w := newGWorld(t, sqliteBackend(t), bcemu.Options{StoreHash: "bc1", Token: "tok1", Quota: 100000, Window: time.Second})
	tn := w.tenant("s1", false, "bc1", "tok1")
	w.dispatcher("r1", nil)
	tn.connect("tok1")
	tn.drain(20 * time.Second)
	if err := w.emu.SetFaults(bcemu.Faults{TokenRevoked: true}); err != nil {
		t.Fatal(err)
	}
	scenario(t, tn, "x", false)
	ctx := context.Background()
	deadline := time.Now().Add(20 * time.Second)
	var conn guild.PlatformConnection
	for {
		var err error
		if conn, err = w.store.PlatformConnection(ctx, tn.t.ID); err != nil {
			t.Fatal(err)
		}
		if conn.State == guild.ConnectionPaused || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if conn.State != guild.ConnectionPaused || conn.PausedReason != guild.PauseUnauthorized || !strings.Contains(conn.LastError, "unauthorized (401)") {
		t.Fatalf("connection after a revoked token: %s %q %q, want paused, unauthorized, BigCommerce's 401", conn.State, conn.PausedReason, conn.LastError)
	}
	st, _ := w.store.OutboxStats(ctx, tn.t.ID, time.Now())
	if st.PendingAll == 0 || st.Dead != 0 {
		t.Errorf("paused queue: %+v, want changes kept pending, none dead", st)
	}
	if err := w.emu.SetFaults(bcemu.Faults{}); err != nil {
		t.Fatal(err)
	}
	tn.connect("tok1")
	if st := tn.drain(20 * time.Second); st.Dead != 0 {
		t.Errorf("%d dead letters", st.Dead)
	}
	tn.checkInSync()
}

// TestConnector422: a phone BigCommerce refuses (longer than its 50
// characters; Guild takes 100) dead-letters that customer's row with
// BigCommerce's message; the others of the same batch still sync.
func TestConnector422(t *testing.T) {
	w := newGWorld(t, sqliteBackend(t), bcemu.Options{StoreHash: "bc1", Token: "tok1", Quota: 100000, Window: time.Second})
	tn := w.tenant("s1", false, "bc1", "tok1")
	long := strings.Repeat("5", 60)
	for i := range 5 {
		phone := "555"
		if i == 2 {
			phone = long
		}
		tn.call("POST", "/api/v3/io/companies", map[string]any{
			"companyName": fmt.Sprintf("Co %d", i), "companyEmail": fmt.Sprintf("co%d@x.example", i), "companyPhone": "1", "country": "US",
			"adminFirstName": "A", "adminLastName": "B", "adminEmail": fmt.Sprintf("a%d@x.example", i), "adminPhoneNumber": phone,
		})
	}
	w.dispatcher("r1", nil)
	tn.connect("tok1")
	st := tn.drain(20 * time.Second)
	ctx := context.Background()
	dead, err := w.store.ListOutboxRows(ctx, tn.t.ID, guild.OutboxDead, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	// The customer's row, and its user's row delivered with it.
	var deadKinds []string
	for _, r := range dead {
		deadKinds = append(deadKinds, fmt.Sprintf("%s %d", r.EntityType, r.EntityID))
		if want := "BigCommerce refused to create customer a2@x.example: phone: phone must be at most 50 characters long (got 60)"; r.LastError != want {
			t.Errorf("dead letter %s: %q, want %q", r.Topic, r.LastError, want)
		}
	}
	if d := cmp.Diff([]string{"customer 3", "user 3"}, deadKinds); st.Dead != 2 || d != "" {
		t.Fatalf("dead letters (-want +got):\n%s", d)
	}
	snap, _ := w.emu.Snapshot("bc1")
	if len(snap.Customers) != 4 || findCustomer(snap, "a2@x.example") != nil {
		t.Errorf("BigCommerce has %d customers, want the 4 others", len(snap.Customers))
	}
	// Fixed in Guild, the customer syncs.
	users, _ := tn.w.store.ListEntityIDs(ctx, tn.t.ID, guild.EntityUser, 0, 100)
	tn.call("PUT", fmt.Sprintf("/api/v3/io/users/%d", users[2]), map[string]any{"phoneNumber": "555"})
	tn.drain(20 * time.Second)
	snap, _ = w.emu.Snapshot("bc1")
	if c := findCustomer(snap, "a2@x.example"); c == nil || c.Phone != "555" {
		t.Errorf("after the fix, BigCommerce has %+v", c)
	}
}

// TestConnectorTwoReplicas: two dispatchers with their own connectors on one
// PostgreSQL database and one emulator: no row is delivered twice, and the
// store's quota holds. Then one replica dies in the middle of a delivery:
// the other delivers its rows once their lease expires, and BigCommerce
// ends up with every customer once.
func TestConnectorTwoReplicas(t *testing.T) {
	b, ok := postgresBackend(t)
	if !ok {
		t.Skip("GUILD_TEST_POSTGRES_URL is not set")
	}
	const quota = 10
	var mu sync.Mutex
	var dying func() // stops the replica to kill at the next BigCommerce call
	killer := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			stop := dying
			dying = nil
			mu.Unlock()
			if stop != nil {
				go stop()                          // the replica dies...
				time.Sleep(300 * time.Millisecond) // ...while this call is under way
			}
			next.ServeHTTP(w, r)
		})
	}
	w := newGWorld(t, b, bcemu.Options{StoreHash: "bc1", Token: "tok1", Quota: quota, Window: time.Second}, killer)
	tn := w.tenant("s1", false, "bc1", "tok1")
	companies := func(from, n int) {
		var body []map[string]any
		for i := from; i < from+n; i++ {
			body = append(body, map[string]any{
				"companyName": fmt.Sprintf("Co %d", i), "companyEmail": fmt.Sprintf("co%d@x.example", i), "companyPhone": "1", "country": "US",
				"adminFirstName": "A", "adminLastName": "B", "adminEmail": fmt.Sprintf("a%d@x.example", i)})
		}
		for lo := 0; lo < len(body); lo += 10 {
			tn.call("POST", "/api/v3/io/companies/bulk", body[lo:min(lo+10, len(body))])
		}
	}
	companies(0, 150)

	w.slice, w.lease = 300*time.Millisecond, 2*time.Second
	delivered := map[string]int{}
	var kill bool // the next replica to get a batch of customers dies in the middle of it
	var killed string
	for _, name := range []string{"r1", "r2"} {
		s := b.open(t)
		conn, err := bigcommerce.NewConnector(bigcommerce.ConnectorOptions{Store: s})
		if err != nil {
			t.Fatal(err)
		}
		var stop func()
		stop = w.runDispatcher(name, outbox.HandlerFunc(func(ctx context.Context, b outbox.Batch) outbox.Report {
			mu.Lock()
			delivered[name] += len(b.Rows)
			if kill && slices.ContainsFunc(b.Rows, func(r guild.OutboxRow) bool { return r.Topic == guild.TopicCustomerCreated }) {
				kill, killed, dying = false, name, stop
			}
			mu.Unlock()
			return conn.Deliver(ctx, b)
		}), s)
	}
	tn.connect("tok1")
	tn.drain(60 * time.Second)
	st0, _ := w.emu.Stats("bc1")

	// Changes once the initial sync is over: without faults, every row is
	// delivered by exactly one attempt of one replica.
	for i := range 150 {
		tn.call("PUT", fmt.Sprintf("/api/v3/io/users/%d", i+1), map[string]any{"firstName": fmt.Sprintf("N%d", i)})
	}
	tn.drain(60 * time.Second)
	tn.checkInSync()
	done, err := w.store.ListOutboxRows(context.Background(), tn.t.ID, guild.OutboxDone, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range done {
		if r.Attempts != 1 {
			t.Errorf("row %d (%s %s %d) took %d attempts", r.ID, r.Topic, r.EntityType, r.EntityID, r.Attempts)
		}
	}
	st, _ := w.emu.Stats("bc1")
	if n := st0.Requests["POST /v3/customers"]; n > 150/bigcommerce.MaxCustomerBatch+3 {
		t.Errorf("%d customer creates for 150 customers: some were sent twice", n)
	}
	if len(st.Windows) < 3 {
		t.Errorf("the drain took %d windows: too few to show the quota holds", len(st.Windows))
	}
	if st.PeakPerWindow > quota || st.RateLimited > 0 {
		t.Errorf("peak %d requests per window (quota %d), %d 429s", st.PeakPerWindow, quota, st.RateLimited)
	}
	lastRow := done[len(done)-1].ID
	mu.Lock()
	t.Logf("emulator: %d requests %v, peak %d/window; rows delivered by replica: %v", st.Total, st.Requests, st.PeakPerWindow, delivered)
	kill = true
	mu.Unlock()

	// The kill.
	companies(150, 100)
	tn.drain(60 * time.Second)
	tn.checkInSync()
	mu.Lock()
	defer mu.Unlock()
	if killed == "" {
		t.Fatal("no replica was killed")
	}
	snap, _ := w.emu.Snapshot("bc1")
	if len(snap.Customers) != 250 {
		t.Errorf("BigCommerce has %d customers, want 250", len(snap.Customers))
	}
	// The dead replica's rows were delivered again (their lease expired).
	done, err = w.store.ListOutboxRows(context.Background(), tn.t.ID, guild.OutboxDone, lastRow, 0)
	if err != nil {
		t.Fatal(err)
	}
	again := 0
	for _, r := range done {
		if r.Attempts > 1 {
			again++
		}
	}
	if again == 0 {
		t.Error("no row was delivered again after the kill: the replica did not die mid-delivery")
	}
	st2, _ := w.emu.Stats("bc1")
	t.Logf("%d rows delivered again; ", again)
	t.Logf("replica %s killed mid-delivery; emulator after: %v; rows delivered by replica: %v", killed, st2.Requests, delivered)
	if st2.PeakPerWindow > quota {
		t.Errorf("peak %d requests per window (quota %d)", st2.PeakPerWindow, quota)
	}
}

// TestConnectorLinksExistingGroup: a BigCommerce store that already has a
// group of the name of a merchant's Guild group gets no second one: the
// connector links Guild's group to it, as it links a customer by email. A
// company's own group (dependent mode) is always made.
func TestConnectorLinksExistingGroup(t *testing.T) {
	w := newGWorld(t, sqliteBackend(t), bcemu.Options{StoreHash: "bc1", Token: "tok1", Quota: 100000, Window: time.Second})
	ctx := context.Background()
	c, err := bigcommerce.New(bigcommerce.Options{BaseURL: w.bc.URL, StoreHash: "bc1", Token: "tok1"})
	if err != nil {
		t.Fatal(err)
	}
	existing, err := c.CreateCustomerGroup(ctx, bigcommerce.CustomerGroupInput{Name: bigcommerce.Ptr("Wholesale s1")})
	if err != nil {
		t.Fatal(err)
	}
	tn := w.tenant("s1", false, "bc1", "tok1") // its default group is "Wholesale s1"
	w.dispatcher("r1", nil)
	tn.connect("tok1")
	if st := tn.drain(20 * time.Second); st.Dead != 0 {
		t.Errorf("%d dead letters", st.Dead)
	}
	snap := tn.checkInSync()
	if len(snap.Groups) != 1 {
		t.Fatalf("BigCommerce has %d groups, want the one it had: %+v", len(snap.Groups), snap.Groups)
	}
	remote, err := w.store.RemoteID(ctx, guild.EntityKey{TenantID: tn.t.ID, EntityType: guild.EntityCustomerGroup, EntityID: tn.t.DefaultCustomerGroupID})
	if err != nil || remote != int64(existing.ID) {
		t.Errorf("Guild's default group is linked to %d (%v), want BigCommerce's existing group %d", remote, err, existing.ID)
	}
}
