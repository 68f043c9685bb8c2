package sqlite

import (
	"context"
	"time"

	guild "github.com/guild-b2b/guild"
)

// The issue-3 methods not yet implemented. Each answers an internal error;
// this file shrinks as they are written and is deleted when empty.

func errPending(what string) error {
	return guild.Errorf(guild.EInternal, "%s: not implemented yet in the sqlite store", what)
}

// ListUsers is not implemented yet.
func (r reader) ListUsers(_ context.Context, tenantID int64, f guild.UserFilter) ([]guild.User, int, error) {
	return nil, 0, errPending("ListUsers")
}

// UserByCustomerID is not implemented yet.
func (r reader) UserByCustomerID(_ context.Context, tenantID, customerID int64) (guild.User, error) {
	return guild.User{}, errPending("UserByCustomerID")
}

// CountCompanyAdmins is not implemented yet.
func (r reader) CountCompanyAdmins(_ context.Context, tenantID, companyID int64) (int, error) {
	return 0, errPending("CountCompanyAdmins")
}

// CountUsersWithRole is not implemented yet.
func (r reader) CountUsersWithRole(_ context.Context, tenantID, roleID int64) (int, error) {
	return 0, errPending("CountUsersWithRole")
}

// SuperAdmin is not implemented yet.
func (r reader) SuperAdmin(_ context.Context, tenantID, id int64) (guild.SuperAdmin, error) {
	return guild.SuperAdmin{}, errPending("SuperAdmin")
}

// SuperAdminByEmail is not implemented yet.
func (r reader) SuperAdminByEmail(_ context.Context, tenantID int64, email string) (guild.SuperAdmin, error) {
	return guild.SuperAdmin{}, errPending("SuperAdminByEmail")
}

// ListSuperAdmins is not implemented yet.
func (r reader) ListSuperAdmins(_ context.Context, tenantID int64, f guild.SuperAdminFilter) ([]guild.SuperAdmin, int, error) {
	return nil, 0, errPending("ListSuperAdmins")
}

// SuperAdminCompanies is not implemented yet.
func (r reader) SuperAdminCompanies(_ context.Context, tenantID, superAdminID int64, p guild.Page) ([]int64, int, error) {
	return nil, 0, errPending("SuperAdminCompanies")
}

// CompanySuperAdmins is not implemented yet.
func (r reader) CompanySuperAdmins(_ context.Context, tenantID, companyID int64, p guild.Page) ([]int64, int, error) {
	return nil, 0, errPending("CompanySuperAdmins")
}

// CustomPermission is not implemented yet.
func (r reader) CustomPermission(_ context.Context, tenantID, id int64) (guild.CustomPermission, error) {
	return guild.CustomPermission{}, errPending("CustomPermission")
}

// ListCustomPermissions is not implemented yet.
func (r reader) ListCustomPermissions(_ context.Context, tenantID int64) ([]guild.CustomPermission, error) {
	return nil, errPending("ListCustomPermissions")
}

// CustomRole is not implemented yet.
func (r reader) CustomRole(_ context.Context, tenantID, id int64) (guild.CustomRole, error) {
	return guild.CustomRole{}, errPending("CustomRole")
}

// ListCustomRoles is not implemented yet.
func (r reader) ListCustomRoles(_ context.Context, tenantID int64) ([]guild.CustomRole, error) {
	return nil, errPending("ListCustomRoles")
}

// CountRolesWithCode is not implemented yet.
func (r reader) CountRolesWithCode(_ context.Context, tenantID int64, code string) (int, error) {
	return 0, errPending("CountRolesWithCode")
}

// BuyerTokenBySecretHash is not implemented yet.
func (r reader) BuyerTokenBySecretHash(_ context.Context, secretHash []byte) (guild.BuyerToken, error) {
	return guild.BuyerToken{}, errPending("BuyerTokenBySecretHash")
}

// UpdateUser is not implemented yet.
func (t *tx) UpdateUser(_ context.Context, u guild.User) error {
	return errPending("UpdateUser")
}

// DeleteUser is not implemented yet.
func (t *tx) DeleteUser(_ context.Context, tenantID, id int64) error {
	return errPending("DeleteUser")
}

// CreateSuperAdmin is not implemented yet.
func (t *tx) CreateSuperAdmin(_ context.Context, a guild.SuperAdmin) (int64, error) {
	return 0, errPending("CreateSuperAdmin")
}

// UpdateSuperAdmin is not implemented yet.
func (t *tx) UpdateSuperAdmin(_ context.Context, a guild.SuperAdmin) error {
	return errPending("UpdateSuperAdmin")
}

// AssignSuperAdmin is not implemented yet.
func (t *tx) AssignSuperAdmin(_ context.Context, tenantID, superAdminID int64, add, remove []int64) error {
	return errPending("AssignSuperAdmin")
}

// CreateCustomPermission is not implemented yet.
func (t *tx) CreateCustomPermission(_ context.Context, p guild.CustomPermission) (int64, error) {
	return 0, errPending("CreateCustomPermission")
}

// UpdateCustomPermission is not implemented yet.
func (t *tx) UpdateCustomPermission(_ context.Context, p guild.CustomPermission) error {
	return errPending("UpdateCustomPermission")
}

// DeleteCustomPermission is not implemented yet.
func (t *tx) DeleteCustomPermission(_ context.Context, tenantID, id int64) error {
	return errPending("DeleteCustomPermission")
}

// CreateCustomRole is not implemented yet.
func (t *tx) CreateCustomRole(_ context.Context, r guild.CustomRole) (int64, error) {
	return 0, errPending("CreateCustomRole")
}

// UpdateCustomRole is not implemented yet.
func (t *tx) UpdateCustomRole(_ context.Context, r guild.CustomRole) error {
	return errPending("UpdateCustomRole")
}

// DeleteCustomRole is not implemented yet.
func (t *tx) DeleteCustomRole(_ context.Context, tenantID, id int64) error {
	return errPending("DeleteCustomRole")
}

// CreateBuyerToken is not implemented yet.
func (t *tx) CreateBuyerToken(_ context.Context, token guild.BuyerToken) (int64, error) {
	return 0, errPending("CreateBuyerToken")
}

// RevokeBuyerToken is not implemented yet.
func (t *tx) RevokeBuyerToken(_ context.Context, tenantID, id int64, at time.Time) error {
	return errPending("RevokeBuyerToken")
}

// RevokeUserBuyerTokens is not implemented yet.
func (t *tx) RevokeUserBuyerTokens(_ context.Context, tenantID, userID, superAdminID int64, at time.Time) error {
	return errPending("RevokeUserBuyerTokens")
}
