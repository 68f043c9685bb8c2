package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"

	guild "github.com/guild-b2b/guild"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Update's retry policy: how many times fn runs at most, and the cap of the
// jittered exponential pause between two runs.
const (
	maxAttempts = 10
	maxBackoff  = 100 * time.Millisecond
)

// Update runs fn in one READ COMMITTED transaction and commits it when fn
// returns nil; an error or a panic in fn rolls everything back, and a panic is
// returned as an error.
//
// internal/app checks and then writes in one transaction (a customer group
// has no company before a company takes it over; a company row is read,
// patched and written back whole). Such transactions first take the tenant's
// lock (LockTenant), so those of one tenant run one after another, as on
// SQLite, and every statement after the lock sees what the previous holder
// committed. (SERIALIZABLE was tried first: under concurrent bulk creates
// its predicate locks on the shared index pages refused most transactions,
// and ten retries were not enough.) A deadlock (40P01) or serialization
// failure (40001) still makes Update run fn again on a fresh transaction,
// up to maxAttempts times in all.
//
// A refused write (a unique violation, say) leaves the transaction usable,
// as on SQLite: a write that may fail runs under a savepoint (see write),
// the others answer the refusal as a result (see writeGuarded).
func (s *Store) Update(ctx context.Context, fn func(ctx context.Context, tx guild.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := s.updateOnce(ctx, fn)
		if err == nil || !retryable(err) {
			return err
		}
		if attempt == maxAttempts {
			return fmt.Errorf("postgres: the transaction conflicted with concurrent ones %d times; giving up: %w", maxAttempts, err)
		}
		pause := time.Duration(rand.Int64N(int64(min(maxBackoff, time.Millisecond<<attempt)))) + time.Millisecond
		select {
		case <-ctx.Done():
			return fmt.Errorf("postgres: waiting to retry a conflicting transaction: %w", context.Cause(ctx))
		case <-time.After(pause):
		}
	}
}

// updateOnce runs fn in one transaction. It returns a retryable error when
// fn (or the commit) met a serialization failure or a deadlock, even when fn
// swallowed it.
//
// BEGIN is sent with the transaction's first statement and the deferred
// statements with COMMIT (see txConn): a transaction costs no round trip of
// its own.
func (s *Store) updateOnce(ctx context.Context, fn func(ctx context.Context, tx guild.Tx) error) error {
	pc, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: begin a write transaction: %w", err)
	}
	defer pc.Release() // a connection left in a transaction is closed, not reused
	st := &txState{}
	conn := newTxConn(pc, "BEGIN ISOLATION LEVEL READ COMMITTED")
	t := &tx{reader: reader{db: conn, state: st}, conn: conn, utf8: s.utf8}
	ferr := run(ctx, fn, t)
	if st.retry != nil || ferr != nil {
		conn.rollback(ctx)
		if st.retry != nil {
			return st.retry
		}
		return ferr
	}
	if err := conn.commit(ctx); err != nil {
		conn.rollback(ctx)
		if retryable(err) {
			return err
		}
		return fmt.Errorf("postgres: commit: %w", err)
	}
	s.stats.wrote(st.writes)
	return nil
}

// run calls fn and turns a panic into an error.
func run(ctx context.Context, fn func(ctx context.Context, tx guild.Tx) error, t *tx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			stack := debug.Stack()
			if e, ok := r.(error); ok {
				err = fmt.Errorf("postgres: transaction rolled back after a panic: %w\n%s", e, stack)
				return
			}
			err = fmt.Errorf("postgres: transaction rolled back after a panic: %v\n%s", r, stack)
		}
	}()
	return fn(ctx, t)
}

// txState is what a transaction's reads and writes share.
type txState struct {
	// retry is the first serialization failure or deadlock met: the
	// transaction is lost and Update runs fn again, whatever fn returned.
	retry error
	// writes counts the write statements sent, for the statistics upkeep
	// (see Store.wrote).
	writes int
	// locked holds the advisory locks taken (tenant and outbox locks), so
	// that each is asked for once per transaction.
	locked map[lockKey]bool
}

// lockKey names a transaction-scoped advisory lock: a namespace
// ("guild.tenant", "guild.outbox") and a tenant id.
type lockKey struct {
	space string
	id    int64
}

// tx is guild.Tx on a READ COMMITTED transaction.
type tx struct {
	reader
	conn *txConn
	// utf8 is set when the database encoding is UTF8: text that is valid
	// UTF-8 without NUL characters is then known to be storable, which the
	// writes that run without a savepoint rely on (see writeGuarded).
	utf8 bool
}

var _ guild.Tx = (*tx)(nil)

// savepoint is the name of the savepoint every write runs under.
const savepoint = "guild_write"

// write sends the statements queued on b, between SAVEPOINT and RELEASE
// SAVEPOINT, in one round trip. When a statement fails, PostgreSQL aborts
// the whole transaction; write then rolls back to the savepoint, so that
// only the failed write is undone and the transaction stays usable, as
// SQLite's statement-level atomicity leaves it (internal/app reports a
// conflicting item of a bulk request and goes on checking the others).
//
// The callbacks set on b's queries may refuse a result (a missing row, say);
// the statements have all run by then, so a write must only refuse results
// of statements that changed nothing.
func (t *tx) write(ctx context.Context, b *pgx.Batch, format string, args ...any) error {
	full := &pgx.Batch{QueuedQueries: make([]*pgx.QueuedQuery, 0, len(b.QueuedQueries)+2)}
	full.Queue("SAVEPOINT " + savepoint)
	full.QueuedQueries = append(full.QueuedQueries, b.QueuedQueries...)
	full.Queue("RELEASE SAVEPOINT " + savepoint)
	t.state.writes += len(b.QueuedQueries)
	err := t.conn.SendBatch(ctx, full).Close()
	if err == nil {
		return nil
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && !retryable(err) && !t.conn.broken {
		// Only this write is undone. If the rollback fails (the connection
		// is gone, say), the transaction is lost anyway and the next
		// statement or the commit reports it.
		_, _ = t.conn.conn.Exec(ctx, "ROLLBACK TO SAVEPOINT "+savepoint+"; RELEASE SAVEPOINT "+savepoint)
	}
	return t.fail(err, format, args...)
}

// writeGuarded sends the statements queued on b as a write that cannot fail
// on the data: their SQL turns every refusal (a conflict, a missing row)
// into a result that b's callbacks read, and safe says that the text they
// carry is storable (see textOK). Such a write needs no savepoint, which
// saves PostgreSQL a subtransaction per write. When safe is false, or the
// database is not UTF8, it runs as any write, under a savepoint.
//
// A guarded statement can still fail when a concurrent transaction that did
// not take the tenant lock deletes a row it refers to in between; the
// transaction is then lost and Update returns the error.
func (t *tx) writeGuarded(ctx context.Context, safe bool, b *pgx.Batch, format string, args ...any) error {
	if !safe || !t.utf8 {
		return t.write(ctx, b, format, args...)
	}
	t.state.writes += len(b.QueuedQueries)
	return t.fail(t.conn.SendBatch(ctx, b).Close(), format, args...)
}

// later queues a write whose result nobody waits for and that cannot fail
// on the data: it is sent with the transaction's next statement (or before
// the commit), saving a round trip. Callers check its text (textOK) and,
// without a UTF8 database, send it at once instead.
func (t *tx) later(what string, sql string, args ...any) {
	t.state.writes++
	t.conn.pending = append(t.conn.pending, &pgx.QueuedQuery{SQL: sql, Arguments: args})
	t.conn.pendingWhat = append(t.conn.pendingWhat, what)
}

// lock takes a transaction-scoped advisory lock once per transaction. It is
// sent with the next statement: taking it cannot fail on the data, and
// nothing the lock protects is read or written before that statement.
func (t *tx) lock(space string, id int64) {
	k := lockKey{space, id}
	if t.state.locked[k] {
		return
	}
	if t.state.locked == nil {
		t.state.locked = make(map[lockKey]bool)
	}
	t.state.locked[k] = true
	t.conn.pending = append(t.conn.pending, &pgx.QueuedQuery{
		SQL:       `SELECT pg_advisory_xact_lock(hashtextextended($1, $2))`,
		Arguments: []any{space, id},
	})
	t.conn.pendingWhat = append(t.conn.pendingWhat, fmt.Sprintf("take the %s lock of store %d", space, id))
}

// textOK reports whether PostgreSQL stores every one of ss as it is: valid
// UTF-8 without NUL characters (in a UTF8 database).
func textOK(ss ...string) bool {
	for _, s := range ss {
		if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
			return false
		}
	}
	return true
}

// exec runs one statement as a write; check, when not nil, inspects its
// command tag (see write for what it may refuse).
func (t *tx) exec(ctx context.Context, check func(pgconn.CommandTag) error, sql string, args []any, format string, fargs ...any) error {
	b := &pgx.Batch{}
	q := b.Queue(sql, args...)
	if check != nil {
		q.Exec(func(ct pgconn.CommandTag) error { return check(ct) })
	}
	return t.write(ctx, b, format, fargs...)
}

// insertID runs, as a write, the statements queued on b (none, or checks
// whose refusal the insert is conditioned on) and then sql, which returns
// the id of the row it inserts.
func (t *tx) insertID(ctx context.Context, b *pgx.Batch, sql string, args []any, format string, fargs ...any) (int64, error) {
	var id int64
	if b == nil {
		b = &pgx.Batch{}
	}
	b.Queue(sql, args...).QueryRow(func(row pgx.Row) error { return row.Scan(&id) })
	if err := t.write(ctx, b, format, fargs...); err != nil {
		return 0, err
	}
	return id, nil
}

// queueExists queues on b a query (SELECT 1 ...) that refuses, as ENotFound,
// a result without rows.
func queueExists(b *pgx.Batch, sql string, args []any, format string, fargs ...any) {
	b.Queue(sql, args...).QueryRow(func(row pgx.Row) error {
		var one int
		err := row.Scan(&one)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound(format, fargs...)
		}
		return err
	})
}
