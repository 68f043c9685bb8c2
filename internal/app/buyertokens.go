package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"slices"
	"strings"
	"time"

	guild "github.com/guild-b2b/guild"
)

// Buyer tokens: a storefront (authenticated with the store's S2S token)
// exchanges a customer id for a short-lived token that lets one company user
// or super admin use the buyer API. Like S2S tokens, only the SHA-256 of the
// secret is stored and it is compared in constant time; the secret starts
// with BuyerTokenPrefix, so that neither kind of token is mistaken for the
// other.

// BuyerTokenPrefix starts every buyer token secret. S2S secrets start with
// "guild_"; neither prefix is a prefix of the other.
const BuyerTokenPrefix = "guildb_"

// Buyer token lifetimes. The vendor's storefront tokens live one day; Guild's
// default is shorter, since a buyer token carries a user's permissions and a
// storefront can ask for a new one at any time.
const (
	DefaultBuyerTokenTTL = time.Hour
	MinBuyerTokenTTL     = time.Minute
	MaxBuyerTokenTTL     = 24 * time.Hour
)

// IssueBuyerTokenInput says whom a buyer token is for: exactly one of
// CustomerID (the vendor's field), UserID (a company user's id) or
// SuperAdminID. ChannelID, when set, must be one of the user's channels. TTL
// is the token's lifetime (0: DefaultBuyerTokenTTL); ExpiresAt, when set
// instead, is its end. Both must give a lifetime within
// [MinBuyerTokenTTL, MaxBuyerTokenTTL].
type IssueBuyerTokenInput struct {
	CustomerID   int64
	UserID       int64
	SuperAdminID int64
	ChannelID    int64
	TTL          time.Duration
	ExpiresAt    time.Time
}

// IssuedBuyerToken is a new buyer token: its secret (shown once, never
// stored) and whom it is for.
type IssuedBuyerToken struct {
	Secret     string
	Token      guild.BuyerToken
	CustomerID int64
	// User is the company user the token is for (ID 0 for a super admin).
	User guild.User
	// SuperAdmin is the super admin the token is for (ID 0 for a user).
	SuperAdmin guild.SuperAdmin
}

// IsBuyerTokenSecret reports whether secret has the form of a buyer token.
func IsBuyerTokenSecret(secret string) bool { return strings.HasPrefix(secret, BuyerTokenPrefix) }

// IsS2STokenSecret reports whether secret has the form of an S2S API token.
func IsS2STokenSecret(secret string) bool { return strings.HasPrefix(secret, tokenPrefix) }

// buyerHolder is whom a token is for.
type buyerHolder struct {
	customerID int64
	channels   []int64
	user       guild.User
	super      guild.SuperAdmin
}

// IssueBuyerToken creates a buyer token for a company user or super admin.
// A user of a company that is not approved still gets one: GET
// /api/v3/buyer/me then tells them why everything else is refused.
func (a *App) IssueBuyerToken(ctx context.Context, t guild.Tenant, in IssueBuyerTokenInput) (IssuedBuyerToken, error) {
	ttl, err := a.buyerTokenTTL(in)
	if err != nil {
		return IssuedBuyerToken{}, err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return IssuedBuyerToken{}, err
	}
	secret := BuyerTokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256([]byte(secret))
	var h buyerHolder
	var tok guild.BuyerToken
	// Under the tenant's lock: the user cannot be deleted between the look-up
	// and the insert.
	err = a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		var err error
		if h, err = findBuyerHolder(ctx, tx, t, in); err != nil {
			return err
		}
		if in.ChannelID != 0 && len(h.channels) > 0 && !slices.Contains(h.channels, in.ChannelID) {
			return guild.FieldError("channelId", "customer %d does not belong to channel %d (their channels: %v)", h.customerID, in.ChannelID, h.channels)
		}
		now := a.clock()
		tok = guild.BuyerToken{TenantID: t.ID, UserID: h.user.ID, SuperAdminID: h.super.ID, SecretHash: sum[:], CreatedAt: now, ExpiresAt: now.Add(ttl)}
		tok.ID, err = tx.CreateBuyerToken(ctx, tok)
		return err
	})
	if err != nil {
		return IssuedBuyerToken{}, err
	}
	return IssuedBuyerToken{Secret: secret, Token: tok, CustomerID: h.customerID, User: h.user, SuperAdmin: h.super}, nil
}

// buyerTokenTTL checks the requested lifetime.
func (a *App) buyerTokenTTL(in IssueBuyerTokenInput) (time.Duration, error) {
	ttl := in.TTL
	field := "expiresIn"
	if !in.ExpiresAt.IsZero() {
		if in.TTL != 0 {
			return 0, guild.FieldError("endAt", "give expiresIn or endAt, not both")
		}
		ttl, field = in.ExpiresAt.Sub(a.clock()), "endAt"
	}
	if ttl == 0 && field == "expiresIn" {
		return DefaultBuyerTokenTTL, nil
	}
	if ttl < MinBuyerTokenTTL || ttl > MaxBuyerTokenTTL {
		return 0, guild.FieldError(field, "the token's lifetime must be between %d and %d seconds (asked for %d); the default is %d",
			int(MinBuyerTokenTTL.Seconds()), int(MaxBuyerTokenTTL.Seconds()), int64(ttl.Seconds()), int(DefaultBuyerTokenTTL.Seconds()))
	}
	return ttl, nil
}

// findBuyerHolder finds the company user or super admin a token is asked for.
func findBuyerHolder(ctx context.Context, s guild.Reader, t guild.Tenant, in IssueBuyerTokenInput) (buyerHolder, error) {
	given := 0
	for _, id := range []int64{in.CustomerID, in.UserID, in.SuperAdminID} {
		if id < 0 {
			return buyerHolder{}, guild.FieldError("customerId", "ids must be positive integers (got %d)", id)
		}
		if id > 0 {
			given++
		}
	}
	if given != 1 {
		return buyerHolder{}, guild.FieldError("customerId", "give exactly one of customerId, userId (a company user's id) or superAdminId")
	}
	switch {
	case in.UserID != 0:
		u, err := s.User(ctx, t.ID, in.UserID)
		if guild.IsNotFound(err) {
			return buyerHolder{}, guild.Errorf(guild.ENotFound, "user %d does not exist in this store", in.UserID)
		}
		return buyerHolder{customerID: u.CustomerID, channels: u.ChannelIDs, user: u}, err
	case in.SuperAdminID != 0:
		sa, err := s.SuperAdmin(ctx, t.ID, in.SuperAdminID)
		if guild.IsNotFound(err) {
			return buyerHolder{}, guild.Errorf(guild.ENotFound, "super admin %d does not exist in this store", in.SuperAdminID)
		}
		return buyerHolder{customerID: sa.CustomerID, channels: sa.ChannelIDs, super: sa}, err
	}
	u, err := s.UserByCustomerID(ctx, t.ID, in.CustomerID)
	if err == nil {
		return buyerHolder{customerID: u.CustomerID, channels: u.ChannelIDs, user: u}, nil
	}
	if !guild.IsNotFound(err) {
		return buyerHolder{}, err
	}
	c, err := s.Customer(ctx, t.ID, in.CustomerID)
	if guild.IsNotFound(err) {
		return buyerHolder{}, guild.Errorf(guild.ENotFound, "customer %d does not exist in this store", in.CustomerID)
	}
	if err != nil {
		return buyerHolder{}, err
	}
	sa, err := s.SuperAdminByEmail(ctx, t.ID, c.Email)
	if err == nil && sa.CustomerID == c.ID {
		return buyerHolder{customerID: c.ID, channels: sa.ChannelIDs, super: sa}, nil
	}
	if err != nil && !guild.IsNotFound(err) {
		return buyerHolder{}, err
	}
	return buyerHolder{}, guild.FieldError("customerId", "customer %d is neither a company user nor a super admin; buyer tokens are for them only", in.CustomerID)
}

// RevokeBuyerToken revokes one buyer token at once.
func (a *App) RevokeBuyerToken(ctx context.Context, t guild.Tenant, tokenID int64) error {
	return a.update(ctx, func(ctx context.Context, tx guild.Tx) error {
		err := tx.RevokeBuyerToken(ctx, t.ID, tokenID, a.clock())
		if guild.IsNotFound(err) {
			return guild.Errorf(guild.ENotFound, "buyer token %d does not exist in this store", tokenID)
		}
		return err
	})
}

// RevokeCustomerBuyerTokens revokes every valid buyer token of the company
// user or super admin backed by a customer ("log out everywhere"). It
// returns whom they belonged to.
func (a *App) RevokeCustomerBuyerTokens(ctx context.Context, t guild.Tenant, customerID int64) (IssuedBuyerToken, error) {
	var h buyerHolder
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		var err error
		if h, err = findBuyerHolder(ctx, tx, t, IssueBuyerTokenInput{CustomerID: customerID}); err != nil {
			return err
		}
		return tx.RevokeUserBuyerTokens(ctx, t.ID, h.user.ID, h.super.ID, a.clock())
	})
	return IssuedBuyerToken{CustomerID: h.customerID, User: h.user, SuperAdmin: h.super}, err
}

// buyerUnauthorized is the answer to a buyer token that is missing, unknown,
// expired or revoked; why is said in why.
func buyerUnauthorized(why string) error {
	return guild.Errorf(guild.EUnauthorized, "%s; send a buyer token as \"Authorization: Bearer guildb_...\" (a storefront gets one from POST /api/io/auth/customers/storefront)", why)
}

// authenticateBuyerToken resolves a buyer token secret to its valid token.
func (a *App) authenticateBuyerToken(ctx context.Context, secret string) (guild.BuyerToken, error) {
	switch {
	case secret == "":
		return guild.BuyerToken{}, buyerUnauthorized("the buyer token is missing")
	case IsS2STokenSecret(secret):
		return guild.BuyerToken{}, guild.Errorf(guild.EUnauthorized,
			"this is a server-to-server API token; the buyer API takes only buyer tokens (\"Authorization: Bearer guildb_...\", from POST /api/io/auth/customers/storefront)")
	case !IsBuyerTokenSecret(secret):
		return guild.BuyerToken{}, buyerUnauthorized("the buyer token is unknown")
	}
	sum := sha256.Sum256([]byte(secret))
	tok, err := a.store.BuyerTokenBySecretHash(ctx, sum[:])
	if guild.IsNotFound(err) {
		return guild.BuyerToken{}, buyerUnauthorized("the buyer token is unknown")
	}
	if err != nil {
		return guild.BuyerToken{}, err
	}
	if subtle.ConstantTimeCompare(tok.SecretHash, sum[:]) != 1 {
		return guild.BuyerToken{}, buyerUnauthorized("the buyer token is unknown")
	}
	if !tok.RevokedAt.IsZero() {
		return guild.BuyerToken{}, buyerUnauthorized("the buyer token was revoked")
	}
	if !a.clock().Before(tok.ExpiresAt) {
		return guild.BuyerToken{}, buyerUnauthorized("the buyer token expired at " + tok.ExpiresAt.UTC().Format(time.RFC3339))
	}
	return tok, nil
}
