package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/storetest"
)

// TestConformanceWithoutCandidates runs the conformance suite with the
// candidate plans of the company list turned off, so that the plans used
// for broad filters (walking the sort index, EXISTS, a scan for the count)
// are checked as well as the default ones.
func TestConformanceWithoutCandidates(t *testing.T) {
	storetest.Run(t, func(t *testing.T) guild.Store {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "guild.db"), Options{candidateLimit: -1})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}

// TestConformanceFewCandidates runs it with a candidate limit of 2, so that
// a filter switches plans within the suite's own data.
func TestConformanceFewCandidates(t *testing.T) {
	storetest.Run(t, func(t *testing.T) guild.Store {
		s, err := Open(context.Background(), filepath.Join(t.TempDir(), "guild.db"), Options{candidateLimit: 2})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	})
}
