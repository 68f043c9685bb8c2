package main

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
	"github.com/guild-b2b/guild/internal/attach"
	"github.com/guild-b2b/guild/internal/postgres"
	"github.com/guild-b2b/guild/internal/sqlite"
)

func isPostgres(url string) bool {
	return strings.HasPrefix(url, "postgres://") || strings.HasPrefix(url, "postgresql://")
}

// openStore opens the configured store. SQLite migrates itself on open;
// PostgreSQL is migrated by `guild migrate` (and by serve, unless told not to).
func openStore(ctx context.Context, g *Globals, migratePostgres bool) (guild.Store, error) {
	switch {
	case g.DatabaseURL == "":
		path := filepath.Join(g.DataDir, "guild.db")
		s, err := sqlite.Open(ctx, path, sqlite.Options{})
		if err != nil {
			return nil, fmt.Errorf("open SQLite database %s: %w", path, err)
		}
		return s, nil
	case isPostgres(g.DatabaseURL):
		if g.DatabaseMaxConns < 0 {
			return nil, fmt.Errorf("--database-max-conns must be 0 (the default) or more, not %d", g.DatabaseMaxConns)
		}
		if migratePostgres {
			if err := postgres.Migrate(ctx, g.DatabaseURL); err != nil {
				return nil, fmt.Errorf("migrate PostgreSQL: %w", err)
			}
		}
		s, err := postgres.Open(ctx, g.DatabaseURL, postgres.Options{MaxConns: g.DatabaseMaxConns})
		if err != nil {
			return nil, fmt.Errorf("open PostgreSQL: %w", err)
		}
		return s, nil
	default:
		return nil, fmt.Errorf("--database-url must be a postgres:// URL, or empty for the embedded SQLite database")
	}
}

// openApp opens the store and returns the App on it and a close function.
func openApp(ctx context.Context, g *Globals, logger *slog.Logger) (*app.App, func(), error) {
	s, err := openStore(ctx, g, false)
	if err != nil {
		return nil, nil, err
	}
	a, done, err := appOn(s, g, logger)
	if err != nil {
		_ = s.Close()
		return nil, nil, err
	}
	return a, func() { done(); _ = s.Close() }, nil
}

// openTenantApp is openApp for a command on one store: it also finds the
// store by its hash.
func openTenantApp(ctx context.Context, g *Globals, logger *slog.Logger, hash string) (*app.App, guild.Tenant, func(), error) {
	a, done, err := openApp(ctx, g, logger)
	if err != nil {
		return nil, guild.Tenant{}, nil, err
	}
	t, err := a.TenantByHash(ctx, hash)
	if err != nil {
		done()
		return nil, guild.Tenant{}, nil, err
	}
	return a, t, done, nil
}

// appOn returns the App on an open store.
func appOn(s guild.Store, g *Globals, logger *slog.Logger) (*app.App, func(), error) {
	files := attach.NewFiles(g.DataDir)
	box, err := secretBox(g)
	if err != nil {
		return nil, nil, err
	}
	return app.New(app.Options{Store: s, Files: files, Logger: logger, Secrets: box}), func() {}, nil
}
