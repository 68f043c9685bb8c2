package storetest

import (
	"crypto/sha256"
	"testing"
	"time"

	guild "github.com/guild-b2b/guild"
)

func testTenants(t *testing.T, f *fixture) {
	created := at(secs(1.5))
	var a guild.Tenant
	f.update(t, func(tx guild.Tx) error {
		var err error
		a, err = tx.CreateTenant(f.ctx, guild.Tenant{Hash: "store-a", Name: "Store A", DependentCompanies: true,
			DefaultCustomerGroupID: 7, CreatedAt: created, UpdatedAt: created.Add(time.Second)})
		return err
	})
	if a.ID == 0 {
		t.Fatal("CreateTenant returned id 0")
	}
	want := guild.Tenant{ID: a.ID, Hash: "store-a", Name: "Store A", DependentCompanies: true,
		DefaultCustomerGroupID: 7, CreatedAt: created, UpdatedAt: created.Add(time.Second)}
	wantEqual(t, a, want, "CreateTenant result")

	got, err := f.s.TenantByHash(f.ctx, "store-a")
	wantNoErr(t, err, "TenantByHash")
	wantEqual(t, got, want, "TenantByHash")
	got, err = f.s.TenantByID(f.ctx, a.ID)
	wantNoErr(t, err, "TenantByID")
	wantEqual(t, got, want, "TenantByID")

	_, err = f.s.TenantByHash(f.ctx, "no-such-store")
	wantCode(t, err, guild.ENotFound, "TenantByHash of a missing hash")
	_, err = f.s.TenantByID(f.ctx, a.ID+1000)
	wantCode(t, err, guild.ENotFound, "TenantByID of a missing id")

	err = f.try(func(tx guild.Tx) error {
		_, err := tx.CreateTenant(f.ctx, guild.Tenant{Hash: "store-a", Name: "Again", CreatedAt: t0, UpdatedAt: t0})
		return err
	})
	wantCode(t, err, guild.EConflict, "CreateTenant with a duplicate hash")
	if !guild.IsConflict(err) {
		t.Errorf("guild.IsConflict(%v) = false", err)
	}

	// Without times, CreatedAt is now and UpdatedAt is set.
	before := time.Now().Truncate(time.Microsecond)
	var b guild.Tenant
	f.update(t, func(tx guild.Tx) error {
		var err error
		b, err = tx.CreateTenant(f.ctx, guild.Tenant{Hash: "store-b", Name: "Store B"})
		return err
	})
	after := time.Now()
	if b.CreatedAt.Before(before) || b.CreatedAt.After(after) {
		t.Errorf("CreateTenant without CreatedAt: CreatedAt %v, want between %v and %v", b.CreatedAt, before, after)
	}
	if b.UpdatedAt.IsZero() || b.UpdatedAt.Before(b.CreatedAt) {
		t.Errorf("CreateTenant without UpdatedAt: UpdatedAt %v, want set and not before CreatedAt %v", b.UpdatedAt, b.CreatedAt)
	}
	gotB, err := f.s.TenantByID(f.ctx, b.ID)
	wantNoErr(t, err, "TenantByID")
	wantEqual(t, gotB, b, "stored tenant created without times")

	list, err := f.s.ListTenants(f.ctx)
	wantNoErr(t, err, "ListTenants")
	wantEqual(t, list, []guild.Tenant{want, b}, "ListTenants")

	upd := want
	upd.Name = "Store A renamed"
	upd.DependentCompanies = false
	upd.DefaultCustomerGroupID = 42
	upd.UpdatedAt = at(time.Hour)
	upd.CreatedAt = at(-time.Hour) // ignored
	f.update(t, func(tx guild.Tx) error { return tx.UpdateTenant(f.ctx, upd) })
	upd.CreatedAt = want.CreatedAt
	got, err = f.s.TenantByID(f.ctx, a.ID)
	wantNoErr(t, err, "TenantByID after UpdateTenant")
	wantEqual(t, got, upd, "tenant after UpdateTenant")

	err = f.try(func(tx guild.Tx) error {
		return tx.UpdateTenant(f.ctx, guild.Tenant{ID: a.ID + 1000, Hash: "gone", Name: "Gone", UpdatedAt: t0})
	})
	wantCode(t, err, guild.ENotFound, "UpdateTenant of a missing tenant")
}

func secretHash(s string) []byte {
	sum := sha256.Sum256([]byte(s))
	return sum[:]
}

func testTokens(t *testing.T, f *fixture) {
	a := f.tenant(t, "a")
	b := f.tenant(t, "b")
	create := func(tok guild.Token) guild.Token {
		t.Helper()
		var out guild.Token
		f.update(t, func(tx guild.Tx) error {
			var err error
			out, err = tx.CreateToken(f.ctx, tok)
			return err
		})
		if out.ID == 0 {
			t.Fatal("CreateToken returned id 0")
		}
		tok.ID = out.ID
		wantEqual(t, out, tok, "CreateToken result")
		return out
	}
	tok1 := create(guild.Token{TenantID: a.ID, Name: "ci", SecretHash: secretHash("one"), Hint: "1one", CreatedAt: at(secs(1))})
	tok2 := create(guild.Token{TenantID: a.ID, Name: "deploy", SecretHash: secretHash("two"), Hint: "2two", CreatedAt: at(secs(2))})
	tok3 := create(guild.Token{TenantID: b.ID, Name: "other", SecretHash: secretHash("three"), Hint: "3thr", CreatedAt: at(secs(3))})
	if tok1.Revoked() {
		t.Error("a new token is revoked")
	}

	got, err := f.s.TokenBySecretHash(f.ctx, secretHash("one"))
	wantNoErr(t, err, "TokenBySecretHash")
	wantEqual(t, got, tok1, "TokenBySecretHash")
	_, err = f.s.TokenBySecretHash(f.ctx, secretHash("unknown"))
	wantCode(t, err, guild.ENotFound, "TokenBySecretHash of an unknown secret")
	gotTok, gotTenant, err := f.s.TokenWithTenant(f.ctx, secretHash("one"))
	wantNoErr(t, err, "TokenWithTenant")
	wantEqual(t, gotTok, tok1, "TokenWithTenant's token")
	wantEqual(t, gotTenant, a, "TokenWithTenant's tenant")
	gotTok, gotTenant, err = f.s.TokenWithTenant(f.ctx, secretHash("three"))
	wantNoErr(t, err, "TokenWithTenant")
	wantEqual(t, gotTok, tok3, "TokenWithTenant's token of tenant b")
	wantEqual(t, gotTenant, b, "TokenWithTenant's tenant b")
	_, _, err = f.s.TokenWithTenant(f.ctx, secretHash("unknown"))
	wantCode(t, err, guild.ENotFound, "TokenWithTenant of an unknown secret")

	err = f.try(func(tx guild.Tx) error {
		_, err := tx.CreateToken(f.ctx, guild.Token{TenantID: b.ID, Name: "dup", SecretHash: secretHash("one"), Hint: "x", CreatedAt: t0})
		return err
	})
	wantCode(t, err, guild.EConflict, "CreateToken with a duplicate secret hash")

	list, err := f.s.ListTokens(f.ctx, a.ID)
	wantNoErr(t, err, "ListTokens")
	wantEqual(t, list, []guild.Token{tok1, tok2}, "ListTokens of tenant a")
	list, err = f.s.ListTokens(f.ctx, b.ID)
	wantNoErr(t, err, "ListTokens")
	wantEqual(t, list, []guild.Token{tok3}, "ListTokens of tenant b")

	revokedAt := at(time.Hour + secs(0.000001))
	f.update(t, func(tx guild.Tx) error { return tx.RevokeToken(f.ctx, a.ID, tok1.ID, revokedAt) })
	revoked := tok1
	revoked.RevokedAt = revokedAt
	got, err = f.s.TokenBySecretHash(f.ctx, secretHash("one"))
	wantNoErr(t, err, "TokenBySecretHash of a revoked token")
	wantEqual(t, got, revoked, "revoked token")
	if !got.Revoked() {
		t.Error("a revoked token is not Revoked()")
	}
	list, err = f.s.ListTokens(f.ctx, a.ID)
	wantNoErr(t, err, "ListTokens")
	wantEqual(t, list, []guild.Token{revoked, tok2}, "ListTokens after a revocation")

	err = f.try(func(tx guild.Tx) error { return tx.RevokeToken(f.ctx, b.ID, tok2.ID, revokedAt) })
	wantCode(t, err, guild.ENotFound, "RevokeToken of another tenant's token")
	err = f.try(func(tx guild.Tx) error { return tx.RevokeToken(f.ctx, a.ID, tok3.ID+1000, revokedAt) })
	wantCode(t, err, guild.ENotFound, "RevokeToken of a missing token")
	got, err = f.s.TokenBySecretHash(f.ctx, secretHash("two"))
	wantNoErr(t, err, "TokenBySecretHash")
	wantEqual(t, got, tok2, "token after a refused revocation")
}
