package postgres

import (
	"context"
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
	c.created_at, c.updated_at`
	companyJoin = ` LEFT JOIN customer_groups g ON g.tenant_id = c.tenant_id AND g.id = c.customer_group_id`
)

func scanCompany(sc scanner) (guild.Company, error) {
	var c guild.Company
	var created, updated int64
	err := sc.Scan(&c.ID, &c.TenantID, &c.Name, &c.Email, &c.Phone, &c.AddressLine1, &c.AddressLine2, &c.City, &c.State,
		&c.CountryCode, &c.CountryName, &c.ZipCode, &c.Status, &c.UUID, &c.CustomerGroupID, &c.CustomerGroupName, &c.CatalogID,
		&created, &updated)
	c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
	return c, err
}

// Company returns a company with its extra fields (by ascending field id)
// and price lists (by ascending channel id), in one round trip.
func (r reader) Company(ctx context.Context, tenantID, id int64) (guild.Company, error) {
	var c guild.Company
	err := r.snapshot(ctx, func(r reader) error {
		b := &pgx.Batch{}
		b.Queue(`SELECT `+companyColumns+` FROM companies c`+companyJoin+` WHERE c.tenant_id = $1 AND c.id = $2`, tenantID, id).
			QueryRow(func(row pgx.Row) error {
				var err error
				c, err = scanCompany(row)
				return err
			})
		values := queueValues(b, tenantID, guild.ExtraFieldCompany, []int64{id})
		var lists []guild.PriceListAssignment
		b.Queue(`SELECT channel_id, price_list_id FROM company_price_lists WHERE company_id = $2 AND tenant_id = $1 ORDER BY channel_id`,
			tenantID, id).Query(func(rows pgx.Rows) error {
			var err error
			lists, err = collect(rows, nil, func(sc scanner) (guild.PriceListAssignment, error) {
				var p guild.PriceListAssignment
				err := sc.Scan(&p.ChannelID, &p.PriceListID)
				return p, err
			})
			return err
		})
		if err := r.db.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		c.ExtraFields, c.PriceLists = values[id], lists
		return nil
	})
	if err != nil {
		return guild.Company{}, r.fail(err, "company %d", id)
	}
	return c, nil
}

// ListCompanies returns one page of the tenant's companies matching f and the
// number of all that match: the page and the count are two queries of one
// round trip with the same WHERE; the extra fields of the whole page, when
// asked for, one more.
func (r reader) ListCompanies(ctx context.Context, tenantID int64, f guild.CompanyFilter) ([]guild.Company, int, error) {
	var (
		page  []guild.Company
		total int
	)
	err := r.snapshot(ctx, func(r reader) error {
		where, args := companyWhere(tenantID, f)
		order := companyOrder(f)
		// The page's ids are cut first, from an index alone where the
		// filter allows (deep offsets skip index entries, not rows); only
		// the page's rows are then read and joined to their groups.
		inner := `SELECT c.id FROM companies c WHERE ` + where + ` ORDER BY ` + order
		pageArgs := args
		if f.Limit > 0 {
			pageArgs = append(pageArgs, f.Limit)
			inner += ` LIMIT $` + strconv.Itoa(len(pageArgs))
		}
		if f.Offset > 0 {
			pageArgs = append(pageArgs, f.Offset)
			inner += ` OFFSET $` + strconv.Itoa(len(pageArgs))
		}
		b := &pgx.Batch{}
		b.Queue(`SELECT `+companyColumns+` FROM (`+inner+`) p JOIN companies c ON c.id = p.id AND c.tenant_id = $1`+companyJoin+` ORDER BY `+order, pageArgs...).
			Query(func(rows pgx.Rows) error {
				var err error
				page, err = collect(rows, nil, scanCompany)
				return err
			})
		b.Queue(`SELECT count(*) FROM companies c WHERE `+where, args...).
			QueryRow(func(row pgx.Row) error { return row.Scan(&total) })
		if err := r.db.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		if !f.IncludeExtraFields || len(page) == 0 {
			return nil
		}
		ids := make([]int64, len(page))
		for i, c := range page {
			ids[i] = c.ID
		}
		b = &pgx.Batch{}
		values := queueValues(b, tenantID, guild.ExtraFieldCompany, ids)
		if err := r.db.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		for i := range page {
			page[i].ExtraFields = values[page[i].ID]
		}
		return nil
	})
	if err != nil {
		return nil, 0, r.fail(err, "list companies")
	}
	return page, total, nil
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
	if f.Query != "" {
		conds = append(conds, "c.name_lower LIKE "+arg(likeContains(f.Query))+` ESCAPE '\'`)
	}
	for _, m := range f.ExtraFields {
		cond := "v.field_id = " + arg(m.FieldID)
		if m.Exact {
			p := arg(m.Value)
			cond += " AND md5(v.value) = md5(" + p + ") AND v.value = " + p
		} else {
			cond += " AND lower(v.value) LIKE " + arg(likeContains(m.Value)) + ` ESCAPE '\'`
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

// companyOrder returns the ORDER BY of f on companies c: the sort field,
// then the id, both in f's direction. Names sort by name_lower, bytewise.
func companyOrder(f guild.CompanyFilter) string {
	col := "c.updated_at"
	if f.SortBy == guild.SortByCompanyName {
		col = "c.name_lower"
	}
	dir := " ASC"
	if f.Descending {
		dir = " DESC"
	}
	return col + dir + ", c.id" + dir
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
// field of the tenant, else ENotFound; an empty value is no value. CreatedAt defaults to now and
// UpdatedAt to CreatedAt.
func (t *tx) CreateCompany(ctx context.Context, c guild.Company) (int64, error) {
	c.CreatedAt = orNow(c.CreatedAt)
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.CreatedAt
	}
	fieldIDs, vals, uniq, deleted := splitValues(c.ExtraFields)
	fields := append(slices.Clone(fieldIDs), deleted...)
	b := &pgx.Batch{}
	queueFieldCheck(b, c.TenantID, guild.ExtraFieldCompany, fields)
	channels, lists := make([]int64, len(c.PriceLists)), make([]int64, len(c.PriceLists))
	for i, p := range c.PriceLists {
		channels[i], lists[i] = p.ChannelID, p.PriceListID
	}
	return t.insertID(ctx, b, `
		WITH c AS (
			INSERT INTO companies (tenant_id, name, name_lower, email, phone, address_line1, address_line2, city, state,
				country_code, country_name, zip_code, status, uuid, customer_group_id, catalog_id, created_at, updated_at)
			SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18
			WHERE `+fieldsOK("'company'", "$24")+`
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
		SELECT id FROM c`,
		[]any{c.TenantID, c.Name, strings.ToLower(c.Name), c.Email, c.Phone, c.AddressLine1, c.AddressLine2, c.City, c.State,
			c.CountryCode, c.CountryName, c.ZipCode, int(c.Status), c.UUID, c.CustomerGroupID, c.CatalogID,
			micros(c.CreatedAt), micros(c.UpdatedAt), channels, lists, fieldIDs, vals, uniq, fields},
		"create company %q", c.Name)
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
// customer groups are kept.
func (t *tx) DeleteCompany(ctx context.Context, tenantID, id int64) error {
	b := &pgx.Batch{}
	b.Queue(`
		DELETE FROM extra_field_values v USING users u
		WHERE v.kind = 'user' AND v.record_id = u.id AND v.tenant_id = $1 AND u.tenant_id = $1 AND u.company_id = $2`,
		tenantID, id)
	b.Queue(`DELETE FROM extra_field_values WHERE kind = 'company' AND record_id = $2 AND tenant_id = $1`, tenantID, id)
	b.Queue(`DELETE FROM users WHERE tenant_id = $1 AND company_id = $2`, tenantID, id)
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
