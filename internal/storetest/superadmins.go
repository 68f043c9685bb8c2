package storetest

import (
	"testing"
	"time"

	guild "github.com/guild-b2b/guild"
)

// superAdmin creates a customer with the email and a super admin backed by
// it, and returns the super admin with its id.
func (f *fixture) superAdmin(t *testing.T, tenantID int64, email string) guild.SuperAdmin {
	t.Helper()
	cu := f.customer(t, guild.Customer{TenantID: tenantID, Email: email, FirstName: "S", LastName: "A"})
	return f.createSuperAdmin(t, guild.SuperAdmin{TenantID: tenantID, CustomerID: cu.ID, Email: email, FirstName: "S", LastName: "A"})
}

// createSuperAdmin creates a and returns it with its id.
func (f *fixture) createSuperAdmin(t *testing.T, a guild.SuperAdmin) guild.SuperAdmin {
	t.Helper()
	if a.CreatedAt.IsZero() {
		a.CreatedAt, a.UpdatedAt = t0, t0
	}
	f.update(t, func(tx guild.Tx) error {
		var err error
		a.ID, err = tx.CreateSuperAdmin(f.ctx, a)
		return err
	})
	return a
}

func testSuperAdmins(t *testing.T, f *fixture) {
	t.Run("CreateAndRead", func(t *testing.T) { testSuperAdminCreate(t, f) })
	t.Run("List", func(t *testing.T) { testListSuperAdmins(t, f) })
	t.Run("Update", func(t *testing.T) { testSuperAdminUpdate(t, f) })
	t.Run("Assign", func(t *testing.T) { testAssignSuperAdmin(t, f) })
}

func testSuperAdminCreate(t *testing.T, f *fixture) {
	tn := f.tenant(t, "super-admins")
	other := f.tenant(t, "super-admins-other")
	cu := f.customer(t, guild.Customer{TenantID: tn.ID, Email: "Sam.Super@Example.COM"})
	sam := f.createSuperAdmin(t, guild.SuperAdmin{TenantID: tn.ID, CustomerID: cu.ID, Email: "Sam.Super@Example.COM",
		FirstName: "Sam", LastName: "Super", Phone: "+1 555 0199", UUID: "erp-sa", ChannelIDs: []int64{3, 1},
		CreatedAt: at(secs(1.000001)), UpdatedAt: at(secs(2.000002))})
	if sam.ID == 0 {
		t.Fatal("CreateSuperAdmin returned id 0")
	}
	got, err := f.s.SuperAdmin(f.ctx, tn.ID, sam.ID)
	wantNoErr(t, err, "SuperAdmin")
	wantEqual(t, got, sam, "SuperAdmin")
	for _, email := range []string{"Sam.Super@Example.COM", "sam.super@example.com", "SAM.SUPER@EXAMPLE.COM"} {
		got, err := f.s.SuperAdminByEmail(f.ctx, tn.ID, email)
		wantNoErr(t, err, "SuperAdminByEmail "+email)
		wantEqual(t, got, sam, "SuperAdminByEmail "+email)
	}
	bare := f.superAdmin(t, tn.ID, "bare@example.com")
	got, err = f.s.SuperAdmin(f.ctx, tn.ID, bare.ID)
	wantNoErr(t, err, "SuperAdmin")
	wantEqual(t, got, bare, "SuperAdmin without channels")
	if bare.ID == sam.ID {
		t.Errorf("two super admins share id %d", bare.ID)
	}

	_, err = f.s.SuperAdmin(f.ctx, tn.ID, bare.ID+1000)
	wantCode(t, err, guild.ENotFound, "SuperAdmin of a missing id")
	_, err = f.s.SuperAdminByEmail(f.ctx, tn.ID, "nobody@example.com")
	wantCode(t, err, guild.ENotFound, "SuperAdminByEmail of an unknown email")
	_, err = f.s.SuperAdmin(f.ctx, other.ID, sam.ID)
	wantCode(t, err, guild.ENotFound, "SuperAdmin of another tenant")
	_, err = f.s.SuperAdminByEmail(f.ctx, other.ID, sam.Email)
	wantCode(t, err, guild.ENotFound, "SuperAdminByEmail of another tenant")

	cu2 := f.customer(t, guild.Customer{TenantID: tn.ID, Email: "sam2@example.com"})
	err = f.attempt(func(tx guild.Tx) error {
		_, err := tx.CreateSuperAdmin(f.ctx, guild.SuperAdmin{TenantID: tn.ID, CustomerID: cu2.ID, Email: "sam.super@EXAMPLE.com",
			CreatedAt: t0, UpdatedAt: t0})
		return err
	})
	wantCode(t, err, guild.EConflict, "CreateSuperAdmin with an email differing only in case")
	err = f.attempt(func(tx guild.Tx) error {
		_, err := tx.CreateSuperAdmin(f.ctx, guild.SuperAdmin{TenantID: tn.ID, CustomerID: cu2.ID + 1000, Email: "ghost@example.com",
			CreatedAt: t0, UpdatedAt: t0})
		return err
	})
	wantCode(t, err, guild.ENotFound, "CreateSuperAdmin backed by a missing customer")
	ocu := f.customer(t, guild.Customer{TenantID: other.ID, Email: "sam.super@example.com"})
	err = f.attempt(func(tx guild.Tx) error {
		_, err := tx.CreateSuperAdmin(f.ctx, guild.SuperAdmin{TenantID: tn.ID, CustomerID: ocu.ID, Email: "ghost@example.com",
			CreatedAt: t0, UpdatedAt: t0})
		return err
	})
	wantCode(t, err, guild.ENotFound, "CreateSuperAdmin backed by another tenant's customer")
	// Another tenant may have a super admin with the same email.
	f.createSuperAdmin(t, guild.SuperAdmin{TenantID: other.ID, CustomerID: ocu.ID, Email: "sam.super@example.com"})

	// A transaction reads its own writes.
	f.update(t, func(tx guild.Tx) error {
		id, err := tx.CreateSuperAdmin(f.ctx, guild.SuperAdmin{TenantID: tn.ID, CustomerID: cu2.ID, Email: "sam2@example.com",
			CreatedAt: t0, UpdatedAt: t0})
		if err != nil {
			return err
		}
		got, err := tx.SuperAdminByEmail(f.ctx, tn.ID, "SAM2@example.com")
		if err != nil {
			return err
		}
		if got.ID != id {
			t.Errorf("tx.SuperAdminByEmail: id %d, want %d", got.ID, id)
		}
		return nil
	})
}

func testListSuperAdmins(t *testing.T, f *fixture) {
	tn := f.tenant(t, "list-super-admins")
	other := f.tenant(t, "list-super-admins-other")
	var all []guild.SuperAdmin
	for _, a := range []guild.SuperAdmin{
		{Email: "ann@acme.example", FirstName: "Ann", LastName: "Smith"},
		{Email: "bob@acme.example", FirstName: "Bob", LastName: "Özdemir"},
		{Email: "carol_j@other.example", FirstName: "Carol", LastName: "Jones"},
		{Email: "Dan@Other.example", FirstName: "Åsa", LastName: "100% Smith"},
	} {
		cu := f.customer(t, guild.Customer{TenantID: tn.ID, Email: a.Email})
		a.TenantID, a.CustomerID = tn.ID, cu.ID
		all = append(all, f.createSuperAdmin(t, a))
	}
	f.superAdmin(t, other.ID, "ann@acme.example")
	s1, s2, s3, s4 := all[0], all[1], all[2], all[3]

	cases := []struct {
		name   string
		filter guild.SuperAdminFilter
		want   []guild.SuperAdmin
		total  int
	}{
		{"all", guild.SuperAdminFilter{}, all, 4},
		{"first page", guild.SuperAdminFilter{Limit: 3}, []guild.SuperAdmin{s1, s2, s3}, 4},
		{"second page", guild.SuperAdminFilter{Limit: 3, Offset: 3}, []guild.SuperAdmin{s4}, 4},
		{"past the end", guild.SuperAdminFilter{Limit: 3, Offset: 6}, nil, 4},
		{"email, other case", guild.SuperAdminFilter{Email: "DAN@other.EXAMPLE"}, []guild.SuperAdmin{s4}, 1},
		{"email is exact", guild.SuperAdminFilter{Email: "dan"}, nil, 0},
		{"query in last names", guild.SuperAdminFilter{Query: "smith"}, []guild.SuperAdmin{s1, s4}, 2},
		{"query in first names", guild.SuperAdminFilter{Query: "BO"}, []guild.SuperAdmin{s2}, 1},
		{"query in emails", guild.SuperAdminFilter{Query: "OTHER.ex"}, []guild.SuperAdmin{s3, s4}, 2},
		{"query folds beyond ASCII", guild.SuperAdminFilter{Query: "ÖZD"}, []guild.SuperAdmin{s2}, 1},
		{"query folds first names beyond ASCII", guild.SuperAdminFilter{Query: "åS"}, []guild.SuperAdmin{s4}, 1},
		{"query % is literal", guild.SuperAdminFilter{Query: "0%"}, []guild.SuperAdmin{s4}, 1},
		{"query _ is literal", guild.SuperAdminFilter{Query: "l_j"}, []guild.SuperAdmin{s3}, 1},
		{"query, paged", guild.SuperAdminFilter{Query: "smith", Limit: 1, Offset: 1}, []guild.SuperAdmin{s4}, 2},
	}
	for _, c := range cases {
		page, total, err := f.s.ListSuperAdmins(f.ctx, tn.ID, c.filter)
		wantNoErr(t, err, "ListSuperAdmins "+c.name)
		wantEqual(t, page, c.want, "ListSuperAdmins "+c.name)
		if total != c.total {
			t.Errorf("ListSuperAdmins %s: total %d, want %d", c.name, total, c.total)
		}
	}
	page, total, err := f.s.ListSuperAdmins(f.ctx, other.ID, guild.SuperAdminFilter{})
	wantNoErr(t, err, "ListSuperAdmins of the other tenant")
	if total != 1 || len(page) != 1 || page[0].TenantID != other.ID {
		t.Errorf("ListSuperAdmins of the other tenant: %+v (total %d), want its one super admin", page, total)
	}
}

func testSuperAdminUpdate(t *testing.T, f *fixture) {
	tn := f.tenant(t, "update-super-admin")
	other := f.tenant(t, "update-super-admin-other")
	sam := f.superAdmin(t, tn.ID, "sam@example.com")
	kim := f.superAdmin(t, tn.ID, "kim@example.com")
	osa := f.superAdmin(t, other.ID, "other@example.com")
	cu2 := f.customer(t, guild.Customer{TenantID: tn.ID, Email: "sam@new.example"})

	upd := sam
	upd.CustomerID, upd.Email, upd.FirstName, upd.LastName, upd.Phone = cu2.ID, "Sam@New.example", "Samuel", "Supreme", "+1 555"
	upd.UUID, upd.ChannelIDs, upd.UpdatedAt = "erp-2", []int64{9}, at(time.Hour)
	upd.CreatedAt = at(-time.Hour) // ignored
	f.update(t, func(tx guild.Tx) error { return tx.UpdateSuperAdmin(f.ctx, upd) })
	want := upd
	want.CreatedAt = sam.CreatedAt
	got, err := f.s.SuperAdmin(f.ctx, tn.ID, sam.ID)
	wantNoErr(t, err, "SuperAdmin after UpdateSuperAdmin")
	wantEqual(t, got, want, "SuperAdmin after UpdateSuperAdmin")
	got, err = f.s.SuperAdminByEmail(f.ctx, tn.ID, "sam@NEW.example")
	wantNoErr(t, err, "SuperAdminByEmail of the new email")
	wantEqual(t, got, want, "SuperAdminByEmail of the new email")
	_, err = f.s.SuperAdminByEmail(f.ctx, tn.ID, "sam@example.com")
	wantCode(t, err, guild.ENotFound, "SuperAdminByEmail of the old email")
	f.update(t, func(tx guild.Tx) error { return tx.UpdateSuperAdmin(f.ctx, want) }) // its own email is no conflict

	clash := kim
	clash.Email = "SAM@new.example"
	err = f.attempt(func(tx guild.Tx) error { return tx.UpdateSuperAdmin(f.ctx, clash) })
	wantCode(t, err, guild.EConflict, "UpdateSuperAdmin to another super admin's email")
	missing := kim
	missing.ID = kim.ID + 1000
	err = f.attempt(func(tx guild.Tx) error { return tx.UpdateSuperAdmin(f.ctx, missing) })
	wantCode(t, err, guild.ENotFound, "UpdateSuperAdmin of a missing super admin")
	foreign := osa
	foreign.TenantID, foreign.FirstName = tn.ID, "Hijacked"
	err = f.attempt(func(tx guild.Tx) error { return tx.UpdateSuperAdmin(f.ctx, foreign) })
	wantCode(t, err, guild.ENotFound, "UpdateSuperAdmin of another tenant's super admin")
	badCustomer := kim
	badCustomer.CustomerID = osa.CustomerID
	err = f.attempt(func(tx guild.Tx) error { return tx.UpdateSuperAdmin(f.ctx, badCustomer) })
	wantCode(t, err, guild.ENotFound, "UpdateSuperAdmin to another tenant's customer")
	got, err = f.s.SuperAdmin(f.ctx, tn.ID, kim.ID)
	wantNoErr(t, err, "SuperAdmin")
	wantEqual(t, got, kim, "a super admin after refused updates")
	got, err = f.s.SuperAdmin(f.ctx, other.ID, osa.ID)
	wantNoErr(t, err, "SuperAdmin")
	wantEqual(t, got, osa, "the other tenant's super admin after a refused update")
}

func testAssignSuperAdmin(t *testing.T, f *fixture) {
	tn := f.tenant(t, "assign")
	other := f.tenant(t, "assign-other")
	var cs []int64
	for _, name := range []string{"C1", "C2", "C3", "C4"} {
		cs = append(cs, f.company(t, guild.Company{TenantID: tn.ID, Name: name}).ID)
	}
	c1, c2, c3, c4 := cs[0], cs[1], cs[2], cs[3]
	sam := f.superAdmin(t, tn.ID, "sam@example.com")
	kim := f.superAdmin(t, tn.ID, "kim@example.com")
	oc := f.company(t, guild.Company{TenantID: other.ID, Name: "O"})
	osa := f.superAdmin(t, other.ID, "other@example.com")
	f.update(t, func(tx guild.Tx) error { return tx.AssignSuperAdmin(f.ctx, other.ID, osa.ID, []int64{oc.ID}, nil) })

	companies := func(what string, saID int64, p guild.Page, want []int64, wantTotal int) {
		t.Helper()
		ids, total, err := f.s.SuperAdminCompanies(f.ctx, tn.ID, saID, p)
		wantNoErr(t, err, "SuperAdminCompanies "+what)
		wantEqual(t, ids, want, "SuperAdminCompanies "+what)
		if total != wantTotal {
			t.Errorf("SuperAdminCompanies %s: total %d, want %d", what, total, wantTotal)
		}
	}
	admins := func(what string, companyID int64, p guild.Page, want []int64, wantTotal int) {
		t.Helper()
		ids, total, err := f.s.CompanySuperAdmins(f.ctx, tn.ID, companyID, p)
		wantNoErr(t, err, "CompanySuperAdmins "+what)
		wantEqual(t, ids, want, "CompanySuperAdmins "+what)
		if total != wantTotal {
			t.Errorf("CompanySuperAdmins %s: total %d, want %d", what, total, wantTotal)
		}
	}
	companies("before any assignment", sam.ID, guild.Page{}, nil, 0)

	f.update(t, func(tx guild.Tx) error { return tx.AssignSuperAdmin(f.ctx, tn.ID, sam.ID, []int64{c3, c1}, nil) })
	companies("after adding C3 and C1", sam.ID, guild.Page{}, []int64{c1, c3}, 2)
	// Adding is not destructive; adding an existing assignment is no error.
	f.update(t, func(tx guild.Tx) error { return tx.AssignSuperAdmin(f.ctx, tn.ID, sam.ID, []int64{c2, c3, c2}, nil) })
	companies("after adding C2 and C3 again", sam.ID, guild.Page{}, []int64{c1, c2, c3}, 3)
	f.update(t, func(tx guild.Tx) error { return tx.AssignSuperAdmin(f.ctx, tn.ID, kim.ID, []int64{c2}, nil) })
	companies("of another super admin", kim.ID, guild.Page{}, []int64{c2}, 1)

	companies("first page", sam.ID, guild.Page{Limit: 2}, []int64{c1, c2}, 3)
	companies("second page", sam.ID, guild.Page{Limit: 2, Offset: 2}, []int64{c3}, 3)
	companies("past the end", sam.ID, guild.Page{Limit: 2, Offset: 4}, nil, 3)
	admins("C2", c2, guild.Page{}, []int64{sam.ID, kim.ID}, 2)
	admins("C2, first page", c2, guild.Page{Limit: 1}, []int64{sam.ID}, 2)
	admins("C2, second page", c2, guild.Page{Limit: 1, Offset: 1}, []int64{kim.ID}, 2)
	admins("C4", c4, guild.Page{}, nil, 0)

	// Removing is not destructive either; removing a missing assignment (or
	// a missing company) is no error.
	f.update(t, func(tx guild.Tx) error {
		return tx.AssignSuperAdmin(f.ctx, tn.ID, sam.ID, nil, []int64{c1, c4, c4 + 1000, oc.ID})
	})
	companies("after removing C1 and unassigned ones", sam.ID, guild.Page{}, []int64{c2, c3}, 2)
	companies("of the other super admin after a removal", kim.ID, guild.Page{}, []int64{c2}, 1)
	// Both at once.
	f.update(t, func(tx guild.Tx) error { return tx.AssignSuperAdmin(f.ctx, tn.ID, sam.ID, []int64{c4}, []int64{c3}) })
	companies("after adding C4 and removing C3", sam.ID, guild.Page{}, []int64{c2, c4}, 2)

	// A refused assignment changes nothing, and the transaction goes on.
	refusals := []struct {
		what string
		fn   func(tx guild.Tx) error
	}{
		{"adding a missing company", func(tx guild.Tx) error {
			return tx.AssignSuperAdmin(f.ctx, tn.ID, sam.ID, []int64{c1, c4 + 1000}, []int64{c2})
		}},
		{"adding another tenant's company", func(tx guild.Tx) error {
			return tx.AssignSuperAdmin(f.ctx, tn.ID, sam.ID, []int64{c1, oc.ID}, []int64{c2})
		}},
		{"a missing super admin", func(tx guild.Tx) error {
			return tx.AssignSuperAdmin(f.ctx, tn.ID, kim.ID+1000, []int64{c1}, nil)
		}},
		{"another tenant's super admin", func(tx guild.Tx) error {
			return tx.AssignSuperAdmin(f.ctx, tn.ID, osa.ID, []int64{c1}, []int64{oc.ID})
		}},
	}
	for _, r := range refusals {
		f.update(t, func(tx guild.Tx) error {
			wantCode(t, r.fn(tx), guild.ENotFound, "AssignSuperAdmin "+r.what)
			return nil
		})
	}
	companies("after refused assignments", sam.ID, guild.Page{}, []int64{c2, c4}, 2)
	admins("C1 after refused assignments", c1, guild.Page{}, nil, 0)
	ids, total, err := f.s.SuperAdminCompanies(f.ctx, other.ID, osa.ID, guild.Page{})
	wantNoErr(t, err, "SuperAdminCompanies of the other tenant")
	wantEqual(t, ids, []int64{oc.ID}, "the other tenant's assignments")
	if total != 1 {
		t.Errorf("the other tenant's assignments: total %d, want 1", total)
	}

	// Another tenant's super admin or company has no assignments here.
	companies("of another tenant's super admin", osa.ID, guild.Page{}, nil, 0)
	admins("of another tenant's company", oc.ID, guild.Page{}, nil, 0)
	companies("of a missing super admin", kim.ID+1000, guild.Page{}, nil, 0)

	// A transaction reads its own assignments.
	f.update(t, func(tx guild.Tx) error {
		if err := tx.AssignSuperAdmin(f.ctx, tn.ID, kim.ID, []int64{c1}, nil); err != nil {
			return err
		}
		ids, total, err := tx.CompanySuperAdmins(f.ctx, tn.ID, c1, guild.Page{})
		if err != nil {
			return err
		}
		wantEqual(t, ids, []int64{kim.ID}, "tx.CompanySuperAdmins after an assignment")
		if total != 1 {
			t.Errorf("tx.CompanySuperAdmins total %d, want 1", total)
		}
		return nil
	})
}
