package app

import (
	"context"
	"fmt"
	"slices"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/authz"
	"github.com/guild-b2b/guild/internal/extrafield"
)

// UserView is a company user with the name of their role: the custom
// role's name, or the predefined role's.
type UserView struct {
	guild.User
	RoleName string
}

// CreatedUser reports the ids a user create hands out at once.
type CreatedUser struct {
	UserID     int64
	CustomerID int64
}

func userNotFound(id int64, err error) error {
	if guild.IsNotFound(err) {
		return guild.Errorf(guild.ENotFound, "user %d does not exist in this store", id)
	}
	return err
}

// User returns a company user with their extra fields.
func (a *App) User(ctx context.Context, t guild.Tenant, id int64) (UserView, error) {
	u, err := a.store.User(ctx, t.ID, id)
	if err != nil {
		return UserView{}, userNotFound(id, err)
	}
	return a.viewUser(ctx, a.store, t, u)
}

// UserByCustomerID returns the company user backed by a customer.
func (a *App) UserByCustomerID(ctx context.Context, t guild.Tenant, customerID int64) (UserView, error) {
	u, err := a.store.UserByCustomerID(ctx, t.ID, customerID)
	if guild.IsNotFound(err) {
		return UserView{}, guild.Errorf(guild.ENotFound, "no company user is backed by customer %d in this store", customerID)
	}
	if err != nil {
		return UserView{}, err
	}
	return a.viewUser(ctx, a.store, t, u)
}

func (a *App) viewUser(ctx context.Context, r guild.Reader, t guild.Tenant, u guild.User) (UserView, error) {
	v := UserView{User: u, RoleName: predefinedRoleName(u.Role)}
	if u.CompanyRoleID == 0 {
		return v, nil
	}
	role, err := r.CustomRole(ctx, t.ID, u.CompanyRoleID)
	if err != nil && !guild.IsNotFound(err) {
		return v, err
	}
	v.RoleName = role.Name
	return v, nil
}

func predefinedRoleName(r guild.UserRole) string {
	role, _ := authz.PredefinedRole(r)
	return role.Name
}

// ListUsers returns a page of company users and the total count. A company
// filter must name an existing company.
func (a *App) ListUsers(ctx context.Context, t guild.Tenant, f guild.UserFilter) ([]UserView, int, error) {
	var p problems
	checkPage(&p, f.Limit, f.Offset, MaxLimit)
	for _, r := range f.Roles {
		if !r.Valid() {
			p.add("roles", "\"%d\" is not a valid choice: roles are %s; users with a custom role count as 2", r, roleChoices)
		}
	}
	if f.ChannelID != nil && *f.ChannelID <= 0 {
		p.add("channelId", "must be a positive channel id (got %d)", *f.ChannelID)
	}
	if f.CompanyID != nil {
		if *f.CompanyID <= 0 {
			p.add("companyId", "must be a positive company id (got %d)", *f.CompanyID)
		} else if _, err := a.store.Company(ctx, t.ID, *f.CompanyID); guild.IsNotFound(err) {
			p.add("companyId", "company %d does not exist in this store", *f.CompanyID)
		} else if err != nil {
			return nil, 0, err
		}
	}
	if err := p.err(); err != nil {
		return nil, 0, err
	}
	users, total, err := a.store.ListUsers(ctx, t.ID, f)
	if err != nil {
		return nil, 0, err
	}
	names := map[int64]string{}
	if slices.ContainsFunc(users, func(u guild.User) bool { return u.CompanyRoleID != 0 }) {
		roles, err := a.store.ListCustomRoles(ctx, t.ID)
		if err != nil {
			return nil, 0, err
		}
		for _, r := range roles {
			names[r.ID] = r.Name
		}
	}
	out := make([]UserView, len(users))
	for i, u := range users {
		out[i] = UserView{User: u, RoleName: predefinedRoleName(u.Role)}
		if u.CompanyRoleID != 0 {
			out[i].RoleName = names[u.CompanyRoleID]
		}
	}
	return out, total, nil
}

// CreateUser creates a company user, backed by the customer with the
// user's email (created when there is none).
func (a *App) CreateUser(ctx context.Context, t guild.Tenant, in UserInput) (CreatedUser, error) {
	var out CreatedUser
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		defs, err := tx.ListExtraFieldDefs(ctx, t.ID, guild.ExtraFieldUser)
		if err != nil {
			return err
		}
		out, err = a.createUser(ctx, tx, t, defs, in)
		return err
	})
	return out, err
}

// BulkCreateUsers creates up to MaxBulk users in one transaction: if any
// item is refused nothing is written, and the error's Items says which
// items failed and why.
func (a *App) BulkCreateUsers(ctx context.Context, t guild.Tenant, ins []UserInput) ([]CreatedUser, error) {
	if err := checkBulkSize(len(ins), "users"); err != nil {
		return nil, err
	}
	var out []CreatedUser
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		defs, err := tx.ListExtraFieldDefs(ctx, t.ID, guild.ExtraFieldUser)
		if err != nil {
			return err
		}
		out = make([]CreatedUser, len(ins))
		return eachItem(len(ins), func(i int) error {
			var err error
			out[i], err = a.createUser(ctx, tx, t, defs, ins[i])
			return err
		})
	})
	return out, err
}

func (a *App) createUser(ctx context.Context, tx guild.Tx, t guild.Tenant, defs []guild.ExtraFieldDef, in UserInput) (CreatedUser, error) {
	var p problems
	u := in.validate(&p)
	if err := checkStoreChannels(ctx, tx, t, &p, "channelIds", u.ChannelIDs); err != nil {
		return CreatedUser{}, err
	}
	u.ExtraFields = a.resolveExtraFields(ctx, tx, t, &p, "extraFields.", defs, in.ExtraFields, extrafield.Create, 0)
	var c guild.Company
	if in.CompanyID > 0 {
		var err error
		c, err = tx.Company(ctx, t.ID, in.CompanyID)
		if guild.IsNotFound(err) {
			p.add("companyId", "company %d does not exist in this store", in.CompanyID)
		} else if err != nil {
			return CreatedUser{}, err
		}
	}
	if err := checkCustomRole(ctx, tx, t, &p, u.CompanyRoleID); err != nil {
		return CreatedUser{}, err
	}
	if err := checkUserEmail(ctx, tx, t, &p, "email", u.Email, 0); err != nil {
		return CreatedUser{}, err
	}
	if err := p.err(); err != nil {
		return CreatedUser{}, err
	}

	cust, msg, err := a.linkCustomer(ctx, tx, t, guild.Customer{
		TenantID: t.ID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName, Phone: u.Phone,
		CompanyName: c.Name, CustomerGroupID: c.CustomerGroupID, OriginChannelID: in.OriginChannelID,
		ChannelIDs: u.ChannelIDs,
	})
	if err != nil {
		return CreatedUser{}, err
	}
	now := a.clock()
	u.TenantID, u.CompanyID, u.CustomerID, u.CreatedAt, u.UpdatedAt = t.ID, c.ID, cust.ID, now, now
	u.ID, err = tx.CreateUser(ctx, u)
	if guild.IsConflict(err) {
		return CreatedUser{}, guild.FieldError("email", "%s is already a company user", u.Email)
	}
	if err != nil {
		return CreatedUser{}, err
	}
	if err := tx.Enqueue(ctx, msg, userMessage(t, guild.TopicUserCreated, u)); err != nil {
		return CreatedUser{}, err
	}
	return CreatedUser{UserID: u.ID, CustomerID: cust.ID}, nil
}

// checkUserEmail reports an email that another company user (not
// exceptUserID) or a super admin already has: an email belongs to one
// company user or one super admin, never both.
func checkUserEmail(ctx context.Context, tx guild.Tx, t guild.Tenant, p *problems, field, email string, exceptUserID int64) error {
	if email == "" {
		return nil
	}
	u, err := tx.UserByEmail(ctx, t.ID, email)
	switch {
	case err == nil && u.ID != exceptUserID:
		p.add(field, "%s is already a user of company %d; an email belongs to one company user only", email, u.CompanyID)
	case err != nil && !guild.IsNotFound(err):
		return err
	}
	sa, err := tx.SuperAdminByEmail(ctx, t.ID, email)
	switch {
	case err == nil:
		p.add(field, "%s is super admin %d; an email is a company user or a super admin, never both", email, sa.ID)
	case !guild.IsNotFound(err):
		return err
	}
	return nil
}

// checkCustomRole verifies that a companyRoleId naming a custom role exists.
func checkCustomRole(ctx context.Context, tx guild.Tx, t guild.Tenant, p *problems, id int64) error {
	if !isCustomRoleID(id) {
		return nil
	}
	_, err := tx.CustomRole(ctx, t.ID, id)
	if guild.IsNotFound(err) {
		p.add("companyRoleId", "role %d does not exist in this store; give the id of one of its roles (GET /companies/roles), or a predefined role in role", id)
		return nil
	}
	return err
}

// isLastAdmin reports whether u is the only admin of their company.
func isLastAdmin(ctx context.Context, tx guild.Tx, t guild.Tenant, u guild.User) (bool, error) {
	if u.Role != guild.RoleAdmin || u.CompanyRoleID != 0 {
		return false, nil
	}
	n, err := tx.CountCompanyAdmins(ctx, t.ID, u.CompanyID)
	return n <= 1, err
}

// UpdateUser changes a company user. The customer behind the user follows
// the changes it shows (email, names, phone, channels). Demoting a
// company's last admin is refused: a company always keeps one.
func (a *App) UpdateUser(ctx context.Context, t guild.Tenant, id int64, pt UserPatch) (UserView, error) {
	var out UserView
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		u, err := tx.User(ctx, t.ID, id)
		if err != nil {
			return userNotFound(id, err)
		}
		old := u
		var p problems
		changed := pt.apply(&p, &u)
		if pt.ChannelIDs != nil {
			if err := checkStoreChannels(ctx, tx, t, &p, "channelIds", u.ChannelIDs); err != nil {
				return err
			}
		}
		if pt.CompanyRoleID != nil {
			if err := checkCustomRole(ctx, tx, t, &p, *pt.CompanyRoleID); err != nil {
				return err
			}
		}
		if pt.applyRole(&u) {
			changed = append(changed, "role")
			if last, err := isLastAdmin(ctx, tx, t, old); err != nil {
				return err
			} else if last && u.Role != guild.RoleAdmin {
				p.add("role", "user %d is the last admin of company %d, and a company always keeps at least one admin: make another user admin (role 0) first", id, u.CompanyID)
			}
		}
		if u.Email != old.Email {
			if err := checkUserEmail(ctx, tx, t, &p, "email", u.Email, id); err != nil {
				return err
			}
		}
		var values []guild.ExtraFieldValue
		if len(pt.ExtraFields) > 0 {
			defs, err := tx.ListExtraFieldDefs(ctx, t.ID, guild.ExtraFieldUser)
			if err != nil {
				return err
			}
			values = a.resolveExtraFields(ctx, tx, t, &p, "extraFields.", defs, pt.ExtraFields, extrafield.Update, id)
			if changedValues(old.ExtraFields, values) {
				changed = append(changed, "extraFields")
			}
		}
		cust, custChanged, err := a.followUser(ctx, tx, t, &p, old, u)
		if err != nil {
			return err
		}
		if err := p.err(); err != nil {
			return err
		}
		if len(changed) > 0 {
			if err := a.saveUser(ctx, tx, t, u, values, changed); err != nil {
				return err
			}
		}
		if custChanged {
			if err := tx.UpdateCustomer(ctx, cust); err != nil {
				if guild.IsConflict(err) {
					return guild.FieldError("email", "%s is the email of another customer", u.Email)
				}
				return err
			}
			if err := tx.Enqueue(ctx, customerMessage(t, guild.TopicCustomerUpdated, cust)); err != nil {
				return err
			}
		}
		if u, err = tx.User(ctx, t.ID, id); err != nil {
			return err
		}
		out, err = a.viewUser(ctx, tx, t, u)
		return err
	})
	return out, err
}

func (a *App) saveUser(ctx context.Context, tx guild.Tx, t guild.Tenant, u guild.User, values []guild.ExtraFieldValue, changed []string) error {
	if len(values) > 0 {
		if err := tx.SetExtraFieldValues(ctx, t.ID, guild.ExtraFieldUser, u.ID, values); err != nil {
			if guild.IsConflict(err) {
				return guild.FieldError("extraFields", "a unique extra field's value is already used by another user")
			}
			return err
		}
	}
	u.UpdatedAt = a.clock()
	if err := tx.UpdateUser(ctx, u); err != nil {
		if guild.IsConflict(err) {
			return guild.FieldError("email", "%s is already a company user", u.Email)
		}
		return err
	}
	return tx.Enqueue(ctx, userUpdatedMessage(t, u, changed))
}

// followUser returns the user's customer with the changes of u that a
// customer shows, and whether there are any. A new email that another
// customer already has is reported in p.
func (a *App) followUser(ctx context.Context, tx guild.Tx, t guild.Tenant, p *problems, old, u guild.User) (guild.Customer, bool, error) {
	if u.Email == old.Email && u.FirstName == old.FirstName && u.LastName == old.LastName &&
		u.Phone == old.Phone && slices.Equal(u.ChannelIDs, old.ChannelIDs) {
		return guild.Customer{}, false, nil
	}
	cust, err := tx.Customer(ctx, t.ID, u.CustomerID)
	if err != nil {
		return cust, false, fmt.Errorf("customer %d of user %d: %w", u.CustomerID, u.ID, err)
	}
	if u.Email != old.Email {
		other, err := tx.CustomerByEmail(ctx, t.ID, u.Email)
		switch {
		case err == nil && other.ID != cust.ID:
			p.add("email", "%s is the email of customer %d, who is not this user; an email belongs to one customer", u.Email, other.ID)
		case err != nil && !guild.IsNotFound(err):
			return cust, false, err
		}
	}
	cust.Email, cust.FirstName, cust.LastName, cust.Phone, cust.ChannelIDs = u.Email, u.FirstName, u.LastName, u.Phone, u.ChannelIDs
	cust.UpdatedAt = a.clock()
	return cust, true, nil
}

// DeleteUser deletes a company user. Their customer is kept, without
// company name and customer group. A company's last admin cannot be
// deleted: a company always keeps one.
func (a *App) DeleteUser(ctx context.Context, t guild.Tenant, id int64) error {
	return a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		u, err := tx.User(ctx, t.ID, id)
		if err != nil {
			return userNotFound(id, err)
		}
		if last, err := isLastAdmin(ctx, tx, t, u); err != nil {
			return err
		} else if last {
			return guild.Errorf(guild.EInvalid, "user %d is the last admin of company %d, and a company always keeps at least one admin: make another user admin (role 0) first, or delete the company", id, u.CompanyID)
		}
		cust, err := tx.Customer(ctx, t.ID, u.CustomerID)
		if err != nil {
			return fmt.Errorf("customer %d of user %d: %w", u.CustomerID, id, err)
		}
		cust.CompanyName, cust.CustomerGroupID, cust.UpdatedAt = "", 0, a.clock()
		if err := tx.UpdateCustomer(ctx, cust); err != nil {
			return err
		}
		if err := tx.DeleteUser(ctx, t.ID, id); err != nil {
			return userNotFound(id, err)
		}
		return tx.Enqueue(ctx, customerMessage(t, guild.TopicCustomerUpdated, cust), userMessage(t, guild.TopicUserDeleted, u))
	})
}
