package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	guild "github.com/guild-b2b/guild"
)

const tenantColumns = `id, hash, name, dependent_companies, default_customer_group_id, credit_enabled, default_payment_terms,
	max_hierarchy_depth, max_hierarchy_size, created_at, updated_at`

func scanTenant(sc scanner) (guild.Tenant, error) {
	var t guild.Tenant
	var dep, credit, created, updated int64
	if err := sc.Scan(&t.ID, &t.Hash, &t.Name, &dep, &t.DefaultCustomerGroupID, &credit, &t.DefaultPaymentTerms,
		&t.MaxHierarchyDepth, &t.MaxHierarchySize, &created, &updated); err != nil {
		return t, err
	}
	t.DependentCompanies, t.CreditEnabled = dep != 0, credit != 0
	t.CreatedAt, t.UpdatedAt = fromMicros(created), fromMicros(updated)
	return t, nil
}

// TenantByHash returns the tenant with the store hash.
func (r reader) TenantByHash(ctx context.Context, hash string) (guild.Tenant, error) {
	t, err := scanTenant(r.q.QueryRowContext(ctx, `SELECT `+tenantColumns+` FROM tenants WHERE hash = ?`, hash))
	return t, wrap(err, "store %q", hash)
}

// TenantByID returns the tenant with the id.
func (r reader) TenantByID(ctx context.Context, id int64) (guild.Tenant, error) {
	t, err := scanTenant(r.q.QueryRowContext(ctx, `SELECT `+tenantColumns+` FROM tenants WHERE id = ?`, id))
	return t, wrap(err, "store %d", id)
}

// ListTenants lists every tenant by ascending id.
func (r reader) ListTenants(ctx context.Context) ([]guild.Tenant, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+tenantColumns+` FROM tenants ORDER BY id`)
	if err != nil {
		return nil, wrap(err, "list stores")
	}
	return collect(rows, scanTenant, "list stores")
}

// CreateTenant inserts t; CreatedAt defaults to now and UpdatedAt to CreatedAt.
func (t *tx) CreateTenant(ctx context.Context, in guild.Tenant) (guild.Tenant, error) {
	in.CreatedAt, in.UpdatedAt = stamps(in.CreatedAt, in.UpdatedAt, t.now)
	err := t.q.QueryRowContext(ctx, `
		INSERT INTO tenants (hash, name, dependent_companies, default_customer_group_id, credit_enabled, default_payment_terms,
			max_hierarchy_depth, max_hierarchy_size, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		in.Hash, in.Name, boolInt(in.DependentCompanies), in.DefaultCustomerGroupID, boolInt(in.CreditEnabled), in.DefaultPaymentTerms,
		in.MaxHierarchyDepth, in.MaxHierarchySize, micros(in.CreatedAt), micros(in.UpdatedAt)).Scan(&in.ID)
	if err != nil {
		return guild.Tenant{}, wrap(err, "create store %q", in.Hash)
	}
	in.CreatedAt, in.UpdatedAt = fromMicros(micros(in.CreatedAt)), fromMicros(micros(in.UpdatedAt))
	return in, nil
}

// UpdateTenant replaces the tenant's name, mode, default group, payment
// settings, hierarchy limits and UpdatedAt; its hash and CreatedAt never change.
func (t *tx) UpdateTenant(ctx context.Context, in guild.Tenant) error {
	res, err := t.q.ExecContext(ctx, `
		UPDATE tenants SET name = ?, dependent_companies = ?, default_customer_group_id = ?, credit_enabled = ?,
			default_payment_terms = ?, max_hierarchy_depth = ?, max_hierarchy_size = ?, updated_at = ?
		WHERE id = ?`,
		in.Name, boolInt(in.DependentCompanies), in.DefaultCustomerGroupID, boolInt(in.CreditEnabled), in.DefaultPaymentTerms,
		in.MaxHierarchyDepth, in.MaxHierarchySize, micros(orNow(in.UpdatedAt, t.now)), in.ID)
	if err != nil {
		return wrap(err, "update store %d", in.ID)
	}
	return affected(res, "store %d does not exist", in.ID)
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
	FROM tokens tk JOIN tenants tn ON tn.id = tk.tenant_id WHERE tk.secret_hash = ?`

// TokenWithTenant finds a token, revoked or not, by its secret's hash, and
// its tenant, in one statement.
func (r reader) TokenWithTenant(ctx context.Context, secretHash []byte) (guild.Token, guild.Tenant, error) {
	var x tokenDest
	tn, err := scanTenant(scanWith(r.q.QueryRowContext(pointRead(ctx), tokenWithTenantQuery, secretHash), x.dest()...))
	if err != nil {
		return guild.Token{}, guild.Tenant{}, wrap(err, "token")
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
	t, err := scanToken(r.q.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE secret_hash = ?`, secretHash))
	return t, wrap(err, "token")
}

// ListTokens lists a tenant's tokens by ascending id.
func (r reader) ListTokens(ctx context.Context, tenantID int64) ([]guild.Token, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE tenant_id = ? ORDER BY id`, tenantID)
	if err != nil {
		return nil, wrap(err, "list tokens")
	}
	return collect(rows, scanToken, "list tokens")
}

// CreateToken inserts a token; CreatedAt defaults to now.
func (t *tx) CreateToken(ctx context.Context, in guild.Token) (guild.Token, error) {
	in.CreatedAt = fromMicros(micros(orNow(in.CreatedAt, t.now)))
	in.RevokedAt = fromMicros(micros(in.RevokedAt))
	if in.SecretHash == nil {
		in.SecretHash = []byte{}
	}
	err := t.q.QueryRowContext(ctx, `
		INSERT INTO tokens (tenant_id, name, secret_hash, hint, created_at, revoked_at)
		SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM tenants WHERE id = ?)
		RETURNING id`,
		in.TenantID, in.Name, in.SecretHash, in.Hint, micros(in.CreatedAt), micros(in.RevokedAt), in.TenantID).Scan(&in.ID)
	if err != nil {
		return guild.Token{}, wrap(err, "create token in store %d", in.TenantID)
	}
	return in, nil
}

// RevokeToken sets the token's RevokedAt.
func (t *tx) RevokeToken(ctx context.Context, tenantID, tokenID int64, at time.Time) error {
	res, err := t.q.ExecContext(ctx, `UPDATE tokens SET revoked_at = ? WHERE tenant_id = ? AND id = ?`,
		micros(orNow(at, t.now)), tenantID, tokenID)
	if err != nil {
		return wrap(err, "revoke token %d", tokenID)
	}
	return affected(res, "token %d does not exist", tokenID)
}

// collect scans every row with scan and closes rows.
func collect[T any](rows *sql.Rows, scan func(scanner) (T, error), what string) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: %s: scan: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: %s: %w", what, err)
	}
	return out, nil
}

// pointRead is the context for a read of a few rows by key, which takes
// microseconds: it is not cancelled with the request. A cancellable context
// costs database/sql and the driver a watcher goroutine each per statement,
// more than such a read itself; the API's hottest reads (authentication, the
// company detail) are of this kind.
func pointRead(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }
