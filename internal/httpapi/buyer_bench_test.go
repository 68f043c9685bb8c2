package httpapi_test

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"testing"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
)

// BenchmarkBuyerCheck measures what the permission check adds to a buyer
// request, on SQLite with GUILD_BENCH_COMPANIES companies (default 100,000):
//
//   - users: GET /api/v3/io/users?companyId=A, the S2S read of a company's
//     users (S2S token, no permission check), interleaved with GET
//     /api/v3/buyer/companies/A/users, the same read by a senior buyer of A,
//     allowed by the engine (buyer token, the user and role, the company
//     snapshot, authz.Decide, then the same read). "added-p99-ms" is the
//     buyer read's p99 minus the S2S read's.
//   - purchase-check: POST /api/v3/buyer/companies/A/purchase-authorizations,
//     the check alone (authentication, snapshot, Decide) with no data read.
//
// Requests go straight to the handler (no network):
//
//	go test -run '^$' -bench BuyerCheck -benchtime 10000x ./internal/httpapi
func BenchmarkBuyerCheck(b *testing.B) {
	n := benchCount(b, 100_000)
	e := newBenchEnv(b)
	company, senior := seedBuyerBench(b, e.store, e.tenant, n)
	issued, err := e.app.IssueBuyerToken(e.ctx, e.tenant, app.IssueBuyerTokenInput{UserID: senior, TTL: app.MaxBuyerTokenTTL})
	if err != nil {
		b.Fatal(err)
	}
	send, s2s := e.send, e.token

	s2sUsers := func(b *testing.B) time.Duration {
		return send(b, "GET", fmt.Sprintf("/api/v3/io/users?companyId=%d", company), map[string]string{"authToken": s2s})
	}
	buyerUsers := func(b *testing.B) time.Duration {
		return send(b, "GET", fmt.Sprintf("/api/v3/buyer/companies/%d/users", company), map[string]string{"Authorization": "Bearer " + issued.Secret})
	}
	purchase := func(b *testing.B) time.Duration {
		return send(b, "POST", fmt.Sprintf("/api/v3/buyer/companies/%d/purchase-authorizations", company), map[string]string{"Authorization": "Bearer " + issued.Secret})
	}

	// users: the S2S read and the buyer read, interleaved so that both see
	// the same machine.
	b.Run("users", func(b *testing.B) {
		runtime.GC() // the seeding's garbage is not these requests'
		var plain, checked []time.Duration
		for b.Loop() {
			plain = append(plain, s2sUsers(b))
			checked = append(checked, buyerUsers(b))
		}
		p50, p99 := percentiles(plain)
		c50, c99 := percentiles(checked)
		b.ReportMetric(ms(p50), "s2s-p50-ms")
		b.ReportMetric(ms(p99), "s2s-p99-ms")
		b.ReportMetric(ms(c50), "buyer-p50-ms")
		b.ReportMetric(ms(c99), "buyer-p99-ms")
		b.ReportMetric(ms(c50-p50), "added-p50-ms")
		b.ReportMetric(ms(c99-p99), "added-p99-ms")
	})
	b.Run("purchase-check", func(b *testing.B) {
		runtime.GC()
		var times []time.Duration
		for b.Loop() {
			times = append(times, purchase(b))
		}
		p50, p99 := percentiles(times)
		b.ReportMetric(ms(p50), "p50-ms")
		b.ReportMetric(ms(p99), "p99-ms")
	})
}

// percentiles sorts ds and returns its 50th and 99th percentiles.
func percentiles(ds []time.Duration) (p50, p99 time.Duration) {
	slices.Sort(ds)
	return ds[len(ds)/2], ds[len(ds)*99/100]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// seedBuyerBench creates n companies (a quarter of each status) straight
// in the store, and in the first, approved one 20 users: an admin, a senior
// buyer (returned) and junior buyers.
func seedBuyerBench(b *testing.B, s guild.Store, t guild.Tenant, n int) (companyID, seniorID int64) {
	ctx := context.Background()
	start := time.Now()
	const batch = 50_000
	for lo := 0; lo < n; lo += batch {
		err := s.Update(ctx, func(ctx context.Context, tx guild.Tx) error {
			for i := lo; i < min(lo+batch, n); i++ {
				at := time.Unix(1_700_000_000+int64(i), 0)
				c := guild.Company{TenantID: t.ID, Name: fmt.Sprintf("Company %07d", i), Email: "c@example.com",
					Status: guild.CompanyStatus((i + 1) % 4), CreatedAt: at, UpdatedAt: at}
				id, err := tx.CreateCompany(ctx, c)
				if err != nil {
					return err
				}
				if i == 0 {
					companyID = id
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	err := s.Update(ctx, func(ctx context.Context, tx guild.Tx) error {
		for i := range 20 {
			email := fmt.Sprintf("user%02d@example.com", i)
			now := time.Now()
			cid, err := tx.CreateCustomer(ctx, guild.Customer{TenantID: t.ID, Email: email, FirstName: "User", LastName: fmt.Sprint(i), ChannelIDs: []int64{1}, CreatedAt: now, UpdatedAt: now})
			if err != nil {
				return err
			}
			role := guild.RoleJuniorBuyer
			switch i {
			case 0:
				role = guild.RoleAdmin
			case 1:
				role = guild.RoleSeniorBuyer
			}
			uid, err := tx.CreateUser(ctx, guild.User{TenantID: t.ID, CompanyID: companyID, CustomerID: cid, Email: email, FirstName: "User", LastName: fmt.Sprint(i), Role: role, ChannelIDs: []int64{1}, CreatedAt: now, UpdatedAt: now})
			if err != nil {
				return err
			}
			if i == 1 {
				seniorID = uid
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d companies in %v", n, time.Since(start).Round(time.Millisecond))
	return companyID, seniorID
}
