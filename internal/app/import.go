package app

import (
	"context"
	"fmt"

	guild "github.com/guild-b2b/guild"
)

// ImportBatch is the number of companies an import writes per transaction.
const ImportBatch = 500

// ImportError says which item of an import was refused.
type ImportError struct {
	Item int // index in the imported slice
	Err  error
}

func (e *ImportError) Error() string { return fmt.Sprintf("item %d: %v", e.Item, e.Err) }

// Unwrap returns the refusal.
func (e *ImportError) Unwrap() error { return e.Err }

// ImportCompanies creates many companies (each with its admin) with the same
// rules as the API, ImportBatch per transaction. A batch with a refused item
// writes nothing and the error is an *ImportError naming the first refused
// item; the companies of earlier batches stay created. It returns how many
// companies it created, which is always a multiple of ImportBatch on error.
func (a *App) ImportCompanies(ctx context.Context, t guild.Tenant, ins []CompanyInput) (int, error) {
	created := 0
	for lo := 0; lo < len(ins); lo += ImportBatch {
		hi := min(lo+ImportBatch, len(ins))
		batch := ins[lo:hi]
		failed := -1
		err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
			defs, err := loadCreateDefs(ctx, tx, t)
			if err != nil {
				return err
			}
			for i := range batch {
				if _, err := a.createCompany(ctx, tx, t, defs, batch[i], nil); err != nil {
					failed = i
					return err
				}
			}
			return nil
		})
		if err != nil {
			if failed >= 0 {
				return created, &ImportError{Item: lo + failed, Err: err}
			}
			return created, err
		}
		created += len(batch)
	}
	return created, nil
}
