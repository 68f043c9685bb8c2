package httpapi_test

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// BenchmarkCompanyDetail measures the CPU cost of one S2S company detail
// request (authentication, the company read, JSON), straight to the handler
// with no network, on SQLite with GUILD_BENCH_COMPANIES companies (default
// 100,000). ns/op is CPU per request when run with -cpu 1; with -cpu 2 it is
// the throughput of two cores with no load generator beside them.
//
//	go test -run '^$' -bench CompanyDetail -cpu 1,2 ./internal/httpapi
func BenchmarkCompanyDetail(b *testing.B) {
	n := benchCount(b, 100_000)
	e := newBenchEnv(b)
	first, _ := seedBuyerBench(b, e.store, e.tenant, n)
	h, token := e.h, e.token
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
