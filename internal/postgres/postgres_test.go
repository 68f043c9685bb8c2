package postgres_test

import (
	"context"
	"os"
	"testing"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/pgtest"
	"github.com/guild-b2b/guild/internal/postgres"
	"github.com/guild-b2b/guild/internal/storetest"
)

// envURL names the environment variable with the URL of a PostgreSQL
// database the tests may create databases from; without it they skip.
const envURL = "GUILD_TEST_POSTGRES_URL"

// freshDatabase creates an empty, migrated database for t and returns its
// URL; t's cleanup drops it. Without GUILD_TEST_POSTGRES_URL, t skips.
func freshDatabase(t testing.TB) string {
	t.Helper()
	base := os.Getenv(envURL)
	if base == "" {
		t.Skipf("%s is not set (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", envURL)
	}
	return pgtest.FreshDatabase(t, base, "guild_test")
}

// openURL opens a store on dbURL, closed by t's cleanup (which runs before
// the cleanup that drops the database, registered earlier).
func openURL(t testing.TB, dbURL string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), dbURL, postgres.Options{MaxConns: 4})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

// open returns a fresh, empty, migrated store on a database of its own.
func open(t *testing.T) guild.Store {
	t.Helper()
	return openURL(t, freshDatabase(t))
}

// TestConformance runs the conformance suite every guild.Store must pass.
func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) guild.Store { return open(t) })
}
