package sqlite

import (
	"context"
	"strings"

	guild "github.com/guild-b2b/guild"
)

const groupColumns = `id, tenant_id, name, company_id, created_at, updated_at`

func scanGroup(sc scanner) (guild.CustomerGroup, error) {
	var g guild.CustomerGroup
	var created, updated int64
	err := sc.Scan(&g.ID, &g.TenantID, &g.Name, &g.CompanyID, &created, &updated)
	g.CreatedAt, g.UpdatedAt = fromMicros(created), fromMicros(updated)
	return g, err
}

// CustomerGroup returns a customer group.
func (r reader) CustomerGroup(ctx context.Context, tenantID, id int64) (guild.CustomerGroup, error) {
	g, err := scanGroup(r.q.QueryRowContext(ctx,
		`SELECT `+groupColumns+` FROM customer_groups WHERE tenant_id = ? AND id = ?`, tenantID, id))
	if err != nil {
		return guild.CustomerGroup{}, wrap(err, "customer group %d", id)
	}
	return g, nil
}

// ListCustomerGroups pages groups by ascending id and counts them all.
func (r reader) ListCustomerGroups(ctx context.Context, tenantID int64, p guild.Page) ([]guild.CustomerGroup, int, error) {
	var groups []guild.CustomerGroup
	var total int
	err := r.snapshot(ctx, func(q queryer) error {
		rows, err := q.QueryContext(ctx, `
			SELECT `+groupColumns+` FROM customer_groups WHERE tenant_id = ?
			ORDER BY id LIMIT ? OFFSET ?`, tenantID, limitArg(p.Limit), max(p.Offset, 0))
		if err != nil {
			return wrap(err, "list customer groups")
		}
		if groups, err = collect(rows, scanGroup, "list customer groups"); err != nil {
			return err
		}
		err = q.QueryRowContext(ctx, `SELECT count(*) FROM customer_groups WHERE tenant_id = ?`, tenantID).Scan(&total)
		return wrap(err, "count customer groups")
	})
	if err != nil {
		return nil, 0, err
	}
	return groups, total, nil
}

// limitArg is SQLite's LIMIT for a page limit: none (-1) when not positive.
func limitArg(limit int) int {
	if limit <= 0 {
		return -1
	}
	return limit
}

// CreateCustomerGroup inserts a group.
func (t *tx) CreateCustomerGroup(ctx context.Context, g guild.CustomerGroup) (int64, error) {
	g.CreatedAt, g.UpdatedAt = stamps(g.CreatedAt, g.UpdatedAt, t.now)
	var id int64
	err := t.q.QueryRowContext(ctx, `
		INSERT INTO customer_groups (tenant_id, name, company_id, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`,
		g.TenantID, g.Name, g.CompanyID, micros(g.CreatedAt), micros(g.UpdatedAt)).Scan(&id)
	if err != nil {
		return 0, wrap(err, "create customer group %q", g.Name)
	}
	return id, nil
}

// UpdateCustomerGroup replaces a group's name, company and UpdatedAt.
func (t *tx) UpdateCustomerGroup(ctx context.Context, g guild.CustomerGroup) error {
	res, err := t.q.ExecContext(ctx, `
		UPDATE customer_groups SET name = ?, company_id = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
		g.Name, g.CompanyID, micros(orNow(g.UpdatedAt, t.now)), g.TenantID, g.ID)
	if err != nil {
		return wrap(err, "update customer group %d", g.ID)
	}
	return affected(res, "customer group %d does not exist", g.ID)
}

// DeleteCustomerGroup deletes a group. Companies and customers keep their
// group id; reads of a company then show no group name.
func (t *tx) DeleteCustomerGroup(ctx context.Context, tenantID, id int64) error {
	res, err := t.q.ExecContext(ctx, `DELETE FROM customer_groups WHERE tenant_id = ? AND id = ?`, tenantID, id)
	if err != nil {
		return wrap(err, "delete customer group %d", id)
	}
	return affected(res, "customer group %d does not exist", id)
}

const customerColumns = `id, tenant_id, email, first_name, last_name, phone, company_name,
	customer_group_id, origin_channel_id, channel_ids, created_at, updated_at`

func scanCustomer(sc scanner) (guild.Customer, error) {
	var c guild.Customer
	var channels string
	var created, updated int64
	err := sc.Scan(&c.ID, &c.TenantID, &c.Email, &c.FirstName, &c.LastName, &c.Phone, &c.CompanyName,
		&c.CustomerGroupID, &c.OriginChannelID, &channels, &created, &updated)
	if err != nil {
		return c, err
	}
	c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
	c.ChannelIDs, err = parseInt64s(channels)
	return c, err
}

// Customer returns a customer.
func (r reader) Customer(ctx context.Context, tenantID, id int64) (guild.Customer, error) {
	c, err := scanCustomer(r.q.QueryRowContext(ctx,
		`SELECT `+customerColumns+` FROM customers WHERE tenant_id = ? AND id = ?`, tenantID, id))
	if err != nil {
		return guild.Customer{}, wrap(err, "customer %d", id)
	}
	return c, nil
}

// CustomerByEmail returns the customer with the email, compared lower-cased.
func (r reader) CustomerByEmail(ctx context.Context, tenantID int64, email string) (guild.Customer, error) {
	c, err := scanCustomer(r.q.QueryRowContext(ctx,
		`SELECT `+customerColumns+` FROM customers WHERE tenant_id = ? AND email_lower = ?`, tenantID, strings.ToLower(email)))
	if err != nil {
		return guild.Customer{}, wrap(err, "customer %s", email)
	}
	return c, nil
}

// CreateCustomer inserts a customer; an email already used (compared
// lower-cased) is EConflict.
func (t *tx) CreateCustomer(ctx context.Context, c guild.Customer) (int64, error) {
	c.CreatedAt, c.UpdatedAt = stamps(c.CreatedAt, c.UpdatedAt, t.now)
	var id int64
	err := t.q.QueryRowContext(ctx, `
		INSERT INTO customers (tenant_id, email, email_lower, first_name, last_name, phone, company_name,
			customer_group_id, origin_channel_id, channel_ids, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.TenantID, c.Email, strings.ToLower(c.Email), c.FirstName, c.LastName, c.Phone, c.CompanyName,
		c.CustomerGroupID, c.OriginChannelID, int64sJSON(c.ChannelIDs), micros(c.CreatedAt), micros(c.UpdatedAt)).Scan(&id)
	if err != nil {
		return 0, wrap(err, "create customer %s", c.Email)
	}
	return id, nil
}

// UpdateCustomer replaces a customer's fields, all but CreatedAt.
func (t *tx) UpdateCustomer(ctx context.Context, c guild.Customer) error {
	res, err := t.q.ExecContext(ctx, `
		UPDATE customers SET email = ?, email_lower = ?, first_name = ?, last_name = ?, phone = ?, company_name = ?,
			customer_group_id = ?, origin_channel_id = ?, channel_ids = ?, updated_at = ?
		WHERE tenant_id = ? AND id = ?`,
		c.Email, strings.ToLower(c.Email), c.FirstName, c.LastName, c.Phone, c.CompanyName,
		c.CustomerGroupID, c.OriginChannelID, int64sJSON(c.ChannelIDs), micros(orNow(c.UpdatedAt, t.now)), c.TenantID, c.ID)
	if err != nil {
		return wrap(err, "update customer %d", c.ID)
	}
	return affected(res, "customer %d does not exist", c.ID)
}

const userColumns = `id, tenant_id, company_id, customer_id, email, first_name, last_name, phone, role,
	company_role_id, uuid, channel_ids, created_at, updated_at`

func scanUser(sc scanner) (guild.User, error) {
	var u guild.User
	var channels string
	var created, updated int64
	err := sc.Scan(&u.ID, &u.TenantID, &u.CompanyID, &u.CustomerID, &u.Email, &u.FirstName, &u.LastName,
		&u.Phone, &u.Role, &u.CompanyRoleID, &u.UUID, &channels, &created, &updated)
	if err != nil {
		return u, err
	}
	u.CreatedAt, u.UpdatedAt = fromMicros(created), fromMicros(updated)
	u.ChannelIDs, err = parseInt64s(channels)
	return u, err
}

// User returns a company user with its extra fields.
func (r reader) User(ctx context.Context, tenantID, id int64) (guild.User, error) {
	return r.oneUser(ctx, tenantID, `id = ?`, id, "user %d", id)
}

// UserByEmail returns the user with the email, compared lower-cased, with
// its extra fields.
func (r reader) UserByEmail(ctx context.Context, tenantID int64, email string) (guild.User, error) {
	return r.oneUser(ctx, tenantID, `email_lower = ?`, strings.ToLower(email), "user %s", email)
}

func (r reader) oneUser(ctx context.Context, tenantID int64, where string, arg any, format string, args ...any) (guild.User, error) {
	var u guild.User
	err := r.snapshot(ctx, func(q queryer) error {
		var err error
		u, err = scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE tenant_id = ? AND `+where, tenantID, arg))
		if err != nil {
			return wrap(err, format, args...)
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

// ListCompanyUsers lists a company's users, with their extra fields, by
// ascending id.
func (r reader) ListCompanyUsers(ctx context.Context, tenantID, companyID int64) ([]guild.User, error) {
	var users []guild.User
	err := r.snapshot(ctx, func(q queryer) error {
		rows, err := q.QueryContext(ctx, `
			SELECT `+userColumns+` FROM users WHERE company_id = ? AND tenant_id = ? ORDER BY id`, companyID, tenantID)
		if err != nil {
			return wrap(err, "list users of company %d", companyID)
		}
		if users, err = collect(rows, scanUser, "list users"); err != nil || len(users) == 0 {
			return err
		}
		ids := make([]int64, len(users))
		for i, u := range users {
			ids[i] = u.ID
		}
		values, err := loadExtraFields(ctx, q, tenantID, guild.ExtraFieldUser, ids)
		for i := range users {
			users[i].ExtraFields = values[users[i].ID]
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return users, nil
}

// CreateUser inserts a user with its extra fields. Its company and customer
// must be the tenant's (else ENotFound); an email already used by a user
// (compared lower-cased) is EConflict.
func (t *tx) CreateUser(ctx context.Context, u guild.User) (int64, error) {
	if err := companyExists(ctx, t.q, u.TenantID, u.CompanyID); err != nil {
		return 0, err
	}
	var one int
	if err := t.q.QueryRowContext(ctx, `SELECT 1 FROM customers WHERE tenant_id = ? AND id = ?`,
		u.TenantID, u.CustomerID).Scan(&one); err != nil {
		return 0, wrap(err, "customer %d", u.CustomerID)
	}
	u.CreatedAt, u.UpdatedAt = stamps(u.CreatedAt, u.UpdatedAt, t.now)
	var id int64
	err := t.q.QueryRowContext(ctx, `
		INSERT INTO users (tenant_id, company_id, customer_id, email, email_lower, first_name, last_name, phone,
			role, company_role_id, uuid, channel_ids, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		u.TenantID, u.CompanyID, u.CustomerID, u.Email, strings.ToLower(u.Email), u.FirstName, u.LastName, u.Phone,
		u.Role, u.CompanyRoleID, u.UUID, int64sJSON(u.ChannelIDs), micros(u.CreatedAt), micros(u.UpdatedAt)).Scan(&id)
	if err != nil {
		return 0, wrap(err, "create user %s", u.Email)
	}
	if err := setExtraFieldValues(ctx, t.q, u.TenantID, guild.ExtraFieldUser, id, u.ExtraFields); err != nil {
		return 0, err
	}
	return id, nil
}
