package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrate applies the pending migrations on db (the write connection).
//
// goose has no lock for SQLite, so two processes opening a new file at once
// may both try a migration; the loser's BEGIN IMMEDIATE waits for the
// winner, then fails on the objects the winner created. A failure after
// which nothing is pending any more is therefore not an error.
func migrate(ctx context.Context, db *sql.DB) error {
	dir, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return fmt.Errorf("migrations directory: %w", err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, db, dir, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return fmt.Errorf("goose provider: %w", err)
	}
	_, upErr := p.Up(ctx)
	if upErr == nil {
		return nil
	}
	pending, err := p.HasPending(ctx)
	if err != nil || pending {
		return fmt.Errorf("apply migrations: %w", upErr)
	}
	return nil
}
