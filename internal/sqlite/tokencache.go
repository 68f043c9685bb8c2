package sqlite

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"sync"
	"sync/atomic"

	guild "github.com/guild-b2b/guild"
)

// Every API request authenticates, and on a point read such as the company
// detail the token's statement costs a fifth of the request. The store keeps
// the tokens it has found in memory and serves them again while the database
// has not changed since: not one commit, by this process or another (the CLI
// revoking a token while `guild serve` runs). Any commit anywhere voids every
// entry, so the cache is exact, and it only pays off while the database is
// read more than written, which is when it is needed.
//
// Whether the database has changed is read from the WAL-index header at the
// start of the -shm file (https://www.sqlite.org/walformat.html): SQLite
// rewrites it on every commit, incrementing its change counter, and readers
// read it without a lock, as here. The header is kept twice; a writer writes
// the second copy, then the first, so two equal copies are a complete header.
// The file stays in place while any connection to the database is open (the
// last one to close may delete it): the store holds its write connection for
// its whole life.

const (
	walIndexHeaderSize = 48      // one copy of the WAL-index header
	walIndexVersion    = 3007000 // its iVersion field since SQLite 3.7.0
)

// walStamp is one copy of the WAL-index header: equal stamps read at two
// moments mean no transaction was committed in between.
type walStamp [walIndexHeaderSize]byte

// walWatch reads the WAL-index header of one database.
type walWatch struct {
	shm *os.File
}

// openWALWatch opens the database's -shm file for reading. The database must
// be open in WAL mode already, so that the file exists.
func openWALWatch(dbPath string) (*walWatch, error) {
	f, err := os.Open(dbPath + "-shm")
	if err != nil {
		return nil, fmt.Errorf("sqlite: open the WAL index: %w", err)
	}
	w := &walWatch{shm: f}
	if _, ok := w.stamp(); !ok {
		_ = f.Close()
		return nil, fmt.Errorf("sqlite: the WAL index of %s has no header this store can read", dbPath)
	}
	return w, nil
}

// stamp returns the current header, or false when it cannot be trusted: being
// written (the copies differ), not yet built, of another format, unreadable.
func (w *walWatch) stamp() (walStamp, bool) {
	var both [2 * walIndexHeaderSize]byte
	if n, _ := w.shm.ReadAt(both[:], 0); n != len(both) {
		return walStamp{}, false
	}
	first, second := both[:walIndexHeaderSize], both[walIndexHeaderSize:]
	const isInitOffset = 12
	if !bytes.Equal(first, second) || binary.NativeEndian.Uint32(first) != walIndexVersion || first[isInitOffset] == 0 {
		return walStamp{}, false
	}
	return walStamp(first), true
}

func (w *walWatch) close() error { return w.shm.Close() }

// tokenCache keeps TokenWithTenant's answers, each with the stamp read before
// its statement ran. Only tokens that exist are kept, so the cache holds at
// most the database's tokens.
type tokenCache struct {
	watch *walWatch
	mu    sync.RWMutex
	found map[string]tokenEntry // by secret hash
	hits  atomic.Int64          // answers served from memory, for tests
}

type tokenEntry struct {
	token  guild.Token
	tenant guild.Tenant
	stamp  walStamp
}

func newTokenCache(watch *walWatch) *tokenCache {
	return &tokenCache{watch: watch, found: map[string]tokenEntry{}}
}

// get answers from memory while the database is unchanged since the entry's
// stamp, and otherwise through load, remembering what it found.
func (c *tokenCache) get(ctx context.Context, secretHash []byte,
	load func(ctx context.Context, secretHash []byte) (guild.Token, guild.Tenant, error),
) (guild.Token, guild.Tenant, error) {
	now, trusted := c.watch.stamp()
	if trusted {
		c.mu.RLock()
		e, ok := c.found[string(secretHash)]
		c.mu.RUnlock()
		if ok && e.stamp == now {
			c.hits.Add(1)
			tok := e.token
			tok.SecretHash = bytes.Clone(tok.SecretHash)
			return tok, e.tenant, nil
		}
	}
	tok, tenant, err := load(ctx, secretHash)
	switch {
	case err == nil && trusted:
		c.mu.Lock()
		c.found[string(secretHash)] = tokenEntry{token: tok, tenant: tenant, stamp: now}
		c.mu.Unlock()
		tok.SecretHash = bytes.Clone(tok.SecretHash)
	case guild.IsNotFound(err):
		c.mu.Lock()
		delete(c.found, string(secretHash))
		c.mu.Unlock()
	}
	return tok, tenant, err
}
