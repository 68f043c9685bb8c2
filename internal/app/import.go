package app

import (
	"context"
	"fmt"

	guild "github.com/guild-b2b/guild"
)

// ImportBatch is the number of companies an import writes per transaction.
const ImportBatch = 500

// ImportCompanies creates many companies (each with its admin) with the same
// rules as the API, ImportBatch per transaction. A batch with a refused item
// writes nothing; the error says which items (by index in ins, plus offset)
// failed, and the companies of earlier batches stay created. It returns how
// many companies it created.
func (a *App) ImportCompanies(ctx context.Context, t guild.Tenant, ins []CompanyInput, offset int) (int, error) {
	created := 0
	for lo := 0; lo < len(ins); lo += ImportBatch {
		hi := min(lo+ImportBatch, len(ins))
		batch := ins[lo:hi]
		err := a.update(ctx, func(ctx context.Context, tx guild.Tx) error {
			defs, err := loadCreateDefs(ctx, tx, t)
			if err != nil {
				return err
			}
			return eachItem(len(batch), func(i int) error {
				_, err := a.createCompany(ctx, tx, t, defs, batch[i], nil)
				return err
			})
		})
		if err != nil {
			if ge, ok := err.(*guild.Error); ok && ge.Items != nil {
				for i, item := range ge.Items {
					if len(item) > 0 {
						return created, fmt.Errorf("item %d (and maybe later ones in its batch of %d) refused, batch not written: %v", offset+lo+i, len(batch), item)
					}
				}
			}
			return created, err
		}
		created += len(batch)
	}
	return created, nil
}
