package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/postgres"
	"github.com/guild-b2b/guild/internal/storetest"
	"github.com/jackc/pgx/v5"
)

// envURL names the environment variable with the URL of a PostgreSQL
// database the tests may create databases from; without it they skip.
const envURL = "GUILD_TEST_POSTGRES_URL"

// freshDatabase creates an empty, migrated database for t and returns its
// URL; t's cleanup drops it.
func freshDatabase(t testing.TB) string {
	t.Helper()
	base := os.Getenv(envURL)
	if base == "" {
		t.Skipf("%s is not set (e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable)", envURL)
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		t.Fatalf("%s must be a postgres:// URL: %q", envURL, base)
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to %s: %v", base, err)
	}
	defer func() { _ = admin.Close(ctx) }()

	b := make([]byte, 8)
	_, _ = rand.Read(b)
	name := "guild_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		admin, err := pgx.Connect(ctx, base)
		if err != nil {
			t.Errorf("connect to drop database %s: %v", name, err)
			return
		}
		defer func() { _ = admin.Close(ctx) }()
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	dbURL := u.String()
	if err := postgres.Migrate(ctx, dbURL); err != nil {
		t.Fatalf("migrate %s: %v", name, err)
	}
	return dbURL
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
