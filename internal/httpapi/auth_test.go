package httpapi_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/guild-b2b/guild/internal/app"
)

func TestStorefrontTokens(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		clock := &testClock{}
		e := newEnv(t, b, envOptions{clock: clock.now})
		cid := e.createCompany(nil)
		adminID, adminCustomer := e.companyAdmin(cid)

		// The vendor's request: a customer id.
		r := e.issue(map[string]any{"customerId": adminCustomer, "channelId": 1, "customerAccessToken": map[string]any{"value": "ignored", "expires_at": "2030-01-01T00:00:00Z"}})
		expect(t, r, 200)
		conformAuth(t, r, "POST", "/auth/customers/storefront")
		d := r.data(t)
		toks := d["token"].([]any)
		if len(toks) != 1 || !strings.HasPrefix(toks[0].(string), "guildb_") {
			t.Fatalf("token %v: want one secret starting guildb_", d["token"])
		}
		if jsonInt(d["expiresIn"]) != 3600 || jsonInt(d["userId"]) != adminID || jsonInt(d["companyId"]) != cid || jsonInt(d["customerId"]) != adminCustomer || d["tokenType"] != "Bearer" {
			t.Errorf("answer %v: want a 1-hour token for user %d of company %d", d, adminID, cid)
		}
		if exp := jsonInt(d["expiresAt"]); exp < clock.now().Unix()+3590 || exp > clock.now().Unix()+3610 {
			t.Errorf("expiresAt %d is not an hour from now", exp)
		}
		token := toks[0].(string)
		me := e.buyer(token, "GET", "/api/v3/buyer/me", nil)
		expect(t, me, 200)
		if u := me.data(t)["user"].(map[string]any); jsonInt(u["id"]) != adminID {
			t.Errorf("me: %s", me.body)
		}

		// Lifetimes.
		for _, tc := range []struct {
			body map[string]any
			want int64
		}{
			{map[string]any{"customerId": adminCustomer, "expiresIn": 120}, 120},
			{map[string]any{"customerId": adminCustomer, "expiresIn": "86400"}, 86400},
			{map[string]any{"customerId": adminCustomer, "endAt": clock.now().Unix() + 600}, 600},
			{map[string]any{"userId": adminID, "expiresIn": 60}, 60},
		} {
			r := e.issue(tc.body)
			expect(t, r, 200)
			if got := jsonInt(r.data(t)["expiresIn"]); got < tc.want-1 || got > tc.want {
				t.Errorf("%v: expiresIn %d, want %d", tc.body, got, tc.want)
			}
		}

		// Bad requests: a clear 4xx, no token.
		other := newEnv(t, b, envOptions{})
		_, foreignCustomer := other.companyAdmin(other.createCompany(nil))
		for _, tc := range []struct {
			name   string
			body   any
			status int
			want   []string
		}{
			{"no id", map[string]any{}, 422, []string{"exactly one of customerId, userId"}},
			{"two ids", map[string]any{"customerId": adminCustomer, "userId": adminID}, 422, []string{"exactly one"}},
			{"id not a number", map[string]any{"customerId": "abc"}, 422, []string{"customerId", "integer"}},
			{"unknown customer", map[string]any{"customerId": 999999}, 404, []string{"customer 999999 does not exist"}},
			{"another store's customer", map[string]any{"customerId": foreignCustomer}, 404, []string{"does not exist"}},
			{"unknown user", map[string]any{"userId": 999999}, 404, []string{"user 999999"}},
			{"unknown super admin", map[string]any{"superAdminId": 999999}, 404, []string{"super admin 999999"}},
			{"too short", map[string]any{"customerId": adminCustomer, "expiresIn": 30}, 422, []string{"between 60 and 86400 seconds"}},
			{"too long", map[string]any{"customerId": adminCustomer, "expiresIn": 86401}, 422, []string{"between 60 and 86400 seconds"}},
			{"negative", map[string]any{"customerId": adminCustomer, "expiresIn": -5}, 422, []string{"expiresIn"}},
			{"endAt in the past", map[string]any{"customerId": adminCustomer, "endAt": clock.now().Unix() - 10}, 422, []string{"endAt"}},
			{"both lifetimes", map[string]any{"customerId": adminCustomer, "expiresIn": 100, "endAt": clock.now().Unix() + 100}, 422, []string{"not both"}},
			{"not the user's channel", map[string]any{"customerId": adminCustomer, "channelId": 7}, 422, []string{"does not belong to channel 7"}},
			{"array body", "[]", 422, []string{"object"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				expectErrMsg(t, e.issue(tc.body), tc.status, tc.want...)
			})
		}
		expectErrMsg(t, e.request("POST", "/api/io/auth/customers/storefront", map[string]any{"customerId": adminCustomer}, nil), 401, "API token is missing")

		// A customer who is no longer a company user gets no token.
		uid, ucust := e.createUser(cid, 2, 0, "leaver")
		expect(t, e.do("DELETE", fmt.Sprintf("/api/v3/io/users/%d", uid), nil), 200)
		expectErrMsg(t, e.issue(map[string]any{"customerId": ucust}), 422, "neither a company user nor a super admin")

		// Super admins get tokens too, by customer id or super admin id.
		r = e.do("POST", "/api/v3/io/super-admins", map[string]any{"firstName": "Sam", "lastName": "Super", "email": "sam-" + randomHex(3) + "@acme.example.com"})
		expect(t, r, 200)
		saID, saCustomer := jsonInt(r.data(t)["userId"]), jsonInt(r.data(t)["customerId"])
		for _, body := range []map[string]any{{"customerId": saCustomer}, {"superAdminId": saID}} {
			r := e.issue(body)
			expect(t, r, 200)
			if d := r.data(t); jsonInt(d["superAdminId"]) != saID || jsonInt(d["userId"]) != 0 {
				t.Errorf("%v: %s", body, r.body)
			}
		}

		// Revoking one token.
		r = e.issue(map[string]any{"customerId": adminCustomer})
		expect(t, r, 200)
		tok1, tok1ID := r.data(t)["token"].([]any)[0].(string), jsonInt(r.data(t)["tokenId"])
		expect(t, e.buyer(tok1, "GET", "/api/v3/buyer/me", nil), 200)
		expect(t, e.do("DELETE", fmt.Sprintf("/api/io/auth/buyer-tokens/%d", tok1ID), nil), 200)
		expectErrMsg(t, e.buyer(tok1, "GET", "/api/v3/buyer/me", nil), 401, "revoked")
		expectErrMsg(t, e.do("DELETE", "/api/io/auth/buyer-tokens/999999", nil), 404, "buyer token 999999")
		expectErrMsg(t, other.do("DELETE", fmt.Sprintf("/api/io/auth/buyer-tokens/%d", tok1ID), nil), 404, "does not exist")

		// Revoking every token of a customer ("log out everywhere"); the
		// buyer may also revoke their own (log out).
		t1, t2, t3 := e.buyerToken(adminCustomer), e.buyerToken(adminCustomer), e.buyerToken(adminCustomer)
		expect(t, e.buyer(t3, "DELETE", "/api/v3/buyer/token", nil), 200)
		expectErrMsg(t, e.buyer(t3, "GET", "/api/v3/buyer/me", nil), 401, "revoked")
		expect(t, e.buyer(t1, "GET", "/api/v3/buyer/me", nil), 200)
		r = e.do("DELETE", fmt.Sprintf("/api/io/auth/customers/%d/buyer-tokens", adminCustomer), nil)
		expect(t, r, 200)
		if jsonInt(r.data(t)["userId"]) != adminID {
			t.Errorf("revoked for %s", r.body)
		}
		for _, tok := range []string{t1, t2, token} {
			expectErrMsg(t, e.buyer(tok, "GET", "/api/v3/buyer/me", nil), 401, "revoked")
		}

		// Expiry.
		short := e.issue(map[string]any{"customerId": adminCustomer, "expiresIn": 60})
		expect(t, short, 200)
		shortTok := short.data(t)["token"].([]any)[0].(string)
		expect(t, e.buyer(shortTok, "GET", "/api/v3/buyer/me", nil), 200)
		clock.advance(61 * time.Second)
		expectErrMsg(t, e.buyer(shortTok, "GET", "/api/v3/buyer/me", nil), 401, "expired at")

		// Unknown and malformed tokens.
		expectErrMsg(t, e.buyer("guildb_nope", "GET", "/api/v3/buyer/me", nil), 401, "unknown")
		expectErrMsg(t, e.buyer("whatever", "GET", "/api/v3/buyer/me", nil), 401, "unknown")
		expectErrMsg(t, e.request("GET", "/api/v3/buyer/me", nil, nil), 401, "missing")
		expectErrMsg(t, e.request("GET", "/api/v3/buyer/me", nil, map[string]string{"Authorization": "Basic abc"}), 401, "missing")

		// Deleting the user deletes their tokens.
		uid, ucust = e.createUser(cid, 1, 0, "gone")
		gone := e.buyerToken(ucust)
		expect(t, e.buyer(gone, "GET", "/api/v3/buyer/me", nil), 200)
		expect(t, e.do("DELETE", fmt.Sprintf("/api/v3/io/users/%d", uid), nil), 200)
		expect(t, e.buyer(gone, "GET", "/api/v3/buyer/me", nil), 401)

		// Each kind of token on the other API: 401 saying so.
		fresh := e.buyerToken(adminCustomer)
		for name, h := range map[string]map[string]string{
			"authToken":          {"authToken": fresh},
			"X-Auth-Token":       {"X-Auth-Token": fresh, "X-Store-Hash": e.tenant.Hash},
			"X-Auth-Token alone": {"X-Auth-Token": fresh},
			"Bearer":             {"Authorization": "Bearer " + fresh},
		} {
			t.Run("buyer token on S2S via "+name, func(t *testing.T) {
				expectErrMsg(t, e.request("GET", "/api/v3/io/companies", nil, h), 401, "this is a buyer token", "/api/v3/buyer")
			})
		}
		expectErrMsg(t, e.buyer(e.token, "GET", "/api/v3/buyer/me", nil), 401, "server-to-server API token", "buyer tokens")
		expectErrMsg(t, e.request("GET", "/api/v3/buyer/me", nil, map[string]string{"authToken": e.token}), 401, "server-to-server API token")
		expectErrMsg(t, e.request("GET", "/api/v3/buyer/me", nil, map[string]string{"authToken": fresh}), 401, "Authorization: Bearer")
		expect(t, e.buyer(fresh, "GET", "/api/v3/buyer/me", nil), 200)
	})
}

// TestBuyerTokensAreHashed checks that the store keeps only the SHA-256 of
// a buyer token, and that the secret is not an S2S token's shape.
func TestBuyerTokensAreHashed(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		e := newEnv(t, b, envOptions{})
		_, cust := e.companyAdmin(e.createCompany(nil))
		secret := e.buyerToken(cust)
		if app.IsS2STokenSecret(secret) || !app.IsBuyerTokenSecret(secret) {
			t.Fatalf("secret %q", secret)
		}
		tok, err := b.store.BuyerTokenBySecretHash(context.Background(), hashOf(secret))
		if err != nil {
			t.Fatal(err)
		}
		if sum := sha256.Sum256([]byte(secret)); string(tok.SecretHash) != string(sum[:]) {
			t.Errorf("stored hash %x", tok.SecretHash)
		}
	})
}

func hashOf(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}
