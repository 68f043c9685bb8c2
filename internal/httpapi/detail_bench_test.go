package httpapi_test

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/guild-b2b/guild/internal/app"
	"github.com/guild-b2b/guild/internal/httpapi"
	"github.com/guild-b2b/guild/internal/sqlite"
)

// BenchmarkCompanyDetail measures the CPU cost of one S2S company detail
// request (authentication, the company read, JSON), straight to the handler
// with no network, on SQLite with GUILD_BENCH_COMPANIES companies (default
// 100,000). ns/op is CPU per request when run with -cpu 1; with -cpu 2 it is
// the throughput of two cores with no load generator beside them.
//
//	go test -run '^$' -bench CompanyDetail -cpu 1,2 ./internal/httpapi
func BenchmarkCompanyDetail(b *testing.B) {
	n := benchCompanies(b)
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	a := app.New(app.Options{Store: s, Logger: slog.New(slog.DiscardHandler)})
	h := httpapi.New(httpapi.Options{App: a, Logger: slog.New(slog.DiscardHandler)})
	tenant, err := a.CreateTenant(ctx, app.CreateTenantInput{Hash: "bench", Name: "Bench"})
	if err != nil {
		b.Fatal(err)
	}
	token, _, err := a.CreateToken(ctx, "bench", "bench")
	if err != nil {
		b.Fatal(err)
	}
	first, _ := seedBuyerBench(b, s, tenant, n)
	runtime.GC()
	b.ReportAllocs()
	cpu0 := processCPU(b)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		rng := rand.New(rand.NewPCG(rand.Uint64(), 1))
		for pb.Next() {
			id := first + rng.Int64N(int64(n))
			req := httptest.NewRequest("GET", fmt.Sprintf("/api/v3/io/companies/%d", id), nil)
			req.Header.Set("authToken", token)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("GET company %d: %d %s", id, rec.Code, rec.Body)
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64((processCPU(b)-cpu0).Microseconds())/float64(b.N), "cpu-µs/op")
}

// processCPU is the CPU time (user and system) the process has used: unlike
// ns/op it does not count the time other processes take from a busy machine.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatalf("getrusage: %v", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// benchCompanies is GUILD_BENCH_COMPANIES, default 100,000.
func benchCompanies(b *testing.B) int {
	n := 100_000
	if v := os.Getenv("GUILD_BENCH_COMPANIES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			b.Fatalf("GUILD_BENCH_COMPANIES: %v", err)
		}
	}
	return n
}
