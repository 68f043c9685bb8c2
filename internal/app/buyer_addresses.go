package app

import (
	"context"
	"errors"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/authz"
)

// The buyer API's address book. Each use-case asks the permission engine
// first, on the company of the path, and reads addresses only when allowed.
// Levels: 2 reaches the company's addresses, 3 those of its subsidiaries
// too; 1 would reach the addresses the user created (the vendor's table
// allows the address codes only at 2 and 3, but a custom role's level 1 is
// honoured the same way should the table ever allow it).

// addressScope decides code on a company's address book. ownOnly is set
// when the role grants the code at level 1 only: the session then reaches
// the addresses its user created, nothing else.
func (a *App) addressScope(ctx context.Context, s *BuyerSession, code string, companyID int64) (ownOnly bool, err error) {
	w, _, err := a.authorize(ctx, s, code, companyID, 0)
	if err == nil {
		return false, nil
	}
	var r *Refusal
	if s.IsSuperAdmin() || !errors.As(err, &r) || r.Decision.Reason != authz.ReasonLevelTooLow || r.Decision.Granted != authz.LevelUser {
		return false, err
	}
	d := authz.Decide(s.Subject, authz.Request{Code: code, CompanyID: companyID, OwnerUserID: s.User.ID}, w)
	if !d.Allowed {
		return false, refusal(d)
	}
	return true, nil
}

// buyerAddress reads an address of the company within the session's scope.
// An address of another company is not found; at level 1 an address the
// user did not create is refused, as the engine words it.
func (a *App) buyerAddress(ctx context.Context, s *BuyerSession, code string, companyID, addressID int64) (guild.Address, error) {
	own, err := a.addressScope(ctx, s, code, companyID)
	if err != nil {
		return guild.Address{}, err
	}
	ad, err := a.Address(ctx, s.Tenant, addressID)
	if err == nil && ad.CompanyID != companyID {
		err = guild.Errorf(guild.ENotFound, "address %d does not exist in company %d", addressID, companyID)
	}
	if err != nil {
		return guild.Address{}, err
	}
	if own && ad.CreatedByUserID != s.User.ID {
		w, err := loadWorld(ctx, a.store, s.Tenant, s.Subject.CompanyID, companyID)
		if err != nil {
			return guild.Address{}, err
		}
		return guild.Address{}, refusal(authz.Decide(s.Subject, authz.Request{Code: code, CompanyID: companyID, OwnerUserID: ad.CreatedByUserID}, w))
	}
	return ad, nil
}

// BuyerAddresses pages a company's addresses (get_addresses).
func (a *App) BuyerAddresses(ctx context.Context, s *BuyerSession, companyID int64, q AddressQuery) ([]guild.Address, int, error) {
	own, err := a.addressScope(ctx, s, "get_addresses", companyID)
	if err != nil {
		return nil, 0, err
	}
	q.CompanyID = &companyID
	if own {
		q.CreatedByUserID = &s.User.ID
	}
	return a.ListAddresses(ctx, s.Tenant, q)
}

// BuyerAddress returns an address of a company (get_address_detail).
func (a *App) BuyerAddress(ctx context.Context, s *BuyerSession, companyID, addressID int64) (guild.Address, error) {
	return a.buyerAddress(ctx, s, "get_address_detail", companyID, addressID)
}

// BuyerDefaultAddress returns a company's default billing address
// (get_default_billing) or default shipping address (get_default_shipping).
func (a *App) BuyerDefaultAddress(ctx context.Context, s *BuyerSession, companyID int64, which guild.AddressDefault) (guild.Address, error) {
	code, kind, flag := "get_default_billing", "billing", "isDefaultBilling"
	f := guild.AddressFilter{CompanyID: &companyID, Limit: 1, IncludeExtraFields: true}
	if which == guild.DefaultShipping {
		code, kind, flag = "get_default_shipping", "shipping", "isDefaultShipping"
		f.IsDefaultShipping = ptrTo(true)
	} else {
		f.IsDefaultBilling = ptrTo(true)
	}
	own, err := a.addressScope(ctx, s, code, companyID)
	if err != nil {
		return guild.Address{}, err
	}
	if own {
		f.CreatedByUserID = &s.User.ID
	}
	list, _, err := a.store.ListAddresses(ctx, s.Tenant.ID, f)
	if err != nil {
		return guild.Address{}, err
	}
	if len(list) == 0 {
		return guild.Address{}, guild.Errorf(guild.ENotFound, "company %d has no default %s address: make one with %s true", companyID, kind, flag)
	}
	return list[0], nil
}

// BuyerCreateAddress creates an address in a company (create_address),
// recorded as created by the session's user.
func (a *App) BuyerCreateAddress(ctx context.Context, s *BuyerSession, companyID int64, in AddressFields) (guild.Address, error) {
	if _, err := a.addressScope(ctx, s, "create_address", companyID); err != nil {
		return guild.Address{}, err
	}
	if in.CompanyID != nil && *in.CompanyID != companyID {
		return guild.Address{}, guild.FieldError("company_id", "is %d in the path; leave it out of the body or give the same id (got %d)", companyID, *in.CompanyID)
	}
	in.CompanyID = &companyID
	return a.CreateAddress(ctx, s.Tenant, in, s.User.ID)
}

// BuyerUpdateAddress changes an address of a company (update_address).
func (a *App) BuyerUpdateAddress(ctx context.Context, s *BuyerSession, companyID, addressID int64, in AddressFields) (guild.Address, error) {
	if _, err := a.buyerAddress(ctx, s, "update_address", companyID, addressID); err != nil {
		return guild.Address{}, err
	}
	return a.UpdateAddress(ctx, s.Tenant, addressID, in)
}

// BuyerDeleteAddress deletes an address of a company (delete_address).
func (a *App) BuyerDeleteAddress(ctx context.Context, s *BuyerSession, companyID, addressID int64) error {
	if _, err := a.buyerAddress(ctx, s, "delete_address", companyID, addressID); err != nil {
		return err
	}
	return a.DeleteAddress(ctx, s.Tenant, addressID)
}

func ptrTo[T any](v T) *T { return &v }
