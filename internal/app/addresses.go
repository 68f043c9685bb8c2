package app

import (
	"context"
	"strings"

	guild "github.com/guild-b2b/guild"
	"github.com/guild-b2b/guild/internal/extrafield"
)

// The company address book (issue 4). Every write checks the whole
// address, keeps one default billing and one default shipping address per
// company (a new default clears the old one in the same transaction), and
// writes an outbox row per address it changes.

func addressNotFound(id int64, err error) error {
	if guild.IsNotFound(err) {
		return guild.Errorf(guild.ENotFound, "address %d does not exist in this store", id)
	}
	return err
}

// AddressQuery is a list request: the store's filter, with the country
// given as the client wrote it (a name or a code).
type AddressQuery struct {
	guild.AddressFilter
	Country string
}

// Address returns an address with its extra fields.
func (a *App) Address(ctx context.Context, t guild.Tenant, id int64) (guild.Address, error) {
	ad, err := a.store.Address(ctx, t.ID, id)
	return ad, addressNotFound(id, err)
}

// ListAddresses returns a page of addresses and the total count. A company
// filter must name an existing company, so that a typo is not mistaken for
// an empty address book.
func (a *App) ListAddresses(ctx context.Context, t guild.Tenant, q AddressQuery) ([]guild.Address, int, error) {
	var p problems
	checkPage(&p, q.Limit, q.Offset, MaxLimit)
	if q.CompanyID != nil {
		if *q.CompanyID <= 0 {
			p.add("companyId", "must be a positive company id (got %d)", *q.CompanyID)
		} else if _, err := a.store.Company(ctx, t.ID, *q.CompanyID); guild.IsNotFound(err) {
			p.add("companyId", "company %d does not exist in this store", *q.CompanyID)
		} else if err != nil {
			return nil, 0, err
		}
	}
	if c := strings.TrimSpace(q.Country); c != "" {
		code, _, ok := resolveCountry(c)
		if !ok {
			p.add("country", "%q is not a known country; give its English name (e.g. \"United States\") or its ISO 3166-1 code (e.g. \"US\")", c)
		}
		q.CountryCode = code
	}
	if err := p.err(); err != nil {
		return nil, 0, err
	}
	return a.store.ListAddresses(ctx, t.ID, q.AddressFilter)
}

// CreateAddress creates an address. createdBy is the company user creating
// it through the buyer API, 0 otherwise.
func (a *App) CreateAddress(ctx context.Context, t guild.Tenant, in AddressFields, createdBy int64) (guild.Address, error) {
	var out guild.Address
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		defs, err := tx.ListExtraFieldDefs(ctx, t.ID, guild.ExtraFieldAddress)
		if err != nil {
			return err
		}
		out, err = a.createAddress(ctx, tx, t, defs, in, createdBy)
		return err
	})
	return out, err
}

// BulkCreateAddresses creates up to MaxBulk addresses, of one company or
// several, in one transaction: if any item is refused nothing is written,
// and the error's Items says which items failed and why.
func (a *App) BulkCreateAddresses(ctx context.Context, t guild.Tenant, ins []AddressFields) ([]guild.Address, error) {
	if err := checkBulkSize(len(ins), "addresses"); err != nil {
		return nil, err
	}
	var out []guild.Address
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		defs, err := tx.ListExtraFieldDefs(ctx, t.ID, guild.ExtraFieldAddress)
		if err != nil {
			return err
		}
		out = make([]guild.Address, len(ins))
		return eachItem(len(ins), func(i int) error {
			var err error
			out[i], err = a.createAddress(ctx, tx, t, defs, ins[i], 0)
			return err
		})
	})
	return out, err
}

func (a *App) createAddress(ctx context.Context, tx guild.Tx, t guild.Tenant, defs []guild.ExtraFieldDef, in AddressFields, createdBy int64) (guild.Address, error) {
	var p problems
	ad := guild.Address{TenantID: t.ID, CreatedByUserID: createdBy}
	in.apply(&p, &ad, true)
	ad.ExtraFields = a.resolveExtraFields(ctx, tx, t, &p, "extra_fields.", defs, in.ExtraFields, extrafield.Create, 0)
	if ad.CompanyID > 0 {
		if _, err := tx.Company(ctx, t.ID, ad.CompanyID); guild.IsNotFound(err) {
			p.add("company_id", "company %d does not exist in this store", ad.CompanyID)
		} else if err != nil {
			return ad, err
		}
	}
	if err := p.err(); err != nil {
		return ad, err
	}
	now := a.clock()
	ad.CreatedAt, ad.UpdatedAt = now, now
	msgs, err := a.takeDefaults(ctx, tx, t, ad, nil)
	if err != nil {
		return ad, err
	}
	ad.ID, err = tx.CreateAddress(ctx, ad)
	if err != nil {
		return ad, addressConflict(err)
	}
	msgs = append(msgs, addressMessage(t, guild.TopicAddressCreated, ad, nil))
	if err := tx.Enqueue(ctx, msgs...); err != nil {
		return ad, err
	}
	return tx.Address(ctx, t.ID, ad.ID)
}

// takeDefaults clears the company's other default billing (shipping)
// address when ad becomes the default one, and returns the outbox messages
// of the addresses it changed. old is the address before an update.
func (a *App) takeDefaults(ctx context.Context, tx guild.Tx, t guild.Tenant, ad guild.Address, old *guild.Address) ([]guild.OutboxMessage, error) {
	var msgs []guild.OutboxMessage
	for _, d := range []struct {
		which    guild.AddressDefault
		now, was bool
		field    string
	}{
		{guild.DefaultBilling, ad.IsDefaultBilling, old != nil && old.IsDefaultBilling, "is_default_billing"},
		{guild.DefaultShipping, ad.IsDefaultShipping, old != nil && old.IsDefaultShipping, "is_default_shipping"},
	} {
		if !d.now || d.was {
			continue
		}
		ids, err := tx.ClearAddressDefault(ctx, t.ID, ad.CompanyID, d.which, ad.ID, ad.UpdatedAt)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			msgs = append(msgs, addressMessage(t, guild.TopicAddressUpdated, guild.Address{ID: id, CompanyID: ad.CompanyID}, []string{d.field}))
		}
	}
	return msgs, nil
}

// addressConflict explains a store conflict on an address write: only the
// default flags and unique extra fields can conflict.
func addressConflict(err error) error {
	if !guild.IsConflict(err) {
		return err
	}
	return guild.Errorf(guild.EConflict, "the address conflicts with another: another address is already its company's default, or a unique extra field's value is taken (%v)", err)
}

// UpdateAddress changes an address.
func (a *App) UpdateAddress(ctx context.Context, t guild.Tenant, id int64, in AddressFields) (guild.Address, error) {
	var out guild.Address
	err := a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		ad, err := tx.Address(ctx, t.ID, id)
		if err != nil {
			return addressNotFound(id, err)
		}
		old := ad
		var p problems
		changed := in.apply(&p, &ad, false)
		var values []guild.ExtraFieldValue
		if len(in.ExtraFields) > 0 {
			defs, err := tx.ListExtraFieldDefs(ctx, t.ID, guild.ExtraFieldAddress)
			if err != nil {
				return err
			}
			values = a.resolveExtraFields(ctx, tx, t, &p, "extra_fields.", defs, in.ExtraFields, extrafield.Update, id)
			if changedValues(old.ExtraFields, values) {
				changed = append(changed, "extra_fields")
			}
		}
		if err := p.err(); err != nil {
			return err
		}
		out = ad
		if len(changed) == 0 {
			return nil
		}
		ad.UpdatedAt = a.clock()
		msgs, err := a.takeDefaults(ctx, tx, t, ad, &old)
		if err != nil {
			return err
		}
		if len(values) > 0 {
			if err := tx.SetExtraFieldValues(ctx, t.ID, guild.ExtraFieldAddress, id, values); err != nil {
				return addressConflict(err)
			}
		}
		if err := tx.UpdateAddress(ctx, ad); err != nil {
			return addressConflict(err)
		}
		msgs = append(msgs, addressMessage(t, guild.TopicAddressUpdated, ad, changed))
		if err := tx.Enqueue(ctx, msgs...); err != nil {
			return err
		}
		out, err = tx.Address(ctx, t.ID, id)
		return err
	})
	return out, err
}

// DeleteAddress deletes an address. A default address leaves its company
// without a default of that kind.
func (a *App) DeleteAddress(ctx context.Context, t guild.Tenant, id int64) error {
	return a.write(ctx, t, func(ctx context.Context, tx guild.Tx) error {
		ad, err := tx.Address(ctx, t.ID, id)
		if err != nil {
			return addressNotFound(id, err)
		}
		if err := tx.DeleteAddress(ctx, t.ID, id); err != nil {
			return addressNotFound(id, err)
		}
		return tx.Enqueue(ctx, addressMessage(t, guild.TopicAddressDeleted, ad, nil))
	})
}

// addressPayload is what a platform or webhook must know of an address
// change; it carries the ids the vendor's address webhooks carry.
type addressPayload struct {
	AddressID int64    `json:"addressId"`
	CompanyID int64    `json:"companyId"`
	Changed   []string `json:"changed,omitempty"`
}

func addressMessage(t guild.Tenant, topic string, ad guild.Address, changed []string) guild.OutboxMessage {
	return message(t, topic, guild.EntityAddress, ad.ID, addressPayload{AddressID: ad.ID, CompanyID: ad.CompanyID, Changed: changed})
}
