package sqlite

import (
	"context"

	guild "github.com/guild-b2b/guild"
)

// idList is a list of one table's rows by ascending id: a page, the count
// of every row that matches, and the page's extra fields when asked for.
type idList[T any] struct {
	table, columns string
	where          string // conditions, with args
	args           []any
	limit, offset  int
	scan           func(scanner) (T, error)
	// kind and fields, when withExtra, load the page's extra fields:
	// fields gives a row's id and where its values go.
	withExtra bool
	kind      guild.ExtraFieldKind
	fields    func(*T) (int64, *[]guild.ExtraFieldValue)
}

// listByID reads l on one snapshot.
func listByID[T any](ctx context.Context, r reader, tenantID int64, l idList[T]) ([]T, int, error) {
	var page []T
	var total int
	err := r.snapshot(ctx, func(q queryer) error {
		rows, err := q.QueryContext(ctx, `SELECT `+l.columns+` FROM `+l.table+` WHERE `+l.where+` ORDER BY id LIMIT ? OFFSET ?`,
			append(l.args[:len(l.args):len(l.args)], limitArg(l.limit), max(l.offset, 0))...)
		if err != nil {
			return wrap(err, "list %s", l.table)
		}
		if page, err = collect(rows, l.scan, "list "+l.table); err != nil {
			return err
		}
		if err := q.QueryRowContext(ctx, `SELECT count(*) FROM `+l.table+` WHERE `+l.where, l.args...).Scan(&total); err != nil {
			return wrap(err, "count %s", l.table)
		}
		if !l.withExtra || len(page) == 0 {
			return nil
		}
		ids := make([]int64, len(page))
		for i := range page {
			ids[i], _ = l.fields(&page[i])
		}
		values, err := loadExtraFields(ctx, q, tenantID, l.kind, ids)
		for i := range page {
			id, dst := l.fields(&page[i])
			*dst = values[id]
		}
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return page, total, nil
}
