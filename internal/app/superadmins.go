package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	guild "github.com/guild-b2b/guild"
)

// MaxSuperAdminLimit is the largest page of the super-admin lists.
const MaxSuperAdminLimit = 200

// CreatedSuperAdmin reports the ids a super-admin create hands out at once.
type CreatedSuperAdmin struct {
	SuperAdminID int64
	CustomerID   int64
}

func superAdminNotFound(id int64, err error) error {
	if guild.IsNotFound(err) {
		return guild.Errorf(guild.ENotFound, "super admin %d does not exist in this store", id)
	}
	return err
}

// SuperAdmin returns one super admin.
func (a *App) SuperAdmin(ctx context.Context, t guild.Tenant, id int64) (guild.SuperAdmin, error) {
	sa, err := a.store.SuperAdmin(ctx, t.ID, id)
	return sa, superAdminNotFound(id, err)
}

// CreateSuperAdmin creates a super admin, backed by the customer with their
// email (created when there is none). An email that is already a company
// user or a super admin is refused with EBadRequest, as the vendor does.
func (a *App) CreateSuperAdmin(ctx context.Context, t guild.Tenant, in SuperAdminInput) (CreatedSuperAdmin, error) {
	var p problems
	sa := in.validate(&p)
	// Channels are never deleted, so a check outside the write transaction
	// still holds when it commits.
	if err := checkStoreChannels(ctx, a.store, t, &p, "channelIds", sa.ChannelIDs); err != nil {
		return CreatedSuperAdmin{}, err
	}
	if err := p.err(); err != nil {
		return CreatedSuperAdmin{}, err
	}
	var out CreatedSuperAdmin
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		var err error
		out, err = a.createSuperAdmin(ctx, tx, t, sa, in.OriginChannelID)
		return err
	})
	return out, err
}

// BulkCreateSuperAdmins creates up to MaxBulk super admins in one
// transaction, all or nothing. Invalid items are an EInvalid error whose
// Items are aligned with ins; emails already taken are one EBadRequest
// naming them all.
func (a *App) BulkCreateSuperAdmins(ctx context.Context, t guild.Tenant, ins []SuperAdminInput) ([]CreatedSuperAdmin, error) {
	if err := checkBulkSize(len(ins), "super admins"); err != nil {
		return nil, err
	}
	admins := make([]guild.SuperAdmin, len(ins))
	first := map[string]int{}
	err := eachItem(len(ins), func(i int) error {
		var p problems
		admins[i] = ins[i].validate(&p)
		if err := checkStoreChannels(ctx, a.store, t, &p, "channelIds", admins[i].ChannelIDs); err != nil {
			return err
		}
		key := strings.ToLower(admins[i].Email)
		if j, dup := first[key]; dup && key != "" {
			p.add("email", "%s is also item %d of this request; an email belongs to one super admin", admins[i].Email, j)
		} else {
			first[key] = i
		}
		return p.err()
	})
	if err != nil {
		return nil, err
	}
	out := make([]CreatedSuperAdmin, len(ins))
	err = a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		var taken []string
		for i := range admins {
			var err error
			out[i], err = a.createSuperAdmin(ctx, tx, t, admins[i], ins[i].OriginChannelID)
			var ge *guild.Error
			if errors.As(err, &ge) && ge.Code == guild.EBadRequest {
				taken = append(taken, fmt.Sprintf("item %d: %s", i, ge.Message))
				continue
			}
			if err != nil {
				return err
			}
		}
		if taken != nil {
			return guild.Errorf(guild.EBadRequest, "nothing was written; %s", strings.Join(taken, "; "))
		}
		return nil
	})
	return out, err
}

func (a *App) createSuperAdmin(ctx context.Context, tx guild.Tx, t guild.Tenant, sa guild.SuperAdmin, originChannelID int64) (CreatedSuperAdmin, error) {
	if u, err := tx.UserByEmail(ctx, t.ID, sa.Email); err == nil {
		return CreatedSuperAdmin{}, guild.Errorf(guild.EBadRequest, "the user already exists: %s is a user of company %d, and an email is a company user or a super admin, never both", sa.Email, u.CompanyID)
	} else if !guild.IsNotFound(err) {
		return CreatedSuperAdmin{}, err
	}
	if other, err := tx.SuperAdminByEmail(ctx, t.ID, sa.Email); err == nil {
		return CreatedSuperAdmin{}, guild.Errorf(guild.EBadRequest, "the super admin already exists: %s is super admin %d", sa.Email, other.ID)
	} else if !guild.IsNotFound(err) {
		return CreatedSuperAdmin{}, err
	}
	cust, msg, err := a.linkCustomer(ctx, tx, t, guild.Customer{
		TenantID: t.ID, Email: sa.Email, FirstName: sa.FirstName, LastName: sa.LastName, Phone: sa.Phone,
		OriginChannelID: originChannelID, ChannelIDs: sa.ChannelIDs,
	})
	if err != nil {
		return CreatedSuperAdmin{}, err
	}
	now := a.clock()
	sa.TenantID, sa.CustomerID, sa.CreatedAt, sa.UpdatedAt = t.ID, cust.ID, now, now
	sa.ID, err = tx.CreateSuperAdmin(ctx, sa)
	if guild.IsConflict(err) {
		return CreatedSuperAdmin{}, guild.Errorf(guild.EBadRequest, "the super admin already exists: %s", sa.Email)
	}
	if err != nil {
		return CreatedSuperAdmin{}, err
	}
	if err := tx.Enqueue(ctx, msg, superAdminMessage(t, guild.TopicSuperAdminCreated, sa, nil)); err != nil {
		return CreatedSuperAdmin{}, err
	}
	return CreatedSuperAdmin{SuperAdminID: sa.ID, CustomerID: cust.ID}, nil
}

// UpdateSuperAdmin changes a super admin's details; their customer follows
// the names, phone and channels. The email cannot change.
func (a *App) UpdateSuperAdmin(ctx context.Context, t guild.Tenant, id int64, pt SuperAdminPatch) (guild.SuperAdmin, error) {
	var sa guild.SuperAdmin
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		var err error
		if sa, err = tx.SuperAdmin(ctx, t.ID, id); err != nil {
			return superAdminNotFound(id, err)
		}
		var p problems
		changed := pt.apply(&p, &sa)
		if pt.ChannelIDs != nil {
			if err := checkStoreChannels(ctx, tx, t, &p, "channelIds", sa.ChannelIDs); err != nil {
				return err
			}
		}
		if err := p.err(); err != nil {
			return err
		}
		if len(changed) == 0 {
			return nil
		}
		now := a.clock()
		sa.UpdatedAt = now
		if err := tx.UpdateSuperAdmin(ctx, sa); err != nil {
			return err
		}
		msgs := []guild.OutboxMessage{superAdminMessage(t, guild.TopicSuperAdminUpdated, sa, changed)}
		if slices.ContainsFunc(changed, func(f string) bool { return f != "uuid" }) {
			cust, err := tx.Customer(ctx, t.ID, sa.CustomerID)
			if err != nil {
				return fmt.Errorf("customer %d of super admin %d: %w", sa.CustomerID, id, err)
			}
			cust.FirstName, cust.LastName, cust.Phone, cust.ChannelIDs, cust.UpdatedAt = sa.FirstName, sa.LastName, sa.Phone, sa.ChannelIDs, now
			if err := tx.UpdateCustomer(ctx, cust); err != nil {
				return err
			}
			msgs = append(msgs, customerMessage(t, guild.TopicCustomerUpdated, cust))
		}
		return tx.Enqueue(ctx, msgs...)
	})
	return sa, err
}

// AssignCompanies assigns and unassigns companies to a super admin; the
// companies the request does not list keep their assignment. Unknown
// companies are refused, naming them.
func (a *App) AssignCompanies(ctx context.Context, t guild.Tenant, superAdminID int64, as []Assignment) error {
	var p problems
	add, remove := checkAssignments(&p, "companies", "company", as)
	if err := p.err(); err != nil {
		return err
	}
	return a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		if _, err := tx.SuperAdmin(ctx, t.ID, superAdminID); err != nil {
			return superAdminNotFound(superAdminID, err)
		}
		var unknown []string
		for _, id := range append(slices.Clone(add), remove...) {
			if _, err := tx.Company(ctx, t.ID, id); guild.IsNotFound(err) {
				unknown = append(unknown, fmt.Sprint(id))
			} else if err != nil {
				return err
			}
		}
		if unknown != nil {
			return guild.FieldError("companies", "these companies do not exist in this store: %s", strings.Join(unknown, ", "))
		}
		if len(add)+len(remove) == 0 {
			return nil
		}
		if err := tx.AssignSuperAdmin(ctx, t.ID, superAdminID, add, remove); err != nil {
			return err
		}
		return tx.Enqueue(ctx, message(t, guild.TopicSuperAdminAssignmentUpdated, guild.EntitySuperAdmin, superAdminID,
			assignmentPayload{SuperAdminID: superAdminID, Assigned: orEmpty(add), Unassigned: orEmpty(remove)}))
	})
}

// AssignSuperAdmins assigns and unassigns super admins to a company; the
// super admins the request does not list keep their assignment. Unknown
// super admins are refused, naming them.
func (a *App) AssignSuperAdmins(ctx context.Context, t guild.Tenant, companyID int64, as []Assignment) error {
	var p problems
	add, remove := checkAssignments(&p, "superAdmins", "super admin", as)
	if err := p.err(); err != nil {
		return err
	}
	return a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		if _, err := tx.Company(ctx, t.ID, companyID); err != nil {
			return companyNotFound(companyID, err)
		}
		var unknown []string
		for _, id := range append(slices.Clone(add), remove...) {
			if _, err := tx.SuperAdmin(ctx, t.ID, id); guild.IsNotFound(err) {
				unknown = append(unknown, fmt.Sprint(id))
			} else if err != nil {
				return err
			}
		}
		if unknown != nil {
			return guild.FieldError("superAdmins", "these super admins do not exist in this store: %s", strings.Join(unknown, ", "))
		}
		if len(add)+len(remove) == 0 {
			return nil
		}
		for _, id := range add {
			if err := tx.AssignSuperAdmin(ctx, t.ID, id, []int64{companyID}, nil); err != nil {
				return err
			}
		}
		for _, id := range remove {
			if err := tx.AssignSuperAdmin(ctx, t.ID, id, nil, []int64{companyID}); err != nil {
				return err
			}
		}
		return tx.Enqueue(ctx, message(t, guild.TopicCompanySuperAdminsUpdated, guild.EntityCompany, companyID,
			assignmentPayload{CompanyID: companyID, Assigned: orEmpty(add), Unassigned: orEmpty(remove)}))
	})
}

func orEmpty(ids []int64) []int64 {
	if ids == nil {
		return []int64{}
	}
	return ids
}
