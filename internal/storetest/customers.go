package storetest

import (
	"testing"
	"time"

	guild "github.com/guild-b2b/guild"
)

func testCustomerGroups(t *testing.T, f *fixture) {
	tn := f.tenant(t, "groups")
	other := f.tenant(t, "groups-other")
	var gs []guild.CustomerGroup
	for i, name := range []string{"G1", "G2", "G3", "G4", "G5"} {
		g := guild.CustomerGroup{TenantID: tn.ID, Name: name, CompanyID: int64(i * 10),
			CreatedAt: at(secs(float64(i) + 0.25)), UpdatedAt: at(secs(float64(i) + 0.5))}
		f.update(t, func(tx guild.Tx) error {
			var err error
			g.ID, err = tx.CreateCustomerGroup(f.ctx, g)
			return err
		})
		gs = append(gs, g)
	}
	f.group(t, other.ID, "Other")

	got, err := f.s.CustomerGroup(f.ctx, tn.ID, gs[1].ID)
	wantNoErr(t, err, "CustomerGroup")
	wantEqual(t, got, gs[1], "CustomerGroup")
	_, err = f.s.CustomerGroup(f.ctx, tn.ID, gs[4].ID+1000)
	wantCode(t, err, guild.ENotFound, "CustomerGroup of a missing id")

	pages := []struct {
		p    guild.Page
		want []guild.CustomerGroup
	}{
		{guild.Page{Limit: 2}, gs[0:2]},
		{guild.Page{Limit: 2, Offset: 2}, gs[2:4]},
		{guild.Page{Limit: 2, Offset: 4}, gs[4:]},
		{guild.Page{Limit: 10, Offset: 10}, nil},
	}
	for _, pg := range pages {
		list, total, err := f.s.ListCustomerGroups(f.ctx, tn.ID, pg.p)
		wantNoErr(t, err, "ListCustomerGroups")
		wantEqual(t, list, pg.want, "ListCustomerGroups page")
		if total != 5 {
			t.Errorf("ListCustomerGroups(%+v) total %d, want 5", pg.p, total)
		}
	}

	upd := gs[1]
	upd.Name, upd.CompanyID, upd.UpdatedAt = "G2 renamed", 99, at(time.Hour)
	upd.CreatedAt = at(-time.Hour) // ignored
	f.update(t, func(tx guild.Tx) error { return tx.UpdateCustomerGroup(f.ctx, upd) })
	upd.CreatedAt = gs[1].CreatedAt
	got, err = f.s.CustomerGroup(f.ctx, tn.ID, upd.ID)
	wantNoErr(t, err, "CustomerGroup")
	wantEqual(t, got, upd, "group after UpdateCustomerGroup")
	missing := upd
	missing.ID += 1000
	err = f.try(func(tx guild.Tx) error { return tx.UpdateCustomerGroup(f.ctx, missing) })
	wantCode(t, err, guild.ENotFound, "UpdateCustomerGroup of a missing group")

	f.update(t, func(tx guild.Tx) error { return tx.DeleteCustomerGroup(f.ctx, tn.ID, gs[2].ID) })
	_, err = f.s.CustomerGroup(f.ctx, tn.ID, gs[2].ID)
	wantCode(t, err, guild.ENotFound, "CustomerGroup after DeleteCustomerGroup")
	list, total, err := f.s.ListCustomerGroups(f.ctx, tn.ID, guild.Page{Limit: 10})
	wantNoErr(t, err, "ListCustomerGroups")
	wantEqual(t, list, []guild.CustomerGroup{gs[0], upd, gs[3], gs[4]}, "groups after a deletion")
	if total != 4 {
		t.Errorf("total %d after a deletion, want 4", total)
	}
	err = f.try(func(tx guild.Tx) error { return tx.DeleteCustomerGroup(f.ctx, tn.ID, gs[2].ID) })
	wantCode(t, err, guild.ENotFound, "DeleteCustomerGroup of a deleted group")
}

func testCustomers(t *testing.T, f *fixture) {
	tn := f.tenant(t, "customers")
	other := f.tenant(t, "customers-other")
	ann := f.customer(t, guild.Customer{TenantID: tn.ID, Email: "Ann.Smith@Example.COM", FirstName: "Ann", LastName: "Smith",
		Phone: "+1 555 0101", CompanyName: "Acme", CustomerGroupID: 3, OriginChannelID: 1, ChannelIDs: []int64{3, 1, 2},
		CreatedAt: at(secs(1.000001)), UpdatedAt: at(secs(2.000002))})
	bob := f.customer(t, guild.Customer{TenantID: tn.ID, Email: "bob@example.com", FirstName: "Bob"})
	if ann.ID == 0 || bob.ID == 0 || ann.ID == bob.ID {
		t.Fatalf("customer ids %d and %d", ann.ID, bob.ID)
	}

	got, err := f.s.Customer(f.ctx, tn.ID, ann.ID)
	wantNoErr(t, err, "Customer")
	wantEqual(t, got, ann, "Customer (channel ids keep their order)")
	got, err = f.s.Customer(f.ctx, tn.ID, bob.ID)
	wantNoErr(t, err, "Customer")
	wantEqual(t, got, bob, "Customer without channels")
	for _, email := range []string{"Ann.Smith@Example.COM", "ann.smith@example.com", "ANN.SMITH@EXAMPLE.COM"} {
		got, err := f.s.CustomerByEmail(f.ctx, tn.ID, email)
		wantNoErr(t, err, "CustomerByEmail "+email)
		wantEqual(t, got, ann, "CustomerByEmail "+email)
	}
	_, err = f.s.CustomerByEmail(f.ctx, tn.ID, "nobody@example.com")
	wantCode(t, err, guild.ENotFound, "CustomerByEmail of an unknown email")
	_, err = f.s.Customer(f.ctx, tn.ID, ann.ID+bob.ID+1000)
	wantCode(t, err, guild.ENotFound, "Customer of a missing id")

	err = f.try(func(tx guild.Tx) error {
		_, err := tx.CreateCustomer(f.ctx, guild.Customer{TenantID: tn.ID, Email: "ann.smith@example.com", CreatedAt: t0, UpdatedAt: t0})
		return err
	})
	wantCode(t, err, guild.EConflict, "CreateCustomer with an email differing only in case")
	// Another tenant may have a customer with the same email.
	f.customer(t, guild.Customer{TenantID: other.ID, Email: "ann.smith@example.com"})

	upd := ann
	upd.Email, upd.FirstName, upd.LastName, upd.Phone = "ann@new.example", "Anne", "Smyth", ""
	upd.CompanyName, upd.CustomerGroupID, upd.OriginChannelID, upd.ChannelIDs = "", 0, 2, []int64{5}
	upd.UpdatedAt = at(time.Hour)
	upd.CreatedAt = at(-time.Hour) // ignored
	f.update(t, func(tx guild.Tx) error { return tx.UpdateCustomer(f.ctx, upd) })
	upd.CreatedAt = ann.CreatedAt
	got, err = f.s.Customer(f.ctx, tn.ID, ann.ID)
	wantNoErr(t, err, "Customer")
	wantEqual(t, got, upd, "customer after UpdateCustomer")
	got, err = f.s.CustomerByEmail(f.ctx, tn.ID, "ANN@new.example")
	wantNoErr(t, err, "CustomerByEmail of the new email")
	wantEqual(t, got, upd, "CustomerByEmail of the new email")
	_, err = f.s.CustomerByEmail(f.ctx, tn.ID, "ann.smith@example.com")
	wantCode(t, err, guild.ENotFound, "CustomerByEmail of the old email")

	clash := bob
	clash.Email = "Ann@New.Example"
	err = f.try(func(tx guild.Tx) error { return tx.UpdateCustomer(f.ctx, clash) })
	wantCode(t, err, guild.EConflict, "UpdateCustomer to another customer's email")
	missing := bob
	missing.ID = ann.ID + bob.ID + 1000
	err = f.try(func(tx guild.Tx) error { return tx.UpdateCustomer(f.ctx, missing) })
	wantCode(t, err, guild.ENotFound, "UpdateCustomer of a missing customer")
}

func testUsers(t *testing.T, f *fixture) {
	tn := f.tenant(t, "users")
	x := f.company(t, guild.Company{TenantID: tn.ID, Name: "X"})
	y := f.company(t, guild.Company{TenantID: tn.ID, Name: "Y"})
	badge := f.textField(t, tn.ID, guild.ExtraFieldUser, "Badge")
	dept := f.textField(t, tn.ID, guild.ExtraFieldUser, "Dept")
	c1 := f.customer(t, guild.Customer{TenantID: tn.ID, Email: "bob@example.com"})
	c2 := f.customer(t, guild.Customer{TenantID: tn.ID, Email: "carol@example.com"})
	c3 := f.customer(t, guild.Customer{TenantID: tn.ID, Email: "dan@example.com"})

	u1 := f.user(t, guild.User{TenantID: tn.ID, CompanyID: x.ID, CustomerID: c1.ID, Email: "Bob@Example.com",
		FirstName: "Bob", LastName: "Brown", Phone: "+1 555 0102", Role: guild.RoleSeniorBuyer, UUID: "erp-u1",
		ChannelIDs: []int64{4, 1}, CreatedAt: at(secs(1.000001)), UpdatedAt: at(secs(3)),
		ExtraFields: []guild.ExtraFieldValue{put(dept, "Sales"), uput(badge, "B-1")}})
	want1 := u1
	want1.ExtraFields = []guild.ExtraFieldValue{uval(badge, "B-1"), val(dept, "Sales")}

	got, err := f.s.User(f.ctx, tn.ID, u1.ID)
	wantNoErr(t, err, "User")
	wantEqual(t, got, want1, "User")
	for _, email := range []string{"Bob@Example.com", "bob@example.com", "BOB@EXAMPLE.COM"} {
		got, err := f.s.UserByEmail(f.ctx, tn.ID, email)
		wantNoErr(t, err, "UserByEmail "+email)
		wantEqual(t, got, want1, "UserByEmail "+email)
	}

	err = f.try(func(tx guild.Tx) error {
		_, err := tx.CreateUser(f.ctx, guild.User{TenantID: tn.ID, CompanyID: y.ID, CustomerID: c2.ID,
			Email: "BOB@example.com", CreatedAt: t0, UpdatedAt: t0})
		return err
	})
	wantCode(t, err, guild.EConflict, "CreateUser with an email differing only in case")

	u2 := f.user(t, guild.User{TenantID: tn.ID, CompanyID: x.ID, CustomerID: c2.ID, Email: "carol@example.com", Role: guild.RoleAdmin})
	u3 := f.user(t, guild.User{TenantID: tn.ID, CompanyID: y.ID, CustomerID: c3.ID, Email: "dan@example.com", Role: guild.RoleJuniorBuyer,
		ExtraFields: []guild.ExtraFieldValue{put(dept, "Ops")}})
	want3 := u3
	want3.ExtraFields = []guild.ExtraFieldValue{val(dept, "Ops")}

	list, err := f.s.ListCompanyUsers(f.ctx, tn.ID, x.ID)
	wantNoErr(t, err, "ListCompanyUsers")
	wantEqual(t, list, []guild.User{want1, u2}, "ListCompanyUsers of X")
	list, err = f.s.ListCompanyUsers(f.ctx, tn.ID, y.ID)
	wantNoErr(t, err, "ListCompanyUsers")
	wantEqual(t, list, []guild.User{want3}, "ListCompanyUsers of Y")
	list, err = f.s.ListCompanyUsers(f.ctx, tn.ID, y.ID+1000)
	wantNoErr(t, err, "ListCompanyUsers of a missing company")
	wantEqual(t, list, nil, "ListCompanyUsers of a missing company")

	_, err = f.s.User(f.ctx, tn.ID, u3.ID+1000)
	wantCode(t, err, guild.ENotFound, "User of a missing id")
	_, err = f.s.UserByEmail(f.ctx, tn.ID, "nobody@example.com")
	wantCode(t, err, guild.ENotFound, "UserByEmail of an unknown email")

	err = f.try(func(tx guild.Tx) error {
		_, err := tx.CreateUser(f.ctx, guild.User{TenantID: tn.ID, CompanyID: y.ID + 1000, CustomerID: c3.ID,
			Email: "ghost@example.com", CreatedAt: t0, UpdatedAt: t0})
		return err
	})
	wantCode(t, err, guild.ENotFound, "CreateUser in a missing company")
}
