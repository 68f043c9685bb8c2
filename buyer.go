package guild

import (
	"context"
	"time"
)

// RoleSuperAdmin is how the vendor reports a super admin's role.
const RoleSuperAdmin UserRole = 3

// Valid reports whether r is a role a company user can have (0..2).
func (r UserRole) Valid() bool { return r >= RoleAdmin && r <= RoleJuniorBuyer }

// SuperAdmin is a user who acts for the companies explicitly assigned to
// them. Like a company user, a super admin is backed by a customer record; an
// email is a company user or a super admin, never both.
type SuperAdmin struct {
	ID         int64
	TenantID   int64
	CustomerID int64
	Email      string // unique per tenant among super admins, compared lower-cased
	FirstName  string
	LastName   string
	Phone      string
	UUID       string
	ChannelIDs []int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// CustomPermission is a permission code a store defines itself. The
// predefined codes live in internal/authz and are never stored.
type CustomPermission struct {
	ID          int64
	TenantID    int64
	Name        string // unique per tenant, case-insensitively
	Code        string // unique per tenant
	Description string
	Module      string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// CustomRole is a role a store defines: a set of permission codes, each at
// a level (1 own records, 2 company, 3 company and subsidiaries).
type CustomRole struct {
	ID        int64
	TenantID  int64
	Name      string // unique per tenant, case-insensitively
	Grants    []RoleGrant
	CreatedAt time.Time
	UpdatedAt time.Time
}

// RoleGrant grants one permission code at one level.
type RoleGrant struct {
	Code  string
	Level int
}

// BuyerToken is a short-lived token a storefront obtained for one company
// user or super admin. Only the SHA-256 of its secret is stored.
type BuyerToken struct {
	ID           int64
	TenantID     int64
	UserID       int64 // the company user, or 0
	SuperAdminID int64 // the super admin, or 0
	SecretHash   []byte
	CreatedAt    time.Time
	ExpiresAt    time.Time
	RevokedAt    time.Time // zero while valid
}

// UserSort is a field a user list can be sorted by.
type UserSort string

// UserFilter selects a page of company users, by ascending id unless sorted.
type UserFilter struct {
	Limit  int
	Offset int

	CompanyID     *int64
	Roles         []UserRole // any of
	CompanyRoleID *int64
	Email         string // exact, case-insensitive
	ChannelID     *int64 // users of this channel
	Query         string // first name, last name or email contains, case-insensitive

	MinModified, MaxModified time.Time
	MinCreated, MaxCreated   time.Time

	IncludeExtraFields bool
}

// SuperAdminFilter selects a page of super admins by ascending id.
type SuperAdminFilter struct {
	Limit  int
	Offset int
	Query  string // first name, last name or email contains, case-insensitive
	Email  string // exact, case-insensitive
}

// BuyerReader holds the reads of users, super admins, roles, permissions and
// buyer tokens (issue 3); part of Reader.
type BuyerReader interface {
	// ListUsers returns a page of company users and the total count.
	ListUsers(ctx context.Context, tenantID int64, f UserFilter) ([]User, int, error)
	// UserByCustomerID finds the company user backed by a customer.
	UserByCustomerID(ctx context.Context, tenantID, customerID int64) (User, error)
	// CountCompanyAdmins counts a company's users with the admin role.
	CountCompanyAdmins(ctx context.Context, tenantID, companyID int64) (int, error)
	// CountUsersWithRole counts users holding a custom role.
	CountUsersWithRole(ctx context.Context, tenantID, roleID int64) (int, error)

	SuperAdmin(ctx context.Context, tenantID, id int64) (SuperAdmin, error)
	// SuperAdminByEmail matches the email case-insensitively.
	SuperAdminByEmail(ctx context.Context, tenantID int64, email string) (SuperAdmin, error)
	ListSuperAdmins(ctx context.Context, tenantID int64, f SuperAdminFilter) ([]SuperAdmin, int, error)
	// SuperAdminCompanies pages the ids of the companies assigned to a super
	// admin, ascending, and their count.
	SuperAdminCompanies(ctx context.Context, tenantID, superAdminID int64, p Page) ([]int64, int, error)
	// CompanySuperAdmins pages the ids of the super admins assigned to a
	// company, ascending, and their count.
	CompanySuperAdmins(ctx context.Context, tenantID, companyID int64, p Page) ([]int64, int, error)

	CustomPermission(ctx context.Context, tenantID, id int64) (CustomPermission, error)
	// ListCustomPermissions lists a store's custom permissions by id.
	ListCustomPermissions(ctx context.Context, tenantID int64) ([]CustomPermission, error)

	CustomRole(ctx context.Context, tenantID, id int64) (CustomRole, error)
	// ListCustomRoles lists a store's custom roles by id, with their grants.
	ListCustomRoles(ctx context.Context, tenantID int64) ([]CustomRole, error)
	// CountRolesWithCode counts the custom roles that grant a code.
	CountRolesWithCode(ctx context.Context, tenantID int64, code string) (int, error)

	// BuyerTokenBySecretHash finds a buyer token (expired, revoked or not).
	BuyerTokenBySecretHash(ctx context.Context, secretHash []byte) (BuyerToken, error)
}

// BuyerWriter holds the writes of users, super admins, roles, permissions
// and buyer tokens (issue 3); part of Writer.
type BuyerWriter interface {
	// UpdateUser replaces the user's scalar fields (not CreatedAt, not
	// CompanyID); a duplicate email is EConflict.
	UpdateUser(ctx context.Context, u User) error
	// DeleteUser deletes the user, their extra-field values and buyer
	// tokens; the customer is kept.
	DeleteUser(ctx context.Context, tenantID, id int64) error

	// CreateSuperAdmin inserts a; a duplicate email is EConflict.
	CreateSuperAdmin(ctx context.Context, a SuperAdmin) (int64, error)
	UpdateSuperAdmin(ctx context.Context, a SuperAdmin) error
	// AssignSuperAdmin adds and removes company assignments; adding an
	// existing one or removing a missing one is not an error.
	AssignSuperAdmin(ctx context.Context, tenantID, superAdminID int64, add, remove []int64) error

	// CreateCustomPermission inserts p; a duplicate name or code is EConflict.
	CreateCustomPermission(ctx context.Context, p CustomPermission) (int64, error)
	UpdateCustomPermission(ctx context.Context, p CustomPermission) error
	DeleteCustomPermission(ctx context.Context, tenantID, id int64) error

	// CreateCustomRole inserts r with its grants; a duplicate name is EConflict.
	CreateCustomRole(ctx context.Context, r CustomRole) (int64, error)
	// UpdateCustomRole replaces the role's name and all its grants.
	UpdateCustomRole(ctx context.Context, r CustomRole) error
	DeleteCustomRole(ctx context.Context, tenantID, id int64) error

	CreateBuyerToken(ctx context.Context, t BuyerToken) (int64, error)
	RevokeBuyerToken(ctx context.Context, tenantID, id int64, at time.Time) error
	// RevokeUserBuyerTokens revokes every valid token of a user (userID) or
	// super admin (superAdminID); the other id is 0.
	RevokeUserBuyerTokens(ctx context.Context, tenantID, userID, superAdminID int64, at time.Time) error
}
