package postgres

import (
	"context"
	"slices"
	"strconv"

	guild "github.com/guild-b2b/guild"
	"github.com/jackc/pgx/v5"
)

// idList is a list of one table's rows by ascending id: a page, the count
// of every row that matches, and the page's extra fields when asked for.
type idList[T any] struct {
	table, columns string
	where          string // conditions on $1..$n, with args ($1 is the tenant)
	args           []any
	limit, offset  int
	scan           func(scanner) (T, error)
	// kind and fields, when withExtra, load the page's extra fields:
	// fields gives a row's id and where its values go.
	withExtra bool
	kind      guild.ExtraFieldKind
	fields    func(*T) (int64, *[]guild.ExtraFieldValue)
}

// listByID reads l on one snapshot: the page and the count are two queries
// of one round trip with the same WHERE; the page's extra fields, one more.
func listByID[T any](ctx context.Context, r reader, tenantID int64, l idList[T]) ([]T, int, error) {
	var (
		page  []T
		total int
	)
	q := `SELECT ` + l.columns + ` FROM ` + l.table + ` WHERE ` + l.where + ` ORDER BY id`
	pageArgs := slices.Clip(l.args)
	if l.limit > 0 {
		pageArgs = append(pageArgs, l.limit)
		q += ` LIMIT $` + strconv.Itoa(len(pageArgs))
	}
	if l.offset > 0 {
		pageArgs = append(pageArgs, l.offset)
		q += ` OFFSET $` + strconv.Itoa(len(pageArgs))
	}
	err := r.snapshot(ctx, func(r reader) error {
		b := &pgx.Batch{}
		b.Queue(q, pageArgs...).Query(func(rows pgx.Rows) error {
			var err error
			page, err = collect(rows, nil, l.scan)
			return err
		})
		b.Queue(`SELECT count(*) FROM `+l.table+` WHERE `+l.where, l.args...).
			QueryRow(func(row pgx.Row) error { return row.Scan(&total) })
		if err := r.db.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		if !l.withExtra || len(page) == 0 {
			return nil
		}
		ids := make([]int64, len(page))
		for i := range page {
			ids[i], _ = l.fields(&page[i])
		}
		b = &pgx.Batch{}
		values := queueValues(b, tenantID, l.kind, ids)
		if err := r.db.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		for i := range page {
			id, dst := l.fields(&page[i])
			*dst = values[id]
		}
		return nil
	})
	if err != nil {
		return nil, 0, r.fail(err, "list %s", l.table)
	}
	return page, total, nil
}
