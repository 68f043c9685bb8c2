package sqlite

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/pressly/goose/v3"
)

// TestMigrationGivesExistingStoresTheDefaultChannel migrates a database
// whose store predates migration 22 and checks that the store gets its
// default channel (platform id 1) and the default payment settings.
func TestMigrationGivesExistingStoresTheDefaultChannel(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "guild.db")
	drv, err := newDriver()
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(connector{drv: drv, dsn: dsn(path, Options{BusyTimeout: 5e9}, true)})
	dir, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, dir, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 21); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO tenants (hash, name, created_at, updated_at) VALUES ('old', 'Old', 1000000, 1000000)`); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := Open(ctx, path, Options{})
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
