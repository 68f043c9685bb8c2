package sqlite

import "context"

// LockTenant implements guild.Writer. SQLite has one writer: every write
// transaction (BEGIN IMMEDIATE) already runs alone, across processes too.
func (t *tx) LockTenant(ctx context.Context, tenantID int64) error { return nil }
