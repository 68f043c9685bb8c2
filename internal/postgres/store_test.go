package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/postgres"
)

// The tests here pin what is particular to PostgreSQL: several processes on
// one database, the retry of conflicting transactions, savepoints, the
// migration. internal/storetest pins the behaviour both stores share.

func update(t *testing.T, s guild.Store, fn func(ctx context.Context, tx guild.Tx) error) {
	t.Helper()
	if err := s.Update(context.Background(), fn); err != nil {
		t.Fatalf("update: %v", err)
	}
}

func createTenant(t *testing.T, s guild.Store, hash string) guild.Tenant {
	t.Helper()
	var tn guild.Tenant
	update(t, s, func(ctx context.Context, tx guild.Tx) error {
		var err error
		tn, err = tx.CreateTenant(ctx, guild.Tenant{Hash: hash, Name: "Store " + hash})
		return err
	})
	return tn
}

func createCompany(t *testing.T, s guild.Store, c guild.Company) int64 {
	t.Helper()
	var id int64
	update(t, s, func(ctx context.Context, tx guild.Tx) error {
		var err error
		id, err = tx.CreateCompany(ctx, c)
		return err
	})
	return id
}

// Two stores (two pools, as two replicas) on one database see each other's
// writes at once.
func TestTwoStoresShareOneDatabase(t *testing.T) {
	dbURL := freshDatabase(t)
	a, b := openURL(t, dbURL), openURL(t, dbURL)
	ctx := context.Background()

	tn := createTenant(t, a, "shared")
	got, err := b.TenantByHash(ctx, "shared")
	if err != nil || got.ID != tn.ID {
		t.Fatalf("store b: TenantByHash = %+v, %v; want the tenant store a created (id %d)", got, err, tn.ID)
	}
	id := createCompany(t, b, guild.Company{TenantID: tn.ID, Name: "Acme", Status: guild.CompanyApproved})
	c, err := a.Company(ctx, tn.ID, id)
	if err != nil || c.Name != "Acme" {
		t.Fatalf("store a: Company(%d) = %+v, %v; want the company store b created", id, c, err)
	}
	update(t, a, func(ctx context.Context, tx guild.Tx) error {
		c.Name = "Acme Corp"
		return tx.UpdateCompany(ctx, c)
	})
	if list, n, err := b.ListCompanies(ctx, tn.ID, guild.CompanyFilter{Query: "corp"}); err != nil || n != 1 || len(list) != 1 || list[0].Name != "Acme Corp" {
		t.Fatalf("store b: ListCompanies(corp) = %+v, %d, %v; want the company store a renamed", list, n, err)
	}
	// A conflict across the two: a hash taken through a is taken for b.
	err = b.Update(ctx, func(ctx context.Context, tx guild.Tx) error {
		_, err := tx.CreateTenant(ctx, guild.Tenant{Hash: "shared", Name: "again"})
		return err
	})
	if !guild.IsConflict(err) {
		t.Fatalf("store b: CreateTenant(taken hash) = %v; want a conflict", err)
	}
}

// Concurrent read-modify-write transactions on one row, from two stores, lose
// no update: SERIALIZABLE refuses the loser and Update runs it again.
func TestLockedUpdatesLoseNothing(t *testing.T) {
	dbURL := freshDatabase(t)
	stores := []guild.Store{openURL(t, dbURL), openURL(t, dbURL)}
	tn := createTenant(t, stores[0], "race")
	id := createCompany(t, stores[0], guild.Company{TenantID: tn.ID, Name: "x", Status: guild.CompanyApproved})

	const workers = 8
	var wg sync.WaitGroup
	var mu sync.Mutex
	runs := 0
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			s := stores[w%len(stores)]
			errs <- s.Update(context.Background(), func(ctx context.Context, tx guild.Tx) error {
				mu.Lock()
				runs++
				mu.Unlock()
				if err := tx.LockTenant(ctx, tn.ID); err != nil {
					return err
				}
				c, err := tx.Company(ctx, tn.ID, id)
				if err != nil {
					return err
				}
				time.Sleep(5 * time.Millisecond) // widen the race
				c.Name += fmt.Sprint(w)
				return tx.UpdateCompany(ctx, c)
			})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("update: %v", err)
		}
	}
	c, err := stores[1].Company(context.Background(), tn.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Name) != 1+workers {
		t.Errorf("name = %q after %d concurrent appends; an update was lost", c.Name, workers)
	}
}

// A failed write leaves the transaction usable, as on SQLite: the conflict
// is reported, the write is undone, and what came before and after commits.
func TestFailedWriteKeepsTransactionUsable(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	tn := createTenant(t, s, "sp")
	var second int64
	update(t, s, func(ctx context.Context, tx guild.Tx) error {
		if _, err := tx.CreateCustomer(ctx, guild.Customer{TenantID: tn.ID, Email: "a@example.com", FirstName: "A", LastName: "A"}); err != nil {
			return err
		}
		_, err := tx.CreateCustomer(ctx, guild.Customer{TenantID: tn.ID, Email: "A@EXAMPLE.COM", FirstName: "B", LastName: "B"})
		if !guild.IsConflict(err) {
			return fmt.Errorf("duplicate email: got %v, want a conflict", err)
		}
		second, err = tx.CreateCustomer(ctx, guild.Customer{TenantID: tn.ID, Email: "b@example.com", FirstName: "B", LastName: "B"})
		return err
	})
	if c, err := s.Customer(ctx, tn.ID, second); err != nil || c.Email != "b@example.com" {
		t.Fatalf("Customer(%d) = %+v, %v; want the customer created after the conflict", second, c, err)
	}
	if _, err := s.CustomerByEmail(ctx, tn.ID, "A@example.com"); err != nil {
		t.Fatalf("CustomerByEmail: %v; want the customer created before the conflict", err)
	}
}

// A company create that fails on a unique extra-field value writes nothing
// of the company.
func TestCreateCompanyIsAtomic(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	tn := createTenant(t, s, "atomic")
	var field int64
	update(t, s, func(ctx context.Context, tx guild.Tx) error {
		var err error
		field, err = tx.CreateExtraFieldDef(ctx, guild.ExtraFieldDef{TenantID: tn.ID, Kind: guild.ExtraFieldCompany, Name: "ERP id", Unique: true})
		return err
	})
	values := []guild.ExtraFieldValue{{FieldID: field, Value: "E-1", Unique: true}}
	createCompany(t, s, guild.Company{TenantID: tn.ID, Name: "One", ExtraFields: values})
	update(t, s, func(ctx context.Context, tx guild.Tx) error {
		_, err := tx.CreateCompany(ctx, guild.Company{TenantID: tn.ID, Name: "Two", ExtraFields: values,
			PriceLists: []guild.PriceListAssignment{{ChannelID: 1, PriceListID: 2}}})
		if !guild.IsConflict(err) {
			return fmt.Errorf("CreateCompany with a taken unique value: got %v, want a conflict", err)
		}
		return nil
	})
	if _, n, err := s.ListCompanies(ctx, tn.ID, guild.CompanyFilter{}); err != nil || n != 1 {
		t.Fatalf("ListCompanies: %d companies, %v; want only the first", n, err)
	}
}

// A panic in fn rolls back and comes back as an error; the pool is fine.
func TestUpdateRecoversPanic(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	err := s.Update(ctx, func(ctx context.Context, tx guild.Tx) error {
		if _, err := tx.CreateTenant(ctx, guild.Tenant{Hash: "p", Name: "P"}); err != nil {
			return err
		}
		panic("boom")
	})
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("Update with a panic = %v; want an error that tells of the panic", err)
	}
	if _, err := s.TenantByHash(ctx, "p"); !guild.IsNotFound(err) {
		t.Fatalf("TenantByHash after the panic = %v; want not found (rolled back)", err)
	}
	createTenant(t, s, "p") // the store still works
}

// An error from fn rolls back and comes back as it is.
func TestUpdateReturnsFnError(t *testing.T) {
	s := open(t)
	ctx := context.Background()
	want := errors.New("refused")
	err := s.Update(ctx, func(ctx context.Context, tx guild.Tx) error {
		if _, err := tx.CreateTenant(ctx, guild.Tenant{Hash: "e", Name: "E"}); err != nil {
			return err
		}
		return want
	})
	if !errors.Is(err, want) {
		t.Fatalf("Update = %v; want %v", err, want)
	}
	if _, err := s.TenantByHash(ctx, "e"); !guild.IsNotFound(err) {
		t.Fatalf("TenantByHash after the error = %v; want not found", err)
	}
}

// Migrate is idempotent, and several replicas may run it at once.
func TestMigrateConcurrently(t *testing.T) {
	dbURL := freshDatabase(t)
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for range 3 {
		wg.Go(func() { errs <- postgres.Migrate(context.Background(), dbURL) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("Migrate: %v", err)
		}
	}
}

// Text PostgreSQL cannot store is bad input, not an internal error.
func TestNULInTextIsInvalid(t *testing.T) {
	s := open(t)
	err := s.Update(context.Background(), func(ctx context.Context, tx guild.Tx) error {
		_, err := tx.CreateTenant(ctx, guild.Tenant{Hash: "nul", Name: "a\x00b"})
		return err
	})
	if guild.ErrorCodeOf(err) != guild.EInvalid {
		t.Fatalf("CreateTenant with a NUL in the name = %v; want an invalid-input error", err)
	}
}

func TestOpenFailsFast(t *testing.T) {
	freshDatabase(t) // skips without a server
	_, err := postgres.Open(context.Background(), "postgres://postgres@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", postgres.Options{})
	if err == nil {
		t.Fatal("Open on a closed port succeeded")
	}
}

// A follower of a tenant's outbox (ListOutbox after the last id it saw)
// misses no message while several replicas enqueue at once, although ids are
// taken at insert and transactions commit in any order.
func TestOutboxFollowerMissesNothing(t *testing.T) {
	dbURL := freshDatabase(t)
	stores := []guild.Store{openURL(t, dbURL), openURL(t, dbURL)}
	tn := createTenant(t, stores[0], "feed")
	ctx := context.Background()

	const writers, each = 6, 15
	done := make(chan struct{})
	var seenCount atomic.Int64
	var followErr error
	go func() {
		defer close(done)
		seen := map[int64]bool{}
		var last int64
		for len(seen) < writers*each {
			msgs, err := stores[1].ListOutbox(ctx, tn.ID, last, 0)
			if err != nil {
				followErr = err
				return
			}
			for _, m := range msgs {
				seen[m.EntityID] = true
				last = m.ID
			}
			seenCount.Store(int64(len(seen)))
			if len(msgs) == 0 {
				time.Sleep(time.Millisecond)
			}
		}
	}()
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				err := stores[w%2].Update(ctx, func(ctx context.Context, tx guild.Tx) error {
					if err := tx.Enqueue(ctx, guild.OutboxMessage{TenantID: tn.ID, Topic: guild.TopicCompanyUpdated,
						EntityType: guild.EntityCompany, EntityID: int64(w*each + i), Payload: []byte(`{}`)}); err != nil {
						return err
					}
					time.Sleep(time.Duration(i%3) * time.Millisecond) // commit late, sometimes
					return nil
				})
				if err != nil {
					t.Errorf("enqueue: %v", err)
				}
			}
		})
	}
	wg.Wait()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatalf("the follower saw %d of %d messages: it skipped some", seenCount.Load(), writers*each)
	}
	if followErr != nil {
		t.Fatal(followErr)
	}
}

// A rule checked and then relied on in one transaction holds across
// replicas, as on SQLite's single writer: of several concurrent "assign the
// group to a new company unless a company has it" transactions, one wins.
// (Under READ COMMITTED each would see no company and all would write.)
func TestCheckThenWriteIsSerialized(t *testing.T) {
	dbURL := freshDatabase(t)
	stores := []guild.Store{openURL(t, dbURL), openURL(t, dbURL)}
	tn := createTenant(t, stores[0], "skew")
	var group int64
	update(t, stores[0], func(ctx context.Context, tx guild.Tx) error {
		var err error
		group, err = tx.CreateCustomerGroup(ctx, guild.CustomerGroup{TenantID: tn.ID, Name: "G"})
		return err
	})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			err := stores[w%2].Update(context.Background(), func(ctx context.Context, tx guild.Tx) error {
				if err := tx.LockTenant(ctx, tn.ID); err != nil {
					return err
				}
				n, err := tx.CountCompaniesInGroup(ctx, tn.ID, group)
				if err != nil || n > 0 {
					return err
				}
				time.Sleep(20 * time.Millisecond) // let the others read too
				_, err = tx.CreateCompany(ctx, guild.Company{TenantID: tn.ID, Name: fmt.Sprint("C", w), CustomerGroupID: group})
				return err
			})
			if err != nil {
				t.Errorf("update: %v", err)
			}
		})
	}
	wg.Wait()
	n, err := stores[0].CountCompaniesInGroup(context.Background(), tn.ID, group)
	if err != nil || n != 1 {
		t.Fatalf("CountCompaniesInGroup = %d, %v; want 1", n, err)
	}
}
