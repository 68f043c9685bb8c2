package storetest

import (
	"testing"

	guild "github.com/guild-b2b/guild"
)

// testSyncInbound pins the reads of the inbound import and the reconcile.
func testSyncInbound(t *testing.T, f *fixture) {
	a := f.tenant(t, "inbound-a")
	b := f.tenant(t, "inbound-b")

	// Remote ids: by local id, one entity type, one tenant, paged.
	put := func(tenantID int64, typ string, local, remote int64) {
		f.update(t, func(tx guild.Tx) error {
			return tx.PutRemoteID(f.ctx, guild.EntityKey{TenantID: tenantID, EntityType: typ, EntityID: local}, remote)
		})
	}
	put(a.ID, guild.EntityCustomer, 7, 700)
	put(a.ID, guild.EntityCustomer, 3, 300)
	put(a.ID, guild.EntityCustomer, 9, 900)
	put(a.ID, guild.EntityCustomerGroup, 3, 30)
	put(b.ID, guild.EntityCustomer, 4, 400)
	got, err := f.s.ListRemoteIDs(f.ctx, a.ID, guild.EntityCustomer, 0, 0)
	wantNoErr(t, err, "ListRemoteIDs")
	wantEqual(t, got, []guild.RemoteIDEntry{{LocalID: 3, RemoteID: 300}, {LocalID: 7, RemoteID: 700}, {LocalID: 9, RemoteID: 900}}, "customer remote ids of store a")
	got, err = f.s.ListRemoteIDs(f.ctx, a.ID, guild.EntityCustomer, 3, 1)
	wantNoErr(t, err, "ListRemoteIDs paged")
	wantEqual(t, got, []guild.RemoteIDEntry{{LocalID: 7, RemoteID: 700}}, "the page after local id 3")
	got, err = f.s.ListRemoteIDs(f.ctx, a.ID, guild.EntityUser, 0, 0)
	wantNoErr(t, err, "ListRemoteIDs of a type with none")
	wantEqual(t, len(got), 0, "user remote ids")

	// The local id of a remote id: this tenant's, this type's, the lowest.
	put(a.ID, guild.EntityCustomer, 8, 700)
	local, err := f.s.LocalIDByRemoteID(f.ctx, a.ID, guild.EntityCustomer, 700)
	wantNoErr(t, err, "LocalIDByRemoteID")
	wantEqual(t, local, int64(7), "the lowest local id of remote id 700")
	local, err = f.s.LocalIDByRemoteID(f.ctx, a.ID, guild.EntityCustomerGroup, 30)
	wantNoErr(t, err, "LocalIDByRemoteID of a group")
	wantEqual(t, local, int64(3), "the group of remote id 30")
	_, err = f.s.LocalIDByRemoteID(f.ctx, a.ID, guild.EntityCustomerGroup, 300)
	wantCode(t, err, guild.ENotFound, "LocalIDByRemoteID of another type's remote id")
	_, err = f.s.LocalIDByRemoteID(f.ctx, a.ID, guild.EntityCustomer, 400)
	wantCode(t, err, guild.ENotFound, "LocalIDByRemoteID of another store's remote id")
	f.update(t, func(tx guild.Tx) error {
		id, err := tx.LocalIDByRemoteID(f.ctx, a.ID, guild.EntityCustomer, 900)
		wantEqual(t, id, int64(9), "LocalIDByRemoteID inside a transaction")
		return err
	})

	// Account customers: those backing a user or a super admin, once each.
	co := f.company(t, guild.Company{TenantID: a.ID, Name: "Acme"})
	plain := f.customer(t, guild.Customer{TenantID: a.ID, Email: "plain@x.example", FirstName: "P", LastName: "L"})
	cu1, _ := f.companyUser(t, co, "u1@x.example")
	saCust := f.customer(t, guild.Customer{TenantID: a.ID, Email: "sa@x.example", FirstName: "S", LastName: "A", ChannelIDs: []int64{1}})
	f.update(t, func(tx guild.Tx) error {
		_, err := tx.CreateSuperAdmin(f.ctx, guild.SuperAdmin{TenantID: a.ID, CustomerID: saCust.ID, Email: saCust.Email, FirstName: "S", LastName: "A",
			CreatedAt: t0, UpdatedAt: t0})
		return err
	})
	// A customer backing both a user and a super admin (another's email).
	cu2, _ := f.companyUser(t, co, "u2@x.example")
	f.update(t, func(tx guild.Tx) error {
		_, err := tx.CreateSuperAdmin(f.ctx, guild.SuperAdmin{TenantID: a.ID, CustomerID: cu2.ID, Email: "other@x.example", FirstName: "S", LastName: "B",
			CreatedAt: t0, UpdatedAt: t0})
		return err
	})
	cob := f.company(t, guild.Company{TenantID: b.ID, Name: "Other"})
	f.companyUser(t, cob, "b@x.example")

	list, err := f.s.ListAccountCustomers(f.ctx, a.ID, 0, 0)
	wantNoErr(t, err, "ListAccountCustomers")
	ids := make([]int64, len(list))
	for i, c := range list {
		ids[i] = c.ID
	}
	wantEqual(t, ids, []int64{cu1.ID, saCust.ID, cu2.ID}, "account customers of store a (not the plain one)")
	wantEqual(t, list[1], saCust, "a listed customer")
	page, err := f.s.ListAccountCustomers(f.ctx, a.ID, cu1.ID, 1)
	wantNoErr(t, err, "ListAccountCustomers paged")
	wantEqual(t, len(page), 1, "page size")
	wantEqual(t, page[0].ID, saCust.ID, "the page after the first")
	_ = plain
}
