package bigcommerce_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/guild-b2b/guild/internal/bcemu"
	"github.com/guild-b2b/guild/internal/bigcommerce"
)

// backlog is one drain of N calls against a quota.
type backlog struct {
	quota   int
	window  time.Duration
	workers int
	calls   int
	// other is what another app on the same store sends per window,
	// evenly, while the backlog drains (it shares the quota).
	other int
}

// drained is what the emulator saw.
type drained struct {
	calls        int
	quota429     int     // 429s for an exhausted quota (any app)
	per1000      float64 // quota429 per 1,000 of our calls
	peak         int     // most requests in one window
	peakSliding  int     // most requests in any span of one window
	used         float64 // mean share of the quota used by the full windows
	minUsed      float64 // the emptiest full window's share
	fullWindows  int
	elapsed      time.Duration
	clientRate   float64 // our calls per second
	clientRetry  int
	clientStats  bigcommerce.Stats
	windowCounts []int
}

// drain runs a backlog: workers share one client (one store), each call a
// customer list. The first window (start-up) and the window still open at
// the end are left out of the shares.
func drain(tb testing.TB, bl backlog) drained {
	tb.Helper()
	emu, err := bcemu.New(bcemu.Options{StoreHash: hash, Token: token, Quota: bl.quota, Window: bl.window})
	if err != nil {
		tb.Fatal(err)
	}
	srv := newServer(tb, emu)
	// The client starts from BigCommerce's documented default (150 per
	// 30 s) and learns the emulator's quota from the first answer.
	c, err := bigcommerce.New(bigcommerce.Options{BaseURL: srv, StoreHash: hash, Token: token})
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var otherWG sync.WaitGroup
	if bl.other > 0 {
		otherWG.Go(func() { otherApp(ctx, srv, bl.window/time.Duration(bl.other)) })
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for range bl.workers {
		wg.Go(func() {
			for range jobs {
				if _, _, err := c.ListCustomers(ctx, bigcommerce.CustomerFilter{Limit: 1}); err != nil {
					tb.Errorf("call: %v", err)
				}
			}
		})
	}
	for i := range bl.calls {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	elapsed := time.Since(start)
	cancel()
	otherWG.Wait()

	st, err := emu.Stats(hash)
	if err != nil {
		tb.Fatal(err)
	}
	d := drained{calls: bl.calls, quota429: st.QuotaExceeded, peak: st.PeakPerWindow, peakSliding: st.PeakSliding,
		elapsed: elapsed, clientStats: c.Stats(), clientRate: float64(bl.calls) / elapsed.Seconds()}
	d.per1000 = 1000 * float64(d.quota429) / float64(bl.calls)
	d.minUsed = 1
	var sum float64
	for i, w := range st.Windows {
		d.windowCounts = append(d.windowCounts, w.Arrived)
		if i == 0 {
			continue
		}
		share := float64(w.Accepted) / float64(bl.quota)
		sum += share
		d.minUsed = min(d.minUsed, share)
		d.fullWindows++
	}
	if d.fullWindows > 0 {
		d.used = sum / float64(d.fullWindows)
	}
	return d
}

func newServer(tb testing.TB, h http.Handler) string {
	tb.Helper()
	srv := httptest.NewServer(h)
	tb.Cleanup(srv.Close)
	return srv.URL
}

// otherApp sends a request every gap until ctx ends, ignoring answers, as
// another app on the same store would.
func otherApp(ctx context.Context, base string, gap time.Duration) {
	t := time.NewTicker(gap)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		req, _ := http.NewRequestWithContext(ctx, "GET", base+"/stores/"+hash+"/v3/customers?limit=1", nil)
		req.Header.Set("X-Auth-Token", token)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
		}
	}
}

// TestBacklogKeepsToTheQuota: a backlog drained by many goroutines through
// one client never goes over the quota in any window, leaves 429s at most 5
// per 1,000 calls, and uses at least 90% of the quota (of what the other app
// leaves, when one shares it).
func TestBacklogKeepsToTheQuota(t *testing.T) {
	if testing.Short() {
		t.Skip("drains backlogs in real time (about 8 s, in parallel)")
	}
	cases := []struct {
		name string
		bl   backlog
	}{
		{"50 per 1s, 4 workers", backlog{quota: 50, window: time.Second, workers: 4, calls: 400}},
		{"50 per 1s, 16 workers", backlog{quota: 50, window: time.Second, workers: 16, calls: 400}},
		{"40 per 500ms, 8 workers", backlog{quota: 40, window: 500 * time.Millisecond, workers: 8, calls: 400}},
		{"50 per 1s shared with an app sending 10", backlog{quota: 50, window: time.Second, workers: 8, calls: 300, other: 10}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := drain(t, tc.bl)
			t.Logf("%d calls in %v (%.1f/s): quota 429s %d (%.2f per 1,000), peak %d per window (%d sliding), quota used %.1f%% (min %.1f%%) over %d full windows; windows %v; client %+v",
				d.calls, d.elapsed.Round(time.Millisecond), d.clientRate, d.quota429, d.per1000, d.peak, d.peakSliding, 100*d.used, 100*d.minUsed, d.fullWindows, d.windowCounts, d.clientStats)
			if d.per1000 > 5 {
				t.Errorf("%.2f quota 429s per 1,000 calls, want at most 5", d.per1000)
			}
			if tc.bl.other == 0 && d.peak > tc.bl.quota {
				t.Errorf("a window received %d requests, over the quota of %d", d.peak, tc.bl.quota)
			}
			if d.fullWindows < 3 {
				t.Fatalf("only %d full windows: the backlog is too short to judge", d.fullWindows)
			}
			if d.used < 0.90 {
				t.Errorf("the backlog used %.1f%% of the quota, want at least 90%%", 100*d.used)
			}
		})
	}
}

// BenchmarkBacklog drains a 600-call backlog at a quota of 50 per 1 s and
// reports, over its b.N runs, the mean quota 429s per 1,000 calls and share
// of the quota used by the full windows (all apps together when another one
// shares the store), the emptiest full window and the fullest one.
func BenchmarkBacklog(b *testing.B) {
	for _, bc := range []struct {
		name string
		bl   backlog
	}{
		{"workers=8", backlog{quota: 50, window: time.Second, workers: 8, calls: 600}},
		{"workers=32", backlog{quota: 50, window: time.Second, workers: 32, calls: 600}},
		{"workers=8/other-app=10", backlog{quota: 50, window: time.Second, workers: 8, calls: 600, other: 10}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var per1000, used float64
			minUsed, peak := 1.0, 0
			for range b.N {
				d := drain(b, bc.bl)
				per1000 += d.per1000
				used += d.used
				minUsed = min(minUsed, d.minUsed)
				peak = max(peak, d.peak)
			}
			n := float64(b.N)
			b.ReportMetric(per1000/n, "429s/1000calls")
			b.ReportMetric(100*used/n, "%quota-used")
			b.ReportMetric(100*minUsed, "%quota-used-min")
			b.ReportMetric(float64(peak), "peak/window")
		})
	}
}

// TestBurstOf429s: while a backlog drains, every answer is 429 for half a
// second; every call still succeeds, the client waits the bursts out rather
// than hammering, and it never goes over the quota afterwards.
func TestBurstOf429s(t *testing.T) {
	if testing.Short() {
		t.Skip("drains a backlog in real time (about 4 s)")
	}
	emu, err := bcemu.New(bcemu.Options{StoreHash: hash, Token: token, Quota: 50, Window: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c, err := bigcommerce.New(bigcommerce.Options{BaseURL: newServer(t, emu), StoreHash: hash, Token: token})
	if err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(time.Second, func() { _ = emu.SetFaults(bcemu.Faults{Share429: 1}) })
	time.AfterFunc(1500*time.Millisecond, func() { _ = emu.SetFaults(bcemu.Faults{}) })
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range jobs {
				if _, _, err := c.ListCustomers(context.Background(), bigcommerce.CustomerFilter{Limit: 1}); err != nil {
					t.Errorf("call: %v", err)
				}
			}
		})
	}
	for i := range 150 {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	st, _ := emu.Stats(hash)
	cs := c.Stats()
	t.Logf("emulator: %d injected 429s, %d over quota, peak %d; client %+v", st.Injected429, st.QuotaExceeded, st.PeakPerWindow, cs)
	if st.Injected429 == 0 || cs.RateLimited != st.Injected429 {
		t.Errorf("injected %d 429s, the client saw %d", st.Injected429, cs.RateLimited)
	}
	// each 429 stops every goroutine for a second, so a half-second burst
	// costs a handful of requests, not one per goroutine per backoff step
	if st.Injected429 > 10 {
		t.Errorf("%d requests went into a half-second burst of 429s: the client did not pause", st.Injected429)
	}
	if st.QuotaExceeded != 0 || st.PeakPerWindow > 50 {
		t.Errorf("over the quota: %d 429s, peak %d", st.QuotaExceeded, st.PeakPerWindow)
	}
}
