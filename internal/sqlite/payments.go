package sqlite

import (
	"context"
	"fmt"
	"strings"

	guild "github.com/guild-b2b/guild"
)

const paymentMethodColumns = `id, tenant_id, code, title, enabled_by_default, created_at, updated_at`

func scanPaymentMethod(sc scanner) (guild.PaymentMethod, error) {
	var m guild.PaymentMethod
	var def, created, updated int64
	err := sc.Scan(&m.ID, &m.TenantID, &m.Code, &m.Title, &def, &created, &updated)
	m.EnabledByDefault = def != 0
	m.CreatedAt, m.UpdatedAt = fromMicros(created), fromMicros(updated)
	return m, err
}

// PaymentMethodByCode finds a payment method by its code.
func (r reader) PaymentMethodByCode(ctx context.Context, tenantID int64, code string) (guild.PaymentMethod, error) {
	m, err := scanPaymentMethod(r.q.QueryRowContext(ctx,
		`SELECT `+paymentMethodColumns+` FROM payment_methods WHERE tenant_id = ? AND code = ?`, tenantID, code))
	return m, wrap(err, "payment method %q", code)
}

// ListPaymentMethods lists the tenant's payment methods by ascending id.
func (r reader) ListPaymentMethods(ctx context.Context, tenantID int64) ([]guild.PaymentMethod, error) {
	rows, err := r.q.QueryContext(ctx, `SELECT `+paymentMethodColumns+` FROM payment_methods WHERE tenant_id = ? ORDER BY id`, tenantID)
	if err != nil {
		return nil, wrap(err, "list payment methods")
	}
	return collect(rows, scanPaymentMethod, "list payment methods")
}

func scanCompanyPayment(sc scanner) (guild.CompanyPayment, error) {
	var p guild.CompanyPayment
	var enabled, created, updated int64
	err := sc.Scan(&p.TenantID, &p.CompanyID, &p.PaymentMethodID, &enabled, &created, &updated)
	p.Enabled = enabled != 0
	p.CreatedAt, p.UpdatedAt = fromMicros(created), fromMicros(updated)
	return p, err
}

// CompanyPayments lists a company's own payment settings by method id.
func (r reader) CompanyPayments(ctx context.Context, tenantID, companyID int64) ([]guild.CompanyPayment, error) {
	rows, err := r.q.QueryContext(ctx, `
		SELECT tenant_id, company_id, payment_method_id, enabled, created_at, updated_at
		FROM company_payments WHERE tenant_id = ? AND company_id = ? ORDER BY payment_method_id`, tenantID, companyID)
	if err != nil {
		return nil, wrap(err, "payments of company %d", companyID)
	}
	return collect(rows, scanCompanyPayment, fmt.Sprintf("payments of company %d", companyID))
}

// ListEnabledCompanyPayments pages the pairs of company and payment method
// where the company may use the method, and counts them all.
func (r reader) ListEnabledCompanyPayments(ctx context.Context, tenantID int64, f guild.EnabledCompanyPaymentFilter) ([]guild.EnabledCompanyPayment, int, error) {
	conds := []string{"c.tenant_id = ?", "COALESCE(cp.enabled, m.enabled_by_default) <> 0"}
	args := []any{tenantID}
	if f.CompanyID != nil {
		conds = append(conds, "c.id = ?")
		args = append(args, *f.CompanyID)
	}
	if f.Query != "" {
		p := likeContains(f.Query)
		conds = append(conds, `(guild_lower(m.code) LIKE ? ESCAPE '\' OR guild_lower(m.title) LIKE ? ESCAPE '\')`)
		args = append(args, p, p)
	}
	from := ` FROM companies c
		JOIN payment_methods m ON m.tenant_id = c.tenant_id
		LEFT JOIN company_payments cp ON cp.company_id = c.id AND cp.payment_method_id = m.id
		WHERE ` + strings.Join(conds, " AND ")
	sortCol := "ua"
	if f.Sort == guild.PaymentSortCreatedAt {
		sortCol = "ca"
	}
	dir := "ASC"
	if f.Desc {
		dir = "DESC"
	}
	var (
		page  []guild.EnabledCompanyPayment
		total int
	)
	err := r.snapshot(ctx, func(q queryer) error {
		if err := q.QueryRowContext(ctx, `SELECT count(*)`+from, args...).Scan(&total); err != nil {
			return err
		}
		rows, err := q.QueryContext(ctx, `
			SELECT c.id, m.id, m.tenant_id, m.code, m.title, m.enabled_by_default, m.created_at, m.updated_at,
				COALESCE(cp.created_at, m.created_at) AS ca, COALESCE(cp.updated_at, m.updated_at) AS ua`+from+`
			ORDER BY `+sortCol+` `+dir+`, c.id `+dir+`, m.id `+dir+` LIMIT ? OFFSET ?`,
			append(args, limitOrAll(f.Limit), f.Offset)...)
		if err != nil {
			return err
		}
		page, err = collect(rows, func(sc scanner) (guild.EnabledCompanyPayment, error) {
			var p guild.EnabledCompanyPayment
			var def, mc, mu, ca, ua int64
			err := sc.Scan(&p.CompanyID, &p.Method.ID, &p.Method.TenantID, &p.Method.Code, &p.Method.Title, &def, &mc, &mu, &ca, &ua)
			p.Method.EnabledByDefault = def != 0
			p.Method.CreatedAt, p.Method.UpdatedAt = fromMicros(mc), fromMicros(mu)
			p.CreatedAt, p.UpdatedAt = fromMicros(ca), fromMicros(ua)
			return p, err
		}, "list enabled company payments")
		return err
	})
	if err != nil {
		return nil, 0, wrap(err, "list enabled company payments")
	}
	return page, total, nil
}

// limitOrAll turns a limit of 0 (none) into SQLite's "no limit".
func limitOrAll(limit int) int {
	if limit <= 0 {
		return -1
	}
	return limit
}

// CompanyCredit returns a company's credit.
func (r reader) CompanyCredit(ctx context.Context, tenantID, companyID int64) (guild.CompanyCredit, error) {
	c := guild.CompanyCredit{TenantID: tenantID, CompanyID: companyID}
	var enabled, limit, hold, updated int64
	err := r.q.QueryRowContext(ctx, `
		SELECT credit_enabled, credit_currency, available_credit, limit_purchases, credit_hold, updated_at
		FROM company_credits WHERE tenant_id = ? AND company_id = ?`, tenantID, companyID).
		Scan(&enabled, &c.CreditCurrency, &c.AvailableCredit, &limit, &hold, &updated)
	if err != nil {
		return guild.CompanyCredit{}, wrap(err, "credit of company %d", companyID)
	}
	c.CreditEnabled, c.LimitPurchases, c.CreditHold = enabled != 0, limit != 0, hold != 0
	c.UpdatedAt = fromMicros(updated)
	return c, nil
}

// CompanyPaymentTerms returns a company's payment terms.
func (r reader) CompanyPaymentTerms(ctx context.Context, tenantID, companyID int64) (guild.CompanyPaymentTerms, error) {
	pt := guild.CompanyPaymentTerms{TenantID: tenantID, CompanyID: companyID}
	var enabled, updated int64
	err := r.q.QueryRowContext(ctx, `
		SELECT enabled, days, updated_at FROM company_payment_terms WHERE tenant_id = ? AND company_id = ?`,
		tenantID, companyID).Scan(&enabled, &pt.Days, &updated)
	if err != nil {
		return guild.CompanyPaymentTerms{}, wrap(err, "payment terms of company %d", companyID)
	}
	pt.Enabled, pt.UpdatedAt = enabled != 0, fromMicros(updated)
	return pt, nil
}

// CreatePaymentMethod inserts a payment method; a taken code is EConflict.
func (t *tx) CreatePaymentMethod(ctx context.Context, m guild.PaymentMethod) (int64, error) {
	m.CreatedAt, m.UpdatedAt = stamps(m.CreatedAt, m.UpdatedAt, t.now)
	var id int64
	err := t.q.QueryRowContext(ctx, `
		INSERT INTO payment_methods (tenant_id, code, title, enabled_by_default, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		m.TenantID, m.Code, m.Title, boolInt(m.EnabledByDefault), micros(m.CreatedAt), micros(m.UpdatedAt)).Scan(&id)
	return id, wrap(err, "create payment method %q", m.Code)
}

// UpdatePaymentMethod replaces a method's title, default and UpdatedAt.
func (t *tx) UpdatePaymentMethod(ctx context.Context, m guild.PaymentMethod) error {
	res, err := t.q.ExecContext(ctx, `
		UPDATE payment_methods SET title = ?, enabled_by_default = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
		m.Title, boolInt(m.EnabledByDefault), micros(orNow(m.UpdatedAt, t.now)), m.TenantID, m.ID)
	if err != nil {
		return wrap(err, "update payment method %d", m.ID)
	}
	return affected(res, "payment method %d does not exist", m.ID)
}

// DeletePaymentMethod deletes a method; companies' settings of it go with it
// (ON DELETE CASCADE).
func (t *tx) DeletePaymentMethod(ctx context.Context, tenantID, id int64) error {
	res, err := t.q.ExecContext(ctx, `DELETE FROM payment_methods WHERE tenant_id = ? AND id = ?`, tenantID, id)
	if err != nil {
		return wrap(err, "delete payment method %d", id)
	}
	return affected(res, "payment method %d does not exist", id)
}

// SetCompanyPayments upserts a company's settings of the methods in ps.
func (t *tx) SetCompanyPayments(ctx context.Context, tenantID, companyID int64, ps []guild.CompanyPayment) error {
	if err := companyExists(ctx, t.q, tenantID, companyID); err != nil {
		return err
	}
	for _, p := range ps {
		created, updated := stamps(p.CreatedAt, p.UpdatedAt, t.now)
		res, err := t.q.ExecContext(ctx, `
			INSERT INTO company_payments (tenant_id, company_id, payment_method_id, enabled, created_at, updated_at)
			SELECT ?, ?, id, ?, ?, ? FROM payment_methods WHERE tenant_id = ? AND id = ?
			ON CONFLICT (company_id, payment_method_id) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at`,
			tenantID, companyID, boolInt(p.Enabled), micros(created), micros(updated), tenantID, p.PaymentMethodID)
		if err != nil {
			return wrap(err, "set payment method %d of company %d", p.PaymentMethodID, companyID)
		}
		if err := affected(res, "payment method %d does not exist", p.PaymentMethodID); err != nil {
			return err
		}
	}
	return nil
}

// SetCompanyCredit upserts a company's credit.
func (t *tx) SetCompanyCredit(ctx context.Context, c guild.CompanyCredit) error {
	if err := companyExists(ctx, t.q, c.TenantID, c.CompanyID); err != nil {
		return err
	}
	_, err := t.q.ExecContext(ctx, `
		INSERT INTO company_credits (company_id, tenant_id, credit_enabled, credit_currency, available_credit, limit_purchases, credit_hold, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (company_id) DO UPDATE SET credit_enabled = excluded.credit_enabled, credit_currency = excluded.credit_currency,
			available_credit = excluded.available_credit, limit_purchases = excluded.limit_purchases,
			credit_hold = excluded.credit_hold, updated_at = excluded.updated_at`,
		c.CompanyID, c.TenantID, boolInt(c.CreditEnabled), c.CreditCurrency, c.AvailableCredit, boolInt(c.LimitPurchases),
		boolInt(c.CreditHold), micros(orNow(c.UpdatedAt, t.now)))
	return wrap(err, "set credit of company %d", c.CompanyID)
}

// SetCompanyPaymentTerms upserts a company's payment terms.
func (t *tx) SetCompanyPaymentTerms(ctx context.Context, pt guild.CompanyPaymentTerms) error {
	if err := companyExists(ctx, t.q, pt.TenantID, pt.CompanyID); err != nil {
		return err
	}
	_, err := t.q.ExecContext(ctx, `
		INSERT INTO company_payment_terms (company_id, tenant_id, enabled, days, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (company_id) DO UPDATE SET enabled = excluded.enabled, days = excluded.days, updated_at = excluded.updated_at`,
		pt.CompanyID, pt.TenantID, boolInt(pt.Enabled), pt.Days, micros(orNow(pt.UpdatedAt, t.now)))
	return wrap(err, "set payment terms of company %d", pt.CompanyID)
}
