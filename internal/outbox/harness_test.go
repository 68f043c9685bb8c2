package outbox_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
	"github.com/guild-b2b/guild/internal/outbox"
	"github.com/guild-b2b/guild/internal/pgtest"
	"github.com/guild-b2b/guild/internal/postgres"
	"github.com/guild-b2b/guild/internal/secret"
	"github.com/guild-b2b/guild/internal/sqlite"
)

// backend opens stores on one database: every call of open is another
// Store (another "process") on the same data.
type backend struct {
	name string
	open func(t *testing.T) guild.Store
}

// forEachBackend runs fn on SQLite and, when GUILD_TEST_POSTGRES_URL is set,
// on PostgreSQL; each run has a fresh database.
func forEachBackend(t *testing.T, fn func(t *testing.T, b backend)) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "guild.db")
		fn(t, backend{"sqlite", func(t *testing.T) guild.Store {
			s, err := sqlite.Open(context.Background(), path, sqlite.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}})
	})
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv("GUILD_TEST_POSTGRES_URL")
		if base == "" {
			t.Skip("GUILD_TEST_POSTGRES_URL is not set")
		}
		dsn := freshPostgres(t, base)
		fn(t, backend{"postgres", func(t *testing.T) guild.Store {
			s, err := postgres.Open(context.Background(), dsn, postgres.Options{MaxConns: 8})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}})
	})
}

// forEachBackendB runs a benchmark on a fresh SQLite store and, when
// GUILD_TEST_POSTGRES_URL is set, on a fresh PostgreSQL database.
func forEachBackendB(b *testing.B, fn func(b *testing.B, s guild.Store)) {
	b.Run("sqlite", func(b *testing.B) {
		s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "guild.db"), sqlite.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		fn(b, s)
	})
	b.Run("postgres", func(b *testing.B) {
		base := os.Getenv("GUILD_TEST_POSTGRES_URL")
		if base == "" {
			b.Skip("GUILD_TEST_POSTGRES_URL is not set")
		}
		s, err := postgres.Open(context.Background(), freshPostgres(b, base), postgres.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		fn(b, s)
	})
}

// freshPostgres creates and migrates a database dropped after the test.
func freshPostgres(t testing.TB, base string) string {
	return pgtest.FreshDatabase(t, base, "guild_outbox")
}

// clock is a fake clock that moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

// newClock starts at the real time, so that rows the stores stamp with it
// have sensible ages.
func newClock() *clock { return &clock{t: time.Now().UTC().Truncate(time.Second)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// world is a store with an App, one connected tenant and a clock.
type world struct {
	t      testing.TB
	ctx    context.Context
	store  guild.Store
	app    *app.App
	clock  *clock
	tenant guild.Tenant
}

func newWorld(t testing.TB, s guild.Store, c *clock, hash string) *world {
	t.Helper()
	key, err := secret.LoadOrCreateKeyFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	box, err := secret.New(key)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now
	if c != nil {
		now = c.Now
	}
	w := &world{t: t, ctx: context.Background(), store: s, clock: c,
		app: app.New(app.Options{Store: s, Secrets: box, Now: now, Logger: quiet()})}
	w.tenant, err = w.app.CreateTenant(w.ctx, app.CreateTenantInput{Hash: hash, Name: "Store " + hash})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// sibling returns a world of another tenant on the same store and App.
func (w *world) sibling(hash string) *world {
	w.t.Helper()
	o := *w
	var err error
	o.tenant, err = w.app.CreateTenant(w.ctx, app.CreateTenantInput{Hash: hash, Name: "Store " + hash})
	if err != nil {
		w.t.Fatal(err)
	}
	return &o
}

func quiet() *slog.Logger {
	if os.Getenv("OUTBOX_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func (w *world) connect(token string) app.ConnectResult {
	w.t.Helper()
	res, err := w.app.ConnectPlatform(w.ctx, w.tenant, app.ConnectInput{StoreHash: "bcstore", Token: token, APIURL: "http://127.0.0.1:1"})
	if err != nil {
		w.t.Fatalf("ConnectPlatform: %v", err)
	}
	return res
}

// enqueue writes rows for entities, seq numbering them in the payload.
func (w *world) enqueue(tenantID int64, entities ...int64) {
	w.t.Helper()
	msgs := make([]guild.OutboxMessage, len(entities))
	for i, e := range entities {
		msgs[i] = guild.OutboxMessage{TenantID: tenantID, Topic: guild.TopicCompanyUpdated, EntityType: guild.EntityCompany,
			EntityID: e, Payload: json.RawMessage(fmt.Sprintf(`{"companyId":%d}`, e))}
	}
	if err := w.store.Update(w.ctx, func(ctx context.Context, tx guild.Tx) error { return tx.Enqueue(ctx, msgs...) }); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) dispatcher(s guild.Store, h outbox.Handler, mod func(o *outbox.Options)) *outbox.Dispatcher {
	w.t.Helper()
	o := outbox.Options{Store: s, Handler: h, OpenToken: w.app.OpenPlatformToken, Workers: 1, Logger: quiet(),
		PollInterval: 5 * time.Millisecond, Jitter: func() float64 { return 0.5 }}
	if w.clock != nil {
		o.Now = w.clock.Now
	}
	if mod != nil {
		mod(&o)
	}
	d, err := outbox.New(o)
	if err != nil {
		w.t.Fatal(err)
	}
	return d
}

func (w *world) row(id int64) guild.OutboxRow {
	w.t.Helper()
	r, err := w.store.OutboxRow(w.ctx, w.tenant.ID, id)
	if err != nil {
		w.t.Fatal(err)
	}
	return r
}

func (w *world) step(wk *outbox.Worker) int {
	w.t.Helper()
	n, err := wk.Step(w.ctx)
	if err != nil {
		w.t.Fatalf("Step: %v", err)
	}
	return n
}

// recorder is a Handler that records every batch and answers with fn.
type recorder struct {
	mu      sync.Mutex
	batches []outbox.Batch
	fn      func(b outbox.Batch) outbox.Report
}

func (r *recorder) Deliver(ctx context.Context, b outbox.Batch) outbox.Report {
	r.mu.Lock()
	r.batches = append(r.batches, b)
	fn := r.fn
	r.mu.Unlock()
	if fn == nil {
		return allDone(b)
	}
	return fn(b)
}

func (r *recorder) rows() []guild.OutboxRow {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []guild.OutboxRow
	for _, b := range r.batches {
		out = append(out, b.Rows...)
	}
	return out
}

func allDone(b outbox.Batch) outbox.Report {
	res := make([]outbox.Result, len(b.Rows))
	for i := range res {
		res[i] = outbox.Result{Outcome: outbox.Done}
	}
	return outbox.Report{Results: res}
}

func allRetry(b outbox.Batch, err error, at time.Time) outbox.Report {
	res := make([]outbox.Result, len(b.Rows))
	for i := range res {
		res[i] = outbox.Result{Outcome: outbox.Retry, Err: err, RetryAt: at}
	}
	return outbox.Report{Results: res}
}
