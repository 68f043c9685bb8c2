package app

import (
	"context"

	guild "github.com/guild-b2b/guild"
)

// Guild keeps its own customer groups until a commerce platform is
// connected. These use-cases are Guild's extension endpoints and CLI.

// ListCustomerGroups pages a store's customer groups.
func (a *App) ListCustomerGroups(ctx context.Context, t guild.Tenant, p guild.Page) ([]guild.CustomerGroup, int, error) {
	return a.store.ListCustomerGroups(ctx, t.ID, p)
}

// CustomerGroup returns one customer group.
func (a *App) CustomerGroup(ctx context.Context, t guild.Tenant, id int64) (guild.CustomerGroup, error) {
	g, err := a.store.CustomerGroup(ctx, t.ID, id)
	return g, groupNotFound(id, err)
}

func groupNotFound(id int64, err error) error {
	if guild.IsNotFound(err) {
		return guild.Errorf(guild.ENotFound, "customer group %d does not exist in this store", id)
	}
	return err
}

// CreateCustomerGroup creates a stand-alone customer group.
func (a *App) CreateCustomerGroup(ctx context.Context, t guild.Tenant, name string) (guild.CustomerGroup, error) {
	var p problems
	name = p.text("name", name, true, 200)
	if err := p.err(); err != nil {
		return guild.CustomerGroup{}, err
	}
	var g guild.CustomerGroup
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		var err error
		g, err = a.createCustomerGroup(ctx, tx, t, name, 0)
		return err
	})
	return g, err
}

func (a *App) createCustomerGroup(ctx context.Context, tx guild.Tx, t guild.Tenant, name string, companyID int64) (guild.CustomerGroup, error) {
	now := a.clock()
	g := guild.CustomerGroup{TenantID: t.ID, Name: name, CompanyID: companyID, CreatedAt: now, UpdatedAt: now}
	id, err := tx.CreateCustomerGroup(ctx, g)
	if err != nil {
		return g, err
	}
	g.ID = id
	return g, tx.Enqueue(ctx, groupMessage(t, guild.TopicCustomerGroupCreated, g))
}

// RenameCustomerGroup renames a group. A group that a dependent-mode company
// owns follows its company's name and cannot be renamed on its own.
func (a *App) RenameCustomerGroup(ctx context.Context, t guild.Tenant, id int64, name string) (guild.CustomerGroup, error) {
	var p problems
	name = p.text("name", name, true, 200)
	if err := p.err(); err != nil {
		return guild.CustomerGroup{}, err
	}
	var g guild.CustomerGroup
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		var err error
		g, err = tx.CustomerGroup(ctx, t.ID, id)
		if err != nil {
			return groupNotFound(id, err)
		}
		if g.CompanyID != 0 {
			return guild.Errorf(guild.EInvalid, "customer group %d belongs to company %d and takes its name; rename the company instead", id, g.CompanyID)
		}
		if g.Name == name {
			return nil
		}
		g.Name, g.UpdatedAt = name, a.clock()
		if err := tx.UpdateCustomerGroup(ctx, g); err != nil {
			return err
		}
		return tx.Enqueue(ctx, groupMessage(t, guild.TopicCustomerGroupUpdated, g))
	})
	return g, err
}

// DeleteCustomerGroup deletes a group that no company uses and that is not
// the store's default.
func (a *App) DeleteCustomerGroup(ctx context.Context, t guild.Tenant, id int64) error {
	return a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		g, err := tx.CustomerGroup(ctx, t.ID, id)
		if err != nil {
			return groupNotFound(id, err)
		}
		if g.CompanyID != 0 {
			return guild.Errorf(guild.EInvalid, "customer group %d belongs to company %d; deleting the company deletes its group", id, g.CompanyID)
		}
		cur, err := tx.TenantByID(ctx, t.ID)
		if err != nil {
			return err
		}
		if cur.DefaultCustomerGroupID == id {
			return guild.Errorf(guild.EInvalid, "customer group %d is the store's default group; choose another default first (guild stores update --default-customer-group)", id)
		}
		n, err := tx.CountCompaniesInGroup(ctx, t.ID, id)
		if err != nil {
			return err
		}
		if n > 0 {
			return guild.Errorf(guild.EInvalid, "customer group %d is assigned to %d companies; assign them another group first", id, n)
		}
		if err := tx.DeleteCustomerGroup(ctx, t.ID, id); err != nil {
			return err
		}
		return tx.Enqueue(ctx, groupMessage(t, guild.TopicCustomerGroupDeleted, g))
	})
}
