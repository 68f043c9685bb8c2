-- +goose Up
-- Issue 5 (inbound import): find Guild's entity of a platform id, inside the
-- import's transactions, so that concurrent imports never create one twice.
CREATE INDEX remote_ids_by_remote ON remote_ids(tenant_id, entity_type, remote_id, local_id);

-- +goose Down
DROP INDEX remote_ids_by_remote;
