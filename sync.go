package guild

import (
	"context"
	"time"
)

// Outbox row states. A row is written pending; the dispatcher leases it
// (still pending, with a lease owner and expiry), then marks it done, puts it
// back to pending at a later time (a retry) or dead-letters it. Rows pending
// when a store is first connected are superseded by the initial sync.
const (
	OutboxPending    = "pending"
	OutboxDone       = "done"
	OutboxDead       = "dead"
	OutboxSuperseded = "superseded"
)

// Platform connection states.
const (
	ConnectionActive       = "active"
	ConnectionPaused       = "paused" // PausedReason says why; reconnecting resumes it
	ConnectionDisconnected = "disconnected"
)

// Reasons of a paused connection.
const (
	// PauseUnauthorized: the platform refused the connection's credentials.
	PauseUnauthorized = "unauthorized"
	// PauseToken: the stored token does not decrypt (the secret key changed).
	PauseToken = "token"
)

// PlatformBigCommerce is the only platform Guild connects to today.
const PlatformBigCommerce = "bigcommerce"

// Per-entity sync states.
const (
	SyncInSync  = "in_sync"
	SyncPending = "pending"
	SyncFailed  = "failed"
)

// InitialSyncStages are the entity types the initial sync enqueues, in
// order: a company's customer group and a user's customer reach the platform
// before what refers to them.
var InitialSyncStages = []string{EntityCustomerGroup, EntityCompany, EntityCustomer, EntityUser, EntitySuperAdmin}

// OutboxRow is an outbox message with its delivery state.
type OutboxRow struct {
	OutboxMessage
	Status         string
	Attempts       int // deliveries begun (claims), including the one under way
	NextAttemptAt  time.Time
	LeaseOwner     string
	LeaseExpiresAt time.Time
	LastError      string
	DeliveredAt    time.Time
}

// PlatformConnection is a store's connection to its commerce platform.
type PlatformConnection struct {
	TenantID  int64
	Platform  string
	StoreHash string // the platform's store hash
	APIURL    string
	// SealedToken is the platform's API token, encrypted by internal/app; the
	// store keeps the bytes as given.
	SealedToken  []byte
	State        string
	PausedReason string
	LastError    string
	ConnectedAt  time.Time
	UpdatedAt    time.Time
	// The initial sync's progress: it enqueues the entities of
	// InitialSyncStages in order, those of SyncStage with id > SyncAfterID
	// next; an empty SyncStage means it is finished (or never ran).
	SyncStage      string
	SyncAfterID    int64
	SyncStartedAt  time.Time
	SyncFinishedAt time.Time
}

// EntityKey names one entity of a tenant.
type EntityKey struct {
	TenantID   int64
	EntityType string
	EntityID   int64
}

// SyncEntity is the sync state of one entity.
type SyncEntity struct {
	EntityKey
	State        string
	LastSyncedAt time.Time
	LastError    string
	UpdatedAt    time.Time
}

// OutboxStats counts a tenant's (or, with tenant 0, every tenant's) outbox
// rows that are not done.
type OutboxStats struct {
	Pending    int // pending and due, not leased
	Scheduled  int // pending, waiting for a retry time
	Leased     int // being delivered
	Dead       int
	OldestDue  time.Time // CreatedAt of the oldest pending row; zero if none
	PendingAll int       // every pending row (Pending + Scheduled + Leased)
}

// ClaimRequest asks for a batch of one tenant's due outbox rows.
type ClaimRequest struct {
	Owner    string    // the dispatcher worker claiming
	Now      time.Time // the claimer's clock
	LeaseFor time.Duration
	Limit    int
	// TenantID, when not 0, renews the owner's delivery lease of this tenant
	// and claims from it only; 0 takes the lease of any active tenant with
	// due rows whose lease is free, least recently served first.
	TenantID int64
}

// Claim is what ClaimOutbox handed out: rows of one tenant, each leased to
// the claimer until LeaseExpiresAt, the earliest pending row of its entity.
type Claim struct {
	Connection PlatformConnection
	Rows       []OutboxRow
}

// OutboxResult is how the delivery of one claimed row ended.
type OutboxResult struct {
	ID     int64
	Status string    // OutboxDone, OutboxPending (retry at RetryAt) or OutboxDead
	At     time.Time // RetryAt for a retry
	Error  string
	// Release gives the row back without counting the attempt (the tenant
	// was paused before the row was tried); Status is ignored.
	Release bool
}

// SyncReader holds the reads of the sync tables.
type SyncReader interface {
	// PlatformConnection returns the tenant's connection; ENotFound if it
	// never connected.
	PlatformConnection(ctx context.Context, tenantID int64) (PlatformConnection, error)
	// ListPlatformConnections lists every connection by tenant id.
	ListPlatformConnections(ctx context.Context) ([]PlatformConnection, error)
	// RemoteID returns the platform id of a local entity; ENotFound if none.
	RemoteID(ctx context.Context, k EntityKey) (int64, error)
	// RemoteIDs returns the platform ids of those of a tenant's entities of
	// one type, by local id, that have one.
	RemoteIDs(ctx context.Context, tenantID int64, entityType string, localIDs []int64) (map[int64]int64, error)
	// SyncEntity returns an entity's sync state; ENotFound if none yet.
	SyncEntity(ctx context.Context, k EntityKey) (SyncEntity, error)
	// OutboxStats counts rows that are not done at now; tenantID 0 counts
	// the rows of every tenant with a connection that is not disconnected.
	OutboxStats(ctx context.Context, tenantID int64, now time.Time) (OutboxStats, error)
	// ListOutboxRows lists a tenant's rows in a status with id > afterID, by
	// id; at most limit of them when limit > 0.
	ListOutboxRows(ctx context.Context, tenantID int64, status string, afterID int64, limit int) ([]OutboxRow, error)
	// OutboxRow returns one row of the tenant's outbox.
	OutboxRow(ctx context.Context, tenantID, id int64) (OutboxRow, error)
	// EntityOutboxCounts counts an entity's pending and dead rows.
	EntityOutboxCounts(ctx context.Context, k EntityKey) (pending, dead int, err error)
	// ListEntityIDs lists the ids of a tenant's entities of a type
	// (InitialSyncStages) greater than afterID, ascending, at most limit.
	ListEntityIDs(ctx context.Context, tenantID int64, entityType string, afterID int64, limit int) ([]int64, error)
}

// SyncWriter holds the writes of the sync tables.
type SyncWriter interface {
	// PutPlatformConnection inserts or replaces the tenant's connection; the
	// delivery lease is kept.
	PutPlatformConnection(ctx context.Context, c PlatformConnection) error
	// SupersedeOutbox marks the tenant's pending rows superseded, except
	// deletions (topics ending in ".deleted"): an initial sync, which sends
	// what exists, cannot replace them. It returns how many.
	SupersedeOutbox(ctx context.Context, tenantID int64) (int, error)
	// RequeueOutbox makes dead rows pending again, due at now with no
	// attempts: row id, or every dead row of the tenant when id is 0. It
	// returns how many; ENotFound when id names no dead row of the tenant.
	RequeueOutbox(ctx context.Context, tenantID, id int64, now time.Time) (int, error)
	PutRemoteID(ctx context.Context, k EntityKey, remoteID int64) error
	DeleteRemoteID(ctx context.Context, k EntityKey) error
	// DeleteSyncData deletes the tenant's remote ids and entity sync states
	// (connecting it to another platform store).
	DeleteSyncData(ctx context.Context, tenantID int64) error
	PutSyncEntity(ctx context.Context, e SyncEntity) error
}

// OutboxQueue is the dispatcher's side of the outbox. Each method runs in a
// transaction of its own, never inside Update.
type OutboxQueue interface {
	// ClaimOutbox takes (or renews) a tenant's delivery lease and leases up
	// to r.Limit of its due rows to r.Owner: pending, next attempt at or
	// before r.Now, no live lease, and no earlier pending row of the same
	// entity. Each claimed row's Attempts grows by one. Only one owner holds
	// a tenant's lease at a time, and a row is never leased to two owners at
	// once. No rows and no error when nothing is due.
	ClaimOutbox(ctx context.Context, r ClaimRequest) (Claim, error)
	// FinishOutbox records the results of rows leased to owner and the sync
	// state of their entities, at now. A result of a row no longer leased to
	// owner (its lease expired and another took it) is ignored.
	FinishOutbox(ctx context.Context, owner string, tenantID int64, results []OutboxResult, now time.Time) error
	// PauseConnection pauses the tenant's active connection with a reason.
	PauseConnection(ctx context.Context, tenantID int64, reason, lastError string, now time.Time) error
	// ReleaseTenant gives up owner's delivery lease of the tenant.
	ReleaseTenant(ctx context.Context, owner string, tenantID int64, now time.Time) error
	// PruneOutbox deletes done and superseded rows created before before,
	// at most limit of them, and returns how many. The newest row of the
	// outbox is always kept, so that ids are never handed out twice.
	PruneOutbox(ctx context.Context, before time.Time, limit int) (int, error)
}
