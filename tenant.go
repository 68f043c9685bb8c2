package guild

import "time"

// Tenant is a merchant's store: every row in Guild belongs to exactly one.
// The API and the CLI call it a store and identify it by its hash.
type Tenant struct {
	ID   int64
	Hash string // the store hash, as in X-Store-Hash
	Name string
	// DependentCompanies selects the legacy behaviour where each company owns
	// its own customer group. The default (false) is independent companies.
	DependentCompanies bool
	// DefaultCustomerGroupID is the group a company gets in independent mode
	// when a create request names none; 0 means no group.
	DefaultCustomerGroupID int64
	// CreditEnabled turns on the company credit feature: without it the
	// credit endpoints refuse to work, as the vendor's do.
	CreditEnabled bool
	// DefaultPaymentTerms (net days, one of PaymentTermDays) are the terms
	// of a company without terms of its own.
	DefaultPaymentTerms int
	// MaxHierarchyDepth and MaxHierarchySize are the store's own limits of
	// its account hierarchies (layers, companies); 0 means the defaults
	// (see HierarchyDepthLimit and HierarchySizeLimit).
	MaxHierarchyDepth int
	MaxHierarchySize  int
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// Token is a server-to-server API token. Only the SHA-256 of its secret is
// stored; the secret itself is shown once, when the token is created.
type Token struct {
	ID         int64
	TenantID   int64
	Name       string
	SecretHash []byte // SHA-256 of the secret
	Hint       string // the last characters of the secret, to tell tokens apart
	CreatedAt  time.Time
	RevokedAt  time.Time // zero while the token is valid
}

// Revoked reports whether the token has been revoked.
func (t Token) Revoked() bool { return !t.RevokedAt.IsZero() }
