package storetest

import (
	"testing"
	"time"

	guild "github.com/guild-b2b/guild"
)

// buyerToken creates tok (CreatedAt and ExpiresAt default to t0 and t0 plus
// an hour) and returns it with its id.
func (f *fixture) buyerToken(t *testing.T, tok guild.BuyerToken) guild.BuyerToken {
	t.Helper()
	if tok.CreatedAt.IsZero() {
		tok.CreatedAt = t0
	}
	if tok.ExpiresAt.IsZero() {
		tok.ExpiresAt = tok.CreatedAt.Add(time.Hour)
	}
	f.update(t, func(tx guild.Tx) error {
		var err error
		tok.ID, err = tx.CreateBuyerToken(f.ctx, tok)
		return err
	})
	return tok
}

func testBuyerTokens(t *testing.T, f *fixture) {
	tn := f.tenant(t, "buyer-tokens")
	other := f.tenant(t, "buyer-tokens-other")
	c := f.company(t, guild.Company{TenantID: tn.ID, Name: "C"})
	_, ann := f.companyUser(t, c, "ann@example.com")
	_, bob := f.companyUser(t, c, "bob@example.com")
	sam := f.superAdmin(t, tn.ID, "sam@example.com")
	oc := f.company(t, guild.Company{TenantID: other.ID, Name: "O"})
	_, ou := f.companyUser(t, oc, "other@example.com")
	osa := f.superAdmin(t, other.ID, "osa@example.com")

	a1 := f.buyerToken(t, guild.BuyerToken{TenantID: tn.ID, UserID: ann.ID, SecretHash: secretHash("a1"),
		CreatedAt: at(secs(1.000001)), ExpiresAt: at(secs(3601.000002))})
	a2 := f.buyerToken(t, guild.BuyerToken{TenantID: tn.ID, UserID: ann.ID, SecretHash: secretHash("a2")})
	a3 := f.buyerToken(t, guild.BuyerToken{TenantID: tn.ID, UserID: ann.ID, SecretHash: secretHash("a3"), RevokedAt: at(secs(5))})
	b1 := f.buyerToken(t, guild.BuyerToken{TenantID: tn.ID, UserID: bob.ID, SecretHash: secretHash("b1")})
	s1 := f.buyerToken(t, guild.BuyerToken{TenantID: tn.ID, SuperAdminID: sam.ID, SecretHash: secretHash("s1")})
	s2 := f.buyerToken(t, guild.BuyerToken{TenantID: tn.ID, SuperAdminID: sam.ID, SecretHash: secretHash("s2")})
	o1 := f.buyerToken(t, guild.BuyerToken{TenantID: other.ID, UserID: ou.ID, SecretHash: secretHash("o1")})
	o2 := f.buyerToken(t, guild.BuyerToken{TenantID: other.ID, SuperAdminID: osa.ID, SecretHash: secretHash("o2")})
	ids := map[int64]bool{}
	for _, tok := range []guild.BuyerToken{a1, a2, a3, b1, s1, s2, o1, o2} {
		if tok.ID == 0 || ids[tok.ID] {
			t.Errorf("buyer token id %d is zero or repeated", tok.ID)
		}
		ids[tok.ID] = true
	}

	read := func(what, secret string, want guild.BuyerToken) {
		t.Helper()
		got, err := f.s.BuyerTokenBySecretHash(f.ctx, secretHash(secret))
		wantNoErr(t, err, "BuyerTokenBySecretHash "+what)
		wantEqual(t, got, want, "BuyerTokenBySecretHash "+what)
	}
	read("of a user", "a1", a1)
	read("revoked", "a3", a3)
	read("of a super admin", "s1", s1)
	read("of another tenant (the hash finds it in any tenant)", "o2", o2)
	_, err := f.s.BuyerTokenBySecretHash(f.ctx, secretHash("unknown"))
	wantCode(t, err, guild.ENotFound, "BuyerTokenBySecretHash of an unknown secret")
	_, err = f.s.BuyerTokenBySecretHash(f.ctx, nil)
	wantCode(t, err, guild.ENotFound, "BuyerTokenBySecretHash of no secret")

	// A refused create writes nothing.
	refusals := []struct {
		what string
		tok  guild.BuyerToken
		code guild.ErrorCode
	}{
		{"a taken secret", guild.BuyerToken{TenantID: tn.ID, UserID: bob.ID, SecretHash: secretHash("a1")}, guild.EConflict},
		{"a taken secret of another tenant", guild.BuyerToken{TenantID: tn.ID, UserID: bob.ID, SecretHash: secretHash("o1")}, guild.EConflict},
		{"neither a user nor a super admin", guild.BuyerToken{TenantID: tn.ID, SecretHash: secretHash("n1")}, guild.EInvalid},
		{"both a user and a super admin", guild.BuyerToken{TenantID: tn.ID, UserID: bob.ID, SuperAdminID: sam.ID, SecretHash: secretHash("n2")}, guild.EInvalid},
		{"a missing user", guild.BuyerToken{TenantID: tn.ID, UserID: bob.ID + 1000, SecretHash: secretHash("n3")}, guild.ENotFound},
		{"another tenant's user", guild.BuyerToken{TenantID: tn.ID, UserID: ou.ID, SecretHash: secretHash("n4")}, guild.ENotFound},
		{"a missing super admin", guild.BuyerToken{TenantID: tn.ID, SuperAdminID: sam.ID + 1000, SecretHash: secretHash("n5")}, guild.ENotFound},
		{"another tenant's super admin", guild.BuyerToken{TenantID: tn.ID, SuperAdminID: osa.ID, SecretHash: secretHash("n6")}, guild.ENotFound},
	}
	for _, r := range refusals {
		f.update(t, func(tx guild.Tx) error {
			tok := r.tok
			tok.CreatedAt, tok.ExpiresAt = t0, at(time.Hour)
			_, err := tx.CreateBuyerToken(f.ctx, tok)
			wantCode(t, err, r.code, "CreateBuyerToken of "+r.what)
			return nil
		})
	}
	for _, s := range []string{"n1", "n2", "n3", "n4", "n5", "n6"} {
		_, err := f.s.BuyerTokenBySecretHash(f.ctx, secretHash(s))
		wantCode(t, err, guild.ENotFound, "a refused buyer token ("+s+")")
	}
	read("after a refused create with its secret", "a1", a1)
	read("of the other tenant after a refused create with its secret", "o1", o1)

	// RevokeBuyerToken revokes one token of the tenant.
	f.update(t, func(tx guild.Tx) error { return tx.RevokeBuyerToken(f.ctx, tn.ID, a2.ID, at(secs(7.000003))) })
	a2.RevokedAt = at(secs(7.000003))
	read("after RevokeBuyerToken", "a2", a2)
	read("of the same user, after revoking another", "a1", a1)
	err = f.attempt(func(tx guild.Tx) error { return tx.RevokeBuyerToken(f.ctx, tn.ID, o1.ID, t0) })
	wantCode(t, err, guild.ENotFound, "RevokeBuyerToken of another tenant's token")
	read("of the other tenant after a refused revocation", "o1", o1)
	err = f.attempt(func(tx guild.Tx) error { return tx.RevokeBuyerToken(f.ctx, tn.ID, o2.ID+1000, t0) })
	wantCode(t, err, guild.ENotFound, "RevokeBuyerToken of a missing token")

	// RevokeUserBuyerTokens revokes every token of one user not yet
	// revoked; revoked ones keep their time.
	f.update(t, func(tx guild.Tx) error { return tx.RevokeUserBuyerTokens(f.ctx, tn.ID, ann.ID, 0, at(secs(9))) })
	a1.RevokedAt = at(secs(9))
	read("a valid token after RevokeUserBuyerTokens", "a1", a1)
	read("a token revoked before RevokeUserBuyerTokens", "a2", a2)
	read("a token revoked at creation, after RevokeUserBuyerTokens", "a3", a3)
	read("another user's token", "b1", b1)
	read("a super admin's token", "s1", s1)

	f.update(t, func(tx guild.Tx) error { return tx.RevokeUserBuyerTokens(f.ctx, tn.ID, 0, sam.ID, at(secs(11))) })
	s1.RevokedAt, s2.RevokedAt = at(secs(11)), at(secs(11))
	read("a super admin's token after RevokeUserBuyerTokens", "s1", s1)
	read("a super admin's second token after RevokeUserBuyerTokens", "s2", s2)
	read("a user's token after a super admin's revocation", "b1", b1)

	userRefusals := []struct {
		what             string
		user, superAdmin int64
		code             guild.ErrorCode
	}{
		{"another tenant's user", ou.ID, 0, guild.ENotFound},
		{"another tenant's super admin", 0, osa.ID, guild.ENotFound},
		{"a missing user", bob.ID + 1000, 0, guild.ENotFound},
		{"neither", 0, 0, guild.EInvalid},
		{"both", bob.ID, sam.ID, guild.EInvalid},
	}
	for _, r := range userRefusals {
		err := f.attempt(func(tx guild.Tx) error {
			return tx.RevokeUserBuyerTokens(f.ctx, tn.ID, r.user, r.superAdmin, at(secs(13)))
		})
		wantCode(t, err, r.code, "RevokeUserBuyerTokens of "+r.what)
	}
	read("the other tenant's user token after refused revocations", "o1", o1)
	read("the other tenant's super admin token after refused revocations", "o2", o2)
	read("a user's token after refused revocations", "b1", b1)

	// A zero time is now.
	before := time.Now().Add(-time.Minute)
	f.update(t, func(tx guild.Tx) error { return tx.RevokeUserBuyerTokens(f.ctx, tn.ID, bob.ID, 0, time.Time{}) })
	got, err := f.s.BuyerTokenBySecretHash(f.ctx, secretHash("b1"))
	wantNoErr(t, err, "BuyerTokenBySecretHash")
	if got.RevokedAt.Before(before) || got.RevokedAt.After(time.Now().Add(time.Minute)) {
		t.Errorf("RevokedAt after revoking at a zero time: %v, want about now", got.RevokedAt)
	}

	// A transaction reads its own tokens; a zero CreatedAt is now.
	f.update(t, func(tx guild.Tx) error {
		id, err := tx.CreateBuyerToken(f.ctx, guild.BuyerToken{TenantID: tn.ID, UserID: bob.ID, SecretHash: secretHash("b2"),
			ExpiresAt: at(time.Hour)})
		if err != nil {
			return err
		}
		got, err := tx.BuyerTokenBySecretHash(f.ctx, secretHash("b2"))
		if err != nil {
			return err
		}
		if got.ID != id || got.UserID != bob.ID || got.CreatedAt.Before(before) || !got.RevokedAt.IsZero() {
			t.Errorf("tx.BuyerTokenBySecretHash: %+v, want token %d of user %d created about now", got, id, bob.ID)
		}
		return nil
	})
}
