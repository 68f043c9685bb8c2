package postgres

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/jackc/pgx/v5"
)

// Enqueue appends messages to the outbox, in order; CreatedAt defaults to
// now and an empty payload is JSON null. A payload that is not JSON is
// EInvalid.
//
// A reader follows a tenant's outbox by id (ListOutbox with afterID), so a
// tenant's ids must become visible in increasing order: a message must never
// commit after a message with a greater id has been read. Ids come from a
// sequence when the row is inserted, and concurrent transactions commit in
// any order; so Enqueue first takes a transaction-scoped advisory lock per
// tenant, held until commit or rollback. Writers of one tenant's outbox thus
// commit one after another from their first Enqueue on, as every writer does
// on SQLite; other tenants are not held up.
func (t *tx) Enqueue(ctx context.Context, msgs ...guild.OutboxMessage) error {
	if len(msgs) == 0 {
		return nil
	}
	var tenants []int64
	for _, m := range msgs {
		tenants = append(tenants, m.TenantID)
	}
	slices.Sort(tenants) // always locked in the same order: no deadlock between two Enqueues
	tenants = slices.Compact(tenants)
	b := &pgx.Batch{}
	for _, id := range tenants {
		b.Queue(`SELECT pg_advisory_xact_lock(hashtextextended('guild.outbox', $1))`, id)
	}
	now := time.Now()
	for _, m := range msgs {
		at := m.CreatedAt
		if at.IsZero() {
			at = now
		}
		payload := string(m.Payload)
		if len(m.Payload) == 0 {
			payload = "null"
		}
		if !json.Valid([]byte(payload)) {
			return guild.Errorf(guild.EInvalid, "the payload of outbox message %s of %s %d is not JSON", m.Topic, m.EntityType, m.EntityID)
		}
		b.Queue(`
			INSERT INTO outbox (tenant_id, topic, entity_type, entity_id, payload, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`,
			m.TenantID, m.Topic, m.EntityType, m.EntityID, payload, micros(at))
	}
	return t.write(ctx, b, "enqueue %d outbox messages", len(msgs))
}

// ListOutbox lists a tenant's outbox messages with id > afterID, by id; at
// most limit of them when limit > 0.
func (r reader) ListOutbox(ctx context.Context, tenantID, afterID int64, limit int) ([]guild.OutboxMessage, error) {
	q := `SELECT id, tenant_id, topic, entity_type, entity_id, payload, created_at FROM outbox
		WHERE tenant_id = $1 AND id > $2 ORDER BY id`
	args := []any{tenantID, afterID}
	if limit > 0 {
		args = append(args, limit)
		q += ` LIMIT $` + strconv.Itoa(len(args))
	}
	rows, err := r.db.Query(ctx, q, args...)
	msgs, err := collect(rows, err, func(sc scanner) (guild.OutboxMessage, error) {
		var m guild.OutboxMessage
		var payload string
		var created int64
		err := sc.Scan(&m.ID, &m.TenantID, &m.Topic, &m.EntityType, &m.EntityID, &payload, &created)
		m.Payload, m.CreatedAt = json.RawMessage(payload), fromMicros(created)
		return m, err
	})
	return msgs, r.fail(err, "list the outbox of store %d", tenantID)
}
