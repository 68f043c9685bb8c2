package bigcommerce_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
	"github.com/guild-b2b/guild/internal/bcemu"
	"github.com/guild-b2b/guild/internal/bigcommerce"
	"github.com/guild-b2b/guild/internal/httpapi"
	"github.com/guild-b2b/guild/internal/outbox"
	"github.com/guild-b2b/guild/internal/pgtest"
	"github.com/guild-b2b/guild/internal/postgres"
	"github.com/guild-b2b/guild/internal/secret"
	"github.com/guild-b2b/guild/internal/sqlite"
)

// backend opens stores on one database: each call of open is another
// "process" on the same data.
type backend struct {
	name string
	open func(t testing.TB) guild.Store
}

// forEachBackend runs fn on SQLite and, when GUILD_TEST_POSTGRES_URL is
// set, on PostgreSQL, each on a fresh database.
func forEachBackend(t *testing.T, fn func(t *testing.T, b backend)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, sqliteBackend(t)) })
	t.Run("postgres", func(t *testing.T) {
		b, ok := postgresBackend(t)
		if !ok {
			t.Skip("GUILD_TEST_POSTGRES_URL is not set")
		}
		fn(t, b)
	})
}

func sqliteBackend(t testing.TB) backend {
	path := filepath.Join(t.TempDir(), "guild.db")
	return backend{"sqlite", func(t testing.TB) guild.Store {
		s, err := sqlite.Open(context.Background(), path, sqlite.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}}
}

func postgresBackend(t testing.TB) (backend, bool) {
	base := os.Getenv("GUILD_TEST_POSTGRES_URL")
	if base == "" {
		return backend{}, false
	}
	dsn := freshPostgres(t, base)
	return backend{"postgres", func(t testing.TB) guild.Store {
		s, err := postgres.Open(context.Background(), dsn, postgres.Options{MaxConns: 8})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}}, true
}

// freshPostgres creates and migrates a database dropped after the test.
func freshPostgres(t testing.TB, base string) string {
	return pgtest.FreshDatabase(t, base, "guild_conn")
}

var testKey = bytes.Repeat([]byte{7}, 32)

// gworld is Guild (store, app, HTTP API) and a BigCommerce emulator.
type gworld struct {
	t     testing.TB
	b     backend
	store guild.Store
	app   *app.App
	api   *httptest.Server
	emu   *bcemu.Emulator
	bc    *httptest.Server
	// slice is the dispatchers' TenantSlice (0: the default), lease their
	// LeaseFor (0: 20 s).
	slice, lease time.Duration
	// poll is how often drain looks at the queue (0: 20 ms).
	poll time.Duration
}

// newGWorld starts Guild and an emulator; wrap, when given, stands between
// the connector and the emulator.
func newGWorld(t testing.TB, b backend, emuOpts bcemu.Options, wrap ...func(http.Handler) http.Handler) *gworld {
	t.Helper()
	s := b.open(t)
	box, err := secret.New(testKey)
	if err != nil {
		t.Fatal(err)
	}
	a := app.New(app.Options{Store: s, Secrets: box, Logger: slog.New(slog.DiscardHandler)})
	api := httptest.NewServer(httpapi.New(httpapi.Options{App: a, Logger: slog.New(slog.DiscardHandler)}))
	t.Cleanup(api.Close)
	emu, err := bcemu.New(emuOpts)
	if err != nil {
		t.Fatal(err)
	}
	var h http.Handler = emu
	for _, wr := range wrap {
		h = wr(h)
	}
	bc := httptest.NewServer(h)
	t.Cleanup(bc.Close)
	return &gworld{t: t, b: b, store: s, app: a, api: api, emu: emu, bc: bc}
}

// tenant is a Guild store with an API token.
type tenant struct {
	w     *gworld
	t     guild.Tenant
	token string
	hash  string // its BigCommerce store hash
}

func (w *gworld) tenant(hash string, dependent bool, bcHash, bcToken string) *tenant {
	w.t.Helper()
	ctx := context.Background()
	t, err := w.app.CreateTenant(ctx, app.CreateTenantInput{Hash: hash, Name: hash, DependentCompanies: dependent, DefaultCustomerGroupName: "Wholesale " + hash})
	if err != nil {
		w.t.Fatal(err)
	}
	tok, _, err := w.app.CreateToken(ctx, hash, "test")
	if err != nil {
		w.t.Fatal(err)
	}
	return &tenant{w: w, t: t, token: tok, hash: bcHash}
}

func (tn *tenant) connect(bcToken string) {
	tn.w.t.Helper()
	if _, err := tn.w.app.ConnectPlatform(context.Background(), tn.t, app.ConnectInput{StoreHash: tn.hash, Token: bcToken, APIURL: tn.w.bc.URL}); err != nil {
		tn.w.t.Fatal(err)
	}
}

// call sends an API request and returns the answer's data; a status other
// than 200 fails the test.
func (tn *tenant) call(method, path string, body any) json.RawMessage {
	tn.w.t.Helper()
	data, status, raw := tn.try(method, path, body)
	if status != http.StatusOK {
		tn.w.t.Fatalf("%s %s: %d %s", method, path, status, raw)
	}
	return data
}

func (tn *tenant) try(method, path string, body any) (json.RawMessage, int, string) {
	tn.w.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			tn.w.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, tn.w.api.URL+path, rd)
	if err != nil {
		tn.w.t.Fatal(err)
	}
	req.Header.Set("authToken", tn.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tn.w.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var env struct {
		Data json.RawMessage `json:"data"`
	}
	_ = json.Unmarshal(raw, &env)
	return env.Data, resp.StatusCode, string(raw)
}

func (tn *tenant) id(data json.RawMessage, field string) int64 {
	tn.w.t.Helper()
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		tn.w.t.Fatalf("%s: %v", data, err)
	}
	switch v := m[field].(type) {
	case float64:
		return int64(v)
	case string:
		var n int64
		fmt.Sscan(v, &n)
		return n
	}
	tn.w.t.Fatalf("no %s in %s", field, data)
	return 0
}

// dispatcher runs a dispatcher with a connector until the test ends; it
// returns a function that stops it and waits.
func (w *gworld) dispatcher(owner string, metrics *outbox.Metrics) (stop func()) {
	w.t.Helper()
	conn, err := bigcommerce.NewConnector(bigcommerce.ConnectorOptions{Store: w.store, Metrics: metrics,
		Retry: bigcommerce.Retry{BaseDelay: 5 * time.Millisecond, MaxDelay: 50 * time.Millisecond}})
	if err != nil {
		w.t.Fatal(err)
	}
	return w.runDispatcher(owner, conn, w.store)
}

func (w *gworld) runDispatcher(owner string, h outbox.Handler, s guild.Store) (stop func()) {
	d, err := outbox.New(outbox.Options{Store: s, Handler: h, OpenToken: w.app.OpenPlatformToken, Syncer: w.app, Owner: owner,
		Workers: 2, BatchSize: 100, PollInterval: 20 * time.Millisecond, BackoffBase: 20 * time.Millisecond, BackoffMax: 200 * time.Millisecond,
		LeaseFor: cmp.Or(w.lease, 20*time.Second), TenantSlice: w.slice, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		w.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { d.Run(ctx) })
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); wg.Wait() }) }
	w.t.Cleanup(stop)
	return stop
}

// drain waits until the tenant's outbox has nothing pending and its initial
// sync is over.
func (tn *tenant) drain(timeout time.Duration) guild.OutboxStats {
	tn.w.t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(timeout)
	for {
		st, err := tn.w.store.OutboxStats(ctx, tn.t.ID, time.Now())
		if err != nil {
			tn.w.t.Fatal(err)
		}
		conn, err := tn.w.store.PlatformConnection(ctx, tn.t.ID)
		if err != nil {
			tn.w.t.Fatal(err)
		}
		if st.PendingAll == 0 && conn.SyncStage == "" {
			return st
		}
		if time.Now().After(deadline) {
			tn.w.t.Fatalf("the outbox of %s did not drain in %v: %+v, connection %s %s %s", tn.t.Hash, timeout, st, conn.State, conn.PausedReason, conn.LastError)
		}
		time.Sleep(cmp.Or(tn.w.poll, 20*time.Millisecond))
	}
}

// entityIDs lists a tenant's entities of a type.
func (tn *tenant) entityIDs(entityType string) []int64 {
	tn.w.t.Helper()
	ids, err := tn.w.store.ListEntityIDs(context.Background(), tn.t.ID, entityType, 0, 1_000_000)
	if err != nil {
		tn.w.t.Fatal(err)
	}
	return ids
}

// checkInSync compares the emulator's store with Guild's: every group and
// customer of Guild once, with the synced fields, nothing else, no
// duplicate emails.
func (tn *tenant) checkInSync() bcemu.Snapshot {
	t := tn.w.t
	t.Helper()
	ctx := context.Background()
	snap, err := tn.w.emu.Snapshot(tn.hash)
	if err != nil {
		t.Fatal(err)
	}
	groups := map[int]bcemu.Group{}
	for _, g := range snap.Groups {
		groups[g.ID] = g
	}
	customers := map[int]bcemu.Customer{}
	emails := map[string]int{}
	for _, c := range snap.Customers {
		customers[c.ID] = c
		if prev, dup := emails[strings.ToLower(c.Email)]; dup {
			t.Errorf("BigCommerce has email %s twice: customers %d and %d", c.Email, prev, c.ID)
		}
		emails[strings.ToLower(c.Email)] = c.ID
	}
	remote := func(entityType string, id int64) int {
		r, err := tn.w.store.RemoteID(ctx, guild.EntityKey{TenantID: tn.t.ID, EntityType: entityType, EntityID: id})
		if err != nil {
			t.Errorf("%s %d has no remote id: %v", entityType, id, err)
			return 0
		}
		return int(r)
	}
	wantGroups := map[int]bool{}
	for _, id := range tn.entityIDs(guild.EntityCustomerGroup) {
		g, err := tn.w.store.CustomerGroup(ctx, tn.t.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		r := remote(guild.EntityCustomerGroup, id)
		bg, ok := groups[r]
		switch {
		case r == 0:
		case !ok:
			t.Errorf("group %d (%s) is not in BigCommerce (remote id %d)", id, g.Name, r)
		case bg.Name != g.Name:
			t.Errorf("group %d: BigCommerce's name %q, Guild's %q", id, bg.Name, g.Name)
		}
		wantGroups[r] = true
	}
	for id, g := range groups {
		if !wantGroups[id] {
			t.Errorf("BigCommerce has group %d (%s) that Guild has not", id, g.Name)
		}
	}
	groupRemote := func(local int64) int {
		if local == 0 {
			return 0
		}
		return remote(guild.EntityCustomerGroup, local)
	}
	wantCustomers := map[int]bool{}
	for _, id := range tn.entityIDs(guild.EntityCustomer) {
		c, err := tn.w.store.Customer(ctx, tn.t.ID, id)
		if err != nil {
			t.Fatal(err)
		}
		r := remote(guild.EntityCustomer, id)
		bc, ok := customers[r]
		if r != 0 && !ok {
			t.Errorf("customer %d (%s) is not in BigCommerce (remote id %d)", id, c.Email, r)
			continue
		}
		wantCustomers[r] = true
		got := bigcommerce.Customer{Email: bc.Email, FirstName: bc.FirstName, LastName: bc.LastName, Company: bc.Company,
			Phone: bc.Phone, CustomerGroupID: bc.CustomerGroupID, ChannelIDs: bc.ChannelIDs}
		if !bigcommerce.CustomerInSync(got, c, groupRemote(c.CustomerGroupID)) {
			t.Errorf("customer %d: BigCommerce has %+v, Guild %+v (group remote %d)", id, got, c, groupRemote(c.CustomerGroupID))
		}
	}
	for id, c := range customers {
		if !wantCustomers[id] {
			t.Errorf("BigCommerce has customer %d (%s) that Guild has not", id, c.Email)
		}
	}
	return snap
}
