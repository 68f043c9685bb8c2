package sqlite

import (
	"context"
	"fmt"
	"slices"
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
//
// Joining every company with every method and sorting the pairs took seconds
// a page at 1,000,000 companies. The pairs come from two kinds of source,
// each readable in the list's order: the companies' settings that enable a
// method (indexes company_payments_enabled_*), and, per method enabled by
// default, the companies without a setting of it (by id; every such pair has
// the method's timestamps). The page is merged from the first offset+limit
// pairs of each source; the total is counted from the settings (see
// countEnabledPayments), not from the pairs.
func (r reader) ListEnabledCompanyPayments(ctx context.Context, tenantID int64, f guild.EnabledCompanyPaymentFilter) ([]guild.EnabledCompanyPayment, int, error) {
	var (
		page  []guild.EnabledCompanyPayment
		total int
	)
	err := r.snapshot(ctx, func(q queryer) error {
		methods, err := matchingPaymentMethods(ctx, q, tenantID, f.Query)
		if err != nil || len(methods) == 0 {
			return err
		}
		if page, err = enabledPaymentPage(ctx, q, tenantID, f, methods); err != nil {
			return err
		}
		total, err = countEnabledPayments(ctx, q, tenantID, f.CompanyID, methods)
		return err
	})
	if err != nil {
		return nil, 0, wrap(err, "list enabled company payments")
	}
	return page, total, nil
}

// matchingPaymentMethods lists the tenant's methods whose code or title
// contains query (all when it is empty).
func matchingPaymentMethods(ctx context.Context, q queryer, tenantID int64, query string) ([]guild.PaymentMethod, error) {
	stmt, args := `SELECT `+paymentMethodColumns+` FROM payment_methods WHERE tenant_id = ?`, []any{tenantID}
	if query != "" {
		p := likeContains(query)
		stmt += ` AND (guild_lower(code) LIKE ? ESCAPE '\' OR guild_lower(title) LIKE ? ESCAPE '\')`
		args = append(args, p, p)
	}
	rows, err := q.QueryContext(ctx, stmt+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanPaymentMethod, "payment methods")
}

// enabledPaymentPage merges the page from the sources of enabled pairs.
func enabledPaymentPage(ctx context.Context, q queryer, tenantID int64, f guild.EnabledCompanyPaymentFilter, methods []guild.PaymentMethod) ([]guild.EnabledCompanyPayment, error) {
	query, args := enabledPaymentQuery(tenantID, f, methods)
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]guild.PaymentMethod, len(methods))
	for _, m := range methods {
		byID[m.ID] = m
	}
	return collect(rows, func(sc scanner) (guild.EnabledCompanyPayment, error) {
		var p guild.EnabledCompanyPayment
		var methodID, ca, ua int64
		err := sc.Scan(&p.CompanyID, &methodID, &ca, &ua)
		p.Method, p.CreatedAt, p.UpdatedAt = byID[methodID], fromMicros(ca), fromMicros(ua)
		return p, err
	}, "enabled company payments")
}

// enabledPaymentQuery is the page's query: each source's first offset+limit
// pairs in the list's order, merged.
func enabledPaymentQuery(tenantID int64, f guild.EnabledCompanyPaymentFilter, methods []guild.PaymentMethod) (string, []any) {
	key, dir := "ua", "ASC"
	if f.Sort == guild.PaymentSortCreatedAt {
		key = "ca"
	}
	if f.Desc {
		dir = "DESC"
	}
	order := key + ` ` + dir + `, company_id ` + dir + `, method_id ` + dir
	each := -1 // all when there is no limit
	if f.Limit > 0 {
		each = f.Offset + f.Limit
	}
	ids := make([]any, len(methods))
	for i, m := range methods {
		ids[i] = m.ID
	}
	oneCompany, companyArg := "", []any{}
	if f.CompanyID != nil {
		oneCompany, companyArg = ` AND company_id = ?`, []any{*f.CompanyID}
	}
	sources := []string{`SELECT * FROM (
		SELECT company_id, payment_method_id AS method_id, created_at AS ca, updated_at AS ua
		FROM company_payments
		WHERE tenant_id = ? AND enabled <> 0 AND payment_method_id IN (` + placeholders(len(ids)) + `)` + oneCompany + `
		ORDER BY ` + order + ` LIMIT ?)`}
	args := append(append(append([]any{tenantID}, ids...), companyArg...), each)
	if f.CompanyID != nil {
		oneCompany = ` AND c.id = ?`
	}
	for _, m := range methods {
		if !m.EnabledByDefault {
			continue
		}
		sources = append(sources, `SELECT * FROM (
			SELECT c.id AS company_id, ? AS method_id, ? AS ca, ? AS ua
			FROM companies c INDEXED BY companies_tenant
			WHERE c.tenant_id = ?`+oneCompany+` AND NOT EXISTS (
				SELECT 1 FROM company_payments cp WHERE cp.company_id = c.id AND cp.payment_method_id = ?)
			ORDER BY c.id `+dir+` LIMIT ?)`)
		args = append(args, m.ID, micros(m.CreatedAt), micros(m.UpdatedAt), tenantID)
		args = append(append(args, companyArg...), m.ID, each)
	}
	return `SELECT company_id, method_id, ca, ua FROM (` + unionAll(sources) + `) ORDER BY ` + order + ` LIMIT ? OFFSET ?`,
		append(args, limitOrAll(f.Limit), f.Offset)
}

// unionAllTerms is the most SELECTs unionAll puts in one compound: SQLite
// refuses more than 500 (SQLITE_MAX_COMPOUND_SELECT).
const unionAllTerms = 100

// unionAll joins selects with UNION ALL, nesting groups of at most
// unionAllTerms of them as subqueries when there are more (a store with
// hundreds of payment methods enabled by default).
func unionAll(selects []string) string {
	for len(selects) > unionAllTerms {
		var groups []string
		for chunk := range slices.Chunk(selects, unionAllTerms) {
			groups = append(groups, `SELECT * FROM (`+strings.Join(chunk, ` UNION ALL `)+`)`)
		}
		selects = groups
	}
	return strings.Join(selects, `
		UNION ALL `)
}

// countEnabledPayments counts the enabled pairs of methods from the number
// of companies (company_counts, or the one company asked for) and each
// method's settings: every company for a method enabled by default but
// those whose setting disables it; for another method, the companies whose
// setting enables it.
func countEnabledPayments(ctx context.Context, q queryer, tenantID int64, companyID *int64, methods []guild.PaymentMethod) (int, error) {
	companies, settings := `SELECT coalesce(sum(n), 0) AS companies FROM company_counts WHERE tenant_id = ?`, `tenant_id = ?`
	args := []any{tenantID}
	if companyID != nil {
		companies, settings = `SELECT count(*) AS companies FROM companies WHERE tenant_id = ? AND id = ?`, `tenant_id = ? AND company_id = ?`
		args = append(args, *companyID)
	}
	ids := make([]any, len(methods))
	for i, m := range methods {
		ids[i] = m.ID
	}
	var total int
	err := q.QueryRowContext(ctx, `
		SELECT coalesce(sum(CASE WHEN m.enabled_by_default <> 0 THEN n.companies - coalesce(s.disabled, 0)
			ELSE coalesce(s.enabled, 0) END), 0)
		FROM payment_methods m
		CROSS JOIN (`+companies+`) n
		LEFT JOIN (
			SELECT payment_method_id, count(*) FILTER (WHERE enabled <> 0) AS enabled, count(*) FILTER (WHERE enabled = 0) AS disabled
			FROM company_payments WHERE `+settings+` GROUP BY payment_method_id) s ON s.payment_method_id = m.id
		WHERE m.id IN (`+placeholders(len(ids))+`)`, append(append(args, args...), ids...)...).Scan(&total)
	return total, err
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
