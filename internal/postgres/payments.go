package postgres

import (
	"context"
	"slices"
	"strconv"

	guild "github.com/guild-b2b/guild"
	"github.com/jackc/pgx/v5"
)

const paymentMethodColumns = `id, tenant_id, code, title, enabled_by_default, created_at, updated_at`

func scanPaymentMethod(sc scanner) (guild.PaymentMethod, error) {
	var m guild.PaymentMethod
	var created, updated int64
	err := sc.Scan(&m.ID, &m.TenantID, &m.Code, &m.Title, &m.EnabledByDefault, &created, &updated)
	m.CreatedAt, m.UpdatedAt = fromMicros(created), fromMicros(updated)
	return m, err
}

// PaymentMethodByCode finds a payment method by its code.
func (r reader) PaymentMethodByCode(ctx context.Context, tenantID int64, code string) (guild.PaymentMethod, error) {
	m, err := scanPaymentMethod(r.db.QueryRow(ctx,
		`SELECT `+paymentMethodColumns+` FROM payment_methods WHERE tenant_id = $1 AND code = $2`, tenantID, code))
	return m, r.fail(err, "payment method %q", code)
}

// ListPaymentMethods lists the tenant's payment methods by ascending id.
func (r reader) ListPaymentMethods(ctx context.Context, tenantID int64) ([]guild.PaymentMethod, error) {
	rows, err := r.db.Query(ctx, `SELECT `+paymentMethodColumns+` FROM payment_methods WHERE tenant_id = $1 ORDER BY id`, tenantID)
	ms, err := collect(rows, err, scanPaymentMethod)
	return ms, r.fail(err, "list payment methods")
}

func scanCompanyPayment(sc scanner) (guild.CompanyPayment, error) {
	var p guild.CompanyPayment
	var created, updated int64
	err := sc.Scan(&p.TenantID, &p.CompanyID, &p.PaymentMethodID, &p.Enabled, &created, &updated)
	p.CreatedAt, p.UpdatedAt = fromMicros(created), fromMicros(updated)
	return p, err
}

// CompanyPayments lists a company's own payment settings by method id.
func (r reader) CompanyPayments(ctx context.Context, tenantID, companyID int64) ([]guild.CompanyPayment, error) {
	rows, err := r.db.Query(ctx, `
		SELECT tenant_id, company_id, payment_method_id, enabled, created_at, updated_at
		FROM company_payments WHERE tenant_id = $1 AND company_id = $2 ORDER BY payment_method_id`, tenantID, companyID)
	ps, err := collect(rows, err, scanCompanyPayment)
	return ps, r.fail(err, "payments of company %d", companyID)
}

// ListEnabledCompanyPayments pages the pairs of company and payment method
// where the company may use the method, and counts them all, in one round
// trip.
//
// Joining every company with every method and sorting the pairs took seconds
// a page at 1,000,000 companies. The pairs come from two kinds of source,
// each readable in the list's order: the companies' settings that enable a
// method (indexes company_payments_enabled_*), and, per method enabled by
// default, the companies without a setting of it (by id, a LATERAL read of
// companies_tenant_id; every such pair has the method's timestamps). The page
// is merged from the first offset+limit pairs of each source; the total is
// counted from the settings per method, not from the pairs.
func (r reader) ListEnabledCompanyPayments(ctx context.Context, tenantID int64, f guild.EnabledCompanyPaymentFilter) ([]guild.EnabledCompanyPayment, int, error) {
	args := []any{tenantID}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	methods, settings, oneCompany := "m.tenant_id = $1", "cp.tenant_id = $1", ""
	if f.Query != "" {
		p := arg(likeContains(f.Query))
		methods += ` AND (lower(m.code) LIKE ` + p + ` ESCAPE '\' OR lower(m.title) LIKE ` + p + ` ESCAPE '\')`
	}
	if f.CompanyID != nil {
		c := arg(*f.CompanyID)
		settings += ` AND cp.company_id = ` + c
		oneCompany = ` AND c.id = ` + c
	}
	key, dir := "ua", "ASC"
	if f.Sort == guild.PaymentSortCreatedAt {
		key = "ca"
	}
	if f.Desc {
		dir = "DESC"
	}
	order := key + ` ` + dir + `, company_id ` + dir + `, method_id ` + dir
	countArgs := slices.Clone(args) // the count's parameters are the filter's
	each := "ALL"                   // each source's first offset+limit pairs; all when there is no limit
	if f.Limit > 0 {
		each = arg(f.Offset + f.Limit)
	}
	pageSQL, pageArgs := paged(`
		SELECT e.company_id, m.id, m.tenant_id, m.code, m.title, m.enabled_by_default, m.created_at, m.updated_at, e.ca, e.ua
		FROM (
			(SELECT cp.company_id, cp.payment_method_id AS method_id, cp.created_at AS ca, cp.updated_at AS ua
			FROM company_payments cp JOIN payment_methods m ON m.id = cp.payment_method_id
			WHERE `+settings+` AND cp.enabled AND `+methods+`
			ORDER BY `+order+` LIMIT `+each+`)
			UNION ALL
			(SELECT c.id, m.id, m.created_at, m.updated_at
			FROM payment_methods m CROSS JOIN LATERAL (
				SELECT c.id FROM companies c
				WHERE c.tenant_id = $1`+oneCompany+` AND NOT EXISTS (
					SELECT 1 FROM company_payments cp WHERE cp.company_id = c.id AND cp.payment_method_id = m.id)
				ORDER BY c.id `+dir+` LIMIT `+each+`) c
			WHERE `+methods+` AND m.enabled_by_default)
		) e JOIN payment_methods m ON m.id = e.method_id
		ORDER BY `+order, args, guild.Page{Limit: f.Limit, Offset: f.Offset})
	companies := `SELECT COALESCE(sum(n), 0) AS n FROM company_counts WHERE tenant_id = $1`
	if f.CompanyID != nil {
		companies = `SELECT count(*) AS n FROM companies c WHERE c.tenant_id = $1` + oneCompany
	}
	var (
		page  []guild.EnabledCompanyPayment
		total int
	)
	b := &pgx.Batch{}
	b.Queue(pageSQL, pageArgs...).Query(func(rows pgx.Rows) error {
		var err error
		page, err = collect(rows, nil, func(sc scanner) (guild.EnabledCompanyPayment, error) {
			var p guild.EnabledCompanyPayment
			var mc, mu, ca, ua int64
			err := sc.Scan(&p.CompanyID, &p.Method.ID, &p.Method.TenantID, &p.Method.Code, &p.Method.Title,
				&p.Method.EnabledByDefault, &mc, &mu, &ca, &ua)
			p.Method.CreatedAt, p.Method.UpdatedAt = fromMicros(mc), fromMicros(mu)
			p.CreatedAt, p.UpdatedAt = fromMicros(ca), fromMicros(ua)
			return p, err
		})
		return err
	})
	// Every company for a method enabled by default but those whose setting
	// disables it; for another method, the companies whose setting enables it.
	b.Queue(`
		SELECT COALESCE(sum(CASE WHEN m.enabled_by_default THEN n.n - COALESCE(s.disabled, 0) ELSE COALESCE(s.enabled, 0) END), 0)
		FROM payment_methods m
		CROSS JOIN (`+companies+`) n
		LEFT JOIN (
			SELECT cp.payment_method_id, count(*) FILTER (WHERE cp.enabled) AS enabled, count(*) FILTER (WHERE NOT cp.enabled) AS disabled
			FROM company_payments cp WHERE `+settings+` GROUP BY cp.payment_method_id) s ON s.payment_method_id = m.id
		WHERE `+methods, countArgs...).QueryRow(func(row pgx.Row) error { return row.Scan(&total) })
	if err := r.db.SendBatch(ctx, b).Close(); err != nil {
		return nil, 0, r.fail(err, "list enabled company payments")
	}
	return page, total, nil
}

// CompanyCredit returns a company's credit.
func (r reader) CompanyCredit(ctx context.Context, tenantID, companyID int64) (guild.CompanyCredit, error) {
	c := guild.CompanyCredit{TenantID: tenantID, CompanyID: companyID}
	var updated int64
	err := r.db.QueryRow(ctx, `
		SELECT credit_enabled, credit_currency, available_credit, limit_purchases, credit_hold, updated_at
		FROM company_credits WHERE tenant_id = $1 AND company_id = $2`, tenantID, companyID).
		Scan(&c.CreditEnabled, &c.CreditCurrency, &c.AvailableCredit, &c.LimitPurchases, &c.CreditHold, &updated)
	if err != nil {
		return guild.CompanyCredit{}, r.fail(err, "credit of company %d", companyID)
	}
	c.UpdatedAt = fromMicros(updated)
	return c, nil
}

// CompanyPaymentTerms returns a company's payment terms.
func (r reader) CompanyPaymentTerms(ctx context.Context, tenantID, companyID int64) (guild.CompanyPaymentTerms, error) {
	pt := guild.CompanyPaymentTerms{TenantID: tenantID, CompanyID: companyID}
	var updated int64
	err := r.db.QueryRow(ctx, `SELECT enabled, days, updated_at FROM company_payment_terms WHERE tenant_id = $1 AND company_id = $2`,
		tenantID, companyID).Scan(&pt.Enabled, &pt.Days, &updated)
	if err != nil {
		return guild.CompanyPaymentTerms{}, r.fail(err, "payment terms of company %d", companyID)
	}
	pt.UpdatedAt = fromMicros(updated)
	return pt, nil
}

// CreatePaymentMethod inserts a payment method; a taken code is EConflict.
func (t *tx) CreatePaymentMethod(ctx context.Context, m guild.PaymentMethod) (int64, error) {
	m.CreatedAt = orNow(m.CreatedAt)
	if m.UpdatedAt.IsZero() {
		m.UpdatedAt = m.CreatedAt
	}
	return t.insertID(ctx, nil, `
		INSERT INTO payment_methods (tenant_id, code, title, enabled_by_default, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		[]any{m.TenantID, m.Code, m.Title, m.EnabledByDefault, micros(m.CreatedAt), micros(m.UpdatedAt)},
		"create payment method %q", m.Code)
}

// UpdatePaymentMethod replaces a method's title, default and UpdatedAt.
func (t *tx) UpdatePaymentMethod(ctx context.Context, m guild.PaymentMethod) error {
	return t.exec(ctx, mustAffect("payment method %d does not exist", m.ID), `
		UPDATE payment_methods SET title = $3, enabled_by_default = $4, updated_at = $5 WHERE tenant_id = $1 AND id = $2`,
		[]any{m.TenantID, m.ID, m.Title, m.EnabledByDefault, micros(orNow(m.UpdatedAt))},
		"update payment method %d", m.ID)
}

// DeletePaymentMethod deletes a method; companies' settings of it go with it
// (ON DELETE CASCADE).
func (t *tx) DeletePaymentMethod(ctx context.Context, tenantID, id int64) error {
	return t.exec(ctx, mustAffect("payment method %d does not exist", id),
		`DELETE FROM payment_methods WHERE tenant_id = $1 AND id = $2`, []any{tenantID, id}, "delete payment method %d", id)
}

// companyExists returns ENotFound unless the tenant has the company.
func (r reader) companyExists(ctx context.Context, tenantID, id int64) error {
	var one int
	err := r.db.QueryRow(ctx, `SELECT 1 FROM companies WHERE tenant_id = $1 AND id = $2`, tenantID, id).Scan(&one)
	return r.fail(err, "company %d", id)
}

// SetCompanyPayments upserts a company's settings of the methods in ps.
func (t *tx) SetCompanyPayments(ctx context.Context, tenantID, companyID int64, ps []guild.CompanyPayment) error {
	if err := t.companyExists(ctx, tenantID, companyID); err != nil {
		return err
	}
	for _, p := range ps {
		created := orNow(p.CreatedAt)
		updated := p.UpdatedAt
		if updated.IsZero() {
			updated = created
		}
		err := t.exec(ctx, mustAffect("payment method %d does not exist", p.PaymentMethodID), `
			INSERT INTO company_payments (tenant_id, company_id, payment_method_id, enabled, created_at, updated_at)
			SELECT $1, $2, id, $3, $4, $5 FROM payment_methods WHERE tenant_id = $1 AND id = $6
			ON CONFLICT (company_id, payment_method_id) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at`,
			[]any{tenantID, companyID, p.Enabled, micros(created), micros(updated), p.PaymentMethodID},
			"set payment method %d of company %d", p.PaymentMethodID, companyID)
		if err != nil {
			return err
		}
	}
	return nil
}

// SetCompanyCredit upserts a company's credit.
func (t *tx) SetCompanyCredit(ctx context.Context, c guild.CompanyCredit) error {
	if err := t.companyExists(ctx, c.TenantID, c.CompanyID); err != nil {
		return err
	}
	return t.exec(ctx, nil, `
		INSERT INTO company_credits (company_id, tenant_id, credit_enabled, credit_currency, available_credit, limit_purchases, credit_hold, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (company_id) DO UPDATE SET credit_enabled = excluded.credit_enabled, credit_currency = excluded.credit_currency,
			available_credit = excluded.available_credit, limit_purchases = excluded.limit_purchases,
			credit_hold = excluded.credit_hold, updated_at = excluded.updated_at`,
		[]any{c.CompanyID, c.TenantID, c.CreditEnabled, c.CreditCurrency, c.AvailableCredit, c.LimitPurchases, c.CreditHold,
			micros(orNow(c.UpdatedAt))},
		"set credit of company %d", c.CompanyID)
}

// SetCompanyPaymentTerms upserts a company's payment terms.
func (t *tx) SetCompanyPaymentTerms(ctx context.Context, pt guild.CompanyPaymentTerms) error {
	if err := t.companyExists(ctx, pt.TenantID, pt.CompanyID); err != nil {
		return err
	}
	return t.exec(ctx, nil, `
		INSERT INTO company_payment_terms (company_id, tenant_id, enabled, days, updated_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (company_id) DO UPDATE SET enabled = excluded.enabled, days = excluded.days, updated_at = excluded.updated_at`,
		[]any{pt.CompanyID, pt.TenantID, pt.Enabled, pt.Days, micros(orNow(pt.UpdatedAt))},
		"set payment terms of company %d", pt.CompanyID)
}
