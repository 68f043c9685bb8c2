// Package outbox delivers the outbox to a connected platform: workers claim
// a store's due rows under a lease, hand them to a Handler outside any
// transaction, and record each row's outcome: done, retry at a persisted time
// (exponential backoff with jitter, or the handler's time), or dead letter
// after MaxAttempts. See docs/operations.md for the design.
package outbox

import (
	"context"
	"time"

	guild "github.com/guild-b2b/guild"
)

// Outcome is how the delivery of one row ended.
type Outcome int

// The outcomes.
const (
	// Retry delivers the row again later: at Result.RetryAt if set, else
	// after the dispatcher's backoff. It is dead-lettered instead when it
	// has had MaxAttempts attempts.
	Retry Outcome = iota
	// Done: the platform has the change.
	Done
	// DeadLetter gives up on the row at once (the platform refused it for
	// good); an operator can requeue it (`guild sync retry`).
	DeadLetter
)

// Result is the outcome of one row.
type Result struct {
	Outcome Outcome
	RetryAt time.Time // Retry only; zero means the dispatcher's backoff
	Err     error     // why, for Retry and DeadLetter
}

// Connection is the platform a batch goes to, with its token in clear.
type Connection struct {
	Platform  string
	StoreHash string
	APIURL    string
	Token     string
}

// Batch is the rows of one store a Handler delivers at once: at most
// Options.BatchSize of them, in outbox order, never two of one entity.
type Batch struct {
	TenantID   int64
	Connection Connection
	Rows       []guild.OutboxRow
}

// Report is a Handler's answer for a batch.
type Report struct {
	// Results are aligned with Batch.Rows. A row without a result (Results
	// shorter than Rows) is retried; if the dispatcher is shutting down it
	// is left leased, and delivered again once its lease expires.
	Results []Result
	// Pause, when set, pauses the store's connection (the platform refused
	// its credentials, say): rows without a result are given back without
	// counting the attempt, and nothing more is delivered for the store
	// until it is connected again.
	Pause *Pause
}

// Pause says why a store's deliveries stop.
type Pause struct {
	Reason string // guild.PauseUnauthorized, ...
	Err    error
}

// Handler delivers batches; the connector implements it. Deliver runs
// outside any database transaction, with a context that ends before the
// rows' lease does. One store's batches are delivered one at a time, by one
// worker of one replica (the store's delivery lease), so a Handler can pace
// itself per store in memory.
//
// Delivery is at least once: a row whose outcome was not recorded (a crash,
// a lost lease) is delivered again, and the initial sync sends *.created
// rows for entities the platform may already have. So a Handler must be
// idempotent: upsert (look up by email or remote id before creating), and
// take a delete of something the platform does not have as done. Remote ids
// are kept by local id (guild.SyncWriter.PutRemoteID), and SQLite hands the
// id of the last deleted row out again: a Handler forgets an entity's remote
// id when it delivers its delete, so that a new entity with the same id is
// created, not mistaken for the old one.
type Handler interface {
	Deliver(ctx context.Context, b Batch) Report
}

// HandlerFunc is a function as a Handler.
type HandlerFunc func(ctx context.Context, b Batch) Report

// Deliver calls f.
func (f HandlerFunc) Deliver(ctx context.Context, b Batch) Report { return f(ctx, b) }
