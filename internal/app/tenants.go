package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"

	guild "github.com/guild-b2b/guild"
)

var storeHashPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// CreateTenantInput describes a new store.
type CreateTenantInput struct {
	Hash               string
	Name               string
	DependentCompanies bool
	// DefaultCustomerGroupName, when set, creates a customer group of that
	// name in the new store and makes it the store's default group.
	DefaultCustomerGroupName string
	// CreditEnabled turns on the company credit feature.
	CreditEnabled bool
	// DefaultPaymentTerms (net days) are the terms of companies without
	// their own; nil means DefaultPaymentTerms.
	DefaultPaymentTerms *int64
	// MaxHierarchyDepth and MaxHierarchySize are the store's own limits of
	// its account hierarchies; 0 keeps Guild's defaults (5 layers, 500
	// companies).
	MaxHierarchyDepth int
	MaxHierarchySize  int
}

// checkTerms checks a store's default payment terms.
func checkTerms(p *problems, field string, days int64) {
	if !ValidPaymentTerms(days) {
		p.add(field, "must be one of %s (net days; got %d)", termChoices, days)
	}
}

// CreateTenant creates a store.
func (a *App) CreateTenant(ctx context.Context, in CreateTenantInput) (guild.Tenant, error) {
	var p problems
	in.Hash = strings.TrimSpace(in.Hash)
	if !storeHashPattern.MatchString(in.Hash) {
		p.add("hash", "must be 1-64 lower-case letters, digits, '-' or '_' (got %q)", in.Hash)
	}
	in.Name = p.text("name", in.Name, true, 200)
	groupName := p.text("default_customer_group_name", in.DefaultCustomerGroupName, false, 200)
	terms := int64(DefaultPaymentTerms)
	if in.DefaultPaymentTerms != nil {
		terms = *in.DefaultPaymentTerms
		checkTerms(&p, "default_payment_terms", terms)
	}
	checkHierarchyLimits(&p, in.MaxHierarchyDepth, in.MaxHierarchySize)
	if err := p.err(); err != nil {
		return guild.Tenant{}, err
	}
	var out guild.Tenant
	err := a.update(ctx, func(ctx context.Context, tx guild.Tx) error {
		now := a.clock()
		t, err := tx.CreateTenant(ctx, guild.Tenant{Hash: in.Hash, Name: in.Name, DependentCompanies: in.DependentCompanies,
			CreditEnabled: in.CreditEnabled, DefaultPaymentTerms: int(terms),
			MaxHierarchyDepth: in.MaxHierarchyDepth, MaxHierarchySize: in.MaxHierarchySize, CreatedAt: now, UpdatedAt: now})
		if guild.IsConflict(err) {
			return guild.Errorf(guild.EConflict, "a store with hash %q already exists", in.Hash)
		}
		if err != nil {
			return err
		}
		if _, err := tx.CreateChannel(ctx, defaultChannel(t, now)); err != nil {
			return fmt.Errorf("create the default channel of store %s: %w", t.Hash, err)
		}
		if groupName != "" {
			g, err := a.createCustomerGroup(ctx, tx, t, groupName, 0)
			if err != nil {
				return err
			}
			t.DefaultCustomerGroupID = g.ID
			if err := tx.UpdateTenant(ctx, t); err != nil {
				return err
			}
		}
		out = t
		return nil
	})
	return out, err
}

// UpdateTenantInput changes a store's settings; nil fields stay as they are.
type UpdateTenantInput struct {
	Name                   *string
	DependentCompanies     *bool
	DefaultCustomerGroupID *int64 // 0 clears the default
	CreditEnabled          *bool
	DefaultPaymentTerms    *int64
	// MaxHierarchyDepth and MaxHierarchySize set the store's hierarchy
	// limits; 0 restores the default. Hierarchies already beyond a lowered
	// limit stay as they are; only changes that would grow them are refused.
	MaxHierarchyDepth *int
	MaxHierarchySize  *int
}

// UpdateTenant changes a store's settings. Switching between dependent and
// independent companies is refused while the store has companies, because
// existing companies' customer groups would no longer follow the rules of
// the new mode.
func (a *App) UpdateTenant(ctx context.Context, hash string, in UpdateTenantInput) (guild.Tenant, error) {
	var out guild.Tenant
	err := a.update(ctx, func(ctx context.Context, tx guild.Tx) error {
		t, err := tx.TenantByHash(ctx, hash)
		if err != nil {
			return storeNotFound(hash, err)
		}
		var p problems
		if in.Name != nil {
			t.Name = p.text("name", *in.Name, true, 200)
		}
		if in.DefaultCustomerGroupID != nil {
			id := *in.DefaultCustomerGroupID
			if id < 0 {
				p.add("default_customer_group_id", "must be a customer group id, or 0 for none")
			} else if id > 0 {
				if _, err := tx.CustomerGroup(ctx, t.ID, id); guild.IsNotFound(err) {
					p.add("default_customer_group_id", "customer group %d does not exist in store %s", id, hash)
				} else if err != nil {
					return err
				}
			}
			t.DefaultCustomerGroupID = id
		}
		if in.CreditEnabled != nil {
			t.CreditEnabled = *in.CreditEnabled
		}
		if in.DefaultPaymentTerms != nil {
			checkTerms(&p, "default_payment_terms", *in.DefaultPaymentTerms)
			t.DefaultPaymentTerms = int(*in.DefaultPaymentTerms)
		}
		if in.DependentCompanies != nil && *in.DependentCompanies != t.DependentCompanies {
			_, n, err := tx.ListCompanies(ctx, t.ID, guild.CompanyFilter{Limit: 1})
			if err != nil {
				return err
			}
			if n > 0 {
				p.add("dependent_companies", "cannot switch company behaviour while the store has %d companies", n)
			}
			t.DependentCompanies = *in.DependentCompanies
		}
		if in.MaxHierarchyDepth != nil {
			t.MaxHierarchyDepth = *in.MaxHierarchyDepth
		}
		if in.MaxHierarchySize != nil {
			t.MaxHierarchySize = *in.MaxHierarchySize
		}
		checkHierarchyLimits(&p, t.MaxHierarchyDepth, t.MaxHierarchySize)
		if err := p.err(); err != nil {
			return err
		}
		t.UpdatedAt = a.clock()
		out = t
		return tx.UpdateTenant(ctx, t)
	})
	return out, err
}

// checkHierarchyLimits checks a store's own hierarchy limits (0: default).
func checkHierarchyLimits(p *problems, depth, size int) {
	if depth < 0 || depth > guild.MaxHierarchyDepthSetting {
		p.add("max_hierarchy_depth", "must be 1 to %d layers, or 0 for the default (%d); got %d", guild.MaxHierarchyDepthSetting, guild.DefaultMaxHierarchyDepth, depth)
	}
	if size < 0 || size > guild.MaxHierarchySizeSetting {
		p.add("max_hierarchy_size", "must be 1 to %d companies, or 0 for the default (%d); got %d", guild.MaxHierarchySizeSetting, guild.DefaultMaxHierarchySize, size)
	}
}

// ListTenants lists every store.
func (a *App) ListTenants(ctx context.Context) ([]guild.Tenant, error) {
	return a.store.ListTenants(ctx)
}

// TenantByHash returns a store by its hash.
func (a *App) TenantByHash(ctx context.Context, hash string) (guild.Tenant, error) {
	t, err := a.store.TenantByHash(ctx, hash)
	return t, storeNotFound(hash, err)
}

func storeNotFound(hash string, err error) error {
	if guild.IsNotFound(err) {
		return guild.Errorf(guild.ENotFound, "store %q does not exist (see `guild stores list`)", hash)
	}
	return err
}

// tokenPrefix starts every secret, so that a leaked token is recognisable.
const tokenPrefix = "guild_"

// CreateToken creates an API token for a store and returns its secret, which
// is never stored and cannot be shown again.
func (a *App) CreateToken(ctx context.Context, storeHash, name string) (string, guild.Token, error) {
	var p problems
	name = p.text("name", name, true, 200)
	if err := p.err(); err != nil {
		return "", guild.Token{}, err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", guild.Token{}, err
	}
	secret := tokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256([]byte(secret))
	var tok guild.Token
	err := a.update(ctx, func(ctx context.Context, tx guild.Tx) error {
		t, err := tx.TenantByHash(ctx, storeHash)
		if err != nil {
			return storeNotFound(storeHash, err)
		}
		tok, err = tx.CreateToken(ctx, guild.Token{TenantID: t.ID, Name: name, SecretHash: sum[:], Hint: secret[len(secret)-4:], CreatedAt: a.clock()})
		return err
	})
	if err != nil {
		return "", guild.Token{}, err
	}
	return secret, tok, nil
}

// ListTokens lists a store's tokens; secrets are never part of them.
func (a *App) ListTokens(ctx context.Context, storeHash string) ([]guild.Token, error) {
	t, err := a.TenantByHash(ctx, storeHash)
	if err != nil {
		return nil, err
	}
	return a.store.ListTokens(ctx, t.ID)
}

// RevokeToken revokes a store's token at once.
func (a *App) RevokeToken(ctx context.Context, storeHash string, tokenID int64) error {
	return a.update(ctx, func(ctx context.Context, tx guild.Tx) error {
		t, err := tx.TenantByHash(ctx, storeHash)
		if err != nil {
			return storeNotFound(storeHash, err)
		}
		err = tx.RevokeToken(ctx, t.ID, tokenID, a.clock())
		if guild.IsNotFound(err) {
			return guild.Errorf(guild.ENotFound, "token %d does not exist in store %s (see `guild tokens list`)", tokenID, storeHash)
		}
		return err
	})
}

// Authenticate resolves a token secret to its store. When storeHash is not
// empty (the X-Store-Hash header) it must name the token's store.
func (a *App) Authenticate(ctx context.Context, secret, storeHash string) (guild.Tenant, error) {
	unauthorized := guild.Errorf(guild.EUnauthorized, "the API token is missing, unknown or revoked; send it in the authToken header, or in X-Auth-Token with X-Store-Hash")
	if secret == "" {
		return guild.Tenant{}, unauthorized
	}
	if IsBuyerTokenSecret(secret) {
		return guild.Tenant{}, guild.Errorf(guild.EUnauthorized, "this is a buyer token; the server-to-server API takes only the store's API token (authToken, or X-Auth-Token with X-Store-Hash); buyer tokens are for the buyer API, /api/v3/buyer/...")
	}
	sum := sha256.Sum256([]byte(secret))
	tok, t, err := a.store.TokenWithTenant(ctx, sum[:])
	if guild.IsNotFound(err) {
		return guild.Tenant{}, unauthorized
	}
	if err != nil {
		return guild.Tenant{}, err
	}
	if subtle.ConstantTimeCompare(tok.SecretHash, sum[:]) != 1 || tok.Revoked() {
		return guild.Tenant{}, unauthorized
	}
	if storeHash != "" && storeHash != t.Hash {
		return guild.Tenant{}, guild.Errorf(guild.EUnauthorized, "the API token does not belong to store %q given in X-Store-Hash", storeHash)
	}
	return t, nil
}
