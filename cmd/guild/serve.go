package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/guild-b2b/guild/api"
	"github.com/guild-b2b/guild/internal/httpapi"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// ServeCmd runs the API server.
type ServeCmd struct {
	Addr            string        `env:"GUILD_ADDR" default:"127.0.0.1:8080" help:"Address to listen on."`
	AccessLog       bool          `name:"access-log" env:"GUILD_ACCESS_LOG" default:"true" negatable:"" help:"Log one line per request."`
	ShutdownTimeout time.Duration `name:"shutdown-timeout" default:"30s" help:"How long in-flight requests may run after SIGTERM."`
	Migrate         bool          `default:"true" negatable:"" help:"Apply PostgreSQL migrations at start (SQLite always migrates itself)."`
	syncFlags
}

// Run implements the command: serves until SIGINT or SIGTERM, then drains.
func (c *ServeCmd) Run(ctx context.Context, g *Globals, logger *slog.Logger) error {
	store, err := openStore(ctx, g, c.Migrate)
	if err != nil {
		return err
	}
	defer store.Close()
	a, done, err := appOn(store, g, logger)
	if err != nil {
		return err
	}
	defer done()

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	syncCtx, stopSync := context.WithCancel(ctx)
	defer stopSync()
	syncStopped, err := startSync(syncCtx, c.syncFlags, g, store, a, reg, logger)
	if err != nil {
		return err
	}
	srv := httpapi.New(httpapi.Options{
		App: a, Logger: logger, Registry: reg, OpenAPI: api.OpenAPI(), AccessLog: c.AccessLog,
		Ready: func(ctx context.Context) error {
			_, err := store.ListTenants(ctx)
			return err
		},
	})
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	db := "SQLite in " + g.DataDir
	if g.DatabaseURL != "" {
		db = "PostgreSQL"
	}
	logger.Info("guild is serving", "addr", "http://"+ln.Addr().String(), "database", db)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: draining in-flight requests", "timeout", c.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), c.ShutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	stopSync()
	syncStopped() // deliveries under way finish or are left to their lease
	logger.Info("stopped")
	return nil
}
