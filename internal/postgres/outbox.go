package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"time"

	guild "github.com/guild-b2b/guild"
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
//
// Nobody waits for the insert's result, and once the text is checked it
// cannot fail on the data: it is sent with the transaction's next statement
// (see tx.later), and the lock is asked for once per transaction.
func (t *tx) Enqueue(ctx context.Context, msgs ...guild.OutboxMessage) error {
	if len(msgs) == 0 {
		return nil
	}
	n := len(msgs)
	tenants, topics, types := make([]int64, n), make([]string, n), make([]string, n)
	entities, payloads, created := make([]int64, n), make([]string, n), make([]int64, n)
	now := time.Now()
	safe := true
	for i, m := range msgs {
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
		safe = safe && textOK(m.Topic, m.EntityType, payload)
		tenants[i], topics[i], types[i], entities[i], payloads[i], created[i] = m.TenantID, m.Topic, m.EntityType, m.EntityID, payload, micros(at)
	}
	locks := slices.Clone(tenants)
	slices.Sort(locks) // locked in the same order: no deadlock between two Enqueues
	for _, id := range slices.Compact(locks) {
		t.lock("guild.outbox", id)
	}
	// The ids are taken in the order of the rows inserted: the messages'.
	const insert = `
		INSERT INTO outbox (tenant_id, topic, entity_type, entity_id, payload, created_at)
		SELECT m.tenant_id, m.topic, m.entity_type, m.entity_id, m.payload, m.created_at
		FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[], $5::text[], $6::bigint[])
			WITH ORDINALITY AS m(tenant_id, topic, entity_type, entity_id, payload, created_at, n)
		ORDER BY m.n`
	args := []any{tenants, topics, types, entities, payloads, created}
	if safe && t.utf8 {
		t.later(fmt.Sprintf("enqueue %d outbox messages", n), insert, args...)
		return nil
	}
	return t.exec(ctx, nil, insert, args, "enqueue %d outbox messages", n)
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
