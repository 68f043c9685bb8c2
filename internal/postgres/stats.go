package postgres

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// statsCheckEvery is how many write statements a Store commits between two
// checks of the tables' statistics.
const statsCheckEvery = 2000

// statsUpkeep analyzes the tables whose statistics are stale, as autovacuum
// would, soon after this store's writes made them so.
//
// pgx prepares each statement once per connection, and after a few runs
// PostgreSQL keeps a generic plan of it, costed on the statistics and sizes
// of that moment, until the statistics of a table it reads change. A
// database filled from empty (an import) thus keeps plans made for empty
// tables: without statistics, a lookup by id or by email may go through an
// index on tenant_id alone and read every row of the tenant, which made a
// company import slow down to a crawl (each company reading all the
// tenant's users). Autovacuum's ANALYZE replaces those plans when it runs;
// it may run minutes late, or never (autovacuum = off). So after every
// statsCheckEvery writes the store itself analyzes the tables that
// autovacuum would: those with more changed rows since their last analysis
// than autovacuum_analyze_threshold + autovacuum_analyze_scale_factor × rows.
// The check runs in the background and costs one query on
// pg_stat_user_tables; an ANALYZE reads a sample of a table, whatever its
// size.
type statsUpkeep struct {
	pool    *pgxpool.Pool
	writes  atomic.Int64
	running atomic.Bool
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup
}

func (u *statsUpkeep) init(pool *pgxpool.Pool) {
	u.pool = pool
	u.ctx, u.cancel = context.WithCancel(context.Background())
}

// close stops a check under way and waits for it.
func (u *statsUpkeep) close() {
	u.cancel()
	u.wg.Wait()
}

// wrote counts n committed write statements and starts a check when their
// number since the last one reaches statsCheckEvery.
func (u *statsUpkeep) wrote(n int) {
	if u.writes.Add(int64(n)) < statsCheckEvery || !u.running.CompareAndSwap(false, true) {
		return
	}
	u.writes.Store(0)
	u.wg.Add(1)
	go func() {
		defer u.wg.Done()
		defer u.running.Store(false)
		// Best effort: a failure (a role that may not analyze, the store
		// closing) leaves the statistics to autovacuum, as without upkeep.
		_ = u.analyzeStale(u.ctx)
	}()
}

// analyzeStale analyzes the tables of the current schema whose statistics
// autovacuum would refresh.
func (u *statsUpkeep) analyzeStale(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	rows, err := u.pool.Query(ctx, `
		SELECT format('%I.%I', s.schemaname, s.relname)
		FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
		WHERE s.schemaname = current_schema()
			AND s.n_mod_since_analyze > current_setting('autovacuum_analyze_threshold')::float8
				+ current_setting('autovacuum_analyze_scale_factor')::float8 * greatest(c.reltuples, 0)`)
	if err != nil {
		return err
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(tables) == 0 {
		return err
	}
	_, err = u.pool.Exec(ctx, "ANALYZE "+strings.Join(tables, ", "))
	return err
}
