package postgres

import (
	"context"
	"strings"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/jackc/pgx/v5"
)

// scanner is a pgx.Row or pgx.Rows.
type scanner interface{ Scan(dest ...any) error }

// collect scans every row of rows with scan and closes rows; no rows is a nil
// slice. err is the error of the query that returned rows.
func collect[T any](rows pgx.Rows, err error, scan func(scanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

const tenantColumns = `id, hash, name, dependent_companies, default_customer_group_id, credit_enabled, default_payment_terms,
	max_hierarchy_depth, max_hierarchy_size, created_at, updated_at`

func scanTenant(sc scanner) (guild.Tenant, error) {
	var t guild.Tenant
	var created, updated int64
	err := sc.Scan(&t.ID, &t.Hash, &t.Name, &t.DependentCompanies, &t.DefaultCustomerGroupID, &t.CreditEnabled, &t.DefaultPaymentTerms,
		&t.MaxHierarchyDepth, &t.MaxHierarchySize, &created, &updated)
	t.CreatedAt, t.UpdatedAt = fromMicros(created), fromMicros(updated)
	return t, err
}

// TenantByHash returns the tenant with the store hash.
func (r reader) TenantByHash(ctx context.Context, hash string) (guild.Tenant, error) {
	t, err := scanTenant(r.db.QueryRow(ctx, `SELECT `+tenantColumns+` FROM tenants WHERE hash = $1`, hash))
	return t, r.fail(err, "store %q", hash)
}

// TenantByID returns the tenant with the id.
func (r reader) TenantByID(ctx context.Context, id int64) (guild.Tenant, error) {
	t, err := scanTenant(r.db.QueryRow(ctx, `SELECT `+tenantColumns+` FROM tenants WHERE id = $1`, id))
	return t, r.fail(err, "store %d", id)
}

// ListTenants lists every tenant by ascending id.
func (r reader) ListTenants(ctx context.Context) ([]guild.Tenant, error) {
	rows, err := r.db.Query(ctx, `SELECT `+tenantColumns+` FROM tenants ORDER BY id`)
	ts, err := collect(rows, err, scanTenant)
	return ts, r.fail(err, "list stores")
}

// CreateTenant inserts t; CreatedAt defaults to now and UpdatedAt to
// CreatedAt. A taken hash is EConflict.
func (t *tx) CreateTenant(ctx context.Context, in guild.Tenant) (guild.Tenant, error) {
	in.CreatedAt = exact(orNow(in.CreatedAt))
	if in.UpdatedAt.IsZero() {
		in.UpdatedAt = in.CreatedAt
	}
	in.UpdatedAt = exact(in.UpdatedAt)
	id, err := t.insertID(ctx, nil, `
		INSERT INTO tenants (hash, name, dependent_companies, default_customer_group_id, credit_enabled, default_payment_terms,
			max_hierarchy_depth, max_hierarchy_size, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
		[]any{in.Hash, in.Name, in.DependentCompanies, in.DefaultCustomerGroupID, in.CreditEnabled, in.DefaultPaymentTerms,
			in.MaxHierarchyDepth, in.MaxHierarchySize, micros(in.CreatedAt), micros(in.UpdatedAt)},
		"create store %q", in.Hash)
	if err != nil {
		return guild.Tenant{}, err
	}
	in.ID = id
	return in, nil
}

// UpdateTenant replaces the tenant's name, mode, default group, payment
// settings, hierarchy limits and UpdatedAt (now when zero); its hash and
// CreatedAt never change.
func (t *tx) UpdateTenant(ctx context.Context, in guild.Tenant) error {
	return t.exec(ctx, mustAffect("store %d does not exist", in.ID), `
		UPDATE tenants SET name = $2, dependent_companies = $3, default_customer_group_id = $4, credit_enabled = $5,
			default_payment_terms = $6, max_hierarchy_depth = $7, max_hierarchy_size = $8, updated_at = $9
		WHERE id = $1`,
		[]any{in.ID, in.Name, in.DependentCompanies, in.DefaultCustomerGroupID, in.CreditEnabled, in.DefaultPaymentTerms,
			in.MaxHierarchyDepth, in.MaxHierarchySize, micros(orNow(in.UpdatedAt))},
		"update store %d", in.ID)
}

const tokenColumns = `id, tenant_id, name, secret_hash, hint, created_at, revoked_at`

func scanToken(sc scanner) (guild.Token, error) {
	var x tokenDest
	err := sc.Scan(x.dest()...)
	return x.token(), err
}

// tokenDest collects the scan destinations of tokenColumns.
type tokenDest struct {
	t                guild.Token
	created, revoked int64
}

func (x *tokenDest) dest() []any {
	return []any{&x.t.ID, &x.t.TenantID, &x.t.Name, &x.t.SecretHash, &x.t.Hint, &x.created, &x.revoked}
}

func (x *tokenDest) token() guild.Token {
	t := x.t
	t.CreatedAt, t.RevokedAt = fromMicros(x.created), fromMicros(x.revoked)
	return t
}

// tokenWithTenantQuery reads a token (tk) and its tenant (tn) by the
// token's secret hash: the tenant's columns, then the token's.
var tokenWithTenantQuery = `SELECT ` + qualify("tn", tenantColumns) + `, ` + qualify("tk", tokenColumns) + `
	FROM tokens tk JOIN tenants tn ON tn.id = tk.tenant_id WHERE tk.secret_hash = $1`

// TokenWithTenant finds a token, revoked or not, by its secret's hash, and
// its tenant, in one statement.
func (r reader) TokenWithTenant(ctx context.Context, secretHash []byte) (guild.Token, guild.Tenant, error) {
	var x tokenDest
	tn, err := scanTenant(scanWith(r.db.QueryRow(ctx, tokenWithTenantQuery, orEmpty(secretHash)), x.dest()...))
	if err != nil {
		return guild.Token{}, guild.Tenant{}, r.fail(err, "token")
	}
	return x.token(), tn, nil
}

// qualify prefixes each of a comma-separated list of columns with table.
func qualify(table, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = table + "." + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// TokenBySecretHash finds a token, revoked or not, by its secret's hash.
func (r reader) TokenBySecretHash(ctx context.Context, secretHash []byte) (guild.Token, error) {
	t, err := scanToken(r.db.QueryRow(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE secret_hash = $1`, orEmpty(secretHash)))
	return t, r.fail(err, "token")
}

// ListTokens lists a tenant's tokens by ascending id.
func (r reader) ListTokens(ctx context.Context, tenantID int64) ([]guild.Token, error) {
	rows, err := r.db.Query(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE tenant_id = $1 ORDER BY id`, tenantID)
	ts, err := collect(rows, err, scanToken)
	return ts, r.fail(err, "list the tokens of store %d", tenantID)
}

// CreateToken inserts a token of an existing tenant; CreatedAt defaults to
// now. A taken secret hash is EConflict.
func (t *tx) CreateToken(ctx context.Context, in guild.Token) (guild.Token, error) {
	in.CreatedAt = exact(orNow(in.CreatedAt))
	in.RevokedAt = exact(in.RevokedAt)
	in.SecretHash = orEmpty(in.SecretHash)
	id, err := t.insertID(ctx, nil, `
		INSERT INTO tokens (tenant_id, name, secret_hash, hint, created_at, revoked_at)
		SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM tenants WHERE id = $1)
		RETURNING id`,
		[]any{in.TenantID, in.Name, in.SecretHash, in.Hint, micros(in.CreatedAt), micros(in.RevokedAt)},
		"create a token in store %d", in.TenantID)
	if err != nil {
		return guild.Token{}, err
	}
	in.ID = id
	return in, nil
}

// RevokeToken sets the token's RevokedAt (now when at is zero).
func (t *tx) RevokeToken(ctx context.Context, tenantID, tokenID int64, at time.Time) error {
	return t.exec(ctx, mustAffect("token %d does not exist", tokenID),
		`UPDATE tokens SET revoked_at = $3 WHERE tenant_id = $1 AND id = $2`,
		[]any{tenantID, tokenID, micros(orNow(at))},
		"revoke token %d", tokenID)
}

// scanWith appends dest to the destinations of every Scan of sc, so that a
// scan function of a row's leading columns can read a row with more.
func scanWith(sc scanner, dest ...any) scanner { return extraDest{sc: sc, dest: dest} }

type extraDest struct {
	sc   scanner
	dest []any
}

func (e extraDest) Scan(dest ...any) error { return e.sc.Scan(append(dest, e.dest...)...) }
