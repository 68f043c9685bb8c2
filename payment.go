package guild

import (
	"context"
	"time"
)

// Outbox topics of payments (issue 4): what a connected platform must learn
// about a company's payment settings. Their entity is the company, so they
// are delivered in order with the company's other changes.
const (
	TopicCompanyPaymentsUpdated     = "company.payments_updated"
	TopicCompanyCreditUpdated       = "company.credit_updated"
	TopicCompanyPaymentTermsUpdated = "company.payment_terms_updated"
)

// PaymentTermDays are the payment terms (net days) a company may have.
var PaymentTermDays = []int{0, 5, 15, 30, 45, 60}

// PaymentMethod is a payment method of the store. Until a platform is
// connected Guild keeps the store's catalogue of methods itself.
type PaymentMethod struct {
	ID       int64
	TenantID int64
	Code     string // unique per tenant, e.g. "cheque"
	Title    string // shown to buyers, e.g. "Check"
	// EnabledByDefault says whether a company that has not set this method
	// may use it.
	EnabledByDefault bool
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// CompanyPayment is a company's own setting of one payment method; a method
// a company has not set follows the method's EnabledByDefault.
type CompanyPayment struct {
	TenantID        int64
	CompanyID       int64
	PaymentMethodID int64
	Enabled         bool
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// EnabledCompanyPayment is a payment method a company may use, either by its
// own setting or by the method's default.
type EnabledCompanyPayment struct {
	CompanyID int64
	Method    PaymentMethod
	// CreatedAt and UpdatedAt are the company's setting's, or the method's
	// when the company follows the default.
	CreatedAt time.Time
	UpdatedAt time.Time
}

// PaymentSort is a field a list of enabled company payments is sorted by.
type PaymentSort string

// The sort fields of EnabledCompanyPaymentFilter.
const (
	PaymentSortUpdatedAt PaymentSort = "updatedAt"
	PaymentSortCreatedAt PaymentSort = "createdAt"
)

// EnabledCompanyPaymentFilter selects a page of enabled company payments.
type EnabledCompanyPaymentFilter struct {
	Limit, Offset int
	CompanyID     *int64
	// Query matches the method's code or title, contains, case-insensitive.
	Query string
	Sort  PaymentSort // "" means updatedAt
	Desc  bool
}

// CompanyCredit is a company's credit account. Amounts are decimal strings
// (e.g. "123.45") so that no rounding happens between API and database.
type CompanyCredit struct {
	TenantID        int64
	CompanyID       int64
	CreditEnabled   bool
	CreditCurrency  string // ISO 4217, e.g. "USD"
	AvailableCredit string // decimal, never negative
	LimitPurchases  bool
	CreditHold      bool
	UpdatedAt       time.Time
}

// CompanyPaymentTerms is a company's payment on terms.
type CompanyPaymentTerms struct {
	TenantID  int64
	CompanyID int64
	Enabled   bool
	Days      int // one of PaymentTermDays
	UpdatedAt time.Time
}

// PaymentReader holds the reads of payment methods and companies' payment
// settings (issue 4); part of Reader.
type PaymentReader interface {
	// PaymentMethodByCode finds a method by its code (exact).
	PaymentMethodByCode(ctx context.Context, tenantID int64, code string) (PaymentMethod, error)
	// ListPaymentMethods lists the store's methods by ascending id.
	ListPaymentMethods(ctx context.Context, tenantID int64) ([]PaymentMethod, error)
	// CompanyPayments lists the methods a company has set itself, by
	// ascending method id.
	CompanyPayments(ctx context.Context, tenantID, companyID int64) ([]CompanyPayment, error)
	// ListEnabledCompanyPayments pages the (company, method) pairs where the
	// company may use the method: its own setting enables it, or it has none
	// and the method is enabled by default. Ties in the sort order are broken
	// by company id, then method id, in the same direction.
	ListEnabledCompanyPayments(ctx context.Context, tenantID int64, f EnabledCompanyPaymentFilter) ([]EnabledCompanyPayment, int, error)
	// CompanyCredit returns a company's credit; ENotFound when never set.
	CompanyCredit(ctx context.Context, tenantID, companyID int64) (CompanyCredit, error)
	// CompanyPaymentTerms returns a company's terms; ENotFound when never set.
	CompanyPaymentTerms(ctx context.Context, tenantID, companyID int64) (CompanyPaymentTerms, error)
}

// PaymentWriter holds the writes of payment methods and companies' payment
// settings (issue 4); part of Writer.
type PaymentWriter interface {
	// CreatePaymentMethod inserts m; a code the tenant has is EConflict.
	CreatePaymentMethod(ctx context.Context, m PaymentMethod) (int64, error)
	// UpdatePaymentMethod replaces the method's title, default and
	// UpdatedAt; its code and CreatedAt never change.
	UpdatePaymentMethod(ctx context.Context, m PaymentMethod) error
	// DeletePaymentMethod deletes a method and every company's setting of it.
	DeletePaymentMethod(ctx context.Context, tenantID, id int64) error
	// SetCompanyPayments upserts the company's settings of the methods in
	// ps (by method id); other methods' settings are kept. A missing company
	// or method is ENotFound.
	SetCompanyPayments(ctx context.Context, tenantID, companyID int64, ps []CompanyPayment) error
	// SetCompanyCredit upserts the company's credit.
	SetCompanyCredit(ctx context.Context, c CompanyCredit) error
	// SetCompanyPaymentTerms upserts the company's terms.
	SetCompanyPaymentTerms(ctx context.Context, t CompanyPaymentTerms) error
}
