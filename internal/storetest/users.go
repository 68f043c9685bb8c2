package storetest

// The suite pins these choices of the issue-3 reads and writes (users, super
// admins, custom permissions and roles, buyer tokens), which every store
// shares:
//   - ListUsers, ListSuperAdmins, SuperAdminCompanies and CompanySuperAdmins
//     page by ascending id; a Limit <= 0 is no limit. ListUsers returns
//     extra fields only when IncludeExtraFields is set; UserByCustomerID
//     returns them always, as User does.
//   - UserFilter.CompanyRoleID pointing at 0 selects the users without a
//     custom role. Roles match the stored role. Query folds case beyond
//     ASCII, and % and _ in it are literal. Times compare at one-second
//     granularity, both ends inclusive, as for companies.
//   - CountCompanyAdmins counts users with role admin and no custom role.
//   - UpdateUser replaces CustomerID too (the tenant's, else ENotFound), and
//     never the extra fields; UpdateSuperAdmin likewise. CreateSuperAdmin's
//     customer must be the tenant's, else ENotFound.
//   - SuperAdminCompanies and CompanySuperAdmins of a super admin or company
//     the tenant does not have are empty, not ENotFound (as
//     ListCompanyUsers). AssignSuperAdmin refuses (ENotFound, nothing
//     changed) a super admin or an added company the tenant does not have;
//     it adds before it removes.
//   - Custom permission and custom role ids are 1000 or more (the predefined
//     ones are below), and ids of deleted rows are never handed out again.
//   - A role's grants come back in the order written; a code granted twice
//     is EConflict. CountRolesWithCode counts roles, not grants.
//   - A buyer token belongs to exactly one user or super admin: both or
//     neither is EInvalid; one the tenant does not have is ENotFound.
//     RevokeUserBuyerTokens needs the user or super admin to be the
//     tenant's, and leaves the time of already revoked tokens.
//   - A write refused with an error writes nothing: the transaction goes on
//     as before the call (checked where a write has several statements).

import (
	"testing"
	"time"

	guild "github.com/guild-b2b/guild"
)

// attempt runs fn in a transaction that commits whatever fn returns, and
// returns fn's error: what a refused write leaves is then visible.
func (f *fixture) attempt(fn func(tx guild.Tx) error) error {
	var ferr error
	err := f.try(func(tx guild.Tx) error {
		ferr = fn(tx)
		return nil
	})
	if err != nil {
		return err
	}
	return ferr
}

func testBuyerUsers(t *testing.T, f *fixture) {
	t.Run("CompanyRoleID", func(t *testing.T) { testUserCompanyRole(t, f) })
	t.Run("ListUsers", func(t *testing.T) { testListUsers(t, f) })
	t.Run("UserByCustomerID", func(t *testing.T) { testUserByCustomerID(t, f) })
	t.Run("Counts", func(t *testing.T) { testUserCounts(t, f) })
	t.Run("UpdateUser", func(t *testing.T) { testUpdateUser(t, f) })
	t.Run("DeleteUser", func(t *testing.T) { testDeleteUser(t, f) })
	t.Run("DeleteCompany", func(t *testing.T) { testDeleteCompanyBuyers(t, f) })
}

// testUserCompanyRole checks that the user reads and writes carry
// CompanyRoleID.
func testUserCompanyRole(t *testing.T, f *fixture) {
	tn := f.tenant(t, "company-role")
	c := f.company(t, guild.Company{TenantID: tn.ID, Name: "C"})
	cu := f.customer(t, guild.Customer{TenantID: tn.ID, Email: "role@example.com"})
	u := f.user(t, guild.User{TenantID: tn.ID, CompanyID: c.ID, CustomerID: cu.ID, Email: "role@example.com",
		FirstName: "R", LastName: "L", Role: guild.RoleJuniorBuyer, CompanyRoleID: 1001})
	got, err := f.s.User(f.ctx, tn.ID, u.ID)
	wantNoErr(t, err, "User")
	wantEqual(t, got, u, "User with a custom role")
	got, err = f.s.UserByEmail(f.ctx, tn.ID, "ROLE@example.com")
	wantNoErr(t, err, "UserByEmail")
	wantEqual(t, got, u, "UserByEmail with a custom role")
	list, err := f.s.ListCompanyUsers(f.ctx, tn.ID, c.ID)
	wantNoErr(t, err, "ListCompanyUsers")
	wantEqual(t, list, []guild.User{u}, "ListCompanyUsers with a custom role")
	got, err = f.s.UserByCustomerID(f.ctx, tn.ID, cu.ID)
	wantNoErr(t, err, "UserByCustomerID")
	wantEqual(t, got, u, "UserByCustomerID with a custom role")
	page, _, err := f.s.ListUsers(f.ctx, tn.ID, guild.UserFilter{})
	wantNoErr(t, err, "ListUsers")
	wantEqual(t, page, []guild.User{u}, "ListUsers with a custom role")
}

// listUsersWorld is the tenant testListUsers lists.
type listUsersWorld struct {
	tn, other guild.Tenant
	x, y      guild.Company
	badge     guild.ExtraFieldDef
	u         []guild.User // u[0] is u1
}

func newListUsersWorld(t *testing.T, f *fixture) listUsersWorld {
	var w listUsersWorld
	w.tn = f.tenant(t, "list-users")
	w.other = f.tenant(t, "list-users-other")
	w.x = f.company(t, guild.Company{TenantID: w.tn.ID, Name: "X"})
	w.y = f.company(t, guild.Company{TenantID: w.tn.ID, Name: "Y"})
	w.badge = f.textField(t, w.tn.ID, guild.ExtraFieldUser, "Badge")
	specs := []guild.User{
		{CompanyID: w.x.ID, Role: guild.RoleAdmin, FirstName: "Ann", LastName: "Smith", Email: "ann@acme.example",
			ChannelIDs: []int64{1, 2}, CreatedAt: at(secs(1.5)), UpdatedAt: at(secs(10.2)),
			ExtraFields: []guild.ExtraFieldValue{put(w.badge, "B1")}},
		{CompanyID: w.x.ID, Role: guild.RoleSeniorBuyer, FirstName: "Bob", LastName: "Özdemir", Email: "bob@acme.example",
			ChannelIDs: []int64{2}, CreatedAt: at(secs(2)), UpdatedAt: at(secs(11))},
		{CompanyID: w.y.ID, Role: guild.RoleJuniorBuyer, CompanyRoleID: 1001, FirstName: "Carol", LastName: "Jones",
			Email: "carol_j@other.example", CreatedAt: at(secs(3)), UpdatedAt: at(secs(12.9))},
		{CompanyID: w.y.ID, Role: guild.RoleJuniorBuyer, CompanyRoleID: 1002, FirstName: "Åsa", LastName: "100% Smith",
			Email: "dan@other.example", ChannelIDs: []int64{3}, CreatedAt: at(secs(4)), UpdatedAt: at(secs(13))},
		{CompanyID: w.x.ID, Role: guild.RoleJuniorBuyer, FirstName: "Eve", LastName: "Adams", Email: "Eve.Adams@ACME.example",
			ChannelIDs: []int64{1}, CreatedAt: at(secs(5)), UpdatedAt: at(secs(14))},
	}
	for _, u := range specs {
		cu := f.customer(t, guild.Customer{TenantID: w.tn.ID, Email: u.Email})
		u.TenantID, u.CustomerID = w.tn.ID, cu.ID
		w.u = append(w.u, f.user(t, u))
	}
	// Another tenant's user matching every filter but the tenant.
	oc := f.company(t, guild.Company{TenantID: w.other.ID, Name: "X"})
	f.companyUser(t, oc, "ann@acme.example")
	return w
}

func testListUsers(t *testing.T, f *fixture) {
	w := newListUsersWorld(t, f)
	withFields := w.u[0] // as written, with its extra field
	withFields.ExtraFields = []guild.ExtraFieldValue{val(w.badge, "B1")}
	// A list read has no extra fields unless asked.
	listed := make([]guild.User, len(w.u))
	for i, u := range w.u {
		listed[i] = u
		listed[i].ExtraFields = nil
	}
	l1, l2, l3, l4, l5 := listed[0], listed[1], listed[2], listed[3], listed[4]

	cases := []struct {
		name   string
		filter guild.UserFilter
		want   []guild.User
		total  int
	}{
		{"all", guild.UserFilter{}, listed, 5},
		{"first page", guild.UserFilter{Limit: 2}, []guild.User{l1, l2}, 5},
		{"second page", guild.UserFilter{Limit: 2, Offset: 2}, []guild.User{l3, l4}, 5},
		{"last page", guild.UserFilter{Limit: 2, Offset: 4}, []guild.User{l5}, 5},
		{"past the end", guild.UserFilter{Limit: 2, Offset: 10}, nil, 5},
		{"offset without limit", guild.UserFilter{Offset: 3}, []guild.User{l4, l5}, 5},
		{"company X", guild.UserFilter{CompanyID: &w.x.ID}, []guild.User{l1, l2, l5}, 3},
		{"company Y", guild.UserFilter{CompanyID: &w.y.ID}, []guild.User{l3, l4}, 2},
		{"a missing company", guild.UserFilter{CompanyID: ptr(w.y.ID + 1000)}, nil, 0},
		{"admins", guild.UserFilter{Roles: []guild.UserRole{guild.RoleAdmin}}, []guild.User{l1}, 1},
		{"senior or junior", guild.UserFilter{Roles: []guild.UserRole{guild.RoleSeniorBuyer, guild.RoleJuniorBuyer}},
			[]guild.User{l2, l3, l4, l5}, 4},
		{"custom role 1001", guild.UserFilter{CompanyRoleID: ptr[int64](1001)}, []guild.User{l3}, 1},
		{"no custom role", guild.UserFilter{CompanyRoleID: ptr[int64](0)}, []guild.User{l1, l2, l5}, 3},
		{"email, other case", guild.UserFilter{Email: "eve.adams@acme.EXAMPLE"}, []guild.User{l5}, 1},
		{"email is exact", guild.UserFilter{Email: "eve"}, nil, 0},
		{"channel 2", guild.UserFilter{ChannelID: ptr[int64](2)}, []guild.User{l1, l2}, 2},
		{"channel 3", guild.UserFilter{ChannelID: ptr[int64](3)}, []guild.User{l4}, 1},
		{"channel 9", guild.UserFilter{ChannelID: ptr[int64](9)}, nil, 0},
		{"query in last names", guild.UserFilter{Query: "SMITH"}, []guild.User{l1, l4}, 2},
		{"query in first names", guild.UserFilter{Query: "caRO"}, []guild.User{l3}, 1},
		{"query in emails", guild.UserFilter{Query: "Acme"}, []guild.User{l1, l2, l5}, 3},
		{"query folds beyond ASCII", guild.UserFilter{Query: "ÖZ"}, []guild.User{l2}, 1},
		{"query folds first names beyond ASCII", guild.UserFilter{Query: "åS"}, []guild.User{l4}, 1},
		{"query % is literal", guild.UserFilter{Query: "%"}, []guild.User{l4}, 1},
		{"query _ is literal", guild.UserFilter{Query: "_"}, []guild.User{l3}, 1},
		{"created from second 3", guild.UserFilter{MinCreated: at(secs(3.9))}, []guild.User{l3, l4, l5}, 3},
		{"created to second 1", guild.UserFilter{MaxCreated: at(secs(1.1))}, []guild.User{l1}, 1},
		{"created in seconds 2..4", guild.UserFilter{MinCreated: at(secs(2.7)), MaxCreated: at(secs(4))}, []guild.User{l2, l3, l4}, 3},
		{"modified from second 12", guild.UserFilter{MinModified: at(secs(12.1))}, []guild.User{l3, l4, l5}, 3},
		{"modified to second 11", guild.UserFilter{MaxModified: at(secs(11.5))}, []guild.User{l1, l2}, 2},
		{"modified in second 12", guild.UserFilter{MinModified: at(secs(12)), MaxModified: at(secs(12))}, []guild.User{l3}, 1},
		{"combined", guild.UserFilter{CompanyID: &w.x.ID, Roles: []guild.UserRole{guild.RoleJuniorBuyer}, ChannelID: ptr[int64](1)},
			[]guild.User{l5}, 1},
		{"combined, paged", guild.UserFilter{CompanyID: &w.x.ID, Query: "acme", Limit: 1, Offset: 1}, []guild.User{l2}, 3},
		{"with extra fields", guild.UserFilter{IncludeExtraFields: true, Limit: 2},
			[]guild.User{withFields, l2}, 5},
	}
	for _, c := range cases {
		page, total, err := f.s.ListUsers(f.ctx, w.tn.ID, c.filter)
		wantNoErr(t, err, "ListUsers "+c.name)
		wantEqual(t, page, c.want, "ListUsers "+c.name)
		if total != c.total {
			t.Errorf("ListUsers %s: total %d, want %d", c.name, total, c.total)
		}
	}
	// The other tenant sees its own user only.
	page, total, err := f.s.ListUsers(f.ctx, w.other.ID, guild.UserFilter{Email: "ann@acme.example"})
	wantNoErr(t, err, "ListUsers of the other tenant")
	if total != 1 || len(page) != 1 || page[0].TenantID != w.other.ID {
		t.Errorf("ListUsers of the other tenant: %+v (total %d), want its one user", page, total)
	}
	page, total, err = f.s.ListUsers(f.ctx, w.other.ID, guild.UserFilter{CompanyID: &w.x.ID})
	wantNoErr(t, err, "ListUsers of another tenant's company")
	if total != 0 || len(page) != 0 {
		t.Errorf("ListUsers of another tenant's company: %d users (total %d), want none", len(page), total)
	}

	// A transaction lists its own writes.
	f.update(t, func(tx guild.Tx) error {
		cu, err := tx.CreateCustomer(f.ctx, guild.Customer{TenantID: w.tn.ID, Email: "new@acme.example", CreatedAt: t0, UpdatedAt: t0})
		if err != nil {
			return err
		}
		if _, err := tx.CreateUser(f.ctx, guild.User{TenantID: w.tn.ID, CompanyID: w.x.ID, CustomerID: cu, Email: "new@acme.example",
			CreatedAt: t0, UpdatedAt: t0}); err != nil {
			return err
		}
		_, total, err := tx.ListUsers(f.ctx, w.tn.ID, guild.UserFilter{CompanyID: &w.x.ID})
		if err != nil {
			return err
		}
		if total != 4 {
			t.Errorf("tx.ListUsers after a CreateUser: total %d, want 4", total)
		}
		return nil
	})
}

func testUserByCustomerID(t *testing.T, f *fixture) {
	tn := f.tenant(t, "user-by-customer")
	other := f.tenant(t, "user-by-customer-other")
	c := f.company(t, guild.Company{TenantID: tn.ID, Name: "C"})
	badge := f.textField(t, tn.ID, guild.ExtraFieldUser, "Badge")
	cu, u := f.companyUser(t, c, "buyer@example.com", put(badge, "B7"))
	f.companyUser(t, c, "second@example.com")
	lone := f.customer(t, guild.Customer{TenantID: tn.ID, Email: "lone@example.com"})

	want := u
	want.ExtraFields = []guild.ExtraFieldValue{val(badge, "B7")}
	got, err := f.s.UserByCustomerID(f.ctx, tn.ID, cu.ID)
	wantNoErr(t, err, "UserByCustomerID")
	wantEqual(t, got, want, "UserByCustomerID")
	_, err = f.s.UserByCustomerID(f.ctx, tn.ID, lone.ID)
	wantCode(t, err, guild.ENotFound, "UserByCustomerID of a customer without a user")
	_, err = f.s.UserByCustomerID(f.ctx, tn.ID, lone.ID+1000)
	wantCode(t, err, guild.ENotFound, "UserByCustomerID of a missing customer")
	_, err = f.s.UserByCustomerID(f.ctx, other.ID, cu.ID)
	wantCode(t, err, guild.ENotFound, "UserByCustomerID of another tenant's customer")
}

func testUserCounts(t *testing.T, f *fixture) {
	tn := f.tenant(t, "user-counts")
	other := f.tenant(t, "user-counts-other")
	x := f.company(t, guild.Company{TenantID: tn.ID, Name: "X"})
	y := f.company(t, guild.Company{TenantID: tn.ID, Name: "Y"})
	ox := f.company(t, guild.Company{TenantID: other.ID, Name: "X"})
	n := 0
	mk := func(c guild.Company, role guild.UserRole, customRole int64) guild.User {
		n++
		email := "u" + string(rune('a'+n)) + "@example.com"
		cu := f.customer(t, guild.Customer{TenantID: c.TenantID, Email: email})
		return f.user(t, guild.User{TenantID: c.TenantID, CompanyID: c.ID, CustomerID: cu.ID, Email: email,
			Role: role, CompanyRoleID: customRole})
	}
	a1 := mk(x, guild.RoleAdmin, 0)
	mk(x, guild.RoleAdmin, 0)
	mk(x, guild.RoleAdmin, 1001) // a custom role: not an admin
	mk(x, guild.RoleSeniorBuyer, 0)
	mk(x, guild.RoleJuniorBuyer, 1001)
	mk(y, guild.RoleAdmin, 0)
	mk(y, guild.RoleJuniorBuyer, 1002)
	mk(ox, guild.RoleAdmin, 1001)
	mk(ox, guild.RoleAdmin, 0)

	count := func(what string, got int, err error, want int) {
		t.Helper()
		wantNoErr(t, err, what)
		if got != want {
			t.Errorf("%s = %d, want %d", what, got, want)
		}
	}
	got, err := f.s.CountCompanyAdmins(f.ctx, tn.ID, x.ID)
	count("CountCompanyAdmins(X)", got, err, 2)
	got, err = f.s.CountCompanyAdmins(f.ctx, tn.ID, y.ID)
	count("CountCompanyAdmins(Y)", got, err, 1)
	got, err = f.s.CountCompanyAdmins(f.ctx, tn.ID, ox.ID)
	count("CountCompanyAdmins of another tenant's company", got, err, 0)
	got, err = f.s.CountUsersWithRole(f.ctx, tn.ID, 1001)
	count("CountUsersWithRole(1001)", got, err, 2)
	got, err = f.s.CountUsersWithRole(f.ctx, tn.ID, 1002)
	count("CountUsersWithRole(1002)", got, err, 1)
	got, err = f.s.CountUsersWithRole(f.ctx, tn.ID, 1003)
	count("CountUsersWithRole(1003)", got, err, 0)
	got, err = f.s.CountUsersWithRole(f.ctx, other.ID, 1002)
	count("CountUsersWithRole of the other tenant", got, err, 0)

	// The counts follow the writes, in the transaction too.
	f.update(t, func(tx guild.Tx) error {
		demoted := a1
		demoted.Role, demoted.CompanyRoleID = guild.RoleJuniorBuyer, 1002
		if err := tx.UpdateUser(f.ctx, demoted); err != nil {
			return err
		}
		got, err := tx.CountCompanyAdmins(f.ctx, tn.ID, x.ID)
		count("tx.CountCompanyAdmins(X) after a demotion", got, err, 1)
		got, err = tx.CountUsersWithRole(f.ctx, tn.ID, 1002)
		count("tx.CountUsersWithRole(1002) after a demotion", got, err, 2)
		return nil
	})
	got, err = f.s.CountCompanyAdmins(f.ctx, tn.ID, x.ID)
	count("CountCompanyAdmins(X) after a demotion", got, err, 1)
}

func testUpdateUser(t *testing.T, f *fixture) {
	tn := f.tenant(t, "update-user")
	other := f.tenant(t, "update-user-other")
	x := f.company(t, guild.Company{TenantID: tn.ID, Name: "X"})
	y := f.company(t, guild.Company{TenantID: tn.ID, Name: "Y"})
	badge := f.textField(t, tn.ID, guild.ExtraFieldUser, "Badge")
	_, u := f.companyUser(t, x, "ann@example.com", put(badge, "B1"))
	_, bob := f.companyUser(t, x, "bob@example.com")
	c2 := f.customer(t, guild.Customer{TenantID: tn.ID, Email: "ann@new.example"})
	oc := f.company(t, guild.Company{TenantID: other.ID, Name: "O"})
	ocu, ou := f.companyUser(t, oc, "other@example.com")

	upd := u
	upd.CustomerID, upd.Email, upd.FirstName, upd.LastName, upd.Phone = c2.ID, "Ann@New.example", "Anne", "Smyth", "+1 555"
	upd.Role, upd.CompanyRoleID, upd.UUID, upd.ChannelIDs = guild.RoleAdmin, 1005, "erp-9", []int64{7, 3}
	upd.UpdatedAt = at(time.Hour + secs(0.000001))
	upd.CreatedAt, upd.CompanyID = at(-time.Hour), y.ID // both ignored
	upd.ExtraFields = nil                               // ignored
	f.update(t, func(tx guild.Tx) error { return tx.UpdateUser(f.ctx, upd) })
	want := upd
	want.CreatedAt, want.CompanyID = u.CreatedAt, u.CompanyID
	want.ExtraFields = []guild.ExtraFieldValue{val(badge, "B1")}
	got, err := f.s.User(f.ctx, tn.ID, u.ID)
	wantNoErr(t, err, "User after UpdateUser")
	wantEqual(t, got, want, "User after UpdateUser")
	got, err = f.s.UserByEmail(f.ctx, tn.ID, "ann@new.EXAMPLE")
	wantNoErr(t, err, "UserByEmail of the new email")
	wantEqual(t, got, want, "UserByEmail of the new email")
	_, err = f.s.UserByEmail(f.ctx, tn.ID, "ann@example.com")
	wantCode(t, err, guild.ENotFound, "UserByEmail of the old email")
	got, err = f.s.UserByCustomerID(f.ctx, tn.ID, c2.ID)
	wantNoErr(t, err, "UserByCustomerID of the new customer")
	wantEqual(t, got, want, "UserByCustomerID of the new customer")

	// An update keeping its own email is no conflict.
	same := want
	same.FirstName, same.ExtraFields = "Annie", nil
	f.update(t, func(tx guild.Tx) error { return tx.UpdateUser(f.ctx, same) })

	clash := bob
	clash.Email = "ANN@new.example"
	err = f.attempt(func(tx guild.Tx) error { return tx.UpdateUser(f.ctx, clash) })
	wantCode(t, err, guild.EConflict, "UpdateUser to another user's email")

	missing := bob
	missing.ID = bob.ID + 1000
	err = f.attempt(func(tx guild.Tx) error { return tx.UpdateUser(f.ctx, missing) })
	wantCode(t, err, guild.ENotFound, "UpdateUser of a missing user")
	foreign := ou
	foreign.TenantID, foreign.FirstName = tn.ID, "Hijacked"
	err = f.attempt(func(tx guild.Tx) error { return tx.UpdateUser(f.ctx, foreign) })
	wantCode(t, err, guild.ENotFound, "UpdateUser of another tenant's user")
	got, err = f.s.User(f.ctx, other.ID, ou.ID)
	wantNoErr(t, err, "User of the other tenant")
	wantEqual(t, got, ou, "the other tenant's user after a refused update")
	badCustomer := bob
	badCustomer.CustomerID = ocu.ID
	err = f.attempt(func(tx guild.Tx) error { return tx.UpdateUser(f.ctx, badCustomer) })
	wantCode(t, err, guild.ENotFound, "UpdateUser to another tenant's customer")
	got, err = f.s.User(f.ctx, tn.ID, bob.ID)
	wantNoErr(t, err, "User")
	wantEqual(t, got, bob, "a user after refused updates")

	// A zero UpdatedAt is the time of the update.
	before := time.Now().Add(-time.Minute)
	now := bob
	now.UpdatedAt = time.Time{}
	f.update(t, func(tx guild.Tx) error { return tx.UpdateUser(f.ctx, now) })
	got, err = f.s.User(f.ctx, tn.ID, bob.ID)
	wantNoErr(t, err, "User")
	if got.UpdatedAt.Before(before) || got.UpdatedAt.After(time.Now().Add(time.Minute)) {
		t.Errorf("UpdatedAt after an update with a zero UpdatedAt: %v, want about now", got.UpdatedAt)
	}
}

func testDeleteUser(t *testing.T, f *fixture) {
	tn := f.tenant(t, "delete-user")
	other := f.tenant(t, "delete-user-other")
	c := f.company(t, guild.Company{TenantID: tn.ID, Name: "C"})
	badge := f.def(t, guild.ExtraFieldDef{TenantID: tn.ID, Kind: guild.ExtraFieldUser, Name: "Badge", Type: guild.FieldText, Unique: true})
	cu, u := f.companyUser(t, c, "gone@example.com", uput(badge, "B1"))
	_, keep := f.companyUser(t, c, "kept@example.com", uput(badge, "B2"))
	oc := f.company(t, guild.Company{TenantID: other.ID, Name: "O"})
	_, ou := f.companyUser(t, oc, "other@example.com")
	f.buyerToken(t, guild.BuyerToken{TenantID: tn.ID, UserID: u.ID, SecretHash: secretHash("gone-1")})
	f.buyerToken(t, guild.BuyerToken{TenantID: tn.ID, UserID: u.ID, SecretHash: secretHash("gone-2"), RevokedAt: at(time.Hour)})
	keptToken := f.buyerToken(t, guild.BuyerToken{TenantID: tn.ID, UserID: keep.ID, SecretHash: secretHash("kept")})

	err := f.attempt(func(tx guild.Tx) error { return tx.DeleteUser(f.ctx, tn.ID, ou.ID) })
	wantCode(t, err, guild.ENotFound, "DeleteUser of another tenant's user")
	_, err = f.s.User(f.ctx, other.ID, ou.ID)
	wantNoErr(t, err, "the other tenant's user after a refused DeleteUser")

	f.update(t, func(tx guild.Tx) error { return tx.DeleteUser(f.ctx, tn.ID, u.ID) })
	_, err = f.s.User(f.ctx, tn.ID, u.ID)
	wantCode(t, err, guild.ENotFound, "User after DeleteUser")
	_, err = f.s.UserByEmail(f.ctx, tn.ID, "gone@example.com")
	wantCode(t, err, guild.ENotFound, "UserByEmail after DeleteUser")
	_, err = f.s.UserByCustomerID(f.ctx, tn.ID, cu.ID)
	wantCode(t, err, guild.ENotFound, "UserByCustomerID after DeleteUser")
	got, err := f.s.Customer(f.ctx, tn.ID, cu.ID)
	wantNoErr(t, err, "the customer of a deleted user")
	wantEqual(t, got, cu, "the customer of a deleted user")
	for _, s := range []string{"gone-1", "gone-2"} {
		_, err = f.s.BuyerTokenBySecretHash(f.ctx, secretHash(s))
		wantCode(t, err, guild.ENotFound, "a buyer token of a deleted user ("+s+")")
	}
	tok, err := f.s.BuyerTokenBySecretHash(f.ctx, secretHash("kept"))
	wantNoErr(t, err, "another user's buyer token")
	wantEqual(t, tok, keptToken, "another user's buyer token")
	_, err = f.s.ExtraFieldValueOwner(f.ctx, tn.ID, badge.ID, "B1", 0)
	wantCode(t, err, guild.ENotFound, "ExtraFieldValueOwner of a deleted user's value")
	if n, err := f.s.CountRecordsMissingExtraField(f.ctx, tn.ID, badge); err != nil || n != 0 {
		t.Errorf("CountRecordsMissingExtraField after DeleteUser: %d, %v; want 0", n, err)
	}
	// The deleted user's unique value is free again; the kept one's is not.
	f.companyUser(t, c, "again@example.com", uput(badge, "B1"))
	owner, err := f.s.ExtraFieldValueOwner(f.ctx, tn.ID, badge.ID, "B2", 0)
	wantNoErr(t, err, "ExtraFieldValueOwner of the kept user's value")
	if owner != keep.ID {
		t.Errorf("ExtraFieldValueOwner of B2 = %d, want %d", owner, keep.ID)
	}
	// Its email is free again.
	cu2 := f.customer(t, guild.Customer{TenantID: tn.ID, Email: "gone2@example.com"})
	f.user(t, guild.User{TenantID: tn.ID, CompanyID: c.ID, CustomerID: cu2.ID, Email: "GONE@example.com"})

	err = f.attempt(func(tx guild.Tx) error { return tx.DeleteUser(f.ctx, tn.ID, u.ID) })
	wantCode(t, err, guild.ENotFound, "DeleteUser of a deleted user")
}

// testDeleteCompanyBuyers checks that deleting a company deletes its users'
// buyer tokens and its super-admin assignments, and nothing else of them.
func testDeleteCompanyBuyers(t *testing.T, f *fixture) {
	tn := f.tenant(t, "delete-company-buyers")
	x := f.company(t, guild.Company{TenantID: tn.ID, Name: "X"})
	y := f.company(t, guild.Company{TenantID: tn.ID, Name: "Y"})
	_, ux := f.companyUser(t, x, "x@example.com")
	_, uy := f.companyUser(t, y, "y@example.com")
	sa := f.superAdmin(t, tn.ID, "sa@example.com")
	f.update(t, func(tx guild.Tx) error { return tx.AssignSuperAdmin(f.ctx, tn.ID, sa.ID, []int64{x.ID, y.ID}, nil) })
	f.buyerToken(t, guild.BuyerToken{TenantID: tn.ID, UserID: ux.ID, SecretHash: secretHash("x")})
	ty := f.buyerToken(t, guild.BuyerToken{TenantID: tn.ID, UserID: uy.ID, SecretHash: secretHash("y")})
	tsa := f.buyerToken(t, guild.BuyerToken{TenantID: tn.ID, SuperAdminID: sa.ID, SecretHash: secretHash("sa")})

	f.update(t, func(tx guild.Tx) error { return tx.DeleteCompany(f.ctx, tn.ID, x.ID) })
	_, err := f.s.BuyerTokenBySecretHash(f.ctx, secretHash("x"))
	wantCode(t, err, guild.ENotFound, "the buyer token of a deleted company's user")
	tok, err := f.s.BuyerTokenBySecretHash(f.ctx, secretHash("y"))
	wantNoErr(t, err, "another company's user's token")
	wantEqual(t, tok, ty, "another company's user's token")
	tok, err = f.s.BuyerTokenBySecretHash(f.ctx, secretHash("sa"))
	wantNoErr(t, err, "the super admin's token")
	wantEqual(t, tok, tsa, "the super admin's token")
	ids, total, err := f.s.SuperAdminCompanies(f.ctx, tn.ID, sa.ID, guild.Page{})
	wantNoErr(t, err, "SuperAdminCompanies")
	wantEqual(t, ids, []int64{y.ID}, "SuperAdminCompanies after DeleteCompany")
	if total != 1 {
		t.Errorf("SuperAdminCompanies total %d after DeleteCompany, want 1", total)
	}
	ids, total, err = f.s.CompanySuperAdmins(f.ctx, tn.ID, x.ID, guild.Page{})
	wantNoErr(t, err, "CompanySuperAdmins")
	if len(ids) != 0 || total != 0 {
		t.Errorf("CompanySuperAdmins of a deleted company: %v (total %d), want none", ids, total)
	}
	got, err := f.s.SuperAdmin(f.ctx, tn.ID, sa.ID)
	wantNoErr(t, err, "SuperAdmin after DeleteCompany")
	wantEqual(t, got, sa, "SuperAdmin after DeleteCompany")
}
