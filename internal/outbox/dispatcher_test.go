package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
	"github.com/guild-b2b/guild/internal/outbox"
)

// Two dispatchers, each on its own Store on one database, with two workers
// each: every row is delivered exactly once, in order per entity, and a
// store's batches are never delivered by two workers at once.
func TestTwoDispatchersDeliverEachRowOnce(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		s1, s2 := b.open(t), b.open(t)
		first := newWorld(t, s1, nil, "store-0")
		worlds := []*world{first, first.sibling("store-1"), first.sibling("store-2")}
		for _, w := range worlds {
			w.connect("token")
		}
		const entities, perEntity = 20, 8
		want := 0
		for round := range perEntity {
			for _, w := range worlds {
				ids := make([]int64, entities)
				for e := range ids {
					ids[e] = int64((e*7+round)%entities + 1)
				}
				w.enqueue(w.tenant.ID, ids...)
				want += len(ids)
			}
		}

		var mu sync.Mutex
		delivered := map[int64]int{}          // row id -> deliveries done
		lastID := map[guild.EntityKey]int64{} // entity -> last row id done
		inFlight := map[int64]int{}           // tenant -> batches being delivered
		var problems []string
		handler := outbox.HandlerFunc(func(ctx context.Context, b outbox.Batch) outbox.Report {
			mu.Lock()
			inFlight[b.TenantID]++
			if inFlight[b.TenantID] > 1 {
				problems = append(problems, fmt.Sprintf("store %d delivered by two workers at once", b.TenantID))
			}
			mu.Unlock()
			time.Sleep(time.Millisecond)
			res := make([]outbox.Result, len(b.Rows))
			mu.Lock()
			defer mu.Unlock()
			inFlight[b.TenantID]--
			for i, r := range b.Rows {
				if r.ID%5 == 0 && r.Attempts == 1 { // every fifth row fails once and is retried at once
					res[i] = outbox.Result{Outcome: outbox.Retry, RetryAt: time.Now(), Err: errors.New("flaky")}
					continue
				}
				k := guild.EntityKey{TenantID: r.TenantID, EntityType: r.EntityType, EntityID: r.EntityID}
				if r.ID <= lastID[k] {
					problems = append(problems, fmt.Sprintf("%v: row %d delivered after row %d", k, r.ID, lastID[k]))
				}
				lastID[k] = r.ID
				delivered[r.ID]++
				res[i] = outbox.Result{Outcome: outbox.Done}
			}
			return outbox.Report{Results: res}
		})
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for i, s := range []guild.Store{s1, s2} {
			d := worlds[0].dispatcher(s, handler, func(o *outbox.Options) {
				o.Workers, o.Owner, o.TenantSlice = 2, fmt.Sprintf("replica-%d", i), 20*time.Millisecond
			})
			wg.Go(func() { d.Run(ctx) })
		}
		deadline := time.Now().Add(60 * time.Second)
		for {
			mu.Lock()
			got := len(delivered)
			mu.Unlock()
			if got == want || time.Now().After(deadline) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		if len(delivered) != want {
			for _, w := range worlds {
				rows, _ := s1.ListOutboxRows(context.Background(), w.tenant.ID, guild.OutboxPending, 0, 0)
				dead, _ := s1.ListOutboxRows(context.Background(), w.tenant.ID, guild.OutboxDead, 0, 0)
				conn, _ := s1.PlatformConnection(context.Background(), w.tenant.ID)
				t.Logf("store %s: %s %q; pending %+v; dead %+v", w.tenant.Hash, conn.State, conn.LastError, rows, dead)
			}
			t.Fatalf("%d rows delivered, want %d", len(delivered), want)
		}
		for id, c := range delivered {
			if c != 1 {
				t.Errorf("row %d delivered %d times", id, c)
			}
		}
		if len(problems) > 0 {
			t.Errorf("%d problems, the first: %s", len(problems), strings.Join(problems[:min(5, len(problems))], "; "))
		}
		for _, w := range worlds {
			st, err := s2.OutboxStats(context.Background(), w.tenant.ID, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if st.PendingAll != 0 || st.Dead != 0 {
				t.Errorf("store %s after delivery: %+v", w.tenant.Hash, st)
			}
		}
	})
}

// A dispatcher that dies mid-delivery loses nothing: once the lease expires
// another takes the row and delivers it, once.
func TestRescueAfterCrash(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		c := newClock()
		w := newWorld(t, b.open(t), c, "crash")
		w.connect("token")
		w.enqueue(w.tenant.ID, 1)

		started := make(chan struct{})
		crashing := outbox.HandlerFunc(func(ctx context.Context, b outbox.Batch) outbox.Report {
			close(started)
			<-ctx.Done() // the process dies before it learns the outcome
			return outbox.Report{}
		})
		dead := w.dispatcher(w.store, crashing, func(o *outbox.Options) { o.Owner = "dead" }).Worker(0)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			defer close(done)
			_, _ = dead.Step(ctx)
		}()
		<-started
		cancel()
		<-done

		rec := &recorder{}
		other := w.dispatcher(w.store, rec, func(o *outbox.Options) { o.Owner = "other" }).Worker(0)
		if n := w.step(other); n != 0 {
			t.Fatalf("claimed %d rows while the dead dispatcher's lease runs", n)
		}
		c.Advance(outbox.DefaultLeaseFor + time.Second)
		if n := w.step(other); n != 1 {
			t.Fatalf("claimed %d rows after the lease expired, want 1", n)
		}
		if n := w.step(other); n != 0 {
			t.Fatalf("claimed %d more rows", n)
		}
		rows := rec.rows()
		if len(rows) != 1 || rows[0].Attempts != 2 {
			t.Fatalf("rescued deliveries: %+v, want one, the second attempt", rows)
		}
		if r := w.row(rows[0].ID); r.Status != guild.OutboxDone {
			t.Errorf("row after rescue: %+v", r)
		}
	})
}

// Failed deliveries are retried at persisted times that back off, a
// handler's time wins, the row is dead after MaxAttempts, and `sync retry`
// requeues it.
func TestRetryBackoffDeadLetterRequeue(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		c := newClock()
		w := newWorld(t, b.open(t), c, "retry")
		w.connect("token")
		w.enqueue(w.tenant.ID, 1)
		rec := &recorder{fn: func(b outbox.Batch) outbox.Report {
			return allRetry(b, errors.New("503 Service Unavailable"), time.Time{})
		}}
		d := w.dispatcher(w.store, rec, func(o *outbox.Options) { o.MaxAttempts, o.BackoffBase = 3, 10*time.Second })
		wk := d.Worker(0)

		var waits []time.Duration
		for attempt := 1; attempt <= 2; attempt++ {
			if n := w.step(wk); n != 1 {
				t.Fatalf("attempt %d: claimed %d rows", attempt, n)
			}
			r := w.row(rec.rows()[0].ID)
			if r.Status != guild.OutboxPending || r.LastError != "503 Service Unavailable" || r.Attempts != attempt {
				t.Fatalf("after attempt %d: %+v", attempt, r)
			}
			wait := r.NextAttemptAt.Sub(c.Now())
			waits = append(waits, wait)
			if n := w.step(wk); n != 0 {
				t.Fatalf("claimed %d rows before the retry time", n)
			}
			c.Advance(wait)
		}
		// Backoff 10 s then 20 s, each with a quarter off (jitter 0.5).
		if diff := cmp.Diff([]time.Duration{7500 * time.Millisecond, 15 * time.Second}, waits); diff != "" {
			t.Errorf("retry delays (-want +got):\n%s", diff)
		}
		if n := w.step(wk); n != 1 {
			t.Fatalf("third attempt: claimed %d rows", n)
		}
		id := rec.rows()[0].ID
		r := w.row(id)
		if r.Status != guild.OutboxDead || !strings.Contains(r.LastError, "gave up after 3 attempts: 503") {
			t.Fatalf("after the last attempt: %+v", r)
		}
		st, err := w.app.SyncStatus(w.ctx, w.tenant)
		if err != nil {
			t.Fatal(err)
		}
		if st.Queue.Dead != 1 || len(st.DeadLetters) != 1 || st.DeadLetters[0].ID != id {
			t.Errorf("status: %+v", st)
		}
		es, err := w.app.EntitySyncState(w.ctx, w.tenant, guild.EntityCompany, 1)
		if err != nil || es.State != guild.SyncFailed {
			t.Errorf("entity state: %+v, %v; want failed", es, err)
		}

		// sync retry: requeued, due now, delivered.
		if _, err := w.app.RetryDeadLetters(w.ctx, w.tenant, id+1); !guild.IsNotFound(err) {
			t.Errorf("retry of a row that is not dead: %v, want not found", err)
		}
		if n, err := w.app.RetryDeadLetters(w.ctx, w.tenant, 0); err != nil || n != 1 {
			t.Fatalf("RetryDeadLetters = %d, %v", n, err)
		}
		rec.fn = nil
		if n := w.step(wk); n != 1 {
			t.Fatalf("after requeue: claimed %d rows", n)
		}
		if r := w.row(id); r.Status != guild.OutboxDone || r.Attempts != 1 {
			t.Errorf("requeued row after delivery: %+v", r)
		}
		es, err = w.app.EntitySyncState(w.ctx, w.tenant, guild.EntityCompany, 1)
		if err != nil || es.State != guild.SyncInSync || !es.LastSyncedAt.Equal(c.Now()) {
			t.Errorf("entity state: %+v, %v; want in sync now", es, err)
		}

		// A handler's retry time wins over the backoff.
		w.enqueue(w.tenant.ID, 2)
		at := c.Now().Add(42 * time.Minute)
		rec.fn = func(b outbox.Batch) outbox.Report { return allRetry(b, errors.New("429"), at) }
		w.step(wk)
		rows := rec.rows()
		if r := w.row(rows[len(rows)-1].ID); !r.NextAttemptAt.Equal(at) {
			t.Errorf("next attempt %v, want the handler's %v", r.NextAttemptAt, at)
		}
	})
}

// A handler that reports bad credentials pauses the store; rows not tried
// are given back; reconnecting resumes delivery of the kept rows.
func TestPauseOnUnauthorizedAndResume(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		c := newClock()
		w := newWorld(t, b.open(t), c, "pause")
		w.connect("old-token")
		w.enqueue(w.tenant.ID, 1, 2, 3)
		var tokens []string
		rec := &recorder{fn: func(b outbox.Batch) outbox.Report {
			tokens = append(tokens, b.Connection.Token)
			// The first row went through; then 401.
			return outbox.Report{Results: []outbox.Result{{Outcome: outbox.Done}},
				Pause: &outbox.Pause{Reason: guild.PauseUnauthorized, Err: errors.New("401 Unauthorized")}}
		}}
		wk := w.dispatcher(w.store, rec, nil).Worker(0)
		if n := w.step(wk); n != 3 {
			t.Fatalf("claimed %d rows, want 3", n)
		}
		conn, err := w.app.PlatformConnection(w.ctx, w.tenant)
		if err != nil {
			t.Fatal(err)
		}
		if conn.State != guild.ConnectionPaused || conn.PausedReason != guild.PauseUnauthorized || conn.LastError != "401 Unauthorized" {
			t.Errorf("connection: %+v", conn)
		}
		c.Advance(time.Hour)
		if n := w.step(wk); n != 0 {
			t.Fatalf("claimed %d rows of a paused store", n)
		}
		st, _ := w.store.OutboxStats(w.ctx, w.tenant.ID, c.Now())
		if st.Pending != 2 || st.Leased != 0 {
			t.Errorf("queue while paused: %+v, want 2 pending", st)
		}

		res := w.connect("new-token")
		if res.InitialSync || res.Superseded != 0 {
			t.Errorf("reconnecting to the same store: %+v, want no initial sync", res)
		}
		rec.fn = nil
		if n := w.step(wk); n != 2 {
			t.Fatalf("after reconnecting: claimed %d rows, want 2", n)
		}
		for _, r := range rec.rows()[3:] {
			if r.Attempts != 1 {
				t.Errorf("row %d delivered at attempt %d; the pause must not count", r.ID, r.Attempts)
			}
		}
		if diff := cmp.Diff([]string{"old-token"}, tokens); diff != "" {
			t.Errorf("tokens seen (-want +got):\n%s", diff)
		}
		if got := rec.batches[len(rec.batches)-1].Connection.Token; got != "new-token" {
			t.Errorf("token after reconnecting: %q", got)
		}
	})
}

// Connecting a store that has data supersedes the pending rows and enqueues
// the whole state, in batches, once; disconnecting keeps changes for later.
func TestConnectStartsInitialSync(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		c := newClock()
		w := newWorld(t, b.open(t), c, "initial")
		ctx := w.ctx
		g, err := w.app.CreateCustomerGroup(ctx, w.tenant, "Wholesale")
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			_, err := w.app.CreateCompany(ctx, w.tenant, app.CompanyInput{Name: fmt.Sprintf("Co %d", i), Phone: "1", Email: fmt.Sprintf("co%d@example.com", i),
				Country: "US", AdminFirstName: "A", AdminLastName: "B", AdminEmail: fmt.Sprintf("admin%d@example.com", i), CustomerGroupID: &g.ID})
			if err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.app.CreateSuperAdmin(ctx, w.tenant, app.SuperAdminInput{FirstName: "S", LastName: "A", Email: "sa@example.com"}); err != nil {
			t.Fatal(err)
		}
		temp, err := w.app.CreateCustomerGroup(ctx, w.tenant, "Temporary")
		if err != nil {
			t.Fatal(err)
		}
		if err := w.app.DeleteCustomerGroup(ctx, w.tenant, temp.ID); err != nil {
			t.Fatal(err)
		}
		before, _ := w.store.OutboxStats(ctx, w.tenant.ID, c.Now())

		res := w.connect("token")
		if !res.InitialSync || res.Superseded != before.PendingAll-1 || res.Superseded == 0 {
			t.Fatalf("connect: %+v, want an initial sync superseding the %d pending rows but the deletion", res, before.PendingAll)
		}
		// Connecting again changes the token only.
		if again := w.connect("token-2"); again.InitialSync {
			t.Errorf("connecting again restarted the initial sync")
		}
		for {
			more, err := w.app.AdvanceInitialSyncs(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !more {
				break
			}
		}
		conn, _ := w.app.PlatformConnection(ctx, w.tenant)
		if conn.SyncStage != "" || conn.SyncFinishedAt.IsZero() {
			t.Errorf("initial sync not finished: %+v", conn)
		}
		if more, _ := w.app.AdvanceInitialSyncs(ctx); more {
			t.Error("a finished initial sync has more to do")
		}
		rec := &recorder{}
		wk := w.dispatcher(w.store, rec, func(o *outbox.Options) { o.BatchSize = 100 }).Worker(0)
		for w.step(wk) > 0 {
		}
		var got []string
		for _, r := range rec.rows() {
			got = append(got, r.Topic)
		}
		want := []string{guild.TopicCustomerGroupDeleted, guild.TopicCustomerGroupCreated,
			guild.TopicCompanyCreated, guild.TopicCompanyCreated, guild.TopicCompanyCreated,
			guild.TopicCustomerCreated, guild.TopicCustomerCreated, guild.TopicCustomerCreated, guild.TopicCustomerCreated,
			guild.TopicUserCreated, guild.TopicUserCreated, guild.TopicUserCreated,
			guild.TopicSuperAdminCreated}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("delivered after connecting (-want +got):\n%s", diff)
		}

		// Disconnected: changes are kept, not delivered; reconnecting
		// delivers them without a new initial sync.
		if err := w.app.DisconnectPlatform(ctx, w.tenant); err != nil {
			t.Fatal(err)
		}
		if err := w.app.DisconnectPlatform(ctx, w.tenant); !guild.IsNotFound(err) {
			t.Errorf("disconnecting twice: %v, want not found", err)
		}
		if _, err := w.app.CreateCustomerGroup(ctx, w.tenant, "Retail"); err != nil {
			t.Fatal(err)
		}
		if n := w.step(wk); n != 0 {
			t.Fatalf("delivered %d rows while disconnected", n)
		}
		if res := w.connect("token-3"); res.InitialSync {
			t.Errorf("reconnecting to the same BigCommerce store started an initial sync")
		}
		if n := w.step(wk); n != 1 {
			t.Fatalf("after reconnecting: %d rows, want the kept one", n)
		}
	})
}

// The connection is validated, and its token is sealed: never stored in
// clear.
func TestConnectValidatesAndSealsToken(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		w := newWorld(t, b.open(t), nil, "seal")
		for _, in := range []app.ConnectInput{
			{StoreHash: "", Token: "t"},
			{StoreHash: "abc/def", Token: "t"},
			{StoreHash: "abc", Token: ""},
			{StoreHash: "abc", Token: "two words"},
			{StoreHash: "abc", Token: "t", APIURL: "ftp://x"},
			{StoreHash: "abc", Token: "t", APIURL: "not a url"},
		} {
			if _, err := w.app.ConnectPlatform(w.ctx, w.tenant, in); guild.ErrorCodeOf(err) != guild.EInvalid {
				t.Errorf("ConnectPlatform(%+v) = %v, want invalid", in, err)
			}
		}
		w.connect("sekrit-token-value")
		c, err := w.store.PlatformConnection(w.ctx, w.tenant.ID)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(c.SealedToken), "sekrit") {
			t.Error("the token is stored in clear")
		}
		if tok, err := w.app.OpenPlatformToken(w.tenant.ID, c.SealedToken); err != nil || tok != "sekrit-token-value" {
			t.Errorf("OpenPlatformToken = %q, %v", tok, err)
		}
		if _, err := w.app.OpenPlatformToken(w.tenant.ID+1, c.SealedToken); err == nil {
			t.Error("a token opened for another store")
		}
	})
}

// A large store's initial sync goes in batches, each entity once, also when
// two replicas advance it at the same time.
func TestInitialSyncInBatches(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		s1, s2 := b.open(t), b.open(t)
		w := newWorld(t, s1, nil, "big")
		const groups = 2*app.InitialSyncBatch + 50
		err := s1.Update(w.ctx, func(ctx context.Context, tx guild.Tx) error {
			for i := range groups {
				if _, err := tx.CreateCustomerGroup(ctx, guild.CustomerGroup{TenantID: w.tenant.ID, Name: fmt.Sprint("G", i)}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		w.connect("token")
		other := app.New(app.Options{Store: s2, Logger: quiet()})
		var wg sync.WaitGroup
		for _, a := range []*app.App{w.app, other} {
			wg.Go(func() {
				for {
					more, err := a.AdvanceInitialSyncs(w.ctx)
					if err != nil {
						t.Error(err)
						return
					}
					if !more {
						return
					}
				}
			})
		}
		wg.Wait()
		rows, err := s1.ListOutboxRows(w.ctx, w.tenant.ID, guild.OutboxPending, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[int64]int{}
		for _, r := range rows {
			if r.EntityType != guild.EntityCustomerGroup || r.Topic != guild.TopicCustomerGroupCreated {
				t.Fatalf("unexpected row %+v", r)
			}
			seen[r.EntityID]++
		}
		if len(seen) != groups || len(rows) != groups {
			t.Fatalf("%d rows for %d groups, want one for each of %d", len(rows), len(seen), groups)
		}
	})
}

func TestMetrics(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		c := newClock()
		w := newWorld(t, b.open(t), c, "metrics")
		w.connect("token")
		w.enqueue(w.tenant.ID, 1, 2, 3)
		reg := prometheus.NewRegistry()
		m := outbox.NewMetrics(reg, w.store, c.Now)
		rec := &recorder{fn: func(b outbox.Batch) outbox.Report {
			return outbox.Report{Results: []outbox.Result{{Outcome: outbox.Done}, {Outcome: outbox.DeadLetter, Err: errors.New("422")}}}
		}}
		wk := w.dispatcher(w.store, rec, func(o *outbox.Options) { o.Metrics = m; o.BatchSize = 2 }).Worker(0)
		w.step(wk)
		m.RateLimited()
		c.Advance(2 * time.Minute)
		got := map[string]float64{}
		mfs, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, mf := range mfs {
			for _, mt := range mf.GetMetric() {
				name := mf.GetName()
				for _, l := range mt.GetLabel() {
					name += "{" + l.GetName() + "=" + l.GetValue() + "}"
				}
				switch {
				case mt.GetCounter() != nil:
					got[name] = mt.GetCounter().GetValue()
				case mt.GetGauge() != nil:
					got[name] = mt.GetGauge().GetValue()
				}
			}
		}
		age := got["guild_sync_oldest_pending_age_seconds"]
		if age < 110 || age > 130 {
			t.Errorf("oldest pending age %v s, want about 120", age)
		}
		delete(got, "guild_sync_oldest_pending_age_seconds")
		want := map[string]float64{
			"guild_sync_deliveries_total": 1, "guild_sync_dead_letters_total": 1, "guild_sync_retries_total": 0,
			"guild_sync_pauses_total": 0, "guild_sync_rate_limited_total": 1,
			"guild_sync_queue_depth{state=pending}": 1, "guild_sync_queue_depth{state=scheduled}": 0,
			"guild_sync_queue_depth{state=leased}": 0, "guild_sync_queue_depth{state=dead}": 1,
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("metrics (-want +got):\n%s", diff)
		}
	})
}

// Delivered rows are kept for the retention, then pruned; pending and dead
// rows, and the newest row, are kept.
func TestPruneAfterRetention(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		c := newClock()
		w := newWorld(t, b.open(t), c, "prune")
		w.connect("token")
		w.enqueue(w.tenant.ID, 1, 2, 3, 4)
		rec := &recorder{fn: func(b outbox.Batch) outbox.Report {
			res := make([]outbox.Result, len(b.Rows))
			for i, r := range b.Rows {
				res[i] = outbox.Result{Outcome: outbox.Done}
				if r.EntityID == 2 {
					res[i] = outbox.Result{Outcome: outbox.DeadLetter, Err: errors.New("no")}
				}
			}
			return outbox.Report{Results: res}
		}}
		d := w.dispatcher(w.store, rec, func(o *outbox.Options) { o.Retention = time.Hour })
		w.step(d.Worker(0))
		w.enqueue(w.tenant.ID, 5) // pending, and the newest row
		if n, err := d.Prune(w.ctx); err != nil || n != 0 {
			t.Fatalf("Prune within the retention = %d, %v; want 0", n, err)
		}
		c.Advance(2 * time.Hour)
		if n, err := d.Prune(w.ctx); err != nil || n != 3 {
			t.Fatalf("Prune after the retention = %d, %v; want the 3 delivered rows", n, err)
		}
		st, _ := w.store.OutboxStats(w.ctx, w.tenant.ID, c.Now())
		if st.Dead != 1 || st.PendingAll != 1 {
			t.Errorf("after pruning: %+v, want the dead and the pending row kept", st)
		}
	})
}
