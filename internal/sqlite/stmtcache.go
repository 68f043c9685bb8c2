package sqlite

import (
	"context"
	"database/sql"
	"sync"
)

// maxCachedStmts bounds a statement cache: list queries are built from
// their filters, and an unbounded cache would keep every variant.
const maxCachedStmts = 512

// stmtCache keeps prepared statements by SQL text. Parsing and planning a
// statement costs more than running it on a small table (a third of a
// company create was spent in sqlite3_prepare before this cache).
type stmtCache struct {
	mu      sync.Mutex
	prepare func(ctx context.Context, query string) (*sql.Stmt, error)
	stmts   map[string]*sql.Stmt
}

func newStmtCache(prepare func(ctx context.Context, query string) (*sql.Stmt, error)) *stmtCache {
	return &stmtCache{prepare: prepare, stmts: map[string]*sql.Stmt{}}
}

// get returns the cached statement of query, preparing it on first use; nil
// when the cache is full or preparing failed (the caller then runs the
// query unprepared, which reports any error).
func (c *stmtCache) get(ctx context.Context, query string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.stmts[query]; ok {
		return st
	}
	if len(c.stmts) >= maxCachedStmts {
		return nil
	}
	st, err := c.prepare(ctx, query)
	if err != nil {
		return nil
	}
	c.stmts[query] = st
	return st
}

// close closes every cached statement.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q, st := range c.stmts {
		_ = st.Close()
		delete(c.stmts, q)
	}
}

// cachedQueryer runs queries through a statement cache. bind adapts a
// cached statement to where the query runs (a transaction's connection);
// nil runs it as is.
type cachedQueryer struct {
	q     queryer
	cache *stmtCache
	bind  func(ctx context.Context, st *sql.Stmt) *sql.Stmt
}

func (c cachedQueryer) stmt(ctx context.Context, query string) *sql.Stmt {
	st := c.cache.get(ctx, query)
	if st != nil && c.bind != nil {
		st = c.bind(ctx, st)
	}
	return st
}

func (c cachedQueryer) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := c.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return c.q.ExecContext(ctx, query, args...)
}

func (c cachedQueryer) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := c.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return c.q.QueryContext(ctx, query, args...)
}

func (c cachedQueryer) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := c.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.q.QueryRowContext(ctx, query, args...)
}
