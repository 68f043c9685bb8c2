package postgres

import "context"

// LockTenant implements guild.Writer: a transaction-scoped advisory lock per
// tenant, held until commit or rollback, in every process sharing the
// database. The tenant's locking transactions run one after another, as all
// writers do on SQLite; other tenants are not held up.
//
// The lock is taken by the transaction's next statement, in its round trip
// (see tx.lock): nothing of the tenant is read before.
func (t *tx) LockTenant(ctx context.Context, tenantID int64) error {
	t.lock("guild.tenant", tenantID)
	return nil
}
