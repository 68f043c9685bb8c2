package postgres

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	guild "github.com/guild-b2b/guild"
	"github.com/jackc/pgx/v5"
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
	g, err := scanGroup(r.db.QueryRow(ctx, `SELECT `+groupColumns+` FROM customer_groups WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return g, r.fail(err, "customer group %d", id)
}

// ListCustomerGroups pages groups by ascending id, and counts them all: two
// queries of one batch (one round trip, one snapshot).
func (r reader) ListCustomerGroups(ctx context.Context, tenantID int64, p guild.Page) ([]guild.CustomerGroup, int, error) {
	var (
		groups []guild.CustomerGroup
		total  int
	)
	q := `SELECT ` + groupColumns + ` FROM customer_groups WHERE tenant_id = $1 ORDER BY id`
	args := []any{tenantID}
	if p.Limit > 0 {
		args = append(args, p.Limit)
		q += ` LIMIT $` + strconv.Itoa(len(args))
	}
	if p.Offset > 0 {
		args = append(args, p.Offset)
		q += ` OFFSET $` + strconv.Itoa(len(args))
	}
	b := &pgx.Batch{}
	b.Queue(q, args...).Query(func(rows pgx.Rows) error {
		var err error
		groups, err = collect(rows, nil, scanGroup)
		return err
	})
	b.Queue(`SELECT count(*) FROM customer_groups WHERE tenant_id = $1`, tenantID).
		QueryRow(func(row pgx.Row) error { return row.Scan(&total) })
	if err := r.db.SendBatch(ctx, b).Close(); err != nil {
		return nil, 0, r.fail(err, "list customer groups")
	}
	return groups, total, nil
}

// CreateCustomerGroup inserts g; CreatedAt defaults to now and UpdatedAt to
// CreatedAt.
func (t *tx) CreateCustomerGroup(ctx context.Context, g guild.CustomerGroup) (int64, error) {
	g.CreatedAt = orNow(g.CreatedAt)
	if g.UpdatedAt.IsZero() {
		g.UpdatedAt = g.CreatedAt
	}
	return t.insertID(ctx, nil, `
		INSERT INTO customer_groups (tenant_id, name, company_id, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		[]any{g.TenantID, g.Name, g.CompanyID, micros(g.CreatedAt), micros(g.UpdatedAt)},
		"create customer group %q", g.Name)
}

// UpdateCustomerGroup replaces the group's name, company and UpdatedAt (now
// when zero).
func (t *tx) UpdateCustomerGroup(ctx context.Context, g guild.CustomerGroup) error {
	return t.exec(ctx, mustAffect("customer group %d does not exist", g.ID), `
		UPDATE customer_groups SET name = $3, company_id = $4, updated_at = $5 WHERE tenant_id = $1 AND id = $2`,
		[]any{g.TenantID, g.ID, g.Name, g.CompanyID, micros(orNow(g.UpdatedAt))},
		"update customer group %d", g.ID)
}

// DeleteCustomerGroup deletes a group. Companies and customers keep its id.
func (t *tx) DeleteCustomerGroup(ctx context.Context, tenantID, id int64) error {
	return t.exec(ctx, mustAffect("customer group %d does not exist", id),
		`DELETE FROM customer_groups WHERE tenant_id = $1 AND id = $2`, []any{tenantID, id},
		"delete customer group %d", id)
}

const customerColumns = `id, tenant_id, email, first_name, last_name, phone, company_name, customer_group_id,
	origin_channel_id, channel_ids, created_at, updated_at`

func scanCustomer(sc scanner) (guild.Customer, error) {
	var c guild.Customer
	var created, updated int64
	err := sc.Scan(&c.ID, &c.TenantID, &c.Email, &c.FirstName, &c.LastName, &c.Phone, &c.CompanyName, &c.CustomerGroupID,
		&c.OriginChannelID, &c.ChannelIDs, &created, &updated)
	c.ChannelIDs = orNil(c.ChannelIDs)
	c.CreatedAt, c.UpdatedAt = fromMicros(created), fromMicros(updated)
	return c, err
}

// Customer returns a customer.
func (r reader) Customer(ctx context.Context, tenantID, id int64) (guild.Customer, error) {
	c, err := scanCustomer(r.db.QueryRow(ctx, `SELECT `+customerColumns+` FROM customers WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return c, r.fail(err, "customer %d", id)
}

// CustomerByEmail returns the customer with the email, compared lower-cased.
func (r reader) CustomerByEmail(ctx context.Context, tenantID int64, email string) (guild.Customer, error) {
	c, err := scanCustomer(r.db.QueryRow(ctx, `SELECT `+customerColumns+` FROM customers WHERE tenant_id = $1 AND email_lower = $2`,
		tenantID, strings.ToLower(email)))
	return c, r.fail(err, "customer %q", email)
}

// CreateCustomer inserts c; an email taken (case-insensitively) by another
// customer of the tenant is EConflict, a missing tenant ENotFound. CreatedAt
// defaults to now and UpdatedAt to CreatedAt. Both refusals are answers of
// the statement, which thus needs no savepoint (see writeGuarded).
func (t *tx) CreateCustomer(ctx context.Context, c guild.Customer) (int64, error) {
	c.CreatedAt = orNow(c.CreatedAt)
	if c.UpdatedAt.IsZero() {
		c.UpdatedAt = c.CreatedAt
	}
	var (
		tenant bool
		id     *int64
	)
	b := &pgx.Batch{}
	b.Queue(`
		WITH t AS (SELECT EXISTS (SELECT 1 FROM tenants WHERE id = $1) AS ok),
		c AS (
			INSERT INTO customers (tenant_id, email, email_lower, first_name, last_name, phone, company_name,
				customer_group_id, origin_channel_id, channel_ids, created_at, updated_at)
			SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 FROM t WHERE t.ok
			ON CONFLICT ON CONSTRAINT customers_email_key DO NOTHING
			RETURNING id
		)
		SELECT t.ok, (SELECT id FROM c) FROM t`,
		c.TenantID, c.Email, strings.ToLower(c.Email), c.FirstName, c.LastName, c.Phone, c.CompanyName,
		c.CustomerGroupID, c.OriginChannelID, orEmpty(c.ChannelIDs), micros(c.CreatedAt), micros(c.UpdatedAt)).
		QueryRow(func(row pgx.Row) error { return row.Scan(&tenant, &id) })
	safe := textOK(c.Email, c.FirstName, c.LastName, c.Phone, c.CompanyName)
	if err := t.writeGuarded(ctx, safe, b, "create customer %q", c.Email); err != nil {
		return 0, err
	}
	switch {
	case !tenant:
		return 0, notFound("create customer %q: store %d does not exist", c.Email, c.TenantID)
	case id == nil:
		return 0, &guild.Error{Code: guild.EConflict, Message: fmt.Sprintf("create customer %q: %s", c.Email, conflictMessage("customers_email_key"))}
	}
	return *id, nil
}

// UpdateCustomer replaces the customer's fields but CreatedAt; UpdatedAt is
// now when zero. An email taken by another customer is EConflict.
func (t *tx) UpdateCustomer(ctx context.Context, c guild.Customer) error {
	return t.exec(ctx, mustAffect("customer %d does not exist", c.ID), `
		UPDATE customers SET email = $3, email_lower = $4, first_name = $5, last_name = $6, phone = $7,
			company_name = $8, customer_group_id = $9, origin_channel_id = $10, channel_ids = $11, updated_at = $12
		WHERE tenant_id = $1 AND id = $2`,
		[]any{c.TenantID, c.ID, c.Email, strings.ToLower(c.Email), c.FirstName, c.LastName, c.Phone,
			c.CompanyName, c.CustomerGroupID, c.OriginChannelID, orEmpty(c.ChannelIDs), micros(orNow(c.UpdatedAt))},
		"update customer %d", c.ID)
}

const userColumns = `id, tenant_id, company_id, customer_id, email, first_name, last_name, phone, role,
	company_role_id, uuid, channel_ids, created_at, updated_at`

func scanUser(sc scanner) (guild.User, error) {
	var u guild.User
	var created, updated int64
	err := sc.Scan(&u.ID, &u.TenantID, &u.CompanyID, &u.CustomerID, &u.Email, &u.FirstName, &u.LastName, &u.Phone,
		&u.Role, &u.CompanyRoleID, &u.UUID, &u.ChannelIDs, &created, &updated)
	u.ChannelIDs = orNil(u.ChannelIDs)
	u.CreatedAt, u.UpdatedAt = fromMicros(created), fromMicros(updated)
	return u, err
}

// users runs a query of users (selecting userColumns) and reads their extra
// fields, in one snapshot.
func (r reader) users(ctx context.Context, query string, args ...any) ([]guild.User, error) {
	var users []guild.User
	err := r.snapshot(ctx, func(r reader) error {
		rows, err := r.db.Query(ctx, query, args...)
		if users, err = collect(rows, err, scanUser); err != nil || len(users) == 0 {
			return err
		}
		ids := make([]int64, len(users))
		for i, u := range users {
			ids[i] = u.ID
		}
		b := &pgx.Batch{}
		values := queueValues(b, users[0].TenantID, guild.ExtraFieldUser, ids)
		if err := r.db.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		for i := range users {
			users[i].ExtraFields = values[users[i].ID]
		}
		return nil
	})
	return users, err
}

// user returns the one user of a query, with its extra fields.
func (r reader) user(ctx context.Context, query string, args ...any) (guild.User, error) {
	users, err := r.users(ctx, query, args...)
	if err != nil {
		return guild.User{}, err
	}
	if len(users) == 0 {
		return guild.User{}, pgx.ErrNoRows
	}
	return users[0], nil
}

// User returns a user with its extra fields.
func (r reader) User(ctx context.Context, tenantID, id int64) (guild.User, error) {
	u, err := r.user(ctx, `SELECT `+userColumns+` FROM users WHERE tenant_id = $1 AND id = $2`, tenantID, id)
	return u, r.fail(err, "user %d", id)
}

// UserByEmail returns the user with the email, compared lower-cased, with
// its extra fields.
func (r reader) UserByEmail(ctx context.Context, tenantID int64, email string) (guild.User, error) {
	u, err := r.user(ctx, `SELECT `+userColumns+` FROM users WHERE tenant_id = $1 AND email_lower = $2`,
		tenantID, strings.ToLower(email))
	return u, r.fail(err, "user %q", email)
}

// ListCompanyUsers lists a company's users by ascending id, with their extra
// fields.
func (r reader) ListCompanyUsers(ctx context.Context, tenantID, companyID int64) ([]guild.User, error) {
	users, err := r.users(ctx, `SELECT `+userColumns+` FROM users WHERE company_id = $2 AND tenant_id = $1 ORDER BY id`,
		tenantID, companyID)
	return users, r.fail(err, "list the users of company %d", companyID)
}

// CreateUser inserts u, a user of a company and a customer of the same
// tenant, with its extra fields (user fields of the tenant), in one
// statement. An email taken (case-insensitively) by another user of the
// tenant is EConflict; a company or customer missing from the tenant is
// ENotFound. CreatedAt defaults to now and UpdatedAt to CreatedAt.
//
// The statement answers every refusal but a unique value taken, so it needs
// a savepoint only for unique values (see writeGuarded).
func (t *tx) CreateUser(ctx context.Context, u guild.User) (int64, error) {
	u.CreatedAt = orNow(u.CreatedAt)
	if u.UpdatedAt.IsZero() {
		u.UpdatedAt = u.CreatedAt
	}
	fieldIDs, vals, uniq, deleted := splitValues(u.ExtraFields)
	fields := append(slices.Clone(fieldIDs), deleted...)
	var (
		company, customer bool
		found             []int64
		id                *int64
	)
	b := &pgx.Batch{}
	b.Queue(`
		WITH chk AS (
			SELECT EXISTS (SELECT 1 FROM companies WHERE tenant_id = $1 AND id = $2) AS company,
				EXISTS (SELECT 1 FROM customers WHERE tenant_id = $1 AND id = $3) AS customer,
				`+foundFields("'user'", "$17")+` AS found
		), u AS (
			INSERT INTO users (tenant_id, company_id, customer_id, email, email_lower, first_name, last_name, phone,
				role, uuid, channel_ids, created_at, updated_at, company_role_id)
			SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $18 FROM chk
			WHERE chk.company AND chk.customer AND cardinality(chk.found) = cardinality($17::bigint[])
			ON CONFLICT ON CONSTRAINT users_email_key DO NOTHING
			RETURNING id
		), v AS (
			INSERT INTO extra_field_values (tenant_id, field_id, kind, record_id, value, unique_value)
			SELECT $1, x.field_id, 'user', u.id, x.value, CASE WHEN x.is_unique THEN x.value END
			FROM u, unnest($14::bigint[], $15::text[], $16::boolean[]) AS x(field_id, value, is_unique)
		)
		SELECT chk.company, chk.customer, chk.found, (SELECT id FROM u) FROM chk`,
		u.TenantID, u.CompanyID, u.CustomerID, u.Email, strings.ToLower(u.Email), u.FirstName, u.LastName, u.Phone,
		int(u.Role), u.UUID, orEmpty(u.ChannelIDs), micros(u.CreatedAt), micros(u.UpdatedAt), fieldIDs, vals, uniq, fields,
		u.CompanyRoleID).
		QueryRow(func(row pgx.Row) error { return row.Scan(&company, &customer, &found, &id) })
	safe := !slices.Contains(uniq, true) && textOK(u.Email, u.FirstName, u.LastName, u.Phone, u.UUID) && textOK(vals...)
	if err := t.writeGuarded(ctx, safe, b, "create user %q in company %d", u.Email, u.CompanyID); err != nil {
		return 0, err
	}
	switch {
	case !company:
		return 0, notFound("company %d does not exist", u.CompanyID)
	case !customer:
		return 0, notFound("customer %d does not exist", u.CustomerID)
	}
	if err := missingField(guild.ExtraFieldUser, fields, found); err != nil {
		return 0, err
	}
	if id == nil {
		return 0, &guild.Error{Code: guild.EConflict, Message: fmt.Sprintf("create user %q in company %d: %s", u.Email, u.CompanyID, conflictMessage("users_email_key"))}
	}
	return *id, nil
}
