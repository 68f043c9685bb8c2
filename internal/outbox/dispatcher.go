package outbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math"
	mrand "math/rand/v2"
	"os"
	"strconv"
	"sync"
	"time"

	guild "github.com/guild-b2b/guild"
)

// Defaults of Options.
const (
	DefaultWorkers      = 2
	DefaultBatchSize    = 10
	DefaultLeaseFor     = 2 * time.Minute
	DefaultMaxAttempts  = 12
	DefaultBackoffBase  = 2 * time.Second
	DefaultBackoffMax   = time.Hour
	DefaultPollInterval = time.Second
	DefaultTenantSlice  = time.Minute
	DefaultRetention    = 7 * 24 * time.Hour
)

// Syncer advances the initial syncs of newly connected stores (internal/app
// does it).
type Syncer interface {
	AdvanceInitialSyncs(ctx context.Context) (more bool, err error)
}

// Options configures a Dispatcher.
type Options struct {
	Store   guild.Store
	Handler Handler
	// OpenToken decrypts a connection's sealed token.
	OpenToken func(tenantID int64, sealed []byte) (string, error)
	// Syncer, when set, is run between polls to enqueue initial syncs.
	Syncer Syncer
	// Owner names this process in leases; empty means host-pid-random.
	// Worker i owns its leases as Owner/i.
	Owner        string
	Workers      int           // concurrent deliveries (distinct stores); 0: DefaultWorkers
	BatchSize    int           // rows per Deliver; 0: DefaultBatchSize
	LeaseFor     time.Duration // how long a claim is leased; 0: DefaultLeaseFor
	MaxAttempts  int           // attempts before a row is dead; 0: DefaultMaxAttempts
	BackoffBase  time.Duration // the first retry's delay; 0: DefaultBackoffBase
	BackoffMax   time.Duration // the longest delay; 0: DefaultBackoffMax
	PollInterval time.Duration // pause when nothing is due; 0: DefaultPollInterval
	// TenantSlice is how long a worker keeps one store's lease while it has
	// due rows before letting others have a turn; 0: DefaultTenantSlice.
	TenantSlice time.Duration
	// Retention is how long done and superseded rows are kept; 0:
	// DefaultRetention; negative keeps them forever.
	Retention time.Duration
	Now       func() time.Time // nil: time.Now
	// Jitter returns a number in [0, 1); nil: math/rand.
	Jitter  func() float64
	Logger  *slog.Logger
	Metrics *Metrics // nil: none
}

// Dispatcher delivers the outbox.
type Dispatcher struct {
	o Options
}

// New returns a Dispatcher. Store is required, and OpenToken with a
// Handler; without a Handler, Run only does the upkeep (initial syncs and
// pruning) and delivers nothing.
func New(o Options) (*Dispatcher, error) {
	if o.Store == nil || o.Handler != nil && o.OpenToken == nil {
		return nil, errors.New("outbox: a dispatcher needs a store, and a way to open tokens for its handler")
	}
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defd := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.Workers, DefaultWorkers)
	def(&o.BatchSize, DefaultBatchSize)
	def(&o.MaxAttempts, DefaultMaxAttempts)
	defd(&o.LeaseFor, DefaultLeaseFor)
	defd(&o.BackoffBase, DefaultBackoffBase)
	defd(&o.BackoffMax, DefaultBackoffMax)
	defd(&o.PollInterval, DefaultPollInterval)
	defd(&o.TenantSlice, DefaultTenantSlice)
	if o.Retention == 0 {
		o.Retention = DefaultRetention
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Jitter == nil {
		o.Jitter = mrand.Float64
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Owner == "" {
		o.Owner = defaultOwner()
	}
	return &Dispatcher{o: o}, nil
}

func defaultOwner() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return host + "-" + strconv.Itoa(os.Getpid()) + "-" + hex.EncodeToString(b)
}

// Run delivers until ctx ends: Workers workers, and the upkeep (initial
// syncs, pruning) between polls. It gives back the stores it holds when it
// returns.
func (d *Dispatcher) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for i := range d.o.Workers {
		if d.o.Handler == nil {
			break
		}
		w := d.Worker(i)
		wg.Go(func() { w.Run(ctx) })
	}
	wg.Go(func() { d.upkeep(ctx) })
	wg.Wait()
}

// upkeep advances initial syncs every poll and prunes hourly.
func (d *Dispatcher) upkeep(ctx context.Context) {
	var pruned time.Time
	for {
		more := false
		if d.o.Syncer != nil {
			// A bounded number of batches per round, so that pruning is
			// never held up for long; a sync with more to enqueue goes on
			// at once rather than after a poll interval.
			for range 50 {
				var err error
				if more, err = d.o.Syncer.AdvanceInitialSyncs(ctx); err != nil {
					more = false
					if ctx.Err() == nil {
						d.o.Logger.Error("initial sync", "err", err)
					}
					break
				}
				if !more {
					break
				}
			}
		}
		if now := d.o.Now(); d.o.Retention > 0 && now.Sub(pruned) >= time.Hour {
			pruned = now
			if _, err := d.Prune(ctx); err != nil && ctx.Err() == nil {
				d.o.Logger.Error("prune the outbox", "err", err)
			}
		}
		if ctx.Err() != nil || !more && !sleep(ctx, d.o.PollInterval) {
			return
		}
	}
}

// Prune deletes done and superseded rows older than the retention, and
// returns how many.
func (d *Dispatcher) Prune(ctx context.Context) (int, error) {
	if d.o.Retention < 0 {
		return 0, nil
	}
	before := d.o.Now().Add(-d.o.Retention)
	total := 0
	for {
		n, err := d.o.Store.PruneOutbox(ctx, before, 1000)
		total += n
		if err != nil || n < 1000 {
			return total, err
		}
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// Worker is one delivery loop: it holds at most one store at a time.
type Worker struct {
	d         *Dispatcher
	owner     string
	held      int64 // the store whose delivery lease the worker holds
	heldSince time.Time
}

// Worker returns worker i of the dispatcher (Run starts Workers of them;
// tests drive one step by step).
func (d *Dispatcher) Worker(i int) *Worker {
	return &Worker{d: d, owner: d.o.Owner + "/" + strconv.Itoa(i)}
}

// Run loops until ctx ends, pausing PollInterval whenever nothing is due.
func (w *Worker) Run(ctx context.Context) {
	defer w.release(context.WithoutCancel(ctx))
	for ctx.Err() == nil {
		n, err := w.Step(ctx)
		if err != nil && ctx.Err() == nil {
			w.d.o.Logger.Error("outbox delivery", "owner", w.owner, "err", err)
		}
		if (n == 0 || err != nil) && !sleep(ctx, w.d.o.PollInterval) {
			return
		}
	}
}

// release gives up the store the worker holds.
func (w *Worker) release(ctx context.Context) {
	if w.held == 0 {
		return
	}
	if err := w.d.o.Store.ReleaseTenant(ctx, w.owner, w.held, w.d.o.Now()); err != nil {
		w.d.o.Logger.Warn("release a store's delivery lease", "owner", w.owner, "tenant", w.held, "err", err)
	}
	w.held = 0
}

// Step claims one batch and delivers it; it returns how many rows it
// claimed (0: nothing was due).
func (w *Worker) Step(ctx context.Context) (int, error) {
	o := w.d.o
	now := o.Now()
	if w.held != 0 && now.Sub(w.heldSince) >= o.TenantSlice {
		w.release(ctx) // let the other stores have a turn
	}
	claim, err := o.Store.ClaimOutbox(ctx, guild.ClaimRequest{Owner: w.owner, Now: now, LeaseFor: o.LeaseFor, Limit: o.BatchSize, TenantID: w.held})
	if err != nil {
		return 0, fmt.Errorf("claim outbox rows: %w", err)
	}
	if len(claim.Rows) == 0 {
		if w.held != 0 {
			w.release(ctx)
			return w.Step(ctx) // maybe another store has due rows
		}
		if claim.Connection.TenantID != 0 {
			// Leased a store whose due rows wait behind earlier ones.
			w.held, w.heldSince = claim.Connection.TenantID, now
			w.release(ctx)
		}
		return 0, nil
	}
	if w.held != claim.Connection.TenantID {
		w.held, w.heldSince = claim.Connection.TenantID, now
	}
	return len(claim.Rows), w.deliver(ctx, claim)
}

// deliver hands a claim to the handler and records the outcomes.
func (w *Worker) deliver(ctx context.Context, claim guild.Claim) error {
	o := w.d.o
	tenantID := claim.Connection.TenantID
	results := make([]guild.OutboxResult, 0, len(claim.Rows))
	var rows []guild.OutboxRow
	for _, r := range claim.Rows {
		if r.Attempts > o.MaxAttempts {
			// Rescued after its lease expired MaxAttempts times: every
			// delivery of it crashed or hung.
			results = append(results, guild.OutboxResult{ID: r.ID, Status: guild.OutboxDead,
				Error: fmt.Sprintf("gave up: no delivery finished within its lease in %d attempts", o.MaxAttempts)})
			continue
		}
		rows = append(rows, r)
	}
	token, err := o.OpenToken(tenantID, claim.Connection.SealedToken)
	if err != nil {
		for _, r := range rows {
			results = append(results, guild.OutboxResult{ID: r.ID, Release: true})
		}
		if err := w.finish(ctx, tenantID, results); err != nil {
			return err
		}
		w.held = 0
		o.Metrics.paused()
		return o.Store.PauseConnection(ctx, tenantID, guild.PauseToken, err.Error(), o.Now())
	}
	var rep Report
	if len(rows) > 0 {
		rep = w.call(ctx, Batch{TenantID: tenantID, Rows: rows, Connection: Connection{
			Platform: claim.Connection.Platform, StoreHash: claim.Connection.StoreHash, APIURL: claim.Connection.APIURL, Token: token}})
	}
	stopping := ctx.Err() != nil
	for i, r := range rows {
		if i >= len(rep.Results) {
			switch {
			case rep.Pause != nil:
				results = append(results, guild.OutboxResult{ID: r.ID, Release: true})
			case stopping:
				// Left leased: whether it reached the platform is unknown,
				// so it is delivered again once the lease expires.
			default:
				results = append(results, w.outcome(r, Result{Outcome: Retry, Err: errors.New("the handler gave no result")}))
			}
			continue
		}
		results = append(results, w.outcome(r, rep.Results[i]))
	}
	if err := w.finish(context.WithoutCancel(ctx), tenantID, results); err != nil {
		return err
	}
	if rep.Pause != nil {
		msg := ""
		if rep.Pause.Err != nil {
			msg = rep.Pause.Err.Error()
		}
		o.Logger.Warn("platform connection paused", "tenant", tenantID, "reason", rep.Pause.Reason, "err", msg)
		w.held = 0
		o.Metrics.paused()
		return o.Store.PauseConnection(context.WithoutCancel(ctx), tenantID, rep.Pause.Reason, msg, o.Now())
	}
	return nil
}

// call runs the handler with a deadline before the lease expires, turning
// a panic into retries.
func (w *Worker) call(ctx context.Context, b Batch) (rep Report) {
	hctx, cancel := context.WithTimeout(ctx, w.d.o.LeaseFor*9/10)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			w.d.o.Logger.Error("outbox handler panicked", "tenant", b.TenantID, "panic", p)
			rep = Report{Results: make([]Result, len(b.Rows))}
			for i := range rep.Results {
				rep.Results[i] = Result{Outcome: Retry, Err: fmt.Errorf("the handler panicked: %v", p)}
			}
		}
	}()
	return w.d.o.Handler.Deliver(hctx, b)
}

// outcome turns a handler's result into the row's new state.
func (w *Worker) outcome(r guild.OutboxRow, res Result) guild.OutboxResult {
	o := w.d.o
	msg := ""
	if res.Err != nil {
		msg = res.Err.Error()
	}
	switch res.Outcome {
	case Done:
		o.Metrics.delivered()
		return guild.OutboxResult{ID: r.ID, Status: guild.OutboxDone}
	case DeadLetter:
		o.Metrics.dead()
		return guild.OutboxResult{ID: r.ID, Status: guild.OutboxDead, Error: msg}
	}
	if r.Attempts >= o.MaxAttempts {
		o.Metrics.dead()
		return guild.OutboxResult{ID: r.ID, Status: guild.OutboxDead, Error: fmt.Sprintf("gave up after %d attempts: %s", r.Attempts, msg)}
	}
	at := res.RetryAt
	if at.IsZero() {
		at = o.Now().Add(w.d.Backoff(r.Attempts))
	}
	o.Metrics.retried()
	return guild.OutboxResult{ID: r.ID, Status: guild.OutboxPending, At: at, Error: msg}
}

// Backoff is the delay before the retry that follows attempt n (1-based):
// BackoffBase doubled per attempt, capped at BackoffMax, of which a random
// half is taken off (so that rows that failed together spread out).
func (d *Dispatcher) Backoff(n int) time.Duration {
	exp := float64(d.o.BackoffBase) * math.Pow(2, float64(max(n-1, 0)))
	full := time.Duration(min(exp, float64(d.o.BackoffMax)))
	return full/2 + time.Duration(d.o.Jitter()*float64(full/2))
}

func (w *Worker) finish(ctx context.Context, tenantID int64, results []guild.OutboxResult) error {
	if len(results) == 0 {
		return nil
	}
	if err := w.d.o.Store.FinishOutbox(ctx, w.owner, tenantID, results, w.d.o.Now()); err != nil {
		return fmt.Errorf("record the outcome of %d outbox rows: %w", len(results), err)
	}
	return nil
}
