package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"

	guild "github.com/guild-b2b/guild"
)

func testTransactions(t *testing.T, f *fixture) {
	t.Run("ErrorRollsBack", func(t *testing.T) { testRollbackOnError(t, f) })
	t.Run("PanicRollsBack", func(t *testing.T) { testRollbackOnPanic(t, f) })
	t.Run("ReadsSeeOwnWrites", func(t *testing.T) { testReadOwnWrites(t, f) })
	t.Run("Concurrent", func(t *testing.T) { testConcurrentUpdates(t, f) })
}

// writeEverything writes one row of every kind in tx, under a new tenant
// with the hash.
func writeEverything(ctx context.Context, tx guild.Tx, hash string) error {
	tn, err := tx.CreateTenant(ctx, guild.Tenant{Hash: hash, Name: hash, CreatedAt: t0, UpdatedAt: t0})
	if err != nil {
		return err
	}
	if err := tx.LockTenant(ctx, tn.ID); err != nil {
		return fmt.Errorf("LockTenant: %w", err)
	}
	if _, err := tx.CreateToken(ctx, guild.Token{TenantID: tn.ID, Name: "t", SecretHash: secretHash(hash), Hint: "h", CreatedAt: t0}); err != nil {
		return err
	}
	def, err := tx.CreateExtraFieldDef(ctx, guild.ExtraFieldDef{TenantID: tn.ID, Kind: guild.ExtraFieldCompany, Name: "F", CreatedAt: t0, UpdatedAt: t0})
	if err != nil {
		return err
	}
	gid, err := tx.CreateCustomerGroup(ctx, guild.CustomerGroup{TenantID: tn.ID, Name: "G", CreatedAt: t0, UpdatedAt: t0})
	if err != nil {
		return err
	}
	cid, err := tx.CreateCompany(ctx, guild.Company{TenantID: tn.ID, Name: "C", Email: "c@example.com", CustomerGroupID: gid,
		CreatedAt: t0, UpdatedAt: t0, ExtraFields: []guild.ExtraFieldValue{{FieldID: def, Value: "v"}}})
	if err != nil {
		return err
	}
	cust, err := tx.CreateCustomer(ctx, guild.Customer{TenantID: tn.ID, Email: hash + "@example.com", CreatedAt: t0, UpdatedAt: t0})
	if err != nil {
		return err
	}
	if _, err := tx.CreateUser(ctx, guild.User{TenantID: tn.ID, CompanyID: cid, CustomerID: cust, Email: hash + "@example.com", CreatedAt: t0, UpdatedAt: t0}); err != nil {
		return err
	}
	return tx.Enqueue(ctx, guild.OutboxMessage{TenantID: tn.ID, Topic: guild.TopicCompanyCreated, EntityType: guild.EntityCompany,
		EntityID: cid, Payload: json.RawMessage(`{}`), CreatedAt: t0})
}

// wantNothingOf fails the test if anything of writeEverything(hash) is stored.
func wantNothingOf(t *testing.T, f *fixture, hash string) {
	t.Helper()
	_, err := f.s.TenantByHash(f.ctx, hash)
	wantCode(t, err, guild.ENotFound, "tenant of a rolled-back transaction")
	_, err = f.s.TokenBySecretHash(f.ctx, secretHash(hash))
	wantCode(t, err, guild.ENotFound, "token of a rolled-back transaction")
	tenants, err := f.s.ListTenants(f.ctx)
	wantNoErr(t, err, "ListTenants")
	for _, tn := range tenants {
		if tn.Hash == hash {
			t.Errorf("ListTenants has the rolled-back tenant %q", hash)
		}
	}
}

func testRollbackOnError(t *testing.T, f *fixture) {
	boom := errors.New("boom")
	err := f.s.Update(f.ctx, func(ctx context.Context, tx guild.Tx) error {
		if err := writeEverything(ctx, tx, "rollback-err"); err != nil {
			return err
		}
		return fmt.Errorf("after writing: %w", boom)
	})
	if !errors.Is(err, boom) {
		t.Errorf("Update returned %v, want the error of fn", err)
	}
	wantNothingOf(t, f, "rollback-err")

	// A guild error passes through with its code.
	err = f.try(func(tx guild.Tx) error { return guild.Errorf(guild.EInvalid, "no") })
	wantCode(t, err, guild.EInvalid, "Update returning a guild error")

	// The store is usable afterwards, and commits.
	f.update(t, func(tx guild.Tx) error { return writeEverything(f.ctx, tx, "after-err") })
	_, err = f.s.TenantByHash(f.ctx, "after-err")
	wantNoErr(t, err, "TenantByHash of a committed tenant")
}

func testRollbackOnPanic(t *testing.T, f *fixture) {
	for i, p := range []any{"a string", errors.New("an error"), 42} {
		hash := fmt.Sprintf("rollback-panic-%d", i)
		var err error
		escaped := func() (escaped any) {
			defer func() { escaped = recover() }()
			err = f.s.Update(f.ctx, func(ctx context.Context, tx guild.Tx) error {
				if err := writeEverything(ctx, tx, hash); err != nil {
					return err
				}
				panic(p)
			})
			return nil
		}()
		if escaped != nil {
			t.Errorf("a panic in fn (%v) escaped Update; Update must recover it, roll back and return an error", escaped)
			continue
		}
		if err == nil {
			t.Errorf("Update returned nil after fn panicked with %v", p)
		}
		wantNothingOf(t, f, hash)
	}
	f.update(t, func(tx guild.Tx) error { return writeEverything(f.ctx, tx, "after-panic") })
	_, err := f.s.TenantByHash(f.ctx, "after-panic")
	wantNoErr(t, err, "TenantByHash after a panic")
}

func testReadOwnWrites(t *testing.T, f *fixture) {
	f.update(t, func(tx guild.Tx) error {
		if err := writeEverything(f.ctx, tx, "own"); err != nil {
			return err
		}
		tn, err := tx.TenantByHash(f.ctx, "own")
		if err != nil {
			return fmt.Errorf("tx.TenantByHash: %w", err)
		}
		if _, err := tx.TenantByID(f.ctx, tn.ID); err != nil {
			return fmt.Errorf("tx.TenantByID: %w", err)
		}
		if toks, err := tx.ListTokens(f.ctx, tn.ID); err != nil || len(toks) != 1 {
			return fmt.Errorf("tx.ListTokens: %d tokens, %v", len(toks), err)
		}
		page, total, err := tx.ListCompanies(f.ctx, tn.ID, guild.CompanyFilter{IncludeExtraFields: true})
		if err != nil || total != 1 || len(page) != 1 || len(page[0].ExtraFields) != 1 || page[0].CustomerGroupName != "G" {
			return fmt.Errorf("tx.ListCompanies: total %d, page %+v, err %v", total, page, err)
		}
		c, err := tx.Company(f.ctx, tn.ID, page[0].ID)
		if err != nil || len(c.ExtraFields) != 1 {
			return fmt.Errorf("tx.Company: %+v, %v", c, err)
		}
		if n, err := tx.CountCompaniesInGroup(f.ctx, tn.ID, c.CustomerGroupID); err != nil || n != 1 {
			return fmt.Errorf("tx.CountCompaniesInGroup: %d, %v", n, err)
		}
		if _, err := tx.CustomerByEmail(f.ctx, tn.ID, "OWN@example.com"); err != nil {
			return fmt.Errorf("tx.CustomerByEmail: %w", err)
		}
		if users, err := tx.ListCompanyUsers(f.ctx, tn.ID, c.ID); err != nil || len(users) != 1 {
			return fmt.Errorf("tx.ListCompanyUsers: %d users, %v", len(users), err)
		}
		if msgs, err := tx.ListOutbox(f.ctx, tn.ID, 0, 10); err != nil || len(msgs) != 1 {
			return fmt.Errorf("tx.ListOutbox: %d messages, %v", len(msgs), err)
		}
		if defs, err := tx.ListExtraFieldDefs(f.ctx, tn.ID, guild.ExtraFieldCompany); err != nil || len(defs) != 1 {
			return fmt.Errorf("tx.ListExtraFieldDefs: %d, %v", len(defs), err)
		}
		// The store, outside the transaction, does not see it yet.
		if _, err := f.s.TenantByHash(f.ctx, "own"); !guild.IsNotFound(err) {
			return fmt.Errorf("a read outside the transaction saw its uncommitted tenant (err %v)", err)
		}
		return nil
	})
	_, err := f.s.TenantByHash(f.ctx, "own")
	wantNoErr(t, err, "TenantByHash after the commit")
}

func testConcurrentUpdates(t *testing.T, f *fixture) {
	tn := f.tenant(t, "concurrent")
	const writers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers*each*2)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				err := f.try(func(tx guild.Tx) error {
					return tx.Enqueue(f.ctx, guild.OutboxMessage{TenantID: tn.ID, Topic: guild.TopicCompanyUpdated,
						EntityType: guild.EntityCompany, EntityID: int64(w*each + i), Payload: json.RawMessage(`{}`), CreatedAt: t0})
				})
				if err != nil {
					errs <- fmt.Errorf("writer %d, update %d: %w", w, i, err)
				}
				if _, err := f.s.ListOutbox(f.ctx, tn.ID, 0, 5); err != nil {
					errs <- fmt.Errorf("reader %d: %w", w, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	msgs, err := f.s.ListOutbox(f.ctx, tn.ID, 0, 1000)
	wantNoErr(t, err, "ListOutbox")
	seen := map[int64]bool{}
	for _, m := range msgs {
		seen[m.EntityID] = true
	}
	if len(msgs) != writers*each || len(seen) != writers*each {
		t.Errorf("%d messages for %d entities after concurrent updates, want %d", len(msgs), len(seen), writers*each)
	}
}
