package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	guild "github.com/guild-b2b/guild"
)

// companyColumns are read from companyFrom.
const companyColumns = `c.id, c.tenant_id, c.name, c.email, c.phone, c.address_line1, c.address_line2,
	c.city, c.state, c.country_code, c.country_name, c.zip_code, c.status, c.uuid,
	c.customer_group_id, coalesce(g.name, ''), c.catalog_id, c.created_at, c.updated_at, c.parent_id`

// companyFrom joins the company's group (of the same tenant) for its name.
const companyFrom = `companies c
	LEFT JOIN customer_groups g ON g.id = c.customer_group_id AND g.tenant_id = c.tenant_id`

// companyFromByID is companyFrom reading companies by id only: NOT INDEXED
// leaves SQLite the rowid and no index.
const companyFromByID = `companies c NOT INDEXED
	LEFT JOIN customer_groups g ON g.id = c.customer_group_id AND g.tenant_id = c.tenant_id`

func scanCompany(sc scanner) (guild.Company, error) {
	var c guild.Company
	var created, updated int64
	err := sc.Scan(&c.ID, &c.TenantID, &c.Name, &c.Email, &c.Phone, &c.AddressLine1, &c.AddressLine2,
		&c.City, &c.State, &c.CountryCode, &c.CountryName, &c.ZipCode, &c.Status, &c.UUID,
		&c.CustomerGroupID, &c.CustomerGroupName, &c.CatalogID, &created, &updated, &c.ParentID)
	c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
	return c, err
}

// Company returns a company with its extra fields, price lists and parent's
// name. It is one statement (the lists come as JSON aggregates), so it reads
// one consistent state without an explicit read transaction: the company
// detail is the API's hottest read.
func (r reader) Company(ctx context.Context, tenantID, id int64) (guild.Company, error) {
	var priceLists, extraFields, parentName string
	c, err := scanCompany(scanWith(r.q.QueryRowContext(pointRead(ctx), `SELECT `+companyColumns+`,
		(SELECT json_group_array(json_array(pl.channel_id, pl.price_list_id) ORDER BY pl.channel_id)
			FROM company_price_lists pl WHERE pl.tenant_id = c.tenant_id AND pl.company_id = c.id),
		(SELECT json_group_array(json_array(v.value, v.unique_value IS NOT NULL, `+defColumns+`) ORDER BY v.field_id)
			FROM extra_field_values v JOIN extra_field_defs d ON d.id = v.field_id AND d.tenant_id = v.tenant_id
			WHERE v.kind = 'company' AND v.record_id = c.id AND v.tenant_id = c.tenant_id),
		coalesce((SELECT p.name FROM companies p WHERE p.tenant_id = c.tenant_id AND p.id = c.parent_id), '')
		FROM `+companyFrom+` WHERE c.tenant_id = ? AND c.id = ?`, tenantID, id), &priceLists, &extraFields, &parentName))
	if err != nil {
		return guild.Company{}, wrap(err, "company %d", id)
	}
	if c.PriceLists, err = decodePriceLists(priceLists); err != nil {
		return guild.Company{}, fmt.Errorf("sqlite: price lists of company %d: %w", id, err)
	}
	if c.ExtraFields, err = decodeExtraFieldValues(extraFields); err != nil {
		return guild.Company{}, fmt.Errorf("sqlite: extra fields of company %d: %w", id, err)
	}
	c.ParentName = parentName
	return c, nil
}

// scanWith appends dest to the destinations of every Scan of sc, so that a
// scan function of a row's leading columns can read a row with more.
func scanWith(sc scanner, dest ...any) scanner { return extraDest{sc: sc, dest: dest} }

type extraDest struct {
	sc   scanner
	dest []any
}

func (e extraDest) Scan(dest ...any) error { return e.sc.Scan(append(dest, e.dest...)...) }

// decodePriceLists reads json_group_array(json_array(channel, price list)).
func decodePriceLists(s string) ([]guild.PriceListAssignment, error) {
	if s == "[]" || s == "" {
		return nil, nil
	}
	var pairs [][2]int64
	if err := json.Unmarshal([]byte(s), &pairs); err != nil {
		return nil, err
	}
	out := make([]guild.PriceListAssignment, len(pairs))
	for i, p := range pairs {
		out[i] = guild.PriceListAssignment{ChannelID: p[0], PriceListID: p[1]}
	}
	return out, nil
}

// CountCompaniesInGroup counts the companies assigned to a customer group.
func (r reader) CountCompaniesInGroup(ctx context.Context, tenantID, groupID int64) (int, error) {
	var n int
	err := r.q.QueryRowContext(ctx, `SELECT count(*) FROM companies WHERE tenant_id = ? AND customer_group_id = ?`,
		tenantID, groupID).Scan(&n)
	return n, wrap(err, "count companies in group %d", groupID)
}

// CreateCompany inserts c with its extra fields and price lists.
func (t *tx) CreateCompany(ctx context.Context, c guild.Company) (int64, error) {
	c.CreatedAt, c.UpdatedAt = stamps(c.CreatedAt, c.UpdatedAt, t.now)
	var id int64
	err := t.q.QueryRowContext(ctx, `
		INSERT INTO companies (tenant_id, name, name_lower, email, phone, address_line1, address_line2,
			city, state, country_code, country_name, zip_code, status, uuid, customer_group_id, catalog_id,
			created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.TenantID, c.Name, strings.ToLower(c.Name), c.Email, c.Phone, c.AddressLine1, c.AddressLine2,
		c.City, c.State, c.CountryCode, c.CountryName, c.ZipCode, c.Status, c.UUID, c.CustomerGroupID, c.CatalogID,
		micros(c.CreatedAt), micros(c.UpdatedAt)).Scan(&id)
	if err != nil {
		return 0, wrap(err, "create company %q", c.Name)
	}
	if err := setExtraFieldValues(ctx, t.q, c.TenantID, guild.ExtraFieldCompany, id, c.ExtraFields); err != nil {
		return 0, err
	}
	if err := insertPriceLists(ctx, t.q, c.TenantID, id, c.PriceLists); err != nil {
		return 0, err
	}
	return id, nil
}

func insertPriceLists(ctx context.Context, q queryer, tenantID, companyID int64, lists []guild.PriceListAssignment) error {
	for _, l := range lists {
		if _, err := q.ExecContext(ctx, `
			INSERT INTO company_price_lists (tenant_id, company_id, channel_id, price_list_id) VALUES (?, ?, ?, ?)`,
			tenantID, companyID, l.ChannelID, l.PriceListID); err != nil {
			return wrap(err, "assign price list %d on channel %d to company %d", l.PriceListID, l.ChannelID, companyID)
		}
	}
	return nil
}

// UpdateCompany replaces the company's scalar fields, all but CreatedAt.
// Its extra fields and price lists are left as they are.
func (t *tx) UpdateCompany(ctx context.Context, c guild.Company) error {
	res, err := t.q.ExecContext(ctx, `
		UPDATE companies SET name = ?, name_lower = ?, email = ?, phone = ?, address_line1 = ?, address_line2 = ?,
			city = ?, state = ?, country_code = ?, country_name = ?, zip_code = ?, status = ?, uuid = ?,
			customer_group_id = ?, catalog_id = ?, updated_at = ?
		WHERE tenant_id = ? AND id = ?`,
		c.Name, strings.ToLower(c.Name), c.Email, c.Phone, c.AddressLine1, c.AddressLine2,
		c.City, c.State, c.CountryCode, c.CountryName, c.ZipCode, c.Status, c.UUID,
		c.CustomerGroupID, c.CatalogID, micros(orNow(c.UpdatedAt, t.now)), c.TenantID, c.ID)
	if err != nil {
		return wrap(err, "update company %d", c.ID)
	}
	return affected(res, "company %d does not exist", c.ID)
}

// DeleteCompany deletes the company, its users, the extra-field values of
// both, its price lists and its attachment rows; its children become roots.
func (t *tx) DeleteCompany(ctx context.Context, tenantID, id int64) error {
	if err := companyExists(ctx, t.q, tenantID, id); err != nil {
		return err
	}
	if err := orphanChildren(ctx, t.q, tenantID, id); err != nil {
		return err
	}
	steps := []struct{ what, query string }{
		{"user extra-field values", `DELETE FROM extra_field_values WHERE tenant_id = ? AND kind = 'user'
			AND record_id IN (SELECT id FROM users WHERE tenant_id = ? AND company_id = ?)`},
		{"company extra-field values", `DELETE FROM extra_field_values WHERE tenant_id = ? AND kind = 'company' AND record_id = ?`},
		{"address extra-field values", `DELETE FROM extra_field_values WHERE kind = 'address'
			AND record_id IN (SELECT id FROM addresses WHERE tenant_id = ? AND company_id = ?)`},
		{"addresses", `DELETE FROM addresses WHERE tenant_id = ? AND company_id = ?`},
		{"users", `DELETE FROM users WHERE tenant_id = ? AND company_id = ?`},
		{"price lists", `DELETE FROM company_price_lists WHERE tenant_id = ? AND company_id = ?`},
		{"attachments", `DELETE FROM attachments WHERE tenant_id = ? AND company_id = ?`},
		{"company", `DELETE FROM companies WHERE tenant_id = ? AND id = ?`},
	}
	for i, s := range steps {
		args := []any{tenantID, id}
		if i == 0 {
			args = []any{tenantID, tenantID, id}
		}
		if _, err := t.q.ExecContext(ctx, s.query, args...); err != nil {
			return wrap(err, "delete company %d: %s", id, s.what)
		}
	}
	return nil
}

// SetPriceLists replaces the company's price-list assignments.
func (t *tx) SetPriceLists(ctx context.Context, tenantID, companyID int64, lists []guild.PriceListAssignment) error {
	if err := companyExists(ctx, t.q, tenantID, companyID); err != nil {
		return err
	}
	if _, err := t.q.ExecContext(ctx, `DELETE FROM company_price_lists WHERE tenant_id = ? AND company_id = ?`,
		tenantID, companyID); err != nil {
		return wrap(err, "clear price lists of company %d", companyID)
	}
	return insertPriceLists(ctx, t.q, tenantID, companyID, lists)
}

// companyExists returns ENotFound unless the tenant has the company.
func companyExists(ctx context.Context, q queryer, tenantID, id int64) error {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM companies WHERE tenant_id = ? AND id = ?`, tenantID, id).Scan(&one)
	if err != nil {
		return wrap(err, "company %d", id)
	}
	return nil
}

// idArgs returns "?, ?, ..." and the arguments for a list of ids.
func idArgs(ids []int64) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return placeholders(len(ids)), args
}
