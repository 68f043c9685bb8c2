package outbox_test

import (
	"context"
	"testing"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/outbox"
)

// BenchmarkDispatch measures the dispatcher's own cost: claiming rows of
// one store and recording their outcome, with a handler that does nothing,
// 10 rows per batch, one worker. Each iteration delivers 2,000 rows of 200
// entities (10 changes each, so per-entity order is at work).
func BenchmarkDispatch(b *testing.B) {
	forEachBackendB(b, func(b *testing.B, s guild.Store) {
		w := newWorld(b, s, nil, "bench")
		w.connect("token")
		done := outbox.HandlerFunc(func(ctx context.Context, bt outbox.Batch) outbox.Report { return allDone(bt) })
		wk := w.dispatcher(s, done, nil).Worker(0)
		ids := make([]int64, 2000)
		for i := range ids {
			ids[i] = int64(i%200 + 1)
		}
		rows := 0
		b.ResetTimer()
		for range b.N {
			b.StopTimer()
			w.enqueue(w.tenant.ID, ids...)
			b.StartTimer()
			for {
				n, err := wk.Step(context.Background())
				if err != nil {
					b.Fatal(err)
				}
				if n == 0 {
					break
				}
				rows += n
			}
		}
		b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	})
}
