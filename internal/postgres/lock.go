package postgres

import "context"

// LockTenant implements guild.Writer: a transaction-scoped advisory lock per
// tenant, held until commit or rollback, in every process sharing the
// database. The tenant's locking transactions run one after another, as all
// writers do on SQLite; other tenants are not held up.
func (t *tx) LockTenant(ctx context.Context, tenantID int64) error {
	_, err := t.ptx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('guild.tenant', $1))`, tenantID)
	return t.fail(err, "lock store %d", tenantID)
}
