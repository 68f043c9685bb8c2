package httpapi_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
	"github.com/guild-b2b/guild/internal/httpapi"
	"github.com/guild-b2b/guild/internal/sqlite"
)

// benchEnv is what the benchmarks run on: a SQLite store in a temporary
// directory with one store (tenant) and its S2S token, the App and the HTTP
// handler, which requests reach directly (no network).
type benchEnv struct {
	ctx    context.Context
	store  *sqlite.Store
	app    *app.App
	h      http.Handler
	tenant guild.Tenant
	token  string // the tenant's S2S API token
}

func newBenchEnv(b *testing.B) *benchEnv {
	b.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "bench.db"), sqlite.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	a := app.New(app.Options{Store: s, Logger: slog.New(slog.DiscardHandler)})
	tenant, err := a.CreateTenant(ctx, app.CreateTenantInput{Hash: "bench", Name: "Bench"})
	if err != nil {
		b.Fatal(err)
	}
	token, _, err := a.CreateToken(ctx, "bench", "bench")
	if err != nil {
		b.Fatal(err)
	}
	return &benchEnv{ctx: ctx, store: s, app: a, h: httpapi.New(httpapi.Options{App: a, Logger: slog.New(slog.DiscardHandler)}),
		tenant: tenant, token: token}
}

// send serves one request and returns how long the handler took; any
// answer but 200 fails b.
func (e *benchEnv) send(b *testing.B, method, path string, header map[string]string) time.Duration {
	req := httptest.NewRequest(method, path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	start := time.Now()
	e.h.ServeHTTP(rec, req)
	d := time.Since(start)
	if rec.Code != http.StatusOK {
		b.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
	}
	return d
}

// benchCount is GUILD_BENCH_COMPANIES, or def when it is not set.
func benchCount(b *testing.B, def int) int {
	v := os.Getenv("GUILD_BENCH_COMPANIES")
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		b.Fatalf("GUILD_BENCH_COMPANIES: %v", err)
	}
	return n
}
