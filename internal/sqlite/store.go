// Package sqlite is Guild's embedded store: guild.Store on SQLite through
// modernc.org/sqlite (pure Go, no cgo).
//
// SQLite has a single writer. The store keeps one write connection, on which
// every Update runs as a BEGIN IMMEDIATE transaction (so a transaction never
// fails half-way for want of the write lock), and a separate pool of
// query-only connections for reads, which in WAL mode run concurrently with
// the writer. Other processes (the CLI while `guild serve` runs) may open the
// same file: busy_timeout makes them wait for the write lock instead of
// failing at once.
package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	guild "github.com/guild-b2b/guild"
	msqlite "modernc.org/sqlite"
)

// Options configures a Store. The zero value is ready to use.
type Options struct {
	// BusyTimeout is how long a statement waits for a lock held by another
	// connection (another process writing the same file) before it fails
	// with SQLITE_BUSY. Zero means 5 seconds.
	BusyTimeout time.Duration
	// ReadConns is the number of connections in the read pool. Zero means
	// max(4, GOMAXPROCS).
	ReadConns int

	// candidateLimit overrides defaultCandidateLimit; negative turns the
	// candidate plans of the company list off (for tests of both plans).
	candidateLimit int
}

// Store is guild.Store on a SQLite database file.
type Store struct {
	reader
	w          *sql.DB   // the single write connection's pool
	wc         *sql.Conn // that connection, held for the store's life
	writer     chan struct{}
	r          *sql.DB // the read pool
	readStmts  *stmtCache
	writeStmts *stmtCache
	tokens     *tokenCache // nil when the WAL index cannot be read
	now        func() time.Time
}

var _ guild.Store = (*Store)(nil)

// Open opens (creating it and its parent directory when needed) the SQLite
// database at path, applies pending migrations and returns the store.
func Open(ctx context.Context, path string, opts Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("sqlite: the database path is empty")
	}
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("sqlite: the database path %q must not contain '?' or '#'", path)
	}
	if opts.BusyTimeout <= 0 {
		opts.BusyTimeout = 5 * time.Second
	}
	if opts.ReadConns <= 0 {
		opts.ReadConns = max(4, runtime.GOMAXPROCS(0))
	}
	if opts.candidateLimit == 0 {
		opts.candidateLimit = defaultCandidateLimit
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("sqlite: create the database directory: %w", err)
	}

	drv, err := newDriver()
	if err != nil {
		return nil, err
	}
	w := sql.OpenDB(connector{drv: drv, dsn: dsn(path, opts, true)})
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	if err := w.PingContext(ctx); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	if err := migrate(ctx, w); err != nil {
		_ = w.Close()
		return nil, fmt.Errorf("sqlite: migrate %s: %w", path, err)
	}
	// Refresh the query planner's statistics where they are missing or
	// stale (bounded work: optimize limits its ANALYZE). Best effort: a
	// failure (another process holding the write lock) costs at most a
	// worse query plan until the next open or close.
	_, _ = w.ExecContext(ctx, "PRAGMA optimize=0x10002")

	r := sql.OpenDB(connector{drv: drv, dsn: dsn(path, opts, false)})
	r.SetMaxOpenConns(opts.ReadConns)
	r.SetMaxIdleConns(opts.ReadConns)
	r.SetConnMaxLifetime(0)
	r.SetConnMaxIdleTime(0)
	if err := r.PingContext(ctx); err != nil {
		_ = r.Close()
		_ = w.Close()
		return nil, fmt.Errorf("sqlite: open %s for reading: %w", path, err)
	}

	wc, err := w.Conn(ctx)
	if err != nil {
		_ = r.Close()
		_ = w.Close()
		return nil, fmt.Errorf("sqlite: open %s for writing: %w", path, err)
	}
	s := &Store{w: w, wc: wc, r: r, now: time.Now, writer: make(chan struct{}, 1)}
	s.readStmts = newStmtCache(r.PrepareContext)
	s.writeStmts = newStmtCache(wc.PrepareContext)
	s.reader = reader{q: cachedQueryer{q: r, cache: s.readStmts}, snapshot: s.readSnapshot, candidateLimit: opts.candidateLimit}
	// Without a readable WAL index the store works as well, only without
	// its token cache.
	if watch, err := openWALWatch(path); err == nil {
		s.tokens = newTokenCache(watch)
	}
	return s, nil
}

// TokenWithTenant is the reader's TokenWithTenant through the token cache
// (tokencache.go).
func (s *Store) TokenWithTenant(ctx context.Context, secretHash []byte) (guild.Token, guild.Tenant, error) {
	if s.tokens == nil {
		return s.reader.TokenWithTenant(ctx, secretHash)
	}
	return s.tokens.get(ctx, secretHash, s.reader.TokenWithTenant)
}

// dsn returns the data source name of the write connection (writer) or of a
// read connection. journal_mode=WAL is persistent in the file, so only the
// writer, which opens first, sets it.
func dsn(path string, opts Options, writer bool) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(opts.BusyTimeout.Milliseconds(), 10)+")")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// Statement journals and sorts stay in memory, not in temporary files.
	q.Add("_pragma", "temp_store(MEMORY)")
	if writer {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "query_only(1)")
		// Readers map the file instead of copying each page they read
		// (a point read of a large file misses SQLite's page cache).
		q.Add("_pragma", "mmap_size(4294967296)")
	}
	return path + "?" + q.Encode()
}

// connector opens connections of one DSN on the store's own driver, whose
// SQL functions are registered on it alone (nothing process-global).
type connector struct {
	drv *msqlite.Driver
	dsn string
}

func (c connector) Connect(context.Context) (driver.Conn, error) { return c.drv.Open(c.dsn) }
func (c connector) Driver() driver.Driver                        { return c.drv }

// readSnapshot runs fn in a read transaction of the read pool, so that the
// several queries of one read see one consistent state.
func (s *Store) readSnapshot(ctx context.Context, fn func(q queryer) error) error {
	tx, err := s.r.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin read transaction: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	return fn(cachedQueryer{q: tx, cache: s.readStmts, bind: tx.StmtContext})
}

// Update runs fn in one write transaction (BEGIN IMMEDIATE on the single
// write connection) and commits it when fn returns nil. An error or a panic
// in fn rolls everything back; a panic is returned as an error. fn must not
// call Update itself: the write connection is taken until fn returns.
func (s *Store) Update(ctx context.Context, fn func(ctx context.Context, tx guild.Tx) error) error {
	select {
	case s.writer <- struct{}{}:
	case <-ctx.Done():
		return fmt.Errorf("sqlite: waiting for the write connection: %w", context.Cause(ctx))
	}
	defer func() { <-s.writer }()
	// The write connection is used directly, not through database/sql's
	// transactions, so that its prepared statements outlive a transaction.
	if _, err := s.wc.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("sqlite: begin write transaction: %w", err)
	}
	done := false
	defer func() {
		if !done {
			_, _ = s.wc.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
		}
	}()
	q := cachedQueryer{q: s.wc, cache: s.writeStmts}
	t := &tx{reader: reader{q: q, candidateLimit: s.candidateLimit}, now: s.now}
	t.snapshot = func(_ context.Context, fn func(q queryer) error) error { return fn(q) }
	if err := run(ctx, fn, t); err != nil {
		return err
	}
	if _, err := s.wc.ExecContext(ctx, "COMMIT"); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	done = true
	return nil
}

// run calls fn and turns a panic into an error.
func run(ctx context.Context, fn func(ctx context.Context, tx guild.Tx) error, t *tx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			stack := debug.Stack()
			if e, ok := r.(error); ok {
				err = fmt.Errorf("sqlite: transaction rolled back after a panic: %w\n%s", e, stack)
				return
			}
			err = fmt.Errorf("sqlite: transaction rolled back after a panic: %v\n%s", r, stack)
		}
	}()
	return fn(ctx, t)
}

// Close closes the read pool and the write connection.
func (s *Store) Close() error {
	s.readStmts.close()
	s.writeStmts.close()
	if s.tokens != nil {
		_ = s.tokens.watch.close()
	}
	rerr := s.r.Close()
	// Let SQLite refresh its query-planner statistics where they are stale
	// (best effort, as at open).
	_, _ = s.wc.ExecContext(context.Background(), "PRAGMA optimize")
	_ = s.wc.Close()
	werr := s.w.Close()
	if err := errors.Join(rerr, werr); err != nil {
		return fmt.Errorf("sqlite: close: %w", err)
	}
	return nil
}

// tx is guild.Tx on the write transaction.
type tx struct {
	reader
	now func() time.Time
}

var _ guild.Tx = (*tx)(nil)

// queryer is what both *sql.DB and *sql.Tx offer.
type queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// reader implements guild.Reader on a queryer: the read pool on a Store, the
// write transaction on a Tx (so that a Tx reads its own writes).
type reader struct {
	q queryer
	// snapshot runs fn on one consistent state, for reads of several queries.
	snapshot func(ctx context.Context, fn func(q queryer) error) error
	// candidateLimit is the candidate limit of the company list; <= 0: none.
	candidateLimit int
}

var _ guild.Reader = reader{}
