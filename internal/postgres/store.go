// Package postgres is Guild's scale-out store: guild.Store on PostgreSQL
// through pgx v5 and its connection pool.
//
// Several `guild serve` replicas may share one database. Every Update runs
// as a SERIALIZABLE transaction and is retried when PostgreSQL reports a
// serialization failure or a deadlock, so that internal/app's
// read-check-write transactions behave as they do on SQLite, whose single
// writer runs them one after another (see tx.go). Reads outside a
// transaction that take several queries run in one REPEATABLE READ,
// READ ONLY snapshot.
//
// Times are stored as unix microseconds, as on SQLite, so both stores keep
// and compare them identically.
package postgres

import (
	"context"
	"fmt"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Options configures a Store. The zero value is ready to use.
type Options struct {
	// MaxConns is the most connections the pool opens; 0 means pgxpool's
	// default (the larger of 4 and the number of CPUs).
	MaxConns int32
}

// Store is guild.Store on a PostgreSQL database.
type Store struct {
	reader
	pool *pgxpool.Pool
}

var _ guild.Store = (*Store)(nil)

// Open connects to the database at url (a postgres:// URL or a keyword/value
// connection string) and checks that it answers. It does not migrate: run
// Migrate first.
func Open(ctx context.Context, url string, opts Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse the database URL: %w", err)
	}
	if opts.MaxConns < 0 {
		return nil, fmt.Errorf("postgres: MaxConns must be 0 (the default) or more, not %d", opts.MaxConns)
	}
	if opts.MaxConns > 0 {
		cfg.MaxConns = opts.MaxConns
		cfg.MinConns = min(cfg.MinConns, cfg.MaxConns)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: create the connection pool: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connect to %s:%d/%s: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database, err)
	}
	s := &Store{pool: pool}
	s.reader = reader{db: pool, pool: pool}
	return s, nil
}

// Close closes the pool, waiting for the connections in use to be released.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// dbtx is what a pool, a transaction and a savepoint offer alike.
type dbtx interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// reader implements guild.Reader on a dbtx: the pool on a Store, the
// transaction on a Tx (so that a Tx reads its own writes).
type reader struct {
	db dbtx
	// pool is set on a Store: reads of several queries then take a snapshot
	// of their own. It is nil inside a transaction.
	pool *pgxpool.Pool
	// state is set inside a transaction: it remembers a serialization
	// failure that fn might swallow, so that Update retries anyway.
	state *txState
}

var _ guild.Reader = reader{}

// snapshot runs fn with a reader that sees one consistent state of the
// database: the transaction itself inside an Update, else a REPEATABLE READ,
// READ ONLY transaction of its own.
func (r reader) snapshot(ctx context.Context, fn func(r reader) error) error {
	if r.pool == nil {
		return fn(r)
	}
	tx, err := r.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("postgres: begin a read snapshot: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if err := fn(reader{db: tx}); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: end a read snapshot: %w", err)
	}
	return nil
}

// fail maps err (see wrap) and, inside a transaction, remembers a
// serialization failure or deadlock so that Update retries fn.
func (r reader) fail(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	if r.state != nil && retryable(err) && r.state.retry == nil {
		r.state.retry = err
	}
	return wrap(err, format, args...)
}

// micros converts t to unix microseconds; the zero time is 0.
func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

// fromMicros converts unix microseconds to a UTC time; 0 is the zero time.
func fromMicros(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

// orNow returns t, or the current time when t is zero.
func orNow(t time.Time) time.Time {
	if t.IsZero() {
		return time.Now()
	}
	return t
}

// exact returns t as the store keeps it: microseconds, UTC.
func exact(t time.Time) time.Time { return fromMicros(micros(t)) }

// orEmpty returns s, or an empty non-nil slice for a nil s: a NOT NULL array
// column takes '{}', where pgx would send NULL for a nil slice.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// orNil returns s, or nil when it is empty, as the SQLite store returns
// empty lists.
func orNil[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}
