package sqlite

import (
	"context"
	"strings"
	"time"

	guild "github.com/guild-b2b/guild"
)

const addressColumns = `id, tenant_id, company_id, first_name, last_name, phone, zip_code, address_line1,
	address_line2, city, state_name, state_code, country_name, country_code, is_billing, is_shipping,
	is_default_billing, is_default_shipping, label, external_id, created_by_user_id, created_at, updated_at`

func scanAddress(sc scanner) (guild.Address, error) {
	var a guild.Address
	var billing, shipping, defBilling, defShipping, created, updated int64
	err := sc.Scan(&a.ID, &a.TenantID, &a.CompanyID, &a.FirstName, &a.LastName, &a.Phone, &a.ZipCode, &a.AddressLine1,
		&a.AddressLine2, &a.City, &a.StateName, &a.StateCode, &a.CountryName, &a.CountryCode, &billing, &shipping,
		&defBilling, &defShipping, &a.Label, &a.ExternalID, &a.CreatedByUserID, &created, &updated)
	a.IsBilling, a.IsShipping, a.IsDefaultBilling, a.IsDefaultShipping = billing != 0, shipping != 0, defBilling != 0, defShipping != 0
	a.CreatedAt, a.UpdatedAt = fromMicros(created), fromMicros(updated)
	return a, err
}

// addressLines is what the address filter searches: both lines, lower-cased.
func addressLines(a guild.Address) string {
	return strings.ToLower(a.AddressLine1) + "\n" + strings.ToLower(a.AddressLine2)
}

// Address returns an address with its extra fields.
func (r reader) Address(ctx context.Context, tenantID, id int64) (guild.Address, error) {
	var a guild.Address
	err := r.snapshot(ctx, func(q queryer) error {
		var err error
		a, err = scanAddress(q.QueryRowContext(ctx, `SELECT `+addressColumns+` FROM addresses WHERE tenant_id = ? AND id = ?`, tenantID, id))
		if err != nil {
			return wrap(err, "address %d", id)
		}
		values, err := loadExtraFields(ctx, q, tenantID, guild.ExtraFieldAddress, []int64{id})
		a.ExtraFields = values[id]
		return err
	})
	return a, err
}

// ListAddresses returns one page of the tenant's addresses matching f, by
// ascending id, and the count of all that match.
func (r reader) ListAddresses(ctx context.Context, tenantID int64, f guild.AddressFilter) ([]guild.Address, int, error) {
	where, args := addressWhere(tenantID, f)
	return listByID(ctx, r, tenantID, idList[guild.Address]{table: "addresses", columns: addressColumns, where: where, args: args,
		limit: f.Limit, offset: f.Offset, scan: scanAddress, withExtra: f.IncludeExtraFields, kind: guild.ExtraFieldAddress,
		fields: func(a *guild.Address) (int64, *[]guild.ExtraFieldValue) { return a.ID, &a.ExtraFields }})
}

// addressWhere returns the conditions of f on addresses, and their
// arguments. Times compare at one-second granularity, both ends inclusive,
// as the other lists'.
func addressWhere(tenantID int64, f guild.AddressFilter) (string, []any) {
	conds := []string{"tenant_id = ?"}
	args := []any{tenantID}
	add := func(cond string, a ...any) {
		conds = append(conds, cond)
		args = append(args, a...)
	}
	if f.CompanyID != nil {
		add("company_id = ?", *f.CompanyID)
	}
	if f.CreatedByUserID != nil {
		add("created_by_user_id = ?", *f.CreatedByUserID)
	}
	for _, b := range []struct {
		col string
		v   *bool
	}{{"is_billing", f.IsBilling}, {"is_shipping", f.IsShipping}, {"is_default_billing", f.IsDefaultBilling}, {"is_default_shipping", f.IsDefaultShipping}} {
		if b.v != nil {
			add(b.col+" = ?", boolInt(*b.v))
		}
	}
	if f.FirstName != "" {
		add("first_name_lower = ?", strings.ToLower(f.FirstName))
	}
	if f.LastName != "" {
		add("last_name_lower = ?", strings.ToLower(f.LastName))
	}
	if f.City != "" {
		add("city_lower = ?", strings.ToLower(f.City))
	}
	if f.Address != "" {
		add("instr(lines_lower, ?) > 0", strings.ToLower(f.Address))
	}
	if f.CountryCode != "" {
		add("country_code = ?", f.CountryCode)
	}
	if f.State != "" {
		add("(state_lower = ? OR lower(state_code) = ?)", strings.ToLower(f.State), strings.ToLower(f.State))
	}
	if f.ZipCode != "" {
		add("zip_code = ?", f.ZipCode)
	}
	if f.PhoneNumber != "" {
		add("phone = ?", f.PhoneNumber)
	}
	if len(f.ExternalIDs) > 0 {
		ph := strings.Repeat("?, ", len(f.ExternalIDs))
		ids := make([]any, len(f.ExternalIDs))
		for i, id := range f.ExternalIDs {
			ids[i] = id
		}
		add("external_id IN ("+ph[:len(ph)-2]+")", ids...)
	}
	const second = 1_000_000
	if !f.MinModified.IsZero() {
		add("updated_at >= ?", f.MinModified.Unix()*second)
	}
	if !f.MaxModified.IsZero() {
		add("updated_at < ?", (f.MaxModified.Unix()+1)*second)
	}
	if !f.MinCreated.IsZero() {
		add("created_at >= ?", f.MinCreated.Unix()*second)
	}
	if !f.MaxCreated.IsZero() {
		add("created_at < ?", (f.MaxCreated.Unix()+1)*second)
	}
	return strings.Join(conds, " AND "), args
}

// CreateAddress inserts an address with its extra fields.
func (t *tx) CreateAddress(ctx context.Context, a guild.Address) (int64, error) {
	if err := companyExists(ctx, t.q, a.TenantID, a.CompanyID); err != nil {
		return 0, err
	}
	a.CreatedAt, a.UpdatedAt = stamps(a.CreatedAt, a.UpdatedAt, t.now)
	var id int64
	err := t.q.QueryRowContext(ctx, `
		INSERT INTO addresses (tenant_id, company_id, first_name, last_name, phone, zip_code, address_line1,
			address_line2, city, state_name, state_code, country_name, country_code, is_billing, is_shipping,
			is_default_billing, is_default_shipping, label, external_id, created_by_user_id,
			first_name_lower, last_name_lower, city_lower, lines_lower, state_lower, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		a.TenantID, a.CompanyID, a.FirstName, a.LastName, a.Phone, a.ZipCode, a.AddressLine1,
		a.AddressLine2, a.City, a.StateName, a.StateCode, a.CountryName, a.CountryCode, boolInt(a.IsBilling), boolInt(a.IsShipping),
		boolInt(a.IsDefaultBilling), boolInt(a.IsDefaultShipping), a.Label, a.ExternalID, a.CreatedByUserID,
		strings.ToLower(a.FirstName), strings.ToLower(a.LastName), strings.ToLower(a.City), addressLines(a), strings.ToLower(a.StateName),
		micros(a.CreatedAt), micros(a.UpdatedAt)).Scan(&id)
	if err != nil {
		return 0, wrap(err, "create an address of company %d", a.CompanyID)
	}
	if err := setExtraFieldValues(ctx, t.q, a.TenantID, guild.ExtraFieldAddress, id, a.ExtraFields); err != nil {
		return 0, err
	}
	return id, nil
}

// UpdateAddress replaces the address's scalar fields but CreatedAt,
// CompanyID and CreatedByUserID; UpdatedAt is now when zero.
func (t *tx) UpdateAddress(ctx context.Context, a guild.Address) error {
	res, err := t.q.ExecContext(ctx, `
		UPDATE addresses SET first_name = ?, last_name = ?, phone = ?, zip_code = ?, address_line1 = ?,
			address_line2 = ?, city = ?, state_name = ?, state_code = ?, country_name = ?, country_code = ?,
			is_billing = ?, is_shipping = ?, is_default_billing = ?, is_default_shipping = ?, label = ?, external_id = ?,
			first_name_lower = ?, last_name_lower = ?, city_lower = ?, lines_lower = ?, state_lower = ?, updated_at = ?
		WHERE tenant_id = ? AND id = ?`,
		a.FirstName, a.LastName, a.Phone, a.ZipCode, a.AddressLine1,
		a.AddressLine2, a.City, a.StateName, a.StateCode, a.CountryName, a.CountryCode,
		boolInt(a.IsBilling), boolInt(a.IsShipping), boolInt(a.IsDefaultBilling), boolInt(a.IsDefaultShipping), a.Label, a.ExternalID,
		strings.ToLower(a.FirstName), strings.ToLower(a.LastName), strings.ToLower(a.City), addressLines(a), strings.ToLower(a.StateName),
		micros(orNow(a.UpdatedAt, t.now)), a.TenantID, a.ID)
	if err != nil {
		return wrap(err, "update address %d", a.ID)
	}
	return affected(res, "address %d does not exist", a.ID)
}

// DeleteAddress deletes the address and its extra-field values.
func (t *tx) DeleteAddress(ctx context.Context, tenantID, id int64) error {
	res, err := t.q.ExecContext(ctx, `DELETE FROM addresses WHERE tenant_id = ? AND id = ?`, tenantID, id)
	if err != nil {
		return wrap(err, "delete address %d", id)
	}
	if err := affected(res, "address %d does not exist", id); err != nil {
		return err
	}
	_, err = t.q.ExecContext(ctx, `DELETE FROM extra_field_values WHERE kind = 'address' AND record_id = ? AND tenant_id = ?`, id, tenantID)
	return wrap(err, "delete the extra fields of address %d", id)
}

// ClearAddressDefault unsets a default flag on the company's other addresses.
func (t *tx) ClearAddressDefault(ctx context.Context, tenantID, companyID int64, which guild.AddressDefault, exceptID int64, at time.Time) ([]int64, error) {
	col, err := defaultColumn(which)
	if err != nil {
		return nil, err
	}
	rows, err := t.q.QueryContext(ctx, `
		UPDATE addresses SET `+col+` = 0, updated_at = ?
		WHERE tenant_id = ? AND company_id = ? AND `+col+` = 1 AND id <> ? RETURNING id`,
		micros(orNow(at, t.now)), tenantID, companyID, exceptID)
	if err != nil {
		return nil, wrap(err, "clear the default address of company %d", companyID)
	}
	return collect(rows, func(sc scanner) (int64, error) {
		var id int64
		return id, sc.Scan(&id)
	}, "clear the default address")
}

// defaultColumn returns the column of a default flag.
func defaultColumn(which guild.AddressDefault) (string, error) {
	switch which {
	case guild.DefaultBilling:
		return "is_default_billing", nil
	case guild.DefaultShipping:
		return "is_default_shipping", nil
	}
	return "", guild.Errorf(guild.EInvalid, "unknown default address kind %d", which)
}
