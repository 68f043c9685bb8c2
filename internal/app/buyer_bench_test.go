package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/authz"
	"github.com/guild-b2b/guild/internal/sqlite"
)

// BenchmarkBuyerDecision measures the permission check's own cost per buyer
// request, on SQLite with GUILD_BENCH_COMPANIES companies (default
// 100,000): building the company snapshot from the store (loadWorld) and
// authz.Decide, for an already authenticated senior buyer. "own" asks about
// the user's own company, "other" about a company out of reach (404), and
// "super-admin" about an assigned company (which adds the assignment read).
// Each reports p50 and p99 latency:
//
//	go test -run '^$' -bench BuyerDecision -benchtime 20000x ./internal/app
func BenchmarkBuyerDecision(b *testing.B) {
	n := 100_000
	if v := os.Getenv("GUILD_BENCH_COMPANIES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatalf("GUILD_BENCH_COMPANIES: %v", err)
		}
	}
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	a := New(Options{Store: s, Logger: slog.New(slog.DiscardHandler)})
	t, err := a.CreateTenant(ctx, CreateTenantInput{Hash: "bench", Name: "Bench"})
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]int64, 0, n)
	start := time.Now()
	for lo := 0; lo < n; lo += 50_000 {
		err := s.Update(ctx, func(ctx context.Context, tx guild.Tx) error {
			for i := lo; i < min(lo+50_000, n); i++ {
				at := time.Unix(1_700_000_000+int64(i), 0)
				id, err := tx.CreateCompany(ctx, guild.Company{TenantID: t.ID, Name: fmt.Sprintf("Company %07d", i),
					Status: guild.CompanyStatus((i + 1) % 4), CreatedAt: at, UpdatedAt: at})
				if err != nil {
					return err
				}
				ids = append(ids, id)
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	own, other := ids[0], ids[n/2]
	var superID int64
	err = s.Update(ctx, func(ctx context.Context, tx guild.Tx) error {
		cid, err := tx.CreateCustomer(ctx, guild.Customer{TenantID: t.ID, Email: "sa@example.com", ChannelIDs: []int64{1}})
		if err != nil {
			return err
		}
		if superID, err = tx.CreateSuperAdmin(ctx, guild.SuperAdmin{TenantID: t.ID, CustomerID: cid, Email: "sa@example.com", FirstName: "S", LastName: "A", ChannelIDs: []int64{1}}); err != nil {
			return err
		}
		return tx.AssignSuperAdmin(ctx, t.ID, superID, []int64{own, ids[4], ids[8]}, nil)
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d companies in %v", n, time.Since(start).Round(time.Millisecond))

	senior, _ := authz.PredefinedRole(guild.RoleSeniorBuyer)
	user := &BuyerSession{Tenant: t, User: guild.User{ID: 1, CompanyID: own}, Subject: authz.Subject{UserID: 1, CompanyID: own, Role: senior}}
	super := &BuyerSession{Tenant: t, SuperAdmin: guild.SuperAdmin{ID: superID}, Subject: authz.Subject{UserID: superID, SuperAdmin: true}}
	for _, c := range []struct {
		name    string
		s       *BuyerSession
		company int64
		allowed bool
	}{
		{"own", user, own, true},
		{"other", user, other, false},
		{"super-admin", super, own, true},
	} {
		b.Run(c.name, func(b *testing.B) {
			runtime.GC() // the seeding's garbage is not this request's
			var times []time.Duration
			for b.Loop() {
				start := time.Now()
				_, d, err := a.authorize(ctx, c.s, "purchase_enable", c.company, 0)
				times = append(times, time.Since(start))
				if d.Allowed != c.allowed || (err != nil) == c.allowed {
					b.Fatalf("decision %+v, %v", d, err)
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
