package sqlite_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/sqlite"
	"github.com/guild-b2b/guild/internal/storetest"
)

// open opens a store on a new file in a temporary directory.
func open(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path, sqlite.Options{})
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) guild.Store {
		return open(t, filepath.Join(t.TempDir(), "guild.db"))
	})
}

// TestOpenCreatesDirectory opens a file in directories that do not exist.
func TestOpenCreatesDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a", "b", "guild.db")
	s := open(t, path)
	if _, err := s.ListTenants(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Opening again finds the schema migrated.
	open(t, path)
}

// TestTwoStoresOnOneFile is the CLI writing while `guild serve` runs: each
// store sees the other's commits, and their writers take turns.
func TestTwoStoresOnOneFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "guild.db")
	serve := open(t, path)
	cli := open(t, path)

	createTenant := func(s *sqlite.Store, hash string) guild.Tenant {
		t.Helper()
		var tn guild.Tenant
		err := s.Update(ctx, func(ctx context.Context, tx guild.Tx) error {
			var err error
			tn, err = tx.CreateTenant(ctx, guild.Tenant{Hash: hash, Name: hash})
			return err
		})
		if err != nil {
			t.Fatalf("CreateTenant %s: %v", hash, err)
		}
		return tn
	}
	a := createTenant(cli, "from-cli")
	if got, err := serve.TenantByHash(ctx, "from-cli"); err != nil || got.ID != a.ID {
		t.Fatalf("serve does not see the CLI's tenant: %+v, %v", got, err)
	}
	b := createTenant(serve, "from-serve")
	if got, err := cli.TenantByHash(ctx, "from-serve"); err != nil || got.ID != b.ID {
		t.Fatalf("the CLI does not see serve's tenant: %+v, %v", got, err)
	}
	err := cli.Update(ctx, func(ctx context.Context, tx guild.Tx) error {
		_, err := tx.CreateTenant(ctx, guild.Tenant{Hash: "from-serve", Name: "dup"})
		return err
	})
	if !guild.IsConflict(err) {
		t.Errorf("the CLI's duplicate of serve's tenant: %v, want a conflict", err)
	}

	// Both write at once: the second writer waits for the first (busy_timeout)
	// rather than failing.
	var wg sync.WaitGroup
	errs := make(chan error, 2*20)
	for i, s := range []*sqlite.Store{serve, cli} {
		wg.Go(func() {
			for j := range 20 {
				err := s.Update(ctx, func(ctx context.Context, tx guild.Tx) error {
					_, err := tx.CreateCustomerGroup(ctx, guild.CustomerGroup{TenantID: a.ID, Name: "g"})
					if err == nil && j%5 == 0 {
						time.Sleep(5 * time.Millisecond) // hold the write lock a while
					}
					return err
				})
				if err != nil {
					errs <- errors.Join(errors.New("store "+string(rune('0'+i))), err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for _, s := range []*sqlite.Store{serve, cli} {
		_, n, err := s.ListCustomerGroups(ctx, a.ID, guild.Page{Limit: 1})
		if err != nil || n != 40 {
			t.Errorf("groups seen: %d, %v; want 40", n, err)
		}
	}
}

// TestReadsDuringWrite checks that a read is not blocked by an open write
// transaction.
func TestReadsDuringWrite(t *testing.T) {
	ctx := context.Background()
	s := open(t, filepath.Join(t.TempDir(), "guild.db"))
	err := s.Update(ctx, func(ctx context.Context, tx guild.Tx) error {
		if _, err := tx.CreateTenant(ctx, guild.Tenant{Hash: "w", Name: "w"}); err != nil {
			return err
		}
		done := make(chan error, 1)
		go func() {
			_, err := s.ListTenants(ctx)
			done <- err
		}()
		select {
		case err := <-done:
			return err
		case <-time.After(2 * time.Second):
			return errors.New("a read waited for the write transaction")
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}
