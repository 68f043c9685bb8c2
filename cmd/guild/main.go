// Command guild runs Guild, a self-hosted B2B account service, and manages
// its stores and tokens. Configuration is read here and nowhere else.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/alecthomas/kong"
)

// Globals are the options every command takes.
type Globals struct {
	DataDir          string `name:"data-dir" env:"GUILD_DATA_DIR" default:"./guild-data" help:"Directory for the SQLite database and attachments."`
	DatabaseURL      string `name:"database-url" env:"GUILD_DATABASE_URL" help:"A postgres:// URL selects PostgreSQL; empty means the embedded SQLite database in the data dir."`
	DatabaseMaxConns int32  `name:"database-max-conns" env:"GUILD_DATABASE_MAX_CONNS" default:"0" help:"PostgreSQL only: the most connections this process opens to the database; 0 means pool_max_conns from the URL if given, else 4 per CPU and at least 16. Keep the sum over all processes below the server's max_connections."`
	LogLevel         string `name:"log-level" env:"GUILD_LOG_LEVEL" default:"info" enum:"debug,info,warn,error" help:"Log level (debug, info, warn, error)."`
	LogFormat        string `name:"log-format" env:"GUILD_LOG_FORMAT" default:"text" enum:"text,json" help:"Log format (text or json)."`
	SecretKey        string `name:"secret-key" env:"GUILD_SECRET_KEY" help:"Base64 of 32 bytes: the key that encrypts platform tokens at rest. Empty: with SQLite, the key file secret.key in the data dir (created on first use, mode 0600); with PostgreSQL it is required (the same on every replica) to connect stores and deliver."`
}

// CLI is the command line.
type CLI struct {
	Globals

	Serve          ServeCmd          `cmd:"" help:"Run the API server."`
	Migrate        MigrateCmd        `cmd:"" help:"Apply database migrations."`
	Stores         StoresCmd         `cmd:"" help:"Manage stores (tenants)."`
	Tokens         TokensCmd         `cmd:"" help:"Manage a store's API tokens."`
	CustomerGroups CustomerGroupsCmd `cmd:"" name:"customer-groups" help:"Manage a store's customer groups (while Guild is the commerce platform)."`
	Companies      CompaniesCmd      `cmd:"" help:"Bulk-load companies."`
	PaymentMethods PaymentMethodsCmd `cmd:"" name:"payment-methods" help:"Manage a store's payment methods (while Guild is the commerce platform)."`
	Channels       ChannelsCmd       `cmd:"" help:"Manage a store's storefront channels (while Guild is the commerce platform)."`
	Sync           SyncCmd           `cmd:"" help:"Show and repair the sync to connected platforms."`
	Emulate        EmulateCmd        `cmd:"" help:"Run an emulator of a platform Guild syncs with (a sandbox)."`
}

func main() {
	var cli CLI
	kctx := kong.Parse(&cli,
		kong.Name("guild"),
		kong.Description("Guild: self-hosted B2B company accounts, compatible with the B2B Edition server-to-server API."),
		kong.UsageOnError(),
	)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := newLogger(cli.Globals)
	kctx.BindTo(ctx, (*context.Context)(nil))
	err := kctx.Run(&cli.Globals, logger)
	if err != nil {
		fmt.Fprintln(os.Stderr, "guild:", err)
		os.Exit(1)
	}
}

func newLogger(g Globals) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(g.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if g.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}
