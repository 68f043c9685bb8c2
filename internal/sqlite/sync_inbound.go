package sqlite

import (
	"context"

	guild "github.com/guild-b2b/guild"
)

// ListRemoteIDs lists a tenant's remote ids of one entity type by local id.
func (r reader) ListRemoteIDs(ctx context.Context, tenantID int64, entityType string, afterID int64, limit int) ([]guild.RemoteIDEntry, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT local_id, remote_id FROM remote_ids
		WHERE tenant_id = ? AND entity_type = ? AND local_id > ? ORDER BY local_id LIMIT ?`,
		tenantID, entityType, afterID, limitArg(limit))
	if err != nil {
		return nil, wrap(err, "list the remote ids of %s", entityType)
	}
	return collect(rows, func(sc scanner) (guild.RemoteIDEntry, error) {
		var e guild.RemoteIDEntry
		return e, sc.Scan(&e.LocalID, &e.RemoteID)
	}, "list the remote ids of "+entityType)
}

// ListAccountCustomers lists the customers backing a user or a super admin.
func (r reader) ListAccountCustomers(ctx context.Context, tenantID, afterID int64, limit int) ([]guild.Customer, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+customerColumns+` FROM customers c
		WHERE c.tenant_id = ? AND c.id > ?
		AND (EXISTS (SELECT 1 FROM users u WHERE u.tenant_id = c.tenant_id AND u.customer_id = c.id)
			OR EXISTS (SELECT 1 FROM super_admins s WHERE s.tenant_id = c.tenant_id AND s.customer_id = c.id))
		ORDER BY c.id LIMIT ?`, tenantID, afterID, limitArg(limit))
	if err != nil {
		return nil, wrap(err, "list the customers of users and super admins")
	}
	return collect(rows, scanCustomer, "list the customers of users and super admins")
}

// LocalIDByRemoteID returns the local id of the entity with a remote id.
func (r reader) LocalIDByRemoteID(ctx context.Context, tenantID int64, entityType string, remoteID int64) (int64, error) {
	var id int64
	err := r.q.QueryRowContext(ctx, `SELECT local_id FROM remote_ids WHERE tenant_id = ? AND entity_type = ? AND remote_id = ?
		ORDER BY local_id LIMIT 1`, tenantID, entityType, remoteID).Scan(&id)
	return id, wrap(err, "the %s of remote id %d", entityType, remoteID)
}
