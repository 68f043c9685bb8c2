package sqlite

import (
	"context"
	"errors"
	"fmt"
)

// atomically runs fn, a write of several statements, under a savepoint: when
// fn fails, what it wrote is undone and the transaction goes on as it was
// before, as a single statement that fails leaves it. A refused write thus
// writes nothing, on SQLite as on PostgreSQL.
func (t *tx) atomically(ctx context.Context, fn func() error) error {
	if _, err := t.q.ExecContext(ctx, `SAVEPOINT guild_write`); err != nil {
		return fmt.Errorf("sqlite: savepoint: %w", err)
	}
	if err := fn(); err != nil {
		if _, rerr := t.q.ExecContext(ctx, `ROLLBACK TO guild_write`); rerr != nil {
			return errors.Join(err, fmt.Errorf("sqlite: roll back to the savepoint: %w", rerr))
		}
		if _, rerr := t.q.ExecContext(ctx, `RELEASE guild_write`); rerr != nil {
			return errors.Join(err, fmt.Errorf("sqlite: release the savepoint: %w", rerr))
		}
		return err
	}
	if _, err := t.q.ExecContext(ctx, `RELEASE guild_write`); err != nil {
		return fmt.Errorf("sqlite: release the savepoint: %w", err)
	}
	return nil
}
