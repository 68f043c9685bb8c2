package sqlite

import (
	"context"
	"encoding/json"

	guild "github.com/guild-b2b/guild"
)

// ListOutbox lists a tenant's outbox messages with id > afterID by
// ascending id; limit <= 0 means no limit.
func (r reader) ListOutbox(ctx context.Context, tenantID, afterID int64, limit int) ([]guild.OutboxMessage, error) {
	rows, err := r.q.QueryContext(ctx, `
		SELECT id, tenant_id, topic, entity_type, entity_id, payload, created_at FROM outbox
		WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?`, tenantID, afterID, limitArg(limit))
	if err != nil {
		return nil, wrap(err, "list outbox")
	}
	return collect(rows, func(sc scanner) (guild.OutboxMessage, error) {
		var m guild.OutboxMessage
		var payload string
		var created int64
		err := sc.Scan(&m.ID, &m.TenantID, &m.Topic, &m.EntityType, &m.EntityID, &payload, &created)
		m.Payload, m.CreatedAt = json.RawMessage(payload), fromMicros(created)
		return m, err
	}, "list outbox")
}

// Enqueue appends messages to the outbox, in order; a zero CreatedAt is now
// and an empty payload is JSON null.
func (t *tx) Enqueue(ctx context.Context, msgs ...guild.OutboxMessage) error {
	if len(msgs) == 0 {
		return nil
	}
	now := t.now()
	for _, m := range msgs {
		created := m.CreatedAt
		if created.IsZero() {
			created = now
		}
		payload := string(m.Payload)
		if len(m.Payload) == 0 {
			payload = "null"
		}
		if !json.Valid([]byte(payload)) {
			return guild.Errorf(guild.EInvalid, "the payload of outbox message %s of %s %d is not JSON", m.Topic, m.EntityType, m.EntityID)
		}
		if _, err := t.q.ExecContext(ctx, `
			INSERT INTO outbox (tenant_id, topic, entity_type, entity_id, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			m.TenantID, m.Topic, m.EntityType, m.EntityID, payload, micros(created)); err != nil {
			return wrap(err, "enqueue %s of %s %d", m.Topic, m.EntityType, m.EntityID)
		}
	}
	return nil
}
