package httpapi_test

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
)

// BenchmarkHierarchy measures the account hierarchy's reads through the real
// HTTP handler on a SQLite store holding GUILD_BENCH_COMPANIES companies
// outside the hierarchies (default 10,000) and three hierarchies of 10, 100
// and 500 companies, each 5 layers deep (4 for 10). For each size:
//
//   - hierarchy: GET /api/v3/io/companies/{a layer-5 company}/hierarchy?limit=250,
//     the whole tree from its root.
//   - subsidiaries: GET /api/v3/io/companies/{a layer-4 company}/subsidiaries,
//     a company's subsidiaries (a handful), as the tree around it fills.
//   - decide-level3: POST /api/v3/buyer/companies/{a layer-5 company}/purchase-authorizations
//     by the root's admin: purchase_enable at level 3, decided four layers
//     below the admin's company (authentication, snapshot, decision).
//   - buyer-subsidiaries: GET /api/v3/buyer/companies/{root}/subsidiaries by
//     the root's admin: every company below the root.
//
// Requests go straight to the handler (no network):
//
//	go test -run '^$' -bench Hierarchy -benchtime 2000x ./internal/httpapi
func BenchmarkHierarchy(b *testing.B) {
	others := benchCount(b, 10_000)
	e := newBenchEnv(b)
	ctx, s, a, tenant, s2s, send := e.ctx, e.store, e.app, e.tenant, e.token, e.send
	if others > 0 {
		seedBuyerBench(b, s, tenant, others)
	}
	for _, n := range []int{10, 100, 500} {
		tr := seedTree(b, s, tenant, n)
		issued, err := a.IssueBuyerToken(ctx, tenant, app.IssueBuyerTokenInput{UserID: tr.admin, TTL: app.MaxBuyerTokenTTL})
		if err != nil {
			b.Fatal(err)
		}
		buyer := map[string]string{"Authorization": "Bearer " + issued.Secret}
		io := map[string]string{"authToken": s2s}
		cases := []struct {
			name, method, path string
			header             map[string]string
		}{
			{"hierarchy", "GET", fmt.Sprintf("/api/v3/io/companies/%d/hierarchy?limit=250", tr.deepest), io},
			{"subsidiaries", "GET", fmt.Sprintf("/api/v3/io/companies/%d/subsidiaries", tr.layer4), io},
			{"decide-level3", "POST", fmt.Sprintf("/api/v3/buyer/companies/%d/purchase-authorizations", tr.deepest), buyer},
			{"buyer-subsidiaries", "GET", fmt.Sprintf("/api/v3/buyer/companies/%d/subsidiaries?limit=250", tr.root), buyer},
		}
		for _, c := range cases {
			b.Run(fmt.Sprintf("tree=%d/%s", n, c.name), func(b *testing.B) {
				runtime.GC()
				var times []time.Duration
				for b.Loop() {
					times = append(times, send(b, c.method, c.path, c.header))
				}
				p50, p99 := percentiles(times)
				b.ReportMetric(ms(p50), "p50-ms")
				b.ReportMetric(ms(p99), "p99-ms")
			})
		}
	}
}

// benchTree is a hierarchy seeded for the benchmark.
type benchTree struct {
	root, layer4, deepest int64
	admin                 int64 // the root's admin user
}

// seedTree creates n approved companies in one hierarchy, filled layer by
// layer with the smallest fan-out that reaches 5 layers, and an admin user
// in its root.
func seedTree(b *testing.B, s guild.Store, t guild.Tenant, n int) benchTree {
	fan := 1
	for sum := 0; sum < n; fan++ {
		sum = 1 + fan + fan*fan + fan*fan*fan + fan*fan*fan*fan
		if sum >= n {
			break
		}
	}
	var tr benchTree
	ids := make([]int64, 0, n)
	layer := make([]int, 0, n)
	err := s.Update(context.Background(), func(ctx context.Context, tx guild.Tx) error {
		now := time.Now()
		for i := range n {
			id, err := tx.CreateCompany(ctx, guild.Company{TenantID: t.ID, Name: fmt.Sprintf("Tree %d node %d", n, i),
				Email: "tree@example.com", Status: guild.CompanyApproved, CreatedAt: now, UpdatedAt: now})
			if err != nil {
				return err
			}
			l := 1
			if i > 0 {
				p := (i - 1) / fan
				l = layer[p] + 1
				if err := tx.SetCompanyParent(ctx, t.ID, id, ids[p], now); err != nil {
					return err
				}
			}
			ids, layer = append(ids, id), append(layer, l)
			if l == 4 && tr.layer4 == 0 {
				tr.layer4 = id
			}
		}
		tr.root, tr.deepest = ids[0], ids[n-1]
		email := fmt.Sprintf("tree%d-admin@example.com", n)
		cid, err := tx.CreateCustomer(ctx, guild.Customer{TenantID: t.ID, Email: email, FirstName: "Tree", LastName: "Admin", ChannelIDs: []int64{1}, CreatedAt: now, UpdatedAt: now})
		if err != nil {
			return err
		}
		tr.admin, err = tx.CreateUser(ctx, guild.User{TenantID: t.ID, CompanyID: tr.root, CustomerID: cid, Email: email, FirstName: "Tree", LastName: "Admin", Role: guild.RoleAdmin, ChannelIDs: []int64{1}, CreatedAt: now, UpdatedAt: now})
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("tree of %d: fan-out %d, deepest company on layer %d", n, fan, layer[n-1])
	return tr
}
