package guild

import "time"

// CustomerGroup is a commerce-platform customer group. Until a platform is
// connected Guild keeps its own and hands out their ids.
type CustomerGroup struct {
	ID       int64
	TenantID int64
	Name     string
	// CompanyID is the company that owns this group in dependent mode; 0 when
	// the group stands on its own.
	CompanyID int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Customer is a commerce-platform customer record. Every company user is
// backed by one; deleting the user keeps the customer.
type Customer struct {
	ID              int64
	TenantID        int64
	Email           string // unique per tenant, compared lower-cased
	FirstName       string
	LastName        string
	Phone           string
	CompanyName     string
	CustomerGroupID int64 // 0: no group
	OriginChannelID int64
	ChannelIDs      []int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// UserRole is a company user's predefined role.
type UserRole int

// The predefined user roles.
const (
	RoleAdmin       UserRole = 0
	RoleSeniorBuyer UserRole = 1
	RoleJuniorBuyer UserRole = 2
)

// User is a company user (a buyer).
type User struct {
	ID         int64
	TenantID   int64
	CompanyID  int64
	CustomerID int64
	Email      string // unique per tenant among users, compared lower-cased
	FirstName  string
	LastName   string
	Phone      string
	Role       UserRole
	// CompanyRoleID is the user's custom role, 0 for none; a user with a
	// custom role is reported with role 2 (junior buyer), as the vendor does.
	CompanyRoleID int64
	UUID          string
	ChannelIDs    []int64
	CreatedAt     time.Time
	UpdatedAt     time.Time

	ExtraFields []ExtraFieldValue
}

// Page is an offset/limit page request.
type Page struct {
	Limit  int
	Offset int
}
