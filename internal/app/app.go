// Package app holds Guild's use-cases: validation, business rules, and each
// write together with its outbox rows in one transaction. It is the only place
// business logic lives; stores and the HTTP layer stay thin.
package app

import (
	"context"
	"log/slog"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/attach"
	"github.com/guild-b2b/guild/internal/secret"
)

// Options configures an App.
type Options struct {
	Store guild.Store
	// Files keeps attachment bytes; nil disables attachments.
	Files *attach.Files
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Logger receives warnings about best-effort work (file clean-up); nil
	// means slog.Default().
	Logger *slog.Logger
	// Secrets seals platform tokens at rest; nil refuses to connect a store.
	Secrets *secret.Box
}

// App runs Guild's use-cases on a Store.
type App struct {
	store  guild.Store
	files  *attach.Files
	now    func() time.Time
	logger *slog.Logger
	box    *secret.Box
}

// New returns an App for opts.
func New(opts Options) *App {
	a := &App{store: opts.Store, files: opts.Files, now: opts.Now, logger: opts.Logger, box: opts.Secrets}
	if a.now == nil {
		a.now = time.Now
	}
	if a.logger == nil {
		a.logger = slog.Default()
	}
	return a
}

// Store returns the App's store, for read paths that need no rules.
func (a *App) Store() guild.Store { return a.store }

// update runs fn in a write transaction that does not touch any tenant's
// rows (creating a tenant, managing tokens).
func (a *App) update(ctx context.Context, fn func(ctx context.Context, tx guild.Tx) error) error {
	return a.store.Update(ctx, fn)
}

// write runs fn in a write transaction holding the tenant's write lock, so
// that the rules fn checks before it writes still hold when it commits.
func (a *App) write(ctx context.Context, t guild.Tenant, fn func(ctx context.Context, tx guild.Tx) error) error {
	return a.store.Update(ctx, func(ctx context.Context, tx guild.Tx) error {
		if err := tx.LockTenant(ctx, t.ID); err != nil {
			return err
		}
		return fn(ctx, tx)
	})
}

// clock returns the current time truncated to the stores' precision.
func (a *App) clock() time.Time { return a.now().UTC().Truncate(time.Microsecond) }
