// Package pgtest gives a test a fresh, migrated PostgreSQL database of its
// own, so that tests of every package run side by side on one server.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"testing"

	"github.com/guild-b2b/guild/internal/postgres"
	"github.com/jackc/pgx/v5"
)

// EnvURL names the environment variable with the URL of a PostgreSQL
// database the tests may create databases from; without it they skip.
const EnvURL = "GUILD_TEST_POSTGRES_URL"

// FreshDatabase creates an empty database named prefix_<random> on base's
// server, applies Guild's migrations and returns its URL. tb's cleanup drops
// it (after the cleanups registered later, such as closing a store on it).
func FreshDatabase(tb testing.TB, base, prefix string) string {
	tb.Helper()
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		tb.Fatalf("%s must be a postgres:// URL: %q", EnvURL, base)
	}
	ctx := context.Background()
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	name := prefix + "_" + hex.EncodeToString(b)
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		tb.Fatalf("connect to %s: %v", base, err)
	}
	defer func() { _ = admin.Close(ctx) }()
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatalf("create database %s: %v", name, err)
	}
	tb.Cleanup(func() {
		admin, err := pgx.Connect(ctx, base)
		if err != nil {
			tb.Errorf("connect to drop database %s: %v", name, err)
			return
		}
		defer func() { _ = admin.Close(ctx) }()
		if _, err := admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("drop database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	dbURL := u.String()
	if err := postgres.Migrate(ctx, dbURL); err != nil {
		tb.Fatalf("migrate %s: %v", name, err)
	}
	return dbURL
}
