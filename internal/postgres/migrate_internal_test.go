package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io/fs"
	"net/url"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
)

// TestMigrationGivesExistingStoresTheDefaultChannel migrates a database
// whose store predates migration 22 and checks that the store gets its
// default channel (platform id 1) and the default payment settings.
func TestMigrationGivesExistingStoresTheDefaultChannel(t *testing.T) {
	base := os.Getenv("GUILD_TEST_POSTGRES_URL")
	if base == "" {
		t.Skip("GUILD_TEST_POSTGRES_URL is not set")
	}
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = admin.Close(ctx) }()
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	name := "guild_mig_" + hex.EncodeToString(b)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	defer func() { _, _ = admin.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") }()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	dbURL := u.String()

	cfg, err := pgx.ParseConfig(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	db := stdlib.OpenDB(*cfg)
	dir, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectPostgres, db, dir, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 21); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO tenants (hash, name, created_at, updated_at) VALUES ('old', 'Old', 1000000, 1000000)`); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()

	if err := Migrate(ctx, dbURL); err != nil {
		t.Fatal(err)
	}
	s, err := Open(ctx, dbURL, Options{MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	tn, err := s.TenantByHash(ctx, "old")
	if err != nil {
		t.Fatal(err)
	}
	if tn.CreditEnabled || tn.DefaultPaymentTerms != 30 {
		t.Errorf("migrated store's payment settings: credit %t, terms %d; want false, 30", tn.CreditEnabled, tn.DefaultPaymentTerms)
	}
	cs, err := s.ListChannels(ctx, tn.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].ChannelID != 1 || cs[0].Name != "Default Channel" || !cs[0].IsEnabled || cs[0].Type != "storefront" ||
		!cs[0].CreatedAt.Equal(tn.CreatedAt) {
		t.Errorf("migrated store's channels: %+v", cs)
	}
}
