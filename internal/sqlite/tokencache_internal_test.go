package sqlite

import (
	"context"
	"crypto/sha256"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	guild "github.com/guild-b2b/guild"
)

// tokenCacheFixture is two stores on one file: serve, whose token cache is
// under test, and cli, another process's writes as serve sees them (SQLite
// shares nothing between the two stores but the file and its WAL index).
type tokenCacheFixture struct {
	t          *testing.T
	ctx        context.Context
	serve, cli *Store
	tenant     guild.Tenant
}

func newTokenCacheFixture(t *testing.T) *tokenCacheFixture {
	t.Helper()
	path := filepath.Join(t.TempDir(), "guild.db")
	f := &tokenCacheFixture{t: t, ctx: context.Background()}
	for _, s := range []**Store{&f.serve, &f.cli} {
		st, err := Open(f.ctx, path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = st.Close() })
		*s = st
	}
	if f.serve.tokens == nil {
		t.Fatal("the store has no token cache: its WAL index could not be read")
	}
	f.update(f.cli, func(tx guild.Tx) (err error) {
		f.tenant, err = tx.CreateTenant(f.ctx, guild.Tenant{Hash: "cache", Name: "Cache"})
		return err
	})
	return f
}

func (f *tokenCacheFixture) update(s *Store, fn func(tx guild.Tx) error) {
	f.t.Helper()
	if err := s.Update(f.ctx, func(_ context.Context, tx guild.Tx) error { return fn(tx) }); err != nil {
		f.t.Fatal(err)
	}
}

func (f *tokenCacheFixture) createToken(s *Store, secret string) guild.Token {
	f.t.Helper()
	var tok guild.Token
	sum := sha256.Sum256([]byte(secret))
	f.update(s, func(tx guild.Tx) (err error) {
		tok, err = tx.CreateToken(f.ctx, guild.Token{TenantID: f.tenant.ID, Name: secret, SecretHash: sum[:]})
		return err
	})
	return tok
}

func (f *tokenCacheFixture) revoke(s *Store, tok guild.Token) {
	f.t.Helper()
	f.update(s, func(tx guild.Tx) error { return tx.RevokeToken(f.ctx, f.tenant.ID, tok.ID, time.Now()) })
}

// lookup is serve's TokenWithTenant, and whether it was answered from memory.
func (f *tokenCacheFixture) lookup(secret string) (guild.Token, guild.Tenant, bool) {
	f.t.Helper()
	sum := sha256.Sum256([]byte(secret))
	before := f.serve.tokens.hits.Load()
	tok, tn, err := f.serve.TokenWithTenant(f.ctx, sum[:])
	if err != nil {
		f.t.Fatalf("TokenWithTenant(%s): %v", secret, err)
	}
	return tok, tn, f.serve.tokens.hits.Load() > before
}

// TestTokenCacheSeesEveryCommit: the cache answers while nothing is
// committed, and a commit of either store (a revocation, a renamed store,
// any write), a checkpoint and a restarted WAL are all seen at the next
// lookup.
func TestTokenCacheSeesEveryCommit(t *testing.T) {
	f := newTokenCacheFixture(t)
	tok := f.createToken(f.cli, "one")

	if _, _, hit := f.lookup("one"); hit {
		t.Fatal("the first lookup of a token came from memory")
	}
	got, tn, hit := f.lookup("one")
	if !hit {
		t.Fatal("a second lookup with no commit in between was not served from memory")
	}
	if got.ID != tok.ID || got.Revoked() || tn.ID != f.tenant.ID || tn.Name != "Cache" {
		t.Fatalf("cached lookup: %+v in %+v", got, tn)
	}
	got.SecretHash[0] ^= 0xff // a caller's change to its copy must not reach the cache
	if again, _, _ := f.lookup("one"); again.SecretHash[0] == got.SecretHash[0] {
		t.Fatal("the cache handed out its own SecretHash")
	}

	f.revoke(f.cli, tok)
	if got, _, hit := f.lookup("one"); hit || !got.Revoked() {
		t.Fatalf("after another store revoked the token: revoked %v, from memory %v", got.Revoked(), hit)
	}

	f.update(f.cli, func(tx guild.Tx) error {
		renamed := f.tenant
		renamed.Name = "Renamed"
		return tx.UpdateTenant(f.ctx, renamed)
	})
	if _, tn, hit := f.lookup("one"); hit || tn.Name != "Renamed" {
		t.Fatalf("after another store renamed the tenant: %q, from memory %v", tn.Name, hit)
	}

	two := f.createToken(f.serve, "two")
	f.lookup("two")
	f.revoke(f.serve, two)
	if got, _, hit := f.lookup("two"); hit || !got.Revoked() {
		t.Fatalf("after the store itself revoked the token: revoked %v, from memory %v", got.Revoked(), hit)
	}

	// A truncating checkpoint empties the WAL; the next commit starts it
	// again from its first frame, with new salts.
	three := f.createToken(f.cli, "three")
	f.lookup("three")
	if _, err := f.cli.wc.ExecContext(f.ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		t.Fatal(err)
	}
	f.revoke(f.cli, three)
	if got, _, hit := f.lookup("three"); hit || !got.Revoked() {
		t.Fatalf("after a checkpoint and a revocation: revoked %v, from memory %v", got.Revoked(), hit)
	}

	sum := sha256.Sum256([]byte("unknown"))
	if _, _, err := f.serve.TokenWithTenant(f.ctx, sum[:]); !guild.IsNotFound(err) {
		t.Fatalf("unknown token: %v, want not found", err)
	}
}

// TestTokenCacheRevocationRace revokes tokens from the other store while
// readers look them up without pause: once a revocation is committed, no
// lookup that starts afterwards finds the token valid.
func TestTokenCacheRevocationRace(t *testing.T) {
	f := newTokenCacheFixture(t)
	const tokens = 40
	for i := range tokens {
		tok := f.createToken(f.cli, fmt.Sprint("secret-", i))
		f.lookup(fmt.Sprint("secret-", i))

		stop := make(chan struct{})
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sum := sha256.Sum256([]byte(fmt.Sprint("secret-", i)))
				for {
					select {
					case <-stop:
						return
					default:
					}
					if _, _, err := f.serve.TokenWithTenant(f.ctx, sum[:]); err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		f.revoke(f.cli, tok)
		got, _, _ := f.lookup(fmt.Sprint("secret-", i))
		close(stop)
		wg.Wait()
		if !got.Revoked() {
			t.Fatalf("token %d: valid after its revocation was committed", i)
		}
	}
}
