package postgres

import (
	"context"
	"strconv"
	"strings"

	guild "github.com/guild-b2b/guild"
	"github.com/jackc/pgx/v5"
)

// ListUsers returns one page of the tenant's company users matching f, by
// ascending id, and the number of all that match: the page and the count are
// two queries of one round trip with the same WHERE; the extra fields of the
// whole page, when asked for, one more.
func (r reader) ListUsers(ctx context.Context, tenantID int64, f guild.UserFilter) ([]guild.User, int, error) {
	where, args := userWhere(tenantID, f)
	return listByID(ctx, r, tenantID, idList[guild.User]{table: "users", columns: userColumns, where: where, args: args,
		limit: f.Limit, offset: f.Offset, scan: scanUser, withExtra: f.IncludeExtraFields, kind: guild.ExtraFieldUser,
		fields: func(u *guild.User) (int64, *[]guild.ExtraFieldValue) { return u.ID, &u.ExtraFields }})
}

// userWhere returns the WHERE condition of f on users, and its arguments ($1
// is tenantID). Times compare at one-second granularity, both ends
// inclusive, as companyWhere's.
func userWhere(tenantID int64, f guild.UserFilter) (string, []any) {
	conds := []string{"tenant_id = $1"}
	args := []any{tenantID}
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.CompanyID != nil {
		conds = append(conds, "company_id = "+arg(*f.CompanyID))
	}
	if len(f.Roles) > 0 {
		roles := make([]int32, len(f.Roles))
		for i, r := range f.Roles {
			roles[i] = int32(r)
		}
		conds = append(conds, "role = ANY("+arg(roles)+"::integer[])")
	}
	if f.CompanyRoleID != nil {
		conds = append(conds, "company_role_id = "+arg(*f.CompanyRoleID))
	}
	if f.Email != "" {
		conds = append(conds, "email_lower = "+arg(strings.ToLower(f.Email)))
	}
	if f.ChannelID != nil {
		conds = append(conds, arg(*f.ChannelID)+"::bigint = ANY(channel_ids)")
	}
	if f.Query != "" {
		conds = append(conds, nameOrEmailContains(arg(likeContains(f.Query))))
	}
	const second = 1_000_000
	if !f.MinModified.IsZero() {
		conds = append(conds, "updated_at >= "+arg(f.MinModified.Unix()*second))
	}
	if !f.MaxModified.IsZero() {
		conds = append(conds, "updated_at < "+arg((f.MaxModified.Unix()+1)*second))
	}
	if !f.MinCreated.IsZero() {
		conds = append(conds, "created_at >= "+arg(f.MinCreated.Unix()*second))
	}
	if !f.MaxCreated.IsZero() {
		conds = append(conds, "created_at < "+arg((f.MaxCreated.Unix()+1)*second))
	}
	return strings.Join(conds, " AND "), args
}

// nameOrEmailContains is the condition that the first name, last name or
// email of a user or super admin matches the LIKE pattern parameter p.
func nameOrEmailContains(p string) string {
	return `(lower(first_name) LIKE ` + p + ` ESCAPE '\' OR lower(last_name) LIKE ` + p + ` ESCAPE '\'
		OR email_lower LIKE ` + p + ` ESCAPE '\')`
}

// UserByCustomerID returns the company user backed by the customer (the
// lowest id, should there be several), with its extra fields.
func (r reader) UserByCustomerID(ctx context.Context, tenantID, customerID int64) (guild.User, error) {
	u, err := r.user(ctx, `SELECT `+userColumns+` FROM users WHERE tenant_id = $1 AND customer_id = $2 ORDER BY id LIMIT 1`,
		tenantID, customerID)
	return u, r.fail(err, "user of customer %d", customerID)
}

// CountCompanyAdmins counts the company's admins: its users with the admin
// role and no custom role (a user with a custom role is not an admin).
func (r reader) CountCompanyAdmins(ctx context.Context, tenantID, companyID int64) (int, error) {
	var n int
	err := r.db.QueryRow(ctx, `
		SELECT count(*) FROM users WHERE company_id = $2 AND tenant_id = $1 AND role = $3 AND company_role_id = 0`,
		tenantID, companyID, int(guild.RoleAdmin)).Scan(&n)
	return n, r.fail(err, "count the admins of company %d", companyID)
}

// CountUsersWithRole counts the users holding the custom role.
func (r reader) CountUsersWithRole(ctx context.Context, tenantID, roleID int64) (int, error) {
	var n int
	err := r.db.QueryRow(ctx, `SELECT count(*) FROM users WHERE tenant_id = $1 AND company_role_id = $2`,
		tenantID, roleID).Scan(&n)
	return n, r.fail(err, "count the users of role %d", roleID)
}

// UpdateUser replaces the user's scalar fields but CreatedAt and CompanyID;
// UpdatedAt is now when zero. Its customer must be the tenant's (else
// ENotFound); an email taken by another user is EConflict.
func (t *tx) UpdateUser(ctx context.Context, u guild.User) error {
	b := &pgx.Batch{}
	queueExists(b, `SELECT 1 FROM users WHERE tenant_id = $1 AND id = $2`, []any{u.TenantID, u.ID},
		"user %d does not exist", u.ID)
	queueExists(b, `SELECT 1 FROM customers WHERE tenant_id = $1 AND id = $2`, []any{u.TenantID, u.CustomerID},
		"customer %d does not exist", u.CustomerID)
	b.Queue(`
		UPDATE users SET customer_id = $3, email = $4, email_lower = $5, first_name = $6, last_name = $7, phone = $8,
			role = $9, company_role_id = $10, uuid = $11, channel_ids = $12, updated_at = $13
		WHERE tenant_id = $1 AND id = $2 AND EXISTS (SELECT 1 FROM customers WHERE tenant_id = $1 AND id = $3)`,
		u.TenantID, u.ID, u.CustomerID, u.Email, strings.ToLower(u.Email), u.FirstName, u.LastName, u.Phone,
		int(u.Role), u.CompanyRoleID, u.UUID, orEmpty(u.ChannelIDs), micros(orNow(u.UpdatedAt)))
	return t.write(ctx, b, "update user %d", u.ID)
}

// DeleteUser deletes the user, their extra-field values and buyer tokens;
// the customer is kept.
func (t *tx) DeleteUser(ctx context.Context, tenantID, id int64) error {
	b := &pgx.Batch{}
	b.Queue(`DELETE FROM extra_field_values WHERE kind = 'user' AND record_id = $2 AND tenant_id = $1
		AND EXISTS (SELECT 1 FROM users WHERE tenant_id = $1 AND id = $2)`, tenantID, id)
	b.Queue(`DELETE FROM buyer_tokens WHERE user_id = $2 AND tenant_id = $1`, tenantID, id)
	b.Queue(`DELETE FROM users WHERE tenant_id = $1 AND id = $2`, tenantID, id).
		Exec(mustAffect("user %d does not exist", id))
	return t.write(ctx, b, "delete user %d", id)
}
