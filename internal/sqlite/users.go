package sqlite

import (
	"context"
	"strings"

	guild "github.com/guild-b2b/guild"
)

// ListUsers returns one page of the tenant's company users matching f, by
// ascending id, and the count of all of them. Times compare at one-second
// granularity, both ends inclusive. Extra fields, when asked for, are loaded
// for the whole page in one query.
func (r reader) ListUsers(ctx context.Context, tenantID int64, f guild.UserFilter) ([]guild.User, int, error) {
	where, args := userWhere(tenantID, f)
	return listByID(ctx, r, tenantID, idList[guild.User]{table: "users", columns: userColumns, where: where, args: args,
		limit: f.Limit, offset: f.Offset, scan: scanUser, withExtra: f.IncludeExtraFields, kind: guild.ExtraFieldUser,
		fields: func(u *guild.User) (int64, *[]guild.ExtraFieldValue) { return u.ID, &u.ExtraFields }})
}

// userWhere returns the conditions of f on users, and their arguments.
func userWhere(tenantID int64, f guild.UserFilter) (string, []any) {
	conds := []string{"tenant_id = ?"}
	args := []any{tenantID}
	add := func(cond string, a ...any) {
		conds = append(conds, cond)
		args = append(args, a...)
	}
	if f.CompanyID != nil {
		add("company_id = ?", *f.CompanyID)
	}
	if len(f.Roles) > 0 {
		roles := make([]any, len(f.Roles))
		for i, r := range f.Roles {
			roles[i] = int64(r)
		}
		add("role IN ("+placeholders(len(roles))+")", roles...)
	}
	if f.CompanyRoleID != nil {
		add("company_role_id = ?", *f.CompanyRoleID)
	}
	if f.Email != "" {
		add("email_lower = ?", strings.ToLower(f.Email))
	}
	if f.ChannelID != nil {
		add("EXISTS (SELECT 1 FROM json_each(users.channel_ids) ch WHERE ch.value = ?)", *f.ChannelID)
	}
	if f.Query != "" {
		p := likeContains(f.Query)
		add(`(guild_lower(first_name) LIKE ? ESCAPE '\' OR guild_lower(last_name) LIKE ? ESCAPE '\'
			OR email_lower LIKE ? ESCAPE '\')`, p, p, p)
	}
	if !f.MinModified.IsZero() {
		add("updated_at >= ?", secondFloor(f.MinModified))
	}
	if !f.MaxModified.IsZero() {
		add("updated_at < ?", secondFloor(f.MaxModified)+1e6)
	}
	if !f.MinCreated.IsZero() {
		add("created_at >= ?", secondFloor(f.MinCreated))
	}
	if !f.MaxCreated.IsZero() {
		add("created_at < ?", secondFloor(f.MaxCreated)+1e6)
	}
	return strings.Join(conds, " AND "), args
}

// UserByCustomerID returns the company user backed by the customer (the
// lowest id, should there be several), with its extra fields.
func (r reader) UserByCustomerID(ctx context.Context, tenantID, customerID int64) (guild.User, error) {
	var u guild.User
	err := r.snapshot(ctx, func(q queryer) error {
		var err error
		u, err = scanUser(q.QueryRowContext(ctx, `
			SELECT `+userColumns+` FROM users WHERE tenant_id = ? AND customer_id = ? ORDER BY id LIMIT 1`,
			tenantID, customerID))
		if err != nil {
			return wrap(err, "user of customer %d", customerID)
		}
		values, err := loadExtraFields(ctx, q, tenantID, guild.ExtraFieldUser, []int64{u.ID})
		u.ExtraFields = values[u.ID]
		return err
	})
	if err != nil {
		return guild.User{}, err
	}
	return u, nil
}

// CountCompanyAdmins counts the company's admins: its users with the admin
// role and no custom role (a user with a custom role is not an admin).
func (r reader) CountCompanyAdmins(ctx context.Context, tenantID, companyID int64) (int, error) {
	var n int
	err := r.q.QueryRowContext(ctx, `
		SELECT count(*) FROM users WHERE company_id = ? AND tenant_id = ? AND role = ? AND company_role_id = 0`,
		companyID, tenantID, int64(guild.RoleAdmin)).Scan(&n)
	return n, wrap(err, "count the admins of company %d", companyID)
}

// CountUsersWithRole counts the users holding the custom role.
func (r reader) CountUsersWithRole(ctx context.Context, tenantID, roleID int64) (int, error) {
	var n int
	err := r.q.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE tenant_id = ? AND company_role_id = ?`,
		tenantID, roleID).Scan(&n)
	return n, wrap(err, "count the users of role %d", roleID)
}

// UpdateUser replaces the user's scalar fields, all but CreatedAt and
// CompanyID; UpdatedAt is now when zero. Its customer must be the tenant's
// (else ENotFound); an email taken by another user is EConflict.
func (t *tx) UpdateUser(ctx context.Context, u guild.User) error {
	if err := userExists(ctx, t.q, u.TenantID, u.ID); err != nil {
		return err
	}
	if err := customerExists(ctx, t.q, u.TenantID, u.CustomerID); err != nil {
		return err
	}
	res, err := t.q.ExecContext(ctx, `
		UPDATE users SET customer_id = ?, email = ?, email_lower = ?, first_name = ?, last_name = ?, phone = ?,
			role = ?, company_role_id = ?, uuid = ?, channel_ids = ?, updated_at = ?
		WHERE tenant_id = ? AND id = ?`,
		u.CustomerID, u.Email, strings.ToLower(u.Email), u.FirstName, u.LastName, u.Phone,
		u.Role, u.CompanyRoleID, u.UUID, int64sJSON(u.ChannelIDs), micros(orNow(u.UpdatedAt, t.now)), u.TenantID, u.ID)
	if err != nil {
		return wrap(err, "update user %d", u.ID)
	}
	return affected(res, "user %d does not exist", u.ID)
}

// DeleteUser deletes the user, their extra-field values and buyer tokens;
// the customer is kept.
func (t *tx) DeleteUser(ctx context.Context, tenantID, id int64) error {
	if err := userExists(ctx, t.q, tenantID, id); err != nil {
		return err
	}
	return t.atomically(ctx, func() error {
		steps := []struct{ what, query string }{
			{"extra-field values", `DELETE FROM extra_field_values WHERE kind = 'user' AND record_id = ? AND tenant_id = ?`},
			{"buyer tokens", `DELETE FROM buyer_tokens WHERE user_id = ? AND tenant_id = ?`},
			{"user", `DELETE FROM users WHERE id = ? AND tenant_id = ?`},
		}
		for _, s := range steps {
			if _, err := t.q.ExecContext(ctx, s.query, id, tenantID); err != nil {
				return wrap(err, "delete user %d: %s", id, s.what)
			}
		}
		return nil
	})
}

// userExists returns ENotFound unless the tenant has the user.
func userExists(ctx context.Context, q queryer, tenantID, id int64) error {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM users WHERE tenant_id = ? AND id = ?`, tenantID, id).Scan(&one)
	return wrap(err, "user %d", id)
}
