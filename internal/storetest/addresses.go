package storetest

import (
	"testing"
	"time"

	guild "github.com/guild-b2b/guild"
)

// testAddresses pins the address book: create and read back (with extra
// fields), every list filter, update, the one-default-per-company
// constraint and ClearAddressDefault, delete (with the extra fields), a
// company's delete taking its addresses, and tenant isolation.
func testAddresses(t *testing.T, f *fixture) {
	tn := f.tenant(t, "addr")
	other := f.tenant(t, "addr-other")
	c1 := f.company(t, guild.Company{TenantID: tn.ID, Name: "One"})
	c2 := f.company(t, guild.Company{TenantID: tn.ID, Name: "Two"})
	cx := f.company(t, guild.Company{TenantID: other.ID, Name: "Other"})
	code := f.textField(t, tn.ID, guild.ExtraFieldAddress, "Tax code")

	base := func(companyID int64, first string) guild.Address {
		return guild.Address{TenantID: tn.ID, CompanyID: companyID, FirstName: first, LastName: "Curie",
			AddressLine1: "512 Bluebonnet Lane", City: "Austin", StateName: "Texas", StateCode: "TX",
			CountryName: "United States", CountryCode: "US", CreatedAt: at(secs(1)), UpdatedAt: at(secs(1))}
	}
	create := func(a guild.Address) guild.Address {
		t.Helper()
		f.update(t, func(tx guild.Tx) error {
			var err error
			a.ID, err = tx.CreateAddress(f.ctx, a)
			return err
		})
		return a
	}

	a1 := base(c1.ID, "Marie")
	a1.Phone, a1.ZipCode, a1.AddressLine2, a1.Label, a1.ExternalID = "512-200-1234", "78704", "Building 1", "HQ", "ERP-1"
	a1.IsBilling, a1.IsDefaultBilling, a1.CreatedByUserID = true, true, 77
	a1.ExtraFields = []guild.ExtraFieldValue{put(code, "G")}
	a1 = create(a1)
	a1.ExtraFields = []guild.ExtraFieldValue{val(code, "G")}

	a2 := base(c1.ID, "Isaac")
	a2.LastName, a2.AddressLine1, a2.City, a2.IsShipping, a2.ExternalID = "Newton", "737 Lone Star Road", "Dallas", true, "ERP-2"
	a2.CreatedAt, a2.UpdatedAt = at(secs(10)), at(secs(20))
	a2 = create(a2)

	a3 := base(c2.ID, "Émile")
	a3.CountryName, a3.CountryCode, a3.StateName, a3.StateCode, a3.City = "Canada", "CA", "Québec", "QC", "Montréal"
	a3.IsShipping, a3.IsDefaultShipping = true, true
	a3 = create(a3)

	got, err := f.s.Address(f.ctx, tn.ID, a1.ID)
	wantNoErr(t, err, "Address")
	wantEqual(t, got, a1, "Address")
	_, err = f.s.Address(f.ctx, other.ID, a1.ID)
	wantCode(t, err, guild.ENotFound, "Address of another tenant")

	ids := func(as []guild.Address) []int64 {
		out := make([]int64, len(as))
		for i, a := range as {
			out[i] = a.ID
		}
		return out
	}
	list := []struct {
		name  string
		f     guild.AddressFilter
		want  []int64
		total int
	}{
		{"all", guild.AddressFilter{}, []int64{a1.ID, a2.ID, a3.ID}, 3},
		{"page", guild.AddressFilter{Limit: 1, Offset: 1}, []int64{a2.ID}, 3},
		{"company", guild.AddressFilter{CompanyID: &c1.ID}, []int64{a1.ID, a2.ID}, 2},
		{"created by", guild.AddressFilter{CreatedByUserID: ptr(int64(77))}, []int64{a1.ID}, 1},
		{"billing", guild.AddressFilter{IsBilling: ptr(true)}, []int64{a1.ID}, 1},
		{"not billing", guild.AddressFilter{IsBilling: ptr(false)}, []int64{a2.ID, a3.ID}, 2},
		{"shipping", guild.AddressFilter{IsShipping: ptr(true)}, []int64{a2.ID, a3.ID}, 2},
		{"default billing", guild.AddressFilter{IsDefaultBilling: ptr(true)}, []int64{a1.ID}, 1},
		{"default shipping", guild.AddressFilter{IsDefaultShipping: ptr(true)}, []int64{a3.ID}, 1},
		{"first name, any case", guild.AddressFilter{FirstName: "mARIE"}, []int64{a1.ID}, 1},
		{"first name beyond ASCII", guild.AddressFilter{FirstName: "ÉMILE"}, []int64{a3.ID}, 1},
		{"first name is not a prefix", guild.AddressFilter{FirstName: "Mar"}, nil, 0},
		{"last name", guild.AddressFilter{LastName: "newton"}, []int64{a2.ID}, 1},
		{"city", guild.AddressFilter{City: "MONTRÉAL"}, []int64{a3.ID}, 1},
		{"address line 1 contains", guild.AddressFilter{Address: "bluebonnet"}, []int64{a1.ID, a3.ID}, 2},
		{"address line 2 contains", guild.AddressFilter{Address: "building"}, []int64{a1.ID}, 1},
		{"address % is literal", guild.AddressFilter{Address: "%"}, nil, 0},
		{"country", guild.AddressFilter{CountryCode: "CA"}, []int64{a3.ID}, 1},
		{"state name", guild.AddressFilter{State: "québec"}, []int64{a3.ID}, 1},
		{"state code", guild.AddressFilter{State: "tx"}, []int64{a1.ID, a2.ID}, 2},
		{"zip", guild.AddressFilter{ZipCode: "78704"}, []int64{a1.ID}, 1},
		{"phone", guild.AddressFilter{PhoneNumber: "512-200-1234"}, []int64{a1.ID}, 1},
		{"external ids", guild.AddressFilter{ExternalIDs: []string{"ERP-2", "ERP-1", "nope"}}, []int64{a1.ID, a2.ID}, 2},
		{"modified since", guild.AddressFilter{MinModified: at(secs(20))}, []int64{a2.ID}, 1},
		{"modified until", guild.AddressFilter{MaxModified: at(secs(19))}, []int64{a1.ID, a3.ID}, 2},
		{"created since", guild.AddressFilter{MinCreated: at(secs(10))}, []int64{a2.ID}, 1},
		{"created until", guild.AddressFilter{MaxCreated: at(secs(1))}, []int64{a1.ID, a3.ID}, 2},
		{"combined", guild.AddressFilter{CompanyID: &c1.ID, IsShipping: ptr(true), City: "dallas"}, []int64{a2.ID}, 1},
	}
	for _, tc := range list {
		page, total, err := f.s.ListAddresses(f.ctx, tn.ID, tc.f)
		wantNoErr(t, err, "ListAddresses "+tc.name)
		wantEqual(t, ids(page), tc.want, "ListAddresses "+tc.name)
		wantEqual(t, total, tc.total, "ListAddresses "+tc.name+" total")
	}
	page, _, err := f.s.ListAddresses(f.ctx, tn.ID, guild.AddressFilter{CompanyID: &c1.ID, IncludeExtraFields: true})
	wantNoErr(t, err, "ListAddresses with extra fields")
	wantEqual(t, page, []guild.Address{a1, a2}, "ListAddresses with extra fields")
	page, _, err = f.s.ListAddresses(f.ctx, tn.ID, guild.AddressFilter{CompanyID: &c1.ID})
	wantNoErr(t, err, "ListAddresses")
	if len(page) != 2 || page[0].ExtraFields != nil {
		t.Errorf("ListAddresses without IncludeExtraFields: %+v", page)
	}
	page, total, err := f.s.ListAddresses(f.ctx, other.ID, guild.AddressFilter{})
	wantNoErr(t, err, "ListAddresses of another tenant")
	if len(page) != 0 || total != 0 {
		t.Errorf("another tenant sees %d addresses", total)
	}

	// Writes naming another tenant's company or address are not found.
	err = f.try(func(tx guild.Tx) error {
		_, err := tx.CreateAddress(f.ctx, base(cx.ID, "X"))
		return err
	})
	wantCode(t, err, guild.ENotFound, "CreateAddress in another tenant's company")
	err = f.try(func(tx guild.Tx) error {
		x := a1
		x.TenantID = other.ID
		return tx.UpdateAddress(f.ctx, x)
	})
	wantCode(t, err, guild.ENotFound, "UpdateAddress of another tenant")
	err = f.try(func(tx guild.Tx) error { return tx.DeleteAddress(f.ctx, other.ID, a1.ID) })
	wantCode(t, err, guild.ENotFound, "DeleteAddress of another tenant")

	// One default billing address per company.
	err = f.try(func(tx guild.Tx) error {
		x := base(c1.ID, "Second")
		x.IsBilling, x.IsDefaultBilling = true, true
		_, err := tx.CreateAddress(f.ctx, x)
		return err
	})
	wantCode(t, err, guild.EConflict, "a second default billing address")
	err = f.try(func(tx guild.Tx) error {
		x := a2
		x.IsDefaultBilling = true
		return tx.UpdateAddress(f.ctx, x)
	})
	wantCode(t, err, guild.EConflict, "an update making a second default billing address")
	// Another company may have its own.
	a4 := base(c2.ID, "Default")
	a4.IsBilling, a4.IsDefaultBilling = true, true
	a4 = create(a4)

	// ClearAddressDefault then the update, in one transaction.
	moved := at(secs(100))
	f.update(t, func(tx guild.Tx) error {
		cleared, err := tx.ClearAddressDefault(f.ctx, tn.ID, c1.ID, guild.DefaultBilling, a2.ID, moved)
		wantEqual(t, cleared, []int64{a1.ID}, "ClearAddressDefault")
		if err != nil {
			return err
		}
		x := a2
		x.IsBilling, x.IsDefaultBilling, x.FirstName, x.UpdatedAt = true, true, "Isaac II", moved
		return tx.UpdateAddress(f.ctx, x)
	})
	a1.IsDefaultBilling, a1.UpdatedAt = false, moved
	a2.IsBilling, a2.IsDefaultBilling, a2.FirstName, a2.UpdatedAt = true, true, "Isaac II", moved
	got, err = f.s.Address(f.ctx, tn.ID, a1.ID)
	wantNoErr(t, err, "Address after clear")
	wantEqual(t, got, a1, "Address after clear")
	got, err = f.s.Address(f.ctx, tn.ID, a2.ID)
	wantNoErr(t, err, "Address after update")
	wantEqual(t, got, a2, "Address after update")
	page, _, err = f.s.ListAddresses(f.ctx, tn.ID, guild.AddressFilter{FirstName: "isaac ii"})
	wantNoErr(t, err, "ListAddresses by the new name")
	wantEqual(t, ids(page), []int64{a2.ID}, "ListAddresses by the new name")
	f.update(t, func(tx guild.Tx) error {
		cleared, err := tx.ClearAddressDefault(f.ctx, tn.ID, c1.ID, guild.DefaultShipping, 0, moved)
		wantEqual(t, len(cleared), 0, "ClearAddressDefault with no default")
		return err
	})
	// UpdateAddress keeps CompanyID, CreatedAt and CreatedByUserID.
	f.update(t, func(tx guild.Tx) error {
		x := a1
		x.CompanyID, x.CreatedAt, x.CreatedByUserID, x.UpdatedAt = c2.ID, at(time.Hour), 5, at(secs(200))
		return tx.UpdateAddress(f.ctx, x)
	})
	a1.UpdatedAt = at(secs(200))
	got, err = f.s.Address(f.ctx, tn.ID, a1.ID)
	wantNoErr(t, err, "Address after a read-only change")
	wantEqual(t, got, a1, "UpdateAddress keeps the read-only fields")

	// Extra fields of addresses: a unique value of another address conflicts.
	owner, err := f.s.ExtraFieldValueOwner(f.ctx, tn.ID, code.ID, "G", 0)
	wantNoErr(t, err, "ExtraFieldValueOwner")
	wantEqual(t, owner, a1.ID, "ExtraFieldValueOwner")
	n, err := f.s.CountRecordsMissingExtraField(f.ctx, tn.ID, code)
	wantNoErr(t, err, "CountRecordsMissingExtraField")
	wantEqual(t, n, 3, "addresses missing the field")

	// Delete takes the extra fields.
	f.update(t, func(tx guild.Tx) error { return tx.DeleteAddress(f.ctx, tn.ID, a1.ID) })
	_, err = f.s.Address(f.ctx, tn.ID, a1.ID)
	wantCode(t, err, guild.ENotFound, "Address after delete")
	_, err = f.s.ExtraFieldValueOwner(f.ctx, tn.ID, code.ID, "G", 0)
	wantCode(t, err, guild.ENotFound, "the deleted address's extra-field value")
	err = f.try(func(tx guild.Tx) error { return tx.DeleteAddress(f.ctx, tn.ID, a1.ID) })
	wantCode(t, err, guild.ENotFound, "DeleteAddress twice")

	// A company's delete takes its addresses and their extra fields.
	f.setValues(t, tn.ID, guild.ExtraFieldAddress, a3.ID, put(code, "Q"))
	f.update(t, func(tx guild.Tx) error { return tx.DeleteCompany(f.ctx, tn.ID, c2.ID) })
	page, total, err = f.s.ListAddresses(f.ctx, tn.ID, guild.AddressFilter{})
	wantNoErr(t, err, "ListAddresses after a company's delete")
	wantEqual(t, ids(page), []int64{a2.ID}, "addresses after a company's delete")
	wantEqual(t, total, 1, "count after a company's delete")
	_, err = f.s.ExtraFieldValueOwner(f.ctx, tn.ID, code.ID, "Q", 0)
	wantCode(t, err, guild.ENotFound, "extra field of a deleted company's address")
	_ = a4
}
