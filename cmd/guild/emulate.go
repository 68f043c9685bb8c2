package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/guild-b2b/guild/internal/bcemu"
)

// EmulateCmd runs emulators of the platforms Guild syncs with.
type EmulateCmd struct {
	BigCommerce EmulateBigCommerceCmd `cmd:"" name:"bigcommerce" help:"Run a BigCommerce API emulator (customer groups, customers, price-list assignments) as a sandbox."`
}

// EmulateBigCommerceCmd serves internal/bcemu.
type EmulateBigCommerceCmd struct {
	Addr           string        `env:"GUILD_BCEMU_ADDR" default:"127.0.0.1:9090" help:"Address to listen on."`
	StoreHash      string        `name:"store-hash" env:"GUILD_BCEMU_STORE_HASH" default:"store1" help:"The store's hash (the {store_hash} in /stores/{store_hash}/v3/...)."`
	Token          string        `env:"GUILD_BCEMU_TOKEN" default:"token1" help:"The X-Auth-Token the store accepts."`
	Quota          int           `default:"150" help:"Requests per window per store (BigCommerce Standard/Plus: 150 per 30s)."`
	Window         time.Duration `default:"30s" help:"Length of a rate-limit window."`
	Fault429       float64       `name:"fault-429" default:"0" help:"Share of requests answered 429 on top of the quota (0 to 1)."`
	Fault5xx       float64       `name:"fault-5xx" default:"0" help:"Share of requests answered 500 or 503 (0 to 1)."`
	FaultSlow      float64       `name:"fault-slow" default:"0" help:"Share of requests answered after --slow-delay (0 to 1)."`
	SlowDelay      time.Duration `name:"slow-delay" default:"2s" help:"How late a slow answer comes."`
	FaultDrop      float64       `name:"fault-drop" default:"0" help:"Share of requests whose connection is closed without an answer (0 to 1)."`
	FaultDropAfter float64       `name:"fault-drop-after" default:"0" help:"Share of requests carried out whose connection is then closed without an answer (0 to 1)."`
	TokenRevoked   bool          `name:"token-revoked" help:"Start with the token revoked: every request gets 401 until the admin API restores it."`
	Seed           uint64        `default:"1" help:"Seed of the fault dice: the same seed and requests give the same faults."`
}

// Run implements the command: serves until SIGINT or SIGTERM.
func (c *EmulateBigCommerceCmd) Run(ctx context.Context, logger *slog.Logger) error {
	emu, err := bcemu.New(bcemu.Options{
		StoreHash: c.StoreHash, Token: c.Token, Quota: c.Quota, Window: c.Window, Seed: c.Seed, Logger: logger,
		Faults: bcemu.Faults{Share429: c.Fault429, Share5xx: c.Fault5xx, ShareSlow: c.FaultSlow, SlowDelay: c.SlowDelay, ShareDrop: c.FaultDrop,
			ShareDropAfter: c.FaultDropAfter, TokenRevoked: c.TokenRevoked},
	})
	if err != nil {
		return fmt.Errorf("emulator: %w", err)
	}
	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", c.Addr, err)
	}
	hs := &http.Server{Handler: emu, ReadHeaderTimeout: 10 * time.Second}
	base := "http://" + ln.Addr().String()
	logger.Info("BigCommerce emulator is serving", "base_url", base, "store_hash", c.StoreHash,
		"api", base+"/stores/"+c.StoreHash+"/v3/customers", "quota", c.Quota, "window", c.Window,
		"admin", base+"/_emulator/faults")
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
