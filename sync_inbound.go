package guild

import "context"

// RemoteIDEntry is one remote id of a tenant's entity: LocalID is Guild's
// id, RemoteID the platform's.
type RemoteIDEntry struct {
	LocalID  int64
	RemoteID int64
}

// SyncInboundReader holds the reads of the inbound import and the
// reconcile, which compare a whole store with its platform.
type SyncInboundReader interface {
	// ListRemoteIDs lists the remote ids of a tenant's entities of a type
	// with local id > afterID, by local id; at most limit when limit > 0.
	// Entries whose entity no longer exists are listed too.
	ListRemoteIDs(ctx context.Context, tenantID int64, entityType string, afterID int64, limit int) ([]RemoteIDEntry, error)
	// LocalIDByRemoteID returns the local id of the tenant's entity of a type
	// that has remoteID (the lowest, should several have it); ENotFound if
	// none.
	LocalIDByRemoteID(ctx context.Context, tenantID int64, entityType string, remoteID int64) (int64, error)
	// ListAccountCustomers lists the tenant's customers that back a company
	// user or a super admin, with id > afterID, by id; at most limit when
	// limit > 0. Each is listed once, also when it backs both.
	ListAccountCustomers(ctx context.Context, tenantID, afterID int64, limit int) ([]Customer, error)
}
