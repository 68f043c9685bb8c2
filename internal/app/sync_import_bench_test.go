package app

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/bcemu"
	"github.com/guild-b2b/guild/internal/bigcommerce"
	"github.com/guild-b2b/guild/internal/secret"
	"github.com/guild-b2b/guild/internal/sqlite"
)

// BenchmarkSyncImport measures ImportFromPlatform on SQLite against the
// emulator over HTTP: 50 groups and GUILD_BENCH_IMPORT_CUSTOMERS customers
// (default 5,000). "first" imports into a fresh store each time (everything
// created), "again" re-imports into the same store (everything unchanged).
// Each reports entities per second:
//
//	go test -run '^$' -bench SyncImport -benchtime 3x ./internal/app
func BenchmarkSyncImport(b *testing.B) {
	n := 5000
	if v := os.Getenv("GUILD_BENCH_IMPORT_CUSTOMERS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatalf("GUILD_BENCH_IMPORT_CUSTOMERS: %v", err)
		}
	}
	const groups = 50
	ctx := context.Background()
	// A large quota for seeding; the import itself needs one request per
	// 250 entities, well within BigCommerce's 150 per 30 s.
	emu, err := bcemu.New(bcemu.Options{StoreHash: "bc1", Token: "bctoken", Quota: 1_000_000, Window: time.Second})
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(emu)
	defer srv.Close()
	bc, err := bigcommerce.New(bigcommerce.Options{BaseURL: srv.URL, StoreHash: "bc1", Token: "bctoken", Pacing: bigcommerce.Pacing{Quota: 1_000_000, Window: time.Second}})
	if err != nil {
		b.Fatal(err)
	}
	var groupIDs []int
	for i := range groups {
		g, err := bc.CreateCustomerGroup(ctx, bigcommerce.CustomerGroupInput{Name: bigcommerce.Ptr(fmt.Sprintf("Group %d", i))})
		if err != nil {
			b.Fatal(err)
		}
		groupIDs = append(groupIDs, g.ID)
	}
	for lo := 0; lo < n; lo += bigcommerce.MaxCustomerBatch {
		var batch []bigcommerce.NewCustomer
		for i := lo; i < min(lo+bigcommerce.MaxCustomerBatch, n); i++ {
			batch = append(batch, bigcommerce.NewCustomer{Email: fmt.Sprintf("c%06d@bc.example", i), FirstName: "F", LastName: strconv.Itoa(i),
				CustomerGroupID: groupIDs[i%groups]})
		}
		if _, err := bc.CreateCustomers(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	key, err := secret.LoadOrCreateKeyFile(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	box, err := secret.New(key)
	if err != nil {
		b.Fatal(err)
	}
	a := New(Options{Store: s, Secrets: box, Logger: slog.New(slog.DiscardHandler)})
	stores := 0
	fresh := func() guild.Tenant {
		stores++
		t, err := a.CreateTenant(ctx, CreateTenantInput{Hash: fmt.Sprintf("bench%d", stores), Name: "Bench"})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := a.ConnectPlatform(ctx, t, ConnectInput{StoreHash: "bc1", Token: "bctoken", APIURL: srv.URL}); err != nil {
			b.Fatal(err)
		}
		for more := true; more; {
			if more, err = a.AdvanceInitialSyncs(ctx); err != nil {
				b.Fatal(err)
			}
		}
		return t
	}
	check := func(res ImportResult, created bool) {
		c := res.Customers.Created
		if !created {
			c = res.Customers.Unchanged
		}
		if c != n {
			b.Fatalf("import: %+v, want %d customers", res, n)
		}
	}
	b.Run("first", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			t := fresh()
			b.StartTimer()
			res, err := a.ImportFromPlatform(ctx, t)
			if err != nil {
				b.Fatal(err)
			}
			check(res, true)
		}
		b.ReportMetric(float64(b.N*(n+groups))/b.Elapsed().Seconds(), "entities/s")
	})
	b.Run("again", func(b *testing.B) {
		t := fresh()
		if _, err := a.ImportFromPlatform(ctx, t); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			res, err := a.ImportFromPlatform(ctx, t)
			if err != nil {
				b.Fatal(err)
			}
			check(res, false)
		}
		b.ReportMetric(float64(b.N*(n+groups))/b.Elapsed().Seconds(), "entities/s")
	})
}
