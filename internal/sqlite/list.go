package sqlite

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	guild "github.com/guild-b2b/guild"
)

// defaultCandidateLimit is how many ids a selective filter may yield for the
// list to be read through them (see companyQuery.candidates).
const defaultCandidateLimit = 2000

// ListCompanies returns one page of the tenant's companies matching f and
// the count of all of them.
//
// The page and the count share one set of conditions. The default order
// (updated_at, id) and the name order (name_lower, id) each have an index
// starting with tenant_id (and one with status after it), so a page is read
// in index order and the read stops once the page is full. The total of a
// list filtered by status alone, or not at all, comes from company_counts.
// Extra fields, when asked for, are loaded for the whole page in one query.
func (r reader) ListCompanies(ctx context.Context, tenantID int64, f guild.CompanyFilter) ([]guild.Company, int, error) {
	order, err := companyOrder(f)
	if err != nil {
		return nil, 0, err
	}
	var page []guild.Company
	var total int
	err = r.snapshot(ctx, func(q queryer) error {
		cq := companyQuery{r: r, q: q, tenantID: tenantID}
		if err := cq.where(ctx, f); err != nil {
			return err
		}
		from := companyFrom
		if cq.byID {
			from = companyFromByID
		}
		where := strings.Join(cq.conds, " AND ")
		rows, err := q.QueryContext(ctx,
			`SELECT `+companyColumns+` FROM `+from+` WHERE `+where+` ORDER BY `+order+` LIMIT ? OFFSET ?`,
			append(cq.args[:len(cq.args):len(cq.args)], limitArg(f.Limit), max(f.Offset, 0))...)
		if err != nil {
			return wrap(err, "list companies")
		}
		if page, err = collect(rows, scanCompany, "list companies"); err != nil {
			return err
		}
		if total, err = cq.count(ctx, f); err != nil {
			return err
		}
		if !f.IncludeExtraFields || len(page) == 0 {
			return nil
		}
		ids := make([]int64, len(page))
		for i, c := range page {
			ids[i] = c.ID
		}
		values, err := loadExtraFields(ctx, q, tenantID, guild.ExtraFieldCompany, ids)
		for i := range page {
			page[i].ExtraFields = values[page[i].ID]
		}
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return page, total, nil
}

// companyQuery builds the WHERE clause of a company list on companies c:
// conds for the page and countConds, the same conditions in a form that
// suits a count of every match, for the total. Both take args.
type companyQuery struct {
	r                 reader
	q                 queryer
	tenantID          int64
	conds, countConds []string
	args              []any
	// byID is set when the conditions hold a short list of ids: the
	// companies are then read by id, never through an index (which the
	// query planner, without statistics, may prefer).
	byID bool
}

// add adds a condition to both the page and the count.
func (cq *companyQuery) add(cond string, args ...any) { cq.add2(cond, cond, args...) }

// add2 adds a condition written one way for the page and another way, with
// the same placeholders, for the count.
func (cq *companyQuery) add2(page, count string, args ...any) {
	cq.conds = append(cq.conds, page)
	cq.countConds = append(cq.countConds, count)
	cq.args = append(cq.args, args...)
}

// where adds the conditions of f. Times compare at one-second granularity,
// both ends inclusive.
func (cq *companyQuery) where(ctx context.Context, f guild.CompanyFilter) error {
	cq.add("c.tenant_id = ?", cq.tenantID)
	if f.Status != nil {
		cq.add("c.status = ?", int64(*f.Status))
	}
	if !f.MinModified.IsZero() {
		cq.add("c.updated_at >= ?", secondFloor(f.MinModified))
	}
	if !f.MaxModified.IsZero() {
		cq.add("c.updated_at < ?", secondFloor(f.MaxModified)+1e6)
	}
	if !f.MinCreated.IsZero() {
		cq.add("c.created_at >= ?", secondFloor(f.MinCreated))
	}
	if !f.MaxCreated.IsZero() {
		cq.add("c.created_at < ?", secondFloor(f.MaxCreated)+1e6)
	}
	if f.CustomerGroupID != nil {
		cq.add("c.customer_group_id = ?", *f.CustomerGroupID)
	}
	if f.CustomerID != nil {
		cq.add("c.id IN (SELECT u.company_id FROM users u WHERE u.tenant_id = ? AND u.customer_id = ?)", cq.tenantID, *f.CustomerID)
	}
	if f.Query != "" {
		// A contains cannot use the name index as a range; the probe scans
		// the covering (tenant_id, name_lower, id) index once. instr on the
		// lower-cased name is LIKE '%q%' without LIKE's pattern machinery:
		// the same matches, in two thirds of the time.
		needle := strings.ToLower(f.Query)
		few, err := cq.candidates(ctx, `SELECT id FROM companies WHERE tenant_id = ? AND instr(name_lower, ?) > 0`,
			cq.tenantID, needle)
		if err != nil {
			return err
		}
		if !few {
			cq.add(`instr(c.name_lower, ?) > 0`, needle)
		}
	}
	for _, m := range f.ExtraFields {
		match, arg := valueMatch(m)
		few, err := cq.candidates(ctx, `SELECT v.record_id FROM extra_field_values v
			WHERE v.field_id = ? AND v.kind = 'company' AND v.tenant_id = ? AND `+match, m.FieldID, cq.tenantID, arg)
		if err != nil {
			return err
		}
		if few {
			continue
		}
		exists := `EXISTS (SELECT 1 FROM extra_field_values v
			WHERE v.kind = 'company' AND v.record_id = c.id AND v.field_id = ? AND ` + match + `)`
		if cq.byID {
			// Checked on the few companies of the id list.
			cq.add(exists, m.FieldID, arg)
			continue
		}
		// A page walks the sort index and probes each company; a count
		// reads the field's matching values once.
		cq.add2(exists, `c.id IN (SELECT v.record_id FROM extra_field_values v
			WHERE v.kind = 'company' AND v.field_id = ? AND `+match+`)`, m.FieldID, arg)
	}
	return nil
}

// valueMatch returns the condition on v.value of an extra-field match, and
// its argument. A contains of ASCII text uses SQLite's LIKE, which folds
// ASCII case; any other text folds through guild_lower.
func valueMatch(m guild.ExtraFieldMatch) (string, any) {
	if m.Exact {
		return "v.value = ?", m.Value
	}
	pattern := likeContains(m.Value)
	for i := 0; i < len(pattern); i++ {
		if pattern[i] >= utf8.RuneSelf {
			return `guild_lower(v.value) LIKE ? ESCAPE '\'`, pattern
		}
	}
	return `v.value LIKE ? ESCAPE '\'`, pattern
}

// candidates runs sub, the query of the ids of the companies matching a
// filter. When it yields fewer ids than the candidate limit, the list is
// restricted to those ids, so that SQLite reads the few companies by id
// instead of walking the tenant's index in sort order, and candidates
// reports true: the filter needs no other condition. When it yields more,
// the caller adds the filter's condition: walking in sort order then finds a
// page soon, as the filter matches many companies. Once the list holds ids,
// further filters skip the probe and are checked on those companies.
func (cq *companyQuery) candidates(ctx context.Context, sub string, args ...any) (bool, error) {
	limit := cq.r.candidateLimit
	if limit <= 0 || cq.byID {
		return false, nil
	}
	rows, err := cq.q.QueryContext(ctx, sub+` LIMIT ?`, append(args, limit)...)
	if err != nil {
		return false, wrap(err, "find candidate companies")
	}
	ids, err := collect(rows, func(sc scanner) (int64, error) {
		var id int64
		err := sc.Scan(&id)
		return id, err
	}, "find candidate companies")
	if err != nil || len(ids) >= limit {
		return false, err
	}
	ph, idArgs := idArgs(ids)
	cq.add("c.id IN ("+ph+")", idArgs...)
	cq.byID = true
	return true, nil
}

// count returns the number of companies matching the conditions. A list
// filtered by status alone, or not at all, is counted from company_counts.
func (cq *companyQuery) count(ctx context.Context, f guild.CompanyFilter) (int, error) {
	var n int
	var err error
	if f.MinModified.IsZero() && f.MaxModified.IsZero() && f.MinCreated.IsZero() && f.MaxCreated.IsZero() &&
		f.Query == "" && f.CustomerGroupID == nil && f.CustomerID == nil && len(f.ExtraFields) == 0 {
		if f.Status != nil {
			err = cq.q.QueryRowContext(ctx, `SELECT coalesce(sum(n), 0) FROM company_counts WHERE tenant_id = ? AND status = ?`,
				cq.tenantID, int64(*f.Status)).Scan(&n)
		} else {
			err = cq.q.QueryRowContext(ctx, `SELECT coalesce(sum(n), 0) FROM company_counts WHERE tenant_id = ?`,
				cq.tenantID).Scan(&n)
		}
	} else {
		from := "companies c"
		if cq.byID {
			from = "companies c NOT INDEXED"
		}
		err = cq.q.QueryRowContext(ctx, `SELECT count(*) FROM `+from+` WHERE `+strings.Join(cq.countConds, " AND "), cq.args...).Scan(&n)
	}
	return n, wrap(err, "count companies")
}

// secondFloor returns t truncated to its second, in unix microseconds.
func secondFloor(t time.Time) int64 { return t.Unix() * 1e6 }

// companyOrder returns the ORDER BY of f: its sort field, then id, both in
// f's direction.
func companyOrder(f guild.CompanyFilter) (string, error) {
	dir := " ASC"
	if f.Descending {
		dir = " DESC"
	}
	switch f.SortBy {
	case "", guild.SortByUpdatedAt:
		return "c.updated_at" + dir + ", c.id" + dir, nil
	case guild.SortByCompanyName:
		return "c.name_lower" + dir + ", c.id" + dir, nil
	}
	return "", guild.Errorf(guild.EInvalid, "companies cannot be sorted by %q: use %s or %s", f.SortBy, guild.SortByUpdatedAt, guild.SortByCompanyName)
}
