package guild

import (
	"context"
	"time"
)

// Outbox topics and entity type of company addresses (issue 4).
const (
	TopicAddressCreated = "address.created"
	TopicAddressUpdated = "address.updated"
	TopicAddressDeleted = "address.deleted"

	EntityAddress = "address"
)

// Address is one address of a company's address book. Country and state
// are kept both as name and as code.
type Address struct {
	ID        int64
	TenantID  int64
	CompanyID int64

	FirstName    string
	LastName     string
	Phone        string
	ZipCode      string
	AddressLine1 string
	AddressLine2 string
	City         string
	StateName    string
	StateCode    string
	CountryName  string
	CountryCode  string // ISO 3166-1 alpha-2

	IsBilling         bool
	IsShipping        bool
	IsDefaultBilling  bool // at most one per company
	IsDefaultShipping bool // at most one per company

	Label      string
	ExternalID string // free-form id in another system (ERP); not unique

	// CreatedByUserID is the company user who created the address through
	// the buyer API; 0 when it came from the S2S API or a super admin.
	CreatedByUserID int64

	ExtraFields []ExtraFieldValue
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// AddressDefault names one of the two default flags of a company.
type AddressDefault int

// The default flags.
const (
	DefaultBilling AddressDefault = iota + 1
	DefaultShipping
)

// AddressFilter selects a page of addresses, by ascending id. String
// filters compare exactly, except Address (contained in either line) and
// the names and city (case-insensitively).
type AddressFilter struct {
	Limit  int
	Offset int

	CompanyID       *int64
	CreatedByUserID *int64

	IsBilling         *bool
	IsShipping        *bool
	IsDefaultBilling  *bool
	IsDefaultShipping *bool

	FirstName   string // case-insensitive
	LastName    string // case-insensitive
	City        string // case-insensitive
	Address     string // contained in line 1 or line 2, case-insensitive
	CountryCode string // ISO 3166-1 alpha-2
	State       string // the state's name or code, case-insensitive
	ZipCode     string
	PhoneNumber string
	ExternalIDs []string // any of

	MinModified, MaxModified time.Time
	MinCreated, MaxCreated   time.Time

	IncludeExtraFields bool
}

// AddressReader holds the reads of company addresses; part of Reader.
type AddressReader interface {
	// Address returns an address with its extra fields.
	Address(ctx context.Context, tenantID, id int64) (Address, error)
	// ListAddresses returns a page of addresses and the total count; the
	// extra fields only when f.IncludeExtraFields.
	ListAddresses(ctx context.Context, tenantID int64, f AddressFilter) ([]Address, int, error)
}

// AddressWriter holds the writes of company addresses; part of Writer.
type AddressWriter interface {
	// CreateAddress inserts a (ID ignored) with its extra fields and returns
	// its id. The company must be the tenant's (else ENotFound); a second
	// default billing or shipping address of a company is EConflict.
	CreateAddress(ctx context.Context, a Address) (int64, error)
	// UpdateAddress replaces the address's scalar fields (not CreatedAt,
	// CompanyID nor CreatedByUserID); defaults as for CreateAddress.
	UpdateAddress(ctx context.Context, a Address) error
	// DeleteAddress deletes the address and its extra-field values.
	DeleteAddress(ctx context.Context, tenantID, id int64) error
	// ClearAddressDefault unsets the flag on the company's addresses other
	// than exceptID, setting their UpdatedAt to at, and returns their ids.
	ClearAddressDefault(ctx context.Context, tenantID, companyID int64, which AddressDefault, exceptID int64, at time.Time) ([]int64, error)
}
