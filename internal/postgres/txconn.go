package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// txConn is the dbtx of a write transaction: its statements go to the
// transaction's connection, each preceded, in the same round trip, by the
// statements deferred until then: BEGIN, and those of tx.later and tx.lock.
// COMMIT goes with the last ones. A round trip costs more than most
// statements: an import of companies spends most of its time waiting for
// answers.
type txConn struct {
	conn *pgxpool.Conn
	// begun is set once BEGIN has been sent.
	begun bool
	// pending are the deferred statements, pendingWhat what each does (for
	// an error message).
	pending     []*pgx.QueuedQuery
	pendingWhat []string
	// broken is set when a deferred statement failed: the transaction is
	// aborted and no savepoint of a later write can restore it.
	broken bool
}

var _ dbtx = (*txConn)(nil)

// newTxConn returns the txConn of a transaction on conn that begin (BEGIN
// and its options) begins with its first statement.
func newTxConn(conn *pgxpool.Conn, begin string) *txConn {
	return &txConn{
		conn:        conn,
		pending:     []*pgx.QueuedQuery{{SQL: begin}},
		pendingWhat: []string{"begin a transaction"},
	}
}

// commit sends the pending statements and COMMIT; with nothing sent or
// pending but BEGIN, there is nothing to commit.
func (c *txConn) commit(ctx context.Context) error {
	if !c.begun && len(c.pending) == 1 {
		c.pending, c.pendingWhat = nil, nil
		return nil
	}
	b := &pgx.Batch{}
	b.Queue("COMMIT")
	br, err := c.sendPending(ctx, b)
	if err != nil {
		return err
	}
	ct, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err == nil && ct.String() == "ROLLBACK" {
		// A statement failed and fn went on: the transaction was lost.
		err = pgx.ErrTxCommitRollback
	}
	return err
}

// rollback ends a transaction that was begun and is not over, best effort:
// a connection it leaves in a transaction is closed when released.
func (c *txConn) rollback(ctx context.Context) {
	if !c.begun || c.conn.Conn().PgConn().TxStatus() == 'I' {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_, _ = c.conn.Exec(ctx, "ROLLBACK")
}

// take returns the batch of the pending statements followed by b's, and the
// number of pending ones, which are then no longer pending.
func (c *txConn) take(b *pgx.Batch) (*pgx.Batch, int, []string) {
	n, what := len(c.pending), c.pendingWhat
	full := &pgx.Batch{QueuedQueries: make([]*pgx.QueuedQuery, 0, n+len(b.QueuedQueries))}
	full.QueuedQueries = append(append(full.QueuedQueries, c.pending...), b.QueuedQueries...)
	c.pending, c.pendingWhat = nil, nil
	return full, n, what
}

// sendPending sends b after the pending statements and reads the pending
// statements' results. On an error the batch results are closed.
func (c *txConn) sendPending(ctx context.Context, b *pgx.Batch) (pgx.BatchResults, error) {
	full, n, what := c.take(b)
	c.begun = true
	br := c.conn.SendBatch(ctx, full)
	for i := range n {
		if _, err := br.Exec(); err != nil {
			_ = br.Close()
			c.broken = true
			return nil, fmt.Errorf("%s (deferred until the next statement): %w", what[i], err)
		}
	}
	return br, nil
}

// SendBatch sends b after the pending statements.
func (c *txConn) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	if len(c.pending) == 0 {
		return c.conn.SendBatch(ctx, b)
	}
	br, err := c.sendPending(ctx, b)
	if err != nil {
		return failedBatch{err}
	}
	return br
}

// Exec runs sql after the pending statements.
func (c *txConn) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if len(c.pending) == 0 {
		return c.conn.Exec(ctx, sql, args...)
	}
	b := &pgx.Batch{}
	b.Queue(sql, args...)
	br, err := c.sendPending(ctx, b)
	if err != nil {
		return pgconn.CommandTag{}, err
	}
	ct, err := br.Exec()
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	return ct, err
}

// Query runs sql after the pending statements.
func (c *txConn) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if len(c.pending) == 0 {
		return c.conn.Query(ctx, sql, args...)
	}
	b := &pgx.Batch{}
	b.Queue(sql, args...)
	br, err := c.sendPending(ctx, b)
	if err != nil {
		return nil, err
	}
	rows, err := br.Query()
	if err != nil {
		_ = br.Close()
		return nil, err
	}
	return batchRows{Rows: rows, br: br}, nil
}

// QueryRow runs sql after the pending statements.
func (c *txConn) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if len(c.pending) == 0 {
		return c.conn.QueryRow(ctx, sql, args...)
	}
	rows, err := c.Query(ctx, sql, args...)
	return firstRow{rows: rows, err: err}
}

// batchRows are the rows of the last query of a batch: closing them closes
// the batch.
type batchRows struct {
	pgx.Rows
	br pgx.BatchResults
}

func (r batchRows) Close() {
	r.Rows.Close()
	_ = r.br.Close()
}

// firstRow is a pgx.Row on rows, as pgx's own QueryRow returns.
type firstRow struct {
	rows pgx.Rows
	err  error
}

func (r firstRow) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	defer r.rows.Close()
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			return err
		}
		return pgx.ErrNoRows
	}
	if err := r.rows.Scan(dest...); err != nil {
		return err
	}
	r.rows.Close()
	return r.rows.Err()
}

// failedBatch is the pgx.BatchResults of a batch that was not sent.
type failedBatch struct{ err error }

func (f failedBatch) Exec() (pgconn.CommandTag, error) { return pgconn.CommandTag{}, f.err }
func (f failedBatch) Query() (pgx.Rows, error)         { return nil, f.err }
func (f failedBatch) QueryRow() pgx.Row                { return firstRow{err: f.err} }
func (f failedBatch) Close() error                     { return f.err }
func (f failedBatch) Tx() pgx.Tx                       { return nil }
