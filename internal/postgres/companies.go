package postgres

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	guild "github.com/guild-b2b/guild"
	"github.com/jackc/pgx/v5"
)

// companyColumns are read from companies c left-joined to the company's
// customer group g (companyJoin) for CustomerGroupName.
const (
	companyColumns = `c.id, c.tenant_id, c.name, c.email, c.phone, c.address_line1, c.address_line2, c.city, c.state,
	c.country_code, c.country_name, c.zip_code, c.status, c.uuid, c.customer_group_id, COALESCE(g.name, ''), c.catalog_id,
	c.created_at, c.updated_at, c.parent_id`
	companyJoin = ` LEFT JOIN customer_groups g ON g.tenant_id = c.tenant_id AND g.id = c.customer_group_id`
)

// scanCompany scans companyColumns, then into more any further columns.
func scanCompany(sc scanner, more ...any) (guild.Company, error) {
	var c guild.Company
	var created, updated int64
	err := sc.Scan(append([]any{&c.ID, &c.TenantID, &c.Name, &c.Email, &c.Phone, &c.AddressLine1, &c.AddressLine2, &c.City, &c.State,
		&c.CountryCode, &c.CountryName, &c.ZipCode, &c.Status, &c.UUID, &c.CustomerGroupID, &c.CustomerGroupName, &c.CatalogID,
		&created, &updated, &c.ParentID}, more...)...)
	c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
	return c, err
}

// Company returns a company with its extra fields (by ascending field id),
// price lists (by ascending channel id) and parent's name: two queries in one batch, so one
// round trip and, outside a transaction, one snapshot (see Store).
func (r reader) Company(ctx context.Context, tenantID, id int64) (guild.Company, error) {
	var (
		c     guild.Company
		lists []guild.PriceListAssignment
	)
	b := &pgx.Batch{}
	b.Queue(`SELECT `+companyColumns+`,
			ARRAY(SELECT channel_id FROM company_price_lists WHERE company_id = c.id AND tenant_id = $1 ORDER BY channel_id),
			ARRAY(SELECT price_list_id FROM company_price_lists WHERE company_id = c.id AND tenant_id = $1 ORDER BY channel_id),
			COALESCE((SELECT p.name FROM companies p WHERE p.tenant_id = $1 AND p.id = c.parent_id), '')
		FROM companies c`+companyJoin+` WHERE c.tenant_id = $1 AND c.id = $2`, tenantID, id).
		QueryRow(func(row pgx.Row) error {
			var channels, priceLists []int64
			var parentName string
			var err error
			c, err = scanCompany(row, &channels, &priceLists, &parentName)
			c.ParentName = parentName
			for i := range channels {
				lists = append(lists, guild.PriceListAssignment{ChannelID: channels[i], PriceListID: priceLists[i]})
			}
			return err
		})
	values := queueValues(b, tenantID, guild.ExtraFieldCompany, []int64{id})
	if err := r.db.SendBatch(ctx, b).Close(); err != nil {
		return guild.Company{}, r.fail(err, "company %d", id)
	}
	c.ExtraFields, c.PriceLists = values[id], lists
	return c, nil
}

// ListCompanies returns one page of the tenant's companies matching f and the
// number of all that match, with the extra fields of the page when asked:
// the queries of one batch (one round trip, one snapshot; see Store).
//
// The total of a list filtered by status alone, or not at all, is read from
// company_counts (migration 00003). A search (a name or extra-field text) is
// answered by one query that finds the matches once, through the trigram
// indexes, and both counts them and cuts the page from them: finding them is
// most of the work, and a page query and a count query would do it twice.
// Any other filter is counted by a query of its own, from an index.
func (r reader) ListCompanies(ctx context.Context, tenantID int64, f guild.CompanyFilter) ([]guild.Company, int, error) {
	for _, m := range f.ExtraFields {
		if !textOK(m.Value) {
			return nil, 0, invalidText("list companies")
		}
	}
	if !textOK(f.Query) {
		return nil, 0, invalidText("list companies")
	}
	var (
		page  []guild.Company
		total int
	)
	where, args := companyWhere(tenantID, f)
	sortCol, dir := companyOrder(f)
	order := sortCol + dir + ", c.id" + dir
	var cut string // LIMIT and OFFSET
	pageArgs := args
	if f.Limit > 0 {
		pageArgs = append(pageArgs, f.Limit)
		cut += ` LIMIT $` + strconv.Itoa(len(pageArgs))
	}
	if f.Offset > 0 {
		pageArgs = append(pageArgs, f.Offset)
		cut += ` OFFSET $` + strconv.Itoa(len(pageArgs))
	}
	ids := `SELECT c.id FROM companies c WHERE ` + where + ` ORDER BY ` + order + cut
	// byID reads the rows of the ids of p, each by its id: LATERAL ...
	// LIMIT 1 keeps the planner from joining the page to a scan of all the
	// tenant's companies.
	const byID = ` CROSS JOIN LATERAL (SELECT * FROM companies c WHERE c.id = p.id AND c.tenant_id = $1 LIMIT 1) c`
	search := f.Query != "" || len(f.ExtraFields) > 0
	b := &pgx.Batch{}
	switch {
	case search:
		b.Queue(`WITH m AS MATERIALIZED (SELECT c.id, `+sortCol+` AS k FROM companies c WHERE `+where+`)
			SELECT `+companyColumns+`, t.n
			FROM (SELECT m.id FROM m ORDER BY m.k`+dir+`, m.id`+dir+cut+`) p
			CROSS JOIN (SELECT count(*) FROM m) t(n)`+byID+companyJoin+`
			ORDER BY `+order, pageArgs...).
			Query(func(rows pgx.Rows) error {
				var err error
				page, err = collect(rows, nil, func(sc scanner) (guild.Company, error) { return scanCompany(sc, &total) })
				return err
			})
	case f.Offset > deepOffset:
		// The page's ids are cut first, from an index alone where the
		// filter allows (once vacuum has marked the table's pages
		// all-visible, a skipped entry costs no row read).
		b.Queue(`SELECT `+companyColumns+` FROM (`+ids+`) p`+byID+companyJoin+` ORDER BY `+order, pageArgs...).
			Query(func(rows pgx.Rows) error {
				var err error
				page, err = collect(rows, nil, func(sc scanner) (guild.Company, error) { return scanCompany(sc) })
				return err
			})
	default:
		b.Queue(`SELECT `+companyColumns+` FROM companies c`+companyJoin+` WHERE `+where+` ORDER BY `+order+cut, pageArgs...).
			Query(func(rows pgx.Rows) error {
				var err error
				page, err = collect(rows, nil, func(sc scanner) (guild.Company, error) { return scanCompany(sc) })
				return err
			})
	}
	count := func(b *pgx.Batch) {
		countSQL, countArgs := `SELECT count(*) FROM companies c WHERE `+where, args
		if countsKept(f) {
			countSQL, countArgs = `SELECT COALESCE(sum(n), 0) FROM company_counts WHERE tenant_id = $1`, []any{tenantID}
			if f.Status != nil {
				countSQL, countArgs = countSQL+` AND status = $2`, append(countArgs, int(*f.Status))
			}
		}
		b.Queue(countSQL, countArgs...).QueryRow(func(row pgx.Row) error { return row.Scan(&total) })
	}
	if !search {
		count(b)
	}
	var values map[int64][]guild.ExtraFieldValue
	if f.IncludeExtraFields {
		// The page's ids again, in this batch's snapshot.
		values = queueValuesOf(b, guild.ExtraFieldCompany, `ARRAY(`+ids+`)`, pageArgs)
	}
	if err := r.db.SendBatch(ctx, b).Close(); err != nil {
		return nil, 0, r.fail(err, "list companies")
	}
	if search && len(page) == 0 && f.Offset > 0 {
		// Past the last match: the page's rows carried no total.
		b = &pgx.Batch{}
		count(b)
		if err := r.db.SendBatch(ctx, b).Close(); err != nil {
			return nil, 0, r.fail(err, "count companies")
		}
	}
	for i := range page {
		page[i].ExtraFields = values[page[i].ID]
	}
	return page, total, nil
}

// deepOffset is the offset beyond which ListCompanies cuts a page's ids
// before it reads the page's rows. Up to it, it reads the rows in the sort
// order and skips the offset's, which costs less than reading each row of
// the page again by id.
const deepOffset = 1000

// countsKept reports whether company_counts holds the total of f: no filter
// but the status.
func countsKept(f guild.CompanyFilter) bool {
	return f.MinModified.IsZero() && f.MaxModified.IsZero() && f.MinCreated.IsZero() && f.MaxCreated.IsZero() &&
		f.Query == "" && len(f.ExtraFields) == 0 && f.CustomerGroupID == nil && f.CustomerID == nil
}

// companyWhere returns the WHERE condition of f on companies c, and its
// arguments ($1 is tenantID).
func companyWhere(tenantID int64, f guild.CompanyFilter) (string, []any) {
	conds := []string{"c.tenant_id = $1"}
	args := []any{tenantID}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	// Times are compared at one-second granularity, inclusive: a row
	// matches when its time truncated to the second lies between the
	// bounds' seconds. As ranges of microseconds that an index can use:
	// from the first microsecond of the lower bound's second to before the
	// first microsecond of the second after the upper bound's.
	const second = 1_000_000
	if !f.MinModified.IsZero() {
		conds = append(conds, "c.updated_at >= "+arg(f.MinModified.Unix()*second))
	}
	if !f.MaxModified.IsZero() {
		conds = append(conds, "c.updated_at < "+arg((f.MaxModified.Unix()+1)*second))
	}
	if !f.MinCreated.IsZero() {
		conds = append(conds, "c.created_at >= "+arg(f.MinCreated.Unix()*second))
	}
	if !f.MaxCreated.IsZero() {
		conds = append(conds, "c.created_at < "+arg((f.MaxCreated.Unix()+1)*second))
	}
	if f.Status != nil {
		conds = append(conds, "c.status = "+arg(int(*f.Status)))
	}
	// Search texts are written into the SQL as literals, not passed as
	// parameters: PostgreSQL then plans each search for its text. A
	// statement's plan is otherwise cached after a few runs with a
	// parameter's selectivity guessed, and a search matching 1% of a
	// million companies walked the whole name index (0.8 s) where the
	// trigram index finds them at once.
	if f.Query != "" {
		conds = append(conds, "c.name_lower LIKE "+sqlText(likeContains(f.Query))+` ESCAPE '\'`)
	}
	for _, m := range f.ExtraFields {
		cond := "v.field_id = " + arg(m.FieldID)
		if m.Exact {
			p := sqlText(m.Value)
			cond += " AND md5(v.value) = md5(" + p + ") AND v.value = " + p
		} else {
			cond += " AND lower(v.value) LIKE " + sqlText(likeContains(m.Value)) + ` ESCAPE '\'`
		}
		conds = append(conds, `EXISTS (SELECT 1 FROM extra_field_values v
			WHERE v.kind = 'company' AND v.record_id = c.id AND v.tenant_id = $1 AND `+cond+`)`)
	}
	if f.CustomerGroupID != nil {
		conds = append(conds, "c.customer_group_id = "+arg(*f.CustomerGroupID))
	}
	if f.CustomerID != nil {
		conds = append(conds, `EXISTS (SELECT 1 FROM users u
			WHERE u.tenant_id = $1 AND u.customer_id = `+arg(*f.CustomerID)+` AND u.company_id = c.id)`)
	}
	return strings.Join(conds, " AND "), args
}

// companyOrder returns the sort column of f on companies c and the
// direction of the sort; ties are broken by the id, in the same direction.
// Names sort by name_lower, bytewise.
func companyOrder(f guild.CompanyFilter) (col, dir string) {
	col, dir = "c.updated_at", " ASC"
	if f.SortBy == guild.SortByCompanyName {
		col = "c.name_lower"
	}
	if f.Descending {
		dir = " DESC"
	}
	return col, dir
}

// sqlText returns s as an SQL string literal; the pool's connections run
// with standard_conforming_strings on, so only quotes are doubled. s must be
// valid UTF-8 without NUL characters (see textOK).
func sqlText(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// likeContains returns a LIKE pattern (ESCAPE '\') matching any text that
// contains s lower-cased.
func likeContains(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(s)) + "%"
}

// CountCompaniesInGroup counts the companies assigned to a customer group.
func (r reader) CountCompaniesInGroup(ctx context.Context, tenantID, groupID int64) (int, error) {
	var n int
	err := r.db.QueryRow(ctx, `SELECT count(*) FROM companies WHERE tenant_id = $1 AND customer_group_id = $2`,
		tenantID, groupID).Scan(&n)
	return n, r.fail(err, "count the companies of customer group %d", groupID)
}

// CreateCompany inserts c (ID ignored) with its extra fields and price lists
// in one statement, and returns its id. Every extra field must be a company
// field of the tenant, else ENotFound; an empty value is no value. CreatedAt
// defaults to now and UpdatedAt to CreatedAt.
//
// The statement answers a missing tenant or field itself; only a unique
// value taken or a channel given twice fail it, so only a company with
// unique values or repeated channels is written under a savepoint (see
// writeGuarded).
func (t *tx) CreateCompany(ctx context.Context, c guild.Company) (int64, error) {
	c.CreatedAt = orNow(c.CreatedAt)
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.CreatedAt
	}
	fieldIDs, vals, uniq, deleted := splitValues(c.ExtraFields)
	fields := append(slices.Clone(fieldIDs), deleted...)
	channels, lists := make([]int64, len(c.PriceLists)), make([]int64, len(c.PriceLists))
	seen := make(map[int64]bool, len(c.PriceLists))
	repeated := false
	for i, p := range c.PriceLists {
		channels[i], lists[i] = p.ChannelID, p.PriceListID
		repeated = repeated || seen[p.ChannelID]
		seen[p.ChannelID] = true
	}
	var (
		tenant bool
		found  []int64
		id     *int64
	)
	b := &pgx.Batch{}
	b.Queue(`
		WITH chk AS (
			SELECT EXISTS (SELECT 1 FROM tenants WHERE id = $1) AS tenant, `+foundFields("'company'", "$24")+` AS found
		), c AS (
			INSERT INTO companies (tenant_id, name, name_lower, email, phone, address_line1, address_line2, city, state,
				country_code, country_name, zip_code, status, uuid, customer_group_id, catalog_id, created_at, updated_at)
			SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18 FROM chk
			WHERE chk.tenant AND cardinality(chk.found) = cardinality($24::bigint[])
			RETURNING id
		), p AS (
			INSERT INTO company_price_lists (tenant_id, company_id, channel_id, price_list_id)
			SELECT $1, c.id, x.channel_id, x.price_list_id
			FROM c, unnest($19::bigint[], $20::bigint[]) AS x(channel_id, price_list_id)
		), v AS (
			INSERT INTO extra_field_values (tenant_id, field_id, kind, record_id, value, unique_value)
			SELECT $1, x.field_id, 'company', c.id, x.value, CASE WHEN x.is_unique THEN x.value END
			FROM c, unnest($21::bigint[], $22::text[], $23::boolean[]) AS x(field_id, value, is_unique)
		)
		SELECT chk.tenant, chk.found, (SELECT id FROM c) FROM chk`,
		c.TenantID, c.Name, strings.ToLower(c.Name), c.Email, c.Phone, c.AddressLine1, c.AddressLine2, c.City, c.State,
		c.CountryCode, c.CountryName, c.ZipCode, int(c.Status), c.UUID, c.CustomerGroupID, c.CatalogID,
		micros(c.CreatedAt), micros(c.UpdatedAt), channels, lists, fieldIDs, vals, uniq, fields).
		QueryRow(func(row pgx.Row) error { return row.Scan(&tenant, &found, &id) })
	safe := !repeated && !slices.Contains(uniq, true) &&
		textOK(c.Name, c.Email, c.Phone, c.AddressLine1, c.AddressLine2, c.City, c.State, c.CountryCode, c.CountryName, c.ZipCode, c.UUID) &&
		textOK(vals...)
	if err := t.writeGuarded(ctx, safe, b, "create company %q", c.Name); err != nil {
		return 0, err
	}
	if !tenant {
		return 0, notFound("create company %q: store %d does not exist", c.Name, c.TenantID)
	}
	if err := missingField(guild.ExtraFieldCompany, fields, found); err != nil {
		return 0, err
	}
	if id == nil {
		return 0, fmt.Errorf("postgres: create company %q: no row inserted", c.Name)
	}
	return *id, nil
}

// UpdateCompany replaces the company's scalar fields but CreatedAt;
// UpdatedAt is now when zero.
func (t *tx) UpdateCompany(ctx context.Context, c guild.Company) error {
	return t.exec(ctx, mustAffect("company %d does not exist", c.ID), `
		UPDATE companies SET name = $3, name_lower = $4, email = $5, phone = $6, address_line1 = $7, address_line2 = $8,
			city = $9, state = $10, country_code = $11, country_name = $12, zip_code = $13, status = $14, uuid = $15,
			customer_group_id = $16, catalog_id = $17, updated_at = $18
		WHERE tenant_id = $1 AND id = $2`,
		[]any{c.TenantID, c.ID, c.Name, strings.ToLower(c.Name), c.Email, c.Phone, c.AddressLine1, c.AddressLine2,
			c.City, c.State, c.CountryCode, c.CountryName, c.ZipCode, int(c.Status), c.UUID,
			c.CustomerGroupID, c.CatalogID, micros(orNow(c.UpdatedAt))},
		"update company %d", c.ID)
}

// DeleteCompany deletes the company, its users and the extra-field values of
// both; its price lists and attachment rows go by cascade. Customers and
// customer groups are kept; its children become roots.
func (t *tx) DeleteCompany(ctx context.Context, tenantID, id int64) error {
	b := &pgx.Batch{}
	b.Queue(`
		DELETE FROM extra_field_values v USING users u
		WHERE v.kind = 'user' AND v.record_id = u.id AND v.tenant_id = $1 AND u.tenant_id = $1 AND u.company_id = $2`,
		tenantID, id)
	b.Queue(`DELETE FROM extra_field_values WHERE kind = 'company' AND record_id = $2 AND tenant_id = $1`, tenantID, id)
	b.Queue(`
		DELETE FROM extra_field_values v USING addresses a
		WHERE v.kind = 'address' AND v.record_id = a.id AND v.tenant_id = $1 AND a.tenant_id = $1 AND a.company_id = $2`,
		tenantID, id)
	b.Queue(`DELETE FROM addresses WHERE tenant_id = $1 AND company_id = $2`, tenantID, id)
	b.Queue(`DELETE FROM users WHERE tenant_id = $1 AND company_id = $2`, tenantID, id)
	orphanChildren(b, tenantID, id)
	b.Queue(`DELETE FROM companies WHERE tenant_id = $1 AND id = $2`, tenantID, id).
		Exec(mustAffect("company %d does not exist", id))
	return t.write(ctx, b, "delete company %d", id)
}

// SetPriceLists replaces the company's price-list assignments.
func (t *tx) SetPriceLists(ctx context.Context, tenantID, companyID int64, lists []guild.PriceListAssignment) error {
	channels, ids := make([]int64, len(lists)), make([]int64, len(lists))
	for i, p := range lists {
		channels[i], ids[i] = p.ChannelID, p.PriceListID
	}
	b := &pgx.Batch{}
	queueExists(b, `SELECT 1 FROM companies WHERE tenant_id = $1 AND id = $2`, []any{tenantID, companyID},
		"company %d does not exist", companyID)
	b.Queue(`DELETE FROM company_price_lists WHERE company_id = $2 AND tenant_id = $1`, tenantID, companyID)
	b.Queue(`
		INSERT INTO company_price_lists (tenant_id, company_id, channel_id, price_list_id)
		SELECT c.tenant_id, c.id, x.channel_id, x.price_list_id
		FROM companies c, unnest($3::bigint[], $4::bigint[]) AS x(channel_id, price_list_id)
		WHERE c.tenant_id = $1 AND c.id = $2`,
		tenantID, companyID, channels, ids)
	return t.write(ctx, b, "set the price lists of company %d", companyID)
}
