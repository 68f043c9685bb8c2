package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/extrafield"
)

// MaxBulk is the most items a bulk request may carry.
const MaxBulk = 10

// defaultChannelIDs is given to users created without channels: channel 1 is
// the store's default storefront channel.
var defaultChannelIDs = []int64{1}

// CreatedCompany reports the ids a company create hands out at once.
type CreatedCompany struct {
	CompanyID       int64
	CustomerID      int64
	CustomerGroupID int64
}

func companyNotFound(id int64, err error) error {
	if guild.IsNotFound(err) {
		return guild.Errorf(guild.ENotFound, "company %d does not exist in this store", id)
	}
	return err
}

// Company returns a company with its extra fields and price lists.
func (a *App) Company(ctx context.Context, t guild.Tenant, id int64) (guild.Company, error) {
	c, err := a.store.Company(ctx, t.ID, id)
	return c, companyNotFound(id, err)
}

// CreateCompany creates a company with its first admin user and, per the
// store's mode, its customer group.
func (a *App) CreateCompany(ctx context.Context, t guild.Tenant, in CompanyInput) (CreatedCompany, error) {
	var out CreatedCompany
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		var err error
		defs, err := loadCreateDefs(ctx, tx, t)
		if err != nil {
			return err
		}
		out, err = a.createCompany(ctx, tx, t, defs, in, nil)
		return err
	})
	return out, err
}

// createDefs holds the extra-field definitions a company create checks.
type createDefs struct {
	company, user []guild.ExtraFieldDef
}

func loadCreateDefs(ctx context.Context, tx guild.Tx, t guild.Tenant) (createDefs, error) {
	var d createDefs
	var err error
	if d.company, err = tx.ListExtraFieldDefs(ctx, t.ID, guild.ExtraFieldCompany); err != nil {
		return d, err
	}
	d.user, err = tx.ListExtraFieldDefs(ctx, t.ID, guild.ExtraFieldUser)
	return d, err
}

// BulkCreateCompanies creates up to MaxBulk companies in one transaction: if
// any item is refused nothing is written, and the error's Items says which
// items failed and why.
func (a *App) BulkCreateCompanies(ctx context.Context, t guild.Tenant, ins []CompanyInput) ([]CreatedCompany, error) {
	if err := checkBulkSize(len(ins), "companies"); err != nil {
		return nil, err
	}
	var out []CreatedCompany
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		defs, err := loadCreateDefs(ctx, tx, t)
		if err != nil {
			return err
		}
		out = make([]CreatedCompany, len(ins))
		return eachItem(len(ins), func(i int) error {
			var err error
			out[i], err = a.createCompany(ctx, tx, t, defs, ins[i], nil)
			return err
		})
	})
	return out, err
}

func checkBulkSize(n int, what string) error {
	if n > MaxBulk {
		return guild.Errorf(guild.ETooLarge, "a bulk request takes at most %d %s; this one has %d: split it", MaxBulk, what, n)
	}
	if n == 0 {
		return guild.Errorf(guild.EInvalid, "the request has no %s: send an array of 1 to %d", what, MaxBulk)
	}
	return nil
}

// eachItem runs fn for every item; validation errors are collected per item
// and returned together, any other error stops at once.
func eachItem(n int, fn func(i int) error) error {
	items := make([]map[string][]string, n)
	var failed []string
	for i := range n {
		items[i] = map[string][]string{}
		err := fn(i)
		if err == nil {
			continue
		}
		var ge *guild.Error
		if !errors.As(err, &ge) || (ge.Code != guild.EInvalid && ge.Code != guild.EConflict) {
			return err
		}
		if len(ge.Fields) > 0 {
			items[i] = ge.Fields
		} else {
			items[i] = map[string][]string{"error": {ge.Message}}
		}
		failed = append(failed, fmt.Sprintf("item %d: %s", i, ge.Message))
	}
	if failed == nil {
		return nil
	}
	return &guild.Error{Code: guild.EInvalid, Message: "nothing was written; " + strings.Join(failed, "; "), Items: items}
}

// createCompany creates one company inside tx. group, when not nil, is the
// existing customer group a converted company takes over.
func (a *App) createCompany(ctx context.Context, tx guild.Tx, t guild.Tenant, defs createDefs, in CompanyInput, group *guild.CustomerGroup) (CreatedCompany, error) {
	var p problems
	c := in.validate(&p)
	companyValues := a.resolveExtraFields(ctx, tx, t, &p, "extra_fields.", defs.company, in.ExtraFields, extrafield.Create, 0)
	userValues := a.resolveExtraFields(ctx, tx, t, &p, "user_extra_fields.", defs.user, in.UserExtraFields, extrafield.Create, 0)
	var err error
	if in.namesFromCustomer && in.AdminEmail != "" && (in.AdminFirstName == "" || in.AdminLastName == "") {
		if err := fillAdminNames(ctx, tx, t, &p, &in); err != nil {
			return CreatedCompany{}, err
		}
	}
	if err := checkUserEmail(ctx, tx, t, &p, "admin_email", in.AdminEmail, 0); err != nil {
		return CreatedCompany{}, err
	}
	if err := checkStoreChannels(ctx, tx, t, &p, "channel_ids", in.ChannelIDs); err != nil {
		return CreatedCompany{}, err
	}
	switch {
	case group != nil:
		c.CustomerGroupID = group.ID
	case t.DependentCompanies:
		// The company's own group is created below, once it has an id.
	default:
		gid := t.DefaultCustomerGroupID
		if in.CustomerGroupID != nil {
			gid = *in.CustomerGroupID
		}
		if err := checkGroup(ctx, tx, t, &p, gid); err != nil {
			return CreatedCompany{}, err
		}
		c.CustomerGroupID = gid
	}
	if err := p.err(); err != nil {
		return CreatedCompany{}, err
	}

	now := a.clock()
	c.TenantID, c.Status, c.CreatedAt, c.UpdatedAt = t.ID, guild.CompanyApproved, now, now
	if in.Status != nil {
		c.Status = *in.Status
	}
	if t.DependentCompanies {
		c.CatalogID = in.CatalogID
	}
	c.ExtraFields = companyValues
	c.ID, err = tx.CreateCompany(ctx, c)
	if err != nil {
		return CreatedCompany{}, err
	}
	msgs := []guild.OutboxMessage{companyMessage(t, guild.TopicCompanyCreated, c.ID, nil)}
	switch {
	case group != nil:
		group.CompanyID, group.UpdatedAt = c.ID, now
		if err := tx.UpdateCustomerGroup(ctx, *group); err != nil {
			return CreatedCompany{}, err
		}
	case t.DependentCompanies:
		g, err := a.createCustomerGroup(ctx, tx, t, c.Name, c.ID)
		if err != nil {
			return CreatedCompany{}, err
		}
		c.CustomerGroupID = g.ID
		if err := tx.UpdateCompany(ctx, c); err != nil {
			return CreatedCompany{}, err
		}
	}
	if t.DependentCompanies && c.CatalogID > 0 {
		msgs = append(msgs, priceListMessage(t, c, nil))
	}

	channels := in.ChannelIDs
	if len(channels) == 0 {
		channels = defaultChannelIDs
	}
	cust, msg, err := a.linkCustomer(ctx, tx, t, guild.Customer{
		TenantID: t.ID, Email: in.AdminEmail, FirstName: in.AdminFirstName, LastName: in.AdminLastName,
		Phone: in.AdminPhone, CompanyName: c.Name, CustomerGroupID: c.CustomerGroupID,
		OriginChannelID: in.OriginChannelID, ChannelIDs: channels,
	})
	if err != nil {
		return CreatedCompany{}, err
	}
	msgs = append(msgs, msg)
	u := guild.User{
		TenantID: t.ID, CompanyID: c.ID, CustomerID: cust.ID, Email: in.AdminEmail,
		FirstName: in.AdminFirstName, LastName: in.AdminLastName, Phone: in.AdminPhone,
		Role: guild.RoleAdmin, ChannelIDs: channels, CreatedAt: now, UpdatedAt: now, ExtraFields: userValues,
	}
	u.ID, err = tx.CreateUser(ctx, u)
	if guild.IsConflict(err) {
		return CreatedCompany{}, guild.FieldError("admin_email", "%s is already a company user", in.AdminEmail)
	}
	if err != nil {
		return CreatedCompany{}, err
	}
	msgs = append(msgs, userMessage(t, guild.TopicUserCreated, u))
	if err := tx.Enqueue(ctx, msgs...); err != nil {
		return CreatedCompany{}, err
	}
	return CreatedCompany{CompanyID: c.ID, CustomerID: cust.ID, CustomerGroupID: c.CustomerGroupID}, nil
}

// fillAdminNames takes the admin's missing names from the customer with the
// admin email; without such a customer the names are required.
func fillAdminNames(ctx context.Context, tx guild.Tx, t guild.Tenant, p *problems, in *CompanyInput) error {
	cust, err := tx.CustomerByEmail(ctx, t.ID, in.AdminEmail)
	if err != nil && !guild.IsNotFound(err) {
		return err
	}
	if in.AdminFirstName == "" {
		in.AdminFirstName = cust.FirstName
	}
	if in.AdminLastName == "" {
		in.AdminLastName = cust.LastName
	}
	for field, v := range map[string]string{"admin_first_name": in.AdminFirstName, "admin_last_name": in.AdminLastName} {
		if v == "" {
			p.add(field, "is required: no customer with the email %s exists to take it from", in.AdminEmail)
		}
	}
	return nil
}

// checkGroup verifies that a customer group id (0 = none) exists.
func checkGroup(ctx context.Context, tx guild.Tx, t guild.Tenant, p *problems, id int64) error {
	if id <= 0 {
		return nil
	}
	_, err := tx.CustomerGroup(ctx, t.ID, id)
	if guild.IsNotFound(err) {
		p.add("customer_group_id", "customer group %d does not exist in this store (0 means no group)", id)
		return nil
	}
	return err
}

// linkCustomer links the customer with want's email, or creates it, and
// returns the outbox message that tells the platform.
func (a *App) linkCustomer(ctx context.Context, tx guild.Tx, t guild.Tenant, want guild.Customer) (guild.Customer, guild.OutboxMessage, error) {
	now := a.clock()
	cust, err := tx.CustomerByEmail(ctx, t.ID, want.Email)
	switch {
	case guild.IsNotFound(err):
		want.CreatedAt, want.UpdatedAt = now, now
		want.ID, err = tx.CreateCustomer(ctx, want)
		if err != nil {
			return want, guild.OutboxMessage{}, err
		}
		return want, customerMessage(t, guild.TopicCustomerCreated, want), nil
	case err != nil:
		return cust, guild.OutboxMessage{}, err
	}
	// An existing customer keeps its own name and phone where it has them.
	if cust.FirstName == "" {
		cust.FirstName = want.FirstName
	}
	if cust.LastName == "" {
		cust.LastName = want.LastName
	}
	if cust.Phone == "" {
		cust.Phone = want.Phone
	}
	cust.CompanyName, cust.CustomerGroupID, cust.ChannelIDs = want.CompanyName, want.CustomerGroupID, want.ChannelIDs
	cust.UpdatedAt = now
	if err := tx.UpdateCustomer(ctx, cust); err != nil {
		return cust, guild.OutboxMessage{}, err
	}
	return cust, customerMessage(t, guild.TopicCustomerUpdated, cust), nil
}

// resolveExtraFields validates extra-field input against defs and checks
// unique values against other records; problems go to p under prefix.
func (a *App) resolveExtraFields(ctx context.Context, tx guild.Tx, t guild.Tenant, p *problems, prefix string, defs []guild.ExtraFieldDef, in []extrafield.Input, mode extrafield.Mode, recordID int64) []guild.ExtraFieldValue {
	values, err := extrafield.Resolve(defs, in, mode)
	if err != nil {
		if !p.merge(err, prefix) {
			p.add(strings.TrimSuffix(prefix, "."), "%s", err.Error())
		}
		return nil
	}
	byID := make(map[int64]guild.ExtraFieldDef, len(defs))
	for _, d := range defs {
		byID[d.ID] = d
	}
	for _, v := range values {
		if !v.Unique || v.Value == "" {
			continue
		}
		owner, err := tx.ExtraFieldValueOwner(ctx, t.ID, v.FieldID, v.Value, recordID)
		if err == nil {
			p.add(prefix+byID[v.FieldID].Name, "the value %q is already used by record %d and this field's values must be unique", v.Value, owner)
		} else if !guild.IsNotFound(err) {
			p.add(prefix+byID[v.FieldID].Name, "could not check uniqueness: %v", err)
		}
	}
	return values
}

// ConvertCustomerGroup creates a company that takes over an existing customer
// group (dependent-companies mode only).
func (a *App) ConvertCustomerGroup(ctx context.Context, t guild.Tenant, groupID int64, in CompanyInput) (CreatedCompany, error) {
	if !t.DependentCompanies {
		return CreatedCompany{}, guild.Errorf(guild.EBadRequest, "converting a customer group into a company is only available in dependent-companies mode; this store uses independent companies: create the company with customerGroupId %d instead", groupID)
	}
	var out CreatedCompany
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		g, err := tx.CustomerGroup(ctx, t.ID, groupID)
		if err != nil {
			return groupNotFound(groupID, err)
		}
		if g.CompanyID != 0 {
			return guild.Errorf(guild.EBadRequest, "customer group %d already belongs to company %d", groupID, g.CompanyID)
		}
		if n, err := tx.CountCompaniesInGroup(ctx, t.ID, groupID); err != nil {
			return err
		} else if n > 0 {
			return guild.Errorf(guild.EBadRequest, "customer group %d is already assigned to %d companies", groupID, n)
		}
		defs, err := loadCreateDefs(ctx, tx, t)
		if err != nil {
			return err
		}
		in.namesFromCustomer = true
		out, err = a.createCompany(ctx, tx, t, defs, in, &g)
		return err
	})
	return out, err
}

// UpdateCompany changes a company.
func (a *App) UpdateCompany(ctx context.Context, t guild.Tenant, id int64, pt CompanyPatch) error {
	return a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		return a.updateCompany(ctx, tx, t, id, pt)
	})
}

// BulkUpdateCompanies changes up to MaxBulk companies in one transaction;
// like bulk create, one refused item means nothing is written.
func (a *App) BulkUpdateCompanies(ctx context.Context, t guild.Tenant, pts []CompanyPatch) ([]int64, error) {
	if err := checkBulkSize(len(pts), "companies"); err != nil {
		return nil, err
	}
	ids := make([]int64, len(pts))
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		return eachItem(len(pts), func(i int) error {
			ids[i] = pts[i].ID
			if pts[i].ID <= 0 {
				return guild.FieldError("company_id", "is required: the id of the company to update")
			}
			err := a.updateCompany(ctx, tx, t, pts[i].ID, pts[i])
			if guild.IsNotFound(err) {
				return guild.FieldError("company_id", "company %d does not exist in this store", pts[i].ID)
			}
			return err
		})
	})
	return ids, err
}

func (a *App) updateCompany(ctx context.Context, tx guild.Tx, t guild.Tenant, id int64, pt CompanyPatch) error {
	c, err := tx.Company(ctx, t.ID, id)
	if err != nil {
		return companyNotFound(id, err)
	}
	oldName, oldGroup := c.Name, c.CustomerGroupID
	var p problems
	changed := pt.apply(&p, &c)
	var values []guild.ExtraFieldValue
	if len(pt.ExtraFields) > 0 {
		defs, err := tx.ListExtraFieldDefs(ctx, t.ID, guild.ExtraFieldCompany)
		if err != nil {
			return err
		}
		values = a.resolveExtraFields(ctx, tx, t, &p, "extra_fields.", defs, pt.ExtraFields, extrafield.Update, id)
	}
	if pt.CustomerGroupID != nil && !t.DependentCompanies && *pt.CustomerGroupID != c.CustomerGroupID {
		if err := checkGroup(ctx, tx, t, &p, *pt.CustomerGroupID); err != nil {
			return err
		}
		c.CustomerGroupID = *pt.CustomerGroupID
		changed = append(changed, "customerGroupId")
	}
	var lists []guild.PriceListAssignment
	listsChanged := false
	// In independent mode priceListAssign is checked and then ignored, as
	// the vendor's "will not take effect": a company's price list comes
	// from its customer group.
	if pt.PriceLists != nil && t.DependentCompanies {
		lists = mergePriceLists(c.PriceLists, *pt.PriceLists)
		listsChanged = !slices.Equal(lists, c.PriceLists)
	}
	if err := p.err(); err != nil {
		return err
	}
	var msgs []guild.OutboxMessage
	if len(values) > 0 {
		if changedValues(c.ExtraFields, values) {
			changed = append(changed, "extraFields")
		}
		if err := tx.SetExtraFieldValues(ctx, t.ID, guild.ExtraFieldCompany, id, values); err != nil {
			if guild.IsConflict(err) {
				return guild.FieldError("extra_fields", "a unique extra field's value is already used by another company")
			}
			return err
		}
	}
	if listsChanged {
		if err := tx.SetPriceLists(ctx, t.ID, id, lists); err != nil {
			return err
		}
		changed = append(changed, "priceListAssign")
		msgs = append(msgs, priceListMessage(t, c, lists))
	}
	if len(changed) == 0 {
		return nil
	}
	c.UpdatedAt = a.clock()
	if err := tx.UpdateCompany(ctx, c); err != nil {
		return err
	}
	msgs = append(msgs, companyMessage(t, guild.TopicCompanyUpdated, id, changed))
	if c.Name != oldName && t.DependentCompanies && c.CustomerGroupID != 0 {
		g, err := tx.CustomerGroup(ctx, t.ID, c.CustomerGroupID)
		if err != nil {
			return err
		}
		g.Name, g.UpdatedAt = c.Name, c.UpdatedAt
		if err := tx.UpdateCustomerGroup(ctx, g); err != nil {
			return err
		}
		msgs = append(msgs, groupMessage(t, guild.TopicCustomerGroupUpdated, g))
	}
	if c.Name != oldName || c.CustomerGroupID != oldGroup {
		more, err := a.updateCompanyCustomers(ctx, tx, t, id, func(cu *guild.Customer) {
			cu.CompanyName, cu.CustomerGroupID = c.Name, c.CustomerGroupID
		})
		if err != nil {
			return err
		}
		msgs = append(msgs, more...)
	}
	return tx.Enqueue(ctx, msgs...)
}

// mergePriceLists applies a priceListAssign request to a company's price
// lists (by ascending channel): each item sets its channel's price list,
// priceListId 0 removes it, and channels the request does not name keep
// theirs. The result is ordered by channel, as the stores return it.
func mergePriceLists(cur, req []guild.PriceListAssignment) []guild.PriceListAssignment {
	byChannel := make(map[int64]int64, len(cur)+len(req))
	for _, l := range cur {
		byChannel[l.ChannelID] = l.PriceListID
	}
	for _, l := range req {
		if l.PriceListID == 0 {
			delete(byChannel, l.ChannelID)
		} else {
			byChannel[l.ChannelID] = l.PriceListID
		}
	}
	out := make([]guild.PriceListAssignment, 0, len(byChannel))
	for ch, pl := range byChannel {
		out = append(out, guild.PriceListAssignment{ChannelID: ch, PriceListID: pl})
	}
	slices.SortFunc(out, func(a, b guild.PriceListAssignment) int { return cmp.Compare(a.ChannelID, b.ChannelID) })
	return out
}

func changedValues(old, next []guild.ExtraFieldValue) bool {
	have := make(map[int64]string, len(old))
	for _, v := range old {
		have[v.FieldID] = v.Value
	}
	for _, v := range next {
		if cur, ok := have[v.FieldID]; !ok && v.Value != "" || ok && cur != v.Value {
			return true
		}
	}
	return false
}

// updateCompanyCustomers applies change to the customer of every user of a
// company and returns the outbox messages for them.
func (a *App) updateCompanyCustomers(ctx context.Context, tx guild.Tx, t guild.Tenant, companyID int64, change func(*guild.Customer)) ([]guild.OutboxMessage, error) {
	users, err := tx.ListCompanyUsers(ctx, t.ID, companyID)
	if err != nil {
		return nil, err
	}
	now := a.clock()
	msgs := make([]guild.OutboxMessage, 0, len(users))
	for _, u := range users {
		cu, err := tx.Customer(ctx, t.ID, u.CustomerID)
		if err != nil {
			return nil, fmt.Errorf("customer %d of user %d: %w", u.CustomerID, u.ID, err)
		}
		change(&cu)
		cu.UpdatedAt = now
		if err := tx.UpdateCustomer(ctx, cu); err != nil {
			return nil, err
		}
		msgs = append(msgs, customerMessage(t, guild.TopicCustomerUpdated, cu))
	}
	return msgs, nil
}

// DeleteCompany deletes a company and its users. Their customers are kept,
// without group or company name; in dependent mode the company's own
// customer group is deleted with it.
func (a *App) DeleteCompany(ctx context.Context, t guild.Tenant, id int64) error {
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		return a.deleteCompany(ctx, tx, t, id)
	})
	if err == nil && a.files != nil {
		if ferr := a.files.RemoveCompany(t.ID, id); ferr != nil {
			a.logger.Warn("company deleted but its attachment files remain", "company", id, "err", ferr)
		}
	}
	return err
}

func (a *App) deleteCompany(ctx context.Context, tx guild.Tx, t guild.Tenant, id int64) error {
	c, err := tx.Company(ctx, t.ID, id)
	if err != nil {
		return companyNotFound(id, err)
	}
	users, err := tx.ListCompanyUsers(ctx, t.ID, id)
	if err != nil {
		return err
	}
	msgs, err := a.updateCompanyCustomers(ctx, tx, t, id, func(cu *guild.Customer) {
		cu.CompanyName, cu.CustomerGroupID = "", 0
	})
	if err != nil {
		return err
	}
	for _, u := range users {
		msgs = append(msgs, userMessage(t, guild.TopicUserDeleted, u))
	}
	// Its subsidiaries become roots, each with its subtree.
	if err := a.detachChildren(ctx, tx, t, id); err != nil {
		return err
	}
	if err := tx.DeleteCompany(ctx, t.ID, id); err != nil {
		return err
	}
	msgs = append(msgs, companyMessage(t, guild.TopicCompanyDeleted, id, nil))
	if c.CustomerGroupID != 0 {
		g, err := tx.CustomerGroup(ctx, t.ID, c.CustomerGroupID)
		if err == nil && g.CompanyID == id {
			if t.DependentCompanies {
				if err := tx.DeleteCustomerGroup(ctx, t.ID, g.ID); err != nil {
					return err
				}
				msgs = append(msgs, groupMessage(t, guild.TopicCustomerGroupDeleted, g))
			} else {
				g.CompanyID = 0
				if err := tx.UpdateCustomerGroup(ctx, g); err != nil {
					return err
				}
			}
		} else if err != nil && !guild.IsNotFound(err) {
			return err
		}
	}
	return tx.Enqueue(ctx, msgs...)
}

// SetCompanyStatus sets a company's status; status 4 (deleted) deletes it.
func (a *App) SetCompanyStatus(ctx context.Context, t guild.Tenant, id int64, s guild.CompanyStatus) error {
	if s == guild.CompanyDeleted {
		return a.DeleteCompany(ctx, t, id)
	}
	if !s.Valid() {
		return guild.FieldError("company_status", "must be 0 (pending), 1 (approved), 2 (rejected), 3 (inactive) or 4 (deleted); got %d", s)
	}
	return a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		c, err := tx.Company(ctx, t.ID, id)
		if err != nil {
			return companyNotFound(id, err)
		}
		if c.Status == s {
			return nil
		}
		c.Status, c.UpdatedAt = s, a.clock()
		if err := tx.UpdateCompany(ctx, c); err != nil {
			return err
		}
		st := int(s)
		return tx.Enqueue(ctx, message(t, guild.TopicCompanyStatusUpdated, guild.EntityCompany, id, companyPayload{CompanyID: id, Status: &st}))
	})
}

// SetCompanyCatalog assigns a price list to a dependent-mode company.
func (a *App) SetCompanyCatalog(ctx context.Context, t guild.Tenant, id, catalogID int64) error {
	if !t.DependentCompanies {
		return guild.Errorf(guild.ENotAllowed, "this store uses independent companies, where a company's price list comes from its customer group; assign the price list to the group instead")
	}
	if catalogID < 0 {
		return guild.FieldError("catalog_id", "must be a price list id, or 0 for none")
	}
	return a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		c, err := tx.Company(ctx, t.ID, id)
		if err != nil {
			return companyNotFound(id, err)
		}
		if c.CatalogID == catalogID {
			return nil
		}
		c.CatalogID, c.UpdatedAt = catalogID, a.clock()
		if err := tx.UpdateCompany(ctx, c); err != nil {
			return err
		}
		return tx.Enqueue(ctx,
			companyMessage(t, guild.TopicCompanyUpdated, id, []string{"catalogId"}),
			priceListMessage(t, c, c.PriceLists))
	})
}
