package app

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strings"

	guild "github.com/guild-b2b/guild"
)

// Payments (issue 4). Guild keeps the store's catalogue of payment methods
// until a platform is connected; each company may use a method when its own
// setting enables it or, without one, when the method is enabled by default
// (so a company nobody configured sees the store's defaults).

// Markers of payment errors whose vendor answer differs from the others;
// the HTTP layer tells them apart with errors.Is.
var (
	// ErrNoSuchPayment marks a payment code the store does not have.
	ErrNoSuchPayment = errors.New("payment does not exist")
	// ErrCreditDisabled marks a credit request on a store without the
	// company credit feature.
	ErrCreditDisabled = errors.New("store company credit is not enabled")
)

// DefaultCreditCurrency is the currency of a company's credit until one is set.
const DefaultCreditCurrency = "USD"

// DefaultPaymentTerms are a new store's default payment terms (net days).
const DefaultPaymentTerms = 30

var paymentCodePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,49}$`)

const maxPaymentTitle = 50

func noSuchPayment(code string) error {
	return &guild.Error{Code: guild.ENotFound, Err: ErrNoSuchPayment,
		Message: fmt.Sprintf("Payment Does not Exist: the store has no payment method with code %q (GET /api/v3/io/payments lists them)", code)}
}

// companyMissing is the payment endpoints' answer for a missing company.
func companyMissing(id int64, err error) error {
	if guild.IsNotFound(err) {
		return guild.Errorf(guild.ENotFound, "Company Does not Exist: company %d does not exist in this store", id)
	}
	return err
}

// PaymentMethodInput is a new payment method.
type PaymentMethodInput struct {
	Code, Title string
	// EnabledByDefault: nil means true, so that a new method is usable by
	// the companies that have not set it.
	EnabledByDefault *bool
}

// PaymentMethodPatch changes a payment method; nil fields stay as they are.
type PaymentMethodPatch struct {
	Title            *string
	EnabledByDefault *bool
}

// ListPaymentMethods lists the store's payment methods.
func (a *App) ListPaymentMethods(ctx context.Context, t guild.Tenant) ([]guild.PaymentMethod, error) {
	return a.store.ListPaymentMethods(ctx, t.ID)
}

// PaymentMethod returns the store's payment method with the code.
func (a *App) PaymentMethod(ctx context.Context, t guild.Tenant, code string) (guild.PaymentMethod, error) {
	m, err := a.store.PaymentMethodByCode(ctx, t.ID, code)
	if guild.IsNotFound(err) {
		return m, noSuchPayment(code)
	}
	return m, err
}

// CreatePaymentMethod adds a payment method to the store's catalogue.
func (a *App) CreatePaymentMethod(ctx context.Context, t guild.Tenant, in PaymentMethodInput) (guild.PaymentMethod, error) {
	var p problems
	code := strings.TrimSpace(in.Code)
	if !paymentCodePattern.MatchString(code) {
		p.add("paymentCode", "must be 1-50 letters, digits, '_', '.' or '-', starting with a letter or digit (got %q)", in.Code)
	}
	title := p.text("paymentTitle", in.Title, true, maxPaymentTitle)
	if err := p.err(); err != nil {
		return guild.PaymentMethod{}, err
	}
	now := a.clock()
	m := guild.PaymentMethod{TenantID: t.ID, Code: code, Title: title, EnabledByDefault: in.EnabledByDefault == nil || *in.EnabledByDefault,
		CreatedAt: now, UpdatedAt: now}
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		var err error
		m.ID, err = tx.CreatePaymentMethod(ctx, m)
		if guild.IsConflict(err) {
			return guild.FieldError("paymentCode", "the store already has a payment method with code %q; change it with PUT /api/v3/io/payments/%s", code, code)
		}
		return err
	})
	return m, err
}

// UpdatePaymentMethod changes a payment method's title or default.
func (a *App) UpdatePaymentMethod(ctx context.Context, t guild.Tenant, code string, pt PaymentMethodPatch) (guild.PaymentMethod, error) {
	var p problems
	var title string
	if pt.Title != nil {
		title = p.text("paymentTitle", *pt.Title, true, maxPaymentTitle)
	}
	if err := p.err(); err != nil {
		return guild.PaymentMethod{}, err
	}
	var m guild.PaymentMethod
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		var err error
		m, err = tx.PaymentMethodByCode(ctx, t.ID, code)
		if guild.IsNotFound(err) {
			return noSuchPayment(code)
		}
		if err != nil {
			return err
		}
		if pt.Title != nil {
			m.Title = title
		}
		if pt.EnabledByDefault != nil {
			m.EnabledByDefault = *pt.EnabledByDefault
		}
		m.UpdatedAt = a.clock()
		return tx.UpdatePaymentMethod(ctx, m)
	})
	return m, err
}

// DeletePaymentMethod removes a payment method and every company's setting
// of it.
func (a *App) DeletePaymentMethod(ctx context.Context, t guild.Tenant, code string) error {
	return a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		m, err := tx.PaymentMethodByCode(ctx, t.ID, code)
		if guild.IsNotFound(err) {
			return noSuchPayment(code)
		}
		if err != nil {
			return err
		}
		return tx.DeletePaymentMethod(ctx, t.ID, m.ID)
	})
}

// CompanyPayment is a store's payment method as one company sees it.
type CompanyPayment struct {
	Method  guild.PaymentMethod
	Enabled bool
	// Own reports whether the company has set the method itself; otherwise
	// Enabled is the method's EnabledByDefault.
	Own bool
}

// CompanyPayments lists every payment method of the store and whether the
// company may use it.
func (a *App) CompanyPayments(ctx context.Context, t guild.Tenant, companyID int64) ([]CompanyPayment, error) {
	if _, err := a.store.Company(ctx, t.ID, companyID); err != nil {
		return nil, companyMissing(companyID, err)
	}
	return companyPayments(ctx, a.store, t, companyID)
}

func companyPayments(ctx context.Context, r guild.Reader, t guild.Tenant, companyID int64) ([]CompanyPayment, error) {
	ms, err := r.ListPaymentMethods(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	own, err := r.CompanyPayments(ctx, t.ID, companyID)
	if err != nil {
		return nil, err
	}
	out := make([]CompanyPayment, len(ms))
	for i, m := range ms {
		out[i] = CompanyPayment{Method: m, Enabled: m.EnabledByDefault}
		if j := slices.IndexFunc(own, func(p guild.CompanyPayment) bool { return p.PaymentMethodID == m.ID }); j >= 0 {
			out[i].Enabled, out[i].Own = own[j].Enabled, true
		}
	}
	return out, nil
}

// PaymentSetting enables or disables one payment method for a company.
type PaymentSetting struct {
	Code    string
	Enabled *bool // nil: missing from the request
}

// SetCompanyPayments sets whether the company may use the listed payment
// methods; the methods not listed keep their setting (or default). An
// unknown code refuses the whole request.
func (a *App) SetCompanyPayments(ctx context.Context, t guild.Tenant, companyID int64, settings []PaymentSetting) error {
	var p problems
	seen := map[string]int{}
	settings = slices.Clone(settings)
	for i, s := range settings {
		s.Code = strings.TrimSpace(s.Code)
		settings[i].Code = s.Code
		switch {
		case s.Code == "":
			p.add(fmt.Sprintf("payments[%d].code", i), "Code is required: the paymentCode of one of the store's payment methods")
		case seen[s.Code] > 0:
			p.add(fmt.Sprintf("payments[%d].code", i), "%q is also item %d; list each payment method once", s.Code, seen[s.Code]-1)
		default:
			seen[s.Code] = i + 1
		}
		if s.Enabled == nil {
			p.add(fmt.Sprintf("payments[%d].isEnabled", i), "isEnabled is required: true or false")
		}
	}
	if err := p.err(); err != nil {
		return err
	}
	return a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		if _, err := tx.Company(ctx, t.ID, companyID); err != nil {
			return companyMissing(companyID, err)
		}
		before, err := companyPayments(ctx, tx, t, companyID)
		if err != nil {
			return err
		}
		now := a.clock()
		var rows []guild.CompanyPayment
		var changed []paymentChange
		for _, s := range settings {
			i := slices.IndexFunc(before, func(cp CompanyPayment) bool { return cp.Method.Code == s.Code })
			if i < 0 {
				return noSuchPayment(s.Code)
			}
			cur := before[i]
			if cur.Own && cur.Enabled == *s.Enabled {
				continue
			}
			rows = append(rows, guild.CompanyPayment{TenantID: t.ID, CompanyID: companyID, PaymentMethodID: cur.Method.ID,
				Enabled: *s.Enabled, CreatedAt: now, UpdatedAt: now})
			if cur.Enabled != *s.Enabled {
				changed = append(changed, paymentChange{Code: s.Code, IsEnabled: *s.Enabled})
			}
		}
		if len(rows) == 0 {
			return nil
		}
		if err := tx.SetCompanyPayments(ctx, t.ID, companyID, rows); err != nil {
			return err
		}
		if len(changed) == 0 {
			return nil
		}
		return tx.Enqueue(ctx, message(t, guild.TopicCompanyPaymentsUpdated, guild.EntityCompany, companyID,
			companyPaymentsPayload{CompanyID: companyID, Payments: changed}))
	})
}

type paymentChange struct {
	Code      string `json:"code"`
	IsEnabled bool   `json:"isEnabled"`
}

type companyPaymentsPayload struct {
	CompanyID int64           `json:"companyId"`
	Payments  []paymentChange `json:"payments"`
}

// ListEnabledCompanyPayments pages the payment methods companies may use,
// one item per company and method. A company filter must name a company of
// the store.
func (a *App) ListEnabledCompanyPayments(ctx context.Context, t guild.Tenant, f guild.EnabledCompanyPaymentFilter) ([]guild.EnabledCompanyPayment, int, error) {
	var p problems
	checkPage(&p, f.Limit, f.Offset, MaxLimit)
	if f.CompanyID != nil {
		if *f.CompanyID <= 0 {
			p.add("companyId", "must be a positive company id (got %d)", *f.CompanyID)
		} else if _, err := a.store.Company(ctx, t.ID, *f.CompanyID); guild.IsNotFound(err) {
			p.add("companyId", "company %d does not exist in this store", *f.CompanyID)
		} else if err != nil {
			return nil, 0, err
		}
	}
	if err := p.err(); err != nil {
		return nil, 0, err
	}
	return a.store.ListEnabledCompanyPayments(ctx, t.ID, f)
}

func creditDisabled(t guild.Tenant) error {
	return &guild.Error{Code: guild.EBadRequest, Err: ErrCreditDisabled,
		Message: fmt.Sprintf("Store company credit is not enabled: turn the feature on with `guild stores update --hash %s --credit-enabled`", t.Hash)}
}

// defaultCredit is the credit of a company that never had one set.
func defaultCredit(t guild.Tenant, companyID int64) guild.CompanyCredit {
	return guild.CompanyCredit{TenantID: t.ID, CompanyID: companyID, CreditCurrency: DefaultCreditCurrency, AvailableCredit: "0"}
}

// CompanyCredit returns a company's credit; the store must have the credit
// feature.
func (a *App) CompanyCredit(ctx context.Context, t guild.Tenant, companyID int64) (guild.CompanyCredit, error) {
	if !t.CreditEnabled {
		return guild.CompanyCredit{}, creditDisabled(t)
	}
	return companyCredit(ctx, a.store, t, companyID)
}

func companyCredit(ctx context.Context, r guild.Reader, t guild.Tenant, companyID int64) (guild.CompanyCredit, error) {
	if _, err := r.Company(ctx, t.ID, companyID); err != nil {
		return guild.CompanyCredit{}, companyMissing(companyID, err)
	}
	c, err := r.CompanyCredit(ctx, t.ID, companyID)
	if guild.IsNotFound(err) {
		return defaultCredit(t, companyID), nil
	}
	return c, err
}

// CreditPatch changes a company's credit; nil fields stay as they are.
type CreditPatch struct {
	CreditEnabled   *bool
	CreditCurrency  *string
	AvailableCredit *string // a decimal number, not negative
	LimitPurchases  *bool
	CreditHold      *bool
}

func (pt CreditPatch) empty() bool {
	return pt.CreditEnabled == nil && pt.CreditCurrency == nil && pt.AvailableCredit == nil && pt.LimitPurchases == nil && pt.CreditHold == nil
}

var currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)

// maxCredit bounds an amount of credit: 15 digits before the point.
var maxCredit = big.NewRat(1_000_000_000_000_000, 1)

// decimalPattern is a decimal number as JSON writes one; the exponent has
// at most two digits, so that no text makes a huge number to compute with.
var decimalPattern = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,2})?$`)

// decimalAmount checks a non-negative decimal amount and returns it in
// plain notation with at most 4 decimals and no trailing zeros.
func decimalAmount(p *problems, field, v string) string {
	v = strings.TrimSpace(v)
	var r *big.Rat
	ok := decimalPattern.MatchString(v)
	if ok {
		r, ok = new(big.Rat).SetString(v)
	}
	switch {
	case !ok:
		p.add(field, "must be a number, e.g. 123.45 (got %q)", v)
		return ""
	case r.Sign() < 0:
		p.add(field, "must not be negative (got %s): credit is an amount of 0 or more", v)
		return ""
	case r.Cmp(maxCredit) >= 0:
		p.add(field, "must be less than 1000000000000000 (got %s)", v)
		return ""
	}
	s := r.FloatString(4)
	if back, _ := new(big.Rat).SetString(s); back.Cmp(r) != 0 {
		p.add(field, "must have at most 4 decimal places (got %s)", v)
		return ""
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// UpdateCompanyCredit changes a company's credit; the store must have the
// credit feature and the request must change something.
func (a *App) UpdateCompanyCredit(ctx context.Context, t guild.Tenant, companyID int64, pt CreditPatch) (guild.CompanyCredit, error) {
	if !t.CreditEnabled {
		return guild.CompanyCredit{}, creditDisabled(t)
	}
	var p problems
	if pt.empty() {
		p.add("body", "give at least one of creditEnabled, creditCurrency, availableCredit, limitPurchases, creditHold")
	}
	var currency, amount string
	if pt.CreditCurrency != nil {
		currency = strings.ToUpper(strings.TrimSpace(*pt.CreditCurrency))
		if !currencyPattern.MatchString(currency) {
			p.add("creditCurrency", "must be a 3-letter ISO 4217 currency code such as USD (got %q)", *pt.CreditCurrency)
		}
	}
	if pt.AvailableCredit != nil {
		amount = decimalAmount(&p, "availableCredit", *pt.AvailableCredit)
	}
	if err := p.err(); err != nil {
		return guild.CompanyCredit{}, err
	}
	var out guild.CompanyCredit
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		c, err := companyCredit(ctx, tx, t, companyID)
		if err != nil {
			return err
		}
		old := c
		setBool := func(dst *bool, v *bool) {
			if v != nil {
				*dst = *v
			}
		}
		setBool(&c.CreditEnabled, pt.CreditEnabled)
		setBool(&c.LimitPurchases, pt.LimitPurchases)
		setBool(&c.CreditHold, pt.CreditHold)
		if pt.CreditCurrency != nil {
			c.CreditCurrency = currency
		}
		if pt.AvailableCredit != nil {
			c.AvailableCredit = amount
		}
		out = c
		if c.CreditEnabled == old.CreditEnabled && c.CreditCurrency == old.CreditCurrency && c.AvailableCredit == old.AvailableCredit &&
			c.LimitPurchases == old.LimitPurchases && c.CreditHold == old.CreditHold && !old.UpdatedAt.IsZero() {
			return nil
		}
		c.UpdatedAt = a.clock()
		out = c
		if err := tx.SetCompanyCredit(ctx, c); err != nil {
			return err
		}
		return tx.Enqueue(ctx, message(t, guild.TopicCompanyCreditUpdated, guild.EntityCompany, companyID, creditPayload{
			CompanyID: companyID, CreditEnabled: c.CreditEnabled, CreditCurrency: c.CreditCurrency,
			AvailableCredit: c.AvailableCredit, LimitPurchases: c.LimitPurchases, CreditHold: c.CreditHold,
		}))
	})
	return out, err
}

type creditPayload struct {
	CompanyID       int64  `json:"companyId"`
	CreditEnabled   bool   `json:"creditEnabled"`
	CreditCurrency  string `json:"creditCurrency"`
	AvailableCredit string `json:"availableCredit"`
	LimitPurchases  bool   `json:"limitPurchases"`
	CreditHold      bool   `json:"creditHold"`
}

// ValidPaymentTerms reports whether days is one of guild.PaymentTermDays.
func ValidPaymentTerms(days int64) bool {
	return slices.Contains(guild.PaymentTermDays, int(days))
}

const termChoices = "[0, 5, 15, 30, 45, 60]"

// CompanyPaymentTerms returns a company's payment terms as they apply: a
// company without terms of its own, or with them disabled, has the store's
// default terms.
func (a *App) CompanyPaymentTerms(ctx context.Context, t guild.Tenant, companyID int64) (guild.CompanyPaymentTerms, error) {
	return companyTerms(ctx, a.store, t, companyID)
}

func companyTerms(ctx context.Context, r guild.Reader, t guild.Tenant, companyID int64) (guild.CompanyPaymentTerms, error) {
	if _, err := r.Company(ctx, t.ID, companyID); err != nil {
		return guild.CompanyPaymentTerms{}, companyMissing(companyID, err)
	}
	pt, err := r.CompanyPaymentTerms(ctx, t.ID, companyID)
	if guild.IsNotFound(err) {
		return guild.CompanyPaymentTerms{TenantID: t.ID, CompanyID: companyID, Days: t.DefaultPaymentTerms}, nil
	}
	if err != nil {
		return pt, err
	}
	if !pt.Enabled {
		pt.Days = t.DefaultPaymentTerms
	}
	return pt, nil
}

// SetCompanyPaymentTerms sets a company's payment terms. Both fields are
// required; with enabled false the company gets the store's default terms
// (its own terms are kept for when they are enabled again), but days must
// still be a valid term.
func (a *App) SetCompanyPaymentTerms(ctx context.Context, t guild.Tenant, companyID int64, enabled *bool, days *int64) (guild.CompanyPaymentTerms, error) {
	var p problems
	if enabled == nil {
		p.add("isEnabled", "is required: true or false")
	}
	switch {
	case days == nil:
		p.add("paymentTerms", "is required: one of %s (net days)", termChoices)
	case !ValidPaymentTerms(*days):
		p.add("paymentTerms", "Payment terms value error, must be in %s (got %d)", termChoices, *days)
	}
	if err := p.err(); err != nil {
		return guild.CompanyPaymentTerms{}, err
	}
	var out guild.CompanyPaymentTerms
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		if _, err := tx.Company(ctx, t.ID, companyID); err != nil {
			return companyMissing(companyID, err)
		}
		cur, err := tx.CompanyPaymentTerms(ctx, t.ID, companyID)
		found := err == nil
		if err != nil && !guild.IsNotFound(err) {
			return err
		}
		next := guild.CompanyPaymentTerms{TenantID: t.ID, CompanyID: companyID, Enabled: *enabled, Days: int(*days)}
		if !*enabled && found {
			next.Days = cur.Days
		}
		if found && cur.Enabled == next.Enabled && cur.Days == next.Days {
			out, err = companyTerms(ctx, tx, t, companyID)
			return err
		}
		next.UpdatedAt = a.clock()
		if err := tx.SetCompanyPaymentTerms(ctx, next); err != nil {
			return err
		}
		out, err = companyTerms(ctx, tx, t, companyID)
		if err != nil {
			return err
		}
		return tx.Enqueue(ctx, message(t, guild.TopicCompanyPaymentTermsUpdated, guild.EntityCompany, companyID,
			termsPayload{CompanyID: companyID, IsEnabled: out.Enabled, PaymentTerms: out.Days}))
	})
	return out, err
}

type termsPayload struct {
	CompanyID    int64 `json:"companyId"`
	IsEnabled    bool  `json:"isEnabled"`
	PaymentTerms int   `json:"paymentTerms"`
}
