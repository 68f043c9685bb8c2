package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"text/tabwriter"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/app"
	"github.com/guild-b2b/guild/internal/bigcommerce"
	"github.com/guild-b2b/guild/internal/outbox"
	"github.com/guild-b2b/guild/internal/secret"
	"github.com/prometheus/client_golang/prometheus"
)

// secretBox returns the Box that seals platform tokens: the key of
// --secret-key, else (SQLite only) the key file in the data directory,
// created on first use. PostgreSQL replicas must share a key, so there
// it must be given; without it, nil (connecting is refused, nothing is
// delivered).
func secretBox(g *Globals) (*secret.Box, error) {
	var key []byte
	var err error
	switch {
	case g.SecretKey != "":
		key, err = secret.ParseKey(g.SecretKey)
		if err != nil {
			return nil, fmt.Errorf("--secret-key / GUILD_SECRET_KEY: %w", err)
		}
	case isPostgres(g.DatabaseURL):
		return nil, nil
	default:
		key, err = secret.LoadOrCreateKeyFile(g.DataDir)
		if err != nil {
			return nil, err
		}
	}
	return secret.New(key)
}

// StoresConnectCmd connects a store to BigCommerce.
type StoresConnectCmd struct {
	Hash                 string `required:"" help:"The store hash (Guild's)."`
	BigCommerceStoreHash string `name:"bigcommerce-store-hash" required:"" help:"The BigCommerce store hash."`
	BigCommerceToken     string `name:"bigcommerce-token" env:"GUILD_BIGCOMMERCE_TOKEN" required:"" help:"The access token of a BigCommerce API account (the environment keeps it off the command line). Stored encrypted, never shown."`
	BigCommerceAPIURL    string `name:"bigcommerce-api-url" default:"https://api.bigcommerce.com" help:"The BigCommerce API base URL (a sandbox's, say)."`
	Resync               bool   `help:"Start a full initial sync even when reconnecting to the same BigCommerce store."`
}

// Run implements the command.
func (c *StoresConnectCmd) Run(ctx context.Context, g *Globals, logger *slog.Logger) error {
	a, done, err := openApp(ctx, g, logger)
	if err != nil {
		return err
	}
	defer done()
	if isPostgres(g.DatabaseURL) && g.SecretKey == "" {
		return errors.New("with PostgreSQL, set --secret-key or GUILD_SECRET_KEY (the same on every replica; e.g. `openssl rand -base64 32`) to encrypt the token")
	}
	t, err := a.TenantByHash(ctx, c.Hash)
	if err != nil {
		return err
	}
	res, err := a.ConnectPlatform(ctx, t, app.ConnectInput{StoreHash: c.BigCommerceStoreHash, Token: c.BigCommerceToken, APIURL: c.BigCommerceAPIURL, Resync: c.Resync})
	if err != nil {
		return err
	}
	fmt.Printf("connected store %s to BigCommerce store %s (%s)\n", t.Hash, res.Connection.StoreHash, res.Connection.APIURL)
	if res.InitialSync {
		fmt.Printf("initial sync started: every customer group, company, customer, user and super admin will be sent; it supersedes %d changes queued before\n", res.Superseded)
	}
	return nil
}

// StoresDisconnectCmd disconnects a store.
type StoresDisconnectCmd struct {
	Hash string `required:"" help:"The store hash (Guild's)."`
}

// Run implements the command.
func (c *StoresDisconnectCmd) Run(ctx context.Context, g *Globals, logger *slog.Logger) error {
	a, t, done, err := openTenantApp(ctx, g, logger, c.Hash)
	if err != nil {
		return err
	}
	defer done()
	if err := a.DisconnectPlatform(ctx, t); err != nil {
		return err
	}
	fmt.Printf("disconnected store %s; its token is erased, and changes are kept until it connects again\n", t.Hash)
	return nil
}

// SyncCmd shows and repairs the sync.
type SyncCmd struct {
	Status    SyncStatusCmd    `cmd:"" help:"Show a store's connection, queue and dead letters."`
	Retry     SyncRetryCmd     `cmd:"" help:"Put dead letters back in the queue."`
	Import    SyncImportCmd    `cmd:"" help:"Import the connected BigCommerce store's customer groups and customers."`
	Reconcile SyncReconcileCmd `cmd:"" help:"Compare the store with BigCommerce, report the drift and repair it."`
}

// SyncStatusCmd shows a store's sync status.
type SyncStatusCmd struct {
	Store string `required:"" help:"The store hash."`
}

// Run implements the command.
func (c *SyncStatusCmd) Run(ctx context.Context, g *Globals, logger *slog.Logger) error {
	a, t, done, err := openTenantApp(ctx, g, logger, c.Store)
	if err != nil {
		return err
	}
	defer done()
	st, err := a.SyncStatus(ctx, t)
	if err != nil {
		return err
	}
	if conn := st.Connection; conn == nil {
		fmt.Println("connection: none (changes are kept until the store is connected: guild stores connect)")
	} else {
		fmt.Printf("connection: %s, BigCommerce store %s (%s)", conn.State, conn.StoreHash, conn.APIURL)
		if conn.PausedReason != "" {
			fmt.Printf(", paused: %s", conn.PausedReason)
		}
		fmt.Println()
		if conn.LastError != "" {
			fmt.Printf("last error: %s\n", conn.LastError)
		}
		switch {
		case conn.SyncStage != "":
			fmt.Printf("initial sync: running (queueing %s after id %d), started %s\n", conn.SyncStage, conn.SyncAfterID, conn.SyncStartedAt.Format(time.RFC3339))
		case !conn.SyncFinishedAt.IsZero():
			fmt.Printf("initial sync: done %s\n", conn.SyncFinishedAt.Format(time.RFC3339))
		}
	}
	q := st.Queue
	fmt.Printf("queue: %d pending, %d scheduled for retry, %d being delivered, %d dead\n", q.Pending, q.Scheduled, q.Leased, q.Dead)
	if !q.OldestDue.IsZero() {
		fmt.Printf("oldest change not delivered: %s ago (%s)\n", st.Now.Sub(q.OldestDue).Round(time.Second), q.OldestDue.Format(time.RFC3339))
	}
	if len(st.DeadLetters) == 0 {
		return nil
	}
	fmt.Println()
	w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "DEAD ID\tTOPIC\tENTITY\tATTEMPTS\tCREATED\tLAST ERROR")
	for _, d := range st.DeadLetters {
		fmt.Fprintf(w, "%d\t%s\t%s %d\t%d\t%s\t%s\n", d.ID, d.Topic, d.EntityType, d.EntityID, d.Attempts, d.CreatedAt.Format(time.RFC3339), d.LastError)
	}
	if q.Dead > len(st.DeadLetters) {
		fmt.Fprintf(w, "... and %d more\n", q.Dead-len(st.DeadLetters))
	}
	return w.Flush()
}

// SyncRetryCmd requeues dead letters.
type SyncRetryCmd struct {
	Store string `required:"" help:"The store hash."`
	ID    int64  `name:"id" xor:"which" required:"" help:"The id of one dead letter (see sync status)."`
	All   bool   `xor:"which" required:"" help:"Every dead letter of the store."`
}

// Run implements the command.
func (c *SyncRetryCmd) Run(ctx context.Context, g *Globals, logger *slog.Logger) error {
	a, t, done, err := openTenantApp(ctx, g, logger, c.Store)
	if err != nil {
		return err
	}
	defer done()
	if !c.All && c.ID <= 0 {
		return fmt.Errorf("--id must be the id of a dead letter (see guild sync status --store %s)", c.Store)
	}
	n, err := a.RetryDeadLetters(ctx, t, c.ID)
	if err != nil {
		return err
	}
	fmt.Printf("requeued %d dead letters of store %s\n", n, t.Hash)
	return nil
}

// syncFlags are serve's options of the dispatcher.
type syncFlags struct {
	Workers       bool          `name:"workers" env:"GUILD_WORKERS" default:"true" negatable:"" help:"Run the sync dispatcher in this process (--no-workers for API-only replicas)."`
	SyncWorkers   int           `name:"sync-workers" env:"GUILD_SYNC_WORKERS" default:"2" help:"Stores delivered to at once by this process."`
	SyncRetention time.Duration `name:"sync-retention" env:"GUILD_SYNC_RETENTION" default:"168h" help:"How long delivered changes are kept in the outbox; negative keeps them forever."`
	SyncAttempts  int           `name:"sync-max-attempts" env:"GUILD_SYNC_MAX_ATTEMPTS" default:"12" help:"Delivery attempts before a change is a dead letter."`
}

// startSync starts the dispatcher unless told not to, and returns a
// function that waits for it to stop (after ctx ends).
func startSync(ctx context.Context, f syncFlags, g *Globals, store guild.Store, a *app.App, reg prometheus.Registerer, logger *slog.Logger) (func(), error) {
	metrics := outbox.NewMetrics(reg, store, nil)
	if !f.Workers {
		logger.Info("sync dispatcher off (--no-workers)")
		return func() {}, nil
	}
	if f.SyncWorkers < 1 {
		return nil, fmt.Errorf("--sync-workers must be 1 or more, not %d", f.SyncWorkers)
	}
	handler, err := syncHandler(store, metrics, logger)
	if err != nil {
		return nil, err
	}
	if handler != nil && isPostgres(g.DatabaseURL) && g.SecretKey == "" {
		// Without the key the tokens cannot be opened; delivering would
		// pause every store.
		logger.Warn("no --secret-key / GUILD_SECRET_KEY: this replica delivers nothing (set the key shared by all replicas)")
		handler = nil
	}
	if handler == nil {
		logger.Warn("this build has no platform connector: stores' changes are queued (and initial syncs prepared) but not delivered")
	}
	d, err := outbox.New(outbox.Options{Store: store, Handler: handler, OpenToken: a.OpenPlatformToken, Syncer: a,
		Workers: f.SyncWorkers, BatchSize: syncBatchSize, MaxAttempts: f.SyncAttempts, Retention: f.SyncRetention, Logger: logger, Metrics: metrics})
	if err != nil {
		return nil, err
	}
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		d.Run(ctx)
	}()
	return func() { <-stopped }, nil
}

// syncBatchSize is how many rows one delivery takes: enough for the
// connector to send customers ten to a call (a batch holds users'
// customers, their user rows and the companies' rows).
const syncBatchSize = 100

// syncHandler is the platform connector that delivers outbox rows: the
// BigCommerce connector, one client per connected store.
func syncHandler(store guild.Store, metrics *outbox.Metrics, logger *slog.Logger) (outbox.Handler, error) {
	return bigcommerce.NewConnector(bigcommerce.ConnectorOptions{Store: store, Metrics: metrics, Logger: logger})
}
