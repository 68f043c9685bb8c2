package bigcommerce_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
	"github.com/guild-b2b/guild/internal/bcemu"
)

// envInt reads a benchmark knob from the environment.
func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// BenchmarkSyncDrain loads companies with 3 users each (the admin and two
// more), then connects the store to an emulator and times the initial
// sync's drain, as `guild serve` delivers it (2 workers, 100 rows a
// batch). Knobs: GUILD_SYNC_BENCH_COMPANIES (default 200),
// GUILD_SYNC_BENCH_QUOTA and GUILD_SYNC_BENCH_WINDOW_MS (default 5,000 per
// 30,000 ms, a Pro plan's). SQLite, and PostgreSQL when
// GUILD_TEST_POSTGRES_URL is set. Reports API calls per synced user, 429s
// per 1,000 calls, the share of the quota the full windows of the drain
// used (the windows wholly within the drain), and the drain's seconds.
func BenchmarkSyncDrain(b *testing.B) {
	companies := envInt("GUILD_SYNC_BENCH_COMPANIES", 200)
	quota := envInt("GUILD_SYNC_BENCH_QUOTA", 5000)
	window := time.Duration(envInt("GUILD_SYNC_BENCH_WINDOW_MS", 30000)) * time.Millisecond
	backends := []func(testing.TB) (backend, bool){
		func(t testing.TB) (backend, bool) { return sqliteBackend(t), true },
		postgresBackend,
	}
	for n, open := range backends {
		for _, dependent := range []bool{false, true} {
			mode := "independent"
			if dependent {
				mode = "dependent"
			}
			b.Run(fmt.Sprintf("%s/%s", []string{"sqlite", "postgres"}[n], mode), func(b *testing.B) {
				for range b.N {
					be, ok := open(b)
					if !ok {
						b.Skip("GUILD_TEST_POSTGRES_URL is not set")
					}
					syncDrain(b, be, dependent, companies, quota, window)
				}
			})
		}
	}
}

func syncDrain(b *testing.B, be backend, dependent bool, companies, quota int, window time.Duration) {
	b.StopTimer()
	w := newGWorld(b, be, bcemu.Options{StoreHash: "bc1", Token: "tok1", Quota: quota, Window: window})
	w.poll = 250 * time.Millisecond // the drain's polling is not the dispatcher's work
	tn := w.tenant("s1", dependent, "bc1", "tok1")
	ctx := context.Background()
	loadStart := time.Now()
	ins := make([]app.CompanyInput, 0, companies)
	for i := range companies {
		ins = append(ins, app.CompanyInput{Name: fmt.Sprintf("Company %d", i), Email: fmt.Sprintf("c%d@bench.example", i), Phone: "555", Country: "US",
			AdminFirstName: "Ada", AdminLastName: "Admin", AdminEmail: fmt.Sprintf("admin%d@bench.example", i), AdminPhone: "555-0100", CatalogID: int64(i%3) * 10})
	}
	if _, err := w.app.ImportCompanies(ctx, tn.t, ins); err != nil {
		b.Fatal(err)
	}
	ids := tn.entityIDs(guild.EntityCompany)
	role := guild.UserRole(1)
	var users []app.UserInput
	flush := func() {
		if _, err := w.app.BulkCreateUsers(ctx, tn.t, users); err != nil {
			b.Fatal(err)
		}
		users = users[:0]
	}
	for i, id := range ids {
		for j := range 2 {
			users = append(users, app.UserInput{CompanyID: id, FirstName: "Uma", LastName: "User", Email: fmt.Sprintf("u%d.%d@bench.example", i, j), Phone: "555-0111", Role: &role})
			if len(users) == app.MaxBulk {
				flush()
			}
		}
	}
	if len(users) > 0 {
		flush()
	}
	load := time.Since(loadStart)
	nUsers := 3 * companies

	w.dispatcher("bench", nil)
	if err := w.emu.ResetStats("bc1"); err != nil {
		b.Fatal(err)
	}
	b.StartTimer()
	start := time.Now()
	tn.connect("tok1")
	tn.drain(time.Hour)
	end := time.Now()
	elapsed := end.Sub(start)
	b.StopTimer()
	tn.checkInSync()

	st, err := w.emu.Stats("bc1")
	if err != nil {
		b.Fatal(err)
	}
	customerCalls := st.Requests["GET /v3/customers"] + st.Requests["POST /v3/customers"] + st.Requests["PUT /v3/customers"]
	var used float64
	full := 0
	var counts []int
	for i, win := range st.Windows {
		counts = append(counts, win.Accepted)
		if i == 0 || win.Start.Before(start) || win.Start.Add(window).After(end) {
			continue // only the windows wholly within the drain
		}
		used += float64(win.Accepted) / float64(quota)
		full++
	}
	b.ReportMetric(float64(st.Total)/float64(nUsers), "calls/user")
	b.ReportMetric(float64(customerCalls)/float64(nUsers), "customer-calls/user")
	b.ReportMetric(1000*float64(st.RateLimited)/float64(max(st.Total, 1)), "429s/1000calls")
	if full > 0 {
		b.ReportMetric(100*used/float64(full), "%quota-used")
	}
	b.ReportMetric(elapsed.Seconds(), "drain-s")
	b.Logf("%d companies, %d users: load %v, drain %v; %d calls %v; peak %d per window of %d; accepted per closed window %v",
		companies, nUsers, load.Round(time.Millisecond), elapsed.Round(time.Millisecond), st.Total, st.Requests, st.PeakPerWindow, quota, counts)
}
