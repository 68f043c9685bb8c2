package guild

import "time"

// CompanyStatus is a company's account status.
type CompanyStatus int

// The company statuses, as the vendor numbers them.
const (
	CompanyPending  CompanyStatus = 0
	CompanyApproved CompanyStatus = 1
	CompanyRejected CompanyStatus = 2
	CompanyInactive CompanyStatus = 3
	CompanyDeleted  CompanyStatus = 4 // accepted by the status endpoint only: it deletes the company
)

// Valid reports whether s is a status a company can have (0..3).
func (s CompanyStatus) Valid() bool { return s >= CompanyPending && s <= CompanyInactive }

// Company is a B2B company account.
type Company struct {
	ID           int64
	TenantID     int64
	Name         string
	Email        string
	Phone        string
	AddressLine1 string
	AddressLine2 string
	City         string
	State        string
	CountryCode  string // ISO 3166-1 alpha-2, "" when none was given
	CountryName  string // the country's English short name
	ZipCode      string
	Status       CompanyStatus
	// UUID is a free-form external (ERP) id; not unique.
	UUID string
	// CustomerGroupID is the company's customer group, 0 for none.
	CustomerGroupID int64
	// CustomerGroupName is read-only: filled by the store from the group.
	CustomerGroupName string
	// CatalogID is the price list of a dependent-mode company, 0 for none.
	CatalogID int64
	// ParentID is the company's parent in the account hierarchy, 0 for a
	// root. It is changed only by SetCompanyParent.
	ParentID int64
	// ParentName is read-only: the parent's name, filled on detail reads.
	ParentName string
	CreatedAt  time.Time
	UpdatedAt  time.Time

	// ExtraFields holds the company's extra-field values; filled on detail
	// reads, and on list reads when the filter asks for them.
	ExtraFields []ExtraFieldValue
	// PriceLists holds per-channel price-list assignments (dependent mode);
	// filled on detail reads.
	PriceLists []PriceListAssignment
}

// PriceListAssignment assigns a price list to a company on one channel.
type PriceListAssignment struct {
	ChannelID   int64
	PriceListID int64
}

// CompanySort is a field a company list can be sorted by.
type CompanySort string

// The company sort fields.
const (
	SortByUpdatedAt   CompanySort = "updatedAt"
	SortByCompanyName CompanySort = "companyName"
)

// ExtraFieldMatch filters records by one extra field's value.
type ExtraFieldMatch struct {
	FieldID int64
	Value   string
	Exact   bool // false: the value contains Value (case-insensitive)
}

// CompanyFilter selects and orders a page of companies. Zero values mean
// "no filter". Times are compared at one-second granularity, inclusive.
type CompanyFilter struct {
	Limit  int
	Offset int

	MinModified, MaxModified time.Time
	MinCreated, MaxCreated   time.Time

	SortBy     CompanySort // default SortByUpdatedAt
	Descending bool

	Status          *CompanyStatus
	Query           string // company name contains, case-insensitive
	ExtraFields     []ExtraFieldMatch
	CustomerGroupID *int64 // bcGroupId
	CustomerID      *int64 // companies with a user backed by this customer

	IncludeExtraFields bool
}
