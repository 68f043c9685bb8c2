-- +goose Up
-- Issue 5: the outbox's delivery state, platform connections, remote ids and
-- per-entity sync state. Existing rows start pending: they are kept, not
-- delivered, until their store is connected (see docs/operations.md).
ALTER TABLE outbox ADD COLUMN status           TEXT    NOT NULL DEFAULT 'pending';
ALTER TABLE outbox ADD COLUMN attempts         INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_attempt_at  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN lease_owner      TEXT    NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN lease_expires_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN last_error       TEXT    NOT NULL DEFAULT '';
ALTER TABLE outbox ADD COLUMN delivered_at     INTEGER NOT NULL DEFAULT 0;
CREATE INDEX outbox_pending ON outbox(tenant_id, id) WHERE status = 'pending';
CREATE INDEX outbox_pending_entity ON outbox(tenant_id, entity_type, entity_id, id) WHERE status = 'pending';
CREATE INDEX outbox_dead ON outbox(tenant_id, id) WHERE status = 'dead';
CREATE INDEX outbox_finished ON outbox(created_at) WHERE status IN ('done', 'superseded');

CREATE TABLE platform_connections (
    tenant_id        INTEGER PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
    platform         TEXT    NOT NULL,
    store_hash       TEXT    NOT NULL,
    api_url          TEXT    NOT NULL,
    sealed_token     BLOB    NOT NULL,
    state            TEXT    NOT NULL,
    paused_reason    TEXT    NOT NULL DEFAULT '',
    last_error       TEXT    NOT NULL DEFAULT '',
    connected_at     INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    sync_stage       TEXT    NOT NULL DEFAULT '',
    sync_after_id    INTEGER NOT NULL DEFAULT 0,
    sync_started_at  INTEGER NOT NULL DEFAULT 0,
    sync_finished_at INTEGER NOT NULL DEFAULT 0,
    -- The delivery lease: one dispatcher worker delivers a tenant's rows at a time.
    lease_owner      TEXT    NOT NULL DEFAULT '',
    lease_expires_at INTEGER NOT NULL DEFAULT 0,
    served_at        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE remote_ids (
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    entity_type TEXT    NOT NULL,
    local_id    INTEGER NOT NULL,
    remote_id   INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, entity_type, local_id)
);

CREATE TABLE sync_entities (
    tenant_id      INTEGER NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
    entity_type    TEXT    NOT NULL,
    entity_id      INTEGER NOT NULL,
    state          TEXT    NOT NULL,
    last_synced_at INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT    NOT NULL DEFAULT '',
    updated_at     INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, entity_type, entity_id)
);

-- +goose Down
DROP TABLE sync_entities;
DROP TABLE remote_ids;
DROP TABLE platform_connections;
DROP INDEX outbox_finished;
DROP INDEX outbox_dead;
DROP INDEX outbox_pending_entity;
DROP INDEX outbox_pending;
ALTER TABLE outbox DROP COLUMN delivered_at;
ALTER TABLE outbox DROP COLUMN last_error;
ALTER TABLE outbox DROP COLUMN lease_expires_at;
ALTER TABLE outbox DROP COLUMN lease_owner;
ALTER TABLE outbox DROP COLUMN next_attempt_at;
ALTER TABLE outbox DROP COLUMN attempts;
ALTER TABLE outbox DROP COLUMN status;
