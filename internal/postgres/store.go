// Package postgres is Guild's scale-out store: guild.Store on PostgreSQL
// through pgx v5 and its connection pool.
//
// Several `guild serve` replicas may share one database. Every Update runs
// as a READ COMMITTED transaction, serialized per tenant by LockTenant, and
// is retried when PostgreSQL reports a serialization failure or a deadlock,
// so that internal/app's read-check-write transactions behave as they do on
// SQLite, whose single writer runs them one after another (see tx.go).
//
// A read outside a transaction that takes several queries sends them in one
// batch: one round trip and one implicit transaction, which the pool's
// connections run at REPEATABLE READ, so all its queries see one snapshot.
//
// Times are stored as unix microseconds, as on SQLite, so both stores keep
// and compare them identically.
package postgres

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Options configures a Store. The zero value is ready to use.
type Options struct {
	// MaxConns is the most connections the pool opens; 0 means
	// pool_max_conns from the URL if set, else DefaultMaxConns().
	MaxConns int32
}

// DefaultMaxConns is the pool size when none is given: 4 per CPU, at least
// 16. Most of a query's time is PostgreSQL's work and the network, not this
// process's, so a server keeps more connections busy than it has CPUs. (On
// one small machine that runs PostgreSQL as well, fewer may serve more: the
// backends compete with the server for the same CPUs.)
func DefaultMaxConns() int32 {
	return int32(max(16, 4*runtime.NumCPU()))
}

// Store is guild.Store on a PostgreSQL database.
type Store struct {
	reader
	pool *pgxpool.Pool
	// utf8 is set when the database encoding is UTF8 (see tx.utf8).
	utf8  bool
	stats statsUpkeep
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
	switch {
	case opts.MaxConns > 0:
		cfg.MaxConns = opts.MaxConns
	case !strings.Contains(url, "pool_max_conns"):
		cfg.MaxConns = DefaultMaxConns()
	}
	cfg.MinConns = min(cfg.MinConns, cfg.MaxConns)
	// The queries of a batch sent outside a transaction run in one implicit
	// transaction; at REPEATABLE READ they see one snapshot (a page and its
	// total agree). Update begins its transactions READ COMMITTED itself.
	cfg.ConnConfig.RuntimeParams["default_transaction_isolation"] = "repeatable read"
	// Search texts are SQL literals (see sqlText).
	cfg.ConnConfig.RuntimeParams["standard_conforming_strings"] = "on"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: create the connection pool: %w", err)
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: connect to %s:%d/%s: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database, err)
	}
	encoding := conn.Conn().PgConn().ParameterStatus("server_encoding")
	conn.Release()
	s := &Store{pool: pool, utf8: encoding == "UTF8"}
	s.reader = reader{db: pool, pool: pool}
	s.stats.init(pool)
	return s, nil
}

// Close closes the pool, waiting for the connections in use to be released.
func (s *Store) Close() error {
	s.stats.close()
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
// READ ONLY transaction of its own, begun with fn's first statement (see
// txConn). A read of one batch needs none: the batch is one snapshot.
func (r reader) snapshot(ctx context.Context, fn func(r reader) error) error {
	if r.pool == nil {
		return fn(r)
	}
	pc, err := r.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: begin a read snapshot: %w", err)
	}
	defer pc.Release() // a connection left in a transaction is closed, not reused
	conn := newTxConn(pc, "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
	if err := fn(reader{db: conn}); err != nil {
		conn.rollback(ctx)
		return err
	}
	if err := conn.commit(ctx); err != nil {
		conn.rollback(ctx)
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
