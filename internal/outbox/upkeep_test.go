package outbox_test

import (
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/guild-b2b/guild/internal/outbox"
	"github.com/guild-b2b/guild/internal/sqlite"
)

// countingSyncer reports more to enqueue until it has been called want times.
type countingSyncer struct {
	calls atomic.Int64
	want  int64
	done  chan struct{}
}

func (s *countingSyncer) AdvanceInitialSyncs(context.Context) (bool, error) {
	n := s.calls.Add(1)
	if n == s.want {
		close(s.done)
	}
	return n < s.want, nil
}

// TestUpkeepGoesOnWhileSyncsHaveMore: an initial sync with more to enqueue
// than one upkeep round takes (50 batches) goes on at once, not after a poll
// interval (an hour here). The loop does not depend on the store: SQLite.
func TestUpkeepGoesOnWhileSyncsHaveMore(t *testing.T) {
	s, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "guild.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	syncer := &countingSyncer{want: 175, done: make(chan struct{})}
	d, err := outbox.New(outbox.Options{Store: s, Syncer: syncer, PollInterval: time.Hour, Retention: -1, Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { d.Run(ctx); close(stopped) }()
	defer func() { cancel(); <-stopped }()
	select {
	case <-syncer.done:
	case <-time.After(10 * time.Second):
		t.Fatalf("the upkeep stopped after %d of %d initial-sync batches, waiting a poll interval", syncer.calls.Load(), syncer.want)
	}
}
