package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	guild "github.com/guild-b2b/guild"
)

const outboxRowColumns = `id, tenant_id, topic, entity_type, entity_id, payload, created_at,
	status, attempts, next_attempt_at, lease_owner, lease_expires_at, last_error, delivered_at`

func scanOutboxRow(sc scanner) (guild.OutboxRow, error) {
	var m guild.OutboxRow
	var payload string
	var created, next, expires, delivered int64
	err := sc.Scan(&m.ID, &m.TenantID, &m.Topic, &m.EntityType, &m.EntityID, &payload, &created,
		&m.Status, &m.Attempts, &next, &m.LeaseOwner, &expires, &m.LastError, &delivered)
	m.Payload, m.CreatedAt = json.RawMessage(payload), fromMicros(created)
	m.NextAttemptAt, m.LeaseExpiresAt, m.DeliveredAt = fromMicros(next), fromMicros(expires), fromMicros(delivered)
	return m, err
}

const connectionColumns = `tenant_id, platform, store_hash, api_url, sealed_token, state, paused_reason, last_error,
	connected_at, updated_at, sync_stage, sync_after_id, sync_started_at, sync_finished_at`

func scanConnection(sc scanner) (guild.PlatformConnection, error) {
	var c guild.PlatformConnection
	var connected, updated, started, finished int64
	err := sc.Scan(&c.TenantID, &c.Platform, &c.StoreHash, &c.APIURL, &c.SealedToken, &c.State, &c.PausedReason, &c.LastError,
		&connected, &updated, &c.SyncStage, &c.SyncAfterID, &started, &finished)
	c.ConnectedAt, c.UpdatedAt = fromMicros(connected), fromMicros(updated)
	c.SyncStartedAt, c.SyncFinishedAt = fromMicros(started), fromMicros(finished)
	return c, err
}

// PlatformConnection returns the tenant's platform connection.
func (r reader) PlatformConnection(ctx context.Context, tenantID int64) (guild.PlatformConnection, error) {
	c, err := scanConnection(r.q.QueryRowContext(ctx, `SELECT `+connectionColumns+` FROM platform_connections WHERE tenant_id = ?`, tenantID))
	return c, wrap(err, "the platform connection of store %d", tenantID)
}

// ListPlatformConnections lists every connection by tenant id.
func (r reader) ListPlatformConnections(ctx context.Context) ([]guild.PlatformConnection, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+connectionColumns+` FROM platform_connections ORDER BY tenant_id`)
	if err != nil {
		return nil, wrap(err, "list platform connections")
	}
	return collect(rows, scanConnection, "list platform connections")
}

// RemoteID returns the platform id of a local entity.
func (r reader) RemoteID(ctx context.Context, k guild.EntityKey) (int64, error) {
	var id int64
	err := r.q.QueryRowContext(ctx, `SELECT remote_id FROM remote_ids WHERE tenant_id = ? AND entity_type = ? AND local_id = ?`,
		k.TenantID, k.EntityType, k.EntityID).Scan(&id)
	return id, wrap(err, "the remote id of %s %d", k.EntityType, k.EntityID)
}

// RemoteIDs returns the platform ids of local entities that have one. The
// ids go as one JSON array, so that the statement is the same for any number.
func (r reader) RemoteIDs(ctx context.Context, tenantID int64, entityType string, localIDs []int64) (map[int64]int64, error) {
	out := make(map[int64]int64, len(localIDs))
	if len(localIDs) == 0 {
		return out, nil
	}
	ids, err := json.Marshal(localIDs)
	if err != nil {
		return nil, fmt.Errorf("sqlite: encode %d local ids: %w", len(localIDs), err)
	}
	rows, err := r.q.QueryContext(ctx, `SELECT local_id, remote_id FROM remote_ids
		WHERE tenant_id = ? AND entity_type = ? AND local_id IN (SELECT value FROM json_each(?))`, tenantID, entityType, string(ids))
	if err != nil {
		return nil, wrap(err, "the remote ids of %d %s entities", len(localIDs), entityType)
	}
	pairs, err := collect(rows, func(sc scanner) ([2]int64, error) {
		var p [2]int64
		err := sc.Scan(&p[0], &p[1])
		return p, err
	}, "remote ids")
	if err != nil {
		return nil, err
	}
	for _, p := range pairs {
		out[p[0]] = p[1]
	}
	return out, nil
}

// SyncEntity returns an entity's sync state.
func (r reader) SyncEntity(ctx context.Context, k guild.EntityKey) (guild.SyncEntity, error) {
	e := guild.SyncEntity{EntityKey: k}
	var synced, updated int64
	err := r.q.QueryRowContext(ctx, `SELECT state, last_synced_at, last_error, updated_at FROM sync_entities
		WHERE tenant_id = ? AND entity_type = ? AND entity_id = ?`, k.TenantID, k.EntityType, k.EntityID).
		Scan(&e.State, &synced, &e.LastError, &updated)
	e.LastSyncedAt, e.UpdatedAt = fromMicros(synced), fromMicros(updated)
	return e, wrap(err, "the sync state of %s %d", k.EntityType, k.EntityID)
}

// OutboxStats counts the rows that are not done. Pending and dead rows are
// counted apart, each on its partial index: one query over both statuses
// would read every row of the store.
func (r reader) OutboxStats(ctx context.Context, tenantID int64, now time.Time) (guild.OutboxStats, error) {
	where, args := `tenant_id = ?`, []any{tenantID}
	if tenantID == 0 {
		where, args = `tenant_id IN (SELECT tenant_id FROM platform_connections WHERE state <> 'disconnected')`, nil
	}
	n := micros(now)
	var st guild.OutboxStats
	var oldest int64
	err := r.q.QueryRowContext(ctx, `
		SELECT
			COALESCE(SUM(CASE WHEN lease_expires_at <= ? AND next_attempt_at <= ? THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN lease_expires_at <= ? AND next_attempt_at > ? THEN 1 ELSE 0 END), 0),
			COALESCE(SUM(CASE WHEN lease_expires_at > ? THEN 1 ELSE 0 END), 0),
			COALESCE(MIN(created_at), 0)
		FROM outbox WHERE status = 'pending' AND `+where, append([]any{n, n, n, n, n}, args...)...).
		Scan(&st.Pending, &st.Scheduled, &st.Leased, &oldest)
	if err != nil {
		return st, wrap(err, "count the outbox of store %d", tenantID)
	}
	err = r.q.QueryRowContext(ctx, `SELECT count(*) FROM outbox WHERE status = 'dead' AND `+where, args...).Scan(&st.Dead)
	st.OldestDue = fromMicros(oldest)
	st.PendingAll = st.Pending + st.Scheduled + st.Leased
	return st, wrap(err, "count the dead letters of store %d", tenantID)
}

// ListOutboxRows lists a tenant's rows in a status, by id.
func (r reader) ListOutboxRows(ctx context.Context, tenantID int64, status string, afterID int64, limit int) ([]guild.OutboxRow, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+outboxRowColumns+` FROM outbox
		WHERE tenant_id = ? AND status = ? AND id > ? ORDER BY id LIMIT ?`, tenantID, status, afterID, limitArg(limit))
	if err != nil {
		return nil, wrap(err, "list the %s outbox rows of store %d", status, tenantID)
	}
	return collect(rows, scanOutboxRow, "list outbox rows")
}

// OutboxRow returns one row of the tenant's outbox.
func (r reader) OutboxRow(ctx context.Context, tenantID, id int64) (guild.OutboxRow, error) {
	m, err := scanOutboxRow(r.q.QueryRowContext(ctx, `SELECT `+outboxRowColumns+` FROM outbox WHERE tenant_id = ? AND id = ?`, tenantID, id))
	return m, wrap(err, "outbox row %d", id)
}

// EntityOutboxCounts counts an entity's pending and dead rows.
func (r reader) EntityOutboxCounts(ctx context.Context, k guild.EntityKey) (int, int, error) {
	var pending, dead int
	err := r.q.QueryRowContext(ctx, `
		SELECT COALESCE(SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN status = 'dead' THEN 1 ELSE 0 END), 0)
		FROM outbox WHERE tenant_id = ? AND entity_type = ? AND entity_id = ? AND status IN ('pending', 'dead')`,
		k.TenantID, k.EntityType, k.EntityID).Scan(&pending, &dead)
	return pending, dead, wrap(err, "count the outbox rows of %s %d", k.EntityType, k.EntityID)
}

// entityTables maps the entity types of the initial sync to their tables.
var entityTables = map[string]string{
	guild.EntityCustomerGroup: "customer_groups",
	guild.EntityCompany:       "companies",
	guild.EntityCustomer:      "customers",
	guild.EntityUser:          "users",
	guild.EntitySuperAdmin:    "super_admins",
}

// ListEntityIDs lists the ids of a tenant's entities of a type after afterID.
func (r reader) ListEntityIDs(ctx context.Context, tenantID int64, entityType string, afterID int64, limit int) ([]int64, error) {
	table, ok := entityTables[entityType]
	if !ok {
		return nil, guild.Errorf(guild.EInvalid, "unknown entity type %q", entityType)
	}
	rows, err := r.q.QueryContext(ctx, `SELECT id FROM `+table+` WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?`,
		tenantID, afterID, limitArg(limit))
	if err != nil {
		return nil, wrap(err, "list %s ids", entityType)
	}
	return collect(rows, func(sc scanner) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	}, "list "+entityType+" ids")
}

// PutPlatformConnection inserts or replaces the tenant's connection.
func (t *tx) PutPlatformConnection(ctx context.Context, c guild.PlatformConnection) error {
	_, err := t.q.ExecContext(ctx, `
		INSERT INTO platform_connections (`+connectionColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id) DO UPDATE SET platform = excluded.platform, store_hash = excluded.store_hash,
			api_url = excluded.api_url, sealed_token = excluded.sealed_token, state = excluded.state,
			paused_reason = excluded.paused_reason, last_error = excluded.last_error, connected_at = excluded.connected_at,
			updated_at = excluded.updated_at, sync_stage = excluded.sync_stage, sync_after_id = excluded.sync_after_id,
			sync_started_at = excluded.sync_started_at, sync_finished_at = excluded.sync_finished_at`,
		c.TenantID, c.Platform, c.StoreHash, c.APIURL, orBytes(c.SealedToken), c.State, c.PausedReason, c.LastError,
		micros(orNow(c.ConnectedAt, t.now)), micros(orNow(c.UpdatedAt, t.now)), c.SyncStage, c.SyncAfterID,
		micros(c.SyncStartedAt), micros(c.SyncFinishedAt))
	return wrap(err, "save the platform connection of store %d", c.TenantID)
}

// orBytes returns b, or an empty non-nil slice (a NOT NULL BLOB).
func orBytes(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

// SupersedeOutbox marks the tenant's pending rows superseded, deletions
// excepted.
func (t *tx) SupersedeOutbox(ctx context.Context, tenantID int64) (int, error) {
	res, err := t.q.ExecContext(ctx, `UPDATE outbox SET status = 'superseded', lease_owner = '', lease_expires_at = 0
		WHERE tenant_id = ? AND status = 'pending' AND topic NOT LIKE '%.deleted'`, tenantID)
	if err != nil {
		return 0, wrap(err, "supersede the outbox of store %d", tenantID)
	}
	n, err := res.RowsAffected()
	return int(n), wrap(err, "supersede the outbox of store %d", tenantID)
}

// RequeueOutbox makes dead rows pending again.
func (t *tx) RequeueOutbox(ctx context.Context, tenantID, id int64, now time.Time) (int, error) {
	q, args := `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, lease_owner = '', lease_expires_at = 0
		WHERE tenant_id = ? AND status = 'dead'`, []any{micros(now), tenantID}
	if id != 0 {
		q += ` AND id = ?`
		args = append(args, id)
	}
	res, err := t.q.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, wrap(err, "requeue dead outbox rows of store %d", tenantID)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, wrap(err, "requeue dead outbox rows of store %d", tenantID)
	}
	if id != 0 && n == 0 {
		return 0, notFound("outbox row %d is not a dead letter of store %d", id, tenantID)
	}
	return int(n), nil
}

// PutRemoteID inserts or replaces the platform id of a local entity.
func (t *tx) PutRemoteID(ctx context.Context, k guild.EntityKey, remoteID int64) error {
	_, err := t.q.ExecContext(ctx, `
		INSERT INTO remote_ids (tenant_id, entity_type, local_id, remote_id, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id, entity_type, local_id) DO UPDATE SET remote_id = excluded.remote_id, updated_at = excluded.updated_at`,
		k.TenantID, k.EntityType, k.EntityID, remoteID, micros(t.now()))
	return wrap(err, "save the remote id of %s %d", k.EntityType, k.EntityID)
}

// DeleteRemoteID forgets the platform id of a local entity.
func (t *tx) DeleteRemoteID(ctx context.Context, k guild.EntityKey) error {
	res, err := t.q.ExecContext(ctx, `DELETE FROM remote_ids WHERE tenant_id = ? AND entity_type = ? AND local_id = ?`,
		k.TenantID, k.EntityType, k.EntityID)
	if err != nil {
		return wrap(err, "delete the remote id of %s %d", k.EntityType, k.EntityID)
	}
	return affected(res, "%s %d has no remote id", k.EntityType, k.EntityID)
}

// DeleteSyncData deletes the tenant's remote ids and sync states.
func (t *tx) DeleteSyncData(ctx context.Context, tenantID int64) error {
	if _, err := t.q.ExecContext(ctx, `DELETE FROM remote_ids WHERE tenant_id = ?`, tenantID); err != nil {
		return wrap(err, "delete the remote ids of store %d", tenantID)
	}
	_, err := t.q.ExecContext(ctx, `DELETE FROM sync_entities WHERE tenant_id = ?`, tenantID)
	return wrap(err, "delete the sync states of store %d", tenantID)
}

const upsertSyncEntity = `
	INSERT INTO sync_entities (tenant_id, entity_type, entity_id, state, last_synced_at, last_error, updated_at)
	VALUES (?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (tenant_id, entity_type, entity_id) DO UPDATE SET state = excluded.state, last_error = excluded.last_error,
		updated_at = excluded.updated_at,
		last_synced_at = CASE WHEN excluded.last_synced_at <> 0 THEN excluded.last_synced_at ELSE sync_entities.last_synced_at END`

// PutSyncEntity inserts or replaces an entity's sync state; a zero
// LastSyncedAt keeps the stored one.
func (t *tx) PutSyncEntity(ctx context.Context, e guild.SyncEntity) error {
	_, err := t.q.ExecContext(ctx, upsertSyncEntity, e.TenantID, e.EntityType, e.EntityID, e.State,
		micros(e.LastSyncedAt), e.LastError, micros(orNow(e.UpdatedAt, t.now)))
	return wrap(err, "save the sync state of %s %d", e.EntityType, e.EntityID)
}

// queue runs fn in a write transaction of its own.
func (s *Store) queue(ctx context.Context, fn func(t *tx) error) error {
	return s.Update(ctx, func(ctx context.Context, gtx guild.Tx) error { return fn(gtx.(*tx)) })
}

// ClaimOutbox leases a tenant and up to r.Limit of its due rows to r.Owner.
// SQLite's single writer runs claims one at a time.
func (s *Store) ClaimOutbox(ctx context.Context, r guild.ClaimRequest) (guild.Claim, error) {
	if r.Owner == "" || r.Limit <= 0 || r.LeaseFor <= 0 {
		return guild.Claim{}, guild.Errorf(guild.EInvalid, "a claim needs an owner, a limit and a lease duration")
	}
	now, until := micros(r.Now), micros(r.Now.Add(r.LeaseFor))
	var out guild.Claim
	err := s.queue(ctx, func(t *tx) error {
		tenantID := r.TenantID
		if tenantID == 0 {
			err := t.q.QueryRowContext(ctx, `
				SELECT c.tenant_id FROM platform_connections c
				WHERE c.state = 'active' AND (c.lease_owner = ? OR c.lease_expires_at <= ?)
					AND EXISTS (SELECT 1 FROM outbox o WHERE o.tenant_id = c.tenant_id AND o.status = 'pending'
						AND o.next_attempt_at <= ? AND o.lease_expires_at <= ?
						AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.tenant_id = o.tenant_id AND p.entity_type = o.entity_type
							AND p.entity_id = o.entity_id AND p.status = 'pending' AND p.id < o.id))
				ORDER BY c.served_at, c.tenant_id LIMIT 1`, r.Owner, now, now, now).Scan(&tenantID)
			if err != nil {
				if errors.Is(err, sql.ErrNoRows) {
					return nil
				}
				return wrap(err, "find a store with due outbox rows")
			}
		}
		res, err := t.q.ExecContext(ctx, `UPDATE platform_connections SET lease_owner = ?, lease_expires_at = ?
			WHERE tenant_id = ? AND state = 'active' AND (lease_owner = ? OR lease_expires_at <= ?)`,
			r.Owner, until, tenantID, r.Owner, now)
		if err != nil {
			return wrap(err, "lease store %d", tenantID)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return wrap(err, "lease store %d", tenantID) // lost to another owner, or paused: nothing claimed
		}
		c, err := scanConnection(t.q.QueryRowContext(ctx, `SELECT `+connectionColumns+` FROM platform_connections WHERE tenant_id = ?`, tenantID))
		if err != nil {
			return wrap(err, "the platform connection of store %d", tenantID)
		}
		rows, err := t.q.QueryContext(ctx, `
			UPDATE outbox SET attempts = attempts + 1, lease_owner = ?, lease_expires_at = ?
			WHERE id IN (
				SELECT o.id FROM outbox o
				WHERE o.tenant_id = ? AND o.status = 'pending' AND o.next_attempt_at <= ? AND o.lease_expires_at <= ?
					AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.tenant_id = o.tenant_id AND p.entity_type = o.entity_type
						AND p.entity_id = o.entity_id AND p.status = 'pending' AND p.id < o.id)
				ORDER BY o.id LIMIT ?)
			RETURNING `+outboxRowColumns, r.Owner, until, tenantID, now, now, r.Limit)
		if err != nil {
			return wrap(err, "claim the outbox rows of store %d", tenantID)
		}
		claimed, err := collect(rows, scanOutboxRow, "claim outbox rows")
		if err != nil {
			return err
		}
		slices.SortFunc(claimed, func(a, b guild.OutboxRow) int { return int(a.ID - b.ID) })
		out = guild.Claim{Connection: c, Rows: claimed}
		return nil
	})
	return out, err
}

// FinishOutbox records delivery results of rows leased to owner.
func (s *Store) FinishOutbox(ctx context.Context, owner string, tenantID int64, results []guild.OutboxResult, now time.Time) error {
	n := micros(now)
	return s.queue(ctx, func(t *tx) error {
		for _, res := range results {
			var q string
			var args []any
			state, synced := "", int64(0)
			switch {
			case res.Release:
				q = `UPDATE outbox SET lease_owner = '', lease_expires_at = 0, attempts = max(attempts - 1, 0)`
			case res.Status == guild.OutboxDone:
				q, args = `UPDATE outbox SET status = 'done', delivered_at = ?, lease_owner = '', lease_expires_at = 0, last_error = ''`, []any{n}
				state, synced = guild.SyncInSync, n
			case res.Status == guild.OutboxPending:
				q, args = `UPDATE outbox SET next_attempt_at = ?, last_error = ?, lease_owner = '', lease_expires_at = 0`, []any{micros(res.At), res.Error}
				state = guild.SyncPending
			case res.Status == guild.OutboxDead:
				q, args = `UPDATE outbox SET status = 'dead', last_error = ?, lease_owner = '', lease_expires_at = 0`, []any{res.Error}
				state = guild.SyncFailed
			default:
				return guild.Errorf(guild.EInvalid, "outbox row %d: unknown result status %q", res.ID, res.Status)
			}
			q += ` WHERE id = ? AND tenant_id = ? AND status = 'pending' AND lease_owner = ? RETURNING entity_type, entity_id`
			args = append(args, res.ID, tenantID, owner)
			var k guild.EntityKey
			err := t.q.QueryRowContext(ctx, q, args...).Scan(&k.EntityType, &k.EntityID)
			if errors.Is(err, sql.ErrNoRows) {
				continue // the lease was lost: another owner has the row now
			}
			if err != nil {
				return wrap(err, "finish outbox row %d", res.ID)
			}
			if state == "" {
				continue
			}
			if _, err := t.q.ExecContext(ctx, upsertSyncEntity, tenantID, k.EntityType, k.EntityID, state, synced, res.Error, n); err != nil {
				return wrap(err, "save the sync state of %s %d", k.EntityType, k.EntityID)
			}
		}
		return nil
	})
}

// PauseConnection pauses the tenant's active connection.
func (s *Store) PauseConnection(ctx context.Context, tenantID int64, reason, lastError string, now time.Time) error {
	return s.queue(ctx, func(t *tx) error {
		_, err := t.q.ExecContext(ctx, `UPDATE platform_connections SET state = 'paused', paused_reason = ?, last_error = ?,
			updated_at = ?, lease_owner = '', lease_expires_at = 0, served_at = ? WHERE tenant_id = ? AND state = 'active'`,
			reason, lastError, micros(now), micros(now), tenantID)
		return wrap(err, "pause the platform connection of store %d", tenantID)
	})
}

// ReleaseTenant gives up owner's delivery lease of the tenant.
func (s *Store) ReleaseTenant(ctx context.Context, owner string, tenantID int64, now time.Time) error {
	return s.queue(ctx, func(t *tx) error {
		_, err := t.q.ExecContext(ctx, `UPDATE platform_connections SET lease_owner = '', lease_expires_at = 0, served_at = ?
			WHERE tenant_id = ? AND lease_owner = ?`, micros(now), tenantID, owner)
		return wrap(err, "release store %d", tenantID)
	})
}

// PruneOutbox deletes old done and superseded rows, never the newest row:
// SQLite hands out max(id)+1, so deleting it would reuse its id.
func (s *Store) PruneOutbox(ctx context.Context, before time.Time, limit int) (int, error) {
	if limit <= 0 {
		return 0, fmt.Errorf("sqlite: prune the outbox: limit must be positive")
	}
	var n int64
	err := s.queue(ctx, func(t *tx) error {
		res, err := t.q.ExecContext(ctx, `DELETE FROM outbox WHERE id IN (
			SELECT id FROM outbox WHERE status IN ('done', 'superseded') AND created_at < ?
				AND id < (SELECT max(id) FROM outbox) LIMIT ?)`, micros(before), limit)
		if err != nil {
			return wrap(err, "prune the outbox")
		}
		n, err = res.RowsAffected()
		return wrap(err, "prune the outbox")
	})
	return int(n), err
}
