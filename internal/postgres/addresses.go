package postgres

import (
	"context"
	"strconv"
	"strings"
	"time"

	guild "github.com/guild-b2b/guild"
	"github.com/jackc/pgx/v5"
)

const addressColumns = `id, tenant_id, company_id, first_name, last_name, phone, zip_code, address_line1,
	address_line2, city, state_name, state_code, country_name, country_code, is_billing, is_shipping,
	is_default_billing, is_default_shipping, label, external_id, created_by_user_id, created_at, updated_at`

func scanAddress(sc scanner) (guild.Address, error) {
	var a guild.Address
	var created, updated int64
	err := sc.Scan(&a.ID, &a.TenantID, &a.CompanyID, &a.FirstName, &a.LastName, &a.Phone, &a.ZipCode, &a.AddressLine1,
		&a.AddressLine2, &a.City, &a.StateName, &a.StateCode, &a.CountryName, &a.CountryCode, &a.IsBilling, &a.IsShipping,
		&a.IsDefaultBilling, &a.IsDefaultShipping, &a.Label, &a.ExternalID, &a.CreatedByUserID, &created, &updated)
	a.CreatedAt, a.UpdatedAt = fromMicros(created), fromMicros(updated)
	return a, err
}

// addressLines is what the address filter searches: both lines, lower-cased
// (by Go, as the SQLite store does, so both fold case alike).
func addressLines(a guild.Address) string {
	return strings.ToLower(a.AddressLine1) + "\n" + strings.ToLower(a.AddressLine2)
}

// Address returns an address with its extra fields, in one round trip.
func (r reader) Address(ctx context.Context, tenantID, id int64) (guild.Address, error) {
	var a guild.Address
	b := &pgx.Batch{}
	b.Queue(`SELECT `+addressColumns+` FROM addresses WHERE tenant_id = $1 AND id = $2`, tenantID, id).
		QueryRow(func(row pgx.Row) error {
			var err error
			a, err = scanAddress(row)
			return err
		})
	values := queueValues(b, tenantID, guild.ExtraFieldAddress, []int64{id})
	if err := r.db.SendBatch(ctx, b).Close(); err != nil {
		return guild.Address{}, r.fail(err, "address %d", id)
	}
	a.ExtraFields = values[id]
	return a, nil
}

// ListAddresses returns one page of the tenant's addresses matching f, by
// ascending id, and the count of all that match: page and count in one
// round trip with the same WHERE; the page's extra fields, when asked for,
// one more.
func (r reader) ListAddresses(ctx context.Context, tenantID int64, f guild.AddressFilter) ([]guild.Address, int, error) {
	where, args := addressWhere(tenantID, f)
	return listByID(ctx, r, tenantID, idList[guild.Address]{table: "addresses", columns: addressColumns, where: where, args: args,
		limit: f.Limit, offset: f.Offset, scan: scanAddress, withExtra: f.IncludeExtraFields, kind: guild.ExtraFieldAddress,
		fields: func(a *guild.Address) (int64, *[]guild.ExtraFieldValue) { return a.ID, &a.ExtraFields }})
}

// addressWhere returns the WHERE condition of f on addresses and its
// arguments ($1 is tenantID). Times compare at one-second granularity, both
// ends inclusive, as the other lists'.
func addressWhere(tenantID int64, f guild.AddressFilter) (string, []any) {
	conds := []string{"tenant_id = $1"}
	args := []any{tenantID}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.CompanyID != nil {
		conds = append(conds, "company_id = "+arg(*f.CompanyID))
	}
	if f.CreatedByUserID != nil {
		conds = append(conds, "created_by_user_id = "+arg(*f.CreatedByUserID))
	}
	for _, b := range []struct {
		col string
		v   *bool
	}{{"is_billing", f.IsBilling}, {"is_shipping", f.IsShipping}, {"is_default_billing", f.IsDefaultBilling}, {"is_default_shipping", f.IsDefaultShipping}} {
		if b.v != nil {
			conds = append(conds, b.col+" = "+arg(*b.v))
		}
	}
	if f.FirstName != "" {
		conds = append(conds, "first_name_lower = "+arg(strings.ToLower(f.FirstName)))
	}
	if f.LastName != "" {
		conds = append(conds, "last_name_lower = "+arg(strings.ToLower(f.LastName)))
	}
	if f.City != "" {
		conds = append(conds, "city_lower = "+arg(strings.ToLower(f.City)))
	}
	if f.Address != "" {
		conds = append(conds, "strpos(lines_lower, "+arg(strings.ToLower(f.Address))+") > 0")
	}
	if f.CountryCode != "" {
		conds = append(conds, "country_code = "+arg(f.CountryCode))
	}
	if f.State != "" {
		p := arg(strings.ToLower(f.State))
		conds = append(conds, "(state_lower = "+p+" OR lower(state_code) = "+p+")")
	}
	if f.ZipCode != "" {
		conds = append(conds, "zip_code = "+arg(f.ZipCode))
	}
	if f.PhoneNumber != "" {
		conds = append(conds, "phone = "+arg(f.PhoneNumber))
	}
	if len(f.ExternalIDs) > 0 {
		conds = append(conds, "external_id = ANY("+arg(f.ExternalIDs)+"::text[])")
	}
	const second = 1_000_000
	if !f.MinModified.IsZero() {
		conds = append(conds, "updated_at >= "+arg(f.MinModified.Unix()*second))
	}
	if !f.MaxModified.IsZero() {
		conds = append(conds, "updated_at < "+arg((f.MaxModified.Unix()+1)*second))
	}
	if !f.MinCreated.IsZero() {
		conds = append(conds, "created_at >= "+arg(f.MinCreated.Unix()*second))
	}
	if !f.MaxCreated.IsZero() {
		conds = append(conds, "created_at < "+arg((f.MaxCreated.Unix()+1)*second))
	}
	return strings.Join(conds, " AND "), args
}

// CreateAddress inserts an address, then its extra fields. The company must
// be the tenant's (ENotFound).
func (t *tx) CreateAddress(ctx context.Context, a guild.Address) (int64, error) {
	a.CreatedAt = orNow(a.CreatedAt)
	if a.UpdatedAt.IsZero() {
		a.UpdatedAt = a.CreatedAt
	}
	var id int64
	b := &pgx.Batch{}
	queueExists(b, `SELECT 1 FROM companies WHERE tenant_id = $1 AND id = $2`, []any{a.TenantID, a.CompanyID},
		"company %d does not exist", a.CompanyID)
	b.Queue(`
		INSERT INTO addresses (tenant_id, company_id, first_name, last_name, phone, zip_code, address_line1,
			address_line2, city, state_name, state_code, country_name, country_code, is_billing, is_shipping,
			is_default_billing, is_default_shipping, label, external_id, created_by_user_id,
			first_name_lower, last_name_lower, city_lower, lines_lower, state_lower, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,
			$21, $22, $23, $24, $25, $26, $27) RETURNING id`,
		a.TenantID, a.CompanyID, a.FirstName, a.LastName, a.Phone, a.ZipCode, a.AddressLine1,
		a.AddressLine2, a.City, a.StateName, a.StateCode, a.CountryName, a.CountryCode, a.IsBilling, a.IsShipping,
		a.IsDefaultBilling, a.IsDefaultShipping, a.Label, a.ExternalID, a.CreatedByUserID,
		strings.ToLower(a.FirstName), strings.ToLower(a.LastName), strings.ToLower(a.City), addressLines(a), strings.ToLower(a.StateName),
		micros(a.CreatedAt), micros(a.UpdatedAt)).
		QueryRow(func(row pgx.Row) error { return row.Scan(&id) })
	if err := t.write(ctx, b, "create an address of company %d", a.CompanyID); err != nil {
		return 0, err
	}
	if len(a.ExtraFields) > 0 {
		if err := t.SetExtraFieldValues(ctx, a.TenantID, guild.ExtraFieldAddress, id, a.ExtraFields); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// UpdateAddress replaces the address's scalar fields but CreatedAt,
// CompanyID and CreatedByUserID; UpdatedAt is now when zero.
func (t *tx) UpdateAddress(ctx context.Context, a guild.Address) error {
	b := &pgx.Batch{}
	b.Queue(`
		UPDATE addresses SET first_name = $3, last_name = $4, phone = $5, zip_code = $6, address_line1 = $7,
			address_line2 = $8, city = $9, state_name = $10, state_code = $11, country_name = $12, country_code = $13,
			is_billing = $14, is_shipping = $15, is_default_billing = $16, is_default_shipping = $17, label = $18,
			external_id = $19, first_name_lower = $20, last_name_lower = $21, city_lower = $22, lines_lower = $23,
			state_lower = $24, updated_at = $25
		WHERE tenant_id = $1 AND id = $2`,
		a.TenantID, a.ID, a.FirstName, a.LastName, a.Phone, a.ZipCode, a.AddressLine1,
		a.AddressLine2, a.City, a.StateName, a.StateCode, a.CountryName, a.CountryCode,
		a.IsBilling, a.IsShipping, a.IsDefaultBilling, a.IsDefaultShipping, a.Label,
		a.ExternalID, strings.ToLower(a.FirstName), strings.ToLower(a.LastName), strings.ToLower(a.City), addressLines(a),
		strings.ToLower(a.StateName), micros(orNow(a.UpdatedAt))).
		Exec(mustAffect("address %d does not exist", a.ID))
	return t.write(ctx, b, "update address %d", a.ID)
}

// DeleteAddress deletes the address and its extra-field values.
func (t *tx) DeleteAddress(ctx context.Context, tenantID, id int64) error {
	b := &pgx.Batch{}
	b.Queue(`DELETE FROM addresses WHERE tenant_id = $1 AND id = $2`, tenantID, id).
		Exec(mustAffect("address %d does not exist", id))
	b.Queue(`DELETE FROM extra_field_values WHERE kind = 'address' AND record_id = $2 AND tenant_id = $1`, tenantID, id)
	return t.write(ctx, b, "delete address %d", id)
}

// ClearAddressDefault unsets a default flag on the company's other addresses.
func (t *tx) ClearAddressDefault(ctx context.Context, tenantID, companyID int64, which guild.AddressDefault, exceptID int64, at time.Time) ([]int64, error) {
	var col string
	switch which {
	case guild.DefaultBilling:
		col = "is_default_billing"
	case guild.DefaultShipping:
		col = "is_default_shipping"
	default:
		return nil, guild.Errorf(guild.EInvalid, "unknown default address kind %d", which)
	}
	var ids []int64
	b := &pgx.Batch{}
	b.Queue(`
		UPDATE addresses SET `+col+` = false, updated_at = $4
		WHERE tenant_id = $1 AND company_id = $2 AND `+col+` AND id <> $3 RETURNING id`,
		tenantID, companyID, exceptID, micros(orNow(at))).
		Query(func(rows pgx.Rows) error {
			var err error
			ids, err = pgx.CollectRows(rows, pgx.RowTo[int64])
			return err
		})
	if err := t.write(ctx, b, "clear the default address of company %d", companyID); err != nil {
		return nil, err
	}
	return ids, nil
}
