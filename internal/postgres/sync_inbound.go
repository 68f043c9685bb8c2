package postgres

import (
	"context"

	guild "github.com/guild-b2b/guild"
)

// ListRemoteIDs lists a tenant's remote ids of one entity type by local id.
func (r reader) ListRemoteIDs(ctx context.Context, tenantID int64, entityType string, afterID int64, limit int) ([]guild.RemoteIDEntry, error) {
	q := `SELECT local_id, remote_id FROM remote_ids WHERE tenant_id = $1 AND entity_type = $2 AND local_id > $3 ORDER BY local_id`
	args := []any{tenantID, entityType, afterID}
	if limit > 0 {
		args = append(args, limit)
		q += ` LIMIT $4`
	}
	rows, err := r.db.Query(ctx, q, args...)
	out, err := collect(rows, err, func(sc scanner) (guild.RemoteIDEntry, error) {
		var e guild.RemoteIDEntry
		return e, sc.Scan(&e.LocalID, &e.RemoteID)
	})
	return out, r.fail(err, "list the remote ids of %s", entityType)
}

// ListAccountCustomers lists the customers backing a user or a super admin.
func (r reader) ListAccountCustomers(ctx context.Context, tenantID, afterID int64, limit int) ([]guild.Customer, error) {
	q := `SELECT ` + customerColumns + ` FROM customers c
		WHERE c.tenant_id = $1 AND c.id > $2
		AND (EXISTS (SELECT 1 FROM users u WHERE u.tenant_id = c.tenant_id AND u.customer_id = c.id)
			OR EXISTS (SELECT 1 FROM super_admins s WHERE s.tenant_id = c.tenant_id AND s.customer_id = c.id))
		ORDER BY c.id`
	args := []any{tenantID, afterID}
	if limit > 0 {
		args = append(args, limit)
		q += ` LIMIT $3`
	}
	rows, err := r.db.Query(ctx, q, args...)
	out, err := collect(rows, err, scanCustomer)
	return out, r.fail(err, "list the customers of users and super admins")
}

// LocalIDByRemoteID returns the local id of the entity with a remote id.
func (r reader) LocalIDByRemoteID(ctx context.Context, tenantID int64, entityType string, remoteID int64) (int64, error) {
	var id int64
	err := r.db.QueryRow(ctx, `SELECT local_id FROM remote_ids WHERE tenant_id = $1 AND entity_type = $2 AND remote_id = $3
		ORDER BY local_id LIMIT 1`, tenantID, entityType, remoteID).Scan(&id)
	return id, r.fail(err, "the %s of remote id %d", entityType, remoteID)
}
